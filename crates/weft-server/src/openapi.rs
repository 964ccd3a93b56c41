//! The OpenAPI 3 document of the API, served at `/v1/openapi.json` and
//! checked in at `docs/openapi.json` (a test keeps the two equal and checks
//! that it lists exactly the router's routes).

use serde_json::{json, Value};

use crate::error::Code;

fn error_responses(codes: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for c in codes {
        let description = match *c {
            "400" => "Malformed request (bad JSON, missing or wrong fields, bad query).",
            "401" => "Missing or wrong bearer token (when the server has one).",
            "404" => "No such flow, run, task, token, machine, command or instance.",
            "408" => "The request's body did not arrive within the server's body_read_timeout.",
            "409" => "The action does not apply to the run as it stands (e.g. retrying a run that is not failed), the callback was already completed, or the command was refused.",
            "429" => "Too many commands wait on the instance.",
            "413" => "The body or a payload in it is larger than the limit.",
            "415" => "The body is not sent as JSON.",
            "422" => "The body is JSON but not of the expected shape, or the flows do not check (or the server's deployment plan refuses them).",
            "503" => "The store failed or is full, the server is shutting down or has no connection (or task stream) to spare, or the run (or its program) cannot be read by this build (`unreadable_state`, `unreadable_program`: a later build may), or its step panicked (`engine_panic`: a build without the bug may go on).",
            _ => "Error.",
        };
        let with_codes: Vec<String> = Code::ALL
            .iter()
            // `/readyz` describes its own 503.
            .filter(|code| code.status().as_str() == *c && **code != Code::NotReady)
            .map(|code| format!("`{}`", code.as_str()))
            .collect();
        let description = format!("{description} Codes: {}.", with_codes.join(", "));
        m.insert(
            c.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    Value::Object(m)
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn body(schema: &str, required: bool) -> Value {
    json!({"required": required, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn op(summary: &str, tag: &str, responses: Value, extra: Value) -> Value {
    let mut o = json!({"summary": summary, "tags": [tag], "responses": responses});
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    o
}

fn merge(a: Value, b: Value) -> Value {
    let mut a = a;
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        for (k, v) in b {
            a.insert(k.clone(), v.clone());
        }
    }
    a
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

/// The document.
pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Weft",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Deploy flows, start and repair runs, and implement activities over HTTP. With a token file, every /v1 call except callbacks needs `Authorization: Bearer <token>`. Errors are `{\"error\": {\"code\", \"message\"}}`. Times are RFC 3339 text."
        },
        "security": [{"bearer": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas()
        }
    })
}

/// `X-Weft-Actor`: who the audit log records as acting.
fn actor_header() -> Value {
    json!({"name": "X-Weft-Actor", "in": "header", "required": false, "description": "Who acts, as the audit log records it (1 to 100 characters); without it, `api`.", "schema": {"type": "string", "maxLength": 100}})
}

/// The parameters of a search (`GET /v1/runs`; a bulk action's `query`
/// takes the same but the page's).
fn search_parameters(paged: bool) -> Value {
    let time = |name: &str, what: &str| json!({"name": name, "in": "query", "description": format!("{what} (RFC 3339 or epoch milliseconds)."), "schema": {"type": "string"}});
    let mut p = vec![
        json!({"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}}),
        json!({"name": "flow", "in": "query", "schema": {"type": "string"}}),
        json!({"name": "parent", "in": "query", "description": "Only the sub-flows of this run.", "schema": {"type": "string"}}),
        json!({"name": "topLevel", "in": "query", "description": "Only runs without a parent.", "schema": {"type": "boolean"}}),
        json!({"name": "id", "in": "query", "description": "Runs whose id starts with this (a whole id finds one run).", "schema": {"type": "string"}}),
        json!({"name": "version", "in": "query", "schema": {"type": "integer", "minimum": 1}}),
        time("createdAfter", "Started at or after this time"),
        time("createdBefore", "Started before this time"),
        time("updatedAfter", "Last changed at or after this time"),
        time("updatedBefore", "Last changed before this time"),
        time(
            "finishedAfter",
            "Completed or cancelled at or after this time",
        ),
        time("finishedBefore", "Completed or cancelled before this time"),
        json!({"name": "idempotencyKey", "in": "query", "schema": {"type": "string"}}),
        json!({"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["-created", "created", "-updated", "updated"], "default": "-created"}}),
        json!({"name": "q", "in": "query", "description": "A condition in the flow language's expression syntax over the run's fields (`input.nick == \"ann\" && contains(error, \"timeout\")`); see docs/operating.md, \"Finding runs\".", "schema": {"type": "string", "maxLength": 4096}}),
    ];
    if paged {
        p.push(json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}}));
        p.push(json!({"name": "cursor", "in": "query", "description": "`nextCursor` of the previous page.", "schema": {"type": "string"}}));
    }
    Value::Array(p)
}

fn paths() -> Value {
    let run_id = path_param("id", "The run's id.");
    let task_id = path_param("taskId", "`<callId>.<attempt>`, as polled.");
    let runs = json!({
        "/healthz": {"get": op("Liveness: the process serves HTTP", "operations", json!({"200": {"description": "The server is up.", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}}), json!({"security": []}))},
        "/readyz": {"get": op("Readiness: the core loop's heartbeat is recent, the last commit did not fail and none is stuck, the store answers a read, the server is not stopping", "operations", json!({
            "200": {"description": "Ready to take work.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
            "503": {"description": "Not ready: `error.message` says which check failed.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}}
        }), json!({"security": []}))},
        "/metrics": {"get": op("Metrics in Prometheus text format: runs by status, step and commit latency, commit batch sizes, queue depth per activity", "operations", json!({"200": {"description": "Prometheus text.", "content": {"text/plain": {"schema": {"type": "string"}}}}}), json!({"security": []}))},
        "/v1/openapi.json": {"get": op("This document", "operations", merge(json!({"200": {"description": "OpenAPI 3.", "content": {"application/json": {"schema": {"type": "object"}}}}}), error_responses(&["401"])), json!({}))},
        "/v1/flows": {
            "post": op("Deploy flows (checked first; refused with the checker's diagnostics)", "flows",
                merge(json!({"201": ok("Deployed as a new version.", "Deployment")}), error_responses(&["400", "401", "408", "413", "415", "422", "503"])),
                json!({"requestBody": body("DeployRequest", true)})),
            "get": op("Deployed flows and their versions", "flows",
                merge(json!({"200": ok("The flows.", "FlowList")}), error_responses(&["401", "503"])), json!({}))
        },
        "/v1/flows/{name}": {"get": op("A flow: its source and versions", "flows",
            merge(json!({"200": ok("The flow.", "Flow")}), error_responses(&["401", "404", "503"])),
            json!({"parameters": [path_param("name", "The flow's name.")]}))},
        "/v1/flows/{name}/graph": {"get": op("A flow's diagram at a version (default: the newest): its steps and structure as nodes and edges, with the running, waiting and failed runs of that version standing at each node", "flows",
            merge(json!({"200": ok("The diagram.", "FlowGraph")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [path_param("name", "The flow's name."), {"name": "version", "in": "query", "schema": {"type": "integer", "minimum": 1}}]}))},
        "/v1/activities": {"get": op("Every activity the deployed flows call or that has tasks: its placement in the deployment plan (`weft serve --plan`) and its live figures: tasks ready (waiting for a worker, or for a slot or the rate of the calls the server makes), in flight, and the oldest ready task's age", "activities",
            merge(json!({"200": ok("The activities.", "ActivityList")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/versions/{version}": {"get": op("A program version: its flows and files (what its runs execute, inline sub-flows included)", "flows",
            merge(json!({"200": ok("The version.", "ProgramVersion")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [path_param("version", "The version number.")]}))},
        "/v1/versions/{version}/activities": {"get": op("The activities a program version declares, each with its result type and an example value of that shape (what the UI's repair editors start from)", "flows",
            merge(json!({"200": ok("The declared activities.", "DeclaredActivities")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [path_param("version", "The version number.")]}))},
        "/v1/runs/counts": {"get": op("Runs per status (of one flow with `flow`) and per flow, exact: the stores keep counters, so they cost the same at any number of runs. `capped` is always empty (earlier builds capped flow counts)", "runs",
            merge(json!({"200": ok("The counts.", "RunCounts")}), error_responses(&["400", "401", "503"])),
            json!({"parameters": [{"name": "flow", "in": "query", "schema": {"type": "string"}}]}))},
        "/v1/runs": {
            "post": op("Start a run (idempotent with `idempotencyKey`; synchronous with `wait`)", "runs",
                merge(json!({"201": ok("Started (with `wait`: as it stands when it finished or the wait ended).", "Run"), "200": ok("An earlier run with the same idempotency key.", "Run")}), error_responses(&["400", "401", "404", "408", "413", "415", "422", "503"])),
                json!({"requestBody": body("StartRequest", true)})),
            "get": op("Find runs: by status, flow, parent or top level, id or id prefix, version, time ranges, idempotency key, and a condition `q` in the flow language's expression syntax (docs/operating.md, \"Finding runs\"); sorted; paged; with the exact `total`", "runs",
                merge(json!({"200": ok("A page of runs.", "RunPage")}), error_responses(&["400", "401", "503"])),
                json!({"parameters": search_parameters(true)}))
        },
        "/v1/runs/bulk": {"post": op("Retry, cancel or resolve every run a search matches (the parameters of GET /v1/runs as `query`); with `dryRun`, count them and show a sample. Recorded in the audit log with `X-Weft-Actor`", "repair",
            merge(json!({"200": ok("Done (or, with `dryRun`, what it would act on).", "BulkResult"), "202": ok("Still going after 10 s: GET /v1/audit/{auditId} shows its progress.", "BulkResult")}), error_responses(&["400", "401", "413", "415", "422", "503"])),
            json!({"parameters": [actor_header()], "requestBody": body("BulkRequest", true)}))},
        "/v1/runs/{id}": {"get": op("A run (with `stalled` when it waits on an activity no worker polls)", "runs", merge(json!({"200": ok("The run.", "Run")}), error_responses(&["401", "404", "503"])), json!({"parameters": [run_id.clone()]}))},
        "/v1/runs/{id}/steps/{step}": {"get": op("Time travel: the run after journal step `step`, rebuilt by replaying its journal: status, where each branch stands, every frame's variables, what it waits for, the step's entries", "runs",
            merge(json!({"200": ok("The run after the step.", "RunStep")}), error_responses(&["400", "401", "404", "409", "503"])),
            json!({"parameters": [run_id.clone(), path_param("step", "The journal step, from 1.")]}))},
        "/v1/runs/{id}/fork": {"post": op("A new run from the run's state after journal step `step`, on the version the run was on after that step, or on a newer `version` of its flow when the live upgrade's checker says that state maps onto it (`upgrade_refused`, 409, with `reasons` otherwise; an older version is `not_applicable`, one not deployed `unknown_version`). Its record says `forkedFrom`; what was outstanding at that step (calls, timers, running sub-flows) starts again under the new run; a move to a newer version is an `upgraded` entry of its first step", "repair",
            merge(json!({"201": ok("The new run.", "Run")}), error_responses(&["400", "401", "404", "409", "415", "422", "503"])),
            json!({"parameters": [run_id.clone(), actor_header()], "requestBody": body("ForkRequest", true)}))},
        "/v1/runs/{id}/export": {"get": op("The run and its whole journal as a JSON file (every step with its cause and entries, each time as RFC 3339 text and epoch milliseconds)", "runs",
            merge(json!({"200": ok("The file (Content-Disposition: attachment).", "RunExport")}), error_responses(&["401", "404", "503"])),
            json!({"parameters": [run_id.clone()]}))},
        "/v1/audit": {"get": op("Operators' actions (retry, resolve, cancel, fork, bulk actions), newest first: who, what, when, how many runs", "operations",
            merge(json!({"200": ok("A page of actions.", "AuditPage")}), error_responses(&["400", "401", "503"])),
            json!({"parameters": [
                {"name": "run", "in": "query", "description": "Only actions on this run.", "schema": {"type": "string"}},
                {"name": "before", "in": "query", "description": "`nextBefore` of the previous page.", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}
            ]}))},
        "/v1/audit/{id}": {"get": op("One operator action, with the runs it applied to and those it could not (a bulk action's progress while it goes on)", "operations",
            merge(json!({"200": ok("The action.", "AuditEntry")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [path_param("id", "The action's id.")]}))},
        "/v1/workers": {"get": op("Workers that polled for tasks, with their activities and last polls; push and @http endpoints with how they have been answering", "workers",
            merge(json!({"200": ok("Workers and endpoints.", "Workers")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/sources": {"get": op("The configured pull and stream sources of events as this node sees them: last poll, last error, lag, events delivered (docs/triggers.md)", "triggers",
            merge(json!({"200": ok("The sources.", "Sources")}), error_responses(&["401"])), json!({}))},
        "/v1/queues": {"get": op("Per activity: tasks ready and leased, the workers polling it, its last poll, and whether no worker serves it (`stalled`)", "workers",
            merge(json!({"200": ok("The queues.", "Queues")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/runs/{id}/journal": {"get": op("A run's journal, in order, a page at a time (without `cursor`: the first page)", "runs", merge(json!({"200": ok("A page of the journal.", "Journal")}), error_responses(&["400", "401", "404", "503"])), json!({"parameters": [run_id.clone(),
            {"name": "limit", "in": "query", "description": "Entries per page.", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}},
            {"name": "cursor", "in": "query", "description": "`nextCursor` of the previous page.", "schema": {"type": "string"}}]}))},
        "/v1/runs/{id}/retry": {"post": op("Run the failed step of a failed run again (same call id); recorded in the audit log", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["400", "401", "404", "409", "503"])), json!({"parameters": [run_id.clone(), actor_header()]}))},
        "/v1/runs/{id}/resolve": {"post": op("Let the failed call of a failed run return a value; recorded in the audit log", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["400", "401", "404", "409", "408", "413", "415", "422", "503"])), json!({"parameters": [run_id.clone(), actor_header()], "requestBody": body("ValueBody", true)}))},
        "/v1/runs/{id}/cancel": {"post": op("Cancel a run (and its sub-flows); recorded in the audit log", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["400", "401", "404", "408", "409", "415", "422", "503"])), json!({"parameters": [run_id, actor_header()], "requestBody": body("CancelBody", false)}))},
        "/v1/runs/{id}/upgrade": {"post": op("Move a waiting run onto a newer version of its program (a live upgrade), when the checker can prove the move safe; with `dryRun`, only ask", "upgrade",
            merge(json!({"200": ok("The verdict: accepted (and, unless a dry run, done) or, for a dry run, refused with the reasons.", "UpgradeVerdict")}), error_responses(&["400", "401", "404", "408", "409", "415", "422", "503"])),
            json!({"parameters": [run_id.clone()], "requestBody": body("UpgradeRequest", true)}))},
        "/v1/runs/upgrade": {"post": op("Live upgrade of every unfinished run of a flow on an older version: each moves when the checker can prove it safe", "upgrade",
            merge(json!({"200": ok("One verdict per run.", "UpgradeReport")}), error_responses(&["400", "401", "404", "408", "415", "422", "503"])),
            json!({"requestBody": body("FlowUpgradeRequest", true)}))},
        "/v1/callbacks/{token}": {"post": op("Complete an awaited call. The token is the credential (no bearer token); it works once", "callbacks",
            merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "404", "409", "408", "413", "415", "422", "503"])),
            json!({"security": [], "parameters": [path_param("token", "The callback token the awaited activity received.")], "requestBody": body("ValueBody", true)}))},
        "/v1/tasks/poll": {"post": op("Lease tasks of the named activities, waiting up to `waitMs` for one", "workers",
            merge(json!({"200": ok("Leased tasks (possibly none).", "TaskList")}), error_responses(&["400", "401", "408", "415", "422"])),
            json!({"requestBody": body("PollRequest", true)}))},
        "/v1/tasks/results": {"post": op("Report several tasks' results and failures in one request (up to 256, RESULTS_PER_REQUEST_MAX), each applied as `/complete` or `/fail` would, answered in order. A malformed result refuses the whole request, nothing applied; a task no longer open is `rejected` in its place while the others are accepted", "workers",
            merge(json!({"200": ok("One answer per result, in order.", "ResultsAnswer")}), error_responses(&["400", "401", "408", "413", "415", "422", "503"])),
            json!({"requestBody": body("ResultsRequest", true)}))},
        "/v1/tasks/{taskId}/complete": {"post": op("Report a task's result", "workers", merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "401", "404", "408", "413", "415", "422", "503"])), json!({"parameters": [task_id.clone()], "requestBody": body("ValueBody", true)}))},
        "/v1/tasks/{taskId}/fail": {"post": op("Report a task's failure", "workers", merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "401", "404", "408", "415", "422", "503"])), json!({"parameters": [task_id.clone()], "requestBody": body("FailRequest", true)}))},
        "/v1/tasks/{taskId}/heartbeat": {"post": op("Extend a task's lease", "workers", merge(json!({"200": ok("The new end of the lease.", "Heartbeat")}), error_responses(&["400", "401", "404", "503"])), json!({"parameters": [task_id]}))}
    });
    merge(
        merge(merge(runs, machine_paths()), event_paths()),
        stream_paths(),
    )
}

/// `POST /v1/tasks/stream`, apart so that no one `json!` nests too deep.
fn stream_paths() -> Value {
    json!({
        "/v1/tasks/stream": {"post": op("Open a task stream: a long-lived answer (chunked `application/x-ndjson`, one JSON object per line) that pushes tasks of the named activities as they are leased: first `{\"stream\": {\"max\", \"heartbeatMs\"}}`, then `{\"tasks\": [Task...]}` lines and, every 5 s without tasks (STREAM_HEARTBEAT), `{\"heartbeat\": time}`. At most `max` tasks are unreported at once (STREAM_TASKS_MAX, 256); each report through `/v1/tasks/results` or the per-task endpoints gives one back. When the stream closes, its unreported tasks are given back at once. Up to 1,024 streams per server (STREAMS_MAX; past it `503 too_many_streams`). Two-way: with `Content-Type: application/x-ndjson` the body's first line is the `StreamRequest` and each further line a report (`ResultsRequest`, applied as `/v1/tasks/results` applies it; or `{\"heartbeats\": [taskId...]}`, 1 to 256 (HEARTBEATS_PER_LINE_MAX), extending leases as `/v1/tasks/{taskId}/heartbeat` does; or both keys in one line), read while the answer streams; an accepted report is not answered, refusals come as `rejected` and `error` lines, and a line over the body limit ends the stream", "workers",
            merge(json!({"200": {"description": "The stream: newline-delimited JSON objects, each a `StreamLine`.", "content": {"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/StreamLine"}}}}}), error_responses(&["400", "401", "408", "413", "415", "422", "503"])),
            json!({"requestBody": {"required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/StreamRequest"}},
                "application/x-ndjson": {"schema": {"description": "A two-way stream: the first line a `StreamRequest`, each further line a `ResultsRequest`, `{\"heartbeats\": [taskId...]}`, or an object with both keys."}}}}}))}
    })
}

/// The paths of events, apart so that no one `json!` nests too deep.
fn event_paths() -> Value {
    json!({
        "/v1/events": {
            "post": op("Take events: each whose id is new is stored, with the runs of the triggers it matches, in one transaction; an id taken before (a retry, a redelivery) is a duplicate and starts nothing. Answers once the new events are durable", "events",
                merge(json!({"200": ok("How many events were new and how many were duplicates.", "IngestOutcome")}), error_responses(&["400", "401", "408", "409", "413", "415", "422", "503"])),
                json!({"requestBody": body("EventsRequest", true)})),
            "get": op("The events taken, newest first, each with the runs its triggers started (or why not)", "events",
                merge(json!({"200": ok("A page of events.", "EventPage")}), error_responses(&["400", "401", "503"])),
                json!({"parameters": [
                    {"name": "before", "in": "query", "description": "The `seq` the page starts before (`nextBefore` of the previous page).", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}}]}))
        },
        "/v1/events/{id}": {"get": op("One event taken, with the runs its triggers started (or why not)", "events",
            merge(json!({"200": ok("The event.", "StoredEvent")}), error_responses(&["401", "404", "503"])), json!({"parameters": [path_param("id", "The event's id (`/` encoded as `%2F`).")]}))},
        "/v1/events/redrive": {
            "post": op("Re-drive an event: each of its triggers whose run could not start (its start records an error) is tried again as the trigger in force now says, with the same idempotency key, so no run starts twice; a trigger that no longer takes the event is dropped from its starts. Answers the event's starts once durable", "events",
                merge(json!({"200": ok("The event's starts as they are now.", "RedriveOutcome")}), error_responses(&["400", "401", "404", "408", "409", "413", "415", "422", "503"])),
                json!({"requestBody": body("RedriveRequest", true)}))
        },
        "/v1/triggers": {"get": op("The triggers in force (`sdk.TaskQueue`), each with what it did over the newest 10,000 events taken (`TRIGGER_EVENTS_SCANNED_MAX`): runs started, starts that failed, its last event and last error", "events",
            merge(json!({"200": ok("The triggers.", "TriggerList")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/triggers/{name}/redrive": {"post": op("Re-drive every event among the newest 10,000 (`TRIGGER_EVENTS_SCANNED_MAX`) whose start by this trigger failed, oldest first, at most 1,000 per request (`REDRIVE_EVENTS_MAX`; `more` says when others are left). Each event is re-driven whole, as `POST /v1/events/redrive` does: same idempotency keys, so no run starts twice. Recorded in the audit log as one `trigger-redrive`, brought up to date after each event", "events",
            merge(json!({"200": ok("What was re-driven and how it went.", "TriggerRedriveOutcome")}), error_responses(&["400", "401", "404", "503"])), json!({"parameters": [path_param("name", "The trigger's name."),
                {"name": "after", "in": "query", "description": "Only events taken after this `seq` (the `next` of the previous answer).", "schema": {"type": "integer"}}]}))},
        "/v1/schedules": {"get": op("The schedules (`sdk.Schedule`): when each fires next, its last fire, counts of fires, skipped and queued fires, and how late a due fire is", "schedules",
            merge(json!({"200": ok("The schedules.", "ScheduleList")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/schedules/{name}/pause": {"post": op("Pause a schedule: it does not fire until resumed", "schedules",
            merge(json!({"200": ok("The schedule.", "Schedule")}), error_responses(&["401", "404", "503"])), json!({"parameters": [path_param("name", "The schedule's name.")]}))},
        "/v1/schedules/{name}/resume": {"post": op("Resume a paused schedule from its next fire time after now (fires missed while paused are not caught up)", "schedules",
            merge(json!({"200": ok("The schedule.", "Schedule")}), error_responses(&["401", "404", "503"])), json!({"parameters": [path_param("name", "The schedule's name.")]}))},
        "/v1/schedules/{name}/trigger": {"post": op("Start a run of the schedule's flow now, whatever its overlap policy; its next fire stays", "schedules",
            merge(json!({"200": ok("The schedule, its last run the one started.", "Schedule")}), error_responses(&["401", "404", "503"])), json!({"parameters": [path_param("name", "The schedule's name.")]}))}
    })
}

fn event_schemas() -> Value {
    json!({
        "Event": {"type": "object", "required": ["id", "type"], "additionalProperties": false, "properties": {
            "id": {"type": "string", "minLength": 1, "maxLength": 256, "description": "Unique per event, chosen by the sender: taken once."},
            "type": {"type": "string", "minLength": 1, "maxLength": 256, "description": "What happened (`created`, `updated`, a domain name)."},
            "subject": {"type": "string", "maxLength": 256, "description": "What it happened to (a machine's name, a table, a topic)."},
            "data": {"description": "The event's body."},
            "source": {"type": "string", "maxLength": 256, "description": "Where it came from."}}},
        "EventsRequest": {"type": "object", "required": ["events"], "additionalProperties": false, "properties": {
            "events": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/Event"}}}},
        "IngestOutcome": {"type": "object", "required": ["accepted", "duplicates"], "properties": {
            "accepted": {"type": "integer", "description": "Events whose id was new: stored, their triggers' runs started."},
            "duplicates": {"type": "integer", "description": "Events whose id was taken before: nothing new started."}}},
        "RedriveRequest": {"type": "object", "required": ["id"], "additionalProperties": false, "properties": {
            "id": {"type": "string", "description": "The event's id, as it was posted."}}},
        "RedriveOutcome": {"type": "object", "properties": {
            "id": {"type": "string"},
            "starts": {"type": "array", "items": {"$ref": "#/components/schemas/TriggerStart"}}}},
        "TriggerRedriveOutcome": {"type": "object", "properties": {
            "trigger": {"type": "string"},
            "redriven": {"type": "integer", "description": "Events re-driven."},
            "runsStarted": {"type": "integer", "description": "Runs this trigger has now for those events."},
            "stillFailing": {"type": "integer", "description": "This trigger's starts that failed again."},
            "more": {"type": "boolean", "description": "Events with a failed start are left (more than one request re-drives, or it stopped on `error`): send it again with `after` = `next`."},
            "next": {"type": "integer", "nullable": true, "description": "When `more`: the `seq` of the last event re-driven, for `after`."},
            "auditId": {"type": "integer", "description": "Its record in the audit log."},
            "error": {"type": "string", "description": "Present when a re-drive failed (a store error, the node stopping): the request stopped there; what it did before is done and on record."},
            "scanComplete": {"type": "boolean", "description": "False when more events were taken than the scan reads: older failed starts are re-driven one event at a time."},
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/RedriveOutcome"}}}},
        "TriggerStart": {"type": "object", "properties": {
            "trigger": {"type": "string"}, "flow": {"type": "string"},
            "runId": {"type": "string", "nullable": true, "description": "The run the trigger started."},
            "error": {"type": "string", "nullable": true, "description": "Why no run started."}}},
        "StoredEvent": {"type": "object", "properties": {
            "seq": {"type": "integer", "description": "Its position in commit order."},
            "id": {"type": "string"}, "type": {"type": "string"},
            "subject": {"type": "string", "nullable": true}, "data": {},
            "source": {"type": "string", "nullable": true},
            "receivedAt": {"type": "integer", "description": "When it was taken (epoch ms)."},
            "starts": {"type": "array", "items": {"$ref": "#/components/schemas/TriggerStart"}}}},
        "TriggerList": {"type": "object", "properties": {
            "eventsScanned": {"type": "integer", "description": "Events read, newest first, for the counts (at most 10,000)."},
            "countsComplete": {"type": "boolean", "description": "The counts cover every event taken (false: only the newest `eventsScanned`)."},
            "triggers": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "types": {"type": "array", "items": {"type": "string"}},
            "subject": {"type": "string", "nullable": true, "description": "The subject an event must have (`where` as a text)."},
            "where": {"type": "string", "nullable": true, "description": "The trigger's condition over `event` as written (`event.data.score > 3`); null when it has none."},
            "flow": {"type": "string"}, "version": {"type": "integer"},
            "runsStarted": {"type": "integer", "description": "Runs it started over the events scanned."},
            "startsFailed": {"type": "integer", "description": "Events it matched but could not start a run for, over the events scanned."},
            "lastEvent": {"type": "object", "nullable": true, "properties": {"id": {"type": "string"}, "receivedAt": {"type": "integer"}, "runId": {"type": "string", "nullable": true}, "error": {"type": "string", "nullable": true}}},
            "lastError": {"type": "object", "nullable": true, "properties": {"eventId": {"type": "string"}, "at": {"type": "integer", "description": "When that event was taken (epoch ms)."}, "message": {"type": "string"}}}}}}}},
        "Schedule": {"type": "object", "properties": {
            "name": {"type": "string"}, "flow": {"type": "string"}, "version": {"type": "integer"},
            "spec": {"type": "object", "description": "What the declaration says: `when` ({cron: {pattern, timezone}}, {every: {ms}} or {at: {ms}}), `input`, `overlap`, `catchup`, `catchupMax`."},
            "nextAt": {"type": "integer", "nullable": true, "description": "When it fires next (epoch ms); null when never again."},
            "paused": {"type": "boolean"}, "retired": {"type": "boolean", "description": "No deployed version declares it any more."},
            "lastFireAt": {"type": "integer", "nullable": true}, "lastRunId": {"type": "string", "nullable": true},
            "lastError": {"type": "string", "nullable": true}, "fires": {"type": "integer"}, "skipped": {"type": "integer"}, "queued": {"type": "integer"},
            "updatedAt": {"type": "integer"},
            "lagMs": {"type": "integer", "nullable": true, "description": "How late its next fire is (0 when not yet due)."}}},
        "RunOrigin": {"type": "object", "description": "`GET /v1/runs/{id}` only: what started the run, read from its idempotency key and confirmed by the stored event or schedule. An event's trigger: `{kind: \"event\", trigger, event: {id, type, subject, source, receivedAt}}`; a schedule: `{kind: \"schedule\", schedule, fire: \"scheduled\" | \"queued\" | \"now\", fireAt}` (epoch ms).", "properties": {
                "kind": {"type": "string", "enum": ["event", "schedule"]}, "trigger": {"type": "string"},
                "event": {"type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "subject": {"type": "string", "nullable": true}, "source": {"type": "string", "nullable": true}, "receivedAt": {"type": "integer"}}},
                "schedule": {"type": "string"}, "fire": {"type": "string", "enum": ["scheduled", "queued", "now"]}, "fireAt": {"type": "integer"}}},
        "ScheduleList": {"type": "object", "properties": {"schedules": {"type": "array", "items": {"$ref": "#/components/schemas/Schedule"}}}},
        "EventPage": {"type": "object", "properties": {
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/StoredEvent"}},
            "nextBefore": {"type": "string", "nullable": true, "description": "Pass as `before` for the next page; null on the last."}}}
    })
}

/// The machines' paths, apart so that no one `json!` nests too deep.
fn machine_paths() -> Value {
    let machine = path_param("machine", "The machine's name.");
    let key = path_param("key", "The instance's key.");
    json!({
        "/v1/machines": {"get": op("The deployed machines, their versions and the commands of the newest", "machines",
            merge(json!({"200": ok("The machines.", "MachineList")}), error_responses(&["401", "503"])), json!({}))},
        "/v1/machines/{machine}": {"get": op("The instances whose state fits `where`, in key order, paged. A page examines at most 10,000 instances and may then hold fewer than `limit` items, with `next` to go on from", "machines",
            merge(json!({"200": ok("A page of instances.", "InstancePage")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [machine.clone(),
                {"name": "where", "in": "query", "description": "An expression of the flow language over `state`, `key` and `version`: comparisons with values joined by `&&`, `||` and `!` (e.g. `state.total > 10 && state.kind == \"email\"`). Equalities and ranges on state fields up to 3 deep are answered from an index.", "schema": {"type": "string", "maxLength": 4096}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
                {"name": "cursor", "in": "query", "description": "`next` of the previous page.", "schema": {"type": "string"}}]}))},
        "/v1/machines/{machine}/{key}": {"get": op("An instance: its state and version (the number of commands applied)", "machines",
            merge(json!({"200": ok("The instance.", "Instance")}), error_responses(&["401", "404", "503"])),
            json!({"parameters": [machine.clone(), key.clone()]}))},
        "/v1/machines/{machine}/{key}/{command}": {"post": op("Send a command to an instance. Commands to one instance are applied one at a time in arrival order; the same `commandId` again is the same command and gets its first answer. Answers once the command is applied (or `wait` ends: 202)", "machines",
            merge(json!({"200": ok("Applied: the instance as the command left it.", "CommandAnswer"), "202": ok("Not applied yet when `wait` ended; follow it at `/v1/machines/{machine}/{key}/commands/{commandId}`.", "CommandPending")}), error_responses(&["400", "401", "404", "408", "409", "413", "415", "422", "429", "503"])),
            json!({"parameters": [machine.clone(), key.clone(), path_param("command", "The command's name.")], "requestBody": body("CommandRequest", false)}))},
        "/v1/machines/{machine}/{key}/history": {"get": op("An instance's finished commands in order, each with the version and state it made, or why it was refused", "machines",
            merge(json!({"200": ok("A page of the history.", "CommandPage")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [machine.clone(), key.clone(),
                {"name": "after", "in": "query", "description": "The `seq` the page starts after (`next` of the previous page).", "schema": {"type": "integer", "minimum": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}}]}))},
        "/v1/machines/{machine}/{key}/commands/{commandId}": {"get": op("One command of an instance, by its command id", "machines",
            merge(json!({"200": ok("The command.", "Command")}), error_responses(&["401", "404", "503"])),
            json!({"parameters": [machine, key, path_param("commandId", "The command's id.")]}))}
    })
}

/// The schemas of the operators' endpoints (search, bulk repair, the
/// audit log, workers and queues, time travel), apart so that no one
/// `json!` nests too deep.
fn ops_schemas() -> Value {
    json!({
        "BulkRequest": {"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": ["retry", "cancel", "resolve"]},
            "query": {"type": "object", "description": "The parameters of GET /v1/runs but `limit` and `cursor`, as strings, numbers or booleans.", "additionalProperties": true},
            "value": {"description": "For `resolve`: what the failed calls return."},
            "reason": {"type": "string", "description": "For `cancel`."},
            "dryRun": {"type": "boolean", "default": false, "description": "Count and show a sample; change nothing."}}},
        "BulkResult": {"type": "object", "required": ["matched", "applied"], "properties": {
            "matched": {"type": "integer"}, "applied": {"type": "integer"}, "failed": {"type": "integer"},
            "action": {"type": "string"}, "dryRun": {"type": "boolean"}, "exact": {"type": "boolean"},
            "sample": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}, "description": "Dry run: the first runs it would act on."},
            "auditId": {"type": "integer", "description": "Its record in the audit log (GET /v1/audit/{id})."},
            "done": {"type": "boolean"},
            "failures": {"type": "array", "items": {"type": "object", "properties": {"run": {"type": "string"}, "error": {"type": "string"}}}, "description": "The first runs it could not act on, and why."}}},
        "AuditEntry": {"type": "object", "properties": {
            "id": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"}, "action": {"type": "string", "description": "retry, resolve, cancel, fork, bulk-retry, bulk-cancel, bulk-resolve."},
            "detail": {"type": "object", "description": "The action's parameters: a bulk action's query, a value, a reason, a fork's step.", "additionalProperties": true},
            "matched": {"type": "integer"}, "applied": {"type": "integer"}, "failed": {"type": "integer"},
            "done": {"type": "boolean"}, "doneAt": {"type": "string", "nullable": true},
            "runs": {"type": "array", "items": {"type": "string"}, "description": "GET /v1/audit/{id} only: the runs it applied to (the first 1,000)."},
            "failures": {"type": "array", "items": {"type": "object", "properties": {"run": {"type": "string"}, "error": {"type": "string"}}}}}},
        "AuditPage": {"type": "object", "properties": {"actions": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}, "nextBefore": {"type": "integer", "nullable": true}}},
        "Queues": {"type": "object", "properties": {"pollerStale": {"type": "string"}, "queues": {"type": "array", "items": {"type": "object", "required": ["activity", "ready", "leased", "pollers"], "properties": {
            "activity": {"type": "string"}, "kind": {"type": "string", "enum": ["pull", "push", "http", "grpc", "wasm"]},
            "ready": {"type": "integer", "description": "Tasks waiting for a worker."}, "leased": {"type": "integer"},
            "pollers": {"type": "integer", "description": "Workers that polled for it (in the last day)."},
            "lastPoll": {"type": "string", "nullable": true}, "stalled": {"type": "boolean"}, "message": {"type": "string"}}}}}},
        "Workers": {"type": "object", "properties": {"pollerStale": {"type": "string"},
            "workers": {"type": "array", "items": {"type": "object", "properties": {"worker": {"type": "string"}, "node": {"type": "string"}, "lastPoll": {"type": "string"}, "active": {"type": "boolean"}, "activities": {"type": "array", "items": {"type": "object", "properties": {"activity": {"type": "string"}, "lastPoll": {"type": "string"}}}}}}},
            "endpoints": {"type": "array", "items": {"type": "object", "properties": {"activity": {"type": "string"}, "kind": {"type": "string"}, "target": {"type": "string"}, "ok": {"type": "integer"}, "failed": {"type": "integer"}, "lastOk": {"type": "string", "nullable": true}, "lastFailure": {"type": "object", "nullable": true, "properties": {"at": {"type": "string"}, "error": {"type": "string"}}}, "healthy": {"type": "boolean"}}}}}},
        "ForkRequest": {"type": "object", "required": ["step"], "properties": {"step": {"type": "integer", "minimum": 1}, "version": {"type": "integer", "description": "The version to fork onto: the run's version at the step (the default), or a newer version of its flow (the live upgrade's rule decides)."}}},
        "RunStep": {"type": "object", "properties": {
            "runId": {"type": "string"}, "step": {"type": "integer"}, "steps": {"type": "integer", "description": "Steps in the run's journal."},
            "at": {"type": "string", "nullable": true}, "status": {"$ref": "#/components/schemas/Status"},
            "positions": {"type": "array", "items": {"type": "object", "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "col": {"type": "integer"}, "sourceLine": {"type": "string"}}}},
            "fibers": {"type": "array", "items": {"type": "object", "properties": {"fiber": {"type": "integer"}, "wait": {"type": "string"}, "frames": {"type": "array", "items": {"type": "object", "properties": {"function": {"type": "string"}, "location": {"type": "object", "nullable": true}, "variables": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "value": {}}}}}}}}}},
            "waitingFor": {"type": "array", "items": {"$ref": "#/components/schemas/Wait"}},
            "entries": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
            "result": {}, "error": {"type": "object"}}},
        "RunExport": {"type": "object", "properties": {"run": {"$ref": "#/components/schemas/Run"}, "exportedAt": {"type": "string"}, "steps": {"type": "array", "items": {"type": "object", "properties": {"step": {"type": "integer"}, "at": {"type": "string", "nullable": true}, "cause": {"type": "object", "nullable": true}, "entries": {"type": "array", "items": {"type": "object", "additionalProperties": true}}}}}}}
    })
}

fn schemas() -> Value {
    let more = json!({
        "Sources": {"type": "object", "required": ["sources"], "properties": {"sources": {"type": "array", "items": {"type": "object", "required": ["name", "kind", "accepted", "duplicates"], "properties": {
            "name": {"type": "string"}, "kind": {"type": "string", "enum": ["http", "postgres", "nats", "redis"]},
            "lastPoll": {"type": "string", "nullable": true, "description": "The last successful read of the source."},
            "lastEvent": {"type": "string", "nullable": true, "description": "When it last handed events to the engine."},
            "error": {"type": "object", "nullable": true, "description": "The last failure, until the next success.", "properties": {"at": {"type": "string"}, "message": {"type": "string"}}},
            "lag": {"type": "integer", "nullable": true, "description": "Items known to wait: JetStream's pending count, a Redis group's lag; a pull source: 1 when its last poll was a full page, else 0."},
            "accepted": {"type": "integer", "description": "New events it delivered since this node started."},
            "duplicates": {"type": "integer", "description": "Events it delivered whose id was taken before (redeliveries)."},
            "cursor": {"type": "string", "nullable": true, "description": "A pull source's cursor after its last poll."}}}}}},
        "DeclaredActivities": {"type": "object", "properties": {"version": {"type": "integer"}, "activities": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "declared": {"type": "boolean", "description": "False when the declaration gives no result type."}, "returns": {"type": "string", "description": "The result type as written (of the callback's value under `await`)."}, "example": {"description": "A value of that shape: each field with an empty value of its type."}, "exampleText": {"type": "string", "nullable": true, "description": "The example as indented JSON text, fields in declared order."}}}}}}
    });
    merge(
        merge(
            merge(merge(run_schemas(), machine_schemas()), ops_schemas()),
            event_schemas(),
        ),
        more,
    )
}

fn machine_schemas() -> Value {
    json!({
        "MachineList": {"type": "object", "properties": {"machines": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "latestVersion": {"type": "integer"}, "versions": {"type": "array", "items": {"type": "integer"}}, "commands": {"type": "array", "items": {"type": "string"}}}}}}},
        "Instance": {"type": "object", "required": ["key", "state", "version"], "properties": {"key": {"type": "string"}, "state": {"description": "The instance's state."}, "version": {"type": "integer", "description": "How many commands have been applied."}, "createdAt": {"type": "string"}, "updatedAt": {"type": "string"}}},
        "InstancePage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Instance"}}, "next": {"type": "string", "nullable": true}}},
        "CommandRequest": {"type": "object", "properties": {"input": {"description": "The command's input; checked against what the command takes."}, "commandId": {"type": "string", "maxLength": 256, "description": "The same id again is the same command: it is applied once, and every send gets its answer. Made by the server when absent."}, "wait": {"description": "How long to wait for the command to be applied: a duration such as \"10s\" or milliseconds (default 30s, at most 5 minutes).", "oneOf": [{"type": "string"}, {"type": "integer"}]}}},
        "CommandAnswer": {"type": "object", "required": ["key", "state", "version"], "properties": {"key": {"type": "string"}, "state": {}, "version": {"type": "integer"}, "commandId": {"type": "string"}, "seq": {"type": "integer"}}},
        "CommandPending": {"type": "object", "required": ["key", "commandId", "status"], "properties": {"key": {"type": "string"}, "commandId": {"type": "string"}, "status": {"type": "string", "enum": ["queued", "running"]}}},
        "Command": {"type": "object", "required": ["seq", "command", "commandId", "input", "status", "createdAt"], "properties": {
            "seq": {"type": "integer", "description": "Its place among the instance's commands, from 1."},
            "command": {"type": "string"}, "commandId": {"type": "string"}, "input": {},
            "status": {"type": "string", "enum": ["queued", "running", "applied", "refused"]},
            "runId": {"type": "string", "description": "The run of its handler."},
            "version": {"type": "integer", "description": "When applied: the version it made."},
            "state": {"description": "When applied: the state it made."},
            "error": {"description": "When refused: why."},
            "createdAt": {"type": "string"}, "finishedAt": {"type": "string"}}},
        "CommandPage": {"type": "object", "properties": {"key": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/Command"}}, "next": {"type": "string", "nullable": true}}}
    })
}

fn run_schemas() -> Value {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let schemas = json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": codes, "description": "Stable, machine-readable; docs/api-errors.md says when each is sent and what to do."},
            "message": {"type": "string"},
            "reason": {"description": "For command_refused: what the handler passed to `fail`."},
            "commandId": {"type": "string", "description": "For command_refused: the command's id."},
            "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}, "description": "For check_failed: the checker's findings; for plan_refused: the deployment plan's."},
            "reasons": {"type": "array", "items": {"type": "string"}, "description": "For upgrade_refused: why the run cannot move, one sentence each."},
            "verdict": {"$ref": "#/components/schemas/UpgradeVerdict", "description": "For upgrade_refused: the whole verdict."}}}}},
        "Status": {"type": "string", "enum": ["running", "waiting", "failed", "completed", "cancelled"]},
        "Diagnostic": {"type": "object", "properties": {"file": {"type": "string"}, "severity": {"type": "string", "enum": ["error", "warning"]}, "code": {"type": "string"}, "message": {"type": "string"}, "line": {"type": "integer"}, "col": {"type": "integer"}, "endLine": {"type": "integer"}, "endCol": {"type": "integer"}, "help": {"type": "string", "nullable": true}, "rendered": {"type": "string"}}},
        "DeployRequest": {"type": "object", "description": "Either `source` (one file, named `name`) or `files`. Files whose names end in `.proto` are the `.proto` files of the program's `@grpc` bindings (named as they are imported); they are compiled and checked against the bindings, never parsed as Weft.", "properties": {"source": {"type": "string"}, "name": {"type": "string"}, "files": {"type": "array", "items": {"type": "object", "required": ["name", "text"], "properties": {"name": {"type": "string"}, "text": {"type": "string"}}}}}},
        "Deployment": {"type": "object", "required": ["version", "flows"], "properties": {"version": {"type": "integer"}, "flows": {"type": "array", "items": {"type": "string"}}, "machines": {"type": "array", "items": {"type": "string"}, "description": "The machines the program declares (absent when none)."}, "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
        "ActivityList": {"type": "object", "required": ["activities"], "properties": {
            "plan": {"type": "string", "nullable": true, "description": "The plan file the server was started with."},
            "activities": {"type": "array", "items": {"type": "object", "required": ["name", "ready", "inFlight", "oldestReadySeconds"], "properties": {
                "name": {"type": "string"},
                "placement": {"type": "object", "nullable": true, "description": "Where the plan places it (none without a plan, or when no placement names it).", "properties": {
                    "kind": {"type": "string", "enum": ["wasm", "worker", "push", "http", "grpc"]},
                    "target": {"type": "string", "description": "The component, worker group, URL or binding."},
                    "place": {"type": "integer", "description": "The placement's number in the plan, from 1."},
                    "concurrency": {"type": "integer", "nullable": true}, "rate": {"type": "string", "nullable": true},
                    "timeout": {"type": "string", "nullable": true}, "memory": {"type": "string", "nullable": true}}},
                "ready": {"type": "integer"}, "inFlight": {"type": "integer"}, "oldestReadySeconds": {"type": "number"}}}}}},
        "FlowList": {"type": "object", "properties": {"flows": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "latestVersion": {"type": "integer"}, "versions": {"type": "array", "items": {"type": "integer"}}, "subflows": {"type": "array", "items": {"type": "string"}, "description": "The inline sub-flows of its newest version: their runs have their own flow names."}}}}}},
        "Flow": {"type": "object", "properties": {"name": {"type": "string"}, "latestVersion": {"type": "integer"}, "source": {"type": "string", "description": "The newest source of the file defining it."}, "versions": {"type": "array", "items": {"type": "object", "properties": {"version": {"type": "integer"}, "createdAt": {"type": "string"}, "flows": {"type": "array", "items": {"type": "string"}}, "files": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "text": {"type": "string"}}}}}}}}},
        "StartRequest": {"type": "object", "required": ["flow"], "properties": {"flow": {"type": "string"}, "input": {"description": "Any JSON; bound to the flow's parameters."}, "idempotencyKey": {"type": "string", "maxLength": 256, "description": "A second start with the same key returns the same run."}, "wait": {"description": "A duration such as \"10s\" (or milliseconds): return the finished run, or the run as it stands when the wait ends (at most 5 minutes).", "oneOf": [{"type": "string"}, {"type": "integer"}]}}},
        "Run": {"type": "object", "required": ["id", "flow", "version", "status", "input", "createdAt", "updatedAt"], "properties": {
            "id": {"type": "string"}, "flow": {"type": "string"}, "version": {"type": "integer"}, "status": {"$ref": "#/components/schemas/Status"},
            "input": {}, "result": {"description": "When completed."},
            "error": {"type": "object", "description": "When failed: what failed and where. `code` is `unreadable_state` or `unreadable_program` for a run this build cannot read, `engine_panic` for one whose step panicked (parked until a build that reads it, or does not panic on it, starts; see docs/operating.md).", "properties": {"code": {"type": "string", "enum": ["unreadable_state", "unreadable_program", "engine_panic"]}, "message": {"type": "string"}, "location": {"type": "object", "nullable": true, "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "col": {"type": "integer"}, "sourceLine": {"type": "string"}}}}},
            "waitingFor": {"type": "array", "items": {"$ref": "#/components/schemas/Wait"}},
            "parent": {"type": "string", "description": "The parent run of a sub-flow."},
            "position": {"type": "string", "description": "`file:line` where the run stands."},
            "idempotencyKey": {"type": "string"},
            "forkedFrom": {"type": "string", "description": "The run this one was forked from."},
            "startedBy": {"$ref": "#/components/schemas/RunOrigin"},
            "failedChild": {"type": "object", "description": "The run waits for a sub-flow that failed (and waits for an operator).", "properties": {"runId": {"type": "string"}, "flow": {"type": "string"}, "message": {"type": "string"}}},
            "stalled": {"type": "object", "description": "The run waits on a pull activity no worker has polled for a while.", "properties": {"activity": {"type": "string"}, "lastPoll": {"type": "string", "nullable": true}, "message": {"type": "string"}}},
            "createdAt": {"type": "string"}, "updatedAt": {"type": "string"}}},
        "Wait": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["activity", "timer", "child"]}, "activity": {"type": "string"}, "callId": {"type": "string"}, "callback": {"type": "boolean"}, "acknowledged": {"type": "boolean", "description": "An awaited call the activity took: only its callback is awaited."}, "token": {"type": "string", "nullable": true}, "until": {"type": "string", "nullable": true}, "runId": {"type": "string"}, "flow": {"type": "string"}}},
        "RunCounts": {"type": "object", "properties": {"counts": {"type": "object", "description": "Status → runs.", "additionalProperties": {"type": "integer"}}, "capped": {"type": "array", "items": {"$ref": "#/components/schemas/Status"}}, "flows": {"type": "array", "items": {"type": "object", "properties": {"flow": {"type": "string"}, "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}},
        "ProgramVersion": {"type": "object", "properties": {"version": {"type": "integer"}, "createdAt": {"type": "string"}, "flows": {"type": "array", "items": {"type": "string"}}, "files": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "text": {"type": "string"}}}}}},
        "FlowGraph": {"type": "object", "properties": {
            "flow": {"type": "string"}, "version": {"type": "integer"}, "file": {"type": "string", "description": "The file that defines the flow."},
            "nodes": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "label", "line", "flow"], "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string", "enum": ["start", "end", "call", "await", "timer", "flow", "subflow", "closure", "compensate", "branch", "loop", "parallel", "join", "return"]},
                "label": {"type": "string"}, "detail": {"type": "string"}, "line": {"type": "integer"},
                "flow": {"type": "string", "description": "The flow whose runs stand here: the flow, or an inline sub-flow."},
                "target": {"type": "string", "description": "For `flow` and `subflow` nodes: the flow the child run runs."}}}},
            "edges": {"type": "array", "items": {"type": "object", "required": ["from", "to"], "properties": {"from": {"type": "string"}, "to": {"type": "string"}, "label": {"type": "string"}, "back": {"type": "boolean", "description": "An edge back to a loop's head."}}}},
            "counts": {"type": "object", "description": "Node id → non-terminal runs standing there.", "additionalProperties": {"type": "integer"}},
            "countsByStatus": {"type": "object", "description": "Node id → status → runs.", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "unplaced": {"type": "integer", "description": "Runs whose position is on no node."},
            "capped": {"type": "boolean", "description": "More than 10,000 runs: the counts are of the first 10,000 read."}}},
        "RunPage": {"type": "object", "properties": {"runs": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}}, "nextCursor": {"type": "string", "nullable": true},
            "total": {"type": "integer", "description": "Every run that matches (not only this page); exact unless `exact` is false."},
            "exact": {"type": "boolean", "description": "False when a condition evaluated outside SQL stopped at 100,000 runs read (SEARCH_SCAN_RUNS_MAX): `total` and the page are of the runs read."},
            "scanned": {"type": "integer", "description": "Runs a condition evaluated outside SQL read (absent when SQL evaluated every condition)."}}},
        "Journal": {"type": "object", "properties": {"runId": {"type": "string"}, "entries": {"type": "array", "items": {"type": "object", "required": ["type", "at", "step"], "properties": {"type": {"type": "string"}, "at": {"type": "string"}, "step": {"type": "integer"}}, "additionalProperties": true}},
            "nextCursor": {"type": "string", "nullable": true, "description": "Pass as `cursor` for the next page; null on the last page."},
            "droppedSteps": {"type": "integer", "description": "On the first page: journal steps no longer kept (a run keeps its newest 10,000 steps)."}}},
        "Readiness": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ready", "unready"]},
            "checks": {"type": "object", "properties": {"coreHeartbeatAgeMs": {"type": "integer", "nullable": true}, "lastCommitAgeMs": {"type": "integer", "nullable": true}, "commitInFlightMs": {"type": "integer", "nullable": true}, "lastCommitError": {"type": "string", "nullable": true}, "storeReachable": {"type": "boolean"}, "connections": {"type": "integer"}}},
            "error": {"type": "object", "properties": {"code": {"type": "string", "enum": [Code::NotReady.as_str()]}, "message": {"type": "string"}}}}},
        "ValueBody": {"type": "object", "required": ["value"], "properties": {"value": {"description": "Any JSON."}}},
        "CancelBody": {"type": "object", "properties": {"reason": {"type": "string"}}},
        "Accepted": {"type": "object", "properties": {"status": {"type": "string", "enum": ["accepted"]}}},
        "PollRequest": {"type": "object", "required": ["activities"], "properties": {"activities": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 100}, "worker": {"type": "string"}, "max": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1}, "waitMs": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 0}}},
        "Task": {"type": "object", "required": ["taskId", "callId", "runId", "activity", "args", "attempt", "deadline"], "properties": {
            "taskId": {"type": "string"}, "callId": {"type": "string", "description": "Unique to the operation, stable across attempts: deduplicate on it."},
            "runId": {"type": "string"}, "activity": {"type": "string"}, "args": {"type": "array", "items": {}},
            "attempt": {"type": "integer"}, "deadline": {"type": "string", "description": "When the lease ends unless the worker heartbeats."},
            "callbackToken": {"type": "string", "description": "For calls under `await`: post the result to /v1/callbacks/{token}."}}},
        "TaskList": {"type": "object", "properties": {"tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}}},
        "FailRequest": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "retryable": {"type": "boolean", "default": true}}},
        "Heartbeat": {"type": "object", "properties": {"deadline": {"type": "string"}}}
    });
    merge(
        merge(merge(schemas, upgrade_schemas()), results_schemas()),
        json!({
            "StreamRequest": {"type": "object", "required": ["activities"], "properties": {"activities": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 100}, "worker": {"type": "string"}, "max": {"type": "integer", "minimum": 1, "maximum": 256, "default": 1, "description": "Most tasks the worker holds unreported (its credit)."}}},
            "StreamLine": {"type": "object", "description": "One line of a task stream: exactly one of its fields.", "properties": {
                "stream": {"type": "object", "properties": {"max": {"type": "integer"}, "heartbeatMs": {"type": "integer"}, "heartbeatLines": {"type": "boolean", "description": "Two-way streams: report lines may carry `heartbeats` (absent on servers older than that)."}}},
                "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
                "heartbeat": {"type": "string", "description": "The server's time."},
                "rejected": {"type": "array", "description": "Two-way streams: the results and heartbeats of a report line whose tasks were no longer open (the others were applied); a running task named here may stop.", "items": {"type": "object", "properties": {"taskId": {"type": "string"}, "status": {"type": "string", "enum": ["rejected"]}, "heartbeat": {"type": "boolean", "description": "Present and true when the refused report was a heartbeat."}, "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}},
                "error": {"type": "object", "description": "Two-way streams: a report line that was not applied (`report line N: ...`), or one over the body limit (the stream then ends).", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
        }),
    )
}

/// The schemas of `POST /v1/tasks/results` (apart: one `json!` of every
/// schema nests past the macro's recursion limit).
fn results_schemas() -> Value {
    json!({
        "ResultsRequest": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "minItems": 1, "maxItems": 256, "items": {"type": "object", "required": ["taskId"], "description": "`value` for a result, or `error` (with `retryable`, default true) for a failure.", "properties": {"taskId": {"type": "string"}, "value": {}, "error": {"type": "string"}, "retryable": {"type": "boolean", "default": true}}}}}},
        "ResultsAnswer": {"type": "object", "properties": {"results": {"type": "array", "items": {"type": "object", "properties": {"taskId": {"type": "string"}, "status": {"type": "string", "enum": ["accepted", "rejected"]}, "error": {"type": "object", "description": "Why a result was rejected: the code and message `/complete` would have answered.", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}}
    })
}

/// The schemas of live upgrades (apart: one `json!` of every schema
/// passes the macro's recursion limit).
fn upgrade_schemas() -> Value {
    json!({
        "UpgradeRequest": {"type": "object", "required": ["version"], "properties": {"version": {"type": "integer", "description": "The program version to move to (newer than the run's)."}, "dryRun": {"type": "boolean", "default": false, "description": "Only check: the verdict, and nothing changes."}, "by": {"type": "string", "maxLength": 200, "description": "Who asks, for the run's journal (default `api`)."}}},
        "FlowUpgradeRequest": {"type": "object", "required": ["flow", "version"], "properties": {"flow": {"type": "string"}, "version": {"type": "integer"}, "dryRun": {"type": "boolean", "default": false}, "by": {"type": "string", "maxLength": 200}}},
        "UpgradePlace": {"type": "object", "properties": {"function": {"type": "string"}, "pc": {"type": "integer"}, "line": {"type": "integer"}}},
        "UpgradeVerdict": {"type": "object", "required": ["runId", "flow", "from", "to", "accepted", "upgraded", "dryRun", "reasons"], "properties": {
            "runId": {"type": "string"}, "flow": {"type": "string"}, "from": {"type": "integer", "description": "The run's version before."}, "to": {"type": "integer"},
            "accepted": {"type": "boolean", "description": "The checker proved the move safe."}, "upgraded": {"type": "boolean", "description": "The run now runs on `to`."}, "dryRun": {"type": "boolean"},
            "reasons": {"type": "array", "items": {"type": "string"}, "description": "Why it was refused, one sentence each, naming lines."},
            "moves": {"type": "array", "description": "Per fiber (0 is the flow, others parallel branches), where each frame stood and stands.", "items": {"type": "object", "properties": {"fiber": {"type": "integer"}, "frames": {"type": "array", "items": {"type": "object", "properties": {
                "from": {"$ref": "#/components/schemas/UpgradePlace"}, "to": {"$ref": "#/components/schemas/UpgradePlace"},
                "variables": {"type": "array", "items": {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}}}}}}}}}},
            "notes": {"type": "array", "items": {"type": "string"}}}},
        "UpgradeReport": {"type": "object", "required": ["flow", "version", "runs", "upgraded", "refused", "more"], "properties": {
            "flow": {"type": "string"}, "version": {"type": "integer"}, "dryRun": {"type": "boolean"},
            "runs": {"type": "array", "items": {"$ref": "#/components/schemas/UpgradeVerdict"}},
            "upgraded": {"type": "integer"}, "refused": {"type": "integer"},
            "more": {"type": "boolean", "description": "More runs are left than one request handles (UPGRADE_RUNS_MAX): ask again."}}}
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::document;
    use crate::api::ROUTES;

    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    /// Every (METHOD, path) the document describes.
    fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("a path item") {
                assert!(
                    METHODS.contains(&method.as_str()),
                    "{path}: `{method}` is not an HTTP method"
                );
                out.push((method.to_uppercase(), path.clone(), op));
            }
        }
        out
    }

    #[test]
    fn the_document_lists_exactly_the_routes() {
        let doc = document();
        let documented: BTreeSet<(String, String)> = operations(&doc)
            .into_iter()
            .map(|(m, p, _)| (m, p))
            .collect();
        let routed: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(routed.len(), ROUTES.len(), "ROUTES has duplicates");
        let missing: Vec<_> = routed.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&routed).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "routes missing from the document: {missing:?}; documented but not routed: {extra:?}"
        );
    }

    /// Every `$ref` in `v`, with where it was found.
    fn refs<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    if k == "$ref" {
                        out.push((at.clone(), x.as_str().expect("a $ref is text")));
                    } else {
                        refs(x, format!("{at}/{k}"), out);
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    refs(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_document_is_well_formed_openapi_3() {
        let doc = document();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert!(doc["info"]["title"].is_string());
        assert!(doc["info"]["version"].is_string());
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");

        // Every reference resolves to a schema.
        let mut found = Vec::new();
        refs(&doc, String::new(), &mut found);
        assert!(found.len() > 20, "{found:?}");
        for (at, r) in &found {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{at}: {r} is not a schema reference"));
            assert!(schemas.contains_key(name), "{at}: {r} does not resolve");
        }
        // And every schema is used.
        for name in schemas.keys() {
            let r = format!("#/components/schemas/{name}");
            assert!(
                found.iter().any(|(_, x)| *x == r),
                "schema {name} is never referenced"
            );
        }

        // Security requirements name declared schemes.
        let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
        let mut requirements: Vec<&Value> = vec![&doc["security"]];
        for (_, _, op) in operations(&doc) {
            if let Some(s) = op.get("security") {
                requirements.push(s);
            }
        }
        for req in requirements {
            for alt in req.as_array().expect("a list of requirements") {
                for scheme in alt.as_object().unwrap().keys() {
                    assert!(schemes.contains_key(scheme), "unknown scheme {scheme}");
                }
            }
        }

        for (method, path, op) in operations(&doc) {
            let here = format!("{method} {path}");
            assert!(op["summary"].is_string(), "{here}: no summary");
            // Responses: a success, and descriptions (required by OpenAPI).
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|c| c.starts_with('2')),
                "{here}: no 2xx"
            );
            for (code, r) in responses {
                assert!(
                    code.len() == 3 && code.parse::<u16>().is_ok(),
                    "{here}: {code}"
                );
                assert!(
                    r["description"].is_string(),
                    "{here} {code}: no description"
                );
            }
            // Path templates and path parameters agree.
            let templated: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let params: BTreeSet<&str> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(p["required"], true, "{here}: path parameters are required");
                    p["name"].as_str().unwrap()
                })
                .collect();
            assert_eq!(templated, params, "{here}");
            // A request body has content.
            if let Some(b) = op.get("requestBody") {
                assert!(
                    b["content"].is_object(),
                    "{here}: requestBody without content"
                );
                assert!(method != "GET", "{here}: a GET with a body");
            }
        }
    }
}

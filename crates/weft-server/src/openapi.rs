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
            "404" => "No such flow, run, task or token.",
            "409" => "The action does not apply to the run as it stands (e.g. retrying a run that is not failed), or the callback was already completed.",
            "413" => "The body or a payload in it is larger than the limit.",
            "415" => "The body is not sent as JSON.",
            "422" => "The body is JSON but not of the expected shape, or the flows do not check.",
            "503" => "The store failed, the server is shutting down, or the run (or its program) cannot be read by this build (`unreadable_state`, `unreadable_program`: a later build may).",
            _ => "Error.",
        };
        let with_codes: Vec<String> = Code::ALL
            .iter()
            .filter(|code| code.status().as_str() == *c)
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

fn paths() -> Value {
    let run_id = path_param("id", "The run's id.");
    let task_id = path_param("taskId", "`<callId>.<attempt>`, as polled.");
    json!({
        "/healthz": {"get": op("Liveness", "operations", json!({"200": {"description": "The server is up.", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}}), json!({"security": []}))},
        "/metrics": {"get": op("Metrics in Prometheus text format: runs by status, step and commit latency, commit batch sizes, queue depth per activity", "operations", json!({"200": {"description": "Prometheus text.", "content": {"text/plain": {"schema": {"type": "string"}}}}}), json!({"security": []}))},
        "/v1/openapi.json": {"get": op("This document", "operations", merge(json!({"200": {"description": "OpenAPI 3.", "content": {"application/json": {"schema": {"type": "object"}}}}}), error_responses(&["401"])), json!({}))},
        "/v1/flows": {
            "post": op("Deploy flows (checked first; refused with the checker's diagnostics)", "flows",
                merge(json!({"201": ok("Deployed as a new version.", "Deployment")}), error_responses(&["400", "401", "413", "415", "422", "503"])),
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
        "/v1/versions/{version}": {"get": op("A program version: its flows and files (what its runs execute, inline sub-flows included)", "flows",
            merge(json!({"200": ok("The version.", "ProgramVersion")}), error_responses(&["400", "401", "404", "503"])),
            json!({"parameters": [path_param("version", "The version number.")]}))},
        "/v1/runs/counts": {"get": op("Runs per status. With `flow`, at most 1,000 per status are counted (`capped` lists the statuses with more)", "runs",
            merge(json!({"200": ok("The counts.", "RunCounts")}), error_responses(&["400", "401", "503"])),
            json!({"parameters": [{"name": "flow", "in": "query", "schema": {"type": "string"}}]}))},
        "/v1/runs": {
            "post": op("Start a run (idempotent with `idempotencyKey`; synchronous with `wait`)", "runs",
                merge(json!({"201": ok("Started (with `wait`: as it stands when it finished or the wait ended).", "Run"), "200": ok("An earlier run with the same idempotency key.", "Run")}), error_responses(&["400", "401", "404", "413", "415", "422", "503"])),
                json!({"requestBody": body("StartRequest", true)})),
            "get": op("Runs, newest first, paged", "runs",
                merge(json!({"200": ok("A page of runs.", "RunPage")}), error_responses(&["400", "401", "503"])),
                json!({"parameters": [
                    {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                    {"name": "flow", "in": "query", "schema": {"type": "string"}},
                    {"name": "parent", "in": "query", "description": "Only the sub-flows of this run.", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
                    {"name": "cursor", "in": "query", "description": "`nextCursor` of the previous page.", "schema": {"type": "string"}}
                ]}))
        },
        "/v1/runs/{id}": {"get": op("A run", "runs", merge(json!({"200": ok("The run.", "Run")}), error_responses(&["401", "404", "503"])), json!({"parameters": [run_id.clone()]}))},
        "/v1/runs/{id}/journal": {"get": op("A run's journal: every step, in order", "runs", merge(json!({"200": ok("The journal.", "Journal")}), error_responses(&["401", "404", "503"])), json!({"parameters": [run_id.clone()]}))},
        "/v1/runs/{id}/retry": {"post": op("Run the failed step of a failed run again (same call id)", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["401", "404", "409", "503"])), json!({"parameters": [run_id.clone()]}))},
        "/v1/runs/{id}/resolve": {"post": op("Let the failed call of a failed run return a value", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["400", "401", "404", "409", "413", "415", "422", "503"])), json!({"parameters": [run_id.clone()], "requestBody": body("ValueBody", true)}))},
        "/v1/runs/{id}/cancel": {"post": op("Cancel a run (and its sub-flows)", "repair", merge(json!({"200": ok("The run after the action.", "Run")}), error_responses(&["400", "401", "404", "409", "503"])), json!({"parameters": [run_id], "requestBody": body("CancelBody", false)}))},
        "/v1/callbacks/{token}": {"post": op("Complete an awaited call. The token is the credential (no bearer token); it works once", "callbacks",
            merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "404", "409", "413", "415", "422", "503"])),
            json!({"security": [], "parameters": [path_param("token", "The callback token the awaited activity received.")], "requestBody": body("ValueBody", true)}))},
        "/v1/tasks/poll": {"post": op("Lease tasks of the named activities, waiting up to `waitMs` for one", "workers",
            merge(json!({"200": ok("Leased tasks (possibly none).", "TaskList")}), error_responses(&["400", "401", "415", "422"])),
            json!({"requestBody": body("PollRequest", true)}))},
        "/v1/tasks/{taskId}/complete": {"post": op("Report a task's result", "workers", merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "401", "404", "413", "415", "422", "503"])), json!({"parameters": [task_id.clone()], "requestBody": body("ValueBody", true)}))},
        "/v1/tasks/{taskId}/fail": {"post": op("Report a task's failure", "workers", merge(json!({"200": ok("Accepted.", "Accepted")}), error_responses(&["400", "401", "404", "415", "422", "503"])), json!({"parameters": [task_id.clone()], "requestBody": body("FailRequest", true)}))},
        "/v1/tasks/{taskId}/heartbeat": {"post": op("Extend a task's lease", "workers", merge(json!({"200": ok("The new end of the lease.", "Heartbeat")}), error_responses(&["400", "401", "404", "503"])), json!({"parameters": [task_id]}))}
    })
}

fn schemas() -> Value {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": codes, "description": "Stable, machine-readable; docs/api-errors.md says when each is sent and what to do."},
            "message": {"type": "string"},
            "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}, "description": "For check_failed: the checker's findings."}}}}},
        "Status": {"type": "string", "enum": ["running", "waiting", "failed", "completed", "cancelled"]},
        "Diagnostic": {"type": "object", "properties": {"file": {"type": "string"}, "severity": {"type": "string", "enum": ["error", "warning"]}, "code": {"type": "string"}, "message": {"type": "string"}, "line": {"type": "integer"}, "col": {"type": "integer"}, "endLine": {"type": "integer"}, "endCol": {"type": "integer"}, "help": {"type": "string", "nullable": true}, "rendered": {"type": "string"}}},
        "DeployRequest": {"type": "object", "description": "Either `source` (one file, named `name`) or `files`.", "properties": {"source": {"type": "string"}, "name": {"type": "string"}, "files": {"type": "array", "items": {"type": "object", "required": ["name", "text"], "properties": {"name": {"type": "string"}, "text": {"type": "string"}}}}}},
        "Deployment": {"type": "object", "required": ["version", "flows"], "properties": {"version": {"type": "integer"}, "flows": {"type": "array", "items": {"type": "string"}}, "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
        "FlowList": {"type": "object", "properties": {"flows": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "latestVersion": {"type": "integer"}, "versions": {"type": "array", "items": {"type": "integer"}}}}}}},
        "Flow": {"type": "object", "properties": {"name": {"type": "string"}, "latestVersion": {"type": "integer"}, "source": {"type": "string", "description": "The newest source of the file defining it."}, "versions": {"type": "array", "items": {"type": "object", "properties": {"version": {"type": "integer"}, "createdAt": {"type": "string"}, "flows": {"type": "array", "items": {"type": "string"}}, "files": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "text": {"type": "string"}}}}}}}}},
        "StartRequest": {"type": "object", "required": ["flow"], "properties": {"flow": {"type": "string"}, "input": {"description": "Any JSON; bound to the flow's parameters."}, "idempotencyKey": {"type": "string", "maxLength": 256, "description": "A second start with the same key returns the same run."}, "wait": {"description": "A duration such as \"10s\" (or milliseconds): return the finished run, or the run as it stands when the wait ends (at most 5 minutes).", "oneOf": [{"type": "string"}, {"type": "integer"}]}}},
        "Run": {"type": "object", "required": ["id", "flow", "version", "status", "input", "createdAt", "updatedAt"], "properties": {
            "id": {"type": "string"}, "flow": {"type": "string"}, "version": {"type": "integer"}, "status": {"$ref": "#/components/schemas/Status"},
            "input": {}, "result": {"description": "When completed."},
            "error": {"type": "object", "description": "When failed: what failed and where. `code` is `unreadable_state` or `unreadable_program` for a run this build cannot read (parked until a build that reads it starts; see docs/operating.md).", "properties": {"code": {"type": "string", "enum": ["unreadable_state", "unreadable_program"]}, "message": {"type": "string"}, "location": {"type": "object", "nullable": true, "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "col": {"type": "integer"}, "sourceLine": {"type": "string"}}}}},
            "waitingFor": {"type": "array", "items": {"$ref": "#/components/schemas/Wait"}},
            "parent": {"type": "string", "description": "The parent run of a sub-flow."},
            "position": {"type": "string", "description": "`file:line` where the run stands."},
            "idempotencyKey": {"type": "string"},
            "createdAt": {"type": "string"}, "updatedAt": {"type": "string"}}},
        "Wait": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["activity", "timer", "child"]}, "activity": {"type": "string"}, "callId": {"type": "string"}, "callback": {"type": "boolean"}, "token": {"type": "string", "nullable": true}, "until": {"type": "string", "nullable": true}, "runId": {"type": "string"}, "flow": {"type": "string"}}},
        "RunCounts": {"type": "object", "properties": {"counts": {"type": "object", "description": "Status → runs.", "additionalProperties": {"type": "integer"}}, "capped": {"type": "array", "items": {"$ref": "#/components/schemas/Status"}}}},
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
        "RunPage": {"type": "object", "properties": {"runs": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}}, "nextCursor": {"type": "string", "nullable": true}}},
        "Journal": {"type": "object", "properties": {"runId": {"type": "string"}, "entries": {"type": "array", "items": {"type": "object", "required": ["type", "at", "step"], "properties": {"type": {"type": "string"}, "at": {"type": "string"}, "step": {"type": "integer"}}, "additionalProperties": true}}}},
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

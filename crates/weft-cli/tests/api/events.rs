//! Events: `POST /v1/events` takes each id once (a retry or a redelivery is
//! a duplicate), refuses what breaks a limit whole, and `GET /v1/events`
//! lists what was taken; ids stay taken across a restart.

use serde_json::{json, Value};

use super::*;

fn event(id: &str) -> Value {
    json!({"id": id, "type": "created", "subject": "question", "data": {"key": id}})
}

#[tokio::test]
async fn an_event_id_is_taken_once_even_across_a_restart() {
    let dir = TempDir::new("api");
    let (mut s, api) = server(&dir).await;
    let r = api
        .post(
            "/v1/events",
            json!({"events": [event("e1"), event("e2"), event("e1")]}),
        )
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 2, "duplicates": 1}));
    let r = api
        .post("/v1/events", json!({"events": [event("e2"), event("e3")]}))
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 1, "duplicates": 1}));
    let page = api.get("/v1/events").await.ok(200);
    let ids: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["e3", "e2", "e1"], "{page}");
    assert_eq!(page["events"][2]["data"], json!({"key": "e1"}));
    assert_eq!(page["events"][2]["type"], "created");
    assert_eq!(page["events"][2]["subject"], "question");

    // After a SIGKILL the ids are still taken.
    s.kill();
    let s2 = Server::start(Launch::data(dir.path())).await;
    let api = s2.api();
    let r = api
        .post("/v1/events", json!({"events": [event("e1"), event("e4")]}))
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 1, "duplicates": 1}));
    let page = api.get("/v1/events?limit=2").await.ok(200);
    assert_eq!(page["events"].as_array().unwrap().len(), 2);
    let before = page["nextBefore"].as_str().unwrap().to_string();
    let rest = api
        .get(&format!("/v1/events?before={before}"))
        .await
        .ok(200);
    assert_eq!(rest["events"].as_array().unwrap().len(), 2, "{rest}");
    assert_eq!(rest["nextBefore"], Value::Null);
}

#[tokio::test]
async fn events_that_break_a_limit_are_refused_whole() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    let empty = api
        .post(
            "/v1/events",
            json!({"events": [event("ok"), {"id": "", "type": "created"}]}),
        )
        .await
        .error(422, "invalid_event");
    assert!(empty.contains("empty id"), "{empty}");
    let long = "x".repeat(300);
    let msg = api
        .post("/v1/events", json!({"events": [{"id": long, "type": "t"}]}))
        .await
        .error(422, "invalid_event");
    assert!(msg.contains("EVENT_NAME_BYTES_MAX"), "{msg}");
    let many: Vec<Value> = (0..1_001)
        .map(|i| json!({"id": format!("m{i}"), "type": "t"}))
        .collect();
    let msg = api
        .post("/v1/events", json!({"events": many}))
        .await
        .error(422, "invalid_event");
    assert!(msg.contains("EVENTS_PER_INGEST_MAX"), "{msg}");
    // Unknown fields are refused, not dropped.
    api.post(
        "/v1/events",
        json!({"events": [{"id": "a", "type": "t", "kind": "x"}]}),
    )
    .await
    .error(422, "invalid_body");
    // Nothing of the refused requests was taken.
    let r = api
        .post("/v1/events", json!({"events": [event("ok")]}))
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 1, "duplicates": 0}));
    api.get("/v1/events?limit=0")
        .await
        .error(400, "bad_request");
}

const SCORED: &str = r#"
flow Review(event) {
    return {id: event.id, score: event.data.score}
}

sdk.TaskQueue({
    type: ["created"],
    where: event.subject == "post" && event.data.score > 3,
    run: "Review",
    name: "scored",
})
"#;

/// A trigger's `where` condition with the real server: a deploy whose
/// condition cannot be evaluated is refused with its code; the one that
/// checks starts runs for the events it selects only, records a failed
/// evaluation on its event, and is listed with its text.
#[tokio::test]
async fn a_where_condition_selects_events_and_records_its_errors() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    for (bad, code) in [
        (
            SCORED.replace("event.data.score > 3", "event.score > 3"),
            "E0316",
        ),
        (SCORED.replace("event.data.score > 3", "event.id"), "E0317"),
    ] {
        let r = api.post("/v1/flows", json!({ "source": bad })).await;
        r.error(422, "check_failed");
        assert_eq!(
            r.json()["error"]["diagnostics"][0]["code"],
            code,
            "{}",
            r.text
        );
    }
    api.deploy(SCORED).await;
    let post = |id: &str, subject: &str, data: Value| json!({"id": id, "type": "created", "subject": subject, "data": data});
    let r = api
        .post(
            "/v1/events",
            json!({"events": [
                post("high", "post", json!({"score": 5})),
                post("low", "post", json!({"score": 2})),
                post("other", "comment", json!({"score": 9})),
                post("none", "post", json!({"text": "no score"})),
            ]}),
        )
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 4, "duplicates": 0}));
    let page = api.get("/v1/events").await.ok(200);
    let starts = |id: &str| -> Value {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {page}"))["starts"]
            .clone()
    };
    assert_eq!(starts("low"), json!([]));
    assert_eq!(starts("other"), json!([]));
    assert_eq!(
        starts("none"),
        json!([{"trigger": "scored", "flow": "Review", "runId": null, "error": "where: cannot compare null with number"}])
    );
    let high = starts("high");
    let run_id = high[0]["runId"].as_str().expect("a run").to_string();
    let run = api.wait_for(&run_id, "completed").await;
    assert_eq!(run["result"], json!({"id": "high", "score": 5}));
    let triggers = api.get("/v1/triggers").await.ok(200);
    assert_eq!(
        triggers["triggers"][0]["where"], "event.subject == \"post\" && event.data.score > 3",
        "{triggers}"
    );
}

/// A start that failed is visible on its event and re-driven by an
/// operator once the trigger is fixed: one run, however often it is
/// re-driven, across a restart; an unknown id is 404.
#[tokio::test]
async fn a_failed_start_is_redriven_after_a_fix() {
    let dir = TempDir::new("api");
    let (mut s, api) = server(&dir).await;
    api.deploy(SCORED).await;
    let r = api
        .post(
            "/v1/events",
            json!({"events": [{"id": "a/1", "type": "created", "subject": "post", "data": {}}]}),
        )
        .await
        .ok(200);
    assert_eq!(r["accepted"], 1);
    let same = api
        .post("/v1/events/redrive", json!({"id": "a/1"}))
        .await
        .ok(200);
    assert_eq!(same["starts"][0]["runId"], Value::Null, "{same}");
    assert!(same["starts"][0]["error"]
        .as_str()
        .unwrap()
        .starts_with("where: "));
    api.deploy(&SCORED.replace(
        "event.data.score > 3",
        "(event.data.score == null || event.data.score > 3)",
    ))
    .await;
    s.kill();
    let s2 = Server::start(Launch::data(dir.path())).await;
    let api = s2.api();
    let fixed = api
        .post("/v1/events/redrive", json!({"id": "a/1"}))
        .await
        .ok(200);
    assert_eq!(fixed["id"], "a/1");
    assert_eq!(fixed["starts"][0]["error"], Value::Null, "{fixed}");
    let run_id = fixed["starts"][0]["runId"].as_str().unwrap().to_string();
    let run = api.wait_for(&run_id, "completed").await;
    assert_eq!(run["result"], json!({"id": "a/1", "score": null}));
    assert_eq!(run["idempotencyKey"], "event:scored:a/1", "{run}");
    let again = api
        .send(
            api.request("POST", "/v1/events/redrive")
                .header("X-Weft-Actor", "fixer")
                .json(&json!({"id": "a/1"})),
        )
        .await
        .ok(200);
    assert_eq!(again, fixed);
    // Every re-drive is in the audit log with the event's starts; those
    // that started a run list it.
    let log = api.get("/v1/audit").await.ok(200);
    let actions = log["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 3, "{log}");
    assert!(
        actions.iter().all(|a| a["action"] == "event-redrive"),
        "{log}"
    );
    assert_eq!(actions[0]["actor"], "fixer");
    assert_eq!(actions[0]["detail"]["event"], "a/1");
    assert_eq!(actions[0]["detail"]["starts"], fixed["starts"]);
    assert_eq!(
        actions[2]["applied"], 0,
        "the first re-drive started nothing"
    );
    assert_eq!(actions[1]["applied"], 1);
    let entry = api
        .get(&format!("/v1/audit/{}", actions[1]["id"]))
        .await
        .ok(200);
    assert_eq!(entry["runs"], json!([run_id]), "{entry}");
    let page = api.get("/v1/events").await.ok(200);
    assert_eq!(page["events"][0]["starts"], fixed["starts"]);
    let runs = api.get("/v1/runs?flow=Review").await.ok(200);
    assert_eq!(runs["runs"].as_array().unwrap().len(), 1, "{runs}");
    api.post("/v1/events/redrive", json!({"id": "nope"}))
        .await
        .error(404, "unknown_event");
}

/// A trigger's failed starts are re-driven together once it is fixed:
/// each event once, oldest first; a second request finds nothing left;
/// events the trigger passed over or started are left alone; the audit log
/// has one entry with the runs started; an unknown trigger is 404.
#[tokio::test]
async fn a_triggers_failed_starts_are_redriven_together() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    api.deploy(SCORED).await;
    let events = json!({"events": [
        {"id": "b/1", "type": "created", "subject": "post", "data": {}},
        {"id": "b/2", "type": "created", "subject": "post", "data": {"score": 5}},
        {"id": "b/3", "type": "created", "subject": "post", "data": {}},
        {"id": "b/4", "type": "created", "subject": "post", "data": {"score": 1}},
    ]});
    api.post("/v1/events", events).await.ok(200);
    let before = api.get("/v1/triggers").await.ok(200);
    assert_eq!(before["triggers"][0]["startsFailed"], 2, "{before}");
    assert_eq!(before["triggers"][0]["runsStarted"], 1, "{before}");
    // Not fixed yet: both are tried, both fail again, nothing starts.
    let unfixed = api
        .post("/v1/triggers/scored/redrive", json!({}))
        .await
        .ok(200);
    assert_eq!(
        (
            &unfixed["redriven"],
            &unfixed["runsStarted"],
            &unfixed["stillFailing"]
        ),
        (&json!(2), &json!(0), &json!(2)),
        "{unfixed}"
    );
    assert_eq!(
        (&unfixed["more"], &unfixed["next"]),
        (&json!(false), &Value::Null)
    );
    let audited = api
        .get(&format!("/v1/audit/{}", unfixed["auditId"]))
        .await
        .ok(200);
    assert_eq!(
        (&audited["matched"], &audited["applied"], &audited["failed"]),
        (&json!(2), &json!(0), &json!(2)),
        "{audited}"
    );
    // `after` takes only the events taken after the one named (a `next`).
    let page = api.get("/v1/events").await.ok(200);
    let seq_of = |id: &str| {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["seq"]
            .clone()
    };
    let later = api
        .post(
            &format!("/v1/triggers/scored/redrive?after={}", seq_of("b/1")),
            json!({}),
        )
        .await
        .ok(200);
    assert_eq!(later["redriven"], 1, "{later}");
    assert_eq!(later["events"][0]["id"], "b/3");
    api.post("/v1/triggers/scored/redrive?after=x", json!({}))
        .await
        .error(400, "invalid_query");
    api.deploy(&SCORED.replace(
        "event.data.score > 3",
        "(event.data.score == null || event.data.score > 3)",
    ))
    .await;
    let fixed = api
        .send(
            api.request("POST", "/v1/triggers/scored/redrive")
                .header("X-Weft-Actor", "fixer")
                .json(&json!({})),
        )
        .await
        .ok(200);
    assert_eq!(fixed["redriven"], 2, "{fixed}");
    assert_eq!(fixed["runsStarted"], 2, "{fixed}");
    assert_eq!(fixed["stillFailing"], 0, "{fixed}");
    assert_eq!(fixed["more"], false);
    assert_eq!(fixed["scanComplete"], true);
    let ids: Vec<&str> = fixed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b/1", "b/3"], "oldest first");
    for e in fixed["events"].as_array().unwrap() {
        let run = e["starts"][0]["runId"].as_str().unwrap();
        api.wait_for(run, "completed").await;
    }
    let again = api
        .post("/v1/triggers/scored/redrive", json!({}))
        .await
        .ok(200);
    assert_eq!(again["redriven"], 0, "{again}");
    // A re-drive of an event whose starts all have their run starts
    // nothing, and its audit record says so.
    let whole = api
        .post("/v1/events/redrive", json!({"id": "b/1"}))
        .await
        .ok(200);
    assert!(whole["starts"][0]["runId"].is_string(), "{whole}");
    let log = api.get("/v1/audit?limit=1").await.ok(200);
    assert_eq!(log["actions"][0]["action"], "event-redrive");
    assert_eq!(
        (&log["actions"][0]["matched"], &log["actions"][0]["applied"]),
        (&json!(0), &json!(0)),
        "{log}"
    );
    let runs = api.get("/v1/runs?flow=Review").await.ok(200);
    assert_eq!(runs["runs"].as_array().unwrap().len(), 3, "{runs}");
    let log = api.get("/v1/audit?limit=2").await.ok(200);
    let last = &log["actions"][1];
    assert_eq!(last["action"], "trigger-redrive", "{log}");
    assert_eq!(last["detail"]["trigger"], "scored");
    let fixed_entry = api.get("/v1/audit").await.ok(200)["actions"][2].clone();
    assert_eq!(fixed_entry["actor"], "fixer", "{fixed_entry}");
    assert_eq!(fixed_entry["applied"], 2);
    api.post("/v1/triggers/nope/redrive", json!({}))
        .await
        .error(404, "unknown_trigger");
}

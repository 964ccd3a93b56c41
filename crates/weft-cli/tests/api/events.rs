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

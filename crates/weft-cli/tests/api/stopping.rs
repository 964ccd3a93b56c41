//! Stopping: SIGTERM ends the server cleanly without waiting for long
//! polls or waiting starts, and a restart keeps every run.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn sigterm_stops_cleanly_and_a_restart_keeps_the_runs() {
    let dir = TempDir::new("api");
    let (mut s, api) = server_with_flows(&dir).await;
    let done = api.start_and_wait("Echo", json!(1)).await;
    let held = api.start("Hold", json!(2)).await;
    let t = api.poll_one("Never").await;
    let before = api.runs().await;
    assert_eq!(before.len(), 2);

    let status = s.terminate();
    assert_eq!(status.code(), Some(0), "{}", s.log());
    let log = s.log();
    assert!(log.contains("weft: stopped"), "{log}");
    drop(s);

    let s = Server::start(Launch::data(dir.path())).await;
    let api = s.api();
    assert_eq!(api.runs().await, before);
    assert_eq!(api.run(&id_of(&done)).await["result"], 1);
    // The outstanding task is handed out again, with the same call id.
    let again = api.poll_one("Never").await;
    assert_eq!(again["callId"], t["callId"]);
    assert_eq!(again["taskId"], t["taskId"]);
    api.complete(&again, json!("after the restart")).await;
    let r = api.wait_for(&id_of(&held), "completed").await;
    assert_eq!(r["result"], "after the restart");
    assert_eq!(api.flows().await.len(), 6);
}

/// Sends a request the server holds for long (a long poll, a start that
/// waits), then SIGTERM once it has arrived; asserts the server stops
/// cleanly within 5 s, and returns the answer the request got.
async fn terminate_while_waiting(s: &mut Server, api: &Api, path: &str, body: Value) -> Resp {
    let waiting = {
        let (api, path) = (api.clone(), path.to_string());
        tokio::spawn(async move { api.post(&path, body).await })
    };
    // Let the request reach the server.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let status = tokio::task::block_in_place(|| s.terminate());
    assert_eq!(status.code(), Some(0), "{}", s.log());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stopping took {:?}",
        start.elapsed()
    );
    waiting.await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_does_not_wait_for_long_polls() {
    let dir = TempDir::new("api");
    let (mut s, api) = server_with_flows(&dir).await;
    let r = terminate_while_waiting(
        &mut s,
        &api,
        "/v1/tasks/poll",
        json!({"activities": ["Never"], "waitMs": 60_000}),
    )
    .await;
    assert_eq!(r.ok(200), json!({"tasks": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_does_not_wait_for_long_synchronous_starts() {
    let dir = TempDir::new("api");
    let (mut s, api) = server_with_flows(&dir).await;
    let r = terminate_while_waiting(
        &mut s,
        &api,
        "/v1/runs",
        json!({"flow": "Hold", "input": 1, "wait": "60s"}),
    )
    .await;
    // The start answers with the run as it stands, as when the wait ends.
    let r = r.ok(201);
    assert_eq!(r["status"], "running", "{r}");
    drop(s);
    let s = Server::start(Launch::data(dir.path())).await;
    assert_eq!(s.api().run(&id_of(&r)).await["status"], "running");
}

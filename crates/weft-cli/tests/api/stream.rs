//! The task stream (`POST /v1/tasks/stream`): tasks pushed down one
//! long-lived answer as they are leased, within the stream's credit;
//! heartbeats; a stream that closes gives its tasks back at once; the
//! limits and the token.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::*;

/// An open task stream, read line by line.
struct Stream {
    resp: reqwest::Response,
    buf: Vec<u8>,
}

/// Opens a stream of `activities` holding at most `max` unreported tasks.
async fn open(base: &str, token: Option<&str>, body: Value) -> Stream {
    // No timeout on the whole answer: it lasts as long as the stream.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut req = http.post(format!("{base}/v1/tasks/stream")).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("the server answers");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/x-ndjson"
    );
    Stream {
        resp,
        buf: Vec::new(),
    }
}

impl Stream {
    /// The next line, or `None` when the server ended the stream.
    async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                return Some(serde_json::from_slice(&line).expect("a JSON line"));
            }
            let chunk = tokio::time::timeout(PATIENCE, self.resp.chunk())
                .await
                .expect("a line within PATIENCE")
                .expect("the stream reads");
            match chunk {
                Some(c) => self.buf.extend_from_slice(&c),
                None => return None,
            }
        }
    }

    /// The tasks of the next line that has any (heartbeats skipped).
    async fn tasks(&mut self) -> Vec<Value> {
        loop {
            let line = self.next().await.expect("the stream is open");
            if let Some(t) = line.get("tasks") {
                return t.as_array().expect("tasks").clone();
            }
            assert!(line.get("heartbeat").is_some(), "{line}");
        }
    }
}

/// Ready and leased tasks of `activity`, as `/v1/queues` counts them.
async fn depth(api: &Api, activity: &str) -> (u64, u64) {
    let q = api.get("/v1/queues").await.ok(200);
    let a = q["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["activity"] == activity)
        .cloned()
        .unwrap_or(json!({"ready": 0, "leased": 0}));
    (a["ready"].as_u64().unwrap(), a["leased"].as_u64().unwrap())
}

#[tokio::test]
async fn a_stream_pushes_tasks_within_its_credit_and_results_complete_runs() {
    let dir = TempDir::new("api");
    let (s, api) = server_with_flows(&dir).await;
    let mut st = open(
        &s.url,
        None,
        json!({"activities": ["Hello"], "worker": "streamer", "max": 2}),
    )
    .await;
    assert_eq!(
        st.next().await,
        Some(json!({"stream": {"max": 2, "heartbeatMs": 5000}}))
    );
    let mut ids = Vec::new();
    for name in ["ann", "bob", "cy"] {
        ids.push(api.start_id("Greet", json!(name)).await);
    }
    let mut got = Vec::new();
    while got.len() < 2 {
        got.extend(st.tasks().await);
    }
    assert_eq!(got.len(), 2, "{got:?}");
    let first = &got[0];
    assert_eq!(
        keys(first),
        BTreeSet::from(["taskId", "callId", "runId", "activity", "args", "attempt", "deadline"]),
        "{first}"
    );
    assert_eq!(first["activity"], "Hello");
    assert_time(&first["deadline"]);
    // The credit is spent: the third task waits in the queue.
    let start = Instant::now();
    while depth(&api, "Hello").await != (1, 2) {
        assert!(
            start.elapsed() < PATIENCE,
            "{:?}",
            depth(&api, "Hello").await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A report gives one back: the third comes down the stream.
    let r = api
        .post(
            "/v1/tasks/results",
            json!({"results": [{"taskId": first["taskId"], "value": "hi"}]}),
        )
        .await
        .ok(200);
    assert_eq!(r["results"][0]["status"], "accepted", "{r}");
    let third = st.tasks().await;
    assert_eq!(third.len(), 1, "{third:?}");
    // Reports through the per-task endpoints count too.
    api.complete(&got[1], json!("hi")).await;
    api.fail(&third[0], "no", false).await;
    let mut finished = BTreeSet::new();
    for id in &ids {
        let r = api
            .wait_until(id, "finish", |r| r["status"] != "running")
            .await;
        finished.insert(r["status"].as_str().unwrap().to_string());
    }
    assert_eq!(
        finished,
        BTreeSet::from(["completed".to_string(), "failed".to_string()])
    );
    // The streaming worker shows among the pollers.
    let w = api.get("/v1/workers").await.ok(200);
    assert!(w.to_string().contains("streamer"), "{w}");
}

#[tokio::test]
async fn a_stream_that_closes_gives_its_unreported_task_back_at_once() {
    let dir = TempDir::new("api");
    let (s, api) = server_with_flows(&dir).await;
    let mut st = open(&s.url, None, json!({"activities": ["Hello"], "max": 4})).await;
    st.next().await.expect("the stream's terms");
    api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    drop(st);
    // Its lease runs 30 s; given back, a poll leases it again well before.
    let start = Instant::now();
    let again = api.poll_one("Hello").await;
    assert_eq!(again["taskId"], task["taskId"]);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "given back only after {:?}",
        start.elapsed()
    );
    // The server says so in its log (written as the stream's task ends).
    while !s.log().contains("given back") {
        assert!(start.elapsed() < PATIENCE, "{}", s.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    api.complete(&again, json!("hi")).await;
}

#[tokio::test]
async fn an_idle_stream_heartbeats_and_ends_when_the_server_stops() {
    let dir = TempDir::new("api");
    let (mut s, _api) = server_with_flows(&dir).await;
    let mut st = open(&s.url, None, json!({"activities": ["Hello"]})).await;
    assert_eq!(st.next().await.unwrap()["stream"]["max"], 1);
    let beat = st.next().await.expect("a heartbeat");
    assert_time(&beat["heartbeat"]);
    let stopping = Instant::now();
    let status = tokio::task::spawn_blocking(move || s.terminate())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    // The graceful stop does not wait out SHUTDOWN_GRACE for the stream.
    assert!(
        stopping.elapsed() < Duration::from_secs(9),
        "{:?}",
        stopping.elapsed()
    );
    assert_eq!(st.next().await, None);
}

#[tokio::test]
async fn a_stream_asked_wrongly_is_refused_with_the_limit_named() {
    let dir = TempDir::new("api");
    let (s, _api) = server_with(Launch::data(dir.path()).token(TOKEN)).await;
    let api = s.api();
    for max in [0, 257] {
        let e = api
            .post(
                "/v1/tasks/stream",
                json!({"activities": ["Hello"], "max": max}),
            )
            .await
            .error(400, "bad_request");
        assert!(e.contains("STREAM_TASKS_MAX"), "{e}");
    }
    let e = api
        .post("/v1/tasks/stream", json!({"activities": []}))
        .await
        .error(400, "bad_request");
    assert!(e.contains("activities"), "{e}");
    api.post(
        "/v1/tasks/stream",
        json!({"activities": ["Hello"], "waitMs": 5}),
    )
    .await
    .error(422, "invalid_body");
    s.anonymous()
        .with_token("0123456789abcdef0123456789abcdeX")
        .post("/v1/tasks/stream", json!({"activities": ["Hello"]}))
        .await
        .error(401, "unauthorized");
    // With the token it opens.
    let mut st = open(&s.url, Some(TOKEN), json!({"activities": ["Hello"]})).await;
    assert!(st.next().await.unwrap().get("stream").is_some());
}

#[tokio::test]
async fn a_task_on_a_stream_when_the_server_is_killed_comes_back_after_the_restart() {
    let dir = TempDir::new("api");
    let (mut s, api) = server_with_flows(&dir).await;
    let mut st = open(&s.url, None, json!({"activities": ["Hello"], "max": 1})).await;
    st.next().await.expect("the stream's terms");
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    s.kill();
    // The stream ends with the process (an error or the end: either way
    // no more lines).
    let ended = tokio::time::timeout(PATIENCE, st.resp.chunk())
        .await
        .expect("the stream ends");
    assert!(!matches!(ended, Ok(Some(_))), "{ended:?}");
    let s2 = Server::start(Launch::data(dir.path())).await;
    let api = s2.api();
    let mut st = open(&s2.url, None, json!({"activities": ["Hello"], "max": 1})).await;
    st.next().await.expect("the stream's terms");
    let again = st.tasks().await.remove(0);
    assert_eq!(again["callId"], task["callId"], "the same call: {again}");
    api.complete(&again, json!("hi")).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi"}));
}

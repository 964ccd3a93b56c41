//! The two-way task stream: `POST /v1/tasks/stream` with an
//! `application/x-ndjson` body whose first line is the terms and whose
//! further lines are reports, read while tasks go down the answer. The
//! client here writes HTTP/1.1 by hand (chunked request body, chunked
//! answer), as a worker in any language would, so the test does not lean
//! on one HTTP library's support for full duplex.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

use super::*;

/// An open two-way stream.
struct TwoWay {
    r: BufReader<OwnedReadHalf>,
    w: OwnedWriteHalf,
    /// Answer bytes read but not yet split into lines.
    buf: Vec<u8>,
    /// The answer was not chunked (a refusal): it is all in `buf`.
    whole: bool,
}

/// The status of the answer to opening a two-way stream whose first body
/// line is `terms` (none when empty), and the stream; `end` ends the
/// request's body before the answer is read.
async fn open_two_way(base: &str, token: Option<&str>, terms: &str, end: bool) -> (u16, TwoWay) {
    let addr = base.trim_start_matches("http://");
    let tcp = TcpStream::connect(addr).await.expect("the server accepts");
    let (r, w) = tcp.into_split();
    let mut st = TwoWay {
        r: BufReader::new(r),
        w,
        buf: Vec::new(),
        whole: false,
    };
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST /v1/tasks/stream HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n{auth}\r\n"
    );
    st.w.write_all(head.as_bytes()).await.unwrap();
    if !terms.is_empty() {
        st.send(terms).await;
    }
    if end {
        st.finish().await;
    }
    let mut status = String::new();
    st.r.read_line(&mut status).await.unwrap();
    let code: u16 = status
        .split(' ')
        .nth(1)
        .expect("a status line")
        .parse()
        .unwrap();
    let mut length = None;
    loop {
        let mut h = String::new();
        st.r.read_line(&mut h).await.unwrap();
        if h == "\r\n" {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse::<usize>().unwrap());
            }
        }
    }
    if let Some(n) = length {
        st.buf.resize(n, 0);
        st.r.read_exact(&mut st.buf).await.unwrap();
        st.buf.push(b'\n');
        st.whole = true;
    }
    (code, st)
}

impl TwoWay {
    /// Writes `line` and its newline down the request's body, as one chunk.
    async fn send(&mut self, line: &str) {
        let chunk = format!("{:x}\r\n{line}\n\r\n", line.len() + 1);
        self.w.write_all(chunk.as_bytes()).await.unwrap();
    }

    /// Ends the request's body (the answer goes on).
    async fn finish(&mut self) {
        self.w.write_all(b"0\r\n\r\n").await.unwrap();
    }

    /// The next line of the answer, or `None` when the server ended it.
    async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                return Some(serde_json::from_slice(&line).expect("a JSON line"));
            }
            let chunk = tokio::time::timeout(PATIENCE, self.chunk())
                .await
                .expect("a line within PATIENCE")?;
            self.buf.extend_from_slice(&chunk);
        }
    }

    /// One chunk of the answer's body; `None` at its end (or the
    /// connection's).
    async fn chunk(&mut self) -> Option<Vec<u8>> {
        if self.whole {
            return None;
        }
        let mut size = String::new();
        if self.r.read_line(&mut size).await.ok()? == 0 {
            return None;
        }
        let n = usize::from_str_radix(size.trim(), 16).ok()?;
        let mut data = vec![0; n + 2];
        self.r.read_exact(&mut data).await.ok()?;
        data.truncate(n);
        (n > 0).then_some(data)
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

    /// The next line is an error line with `code`, whose message starts
    /// with `start`; the message.
    async fn refused(&mut self, code: &str, start: &str) -> String {
        let e = self.next().await.expect("an error line");
        assert_eq!(e["error"]["code"], code, "{e}");
        let message = e["error"]["message"].as_str().unwrap().to_string();
        assert!(message.starts_with(start), "{e}");
        message
    }

    /// Reports `results` in one line.
    async fn report(&mut self, results: Value) {
        self.send(&json!({ "results": results }).to_string()).await;
    }
}

/// A two-way stream of `Hello` tasks, at most `max` at once, its terms
/// line read.
async fn hello_stream(base: &str, max: u64) -> TwoWay {
    let t = terms(json!({"activities": ["Hello"], "max": max}));
    let (code, mut st) = open_two_way(base, None, &t, false).await;
    assert_eq!(code, 200);
    st.next().await.expect("the stream's terms");
    st
}

/// `/metrics` holds each of `lines`, whole.
async fn metrics_have(api: &Api, lines: &[&str]) {
    let m = api.get("/metrics").await.text;
    for line in lines {
        assert!(m.lines().any(|l| l == *line), "{line} in {m}");
    }
}

fn terms(v: Value) -> String {
    v.to_string()
}

#[tokio::test]
async fn reports_written_down_the_stream_complete_runs_and_give_credit_back() {
    let dir = TempDir::new("api");
    let (s, api) = server_with_flows(&dir).await;
    let (code, mut st) = open_two_way(
        &s.url,
        None,
        &terms(json!({"activities": ["Hello"], "worker": "duplex", "max": 2})),
        false,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        st.next().await,
        Some(json!({"stream": {"max": 2, "heartbeatMs": 5000, "heartbeatLines": true}}))
    );
    let mut ids = Vec::new();
    for name in ["ann", "bob", "cy"] {
        ids.push(api.start_id("Greet", json!(name)).await);
    }
    let mut got = Vec::new();
    while got.len() < 2 {
        got.extend(st.tasks().await);
    }
    // One report down the stream gives one task's credit back: the third
    // comes down at once (an accepted report is not answered).
    st.report(json!([{"taskId": got[0]["taskId"], "value": "hi"}]))
        .await;
    let third = st.tasks().await;
    assert_eq!(third.len(), 1, "{third:?}");
    // A result and a failure in one line.
    st.report(json!([
        {"taskId": got[1]["taskId"], "value": "hello"},
        {"taskId": third[0]["taskId"], "error": "no", "retryable": false},
    ]))
    .await;
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
    // A report of a task no longer open is refused by name; the others
    // in its line still count.
    let id = api.start_id("Greet", json!("dee")).await;
    let fourth = st.tasks().await.remove(0);
    st.report(json!([
        {"taskId": got[0]["taskId"], "value": "again"},
        {"taskId": fourth["taskId"], "value": "hey"},
    ]))
    .await;
    let answer = st.next().await.expect("the refusal");
    let rejected = answer["rejected"].as_array().expect("rejected").clone();
    assert_eq!(rejected.len(), 1, "{answer}");
    assert_eq!(rejected[0]["taskId"], got[0]["taskId"]);
    assert_eq!(rejected[0]["status"], "rejected");
    assert!(rejected[0].get("heartbeat").is_none(), "{answer}");
    assert_eq!(rejected[0]["error"]["code"], "unknown_task", "{answer}");
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hey"}));
    // `/metrics` counts the five results that came down the stream, the
    // refused one among them, and none by request.
    metrics_have(
        &api,
        &[
            "weft_task_results_total{via=\"stream\"} 5",
            "weft_task_results_total{via=\"request\"} 0",
            "weft_task_results_rejected_total 1",
            "weft_stream_report_lines_refused_total 0",
        ],
    )
    .await;
    // The worker shows among the pollers.
    let w = api.get("/v1/workers").await.ok(200);
    assert!(w.to_string().contains("duplex"), "{w}");
}

#[tokio::test]
async fn a_bad_report_line_is_answered_and_the_stream_goes_on() {
    let dir = TempDir::new("api");
    let (s, api) = server_with_flows(&dir).await;
    let mut st = hello_stream(&s.url, 4).await;
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    // Not JSON; JSON of another shape; a malformed result next to a good
    // one (the line is refused whole: nothing of it applied).
    st.send("{\"results\": [").await;
    st.send("").await;
    st.send(&json!({"results": [], "more": 1}).to_string())
        .await;
    st.report(json!([
        {"taskId": task["taskId"], "value": "hi"},
        {"taskId": task["taskId"]},
    ]))
    .await;
    st.refused("invalid_json", "report line 1:").await;
    // The blank line counts as a line but is not answered.
    st.refused("invalid_body", "report line 3:").await;
    let e = st.refused("invalid_body", "report line 4:").await;
    assert!(e.contains("results[1]"), "{e}");
    assert_eq!(api.run(&id).await["status"], "running");
    // The stream still takes a good report (and the refused line's good
    // result was not applied: this one's value is the run's).
    st.report(json!([{"taskId": task["taskId"], "value": "hello"}]))
        .await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hello"}));
    // Ending the body ends the reports, not the stream: tasks still come.
    st.finish().await;
    api.start_id("Greet", json!("bob")).await;
    let next = st.tasks().await;
    assert_eq!(next.len(), 1, "{next:?}");
    api.complete(&next[0], json!("yo")).await;
    // The three refused lines are counted, the refused line's results are
    // not (nothing of it was taken), the last result came by request.
    metrics_have(
        &api,
        &[
            "weft_stream_report_lines_refused_total 3",
            "weft_task_results_total{via=\"stream\"} 1",
            "weft_task_results_total{via=\"request\"} 1",
            "weft_task_results_rejected_total 0",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_line_over_the_body_limit_ends_the_stream_and_its_task_goes_back() {
    let dir = TempDir::new("api");
    let (s, api) = server_with(Launch::data(dir.path()).config("body_limit_bytes = 65536\n")).await;
    let mut st = hello_stream(&s.url, 1).await;
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    let big = "x".repeat(70_000);
    st.report(json!([{"taskId": task["taskId"], "value": big}]))
        .await;
    let e = st.next().await.expect("the error line");
    assert_eq!(e["error"]["code"], "payload_too_large", "{e}");
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("line 1") && msg.contains("65536"), "{e}");
    assert_eq!(st.next().await, None, "the stream ends");
    // Its unreported task is given back at once, not after its lease.
    let start = Instant::now();
    let again = api.poll_one("Hello").await;
    assert_eq!(again["taskId"], task["taskId"]);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    api.complete(&again, json!("hi")).await;
    api.wait_for(&id, "completed").await;
}

#[tokio::test]
async fn a_two_way_stream_outlives_the_body_deadline() {
    let dir = TempDir::new("api");
    let (s, api) =
        server_with(Launch::data(dir.path()).config("[http]\nbody_read_timeout = \"1s\"\n")).await;
    let mut st = hello_stream(&s.url, 1).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    st.report(json!([{"taskId": task["taskId"], "value": "late"}]))
        .await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "late"}));
    // The terms themselves still have the deadline: a body that never
    // sends them is answered 408.
    let (code, _) = open_two_way(&s.url, None, "", false).await;
    assert_eq!(code, 408);
}

#[tokio::test]
async fn two_way_terms_are_checked_as_a_one_way_streams_body() {
    let dir = TempDir::new("api");
    let (s, _api) = server_with(Launch::data(dir.path()).token(TOKEN)).await;
    let answer = |terms: &'static str, token: Option<&'static str>| {
        let url = s.url.clone();
        async move {
            // An empty body ends at once: nothing else to wait for.
            let (code, mut st) = open_two_way(&url, token, terms, terms.is_empty()).await;
            (code, st.next().await.unwrap_or(Value::Null))
        }
    };
    let (code, e) = answer("{\"activities\": [\"Hello\"], \"max\": 0}", Some(TOKEN)).await;
    assert_eq!(code, 400, "{e}");
    assert!(e.to_string().contains("STREAM_TASKS_MAX"), "{e}");
    let (code, e) = answer("{\"activities\": ", Some(TOKEN)).await;
    assert_eq!(
        (code, e["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let (code, e) = answer("{\"activities\": [\"Hello\"], \"waitMs\": 5}", Some(TOKEN)).await;
    assert_eq!(
        (code, e["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    let (code, e) = answer("", Some(TOKEN)).await;
    assert_eq!(
        (code, e["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    let (code, e) = answer("{\"activities\": [\"Hello\"]}", None).await;
    assert_eq!(
        (code, e["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let (code, e) = answer("{\"activities\": [\"Hello\"]}", Some(TOKEN)).await;
    assert_eq!(code, 200, "{e}");
    assert!(e.get("stream").is_some(), "{e}");
}

#[tokio::test]
async fn a_two_way_stream_ends_when_the_server_stops_and_its_task_comes_back() {
    let dir = TempDir::new("api");
    let (mut s, api) = server_with_flows(&dir).await;
    let mut st = hello_stream(&s.url, 1).await;
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    // The worker's body stays open: the stop must not wait for it.
    let stopping = Instant::now();
    let status = tokio::task::spawn_blocking(move || s.terminate())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        stopping.elapsed() < Duration::from_secs(9),
        "{:?}",
        stopping.elapsed()
    );
    assert_eq!(st.next().await, None);
    // Unreported, the task is handed out again after the restart.
    let s2 = Server::start(Launch::data(dir.path())).await;
    let api = s2.api();
    let again = api.poll_one("Hello").await;
    assert_eq!(again["callId"], task["callId"], "the same call: {again}");
    api.complete(&again, json!("hi")).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi"}));
}

#[tokio::test]
async fn a_flood_of_bad_lines_is_answered_line_by_line_and_the_stream_lives_on() {
    const BAD: u64 = 5_000;
    let dir = TempDir::new("api");
    let (s, api) = server_with_flows(&dir).await;
    let mut st = hello_stream(&s.url, 1).await;
    // Written at once, without reading: the server holds back reading while
    // its answers wait (STREAM_ANSWERS_PENDING_MAX), and loses none.
    let mut flood = String::new();
    for _ in 0..BAD {
        flood.push_str("x\n");
    }
    let chunk = format!("{:x}\r\n{flood}\r\n", flood.len());
    st.w.write_all(chunk.as_bytes()).await.unwrap();
    for n in 1..=BAD {
        st.refused("invalid_json", &format!("report line {n}:"))
            .await;
    }
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    st.report(json!([{"taskId": task["taskId"], "value": "hi"}]))
        .await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi"}));
}

/// Heartbeats down the stream keep a long task's lease: through several
/// leases it is not handed out again. A heartbeat of a task that is no
/// longer open comes back among the refusals, by name; a malformed one
/// refuses its line.
#[tokio::test]
async fn heartbeats_down_the_stream_keep_the_lease() {
    let dir = TempDir::new("api");
    let (s, api) = server_with(Launch::data(dir.path()).config("lease = \"1s\"\n")).await;
    let mut st = hello_stream(&s.url, 1).await;
    let id = api.start_id("Greet", json!("ann")).await;
    let task = st.tasks().await.remove(0);
    let task_id = task["taskId"].clone();
    // Three leases long, a heartbeat every 150 ms: the task stays leased
    // (without them, a poll would take it once the first lease ran out).
    for _ in 0..20 {
        st.send(&json!({ "heartbeats": [task_id] }).to_string())
            .await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let taken = api.poll_now("Hello").await;
        assert!(taken.is_empty(), "the lease ran out: {taken:?}");
    }
    // A heartbeat and the result in one line.
    st.send(
        &json!({"heartbeats": [task_id], "results": [{"taskId": task_id, "value": "hi"}]})
            .to_string(),
    )
    .await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi"}));
    // The task is answered: its heartbeat is refused by name.
    st.send(&json!({ "heartbeats": [task_id] }).to_string())
        .await;
    let answer = st.next().await.expect("the refusal");
    let rejected = answer["rejected"].as_array().expect("rejected").clone();
    assert_eq!(rejected.len(), 1, "{answer}");
    assert_eq!(rejected[0]["taskId"], task_id);
    assert_eq!(rejected[0]["heartbeat"], true, "{answer}");
    assert_eq!(rejected[0]["error"]["code"], "unknown_task", "{answer}");
    // Malformed heartbeats refuse their line; the stream goes on.
    st.send(&json!({"heartbeats": "x"}).to_string()).await;
    st.refused("invalid_body", "report line 23:").await;
    st.send(&json!({"heartbeats": []}).to_string()).await;
    let e = st.refused("bad_request", "report line 24:").await;
    assert!(e.contains("HEARTBEATS_PER_LINE_MAX"), "{e}");
    st.send(&json!({"heartbeats": [1]}).to_string()).await;
    st.refused("invalid_body", "report line 25:").await;
    st.send(&json!({"beats": [task_id]}).to_string()).await;
    st.refused("invalid_body", "report line 26:").await;
    // 22 heartbeats came down the stream (the refused one among them;
    // none of the malformed lines'), none by request.
    metrics_have(
        &api,
        &[
            "weft_task_heartbeats_total{via=\"stream\"} 22",
            "weft_task_heartbeats_total{via=\"request\"} 0",
        ],
    )
    .await;
}

//! Push activities: tasks posted to an HTTP endpoint (served here by the
//! test), with retries and the call id as the idempotency key.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use super::*;

/// A request the fake endpoint received: lower-case headers and the body.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A tiny HTTP/1.1 endpoint: answers the n-th request with `answers[n]`
/// (the last one repeats) and records what it received.
struct Endpoint {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Endpoint {
    fn start(answers: Vec<(u16, &'static str)>) -> Endpoint {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let rec = received.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let Some(req) = read_request(&mut conn) else {
                    continue;
                };
                let n = {
                    let mut r = rec.lock().unwrap();
                    r.push(req);
                    r.len() - 1
                };
                let (status, body) = answers[n.min(answers.len() - 1)];
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Endpoint { url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn read_request(conn: &mut std::net::TcpStream) -> Option<Received> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        path,
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    })
}

/// A server whose `Charge` and `Pay` activities are pushed to `ep`.
async fn push_server(dir: &TempDir, ep: &Endpoint) -> (Server, Api) {
    let config = format!(
        "[activities.Pay]\nurl = \"{}/pay\"\ntimeout = \"5s\"\nheaders = {{ X-Key = \"k1\" }}\n",
        ep.url
    );
    let s = Server::start(Launch::data(dir.path()).config(&config)).await;
    let api = s.api();
    api.deploy(
        "flow Buy(card) {\n    r = Pay(card, amount: 5) @retry(3, backoff: 10ms)\n    return r\n}\n",
    )
    .await;
    (s, api)
}

#[tokio::test]
async fn a_push_activity_is_posted_and_its_answer_is_the_result() {
    let ep = Endpoint::start(vec![(200, "{\"charged\": 5}")]);
    let dir = TempDir::new("api");
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api.start_and_wait("Buy", json!("4242")).await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], json!({"charged": 5}));
    let got = ep.received();
    assert_eq!(got.len(), 1, "{got:?}");
    let req = &got[0];
    assert_eq!(req.path, "/pay");
    let call_id = format!("{}-1", id_of(&r));
    assert_eq!(req.body["callId"], call_id.as_str());
    assert_eq!(req.body["runId"], r["id"]);
    assert_eq!(req.body["activity"], "Pay");
    assert_eq!(req.body["args"], json!(["4242", {"amount": 5}]));
    assert_eq!(req.body["attempt"], 1);
    assert_eq!(req.header("idempotency-key"), Some(call_id.as_str()));
    assert_eq!(req.header("x-key"), Some("k1"));
    assert!(req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    // Pushed tasks never show in the pull queue.
    assert_eq!(api.poll_now("Pay").await, Vec::<Value>::new());
}

#[tokio::test]
async fn a_push_4xx_fails_the_call_without_retrying() {
    let ep = Endpoint::start(vec![(400, "{\"why\": \"bad card\"}")]);
    let dir = TempDir::new("api");
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api.start_and_wait("Buy", json!("0000")).await;
    assert_eq!(r["status"], "failed", "{r}");
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(msg.starts_with("Pay failed: "), "one attempt: {msg}");
    assert!(msg.contains("400"), "{msg}");
    assert!(msg.contains("bad card"), "{msg}");
    assert_eq!(r["error"]["location"]["line"], 2);
    assert_eq!(ep.received().len(), 1);
}

#[tokio::test]
async fn a_push_5xx_is_retried_with_the_same_idempotency_key() {
    let ep = Endpoint::start(vec![(503, "{}"), (500, ""), (200, "\"ok\"")]);
    let dir = TempDir::new("api");
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api.start_and_wait("Buy", json!("4242")).await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], "ok");
    let got = ep.received();
    assert_eq!(got.len(), 3, "{got:?}");
    let call_id = format!("{}-1", id_of(&r));
    for (i, req) in got.iter().enumerate() {
        assert_eq!(req.header("idempotency-key"), Some(call_id.as_str()));
        assert_eq!(req.body["callId"], call_id.as_str());
        assert_eq!(req.body["attempt"], i + 1);
    }
    let j = api.journal(&id_of(&r)).await;
    let failures = j.iter().filter(|e| e["type"] == "callFailed").count();
    assert_eq!(failures, 2, "{j:?}");
}

/// Dotted activity names (`mandril.Send`) are one name everywhere: a push
/// binding's quoted key, the pushed body, the pull queue a worker polls,
/// the run's journal.
#[tokio::test]
async fn dotted_activity_names_are_pushed_and_pulled_by_their_whole_name() {
    let ep = Endpoint::start(vec![(200, "{\"sent\": true}")]);
    let dir = TempDir::new("api");
    let config = format!("[activities.\"mandril.Send\"]\nurl = \"{}/send\"\n", ep.url);
    let s = Server::start(Launch::data(dir.path()).config(&config)).await;
    let api = s.api();
    api.deploy(
        "flow Moderate(q) {\n    let text = aws.TextModeration(q)\n    let res = mandril.Send(\"welcome\", q)\n    return [text, res]\n}\n",
    )
    .await;
    let run = api.start("Moderate", json!("hi")).await;
    let id = id_of(&run);
    let task = api.poll_one("aws.TextModeration").await;
    assert_eq!(task["activity"], "aws.TextModeration");
    api.complete(&task, json!({"flagged": false})).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!([{"flagged": false}, {"sent": true}]));
    let got = ep.received();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].body["activity"], "mandril.Send");
    assert_eq!(got[0].body["args"], json!(["welcome", "hi"]));
    let journal = api.get(&format!("/v1/runs/{id}/journal")).await.ok(200);
    let text = journal.to_string();
    assert!(text.contains("\"activity\":\"mandril.Send\""), "{text}");
}

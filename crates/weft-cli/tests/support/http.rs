//! A small client of the HTTP API, as a client in any language would use
//! it: requests, the answer's status, headers and body, and assertions on
//! the API's success and error formats.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::PATIENCE;

/// Runs a page of [`Api::list_all_runs`] asks for.
pub const LIST_PAGE_RUNS: usize = 37;

/// Runs [`Api::list_all_runs`] reads before it decides the list never ends.
pub const LIST_RUNS_MAX: usize = 100_000;

/// An answer: status, headers and body text.
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    /// The body as JSON (a failure if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {:?}: {}",
                self.status, self.headers, self.text
            )
        })
    }

    /// A header's value, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a success with this status; returns the body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        self.json()
    }

    /// Asserts the API's error format with this status and code; returns
    /// the message.
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "wanted {status} {code}: {}", self.text);
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "an error is JSON: {:?}",
            self.headers
        );
        let v = self.json();
        let o = v.as_object().expect("an object");
        assert_eq!(o.keys().collect::<Vec<_>>(), ["error"], "only `error`: {v}");
        assert_eq!(v["error"]["code"], code, "{v}");
        let msg = v["error"]["message"].as_str().expect("a message");
        assert!(!msg.is_empty(), "{v}");
        msg.to_string()
    }
}

/// A client of one server.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    /// A client of the server at `base` (`http://host:port`), sending
    /// `token` if there is one.
    pub fn new(base: &str, token: Option<&str>) -> Api {
        Api {
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(PATIENCE)
                .build()
                .unwrap(),
            base: base.to_string(),
            token: token.map(str::to_string),
        }
    }

    /// The same client with another token.
    pub fn with_token(&self, token: &str) -> Api {
        Api {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    /// Sends a request built with [`Api::request`], with the token.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let req = match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        let r = req.send().await.expect("the server answers");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.expect("a body");
        Resp {
            status,
            headers,
            text,
        }
    }

    /// A request of `method` to `path` (which starts with `/`).
    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        self.http.request(m, format!("{}{path}", self.base))
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.request("GET", path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.request("POST", path).json(&body)).await
    }

    /// A POST of these bytes, with this content type (or none).
    pub async fn post_raw(&self, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Resp {
        let mut req = self.request("POST", path).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        self.send(req).await
    }

    // ----- what most tests do -----

    /// Deploys one file; asserts 201 Created.
    pub async fn deploy(&self, source: &str) -> Value {
        self.post("/v1/flows", json!({ "source": source }))
            .await
            .ok(201)
    }

    /// Starts a run; asserts 201 Created and returns it.
    pub async fn start(&self, flow: &str, input: Value) -> Value {
        self.post("/v1/runs", json!({"flow": flow, "input": input}))
            .await
            .ok(201)
    }

    /// Starts a run; returns its id.
    pub async fn start_id(&self, flow: &str, input: Value) -> String {
        id_of(&self.start(flow, input).await)
    }

    /// Starts a run and waits (`"wait": "10s"`) for it to finish; asserts
    /// 201 Created and returns the run as the answer shows it.
    pub async fn start_and_wait(&self, flow: &str, input: Value) -> Value {
        self.post(
            "/v1/runs",
            json!({"flow": flow, "input": input, "wait": "10s"}),
        )
        .await
        .ok(201)
    }

    pub async fn run(&self, id: &str) -> Value {
        self.get(&format!("/v1/runs/{id}")).await.ok(200)
    }

    /// A callback: `POST /v1/callbacks/{token}` with `{"value": value}`.
    pub async fn callback(&self, token: &str, value: Value) -> Resp {
        self.post(&format!("/v1/callbacks/{token}"), json!({ "value": value }))
            .await
    }

    /// An operator's action on a run: `POST /v1/runs/{id}/{action}`.
    pub async fn action(&self, id: &str, action: &str, body: Value) -> Resp {
        self.post(&format!("/v1/runs/{id}/{action}"), body).await
    }

    /// A run's journal entries.
    pub async fn journal(&self, id: &str) -> Vec<Value> {
        let j = self.get(&format!("/v1/runs/{id}/journal")).await.ok(200);
        j["entries"].as_array().expect("entries").clone()
    }

    /// Polls until the run has this status.
    pub async fn wait_for(&self, id: &str, status: &str) -> Value {
        self.wait_until(id, &format!("become {status}"), |r| r["status"] == status)
            .await
    }

    /// Polls until `done(run)`; `what` names the wait in the failure.
    pub async fn wait_until(&self, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let r = self.run(id).await;
            if done(&r) {
                return r;
            }
            assert!(start.elapsed() < PATIENCE, "run {id} did not {what}: {r}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Leases exactly one task of `activity`, waiting for it to arrive.
    pub async fn poll_one(&self, activity: &str) -> Value {
        let v = self
            .post(
                "/v1/tasks/poll",
                json!({"activities": [activity], "worker": "test", "waitMs": 10_000}),
            )
            .await
            .ok(200);
        let tasks = v["tasks"].as_array().expect("tasks");
        assert_eq!(tasks.len(), 1, "one task of {activity}: {v}");
        tasks[0].clone()
    }

    /// Polls without waiting; returns the tasks.
    pub async fn poll_now(&self, activity: &str) -> Vec<Value> {
        let v = self
            .post(
                "/v1/tasks/poll",
                json!({"activities": [activity], "max": 10}),
            )
            .await
            .ok(200);
        v["tasks"].as_array().expect("tasks").clone()
    }

    /// Completes a task with `value` (the answer is not asserted).
    pub async fn try_complete(&self, task: &Value, value: Value) -> Resp {
        let id = task["taskId"].as_str().expect("a task id");
        self.post(
            &format!("/v1/tasks/{id}/complete"),
            json!({ "value": value }),
        )
        .await
    }

    /// Completes a task; asserts it was accepted.
    pub async fn complete(&self, task: &Value, value: Value) {
        let v = self.try_complete(task, value).await.ok(200);
        assert_eq!(v, json!({"status": "accepted"}));
    }

    /// Fails a task; asserts it was accepted.
    pub async fn fail(&self, task: &Value, error: &str, retryable: bool) {
        let id = task["taskId"].as_str().expect("a task id");
        let v = self
            .post(
                &format!("/v1/tasks/{id}/fail"),
                json!({"error": error, "retryable": retryable}),
            )
            .await
            .ok(200);
        assert_eq!(v, json!({"status": "accepted"}));
    }

    /// Every run, newest first (one page).
    pub async fn runs(&self) -> Vec<Value> {
        let v = self.get("/v1/runs?limit=1000").await.ok(200);
        v["runs"].as_array().unwrap().clone()
    }

    /// Every run, through the list's pages; `query` is added to each
    /// page's (`&status=failed`, or "").
    pub async fn list_all_runs(&self, query: &str) -> Vec<Value> {
        let mut runs = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/runs?limit={LIST_PAGE_RUNS}{query}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = self.get(&path).await.ok(200);
            runs.extend(page["runs"].as_array().cloned().unwrap_or_default());
            match page["nextCursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return runs,
            }
            assert!(runs.len() < LIST_RUNS_MAX, "the run list does not end");
        }
    }

    pub async fn flows(&self) -> Vec<Value> {
        let v = self.get("/v1/flows").await.ok(200);
        v["flows"].as_array().unwrap().clone()
    }
}

/// A run's id (from a start's answer or a run).
#[track_caller]
pub fn id_of(run: &Value) -> String {
    run["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a run id: {run}"))
        .to_string()
}

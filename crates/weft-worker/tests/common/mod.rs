//! A real Weft server in-process, on an ephemeral port, and a small HTTP
//! client for the calls tests make (deploy, start, inspect).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use weft_store::{MemoryStore, Store};
use weft_worker::Level;

/// A token long enough for the server's check.
pub const TOKEN: &str = "test-token-0123456789abcdef";

/// The longest a test waits for a run to reach a status.
pub const RUN_WAIT_MAX: Duration = Duration::from_secs(15);

/// A server a test can stop and start again on the same address and store.
pub struct TestServer {
    server: Option<weft_server::Server>,
    pub addr: SocketAddr,
    pub url: String,
    store: Arc<dyn Store>,
    lease: Duration,
    token: Option<String>,
    http: reqwest::Client,
}

/// How a test server is set up.
pub struct Options {
    /// Where to listen (port 0: any free one).
    pub addr: SocketAddr,
    /// The lease of a polled task.
    pub lease: Duration,
    /// The bearer token, if any.
    pub token: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            lease: Duration::from_secs(30),
            token: None,
        }
    }
}

/// Starts a server on a memory store.
pub async fn start(o: Options) -> TestServer {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut s = TestServer {
        server: None,
        addr: o.addr,
        url: String::new(),
        store,
        lease: o.lease,
        token: o.token,
        http: reqwest::Client::new(),
    };
    s.start_again().await;
    s
}

/// A port nothing listens on (bound, read, and released).
pub fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

impl TestServer {
    fn config(&self) -> weft_server::Config {
        weft_server::Config {
            listen: self.addr,
            data: std::env::temp_dir().join("weft-worker-tests-unused"),
            token: self.token.clone(),
            body_limit_bytes: weft_server::config::BODY_LIMIT_BYTES_DEFAULT,
            lease: self.lease,
            push: Default::default(),
            demo: false,
            database: None,
            node: "test".into(),
            poller_stale: weft_server::workers::POLLER_STALE_DEFAULT,
            http: Default::default(),
            plan: None,
            wasm_cache: None,
            sources: Vec::new(),
        }
    }

    /// Starts the server (again) on its address and store.
    pub async fn start_again(&mut self) {
        assert!(self.server.is_none(), "already running");
        let server = weft_server::start(self.config(), self.store.clone())
            .await
            .expect("the server starts");
        self.addr = server.addr;
        self.url = format!("http://{}", server.addr);
        self.server = Some(server);
    }

    /// Stops the server gracefully; returns how long that took.
    pub async fn stop(&mut self) -> Duration {
        let t = std::time::Instant::now();
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
        t.elapsed()
    }

    fn with_auth(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// POSTs JSON; returns the status and the answer.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .with_auth(self.http.post(format!("{}{path}", self.url)))
            .json(&body)
            .send()
            .await
            .expect("the server answers");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// GETs JSON; returns the status and the answer.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .with_auth(self.http.get(format!("{}{path}", self.url)))
            .send()
            .await
            .expect("the server answers");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The server's `/metrics` text.
    pub async fn metrics(&self) -> String {
        let r = self
            .with_auth(self.http.get(format!("{}/metrics", self.url)))
            .send()
            .await
            .expect("the server answers");
        r.text().await.expect("the metrics' text")
    }

    /// Deploys one file of flows.
    pub async fn deploy(&self, source: &str) {
        let (status, body) = self
            .post("/v1/flows", json!({"source": source, "name": "test.weft"}))
            .await;
        assert_eq!(status, 201, "deploy: {body}");
    }

    /// Starts a run; returns its id.
    pub async fn start_run(&self, flow: &str, input: Value) -> String {
        let (status, body) = self
            .post("/v1/runs", json!({"flow": flow, "input": input}))
            .await;
        assert_eq!(status, 201, "start: {body}");
        body["id"].as_str().unwrap().to_string()
    }

    /// Starts a run and waits for it to finish (or `wait` to pass).
    pub async fn run(&self, flow: &str, input: Value) -> Value {
        let (status, body) = self
            .post(
                "/v1/runs",
                json!({"flow": flow, "input": input, "wait": format!("{}ms", RUN_WAIT_MAX.as_millis())}),
            )
            .await;
        assert_eq!(status, 201, "start: {body}");
        body
    }

    /// A run as the API shows it.
    pub async fn get_run(&self, id: &str) -> Value {
        let (status, body) = self.get(&format!("/v1/runs/{id}")).await;
        assert_eq!(status, 200, "get run: {body}");
        body
    }

    /// Waits until a run's status is `status`.
    pub async fn wait_status(&self, id: &str, status: &str) -> Value {
        let until = std::time::Instant::now() + RUN_WAIT_MAX;
        loop {
            let run = self.get_run(id).await;
            if run["status"] == status {
                return run;
            }
            assert!(
                std::time::Instant::now() < until,
                "run {id} is not {status} after {RUN_WAIT_MAX:?}: {run}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Log lines a worker wrote.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<(Level, String)>>>);

impl Logs {
    /// A logger that records here (and prints, for failing tests).
    pub fn logger(&self) -> impl Fn(Level, &str) + Send + Sync + 'static {
        let lines = self.0.clone();
        move |level, msg| {
            eprintln!("worker: {level}: {msg}");
            lines.lock().unwrap().push((level, msg.to_string()));
        }
    }

    /// Lines of `level` containing `text`.
    pub fn count(&self, level: Level, text: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(l, m)| *l == level && m.contains(text))
            .count()
    }

    /// Every line, for assertion messages.
    pub fn all(&self) -> Vec<(Level, String)> {
        self.0.lock().unwrap().clone()
    }
}

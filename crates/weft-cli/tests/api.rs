//! The HTTP API of `weft serve`, tested against the real binary: each test
//! starts its own server on port 0 with a fresh data directory (a start takes
//! a fraction of a second, and separate servers keep the tests independent),
//! and talks to it over HTTP as a client in any language would.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a test waits for the server to start or a run to get somewhere.
const PATIENCE: Duration = Duration::from_secs(20);

/// The bearer token of servers started with one.
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// The flows most tests deploy (as `flows.weft`).
const FLOWS: &str = "\
flow Echo(x) {
    return x
}

flow Greet(name) {
    g = Hello(name)
    return {greeting: g}
}

flow Hold(x) {
    r = Never(x)
    return r
}

flow Charge(x) {
    r = Pay(x) @retry(1, backoff: 10ms)
    return r
}

flow Confirm(email) {
    c = await SendEmail(email) @timeout(1h)
    return c
}

flow Hurry(email) {
    c = await Ping(email) @timeout(300ms)
    return c
}
";

/// The 1-based line of `FLOWS` holding `needle`.
fn line_of(needle: &str) -> u64 {
    FLOWS
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
        .expect("the needle is in FLOWS")
}

// ----- a temporary directory and the server process -----

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "weft-api-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How to start a server.
#[derive(Default)]
struct Opts {
    /// Require this bearer token (`--token-file`).
    token: Option<&'static str>,
    /// A `--config` file's text.
    config: Option<String>,
}

/// A running `weft serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    /// Its stderr so far.
    log: Arc<Mutex<String>>,
    /// The thread that reads stderr into `log`; it ends when the server does.
    reader: Option<std::thread::JoinHandle<()>>,
    token: Option<String>,
}

/// Arguments of `weft serve` on data directory `dir/data`, writing the token
/// and configuration files into `dir`.
fn serve_args(dir: &Path, listen: &str, opts: &Opts) -> Vec<String> {
    let mut args = vec![
        "serve".to_string(),
        "--listen".into(),
        listen.into(),
        "--data".into(),
        dir.join("data").display().to_string(),
    ];
    if let Some(t) = opts.token {
        let f = dir.join("token");
        std::fs::write(&f, format!("{t}\n")).unwrap();
        args.extend(["--token-file".into(), f.display().to_string()]);
    }
    if let Some(c) = &opts.config {
        let f = dir.join("config.toml");
        std::fs::write(&f, c).unwrap();
        args.extend(["--config".into(), f.display().to_string()]);
    }
    args
}

impl Server {
    /// Starts `weft serve --listen 127.0.0.1:0` on `dir/data` and waits for
    /// the line that says where it listens.
    fn start(dir: &Path, opts: Opts) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
        cmd.args(serve_args(dir, "127.0.0.1:0", &opts))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to
            // kill the server if the test thread that started it goes away
            // without dropping it (the test binary was killed, say).
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().expect("weft serve starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let reader = {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    {
                        let mut l = log.lock().unwrap();
                        l.push_str(&line);
                        l.push('\n');
                    }
                    if let Some(rest) = line.split("listening on http://").nth(1) {
                        let addr = rest.split_whitespace().next().unwrap_or_default();
                        let _ = tx.send(addr.to_string());
                    }
                }
            })
        };
        let addr = match rx.recv_timeout(PATIENCE) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "weft serve did not say where it listens; its stderr:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        Server {
            child,
            url: format!("http://{addr}"),
            log,
            reader: Some(reader),
            token: opts.token.map(str::to_string),
        }
    }

    /// A client that sends the server's token, if it has one.
    fn api(&self) -> Api {
        Api::new(&self.url, self.token.as_deref())
    }

    /// A client that sends no token.
    fn anonymous(&self) -> Api {
        Api::new(&self.url, None)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the process to end.
    fn terminate(&mut self) -> ExitStatus {
        // SAFETY: signals a child this test started and has not reaped.
        let r = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(r, 0, "SIGTERM could not be sent");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Read its last words.
                if let Some(r) = self.reader.take() {
                    r.join().unwrap();
                }
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the server did not stop within {PATIENCE:?} of SIGTERM; its stderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ----- a small HTTP client -----

/// An answer: status, headers and body text.
struct Resp {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {:?}: {}",
                self.status, self.headers, self.text
            )
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a success with this status; returns the body.
    #[track_caller]
    fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        self.json()
    }

    /// Asserts the API's error format with this status and code; returns
    /// the message.
    #[track_caller]
    fn error(&self, status: u16, code: &str) -> String {
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
struct Api {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    fn new(base: &str, token: Option<&str>) -> Api {
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

    fn with_token(&self, token: &str) -> Api {
        Api {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
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

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        self.http.request(m, format!("{}{path}", self.base))
    }

    async fn get(&self, path: &str) -> Resp {
        self.send(self.request("GET", path)).await
    }

    async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.request("POST", path).json(&body)).await
    }

    /// A POST of these bytes, with this content type (or none).
    async fn post_raw(&self, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Resp {
        let mut req = self.request("POST", path).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        self.send(req).await
    }

    // ----- what most tests do -----

    async fn deploy(&self, source: &str) -> Value {
        self.post("/v1/flows", json!({ "source": source }))
            .await
            .ok(201)
    }

    async fn start(&self, flow: &str, input: Value) -> Value {
        self.post("/v1/runs", json!({"flow": flow, "input": input}))
            .await
            .ok(201)
    }

    async fn run(&self, id: &str) -> Value {
        self.get(&format!("/v1/runs/{id}")).await.ok(200)
    }

    /// Polls until the run has this status.
    async fn wait_for(&self, id: &str, status: &str) -> Value {
        let start = Instant::now();
        loop {
            let r = self.run(id).await;
            if r["status"] == status {
                return r;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "run {id} did not become {status}: {r}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Leases exactly one task of `activity`, waiting for it to arrive.
    async fn poll_one(&self, activity: &str) -> Value {
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
    async fn poll_now(&self, activity: &str) -> Vec<Value> {
        let v = self
            .post(
                "/v1/tasks/poll",
                json!({"activities": [activity], "max": 10}),
            )
            .await
            .ok(200);
        v["tasks"].as_array().expect("tasks").clone()
    }

    async fn complete(&self, task: &Value, value: Value) {
        let id = task["taskId"].as_str().unwrap();
        let v = self
            .post(
                &format!("/v1/tasks/{id}/complete"),
                json!({ "value": value }),
            )
            .await
            .ok(200);
        assert_eq!(v, json!({"status": "accepted"}));
    }

    async fn fail(&self, task: &Value, error: &str, retryable: bool) {
        let id = task["taskId"].as_str().unwrap();
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
    async fn runs(&self) -> Vec<Value> {
        let v = self.get("/v1/runs?limit=1000").await.ok(200);
        v["runs"].as_array().unwrap().clone()
    }

    async fn flows(&self) -> Vec<Value> {
        let v = self.get("/v1/flows").await.ok(200);
        v["flows"].as_array().unwrap().clone()
    }
}

/// A server with `FLOWS` deployed.
async fn server_with_flows(dir: &TempDir) -> (Server, Api) {
    let s = Server::start(dir.path(), Opts::default());
    let api = s.api();
    let d = api.deploy(FLOWS).await;
    assert_eq!(d["version"], 1, "{d}");
    (s, api)
}

/// RFC 3339 text in UTC, as the API writes times.
#[track_caller]
fn assert_time(v: &Value) {
    let s = v.as_str().unwrap_or_else(|| panic!("a time: {v}"));
    assert!(
        s.len() >= 20 && s.as_bytes()[4] == b'-' && s.contains('T') && s.ends_with('Z'),
        "RFC 3339: {s}"
    );
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

// ----- flows -----

#[tokio::test]
async fn deploy_in_both_forms_then_list_and_get_flows() {
    let dir = TempDir::new();
    let s = Server::start(dir.path(), Opts::default());
    let api = s.api();
    assert_eq!(api.flows().await, Vec::<Value>::new());

    // One file as `source`: an await without @timeout deploys with W0160.
    let ask_v1 = "flow Ask(q) {\n    a = await Question(q)\n    return a\n}\n";
    let d = api
        .post("/v1/flows", json!({"source": ask_v1, "name": "ask.weft"}))
        .await
        .ok(201);
    assert_eq!(d["version"], 1);
    assert_eq!(d["flows"], json!(["Ask"]));
    let warnings = d["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{d}");
    assert_eq!(warnings[0]["code"], "W0160");
    assert_eq!(warnings[0]["severity"], "warning");
    assert_eq!(warnings[0]["file"], "ask.weft");
    assert_eq!(warnings[0]["line"], 2);

    // Several files as one program: A calls B, defined in the other file.
    let d = api
        .post(
            "/v1/flows",
            json!({"files": [
                {"name": "a.weft", "text": "flow A(x) {\n    return B(x)\n}\n"},
                {"name": "b.weft", "text": "flow B(x) {\n    return x + 1\n}\n"},
            ]}),
        )
        .await
        .ok(201);
    assert_eq!(d["version"], 2);
    assert_eq!(d["flows"], json!(["A", "B"]));
    assert_eq!(d["warnings"], json!([]));
    let r = api
        .post("/v1/runs", json!({"flow": "A", "input": 41, "wait": "10s"}))
        .await
        .ok(201);
    assert_eq!(
        (r["status"].clone(), r["result"].clone()),
        (json!("completed"), json!(42))
    );
    assert_eq!(r["version"], 2);

    // A second version of Ask.
    let ask_v3 = "flow Ask(q) {\n    a = await Question(q) @timeout(1h)\n    return a\n}\n";
    let d = api
        .post("/v1/flows", json!({"source": ask_v3, "name": "ask.weft"}))
        .await
        .ok(201);
    assert_eq!(d["version"], 3);
    assert_eq!(d["warnings"], json!([]));

    assert_eq!(
        api.flows().await,
        vec![
            json!({"name": "A", "latestVersion": 2, "versions": [2]}),
            json!({"name": "Ask", "latestVersion": 3, "versions": [1, 3]}),
            json!({"name": "B", "latestVersion": 2, "versions": [2]}),
        ]
    );

    let f = api.get("/v1/flows/Ask").await.ok(200);
    assert_eq!(f["name"], "Ask");
    assert_eq!(f["latestVersion"], 3);
    assert_eq!(f["source"], ask_v3, "the newest source");
    let versions = f["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{f}");
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(
        versions[0]["files"],
        json!([{"name": "ask.weft", "text": ask_v1}])
    );
    assert_eq!(versions[0]["flows"], json!(["Ask"]));
    assert_time(&versions[0]["createdAt"]);
    assert_eq!(versions[1]["version"], 3);
    assert_eq!(
        versions[1]["files"],
        json!([{"name": "ask.weft", "text": ask_v3}])
    );

    // The source of a flow of a several-file deploy is its own file.
    let f = api.get("/v1/flows/B").await.ok(200);
    assert_eq!(f["source"], "flow B(x) {\n    return x + 1\n}\n");

    let msg = api.get("/v1/flows/Nope").await.error(404, "unknown_flow");
    assert!(msg.contains("Nope"), "{msg}");
}

#[tokio::test]
async fn a_deploy_with_check_errors_is_refused_with_diagnostics() {
    let dir = TempDir::new();
    let s = Server::start(dir.path(), Opts::default());
    let api = s.api();
    let r = api
        .post(
            "/v1/flows",
            json!({"files": [
                {"name": "good.weft", "text": "flow Good(x) {\n    a = await Ask(x)\n    return a\n}\n"},
                {"name": "bad.weft", "text": "flow Bad(x) {\n    break\n}\n"},
            ]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let v = r.json();
    assert_eq!(v["error"]["code"], "check_failed");
    assert_eq!(
        v["error"]["message"],
        "the flows have 1 error(s); nothing was deployed"
    );
    let diags = v["error"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "the error, then the warning: {v}");
    assert_eq!(diags[0]["code"], "E0150");
    assert_eq!(diags[0]["severity"], "error");
    assert_eq!(diags[0]["file"], "bad.weft");
    assert_eq!(
        (diags[0]["line"].clone(), diags[0]["col"].clone()),
        (json!(2), json!(5))
    );
    assert!(diags[0]["rendered"]
        .as_str()
        .unwrap()
        .contains("bad.weft:2:5"));
    assert_eq!(diags[1]["code"], "W0160");
    assert_eq!(diags[1]["file"], "good.weft");

    // A syntax error too.
    let r = api
        .post("/v1/flows", json!({"source": "flow Broken( {\n"}))
        .await;
    r.error(422, "check_failed");
    let d = &r.json()["error"]["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "flows.weft");
    assert!(d["code"].as_str().unwrap().starts_with("E00"), "{d}");

    // Nothing was deployed.
    assert_eq!(api.flows().await, Vec::<Value>::new());
    api.get("/v1/flows/Good").await.error(404, "unknown_flow");
    api.post("/v1/runs", json!({"flow": "Good"}))
        .await
        .error(404, "unknown_flow");
}

#[tokio::test]
async fn weft_deploy_sends_files_to_the_server() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            token: Some(TOKEN),
            ..Opts::default()
        },
    );
    let a = dir.path().join("a.weft");
    let b = dir.path().join("b.weft");
    std::fs::write(&a, "flow A(x) {\n    return B(x)\n}\n").unwrap();
    std::fs::write(&b, "flow B(x) {\n    y = await Ask(x)\n    return y\n}\n").unwrap();
    let deploy = |files: &[&Path], token: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
        cmd.arg("deploy").args(files).args(["--url", &s.url]);
        if token {
            cmd.arg("--token-file").arg(dir.path().join("token"));
        }
        cmd.output().unwrap()
    };
    let o = deploy(&[&a, &b], true);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert_eq!(out, "deployed version 1: A, B\n");
    assert!(
        err.contains("warning[W0160]"),
        "the warning is shown: {err}"
    );
    assert!(err.contains("b.weft:2"), "{err}");
    // Without the token: refused.
    let o = deploy(&[&a, &b], false);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("401"));
    // With an error: refused with the checker's message, nothing deployed.
    std::fs::write(&b, "flow B(x) {\n    break\n}\n").unwrap();
    let o = deploy(&[&a, &b], true);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[E0150]"), "{err}");
    let flows = s.api().flows().await;
    assert_eq!(flows.len(), 2);
    assert_eq!(flows[0]["versions"], json!([1]));
}

// ----- runs -----

#[tokio::test]
async fn a_run_gets_its_task_polled_and_completed() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let run = api.start("Greet", json!("ann")).await;
    let id = run["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 26, "a ULID: {id}");
    assert_eq!(run["flow"], "Greet");
    assert_eq!(run["version"], 1);
    assert_eq!(run["status"], "running");
    assert_eq!(run["input"], "ann");
    assert!(run.get("result").is_none(), "{run}");
    assert_time(&run["createdAt"]);
    assert_time(&run["updatedAt"]);

    let task = api.poll_one("Hello").await;
    assert_eq!(
        keys(&task),
        BTreeSet::from(["taskId", "callId", "runId", "activity", "args", "attempt", "deadline"]),
        "{task}"
    );
    let call_id = task["callId"].as_str().unwrap();
    assert!(call_id.starts_with(&format!("{id}-")), "{task}");
    assert_eq!(task["taskId"], format!("{call_id}.1"));
    assert_eq!(task["runId"], id.as_str());
    assert_eq!(task["activity"], "Hello");
    assert_eq!(task["args"], json!(["ann"]));
    assert_eq!(task["attempt"], 1);
    assert_time(&task["deadline"]);
    // Leased: nobody else gets it.
    assert_eq!(api.poll_now("Hello").await, Vec::<Value>::new());
    // The lease can be extended.
    let hb = api
        .post(
            &format!("/v1/tasks/{}/heartbeat", task["taskId"].as_str().unwrap()),
            json!({}),
        )
        .await
        .ok(200);
    assert_time(&hb["deadline"]);

    api.complete(&task, json!("hi ann")).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(
        keys(&done),
        BTreeSet::from([
            "id",
            "flow",
            "version",
            "status",
            "input",
            "result",
            "createdAt",
            "updatedAt"
        ]),
        "{done}"
    );
    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["flow"], "Greet");
    assert_eq!(done["version"], 1);
    assert_eq!(done["input"], "ann");
    assert_eq!(done["result"], json!({"greeting": "hi ann"}));
    assert_eq!(done["createdAt"], run["createdAt"]);
    assert!(done["updatedAt"].as_str() >= run["updatedAt"].as_str());

    // The task is answered: a second answer is refused.
    let r = api
        .post(
            &format!("/v1/tasks/{}/complete", task["taskId"].as_str().unwrap()),
            json!({"value": "again"}),
        )
        .await;
    r.error(404, "unknown_task");
    assert_eq!(api.run(&id).await["result"], json!({"greeting": "hi ann"}));
}

#[tokio::test]
async fn wait_returns_the_finished_run() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    for wait in [json!("10s"), json!(10_000)] {
        let r = api
            .post(
                "/v1/runs",
                json!({"flow": "Echo", "input": {"a": [1, 2]}, "wait": wait}),
            )
            .await
            .ok(201);
        assert_eq!(r["status"], "completed", "{r}");
        assert_eq!(r["result"], json!({"a": [1, 2]}));
        assert_eq!(api.run(r["id"].as_str().unwrap()).await, r);
    }

    // A run that finishes because a worker answers while the start waits.
    let worker = {
        let api = api.clone();
        tokio::spawn(async move {
            let t = api.poll_one("Hello").await;
            api.complete(&t, json!("hello")).await;
        })
    };
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Greet", "input": "bo", "wait": "15s"}),
        )
        .await
        .ok(201);
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], json!({"greeting": "hello"}));
    worker.await.unwrap();
}

#[tokio::test]
async fn a_wait_that_ends_first_returns_the_run_as_it_stands() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let start = Instant::now();
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 1, "wait": "300ms"}),
        )
        .await
        .ok(201);
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(r["status"], "running", "{r}");
    assert!(r.get("result").is_none());
    assert_eq!(r["waitingFor"][0]["activity"], "Never", "{r}");

    // An awaited call leaves the run waiting.
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Confirm", "input": "a@b.c", "wait": "200ms"}),
        )
        .await
        .ok(201);
    let t = api.poll_one("SendEmail").await;
    api.complete(&t, json!(null)).await;
    let w = api.wait_for(r["id"].as_str().unwrap(), "waiting").await;
    assert_eq!(w["waitingFor"][0]["callback"], true, "{w}");
}

#[tokio::test]
async fn idempotent_starts_return_the_same_run() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let body = json!({"flow": "Hold", "input": 1, "idempotencyKey": "order-17"});
    let first = api.post("/v1/runs", body.clone()).await.ok(201);
    assert_eq!(first["idempotencyKey"], "order-17");
    let second = api.post("/v1/runs", body.clone()).await.ok(200);
    assert_eq!(second["id"], first["id"]);
    // With `wait` too, and a different input: the key decides.
    let third = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 2, "idempotencyKey": "order-17", "wait": "50ms"}),
        )
        .await
        .ok(200);
    assert_eq!(third["id"], first["id"]);
    assert_eq!(third["input"], 1);
    // Another key is another run.
    let other = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 1, "idempotencyKey": "order-18"}),
        )
        .await
        .ok(201);
    assert_ne!(other["id"], first["id"]);
    assert_eq!(api.runs().await.len(), 2);
    // Only one task went out for the key.
    let tasks = api.poll_now("Never").await;
    assert_eq!(tasks.len(), 2, "{tasks:?}");
}

// ----- failures and repair -----

#[tokio::test]
async fn a_failed_task_is_retried_with_the_same_call_id_then_repaired_by_retry() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let run = api.start("Charge", json!({"card": "4242"})).await;
    let id = run["id"].as_str().unwrap();

    let t1 = api.poll_one("Pay").await;
    assert_eq!(t1["attempt"], 1);
    api.fail(&t1, "gateway busy", true).await;
    // @retry(1): a second attempt of the same call.
    let t2 = api.poll_one("Pay").await;
    assert_eq!(t2["callId"], t1["callId"]);
    assert_eq!(t2["attempt"], 2);
    assert_eq!(
        t2["taskId"],
        format!("{}.2", t1["callId"].as_str().unwrap())
    );
    // The first attempt's task is gone.
    api.post(
        &format!("/v1/tasks/{}/complete", t1["taskId"].as_str().unwrap()),
        json!({"value": 1}),
    )
    .await
    .error(404, "unknown_task");

    // Not retryable: the run stops at the call, for an operator.
    api.fail(&t2, "card declined", false).await;
    let failed = api.wait_for(id, "failed").await;
    assert_eq!(
        failed["error"]["message"],
        "Pay failed after 2 attempts: card declined"
    );
    let loc = &failed["error"]["location"];
    assert_eq!(loc["file"], "flows.weft");
    assert_eq!(loc["line"], line_of("r = Pay(x)"));
    assert_eq!(loc["sourceLine"], "r = Pay(x) @retry(1, backoff: 10ms)");
    assert!(loc["col"].as_u64().unwrap() >= 1, "{loc}");
    assert!(failed.get("result").is_none());
    // Nothing is handed out while it is failed.
    assert_eq!(api.poll_now("Pay").await, Vec::<Value>::new());

    // Retry: the same call goes out again.
    let retried = api
        .post(&format!("/v1/runs/{id}/retry"), json!({}))
        .await
        .ok(200);
    assert_eq!(retried["id"], id);
    assert_eq!(retried["status"], "running", "{retried}");
    assert!(retried.get("error").is_none(), "{retried}");
    let t3 = api.poll_one("Pay").await;
    assert_eq!(t3["callId"], t1["callId"]);
    assert_eq!(t3["args"], json!([{"card": "4242"}]));
    assert_eq!(t3["attempt"], 3);
    api.complete(&t3, json!({"charged": true})).await;
    let done = api.wait_for(id, "completed").await;
    assert_eq!(done["result"], json!({"charged": true}));
}

#[tokio::test]
async fn resolve_gives_the_failed_call_a_value() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Charge", json!(1)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Pay").await;
    api.fail(&t, "no such card", false).await;
    let failed = api.wait_for(&id, "failed").await;
    assert_eq!(failed["error"]["message"], "Pay failed: no such card");

    // The body must be `{"value": ...}`.
    api.post(&format!("/v1/runs/{id}/resolve"), json!({}))
        .await
        .error(422, "invalid_body");
    api.post(
        &format!("/v1/runs/{id}/resolve"),
        json!({"value": 1, "x": 2}),
    )
    .await
    .error(422, "invalid_body");
    let r = api
        .post(
            &format!("/v1/runs/{id}/resolve"),
            json!({"value": {"charged": "by hand"}}),
        )
        .await
        .ok(200);
    assert_eq!(r["id"], id.as_str());
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"charged": "by hand"}));
    // An explicit null is a value too.
    let id2 = api.start("Charge", json!(2)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Pay").await;
    api.fail(&t, "nope", false).await;
    api.wait_for(&id2, "failed").await;
    api.post(&format!("/v1/runs/{id2}/resolve"), json!({"value": null}))
        .await
        .ok(200);
    let done = api.wait_for(&id2, "completed").await;
    assert_eq!(done["result"], Value::Null);
}

#[tokio::test]
async fn cancel_ends_a_run_and_withdraws_its_task() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Hold", json!(1)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Never").await;
    let r = api
        .post(
            &format!("/v1/runs/{id}/cancel"),
            json!({"reason": "no longer needed"}),
        )
        .await
        .ok(200);
    assert_eq!(r["status"], "cancelled", "{r}");
    assert_eq!(api.run(&id).await["status"], "cancelled");
    // The worker's late answer finds no task.
    api.post(
        &format!("/v1/tasks/{}/complete", t["taskId"].as_str().unwrap()),
        json!({"value": 1}),
    )
    .await
    .error(404, "unknown_task");
    assert_eq!(api.run(&id).await["status"], "cancelled");
    let journal = api.get(&format!("/v1/runs/{id}/journal")).await.ok(200);
    let last = journal["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["type"], "cancelled");
    assert_eq!(last["reason"], "no longer needed");

    // Without a body (the reason is optional).
    let id2 = api.start("Hold", json!(2)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = api
        .post_raw(&format!("/v1/runs/{id2}/cancel"), None, Vec::new())
        .await
        .ok(200);
    assert_eq!(r["status"], "cancelled");
    // A body that is not `{"reason": ...}`: 422, as on every other route
    // (issue 14; it was 400).
    let id3 = api.start("Hold", json!(3)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.post(&format!("/v1/runs/{id3}/cancel"), json!({"why": "x"}))
        .await
        .error(422, "invalid_body");
    assert_eq!(api.run(&id3).await["status"], "running");
}

#[tokio::test]
async fn repair_of_a_run_that_is_not_failed_conflicts_and_unknown_runs_are_404() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let running = api.start("Hold", json!(1)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let done = api
        .post(
            "/v1/runs",
            json!({"flow": "Echo", "input": 1, "wait": "10s"}),
        )
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    for id in [&running, &done] {
        api.post(&format!("/v1/runs/{id}/retry"), json!({}))
            .await
            .error(409, "not_applicable");
        api.post(&format!("/v1/runs/{id}/resolve"), json!({"value": 1}))
            .await
            .error(409, "not_applicable");
    }
    api.post(&format!("/v1/runs/{done}/cancel"), json!({}))
        .await
        .error(409, "not_applicable");
    assert_eq!(api.run(&running).await["status"], "running");
    assert_eq!(api.run(&done).await["status"], "completed");

    let nope = "01JZZZZZZZZZZZZZZZZZZZZZZZ";
    api.get(&format!("/v1/runs/{nope}"))
        .await
        .error(404, "unknown_run");
    api.get(&format!("/v1/runs/{nope}/journal"))
        .await
        .error(404, "unknown_run");
    for action in ["retry", "cancel"] {
        api.post(&format!("/v1/runs/{nope}/{action}"), json!({}))
            .await
            .error(404, "unknown_run");
    }
    api.post(&format!("/v1/runs/{nope}/resolve"), json!({"value": 1}))
        .await
        .error(404, "unknown_run");
}

// ----- callbacks -----

#[tokio::test]
async fn a_callback_resumes_an_awaited_call_once() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Confirm", json!("ann@example.com")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("SendEmail").await;
    let token = t["callbackToken"]
        .as_str()
        .expect("a callback token")
        .to_string();
    assert_eq!(t["args"], json!(["ann@example.com"]));
    // The task's answer only says the email went out: the run waits.
    api.complete(&t, json!({"sent": true})).await;
    let w = api.wait_for(&id, "waiting").await;
    let wait = &w["waitingFor"][0];
    assert_eq!(wait["kind"], "activity");
    assert_eq!(wait["activity"], "SendEmail");
    assert_eq!(wait["callback"], true);
    assert_eq!(wait["token"], token.as_str());
    assert_time(&wait["until"]);

    let r = api
        .post(
            &format!("/v1/callbacks/{token}"),
            json!({"value": {"status": "ok", "clicked": 1}}),
        )
        .await
        .ok(200);
    assert_eq!(r, json!({"status": "accepted"}));
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"status": "ok", "clicked": 1}));

    // A token works once.
    api.post(&format!("/v1/callbacks/{token}"), json!({"value": 2}))
        .await
        .error(409, "callback_completed");
    api.post(
        "/v1/callbacks/0123456789abcdef0123456789abcdef",
        json!({"value": 2}),
    )
    .await
    .error(404, "unknown_token");
    assert_eq!(
        api.run(&id).await["result"],
        json!({"status": "ok", "clicked": 1})
    );
}

#[tokio::test]
async fn an_await_past_its_timeout_gives_the_timeout_value_and_refuses_a_late_callback() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Hurry", json!("x")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The task is never answered: the timeout bounds the whole wait.
    let t = api.poll_one("Ping").await;
    let token = t["callbackToken"].as_str().unwrap().to_string();
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(
        done["result"],
        json!({"status": "timeout", "type": "timeout"})
    );
    api.post(&format!("/v1/callbacks/{token}"), json!({"value": "late"}))
        .await
        .error(409, "callback_completed");
    assert_eq!(
        api.run(&id).await["result"],
        json!({"status": "timeout", "type": "timeout"})
    );
}

// ----- lists and journals -----

#[tokio::test]
async fn runs_are_listed_newest_first_in_pages_and_filtered() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    // 4 completed Echo runs and 3 running Hold runs, interleaved.
    let mut started = Vec::new();
    for i in 0..7 {
        let id = if i % 2 == 0 {
            api.post(
                "/v1/runs",
                json!({"flow": "Echo", "input": i, "wait": "10s"}),
            )
            .await
            .ok(201)["id"]
                .clone()
        } else {
            api.start("Hold", json!(i)).await["id"].clone()
        };
        started.push(id);
    }
    let newest_first: Vec<Value> = started.iter().rev().cloned().collect();

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let path = match &cursor {
            None => "/v1/runs?limit=3".to_string(),
            Some(c) => format!("/v1/runs?limit=3&cursor={c}"),
        };
        let page = api.get(&path).await.ok(200);
        let runs = page["runs"].as_array().unwrap();
        pages.push(runs.len());
        seen.extend(runs.iter().map(|r| r["id"].clone()));
        match &page["nextCursor"] {
            Value::Null => break,
            Value::String(c) => cursor = Some(c.clone()),
            other => panic!("nextCursor: {other}"),
        }
        assert!(pages.len() < 10, "the cursor walks forever");
    }
    assert_eq!(pages, [3, 3, 1]);
    assert_eq!(seen, newest_first);

    // Filters.
    let ids = |v: Value| -> Vec<Value> {
        v["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].clone())
            .collect()
    };
    let completed = ids(api.get("/v1/runs?status=completed").await.ok(200));
    let echo: Vec<Value> = newest_first
        .iter()
        .enumerate()
        .filter(|(i, _)| (6 - i) % 2 == 0)
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(completed, echo);
    let running = ids(api.get("/v1/runs?status=running").await.ok(200));
    let hold: Vec<Value> = newest_first
        .iter()
        .filter(|id| !echo.contains(id))
        .cloned()
        .collect();
    assert_eq!(running, hold);
    assert_eq!(ids(api.get("/v1/runs?flow=Hold").await.ok(200)), hold);
    assert_eq!(
        ids(api.get("/v1/runs?flow=Echo&status=running").await.ok(200)),
        Vec::<Value>::new()
    );
    let page = api.get("/v1/runs?flow=Echo&limit=2").await.ok(200);
    assert_eq!(ids(page.clone()), echo[..2].to_vec());
    assert!(page["nextCursor"].is_string());
    assert_eq!(
        ids(api.get("/v1/runs?status=failed").await.ok(200)),
        Vec::<Value>::new()
    );

    // Bad queries.
    for q in [
        "status=finished",
        "status=RUNNING",
        "limit=0",
        "limit=1001",
        "limit=-1",
        "limit=ten",
        "colour=blue",
    ] {
        let msg = api
            .get(&format!("/v1/runs?{q}"))
            .await
            .error(400, "invalid_query");
        assert!(!msg.is_empty(), "{q}");
    }
}

#[tokio::test]
async fn the_journal_lists_a_run_s_entries_in_order() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Greet", json!("cy")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Hello").await;
    api.complete(&t, json!("hey")).await;
    api.wait_for(&id, "completed").await;
    let j = api.get(&format!("/v1/runs/{id}/journal")).await.ok(200);
    assert_eq!(j["runId"], id.as_str());
    let entries = j["entries"].as_array().unwrap();
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["started", "callStarted", "callCompleted", "completed"],
        "{j}"
    );
    let mut last_step = 0;
    for e in entries {
        assert_time(&e["at"]);
        let step = e["step"].as_u64().expect("a step number");
        assert!(step >= last_step, "steps in order: {j}");
        last_step = step;
    }
    assert_eq!(entries[0]["input"], "cy");
    assert_eq!(entries[1]["callId"], t["callId"]);
    assert_eq!(entries[1]["activity"], "Hello");
    assert_eq!(entries[1]["args"], json!(["cy"]));
    assert_eq!(entries[1]["attempt"], 1);
    assert_eq!(entries[1]["line"], line_of("g = Hello(name)"));
    assert_eq!(entries[2]["value"], "hey");
    assert_eq!(entries[2]["how"], "returned");
    assert_eq!(entries[3]["result"], json!({"greeting": "hey"}));
    assert!(entries[0]["step"].as_u64() < entries[3]["step"].as_u64());
}

// ----- auth -----

/// A route's path with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{name}", "Echo")
        .replace("{id}", "01JZZZZZZZZZZZZZZZZZZZZZZZ")
        .replace("{token}", "0123456789abcdef0123456789abcdef")
        .replace("{taskId}", "nope.1")
}

#[tokio::test]
async fn with_a_token_every_v1_call_needs_it() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            token: Some(TOKEN),
            ..Opts::default()
        },
    );
    assert!(s.log().contains("bearer token required"), "{}", s.log());
    let api = s.api();
    api.deploy(FLOWS).await;
    let anonymous = s.anonymous();
    let wrong = anonymous.with_token("0123456789abcdef0123456789abcdeX");
    for (method, path) in weft_server::api::ROUTES {
        let path = concrete(path);
        for (who, client) in [("no token", &anonymous), ("a wrong token", &wrong)] {
            let req = client.request(method, &path);
            let req = if *method == "POST" {
                req.json(&json!({"value": 1}))
            } else {
                req
            };
            let r = client.send(req).await;
            let open = !path.starts_with("/v1/") || path.starts_with("/v1/callbacks/");
            if open {
                // Routed (not 404 no_such_path, not 405), and open.
                assert_ne!(r.status, 401, "{method} {path} with {who}: {}", r.text);
                assert_ne!(r.status, 405, "{method} {path}: {}", r.text);
                assert!(
                    !r.text.contains("no_such_path"),
                    "{method} {path}: {}",
                    r.text
                );
            } else {
                // The auth layer only answers for routes that exist.
                let msg = r.error(401, "unauthorized");
                assert_eq!(
                    r.header("www-authenticate"),
                    Some("Bearer realm=\"weft\""),
                    "{method} {path}"
                );
                let expected = if who == "no token" {
                    "Authorization"
                } else {
                    "wrong"
                };
                assert!(msg.contains(expected), "{method} {path} with {who}: {msg}");
            }
        }
    }
    // Other schemes and empty tokens are refused too.
    let r = anonymous
        .send(
            anonymous
                .request("GET", "/v1/runs")
                .header("authorization", format!("Basic {TOKEN}")),
        )
        .await;
    r.error(401, "unauthorized");
    let r = anonymous
        .send(
            anonymous
                .request("GET", "/v1/runs")
                .header("authorization", "Bearer "),
        )
        .await;
    r.error(401, "unauthorized");
    // Nothing was started by the refused requests.
    assert_eq!(api.runs().await, Vec::<Value>::new());

    assert_eq!(
        anonymous.get("/healthz").await.ok(200),
        json!({"status": "ok"})
    );
    let m = anonymous.get("/metrics").await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains("# TYPE weft_runs gauge"), "{}", m.text);

    // A worker with the token; the callback comes from somewhere without.
    let id = api.start("Confirm", json!("x")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("SendEmail").await;
    api.complete(&t, json!(null)).await;
    let token = t["callbackToken"].as_str().unwrap();
    anonymous
        .post(
            &format!("/v1/callbacks/{token}"),
            json!({"value": "clicked"}),
        )
        .await
        .ok(200);
    assert_eq!(api.wait_for(&id, "completed").await["result"], "clicked");
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            token: Some(TOKEN),
            ..Opts::default()
        },
    );
    let api = s.anonymous();
    // RFC 7235: the scheme is a case-insensitive token.
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let r = api
            .send(
                api.request("GET", "/v1/runs")
                    .header("authorization", format!("{scheme} {TOKEN}")),
            )
            .await;
        assert_eq!(r.status, 200, "{scheme}: {}", r.text);
    }
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let dir = TempDir::new();
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(serve_args(dir.path(), "0.0.0.0:0", &Opts::default()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without a token"),
        "{err}"
    );
    assert!(err.contains("--token-file"), "{err}");

    // A token file with a short token is refused too.
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(serve_args(
            dir.path(),
            "127.0.0.1:0",
            &Opts {
                token: Some("short"),
                ..Opts::default()
            },
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at least 16"));
}

// ----- bad input -----

#[tokio::test]
async fn malformed_json_is_invalid_json_even_after_an_unknown_field() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    // serde stops at the first problem it meets: here an unknown field,
    // before the end of the text shows it is not JSON at all.
    for (path, body) in [
        ("/v1/flows", "{\"flow\": "),
        ("/v1/runs", "{\"source\": \"x\", "),
        ("/v1/runs", "{\"flow\": \"Echo\", \"inputs\": 1"),
        ("/v1/runs", "[5"),
        ("/v1/tasks/poll", "{\"activity\": [}"),
        ("/v1/tasks/x.1/fail", "{\"error\": 5,"),
    ] {
        let r = api
            .post_raw(path, Some("application/json"), body.into())
            .await;
        r.error(400, "invalid_json");
    }
    assert_eq!(api.runs().await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_default_body_limit_refuses_two_mib_and_the_connection_stays_usable() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let big = format!(
        "{{\"flow\": \"Echo\", \"input\": \"{}\"}}",
        "x".repeat(2 << 20)
    );
    for _ in 0..3 {
        let r = api
            .post_raw(
                "/v1/runs",
                Some("application/json"),
                big.clone().into_bytes(),
            )
            .await;
        r.error(413, "payload_too_large");
        // The rest of the body was not read: the server says it closes.
        assert_eq!(r.header("connection"), Some("close"));
        // The same client (and its pool of connections) goes on working.
        assert_eq!(api.runs().await, Vec::<Value>::new());
    }
}

#[tokio::test]
async fn an_oversized_cancel_body_gets_a_json_413() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start("Hold", json!(1)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let big = format!("{{\"reason\": \"{}\"}}", "x".repeat(2 << 20));
    api.post_raw(
        &format!("/v1/runs/{id}/cancel"),
        Some("application/json"),
        big.into_bytes(),
    )
    .await
    .error(413, "payload_too_large");
    assert_eq!(api.run(&id).await["status"], "running");
}

#[tokio::test]
async fn a_path_parameter_that_is_not_utf8_gets_a_json_400() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    api.get("/v1/runs/%FF").await.error(400, "bad_request");
    api.get("/v1/runs/%FF/journal")
        .await
        .error(400, "bad_request");
    api.get("/v1/flows/%FF%FE").await.error(400, "bad_request");
    api.post("/v1/runs/%FF/retry", json!({}))
        .await
        .error(400, "bad_request");
    api.post("/v1/callbacks/%C3%28", json!({"value": 1}))
        .await
        .error(400, "bad_request");
    api.post("/v1/tasks/%FF.1/complete", json!({"value": 1}))
        .await
        .error(400, "bad_request");
}

#[tokio::test]
async fn bad_requests_get_json_4xx_errors_and_store_nothing() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    let json_ct = Some("application/json");

    // Malformed JSON, on every route that reads JSON.
    for path in [
        "/v1/flows",
        "/v1/runs",
        "/v1/tasks/poll",
        "/v1/tasks/x.1/complete",
        "/v1/tasks/x.1/fail",
        "/v1/callbacks/abc",
        "/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/resolve",
        "/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/cancel",
    ] {
        for body in ["{", "nul", "{\""] {
            let r = api.post_raw(path, json_ct, body.into()).await;
            r.error(400, "invalid_json");
        }
    }
    // An empty body.
    api.post_raw("/v1/runs", json_ct, Vec::new())
        .await
        .error(400, "invalid_json");
    api.post_raw("/v1/flows", json_ct, Vec::new())
        .await
        .error(400, "invalid_json");
    // No Content-Type, or another one.
    let body = serde_json::to_vec(&json!({"flow": "Echo"})).unwrap();
    api.post_raw("/v1/runs", None, body.clone())
        .await
        .error(415, "unsupported_media_type");
    api.post_raw("/v1/runs", Some("text/plain"), body.clone())
        .await
        .error(415, "unsupported_media_type");
    api.post_raw("/v1/flows", None, b"{\"source\": \"\"}".to_vec())
        .await
        .error(415, "unsupported_media_type");
    // JSON of the wrong shape.
    for body in [
        json!({"flow": 5}),
        json!({"flow": "Echo", "inputs": 1}),
        json!({"input": 1}),
        json!(["Echo"]),
        json!("Echo"),
        json!({"flow": "Echo", "idempotencyKey": 7}),
    ] {
        api.post("/v1/runs", body.clone())
            .await
            .error(422, "invalid_body");
    }
    for body in [
        json!({"source": 5}),
        json!({"source": "flow A(x) {}", "extra": true}),
        json!({"files": [{"name": "a.weft"}]}),
        json!({"files": [{"name": "a.weft", "text": "", "size": 1}]}),
    ] {
        api.post("/v1/flows", body.clone())
            .await
            .error(422, "invalid_body");
    }
    for body in [
        json!({}),
        json!({"files": []}),
        json!({"source": "flow A(x) {}", "files": [{"name": "a.weft", "text": ""}]}),
        json!({"files": [{"name": "a.weft", "text": "flow A(x) {}"}, {"name": "a.weft", "text": "flow B(x) {}"}]}),
        json!({"files": [{"name": "", "text": "flow A(x) {}"}]}),
    ] {
        api.post("/v1/flows", body.clone())
            .await
            .error(400, "bad_request");
    }
    api.post("/v1/runs", json!({"flow": ""}))
        .await
        .error(400, "bad_request");
    api.post("/v1/runs", json!({"flow": "Nope"}))
        .await
        .error(404, "unknown_flow");
    // An oversized idempotency key, and an empty one.
    let long = "k".repeat(weft_server::api::IDEMPOTENCY_KEY_CHARS_MAX + 1);
    let msg = api
        .post("/v1/runs", json!({"flow": "Echo", "idempotencyKey": long}))
        .await
        .error(400, "bad_request");
    assert!(msg.contains("idempotencyKey"), "{msg}");
    api.post("/v1/runs", json!({"flow": "Echo", "idempotencyKey": ""}))
        .await
        .error(400, "bad_request");
    // A `wait` that is not a duration.
    for wait in [
        json!("soon"),
        json!(""),
        json!(-5),
        json!(1.5),
        json!(true),
        json!({"s": 1}),
    ] {
        let msg = api
            .post("/v1/runs", json!({"flow": "Echo", "wait": wait}))
            .await
            .error(400, "bad_request");
        assert!(msg.contains("`wait`"), "{msg}");
    }
    // Tasks: unknown, malformed, bad bodies.
    api.post(
        "/v1/tasks/01JZZZZZZZZZZZZZZZZZZZZZZZ-1.1/complete",
        json!({"value": 1}),
    )
    .await
    .error(404, "unknown_task");
    api.post("/v1/tasks/nope.1/fail", json!({"error": "x"}))
        .await
        .error(404, "unknown_task");
    api.post("/v1/tasks/nope.1/heartbeat", json!({}))
        .await
        .error(404, "unknown_task");
    for id in ["nope", "nope.x", "nope.-1"] {
        api.post(&format!("/v1/tasks/{id}/complete"), json!({"value": 1}))
            .await
            .error(400, "bad_request");
        api.post(&format!("/v1/tasks/{id}/heartbeat"), json!({}))
            .await
            .error(400, "bad_request");
    }
    api.post("/v1/tasks/nope.1/complete", json!({"result": 1}))
        .await
        .error(422, "invalid_body");
    api.post("/v1/tasks/nope.1/fail", json!({"retryable": false}))
        .await
        .error(422, "invalid_body");
    api.post("/v1/tasks/poll", json!({"activities": []}))
        .await
        .error(400, "bad_request");
    api.post("/v1/tasks/poll", json!({"activities": "Hello"}))
        .await
        .error(422, "invalid_body");
    api.post("/v1/callbacks/abc", json!({"valu": 1}))
        .await
        .error(422, "invalid_body");
    // Unknown paths and wrong methods. (`/` is the web UI.)
    for path in ["/v1", "/v2/runs", "/v1/runs/x/y/z", "/v1/openapi.yaml"] {
        api.get(path).await.error(404, "no_such_path");
    }
    let r = api.send(api.request("DELETE", "/v1/runs")).await;
    r.error(405, "method_not_allowed");
    let r = api.send(api.request("PUT", "/v1/flows/Echo")).await;
    r.error(405, "method_not_allowed");
    let r = api.get("/v1/tasks/poll").await;
    r.error(405, "method_not_allowed");
    let r = api.post("/healthz", json!({})).await;
    r.error(405, "method_not_allowed");

    // Nothing was created by any of it.
    assert_eq!(api.runs().await, Vec::<Value>::new());
    assert_eq!(
        api.flows().await,
        vec![
            json!({"name": "Charge", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Confirm", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Echo", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Greet", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Hold", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Hurry", "latestVersion": 1, "versions": [1]}),
        ]
    );
}

#[tokio::test]
async fn a_configured_body_limit_is_enforced() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            config: Some("body_limit_bytes = 65536\n".into()),
            ..Opts::default()
        },
    );
    let api = s.api();
    api.deploy(FLOWS).await;
    let input = "x".repeat(60_000);
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Echo", "input": input, "wait": "10s"}),
        )
        .await
        .ok(201);
    assert_eq!(r["result"], input.as_str());
    let input = "x".repeat(70_000);
    api.post("/v1/runs", json!({"flow": "Echo", "input": input}))
        .await
        .error(413, "payload_too_large");
    api.post(
        "/v1/flows",
        json!({"source": format!("// {input}\n{FLOWS}")}),
    )
    .await
    .error(413, "payload_too_large");
    assert_eq!(api.runs().await.len(), 1);
    assert_eq!(api.flows().await[0]["versions"], json!([1]));
}

#[tokio::test]
async fn payloads_over_one_mib_are_refused_even_under_a_larger_body_limit() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            config: Some("body_limit_bytes = 4194304\n".into()),
            ..Opts::default()
        },
    );
    let api = s.api();
    api.deploy(FLOWS).await;
    let input = "x".repeat(1_100_000);
    let msg = api
        .post("/v1/runs", json!({"flow": "Echo", "input": input}))
        .await
        .error(413, "payload_too_large");
    assert!(msg.contains("payload limit"), "{msg}");
    assert_eq!(api.runs().await, Vec::<Value>::new());

    // A worker's result over the limit is refused; the task stays open.
    let id = api.start("Greet", json!("x")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Hello").await;
    let path = format!("/v1/tasks/{}/complete", t["taskId"].as_str().unwrap());
    api.post(&path, json!({"value": input}))
        .await
        .error(413, "payload_too_large");
    api.complete(&t, json!("small")).await;
    assert_eq!(
        api.wait_for(&id, "completed").await["result"],
        json!({"greeting": "small"})
    );
    // A callback's value, and a resolve's.
    let id = api.start("Confirm", json!("x")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("SendEmail").await;
    let token = t["callbackToken"].as_str().unwrap();
    api.post(&format!("/v1/callbacks/{token}"), json!({ "value": input }))
        .await
        .error(413, "payload_too_large");
    api.post(&format!("/v1/callbacks/{token}"), json!({"value": "ok"}))
        .await
        .ok(200);
    assert_eq!(api.wait_for(&id, "completed").await["result"], "ok");
    let id = api.start("Charge", json!(1)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = api.poll_one("Pay").await;
    api.fail(&t, "declined", false).await;
    api.wait_for(&id, "failed").await;
    api.post(&format!("/v1/runs/{id}/resolve"), json!({ "value": input }))
        .await
        .error(413, "payload_too_large");
    assert_eq!(api.run(&id).await["status"], "failed");
}

// ----- metrics -----

#[tokio::test]
async fn metrics_count_runs_and_show_latency_and_queue_depth() {
    let dir = TempDir::new();
    let (_s, api) = server_with_flows(&dir).await;
    for i in 0..3 {
        api.post(
            "/v1/runs",
            json!({"flow": "Echo", "input": i, "wait": "10s"}),
        )
        .await
        .ok(201);
    }
    api.start("Hold", json!(1)).await;
    api.start("Hold", json!(2)).await;
    // Wait until both tasks are queued.
    let start = Instant::now();
    let text = loop {
        let m = api.get("/metrics").await;
        assert_eq!(m.status, 200);
        assert!(
            m.header("content-type")
                .is_some_and(|c| c.starts_with("text/plain")),
            "{:?}",
            m.headers
        );
        if m.text
            .contains("weft_queue_tasks{activity=\"Never\",state=\"ready\"} 2")
        {
            break m.text;
        }
        assert!(start.elapsed() < PATIENCE, "{}", m.text);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"weft_runs{status=\"completed\"} 3"),
        "{text}"
    );
    assert!(lines.contains(&"weft_runs{status=\"running\"} 2"), "{text}");
    assert!(
        lines.contains(&"weft_queue_tasks{activity=\"Never\",state=\"leased\"} 0"),
        "{text}"
    );
    for h in [
        "weft_step_seconds",
        "weft_commit_seconds",
        "weft_commit_batch_writes",
    ] {
        assert!(
            lines.contains(&format!("# TYPE {h} histogram").as_str()),
            "{h}: {text}"
        );
        let count: u64 = lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{h}_count ")))
            .unwrap_or_else(|| panic!("{h}_count: {text}"))
            .parse()
            .unwrap();
        assert!(count >= 1, "{h}: {text}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{h}_bucket{{le=\"+Inf\"}} {count}"))),
            "{h}: {text}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{h}_sum "))),
            "{h}: {text}"
        );
    }
    // Leasing one moves it from ready to leased.
    api.poll_one("Never").await;
    let text = api.get("/metrics").await.text;
    assert!(
        text.contains("weft_queue_tasks{activity=\"Never\",state=\"ready\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("weft_queue_tasks{activity=\"Never\",state=\"leased\"} 1"),
        "{text}"
    );
}

// ----- push activities -----

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
    let s = Server::start(
        dir.path(),
        Opts {
            config: Some(config),
            ..Opts::default()
        },
    );
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
    let dir = TempDir::new();
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Buy", "input": "4242", "wait": "10s"}),
        )
        .await
        .ok(201);
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], json!({"charged": 5}));
    let got = ep.received();
    assert_eq!(got.len(), 1, "{got:?}");
    let req = &got[0];
    assert_eq!(req.path, "/pay");
    let call_id = format!("{}-1", r["id"].as_str().unwrap());
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
    let dir = TempDir::new();
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Buy", "input": "0000", "wait": "10s"}),
        )
        .await
        .ok(201);
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
    let dir = TempDir::new();
    let (_s, api) = push_server(&dir, &ep).await;
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Buy", "input": "4242", "wait": "10s"}),
        )
        .await
        .ok(201);
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], "ok");
    let got = ep.received();
    assert_eq!(got.len(), 3, "{got:?}");
    let call_id = format!("{}-1", r["id"].as_str().unwrap());
    for (i, req) in got.iter().enumerate() {
        assert_eq!(req.header("idempotency-key"), Some(call_id.as_str()));
        assert_eq!(req.body["callId"], call_id.as_str());
        assert_eq!(req.body["attempt"], i + 1);
    }
    let j = api
        .get(&format!("/v1/runs/{}/journal", r["id"].as_str().unwrap()))
        .await
        .ok(200);
    let failures = j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "callFailed")
        .count();
    assert_eq!(failures, 2, "{j}");
}

// ----- stopping -----

#[tokio::test]
async fn sigterm_stops_cleanly_and_a_restart_keeps_the_runs() {
    let dir = TempDir::new();
    let (mut s, api) = server_with_flows(&dir).await;
    let done = api
        .post(
            "/v1/runs",
            json!({"flow": "Echo", "input": 1, "wait": "10s"}),
        )
        .await
        .ok(201);
    let held = api.start("Hold", json!(2)).await;
    let t = api.poll_one("Never").await;
    let before = api.runs().await;
    assert_eq!(before.len(), 2);

    let status = s.terminate();
    assert_eq!(status.code(), Some(0), "{}", s.log());
    let log = s.log();
    assert!(log.contains("weft: stopped"), "{log}");
    drop(s);

    let s = Server::start(dir.path(), Opts::default());
    let api = s.api();
    assert_eq!(api.runs().await, before);
    assert_eq!(api.run(done["id"].as_str().unwrap()).await["result"], 1);
    // The outstanding task is handed out again, with the same call id.
    let again = api.poll_one("Never").await;
    assert_eq!(again["callId"], t["callId"]);
    assert_eq!(again["taskId"], t["taskId"]);
    api.complete(&again, json!("after the restart")).await;
    let r = api
        .wait_for(held["id"].as_str().unwrap(), "completed")
        .await;
    assert_eq!(r["result"], "after the restart");
    assert_eq!(api.flows().await.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_does_not_wait_for_long_polls() {
    let dir = TempDir::new();
    let (mut s, api) = server_with_flows(&dir).await;
    let poller = {
        let api = api.clone();
        tokio::spawn(async move {
            api.post(
                "/v1/tasks/poll",
                json!({"activities": ["Never"], "waitMs": 60_000}),
            )
            .await
        })
    };
    // Let the poll reach the server.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let status = tokio::task::block_in_place(|| s.terminate());
    assert_eq!(status.code(), Some(0), "{}", s.log());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stopping took {:?}",
        start.elapsed()
    );
    let r = poller.await.unwrap();
    assert_eq!(r.ok(200), json!({"tasks": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_does_not_wait_for_long_synchronous_starts() {
    let dir = TempDir::new();
    let (mut s, api) = server_with_flows(&dir).await;
    let starter = {
        let api = api.clone();
        tokio::spawn(async move {
            api.post(
                "/v1/runs",
                json!({"flow": "Hold", "input": 1, "wait": "60s"}),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let status = tokio::task::block_in_place(|| s.terminate());
    assert_eq!(status.code(), Some(0), "{}", s.log());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stopping took {:?}",
        start.elapsed()
    );
    // The start answers with the run as it stands, as when the wait ends.
    let r = starter.await.unwrap().ok(201);
    assert_eq!(r["status"], "running", "{r}");
    drop(s);
    let s = Server::start(dir.path(), Opts::default());
    assert_eq!(
        s.api().run(r["id"].as_str().unwrap()).await["status"],
        "running"
    );
}

#[tokio::test]
async fn an_expired_lease_hands_the_task_out_again() {
    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            config: Some("lease = \"300ms\"\n".into()),
            ..Opts::default()
        },
    );
    let api = s.api();
    api.deploy(FLOWS).await;
    let id = api.start("Greet", json!("x")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = api.poll_one("Hello").await;
    // The worker dies: no heartbeat, no answer. The task comes back.
    let again = api.poll_one("Hello").await;
    assert_eq!(again["taskId"], first["taskId"]);
    assert_eq!(again["callId"], first["callId"]);
    // Either lease holder may answer; the first answer counts.
    api.complete(&first, json!("late but first")).await;
    api.post(
        &format!("/v1/tasks/{}/complete", again["taskId"].as_str().unwrap()),
        json!({"value": "second"}),
    )
    .await
    .error(404, "unknown_task");
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "late but first"}));
}

// ----- OpenAPI -----

#[tokio::test]
async fn the_served_openapi_document_is_the_checked_in_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let hint = "regenerate it with `cargo run -p weft-cli -- openapi > docs/openapi.json`";
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; {hint}", path.display()));
    let checked_in: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}; {hint}", path.display()));

    let dir = TempDir::new();
    let s = Server::start(
        dir.path(),
        Opts {
            token: Some(TOKEN),
            ..Opts::default()
        },
    );
    let served = s.api().get("/v1/openapi.json").await;
    assert!(served
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    assert!(
        served.json() == checked_in,
        "docs/openapi.json differs from what the server serves; {hint}"
    );
    // `weft openapi` prints the same document.
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("openapi")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(printed == checked_in, "{hint}");
}

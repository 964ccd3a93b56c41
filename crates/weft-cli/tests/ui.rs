//! The web UI, end to end in a real browser: the real server (`weft serve`)
//! with runs in every status, a tiny worker answering their activities, and
//! `crates/weft-server/e2e/ui.mjs` driving Chromium through playwright-core.
//!
//! Needs `node`, `chromium` (Debian's, at /usr/bin/chromium, or the path in
//! `WEFT_CHROMIUM`) and `npm ci` in crates/weft-server/e2e. Without them the
//! test is skipped with a message, or fails when `CI=true`. Screenshots go
//! to `<target>/ui-artifacts/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The flow the test deploys. Line numbers are asserted by ui.mjs.
const FLOW: &str = r#"flow Order(order) {
    stock = Reserve(order.item) @retry(2)
    checks = WaitAll([Fraud(order.id), Address(order.id)])
    if order.express {
        confirmed = await Confirm(order.id) @timeout(1h)
    }
    for line in order.lines {
        Pack(line)
    }
    if order.hold {
        Hold(order.id)
    }
    charge = Charge(order.amount)
    return {status: "ok", charge: charge, stock: stock, checks: checks}
}
"#;

/// Lines of FLOW the browser test looks for.
const CONFIRM_LINE: u32 = 5;
const HOLD_LINE: u32 = 11;
const CHARGE_LINE: u32 = 13;

/// What the worker answers: everything but `Hold` (so a run stays running).
const ACTIVITIES: &[&str] = &["Reserve", "Fraud", "Address", "Confirm", "Pack", "Charge"];

/// The token of the server started with `--token-file`.
const TOKEN: &str = "ui-test-token-0123456789abcdef";

/// Longest the browser script may take.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(240);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn e2e_dir() -> PathBuf {
    repo().join("crates/weft-server/e2e")
}

/// `<target>/ui-artifacts` (the binary is `<target>/<profile>/weft`).
fn artifacts_dir() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_weft"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo().join("target"));
    target.join("ui-artifacts")
}

fn chromium() -> PathBuf {
    std::env::var_os("WEFT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why the browser test cannot run here, if it cannot.
fn missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("`node` is not installed (Node.js 20 or newer)".into());
    }
    if !e2e_dir()
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return Some(format!(
            "playwright-core is not installed in {}",
            e2e_dir().display()
        ));
    }
    if !chromium().exists() {
        return Some(format!("Chromium is not at {}", chromium().display()));
    }
    None
}

// ----- a small HTTP client (std only) -----

/// One request; returns (status, JSON body or Null).
fn http(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("the server accepts connections");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\n");
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if body.is_some() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!(
        "Content-Length: {}\r\n\r\n{payload}",
        payload.len()
    ));
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

// ----- the server -----

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path, token_file: Option<&Path>) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(t) = token_file {
        cmd.arg("--token-file").arg(t);
    }
    let mut child = cmd.spawn().expect("weft serve starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.unwrap_or_default();
        if let Some(rest) = line.strip_prefix("weft: listening on ") {
            url = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let url = url.expect("weft serve prints where it listens");
    Server { child, url }
}

fn deploy(base: &str, token: Option<&str>) {
    let (st, body) = http(
        base,
        "POST",
        "/v1/flows",
        token,
        Some(&json!({"name": "order.weft", "source": FLOW})),
    );
    assert_eq!(st, 201, "deploy: {body}");
}

fn start(base: &str, token: Option<&str>, input: Value) -> String {
    let (st, body) = http(
        base,
        "POST",
        "/v1/runs",
        token,
        Some(&json!({"flow": "Order", "input": input})),
    );
    assert_eq!(st, 201, "start: {body}");
    body["id"].as_str().expect("a run id").to_string()
}

fn wait_status(base: &str, id: &str, want: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, run) = http(base, "GET", &format!("/v1/runs/{id}"), None, None);
        if run["status"] == want {
            return run;
        }
        assert!(
            Instant::now() < deadline,
            "run {id} did not become {want}: {run}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Answers the flow's activities until stopped. `Charge` fails its first
/// attempt for amounts over 100 (so those runs stop as failed, and an
/// operator's retry succeeds); `Confirm` is awaited: completing its task
/// only acknowledges it, and the run waits for the callback.
fn worker(base: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let (st, body) = http(
                &base,
                "POST",
                "/v1/tasks/poll",
                None,
                Some(
                    &json!({"activities": ACTIVITIES, "worker": "ui-test", "max": 20, "waitMs": 200}),
                ),
            );
            if st != 200 {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            for t in body["tasks"].as_array().cloned().unwrap_or_default() {
                let id = t["taskId"].as_str().unwrap_or_default();
                let activity = t["activity"].as_str().unwrap_or_default();
                let amount = t["args"][0].as_f64().unwrap_or(0.0);
                let (path, answer) = match activity {
                    "Charge" if amount > 100.0 && t["attempt"] == 1 => (
                        "fail",
                        json!({"error": "card declined: insufficient funds", "retryable": false}),
                    ),
                    "Charge" => (
                        "complete",
                        json!({"value": {"chargeId": format!("ch-{amount}")}}),
                    ),
                    "Confirm" => ("complete", json!({"value": null})),
                    _ => ("complete", json!({"value": {"ok": true}})),
                };
                http(
                    &base,
                    "POST",
                    &format!("/v1/tasks/{id}/{path}"),
                    None,
                    Some(&answer),
                );
            }
        }
    })
}

/// Rewrites a run's snapshot with a version this build does not read, as
/// a newer build would have written it (SQLite lets the test write while
/// the server runs; the waiting run is not in the server's memory).
fn make_unreadable(data: &Path, run: &str) {
    use weft_store::Store;
    let store = weft_store_sqlite::SqliteStore::open(data).expect("the data directory opens");
    let stored = store.load_run(run).unwrap().expect("the run is stored");
    let mut state: Value = serde_json::from_slice(&stored.state).unwrap();
    state["v"] = json!(99);
    store
        .commit(&weft_store::Batch {
            writes: vec![weft_store::RunWrite {
                record: Some(stored.record),
                state: serde_json::to_vec(&state).unwrap(),
                ..weft_store::RunWrite::default()
            }],
        })
        .unwrap();
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("weft-ui-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn web_ui_in_a_browser() {
    if let Some(why) = missing() {
        let how = "to run them: `apt-get install -y chromium` and \
                   `(cd crates/weft-server/e2e && npm ci)` (.ci/run does both)";
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("the web UI's browser tests cannot run: {why}; {how}");
        }
        eprintln!("skipping the web UI's browser tests: {why}; {how}");
        return;
    }
    let began = Instant::now();
    let dir = temp_dir("data");
    let server = serve(&dir.join("open"), None);
    let base = server.url.clone();
    deploy(&base, None);
    let stop = Arc::new(AtomicBool::new(false));
    let w = worker(base.clone(), stop.clone());

    let order = |id: &str, extra: Value| {
        let mut o = json!({"id": id, "item": "book", "amount": 10, "lines": ["a", "b"]});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    let completed = start(&base, None, order("A", json!({})));
    let callback = start(
        &base,
        None,
        order("B", json!({"express": true, "amount": 20})),
    );
    let waiting = start(&base, None, order("C", json!({"express": true})));
    let cancel_ui = start(&base, None, order("C2", json!({"express": true})));
    let cancelled = start(&base, None, order("D", json!({"express": true})));
    let retry = start(&base, None, order("E", json!({"amount": 500, "lines": []})));
    let resolve = start(&base, None, order("F", json!({"amount": 700})));
    let failed = start(&base, None, order("G", json!({"amount": 900})));
    let stale = start(&base, None, order("G2", json!({"amount": 950})));
    let running = start(&base, None, order("H", json!({"hold": true})));
    let unreadable = start(&base, None, order("U", json!({"express": true})));
    wait_status(&base, &completed, "completed");
    for id in [&callback, &waiting, &cancel_ui, &cancelled] {
        wait_status(&base, id, "waiting");
    }
    // A run this build cannot read: its snapshot rewritten as a newer
    // build's would be; its callback makes the server find out and park it.
    let waited = wait_status(&base, &unreadable, "waiting");
    let token = waited["waitingFor"][0]["token"]
        .as_str()
        .expect("a token")
        .to_string();
    make_unreadable(&dir.join("open"), &unreadable);
    let (st, body) = http(
        &base,
        "POST",
        &format!("/v1/callbacks/{token}"),
        None,
        Some(&json!({"value": {"ok": true}})),
    );
    assert_eq!(
        (st, &body["error"]["code"]),
        (503, &json!("unreadable_state")),
        "{body}"
    );
    wait_status(&base, &unreadable, "failed");
    for id in [&retry, &resolve, &failed, &stale] {
        wait_status(&base, id, "failed");
    }
    let (st, body) = http(
        &base,
        "POST",
        &format!("/v1/runs/{cancelled}/cancel"),
        None,
        Some(&json!({"reason": "cancelled by the test"})),
    );
    assert_eq!(st, 200, "{body}");
    wait_status(&base, &cancelled, "cancelled");
    // The held run stands at Hold, its task unanswered.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, r) = http(&base, "GET", &format!("/v1/runs/{running}"), None, None);
        if r["status"] == "running" && r["position"] == format!("order.weft:{HOLD_LINE}") {
            break;
        }
        assert!(Instant::now() < deadline, "the held run: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A second server that needs a token.
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let locked = serve(&dir.join("locked"), Some(&token_file));
    deploy(&locked.url, Some(TOKEN));
    let (st, _) = http(&locked.url, "GET", "/v1/runs", None, None);
    assert_eq!(st, 401, "the second server needs its token");
    let locked_run = start(&locked.url, Some(TOKEN), order("T", json!({"hold": true})));

    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let config = json!({
        "runs": {
            "completed": completed, "callback": callback, "waiting": waiting,
            "cancelUi": cancel_ui, "cancelled": cancelled, "retry": retry,
            "resolve": resolve, "failed": failed, "stale": stale, "running": running,
            "unreadable": unreadable,
        },
        "counts": {"running": 1, "waiting": 3, "failed": 5, "completed": 1, "cancelled": 1},
        "lines": {"confirm": CONFIRM_LINE, "hold": HOLD_LINE, "charge": CHARGE_LINE},
        "tokenUrl": locked.url,
        "token": TOKEN,
        "tokenRun": locked_run,
        "artifacts": artifacts,
        "chromium": chromium(),
    });
    let setup = began.elapsed();
    let browser_began = Instant::now();
    let mut child = Command::new("node")
        .arg(e2e_dir().join("ui.mjs"))
        .arg(&base)
        .env("WEFT_UI_TEST", config.to_string())
        .current_dir(e2e_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(out).read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(err).read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if browser_began.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    stop.store(true, Ordering::Relaxed);
    let _ = w.join();
    println!("{out}");
    eprintln!("{err}");
    println!(
        "web UI test: setup {:.1}s, browser {:.1}s; screenshots in {}",
        setup.as_secs_f64(),
        browser_began.elapsed().as_secs_f64(),
        artifacts.display()
    );
    match status {
        None => panic!("the browser test did not finish in {BROWSER_TIMEOUT:?}"),
        Some(st) => assert!(
            st.success(),
            "the browser test failed ({st}); screenshots of the failure in {}",
            artifacts.display()
        ),
    }
    drop(server);
    drop(locked);
    let _ = std::fs::remove_dir_all(&dir);
}

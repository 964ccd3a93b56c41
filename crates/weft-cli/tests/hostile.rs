//! Issue 14's hostile clients and damaged files, against the real `weft`
//! binary: no request or damaged file may stop a node.
//!
//! * slow clients: half-open connections, slowloris headers and bodies,
//!   a flood of idle connections under a small file limit, SIGTERM with
//!   idle and half-sent connections open;
//! * a full disk (a small tmpfs; needs root to mount, skips otherwise):
//!   503 `storage_full` at once, `/readyz` and the failure counter say so,
//!   nothing refused is committed later, activity results are kept, and
//!   the server recovers when space returns;
//! * a damaged data directory: a truncated database and a damaged
//!   write-ahead log are refused at start, `weft doctor` finds them;
//!   files are private;
//! * the journal in pages; the smaller items (query, body and deploy
//!   checks; hyper's own 4xx answers with JSON bodies).
//!
//! Hostile flows (issue 14, part 2: runs that must not stop the node, on
//! SQLite and PostgreSQL) are in `hostile/runs.rs`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

#[path = "hostile/runs.rs"]
mod runs;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// How long a test waits for what must happen before calling it a hang:
/// far past every timeout these tests configure, so that only a server
/// that never acts fails, however loaded the machine. The tests bound
/// nothing else from above: what they check is behaviour (who is served,
/// what is closed, what is answered) and lower bounds (nothing closed
/// before its own timeout), which load cannot break.
const HANG: Duration = Duration::from_secs(60);

/// A `weft` process of these tests (killed when dropped).
struct Weft {
    child: Child,
    addr: SocketAddr,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

/// The binary under test; `WEFT_HOSTILE_BIN` runs these tests against
/// another build (to see them fail on one before issue 14).
fn weft_bin() -> String {
    std::env::var("WEFT_HOSTILE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_weft").to_string())
}

/// A scratch directory of one test (`weft-hostile-<pid>-<name>`), removed
/// with everything in it when the test passes; a failed test leaves it to
/// be looked at, as `support::TempDir` does.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn temp_dir(name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("weft-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// A configuration file with `http` limits (TOML lines) and a token.
fn config(dir: &Path, http: &str) -> PathBuf {
    let token = dir.join("token");
    std::fs::write(&token, TOKEN).unwrap();
    let path = dir.join("weft.toml");
    let http = if http.is_empty() {
        String::new()
    } else {
        format!("[http]\n{http}\n")
    };
    std::fs::write(&path, format!("token_file = {:?}\n{http}", token.display())).unwrap();
    path
}

impl Weft {
    /// `weft serve` on `data` with `config`, started through `prefix` (a
    /// program and its arguments, e.g. `prlimit`); returns once it answers.
    async fn serve(prefix: &[&str], data: &Path, config: Option<&Path>) -> Weft {
        Weft::serve_on(prefix, &["--data", &data.display().to_string()], config).await
    }

    /// `weft serve` with `store` (`--data DIR` or `--database URL`).
    async fn serve_on(prefix: &[&str], store: &[&str], config: Option<&Path>) -> Weft {
        let mut args: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
        args.extend([
            weft_bin(),
            "serve".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
        ]);
        args.extend(store.iter().map(|s| s.to_string()));
        if let Some(c) = config {
            args.extend(["--config".into(), c.display().to_string()]);
        }
        let mut cmd = Command::new(&args[0]);
        cmd.args(&args[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; the server dies with the
            // test that started it.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().expect("weft serve starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let addr: Arc<Mutex<Option<String>>> = Arc::default();
        {
            let (log, addr) = (log.clone(), addr.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(rest) = line.strip_prefix("weft: listening on http://") {
                        *addr.lock().unwrap() = rest.split_whitespace().next().map(String::from);
                    }
                    let mut log = log.lock().unwrap();
                    if log.len() < 2_000 {
                        log.push(line);
                    }
                }
            });
        }
        let deadline = Instant::now() + HANG;
        let addr: SocketAddr = loop {
            if let Some(a) = addr.lock().unwrap().clone() {
                break a.parse().unwrap();
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "weft serve exited ({status}):\n{}",
                    log.lock().unwrap().join("\n")
                );
            }
            assert!(Instant::now() < deadline, "weft serve did not listen");
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        Weft {
            child,
            addr,
            url: format!("http://{addr}"),
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn sigterm(&self) {
        // SAFETY: sending a signal to our own child.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
    }

    fn sigkill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits up to `max` for the process to exit.
    async fn exited_within(&mut self, max: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + max;
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Weft {
    fn drop(&mut self) {
        self.sigkill();
    }
}

/// `weft` run to completion: (exit code, stdout, stderr).
fn weft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(weft_bin()).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(HANG).build().unwrap()
}

/// A request with the token: (status, JSON body or null).
async fn call(c: &reqwest::Client, method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut r = c
        .request(method.parse().unwrap(), url)
        .header("authorization", format!("Bearer {TOKEN}"));
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A raw request's whole answer (the server closes or the time is up).
async fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let _ = s.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(HANG, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON body of a raw answer.
fn body_of(answer: &str) -> Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer:?}"))
}

/// True when the server closed `s` (end of stream or reset) within `max`.
async fn closed_within(s: &mut TcpStream, max: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + max;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Watches `s` until the server closes it: the time from `since` at which
/// it was seen closed (never earlier than the close), or `None` if it was
/// still open after [`HANG`].
fn closed_after(mut s: TcpStream, since: Instant) -> tokio::task::JoinHandle<Option<Duration>> {
    tokio::spawn(async move { closed_within(&mut s, HANG).await.then(|| since.elapsed()) })
}

const FLOWS: &str = "flow Hold(x) {\n    r = Work(x)\n    return r\n}\n\nflow Quick(x) {\n    return x\n}\n\nflow Stamps(n) {\n    for _i in range(n) {\n        _t = now()\n    }\n    Sleep(1ms)\n    for _i in range(n) {\n        _t = now()\n    }\n    return n\n}\n";

async fn deploy(c: &reqwest::Client, url: &str) {
    let (status, body) = call(
        c,
        "POST",
        &format!("{url}/v1/flows"),
        Some(json!({"files": [{"name": "f.weft", "text": FLOWS}]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

// ----- slow clients -----

/// A connection that sends nothing and one whose request head trickles in
/// a line every 300 ms are closed at the header timeout (which bounds the
/// whole head, not each read), a kept-alive idle one at the idle timeout,
/// and a fresh client is served while they hang.
#[tokio::test]
async fn half_open_slowloris_and_idle_connections_are_closed() {
    let dir = temp_dir("timeouts");
    let cfg = config(&dir, "header_read_timeout = \"1s\"\nidle_timeout = \"3s\"");
    let w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let started = Instant::now();
    // Connects and sends nothing.
    let half_open = closed_after(TcpStream::connect(w.addr).await.unwrap(), started);
    // Sends a header line every 300 ms, never the end of the head; the
    // first write after the server closed it fails.
    let mut slow = TcpStream::connect(w.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        let mut i = 0;
        while started.elapsed() < HANG {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if slow
                .write_all(format!("X-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                return Some(started.elapsed());
            }
            i += 1;
        }
        None
    });
    // A fresh client is served while those two hang.
    let (status, _) = call(&client(), "GET", &format!("{}/v1/flows", w.url), None).await;
    assert_eq!(status, 200);
    // A kept-alive connection after one request.
    let mut idle = TcpStream::connect(w.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let idle = closed_after(idle, Instant::now());

    let t = half_open
        .await
        .unwrap()
        .expect("a connection that sent nothing stays open");
    assert!(t >= Duration::from_millis(900), "closed too early: {t:?}");
    let t = trickle
        .await
        .unwrap()
        .expect("a request head trickling in stays open");
    assert!(t >= Duration::from_millis(900), "closed too early: {t:?}");
    // The idle one outlives the header timeout, not the idle timeout (the
    // server's idle time starts a little before the client's clock did).
    let t = idle
        .await
        .unwrap()
        .expect("an idle kept-alive connection stays open");
    assert!(
        t >= Duration::from_millis(2_500),
        "an idle kept-alive connection closed at the header timeout ({t:?})"
    );
    // The server still answers.
    let (status, _) = call(&client(), "GET", &format!("{}/v1/flows", w.url), None).await;
    assert_eq!(status, 200);
}

/// A connection from `source` (a loopback address other than 127.0.0.1
/// stands for another client).
async fn connect_from(source: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let s = TcpSocket::new_v4()?;
    s.bind(format!("{source}:0").parse().unwrap())?;
    s.connect(to).await
}

/// 1,400 idle connections from five other addresses against a server
/// whose file limit is 600: without caps it runs out of descriptors and
/// accepts no one; with them (344 in all under that file limit, the
/// longest-idle closed first), an authorised client is served at once.
#[tokio::test]
async fn a_flood_of_idle_connections_does_not_lock_out_a_client() {
    let dir = temp_dir("flood");
    let cfg = config(&dir, "");
    let prefix: &[&str] = if Path::new("/usr/bin/prlimit").exists() {
        &["/usr/bin/prlimit", "--nofile=600:600"]
    } else {
        &[]
    };
    let w = Weft::serve(prefix, &dir.join("data"), Some(&cfg)).await;
    let mut flood = Vec::new();
    for n in 0..1_400 {
        let source = format!("127.0.0.{}", 2 + n % 5);
        // A server that stopped accepting leaves connects in the backlog.
        if let Ok(Ok(s)) =
            tokio::time::timeout(Duration::from_millis(300), connect_from(&source, w.addr)).await
        {
            flood.push(s);
        }
    }
    assert!(flood.len() > 600, "only {} connections opened", flood.len());
    // Served, not left in the backlog until the client gives up.
    let (status, body) = call(&client(), "GET", &format!("{}/v1/runs", w.url), None).await;
    assert_eq!(status, 200, "{body}");
    let (_, metrics) = (
        0,
        client()
            .get(format!("{}/metrics", w.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let value = |name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    assert!(value("weft_connections_refused_total") > 0);
    assert!(
        value("weft_connections") <= 600,
        "{}",
        value("weft_connections")
    );
    drop(flood);
}

/// One address's connections past its cap close its own longest-idle
/// ones: another client keeps the connections it has.
#[tokio::test]
async fn one_client_cannot_take_every_connection() {
    let dir = temp_dir("per-client");
    let cfg = config(
        &dir,
        "connections_per_client_max = 50\nconnections_max = 100",
    );
    let w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let mut other = Vec::new();
    for _ in 0..40 {
        other.push(connect_from("127.0.0.3", w.addr).await.unwrap());
    }
    let mut flood = Vec::new();
    for _ in 0..200 {
        flood.push(connect_from("127.0.0.2", w.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The other client's connections are all open.
    for s in &mut other {
        assert!(!closed_within(s, Duration::from_millis(5)).await);
    }
    // The flood's oldest were closed, its newest are open.
    assert!(closed_within(&mut flood[0], HANG).await);
    assert!(!closed_within(&mut flood[199], Duration::from_millis(5)).await);
    let (status, _) = call(&client(), "GET", &format!("{}/v1/runs", w.url), None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn sigterm_does_not_wait_on_idle_or_half_sent_connections() {
    let dir = temp_dir("sigterm");
    // A grace past HANG: a server that waited on these connections would
    // still be running when the test gives up on it.
    let cfg = config(&dir, "shutdown_grace = \"300s\"");
    let mut w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let _half_open = TcpStream::connect(w.addr).await.unwrap();
    let mut partial = TcpStream::connect(w.addr).await.unwrap();
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(w.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let _ = idle.read(&mut buf).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    w.sigterm();
    let status = w
        .exited_within(HANG)
        .await
        .unwrap_or_else(|| panic!("SIGTERM waited on connections:\n{}", w.log()));
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_is_answered_408() {
    let dir = temp_dir("body");
    let cfg = config(&dir, "body_read_timeout = \"1s\"");
    let w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let answer = raw(
        w.addr,
        format!(
            "POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"flow\":"
        )
        .as_bytes(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(body_of(&answer)["error"]["code"], "request_timeout");
}

#[tokio::test]
async fn requests_hyper_cannot_parse_get_json_errors() {
    let dir = temp_dir("parse");
    let w = Weft::serve(&[], &dir.join("data"), None).await;
    let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let answer = raw(w.addr, long.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 414"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(body_of(&answer)["error"]["code"], "uri_too_long");
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(600_000)
    );
    let answer = raw(w.addr, big.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(body_of(&answer)["error"]["code"], "headers_too_large");
    let answer = raw(w.addr, b"NOT HTTP AT ALL\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(body_of(&answer)["error"]["code"], "bad_request");
    // And the server goes on.
    let (status, _) = call(&client(), "GET", &format!("{}/healthz", w.url), None).await;
    assert_eq!(status, 200);
}

// ----- the health endpoints -----

#[tokio::test]
async fn readyz_reports_the_checks() {
    let dir = temp_dir("readyz");
    let w = Weft::serve(&[], &dir.join("data"), None).await;
    let r = client()
        .get(format!("{}/readyz", w.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ready", "{v}");
    assert_eq!(v["checks"]["storeReachable"], true, "{v}");
    assert!(
        v["checks"]["coreHeartbeatAgeMs"].as_i64().unwrap() <= 5_000,
        "{v}"
    );
    let h: Value = client()
        .get(format!("{}/healthz", w.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "ok");
}

// ----- a full disk -----

/// A tmpfs of `size` mounted at `at`, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "mounting a tmpfs at {} failed (as root)", at.display());
        Some(Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system of `dir` with a file; returns its path.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0x5au8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let small = vec![0x5au8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.flush();
    path
}

#[tokio::test]
async fn a_full_disk_is_answered_503_at_once_and_recovered_from() {
    let root = temp_dir("full");
    let Some(fs) = Tmpfs::mount(&root.join("mnt"), "24m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let data = fs.0.join("data");
    let cfg = config(&root, "");
    let w = Weft::serve(&[], &data, Some(&cfg)).await;
    full_disk_scenario(&w, &fs.0).await;
}

/// The scenario of a disk filling up under a server and freed again;
/// `disk` is where the filler goes.
async fn full_disk_scenario(w: &Weft, disk: &Path) {
    let c = client();
    deploy(&c, &w.url).await;
    // A run waiting for its activity.
    let (status, run) = call(
        &c,
        "POST",
        &format!("{}/v1/runs", w.url),
        Some(json!({"flow": "Hold", "input": "a"})),
    )
    .await;
    assert_eq!(status, 201, "{run}");
    let (_, polled) = call(
        &c,
        "POST",
        &format!("{}/v1/tasks/poll", w.url),
        Some(json!({"activities": ["Work"], "waitMs": 5000})),
    )
    .await;
    let task = polled["tasks"][0]["taskId"]
        .as_str()
        .expect("a task")
        .to_string();

    let filler = fill(disk);
    let pad = "p".repeat(200_000);
    let mut created = vec![run["id"].as_str().unwrap().to_string()];
    let mut refused = Vec::new();
    for i in 0..60 {
        // Answered, not hung (the client gives up after HANG): the commit
        // fails and is not retried behind the caller's back.
        let input = json!({"i": i, "pad": pad});
        let (status, body) = call(
            &c,
            "POST",
            &format!("{}/v1/runs", w.url),
            Some(json!({"flow": "Quick", "input": input})),
        )
        .await;
        match status {
            201 => created.push(body["id"].as_str().unwrap().to_string()),
            503 => {
                assert_eq!(body["error"]["code"], "storage_full", "{body}");
                refused.push(i);
            }
            other => panic!("{other}: {body}"),
        }
        if refused.len() >= 5 {
            break;
        }
    }
    assert!(
        refused.len() >= 5,
        "the disk never filled up: {} runs created",
        created.len()
    );
    // The worker's result arrives while the disk is full.
    let (status, body) = call(
        &c,
        "POST",
        &format!("{}/v1/tasks/{task}/complete", w.url),
        Some(json!({"value": "done"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Readiness says so (a node's own commits must have failed: in a
    // cluster the result may have gone to the inbox, so start once more).
    let _ = call(
        &c,
        "POST",
        &format!("{}/v1/runs", w.url),
        Some(json!({"flow": "Quick", "input": {"pad": pad}})),
    )
    .await;
    let r = c.get(format!("{}/readyz", w.url)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let ready: Value = r.json().await.unwrap();
    assert!(
        ready["error"]["message"].as_str().unwrap().contains("full"),
        "{ready}"
    );
    let metrics = c
        .get(format!("{}/metrics", w.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let failures: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("weft_commit_failures_total "))
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(
        failures >= refused.len() as u64,
        "{failures} failures counted"
    );

    // Space returns.
    std::fs::remove_file(&filler).unwrap();
    let deadline = Instant::now() + HANG;
    loop {
        let (status, body) = call(
            &c,
            "POST",
            &format!("{}/v1/runs", w.url),
            Some(json!({"flow": "Quick", "input": "after", "idempotencyKey": "after"})),
        )
        .await;
        if status == 201 || status == 200 {
            created.push(body["id"].as_str().unwrap().to_string());
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {status} {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The result the worker sent while the disk was full was kept.
    let deadline = Instant::now() + HANG;
    loop {
        let (_, r) = call(
            &c,
            "GET",
            &format!("{}/v1/runs/{}", w.url, created[0]),
            None,
        )
        .await;
        if r["status"] == "completed" {
            assert_eq!(r["result"], "done");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the result sent while the disk was full was lost: {r}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = c.get(format!("{}/readyz", w.url)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Nothing refused was committed later: exactly the runs answered 201.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let (_, page) = call(&c, "GET", &format!("{}/v1/runs?limit=1000", w.url), None).await;
    let mut ids: Vec<String> = page["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    created.sort();
    assert_eq!(ids, created, "refused at {refused:?}");
}

/// One statement on a connection of its own, on a thread of its own.
fn sql(url: &str, statement: &str) -> Result<(), String> {
    let (url, statement) = (url.to_string(), statement.to_string());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .map_err(|e| e.to_string())?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client
                .batch_execute(&statement)
                .await
                .map_err(|e| format!("{statement}: {e}"))
        })
    })
    .join()
    .map_err(|_| "the database thread panicked".to_string())?
}

/// `statement` as PostgreSQL's superuser (through the local socket).
fn as_postgres(port: &str, db: &str, statement: &str) -> bool {
    Command::new("runuser")
        .args([
            "-u",
            "postgres",
            "--",
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-p",
            port,
            "-d",
            db,
            "-c",
            statement,
        ])
        .current_dir("/")
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A tablespace on a small tmpfs, its tables in a schema of their own;
/// all dropped (and unmounted) at the end.
struct PgDisk {
    base: String,
    port: String,
    db: String,
    schema: String,
    tablespace: String,
    fs: Option<Tmpfs>,
}

impl Drop for PgDisk {
    fn drop(&mut self) {
        let _ = sql(
            &self.base,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema),
        );
        as_postgres(
            &self.port,
            &self.db,
            &format!("DROP TABLESPACE IF EXISTS {}", self.tablespace),
        );
        self.fs.take();
    }
}

/// PostgreSQL's data of one schema on a tmpfs that fills up: its tables
/// live in a tablespace there (`default_tablespace`), so inserts fail with
/// "could not extend file" (SQLSTATE 53100) while the server's own log has
/// room. Needs `WEFT_TEST_DATABASE_URL`, root, and a local server.
#[tokio::test]
async fn a_full_disk_on_postgres_is_answered_503_at_once_and_recovered_from() {
    let Ok(base) = std::env::var("WEFT_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true needs WEFT_TEST_DATABASE_URL"
        );
        eprintln!("skipped: WEFT_TEST_DATABASE_URL is not set");
        return;
    };
    let root = temp_dir("pgfull");
    let Some(fs) = Tmpfs::mount(&root.join("mnt"), "24m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    // postgres://user:password@host:port/db
    let rest = base.split_once("://").map(|x| x.1).unwrap_or_default();
    let user = rest.split([':', '@']).next().unwrap_or("weft").to_string();
    let host_port = rest.split('@').nth(1).unwrap_or_default();
    let port = host_port
        .split('/')
        .next()
        .and_then(|hp| hp.rsplit_once(':'))
        .map(|x| x.1.to_string())
        .unwrap_or_else(|| "5432".into());
    let db = host_port
        .split('/')
        .nth(1)
        .unwrap_or("weft_test")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let ts_dir = fs.0.join("ts");
    std::fs::create_dir_all(&ts_dir).unwrap();
    assert!(Command::new("chown")
        .args(["postgres:postgres"])
        .arg(&ts_dir)
        .status()
        .unwrap()
        .success());
    let tag = format!(
        "{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let disk = PgDisk {
        base: base.clone(),
        port: port.clone(),
        db: db.clone(),
        schema: format!("weft_pgfull_{tag}"),
        tablespace: format!("weft_pgfull_{tag}"),
        fs: Some(fs),
    };
    assert!(
        as_postgres(
            &port,
            &db,
            &format!(
                "CREATE TABLESPACE {} LOCATION '{}'",
                disk.tablespace,
                ts_dir.display()
            )
        ),
        "creating a tablespace as postgres failed"
    );
    assert!(as_postgres(
        &port,
        &db,
        &format!("GRANT CREATE ON TABLESPACE {} TO {user}", disk.tablespace)
    ));
    sql(&base, &format!("CREATE SCHEMA {}", disk.schema)).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!(
        "{base}{sep}options=-csearch_path%3D{}%20-cdefault_tablespace%3D{}",
        disk.schema, disk.tablespace
    );
    let cfg = config(&root, "");
    let w = Weft::serve_on(&[], &["--database", &url, "--node", "full"], Some(&cfg)).await;
    full_disk_scenario(&w, &disk.fs.as_ref().unwrap().0).await;
    drop(w);
    drop(disk);
}

// ----- a damaged data directory -----

/// A data directory with runs in it, the server stopped with SIGKILL (the
/// write-ahead log not checkpointed).
async fn data_with_runs(name: &str, runs: usize) -> (Scratch, PathBuf) {
    let dir = temp_dir(name);
    let data = dir.join("data");
    let mut w = Weft::serve(&[], &data, None).await;
    let c = client();
    deploy(&c, &w.url).await;
    for i in 0..runs {
        let (status, body) = call(
            &c,
            "POST",
            &format!("{}/v1/runs", w.url),
            Some(json!({"flow": "Quick", "input": i})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    w.sigkill();
    (dir, data)
}

/// `weft serve` on `data` must refuse to start (a start is what it does
/// instead, so a process still running after [`HANG`] fails); its message.
fn refused_to_start(data: &Path) -> String {
    let mut child = Command::new(weft_bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "weft serve started on the damaged directory {}",
                data.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    use std::io::Read;
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    assert_eq!(status.code(), Some(2), "it started: {err}");
    err
}

#[tokio::test]
async fn a_truncated_database_is_refused_at_start_and_doctor_finds_it() {
    let (_dir, data) = data_with_runs("truncated", 3).await;
    let (code, out, _) = weft(&["doctor", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    std::fs::File::options()
        .write(true)
        .open(data.join("weft.db"))
        .unwrap()
        .set_len(0)
        .unwrap();
    let err = refused_to_start(&data);
    assert!(err.contains("removed, reset or truncated"), "{err}");
    assert_eq!(std::fs::metadata(data.join("weft.db")).unwrap().len(), 0);
    let (code, out, _) = weft(&["doctor", data.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PROBLEM"), "{out}");
    // Commands that read refuse it too.
    let (code, _, err) = weft(&["runs", "list", "--data", data.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[tokio::test]
async fn a_damaged_write_ahead_log_is_refused_and_can_be_accepted() {
    let (_dir, data) = data_with_runs("wal", 12).await;
    let wal = data.join("weft.db-wal");
    let mut bytes = std::fs::read(&wal).unwrap();
    let frame = 24 + 4096;
    let frames = (bytes.len() - 32) / frame;
    let commits: Vec<usize> = (0..frames)
        .filter(|i| bytes[32 + i * frame + 4..32 + i * frame + 8] != [0, 0, 0, 0])
        .collect();
    assert!(commits.len() >= 8, "{commits:?}");
    // A bit flipped in a transaction with four more after it.
    let target = commits[commits.len() - 5] + 1;
    bytes[32 + target * frame + 24 + 1000] ^= 0x04;
    std::fs::write(&wal, &bytes).unwrap();
    let err = refused_to_start(&data);
    assert!(err.contains("write-ahead log"), "{err}");
    assert!(err.contains("weft doctor"), "{err}");
    let (code, out, _) = weft(&["doctor", data.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("damaged"), "{out}");
    // The operator accepts the loss.
    let (code, out, err) = weft(&["doctor", data.to_str().unwrap(), "--accept-wal-loss"]);
    assert_eq!(code, 0, "{out}{err}");
    let w = Weft::serve(&[], &data, None).await;
    let (status, page) = call(
        &client(),
        "GET",
        &format!("{}/v1/runs?limit=100", w.url),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let n = page["runs"].as_array().unwrap().len();
    assert!(n < 12, "{n} runs: nothing was lost?");
}

#[tokio::test]
async fn doctor_exit_codes() {
    let dir = temp_dir("doctor");
    let (code, _, err) = weft(&["doctor", dir.join("nope").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = weft(&["doctor", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no data yet"), "{out}");
}

#[cfg(unix)]
#[tokio::test]
async fn data_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("perms");
    let data = dir.join("data");
    let w = Weft::serve(&[], &data, None).await;
    deploy(&client(), &w.url).await;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for f in ["weft.db", "weft.db-wal", "weft.db-shm", "weft.id"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
}

// ----- the journal, in pages -----

#[tokio::test]
async fn the_journal_is_read_in_pages() {
    let dir = temp_dir("journal");
    let cfg = config(&dir, "");
    let w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let c = client();
    deploy(&c, &w.url).await;
    let (status, run) = call(
        &c,
        "POST",
        &format!("{}/v1/runs", w.url),
        Some(json!({"flow": "Stamps", "input": 1300, "wait": "10s"})),
    )
    .await;
    assert_eq!(status, 201, "{run}");
    assert_eq!(run["status"], "completed", "{run}");
    let id = run["id"].as_str().unwrap();
    // Without paging: the first page, in the old shape, with a cursor.
    let (status, first) = call(&c, "GET", &format!("{}/v1/runs/{id}/journal", w.url), None).await;
    assert_eq!(status, 200);
    assert_eq!(first["runId"], id);
    assert_eq!(first["entries"].as_array().unwrap().len(), 1_000);
    assert!(first["nextCursor"].is_string(), "{}", first["nextCursor"]);
    // Every entry once, in order, through pages of 333.
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => format!("{}/v1/runs/{id}/journal?limit=333", w.url),
            Some(c) => format!("{}/v1/runs/{id}/journal?limit=333&cursor={c}", w.url),
        };
        let (status, page) = call(&c, "GET", &url, None).await;
        assert_eq!(status, 200, "{page}");
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 333);
        all.extend(entries.iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
        assert!(all.len() < 10_000, "the pages do not end");
    }
    let stamps = all.iter().filter(|e| e["type"] == "now").count();
    assert_eq!(stamps, 2_600, "{}", all.len());
    let steps: Vec<i64> = all.iter().map(|e| e["step"].as_i64().unwrap()).collect();
    assert!(steps.windows(2).all(|w| w[0] <= w[1]), "out of order");
    assert_eq!(all[0]["type"], "started");
    assert_eq!(all.last().unwrap()["type"], "completed");
    // Bad queries.
    for q in [
        "cursor=garbage",
        "cursor=1",
        "cursor=",
        "limit=0",
        "limit=1001",
        "page=2",
    ] {
        let (status, body) = call(
            &c,
            "GET",
            &format!("{}/v1/runs/{id}/journal?{q}", w.url),
            None,
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("invalid_query")),
            "{q}: {body}"
        );
    }
}

/// A run's journal keeps its newest JOURNAL_STEPS_PER_RUN_MAX steps; the
/// API's first page and `weft runs show` say how many went.
#[tokio::test]
async fn a_long_journal_says_what_it_dropped() {
    use weft_engine::state::{Entry, EntryKind, Status};
    use weft_store::{Batch, RunWrite, Store};
    let dir = temp_dir("dropped");
    let data = dir.join("data");
    let max = weft_store::JOURNAL_STEPS_PER_RUN_MAX;
    {
        let s = weft_store_sqlite::SqliteStore::open(&data).unwrap();
        let mut rec =
            weft_store::conformance::record("01JZZZZZZZZZZZZZZZZZZZZZZZ", "A", Status::Completed);
        rec.result = Some(json!(1));
        let writes = (0..max + 25)
            .map(|i| RunWrite {
                record: Some(rec.clone().into()),
                created: i == 0,
                journal: vec![Entry {
                    at: 1_000 + i,
                    kind: EntryKind::Now { value: i },
                }],
                ..RunWrite::default()
            })
            .collect();
        s.commit(&Batch { writes }).unwrap();
    }
    // The CLI says so, above the journal and in its JSON.
    let d = data.to_str().unwrap();
    let (code, out, err) = weft(&["runs", "show", "01JZZZZZZZZZZZZZZZZZZZZZZZ", "--data", d]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.split("\njournal\n").nth(1).unwrap_or_default().lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "  (the oldest 25 steps are no longer kept: a run keeps its newest {max} \
                 (JOURNAL_STEPS_PER_RUN_MAX), so this journal starts at step 26)"
            )
            .as_str()
        ),
        "{out}"
    );
    assert!(
        lines.next().unwrap().trim_start().starts_with("26 "),
        "{out}"
    );
    let (code, out, err) = weft(&[
        "runs",
        "show",
        "01JZZZZZZZZZZZZZZZZZZZZZZZ",
        "--json",
        "--data",
        d,
    ]);
    assert_eq!(code, 0, "{err}");
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["droppedSteps"], 25);
    assert_eq!(shown["journal"][0]["step"], 26);
    let cfg = config(&dir, "");
    let w = Weft::serve(&[], &data, Some(&cfg)).await;
    let (status, page) = call(
        &client(),
        "GET",
        &format!(
            "{}/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/journal?limit=5",
            w.url
        ),
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["droppedSteps"], 25, "{page}");
    assert_eq!(page["entries"][0]["step"], 26);
    assert_eq!(page["entries"][0]["value"], 25);
}

// ----- the smaller items -----

#[tokio::test]
async fn queries_bodies_and_deploys_are_checked() {
    let dir = temp_dir("small");
    let cfg = config(&dir, "");
    let w = Weft::serve(&[], &dir.join("data"), Some(&cfg)).await;
    let c = client();
    deploy(&c, &w.url).await;
    let url = &w.url;
    // Lists: an empty value or a cursor that is not one.
    for q in ["status=", "cursor=garbage", "cursor=01J", "flow=", "limit="] {
        let (status, body) = call(&c, "GET", &format!("{url}/v1/runs?{q}"), None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("invalid_query")),
            "{q}: {body}"
        );
    }
    // Polls, as their schema says.
    for (body, want) in [
        (json!({"activities": ["Work"], "max": 0}), 400),
        (json!({"activities": ["Work"], "max": 101}), 400),
        (json!({"activities": ["Work"], "waitMs": 60_001}), 400),
        (json!({"activities": ["Work"], "worker": null}), 422),
        (json!({"activities": ["Work"], "worker": 5}), 422),
        (json!({"activities": ["Work"], "worker": ""}), 400),
        (json!({"activities": [""]}), 400),
        (json!({"activities": ["x".repeat(300)]}), 400),
    ] {
        let (status, resp) = call(
            &c,
            "POST",
            &format!("{url}/v1/tasks/poll"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, want, "{body}: {resp}");
    }
    let (status, _) = call(
        &c,
        "POST",
        &format!("{url}/v1/tasks/poll"),
        Some(json!({"activities": ["Work"], "max": 100, "waitMs": 0, "worker": "w1"})),
    )
    .await;
    assert_eq!(status, 200);
    // Duplicate keys, at the top and deep inside.
    for body in [
        r#"{"flow": "Quick", "flow": "Hold"}"#,
        r#"{"flow": "Quick", "input": {"a": 1, "b": {"c": 1, "c": 2}}}"#,
    ] {
        let r = c
            .post(format!("{url}/v1/runs"))
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400, "{body}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "invalid_json");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("twice"),
            "{v}"
        );
    }
    // /cancel takes JSON or nothing, like the other routes.
    let (_, run) = call(
        &c,
        "POST",
        &format!("{url}/v1/runs"),
        Some(json!({"flow": "Hold", "input": 1})),
    )
    .await;
    let id = run["id"].as_str().unwrap();
    let r = c
        .post(format!("{url}/v1/runs/{id}/cancel"))
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "text/plain")
        .body("{\"reason\": \"x\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    let (status, body) = call(
        &c,
        "POST",
        &format!("{url}/v1/runs/{id}/cancel"),
        Some(json!({"reason": 5})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_body")),
        "{body}"
    );
    // Deploys: file names, empty sources, no flows.
    let long = "n".repeat(300);
    for name in [
        "../../x.weft",
        "/etc/x.weft",
        "a\u{0}b.weft",
        "a\nb.weft",
        long.as_str(),
        "a/../b.weft",
        "a\\b.weft",
        "a//b.weft",
    ] {
        let (status, body) = call(
            &c,
            "POST",
            &format!("{url}/v1/flows"),
            Some(json!({"files": [{"name": name, "text": "flow A(x) {\n    return x\n}\n"}]})),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("bad_request")),
            "{name:?}: {body}"
        );
    }
    let (status, body) = call(
        &c,
        "POST",
        &format!("{url}/v1/flows"),
        Some(json!({"files": [{"name": "ok/sub.weft", "text": "flow A(x) {\n    return x\n}\n"}]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    for body in [
        json!({"source": ""}),
        json!({"source": "  \n"}),
        json!({"files": [{"name": "a.weft", "text": "flow A(x) {\n    return x\n}\n"}, {"name": "b.weft", "text": ""}]}),
        json!({"source": "// only a comment\n"}),
        json!({"source": "activity Work(x: number) -> number\n"}),
    ] {
        let (status, resp) = call(&c, "POST", &format!("{url}/v1/flows"), Some(body.clone())).await;
        assert_eq!(status, 400, "{body}: {resp}");
    }
    let (_, flows) = call(&c, "GET", &format!("{url}/v1/flows"), None).await;
    assert_eq!(
        flows["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["latestVersion"].as_i64().unwrap())
            .max(),
        Some(2),
        "a refused deploy made a version: {flows}"
    );
}

//! What the tests that start real `weft serve` processes share: the
//! process (killed with SIGKILL when dropped), a seeded generator for
//! schedules that can be replayed, and small HTTP helpers.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// Arguments of `weft serve` on a data directory, on a free loopback port.
pub fn serve_args(data: &Path, config: Option<&Path>) -> Vec<String> {
    let mut args = vec![
        "serve".to_string(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data".into(),
        data.display().to_string(),
    ];
    if let Some(c) = config {
        args.extend(["--config".into(), c.display().to_string()]);
    }
    args
}

/// Longest wait for a server to listen and answer `/healthz`.
pub const SERVER_START_MAX: Duration = Duration::from_secs(30);

/// Lines of a server's stderr kept for failure messages.
pub const LOG_LINES_MAX: usize = 200;

/// A `weft serve` process. Dropping it kills it (SIGKILL), so a failing
/// test leaves no server behind.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its stderr so far (the last [`LOG_LINES_MAX`] lines).
    log: Arc<Mutex<Vec<String>>>,
    /// When it was spawned (epoch ms; the server's clock is the same).
    pub spawned_ms: i64,
}

impl Server {
    /// Starts `weft` with `args` (a `serve` listening on 127.0.0.1:0);
    /// returns once `/healthz` answers.
    pub async fn start(client: &reqwest::Client, args: Vec<String>) -> Server {
        Server::start_bin(client, Path::new(env!("CARGO_BIN_EXE_weft")), args).await
    }

    /// [`Server::start`] with another `weft` binary (an earlier release's,
    /// for golden data).
    pub async fn start_bin(client: &reqwest::Client, bin: &Path, args: Vec<String>) -> Server {
        let spawned_ms = now_ms();
        let mut cmd = Command::new(bin);
        cmd.args(&args);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to
            // kill the server if the test that started it dies without
            // dropping it (the test binary was killed, say).
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("`weft serve` starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let addr: Arc<Mutex<Option<String>>> = Arc::default();
        {
            let (log, addr) = (log.clone(), addr.clone());
            // Keeps draining stderr so the server never blocks writing to it.
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(rest) = line.strip_prefix("weft: listening on ") {
                        let url = rest.split_whitespace().next().unwrap_or_default();
                        *addr.lock().unwrap() = Some(url.to_string());
                    }
                    let mut log = log.lock().unwrap();
                    if log.len() == LOG_LINES_MAX {
                        log.remove(0);
                    }
                    log.push(line);
                }
            });
        }
        let mut server = Server {
            child,
            url: String::new(),
            log,
            spawned_ms,
        };
        let deadline = Instant::now() + SERVER_START_MAX;
        loop {
            if let Some(url) = addr.lock().unwrap().clone() {
                server.url = url;
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "`weft serve` exited ({status}) before listening:\n{}",
                    server.log_tail()
                );
            }
            assert!(
                Instant::now() < deadline,
                "`weft serve` did not listen within {SERVER_START_MAX:?}:\n{}",
                server.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        loop {
            let health = client
                .get(format!("{}/healthz", server.url))
                .timeout(Duration::from_secs(2))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "`weft serve` at {} did not answer /healthz within {SERVER_START_MAX:?}:\n{}",
                server.url,
                server.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGTERM, then waits for the process to exit (SIGKILL after
    /// `within`): a graceful stop that commits what is pending.
    pub fn stop(&mut self, within: Duration) {
        // SAFETY: kill(2) with the pid of our own child process.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "`weft serve` did not stop within {within:?} of SIGTERM:\n{}",
            self.log_tail()
        );
    }

    /// SIGKILL: no shutdown, no final commit.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log_tail(&self) -> String {
        let log = self.log.lock().unwrap();
        let from = log.len().saturating_sub(30);
        log[from..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("weft-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// SplitMix64: a small seeded generator, so a schedule can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

pub fn seed() -> u64 {
    match std::env::var("WEFT_CRASH_SEED") {
        Ok(s) => s.trim().parse().expect("WEFT_CRASH_SEED is a number"),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    }
}

pub async fn deploy(client: &reqwest::Client, url: &str, text: &str) {
    let r = client
        .post(format!("{url}/v1/flows"))
        .json(&json!({"files": [{"name": "crash.weft", "text": text}]}))
        .send()
        .await
        .expect("deploy is answered");
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert_eq!(status.as_u16(), 201, "deploy: {body}");
}

pub async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    let r = client
        .get(url)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "GET {url}: {status}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {body}"))
}

/// Every run, through the list's pages.
pub async fn list_all_runs(client: &reqwest::Client, url: &str, query: &str) -> Vec<Value> {
    let mut runs = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut page_url = format!("{url}/v1/runs?limit=37{query}");
        if let Some(c) = &cursor {
            page_url.push_str(&format!("&cursor={c}"));
        }
        let page = get_json(client, &page_url).await;
        runs.extend(page["runs"].as_array().cloned().unwrap_or_default());
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return runs,
        }
        assert!(runs.len() < 100_000, "the run list does not end");
    }
}

/// The first argument of a task (`args` is the list of the call's arguments).
pub fn first_arg(args: &Value) -> &Value {
    match args {
        Value::Array(a) => a.first().unwrap_or(&Value::Null),
        other => other,
    }
}

pub fn int(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("expected a whole number, got {v}"))
}

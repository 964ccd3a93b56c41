//! What the sources' tests share: a sink that takes each event id once,
//! like the engine's entry point, and real servers started per test.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use weft_sources::{BoxFuture, IncomingEvent, IngestOutcome, Sink, SinkError};

/// A sink that keeps every event once by id, and can be told to fail
/// (the engine away) or to stall after taking a batch (a crash between
/// "durable" and "acknowledged").
#[derive(Default)]
pub struct RecordingSink {
    /// Events taken, by id, with how often each was offered.
    pub seen: Mutex<HashMap<String, (IncomingEvent, usize)>>,
    /// Calls to fail before taking anything.
    pub fail_next: AtomicUsize,
    /// After this many events are taken, the next call takes its batch
    /// and then never returns (0: never stall).
    pub stall_after: AtomicUsize,
    /// Calls so far.
    pub calls: AtomicUsize,
}

impl RecordingSink {
    /// Distinct events taken.
    pub fn distinct(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Offers of ids taken before.
    pub fn duplicates(&self) -> usize {
        self.seen.lock().unwrap().values().map(|(_, n)| n - 1).sum()
    }

    /// Waits until `n` distinct events are taken.
    pub async fn wait_for(&self, n: usize, within: Duration) {
        let start = Instant::now();
        while self.distinct() < n {
            assert!(
                start.elapsed() < within,
                "{} of {n} events after {within:?}",
                self.distinct()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Sink for RecordingSink {
    fn ingest(
        &self,
        events: Vec<IncomingEvent>,
    ) -> BoxFuture<'_, Result<IngestOutcome, SinkError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self
                .fail_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(SinkError::Unavailable("the engine is away".into()));
            }
            if let Some(e) = events.iter().find(|e| e.data.get("refuse").is_some()) {
                return Err(SinkError::Rejected(format!(
                    "event {} is over a limit",
                    e.id
                )));
            }
            let mut outcome = IngestOutcome::default();
            {
                let mut seen = self.seen.lock().unwrap();
                for e in events {
                    match seen.get_mut(&e.id) {
                        Some((_, n)) => {
                            *n += 1;
                            outcome.duplicates += 1;
                        }
                        None => {
                            seen.insert(e.id.clone(), (e, 1));
                            outcome.accepted += 1;
                        }
                    }
                }
            }
            let stall = self.stall_after.load(Ordering::SeqCst);
            if stall > 0 && self.distinct() >= stall {
                // Durable, never answered: the source cannot acknowledge.
                std::future::pending::<()>().await;
            }
            Ok(outcome)
        })
    }
}

/// Whether a test that needs `binary` runs: it is skipped without it,
/// unless CI=true, where a missing server is a failure.
pub fn have(binary: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {binary}"))
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{binary} is not installed, and CI=true (.ci/run installs it)"
        );
        eprintln!("skipped: {binary} is not installed");
    }
    found
}

/// A free local port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed when dropped, with its temporary directory.
pub struct Server {
    child: Child,
    dir: PathBuf,
    /// Its port.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "weft-sources-{what}-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wait_port(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no server on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `nats-server -js` on a free port, its store in a temp dir.
pub fn nats_server() -> Server {
    let port = free_port();
    let dir = temp_dir("nats");
    let child = Command::new("nats-server")
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server starts");
    wait_port(port);
    Server { child, dir, port }
}

/// `redis-server` on a free port, its files in a temp dir, no saving.
pub fn redis_server() -> Server {
    redis_server_on(free_port())
}

/// `redis-server` on `port`.
pub fn redis_server_on(port: u16) -> Server {
    let dir = temp_dir("redis");
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
        ])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server starts");
    wait_port(port);
    Server { child, dir, port }
}

/// The shared sink as the trait object the sources take.
pub fn sink(s: &Arc<RecordingSink>) -> Arc<dyn Sink> {
    s.clone()
}

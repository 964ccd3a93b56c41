//! What the tests that start the real `weft serve` share: the server
//! process ([`Server`], started as a [`Launch`] says, on port 0 with a
//! fresh data directory or a database), a client of its HTTP API ([`Api`],
//! [`Resp`]), temporary directories, and a seeded generator for schedules
//! that can be replayed.

// Each test binary that includes this uses a part of it.
#![allow(dead_code, unused_imports)]

mod http;
pub mod load;
pub mod machines;
mod server;

pub use http::{id_of, Api, Resp};
pub use server::{Launch, Server};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// How long a test waits for a server to start or stop, for an answer, or
/// for a run to get somewhere.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Whether the tests run under CI (`CI=true`), where a missing tool or
/// service is a failure rather than a reason to skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fresh directory under the system's temporary one, removed when
/// dropped, unless the test is failing (what it holds may explain why).
pub struct TempDir(PathBuf);

impl TempDir {
    /// `weft-test-<pid>-<n>-<name>`.
    pub fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "weft-test-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
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

/// The seed of a randomised schedule: `WEFT_CRASH_SEED`, or the clock.
pub fn seed() -> u64 {
    match std::env::var("WEFT_CRASH_SEED") {
        Ok(s) => s.trim().parse().expect("WEFT_CRASH_SEED is a number"),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
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

//! What each source did last, for the web UI and the API.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// One source's state as this node sees it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceStatus {
    /// The source's name.
    pub name: String,
    /// `http`, `postgres`, `nats` or `redis`.
    pub kind: String,
    /// When it last read (polled, fetched) successfully, in ms since the epoch.
    pub last_poll_ms: Option<i64>,
    /// When it last handed events to the engine, in ms since the epoch.
    pub last_event_ms: Option<i64>,
    /// The last failure, while it lasts (cleared by the next success).
    pub error: Option<String>,
    /// When that failure happened, in ms since the epoch.
    pub error_ms: Option<i64>,
    /// Items known to wait in the source (JetStream's pending count, a
    /// Redis group's lag; a pull source: 1 when its last poll was full,
    /// so more wait, else 0). `None` when the source cannot tell.
    pub lag: Option<u64>,
    /// Events it handed over that were new, since this node started.
    pub accepted: u64,
    /// Events it handed over that the engine had already taken.
    pub duplicates: u64,
    /// A pull source's cursor after its last poll.
    pub cursor: Option<String>,
}

/// The statuses of all sources of this node, shared with the server.
#[derive(Clone, Debug, Default)]
pub struct Statuses {
    inner: Arc<Mutex<BTreeMap<String, SourceStatus>>>,
}

/// Now in ms since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Statuses {
    /// Every source's status, by name.
    pub fn list(&self) -> Vec<SourceStatus> {
        match self.inner.lock() {
            Ok(m) => m.values().cloned().collect(),
            Err(p) => p.into_inner().values().cloned().collect(),
        }
    }

    /// Changes one source's status.
    pub fn update(&self, name: &str, f: impl FnOnce(&mut SourceStatus)) {
        let mut m = match self.inner.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        let s = m.entry(name.to_string()).or_insert_with(|| SourceStatus {
            name: name.to_string(),
            ..SourceStatus::default()
        });
        f(s);
    }

    /// Records a successful read.
    pub fn polled(&self, name: &str, lag: Option<u64>) {
        self.update(name, |s| {
            s.last_poll_ms = Some(now_ms());
            s.lag = lag;
            s.error = None;
            s.error_ms = None;
        });
    }

    /// Records what the engine took.
    pub fn ingested(&self, name: &str, outcome: crate::IngestOutcome) {
        self.update(name, |s| {
            s.last_event_ms = Some(now_ms());
            s.accepted += outcome.accepted as u64;
            s.duplicates += outcome.duplicates as u64;
        });
    }

    /// Records a failure.
    pub fn failed(&self, name: &str, error: &str) {
        self.update(name, |s| {
            s.error = Some(error.to_string());
            s.error_ms = Some(now_ms());
        });
    }
}

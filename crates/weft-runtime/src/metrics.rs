//! Counters and histograms the runtime keeps about itself, as atomics (no
//! locks on the hot path). The server renders them for Prometheus.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

/// A histogram with fixed upper bounds (cumulative, like Prometheus').
pub struct Histogram {
    /// Upper bounds of the buckets, ascending.
    pub bounds: &'static [f64],
    counts: Vec<AtomicU64>,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    /// A histogram with these bucket bounds.
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_micros: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    /// Records one observation.
    pub fn observe(&self, v: f64) {
        if let Some(i) = self.bounds.iter().position(|b| v <= *b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros
            .fetch_add((v * 1e6) as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Cumulative counts per bound, the sum and the total count.
    pub fn snapshot(&self) -> (Vec<(f64, u64)>, f64, u64) {
        let mut acc = 0;
        let buckets = self
            .bounds
            .iter()
            .zip(&self.counts)
            .map(|(b, c)| {
                acc += c.load(Ordering::Relaxed);
                (*b, acc)
            })
            .collect();
        (
            buckets,
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
            self.count.load(Ordering::Relaxed),
        )
    }
}

/// Seconds: from 100 µs to 10 s.
pub const LATENCY_BOUNDS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    10.0,
];

/// Writes per batch.
pub const BATCH_BOUNDS: &[f64] = &[
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 4096.0,
];

/// What the runtime measures.
pub struct Metrics {
    /// Writes (run steps) per committed batch.
    pub batch_writes: Histogram,
    /// Time from handing a batch to the store to its durable commit.
    pub commit_seconds: Histogram,
    /// Time from the event that caused a step to the step being durable.
    pub step_seconds: Histogram,
    /// Batches the store refused or failed to commit (and batches built
    /// on one that failed, which are not tried).
    pub commit_failures: AtomicU64,
    /// When the core thread last went round its loop (epoch ms); it goes
    /// round at least every [`crate::runtime::HEARTBEAT`] when idle.
    pub core_heartbeat_ms: AtomicI64,
    /// Times the core thread went round its loop. Each round handles
    /// messages or a timeout; a count far above the messages and commits
    /// means the loop spins instead of waiting.
    pub core_rounds: AtomicU64,
    /// When a batch last committed (epoch ms; 0: never).
    pub last_commit_ms: AtomicI64,
    /// When the oldest batch not yet committed was handed to the store
    /// (epoch ms; 0: none in flight).
    pub commit_in_flight_since_ms: AtomicI64,
    /// The last failed commit (epoch ms, why), until a batch commits again.
    pub commit_failing: Mutex<Option<(i64, String)>>,
    /// Transactions committed: batches that waited for the writer together
    /// are one (see `runtime.rs`'s `writer_loop`), so this is at most the
    /// count of `commit_seconds`.
    pub transactions: AtomicU64,
}

impl Metrics {
    /// The last failed commit, if no batch committed since.
    pub fn failing(&self) -> Option<(i64, String)> {
        self.commit_failing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_failing(&self, failing: Option<(i64, String)>) {
        *self
            .commit_failing
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = failing;
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            batch_writes: Histogram::new(BATCH_BOUNDS),
            commit_seconds: Histogram::new(LATENCY_BOUNDS),
            step_seconds: Histogram::new(LATENCY_BOUNDS),
            commit_failures: AtomicU64::new(0),
            core_heartbeat_ms: AtomicI64::new(0),
            core_rounds: AtomicU64::new(0),
            last_commit_ms: AtomicI64::new(0),
            commit_in_flight_since_ms: AtomicI64::new(0),
            commit_failing: Mutex::new(None),
            transactions: AtomicU64::new(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative() {
        let h = Histogram::new(&[1.0, 2.0, 4.0]);
        for v in [0.5, 1.5, 1.7, 3.0, 9.0] {
            h.observe(v);
        }
        let (b, sum, n) = h.snapshot();
        assert_eq!(b, vec![(1.0, 1), (2.0, 3), (4.0, 4)]);
        assert_eq!(n, 5);
        assert!((sum - 15.7).abs() < 1e-6);
    }
}

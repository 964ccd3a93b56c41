//! Vacuuming the queue-like tables as they churn.
//!
//! `tasks`, `inbox` and `timers` are queues: rows are inserted, updated
//! (a task's lease) and deleted within seconds. Each update and delete
//! leaves a dead row version and a dead index entry, and autovacuum, which
//! visits a database about once a minute, leaves tens of thousands of them
//! behind under load. Leasing scans the index range of waiting tasks, so it
//! walks every dead entry in that range: measured with 60,000 dead tasks,
//! `lease_tasks` on an empty queue took 19 ms, and one node spent half the
//! database's time in it; after `VACUUM tasks` (30 ms) it took 0.05 ms.
//!
//! So the store counts the rows its own writes turn dead and, once
//! [`VACUUM_CHURN_MIN`] have accumulated and at most every
//! [`VACUUM_INTERVAL_MIN`], vacuums those three tables on a connection of
//! its own, in the background. `SKIP_LOCKED` makes a node skip a table
//! another node is vacuuming at that moment instead of waiting for it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_postgres::Config;

use crate::pool::{block_on, Conn};

/// Rows turned dead by this store's writes before it vacuums.
pub const VACUUM_CHURN_MIN: u64 = 2_000;

/// Vacuums start at most this often.
pub const VACUUM_INTERVAL_MIN: Duration = Duration::from_millis(500);

/// The statement; unqualified names resolve in the store's schema (its
/// `search_path`).
const VACUUM: &str = "VACUUM (SKIP_LOCKED) tasks, inbox, timers";

/// The counter and the background vacuum of one store.
pub(crate) struct Vacuum {
    config: Config,
    churn: AtomicU64,
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    running: AtomicBool,
    last: Mutex<Option<Instant>>,
    /// Vacuums run, and the last one's error, for tests and diagnostics.
    runs: AtomicU64,
    last_error: Mutex<Option<String>>,
}

impl Vacuum {
    pub(crate) fn new(config: Config) -> Vacuum {
        Vacuum {
            config,
            churn: AtomicU64::new(0),
            state: Arc::new(State::default()),
        }
    }

    /// Counts `rows` turned dead; starts a vacuum when enough are.
    pub(crate) fn churned(&self, rows: u64) {
        if rows == 0 {
            return;
        }
        let total = self.churn.fetch_add(rows, Ordering::Relaxed) + rows;
        if total < VACUUM_CHURN_MIN {
            return;
        }
        {
            let mut last = self.state.last.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|t| t.elapsed() < VACUUM_INTERVAL_MIN) {
                return;
            }
            if self.state.running.swap(true, Ordering::AcqRel) {
                return;
            }
            *last = Some(Instant::now());
        }
        self.churn.store(0, Ordering::Relaxed);
        let (config, state) = (self.config.clone(), self.state.clone());
        // A thread of its own: opening the connection and the vacuum block
        // it, never a caller.
        let spawned = std::thread::Builder::new()
            .name("weft-pg-vacuum".into())
            .spawn(move || {
                let result = Conn::open(&config)
                    .and_then(|conn| block_on(conn.client.simple_query(VACUUM)).map(|_| ()));
                *state.last_error.lock().unwrap_or_else(|e| e.into_inner()) =
                    result.err().map(|e| e.to_string());
                state.runs.fetch_add(1, Ordering::Relaxed);
                state.running.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            self.state.running.store(false, Ordering::Release);
        }
    }

    /// Vacuums finished so far, and the last one's error if it failed.
    pub(crate) fn stats(&self) -> (u64, Option<String>) {
        (
            self.state.runs.load(Ordering::Relaxed),
            self.state
                .last_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        )
    }
}

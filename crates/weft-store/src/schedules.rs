//! Schedules: flows started by time (cron in a time zone, fixed intervals,
//! one-off starts), as the store keeps them.
//!
//! A schedule's row holds what its declaration says (`spec`, JSON: the
//! runtime reads it), when it fires next, whether an operator paused it,
//! and what its last fire did. Every write of a row names the revision it
//! was made from ([`ScheduleWrite::expect_revision`]); the store refuses
//! the whole batch when the row moved meanwhile. So of two nodes firing one
//! schedule at once, one commits the fire (with its run) and the other's
//! batch is refused: a fire happens once across a cluster.

use serde::{Deserialize, Serialize};

/// A schedule as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRow {
    /// Its name, unique.
    pub name: String,
    /// The flow it starts.
    pub flow: String,
    /// The program version that declares it.
    pub version: i64,
    /// What the declaration says (the runtime's `ScheduleSpec`, JSON).
    pub spec: serde_json::Value,
    /// When it fires next (epoch ms); `None` when it never fires again (a
    /// one-off start that fired, a schedule no longer declared).
    pub next_at: Option<i64>,
    /// Paused by an operator: it does not fire until resumed.
    pub paused: bool,
    /// No program declares it any more; kept for its history.
    pub retired: bool,
    /// The time the last fire was for (epoch ms).
    pub last_fire_at: Option<i64>,
    /// The run the last fire started.
    pub last_run_id: Option<String>,
    /// Why the last fire started no run, if it did not.
    pub last_error: Option<String>,
    /// Runs its fires started.
    pub fires: i64,
    /// Fires skipped (the last run still running under `overlap: skip`,
    /// missed fires beyond the catch-up policy).
    pub skipped: i64,
    /// Fires waiting for the running run (`overlap: queue`).
    pub queued: i64,
    /// Counts the row's writes; a write names the one it was made from.
    pub revision: i64,
    /// When the row last changed (epoch ms).
    pub updated_at: i64,
}

/// A write of a schedule's row, in a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleWrite {
    /// The row as it is to be; its `revision` must be one more than
    /// `expect_revision`.
    pub row: ScheduleRow,
    /// The revision the stored row must have (0: there must be none). The
    /// whole batch is a conflict otherwise.
    pub expect_revision: i64,
}

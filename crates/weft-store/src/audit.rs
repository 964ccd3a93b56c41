//! The audit log: what operators did to runs, who, when, and to which runs.
//!
//! An action is recorded before it is carried out ([`Store::audit_begin`]),
//! so that a bulk action that a crash interrupts still says what it meant
//! to do and how far it got; the runs it applied to are added as it goes
//! ([`Store::audit_progress`]), and it is marked done at the end. A single
//! run's retry, resolve, cancel or fork is recorded once it succeeded.
//!
//! [`Store::audit_begin`]: crate::Store::audit_begin
//! [`Store::audit_progress`]: crate::Store::audit_progress

use serde::{Deserialize, Serialize};

/// Runs an action's record lists per outcome when read back; its counts
/// are exact whatever the number.
pub const AUDIT_RUNS_LISTED_MAX: usize = 1_000;

/// An action about to be carried out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAudit {
    /// When (epoch ms).
    pub at: i64,
    /// Who, as the request said (`X-Weft-Actor`), or how it came.
    pub actor: String,
    /// What: `retry`, `resolve`, `cancel`, `fork`, `bulk-retry`, ...
    pub action: String,
    /// The action's parameters (a bulk action's query, a resolve's value,
    /// a cancel's reason, a fork's step), as JSON.
    pub detail: serde_json::Value,
    /// Runs it is meant to apply to.
    pub matched: u64,
}

/// An action as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its id, increasing.
    pub id: i64,
    /// When it began (epoch ms).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Its parameters.
    pub detail: serde_json::Value,
    /// Runs it was meant to apply to.
    pub matched: u64,
    /// Runs it applied to.
    pub applied: u64,
    /// Runs it could not apply to.
    pub failed: u64,
    /// When it finished; `None` while it goes on (or if it was
    /// interrupted).
    pub done_at: Option<i64>,
    /// The first [`AUDIT_RUNS_LISTED_MAX`] runs it applied to, in order.
    pub runs: Vec<String>,
    /// The first [`AUDIT_RUNS_LISTED_MAX`] runs it could not apply to,
    /// with why.
    pub failures: Vec<(String, String)>,
}

/// Which actions to list.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only actions on this run.
    pub run: Option<String>,
    /// Only actions older than this id (paging).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: usize,
}

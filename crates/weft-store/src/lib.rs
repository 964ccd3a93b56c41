//! The storage contract of Weft.
//!
//! A store keeps deployed programs (their source and compiled program),
//! runs (a record for people plus the engine's snapshot), each run's
//! journal, and three indexes the runtime needs without loading snapshots:
//! armed timers, outstanding activity tasks and callback tokens. Runs a
//! build cannot read are **parked** ([`Store::park_run`]): their timers and
//! tasks are set aside, out of every query for work, until a build that
//! reads them unparks them. [`Store::commit`] writes a [`Batch`] (the steps of
//! many runs) in **one transaction**: either every write of the batch is
//! durable or none is. That is what makes group commit safe.
//!
//! Every implementation passes [`conformance`], one suite for all stores.

pub mod cluster;
pub mod conformance;
pub mod machines;
mod memory;

pub use cluster::{CallbackOutcome, Claim, ClusterStore, InboxEvent, LeasedTask};
pub use machines::{
    CommandRecord, CommandStatus, Instance, InstanceRow, MachineWrite, StoredMachineEvent,
};
pub use memory::MemoryStore;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use weft_engine::state::{Entry, Status, Task, Waiting};

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The disk or database failed; the operation may not have happened.
    #[error("storage failed: {0}")]
    Io(String),
    /// Stored data could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A unique key is taken (e.g. an idempotency key).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The disk (or the database's space) is full: nothing was written.
    /// Reads still work; writes work again once space is freed.
    #[error("storage is full: {0}")]
    Full(String),
}

/// Journal steps a store keeps per run: when a run's journal grows past
/// this, its oldest steps are deleted as new ones are appended (step
/// numbers are not reused), so a run that loops forever costs bounded
/// space. The API reports how many steps were dropped
/// (`droppedSteps`). The engine may bound journal growth sooner.
pub const JOURNAL_STEPS_PER_RUN_MAX: i64 = 10_000;

/// A source file of a deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceText {
    /// The file's name.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// A deployed program version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Version number, increasing from 1.
    pub version: i64,
    /// The flows it defines.
    pub flows: Vec<String>,
    /// Its sources.
    pub files: Vec<SourceText>,
    /// Its compiled program (`weft_engine::stored`'s envelope, JSON), which
    /// its runs execute. `None` for a version deployed by a build that
    /// stored source only (before 0.1's stored programs), until a host
    /// compiles it under edition 1 and stores it ([`Store::set_program`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// When it was deployed (epoch ms).
    pub created_at: i64,
}

/// A run set aside because a build could not read it (see
/// [`Store::park_run`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParkedRun {
    /// The run.
    pub run_id: String,
    /// Why, as the host put it (`{code, message, ...}`).
    pub reason: serde_json::Value,
    /// When it was parked (epoch ms).
    pub parked_at: i64,
}

/// A deployed flow and its versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowInfo {
    /// The flow's name.
    pub name: String,
    /// Versions that define it, oldest first.
    pub versions: Vec<i64>,
}

/// What people and the API see of a run (the snapshot is kept apart).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The run's id (time-ordered, so sorting by id is sorting by start).
    pub id: String,
    /// The flow it runs.
    pub flow: String,
    /// The program version it runs on.
    pub version: i64,
    /// Its status.
    pub status: Status,
    /// Its input.
    pub input: serde_json::Value,
    /// Its result, once completed.
    pub result: Option<serde_json::Value>,
    /// Its error, while failed: `{message, location}`.
    pub error: Option<serde_json::Value>,
    /// What it waits for (a list of waits).
    pub waiting: serde_json::Value,
    /// The parent run, for sub-flows.
    pub parent: Option<String>,
    /// The idempotency key it was started with.
    pub idempotency_key: Option<String>,
    /// Where it stands in the source (`file:line`), for lists.
    pub position: Option<String>,
    /// When it started (epoch ms).
    pub created_at: i64,
    /// When it last changed (epoch ms).
    pub updated_at: i64,
}

/// A run with its snapshot.
#[derive(Clone, Debug)]
pub struct StoredRun {
    /// The record.
    pub record: RunRecord,
    /// The engine's snapshot (serialized `RunState`).
    pub state: Vec<u8>,
}

/// Everything one step of one run writes.
///
/// Within one write a store applies, in this order: timer clears, then timer
/// sets; task deletes, then task puts; token registrations, then spends.
/// (The host also keeps only the last word per timer and task key.)
#[derive(Clone, Debug, Default)]
pub struct RunWrite {
    /// The run's record, replacing the stored one.
    pub record: Option<RunRecord>,
    /// The snapshot, replacing the stored one.
    pub state: Vec<u8>,
    /// True when the run is new (the write inserts; a taken idempotency
    /// key is a conflict that fails the whole batch).
    pub created: bool,
    /// Journal entries of this step (appended as one journal step).
    pub journal: Vec<Entry>,
    /// Timers to arm: `(key, at)`.
    pub timers_set: Vec<(String, i64)>,
    /// Timers to disarm.
    pub timers_clear: Vec<String>,
    /// Tasks to store (replacing a stored task with the same call id).
    pub tasks_put: Vec<Task>,
    /// Tasks to delete, by call id.
    pub tasks_delete: Vec<String>,
    /// Callback tokens to register: `(token, call)`.
    pub tokens_put: Vec<(String, u32)>,
    /// Callback tokens that stop working (they are kept, spent, so a second
    /// use can be told apart from a token that never existed).
    pub tokens_spend: Vec<String>,
    /// In a cluster: the claim this write is made under. The store refuses
    /// the whole batch when the run's owner or epoch differs (a newer claim
    /// won). A new run is inserted owned by `fence.node`.
    pub fence: Option<Fence>,
    /// In a cluster: inbox events this step consumed (deleted with it).
    pub inbox_done: Vec<i64>,
    /// Writes about machine instances, applied after the run's (see
    /// [`machines`]). A write without a record may carry only these.
    pub machines: Vec<MachineWrite>,
}

/// The claim a write is made under (see [`cluster`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    /// The node.
    pub node: String,
    /// The run's epoch under the node's claim.
    pub epoch: i64,
    /// For a new run: when the creating node's lease ends (epoch ms).
    pub lease_until: i64,
}

/// The writes of many runs, committed in one transaction.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// One entry per run step, in the order they happened.
    pub writes: Vec<RunWrite>,
}

impl Batch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// One step of a run's journal: the entries one commit added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalStep {
    /// Position in the run's journal, from 1.
    pub step: i64,
    /// The entries.
    pub entries: Vec<Entry>,
}

/// An armed timer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerRow {
    /// The run.
    pub run_id: String,
    /// The timer's key in the run.
    pub key: String,
    /// When it fires (epoch ms).
    pub at: i64,
}

/// A callback token's owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    /// The run.
    pub run_id: String,
    /// The awaited call.
    pub call: u32,
    /// False once used, timed out or cancelled.
    pub active: bool,
}

/// Which runs to list.
#[derive(Clone, Debug, Default)]
pub struct RunQuery {
    /// Only runs in this status.
    pub status: Option<Status>,
    /// Only runs of this flow.
    pub flow: Option<String>,
    /// Only children of this run.
    pub parent: Option<String>,
    /// At most this many (the caller bounds it).
    pub limit: usize,
    /// Continue after this cursor (from a previous page).
    pub cursor: Option<String>,
}

/// A page of runs, newest first.
#[derive(Clone, Debug, Default)]
pub struct RunPage {
    /// The runs.
    pub runs: Vec<RunRecord>,
    /// Pass this as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A place where Weft keeps everything durable.
///
/// Implementations must make [`Store::commit`] atomic and durable (fsync
/// before returning) and must be safe to call from several threads.
pub trait Store: Send + Sync {
    /// Stores a new program version with its compiled program (JSON text);
    /// returns it with its version number. (`program` is `None` only where a test
    /// reproduces what builds before stored programs wrote.)
    fn deploy(
        &self,
        files: &[SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> Result<Deployment>;
    /// A program version.
    fn deployment(&self, version: i64) -> Result<Option<Deployment>>;
    /// Stores the compiled program (JSON text) of a version that has none; `false`
    /// (and nothing changes) when it has one already or does not exist, so
    /// that of two nodes migrating one version the first one's stays.
    fn set_program(&self, version: i64, program: &str) -> Result<bool>;
    /// Versions without a compiled program, oldest first.
    fn versions_without_program(&self) -> Result<Vec<i64>>;
    /// The newest version defining `flow`.
    fn latest_version(&self, flow: &str) -> Result<Option<i64>>;
    /// Every deployed flow with its versions, by name.
    fn flows(&self) -> Result<Vec<FlowInfo>>;

    /// Commits the batch in one transaction.
    fn commit(&self, batch: &Batch) -> Result<()>;
    /// A run with its snapshot.
    fn load_run(&self, id: &str) -> Result<Option<StoredRun>>;
    /// A run's record.
    fn run(&self, id: &str) -> Result<Option<RunRecord>>;
    /// Runs matching the query, newest first.
    fn list_runs(&self, query: &RunQuery) -> Result<RunPage>;
    /// Number of runs in each status.
    fn count_by_status(&self) -> Result<Vec<(Status, u64)>>;
    /// A run's journal, in order (the steps kept: see
    /// [`JOURNAL_STEPS_PER_RUN_MAX`]).
    fn journal(&self, run_id: &str) -> Result<Vec<JournalStep>>;
    /// Part of a run's journal: the steps numbered `from_step` or more, in
    /// order, at most `steps_max` of them.
    fn journal_page(
        &self,
        run_id: &str,
        from_step: i64,
        steps_max: usize,
    ) -> Result<Vec<JournalStep>>;
    /// The run started with this idempotency key.
    fn run_by_key(&self, key: &str) -> Result<Option<String>>;

    /// Timers due at or before `until`, earliest first.
    fn due_timers(&self, until: i64, limit: usize) -> Result<Vec<TimerRow>>;
    /// When the earliest timer fires.
    fn next_timer(&self) -> Result<Option<i64>>;
    /// Outstanding tasks, after the given call id (for paging), by call id.
    fn tasks(&self, after: Option<&str>, limit: usize) -> Result<Vec<Task>>;
    /// The owner of a callback token.
    fn token(&self, token: &str) -> Result<Option<TokenRow>>;

    /// Parks a run this build cannot read, in one transaction: writes the
    /// record's status, result, error, waiting, position and update time
    /// (the snapshot and journal stay as they are), records `reason`, and
    /// moves the run's timers and tasks (and, in a cluster store, its
    /// queued events) aside, so that no query for work returns them. A run
    /// parked again keeps what was set aside and takes the new reason.
    fn park_run(&self, record: &RunRecord, reason: &serde_json::Value, at: i64) -> Result<()>;
    /// Unparks a run: moves its timers, tasks (free to lease again) and
    /// queued events back and writes the record's columns as
    /// [`Store::park_run`] does, in one transaction. `false` (and nothing
    /// changes) when the run is not parked.
    fn unpark_run(&self, record: &RunRecord) -> Result<bool>;
    /// Every parked run, by run id.
    fn parked_runs(&self) -> Result<Vec<ParkedRun>>;
    /// Cancels a parked run for good, without reading its snapshot (which
    /// stays as it was): writes the record's columns as
    /// [`Store::park_run`] does, appends `journal` as one journal step,
    /// drops the timers, tasks and queued events set aside with the run,
    /// and spends its callback tokens, in one transaction. `false` (and
    /// nothing changes) when the run is not parked.
    fn cancel_parked_run(&self, record: &RunRecord, journal: &[Entry]) -> Result<bool>;

    /// An instance's row (see [`machines`]).
    fn instance(&self, machine: &str, key: &str) -> Result<Option<InstanceRow>>;
    /// An instance's commands from `from_seq` on, in order, at most `limit`.
    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<CommandRecord>>;
    /// An instance's command with this command id.
    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<CommandRecord>>;
    /// Up to `limit` instances of `machine` after the key `after`, in key
    /// order: every instance when `probe` is `None`; otherwise those whose
    /// indexed field may fit the probe, and the unindexed ones. Callers
    /// check each against the whole filter ([`machines::query`]).
    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&machines::IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Instance>>;
    /// Up to `limit` instances with open commands (queued or running), as
    /// (machine, key): what a restarted host looks at.
    fn instances_with_open_commands(&self, limit: usize) -> Result<Vec<(String, String)>>;
    /// Up to `limit` machine events numbered after `after`, in order.
    fn machine_events(&self, after: i64, limit: usize) -> Result<Vec<StoredMachineEvent>>;
}

/// Status of runs as one word, for SQL columns and query strings.
pub fn status_str(s: Status) -> &'static str {
    s.as_str()
}

/// The waits of a run as JSON (the record's `waiting`).
pub fn waiting_json(w: &[Waiting]) -> serde_json::Value {
    serde_json::to_value(w).unwrap_or(serde_json::Value::Null)
}

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

pub mod audit;
pub mod cluster;
pub mod conformance;
pub mod events;
pub mod machines;
mod memory;
pub mod schedules;
pub mod search;

pub use audit::{AuditEntry, AuditQuery, NewAudit};
pub use cluster::{
    CallbackOutcome, Claim, ClusterStore, InboxEvent, LeasedTask, Poller, QueueDepth,
};
pub use events::{
    EventStartsWrite, EventWrite, IncomingEvent, IngestOutcome, StoredEvent, TriggerStart,
};
pub use machines::{
    CommandRecord, CommandStatus, Instance, InstanceRow, MachineWrite, StoredMachineEvent,
};
pub use memory::MemoryStore;
pub use schedules::{ScheduleRow, ScheduleWrite};
pub use search::Filter;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use weft_engine::state::{Cause, Entry, Status, Task, Waiting};

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
    /// The run this one was forked from (`POST /v1/runs/{id}/fork`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forked_from: Option<String>,
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
    /// The run's record, replacing the stored one. Shared with the host
    /// that wrote it (a step's write used to copy the whole record, its
    /// input among it, for every step).
    pub record: Option<std::sync::Arc<RunRecord>>,
    /// The snapshot, replacing the stored one.
    pub state: Vec<u8>,
    /// True when `record.waiting` is what the snapshot in `state` gives
    /// (`RunState::waiting`, as [`waiting_json`] writes
    /// it): a store may then keep the snapshot alone and derive `waiting`
    /// from it when it reads the record (the SQLite store does, since its
    /// schema version 13).
    pub waiting_from_state: bool,
    /// True when the run is new (the write inserts; a taken idempotency
    /// key is a conflict that fails the whole batch).
    pub created: bool,
    /// Journal entries of this step (appended as one journal step).
    pub journal: Vec<Entry>,
    /// What caused the step (the engine's `Cause`), stored with its
    /// journal step so that the run can be replayed; ignored when the step
    /// has no journal entries.
    pub cause: Option<StepCause>,
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
    /// Events taken with this batch (see [`events`]); an event id stored
    /// before is a conflict that fails the whole batch. A write without a
    /// record may carry only these.
    pub events: Vec<EventWrite>,
    /// Stored events whose starts are written again (a re-drive), applied
    /// after `events`. A write without a record may carry only these.
    pub event_starts: Vec<EventStartsWrite>,
    /// Schedules' rows (see [`schedules`]); a row that moved since the
    /// revision a write names is a conflict that fails the whole batch. A
    /// write without a record may carry only these.
    pub schedules: Vec<ScheduleWrite>,
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
    /// What caused the step (see [`RunWrite::cause`]); `None` for steps
    /// written by builds that did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<serde_json::Value>,
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

/// Which runs to list, in which order.
///
/// Every condition given must hold. Stores evaluate what they can in their
/// own query language (indexes on status, flow, parent, creation time and
/// the idempotency key; JSON conditions of [`RunQuery::filter`] where
/// [`search::translate`] translates them) and the rest in Rust, reading at
/// most [`RunQuery::scan_max`] runs.
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
    /// Only runs whose id starts with this (a whole id finds one run).
    pub id_prefix: Option<String>,
    /// Only runs on this program version.
    pub version: Option<i64>,
    /// Only runs started in this range.
    pub created: TimeRange,
    /// Only runs last changed in this range.
    pub updated: TimeRange,
    /// Only runs that finished (completed or cancelled) in this range: the
    /// time of their last change.
    pub finished: TimeRange,
    /// Only the run started with this idempotency key.
    pub idempotency_key: Option<String>,
    /// Only runs without a parent (no sub-flows).
    pub top_level: bool,
    /// The order.
    pub sort: Sort,
    /// A condition over the record (`q`).
    pub filter: Option<Filter>,
    /// Most runs a condition evaluated in Rust reads (0: no bound). Beyond
    /// it the page and the total are of the runs read, and the page says
    /// so ([`RunPage::exact`]).
    pub scan_max: usize,
    /// Count every run that matches ([`RunPage::total`]).
    pub count: bool,
}

/// A range of times (epoch ms): `from <= t < until`, either end open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeRange {
    /// From this time on (inclusive).
    pub from: Option<i64>,
    /// Before this time.
    pub until: Option<i64>,
}

impl TimeRange {
    /// True when neither end is given.
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// True when `t` is in the range.
    pub fn contains(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)
    }
}

/// The order of a list of runs. Run ids are time-ordered, so creation
/// order is id order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest first (by id).
    #[default]
    CreatedDesc,
    /// Oldest first (by id).
    CreatedAsc,
    /// Most recently changed first (then by id, newest first).
    UpdatedDesc,
    /// Least recently changed first (then by id, oldest first).
    UpdatedAsc,
}

impl Sort {
    /// The API's spelling: `-created`, `created`, `-updated`, `updated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::CreatedDesc => "-created",
            Sort::CreatedAsc => "created",
            Sort::UpdatedDesc => "-updated",
            Sort::UpdatedAsc => "updated",
        }
    }

    /// Parses the API's spelling.
    pub fn parse(s: &str) -> Option<Sort> {
        [
            Sort::CreatedDesc,
            Sort::CreatedAsc,
            Sort::UpdatedDesc,
            Sort::UpdatedAsc,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// True for the orders by update time.
    pub fn by_updated(self) -> bool {
        matches!(self, Sort::UpdatedDesc | Sort::UpdatedAsc)
    }

    /// True for the newest-first orders.
    pub fn descending(self) -> bool {
        matches!(self, Sort::CreatedDesc | Sort::UpdatedDesc)
    }

    /// The cursor of the page that ends with `r`.
    pub fn cursor_of(self, r: &RunRecord) -> String {
        if self.by_updated() {
            format!("{}.{}", r.updated_at, r.id)
        } else {
            r.id.clone()
        }
    }

    /// Reads a cursor of this order: `(updated_at, id)` (the time only for
    /// the orders by update time). `None` when it is not one.
    pub fn parse_cursor(self, c: &str) -> Option<(Option<i64>, String)> {
        if self.by_updated() {
            let (t, id) = c.split_once('.')?;
            Some((Some(t.parse().ok()?), id.to_string()))
        } else {
            Some((None, c.to_string()))
        }
    }

    /// True when `r` comes after the cursor in this order.
    pub fn after(self, cursor: &(Option<i64>, String), r: &RunRecord) -> bool {
        let key = (cursor.0.unwrap_or(0), cursor.1.as_str());
        let mine = (
            if self.by_updated() { r.updated_at } else { 0 },
            r.id.as_str(),
        );
        if self.descending() {
            mine < key
        } else {
            mine > key
        }
    }
}

impl RunQuery {
    /// True when the record meets every condition but the cursor.
    pub fn matches(&self, r: &RunRecord) -> bool {
        self.status.is_none_or(|s| s == r.status)
            && self.flow.as_ref().is_none_or(|f| *f == r.flow)
            && self
                .parent
                .as_ref()
                .is_none_or(|p| r.parent.as_ref() == Some(p))
            && self
                .id_prefix
                .as_ref()
                .is_none_or(|p| r.id.starts_with(p.as_str()))
            && self.version.is_none_or(|v| v == r.version)
            && self.created.contains(r.created_at)
            && self.updated.contains(r.updated_at)
            && (self.finished.is_open()
                || (r.status.is_terminal() && self.finished.contains(r.updated_at)))
            && self
                .idempotency_key
                .as_ref()
                .is_none_or(|k| r.idempotency_key.as_ref() == Some(k))
            && (!self.top_level || r.parent.is_none())
            && self.filter.as_ref().is_none_or(|f| f.matches(r))
    }

    /// True when only `status` and `flow` narrow the list: counters answer
    /// its total.
    pub fn counted_by_counters(&self) -> bool {
        self.parent.is_none()
            && self.id_prefix.is_none()
            && self.version.is_none()
            && self.created.is_open()
            && self.updated.is_open()
            && self.finished.is_open()
            && self.idempotency_key.is_none()
            && !self.top_level
            && self.filter.is_none()
    }
}

/// A page of runs, in the query's order.
#[derive(Clone, Debug, Default)]
pub struct RunPage {
    /// The runs.
    pub runs: Vec<RunRecord>,
    /// Pass this as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// With [`RunQuery::count`]: how many runs match.
    pub total: Option<u64>,
    /// False when a condition evaluated in Rust stopped at
    /// [`RunQuery::scan_max`] runs: the total (and the page) are of the
    /// runs read, and more may match.
    pub exact: bool,
    /// Runs a condition evaluated in Rust read (0 when SQL evaluated
    /// every condition).
    pub scanned: u64,
}

/// How many runs of a flow are in a status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCount {
    /// The flow (an inline sub-flow's runs are under its own name).
    pub flow: String,
    /// The status.
    pub status: Status,
    /// How many.
    pub runs: u64,
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
    /// Number of runs per flow and status (only pairs with runs), by flow
    /// then status: exact, and kept by counters in the SQL stores, so it
    /// costs the same at a million runs as at ten.
    fn run_counts(&self) -> Result<Vec<RunCount>>;
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

    /// A pull source's cursor (`weft-sources`), if it advanced before.
    fn source_cursor(&self, source: &str) -> Result<Option<String>>;
    /// Sets a pull source's cursor to `to` at `at` (epoch ms) if it is
    /// still `from` (`None`: never set); answers whether it did. A
    /// compare-and-set, so that several nodes polling one source never
    /// move its cursor back over another's progress.
    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        at: i64,
    ) -> Result<bool>;

    /// Records an operator's action (see [`audit`]); returns its id.
    fn audit_begin(&self, entry: &NewAudit) -> Result<i64>;
    /// Adds to an action's record: runs it applied to (`applied`) or could
    /// not (`failed`, with why), and whether it is done (at `at`).
    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> Result<()>;
    /// Operators' actions, newest first, without their lists of runs
    /// (counts only; [`Store::audit_entry`] has the lists).
    fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>>;
    /// One action's record, with its lists of runs.
    fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>>;

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

    /// Of `ids`, those taken by stored events (see [`events`]).
    fn taken_event_ids(&self, ids: &[String]) -> Result<Vec<String>>;
    /// Up to `limit` stored events, newest first, numbered before `before`
    /// (all when `None`).
    fn events(&self, before: Option<i64>, limit: usize) -> Result<Vec<StoredEvent>>;
    /// The events [`Store::events`] lists, without their data (`Null`):
    /// what their triggers did, for counting, without reading bodies of up
    /// to `EVENT_BYTES_MAX` each. Stores override it to leave the data
    /// unread; this default reads it and drops it.
    fn event_starts(&self, before: Option<i64>, limit: usize) -> Result<Vec<StoredEvent>> {
        let mut events = self.events(before, limit)?;
        for e in &mut events {
            e.event.data = serde_json::Value::Null;
        }
        Ok(events)
    }
    /// The stored event with this id.
    fn event(&self, id: &str) -> Result<Option<StoredEvent>>;

    /// Every schedule's row, retired ones too, by name.
    fn schedules(&self) -> Result<Vec<ScheduleRow>>;
}

/// What caused a step's journal entries, as the host hands it to a store:
/// the engine's typed causes, written by each store in its own form (JSON
/// through serde, or the compact form) without a JSON tree made first
/// (making one cost a few percent of a step, benchmarks.md round 10).
/// Its JSON is what [`JournalStep::cause`] reads back.
#[derive(Clone, Debug, PartialEq)]
pub enum StepCause {
    /// The cause of the step's one transition.
    One(Box<Cause>),
    /// Several transitions in one step, in order: how many entries each
    /// wrote, and its cause. JSON `{"steps": [{"entries": n, "cause": c}]}`.
    Many(Vec<(usize, Option<Cause>)>),
    /// A cause as JSON, as it is (tests, and steps copied from a journal).
    Json(serde_json::Value),
}

impl StepCause {
    /// Its JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for StepCause {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// One transition of [`StepCause::Many`].
        struct Transition<'a>(usize, Option<&'a Cause>);
        impl Serialize for Transition<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("entries", &self.0)?;
                m.serialize_entry("cause", &self.1)?;
                m.end()
            }
        }
        match self {
            StepCause::One(c) => c.serialize(s),
            StepCause::Json(v) => v.serialize(s),
            StepCause::Many(steps) => {
                let steps: Vec<Transition<'_>> = steps
                    .iter()
                    .map(|(n, c)| Transition(*n, c.as_ref()))
                    .collect();
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("steps", &steps)?;
                m.end()
            }
        }
    }
}

/// Status of runs as one word, for SQL columns and query strings.
pub fn status_str(s: Status) -> &'static str {
    s.as_str()
}

/// The waits of a run as JSON (the record's `waiting`): what
/// `serde_json::to_value` gives for them, built directly (every step of
/// every run makes one; through serde's tagged-enum machinery it cost
/// twice as much).
pub fn waiting_json(w: &[Waiting]) -> serde_json::Value {
    use serde_json::Value;
    let text = |s: &str| Value::String(s.to_string());
    let or_null = |v: Option<Value>| v.unwrap_or(Value::Null);
    Value::Array(
        w.iter()
            .map(|wait| {
                let mut m = serde_json::Map::new();
                match wait {
                    Waiting::Activity {
                        activity,
                        call_id,
                        callback,
                        acknowledged,
                        token,
                        until,
                    } => {
                        m.insert("kind".into(), text("activity"));
                        m.insert("activity".into(), text(activity));
                        m.insert("callId".into(), text(call_id));
                        m.insert("callback".into(), Value::Bool(*callback));
                        if *acknowledged {
                            m.insert("acknowledged".into(), Value::Bool(true));
                        }
                        m.insert("token".into(), or_null(token.as_deref().map(text)));
                        m.insert("until".into(), or_null(until.map(Value::from)));
                    }
                    Waiting::Timer { until } => {
                        m.insert("kind".into(), text("timer"));
                        m.insert("until".into(), Value::from(*until));
                    }
                    Waiting::Child { run_id, flow } => {
                        m.insert("kind".into(), text("child"));
                        m.insert("runId".into(), text(run_id));
                        m.insert("flow".into(), text(flow));
                    }
                }
                Value::Object(m)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON a step's cause is stored as (and replay reads back) is the
    /// JSON the host made before causes were typed.
    #[test]
    fn step_causes_are_written_as_the_json_they_were() {
        let cause = Cause {
            value_in: Some(1),
            jitter: vec![0.5],
            ..Cause::default()
        };
        let json = serde_json::to_value(&cause).unwrap();
        assert_eq!(StepCause::One(Box::new(cause.clone())).to_json(), json);
        let many = StepCause::Many(vec![(2, Some(cause)), (1, None)]);
        let want = serde_json::json!({"steps": [
            {"entries": 2, "cause": json},
            {"entries": 1, "cause": null},
        ]});
        assert_eq!(many.to_json().to_string(), want.to_string());
        assert_eq!(
            serde_json::to_string(&many).unwrap(),
            want.to_string(),
            "written directly, the same text"
        );
        let any = serde_json::json!({"start": null});
        assert_eq!(StepCause::Json(any.clone()).to_json(), any);
    }

    #[test]
    fn waiting_json_is_what_serde_gives() {
        let mut waits = vec![
            Waiting::Timer { until: 5 },
            Waiting::Child {
                run_id: "c".into(),
                flow: "F".into(),
            },
        ];
        for (callback, acknowledged, token, until) in [
            (false, false, None, None),
            (true, false, Some("t".to_string()), Some(9)),
            (true, true, Some("t".to_string()), None),
            (false, true, None, Some(-1)),
        ] {
            waits.push(Waiting::Activity {
                activity: "Charge".into(),
                call_id: "r-1".into(),
                callback,
                acknowledged,
                token,
                until,
            });
        }
        for w in [&waits[..], &waits[..0], &waits[2..3]] {
            let want = serde_json::to_value(w).unwrap();
            let got = waiting_json(w);
            assert_eq!(got, want);
            // Key order too (the API writes the object as it is).
            assert_eq!(got.to_string(), want.to_string());
        }
    }
}

//! The state of a run, as plain serializable data, and what goes in and out
//! of the state machine: events, commands and journal entries.
//!
//! A snapshot of [`RunState`] is committed with the journal entries of the
//! step that produced it, in one transaction. Resuming a run loads the
//! snapshot; nothing is replayed.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

use crate::program::{FuncId, Location, ParallelMode};
use crate::value::Value;

pub(crate) mod timer_key;
mod waiting;

/// Version of the snapshot format, bumped with an upgrade function when a
/// field changes meaning.
pub const SNAPSHOT_VERSION: u32 = 1;

/// The oldest snapshot version this build reads.
pub const SNAPSHOT_VERSION_OLDEST: u32 = 1;

/// An upgrade of a snapshot's JSON from one version to the next.
pub type SnapshotUpgrade = fn(serde_json::Value) -> Result<serde_json::Value, String>;

/// Upgrade functions: entry `i` takes a snapshot from version
/// `SNAPSHOT_VERSION_OLDEST + i` to the next. A release that changes what a
/// field means bumps [`SNAPSHOT_VERSION`] and adds its upgrade here (a new
/// field with a default needs neither).
pub const SNAPSHOT_UPGRADES: &[SnapshotUpgrade] = &[];

/// Why a stored snapshot cannot be used.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum SnapshotError {
    /// Its version is not one this build reads (newer, or unknown).
    #[error(
        "the snapshot has version {found}; this build reads versions \
         {SNAPSHOT_VERSION_OLDEST} to {SNAPSHOT_VERSION}"
    )]
    Version {
        /// The version found (as stored).
        found: String,
    },
    /// It is not a snapshot of its version.
    #[error("the snapshot does not decode: {0}")]
    Corrupt(String),
    /// It refers to code its program does not have.
    #[error("the snapshot does not fit its program: {0}")]
    Program(String),
}

/// Reads the stored snapshot of run `run_id`: checks its version, upgrades
/// an older one through [`SNAPSHOT_UPGRADES`], and refuses a newer or
/// unknown one. Whether it is JSON text, [`crate::compact`] (which every
/// build since the compact form reads, whatever it writes), or the compact
/// form seeded with the run id (since SQLite schema 10's build) is told by
/// the first byte.
pub fn decode_snapshot(bytes: &[u8], run_id: &str) -> Result<RunState, SnapshotError> {
    decode_snapshot_with(bytes, run_id, SNAPSHOT_VERSION, SNAPSHOT_UPGRADES)
}

/// The bytes a store keeps for `state`, the state of run `run_id`:
/// [`crate::compact`]'s form of its JSON, about a third of the text's size
/// (docs/benchmarks.md, "Disk per waiting run"), with the run id seeded
/// (the id and the prefix of every call id cost a few bytes), so reading
/// it needs the run id. [`decode_snapshot`] reads it, the unseeded compact
/// form and the JSON text earlier builds wrote.
pub fn encode_snapshot(state: &RunState, run_id: &str) -> Vec<u8> {
    // A run state holds plain data with string keys: it always converts.
    if state.id == run_id {
        crate::compact::encode_serialize_seeded(state, &[run_id]).expect("run state serializes")
    } else {
        // Not a state a run has (its id is its run's): stored as it is,
        // so that reading it with the run's id cannot change it.
        crate::compact::encode_serialize(state, &[]).expect("run state serializes")
    }
}

/// The JSON of the stored snapshot of run `run_id`, whichever form it is
/// stored in, as it is (no version check): for tools and tests that look
/// inside or rewrite one.
pub fn snapshot_json(bytes: &[u8], run_id: &str) -> Result<serde_json::Value, SnapshotError> {
    if crate::compact::is_compact(bytes) {
        crate::compact::decode(bytes, snapshot_seeds(bytes, &run_id))
            .map_err(|e| SnapshotError::Corrupt(e.to_string()))
    } else {
        serde_json::from_slice(bytes).map_err(|e| SnapshotError::Corrupt(e.to_string()))
    }
}

/// The seeds a compact snapshot was written with: the run id for the
/// seeded form, none for the form before it.
fn snapshot_seeds<'a>(bytes: &[u8], run_id: &'a &'a str) -> &'a [&'a str] {
    if crate::compact::is_seeded(bytes) {
        std::slice::from_ref(run_id)
    } else {
        &[]
    }
}

/// Other data a store keeps per run (the SQLite journal's entries and
/// causes) in the snapshot's compact form, with `seeds` (the run id)
/// shared by reference.
pub fn encode_compact<T: Serialize + ?Sized>(
    value: &T,
    seeds: &[&str],
) -> Result<Vec<u8>, serde_json::Error> {
    crate::compact::encode_serialize(value, seeds)
}

/// The id of call `seq` of run `run_id`, `<run id>-<seq>` (stored, and
/// sent to activities: a contract), made without the formatting machinery
/// (one is made at every call and at every result).
pub fn call_id(run_id: &str, seq: u32) -> String {
    let mut id = String::with_capacity(run_id.len() + 11);
    id.push_str(run_id);
    id.push('-');
    push_decimal(&mut id, seq);
    id
}

/// Appends `n` in decimal.
pub(crate) fn push_decimal(text: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// A step's journal entries as [`encode_compact`] writes them, byte for
/// byte, written directly: serde's flattened `kind` made this a tenth of
/// the SQLite writer's work (docs/benchmarks.md, round 12).
pub fn encode_entries_compact(
    entries: &[Entry],
    seeds: &[&str],
) -> Result<Vec<u8>, serde_json::Error> {
    let mut w = crate::compact::Writer::new(seeds);
    w.array(entries.len());
    for e in entries {
        e.write_compact(&mut w)?;
    }
    Ok(w.finish())
}

impl Entry {
    /// Writes what `Serialize` writes: an object of `at`, then the kind's
    /// `type` and its fields in their order (the kinds that hold nested
    /// structs go through serde).
    fn write_compact(&self, w: &mut crate::compact::Writer) -> Result<(), serde_json::Error> {
        use EntryKind as K;
        // The object's head: its size, `at`, and the kind's tag.
        let head = |w: &mut crate::compact::Writer, tag: &str, fields: usize| {
            w.object(2 + fields);
            w.field_int("at", self.at);
            w.field_str("type", tag);
        };
        match &self.kind {
            K::Started { input } => {
                head(w, "started", 1);
                w.field_json("input", input);
            }
            K::CallStarted {
                call_id,
                activity,
                args,
                attempt,
                awaited,
                line,
            } => {
                head(w, "callStarted", 6);
                w.field_str("callId", call_id);
                w.field_str("activity", activity);
                w.field_json("args", args);
                w.field_uint("attempt", (*attempt).into());
                w.field_bool("awaited", *awaited);
                w.str("line");
                match line {
                    Some(l) => w.uint((*l).into()),
                    None => w.null(),
                }
            }
            K::CallAcknowledged { call_id, activity } => {
                head(w, "callAcknowledged", 2);
                w.field_str("callId", call_id);
                w.field_str("activity", activity);
            }
            K::CallCompleted {
                call_id,
                activity,
                attempt,
                value,
                duration_ms,
                how,
            } => {
                head(w, "callCompleted", 6);
                w.field_str("callId", call_id);
                w.field_str("activity", activity);
                w.field_uint("attempt", (*attempt).into());
                w.field_json("value", value);
                w.field_int("durationMs", *duration_ms);
                w.field_str("how", how);
            }
            K::CallFailed {
                call_id,
                activity,
                attempt,
                error,
                retry_at,
            } => {
                head(w, "callFailed", 5);
                w.field_str("callId", call_id);
                w.field_str("activity", activity);
                w.field_uint("attempt", (*attempt).into());
                w.field_str("error", error);
                w.str("retryAt");
                match retry_at {
                    Some(t) => w.int(*t),
                    None => w.null(),
                }
            }
            K::TimerStarted { until } => {
                head(w, "timerStarted", 1);
                w.field_int("until", *until);
            }
            K::TimerFired { key } => {
                head(w, "timerFired", 1);
                w.field_str("key", key);
            }
            K::Now { value } => {
                head(w, "now", 1);
                w.field_int("value", *value);
            }
            K::ChildStarted { run_id, flow } => {
                head(w, "childStarted", 2);
                w.field_str("runId", run_id);
                w.field_str("flow", flow);
            }
            K::ChildFinished { run_id, result } => {
                head(w, "childFinished", 2);
                w.field_str("runId", run_id);
                w.str("result");
                match result {
                    Some(v) => w.json(v),
                    None => w.null(),
                }
            }
            K::Retried => head(w, "retried", 0),
            K::Resolved { value } => {
                head(w, "resolved", 1);
                w.field_json("value", value);
            }
            K::Completed { result } => {
                head(w, "completed", 1);
                w.field_json("result", result);
            }
            K::Cancelled { reason } => {
                head(w, "cancelled", 1);
                w.field_str("reason", reason);
            }
            K::Forked { from, step } => {
                head(w, "forked", 2);
                w.field_str("from", from);
                w.field_int("step", *step);
            }
            K::Failed { .. } | K::Upgraded { .. } => return w.serialize(self),
        }
        Ok(())
    }
}

/// Reads what [`encode_compact`] wrote with the same `seeds`.
pub fn decode_compact<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    seeds: &[&str],
) -> Result<T, crate::compact::DecodeError> {
    crate::compact::decode_into(bytes, seeds)
}

fn decode_snapshot_with(
    bytes: &[u8],
    run_id: &str,
    current: u32,
    upgrades: &[SnapshotUpgrade],
) -> Result<RunState, SnapshotError> {
    if crate::compact::is_compact(bytes) {
        let seeds = snapshot_seeds(bytes, &run_id);
        // The common case reads straight into the state; anything else
        // (an older version, an error to explain) through the value.
        if let Ok(state) = crate::compact::decode_into::<RunState>(bytes, seeds) {
            if state.v == current {
                return Ok(state);
            }
        }
        let json = crate::compact::decode(bytes, seeds)
            .map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
        return upgrade_json(json, current, upgrades);
    }
    // The common case reads straight into the state, in one pass.
    if let Ok(state) = serde_json::from_slice::<RunState>(bytes) {
        if state.v == current {
            return Ok(state);
        }
    }
    #[derive(Deserialize)]
    struct Head {
        v: serde_json::Value,
    }
    let head: Head =
        serde_json::from_slice(bytes).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    let found = head
        .v
        .as_u64()
        .filter(|v| (u64::from(SNAPSHOT_VERSION_OLDEST)..=u64::from(current)).contains(v))
        .ok_or_else(|| SnapshotError::Version {
            found: head.v.to_string(),
        })?;
    if found == u64::from(current) {
        // It failed above: say why.
        return serde_json::from_slice(bytes).map_err(|e| SnapshotError::Corrupt(e.to_string()));
    }
    let json: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    upgrade_json(json, current, upgrades)
}

/// Checks a snapshot's version and brings it to `current`.
fn upgrade_json(
    mut json: serde_json::Value,
    current: u32,
    upgrades: &[SnapshotUpgrade],
) -> Result<RunState, SnapshotError> {
    let v = json
        .get("v")
        .ok_or_else(|| SnapshotError::Corrupt("missing field `v`".into()))?;
    let found = v
        .as_u64()
        .filter(|v| (u64::from(SNAPSHOT_VERSION_OLDEST)..=u64::from(current)).contains(v))
        .ok_or_else(|| SnapshotError::Version {
            found: v.to_string(),
        })?;
    for (i, upgrade) in upgrades
        .iter()
        .enumerate()
        .skip((found - u64::from(SNAPSHOT_VERSION_OLDEST)) as usize)
    {
        let from = SNAPSHOT_VERSION_OLDEST as usize + i;
        json = upgrade(json).map_err(|e| {
            SnapshotError::Corrupt(format!(
                "upgrading from version {from} to {}: {e}",
                from + 1
            ))
        })?;
    }
    serde_json::from_value(json).map_err(|e| SnapshotError::Corrupt(e.to_string()))
}

impl RunState {
    /// Checks that every function the state refers to (frames, closures in
    /// variables, calls, children to start) exists in `program` with the
    /// variables the state gives it, so that a snapshot paired with the
    /// wrong program is refused instead of run.
    pub fn check_against(&self, program: &crate::program::Program) -> Result<(), SnapshotError> {
        let funcs = program.functions.len();
        let bad = |what: String| Err(SnapshotError::Program(what));
        if self.func as usize >= funcs {
            return bad(format!("the run's function {} does not exist", self.func));
        }
        for (fid, fiber) in &self.fibers {
            for fr in &fiber.frames {
                let Some(f) = program.functions.get(fr.func as usize) else {
                    return bad(format!(
                        "branch {fid} is in function {}, which does not exist",
                        fr.func
                    ));
                };
                if fr.locals.len() < f.slot_names.len() {
                    return bad(format!(
                        "branch {fid} has {} variables in function {} (`{}`), which has {}",
                        fr.locals.len(),
                        fr.func,
                        f.name,
                        f.slot_names.len()
                    ));
                }
                if let Some(c) = fr.locals.iter().find_map(|v| missing_closure(v, funcs)) {
                    return bad(format!(
                        "a variable holds function {c}, which does not exist"
                    ));
                }
            }
            if let Some(c) = fiber.stack.iter().find_map(|v| missing_closure(v, funcs)) {
                return bad(format!("an operand is function {c}, which does not exist"));
            }
        }
        for (seq, c) in &self.calls {
            if c.at.0 as usize >= funcs {
                return bad(format!(
                    "call {seq} is in function {}, which does not exist",
                    c.at.0
                ));
            }
        }
        for (i, c) in &self.children {
            if c.start.func as usize >= funcs {
                return bad(format!(
                    "child {i} runs function {}, which does not exist",
                    c.start.func
                ));
            }
        }
        Ok(())
    }
}

/// A function a value refers to that `funcs` functions do not include.
fn missing_closure(v: &Value, funcs: usize) -> Option<u32> {
    match v {
        Value::Closure(c) => {
            if c.func as usize >= funcs {
                return Some(c.func);
            }
            c.captures.iter().find_map(|v| missing_closure(v, funcs))
        }
        Value::List(items) => items.iter().find_map(|v| missing_closure(v, funcs)),
        Value::Object(m) => m.values().find_map(|v| missing_closure(v, funcs)),
        _ => None,
    }
}

/// Where a run is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Executing, or waiting for activity calls to return.
    Running,
    /// Suspended: waiting for a callback, a timer or a sub-flow.
    Waiting,
    /// Stopped at a failure; an operator may retry, resolve or cancel.
    Failed,
    /// Finished with a result.
    Completed,
    /// Cancelled by an operator (or with its parent).
    Cancelled,
}

impl Status {
    /// The status as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Waiting => "waiting",
            Status::Failed => "failed",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "running" => Status::Running,
            "waiting" => Status::Waiting,
            "failed" => Status::Failed,
            "completed" => Status::Completed,
            "cancelled" => Status::Cancelled,
            _ => return None,
        })
    }

    /// Completed or cancelled: nothing more happens.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Completed | Status::Cancelled)
    }

    /// Every status, in the order the API lists them.
    pub const ALL: [Status; 5] = [
        Status::Running,
        Status::Waiting,
        Status::Failed,
        Status::Completed,
        Status::Cancelled,
    ];
}

/// The whole state of one run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunState {
    /// Snapshot format version.
    pub v: u32,
    /// The run's id (call ids derive from it).
    pub id: String,
    /// The function the run executes.
    pub func: FuncId,
    /// How deep in sub-flows this run is (0 for a run started by a user).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub depth: u32,
    /// Branches of execution; fiber 0 is the flow itself.
    pub fibers: BTreeMap<u32, Fiber>,
    /// Fibers ready to execute (empty at rest).
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    pub ready: VecDeque<u32>,
    /// Next fiber id.
    pub next_fiber: u32,
    /// Activity calls in progress, by sequence number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calls: BTreeMap<u32, PendingCall>,
    /// Next call sequence number (the call id's suffix).
    pub next_call: u32,
    /// Armed timers, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub timers: BTreeMap<String, Timer>,
    /// Child runs, by index.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub children: BTreeMap<u32, Child>,
    /// Next child index.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub next_child: u32,
    /// Parallel groups in progress.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<u32, Group>,
    /// Next group id.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub next_group: u32,
    /// Failures waiting for an operator, by fiber.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failures: BTreeMap<u32, Failure>,
    /// Current status.
    pub status: Status,
    /// The result, once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// Instructions executed over the run's life (for operators).
    pub steps: u64,
    /// Units of work the segment has done so far, while it goes on in a
    /// next turn (its fibers are ready, its `continue` timer armed); 0
    /// otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub segment: u64,
    /// Events from outside taken since the run started or was last retried
    /// (see [`crate::limits::RUN_EVENTS_MAX`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub events: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One branch of execution: a call stack and an operand stack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fiber {
    /// Call frames, innermost last.
    pub frames: Vec<Frame>,
    /// Operand stack.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stack: Vec<Value>,
    /// What it waits for.
    pub wait: Wait,
    /// For a branch: its group and position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<(u32, u32)>,
}

/// A function activation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Frame {
    /// The function.
    pub func: FuncId,
    /// Next instruction.
    pub pc: u32,
    /// Variables.
    pub locals: Vec<Value>,
    /// Operand stack height when the frame was entered.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub base: u32,
}

/// What a fiber waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Wait {
    /// Nothing: it can run.
    Ready,
    /// An activity call's result (pushed when it arrives).
    Call(u32),
    /// A timer (its value is pushed when it fires).
    Timer(String),
    /// A child run. With `push`, its result is pushed (a flow call);
    /// without, the instruction runs again (reading a handle).
    Child {
        /// The child's index.
        child: u32,
        /// Push the result when it arrives.
        push: bool,
    },
    /// A parallel group's combined result.
    Group(u32),
    /// A failure, recorded in [`RunState::failures`].
    Failed,
}

/// Phases of an activity call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CallPhase {
    /// An attempt is out (dispatched to an activity).
    Running,
    /// Waiting out the back-off before the next attempt.
    Backoff,
    /// Started (under `await`): waiting for the callback.
    Callback,
    /// Failed for good; an operator decides.
    Failed,
}

/// An activity call in progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingCall {
    /// The call id the activity sees; stable across attempts and restarts.
    pub call_id: String,
    /// The activity.
    pub activity: String,
    /// The arguments, as JSON (a list).
    pub args: serde_json::Value,
    /// The waiting fiber.
    pub fiber: u32,
    /// The current attempt, from 1.
    pub attempt: u32,
    /// Attempts the current retry budget starts from (an operator's retry
    /// gives the call a fresh budget).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub attempt_base: u32,
    /// `n` of `@retry(n)`.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub retries: u32,
    /// First back-off delay.
    pub backoff_ms: u64,
    /// Longest back-off delay.
    pub backoff_max_ms: u64,
    /// `@timeout`: per attempt, or for the whole wait under `await`.
    pub timeout_ms: Option<u64>,
    /// Under `await`.
    pub awaited: bool,
    /// `@catch` (or inside `WaitAll`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub catch: bool,
    /// The callback token, for awaited calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Phase.
    pub phase: CallPhase,
    /// When the call started (first attempt).
    pub started_at: i64,
    /// When the current attempt started.
    pub attempt_started_at: i64,
    /// The last attempt's error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Where in the source the call is (function and instruction).
    pub at: (FuncId, u32),
}

/// What a timer does when it fires.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TimerKind {
    /// An attempt's `@timeout` passed.
    Attempt {
        /// The call.
        call: u32,
        /// The attempt.
        attempt: u32,
    },
    /// A back-off ended: start the next attempt.
    Backoff {
        /// The call.
        call: u32,
    },
    /// An `await`'s `@timeout` passed.
    AwaitTimeout {
        /// The call.
        call: u32,
    },
    /// The run's next turn: it stopped with fibers ready to go on (see
    /// [`crate::limits::TIME_SLICE`]).
    Continue,
    /// `Sleep` or `WaitUntil` ended.
    Sleep {
        /// The waiting fiber.
        fiber: u32,
        /// The value pushed when it fires.
        value: Value,
    },
}

/// An armed timer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Timer {
    /// When it fires (epoch ms).
    pub at: i64,
    /// What it does.
    pub kind: TimerKind,
}

/// How a child run stands.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "value")]
pub enum ChildState {
    /// Not finished.
    Running,
    /// Finished with this result.
    Completed(Value),
    /// Cancelled.
    Cancelled,
}

/// A child run started by this run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Child {
    /// The child's run id.
    pub run_id: String,
    /// The flow it runs.
    pub flow: String,
    /// How it stands.
    pub state: ChildState,
    /// How it was started, so an operator's retry can start it again.
    pub start: ChildStart,
    /// A flow call: only its caller waits for it, so the entry goes once
    /// the caller has its result (or is gone). Inline flows' entries stay,
    /// since their handles may be read at any time.
    #[serde(default)]
    pub call: bool,
}

/// Everything needed to start a child run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildStart {
    /// The function to run.
    pub func: FuncId,
    /// Its arguments, in parameter order.
    pub args: Vec<Value>,
    /// Its captured values, in capture order.
    pub captures: Vec<Value>,
    /// The input as shown to people.
    pub input: serde_json::Value,
}

/// A slot of a parallel group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Slot {
    /// A branch fiber is computing it.
    Fiber(u32),
    /// A child run will provide it.
    Child(u32),
    /// Known.
    Done(Value),
}

/// A parallel built-in in progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    /// How results combine.
    pub mode: ParallelMode,
    /// The fiber waiting for the combined result.
    pub fiber: u32,
    /// One slot per element, in input order.
    pub slots: Vec<Slot>,
    /// The built-in's operands, put back if its results together cannot be
    /// kept, so that a retry runs it again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operands: Vec<Value>,
}

/// What an operator can act on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum FailureKind {
    /// An activity call failed for good.
    Call {
        /// The call's sequence number.
        call: u32,
    },
    /// A sub-flow the flow waited for was cancelled.
    Child {
        /// The child's index.
        child: u32,
    },
    /// Evaluating an expression failed (the instruction runs again on retry).
    Expression,
}

/// A failure waiting for an operator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failure {
    /// What failed.
    pub kind: FailureKind,
    /// Why, in one sentence.
    pub message: String,
    /// Where in the source.
    pub location: Option<Location>,
}

/// Something that happens to a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Event {
    /// An attempt of an activity call returned.
    CallCompleted {
        /// The call's sequence number.
        call: u32,
        /// The attempt.
        attempt: u32,
        /// Its result.
        value: serde_json::Value,
    },
    /// An attempt of an activity call failed.
    CallFailed {
        /// The call's sequence number.
        call: u32,
        /// The attempt.
        attempt: u32,
        /// Why.
        error: String,
        /// False when retrying cannot help.
        retryable: bool,
    },
    /// The callback of an awaited call arrived.
    Callback {
        /// The call's sequence number.
        call: u32,
        /// Its value.
        value: serde_json::Value,
    },
    /// A timer fired.
    TimerFired {
        /// The timer's key.
        key: String,
    },
    /// A child run finished (completed or cancelled).
    ChildFinished {
        /// The child's index (ignored when `run_id` is given).
        child: u32,
        /// The child's run id, when the sender does not know its index (a
        /// child on another node of a cluster).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        run_id: Option<String>,
        /// Its result; `None` when it was cancelled.
        result: Option<serde_json::Value>,
    },
    /// Operator: run the failed step again.
    Retry,
    /// Operator: the failed call returns this value.
    Resolve {
        /// The value.
        value: serde_json::Value,
    },
    /// Operator (or parent): stop the run.
    Cancel {
        /// Why.
        reason: String,
    },
}

/// A unit of work for an activity: one attempt of one call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The call id: unique to the operation, stable across attempts.
    pub call_id: String,
    /// The run.
    pub run_id: String,
    /// The call's sequence number in the run.
    pub call: u32,
    /// The activity.
    pub activity: String,
    /// Its arguments (a JSON list).
    pub args: serde_json::Value,
    /// The attempt, from 1.
    pub attempt: u32,
    /// When this attempt times out (epoch ms), if it does.
    pub deadline: Option<i64>,
    /// For calls under `await`: the token that completes the wait.
    pub callback_token: Option<String>,
}

/// What the host must do after a transition (after committing it).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Command {
    /// Hand the task to its activity.
    Dispatch(Task),
    /// The call no longer needs its task (timed out, cancelled, answered).
    CancelTask {
        /// The call id.
        call_id: String,
        /// Its token, which stops working.
        callback_token: Option<String>,
    },
    /// Arm a timer.
    SetTimer {
        /// The key, unique in the run.
        key: String,
        /// When (epoch ms).
        at: i64,
    },
    /// Disarm a timer.
    ClearTimer {
        /// The key.
        key: String,
    },
    /// Register an awaited call's callback token.
    RegisterToken {
        /// The token.
        token: String,
        /// The call's sequence number.
        call: u32,
    },
    /// Start a child run.
    StartChild {
        /// The child's index in this run.
        child: u32,
        /// The child's run id.
        run_id: String,
        /// The flow's name.
        flow: String,
        /// How to start it.
        start: ChildStart,
        /// Its depth.
        depth: u32,
    },
    /// Cancel a child run.
    CancelChild {
        /// The child's run id.
        run_id: String,
    },
    /// The run finished (completed or cancelled): tell the parent.
    Finished {
        /// The result, or `None` when cancelled.
        result: Option<serde_json::Value>,
    },
}

/// A line of a run's history.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// When (epoch ms).
    pub at: i64,
    /// What.
    #[serde(flatten)]
    pub kind: EntryKind,
}

/// What a journal entry records.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum EntryKind {
    /// The run started.
    #[serde(rename_all = "camelCase")]
    Started {
        /// Its input.
        input: serde_json::Value,
    },
    /// An attempt of a call went out.
    #[serde(rename_all = "camelCase")]
    CallStarted {
        /// The call id.
        call_id: String,
        /// The activity.
        activity: String,
        /// The arguments.
        args: serde_json::Value,
        /// The attempt.
        attempt: u32,
        /// Under `await`.
        awaited: bool,
        /// The source line.
        line: Option<u32>,
    },
    /// An awaited call was started and now waits for its callback.
    #[serde(rename_all = "camelCase")]
    CallAcknowledged {
        /// The call id.
        call_id: String,
        /// The activity.
        activity: String,
    },
    /// A call returned (recorded once per call).
    #[serde(rename_all = "camelCase")]
    CallCompleted {
        /// The call id.
        call_id: String,
        /// The activity.
        activity: String,
        /// The attempt that answered.
        attempt: u32,
        /// The value.
        value: serde_json::Value,
        /// From the call's first attempt to now.
        duration_ms: i64,
        /// How it ended: `returned`, `callback`, `timeout`, `caught`, `resolved`.
        how: String,
    },
    /// An attempt failed.
    #[serde(rename_all = "camelCase")]
    CallFailed {
        /// The call id.
        call_id: String,
        /// The activity.
        activity: String,
        /// The attempt.
        attempt: u32,
        /// Why.
        error: String,
        /// When the next attempt starts, if one does.
        retry_at: Option<i64>,
    },
    /// A timer (Sleep, WaitUntil) was armed.
    #[serde(rename_all = "camelCase")]
    TimerStarted {
        /// When it fires.
        until: i64,
    },
    /// A timer fired.
    #[serde(rename_all = "camelCase")]
    TimerFired {
        /// Its key.
        key: String,
    },
    /// `now()` was read.
    #[serde(rename_all = "camelCase")]
    Now {
        /// The value.
        value: i64,
    },
    /// A child run started.
    #[serde(rename_all = "camelCase")]
    ChildStarted {
        /// Its run id.
        run_id: String,
        /// Its flow.
        flow: String,
    },
    /// A child run finished.
    #[serde(rename_all = "camelCase")]
    ChildFinished {
        /// Its run id.
        run_id: String,
        /// Its result (`None`: cancelled).
        result: Option<serde_json::Value>,
    },
    /// The run stopped at a failure.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// Why.
        error: String,
        /// Where.
        location: Option<Location>,
    },
    /// An operator retried the failed step.
    Retried,
    /// An operator resolved the failed call with a value.
    #[serde(rename_all = "camelCase")]
    Resolved {
        /// The value.
        value: serde_json::Value,
    },
    /// The run moved onto a newer version of its program while it waited
    /// (a live upgrade, `weft_engine::upgrade`).
    #[serde(rename_all = "camelCase")]
    Upgraded {
        /// Who asked for it (the API's caller or the CLI's user).
        by: String,
        /// The version it ran on.
        from: i64,
        /// The version it runs on now.
        to: i64,
        /// Where its fibers stood and stand now, one line per frame.
        moved: Vec<String>,
    },
    /// The run completed.
    #[serde(rename_all = "camelCase")]
    Completed {
        /// Its result.
        result: serde_json::Value,
    },
    /// The run was cancelled.
    #[serde(rename_all = "camelCase")]
    Cancelled {
        /// Why.
        reason: String,
    },
    /// The run began as a copy of another run's state after one of its
    /// journal steps (`POST /v1/runs/{id}/fork`).
    #[serde(rename_all = "camelCase")]
    Forked {
        /// The run it was forked from.
        from: String,
        /// The step of that run's journal whose state it started from.
        step: i64,
    },
}

/// What caused a journal step, stored with the step so that the run can be
/// replayed from its start (see [`crate::replay`]). The step's entries hold
/// the rest: the time (every entry of a step has the step's time), the ids
/// of the sub-flows it started (`ChildStarted`), and usually the event's
/// value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// The event the step applied; `None` for the run's first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
    /// When the event's value (an activity's result, a callback's value, a
    /// resolved value, a sub-flow's result) is the value of one of the
    /// step's entries: that entry's index, and the event holds `null`
    /// instead, so the value is not stored twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_in: Option<usize>,
    /// The back-off jitter the step drew, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jitter: Vec<f64>,
    /// A sub-flow run's first step: how its parent started it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildStart>,
    /// A sub-flow run's first step: how deep it is.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub depth: u32,
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

/// What the run is waiting for, for people and the API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Waiting {
    /// An activity call's result (or its callback).
    #[serde(rename_all = "camelCase")]
    Activity {
        /// The activity.
        activity: String,
        /// The call id.
        call_id: String,
        /// True when waiting for a callback.
        callback: bool,
        /// For a callback: the activity took the call and the run now
        /// waits for the callback alone (until then, its task waits for a
        /// worker or an endpoint like any call's).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        acknowledged: bool,
        /// The callback token, for callback waits.
        token: Option<String>,
        /// When the wait times out, if it does.
        until: Option<i64>,
    },
    /// A timer.
    #[serde(rename_all = "camelCase")]
    Timer {
        /// When it fires.
        until: i64,
    },
    /// A child run.
    #[serde(rename_all = "camelCase")]
    Child {
        /// Its run id.
        run_id: String,
        /// Its flow.
        flow: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::{self, Env};

    struct TestEnv;

    impl Env for TestEnv {
        fn now(&self) -> i64 {
            1_000
        }
        fn token(&mut self) -> String {
            "token".into()
        }
        fn run_id(&mut self) -> String {
            "child".into()
        }
        fn jitter(&mut self) -> f64 {
            0.5
        }
    }

    fn waiting_run() -> (crate::Program, RunState) {
        let p = crate::compile_source(
            "f.weft",
            "flow F(x) {\n    undo = func() { return Undo(x) }\n    r = await Work(x) @timeout(1d)\n    return [r, undo()]\n}\n",
        )
        .unwrap();
        let f = p.flow("F").unwrap();
        let (state, _) = machine::start(
            &p,
            "01M97217R2RDR9EQ29FEKSHASZ".into(),
            f,
            vec![Value::Int(1)],
            Vec::new(),
            serde_json::json!(1),
            0,
            &mut TestEnv,
        );
        (p, state)
    }

    fn arb_entry() -> impl proptest::strategy::Strategy<Value = Entry> {
        use crate::program::Location;
        use proptest::prelude::*;
        use EntryKind as K;
        // Strings that share the seed's prefix, words, hex, anything.
        let text = || {
            prop_oneof![
                Just("01M97217R2RDR9EQ29FEKSHASZ".to_string()),
                "01M97217R2RDR9EQ29FEKSHASZ-[0-9]{1,3}",
                Just("returned".to_string()),
                Just("type".to_string()),
                "[0-9a-f]{16,34}",
                "\\PC{0,24}",
            ]
        };
        let kind = prop_oneof![
            crate::compact::tests::arb_json().prop_map(|input| K::Started { input }),
            (
                text(),
                text(),
                crate::compact::tests::arb_json(),
                any::<u32>(),
                any::<bool>(),
                any::<Option<u32>>()
            )
                .prop_map(|(call_id, activity, args, attempt, awaited, line)| {
                    K::CallStarted {
                        call_id,
                        activity,
                        args,
                        attempt,
                        awaited,
                        line,
                    }
                }),
            (text(), text())
                .prop_map(|(call_id, activity)| K::CallAcknowledged { call_id, activity }),
            (
                text(),
                text(),
                any::<u32>(),
                crate::compact::tests::arb_json(),
                any::<i64>(),
                text()
            )
                .prop_map(|(call_id, activity, attempt, value, duration_ms, how)| {
                    K::CallCompleted {
                        call_id,
                        activity,
                        attempt,
                        value,
                        duration_ms,
                        how,
                    }
                }),
            (text(), text(), any::<u32>(), text(), any::<Option<i64>>()).prop_map(
                |(call_id, activity, attempt, error, retry_at)| K::CallFailed {
                    call_id,
                    activity,
                    attempt,
                    error,
                    retry_at
                }
            ),
            any::<i64>().prop_map(|until| K::TimerStarted { until }),
            text().prop_map(|key| K::TimerFired { key }),
            any::<i64>().prop_map(|value| K::Now { value }),
            (text(), text()).prop_map(|(run_id, flow)| K::ChildStarted { run_id, flow }),
            (
                text(),
                proptest::option::of(crate::compact::tests::arb_json())
            )
                .prop_map(|(run_id, result)| K::ChildFinished { run_id, result }),
            (
                text(),
                proptest::option::of((text(), any::<u32>(), any::<u32>()))
            )
                .prop_map(|(error, at)| K::Failed {
                    error,
                    location: at.map(|(file, line, col)| Location {
                        file,
                        line,
                        col,
                        span: Default::default(),
                        source_line: "let x = 1".into(),
                    })
                }),
            Just(K::Retried),
            crate::compact::tests::arb_json().prop_map(|value| K::Resolved { value }),
            (
                text(),
                any::<i64>(),
                any::<i64>(),
                proptest::collection::vec(text(), 0..3)
            )
                .prop_map(|(by, from, to, moved)| K::Upgraded {
                    by,
                    from,
                    to,
                    moved
                }),
            crate::compact::tests::arb_json().prop_map(|result| K::Completed { result }),
            text().prop_map(|reason| K::Cancelled { reason }),
            (text(), any::<i64>()).prop_map(|(from, step)| K::Forked { from, step }),
        ];
        (any::<i64>(), kind).prop_map(|(at, kind)| Entry { at, kind })
    }

    proptest::proptest! {
        /// The journal's entries written directly are the bytes serde writes,
        /// the reference table shared across entries included.
        #[test]
        fn entries_written_directly_are_what_serde_writes(
            entries in proptest::collection::vec(arb_entry(), 0..6)
        ) {
            let seeds = ["01M97217R2RDR9EQ29FEKSHASZ"];
            let direct = encode_entries_compact(&entries, &seeds).unwrap();
            proptest::prop_assert_eq!(&direct, &crate::compact::encode_serialize(&entries, &seeds).unwrap());
            // They read back as the entries' JSON does (a `Some(null)`
            // result reads as `None` there too).
            let back: Vec<Entry> = crate::compact::decode_into(&direct, &seeds).unwrap();
            let through_json: Vec<Entry> =
                serde_json::from_value(serde_json::to_value(&entries).unwrap()).unwrap();
            proptest::prop_assert_eq!(back, through_json);
        }
    }

    #[test]
    fn call_ids_are_the_run_id_a_dash_and_the_call_in_decimal() {
        for seq in [0, 1, 9, 10, 99, 100, 4_294_967, u32::MAX] {
            assert_eq!(
                call_id("01M97217R2RDR9EQ29FEKSHASZ", seq),
                format!("01M97217R2RDR9EQ29FEKSHASZ-{seq}")
            );
        }
        assert_eq!(call_id("", 7), "-7");
    }

    #[test]
    fn a_snapshot_of_this_version_reads_back() {
        let (p, state) = waiting_run();
        let bytes = serde_json::to_vec(&state).unwrap();
        let back = decode_snapshot(&bytes, &state.id).unwrap();
        assert_eq!(serde_json::to_vec(&back).unwrap(), bytes);
        back.check_against(&p).unwrap();
    }

    #[test]
    fn newer_missing_and_unknown_versions_are_refused_with_what_this_build_reads() {
        let (_, state) = waiting_run();
        let mut json = serde_json::to_value(&state).unwrap();
        for bad in [
            serde_json::json!(SNAPSHOT_VERSION + 1),
            serde_json::json!(0),
            serde_json::json!("1"),
            serde_json::json!(-1),
        ] {
            json["v"] = bad.clone();
            let err = decode_snapshot(&serde_json::to_vec(&json).unwrap(), &state.id).unwrap_err();
            assert_eq!(
                err,
                SnapshotError::Version {
                    found: bad.to_string()
                }
            );
            assert!(
                err.to_string().contains(&format!(
                    "versions {SNAPSHOT_VERSION_OLDEST} to {SNAPSHOT_VERSION}"
                )),
                "{err}"
            );
        }
        json.as_object_mut().unwrap().remove("v");
        assert!(matches!(
            decode_snapshot(&serde_json::to_vec(&json).unwrap(), &state.id),
            Err(SnapshotError::Corrupt(_))
        ));
        assert!(matches!(
            decode_snapshot(b"not json", &state.id),
            Err(SnapshotError::Corrupt(_))
        ));
    }

    /// The chain as a later release would use it: a version 2 that renamed
    /// a field reads version 1 through its upgrade, and not without it.
    #[test]
    fn older_versions_are_read_through_the_upgrade_chain() {
        let (_, state) = waiting_run();
        let mut v1 = serde_json::to_value(&state).unwrap();
        // What a version 1 snapshot would look like to a build whose
        // version 2 calls `steps` `instructions`... read back as today's.
        v1["instructions"] = v1["steps"].take();
        v1.as_object_mut().unwrap().remove("steps");
        let bytes = serde_json::to_vec(&v1).unwrap();
        fn rename(mut j: serde_json::Value) -> Result<serde_json::Value, String> {
            let n = j
                .as_object_mut()
                .and_then(|o| o.remove("instructions"))
                .ok_or("no `instructions`")?;
            j["steps"] = n;
            j["v"] = serde_json::json!(2);
            Ok(j)
        }
        let read = decode_snapshot_with(&bytes, &state.id, 2, &[rename]).unwrap();
        assert_eq!(read.steps, state.steps);
        assert!(matches!(
            decode_snapshot_with(&bytes, &state.id, 2, &[]),
            Err(SnapshotError::Corrupt(_))
        ));
        let broken =
            |_: serde_json::Value| -> Result<serde_json::Value, String> { Err("cannot".into()) };
        let err = decode_snapshot_with(&bytes, &state.id, 2, &[broken]).unwrap_err();
        assert!(err.to_string().contains("from version 1 to 2"), "{err}");
    }

    #[test]
    fn the_compact_snapshot_reads_back_as_its_json_would() {
        let (p, state) = waiting_run();
        let json = serde_json::to_vec(&state).unwrap();
        let bytes = encode_snapshot(&state, &state.id);
        assert!(crate::compact::is_compact(&bytes));
        assert!(
            bytes.len() * 2 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
        // Written straight from the state, as its value tree would be, with
        // the run id seeded: it is not in the bytes, and reading them with
        // another id does not give this state.
        let mut tree = crate::compact::encode(&serde_json::to_value(&state).unwrap(), &[&state.id]);
        tree[0] = crate::compact::FORMAT_SEEDED;
        assert_eq!(bytes, tree);
        assert!(!bytes
            .windows(state.id.len())
            .any(|w| w == state.id.as_bytes()));
        let unseeded = crate::compact::encode(&serde_json::to_value(&state).unwrap(), &[]);
        assert!(
            bytes.len() + 20 < unseeded.len(),
            "{} vs {}",
            bytes.len(),
            unseeded.len()
        );
        let other = decode_snapshot(&bytes, "01M9ZZZZZZZZZZZZZZZZZZZZZZ");
        assert!(other.map_or(true, |o| o.id != state.id));
        // A state given with another run's id is stored unseeded: read
        // with that id, it is still itself.
        let apart = encode_snapshot(&state, "01M9ZZZZZZZZZZZZZZZZZZZZZZ");
        assert!(!crate::compact::is_seeded(&apart));
        let read = decode_snapshot(&apart, "01M9ZZZZZZZZZZZZZZZZZZZZZZ").unwrap();
        assert_eq!(read.id, state.id);
        // The unseeded compact form earlier builds wrote reads as it did.
        let earlier = decode_snapshot(&unseeded, &state.id).unwrap();
        assert_eq!(serde_json::to_vec(&earlier).unwrap(), json);
        assert_eq!(
            snapshot_json(&bytes, &state.id).unwrap(),
            serde_json::to_value(&state).unwrap()
        );
        let back = decode_snapshot(&bytes, &state.id).unwrap();
        assert_eq!(serde_json::to_vec(&back).unwrap(), json);
        back.check_against(&p).unwrap();
        // Versions are checked and upgraded in the compact form as well.
        let mut v = serde_json::to_value(&state).unwrap();
        v["v"] = serde_json::json!(SNAPSHOT_VERSION + 1);
        let newer = crate::compact::encode(&v, &[]);
        assert!(matches!(
            decode_snapshot(&newer, &state.id),
            Err(SnapshotError::Version { .. })
        ));
        v.as_object_mut().unwrap().remove("v");
        let none = crate::compact::encode(&v, &[]);
        assert!(matches!(
            decode_snapshot(&none, &state.id),
            Err(SnapshotError::Corrupt(_))
        ));
        let mut v1 = serde_json::to_value(&state).unwrap();
        v1["instructions"] = v1["steps"].take();
        v1.as_object_mut().unwrap().remove("steps");
        fn rename(mut j: serde_json::Value) -> Result<serde_json::Value, String> {
            let n = j
                .as_object_mut()
                .and_then(|o| o.remove("instructions"))
                .ok_or("no `instructions`")?;
            j["steps"] = n;
            j["v"] = serde_json::json!(2);
            Ok(j)
        }
        let read = decode_snapshot_with(&crate::compact::encode(&v1, &[]), &state.id, 2, &[rename])
            .unwrap();
        assert_eq!(read.steps, state.steps);
        // Cut short: an error, not a panic.
        assert!(matches!(
            decode_snapshot(&bytes[..bytes.len() / 2], &state.id),
            Err(SnapshotError::Corrupt(_))
        ));
    }

    /// A snapshot as builds before the seeded form stored it (every field
    /// written, defaults included), as JSON text and as unseeded compact
    /// bytes: both read back to the same state, which this build stores
    /// seeded and reads again unchanged.
    #[test]
    fn a_snapshot_with_every_field_as_earlier_builds_wrote_it_reads_back() {
        let text = include_str!("../tests/data/snapshot-park-full.json").trim();
        let id = "01M97217R2RDR9EQ29FEKSHASZ";
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            json["children"],
            serde_json::json!({}),
            "every field is there"
        );
        let old_compact = crate::compact::encode(&json, &[]);
        let from_text = decode_snapshot(text.as_bytes(), id).unwrap();
        let from_compact = decode_snapshot(&old_compact, id).unwrap();
        let as_value = |s: &RunState| serde_json::to_value(s).unwrap();
        assert_eq!(as_value(&from_text), as_value(&from_compact));
        assert_eq!(
            from_text.calls[&2].token.as_deref(),
            Some("209490f4bdb450ea8a720225c69da3d5")
        );
        let now = encode_snapshot(&from_text, id);
        assert!(crate::compact::is_seeded(&now));
        assert!(now.len() < old_compact.len());
        assert_eq!(
            as_value(&decode_snapshot(&now, id).unwrap()),
            as_value(&from_text)
        );
    }

    #[test]
    fn a_snapshot_paired_with_the_wrong_program_is_refused() {
        let (_, state) = waiting_run();
        let small = crate::compile_source("g.weft", "flow G() {\n    return 1\n}\n").unwrap();
        let err = state.check_against(&small).unwrap_err();
        assert!(matches!(err, SnapshotError::Program(_)), "{err}");
    }
}

//! The host: applies events to many runs and turns what the engine says into
//! store writes and effects.
//!
//! It is driven by one thread (the real runtime's core, or the simulator).
//! Work accumulates into a batch; the driver takes the batch, commits it in
//! one transaction, and only then carries out the batch's effects
//! (dispatching tasks, answering waiters). The host keeps the runs it is
//! working on in memory, and forgets runs that wait once their last write is
//! committed: a suspended run costs nothing but its rows.
//!
//! # Programs and unreadable runs
//!
//! Runs execute the compiled program stored with their version
//! ([`Host::program`]); a version deployed by a build that stored source
//! only is compiled once under edition 1 and its program stored. A run
//! whose snapshot or program this build cannot read (a newer format, a
//! damaged row) is never resumed: [`Host::park`], the one place that
//! decides it, marks the run `failed` with an error whose `code` is
//! `unreadable_state` or `unreadable_program` and sets its timers and tasks
//! aside in the store, leaving its snapshot as it was. Events for it are
//! refused with [`HostError::Unreadable`]. A later build that reads it
//! unparks it when it starts ([`Host::prepare`]) or when it next loads it.

use std::collections::VecDeque;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use thiserror::Error;

use weft_engine::machine::{self, Env};
use weft_engine::program::{Edition, Program};
use weft_engine::state::{Cause, ChildState, Command, Event, RunState, Status, Task};
use weft_engine::{limits, stored, ActionError, Value};
use weft_store::{
    Batch, CallbackOutcome, Claim, ClusterStore, CommandRecord, Deployment, Fence, MachineWrite,
    RunQuery, RunRecord, RunWrite, SourceText, StepCause, Store, StoreError, StoredRun,
};

use crate::contain;
use crate::ids::{self, Entropy};

mod ingest;
mod instances;
mod schedules;
mod triggers;
pub use ingest::{validate_event, validate_events};
pub use instances::{
    instance_json, CommandRequest, Sent, DEPLOYED_PREFIX, FIND_LIMIT_MAX, INSTANCE_QUEUE_MAX,
};
pub use schedules::{spec_of as schedule_spec_of, ScheduleAction, SCHEDULE_QUEUE_POLL_MS};
pub use triggers::{
    declared as declared_triggers, event_input, ActiveTrigger, Match as TriggerMatch,
};

/// Why the host refused or failed a request.
#[derive(Debug, Error)]
pub enum HostError {
    /// No deployed flow has this name.
    #[error("no flow named `{0}` is deployed")]
    UnknownFlow(String),
    /// No run has this id.
    #[error("no run with id `{0}`")]
    UnknownRun(String),
    /// No program version has this number.
    #[error("no program version {0} is deployed")]
    UnknownVersion(i64),
    /// The program version does not define the flow.
    #[error("program version {version} does not define flow `{flow}`")]
    FlowNotInVersion {
        /// The flow.
        flow: String,
        /// The version.
        version: i64,
    },
    /// The operator's action does not apply to the run as it stands.
    #[error("{0}")]
    Action(#[from] ActionError),
    /// A payload is over the limit.
    #[error("the {what} is {size} bytes; the payload limit is {limit} bytes", limit = limits::PAYLOAD_BYTES_MAX)]
    PayloadTooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size.
        size: usize,
    },
    /// A callback was refused.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// The deployed source does not compile.
    #[error("the flows do not compile: {0}")]
    Compile(String),
    /// A flow has as many versions as it may have.
    #[error(
        "flow `{flow}` has {VERSIONS_PER_FLOW_MAX} versions, the limit (VERSIONS_PER_FLOW_MAX); \
         nothing was deployed"
    )]
    TooManyVersions {
        /// The flow.
        flow: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// In a cluster: another node is working on the run right now.
    #[error("run {0} is being worked on by another node; try again in a moment")]
    Busy(String),
    /// A run's state at a step could not be rebuilt (time travel, forks).
    #[error(transparent)]
    Travel(#[from] crate::travel::TravelError),
    /// A fork was refused.
    #[error("{0}")]
    Fork(String),
    /// A fork onto a newer version was refused by the live upgrade's
    /// checker (`weft_engine::upgrade`): the state at the step does not
    /// map onto that version.
    #[error("run {run}'s state after step {step} cannot move from version {from} to {to}: {}", reasons.join("; "))]
    ForkRefused {
        /// The run forked.
        run: String,
        /// The step forked from.
        step: i64,
        /// The version the run was on at that step.
        from: i64,
        /// The version asked for.
        to: i64,
        /// The checker's reasons.
        reasons: Vec<String>,
    },
    /// Starting a run panicked (a bug); nothing was stored.
    #[error("starting the run failed inside the engine: {0}")]
    Panicked(String),
    /// A value from outside (an input, a callback's value) is nested or
    /// sized past what a run's values may be.
    #[error("the {what} cannot be used: {message}")]
    Value {
        /// What was refused.
        what: &'static str,
        /// Why, naming the limit.
        message: String,
    },
    /// No deployed program has this machine.
    #[error("no machine named `{0}` is deployed")]
    UnknownMachine(String),
    /// The machine has no such command.
    #[error("the machine `{machine}` has no command `{command}`")]
    UnknownCommand {
        /// The machine.
        machine: String,
        /// The command.
        command: String,
    },
    /// A command that cannot be sent as it is (its input does not fit, its
    /// key or command id is too long).
    #[error("{0}")]
    InvalidCommand(String),
    /// The instance has too many commands waiting.
    #[error("the instance {machine}/{key} has {limit} commands waiting (INSTANCE_QUEUE_MAX); try again later")]
    QueueFull {
        /// The machine.
        machine: String,
        /// The key.
        key: String,
        /// The limit.
        limit: usize,
    },
    /// A run's snapshot or program (or a version's program) cannot be read
    /// by this build; the run is parked (see the module documentation).
    #[error("{0}")]
    Unreadable(Unreadable),
    /// Events that cannot be taken as they are (an empty id, over a
    /// limit); none of the list was taken.
    #[error("{0}")]
    InvalidEvent(String),
    /// No schedule in force has this name.
    #[error("no schedule named `{0}` is deployed")]
    UnknownSchedule(String),
    /// No stored event has this id.
    #[error("no event with id `{0}` was taken")]
    UnknownEvent(String),
}

/// What this build cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnreadableKind {
    /// A run's snapshot.
    State,
    /// A version's compiled program (or the source of a version without
    /// one, which does not compile under edition 1).
    Program,
    /// A step of the run panicked: this build cannot take the run further
    /// (a bug met by its state). Parked like an unreadable run, it is
    /// tried again when a build starts (one that fixes the bug goes on).
    Panic,
}

impl UnreadableKind {
    /// The error code runs and API answers carry.
    pub fn code(self) -> &'static str {
        match self {
            UnreadableKind::State => "unreadable_state",
            UnreadableKind::Program => "unreadable_program",
            UnreadableKind::Panic => "engine_panic",
        }
    }

    /// Parses [`UnreadableKind::code`].
    pub fn from_code(code: &str) -> Option<UnreadableKind> {
        match code {
            "unreadable_state" => Some(UnreadableKind::State),
            "unreadable_program" => Some(UnreadableKind::Program),
            "engine_panic" => Some(UnreadableKind::Panic),
            _ => None,
        }
    }
}

/// Why a run (or a program version) cannot be read by this build.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct Unreadable {
    /// What cannot be read.
    pub kind: UnreadableKind,
    /// Which run or version, which format, and what this build reads.
    pub message: String,
}

impl Unreadable {
    /// The error of a parked run's record: `{code, message, location}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.kind.code(),
            "message": self.message,
            "location": null,
        })
    }
}

/// Why a callback was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CallbackError {
    /// The token never existed.
    #[error("unknown callback token")]
    NotFound,
    /// The token was used, timed out, or its run moved on.
    #[error("this callback was already completed (or its wait timed out or was cancelled)")]
    AlreadyCompleted,
}

/// What the driver must do once the batch that produced it is committed.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Give the task to its activity.
    Dispatch(Task),
    /// The call no longer needs this task.
    CancelTask {
        /// The call id.
        call_id: String,
    },
    /// A run changed; its record is as given (for waiters and live views).
    /// Shared with the host's copy: a step clones no record for it.
    RunUpdated(Arc<RunRecord>),
    /// A command finished (applied or refused), as recorded.
    CommandDone(Box<CommandRecord>),
}

/// The result of starting a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    /// The run's id.
    pub run_id: String,
    /// False when an idempotency key found an existing run.
    pub created: bool,
}

struct Cached {
    /// Shared with the [`Effect::RunUpdated`] of the batch that last
    /// wrote it; changed in place ([`Arc::make_mut`]), which copies it
    /// only while that batch's effects are still held.
    record: Arc<RunRecord>,
    state: RunState,
    program: Arc<Program>,
    /// The batch that last wrote this run.
    last_batch: u64,
    /// In a cluster: this node's claim on the run.
    claim: Option<Claim>,
    /// The batch that created the run (0 when it was loaded): until that
    /// batch commits, the store does not know the run or its claim.
    created_in: u64,
}

/// A host's place in a cluster: the shared store and who this node is.
#[derive(Clone)]
pub struct Cluster {
    /// The store every node shares.
    pub store: Arc<dyn ClusterStore>,
    /// This node's name (unique among live nodes).
    pub node: String,
    /// How long a claim lasts without renewal (ms).
    pub lease_ms: i64,
}

/// Versions a flow may have: a deploy that would add one more to a flow
/// that has this many is refused. Every version is kept (runs may be on
/// it), and lists of a flow's versions grow with them.
pub const VERSIONS_PER_FLOW_MAX: usize = 10_000;

/// Programs kept in memory, the most recently used: others are decoded
/// again from the store when a run of theirs is loaded (a run in memory
/// holds its own program), so memory does not grow with deploys.
pub const PROGRAMS_CACHED_MAX: usize = 64;

/// Runs claimed at once when looking for work in a cluster.
pub const CLAIM_BATCH_MAX: usize = 256;

/// Runs one flow-wide live upgrade looks at, at most ([`Host::upgrade_flow`]);
/// the answer says when more are left (`more`), and the caller asks again.
pub const UPGRADE_RUNS_MAX: usize = 1_000;

/// Which runs a live upgrade is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpgradeTarget {
    /// One run.
    Run(String),
    /// Every run of a flow that has not finished and is on an older version.
    Flow(String),
}

/// What a live upgrade did, or would do, to one run.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeVerdict {
    /// The run.
    pub run_id: String,
    /// Its flow.
    pub flow: String,
    /// The version it ran on.
    pub from: i64,
    /// The version asked for.
    pub to: i64,
    /// True when the checker proved the move safe.
    pub accepted: bool,
    /// True when the run now runs on `to` (accepted, and not a dry run).
    pub upgraded: bool,
    /// Why it was refused (empty when accepted).
    pub reasons: Vec<String>,
    /// Where each fiber's frames stood and stand now (when accepted).
    pub moves: Vec<weft_engine::upgrade::FiberMove>,
    /// Things worth knowing that did not stop it.
    pub notes: Vec<String>,
}

/// What a live upgrade request did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeReport {
    /// One verdict per run looked at.
    pub runs: Vec<UpgradeVerdict>,
    /// A flow-wide upgrade stopped at [`UPGRADE_RUNS_MAX`] runs: ask again
    /// for the others.
    pub more: bool,
}

/// Where an event went.
enum Placed {
    /// Applied here.
    Here,
    /// Queued for the node that holds the run.
    Queued,
}

/// Follow-up work a transition causes in other runs (kept in a queue, not
/// recursion, so long chains of sub-flows cannot overflow the stack).
enum FollowUp {
    StartChild {
        parent: String,
        run_id: String,
        flow: String,
        start: weft_engine::state::ChildStart,
        depth: u32,
    },
    Deliver(String, Event),
    /// A child finished: tell its parent (which knows it by index).
    ChildFinished {
        parent: String,
        child_run: String,
        result: Option<serde_json::Value>,
    },
    /// A flow's call of a machine, carried out here.
    MachineCall(Task),
    /// An event made here (a machine's `created`/`updated`): take it as
    /// [`Host::ingest`] takes events, starting its triggers' runs.
    Event(Box<weft_store::IncomingEvent>),
    /// A handler's run finished: apply its command's outcome.
    CommandFinished {
        machine: String,
        key: String,
        seq: i64,
        run_id: String,
        result: Option<serde_json::Value>,
    },
}

/// What a write records besides the engine's output.
#[derive(Default)]
struct Transition {
    /// The call whose attempt an accepted event ended (its task row goes).
    finished_call: Option<u32>,
    /// A delivered timer whose row goes.
    done_timer: Option<String>,
    /// An inbox event the step consumed (deleted with it).
    inbox_done: Option<i64>,
    /// The run is new.
    created: bool,
    /// What caused the step, stored with its journal entries.
    cause: Option<Cause>,
}

impl Transition {
    fn created(cause: Cause) -> Transition {
        Transition {
            created: true,
            cause: Some(cause),
            ..Transition::default()
        }
    }
}

/// Applies events to runs; see the module documentation.
pub struct Host {
    store: Arc<dyn Store>,
    entropy: Box<dyn Entropy>,
    /// Compiled programs by version, with when each was last used (see
    /// [`PROGRAMS_CACHED_MAX`]).
    programs: HashMap<i64, (Arc<Program>, u64)>,
    /// Counts uses of `programs`.
    program_uses: u64,
    /// Versions whose program this build cannot read, with why.
    unreadable_programs: HashMap<i64, Unreadable>,
    /// Runs parked because this build cannot read them.
    parked: HashMap<String, Unreadable>,
    runs: HashMap<String, Cached>,
    /// Number of the batch being built.
    batch_no: u64,
    /// Every batch up to this one is committed.
    committed_no: u64,
    /// The batch being built: one write per run it touches, in the order
    /// first touched. A run stepped many times in one batch (a parent whose
    /// thousand children end at once) gets one write: its steps' journal
    /// entries and row changes merge into it, and its record and snapshot
    /// are made once, when the batch is taken.
    writes: Vec<RunWrite>,
    /// Where each run's write is in `writes`, and the time of its last step.
    pending: HashMap<String, (usize, i64)>,
    /// The steps merged into each write of `writes` (by index): how many
    /// journal entries each made and what caused it, for replays (see
    /// [`step_cause`]).
    step_causes: HashMap<usize, Vec<(usize, Option<Cause>)>>,
    effects: Vec<Effect>,
    /// Idempotency keys of runs created in batches not yet committed:
    /// key -> (run id, the batch that creates the run).
    keys: HashMap<String, (String, u64)>,
    /// Tokens spent in batches not yet committed -> the batch.
    spent: HashMap<String, u64>,
    /// Timers delivered whose clearing is not yet committed -> the batch.
    fired: HashMap<(String, String), u64>,
    /// Earliest timer we know of; `None` means "ask the store".
    next_timer: Option<i64>,
    next_timer_known: bool,
    /// The newest batch that set or cleared a timer or took due ones: once
    /// it is committed (and nothing after it is in flight) the store is
    /// asked for the next timer again, since `next_timer` may name one
    /// that is gone. Being the newest, it also keeps that question from
    /// being asked while the batch being built holds timers the store does
    /// not have yet. Batches that touch no timer leave `next_timer` right,
    /// so the core does not ask the store after each of them (it did: one
    /// read transaction per commit, in series with every step).
    timers_touched_in: Option<u64>,
    /// Outside a cluster: the newest version of each flow started here,
    /// forgotten at every deploy (only this host deploys into its store).
    /// In a cluster another node may deploy, so the store is asked.
    latest_versions: HashMap<String, i64>,
    follow: VecDeque<FollowUp>,
    /// In a cluster: the shared store and this node.
    cluster: Option<Cluster>,
    /// Runs whose step panicked, to park once every batch up to the one
    /// given (which may hold their earlier writes) is committed.
    park_after: Vec<(String, Unreadable, u64)>,
    /// Test builds: called before every event a run takes (tests make it
    /// panic, as a bug would).
    #[cfg(any(test, feature = "test-hooks"))]
    probe: Option<Probe>,
    /// Machine instances held in memory (see `instances.rs`).
    instances: HashMap<(String, String), instances::Inst>,
    /// Commands as this host last wrote them, until the batch that wrote
    /// them is committed: (machine, key, command id) -> (record, batch).
    command_ids: HashMap<(String, String, String), (CommandRecord, u64)>,
    /// Machine writes of the batch being built.
    machine_writes: Vec<MachineWrite>,
    /// Events taken in the batch being built (see `ingest.rs`).
    event_writes: Vec<weft_store::EventWrite>,
    /// Stored events' starts written again by re-drives, for the batch
    /// being built.
    event_start_writes: Vec<weft_store::EventStartsWrite>,
    /// Ids of events taken in batches not yet committed -> the batch.
    event_ids: HashMap<String, u64>,
    /// The triggers each version declares, read once (see `triggers.rs`).
    trigger_specs: HashMap<i64, Arc<Vec<weft_syntax::ast::TriggerSpec>>>,
    /// The schedules each version declares, read once (`schedules.rs`).
    schedule_specs: HashMap<i64, Arc<Vec<weft_check::schedules::ScheduleSpec>>>,
    /// Schedule writes of the batch being built.
    schedule_writes: Vec<weft_store::ScheduleWrite>,
    /// Schedules' rows written in batches not yet committed -> the batch.
    schedule_overlay: HashMap<String, (weft_store::ScheduleRow, u64)>,
    /// The next schedule fire, once known (`None`: ask the rows).
    schedule_next: Option<Option<i64>>,
    /// The newest deployed version the schedules were synced with.
    schedules_synced: Option<i64>,
    /// True once the schedules were synced by this host.
    schedules_checked: bool,
}

/// Test builds: what [`Host::set_probe`] takes.
#[cfg(any(test, feature = "test-hooks"))]
pub type Probe = Box<dyn FnMut(&str, &str) + Send>;

struct HostEnv<'a> {
    now: i64,
    entropy: &'a mut dyn Entropy,
    /// The jitter drawn, kept with the step for replays.
    jitter: Vec<f64>,
}

impl<'a> HostEnv<'a> {
    fn new(now: i64, entropy: &'a mut dyn Entropy) -> HostEnv<'a> {
        HostEnv {
            now,
            entropy,
            jitter: Vec::new(),
        }
    }
}

impl Env for HostEnv<'_> {
    fn now(&self) -> i64 {
        self.now
    }
    fn token(&mut self) -> String {
        ids::token(self.entropy)
    }
    fn run_id(&mut self) -> String {
        ids::run_id(self.now, self.entropy)
    }
    fn jitter(&mut self) -> f64 {
        let j = ids::unit(self.entropy);
        self.jitter.push(j);
        j
    }
}

/// What caused a journal step, as stored with it: one transition's
/// [`Cause`] as it is; the transitions of one run merged into one write
/// (one batch) as `{"steps": [{"entries": n, "cause": ...}, ...]}`, each
/// with the number of the step's entries it made, in order (read back by
/// [`crate::travel`]). `None` when no transition recorded a cause.
fn step_cause(mut steps: Vec<(usize, Option<Cause>)>) -> Option<StepCause> {
    match steps.len() {
        0 => None,
        1 => steps
            .pop()
            .and_then(|(_, c)| c)
            .map(|c| StepCause::One(Box::new(c))),
        _ if steps.iter().all(|(_, c)| c.is_none()) => None,
        _ => Some(StepCause::Many(steps)),
    }
}

impl Host {
    /// A host over `store`.
    pub fn new(store: Arc<dyn Store>, entropy: Box<dyn Entropy>) -> Host {
        Host {
            store,
            entropy,
            programs: HashMap::new(),
            program_uses: 0,
            unreadable_programs: HashMap::new(),
            parked: HashMap::new(),
            runs: HashMap::new(),
            batch_no: 1,
            committed_no: 0,
            writes: Vec::new(),
            pending: HashMap::new(),
            step_causes: HashMap::new(),
            effects: Vec::new(),
            keys: HashMap::new(),
            spent: HashMap::new(),
            fired: HashMap::new(),
            next_timer: None,
            next_timer_known: false,
            timers_touched_in: None,
            latest_versions: HashMap::new(),
            follow: VecDeque::new(),
            cluster: None,
            park_after: Vec::new(),
            #[cfg(any(test, feature = "test-hooks"))]
            probe: None,
            instances: HashMap::new(),
            command_ids: HashMap::new(),
            machine_writes: Vec::new(),
            event_writes: Vec::new(),
            event_start_writes: Vec::new(),
            event_ids: HashMap::new(),
            trigger_specs: HashMap::new(),
            schedule_specs: HashMap::new(),
            schedule_writes: Vec::new(),
            schedule_overlay: HashMap::new(),
            schedule_next: None,
            schedules_synced: None,
            schedules_checked: false,
        }
    }

    /// Test builds: calls `probe` with a run's id and what it is about to
    /// do (`"starting"`, or the event in a few words) before every step (a
    /// test makes it panic, as a bug in a step would).
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn set_probe(&mut self, probe: Option<Probe>) {
        self.probe = probe;
    }

    /// A host that is one node of a cluster sharing `cluster.store`: it
    /// applies events only to runs it has claimed, and queues the others'.
    pub fn new_cluster(cluster: Cluster, entropy: Box<dyn Entropy>) -> Host {
        let store: Arc<dyn Store> = cluster.store.clone();
        let mut host = Host::new(store, entropy);
        host.cluster = Some(cluster);
        host
    }

    /// A host that starts over from the store (its memory is not to be
    /// trusted: the store refused one of its batches). It keeps the batch
    /// numbering, since batches of this host may still be in flight and
    /// their commits must not be mistaken for the new host's. What it knows
    /// of programs and parked runs stays: programs never change, and
    /// parking is written to the store at once, never in a batch.
    pub fn restart(&self, entropy: Box<dyn Entropy>) -> Host {
        let mut h = match &self.cluster {
            Some(cl) => Host::new_cluster(cl.clone(), entropy),
            None => Host::new(self.store.clone(), entropy),
        };
        h.batch_no = self.batch_no;
        h.committed_no = self.committed_no;
        h.programs = self.programs.clone();
        h.program_uses = self.program_uses;
        h.unreadable_programs = self.unreadable_programs.clone();
        h.parked = self.parked.clone();
        h
    }

    /// This node's cluster, if it is in one.
    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Runs held in memory (for tests of the memory bound).
    pub fn cached_runs(&self) -> usize {
        self.runs.len()
    }

    /// Checks the invariants of every run held in memory
    /// ([`RunState::check_invariants`]), in the order of their ids. For
    /// simulators and tests: it walks every state, so the real runtime
    /// never calls it.
    pub fn check_invariants(&self) -> Result<(), weft_engine::Violations> {
        let mut ids: Vec<&String> = self.runs.keys().collect();
        ids.sort();
        for id in ids {
            let c = &self.runs[id];
            c.state.check_invariants(&c.program)?;
        }
        Ok(())
    }

    // ----- programs -----

    /// Compiles a new program version (under the latest edition) and stores
    /// it with its source. The sources must already have passed the checker
    /// (the deploy path runs it first).
    pub fn deploy(&mut self, files: &[SourceText], now: i64) -> Result<Deployment, HostError> {
        let program = Host::compile(files)?;
        self.deploy_compiled(files, program, now)
    }

    /// Compiles sources into a program, without storing anything: what a
    /// deploy does before it needs the host (the runtime compiles off its
    /// core thread).
    pub fn compile(files: &[SourceText]) -> Result<Program, HostError> {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        weft_engine::compile_sources(&refs).map_err(|e| HostError::Compile(e.to_string()))
    }

    /// Stores a new program version, compiled from `files` by
    /// [`Host::compile`].
    pub fn deploy_compiled(
        &mut self,
        files: &[SourceText],
        program: Program,
        now: i64,
    ) -> Result<Deployment, HostError> {
        let encoded = stored::encode(&program).map_err(|e| HostError::Compile(e.to_string()))?;
        // Machines are listed among the flows, so the newest version that
        // defines one is found the same way.
        let flows: Vec<String> = program
            .flows
            .keys()
            .cloned()
            .chain(
                program
                    .machines
                    .keys()
                    .map(|m| format!("{DEPLOYED_PREFIX}{m}")),
            )
            .collect();
        for f in self.store.flows()? {
            if f.versions.len() >= VERSIONS_PER_FLOW_MAX && flows.contains(&f.name) {
                return Err(HostError::TooManyVersions { flow: f.name });
            }
        }
        self.latest_versions.clear();
        let d = self.store.deploy(files, &flows, Some(&encoded), now)?;
        self.cache_program(d.version, Arc::new(program));
        // The version is stored; its schedules' rows go in the next batch
        // (a failure here is retried at the next fire check, which syncs
        // with the newest version it has not seen).
        if let Err(e) = self.sync_schedules(now) {
            tracing::warn!(error = %e, "bringing the schedules in line with version {} failed: {e}", d.version);
        }
        Ok(d)
    }

    /// Keeps a program, forgetting the least recently used one past
    /// [`PROGRAMS_CACHED_MAX`].
    fn cache_program(&mut self, version: i64, program: Arc<Program>) {
        self.program_uses += 1;
        self.programs.insert(version, (program, self.program_uses));
        if self.programs.len() > PROGRAMS_CACHED_MAX {
            if let Some(oldest) = self
                .programs
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(v, _)| *v)
            {
                self.programs.remove(&oldest);
            }
        }
    }

    /// Programs held in memory (for tests of the memory bound).
    pub fn cached_programs(&self) -> usize {
        self.programs.len()
    }

    /// The compiled program of a version: the one stored with it, decoded
    /// (and upgraded from an older format). A version deployed before
    /// programs were stored is compiled under edition 1, the semantics its
    /// source had then, and its program stored, so that it is never
    /// compiled again. `Unreadable` when this build cannot read it.
    pub fn program(&mut self, version: i64) -> Result<Arc<Program>, HostError> {
        self.program_uses += 1;
        let uses = self.program_uses;
        if let Some((p, used)) = self.programs.get_mut(&version) {
            *used = uses;
            return Ok(p.clone());
        }
        if let Some(u) = self.unreadable_programs.get(&version) {
            return Err(HostError::Unreadable(u.clone()));
        }
        let unreadable = |message: String| Unreadable {
            kind: UnreadableKind::Program,
            message: format!("program version {version}: {message}"),
        };
        let Some(d) = self.store.deployment(version)? else {
            let u = unreadable("it does not exist".into());
            self.unreadable_programs.insert(version, u.clone());
            return Err(HostError::Unreadable(u));
        };
        let decoded = match &d.program {
            Some(text) => stored::decode(text).map_err(|e| unreadable(e.to_string())),
            None => self.migrate_program(&d)?.map_err(unreadable),
        };
        match decoded {
            Ok(p) => {
                let p = Arc::new(p);
                self.cache_program(version, p.clone());
                Ok(p)
            }
            Err(u) => {
                self.unreadable_programs.insert(version, u.clone());
                Err(HostError::Unreadable(u))
            }
        }
    }

    /// Compiles a version that has no stored program under edition 1 and
    /// stores the program. When another node stored one first, that one is
    /// used, so every node runs the same code.
    fn migrate_program(&self, d: &Deployment) -> Result<Result<Program, String>, HostError> {
        let refs: Vec<(&str, &str)> = d
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        let program = match weft_engine::compile_sources_in(&refs, Edition::E1) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Err(format!(
                    "it was deployed without a stored program and its source does not compile \
                     under edition 1: {e}"
                )))
            }
        };
        let encoded = match stored::encode(&program) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e.to_string())),
        };
        if self.store.set_program(d.version, &encoded)? {
            return Ok(Ok(program));
        }
        match self.store.deployment(d.version)? {
            Some(Deployment {
                program: Some(text),
                ..
            }) => Ok(stored::decode(&text).map_err(|e| e.to_string())),
            _ => Ok(Err(
                "its stored program vanished while it was being migrated".into(),
            )),
        }
    }

    /// Makes the store ready for this build before runs are driven: stores
    /// the programs of versions deployed without one (compiled under
    /// edition 1), and unparks the parked runs this build reads (the others
    /// stay parked, with this build's reason). Returns how many programs
    /// were stored and runs unparked.
    pub fn prepare(&mut self, now: i64) -> Result<(usize, usize), HostError> {
        let mut migrated = 0;
        for version in self.store.versions_without_program()? {
            match self.program(version) {
                Ok(_) => migrated += 1,
                // Its runs are parked when they are next loaded.
                Err(HostError::Unreadable(u)) => tracing::warn!("{u}"),
                Err(e) => return Err(e),
            }
        }
        let mut unparked = 0;
        for p in self.store.parked_runs()? {
            let Some(stored) = self.store.load_run(&p.run_id)? else {
                continue;
            };
            match self.read(&stored)? {
                Ok((state, program)) => {
                    if self.unpark(stored.record, &state, &program, now)?.is_some() {
                        unparked += 1;
                    }
                }
                Err(u) => {
                    let same = p.reason.get("message").and_then(|m| m.as_str())
                        == Some(u.message.as_str());
                    if !same {
                        self.park(stored.record, u.clone(), now)?;
                    }
                    self.parked.insert(p.run_id, u);
                }
            }
        }
        self.drain_follow_ups(now)?;
        self.sync_schedules(now)?;
        Ok((migrated, unparked))
    }

    // ----- batches -----

    /// Takes the writes and effects accumulated since the last call. The
    /// driver commits the batch, then calls [`Host::committed`], then
    /// carries out the effects.
    pub fn take_batch(&mut self) -> (u64, Batch, Vec<Effect>) {
        let no = self.batch_no;
        self.batch_no += 1;
        let mut all: Vec<Option<RunWrite>> = std::mem::take(&mut self.writes)
            .into_iter()
            .map(Some)
            .collect();
        let mut pending: Vec<(String, (usize, i64))> = self.pending.drain().collect();
        pending.sort_by_key(|(_, (at, _))| *at);
        let mut causes = std::mem::take(&mut self.step_causes);
        let mut writes = Vec::with_capacity(pending.len());
        for (run_id, (at, now)) in pending {
            // A run with a write in the batch stays in memory until the
            // batch commits (see `committed`); a write whose run is not
            // pending any more was dropped (its step panicked).
            let (Some(c), Some(mut w)) = (self.runs.get_mut(&run_id), all[at].take()) else {
                continue;
            };
            // In place: the record's input, ids and flow are not copied
            // again (a copy only when the previous batch or its effects
            // still hold the record). The write and the effect share the
            // host's.
            update_record(Arc::make_mut(&mut c.record), &c.state, &c.program, now);
            w.record = Some(Arc::clone(&c.record));
            w.state = weft_engine::state::encode_snapshot(&c.state, &run_id);
            // `update_record` just took `waiting` from this very state.
            w.waiting_from_state = true;
            w.cause = step_cause(causes.remove(&at).unwrap_or_default());
            self.effects.push(Effect::RunUpdated(c.record.clone()));
            writes.push(w);
        }
        if !self.machine_writes.is_empty() {
            writes.push(RunWrite {
                machines: std::mem::take(&mut self.machine_writes),
                ..RunWrite::default()
            });
        }
        writes.extend(self.take_event_writes());
        let schedules = self.take_schedule_writes();
        if !schedules.is_empty() {
            writes.push(RunWrite {
                schedules,
                ..RunWrite::default()
            });
        }
        (no, Batch { writes }, std::mem::take(&mut self.effects))
    }

    /// Batch `no` (and every earlier one) is durable: forget what only
    /// mattered until then, and evict runs that are not running.
    ///
    /// Only what batches up to `no` hold is forgotten: the batch being
    /// built (and any later one in flight) is not durable yet, and until it
    /// is the store cannot answer for its keys, tokens and timers.
    pub fn committed(&mut self, no: u64) {
        self.committed_no = self.committed_no.max(no);
        let due: Vec<(String, Unreadable, u64)>;
        (due, self.park_after) = std::mem::take(&mut self.park_after)
            .into_iter()
            .partition(|(_, _, after)| *after <= no);
        for (run_id, why, _) in due {
            self.park_by_id(&run_id, why);
        }
        self.keys.retain(|_, (_, batch)| *batch > no);
        self.spent.retain(|_, batch| *batch > no);
        self.fired.retain(|_, batch| *batch > no);
        self.event_ids.retain(|_, batch| *batch > no);
        self.schedule_overlay.retain(|_, (_, batch)| *batch > no);
        let cleared = self.cluster.is_some() || self.timers_touched_in.is_some_and(|b| b <= no);
        if no + 1 == self.batch_no && cleared {
            // Cleared timers may linger in `next_timer`: ask the store.
            self.next_timer = None;
            self.next_timer_known = false;
            self.timers_touched_in = None;
        }
        let mut released = Vec::new();
        self.runs.retain(|_, c| {
            let keep = c.last_batch > no || c.state.status == Status::Running;
            if !keep {
                released.extend(c.claim.clone());
            }
            keep
        });
        if let (Some(cl), false) = (&self.cluster, released.is_empty()) {
            // Best effort: an unreleased claim just expires.
            if let Err(e) = cl.store.release(&cl.node, &released) {
                tracing::warn!(
                    runs = released.len(),
                    error = %e,
                    "releasing {} run(s) failed: {e}",
                    released.len()
                );
            }
        }
        let released = self.evict_instances(no);
        if let (Some(cl), false) = (&self.cluster, released.is_empty()) {
            if let Err(e) = cl.store.release_instances(&cl.node, &released) {
                tracing::warn!(error = %e, "releasing {} instance(s) failed: {e}", released.len());
            }
        }
    }

    /// True when work is waiting to be taken.
    pub fn has_work(&self) -> bool {
        !self.writes.is_empty()
            || !self.effects.is_empty()
            || !self.machine_writes.is_empty()
            || !self.event_writes.is_empty()
            || !self.event_start_writes.is_empty()
            || !self.schedule_writes.is_empty()
    }

    // ----- runs -----

    /// Makes the run available here: from memory, or (in a cluster, once
    /// claimed) from the store. `false` when another node holds it.
    /// `Unreadable` for a run this build cannot read (it is parked).
    fn load(&mut self, id: &str, now: i64) -> Result<bool, HostError> {
        if self.runs.contains_key(id) {
            return Ok(true);
        }
        if let Some(u) = self.parked.get(id) {
            return Err(HostError::Unreadable(u.clone()));
        }
        let claim = match &self.cluster {
            None => None,
            Some(cl) => match cl.store.claim_run(&cl.node, id, now, cl.lease_ms)? {
                Some(claim) => Some(claim),
                None if cl.store.run(id)?.is_none() => {
                    return Err(HostError::UnknownRun(id.to_string()))
                }
                None => return Ok(false),
            },
        };
        self.adopt(id, claim, now)?;
        Ok(true)
    }

    /// Loads a run from the store under `claim`. A run this build cannot
    /// read is parked (and its claim released); a parked run it reads is
    /// unparked.
    fn adopt(&mut self, id: &str, claim: Option<Claim>, now: i64) -> Result<(), HostError> {
        let stored = self
            .store
            .load_run(id)?
            .ok_or_else(|| HostError::UnknownRun(id.to_string()))?;
        let (state, program) = match self.read(&stored)? {
            Ok(read) => read,
            // A run that ended (an operator cancelled it while parked) takes
            // nothing more: it is not parked again.
            Err(_) if stored.record.status.is_terminal() => {
                return Err(HostError::Action(ActionError::Finished(
                    stored.record.status.as_str(),
                )))
            }
            Err(u) => {
                self.park(stored.record, u.clone(), now)?;
                self.parked.insert(id.to_string(), u.clone());
                if let (Some(cl), Some(claim)) = (&self.cluster, claim) {
                    // Best effort: an unreleased claim just expires.
                    if let Err(e) = cl.store.release(&cl.node, &[claim]) {
                        tracing::warn!(run = %id, error = %e, "releasing run {id} failed: {e}");
                    }
                }
                return Err(HostError::Unreadable(u));
            }
        };
        let parked_code = stored
            .record
            .error
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|c| c.as_str())
            .and_then(UnreadableKind::from_code);
        let record = match parked_code {
            Some(_) => match self.unpark(stored.record.clone(), &state, &program, now)? {
                Some(rec) => rec,
                None => stored.record,
            },
            None => stored.record,
        };
        self.runs.insert(
            id.to_string(),
            Cached {
                record: Arc::new(record),
                state,
                program,
                last_batch: 0,
                claim,
                created_in: 0,
            },
        );
        Ok(())
    }

    /// A stored run's state and program, if this build reads both and they
    /// fit together. The outer error is the store's (nothing is decided
    /// about the run then).
    fn read(
        &mut self,
        stored: &StoredRun,
    ) -> Result<Result<(RunState, Arc<Program>), Unreadable>, HostError> {
        let run = &stored.record.id;
        let state = match weft_engine::state::decode_snapshot(&stored.state, run) {
            Ok(s) => s,
            Err(e) => {
                return Ok(Err(Unreadable {
                    kind: UnreadableKind::State,
                    message: format!("run {run}: {e}"),
                }))
            }
        };
        let program = match self.program(stored.record.version) {
            Ok(p) => p,
            Err(HostError::Unreadable(u)) => {
                return Ok(Err(Unreadable {
                    kind: u.kind,
                    message: format!("run {run}: {}", u.message),
                }))
            }
            Err(e) => return Err(e),
        };
        Ok(match state.check_against(&program) {
            Ok(()) => Ok((state, program)),
            Err(e) => Err(Unreadable {
                kind: UnreadableKind::State,
                message: format!("run {run}: {e}"),
            }),
        })
    }

    /// Parks a run this build cannot read: its record says `failed` with
    /// the reason as its error, its timers and tasks are set aside; its
    /// snapshot is left as it was. The one place that decides how an
    /// unreadable run looks (a snapshot too large or too deep to read will
    /// come here too).
    pub fn park(&mut self, prev: RunRecord, why: Unreadable, now: i64) -> Result<(), HostError> {
        tracing::warn!(run = %prev.id, "parking run {}: {why}", prev.id);
        let record = RunRecord {
            status: Status::Failed,
            error: Some(why.to_json()),
            updated_at: now,
            ..prev
        };
        self.store.park_run(&record, &why.to_json(), now)?;
        self.effects.push(Effect::RunUpdated(Arc::new(record)));
        Ok(())
    }

    /// Unparks a run this build reads: its record from its state again,
    /// its timers and tasks back in the store. Returns the record, or
    /// `None` when the run was not parked (another node unparked it).
    /// Sub-flows that finished while it was parked are delivered to it, and
    /// if it is a sub-flow whose parent stopped meanwhile, it is cancelled.
    fn unpark(
        &mut self,
        prev: RunRecord,
        state: &RunState,
        program: &Program,
        now: i64,
    ) -> Result<Option<RunRecord>, HostError> {
        let record = make_record(&prev, state, program, now);
        if !self.store.unpark_run(&record)? {
            return Ok(None);
        }
        tracing::info!(run = %record.id, "run {} is readable again: unparked", record.id);
        // Its timers are back in the store, unknown to `next_timer`.
        self.next_timer_known = false;
        self.parked.remove(&record.id);
        for c in state.children.values() {
            if !matches!(c.state, ChildState::Running) {
                continue;
            }
            let Some(child) = self.store.run(&c.run_id)? else {
                continue;
            };
            let result = match child.status {
                Status::Completed => Some(child.result.unwrap_or(serde_json::Value::Null)),
                Status::Cancelled => None,
                _ => continue,
            };
            self.follow.push_back(FollowUp::ChildFinished {
                parent: record.id.clone(),
                child_run: c.run_id.clone(),
                result,
            });
        }
        if let (Some(parent), false) = (&record.parent, state.status.is_terminal()) {
            if let Some(p) = self.store.run(parent)? {
                if p.status.is_terminal() {
                    self.follow.push_back(FollowUp::Deliver(
                        record.id.clone(),
                        Event::Cancel {
                            reason: "its parent run stopped".into(),
                        },
                    ));
                }
            }
        }
        self.effects
            .push(Effect::RunUpdated(Arc::new(record.clone())));
        Ok(Some(record))
    }

    /// Runs parked in this process because this build cannot read them.
    pub fn parked_runs(&self) -> usize {
        self.parked.len()
    }

    /// A run's current status when the host holds the run (what
    /// [`Host::record`] would say of it, without making the record).
    pub fn status_in_memory(&self, id: &str) -> Option<Status> {
        let c = self.runs.get(id)?;
        Some(match self.pending.get(id) {
            Some(_) => c.state.status,
            None => c.record.status,
        })
    }

    /// A run's current record (from memory when the host holds it).
    pub fn record(&mut self, id: &str) -> Result<Option<RunRecord>, HostError> {
        if let Some(c) = self.runs.get(id) {
            // A run stepped in the batch being built has its record made
            // when the batch is taken; until then, make it from the state.
            return Ok(Some(match self.pending.get(id) {
                Some(&(_, now)) => make_record(&c.record, &c.state, &c.program, now),
                None => RunRecord::clone(&c.record),
            }));
        }
        Ok(self.store.run(id)?)
    }

    /// Starts a run of the newest version of `flow`.
    pub fn start_run(
        &mut self,
        flow: &str,
        input: serde_json::Value,
        idempotency_key: Option<String>,
        now: i64,
    ) -> Result<Started, HostError> {
        if let Some(key) = &idempotency_key {
            if let Some((id, _)) = self.keys.get(key) {
                return Ok(Started {
                    run_id: id.clone(),
                    created: false,
                });
            }
            if let Some(id) = self.store.run_by_key(key)? {
                return Ok(Started {
                    run_id: id,
                    created: false,
                });
            }
        }
        let size = serde_json::to_vec(&input).map(|b| b.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(HostError::PayloadTooLarge {
                what: "input",
                size,
            });
        }
        let version = self
            .latest_version(flow)?
            .ok_or_else(|| HostError::UnknownFlow(flow.to_string()))?;
        let program = self.program(version)?;
        let func = program
            .flow(flow)
            .ok_or_else(|| HostError::UnknownFlow(flow.to_string()))?;
        let run_id = ids::run_id(now, self.entropy.as_mut());
        // The whole input, not only what the flow's parameters take: it is
        // kept in the run's record and journal, which must read back.
        Value::from_json(&input).map_err(|message| HostError::Value {
            what: "input",
            message,
        })?;
        let args =
            machine::bind_input(&program, func, &input).map_err(|message| HostError::Value {
                what: "input",
                message,
            })?;
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        #[cfg(any(test, feature = "test-hooks"))]
        let probe = &mut self.probe;
        let (state, out) = contain::catch(|| {
            #[cfg(any(test, feature = "test-hooks"))]
            if let Some(probe) = probe {
                probe(&run_id, "starting");
            }
            machine::start(
                &program,
                run_id.clone(),
                func,
                args,
                Vec::new(),
                input.clone(),
                0,
                &mut env,
            )
        })
        .map_err(|panic| {
            tracing::error!(flow = %flow, "starting a run of {flow} panicked: {panic}");
            HostError::Panicked(panic)
        })?;
        let cause = Cause {
            jitter: env.jitter,
            ..Cause::default()
        };
        let record = RunRecord {
            id: run_id.clone(),
            flow: flow.to_string(),
            version,
            status: state.status,
            input,
            result: None,
            error: None,
            waiting: serde_json::Value::Array(Vec::new()),
            parent: None,
            idempotency_key: idempotency_key.clone(),
            position: None,
            created_at: now,
            updated_at: now,
            forked_from: None,
        };
        if let Some(key) = idempotency_key {
            self.keys.insert(key, (run_id.clone(), self.batch_no));
        }
        let claim = self.new_claim(&run_id);
        self.runs.insert(
            run_id.clone(),
            Cached {
                record: Arc::new(record),
                state,
                program,
                last_batch: self.batch_no,
                claim,
                created_in: self.batch_no,
            },
        );
        self.record_transition(&run_id, out, Transition::created(cause), now);
        self.drain_follow_ups(now)?;
        Ok(Started {
            run_id,
            created: true,
        })
    }

    /// The newest version that defines `flow`, from memory outside a
    /// cluster (see `latest_versions`).
    fn latest_version(&mut self, flow: &str) -> Result<Option<i64>, HostError> {
        if let Some(&v) = self.latest_versions.get(flow) {
            return Ok(Some(v));
        }
        let found = self.store.latest_version(flow)?;
        if let (Some(v), None) = (found, &self.cluster) {
            self.latest_versions.insert(flow.to_string(), v);
        }
        Ok(found)
    }

    /// A new run's claim: in a cluster, the node that creates a run holds it.
    fn new_claim(&self, run_id: &str) -> Option<Claim> {
        self.cluster.as_ref().map(|_| Claim {
            run_id: run_id.to_string(),
            epoch: 1,
        })
    }

    /// Delivers an event to a run (activity results, timers). In a
    /// cluster, an event for a run another node holds is queued for it.
    pub fn deliver(&mut self, run_id: &str, event: Event, now: i64) -> Result<(), HostError> {
        self.deliver_one(run_id, event, now, None)?;
        self.drain_follow_ups(now)
    }

    /// An operator's action (retry, resolve, cancel): applied here so its
    /// outcome can be answered; `Busy` when another node holds the run.
    pub fn operate(&mut self, run_id: &str, event: Event, now: i64) -> Result<(), HostError> {
        match self.load(run_id, now) {
            Ok(false) => return Err(HostError::Busy(run_id.to_string())),
            // A parked run is cancelled by `deliver`.
            Ok(true) | Err(HostError::Unreadable(_)) => {}
            Err(e) => return Err(e),
        }
        self.deliver(run_id, event, now)
    }

    /// Forks run `source` after step `step` of its journal: a new run (see
    /// [`machine::fork`]) whose record says `forked_from`; returns its id.
    /// It starts on the version the source was on after that step; with
    /// `version` newer than that, the forked state is then moved onto it
    /// by the live upgrade's rule (`weft_engine::upgrade::plan`), as one
    /// `upgraded` entry by `by`, or the fork is refused with the checker's
    /// reasons ([`HostError::ForkRefused`]) and nothing is recorded.
    pub fn fork(
        &mut self,
        source: &str,
        step: i64,
        version: Option<i64>,
        by: &str,
        now: i64,
    ) -> Result<String, HostError> {
        let rec = self
            .record(source)?
            .ok_or_else(|| HostError::UnknownRun(source.to_string()))?;
        if let Some(v) = version {
            if !self.programs.contains_key(&v) && self.store.deployment(v)?.is_none() {
                return Err(HostError::UnknownVersion(v));
            }
        }
        let store = self.store.clone();
        let programs = move |v: i64| crate::travel::compile_version(store.as_ref(), v);
        let at = crate::travel::state_at(self.store.as_ref(), &programs, source, step)?;
        // The version the run was on after that step (a live upgrade may
        // have moved it since): the fork starts there, as its replay does.
        let base = crate::travel::version_at(&at.journal, at.record.version, step);
        let target = version.unwrap_or(base);
        if target < base {
            return Err(HostError::Fork(format!(
                "run {source} was on version {base} after step {step}; version {target} is \
                 older: a fork moves a run's state forward only"
            )));
        }
        let program = self.program(base)?;
        let onto = if target == base {
            None
        } else {
            let flows = self
                .store
                .deployment(target)?
                .map(|d| d.flows)
                .unwrap_or_default();
            if self.store.latest_version(&rec.flow)?.is_some()
                && !flows.iter().any(|f| f == &rec.flow)
            {
                return Err(HostError::FlowNotInVersion {
                    flow: rec.flow.clone(),
                    version: target,
                });
            }
            Some(self.program(target)?)
        };
        let run_id = ids::run_id(now, self.entropy.as_mut());
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        let (state, out) = machine::fork(
            &program,
            at.state,
            run_id.clone(),
            source.to_string(),
            step,
            &mut env,
        );
        let cause = Cause {
            jitter: env.jitter,
            ..Cause::default()
        };
        // Onto a newer version: the live upgrade's plan for the forked
        // state, made before anything is recorded, so that a refusal
        // leaves no run behind. Replay makes the same plan from the same
        // state (the `upgraded` entry after the fork's).
        let upgraded = match &onto {
            None => None,
            Some(new) => match weft_engine::upgrade::plan(&program, new, &state) {
                Ok(plan) => Some((plan, new.clone())),
                Err(refusal) => {
                    return Err(HostError::ForkRefused {
                        run: source.to_string(),
                        step,
                        from: base,
                        to: target,
                        reasons: refusal.reasons,
                    })
                }
            },
        };
        let record = RunRecord {
            id: run_id.clone(),
            flow: rec.flow.clone(),
            version: base,
            status: state.status,
            input: rec.input.clone(),
            result: None,
            error: None,
            waiting: serde_json::Value::Array(Vec::new()),
            parent: None,
            idempotency_key: None,
            position: None,
            created_at: now,
            updated_at: now,
            forked_from: Some(source.to_string()),
        };
        let claim = self.new_claim(&run_id);
        self.runs.insert(
            run_id.clone(),
            Cached {
                record: Arc::new(record),
                state,
                program,
                last_batch: self.batch_no,
                claim,
                created_in: self.batch_no,
            },
        );
        self.record_transition(&run_id, out, Transition::created(cause), now);
        if let Some((plan, new_program)) = upgraded {
            let moved = plan.lines();
            let c = self.runs.get_mut(&run_id).expect("inserted above");
            c.state = plan.state;
            c.program = new_program;
            Arc::make_mut(&mut c.record).version = target;
            let out = machine::Output {
                journal: vec![weft_engine::Entry {
                    at: now,
                    kind: weft_engine::EntryKind::Upgraded {
                        by: by.to_string(),
                        from: base,
                        to: target,
                        moved,
                    },
                }],
                commands: Vec::new(),
            };
            self.record_transition(&run_id, out, Transition::default(), now);
        }
        self.drain_follow_ups(now)?;
        Ok(run_id)
    }

    /// An operator cancels a parked run: without reading its snapshot
    /// (which stays as it was), it ends cancelled, what was set aside with
    /// it goes, its callbacks are refused, and its parent hears that it
    /// ended without a result. Its sub-flows are not known without its
    /// state: they run to their end, which it ignores. `false` when the run
    /// is not parked (any more).
    fn cancel_parked(&mut self, run_id: &str, reason: &str, now: i64) -> Result<bool, HostError> {
        let Some(prev) = self.store.run(run_id)? else {
            return Err(HostError::UnknownRun(run_id.to_string()));
        };
        let record = RunRecord {
            status: Status::Cancelled,
            result: None,
            error: None,
            waiting: serde_json::Value::Array(Vec::new()),
            position: None,
            updated_at: now,
            ..prev
        };
        let entry = weft_engine::state::Entry {
            at: now,
            kind: weft_engine::state::EntryKind::Cancelled {
                reason: reason.to_string(),
            },
        };
        if !self.store.cancel_parked_run(&record, &[entry])? {
            return Ok(false);
        }
        tracing::info!(run = %run_id, "parked run {run_id} cancelled: {reason}");
        self.parked.remove(run_id);
        self.park_after.retain(|(id, _, _)| id != run_id);
        if let Some(parent) = &record.parent {
            self.follow.push_back(FollowUp::ChildFinished {
                parent: parent.clone(),
                child_run: run_id.to_string(),
                result: None,
            });
        }
        self.effects.push(Effect::RunUpdated(Arc::new(record)));
        Ok(true)
    }

    fn deliver_one(
        &mut self,
        run_id: &str,
        event: Event,
        now: i64,
        inbox: Option<i64>,
    ) -> Result<Placed, HostError> {
        let loaded = match self.load(run_id, now) {
            // A parked run takes no step, but it can be cancelled (by an
            // operator, or with its parent).
            Err(HostError::Unreadable(u)) => {
                if let Event::Cancel { reason } = &event {
                    if self.cancel_parked(run_id, reason, now)? {
                        return Ok(Placed::Here);
                    }
                }
                return Err(HostError::Unreadable(u));
            }
            other => other?,
        };
        if !loaded {
            let cl = self
                .cluster
                .as_ref()
                .expect("only a cluster has runs elsewhere");
            cl.store.enqueue(run_id, &event)?;
            return Ok(Placed::Queued);
        }
        let what = EventText::of(&event);
        let follow = self.follow.len();
        match contain::catch(|| self.step(run_id, event, now, inbox)) {
            Ok(placed) => placed,
            Err(panic) => Err(self.panicked(run_id, &what.to_string(), panic, follow)),
        }
    }

    /// A step of run `run_id` panicked (`panic` says what and where): the
    /// node goes on without it. What the step did is thrown away with
    /// whatever the batch being built holds for the run (its memory cannot
    /// be trusted), and the run is parked with the panic as its error, for
    /// an operator to see, once its writes in flight are committed: its
    /// last committed state stays as it was, and a build that does not
    /// panic on it takes it further when it starts.
    fn panicked(&mut self, run_id: &str, what: &str, panic: String, follow: usize) -> HostError {
        let why = Unreadable {
            kind: UnreadableKind::Panic,
            message: format!("run {run_id}: the engine panicked {what}: {panic}"),
        };
        tracing::error!(run = %run_id, "{why}");
        let cached = self.runs.remove(run_id);
        let mut created_here = false;
        if let Some((at, _)) = self.pending.remove(run_id) {
            created_here = self.writes[at].created;
        }
        self.effects.retain(|e| !effect_of(e, run_id));
        self.follow.truncate(follow);
        self.keys.retain(|_, (id, _)| id != run_id);
        let (parent, claim) = match cached {
            Some(c) => (c.record.parent.clone(), c.claim),
            None => (None, None),
        };
        if created_here {
            // The run was never stored: there is nothing to park. Its parent
            // (if any) hears that it ended without a result.
            if let Some(parent) = parent {
                self.follow.push_back(FollowUp::ChildFinished {
                    parent,
                    child_run: run_id.to_string(),
                    result: None,
                });
            }
            return HostError::Unreadable(why);
        }
        if let (Some(cl), Some(claim)) = (&self.cluster, claim) {
            // Best effort: an unreleased claim just expires.
            let _ = cl.store.release(&cl.node, &[claim]);
        }
        self.parked.insert(run_id.to_string(), why.clone());
        // Batches before this one may still hold the run's earlier writes.
        let after = self.batch_no - 1;
        if after <= self.committed_no {
            self.park_by_id(run_id, why.clone());
        } else {
            self.park_after
                .push((run_id.to_string(), why.clone(), after));
        }
        HostError::Unreadable(why)
    }

    /// Parks run `run_id` as its committed record stands (see
    /// [`Host::park`]); a failure is logged, and the run stays parked in
    /// this process's memory.
    fn park_by_id(&mut self, run_id: &str, why: Unreadable) {
        let parked = match self.store.run(run_id) {
            Ok(Some(record)) => {
                let now = record.updated_at;
                self.park(record, why, now)
            }
            Ok(None) => Ok(()),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = parked {
            tracing::error!(run = %run_id, error = %e, "parking run {run_id} failed: {e}");
        }
    }

    /// Applies `event` to run `run_id`, which is loaded, and records what
    /// it did.
    fn step(
        &mut self,
        run_id: &str,
        event: Event,
        now: i64,
        inbox: Option<i64>,
    ) -> Result<Placed, HostError> {
        #[cfg(any(test, feature = "test-hooks"))]
        if let Some(probe) = &mut self.probe {
            probe(run_id, &EventText::of(&event).to_string());
        }
        let finished_call = match &event {
            Event::CallCompleted { call, .. } | Event::CallFailed { call, .. } => Some(*call),
            _ => None,
        };
        let c = self.runs.get_mut(run_id).expect("loaded above");
        // A due timer's row is done once delivered, whether the run still
        // knew the timer or not; only a re-armed timer that is not due stays.
        let done_timer = match &event {
            Event::TimerFired { key } => match c.state.timers.get(key) {
                Some(t) if t.at > now => None,
                _ => Some(key.clone()),
            },
            _ => None,
        };
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        let program = c.program.clone();
        let applied = event.clone();
        let out = match machine::apply(&program, &mut c.state, event, &mut env) {
            Ok(out) => out,
            // A queued operator's action the run no longer takes is consumed
            // all the same, or it would be tried for ever.
            Err(e) if inbox.is_some() => {
                tracing::warn!(run = %run_id, error = %e, "run {run_id}: a queued action was refused: {e}");
                machine::Output::default()
            }
            Err(e) => return Err(e.into()),
        };
        let accepted = !out.journal.is_empty() || !out.commands.is_empty();
        let cause = (!out.journal.is_empty())
            .then(|| weft_engine::replay::cause_of(applied, &out.journal, env.jitter));
        let t = Transition {
            // A late result of an earlier attempt changes nothing, and the
            // task row then belongs to the current attempt.
            finished_call: finished_call.filter(|_| accepted),
            done_timer,
            inbox_done: inbox,
            created: false,
            cause,
        };
        self.record_transition(run_id, out, t, now);
        Ok(Placed::Here)
    }

    /// Delivers a callback by its token. Refuses a token that never existed
    /// and one that already completed its wait.
    pub fn callback(
        &mut self,
        token: &str,
        value: serde_json::Value,
        now: i64,
    ) -> Result<String, HostError> {
        if self.spent.contains_key(token) {
            return Err(CallbackError::AlreadyCompleted.into());
        }
        let row = self.store.token(token)?.ok_or(CallbackError::NotFound)?;
        if !row.active {
            return Err(CallbackError::AlreadyCompleted.into());
        }
        let size = serde_json::to_vec(&value).map(|b| b.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(HostError::PayloadTooLarge {
                what: "callback value",
                size,
            });
        }
        // Refused before the token is spent, so a sender can try again
        // with a value the run can keep.
        if let Err(message) = weft_engine::Value::from_json(&value) {
            return Err(HostError::Value {
                what: "callback value",
                message,
            });
        }
        if !self.load(&row.run_id, now)? {
            // Another node holds the run: the store spends the token and
            // queues the callback in one transaction, so one callback wins.
            let cl = self
                .cluster
                .as_ref()
                .expect("only a cluster has runs elsewhere");
            return match cl.store.enqueue_callback(token, &value)? {
                CallbackOutcome::Queued { run_id } => Ok(run_id),
                CallbackOutcome::Spent => Err(CallbackError::AlreadyCompleted.into()),
                CallbackOutcome::Unknown => Err(CallbackError::NotFound.into()),
            };
        }
        let waiting = self.runs[&row.run_id]
            .state
            .calls
            .get(&row.call)
            .is_some_and(|c| c.token.as_deref() == Some(token));
        if !waiting {
            return Err(CallbackError::AlreadyCompleted.into());
        }
        self.spent.insert(token.to_string(), self.batch_no);
        self.deliver(
            &row.run_id,
            Event::Callback {
                call: row.call,
                value,
            },
            now,
        )?;
        Ok(row.run_id)
    }

    /// Fires every timer due at `now`; returns how many were delivered.
    pub fn fire_due_timers(&mut self, now: i64) -> Result<usize, HostError> {
        // In a cluster, timers fire through the runs a node claims.
        if self.cluster.is_some() {
            return self.claim_work(now);
        }
        let mut fired = 0;
        if !self.schedules_checked {
            // A host that did not start through `prepare` (the simulator
            // after a crash) learns the declared schedules here once.
            self.sync_schedules(now)?;
        }
        if self.next_schedule().is_some_and(|at| at <= now) {
            fired += self.fire_due_schedules(now)?;
        }
        match self.next_run_timer() {
            Some(at) if at <= now => {}
            _ => return Ok(fired),
        }
        let due = self.store.due_timers(now, 1_000)?;
        if due.is_empty() {
            // `next_timer` named a timer that is gone (cleared, or re-armed
            // later, in a batch since committed): the store knows the next.
            let stored = self.store.next_timer()?;
            self.next_timer = stored.filter(|&at| at > now);
            self.next_timer_known = true;
            if stored.is_some_and(|at| at <= now) {
                // A due row `due_timers` does not return (one whose run is
                // missing): asked about again after the next commit, not
                // in a loop here.
                self.timers_touched_in = Some(self.batch_no);
            }
            return Ok(fired);
        }
        // Fired timers stay in the store until the batch commits, so the
        // store cannot tell the next one now; start over from the timers
        // these deliveries arm. This batch's commit makes the host ask
        // again, and one comes: a delivered timer writes, if only to clear
        // its row, unless its run re-armed the key in a write still to be
        // committed.
        self.next_timer = None;
        self.next_timer_known = true;
        self.timers_touched_in = Some(self.batch_no);
        let mut n = 0;
        for t in due {
            let k = (t.run_id.clone(), t.key.clone());
            if self.fired.contains_key(&k) {
                continue;
            }
            self.fired.insert(k, self.batch_no);
            match self.deliver(&t.run_id, Event::TimerFired { key: t.key }, now) {
                Ok(()) => n += 1,
                // One run's trouble stops neither the others' timers nor the
                // node (a timer of a run that no longer exists is dropped;
                // one of a run that was parked went aside with the run's).
                Err(e) => self.contain(&t.run_id, e, now)?,
            }
        }
        Ok(n + fired)
    }

    /// Decides what an error met while stepping run `run_id` means for the
    /// others: one that is the run's own (it is gone, parked, refuses the
    /// event, or its stored rows cannot be read, which parks it) is logged
    /// and the caller goes on with the next run; one of the store itself
    /// (it cannot be reached or written) stops the caller, which tries
    /// again later.
    fn contain(&mut self, run_id: &str, e: HostError, now: i64) -> Result<(), HostError> {
        match e {
            HostError::Store(StoreError::Io(_) | StoreError::Conflict(_)) => Err(e),
            HostError::Store(StoreError::Corrupt(message)) => {
                self.park_damaged(run_id, message, now);
                Ok(())
            }
            HostError::UnknownRun(_) | HostError::Unreadable(_) => Ok(()),
            e => {
                tracing::warn!(run = %run_id, error = %e, "run {run_id}: {e}");
                Ok(())
            }
        }
    }

    /// Parks a run whose stored rows cannot be read (its record, so the
    /// store cannot even list it whole), writing readable ones in their
    /// place: `park_run` writes only the status, result, error, waiting,
    /// position and update time, which are what is made up here; the
    /// other columns stay as stored.
    fn park_damaged(&mut self, run_id: &str, message: String, now: i64) {
        let why = Unreadable {
            kind: UnreadableKind::State,
            message: format!("run {run_id}: its stored rows cannot be read: {message}"),
        };
        tracing::warn!(run = %run_id, "parking run {run_id}: {why}");
        let record = RunRecord {
            id: run_id.to_string(),
            flow: String::new(),
            version: 0,
            status: Status::Failed,
            input: serde_json::Value::Null,
            result: None,
            error: Some(why.to_json()),
            waiting: serde_json::Value::Array(Vec::new()),
            parent: None,
            idempotency_key: None,
            position: None,
            created_at: now,
            updated_at: now,
            forked_from: None,
        };
        self.runs.remove(run_id);
        match self.store.park_run(&record, &why.to_json(), now) {
            Ok(()) => {
                self.parked.insert(run_id.to_string(), why);
            }
            Err(e) => {
                tracing::error!(run = %run_id, error = %e, "parking run {run_id} failed: {e}")
            }
        }
    }

    /// When the earliest known timer fires.
    pub fn next_timer(&mut self) -> Option<i64> {
        let run = self.next_run_timer();
        // In a cluster, schedules are fired on the runtime's poll instead.
        let schedule = if self.cluster.is_none() {
            self.next_schedule()
        } else {
            None
        };
        match (run, schedule) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When the earliest timer of a run fires.
    fn next_run_timer(&mut self) -> Option<i64> {
        if !self.next_timer_known {
            let stored = self.store.next_timer().ok().flatten();
            self.next_timer = match (self.next_timer, stored) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            self.next_timer_known = true;
        }
        self.next_timer
    }

    /// In a cluster: claims runs with queued events or due timers (and
    /// those this node holds), and applies what waits for them. Returns the
    /// number of events applied.
    pub fn claim_work(&mut self, now: i64) -> Result<usize, HostError> {
        let Some(cl) = self.cluster.clone() else {
            return Ok(0);
        };
        let claims = cl
            .store
            .claim_runs_with_work(&cl.node, now, cl.lease_ms, CLAIM_BATCH_MAX)?;
        let mut n = 0;
        for claim in claims {
            let id = claim.run_id.clone();
            match self.runs.get_mut(&id) {
                Some(c) => c.claim = Some(claim),
                None => match self.adopt(&id, Some(claim), now) {
                    Ok(()) => {}
                    // Parked: its events and timers are set aside. Other
                    // trouble of its own stops only it.
                    Err(e) => {
                        self.contain(&id, e, now)?;
                        continue;
                    }
                },
            }
            for e in cl.store.inbox(&id)? {
                match self.deliver_one(&id, e.event, now, Some(e.id)) {
                    Ok(_) => n += 1,
                    Err(e) => self.contain(&id, e, now)?,
                }
            }
            for t in cl.store.due_timers_of(&id, now)? {
                let key = (t.run_id.clone(), t.key.clone());
                if let std::collections::hash_map::Entry::Vacant(e) = self.fired.entry(key) {
                    e.insert(self.batch_no);
                    match self.deliver_one(&id, Event::TimerFired { key: t.key }, now, None) {
                        Ok(_) => n += 1,
                        Err(e) => self.contain(&id, e, now)?,
                    }
                }
            }
            self.drain_follow_ups(now)?;
        }
        n += self.claim_instance_work(now)?;
        Ok(n)
    }

    /// In a cluster: extends the claims on the runs held here; runs whose
    /// claim was lost (this node was too slow) are dropped from memory.
    pub fn renew_claims(&mut self, now: i64) -> Result<(), HostError> {
        let Some(cl) = self.cluster.clone() else {
            return Ok(());
        };
        self.renew_instance_claims(now)?;
        // A run whose creation is not committed has no lease to renew yet.
        let committed = self.committed_no;
        let claims: Vec<Claim> = self
            .runs
            .values()
            .filter(|c| c.created_in <= committed)
            .filter_map(|c| c.claim.clone())
            .collect();
        if claims.is_empty() {
            return Ok(());
        }
        for lost in cl.store.renew(&cl.node, &claims, now, cl.lease_ms)? {
            tracing::warn!(node = %cl.node, run = %lost, "node {} lost its claim on run {lost}", cl.node);
            // A run with writes still to commit stays: the store refuses
            // them (stale claim), and the host starts over from the store.
            if self
                .runs
                .get(&lost)
                .is_some_and(|c| c.last_batch <= committed)
            {
                self.runs.remove(&lost);
            }
        }
        Ok(())
    }

    /// Tasks outstanding in the store (after a restart: to dispatch again).
    pub fn recover_tasks(&mut self) -> Result<Vec<Task>, HostError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.store.tasks(after.as_deref(), 1_000)?;
            let Some(last) = page.last() else { break };
            after = Some(last.call_id.clone());
            out.extend(page);
        }
        Ok(out)
    }

    fn drain_follow_ups(&mut self, now: i64) -> Result<(), HostError> {
        while let Some(f) = self.follow.pop_front() {
            match f {
                FollowUp::StartChild {
                    parent,
                    run_id,
                    flow,
                    start,
                    depth,
                } => self.start_child(&parent, run_id, flow, start, depth, now)?,
                FollowUp::Deliver(run, event) => match self.deliver_one(&run, event, now, None) {
                    // A finished child or parent ignores what follows. A
                    // parked one is told when it is unparked (see `unpark`).
                    Ok(_)
                    | Err(HostError::Action(ActionError::Finished(_)))
                    | Err(HostError::Unreadable(_)) => {}
                    // The trouble is the other run's, not the caller's.
                    Err(e) => self.contain(&run, e, now)?,
                },
                FollowUp::MachineCall(task) => self.machine_call(task, now)?,
                FollowUp::Event(event) => self.take_event(*event, now)?,
                FollowUp::CommandFinished {
                    machine,
                    key,
                    seq,
                    run_id,
                    result,
                } => self.finish_command(&(machine, key), seq, &run_id, result, now)?,
                FollowUp::ChildFinished {
                    parent,
                    child_run,
                    result,
                } => {
                    // By run id: the parent may be on another node, which
                    // knows the child's index.
                    let event = Event::ChildFinished {
                        child: 0,
                        run_id: Some(child_run),
                        result,
                    };
                    match self.deliver_one(&parent, event, now, None) {
                        Ok(_)
                        | Err(HostError::Action(ActionError::Finished(_)))
                        | Err(HostError::Unreadable(_)) => {}
                        Err(e) => self.contain(&parent, e, now)?,
                    }
                }
            }
        }
        Ok(())
    }

    fn start_child(
        &mut self,
        parent: &str,
        run_id: String,
        flow: String,
        start: weft_engine::state::ChildStart,
        depth: u32,
        now: i64,
    ) -> Result<(), HostError> {
        let (program, version) = {
            let p = &self.runs[parent];
            (p.program.clone(), p.record.version)
        };
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        let input = start.input.clone();
        let child_start = start.clone();
        let started = contain::catch(|| {
            machine::start(
                &program,
                run_id.clone(),
                start.func,
                start.args,
                start.captures,
                input.clone(),
                depth,
                &mut env,
            )
        });
        let (state, out) = match started {
            Ok(started) => started,
            Err(panic) => {
                // The child never existed: its parent hears that it ended
                // without a result (and can retry it).
                tracing::error!(
                    run = %run_id,
                    parent = %parent,
                    "starting sub-flow {flow} of run {parent} panicked: {panic}"
                );
                self.follow.push_back(FollowUp::ChildFinished {
                    parent: parent.to_string(),
                    child_run: run_id,
                    result: None,
                });
                return Ok(());
            }
        };
        let cause = Cause {
            jitter: env.jitter,
            child: Some(child_start),
            depth,
            ..Cause::default()
        };
        let record = RunRecord {
            id: run_id.clone(),
            flow,
            version,
            status: state.status,
            input,
            result: None,
            error: None,
            waiting: serde_json::Value::Array(Vec::new()),
            parent: Some(parent.to_string()),
            idempotency_key: None,
            position: None,
            created_at: now,
            updated_at: now,
            forked_from: None,
        };
        let claim = self.new_claim(&run_id);
        self.runs.insert(
            run_id.clone(),
            Cached {
                record: Arc::new(record),
                state,
                program,
                last_batch: self.batch_no,
                claim,
                created_in: self.batch_no,
            },
        );
        self.record_transition(&run_id, out, Transition::created(cause), now);
        Ok(())
    }

    // ----- live upgrade -----

    /// Moves run `run_id` onto program version `to` when the checker can
    /// prove the move safe (`weft_engine::upgrade`), as one durable step
    /// of its journal (`by`, from, to); with `dry_run`, only says whether
    /// it would. A refusal is a verdict with its reasons, not an error;
    /// errors are for what stops the question itself (no such run or
    /// version, a run another node holds, a parked run, the store).
    pub fn upgrade(
        &mut self,
        run_id: &str,
        to: i64,
        by: &str,
        dry_run: bool,
        now: i64,
    ) -> Result<UpgradeVerdict, HostError> {
        // Asked first, so that a version asked for before it is deployed
        // is not remembered as unreadable.
        if !self.programs.contains_key(&to) && self.store.deployment(to)?.is_none() {
            return Err(HostError::UnknownVersion(to));
        }
        if !self.load(run_id, now)? {
            return Err(HostError::Busy(run_id.to_string()));
        }
        let new_program = self.program(to)?;
        let c = self.runs.get(run_id).expect("loaded above");
        let from = c.record.version;
        let mut verdict = UpgradeVerdict {
            run_id: run_id.to_string(),
            flow: c.record.flow.clone(),
            from,
            to,
            accepted: false,
            upgraded: false,
            reasons: Vec::new(),
            moves: Vec::new(),
            notes: Vec::new(),
        };
        if to <= from {
            verdict.reasons.push(if to == from {
                format!("the run is on version {from} already")
            } else {
                format!("version {to} is older than the run's version {from}: a live upgrade only moves runs forward")
            });
            return Ok(verdict);
        }
        let plan = match weft_engine::upgrade::plan(&c.program, &new_program, &c.state) {
            Ok(plan) => plan,
            Err(refusal) => {
                verdict.reasons = refusal.reasons;
                return Ok(verdict);
            }
        };
        verdict.accepted = true;
        verdict.moves = plan.fibers.clone();
        verdict.notes = plan.notes.clone();
        if dry_run {
            return Ok(verdict);
        }
        let moved = plan.lines();
        let c = self.runs.get_mut(run_id).expect("loaded above");
        c.state = plan.state;
        c.program = new_program;
        Arc::make_mut(&mut c.record).version = to;
        let out = machine::Output {
            journal: vec![weft_engine::Entry {
                at: now,
                kind: weft_engine::EntryKind::Upgraded {
                    by: by.to_string(),
                    from,
                    to,
                    moved,
                },
            }],
            commands: Vec::new(),
        };
        tracing::info!(run = %run_id, "run {run_id} moved from version {from} to {to} (by {by})");
        self.record_transition(run_id, out, Transition::default(), now);
        verdict.upgraded = true;
        Ok(verdict)
    }

    /// Live upgrade of every run of `flow` that has not finished and runs
    /// on a version older than `to`, up to [`UPGRADE_RUNS_MAX`] of them
    /// (oldest first): each is checked on its own and moved when it can
    /// be. A run another node holds, or one this build cannot read, gets
    /// a refusal saying so.
    pub fn upgrade_flow(
        &mut self,
        flow: &str,
        to: i64,
        by: &str,
        dry_run: bool,
        now: i64,
    ) -> Result<UpgradeReport, HostError> {
        let Some(d) = self.store.deployment(to)? else {
            return Err(HostError::UnknownVersion(to));
        };
        // A top-level flow must be in the version; an inline flow's runs
        // (sub-flows) are looked for by name all the same.
        if self.store.latest_version(flow)?.is_some() && !d.flows.iter().any(|f| f == flow) {
            return Err(HostError::FlowNotInVersion {
                flow: flow.to_string(),
                version: to,
            });
        }
        let mut candidates = Vec::new();
        let mut more = false;
        for status in [Status::Running, Status::Waiting, Status::Failed] {
            let mut cursor = None;
            loop {
                let page = self.store.list_runs(&RunQuery {
                    status: Some(status),
                    flow: Some(flow.to_string()),
                    parent: None,
                    limit: UPGRADE_RUNS_MAX,
                    cursor,
                    ..RunQuery::default()
                })?;
                candidates.extend(page.runs.into_iter().filter(|r| r.version < to));
                if candidates.len() > UPGRADE_RUNS_MAX {
                    more = true;
                    break;
                }
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
        }
        candidates.sort_by(|a, b| a.id.cmp(&b.id));
        candidates.dedup_by(|a, b| a.id == b.id);
        if candidates.len() > UPGRADE_RUNS_MAX {
            candidates.truncate(UPGRADE_RUNS_MAX);
            more = true;
        }
        let mut runs = Vec::with_capacity(candidates.len());
        for r in candidates {
            let refused = |why: String| UpgradeVerdict {
                run_id: r.id.clone(),
                flow: r.flow.clone(),
                from: r.version,
                to,
                accepted: false,
                upgraded: false,
                reasons: vec![why],
                moves: Vec::new(),
                notes: Vec::new(),
            };
            match self.upgrade(&r.id, to, by, dry_run, now) {
                Ok(v) => runs.push(v),
                Err(e @ (HostError::Busy(_) | HostError::Unreadable(_))) => {
                    runs.push(refused(e.to_string()))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(UpgradeReport { runs, more })
    }

    /// Turns a transition's output into a write and effects.
    fn record_transition(&mut self, run_id: &str, out: machine::Output, t: Transition, now: i64) {
        let Transition {
            finished_call,
            done_timer,
            inbox_done,
            created,
            cause,
        } = t;
        // A stale timer or a consumed inbox event still writes: the row
        // must go, or it comes due (or is claimed) again and again.
        if out.journal.is_empty()
            && out.commands.is_empty()
            && !created
            && done_timer.is_none()
            && inbox_done.is_none()
        {
            return;
        }
        let batch_no = self.batch_no;
        let c = self.runs.get_mut(run_id).expect("the run is loaded");
        c.last_batch = batch_no;
        let parent = c.record.parent.clone();
        let command = instances::command_of(&c.record);
        let fence = match (&self.cluster, &c.claim) {
            (Some(cl), Some(claim)) => Some(Fence {
                node: cl.node.clone(),
                epoch: claim.epoch,
                lease_until: now + cl.lease_ms,
            }),
            _ => None,
        };
        // This step joins the run's write in the batch, if it has one:
        // what each field holds is the last word of the steps so far.
        let at = match self.pending.get(run_id) {
            Some(&(at, _)) => at,
            None => {
                self.writes.push(RunWrite::default());
                self.writes.len() - 1
            }
        };
        self.pending.insert(run_id.to_string(), (at, now));
        if !out.journal.is_empty() {
            self.step_causes
                .entry(at)
                .or_default()
                .push((out.journal.len(), cause));
        }
        let mut w = std::mem::take(&mut self.writes[at]);
        w.created |= created;
        w.journal.extend(out.journal);
        w.inbox_done.extend(inbox_done);
        w.fence = fence;
        if let Some(key) = done_timer {
            w.timers_set.retain(|(k, _)| *k != key);
            if !w.timers_clear.contains(&key) {
                w.timers_clear.push(key);
            }
            self.timers_touched_in = Some(self.batch_no);
        }
        // The attempt an event reports on is over: its task is done.
        if let Some(call) = finished_call {
            let call_id = weft_engine::state::call_id(run_id, call);
            w.tasks_put.retain(|t| t.call_id != call_id);
            if !w.tasks_delete.contains(&call_id) {
                w.tasks_delete.push(call_id);
            }
        }
        // A store applies a write's deletions and insertions in no set
        // order (the memory store deletes first), so the write keeps only
        // the last word on each task and timer: a task dispatched and
        // cancelled in one transition (a WaitForAny branch that lost at
        // once) must not stay stored, nor a timer armed and cleared in one
        // transition stay armed. A token registered and spent in one
        // transition may stay active in the store; callbacks are checked
        // against the run as well, so it is refused all the same.
        for cmd in out.commands {
            match cmd {
                // A flow's machine call: carried out by this host, never a
                // task for a worker.
                Command::Dispatch(task)
                    if weft_engine::machines::MachineOp::parse(&task.activity).is_some() =>
                {
                    self.follow.push_back(FollowUp::MachineCall(task));
                }
                Command::Dispatch(task) => {
                    w.tasks_delete.retain(|id| *id != task.call_id);
                    w.tasks_put.retain(|t| t.call_id != task.call_id);
                    w.tasks_put.push(task.clone());
                    self.effects.push(Effect::Dispatch(task));
                }
                Command::CancelTask {
                    call_id,
                    callback_token,
                } => {
                    w.tasks_put.retain(|t| t.call_id != call_id);
                    if !w.tasks_delete.contains(&call_id) {
                        w.tasks_delete.push(call_id.clone());
                    }
                    if let Some(t) = callback_token {
                        self.spent.insert(t.clone(), self.batch_no);
                        w.tokens_spend.push(t);
                    }
                    self.effects.push(Effect::CancelTask { call_id });
                }
                Command::SetTimer { key, at } => {
                    self.next_timer = Some(self.next_timer.map_or(at, |n| n.min(at)));
                    self.timers_touched_in = Some(self.batch_no);
                    w.timers_clear.retain(|k| *k != key);
                    w.timers_set.retain(|(k, _)| *k != key);
                    w.timers_set.push((key, at));
                }
                Command::ClearTimer { key } => {
                    w.timers_set.retain(|(k, _)| *k != key);
                    if !w.timers_clear.contains(&key) {
                        w.timers_clear.push(key);
                    }
                    self.timers_touched_in = Some(self.batch_no);
                }
                Command::RegisterToken { token, call } => w.tokens_put.push((token, call)),
                Command::StartChild {
                    run_id: child_id,
                    flow,
                    start,
                    depth,
                    ..
                } => self.follow.push_back(FollowUp::StartChild {
                    parent: run_id.to_string(),
                    run_id: child_id,
                    flow,
                    start,
                    depth,
                }),
                Command::CancelChild { run_id: child } => self.follow.push_back(FollowUp::Deliver(
                    child,
                    Event::Cancel {
                        reason: "its parent run stopped".into(),
                    },
                )),
                Command::Finished { result } => {
                    if let Some((machine, key, seq)) = &command {
                        self.follow.push_back(FollowUp::CommandFinished {
                            machine: machine.clone(),
                            key: key.clone(),
                            seq: *seq,
                            run_id: run_id.to_string(),
                            result: result.clone(),
                        });
                    }
                    if let Some(parent) = &parent {
                        self.follow.push_back(FollowUp::ChildFinished {
                            parent: parent.clone(),
                            child_run: run_id.to_string(),
                            result,
                        });
                    }
                }
            }
        }
        self.writes[at] = w;
    }
}

/// An event in a few words, for the message of a panic it caused: what
/// the text needs, kept before the event is applied, and made into text
/// only if that panics (every event is kept so, few ever panic).
enum EventText {
    Result { call: u32, attempt: u32 },
    Failure { call: u32, attempt: u32 },
    Callback { call: u32 },
    Timer(String),
    Said(&'static str),
}

impl EventText {
    fn of(event: &Event) -> EventText {
        match event {
            Event::CallCompleted { call, attempt, .. } => EventText::Result {
                call: *call,
                attempt: *attempt,
            },
            Event::CallFailed { call, attempt, .. } => EventText::Failure {
                call: *call,
                attempt: *attempt,
            },
            Event::Callback { call, .. } => EventText::Callback { call: *call },
            Event::TimerFired { key } => EventText::Timer(key.clone()),
            Event::ChildFinished { .. } => EventText::Said("taking a sub-flow's end"),
            Event::Retry => EventText::Said("retrying it"),
            Event::Resolve { .. } => EventText::Said("resolving it"),
            Event::Cancel { .. } => EventText::Said("cancelling it"),
        }
    }
}

impl std::fmt::Display for EventText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventText::Result { call, attempt } => {
                write!(f, "taking the result of call {call} (attempt {attempt})")
            }
            EventText::Failure { call, attempt } => {
                write!(f, "taking the failure of call {call} (attempt {attempt})")
            }
            EventText::Callback { call } => write!(f, "taking the callback of call {call}"),
            EventText::Timer(key) => write!(f, "firing timer `{key}`"),
            EventText::Said(text) => f.write_str(text),
        }
    }
}

/// True when `e` is an effect of run `run_id`'s steps.
fn effect_of(e: &Effect, run_id: &str) -> bool {
    match e {
        Effect::Dispatch(task) => task.run_id == run_id,
        Effect::CancelTask { call_id } => call_id
            .strip_prefix(run_id)
            .is_some_and(|rest| rest.starts_with('-')),
        Effect::RunUpdated(record) => record.id == run_id,
        Effect::CommandDone(record) => record.run_id.as_deref() == Some(run_id),
    }
}

/// The record people see, from the run's state.
pub fn make_record(prev: &RunRecord, state: &RunState, program: &Program, now: i64) -> RunRecord {
    let mut record = prev.clone();
    update_record(&mut record, state, program, now);
    record
}

/// [`make_record`] in place: sets the fields the run's state decides and
/// leaves the rest (id, flow, input, times of creation) as they are.
pub fn update_record(record: &mut RunRecord, state: &RunState, program: &Program, now: i64) {
    record.error = state.failures.values().next().map(|f| {
        serde_json::json!({
            "message": f.message,
            "location": f.location,
        })
    });
    record.position = machine::position_text(program, state);
    record.status = state.status;
    record.result = state.result.as_ref().and_then(|v| v.to_json().ok());
    record.waiting = weft_store::waiting_json(&state.waiting());
    record.updated_at = now;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OsEntropy;
    use serde_json::json;
    use weft_store::MemoryStore;

    fn host(text: &str) -> Host {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let mut h = Host::new(store, Box::new(OsEntropy));
        let files = [SourceText {
            name: "f.weft".into(),
            text: text.into(),
        }];
        h.deploy(&files, 0).unwrap();
        h
    }

    /// Commits the batch the driver took, as the runtime's writer does.
    fn commit(h: &mut Host, (no, batch, _): (u64, Batch, Vec<Effect>)) {
        h.store().commit(&batch).unwrap();
        h.committed(no);
    }

    const ONE_CALL: &str = "flow F(x) {\n    r = Work(x)\n    return r\n}\n";

    /// The runtime commits batch n while batch n + 1 fills: a key taken in
    /// n + 1 must stay taken when n commits, or a second start with the
    /// key creates a second run and the store refuses the whole batch.
    #[test]
    fn a_key_taken_in_the_batch_being_built_stays_taken_when_the_one_before_commits() {
        let mut h = host(ONE_CALL);
        let a = h.start_run("F", json!(1), Some("a".into()), 0).unwrap();
        let first = h.take_batch();
        let b = h.start_run("F", json!(2), Some("b".into()), 0).unwrap();
        assert!(b.created);
        commit(&mut h, first);
        let again = h.start_run("F", json!(2), Some("b".into()), 0).unwrap();
        assert_eq!(
            again,
            Started {
                run_id: b.run_id.clone(),
                created: false
            }
        );
        let second = h.take_batch();
        commit(&mut h, second);
        for (key, id) in [("a", &a.run_id), ("b", &b.run_id)] {
            let s = h.start_run("F", json!(0), Some(key.into()), 0).unwrap();
            assert_eq!((s.run_id.as_str(), s.created), (id.as_str(), false));
        }
    }

    /// The host's record is shared with the batch's `RunUpdated` effect and
    /// changed in place at the next step: an effect still held (its batch
    /// not yet carried out) keeps the record of its own batch, and one let
    /// go costs the next step no copy.
    #[test]
    fn an_effect_keeps_its_batchs_record_when_the_run_steps_again() {
        let mut h = host(ONE_CALL);
        let id = h.start_run("F", json!(7), None, 0).unwrap().run_id;
        let (no, batch, effects) = h.take_batch();
        h.store().commit(&batch).unwrap();
        h.committed(no);
        let started = effects
            .iter()
            .find_map(|e| match e {
                Effect::RunUpdated(r) if r.id == id => Some(r.clone()),
                _ => None,
            })
            .expect("the start updates the run");
        assert_eq!(started.status, Status::Running);
        assert_eq!(started.updated_at, 0);
        assert_eq!(h.status_in_memory(&id), Some(Status::Running));
        let task = dispatched(&effects);
        drop(effects);
        complete(&mut h, &id, &task, 5);
        // Stepped and not yet in a batch: the status is the state's.
        assert_eq!(h.status_in_memory(&id), Some(Status::Completed));
        assert_eq!(h.record(&id).unwrap().unwrap().status, Status::Completed);
        let (_, batch, effects) = h.take_batch();
        assert_eq!(h.status_in_memory(&id), Some(Status::Completed));
        assert_eq!(h.status_in_memory("no-such-run"), None);
        let finished = effects
            .iter()
            .find_map(|e| match e {
                Effect::RunUpdated(r) if r.id == id => Some(r.clone()),
                _ => None,
            })
            .expect("the step updates the run");
        // The first batch's record as it was, beside the second's.
        assert_eq!((started.status, started.updated_at), (Status::Running, 0));
        assert_eq!(finished.status, Status::Completed);
        assert_eq!(finished.updated_at, 5);
        assert_eq!(finished.result, Some(json!("done")));
        let written = batch.writes[0].record.as_ref().unwrap();
        assert_eq!(**written, *finished);
        assert_eq!(finished.input, json!(7));
        // What `make_record` gives from the first record is what the step
        // changed in place.
        let c = &h.runs[&id];
        assert_eq!(make_record(&started, &c.state, &c.program, 5), *finished);
        // The host shares the effect's record: nothing held the first
        // batch's but the test, so the step changed a copy of it...
        assert!(Arc::ptr_eq(&c.record, &finished));
        drop(started);
        drop(effects);
        drop(finished);
        drop(batch);
        // ... and with every holder gone (the batch's write shares it too),
        // a further change copies nothing.
        let before = Arc::as_ptr(&h.runs[&id].record);
        let c = h.runs.get_mut(&id).unwrap();
        update_record(Arc::make_mut(&mut c.record), &c.state, &c.program, 9);
        assert_eq!(Arc::as_ptr(&h.runs[&id].record), before);
    }

    /// `ParallelForEach` over sub-flows: every child ends in the batch that
    /// starts it, and each end is a step of the parent. The parent is
    /// written once, with its final record and snapshot, not once per child
    /// (1,000 children wrote its growing snapshot 1,000 times: 1.1 GB).
    #[test]
    fn a_run_stepped_many_times_in_one_batch_is_written_once() {
        let mut h = host(
            "flow F(n) {\n    return ParallelForEach(range(n), func(i) { return Kid(i) })\n}\n\nflow Kid(i) {\n    return i\n}\n",
        );
        let parent = h.start_run("F", json!(1000), None, 0).unwrap().run_id;
        let (_, batch, effects) = h.take_batch();
        let writes_of = |id: &str| {
            batch
                .writes
                .iter()
                .filter(|w| w.record.as_ref().is_some_and(|r| r.id == id))
                .count()
        };
        assert_eq!(writes_of(&parent), 1);
        assert_eq!(
            batch.writes.len(),
            1 + 1000,
            "the parent and each child once"
        );
        let w = batch
            .writes
            .iter()
            .find(|w| w.record.as_ref().is_some_and(|r| r.id == parent))
            .unwrap();
        assert!(w.created);
        assert_eq!(w.record.as_ref().unwrap().status, Status::Completed);
        // Every step's journal entries are there: started, 1,000 children
        // started and finished, completed.
        assert_eq!(w.journal.len(), 1 + 2 * 1000 + 1);
        let updates = effects
            .iter()
            .filter(|e| matches!(e, Effect::RunUpdated(r) if r.id == parent))
            .count();
        assert_eq!(updates, 1);
    }

    /// Deploys do not grow memory without bound: past
    /// PROGRAMS_CACHED_MAX, the least recently used programs are forgotten
    /// and decoded again from the store when needed, never compiled again
    /// (a version deployed as source only is compiled once, by `prepare`).
    #[test]
    fn programs_are_kept_up_to_a_limit() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let source_only = [SourceText {
            name: "old.weft".into(),
            text: "flow Old(x) {\n    return x\n}\n".into(),
        }];
        // Version 1, as a build before stored programs left it.
        store
            .deploy(&source_only, &["Old".into()], None, 0)
            .unwrap();
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(0).unwrap(), (1, 0));
        let migrated = store.deployment(1).unwrap().unwrap().program.unwrap();
        let files = [SourceText {
            name: "f.weft".into(),
            text: ONE_CALL.into(),
        }];
        h.deploy(&files, 0).unwrap();
        for i in 0..PROGRAMS_CACHED_MAX + 20 {
            let files = [SourceText {
                name: "f.weft".into(),
                text: format!("{ONE_CALL}\nflow G{i}(x) {{\n    return x\n}}\n"),
            }];
            h.deploy(&files, 0).unwrap();
            // Version 2 stays in use.
            h.program(2).unwrap();
        }
        assert_eq!(h.cached_programs(), PROGRAMS_CACHED_MAX);
        assert!(!h.programs.contains_key(&1) && !h.programs.contains_key(&3));
        // Version 3 was forgotten, and comes back as it was stored.
        let p = h.program(3).unwrap();
        assert!(p.flows.contains_key("G0"));
        let stored_3 = store.deployment(3).unwrap().unwrap().program.unwrap();
        assert_eq!(stored::encode(&p).unwrap(), stored_3);
        // So does the version that was deployed as source only: its program
        // is the one `prepare` stored, not compiled again.
        let p = h.program(1).unwrap();
        assert_eq!(stored::encode(&p).unwrap(), migrated);
        assert!(store.versions_without_program().unwrap().is_empty());
        assert_eq!(h.cached_programs(), PROGRAMS_CACHED_MAX);
        assert!(h.programs.contains_key(&2), "the program in use was kept");
        let s = h.start_run("F", json!(1), None, 0).unwrap();
        assert!(s.created);
        let s = h.start_run("Old", json!(1), None, 0).unwrap();
        assert!(s.created);
    }

    #[test]
    fn a_flow_has_at_most_versions_per_flow_max_versions() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let files = [SourceText {
            name: "f.weft".into(),
            text: ONE_CALL.into(),
        }];
        for _ in 0..VERSIONS_PER_FLOW_MAX - 1 {
            store.deploy(&files, &["F".into()], None, 0).unwrap();
        }
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        h.deploy(&files, 0).unwrap();
        match h.deploy(&files, 0) {
            Err(HostError::TooManyVersions { flow }) => assert_eq!(flow, "F"),
            other => panic!("expected TooManyVersions, got {other:?}"),
        }
        let e = h.deploy(&files, 0).unwrap_err().to_string();
        assert!(e.contains("VERSIONS_PER_FLOW_MAX"), "{e}");
        // Other flows still deploy.
        let other = [SourceText {
            name: "g.weft".into(),
            text: "flow G(x) {\n    return x\n}\n".into(),
        }];
        h.deploy(&other, 0).unwrap();
    }

    /// A timer delivered into the batch being built is not delivered again
    /// when an earlier batch commits (its row leaves the store only with
    /// the batch that delivered it).
    #[test]
    fn a_timer_delivered_in_the_batch_being_built_is_not_delivered_again() {
        let mut h = host(&format!(
            "{ONE_CALL}\nflow S(x) {{\n    Sleep(1s)\n    return x\n}}\n"
        ));
        h.start_run("S", json!(1), None, 0).unwrap();
        let armed = h.take_batch();
        commit(&mut h, armed);
        // Any other work, in flight while the timer is delivered.
        h.start_run("F", json!(2), None, 0).unwrap();
        let in_flight = h.take_batch();
        assert_eq!(h.fire_due_timers(1_000).unwrap(), 1);
        commit(&mut h, in_flight);
        assert_eq!(h.fire_due_timers(1_000).unwrap(), 0);
    }

    /// The host asks the store for the next timer only after a batch that
    /// touched timers commits: a timer armed in the batch being built must
    /// survive the commit of the one before (which cleared a timer), and
    /// be known once its own batch commits.
    #[test]
    fn a_timer_armed_while_an_earlier_batch_commits_is_not_forgotten() {
        let sleep = "flow S(x) {\n    Sleep(1s)\n    return x\n}\n";
        let mut h = host(sleep);
        h.start_run("S", json!(1), None, 0).unwrap();
        flush(&mut h);
        assert_eq!(h.next_timer(), Some(1_000));
        // The first run's timer is delivered (its row cleared in this
        // batch), and while that batch commits a second run arms one.
        assert_eq!(h.fire_due_timers(1_000).unwrap(), 1);
        let clearing = h.take_batch();
        h.start_run("S", json!(2), None, 1_000).unwrap();
        commit(&mut h, clearing);
        assert_eq!(
            h.next_timer(),
            Some(2_000),
            "known while its batch is built"
        );
        flush(&mut h);
        assert_eq!(h.next_timer(), Some(2_000), "known once committed");
        assert_eq!(h.fire_due_timers(1_999).unwrap(), 0);
        assert_eq!(h.fire_due_timers(2_000).unwrap(), 1);
    }

    /// A timer cleared before it came due (a call's timeout, the call
    /// answered in time) is not waited for, and the one armed after it
    /// still fires.
    #[test]
    fn a_cleared_timer_is_not_waited_for_and_the_next_one_fires() {
        let mut h =
            host("flow T(x) {\n    r = Work(x) @timeout(1s)\n    Sleep(5s)\n    return r\n}\n");
        let id = h.start_run("T", json!(1), None, 0).unwrap().run_id;
        let (no, batch, effects) = h.take_batch();
        commit(&mut h, (no, batch, Vec::new()));
        let task = dispatched(&effects);
        assert_eq!(h.next_timer(), Some(1_000), "the call's timeout");
        complete(&mut h, &id, &task, 10);
        flush(&mut h);
        assert_eq!(h.fire_due_timers(1_000).unwrap(), 0, "the timeout is gone");
        assert_eq!(h.next_timer(), Some(5_010), "the sleep's timer");
        assert_eq!(h.fire_due_timers(5_010).unwrap(), 1);
        flush(&mut h);
        assert_eq!(h.record(&id).unwrap().unwrap().status, Status::Completed);
    }

    /// Outside a cluster the newest version of a flow is kept in memory;
    /// a deploy makes the next start use the new one.
    #[test]
    fn a_start_after_a_deploy_uses_the_new_version() {
        let mut h = host(ONE_CALL);
        let first = h.start_run("F", json!(1), None, 0).unwrap().run_id;
        assert_eq!(h.record(&first).unwrap().unwrap().version, 1);
        let files = [SourceText {
            name: "f.weft".into(),
            text: ONE_CALL.replace("Work", "Other"),
        }];
        h.deploy(&files, 0).unwrap();
        let second = h.start_run("F", json!(2), None, 0).unwrap().run_id;
        assert_eq!(h.record(&second).unwrap().unwrap().version, 2);
    }

    /// The call a batch's effects dispatch.
    fn dispatched(effects: &[Effect]) -> Task {
        effects
            .iter()
            .find_map(|e| match e {
                Effect::Dispatch(t) => Some(t.clone()),
                _ => None,
            })
            .expect("the batch dispatches a call")
    }

    /// Answers a dispatched call with `"done"` at `now`.
    fn complete(h: &mut Host, run: &str, task: &Task, now: i64) {
        let done = Event::CallCompleted {
            call: task.call,
            attempt: task.attempt,
            value: json!("done"),
        };
        h.deliver(run, done, now).unwrap();
    }

    /// Commits everything the host has (what the runtime's loop does).
    fn flush(h: &mut Host) {
        let taken = h.take_batch();
        commit(h, taken);
    }

    fn store_of(h: &Host) -> Arc<dyn Store> {
        h.store().clone()
    }

    /// The callback token a run waits on.
    fn token_of(h: &mut Host, run: &str) -> String {
        let rec = h.record(run).unwrap().unwrap();
        rec.waiting[0]["token"].as_str().unwrap().to_string()
    }

    /// Rewrites a run's stored snapshot (as another build would have
    /// written it), keeping its record.
    fn rewrite_snapshot(store: &Arc<dyn Store>, run: &str, edit: impl Fn(&mut serde_json::Value)) {
        let stored = store.load_run(run).unwrap().unwrap();
        // This build writes the compact form; an earlier rewrite, JSON.
        let mut json = weft_engine::state::snapshot_json(&stored.state, run).unwrap();
        edit(&mut json);
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(stored.record.into()),
                    state: serde_json::to_vec(&json).unwrap(),
                    ..RunWrite::default()
                }],
            })
            .unwrap();
    }

    /// An operator cancels a run parked because its snapshot cannot be
    /// read (too deep for the reader, damaged, newer): without reading it.
    /// The run ends cancelled, its timers and tasks go, its callback is
    /// refused, its parent hears of it, and it is never parked again.
    #[test]
    fn a_parked_run_can_be_cancelled_without_reading_it() {
        let mut h = host(&format!("{AWAIT}\nflow P() {{\n    return W(1)\n}}\n"));
        let parent = h.start_run("P", json!(null), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        // A query's limit bounds its page: the default (0) is no room.
        let child = store
            .list_runs(&weft_store::RunQuery {
                parent: Some(parent.clone()),
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .runs
            .into_iter()
            .next()
            .unwrap()
            .id;
        let token = token_of(&mut h, &child);
        let mut deep = String::new();
        for _ in 0..200 {
            deep.push('[');
        }
        // Nested past what a JSON reader takes, as an earlier build could
        // write it.
        let damaged = format!("{{\"v\": 1, \"x\": {deep}");
        rewrite_raw_snapshot(&store, &child, damaged.into_bytes());
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        h.prepare(10).unwrap();
        // Found unreadable when its timer or callback comes: parked.
        assert!(matches!(
            h.callback(&token, json!(1), 10),
            Err(HostError::Unreadable(_))
        ));
        flush(&mut h);
        assert_eq!(store.run(&child).unwrap().unwrap().status, Status::Failed);
        h.operate(
            &child,
            Event::Cancel {
                reason: "operator".into(),
            },
            20,
        )
        .unwrap();
        flush(&mut h);
        let rec = store.run(&child).unwrap().unwrap();
        assert_eq!((rec.status, rec.error), (Status::Cancelled, None));
        assert!(store.parked_runs().unwrap().is_empty());
        assert!(store.due_timers(i64::MAX, 10).unwrap().is_empty());
        assert!(store.tasks(None, 10).unwrap().is_empty());
        assert!(matches!(
            h.callback(&token, json!(1), 21),
            Err(HostError::Callback(CallbackError::AlreadyCompleted))
        ));
        let journal = store.journal(&child).unwrap();
        assert!(matches!(
            &journal.last().unwrap().entries[0].kind,
            weft_engine::state::EntryKind::Cancelled { reason } if reason == "operator"
        ));
        // The parent's call of the sub-flow failed: it was cancelled.
        let p = store.run(&parent).unwrap().unwrap();
        assert_eq!(p.status, Status::Failed);
        assert!(p.error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("cancelled"));
        // Another start of the node leaves it cancelled.
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(30).unwrap(), (0, 0));
        assert_eq!(
            store.run(&child).unwrap().unwrap().status,
            Status::Cancelled
        );
    }

    /// Writes a run's stored snapshot as raw bytes, keeping its record.
    fn rewrite_raw_snapshot(store: &Arc<dyn Store>, run: &str, bytes: Vec<u8>) {
        let stored = store.load_run(run).unwrap().unwrap();
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(stored.record.into()),
                    state: bytes,
                    ..RunWrite::default()
                }],
            })
            .unwrap();
    }

    /// A step that panics (here on purpose, through the test probe) parks
    /// its run with the panic's message and place, leaves its snapshot as
    /// it was committed, and stops nothing else: the other run's timer
    /// fires in the same round. A build that does not panic unparks it and
    /// takes it further.
    #[test]
    fn a_panicking_step_parks_its_run_and_the_others_go_on() {
        let mut h = host("flow S(x) {\n    Sleep(1s)\n    return x\n}\n");
        let bad = h.start_run("S", json!("bad"), None, 0).unwrap().run_id;
        let good = h.start_run("S", json!("good"), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        let before = store.load_run(&bad).unwrap().unwrap().state;
        let target = bad.clone();
        h.set_probe(Some(Box::new(move |run: &str, _: &str| {
            if run == target {
                let empty: Vec<u32> = Vec::new();
                let _ = empty[3];
            }
        })));
        assert_eq!(h.fire_due_timers(1_000).unwrap(), 1, "the good run's timer");
        flush(&mut h);
        let good_rec = store.run(&good).unwrap().unwrap();
        assert_eq!(good_rec.status, Status::Completed);
        let bad_rec = store.run(&bad).unwrap().unwrap();
        assert_eq!(bad_rec.status, Status::Failed);
        let error = bad_rec.error.unwrap();
        assert_eq!(error["code"], "engine_panic");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("firing timer `sleep:0`"), "{message}");
        assert!(message.contains("index out of bounds"), "{message}");
        assert!(message.contains("host.rs:"), "the place: {message}");
        assert_eq!(store.load_run(&bad).unwrap().unwrap().state, before);
        assert!(store.due_timers(i64::MAX, 10).unwrap().is_empty());
        // Refused while parked, without running the step again.
        assert!(matches!(
            h.deliver(&bad, Event::TimerFired { key: "sleep:0".into() }, 1_000),
            Err(HostError::Unreadable(u)) if u.kind == UnreadableKind::Panic
        ));

        // A build without the bug.
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(2_000).unwrap(), (0, 1));
        flush(&mut h);
        assert_eq!(h.fire_due_timers(2_000).unwrap(), 1);
        flush(&mut h);
        let rec = store.run(&bad).unwrap().unwrap();
        assert_eq!(
            (rec.status, rec.result),
            (Status::Completed, Some(json!("bad")))
        );
    }

    /// A panic in a run's first step refuses the start, stores nothing and
    /// leaves the host taking other starts.
    #[test]
    fn a_start_that_panics_is_refused_and_stores_nothing() {
        let mut h = host("flow S(x) {\n    Sleep(1s)\n    return x\n}\n");
        h.set_probe(Some(Box::new(|_: &str, what: &str| {
            if what == "starting" {
                panic!("a bug in the first step")
            }
        })));
        let err = h.start_run("S", json!(1), Some("k".into()), 0).unwrap_err();
        let HostError::Panicked(why) = err else {
            panic!("expected Panicked, got {err:?}");
        };
        assert!(why.contains("a bug in the first step"), "{why}");
        assert!(!h.has_work(), "nothing to store");
        h.set_probe(None);
        let run = h.start_run("S", json!(2), Some("k".into()), 0).unwrap();
        assert!(run.created, "the key was not taken by the failed start");
        flush(&mut h);
        assert_eq!(
            store_of(&h).run(&run.run_id).unwrap().unwrap().status,
            Status::Waiting
        );
    }

    const AWAIT: &str =
        "flow W(x) {\n    r = await Work(x) @timeout(1d)\n    Sleep(1s)\n    return r\n}\n";

    /// A version deployed by a build that stored source only is compiled
    /// under edition 1 once, and its program stored: later hosts decode it.
    #[test]
    fn a_version_without_a_stored_program_is_compiled_under_edition_1_and_stored() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let files = [SourceText {
            name: "f.weft".into(),
            text: ONE_CALL.into(),
        }];
        store.deploy(&files, &["F".into()], None, 0).unwrap();
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(0).unwrap(), (1, 0));
        let text = store
            .deployment(1)
            .unwrap()
            .unwrap()
            .program
            .expect("stored");
        let want = weft_engine::compile_sources_in(&[("f.weft", ONE_CALL)], Edition::E1).unwrap();
        assert_eq!(
            weft_engine::dump::dump(&stored::decode(&text).unwrap()),
            weft_engine::dump::dump(&want)
        );
        assert!(store.versions_without_program().unwrap().is_empty());
        let mut again = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(again.prepare(0).unwrap(), (0, 0), "nothing left to migrate");
        again.start_run("F", json!(1), None, 0).unwrap();
    }

    /// A deploy stores the program it compiled, in the current format.
    #[test]
    fn a_deploy_stores_its_program() {
        let h = host(ONE_CALL);
        let text = h.store().deployment(1).unwrap().unwrap().program.unwrap();
        assert_eq!(stored::format_of(&text), Some(u64::from(stored::FORMAT)));
        assert_eq!(stored::decode(&text).unwrap().flows.len(), 1);
    }

    /// A snapshot this build cannot read: the run is parked with a clear
    /// error, its timers and tasks set aside, events refused; a build that
    /// reads it (here: the snapshot written back) resumes it.
    #[test]
    fn an_unreadable_snapshot_parks_the_run_until_a_build_reads_it() {
        let mut h = host(AWAIT);
        let run = h.start_run("W", json!(1), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        let token = token_of(&mut h, &run);
        let original = store.load_run(&run).unwrap().unwrap().state;
        rewrite_snapshot(&store, &run, |j| j["v"] = json!(99));

        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        h.prepare(10).unwrap();
        let err = h.callback(&token, json!("late"), 10).unwrap_err();
        let HostError::Unreadable(u) = err else {
            panic!("expected Unreadable, got {err:?}");
        };
        assert_eq!(u.kind, UnreadableKind::State);
        assert!(u.message.contains(&run), "{u}");
        assert!(u.message.contains("version 99"), "{u}");
        assert!(u.message.contains("reads versions 1 to 1"), "{u}");
        let rec = store.run(&run).unwrap().unwrap();
        assert_eq!(rec.status, Status::Failed);
        assert_eq!(rec.error.as_ref().unwrap()["code"], "unreadable_state");
        assert_ne!(
            store.load_run(&run).unwrap().unwrap().state,
            original,
            "the snapshot stays as the other build wrote it"
        );
        assert!(store.due_timers(i64::MAX, 10).unwrap().is_empty());
        assert!(store.tasks(None, 10).unwrap().is_empty());
        assert!(store.token(&token).unwrap().unwrap().active);
        // Refused again without reading it again; timers never spin.
        assert!(matches!(
            h.callback(&token, json!("late"), 11),
            Err(HostError::Unreadable(_))
        ));
        assert_eq!(h.fire_due_timers(i64::MAX / 2).unwrap(), 0);
        assert!(matches!(
            h.operate(&run, Event::Retry, 12),
            Err(HostError::Unreadable(_))
        ));
        flush(&mut h);
        // Another start of this build: it stays parked.
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(20).unwrap(), (0, 0));
        assert_eq!(h.parked_runs(), 1);

        // A build that reads it.
        rewrite_snapshot(&store, &run, |j| {
            *j = weft_engine::state::snapshot_json(&original, &run).unwrap();
        });
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(30).unwrap(), (0, 1));
        flush(&mut h);
        let rec = store.run(&run).unwrap().unwrap();
        assert_eq!((rec.status, rec.error), (Status::Waiting, None));
        assert_eq!(store.due_timers(i64::MAX, 10).unwrap().len(), 1);
        assert_eq!(store.tasks(None, 10).unwrap().len(), 1);
        h.callback(&token, json!("done"), 40).unwrap();
        flush(&mut h);
        assert_eq!(h.fire_due_timers(2_000).unwrap(), 1);
        flush(&mut h);
        let rec = store.run(&run).unwrap().unwrap();
        assert_eq!(
            (rec.status, rec.result),
            (Status::Completed, Some(json!("done")))
        );
    }

    /// A program this build cannot read: new runs of its version are
    /// refused and its runs are parked with `unreadable_program`.
    #[test]
    fn an_unreadable_program_refuses_starts_and_parks_its_runs() {
        let mut h = host(AWAIT);
        let run = h.start_run("W", json!(1), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        let text = store.deployment(1).unwrap().unwrap().program.unwrap();
        let mut newer: serde_json::Value = serde_json::from_str(&text).unwrap();
        newer["format"] = json!(stored::FORMAT + 1);
        // A newer build deployed version 2 of the same flow.
        store
            .deploy(
                &[SourceText {
                    name: "f.weft".into(),
                    text: AWAIT.into(),
                }],
                &["W".into()],
                Some(&newer.to_string()),
                5,
            )
            .unwrap();
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        let err = h.start_run("W", json!(2), None, 10).unwrap_err();
        let HostError::Unreadable(u) = &err else {
            panic!("expected Unreadable, got {err:?}");
        };
        assert_eq!(u.kind, UnreadableKind::Program);
        assert!(u.message.contains("program version 2"), "{u}");
        assert!(
            u.message
                .contains(&format!("format {}", stored::FORMAT + 1)),
            "{u}"
        );
        // A run of version 1 is fine; one moved onto version 2 is parked.
        h.operate(&run, Event::Cancel { reason: "x".into() }, 11)
            .unwrap();
        flush(&mut h);
        let mut h = host(AWAIT);
        let run = h.start_run("W", json!(1), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        store.deploy(&[], &[], Some(&newer.to_string()), 5).unwrap();
        let mut rec = store.run(&run).unwrap().unwrap();
        rec.version = 2;
        let state = store.load_run(&run).unwrap().unwrap().state;
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(rec.into()),
                    state,
                    ..RunWrite::default()
                }],
            })
            .unwrap();
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        let err = h.fire_due_timers(i64::MAX / 2);
        assert_eq!(err.unwrap(), 0, "the run's timer went aside with it");
        let rec = store.run(&run).unwrap().unwrap();
        assert_eq!(rec.status, Status::Failed);
        assert_eq!(rec.error.as_ref().unwrap()["code"], "unreadable_program");
    }

    /// A sub-flow that finishes while its parent is parked is delivered
    /// when the parent is unparked.
    #[test]
    fn a_child_that_finished_while_its_parent_was_parked_is_delivered_at_unpark() {
        let mut h = host(
            "flow P(x) {\n    c = C(x)\n    return {child: c}\n}\nflow C(x) {\n    r = await Work(x) @timeout(1d)\n    return r\n}\n",
        );
        let parent = h.start_run("P", json!(1), None, 0).unwrap().run_id;
        flush(&mut h);
        let store = store_of(&h);
        let child = store
            .list_runs(&weft_store::RunQuery {
                parent: Some(parent.clone()),
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .runs[0]
            .id
            .clone();
        let token = token_of(&mut h, &child);
        let original = store.load_run(&parent).unwrap().unwrap().state;
        rewrite_snapshot(&store, &parent, |j| j["v"] = json!(99));
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        h.callback(&token, json!("ok"), 10).unwrap();
        flush(&mut h);
        assert_eq!(
            store.run(&child).unwrap().unwrap().status,
            Status::Completed
        );
        assert_eq!(store.run(&parent).unwrap().unwrap().status, Status::Failed);
        rewrite_snapshot(&store, &parent, |j| {
            *j = weft_engine::state::snapshot_json(&original, &parent).unwrap();
        });
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(20).unwrap(), (0, 1));
        flush(&mut h);
        let rec = store.run(&parent).unwrap().unwrap();
        assert_eq!(
            (rec.status, rec.result),
            (Status::Completed, Some(json!({"child": "ok"})))
        );
    }

    /// In a cluster, a node that claims a run with work and cannot read it
    /// parks it and lets it go; nothing draws a node to it again.
    #[test]
    fn a_cluster_node_parks_a_run_it_cannot_read_and_releases_it() {
        let store = Arc::new(MemoryStore::new());
        let node = |name: &str| {
            Host::new_cluster(
                Cluster {
                    store: store.clone(),
                    node: name.into(),
                    lease_ms: 1_000,
                },
                Box::new(OsEntropy),
            )
        };
        let mut a = node("a");
        a.deploy(
            &[SourceText {
                name: "f.weft".into(),
                text: AWAIT.into(),
            }],
            0,
        )
        .unwrap();
        let run = a.start_run("W", json!(1), None, 0).unwrap().run_id;
        flush(&mut a);
        let dyn_store: Arc<dyn Store> = store.clone();
        rewrite_snapshot(&dyn_store, &run, |j| j["v"] = json!(99));
        let mut b = node("b");
        b.prepare(0).unwrap();
        // The await's timeout is due a day later.
        let day = 86_400_000 + 10;
        assert_eq!(b.claim_work(day).unwrap(), 0);
        flush(&mut b);
        let rec = store.run(&run).unwrap().unwrap();
        assert_eq!(rec.error.as_ref().unwrap()["code"], "unreadable_state");
        assert!(store
            .claim_runs_with_work("c", day, 1_000, 10)
            .unwrap()
            .is_empty());
        assert!(
            store.claim_run("c", &run, day, 1_000).unwrap().is_some(),
            "b released its claim"
        );
    }
}

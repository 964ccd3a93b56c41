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

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use thiserror::Error;

use weft_engine::machine::{self, Env};
use weft_engine::program::{Edition, Program};
use weft_engine::state::{Cause, ChildState, Command, Event, RunState, Status, Task};
use weft_engine::{limits, stored, ActionError};
use weft_store::{
    Batch, CallbackOutcome, Claim, ClusterStore, Deployment, Fence, RunRecord, RunWrite,
    SourceText, Store, StoreError, StoredRun,
};

use crate::ids::{self, Entropy};

/// Why the host refused or failed a request.
#[derive(Debug, Error)]
pub enum HostError {
    /// No deployed flow has this name.
    #[error("no flow named `{0}` is deployed")]
    UnknownFlow(String),
    /// No run has this id.
    #[error("no run with id `{0}`")]
    UnknownRun(String),
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
    /// A run's snapshot or program (or a version's program) cannot be read
    /// by this build; the run is parked (see the module documentation).
    #[error("{0}")]
    Unreadable(Unreadable),
}

/// What this build cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnreadableKind {
    /// A run's snapshot.
    State,
    /// A version's compiled program (or the source of a version without
    /// one, which does not compile under edition 1).
    Program,
}

impl UnreadableKind {
    /// The error code runs and API answers carry.
    pub fn code(self) -> &'static str {
        match self {
            UnreadableKind::State => "unreadable_state",
            UnreadableKind::Program => "unreadable_program",
        }
    }

    /// Parses [`UnreadableKind::code`].
    pub fn from_code(code: &str) -> Option<UnreadableKind> {
        match code {
            "unreadable_state" => Some(UnreadableKind::State),
            "unreadable_program" => Some(UnreadableKind::Program),
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
    RunUpdated(Box<RunRecord>),
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
    record: RunRecord,
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
    writes: Vec<RunWrite>,
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
    follow: VecDeque<FollowUp>,
    /// In a cluster: the shared store and this node.
    cluster: Option<Cluster>,
}

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
            effects: Vec::new(),
            keys: HashMap::new(),
            spent: HashMap::new(),
            fired: HashMap::new(),
            next_timer: None,
            next_timer_known: false,
            follow: VecDeque::new(),
            cluster: None,
        }
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
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        let program =
            weft_engine::compile_sources(&refs).map_err(|e| HostError::Compile(e.to_string()))?;
        let encoded = stored::encode(&program).map_err(|e| HostError::Compile(e.to_string()))?;
        let flows: Vec<String> = program.flows.keys().cloned().collect();
        for f in self.store.flows()? {
            if f.versions.len() >= VERSIONS_PER_FLOW_MAX && flows.contains(&f.name) {
                return Err(HostError::TooManyVersions { flow: f.name });
            }
        }
        let d = self.store.deploy(files, &flows, Some(&encoded), now)?;
        self.cache_program(d.version, Arc::new(program));
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
        Ok((migrated, unparked))
    }

    // ----- batches -----

    /// Takes the writes and effects accumulated since the last call. The
    /// driver commits the batch, then calls [`Host::committed`], then
    /// carries out the effects.
    pub fn take_batch(&mut self) -> (u64, Batch, Vec<Effect>) {
        let no = self.batch_no;
        self.batch_no += 1;
        (
            no,
            Batch {
                writes: std::mem::take(&mut self.writes),
            },
            std::mem::take(&mut self.effects),
        )
    }

    /// Batch `no` (and every earlier one) is durable: forget what only
    /// mattered until then, and evict runs that are not running.
    ///
    /// Only what batches up to `no` hold is forgotten: the batch being
    /// built (and any later one in flight) is not durable yet, and until it
    /// is the store cannot answer for its keys, tokens and timers.
    pub fn committed(&mut self, no: u64) {
        self.committed_no = self.committed_no.max(no);
        self.keys.retain(|_, (_, batch)| *batch > no);
        self.spent.retain(|_, batch| *batch > no);
        self.fired.retain(|_, batch| *batch > no);
        if no + 1 == self.batch_no {
            // Cleared timers may linger in `next_timer`: ask the store.
            self.next_timer = None;
            self.next_timer_known = false;
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
    }

    /// True when work is waiting to be taken.
    pub fn has_work(&self) -> bool {
        !self.writes.is_empty() || !self.effects.is_empty()
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
                record,
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
        let state = match weft_engine::state::decode_snapshot(&stored.state) {
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
        self.effects.push(Effect::RunUpdated(Box::new(record)));
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
            .push(Effect::RunUpdated(Box::new(record.clone())));
        Ok(Some(record))
    }

    /// Runs parked in this process because this build cannot read them.
    pub fn parked_runs(&self) -> usize {
        self.parked.len()
    }

    /// A run's current record (from memory when the host holds it).
    pub fn record(&mut self, id: &str) -> Result<Option<RunRecord>, HostError> {
        if let Some(c) = self.runs.get(id) {
            return Ok(Some(c.record.clone()));
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
            .store
            .latest_version(flow)?
            .ok_or_else(|| HostError::UnknownFlow(flow.to_string()))?;
        let program = self.program(version)?;
        let func = program
            .flow(flow)
            .ok_or_else(|| HostError::UnknownFlow(flow.to_string()))?;
        let run_id = ids::run_id(now, self.entropy.as_mut());
        let args = machine::bind_input(&program, func, &input);
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        let (state, out) = machine::start(
            &program,
            run_id.clone(),
            func,
            args,
            Vec::new(),
            input.clone(),
            0,
            &mut env,
        );
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
                record,
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
        if !self.load(run_id, now)? {
            return Err(HostError::Busy(run_id.to_string()));
        }
        self.deliver(run_id, event, now)
    }

    /// Forks run `source` after step `step` of its journal: a new run (see
    /// [`machine::fork`]) on the same program version, whose record says
    /// `forked_from`; returns its id. `version`, when given, must be the
    /// source's: moving a run's state to another version needs rules for
    /// what may change between versions, which this build does not have.
    pub fn fork(
        &mut self,
        source: &str,
        step: i64,
        version: Option<i64>,
        now: i64,
    ) -> Result<String, HostError> {
        let rec = self
            .record(source)?
            .ok_or_else(|| HostError::UnknownRun(source.to_string()))?;
        if let Some(v) = version.filter(|v| *v != rec.version) {
            return Err(HostError::Fork(format!(
                "run {source} runs on version {}; forking onto version {v} is not possible: \
                 this build forks runs onto their own version only",
                rec.version
            )));
        }
        let program = self.program(rec.version)?;
        let store = self.store.clone();
        let (own, p) = (rec.version, program.clone());
        let programs = move |v: i64| {
            if v == own {
                Ok(p.clone())
            } else {
                crate::travel::compile_version(store.as_ref(), v)
            }
        };
        let at = crate::travel::state_at(self.store.as_ref(), &programs, source, step)?;
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
        let record = RunRecord {
            id: run_id.clone(),
            flow: rec.flow.clone(),
            version: rec.version,
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
                record,
                state,
                program,
                last_batch: self.batch_no,
                claim,
                created_in: self.batch_no,
            },
        );
        self.record_transition(&run_id, out, Transition::created(cause), now);
        self.drain_follow_ups(now)?;
        Ok(run_id)
    }

    fn deliver_one(
        &mut self,
        run_id: &str,
        event: Event,
        now: i64,
        inbox: Option<i64>,
    ) -> Result<Placed, HostError> {
        if !self.load(run_id, now)? {
            let cl = self
                .cluster
                .as_ref()
                .expect("only a cluster has runs elsewhere");
            cl.store.enqueue(run_id, &event)?;
            return Ok(Placed::Queued);
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
            .then(|| weft_engine::replay::cause_of(&applied, &out.journal, env.jitter));
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
        match self.next_timer() {
            Some(at) if at <= now => {}
            _ => return Ok(0),
        }
        let due = self.store.due_timers(now, 1_000)?;
        // Fired timers stay in the store until the batch commits, so the
        // store cannot tell the next one now; start over from the timers
        // these deliveries arm. A commit makes the host ask again, and one
        // comes: a delivered timer writes, if only to clear its row, unless
        // its run re-armed the key in a write still to be committed.
        self.next_timer = None;
        self.next_timer_known = true;
        let mut n = 0;
        for t in due {
            let k = (t.run_id.clone(), t.key.clone());
            if self.fired.contains_key(&k) {
                continue;
            }
            self.fired.insert(k, self.batch_no);
            match self.deliver(&t.run_id, Event::TimerFired { key: t.key }, now) {
                Ok(()) => n += 1,
                // A timer of a run that no longer exists is dropped; one of
                // a run that was just parked went aside with the run's.
                Err(HostError::UnknownRun(_) | HostError::Unreadable(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    /// When the earliest known timer fires.
    pub fn next_timer(&mut self) -> Option<i64> {
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
                    // Parked: its events and timers are set aside.
                    Err(HostError::Unreadable(_)) => continue,
                    Err(e) => return Err(e),
                },
            }
            for e in cl.store.inbox(&id)? {
                self.deliver_one(&id, e.event, now, Some(e.id))?;
                n += 1;
            }
            for t in cl.store.due_timers_of(&id, now)? {
                let key = (t.run_id.clone(), t.key.clone());
                if let std::collections::hash_map::Entry::Vacant(e) = self.fired.entry(key) {
                    e.insert(self.batch_no);
                    self.deliver_one(&id, Event::TimerFired { key: t.key }, now, None)?;
                    n += 1;
                }
            }
            self.drain_follow_ups(now)?;
        }
        Ok(n)
    }

    /// In a cluster: extends the claims on the runs held here; runs whose
    /// claim was lost (this node was too slow) are dropped from memory.
    pub fn renew_claims(&mut self, now: i64) -> Result<(), HostError> {
        let Some(cl) = self.cluster.clone() else {
            return Ok(());
        };
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
                    Err(e) => return Err(e),
                },
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
                        Err(e) => return Err(e),
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
        let (state, out) = machine::start(
            &program,
            run_id.clone(),
            start.func,
            start.args,
            start.captures,
            input.clone(),
            depth,
            &mut env,
        );
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
                record,
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
        let fence = match (&self.cluster, &c.claim) {
            (Some(cl), Some(claim)) => Some(Fence {
                node: cl.node.clone(),
                epoch: claim.epoch,
                lease_until: now + cl.lease_ms,
            }),
            _ => None,
        };
        let cause = cause
            .filter(|_| !out.journal.is_empty())
            .map(|c| serde_json::to_value(c).expect("a cause serializes"));
        let mut w = RunWrite {
            created,
            cause,
            journal: out.journal,
            timers_clear: done_timer.into_iter().collect(),
            inbox_done: inbox_done.into_iter().collect(),
            fence,
            ..RunWrite::default()
        };
        // The attempt an event reports on is over: its task is done.
        if let Some(call) = finished_call {
            w.tasks_delete.push(format!("{run_id}-{call}"));
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
                    w.timers_clear.retain(|k| *k != key);
                    w.timers_set.retain(|(k, _)| *k != key);
                    w.timers_set.push((key, at));
                }
                Command::ClearTimer { key } => {
                    w.timers_set.retain(|(k, _)| *k != key);
                    if !w.timers_clear.contains(&key) {
                        w.timers_clear.push(key);
                    }
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
        let c = self.runs.get_mut(run_id).expect("the run is loaded");
        c.record = make_record(&c.record, &c.state, &c.program, now);
        w.record = Some(c.record.clone());
        w.state = serde_json::to_vec(&c.state).expect("run state serializes");
        self.effects
            .push(Effect::RunUpdated(Box::new(c.record.clone())));
        self.writes.push(w);
    }
}

/// The record people see, from the run's state.
pub fn make_record(prev: &RunRecord, state: &RunState, program: &Program, now: i64) -> RunRecord {
    let error = state.failures.values().next().map(|f| {
        serde_json::json!({
            "message": f.message,
            "location": f.location,
        })
    });
    let position = machine::positions(program, state)
        .first()
        .map(|l| format!("{}:{}", l.file, l.line));
    RunRecord {
        status: state.status,
        result: state.result.as_ref().and_then(|v| v.to_json().ok()),
        error,
        waiting: weft_store::waiting_json(&machine::waiting_for(state)),
        position,
        updated_at: now,
        ..prev.clone()
    }
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
        let mut json: serde_json::Value = serde_json::from_slice(&stored.state).unwrap();
        edit(&mut json);
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(stored.record),
                    state: serde_json::to_vec(&json).unwrap(),
                    ..RunWrite::default()
                }],
            })
            .unwrap();
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
            h.operate(&run, Event::Cancel { reason: "x".into() }, 12),
            Err(HostError::Unreadable(_))
        ));
        flush(&mut h);
        // Another start of this build: it stays parked.
        let mut h = Host::new(store.clone(), Box::new(OsEntropy));
        assert_eq!(h.prepare(20).unwrap(), (0, 0));
        assert_eq!(h.parked_runs(), 1);

        // A build that reads it.
        rewrite_snapshot(&store, &run, |j| {
            *j = serde_json::from_slice(&original).unwrap();
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
                    record: Some(rec),
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
            *j = serde_json::from_slice(&original).unwrap();
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

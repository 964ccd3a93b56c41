//! The host: applies events to many runs and turns what the engine says into
//! store writes and effects.
//!
//! It is driven by one thread (the real runtime's core, or the simulator).
//! Work accumulates into a batch; the driver takes the batch, commits it in
//! one transaction, and only then carries out the batch's effects
//! (dispatching tasks, answering waiters). The host keeps the runs it is
//! working on in memory, and forgets runs that wait once their last write is
//! committed: a suspended run costs nothing but its rows.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use thiserror::Error;

use weft_engine::machine::{self, Env};
use weft_engine::program::Program;
use weft_engine::state::{Cause, Command, Event, RunState, Status, Task};
use weft_engine::{limits, ActionError};
use weft_store::{
    Batch, CallbackOutcome, Claim, ClusterStore, Deployment, Fence, RunRecord, RunWrite,
    SourceText, Store, StoreError,
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
    /// A stored snapshot could not be read.
    #[error("run {run}: snapshot unreadable: {message}")]
    Snapshot {
        /// The run.
        run: String,
        /// Why.
        message: String,
    },
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
    programs: HashMap<i64, Arc<Program>>,
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
    /// their commits must not be mistaken for the new host's.
    pub fn restart(&self, entropy: Box<dyn Entropy>) -> Host {
        let mut h = match &self.cluster {
            Some(cl) => Host::new_cluster(cl.clone(), entropy),
            None => Host::new(self.store.clone(), entropy),
        };
        h.batch_no = self.batch_no;
        h.committed_no = self.committed_no;
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

    /// Compiles and stores a new program version. The sources must already
    /// have passed the checker (the deploy path runs it first).
    pub fn deploy(&mut self, files: &[SourceText], now: i64) -> Result<Deployment, HostError> {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        let program =
            weft_engine::compile_sources(&refs).map_err(|e| HostError::Compile(e.to_string()))?;
        let flows: Vec<String> = program.flows.keys().cloned().collect();
        let d = self.store.deploy(files, &flows, now)?;
        self.programs.insert(d.version, Arc::new(program));
        Ok(d)
    }

    /// The compiled program of a version.
    pub fn program(&mut self, version: i64) -> Result<Arc<Program>, HostError> {
        if let Some(p) = self.programs.get(&version) {
            return Ok(p.clone());
        }
        let d = self
            .store
            .deployment(version)?
            .ok_or_else(|| HostError::Compile(format!("program version {version} is missing")))?;
        let refs: Vec<(&str, &str)> = d
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        let program = Arc::new(
            weft_engine::compile_sources(&refs).map_err(|e| HostError::Compile(e.to_string()))?,
        );
        self.programs.insert(version, program.clone());
        Ok(program)
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
    fn load(&mut self, id: &str, now: i64) -> Result<bool, HostError> {
        if self.runs.contains_key(id) {
            return Ok(true);
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
        self.adopt(id, claim)?;
        Ok(true)
    }

    /// Loads a run from the store under `claim`.
    fn adopt(&mut self, id: &str, claim: Option<Claim>) -> Result<(), HostError> {
        let stored = self
            .store
            .load_run(id)?
            .ok_or_else(|| HostError::UnknownRun(id.to_string()))?;
        let state: RunState =
            serde_json::from_slice(&stored.state).map_err(|e| HostError::Snapshot {
                run: id.to_string(),
                message: e.to_string(),
            })?;
        let program = self.program(stored.record.version)?;
        self.runs.insert(
            id.to_string(),
            Cached {
                record: stored.record,
                state,
                program,
                last_batch: 0,
                claim,
                created_in: 0,
            },
        );
        Ok(())
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
                // A timer of a run that no longer exists is dropped.
                Err(HostError::UnknownRun(_)) => {}
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
                None => self.adopt(&id, Some(claim))?,
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
                    // A finished child or parent ignores what follows.
                    Ok(_) | Err(HostError::Action(ActionError::Finished(_))) => {}
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
                        Ok(_) | Err(HostError::Action(ActionError::Finished(_))) => {}
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
}

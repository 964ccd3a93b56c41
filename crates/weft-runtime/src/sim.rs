//! A simulator: drives a [`Host`] in virtual time, with activities answered
//! by a script instead of real code.
//!
//! Time only moves when nothing else can happen: the simulator jumps to the
//! next scheduled answer or timer. So `@timeout(7days)` takes microseconds,
//! and a run's elapsed virtual time is exact and repeatable.
//!
//! Every batch the host produces is committed to the store before its
//! effects happen, exactly like the real runtime. [`Sim::crash`] throws the
//! host away (with everything not committed) and starts a new one on the
//! same store, so tests can check that runs survive crashes. [`Sim::step`]
//! and [`Sim::run_steps`] advance one delivery or one commit at a time, so a
//! crash can land between a delivery and its commit.
//!
//! Besides crashes a test asks for, the simulator injects seeded
//! [`Faults`]: the store fails a commit (for a while, when it is full),
//! answers slowly, loses a commit that was not synced when the process
//! dies, or the process dies after a commit and before its effects;
//! activities answer twice, late, or after their lease (the task goes out
//! again and both copies answer); the host's clock jumps forward, or back
//! within [`CLOCK_BACK_MS_MAX`]; a live upgrade moves the waiting runs onto
//! a newer version mid-run. Each fault is drawn from its own random
//! stream, so a seed replays exactly. With [`Sim::check_invariants`] on,
//! the simulator checks after every step, besides each run's own
//! invariants, what must hold end to end: a run that finished never
//! finishes again or comes back, and no journal step that was
//! acknowledged (committed, its effects carried out) is lost by a crash.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;

use weft_engine::state::{Entry, Event, Status, Task};
use weft_store::{Batch, RunQuery, Store};

use crate::host::{Effect, Host, HostError};
use crate::ids::SeededEntropy;

/// How a scripted activity answers one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Return this value after `after_ms`.
    Return {
        /// The value.
        value: serde_json::Value,
        /// How long the attempt takes.
        after_ms: i64,
    },
    /// Fail after `after_ms`.
    Fail {
        /// The error.
        error: String,
        /// Whether retrying can help.
        retryable: bool,
        /// How long the attempt takes.
        after_ms: i64,
    },
    /// For an awaited call: acknowledge the start after `ack_ms`, then send
    /// the callback (if any) `callback_ms` after the start.
    Callback {
        /// The callback's value; `None` never sends one.
        value: Option<serde_json::Value>,
        /// When the start is acknowledged.
        ack_ms: i64,
        /// When the callback arrives.
        callback_ms: i64,
    },
    /// Never answer (only a timeout ends the wait).
    Never,
}

/// Answers tasks; called once per attempt.
pub type Responder = Box<dyn FnMut(&Task, i64) -> Answer>;

#[derive(Clone, Debug)]
enum Scheduled {
    Deliver(String, Event),
    Callback(String, serde_json::Value),
    /// The task's lease ran out with no answer: the queue hands it out
    /// again, when it is still outstanding.
    Release(Task),
}

/// Consecutive commits a full store fails, at most (then space is freed).
pub const STORE_FULL_COMMITS_MAX: u64 = 20;

/// How long a slow commit takes, at most (virtual ms).
pub const SLOW_COMMIT_MS_MAX: u64 = 2_000;

/// How much later than scripted a late answer arrives, at most (virtual ms).
pub const LATE_MS_MAX: u64 = 3 * 3_600_000;

/// How long an attempt's task is leased to a worker before it goes out
/// again (virtual ms; the server's default lease).
pub const LEASE_MS: i64 = 30_000;

/// How far one forward clock jump goes, at most (virtual ms).
pub const CLOCK_FORWARD_MS_MAX: u64 = 2 * 3_600_000;

/// How far the host's clock may lag true time after backward jumps, at
/// most (virtual ms): a clock corrected by NTP steps back by seconds, not
/// days.
pub const CLOCK_BACK_MS_MAX: i64 = 5_000;

/// Runs one injected live upgrade looks at, at most.
pub const UPGRADE_SCAN_MAX: usize = 1_000;

/// A fault the simulator can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// A commit fails: as in the runtime, the batch is never committed
    /// later, the host starts over from the store, and the events the
    /// batch applied are applied again after the retry wait (a callback's
    /// sender, answered with the error, sends it again).
    CommitFails,
    /// The store is full: this commit and up to
    /// [`STORE_FULL_COMMITS_MAX`] - 1 more fail, then space is freed.
    StoreFull,
    /// A commit takes up to [`SLOW_COMMIT_MS_MAX`].
    StoreSlow,
    /// The process dies while a commit is written but not synced: the
    /// store loses it (nothing of it was acknowledged).
    LostUnsynced,
    /// The process dies after a commit, before its effects are carried
    /// out: recovery must carry them out.
    CrashAfterCommit,
    /// An activity's answer (or callback) arrives twice.
    AnswerTwice,
    /// An answer arrives up to [`LATE_MS_MAX`] later than scripted.
    AnswerLate,
    /// An attempt outlives its lease: the task goes out again after
    /// [`LEASE_MS`] and both copies answer, the first one last.
    AnswerAfterLease,
    /// The host's clock jumps forward by up to [`CLOCK_FORWARD_MS_MAX`].
    ClockForward,
    /// The host's clock steps back, never more than [`CLOCK_BACK_MS_MAX`]
    /// behind true time.
    ClockBackward,
    /// Every unfinished run older than [`Faults::upgrade_to`] is asked to
    /// move onto it (a live upgrade, refused or not).
    Upgrade,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 11] = [
        Fault::CommitFails,
        Fault::StoreFull,
        Fault::StoreSlow,
        Fault::LostUnsynced,
        Fault::CrashAfterCommit,
        Fault::AnswerTwice,
        Fault::AnswerLate,
        Fault::AnswerAfterLease,
        Fault::ClockForward,
        Fault::ClockBackward,
        Fault::Upgrade,
    ];

    /// Faults that change nothing a run's outcome depends on: after them,
    /// a run ends exactly as without them (they lose no time, and what
    /// they repeat the engine must ignore). The others move time, so
    /// timeouts may fire where they did not.
    pub const INVISIBLE: [Fault; 5] = [
        Fault::CommitFails,
        Fault::LostUnsynced,
        Fault::CrashAfterCommit,
        Fault::AnswerTwice,
        Fault::Upgrade,
    ];

    /// Its name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            Fault::CommitFails => "commit-fails",
            Fault::StoreFull => "store-full",
            Fault::StoreSlow => "store-slow",
            Fault::LostUnsynced => "lost-unsynced",
            Fault::CrashAfterCommit => "crash-after-commit",
            Fault::AnswerTwice => "answer-twice",
            Fault::AnswerLate => "answer-late",
            Fault::AnswerAfterLease => "answer-after-lease",
            Fault::ClockForward => "clock-forward",
            Fault::ClockBackward => "clock-backward",
            Fault::Upgrade => "upgrade",
        }
    }
}

/// Which faults a simulation injects, and how often.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Each fault's chance per occasion (a commit, an answer, a step), in
    /// thousandths; a fault not listed never happens.
    pub rates: BTreeMap<Fault, u32>,
    /// Where the random choices come from: the same seed, the same faults
    /// at the same points.
    pub seed: u64,
    /// The version [`Fault::Upgrade`] moves runs to; without one, no
    /// upgrade happens.
    pub upgrade_to: Option<i64>,
    /// Virtual ms before the events of a failed commit are applied again
    /// (the runtime waits `runtime::COMMIT_RETRY`); 0 loses no time.
    pub commit_retry_ms: i64,
}

impl Faults {
    /// The faults in `which`, each at `per_mille`.
    pub fn with(which: &[Fault], per_mille: u32, seed: u64) -> Faults {
        Faults {
            rates: which.iter().map(|f| (*f, per_mille)).collect(),
            seed,
            upgrade_to: None,
            commit_retry_ms: 0,
        }
    }

    fn any(&self) -> bool {
        self.rates.values().any(|r| *r > 0)
    }
}

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Clone, Debug)]
struct FaultRng(u64);

impl FaultRng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `1..=max`.
    fn upto(&mut self, max: u64) -> i64 {
        (1 + self.next() % max.max(1)) as i64
    }
}

/// One dispatched attempt, for assertions.
#[derive(Clone, Debug)]
pub struct Dispatched {
    /// The task.
    pub task: Task,
    /// When it was dispatched (virtual ms).
    pub at: i64,
}

/// The simulator.
pub struct Sim {
    /// The host being driven.
    pub host: Host,
    /// Virtual now (epoch ms).
    pub now: i64,
    store: Arc<dyn Store>,
    queue: BinaryHeap<Reverse<(i64, u64)>>,
    scheduled: HashMap<u64, Scheduled>,
    seq: u64,
    responder: Responder,
    seed: u64,
    /// Every dispatched attempt, in order.
    pub dispatched: Vec<Dispatched>,
    /// Errors of scheduled deliveries (a scripted callback refused, ...).
    pub errors: Vec<String>,
    /// Deliveries [`Sim::step`] puts in one batch, at most, when they are
    /// due at the same instant (group commit); 1 by default.
    pub deliveries_per_commit: usize,
    /// Deliveries in the batch being built.
    uncommitted: usize,
    /// Check the invariants of the runs in memory after every step
    /// ([`Host::check_invariants`]), and panic at the first step that
    /// breaks one. On by default in debug builds (so every test driving a
    /// simulator checks them); off in release builds, where `weft run` and
    /// `weft test` use the simulator and should not pay for the walk.
    pub check_invariants: bool,
    /// Callbacks the host took whose batch is not committed yet. Their
    /// senders have no answer yet (the runtime answers a callback after the
    /// commit), so a crash makes them send again.
    unacknowledged: Vec<(String, serde_json::Value)>,
    /// The faults to inject (none by default); set before the first step.
    pub faults: Faults,
    /// How many of each fault happened.
    pub injected: BTreeMap<Fault, usize>,
    /// Injected live upgrades: runs moved, runs refused.
    pub upgrades: (usize, usize),
    rng: FaultRng,
    /// Commits a full store still fails.
    full_for: i64,
    /// The host's clock minus true time.
    skew: i64,
    /// Journal entries acknowledged per run (committed, their effects
    /// carried out), when invariants are checked: a crash may lose none.
    acked: HashMap<String, Vec<Entry>>,
    /// Runs whose finish was acknowledged, with their outcome.
    finished: HashMap<String, (Status, Option<serde_json::Value>)>,
    /// What was delivered into the batch being built, to deliver again
    /// when its commit fails.
    in_batch: Vec<Scheduled>,
}

/// Where virtual time starts: 2026-01-01T00:00:00Z.
pub const EPOCH_MS: i64 = 1_767_225_600_000;

impl Sim {
    /// A simulator over `store`, with deterministic randomness from `seed`.
    pub fn new(store: Arc<dyn Store>, seed: u64, responder: Responder) -> Sim {
        Sim {
            host: Host::new(store.clone(), Box::new(SeededEntropy(seed))),
            now: EPOCH_MS,
            store,
            queue: BinaryHeap::new(),
            scheduled: HashMap::new(),
            seq: 0,
            responder,
            seed,
            dispatched: Vec::new(),
            errors: Vec::new(),
            deliveries_per_commit: 1,
            uncommitted: 0,
            check_invariants: cfg!(debug_assertions),
            unacknowledged: Vec::new(),
            faults: Faults::default(),
            injected: BTreeMap::new(),
            upgrades: (0, 0),
            rng: FaultRng(seed),
            full_for: 0,
            skew: 0,
            acked: HashMap::new(),
            finished: HashMap::new(),
            in_batch: Vec::new(),
        }
    }

    /// Sets the faults to inject from now on, with their own random
    /// stream (from `faults.seed`).
    pub fn inject(&mut self, faults: Faults) {
        self.rng = FaultRng(faults.seed ^ 0x5eed_fa17_5eed_fa17);
        self.faults = faults;
    }

    /// The host's clock: virtual now, moved by the clock's faults.
    pub fn clock(&self) -> i64 {
        self.now + self.skew
    }

    /// True when `fault` happens at this occasion (and counts it).
    fn roll(&mut self, fault: Fault) -> bool {
        let rate = match self.faults.rates.get(&fault) {
            Some(r) if *r > 0 => *r,
            _ => return false,
        };
        if self.rng.next() % 1000 < u64::from(rate) {
            *self.injected.entry(fault).or_default() += 1;
            true
        } else {
            false
        }
    }

    /// Panics at an end-to-end invariant broken, naming the seed.
    fn broken(&self, what: String) -> ! {
        panic!(
            "at virtual time {} (seed {}, faults seed {}): {what}",
            self.now, self.seed, self.faults.seed
        );
    }

    /// Panics when a run in memory breaks the engine's invariants (see
    /// [`Sim::check_invariants`]): a bug, caught at the step that made it.
    fn assert_invariants(&self) {
        if self.check_invariants {
            if let Err(e) = self.host.check_invariants() {
                panic!("at virtual time {} (seed {}): {e}", self.now, self.seed);
            }
        }
    }

    fn schedule(&mut self, at: i64, what: Scheduled) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq)));
        self.scheduled.insert(self.seq, what);
    }

    /// Commits what the host has and carries out the effects.
    pub fn flush(&mut self) -> Result<(), HostError> {
        while self.host.has_work() {
            // Every run the batch writes is still in memory until it commits.
            self.assert_invariants();
            let (no, batch, effects) = self.host.take_batch();
            if self.roll(Fault::LostUnsynced) {
                // The batch never reaches the disk; nobody heard of it.
                return self.crash();
            }
            if self.commit_fails() {
                // The runtime never commits a failed batch later: its
                // host starts over from the store, and what the batch
                // applied is applied again once the retry wait is over.
                self.seed = self.seed.wrapping_add(1);
                self.host = self.host.restart(Box::new(SeededEntropy(self.seed)));
                self.uncommitted = 0;
                self.unacknowledged.clear();
                let at = self.now + self.faults.commit_retry_ms;
                for what in std::mem::take(&mut self.in_batch) {
                    self.schedule(at, what);
                }
                return Ok(());
            }
            self.store.commit(&batch)?;
            if self.roll(Fault::StoreSlow) {
                self.now += self.rng.upto(SLOW_COMMIT_MS_MAX);
            }
            if self.roll(Fault::CrashAfterCommit) {
                // Durable, but its effects never happened: recovery owes them.
                if self.check_invariants {
                    self.note_durable(&batch);
                }
                return self.crash();
            }
            self.host.committed(no);
            self.uncommitted = 0;
            self.unacknowledged.clear();
            self.in_batch.clear();
            if self.check_invariants {
                self.acknowledge(&batch, &effects);
            }
            for e in effects {
                if let Effect::Dispatch(task) = e {
                    self.dispatch(task);
                }
            }
        }
        Ok(())
    }

    /// True when the store fails this commit (a full store fails a
    /// stretch of them).
    fn commit_fails(&mut self) -> bool {
        if self.full_for == 0 && self.roll(Fault::StoreFull) {
            self.full_for = self.rng.upto(STORE_FULL_COMMITS_MAX);
        }
        if self.full_for > 0 {
            self.full_for -= 1;
            return true;
        }
        self.roll(Fault::CommitFails)
    }

    /// Notes what a committed batch made durable and answered: its
    /// journal entries (a crash may lose none of them) and the runs it
    /// finished (which never finish again, nor come back).
    fn acknowledge(&mut self, batch: &Batch, effects: &[Effect]) {
        self.note_durable(batch);
        for e in effects {
            let Effect::RunUpdated(r) = e else { continue };
            let outcome = (r.status, r.result.clone());
            match self.finished.get(&r.id) {
                Some(first) if *first != outcome => self.broken(format!(
                    "run {} finished as {:?} and then was {:?}",
                    r.id, first, outcome
                )),
                Some(_) => {}
                None if r.status.is_terminal() => {
                    self.finished.insert(r.id.clone(), outcome);
                }
                None => {}
            }
        }
    }

    /// Notes the journal entries of a committed batch as durable.
    fn note_durable(&mut self, batch: &Batch) {
        for w in &batch.writes {
            if let (Some(r), false) = (&w.record, w.journal.is_empty()) {
                self.acked
                    .entry(r.id.clone())
                    .or_default()
                    .extend(w.journal.iter().cloned());
            }
        }
    }

    /// Checks that the store holds every acknowledged journal entry, in
    /// order, then takes what it holds as acknowledged: a commit that
    /// landed before a crash is durable from now on, even if nobody heard.
    fn check_acknowledged(&mut self) -> Result<(), HostError> {
        let runs: Vec<String> = self.acked.keys().cloned().collect();
        for run in runs {
            let stored: Vec<Entry> = self
                .store
                .journal(&run)?
                .into_iter()
                .flat_map(|s| s.entries)
                .collect();
            let acked = &self.acked[&run];
            if stored.len() < acked.len() || stored[..acked.len()] != acked[..] {
                self.broken(format!(
                    "run {run}: the store lost acknowledged journal entries ({} acknowledged, {} stored)",
                    acked.len(),
                    stored.len()
                ));
            }
            self.acked.insert(run, stored);
        }
        Ok(())
    }

    /// Dispatches a recovered task again (after a crash).
    pub fn dispatch(&mut self, task: Task) {
        self.dispatched.push(Dispatched {
            task: task.clone(),
            at: self.now,
        });
        let answer = (self.responder)(&task, self.now);
        let now = self.now;
        let before = self.seq;
        match answer {
            Answer::Return { value, after_ms } => self.schedule(
                now + after_ms,
                Scheduled::Deliver(
                    task.run_id.clone(),
                    Event::CallCompleted {
                        call: task.call,
                        attempt: task.attempt,
                        value,
                    },
                ),
            ),
            Answer::Fail {
                error,
                retryable,
                after_ms,
            } => self.schedule(
                now + after_ms,
                Scheduled::Deliver(
                    task.run_id.clone(),
                    Event::CallFailed {
                        call: task.call,
                        attempt: task.attempt,
                        error,
                        retryable,
                    },
                ),
            ),
            Answer::Callback {
                value,
                ack_ms,
                callback_ms,
            } => {
                self.schedule(
                    now + ack_ms,
                    Scheduled::Deliver(
                        task.run_id.clone(),
                        Event::CallCompleted {
                            call: task.call,
                            attempt: task.attempt,
                            value: serde_json::Value::Null,
                        },
                    ),
                );
                if let (Some(v), Some(token)) = (value, task.callback_token.clone()) {
                    self.schedule(now + callback_ms.max(ack_ms), Scheduled::Callback(token, v));
                }
            }
            Answer::Never => {}
        }
        if self.faults.any() {
            self.answer_faults(&task, before);
        }
    }

    /// Applies the activities' faults to the deliveries scheduled for one
    /// attempt (those after sequence number `before`).
    fn answer_faults(&mut self, task: &Task, before: u64) {
        let mut mine: Vec<u64> = self
            .scheduled
            .keys()
            .copied()
            .filter(|s| *s > before)
            .collect();
        mine.sort_unstable();
        if mine.is_empty() {
            return;
        }
        let mut delay = 0;
        if self.roll(Fault::AnswerLate) {
            delay += self.rng.upto(LATE_MS_MAX);
        }
        if self.roll(Fault::AnswerAfterLease) {
            delay += LEASE_MS + self.rng.upto(LEASE_MS as u64);
            self.schedule(self.now + LEASE_MS, Scheduled::Release(task.clone()));
        }
        let twice = self.roll(Fault::AnswerTwice);
        let mut due: Vec<(i64, u64)> = Vec::new();
        let queue = std::mem::take(&mut self.queue);
        for Reverse((at, seq)) in queue {
            if mine.contains(&seq) {
                due.push((at, seq));
            } else {
                self.queue.push(Reverse((at, seq)));
            }
        }
        for (at, seq) in due {
            self.queue.push(Reverse((at + delay, seq)));
            if twice {
                let again = self.scheduled[&seq].clone();
                let later = self.rng.upto(LATE_MS_MAX);
                self.schedule(at + delay + later, again);
            }
        }
    }

    /// True when the store still holds `task`'s attempt (its answer has
    /// not been taken).
    fn outstanding(&self, task: &Task) -> Result<bool, HostError> {
        const PAGE: usize = 1_000;
        let mut after: Option<String> = None;
        loop {
            let page = self.store.tasks(after.as_deref(), PAGE)?;
            if page
                .iter()
                .any(|t| t.call_id == task.call_id && t.attempt == task.attempt)
            {
                return Ok(true);
            }
            if page.len() < PAGE {
                return Ok(false);
            }
            after = page.last().map(|t| t.call_id.clone());
        }
    }

    /// Faults of the clock and of operators, at each step.
    fn step_faults(&mut self) -> Result<(), HostError> {
        if self.roll(Fault::ClockForward) {
            self.skew += self.rng.upto(CLOCK_FORWARD_MS_MAX);
        }
        if self.roll(Fault::ClockBackward) {
            let back = self.rng.upto(CLOCK_BACK_MS_MAX as u64);
            self.skew = (self.skew - back).max(-CLOCK_BACK_MS_MAX);
        }
        if let Some(to) = self.faults.upgrade_to {
            if self.roll(Fault::Upgrade) {
                self.upgrade_all(to)?;
            }
        }
        Ok(())
    }

    /// Asks for the live upgrade of every unfinished run on a version
    /// older than `to`, as an operator's `weft upgrade --flow` would.
    fn upgrade_all(&mut self, to: i64) -> Result<(), HostError> {
        let runs = self
            .store
            .list_runs(&RunQuery {
                limit: UPGRADE_SCAN_MAX,
                ..RunQuery::default()
            })?
            .runs;
        let clock = self.clock();
        for r in runs {
            if r.status.is_terminal() || r.version >= to {
                continue;
            }
            let v = self.host.upgrade(&r.id, to, "simulator", false, clock)?;
            if v.upgraded {
                self.upgrades.0 += 1;
            } else {
                self.upgrades.1 += 1;
            }
        }
        Ok(())
    }

    /// Runs until nothing is scheduled and no timer is armed, or until
    /// virtual time passes `until`. Returns the number of steps taken.
    pub fn run_until_idle(&mut self, until: i64) -> Result<usize, HostError> {
        let mut steps = 0;
        loop {
            self.flush()?;
            if !self.deliver_next(until)? {
                return Ok(steps);
            }
            steps += 1;
        }
    }

    /// Takes one step: delivers the next answer, callback or due timers (up
    /// to virtual time `until`), or commits what the host has and carries
    /// out the effects. A delivery joins the batch being built when it is
    /// due at the same instant and the batch has fewer than
    /// [`Sim::deliveries_per_commit`] deliveries; otherwise the batch is
    /// committed first. What a delivery causes stays uncommitted until a
    /// later step, so a [`Sim::crash`] in between loses it. Returns false
    /// when there was nothing to do.
    pub fn step(&mut self, until: i64) -> Result<bool, HostError> {
        if self.host.has_work()
            && (self.uncommitted >= self.deliveries_per_commit || self.next_at() != Some(self.now))
        {
            self.flush()?;
            return Ok(true);
        }
        if self.deliver_next(until)? {
            self.uncommitted += 1;
            return Ok(true);
        }
        if self.host.has_work() {
            self.flush()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Takes up to `n` steps (see [`Sim::step`]). Returns true when the
    /// simulation is idle: nothing to commit, nothing scheduled, no timer.
    pub fn run_steps(&mut self, n: usize) -> Result<bool, HostError> {
        for _ in 0..n {
            if !self.step(i64::MAX)? {
                return Ok(true);
            }
        }
        Ok(!self.host.has_work() && self.next_at().is_none())
    }

    /// When the next scheduled delivery or timer is due.
    fn next_at(&mut self) -> Option<i64> {
        let next_event = self.queue.peek().map(|Reverse((at, _))| *at);
        // Timers are in the host's clock.
        let skew = self.skew;
        let next_timer = self.host.next_timer().map(|t| t.saturating_sub(skew));
        match (next_event, next_timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves virtual time to the next delivery or timer (when it is due by
    /// `until`) and delivers it, without committing. False when there is
    /// none.
    fn deliver_next(&mut self, until: i64) -> Result<bool, HostError> {
        if self.faults.any() {
            self.step_faults()?;
        }
        let Some(at) = self.next_at() else {
            return Ok(false);
        };
        if at > until {
            return Ok(false);
        }
        self.now = self.now.max(at);
        let next_event = self.queue.peek().map(|Reverse((at, _))| *at);
        if next_event == Some(at) {
            let Reverse((_, seq)) = self.queue.pop().expect("peeked");
            let what = self.scheduled.remove(&seq).expect("scheduled");
            let clock = self.clock();
            if self.faults.any() && !matches!(what, Scheduled::Release(_)) {
                self.in_batch.push(what.clone());
            }
            let result = match what {
                Scheduled::Deliver(run, event) => self.host.deliver(&run, event, clock),
                Scheduled::Callback(token, value) => self
                    .host
                    .callback(&token, value.clone(), clock)
                    .map(|_| self.unacknowledged.push((token, value))),
                Scheduled::Release(task) => {
                    // The queue hands out again only what is outstanding.
                    if self.outstanding(&task)? {
                        self.dispatch(task);
                    }
                    Ok(())
                }
            };
            if let Err(e) = result {
                self.errors.push(e.to_string());
            }
        } else {
            self.host.fire_due_timers(self.clock())?;
        }
        self.assert_invariants();
        Ok(true)
    }

    /// Simulates a crash: everything the host did not commit is lost; a new
    /// host starts on the same store and dispatches outstanding tasks again.
    /// Answers already scheduled still arrive (the activities did run), and
    /// callbacks whose acceptance was not committed are sent again (their
    /// senders never got an answer).
    pub fn crash(&mut self) -> Result<(), HostError> {
        if self.check_invariants {
            self.check_acknowledged()?;
        }
        self.seed = self.seed.wrapping_add(1);
        self.host = Host::new(self.store.clone(), Box::new(SeededEntropy(self.seed)));
        self.uncommitted = 0;
        // Answers the dead process took are answered again through the
        // recovered tasks; callbacks through `unacknowledged`.
        self.in_batch.clear();
        let now = self.now;
        for (token, value) in std::mem::take(&mut self.unacknowledged) {
            self.schedule(now, Scheduled::Callback(token, value));
        }
        for task in self.host.recover_tasks()? {
            self.dispatch(task);
        }
        self.host.recover_machines(now)?;
        Ok(())
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use weft_engine::state::EntryKind;
    use weft_store::{MemoryStore, SourceText};

    /// A simulator running `Nap`, which sleeps twice, stopped after its
    /// first sleep fired.
    fn napping() -> (Sim, String) {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let mut sim = Sim::new(store, 3, Box::new(|_: &Task, _| Answer::Never));
        sim.check_invariants = true;
        sim.host
            .deploy(
                &[SourceText {
                    name: "nap.weft".into(),
                    text: "flow Nap(x) {\n Sleep(1h)\n Sleep(1h)\n return x\n}\n".into(),
                }],
                EPOCH_MS,
            )
            .expect("deploys");
        let id = sim
            .host
            .start_run("Nap", json!(1), None, sim.now)
            .expect("starts")
            .run_id;
        sim.flush().expect("commits");
        sim.run_until_idle(EPOCH_MS + 3_600_000).expect("runs");
        (sim, id)
    }

    #[test]
    fn a_crash_keeps_what_was_acknowledged() {
        let (mut sim, id) = napping();
        assert!(sim.acked[&id].len() >= 2, "{:?}", sim.acked);
        sim.crash().expect("restarts");
        sim.run_until_idle(i64::MAX).expect("runs");
        let r = sim.host.record(&id).expect("reads").expect("exists");
        assert_eq!(r.status, Status::Completed);
        assert_eq!(sim.finished[&id], (Status::Completed, Some(json!(1))));
    }

    /// The check can fail: an entry acknowledged that the store does not
    /// hold (as a store that lost a commit would) stops the simulation.
    #[test]
    #[should_panic(expected = "the store lost acknowledged journal entries")]
    fn a_lost_acknowledged_entry_is_caught_at_the_crash() {
        let (mut sim, id) = napping();
        sim.acked.get_mut(&id).expect("acknowledged").push(Entry {
            at: sim.now,
            kind: EntryKind::Retried,
        });
        let _ = sim.crash();
    }

    /// The check can fail: a run that finished and then reports another
    /// outcome stops the simulation.
    #[test]
    #[should_panic(expected = "finished as")]
    fn a_run_finishing_twice_is_caught() {
        let (mut sim, id) = napping();
        sim.run_until_idle(i64::MAX).expect("runs");
        let mut r = sim.host.record(&id).expect("reads").expect("exists");
        r.result = Some(json!(2));
        sim.acknowledge(
            &Batch::default(),
            &[Effect::RunUpdated(std::sync::Arc::new(r))],
        );
    }

    /// A backward clock never lags more than its bound, and timers still
    /// fire: the simulation ends.
    #[test]
    fn clock_faults_stay_in_their_bounds() {
        let (mut sim, id) = napping();
        sim.inject(Faults::with(
            &[Fault::ClockBackward, Fault::ClockForward],
            500,
            9,
        ));
        for _ in 0..200 {
            sim.step_faults().expect("steps");
            assert!(sim.skew >= -CLOCK_BACK_MS_MAX, "{}", sim.skew);
        }
        sim.run_until_idle(i64::MAX).expect("runs");
        let r = sim.host.record(&id).expect("reads").expect("exists");
        assert_eq!(r.status, Status::Completed);
        assert!(sim.injected[&Fault::ClockBackward] > 0);
    }
}

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

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use weft_engine::state::{Event, Task};
use weft_store::Store;

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

#[derive(Debug)]
enum Scheduled {
    Deliver(String, Event),
    Callback(String, serde_json::Value),
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
        }
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
            self.store.commit(&batch)?;
            self.host.committed(no);
            self.uncommitted = 0;
            self.unacknowledged.clear();
            for e in effects {
                if let Effect::Dispatch(task) = e {
                    self.dispatch(task);
                }
            }
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
        match (next_event, self.host.next_timer()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves virtual time to the next delivery or timer (when it is due by
    /// `until`) and delivers it, without committing. False when there is
    /// none.
    fn deliver_next(&mut self, until: i64) -> Result<bool, HostError> {
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
            let result = match what {
                Scheduled::Deliver(run, event) => self.host.deliver(&run, event, self.now),
                Scheduled::Callback(token, value) => self
                    .host
                    .callback(&token, value.clone(), self.now)
                    .map(|_| self.unacknowledged.push((token, value))),
            };
            if let Err(e) = result {
                self.errors.push(e.to_string());
            }
        } else {
            self.host.fire_due_timers(self.now)?;
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
        self.seed = self.seed.wrapping_add(1);
        self.host = Host::new(self.store.clone(), Box::new(SeededEntropy(self.seed)));
        self.uncommitted = 0;
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

//! Durable timers: `Sleep` and `WaitUntil`, and what each kind of timer
//! does when it fires.
//!
//! A timer is state (the run's `timers`, keyed by [`timer_key`]) and a
//! `SetTimer` command (the store's row, which fires it). A timer fires at
//! most once: the run forgets it and tells the store to drop its row. A
//! `TimerFired` for a key the run does not have, or before the time the
//! run has for it (a late duplicate of an older timer with the same key),
//! changes nothing else.

use crate::program::Edition;
use crate::state::{Command, EntryKind, Timer, TimerKind, Wait};
use crate::value::Value;

use super::values::describe;
use super::{timer_key, FiberId, Machine, Step, Stop};

impl Machine<'_> {
    /// `Sleep(d)` and `WaitUntil(t)`: fiber `id` waits on a timer, unless
    /// the time has already come. `WaitUntil`'s value is the time.
    pub(super) fn sleep(&mut self, id: FiberId, builtin: &str, args: Vec<Value>) -> Step {
        let now = self.env.now();
        let (at, value) = if builtin == "Sleep" {
            if self.program.edition >= Edition::E2 {
                if let n @ (Value::Int(_) | Value::Float(_)) = &args[0] {
                    let n = n.to_text();
                    let message = format!(
                        "Sleep() needs a duration: {n} is a number (write {n}s with its unit, or duration({n}) for milliseconds)"
                    );
                    return Err(self.fail_instruction(id, args, message));
                }
            }
            match args[0].coerce_duration() {
                Some(d) => (now.saturating_add(d.max(0)), Value::Null),
                None => {
                    let message = format!("Sleep() needs a duration, not {}", describe(&args[0]));
                    return Err(self.fail_instruction(id, args, message));
                }
            }
        } else {
            match args[0].coerce_time() {
                Some(t) => (t, Value::Time(t)),
                None => {
                    let message = format!("WaitUntil() needs a time, not {}", describe(&args[0]));
                    return Err(self.fail_instruction(id, args, message));
                }
            }
        };
        if at <= now {
            return self.push(id, value);
        }
        let key = timer_key::sleep(id);
        self.run.timers.insert(
            key.clone(),
            Timer {
                at,
                kind: TimerKind::Sleep { fiber: id, value },
            },
        );
        self.command(Command::SetTimer {
            key: key.clone(),
            at,
        });
        self.journal(EntryKind::TimerStarted { until: at });
        self.fiber_mut(id).wait = Wait::Timer(key);
        Err(Stop::Wait)
    }

    /// A timer fired: the run forgets it and does what it was for.
    pub(super) fn timer_fired(&mut self, key: &str) {
        let now = self.env.now();
        let Some(timer) = self.run.timers.get(key) else {
            // The run has no such timer: its row in the store is stale.
            self.command(Command::ClearTimer {
                key: key.to_string(),
            });
            return;
        };
        // A late duplicate of an older timer with the same key is not due.
        if timer.at > now {
            return;
        }
        let timer = self.run.timers.remove(key).expect("found above");
        // The timer is spent: its row in the store goes with it.
        self.command(Command::ClearTimer {
            key: key.to_string(),
        });
        // A turn's timer is the engine's own business, not the run's history.
        if !matches!(timer.kind, TimerKind::Continue) {
            self.journal(EntryKind::TimerFired {
                key: key.to_string(),
            });
        }
        match timer.kind {
            // The ready fibers go on when the step runs them.
            TimerKind::Continue => {}
            TimerKind::Attempt { call, attempt } => self.attempt_timed_out(call, attempt),
            TimerKind::Backoff { call } => self.backoff_ended(call),
            TimerKind::AwaitTimeout { call } => self.await_timed_out(call),
            TimerKind::Sleep { fiber, value } => {
                let still_sleeping = self
                    .run
                    .fibers
                    .get(&fiber)
                    .is_some_and(|f| f.wait == Wait::Timer(key.to_string()));
                if still_sleeping {
                    self.resume_with(fiber, value);
                }
            }
        }
    }
}

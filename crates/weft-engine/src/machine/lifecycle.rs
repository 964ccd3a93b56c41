//! How fibers and runs end, and the status a run shows.

use crate::state::{CallPhase, Command, EntryKind, Status};
use crate::value::Value;

use super::{FiberId, Machine};

impl Machine<'_> {
    /// Fiber `id`'s outermost function returned `value`: a branch fills its
    /// slot of its group; the flow itself completes the run.
    pub(super) fn fiber_done(&mut self, id: FiberId, value: Value) {
        let owner = self.run.fibers.get(&id).and_then(|f| f.owner);
        match owner {
            Some((group, slot)) => {
                self.run.fibers.remove(&id);
                self.slot_done(group, slot as usize, value);
            }
            None => self.complete(id, value),
        }
    }

    /// The flow returned (its value was checked at `return`): the run
    /// completes and stops whatever else it had going.
    fn complete(&mut self, id: FiberId, value: Value) {
        let json = value.to_json().unwrap_or(serde_json::Value::Null);
        self.run.fibers.remove(&id);
        self.shut_down();
        self.run.result = Some(value);
        self.run.status = Status::Completed;
        self.journal(EntryKind::Completed {
            result: json.clone(),
        });
        self.command(Command::Finished { result: Some(json) });
    }

    /// Stops everything still going: fibers, calls, timers, children.
    pub(super) fn shut_down(&mut self) {
        let fibers: Vec<FiberId> = self.run.fibers.keys().copied().collect();
        for fiber in fibers {
            self.kill_fiber(fiber);
        }
        let calls: Vec<u32> = self.run.calls.keys().copied().collect();
        for call in calls {
            self.drop_call(call);
        }
        let keys: Vec<String> = self.run.timers.keys().cloned().collect();
        for key in keys {
            self.run.timers.remove(&key);
            self.command(Command::ClearTimer { key });
        }
        let children: Vec<u32> = self.run.children.keys().copied().collect();
        for child in children {
            self.cancel_child(child);
        }
        self.run.groups.clear();
        self.run.ready.clear();
        self.run.failures.clear();
    }

    /// The status from what is left: failed while a failure waits for an
    /// operator; running while an activity works for it (an attempt out, a
    /// back-off); otherwise waiting (for callbacks, timers, sub-flows).
    pub(super) fn update_status(&mut self) {
        if self.run.status.is_terminal() {
            return;
        }
        self.run.status =
            if !self.run.failures.is_empty() {
                Status::Failed
            } else if !self.run.ready.is_empty()
                || self.run.calls.values().any(|c| {
                    !c.awaited && matches!(c.phase, CallPhase::Running | CallPhase::Backoff)
                })
            {
                Status::Running
            } else {
                Status::Waiting
            };
    }
}

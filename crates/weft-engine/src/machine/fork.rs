//! Forking: a new run that starts from a copy of another run's state.
//!
//! The copy keeps everything the flow computed (fibers, variables, results
//! already in, parallel groups, failures) and takes over what was
//! outstanding under its own name: its calls get its own call ids (and
//! callback tokens) and go out again, its timers are armed again for the
//! same times, and sub-flows that were still running start again from how
//! they were started, as its own children. The original run is not
//! touched.

use crate::state::{CallPhase, ChildState, Command, EntryKind, TimerKind};

use super::Machine;

impl Machine<'_> {
    /// Takes over what the copied state had outstanding (see the module
    /// documentation); the state's id is already the new run's.
    pub(super) fn take_over(&mut self, from: String, step: i64) {
        self.journal(EntryKind::Forked { from, step });
        let run_id = self.run.id.clone();
        // Timers first, but not the attempts' timeouts: the attempts go
        // out again below, each with a timeout from now.
        let timers: Vec<(String, i64)> = self
            .run
            .timers
            .iter()
            .filter(|(_, t)| !matches!(t.kind, TimerKind::Attempt { .. }))
            .map(|(k, t)| (k.clone(), t.at))
            .collect();
        self.run
            .timers
            .retain(|_, t| !matches!(t.kind, TimerKind::Attempt { .. }));
        for (key, at) in timers {
            self.command(Command::SetTimer { key, at });
        }
        let seqs: Vec<u32> = self.run.calls.keys().copied().collect();
        for seq in seqs {
            let token = self.run.calls[&seq].awaited.then(|| self.env.token());
            let call = self.run.calls.get_mut(&seq).expect("listed above");
            call.call_id = crate::state::call_id(&run_id, seq);
            call.token = token.clone();
            let phase = call.phase;
            if let Some(token) = token {
                self.command(Command::RegisterToken { token, call: seq });
            }
            match phase {
                // An attempt was out, or an awaited call was started: the
                // new run makes it again, under its own call id (an awaited
                // call must, for the callback to come with its token).
                CallPhase::Running | CallPhase::Callback => self.dispatch(seq),
                // Its back-off timer is armed above; a failure waits for
                // an operator, as in the original.
                CallPhase::Backoff | CallPhase::Failed => {}
            }
        }
        let children: Vec<u32> = self
            .run
            .children
            .iter()
            .filter(|(_, c)| matches!(c.state, ChildState::Running))
            .map(|(i, _)| *i)
            .collect();
        for child in children {
            let run_id = self.env.run_id();
            let c = self.run.children.get_mut(&child).expect("listed above");
            c.run_id = run_id.clone();
            let (flow, start) = (c.flow.clone(), c.start.clone());
            self.journal(EntryKind::ChildStarted {
                run_id: run_id.clone(),
                flow: flow.clone(),
            });
            self.command(Command::StartChild {
                child,
                run_id,
                flow,
                start,
                depth: self.run.depth + 1,
            });
        }
    }
}

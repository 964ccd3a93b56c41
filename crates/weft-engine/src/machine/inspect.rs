//! Read-only views of a run for people and the API: what it waits for and
//! where its fibers stand in the source.

use crate::program::{Location, Program};
use crate::state::{FailureKind, RunState, Slot, Wait, Waiting};

use super::timer_key;

/// What the run waits for, for people and the API.
pub fn waiting_for(state: &RunState) -> Vec<Waiting> {
    let mut out = Vec::new();
    for fiber in state.fibers.values() {
        match &fiber.wait {
            Wait::Call(seq) => {
                if let Some(call) = state.calls.get(seq) {
                    let until = if call.awaited {
                        state
                            .timers
                            .get(&timer_key::await_timeout(*seq))
                            .map(|t| t.at)
                    } else {
                        None
                    };
                    out.push(Waiting::Activity {
                        activity: call.activity.clone(),
                        call_id: call.call_id.clone(),
                        callback: call.awaited,
                        token: call.token.clone(),
                        until,
                    });
                }
            }
            Wait::Timer(key) => {
                if let Some(timer) = state.timers.get(key) {
                    out.push(Waiting::Timer { until: timer.at });
                }
            }
            Wait::Child { child, .. } => {
                if let Some(child) = state.children.get(child) {
                    out.push(Waiting::Child {
                        run_id: child.run_id.clone(),
                        flow: child.flow.clone(),
                    });
                }
            }
            // Inline sub-flows in a parallel built-in's list are waited for
            // by the group, not by a fiber.
            Wait::Group(group) => {
                for slot in state.groups.get(group).into_iter().flat_map(|g| &g.slots) {
                    if let Slot::Child(child) = slot {
                        if let Some(child) = state.children.get(child) {
                            out.push(Waiting::Child {
                                run_id: child.run_id.clone(),
                                flow: child.flow.clone(),
                            });
                        }
                    }
                }
            }
            Wait::Ready | Wait::Failed => {}
        }
    }
    out
}

/// Where each branch of the run stands in the source (innermost frames):
/// the instruction it waits in, or the one it failed at or goes on with.
pub fn positions(program: &Program, state: &RunState) -> Vec<Location> {
    state
        .fibers
        .iter()
        .filter(|(_, f)| !matches!(f.wait, Wait::Group(_)))
        .filter_map(|(id, f)| Some((id, f, f.frames.last()?)))
        .filter_map(|(id, f, frame)| {
            // A fiber that waits has moved past the instruction it waits in;
            // one that failed in an expression, reads a running sub-flow's
            // handle or is ready points at the instruction it runs next.
            let at_next = match &f.wait {
                Wait::Ready | Wait::Child { push: false, .. } => true,
                Wait::Failed => matches!(
                    state.failures.get(id).map(|f| &f.kind),
                    Some(FailureKind::Expression) | None
                ),
                _ => false,
            };
            let pc = if at_next {
                frame.pc
            } else {
                frame.pc.saturating_sub(1)
            };
            program.locate(frame.func, pc)
        })
        .collect()
}

//! What a run waits for, read from its state: the record's `waiting`, for
//! people and the API. A view of the data, so the stores may derive it from
//! a snapshot (the SQLite store does, since its schema version 13).

use super::{timer_key, RunState, Slot, Wait, Waiting};

impl RunState {
    /// What the run waits for, for people and the API (a record's
    /// `waiting`).
    pub fn waiting(&self) -> Vec<Waiting> {
        let state = self;
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
                            acknowledged: call.phase == crate::state::CallPhase::Callback,
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
}

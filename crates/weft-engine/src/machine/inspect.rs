//! Read-only views of a run for people and the API: what it waits for and
//! where its fibers stand in the source.

use crate::program::{Location, Program};
use crate::state::{RunState, Wait, Waiting};

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
            Wait::Ready | Wait::Group(_) | Wait::Failed => {}
        }
    }
    out
}

/// Where each branch of the run stands in the source (innermost frames).
pub fn positions(program: &Program, state: &RunState) -> Vec<Location> {
    state
        .fibers
        .values()
        .filter(|f| !matches!(f.wait, Wait::Group(_)))
        .filter_map(|f| f.frames.last())
        .filter_map(|frame| program.locate(frame.func, frame.pc.saturating_sub(1)))
        .collect()
}

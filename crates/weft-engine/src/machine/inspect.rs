//! Read-only views of a run for people and the API: where its fibers
//! stand in the source, and their variables (what it waits for is the
//! state's own view, `RunState::waiting`).

use serde::Serialize;

use crate::program::{FuncId, Location, Program};
use crate::state::{FailureKind, RunState, Wait};
use crate::value::Value;

/// Where each branch of the run stands in the source (innermost frames):
/// the instruction it waits in, or the one it failed at or goes on with.
pub fn positions(program: &Program, state: &RunState) -> Vec<Location> {
    position_pcs(state)
        .filter_map(|(func, pc)| program.locate(func, pc))
        .collect()
}

/// The first of [`positions`] as `file:line`, the run record's `position`,
/// made without building the others (it is made at every step).
pub fn position_text(program: &Program, state: &RunState) -> Option<String> {
    let (file, line) = position_pcs(state).find_map(|(func, pc)| program.locate_line(func, pc))?;
    let mut text = String::with_capacity(file.len() + 11);
    text.push_str(file);
    text.push(':');
    crate::state::push_decimal(&mut text, line);
    Some(text)
}

/// The instruction each branch of [`positions`] stands at, in order.
fn position_pcs(state: &RunState) -> impl Iterator<Item = (FuncId, u32)> + '_ {
    state
        .fibers
        .iter()
        .filter(|(_, f)| !matches!(f.wait, Wait::Group(_)))
        .filter_map(|(id, f)| Some((id, f, f.frames.last()?)))
        .map(|(id, f, frame)| {
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
            (frame.func, pc)
        })
}

/// A branch of a run as people see it: where it stands and its variables.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiberView {
    /// The fiber's number (0 is the flow itself).
    pub fiber: u32,
    /// What it waits for, in a few words (`call 3`, `timer`, `sub-flow 1`,
    /// `branches`, `failed`, `ready`).
    pub wait: String,
    /// Its calls, outermost first.
    pub frames: Vec<FrameView>,
}

/// A function activation: where it stands and its variables.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameView {
    /// The flow's or function's name.
    pub function: String,
    /// Where it stands (the instruction it executes or waits on).
    pub location: Option<Location>,
    /// Its variables that have a name, in slot order, as JSON: functions
    /// are `{"function": name}`, sub-flow handles `{"subflow": run id}`.
    pub variables: Vec<(String, serde_json::Value)>,
}

/// A value as JSON for people: what has no JSON form is described.
fn show(state: &RunState, program: &Program, v: &Value) -> serde_json::Value {
    match v {
        Value::Closure(c) => serde_json::json!({"function": program.func(c.func).name}),
        Value::Handle(h) => serde_json::json!({
            "subflow": state.children.get(h).map(|c| c.run_id.clone())
        }),
        Value::List(items) => {
            serde_json::Value::Array(items.iter().map(|i| show(state, program, i)).collect())
        }
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), show(state, program, v)))
                .collect(),
        ),
        v => v.to_json().unwrap_or(serde_json::Value::Null),
    }
}

/// Every branch of the run with its frames and named variables (slots
/// without a name, the compiler's temporaries, are left out).
pub fn variables(program: &Program, state: &RunState) -> Vec<FiberView> {
    state
        .fibers
        .iter()
        .map(|(id, fiber)| FiberView {
            fiber: *id,
            wait: match &fiber.wait {
                Wait::Ready => "ready".into(),
                Wait::Call(seq) => format!("call {seq}"),
                Wait::Timer(_) => "timer".into(),
                Wait::Child { child, .. } => format!("sub-flow {child}"),
                Wait::Group(_) => "branches".into(),
                Wait::Failed => "failed".into(),
            },
            frames: fiber
                .frames
                .iter()
                .map(|frame| {
                    let f = program.func(frame.func);
                    FrameView {
                        function: f.name.clone(),
                        location: program.locate(frame.func, frame.pc.saturating_sub(1)),
                        variables: frame
                            .locals
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| {
                                let name = f.slot_names.get(i)?;
                                if name.is_empty() || name.starts_with(['$', '%', '#']) {
                                    return None;
                                }
                                Some((name.clone(), show(state, program, v)))
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

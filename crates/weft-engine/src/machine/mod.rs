//! The state machine of a run: `apply(state, event) -> (state', output)`.
//!
//! It does no I/O. Time, randomness and ids come from an [`Env`]; effects go
//! out as [`Command`]s for the host to carry out after it has committed the
//! new state with the journal entries. Because every effect leaves only
//! after the commit, a crash between two commits loses nothing that anyone
//! has seen: the host resumes from the last snapshot and the same commands
//! come out again, with the same call ids.
//!
//! # Rooms
//!
//! One [`Machine`] borrows the run's state for one step; its methods live in
//! the room of what they are about:
//!
//! | room | what it holds |
//! |---|---|
//! | `mod.rs` | the API ([`start`], [`apply`], ...), the event router, `Stop` |
//! | `exec.rs` | the scheduler: ready fibers, the step budget, decoding one instruction |
//! | `fiber.rs` | fibers and frames: accessors, the operand stack, spawning and killing |
//! | `values.rs` | instructions on values: variables, fields, paths, operators, lists, objects, loops |
//! | `functions.rs` | closures and built-ins: calls within the run, `return` |
//! | `calls.rs` | activity calls: annotations, attempts, retries and back-off, results, callbacks |
//! | `timers.rs` | `Sleep`/`WaitUntil`, and what each kind of timer does when it fires |
//! | `parallel.rs` | the parallel built-ins: groups of branches and how their results combine |
//! | `children.rs` | sub-flows: child runs, handles, a child's end |
//! | `repair.rs` | failures, and an operator's retry, resolve and cancel |
//! | `fork.rs` | a new run from a copy of another's state: what was outstanding goes out again under its name |
//! | `lifecycle.rs` | a fiber's end, the run's end, its status |
//! | `inspect.rs` | read-only views for people: where a run stands, its variables (what it waits for: `state/waiting.rs`) |
//!
//! [`crate::invariants`] states what is true of the state between two
//! events; the engine's tests and the simulator check it after every step.

mod calls;
mod children;
mod exec;
mod fiber;
mod fork;
mod functions;
mod inspect;
mod lifecycle;
mod parallel;
mod repair;
mod timers;
mod values;

use std::collections::VecDeque;
use thiserror::Error;

use crate::limits;
use crate::program::{FuncId, Program};
use crate::state::{Command, Entry, EntryKind, Event, RunState, Status, SNAPSHOT_VERSION};
use crate::value::{Closure, Value};

pub use inspect::{position_text, positions, variables, FiberView, FrameView};
pub(crate) use values::{describe, index};

// The timer keys are the state's (its `timers` map is keyed by them).
pub(crate) use crate::state::timer_key;

/// What the machine needs from the world.
pub trait Env {
    /// The current time (epoch ms). Virtual in tests.
    fn now(&self) -> i64;
    /// A fresh, unguessable callback token (at least 128 random bits).
    fn token(&mut self) -> String;
    /// A fresh run id for a child run.
    fn run_id(&mut self) -> String;
    /// A uniform number in `[0, 1)`, for back-off jitter.
    fn jitter(&mut self) -> f64;
}

/// What a transition produced: history to record and commands to carry out.
#[derive(Debug, Default)]
pub struct Output {
    /// Journal entries, in order.
    pub journal: Vec<Entry>,
    /// Commands, in order.
    pub commands: Vec<Command>,
}

/// Why an operator's action was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ActionError {
    /// Retry and resolve need a failed run.
    #[error("the run is {0}, not failed: only a failed run can be retried or resolved")]
    NotFailed(&'static str),
    /// The failure is in an expression, not a call.
    #[error(
        "the run failed evaluating an expression, not calling an activity: retry it or cancel it"
    )]
    NothingToResolve,
    /// The run has finished.
    #[error("the run is {0}: nothing can change it")]
    Finished(&'static str),
    /// The value is too large.
    #[error("the value is {0} bytes; the payload limit is {limit} bytes", limit = limits::PAYLOAD_BYTES_MAX)]
    PayloadTooLarge(usize),
    /// The value is nested or sized past what a value may be.
    #[error("the value cannot be used: {0}")]
    Value(String),
}

/// Binds a run's input to a flow's parameters: one parameter takes the whole
/// input; with several, an array gives them in order and an object by name.
/// Input nested or sized past what a value may be is refused, naming the
/// limit.
pub fn bind_input(
    program: &Program,
    func: FuncId,
    input: &serde_json::Value,
) -> Result<Vec<Value>, String> {
    let function = program.func(func);
    let count = function.params.len();
    let read = |v: Option<&serde_json::Value>| match v {
        Some(v) => Value::from_json(v).map_err(|e| format!("the run's input: {e}")),
        None => Ok(Value::Null),
    };
    match (count, input) {
        (0, _) => Ok(Vec::new()),
        (1, v) => Ok(vec![read(Some(v))?]),
        (_, serde_json::Value::Array(items)) => (0..count).map(|i| read(items.get(i))).collect(),
        (_, serde_json::Value::Object(fields)) => function
            .params
            .iter()
            .map(|slot| {
                read(
                    slot.and_then(|s| function.slot_names.get(s as usize))
                        .and_then(|name| fields.get(name)),
                )
            })
            .collect(),
        (_, v) => {
            let mut args = vec![read(Some(v))?];
            args.resize(count, Value::Null);
            Ok(args)
        }
    }
}

/// Starts a run of `func` and executes it up to its first wait (or to the
/// end of its first turn, see [`limits::TIME_SLICE`]).
///
/// A start that cannot even make the flow's first frame (a stored child
/// start whose arguments no longer fit its function) does not panic: the
/// run ends cancelled at once, with the reason in its journal, and its
/// parent hears that it was cancelled.
#[allow(clippy::too_many_arguments)]
pub fn start(
    program: &Program,
    run_id: String,
    func: FuncId,
    args: Vec<Value>,
    captures: Vec<Value>,
    input: serde_json::Value,
    depth: u32,
    env: &mut dyn Env,
) -> (RunState, Output) {
    let mut state = RunState {
        v: SNAPSHOT_VERSION,
        id: run_id,
        func,
        depth,
        fibers: Default::default(),
        ready: VecDeque::new(),
        next_fiber: 0,
        calls: Default::default(),
        next_call: 1,
        timers: Default::default(),
        children: Default::default(),
        next_child: 0,
        groups: Default::default(),
        next_group: 0,
        failures: Default::default(),
        status: Status::Running,
        result: None,
        steps: 0,
        segment: 0,
        events: 0,
    };
    let mut machine = Machine::new(program, &mut state, env, false);
    machine.journal(EntryKind::Started { input });
    let closure = Closure { func, captures };
    if let Err(message) = machine.spawn(&closure, args, None) {
        machine.run.status = Status::Cancelled;
        machine.journal(EntryKind::Cancelled {
            reason: format!("the run cannot start: {message}"),
        });
        machine.command(Command::Finished { result: None });
        let out = machine.out;
        return (state, out);
    }
    machine.run_ready();
    machine.end_turn();
    let out = machine.out;
    (state, out)
}

/// Applies one event and executes until every branch waits again (or to
/// the end of the run's turn, see [`limits::TIME_SLICE`]).
///
/// Events that no longer match the state (a late result of a timed-out
/// attempt, a timer that was cleared) change nothing, except that a timer
/// the run does not have is cleared from the store. Operator events on a
/// run that cannot take them return an error and change nothing.
pub fn apply(
    program: &Program,
    state: &mut RunState,
    event: Event,
    env: &mut dyn Env,
) -> Result<Output, ActionError> {
    if state.status.is_terminal() {
        return match event {
            Event::Retry | Event::Resolve { .. } | Event::Cancel { .. } => {
                Err(ActionError::Finished(state.status.as_str()))
            }
            // The run has no timers any more: the store's row is stale.
            Event::TimerFired { key } => Ok(Output {
                journal: Vec::new(),
                commands: vec![Command::ClearTimer { key }],
            }),
            _ => Ok(Output::default()),
        };
    }
    // A turn that goes on where the last one stopped keeps its segment's
    // budget; any other event starts a new segment.
    let continuing = matches!(&event, Event::TimerFired { key } if key == timer_key::CONTINUE);
    let from_outside = !continuing
        && !matches!(
            event,
            Event::Retry | Event::Resolve { .. } | Event::Cancel { .. }
        );
    let mut machine = Machine::new(program, state, env, continuing);
    match event {
        Event::CallCompleted {
            call,
            attempt,
            value,
        } => machine.call_completed(call, attempt, value),
        Event::CallFailed {
            call,
            attempt,
            error,
            retryable,
        } => machine.call_failed(call, attempt, error, retryable),
        Event::Callback { call, value } => machine.callback(call, value),
        Event::TimerFired { key } => machine.timer_fired(&key),
        Event::ChildFinished {
            child,
            run_id,
            result,
        } => {
            let child = match run_id {
                Some(id) => machine.child_index(&id),
                None => Some(child),
            };
            if let Some(child) = child {
                machine.child_finished(child, result)
            }
        }
        Event::Retry => machine.retry()?,
        Event::Resolve { value } => machine.resolve(value)?,
        Event::Cancel { reason } => machine.cancel(&reason),
    }
    if from_outside {
        machine.count_event();
    }
    machine.run_ready();
    machine.end_turn();
    Ok(machine.out)
}

/// Forks a run: `state` is a copy of another run's state after step
/// `step` of its journal (see [`crate::replay`]); it becomes run `run_id`,
/// a run of its own (no parent), whose outstanding calls go out again
/// under its ids, whose timers are armed again and whose running sub-flows
/// start again as its own. The journal begins with `Forked`.
pub fn fork(
    program: &Program,
    mut state: RunState,
    run_id: String,
    from: String,
    step: i64,
    env: &mut dyn Env,
) -> (RunState, Output) {
    state.id = run_id;
    let mut machine = Machine::new(program, &mut state, env, false);
    machine.take_over(from, step);
    machine.run_ready();
    machine.update_status();
    let out = machine.out;
    (state, out)
}

/// A fiber's id: its key in [`RunState::fibers`].
type FiberId = u32;

/// Why a fiber stops executing instructions.
///
/// Executing an instruction gives a [`Step`]: `Ok(())` goes on with the next
/// instruction, `Err(stop)` leaves the fiber's loop. It is a `Result` so
/// that `?` can stop the fiber from any depth (a push that meets the stack
/// limit, an operand still being computed by a sub-flow); a `Stop` is not
/// an error of the machine.
#[derive(Debug)]
enum Stop {
    /// The fiber waits; its [`crate::state::Wait`] says for what. Either the
    /// instruction is done and the event that wakes the fiber brings its
    /// value (a call's result is pushed), or the instruction was rewound and
    /// runs again when the fiber wakes (an operand was a running sub-flow).
    Wait,
    /// The fiber failed and its failure is recorded for an operator. An
    /// instruction that fails was rewound, with its operands back on the
    /// stack, so that a retry runs it again.
    Fail,
    /// The fiber's outermost function returned this value.
    Return(Value),
}

/// What executing one instruction did: go on, or stop the fiber.
type Step = Result<(), Stop>;

/// One step of one run: the program, the run's state, the world, and what
/// the step emits.
struct Machine<'a> {
    program: &'a Program,
    run: &'a mut RunState,
    env: &'a mut dyn Env,
    out: Output,
    /// Units of work left in this segment before it fails with the step
    /// budget.
    budget: u64,
    /// Units of work left in this turn before the run lets others go first.
    slice: u64,
}

impl<'a> Machine<'a> {
    /// A machine for one step; `continuing` when the step is the next turn
    /// of a segment, which keeps what is left of its budget.
    fn new(
        program: &'a Program,
        run: &'a mut RunState,
        env: &'a mut dyn Env,
        continuing: bool,
    ) -> Machine<'a> {
        let spent = if continuing { run.segment } else { 0 };
        run.segment = 0;
        // Whatever was counted before this step is not this step's work.
        crate::work::take();
        Machine {
            program,
            run,
            env,
            out: Output::default(),
            budget: limits::STEP_BUDGET.saturating_sub(spent),
            slice: limits::TIME_SLICE,
        }
    }

    /// Records a journal entry, stamped with the current time.
    fn journal(&mut self, kind: EntryKind) {
        self.out.journal.push(Entry {
            at: self.env.now(),
            kind,
        });
    }

    /// Emits a command for the host to carry out after the commit.
    fn command(&mut self, command: Command) {
        self.out.commands.push(command);
    }
}

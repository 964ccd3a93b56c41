//! The state machine of a run: `apply(state, event) -> (state', output)`.
//!
//! It does no I/O. Time, randomness and ids come from an [`Env`]; effects go
//! out as [`Command`]s for the host to carry out after it has committed the
//! new state with the journal entries. Because every effect leaves only
//! after the commit, a crash between two commits loses nothing that anyone
//! has seen: the host resumes from the last snapshot and the same commands
//! come out again, with the same call ids.

use std::collections::VecDeque;
use std::sync::Arc;
use thiserror::Error;
use weft_syntax::lang::{self, BuiltinKind};

use crate::builtins;
use crate::limits;
use crate::ops;
use crate::program::*;
use crate::state::*;
use crate::value::{error_value, timeout_value, Closure, Map, Value};

/// The keys of a run's timers: each says what the timer is for, and is
/// unique in the run (the store keeps one row per run and key).
pub(crate) mod timer_key {
    /// The `@timeout` of one attempt of a call.
    pub fn attempt(call: u32, attempt: u32) -> String {
        format!("attempt:{call}:{attempt}")
    }

    /// The back-off before a call's next attempt.
    pub fn backoff(call: u32) -> String {
        format!("backoff:{call}")
    }

    /// The `@timeout` of an awaited call's whole wait.
    pub fn await_timeout(call: u32) -> String {
        format!("await:{call}")
    }

    /// A fiber's `Sleep` or `WaitUntil`.
    pub fn sleep(fiber: u32) -> String {
        format!("sleep:{fiber}")
    }
}

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
}

/// Binds a run's input to a flow's parameters: one parameter takes the whole
/// input; with several, an array gives them in order and an object by name.
pub fn bind_input(program: &Program, func: FuncId, input: &serde_json::Value) -> Vec<Value> {
    let f = program.func(func);
    let n = f.params.len();
    match (n, input) {
        (0, _) => Vec::new(),
        (1, v) => vec![Value::from_json(v)],
        (_, serde_json::Value::Array(items)) => (0..n)
            .map(|i| items.get(i).map(Value::from_json).unwrap_or_default())
            .collect(),
        (_, serde_json::Value::Object(m)) => f
            .params
            .iter()
            .map(|slot| {
                slot.and_then(|s| f.slot_names.get(s as usize))
                    .and_then(|name| m.get(name))
                    .map(Value::from_json)
                    .unwrap_or_default()
            })
            .collect(),
        (_, v) => {
            let mut args = vec![Value::from_json(v)];
            args.resize(n, Value::Null);
            args
        }
    }
}

/// Starts a run of `func` and executes it up to its first wait.
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
    };
    let mut m = Machine::new(program, &mut state, env);
    m.journal(EntryKind::Started { input });
    let closure = Closure { func, captures };
    m.spawn(&closure, args, None)
        .expect("the first fiber fits every limit");
    m.run_ready();
    m.update_status();
    let out = m.out;
    (state, out)
}

/// Applies one event and executes until every branch waits again.
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
    let mut m = Machine::new(program, state, env);
    match event {
        Event::CallCompleted {
            call,
            attempt,
            value,
        } => m.call_completed(call, attempt, value),
        Event::CallFailed {
            call,
            attempt,
            error,
            retryable,
        } => m.call_failed(call, attempt, error, retryable),
        Event::Callback { call, value } => m.callback(call, value),
        Event::TimerFired { key } => m.timer_fired(&key),
        Event::ChildFinished {
            child,
            run_id,
            result,
        } => {
            let child = match run_id {
                Some(id) => m.child_index(&id),
                None => Some(child),
            };
            if let Some(child) = child {
                m.child_finished(child, result)
            }
        }
        Event::Retry => m.retry()?,
        Event::Resolve { value } => m.resolve(value)?,
        Event::Cancel { reason } => m.cancel(&reason),
    }
    m.run_ready();
    m.update_status();
    Ok(m.out)
}

/// What the run waits for, for people and the API.
pub fn waiting_for(state: &RunState) -> Vec<Waiting> {
    let mut out = Vec::new();
    for fiber in state.fibers.values() {
        match &fiber.wait {
            Wait::Call(seq) => {
                if let Some(c) = state.calls.get(seq) {
                    let until = if c.awaited {
                        state.timers.get(&format!("await:{seq}")).map(|t| t.at)
                    } else {
                        None
                    };
                    out.push(Waiting::Activity {
                        activity: c.activity.clone(),
                        call_id: c.call_id.clone(),
                        callback: c.awaited,
                        token: c.token.clone(),
                        until,
                    });
                }
            }
            Wait::Timer(key) => {
                if let Some(t) = state.timers.get(key) {
                    out.push(Waiting::Timer { until: t.at });
                }
            }
            Wait::Child { child, .. } => {
                if let Some(c) = state.children.get(child) {
                    out.push(Waiting::Child {
                        run_id: c.run_id.clone(),
                        flow: c.flow.clone(),
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
        .filter_map(|fr| program.locate(fr.func, fr.pc.saturating_sub(1)))
        .collect()
}

/// Where a branch stopped after an instruction, as a result of executing it.
enum Step {
    Next,
    Blocked,
    Failed,
    Done(Value),
}

struct Machine<'a> {
    p: &'a Program,
    s: &'a mut RunState,
    env: &'a mut dyn Env,
    out: Output,
    budget: u64,
}

impl<'a> Machine<'a> {
    fn new(p: &'a Program, s: &'a mut RunState, env: &'a mut dyn Env) -> Machine<'a> {
        Machine {
            p,
            s,
            env,
            out: Output::default(),
            budget: limits::STEP_BUDGET,
        }
    }

    fn journal(&mut self, kind: EntryKind) {
        self.out.journal.push(Entry {
            at: self.env.now(),
            kind,
        });
    }

    fn cmd(&mut self, c: Command) {
        self.out.commands.push(c);
    }

    fn fiber(&mut self, fid: u32) -> &mut Fiber {
        self.s.fibers.get_mut(&fid).expect("fiber exists")
    }

    fn make_ready(&mut self, fid: u32) {
        if let Some(f) = self.s.fibers.get_mut(&fid) {
            f.wait = Wait::Ready;
            self.s.ready.push_back(fid);
        }
    }

    /// Pushes `v` on the fiber's stack and makes it ready.
    fn resume_with(&mut self, fid: u32, v: Value) {
        if let Some(f) = self.s.fibers.get_mut(&fid) {
            f.stack.push(v);
        }
        self.make_ready(fid);
    }

    fn location(&self, func: FuncId, pc: u32) -> Option<Location> {
        self.p.locate(func, pc)
    }

    fn here(&self, fid: u32) -> (FuncId, u32) {
        let f = &self.s.fibers[&fid];
        let fr = f.frames.last().expect("a running fiber has a frame");
        (fr.func, fr.pc)
    }

    // ----- fibers -----

    /// Starts a branch that calls `closure` with `args`.
    fn spawn(
        &mut self,
        closure: &Closure,
        args: Vec<Value>,
        owner: Option<(u32, u32)>,
    ) -> Result<u32, String> {
        if self.s.fibers.len() >= limits::FIBERS_MAX {
            return Err(format!(
                "more than {} concurrent branches in one run",
                limits::FIBERS_MAX
            ));
        }
        let fid = self.s.next_fiber;
        self.s.next_fiber += 1;
        let frame = self.frame(closure, args, 0)?;
        self.s.fibers.insert(
            fid,
            Fiber {
                frames: vec![frame],
                stack: Vec::new(),
                wait: Wait::Ready,
                owner,
            },
        );
        self.s.ready.push_back(fid);
        Ok(fid)
    }

    fn frame(&self, closure: &Closure, args: Vec<Value>, base: usize) -> Result<Frame, String> {
        let f = self.p.functions.get(closure.func as usize).ok_or_else(|| {
            format!(
                "function {} does not exist in this program version",
                closure.func
            )
        })?;
        let mut locals = vec![Value::Null; f.slot_names.len()];
        for (c, v) in f.captures.iter().zip(closure.captures.iter()) {
            locals[c.slot as usize] = v.clone();
        }
        if args.len() > f.params.len() {
            return Err(format!(
                "`{}` takes {} argument(s) but was given {}",
                f.name,
                f.params.len(),
                args.len()
            ));
        }
        for (slot, v) in f.params.iter().zip(args) {
            if let Some(slot) = slot {
                locals[*slot as usize] = v;
            }
        }
        Ok(Frame {
            func: closure.func,
            pc: 0,
            locals,
            base: base as u32,
        })
    }

    /// Removes a fiber and everything it waits on.
    fn kill_fiber(&mut self, fid: u32) {
        let Some(fiber) = self.s.fibers.remove(&fid) else {
            return;
        };
        self.s.ready.retain(|&f| f != fid);
        self.s.failures.remove(&fid);
        match fiber.wait {
            Wait::Call(seq) => self.drop_call(seq),
            Wait::Timer(key) => {
                if self.s.timers.remove(&key).is_some() {
                    self.cmd(Command::ClearTimer { key });
                }
            }
            Wait::Child { child, push: true } => self.cancel_child(child),
            Wait::Group(g) => {
                if let Some(group) = self.s.groups.remove(&g) {
                    for slot in group.slots {
                        if let Slot::Fiber(b) = slot {
                            self.kill_fiber(b);
                        }
                    }
                }
            }
            Wait::Child { push: false, .. } | Wait::Ready | Wait::Failed => {}
        }
        // A failed call of this fiber is dropped too.
        let orphaned: Vec<u32> = self
            .s
            .calls
            .iter()
            .filter(|(_, c)| c.fiber == fid)
            .map(|(&k, _)| k)
            .collect();
        for seq in orphaned {
            self.drop_call(seq);
        }
    }

    fn cancel_child(&mut self, child: u32) {
        if let Some(c) = self.s.children.get_mut(&child) {
            if matches!(c.state, ChildState::Running) {
                c.state = ChildState::Cancelled;
                let run_id = c.run_id.clone();
                self.cmd(Command::CancelChild { run_id });
            }
        }
    }

    /// Forgets a call: its task, timers and token stop mattering.
    fn drop_call(&mut self, seq: u32) {
        let Some(c) = self.s.calls.remove(&seq) else {
            return;
        };
        for key in [
            format!("attempt:{seq}:{}", c.attempt),
            format!("backoff:{seq}"),
            format!("await:{seq}"),
        ] {
            if self.s.timers.remove(&key).is_some() {
                self.cmd(Command::ClearTimer { key });
            }
        }
        self.cmd(Command::CancelTask {
            call_id: c.call_id,
            callback_token: c.token,
        });
    }

    fn fail(&mut self, fid: u32, kind: FailureKind, message: String, at: (FuncId, u32)) {
        let location = self.location(at.0, at.1);
        self.journal(EntryKind::Failed {
            error: message.clone(),
            location: location.clone(),
        });
        self.s.failures.insert(
            fid,
            Failure {
                kind,
                message,
                location,
            },
        );
        if let Some(f) = self.s.fibers.get_mut(&fid) {
            f.wait = Wait::Failed;
        }
    }

    /// Fails the fiber at its current instruction, which runs again on retry.
    fn fail_here(&mut self, fid: u32, message: String) -> Step {
        let (func, pc) = self.here(fid);
        self.fail(fid, FailureKind::Expression, message, (func, pc));
        Step::Failed
    }

    // ----- running -----

    fn run_ready(&mut self) {
        while let Some(fid) = self.s.ready.pop_front() {
            let Some(f) = self.s.fibers.get(&fid) else {
                continue;
            };
            if f.wait != Wait::Ready {
                continue;
            }
            self.exec(fid);
            if self.s.status.is_terminal() {
                break;
            }
        }
    }

    fn exec(&mut self, fid: u32) {
        loop {
            if self.budget == 0 {
                self.fail_here(
                    fid,
                    format!(
                        "the run executed {} instructions without waiting (the step budget of one segment); does a loop never call anything?",
                        limits::STEP_BUDGET
                    ),
                );
                self.budget = limits::STEP_BUDGET;
                return;
            }
            self.budget -= 1;
            self.s.steps += 1;
            match self.step(fid) {
                Step::Next => {}
                Step::Blocked | Step::Failed => return,
                Step::Done(v) => {
                    self.fiber_done(fid, v);
                    return;
                }
            }
        }
    }

    /// Makes sure the top `n` operands hold no running sub-flow (deeply when
    /// `deep`): finished handles are replaced by results; a running one
    /// blocks the fiber (the instruction runs again when it finishes).
    fn settle_operands(&mut self, fid: u32, n: usize, deep: bool) -> Result<(), Step> {
        let len = self.s.fibers[&fid].stack.len();
        for i in len.saturating_sub(n)..len {
            let v = &self.s.fibers[&fid].stack[i];
            let has = if deep {
                v.has_handle()
            } else {
                matches!(v, Value::Handle(_))
            };
            if !has {
                continue;
            }
            let children = &self.s.children;
            let resolved = v.replace_handles(&|h| match children.get(&h).map(|c| &c.state) {
                Some(ChildState::Completed(r)) => Some(r.clone()),
                _ => None,
            });
            match resolved {
                Some(r) => self.fiber(fid).stack[i] = r,
                None => {
                    let h = v.first_handle().expect("has a handle");
                    let cancelled = matches!(
                        self.s.children.get(&h).map(|c| &c.state),
                        Some(ChildState::Cancelled) | None
                    );
                    if cancelled {
                        let flow = self
                            .s
                            .children
                            .get(&h)
                            .map(|c| c.flow.clone())
                            .unwrap_or_default();
                        return Err(self.fail_here(
                            fid,
                            format!("sub-flow `{flow}` was cancelled, so it has no result"),
                        ));
                    }
                    self.fiber(fid).wait = Wait::Child {
                        child: h,
                        push: false,
                    };
                    return Err(Step::Blocked);
                }
            }
        }
        Ok(())
    }

    fn pop(&mut self, fid: u32) -> Value {
        self.fiber(fid)
            .stack
            .pop()
            .expect("compiler keeps the stack balanced")
    }

    fn pop_n(&mut self, fid: u32, n: usize) -> Vec<Value> {
        let stack = &mut self.fiber(fid).stack;
        let at = stack.len() - n;
        stack.split_off(at)
    }

    fn push(&mut self, fid: u32, v: Value) -> Result<(), Step> {
        let f = self.fiber(fid);
        if f.stack.len() >= limits::STACK_MAX {
            return Err(self.fail_here(
                fid,
                format!("operand stack deeper than {}", limits::STACK_MAX),
            ));
        }
        f.stack.push(v);
        Ok(())
    }

    fn step(&mut self, fid: u32) -> Step {
        let (func, pc) = self.here(fid);
        let p = self.p;
        let Some(op) = p.func(func).code.get(pc as usize) else {
            return self.fail_here(fid, "instruction out of range (corrupt snapshot?)".into());
        };
        let settle = match op {
            Op::Unary(_)
            | Op::GetField(_)
            | Op::JumpIfFalse(_)
            | Op::JumpIfFalseKeep(_)
            | Op::JumpIfTrueKeep(_)
            | Op::IterInit { .. }
            | Op::ObjSpread
            | Op::Parallel(_) => Some((1, false)),
            Op::Binary(_) | Op::GetIndex | Op::ParallelForEach => Some((2, false)),
            Op::SetPath { depth, .. } => Some((*depth as usize + 1, false)),
            Op::CallClosure(argc) => Some((*argc as usize + 1, false)),
            Op::CallBuiltin { argc, .. } | Op::CallFunc { argc, .. } => {
                Some((*argc as usize, false))
            }
            Op::CallFlow { func: target, argc } => {
                Some((*argc as usize + p.func(*target).captures.len(), true))
            }
            Op::StartInline(target) => {
                let f = p.func(*target);
                Some((f.params.len() + f.captures.len(), true))
            }
            Op::CallActivity(spec) => Some((call_arity(&p.calls[*spec as usize]), true)),
            Op::Return => Some((1, self.s.fibers[&fid].frames.len() == 1)),
            _ => None,
        };
        if let Some((n, deep)) = settle {
            if let Err(step) = self.settle_operands(fid, n, deep) {
                return step;
            }
        }
        self.fiber(fid).frames.last_mut().expect("frame").pc = pc + 1;
        match self.op(fid, op) {
            Ok(step) => step,
            Err(step) => step,
        }
    }

    /// Jumps within the current frame.
    fn jump(&mut self, fid: u32, to: u32) {
        self.fiber(fid).frames.last_mut().expect("frame").pc = to;
    }

    /// Undoes the pc increment and pushes operands back: the instruction
    /// will run again (after a retry) with the same operands.
    fn restore(&mut self, fid: u32, operands: Vec<Value>) {
        let f = self.fiber(fid);
        f.stack.extend(operands);
        let fr = f.frames.last_mut().expect("frame");
        fr.pc -= 1;
    }

    fn op(&mut self, fid: u32, op: &Op) -> Result<Step, Step> {
        let p = self.p;
        match op {
            Op::Const(c) => self.push(fid, p.consts[*c as usize].clone())?,
            Op::Null => self.push(fid, Value::Null)?,
            Op::Bool(b) => self.push(fid, Value::Bool(*b))?,
            Op::Load(slot) => {
                let v =
                    self.fiber(fid).frames.last().expect("frame").locals[*slot as usize].clone();
                let v = match v {
                    Value::Handle(h) => match self.s.children.get(&h).map(|c| &c.state) {
                        Some(ChildState::Completed(r)) => {
                            let r = r.clone();
                            self.fiber(fid).frames.last_mut().expect("frame").locals
                                [*slot as usize] = r.clone();
                            r
                        }
                        Some(ChildState::Running) => {
                            self.fiber(fid).frames.last_mut().expect("frame").pc -= 1;
                            self.fiber(fid).wait = Wait::Child {
                                child: h,
                                push: false,
                            };
                            return Ok(Step::Blocked);
                        }
                        _ => {
                            self.fiber(fid).frames.last_mut().expect("frame").pc -= 1;
                            let flow = self
                                .s
                                .children
                                .get(&h)
                                .map(|c| c.flow.clone())
                                .unwrap_or_default();
                            return Err(self.fail_here(
                                fid,
                                format!("sub-flow `{flow}` was cancelled, so it has no result"),
                            ));
                        }
                    },
                    other => other,
                };
                self.push(fid, v)?;
            }
            Op::Store(slot) => {
                let v = self.pop(fid);
                self.fiber(fid).frames.last_mut().expect("frame").locals[*slot as usize] = v;
            }
            Op::NameError(msg) => {
                self.restore(fid, Vec::new());
                return Err(self.fail_here(fid, p.consts[*msg as usize].to_text()));
            }
            Op::Pop => {
                self.pop(fid);
            }
            Op::GetField(k) => {
                let obj = self.pop(fid);
                let key = p.consts[*k as usize].to_text();
                match &obj {
                    Value::Object(m) => {
                        let v = m.get(&key).cloned().unwrap_or_default();
                        self.push(fid, v)?;
                    }
                    other => {
                        let msg = format!("cannot read field `{key}` of {}", describe(other));
                        self.restore(fid, vec![obj]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::GetIndex => {
                let idx = self.pop(fid);
                let obj = self.pop(fid);
                match index(&obj, &idx) {
                    Ok(v) => self.push(fid, v)?,
                    Err(msg) => {
                        self.restore(fid, vec![obj, idx]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::SetPath { slot, depth, op } => {
                let value = self.pop(fid);
                let keys = self.pop_n(fid, *depth as usize);
                let root = std::mem::take(
                    &mut self.fiber(fid).frames.last_mut().expect("frame").locals[*slot as usize],
                );
                let mut new_root = root.clone();
                match set_path(&mut new_root, &keys, value.clone(), *op) {
                    Ok(()) => {
                        self.fiber(fid).frames.last_mut().expect("frame").locals[*slot as usize] =
                            new_root;
                    }
                    Err(msg) => {
                        self.fiber(fid).frames.last_mut().expect("frame").locals[*slot as usize] =
                            root;
                        let mut operands = keys;
                        operands.push(value);
                        self.restore(fid, operands);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::Unary(uop) => {
                let v = self.pop(fid);
                match ops::unary(*uop, &v) {
                    Ok(r) => self.push(fid, r)?,
                    Err(msg) => {
                        self.restore(fid, vec![v]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::Binary(bop) => {
                let b = self.pop(fid);
                let a = self.pop(fid);
                match ops::binary(*bop, &a, &b) {
                    Ok(r) => self.push(fid, r)?,
                    Err(msg) => {
                        self.restore(fid, vec![a, b]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::Jump(to) => self.jump(fid, *to),
            Op::JumpIfFalse(to) => {
                if !self.pop(fid).truthy() {
                    self.jump(fid, *to);
                }
            }
            Op::JumpIfFalseKeep(to) => {
                let truthy = self.fiber(fid).stack.last().expect("operand").truthy();
                if truthy {
                    self.pop(fid);
                } else {
                    self.jump(fid, *to);
                }
            }
            Op::JumpIfTrueKeep(to) => {
                let truthy = self.fiber(fid).stack.last().expect("operand").truthy();
                if truthy {
                    self.jump(fid, *to);
                } else {
                    self.pop(fid);
                }
            }
            Op::NewList => self.push(fid, Value::list(Vec::new()))?,
            Op::ListPush => {
                let v = self.pop(fid);
                let too_long = match self.fiber(fid).stack.last_mut() {
                    Some(Value::List(items)) => {
                        if items.len() >= limits::LIST_LEN_MAX {
                            true
                        } else {
                            Arc::make_mut(items).push(v.clone());
                            false
                        }
                    }
                    _ => unreachable!("the compiler pushes a list first"),
                };
                if too_long {
                    self.restore(fid, vec![v]);
                    return Err(self.fail_here(
                        fid,
                        format!(
                            "list longer than the limit of {} elements",
                            limits::LIST_LEN_MAX
                        ),
                    ));
                }
            }
            Op::NewObject => self.push(fid, Value::object(Map::new()))?,
            Op::ObjSet(k) => {
                let v = self.pop(fid);
                let key = p.consts[*k as usize].to_text();
                match self.fiber(fid).stack.last_mut() {
                    Some(Value::Object(m)) => {
                        Arc::make_mut(m).insert(key, v);
                    }
                    _ => unreachable!("the compiler pushes an object first"),
                }
            }
            Op::ObjSpread => {
                let src = self.pop(fid);
                match &src {
                    Value::Object(from) => match self.fiber(fid).stack.last_mut() {
                        Some(Value::Object(m)) => {
                            let m = Arc::make_mut(m);
                            for (k, v) in from.iter() {
                                // Later keys win: a spread replaces earlier fields.
                                m.shift_remove(k);
                                m.insert(k.clone(), v.clone());
                            }
                        }
                        _ => unreachable!("the compiler pushes an object first"),
                    },
                    Value::Null => {}
                    other => {
                        let msg = format!(
                            "cannot spread {} into an object (`..` needs an object)",
                            describe(other)
                        );
                        self.restore(fid, vec![src]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::IterInit { list, index } => {
                let it = self.pop(fid);
                let items = match &it {
                    Value::List(_) => it.clone(),
                    Value::Object(m) => Value::list(m.keys().map(|k| Value::str(k)).collect()),
                    Value::Str(s) => Value::list(
                        s.chars()
                            .map(|c| Value::str(c.encode_utf8(&mut [0; 4])))
                            .collect(),
                    ),
                    other => {
                        let msg = format!(
                            "cannot iterate over {} (`for` needs a list, an object or a string)",
                            describe(other)
                        );
                        self.restore(fid, vec![it]);
                        return Err(self.fail_here(fid, msg));
                    }
                };
                let fr = self.fiber(fid).frames.last_mut().expect("frame");
                fr.locals[*list as usize] = items;
                fr.locals[*index as usize] = Value::Int(0);
            }
            Op::IterNext {
                list,
                index,
                var,
                exit,
            } => {
                let fr = self.fiber(fid).frames.last_mut().expect("frame");
                let i = match fr.locals[*index as usize] {
                    Value::Int(i) => i as usize,
                    _ => 0,
                };
                let next = match &fr.locals[*list as usize] {
                    Value::List(items) => items.get(i).cloned(),
                    _ => None,
                };
                match next {
                    Some(v) => {
                        fr.locals[*var as usize] = v;
                        fr.locals[*index as usize] = Value::Int(i as i64 + 1);
                    }
                    None => {
                        fr.locals[*list as usize] = Value::Null;
                        fr.pc = *exit;
                    }
                }
            }
            Op::MakeClosure(target) => {
                let n = p.func(*target).captures.len();
                let captures = self.pop_n(fid, n);
                self.push(
                    fid,
                    Value::Closure(Arc::new(Closure {
                        func: *target,
                        captures,
                    })),
                )?;
            }
            Op::CallClosure(argc) => {
                let args = self.pop_n(fid, *argc as usize);
                let callee = self.pop(fid);
                let Value::Closure(c) = &callee else {
                    let msg = format!(
                        "cannot call {}: only functions can be called",
                        describe(&callee)
                    );
                    let mut operands = vec![callee];
                    operands.extend(args);
                    self.restore(fid, operands);
                    return Err(self.fail_here(fid, msg));
                };
                let c = c.clone();
                return self.enter(fid, &c, args, callee);
            }
            Op::CallFunc { func: target, argc } => {
                let args = self.pop_n(fid, *argc as usize);
                let c = Closure {
                    func: *target,
                    captures: Vec::new(),
                };
                return self.enter(fid, &c, args, Value::Null);
            }
            Op::CallBuiltin { id, argc } => return self.builtin(fid, *id, *argc as usize),
            Op::CallFlow { func: target, argc } => {
                let args = self.pop_n(fid, *argc as usize);
                let captures = self.pop_n(fid, p.func(*target).captures.len());
                return self.call_flow(fid, *target, args, captures);
            }
            Op::StartInline(target) => {
                let f = p.func(*target);
                let inputs = self.pop_n(fid, f.params.len());
                let captures = self.pop_n(fid, f.captures.len());
                match self.start_child(*target, inputs.clone(), captures.clone()) {
                    Ok(child) => self.push(fid, Value::Handle(child))?,
                    Err(msg) => {
                        let mut operands = captures;
                        operands.extend(inputs);
                        self.restore(fid, operands);
                        return Err(self.fail_here(fid, msg));
                    }
                }
            }
            Op::CallActivity(spec) => return self.call_activity(fid, *spec),
            Op::Parallel(mode) => {
                let list = self.pop(fid);
                let Value::List(items) = &list else {
                    let msg = format!("a parallel built-in needs a list, not {}", describe(&list));
                    self.restore(fid, vec![list]);
                    return Err(self.fail_here(fid, msg));
                };
                let items: Vec<(Value, Option<Value>)> =
                    items.iter().map(|v| (v.clone(), None)).collect();
                return self.parallel(fid, *mode, items, vec![list]);
            }
            Op::ParallelForEach => {
                let f = self.pop(fid);
                let list = self.pop(fid);
                let (Value::List(items), Value::Closure(_)) = (&list, &f) else {
                    let msg = format!(
                        "ParallelForEach needs a list and a function, not {} and {}",
                        describe(&list),
                        describe(&f)
                    );
                    self.restore(fid, vec![list, f]);
                    return Err(self.fail_here(fid, msg));
                };
                let items: Vec<(Value, Option<Value>)> =
                    items.iter().map(|v| (f.clone(), Some(v.clone()))).collect();
                return self.parallel(fid, ParallelMode::Execute, items, vec![list, f]);
            }
            Op::Return => {
                let v = self.pop(fid);
                let is_result =
                    self.s.fibers[&fid].frames.len() == 1 && self.s.fibers[&fid].owner.is_none();
                if is_result {
                    // The flow's result leaves the flow: it must be JSON and fit.
                    let problem = match v.to_json() {
                        Err(e) => Some(format!("the flow's result: {e}")),
                        Ok(j) => {
                            let size = serde_json::to_vec(&j).map(|b| b.len()).unwrap_or(0);
                            (size > limits::PAYLOAD_BYTES_MAX).then(|| {
                                format!(
                                    "the flow's result is {size} bytes; the payload limit is {} bytes",
                                    limits::PAYLOAD_BYTES_MAX
                                )
                            })
                        }
                    };
                    if let Some(msg) = problem {
                        self.restore(fid, vec![v]);
                        return Err(self.fail_here(fid, msg));
                    }
                }
                let f = self.fiber(fid);
                let frame = f.frames.pop().expect("frame");
                f.stack.truncate(frame.base as usize);
                if f.frames.is_empty() {
                    return Ok(Step::Done(v));
                }
                self.push(fid, v)?;
            }
        }
        Ok(Step::Next)
    }

    /// Calls a function in this run: a new frame on the fiber.
    fn enter(
        &mut self,
        fid: u32,
        c: &Closure,
        args: Vec<Value>,
        callee: Value,
    ) -> Result<Step, Step> {
        if self.s.fibers[&fid].frames.len() >= limits::FRAMES_MAX {
            let mut operands = vec![callee];
            operands.extend(args);
            self.restore(fid, operands);
            return Err(self.fail_here(
                fid,
                format!("closure calls nested deeper than {}", limits::FRAMES_MAX),
            ));
        }
        let base = self.s.fibers[&fid].stack.len();
        match self.frame(c, args.clone(), base) {
            Ok(frame) => {
                self.fiber(fid).frames.push(frame);
                Ok(Step::Next)
            }
            Err(msg) => {
                let mut operands = if matches!(callee, Value::Null) {
                    Vec::new()
                } else {
                    vec![callee]
                };
                operands.extend(args);
                self.restore(fid, operands);
                Err(self.fail_here(fid, msg))
            }
        }
    }

    fn builtin(&mut self, fid: u32, id: u16, argc: usize) -> Result<Step, Step> {
        let b = &lang::BUILTINS[id as usize];
        let args = self.pop_n(fid, argc);
        if argc < b.args_min || argc > b.args_max {
            let msg = format!(
                "{}() takes {} argument(s), not {argc}",
                b.name,
                arity_text(b.args_min, b.args_max)
            );
            self.restore(fid, args);
            return Err(self.fail_here(fid, msg));
        }
        let result = match b.name {
            "now" => {
                let now = self.env.now();
                self.journal(EntryKind::Now { value: now });
                Ok(Value::Time(now))
            }
            "Sleep" | "WaitUntil" => {
                let now = self.env.now();
                let (at, value) = if b.name == "Sleep" {
                    match args[0].coerce_duration() {
                        Some(d) => (now.saturating_add(d.max(0)), Value::Null),
                        None => {
                            let msg =
                                format!("Sleep() needs a duration, not {}", describe(&args[0]));
                            self.restore(fid, args);
                            return Err(self.fail_here(fid, msg));
                        }
                    }
                } else {
                    match args[0].coerce_time() {
                        Some(t) => (t, Value::Time(t)),
                        None => {
                            let msg =
                                format!("WaitUntil() needs a time, not {}", describe(&args[0]));
                            self.restore(fid, args);
                            return Err(self.fail_here(fid, msg));
                        }
                    }
                };
                if at <= now {
                    Ok(value)
                } else {
                    let key = format!("sleep:{fid}");
                    self.s.timers.insert(
                        key.clone(),
                        Timer {
                            at,
                            kind: TimerKind::Sleep { fiber: fid, value },
                        },
                    );
                    self.cmd(Command::SetTimer {
                        key: key.clone(),
                        at,
                    });
                    self.journal(EntryKind::TimerStarted { until: at });
                    self.fiber(fid).wait = Wait::Timer(key);
                    return Ok(Step::Blocked);
                }
            }
            name => {
                debug_assert_eq!(b.kind, BuiltinKind::Pure);
                builtins::call_pure(name, &args)
                    .unwrap_or_else(|| Err(format!("{name}() cannot be called here")))
            }
        };
        match result {
            Ok(v) => {
                self.push(fid, v)?;
                Ok(Step::Next)
            }
            Err(msg) => {
                self.restore(fid, args);
                Err(self.fail_here(fid, msg))
            }
        }
    }

    // ----- sub-flows -----

    fn start_child(
        &mut self,
        func: FuncId,
        args: Vec<Value>,
        captures: Vec<Value>,
    ) -> Result<u32, String> {
        if self.s.depth + 1 > limits::FLOW_DEPTH_MAX {
            return Err(format!(
                "sub-flows nested deeper than {} (a recursion that never ends?)",
                limits::FLOW_DEPTH_MAX
            ));
        }
        let f = self.p.func(func);
        let mut input = serde_json::Map::new();
        for (i, v) in args.iter().enumerate() {
            let label = f
                .param_labels
                .get(i)
                .filter(|l| !l.is_empty())
                .cloned()
                .or_else(|| {
                    f.params
                        .get(i)
                        .copied()
                        .flatten()
                        .map(|s| f.slot_names[s as usize].clone())
                })
                .unwrap_or_else(|| format!("arg{i}"));
            input.insert(
                label,
                v.to_json()
                    .map_err(|e| format!("input `{}` of sub-flow `{}`: {e}", i + 1, f.name))?,
            );
        }
        for v in &captures {
            v.to_json()
                .map_err(|e| format!("a variable captured by sub-flow `{}`: {e}", f.name))?;
        }
        let input = serde_json::Value::Object(input);
        let size = serde_json::to_vec(&input).map(|v| v.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(format!(
                "the input of sub-flow `{}` is {size} bytes; the payload limit is {} bytes",
                f.name,
                limits::PAYLOAD_BYTES_MAX
            ));
        }
        let child = self.s.next_child;
        self.s.next_child += 1;
        let run_id = self.env.run_id();
        let start = ChildStart {
            func,
            args,
            captures,
            input,
        };
        self.s.children.insert(
            child,
            Child {
                run_id: run_id.clone(),
                flow: f.name.clone(),
                state: ChildState::Running,
                start: start.clone(),
            },
        );
        self.journal(EntryKind::ChildStarted {
            run_id: run_id.clone(),
            flow: f.name.clone(),
        });
        self.cmd(Command::StartChild {
            child,
            run_id,
            flow: f.name.clone(),
            start,
            depth: self.s.depth + 1,
        });
        Ok(child)
    }

    fn call_flow(
        &mut self,
        fid: u32,
        target: FuncId,
        args: Vec<Value>,
        captures: Vec<Value>,
    ) -> Result<Step, Step> {
        match self.start_child(target, args.clone(), captures.clone()) {
            Ok(child) => {
                self.fiber(fid).wait = Wait::Child { child, push: true };
                Ok(Step::Blocked)
            }
            Err(msg) => {
                let mut operands = captures;
                operands.extend(args);
                self.restore(fid, operands);
                Err(self.fail_here(fid, msg))
            }
        }
    }

    /// The index of the child run with this id.
    fn child_index(&self, run_id: &str) -> Option<u32> {
        self.s
            .children
            .iter()
            .find(|(_, c)| c.run_id == run_id)
            .map(|(&i, _)| i)
    }

    fn child_finished(&mut self, child: u32, result: Option<serde_json::Value>) {
        let Some(c) = self.s.children.get_mut(&child) else {
            return;
        };
        if !matches!(c.state, ChildState::Running) {
            return;
        }
        let value = result.as_ref().map(Value::from_json);
        c.state = match &value {
            Some(v) => ChildState::Completed(v.clone()),
            None => ChildState::Cancelled,
        };
        let run_id = c.run_id.clone();
        let flow = c.flow.clone();
        self.journal(EntryKind::ChildFinished { run_id, result });
        // Wake every fiber and group slot that waits for this child.
        let waiting: Vec<(u32, bool)> = self
            .s
            .fibers
            .iter()
            .filter_map(|(&f, fb)| match fb.wait {
                Wait::Child { child: c, push } if c == child => Some((f, push)),
                _ => None,
            })
            .collect();
        for (f, push) in waiting {
            match (&value, push) {
                (Some(v), true) => self.resume_with(f, v.clone()),
                (None, true) => {
                    let at = self.here(f);
                    let (func, pc) = (at.0, at.1.saturating_sub(1));
                    self.fail(
                        f,
                        FailureKind::Child { child },
                        format!("sub-flow `{flow}` was cancelled"),
                        (func, pc),
                    );
                }
                (_, false) => self.make_ready(f),
            }
        }
        let groups: Vec<(u32, usize)> = self
            .s
            .groups
            .iter()
            .flat_map(|(&g, gr)| {
                gr.slots
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, s)| match s {
                        Slot::Child(c) if *c == child => Some((g, i)),
                        _ => None,
                    })
            })
            .collect();
        for (g, i) in groups {
            let v = value
                .clone()
                .unwrap_or_else(|| error_value(&format!("sub-flow `{flow}` was cancelled"), 0));
            self.slot_done(g, i, v);
        }
    }

    // ----- parallel groups -----

    /// Starts a parallel group. Each item is a branch to start (a closure,
    /// with its argument for ParallelForEach), a sub-flow to wait for, or a
    /// value that is ready.
    fn parallel(
        &mut self,
        fid: u32,
        mode: ParallelMode,
        items: Vec<(Value, Option<Value>)>,
        operands: Vec<Value>,
    ) -> Result<Step, Step> {
        let mut slots: Vec<Slot> = Vec::with_capacity(items.len());
        let mut to_spawn = Vec::new();
        for (i, (v, arg)) in items.iter().enumerate() {
            match v {
                Value::Closure(c) => {
                    slots.push(Slot::Fiber(u32::MAX));
                    to_spawn.push((i, c.clone(), arg.clone()));
                }
                Value::Handle(h) => match self.s.children.get(h).map(|c| &c.state) {
                    Some(ChildState::Completed(r)) => slots.push(Slot::Done(r.clone())),
                    Some(ChildState::Running) => slots.push(Slot::Child(*h)),
                    _ => slots.push(Slot::Done(error_value("sub-flow was cancelled", 0))),
                },
                other => slots.push(Slot::Done(other.clone())),
            }
        }
        // WaitForAny with a value that is already there needs no branch.
        if mode == ParallelMode::Any {
            if let Some(Slot::Done(v)) = slots.iter().find(|s| matches!(s, Slot::Done(_))) {
                let v = v.clone();
                self.push(fid, v)?;
                return Ok(Step::Next);
            }
        }
        if self.s.fibers.len() + to_spawn.len() > limits::FIBERS_MAX {
            self.restore(fid, operands);
            return Err(self.fail_here(
                fid,
                format!(
                    "more than {} concurrent branches in one run",
                    limits::FIBERS_MAX
                ),
            ));
        }
        let g = self.s.next_group;
        self.s.next_group += 1;
        for (i, c, arg) in to_spawn {
            let args = arg.map(|a| vec![a]).unwrap_or_default();
            match self.spawn(&c, args, Some((g, i as u32))) {
                Ok(b) => slots[i] = Slot::Fiber(b),
                Err(msg) => {
                    // Undo the branches started so far.
                    for s in &slots {
                        if let Slot::Fiber(b) = s {
                            if *b != u32::MAX {
                                self.kill_fiber(*b);
                            }
                        }
                    }
                    self.restore(fid, operands);
                    return Err(self.fail_here(fid, msg));
                }
            }
        }
        self.s.groups.insert(
            g,
            Group {
                mode,
                fiber: fid,
                slots,
            },
        );
        self.fiber(fid).wait = Wait::Group(g);
        // With nothing to wait for, this resumes the fiber at once.
        self.group_complete(g);
        Ok(Step::Blocked)
    }

    fn slot_done(&mut self, g: u32, i: usize, v: Value) {
        let Some(group) = self.s.groups.get_mut(&g) else {
            return;
        };
        group.slots[i] = Slot::Done(v);
        self.group_complete(g);
    }

    /// Finishes the group when its mode is satisfied; true when it did.
    fn group_complete(&mut self, g: u32) -> bool {
        let Some(group) = self.s.groups.get(&g) else {
            return false;
        };
        let value = match group.mode {
            ParallelMode::Any => match group.slots.iter().find_map(|s| match s {
                Slot::Done(v) => Some(v.clone()),
                _ => None,
            }) {
                Some(v) => v,
                None => return false,
            },
            ParallelMode::All | ParallelMode::Execute => {
                if !group.slots.iter().all(|s| matches!(s, Slot::Done(_))) {
                    return false;
                }
                let results: Vec<Value> = group
                    .slots
                    .iter()
                    .map(|s| match s {
                        Slot::Done(v) => v.clone(),
                        _ => unreachable!("checked above"),
                    })
                    .collect();
                if group.mode == ParallelMode::Execute {
                    Value::list(results)
                } else {
                    let errors: Vec<Value> = results
                        .iter()
                        .filter(|v| matches!(v.field("status"), Some(Value::Str(s)) if s.as_ref() == "error"))
                        .cloned()
                        .collect();
                    let mut m = Map::new();
                    m.insert("allSuccess".into(), Value::Bool(errors.is_empty()));
                    m.insert("results".into(), Value::list(results));
                    m.insert("errors".into(), Value::list(errors));
                    Value::object(m)
                }
            }
        };
        let group = self.s.groups.remove(&g).expect("present");
        // WaitForAny: the other branches are cancelled.
        for s in &group.slots {
            if let Slot::Fiber(b) = s {
                self.kill_fiber(*b);
            }
        }
        self.resume_with(group.fiber, value);
        true
    }

    fn fiber_done(&mut self, fid: u32, v: Value) {
        let owner = self.s.fibers.get(&fid).and_then(|f| f.owner);
        match owner {
            Some((g, i)) => {
                self.s.fibers.remove(&fid);
                self.slot_done(g, i as usize, v);
            }
            None => self.complete(fid, v),
        }
    }

    /// The flow returned: the run completes.
    /// The flow returned (its value was checked at `return`).
    fn complete(&mut self, fid: u32, v: Value) {
        let json = v.to_json().unwrap_or(serde_json::Value::Null);
        self.s.fibers.remove(&fid);
        self.shut_down();
        self.s.result = Some(v);
        self.s.status = Status::Completed;
        self.journal(EntryKind::Completed {
            result: json.clone(),
        });
        self.cmd(Command::Finished { result: Some(json) });
    }

    /// Stops everything still going: branches, calls, timers, children.
    fn shut_down(&mut self) {
        let fibers: Vec<u32> = self.s.fibers.keys().copied().collect();
        for f in fibers {
            self.kill_fiber(f);
        }
        let calls: Vec<u32> = self.s.calls.keys().copied().collect();
        for c in calls {
            self.drop_call(c);
        }
        let keys: Vec<String> = self.s.timers.keys().cloned().collect();
        for key in keys {
            self.s.timers.remove(&key);
            self.cmd(Command::ClearTimer { key });
        }
        let children: Vec<u32> = self.s.children.keys().copied().collect();
        for c in children {
            self.cancel_child(c);
        }
        self.s.groups.clear();
        self.s.ready.clear();
        self.s.failures.clear();
    }

    // ----- activity calls -----

    fn call_activity(&mut self, fid: u32, spec_idx: u32) -> Result<Step, Step> {
        let spec = &self.p.calls[spec_idx as usize];
        let n = call_arity(spec);
        let operands = self.pop_n(fid, n);
        match self.policy(spec, &operands) {
            Ok((args, retries, backoff_ms, backoff_max_ms, timeout_ms)) => {
                let at = self.here(fid);
                let at = (at.0, at.1 - 1);
                let seq = self.s.next_call;
                self.s.next_call += 1;
                let now = self.env.now();
                let token = spec.awaited.then(|| self.env.token());
                let call = PendingCall {
                    call_id: format!("{}-{seq}", self.s.id),
                    activity: spec.activity.to_string(),
                    args,
                    fiber: fid,
                    attempt: 1,
                    attempt_base: 0,
                    retries,
                    backoff_ms,
                    backoff_max_ms,
                    timeout_ms,
                    awaited: spec.awaited,
                    catch: spec.catch,
                    token: token.clone(),
                    phase: CallPhase::Running,
                    started_at: now,
                    attempt_started_at: now,
                    last_error: None,
                    at,
                };
                if let Some(token) = &token {
                    self.cmd(Command::RegisterToken {
                        token: token.clone(),
                        call: seq,
                    });
                    if let Some(t) = timeout_ms {
                        let key = format!("await:{seq}");
                        let due = now.saturating_add(t as i64);
                        self.s.timers.insert(
                            key.clone(),
                            Timer {
                                at: due,
                                kind: TimerKind::AwaitTimeout { call: seq },
                            },
                        );
                        self.cmd(Command::SetTimer { key, at: due });
                    }
                }
                self.s.calls.insert(seq, call);
                self.dispatch(seq);
                self.fiber(fid).wait = Wait::Call(seq);
                Ok(Step::Blocked)
            }
            Err(msg) => {
                self.restore(fid, operands);
                Err(self.fail_here(fid, msg))
            }
        }
    }

    /// Evaluates a call's arguments and annotations.
    #[allow(clippy::type_complexity)]
    fn policy(
        &self,
        spec: &CallSpec,
        operands: &[Value],
    ) -> Result<(serde_json::Value, u32, u64, u64, Option<u64>), String> {
        let name = &spec.activity;
        let mut it = operands.iter();
        let mut args = Vec::with_capacity(spec.positional as usize + 1);
        for i in 0..spec.positional {
            let v = it.next().expect("arity");
            args.push(
                v.to_json()
                    .map_err(|e| format!("argument {} of {name}: {e}", i + 1))?,
            );
        }
        if !spec.named.is_empty() {
            let mut m = serde_json::Map::new();
            for key in &spec.named {
                let v = it.next().expect("arity");
                m.insert(
                    key.clone(),
                    v.to_json()
                        .map_err(|e| format!("argument `{key}` of {name}: {e}"))?,
                );
            }
            args.push(serde_json::Value::Object(m));
        }
        let args = serde_json::Value::Array(args);
        let size = serde_json::to_vec(&args).map(|b| b.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(format!(
                "the arguments of {name} are {size} bytes; the payload limit is {} bytes",
                limits::PAYLOAD_BYTES_MAX
            ));
        }
        let mut retries = 0;
        let mut backoff = limits::RETRY_BACKOFF_MS_DEFAULT;
        let mut backoff_max = limits::RETRY_BACKOFF_MS_MAX_DEFAULT;
        if spec.retry {
            let n = it.next().expect("arity");
            retries = match n {
                Value::Int(i) if (0..=i64::from(limits::RETRIES_MAX)).contains(i) => *i as u32,
                Value::Float(f)
                    if f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(limits::RETRIES_MAX) =>
                {
                    *f as u32
                }
                other => {
                    return Err(format!(
                        "@retry on {name} needs a whole number of retries from 0 to {}, not {}",
                        limits::RETRIES_MAX,
                        describe(other)
                    ))
                }
            };
            if spec.retry_backoff {
                backoff = duration_arg(it.next().expect("arity"), "backoff", name)?;
            }
            if spec.retry_max {
                backoff_max = duration_arg(it.next().expect("arity"), "maxBackoff", name)?;
            }
        }
        let timeout = if spec.timeout {
            let d = duration_arg(it.next().expect("arity"), "@timeout", name)?;
            if d == 0 {
                return Err(format!("@timeout on {name} must be longer than zero"));
            }
            Some(d)
        } else {
            None
        };
        Ok((args, retries, backoff, backoff_max.max(backoff), timeout))
    }

    /// Sends out the current attempt of a call.
    fn dispatch(&mut self, seq: u32) {
        let now = self.env.now();
        let c = self.s.calls.get_mut(&seq).expect("call exists");
        c.phase = CallPhase::Running;
        c.attempt_started_at = now;
        let deadline = if c.awaited {
            None
        } else {
            c.timeout_ms.map(|t| now.saturating_add(t as i64))
        };
        let task = Task {
            call_id: c.call_id.clone(),
            run_id: self.s.id.clone(),
            call: seq,
            activity: c.activity.clone(),
            args: c.args.clone(),
            attempt: c.attempt,
            deadline,
            callback_token: c.token.clone(),
        };
        let entry = EntryKind::CallStarted {
            call_id: c.call_id.clone(),
            activity: c.activity.clone(),
            args: c.args.clone(),
            attempt: c.attempt,
            awaited: c.awaited,
            line: self.p.locate(c.at.0, c.at.1).map(|l| l.line),
        };
        let attempt = c.attempt;
        if let Some(at) = deadline {
            let key = format!("attempt:{seq}:{attempt}");
            self.s.timers.insert(
                key.clone(),
                Timer {
                    at,
                    kind: TimerKind::Attempt { call: seq, attempt },
                },
            );
            self.cmd(Command::SetTimer { key, at });
        }
        self.journal(entry);
        self.cmd(Command::Dispatch(task));
    }

    /// The call has its value: the waiting fiber continues with it.
    fn resolve_call(&mut self, seq: u32, v: Value, how: &str) {
        let Some(c) = self.s.calls.remove(&seq) else {
            return;
        };
        for key in [
            format!("attempt:{seq}:{}", c.attempt),
            format!("backoff:{seq}"),
            format!("await:{seq}"),
        ] {
            if self.s.timers.remove(&key).is_some() {
                self.cmd(Command::ClearTimer { key });
            }
        }
        if c.awaited {
            // The token stops working, and a start still out is moot.
            self.cmd(Command::CancelTask {
                call_id: c.call_id.clone(),
                callback_token: c.token.clone(),
            });
        }
        let value = v.to_json().unwrap_or(serde_json::Value::Null);
        self.journal(EntryKind::CallCompleted {
            call_id: c.call_id,
            activity: c.activity,
            attempt: c.attempt,
            value,
            duration_ms: self.env.now() - c.started_at,
            how: how.to_string(),
        });
        self.s.failures.remove(&c.fiber);
        self.resume_with(c.fiber, v);
    }

    fn call_completed(&mut self, seq: u32, attempt: u32, value: serde_json::Value) {
        let Some(c) = self.s.calls.get_mut(&seq) else {
            return;
        };
        if c.attempt != attempt || c.phase != CallPhase::Running {
            return;
        }
        if c.awaited {
            c.phase = CallPhase::Callback;
            let entry = EntryKind::CallAcknowledged {
                call_id: c.call_id.clone(),
                activity: c.activity.clone(),
            };
            self.journal(entry);
            return;
        }
        self.resolve_call(seq, Value::from_json(&value), "returned");
    }

    fn call_failed(&mut self, seq: u32, attempt: u32, error: String, retryable: bool) {
        let Some(c) = self.s.calls.get(&seq) else {
            return;
        };
        if c.attempt != attempt || c.phase != CallPhase::Running {
            return;
        }
        self.attempt_failed(seq, error, retryable);
    }

    fn attempt_failed(&mut self, seq: u32, error: String, retryable: bool) {
        let now = self.env.now();
        let jitter = self.env.jitter();
        let c = self.s.calls.get_mut(&seq).expect("checked by the caller");
        let key = format!("attempt:{seq}:{}", c.attempt);
        if self.s.timers.remove(&key).is_some() {
            self.out.commands.push(Command::ClearTimer { key });
        }
        let c = self.s.calls.get_mut(&seq).expect("checked by the caller");
        c.last_error = Some(error.clone());
        let used = c.attempt - c.attempt_base;
        if retryable && used <= c.retries {
            // Exponential back-off with "equal jitter": half fixed, half random.
            let exp = c.backoff_ms.saturating_mul(1u64 << (used - 1).min(32));
            let delay = exp.min(c.backoff_max_ms);
            let delay = delay / 2 + ((delay / 2) as f64 * jitter) as u64;
            let at = now.saturating_add(delay as i64);
            c.phase = CallPhase::Backoff;
            let entry = EntryKind::CallFailed {
                call_id: c.call_id.clone(),
                activity: c.activity.clone(),
                attempt: c.attempt,
                error,
                retry_at: Some(at),
            };
            let key = format!("backoff:{seq}");
            self.s.timers.insert(
                key.clone(),
                Timer {
                    at,
                    kind: TimerKind::Backoff { call: seq },
                },
            );
            self.journal(entry);
            self.cmd(Command::SetTimer { key, at });
            return;
        }
        let entry = EntryKind::CallFailed {
            call_id: c.call_id.clone(),
            activity: c.activity.clone(),
            attempt: c.attempt,
            error: error.clone(),
            retry_at: None,
        };
        let attempts = c.attempt;
        let activity = c.activity.clone();
        let (fiber, at, catch) = (c.fiber, c.at, c.catch);
        self.journal(entry);
        if catch {
            self.resolve_call(seq, error_value(&error, attempts), "caught");
            return;
        }
        let c = self.s.calls.get_mut(&seq).expect("still pending");
        c.phase = CallPhase::Failed;
        let message = if attempts > 1 {
            format!("{activity} failed after {attempts} attempts: {error}")
        } else {
            format!("{activity} failed: {error}")
        };
        self.fail(fiber, FailureKind::Call { call: seq }, message, at);
    }

    fn callback(&mut self, seq: u32, value: serde_json::Value) {
        let Some(c) = self.s.calls.get(&seq) else {
            return;
        };
        if !c.awaited || c.phase == CallPhase::Failed {
            return;
        }
        self.resolve_call(seq, Value::from_json(&value), "callback");
    }

    fn timer_fired(&mut self, key: &str) {
        let now = self.env.now();
        let Some(t) = self.s.timers.get(key) else {
            // The run has no such timer: its row in the store is stale.
            self.cmd(Command::ClearTimer {
                key: key.to_string(),
            });
            return;
        };
        // A late duplicate of an older timer with the same key is not due.
        if t.at > now {
            return;
        }
        let t = self.s.timers.remove(key).expect("present");
        // The timer is spent: its row in the store goes with it.
        self.cmd(Command::ClearTimer {
            key: key.to_string(),
        });
        self.journal(EntryKind::TimerFired {
            key: key.to_string(),
        });
        match t.kind {
            TimerKind::Attempt { call, attempt } => {
                let Some(c) = self.s.calls.get(&call) else {
                    return;
                };
                if c.attempt != attempt || c.phase != CallPhase::Running {
                    return;
                }
                let msg = format!(
                    "attempt timed out after {}",
                    crate::time::format_duration(c.timeout_ms.unwrap_or(0) as i64)
                );
                let cancel = Command::CancelTask {
                    call_id: c.call_id.clone(),
                    callback_token: None,
                };
                self.cmd(cancel);
                self.attempt_failed(call, msg, true);
            }
            TimerKind::Backoff { call } => {
                if let Some(c) = self.s.calls.get_mut(&call) {
                    if c.phase == CallPhase::Backoff {
                        c.attempt += 1;
                        self.dispatch(call);
                    }
                }
            }
            TimerKind::AwaitTimeout { call } => {
                if let Some(c) = self.s.calls.get(&call) {
                    if c.phase != CallPhase::Failed {
                        self.resolve_call(call, timeout_value(), "timeout");
                    }
                }
            }
            TimerKind::Sleep { fiber, value } => {
                if self
                    .s
                    .fibers
                    .get(&fiber)
                    .is_some_and(|f| f.wait == Wait::Timer(key.to_string()))
                {
                    self.resume_with(fiber, value);
                }
            }
        }
    }

    // ----- operators -----

    fn retry(&mut self) -> Result<(), ActionError> {
        if self.s.status != Status::Failed || self.s.failures.is_empty() {
            return Err(ActionError::NotFailed(self.s.status.as_str()));
        }
        self.journal(EntryKind::Retried);
        let failures = std::mem::take(&mut self.s.failures);
        for (fid, failure) in failures {
            match failure.kind {
                FailureKind::Call { call } => {
                    if let Some(c) = self.s.calls.get_mut(&call) {
                        c.attempt_base = c.attempt;
                        c.attempt += 1;
                        self.dispatch(call);
                        if let Some(f) = self.s.fibers.get_mut(&fid) {
                            f.wait = Wait::Call(call);
                        }
                    }
                }
                FailureKind::Child { child } => {
                    let Some(c) = self.s.children.get(&child) else {
                        continue;
                    };
                    let start = c.start.clone();
                    match self.start_child(start.func, start.args, start.captures) {
                        Ok(new_child) => {
                            if let Some(f) = self.s.fibers.get_mut(&fid) {
                                f.wait = Wait::Child {
                                    child: new_child,
                                    push: true,
                                };
                            }
                        }
                        Err(msg) => {
                            let at = self.here(fid);
                            self.fail(fid, FailureKind::Child { child }, msg, at);
                        }
                    }
                }
                FailureKind::Expression => self.make_ready(fid),
            }
        }
        Ok(())
    }

    fn resolve(&mut self, value: serde_json::Value) -> Result<(), ActionError> {
        if self.s.status != Status::Failed || self.s.failures.is_empty() {
            return Err(ActionError::NotFailed(self.s.status.as_str()));
        }
        let size = serde_json::to_vec(&value).map(|b| b.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(ActionError::PayloadTooLarge(size));
        }
        let Some((&fid, failure)) = self
            .s
            .failures
            .iter()
            .find(|(_, f)| !matches!(f.kind, FailureKind::Expression))
        else {
            return Err(ActionError::NothingToResolve);
        };
        let kind = failure.kind.clone();
        self.journal(EntryKind::Resolved {
            value: value.clone(),
        });
        match kind {
            FailureKind::Call { call } => {
                self.resolve_call(call, Value::from_json(&value), "resolved")
            }
            FailureKind::Child { .. } => {
                self.s.failures.remove(&fid);
                self.resume_with(fid, Value::from_json(&value));
            }
            FailureKind::Expression => unreachable!("filtered above"),
        }
        Ok(())
    }

    fn cancel(&mut self, reason: &str) {
        self.shut_down();
        self.s.status = Status::Cancelled;
        self.journal(EntryKind::Cancelled {
            reason: reason.to_string(),
        });
        self.cmd(Command::Finished { result: None });
    }

    fn update_status(&mut self) {
        if self.s.status.is_terminal() {
            return;
        }
        self.s.status =
            if !self.s.failures.is_empty() {
                Status::Failed
            } else if !self.s.ready.is_empty()
                || self.s.calls.values().any(|c| {
                    !c.awaited && matches!(c.phase, CallPhase::Running | CallPhase::Backoff)
                })
            {
                Status::Running
            } else {
                Status::Waiting
            };
    }
}

fn call_arity(spec: &CallSpec) -> usize {
    spec.positional as usize
        + spec.named.len()
        + usize::from(spec.retry)
        + usize::from(spec.retry_backoff)
        + usize::from(spec.retry_max)
        + usize::from(spec.timeout)
}

fn duration_arg(v: &Value, what: &str, activity: &str) -> Result<u64, String> {
    match v {
        Value::Duration(d) if *d >= 0 => Ok(*d as u64),
        Value::Str(s) => match crate::time::parse_duration(s) {
            Some(d) if d >= 0 => Ok(d as u64),
            _ => Err(format!(
                "{what} on {activity} needs a duration such as \"2hours\" or \"30m\"; {:?} is not one",
                s.as_ref()
            )),
        },
        other => Err(format!(
            "{what} on {activity} needs a duration such as 2hours, not {}",
            describe(other)
        )),
    }
}

fn arity_text(min: usize, max: usize) -> String {
    if min == max {
        min.to_string()
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    }
}

/// A value as named in error messages: its type, and short values in full.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Str(s) if s.len() <= 40 => format!("the string {:?}", s.as_ref()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            format!("{} `{}`", v.type_name(), v.to_text())
        }
        other => other.type_name().to_string(),
    }
}

fn index(obj: &Value, idx: &Value) -> Result<Value, String> {
    match (obj, idx) {
        (Value::List(items), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("list index {i} is negative"));
            }
            Ok(items.get(i as usize).cloned().unwrap_or_default())
        }
        (Value::Object(m), Value::Str(k)) => Ok(m.get(k.as_ref()).cloned().unwrap_or_default()),
        (Value::Object(_), other) => Err(format!(
            "an object's key must be a string, not {}",
            describe(other)
        )),
        (Value::Str(s), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("string index {i} is negative"));
            }
            Ok(s.chars()
                .nth(i as usize)
                .map(|c| Value::str(c.encode_utf8(&mut [0; 4])))
                .unwrap_or_default())
        }
        (other, _) => Err(format!("cannot index {}", describe(other))),
    }
}

fn whole_index(i: &Value) -> Result<i64, String> {
    match i {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
        other => Err(format!(
            "a list index must be a whole number, not {}",
            describe(other)
        )),
    }
}

/// `root.k1[k2]... = value` (or `op=`), copying shared lists and objects.
fn set_path(
    root: &mut Value,
    keys: &[Value],
    value: Value,
    op: Option<weft_syntax::ast::BinaryOp>,
) -> Result<(), String> {
    let Some((key, rest)) = keys.split_first() else {
        *root = match op {
            None => value,
            Some(op) => ops::binary(op, root, &value)?,
        };
        return Ok(());
    };
    match (root, key) {
        (Value::Object(m), Value::Str(k)) => {
            let m = Arc::make_mut(m);
            if !m.contains_key(k.as_ref()) {
                if m.len() >= limits::LIST_LEN_MAX {
                    return Err(format!(
                        "object larger than the limit of {} fields",
                        limits::LIST_LEN_MAX
                    ));
                }
                if !rest.is_empty() {
                    return Err(format!("cannot set a field inside `{k}`: it is not set"));
                }
                m.insert(k.to_string(), Value::Null);
            }
            set_path(m.get_mut(k.as_ref()).expect("inserted"), rest, value, op)
        }
        (Value::List(items), i) => {
            let i = whole_index(i)?;
            let len = items.len() as i64;
            if i < 0 || i > len || (i == len && !rest.is_empty()) {
                return Err(format!(
                    "list index {i} is out of range (the list has {len} elements)"
                ));
            }
            let items = Arc::make_mut(items);
            if i == len {
                if items.len() >= limits::LIST_LEN_MAX {
                    return Err(format!(
                        "list longer than the limit of {} elements",
                        limits::LIST_LEN_MAX
                    ));
                }
                items.push(Value::Null);
            }
            set_path(&mut items[i as usize], rest, value, op)
        }
        (Value::Object(_), other) => Err(format!(
            "an object's key must be a string, not {}",
            describe(other)
        )),
        (other, Value::Str(k)) => Err(format!("cannot set field `{k}` of {}", describe(other))),
        (other, _) => Err(format!("cannot index {}", describe(other))),
    }
}

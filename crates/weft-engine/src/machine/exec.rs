//! The scheduler and the instruction decoder.
//!
//! A step runs every ready fiber until it stops (waits, fails or returns),
//! in the order they became ready, within one budget of work. Each
//! instruction first waits for sub-flows among its operands, then goes to
//! the handler of its family in the room that owns it.
//!
//! # Turns
//!
//! A step is also one turn of the run on its node's core, which applies
//! the steps of every run one at a time: a run that computes for long
//! would keep the others waiting. So a step ends after
//! [`limits::TIME_SLICE`] units of work even when fibers are still ready:
//! the run is stored as it stands (its fibers ready, in order) with the
//! `continue` timer due at once, and the host fires that timer once the
//! other runs have had their turn. The timer is durable like any other, so
//! a turn survives a restart. The segment, and what is left of its step
//! budget, goes on in the next turn; any other event starts a new segment,
//! as it always did.

use crate::limits;
use crate::program::{Op, Program};
use crate::state::{Command, Timer, TimerKind, Wait};
use crate::value::{Map, Value};

use super::calls::call_arity;
use super::{timer_key, FiberId, Machine, Step, Stop};

/// How a fiber's run of instructions ended.
enum Ran {
    /// It stopped: waits, failed or returned.
    Stopped,
    /// The turn is over; it is still ready.
    Yielded,
}

impl Machine<'_> {
    /// Executes ready fibers until none is left, the run has finished or
    /// the turn is over.
    pub(super) fn run_ready(&mut self) {
        while let Some(id) = self.run.ready.pop_front() {
            let Some(fiber) = self.run.fibers.get(&id) else {
                continue;
            };
            if fiber.wait != Wait::Ready {
                continue;
            }
            if let Ran::Yielded = self.exec(id) {
                self.run.ready.push_front(id);
                break;
            }
            if self.run.status.is_terminal() {
                break;
            }
        }
    }

    /// Ends the step: the status from what is left, and the next turn
    /// armed while fibers are still ready (or disarmed when none is).
    pub(super) fn end_turn(&mut self) {
        self.update_status();
        let armed = self.run.timers.contains_key(timer_key::CONTINUE);
        let ready = !self.run.ready.is_empty() && !self.run.status.is_terminal();
        if ready {
            self.run.segment = limits::STEP_BUDGET - self.budget;
            if !armed {
                let at = self.env.now();
                let key = timer_key::CONTINUE.to_string();
                self.run.timers.insert(
                    key.clone(),
                    Timer {
                        at,
                        kind: TimerKind::Continue,
                    },
                );
                self.command(Command::SetTimer { key, at });
            }
        } else if armed {
            self.run.timers.remove(timer_key::CONTINUE);
            self.command(Command::ClearTimer {
                key: timer_key::CONTINUE.to_string(),
            });
        }
    }

    /// Counts an event from outside the run (a result, a timer, a callback,
    /// a child's end) against [`limits::RUN_EVENTS_MAX`]. The event that
    /// passes it is taken, but the fibers it would run fail where they
    /// stand instead, so the run stops until an operator retries (which
    /// starts the count again) or cancels it.
    pub(super) fn count_event(&mut self) {
        self.run.events = self.run.events.saturating_add(1);
        if self.run.events <= limits::RUN_EVENTS_MAX {
            return;
        }
        let ready: Vec<FiberId> = self.run.ready.drain(..).collect();
        for id in ready {
            if self.run.fibers.get(&id).map(|f| &f.wait) == Some(&Wait::Ready) {
                let message = format!(
                    "the run has taken {} events (results, timers, callbacks); the limit is {} (RUN_EVENTS_MAX): does a loop wait for ever?",
                    self.run.events,
                    limits::RUN_EVENTS_MAX
                );
                self.fail_here(id, message);
            }
        }
    }

    /// Executes fiber `id` until it stops or the turn is over. The step
    /// budget is shared by every fiber of the segment; when it runs out,
    /// the fiber that meets it fails and the budget starts again for the
    /// next.
    fn exec(&mut self, id: FiberId) -> Ran {
        loop {
            if self.budget == 0 {
                self.fail_here(
                    id,
                    format!(
                        "the run did {} units of work without waiting (STEP_BUDGET, the step budget of one segment); does a loop never call anything?",
                        limits::STEP_BUDGET
                    ),
                );
                self.budget = limits::STEP_BUDGET;
                return Ran::Stopped;
            }
            if self.slice == 0 {
                return Ran::Yielded;
            }
            let result = self.step(id);
            let units = 1 + crate::work::take();
            self.budget = self.budget.saturating_sub(units);
            self.slice = self.slice.saturating_sub(units);
            self.run.steps += 1;
            match result {
                Ok(()) => {}
                Err(Stop::Wait | Stop::Fail) => return Ran::Stopped,
                Err(Stop::Return(value)) => {
                    self.fiber_done(id, value);
                    return Ran::Stopped;
                }
            }
        }
    }

    /// Executes one instruction of fiber `id`.
    fn step(&mut self, id: FiberId) -> Step {
        let (func, pc) = self.here(id);
        let program = self.program;
        let Some(op) = program.func(func).code.get(pc as usize) else {
            return Err(self.fail_here(id, "instruction out of range (corrupt snapshot?)".into()));
        };
        // Checked before the instruction starts, so that the failure leaves
        // it to run again on retry with nothing taken off the stack.
        if self.fiber(id).stack.len() >= limits::STACK_MAX && pushes_on_top(program, op) {
            return Err(self.fail_here(
                id,
                format!(
                    "operand stack deeper than {} (STACK_MAX)",
                    limits::STACK_MAX
                ),
            ));
        }
        if let Some((count, deep)) = self.operands_to_settle(id, op) {
            self.settle_operands(id, count, deep)?;
        }
        self.frame_mut(id).pc = pc + 1;
        self.execute(id, op)
    }

    /// How many operands at the top of the stack `op` needs as values
    /// rather than sub-flow handles, and whether inside lists and objects
    /// too (`deep`): what leaves the run (arguments, a flow's result, a
    /// child's input) must be whole, while an operator or a field read only
    /// looks at the operand itself. `None` for instructions that take
    /// handles as they are (storing, building lists, ...).
    fn operands_to_settle(&self, id: FiberId, op: &Op) -> Option<(usize, bool)> {
        let program = self.program;
        match op {
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
            Op::CallFlow { func: target, argc } | Op::CallFlowPair { func: target, argc } => {
                Some((*argc as usize + program.func(*target).captures.len(), true))
            }
            Op::StartInline(target) => {
                let function = program.func(*target);
                Some((function.params.len() + function.captures.len(), true))
            }
            Op::CallActivity(spec) => Some((call_arity(&program.calls[*spec as usize]), true)),
            // Only the flow's own result leaves the run.
            Op::Return => Some((1, self.fiber(id).frames.len() == 1)),
            _ => None,
        }
    }

    /// Executes `op`, whose pc has been advanced past, on fiber `id`.
    fn execute(&mut self, id: FiberId, op: &Op) -> Step {
        let program = self.program;
        match op {
            // Values, variables, fields and paths (values.rs).
            Op::Const(index) => self.push(id, program.consts[*index as usize].clone()),
            Op::Null => self.push(id, Value::Null),
            Op::Bool(b) => self.push(id, Value::Bool(*b)),
            Op::Load(slot) => self.load(id, *slot),
            Op::Store(slot) => {
                self.store(id, *slot);
                Ok(())
            }
            Op::StorePair { value, err } => self.store_pair(id, *value, *err),
            Op::NameError(message) => Err(self.fail_instruction(
                id,
                Vec::new(),
                super::values::const_text(program, *message).to_string(),
            )),
            Op::Pop => {
                self.pop(id);
                Ok(())
            }
            Op::GetField(key) => self.get_field(id, *key),
            Op::GetIndex => self.get_index(id),
            Op::SetPath { slot, depth, op } => self.set_path(id, *slot, *depth, *op),
            Op::Unary(op) => self.unary(id, *op),
            Op::Binary(op) => self.binary(id, *op),
            Op::NewList => self.push(id, Value::list(Vec::new())),
            Op::ListPush => self.list_push(id),
            Op::NewObject => self.push(id, Value::object(Map::default())),
            Op::ObjSet(key) => self.object_set(id, *key),
            Op::ObjSpread => self.object_spread(id),
            Op::IterInit { list, index } => self.iter_init(id, *list, *index),
            Op::IterNext {
                list,
                index,
                var,
                exit,
            } => {
                self.iter_next(id, *list, *index, *var, *exit);
                Ok(())
            }

            // Control within a function.
            Op::Jump(to) => {
                self.jump(id, *to);
                Ok(())
            }
            Op::JumpIfFalse(to) => {
                if !self.pop(id).truthy() {
                    self.jump(id, *to);
                }
                Ok(())
            }
            // `&&` and `||`: the operand that decides is the value.
            Op::JumpIfFalseKeep(to) => {
                self.jump_keeping(id, *to, false);
                Ok(())
            }
            Op::JumpIfTrueKeep(to) => {
                self.jump_keeping(id, *to, true);
                Ok(())
            }

            // Closures, prelude functions, built-ins, return (functions.rs).
            Op::MakeClosure(target) => self.make_closure(id, *target),
            Op::CallClosure(argc) => self.call_closure(id, *argc as usize),
            Op::CallFunc { func: target, argc } => self.call_func(id, *target, *argc as usize),
            Op::CallBuiltin { id: builtin, argc } => {
                self.call_builtin(id, *builtin, *argc as usize)
            }
            Op::Return => self.return_value(id),

            // Sub-flows (children.rs).
            Op::CallFlow { func: target, argc } | Op::CallFlowPair { func: target, argc } => {
                self.call_flow(id, *target, *argc as usize)
            }
            Op::StartInline(target) => self.start_inline(id, *target),

            // Activities (calls.rs).
            Op::CallActivity(spec) => self.call_activity(id, *spec),

            // Parallel built-ins (parallel.rs).
            Op::Parallel(mode) => self.parallel_list(id, *mode),
            Op::ParallelForEach => self.parallel_for_each(id),
            Op::Fork => self.fork(id),
            Op::Take(slot) => {
                let value = std::mem::take(&mut self.frame_mut(id).locals[*slot as usize]);
                self.push(id, value)
            }
        }
    }

    /// Jumps when the top operand's truthiness is `when`, keeping it as the
    /// expression's value; otherwise drops it and goes on.
    fn jump_keeping(&mut self, id: FiberId, to: u32, when: bool) {
        if self.peek(id).truthy() == when {
            self.jump(id, to);
        } else {
            self.pop(id);
        }
    }
}

/// True when `op` takes nothing off the stack and leaves a value on it (at
/// once, or when the fiber resumes): the only instructions that make the
/// stack deeper.
fn pushes_on_top(program: &Program, op: &Op) -> bool {
    match op {
        Op::Const(_) | Op::Null | Op::Bool(_) | Op::Load(_) | Op::NewList | Op::NewObject => true,
        Op::MakeClosure(f) => program.func(*f).captures.is_empty(),
        Op::CallFunc { argc, .. } | Op::CallBuiltin { argc, .. } => *argc == 0,
        Op::CallFlow { func, argc } => *argc == 0 && program.func(*func).captures.is_empty(),
        Op::StartInline(f) => {
            let f = program.func(*f);
            f.params.is_empty() && f.captures.is_empty()
        }
        Op::CallActivity(spec) => call_arity(&program.calls[*spec as usize]) == 0,
        _ => false,
    }
}

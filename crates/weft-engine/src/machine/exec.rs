//! The scheduler and the instruction decoder.
//!
//! A step runs every ready fiber until it stops (waits, fails or returns),
//! in the order they became ready, within one budget of instructions. Each
//! instruction first waits for sub-flows among its operands, then goes to
//! the handler of its family in the room that owns it.

use crate::limits;
use crate::program::Op;
use crate::state::Wait;
use crate::value::{Map, Value};

use super::calls::call_arity;
use super::{FiberId, Machine, Step, Stop};

impl Machine<'_> {
    /// Executes ready fibers until none is left or the run has finished.
    pub(super) fn run_ready(&mut self) {
        while let Some(id) = self.run.ready.pop_front() {
            let Some(fiber) = self.run.fibers.get(&id) else {
                continue;
            };
            if fiber.wait != Wait::Ready {
                continue;
            }
            self.exec(id);
            if self.run.status.is_terminal() {
                break;
            }
        }
    }

    /// Executes fiber `id` until it stops. The step budget is shared by
    /// every fiber of the step; when it runs out, the fiber that meets it
    /// fails and the budget starts again for the next.
    fn exec(&mut self, id: FiberId) {
        loop {
            if self.budget == 0 {
                self.fail_here(
                    id,
                    format!(
                        "the run executed {} instructions without waiting (the step budget of one segment); does a loop never call anything?",
                        limits::STEP_BUDGET
                    ),
                );
                self.budget = limits::STEP_BUDGET;
                return;
            }
            self.budget -= 1;
            self.run.steps += 1;
            match self.step(id) {
                Ok(()) => {}
                Err(Stop::Wait | Stop::Fail) => return,
                Err(Stop::Return(value)) => {
                    self.fiber_done(id, value);
                    return;
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
            Op::CallFlow { func: target, argc } => {
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
            Op::NameError(message) => Err(self.fail_instruction(
                id,
                Vec::new(),
                program.consts[*message as usize].to_text(),
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
            Op::NewObject => self.push(id, Value::object(Map::new())),
            Op::ObjSet(key) => {
                self.object_set(id, *key);
                Ok(())
            }
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
            Op::CallFlow { func: target, argc } => self.call_flow(id, *target, *argc as usize),
            Op::StartInline(target) => self.start_inline(id, *target),

            // Activities (calls.rs).
            Op::CallActivity(spec) => self.call_activity(id, *spec),

            // Parallel built-ins (parallel.rs).
            Op::Parallel(mode) => self.parallel_list(id, *mode),
            Op::ParallelForEach => self.parallel_for_each(id),
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

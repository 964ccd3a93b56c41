//! Fibers and their frames: the accessors every room uses, the operand
//! stack, starting a fiber and removing one with everything it waits on.
//!
//! A fiber is one branch of execution: the flow itself (fiber 0), or a
//! branch a parallel built-in started. Two rules make the accessors below
//! safe to use without checking: the machine only works on fibers it has
//! just found in the run's table (the ready queue skips ids that are gone),
//! and a fiber always has a frame (it is removed when its outermost frame
//! returns).

use crate::limits;
use crate::program::{FuncId, ParallelMode};
use crate::state::{Command, FailureKind, Fiber, Frame, Slot, Wait};
use crate::value::{Closure, Value};

use super::{FiberId, Machine, Step};

impl Machine<'_> {
    /// The fiber `id`, which exists (see the module's rules).
    pub(super) fn fiber(&self, id: FiberId) -> &Fiber {
        self.run
            .fibers
            .get(&id)
            .expect("the machine works only on fibers that exist")
    }

    /// The fiber `id`, which exists (see the module's rules).
    pub(super) fn fiber_mut(&mut self, id: FiberId) -> &mut Fiber {
        self.run
            .fibers
            .get_mut(&id)
            .expect("the machine works only on fibers that exist")
    }

    /// The innermost frame of fiber `id`: the function it executes.
    pub(super) fn frame(&self, id: FiberId) -> &Frame {
        self.fiber(id)
            .frames
            .last()
            .expect("a fiber has a frame until its outermost one returns")
    }

    /// The innermost frame of fiber `id`, to change.
    pub(super) fn frame_mut(&mut self, id: FiberId) -> &mut Frame {
        self.fiber_mut(id)
            .frames
            .last_mut()
            .expect("a fiber has a frame until its outermost one returns")
    }

    /// Removes the innermost frame of fiber `id` (its function returned).
    pub(super) fn pop_frame(&mut self, id: FiberId) -> Frame {
        self.fiber_mut(id)
            .frames
            .pop()
            .expect("a fiber has a frame until its outermost one returns")
    }

    /// Where fiber `id` is: its function and the instruction it executes
    /// next (or, once an instruction has started, the one after it).
    pub(super) fn here(&self, id: FiberId) -> (FuncId, u32) {
        let frame = self.frame(id);
        (frame.func, frame.pc)
    }

    // ----- the operand stack -----
    //
    // The compiler keeps the stack balanced: an instruction finds the
    // operands it pops, so popping never meets an empty stack.

    /// Pops the top operand.
    pub(super) fn pop(&mut self, id: FiberId) -> Value {
        self.fiber_mut(id)
            .stack
            .pop()
            .expect("the compiler keeps the stack balanced")
    }

    /// Pops the top `count` operands, deepest first.
    pub(super) fn pop_n(&mut self, id: FiberId, count: usize) -> Vec<Value> {
        let stack = &mut self.fiber_mut(id).stack;
        let at = stack.len() - count;
        stack.split_off(at)
    }

    /// The top operand, left in place.
    pub(super) fn peek(&self, id: FiberId) -> &Value {
        self.fiber(id)
            .stack
            .last()
            .expect("the compiler keeps the stack balanced")
    }

    /// Pushes an operand. The stack has room: an instruction that makes
    /// it deeper is refused before it starts (`exec.rs`), and every other
    /// one pushes no more than it took.
    pub(super) fn push(&mut self, id: FiberId, value: Value) -> Step {
        self.fiber_mut(id).stack.push(value);
        Ok(())
    }

    /// Continues fiber `id` at instruction `to` of its function.
    pub(super) fn jump(&mut self, id: FiberId, to: u32) {
        self.frame_mut(id).pc = to;
    }

    /// Undoes the start of the current instruction: its operands go back on
    /// the stack and the fiber points at it again, so it runs again (after a
    /// retry) with the same operands.
    pub(super) fn rewind(&mut self, id: FiberId, operands: Vec<Value>) {
        self.fiber_mut(id).stack.extend(operands);
        self.frame_mut(id).pc -= 1;
    }

    // ----- waking -----

    /// Makes a waiting fiber ready to run in this step. A fiber that is
    /// gone (cancelled meanwhile) is left gone.
    pub(super) fn make_ready(&mut self, id: FiberId) {
        if let Some(fiber) = self.run.fibers.get_mut(&id) {
            fiber.wait = Wait::Ready;
            self.run.ready.push_back(id);
        }
    }

    /// Pushes the value a fiber waited for and makes it ready.
    pub(super) fn resume_with(&mut self, id: FiberId, value: Value) {
        if let Some(fiber) = self.run.fibers.get_mut(&id) {
            fiber.stack.push(value);
        }
        self.make_ready(id);
    }

    // ----- starting and removing fibers -----

    /// Starts a fiber that calls `closure` with `args`; `owner` is the
    /// parallel group and slot it computes, for a branch.
    pub(super) fn spawn(
        &mut self,
        closure: &Closure,
        args: Vec<Value>,
        owner: Option<(u32, u32)>,
    ) -> Result<FiberId, String> {
        // The flow's own fiber is not a branch.
        if self.run.fibers.len() > limits::FIBERS_MAX {
            return Err(format!(
                "more than {} concurrent branches in one run (FIBERS_MAX)",
                limits::FIBERS_MAX
            ));
        }
        let id = self.run.next_fiber;
        self.run.next_fiber += 1;
        let frame = self.new_frame(closure, args, 0)?;
        self.run.fibers.insert(
            id,
            Fiber {
                frames: vec![frame],
                stack: Vec::new(),
                wait: Wait::Ready,
                owner,
            },
        );
        self.run.ready.push_back(id);
        Ok(id)
    }

    /// A frame that calls `closure` with `args`: its captured values and
    /// arguments in their slots; `base` is the stack height it starts at.
    pub(super) fn new_frame(
        &self,
        closure: &Closure,
        args: Vec<Value>,
        base: usize,
    ) -> Result<Frame, String> {
        let function = self
            .program
            .functions
            .get(closure.func as usize)
            .ok_or_else(|| {
                format!(
                    "function {} does not exist in this program version",
                    closure.func
                )
            })?;
        crate::work::elements(function.slot_names.len());
        let mut locals = vec![Value::Null; function.slot_names.len()];
        for (capture, value) in function.captures.iter().zip(closure.captures.iter()) {
            locals[capture.slot as usize] = value.clone();
        }
        if args.len() > function.params.len() {
            return Err(format!(
                "`{}` takes {} argument(s) but was given {}",
                function.name,
                function.params.len(),
                args.len()
            ));
        }
        for (slot, value) in function.params.iter().zip(args) {
            if let Some(slot) = slot {
                locals[*slot as usize] = value;
            }
        }
        Ok(Frame {
            func: closure.func,
            pc: 0,
            locals,
            base: base as u32,
        })
    }

    /// Removes a fiber and everything it waits on: its call, its timer, the
    /// child whose result it waits for, its group's other branches.
    pub(super) fn kill_fiber(&mut self, id: FiberId) {
        let Some(fiber) = self.run.fibers.remove(&id) else {
            return;
        };
        self.run.ready.retain(|&f| f != id);
        // The forks it started and has not joined go with it.
        let forks: Vec<u32> = self
            .run
            .groups
            .iter()
            .filter(|(_, g)| g.mode == ParallelMode::Fork && g.fiber == id)
            .map(|(&g, _)| g)
            .collect();
        for g in forks {
            if let Some(group) = self.run.groups.remove(&g) {
                for slot in group.slots {
                    if let Slot::Fiber(branch) = slot {
                        self.kill_fiber(branch);
                    }
                }
            }
        }
        if let Some(failure) = self.run.failures.remove(&id) {
            if let FailureKind::Child { child } = failure.kind {
                self.forget_call_child(child);
            }
        }
        match fiber.wait {
            Wait::Call(call) => self.drop_call(call),
            Wait::Timer(key) => {
                if self.run.timers.remove(&key).is_some() {
                    self.command(Command::ClearTimer { key });
                }
            }
            Wait::Child { child, push: true } => {
                self.cancel_child(child);
                // Only this fiber waited for the call's result.
                self.forget_call_child(child);
            }
            Wait::Group(group) => {
                if let Some(group) = self.run.groups.remove(&group) {
                    for slot in group.slots {
                        if let Slot::Fiber(branch) = slot {
                            self.kill_fiber(branch);
                        }
                    }
                }
            }
            Wait::Child { push: false, .. } | Wait::Ready | Wait::Failed => {}
        }
        // A call of this fiber that failed for good goes too.
        let orphaned: Vec<u32> = self
            .run
            .calls
            .iter()
            .filter(|(_, c)| c.fiber == id)
            .map(|(&call, _)| call)
            .collect();
        for call in orphaned {
            self.drop_call(call);
        }
    }
}

//! Functions within the run: closures and prelude functions (a new frame
//! on the same fiber), built-ins, and `return`.

use std::sync::Arc;
use weft_syntax::lang::{self, BuiltinKind};

use crate::builtins;
use crate::limits;
use crate::program::FuncId;
use crate::state::EntryKind;
use crate::value::{Closure, Value};

use super::values::describe;
use super::{FiberId, Machine, Step, Stop};

impl Machine<'_> {
    /// `MakeClosure`: a closure of `target` over the captured values on the
    /// stack.
    pub(super) fn make_closure(&mut self, id: FiberId, target: FuncId) -> Step {
        let count = self.program.func(target).captures.len();
        let captures = self.pop_n(id, count);
        let closure = Closure {
            func: target,
            captures,
        };
        if let Err(message) = closure.shape().check() {
            return Err(self.fail_instruction(id, closure.captures, message));
        }
        self.push(id, Value::Closure(Arc::new(closure)))
    }

    /// `CallClosure`: calls the closure below the arguments.
    pub(super) fn call_closure(&mut self, id: FiberId, argc: usize) -> Step {
        let args = self.pop_n(id, argc);
        let callee = self.pop(id);
        let Value::Closure(closure) = &callee else {
            let message = format!(
                "cannot call {}: only functions can be called",
                describe(&callee)
            );
            let mut operands = vec![callee];
            operands.extend(args);
            return Err(self.fail_instruction(id, operands, message));
        };
        let closure = closure.clone();
        self.enter(id, &closure, args, Some(callee))
    }

    /// `CallFunc`: calls a function of the program that captures nothing
    /// (a built-in written in Weft, such as `RunCompensations`).
    pub(super) fn call_func(&mut self, id: FiberId, target: FuncId, argc: usize) -> Step {
        let args = self.pop_n(id, argc);
        let closure = Closure {
            func: target,
            captures: Vec::new(),
        };
        self.enter(id, &closure, args, None)
    }

    /// Enters `closure` with `args`: a new frame on fiber `id`, up to
    /// `FRAMES_MAX` deep. `callee` is the closure value the instruction
    /// popped (`None` for `CallFunc`, which pops none), put back with the
    /// arguments if the call fails.
    fn enter(
        &mut self,
        id: FiberId,
        closure: &Closure,
        args: Vec<Value>,
        callee: Option<Value>,
    ) -> Step {
        let problem = if self.fiber(id).frames.len() >= limits::FRAMES_MAX {
            Err(format!(
                "closure calls nested deeper than {} (FRAMES_MAX)",
                limits::FRAMES_MAX
            ))
        } else {
            let base = self.fiber(id).stack.len();
            self.new_frame(closure, args.clone(), base)
        };
        match problem {
            Ok(frame) => {
                self.fiber_mut(id).frames.push(frame);
                Ok(())
            }
            Err(message) => {
                let mut operands: Vec<Value> = callee.into_iter().collect();
                operands.extend(args);
                Err(self.fail_instruction(id, operands, message))
            }
        }
    }

    /// `CallBuiltin`: a built-in function. `now` is recorded in the
    /// journal; `Sleep` and `WaitUntil` may wait (timers.rs); the rest are
    /// pure (builtins.rs).
    pub(super) fn call_builtin(&mut self, id: FiberId, builtin: u16, argc: usize) -> Step {
        let spec = &lang::BUILTINS[builtin as usize];
        let args = self.pop_n(id, argc);
        if argc < spec.args_min || argc > spec.args_max {
            let message = format!(
                "{}() takes {} argument(s), not {argc}",
                spec.name,
                arity_text(spec.args_min, spec.args_max)
            );
            return Err(self.fail_instruction(id, args, message));
        }
        let result = match spec.name {
            "append" => return self.append(id, args),
            "now" => {
                let now = self.env.now();
                self.journal(EntryKind::Now { value: now });
                Ok(Value::Time(now))
            }
            "Sleep" | "WaitUntil" => return self.sleep(id, spec.name, args),
            name => {
                debug_assert_eq!(spec.kind, BuiltinKind::Pure);
                builtins::call_pure_in(name, &args, self.program.edition)
                    .unwrap_or_else(|| Err(format!("{name}() cannot be called here")))
            }
        };
        match result {
            Ok(value) => self.push(id, value),
            Err(message) => Err(self.fail_instruction(id, args, message)),
        }
    }

    /// `append(list, ...)`; `x = append(x, ...)` grows `x` in place (see
    /// `values.rs`).
    fn append(&mut self, id: FiberId, args: Vec<Value>) -> Step {
        let fused = self.stored_next(id, &args[0]);
        if let Some(slot) = fused {
            // The argument is now the only holder of what the variable held.
            drop(self.take_local(id, slot));
        }
        match builtins::append(args) {
            Ok(result) => match fused {
                Some(slot) => {
                    self.store_fused(id, slot, result);
                    Ok(())
                }
                None => self.push(id, result),
            },
            Err((args, message)) => {
                if let Some(slot) = fused {
                    self.frame_mut(id).locals[slot as usize] = args[0].clone();
                }
                Err(self.fail_instruction(id, args, message))
            }
        }
    }

    /// `Return`: leaves the function with the value on the stack. The
    /// flow's own result leaves the run, so it must have a JSON form and
    /// fit the payload limit.
    pub(super) fn return_value(&mut self, id: FiberId) -> Step {
        let value = self.pop(id);
        let fiber = self.fiber(id);
        let is_result = fiber.frames.len() == 1 && fiber.owner.is_none();
        if is_result {
            if let Some(message) = result_problem(&value) {
                return Err(self.fail_instruction(id, vec![value], message));
            }
        }
        let frame = self.pop_frame(id);
        let fiber = self.fiber_mut(id);
        fiber.stack.truncate(frame.base as usize);
        if fiber.frames.is_empty() {
            return Err(Stop::Return(value));
        }
        self.push(id, value)
    }
}

/// Why the flow's result cannot leave the run, if it cannot.
fn result_problem(value: &Value) -> Option<String> {
    match payload_size(value) {
        Err(e) => Some(format!("the flow's result: {e}")),
        Ok(Ok(_)) => None,
        Ok(Err(size)) => Some(format!(
            "the flow's result is {size} bytes; the payload limit is {} bytes (PAYLOAD_BYTES_MAX)",
            limits::PAYLOAD_BYTES_MAX
        )),
    }
}

/// The size of `value`'s JSON when it fits [`limits::PAYLOAD_BYTES_MAX`];
/// when it does not, `Err` with its size as people read it (exact up to a
/// few times the limit, beyond that "more than ..."). Found without writing
/// out more than that much.
pub(super) fn payload_size(value: &Value) -> Result<Result<usize, String>, String> {
    let max = limits::PAYLOAD_BYTES_MAX;
    Ok(match value.json_len(4 * max)? {
        Some(n) if n <= max => Ok(n),
        Some(n) => Err(n.to_string()),
        None => Err(format!("more than {}", 4 * max)),
    })
}

/// "1", "1 to 3", "at least 1": how many arguments a built-in takes.
fn arity_text(min: usize, max: usize) -> String {
    if min == max {
        min.to_string()
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    }
}

//! Sub-flows: child runs, their handles, and what happens when one ends.
//!
//! A child is a run of its own, started with a `StartChild` command and
//! remembered in the parent's `children` table (its index is the handle).
//! Calling a flow waits for the child at once; an inline flow pushes a
//! handle and goes on, and whatever needs the handle's value (reading the
//! variable, an operand that leaves the run) waits for the child then.

use crate::limits;
use crate::program::FuncId;
use crate::state::{Child, ChildStart, ChildState, Command, EntryKind, FailureKind, Slot, Wait};
use crate::value::{error_object, error_value, Value};

use super::{FiberId, Machine, Step, Stop};

impl Machine<'_> {
    /// Starts a child run of `func`, up to `FLOW_DEPTH_MAX` deep and
    /// `CHILDREN_MAX` at once. Its arguments and captured values must have
    /// a JSON form, and its input must fit the payload limit. `call` is
    /// true for a flow call, whose caller alone waits for the result (its
    /// entry goes once the result is delivered); an inline flow's handle
    /// may be read at any time, so its entry stays.
    pub(super) fn start_child(
        &mut self,
        func: FuncId,
        args: Vec<Value>,
        captures: Vec<Value>,
        call: bool,
    ) -> Result<u32, String> {
        if self.run.depth + 1 > limits::FLOW_DEPTH_MAX {
            return Err(format!(
                "sub-flows nested deeper than {} (FLOW_DEPTH_MAX; a recursion that never ends?)",
                limits::FLOW_DEPTH_MAX
            ));
        }
        if self.run.children.len() >= limits::CHILDREN_MAX {
            return Err(format!(
                "more than {} sub-flows started and not yet done with (CHILDREN_MAX)",
                limits::CHILDREN_MAX
            ));
        }
        let function = self.program.func(func);
        for v in &captures {
            v.json_len(usize::MAX)
                .map_err(|e| format!("a variable captured by sub-flow `{}`: {e}", function.name))?;
        }
        let mut input = serde_json::Map::new();
        let mut room = 4 * limits::PAYLOAD_BYTES_MAX;
        for (i, v) in args.iter().enumerate() {
            let label = function
                .param_labels
                .get(i)
                .filter(|l| !l.is_empty())
                .cloned()
                .or_else(|| {
                    function
                        .params
                        .get(i)
                        .copied()
                        .flatten()
                        .map(|s| function.slot_names[s as usize].clone())
                })
                .unwrap_or_else(|| format!("arg{i}"));
            let what = || format!("input `{}` of sub-flow `{}`", i + 1, function.name);
            match v.json_len(room).map_err(|e| format!("{}: {e}", what()))? {
                Some(n) => room -= n,
                None => {
                    return Err(format!(
                        "the input of sub-flow `{}` is more than {} bytes; the payload limit is {} bytes (PAYLOAD_BYTES_MAX)",
                        function.name,
                        4 * limits::PAYLOAD_BYTES_MAX,
                        limits::PAYLOAD_BYTES_MAX
                    ))
                }
            }
            input.insert(label, v.to_json().map_err(|e| format!("{}: {e}", what()))?);
        }
        let input = serde_json::Value::Object(input);
        let size = serde_json::to_vec(&input).map(|v| v.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(format!(
                "the input of sub-flow `{}` is {size} bytes; the payload limit is {} bytes (PAYLOAD_BYTES_MAX)",
                function.name,
                limits::PAYLOAD_BYTES_MAX
            ));
        }
        let child = self.run.next_child;
        self.run.next_child += 1;
        let run_id = self.env.run_id();
        let start = ChildStart {
            func,
            args,
            captures,
            input,
        };
        self.run.children.insert(
            child,
            Child {
                run_id: run_id.clone(),
                flow: function.name.clone(),
                state: ChildState::Running,
                start: start.clone(),
                call,
            },
        );
        self.journal(EntryKind::ChildStarted {
            run_id: run_id.clone(),
            flow: function.name.clone(),
        });
        self.command(Command::StartChild {
            child,
            run_id,
            flow: function.name.clone(),
            start,
            depth: self.run.depth + 1,
        });
        Ok(child)
    }

    /// Forgets a flow call's child once nothing can need it any more (its
    /// result was delivered, or its caller is gone): a run that calls a
    /// sub-flow in a loop holds one child at a time, not every one it ever
    /// called. Children of inline flows stay (their handles may be read).
    pub(super) fn forget_call_child(&mut self, child: u32) {
        if self.run.children.get(&child).is_some_and(|c| c.call) {
            self.run.children.remove(&child);
        }
    }

    /// `CallFlow`: runs `target` as a child and waits for its result.
    pub(super) fn call_flow(&mut self, id: FiberId, target: FuncId, argc: usize) -> Step {
        let args = self.pop_n(id, argc);
        let captures = self.pop_n(id, self.program.func(target).captures.len());
        match self.start_child(target, args.clone(), captures.clone(), true) {
            Ok(child) => {
                self.fiber_mut(id).wait = Wait::Child { child, push: true };
                Err(Stop::Wait)
            }
            Err(message) => {
                let mut operands = captures;
                operands.extend(args);
                Err(self.fail_instruction(id, operands, message))
            }
        }
    }

    /// `StartInline`: starts an inline flow as a child and pushes its
    /// handle.
    pub(super) fn start_inline(&mut self, id: FiberId, target: FuncId) -> Step {
        let function = self.program.func(target);
        let inputs = self.pop_n(id, function.params.len());
        let captures = self.pop_n(id, function.captures.len());
        match self.start_child(target, inputs.clone(), captures.clone(), false) {
            Ok(child) => self.push(id, Value::Handle(child)),
            Err(message) => {
                let mut operands = captures;
                operands.extend(inputs);
                Err(self.fail_instruction(id, operands, message))
            }
        }
    }

    /// Makes sure the top `count` operands hold no running sub-flow (inside
    /// lists and objects too, when `deep`): finished handles are replaced by
    /// their results; a running one makes the fiber wait, and the
    /// instruction runs again when the child has finished.
    pub(super) fn settle_operands(&mut self, id: FiberId, count: usize, deep: bool) -> Step {
        let len = self.fiber(id).stack.len();
        for i in len.saturating_sub(count)..len {
            let operand = &self.fiber(id).stack[i];
            let has_handle = if deep {
                operand.has_handle()
            } else {
                matches!(operand, Value::Handle(_))
            };
            if !has_handle {
                continue;
            }
            let children = &self.run.children;
            let resolved = operand.replace_handles(&|h| match children.get(&h).map(|c| &c.state) {
                Some(ChildState::Completed(result)) => Some(result.clone()),
                _ => None,
            });
            match resolved {
                Some(value) => self.fiber_mut(id).stack[i] = value,
                None => {
                    let child = operand.first_handle().expect("it has a handle");
                    let cancelled = matches!(
                        self.run.children.get(&child).map(|c| &c.state),
                        Some(ChildState::Cancelled) | None
                    );
                    if cancelled {
                        let message = self.cancelled_handle(child);
                        return Err(self.fail_here(id, message));
                    }
                    self.fiber_mut(id).wait = Wait::Child { child, push: false };
                    return Err(Stop::Wait);
                }
            }
        }
        Ok(())
    }

    /// A variable (`slot`) holds the handle of `child`: its result, kept in
    /// the variable from then on; while the child runs, the fiber waits and
    /// the `Load` runs again.
    pub(super) fn handle_in_variable(
        &mut self,
        id: FiberId,
        slot: u16,
        child: u32,
    ) -> Result<Value, Stop> {
        match self.run.children.get(&child).map(|c| &c.state) {
            Some(ChildState::Completed(result)) => {
                let result = result.clone();
                self.frame_mut(id).locals[slot as usize] = result.clone();
                Ok(result)
            }
            Some(ChildState::Running) => {
                self.rewind(id, Vec::new());
                self.fiber_mut(id).wait = Wait::Child { child, push: false };
                Err(Stop::Wait)
            }
            _ => {
                let message = self.cancelled_handle(child);
                Err(self.fail_instruction(id, Vec::new(), message))
            }
        }
    }

    /// Why a handle of a cancelled (or unknown) child has no value.
    fn cancelled_handle(&self, child: u32) -> String {
        let flow = self
            .run
            .children
            .get(&child)
            .map(|c| c.flow.clone())
            .unwrap_or_default();
        format!("sub-flow `{flow}` was cancelled, so it has no result")
    }

    /// The index of the child run with this id.
    pub(super) fn child_index(&self, run_id: &str) -> Option<u32> {
        self.run
            .children
            .iter()
            .find(|(_, c)| c.run_id == run_id)
            .map(|(&index, _)| index)
    }

    /// Cancels a running child (it tells us when it has stopped).
    pub(super) fn cancel_child(&mut self, child: u32) {
        if let Some(c) = self.run.children.get_mut(&child) {
            if matches!(c.state, ChildState::Running) {
                c.state = ChildState::Cancelled;
                let run_id = c.run_id.clone();
                self.command(Command::CancelChild { run_id });
            }
        }
    }

    /// A child finished with `result` (`None`: it was cancelled). Every
    /// fiber and group slot waiting for it goes on: a flow call with the
    /// result (or fails, when there is none), a read of a handle by running
    /// again, a slot with the result (or an error value).
    pub(super) fn child_finished(&mut self, child: u32, result: Option<serde_json::Value>) {
        let Some(c) = self.run.children.get_mut(&child) else {
            return;
        };
        if !matches!(c.state, ChildState::Running) {
            return;
        }
        let flow = c.flow.clone();
        // A result the run cannot keep counts as no result, and says why.
        let (value, why) = match result.as_ref().map(Value::from_json) {
            None => (None, format!("sub-flow `{flow}` was cancelled")),
            Some(Ok(v)) => (Some(v), String::new()),
            Some(Err(e)) => (
                None,
                format!("the result of sub-flow `{flow}` cannot be used: {e}"),
            ),
        };
        c.state = match &value {
            Some(v) => ChildState::Completed(v.clone()),
            None => ChildState::Cancelled,
        };
        let run_id = c.run_id.clone();
        self.journal(EntryKind::ChildFinished { run_id, result });
        let waiting: Vec<(FiberId, bool)> = self
            .run
            .fibers
            .iter()
            .filter_map(|(&fiber, f)| match f.wait {
                Wait::Child { child: c, push } if c == child => Some((fiber, push)),
                _ => None,
            })
            .collect();
        let mut delivered = false;
        for (fiber, push) in waiting {
            // The pc is past the `CallFlow` (or `CallFlowPair`).
            let (func, pc) = self.here(fiber);
            let pair = push && self.gives_pair((func, pc.saturating_sub(1)));
            match (&value, push) {
                (Some(v), true) if pair => {
                    self.resume_with(fiber, Value::list(vec![v.clone(), Value::Null]));
                    delivered = true;
                }
                (Some(v), true) => {
                    self.resume_with(fiber, v.clone());
                    delivered = true;
                }
                // `value, err = Flow(...)`: a cancelled child is its error.
                (None, true) if pair => {
                    let err = error_object(&format!("sub-flow `{flow}` was cancelled"), 1);
                    self.resume_with(fiber, Value::list(vec![Value::Null, err]));
                    delivered = true;
                }
                (None, true) => {
                    // The pc is past the `CallFlow`; the failure points at it.
                    let (func, pc) = self.here(fiber);
                    self.fail(
                        fiber,
                        FailureKind::Child { child },
                        why.clone(),
                        (func, pc.saturating_sub(1)),
                    );
                }
                (_, false) => self.make_ready(fiber),
            }
        }
        if delivered {
            self.forget_call_child(child);
        }
        let slots: Vec<(u32, usize)> = self
            .run
            .groups
            .iter()
            .flat_map(|(&group, g)| {
                g.slots
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, slot)| match slot {
                        Slot::Child(c) if *c == child => Some((group, i)),
                        _ => None,
                    })
            })
            .collect();
        for (group, slot) in slots {
            let value = value.clone().unwrap_or_else(|| error_value(&why, 0));
            self.slot_done(group, slot, value);
        }
    }
}

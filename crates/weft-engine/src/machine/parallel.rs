//! The parallel built-ins: `WaitAll`, `ParallelExecute`, `ParallelForEach`
//! and `WaitForAny`.
//!
//! A built-in makes a [`Group`]: one slot per element of its list, filled by
//! a branch (a fiber of its own), by a child run, or at once by a value.
//! The fiber that called the built-in waits for the group; when the group's
//! mode is satisfied (every slot, or the first) it resumes with the
//! combined value and the group's branches still going are removed.

use crate::limits;
use crate::program::ParallelMode;
use crate::state::{ChildState, Group, Slot, Wait};
use crate::value::{error_value, Map, Value};

use super::values::describe;
use super::{FiberId, Machine, Step, Stop};

/// One element of a parallel built-in's list: a closure to start as a
/// branch (with its argument, for `ParallelForEach`), a sub-flow handle to
/// wait for, or a value.
type Item = (Value, Option<Value>);

impl Machine<'_> {
    /// `Parallel`: `WaitAll`, `ParallelExecute` or `WaitForAny` over the
    /// list on the stack.
    pub(super) fn parallel_list(&mut self, id: FiberId, mode: ParallelMode) -> Step {
        let list = self.pop(id);
        let Value::List(items) = &list else {
            let message = format!("a parallel built-in needs a list, not {}", describe(&list));
            return Err(self.fail_instruction(id, vec![list], message));
        };
        let items: Vec<Item> = items.iter().map(|v| (v.clone(), None)).collect();
        self.start_group(id, mode, items, vec![list])
    }

    /// `ParallelForEach`: the function on each element of the list.
    pub(super) fn parallel_for_each(&mut self, id: FiberId) -> Step {
        let function = self.pop(id);
        let list = self.pop(id);
        let (Value::List(items), Value::Closure(_)) = (&list, &function) else {
            let message = format!(
                "ParallelForEach needs a list and a function, not {} and {}",
                describe(&list),
                describe(&function)
            );
            return Err(self.fail_instruction(id, vec![list, function], message));
        };
        let items: Vec<Item> = items
            .iter()
            .map(|v| (function.clone(), Some(v.clone())))
            .collect();
        self.start_group(id, ParallelMode::Execute, items, vec![list, function])
    }

    /// Starts a group over `items` for fiber `id`; `operands` go back on
    /// the stack if it cannot start (too many branches).
    fn start_group(
        &mut self,
        id: FiberId,
        mode: ParallelMode,
        items: Vec<Item>,
        operands: Vec<Value>,
    ) -> Step {
        // Branches get their fiber ids once all of them are known to fit.
        const UNSTARTED: u32 = u32::MAX;
        let mut slots: Vec<Slot> = Vec::with_capacity(items.len());
        let mut to_spawn = Vec::new();
        for (i, (item, arg)) in items.iter().enumerate() {
            match item {
                Value::Closure(closure) => {
                    slots.push(Slot::Fiber(UNSTARTED));
                    to_spawn.push((i, closure.clone(), arg.clone()));
                }
                Value::Handle(child) => match self.run.children.get(child).map(|c| &c.state) {
                    Some(ChildState::Completed(result)) => slots.push(Slot::Done(result.clone())),
                    Some(ChildState::Running) => slots.push(Slot::Child(*child)),
                    _ => slots.push(Slot::Done(error_value("sub-flow was cancelled", 0))),
                },
                other => slots.push(Slot::Done(other.clone())),
            }
        }
        // WaitForAny with a value that is already there needs no branch.
        if mode == ParallelMode::Any {
            if let Some(Slot::Done(value)) = slots.iter().find(|s| matches!(s, Slot::Done(_))) {
                let value = value.clone();
                return self.push(id, value);
            }
        }
        if self.run.fibers.len() + to_spawn.len() > limits::FIBERS_MAX {
            return Err(self.fail_instruction(
                id,
                operands,
                format!(
                    "more than {} concurrent branches in one run",
                    limits::FIBERS_MAX
                ),
            ));
        }
        let group = self.run.next_group;
        self.run.next_group += 1;
        for (i, closure, arg) in to_spawn {
            let args = arg.map(|a| vec![a]).unwrap_or_default();
            match self.spawn(&closure, args, Some((group, i as u32))) {
                Ok(branch) => slots[i] = Slot::Fiber(branch),
                Err(message) => {
                    // Undo the branches started so far.
                    for slot in &slots {
                        if let Slot::Fiber(branch) = slot {
                            if *branch != UNSTARTED {
                                self.kill_fiber(*branch);
                            }
                        }
                    }
                    return Err(self.fail_instruction(id, operands, message));
                }
            }
        }
        self.run.groups.insert(
            group,
            Group {
                mode,
                fiber: id,
                slots,
            },
        );
        self.fiber_mut(id).wait = Wait::Group(group);
        // With nothing to wait for, this resumes the fiber at once.
        self.group_complete(group);
        Err(Stop::Wait)
    }

    /// Slot `slot` of `group` has its value.
    pub(super) fn slot_done(&mut self, group: u32, slot: usize, value: Value) {
        let Some(g) = self.run.groups.get_mut(&group) else {
            return;
        };
        g.slots[slot] = Slot::Done(value);
        self.group_complete(group);
    }

    /// Finishes `group` when its mode is satisfied: its fiber resumes with
    /// the combined value and its branches still going are removed (the
    /// losers of `WaitForAny`).
    fn group_complete(&mut self, group: u32) {
        let Some(value) = self.run.groups.get(&group).and_then(combined) else {
            return;
        };
        let g = self.run.groups.remove(&group).expect("found above");
        for slot in &g.slots {
            if let Slot::Fiber(branch) = slot {
                self.kill_fiber(*branch);
            }
        }
        self.resume_with(g.fiber, value);
    }
}

/// The group's value, once its mode is satisfied: the first value for
/// `WaitForAny`; every value in order for `ParallelExecute`; for `WaitAll`
/// `{allSuccess, results, errors}`, where errors are the results whose
/// `status` is `"error"`.
fn combined(group: &Group) -> Option<Value> {
    if group.mode == ParallelMode::Any {
        return group.slots.iter().find_map(|s| match s {
            Slot::Done(v) => Some(v.clone()),
            _ => None,
        });
    }
    // Checked before anything is cloned: a group of n branches is looked
    // at n times.
    if !group.slots.iter().all(|s| matches!(s, Slot::Done(_))) {
        return None;
    }
    let results: Vec<Value> = group
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Done(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    if group.mode == ParallelMode::Execute {
        return Some(Value::list(results));
    }
    let errors: Vec<Value> = results
        .iter()
        .filter(|v| matches!(v.field("status"), Some(Value::Str(s)) if s.as_ref() == "error"))
        .cloned()
        .collect();
    let mut fields = Map::new();
    fields.insert("allSuccess".into(), Value::Bool(errors.is_empty()));
    fields.insert("results".into(), Value::list(results));
    fields.insert("errors".into(), Value::list(errors));
    Some(Value::object(fields))
}

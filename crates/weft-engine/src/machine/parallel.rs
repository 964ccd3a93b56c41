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
        if items.is_empty() && mode == ParallelMode::Any {
            let message = "WaitForAny needs at least one element: with none it would wait for ever"
                .to_string();
            return Err(self.fail_instruction(id, vec![list], message));
        }
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

    /// `Fork`: fork by assignment. The branch closure on the stack starts
    /// now, as the one branch of a group of its own that nothing waits for
    /// (mode `Fork`); the variable gets [`Value::Fork`] naming the group,
    /// and the join that reads it adopts the branch (or its value).
    pub(super) fn fork(&mut self, id: FiberId) -> Step {
        let closure = self.pop(id);
        let Value::Closure(c) = &closure else {
            let message = format!("a fork needs a branch, not {}", describe(&closure));
            return Err(self.fail_instruction(id, vec![closure], message));
        };
        let group = self.run.next_group;
        match self.spawn(c, Vec::new(), Some((group, 0))) {
            Ok(branch) => {
                self.run.next_group += 1;
                self.run.groups.insert(
                    group,
                    Group {
                        mode: ParallelMode::Fork,
                        fiber: id,
                        slots: vec![Slot::Fiber(branch)],
                        operands: Vec::new(),
                    },
                );
                self.push(id, Value::Fork(group))?;
                // The branch goes first, so its call starts where it is
                // written (before what the flow does next); the flow goes
                // on right after it, in the same step.
                self.run.ready.push_back(id);
                Err(Stop::Wait)
            }
            Err(message) => Err(self.fail_instruction(id, vec![closure], message)),
        }
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
        // Forks by assignment this join adopts: (slot, fork group).
        let mut adopt = Vec::new();
        for (i, (item, arg)) in items.iter().enumerate() {
            match item {
                Value::Fork(fork) => {
                    match self.run.groups.get(fork).map(|g| (g.mode, &g.slots[..])) {
                        Some((ParallelMode::Fork, [Slot::Done(v)])) => {
                            slots.push(Slot::Done(v.clone()))
                        }
                        Some((ParallelMode::Fork, [Slot::Fiber(_)])) => {
                            slots.push(Slot::Fiber(UNSTARTED));
                            adopt.push((i, *fork));
                        }
                        _ => {
                            let message = format!("branch {fork} was already joined or is gone");
                            return Err(self.fail_instruction(id, operands, message));
                        }
                    }
                }
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
        // WaitForAny with a value that is already there needs no branch
        // (the forks it would have adopted lose at once).
        if mode == ParallelMode::Any {
            if let Some(Slot::Done(value)) = slots.iter().find(|s| matches!(s, Slot::Done(_))) {
                let value = value.clone();
                for item in items.iter().map(|(v, _)| v) {
                    if let Value::Fork(fork) = item {
                        self.drop_fork(*fork);
                    }
                }
                return self.push(id, value);
            }
        }
        // The flow's own fiber is not a branch.
        if self.run.fibers.len() - 1 + to_spawn.len() > limits::FIBERS_MAX {
            return Err(self.fail_instruction(
                id,
                operands,
                format!(
                    "more than {} concurrent branches in one run (FIBERS_MAX)",
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
        for (i, fork) in adopt {
            let g = self.run.groups.remove(&fork).expect("checked above");
            if let [Slot::Fiber(branch)] = g.slots[..] {
                self.fiber_mut(branch).owner = Some((group, i as u32));
                slots[i] = Slot::Fiber(branch);
            }
        }
        // Forks already done leave their groups too.
        for item in items.iter().map(|(v, _)| v) {
            if let Value::Fork(fork) = item {
                self.run.groups.remove(fork);
            }
        }
        self.run.groups.insert(
            group,
            Group {
                mode,
                fiber: id,
                slots,
                operands,
            },
        );
        self.fiber_mut(id).wait = Wait::Group(group);
        // With nothing to wait for, this resumes the fiber at once.
        self.group_complete(group);
        Err(Stop::Wait)
    }

    /// Removes fork `fork` and stops its branch if it still runs.
    fn drop_fork(&mut self, fork: u32) {
        if let Some(g) = self.run.groups.remove(&fork) {
            for slot in g.slots {
                if let Slot::Fiber(branch) = slot {
                    self.kill_fiber(branch);
                }
            }
        }
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
    ///
    /// Results that together pass the value limits fail the built-in
    /// instead, put back to run again on retry.
    fn group_complete(&mut self, group: u32) {
        let Some(value) = self.run.groups.get(&group).and_then(combined) else {
            return;
        };
        let Some(g) = self.run.groups.remove(&group) else {
            return;
        };
        for slot in &g.slots {
            if let Slot::Fiber(branch) = slot {
                self.kill_fiber(*branch);
            }
        }
        match value.check() {
            // A group stored by a build that did not keep its operands
            // cannot run again: it goes on as it always did.
            Err(message) if !g.operands.is_empty() && self.run.fibers.contains_key(&g.fiber) => {
                let message = format!("the results together are too large: {message}");
                self.fail_instruction(g.fiber, g.operands, message);
            }
            _ => self.resume_with(g.fiber, value),
        }
    }
}

/// The group's value, once its mode is satisfied: the first value for
/// `WaitForAny`; every value in order for `ParallelExecute`; for `WaitAll`
/// `{allSuccess, results, errors}`, where errors are the results whose
/// `status` is `"error"`; for a reporting `ParallelExecute` `{allPassed,
/// results, failures}`, a failure being `{index, error}` for such a result.
fn combined(group: &Group) -> Option<Value> {
    if group.mode == ParallelMode::Fork {
        // Waits, done or not, for the join that adopts it.
        return None;
    }
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
    let failed =
        |v: &Value| matches!(v.field("status"), Some(Value::Str(s)) if s.as_ref() == "error");
    if group.mode == ParallelMode::Report {
        // Each failure says which branch it was: `{index, error}`.
        let failures: Vec<Value> = results
            .iter()
            .enumerate()
            .filter(|(_, v)| failed(v))
            .map(|(i, v)| {
                let mut f = Map::default();
                f.insert("index".into(), Value::Int(i as i64));
                f.insert(
                    "error".into(),
                    v.field("error").cloned().unwrap_or(Value::Null),
                );
                Value::object(f)
            })
            .collect();
        let mut fields = Map::default();
        fields.insert("allPassed".into(), Value::Bool(failures.is_empty()));
        fields.insert("results".into(), Value::list(results));
        fields.insert("failures".into(), Value::list(failures));
        return Some(Value::object(fields));
    }
    let errors: Vec<Value> = results.iter().filter(|v| failed(v)).cloned().collect();
    let mut fields = Map::default();
    fields.insert("allSuccess".into(), Value::Bool(errors.is_empty()));
    fields.insert("results".into(), Value::list(results));
    fields.insert("errors".into(), Value::list(errors));
    Some(Value::object(fields))
}

//! What is always true of a run's state between two events.
//!
//! [`RunState::check_invariants`] states the rules the machine keeps (every
//! wait points at something that exists and points back, counters run ahead
//! of every id in use, the status says what is left, ...). The machine never
//! calls it: checking walks the whole state, which a server in production
//! must not pay for at every step. The simulator checks it after every step
//! (in debug builds, and always in the property tests), and so do the
//! engine's own tests, so a step that breaks a rule fails at the step that
//! broke it rather than events later.
//!
//! The rules hold for a state as [`crate::start`] and [`crate::apply`]
//! leave it, not in the middle of a step.

use std::collections::HashSet;
use std::fmt::Write;
use thiserror::Error;

use crate::limits;
use crate::machine::timer_key;
use crate::program::{FuncId, ParallelMode, Program};
use crate::state::*;
use crate::value::Value;

/// A run state that breaks the machine's rules: an engine bug, or a damaged
/// snapshot.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("run {run} breaks the engine's invariants: {}", problems.join("; "))]
pub struct Violations {
    /// The run.
    pub run: String,
    /// Each broken rule, one sentence each.
    pub problems: Vec<String>,
}

impl RunState {
    /// Checks every invariant of a state at rest (between two events) against
    /// the program it runs. Costs a walk over the whole state: call it from
    /// tests and simulators, not on a production server's hot path.
    pub fn check_invariants(&self, program: &Program) -> Result<(), Violations> {
        let mut check = Checker {
            state: self,
            program,
            problems: Vec::new(),
        };
        check.counters();
        check.fibers();
        check.calls();
        check.timers();
        check.groups();
        check.children();
        check.failures();
        check.status();
        if check.problems.is_empty() {
            Ok(())
        } else {
            Err(Violations {
                run: self.id.clone(),
                problems: check.problems,
            })
        }
    }
}

struct Checker<'a> {
    state: &'a RunState,
    program: &'a Program,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn problem(&mut self, text: String) {
        self.problems.push(text);
    }

    /// Ids come from counters that only grow, so a step executed again after
    /// a crash makes the same ids; an id at or past its counter would be
    /// handed out twice.
    fn counters(&mut self) {
        let s = self.state;
        if let Some(&fiber) = s.fibers.keys().next_back() {
            if fiber >= s.next_fiber {
                self.problem(format!(
                    "fiber {fiber} is not below the next fiber id {}",
                    s.next_fiber
                ));
            }
        }
        if let Some(&call) = s.calls.keys().next_back() {
            if call >= s.next_call {
                self.problem(format!(
                    "call {call} is not below the next call number {}",
                    s.next_call
                ));
            }
        }
        if s.calls.contains_key(&0) {
            self.problem("call numbers start at 1, but call 0 exists".into());
        }
        if let Some(&child) = s.children.keys().next_back() {
            if child >= s.next_child {
                self.problem(format!(
                    "child {child} is not below the next child index {}",
                    s.next_child
                ));
            }
        }
        if let Some(&group) = s.groups.keys().next_back() {
            if group >= s.next_group {
                self.problem(format!(
                    "group {group} is not below the next group id {}",
                    s.next_group
                ));
            }
        }
        // The flow's own fiber is not a branch.
        if s.fibers.len() > limits::FIBERS_MAX + 1 {
            self.problem(format!(
                "{} fibers, more than FIBERS_MAX ({}) branches and the flow",
                s.fibers.len(),
                limits::FIBERS_MAX
            ));
        }
        if s.depth > limits::FLOW_DEPTH_MAX {
            self.problem(format!(
                "depth {} is past FLOW_DEPTH_MAX ({})",
                s.depth,
                limits::FLOW_DEPTH_MAX
            ));
        }
    }

    fn fibers(&mut self) {
        let s = self.state;
        // A step ends when every fiber waits, or when its turn is over: then
        // the ready fibers go on in the next turn, which is armed.
        if !s.ready.is_empty() && !s.timers.contains_key(timer_key::CONTINUE) {
            self.problem(format!(
                "fibers {:?} are ready at rest, but the run's next turn is not armed",
                s.ready
            ));
        }
        let mut queued = HashSet::new();
        for id in &s.ready {
            if !queued.insert(*id) {
                self.problem(format!("fiber {id} is queued to run twice"));
            }
            if s.fibers.get(id).map(|f| &f.wait) != Some(&Wait::Ready) {
                self.problem(format!("fiber {id} is queued to run, but is not ready"));
            }
        }
        for (&id, fiber) in &s.fibers {
            self.frames(id, fiber);
            match fiber.owner {
                None if id != 0 => self.problem(format!(
                    "fiber {id} belongs to no group, but only fiber 0 (the flow) may"
                )),
                None => {}
                Some((group, slot)) => {
                    let points_back = s
                        .groups
                        .get(&group)
                        .and_then(|g| g.slots.get(slot as usize))
                        .is_some_and(|s| matches!(s, Slot::Fiber(f) if *f == id));
                    if !points_back {
                        self.problem(format!(
                            "fiber {id} belongs to slot {slot} of group {group}, which does not hold it"
                        ));
                    }
                }
            }
            match &fiber.wait {
                Wait::Ready => {
                    if !s.ready.contains(&id) {
                        self.problem(format!(
                            "fiber {id} is ready at rest, but not queued to run"
                        ));
                    }
                }
                Wait::Call(call) => match s.calls.get(call) {
                    None => self.problem(format!(
                        "fiber {id} waits for call {call}, which does not exist"
                    )),
                    Some(c) if c.fiber != id => self.problem(format!(
                        "fiber {id} waits for call {call}, which belongs to fiber {}",
                        c.fiber
                    )),
                    Some(c) if c.phase == CallPhase::Failed => self.problem(format!(
                        "fiber {id} waits for call {call}, which failed for good"
                    )),
                    Some(_) => {}
                },
                Wait::Timer(key) => match s.timers.get(key).map(|t| &t.kind) {
                    Some(TimerKind::Sleep { fiber: f, .. }) if *f == id => {}
                    _ => self.problem(format!(
                        "fiber {id} waits for timer `{key}`, which is not its sleep timer"
                    )),
                },
                Wait::Child { child, .. } => match s.children.get(child).map(|c| &c.state) {
                    Some(ChildState::Running) => {}
                    _ => self.problem(format!(
                        "fiber {id} waits for child {child}, which is not running"
                    )),
                },
                Wait::Group(group) => {
                    if s.groups.get(group).map(|g| g.fiber) != Some(id) {
                        self.problem(format!(
                            "fiber {id} waits for group {group}, which is not waited for by it"
                        ));
                    }
                }
                Wait::Failed => {
                    if !s.failures.contains_key(&id) {
                        self.problem(format!("fiber {id} has failed, but no failure is recorded"));
                    }
                }
            }
            for v in &fiber.stack {
                self.value(v, &format!("the stack of fiber {id}"));
            }
        }
    }

    fn frames(&mut self, id: u32, fiber: &Fiber) {
        if fiber.frames.is_empty() {
            self.problem(format!(
                "fiber {id} has no frame (a fiber whose last frame returns is removed)"
            ));
        }
        if fiber.frames.len() > limits::FRAMES_MAX {
            self.problem(format!(
                "fiber {id} has {} frames, more than FRAMES_MAX ({})",
                fiber.frames.len(),
                limits::FRAMES_MAX
            ));
        }
        if fiber.stack.len() > limits::STACK_MAX {
            self.problem(format!(
                "fiber {id} has {} operands, more than STACK_MAX ({})",
                fiber.stack.len(),
                limits::STACK_MAX
            ));
        }
        let mut base = 0;
        for (depth, frame) in fiber.frames.iter().enumerate() {
            let at = format!("frame {depth} of fiber {id}");
            let Some(func) = self.program.functions.get(frame.func as usize) else {
                self.problem(format!(
                    "{at} runs function {}, which does not exist",
                    frame.func
                ));
                continue;
            };
            // Every function ends with `Return`, so a frame that is still
            // there has an instruction left to execute.
            if frame.pc as usize >= func.code.len() {
                self.problem(format!(
                    "{at} is at instruction {}, past the {} of `{}`",
                    frame.pc,
                    func.code.len(),
                    func.name
                ));
            }
            if frame.locals.len() != func.slot_names.len() {
                self.problem(format!(
                    "{at} has {} variables, but `{}` has {}",
                    frame.locals.len(),
                    func.name,
                    func.slot_names.len()
                ));
            }
            if depth == 0 && frame.base != 0 {
                self.problem(format!("{at} starts at stack height {}, not 0", frame.base));
            }
            if frame.base < base {
                self.problem(format!(
                    "{at} starts at stack height {}, below its caller's {base}",
                    frame.base
                ));
            }
            base = frame.base;
            for v in &frame.locals {
                self.value(v, &format!("a variable of {at}"));
            }
        }
        if base as usize > fiber.stack.len() {
            self.problem(format!(
                "the innermost frame of fiber {id} starts at stack height {base}, above the stack's {}",
                fiber.stack.len()
            ));
        }
    }

    fn calls(&mut self) {
        let s = self.state;
        for (&seq, call) in &s.calls {
            let who = format!("call {seq} ({})", call.activity);
            match s.fibers.get(&call.fiber) {
                None => self.problem(format!(
                    "{who} belongs to fiber {}, which does not exist",
                    call.fiber
                )),
                Some(fiber) => {
                    let waits = fiber.wait == Wait::Call(seq);
                    let failed_here = call.phase == CallPhase::Failed
                        && fiber.wait == Wait::Failed
                        && s.failures.get(&call.fiber).map(|f| &f.kind)
                            == Some(&FailureKind::Call { call: seq });
                    if !waits && !failed_here {
                        self.problem(format!(
                            "{who} is neither waited for by fiber {} nor its recorded failure",
                            call.fiber
                        ));
                    }
                }
            }
            let expected_id = format!("{}-{seq}", s.id);
            if call.call_id != expected_id {
                self.problem(format!(
                    "{who} has call id `{}`, not `{expected_id}`",
                    call.call_id
                ));
            }
            if call.attempt == 0 || call.attempt <= call.attempt_base {
                self.problem(format!(
                    "{who} is at attempt {} with a budget starting after attempt {}",
                    call.attempt, call.attempt_base
                ));
            } else if call.attempt - call.attempt_base > call.retries.saturating_add(1) {
                self.problem(format!(
                    "{who} made {} attempts in its budget, more than 1 + {} retries",
                    call.attempt - call.attempt_base,
                    call.retries
                ));
            }
            if call.retries > limits::RETRIES_MAX {
                self.problem(format!(
                    "{who} has {} retries, more than RETRIES_MAX ({})",
                    call.retries,
                    limits::RETRIES_MAX
                ));
            }
            if call.backoff_ms > call.backoff_max_ms {
                self.problem(format!(
                    "{who} backs off {} ms at first but {} ms at most",
                    call.backoff_ms, call.backoff_max_ms
                ));
            }
            if call.token.is_some() != call.awaited {
                self.problem(format!(
                    "{who} has a callback token if and only if it is not awaited"
                ));
            }
            if call.phase == CallPhase::Callback && !call.awaited {
                self.problem(format!("{who} waits for a callback, but is not awaited"));
            }
            let backoff_armed = s.timers.contains_key(&timer_key::backoff(seq));
            if (call.phase == CallPhase::Backoff) != backoff_armed {
                self.problem(format!(
                    "{who} is in phase {:?}, but its back-off timer is {}",
                    call.phase,
                    if backoff_armed { "armed" } else { "not armed" }
                ));
            }
            if call.phase == CallPhase::Running
                && !call.awaited
                && call.timeout_ms.is_some()
                && !s
                    .timers
                    .contains_key(&timer_key::attempt(seq, call.attempt))
            {
                self.problem(format!(
                    "{who} has a timeout, but attempt {} has no timer",
                    call.attempt
                ));
            }
            self.instruction(call.at.0, call.at.1, &who);
        }
    }

    fn timers(&mut self) {
        let s = self.state;
        for (key, timer) in &s.timers {
            let (expected_key, fits) = match &timer.kind {
                TimerKind::Attempt { call, attempt } => (
                    timer_key::attempt(*call, *attempt),
                    s.calls.get(call).is_some_and(|c| {
                        c.attempt == *attempt && c.phase == CallPhase::Running && !c.awaited
                    }),
                ),
                TimerKind::Backoff { call } => (
                    timer_key::backoff(*call),
                    s.calls
                        .get(call)
                        .is_some_and(|c| c.phase == CallPhase::Backoff),
                ),
                TimerKind::AwaitTimeout { call } => (
                    timer_key::await_timeout(*call),
                    s.calls.get(call).is_some_and(|c| c.awaited),
                ),
                TimerKind::Continue => (timer_key::CONTINUE.to_string(), !s.ready.is_empty()),
                TimerKind::Sleep { fiber, value } => {
                    self.value(value, &format!("timer `{key}`"));
                    (
                        timer_key::sleep(*fiber),
                        s.fibers
                            .get(fiber)
                            .is_some_and(|f| f.wait == Wait::Timer(key.clone())),
                    )
                }
            };
            if *key != expected_key {
                self.problem(format!("timer `{key}` should be keyed `{expected_key}`"));
            }
            if !fits {
                self.problem(format!(
                    "timer `{key}` ({:?}) has nothing waiting for it",
                    timer.kind
                ));
            }
        }
    }

    fn groups(&mut self) {
        let s = self.state;
        for (&id, group) in &s.groups {
            let fork = group.mode == ParallelMode::Fork;
            if fork && (group.slots.len() != 1 || !s.fibers.contains_key(&group.fiber)) {
                self.problem(format!(
                    "fork {id} has {} slots and belongs to fiber {}, which must exist",
                    group.slots.len(),
                    group.fiber
                ));
            }
            if !fork && s.fibers.get(&group.fiber).map(|f| &f.wait) != Some(&Wait::Group(id)) {
                self.problem(format!(
                    "group {id} is waited for by fiber {}, which does not wait for it",
                    group.fiber
                ));
            }
            for (i, slot) in group.slots.iter().enumerate() {
                match slot {
                    Slot::Fiber(f) => {
                        if s.fibers.get(f).and_then(|f| f.owner) != Some((id, i as u32)) {
                            self.problem(format!(
                                "slot {i} of group {id} is fiber {f}, which does not belong to it"
                            ));
                        }
                    }
                    Slot::Child(c) => {
                        if !matches!(
                            s.children.get(c).map(|c| &c.state),
                            Some(ChildState::Running)
                        ) {
                            self.problem(format!(
                                "slot {i} of group {id} waits for child {c}, which is not running"
                            ));
                        }
                    }
                    Slot::Done(v) => self.value(v, &format!("slot {i} of group {id}")),
                }
            }
            // A group whose mode is satisfied resumes its fiber in the same
            // step; one left at rest would never resume.
            let done = group
                .slots
                .iter()
                .filter(|s| matches!(s, Slot::Done(_)))
                .count();
            let complete = match group.mode {
                // Waits for its join, done or not.
                ParallelMode::Fork => false,
                ParallelMode::Any => done > 0,
                ParallelMode::All | ParallelMode::Execute | ParallelMode::Report => {
                    done == group.slots.len()
                }
            };
            if complete {
                self.problem(format!("group {id} is complete but still waited for"));
            }
        }
    }

    fn children(&mut self) {
        let s = self.state;
        let mut run_ids = HashSet::new();
        for (&index, child) in &s.children {
            if !run_ids.insert(child.run_id.as_str()) {
                self.problem(format!(
                    "child {index} has run id `{}`, which another child has",
                    child.run_id
                ));
            }
            if self
                .program
                .functions
                .get(child.start.func as usize)
                .is_none()
            {
                self.problem(format!(
                    "child {index} runs function {}, which does not exist",
                    child.start.func
                ));
            }
            if s.status.is_terminal() && matches!(child.state, ChildState::Running) {
                self.problem(format!(
                    "child {index} is still running, but the run is {}",
                    s.status.as_str()
                ));
            }
        }
    }

    fn failures(&mut self) {
        let s = self.state;
        for (&fiber, failure) in &s.failures {
            if s.fibers.get(&fiber).map(|f| &f.wait) != Some(&Wait::Failed) {
                self.problem(format!(
                    "a failure is recorded for fiber {fiber}, which has not failed"
                ));
            }
            match failure.kind {
                FailureKind::Call { call } => {
                    let fits = s
                        .calls
                        .get(&call)
                        .is_some_and(|c| c.fiber == fiber && c.phase == CallPhase::Failed);
                    if !fits {
                        self.problem(format!(
                            "the failure of fiber {fiber} names call {call}, which is not its failed call"
                        ));
                    }
                }
                FailureKind::Child { child } => {
                    if !matches!(
                        s.children.get(&child).map(|c| &c.state),
                        Some(ChildState::Cancelled)
                    ) {
                        self.problem(format!(
                            "the failure of fiber {fiber} names child {child}, which was not cancelled"
                        ));
                    }
                }
                FailureKind::Expression => {}
            }
        }
    }

    /// The status is what `update_status` computes from what is left, and a
    /// finished run has nothing left.
    fn status(&mut self) {
        let s = self.state;
        if s.status.is_terminal() {
            let mut left = String::new();
            for (what, n) in [
                ("fibers", s.fibers.len()),
                ("calls", s.calls.len()),
                ("timers", s.timers.len()),
                ("groups", s.groups.len()),
                ("ready fibers", s.ready.len()),
                ("failures", s.failures.len()),
            ] {
                if n > 0 {
                    let _ = write!(left, " {n} {what}");
                }
            }
            if !left.is_empty() {
                self.problem(format!("the run is {} but has{left}", s.status.as_str()));
            }
            if (s.status == Status::Completed) != s.result.is_some() {
                self.problem(format!(
                    "the run is {} and {} a result",
                    s.status.as_str(),
                    if s.result.is_some() { "has" } else { "has no" }
                ));
            }
            return;
        }
        if s.result.is_some() {
            self.problem(format!("the run is {} but has a result", s.status.as_str()));
        }
        if !s.fibers.contains_key(&0) {
            self.problem(format!(
                "the run is {} but its flow (fiber 0) is gone",
                s.status.as_str()
            ));
        }
        let expected = if !s.failures.is_empty() {
            Status::Failed
        } else if !s.ready.is_empty()
            || s.calls
                .values()
                .any(|c| !c.awaited && matches!(c.phase, CallPhase::Running | CallPhase::Backoff))
        {
            Status::Running
        } else {
            Status::Waiting
        };
        if s.status != expected {
            self.problem(format!(
                "the run is {} but what is left says {}",
                s.status.as_str(),
                expected.as_str()
            ));
        }
    }

    fn instruction(&mut self, func: FuncId, pc: u32, who: &str) {
        match self.program.functions.get(func as usize) {
            None => self.problem(format!("{who} is in function {func}, which does not exist")),
            Some(f) if pc as usize >= f.code.len() => self.problem(format!(
                "{who} is at instruction {pc}, past the {} of `{}`",
                f.code.len(),
                f.name
            )),
            Some(_) => {}
        }
    }

    /// Handles name existing children and closures existing functions. The
    /// walk uses its own stack: values can nest deeper than the thread's.
    fn value(&mut self, v: &Value, place: &str) {
        let mut todo = vec![v];
        while let Some(v) = todo.pop() {
            match v {
                Value::List(items) => todo.extend(items.iter()),
                Value::Object(m) => todo.extend(m.values()),
                Value::Closure(c) => {
                    if self.program.functions.get(c.func as usize).is_none() {
                        self.problem(format!(
                            "{place} holds a closure of function {}, which does not exist",
                            c.func
                        ));
                    }
                    todo.extend(c.captures.iter());
                }
                Value::Handle(h) if !self.state.children.contains_key(h) => {
                    self.problem(format!(
                        "{place} holds a handle of child {h}, which does not exist"
                    ));
                }
                Value::Fork(g)
                    if self.state.groups.get(g).map(|g| g.mode) != Some(ParallelMode::Fork) =>
                {
                    self.problem(format!("{place} holds fork {g}, which does not exist"));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::{self, Env};

    struct Fixed(u32);

    impl Env for Fixed {
        fn now(&self) -> i64 {
            0
        }
        fn token(&mut self) -> String {
            self.0 += 1;
            format!("token-{}", self.0)
        }
        fn run_id(&mut self) -> String {
            self.0 += 1;
            format!("child-{}", self.0)
        }
        fn jitter(&mut self) -> f64 {
            0.5
        }
    }

    /// A run of `source`'s first flow, started with `input`.
    fn started(source: &str, input: serde_json::Value) -> (Program, RunState) {
        let program = crate::compile_source("main.weft", source).unwrap();
        let func = program.flows[0];
        let args = machine::bind_input(&program, func, &input).unwrap();
        let (state, _) = machine::start(
            &program,
            "run".into(),
            func,
            args,
            Vec::new(),
            input,
            0,
            &mut Fixed(0),
        );
        (program, state)
    }

    /// The problems found after `damage`; the intact state has none.
    fn problems(source: &str, damage: impl FnOnce(&mut RunState)) -> Vec<String> {
        let (program, mut state) = started(source, serde_json::Value::Null);
        assert_eq!(state.check_invariants(&program), Ok(()));
        damage(&mut state);
        state
            .check_invariants(&program)
            .expect_err("the damage is found")
            .problems
    }

    const CALL: &str = "flow Main() {\n    return A() @retry(1) @timeout(1m)\n}\n";
    const SLEEP: &str = "flow Main() {\n    Sleep(1h)\n    return 1\n}\n";
    const GROUP: &str = "flow Main() {\n    return WaitAll([A(), B()])\n}\n";

    fn has(problems: &[String], part: &str) -> bool {
        problems.iter().any(|p| p.contains(part))
    }

    #[test]
    fn a_wait_for_a_call_that_is_gone_is_found() {
        let found = problems(CALL, |s| {
            s.calls.clear();
        });
        assert!(
            has(&found, "waits for call 1, which does not exist"),
            "{found:?}"
        );
        assert!(has(&found, "timer `attempt:1:1`"), "{found:?}");
        assert!(has(&found, "what is left says waiting"), "{found:?}");
    }

    #[test]
    fn counters_behind_ids_in_use_are_found() {
        let found = problems(CALL, |s| s.next_call = 1);
        assert!(
            has(&found, "call 1 is not below the next call number 1"),
            "{found:?}"
        );
        let found = problems(GROUP, |s| s.next_fiber = 2);
        assert!(
            has(&found, "fiber 2 is not below the next fiber id 2"),
            "{found:?}"
        );
    }

    #[test]
    fn frames_out_of_their_function_are_found() {
        let found = problems(SLEEP, |s| {
            let frame = &mut s.fibers.get_mut(&0).unwrap().frames[0];
            frame.pc = 999;
            frame.locals.push(Value::Null);
        });
        assert!(has(&found, "is at instruction 999, past the"), "{found:?}");
        assert!(
            has(&found, "has 1 variables, but `Main` has 0"),
            "{found:?}"
        );
    }

    #[test]
    fn a_ready_fiber_at_rest_is_found() {
        let found = problems(SLEEP, |s| {
            s.ready.push_back(0);
            s.fibers.get_mut(&0).unwrap().wait = Wait::Ready;
        });
        assert!(has(&found, "ready at rest"), "{found:?}");
        assert!(has(&found, "timer `sleep:0`"), "{found:?}");
    }

    #[test]
    fn groups_and_branches_point_at_each_other() {
        let found = problems(GROUP, |s| {
            s.fibers.get_mut(&1).unwrap().owner = Some((0, 1));
        });
        assert!(
            has(&found, "fiber 1 belongs to slot 1 of group 0"),
            "{found:?}"
        );
        assert!(has(&found, "slot 0 of group 0 is fiber 1"), "{found:?}");
    }

    #[test]
    fn a_status_that_disagrees_with_what_is_left_is_found() {
        let found = problems(CALL, |s| s.status = Status::Completed);
        assert!(
            has(
                &found,
                "the run is completed but has 1 fibers 1 calls 1 timers"
            ),
            "{found:?}"
        );
        let found = problems(SLEEP, |s| s.status = Status::Running);
        assert!(
            has(&found, "the run is running but what is left says waiting"),
            "{found:?}"
        );
    }

    #[test]
    fn handles_and_closures_must_name_what_exists() {
        let found = problems(SLEEP, |s| {
            let fiber = s.fibers.get_mut(&0).unwrap();
            fiber.stack.push(Value::list(vec![Value::Handle(4)]));
        });
        assert!(has(&found, "holds a handle of child 4"), "{found:?}");
    }
}

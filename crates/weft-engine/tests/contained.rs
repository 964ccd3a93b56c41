//! Runs held to their limits where a transcript would be too long to read
//! (thousands of children, a million events), and engine defects that show
//! in the state rather than in what a run emits.
//!
//! Each test drives the machine directly, with every turn given at once
//! (the `continue` timer fired as soon as it is armed), and checks the
//! state's invariants after every event.

use serde_json::json;
use weft_engine::machine::{self, Env};
use weft_engine::state::{ChildStart, Command, EntryKind, Event, RunState};
use weft_engine::{compile_source, limits, Program, Status, Value};

struct World {
    now: i64,
    ids: u32,
}

impl Env for World {
    fn now(&self) -> i64 {
        self.now
    }
    fn token(&mut self) -> String {
        self.ids += 1;
        format!("token-{}", self.ids)
    }
    fn run_id(&mut self) -> String {
        self.ids += 1;
        format!("child-{}", self.ids)
    }
    fn jitter(&mut self) -> f64 {
        0.5
    }
}

/// A run of `source`'s flow `Main`, and everything it emitted.
struct Run {
    program: Program,
    state: RunState,
    world: World,
    journal: Vec<EntryKind>,
    commands: Vec<Command>,
}

impl Run {
    fn start(source: &str, input: serde_json::Value) -> Run {
        let program = compile_source("main.weft", source).expect("the flow compiles");
        let func = program.flow("Main").expect("the program has Main");
        let args = machine::bind_input(&program, func, &input).expect("the input binds");
        let mut world = World { now: 0, ids: 0 };
        let (state, out) = machine::start(
            &program,
            "run".into(),
            func,
            args,
            Vec::new(),
            input,
            0,
            &mut world,
        );
        let mut run = Run {
            program,
            state,
            world,
            journal: Vec::new(),
            commands: Vec::new(),
        };
        run.took(out);
        run
    }

    fn took(&mut self, out: machine::Output) {
        if let Err(e) = self.state.check_invariants(&self.program) {
            panic!("{e}");
        }
        self.journal.extend(out.journal.into_iter().map(|e| e.kind));
        self.commands.extend(out.commands);
        // The run's next turns, as a host gives them.
        if self.state.timers.contains_key("continue") {
            self.apply(Event::TimerFired {
                key: "continue".into(),
            });
        }
    }

    fn apply(&mut self, event: Event) {
        let out = machine::apply(&self.program, &mut self.state, event, &mut self.world)
            .expect("the event applies");
        self.took(out);
    }

    /// The message of the last failure in the journal.
    fn failure(&self) -> &str {
        self.journal
            .iter()
            .rev()
            .find_map(|e| match e {
                EntryKind::Failed { error, .. } => Some(error.as_str()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no failure in {:?}", self.journal))
    }

    fn children_started(&self) -> usize {
        self.commands
            .iter()
            .filter(|c| matches!(c, Command::StartChild { .. }))
            .count()
    }
}

/// Inline children are bounded: a loop that starts them one after another
/// without reading their results fails at the one past CHILDREN_MAX.
#[test]
fn inline_children_are_bounded() {
    let run = Run::start(
        "flow Main(n) {\n    for i in range(n) {\n        _h = flow Kid(i) {\n            Sleep(1h)\n            return i\n        }\n    }\n    return 1\n}\n",
        json!(limits::CHILDREN_MAX + 5),
    );
    assert_eq!(run.state.status, Status::Failed);
    assert!(run.failure().contains("CHILDREN_MAX"), "{}", run.failure());
    assert_eq!(run.children_started(), limits::CHILDREN_MAX);
    assert_eq!(run.state.children.len(), limits::CHILDREN_MAX);
}

/// A flow called in a loop holds one child at a time: once the caller has
/// its result, the child no longer counts against CHILDREN_MAX.
#[test]
fn flow_calls_hold_one_child_at_a_time() {
    let mut run = Run::start(
        "flow Main(n) {\n    t = 0\n    for i in range(n) {\n        t += Kid(i)\n    }\n    return t\n}\n\nflow Kid(i) {\n    return i\n}\n",
        json!(limits::CHILDREN_MAX + 5),
    );
    let mut finished = 0;
    while run.state.status == Status::Waiting {
        let (index, run_id) = run
            .state
            .children
            .iter()
            .map(|(i, c)| (*i, c.run_id.clone()))
            .next()
            .expect("a child is running");
        assert_eq!(run.state.children.len(), 1, "one child at a time");
        run.apply(Event::ChildFinished {
            child: index,
            run_id: Some(run_id),
            result: Some(json!(1)),
        });
        finished += 1;
    }
    assert_eq!(
        run.state.status,
        Status::Completed,
        "{:?}",
        run.journal.last()
    );
    assert_eq!(finished, limits::CHILDREN_MAX + 5);
    assert!(run.state.children.is_empty());
}

/// A run that waits for ever (`while true { Sleep(1ms) }`) fails when it
/// has taken RUN_EVENTS_MAX events; a retry counts again from zero.
#[test]
fn a_run_that_loops_on_timers_ends_at_the_events_limit() {
    let mut run = Run::start(
        "flow Main() {\n    n = 0\n    while true {\n        Sleep(1ms)\n        n++\n    }\n}\n",
        json!(null),
    );
    // The count as if the run had already taken nearly all its events.
    run.state.events = limits::RUN_EVENTS_MAX - 2;
    for _ in 0..3 {
        run.world.now += 1;
        run.apply(Event::TimerFired {
            key: "sleep:0".into(),
        });
    }
    assert_eq!(run.state.status, Status::Failed);
    assert!(
        run.failure().contains("RUN_EVENTS_MAX"),
        "{}",
        run.failure()
    );
    run.apply(Event::Retry);
    assert_eq!(run.state.events, 0);
    assert_eq!(run.state.status, Status::Waiting, "sleeping again");
}

/// A stored child start whose arguments no longer fit its function (more
/// arguments than parameters) must not panic: the child ends cancelled,
/// saying why.
#[test]
fn a_child_start_with_too_many_arguments_cancels_the_child() {
    let program = compile_source("main.weft", "flow Kid(a) {\n    return a\n}\n").unwrap();
    let start = ChildStart {
        func: program.flow("Kid").unwrap(),
        args: vec![Value::Int(1), Value::Int(2)],
        captures: Vec::new(),
        input: json!({"a": 1, "arg1": 2}),
    };
    let (state, out) = machine::start(
        &program,
        "child".into(),
        start.func,
        start.args,
        start.captures,
        start.input,
        1,
        &mut World { now: 0, ids: 0 },
    );
    assert_eq!(state.status, Status::Cancelled);
    state.check_invariants(&program).unwrap();
    let reason = out
        .journal
        .iter()
        .find_map(|e| match &e.kind {
            EntryKind::Cancelled { reason } => Some(reason.clone()),
            _ => None,
        })
        .expect("the run says why it was cancelled");
    assert!(
        reason.contains("takes 1 argument(s) but was given 2"),
        "{reason}"
    );
    assert!(out
        .commands
        .iter()
        .any(|c| matches!(c, Command::Finished { result: None })));
}

/// A prelude call (`CallFunc`) that meets FRAMES_MAX puts back what it took
/// and nothing more, so each retry leaves the stack as it found it.
#[test]
fn a_prelude_call_past_the_frame_limit_leaves_the_stack_as_it_was() {
    let mut run = Run::start(
        "flow Main() {\n    deep = func(self, n) {\n        if n == 0 {\n            return RunCompensations([])\n        }\n        return self(self, n - 1)\n    }\n    return deep(deep, 300)\n}\n",
        json!(null),
    );
    let depth = |run: &Run| run.state.fibers[&0].stack.len();
    assert_eq!(run.state.status, Status::Failed);
    assert!(run.failure().contains("FRAMES_MAX"), "{}", run.failure());
    let before = depth(&run);
    for _ in 0..3 {
        run.apply(Event::Retry);
        assert_eq!(depth(&run), before, "a retry adds nothing to the stack");
    }
}

/// Building values element by element costs what it builds: a 100,000-key
/// object, a list of 99,999 appends and text grown by a character at a time
/// all finish within one segment's budget, in a few turns.
#[test]
fn values_built_one_element_at_a_time_finish_within_the_budget() {
    for source in [
        "flow Main() {\n    o = {}\n    for i in range(100000) {\n        o[string(i)] = i\n    }\n    return len(o)\n}\n",
        "flow Main() {\n    l = []\n    for i in range(99999) {\n        l = append(l, i)\n    }\n    return len(l)\n}\n",
        "flow Main() {\n    s = \"\"\n    for i in range(100000) {\n        s += \"x\"\n    }\n    return len(s)\n}\n",
        "flow Main() {\n    l = range(100000)\n    for i in range(100000) {\n        l[i] = i * 2\n    }\n    return len(l)\n}\n",
    ] {
        let run = Run::start(source, json!(null));
        assert_eq!(run.state.status, Status::Completed, "{source}: {:?}", run.journal.last());
    }
}

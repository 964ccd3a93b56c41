//! Replaying a run from its journal: the state after any step, rebuilt by
//! applying the recorded causes again to the run's program.
//!
//! The machine is deterministic given what [`Env`] hands it, so a step is
//! repeated exactly when it gets the same event, time, ids and jitter. The
//! journal holds them: each step's [`Cause`] (the event, the jitter drawn,
//! how a sub-flow was started), the step's time (every entry of a step
//! carries it), and the ids of the sub-flows it started (its
//! `ChildStarted` entries). Callback tokens are not kept (they are
//! secrets, and nothing the flow computes depends on them): a replayed
//! state has made-up tokens.
//!
//! Every replayed step is checked: the entries it emits must be the ones
//! recorded. A difference means the program or the engine no longer does
//! what it did when the run went through that step, and replay stops with
//! [`ReplayError::Diverged`] rather than show a state the run never had.
//!
//! Nothing is stored per step but the cause (tens of bytes; the values it
//! would repeat are pointed at in the step's entries, see
//! [`Cause::value_in`]): a state is rebuilt when asked for, at the cost of
//! running the steps before it.

use thiserror::Error;

use crate::machine::{self, Env, Output};
use crate::program::{FuncId, Program};
use crate::state::{Cause, Entry, EntryKind, Event, RunState};

/// Why a run could not be replayed.
#[derive(Debug, Error, PartialEq)]
pub enum ReplayError {
    /// A step was stored without its cause (by a build that did not
    /// record them), so nothing from it on can be replayed.
    #[error(
        "step {0} was recorded without its cause (by an earlier build of Weft); \
         the run cannot be replayed past step {prev}",
        prev = .0 - 1
    )]
    NotRecorded(i64),
    /// The first step is not how a run begins.
    #[error("step 1 does not start the run: {0}")]
    BadStart(String),
    /// A recorded cause does not fit its step.
    #[error("step {step}: {message}")]
    BadCause {
        /// The step.
        step: i64,
        /// What does not fit.
        message: String,
    },
    /// Replaying a step emitted other entries than the journal holds.
    #[error(
        "step {step} replays differently from how it happened (the program or the engine \
         changed): {detail}"
    )]
    Diverged {
        /// The step.
        step: i64,
        /// The first difference.
        detail: String,
    },
}

/// How the run began, for its first step.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A run of a flow, started with this input.
    Flow {
        /// The flow's function.
        func: FuncId,
    },
    /// A sub-flow run: its cause says how its parent started it.
    Child,
    /// A fork: the state of the run it was forked from, after the step it
    /// was forked at.
    Fork(Box<RunState>),
}

/// The world as it was during one recorded step.
struct Recorded<'a> {
    now: i64,
    jitter: std::slice::Iter<'a, f64>,
    ids: std::vec::IntoIter<String>,
    tokens: u32,
    short: Option<&'static str>,
}

impl<'a> Recorded<'a> {
    fn new(entries: &[Entry], cause: &'a Cause) -> Recorded<'a> {
        let ids: Vec<String> = entries
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::ChildStarted { run_id, .. } => Some(run_id.clone()),
                _ => None,
            })
            .collect();
        Recorded {
            now: entries.first().map_or(0, |e| e.at),
            jitter: cause.jitter.iter(),
            ids: ids.into_iter(),
            tokens: 0,
            short: None,
        }
    }
}

impl Env for Recorded<'_> {
    fn now(&self) -> i64 {
        self.now
    }
    fn token(&mut self) -> String {
        self.tokens += 1;
        format!("replayed-token-{}", self.tokens)
    }
    fn run_id(&mut self) -> String {
        self.ids.next().unwrap_or_else(|| {
            self.short = Some("a sub-flow id");
            String::from("replayed-missing-id")
        })
    }
    fn jitter(&mut self) -> f64 {
        self.jitter.next().copied().unwrap_or_else(|| {
            self.short = Some("a jitter draw");
            0.5
        })
    }
}

/// Checks that a replayed step emitted what was recorded.
fn same(step: i64, got: &Output, env: &Recorded<'_>, want: &[Entry]) -> Result<(), ReplayError> {
    if let Some(what) = env.short {
        return Err(ReplayError::Diverged {
            step,
            detail: format!("it needed {what} the journal does not have"),
        });
    }
    if got.journal.len() != want.len() {
        return Err(ReplayError::Diverged {
            step,
            detail: format!("{} entries instead of {}", got.journal.len(), want.len()),
        });
    }
    // As stored: what JSON leaves out (a location's byte span) is not
    // recorded, so it cannot differ.
    let show = |e: &Entry| serde_json::to_string(e).unwrap_or_default();
    for (i, (g, w)) in got.journal.iter().zip(want).enumerate() {
        if show(g) != show(w) {
            return Err(ReplayError::Diverged {
                step,
                detail: format!("entry {}: {} instead of {}", i + 1, show(g), show(w)),
            });
        }
    }
    Ok(())
}

/// The first step again: the run's state after it.
pub fn start(
    program: &Program,
    run_id: &str,
    origin: Origin,
    entries: &[Entry],
    cause: Option<&Cause>,
    fork_of: Option<(&str, i64)>,
) -> Result<RunState, ReplayError> {
    let cause = cause.ok_or(ReplayError::NotRecorded(1))?;
    let mut env = Recorded::new(entries, cause);
    let (state, out) = match origin {
        Origin::Flow { func } => {
            let Some(EntryKind::Started { input }) = entries.first().map(|e| &e.kind) else {
                return Err(ReplayError::BadStart("no `started` entry".into()));
            };
            let args = machine::bind_input(program, func, input).map_err(ReplayError::BadStart)?;
            machine::start(
                program,
                run_id.to_string(),
                func,
                args,
                Vec::new(),
                input.clone(),
                0,
                &mut env,
            )
        }
        Origin::Child => {
            let Some(child) = &cause.child else {
                return Err(ReplayError::BadStart(
                    "a sub-flow's first step does not say how it was started".into(),
                ));
            };
            if program.functions.get(child.func as usize).is_none() {
                return Err(ReplayError::BadStart(format!(
                    "function {} is not in the program",
                    child.func
                )));
            }
            machine::start(
                program,
                run_id.to_string(),
                child.func,
                child.args.clone(),
                child.captures.clone(),
                child.input.clone(),
                cause.depth,
                &mut env,
            )
        }
        Origin::Fork(state) => {
            let Some((from, step)) = fork_of else {
                return Err(ReplayError::BadStart("a fork without its origin".into()));
            };
            machine::fork(
                program,
                *state,
                run_id.to_string(),
                from.to_string(),
                step,
                &mut env,
            )
        }
    };
    same(1, &out, &env, entries)?;
    Ok(state)
}

/// Step `step` again, on the state after the step before it.
pub fn step(
    program: &Program,
    state: &mut RunState,
    step: i64,
    entries: &[Entry],
    cause: Option<&Cause>,
) -> Result<(), ReplayError> {
    let cause = cause.ok_or(ReplayError::NotRecorded(step))?;
    let Some(event) = &cause.event else {
        return Err(ReplayError::BadCause {
            step,
            message: "no event".into(),
        });
    };
    let event =
        with_value(event, cause.value_in, entries).ok_or_else(|| ReplayError::BadCause {
            step,
            message: format!(
                "the event's value is said to be in entry {:?}, which holds none",
                cause.value_in
            ),
        })?;
    let mut env = Recorded::new(entries, cause);
    let out =
        machine::apply(program, state, event, &mut env).map_err(|e| ReplayError::Diverged {
            step,
            detail: format!("the event was refused: {e}"),
        })?;
    same(step, &out, &env, entries)
}

/// The value an entry carries, if it carries one an event may have.
pub fn entry_value(e: &Entry) -> Option<&serde_json::Value> {
    match &e.kind {
        EntryKind::CallCompleted { value, .. } | EntryKind::Resolved { value } => Some(value),
        EntryKind::ChildFinished {
            result: Some(value),
            ..
        } => Some(value),
        _ => None,
    }
}

/// The value an event carries, if any.
pub fn event_value(e: &mut Event) -> Option<&mut serde_json::Value> {
    match e {
        Event::CallCompleted { value, .. }
        | Event::Callback { value, .. }
        | Event::Resolve { value } => Some(value),
        Event::ChildFinished {
            result: Some(value),
            ..
        } => Some(value),
        _ => None,
    }
}

/// The event with its value put back from entry `value_in`.
fn with_value(event: &Event, value_in: Option<usize>, entries: &[Entry]) -> Option<Event> {
    let mut event = event.clone();
    if let Some(i) = value_in {
        let v = entries.get(i).and_then(entry_value)?.clone();
        match &mut event {
            // An elided result was stored as `null`, which reads back as
            // "cancelled": the entry says it was not.
            Event::ChildFinished { result, .. } => *result = Some(v),
            e => *event_value(e)? = v,
        }
    }
    Some(event)
}

/// The cause of a step that applied `event` and emitted `entries`: the
/// event without its value when an entry holds that value. Takes the event
/// (the caller's copy of what it applied): copying it here again cost the
/// host a copy of every activity's result per step.
pub fn cause_of(mut event: Event, entries: &[Entry], jitter: Vec<f64>) -> Cause {
    let mut value_in = None;
    if let Some(v) = event_value(&mut event) {
        if let Some(i) = entries.iter().position(|e| entry_value(e) == Some(v)) {
            *v = serde_json::Value::Null;
            value_in = Some(i);
        }
    }
    Cause {
        event: Some(event),
        value_in,
        jitter,
        ..Cause::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Status;
    use serde_json::json;

    /// An `Env` that records what it hands out, as the host's does.
    struct Live {
        now: i64,
        n: u64,
        jitter: Vec<f64>,
    }

    impl Env for Live {
        fn now(&self) -> i64 {
            self.now
        }
        fn token(&mut self) -> String {
            self.n += 1;
            format!("tok-{}", self.n)
        }
        fn run_id(&mut self) -> String {
            self.n += 1;
            format!("child-{}", self.n)
        }
        fn jitter(&mut self) -> f64 {
            let j = (self.n % 7) as f64 / 7.0;
            self.n += 1;
            self.jitter.push(j);
            j
        }
    }

    fn program(src: &str) -> Program {
        crate::compile_source("t.weft", src).expect("compiles")
    }

    /// Runs `events` live, recording each step as the host does, then
    /// replays every prefix and compares with the live states.
    fn live_and_replayed(src: &str, flow: &str, input: serde_json::Value, events: Vec<Event>) {
        let p = program(src);
        let func = p.flow(flow).unwrap();
        let mut env = Live {
            now: 1_000,
            n: 0,
            jitter: Vec::new(),
        };
        let args = machine::bind_input(&p, func, &input).expect("binds");
        let (mut state, out) =
            machine::start(&p, "r".into(), func, args, Vec::new(), input, 0, &mut env);
        let mut journal: Vec<(Vec<Entry>, Cause)> = vec![(
            out.journal,
            Cause {
                jitter: std::mem::take(&mut env.jitter),
                ..Cause::default()
            },
        )];
        let mut states = vec![serde_json::to_value(&state).unwrap()];
        for (i, e) in events.into_iter().enumerate() {
            env.now = 2_000 + 1_000 * i as i64;
            let out = machine::apply(&p, &mut state, e.clone(), &mut env).unwrap();
            if out.journal.is_empty() {
                continue;
            }
            let cause = cause_of(e, &out.journal, std::mem::take(&mut env.jitter));
            // What is stored: JSON.
            let cause: Cause =
                serde_json::from_value(serde_json::to_value(&cause).unwrap()).unwrap();
            let entries: Vec<Entry> =
                serde_json::from_value(serde_json::to_value(&out.journal).unwrap()).unwrap();
            journal.push((entries, cause));
            states.push(serde_json::to_value(&state).unwrap());
        }
        // Tokens are made up in a replay: compare without them.
        let strip = |mut v: serde_json::Value| {
            if let Some(calls) = v["calls"].as_object_mut() {
                for c in calls.values_mut() {
                    c["token"] = json!(null);
                }
            }
            v
        };
        let mut replayed = start(
            &p,
            "r",
            Origin::Flow { func },
            &journal[0].0,
            Some(&journal[0].1),
            None,
        )
        .unwrap();
        assert_eq!(
            strip(serde_json::to_value(&replayed).unwrap()),
            strip(states[0].clone())
        );
        for (i, (entries, cause)) in journal.iter().enumerate().skip(1) {
            step(&p, &mut replayed, i as i64 + 1, entries, Some(cause)).unwrap();
            assert_eq!(
                strip(serde_json::to_value(&replayed).unwrap()),
                strip(states[i].clone()),
                "state after step {}",
                i + 1
            );
        }
    }

    const FLOW: &str = r#"flow F(x) {
    a = Step(x) @retry(3)
    total = a.n + 1
    b = await Approve(total)
    Sleep(1h)
    return {total: total, b: b}
}
"#;

    #[test]
    fn a_replay_goes_through_the_same_states() {
        live_and_replayed(
            FLOW,
            "F",
            json!(1),
            vec![
                Event::CallFailed {
                    call: 1,
                    attempt: 1,
                    error: "down".into(),
                    retryable: true,
                },
                Event::TimerFired {
                    key: "backoff:1".into(),
                },
                Event::CallCompleted {
                    call: 1,
                    attempt: 2,
                    value: json!({"n": 41}),
                },
                Event::CallCompleted {
                    call: 2,
                    attempt: 1,
                    value: json!(null),
                },
                Event::Callback {
                    call: 2,
                    value: json!({"ok": true}),
                },
                Event::TimerFired {
                    key: "sleep:0".into(),
                },
            ],
        );
    }

    #[test]
    fn a_failure_and_its_repair_replay() {
        live_and_replayed(
            "flow G(x) {\n    a = Step(x)\n    return a.n\n}\n",
            "G",
            json!(1),
            vec![
                Event::CallFailed {
                    call: 1,
                    attempt: 1,
                    error: "down".into(),
                    retryable: false,
                },
                Event::Resolve {
                    value: json!({"n": 7}),
                },
            ],
        );
    }

    #[test]
    fn values_in_entries_are_not_stored_twice() {
        let entries = vec![Entry {
            at: 1,
            kind: EntryKind::CallCompleted {
                call_id: "r-1".into(),
                activity: "A".into(),
                attempt: 1,
                value: json!({"big": [1, 2, 3]}),
                duration_ms: 0,
                how: "returned".into(),
            },
        }];
        let e = Event::CallCompleted {
            call: 1,
            attempt: 1,
            value: json!({"big": [1, 2, 3]}),
        };
        let c = cause_of(e.clone(), &entries, Vec::new());
        assert_eq!(c.value_in, Some(0));
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"event": {"type": "callCompleted", "call": 1, "attempt": 1, "value": null}, "valueIn": 0})
        );
        assert_eq!(
            with_value(c.event.as_ref().unwrap(), c.value_in, &entries),
            Some(e)
        );
        // A sub-flow's result survives being stored.
        let child = Event::ChildFinished {
            child: 0,
            run_id: Some("c".into()),
            result: Some(json!({"n": 1})),
        };
        let finished = vec![Entry {
            at: 1,
            kind: EntryKind::ChildFinished {
                run_id: "c".into(),
                result: Some(json!({"n": 1})),
            },
        }];
        let c = cause_of(child.clone(), &finished, Vec::new());
        let stored: Cause = serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
        assert_eq!(
            with_value(stored.event.as_ref().unwrap(), stored.value_in, &finished),
            Some(child)
        );
        // A value no entry holds is kept.
        let other = Event::Resolve { value: json!(5) };
        assert_eq!(
            cause_of(other.clone(), &entries, Vec::new()).event,
            Some(other)
        );
    }

    #[test]
    fn a_changed_program_is_caught_not_shown() {
        let p = program(FLOW);
        let func = p.flow("F").unwrap();
        let mut env = Live {
            now: 1_000,
            n: 0,
            jitter: Vec::new(),
        };
        let (_, out) = machine::start(
            &p,
            "r".into(),
            func,
            vec![crate::Value::Int(1)],
            Vec::new(),
            json!(1),
            0,
            &mut env,
        );
        let changed = program(&FLOW.replace("Step(x)", "Other(x)"));
        let func = changed.flow("F").unwrap();
        let err = start(
            &changed,
            "r",
            Origin::Flow { func },
            &out.journal,
            Some(&Cause::default()),
            None,
        )
        .unwrap_err();
        assert!(
            matches!(&err, ReplayError::Diverged { step: 1, detail } if detail.contains("Other")),
            "{err}"
        );
        let err = start(&p, "r", Origin::Flow { func }, &out.journal, None, None).unwrap_err();
        assert_eq!(err, ReplayError::NotRecorded(1));
        assert!(err.to_string().contains("earlier build"), "{err}");
    }

    #[test]
    fn a_fork_takes_over_what_was_outstanding() {
        let p = program(FLOW);
        let func = p.flow("F").unwrap();
        let mut env = Live {
            now: 1_000,
            n: 0,
            jitter: Vec::new(),
        };
        let args = machine::bind_input(&p, func, &json!(1)).expect("binds");
        let (mut state, _) = machine::start(
            &p,
            "r".into(),
            func,
            args,
            Vec::new(),
            json!(1),
            0,
            &mut env,
        );
        machine::apply(
            &p,
            &mut state,
            Event::CallCompleted {
                call: 1,
                attempt: 1,
                value: json!({"n": 1}),
            },
            &mut env,
        )
        .unwrap();
        machine::apply(
            &p,
            &mut state,
            Event::CallCompleted {
                call: 2,
                attempt: 1,
                value: json!(null),
            },
            &mut env,
        )
        .unwrap();
        // Waiting for the callback of call 2.
        assert_eq!(state.status, Status::Waiting);
        let (forked, out) = machine::fork(&p, state, "f".into(), "r".into(), 3, &mut env);
        assert_eq!(forked.id, "f");
        assert_eq!(forked.calls[&2].call_id, "f-2");
        assert_eq!(
            out.journal[0].kind,
            EntryKind::Forked {
                from: "r".into(),
                step: 3
            }
        );
        let dispatched: Vec<&crate::Task> = out
            .commands
            .iter()
            .filter_map(|c| match c {
                crate::Command::Dispatch(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(dispatched.len(), 1);
        assert_eq!(dispatched[0].call_id, "f-2");
        assert_eq!(dispatched[0].run_id, "f");
        assert!(dispatched[0].callback_token.is_some());
        assert!(out
            .commands
            .iter()
            .any(|c| matches!(c, crate::Command::RegisterToken { call: 2, .. })));
        let vars = machine::variables(&p, &forked);
        let main = &vars[0].frames[0];
        assert!(main
            .variables
            .iter()
            .any(|(n, v)| n == "total" && *v == json!(2)));
        assert_eq!(main.location.as_ref().map(|l| l.line), Some(4));
    }
}

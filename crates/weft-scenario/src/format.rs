//! The scenario file format (pinned: users and acceptance suites rely on it).
//!
//! ```yaml
//! source: register.weft          # path relative to this file; or a list of the
//!                                 # program's files: [order.weft, contracts.weft]
//! flow: RegisterUser
//! input: {nick: ann, email: ann@example.com}
//! activities:                     # name -> outcomes, used attempt by attempt; the last repeats
//!   ReserveNick:
//!     - return: {status: ok, nick: ann, ID: 7}
//!   CreateAccount:
//!     - fail: "connection reset"  # this attempt fails (retryable unless `retryable: false`)
//!     - return: {status: ok, id: 42}
//!   SendActivationEmail:
//!     - callback: {status: ok}    # for an await: the callback's value ...
//!       after: 2h                 # ... arrives 2h of virtual time later (default 0)
//!   RemoveReservation:
//!     - never: true               # no answer at all: only a timeout ends the wait
//! expect:
//!   status: completed             # completed | failed | waiting | cancelled
//!   result: {status: ok, id: 42}  # exact match; numbers compare by value
//!   calls: {ReserveNick: 1}       # logical calls per activity; exact map when given
//!   attempts: {CreateAccount: 2}  # attempts per activity, summed over calls
//!   order: [ReserveNick, CreateAccount]  # start order of logical calls
//!   elapsed: 2h                   # virtual time from start to end, within 1% or 1 minute
//!   error: "declined"             # for failed runs: text the error message contains
//! ```
//!
//! Files are read as YAML into JSON values and interpreted by hand, so every
//! mistake gets a message that names its place (`activities.CreateAccount[1]`).
//!
//! Machines add `commands:` (sent before the flow, or instead of one: then
//! `flow` is left out) and `expect.instances`; see [`machines`]. Triggers
//! add `events:` (posted after the commands and before the flow, or
//! instead of one), each with what it must start; see [`events`].

pub mod events;
pub mod machines;

pub use events::{EventExpect, EventStep, RunsExpect};
pub use machines::{CommandExpect, CommandStep, InstanceExpect};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

use weft_engine::state::Status;

/// Why a scenario file could not be read.
#[derive(Debug, Error)]
pub enum FormatError {
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The file is not valid YAML.
    #[error("{path}: not valid YAML: {message}")]
    Yaml {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A field is missing, unknown or of the wrong kind.
    #[error("{path}: {at}: {message}")]
    Field {
        /// The file.
        path: String,
        /// Where in the file (`expect.calls`).
        at: String,
        /// What is wrong.
        message: String,
    },
}

/// What one attempt of a scripted activity does.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The attempt returns the value (for an awaited call: the callback
    /// arrives with it).
    Return(serde_json::Value),
    /// The attempt fails (for an awaited call: the start fails).
    Fail {
        /// The error.
        error: String,
        /// False when retrying cannot help.
        retryable: bool,
    },
    /// For an awaited call: the callback's value, `after` the start.
    Callback {
        /// The value.
        value: serde_json::Value,
        /// When it arrives (ms after the start).
        after_ms: i64,
    },
    /// No answer at all.
    Never,
}

/// One scripted answer and how long the attempt takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What happens.
    pub outcome: Outcome,
    /// How long the attempt takes (ms).
    pub delay_ms: i64,
}

/// What the scenario expects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expect {
    /// The run's final status.
    pub status: Option<Status>,
    /// The run's result (`Some(null)` expects `null`).
    pub result: Option<serde_json::Value>,
    /// Logical calls per activity (exact when given).
    pub calls: Option<BTreeMap<String, u64>>,
    /// Attempts per activity.
    pub attempts: Option<BTreeMap<String, u64>>,
    /// Start order of logical calls.
    pub order: Option<Vec<String>>,
    /// Virtual time from start to end (ms).
    pub elapsed_ms: Option<i64>,
    /// Text the run's error message contains.
    pub error: Option<String>,
    /// Instances at the end: (machine, key) -> state and version, or
    /// `None` when the instance must not exist.
    pub instances: Option<BTreeMap<(String, String), Option<InstanceExpect>>>,
}

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The scenario file.
    pub path: PathBuf,
    /// The flow source file (resolved against the scenario's folder).
    pub source: PathBuf,
    /// The program's other files, deployed with it (`source: [a.weft,
    /// b.weft]` names them after the first).
    pub others: Vec<PathBuf>,
    /// The flow to run (none when the scenario only sends commands).
    pub flow: Option<String>,
    /// Commands sent before the flow starts, in order.
    pub commands: Vec<CommandStep>,
    /// Events posted after the commands and before the flow, in order.
    pub events: Vec<EventStep>,
    /// Its input.
    pub input: serde_json::Value,
    /// Scripted activities.
    pub activities: BTreeMap<String, Vec<Step>>,
    /// Expectations.
    pub expect: Expect,
}

/// Reads a scenario file.
pub fn load(path: &Path) -> Result<Scenario, FormatError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| FormatError::Io {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    parse(path, &text)
}

/// Parses scenario text; `path` locates the source file and names errors.
pub fn parse(path: &Path, text: &str) -> Result<Scenario, FormatError> {
    let shown = path.display().to_string();
    let doc: serde_json::Value = yaml_serde::from_str(text).map_err(|e| FormatError::Yaml {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let err = |at: &str, message: String| FormatError::Field {
        path: shown.clone(),
        at: at.to_string(),
        message,
    };
    let top = doc.as_object().ok_or_else(|| {
        err(
            "(top)",
            "a scenario is a map with `source`, `flow`, `input`, `activities` and `expect`".into(),
        )
    })?;
    known_keys(
        top,
        &[
            "source",
            "flow",
            "input",
            "activities",
            "commands",
            "events",
            "expect",
        ],
        "(top)",
        &err,
    )?;
    let missing = || {
        err(
            "source",
            "the path of the flow file is required (relative to this file), or a list of the program's files".into(),
        )
    };
    let sources: Vec<&str> = match top.get("source") {
        Some(serde_json::Value::String(s)) => vec![s.as_str()],
        Some(serde_json::Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|i| i.as_str().ok_or_else(missing))
            .collect::<Result<_, _>>()?,
        _ => return Err(missing()),
    };
    let commands = match top.get("commands") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(v) => machines::parse_commands(v, &err)?,
    };
    let events = match top.get("events") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(v) => events::parse_events(v, &err)?,
    };
    let flow = match top.get("flow") {
        Some(serde_json::Value::String(f)) => Some(f.clone()),
        None if !commands.is_empty() || !events.is_empty() => None,
        _ => return Err(err(
            "flow",
            "the name of the flow to run is required (or `commands` to send, or `events` to post)"
                .into(),
        )),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let input = top.get("input").cloned().unwrap_or(serde_json::Value::Null);
    let activities = match top.get("activities") {
        None | Some(serde_json::Value::Null) => BTreeMap::new(),
        Some(v) => parse_activities(v, &err)?,
    };
    let expect = match top.get("expect") {
        None | Some(serde_json::Value::Null) => Expect::default(),
        Some(v) => parse_expect(v, &err)?,
    };
    Ok(Scenario {
        path: path.to_path_buf(),
        source: base.join(sources[0]),
        others: sources[1..].iter().map(|s| base.join(s)).collect(),
        flow,
        commands,
        events,
        input,
        activities,
        expect,
    })
}

pub(crate) type ErrFn<'a> = dyn Fn(&str, String) -> FormatError + 'a;

pub(crate) fn known_keys(
    m: &serde_json::Map<String, serde_json::Value>,
    keys: &[&str],
    at: &str,
    err: &ErrFn,
) -> Result<(), FormatError> {
    for k in m.keys() {
        if !keys.contains(&k.as_str()) {
            return Err(err(
                at,
                format!("unknown key `{k}` (expected one of: {})", keys.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Parses a duration field: text such as `2h` or `90 minutes`, or milliseconds.
pub(crate) fn duration(v: &serde_json::Value, at: &str, err: &ErrFn) -> Result<i64, FormatError> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().filter(|ms| *ms >= 0).ok_or_else(|| {
            err(
                at,
                format!("{n} is not a whole, non-negative number of milliseconds"),
            )
        }),
        serde_json::Value::String(s) => weft_engine::time::parse_duration(s)
            .filter(|ms| *ms >= 0)
            .ok_or_else(|| {
                err(
                    at,
                    format!("{s:?} is not a duration (write e.g. `2h`, `30s`, `7days`)"),
                )
            }),
        other => Err(err(
            at,
            format!("expected a duration such as `2h`, found {other}"),
        )),
    }
}

/// Reads the `activities:` map (also used by `weft run --activities`).
pub fn parse_activities(
    v: &serde_json::Value,
    err: &ErrFn,
) -> Result<BTreeMap<String, Vec<Step>>, FormatError> {
    let m = v.as_object().ok_or_else(|| {
        err(
            "activities",
            "expected a map from activity names to lists of outcomes".into(),
        )
    })?;
    let mut out = BTreeMap::new();
    for (name, steps) in m {
        let at = format!("activities.{name}");
        // A single outcome may be written without the list.
        let list: Vec<serde_json::Value> = match steps {
            serde_json::Value::Array(items) => items.clone(),
            serde_json::Value::Object(_) => vec![steps.clone()],
            _ => {
                return Err(err(
                    &at,
                    "expected a list of outcomes (`- return: ...`)".into(),
                ))
            }
        };
        if list.is_empty() {
            return Err(err(&at, "needs at least one outcome".into()));
        }
        let mut parsed = Vec::new();
        for (i, step) in list.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let o = step.as_object().ok_or_else(|| {
                err(
                    &at,
                    "expected a map such as `return: {...}` or `fail: \"reason\"`".into(),
                )
            })?;
            known_keys(
                o,
                &[
                    "return",
                    "fail",
                    "callback",
                    "never",
                    "delay",
                    "after",
                    "retryable",
                ],
                &at,
                err,
            )?;
            let kinds: Vec<&str> = ["return", "fail", "callback", "never"]
                .into_iter()
                .filter(|k| o.contains_key(*k))
                .collect();
            if kinds.len() != 1 {
                return Err(err(
                    &at,
                    "give exactly one of `return`, `fail`, `callback`, `never`".into(),
                ));
            }
            let delay_ms = match o.get("delay") {
                Some(d) => duration(d, &format!("{at}.delay"), err)?,
                None => 0,
            };
            let outcome = match kinds[0] {
                "return" => Outcome::Return(o["return"].clone()),
                "fail" => Outcome::Fail {
                    error: match &o["fail"] {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                    retryable: match o.get("retryable") {
                        None => true,
                        Some(serde_json::Value::Bool(b)) => *b,
                        Some(other) => {
                            return Err(err(
                                &format!("{at}.retryable"),
                                format!("expected true or false, found {other}"),
                            ))
                        }
                    },
                },
                "callback" => Outcome::Callback {
                    value: o["callback"].clone(),
                    after_ms: match o.get("after") {
                        Some(a) => duration(a, &format!("{at}.after"), err)?,
                        None => 0,
                    },
                },
                _ => match &o["never"] {
                    serde_json::Value::Bool(true) => Outcome::Never,
                    other => {
                        return Err(err(
                            &format!("{at}.never"),
                            format!("write `never: true`, not {other}"),
                        ))
                    }
                },
            };
            if o.contains_key("after") && !matches!(outcome, Outcome::Callback { .. }) {
                return Err(err(
                    &at,
                    "`after` goes with `callback`; use `delay` for how long an attempt takes"
                        .into(),
                ));
            }
            parsed.push(Step { outcome, delay_ms });
        }
        out.insert(name.clone(), parsed);
    }
    Ok(out)
}

fn counts(
    v: &serde_json::Value,
    at: &str,
    err: &ErrFn,
) -> Result<BTreeMap<String, u64>, FormatError> {
    let m = v
        .as_object()
        .ok_or_else(|| err(at, "expected a map from activity names to counts".into()))?;
    m.iter()
        .map(|(k, n)| {
            n.as_u64().map(|n| (k.clone(), n)).ok_or_else(|| {
                err(
                    &format!("{at}.{k}"),
                    format!("expected a whole number, found {n}"),
                )
            })
        })
        .collect()
}

fn parse_expect(v: &serde_json::Value, err: &ErrFn) -> Result<Expect, FormatError> {
    let m = v
        .as_object()
        .ok_or_else(|| err("expect", "expected a map".into()))?;
    known_keys(
        m,
        &[
            "status",
            "result",
            "calls",
            "attempts",
            "order",
            "elapsed",
            "error",
            "instances",
        ],
        "expect",
        err,
    )?;
    let status = match m.get("status") {
        None => None,
        Some(serde_json::Value::String(s)) => Some(Status::parse(s).ok_or_else(|| {
            err(
                "expect.status",
                format!("{s:?} is not a status (completed, failed, waiting, cancelled, running)"),
            )
        })?),
        Some(other) => {
            return Err(err(
                "expect.status",
                format!("expected a status name, found {other}"),
            ))
        }
    };
    let order = match m.get("order") {
        None => None,
        Some(serde_json::Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str().map(str::to_string).ok_or_else(|| {
                        err(
                            "expect.order",
                            format!("expected activity names, found {i}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(err(
                "expect.order",
                format!("expected a list of activity names, found {other}"),
            ))
        }
    };
    Ok(Expect {
        status,
        result: m.get("result").cloned(),
        calls: m
            .get("calls")
            .map(|c| counts(c, "expect.calls", err))
            .transpose()?,
        attempts: m
            .get("attempts")
            .map(|c| counts(c, "expect.attempts", err))
            .transpose()?,
        order,
        elapsed_ms: m
            .get("elapsed")
            .map(|e| duration(e, "expect.elapsed", err))
            .transpose()?,
        error: match m.get("error") {
            None => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(err("expect.error", format!("expected text, found {other}")))
            }
        },
        instances: m
            .get("instances")
            .map(|v| machines::parse_instances(v, err))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
source: register.weft
flow: RegisterUser
input: {nick: ann, email: ann@example.com}
activities:
  ReserveNick:
    - return: {status: ok, nick: ann, ID: 7}
  CreateAccount:
    - fail: "connection reset"
    - return: {status: ok, id: 42}
  SendActivationEmail:
    - callback: {status: ok}
      after: 2h
  RemoveReservation:
    - never: true
expect:
  status: completed
  result: {status: ok, id: 42}
  calls: {ReserveNick: 1, CreateAccount: 1}
  attempts: {CreateAccount: 2}
  order: [ReserveNick, SendActivationEmail, CreateAccount]
  elapsed: 2h
"#;

    #[test]
    fn the_documented_example_parses() {
        let s = parse(Path::new("ex/a.test.yaml"), EXAMPLE).unwrap();
        assert_eq!(s.source, Path::new("ex/register.weft"));
        assert!(s.others.is_empty());
        let two = parse(
            Path::new("ex/a.test.yaml"),
            &EXAMPLE.replace(
                "source: register.weft",
                "source: [register.weft, contracts.weft]",
            ),
        )
        .unwrap();
        assert_eq!(two.source, Path::new("ex/register.weft"));
        assert_eq!(two.others, vec![Path::new("ex/contracts.weft")]);
        assert_eq!(s.activities["CreateAccount"].len(), 2);
        assert_eq!(
            s.activities["SendActivationEmail"][0].outcome,
            Outcome::Callback {
                value: serde_json::json!({"status": "ok"}),
                after_ms: 7_200_000
            }
        );
        assert_eq!(s.activities["RemoveReservation"][0].outcome, Outcome::Never);
        assert_eq!(s.expect.status, Some(Status::Completed));
        assert_eq!(s.expect.elapsed_ms, Some(7_200_000));
        assert_eq!(s.expect.calls.as_ref().unwrap()["ReserveNick"], 1);
    }

    #[test]
    fn commands_and_instances_parse() {
        let s = parse(
            Path::new("ex/c.test.yaml"),
            "source: c.weft\ncommands:\n  - send: Counter/a/b/Add\n    input: {n: 2}\n    commandId: one\n    after: 1h\n    expect: {status: refused, reason: low}\nexpect:\n  instances:\n    Counter/a/b: {state: {total: 2}, version: 1}\n    Counter/c: null\n",
        )
        .unwrap();
        assert_eq!(s.flow, None);
        let c = &s.commands[0];
        assert_eq!(
            (c.machine.as_str(), c.key.as_str(), c.command.as_str()),
            ("Counter", "a/b", "Add")
        );
        assert_eq!(
            (c.command_id.as_deref(), c.after_ms),
            (Some("one"), 3_600_000)
        );
        assert_eq!(
            c.expect.as_ref().unwrap().status,
            Some(weft_store::CommandStatus::Refused)
        );
        let instances = s.expect.instances.unwrap();
        assert_eq!(instances[&("Counter".into(), "c".into())], None);
        assert_eq!(
            instances[&("Counter".into(), "a/b".into())]
                .as_ref()
                .unwrap()
                .version,
            Some(1)
        );
    }

    #[test]
    fn mistakes_name_their_place() {
        let bad = |text: &str| {
            parse(Path::new("s.test.yaml"), text)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad("source: a.weft\nflow: F\nactivities:\n  A:\n    - retrun: 1\n"),
            "s.test.yaml: activities.A[0]: unknown key `retrun` (expected one of: return, fail, callback, never, delay, after, retryable)"
        );
        assert!(bad("flow: F\n").contains("source: the path of the flow file is required"));
        assert!(bad("source: a\n").contains("flow: the name of the flow to run is required"));
        assert!(bad("source: a\ncommands: [{send: Counter/Add}]\n")
            .contains("commands[0].send: \"Counter/Add\" is not `machine/key/command`"));
        assert!(
            bad("source: a\ncommands: [{send: M/k/C, expect: {status: queued}}]\n")
                .contains("commands[0].expect.status: \"queued\" is not `applied` or `refused`")
        );
        assert!(bad("source: a\nflow: F\nexpect: {instances: {M: null}}\n")
            .contains("expect.instances.M: \"M\" is not `machine/key`"));
        assert!(bad("source: a\nflow: F\nexpect: {status: done}\n")
            .contains("\"done\" is not a status"));
        assert!(bad("source: a\nflow: F\nexpect: {elapsed: soon}\n")
            .contains("\"soon\" is not a duration"));
        assert!(
            bad("source: a\nflow: F\nactivities: {A: [{return: 1, fail: x}]}\n")
                .contains("exactly one of")
        );
        assert!(bad("source: [").contains("not valid YAML"));
        assert!(bad("source: a\nevents: [{type: created}]\n")
            .contains("events[0].id: `id` is required"));
        assert!(bad(
            "source: a\nevents: [{id: e, type: created, expect: {runs: {F: {status: done}}}}]\n"
        )
        .contains("events[0].expect.runs.F.status: \"done\" is not a status"));
        assert!(bad("source: a\nevents: [{id: e, type: c, subjet: q}]\n")
            .contains("events[0]: unknown key `subjet`"));
    }

    #[test]
    fn events_parse() {
        let s = parse(
            Path::new("ex/e.test.yaml"),
            "source: m.weft\nevents:\n  - id: e1\n    type: created\n    subject: question\n    data: {text: hi}\n    after: 1m\n    expect: {duplicate: false, runs: {F: 2, G: {status: completed, result: 1}}, errors: {T: where}}\n",
        )
        .unwrap();
        assert_eq!(s.flow, None);
        let e = &s.events[0];
        assert_eq!(
            (
                e.event.id.as_str(),
                e.event.kind.as_str(),
                e.event.subject.as_deref()
            ),
            ("e1", "created", Some("question"))
        );
        assert_eq!(
            (e.event.data.clone(), e.after_ms),
            (serde_json::json!({"text": "hi"}), 60_000)
        );
        let x = e.expect.as_ref().unwrap();
        let runs = x.runs.as_ref().unwrap();
        assert_eq!((runs["F"].count, runs["G"].count), (2, 1));
        assert_eq!(runs["G"].status, Some(Status::Completed));
        assert_eq!(x.errors["T"], "where");
    }
}

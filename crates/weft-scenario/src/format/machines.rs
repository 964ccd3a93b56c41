//! What scenario files say about machines: commands sent before the flow
//! (or instead of one), and the instances expected at the end.
//!
//! ```yaml
//! source: counter.weft
//! commands:                     # sent in order; each is applied (or refused) before the next
//!   - send: Counter/a/Add       # machine/key/command (a key may hold `/`)
//!     input: {n: 2}
//!     commandId: first          # optional: the same id again is the same command
//!     after: 1h                 # optional: virtual time before it is sent
//!     expect:                   # optional: what its answer must be
//!       status: applied         # applied | refused
//!       state: {total: 2}       # the state it made (applied)
//!       version: 1
//!       reason: too low         # text the refusal's reason contains (refused)
//! expect:
//!   instances:                  # machine/key -> its state and version at the end, or null: none
//!     Counter/a: {state: {total: 2}, version: 1}
//!     Counter/b: null
//! ```

use super::{duration, known_keys, ErrFn, FormatError};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use weft_store::CommandStatus;

/// A command a scenario sends.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandStep {
    /// The machine.
    pub machine: String,
    /// The instance's key.
    pub key: String,
    /// The command.
    pub command: String,
    /// Its input.
    pub input: Json,
    /// Its id, when given.
    pub command_id: Option<String>,
    /// Virtual time before it is sent (ms).
    pub after_ms: i64,
    /// What its answer must be.
    pub expect: Option<CommandExpect>,
}

/// What a command's answer must be.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandExpect {
    /// Applied or refused.
    pub status: Option<CommandStatus>,
    /// The state it made.
    pub state: Option<Json>,
    /// The version it made.
    pub version: Option<i64>,
    /// Text the refusal's reason contains.
    pub reason: Option<String>,
}

/// An instance expected at the end: its state and version, or absent.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceExpect {
    /// The state (exact match; numbers compare by value).
    pub state: Option<Json>,
    /// The version.
    pub version: Option<i64>,
}

/// `machine/key/command` (the key may hold `/`).
fn target(text: &str, at: &str, err: &ErrFn) -> Result<(String, String, String), FormatError> {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [m, key @ .., c] if !m.is_empty() && !c.is_empty() && !key.is_empty() => {
            Ok((m.to_string(), key.join("/"), c.to_string()))
        }
        _ => Err(err(
            at,
            format!("{text:?} is not `machine/key/command` (as `Counter/a/Add`)"),
        )),
    }
}

/// `machine/key` (the key may hold `/`).
fn instance(text: &str, at: &str, err: &ErrFn) -> Result<(String, String), FormatError> {
    match text.split_once('/') {
        Some((m, k)) if !m.is_empty() && !k.is_empty() => Ok((m.to_string(), k.to_string())),
        _ => Err(err(
            at,
            format!("{text:?} is not `machine/key` (as `Counter/a`)"),
        )),
    }
}

/// Reads `commands:`.
pub fn parse_commands(v: &Json, err: &ErrFn) -> Result<Vec<CommandStep>, FormatError> {
    let items = v.as_array().ok_or_else(|| {
        err(
            "commands",
            "expected a list of commands (`- send: Machine/key/Command`)".into(),
        )
    })?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("commands[{i}]");
        let o = item
            .as_object()
            .ok_or_else(|| err(&at, "expected a map with `send`".into()))?;
        known_keys(
            o,
            &["send", "input", "commandId", "after", "expect"],
            &at,
            err,
        )?;
        let send = o.get("send").and_then(Json::as_str).ok_or_else(|| {
            err(
                &format!("{at}.send"),
                "`machine/key/command` is required".into(),
            )
        })?;
        let (machine, key, command) = target(send, &format!("{at}.send"), err)?;
        let command_id = match o.get("commandId") {
            None => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(err(
                    &format!("{at}.commandId"),
                    format!("expected text, found {other}"),
                ))
            }
        };
        let after_ms = match o.get("after") {
            Some(a) => duration(a, &format!("{at}.after"), err)?,
            None => 0,
        };
        let expect = match o.get("expect") {
            None => None,
            Some(e) => Some(command_expect(e, &format!("{at}.expect"), err)?),
        };
        out.push(CommandStep {
            machine,
            key,
            command,
            input: o.get("input").cloned().unwrap_or(Json::Null),
            command_id,
            after_ms,
            expect,
        });
    }
    Ok(out)
}

fn command_expect(v: &Json, at: &str, err: &ErrFn) -> Result<CommandExpect, FormatError> {
    let o = v.as_object().ok_or_else(|| {
        err(
            at,
            "expected a map (`status`, `state`, `version`, `reason`)".into(),
        )
    })?;
    known_keys(o, &["status", "state", "version", "reason"], at, err)?;
    let status = match o.get("status") {
        None => None,
        Some(Json::String(s)) => match CommandStatus::parse(s) {
            Some(st @ (CommandStatus::Applied | CommandStatus::Refused)) => Some(st),
            _ => {
                return Err(err(
                    &format!("{at}.status"),
                    format!("{s:?} is not `applied` or `refused`"),
                ))
            }
        },
        Some(other) => {
            return Err(err(
                &format!("{at}.status"),
                format!("expected `applied` or `refused`, found {other}"),
            ))
        }
    };
    Ok(CommandExpect {
        status,
        state: o.get("state").cloned(),
        version: version(o.get("version"), &format!("{at}.version"), err)?,
        reason: match o.get("reason") {
            None => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(err(
                    &format!("{at}.reason"),
                    format!("expected text, found {other}"),
                ))
            }
        },
    })
}

fn version(v: Option<&Json>, at: &str, err: &ErrFn) -> Result<Option<i64>, FormatError> {
    match v {
        None => Ok(None),
        Some(n) => n
            .as_i64()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| err(at, format!("expected a whole number, found {n}"))),
    }
}

/// Reads `expect.instances`.
pub fn parse_instances(
    v: &Json,
    err: &ErrFn,
) -> Result<BTreeMap<(String, String), Option<InstanceExpect>>, FormatError> {
    let m = v.as_object().ok_or_else(|| {
        err(
            "expect.instances",
            "expected a map from `machine/key` to `{state, version}` or null".into(),
        )
    })?;
    let mut out = BTreeMap::new();
    for (name, want) in m {
        let at = format!("expect.instances.{name}");
        let k = instance(name, &at, err)?;
        let want = match want {
            Json::Null => None,
            Json::Object(o) => {
                known_keys(o, &["state", "version"], &at, err)?;
                Some(InstanceExpect {
                    state: o.get("state").cloned(),
                    version: version(o.get("version"), &format!("{at}.version"), err)?,
                })
            }
            other => {
                return Err(err(
                    &at,
                    format!("expected `{{state, version}}` or null, found {other}"),
                ))
            }
        };
        out.insert(k, want);
    }
    Ok(out)
}

//! Machines in a compiled program: their commands and handlers, the types
//! a command's input is checked against, what a handler's run returns, and
//! the names under which flows' machine calls leave the engine.
//!
//! (The engine's state machine for runs is [`crate::machine`]; this module
//! is about the `machine` declarations of the language.)
//!
//! A command is applied by running its handler: a function whose
//! parameters are `state`, `key` and the input. The handler's result is an
//! [`Outcome`] envelope: `{"ok": true, "state": ...}` when it returns, or
//! `{"ok": false, "error": ...}` when it calls `fail`. The runtime stores
//! the new state or refuses the command accordingly.
//!
//! A flow's machine calls are activity calls to reserved names (see
//! [`MachineOp`]): the runtime carries them out itself, so they get call
//! ids, retries, timeouts and the journal like any call, and the call id is
//! the command's idempotency key.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// How deep a type is followed when a value is checked against it (named
/// types may refer to themselves): deeper values are taken as they are.
pub const TYPE_DEPTH_MAX: usize = 64;

/// The prefix of the activity names of machine calls. No activity can be
/// called so from a flow (`:` is not part of a name).
pub const ACTIVITY_PREFIX: &str = "machine:";

/// A machine of a program.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineDef {
    /// Its name.
    pub name: String,
    /// The type of its state, when it declares one (`None`: anything).
    pub state: Option<Ty>,
    /// Its commands, in declaration order.
    pub commands: IndexMap<String, CommandDef>,
}

/// A command of a machine.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandDef {
    /// Its name.
    pub name: String,
    /// What it takes (`Any` when not declared).
    pub input: Ty,
    /// The function that handles it (an index into the program's
    /// functions): parameters `state`, `key`, input.
    pub handler: u32,
}

/// A type a value is checked against: the language's declaration types,
/// as the checker reads them (`weft_check::contract::types`), with named
/// types kept by name and resolved through [`Types`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Ty {
    /// Anything.
    Any,
    /// Text.
    String,
    /// Any number.
    Number,
    /// A whole number.
    Int,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// A duration: text such as `"2h"`, or milliseconds.
    Duration,
    /// A time: RFC 3339 text, or epoch milliseconds.
    Time,
    /// Exactly this string.
    Literal {
        /// The string.
        value: String,
    },
    /// A list of these.
    List {
        /// The elements' type.
        of: Box<Ty>,
    },
    /// An object.
    Object {
        /// Its fields.
        fields: Vec<FieldTy>,
        /// Other fields are allowed.
        open: bool,
    },
    /// Any of these.
    Union {
        /// The members.
        of: Vec<Ty>,
    },
    /// A `type` declaration, by name.
    Named {
        /// The name.
        name: String,
    },
}

/// A field of an object type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldTy {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// It may be missing or `null`.
    pub optional: bool,
}

/// The `type` declarations of a program, by name.
pub type Types = IndexMap<String, Ty>;

impl Ty {
    /// Checks `value` against the type. The error names the path to the
    /// first part that does not fit, from `what` (such as `input`).
    pub fn check(&self, value: &Json, types: &Types, what: &str) -> Result<(), String> {
        let mut path = what.to_string();
        self.check_at(value, types, &mut path, 0)
    }

    fn check_at(
        &self,
        value: &Json,
        types: &Types,
        path: &mut String,
        depth: usize,
    ) -> Result<(), String> {
        if depth > TYPE_DEPTH_MAX {
            return Ok(());
        }
        let fits = match (self, value) {
            (Ty::Any, _) => true,
            (Ty::String, Json::String(_)) => true,
            (Ty::Number, Json::Number(_)) => true,
            (Ty::Int, Json::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            (Ty::Bool, Json::Bool(_)) => true,
            (Ty::Null, Json::Null) => true,
            (Ty::Duration | Ty::Time, Json::String(_) | Json::Number(_)) => true,
            (Ty::Literal { value: want }, Json::String(s)) => s == want,
            (Ty::List { of }, Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    of.check_at(item, types, path, depth + 1)?;
                    path.truncate(len);
                }
                true
            }
            (Ty::Object { fields, open }, Json::Object(map)) => {
                for f in fields {
                    let len = path.len();
                    path.push('.');
                    path.push_str(&f.name);
                    match map.get(&f.name) {
                        None | Some(Json::Null) if f.optional => {}
                        None => return Err(format!("{path} is missing")),
                        Some(v) => f.ty.check_at(v, types, path, depth + 1)?,
                    }
                    path.truncate(len);
                }
                if !open {
                    if let Some(extra) = map.keys().find(|k| !fields.iter().any(|f| &f.name == *k))
                    {
                        return Err(format!("{path} has no field `{extra}`"));
                    }
                }
                true
            }
            (Ty::Union { of }, v) => of.iter().any(|m| {
                let mut scratch = path.clone();
                m.check_at(v, types, &mut scratch, depth + 1).is_ok()
            }),
            (Ty::Named { name }, v) => match types.get(name) {
                Some(t) => return t.check_at(v, types, path, depth + 1),
                None => true,
            },
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(format!(
                "{path} must be {}, not {}",
                self.describe(),
                json_kind(value)
            ))
        }
    }

    /// The type in the language's notation.
    pub fn describe(&self) -> String {
        match self {
            Ty::Any => "any".into(),
            Ty::String => "a string".into(),
            Ty::Number => "a number".into(),
            Ty::Int => "a whole number".into(),
            Ty::Bool => "true or false".into(),
            Ty::Null => "null".into(),
            Ty::Duration => "a duration".into(),
            Ty::Time => "a time".into(),
            Ty::Literal { value } => format!("{value:?}"),
            Ty::List { .. } => "a list".into(),
            Ty::Object { .. } => "an object".into(),
            Ty::Union { of } => of.iter().map(Ty::describe).collect::<Vec<_>>().join(" or "),
            Ty::Named { name } => format!("`{name}`"),
        }
    }
}

fn json_kind(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Json::String(_) => "a string".into(),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "an object".into(),
    }
}

/// What a handler's run ended with.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The handler returned: the instance's new state.
    Applied(Json),
    /// The handler called `fail(reason)`: the command is refused.
    Refused(Json),
}

/// The envelope's field that tells the two apart.
pub const OUTCOME_OK: &str = "ok";
/// The new state, when applied.
pub const OUTCOME_STATE: &str = "state";
/// The reason, when refused.
pub const OUTCOME_ERROR: &str = "error";

impl Outcome {
    /// Reads a handler run's result. `None` when it is not an envelope (a
    /// run that was not a handler's, or a damaged one).
    pub fn from_result(result: &Json) -> Option<Outcome> {
        let map = result.as_object()?;
        match map.get(OUTCOME_OK)? {
            Json::Bool(true) => Some(Outcome::Applied(
                map.get(OUTCOME_STATE).cloned().unwrap_or(Json::Null),
            )),
            Json::Bool(false) => Some(Outcome::Refused(
                map.get(OUTCOME_ERROR).cloned().unwrap_or(Json::Null),
            )),
            _ => None,
        }
    }
}

/// What a flow's machine call asks the runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineOp {
    /// `M(key).Cmd(input)`: the call's arguments are `[key, input]`.
    Command {
        /// The machine.
        machine: String,
        /// The command.
        command: String,
    },
    /// `M(key).get()`: the arguments are `[key]`.
    Get {
        /// The machine.
        machine: String,
    },
    /// `M.find(...)`: the argument is a [`Query`] as JSON.
    Find {
        /// The machine.
        machine: String,
    },
}

/// The method name of [`MachineOp::Get`] in activity names.
pub const GET: &str = "get";
/// The method name of [`MachineOp::Find`] in activity names.
pub const FIND: &str = "find";

impl MachineOp {
    /// The reserved activity name of the call: `machine:M.Cmd`,
    /// `machine:M.get`, `machine:M.find`.
    pub fn activity(&self) -> String {
        match self {
            MachineOp::Command { machine, command } => {
                format!("{ACTIVITY_PREFIX}{machine}.{command}")
            }
            MachineOp::Get { machine } => format!("{ACTIVITY_PREFIX}{machine}.{GET}"),
            MachineOp::Find { machine } => format!("{ACTIVITY_PREFIX}{machine}.{FIND}"),
        }
    }

    /// The operation an activity name stands for, if it is a machine
    /// call's.
    pub fn parse(activity: &str) -> Option<MachineOp> {
        let rest = activity.strip_prefix(ACTIVITY_PREFIX)?;
        let (machine, method) = rest.split_once('.')?;
        let machine = machine.to_string();
        Some(match method {
            GET => MachineOp::Get { machine },
            FIND => MachineOp::Find { machine },
            command => MachineOp::Command {
                machine,
                command: command.to_string(),
            },
        })
    }
}

/// A query over a machine's instances: conditions on their states' fields
/// (all must hold), the fields to return, and how many.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// `[path, operator, value]`: the field at `path` (dot-separated)
    /// compared with `value` by `==`, `!=`, `<`, `<=`, `>` or `>=`.
    #[serde(default, rename = "where")]
    pub conditions: Vec<(String, String, Json)>,
    /// Dot-separated paths of the fields to return (all when empty).
    #[serde(default)]
    pub select: Vec<String>,
    /// At most this many instances (the runtime bounds it).
    #[serde(default)]
    pub limit: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(fields: &[(&str, Ty, bool)], open: bool) -> Ty {
        Ty::Object {
            fields: fields
                .iter()
                .map(|(n, t, o)| FieldTy {
                    name: n.to_string(),
                    ty: t.clone(),
                    optional: *o,
                })
                .collect(),
            open,
        }
    }

    #[test]
    fn values_are_checked_with_the_path_of_what_does_not_fit() {
        let types = Types::new();
        let kind = Ty::Union {
            of: vec![
                Ty::Literal {
                    value: "email".into(),
                },
                Ty::Literal {
                    value: "push".into(),
                },
            ],
        };
        let t = obj(
            &[
                ("n", Ty::Int, false),
                ("kind", kind, true),
                (
                    "tags",
                    Ty::List {
                        of: Box::new(Ty::String),
                    },
                    true,
                ),
            ],
            false,
        );
        assert_eq!(t.check(&json!({"n": 1}), &types, "input"), Ok(()));
        assert_eq!(
            t.check(&json!({"n": 2.0, "kind": "push"}), &types, "input"),
            Ok(())
        );
        assert_eq!(
            t.check(&json!({"n": 1.5}), &types, "input"),
            Err("input.n must be a whole number, not 1.5".into())
        );
        assert_eq!(
            t.check(&json!({}), &types, "input"),
            Err("input.n is missing".into())
        );
        assert_eq!(
            t.check(&json!({"n": 1, "x": 1}), &types, "input"),
            Err("input has no field `x`".into())
        );
        assert_eq!(
            t.check(&json!({"n": 1, "kind": "sms"}), &types, "input"),
            Err("input.kind must be \"email\" or \"push\", not \"sms\"".into())
        );
        assert_eq!(
            t.check(&json!({"n": 1, "tags": ["a", 2]}), &types, "input"),
            Err("input.tags[1] must be a string, not 2".into())
        );
        assert_eq!(
            t.check(&json!([]), &types, "input"),
            Err("input must be an object, not a list".into())
        );
    }

    #[test]
    fn named_types_may_refer_to_themselves() {
        let mut types = Types::new();
        let tree = obj(
            &[(
                "children",
                Ty::List {
                    of: Box::new(Ty::Named {
                        name: "Tree".into(),
                    }),
                },
                false,
            )],
            false,
        );
        types.insert("Tree".into(), tree);
        let t = Ty::Named {
            name: "Tree".into(),
        };
        assert_eq!(
            t.check(&json!({"children": [{"children": []}]}), &types, "state"),
            Ok(())
        );
        assert!(t
            .check(&json!({"children": [{"kids": []}]}), &types, "state")
            .is_err());
    }

    #[test]
    fn outcomes_and_activity_names_read_back() {
        assert_eq!(
            Outcome::from_result(&json!({"ok": true, "state": {"total": 1}})),
            Some(Outcome::Applied(json!({"total": 1})))
        );
        assert_eq!(
            Outcome::from_result(&json!({"ok": false, "error": "no"})),
            Some(Outcome::Refused(json!("no")))
        );
        assert_eq!(Outcome::from_result(&json!({"total": 1})), None);
        for op in [
            MachineOp::Command {
                machine: "Counter".into(),
                command: "Add".into(),
            },
            MachineOp::Get {
                machine: "Counter".into(),
            },
            MachineOp::Find {
                machine: "Counter".into(),
            },
        ] {
            assert_eq!(MachineOp::parse(&op.activity()), Some(op));
        }
        assert_eq!(MachineOp::parse("Charge"), None);
    }
}

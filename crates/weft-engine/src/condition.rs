//! A trigger's `where` condition, evaluated on one event.
//!
//! `where: event.subject == "question" && event.data.score > 3` is an
//! expression of the flow language over one name, `event` (the event as a
//! triggered run gets it: `{id, type, subject, data, source}`). The checker
//! allows only what this evaluator runs (literals, `event`, fields and
//! elements, operators, the built-ins of
//! [`weft_syntax::ast::WHERE_BUILTINS`]); everything else is refused here
//! too, with a message, so a program deployed by an older checker cannot
//! make it panic. Operators and built-ins are the flows' own
//! ([`crate::ops`], [`crate::builtins`]) in the newest edition, so a
//! condition means what the same expression means in a flow.
//!
//! The answer is `true` or `false`; anything else, and any run-time error
//! (a field of `null`, `null > 3`), is an error for the caller to record:
//! the event then starts nothing for that trigger.

use weft_syntax::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, WHERE_BUILTINS, WHERE_EVENT};

use crate::builtins;
use crate::machine::{describe, index};
use crate::ops;
use crate::program::Edition;
use crate::value::{Map, Value};

/// Evaluates `condition` with `event` bound to the name `event`.
pub fn matches(condition: &Expr, event: &serde_json::Value) -> Result<bool, String> {
    let result = eval(condition, event);
    // Operators count their work on this thread for the machine to charge
    // to a run's step; a condition is no run's, and what it counted must
    // not land on the next step the thread executes.
    crate::work::take();
    match result? {
        Value::Bool(b) => Ok(b),
        other => Err(format!(
            "the condition gave {}, not true or false",
            describe(&other)
        )),
    }
}

/// Where a path of fields and elements under `event` leads. The event is
/// read into values only where the condition reads it: a condition on
/// `event.subject` of an event of 256 KiB reads a few bytes, not all of
/// them (reading all of it for each trigger cost about 0.2 ms per
/// 60 KiB event: docs/benchmarks.md).
enum Node<'j> {
    /// A part of the event as sent.
    Json(&'j serde_json::Value),
    /// A field or element the event does not have: `null`.
    Missing,
    /// Anything else, evaluated.
    Value(Value),
}

fn value_of(node: Node<'_>) -> Result<Value, String> {
    match node {
        Node::Json(j) => Value::from_json(j).map_err(|e| format!("the event cannot be read: {e}")),
        Node::Missing => Ok(Value::Null),
        Node::Value(v) => Ok(v),
    }
}

/// How [`describe`] shows a part of the event, reading no more of it
/// than a scalar.
fn describe_json(j: &serde_json::Value) -> String {
    match j {
        serde_json::Value::Array(_) => "list".into(),
        serde_json::Value::Object(_) => "object".into(),
        scalar => Value::from_json(scalar)
            .map(|v| describe(&v))
            .unwrap_or_else(|_| "a value".into()),
    }
}

fn lookup<'j>(e: &Expr, ev: &'j serde_json::Value) -> Result<Node<'j>, String> {
    Ok(match &e.kind {
        ExprKind::Name(n) if n == WHERE_EVENT => Node::Json(ev),
        ExprKind::Paren(inner) => lookup(inner, ev)?,
        ExprKind::Member { object, name } => match lookup(object, ev)? {
            Node::Json(serde_json::Value::Object(m)) => {
                m.get(&name.name).map_or(Node::Missing, Node::Json)
            }
            Node::Json(other) => {
                return Err(format!(
                    "cannot read field `{}` of {}",
                    name.name,
                    describe_json(other)
                ))
            }
            Node::Missing => return Err(format!("cannot read field `{}` of null", name.name)),
            Node::Value(Value::Object(fields)) => {
                Node::Value(fields.get(&name.name).cloned().unwrap_or_default())
            }
            Node::Value(other) => {
                return Err(format!(
                    "cannot read field `{}` of {}",
                    name.name,
                    describe(&other)
                ))
            }
        },
        ExprKind::Index { object, index: i } => {
            let container = lookup(object, ev)?;
            let key = eval(i, ev)?;
            match (container, &key) {
                (Node::Json(serde_json::Value::Object(m)), Value::Str(k)) => {
                    m.get(k.as_str()).map_or(Node::Missing, Node::Json)
                }
                (Node::Json(serde_json::Value::Array(items)), Value::Int(n)) if *n >= 0 => {
                    usize::try_from(*n)
                        .ok()
                        .and_then(|n| items.get(n))
                        .map_or(Node::Missing, Node::Json)
                }
                (container, _) => Node::Value(index(&value_of(container)?, &key)?),
            }
        }
        _ => Node::Value(eval(e, ev)?),
    })
}

fn eval(e: &Expr, event: &serde_json::Value) -> Result<Value, String> {
    Ok(match &e.kind {
        ExprKind::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::Int(*n as i64)
            } else {
                Value::Float(*n)
            }
        }
        ExprKind::String(s) => Value::str(s),
        ExprKind::Duration { ms, .. } => Value::Duration(i64::try_from(*ms).unwrap_or(i64::MAX)),
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Null => Value::Null,
        ExprKind::Name(n) if n == WHERE_EVENT => value_of(Node::Json(event))?,
        ExprKind::Name(n) => {
            return Err(format!(
                "`{n}` is not known here: a condition reads only `{WHERE_EVENT}`"
            ))
        }
        ExprKind::Paren(inner) => eval(inner, event)?,
        ExprKind::Array(items) => Value::list(
            items
                .iter()
                .map(|i| eval(i, event))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        ExprKind::Object(entries) => {
            let mut map = Map::default();
            for entry in entries {
                match entry {
                    ObjectEntry::Field { key, value } => {
                        map.insert(key.name.clone(), eval(value, event)?);
                    }
                    ObjectEntry::Spread(x) => match eval(x, event)? {
                        Value::Object(o) => {
                            for (k, v) in o.iter() {
                                map.insert(k.clone(), v.clone());
                            }
                        }
                        Value::Null => {}
                        other => return Err(format!("cannot spread {}", describe(&other))),
                    },
                }
            }
            Value::object(map)
        }
        ExprKind::Member { .. } | ExprKind::Index { .. } => value_of(lookup(e, event)?)?,
        ExprKind::Unary { op, operand } => ops::unary(*op, &eval(operand, event)?)?,
        ExprKind::Binary { op, lhs, rhs } => {
            let a = eval(lhs, event)?;
            match op {
                // Short-circuit, as flows do: `a && b` is `a` when falsy.
                BinaryOp::And if !a.truthy() => a,
                BinaryOp::Or if a.truthy() => a,
                BinaryOp::And | BinaryOp::Or => eval(rhs, event)?,
                _ => ops::binary_in(*op, &a, &eval(rhs, event)?, Edition::LATEST)?,
            }
        }
        ExprKind::Call(call) => {
            let name = match &call.callee.kind {
                ExprKind::Name(n) if WHERE_BUILTINS.contains(&n.as_str()) => n.as_str(),
                _ => return Err("a condition calls only the built-ins `len`, `contains`, `keys`, `values`, `string`, `number`, `min`, `max`, `duration` and `time`".into()),
            };
            let arity = weft_syntax::lang::builtin(name).map(|b| (b.args_min, b.args_max));
            if call.args.iter().any(|a| a.name.is_some()) || !call.annotations.is_empty() {
                return Err(format!("`{name}` takes plain arguments"));
            }
            if let Some((min, max)) = arity {
                if call.args.len() < min || call.args.len() > max {
                    return Err(format!(
                        "`{name}` takes {min}{} arguments, not {}",
                        if max == min {
                            String::new()
                        } else if max == usize::MAX {
                            " or more".into()
                        } else {
                            format!(" to {max}")
                        },
                        call.args.len()
                    ));
                }
            }
            let args = call
                .args
                .iter()
                .map(|a| eval(&a.value, event))
                .collect::<Result<Vec<_>, _>>()?;
            match builtins::call_pure_in(name, &args, Edition::LATEST) {
                Some(r) => r?,
                None => return Err(format!("`{name}` cannot be called in a condition")),
            }
        }
        ExprKind::Lambda(_)
        | ExprKind::Await(_)
        | ExprKind::Flow(_)
        | ExprKind::Braced(_)
        | ExprKind::Error => {
            return Err(
                "a condition is an expression over `event`: no functions, sub-flows or `await`"
                    .into(),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(condition: &str, event: serde_json::Value) -> Result<bool, String> {
        let (expr, diags) = weft_syntax::parse_expr(condition);
        assert!(diags.is_empty(), "{condition}: {diags:?}");
        matches(&expr, &event)
    }

    fn event(data: serde_json::Value) -> serde_json::Value {
        json!({"id": "e1", "type": "created", "subject": "question", "data": data, "source": null})
    }

    #[test]
    fn conditions_mean_what_they_mean_in_a_flow() {
        let e = event(json!({"score": 4, "tags": ["a", "b"], "text": "Hello"}));
        for (c, want) in [
            (
                "event.subject == \"question\" && event.data.score > 3",
                true,
            ),
            (
                "event.subject == \"question\" && event.data.score > 4",
                false,
            ),
            ("event.data.score >= 4.0", true),
            ("contains(event.data.tags, \"b\")", true),
            ("len(event.data.text) == 5 || event.data.missing > 1", true),
            ("!(event.type == \"updated\")", true),
            ("event.data[\"tags\"][1] == \"b\"", true),
            ("event.source == null", true),
            ("event.data.missing == null", true),
            ("event.data.score * 2 - 1 == 7", true),
        ] {
            assert_eq!(check(c, e.clone()), Ok(want), "{c}");
        }
    }

    #[test]
    fn errors_are_answers_not_panics() {
        let e = event(json!({"text": "x"}));
        for (c, want) in [
            ("event.data.score > 3", "null"),
            (
                "event.data.author.name == \"ann\"",
                "cannot read field `name` of null",
            ),
            ("event.data.text", "not true or false"),
            ("event.data.text && true", "true"),
            ("other.x == 1", "`other` is not known"),
            ("Moderate(event) == 1", "built-ins"),
            ("len(event.data.text, 1) == 1", "takes 1"),
            ("event.data.text / 0 == 1", ""),
        ] {
            let got = check(c, e.clone());
            match got {
                Err(m) => assert!(m.contains(want), "{c}: {m}"),
                Ok(b) => assert!(want == "true" && b, "{c}: Ok({b})"),
            }
        }
    }

    /// The work a condition does is not left on the thread for the next
    /// run step to be charged with.
    #[test]
    fn a_conditions_work_is_no_runs() {
        let text = "x".repeat(64 * 1024);
        let e = event(json!({"text": text, "tags": vec!["a"; 1_000]}));
        crate::work::take();
        assert_eq!(
            check(
                "contains(event.data.text, \"y\") || len(values(event.data)) > 5",
                e
            ),
            Ok(false)
        );
        assert_eq!(crate::work::take(), 0);
    }

    /// The event is read where the condition reads it: a part of it too
    /// deep to be a value matters only to a condition that reads it.
    #[test]
    fn only_what_is_read_of_the_event_is_read() {
        let mut deep = json!(1);
        for _ in 0..100 {
            deep = json!({ "d": deep });
        }
        let e = event(json!({"score": 4, "deep": deep, "list": [1, 2, 3]}));
        assert_eq!(
            check(
                "event.data.score > 3 && event.subject == \"question\"",
                e.clone()
            ),
            Ok(true)
        );
        assert_eq!(
            check(
                "event.data.list[2] == 3 && event.data.list[5] == null",
                e.clone()
            ),
            Ok(true)
        );
        assert_eq!(
            check("event.data.list[-1] == 3", e.clone()),
            Err("list index -1 is negative".into())
        );
        assert_eq!(
            check("event.data.list.n == 3", e.clone()),
            Err("cannot read field `n` of list".into())
        );
        assert_eq!(
            check("event.id.x == 3", e.clone()),
            Err("cannot read field `x` of the string \"e1\"".into())
        );
        let whole = check("len(event.data.deep) == 1", e).unwrap_err();
        assert!(whole.starts_with("the event cannot be read: "), "{whole}");
    }
}

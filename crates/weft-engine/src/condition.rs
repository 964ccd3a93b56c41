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
    let result = Value::from_json(event)
        .map_err(|e| format!("the event cannot be read: {e}"))
        .and_then(|event| eval(condition, &event));
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

fn eval(e: &Expr, event: &Value) -> Result<Value, String> {
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
        ExprKind::Name(n) if n == WHERE_EVENT => event.clone(),
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
        ExprKind::Member { object, name } => match eval(object, event)? {
            Value::Object(fields) => fields.get(&name.name).cloned().unwrap_or_default(),
            other => {
                return Err(format!(
                    "cannot read field `{}` of {}",
                    name.name,
                    describe(&other)
                ))
            }
        },
        ExprKind::Index { object, index: i } => {
            let container = eval(object, event)?;
            index(&container, &eval(i, event)?)?
        }
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
}

//! The pure built-in functions (those that neither wait nor read the clock).
//! Their names, arities and docs live in `weft_syntax::lang::BUILTINS`.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::limits;
use crate::ops::{list_too_long, string_too_long};
use crate::program::Edition;
use crate::value::{Shape, Value, CONTAINER_BYTES};

/// Calls the pure built-in `name` as edition 1 does. `None` when `name`
/// is not a pure built-in.
pub fn call_pure(name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    call_pure_in(name, args, Edition::E1)
}

/// Calls the pure built-in `name` with the meaning it has in `edition`
/// (from edition 2 on, `min` and `max` refuse to compare a plain number
/// with a duration). `None` when `name` is not a pure built-in.
pub fn call_pure_in(name: &str, args: &[Value], edition: Edition) -> Option<Result<Value, String>> {
    Some(match name {
        "append" => append(args.to_vec()).map_err(|(_, e)| e),
        "len" => len(&args[0]),
        "min" => extreme(args, Ordering::Less, edition),
        "max" => extreme(args, Ordering::Greater, edition),
        "range" => range(args),
        "keys" => match &args[0] {
            Value::Object(m) => Ok(Value::list(m.keys().map(|k| Value::str(k)).collect())),
            other => Err(format!("keys() needs an object, not {}", other.type_name())),
        },
        "values" => match &args[0] {
            Value::Object(m) => Ok(Value::list(m.values().cloned().collect())),
            other => Err(format!(
                "values() needs an object, not {}",
                other.type_name()
            )),
        },
        "contains" => contains(&args[0], &args[1]),
        "string" => args[0]
            .text_within(limits::STRING_BYTES_MAX)
            .map(Value::string)
            .ok_or_else(string_too_long),
        "number" => number(&args[0]),
        "duration" => args[0]
            .coerce_duration()
            .map(Value::Duration)
            .ok_or_else(|| format!("duration() cannot read {} as a duration", show(&args[0]))),
        "time" => args[0]
            .coerce_time()
            .map(Value::Time)
            .ok_or_else(|| format!("time() cannot read {} as a time", show(&args[0]))),
        // The run stops here with the reason (a handler's `fail` is
        // compiled to a refusal instead, see `compile::machines`).
        "fail" => Err(args[0].to_text()),
        _ => return None,
    })
}

fn show(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{:?}", s.as_ref()),
        other => other.type_name().to_string(),
    }
}

/// `append(list, x, ...)`: the list with the values added, grown in place
/// when nothing else shares it. On failure the arguments come back with
/// the reason.
pub fn append(mut args: Vec<Value>) -> Result<Value, (Vec<Value>, String)> {
    let problem = match &args[0] {
        Value::List(items) => {
            if items.len() + args.len() - 1 > limits::LIST_LEN_MAX {
                Some(list_too_long())
            } else {
                let mut shape = items.shape();
                for v in &args[1..] {
                    let s = v.shape();
                    shape.bytes = shape.bytes.saturating_add(s.bytes);
                    shape.depth = shape.depth.max(s.depth + 1);
                }
                shape.check().err()
            }
        }
        Value::Null => {
            if args.len() - 1 > limits::LIST_LEN_MAX {
                Some(list_too_long())
            } else {
                let mut shape = Shape {
                    bytes: CONTAINER_BYTES,
                    depth: 1,
                    handles: false,
                };
                for v in &args[1..] {
                    let s = v.shape();
                    shape.bytes = shape.bytes.saturating_add(s.bytes);
                    shape.depth = shape.depth.max(s.depth + 1);
                }
                shape.check().err()
            }
        }
        other => Some(format!(
            "append() needs a list first, not {}",
            other.type_name()
        )),
    };
    if let Some(e) = problem {
        return Err((args, e));
    }
    let rest = args.split_off(1);
    match args.pop() {
        Some(Value::List(mut items)) => {
            let list = Arc::make_mut(&mut items);
            for v in rest {
                list.push(v);
            }
            Ok(Value::List(items))
        }
        _ => Ok(Value::list(rest)),
    }
}

fn len(v: &Value) -> Result<Value, String> {
    Ok(Value::Int(match v {
        Value::List(items) => items.len() as i64,
        Value::Object(m) => m.len() as i64,
        Value::Str(s) => {
            crate::work::bytes(s.len());
            s.chars().count() as i64
        }
        Value::Null => 0,
        other => {
            return Err(format!(
                "len() needs a list, object or string, not {}",
                other.type_name()
            ))
        }
    }))
}

fn extreme(args: &[Value], want: Ordering, edition: Edition) -> Result<Value, String> {
    let items: &[Value] = match args {
        [Value::List(items)] => items,
        _ => args,
    };
    let mut best: Option<&Value> = None;
    for v in items {
        best = Some(match best {
            None => v,
            Some(b) => {
                if edition >= Edition::E2 {
                    if let Some(message) =
                        crate::ops::number_as_duration(weft_syntax::ast::BinaryOp::Lt, v, b)
                    {
                        return Err(message);
                    }
                }
                if v.compare(b)? == want {
                    v
                } else {
                    b
                }
            }
        });
    }
    best.cloned()
        .ok_or_else(|| "min() and max() need at least one value".to_string())
}

fn whole(v: &Value, what: &str) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
        other => Err(format!(
            "range() needs whole numbers; {what} is {}",
            show_num(other)
        )),
    }
}

fn show_num(v: &Value) -> String {
    match v {
        Value::Float(f) => f.to_string(),
        other => other.type_name().to_string(),
    }
}

fn range(args: &[Value]) -> Result<Value, String> {
    let (start, end, step) = match args {
        [e] => (0, whole(e, "the end")?, 1),
        [s, e] => (whole(s, "the start")?, whole(e, "the end")?, 1),
        [s, e, st] => (
            whole(s, "the start")?,
            whole(e, "the end")?,
            whole(st, "the step")?,
        ),
        _ => return Err("range() takes 1 to 3 arguments".into()),
    };
    if step == 0 {
        return Err("range() step cannot be 0".into());
    }
    let count = if step > 0 {
        (end - start).max(0) as u64 / step as u64 + u64::from((end - start).max(0) % step != 0)
    } else {
        (start - end).max(0) as u64 / (-step) as u64
            + u64::from((start - end).max(0) % (-step) != 0)
    };
    if count > limits::LIST_LEN_MAX as u64 {
        return Err(format!(
            "range() of {count} elements exceeds the list limit of {}",
            limits::LIST_LEN_MAX
        ));
    }
    Ok(Value::list(
        (0..count as i64)
            .map(|i| Value::Int(start + i * step))
            .collect(),
    ))
}

fn contains(coll: &Value, x: &Value) -> Result<Value, String> {
    Ok(Value::Bool(match coll {
        Value::List(items) => items.iter().any(|v| v.equals(x)),
        Value::Object(m) => match x {
            Value::Str(k) => m.contains_key(k),
            _ => false,
        },
        Value::Str(s) => {
            crate::work::bytes(s.len());
            match x {
                Value::Str(sub) => s.contains(sub.as_str()),
                other => other.text_within(s.len()).is_some_and(|t| s.contains(&t)),
            }
        }
        Value::Null => false,
        other => {
            return Err(format!(
                "contains() needs a list, object or string, not {}",
                other.type_name()
            ))
        }
    }))
}

fn number(v: &Value) -> Result<Value, String> {
    match v {
        Value::Int(_) | Value::Float(_) => Ok(v.clone()),
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Duration(d) => Ok(Value::Int(*d)),
        Value::Time(t) => Ok(Value::Int(*t)),
        Value::Str(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Ok(Value::Int(i))
            } else if let Ok(f) = t.parse::<f64>() {
                Ok(Value::Float(f))
            } else {
                Err(format!("number() cannot read {:?} as a number", s.as_ref()))
            }
        }
        other => Err(format!("number() cannot convert {}", other.type_name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Value>) -> Value {
        call_pure(name, &args).unwrap().unwrap()
    }

    #[test]
    fn every_pure_builtin_in_the_table_is_implemented() {
        for b in weft_syntax::lang::BUILTINS {
            if b.kind != weft_syntax::lang::BuiltinKind::Pure {
                continue;
            }
            let args = vec![Value::list(vec![Value::Int(1)]); b.args_min.max(1)];
            assert!(
                call_pure(b.name, &args[..b.args_min.max(1).min(b.args_max)]).is_some(),
                "{}",
                b.name
            );
        }
    }

    #[test]
    fn ranges_exclude_the_end() {
        assert_eq!(call("range", vec![Value::Int(3)]).to_text(), "[0,1,2]");
        assert_eq!(
            call("range", vec![Value::Int(1), Value::Int(4)]).to_text(),
            "[1,2,3]"
        );
        assert_eq!(
            call("range", vec![Value::Int(5), Value::Int(0), Value::Int(-2)]).to_text(),
            "[5,3,1]"
        );
        assert!(
            call_pure("range", &[Value::Int(0), Value::Int(1_000_000_000)])
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn collections() {
        let l = Value::list(vec![Value::Int(3), Value::Int(1), Value::Int(2)]);
        assert_eq!(call("min", vec![l.clone()]).to_text(), "1");
        assert_eq!(
            call("max", vec![Value::Int(3), Value::Float(3.5)]).to_text(),
            "3.5"
        );
        assert_eq!(
            call("append", vec![l.clone(), Value::Int(9)]).to_text(),
            "[3,1,2,9]"
        );
        assert_eq!(call("len", vec![Value::str("héllo")]).to_text(), "5");
        assert!(call("contains", vec![l, Value::Float(2.0)]).truthy());
        assert_eq!(
            call("duration", vec![Value::str("90 minutes")]).to_text(),
            "1h30m"
        );
    }
}

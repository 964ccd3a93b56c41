//! The pure built-in functions (those that neither wait nor read the clock).
//! Their names, arities and docs live in `weft_syntax::lang::BUILTINS`.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::limits;

use crate::value::Value;

/// Calls the pure built-in `name`. `None` when `name` is not a pure built-in.
pub fn call_pure(name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    Some(match name {
        "append" => append(args),
        "len" => len(&args[0]),
        "min" => extreme(args, Ordering::Less),
        "max" => extreme(args, Ordering::Greater),
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
        "string" => Ok(Value::Str(Arc::from(args[0].to_text()))),
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

fn append(args: &[Value]) -> Result<Value, String> {
    let base: &[Value] = match &args[0] {
        Value::List(items) => items,
        Value::Null => &[],
        other => {
            return Err(format!(
                "append() needs a list first, not {}",
                other.type_name()
            ))
        }
    };
    if base.len() + args.len() - 1 > limits::LIST_LEN_MAX {
        return Err(format!(
            "list longer than the limit of {} elements",
            limits::LIST_LEN_MAX
        ));
    }
    let mut out = Vec::with_capacity(base.len() + args.len() - 1);
    out.extend(base.iter().cloned());
    out.extend(args[1..].iter().cloned());
    Ok(Value::list(out))
}

fn len(v: &Value) -> Result<Value, String> {
    Ok(Value::Int(match v {
        Value::List(items) => items.len() as i64,
        Value::Object(m) => m.len() as i64,
        Value::Str(s) => s.chars().count() as i64,
        Value::Null => 0,
        other => {
            return Err(format!(
                "len() needs a list, object or string, not {}",
                other.type_name()
            ))
        }
    }))
}

fn extreme(args: &[Value], want: Ordering) -> Result<Value, String> {
    let items: &[Value] = match args {
        [Value::List(items)] => items,
        _ => args,
    };
    let mut best: Option<&Value> = None;
    for v in items {
        best = Some(match best {
            None => v,
            Some(b) => {
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
            Value::Str(k) => m.contains_key(k.as_ref()),
            _ => false,
        },
        Value::Str(s) => match x {
            Value::Str(sub) => s.contains(sub.as_ref()),
            other => s.contains(&other.to_text()),
        },
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

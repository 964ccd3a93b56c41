//! The operators of the language on run-time values.
//!
//! Numbers: whole numbers stay whole (`7 / 2` is `3.5`, `6 / 2` is `3`);
//! overflow turns into a fraction rather than wrapping. Durations and times:
//! `time ± duration` is a time, `time − time` a duration, `duration /
//! duration` a number. Text that reads as a duration or time takes part in
//! that arithmetic when the other side is a duration or time, because JSON,
//! where activity results come from, has neither. `+` with a string on
//! either side joins text.

use std::cmp::Ordering;
use std::sync::Arc;
use weft_syntax::ast::{BinaryOp, UnaryOp};

use crate::limits;
use crate::program::Edition;
use crate::value::{List, Shape, Value, CONTAINER_BYTES};

/// Applies a prefix operator.
pub fn unary(op: UnaryOp, v: &Value) -> Result<Value, String> {
    match op {
        UnaryOp::Not => Ok(Value::Bool(!v.truthy())),
        UnaryOp::Neg => match v {
            Value::Int(i) => Ok(i
                .checked_neg()
                .map(Value::Int)
                .unwrap_or(Value::Float(-(*i as f64)))),
            Value::Float(f) => Ok(Value::Float(-f)),
            Value::Duration(d) => Ok(Value::Duration(-d)),
            other => Err(format!("cannot negate {}", other.type_name())),
        },
        UnaryOp::Plus => match v {
            Value::Int(_) | Value::Float(_) | Value::Duration(_) => Ok(v.clone()),
            other => Err(format!(
                "unary `+` needs a number, not {}",
                other.type_name()
            )),
        },
    }
}

/// Applies an infix operator (`&&` and `||` short-circuit in the compiler)
/// with the meaning it has in `edition`: from edition 2 on, a plain number
/// is not a duration ([`number_as_duration`]).
pub fn binary_in(op: BinaryOp, a: &Value, b: &Value, edition: Edition) -> Result<Value, String> {
    if edition >= Edition::E2 {
        if let Some(message) = number_as_duration(op, a, b) {
            return Err(message);
        }
    }
    binary(op, a, b)
}

/// Why `a op b` takes a plain number for a duration, if it does: a number
/// compared with a duration, added to or subtracted from one or from a
/// time. Edition 1 read the number as milliseconds, so `45 > 30days`
/// (a day count against a duration) was silently false; edition 2 refuses
/// it, naming both values, and the run stops there for an operator.
/// Multiplying or dividing a duration by a number stays: that scales it.
pub fn number_as_duration(op: BinaryOp, a: &Value, b: &Value) -> Option<String> {
    use BinaryOp::*;
    let comparing = matches!(op, Lt | Le | Gt | Ge);
    if !comparing && !matches!(op, Add | Sub) {
        return None;
    }
    let (number, other) = match (a, b) {
        (n @ (Value::Int(_) | Value::Float(_)), d @ Value::Duration(_))
        | (d @ Value::Duration(_), n @ (Value::Int(_) | Value::Float(_))) => (n, d),
        // A time and a number compare (epoch milliseconds); a number added
        // to a time would be a duration.
        (n @ (Value::Int(_) | Value::Float(_)), t @ Value::Time(_))
        | (t @ Value::Time(_), n @ (Value::Int(_) | Value::Float(_)))
            if !comparing =>
        {
            (n, t)
        }
        _ => return None,
    };
    let n = number.to_text();
    let other = other.to_text();
    Some(if comparing {
        format!(
            "{n} is a number, not a duration: send \"{n}days\" (with its unit) or compare it with a number (it was compared with {other})"
        )
    } else {
        format!(
            "{n} is a number, not a duration: send \"{n}days\" (with its unit), or write duration({n}) for milliseconds (it was used with `{}` and {other})",
            op.as_str()
        )
    })
}

/// Applies an infix operator (`&&` and `||` short-circuit in the compiler)
/// as edition 1 does.
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, String> {
    use BinaryOp::*;
    match op {
        Eq => Ok(Value::Bool(a.equals(b))),
        Ne => Ok(Value::Bool(!a.equals(b))),
        Lt => Ok(Value::Bool(a.compare(b)? == Ordering::Less)),
        Le => Ok(Value::Bool(a.compare(b)? != Ordering::Greater)),
        Gt => Ok(Value::Bool(a.compare(b)? == Ordering::Greater)),
        Ge => Ok(Value::Bool(a.compare(b)? != Ordering::Less)),
        And => Ok(if a.truthy() { b.clone() } else { a.clone() }),
        Or => Ok(if a.truthy() { a.clone() } else { b.clone() }),
        Add => add(a, b),
        Sub => sub(a, b),
        Mul => mul(a, b),
        Div => div(a, b),
        Rem => rem(a, b),
    }
}

/// Applies an infix operator to an operand the caller gives up: `+` grows
/// a list or text that nothing else shares in place instead of copying
/// it. On failure the operand comes back with the reason.
pub fn binary_owned(op: BinaryOp, a: Value, b: &Value) -> Result<Value, (Value, String)> {
    if op != BinaryOp::Add {
        return binary(op, &a, b).map_err(|e| (a, e));
    }
    match (a, b) {
        (Value::List(mut x), Value::List(y)) => {
            if let Err(e) = joined_lists(&x, y) {
                return Err((Value::List(x), e));
            }
            let items = Arc::make_mut(&mut x);
            crate::work::elements(y.len());
            for v in y.iter() {
                items.push(v.clone());
            }
            Ok(Value::List(x))
        }
        (Value::Str(mut x), y) => {
            let room = limits::STRING_BYTES_MAX.saturating_sub(x.len());
            let grown = match y {
                Value::Str(t) if t.len() <= room => {
                    x.push_str(t);
                    true
                }
                Value::Str(_) => false,
                other => match other.text_within(room) {
                    Some(t) => {
                        x.push_str(&t);
                        true
                    }
                    None => false,
                },
            };
            if grown {
                Ok(Value::Str(x))
            } else {
                Err((Value::Str(x), string_too_long()))
            }
        }
        (a, b) => add(&a, b).map_err(|e| (a, e)),
    }
}

/// Why `x + y` of two lists cannot be made, if it cannot: from the shapes
/// the lists keep, before anything is copied.
fn joined_lists(x: &List, y: &List) -> Result<(), String> {
    if x.len() + y.len() > limits::LIST_LEN_MAX {
        return Err(list_too_long());
    }
    let (a, b) = (x.shape(), y.shape());
    Shape {
        bytes: (a.bytes + b.bytes).saturating_sub(CONTAINER_BYTES),
        depth: a.depth.max(b.depth),
        handles: a.handles || b.handles,
    }
    .check()
}

fn mismatch(op: &str, a: &Value, b: &Value) -> String {
    format!(
        "cannot apply `{op}` to {} and {}",
        a.type_name(),
        b.type_name()
    )
}

fn num(f: f64) -> Value {
    Value::Float(f)
}

fn int_or_float(r: Option<i64>, f: f64) -> Value {
    match r {
        Some(i) => Value::Int(i),
        None => num(f),
    }
}

fn is_num(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_))
}

fn add(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            Ok(int_or_float(x.checked_add(*y), *x as f64 + *y as f64))
        }
        (x, y) if is_num(x) && is_num(y) => Ok(num(x.as_f64().unwrap() + y.as_f64().unwrap())),
        (Value::Str(x), y) => {
            let room = limits::STRING_BYTES_MAX.saturating_sub(x.len());
            let y = y.text_within(room).ok_or_else(string_too_long)?;
            concat(x, &y)
        }
        (x, Value::Str(y)) if !matches!(x, Value::Duration(_) | Value::Time(_)) => {
            let room = limits::STRING_BYTES_MAX.saturating_sub(y.len());
            let x = x.text_within(room).ok_or_else(string_too_long)?;
            concat(&x, y)
        }
        (Value::List(x), Value::List(y)) => {
            joined_lists(x, y)?;
            let mut out = Vec::with_capacity(x.len() + y.len());
            out.extend(x.iter().cloned());
            out.extend(y.iter().cloned());
            Ok(Value::list(out))
        }
        (Value::Time(t), d) | (d, Value::Time(t)) => {
            let d = d.coerce_duration().ok_or_else(|| mismatch("+", a, b))?;
            Ok(Value::Time(t.saturating_add(d)))
        }
        (Value::Duration(x), y) | (y, Value::Duration(x)) => match y {
            Value::Duration(_) | Value::Str(_) | Value::Int(_) | Value::Float(_) => {
                // Text that reads as a time plus a duration is a time.
                if let Value::Str(s) = y {
                    if crate::time::parse_duration(s).is_none() {
                        if let Some(t) = crate::time::parse_time(s) {
                            return Ok(Value::Time(t.saturating_add(*x)));
                        }
                    }
                }
                let y = y.coerce_duration().ok_or_else(|| mismatch("+", a, b))?;
                Ok(Value::Duration(x.saturating_add(y)))
            }
            _ => Err(mismatch("+", a, b)),
        },
        _ => Err(mismatch("+", a, b)),
    }
}

fn concat(a: &str, b: &str) -> Result<Value, String> {
    if a.len() + b.len() > limits::STRING_BYTES_MAX {
        return Err(string_too_long());
    }
    crate::work::bytes(a.len() + b.len());
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    Ok(Value::string(s))
}

/// Why a string cannot grow.
pub fn string_too_long() -> String {
    format!(
        "string longer than the limit of {} bytes (STRING_BYTES_MAX)",
        limits::STRING_BYTES_MAX
    )
}

/// Why a list cannot grow.
pub fn list_too_long() -> String {
    format!(
        "list longer than the limit of {} elements (LIST_LEN_MAX)",
        limits::LIST_LEN_MAX
    )
}

fn sub(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            Ok(int_or_float(x.checked_sub(*y), *x as f64 - *y as f64))
        }
        (x, y) if is_num(x) && is_num(y) => Ok(num(x.as_f64().unwrap() - y.as_f64().unwrap())),
        (Value::Time(x), Value::Time(y)) => Ok(Value::Duration(x.saturating_sub(*y))),
        (Value::Time(t), other) => {
            if let Value::Str(s) = other {
                if let Some(u) = crate::time::parse_time(s) {
                    return Ok(Value::Duration(t.saturating_sub(u)));
                }
            }
            let d = other.coerce_duration().ok_or_else(|| mismatch("-", a, b))?;
            Ok(Value::Time(t.saturating_sub(d)))
        }
        (Value::Str(s), Value::Duration(d)) => {
            if let Some(t) = crate::time::parse_time(s) {
                return Ok(Value::Time(t.saturating_sub(*d)));
            }
            let x = a.coerce_duration().ok_or_else(|| mismatch("-", a, b))?;
            Ok(Value::Duration(x.saturating_sub(*d)))
        }
        (Value::Str(s), Value::Time(t)) => {
            let u = crate::time::parse_time(s).ok_or_else(|| mismatch("-", a, b))?;
            Ok(Value::Duration(u.saturating_sub(*t)))
        }
        (Value::Duration(x), y) => {
            let y = y.coerce_duration().ok_or_else(|| mismatch("-", a, b))?;
            Ok(Value::Duration(x.saturating_sub(y)))
        }
        (x, Value::Duration(y)) => {
            let x = x.coerce_duration().ok_or_else(|| mismatch("-", a, b))?;
            Ok(Value::Duration(x.saturating_sub(*y)))
        }
        _ => Err(mismatch("-", a, b)),
    }
}

fn mul(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            Ok(int_or_float(x.checked_mul(*y), *x as f64 * *y as f64))
        }
        (x, y) if is_num(x) && is_num(y) => Ok(num(x.as_f64().unwrap() * y.as_f64().unwrap())),
        (Value::Duration(d), n) | (n, Value::Duration(d)) if is_num(n) => Ok(Value::Duration(
            (*d as f64 * n.as_f64().unwrap()).round() as i64,
        )),
        _ => Err(mismatch("*", a, b)),
    }
}

fn div(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (x, y) if is_num(x) && is_num(y) => {
            let (xf, yf) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if yf == 0.0 {
                return Err("division by zero".into());
            }
            if let (Value::Int(p), Value::Int(q)) = (x, y) {
                if p.checked_rem(*q) == Some(0) {
                    return Ok(int_or_float(p.checked_div(*q), xf / yf));
                }
            }
            Ok(num(xf / yf))
        }
        (Value::Duration(d), n) if is_num(n) => {
            let n = n.as_f64().unwrap();
            if n == 0.0 {
                return Err("division by zero".into());
            }
            Ok(Value::Duration((*d as f64 / n).round() as i64))
        }
        (Value::Duration(x), y) => {
            let y = y.coerce_duration().ok_or_else(|| mismatch("/", a, b))?;
            if y == 0 {
                return Err("division by a zero duration".into());
            }
            Ok(num(*x as f64 / y as f64))
        }
        _ => Err(mismatch("/", a, b)),
    }
}

fn rem(a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            if *y == 0 {
                return Err("remainder by zero".into());
            }
            Ok(Value::Int(x.wrapping_rem(*y)))
        }
        (x, y) if is_num(x) && is_num(y) => {
            let y = y.as_f64().unwrap();
            if y == 0.0 {
                return Err("remainder by zero".into());
            }
            Ok(num(x.as_f64().unwrap() % y))
        }
        (Value::Duration(x), Value::Duration(y)) => {
            if *y == 0 {
                return Err("remainder by a zero duration".into());
            }
            Ok(Value::Duration(x % y))
        }
        _ => Err(mismatch("%", a, b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(op: BinaryOp, x: Value, y: Value) -> Value {
        binary(op, &x, &y).unwrap()
    }

    #[test]
    fn numbers() {
        assert!(matches!(
            b(BinaryOp::Div, Value::Int(6), Value::Int(2)),
            Value::Int(3)
        ));
        assert!(
            matches!(b(BinaryOp::Div, Value::Int(7), Value::Int(2)), Value::Float(f) if f == 3.5)
        );
        assert!(matches!(
            b(BinaryOp::Add, Value::Int(i64::MAX), Value::Int(1)),
            Value::Float(_)
        ));
        assert!(binary(BinaryOp::Div, &Value::Int(1), &Value::Int(0)).is_err());
        assert!(matches!(
            b(BinaryOp::Rem, Value::Int(7), Value::Int(3)),
            Value::Int(1)
        ));
    }

    #[test]
    fn time_arithmetic() {
        let t = Value::Time(1_000_000);
        assert!(matches!(
            b(BinaryOp::Add, t.clone(), Value::Duration(500)),
            Value::Time(1_000_500)
        ));
        assert!(matches!(
            b(BinaryOp::Sub, t.clone(), Value::Time(400_000)),
            Value::Duration(600_000)
        ));
        assert!(matches!(
            b(BinaryOp::Div, Value::Duration(7_200_000), Value::Duration(3_600_000)),
            Value::Float(f) if f == 2.0
        ));
        // Text from JSON takes part when the other side is a duration.
        assert!(matches!(
            b(
                BinaryOp::Sub,
                Value::str("2026-12-01T10:00:00Z"),
                Value::Duration(3_600_000)
            ),
            Value::Time(_)
        ));
        assert!(matches!(
            b(
                BinaryOp::Gt,
                Value::str("5h"),
                Value::Duration(4 * 3_600_000)
            ),
            Value::Bool(true)
        ));
    }

    #[test]
    fn edition_2_refuses_a_number_for_a_duration() {
        let e2 = |op, x: Value, y: Value| binary_in(op, &x, &y, Edition::E2);
        let err = e2(
            BinaryOp::Gt,
            Value::Int(45),
            Value::Duration(30 * 86_400_000),
        )
        .unwrap_err();
        assert_eq!(
            err,
            "45 is a number, not a duration: send \"45days\" (with its unit) or compare it with a number (it was compared with 30d)"
        );
        assert!(e2(BinaryOp::Add, Value::Duration(1), Value::Float(1.5)).is_err());
        assert!(e2(BinaryOp::Sub, Value::Time(1_000), Value::Int(5)).is_err());
        // Edition 1 reads the number as milliseconds.
        assert!(matches!(
            binary_in(
                BinaryOp::Gt,
                &Value::Int(45),
                &Value::Duration(30),
                Edition::E1
            ),
            Ok(Value::Bool(true))
        ));
        // What stays: text that reads as a duration, scaling, times and
        // epoch milliseconds, numbers with numbers.
        assert!(matches!(
            e2(
                BinaryOp::Gt,
                Value::str("5h"),
                Value::Duration(4 * 3_600_000)
            ),
            Ok(Value::Bool(true))
        ));
        assert!(matches!(
            e2(BinaryOp::Mul, Value::Duration(1_000), Value::Int(3)),
            Ok(Value::Duration(3_000))
        ));
        assert!(matches!(
            e2(BinaryOp::Lt, Value::Time(1_000), Value::Int(5_000)),
            Ok(Value::Bool(true))
        ));
        assert!(matches!(
            e2(BinaryOp::Lt, Value::Int(3), Value::Float(3.5)),
            Ok(Value::Bool(true))
        ));
    }

    #[test]
    fn text_and_lists() {
        assert_eq!(
            b(BinaryOp::Add, Value::str("T-"), Value::Int(7)).to_text(),
            "T-7"
        );
        assert!(matches!(
            b(BinaryOp::Add, Value::list(vec![Value::Int(1)]), Value::list(vec![Value::Int(2)])),
            Value::List(l) if l.len() == 2
        ));
        assert!(binary(BinaryOp::Mul, &Value::str("a"), &Value::Int(2)).is_err());
    }
}

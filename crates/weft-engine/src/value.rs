//! Run-time values, their operators, and their two serialized forms.
//!
//! * **JSON** ([`Value::to_json`], [`Value::from_json`]) is what activities,
//!   callbacks and API clients see: durations become text such as `"2h30m"`
//!   and times RFC 3339 text.
//! * **Snapshot** (the serde impls) is lossless: it keeps durations, times,
//!   closures and handles apart with `$`-tagged objects, so a resumed run has
//!   exactly the values it had.
//!
//! Lists and objects are shared behind `Arc` and copied on write, so loading
//! a variable is cheap and changing one copy never changes another.

use indexmap::IndexMap;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::time;

/// An object: keys in insertion order.
pub type Map = IndexMap<String, Value>;

/// A value of the flow language.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `null`; also what a missing field reads as.
    #[default]
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    Str(Arc<str>),
    /// `[...]`
    List(Arc<Vec<Value>>),
    /// `{...}`
    Object(Arc<Map>),
    /// A length of time, in milliseconds.
    Duration(i64),
    /// A point in time, in milliseconds since the Unix epoch (UTC).
    Time(i64),
    /// A function value with the values it captured.
    Closure(Arc<Closure>),
    /// An inline sub-flow that may still be running: an index into the
    /// run's table of child runs. Reading it waits for the child's result.
    Handle(u32),
}

/// A closure: a compiled function and the values it captured when created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    /// Index of the function in the program.
    pub func: u32,
    /// Captured values, in the order of the function's capture list.
    pub captures: Vec<Value>,
}

/// The value an `await` takes when its timeout passes.
pub fn timeout_value() -> Value {
    let mut m = Map::new();
    m.insert("status".into(), Value::str("timeout"));
    m.insert("type".into(), Value::str("timeout"));
    Value::Object(Arc::new(m))
}

/// The value a failed call takes under `@catch` (and inside `WaitAll`).
pub fn error_value(message: &str, attempts: u32) -> Value {
    let mut err = Map::new();
    err.insert("message".into(), Value::str(message));
    err.insert("attempts".into(), Value::Int(i64::from(attempts)));
    let mut m = Map::new();
    m.insert("status".into(), Value::str("error"));
    m.insert("error".into(), Value::Object(Arc::new(err)));
    Value::Object(Arc::new(m))
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    /// An object value.
    pub fn object(map: Map) -> Value {
        Value::Object(Arc::new(map))
    }

    /// The type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Duration(_) => "duration",
            Value::Time(_) => "time",
            Value::Closure(_) => "function",
            Value::Handle(_) => "sub-flow",
        }
    }

    /// `false`, `null`, `0` and `""` are falsy; everything else is truthy.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0 && !f.is_nan(),
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// The number as `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The field `key` of an object.
    pub fn field(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// True when the value (deeply) contains a handle.
    pub fn has_handle(&self) -> bool {
        match self {
            Value::Handle(_) => true,
            Value::List(items) => items.iter().any(Value::has_handle),
            Value::Object(m) => m.values().any(Value::has_handle),
            _ => false,
        }
    }

    /// The first handle inside the value, depth first.
    pub fn first_handle(&self) -> Option<u32> {
        match self {
            Value::Handle(h) => Some(*h),
            Value::List(items) => items.iter().find_map(Value::first_handle),
            Value::Object(m) => m.values().find_map(Value::first_handle),
            _ => None,
        }
    }

    /// Replaces every handle by `resolve(handle)` (which must know it).
    pub fn replace_handles(&self, resolve: &dyn Fn(u32) -> Option<Value>) -> Option<Value> {
        Some(match self {
            Value::Handle(h) => resolve(*h)?,
            Value::List(items) if self.has_handle() => Value::list(
                items
                    .iter()
                    .map(|v| v.replace_handles(resolve))
                    .collect::<Option<_>>()?,
            ),
            Value::Object(m) if self.has_handle() => Value::object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.replace_handles(resolve)?)))
                    .collect::<Option<_>>()?,
            ),
            other => other.clone(),
        })
    }

    /// Converts to JSON for activities, callbacks and the API.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::List(items) => serde_json::Value::Array(
                items.iter().map(Value::to_json).collect::<Result<_, _>>()?,
            ),
            Value::Object(m) => {
                let mut out = serde_json::Map::with_capacity(m.len());
                for (k, v) in m.iter() {
                    out.insert(k.clone(), v.to_json()?);
                }
                serde_json::Value::Object(out)
            }
            Value::Duration(ms) => serde_json::Value::String(time::format_duration(*ms)),
            Value::Time(ms) => serde_json::Value::String(time::format_time(*ms)),
            Value::Closure(_) => {
                return Err("a function cannot leave the flow (it has no JSON form)".into())
            }
            Value::Handle(_) => {
                return Err("a sub-flow handle must be waited for before it leaves the flow".into())
            }
        })
    }

    /// Converts from JSON (numbers that fit in `i64` stay whole).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::Str(Arc::from(s.as_str())),
            serde_json::Value::Array(items) => {
                Value::list(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(m) => Value::object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Deep equality: numbers by value (`550 == 550.0`); values of
    /// different types are unequal.
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
                a.as_f64() == b.as_f64()
            }
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.equals(y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.equals(w)))
            }
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => a == b,
            (Value::Handle(a), Value::Handle(b)) => a == b,
            // JSON has no durations or times: text compares by meaning.
            (Value::Duration(d), Value::Str(s)) | (Value::Str(s), Value::Duration(d)) => {
                time::parse_duration(s) == Some(*d)
            }
            (Value::Time(t), Value::Str(s)) | (Value::Str(s), Value::Time(t)) => {
                time::parse_time(s) == Some(*t)
            }
            _ => false,
        }
    }

    /// Orders two values of comparable types.
    pub fn compare(&self, other: &Value) -> Result<Ordering, String> {
        let incomparable = || {
            format!(
                "cannot compare {} with {}",
                self.type_name(),
                other.type_name()
            )
        };
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Ok(a.cmp(b)),
            (a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => a
                .as_f64()
                .unwrap()
                .partial_cmp(&b.as_f64().unwrap())
                .ok_or_else(|| "cannot compare NaN".to_string()),
            (Value::Str(a), Value::Str(b)) => Ok(a.cmp(b)),
            (Value::Duration(_), _) | (_, Value::Duration(_)) => {
                let a = self.coerce_duration().ok_or_else(incomparable)?;
                let b = other.coerce_duration().ok_or_else(incomparable)?;
                Ok(a.cmp(&b))
            }
            (Value::Time(_), _) | (_, Value::Time(_)) => {
                let a = self.coerce_time().ok_or_else(incomparable)?;
                let b = other.coerce_time().ok_or_else(incomparable)?;
                Ok(a.cmp(&b))
            }
            _ => Err(incomparable()),
        }
    }

    /// This value as a duration: a duration, duration text (`"2hours"`) or
    /// a number of milliseconds.
    pub fn coerce_duration(&self) -> Option<i64> {
        match self {
            Value::Duration(d) => Some(*d),
            Value::Str(s) => time::parse_duration(s),
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.is_finite() => Some(f.round() as i64),
            _ => None,
        }
    }

    /// This value as a time: a time, RFC 3339 text or epoch milliseconds.
    pub fn coerce_time(&self) -> Option<i64> {
        match self {
            Value::Time(t) => Some(*t),
            Value::Str(s) => time::parse_time(s),
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.is_finite() => Some(f.round() as i64),
            _ => None,
        }
    }

    /// The value as text: strings as they are, durations and times in their
    /// text forms, everything else as compact JSON.
    pub fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            Value::Duration(d) => time::format_duration(*d),
            Value::Time(t) => time::format_time(*t),
            Value::Closure(_) => "<function>".into(),
            Value::Handle(_) => "<sub-flow>".into(),
            other => other.to_json().map(|j| j.to_string()).unwrap_or_else(|e| e),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.equals(other)
    }
}

// ----- lossless snapshot serialization -----

const TAG_DURATION: &str = "$d";
const TAG_TIME: &str = "$t";
const TAG_CLOSURE: &str = "$c";
const TAG_HANDLE: &str = "$h";
const TAG_FLOAT: &str = "$f";

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(f) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TAG_FLOAT, &f.to_string())?;
                m.end()
            }
            Value::Str(v) => s.serialize_str(v),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for it in items.iter() {
                    seq.serialize_element(it)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map.iter() {
                    // Keys starting with `$` are escaped with one more `$`, so
                    // user data can never look like a tag.
                    if k.starts_with('$') {
                        m.serialize_entry(&format!("${k}"), v)?;
                    } else {
                        m.serialize_entry(k, v)?;
                    }
                }
                m.end()
            }
            Value::Duration(d) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TAG_DURATION, d)?;
                m.end()
            }
            Value::Time(t) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TAG_TIME, t)?;
                m.end()
            }
            Value::Closure(c) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry(TAG_CLOSURE, &c.func)?;
                m.serialize_entry("v", &c.captures)?;
                m.end()
            }
            Value::Handle(h) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TAG_HANDLE, h)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Weft value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(match i64::try_from(u) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(u as f64),
        })
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(Arc::from(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Value::list(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Value::object(Map::new()));
        };
        match first.as_str() {
            TAG_DURATION => return Ok(Value::Duration(map.next_value()?)),
            TAG_TIME => return Ok(Value::Time(map.next_value()?)),
            TAG_HANDLE => return Ok(Value::Handle(map.next_value()?)),
            TAG_FLOAT => {
                let text: String = map.next_value()?;
                return Ok(Value::Float(text.parse().map_err(de::Error::custom)?));
            }
            TAG_CLOSURE => {
                let func: u32 = map.next_value()?;
                let mut captures = Vec::new();
                if let Some(k) = map.next_key::<String>()? {
                    if k != "v" {
                        return Err(de::Error::custom("closure without captures"));
                    }
                    captures = map.next_value()?;
                }
                return Ok(Value::Closure(Arc::new(Closure { func, captures })));
            }
            _ => {}
        }
        let mut m = Map::with_capacity(map.size_hint().unwrap_or(0).min(4096) + 1);
        let unescape = |k: String| match k.strip_prefix('$') {
            Some(rest) => rest.to_string(),
            None => k,
        };
        m.insert(unescape(first), map.next_value()?);
        while let Some(k) = map.next_key::<String>()? {
            m.insert(unescape(k), map.next_value()?);
        }
        Ok(Value::object(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn snapshot_round_trip(v: &Value) -> Value {
        let text = serde_json::to_string(v).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn snapshot_form_is_lossless() {
        let mut m = Map::new();
        m.insert("$weird".into(), Value::Int(1));
        m.insert("d".into(), Value::Duration(7_200_000));
        m.insert("t".into(), Value::Time(1_764_093_131_000));
        m.insert("nan".into(), Value::Float(f64::INFINITY));
        m.insert(
            "c".into(),
            Value::Closure(Arc::new(Closure {
                func: 3,
                captures: vec![Value::Int(1), Value::str("x")],
            })),
        );
        m.insert("h".into(), Value::Handle(2));
        m.insert("empty".into(), Value::object(Map::new()));
        let v = Value::object(m);
        let back = snapshot_round_trip(&v);
        assert!(matches!(back.field("d"), Some(Value::Duration(7_200_000))));
        assert!(matches!(back.field("t"), Some(Value::Time(_))));
        assert!(matches!(back.field("h"), Some(Value::Handle(2))));
        assert!(matches!(back.field("$weird"), Some(Value::Int(1))));
        assert!(matches!(back.field("nan"), Some(Value::Float(f)) if f.is_infinite()));
        assert!(back.equals(&v));
    }

    #[test]
    fn json_form_uses_text_for_time() {
        assert_eq!(
            Value::Duration(5_400_000).to_json().unwrap(),
            serde_json::json!("1h30m")
        );
        assert_eq!(
            Value::Time(0).to_json().unwrap(),
            serde_json::json!("1970-01-01T00:00:00Z")
        );
        assert!(Value::Handle(1).to_json().is_err());
    }

    /// Equal in every detail the snapshot keeps: the variant (a whole
    /// number is not a fraction), key order, a float's bits.
    fn identical(a: &Value, b: &Value) -> bool {
        same(a, b, true)
    }

    /// Equal in every detail, with object keys in any order unless
    /// `ordered`.
    fn same(a: &Value, b: &Value, ordered: bool) -> bool {
        let all = |x: &[Value], y: &[Value]| {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, ordered))
        };
        match (a, b) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Float(x), Value::Float(y)) => {
                x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan()
            }
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::List(x), Value::List(y)) => all(x, y),
            (Value::Object(x), Value::Object(y)) if ordered => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((k, a), (l, b))| k == l && same(a, b, ordered))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, a)| y.get(k).is_some_and(|b| same(a, b, ordered)))
            }
            (Value::Duration(x), Value::Duration(y)) => x == y,
            (Value::Time(x), Value::Time(y)) => x == y,
            (Value::Closure(x), Value::Closure(y)) => {
                x.func == y.func && all(&x.captures, &y.captures)
            }
            (Value::Handle(x), Value::Handle(y)) => x == y,
            _ => false,
        }
    }

    /// Keys that look like the snapshot's tags, or escape them.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{0,3}",
            Just("$d".to_string()),
            Just("$t".to_string()),
            Just("$c".to_string()),
            Just("$h".to_string()),
            Just("$f".to_string()),
            Just("v".to_string()),
            "\\$+[a-z$]{0,2}",
        ]
    }

    fn float() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(2.0),
            Just(1e300),
        ]
    }

    /// Any value a run's state can hold.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            float().prop_map(Value::Float),
            "\\PC{0,6}".prop_map(|s| Value::str(&s)),
            any::<i64>().prop_map(Value::Duration),
            any::<i64>().prop_map(Value::Time),
            any::<u32>().prop_map(Value::Handle),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::list),
                proptest::collection::vec((key(), inner.clone()), 0..6)
                    .prop_map(|fields| Value::object(fields.into_iter().collect())),
                (any::<u32>(), proptest::collection::vec(inner, 0..3)).prop_map(
                    |(func, captures)| Value::Closure(Arc::new(Closure { func, captures }))
                ),
            ]
        })
    }

    /// Values with a JSON form that reads back as the same value: no
    /// durations, times, functions or handles, finite numbers.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::Float),
            "\\PC{0,6}".prop_map(|s| Value::str(&s)),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::list),
                proptest::collection::vec((key(), inner), 0..6)
                    .prop_map(|fields| Value::object(fields.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// A run resumes with exactly the values it had: the snapshot form
        /// keeps every variant, key (even keys that look like its tags) and
        /// float, and writing it again gives the same text.
        #[test]
        fn snapshots_are_lossless(v in value()) {
            let text = serde_json::to_string(&v).unwrap();
            let back: Value = serde_json::from_str(&text).unwrap();
            prop_assert!(identical(&v, &back), "{text} read back as {back:?}");
            prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
        }

        /// What an activity receives reads back as the value that was sent,
        /// apart from key order: JSON objects (`serde_json::Map`) sort their
        /// keys.
        #[test]
        fn json_values_survive_the_json_form(v in json_value()) {
            let json = v.to_json().unwrap();
            prop_assert!(same(&Value::from_json(&json), &v, false), "{json}");
        }

        /// Equality is an equivalence on values without NaN.
        #[test]
        fn equality_is_symmetric_and_reflexive(a in value(), b in value()) {
            prop_assert_eq!(a.equals(&b), b.equals(&a));
            if !serde_json::to_string(&a).unwrap().contains("NaN") {
                prop_assert!(a.equals(&a));
            }
        }
    }

    /// Found by `snapshots_are_lossless`: without serde_json's
    /// `float_roundtrip`, this float read back one bit off.
    #[test]
    fn floats_read_back_to_the_same_bits() {
        let v = Value::Float(-1.0366436675030827e-50);
        assert!(identical(&snapshot_round_trip(&v), &v));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(Value::Int(550).equals(&Value::Float(550.0)));
        assert!(!Value::Int(1).equals(&Value::str("1")));
        assert_eq!(
            Value::Duration(3_600_000).compare(&Value::str("2hours")),
            Ok(Ordering::Less)
        );
        assert!(Value::Null.compare(&Value::Int(1)).is_err());
    }
}

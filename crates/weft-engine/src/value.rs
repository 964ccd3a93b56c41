//! Run-time values, their operators, and their two serialized forms.
//!
//! * **JSON** ([`Value::to_json`], [`Value::from_json`]) is what activities,
//!   callbacks and API clients see: durations become text such as `"2h30m"`
//!   and times RFC 3339 text. Objects keep their keys in the order written.
//! * **Snapshot** (the serde impls) is lossless: it keeps durations, times,
//!   closures and handles apart with `$`-tagged objects, so a resumed run has
//!   exactly the values it had.
//!
//! Lists, objects and strings are shared behind `Arc` and copied on write,
//! so loading a variable is cheap and changing one copy never changes
//! another.
//!
//! # Shapes and limits
//!
//! Sharing makes a value's written-out size unrelated to its size in
//! memory: `o = {a: o, b: o}` twenty times is a few hundred bytes in
//! memory and millions of fields in JSON, where every shared part is
//! written out again. What a value costs to store, send or compare is its
//! expanded size, so that is what the limits bound. Every list and object
//! keeps its [`Shape`] (expanded size, nesting depth, whether a sub-flow
//! handle is inside) up to date as it changes, so a limit is checked in
//! constant time when a value is built, never by walking or writing out the
//! value first. [`Value::check`] tests a value against
//! [`limits::VALUE_BYTES_MAX`] and [`limits::VALUE_DEPTH_MAX`]; the machine
//! refuses to build a value that fails it, so every value of a run can be
//! written out, read back and walked recursively within bounded memory and
//! stack.

use indexmap::IndexMap;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::{limits, time, work};

/// An object's fields, in insertion order: how objects are built.
///
/// Hashed with foldhash, seeded per process: SipHash, the standard
/// library's hasher, was a ninth of the core thread's instructions, field
/// names among its largest users (docs/benchmarks.md, round 11). Make one
/// with `Map::default()` or [`map_with_capacity`].
pub type Map = IndexMap<String, Value, foldhash::fast::RandomState>;

/// An empty [`Map`] with room for `n` fields.
pub fn map_with_capacity(n: usize) -> Map {
    Map::with_capacity_and_hasher(n, Default::default())
}

/// What a number, boolean, `null`, duration, time or handle counts in
/// [`Shape::bytes`] (about what it takes in memory).
pub const SCALAR_BYTES: u64 = 16;

/// What a string counts in [`Shape::bytes`], besides its text.
pub const STRING_BYTES: u64 = 48;

/// What a list, object or function value counts in [`Shape::bytes`],
/// besides its elements.
pub const CONTAINER_BYTES: u64 = 80;

/// What one field of an object counts in [`Shape::bytes`], besides its key
/// and its value.
pub const FIELD_BYTES: u64 = 48;

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
    Str(Text),
    /// `[...]`
    List(Arc<List>),
    /// `{...}`
    Object(Arc<Object>),
    /// A length of time, in milliseconds.
    Duration(i64),
    /// A point in time, in milliseconds since the Unix epoch (UTC).
    Time(i64),
    /// A function value with the values it captured.
    Closure(Arc<Closure>),
    /// An inline sub-flow that may still be running: an index into the
    /// run's table of child runs. Reading it waits for the child's result.
    Handle(u32),
    /// A call started by fork by assignment (edition 2) and not yet
    /// joined: an index into the run's parallel groups, where it waits,
    /// alone, for the join that adopts it.
    Fork(u32),
}

/// What the limits measure of a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The value's expanded size: about what it takes in memory when
    /// nothing in it is shared ([`SCALAR_BYTES`] per number,
    /// [`STRING_BYTES`] per string plus its text, [`CONTAINER_BYTES`] per
    /// list or object, [`FIELD_BYTES`] per field plus its key), every
    /// shared part counted each time it appears, as writing it out (or
    /// reading it back) makes it.
    pub bytes: u64,
    /// How deeply its snapshot form nests JSON containers: a list or an
    /// object is one level more than its deepest element; a duration, a
    /// time, a handle or a number that is not finite is one level (a tagged
    /// object); a function value is two more than its deepest captured
    /// value.
    pub depth: u32,
    /// A sub-flow handle is inside.
    pub handles: bool,
}

impl Shape {
    fn scalar(depth: u32) -> Shape {
        Shape {
            bytes: SCALAR_BYTES,
            depth,
            handles: false,
        }
    }

    /// Why a value of this shape cannot be kept, naming the limit it passes.
    pub fn check(self) -> Result<(), String> {
        if self.depth > limits::VALUE_DEPTH_MAX {
            return Err(format!(
                "a value nested {} levels deep; the limit is {} (VALUE_DEPTH_MAX)",
                self.depth,
                limits::VALUE_DEPTH_MAX
            ));
        }
        if self.bytes > limits::VALUE_BYTES_MAX {
            return Err(format!(
                "a value of {} bytes; the limit is {} (VALUE_BYTES_MAX; shared parts count each time they appear)",
                self.bytes,
                limits::VALUE_BYTES_MAX
            ));
        }
        Ok(())
    }
}

/// The shapes of a container's elements, summed up so that a change of one
/// element updates it without looking at the others (but for the rare
/// removal of the last element at the deepest level).
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    /// Sum of the elements' bytes.
    bytes: u64,
    /// The deepest element's depth (0 with no elements).
    max: u32,
    /// How many elements are that deep.
    deep: u32,
    /// How many elements hold a handle.
    handles: u32,
}

impl Tally {
    fn of<'a>(values: impl Iterator<Item = &'a Value>) -> Tally {
        let mut t = Tally::default();
        for v in values {
            t.add(v.shape());
        }
        t
    }

    fn add(&mut self, s: Shape) {
        self.bytes = self.bytes.saturating_add(s.bytes);
        match s.depth.cmp(&self.max) {
            Ordering::Greater => {
                self.max = s.depth;
                self.deep = 1;
            }
            Ordering::Equal => self.deep += 1,
            Ordering::Less => {}
        }
        self.handles += u32::from(s.handles);
    }

    /// Takes an element out; true when the deepest level lost its last
    /// element, so the depth must be found again from the elements.
    #[must_use]
    fn remove(&mut self, s: Shape) -> bool {
        self.bytes = self.bytes.saturating_sub(s.bytes);
        self.handles -= u32::from(s.handles);
        if s.depth == self.max {
            self.deep -= 1;
            return self.deep == 0;
        }
        false
    }

    /// The depth levels found again from the elements.
    fn redepth<'a>(&mut self, values: impl ExactSizeIterator<Item = &'a Value>) {
        work::elements(values.len());
        self.max = 0;
        self.deep = 0;
        for v in values {
            let d = v.shape().depth;
            match d.cmp(&self.max) {
                Ordering::Greater => {
                    self.max = d;
                    self.deep = 1;
                }
                Ordering::Equal => self.deep += 1,
                Ordering::Less => {}
            }
        }
    }

    fn shape(&self, extra: u64) -> Shape {
        Shape {
            bytes: CONTAINER_BYTES
                .saturating_add(extra)
                .saturating_add(self.bytes),
            depth: 1 + self.max,
            handles: self.handles > 0,
        }
    }
}

/// Text: shared, and grown in place when not shared.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<String>);

impl Text {
    /// Appends `s`, copying the text first only when it is shared.
    pub fn push_str(&mut self, s: &str) {
        if Arc::get_mut(&mut self.0).is_none() {
            work::bytes(self.0.len());
        }
        work::bytes(s.len());
        Arc::make_mut(&mut self.0).push_str(s);
    }

    /// The text as `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        work::bytes(s.len());
        Text(Arc::new(s.to_string()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::new(s))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// A list: its elements and their [`Shape`], kept up to date.
#[derive(Debug, Default)]
pub struct List {
    items: Vec<Value>,
    tally: Tally,
}

impl Clone for List {
    fn clone(&self) -> List {
        work::elements(self.items.len());
        List {
            items: self.items.clone(),
            tally: self.tally,
        }
    }
}

impl Deref for List {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.items
    }
}

impl List {
    /// A list of `items`.
    pub fn new(items: Vec<Value>) -> List {
        work::elements(items.len());
        List {
            tally: Tally::of(items.iter()),
            items,
        }
    }

    /// The list's shape.
    pub fn shape(&self) -> Shape {
        self.tally.shape(0)
    }

    /// The shape the list would have with `v` appended.
    pub fn shape_with(&self, v: &Value) -> Shape {
        let mut t = self.tally;
        t.add(v.shape());
        t.shape(0)
    }

    /// Appends `v`.
    pub fn push(&mut self, v: Value) {
        self.tally.add(v.shape());
        self.items.push(v);
    }

    /// Changes element `i` (which exists) in place with `f`, keeping the
    /// shape up to date.
    pub fn update<R>(&mut self, i: usize, f: impl FnOnce(&mut Value) -> R) -> R {
        let before = self.items[i].shape();
        let r = f(&mut self.items[i]);
        let after = self.items[i].shape();
        self.tally.add(after);
        if self.tally.remove(before) {
            self.tally.redepth(self.items.iter());
        }
        r
    }

    /// The elements.
    pub fn into_vec(self) -> Vec<Value> {
        self.items
    }
}

/// An object: its fields in insertion order, and their [`Shape`], kept up
/// to date.
#[derive(Debug, Default)]
pub struct Object {
    fields: Map,
    /// What the fields count besides their values ([`FIELD_BYTES`] and the
    /// key's bytes each).
    keys: u64,
    tally: Tally,
}

impl Clone for Object {
    fn clone(&self) -> Object {
        work::elements(self.fields.len());
        Object {
            fields: self.fields.clone(),
            keys: self.keys,
            tally: self.tally,
        }
    }
}

impl Object {
    /// An object of `fields`.
    pub fn new(fields: Map) -> Object {
        work::elements(fields.len());
        Object {
            keys: fields.keys().map(|k| field_bytes(k)).sum(),
            tally: Tally::of(fields.values()),
            fields,
        }
    }

    /// The object's shape.
    pub fn shape(&self) -> Shape {
        self.tally.shape(self.keys)
    }

    /// The shape the object would have with field `key` set to `v`.
    pub fn shape_with(&self, key: &str, v: &Value) -> Shape {
        let mut t = self.tally;
        let mut keys = self.keys;
        t.add(v.shape());
        match self.fields.get(key) {
            Some(old) => {
                if t.remove(old.shape()) {
                    // The exact depth needs the other fields; this bound is
                    // what a limit check needs (the new depth is no more).
                    t.max = t.max.max(v.shape().depth);
                    t.deep = 1;
                }
            }
            None => keys += field_bytes(key),
        }
        t.shape(keys)
    }

    /// The field `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// True when the object has the field `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the object has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields, in order.
    pub fn iter(&self) -> indexmap::map::Iter<'_, String, Value> {
        self.fields.iter()
    }

    /// The keys, in order.
    pub fn keys(&self) -> indexmap::map::Keys<'_, String, Value> {
        self.fields.keys()
    }

    /// The values, in order.
    pub fn values(&self) -> indexmap::map::Values<'_, String, Value> {
        self.fields.values()
    }

    /// The fields as a map.
    pub fn as_map(&self) -> &Map {
        &self.fields
    }

    /// Sets field `key` (a new key goes last; an existing one keeps its
    /// place) and returns the value it had.
    pub fn insert(&mut self, key: String, v: Value) -> Option<Value> {
        self.tally.add(v.shape());
        let len = field_bytes(&key);
        let old = self.fields.insert(key, v);
        match &old {
            Some(o) => {
                if self.tally.remove(o.shape()) {
                    self.tally.redepth(self.fields.values());
                }
            }
            None => self.keys += len,
        }
        old
    }

    /// Removes field `key`, keeping the order of the others.
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        let old = self.fields.shift_remove(key)?;
        work::elements(self.fields.len());
        self.keys -= field_bytes(key);
        if self.tally.remove(old.shape()) {
            self.tally.redepth(self.fields.values());
        }
        Some(old)
    }

    /// Changes field `key` (which exists) in place with `f`, keeping the
    /// shape up to date.
    pub fn update<R>(&mut self, key: &str, f: impl FnOnce(&mut Value) -> R) -> Option<R> {
        let field = self.fields.get_mut(key)?;
        let before = field.shape();
        let r = f(field);
        let after = field.shape();
        self.tally.add(after);
        if self.tally.remove(before) {
            self.tally.redepth(self.fields.values());
        }
        Some(r)
    }
}

/// What field `key` counts besides its value.
pub fn field_bytes(key: &str) -> u64 {
    FIELD_BYTES + key.len() as u64
}

/// A closure: a compiled function and the values it captured when created.
#[derive(Clone, Debug, PartialEq)]
pub struct Closure {
    /// Index of the function in the program.
    pub func: u32,
    /// Captured values, in the order of the function's capture list.
    pub captures: Vec<Value>,
}

impl Closure {
    /// The closure's shape (it has few captured values, so it is not kept).
    pub fn shape(&self) -> Shape {
        work::elements(self.captures.len());
        let t = Tally::of(self.captures.iter());
        Shape {
            bytes: CONTAINER_BYTES.saturating_add(t.bytes),
            depth: 2 + t.max,
            handles: t.handles > 0,
        }
    }
}

/// The value an `await` takes when its timeout passes.
pub fn timeout_value() -> Value {
    let mut m = Map::default();
    m.insert("status".into(), Value::str("timeout"));
    m.insert("type".into(), Value::str("timeout"));
    Value::object(m)
}

/// The value a failed call takes under `@catch` (and inside `WaitAll`).
pub fn error_value(message: &str, attempts: u32) -> Value {
    let mut m = Map::default();
    m.insert("status".into(), Value::str("error"));
    m.insert("error".into(), error_object(message, attempts));
    Value::object(m)
}

/// Why a call failed for good: `{message, attempts}`, the `error` of
/// [`error_value`] and the `err` of `value, err = Call(...)`.
pub fn error_object(message: &str, attempts: u32) -> Value {
    let mut err = Map::default();
    err.insert("message".into(), Value::str(message));
    err.insert("attempts".into(), Value::Int(i64::from(attempts)));
    Value::object(err)
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Text::from(s))
    }

    /// A string value that takes `s`.
    pub fn string(s: String) -> Value {
        Value::Str(Text::from(s))
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(List::new(items)))
    }

    /// An object value.
    pub fn object(map: Map) -> Value {
        Value::Object(Arc::new(Object::new(map)))
    }

    /// What the limits measure of the value (see [`Shape`]); constant time
    /// but for a function value, which looks at its captured values.
    pub fn shape(&self) -> Shape {
        match self {
            Value::Null | Value::Bool(_) | Value::Int(_) => Shape::scalar(0),
            Value::Float(f) => Shape::scalar(u32::from(!f.is_finite())),
            Value::Str(s) => Shape {
                bytes: STRING_BYTES + s.len() as u64,
                depth: 0,
                handles: false,
            },
            Value::List(l) => l.shape(),
            Value::Object(o) => o.shape(),
            Value::Duration(_) | Value::Time(_) => Shape::scalar(1),
            Value::Closure(c) => c.shape(),
            Value::Handle(_) => Shape {
                bytes: SCALAR_BYTES,
                depth: 1,
                handles: true,
            },
            // A branch started by fork by assignment, not yet joined.
            Value::Fork(_) => Shape::scalar(1),
        }
    }

    /// Why the value cannot be kept, naming the limit it passes
    /// ([`limits::VALUE_DEPTH_MAX`], [`limits::VALUE_BYTES_MAX`]).
    pub fn check(&self) -> Result<(), String> {
        self.shape().check()
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
            Value::Fork(_) => "branch",
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
        self.shape().handles
    }

    /// The first handle inside the value, depth first.
    pub fn first_handle(&self) -> Option<u32> {
        match self {
            Value::Handle(h) => Some(*h),
            Value::List(items) if items.shape().handles => {
                items.iter().find_map(Value::first_handle)
            }
            Value::Object(m) if m.shape().handles => m.values().find_map(Value::first_handle),
            _ => None,
        }
    }

    /// Replaces every handle by `resolve(handle)` (which must know it).
    /// Only the parts that hold handles are built again.
    pub fn replace_handles(&self, resolve: &dyn Fn(u32) -> Option<Value>) -> Option<Value> {
        Some(match self {
            Value::Handle(h) => resolve(*h)?,
            Value::List(items) if items.shape().handles => Value::list(
                items
                    .iter()
                    .map(|v| v.replace_handles(resolve))
                    .collect::<Option<_>>()?,
            ),
            Value::Object(m) if m.shape().handles => Value::object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.replace_handles(resolve)?)))
                    .collect::<Option<_>>()?,
            ),
            other => other.clone(),
        })
    }

    /// Converts to JSON for activities, callbacks and the API. Object keys
    /// keep their order.
    ///
    /// Built directly rather than through serde's `to_value`, each object
    /// with its size known: a tenth less work. Most of what is left is
    /// serde_json's own map, which hashes every key with SipHash
    /// (docs/benchmarks.md, round 11).
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        use serde_json::Value as Json;
        Ok(match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            // Not finite: `null`, as serde_json writes it.
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(v) => Json::String(v.as_str().to_owned()),
            Value::List(items) => {
                work::elements(items.len());
                Json::Array(items.iter().map(Value::to_json).collect::<Result<_, _>>()?)
            }
            Value::Object(map) => {
                work::elements(map.len());
                let mut m = serde_json::Map::with_capacity(map.len());
                for (k, v) in map.iter() {
                    m.insert(k.clone(), v.to_json()?);
                }
                Json::Object(m)
            }
            Value::Duration(ms) => Json::String(time::format_duration(*ms)),
            Value::Time(ms) => Json::String(time::format_time(*ms)),
            Value::Closure(_) => {
                return Err("a function cannot leave the flow (it has no JSON form)".into())
            }
            Value::Handle(_) => {
                return Err("a sub-flow handle must be waited for before it leaves the flow".into())
            }
            Value::Fork(_) => {
                return Err("a branch must be joined before its value leaves the flow".into())
            }
        })
    }

    /// The length of the value's JSON text, if it is at most `max`:
    /// `Ok(None)` when it is longer (found without writing more than `max`
    /// bytes), `Err` when the value has no JSON form.
    pub fn json_len(&self, max: usize) -> Result<Option<usize>, String> {
        let mut out = String::new();
        match write_json(self, &mut out, max) {
            Ok(()) => Ok(Some(out.len())),
            Err(Stop::Over) => Ok(None),
            Err(Stop::NoJson(e)) => Err(e),
        }
    }

    /// Converts from JSON (numbers that fit in `i64` stay whole), refusing
    /// JSON nested or sized past the limits a value must keep.
    pub fn from_json(v: &serde_json::Value) -> Result<Value, String> {
        let value = from_json_within(v, limits::VALUE_DEPTH_MAX)?;
        value.check()?;
        Ok(value)
    }

    /// Deep equality: numbers by value (`550 == 550.0`); values of
    /// different types are unequal.
    pub fn equals(&self, other: &Value) -> bool {
        work::elements(1);
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
                a.as_f64() == b.as_f64()
            }
            (Value::Str(a), Value::Str(b)) => {
                work::bytes(a.len().min(b.len()));
                a == b
            }
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.equals(y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.equals(w)))
            }
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => {
                a.func == b.func
                    && a.captures.len() == b.captures.len()
                    && a.captures
                        .iter()
                        .zip(b.captures.iter())
                        .all(|(x, y)| x.equals(y))
            }
            (Value::Handle(a), Value::Handle(b)) => a == b,
            (Value::Fork(a), Value::Fork(b)) => a == b,
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
                .unwrap_or(f64::NAN)
                .partial_cmp(&b.as_f64().unwrap_or(f64::NAN))
                .ok_or_else(|| "cannot compare NaN".to_string()),
            (Value::Str(a), Value::Str(b)) => {
                work::bytes(a.len().min(b.len()));
                Ok(a.cmp(b))
            }
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
        self.text_within(usize::MAX)
            .expect("no text is longer than usize::MAX")
    }

    /// [`Value::to_text`], if it is at most `max` bytes long (found
    /// without writing more than `max` bytes).
    pub fn text_within(&self, max: usize) -> Option<String> {
        let text = match self {
            Value::Str(s) => {
                work::bytes(s.len());
                s.to_string()
            }
            Value::Duration(d) => time::format_duration(*d),
            Value::Time(t) => time::format_time(*t),
            Value::Closure(_) => "<function>".into(),
            Value::Handle(_) => "<sub-flow>".into(),
            Value::Fork(_) => "<branch>".into(),
            other => {
                let mut out = String::new();
                match write_json(other, &mut out, max) {
                    Ok(()) => out,
                    Err(Stop::Over) => return None,
                    // No JSON form (a function inside): the reason is the text.
                    Err(Stop::NoJson(e)) => e,
                }
            }
        };
        (text.len() <= max).then_some(text)
    }
}

/// Why writing a value's JSON stopped.
enum Stop {
    /// It is longer than allowed.
    Over,
    /// It has no JSON form (a function, a handle), and why.
    NoJson(String),
}

/// Appends `v`'s JSON form (what [`Value::to_json`] gives, as compact text)
/// to `out`, stopping as soon as `out` is longer than `max`: a value's text
/// is measured or made without writing more than the caller can take.
fn write_json(v: &Value, out: &mut String, max: usize) -> Result<(), Stop> {
    let text = |out: &mut String, s: &str| {
        if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            // serde_json escapes exactly as the JSON form's readers expect.
            let quoted = serde_json::to_string(s).unwrap_or_default();
            work::bytes(quoted.len());
            out.push_str(&quoted);
        } else {
            // Nothing to escape (serde_json escapes only these): the text
            // as it is, without a string made and dropped for each.
            work::bytes(s.len() + 2);
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            use std::fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_finite() => {
            out.push_str(&serde_json::to_string(f).unwrap_or_default())
        }
        Value::Float(_) => out.push_str("null"),
        Value::Str(s) => text(out, s),
        Value::Duration(ms) => text(out, &time::format_duration(*ms)),
        Value::Time(ms) => text(out, &time::format_time(*ms)),
        Value::List(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(it, out, max)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, it)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                text(out, k);
                out.push(':');
                write_json(it, out, max)?;
            }
            out.push('}');
        }
        Value::Closure(_) => {
            return Err(Stop::NoJson(
                "a function cannot leave the flow (it has no JSON form)".into(),
            ))
        }
        Value::Handle(_) => {
            return Err(Stop::NoJson(
                "a sub-flow handle must be waited for before it leaves the flow".into(),
            ))
        }
        Value::Fork(_) => {
            return Err(Stop::NoJson(
                "a branch must be joined before its value leaves the flow".into(),
            ))
        }
    }
    if out.len() > max {
        return Err(Stop::Over);
    }
    Ok(())
}

fn from_json_within(v: &serde_json::Value, depth: u32) -> Result<Value, String> {
    let nested = |depth: u32| {
        depth.checked_sub(1).ok_or_else(|| {
            format!(
                "a value nested more than {} levels deep; the limit is {} (VALUE_DEPTH_MAX)",
                limits::VALUE_DEPTH_MAX,
                limits::VALUE_DEPTH_MAX
            )
        })
    };
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => {
            let inner = nested(depth)?;
            Value::list(
                items
                    .iter()
                    .map(|v| from_json_within(v, inner))
                    .collect::<Result<_, _>>()?,
            )
        }
        serde_json::Value::Object(m) => {
            let inner = nested(depth)?;
            Value::object(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), from_json_within(v, inner)?)))
                    .collect::<Result<_, String>>()?,
            )
        }
    })
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
const TAG_FORK: &str = "$b";
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
            Value::Fork(g) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TAG_FORK, g)?;
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
        Ok(Value::str(s))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::string(s))
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
            return Ok(Value::object(Map::default()));
        };
        match first.as_str() {
            TAG_DURATION => return Ok(Value::Duration(map.next_value()?)),
            TAG_TIME => return Ok(Value::Time(map.next_value()?)),
            TAG_HANDLE => return Ok(Value::Handle(map.next_value()?)),
            TAG_FORK => return Ok(Value::Fork(map.next_value()?)),
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
        let mut m = map_with_capacity(map.size_hint().unwrap_or(0).min(4096) + 1);
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
        let mut m = Map::default();
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
        m.insert("empty".into(), Value::object(Map::default()));
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

    /// What has no JSON number is `null`; what cannot leave the flow says
    /// why, however deep it is.
    #[test]
    fn json_form_of_odd_values() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(Value::Float(f).to_json().unwrap(), serde_json::Value::Null);
        }
        assert_eq!(
            Value::Float(-0.5).to_json().unwrap(),
            serde_json::json!(-0.5)
        );
        let mut m = Map::default();
        m.insert("b".into(), Value::list(vec![Value::Int(1), Value::Fork(0)]));
        let err = Value::object(m).to_json().unwrap_err();
        assert_eq!(
            err,
            "a branch must be joined before its value leaves the flow"
        );
        let mut m = Map::default();
        m.insert("z".into(), Value::Null);
        m.insert("a".into(), Value::Bool(true));
        assert_eq!(
            Value::object(m).to_json().unwrap().to_string(),
            r#"{"z":null,"a":true}"#
        );
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
            (Value::Fork(x), Value::Fork(y)) => x == y,
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
            any::<u32>().prop_map(Value::Fork),
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
        /// key order included (docs/language.md: objects keep the order
        /// written).
        #[test]
        fn json_values_survive_the_json_form(v in json_value()) {
            let json = v.to_json().unwrap();
            prop_assert!(same(&Value::from_json(&json).unwrap(), &v, true), "{json}");
            // The text form, too, as activities and the API receive it; the
            // text the engine writes itself (`string()`, `+`) is the same.
            if !matches!(v, Value::Str(_)) {
                prop_assert_eq!(v.to_text(), json.to_string());
            }
            prop_assert_eq!(v.json_len(usize::MAX).unwrap(), Some(json.to_string().len()));
            let back: serde_json::Value = serde_json::from_str(&json.to_string()).unwrap();
            prop_assert!(same(&Value::from_json(&back).unwrap(), &v, true), "{json}");
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

    /// The shape kept up to date as a value changes is the shape of the
    /// value built afresh from its parts.
    fn fresh_shape(v: &Value) -> Shape {
        let back: Value = serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap();
        back.shape()
    }

    /// One change to a list or object, as the machine makes them.
    #[derive(Clone, Debug)]
    enum Change {
        Push(Value),
        Set(usize, Value),
        Insert(String, Value),
        Remove(String),
        Nest(usize, Value),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            value().prop_map(Change::Push),
            (0..8usize, value()).prop_map(|(i, v)| Change::Set(i, v)),
            (key(), value()).prop_map(|(k, v)| Change::Insert(k, v)),
            key().prop_map(Change::Remove),
            (0..8usize, value()).prop_map(|(i, v)| Change::Nest(i, v)),
        ]
    }

    proptest! {
        /// Shapes kept up to date through pushes, replacements (deeper and
        /// shallower), insertions, removals and changes of a nested element
        /// equal the shapes computed from scratch.
        #[test]
        fn shapes_stay_exact_as_values_change(changes in proptest::collection::vec(change(), 0..24)) {
            let mut list = List::new(Vec::new());
            let mut object = Object::new(Map::default());
            for c in changes {
                match c {
                    Change::Push(v) => list.push(v),
                    Change::Set(i, v) if i < list.len() => list.update(i, |x| *x = v),
                    Change::Set(..) => {}
                    Change::Insert(k, v) => {
                        object.insert(k, v);
                    }
                    Change::Remove(k) => {
                        object.shift_remove(&k);
                    }
                    Change::Nest(i, v) if i < list.len() => list.update(i, |x| {
                        *x = Value::list(vec![x.clone(), v]);
                    }),
                    Change::Nest(..) => {}
                }
                let l = Value::List(Arc::new(list.clone()));
                prop_assert_eq!(l.shape(), fresh_shape(&l));
                let o = Value::Object(Arc::new(object.clone()));
                prop_assert_eq!(o.shape(), fresh_shape(&o));
            }
        }
    }

    #[test]
    fn sharing_counts_each_time_a_part_appears() {
        let leaf = Value::str(&"x".repeat(1000));
        let one = leaf.shape().bytes;
        let list = Value::list(vec![leaf.clone(), leaf.clone(), leaf]);
        assert_eq!(list.shape().bytes, CONTAINER_BYTES + 3 * one);
        let mut o = Value::object(Map::default());
        for _ in 0..10 {
            let mut m = Map::default();
            m.insert("a".into(), o.clone());
            m.insert("b".into(), o);
            o = Value::object(m);
        }
        // 2^10 empty objects at the bottom, written out in full.
        assert!(o.shape().bytes > 1024 * CONTAINER_BYTES);
        assert_eq!(o.shape().depth, 11);
    }

    #[test]
    fn json_from_outside_is_held_to_the_limits() {
        let mut deep = serde_json::json!(1);
        for _ in 0..limits::VALUE_DEPTH_MAX {
            deep = serde_json::json!([deep]);
        }
        assert!(Value::from_json(&deep).is_ok());
        let deeper = serde_json::json!([deep]);
        let e = Value::from_json(&deeper).unwrap_err();
        assert!(e.contains("VALUE_DEPTH_MAX"), "{e}");
        let wide = serde_json::json!(vec!["x".repeat(1 << 20); 17]);
        let e = Value::from_json(&wide).unwrap_err();
        assert!(e.contains("VALUE_BYTES_MAX"), "{e}");
    }

    #[test]
    fn json_is_measured_without_writing_more_than_asked() {
        let v = Value::list(vec![Value::str("abc"); 1000]);
        assert_eq!(v.json_len(usize::MAX).unwrap(), Some(6001));
        assert_eq!(v.json_len(100).unwrap(), None);
        assert!(Value::list(vec![Value::Handle(0)]).json_len(100).is_err());
        assert_eq!(v.text_within(10), None);
        assert_eq!(Value::Int(5).text_within(10).as_deref(), Some("5"));
    }

    /// Strings are written without escapes unless they need one; the text
    /// is serde_json's either way.
    #[test]
    fn strings_that_need_escapes_are_written_as_serde_json_writes_them() {
        for s in [
            "plain",
            "é €",
            "",
            "a\"b",
            "back\\slash",
            "line\nbreak",
            "\u{1}\u{1f}",
            "\u{7f}/",
        ] {
            let mut m = Map::default();
            m.insert(s.into(), Value::str(s));
            let v = Value::list(vec![Value::str(s), Value::object(m), Value::Int(-42)]);
            let json = v.to_json().unwrap().to_string();
            assert_eq!(v.to_text(), json, "{s:?}");
            assert_eq!(v.json_len(usize::MAX).unwrap(), Some(json.len()), "{s:?}");
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

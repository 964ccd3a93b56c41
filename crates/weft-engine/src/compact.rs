//! A compact binary form of JSON-shaped data, for what the stores keep per
//! run: snapshots and journal entries.
//!
//! The JSON text of a waiting run's snapshot is mostly key names
//! (`"attempt_started_at":`), decimal timestamps and the run id repeated in
//! every call id. This form keeps the JSON data model exactly (so every
//! `Serialize` type round-trips through [`serde_json::Value`] as it did
//! through text, and the snapshot's version and upgrades work as before)
//! and spends fewer bytes on each of those:
//!
//! - strings in [`WORDS`] (the field names and common values of the
//!   engine's types) are one byte;
//! - integers are varints, and 0..=63 one byte;
//! - a string equal to, or sharing a prefix of at least
//!   [`PREFIX_MIN`] bytes with, one of the first [`TABLE_MAX`] strings seen
//!   (the caller may seed the table, e.g. with the run id) is a reference.
//!
//! Every encoding starts with [`FORMAT`], a byte JSON text never starts
//! with, so a reader tells the two apart by the first byte: data written as
//! JSON by an earlier build is read as it always was.
//!
//! [`WORDS`] is part of the stored format: entries are only ever appended.

use serde_json::{Map, Number, Value};

/// First byte of every encoding: format 1 of this module. JSON text starts
/// with whitespace, `{`, `[`, `"`, a digit, `-`, `t`, `f` or `n`.
pub const FORMAT: u8 = 0x01;

/// Deepest nesting of arrays and objects a decoding accepts (a corrupt
/// input cannot make the decoder recurse without end). Values are far
/// shallower ([`crate::limits::VALUE_DEPTH_MAX`]); a snapshot adds a few
/// levels of its own around them.
pub const DEPTH_MAX: usize = 512;

/// How many strings (seeds first) the reference table holds; later strings
/// are written out, so encoding stays linear in the input.
pub const TABLE_MAX: usize = 32;

/// The shortest shared prefix written as a reference.
pub const PREFIX_MIN: usize = 8;

/// Strings written as one byte: field names and common values of
/// snapshots, journal entries and causes. Stored data refers to them by
/// position: append only, never reorder or remove.
pub const WORDS: &[&str] = &[
    // RunState
    "v",
    "id",
    "func",
    "depth",
    "fibers",
    "ready",
    "next_fiber",
    "calls",
    "next_call",
    "timers",
    "children",
    "next_child",
    "groups",
    "next_group",
    "failures",
    "status",
    "result",
    "steps",
    "segment",
    "events",
    // Fiber, Frame, Wait
    "frames",
    "stack",
    "wait",
    "owner",
    "pc",
    "locals",
    "base",
    "Ready",
    "Call",
    "Timer",
    "Child",
    "child",
    "push",
    "Group",
    "Failed",
    // PendingCall
    "call_id",
    "activity",
    "args",
    "fiber",
    "attempt",
    "attempt_base",
    "retries",
    "backoff_ms",
    "backoff_max_ms",
    "timeout_ms",
    "awaited",
    "catch",
    "token",
    "phase",
    "started_at",
    "attempt_started_at",
    "last_error",
    "at",
    "running",
    "backoff",
    "callback",
    "failed",
    // Timer, TimerKind, statuses
    "kind",
    "call",
    "awaitTimeout",
    "continue",
    "sleep",
    "value",
    "waiting",
    "completed",
    "cancelled",
    // Child, Group, Failure
    "run_id",
    "flow",
    "state",
    "start",
    "captures",
    "input",
    "mode",
    "slots",
    "operands",
    "Fiber",
    "Done",
    "message",
    "location",
    // Journal entries and causes
    "type",
    "started",
    "callStarted",
    "callCompleted",
    "callFailed",
    "callAcknowledged",
    "callId",
    "line",
    "acknowledged",
    "until",
    "timerStarted",
    "timerFired",
    "key",
    "childStarted",
    "childFinished",
    "runId",
    "error",
    "retryable",
    "retryAt",
    "durationMs",
    "event",
    "now",
    "jitter",
    "valueIn",
    "timer",
    "finished",
    "how",
    "returned",
    "caught",
    "resolved",
    "timeout",
    "upgraded",
    "by",
    "from",
    "to",
    "moved",
    "reason",
    "forked",
    "retried",
];

const NULL: u8 = 0x00;
const FALSE: u8 = 0x02;
const TRUE: u8 = 0x03;
const UINT: u8 = 0x04;
const NEG: u8 = 0x05;
const FLOAT: u8 = 0x06;
const STR: u8 = 0x07;
const STR_REF: u8 = 0x08;
const STR_PREFIX: u8 = 0x09;
const ARRAY: u8 = 0x0A;
const OBJECT: u8 = 0x0B;
const WORD_LONG: u8 = 0x0C;
/// 0x40..=0x7F: the integers 0..=63.
const SMALL: u8 = 0x40;
/// 0x80..=0xBF: `WORDS[0..64]`.
const WORD: u8 = 0x80;
/// 0xC0..=0xFF: a new string of 0..=63 bytes.
const SHORT_STR: u8 = 0xC0;

/// Why bytes do not decode.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("compact data at byte {at}: {what}")]
pub struct DecodeError {
    /// Where the decoder stopped.
    pub at: usize,
    /// What was wrong there.
    pub what: String,
}

/// Encodes `value`, the reference table seeded with `seeds`.
pub fn encode(value: &Value, seeds: &[&str]) -> Vec<u8> {
    encode_serialize(value, seeds).expect("a JSON value always encodes")
}

/// Encodes a serializable value: the bytes [`encode`] would make of its
/// [`serde_json::to_value`] (so it decodes to what its JSON text would
/// parse to), written directly, without building the value tree.
pub fn encode_serialize<T: serde::Serialize + ?Sized>(
    value: &T,
    seeds: &[&str],
) -> Result<Vec<u8>, serde_json::Error> {
    let mut e = Encoder::new(seeds);
    value.serialize(&mut e)?;
    Ok(e.out)
}

/// True when `bytes` are this module's encoding rather than JSON text.
pub fn is_compact(bytes: &[u8]) -> bool {
    bytes.first() == Some(&FORMAT)
}

/// Decodes what [`encode`] made with the same `seeds`.
pub fn decode(bytes: &[u8], seeds: &[&str]) -> Result<Value, DecodeError> {
    let mut d = Decoder::start(bytes, seeds)?;
    let v = d.value(0)?;
    d.finish()?;
    Ok(v)
}

/// Decodes straight into `T`: what `serde_json::from_value` gives of
/// [`decode`]'s value, without building the value.
pub fn decode_into<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    seeds: &[&str],
) -> Result<T, DecodeError> {
    let mut d = Decoder::start(bytes, seeds)?;
    let v = T::deserialize(&mut d).map_err(|mut e| {
        if e.at == usize::MAX {
            e.at = d.at;
        }
        e
    })?;
    d.finish()?;
    Ok(v)
}

/// FNV-1a: the words are a few bytes long, where SipHash's set-up costs
/// more than the lookup.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordMap = std::collections::HashMap<&'static str, usize, std::hash::BuildHasherDefault<Fnv>>;

fn word_index(s: &str) -> Option<usize> {
    static MAP: std::sync::OnceLock<WordMap> = std::sync::OnceLock::new();
    if s.len() > 24 {
        // No word is this long: ids, tokens and user data skip the hash.
        return None;
    }
    MAP.get_or_init(|| WORDS.iter().enumerate().map(|(i, w)| (*w, i)).collect())
        .get(s)
        .copied()
}

struct Encoder {
    out: Vec<u8>,
    table: Vec<String>,
}

impl Encoder {
    fn new(seeds: &[&str]) -> Encoder {
        let mut out = Vec::with_capacity(256);
        out.push(FORMAT);
        Encoder {
            out,
            table: seeds
                .iter()
                .take(TABLE_MAX)
                .map(|s| s.to_string())
                .collect(),
        }
    }

    fn varint(&mut self, n: u64) {
        push_varint(&mut self.out, n);
    }

    /// The reference encoder: what [`encode_serialize`] must write, kept
    /// for the tests that compare the two.
    #[cfg(test)]
    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.out.push(NULL),
            Value::Bool(false) => self.out.push(FALSE),
            Value::Bool(true) => self.out.push(TRUE),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    self.uint(u);
                } else if let Some(i) = n.as_i64() {
                    self.int(i);
                } else {
                    self.float(n.as_f64().unwrap_or(0.0));
                }
            }
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.push(ARRAY);
                self.varint(items.len() as u64);
                for i in items {
                    self.value(i);
                }
            }
            Value::Object(m) => {
                self.out.push(OBJECT);
                self.varint(m.len() as u64);
                for (k, v) in m {
                    self.string(k);
                    self.value(v);
                }
            }
        }
    }

    fn uint(&mut self, u: u64) {
        if u < 64 {
            self.out.push(SMALL + u as u8);
        } else {
            self.out.push(UINT);
            self.varint(u);
        }
    }

    fn int(&mut self, i: i64) {
        if i >= 0 {
            self.uint(i as u64);
        } else {
            // Negative: -1 is 0, -2 is 1, ...
            self.out.push(NEG);
            self.varint(!(i as u64));
        }
    }

    /// A finite float (serde_json makes the others null).
    fn float(&mut self, f: f64) {
        if f.is_finite() {
            self.out.push(FLOAT);
            self.out.extend_from_slice(&f.to_le_bytes());
        } else {
            self.out.push(NULL);
        }
    }

    fn string(&mut self, s: &str) {
        if let Some(i) = word_index(s) {
            if i < 64 {
                self.out.push(WORD + i as u8);
            } else {
                self.out.push(WORD_LONG);
                self.varint(i as u64);
            }
            return;
        }
        if s.len() >= PREFIX_MIN {
            let mut best: Option<(usize, usize)> = None;
            for (i, t) in self.table.iter().enumerate() {
                if t == s {
                    self.out.push(STR_REF);
                    push_varint(&mut self.out, i as u64);
                    return;
                }
                let common = common_prefix(t, s);
                if common >= PREFIX_MIN && best.is_none_or(|(_, b)| common > b) {
                    best = Some((i, common));
                }
            }
            if let Some((i, common)) = best {
                self.out.push(STR_PREFIX);
                self.varint(i as u64);
                self.varint(common as u64);
                let rest = &s.as_bytes()[common..];
                self.varint(rest.len() as u64);
                self.out.extend_from_slice(rest);
                self.remember(s);
                return;
            }
        }
        if s.len() < 64 {
            self.out.push(SHORT_STR + s.len() as u8);
        } else {
            self.out.push(STR);
            self.varint(s.len() as u64);
        }
        self.out.extend_from_slice(s.as_bytes());
        self.remember(s);
    }

    fn remember(&mut self, s: &str) {
        if s.len() >= PREFIX_MIN && self.table.len() < TABLE_MAX {
            self.table.push(s.to_string());
        }
    }

    /// Starts an array or object of `len` items (a hint: [`Compound::end`]
    /// writes the count again if it was wrong or absent).
    fn open(&mut self, tag: u8, len: Option<usize>) -> Compound<'_> {
        self.out.push(tag);
        let at = self.out.len();
        let announced = len.unwrap_or(0) as u64;
        self.varint(announced);
        Compound {
            e: self,
            at,
            announced,
            count: 0,
        }
    }

    /// `{variant: ...}`, as serde_json writes a variant with data.
    fn variant(&mut self, variant: &str) {
        self.out.push(OBJECT);
        self.varint(1);
        self.string(variant);
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// An array or object being written.
struct Compound<'a> {
    e: &'a mut Encoder,
    /// Where its count is.
    at: usize,
    announced: u64,
    count: u64,
}

impl Compound<'_> {
    fn end(self) {
        if self.count != self.announced {
            let mut old = Vec::new();
            push_varint(&mut old, self.announced);
            let mut new = Vec::new();
            push_varint(&mut new, self.count);
            self.e.out.splice(self.at..self.at + old.len(), new);
        }
    }
}

type SerError = serde_json::Error;

fn ser_err(msg: impl std::fmt::Display) -> SerError {
    <SerError as serde::ser::Error>::custom(msg)
}

impl<'a> serde::Serializer for &'a mut Encoder {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.out.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerError> {
        self.int(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), SerError> {
        if let Ok(u) = u64::try_from(v) {
            self.uint(u);
        } else if let Ok(i) = i64::try_from(v) {
            self.int(i);
        } else {
            return Err(ser_err("number out of range"));
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerError> {
        self.uint(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), SerError> {
        let u = u64::try_from(v).map_err(|_| ser_err("number out of range"))?;
        self.uint(u);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerError> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerError> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), SerError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerError> {
        self.out.push(ARRAY);
        self.varint(v.len() as u64);
        for b in v {
            self.uint(u64::from(*b));
        }
        Ok(())
    }
    fn serialize_none(self) -> Result<(), SerError> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), SerError> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerError> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.variant(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, SerError> {
        Ok(self.open(ARRAY, len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, SerError> {
        Ok(self.open(ARRAY, Some(len)))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        Ok(self.open(ARRAY, Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        self.variant(variant);
        Ok(self.open(ARRAY, Some(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, SerError> {
        Ok(self.open(OBJECT, len))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, SerError> {
        Ok(self.open(OBJECT, Some(len)))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        self.variant(variant);
        Ok(self.open(OBJECT, Some(len)))
    }
}

impl serde::ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.count += 1;
        v.serialize(&mut *self.e)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.count += 1;
        key.serialize(KeySer(&mut *self.e))
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        v.serialize(&mut *self.e)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        self.count += 1;
        self.e.string(key);
        v.serialize(&mut *self.e)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

impl serde::ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        serde::ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), SerError> {
        Compound::end(self);
        Ok(())
    }
}

/// A map key: a string, as serde_json makes of strings, integers, booleans
/// and characters; anything else is refused as serde_json refuses it.
struct KeySer<'a>(&'a mut Encoder);

impl KeySer<'_> {
    fn text(self, s: &str) -> Result<(), SerError> {
        self.0.string(s);
        Ok(())
    }
}

fn key_must_be_a_string() -> SerError {
    ser_err("key must be a string")
}

impl serde::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = serde::ser::Impossible<(), SerError>;
    type SerializeTuple = serde::ser::Impossible<(), SerError>;
    type SerializeTupleStruct = serde::ser::Impossible<(), SerError>;
    type SerializeTupleVariant = serde::ser::Impossible<(), SerError>;
    type SerializeMap = serde::ser::Impossible<(), SerError>;
    type SerializeStruct = serde::ser::Impossible<(), SerError>;
    type SerializeStructVariant = serde::ser::Impossible<(), SerError>;

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<(), SerError> {
        self.text(&v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerError> {
        // As serde_json spells a finite float key (its shortest form).
        if !v.is_finite() {
            return Err(ser_err("float key must be finite"));
        }
        self.text(&serde_json::to_string(&v)?)
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerError> {
        if !v.is_finite() {
            return Err(ser_err("float key must be finite"));
        }
        self.text(&serde_json::to_string(&v)?)
    }
    fn serialize_char(self, v: char) -> Result<(), SerError> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        self.text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, _v: &T) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerError> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _v: &T,
    ) -> Result<(), SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, SerError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Err(key_must_be_a_string())
    }
}

/// The length in bytes of the longest common prefix that ends on a
/// character boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !(a.is_char_boundary(n) && b.is_char_boundary(n)) {
        n -= 1;
    }
    n
}

struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
    table: Vec<String>,
    /// Arrays and objects open, for the serde path.
    depth: usize,
}

impl<'a> Decoder<'a> {
    fn start(bytes: &'a [u8], seeds: &[&str]) -> Result<Decoder<'a>, DecodeError> {
        let mut d = Decoder {
            bytes,
            at: 0,
            table: seeds
                .iter()
                .take(TABLE_MAX)
                .map(|s| s.to_string())
                .collect(),
            depth: 0,
        };
        match d.byte()? {
            FORMAT => Ok(d),
            b => Err(d.err(format!("format {b:#04x} is not one this build reads"))),
        }
    }

    fn finish(&self) -> Result<(), DecodeError> {
        if self.at != self.bytes.len() {
            return Err(self.err(format!("{} bytes left over", self.bytes.len() - self.at)));
        }
        Ok(())
    }

    fn peek(&self) -> Result<u8, DecodeError> {
        self.bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| self.err("the data ends too soon".into()))
    }

    fn err(&self, what: String) -> DecodeError {
        DecodeError { at: self.at, what }
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.err("the data ends too soon".into()))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&[u8], DecodeError> {
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(self.err(format!("{n} bytes wanted, {left} left")));
        }
        let s = &self.bytes[self.at..self.at + n as usize];
        self.at += n as usize;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let part = u64::from(b & 0x7F);
            if shift == 63 && part > 1 {
                return Err(self.err("an integer does not fit 64 bits".into()));
            }
            n |= part << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(self.err("an integer does not fit 64 bits".into()))
    }

    /// A count of items, each at least one byte: more than the bytes left
    /// is corrupt (and would otherwise reserve memory for nothing).
    fn count(&mut self) -> Result<usize, DecodeError> {
        let n = self.varint()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(self.err(format!("{n} items announced, {left} bytes left")));
        }
        Ok(n as usize)
    }

    fn text(&mut self, n: u64) -> Result<String, DecodeError> {
        let raw = self.take(n)?.to_vec();
        String::from_utf8(raw).map_err(|e| self.err(format!("a string is not UTF-8: {e}")))
    }

    fn remember(&mut self, s: &str) {
        if s.len() >= PREFIX_MIN && self.table.len() < TABLE_MAX {
            self.table.push(s.to_string());
        }
    }

    fn table_entry(&self, i: u64) -> Result<&String, DecodeError> {
        self.table
            .get(i as usize)
            .ok_or_else(|| self.err(format!("string reference {i} is not in the table")))
    }

    fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
        let tag = self.byte()?;
        Ok(match tag {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UINT => Value::Number(self.varint()?.into()),
            NEG => {
                let n = self.varint()?;
                if n > i64::MAX as u64 {
                    return Err(self.err("a negative integer does not fit 64 bits".into()));
                }
                Value::Number((!(n as i64)).into())
            }
            FLOAT => {
                let raw: [u8; 8] = self.take(8)?.try_into().expect("8 bytes taken");
                let f = f64::from_le_bytes(raw);
                Value::Number(
                    Number::from_f64(f)
                        .ok_or_else(|| self.err(format!("{f} is not a JSON number")))?,
                )
            }
            SMALL..=0x7F => Value::Number(u64::from(tag - SMALL).into()),
            ARRAY | OBJECT => {
                if depth >= DEPTH_MAX {
                    return Err(self.err(format!("nested deeper than DEPTH_MAX ({DEPTH_MAX})")));
                }
                let n = self.count()?;
                if tag == ARRAY {
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.value(depth + 1)?);
                    }
                    Value::Array(items)
                } else {
                    let mut m = Map::with_capacity(n);
                    for _ in 0..n {
                        let k = self.string_at()?;
                        let v = self.value(depth + 1)?;
                        m.insert(k, v);
                    }
                    Value::Object(m)
                }
            }
            _ => {
                self.at -= 1;
                Value::String(self.string_at()?)
            }
        })
    }

    fn string_at(&mut self) -> Result<String, DecodeError> {
        let tag = self.byte()?;
        match tag {
            WORD..=0xBF => Ok(WORDS[usize::from(tag - WORD)].to_string()),
            WORD_LONG => {
                let i = self.varint()?;
                WORDS
                    .get(i as usize)
                    .map(|w| w.to_string())
                    .ok_or_else(|| self.err(format!("word {i} is not one this build knows")))
            }
            SHORT_STR..=0xFF => {
                let s = self.text(u64::from(tag - SHORT_STR))?;
                self.remember(&s);
                Ok(s)
            }
            STR => {
                let n = self.varint()?;
                let s = self.text(n)?;
                self.remember(&s);
                Ok(s)
            }
            STR_REF => {
                let i = self.varint()?;
                self.table_entry(i).cloned()
            }
            STR_PREFIX => {
                let i = self.varint()?;
                let common = self.varint()?;
                let base = self.table_entry(i)?;
                let head = base
                    .get(..common.min(base.len() as u64) as usize)
                    .filter(|h| h.len() as u64 == common)
                    .ok_or_else(|| {
                        self.err(format!(
                            "prefix of {common} bytes of string {i} does not exist"
                        ))
                    })?
                    .to_string();
                let n = self.varint()?;
                let rest = self.text(n)?;
                let s = head + &rest;
                self.remember(&s);
                Ok(s)
            }
            _ => Err(self.at_err(tag)),
        }
    }

    fn at_err(&self, tag: u8) -> DecodeError {
        DecodeError {
            at: self.at - 1,
            what: format!("{tag:#04x} is not a string here"),
        }
    }
}

impl serde::de::Error for DecodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        // The position is filled in by `decode_into`.
        DecodeError {
            at: usize::MAX,
            what: msg.to_string(),
        }
    }
}

impl<'de> serde::Deserializer<'de> for &mut Decoder<'_> {
    type Error = DecodeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        let tag = self.byte()?;
        match tag {
            NULL => v.visit_unit(),
            FALSE => v.visit_bool(false),
            TRUE => v.visit_bool(true),
            UINT => v.visit_u64(self.varint()?),
            NEG => {
                let n = self.varint()?;
                if n > i64::MAX as u64 {
                    return Err(self.err("a negative integer does not fit 64 bits".into()));
                }
                v.visit_i64(!(n as i64))
            }
            FLOAT => {
                let raw: [u8; 8] = self.take(8)?.try_into().expect("8 bytes taken");
                let f = f64::from_le_bytes(raw);
                if !f.is_finite() {
                    return Err(self.err(format!("{f} is not a JSON number")));
                }
                v.visit_f64(f)
            }
            SMALL..=0x7F => v.visit_u64(u64::from(tag - SMALL)),
            ARRAY | OBJECT => {
                if self.depth >= DEPTH_MAX {
                    return Err(self.err(format!("nested deeper than DEPTH_MAX ({DEPTH_MAX})")));
                }
                let n = self.count()?;
                self.depth += 1;
                let mut access = Items { d: self, left: n };
                let out = if tag == ARRAY {
                    v.visit_seq(&mut access)?
                } else {
                    v.visit_map(&mut access)?
                };
                if access.left != 0 {
                    // As serde_json's value reader: every item is taken.
                    return Err(access.d.err(format!("{} items were not read", access.left)));
                }
                access.d.depth -= 1;
                Ok(out)
            }
            _ => {
                self.at -= 1;
                v.visit_string(self.string_at()?)
            }
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        if self.peek()? == NULL {
            self.at += 1;
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        // As serde_json: a string is a unit variant, an object of one
        // entry a variant with its data.
        if self.peek()? == OBJECT {
            self.at += 1;
            let n = self.count()?;
            if n != 1 {
                return Err(self.err(format!("an enum is an object of one entry, not {n}")));
            }
            let variant = self.string_at()?;
            v.visit_enum(Variant {
                d: self,
                variant,
                data: true,
            })
        } else {
            let variant = self.string_at()?;
            v.visit_enum(Variant {
                d: self,
                variant,
                data: false,
            })
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// The items of an array or the entries of an object being read.
struct Items<'d, 'a> {
    d: &'d mut Decoder<'a>,
    left: usize,
}

impl<'de> serde::de::SeqAccess<'de> for Items<'_, '_> {
    type Error = DecodeError;
    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.d).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> serde::de::MapAccess<'de> for Items<'_, '_> {
    type Error = DecodeError;
    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.d.string_at()?;
        seed.deserialize(Key(key)).map(Some)
    }
    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        seed.deserialize(&mut *self.d)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// An enum's variant and, when `data`, its value next in the bytes.
struct Variant<'d, 'a> {
    d: &'d mut Decoder<'a>,
    variant: String,
    data: bool,
}

impl<'de, 'd, 'a> serde::de::EnumAccess<'de> for Variant<'d, 'a> {
    type Error = DecodeError;
    type Variant = Self;
    fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), DecodeError> {
        let name = Key(self.variant.clone());
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> serde::de::VariantAccess<'de> for Variant<'_, '_> {
    type Error = DecodeError;
    fn unit_variant(self) -> Result<(), DecodeError> {
        if self.data {
            <() as serde::Deserialize>::deserialize(&mut *self.d)
        } else {
            Ok(())
        }
    }
    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        if !self.data {
            return Err(self.d.err(format!("variant {} has no data", self.variant)));
        }
        seed.deserialize(&mut *self.d)
    }
    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        if !self.data {
            return Err(self.d.err(format!("variant {} has no data", self.variant)));
        }
        serde::Deserializer::deserialize_any(&mut *self.d, v)
    }
    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        if !self.data {
            return Err(self.d.err(format!("variant {} has no data", self.variant)));
        }
        serde::Deserializer::deserialize_any(&mut *self.d, v)
    }
}

/// A map key or variant name: a string, read as a number or a boolean
/// when the type wants one (as serde_json reads the keys of a map).
struct Key(String);

macro_rules! key_number {
    ($($method:ident => $visit:ident),*) => {$(
        fn $method<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.0.parse() {
                Ok(n) => v.$visit(n),
                Err(_) => v.visit_string(self.0),
            }
        }
    )*};
}

impl<'de> serde::Deserializer<'de> for Key {
    type Error = DecodeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        v.visit_string(self.0)
    }

    key_number! {
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32, deserialize_i64 => visit_i64,
        deserialize_i128 => visit_i128, deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16, deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64, deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32, deserialize_f64 => visit_f64,
        deserialize_bool => visit_bool
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        v.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StringDeserializer<DecodeError> = self.0.into_deserializer();
        de.deserialize_enum(name, variants, v)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round(v: Value, seeds: &[&str]) -> Vec<u8> {
        let bytes = encode(&v, seeds);
        assert!(is_compact(&bytes));
        assert_eq!(decode(&bytes, seeds).unwrap(), v, "{v}");
        bytes
    }

    #[test]
    fn json_values_round_trip() {
        round(json!(null), &[]);
        round(json!([true, false, 0, 63, 64, 1u64 << 63, u64::MAX]), &[]);
        round(json!([-1, -64, i64::MIN, 0.5, -1.25e300, 1e-300]), &[]);
        round(
            json!({"": "", "é": "ü€😀", "v": "v", "id": {"id": []}}),
            &[],
        );
        let long = "x".repeat(1000);
        round(json!([long, long, format!("{long}y"), "x".repeat(63)]), &[]);
        // Key order is kept (serde_json's `preserve_order`).
        let bytes = round(json!({"b": 1, "a": 2}), &[]);
        let back = decode(&bytes, &[]).unwrap();
        assert_eq!(
            back.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["b", "a"]
        );
    }

    /// What the value tree gives, through the reference encoder.
    fn reference<T: serde::Serialize>(v: &T, seeds: &[&str]) -> Vec<u8> {
        let mut e = Encoder::new(seeds);
        e.value(&serde_json::to_value(v).unwrap());
        e.out
    }

    #[test]
    fn the_direct_encoding_is_the_value_trees() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase", tag = "type")]
        enum Tagged {
            A { x: u8 },
            B,
        }
        #[derive(serde::Serialize)]
        enum Plain {
            Unit,
            New(i32),
            Tuple(u8, String),
            Struct { f: Option<f32> },
        }
        #[derive(serde::Serialize)]
        struct Flat {
            id: &'static str,
            #[serde(flatten)]
            kind: Tagged,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            map: std::collections::BTreeMap<u32, char>,
            bools: std::collections::BTreeMap<bool, ()>,
            unit: (),
            tuple: (i64, u64, f64),
            nan: f64,
            big: i128,
            bytes: serde_bytes_like::Bytes,
        }
        mod serde_bytes_like {
            pub struct Bytes(pub Vec<u8>);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        let v = (
            Flat {
                id: "01M97217R2RDR9EQ29FEKSHASZ",
                kind: Tagged::A { x: 200 },
                skipped: None,
                map: [(0, 'a'), (70, 'é')].into(),
                bools: [(true, ())].into(),
                unit: (),
                tuple: (i64::MIN, u64::MAX, 0.1),
                nan: f64::NAN,
                big: -5,
                bytes: serde_bytes_like::Bytes(vec![0, 255]),
            },
            vec![
                Plain::Unit,
                Plain::New(-3),
                Plain::Tuple(1, "01M97217R2RDR9EQ29FEKSHASZ-1".into()),
            ],
            Plain::Struct { f: Some(1.1) },
            Tagged::B,
        );
        let seeds = ["01M97217R2RDR9EQ29FEKSHASZ"];
        let direct = encode_serialize(&v, &seeds).unwrap();
        assert_eq!(direct, reference(&v, &seeds));
        assert_eq!(
            decode(&direct, &seeds).unwrap(),
            serde_json::to_value(&v).unwrap()
        );
        // What serde_json refuses, this refuses.
        struct FloatKeys(f64, f32);
        impl serde::Serialize for FloatKeys {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                m.serialize_entry(&self.0, &1)?;
                m.serialize_entry(&self.1, &2)?;
                m.end()
            }
        }
        let keys = FloatKeys(1.5, 1.1);
        assert_eq!(encode_serialize(&keys, &[]).unwrap(), reference(&keys, &[]));
        let bad = FloatKeys(f64::NAN, 1.0);
        assert!(encode_serialize(&bad, &[]).is_err());
        assert!(serde_json::to_value(&bad).is_err());
        assert!(encode_serialize(&u128::MAX, &[]).is_err());
        assert!(serde_json::to_value(u128::MAX).is_err());
    }

    fn arb_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            prop_oneof![
                Just("id".to_string()),
                Just("01M97217R2RDR9EQ29FEKSHASZ".to_string()),
                Just("01M97217R2RDR9EQ29FEKSHASZ-7".to_string()),
                "\\PC{0,80}",
            ]
            .prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::vec(("\\PC{0,12}", inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_json_value_round_trips_and_matches_the_reference(v in arb_json()) {
            let seeds = ["01M97217R2RDR9EQ29FEKSHASZ"];
            let bytes = encode(&v, &seeds);
            proptest::prop_assert_eq!(&bytes, &reference(&v, &seeds));
            proptest::prop_assert_eq!(&decode(&bytes, &seeds).unwrap(), &v);
            proptest::prop_assert_eq!(decode_into::<Value>(&bytes, &seeds).unwrap(), v);
        }
    }

    /// Read straight into a type, the bytes give what serde_json gives of
    /// the same value: every shape serde derives.
    #[test]
    fn decoding_into_a_type_is_reading_its_value() {
        use serde::{Deserialize, Serialize};
        use std::collections::BTreeMap;
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", tag = "kind")]
        enum Internal {
            A { x: u8 },
            B,
        }
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "state", content = "value")]
        enum Adjacent {
            Running,
            Done(Vec<i64>),
        }
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        enum External {
            Unit,
            New(i32),
            Tuple(u8, String),
            Struct { f: Option<f64> },
        }
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Inner(u32);
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct All {
            id: String,
            #[serde(flatten)]
            kind: Internal,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            by_number: BTreeMap<u32, char>,
            by_bool: BTreeMap<bool, Inner>,
            by_neg: BTreeMap<i64, ()>,
            unit: (),
            tuple: (i64, u64, f64, f32),
            adjacent: Vec<Adjacent>,
            external: Vec<External>,
            json: Value,
            at: (u32, u32),
        }
        let v = All {
            id: "01M97217R2RDR9EQ29FEKSHASZ".into(),
            kind: Internal::A { x: 200 },
            skipped: None,
            by_number: [(0, 'a'), (70, 'é')].into(),
            by_bool: [(true, Inner(7))].into(),
            by_neg: [(-5, ())].into(),
            unit: (),
            tuple: (i64::MIN, u64::MAX, 0.1, 1.5),
            adjacent: vec![Adjacent::Running, Adjacent::Done(vec![-1, 2])],
            external: vec![
                External::Unit,
                External::New(-3),
                External::Tuple(1, "01M97217R2RDR9EQ29FEKSHASZ-1".into()),
                External::Struct { f: Some(1.25) },
                External::Struct { f: None },
            ],
            json: json!({"a": [1, "x", null, {"b": 2.5}]}),
            at: (0, 6),
        };
        let seeds = ["01M97217R2RDR9EQ29FEKSHASZ"];
        let bytes = encode_serialize(&v, &seeds).unwrap();
        let direct: All = decode_into(&bytes, &seeds).unwrap();
        assert_eq!(direct, v);
        let through: All = serde_json::from_value(decode(&bytes, &seeds).unwrap()).unwrap();
        assert_eq!(through, v);
        // Errors are errors, with a position.
        assert!(decode_into::<All>(&bytes[..bytes.len() - 1], &seeds).is_err());
        let wrong = encode(&json!({"id": 5}), &[]);
        let err = decode_into::<All>(&wrong, &[]).unwrap_err();
        assert!(err.at <= wrong.len(), "{err}");
        assert!(
            decode_into::<External>(&encode(&json!({"New": 1, "Unit": null}), &[]), &[]).is_err()
        );
        assert!(decode_into::<External>(&encode(&json!("New"), &[]), &[]).is_err());
        assert!(decode_into::<(u8,)>(&encode(&json!([1, 2]), &[]), &[]).is_err());
        let mut deep = vec![FORMAT];
        deep.extend(std::iter::repeat_n([ARRAY, 1], DEPTH_MAX + 1).flatten());
        deep.push(NULL);
        assert!(decode_into::<Value>(&deep, &[]).is_err());
    }

    #[test]
    fn repeated_strings_and_seeds_are_references() {
        let id = "01M97217R2RDR9EQ29FEKSHASZ";
        let v = json!({"callId": format!("{id}-2"), "again": format!("{id}-2"), "x": id});
        let seeded = round(v.clone(), &[id]);
        let unseeded = round(v, &[]);
        assert!(seeded.len() < unseeded.len());
        // The run id once is all the seeded form spends on it: the three
        // strings cost a few bytes each.
        assert!(seeded.len() < 30, "{}", seeded.len());
        // Decoding with other seeds gives other strings, never a panic.
        let other = decode(&seeded, &["ZZZZZZZZZZZZZZZZZZZZZZZZZZ"]).unwrap();
        assert_ne!(other["x"], json!(id));
        assert!(decode(&seeded, &[]).is_err());
    }

    #[test]
    fn a_prefix_ends_on_a_character_boundary() {
        let a = "abcdefgh€one";
        let b = "abcdefgh€two";
        let c = "abcdefgh\u{20ad}x";
        round(json!([a, b, c]), &[]);
    }

    #[test]
    fn corrupt_input_is_an_error_never_a_panic() {
        let good = encode(
            &json!({"id": "01M97217R2RDR9EQ29FEKSHASZ", "calls": [1, -2, 3.5, "x", {"k": null}]}),
            &[],
        );
        assert!(decode(&[], &[]).is_err());
        assert!(decode(b"{}", &[]).is_err());
        for cut in 1..good.len() {
            assert!(decode(&good[..cut], &[]).is_err(), "cut at {cut}");
        }
        let mut extra = good.clone();
        extra.push(NULL);
        assert!(decode(&extra, &[]).is_err());
        // Every single-byte change decodes or fails cleanly.
        for i in 1..good.len() {
            for b in [0x00, 0x01, 0x0C, 0x0F, 0x3F, 0x7F, 0xBF, 0xC0, 0xFF] {
                let mut bad = good.clone();
                bad[i] = b;
                let _ = decode(&bad, &[]);
            }
        }
        // Huge counts and deep nesting are refused without allocating.
        assert!(decode(&[FORMAT, ARRAY, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], &[]).is_err());
        let mut deep = vec![FORMAT];
        deep.extend(std::iter::repeat_n([ARRAY, 1], DEPTH_MAX + 1).flatten());
        deep.push(NULL);
        let err = decode(&deep, &[]).unwrap_err();
        assert!(err.what.contains("DEPTH_MAX"), "{err}");
        // A varint longer than 64 bits.
        assert!(decode(
            &[FORMAT, UINT, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
            &[]
        )
        .is_err());
    }

    #[test]
    fn words_are_unique_and_never_json_starts() {
        let mut seen = std::collections::HashSet::new();
        for w in WORDS {
            assert!(seen.insert(w), "{w} twice");
        }
        for b in b" \t\r\n{[\"-0123456789tfn" {
            assert_ne!(*b, FORMAT);
        }
    }
}

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
//!   (the caller may seed the table, e.g. with the run id) is a reference;
//! - a new string of at least [`HEX_MIN`] lowercase hex digits (a callback
//!   token, a digest) is its bytes, half its length.
//!
//! Every encoding starts with [`FORMAT`], a byte JSON text never starts
//! with, so a reader tells the two apart by the first byte: data written as
//! JSON by an earlier build is read as it always was.
//!
//! [`WORDS`] is part of the stored format: entries are only ever appended.
//! So are the tags: the hex tag came with SQLite schema 10's build; a build
//! from before it reports data that holds one as not decoding (and parks
//! its run), as it does any data newer than it.

use serde_json::{Map, Number, Value};

/// First byte of every encoding: format 1 of this module. JSON text starts
/// with whitespace, `{`, `[`, `"`, a digit, `-`, `t`, `f` or `n`.
pub const FORMAT: u8 = 0x01;

/// First byte of an encoding in format 1 whose reference table its writer
/// seeded with data its reader knows and the bytes do not hold (a
/// snapshot: its run id). Data that starts with [`FORMAT`] and is read with
/// seeds (journal rows, `waiting`) was seeded too: there the column says
/// so, where this byte tells a seeded snapshot from an earlier unseeded one.
///
/// A new snapshot form must come with a new SQLite schema version: since
/// schema 13 that store reads a run's `waiting` from its snapshot, so a
/// build that cannot decode the new form has to refuse the store rather
/// than fail on every list that holds such a run.
pub const FORMAT_SEEDED: u8 = 0x02;

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

/// The shortest run of lowercase hex digits written as bytes (shorter ones
/// gain a few bytes at most, for a scan of every string).
pub const HEX_MIN: usize = 16;

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
/// A string of `2n` lowercase hex digits: `n`, then the `n` bytes.
const HEX: u8 = 0x0D;
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

/// As [`encode_serialize`], starting with [`FORMAT_SEEDED`].
pub fn encode_serialize_seeded<T: serde::Serialize + ?Sized>(
    value: &T,
    seeds: &[&str],
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = encode_serialize(value, seeds)?;
    out[0] = FORMAT_SEEDED;
    Ok(out)
}

/// Writes the compact form item by item, without serde: for the types
/// written at every step, whose `Serialize` goes through serde's general
/// machinery (an entry's flattened kind is a map of unknown length). Its
/// user must write exactly what the type's `Serialize` writes through
/// [`encode_serialize`], key order and counts included, and test that it
/// does; [`Writer::serialize`] writes any other value through serde, in the
/// same encoding (one reference table).
pub struct Writer {
    e: Encoder,
}

impl Writer {
    /// Starts an encoding in [`FORMAT`], the reference table seeded with
    /// `seeds`.
    pub fn new(seeds: &[&str]) -> Writer {
        Writer {
            e: Encoder::new(seeds),
        }
    }

    /// An array of `len` items: they follow.
    pub fn array(&mut self, len: usize) {
        self.e.out.push(ARRAY);
        self.e.varint(len as u64);
    }

    /// An object of `len` entries: they follow, each a key ([`Writer::str`])
    /// and a value.
    pub fn object(&mut self, len: usize) {
        self.e.out.push(OBJECT);
        self.e.varint(len as u64);
    }

    /// A string (a key or a value).
    pub fn str(&mut self, s: &str) {
        self.e.string(s);
    }

    /// A signed integer, as serde's `serialize_i64` writes it.
    pub fn int(&mut self, i: i64) {
        self.e.int(i);
    }

    /// An unsigned integer, as serde's `serialize_u64` (and `u32`) writes it.
    pub fn uint(&mut self, u: u64) {
        self.e.uint(u);
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.e.out.push(if b { TRUE } else { FALSE });
    }

    /// `null` (what `None` serializes to).
    pub fn null(&mut self) {
        self.e.out.push(NULL);
    }

    /// A JSON value.
    pub fn json(&mut self, v: &Value) {
        self.e.value(v);
    }

    /// An object's entry whose value is a string.
    pub fn field_str(&mut self, key: &str, v: &str) {
        self.str(key);
        self.str(v);
    }

    /// An object's entry whose value is a signed integer.
    pub fn field_int(&mut self, key: &str, v: i64) {
        self.str(key);
        self.int(v);
    }

    /// An object's entry whose value is an unsigned integer.
    pub fn field_uint(&mut self, key: &str, v: u64) {
        self.str(key);
        self.uint(v);
    }

    /// An object's entry whose value is `true` or `false`.
    pub fn field_bool(&mut self, key: &str, v: bool) {
        self.str(key);
        self.bool(v);
    }

    /// An object's entry whose value is a JSON value.
    pub fn field_json(&mut self, key: &str, v: &Value) {
        self.str(key);
        self.json(v);
    }

    /// Any serializable value, through serde.
    pub fn serialize<T: serde::Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        v.serialize(&mut self.e)
    }

    /// The bytes written.
    pub fn finish(self) -> Vec<u8> {
        self.e.out
    }
}

/// True when `bytes` are this module's encoding rather than JSON text.
pub fn is_compact(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(&(FORMAT | FORMAT_SEEDED)))
}

/// True when `bytes` start with [`FORMAT_SEEDED`].
pub fn is_seeded(bytes: &[u8]) -> bool {
    bytes.first() == Some(&FORMAT_SEEDED)
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

mod decode;
mod encode;
#[cfg(test)]
pub(crate) mod tests;

use decode::Decoder;
use encode::Encoder;

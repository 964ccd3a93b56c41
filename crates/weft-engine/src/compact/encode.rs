//! Writing the compact form: a serde `Serializer` that emits the bytes
//! directly (no `serde_json::Value` in between), with the word table and
//! the reference table of strings seen.

use super::*;

/// Slots of the word index: a power of two, several times the words so
/// that most slots hold at most one.
const WORD_SLOTS: usize = 1024;

/// No word is longer: ids, tokens and user data skip the index.
const WORD_LEN_MAX: usize = 24;

/// A string's slot: from its length and its first, middle and last bytes
/// (a few instructions, where hashing every byte of every key cost more
/// than the rest of writing it).
fn word_slot(s: &[u8]) -> usize {
    let (n, first, mid, last) = match s {
        [] => (0, 0, 0, 0),
        [f, .., l] => (s.len(), *f, s[s.len() / 2], *l),
        [f] => (1, *f, *f, *f),
    };
    let h = (n as u32).wrapping_mul(0x9e37_79b1)
        ^ u32::from(first).wrapping_mul(0x85eb_ca6b)
        ^ u32::from(mid).wrapping_mul(0xc2b2_ae35)
        ^ u32::from(last).wrapping_mul(0x27d4_eb2f);
    (h ^ (h >> 15)) as usize % WORD_SLOTS
}

/// The position of `s` in [`WORDS`], if it is one.
fn word_index(s: &str) -> Option<usize> {
    static SLOTS: std::sync::OnceLock<Vec<Vec<u16>>> = std::sync::OnceLock::new();
    if s.len() > WORD_LEN_MAX {
        return None;
    }
    let slots = SLOTS.get_or_init(|| {
        let mut slots = vec![Vec::new(); WORD_SLOTS];
        for (i, w) in WORDS.iter().enumerate() {
            slots[word_slot(w.as_bytes())].push(i as u16);
        }
        slots
    });
    slots[word_slot(s.as_bytes())]
        .iter()
        .map(|&i| usize::from(i))
        .find(|&i| WORDS[i] == s)
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        _ => b - b'a' + 10,
    }
}

// A table entry's head is its first PREFIX_MIN bytes as one word.
const _: () = assert!(PREFIX_MIN == std::mem::size_of::<u64>());

/// The first [`PREFIX_MIN`] bytes of `s` as one word (`s` is at least
/// that long).
fn head(s: &[u8]) -> u64 {
    let mut b = [0u8; PREFIX_MIN];
    b.copy_from_slice(&s[..PREFIX_MIN]);
    u64::from_le_bytes(b)
}

/// The reference table: the strings seen (seeds first), in one buffer so
/// that remembering one allocates nothing. Every string scanned is at
/// least [`PREFIX_MIN`] bytes long, so an entry whose first
/// [`PREFIX_MIN`] bytes differ from it is neither equal to it nor shares
/// enough to be referred to: one comparison of heads rejects it, where
/// comparing bytes one at a time cost most of a snapshot's encoding
/// (call ids share the run id's first 26 bytes).
#[derive(Default)]
struct Table {
    text: Vec<u8>,
    /// Per entry: where it is in `text`, and its head (entries shorter
    /// than [`PREFIX_MIN`], seeds only, have none and match nothing).
    entries: Vec<(usize, usize, Option<u64>)>,
}

impl Table {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn push(&mut self, s: &str) {
        let start = self.text.len();
        self.text.extend_from_slice(s.as_bytes());
        let h = (s.len() >= PREFIX_MIN).then(|| head(s.as_bytes()));
        self.entries.push((start, self.text.len(), h));
    }

    /// The first entry equal to `s`, else the first of those sharing the
    /// longest prefix of at least [`PREFIX_MIN`] bytes with it, with that
    /// length (`s` is at least [`PREFIX_MIN`] bytes long).
    fn find(&self, s: &str) -> Option<(usize, usize, bool)> {
        let h = head(s.as_bytes());
        let mut best: Option<(usize, usize)> = None;
        for (i, &(start, end, th)) in self.entries.iter().enumerate() {
            if th != Some(h) {
                continue;
            }
            let t = &self.text[start..end];
            if t == s.as_bytes() {
                return Some((i, s.len(), true));
            }
            let common = common_prefix(t, s);
            if common >= PREFIX_MIN && best.is_none_or(|(_, b)| common > b) {
                best = Some((i, common));
            }
        }
        best.map(|(i, common)| (i, common, false))
    }
}

pub(super) struct Encoder {
    pub(super) out: Vec<u8>,
    table: Table,
}

impl Encoder {
    pub(super) fn new(seeds: &[&str]) -> Encoder {
        let mut out = Vec::with_capacity(256);
        out.push(FORMAT);
        let mut table = Table {
            text: Vec::with_capacity(256),
            entries: Vec::with_capacity(TABLE_MAX),
        };
        for s in seeds.iter().take(TABLE_MAX) {
            table.push(s);
        }
        Encoder { out, table }
    }

    pub(super) fn varint(&mut self, n: u64) {
        push_varint(&mut self.out, n);
    }

    /// A JSON value, walked directly: the same bytes as its `Serialize`
    /// through this encoder (the tests compare the two), for less work.
    pub(super) fn value(&mut self, v: &Value) {
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

    pub(super) fn uint(&mut self, u: u64) {
        if u < 64 {
            self.out.push(SMALL + u as u8);
        } else {
            self.out.push(UINT);
            self.varint(u);
        }
    }

    pub(super) fn int(&mut self, i: i64) {
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

    pub(super) fn string(&mut self, s: &str) {
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
            if let Some((i, common, equal)) = self.table.find(s) {
                if equal {
                    self.out.push(STR_REF);
                    push_varint(&mut self.out, i as u64);
                    return;
                }
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
        if s.len() >= HEX_MIN && s.len().is_multiple_of(2) && s.bytes().all(is_lower_hex) {
            self.out.push(HEX);
            self.varint((s.len() / 2) as u64);
            self.out.extend(s.as_bytes().chunks(2).map(|pair| {
                // Every byte is a hex digit: checked above.
                (hex_value(pair[0]) << 4) | hex_value(pair[1])
            }));
            self.remember(s);
            return;
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
            self.table.push(s);
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
pub(super) struct Compound<'a> {
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
pub(super) struct KeySer<'a>(&'a mut Encoder);

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
/// The bytes `a` (a string's) and `b` share at their start, cut back to a
/// character boundary of both.
fn common_prefix(a: &[u8], b: &str) -> usize {
    let bb = b.as_bytes();
    let len = a.len().min(bb.len());
    let mut n = 0;
    // A word at a time: the shared part is often a whole run id.
    while n + 8 <= len {
        let x = head(&a[n..]) ^ head(&bb[n..]);
        if x != 0 {
            n += (x.trailing_zeros() / 8) as usize;
            break;
        }
        n += 8;
    }
    while n < len && a[n] == bb[n] {
        n += 1;
    }
    // `a` at `n`: its end, or not a UTF-8 continuation byte.
    let boundary_of_a = |n: usize| a.get(n).is_none_or(|&c| (c as i8) >= -0x40);
    while !(boundary_of_a(n) && b.is_char_boundary(n)) {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod table_tests {
    use super::*;

    /// The table's search as it was before heads: every entry's bytes
    /// compared one at a time.
    fn find_slowly(table: &[String], s: &str) -> Option<(usize, usize, bool)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, t) in table.iter().enumerate() {
            if t == s {
                return Some((i, s.len(), true));
            }
            let mut n = t.bytes().zip(s.bytes()).take_while(|(x, y)| x == y).count();
            while !(t.is_char_boundary(n) && s.is_char_boundary(n)) {
                n -= 1;
            }
            if n >= PREFIX_MIN && best.is_none_or(|(_, b)| n > b) {
                best = Some((i, n));
            }
        }
        best.map(|(i, n)| (i, n, false))
    }

    /// Strings that share long prefixes, multi-byte characters among them.
    fn arb_string() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            prop_oneof![
                Just(""),
                Just("0190f3a2c4d57e8b9a1b2c3d4e5f6a7b"),
                Just("0190f3a2c4d57e8b"),
                Just("héllo wörld, "),
                Just("caller-"),
            ],
            "[a-cé€0-9:]{0,12}",
        )
            .prop_map(|(a, b)| format!("{a}{b}"))
    }

    #[test]
    fn every_word_is_found_at_its_position_and_nothing_else_is() {
        const _: () = assert!(WORDS.len() < u16::MAX as usize);
        for (i, w) in WORDS.iter().enumerate() {
            assert!(w.len() <= WORD_LEN_MAX, "{w}");
            assert_eq!(word_index(w), Some(i), "{w}");
        }
        for s in [
            "",
            "x",
            "Status",
            "callid",
            "stat",
            "ids",
            "runId ",
            "a".repeat(30).as_str(),
        ] {
            assert_eq!(word_index(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_a_word_exactly_when_it_is_in_the_list(s in "[a-zA-Z_]{0,12}") {
            proptest::prop_assert_eq!(word_index(&s), WORDS.iter().position(|w| *w == s));
        }

        #[test]
        fn heads_find_what_a_byte_by_byte_scan_finds(
            entries in proptest::collection::vec(arb_string(), 0..TABLE_MAX),
            probes in proptest::collection::vec(arb_string(), 1..16),
        ) {
            let mut table = Table::default();
            for e in &entries {
                table.push(e);
            }
            for p in probes.iter().filter(|p| p.len() >= PREFIX_MIN) {
                proptest::prop_assert_eq!(table.find(p), find_slowly(&entries, p), "{:?}", p);
            }
        }
    }

    #[test]
    fn a_shared_prefix_is_counted_past_whole_words() {
        assert_eq!(
            common_prefix(b"0123456789abcdefXY", "0123456789abcdefXZ"),
            17
        );
        assert_eq!(common_prefix(b"01234567", "01234567"), 8);
        assert_eq!(common_prefix(b"0123456", "01234567"), 7);
        // "é" is two bytes: a prefix never ends inside it.
        assert_eq!(common_prefix("abcdefgé".as_bytes(), "abcdefgè"), 7);
    }
}

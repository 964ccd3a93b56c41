//! Reading the compact form: a bounded decoder into `serde_json::Value`,
//! and a serde `Deserializer` that reads straight into a type with
//! serde_json's rules for map keys and enums.

use super::*;

pub(super) struct Decoder<'a> {
    bytes: &'a [u8],
    pub(super) at: usize,
    table: Vec<String>,
    /// Arrays and objects open, for the serde path.
    depth: usize,
}

impl<'a> Decoder<'a> {
    pub(super) fn start(bytes: &'a [u8], seeds: &[&str]) -> Result<Decoder<'a>, DecodeError> {
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
            FORMAT | FORMAT_SEEDED => Ok(d),
            b => Err(d.err(format!("format {b:#04x} is not one this build reads"))),
        }
    }

    pub(super) fn finish(&self) -> Result<(), DecodeError> {
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

    pub(super) fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
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
            HEX => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let n = self.varint()?;
                let bytes = self.take(n)?;
                let mut s = String::with_capacity(bytes.len() * 2);
                for b in bytes {
                    s.push(char::from(DIGITS[usize::from(b >> 4)]));
                    s.push(char::from(DIGITS[usize::from(b & 0x0F)]));
                }
                self.remember(&s);
                Ok(s)
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
pub(super) struct Items<'d, 'a> {
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
pub(super) struct Variant<'d, 'a> {
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
pub(super) struct Key(String);

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

//! JSON as the API reads it: syntax checked first, and an object that
//! names a key twice refused (serde_json keeps the last one silently, so
//! `{"value": 1, "value": 2}` would mean whatever a proxy or client library
//! in between thought it meant).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Checks that `bytes` is one JSON value with no duplicate keys in any
/// object; the error says where.
pub fn check(bytes: &[u8]) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Strict.deserialize(&mut de)?;
    de.end()
}

/// Visits a value, refusing objects with a key given twice.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Strict)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(dup) = seen.replace(key) {
                return Err(de::Error::custom(format_args!(
                    "the key {dup:?} is given twice in one object"
                )));
            }
            map.next_value_seed(Strict)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        assert!(check(br#"{"a": 1, "b": [1, {"c": null}], "d": {"a": 2}}"#).is_ok());
        for bad in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"x": {"k": 1, "k": 1}}"#,
            r#"[1, {"v": [], "v": {}}]"#,
            r#"{"a\u0062": 1, "ab": 2}"#,
        ] {
            let e = check(bad.as_bytes()).unwrap_err().to_string();
            assert!(e.contains("given twice"), "{bad}: {e}");
        }
        assert!(check(b"{").is_err());
        assert!(check(b"1 2").is_err());
        assert!(check(b"").is_err());
    }
}

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

/// Any JSON value, with strings that exercise the words, the reference
/// table and hex (also for other modules' tests of the compact form).
pub(crate) fn arb_json() -> impl proptest::strategy::Strategy<Value = Value> {
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
            "[0-9a-fA-F]{14,40}",
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
    assert!(decode_into::<External>(&encode(&json!({"New": 1, "Unit": null}), &[]), &[]).is_err());
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
fn lowercase_hex_strings_are_their_bytes() {
    let token = "8a584fb3d5900ae6ddfc2311e335f76b";
    let bytes = round(json!({"token": token}), &[]);
    // FORMAT, OBJECT 1, the word, HEX 16, 16 bytes.
    assert_eq!(bytes.len(), 1 + 2 + 1 + 2 + 16, "{bytes:?}");
    // Seen once, the token is a reference afterwards; a longer one
    // sharing its start is a prefix of it.
    let again = round(json!([token, token, format!("{token}00")]), &[]);
    assert!(again.len() < 2 * 19, "{}", again.len());
    // Not hex as stored: upper case, odd length, too short, other
    // characters, all written as text and given back as they were.
    for s in [
        "8A584FB3D5900AE6DDFC2311E335F76B",
        "8a584fb3d5900ae6ddfc2311e335f76",
        "8a584fb3d5900a",
        "8a584fb3d5900ae6ddfc2311e335f76g",
    ] {
        let bytes = round(json!(s), &[]);
        assert_eq!(bytes.len(), 2 + s.len(), "{s}");
    }
    // A HEX tag whose bytes are cut short is an error.
    assert!(decode(&[FORMAT, HEX, 4, 0xAB], &[]).is_err());
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
        for b in [0x00, 0x01, 0x0C, 0x0D, 0x0F, 0x3F, 0x7F, 0xBF, 0xC0, 0xFF] {
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

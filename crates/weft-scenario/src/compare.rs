//! Comparing expected and actual JSON, numbers by value, with a message
//! that points at the first difference.

use serde_json::Value;

/// `None` when equal; otherwise where and how they differ.
pub fn difference(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("{at}: expected {a}, got {b}"))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => {
                        if let Some(d) = difference(v, w, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => {
                        return Some(format!("{at}.{k}: expected {v}, but the field is missing"))
                    }
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("{at}.{k}: unexpected field (value {})", b[k]))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{at}: expected {} elements, got {}: {got}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| difference(x, y, &format!("{at}[{i}]")))
        }
        (a, b) => (a != b).then(|| format!("{at}: expected {a}, got {b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_by_value_and_precise_paths() {
        assert_eq!(
            difference(&json!({"n": 550}), &json!({"n": 550.0}), "result"),
            None
        );
        assert_eq!(
            difference(
                &json!({"a": [1, {"b": 2}]}),
                &json!({"a": [1, {"b": 3}]}),
                "result"
            ),
            Some("result.a[1].b: expected 2, got 3".into())
        );
        assert_eq!(
            difference(&json!({"a": 1}), &json!({"a": 1, "z": true}), "result"),
            Some("result.z: unexpected field (value true)".into())
        );
        assert!(difference(&json!({"a": 1}), &json!({}), "r")
            .unwrap()
            .contains("missing"));
    }
}

//! Names in generated code: from Weft's names (which may be any JSON key)
//! to identifiers of each language.

/// `snake_case` of a name (`ReserveNick` → `reserve_nick`, `ID` → `id`,
/// `content-type` → `content_type`). Never empty; never starts with a
/// digit.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() {
                let prev_lower =
                    i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
                if !out.is_empty()
                    && !out.ends_with('_')
                    && (prev_lower || (prev_upper && next_lower))
                {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "field".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{out}")
    } else {
        out
    }
}

/// `PascalCase` of a name (`reserve_nick` → `ReserveNick`, `ID` → `Id`).
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for part in snake(name).split('_') {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.is_empty() {
        "Value".to_string()
    } else {
        out
    }
}

/// True when `name` is a plain identifier (ASCII letters, digits, `_`, not
/// starting with a digit).
pub fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A string literal, escaped as JSON (valid in Rust, Python and
/// TypeScript alike for the characters JSON escapes).
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("ReserveNick"), "reserve_nick");
        assert_eq!(snake("ID"), "id");
        assert_eq!(snake("petId"), "pet_id");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("content-type"), "content_type");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake("--"), "field");
        assert_eq!(pascal("reserve_nick"), "ReserveNick");
        assert_eq!(pascal("ID"), "Id");
        assert!(is_plain("a_1") && !is_plain("a-b") && !is_plain("1a"));
    }
}

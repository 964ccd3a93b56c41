//! Names: from OpenAPI's (any text) to Weft identifiers.

use std::collections::HashSet;

/// Words that cannot be Weft identifiers.
const KEYWORDS: &[&str] = &[
    "flow", "let", "var", "if", "else", "while", "for", "in", "return", "func", "await", "true",
    "false", "null", "break", "continue",
];

/// Splits a name into words at non-alphanumerics and lower-to-upper steps.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalized(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
        None => String::new(),
    }
}

/// `PascalCase`: `getPetById` → `GetPetById`, `pet-list` → `PetList`.
pub fn pascal(name: &str) -> String {
    let s: String = words(name).iter().map(|w| capitalized(w)).collect();
    fix_start(if s.is_empty() { "X".to_string() } else { s })
}

/// `camelCase` for parameters: `api_key` → `apiKey`, `X-Request-ID` →
/// `xRequestID`; never a keyword.
pub fn camel(name: &str) -> String {
    let ws = words(name);
    let mut s = String::new();
    for (i, w) in ws.iter().enumerate() {
        if i == 0 {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                s.push(f.to_ascii_lowercase());
                s.push_str(cs.as_str());
            }
        } else {
            s.push_str(&capitalized(w));
        }
    }
    let mut s = fix_start(if s.is_empty() { "p".to_string() } else { s });
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `name` in the namespace `ns`, if any: `petstore.GetPetById`, which
/// flows call as `petstore.GetPetById(...)` (a dotted activity name).
pub fn namespaced(ns: Option<&str>, name: String) -> String {
    match ns {
        Some(ns) => format!("{ns}.{name}"),
        None => name,
    }
}

/// Why `ns` cannot prefix activity names, if it cannot: it must be names
/// joined by dots (`aws`, `google.cloud`), none a keyword, the first no
/// built-in (`len.X(...)` would not call an activity).
pub fn check_namespace(ns: &str) -> Result<(), String> {
    let plain = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !KEYWORDS.contains(&p)
    };
    if !ns.split('.').all(plain) {
        return Err(format!(
            "the namespace `{ns}` must be names joined by dots, such as `aws` or `google.cloud`"
        ));
    }
    let first = ns.split('.').next().unwrap_or(ns);
    if weft_syntax::lang::builtin(first).is_some() {
        return Err(format!(
            "the namespace `{ns}` starts with the built-in `{first}`: `{first}.X(...)` would not call an activity"
        ));
    }
    Ok(())
}

fn fix_start(s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{s}")
    } else {
        s
    }
}

/// True when `name` can be written as a field name without quotes.
pub fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Weft string literal.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Text on one line, for comments.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names already used; [`Taken::fresh`] picks the next free one.
#[derive(Default)]
pub struct Taken(HashSet<String>);

impl Taken {
    /// `want`, or `want2`, `want3`, ... if taken.
    pub fn fresh(&mut self, want: &str) -> String {
        let mut name = want.to_string();
        let mut i = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{want}{i}");
            i += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("getPetById"), "GetPetById");
        assert_eq!(pascal("pet-list"), "PetList");
        assert_eq!(pascal("2fa"), "N2fa");
        assert_eq!(camel("api_key"), "apiKey");
        assert_eq!(camel("X-Request-ID"), "xRequestID");
        assert_eq!(camel("for"), "for_");
        assert_eq!(camel("petId"), "petId");
        assert_eq!(camel("page[size]"), "pageSize");
    }
}

//! `@http(...)` on an activity declaration: the activity is an HTTP
//! endpoint that the server calls directly.
//!
//! ```weft
//! activity GetPetById(petId: int) -> Pet
//!     @http(method: "GET", url: "https://petstore3.swagger.io/api/v3/pet/{petId}")
//! activity FindPets(status?: string, apiKey?: string) -> [Pet]
//!     @http(method: "GET", url: "https://example.com/pets", query: ["status"], headers: {apiKey: "api_key"})
//! activity AddPet(body: Pet) -> Pet
//!     @http(method: "POST", url: "https://example.com/pet", body: "body")
//! ```
//!
//! Every parameter goes somewhere: `{name}` in the URL (replaced, percent
//! encoded), `query` or `headers` (a list of parameter names, or an object
//! from parameter name to the name on the wire), or `body` (the one
//! parameter sent as the JSON body). [`HttpBinding::from_decl`] reads and
//! validates the annotation (the checker reports its errors as E0207);
//! [`HttpBinding::request`] turns a call's arguments into a request.

use super::args::{self, Param};
use serde_json::Value;
use weft_syntax::ast::{ActivityDecl, Annotation, ExprKind, ObjectEntry};
use weft_syntax::Span;

/// The methods `@http` accepts.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The annotation's name.
pub const ANNOTATION: &str = "http";

/// An activity bound to an HTTP endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpBinding {
    /// The activity's parameters, in order.
    pub params: Vec<Param>,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The URL, with `{param}` placeholders.
    pub url: String,
    /// Query parameters: (parameter, name on the wire).
    pub query: Vec<(String, String)>,
    /// Header parameters: (parameter, header name).
    pub headers: Vec<(String, String)>,
    /// The parameter sent as the JSON body.
    pub body: Option<String>,
}

/// An HTTP request for one attempt of a bound activity.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full URL, path parameters replaced and the query appended.
    pub url: String,
    /// Headers from header parameters.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if the binding has one and the call gave it.
    pub body: Option<Value>,
}

/// A mistake in an `@http` annotation, at a place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mistake {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

fn mistake(span: Span, message: impl Into<String>) -> Mistake {
    Mistake {
        span,
        message: message.into(),
    }
}

impl HttpBinding {
    /// The binding of `decl`: `Ok(None)` without `@http`, the mistakes
    /// when the annotation is not valid.
    pub fn from_decl(decl: &ActivityDecl) -> Result<Option<HttpBinding>, Vec<Mistake>> {
        let Some(ann) = decl.annotation(ANNOTATION) else {
            return Ok(None);
        };
        let params: Vec<Param> = decl
            .params
            .iter()
            .map(|p| Param {
                name: p.name.name.clone(),
                optional: p.optional,
            })
            .collect();
        let mut b = HttpBinding {
            params,
            method: String::new(),
            url: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        };
        let mut mistakes = Vec::new();
        read_args(ann, &mut b, &mut mistakes);
        if !mistakes.is_empty() {
            return Err(mistakes);
        }
        // Every parameter goes to exactly one place.
        let path = b.path_params();
        let mut placed: Vec<(&str, &str)> = path.iter().map(|p| (p.as_str(), "the URL")).collect();
        placed.extend(b.query.iter().map(|(p, _)| (p.as_str(), "`query`")));
        placed.extend(b.headers.iter().map(|(p, _)| (p.as_str(), "`headers`")));
        placed.extend(b.body.iter().map(|p| (p.as_str(), "`body`")));
        for (name, place) in &placed {
            let Some(decl_param) = decl.params.iter().find(|p| p.name.name == *name) else {
                mistakes.push(mistake(
                    ann.span,
                    format!(
                        "{place} names `{name}`, which is not a parameter of `{}`",
                        decl.name.name
                    ),
                ));
                continue;
            };
            if placed.iter().filter(|(n, _)| n == name).count() > 1 {
                mistakes.push(mistake(
                    decl_param.name.span,
                    format!("the parameter `{name}` is sent in more than one place"),
                ));
            }
            if *place == "the URL" && decl_param.optional {
                mistakes.push(mistake(
                    decl_param.name.span,
                    format!(
                        "the parameter `{name}` is in the URL's path, so it cannot be optional"
                    ),
                ));
            }
        }
        for p in &decl.params {
            if !placed.iter().any(|(n, _)| *n == p.name.name) {
                mistakes.push(mistake(
                    p.name.span,
                    format!(
                        "the parameter `{}` is not sent: put `{{{}}}` in the URL or name it in `query`, `headers` or `body`",
                        p.name.name, p.name.name
                    ),
                ));
            }
        }
        mistakes.dedup();
        if mistakes.is_empty() {
            Ok(Some(b))
        } else {
            Err(mistakes)
        }
    }

    /// The names in `{...}` in the URL, in order.
    pub fn path_params(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = self.url.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push(rest[open + 1..open + close].to_string());
            rest = &rest[open + close + 1..];
        }
        out
    }

    /// The request for a call with these arguments (the JSON list the
    /// engine sends; see [`args::bind`]).
    pub fn request(&self, call_args: &Value) -> Result<Request, String> {
        let bound = args::bind_object(&self.params, call_args)?;
        let mut url = String::new();
        let mut rest = self.url.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            url.push_str(&rest[..open]);
            let name = &rest[open + 1..open + close];
            match bound.get(name) {
                Some(v) if !v.is_null() => url.push_str(&encode(&text(v), false)),
                _ => return Err(format!("the path parameter `{name}` is missing")),
            }
            rest = &rest[open + close + 1..];
        }
        url.push_str(rest);
        let mut pairs = Vec::new();
        for (param, wire) in &self.query {
            match bound.get(param) {
                None | Some(Value::Null) => {}
                // Arrays repeat the name (OpenAPI's default, `form` with
                // `explode`).
                Some(Value::Array(items)) => {
                    for item in items {
                        pairs.push(format!(
                            "{}={}",
                            encode(wire, true),
                            encode(&text(item), true)
                        ));
                    }
                }
                Some(v) => pairs.push(format!("{}={}", encode(wire, true), encode(&text(v), true))),
            }
        }
        if !pairs.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&pairs.join("&"));
        }
        let headers = self
            .headers
            .iter()
            .filter_map(|(param, wire)| match bound.get(param) {
                None | Some(Value::Null) => None,
                Some(v) => Some((wire.clone(), text(v))),
            })
            .collect();
        let body = self.body.as_ref().and_then(|b| bound.get(b).cloned());
        Ok(Request {
            method: self.method.clone(),
            url,
            headers,
            body,
        })
    }
}

/// A value as text in a URL or header: strings as they are, anything else
/// as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(s: &str, query: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' if query => out.push_str("%20"),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads the annotation's named arguments into `b`.
fn read_args(ann: &Annotation, b: &mut HttpBinding, mistakes: &mut Vec<Mistake>) {
    for arg in &ann.args {
        let Some(name) = &arg.name else {
            mistakes.push(mistake(
                arg.value.span,
                "`@http` takes named arguments: `method`, `url`, `query`, `headers`, `body`",
            ));
            continue;
        };
        let v = &arg.value;
        match name.name.as_str() {
            "method" => match &v.kind {
                ExprKind::String(m) if METHODS.contains(&m.as_str()) => b.method = m.clone(),
                _ => mistakes.push(mistake(
                    v.span,
                    format!("`method` is one of {}", quoted(METHODS)),
                )),
            },
            "url" => match &v.kind {
                ExprKind::String(u) if u.starts_with("http://") || u.starts_with("https://") => {
                    b.url = u.clone()
                }
                _ => mistakes.push(mistake(
                    v.span,
                    "`url` is a string starting with `http://` or `https://`",
                )),
            },
            "query" | "headers" => {
                let list = match names(v) {
                    Some(list) => list,
                    None => {
                        mistakes.push(mistake(
                            v.span,
                            format!(
                                "`{}` is a list of parameter names (`[\"a\", \"b\"]`) or an object from parameter name to the name on the wire (`{{a: \"A\"}}`)",
                                name.name
                            ),
                        ));
                        continue;
                    }
                };
                if name.name == "query" {
                    b.query = list;
                } else {
                    b.headers = list;
                }
            }
            "body" => match &v.kind {
                ExprKind::String(p) => b.body = Some(p.clone()),
                _ => mistakes.push(mistake(
                    v.span,
                    "`body` is the name of the parameter sent as the JSON body, as a string",
                )),
            },
            other => mistakes.push(mistake(
                name.span,
                format!(
                    "`@http` has no argument `{other}`; it takes `method`, `url`, `query`, `headers` and `body`"
                ),
            )),
        }
    }
    if b.method.is_empty() && !mistakes.iter().any(|m| m.message.contains("`method`")) {
        mistakes.push(mistake(
            ann.span,
            "`@http` needs `method: \"GET\"` (or another method)",
        ));
    }
    if b.url.is_empty() && !mistakes.iter().any(|m| m.message.contains("`url`")) {
        mistakes.push(mistake(ann.span, "`@http` needs `url: \"https://...\"`"));
    }
}

/// `["a", "b"]` or `{a: "A", b: "B"}` as (parameter, wire name) pairs.
fn names(v: &weft_syntax::ast::Expr) -> Option<Vec<(String, String)>> {
    match &v.kind {
        ExprKind::Array(items) => items
            .iter()
            .map(|i| match &i.kind {
                ExprKind::String(s) => Some((s.clone(), s.clone())),
                _ => None,
            })
            .collect(),
        ExprKind::Object(entries) => entries
            .iter()
            .map(|e| match e {
                ObjectEntry::Field { key, value } => match &value.kind {
                    ExprKind::String(s) => Some((key.name.clone(), s.clone())),
                    _ => None,
                },
                ObjectEntry::Spread(_) => None,
            })
            .collect(),
        _ => None,
    }
}

fn quoted(list: &[&str]) -> String {
    list.iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn binding(src: &str) -> Result<Option<HttpBinding>, Vec<Mistake>> {
        let p = weft_syntax::parse(src);
        assert!(!p.has_errors(), "{src}");
        let b = HttpBinding::from_decl(p.module.activities().next().unwrap());
        b
    }

    #[test]
    fn requests() {
        let b = binding(
            r#"activity Find(id: string, status?: [string], key?: string, body?: any) -> any @http(method: "POST", url: "https://x.test/a/{id}/b", query: ["status"], headers: {key: "api_key"}, body: "body")"#,
        )
        .unwrap()
        .unwrap();
        let r = b
            .request(&json!(["a b/c", {"status": ["x", "y z"], "key": "k", "body": {"n": 1}}]))
            .unwrap();
        assert_eq!(r.url, "https://x.test/a/a%20b%2Fc/b?status=x&status=y%20z");
        assert_eq!(r.headers, vec![("api_key".to_string(), "k".to_string())]);
        assert_eq!(r.body, Some(json!({"n": 1})));
        let r = b.request(&json!([7])).unwrap();
        assert_eq!(r.url, "https://x.test/a/7/b");
        assert_eq!(r.body, None);
    }

    #[test]
    fn mistakes() {
        let m = |src: &str| -> Vec<String> {
            binding(src)
                .unwrap_err()
                .into_iter()
                .map(|m| m.message)
                .collect()
        };
        assert_eq!(
            m(r#"activity A(x: int, y: int) @http(method: "GET", url: "https://a/{x}")"#),
            vec!["the parameter `y` is not sent: put `{y}` in the URL or name it in `query`, `headers` or `body`"]
        );
        assert_eq!(
            m(r#"activity A() @http(method: "FETCH", url: "ftp://a")"#).len(),
            2
        );
        assert_eq!(
            m(r#"activity A(x: int) @http(method: "GET", url: "https://a/{z}", query: ["x"])"#),
            vec!["the URL names `z`, which is not a parameter of `A`"]
        );
        assert!(binding("activity A(x: int)").unwrap().is_none());
    }
}

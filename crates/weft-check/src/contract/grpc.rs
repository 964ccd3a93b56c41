//! `@grpc(...)` on an activity declaration: the activity is a unary method
//! of a gRPC service that the server calls directly.
//!
//! ```weft
//! activity GetItem(sku?: string) -> Item
//!     @grpc(target: "http://inventory:50051", proto: "inventory.proto", service: "shop.Inventory", method: "GetItem")
//! activity Reserve(sku?: string, for_?: int) -> Reservation
//!     @grpc(target: "http://inventory:50051", proto: "inventory.proto", service: "shop.Inventory", method: "Reserve", fields: {for_: "for"})
//! activity Now(request?: any) -> time
//!     @grpc(target: "https://clock.example.com", proto: "clock.proto", service: "clock.Clock", method: "Now", request: "request")
//! ```
//!
//! The parameters are the fields of the method's request message, by their
//! JSON names: a call's arguments become the message's proto3 JSON. A
//! parameter whose name is not the field's (a field named like a Weft
//! keyword) says which field it fills in `fields`. With `request`, the one
//! parameter is the whole request message instead (for requests whose JSON
//! is not an object of fields, such as `google.protobuf.Timestamp`).
//! `proto` names the `.proto` file that defines the service, relative to the
//! folder of the file that declares the binding; it is deployed with the
//! program.
//!
//! [`GrpcBinding::from_decl`] reads and validates the annotation's form (the
//! checker reports its errors as E0207); whether the service, the method
//! and the fields exist is checked against the `.proto` where it is at
//! hand (`weft check`, the deploy), by `weft-grpc`.
//! [`GrpcBinding::message`] turns a call's arguments into the request's JSON.

use super::args::{self, Param};
use super::http::Mistake;
use serde_json::{Map, Value};
use weft_syntax::ast::{ActivityDecl, Annotation, ExprKind, ObjectEntry};
use weft_syntax::Span;

/// The annotation's name.
pub const ANNOTATION: &str = "grpc";

/// The annotation's arguments, for messages.
const ARGUMENTS: &str = "`target`, `proto`, `service`, `method`, `fields` and `request`";

/// An activity bound to a unary gRPC method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrpcBinding {
    /// The activity's parameters, in order.
    pub params: Vec<Param>,
    /// `http://host:port` (plain text) or `https://host:port` (TLS).
    pub target: String,
    /// The `.proto` file that defines the service, as deployed.
    pub proto: String,
    /// The service's full name (`package.Service`).
    pub service: String,
    /// The method's name.
    pub method: String,
    /// Parameters that fill a field of another name: (parameter, field).
    pub fields: Vec<(String, String)>,
    /// The parameter that is the whole request message.
    pub request: Option<String>,
}

fn mistake(span: Span, message: impl Into<String>) -> Mistake {
    Mistake {
        span,
        message: message.into(),
    }
}

impl GrpcBinding {
    /// The binding of `decl`: `Ok(None)` without `@grpc`, the mistakes
    /// when the annotation is not valid.
    pub fn from_decl(decl: &ActivityDecl) -> Result<Option<GrpcBinding>, Vec<Mistake>> {
        let Some(ann) = decl.annotation(ANNOTATION) else {
            return Ok(None);
        };
        let mut b = GrpcBinding {
            params: decl
                .params
                .iter()
                .map(|p| Param {
                    name: p.name.name.clone(),
                    optional: p.optional,
                })
                .collect(),
            target: String::new(),
            proto: String::new(),
            service: String::new(),
            method: String::new(),
            fields: Vec::new(),
            request: None,
        };
        let mut mistakes = Vec::new();
        read_args(ann, &mut b, &mut mistakes);
        let is_param = |name: &str| decl.params.iter().any(|p| p.name.name == name);
        for (param, _) in &b.fields {
            if !is_param(param) {
                mistakes.push(mistake(
                    ann.span,
                    format!(
                        "`fields` names `{param}`, which is not a parameter of `{}`",
                        decl.name.name
                    ),
                ));
            }
        }
        // Two parameters must not fill one field.
        let mut filled: Vec<(&str, &str)> = Vec::new();
        for p in &decl.params {
            let field = b.field_of(&p.name.name);
            if let Some((other, _)) = filled.iter().find(|(_, f)| *f == field) {
                mistakes.push(mistake(
                    p.name.span,
                    format!(
                        "the parameters `{other}` and `{}` both fill the field `{field}`",
                        p.name.name
                    ),
                ));
            }
            filled.push((&p.name.name, field));
        }
        if let Some(r) = &b.request {
            if !is_param(r) {
                mistakes.push(mistake(
                    ann.span,
                    format!(
                        "`request` names `{r}`, which is not a parameter of `{}`",
                        decl.name.name
                    ),
                ));
            } else if decl.params.len() != 1 {
                mistakes.push(mistake(
                    ann.span,
                    "with `request`, the activity has exactly one parameter: the request message",
                ));
            }
            if !b.fields.is_empty() {
                mistakes.push(mistake(
                    ann.span,
                    "`fields` and `request` exclude each other: the parameters are either the request's fields or the whole request",
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

    /// The request field that `param` fills (its own name unless `fields`
    /// says otherwise).
    pub fn field_of<'s>(&'s self, param: &'s str) -> &'s str {
        self.fields
            .iter()
            .find(|(p, _)| p == param)
            .map_or(param, |(_, f)| f.as_str())
    }

    /// The method's HTTP/2 path: `/package.Service/Method`.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.service, self.method)
    }

    /// The request message of a call with these arguments (the JSON list
    /// the engine sends; see [`args::bind`]), as proto3 JSON: an object of
    /// the given parameters under their fields' names (`null` ones left
    /// out, as proto3 has no null field), or the `request` parameter's
    /// value.
    pub fn message(&self, call_args: &Value) -> Result<Value, String> {
        let bound = args::bind(&self.params, call_args)?;
        if let Some(r) = &self.request {
            return Ok(bound
                .into_iter()
                .find(|(p, _)| p == r)
                .map_or(Value::Null, |(_, v)| v));
        }
        let mut out = Map::new();
        for (param, value) in bound {
            if value.is_null() {
                continue;
            }
            out.insert(self.field_of(&param).to_string(), value);
        }
        Ok(Value::Object(out))
    }
}

/// True for `Name`, `_x1`: a protobuf identifier.
fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A problem with `target`, if it has one.
fn target_problem(t: &str) -> Option<&'static str> {
    let Some(rest) = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
    else {
        return Some("`target` starts with `http://` (plain text) or `https://` (TLS)");
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains(['/', '?', '#', ' ']) {
        return Some("`target` is the server's address only: `http://host:port`, with no path");
    }
    None
}

/// A problem with `proto`, if it has one.
fn proto_problem(p: &str) -> Option<&'static str> {
    if !p.ends_with(".proto") || p.len() == ".proto".len() {
        return Some("`proto` names a `.proto` file");
    }
    if p.starts_with('/')
        || p.contains('\\')
        || p.split('/').any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Some("`proto` is a relative path such as `inventory.proto` or `shop/inventory.proto`, without `.` or `..`");
    }
    None
}

/// Reads the annotation's named arguments into `b`.
fn read_args(ann: &Annotation, b: &mut GrpcBinding, mistakes: &mut Vec<Mistake>) {
    for arg in &ann.args {
        let Some(name) = &arg.name else {
            mistakes.push(mistake(
                arg.value.span,
                format!("`@grpc` takes named arguments: {ARGUMENTS}"),
            ));
            continue;
        };
        let v = &arg.value;
        let text = match &v.kind {
            ExprKind::String(s) => Some(s.as_str()),
            _ => None,
        };
        match (name.name.as_str(), text) {
            ("target", Some(t)) => match target_problem(t) {
                None => b.target = t.trim_end_matches('/').to_string(),
                Some(why) => mistakes.push(mistake(v.span, why)),
            },
            ("proto", Some(p)) => match proto_problem(p) {
                None => b.proto = p.to_string(),
                Some(why) => mistakes.push(mistake(v.span, why)),
            },
            ("service", Some(s)) if !s.is_empty() && s.split('.').all(is_ident) => {
                b.service = s.to_string()
            }
            ("method", Some(m)) if is_ident(m) => b.method = m.to_string(),
            ("request", Some(r)) => b.request = Some(r.to_string()),
            ("fields", _) => match renames(v) {
                Some(list) => b.fields = list,
                None => mistakes.push(mistake(
                    v.span,
                    "`fields` is an object from parameter name to the field it fills: `{for_: \"for\"}`",
                )),
            },
            ("target" | "proto" | "request", None) => mistakes.push(mistake(
                v.span,
                format!("`{}` is a string", name.name),
            )),
            ("service", _) => mistakes.push(mistake(
                v.span,
                "`service` is the service's full name, such as `\"shop.v1.Inventory\"`",
            )),
            ("method", _) => mistakes.push(mistake(
                v.span,
                "`method` is the method's name, such as `\"GetItem\"`",
            )),
            (other, _) => mistakes.push(mistake(
                name.span,
                format!("`@grpc` has no argument `{other}`; it takes {ARGUMENTS}"),
            )),
        }
    }
    for (field, value, example) in [
        ("target", &b.target, "\"http://host:port\""),
        ("proto", &b.proto, "\"service.proto\""),
        ("service", &b.service, "\"package.Service\""),
        ("method", &b.method, "\"Method\""),
    ] {
        let named = ann
            .args
            .iter()
            .any(|a| a.name.as_ref().is_some_and(|n| n.name == field));
        if value.is_empty() && !named {
            mistakes.push(mistake(
                ann.span,
                format!("`@grpc` needs `{field}: {example}`"),
            ));
        }
    }
}

/// `{a: "A", b: "B"}` as (parameter, field) pairs, fields identifiers.
fn renames(v: &weft_syntax::ast::Expr) -> Option<Vec<(String, String)>> {
    let ExprKind::Object(entries) = &v.kind else {
        return None;
    };
    entries
        .iter()
        .map(|e| match e {
            ObjectEntry::Field { key, value } => match &value.kind {
                ExprKind::String(s) if is_ident(s) => Some((key.name.clone(), s.clone())),
                _ => None,
            },
            ObjectEntry::Spread(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn binding(src: &str) -> Result<Option<GrpcBinding>, Vec<Mistake>> {
        let p = weft_syntax::parse(src);
        assert!(!p.has_errors(), "{src}: {:?}", p.diagnostics);
        let b = GrpcBinding::from_decl(p.module.activities().next().unwrap());
        b
    }

    fn mistakes(src: &str) -> Vec<String> {
        binding(src)
            .unwrap_err()
            .into_iter()
            .map(|m| m.message)
            .collect()
    }

    const AT: &str =
        r#"target: "http://127.0.0.1:5000", proto: "shop.proto", service: "shop.v1.Inventory""#;

    #[test]
    fn messages_from_arguments() {
        let b = binding(&format!(
            r#"activity Reserve(sku?: string, count?: int, for_?: string) -> any @grpc({AT}, method: "Reserve", fields: {{for_: "for"}})"#
        ))
        .unwrap()
        .unwrap();
        assert_eq!(b.path(), "/shop.v1.Inventory/Reserve");
        assert_eq!(
            b.message(&json!(["a", {"for_": "ann"}])).unwrap(),
            json!({"sku": "a", "for": "ann"})
        );
        assert_eq!(b.message(&json!(["a", null])).unwrap(), json!({"sku": "a"}));
        assert_eq!(b.message(&json!([])).unwrap(), json!({}));
        assert!(b.message(&json!([1, 2, 3, 4])).is_err());

        let b = binding(&format!(
            r#"activity Stamp(request: time) -> any @grpc({AT}, method: "Stamp", request: "request")"#
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            b.message(&json!(["2026-01-01T00:00:00Z"])).unwrap(),
            json!("2026-01-01T00:00:00Z")
        );
        assert!(binding("activity A(x: int)").unwrap().is_none());
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            mistakes(
                r#"activity A() @grpc(target: "grpc://x", proto: "a.txt", service: "a..B", method: "M")"#
            ),
            vec![
                "`target` starts with `http://` (plain text) or `https://` (TLS)",
                "`proto` names a `.proto` file",
                "`service` is the service's full name, such as `\"shop.v1.Inventory\"`",
            ]
        );
        assert_eq!(
            mistakes(r#"activity A() @grpc(target: "http://x:1/path")"#),
            vec![
                "`target` is the server's address only: `http://host:port`, with no path",
                "`@grpc` needs `proto: \"service.proto\"`",
                "`@grpc` needs `service: \"package.Service\"`",
                "`@grpc` needs `method: \"Method\"`",
            ]
        );
        assert_eq!(
            mistakes(&format!(
                r#"activity A(x?: int) @grpc({AT}, method: "M", fields: {{y: "z"}})"#
            )),
            vec!["`fields` names `y`, which is not a parameter of `A`"]
        );
        assert_eq!(
            mistakes(&format!(
                r#"activity A(x?: int, y?: int) @grpc({AT}, method: "M", fields: {{x: "y"}})"#
            )),
            vec!["the parameters `x` and `y` both fill the field `y`"]
        );
        assert_eq!(
            mistakes(&format!(
                r#"activity A(x: int, y: int) @grpc({AT}, method: "M", request: "x")"#
            )),
            vec!["with `request`, the activity has exactly one parameter: the request message"]
        );
        assert_eq!(
            mistakes(&format!(r#"activity A(x: int) @grpc({AT}, method: "M", deadline: 5)"#)),
            vec!["`@grpc` has no argument `deadline`; it takes `target`, `proto`, `service`, `method`, `fields` and `request`"]
        );
        assert_eq!(
            mistakes(r#"activity A() @grpc(target: "http://x", proto: "../a.proto", service: "S", method: "M")"#),
            vec!["`proto` is a relative path such as `inventory.proto` or `shop/inventory.proto`, without `.` or `..`"]
        );
    }
}

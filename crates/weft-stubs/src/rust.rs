//! A Rust worker for the `weft-worker` SDK: one file, `main.rs` of a
//! binary crate that depends on `weft-worker`, `serde` (with `derive`),
//! `serde_json` and `tokio` (with `macros` and `rt-multi-thread`).
//!
//! Declared types become serde structs (closed objects refuse nothing
//! extra, open ones keep the other fields in `extra`); each activity gets a
//! `...Params` struct, a result type and an `async fn` to fill in, which
//! returns `Err(Error::permanent("not implemented: Name"))` until then.

use crate::emit::{Gen, Language, Prepared};
use crate::model::Model;
use crate::naming::{pascal, quote, snake};
use std::collections::HashSet;
use std::fmt::Write as _;
use weft_check::contract::types::{Field, Type};

pub(crate) const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "yield", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual",
];

/// The language (see [`Language`]).
pub(crate) struct Rust;

/// The generated `main.rs`.
pub fn generate(model: &Model) -> String {
    let (mut out, registrations) = Gen::<Rust>::new(model).worker(model);
    out.push_str(&MAIN.replace("{registrations}", &registrations));
    out.push_str(BIND);
    out
}

impl Language for Rust {
    const HEADER: &'static str = HEADER;
    const ACTIVITIES: &'static str = "\n// ----- the activities: fill these in -----\n";

    fn declared_type(g: &mut Gen<Self>, name: &str, ty: &Type) {
        let rust_name = pascal(name);
        match ty {
            Type::Object { fields, open } => {
                let def = g.object(&rust_name, fields, *open, &format!("The type `{name}`."));
                g.defs.push(def);
            }
            other => {
                let t = g.ty(other, &format!("{rust_name}Value"));
                g.defs.push(format!(
                    "/// The type `{name}`: `{other}`.\npub type {rust_name} = {t};\n"
                ));
            }
        }
    }

    /// The handler, and its registration with the worker.
    fn activity(
        g: &mut Gen<Self>,
        p: Prepared<'_>,
        handlers: &mut String,
        registrations: &mut String,
    ) {
        let a = p.activity;
        let (base, params_name) = (&p.base, &p.params_name);
        let doc = p.params_doc("it is not declared: declare it for types");
        let def = g.object(params_name, &p.fields, false, &doc);
        g.defs.push(def);
        let result = match &a.result {
            Type::Object { fields, open } => {
                let name = g.defs.fresh(&format!("{base}Result"));
                let doc = if a.awaited {
                    format!("The callback value of `{}` (it is awaited).", a.name)
                } else {
                    format!("The result of `{}`.", a.name)
                };
                let def = g.object(&name, fields, *open, &doc);
                g.defs.push(def);
                name
            }
            other => g.ty(other, &format!("{base}Result")),
        };
        // `main` and `bind` are the generated file's own functions.
        let func = p.function(
            snake(&a.name),
            |f| KEYWORDS.contains(&f) || f == "main" || f == "bind",
            "_activity",
        );
        let _ = writeln!(handlers);
        if a.awaited {
            let _ = writeln!(
                handlers,
                "/// `{}`, awaited: start the work, keep `ctx.callback_handle()` and\n/// complete it later with a `{result}`. What this returns is only the\n/// acknowledgement.",
                a.name
            );
            let _ = writeln!(
                handlers,
                "async fn {func}(ctx: &Ctx, params: {params_name}) -> Result<Value, Error> {{"
            );
        } else {
            let _ = writeln!(handlers, "/// `{}`.", a.name);
            let _ = writeln!(
                handlers,
                "async fn {func}(ctx: &Ctx, params: {params_name}) -> Result<{result}, Error> {{"
            );
        }
        let _ = writeln!(handlers, "    let _ = (ctx, params);");
        let _ = writeln!(
            handlers,
            "    Err(Error::permanent({}))",
            p.not_implemented()
        );
        let _ = writeln!(handlers, "}}");
        let params = p.binding(|name, optional| format!("({name}, {optional})"));
        let _ = write!(
            registrations,
            "        .activity({name}, |ctx: Ctx, args: Value| async move {{
            let params: {params_name} = bind(&args, &[{params}])?;
            let result = {func}(&ctx, params).await?;
            serde_json::to_value(result).map_err(Error::permanent)
        }})
",
            name = quote(&a.name),
        );
    }
}

impl Gen<Rust> {
    /// The Rust type of `t`; inline objects become structs named after
    /// `hint`.
    pub(crate) fn ty(&mut self, t: &Type, hint: &str) -> String {
        match t {
            // A choice is a string here; the checker checks the literals.
            Type::String | Type::Literal(_) => "String".into(),
            Type::Number => "f64".into(),
            Type::Int => "i64".into(),
            Type::Bool => "bool".into(),
            Type::Any | Type::Null | Type::Duration | Type::Time => "Value".into(),
            Type::List(inner) => format!("Vec<{}>", self.ty(inner, &format!("{hint}Item"))),
            Type::Named(n) => pascal(n),
            Type::Object { fields, open } => {
                let name = self.defs.fresh(hint);
                let def = self.object(&name, fields, *open, "");
                self.defs.push(def);
                name
            }
            Type::Union(members) => {
                let non_null: Vec<&Type> = members.iter().filter(|m| **m != Type::Null).collect();
                if non_null.len() == 1 && non_null.len() < members.len() {
                    let inner = self.ty(non_null[0], hint);
                    // A reference to a named type may be recursive: box it.
                    if matches!(non_null[0], Type::Named(_)) {
                        format!("Option<Box<{inner}>>")
                    } else {
                        format!("Option<{inner}>")
                    }
                } else if !non_null.is_empty()
                    && non_null
                        .iter()
                        .all(|m| matches!(m, Type::Literal(_) | Type::String))
                {
                    // A choice of texts is a string, as one literal is.
                    if non_null.len() < members.len() {
                        "Option<String>".into()
                    } else {
                        "String".into()
                    }
                } else {
                    "Value".into()
                }
            }
        }
    }

    /// A struct for an object type.
    pub(crate) fn object(&mut self, name: &str, fields: &[Field], open: bool, doc: &str) -> String {
        let mut body = String::new();
        let mut taken: HashSet<String> = HashSet::new();
        for f in fields {
            let mut ident = snake(&f.name);
            if KEYWORDS.contains(&ident.as_str()) {
                ident.push('_');
            }
            while !taken.insert(ident.clone()) {
                ident.push('_');
            }
            let mut ty = self.ty(&f.ty, &format!("{name}{}", pascal(&f.name)));
            let mut attrs = Vec::new();
            if ident != f.name {
                attrs.push(format!("rename = {}", quote(&f.name)));
            }
            if f.optional || ty.starts_with("Option<") {
                if !ty.starts_with("Option<") {
                    ty = format!("Option<{ty}>");
                }
                attrs.push("default".into());
                attrs.push("skip_serializing_if = \"Option::is_none\"".into());
            }
            let _ = writeln!(body, "    /// `{}: {}`", f.name, f.ty);
            if !attrs.is_empty() {
                let _ = writeln!(body, "    #[serde({})]", attrs.join(", "));
            }
            let _ = writeln!(body, "    pub {ident}: {ty},");
        }
        if open {
            let mut extra = "extra".to_string();
            while taken.contains(&extra) {
                extra.push('_');
            }
            let _ = writeln!(body, "    /// The other fields (the object type is open).");
            let _ = writeln!(body, "    #[serde(flatten)]");
            let _ = writeln!(body, "    pub {extra}: serde_json::Map<String, Value>,");
        }
        let mut out = String::new();
        if !doc.is_empty() {
            let _ = writeln!(out, "/// {doc}");
        }
        let _ = writeln!(
            out,
            "#[derive(Clone, Debug, Default, Serialize, Deserialize)]"
        );
        let _ = writeln!(out, "pub struct {name} {{");
        out.push_str(&body);
        out.push_str("}\n");
        out
    }
}

const HEADER: &str = r#"//! A Weft worker, generated by `weft stubs --lang rust`: one handler per
//! activity the flows call. Each fails with "not implemented" until you
//! write it. Run it with `WEFT_URL` (default http://127.0.0.1:7400) and,
//! if the server has one, `WEFT_TOKEN`.
//!
//! Cargo.toml needs: weft-worker, serde (feature "derive"), serde_json,
//! tokio (features "macros", "rt-multi-thread").

#![allow(dead_code, unused_imports)]

use serde::{Deserialize, Serialize};
use serde_json::Value;
use weft_worker::{Ctx, Error, Worker};

// ----- the types -----
"#;

const MAIN: &str = r#"
// ----- the worker -----

#[tokio::main]
async fn main() -> Result<(), weft_worker::ClientError> {
    let url = std::env::var("WEFT_URL").unwrap_or_else(|_| "http://127.0.0.1:7400".to_string());
    let mut worker = Worker::new(url);
    if let Ok(token) = std::env::var("WEFT_TOKEN") {
        worker = worker.token(token);
    }
    worker
{registrations}        .run()
        .await
}
"#;

const BIND: &str = r#"
/// Reads a call's arguments (a JSON list: positional ones, then one object
/// of the named ones, if any) by parameter name: `params` are the
/// parameters in order, with whether each is optional. This is the rule of
/// docs/language.md, "How a declared activity receives its arguments".
fn bind<T: serde::de::DeserializeOwned>(args: &Value, params: &[(&str, bool)]) -> Result<T, Error> {
    let items = args
        .as_array()
        .ok_or_else(|| Error::permanent("the arguments are not a list"))?;
    let mut out = serde_json::Map::new();
    let named = match items.split_last() {
        Some((Value::Object(named), positional))
            if positional.len() < params.len()
                && named
                    .keys()
                    .all(|k| params[positional.len()..].iter().any(|(n, _)| n == k))
                && params.iter().enumerate().all(|(i, (n, optional))| {
                    *optional || i < positional.len() || named.contains_key(*n)
                }) =>
        {
            for (i, v) in positional.iter().enumerate() {
                out.insert(params[i].0.to_string(), v.clone());
            }
            for (k, v) in named {
                out.insert(k.clone(), v.clone());
            }
            true
        }
        _ => false,
    };
    if !named {
        if items.len() > params.len() {
            return Err(Error::permanent(format!(
                "{} arguments were given; the activity takes {}",
                items.len(),
                params.len()
            )));
        }
        for (i, v) in items.iter().enumerate() {
            out.insert(params[i].0.to_string(), v.clone());
        }
    }
    serde_json::from_value(Value::Object(out))
        .map_err(|e| Error::permanent(format!("the arguments do not fit the declaration: {e}")))
}
"#;

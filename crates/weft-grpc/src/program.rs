//! A program's `@grpc` bindings against the `.proto` files deployed with
//! it: diagnostics for `weft check` and the deploy, and the resolved
//! methods the server calls.

use std::collections::BTreeMap;

use weft_check::codes;
use weft_check::contract::grpc::GrpcBinding;
use weft_check::SourceFile;
use weft_syntax::{Diagnostic, Span};

use crate::method::Method;
use crate::protos::{self, Sources};
use crate::Error;

/// A finding about a program's `@grpc` bindings, in the file it is about (a
/// Weft file, or a `.proto` that does not compile).
#[derive(Clone, Debug)]
pub struct Finding {
    /// The file's name, as in the program.
    pub file: String,
    /// What is wrong (E0207).
    pub diagnostic: Diagnostic,
}

/// A valid `@grpc` binding and where it is declared.
#[derive(Clone, Debug)]
pub struct Bound<'a> {
    /// The file that declares it.
    pub file: &'a str,
    /// The annotation.
    pub span: Span,
    /// The activity.
    pub activity: String,
    /// The binding.
    pub binding: GrpcBinding,
}

/// The valid `@grpc` bindings of `files`, the first declaration of each
/// activity.
pub fn bound<'a>(files: &[SourceFile<'a>]) -> Vec<Bound<'a>> {
    let mut out: Vec<Bound<'a>> = Vec::new();
    for f in files {
        for decl in f.module.activities() {
            if out.iter().any(|b| b.activity == decl.name.name) {
                continue;
            }
            let (Ok(Some(binding)), Some(ann)) = (
                GrpcBinding::from_decl(decl),
                decl.annotation(weft_check::contract::grpc::ANNOTATION),
            ) else {
                continue;
            };
            out.push(Bound {
                file: f.name,
                span: ann.span,
                activity: decl.name.name.clone(),
                binding,
            });
        }
    }
    out
}

/// Checks the `@grpc` bindings of `files` (Weft files that parse) against
/// `protos`: every `.proto` compiles, and each binding's file, service,
/// method (unary) and fields exist. Nothing to say when the program has
/// neither bindings nor `.proto` files.
pub fn check(files: &[SourceFile<'_>], protos: &Sources) -> Vec<Finding> {
    let bound = bound(files);
    if bound.is_empty() && protos.is_empty() {
        return Vec::new();
    }
    let pool = match protos::compile(protos) {
        Ok(p) => p,
        Err(e) => {
            let (file, span, message) = match &e {
                Error::Proto { file, span, .. } if protos.contains_key(file) => (
                    file.clone(),
                    span.map_or(Span::new(0, 0), |(s, e)| Span::new(s, e)),
                    e.to_string(),
                ),
                // A limit of the whole set: said at the first binding, or
                // the first file.
                _ => match (bound.first(), protos.keys().next()) {
                    (Some(b), _) => (b.file.to_string(), b.span, e.to_string()),
                    (None, Some(first)) => (first.clone(), Span::new(0, 0), e.to_string()),
                    (None, None) => (String::new(), Span::new(0, 0), e.to_string()),
                },
            };
            return vec![Finding {
                file,
                diagnostic: Diagnostic::error(codes::BINDING, span, message),
            }];
        }
    };
    bound
        .into_iter()
        .filter_map(|b| {
            let why = Method::resolve(&b.binding, &pool).err()?;
            Some(Finding {
                file: b.file.to_string(),
                diagnostic: Diagnostic::error(codes::BINDING, b.span, why),
            })
        })
        .collect()
}

/// The methods of the `@grpc` bindings of `files`, by activity: those that
/// resolve against `protos` (a program that was deployed passed
/// [`check`]).
pub fn methods(
    files: &[SourceFile<'_>],
    protos: &Sources,
) -> Result<BTreeMap<String, Method>, Error> {
    let bound = bound(files);
    if bound.is_empty() {
        return Ok(BTreeMap::new());
    }
    let pool = protos::compile(protos)?;
    Ok(bound
        .into_iter()
        .filter_map(|b| Some((b.activity, Method::resolve(&b.binding, &pool).ok()?)))
        .collect())
}

/// The `.proto` files the `@grpc` bindings of `files` name, each once.
pub fn named_protos(files: &[SourceFile<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for b in bound(files) {
        if !out.contains(&b.binding.proto) {
            out.push(b.binding.proto);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTO: &str = "syntax = \"proto3\";\npackage p;\nmessage R { string id = 1; }\nservice S { rpc Get(R) returns (R); }\n";

    fn run(weft: &str, protos: &[(&str, &str)]) -> Vec<(String, String)> {
        let parsed = weft_syntax::parse(weft);
        assert!(!parsed.has_errors());
        let files = [SourceFile {
            name: "a.weft",
            module: &parsed.module,
        }];
        let protos: Sources = protos
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        check(&files, &protos)
            .into_iter()
            .map(|f| (f.file, f.diagnostic.message))
            .collect()
    }

    const GET: &str = r#"activity Get(id?: string) -> any @grpc(target: "http://x:1", proto: "p.proto", service: "p.S", method: "Get")"#;

    #[test]
    fn bindings_against_their_protos() {
        assert!(run(GET, &[("p.proto", PROTO)]).is_empty());
        assert!(run("flow F() { return 1 }", &[]).is_empty());
        let f = run(GET, &[]);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].1.starts_with("the program has no file `p.proto`"),
            "{f:?}"
        );
        let f = run(GET, &[("p.proto", "syntax = \"proto3\";\nmessage {")]);
        assert_eq!(f[0].0, "p.proto");
        assert!(f[0].1.starts_with("p.proto: 2:9: "), "{f:?}");
        let f = run(&GET.replace("Get\")", "Put\")"), &[("p.proto", PROTO)]);
        assert_eq!(
            f[0],
            (
                "a.weft".to_string(),
                "the service `p.S` has no method `Put`; it has `Get`".to_string()
            )
        );
    }

    #[test]
    fn methods_and_named_protos() {
        let parsed = weft_syntax::parse(GET);
        let files = [SourceFile {
            name: "a.weft",
            module: &parsed.module,
        }];
        assert_eq!(named_protos(&files), vec!["p.proto"]);
        let m = methods(&files, &Sources::from([("p.proto".into(), PROTO.into())])).unwrap();
        assert_eq!(m["Get"].shown(), "p.S/Get");
    }
}

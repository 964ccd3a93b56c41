//! The declarations themselves: names (E0200, E0202), types (E0201,
//! E0208), bindings (E0207) and declared activities no flow calls (W0210).

use crate::codes;
use crate::contract::grpc::GrpcBinding;
use crate::contract::http::HttpBinding;
use crate::contract::types::ALIAS_DEPTH_MAX;
use crate::contract::Contracts;
use crate::program::Program;
use crate::suggest;
use crate::typing::ActivityCall;
use crate::SourceFile;
use std::collections::{HashMap, HashSet};
use weft_syntax::ast::{ActivityDecl, Key, TypeDecl, TypeExpr, TypeKind};
use weft_syntax::{lang, Diagnostic, Span};

/// Checks every declaration of `files`, appending to `out` (one list per
/// file). `calls` are the activity calls of the program's flows.
pub(crate) fn check(
    files: &[SourceFile<'_>],
    program: &Program<'_>,
    contracts: &Contracts<'_>,
    calls: &[ActivityCall],
    out: &mut [Vec<Diagnostic>],
) {
    let called: HashSet<&str> = calls.iter().map(|c| c.name.as_str()).collect();
    for (file, source) in files.iter().enumerate() {
        let diags = &mut out[file];
        for decl in source.module.types() {
            type_decl(files, file, decl, contracts, diags);
        }
        for decl in source.module.activities() {
            activity(files, file, decl, program, contracts, &called, diags);
        }
        for flow in source.module.flows() {
            if let Some(a) = contracts.activities.get(flow.name.name.as_str()) {
                let d = Diagnostic::error(
                    codes::DECLARATION_NAME_CLASH,
                    flow.name.span,
                    format!(
                        "the flow `{}` has the name of a declared activity",
                        flow.name.name
                    ),
                );
                diags.push(point_at(
                    d,
                    files,
                    file,
                    a.file,
                    a.decl.name.span,
                    "the activity is declared here",
                ));
            }
        }
    }
}

/// A label at `span` when it is in `file`, a help naming its file otherwise.
fn point_at(
    d: Diagnostic,
    files: &[SourceFile<'_>],
    file: usize,
    other_file: usize,
    span: Span,
    what: &str,
) -> Diagnostic {
    if file == other_file {
        d.with_label(span, what)
    } else {
        d.with_help(format!("{what}, in `{}`", files[other_file].name))
    }
}

fn type_decl(
    files: &[SourceFile<'_>],
    file: usize,
    decl: &TypeDecl,
    contracts: &Contracts<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let name = decl.name.name.as_str();
    if lang::is_builtin_type(name) {
        diags.push(
            Diagnostic::error(
                codes::DUPLICATE_DECLARATION,
                decl.name.span,
                format!("`{name}` is a built-in type"),
            )
            .with_help("give the type another name"),
        );
    } else if let Some(first) = contracts.type_decls.get(name) {
        if !std::ptr::eq(first.decl, decl) {
            let d = Diagnostic::error(
                codes::DUPLICATE_DECLARATION,
                decl.name.span,
                format!("the type `{name}` is declared twice"),
            );
            diags.push(point_at(
                d,
                files,
                file,
                first.file,
                first.decl.name.span,
                "it is first declared here",
            ));
        }
    }
    type_expr(&decl.ty, contracts, diags);
    if let Some(path) = cycle(name, contracts) {
        diags.push(
            Diagnostic::error(
                codes::TYPE_CYCLE,
                decl.name.span,
                format!("the type `{name}` is defined only by itself: {path}"),
            )
            .with_help("a type may refer to itself only inside a list or an object"),
        );
    }
}

/// `A -> B -> A` when following `name`'s references at the top (through
/// unions, not into lists or objects) comes back to `name`.
fn cycle(name: &str, contracts: &Contracts<'_>) -> Option<String> {
    let mut path = vec![name.to_string()];
    let mut frontier = vec![name.to_string()];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for _ in 0..ALIAS_DEPTH_MAX {
        let mut next = Vec::new();
        for n in &frontier {
            let Some(d) = contracts.type_decls.get(n.as_str()) else {
                continue;
            };
            top_names(&d.decl.ty, &mut next);
        }
        if next.iter().any(|n| n == name) {
            path.push(name.to_string());
            return Some(path.join(" -> "));
        }
        next.retain(|n| seen.insert(n.clone(), 0).is_none());
        if next.is_empty() {
            return None;
        }
        path.push(next[0].clone());
        frontier = next;
    }
    None
}

fn top_names(t: &TypeExpr, out: &mut Vec<String>) {
    match &t.kind {
        TypeKind::Name(n) if !lang::is_builtin_type(n) => out.push(n.clone()),
        TypeKind::Union(members) => members.iter().for_each(|m| top_names(m, out)),
        _ => {}
    }
}

/// E0201 for unknown names, E0200 for fields declared twice.
pub(crate) fn type_expr(t: &TypeExpr, contracts: &Contracts<'_>, diags: &mut Vec<Diagnostic>) {
    match &t.kind {
        TypeKind::Name(n) => {
            if lang::is_builtin_type(n) || contracts.types.contains(n) {
                return;
            }
            let candidates = lang::TYPES
                .iter()
                .map(|(n, _)| *n)
                .chain(contracts.type_decls.keys().copied());
            let suggestion = suggest::closest(n, candidates);
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "declare it: `type Name = {...}`; the built-in types are string, number, int, bool, null, any, duration and time".to_string(),
            };
            let mut d =
                Diagnostic::error(codes::UNKNOWN_TYPE, t.span, format!("unknown type `{n}`"))
                    .with_help(help);
            if let Some(s) = suggestion {
                d = d.with_replacement(t.span, s);
            }
            diags.push(d);
        }
        TypeKind::List(inner) => type_expr(inner, contracts, diags),
        TypeKind::Object(o) => {
            let mut seen: Vec<&Key> = Vec::new();
            for f in &o.fields {
                if seen.iter().any(|k| k.name == f.key.name) {
                    diags.push(Diagnostic::error(
                        codes::DUPLICATE_DECLARATION,
                        f.key.span,
                        format!("the field `{}` is declared twice", f.key.name),
                    ));
                }
                seen.push(&f.key);
                type_expr(&f.ty, contracts, diags);
            }
        }
        TypeKind::Union(members) => members.iter().for_each(|m| type_expr(m, contracts, diags)),
        TypeKind::Literal(_) | TypeKind::Error => {}
    }
}

fn activity(
    files: &[SourceFile<'_>],
    file: usize,
    decl: &ActivityDecl,
    program: &Program<'_>,
    contracts: &Contracts<'_>,
    called: &HashSet<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let name = decl.name.name.as_str();
    let first = contracts.activities.get(name);
    let is_first = first.is_some_and(|f| std::ptr::eq(f.decl, decl));
    if let Some(first) = first.filter(|_| !is_first) {
        let d = Diagnostic::error(
            codes::DUPLICATE_DECLARATION,
            decl.name.span,
            format!("the activity `{name}` is declared twice"),
        );
        diags.push(point_at(
            d,
            files,
            file,
            first.file,
            first.decl.name.span,
            "it is first declared here",
        ));
    }
    if lang::builtin(name).is_some() {
        diags.push(
            Diagnostic::error(
                codes::DECLARATION_NAME_CLASH,
                decl.name.span,
                format!("`{name}` is a built-in, not an activity"),
            )
            .with_help("calls of this name call the built-in; rename the activity"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in &decl.params {
        if seen.contains(&p.name.name.as_str()) {
            diags.push(Diagnostic::error(
                codes::DUPLICATE_PARAMETER,
                p.name.span,
                format!("the parameter `{}` is declared twice", p.name.name),
            ));
        }
        seen.push(&p.name.name);
        type_expr(&p.ty, contracts, diags);
    }
    if let Some(r) = &decl.result {
        type_expr(r, contracts, diags);
    }
    for ann in &decl.annotations {
        if lang::DECLARATION_ANNOTATIONS
            .iter()
            .all(|a| a.name != ann.name.name)
        {
            diags.push(
                Diagnostic::error(
                    codes::BINDING,
                    ann.span,
                    format!("`@{}` does not apply to a declaration", ann.name.name),
                )
                .with_help("a declaration takes `@http(method: ..., url: ...)` or `@grpc(target: ..., proto: ..., service: ..., method: ...)`; `@retry`, `@timeout` and `@catch` go on calls"),
            );
        }
    }
    let count = |ann: &str| {
        decl.annotations
            .iter()
            .filter(|a| a.name.name == ann)
            .count()
    };
    for ann in ["http", "grpc"] {
        if count(ann) > 1 {
            diags.push(Diagnostic::error(
                codes::BINDING,
                decl.name.span,
                format!("`{name}` has more than one `@{ann}`"),
            ));
        }
    }
    if count("http") > 0 && count("grpc") > 0 {
        diags.push(
            Diagnostic::error(
                codes::BINDING,
                decl.name.span,
                format!("`{name}` has both `@http` and `@grpc`"),
            )
            .with_help("an activity is carried out in one place: keep one binding"),
        );
    }
    if let Err(mistakes) = HttpBinding::from_decl(decl) {
        for m in mistakes {
            diags.push(Diagnostic::error(codes::BINDING, m.span, m.message));
        }
    }
    if let Err(mistakes) = GrpcBinding::from_decl(decl) {
        for m in mistakes {
            diags.push(Diagnostic::error(codes::BINDING, m.span, m.message));
        }
    }
    if is_first
        && !called.contains(name)
        && !program.flows.contains_key(name)
        && lang::builtin(name).is_none()
    {
        diags.push(
            Diagnostic::warning(
                codes::UNUSED_ACTIVITY,
                decl.name.span,
                format!("the activity `{name}` is declared but no flow calls it"),
            )
            .with_help("remove the declaration, or call the activity"),
        );
    }
}

//! Hover: what the name under the cursor is.

use super::completion::times;
use super::resolve::{ItemKind, NameRef, Role, ScopeKind, Target, VarKind};
use super::{Global, Program};
use weft_syntax::{lang, Span};

/// A hover: the name's span and Markdown about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The name hovered.
    pub span: Span,
    /// What to show.
    pub markdown: String,
}

/// The hover at `offset` of file `file`.
pub fn hover(program: &Program, file: usize, offset: u32) -> Option<Hover> {
    let f = program.files.get(file)?;
    let r = f.index.ref_at(offset)?;
    let markdown = match &r.target {
        Target::Var(id) => variable(program, file, r, *id),
        Target::InlineFlow(def) => inline_flow(program, file, *def)?,
        Target::Global => global(program, r)?,
        Target::Annotation => {
            let a = lang::annotation(&r.name)?;
            format!("```weft\n{}\n```\n\n{}", a.signature, a.doc)
        }
    };
    Some(Hover {
        span: r.span,
        markdown,
    })
}

/// How a hover names a scope: "flow `A`", "inline flow `B`", "a `func`".
fn scope_noun(program: &Program, file: usize, scope: usize) -> String {
    let s = &program.files[file].index.scopes[scope];
    let name = s.name.as_ref().map(|n| n.name.as_str()).unwrap_or("");
    match s.kind {
        ScopeKind::Flow => format!("flow `{name}`"),
        ScopeKind::InlineFlow => format!("inline flow `{name}`"),
        ScopeKind::Func => format!("`func{}`", s.params),
    }
}

fn variable(program: &Program, file: usize, r: &NameRef, id: usize) -> String {
    let f = &program.files[file];
    let var = &f.index.vars[id];
    let at = f.lines.line_col(&f.text, var.def.start);
    let line = f.lines.line_text(&f.text, at.line as usize - 1).trim();
    let owner = scope_noun(program, file, var.scope);
    let how = match var.kind {
        VarKind::Param => format!("parameter of {owner}"),
        VarKind::Input => format!("input of {owner}, bound where the inline flow starts"),
        VarKind::Let => format!(
            "variable of {owner}, declared with `let` on line {}",
            at.line
        ),
        VarKind::Var => format!(
            "variable of {owner}, declared with `var` on line {}",
            at.line
        ),
        VarKind::Loop => format!("loop variable of {owner}, line {}", at.line),
        VarKind::Assigned => format!("variable of {owner}, first assigned on line {}", at.line),
    };
    let mut md = format!(
        "```weft\n{line}\n```\n\n`{}`: {} {how}",
        var.name,
        article(var.kind)
    );
    if let Some(scope) = r.scope {
        if scope != var.scope && f.index.is_within(scope, var.scope) {
            // The nearest scope of its own between the name and the variable.
            let mut s = scope;
            while let Some(p) = f.index.scopes[s].parent {
                if p == var.scope {
                    break;
                }
                s = p;
            }
            md.push_str(&format!(
                "\n\nCaptured by {}: it holds the value `{}` had when it started; assigning it there changes only its copy.",
                scope_noun(program, file, s),
                var.name
            ));
        }
    }
    md
}

fn article(kind: VarKind) -> &'static str {
    match kind {
        VarKind::Input => "an",
        _ => "a",
    }
}

fn inline_flow(program: &Program, file: usize, def: Span) -> Option<String> {
    let f = &program.files[file];
    let (id, s) = f.index.scopes.iter().enumerate().find(|(_, s)| {
        s.kind == ScopeKind::InlineFlow && s.name.as_ref().is_some_and(|n| n.span == def)
    })?;
    let name = &s.name.as_ref()?.name;
    let parent = s
        .parent
        .map(|p| scope_noun(program, file, p))
        .unwrap_or_default();
    let _ = id;
    Some(format!(
        "```weft\nflow {name}{}\n```\n\nInline flow in {parent}: a child run that starts where it is written; using its value waits for its result.",
        s.params
    ))
}

fn global(program: &Program, r: &NameRef) -> Option<String> {
    match program.global(&r.name) {
        Global::Flow { file, item } => {
            let f = &program.files[file];
            let line = f.lines.line_col(&f.text, item.span.start).line;
            let calls: usize = program
                .files
                .iter()
                .flat_map(|f| &f.index.refs)
                .filter(|x| x.target == Target::Global && x.name == r.name && x.role == Role::Call)
                .count();
            let what = match item.kind {
                ItemKind::Flow { .. } => "Flow",
            };
            Some(format!(
                "```weft\n{}\n```\n\n{what} of this program, declared in `{}` on line {line}; called {}.",
                item.signature(),
                f.name,
                times(calls)
            ))
        }
        Global::Builtin(b) => Some(format!("```weft\n{}\n```\n\n{}", b.signature, b.doc)),
        // Hook: a declared activity (a contract) will resolve to an item,
        // like a flow, and show its signature; this is an undeclared one.
        Global::Activity(a) => Some(format!(
            "```weft\n{}(...)\n```\n\nActivity: a call to another system, carried out by whatever it is bound to (a worker, an HTTP endpoint, a mock). Called {} in this program.",
            a.name,
            times(a.calls.len())
        )),
        Global::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn hover_md(text: &str) -> String {
        let (program, file, offset) = fixture::parse(text);
        hover(&program, file, offset)
            .map(|h| h.markdown)
            .unwrap_or_default()
    }

    #[test]
    fn variables() {
        let md = hover_md("flow A(input) {\n  r = F(inp$0ut)\n}\n");
        assert!(md.contains("parameter of flow `A`"), "{md}");
        let md = hover_md("flow A(input) {\n  let total = 0\n  total += 1\n  return tot$0al\n}\n");
        assert!(md.contains("let total = 0"), "{md}");
        assert!(md.contains("declared with `let` on line 2"), "{md}");
        let md = hover_md("flow A(xs) {\n  for x in xs {\n    F($0x)\n  }\n}\n");
        assert!(md.contains("loop variable of flow `A`"), "{md}");
        let md = hover_md("flow A(xs) {\n  n = 1\n  f = func() { return $0n }\n}\n");
        assert!(md.contains("first assigned on line 2"), "{md}");
        assert!(md.contains("Captured by `func()`"), "{md}");
    }

    #[test]
    fn globals_and_annotations() {
        let md = hover_md("flow A(x) {\n  return le$0n(x)\n}\n");
        assert!(md.contains("len(x) -> number"), "{md}");
        let md = hover_md("flow A(x) {\n  F(x) @ret$0ry(3)\n  F(x)\n}\n");
        assert!(md.contains("@retry(n, backoff"), "{md}");
        let md = hover_md("flow A(x) {\n  $0F(x)\n  F(x)\n}\n");
        assert!(md.contains("Called 2 times"), "{md}");
        let md = hover_md(
            "//- a.weft\nflow A(x) {\n  return $0B(x)\n}\n//- b.weft\n\nflow B(y) { return y }\n",
        );
        assert!(md.contains("flow B(y)"), "{md}");
        assert!(
            md.contains("declared in `b.weft` on line 2; called once"),
            "{md}"
        );
        let md = hover_md("flow A(x) {\n  c = flow Child(x) { return $0Child(x) }\n}\n");
        assert!(md.contains("flow Child(x)"), "{md}");
    }
}

//! Hover: what the name under the cursor is.

use super::completion::times;
use super::resolve::{ItemInfo, ItemKind, NameRef, Role, ScopeKind, Target, VarKind};
use super::{Activity, Global, Program, TypeName};
use weft_check::contract::types::Type;
use weft_syntax::ast::{Expr, ExprKind, Ident, Module};
use weft_syntax::visit::{self, Visitor};
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
    if let Some(h) = field(program, file, offset) {
        return Some(h);
    }
    // On the `@` of an annotation: the annotation.
    let offset = if f.text.as_bytes().get(offset as usize) == Some(&b'@') {
        offset + 1
    } else {
        offset
    };
    let r = f.index.ref_at(offset)?;
    let markdown = match &r.target {
        Target::Var(id) => variable(program, file, r, *id),
        Target::InlineFlow(def) => inline_flow(program, file, *def)?,
        Target::Global => global(program, r)?,
        Target::Annotation => {
            let a = lang::annotation(&r.name).or_else(|| {
                lang::DECLARATION_ANNOTATIONS
                    .iter()
                    .find(|a| a.name == r.name)
            })?;
            format!("```weft\n{}\n```\n\n{}", a.signature, a.doc)
        }
        Target::Type => type_name(program, r)?,
        Target::DeclParam(activity) => decl_param(program, file, r, activity)?,
        Target::NamedArg(callee) => {
            // The hover of the parameter it passes, where it is declared.
            let at = program.parameter(callee, &r.name)?;
            let p = program.ref_at(at)?;
            if matches!(p.target, Target::NamedArg(_)) {
                return None;
            }
            return hover(program, at.file, at.span.start).map(|h| Hover {
                span: r.span,
                markdown: h.markdown,
            });
        }
    };
    // A call that forks by assignment says so, and where it is joined.
    let markdown = match assigned_fork(program, file, r.span) {
        Some(note) => format!("{markdown}\n\n{note}"),
        None => markdown,
    };
    Some(Hover {
        span: r.span,
        markdown,
    })
}

/// "Starts as a branch; joined at line N" when `span` is the callee of a
/// call that forks by assignment (`weft_check::forks`).
fn assigned_fork(program: &Program, file: usize, span: Span) -> Option<String> {
    let f = program.files.get(file)?;
    let found = weft_check::forks(&program.sources())
        .into_iter()
        .nth(file)?;
    let fork = found
        .forks
        .iter()
        .find(|k| k.kind == weft_check::ForkKind::Assigned && k.span.start == span.start)?;
    let join = fork.join?;
    let line = f.lines.line_col(&f.text, join.start).line;
    Some(format!(
        "Starts as a branch; joined at line {line} (`{}`). The flow goes on meanwhile.",
        f.text.get(join.start as usize..join.end as usize)?
    ))
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
    // With its type when the checker infers one: `reserved: {status: string}`.
    let typed = match variable_type(program, file, r.span, &var.name) {
        Some(t) => format!("{}: {t}", var.name),
        None => var.name.clone(),
    };
    let mut md = format!(
        "```weft\n{line}\n```\n\n`{typed}`: {} {how}",
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

/// The type the checker infers for the variable `name` seen at `at`: in
/// the innermost function around it that has the variable.
fn variable_type(program: &Program, file: usize, at: Span, name: &str) -> Option<Type> {
    let sources = program.sources();
    weft_check::variable_types(&sources)
        .into_iter()
        .rev()
        .filter(|k| k.file == file && k.body.start <= at.start && at.end <= k.body.end)
        .find_map(|k| k.vars.get(name).cloned())
        .flatten()
}

/// The hover of a field read, `status` of `reserved.status`, when the
/// type of what it is read from is known.
fn field(program: &Program, file: usize, offset: u32) -> Option<Hover> {
    let f = &program.files[file];
    let (object, name) = member_at(&f.parse.module, offset)?;
    // The names of the chain, from its variable: `a.b.c` reads `c` of
    // `a.b`.
    let mut path = Vec::new();
    let mut e = &object;
    let root = loop {
        match &e.unparen().kind {
            ExprKind::Member { object, name } => {
                path.push(name.name.clone());
                e = object;
            }
            ExprKind::Name(n) => break (n.clone(), e.span),
            _ => return None,
        }
    };
    path.reverse();
    f.index
        .lookup_var(f.index.scope_at(root.1.start), &root.0)?;
    let mut ty = variable_type(program, file, root.1, &root.0)?;
    let sources = program.sources();
    let contracts = weft_check::contract::Contracts::index(&sources);
    for step in &path {
        ty = contracts.types.field(&ty, step).ok()??;
    }
    let field_ty = contracts.types.field(&ty, &name.name).ok()??;
    let owner = f.slice(object.span);
    Some(Hover {
        span: name.span,
        markdown: format!(
            "```weft\n{}: {field_ty}\n```\n\nField of `{owner}`, whose type is `{ty}`.",
            name.name
        ),
    })
}

/// The field read (`object.name`) whose name is at `offset`.
fn member_at(module: &Module, offset: u32) -> Option<(Expr, Ident)> {
    struct Finder {
        offset: u32,
        found: Option<(Expr, Ident)>,
    }
    impl Visitor<'_> for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            if self.found.is_some() || !e.span.contains(self.offset) {
                return;
            }
            if let ExprKind::Member { object, name } = &e.kind {
                if name.span.contains(self.offset) {
                    self.found = Some(((**object).clone(), name.clone()));
                    return;
                }
            }
            visit::walk_expr(self, e);
        }
    }
    let mut finder = Finder {
        offset,
        found: None,
    };
    visit::walk_module(&mut finder, module);
    finder.found
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

/// Where an item is declared: "declared in `a.weft` on line 3".
fn declared_at(program: &Program, file: usize, item: &ItemInfo) -> String {
    let f = &program.files[file];
    let line = f.lines.line_col(&f.text, item.span.start).line;
    format!("declared in `{}` on line {line}", f.name)
}

fn global(program: &Program, r: &NameRef) -> Option<String> {
    match program.global(&r.name) {
        Global::Flow { file, item } => {
            let calls: usize = program
                .files
                .iter()
                .flat_map(|f| &f.index.refs)
                .filter(|x| x.target == Target::Global && x.name == r.name && x.role == Role::Call)
                .count();
            Some(format!(
                "```weft\n{}\n```\n\nFlow of this program, {}; called {}.",
                item.signature(),
                declared_at(program, file, item),
                times(calls)
            ))
        }
        Global::Builtin(b) => Some(format!("```weft\n{}\n```\n\n{}", b.signature, b.doc)),
        Global::Activity(a) => Some(activity(program, &a)),
        Global::Unknown => None,
    }
}

/// A declared activity: its signature, its binding, where it is declared
/// and how often it is called. An undeclared one: what an activity is.
fn activity(program: &Program, a: &Activity<'_>) -> String {
    let Some((file, item)) = a.decl else {
        return format!(
            "```weft\n{}(...)\n```\n\nActivity: a call to another system, carried out by whatever it is bound to (a worker, an HTTP endpoint, a mock). Called {} in this program.",
            a.name,
            times(a.calls.len())
        );
    };
    let mut md = format!("```weft\n{}\n```\n\n", item.signature());
    if let ItemKind::Activity {
        http: Some((method, url)),
        ..
    } = &item.kind
    {
        md.push_str(&format!(
            "`@http`: `{method} {url}` (the server calls it directly).\n\n"
        ));
    }
    md.push_str(&format!(
        "Activity {}; called {}.",
        declared_at(program, file, item),
        times(a.calls.len())
    ));
    md
}

fn type_name(program: &Program, r: &NameRef) -> Option<String> {
    match program.type_name(&r.name) {
        TypeName::Builtin((name, admits)) => {
            Some(format!("```weft\n{name}\n```\n\nBuilt-in type: {admits}."))
        }
        TypeName::Declared { file, item } => {
            let uses = program
                .files
                .iter()
                .flat_map(|f| &f.index.refs)
                .filter(|x| x.target == Target::Type && x.name == r.name && x.role != Role::Def)
                .count();
            Some(format!(
                "```weft\n{}\n```\n\nType {}; used {} in declarations.",
                item.signature(),
                declared_at(program, file, item),
                times(uses)
            ))
        }
        TypeName::Unknown => None,
    }
}

fn decl_param(program: &Program, file: usize, r: &NameRef, activity: &str) -> Option<String> {
    // The declaration this name is written in.
    let item = program.files[file]
        .index
        .items
        .iter()
        .find(|i| i.span.contains(r.span.start) && i.name.name == activity)?;
    let ItemKind::Activity { params, .. } = &item.kind else {
        return None;
    };
    let p = params.iter().find(|p| p.name.name == r.name)?;
    let optional = if p.optional {
        " A call may leave it out."
    } else {
        ""
    };
    Some(format!(
        "```weft\n{}\n```\n\nParameter of activity `{activity}`: a call passes it by position or as `{}: ...`.{optional}",
        p.signature(),
        p.name.name
    ))
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
    fn fork_by_assignment() {
        let md =
            hover_md("flow A(o) {\n    c = Ch$0eck(o)\n    Log(o)\n    return WaitAll([c])\n}\n");
        assert!(
            md.contains("Starts as a branch; joined at line 4 (`WaitAll`)"),
            "{md}"
        );
        let md =
            hover_md("flow A(o) {\n    c = Ch$0eck(o)\n    Log(c)\n    return WaitAll([c])\n}\n");
        assert!(!md.contains("branch"), "{md}");
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

    const CONTRACTS: &str = "//- contracts.weft\ntype Card = {number: string, holder?: string}\nactivity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}\nactivity Charge(card: Card, note?: string) -> {id: string}\nactivity GetPet(petId: int) -> any\n    @http(method: \"GET\", url: \"https://pets.test/pet/{petId}\")\n";

    fn hover_decl(main: &str) -> String {
        hover_md(&format!("{CONTRACTS}//- main.weft\n{main}"))
    }

    #[test]
    fn declared_activities() {
        let signature =
            "activity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}";
        // On a call, in another file than the declaration.
        let md = hover_decl("flow A(x) {\n  r = Reserve$0Nick(x)\n  ReserveNick(r.nick)\n}\n");
        assert!(md.contains(signature), "{md}");
        assert!(
            md.contains("Activity declared in `contracts.weft` on line 2; called 2 times."),
            "{md}"
        );
        assert!(!md.contains("@http"), "{md}");
        // On the declaration.
        let md = hover_md(&format!(
            "{}//- main.weft\nflow A(x) {{ ReserveNick(x) }}\n",
            CONTRACTS.replace("activity ReserveNick", "activity Reserve$0Nick")
        ));
        assert!(md.contains(signature) && md.contains("called once"), "{md}");
        // Not called: still its signature.
        let md = hover_md(&CONTRACTS.replace("activity Charge", "activity $0Charge"));
        assert!(
            md.contains("activity Charge(card: Card, note?: string) -> {id: string}"),
            "{md}"
        );
        assert!(md.contains("called 0 times"), "{md}");
        // Bound to HTTP.
        let md = hover_decl("flow A(x) {\n  return Get$0Pet(x)\n}\n");
        assert!(md.contains("activity GetPet(petId: int) -> any"), "{md}");
        assert!(
            md.contains("`@http`: `GET https://pets.test/pet/{petId}`"),
            "{md}"
        );
        // Undeclared: as before.
        let md = hover_decl("flow A(x) {\n  return Ot$0her(x)\n}\n");
        assert!(
            md.contains("Other(...)") && md.contains("Activity: a call"),
            "{md}"
        );
    }

    #[test]
    fn types_parameters_and_http() {
        let md = hover_md(&CONTRACTS.replace("card: Card", "card: Ca$0rd"));
        assert!(
            md.contains("type Card = {number: string, holder?: string}"),
            "{md}"
        );
        assert!(
            md.contains("Type declared in `contracts.weft` on line 1; used once in declarations."),
            "{md}"
        );
        let md = hover_md(&CONTRACTS.replace("nick: string)", "nick: str$0ing)"));
        assert!(md.contains("Built-in type: text."), "{md}");
        let md = hover_md(&CONTRACTS.replace("note?:", "no$0te?:"));
        assert!(md.contains("note?: string"), "{md}");
        assert!(md.contains("Parameter of activity `Charge`"), "{md}");
        assert!(md.contains("A call may leave it out."), "{md}");
        // `{petId}` in the URL names the parameter.
        let md = hover_md(&CONTRACTS.replace("/{petId}", "/{pet$0Id}"));
        assert!(md.contains("petId: int"), "{md}");
        let md = hover_md(&CONTRACTS.replace("@http", "@ht$0tp"));
        assert!(
            md.contains("Binds the activity to an HTTP endpoint"),
            "{md}"
        );
    }

    #[test]
    fn dotted_activity_names() {
        let md = hover_md(
            "//- c.weft\nactivity aws.TextModeration(text: string) -> {flagged: bool}\n//- main.weft\nflow A(q) {\n  return aws.Text$0Moderation(q.text)\n}\n",
        );
        assert!(
            md.contains("activity aws.TextModeration(text: string) -> {flagged: bool}"),
            "{md}"
        );
        let md = hover_md("flow A(q) {\n  return mandril.Se$0nd(q)\n}\n");
        assert!(md.contains("mandril.Send"), "{md}");
        assert!(md.contains("ctivity"), "{md}");
    }

    #[test]
    fn named_arguments_at_call_sites() {
        let md = hover_decl("flow A(x) {\n  return Charge(x, no$0te: \"n\")\n}\n");
        assert!(md.contains("note?: string"), "{md}");
        assert!(md.contains("Parameter of activity `Charge`"), "{md}");
        let md = hover_md("flow A(x) {\n  return B(x, ma$0x: 2)\n}\nflow B(y, max) { return y }\n");
        assert!(md.contains("parameter of flow `B`"), "{md}");
        assert!(md.contains("flow B(y, max)"), "{md}");
    }

    #[test]
    fn types_fields_and_the_at_of_annotations() {
        let main = "flow A(x) {\n  reserved = ReserveNick(x)\n  s = reserved.status\n  return rese$0rved.nick\n}\n";
        let md = hover_decl(main);
        assert!(
            md.contains("`reserved: {status: string, nick: string, ID: int}`: a variable"),
            "{md}"
        );
        let md = hover_decl(&main.replace("rese$0rved.nick", "reserved.ni$0ck"));
        assert!(md.contains("nick: string"), "{md}");
        assert!(
            md.contains(
                "Field of `reserved`, whose type is `{status: string, nick: string, ID: int}`."
            ),
            "{md}"
        );
        // A field of a field; a field the type does not have: nothing.
        let md = hover_decl("flow A(x) {\n  c = Charge(x)\n  return c.id.len$0gth\n}\n");
        assert_eq!(md, "");
        let md = hover_decl("flow A(x) {\n  c = ReserveNick(x)\n  return c.st$0\n}\n");
        assert_eq!(md, "");
        // The `@` of an annotation.
        let md = hover_md("flow A(x) {\n  F(x) $0@retry(3)\n}\n");
        assert!(md.contains("@retry(n, backoff"), "{md}");
    }
}

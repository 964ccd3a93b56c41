//! Code actions: quick fixes for the findings that spell their fix, and
//! two rewrites.
//!
//! - The fixes a diagnostic carries (`weft_syntax::Fix`, made by the
//!   checker: did-you-mean names and fields, `@timeout` on an `await`,
//!   dropping `x =`).
//! - W0161: rename the variable to `_x` (with [`super::navigation::rename`],
//!   so every place that names it follows).
//! - E0101: move the first assignment before the statement that reads the
//!   variable, when both are statements of one block and nothing between
//!   them assigns what the assignment reads.
//! - On a call of an activity the program does not declare: declare it
//!   from its calls (parameters named after the arguments, types where the
//!   checker knows them), next to the program's other declarations.
//! - Organise declarations (a source action): the file's `type` and
//!   `activity` declarations at its top, types then activities, each by
//!   name, with the comments written just above them.

use std::collections::{BTreeMap, BTreeSet};

use super::navigation;
use super::{Global, Location, Program};
use weft_check::codes;
use weft_syntax::ast::{Block, Expr, ExprKind, Item, Stmt, StmtKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{Diagnostic, Span};

/// What an action is, as editors group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// Fixes a finding (or a call that lacks a declaration).
    QuickFix,
    /// Rewrites the whole file's layout.
    OrganizeDeclarations,
}

/// One code action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// What the menu shows.
    pub title: String,
    /// Its kind.
    pub kind: ActionKind,
    /// The diagnostic of the file it fixes (its index in the list given).
    pub fixes: Option<usize>,
    /// The one to pick without asking (a single did-you-mean).
    pub preferred: bool,
    /// The edits: where, and the new text. They do not overlap.
    pub edits: Vec<(Location, String)>,
}

/// The actions at `range` of file `file`, whose diagnostics are
/// `diagnostics` (as [`Program::diagnostics`] gives them).
pub fn actions(
    program: &Program,
    file: usize,
    range: Span,
    diagnostics: &[Diagnostic],
) -> Vec<Action> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if !(d.span.start <= range.end && range.start <= d.span.end) {
            continue;
        }
        let single = d.fixes.len() == 1;
        for fix in &d.fixes {
            out.push(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                fixes: Some(i),
                preferred: single && fix.title.starts_with("Replace with"),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| {
                        (
                            Location {
                                file,
                                span: whole_lines_if_emptied(&f.text, e.span, &e.text),
                            },
                            e.text.clone(),
                        )
                    })
                    .collect(),
            });
        }
        if d.code == codes::UNUSED_VARIABLE {
            let name = f.slice(d.span);
            let new_name = format!("_{name}");
            if let Ok(edits) = navigation::rename(program, file, d.span.start, &new_name) {
                out.push(Action {
                    title: format!("Rename to `{new_name}`"),
                    kind: ActionKind::QuickFix,
                    fixes: Some(i),
                    preferred: false,
                    edits: edits.into_iter().map(|l| (l, new_name.clone())).collect(),
                });
            }
        }
        if d.code == codes::READ_BEFORE_ASSIGNMENT {
            if let Some(a) = move_assignment(program, file, d) {
                out.push(Action {
                    fixes: Some(i),
                    ..a
                });
            }
        }
    }
    out.extend(declare_activity(program, file, range));
    out.extend(organize_declarations(program, file));
    out
}

/// `span` widened to its whole lines (line break included) when the edit
/// removes everything on them but blanks: removing a statement removes
/// its line.
fn whole_lines_if_emptied(text: &str, span: Span, new_text: &str) -> Span {
    if !new_text.is_empty() {
        return span;
    }
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t' || c == '\r');
    if blank(&text[line_start..start]) && blank(text[end..line_end].trim_end_matches('\n')) {
        Span::new(line_start, line_end)
    } else {
        span
    }
}

// ----- E0101: move the assignment up -----

/// The statement that assigns first (E0101's label) moved before the
/// statement of the same block that holds the read.
fn move_assignment(program: &Program, file: usize, d: &Diagnostic) -> Option<Action> {
    let f = &program.files[file];
    let site = d.labels.first()?.span;
    if site.start < d.span.end {
        return None; // Assigned before the read on no path: no move helps.
    }
    let mut finder = BlockFinder {
        site,
        read: d.span,
        found: None,
    };
    visit::walk_module(&mut finder, &f.parse.module);
    let (stmts, read_at, site_at) = finder.found?;
    let moved = &stmts[site_at];
    let target = &stmts[read_at];
    // What the moved statement reads must hold the same values earlier:
    // nothing from the reading statement to it may assign those names.
    let reads = names_read(moved);
    let assigned: BTreeSet<String> = stmts[read_at..site_at]
        .iter()
        .flat_map(names_assigned)
        .collect();
    if reads.iter().any(|n| assigned.contains(n)) {
        return None;
    }
    let text = &f.text;
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let (m_start, m_end) = (moved.span.start as usize, moved.span.end as usize);
    let m_line = line_start(m_start);
    let m_line_end = text[m_end..]
        .find('\n')
        .map_or(text.len(), |i| m_end + i + 1);
    let t_line = line_start(target.span.start as usize);
    let blank = |s: &str| s.trim().is_empty();
    // Only statements alone on their lines are moved, whole.
    if !blank(&text[m_line..m_start])
        || !blank(&text[m_end..m_line_end])
        || !blank(&text[t_line..target.span.start as usize])
    {
        return None;
    }
    let from_indent = &text[m_line..m_start];
    let to_indent = &text[t_line..target.span.start as usize];
    let mut moved_text = String::new();
    for line in text[m_start..m_end].split_inclusive('\n') {
        if moved_text.is_empty() {
            moved_text.push_str(to_indent);
            moved_text.push_str(line);
        } else {
            moved_text.push_str(to_indent);
            moved_text.push_str(line.strip_prefix(from_indent).unwrap_or(line));
        }
    }
    moved_text.push('\n');
    let name = f.slice(d.span);
    Some(Action {
        title: format!("Move the assignment of `{name}` before this statement"),
        kind: ActionKind::QuickFix,
        fixes: None,
        preferred: false,
        edits: vec![
            (
                Location {
                    file,
                    span: Span::new(t_line, t_line),
                },
                moved_text,
            ),
            (
                Location {
                    file,
                    span: Span::new(m_line, m_line_end),
                },
                String::new(),
            ),
        ],
    })
}

/// Finds the block whose statements hold both the read (at any depth)
/// and the assigning statement (directly).
struct BlockFinder {
    site: Span,
    read: Span,
    /// The block's statements, the index of the one holding the read and
    /// of the assigning one.
    found: Option<(Vec<Stmt>, usize, usize)>,
}

impl Visitor<'_> for BlockFinder {
    fn visit_block(&mut self, b: &Block) {
        if self.found.is_some() {
            return;
        }
        let inside = |s: &Stmt, span: Span| s.span.start <= span.start && span.end <= s.span.end;
        let site_at = b.stmts.iter().position(|s| {
            inside(s, self.site)
                && s.span.start <= self.site.start
                && is_assignment_of(s, self.site)
        });
        let read_at = b.stmts.iter().position(|s| inside(s, self.read));
        if let (Some(site_at), Some(read_at)) = (site_at, read_at) {
            if read_at < site_at {
                self.found = Some((b.stmts.clone(), read_at, site_at));
                return;
            }
        }
        visit::walk_block(self, b);
    }
}

/// True when `s` assigns the plain name written at `name` itself (not in
/// a nested block).
fn is_assignment_of(s: &Stmt, name: Span) -> bool {
    match &s.kind {
        StmtKind::Let { name: n, .. } => n.span == name,
        StmtKind::Assign { target, .. } => {
            target.span == name && matches!(target.kind, ExprKind::Name(_))
        }
        StmtKind::TryAssign { value, err, .. } => value.span == name || err.span == name,
        _ => false,
    }
}

/// The names a statement reads (anywhere inside it).
fn names_read(s: &Stmt) -> BTreeSet<String> {
    struct Reads(BTreeSet<String>);
    impl Visitor<'_> for Reads {
        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Name(n) = &e.kind {
                self.0.insert(n.clone());
            }
            visit::walk_expr(self, e);
        }
    }
    let mut r = Reads(BTreeSet::new());
    r.visit_stmt(s);
    r.0
}

/// The plain names a statement assigns (anywhere inside it).
fn names_assigned(s: &Stmt) -> BTreeSet<String> {
    struct Writes(BTreeSet<String>);
    impl Visitor<'_> for Writes {
        fn visit_stmt(&mut self, s: &Stmt) {
            match &s.kind {
                StmtKind::Let { name, .. } => {
                    self.0.insert(name.name.clone());
                }
                StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
                    if let ExprKind::Name(n) = &target.kind {
                        self.0.insert(n.clone());
                    }
                }
                StmtKind::For { var, .. } => {
                    self.0.insert(var.name.clone());
                }
                StmtKind::TryAssign { value, err, .. } => {
                    self.0.insert(value.name.clone());
                    self.0.insert(err.name.clone());
                }
                _ => {}
            }
            visit::walk_stmt(self, s);
        }
    }
    let mut w = Writes(BTreeSet::new());
    w.visit_stmt(s);
    w.0
}

// ----- declaring an activity from its calls -----

/// On a call of an activity the program does not declare: its
/// declaration, made from every call of it.
fn declare_activity(program: &Program, file: usize, range: Span) -> Option<Action> {
    let f = &program.files[file];
    // The first call of an undeclared activity that the range touches.
    let a = f
        .index
        .refs
        .iter()
        .filter(|r| r.span.start <= range.end && range.start <= r.span.end)
        .filter(|r| {
            r.target == super::resolve::Target::Global && r.role == super::resolve::Role::Call
        })
        .find_map(|r| match program.global(&r.name) {
            Global::Activity(a) if a.decl.is_none() => Some(a),
            _ => None,
        })?;
    let declaration = declaration_from_calls(program, a.name, a.calls);
    // Next to the program's declarations: after the last one of the file
    // that has most; otherwise at the top of this file.
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, item) in program.items() {
        if matches!(item.kind, super::resolve::ItemKind::Activity { .. }) {
            *counts.entry(i).or_default() += 1;
        }
    }
    let home = counts
        .iter()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(**i)))
        .map(|(i, _)| *i);
    let (at_file, at, text) = match home {
        Some(h) => {
            let last = program.files[h]
                .index
                .items
                .iter()
                .filter(|i| matches!(i.kind, super::resolve::ItemKind::Activity { .. }))
                .map(|i| i.span.end)
                .max()?;
            let text = &program.files[h].text;
            let end = text[last as usize..]
                .find('\n')
                .map_or(text.len(), |i| last as usize + i + 1);
            let prefix = if end == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            (h, end, format!("{prefix}{declaration}\n"))
        }
        None => (file, 0, format!("{declaration}\n\n")),
    };
    let where_ = if at_file == file {
        String::new()
    } else {
        format!(" in `{}`", program.files[at_file].name)
    };
    Some(Action {
        title: format!("Declare activity `{}` from its calls{where_}", a.name),
        kind: ActionKind::QuickFix,
        fixes: None,
        preferred: false,
        edits: vec![(
            Location {
                file: at_file,
                span: Span::new(at, at),
            },
            text,
        )],
    })
}

/// `activity Name(a: T, b?: any)` from the calls at `calls`: the
/// positional parameters named after the first call's arguments (a
/// variable's name, a field's name, else `argN`), optional when some call
/// leaves them out; named arguments as parameters of their own names; a
/// type where the argument is a literal or a variable whose type the
/// checker knows, else `any`.
fn declaration_from_calls(program: &Program, name: &str, calls: &[Location]) -> String {
    let sources = program.sources();
    let known = weft_check::variable_types(&sources);
    let mut positional: Vec<(String, Option<String>)> = Vec::new();
    let mut min_positional = usize::MAX;
    let mut named: Vec<(String, Option<String>, usize)> = Vec::new();
    let mut seen_calls = 0usize;
    for call in calls {
        let Some(c) = find_call(&program.files[call.file].parse.module, call.span) else {
            continue;
        };
        seen_calls += 1;
        let type_of = |e: &Expr| -> Option<String> {
            let n = match &e.unparen().kind {
                ExprKind::Name(n) => n,
                ExprKind::String(_) => return Some("string".to_string()),
                ExprKind::Number(v) if v.fract() == 0.0 => return Some("int".to_string()),
                ExprKind::Number(_) => return Some("number".to_string()),
                ExprKind::Bool(_) => return Some("bool".to_string()),
                ExprKind::Duration { .. } => return Some("duration".to_string()),
                _ => return None,
            };
            known
                .iter()
                .rev()
                .filter(|k| {
                    k.file == call.file && k.body.start < e.span.start && e.span.end < k.body.end
                })
                .find_map(|k| k.vars.get(n))
                .cloned()
                .flatten()
                .map(|t| t.to_string())
        };
        let mut count = 0;
        for arg in &c.args {
            match &arg.name {
                None => {
                    if count >= positional.len() {
                        positional.push((param_name(&arg.value, count), type_of(&arg.value)));
                    }
                    count += 1;
                }
                Some(n) => match named.iter_mut().find(|(m, _, _)| *m == n.name) {
                    Some(entry) => entry.2 += 1,
                    None => named.push((n.name.clone(), type_of(&arg.value), 1)),
                },
            }
        }
        min_positional = min_positional.min(count);
    }
    // Names taken twice get a number.
    let mut taken: BTreeSet<String> = named.iter().map(|(n, _, _)| n.clone()).collect();
    let mut params = Vec::new();
    for (i, (n, ty)) in positional.iter().enumerate() {
        let mut n = n.clone();
        if !taken.insert(n.clone()) {
            n = format!("arg{}", i + 1);
            taken.insert(n.clone());
        }
        let q = if i >= min_positional { "?" } else { "" };
        params.push(format!("{n}{q}: {}", ty.as_deref().unwrap_or("any")));
    }
    for (n, ty, count) in &named {
        let q = if *count < seen_calls { "?" } else { "" };
        params.push(format!("{n}{q}: {}", ty.as_deref().unwrap_or("any")));
    }
    format!("activity {name}({})", params.join(", "))
}

/// A parameter's name for the argument `e` at position `i`.
fn param_name(e: &Expr, i: usize) -> String {
    let name = match &e.unparen().kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Member { name, .. } => Some(name.name.clone()),
        _ => None,
    };
    name.filter(|n| super::is_identifier(n))
        .unwrap_or_else(|| format!("arg{}", i + 1))
}

/// The call whose callee's name is at `callee`.
fn find_call(module: &weft_syntax::ast::Module, callee: Span) -> Option<weft_syntax::ast::Call> {
    struct Finder {
        callee: Span,
        found: Option<weft_syntax::ast::Call>,
    }
    impl Visitor<'_> for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            if self.found.is_some()
                || !(e.span.start <= self.callee.start && self.callee.end <= e.span.end)
            {
                return;
            }
            if let ExprKind::Call(c) = &e.kind {
                if c.callee.span == self.callee {
                    self.found = Some((**c).clone());
                    return;
                }
            }
            visit::walk_expr(self, e);
        }
    }
    let mut finder = Finder {
        callee,
        found: None,
    };
    visit::walk_module(&mut finder, module);
    finder.found
}

// ----- organising declarations -----

/// The file with its declarations at the top: types then activities, each
/// by name, each with the comment lines just above it. Nothing when the
/// file has syntax errors, or is organised already.
fn organize_declarations(program: &Program, file: usize) -> Option<Action> {
    let f = &program.files[file];
    if f.parse.has_errors() {
        return None;
    }
    let text = f.text.as_str();
    let module = &f.parse.module;
    // Each item's chunk: its leading comment lines and its own lines.
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut chunks: Vec<(u8, String, Span)> = Vec::new();
    for item in &module.items {
        let (rank, name, span) = match item {
            Item::Type(t) => (0, t.name.name.clone(), t.span),
            Item::Activity(a) => (1, a.name.name.clone(), a.span),
            Item::Flow(_) | Item::Machine(_) | Item::Trigger(_) => continue,
        };
        let (start, end) = (span.start as usize, span.end as usize);
        let first = line_start(start);
        let last = line_end(end);
        if !text[first..start].trim().is_empty() || !text[end..last].trim().is_empty() {
            // Another item or a trailing comment on its lines: leave the
            // file as it is.
            if !text[end..last].trim_start().starts_with("//") {
                return None;
            }
        }
        // Comment lines directly above belong to it.
        let mut from = first;
        while from > 0 {
            let prev = line_start(from - 1);
            let line = text[prev..from].trim();
            let is_comment =
                (line.starts_with("//") || line.starts_with("/*") || line.ends_with("*/"))
                    && module
                        .comments
                        .iter()
                        .any(|c| (c.span.start as usize) < from && (c.span.end as usize) > prev);
            if !is_comment {
                break;
            }
            from = prev;
        }
        chunks.push((rank, name, Span::new(from, last)));
    }
    if chunks.is_empty() {
        return None;
    }
    let mut sorted = chunks.clone();
    sorted.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut head = String::new();
    for (i, (rank, _, span)) in sorted.iter().enumerate() {
        if i > 0 && sorted[i - 1].0 != *rank {
            head.push('\n');
        }
        let chunk = &text[span.start as usize..span.end as usize];
        head.push_str(chunk);
        if !chunk.ends_with('\n') {
            head.push('\n');
        }
    }
    let mut rest = String::new();
    let mut at = 0usize;
    for (_, _, span) in &chunks {
        rest.push_str(&text[at..span.start as usize]);
        at = span.end as usize;
    }
    rest.push_str(&text[at..]);
    // Blank lines left where declarations were: at most one in a row.
    let mut tidy = String::new();
    let mut blank_run = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run > 1 || tidy.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        tidy.push_str(line);
    }
    let new_text = if tidy.trim().is_empty() {
        head
    } else {
        format!("{head}\n{tidy}")
    };
    if new_text == text {
        return None;
    }
    Some(Action {
        title: "Organise declarations (types, then activities, by name, at the top)".to_string(),
        kind: ActionKind::OrganizeDeclarations,
        fixes: None,
        preferred: false,
        edits: vec![(
            Location {
                file,
                span: Span::new(0, text.len()),
            },
            new_text,
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The actions at `$0` (a cursor, or the diagnostics it touches), as
    /// titles.
    fn titles(text: &str) -> Vec<String> {
        let (p, f, o) = fixture::parse(text);
        let diags = p.diagnostics();
        actions(&p, f, Span::new(o as usize, o as usize), &diags[f])
            .into_iter()
            .map(|a| a.title)
            .collect()
    }

    /// The text of file `name` after the action titled `title` at `$0`.
    fn apply(text: &str, title: &str, name: &str) -> String {
        let (p, f, o) = fixture::parse(text);
        let diags = p.diagnostics();
        let all = actions(&p, f, Span::new(o as usize, o as usize), &diags[f]);
        let a = all
            .iter()
            .find(|a| a.title.starts_with(title))
            .unwrap_or_else(|| {
                panic!(
                    "no `{title}` in {:?}",
                    all.iter().map(|a| &a.title).collect::<Vec<_>>()
                )
            });
        let i = p.files.iter().position(|x| x.name == name).unwrap();
        let mut out = p.files[i].text.clone();
        let mut edits: Vec<&(Location, String)> =
            a.edits.iter().filter(|(l, _)| l.file == i).collect();
        edits.sort_by_key(|(l, _)| std::cmp::Reverse((l.span.start, l.span.end)));
        for (l, t) in edits {
            out.replace_range(l.span.start as usize..l.span.end as usize, t);
        }
        out
    }

    #[test]
    fn did_you_mean_names_and_fields() {
        let text = "flow A(input) {\n  reserved = F(input)\n  return reserv$0ed2\n}\n";
        assert_eq!(titles(text), ["Replace with `reserved`"]);
        assert_eq!(
            apply(text, "Replace", "main.weft"),
            "flow A(input) {\n  reserved = F(input)\n  return reserved\n}\n"
        );
        let text = "//- c.weft\nactivity R(n: string) -> {status: string}\n//- main.weft\nflow A(x) {\n  r = R(x)\n  return r.stat$0s\n}\n";
        assert_eq!(
            apply(text, "Replace with `status`", "main.weft"),
            "flow A(x) {\n  r = R(x)\n  return r.status\n}\n"
        );
    }

    #[test]
    fn unused_variables() {
        let text = "flow A(x) {\n  receipt$0 = Charge(x)\n  return x\n}\n";
        assert_eq!(
            titles(text),
            ["Drop `receipt =`, keep the call", "Rename to `_receipt`"]
        );
        assert_eq!(
            apply(text, "Drop", "main.weft"),
            "flow A(x) {\n  Charge(x)\n  return x\n}\n"
        );
        assert_eq!(
            apply(text, "Rename", "main.weft"),
            "flow A(x) {\n  _receipt = Charge(x)\n  return x\n}\n"
        );
        // A pure value: the whole line goes.
        let text = "flow A(x) {\n  fl$0ag = true\n  return x\n}\n";
        assert_eq!(
            apply(text, "Remove the assignment", "main.weft"),
            "flow A(x) {\n  return x\n}\n"
        );
        // Assigned twice: renamed everywhere, not dropped.
        let text = "flow A(x) {\n  n$0 = 1\n  n += 1\n  return x\n}\n";
        assert_eq!(titles(text), ["Rename to `_n`"]);
        assert_eq!(
            apply(text, "Rename", "main.weft"),
            "flow A(x) {\n  _n = 1\n  _n += 1\n  return x\n}\n"
        );
    }

    #[test]
    fn await_without_timeout() {
        let text = "flow A(x) {\n  c = await Con$0firm(x) @retry(2)\n  return c\n}\n";
        assert_eq!(
            apply(text, "Add `@timeout(24h)`", "main.weft"),
            "flow A(x) {\n  c = await Confirm(x) @retry(2) @timeout(24h)\n  return c\n}\n"
        );
    }

    #[test]
    fn read_before_assignment_moves_the_assignment() {
        let text = "flow A(input) {\n    if input.ok {\n        Notify(acc$0ount.email)\n    }\n    account = CreateAccount(\n        input)\n    return account\n}\n";
        assert_eq!(
            apply(text, "Move the assignment of `account`", "main.weft"),
            "flow A(input) {\n    account = CreateAccount(\n        input)\n    if input.ok {\n        Notify(account.email)\n    }\n    return account\n}\n"
        );
        // The assignment reads what is assigned in between: not moved.
        let text = "flow A(input) {\n    Notify(acc$0ount)\n    n = 1\n    account = F(n)\n    return account\n}\n";
        assert!(
            titles(text).iter().all(|t| !t.starts_with("Move")),
            "{:?}",
            titles(text)
        );
        // `x = f(x)`: no move helps.
        let text = "flow A() {\n    x = F(x$0)\n    return x\n}\n";
        assert!(titles(text).iter().all(|t| !t.starts_with("Move")));
    }

    #[test]
    fn declare_an_activity_from_its_calls() {
        let text = "//- contracts.weft\nactivity Other(a: int)\n//- main.weft\nflow A(order, card) {\n  r = Other(1)\n  p = Ch$0arge(card, order.total, note: \"x\")\n  q = Charge(card, 3)\n  return Charge(p, q, r, currency: \"EUR\", note: \"y\")\n}\n";
        assert_eq!(
            apply(text, "Declare activity `Charge`", "contracts.weft"),
            "activity Other(a: int)\nactivity Charge(card: any, total: any, r?: any, note?: string, currency?: string)\n"
        );
        // Without declarations anywhere: at the top of this file; the
        // argument's type when the checker knows it.
        let text = "flow A() {\n  n = 3\n  return No$0tify(n)\n}\n";
        assert_eq!(
            apply(text, "Declare activity `Notify`", "main.weft"),
            "activity Notify(n: int)\n\nflow A() {\n  n = 3\n  return Notify(n)\n}\n"
        );
        // Not on a declared activity, a flow or a built-in.
        for text in [
            "activity N(x: int)\nflow A() { return N$0(1) }\n",
            "flow A() { return B$0() }\nflow B() { return 1 }\n",
            "flow A() { return le$0n([]) }\n",
        ] {
            assert!(
                titles(text).iter().all(|t| !t.starts_with("Declare")),
                "{text}"
            );
        }
    }

    #[test]
    fn organise_declarations() {
        let text = "flow A(x) {\n  return Pay(x)$0\n}\n\n// Paying.\nactivity Pay(c: Card) -> string\ntype Card = {n: string}\nactivity Log(m: string)\n\nflow B() { return 1 }\n";
        assert_eq!(
            apply(text, "Organise declarations", "main.weft"),
            "type Card = {n: string}\n\nactivity Log(m: string)\n// Paying.\nactivity Pay(c: Card) -> string\n\nflow A(x) {\n  return Pay(x)\n}\n\nflow B() { return 1 }\n"
        );
        // Already organised: nothing to offer.
        let done = "type Card = {n: string}\n\nactivity Pay(c: Card)\n\nflow A(x) {\n  return Pay(x)$0\n}\n";
        assert!(titles(done).iter().all(|t| !t.starts_with("Organise")));
    }
}

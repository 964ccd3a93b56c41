//! Loops that can never end (W0180), like clippy's
//! `while_immutable_condition`: a `while` whose condition reads variables
//! that nothing in the body assigns, and whose body has no `break` or
//! `return`. Once such a loop is entered, its condition stays what it was.
//!
//! What counts as changing a variable: any assignment in the body (nested
//! blocks and loops included) whose target is the variable or a field or
//! element of it (`implementation.complete = ...` changes `implementation`),
//! `x++`, `let`, `for x in`, and both names of `value, err = Call(...)`.
//! Nested `func`s and inline flows change only their own copies (they
//! capture by value), so their assignments do not count, and neither do
//! the activities or flows the body calls: they cannot change the flow's
//! variables. A condition that calls anything other than a pure built-in
//! (`now()`, an activity, a closure) may change on its own; such loops are
//! left alone, as are conditions that read no variable (`while true` is an
//! intended endless loop, which E0130 already covers for what follows it).

use crate::codes;
use crate::program::has_syntax_errors;
use crate::SourceFile;
use std::collections::BTreeSet;
use weft_syntax::ast::{Block, Else, Expr, ExprKind, IfStmt, Stmt, StmtKind};
use weft_syntax::lang::{self, BuiltinKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{Diagnostic, Span};

/// Checks every `while` of every flow of `files`, appending to `out` (one
/// list per file).
pub(crate) fn check(files: &[SourceFile<'_>], out: &mut [Vec<Diagnostic>]) {
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            if has_syntax_errors(flow) {
                continue;
            }
            let mut finder = Loops(&mut out[file]);
            finder.visit_flow(flow);
        }
    }
}

/// Finds the `while` loops of a flow, in every function of it.
struct Loops<'o>(&'o mut Vec<Diagnostic>);

impl<'a> Visitor<'a> for Loops<'_> {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        if let StmtKind::While { cond, body } = &s.kind {
            if let Some(d) = endless(s.span, cond, body) {
                self.0.push(d);
            }
        }
        visit::walk_stmt(self, s);
    }
}

/// W0180 for `while cond { body }` (the statement at `span`), when nothing
/// can change its condition.
fn endless(span: Span, cond: &Expr, body: &Block) -> Option<Diagnostic> {
    let mut reads = CondReads::default();
    reads.visit_expr(cond);
    if reads.may_change || reads.names.is_empty() {
        return None;
    }
    let mut body_effects = Effects::default();
    body_effects.block(body, 0);
    if body_effects.leaves {
        return None;
    }
    if reads.names.iter().any(|n| body_effects.writes.contains(n)) {
        return None;
    }
    let names: Vec<&str> = reads.names.iter().map(String::as_str).collect();
    let shown = match names.as_slice() {
        [one] => format!("`{one}`"),
        [first @ .., last] => format!(
            "{} or `{last}`",
            first
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => unreachable!("checked above"),
    };
    let head = Span {
        start: span.start,
        end: cond.span.end.max(span.start),
    };
    Some(
        Diagnostic::warning(
            codes::ENDLESS_LOOP,
            head,
            format!("this loop never ends once entered: nothing in it changes {shown}"),
        )
        .with_help(format!(
            "assign {shown} (or a field of {}) in the loop, such as from the result of a call, or leave the loop with `break` or `return`",
            if names.len() == 1 { "it" } else { "one of them" }
        )),
    )
}

/// The variables a condition reads, and whether it calls something that may
/// give another value each time.
#[derive(Default)]
struct CondReads {
    names: BTreeSet<String>,
    may_change: bool,
}

impl<'a> Visitor<'a> for CondReads {
    fn visit_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                self.names.insert(n.clone());
            }
            ExprKind::Call(call) => {
                let pure = call
                    .callee_name()
                    .and_then(lang::builtin)
                    .is_some_and(|b| b.kind == BuiltinKind::Pure);
                if !pure {
                    self.may_change = true;
                    return;
                }
                for a in &call.args {
                    self.visit_expr(&a.value);
                }
            }
            ExprKind::Await(_) | ExprKind::Flow(_) | ExprKind::Lambda(_) => {
                self.may_change = true;
            }
            _ => visit::walk_expr(self, e),
        }
    }
}

/// What a loop body does to the variables around it: the names it assigns
/// (roots of places), and whether it can leave the loop.
#[derive(Default)]
struct Effects {
    writes: BTreeSet<String>,
    leaves: bool,
}

impl Effects {
    /// `depth` counts the loops nested inside the checked one: a `break`
    /// there leaves only the nested loop.
    fn block(&mut self, b: &Block, depth: u32) {
        for s in &b.stmts {
            self.stmt(s, depth);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: u32) {
        match &s.kind {
            StmtKind::Let { name, .. } => {
                self.writes.insert(name.name.clone());
            }
            StmtKind::TryAssign { value, err, .. } => {
                self.writes.insert(value.name.clone());
                self.writes.insert(err.name.clone());
            }
            StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
                if let Some(root) = place_root(target) {
                    self.writes.insert(root.to_string());
                }
            }
            StmtKind::If(i) => self.if_stmt(i, depth),
            StmtKind::While { body, .. } => self.block(body, depth + 1),
            StmtKind::For { var, body, .. } => {
                self.writes.insert(var.name.clone());
                self.block(body, depth + 1);
            }
            StmtKind::Return { .. } => self.leaves = true,
            StmtKind::Break => {
                if depth == 0 {
                    self.leaves = true;
                }
            }
            StmtKind::Continue | StmtKind::Expr(_) | StmtKind::Error => {}
        }
    }

    fn if_stmt(&mut self, i: &IfStmt, depth: u32) {
        self.block(&i.then_block, depth);
        match &i.else_branch {
            Some(Else::Block(b)) => self.block(b, depth),
            Some(Else::If(nested)) => self.if_stmt(nested, depth),
            None => {}
        }
    }
}

/// The variable a place (`x`, `x.f`, `x[i]`) belongs to.
fn place_root(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => place_root(object),
        ExprKind::Paren(inner) => place_root(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines W0180 is reported on.
    fn lines(src: &str) -> Vec<usize> {
        let p = weft_syntax::parse(src);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let files = [SourceFile {
            name: "a.weft",
            module: &p.module,
        }];
        let mut out = vec![Vec::new()];
        check(&files, &mut out);
        out[0]
            .iter()
            .map(|d| src[..d.span.start as usize].lines().count().max(1))
            .collect()
    }

    #[test]
    fn a_condition_nothing_changes() {
        let src = "flow A(x) {\n    impl = Make(x)\n    while !impl.complete {\n        changes = await Change(impl) @timeout(1h)\n    }\n    return impl\n}\n";
        assert_eq!(lines(src), [3]);
    }

    #[test]
    fn what_counts_as_a_change_or_an_exit() {
        for body in [
            "impl.complete = Check(impl)",
            "impl = Make(impl)",
            "impl++",
            "if Done() { break }",
            "return 1",
            "for impl in Items() { Log(impl) }",
        ] {
            let src = format!(
                "flow A(x) {{\n    impl = Make(x)\n    while !impl.complete {{\n        {body}\n    }}\n    return impl\n}}\n"
            );
            assert!(lines(&src).is_empty(), "{body}");
        }
    }

    #[test]
    fn what_does_not_count() {
        for body in [
            // A closure changes its own copy.
            "f = func() { impl = 1\n return impl }\n        f()",
            // A `break` of an inner loop leaves the inner loop.
            "while true { break }",
            "Notify(impl)",
        ] {
            let src = format!(
                "flow A(x) {{\n    impl = Make(x)\n    while !impl.complete {{\n        {body}\n    }}\n    return impl\n}}\n"
            );
            assert_eq!(lines(&src), [3], "{body}");
        }
    }

    #[test]
    fn conditions_that_may_change_on_their_own() {
        for cond in [
            "now() < deadline",
            "!Done(x)",
            "true",
            "len(items) > 0 && Ready()",
        ] {
            let src = format!(
                "flow A(x) {{\n    deadline = x.d\n    items = x.items\n    while {cond} {{\n        Log(x)\n    }}\n    return 1\n}}\n"
            );
            assert!(lines(&src).is_empty(), "{cond}");
        }
        // A pure built-in does not change on its own.
        let src = "flow A(x) {\n    items = x.items\n    while len(items) > 0 {\n        Log(x)\n    }\n    return 1\n}\n";
        assert_eq!(lines(src), [3]);
    }
}

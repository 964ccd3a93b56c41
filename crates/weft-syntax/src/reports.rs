//! Which `ParallelExecute` calls report on their branches (edition 2): the
//! one rule the compiler follows and tools show.
//!
//! A `ParallelExecute` call reports (its value is `{allPassed, results,
//! failures}` and a branch that fails for good is an entry of `failures`
//! instead of stopping the run) when its flow reads one of
//! [`REPORT_FIELDS`] of its value:
//!
//! - directly: `ParallelExecute([...]).allPassed`;
//! - or through the variable it is assigned to (`x = ParallelExecute(...)`,
//!   `let x = await ParallelExecute(...)`): somewhere in the same top-level
//!   flow (its `func`s and inline flows included) `x.allPassed`,
//!   `x.failures` or `x.results` is read.
//!
//! Every other `ParallelExecute` keeps its edition-1 value, the plain list of
//! the branches' results, where a failing branch stops the run. A list has
//! none of these fields, so no program that worked before changes meaning.

use std::collections::HashSet;

use crate::ast::{Expr, ExprKind, FlowDecl, Stmt, StmtKind};
use crate::visit::{self, Visitor};
use crate::Span;

/// The fields whose reading makes a `ParallelExecute` report.
pub const REPORT_FIELDS: &[&str] = &["allPassed", "failures", "results"];

/// The spans of the `ParallelExecute` calls of `flow` (a top-level flow,
/// its nested functions and inline flows included) that report: the span
/// of each call expression, as the compiler sees it (without `await` and
/// parentheses).
pub fn reporting_parallels(flow: &FlowDecl) -> Vec<Span> {
    let mut reads = Reads::default();
    reads.visit_flow(flow);
    let mut out: Vec<Span> = reads.direct;
    for (name, call) in reads.assigned {
        if reads.names.contains(name) {
            out.push(call);
        }
    }
    out.sort_by_key(|s| (s.start, s.end));
    out.dedup();
    out
}

/// The `ParallelExecute` call `e` is (under `await` and parentheses).
fn parallel_execute(e: &Expr) -> Option<Span> {
    let mut e = e.unparen();
    if let ExprKind::Await(inner) = &e.kind {
        e = inner.unparen();
    }
    let call = e.as_call()?;
    (call.callee_name() == Some("ParallelExecute")).then_some(e.span)
}

#[derive(Default)]
struct Reads<'a> {
    /// Names read with a report field.
    names: HashSet<&'a str>,
    /// Calls whose report field is read directly.
    direct: Vec<Span>,
    /// (variable, call) for `variable = ParallelExecute(...)`.
    assigned: Vec<(&'a str, Span)>,
}

impl<'a> Visitor<'a> for Reads<'a> {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Let {
                name,
                value: Some(value),
                ..
            } => {
                if let Some(call) = parallel_execute(value) {
                    self.assigned.push((&name.name, call));
                }
            }
            StmtKind::Assign { target, value, .. } => {
                if let (ExprKind::Name(n), Some(call)) =
                    (&target.unparen().kind, parallel_execute(value))
                {
                    self.assigned.push((n, call));
                }
            }
            _ => {}
        }
        visit::walk_stmt(self, s);
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Member { object, name } = &e.kind {
            if REPORT_FIELDS.contains(&name.name.as_str()) {
                if let ExprKind::Name(n) = &object.unparen().kind {
                    self.names.insert(n);
                } else if let Some(call) = parallel_execute(object) {
                    self.direct.push(call);
                }
            }
        }
        visit::walk_expr(self, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<String> {
        let p = crate::parse(text);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let flow = p.module.flows().next().expect("a flow");
        reporting_parallels(flow)
            .into_iter()
            .map(|s| text[s.start as usize..s.end as usize].to_string())
            .collect()
    }

    #[test]
    fn reports_when_a_report_field_is_read() {
        let text = "flow A(f) {\n    t = ParallelExecute([U(f), R(f)])\n    if !t.allPassed {\n        return t.failures\n    }\n    let u = await ParallelExecute([S(f)])\n    v = func() { return u.results }\n    w = ParallelExecute([X(f)]).failures\n    return [v, w]\n}\n";
        assert_eq!(
            spans(text),
            [
                "ParallelExecute([U(f), R(f)])",
                "ParallelExecute([S(f)])",
                "ParallelExecute([X(f)])"
            ]
        );
    }

    #[test]
    fn other_uses_keep_the_list() {
        let text = "flow A(f) {\n    t = ParallelExecute([U(f), R(f)])\n    Prepare(t)\n    s = WaitAll([U(f)])\n    x = ParallelExecute([U(f)])\n    return [t, s.results, x.count, x[0]]\n}\n";
        assert!(spans(text).is_empty());
    }
}

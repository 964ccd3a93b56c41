//! Fork by assignment (edition 2): which calls assigned to a variable start
//! as a branch of a later join, the way the design note writes its first
//! pattern (`inventoryCheck = CheckInventory(...)`, ..., then
//! `WaitAll([inventoryCheck, ...])`). The compiler follows this rule and
//! the checker and language server show it (`weft_check::forks`).
//!
//! A statement `x = Call(...)` or `let x = Call(...)` (`var` too, `await`
//! allowed) forks when:
//!
//! - `Call` is a call of a plain or dotted name that is no built-in and no
//!   variable of the flow (an activity or a flow);
//! - a later statement of the same block is the join: `y = J([...])`,
//!   `let y = J([...])`, `return J([...])` or `J([...])` alone (with
//!   `await` or parentheses allowed), where `J` is `WaitAll`,
//!   `ParallelExecute` or `WaitForAny` and `x` is, once, a direct element
//!   of its list;
//! - the statements between the two neither mention `x` nor contain
//!   `return`, `break` or `continue` (so every path from the call reaches
//!   the join), and nothing else in the whole flow mentions `x`: its one
//!   read is the join's.
//!
//! The call then starts where it is written and the flow goes on; the join
//! waits for it exactly as if the call were written in its list (under
//! `WaitAll`, a call that fails for good is an entry of `errors`). Any other
//! call waits for its result before the flow goes on, so side effects are
//! never reordered.

use std::collections::HashSet;

use crate::ast::{Block, Expr, ExprKind, FlowDecl, Stmt, StmtKind};
use crate::lang;
use crate::visit::{self, Visitor};
use crate::Span;

/// The built-ins that join branches.
pub const JOINS: &[&str] = &["WaitAll", "ParallelExecute", "WaitForAny"];

/// A call that starts as a branch by assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignFork {
    /// The variable.
    pub var: String,
    /// The assignment statement.
    pub stmt: Span,
    /// The call expression (without `await` and parentheses).
    pub call: Span,
    /// The join's call expression (without `await` and parentheses).
    pub join: Span,
    /// The join's callee (`WaitAll`, ...), for people.
    pub join_name: &'static str,
    /// The join's callee span.
    pub join_head: Span,
    /// The element of the join's list that reads the variable.
    pub element: Span,
}

/// The forks by assignment of a top-level flow (its nested functions and
/// inline flows included), in source order.
pub fn assign_forks(flow: &FlowDecl) -> Vec<AssignFork> {
    let mut vars = Names::default();
    vars.visit_flow(flow);
    let mut blocks = Blocks::default();
    blocks.visit_flow(flow);
    let mut out = Vec::new();
    for block in blocks.0 {
        for (i, s) in block.stmts.iter().enumerate() {
            if let Some(f) = fork_at(flow, &block.stmts, i, s, &vars.0) {
                out.push(f);
            }
        }
    }
    out.sort_by_key(|f| f.stmt.start);
    out
}

/// The call under `await` and parentheses.
fn strip(e: &Expr) -> &Expr {
    let e = e.unparen();
    match &e.kind {
        ExprKind::Await(inner) => inner.unparen(),
        _ => e,
    }
}

fn fork_at(
    flow: &FlowDecl,
    stmts: &[Stmt],
    i: usize,
    s: &Stmt,
    vars: &HashSet<String>,
) -> Option<AssignFork> {
    let (var, value) = match &s.kind {
        StmtKind::Let {
            name,
            value: Some(v),
            ..
        } => (name.name.as_str(), v),
        StmtKind::Assign {
            target,
            op: crate::ast::AssignOp::Set,
            value,
        } => match &target.kind {
            ExprKind::Name(n) => (n.as_str(), value),
            _ => return None,
        },
        _ => return None,
    };
    let call_expr = strip(value);
    let call = call_expr.as_call()?;
    let root = match call.callee_name() {
        Some(n) => n,
        None => call.dotted_callee()?.1,
    };
    if (call.callee_name().is_some() && lang::builtin(root).is_some()) || vars.contains(root) {
        return None;
    }
    if mentions_in_expr(value, var) {
        return None;
    }
    // The join: the first later statement that mentions the variable.
    let mut j = i + 1;
    while j < stmts.len() && !mentions(&stmts[j], var) {
        if leaves(&stmts[j]) {
            return None;
        }
        j += 1;
    }
    let join_stmt = stmts.get(j)?;
    let join_value = match &join_stmt.kind {
        StmtKind::Let { value: Some(v), .. } => v,
        StmtKind::Assign {
            op: crate::ast::AssignOp::Set,
            value,
            ..
        } => value,
        StmtKind::Return { value: Some(v) } => v,
        StmtKind::Expr(e) => e,
        _ => return None,
    };
    let join_expr = strip(join_value);
    let join = join_expr.as_call()?;
    let join_name = JOINS
        .iter()
        .find(|j| join.callee_name() == Some(j))
        .copied()?;
    if vars.contains(join_name) {
        return None;
    }
    let ExprKind::Array(items) = &join.args.first()?.value.unparen().kind else {
        return None;
    };
    let element = items
        .iter()
        .find(|it| matches!(&it.unparen().kind, ExprKind::Name(n) if n == var))?;
    // Exactly this element reads the variable in the whole flow (besides
    // the assignment itself and, for `y = J(...)` with y == x, the join's
    // own target).
    let mut count = Count {
        var,
        names: 0,
        other: 0,
    };
    count.visit_flow(flow);
    let join_target_is_var = match &join_stmt.kind {
        StmtKind::Let { name, .. } => name.name == var,
        StmtKind::Assign { target, .. } => matches!(&target.kind, ExprKind::Name(n) if n == var),
        _ => false,
    };
    let expected_names = 1
        + usize::from(matches!(s.kind, StmtKind::Assign { .. }))
        + usize::from(join_target_is_var && matches!(join_stmt.kind, StmtKind::Assign { .. }));
    let expected_other = usize::from(matches!(s.kind, StmtKind::Let { .. }))
        + usize::from(join_target_is_var && matches!(join_stmt.kind, StmtKind::Let { .. }));
    if count.names != expected_names || count.other != expected_other {
        return None;
    }
    Some(AssignFork {
        var: var.to_string(),
        stmt: s.span,
        call: call_expr.span,
        join: join_expr.span,
        join_name,
        join_head: join.callee.span,
        element: element.unparen().span,
    })
}

/// Whether `s` may leave its block other than by going on to the next
/// statement (outside nested functions and inline flows).
fn leaves(s: &Stmt) -> bool {
    struct Leaves(bool);
    impl<'a> Visitor<'a> for Leaves {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s.kind {
                StmtKind::Return { .. } | StmtKind::Break | StmtKind::Continue => self.0 = true,
                _ => visit::walk_stmt(self, s),
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e.kind {
                ExprKind::Lambda(_) | ExprKind::Flow(_) => {}
                _ => visit::walk_expr(self, e),
            }
        }
    }
    let mut v = Leaves(false);
    v.visit_stmt(s);
    v.0
}

fn mentions(s: &Stmt, var: &str) -> bool {
    let mut c = Count {
        var,
        names: 0,
        other: 0,
    };
    c.visit_stmt(s);
    c.names + c.other > 0
}

fn mentions_in_expr(e: &Expr, var: &str) -> bool {
    let mut c = Count {
        var,
        names: 0,
        other: 0,
    };
    c.visit_expr(e);
    c.names + c.other > 0
}

/// Counts the mentions of a name: as an expression (`names`) and as any
/// other binding (`let`, `for`, `value, err =`, parameters: `other`).
struct Count<'v> {
    var: &'v str,
    names: usize,
    other: usize,
}

impl<'a> Visitor<'a> for Count<'_> {
    fn visit_flow(&mut self, f: &'a FlowDecl) {
        for p in &f.params {
            if p.name.as_ref().is_some_and(|n| n.name == self.var) {
                self.other += 1;
            }
        }
        visit::walk_flow(self, f);
    }
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Let { name, .. } | StmtKind::For { var: name, .. }
                if name.name == self.var =>
            {
                self.other += 1
            }
            StmtKind::TryAssign { value, err, .. } => {
                self.other +=
                    usize::from(value.name == self.var) + usize::from(err.name == self.var)
            }
            _ => {}
        }
        visit::walk_stmt(self, s);
    }
    fn visit_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Name(n) if n == self.var => self.names += 1,
            ExprKind::Lambda(l) => {
                self.other += l.params.iter().filter(|p| p.name == self.var).count()
            }
            _ => {}
        }
        visit::walk_expr(self, e);
    }
}

/// Every name the flow binds as a variable (parameters, assignments,
/// `let`, `for`, `value, err =`, function parameters).
#[derive(Default)]
struct Names(HashSet<String>);

impl<'a> Visitor<'a> for Names {
    fn visit_flow(&mut self, f: &'a FlowDecl) {
        for p in f.params.iter().filter_map(|p| p.name.as_ref()) {
            self.0.insert(p.name.clone());
        }
        visit::walk_flow(self, f);
    }
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Let { name, .. } | StmtKind::For { var: name, .. } => {
                self.0.insert(name.name.clone());
            }
            StmtKind::Assign { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    self.0.insert(n.clone());
                }
            }
            StmtKind::TryAssign { value, err, .. } => {
                self.0.insert(value.name.clone());
                self.0.insert(err.name.clone());
            }
            _ => {}
        }
        visit::walk_stmt(self, s);
    }
    fn visit_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Lambda(l) = &e.kind {
            for p in &l.params {
                self.0.insert(p.name.clone());
            }
        }
        visit::walk_expr(self, e);
    }
}

/// Every block of the flow, nested ones included.
#[derive(Default)]
struct Blocks<'a>(Vec<&'a Block>);

impl<'a> Visitor<'a> for Blocks<'a> {
    fn visit_block(&mut self, b: &'a Block) {
        self.0.push(b);
        visit::walk_block(self, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forks(text: &str) -> Vec<String> {
        let p = crate::parse(text);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let flow = p.module.flows().next().expect("a flow");
        assign_forks(flow)
            .into_iter()
            .map(|f| {
                format!(
                    "{} {} -> {}",
                    f.var,
                    &text[f.call.start as usize..f.call.end as usize],
                    f.join_name
                )
            })
            .collect()
    }

    #[test]
    fn the_seeds_fork_and_join() {
        let text = "flow P(order) {\n    inventoryCheck = CheckInventory(order.items)\n    paymentValidation = ValidatePayment(order.payment)\n    let address = await aws.Verify(order.address) @timeout(1h)\n    Log(order)\n    results = WaitAll([inventoryCheck, paymentValidation, address])\n    return results\n}\n";
        assert_eq!(
            forks(text),
            [
                "inventoryCheck CheckInventory(order.items) -> WaitAll",
                "paymentValidation ValidatePayment(order.payment) -> WaitAll",
                "address aws.Verify(order.address) @timeout(1h) -> WaitAll"
            ]
        );
    }

    #[test]
    fn a_handle_that_escapes_is_not_forked() {
        for body in [
            // read before the join
            "a = A(o)\n    Log(a)\n    return WaitAll([a])",
            // read after the join
            "a = A(o)\n    r = WaitAll([a])\n    return [r, a]",
            // read twice in the join
            "a = A(o)\n    return WaitAll([a, a])",
            // not a direct element
            "a = A(o)\n    return WaitAll([a.x])",
            // a path that never joins
            "a = A(o)\n    if o.x {\n        return 1\n    }\n    return WaitAll([a])",
            // the join in another block
            "a = A(o)\n    if o.x {\n        WaitAll([a])\n    }\n    return 1",
            // a built-in, a closure
            "a = len(o)\n    return WaitAll([a])",
            "f = func() { return 1 }\n    a = f()\n    return WaitAll([a])",
            // not a join
            "a = A(o)\n    return Combine([a])",
            // assigned twice
            "a = A(o)\n    a = B(o)\n    return WaitAll([a])",
        ] {
            let text = format!("flow P(o) {{\n    {body}\n}}\n");
            assert!(forks(&text).is_empty(), "{text}");
        }
    }
}

//! Which calls start concurrently (fork) and where a flow waits for them
//! (join): the rule tools show (the language server's inlay hints), kept
//! in one place so that it follows the language as the compiler does.
//!
//! Today a flow forks where:
//!
//! - a call is an element of the list of a parallel built-in
//!   (`WaitAll([A(), B()])`, `ParallelExecute([...])`, `WaitForAny([...])`)
//!   or of an awaited list (`await [A(), B()]`): the built-in starts it as
//!   a branch;
//! - a `func` is such an element: it is called as a branch;
//! - the function of `ParallelForEach(list, f)` runs once per element,
//!   all at once;
//! - an inline flow is written: its child run starts there and the flow
//!   goes on (it waits where it uses the handle);
//! - a call is assigned to a variable whose one read is an element of a
//!   later join's list (fork by assignment, edition 2: the rule is
//!   `weft_syntax::assign_forks`, which the compiler follows too).
//!
//! Any other call waits for its result before the flow goes on. A name
//! that a variable in scope holds is not the built-in (a closure held by a
//! variable is called first, as `calls.rs` resolves calls).

use crate::scope::{Scope, ScopeKind};
use crate::SourceFile;
use weft_syntax::ast::{
    Block, BracedEntry, Call, Else, Expr, ExprKind, FlowDecl, Ident, IfStmt, ObjectEntry, Stmt,
    StmtKind,
};
use weft_syntax::Span;

/// How a fork starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForkKind {
    /// A call in a join's list, started as a branch.
    Branch,
    /// A `func` in a join's list, called as a branch.
    Closure,
    /// The function of `ParallelForEach`, called for every element at once.
    PerElement,
    /// An inline flow: a child run that starts where it is written.
    InlineFlow,
    /// A call assigned to a variable that a later join reads (fork by
    /// assignment): it starts where it is written, as a branch of that join.
    Assigned,
}

/// A place where a flow starts something and goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fork {
    /// The call (its whole expression), `func` or inline flow.
    pub span: Span,
    /// How it starts.
    pub kind: ForkKind,
    /// The join that starts and waits for it: its callee's span (or the
    /// `await` of an awaited list). None for inline flows, which are
    /// waited for where their handle is used.
    pub join: Option<Span>,
}

/// A place where a flow waits for branches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    /// The whole call (or the awaited list).
    pub span: Span,
    /// Its callee's span (or the `await`'s).
    pub head: Span,
    /// The built-in (`ParallelExecute` for an awaited list).
    pub builtin: &'static str,
    /// The number of branches when the list is written out.
    pub branches: Option<usize>,
}

/// The forks and joins of one file, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forks {
    /// Where the file's flows start something and go on.
    pub forks: Vec<Fork>,
    /// Where they wait for branches.
    pub joins: Vec<Join>,
}

/// The built-ins that start the branches of a list and wait for them.
const JOINS: &[&str] = &[
    "WaitAll",
    "ParallelExecute",
    "WaitForAny",
    "ParallelForEach",
];

/// The forks and joins of every file of the program `files`, in the
/// order of `files`.
pub fn forks(files: &[SourceFile<'_>]) -> Vec<Forks> {
    files
        .iter()
        .map(|f| {
            let mut w = ForkWalker {
                scopes: Vec::new(),
                out: Forks::default(),
            };
            for flow in f.module.flows() {
                w.function(ScopeKind::Flow, &params_of(flow), &flow.body);
                for a in weft_syntax::assign_forks::assign_forks(flow) {
                    w.out.forks.push(Fork {
                        span: a.call,
                        kind: ForkKind::Assigned,
                        join: Some(a.join_head),
                    });
                }
            }
            w.out.forks.sort_by_key(|f| (f.span.start, f.span.end));
            w.out.joins.sort_by_key(|j| (j.span.start, j.span.end));
            w.out
        })
        .collect()
}

fn params_of(flow: &FlowDecl) -> Vec<&Ident> {
    flow.params.iter().filter_map(|p| p.name.as_ref()).collect()
}

struct ForkWalker<'a> {
    /// The variables of the functions around, innermost last.
    scopes: Vec<Scope<'a>>,
    out: Forks,
}

impl<'a> ForkWalker<'a> {
    fn function(&mut self, kind: ScopeKind<'a>, params: &[&'a Ident], body: &'a Block) {
        let (scope, _) = Scope::new(kind, params, body);
        self.scopes.push(scope);
        self.block(body);
        self.scopes.pop();
    }

    /// True when `name` is a variable of a function around.
    fn is_variable(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.lookup(name).is_some())
    }

    /// The join built-in `call` calls, if it calls one.
    fn join_of(&self, call: &Call) -> Option<&'static str> {
        let name = call.callee_name()?;
        let builtin = JOINS.iter().find(|j| **j == name)?;
        (!self.is_variable(name)).then_some(*builtin)
    }

    /// The elements of a join's list: calls and `func`s are branches.
    fn branches(&mut self, items: &[Expr], join: Span) {
        for item in items {
            let u = item.unparen();
            let kind = match &u.kind {
                ExprKind::Call(_) => ForkKind::Branch,
                ExprKind::Lambda(_) => ForkKind::Closure,
                _ => continue,
            };
            self.out.forks.push(Fork {
                span: u.span,
                kind,
                join: Some(join),
            });
        }
    }
}

impl<'a> ForkWalker<'a> {
    fn block(&mut self, b: &'a Block) {
        for s in &b.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Let { value, .. } => {
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            StmtKind::Assign { target, value, .. } => {
                self.expr(target);
                self.expr(value);
            }
            StmtKind::IncDec { target, .. } => self.expr(target),
            StmtKind::TryAssign { call, .. } => self.expr(call),
            StmtKind::If(i) => self.if_stmt(i),
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.block(body);
            }
            StmtKind::For { iterable, body, .. } => {
                self.expr(iterable);
                self.block(body);
            }
            StmtKind::Return { value } => {
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
        }
    }

    fn if_stmt(&mut self, i: &'a IfStmt) {
        self.expr(&i.cond);
        self.block(&i.then_block);
        match &i.else_branch {
            Some(Else::Block(b)) => self.block(b),
            Some(Else::If(nested)) => self.if_stmt(nested),
            None => {}
        }
    }

    fn expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Duration { .. }
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Name(_)
            | ExprKind::Error => {}
            ExprKind::Array(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Object(entries) => {
                for en in entries {
                    match en {
                        ObjectEntry::Field { value, .. } => self.expr(value),
                        ObjectEntry::Spread(x) => self.expr(x),
                    }
                }
            }
            ExprKind::Member { object, .. } => self.expr(object),
            ExprKind::Index { object, index } => {
                self.expr(object);
                self.expr(index);
            }
            ExprKind::Unary { operand, .. } => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Paren(x) => self.expr(x),
            ExprKind::Braced(b) => {
                for en in &b.entries {
                    match en {
                        BracedEntry::Field { value, .. }
                        | BracedEntry::Set { value, .. }
                        | BracedEntry::Spread(value)
                        | BracedEntry::Expr(value) => self.expr(value),
                    }
                }
            }
            ExprKind::Call(call) => {
                if let Some(builtin) = self.join_of(call) {
                    let head = call.callee.span;
                    let list = call.args.first().map(|a| a.value.unparen());
                    let branches = match (builtin, list) {
                        ("ParallelForEach", _) => {
                            if let Some(f) = call.args.get(1) {
                                let u = f.value.unparen();
                                if matches!(u.kind, ExprKind::Lambda(_) | ExprKind::Name(_)) {
                                    self.out.forks.push(Fork {
                                        span: u.span,
                                        kind: ForkKind::PerElement,
                                        join: Some(head),
                                    });
                                }
                            }
                            None
                        }
                        (
                            _,
                            Some(Expr {
                                kind: ExprKind::Array(items),
                                ..
                            }),
                        ) => {
                            self.branches(items, head);
                            Some(items.len())
                        }
                        _ => None,
                    };
                    self.out.joins.push(Join {
                        span: e.span,
                        head,
                        builtin,
                        branches,
                    });
                }
                self.expr(&call.callee);
                for a in &call.args {
                    self.expr(&a.value);
                }
                for ann in &call.annotations {
                    for a in &ann.args {
                        self.expr(&a.value);
                    }
                }
            }
            ExprKind::Await(inner) => {
                if let ExprKind::Array(items) = &inner.unparen().kind {
                    // `await [A(), B()]` is `await ParallelExecute([...])`.
                    let head = Span {
                        start: e.span.start,
                        end: inner.span.start,
                    };
                    self.branches(items, head);
                    self.out.joins.push(Join {
                        span: e.span,
                        head,
                        builtin: "ParallelExecute",
                        branches: Some(items.len()),
                    });
                }
                self.expr(inner);
            }
            ExprKind::Flow(f) => {
                self.out.forks.push(Fork {
                    span: f.span,
                    kind: ForkKind::InlineFlow,
                    join: None,
                });
                for p in &f.params {
                    if let Some(v) = &p.value {
                        self.expr(v);
                    }
                }
                let params = params_of(f);
                self.function(ScopeKind::InlineFlow(f), &params, &f.body);
            }
            ExprKind::Lambda(l) => {
                let params: Vec<&Ident> = l.params.iter().collect();
                self.function(ScopeKind::Lambda, &params, &l.body);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forks and joins of `src` as `text:kind`.
    fn show(src: &str) -> (Vec<String>, Vec<String>) {
        let p = weft_syntax::parse(src);
        let files = [SourceFile {
            name: "a.weft",
            module: &p.module,
        }];
        let f = forks(&files).pop().unwrap();
        let text = |s: Span| src[s.start as usize..s.end as usize].to_string();
        (
            f.forks
                .iter()
                .map(|k| format!("{}:{:?}", text(k.span), k.kind))
                .collect(),
            f.joins
                .iter()
                .map(|j| format!("{}:{}:{:?}", text(j.head), j.builtin, j.branches))
                .collect(),
        )
    }

    #[test]
    fn branches_of_parallel_builtins() {
        let (forks, joins) = show(
            "flow A(o) {\n    r = WaitAll([Check(o), Pay(o) @retry(2), o.x, func() { return 1 }])\n    s = ParallelForEach(o.items, func(i) { return Ship(i) })\n    t = await [Ask(o) @timeout(1h), Ask(o)]\n    u = Pay(o)\n    return [r, s, t, u]\n}\n",
        );
        assert_eq!(
            forks,
            [
                "Check(o):Branch",
                "Pay(o) @retry(2):Branch",
                "func() { return 1 }:Closure",
                "func(i) { return Ship(i) }:PerElement",
                "Ask(o) @timeout(1h):Branch",
                "Ask(o):Branch",
            ]
        );
        assert_eq!(
            joins,
            [
                "WaitAll:WaitAll:Some(4)",
                "ParallelForEach:ParallelForEach:None",
                "await :ParallelExecute:Some(2)",
            ]
        );
    }

    #[test]
    fn inline_flows_fork_and_variables_are_not_builtins() {
        let (forks, joins) = show(
            "flow A(e) {\n    it = flow SetupIT(e) { return Make(e) }\n    hr = SetupHR(e) {\n        return Enroll(e)\n    }\n    all = ParallelExecute([it, hr])\n    WaitAll = func(xs) { return xs }\n    return WaitAll([F(e)])\n}\n",
        );
        assert_eq!(forks.len(), 2, "{forks:?}");
        assert!(forks[0].starts_with("flow SetupIT(e)") && forks[0].ends_with(":InlineFlow"));
        assert!(forks[1].starts_with("SetupHR(e) {") && forks[1].ends_with(":InlineFlow"));
        // The handles in the list are waited for, not started.
        assert_eq!(joins, ["ParallelExecute:ParallelExecute:Some(2)"]);
    }
}

//! A read-only walk over the tree. Implement the `visit_*` methods you need;
//! call the matching `walk_*` function inside them to keep descending.
//!
//! The nodes are borrowed for `'ast`, the tree's lifetime, so a visitor
//! may keep references into the tree (names, sub-expressions) it meets.
//! Every pass that goes over the tree in source order uses this; passes
//! that follow control flow instead (the definite-assignment check, the
//! compiler, the diagram builder) thread their own state through their own
//! recursion.

use crate::ast::*;

/// Visits nodes of a module; every method defaults to walking the children.
pub trait Visitor<'ast> {
    /// An activity declaration. Nothing inside is walked by default: its
    /// annotation arguments are literals, not code of a flow.
    fn visit_activity(&mut self, _a: &'ast ActivityDecl) {}
    /// A `type` declaration.
    fn visit_type_decl(&mut self, _t: &'ast TypeDecl) {}
    /// A `machine` declaration: by default its handlers' bodies and its
    /// fields' defaults are walked (see [`walk_machine`]).
    fn visit_machine(&mut self, m: &'ast MachineDecl) {
        walk_machine(self, m)
    }
    /// A flow, top-level or inline.
    fn visit_flow(&mut self, f: &'ast FlowDecl) {
        walk_flow(self, f)
    }
    /// A block.
    fn visit_block(&mut self, b: &'ast Block) {
        walk_block(self, b)
    }
    /// A statement.
    fn visit_stmt(&mut self, s: &'ast Stmt) {
        walk_stmt(self, s)
    }
    /// An expression.
    fn visit_expr(&mut self, e: &'ast Expr) {
        walk_expr(self, e)
    }
}

/// Visits every top-level item of `m`.
pub fn walk_module<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, m: &'ast Module) {
    for item in &m.items {
        match item {
            Item::Flow(f) => v.visit_flow(f),
            Item::Activity(a) => v.visit_activity(a),
            Item::Type(t) => v.visit_type_decl(t),
            Item::Machine(m) => v.visit_machine(m),
            // A trigger's call is data, not code a run executes: the
            // checker reads it with its own pass (`triggers.rs`), so the
            // passes over calls and names do not take `sdk.TaskQueue` for
            // an activity.
            Item::Trigger(_) => {}
        }
    }
}

/// Visits a machine's field defaults and its handlers' bodies.
pub fn walk_machine<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, m: &'ast MachineDecl) {
    fn shape<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, s: &'ast Shape) {
        for f in &s.fields {
            if let Some(d) = &f.default {
                v.visit_expr(d);
            }
            if let Some(n) = &f.nested {
                shape(v, n);
            }
        }
    }
    for member in &m.members {
        match member {
            MachineMember::State(s) => shape(v, &s.shape),
            MachineMember::Command(c) => {
                if let Some(s) = &c.shape {
                    shape(v, s);
                }
                if let Some(b) = &c.body {
                    v.visit_block(b);
                }
            }
            MachineMember::Handler(h) => v.visit_block(&h.body),
            MachineMember::Error(_) => {}
        }
    }
}

/// Visits a flow's input expressions and body.
pub fn walk_flow<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, f: &'ast FlowDecl) {
    for p in &f.params {
        if let Some(e) = &p.value {
            v.visit_expr(e);
        }
    }
    v.visit_block(&f.body);
}

/// Visits each statement of a block.
pub fn walk_block<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, b: &'ast Block) {
    for s in &b.stmts {
        v.visit_stmt(s);
    }
}

/// Visits the parts of a statement.
pub fn walk_stmt<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, s: &'ast Stmt) {
    match &s.kind {
        StmtKind::Let { value, .. } => {
            if let Some(e) = value {
                v.visit_expr(e);
            }
        }
        StmtKind::Assign { target, value, .. } => {
            v.visit_expr(target);
            v.visit_expr(value);
        }
        StmtKind::IncDec { target, .. } => v.visit_expr(target),
        StmtKind::TryAssign { call, .. } => v.visit_expr(call),
        StmtKind::If(i) => walk_if(v, i),
        StmtKind::While { cond, body } => {
            v.visit_expr(cond);
            v.visit_block(body);
        }
        StmtKind::For { iterable, body, .. } => {
            v.visit_expr(iterable);
            v.visit_block(body);
        }
        StmtKind::Return { value } => {
            if let Some(e) = value {
                v.visit_expr(e);
            }
        }
        StmtKind::Expr(e) => v.visit_expr(e),
        StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
    }
}

/// Visits the condition and branches of an `if`.
pub fn walk_if<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, i: &'ast IfStmt) {
    v.visit_expr(&i.cond);
    v.visit_block(&i.then_block);
    match &i.else_branch {
        Some(Else::Block(b)) => v.visit_block(b),
        Some(Else::If(nested)) => walk_if(v, nested),
        None => {}
    }
}

/// Visits the sub-expressions of an expression.
pub fn walk_expr<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, e: &'ast Expr) {
    match &e.kind {
        ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Duration { .. }
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Error => {}
        ExprKind::Array(items) => items.iter().for_each(|i| v.visit_expr(i)),
        ExprKind::Object(entries) => {
            for en in entries {
                match en {
                    ObjectEntry::Field { value, .. } => v.visit_expr(value),
                    ObjectEntry::Spread(x) => v.visit_expr(x),
                }
            }
        }
        ExprKind::Member { object, .. } => v.visit_expr(object),
        ExprKind::Index { object, index } => {
            v.visit_expr(object);
            v.visit_expr(index);
        }
        ExprKind::Call(c) => {
            v.visit_expr(&c.callee);
            for a in &c.args {
                v.visit_expr(&a.value);
            }
            for ann in &c.annotations {
                for a in &ann.args {
                    v.visit_expr(&a.value);
                }
            }
        }
        ExprKind::Unary { operand, .. } => v.visit_expr(operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        ExprKind::Lambda(l) => v.visit_block(&l.body),
        ExprKind::Await(x) | ExprKind::Paren(x) => v.visit_expr(x),
        ExprKind::Flow(f) => v.visit_flow(f),
        ExprKind::Braced(b) => {
            for en in &b.entries {
                match en {
                    BracedEntry::Field { value, .. } | BracedEntry::Spread(value) => {
                        v.visit_expr(value)
                    }
                    BracedEntry::Set { target, value } => {
                        v.visit_expr(target);
                        v.visit_expr(value);
                    }
                    BracedEntry::Expr(e) => v.visit_expr(e),
                }
            }
        }
    }
}

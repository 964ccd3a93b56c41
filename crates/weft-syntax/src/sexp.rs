//! A compact, span-free rendering of the tree as S-expressions.
//!
//! Parser tests compare against it, and the formatter's round-trip test uses
//! it to check that formatting changes no meaning: two trees that print the
//! same S-expression are the same program.

use crate::ast::*;
use std::fmt::Write as _;

/// The whole module as S-expressions, one top-level item per line.
pub fn module(m: &Module) -> String {
    let mut out = String::new();
    for item in &m.items {
        match item {
            Item::Flow(f) => flow(&mut out, f),
            Item::Activity(a) => activity(&mut out, a),
            Item::Type(t) => {
                let _ = write!(out, "(type {} ", t.name.name);
                ty(&mut out, &t.ty);
                out.push(')');
            }
            Item::Machine(m) => machine(&mut out, m),
            Item::Trigger(t) => {
                out.push_str("(trigger ");
                expr(&mut out, &t.call);
                out.push(')');
            }
        }
        out.push('\n');
    }
    out
}

/// One expression as an S-expression.
pub fn expr_to_string(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e);
    out
}

/// `(activity Name (p:T q?:U) -> R @http(...))`
fn activity(out: &mut String, a: &ActivityDecl) {
    let _ = write!(out, "(activity {} (", a.name.name);
    for (i, p) in a.params.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{}{}:", p.name.name, if p.optional { "?" } else { "" });
        ty(out, &p.ty);
    }
    out.push(')');
    if let Some(r) = &a.result {
        out.push_str(" -> ");
        ty(out, r);
    }
    annotations(out, &a.annotations);
    out.push(')');
}

/// One type as an S-expression.
pub fn type_to_string(t: &TypeExpr) -> String {
    let mut out = String::new();
    ty(&mut out, t);
    out
}

fn ty(out: &mut String, t: &TypeExpr) {
    match &t.kind {
        TypeKind::Name(n) => out.push_str(n),
        TypeKind::List(inner) => {
            out.push('[');
            ty(out, inner);
            out.push(']');
        }
        TypeKind::Object(o) => {
            out.push('{');
            for (i, f) in o.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if f.key.quoted {
                    let _ = write!(out, "{:?}", f.key.name);
                } else {
                    out.push_str(&f.key.name);
                }
                if f.optional {
                    out.push('?');
                }
                out.push(':');
                ty(out, &f.ty);
            }
            if o.open.is_some() {
                out.push_str(if o.fields.is_empty() { ".." } else { " .." });
            }
            out.push('}');
        }
        TypeKind::Union(members) => {
            out.push_str("(|");
            for m in members {
                out.push(' ');
                ty(out, m);
            }
            out.push(')');
        }
        TypeKind::Literal(text) => {
            let _ = write!(out, "{text:?}");
        }
        TypeKind::Error => out.push_str("(error)"),
    }
}

/// `(machine Name (state {...}) (command Add (input:T) {...}) (on X (i) {...}))`
fn machine(out: &mut String, m: &MachineDecl) {
    let _ = write!(out, "(machine {}", m.name.name);
    for member in &m.members {
        out.push(' ');
        match member {
            MachineMember::State(s) => {
                out.push_str("(state ");
                shape(out, &s.shape);
                out.push(')');
            }
            MachineMember::Command(c) => {
                let _ = write!(out, "(command {}", c.name.name);
                if c.form == CommandForm::Keyword {
                    out.push_str(" (");
                    if let Some(p) = &c.param {
                        out.push_str(&p.name.name);
                        if let Some(t) = &p.ty {
                            out.push(':');
                            ty(out, t);
                        }
                    }
                    out.push(')');
                }
                if let Some(sh) = &c.shape {
                    out.push(' ');
                    shape(out, sh);
                }
                if let Some(b) = &c.body {
                    out.push(' ');
                    block(out, b);
                }
                out.push(')');
            }
            MachineMember::Handler(h) => {
                let _ = write!(out, "(on {} (", h.name.name);
                if let Some(p) = &h.param {
                    out.push_str(&p.name);
                }
                out.push_str(") ");
                block(out, &h.body);
                out.push(')');
            }
            MachineMember::Error(_) => out.push_str("(error)"),
        }
    }
    out.push(')');
}

/// `{name:T=e other="x" kind=("a"|"b") nested{...} bare}`
fn shape(out: &mut String, s: &Shape) {
    out.push('{');
    for (i, f) in s.fields.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if f.key.quoted {
            let _ = write!(out, "{:?}", f.key.name);
        } else {
            out.push_str(&f.key.name);
        }
        if f.optional {
            out.push('?');
        }
        if let Some(t) = &f.ty {
            out.push_str(if f.choice { "=" } else { ":" });
            ty(out, t);
        }
        if let Some(d) = &f.default {
            out.push('=');
            expr(out, d);
        }
        if let Some(n) = &f.nested {
            shape(out, n);
        }
    }
    out.push('}');
}

fn annotations(out: &mut String, anns: &[Annotation]) {
    for a in anns {
        let _ = write!(out, " @{}", a.name.name);
        if a.parens {
            out.push('(');
            let mut inner = String::new();
            args(&mut inner, &a.args);
            out.push_str(inner.trim_start());
            out.push(')');
        }
    }
}

fn flow(out: &mut String, f: &FlowDecl) {
    let form = match f.form {
        FlowForm::Keyword => "flow",
        FlowForm::CallBlock => "flow-block",
    };
    let _ = write!(out, "({form} {} (", f.name.name);
    for (i, p) in f.params.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match (&p.name, &p.value) {
            (Some(n), None) => out.push_str(&n.name),
            (Some(n), Some(v)) => {
                let _ = write!(out, "{}:", n.name);
                expr(out, v);
            }
            (None, Some(v)) => expr(out, v),
            (None, None) => out.push('?'),
        }
    }
    out.push_str(") ");
    block(out, &f.body);
    out.push(')');
}

fn block(out: &mut String, b: &Block) {
    out.push('{');
    for s in &b.stmts {
        out.push(' ');
        stmt(out, s);
    }
    out.push_str(" }");
}

fn stmt(out: &mut String, s: &Stmt) {
    match &s.kind {
        StmtKind::Let { var, name, value } => {
            let _ = write!(out, "({} {}", if *var { "var" } else { "let" }, name.name);
            if let Some(v) = value {
                out.push(' ');
                expr(out, v);
            }
            out.push(')');
        }
        StmtKind::Assign { target, op, value } => {
            let _ = write!(out, "({} ", op.as_str());
            expr(out, target);
            out.push(' ');
            expr(out, value);
            out.push(')');
        }
        StmtKind::TryAssign {
            declare,
            value,
            err,
            call,
        } => {
            out.push('(');
            if let Some(d) = declare {
                let _ = write!(out, "{} ", d.as_str());
            }
            let _ = write!(out, "{}, {} = ", value.name, err.name);
            expr(out, call);
            out.push(')');
        }
        StmtKind::IncDec { target, increment } => {
            out.push_str(if *increment { "(++ " } else { "(-- " });
            expr(out, target);
            out.push(')');
        }
        StmtKind::If(i) => if_stmt(out, i),
        StmtKind::While { cond, body } => {
            out.push_str("(while ");
            expr(out, cond);
            out.push(' ');
            block(out, body);
            out.push(')');
        }
        StmtKind::For {
            var,
            iterable,
            body,
        } => {
            let _ = write!(out, "(for {} ", var.name);
            expr(out, iterable);
            out.push(' ');
            block(out, body);
            out.push(')');
        }
        StmtKind::Return { value } => {
            out.push_str("(return");
            if let Some(v) = value {
                out.push(' ');
                expr(out, v);
            }
            out.push(')');
        }
        StmtKind::Break => out.push_str("(break)"),
        StmtKind::Continue => out.push_str("(continue)"),
        StmtKind::Expr(e) => expr(out, e),
        StmtKind::Error => out.push_str("(error)"),
    }
}

fn if_stmt(out: &mut String, i: &IfStmt) {
    out.push_str("(if ");
    expr(out, &i.cond);
    out.push(' ');
    block(out, &i.then_block);
    match &i.else_branch {
        Some(Else::Block(b)) => {
            out.push_str(" else ");
            block(out, b);
        }
        Some(Else::If(nested)) => {
            out.push_str(" else ");
            if_stmt(out, nested);
        }
        None => {}
    }
    out.push(')');
}

fn args(out: &mut String, args: &[Arg]) {
    for a in args {
        out.push(' ');
        if let Some(n) = &a.name {
            let _ = write!(out, "{}:", n.name);
        }
        expr(out, &a.value);
    }
}

fn number(out: &mut String, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let _ = write!(out, "{}", v as i64);
    } else {
        let _ = write!(out, "{v}");
    }
}

fn expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Number(v) => number(out, *v),
        ExprKind::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Duration { amount, unit, .. } => {
            number(out, *amount);
            out.push_str(unit);
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Null => out.push_str("null"),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::Array(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                expr(out, it);
            }
            out.push(']');
        }
        ExprKind::Object(entries) => {
            out.push('{');
            for (i, en) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                match en {
                    ObjectEntry::Field { key, value } => {
                        if key.quoted {
                            let _ = write!(out, "{:?}:", key.name);
                        } else {
                            let _ = write!(out, "{}:", key.name);
                        }
                        expr(out, value);
                    }
                    ObjectEntry::Spread(v) => {
                        out.push_str("..");
                        expr(out, v);
                    }
                }
            }
            out.push('}');
        }
        ExprKind::Member { object, name } => {
            out.push_str("(. ");
            expr(out, object);
            let _ = write!(out, " {})", name.name);
        }
        ExprKind::Index { object, index } => {
            out.push_str("([] ");
            expr(out, object);
            out.push(' ');
            expr(out, index);
            out.push(')');
        }
        ExprKind::Call(c) => {
            out.push_str("(call ");
            expr(out, &c.callee);
            args(out, &c.args);
            annotations(out, &c.annotations);
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            let _ = write!(out, "({} ", op.as_str());
            expr(out, operand);
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let _ = write!(out, "({} ", op.as_str());
            expr(out, lhs);
            out.push(' ');
            expr(out, rhs);
            out.push(')');
        }
        ExprKind::Lambda(l) => {
            out.push_str("(func (");
            let names: Vec<&str> = l.params.iter().map(|p| p.name.as_str()).collect();
            out.push_str(&names.join(" "));
            out.push_str(") ");
            block(out, &l.body);
            out.push(')');
        }
        ExprKind::Await(inner) => {
            out.push_str("(await ");
            expr(out, inner);
            out.push(')');
        }
        ExprKind::Flow(f) => flow(out, f),
        ExprKind::Paren(inner) => {
            out.push_str("(paren ");
            expr(out, inner);
            out.push(')');
        }
        ExprKind::Braced(b) => {
            let _ = write!(out, "({}{{}}", b.name.name);
            for en in &b.entries {
                out.push(' ');
                match en {
                    BracedEntry::Field { key, value } => {
                        if key.quoted {
                            let _ = write!(out, "{:?}:", key.name);
                        } else {
                            let _ = write!(out, "{}:", key.name);
                        }
                        expr(out, value);
                    }
                    BracedEntry::Set { target, value } => {
                        out.push_str("(= ");
                        expr(out, target);
                        out.push(' ');
                        expr(out, value);
                        out.push(')');
                    }
                    BracedEntry::Expr(e) => expr(out, e),
                    BracedEntry::Spread(v) => {
                        out.push_str("..");
                        expr(out, v);
                    }
                }
            }
            out.push(')');
        }
        ExprKind::Error => out.push_str("(error)"),
    }
}

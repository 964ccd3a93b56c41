//! Expressions: one line, except for the lists and blocks inside them.
//!
//! Binary expressions are never broken (line breaks in them are dropped);
//! parentheses are written exactly where the source has them, which is
//! enough to keep the meaning, since the tree records them
//! ([`ExprKind::Paren`]).

use super::list::Elem;
use super::Builder;
use crate::doc::{Doc, Push};
use crate::literal;
use weft_syntax::ast::*;
use weft_syntax::lexer::TokenKind;

impl Builder<'_> {
    /// An expression, after the comments that come before it.
    pub(super) fn expr(&mut self, e: &Expr) -> Doc {
        let mut docs = self.comments_inline(e.span.start);
        let doc = self.expr_bare(e);
        if docs.is_empty() {
            return doc;
        }
        docs.push(doc);
        Doc::Concat(docs)
    }

    fn expr_bare(&mut self, e: &Expr) -> Doc {
        match &e.kind {
            ExprKind::Number(v) => Doc::text(literal::number(*v)),
            ExprKind::String(s) => Doc::text(literal::string(s)),
            ExprKind::Duration { amount, unit, .. } => Doc::text(literal::duration(*amount, unit)),
            ExprKind::Bool(b) => Doc::text(if *b { "true" } else { "false" }),
            ExprKind::Null => Doc::text("null"),
            ExprKind::Name(n) => Doc::text(n.clone()),
            ExprKind::Array(items) => self.array(e, items),
            ExprKind::Object(entries) => self.object(e, entries),
            ExprKind::Member { object, name } => self.member(object, name),
            ExprKind::Index { object, index } => self.index(e, object, index),
            ExprKind::Call(call) => self.call(call),
            ExprKind::Unary { op, operand } => self.unary(*op, operand),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs),
            ExprKind::Lambda(l) => self.lambda(e, l),
            ExprKind::Await(inner) => Doc::Concat(vec![Doc::text("await "), self.expr(inner)]),
            ExprKind::Flow(f) => self.flow(f),
            ExprKind::Paren(inner) => self.paren(e, inner),
            ExprKind::Braced(b) => self.braced(e, b),
            // Unreachable: files with syntax errors are refused.
            ExprKind::Error => Doc::nil(),
        }
    }

    /// `[a, b]`
    fn array(&mut self, e: &Expr, items: &[Expr]) -> Doc {
        let elems: Vec<Elem> = items.iter().map(Elem::Expr).collect();
        let close = e.span.end.saturating_sub(1);
        self.list("[", "]", e.span.start, close, &elems)
    }

    /// `{key: value, ..spread}`
    fn object(&mut self, e: &Expr, entries: &[ObjectEntry]) -> Doc {
        let elems: Vec<Elem> = entries.iter().map(Elem::Entry).collect();
        let close = e.span.end.saturating_sub(1);
        self.list("{", "}", e.span.start, close, &elems)
    }

    /// `object.name`
    fn member(&mut self, object: &Expr, name: &Ident) -> Doc {
        let mut docs = vec![self.expr(object), Doc::text(".")];
        docs.extend(self.comments_inline(name.span.start));
        docs.text(name.name.clone());
        Doc::Concat(docs)
    }

    /// `object[index]`
    fn index(&mut self, e: &Expr, object: &Expr, index: &Expr) -> Doc {
        let mut docs = vec![self.expr(object), Doc::text("["), self.expr(index)];
        docs.extend(self.comments_before_closer(e.span.end.saturating_sub(1)));
        docs.text("]");
        Doc::Concat(docs)
    }

    /// `(inner)`
    fn paren(&mut self, e: &Expr, inner: &Expr) -> Doc {
        let mut docs = vec![Doc::text("("), self.expr(inner)];
        docs.extend(self.comments_before_closer(e.span.end.saturating_sub(1)));
        docs.text(")");
        Doc::Concat(docs)
    }

    /// `!e`, `-e`, `+e`; `- -e`, not `--e`, which reads as a decrement.
    fn unary(&mut self, op: UnaryOp, operand: &Expr) -> Doc {
        let doubled = matches!(
            (op, &operand.kind),
            (
                UnaryOp::Neg,
                ExprKind::Unary {
                    op: UnaryOp::Neg,
                    ..
                }
            ) | (
                UnaryOp::Plus,
                ExprKind::Unary {
                    op: UnaryOp::Plus,
                    ..
                }
            )
        );
        let op = if doubled {
            format!("{} ", op.as_str())
        } else {
            op.as_str().to_string()
        };
        Doc::Concat(vec![Doc::text(op), self.expr(operand)])
    }

    /// `lhs op rhs`
    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Doc {
        let lhs = self.expr(lhs);
        let op = Doc::text(format!(" {} ", op.as_str()));
        Doc::Concat(vec![lhs, op, self.expr(rhs)])
    }

    /// `func(params) { body }`
    fn lambda(&mut self, e: &Expr, l: &Lambda) -> Doc {
        let mut docs = vec![Doc::text("func")];
        let open = self.token_after(e.span.start, TokenKind::LParen);
        let last = l.params.last().map_or(open + 1, |p| p.span.end);
        let close = self.token_after(last, TokenKind::RParen);
        docs.extend(self.comments_before_paren(open));
        let params: Vec<Elem> = l.params.iter().map(Elem::Name).collect();
        docs.push(self.list("(", ")", open, close, &params));
        docs.text(" ");
        docs.push(self.block(&l.body));
        Doc::Concat(docs)
    }

    /// `callee(args) @annotation(args) ...`
    fn call(&mut self, call: &Call) -> Doc {
        let mut docs = vec![self.expr(&call.callee)];
        // `F(x) @catch` followed by `(y)` calls what `F(x) @catch` returns;
        // written together, `@catch(y)` would read as the annotation's
        // arguments. The source had a line break there, inside brackets
        // (where line breaks are insignificant), so one is allowed.
        if let ExprKind::Call(inner) = &call.callee.kind {
            if inner.annotations.last().is_some_and(|a| !a.parens) {
                docs.push(Doc::HardLine);
            }
        }
        let open = self.token_after(call.callee.span.end, TokenKind::LParen);
        let last = call.args.last().map_or(open + 1, |a| a.value.span.end);
        let close = self.token_after(last, TokenKind::RParen);
        docs.extend(self.comments_before_paren(open));
        let args: Vec<Elem> = call.args.iter().map(Elem::Arg).collect();
        docs.push(self.list("(", ")", open, close, &args));
        for ann in &call.annotations {
            docs.push(self.annotation(ann));
        }
        Doc::Concat(docs)
    }

    /// ` @name` or ` @name(args)`, after a call.
    pub(super) fn annotation(&mut self, ann: &Annotation) -> Doc {
        Doc::Concat(vec![Doc::text(" "), self.annotation_bare(ann)])
    }

    /// `@name` or `@name(args)`.
    pub(super) fn annotation_bare(&mut self, ann: &Annotation) -> Doc {
        let mut docs = Vec::new();
        // Comments before `@` or between `@` and the name go before `@`.
        docs.extend(self.comments_inline(ann.name.span.start));
        docs.text(format!("@{}", ann.name.name));
        if ann.parens {
            let open = self.token_after(ann.name.span.end, TokenKind::LParen);
            let close = ann.span.end.saturating_sub(1);
            docs.extend(self.comments_before_paren(open));
            let args: Vec<Elem> = ann.args.iter().map(Elem::Arg).collect();
            docs.push(self.list("(", ")", open, close, &args));
        }
        Doc::Concat(docs)
    }
}

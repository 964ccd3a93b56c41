//! From the syntax tree and the comments to a [`Doc`].
//!
//! The builder walks the tree in source order and takes each comment from
//! the [`Source`] cursor the first time the walk passes its position, so
//! every comment is placed exactly once and in order (`comments.rs` says
//! where each lands). This file lays out the top level, flows, blocks and
//! statements; `decl.rs` activity and type declarations; `machine.rs`
//! machines and braced literals; `expr.rs`
//! expressions; `list.rs` bracketed lists, the only
//! constructs whose line breaks depend on width.
//!
//! The walk recurses once per level of the tree, whose depth the parser
//! bounds by [`weft_syntax::NESTING_MAX`]; recursive functions keep their
//! own frames small by leaving bulky work to helpers.

mod comments;
mod decl;
mod expr;
mod lines;
mod list;
mod machine;

use crate::doc::{Doc, Push};
use crate::source::Source;
use lines::Lines;
use list::Elem;
use weft_syntax::ast::*;
use weft_syntax::lexer::TokenKind;

/// The document for a whole module.
pub(crate) fn module(text: &str, m: &Module) -> Doc {
    let mut b = Builder {
        src: Source::new(text, &m.comments),
    };
    b.module(m)
}

/// Walks the tree, taking the comments as it passes them.
struct Builder<'a> {
    src: Source<'a>,
}

impl Builder<'_> {
    fn module(&mut self, m: &Module) -> Doc {
        let items = &m.items;
        let mut lines = Lines::default();
        let mut prev_end = 0;
        for (i, item) in items.iter().enumerate() {
            let span = item.span();
            let is_flow = matches!(item, Item::Flow(_) | Item::Machine(_) | Item::Trigger(_));
            // Exactly one blank line before and after each flow; between
            // declarations, a blank line where the source has one.
            if is_flow && !lines.is_empty() {
                lines.blank_next = true;
            }
            self.comments_at_boundary(span.start, &mut lines, &mut prev_end);
            let blank = self.blank_before(&lines, prev_end, span.start);
            let doc = match item {
                Item::Flow(f) => self.flow(f),
                Item::Activity(a) => self.activity(a),
                Item::Type(t) => self.type_decl(t),
                Item::Machine(m) => self.machine(m),
                Item::Trigger(t) => self.expr(&t.call),
            };
            let limit = items.get(i + 1).map_or(u32::MAX, |n| n.span().start);
            let (trailing, end) = self.comments_trailing(span.end, limit);
            let line = lines.current(blank);
            line.push(doc);
            line.extend(trailing);
            lines.end_line();
            lines.blank_next = is_flow;
            prev_end = end;
        }
        self.comments_at_boundary(u32::MAX, &mut lines, &mut prev_end);
        self.comments_left(&mut lines);
        if lines.is_empty() {
            return Doc::nil();
        }
        Doc::Concat(vec![lines.join(), Doc::HardLine])
    }

    /// `flow Name(params) { }` or, for an inline flow written as a call
    /// with a block, `Name(args) { }`.
    fn flow(&mut self, f: &FlowDecl) -> Doc {
        let mut docs = Vec::new();
        if f.form == FlowForm::Keyword {
            docs.text("flow ");
            docs.extend(self.comments_inline(f.name.span.start));
        }
        docs.text(f.name.name.clone());
        let open = self.token_after(f.name.span.end, TokenKind::LParen);
        let last = f.params.last().map_or(open + 1, |p| p.span.end);
        let close = self.token_after(last, TokenKind::RParen);
        docs.extend(self.comments_before_paren(open));
        let params: Vec<Elem> = f.params.iter().map(Elem::Param).collect();
        docs.push(self.list("(", ")", open, close, &params));
        docs.text(" ");
        docs.push(self.block(&f.body));
        Doc::Concat(docs)
    }

    /// `{`, the statements one per line, `}`; `{}` when there is nothing
    /// inside, not even a comment.
    fn block(&mut self, b: &Block) -> Doc {
        let open = b.span.start;
        let close = b.span.end.saturating_sub(1);
        let mut docs = self.comments_inline(open);
        docs.text("{");
        let first = b.stmts.first().map_or(close, |s| s.span.start);
        let (after_open, mut prev_end) = self.comments_trailing(open + 1, first);
        let commented = !after_open.is_empty();
        docs.extend(after_open);
        let mut lines = Lines::default();
        for (i, s) in b.stmts.iter().enumerate() {
            self.comments_at_boundary(s.span.start, &mut lines, &mut prev_end);
            let blank = self.blank_before(&lines, prev_end, s.span.start);
            let doc = self.stmt(s);
            let limit = b.stmts.get(i + 1).map_or(close, |n| n.span.start);
            let (trailing, end) = self.comments_trailing(s.span.end, limit);
            let line = lines.current(blank);
            line.push(doc);
            line.extend(trailing);
            lines.end_line();
            prev_end = end;
        }
        self.comments_at_boundary(close, &mut lines, &mut prev_end);
        if !lines.is_empty() {
            docs.push(Doc::Indent(vec![Doc::HardLine, lines.join()]));
            docs.push(Doc::CloseLine);
        } else if commented {
            docs.push(Doc::CloseLine);
        }
        docs.text("}");
        Doc::Concat(docs)
    }

    fn stmt(&mut self, s: &Stmt) -> Doc {
        let mut docs = Vec::new();
        match &s.kind {
            StmtKind::Let { var, name, value } => {
                docs.text(if *var { "var " } else { "let " });
                docs.extend(self.comments_inline(name.span.start));
                docs.text(name.name.clone());
                if let Some(value) = value {
                    docs.text(" = ");
                    docs.push(self.expr(value));
                }
            }
            StmtKind::Assign { target, op, value } => {
                docs.push(self.expr(target));
                docs.text(format!(" {} ", op.as_str()));
                docs.push(self.expr(value));
            }
            StmtKind::TryAssign {
                declare,
                value,
                err,
                call,
            } => {
                if let Some(d) = declare {
                    docs.text(format!("{} ", d.as_str()));
                }
                docs.extend(self.comments_inline(value.span.start));
                docs.text(format!("{}, ", value.name));
                docs.extend(self.comments_inline(err.span.start));
                docs.text(format!("{} = ", err.name));
                docs.push(self.expr(call));
            }
            StmtKind::IncDec { target, increment } => {
                docs.push(self.expr(target));
                docs.text(if *increment { "++" } else { "--" });
            }
            StmtKind::If(i) => self.if_stmt(i, &mut docs),
            StmtKind::While { cond, body } => {
                docs.text("while ");
                docs.push(self.expr(cond));
                docs.text(" ");
                docs.push(self.block(body));
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                docs.text("for ");
                docs.extend(self.comments_inline(var.span.start));
                docs.text(format!("{} in ", var.name));
                docs.push(self.expr(iterable));
                docs.text(" ");
                docs.push(self.block(body));
            }
            StmtKind::Return { value } => {
                docs.text("return");
                if let Some(value) = value {
                    // `return(e)`, as the seed flows write it; `return e`
                    // for anything not in parentheses.
                    let commented = self.src.peek_before(value.span.start).is_some();
                    if commented || !matches!(value.kind, ExprKind::Paren(_)) {
                        docs.text(" ");
                    }
                    docs.push(self.expr(value));
                }
            }
            StmtKind::Break => docs.text("break"),
            StmtKind::Continue => docs.text("continue"),
            StmtKind::Expr(e) => docs.push(self.expr(e)),
            // Unreachable: files with syntax errors are refused.
            StmtKind::Error => {}
        }
        Doc::Concat(docs)
    }

    /// `if c { } else if d { } else { }`, each `else` on the line of the
    /// `}` before it.
    fn if_stmt(&mut self, i: &IfStmt, docs: &mut Vec<Doc>) {
        docs.text("if ");
        docs.push(self.expr(&i.cond));
        docs.text(" ");
        docs.push(self.block(&i.then_block));
        let Some(branch) = &i.else_branch else {
            return;
        };
        let else_at = self.token_after(i.then_block.span.end, TokenKind::Else);
        docs.text(" ");
        docs.extend(self.comments_inline(else_at));
        docs.text("else ");
        match branch {
            Else::Block(b) => docs.push(self.block(b)),
            Else::If(nested) => {
                docs.extend(self.comments_inline(nested.span.start));
                self.if_stmt(nested, docs);
            }
        }
    }

    /// Start of the first `kind` token at or after `pos` (the tree is
    /// well formed, so it is there; `pos` itself is a safe fallback).
    fn token_after(&self, pos: u32, kind: TokenKind) -> u32 {
        self.src.token_after(pos, kind).unwrap_or(pos)
    }
}

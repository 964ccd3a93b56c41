//! `machine Name { ... }`: one member per line, as the statements of a
//! block, comments and blank lines kept. A shape (`{ fields }`) is a
//! bracketed list: on one line when the source had it on one line and it
//! fits, else one field per line, each followed by a comma (shapes take
//! commas or line breaks between fields; the canonical form writes both).
//! Braced literals (`Add{n: 1}`, `where{...}`) are lists too, with no space
//! before the brace, as the seed writes them; in declarations the name and
//! its brace are apart (`Confirm {`), as blocks are.

use super::lines::Lines;
use super::list::Elem;
use super::Builder;
use crate::doc::{Doc, Push};
use crate::literal;
use weft_syntax::ast::*;
use weft_syntax::lexer::TokenKind;

impl Builder<'_> {
    /// `machine Name { members }`
    pub(super) fn machine(&mut self, m: &MachineDecl) -> Doc {
        let mut docs = vec![Doc::text("machine ")];
        docs.extend(self.comments_inline(m.name.span.start));
        docs.text(m.name.name.clone());
        docs.text(" ");
        let open = self.token_after(m.name.span.end, TokenKind::LBrace);
        let close = m.span.end.saturating_sub(1);
        docs.extend(self.comments_inline(open));
        docs.text("{");
        let first = m.members.first().map_or(close, |s| s.span().start);
        let (after_open, mut prev_end) = self.comments_trailing(open + 1, first);
        let commented = !after_open.is_empty();
        docs.extend(after_open);
        let mut lines = Lines::default();
        for (i, member) in m.members.iter().enumerate() {
            let span = member.span();
            self.comments_at_boundary(span.start, &mut lines, &mut prev_end);
            let blank = self.blank_before(&lines, prev_end, span.start);
            let doc = self.machine_member(member);
            let limit = m.members.get(i + 1).map_or(close, |n| n.span().start);
            let (trailing, end) = self.comments_trailing(span.end, limit);
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

    fn machine_member(&mut self, member: &MachineMember) -> Doc {
        let mut docs = Vec::new();
        match member {
            MachineMember::State(s) => {
                docs.text("state ");
                docs.push(self.shape(&s.shape));
            }
            MachineMember::Command(c) => {
                if c.form == CommandForm::Keyword {
                    docs.text("command ");
                    docs.extend(self.comments_inline(c.name.span.start));
                    docs.text(c.name.name.clone());
                    let open = self.token_after(c.name.span.end, TokenKind::LParen);
                    let last = c.param.as_ref().map_or(open + 1, param_end);
                    let close = self.token_after(last, TokenKind::RParen);
                    docs.extend(self.comments_before_paren(open));
                    let params: Vec<Elem> = c.param.iter().map(Elem::CommandParam).collect();
                    docs.push(self.list("(", ")", open, close, &params));
                } else {
                    docs.text(c.name.name.clone());
                }
                if let Some(shape) = &c.shape {
                    docs.text(" ");
                    docs.push(self.shape(shape));
                }
                if let Some(body) = &c.body {
                    docs.text(" ");
                    docs.push(self.block(body));
                }
            }
            MachineMember::Handler(h) => {
                docs.text("on ");
                docs.extend(self.comments_inline(h.name.span.start));
                docs.text(h.name.name.clone());
                let open = self.token_after(h.name.span.end, TokenKind::LParen);
                let last = h.param.as_ref().map_or(open + 1, |p| p.span.end);
                let close = self.token_after(last, TokenKind::RParen);
                docs.extend(self.comments_before_paren(open));
                let params: Vec<Elem> = h.param.iter().map(Elem::Name).collect();
                docs.push(self.list("(", ")", open, close, &params));
                docs.text(" ");
                docs.push(self.block(&h.body));
            }
            // Unreachable: files with syntax errors are refused.
            MachineMember::Error(_) => {}
        }
        Doc::Concat(docs)
    }

    /// `{ fields }`
    pub(super) fn shape(&mut self, s: &Shape) -> Doc {
        let elems: Vec<Elem> = s.fields.iter().map(Elem::ShapeField).collect();
        let close = s.span.end.saturating_sub(1);
        self.list("{", "}", s.span.start, close, &elems)
    }

    /// One field of a shape, in its canonical spelling.
    pub(super) fn shape_field(&mut self, f: &ShapeField) -> Doc {
        let key = if f.key.quoted {
            literal::string(&f.key.name)
        } else {
            f.key.name.clone()
        };
        let mut docs = vec![Doc::text(key)];
        if f.optional {
            docs.text("?");
        }
        if let Some(ty) = &f.ty {
            docs.text(if f.choice { " = " } else { ": " });
            docs.push(self.ty(ty));
        }
        if let Some(d) = &f.default {
            docs.text(" = ");
            docs.push(self.expr(d));
        }
        if let Some(n) = &f.nested {
            docs.text(" ");
            docs.push(self.shape(n));
        }
        Doc::Concat(docs)
    }

    /// `Name{ entries }`
    pub(super) fn braced(&mut self, e: &Expr, b: &Braced) -> Doc {
        let elems: Vec<Elem> = b.entries.iter().map(Elem::Braced).collect();
        let open = self.token_after(b.name.span.end, TokenKind::LBrace);
        let close = e.span.end.saturating_sub(1);
        let mut docs = vec![Doc::text(b.name.name.clone())];
        docs.extend(self.comments_inline(open));
        docs.push(self.list("{", "}", open, close, &elems));
        Doc::Concat(docs)
    }
}

/// Past the end of `command Name(input: Type)`'s parameter.
fn param_end(p: &CommandParam) -> u32 {
    p.ty.as_ref().map_or(p.name.span.end, |t| t.span.end)
}

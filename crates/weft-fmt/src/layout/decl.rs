//! Declarations: `activity Name(param: Type) -> Type @http(...)` and
//! `type Name = Type`.
//!
//! Parameter lists and object types are bracketed lists (`list.rs`), so
//! they stay on one line when the source had them on one line and they
//! fit, and get one element per line otherwise, comments kept. A union is
//! never broken; its members are separated by ` | `. An annotation written
//! on a line of its own stays on a line of its own, indented.

use super::list::Elem;
use super::Builder;
use crate::doc::{Doc, Push};
use weft_syntax::ast::*;
use weft_syntax::lexer::TokenKind;

impl Builder<'_> {
    /// `activity Name(params) -> Result @annotations`
    pub(super) fn activity(&mut self, a: &ActivityDecl) -> Doc {
        let mut docs = vec![Doc::text("activity ")];
        docs.extend(self.comments_inline(a.name.span.start));
        docs.text(a.name.name.clone());
        let open = self.token_after(a.name.span.end, TokenKind::LParen);
        let last = a.params.last().map_or(open + 1, |p| p.span.end);
        let close = self.token_after(last, TokenKind::RParen);
        docs.extend(self.comments_before_paren(open));
        let params: Vec<Elem> = a.params.iter().map(Elem::ParamDecl).collect();
        docs.push(self.list("(", ")", open, close, &params));
        if let Some(result) = &a.result {
            docs.text(" -> ");
            docs.push(self.ty(result));
        }
        // An annotation the source wrote on a line of its own stays on one,
        // indented: bindings are long, and that is how they read best.
        let mut prev_end = a.result.as_ref().map_or(close + 1, |r| r.span.end);
        for ann in &a.annotations {
            if self.src.has_newline(prev_end, ann.span.start) {
                let doc = self.annotation_bare(ann);
                docs.push(Doc::Indent(vec![Doc::HardLine, doc]));
            } else {
                docs.push(self.annotation(ann));
            }
            prev_end = ann.span.end;
        }
        Doc::Concat(docs)
    }

    /// `type Name = Type`
    pub(super) fn type_decl(&mut self, t: &TypeDecl) -> Doc {
        let mut docs = vec![Doc::text("type ")];
        docs.extend(self.comments_inline(t.name.span.start));
        docs.text(format!("{} = ", t.name.name));
        docs.push(self.ty(&t.ty));
        Doc::Concat(docs)
    }

    /// A type, after the comments that come before it.
    pub(super) fn ty(&mut self, t: &TypeExpr) -> Doc {
        let mut docs = self.comments_inline(t.span.start);
        match &t.kind {
            TypeKind::Name(n) => docs.text(n.clone()),
            TypeKind::List(inner) => {
                docs.text("[");
                docs.push(self.ty(inner));
                docs.extend(self.comments_before_closer(t.span.end.saturating_sub(1)));
                docs.text("]");
            }
            TypeKind::Object(o) => {
                let mut elems: Vec<Elem> = o.fields.iter().map(Elem::Field).collect();
                elems.extend(o.open.map(Elem::Open));
                let close = t.span.end.saturating_sub(1);
                docs.push(self.list("{", "}", t.span.start, close, &elems));
            }
            TypeKind::Union(members) => {
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        docs.text(" | ");
                    }
                    docs.push(self.ty(m));
                }
            }
            TypeKind::Literal(text) => docs.text(crate::literal::string(text)),
            // Unreachable: files with syntax errors are refused.
            TypeKind::Error => {}
        }
        Doc::Concat(docs)
    }
}

//! Bracketed, comma-separated lists: arguments, parameters, arrays and
//! objects. They are the only constructs laid out according to width.
//!
//! A list the source had on one line (no line break between its brackets
//! and its elements; an element may itself span lines, like a lambda or an
//! object written on several lines) becomes a group that the printer keeps
//! flat when it fits and breaks otherwise. Any other list is broken: one
//! element per line, each followed by a comma, with the comments and blank
//! lines between the elements kept.

use super::lines::Lines;
use super::Builder;
use crate::doc::{Doc, Push};
use crate::literal;
use weft_syntax::ast::*;
use weft_syntax::Span;

/// An element of a list.
#[derive(Clone, Copy)]
pub(super) enum Elem<'t> {
    /// An array element.
    Expr(&'t Expr),
    /// A call or annotation argument.
    Arg(&'t Arg),
    /// An object entry.
    Entry(&'t ObjectEntry),
    /// A flow parameter or inline-flow input.
    Param(&'t Param),
    /// A lambda parameter.
    Name(&'t Ident),
    /// A parameter of an activity declaration.
    ParamDecl(&'t ParamDecl),
    /// A field of an object type.
    Field(&'t FieldType),
    /// The `..` that ends an open object type.
    Open(Span),
    /// An entry of a braced literal (`Add{n: 1}`, `where{a = b}`).
    Braced(&'t BracedEntry),
    /// A field of a machine's shape.
    ShapeField(&'t ShapeField),
    /// The input of `command Name(input: Type)`.
    CommandParam(&'t CommandParam),
}

impl Elem<'_> {
    /// From the first to past the last byte of the element.
    fn span(self) -> (u32, u32) {
        match self {
            Elem::Expr(e) | Elem::Entry(ObjectEntry::Spread(e)) => (e.span.start, e.span.end),
            Elem::Arg(a) => {
                let start = a.name.as_ref().map_or(a.value.span.start, |n| n.span.start);
                (start, a.value.span.end)
            }
            Elem::Entry(ObjectEntry::Field { key, value }) => (key.span.start, value.span.end),
            Elem::Param(p) => (p.span.start, p.span.end),
            Elem::Name(n) => (n.span.start, n.span.end),
            Elem::ParamDecl(p) => (p.span.start, p.span.end),
            Elem::Field(f) => (f.key.span.start, f.ty.span.end),
            Elem::Open(s) => (s.start, s.end),
            Elem::Braced(BracedEntry::Field { key, value }) => (key.span.start, value.span.end),
            Elem::Braced(BracedEntry::Set { target, value }) => (target.span.start, value.span.end),
            Elem::Braced(BracedEntry::Expr(e) | BracedEntry::Spread(e)) => {
                (e.span.start, e.span.end)
            }
            Elem::ShapeField(f) => (f.span.start, f.span.end),
            Elem::CommandParam(p) => (
                p.name.span.start,
                p.ty.as_ref().map_or(p.name.span.end, |t| t.span.end),
            ),
        }
    }
}

impl Builder<'_> {
    /// The list between `open_text` at byte `open` and `close_text` at byte
    /// `close`.
    pub(super) fn list(
        &mut self,
        open_text: &str,
        close_text: &str,
        open: u32,
        close: u32,
        elems: &[Elem],
    ) -> Doc {
        if elems.is_empty() && self.src.peek_before(close).is_none() {
            return Doc::text(format!("{open_text}{close_text}"));
        }
        let spans: Vec<(u32, u32)> = elems.iter().map(|e| e.span()).collect();
        let mut gap_start = open + 1;
        let mut broken = false;
        for &(start, end) in &spans {
            broken |= self.src.has_newline(gap_start, start);
            gap_start = end;
        }
        broken |= self.src.has_newline(gap_start, close);
        if broken {
            let inner = self.list_broken(open, close, elems, &spans);
            Doc::Concat(vec![Doc::text(open_text), inner, Doc::text(close_text)])
        } else {
            let inner = self.list_group(close, elems, &spans);
            let docs = vec![Doc::text(open_text), inner, Doc::text(close_text)];
            Doc::Group {
                broken: false,
                docs,
            }
        }
    }

    /// The inside of a list written on one line: any comment in it sits
    /// between the brackets on that line, so it is a `/* */` comment, kept
    /// where it stands.
    fn list_group(&mut self, close: u32, elems: &[Elem], spans: &[(u32, u32)]) -> Doc {
        let mut inner = vec![Doc::SoftLine];
        for (i, (&elem, &(start, _))) in elems.iter().zip(spans).enumerate() {
            if i > 0 {
                inner.text(",");
                inner.push(Doc::Line);
            }
            inner.extend(self.comments_inline(start));
            inner.push(self.elem(elem));
        }
        if !elems.is_empty() {
            inner.push(Doc::IfBroken(","));
        }
        let mut closing = self.comments_before_closer(close);
        if elems.is_empty() {
            if let Some(Doc::Comment { space_before, .. }) = closing.first_mut() {
                *space_before = false;
            }
        }
        inner.extend(closing);
        Doc::Concat(vec![Doc::ListIndent(inner), Doc::CloseSoftLine])
    }

    /// The inside of a list written on several lines: one element per line.
    fn list_broken(&mut self, open: u32, close: u32, elems: &[Elem], spans: &[(u32, u32)]) -> Doc {
        let first = spans.first().map_or(close, |s| s.0);
        let (mut docs, mut prev_end) = self.comments_trailing(open + 1, first);
        let mut lines = Lines::default();
        for (i, (&elem, &(start, end))) in elems.iter().zip(spans).enumerate() {
            self.comments_at_boundary(start, &mut lines, &mut prev_end);
            let blank = self.blank_before(&lines, prev_end, start);
            let doc = self.elem(elem);
            let limit = spans.get(i + 1).map_or(close, |s| s.0);
            let (trailing, end) = self.comments_trailing(end, limit);
            let line = lines.current(blank);
            line.push(doc);
            line.text(",");
            line.extend(trailing);
            lines.end_line();
            prev_end = end;
        }
        self.comments_at_boundary(close, &mut lines, &mut prev_end);
        if !lines.is_empty() {
            docs.push(Doc::Indent(vec![Doc::HardLine, lines.join()]));
        }
        docs.push(Doc::CloseLine);
        Doc::Concat(docs)
    }

    fn elem(&mut self, elem: Elem) -> Doc {
        let (label, value) = match elem {
            Elem::Expr(e) => (None, e),
            Elem::Arg(a) => (a.name.as_ref().map(|n| format!("{}: ", n.name)), &a.value),
            Elem::Entry(ObjectEntry::Field { key, value }) => {
                let key = if key.quoted {
                    literal::string(&key.name)
                } else {
                    key.name.clone()
                };
                (Some(format!("{key}: ")), value)
            }
            Elem::Entry(ObjectEntry::Spread(e)) => (Some("..".to_string()), e),
            Elem::Param(p) => match &p.value {
                Some(value) => (p.name.as_ref().map(|n| format!("{}: ", n.name)), value),
                None => return Doc::text(p.name.as_ref().map_or("", |n| n.name.as_str())),
            },
            Elem::Name(n) => return Doc::text(n.name.clone()),
            Elem::ParamDecl(p) => {
                let optional = if p.optional { "?" } else { "" };
                let label = format!("{}{optional}: ", p.name.name);
                return Doc::Concat(vec![Doc::text(label), self.ty(&p.ty)]);
            }
            Elem::Field(f) => {
                let key = if f.key.quoted {
                    literal::string(&f.key.name)
                } else {
                    f.key.name.clone()
                };
                let optional = if f.optional { "?" } else { "" };
                return Doc::Concat(vec![
                    Doc::text(format!("{key}{optional}: ")),
                    self.ty(&f.ty),
                ]);
            }
            Elem::Open(_) => return Doc::text(".."),
            Elem::Braced(BracedEntry::Field { key, value }) => {
                let key = if key.quoted {
                    literal::string(&key.name)
                } else {
                    key.name.clone()
                };
                (Some(format!("{key}: ")), value)
            }
            Elem::Braced(BracedEntry::Set { target, value }) => {
                let target = self.expr(target);
                return Doc::Concat(vec![target, Doc::text(" = "), self.expr(value)]);
            }
            Elem::Braced(BracedEntry::Expr(e)) => (None, e),
            Elem::Braced(BracedEntry::Spread(e)) => (Some("..".to_string()), e),
            Elem::ShapeField(f) => return self.shape_field(f),
            Elem::CommandParam(p) => {
                let mut docs = vec![Doc::text(p.name.name.clone())];
                if let Some(t) = &p.ty {
                    docs.push(Doc::text(": "));
                    docs.push(self.ty(t));
                }
                return Doc::Concat(docs);
            }
        };
        match label {
            Some(label) => Doc::Concat(vec![Doc::text(label), self.expr(value)]),
            None => self.expr(value),
        }
    }
}

//! Ranges of a file: what folds (brackets over several lines, comments
//! over several lines) and what a selection grows through (a name, the
//! expressions around it, its statement, its block, its flow, the file).

use super::File;
use weft_syntax::ast::{Block, Expr, FlowDecl, Item, Stmt};
use weft_syntax::lexer::{lex, TokenKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Span;

/// What a fold is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    /// A bracketed body or list.
    Region,
    /// A comment.
    Comment,
}

/// A fold: from the line of `start` to the line before the one of `end`
/// (the closing bracket stays visible), or to the line of `end` for a
/// comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    /// Where it starts.
    pub start: u32,
    /// Where it ends.
    pub end: u32,
    /// What it is.
    pub kind: FoldKind,
}

/// The folds of `file`: each pair of brackets on different lines, each
/// block comment over several lines, each run of two or more line
/// comments.
pub fn folds(file: &File) -> Vec<Fold> {
    let lexed = lex(&file.text);
    let line = |at: u32| file.lines.line_of(at);
    let mut out = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    for t in &lexed.tokens {
        match t.kind {
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => open.push(t.span.start),
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                if let Some(start) = open.pop() {
                    if line(t.span.start) > line(start) + 1 {
                        out.push(Fold {
                            start,
                            end: t.span.start,
                            kind: FoldKind::Region,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let mut run: Option<(u32, u32, usize)> = None;
    for c in &lexed.comments {
        let is_line = c.text.starts_with("//") && !c.trailing;
        if !is_line {
            if line(c.span.end) > line(c.span.start) {
                out.push(Fold {
                    start: c.span.start,
                    end: c.span.end,
                    kind: FoldKind::Comment,
                });
            }
            continue;
        }
        run = match run {
            Some((start, end, n)) if line(c.span.start) == line(end) + 1 => {
                Some((start, c.span.end, n + 1))
            }
            other => {
                if let Some((start, end, n)) = other {
                    if n >= 2 {
                        out.push(Fold {
                            start,
                            end,
                            kind: FoldKind::Comment,
                        });
                    }
                }
                Some((c.span.start, c.span.end, 1))
            }
        };
    }
    if let Some((start, end, n)) = run {
        if n >= 2 {
            out.push(Fold {
                start,
                end,
                kind: FoldKind::Comment,
            });
        }
    }
    out.sort_by_key(|f| (f.start, f.end));
    out
}

/// The spans a selection at `offset` grows through, innermost first: the
/// name there, the expressions, statements, blocks and flows around it,
/// the item, the whole file.
pub fn selection(file: &File, offset: u32) -> Vec<Span> {
    let mut c = Around {
        offset,
        spans: Vec::new(),
    };
    for item in &file.parse.module.items {
        let span = item.span();
        if span.contains(offset) {
            c.spans.push(span);
            if let Item::Flow(f) = item {
                c.visit_flow(f);
            }
        }
    }
    if let Some(r) = file.index.ref_at(offset) {
        c.spans.push(r.span);
    }
    c.spans.push(Span::new(0, file.text.len()));
    c.spans
        .sort_by_key(|s| (s.len(), std::cmp::Reverse(s.start)));
    c.spans.dedup();
    // Each must hold the one before it.
    let mut out: Vec<Span> = Vec::new();
    for s in c.spans {
        if out
            .last()
            .is_none_or(|l| s.start <= l.start && l.end <= s.end)
        {
            out.push(s);
        }
    }
    out
}

/// Collects the spans of the nodes around an offset.
struct Around {
    offset: u32,
    spans: Vec<Span>,
}

impl Visitor<'_> for Around {
    fn visit_flow(&mut self, f: &FlowDecl) {
        if f.span.contains(self.offset) {
            self.spans.push(f.span);
            visit::walk_flow(self, f);
        }
    }
    fn visit_block(&mut self, b: &Block) {
        if b.span.contains(self.offset) {
            self.spans.push(b.span);
            visit::walk_block(self, b);
        }
    }
    fn visit_stmt(&mut self, s: &Stmt) {
        if s.span.contains(self.offset) {
            self.spans.push(s.span);
            visit::walk_stmt(self, s);
        }
    }
    fn visit_expr(&mut self, e: &Expr) {
        if e.span.contains(self.offset) {
            self.spans.push(e.span);
            visit::walk_expr(self, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_of_brackets_and_comments() {
        let text = "// One.\n// Two.\nflow A(x) {\n    r = F({\n        a: 1,\n        b: 2\n    })\n    /* a\n       b */\n    return r\n}\nflow B() { return 1 }\n";
        let f = File::new("a.weft", text);
        let got: Vec<(usize, usize, FoldKind)> = folds(&f)
            .iter()
            .map(|x| (f.lines.line_of(x.start), f.lines.line_of(x.end), x.kind))
            .collect();
        assert_eq!(
            got,
            [
                (0, 1, FoldKind::Comment),
                (2, 10, FoldKind::Region),
                (3, 6, FoldKind::Region),
                (3, 6, FoldKind::Region),
                (7, 8, FoldKind::Comment),
            ]
        );
    }

    #[test]
    fn selection_grows_from_the_name_outwards() {
        let text = "flow A(x) {\n    if x {\n        r = F(x.total + 1)\n    }\n}\n";
        let f = File::new("a.weft", text);
        let at = text.find("total").unwrap() as u32 + 1;
        let got: Vec<&str> = selection(&f, at).iter().map(|s| f.slice(*s)).collect();
        assert_eq!(
            got,
            [
                "x.total",
                "x.total + 1",
                "F(x.total + 1)",
                "r = F(x.total + 1)",
                "{\n        r = F(x.total + 1)\n    }",
                "if x {\n        r = F(x.total + 1)\n    }",
                "{\n    if x {\n        r = F(x.total + 1)\n    }\n}",
                "flow A(x) {\n    if x {\n        r = F(x.total + 1)\n    }\n}",
                text,
            ]
        );
    }
}

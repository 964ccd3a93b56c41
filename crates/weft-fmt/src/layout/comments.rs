//! Where comments land. Each method takes comments from the cursor, in
//! order, so none is placed twice and none is skipped:
//!
//! - At a line boundary (between statements, between top-level flows,
//!   between the elements of a list laid out one element per line), a
//!   comment on its own line in the source becomes a line of its own, and a
//!   `/* */` comment followed on its line by code stays in front of it
//!   ([`Builder::comments_at_boundary`]).
//! - Right after a statement, an element or an opening bracket, a comment
//!   on the same source line stays at the end of that line
//!   ([`Builder::comments_trailing`]).
//! - Anywhere else (inside an expression), a `/* */` comment is printed
//!   where it stands and a `//` comment moves to the end of the line
//!   ([`Builder::comments_inline`], [`Builder::comments_before_closer`]).

use super::lines::Lines;
use super::Builder;
use crate::doc::{Doc, Push};
use crate::source::is_block;

impl Builder<'_> {
    /// Comments before `pos` inside an expression: `/* */` where it stands,
    /// `//` at the end of the line.
    pub(super) fn comments_inline(&mut self, pos: u32) -> Vec<Doc> {
        self.comments_inline_spaced(pos, false)
    }

    /// Comments before the `(` at `pos` that follows a name (`F /* c */ (`):
    /// like [`Builder::comments_inline`], with a space on both sides.
    pub(super) fn comments_before_paren(&mut self, pos: u32) -> Vec<Doc> {
        self.comments_inline_spaced(pos, true)
    }

    fn comments_inline_spaced(&mut self, pos: u32, space_before: bool) -> Vec<Doc> {
        let mut docs = Vec::new();
        while let Some(c) = self.src.take_before(pos) {
            docs.push(if is_block(c) {
                Doc::Comment {
                    text: c.text.clone(),
                    space_before,
                    space_after: true,
                }
            } else {
                Doc::Suffix(c.text.clone())
            });
        }
        docs
    }

    /// Comments before a closing bracket at `pos`, inside an expression.
    pub(super) fn comments_before_closer(&mut self, pos: u32) -> Vec<Doc> {
        let mut docs = Vec::new();
        while let Some(c) = self.src.take_before(pos) {
            docs.push(if is_block(c) {
                Doc::Comment {
                    text: c.text.clone(),
                    space_before: true,
                    space_after: false,
                }
            } else {
                Doc::Suffix(c.text.clone())
            });
        }
        docs
    }

    /// Comments on the same source line as `end` (the end of a statement,
    /// an element or an opening bracket) and before `limit`: they stay at
    /// the end of that line. Returns them and the end of the last one.
    pub(super) fn comments_trailing(&mut self, mut end: u32, limit: u32) -> (Vec<Doc>, u32) {
        let mut docs = Vec::new();
        while let Some(c) = self.src.peek_before(limit) {
            if self.src.has_newline(end, c.span.start) {
                break;
            }
            self.src.take_before(limit);
            docs.push(Doc::Suffix(c.text.clone()));
            end = end.max(c.span.end);
        }
        (docs, end)
    }

    /// Comments before `pos` at a line boundary: each on a line of its own,
    /// except a `/* */` comment followed on its line by more, which starts
    /// the line of what follows. `prev_end` is the end of what was last put
    /// on a line, to keep blank lines; it moves past the comments.
    pub(super) fn comments_at_boundary(&mut self, pos: u32, lines: &mut Lines, prev_end: &mut u32) {
        while let Some(c) = self.src.take_before(pos) {
            let blank = self.blank_before(lines, *prev_end, c.span.start);
            let next = self.src.peek_before(pos).map_or(pos, |n| n.span.start);
            let line = lines.current(blank);
            if is_block(c) && !self.src.has_newline(c.span.end, next) {
                line.push(Doc::Comment {
                    text: c.text.clone(),
                    space_before: false,
                    space_after: true,
                });
            } else {
                line.text(c.text.clone());
                lines.end_line();
            }
            *prev_end = c.span.end;
        }
    }

    /// Whether a blank line goes before a line starting at `start`: the
    /// source has one there, and it is not the first line of its block.
    pub(super) fn blank_before(&self, lines: &Lines, prev_end: u32, start: u32) -> bool {
        !lines.is_empty() && self.src.newlines(prev_end, start) >= 2
    }

    /// Places the comments left, on lines of their own. The walk places
    /// every comment before this is called; this keeps the promise that no
    /// comment is ever dropped even if it did not.
    pub(super) fn comments_left(&mut self, lines: &mut Lines) {
        for c in self.src.take_rest() {
            lines.end_line();
            lines.current(false).text(c.text.clone());
            lines.end_line();
        }
    }
}

//! Lays a [`Doc`] out as text within [`LINE_COLUMNS_MAX`] columns.
//!
//! The algorithm is the one of Wadler's and Prettier's printers: walk the
//! document with an explicit stack (so deep trees cost heap, not stack), and
//! at each group that is not already broken, measure whether the group, laid
//! flat, and whatever follows it up to the next line break fit in the columns
//! left on the line. Groups met while measuring count flat too, so when a
//! line holds several groups the first (outermost, or leftmost) breaks
//! first. Measuring stops at the first line break or when the line is full,
//! so each decision costs at most one line's worth of work.

use crate::doc::Doc;

/// Widest line the formatter aims for, in columns (characters). Only what
/// cannot be broken (a long name, string or binary expression) goes past it.
pub const LINE_COLUMNS_MAX: usize = 100;

/// Columns of one indentation level.
pub const INDENT_COLUMNS: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

#[derive(Clone, Copy)]
struct Cmd<'d> {
    /// Indentation level (not columns).
    indent: usize,
    mode: Mode,
    doc: &'d Doc,
}

/// Lays `doc` out. Lines keep no trailing whitespace.
pub(crate) fn print(doc: &Doc) -> String {
    let mut p = Printer {
        out: String::new(),
        col: 0,
        line_empty: true,
        suffix: Vec::new(),
    };
    let mut stack = vec![Cmd {
        indent: 0,
        mode: Mode::Break,
        doc,
    }];
    while let Some(cmd) = stack.pop() {
        match cmd.doc {
            Doc::Text(s) => p.write(s),
            Doc::Line => match cmd.mode {
                Mode::Flat => p.write(" "),
                Mode::Break => p.newline(cmd.indent),
            },
            Doc::SoftLine => {
                if cmd.mode == Mode::Break {
                    p.newline(cmd.indent)
                }
            }
            Doc::HardLine => p.newline(cmd.indent),
            Doc::CloseLine => p.close_line(cmd.indent),
            Doc::CloseSoftLine => {
                if cmd.mode == Mode::Break {
                    p.close_line(cmd.indent)
                }
            }
            Doc::Indent(docs) => push_all(&mut stack, docs, cmd.indent + 1, cmd.mode),
            Doc::ListIndent(docs) => {
                let indent = cmd.indent + usize::from(cmd.mode == Mode::Break);
                push_all(&mut stack, docs, indent, cmd.mode)
            }
            Doc::Group { broken, docs } => {
                let room = LINE_COLUMNS_MAX as isize - p.col as isize;
                let mode = if *broken || !fits(docs, &stack, room, !p.suffix.is_empty()) {
                    Mode::Break
                } else {
                    Mode::Flat
                };
                push_all(&mut stack, docs, cmd.indent, mode)
            }
            Doc::IfBroken(s) => {
                if cmd.mode == Mode::Break {
                    p.write(s)
                }
            }
            Doc::Comment {
                text,
                space_before,
                space_after,
            } => {
                if p.suffix.is_empty() {
                    if *space_before && !p.line_empty && !p.out.ends_with(' ') {
                        p.write(" ");
                    }
                    p.write(text);
                    if *space_after {
                        p.write(" ");
                    }
                } else {
                    // Comments wait for the end of the line; one printed
                    // here would come before them.
                    p.suffix.push(text.clone());
                }
            }
            Doc::Suffix(text) => p.suffix.push(text.clone()),
            Doc::Concat(docs) => push_all(&mut stack, docs, cmd.indent, cmd.mode),
        }
    }
    p.flush_suffix(0);
    trim_lines(&p.out)
}

fn push_all<'d>(stack: &mut Vec<Cmd<'d>>, docs: &'d [Doc], indent: usize, mode: Mode) {
    for doc in docs.iter().rev() {
        stack.push(Cmd { indent, mode, doc });
    }
}

/// Whether `docs`, laid flat, and then `rest` up to its next line break fit
/// in `room` columns. `waiting` tells that comments wait for the end of the
/// line, so that comments met on the way join them (as the printer does).
fn fits(docs: &[Doc], rest: &[Cmd<'_>], mut room: isize, mut waiting: bool) -> bool {
    let mut local: Vec<(Mode, &Doc)> = docs.iter().rev().map(|d| (Mode::Flat, d)).collect();
    let mut rest_left = rest.len();
    loop {
        if room < 0 {
            return false;
        }
        let (mode, doc) = match local.pop() {
            Some(next) => next,
            None if rest_left == 0 => return true,
            None => {
                rest_left -= 1;
                (rest[rest_left].mode, rest[rest_left].doc)
            }
        };
        match doc {
            Doc::Text(s) => match s.split_once('\n') {
                Some((first, _)) => return room >= width(first) as isize,
                None => room -= width(s) as isize,
            },
            Doc::Line => match mode {
                Mode::Flat => room -= 1,
                Mode::Break => return true,
            },
            Doc::SoftLine | Doc::CloseSoftLine => {
                if mode == Mode::Break {
                    return true;
                }
            }
            Doc::HardLine | Doc::CloseLine => return true,
            Doc::Indent(docs) | Doc::ListIndent(docs) | Doc::Concat(docs) => {
                local.extend(docs.iter().rev().map(|d| (mode, d)))
            }
            // A group not yet laid out (in `docs` or in what follows them)
            // counts flat: a later group that does not fit either is no
            // reason to keep this one flat.
            Doc::Group { broken, docs } => {
                let mode = if *broken { Mode::Break } else { Mode::Flat };
                local.extend(docs.iter().rev().map(|d| (mode, d)))
            }
            Doc::IfBroken(s) => {
                if mode == Mode::Break {
                    room -= width(s) as isize
                }
            }
            Doc::Comment {
                text,
                space_before,
                space_after,
            } => {
                if waiting {
                    continue;
                }
                let spaces = usize::from(*space_before) + usize::from(*space_after);
                match text.split_once('\n') {
                    Some((first, _)) => return room >= (width(first) + spaces) as isize,
                    None => room -= (width(text) + spaces) as isize,
                }
            }
            Doc::Suffix(_) => waiting = true,
        }
    }
}

/// Columns taken by `s` (one per character).
fn width(s: &str) -> usize {
    s.chars().count()
}

struct Printer {
    out: String,
    /// Column of the end of `out`.
    col: usize,
    /// Nothing but indentation on the current line yet.
    line_empty: bool,
    /// Comments waiting for the end of the line.
    suffix: Vec<String>,
}

impl Printer {
    fn write(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.out.push_str(s);
        self.line_empty = false;
        match s.rsplit_once('\n') {
            Some((_, last)) => self.col = width(last),
            None => self.col += width(s),
        }
    }

    fn newline(&mut self, indent: usize) {
        self.flush_suffix(indent);
        self.out.push('\n');
        self.indent(indent);
    }

    /// A line break before a closer at `indent`: comments waiting on their
    /// own lines belong to the contents, one level deeper.
    fn close_line(&mut self, indent: usize) {
        self.flush_suffix(indent + 1);
        self.out.push('\n');
        self.indent(indent);
    }

    fn indent(&mut self, indent: usize) {
        let cols = indent * INDENT_COLUMNS;
        self.out.extend(std::iter::repeat_n(' ', cols));
        self.col = cols;
        self.line_empty = true;
    }

    /// Prints the waiting comments: each after a space, and each after a
    /// line comment on a line of its own (the line comment ends the line).
    fn flush_suffix(&mut self, indent: usize) {
        let mut after_line_comment = false;
        for text in std::mem::take(&mut self.suffix) {
            if after_line_comment {
                self.out.push('\n');
                self.indent(indent);
            } else if !self.line_empty {
                self.write(" ");
            }
            self.write(&text);
            after_line_comment = text.starts_with("//");
        }
    }
}

/// `text` with trailing whitespace removed from every line. Code never ends
/// a line with whitespace; this cleans blank lines, which the printer
/// indents, and the ends of comments.
fn trim_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str], broken: bool) -> Doc {
        let mut inner = vec![Doc::SoftLine];
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                inner.push(Doc::text(","));
                inner.push(Doc::Line);
            }
            inner.push(Doc::text(*item));
        }
        inner.push(Doc::IfBroken(","));
        Doc::Group {
            broken,
            docs: vec![
                Doc::text("["),
                Doc::ListIndent(inner),
                Doc::SoftLine,
                Doc::text("]"),
            ],
        }
    }

    #[test]
    fn group_is_flat_when_it_fits() {
        assert_eq!(print(&list(&["a", "b"], false)), "[a, b]");
    }

    #[test]
    fn group_breaks_when_forced_or_too_wide() {
        assert_eq!(print(&list(&["a", "b"], true)), "[\n    a,\n    b,\n]");
        let long = "x".repeat(60);
        assert_eq!(
            print(&list(&[&long, &long], false)),
            format!("[\n    {long},\n    {long},\n]")
        );
    }

    #[test]
    fn what_follows_a_group_counts_toward_its_width() {
        let doc = Doc::Concat(vec![list(&["a"], false), Doc::text("x".repeat(98))]);
        assert!(print(&doc).starts_with("[\n"));
    }

    #[test]
    fn suffix_waits_for_the_line_break_and_keeps_order() {
        let doc = Doc::Concat(vec![
            Doc::text("a"),
            Doc::Suffix("// one".into()),
            Doc::Comment {
                text: "/* two */".into(),
                space_before: true,
                space_after: true,
            },
            Doc::text("b"),
            Doc::HardLine,
            Doc::text("c"),
        ]);
        assert_eq!(print(&doc), "ab // one\n/* two */\nc");
    }

    #[test]
    fn trailing_whitespace_is_removed() {
        let doc = Doc::Indent(vec![Doc::text("a"), Doc::HardLine, Doc::HardLine]);
        assert_eq!(print(&doc), "a\n\n");
    }
}

//! The canonical formatter of the Weft flow language.
//!
//! [`format_source`] turns a source file into the one way of writing it
//! described in `docs/formatting.md`. It does no I/O.
//!
//! # Approach
//!
//! The file is parsed with `weft-syntax`; a file with syntax errors is
//! refused. The tree is then turned into a small layout document
//! (`doc.rs`, built by `layout/`), which the printer (`printer.rs`) lays
//! out within [`LINE_COLUMNS_MAX`] columns. Literals get their canonical
//! spelling in `literal.rs`; `source.rs` holds the comment cursor and the
//! few facts about the source text the tree does not record.
//!
//! **Comments.** The tree holds no comments; the module keeps them in a
//! list, in order. The layout builder walks the tree in source order with a
//! cursor over that list and places each comment the first time the walk
//! passes its position (`layout/comments.rs`): before a statement or list
//! element (its own line, at that indentation), at the end of the line of
//! the statement, element or opening brace it follows on the same source
//! line, at the end of a block or list, or, inside an expression, where it
//! stands (`/* */`) or at the end of the line (`//`). Taking each comment
//! once, in order, is what guarantees that none is lost or duplicated. The
//! printer keeps that order when it moves a `//` comment to the end of a
//! line: comments met before that line ends wait behind it.
//!
//! **Width.** Blocks and lambda bodies are always one statement per line.
//! An array, object, argument or parameter list is kept on one line when
//! the source had it on one line (no line break between its brackets and
//! elements) and it fits, with what follows it on the line, within
//! [`LINE_COLUMNS_MAX`] columns; otherwise it gets one element per line
//! and a trailing comma. Keeping multi-line lists multi-line respects the
//! author and makes formatting idempotent: a list the printer broke is, on
//! the next run, a list written on several lines.
//!
//! **Checked.** Before returning, [`format_source`] parses its own output
//! and checks that it means the same (the same `weft_syntax::sexp`
//! rendering) and has the same comments, in the same order. If it does not
//! (a formatter bug), it returns an error instead of changing the file.
//!
//! Recursion follows the tree, whose depth the parser bounds by
//! [`weft_syntax::NESTING_MAX`]; the printer itself uses an explicit stack.

mod doc;
mod layout;
mod literal;
mod printer;
mod source;

pub use printer::{INDENT_COLUMNS, LINE_COLUMNS_MAX};

use weft_syntax::lexer::Comment;
use weft_syntax::{parse, sexp, Diagnostic, Span};

/// Code of the error returned when the formatted text would not mean the
/// same as the source (a formatter bug; the file is left as it is).
pub const UNSAFE_OUTPUT_CODE: &str = "E0900";

/// Formats a whole source file. Refuses (returns the parse diagnostics) when
/// the file has syntax errors.
///
/// The result ends with exactly one line break (an empty file stays empty),
/// formatting it again gives it back unchanged, and it parses to the same
/// tree with the same comments in the same order.
pub fn format_source(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(source);
    if parsed.has_errors() {
        return Err(parsed.diagnostics);
    }
    let doc = layout::module(source, &parsed.module);
    let printed = printer::print(&doc);
    let body = printed.trim_end();
    let out = if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    };
    check_same(&parsed.module, &out)?;
    Ok(out)
}

/// Checks that `out` parses to the same program as `before`, with the same
/// comments in the same order.
fn check_same(before: &weft_syntax::ast::Module, out: &str) -> Result<(), Vec<Diagnostic>> {
    let after = parse(out);
    let same = !after.has_errors()
        && sexp::module(before) == sexp::module(&after.module)
        && comment_keys(&before.comments) == comment_keys(&after.module.comments);
    if same {
        return Ok(());
    }
    Err(vec![Diagnostic::error(
        UNSAFE_OUTPUT_CODE,
        Span::new(0, 0),
        "the formatter could not keep this file's meaning or comments, so it left the file as it is",
    )
    .with_help("this is a bug in the formatter; please report it with the file")])
}

/// The comments' texts as the guarantee compares them: as written, without
/// trailing whitespace on any line (the formatter removes it everywhere).
fn comment_keys(comments: &[Comment]) -> Vec<String> {
    comments
        .iter()
        .map(|c| {
            c.text
                .split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

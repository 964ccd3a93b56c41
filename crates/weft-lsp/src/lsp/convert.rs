//! Byte offsets to LSP positions and back, and the language's data to LSP
//! types.
//!
//! LSP counts columns in UTF-16 code units (the default `positionEncoding`,
//! the only one this server offers); the syntax tree counts bytes of UTF-8.
//! `é` is two bytes and one unit; `😀` is four bytes and two units.

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    NumberOrString, Position, Range, Url,
};
use weft_syntax::{LineIndex, Severity, Span};

use crate::ide::File;

/// The position of byte `offset` of `text` (clamped to the text, and back
/// to the start of a character).
pub fn position(text: &str, lines: &LineIndex, offset: u32) -> Position {
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = lines.line_of(offset as u32);
    let start = lines.line_start(line) as usize;
    let character = text[start..offset].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

/// The byte offset of `pos` in `text`. A line past the end is the end of
/// the text; a column past the end of its line is the end of the line (as
/// the protocol says), before its `\r\n` or `\n`; a column inside a
/// surrogate pair is the start of its character.
pub fn offset(text: &str, lines: &LineIndex, pos: Position) -> u32 {
    let line = pos.line as usize;
    if line >= lines.line_count() {
        return text.len() as u32;
    }
    let start = lines.line_start(line) as usize;
    let mut units = 0u32;
    let mut at = start;
    let rest = &text[start..];
    for c in rest.chars() {
        let line_break = c == '\n' || (c == '\r' && rest[at - start..].starts_with("\r\n"));
        if line_break || units + c.len_utf16() as u32 > pos.character {
            break;
        }
        units += c.len_utf16() as u32;
        at += c.len_utf8();
    }
    at as u32
}

/// The range of `span` in `file`.
pub fn range(file: &File, span: Span) -> Range {
    Range::new(
        position(&file.text, &file.lines, span.start),
        position(&file.text, &file.lines, span.end),
    )
}

/// The byte offset of `pos` in `file`.
pub fn file_offset(file: &File, pos: Position) -> u32 {
    offset(&file.text, &file.lines, pos)
}

/// The diagnostics page, built into the binary: the server links to a copy
/// of it on the user's disk, so the links work offline and always describe
/// the codes this very build reports.
const DIAGNOSTICS_PAGE: &str = include_str!("../../../../docs/diagnostics.md");

/// Where docs/diagnostics.md is read, unless the client's
/// `initializationOptions.diagnosticsDocsUrl` says otherwise: a copy of the
/// built-in page written under the user's cache directory
/// (`$XDG_CACHE_HOME/weft/<version>/diagnostics.md`, else
/// `~/.cache/weft/...`, else the temporary directory). Each code links to
/// its section, `{url}#e0101` (the page's headings are the codes, so the
/// anchors are the codes in lower case). `None` when the copy cannot be
/// written: diagnostics then carry no link.
pub fn default_docs_url() -> Option<String> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| std::path::PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join("weft").join(env!("CARGO_PKG_VERSION"));
    let path = dir.join("diagnostics.md");
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() != Some(DIAGNOSTICS_PAGE) {
        std::fs::create_dir_all(&dir).ok()?;
        // Written beside and renamed, so a second server starting at the
        // same moment never links to half a page.
        let tmp = dir.join(format!("diagnostics.md.{}", std::process::id()));
        std::fs::write(&tmp, DIAGNOSTICS_PAGE).ok()?;
        std::fs::rename(&tmp, &path).ok()?;
    }
    Url::from_file_path(&path).ok().map(String::from)
}

/// Codes of findings about code that does nothing: editors grey it out
/// (the `unnecessary` tag).
const UNNECESSARY: &[&str] = &[
    weft_check::codes::UNUSED_VARIABLE,
    weft_check::codes::UNREACHABLE,
    weft_check::codes::UNUSED_ACTIVITY,
];

/// The link to `code`'s section of the diagnostics page at `docs`.
pub fn code_link(docs: &str, code: &str) -> Option<Url> {
    if docs.is_empty() {
        return None;
    }
    Url::parse(&format!("{docs}#{}", code.to_ascii_lowercase())).ok()
}

/// A diagnostic of `file` (at `uri`) as LSP shows it: the code with its
/// link into the diagnostics page at `docs`, the message with its help,
/// the labels as related information, and the `unnecessary` tag for code
/// that does nothing.
pub fn diagnostic(
    file: &File,
    uri: &Url,
    d: &weft_syntax::Diagnostic,
    docs: &str,
) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: lsp_types::Location::new(uri.clone(), range(file, l.span)),
            message: l.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(file, d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: code_link(docs, d.code).map(|href| CodeDescription { href }),
        tags: UNNECESSARY
            .contains(&d.code)
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        source: Some("weft".to_string()),
        message,
        related_information: if related.is_empty() {
            None
        } else {
            Some(related)
        },
        ..lsp_types::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns() {
        let text = "aé😀b\nxy\n";
        let lines = LineIndex::new(text);
        // a(1 byte, 1 unit) é(2, 1) 😀(4, 2) b.
        let b = text.find('b').unwrap() as u32;
        assert_eq!(position(text, &lines, b), Position::new(0, 4));
        assert_eq!(offset(text, &lines, Position::new(0, 4)), b);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(offset(text, &lines, Position::new(0, 3)), 3);
        // Past the line's end: the line's end; past the text: its end.
        assert_eq!(offset(text, &lines, Position::new(0, 99)), b + 1);
        assert_eq!(offset(text, &lines, Position::new(1, 1)), b + 3);
        assert_eq!(offset(text, &lines, Position::new(9, 0)), text.len() as u32);
        // Inside a character: its start.
        assert_eq!(position(text, &lines, 2), Position::new(0, 1));
        assert_eq!(position(text, &lines, 999), Position::new(2, 0));
    }

    #[test]
    fn past_the_end_of_a_crlf_line_is_before_the_cr() {
        let text = "ab\r\ncd\r\n";
        let lines = LineIndex::new(text);
        // The line's end is before `\r`: an edit there keeps `\r\n` whole.
        assert_eq!(offset(text, &lines, Position::new(0, 2)), 2);
        assert_eq!(offset(text, &lines, Position::new(0, 3)), 2);
        assert_eq!(offset(text, &lines, Position::new(0, 99)), 2);
        assert_eq!(offset(text, &lines, Position::new(1, 99)), 6);
        assert_eq!(offset(text, &lines, Position::new(1, 1)), 5);
    }
}

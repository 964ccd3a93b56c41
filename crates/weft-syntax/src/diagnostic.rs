//! Diagnostics as plain data, and their rendering for terminals.
//!
//! Parser, checker, engine and language server all produce [`Diagnostic`]s;
//! only the edges (CLI, LSP, HTTP) decide how to show them.

use crate::span::{LineIndex, Span};
use std::fmt::Write as _;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Stops the module from being deployed or run.
    Error,
    /// Worth a look; the module still runs.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary location that explains the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What happens there.
    pub message: String,
}

/// A change of the source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// What is replaced (empty to insert).
    pub span: Span,
    /// What replaces it.
    pub text: String,
}

/// A fix a finding spells out, as data for tools: the language server
/// offers each as a quick fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What it does, as a menu shows it: "Replace with `status`".
    pub title: String,
    /// The edits, in the finding's file; they do not overlap.
    pub edits: Vec<Edit>,
}

/// One finding about a source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `E0101`, documented in docs/diagnostics.md.
    pub code: &'static str,
    /// One sentence, lower case, no full stop (rustc style).
    pub message: String,
    /// The primary location; the caret goes under it.
    pub span: Span,
    /// Other locations that explain the finding.
    pub labels: Vec<Label>,
    /// A one-line suggestion, when one helps.
    pub help: Option<String>,
    /// Changes of the source that carry out the help, when it spells one.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A new error at `span`.
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    /// A new warning at `span`.
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Adds a one-line help.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a fix made of `edits`.
    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Diagnostic {
        self.fixes.push(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    /// Adds the fix that writes `text` in place of `span`: a "did you mean".
    pub fn with_replacement(self, span: Span, text: &str) -> Diagnostic {
        self.with_fix(
            format!("Replace with `{text}`"),
            vec![Edit {
                span,
                text: text.to_string(),
            }],
        )
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders `diag` the way compilers do:
///
/// ```text
/// error[E0101]: `account` is read before it is assigned
///   --> register.weft:12:40
///    |
/// 12 |     let confirmed = await SendActivationEmail(account.email)
///    |                                               ^^^^^^^
///    = note: `account` is first assigned at register.weft:19:5
///    = help: ...
/// ```
pub fn render(file: &str, text: &str, index: &LineIndex, diag: &Diagnostic) -> String {
    let mut out = String::new();
    let pos = index.line_col(text, diag.span.start);
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        diag.severity.as_str(),
        diag.code,
        diag.message
    );
    let line_no = pos.line.to_string();
    let gutter = " ".repeat(line_no.len());
    let _ = writeln!(out, "{gutter}--> {file}:{}:{}", pos.line, pos.col);
    let _ = writeln!(out, "{gutter} |");
    let line_idx = index.line_of(diag.span.start.min(text.len() as u32));
    let line = index.line_text(text, line_idx);
    let _ = writeln!(out, "{line_no} | {}", line.replace('\t', "    "));
    // Caret under the span, clipped to the first line of the span.
    let line_start = index.line_start(line_idx) as usize;
    let span_start = (diag.span.start as usize).min(text.len());
    let span_end = (diag.span.end as usize)
        .min(line_start + line.len())
        .max(span_start);
    let prefix = &text[line_start..floor_char(text, span_start)];
    let pad: usize = prefix.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    let width = text[floor_char(text, span_start)..floor_char(text, span_end)]
        .chars()
        .count()
        .max(1);
    let _ = writeln!(out, "{gutter} | {}{}", " ".repeat(pad), "^".repeat(width));
    for label in &diag.labels {
        let at = index.line_col(text, label.span.start);
        let _ = writeln!(
            out,
            "{gutter} = note: {} at {file}:{}:{}",
            label.message, at.line, at.col
        );
    }
    if let Some(help) = &diag.help {
        let _ = writeln!(out, "{gutter} = help: {help}");
    }
    out
}

fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_span() {
        let text = "flow A() {\n    x = y\n}\n";
        let idx = LineIndex::new(text);
        let d = Diagnostic::error("E0100", Span::new(19, 20), "unknown name `y`")
            .with_help("did you mean `x`?");
        let out = render("a.weft", text, &idx, &d);
        assert_eq!(
            out,
            "error[E0100]: unknown name `y`\n --> a.weft:2:9\n  |\n2 |     x = y\n  |         ^\n  = help: did you mean `x`?\n"
        );
    }
}

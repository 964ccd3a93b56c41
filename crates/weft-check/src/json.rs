//! Diagnostics as JSON, for tools: `weft check --format json` and the
//! server's refusal of a deploy say the same thing the same way.

use serde_json::json;
use weft_syntax::{Diagnostic, LineIndex};

/// One file's diagnostics as JSON objects: file, severity, code, message,
/// 1-based line/col (and end), byte span, labels and help.
pub fn diagnostics(file: &str, text: &str, diags: &[Diagnostic]) -> Vec<serde_json::Value> {
    let index = LineIndex::new(text);
    diags
        .iter()
        .map(|d| {
            let start = index.line_col(text, d.span.start);
            let end = index.line_col(text, d.span.end);
            let labels: Vec<_> = d
                .labels
                .iter()
                .map(|l| {
                    let at = index.line_col(text, l.span.start);
                    json!({"message": l.message, "line": at.line, "col": at.col,
                           "span": {"start": l.span.start, "end": l.span.end}})
                })
                .collect();
            json!({
                "file": file,
                "severity": d.severity.as_str(),
                "code": d.code,
                "message": d.message,
                "line": start.line,
                "col": start.col,
                "endLine": end.line,
                "endCol": end.col,
                "span": {"start": d.span.start, "end": d.span.end},
                "labels": labels,
                "help": d.help,
                "rendered": weft_syntax::diagnostic::render(file, text, &index, d),
            })
        })
        .collect()
}

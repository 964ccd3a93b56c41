//! Range formatting: the top-level items (flows, declarations) that a
//! range touches, formatted as `weft fmt` formats them in the whole file.
//! The text between items (blank lines, comments of their own) stays.

use weft_syntax::ast::{Item, Module};
use weft_syntax::{Diagnostic, Span};

/// The edits that format the items of `text` that `range` touches: each
/// item's lines replaced by its formatted lines, where they differ. The
/// formatter's diagnostics when the text cannot be formatted.
pub fn range(text: &str, range: Span) -> Result<Vec<(Span, String)>, Vec<Diagnostic>> {
    let formatted = weft_fmt::format_source(text)?;
    let old = weft_syntax::parse(text);
    let new = weft_syntax::parse(&formatted);
    let spans = |m: &Module| -> Vec<Span> { m.items.iter().map(Item::span).collect() };
    let (old_items, new_items) = (spans(&old.module), spans(&new.module));
    if old_items.len() != new_items.len() {
        // The formatter keeps every item; if it did not, format nothing
        // rather than guess.
        return Ok(Vec::new());
    }
    let lines = |t: &str, s: Span| -> Span {
        let start = t[..s.start as usize].rfind('\n').map_or(0, |i| i + 1);
        let end = t[s.end as usize..]
            .find('\n')
            .map_or(t.len(), |i| s.end as usize + i);
        Span::new(start, end)
    };
    let mut out = Vec::new();
    for (o, n) in old_items.iter().zip(&new_items) {
        let o = lines(text, *o);
        if !(o.start <= range.end && range.start <= o.end) {
            continue;
        }
        let n = lines(&formatted, *n);
        let replacement = &formatted[n.start as usize..n.end as usize];
        if &text[o.start as usize..o.end as usize] != replacement {
            out.push((o, replacement.to_string()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[(Span, String)]) -> String {
        let mut out = text.to_string();
        for (s, t) in edits.iter().rev() {
            out.replace_range(s.start as usize..s.end as usize, t);
        }
        out
    }

    #[test]
    fn formats_the_items_the_range_touches() {
        let text =
            "flow A(x) {\n  return  x\n}\n\n// B.\nflow B(y) {\n      y = y+1\n  return y\n}\n";
        let at = text.find("y+1").unwrap();
        let edits = range(text, Span::new(at, at + 1)).unwrap();
        assert_eq!(
            apply(text, &edits),
            "flow A(x) {\n  return  x\n}\n\n// B.\nflow B(y) {\n    y = y + 1\n    return y\n}\n"
        );
        // The whole text: both.
        let edits = range(text, Span::new(0, text.len())).unwrap();
        assert_eq!(apply(text, &edits), weft_fmt::format_source(text).unwrap());
        // Syntax errors: refused.
        assert!(range("flow A( {", Span::new(0, 1)).is_err());
    }
}

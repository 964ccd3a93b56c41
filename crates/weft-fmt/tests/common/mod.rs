//! Checks shared by the formatter's test suites.

use weft_syntax::{parse, sexp};

/// Formats `src` and checks every guarantee of the formatter: the output
/// parses to the same S-expression, keeps the same comments in the same
/// order, is a fixed point, and follows the whitespace rules. Returns it.
pub fn check_format(src: &str) -> String {
    let out = match weft_fmt::format_source(src) {
        Ok(out) => out,
        Err(diags) => panic!("format_source refused:\n{src}\n{diags:#?}"),
    };
    let before = parse(src);
    let after = parse(&out);
    assert!(
        !after.has_errors(),
        "output does not parse:\n{out}\n{:#?}",
        after.diagnostics
    );
    assert_eq!(
        sexp::module(&before.module),
        sexp::module(&after.module),
        "meaning changed:\n--- input\n{src}\n--- output\n{out}"
    );
    assert_eq!(
        comments(&before.module),
        comments(&after.module),
        "comments changed:\n--- input\n{src}\n--- output\n{out}"
    );
    let again = weft_fmt::format_source(&out).expect("output formats");
    assert_eq!(
        again, out,
        "not idempotent:\n--- input\n{src}\n--- once\n{out}"
    );
    check_whitespace(&out);
    out
}

/// The comment texts in order, each line without trailing whitespace (the
/// formatter removes trailing whitespace everywhere, comments included).
pub fn comments(m: &weft_syntax::ast::Module) -> Vec<String> {
    m.comments
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

/// No trailing whitespace, one final line break, at most one blank line in
/// a row, none right after `{` or before `}`.
fn check_whitespace(out: &str) {
    if out.is_empty() {
        return;
    }
    assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{out:?}");
    assert!(!out.contains("\n\n\n"), "two blank lines in a row:\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.trim_end(), *line, "trailing whitespace in {line:?}");
        if line.is_empty() && i > 0 {
            let before = lines[i - 1];
            let after = lines.get(i + 1).copied().unwrap_or("");
            // A comment may end with `{`: only flag lines without one.
            let code = |l: &str| !l.contains("//") && !l.contains("/*");
            assert!(
                !(code(before) && before.ends_with('{')),
                "blank line after `{{`:\n{out}"
            );
            assert!(
                !(after.trim_start().starts_with('}')),
                "blank line before `}}`:\n{out}"
            );
        }
    }
}

//! `docs/diagnostics.md` stays true: it has a section for every code, and
//! in each section the first `weft` example produces that code while the
//! second (the fix), if any, does not.

use std::path::Path;
use weft_check::{check_module, codes};
use weft_syntax::parse;

/// The parser's codes, documented on the same page.
const PARSER_CODES: &[&str] = &[
    "E0001", "E0002", "E0010", "E0011", "E0012", "E0013", "E0014", "E0015",
];

/// The formatter's codes, documented on the same page (no Weft example can
/// produce them: they report a formatter bug).
const FORMATTER_CODES: &[&str] = &["E0900"];

/// The sections of the page: (code, text), for headings `## <code>`.
fn sections(page: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let is_code = heading.len() == 5
                && heading.starts_with(['E', 'W'])
                && heading[1..].chars().all(|c| c.is_ascii_digit());
            if is_code {
                out.push((heading.to_string(), String::new()));
                continue;
            }
        }
        if line.starts_with("## ") || line == "---" {
            // Another section: stop collecting into the previous code.
            out.push((String::new(), String::new()));
            continue;
        }
        if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out.retain(|(code, _)| !code.is_empty());
    out
}

/// The ```weft blocks of a section.
fn weft_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim()) {
            (None, "```weft") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Every code that parsing and checking `source` produces.
fn codes_of(source: &str) -> Vec<&'static str> {
    let parsed = parse(source);
    let mut found: Vec<&'static str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    found.extend(check_module(&parsed.module).iter().map(|d| d.code));
    found
}

#[test]
fn every_code_is_documented_and_its_examples_hold() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let sections = sections(&page);
    let documented: Vec<&str> = sections.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        documented.len(),
        codes::ALL.len() + PARSER_CODES.len() + FORMATTER_CODES.len(),
        "one section per code: {documented:?}"
    );
    let mut examples = 0;
    for code in codes::ALL.iter().chain(PARSER_CODES).chain(FORMATTER_CODES) {
        assert!(documented.contains(code), "{code} has no section");
        assert!(
            page.contains(&format!("[{code}](#{})", code.to_lowercase())),
            "{code} is missing from the table"
        );
    }
    for (code, text) in &sections {
        assert!(
            codes::ALL.contains(&code.as_str())
                || PARSER_CODES.contains(&code.as_str())
                || FORMATTER_CODES.contains(&code.as_str()),
            "{code} is documented but never emitted"
        );
        let blocks = weft_blocks(text);
        if codes::ALL.contains(&code.as_str()) {
            assert!(!blocks.is_empty(), "{code} has no example");
        }
        examples += blocks.len();
        if let Some(problem) = blocks.first() {
            let found = codes_of(problem);
            assert!(
                found.contains(&code.as_str()),
                "the example of {code} gives {found:?}:\n{problem}"
            );
        }
        if let Some(fix) = blocks.get(1) {
            let found = codes_of(fix);
            assert!(
                !found.contains(&code.as_str()),
                "the fix of {code} still gives it:\n{fix}"
            );
            let errors: Vec<_> = found.iter().filter(|c| c.starts_with('E')).collect();
            assert!(
                errors.is_empty(),
                "the fix of {code} gives {errors:?}:\n{fix}"
            );
        }
    }
    // Every checker code has a problem and a fix; most parser codes too.
    assert!(examples >= 2 * codes::ALL.len(), "only {examples} examples");
}

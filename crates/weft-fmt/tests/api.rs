//! The promises of `format_source` beyond layout: refusal of broken files,
//! edge-case inputs, and nesting up to the parser's limit.

mod common;

use weft_fmt::format_source;

#[test]
fn refuses_a_file_with_syntax_errors_and_returns_its_diagnostics() {
    let source = "flow A(x) {\n    y = \n}\n";
    let parsed = weft_syntax::parse(source);
    assert!(parsed.has_errors());
    assert_eq!(format_source(source), Err(parsed.diagnostics));
}

#[test]
fn refuses_lexical_errors_too() {
    for source in [
        "flow A() { x = \"open }\n",
        "flow A() { x = 1 # }\n",
        "/* open",
    ] {
        let errors = format_source(source).expect_err(source);
        assert!(!errors.is_empty(), "{source}");
    }
}

#[test]
fn empty_and_blank_files_format_to_nothing() {
    assert_eq!(format_source(""), Ok(String::new()));
    assert_eq!(format_source("\n\n  \t\n"), Ok(String::new()));
}

#[test]
fn crlf_line_endings_become_lf() {
    let source = "flow A() {\r\n    x = 1 // note  \r\n\r\n\r\n    y = 2\r\n}\r\n";
    let out = common::check_format(source);
    assert_eq!(out, "flow A() {\n    x = 1 // note\n\n    y = 2\n}\n");
}

#[test]
fn output_ends_with_exactly_one_line_break() {
    assert_eq!(format_source("flow A() {}"), Ok("flow A() {}\n".into()));
    assert_eq!(
        format_source("flow A() {}\n\n\n"),
        Ok("flow A() {}\n".into())
    );
    assert_eq!(format_source("// c"), Ok("// c\n".into()));
}

/// Stack of the threads that format deeply nested files. Formatting needs
/// about as much as parsing: in a debug build, about 1 MiB at the nesting
/// limit.
const STACK_BYTES: usize = 2 * 1024 * 1024;

/// The deepest `wrap`-nesting of `leaf` that still parses without errors.
fn deepest(wrap: impl Fn(&str) -> String, leaf: &str) -> String {
    let mut text = leaf.to_string();
    let mut last_ok = None;
    for _ in 0..=weft_syntax::NESTING_MAX + 8 {
        let source = format!("flow A() {{\n    x = {text}\n}}\n");
        if weft_syntax::parse(&source).has_errors() {
            break;
        }
        last_ok = Some(source);
        text = wrap(&text);
    }
    last_ok.expect("the leaf parses")
}

#[test]
fn nesting_up_to_the_parser_limit_formats() {
    let cases = [
        deepest(|t| format!("[{t}]"), "1"),
        deepest(|t| format!("({t})"), "1"),
        deepest(|t| format!("{{a: {t}}}"), "1"),
        deepest(|t| format!("F({t})"), "1"),
        deepest(|t| format!("-{t}"), "1"),
        deepest(|t| format!("{t} + 1"), "1"),
        deepest(|t| format!("{t}.a"), "b"),
        deepest(|t| format!("func() {{ return {t} }}"), "1"),
        deepest(|t| format!("[\n{t},\n]"), "1"),
    ];
    for source in &cases {
        let source = source.clone();
        std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn(move || {
                common::check_format(&source);
            })
            .expect("thread starts")
            .join()
            .expect("formatting deep nesting does not overflow");
    }
}

#[test]
fn nesting_past_the_parser_limit_is_refused() {
    let deep = "[".repeat(weft_syntax::NESTING_MAX + 1) + &"]".repeat(weft_syntax::NESTING_MAX + 1);
    let source = format!("flow A() {{\n    x = {deep}\n}}\n");
    assert!(format_source(&source).is_err());
}

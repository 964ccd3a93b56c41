//! The checker accepts any tree the parser returns: random tokens, random
//! bytes, mangled seed flows and nesting up to (and past) the parser's
//! limit. None may panic or overflow the stack.

use proptest::prelude::*;
use std::path::Path;
use weft_check::{check_module, check_program, SourceFile};
use weft_syntax::{parse, NESTING_MAX};

/// Words and punctuation of the language, so that random soup often parses
/// into real statements and reaches the checker's deeper paths.
const TOKENS: &[&str] = &[
    "flow",
    "F",
    "G",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\n",
    "\n",
    "\n",
    "let",
    "var",
    "if",
    "else",
    "while",
    "for",
    "in",
    "return",
    "break",
    "continue",
    "func",
    "await",
    "true",
    "false",
    "null",
    "x",
    "y",
    "z",
    "_u",
    "=",
    "+=",
    "++",
    "==",
    "!",
    "-",
    "+",
    "*",
    "&&",
    ".",
    "..",
    "a",
    "@retry",
    "@timeout",
    "@catch",
    "@retyr",
    "(3)",
    "(3s)",
    "(-1)",
    "(\"2h\")",
    "1",
    "1.5",
    "24h",
    "\"s\"",
    "len",
    "append",
    "range",
    "now",
    "Sleep",
    "WaitAll",
    "WaitForAny",
    "ParallelExecute",
    "ParallelForEach",
    "RunCompensations",
    "Pay",
    "Ship",
    ";",
];

/// The seed flows, as texts.
fn examples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut texts = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "weft") {
                texts.push(std::fs::read_to_string(f).unwrap());
            }
        }
    }
    texts.sort();
    texts
}

/// Parses and checks `text`, alone and as a program with itself (so that
/// every flow is also a duplicate).
fn check_text(text: &str) {
    let parsed = parse(text);
    let _ = check_module(&parsed.module);
    let files = [
        SourceFile {
            name: "a.weft",
            module: &parsed.module,
        },
        SourceFile {
            name: "b.weft",
            module: &parsed.module,
        },
    ];
    let out = check_program(&files);
    assert_eq!(out.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn token_soup_does_not_panic(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..300)) {
        check_text(&tokens.join(" "));
    }

    #[test]
    fn soup_inside_a_flow_does_not_panic(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..200)) {
        check_text(&format!("flow T(p) {{\n{}\n}}\n", tokens.join(" ")));
    }

    #[test]
    fn random_bytes_do_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_text(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mangled_examples_do_not_panic(
        which in any::<prop::sample::Index>(),
        cut_at in any::<prop::sample::Index>(),
        cut_len in 0usize..40,
        insert in prop::sample::select(TOKENS),
    ) {
        let texts = examples();
        let text = &texts[which.index(texts.len())];
        let mut at = cut_at.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut_len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mangled = format!("{}{insert}{}", &text[..at], &text[end..]);
        check_text(&mangled);
    }
}

/// Every construct nested `depth` times (what the parser keeps of it).
fn nested_sources(depth: usize) -> Vec<String> {
    let wrap = |open: &str, inner: &str, close: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    vec![
        wrap("if x {\n", "y = x\n", "}\n"),
        wrap("while x {\n", "y = x\nbreak\n", "}\n"),
        wrap("for i in x {\n", "y = i\ncontinue\n", "}\n"),
        wrap("if x {\n} else if x {\n", "y = 1\n", "}\n"),
        wrap("f = func(a) {\n", "return a\n", "}\n"),
        wrap("r = S(x) {\n", "return S(x)\n", "}\n"),
        wrap("r = flow S(x) {\n", "return x\n", "}\n"),
        format!("y = {}", wrap("(", "x", ")")),
        format!("y = {}", wrap("[", "x", "]")),
        format!("y = {}", wrap("{a: ", "x", "}")),
        format!("y = {}Pay(x)", "await ".repeat(depth)),
        format!("y = {}x", "!".repeat(depth)),
        format!("y = x{}", " + x".repeat(depth)),
        format!("y = x{}", ".a".repeat(depth)),
        format!("y = Pay(x){}", " @retry(3)".repeat(depth)),
        format!("y = {}x", "Pay(".repeat(depth)) + &")".repeat(depth),
    ]
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // A small stack, as on a server thread, so that a regression shows here.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            for depth in [
                1,
                10,
                NESTING_MAX / 3,
                NESTING_MAX / 2,
                NESTING_MAX - 2,
                NESTING_MAX,
                NESTING_MAX + 10,
                2_000,
            ] {
                for body in nested_sources(depth) {
                    check_text(&format!("flow T(x) {{\n{body}\n}}\n"));
                }
            }
        })
        .unwrap();
    handle.join().expect("the checker overflowed its stack");
}

//! Property test: random well-formed programs, written with random layout
//! and comments, format to the same meaning, keep their comments, and are
//! formatted idempotently.
//!
//! The generator follows the grammar and reads its decisions from a list of
//! numbers that proptest draws and shrinks; a number past the end of the
//! list reads as 0, and 0 always picks the simplest option, so a shrunk list
//! is a small program.

mod common;

use proptest::prelude::*;

/// Deepest expression or block nesting the generator writes.
const GEN_DEPTH_MAX: usize = 4;

/// Names that are not keywords.
const NAMES: &[&str] = &[
    "a",
    "b",
    "x",
    "items",
    "order",
    "Charge",
    "ReserveNick",
    "_tmp2",
];

/// Flow, activity and function names.
const CALLEES: &[&str] = &["F", "Charge", "ParallelForEach", "append", "WaitAll"];

/// Members and object keys (keywords are allowed there).
const FIELDS: &[&str] = &["id", "status", "if", "items", "ok"];

const NUMBERS: &[&str] = &["0", "42", "3.25", "1_000", "2e3", "0.10", "7"];

const DURATIONS: &[&str] = &["24h", "7days", "1.5h", "250ms", "2hours", "1w"];

const STRINGS: &[&str] = &[
    r#""ok""#,
    r#""""#,
    r#""say \"hi\"""#,
    r#""tab\there""#,
    r#""\u00e9\u{1F600}""#,
    r#""a\/b""#,
    r#""back\\slash\n""#,
];

const BINARY_OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
];

const LINE_COMMENTS: &[&str] = &["// note", "// TODO: more  ", "//x = F(a) @retry(3)", "// {"];

const BLOCK_COMMENTS: &[&str] = &[
    "/* c */",
    "/* two\n   lines */",
    "/**/",
    "/* a /* nested */ b */",
];

struct Gen<'a> {
    choices: &'a [u32],
    at: usize,
    out: String,
    /// Inside `(`, `[` or an object, where line breaks are insignificant.
    in_brackets: bool,
    depth: usize,
}

impl Gen<'_> {
    /// A number below `n`; 0 once the choices run out.
    fn pick(&mut self, n: usize) -> usize {
        let c = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        c as usize % n.max(1)
    }

    /// True with about `percent`% chance; false once the choices run out.
    fn maybe(&mut self, percent: usize) -> bool {
        self.pick(100) >= 100 - percent
    }

    fn one_of(&mut self, options: &[&str]) {
        let i = self.pick(options.len());
        self.out.push_str(options[i]);
    }

    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Space between two tokens: where line breaks are insignificant, maybe
    /// line breaks and comments of both kinds; elsewhere maybe a `/* */`.
    fn gap(&mut self) {
        self.w(" ");
        if self.in_brackets {
            self.gap_with_breaks();
        } else if self.maybe(5) {
            self.one_of(BLOCK_COMMENTS);
            self.w(" ");
        }
    }

    /// Space where a line break is allowed: inside brackets, or after a
    /// binary operator.
    fn gap_with_breaks(&mut self) {
        match self.pick(12) {
            0..=7 => {}
            8 => self.w("\n  "),
            9 => {
                self.one_of(LINE_COMMENTS);
                self.w("\n    ");
            }
            10 => {
                self.one_of(BLOCK_COMMENTS);
                self.w(" ");
            }
            _ => self.w("\n\n"),
        }
    }

    fn name(&mut self) {
        self.one_of(NAMES);
    }

    // ----- top level -----

    fn module(&mut self) {
        if self.maybe(20) {
            self.one_of(LINE_COMMENTS);
            self.w("\n");
        }
        let flows = 1 + self.pick(3);
        for i in 0..flows {
            if i > 0 {
                self.one_of(&["\n", "\n\n", "\n\n\n", "; "]);
                if self.maybe(25) {
                    self.one_of(LINE_COMMENTS);
                    self.w("\n");
                }
            }
            self.w(&format!("flow Flow{i}("));
            let params = self.pick(3);
            for p in 0..params {
                if p > 0 {
                    self.w(", ");
                }
                self.name();
            }
            self.w(") ");
            self.block();
        }
        if self.maybe(20) {
            self.w(" ");
            self.one_of(LINE_COMMENTS);
        }
        self.one_of(&["\n", "", "\n\n"]);
    }

    // ----- blocks and statements -----

    /// `{ statements }` with random separators and comments.
    fn block(&mut self) {
        let saved = self.in_brackets;
        self.in_brackets = false;
        self.depth += 1;
        self.w("{");
        if self.maybe(10) {
            self.w(" ");
            self.one_of(LINE_COMMENTS);
            self.w("\n");
        }
        let count = if self.depth > GEN_DEPTH_MAX {
            0
        } else {
            self.pick(4)
        };
        for i in 0..count {
            // Statements end at a line break or `;`.
            if i == 0 || self.pick(5) > 0 {
                self.one_of(&["\n    ", "\n\n    ", "\n\t"]);
            } else {
                self.w("; ");
            }
            if self.maybe(15) {
                self.one_of(LINE_COMMENTS);
                self.w("\n    ");
            }
            if self.maybe(5) {
                self.one_of(BLOCK_COMMENTS);
                self.w(" ");
            }
            self.stmt();
            if self.maybe(10) {
                self.w(" ");
                self.one_of(BLOCK_COMMENTS);
            }
            if self.maybe(15) {
                self.w(" ");
                self.one_of(LINE_COMMENTS);
                self.w("\n");
            }
        }
        let end_comment = self.maybe(10);
        if end_comment {
            self.w("\n    ");
            self.one_of(LINE_COMMENTS);
        }
        let multi_line = count > 0 || end_comment || self.maybe(50);
        self.w(if multi_line { "\n}" } else { "}" });
        self.depth -= 1;
        self.in_brackets = saved;
    }

    fn stmt(&mut self) {
        match self.pick(12) {
            0 => self.call_expr(),
            1 => {
                let var = self.maybe(50);
                self.w(if var { "var " } else { "let " });
                self.name();
                self.w(" = ");
                self.expr();
            }
            2 => {
                self.w("var ");
                self.name();
            }
            3 => {
                self.place();
                self.w(" ");
                self.one_of(&["=", "+=", "-=", "*=", "/="]);
                self.w(" ");
                self.expr();
            }
            4 => {
                self.place();
                self.one_of(&["++", "--", " ++"]);
            }
            5 => self.if_stmt(0),
            6 => {
                self.w("while ");
                self.cond();
                self.w(" ");
                self.block();
            }
            7 => {
                self.w("for ");
                self.name();
                self.w(" in ");
                self.cond();
                self.w(" ");
                self.block();
            }
            8 => match self.pick(4) {
                0 => self.w("return"),
                1 => {
                    self.w("return ");
                    self.expr();
                }
                2 => {
                    self.w("return(");
                    self.in_parens(Self::expr);
                    self.w(")");
                }
                _ => {
                    self.w("return (");
                    self.in_parens(Self::expr);
                    self.w(")");
                }
            },
            9 => self.one_of(&["break", "continue"]),
            10 => {
                self.one_of(&["", "let ", "var "]);
                self.name();
                self.one_of(&[", ", ",", " , "]);
                self.name();
                self.w(" = ");
                self.call_expr();
            }
            _ => {
                self.name();
                self.w(" = ");
                self.expr();
            }
        }
    }

    fn if_stmt(&mut self, chain: usize) {
        self.w("if ");
        self.cond();
        self.w(" ");
        self.block();
        match self.pick(3) {
            0 => {}
            1 => {
                self.one_of(&[" else ", "\nelse ", " // why\n else "]);
                self.block();
            }
            _ => {
                self.w(" else ");
                if chain < 3 {
                    self.if_stmt(chain + 1);
                } else {
                    self.block();
                }
            }
        }
    }

    /// An assignable place: `a`, `a.b`, `a[i]`.
    fn place(&mut self) {
        self.name();
        match self.pick(3) {
            0 => {}
            1 => {
                self.w(".");
                self.one_of(FIELDS);
            }
            _ => {
                self.w("[");
                self.in_parens(Self::expr);
                self.w("]");
            }
        }
    }

    /// A condition (of `if`, `while`, `for`): never a call followed by a
    /// block, since that block is the statement's body.
    fn cond(&mut self) {
        self.binary();
    }

    // ----- expressions -----

    fn in_parens(&mut self, f: fn(&mut Self)) {
        let saved = self.in_brackets;
        self.in_brackets = true;
        self.depth += 1;
        if self.maybe(10) {
            self.gap_with_breaks();
        }
        f(self);
        if self.maybe(10) {
            self.w(" ");
            self.gap_with_breaks();
        }
        self.depth -= 1;
        self.in_brackets = saved;
    }

    fn expr(&mut self) {
        match self.pick(8) {
            0..=5 => self.binary(),
            6 => self.inline_flow(),
            _ => {
                self.w("await ");
                self.postfix();
            }
        }
    }

    /// Operands joined by binary operators, with a line break allowed after
    /// each operator.
    fn binary(&mut self) {
        self.unary();
        let more = if self.depth > GEN_DEPTH_MAX {
            0
        } else {
            self.pick(3)
        };
        for _ in 0..more {
            self.w(" ");
            self.one_of(BINARY_OPS);
            self.w(" ");
            if self.maybe(10) {
                self.gap_with_breaks();
            }
            self.unary();
        }
    }

    fn unary(&mut self) {
        match self.pick(8) {
            0..=4 => self.postfix(),
            5 => {
                self.w("!");
                self.unary();
            }
            6 => {
                self.w("- ");
                self.unary();
            }
            _ => {
                self.w("+");
                self.postfix();
            }
        }
    }

    fn postfix(&mut self) {
        match self.pick(4) {
            0 | 1 => self.primary(),
            2 => self.call_expr(),
            _ => {
                self.primary();
                self.w(".");
                self.one_of(FIELDS);
                if self.maybe(30) {
                    self.w("[");
                    self.in_parens(Self::expr);
                    self.w("]");
                }
            }
        }
    }

    /// A call with arguments and maybe annotations, or a plain name.
    fn call_expr(&mut self) {
        self.one_of(CALLEES);
        if self.maybe(20) {
            self.w(".");
            self.one_of(FIELDS);
        }
        self.args();
        let annotations = self.pick(3);
        for _ in 0..annotations {
            self.w(" @");
            self.one_of(&["retry", "timeout", "catch"]);
            if self.maybe(70) {
                self.args();
            }
        }
    }

    /// `(a, name: b, ...)`
    fn args(&mut self) {
        self.w("(");
        let saved = self.in_brackets;
        self.in_brackets = true;
        self.depth += 1;
        let count = if self.depth > GEN_DEPTH_MAX {
            0
        } else {
            self.pick(4)
        };
        for i in 0..count {
            if i > 0 {
                self.w(",");
                self.gap();
            } else if self.maybe(20) {
                self.gap_with_breaks();
            }
            if self.maybe(20) {
                self.name();
                self.w(": ");
            }
            self.expr();
        }
        if count > 0 && self.maybe(20) {
            self.w(",");
        }
        if self.maybe(15) {
            self.w(" ");
            self.gap_with_breaks();
        }
        self.depth -= 1;
        self.in_brackets = saved;
        self.w(")");
    }

    fn primary(&mut self) {
        let deep = self.depth > GEN_DEPTH_MAX;
        match if deep { self.pick(5) } else { self.pick(11) } {
            0 => self.name(),
            1 => self.one_of(NUMBERS),
            2 => self.one_of(STRINGS),
            3 => self.one_of(DURATIONS),
            4 => self.one_of(&["true", "false", "null"]),
            5 => {
                self.w("(");
                self.in_parens(Self::expr);
                self.w(")");
            }
            6 | 7 => self.list("[", "]", Self::expr),
            8 => self.list("{", "}", Self::entry),
            9 => {
                self.w("func(");
                let params = self.pick(3);
                for p in 0..params {
                    if p > 0 {
                        self.w(", ");
                    }
                    self.name();
                }
                self.w(") ");
                self.block();
            }
            _ => {
                self.w("flow Inner(");
                self.w(") ");
                self.block();
            }
        }
    }

    /// An inline flow: `flow Name(inputs) { }` or `Name(args) { }`.
    fn inline_flow(&mut self) {
        if self.maybe(50) {
            self.w("flow Sub");
        } else {
            self.one_of(CALLEES);
        }
        self.args();
        self.w(" ");
        self.block();
    }

    /// `key: value` or `..spread`.
    fn entry(&mut self) {
        match self.pick(4) {
            0 | 1 => self.one_of(FIELDS),
            2 => self.one_of(&[r#""quoted-key""#, r#""a\"b""#]),
            _ => {
                self.one_of(&["..", "..."]);
                self.name();
                return;
            }
        }
        self.w(": ");
        self.expr();
    }

    fn list(&mut self, open: &str, close: &str, element: fn(&mut Self)) {
        self.w(open);
        let saved = self.in_brackets;
        self.in_brackets = true;
        self.depth += 1;
        let count = if self.depth > GEN_DEPTH_MAX {
            0
        } else {
            self.pick(5)
        };
        for i in 0..count {
            if i > 0 {
                self.w(",");
                self.gap();
            } else if self.maybe(30) {
                self.gap_with_breaks();
            }
            element(self);
        }
        if count > 0 && self.maybe(30) {
            self.w(",");
        }
        if self.maybe(30) {
            self.w(" ");
            self.gap_with_breaks();
        }
        self.depth -= 1;
        self.in_brackets = saved;
        self.w(close);
    }
}

/// The program the choices describe.
fn program(choices: &[u32]) -> String {
    let mut g = Gen {
        choices,
        at: 0,
        out: String::new(),
        in_brackets: false,
        depth: 0,
    };
    g.module();
    g.out
}

/// Long, wide programs: long names and many elements, to exercise breaking.
fn wide(choices: &[u32]) -> String {
    let text = program(choices);
    text.replace("items", "someRatherLongVariableNameForWidth")
        .replace("Charge", "ChargeTheCustomerPaymentMethodNow")
}

/// `text` with comments added between tokens: a `/* */` comment where
/// `spots` says so, and a `//` comment at the end of some lines. Neither
/// changes the tokens, so the program means the same.
fn with_comments(text: &str, spots: &[u32]) -> String {
    use weft_syntax::lexer::{lex, TokenKind};
    let tokens = lex(text).tokens;
    let mut out = String::with_capacity(text.len() * 2);
    let mut copied = 0;
    for (i, t) in tokens.iter().enumerate() {
        let at = t.span.start as usize;
        let spot = spots.get(i).copied().unwrap_or(0) as usize;
        // The end of a line after a `//` comment belongs to it.
        let before = i.checked_sub(1).map_or(0, |p| tokens[p].span.end as usize);
        let ends_line = matches!(t.kind, TokenKind::Newline | TokenKind::Eof);
        if ends_line && text[before..at].contains("//") {
            continue;
        }
        let insert = match t.kind {
            // Before a line break: the rest of the line is free.
            TokenKind::Newline if spot % 3 == 1 => LINE_COMMENTS[spot / 3 % LINE_COMMENTS.len()],
            _ if spot % 5 == 4 => BLOCK_COMMENTS[spot / 5 % BLOCK_COMMENTS.len()],
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push(' ');
        out.push_str(insert);
        if t.kind != TokenKind::Newline {
            out.push(' ');
        }
        copied = at;
    }
    out.push_str(&text[copied..]);
    out
}

/// Programs per property: 400, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(400)
}

/// Checks `text`, turning a failed assertion into a test-case failure so
/// that proptest reports only the smallest failing program.
fn check_generated(text: &str) -> Result<(), TestCaseError> {
    thread_local! {
        static CHECKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static QUIET: std::sync::Once = std::sync::Once::new();
    // Shrinking runs many failing cases; their panic messages are noise.
    QUIET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CHECKING.with(|c| c.get()) {
                default(info)
            }
        }))
    });
    let parsed = weft_syntax::parse(text);
    prop_assert!(
        !parsed.has_errors(),
        "the generator wrote a program that does not parse:\n{}\n{:#?}",
        text,
        parsed.diagnostics
    );
    CHECKING.with(|c| c.set(true));
    let result = std::panic::catch_unwind(|| {
        common::check_format(text);
    });
    CHECKING.with(|c| c.set(false));
    if let Err(panic) = result {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        return Err(TestCaseError::fail(message));
    }
    Ok(())
}

proptest! {
    // `PROPTEST_CASES=100000` runs a longer search.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_programs_keep_meaning_and_comments(
        choices in proptest::collection::vec(any::<u32>(), 0..600)
    ) {
        check_generated(&program(&choices))?;
    }

    #[test]
    fn random_wide_programs_keep_meaning_and_comments(
        choices in proptest::collection::vec(any::<u32>(), 0..600)
    ) {
        check_generated(&wide(&choices))?;
    }

    #[test]
    fn random_programs_with_comments_everywhere(
        choices in proptest::collection::vec(any::<u32>(), 0..600),
        spots in proptest::collection::vec(any::<u32>(), 0..600),
    ) {
        check_generated(&with_comments(&program(&choices), &spots))?;
    }

    #[test]
    fn random_wide_programs_with_comments_everywhere(
        choices in proptest::collection::vec(any::<u32>(), 0..600),
        spots in proptest::collection::vec(any::<u32>(), 0..600),
    ) {
        check_generated(&with_comments(&wide(&choices), &spots))?;
    }
}

#[test]
fn the_empty_choice_list_is_a_minimal_program() {
    assert_eq!(program(&[]), "flow Flow0() {}\n");
}

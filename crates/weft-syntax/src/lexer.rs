//! The lexer: source text to tokens, comments kept aside for the formatter.
//!
//! Lexing never fails. A character that starts no token becomes an
//! [`TokenKind::Error`] token plus a diagnostic, so the parser can go on.

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Longest source text the lexer accepts, in bytes. Spans are `u32`, and a
/// flow module larger than this is certainly a mistake.
pub const SOURCE_BYTES_MAX: usize = 16 * 1024 * 1024;

/// The kinds of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A name: `[A-Za-z_][A-Za-z0-9_]*` that is not a keyword.
    Ident,
    /// A number such as `42` or `0.43`.
    Number,
    /// A number with a time unit, such as `24h` or `7days`.
    Duration,
    /// A double-quoted string; its decoded value is in [`Token::text`].
    String,
    // Keywords.
    /// `flow`
    Flow,
    /// `let`
    Let,
    /// `var`
    Var,
    /// `if`
    If,
    /// `else`
    Else,
    /// `while`
    While,
    /// `for`
    For,
    /// `in`
    In,
    /// `return`
    Return,
    /// `func`
    Func,
    /// `await`
    Await,
    /// `true`
    True,
    /// `false`
    False,
    /// `null`
    Null,
    /// `break`
    Break,
    /// `continue`
    Continue,
    // Punctuation.
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `;` (accepted as a statement separator)
    Semi,
    /// `.`
    Dot,
    /// `..` or `...` (spread)
    DotDot,
    /// `@`
    At,
    /// `->` (the result type of an activity declaration)
    Arrow,
    /// `|` (a union of types)
    Pipe,
    /// `?` (an optional field or parameter of a declaration)
    Question,
    /// `=`
    Eq,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `!`
    Bang,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// `++`
    PlusPlus,
    /// `--`
    MinusMinus,
    /// `+=`
    PlusEq,
    /// `-=`
    MinusEq,
    /// `*=`
    StarEq,
    /// `/=`
    SlashEq,
    /// A line break (statements end at line breaks).
    Newline,
    /// A character that starts no token.
    Error,
    /// End of input.
    Eof,
}

impl TokenKind {
    /// How the token reads in messages (`` `{` ``, "a name", ...).
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "a name",
            Number => "a number",
            Duration => "a duration",
            String => "a string",
            Flow => "`flow`",
            Let => "`let`",
            Var => "`var`",
            If => "`if`",
            Else => "`else`",
            While => "`while`",
            For => "`for`",
            In => "`in`",
            Return => "`return`",
            Func => "`func`",
            Await => "`await`",
            True => "`true`",
            False => "`false`",
            Null => "`null`",
            Break => "`break`",
            Continue => "`continue`",
            LParen => "`(`",
            RParen => "`)`",
            LBrace => "`{`",
            RBrace => "`}`",
            LBracket => "`[`",
            RBracket => "`]`",
            Comma => "`,`",
            Colon => "`:`",
            Semi => "`;`",
            Dot => "`.`",
            DotDot => "`..`",
            At => "`@`",
            Arrow => "`->`",
            Pipe => "`|`",
            Question => "`?`",
            Eq => "`=`",
            EqEq => "`==`",
            NotEq => "`!=`",
            Lt => "`<`",
            Le => "`<=`",
            Gt => "`>`",
            Ge => "`>=`",
            Plus => "`+`",
            Minus => "`-`",
            Star => "`*`",
            Slash => "`/`",
            Percent => "`%`",
            Bang => "`!`",
            AndAnd => "`&&`",
            OrOr => "`||`",
            PlusPlus => "`++`",
            MinusMinus => "`--`",
            PlusEq => "`+=`",
            MinusEq => "`-=`",
            StarEq => "`*=`",
            SlashEq => "`/=`",
            Newline => "a line break",
            Error => "an unexpected character",
            Eof => "the end of the file",
        }
    }
}

/// The keyword spelled `word`, if it is one.
pub fn keyword(word: &str) -> Option<TokenKind> {
    use TokenKind::*;
    Some(match word {
        "flow" => Flow,
        "let" => Let,
        "var" => Var,
        "if" => If,
        "else" => Else,
        "while" => While,
        "for" => For,
        "in" => In,
        "return" => Return,
        "func" => Func,
        "await" => Await,
        "true" => True,
        "false" => False,
        "null" => Null,
        "break" => Break,
        "continue" => Continue,
        _ => return None,
    })
}

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
    /// For strings, the decoded value; for durations, the unit suffix as
    /// written; otherwise empty (read the source through the span).
    pub text: String,
}

/// A comment, kept for the formatter and the language server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Where it is, delimiters included.
    pub span: Span,
    /// The comment as written, delimiters included.
    pub text: String,
    /// True when code precedes the comment on its line.
    pub trailing: bool,
}

/// The result of lexing: tokens (ending with `Eof`), comments, diagnostics.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Tokens in order, the last one `Eof`.
    pub tokens: Vec<Token>,
    /// Comments in order.
    pub comments: Vec<Comment>,
    /// Lexical errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Duration units and their length in milliseconds. Each unit has several
/// spellings because flows are written by people (`24h`, `1day`, `7days`).
pub const DURATION_UNITS: &[(&str, u64)] = &[
    ("ms", 1),
    ("millis", 1),
    ("s", 1_000),
    ("sec", 1_000),
    ("secs", 1_000),
    ("second", 1_000),
    ("seconds", 1_000),
    ("m", 60_000),
    ("min", 60_000),
    ("mins", 60_000),
    ("minute", 60_000),
    ("minutes", 60_000),
    ("h", 3_600_000),
    ("hr", 3_600_000),
    ("hrs", 3_600_000),
    ("hour", 3_600_000),
    ("hours", 3_600_000),
    ("d", 86_400_000),
    ("day", 86_400_000),
    ("days", 86_400_000),
    ("w", 604_800_000),
    ("week", 604_800_000),
    ("weeks", 604_800_000),
];

/// Milliseconds in one `unit`, if `unit` is a duration unit.
pub fn duration_unit_ms(unit: &str) -> Option<u64> {
    DURATION_UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|&(_, ms)| ms)
}

/// Parses a duration written as text, such as `"2hours"` or `"1.5h"`, into
/// milliseconds. Used by the runtime for annotation arguments given as strings.
pub fn parse_duration_text(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let amount: f64 = num.parse().ok()?;
    let unit_ms = duration_unit_ms(unit.trim())?;
    let ms = amount * unit_ms as f64;
    if !ms.is_finite() || ms < 0.0 || ms > u64::MAX as f64 / 2.0 {
        return None;
    }
    Some(ms.round() as u64)
}

/// Splits `source` into tokens.
pub fn lex(source: &str) -> Lexed {
    let mut lx = Lexer {
        src: source,
        bytes: source.as_bytes(),
        pos: 0,
        out: Lexed::default(),
        line_has_code: false,
    };
    if source.len() > SOURCE_BYTES_MAX {
        lx.out.diagnostics.push(Diagnostic::error(
            "E0001",
            Span::new(0, 0),
            format!(
                "source is {} bytes; the limit is {SOURCE_BYTES_MAX} bytes",
                source.len()
            ),
        ));
        lx.out.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(0, 0),
            text: std::string::String::new(),
        });
        return lx.out;
    }
    lx.run();
    lx.out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: Lexed,
    line_has_code: bool,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: TokenKind, start: usize, text: String) {
        self.line_has_code = kind != TokenKind::Newline;
        self.out.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
            text,
        });
    }

    fn error(&mut self, start: usize, end: usize, message: String) {
        self.out
            .diagnostics
            .push(Diagnostic::error("E0002", Span::new(start, end), message));
    }

    fn run(&mut self) {
        use TokenKind::*;
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let c = self.bytes[self.pos];
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.push(Newline, start, std::string::String::new());
                }
                b'/' if self.peek(1) == b'/' => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                    self.comment(start);
                }
                b'/' if self.peek(1) == b'*' => {
                    self.pos += 2;
                    let mut depth = 1;
                    while self.pos < self.bytes.len() && depth > 0 {
                        if self.peek(0) == b'*' && self.peek(1) == b'/' {
                            depth -= 1;
                            self.pos += 2;
                        } else if self.peek(0) == b'/' && self.peek(1) == b'*' {
                            depth += 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                    if depth > 0 {
                        self.error(
                            start,
                            start + 2,
                            "unterminated block comment: `/*` has no matching `*/`".into(),
                        );
                    }
                    self.comment(start);
                }
                b'"' => self.string(),
                b'0'..=b'9' => self.number(),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    while matches!(self.peek(0), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
                        self.pos += 1;
                    }
                    let word = &self.src[start..self.pos];
                    let kind = keyword(word).unwrap_or(Ident);
                    self.push(kind, start, std::string::String::new());
                }
                _ => {
                    let (kind, len) = match (c, self.peek(1), self.peek(2)) {
                        (b'.', b'.', b'.') => (DotDot, 3),
                        (b'.', b'.', _) => (DotDot, 2),
                        (b'=', b'=', _) => (EqEq, 2),
                        (b'!', b'=', _) => (NotEq, 2),
                        (b'<', b'=', _) => (Le, 2),
                        (b'>', b'=', _) => (Ge, 2),
                        (b'&', b'&', _) => (AndAnd, 2),
                        (b'|', b'|', _) => (OrOr, 2),
                        (b'+', b'+', _) => (PlusPlus, 2),
                        (b'-', b'-', _) => (MinusMinus, 2),
                        (b'+', b'=', _) => (PlusEq, 2),
                        (b'-', b'=', _) => (MinusEq, 2),
                        (b'-', b'>', _) => (Arrow, 2),
                        (b'*', b'=', _) => (StarEq, 2),
                        (b'/', b'=', _) => (SlashEq, 2),
                        (b'(', _, _) => (LParen, 1),
                        (b')', _, _) => (RParen, 1),
                        (b'{', _, _) => (LBrace, 1),
                        (b'}', _, _) => (RBrace, 1),
                        (b'[', _, _) => (LBracket, 1),
                        (b']', _, _) => (RBracket, 1),
                        (b',', _, _) => (Comma, 1),
                        (b':', _, _) => (Colon, 1),
                        (b';', _, _) => (Semi, 1),
                        (b'.', _, _) => (Dot, 1),
                        (b'@', _, _) => (At, 1),
                        (b'|', _, _) => (Pipe, 1),
                        (b'?', _, _) => (Question, 1),
                        (b'=', _, _) => (Eq, 1),
                        (b'<', _, _) => (Lt, 1),
                        (b'>', _, _) => (Gt, 1),
                        (b'+', _, _) => (Plus, 1),
                        (b'-', _, _) => (Minus, 1),
                        (b'*', _, _) => (Star, 1),
                        (b'/', _, _) => (Slash, 1),
                        (b'%', _, _) => (Percent, 1),
                        (b'!', _, _) => (Bang, 1),
                        _ => (Error, 0),
                    };
                    if kind == Error {
                        let ch = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                        self.pos += ch.len_utf8();
                        let shown = if ch.is_control() || ch.is_whitespace() {
                            format!("{:?}", ch)
                        } else {
                            format!("`{ch}`")
                        };
                        self.error(start, self.pos, format!("unexpected character {shown}"));
                        self.push(Error, start, std::string::String::new());
                    } else {
                        self.pos += len;
                        self.push(kind, start, std::string::String::new());
                    }
                }
            }
        }
        let end = self.bytes.len();
        self.out.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(end, end),
            text: std::string::String::new(),
        });
    }

    fn comment(&mut self, start: usize) {
        self.out.comments.push(Comment {
            span: Span::new(start, self.pos),
            text: self.src[start..self.pos].trim_end_matches('\r').to_string(),
            trailing: self.line_has_code,
        });
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut value = std::string::String::new();
        loop {
            let Some(ch) = self.src[self.pos..].chars().next() else {
                self.error(
                    start,
                    self.pos,
                    "unterminated string: a `\"` is missing".into(),
                );
                break;
            };
            match ch {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\n' => {
                    self.error(
                        start,
                        self.pos,
                        "unterminated string: a `\"` is missing before the end of the line".into(),
                    );
                    break;
                }
                '\\' => {
                    let esc_start = self.pos;
                    self.pos += 1;
                    let Some(e) = self.src[self.pos..].chars().next() else {
                        continue;
                    };
                    self.pos += e.len_utf8();
                    match e {
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        '0' => value.push('\0'),
                        '"' => value.push('"'),
                        '\\' => value.push('\\'),
                        '/' => value.push('/'),
                        'u' => match self.unicode_escape() {
                            Some(c) => value.push(c),
                            None => self.error(
                                esc_start,
                                self.pos,
                                "invalid unicode escape: write `\\u{1F600}` or `\\u00e9`".into(),
                            ),
                        },
                        other => self.error(
                            esc_start,
                            self.pos,
                            format!("unknown escape `\\{other}` in string"),
                        ),
                    }
                }
                _ => {
                    value.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
        self.push(TokenKind::String, start, value);
    }

    /// After `\u`: either `{hex...}` or exactly four hex digits.
    fn unicode_escape(&mut self) -> Option<char> {
        let rest = &self.src[self.pos..];
        let (digits, consumed) = if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}')?;
            (&inner[..close], close + 2)
        } else {
            let end = rest
                .char_indices()
                .take(4)
                .take_while(|(_, c)| c.is_ascii_hexdigit())
                .count();
            if end < 4 {
                return None;
            }
            (&rest[..4], 4)
        };
        if digits.is_empty() || digits.len() > 6 {
            return None;
        }
        let code = u32::from_str_radix(digits, 16).ok()?;
        self.pos += consumed;
        char::from_u32(code)
    }

    fn number(&mut self) {
        let start = self.pos;
        while self.peek(0).is_ascii_digit() || self.peek(0) == b'_' {
            self.pos += 1;
        }
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            self.pos += 1;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), b'e' | b'E')
            && (self.peek(1).is_ascii_digit()
                || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
        {
            self.pos += 2;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        let num_end = self.pos;
        if self.peek(0).is_ascii_alphabetic() {
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            let unit = &self.src[num_end..self.pos];
            if duration_unit_ms(unit).is_none() {
                self.error(num_end, self.pos, format!("unknown duration unit `{unit}`"));
                self.out.diagnostics.last_mut().unwrap().help = Some(
                    "units are ms, s, m (minutes), h, d, w, and their long forms such as `minutes` or `days`"
                        .into(),
                );
            }
            self.push(TokenKind::Duration, start, unit.to_string());
        } else {
            self.push(TokenKind::Number, start, std::string::String::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        lex(src).tokens.iter().map(|t| t.kind).collect()
    }

    #[test]
    fn durations_in_every_seed_spelling() {
        for (text, ms) in [
            ("24h", 86_400_000),
            ("7days", 604_800_000),
            ("2hours", 7_200_000),
            ("30minutes", 1_800_000),
            ("90minutes", 5_400_000),
            ("1day", 86_400_000),
            ("1hour", 3_600_000),
            ("25hours", 90_000_000),
            ("250ms", 250),
            ("3s", 3_000),
            ("5m", 300_000),
            ("2d", 172_800_000),
            ("1w", 604_800_000),
        ] {
            let l = lex(text);
            assert_eq!(l.tokens[0].kind, TokenKind::Duration, "{text}");
            assert!(l.diagnostics.is_empty(), "{text}");
            assert_eq!(parse_duration_text(text), Some(ms), "{text}");
        }
        assert_eq!(parse_duration_text("1.5h"), Some(5_400_000));
        assert_eq!(parse_duration_text("2 hours"), Some(7_200_000));
        assert_eq!(parse_duration_text("soon"), None);
        assert_eq!(parse_duration_text("continuous"), None);
    }

    #[test]
    fn unknown_unit_is_an_error() {
        let l = lex("3parsecs");
        assert_eq!(l.diagnostics.len(), 1);
        assert!(l.diagnostics[0].message.contains("parsecs"));
    }

    #[test]
    fn operators_and_comments() {
        use TokenKind::*;
        assert_eq!(
            kinds("a.b ..c ...d // hi\n x++ /* c */ != <= &&"),
            vec![
                Ident, Dot, Ident, DotDot, Ident, DotDot, Ident, Newline, Ident, PlusPlus, NotEq,
                Le, AndAnd, Eof
            ]
        );
        let l = lex("x = 1 // trailing\n// leading\n");
        assert_eq!(l.comments.len(), 2);
        assert!(l.comments[0].trailing);
        assert!(!l.comments[1].trailing);
    }

    #[test]
    fn string_escapes() {
        let l = lex(r#""a\"b\n\u00e9\u{1F600}""#);
        assert!(l.diagnostics.is_empty());
        assert_eq!(l.tokens[0].text, "a\"b\né😀");
    }

    #[test]
    fn unterminated_string_reports_once() {
        let l = lex("\"abc\nx");
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.tokens[0].kind, TokenKind::String);
        assert_eq!(l.tokens[1].kind, TokenKind::Newline);
    }

    #[test]
    fn odd_bytes_become_error_tokens() {
        let l = lex("a # b");
        assert_eq!(l.diagnostics.len(), 1);
        assert!(l.tokens.iter().any(|t| t.kind == TokenKind::Error));
    }
}

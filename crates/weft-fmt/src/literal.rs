//! Canonical spelling of literals: numbers, durations and strings.

use std::fmt::Write as _;

/// Integers up to this magnitude are written with their digits and no
/// fraction (`42`, not `42.0`); it is below 2^53, so they are exact.
const INTEGER_DIGITS_MAGNITUDE_MAX: f64 = 1e15;

/// Numbers from this magnitude up are written with an exponent (`1e21`).
const EXPONENT_MAGNITUDE_MIN: f64 = 1e21;

/// Numbers below this magnitude (but not zero) are written with an
/// exponent (`1.5e-7`), as JavaScript does, rather than with a long run of
/// zeros.
const FRACTION_MAGNITUDE_MIN: f64 = 1e-6;

/// A number as Weft source: integers without a fraction, other values in
/// the shortest form that reads back to the same `f64` (`0.43`), with an
/// exponent when very large or very small (`1e21`, `5e-324`).
///
/// The lexer reads only non-negative literals (a minus sign is an operator).
/// An infinite value can only come from an overflowing literal such as
/// `1e999`, so it is written back as one.
pub(crate) fn number(v: f64) -> String {
    if v.is_infinite() {
        return "1e999".to_string();
    }
    let magnitude = v.abs();
    if v.fract() == 0.0 && magnitude < INTEGER_DIGITS_MAGNITUDE_MAX {
        format!("{}", v as i64)
    } else if magnitude >= EXPONENT_MAGNITUDE_MIN
        || (magnitude < FRACTION_MAGNITUDE_MIN && magnitude > 0.0)
    {
        // Rust's `LowerExp` gives the shortest digits that round-trip.
        format!("{v:e}")
    } else {
        // `Display` for f64 uses no exponent and round-trips.
        format!("{v}")
    }
}

/// A duration: its amount, then its unit as written (`7days`, `1.5h`).
pub(crate) fn duration(amount: f64, unit: &str) -> String {
    format!("{}{unit}", number(amount))
}

/// A string literal with canonical escapes: `\"`, `\\`, `\n`, `\t`, `\r` and
/// `\0` for those characters, `\u{...}` for other control characters, and
/// every other character as itself.
pub(crate) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(42.0), "42");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(0.43), "0.43");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(1e21), "1e21");
        assert_eq!(number(1.5e300), "1.5e300");
        assert_eq!(number(0.000001), "0.000001");
        assert_eq!(number(1e-7), "1e-7");
        assert_eq!(number(5e-324), "5e-324");
        assert_eq!(number(f64::INFINITY), "1e999");
    }

    #[test]
    fn durations_keep_their_unit() {
        assert_eq!(duration(7.0, "days"), "7days");
        assert_eq!(duration(1.5, "h"), "1.5h");
    }

    #[test]
    fn strings_are_escaped_canonically() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("l1\nl2\tx\r\0"), r#""l1\nl2\tx\r\0""#);
        assert_eq!(string("\u{1b}é😀/"), "\"\\u{1b}é😀/\"");
    }

    #[test]
    fn every_spelling_reads_back_the_same() {
        for v in [
            0.0,
            1.0,
            0.1,
            123.456,
            1e15,
            1e20,
            1e21,
            1e300,
            1.5e-7,
            5e-324,
            f64::MAX,
        ] {
            let (e, d) = weft_syntax::parse_expr(&number(v));
            assert!(d.is_empty(), "{v}");
            assert_eq!(e.kind, weft_syntax::ast::ExprKind::Number(v), "{v}");
        }
        for s in ["", "\"", "\\", "\n\t\r\0", "\u{7f}\u{1}", "é😀", "/"] {
            let (e, d) = weft_syntax::parse_expr(&string(s));
            assert!(d.is_empty(), "{s:?}");
            assert_eq!(e.kind, weft_syntax::ast::ExprKind::String(s.into()));
        }
    }
}

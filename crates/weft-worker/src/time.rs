//! The two time formats a worker reads: a task's `deadline` (RFC 3339) and
//! the HTTP `Date` header (IMF-fixdate), both as epoch milliseconds.
//!
//! Small parsers instead of a date crate: the worker needs no more than this.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The local wall clock, in epoch milliseconds.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis() as i64
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let s = text.get(range)?;
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses RFC 3339 (`2026-12-01T09:00:00Z`, `2026-12-01T09:00:00.125+02:00`).
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d) = (num(t, 0..4)?, num(t, 5..7)?, num(t, 8..10)?);
    let (hh, mi, ss) = (num(t, 11..13)?, num(t, 14..16)?, num(t, 17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || hh > 23 || mi > 59 || ss > 60 {
        return None;
    }
    let mut rest = &t[19..];
    let mut frac_ms = 0;
    if let Some(r) = rest.strip_prefix('.') {
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, c) in r[..digits].bytes().take(3).enumerate() {
            frac_ms += i64::from(c - b'0') * [100, 10, 1][i];
        }
        rest = &r[digits..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (num(rest, 1..3)? * 60 + num(rest, 4..6)?)
        }
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + hh * 3600 + mi * 60 + ss - offset_min * 60;
    Some(secs * 1000 + frac_ms)
}

/// Parses an HTTP date in its only current form, IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() != 29 || &t[25..] != " GMT" || b[3] != b',' || b[19] != b':' || b[22] != b':' {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mo = MONTHS.iter().position(|m| *m == &t[8..11])? as i64 + 1;
    let (d, y) = (num(t, 5..7)?, num(t, 12..16)?);
    let (hh, mi, ss) = (num(t, 17..19)?, num(t, 20..22)?, num(t, 23..25)?);
    if !(1..=31).contains(&d) || hh > 23 || mi > 59 || ss > 60 {
        return None;
    }
    Some((days_from_civil(y, mo, d) * 86_400 + hh * 3600 + mi * 60 + ss) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-12-01T09:00:00.125Z"),
            Some(1_796_115_600_125)
        );
        assert_eq!(
            parse_rfc3339("2026-12-01T11:00:00.125+02:00"),
            Some(1_796_115_600_125)
        );
        assert_eq!(
            parse_rfc3339("2026-12-01T09:00:00.1Z"),
            Some(1_796_115_600_100)
        );
        assert_eq!(parse_rfc3339("2026-12-01"), None);
        assert_eq!(parse_rfc3339("2026-13-01T09:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-12-01T09:00:00"), None);
        assert_eq!(parse_rfc3339("2026-12-01T09:00:00.Z"), None);
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_http_date("Tue, 01 Dec 2026 09:00:00 GMT"),
            parse_rfc3339("2026-12-01T09:00:00Z")
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Xyz 1994 08:49:37 GMT"), None);
    }
}

//! Times and durations as text: RFC 3339 for times, `2h30m` for durations.
//!
//! Times are milliseconds since the Unix epoch (UTC); durations are
//! milliseconds. The civil-date conversions are the well-known
//! days-from-civil algorithms (proleptic Gregorian calendar).

/// Formats epoch milliseconds as RFC 3339 UTC, e.g. `2026-11-25T17:52:11.123Z`
/// (the fraction only when it is not zero).
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (sod / 3600, (sod % 3600) / 60, sod % 60);
    if frac == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{frac:03}Z")
    }
}

/// Parses RFC 3339 (`2026-12-01T09:00:00Z`, `2026-12-01T09:00:00.5+02:00`) or
/// a plain date (`2026-12-01`, midnight UTC) into epoch milliseconds.
pub fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = t.get(0..4)?.parse().ok()?;
    let mo: i64 = t.get(5..7)?.parse().ok()?;
    let d: i64 = t.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    if b.len() == 10 {
        return Some(days * 86_400_000);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hh: i64 = t.get(11..13)?.parse().ok()?;
    let mi: i64 = t.get(14..16)?.parse().ok()?;
    let ss: i64 = t.get(17..19)?.parse().ok()?;
    if hh > 23 || mi > 59 || ss > 60 {
        return None;
    }
    let mut rest = &t[19..];
    let mut frac_ms = 0i64;
    if let Some(r) = rest.strip_prefix('.') {
        let digits = r.bytes().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let mut scaled = 0i64;
        for (i, c) in r[..digits].bytes().enumerate().take(3) {
            scaled += i64::from(c - b'0') * [100, 10, 1][i];
        }
        frac_ms = scaled;
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
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (oh * 60 + om)
        }
    };
    let secs = days * 86_400 + hh * 3600 + mi * 60 + ss - offset_min * 60;
    Some(secs * 1000 + frac_ms)
}

/// Formats a duration compactly: `2h30m`, `7d`, `1.5s`, `250ms`, `-5m`.
pub fn format_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let neg = ms < 0;
    let mut rest = ms.unsigned_abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    for (unit, len) in [("d", 86_400_000u64), ("h", 3_600_000), ("m", 60_000)] {
        if rest >= len {
            out.push_str(&format!("{}{unit}", rest / len));
            rest %= len;
        }
    }
    if rest > 0 {
        if rest.is_multiple_of(1000) {
            out.push_str(&format!("{}s", rest / 1000));
        } else if rest < 1000 {
            out.push_str(&format!("{rest}ms"));
        } else {
            let frac = format!("{:03}", rest % 1000);
            out.push_str(&format!("{}.{}s", rest / 1000, frac.trim_end_matches('0')));
        }
    }
    out
}

/// Parses a duration written as text: one or more amounts with units
/// (`2hours`, `1.5h`, `2h30m`, `90 minutes`). `None` when it is not one.
pub fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (neg, mut rest) = match t.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, t),
    };
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let after_num = rest[num_len..].trim_start();
        let unit_len = after_num
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after_num.len());
        let part = format!("{}{}", &rest[..num_len], &after_num[..unit_len]);
        total = total.checked_add(weft_syntax::lexer::parse_duration_text(&part)?)?;
        rest = after_num[unit_len..].trim_start();
    }
    let total = i64::try_from(total).ok()?;
    Some(if neg { -total } else { total })
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years RFC
    /// 3339 writes with four digits.
    const TIME_MIN_MS: i64 = -62_167_219_200_000;
    const TIME_MAX_MS: i64 = 253_402_300_799_999;

    /// Durations up to 2^53 ms (285,000 years) are exact as `f64`, which
    /// the text form goes through.
    const DURATION_MAX_MS: i64 = 1 << 53;

    proptest! {
        /// Times go out as RFC 3339 text (to activities, the API) and come
        /// back as the same instant.
        #[test]
        fn time_text_reads_back(ms in TIME_MIN_MS..=TIME_MAX_MS) {
            prop_assert_eq!(parse_time(&format_time(ms)), Some(ms), "{}", format_time(ms));
        }

        /// Durations go out as text such as `1d2h3.5s` and come back the
        /// same.
        #[test]
        fn duration_text_reads_back(ms in -DURATION_MAX_MS..=DURATION_MAX_MS) {
            prop_assert_eq!(parse_duration(&format_duration(ms)), Some(ms), "{}", format_duration(ms));
        }
    }

    #[test]
    fn times_round_trip() {
        for ms in [
            0,
            1_764_093_131_123,
            -86_400_000,
            951_782_400_000,
            4_102_444_800_000,
        ] {
            assert_eq!(
                parse_time(&format_time(ms)),
                Some(ms),
                "{}",
                format_time(ms)
            );
        }
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(parse_time("2026-12-01"), parse_time("2026-12-01T00:00:00Z"));
        assert_eq!(
            parse_time("2026-12-01T09:00:00+02:00"),
            parse_time("2026-12-01T07:00:00Z")
        );
        assert_eq!(
            parse_time("2026-12-01T09:00:00.5Z").map(|t| t % 1000),
            Some(500)
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2026-13-01"), None);
    }

    #[test]
    fn durations_as_text() {
        assert_eq!(format_duration(9_000_000), "2h30m");
        assert_eq!(format_duration(604_800_000), "7d");
        assert_eq!(format_duration(250), "250ms");
        assert_eq!(format_duration(1_500), "1.5s");
        assert_eq!(format_duration(61_050), "1m1.05s");
        assert_eq!(format_duration(-300_000), "-5m");
        assert_eq!(parse_duration("2h30m"), Some(9_000_000));
        assert_eq!(parse_duration("2hours"), Some(7_200_000));
        assert_eq!(parse_duration("90 minutes"), Some(5_400_000));
        assert_eq!(parse_duration("continuous"), None);
        assert_eq!(parse_duration(""), None);
        for ms in [1, 999, 1000, 61_000, 3_723_004, 90_000_000] {
            assert_eq!(parse_duration(&format_duration(ms)), Some(ms), "{ms}");
        }
    }
}

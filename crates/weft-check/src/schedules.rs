//! Schedules (`sdk.Schedule({...})`): what a declaration says
//! ([`ScheduleSpec`], which the runtime stores and fires by), its checks
//! (E0315; `run` naming no flow is E0312, two of one name E0314), and
//! when it fires ([`ScheduleSpec::next_after`]).
//!
//! ```text
//! sdk.Schedule({
//!     name: "nightly-report",
//!     cron: "0 3 * * *",            // or `every: 15m`, or `at: "2026-12-24T18:00:00+01:00"`
//!     timezone: "Europe/Berlin",    // for `cron`; UTC by default
//!     run: "NightlyReport",
//!     input: {full: true},          // the run's input (a literal); by default {schedule, at}
//!     overlap: "skip",              // skip | queue | allow
//!     catchup: "last",              // none | last | all
//!     catchupMax: 10,               // with `all`: at most this many missed fires
//! })
//! ```

use serde::{Deserialize, Serialize};
use weft_syntax::ast::{ExprKind, TriggerDecl};
use weft_syntax::Span;

/// Most missed fires a schedule with `catchup: "all"` starts after
/// downtime (`catchupMax` may be lower).
pub const SCHEDULE_CATCHUP_MAX: u32 = 1_000;

/// Missed fires `catchup: "all"` starts when `catchupMax` is not given.
pub const SCHEDULE_CATCHUP_DEFAULT: u32 = 10;

/// Shortest `every`: a schedule firing faster than this is refused.
pub const SCHEDULE_EVERY_MIN_MS: u64 = 1_000;

/// How late a fire may be and still count as on time under
/// `catchup: "none"` (a node busy for a moment is not downtime).
pub const SCHEDULE_ON_TIME_MS: i64 = 60_000;

/// When a schedule fires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum When {
    /// A cron pattern (5 fields, or 6 with seconds) in a time zone.
    Cron {
        /// The pattern.
        pattern: String,
        /// The IANA time zone (`Europe/Berlin`, `UTC`).
        timezone: String,
    },
    /// Every so many milliseconds, at multiples of it since the epoch (so
    /// every node computes the same times).
    Every {
        /// The interval.
        ms: u64,
    },
    /// Once, at this time (epoch ms).
    At {
        /// The time.
        ms: i64,
    },
}

/// What to do with a fire while the run of the previous one is not
/// finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Overlap {
    /// Skip the fire (counted as skipped).
    Skip,
    /// Start it when the running one finishes (fires wait in order).
    Queue,
    /// Start it anyway.
    Allow,
}

/// Which fires missed while no node ran (downtime) still start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Catchup {
    /// None: only a fire at most [`SCHEDULE_ON_TIME_MS`] late starts.
    None,
    /// The latest missed fire starts; the others are skipped.
    Last,
    /// Every missed fire starts, up to `catchup_max` (the latest ones).
    All,
}

/// What a schedule's declaration says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleSpec {
    /// Its name, unique.
    pub name: String,
    /// The flow it starts.
    pub flow: String,
    /// When it fires.
    pub when: When,
    /// The run's input, if given (otherwise `{schedule, at}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<serde_json::Value>,
    /// Overlap policy.
    pub overlap: Overlap,
    /// Catch-up policy.
    pub catchup: Catchup,
    /// With [`Catchup::All`]: most missed fires started.
    pub catchup_max: u32,
}

/// A problem with a schedule's declaration, at a place.
pub type Problem = (Span, String);

fn text(e: &weft_syntax::ast::Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::String(s) => Some(s),
        ExprKind::Paren(inner) => text(inner),
        _ => None,
    }
}

/// A literal value as JSON (objects, lists, texts, numbers, booleans,
/// `null`, durations as milliseconds); `None` for anything computed.
pub fn literal_json(e: &weft_syntax::ast::Expr) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match &e.kind {
        ExprKind::Number(n) => serde_json::Number::from_f64(*n).map(J::Number)?,
        ExprKind::String(s) => J::String(s.clone()),
        ExprKind::Duration { ms, .. } => J::from(*ms),
        ExprKind::Bool(b) => J::Bool(*b),
        ExprKind::Null => J::Null,
        ExprKind::Paren(inner) => literal_json(inner)?,
        ExprKind::Array(items) => J::Array(items.iter().map(literal_json).collect::<Option<_>>()?),
        ExprKind::Object(entries) => {
            let mut m = serde_json::Map::new();
            for entry in entries {
                match entry {
                    weft_syntax::ast::ObjectEntry::Field { key, value } => {
                        m.insert(key.name.clone(), literal_json(value)?);
                    }
                    weft_syntax::ast::ObjectEntry::Spread(_) => return None,
                }
            }
            J::Object(m)
        }
        _ => return None,
    })
}

/// Reads a schedule's declaration; every problem is reported at its place.
pub fn read(decl: &TriggerDecl) -> Result<(ScheduleSpec, Span), Vec<Problem>> {
    let fields = decl.fields().map_err(|ps| {
        ps.into_iter()
            .map(|p| (p.span, p.message))
            .collect::<Vec<_>>()
    })?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut name = None;
    let mut flow = None;
    let (mut cron, mut timezone, mut every, mut at) = (None, None, None, None);
    let mut input = None;
    let mut overlap = Overlap::Skip;
    let mut catchup = Catchup::Last;
    let mut catchup_max = None;
    for (key, value) in fields {
        let bad = |what: &str| (value.span, format!("`{}` is {what}", key.name));
        match key.name.as_str() {
            "name" => match text(value) {
                Some(s) if !s.is_empty() => name = Some(s.to_string()),
                _ => problems.push(bad("the schedule's name, a text")),
            },
            "run" => match text(value) {
                Some(s) if !s.is_empty() => flow = Some((s.to_string(), value.span)),
                _ => problems.push(bad("the name of the flow to start, as a text")),
            },
            "cron" => match text(value) {
                Some(s) => cron = Some((s.to_string(), value.span)),
                None => problems.push(bad("a cron pattern, as a text (`\"0 3 * * *\"`)")),
            },
            "timezone" => match text(value) {
                Some(s) => timezone = Some((s.to_string(), value.span)),
                None => problems.push(bad("an IANA time zone, as a text (`\"Europe/Berlin\"`)")),
            },
            "every" => match &value.kind {
                ExprKind::Duration { ms, .. } if *ms >= SCHEDULE_EVERY_MIN_MS => every = Some(*ms),
                ExprKind::Duration { .. } => problems.push((
                    value.span,
                    format!("`every` is at least {SCHEDULE_EVERY_MIN_MS} ms (SCHEDULE_EVERY_MIN_MS)"),
                )),
                _ => problems.push(bad("a duration (`15m`, `1h`)")),
            },
            "at" => match text(value).map(|s| s.parse::<jiff::Timestamp>()) {
                Some(Ok(t)) => at = Some(t.as_millisecond()),
                Some(Err(e)) => problems.push((value.span, format!("`at` is a time with its offset (`\"2026-12-24T18:00:00+01:00\"`): {e}"))),
                None => problems.push(bad("a time, as RFC 3339 text")),
            },
            "input" => match literal_json(value) {
                Some(v) => input = Some(v),
                None => problems.push(bad("a literal value (the run's input)")),
            },
            "overlap" => match text(value) {
                Some("skip") => overlap = Overlap::Skip,
                Some("queue") => overlap = Overlap::Queue,
                Some("allow") => overlap = Overlap::Allow,
                _ => problems.push(bad("`\"skip\"`, `\"queue\"` or `\"allow\"`")),
            },
            "catchup" => match text(value) {
                Some("none") => catchup = Catchup::None,
                Some("last") => catchup = Catchup::Last,
                Some("all") => catchup = Catchup::All,
                _ => problems.push(bad("`\"none\"`, `\"last\"` or `\"all\"`")),
            },
            "catchupMax" => match &value.kind {
                ExprKind::Number(n) if *n >= 1.0 && *n <= SCHEDULE_CATCHUP_MAX as f64 && n.fract() == 0.0 => {
                    catchup_max = Some(*n as u32)
                }
                _ => problems.push((
                    value.span,
                    format!("`catchupMax` is a whole number from 1 to {SCHEDULE_CATCHUP_MAX} (SCHEDULE_CATCHUP_MAX)"),
                )),
            },
            other => problems.push((
                key.span,
                format!("a schedule has no field `{other}`; its fields are `name`, `run`, `cron`, `timezone`, `every`, `at`, `input`, `overlap`, `catchup` and `catchupMax`"),
            )),
        }
    }
    let when = match (cron, every, at) {
        (Some((pattern, span)), None, None) => {
            let tz = timezone
                .as_ref()
                .map_or("UTC", |(t, _)| t.as_str())
                .to_string();
            if let Err(e) = pattern.parse::<croner::Cron>() {
                problems.push((span, format!("the cron pattern does not read: {e}")));
            }
            if let Err(e) = jiff::tz::TimeZone::get(&tz) {
                let at = timezone.as_ref().map_or(span, |(_, s)| *s);
                problems.push((at, format!("no time zone `{tz}`: {e}")));
            }
            Some(When::Cron {
                pattern,
                timezone: tz,
            })
        }
        (None, Some(ms), None) => Some(When::Every { ms }),
        (None, None, Some(ms)) => Some(When::At { ms }),
        (None, None, None) => {
            problems.push((
                decl.call.span,
                "a schedule needs one of `cron`, `every` or `at`".into(),
            ));
            None
        }
        _ => {
            problems.push((
                decl.call.span,
                "a schedule has one of `cron`, `every` or `at`, not several".into(),
            ));
            None
        }
    };
    if let (Some((_, span)), Some(When::Every { .. } | When::At { .. })) = (&timezone, &when) {
        problems.push((
            *span,
            "`timezone` goes with `cron`: `every` and `at` are instants".into(),
        ));
    }
    if catchup_max.is_some() && catchup != Catchup::All {
        problems.push((
            decl.call.span,
            "`catchupMax` goes with `catchup: \"all\"`".into(),
        ));
    }
    if name.is_none() {
        problems.push((
            decl.call.span,
            "a schedule needs `name`: operators pause, resume and trigger it by name".into(),
        ));
    }
    if flow.is_none() {
        problems.push((
            decl.call.span,
            "a schedule needs `run`: the flow to start".into(),
        ));
    }
    match (name, flow, when) {
        (Some(name), Some((flow, span)), Some(when)) if problems.is_empty() => Ok((
            ScheduleSpec {
                name,
                flow,
                when,
                input,
                overlap,
                catchup,
                catchup_max: catchup_max.unwrap_or(SCHEDULE_CATCHUP_DEFAULT),
            },
            span,
        )),
        _ => Err(problems),
    }
}

impl ScheduleSpec {
    /// The first fire time strictly after `t` (epoch ms); `None` when
    /// there is none (a one-off start at or before `t`, a pattern that
    /// matches nothing more).
    pub fn next_after(&self, t: i64) -> Option<i64> {
        match &self.when {
            When::At { ms } => (*ms > t).then_some(*ms),
            When::Every { ms } => {
                let ms = (*ms).max(1) as i64;
                Some((t.div_euclid(ms) + 1) * ms)
            }
            When::Cron { pattern, timezone } => {
                let cron: croner::Cron = pattern.parse().ok()?;
                let tz = jiff::tz::TimeZone::get(timezone).ok()?;
                let now = jiff::Timestamp::from_millisecond(t).ok()?.to_zoned(tz);
                let next = cron.find_next_occurrence(&now, false).ok()?;
                Some(next.timestamp().as_millisecond())
            }
        }
    }

    /// The last fire time at or before `t`, if any.
    pub fn latest_at_or_before(&self, t: i64) -> Option<i64> {
        match &self.when {
            When::At { ms } => (*ms <= t).then_some(*ms),
            When::Every { ms } => {
                let ms = (*ms).max(1) as i64;
                Some(t.div_euclid(ms) * ms)
            }
            When::Cron { pattern, timezone } => {
                let cron: croner::Cron = pattern.parse().ok()?;
                let tz = jiff::tz::TimeZone::get(timezone).ok()?;
                let now = jiff::Timestamp::from_millisecond(t).ok()?.to_zoned(tz);
                let prev = cron.find_previous_occurrence(&now, true).ok()?;
                Some(prev.timestamp().as_millisecond())
            }
        }
    }

    /// The fire times due by `now` of a schedule whose next fire was
    /// `next`: at most `max` of them, the latest ones, oldest first; and
    /// how many more were due (missed fires left out).
    pub fn due(&self, next: i64, now: i64, max: usize) -> (Vec<i64>, u64) {
        let mut latest = Vec::new();
        let mut t = now;
        while latest.len() < max {
            match self.latest_at_or_before(t) {
                Some(f) if f >= next => {
                    latest.push(f);
                    t = f - 1;
                }
                _ => break,
            }
        }
        latest.reverse();
        // Count what was left out, up to a bound (a fast pattern over a
        // long downtime would take long to walk).
        let mut left = 0u64;
        if let Some(&first) = latest.first() {
            let mut t = next - 1;
            while let Some(f) = self.next_after(t) {
                if f >= first || left >= SCHEDULE_CATCHUP_MAX as u64 {
                    break;
                }
                left += 1;
                t = f;
            }
        }
        (latest, left)
    }

    /// The fire times in `(after, until]`, oldest first, at most `max` of
    /// them (the oldest), and whether there were more.
    pub fn fires_between(&self, after: i64, until: i64, max: usize) -> (Vec<i64>, bool) {
        let mut out = Vec::new();
        let mut t = after;
        while let Some(next) = self.next_after(t) {
            if next > until {
                return (out, false);
            }
            if out.len() == max {
                return (out, true);
            }
            out.push(next);
            t = next;
        }
        (out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(when: When) -> ScheduleSpec {
        ScheduleSpec {
            name: "s".into(),
            flow: "F".into(),
            when,
            input: None,
            overlap: Overlap::Skip,
            catchup: Catchup::Last,
            catchup_max: 10,
        }
    }

    fn ms(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn a_cron_schedule_fires_at_local_time_across_a_dst_change() {
        let s = spec(When::Cron {
            pattern: "30 2 * * *".into(),
            timezone: "Europe/Berlin".into(),
        });
        // 2026-03-29: clocks jump from 02:00 to 03:00 in Berlin, so 02:30
        // does not exist that day: the fire comes at 03:00 CEST (01:00Z).
        let before = ms("2026-03-28T12:00:00Z");
        let first = s.next_after(before).unwrap();
        assert_eq!(first, ms("2026-03-29T01:00:00Z"));
        let second = s.next_after(first).unwrap();
        // Then 02:30 CEST, UTC+2.
        assert_eq!(second, ms("2026-03-30T00:30:00Z"));
        // Autumn: 02:30 happens twice on 2026-10-25; it fires once.
        let autumn = s.next_after(ms("2026-10-24T12:00:00Z")).unwrap();
        assert_eq!(autumn, ms("2026-10-25T00:30:00Z"));
        let after = s.next_after(autumn).unwrap();
        assert_eq!(after, ms("2026-10-26T01:30:00Z"));
    }

    #[test]
    fn intervals_fall_on_multiples_and_one_offs_fire_once() {
        let s = spec(When::Every { ms: 60_000 });
        assert_eq!(s.next_after(0), Some(60_000));
        assert_eq!(s.next_after(59_999), Some(60_000));
        assert_eq!(s.next_after(60_000), Some(120_000));
        let (fires, more) = s.fires_between(0, 300_000, 3);
        assert_eq!((fires, more), (vec![60_000, 120_000, 180_000], true));
        let (due, left) = s.due(60_000, 250_000, 2);
        assert_eq!((due, left), (vec![180_000, 240_000], 2));
        let once = spec(When::At { ms: 5_000 });
        assert_eq!(once.next_after(0), Some(5_000));
        assert_eq!(once.next_after(5_000), None);
    }
}

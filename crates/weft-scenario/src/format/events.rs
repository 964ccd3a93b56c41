//! What scenario files say about events: events posted after the commands
//! and before the flow (or instead of one), as `POST /v1/events` takes
//! them, and what each must start.
//!
//! ```yaml
//! source: moderation.weft
//! events:                         # posted in order; each one's runs end before the next
//!   - id: q-17-created            # required, as in POST /v1/events
//!     type: created               # required
//!     subject: question           # optional
//!     data: {text: "Is Weft durable?"}   # optional
//!     source: outbox              # optional
//!     after: 1h                   # optional: virtual time before it is posted
//!     expect:                     # optional: what posting it did
//!       duplicate: false          # true when its id was taken before (it starts nothing)
//!       runs:                     # flow -> the runs this event started (exact: a flow
//!         AutomaticModeration:    #   not listed must start none; `runs: {}` expects none)
//!           count: 1              # optional, 1 by default
//!           status: completed     # optional: every run's final status
//!           result: {moderated: true}   # optional: every run's result (exact)
//!           error: "..."          # optional: text every run's error contains
//!       errors:                   # trigger -> text its recorded error contains (a run that
//!         Moderate: "where:"      #   could not start, a condition that failed on the event)
//! ```

use super::{duration, known_keys, ErrFn, FormatError};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use weft_engine::state::Status;
use weft_store::IncomingEvent;

/// An event a scenario posts.
#[derive(Clone, Debug, PartialEq)]
pub struct EventStep {
    /// The event, as `POST /v1/events` takes it.
    pub event: IncomingEvent,
    /// Virtual time before it is posted (ms).
    pub after_ms: i64,
    /// What posting it must do.
    pub expect: Option<EventExpect>,
}

/// What posting an event must do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventExpect {
    /// Whether its id must have been taken before.
    pub duplicate: Option<bool>,
    /// Flow -> the runs the event started (exact over flows when given).
    pub runs: Option<BTreeMap<String, RunsExpect>>,
    /// Trigger -> text its recorded error contains.
    pub errors: BTreeMap<String, String>,
}

/// The runs one event started of one flow.
#[derive(Clone, Debug, PartialEq)]
pub struct RunsExpect {
    /// How many.
    pub count: u64,
    /// Each one's final status.
    pub status: Option<Status>,
    /// Each one's result.
    pub result: Option<Json>,
    /// Text each one's error message contains.
    pub error: Option<String>,
}

fn text(
    o: &serde_json::Map<String, Json>,
    key: &str,
    at: &str,
    err: &ErrFn,
) -> Result<Option<String>, FormatError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(err(
            &format!("{at}.{key}"),
            format!("expected text, found {other}"),
        )),
    }
}

/// Reads `events:`.
pub fn parse_events(v: &Json, err: &ErrFn) -> Result<Vec<EventStep>, FormatError> {
    let items = v.as_array().ok_or_else(|| {
        err(
            "events",
            "expected a list of events (`- {id: e1, type: created, subject: question}`)".into(),
        )
    })?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("events[{i}]");
        let o = item
            .as_object()
            .ok_or_else(|| err(&at, "expected a map with `id` and `type`".into()))?;
        known_keys(
            o,
            &["id", "type", "subject", "data", "source", "after", "expect"],
            &at,
            err,
        )?;
        let required = |key: &str| -> Result<String, FormatError> {
            match text(o, key, &at, err)? {
                Some(s) if !s.is_empty() => Ok(s),
                _ => Err(err(
                    &format!("{at}.{key}"),
                    format!("`{key}` is required, as a non-empty text"),
                )),
            }
        };
        let event = IncomingEvent {
            id: required("id")?,
            kind: required("type")?,
            subject: text(o, "subject", &at, err)?,
            data: o.get("data").cloned().unwrap_or(Json::Null),
            source: text(o, "source", &at, err)?,
        };
        let after_ms = match o.get("after") {
            Some(a) => duration(a, &format!("{at}.after"), err)?,
            None => 0,
        };
        let expect = match o.get("expect") {
            None | Some(Json::Null) => None,
            Some(e) => Some(event_expect(e, &format!("{at}.expect"), err)?),
        };
        out.push(EventStep {
            event,
            after_ms,
            expect,
        });
    }
    Ok(out)
}

fn event_expect(v: &Json, at: &str, err: &ErrFn) -> Result<EventExpect, FormatError> {
    let o = v.as_object().ok_or_else(|| {
        err(
            at,
            "expected a map with `duplicate`, `runs` or `errors`".into(),
        )
    })?;
    known_keys(o, &["duplicate", "runs", "errors"], at, err)?;
    let duplicate = match o.get("duplicate") {
        None => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(err(
                &format!("{at}.duplicate"),
                format!("expected true or false, found {other}"),
            ))
        }
    };
    let runs = match o.get("runs") {
        None => None,
        Some(Json::Object(m)) => {
            let mut runs = BTreeMap::new();
            for (flow, r) in m {
                let at = format!("{at}.runs.{flow}");
                runs.insert(flow.clone(), runs_expect(r, &at, err)?);
            }
            Some(runs)
        }
        Some(other) => {
            return Err(err(
                &format!("{at}.runs"),
                format!("expected a map from flow names to what their runs must be, found {other}"),
            ))
        }
    };
    let mut errors = BTreeMap::new();
    match o.get("errors") {
        None => {}
        Some(Json::Object(m)) => {
            for (trigger, e) in m {
                let Json::String(s) = e else {
                    return Err(err(
                        &format!("{at}.errors.{trigger}"),
                        format!("expected the text the error contains, found {e}"),
                    ));
                };
                errors.insert(trigger.clone(), s.clone());
            }
        }
        Some(other) => {
            return Err(err(
                &format!("{at}.errors"),
                format!("expected a map from trigger names to text, found {other}"),
            ))
        }
    }
    Ok(EventExpect {
        duplicate,
        runs,
        errors,
    })
}

fn runs_expect(v: &Json, at: &str, err: &ErrFn) -> Result<RunsExpect, FormatError> {
    // `Flow: 2` is a count alone.
    if let Some(n) = v.as_u64() {
        return Ok(RunsExpect {
            count: n,
            status: None,
            result: None,
            error: None,
        });
    }
    let o = v.as_object().ok_or_else(|| {
        err(
            at,
            "expected a count or a map with `count`, `status`, `result` or `error`".into(),
        )
    })?;
    known_keys(o, &["count", "status", "result", "error"], at, err)?;
    let count = match o.get("count") {
        None => 1,
        Some(c) => c.as_u64().ok_or_else(|| {
            err(
                &format!("{at}.count"),
                format!("expected a whole number, found {c}"),
            )
        })?,
    };
    let status = match text(o, "status", at, err)? {
        None => None,
        Some(s) => Some(Status::parse(&s).ok_or_else(|| {
            err(
                &format!("{at}.status"),
                format!("{s:?} is not a status (completed, failed, waiting, cancelled)"),
            )
        })?),
    };
    Ok(RunsExpect {
        count,
        status,
        result: o.get("result").cloned(),
        error: text(o, "error", at, err)?,
    })
}

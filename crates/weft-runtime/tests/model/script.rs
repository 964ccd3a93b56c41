//! The activities of generated programs, scripted.
//!
//! An answer depends only on the activity, its arguments and the attempt,
//! never on the order of calls: concurrent branches may interleave
//! differently after a crash, and a re-dispatched attempt must get the same
//! answer.
//!
//! Timing is chosen so that no two outcomes race: plain answers take a
//! multiple of 250ms, so a 100ms attempt timeout either always passes
//! (instant answers) or never does; callbacks arrive a whole number of hours
//! plus 30 minutes after the start, and await timeouts are whole hours.

use serde_json::{json, Value as Json};
use weft_engine::Task;
use weft_runtime::sim::Answer;

/// Activities called without `await`.
pub const PLAIN: [&str; 5] = ["A1", "A2", "A3", "A4", "A5"];

/// Activities called under `await` (they call back).
pub const AWAITED: [&str; 2] = ["W1", "W2"];

/// How one attempt of a plain activity ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// It returns this value.
    Return(Json),
    /// It fails.
    Fail {
        /// The error.
        error: String,
        /// Whether another attempt can help.
        retryable: bool,
    },
}

/// A stable hash of an activity and its arguments (FNV-1a over the name
/// and the arguments' canonical text).
pub fn hash(activity: &str, args: &Json) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in activity
        .bytes()
        .chain([0u8])
        .chain(canonical(args).into_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// JSON text with sorted keys and numbers by value (`2.0` is `2`), so two
/// equal values have one text whatever their origin.
pub fn canonical(v: &Json) -> String {
    match v {
        Json::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", inner.join(","))
        }
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Json::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        other => other.to_string(),
    }
}

/// How attempt `attempt` (from 1) of a plain activity ends.
pub fn reply(activity: &str, args: &Json, attempt: u32) -> Reply {
    let h = hash(activity, args);
    let value = json!({"n": h % 100, "a": activity});
    let fail = |error: &str, retryable| Reply::Fail {
        error: error.to_string(),
        retryable,
    };
    match activity {
        // Fails its first 0, 1 or 2 attempts.
        "A3" if u64::from(attempt) <= h % 3 => fail("A3 is flaky", true),
        // Half of the argument lists never work.
        "A4" if h.is_multiple_of(2) => fail("A4 is down", true),
        // A third of the argument lists are refused for good.
        "A5" if h.is_multiple_of(3) => fail("A5 refused it", false),
        _ => Reply::Return(value),
    }
}

/// How long every attempt of a plain activity takes.
pub fn after_ms(activity: &str, args: &Json) -> i64 {
    ((hash(activity, args) >> 8) % 4) as i64 * 250
}

/// An awaited activity's callback: its value and when it arrives after the
/// start, or `None` when it never calls back.
pub fn callback(activity: &str, args: &Json) -> Option<(Json, i64)> {
    let h = hash(activity, args);
    if h.is_multiple_of(5) {
        return None;
    }
    let delay_ms = ((h >> 12) % 6) as i64 * 3_600_000 + 30 * 60_000;
    Some((
        json!({"n": (h >> 4) % 100, "a": activity, "cb": true}),
        delay_ms,
    ))
}

/// The simulator's answer to a task.
pub fn answer(task: &Task) -> Answer {
    if AWAITED.contains(&task.activity.as_str()) {
        let cb = callback(&task.activity, &task.args);
        return Answer::Callback {
            ack_ms: 0,
            callback_ms: cb.as_ref().map_or(0, |c| c.1),
            value: cb.map(|c| c.0),
        };
    }
    let after_ms = after_ms(&task.activity, &task.args);
    match reply(&task.activity, &task.args, task.attempt) {
        Reply::Return(value) => Answer::Return { value, after_ms },
        Reply::Fail { error, retryable } => Answer::Fail {
            error,
            retryable,
            after_ms,
        },
    }
}

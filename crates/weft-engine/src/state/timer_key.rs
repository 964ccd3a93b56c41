//! The keys of a run's timers: each says what the timer is for, and is
//! unique in the run (the store keeps one row per run and key).

/// The `@timeout` of one attempt of a call.
pub fn attempt(call: u32, attempt: u32) -> String {
    format!("attempt:{call}:{attempt}")
}

/// The back-off before a call's next attempt.
pub fn backoff(call: u32) -> String {
    format!("backoff:{call}")
}

/// The `@timeout` of an awaited call's whole wait.
pub fn await_timeout(call: u32) -> String {
    format!("await:{call}")
}

/// A fiber's `Sleep` or `WaitUntil`.
pub fn sleep(fiber: u32) -> String {
    format!("sleep:{fiber}")
}

/// The run's next turn: armed, due at once, while branches are ready
/// at the end of a turn (see `limits::TIME_SLICE`).
pub const CONTINUE: &str = "continue";

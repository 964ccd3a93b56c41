//! Activity calls: their annotations, attempts, retries with back-off,
//! per-attempt timeouts, results, and the callbacks of awaited calls.
//!
//! A call is a [`PendingCall`] from its `CallActivity` until its value is
//! known. Its phase says what it waits for: an attempt's answer
//! (`Running`), the back-off timer before the next attempt (`Backoff`), the
//! callback of an awaited call whose start was acknowledged (`Callback`),
//! or an operator (`Failed`). An answer for another attempt than the
//! current one, or in another phase, is late and changes nothing.

use weft_syntax::lang;

use crate::limits;
use crate::program::{CallSpec, Edition, FuncId, Op};
use crate::state::{
    CallPhase, Command, EntryKind, FailureKind, PendingCall, Task, Timer, TimerKind, Wait,
};
use crate::value::{error_object, error_value, timeout_value, Value};

use super::values::describe;
use super::{timer_key, FiberId, Machine, Step, Stop};

/// What a call's annotations and arguments evaluated to.
struct Policy {
    /// The arguments, as the activity receives them (a JSON list).
    args: serde_json::Value,
    /// `n` of `@retry(n)`.
    retries: u32,
    /// The first back-off delay.
    backoff_ms: u64,
    /// The longest back-off delay.
    backoff_max_ms: u64,
    /// `@timeout`.
    timeout_ms: Option<u64>,
}

impl Machine<'_> {
    /// `CallActivity`: starts a call (see [`CallSpec`] for the operands);
    /// fiber `id` waits for its value.
    pub(super) fn call_activity(&mut self, id: FiberId, spec_index: u32) -> Step {
        let spec = &self.program.calls[spec_index as usize];
        let operands = self.pop_n(id, call_arity(spec));
        let policy = match policy(spec, &operands, self.program.edition) {
            Ok(policy) => policy,
            Err(message) => return Err(self.fail_instruction(id, operands, message)),
        };
        let (func, pc) = self.here(id);
        // The pc has moved past the call; failures point at the call.
        let at = (func, pc - 1);
        let seq = self.run.next_call;
        self.run.next_call += 1;
        let now = self.env.now();
        let token = spec.awaited.then(|| self.env.token());
        let call = PendingCall {
            call_id: crate::state::call_id(&self.run.id, seq),
            activity: spec.activity.to_string(),
            args: policy.args,
            fiber: id,
            attempt: 1,
            attempt_base: 0,
            retries: policy.retries,
            backoff_ms: policy.backoff_ms,
            backoff_max_ms: policy.backoff_max_ms,
            timeout_ms: policy.timeout_ms,
            awaited: spec.awaited,
            catch: spec.catch,
            token: token.clone(),
            phase: CallPhase::Running,
            started_at: now,
            attempt_started_at: now,
            last_error: None,
            at,
        };
        if let Some(token) = &token {
            self.command(Command::RegisterToken {
                token: token.clone(),
                call: seq,
            });
            // Under `await`, `@timeout` bounds the whole wait, not an attempt.
            if let Some(timeout) = policy.timeout_ms {
                let key = timer_key::await_timeout(seq);
                let due = now.saturating_add(timeout as i64);
                self.run.timers.insert(
                    key.clone(),
                    Timer {
                        at: due,
                        kind: TimerKind::AwaitTimeout { call: seq },
                    },
                );
                self.command(Command::SetTimer { key, at: due });
            }
        }
        self.run.calls.insert(seq, call);
        self.dispatch(seq);
        self.fiber_mut(id).wait = Wait::Call(seq);
        Err(Stop::Wait)
    }

    /// The call `seq`, which the caller found in the run.
    fn pending_call(&mut self, seq: u32) -> &mut PendingCall {
        self.run
            .calls
            .get_mut(&seq)
            .expect("the caller found the call")
    }

    /// Sends out the current attempt of call `seq`, with its timeout timer.
    pub(super) fn dispatch(&mut self, seq: u32) {
        let now = self.env.now();
        let program = self.program;
        let run_id = self.run.id.clone();
        let call = self.pending_call(seq);
        call.phase = CallPhase::Running;
        call.attempt_started_at = now;
        let deadline = if call.awaited {
            None
        } else {
            call.timeout_ms.map(|t| now.saturating_add(t as i64))
        };
        let task = Task {
            call_id: call.call_id.clone(),
            run_id,
            call: seq,
            activity: call.activity.clone(),
            args: call.args.clone(),
            attempt: call.attempt,
            deadline,
            callback_token: call.token.clone(),
        };
        let entry = EntryKind::CallStarted {
            call_id: call.call_id.clone(),
            activity: call.activity.clone(),
            args: call.args.clone(),
            attempt: call.attempt,
            awaited: call.awaited,
            line: program.locate(call.at.0, call.at.1).map(|l| l.line),
        };
        let attempt = call.attempt;
        if let Some(at) = deadline {
            let key = timer_key::attempt(seq, attempt);
            self.run.timers.insert(
                key.clone(),
                Timer {
                    at,
                    kind: TimerKind::Attempt { call: seq, attempt },
                },
            );
            self.command(Command::SetTimer { key, at });
        }
        self.journal(entry);
        self.command(Command::Dispatch(task));
    }

    /// An attempt returned. For an awaited call that only acknowledges the
    /// start; the callback brings the value.
    pub(super) fn call_completed(&mut self, seq: u32, attempt: u32, value: serde_json::Value) {
        let Some(call) = self.run.calls.get_mut(&seq) else {
            return;
        };
        if call.attempt != attempt || call.phase != CallPhase::Running {
            return;
        }
        if call.awaited {
            call.phase = CallPhase::Callback;
            let entry = EntryKind::CallAcknowledged {
                call_id: call.call_id.clone(),
                activity: call.activity.clone(),
            };
            self.journal(entry);
            return;
        }
        match Value::from_json(&value) {
            Ok(value) => self.resolve_call(seq, value, "returned"),
            // The run cannot keep such a value: the attempt failed, and
            // trying it again would most likely bring the same.
            Err(e) => self.attempt_failed(seq, format!("its result: {e}"), false),
        }
    }

    /// An attempt failed.
    pub(super) fn call_failed(&mut self, seq: u32, attempt: u32, error: String, retryable: bool) {
        let Some(call) = self.run.calls.get(&seq) else {
            return;
        };
        if call.attempt != attempt || call.phase != CallPhase::Running {
            return;
        }
        self.attempt_failed(seq, error, retryable);
    }

    /// The current attempt of call `seq` failed: back off and try again
    /// while the retry budget lasts; then the call's value is its error
    /// (`@catch`), or its fiber fails for an operator.
    fn attempt_failed(&mut self, seq: u32, error: String, retryable: bool) {
        let now = self.env.now();
        let jitter = self.env.jitter();
        let attempt = self.pending_call(seq).attempt;
        let key = timer_key::attempt(seq, attempt);
        if self.run.timers.remove(&key).is_some() {
            self.command(Command::ClearTimer { key });
        }
        let call = self.pending_call(seq);
        call.last_error = Some(error.clone());
        let used = call.attempt - call.attempt_base;
        if retryable && used <= call.retries {
            // Exponential back-off with "equal jitter": half fixed, half random.
            let exponential = call.backoff_ms.saturating_mul(1u64 << (used - 1).min(32));
            let delay = exponential.min(call.backoff_max_ms);
            let delay = delay / 2 + ((delay / 2) as f64 * jitter) as u64;
            let at = now.saturating_add(delay as i64);
            call.phase = CallPhase::Backoff;
            let entry = EntryKind::CallFailed {
                call_id: call.call_id.clone(),
                activity: call.activity.clone(),
                attempt: call.attempt,
                error,
                retry_at: Some(at),
            };
            let key = timer_key::backoff(seq);
            self.run.timers.insert(
                key.clone(),
                Timer {
                    at,
                    kind: TimerKind::Backoff { call: seq },
                },
            );
            self.journal(entry);
            self.command(Command::SetTimer { key, at });
            return;
        }
        let entry = EntryKind::CallFailed {
            call_id: call.call_id.clone(),
            activity: call.activity.clone(),
            attempt: call.attempt,
            error: error.clone(),
            retry_at: None,
        };
        let attempts = call.attempt;
        let activity = call.activity.clone();
        let (fiber, at, catch) = (call.fiber, call.at, call.catch);
        self.journal(entry);
        if self.gives_pair(at) {
            let err = error_object(&error, attempts);
            let pair = Value::list(vec![Value::Null, err.clone()]);
            self.finish_call(seq, &err, pair, "caught");
            return;
        }
        if catch {
            self.resolve_call(seq, error_value(&error, attempts), "caught");
            return;
        }
        self.pending_call(seq).phase = CallPhase::Failed;
        let message = if attempts > 1 {
            format!("{activity} failed after {attempts} attempts: {error}")
        } else {
            format!("{activity} failed: {error}")
        };
        self.fail(fiber, FailureKind::Call { call: seq }, message, at);
    }

    /// The callback of an awaited call: its value is the call's value.
    pub(super) fn callback(&mut self, seq: u32, value: serde_json::Value) {
        let Some(call) = self.run.calls.get(&seq) else {
            return;
        };
        if !call.awaited || call.phase == CallPhase::Failed {
            return;
        }
        match Value::from_json(&value) {
            Ok(value) => self.resolve_call(seq, value, "callback"),
            Err(e) => self.attempt_failed(seq, format!("its callback's value: {e}"), false),
        }
    }

    /// The `@timeout` of an attempt passed: the attempt fails (and its task
    /// is withdrawn) as if it had reported the timeout itself.
    pub(super) fn attempt_timed_out(&mut self, seq: u32, attempt: u32) {
        let Some(call) = self.run.calls.get(&seq) else {
            return;
        };
        if call.attempt != attempt || call.phase != CallPhase::Running {
            return;
        }
        let message = format!(
            "attempt timed out after {}",
            crate::time::format_duration(call.timeout_ms.unwrap_or(0) as i64)
        );
        let cancel = Command::CancelTask {
            call_id: call.call_id.clone(),
            callback_token: None,
        };
        self.command(cancel);
        self.attempt_failed(seq, message, true);
    }

    /// The back-off before the next attempt ended: it goes out.
    pub(super) fn backoff_ended(&mut self, seq: u32) {
        if let Some(call) = self.run.calls.get_mut(&seq) {
            if call.phase == CallPhase::Backoff {
                call.attempt += 1;
                self.dispatch(seq);
            }
        }
    }

    /// The `@timeout` of an awaited call passed first: its value is the
    /// timeout value (unless it failed for good, and waits for an operator).
    pub(super) fn await_timed_out(&mut self, seq: u32) {
        if let Some(call) = self.run.calls.get(&seq) {
            if call.phase != CallPhase::Failed {
                self.resolve_call(seq, timeout_value(), "timeout");
            }
        }
    }

    /// True when the instruction at `at` is the call of `value, err = ...`,
    /// whose value is a pair.
    pub(super) fn gives_pair(&self, (func, pc): (FuncId, u32)) -> bool {
        match self.program.func(func).code.get(pc as usize) {
            Some(Op::CallActivity(spec)) => self.program.calls[*spec as usize].pair,
            Some(Op::CallFlowPair { .. }) => true,
            _ => false,
        }
    }

    /// Call `seq` has its value (`how` it ended goes in the journal): its
    /// timers and token go, and its fiber goes on with the value (for the
    /// call of `value, err = ...`, with `[value, null]`).
    pub(super) fn resolve_call(&mut self, seq: u32, value: Value, how: &str) {
        let pair = self
            .run
            .calls
            .get(&seq)
            .is_some_and(|c| self.gives_pair(c.at));
        let pushed = if pair {
            Value::list(vec![value.clone(), Value::Null])
        } else {
            value.clone()
        };
        self.finish_call(seq, &value, pushed, how);
    }

    /// Call `seq` ends with `value` (what the journal shows), its fiber
    /// going on with `pushed`.
    fn finish_call(&mut self, seq: u32, value: &Value, pushed: Value, how: &str) {
        let Some(call) = self.run.calls.remove(&seq) else {
            return;
        };
        self.clear_call_timers(seq, call.attempt);
        if call.awaited {
            // The token stops working, and a start still out is moot.
            self.command(Command::CancelTask {
                call_id: call.call_id.clone(),
                callback_token: call.token.clone(),
            });
        }
        let json = value.to_json().unwrap_or(serde_json::Value::Null);
        self.journal(EntryKind::CallCompleted {
            call_id: call.call_id,
            activity: call.activity,
            attempt: call.attempt,
            value: json,
            duration_ms: self.env.now() - call.started_at,
            how: how.to_string(),
        });
        self.run.failures.remove(&call.fiber);
        self.resume_with(call.fiber, pushed);
    }

    /// Forgets call `seq`: its task, timers and token stop mattering.
    pub(super) fn drop_call(&mut self, seq: u32) {
        let Some(call) = self.run.calls.remove(&seq) else {
            return;
        };
        self.clear_call_timers(seq, call.attempt);
        self.command(Command::CancelTask {
            call_id: call.call_id,
            callback_token: call.token,
        });
    }

    /// Disarms whichever of a call's timers are armed.
    fn clear_call_timers(&mut self, seq: u32, attempt: u32) {
        // Most calls arm none: skip formatting three keys to look for.
        if self.run.timers.is_empty() {
            return;
        }
        for key in [
            timer_key::attempt(seq, attempt),
            timer_key::backoff(seq),
            timer_key::await_timeout(seq),
        ] {
            if self.run.timers.remove(&key).is_some() {
                self.command(Command::ClearTimer { key });
            }
        }
    }
}

/// Values a `CallActivity` pops: arguments, then annotation arguments.
pub(super) fn call_arity(spec: &CallSpec) -> usize {
    spec.positional as usize
        + spec.named.len()
        + usize::from(spec.retry)
        + usize::from(spec.retry_backoff)
        + usize::from(spec.retry_max)
        + usize::from(spec.timeout)
}

/// Evaluates a call's arguments and annotations, in the order
/// [`CallSpec`] lays them on the stack, with the meaning they have in
/// `edition`.
fn policy(spec: &CallSpec, operands: &[Value], edition: Edition) -> Result<Policy, String> {
    let name = &spec.activity;
    let mut operands = operands.iter();
    let measure = operands.clone();
    let mut next = || {
        operands
            .next()
            .expect("call_arity counts every operand of a call")
    };
    // The arguments' JSON is measured before it is built: a value within
    // the value limits can still be far larger than a payload.
    let count = spec.positional as usize + spec.named.len();
    let mut room = 4 * limits::PAYLOAD_BYTES_MAX;
    for (i, v) in measure.take(count).enumerate() {
        let what = || match spec.named.get(i.wrapping_sub(spec.positional as usize)) {
            Some(key) if i >= spec.positional as usize => format!("argument `{key}` of {name}"),
            _ => format!("argument {} of {name}", i + 1),
        };
        match v.json_len(room).map_err(|e| format!("{}: {e}", what()))? {
            Some(n) => room -= n,
            None => {
                return Err(format!(
                    "the arguments of {name} are more than {} bytes; the payload limit is {} bytes (PAYLOAD_BYTES_MAX)",
                    4 * limits::PAYLOAD_BYTES_MAX,
                    limits::PAYLOAD_BYTES_MAX
                ))
            }
        }
    }
    let mut args = Vec::with_capacity(spec.positional as usize + 1);
    for i in 0..spec.positional {
        args.push(
            next()
                .to_json()
                .map_err(|e| format!("argument {} of {name}: {e}", i + 1))?,
        );
    }
    if !spec.named.is_empty() {
        let mut named = serde_json::Map::new();
        for key in &spec.named {
            named.insert(
                key.clone(),
                next()
                    .to_json()
                    .map_err(|e| format!("argument `{key}` of {name}: {e}"))?,
            );
        }
        args.push(serde_json::Value::Object(named));
    }
    let args = serde_json::Value::Array(args);
    let size = serde_json::to_vec(&args).map(|b| b.len()).unwrap_or(0);
    if size > limits::PAYLOAD_BYTES_MAX {
        return Err(format!(
            "the arguments of {name} are {size} bytes; the payload limit is {} bytes (PAYLOAD_BYTES_MAX)",
            limits::PAYLOAD_BYTES_MAX
        ));
    }
    let mut retries = 0;
    let mut backoff_ms = limits::RETRY_BACKOFF_MS_DEFAULT;
    let mut backoff_max_ms = limits::RETRY_BACKOFF_MS_MAX_DEFAULT;
    if spec.retry {
        retries = match next() {
            Value::Int(i) if (0..=i64::from(limits::RETRIES_MAX)).contains(i) => *i as u32,
            Value::Float(f)
                if f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(limits::RETRIES_MAX) =>
            {
                *f as u32
            }
            other => {
                return Err(format!(
                    "@retry on {name} needs a whole number of retries from 0 to {}, not {}",
                    limits::RETRIES_MAX,
                    describe(other)
                ))
            }
        };
        if spec.retry_backoff {
            backoff_ms = duration_arg(next(), "backoff", name)?;
        }
        if spec.retry_max {
            backoff_max_ms = duration_arg(next(), "maxBackoff", name)?;
        }
    }
    let timeout_ms = if spec.timeout {
        let value = next();
        if edition >= Edition::E2 && means_no_timeout(value) {
            None
        } else {
            let d = duration_arg(value, "@timeout", name)?;
            if d == 0 {
                return Err(format!("@timeout on {name} must be longer than zero"));
            }
            Some(d)
        }
    } else {
        None
    };
    Ok(Policy {
        args,
        retries,
        backoff_ms,
        backoff_max_ms: backoff_max_ms.max(backoff_ms),
        timeout_ms,
    })
}

/// True for the values of `@timeout` that mean "no timeout" (edition 2):
/// `null`, and the text [`lang::NO_TIMEOUT_TEXT`]. Data decides how long a
/// wait may last (`@timeout(stage.duration)`), and some stages have no end.
fn means_no_timeout(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Str(s) => s.as_ref() == lang::NO_TIMEOUT_TEXT,
        _ => false,
    }
}

/// An annotation's duration: a duration, or text that reads as one.
fn duration_arg(v: &Value, what: &str, activity: &str) -> Result<u64, String> {
    match v {
        Value::Duration(d) if *d >= 0 => Ok(*d as u64),
        Value::Str(s) => match crate::time::parse_duration(s) {
            Some(d) if d >= 0 => Ok(d as u64),
            _ => Err(format!(
                "{what} on {activity} needs a duration such as \"2hours\" or \"30m\"; {:?} is not one",
                s.as_str()
            )),
        },
        n @ (Value::Int(_) | Value::Float(_)) => {
            let n = n.to_text();
            Err(format!(
                "{what} on {activity} needs a duration such as 2hours; {n} is a number (send \"{n}days\" with its unit)"
            ))
        }
        other => Err(format!(
            "{what} on {activity} needs a duration such as 2hours, not {}",
            describe(other)
        )),
    }
}

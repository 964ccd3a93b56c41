//! What an HTTP endpoint's answer to an attempt means, for push activities
//! (`push.rs`) and `@http` bindings (`bindings.rs`) alike. A leaf, so that
//! those two and `dispatch.rs`, which routes calls to them, import it and
//! not each other.

use std::time::Duration;

use weft_engine::state::Task;
use weft_runtime::ResultSink;

/// Shortest time a push attempt is given, even when its deadline is closer
/// (the engine's own attempt timer still bounds the attempt).
pub const PUSH_TIMEOUT_MIN: Duration = Duration::from_millis(100);

/// Bytes of an endpoint's error answer quoted in the failure message.
pub const ERROR_BODY_QUOTED_MAX: usize = 300;

/// How long one attempt may take: `timeout`, or less when the call's
/// deadline is nearer (but never under [`PUSH_TIMEOUT_MIN`]).
pub fn attempt_timeout(timeout: Duration, task: &Task) -> Duration {
    match task.deadline {
        Some(deadline) => {
            let left = (deadline - weft_runtime::runtime::now_ms()).max(0) as u64;
            timeout
                .min(Duration::from_millis(left))
                .max(PUSH_TIMEOUT_MIN)
        }
        None => timeout,
    }
}

/// Reports an endpoint's answer to an attempt (push and HTTP bindings
/// alike): 2xx is the result, 4xx a failure retrying cannot fix (except
/// 408 and 429), 5xx, a timeout or no answer a failure worth retrying.
/// Returns the outcome, for the endpoint's health
/// ([`crate::workers::Workers::answered`]).
pub(crate) async fn answer(
    sink: &ResultSink,
    task: &Task,
    target: &str,
    timeout: Duration,
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<(), String> {
    let outcome = match sent {
        Ok(resp) => {
            let status = resp.status();
            let body = resp.bytes().await.unwrap_or_default();
            if status.is_success() {
                match parse_result(&body) {
                    Ok(v) => {
                        sink.complete(task, v);
                        return Ok(());
                    }
                    Err(e) => (
                        format!("{target} answered {status} with a body that is not JSON: {e}"),
                        true,
                    ),
                }
            } else {
                let quoted =
                    String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_QUOTED_MAX)])
                        .into_owned();
                let retryable =
                    !status.is_client_error() || status.as_u16() == 408 || status.as_u16() == 429;
                (
                    format!("{target} answered {status}: {}", quoted.trim()),
                    retryable,
                )
            }
        }
        Err(e) => {
            let why = if e.is_timeout() {
                format!("{target} did not answer within {timeout:?}")
            } else {
                format!("{target} could not be reached: {e}")
            };
            (why, true)
        }
    };
    let (why, retryable) = outcome;
    sink.fail(task, why.clone(), retryable);
    Err(why)
}

/// An empty body is `null`; anything else must be JSON.
fn parse_result(body: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_slice(body)
}

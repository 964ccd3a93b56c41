//! Who an operator's action is recorded as, and recording it.
//!
//! The API has one bearer token for everyone who may call it, so the token
//! says nothing of who acts. A request names its operator in the
//! `X-Weft-Actor` header (the web UI sends the name its user gives; a
//! script should send its own); without one the action is recorded as
//! `api`. The name is what the caller says, recorded as said: it is an
//! account of the action, not an authentication.

use axum::http::HeaderMap;
use serde_json::Value;
use weft_store::NewAudit;

use crate::error::ApiError;
use crate::state::{blocking, AppState};

/// The header naming the operator.
pub const ACTOR_HEADER: &str = "x-weft-actor";

/// Longest operator name, in characters.
pub const ACTOR_CHARS_MAX: usize = 100;

/// Who acts, from the request's headers.
pub fn actor(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(v) = headers.get(ACTOR_HEADER) else {
        return Ok("api".into());
    };
    let name = v
        .to_str()
        .map_err(|_| ApiError::bad_request("`X-Weft-Actor` must be plain text (ASCII)"))?
        .trim();
    if name.is_empty()
        || name.chars().count() > ACTOR_CHARS_MAX
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::bad_request(format!(
            "`X-Weft-Actor` names the operator in 1 to {ACTOR_CHARS_MAX} characters \
             (ACTOR_CHARS_MAX), without control characters"
        )));
    }
    Ok(name.to_string())
}

/// Records an action on one run that succeeded (retry, resolve, cancel,
/// fork). A failure to record is logged, not answered: the action is done
/// and durable, and the caller must learn that.
pub async fn record_one(s: &AppState, actor: String, action: &str, detail: Value, run: String) {
    record(s, actor, action, detail, 1, vec![run], vec![]).await
}

/// Records an action that is done: it was meant for `matched` runs (or
/// starts), applied to `runs` (a schedule's pause touches none; a re-drive
/// lists the runs it started) and could not apply to `failures` (what, and
/// why). Logged, not answered, on failure, as [`record_one`].
pub async fn record(
    s: &AppState,
    actor: String,
    action: &str,
    detail: Value,
    matched: u64,
    runs: Vec<String>,
    failures: Vec<(String, String)>,
) {
    let store = s.runtime.store().clone();
    let entry = NewAudit {
        at: weft_runtime::runtime::now_ms(),
        actor,
        action: action.to_string(),
        detail,
        matched,
    };
    let done = entry.at;
    let result = blocking(move || {
        let id = store.audit_begin(&entry)?;
        store.audit_progress(id, &runs, &failures, Some(done))
    })
    .await;
    if let Err(e) = result {
        tracing::warn!(action, error = %e.message, "recording an operator's {action} in the audit log failed: {}", e.message);
    }
}

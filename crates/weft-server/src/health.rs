//! Health endpoints for load balancers and orchestrators.
//!
//! * `GET /healthz` (liveness): 200 while the process serves HTTP. Restart
//!   the process when it fails.
//! * `GET /readyz` (readiness): 200 when the node can take work: its core
//!   thread went round its loop lately ([`READY_HEARTBEAT_MAX`]), the last
//!   commit did not fail and no batch has been committing for longer than
//!   [`READY_COMMIT_MAX`], the store answers a read within
//!   [`READY_STORE_TIMEOUT`], and the server is not shutting down. Else
//!   503 with the check that failed. Send traffic elsewhere while it fails.
//!
//! Both need no token and read nothing a client sent.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::error::Code;
use crate::limits::{READY_COMMIT_MAX, READY_HEARTBEAT_MAX, READY_STORE_TIMEOUT};
use crate::state::AppState;

/// `GET /healthz`.
pub async fn healthz() -> Response {
    axum::Json(json!({"status": "ok"})).into_response()
}

fn age_ms(now: i64, at: i64) -> Option<i64> {
    (at > 0).then(|| (now - at).max(0))
}

/// `GET /readyz`.
pub async fn readyz(State(s): State<AppState>) -> Response {
    let now = weft_runtime::runtime::now_ms();
    let m = s.runtime.metrics();
    let mut problems: Vec<String> = Vec::new();
    if *s.stopping.borrow() {
        problems.push("the server is shutting down".into());
    }
    let heartbeat = age_ms(now, m.core_heartbeat_ms.load(Ordering::Relaxed));
    match heartbeat {
        Some(age) if age <= READY_HEARTBEAT_MAX.as_millis() as i64 => {}
        Some(age) => problems.push(format!(
            "the core thread has not gone round its loop for {age} ms (READY_HEARTBEAT_MAX is {} ms): a step is taking long",
            READY_HEARTBEAT_MAX.as_millis()
        )),
        None => problems.push("the core thread has not started".into()),
    }
    let committing = age_ms(now, m.commit_in_flight_since_ms.load(Ordering::Relaxed));
    if let Some(age) = committing.filter(|a| *a > READY_COMMIT_MAX.as_millis() as i64) {
        problems.push(format!(
            "a batch has been committing for {age} ms (READY_COMMIT_MAX is {} ms): the disk or database is slow",
            READY_COMMIT_MAX.as_millis()
        ));
    }
    let failing = m.failing();
    if let Some((at, why)) = &failing {
        problems.push(format!(
            "the last commit failed {} ms ago: {why}",
            (now - at).max(0)
        ));
    }
    let store = s.runtime.store().clone();
    let read = tokio::time::timeout(
        READY_STORE_TIMEOUT,
        tokio::task::spawn_blocking(move || store.next_timer()),
    )
    .await;
    let store_ok = match read {
        Ok(Ok(Ok(_))) => true,
        Ok(Ok(Err(e))) => {
            problems.push(format!("the store cannot be read: {e}"));
            false
        }
        Ok(Err(e)) => {
            problems.push(format!("the store read failed: {e}"));
            false
        }
        Err(_) => {
            problems.push(format!(
                "the store did not answer a read within {} ms (READY_STORE_TIMEOUT)",
                READY_STORE_TIMEOUT.as_millis()
            ));
            false
        }
    };
    let last_commit = age_ms(now, m.last_commit_ms.load(Ordering::Relaxed));
    let checks = json!({
        "coreHeartbeatAgeMs": heartbeat,
        "lastCommitAgeMs": last_commit,
        "commitInFlightMs": committing,
        "lastCommitError": failing.as_ref().map(|(_, why)| why.clone()),
        "storeReachable": store_ok,
        "connections": s.connections.open(),
    });
    if problems.is_empty() {
        return axum::Json(json!({"status": "ready", "checks": checks})).into_response();
    }
    let body: Value = json!({
        "status": "unready",
        "checks": checks,
        "error": {"code": Code::NotReady.as_str(), "message": problems.join("; ")},
    });
    (
        Code::NotReady.status(),
        [(axum::http::header::RETRY_AFTER, "1")],
        axum::Json(body),
    )
        .into_response()
}

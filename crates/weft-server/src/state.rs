//! What the HTTP handlers share, and the helpers every handler module uses.
//! A leaf: it imports no handler module, so `api`, `ui` and `metrics`
//! depend on it and `router` composes them without a circle.

use std::sync::Arc;

use crate::error::{ApiError, Code};

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The engine.
    pub runtime: weft_runtime::Runtime,
    /// The pull queue.
    pub queue: crate::tasks::Tasks,
    /// The bearer token `/v1` calls need, if any.
    pub token: Option<Arc<str>>,
    /// Becomes true when the server starts stopping.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// The `@http` and `@grpc` bindings of the deployed programs, updated at deploy.
    pub bindings: Arc<crate::bindings::Bindings>,
    /// The open connections (`conn.rs`).
    pub connections: Arc<crate::conn::Connections>,
    /// Who polls for which activity, and how endpoints answer.
    pub workers: Arc<crate::workers::Workers>,
    /// The deployment plan and the limiters of the calls the server makes.
    pub placements: Arc<crate::placement::Placements>,
    /// The open task streams (`POST /v1/tasks/stream`) and their credit.
    pub streams: Arc<crate::credit::Streams>,
    /// What this node's pull and stream sources did last.
    pub sources: weft_sources::Statuses,
    /// What workers reported, for `/metrics`.
    pub reported: Arc<crate::reported::Counts>,
    /// The largest request body, in bytes (`body_limit_bytes`); also the
    /// longest report line a task stream reads.
    pub body_limit: usize,
}

/// Resolves once the server is stopping. Long polls and `wait`s end then,
/// as if their time had passed: a graceful shutdown waits for requests in
/// flight, and must not wait for those.
pub(crate) async fn stopping(mut rx: tokio::sync::watch::Receiver<bool>) {
    if rx.wait_for(|stop| *stop).await.is_err() {
        // The server is gone without a shutdown: nothing will stop us.
        std::future::pending::<()>().await;
    }
}

/// Runs a store read off the async threads (SQLite calls block).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> weft_store::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(Code::Internal, format!("a store read failed: {e}")))?
        .map_err(|e| ApiError::from(weft_runtime::HostError::Store(e)))
}

//! The configured pull and stream sources (`weft_sources`) in a server:
//! their cursors in the store, their events into the engine's one entry
//! point, and `GET /v1/sources`.
//!
//! In a cluster every node runs every source. The stream engines share a
//! consumer's messages out among the nodes (JetStream's durable consumer,
//! Redis's consumer group), and claim a dead node's unacknowledged ones
//! for the others; the pull sources' cursors advance by compare-and-set,
//! so a slower node never moves one back. What two nodes both deliver (a
//! page both polled, a message redelivered) has one event id, taken once.
//! A lease would save the duplicate polls, but would add a second way for
//! a source to stall (a lease held by a node that cannot reach the
//! source); the ids already make every replay harmless.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use weft_sources::{BoxFuture, Cursors, IncomingEvent, IngestOutcome, Sink, SinkError};
use weft_store::Store;

use crate::error::ApiError;
use crate::state::AppState;

/// Cursors kept in the server's store (`source_cursors`).
pub struct StoreCursors(pub Arc<dyn Store>);

impl Cursors for StoreCursors {
    fn get(&self, source: &str) -> Result<Option<String>, String> {
        self.0.source_cursor(source).map_err(|e| e.to_string())
    }

    fn advance(&self, source: &str, from: Option<&str>, to: &str) -> Result<bool, String> {
        self.0
            .advance_source_cursor(source, from, to, weft_runtime::runtime::now_ms())
            .map_err(|e| e.to_string())
    }
}

/// Starts the configured sources (none: nothing runs).
pub fn start(
    config: &crate::Config,
    runtime: &weft_runtime::Runtime,
) -> Option<weft_sources::Running> {
    if config.sources.is_empty() {
        return None;
    }
    Some(weft_sources::spawn(
        config.sources.clone(),
        weft_sources::Context {
            node: config.node.clone(),
        },
        Arc::new(EngineSink {
            runtime: runtime.clone(),
        }),
        Arc::new(StoreCursors(runtime.store().clone())),
    ))
}

/// `GET /v1/sources`: each configured source as this node sees it: its
/// last poll, its error, its lag, what it delivered.
pub(crate) async fn list_sources(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let time = |ms: Option<i64>| ms.map(weft_engine::time::format_time);
    let sources: Vec<Value> = s
        .sources
        .list()
        .into_iter()
        .map(|st| {
            json!({
                "name": st.name,
                "kind": st.kind,
                "lastPoll": time(st.last_poll_ms),
                "lastEvent": time(st.last_event_ms),
                "error": st.error.map(|e| json!({"at": time(st.error_ms), "message": e})),
                "lag": st.lag,
                "accepted": st.accepted,
                "duplicates": st.duplicates,
                "cursor": st.cursor,
            })
        })
        .collect();
    Ok(Json(json!({ "sources": sources })))
}

/// The engine's one entry point for events (`Runtime::ingest`): each id
/// taken once, durable when it answers.
struct EngineSink {
    runtime: weft_runtime::Runtime,
}

impl Sink for EngineSink {
    fn ingest(
        &self,
        events: Vec<IncomingEvent>,
    ) -> BoxFuture<'_, Result<IngestOutcome, SinkError>> {
        Box::pin(async move {
            self.runtime.ingest(events).await.map_err(|e| match e {
                weft_runtime::HostError::InvalidEvent(m) => SinkError::Rejected(m),
                other => SinkError::Unavailable(other.to_string()),
            })
        })
    }
}

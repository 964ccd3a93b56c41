//! Pull and stream sources: where events come from when nobody posts them.
//!
//! A source turns items of another system into [`IncomingEvent`]s and hands
//! them to a [`Sink`] (in `weft serve`, the one entry point that makes
//! events durable, exactly once per event id). Every source follows one
//! rule: **what it read is acknowledged only after the sink returned**.
//!
//! - [`http`]: polls an HTTP endpoint for the events after a cursor.
//! - [`postgres`]: polls a PostgreSQL query with a cursor column.
//! - [`nats`]: a durable pull consumer of a NATS JetStream stream.
//! - [`redis`]: a consumer group of a Redis stream.
//!
//! A crash between "the sink made the events durable" and "the source
//! acknowledged them" delivers the same items again; their event ids are
//! the same (`SOURCE:ITEM-ID`), so the sink counts them as duplicates and
//! starts nothing new. Cursors of the pull sources are kept in a
//! [`Cursors`] store and advanced with compare-and-set, so several nodes
//! polling one source never move a cursor back (`docs/triggers.md`).

use std::future::Future;
use std::pin::Pin;

pub use weft_store::{IncomingEvent, IngestOutcome};

pub mod config;
pub mod cursor;
pub mod http;
pub mod limits;
pub mod nats;
pub mod postgres;
pub mod redis;
pub mod run;
pub mod shared;
pub mod status;

pub use config::{Kind, SourceConfig};
pub use cursor::{Cursors, MemoryCursors};
pub use run::{spawn, Running};
pub use status::{SourceStatus, Statuses};

/// A future that may be sent between threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a source hands its events.
pub trait Sink: Send + Sync + 'static {
    /// Makes the events durable (each id once) and answers what it took.
    /// An error means nothing may be assumed durable: the source keeps
    /// the items unacknowledged and offers them again later.
    fn ingest(&self, events: Vec<IncomingEvent>)
        -> BoxFuture<'_, Result<IngestOutcome, SinkError>>;
}

/// Why the sink did not take a batch.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The engine is away or its store failed: the source backs off and
    /// offers the batch again.
    #[error("{0}")]
    Unavailable(String),
    /// The engine refuses the events as they are (an event over a limit):
    /// offering them again cannot help. The source offers a refused batch
    /// one event at a time, and acknowledges an event refused alone
    /// without delivering it (reported in its status and log).
    #[error("{0}")]
    Rejected(String),
}

/// Why a source stopped reading (it is restarted after a back-off).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The other system could not be reached or refused a request.
    #[error("{0}")]
    Connect(String),
    /// The other system answered something this source cannot read.
    #[error("{0}")]
    Read(String),
    /// The cursor store failed.
    #[error("cursor store: {0}")]
    Cursor(String),
    /// The configuration cannot work (checked again at start).
    #[error("{0}")]
    Config(String),
}

/// What a source needs to know about the node it runs on.
#[derive(Clone, Debug)]
pub struct Context {
    /// This node's name: the consumer name in a Redis group.
    pub node: String,
}

/// The event id of an item: the source's name, a colon, the item's own id,
/// so two sources' items never share an id.
pub fn event_id(source: &str, item: &str) -> String {
    format!("{source}:{item}")
}

/// Builds an item's event: the item's own type and subject, else the
/// source's, else (for the subject) `fallback_subject`.
pub fn make_event(
    config: &SourceConfig,
    item_id: &str,
    kind: Option<String>,
    subject: Option<String>,
    fallback_subject: Option<&str>,
    data: serde_json::Value,
) -> Result<IncomingEvent, Error> {
    let kind = kind.or_else(|| config.event_type.clone()).ok_or_else(|| {
        Error::Read(format!(
            "item {item_id:?} has no type, and sources.{}.type is not set",
            config.name
        ))
    })?;
    Ok(IncomingEvent {
        id: event_id(&config.name, item_id),
        kind,
        subject: subject
            .or_else(|| config.subject.clone())
            .or_else(|| fallback_subject.map(str::to_string)),
        data,
        source: Some(config.name.clone()),
    })
}

/// A message body as event data: its JSON, or its text when it is not
/// JSON; `None` when it is neither (not UTF-8).
pub fn body_data(bytes: &[u8]) -> Option<serde_json::Value> {
    if let Ok(v) = serde_json::from_slice(bytes) {
        return Some(v);
    }
    std::str::from_utf8(bytes)
        .ok()
        .map(|t| serde_json::Value::String(t.to_string()))
}

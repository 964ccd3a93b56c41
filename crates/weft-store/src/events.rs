//! Events offered to the engine: the one shape `POST /v1/events` and every
//! pull or stream source hand over, and what taking them answers.
//!
//! An event id is taken once. Whatever delivers events (a client retrying a
//! request, a stream redelivering after a crash) may offer the same id again;
//! the store counts it as a duplicate and starts nothing new.

use serde::{Deserialize, Serialize};

/// An event offered to the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncomingEvent {
    /// Unique per event, chosen by the sender (a message id, an outbox key).
    pub id: String,
    /// What happened (`created`, `updated`, a domain name).
    #[serde(rename = "type")]
    pub kind: String,
    /// What it happened to (a machine's name, a table, a topic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The event's body.
    #[serde(default)]
    pub data: serde_json::Value,
    /// Where it came from (a source's name), when not from the HTTP API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What taking a list of events did, once they are durable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOutcome {
    /// Events whose id was new: stored, and their triggers' runs started.
    pub accepted: usize,
    /// Events whose id was taken before: nothing new started.
    pub duplicates: usize,
}

/// A run a trigger started for an event, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerStart {
    /// The trigger's name.
    pub trigger: String,
    /// The flow it runs.
    pub flow: String,
    /// The run it started (or found, by its idempotency key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Why no run started (the flow refused the event as its input, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An event to store with a batch: taken once, in the transaction of the
/// runs its triggers start (see [`crate::RunWrite::events`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventWrite {
    /// The event.
    pub event: IncomingEvent,
    /// When it was taken (epoch ms).
    pub received_at: i64,
    /// What its matching triggers did.
    pub starts: Vec<TriggerStart>,
}

/// What a stored event's triggers did, written again: an operator's
/// re-drive retried the starts that had failed (see
/// [`crate::RunWrite::event_starts`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventStartsWrite {
    /// The event's id; the event must be stored (or taken in the same
    /// batch), else the batch is refused as a conflict.
    pub id: String,
    /// Its starts as they are now, replacing the stored ones.
    pub starts: Vec<TriggerStart>,
}

/// An event as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Its position in commit order, from 1.
    pub seq: i64,
    /// The event.
    pub event: IncomingEvent,
    /// When it was taken (epoch ms).
    pub received_at: i64,
    /// What its matching triggers did.
    pub starts: Vec<TriggerStart>,
}

/// The idempotency key of the run `trigger` starts for the event `event_id`:
/// one run per event and trigger, however often the event is offered.
pub fn trigger_run_key(trigger: &str, event_id: &str) -> String {
    format!("event:{trigger}:{event_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_as_the_api_writes_it() {
        let e: IncomingEvent = serde_json::from_str(
            r#"{"id": "e1", "type": "created", "subject": "question", "data": {"x": 1}}"#,
        )
        .unwrap();
        assert_eq!(e.kind, "created");
        assert_eq!(e.subject.as_deref(), Some("question"));
        assert_eq!(e.source, None);
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["type"], "created");
        assert!(back.get("source").is_none());
    }
}

//! The Redis Streams source: a consumer group, each node reading as its
//! own consumer (the node's name).
//!
//! An entry's event id is `SOURCE:ENTRY-ID`, its type the entry's `type`
//! field, else the source's `type`; its subject the `subject` field, else
//! the source's, else the stream's key; its data the `data` field's JSON
//! (or text), else the other fields as an object of texts. Entries are
//! acknowledged (`XACK`) after the sink made their events durable. A node
//! that restarts first reads its own pending entries again (those it read
//! and had not acknowledged when it stopped), and every node claims
//! entries another consumer left pending for [`limits::REDIS_CLAIM_IDLE`]
//! (that consumer died), so nothing read is left behind.

use std::time::{Duration, Instant};

use redis::streams::{
    StreamAutoClaimOptions, StreamAutoClaimReply, StreamId, StreamInfoGroupsReply,
    StreamReadOptions, StreamReadReply,
};
use redis::AsyncCommands;

use crate::config::{Kind, SourceConfig};
use crate::shared::Shared;
use crate::{body_data, limits, make_event, Error, IncomingEvent};

/// How often a node looks for entries dead consumers left pending.
pub const CLAIM_EVERY: Duration = Duration::from_secs(1);

fn connect_error(e: redis::RedisError) -> Error {
    Error::Connect(format!("Redis: {e}"))
}

/// Consumes until the server stops; an error ends the loop (the
/// supervisor starts it again after a back-off).
pub async fn run(config: &SourceConfig, shared: &Shared) -> Result<(), Error> {
    let Kind::Redis {
        url,
        stream,
        group,
        start,
        claim_idle,
    } = &config.kind
    else {
        return Err(Error::Config("not a redis source".into()));
    };
    let name = &config.name;
    let client = redis::Client::open(url.as_str())
        .map_err(|e| Error::Config(format!("sources.{name}.url: {e}")))?;
    let options = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(limits::HTTP_TIMEOUT))
        .set_response_timeout(Some(limits::STREAM_WAIT + limits::HTTP_TIMEOUT));
    let mut con = client
        .get_multiplexed_async_connection_with_config(&options)
        .await
        .map_err(connect_error)?;
    let group = group.clone().unwrap_or_else(|| format!("weft-{name}"));
    let consumer = shared.context.node.clone();
    let created: Result<(), redis::RedisError> = con
        .xgroup_create_mkstream(stream, &group, start.as_deref().unwrap_or("0"))
        .await;
    match created {
        Ok(()) => {}
        Err(e) if e.code() == Some("BUSYGROUP") => {}
        Err(e) => return Err(connect_error(e)),
    }
    let batch = config.batch();
    let claim_idle_ms = claim_idle
        .as_deref()
        .and_then(crate::config::parse_interval)
        .unwrap_or(limits::REDIS_CLAIM_IDLE)
        .as_millis() as usize;
    let wait_ms = limits::STREAM_WAIT.as_millis() as usize;
    // This consumer's own pending entries come first: what it read before
    // a crash and never acknowledged.
    let mut own_pending = true;
    let mut last_claim = Instant::now() - CLAIM_EVERY;
    while !shared.stopping() {
        let entries: Vec<StreamId> = if own_pending {
            let reply: StreamReadReply = con
                .xread_options(
                    &[stream],
                    &["0"],
                    &StreamReadOptions::default()
                        .group(&group, &consumer)
                        .count(batch),
                )
                .await
                .map_err(connect_error)?;
            let ids = entries_of(reply);
            if ids.is_empty() {
                own_pending = false;
                continue;
            }
            ids
        } else {
            let mut claimed = Vec::new();
            if last_claim.elapsed() >= CLAIM_EVERY {
                last_claim = Instant::now();
                let reply: StreamAutoClaimReply = con
                    .xautoclaim_options(
                        stream,
                        &group,
                        &consumer,
                        claim_idle_ms,
                        "0-0",
                        StreamAutoClaimOptions::default().count(batch),
                    )
                    .await
                    .map_err(connect_error)?;
                claimed = reply.claimed;
            }
            if claimed.is_empty() {
                let reply: Option<StreamReadReply> = con
                    .xread_options(
                        &[stream],
                        &[">"],
                        &StreamReadOptions::default()
                            .group(&group, &consumer)
                            .count(batch)
                            .block(wait_ms),
                    )
                    .await
                    .map_err(connect_error)?;
                reply.map(entries_of).unwrap_or_default()
            } else {
                claimed
            }
        };
        if entries.is_empty() {
            let info: Result<StreamInfoGroupsReply, _> = con.xinfo_groups(stream).await;
            let lag = info.ok().and_then(|i| {
                i.groups
                    .into_iter()
                    .find(|g| g.name == group)
                    .and_then(|g| g.lag)
                    .map(|l| l as u64)
            });
            shared.statuses.polled(name, lag);
            continue;
        }
        let mut ids = Vec::with_capacity(entries.len());
        let mut events: Vec<IncomingEvent> = Vec::with_capacity(entries.len());
        for entry in entries {
            ids.push(entry.id.clone());
            // A pending entry deleted from the stream comes back without
            // fields: nothing to deliver, only to acknowledge.
            if entry.map.is_empty() {
                continue;
            }
            match entry_event(config, stream, entry) {
                Ok(event) => events.push(event),
                // Data no event can carry would fail every retry: it is
                // acknowledged without an event, and reported.
                Err(Undeliverable::Data(e)) => {
                    shared
                        .statuses
                        .failed(name, &format!("{e}; acknowledged without an event"));
                }
                Err(Undeliverable::Source(e)) => return Err(e),
            }
        }
        shared.statuses.polled(name, None);
        if shared.deliver(name, events).await.is_none() {
            return Ok(());
        }
        let _: usize = con
            .xack(stream, &group, &ids)
            .await
            .map_err(connect_error)?;
    }
    Ok(())
}

fn entries_of(reply: StreamReadReply) -> Vec<StreamId> {
    reply.keys.into_iter().flat_map(|k| k.ids).collect()
}

fn field_text(v: &redis::Value) -> Option<String> {
    match v {
        redis::Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        redis::Value::SimpleString(s) => Some(s.clone()),
        redis::Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

enum Undeliverable {
    /// The entry itself cannot be read (skipped).
    Data(String),
    /// The source's settings do not fit it (the source stops until fixed).
    Source(Error),
}

fn entry_event(
    config: &SourceConfig,
    stream: &str,
    entry: StreamId,
) -> Result<IncomingEvent, Undeliverable> {
    let mut kind = None;
    let mut subject = None;
    let mut data = None;
    let mut rest = serde_json::Map::new();
    for (field, value) in &entry.map {
        match field.as_str() {
            "type" => kind = field_text(value),
            "subject" => subject = field_text(value),
            "data" => {
                let bytes = match value {
                    redis::Value::BulkString(b) => b.clone(),
                    other => field_text(other).unwrap_or_default().into_bytes(),
                };
                data = Some(body_data(&bytes).ok_or_else(|| {
                    Undeliverable::Data(format!(
                        "entry {}: its data is neither JSON nor UTF-8 text",
                        entry.id
                    ))
                })?);
            }
            other => {
                rest.insert(
                    other.to_string(),
                    field_text(value)
                        .map(serde_json::Value::String)
                        .unwrap_or(serde_json::Value::Null),
                );
            }
        }
    }
    let data = data.unwrap_or(serde_json::Value::Object(rest));
    make_event(config, &entry.id, kind, subject, Some(stream), data).map_err(Undeliverable::Source)
}

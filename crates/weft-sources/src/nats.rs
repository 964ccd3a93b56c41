//! The NATS JetStream source: a durable pull consumer on an existing
//! stream, with explicit acknowledgements.
//!
//! A message's event id is `SOURCE:STREAM-SEQUENCE` (the same on every
//! redelivery), its data the payload's JSON (or its text), its type the
//! `Weft-Type` header, else the source's `type`, else the NATS subject,
//! and its subject the source's `subject`, else the NATS subject.
//! Messages are acknowledged after the sink made their events durable;
//! a node that dies before that leaves them unacknowledged, and JetStream
//! delivers them again after [`limits::NATS_ACK_WAIT`] (to any node
//! bound to the same durable consumer, which shares its messages out).

use async_nats::jetstream::{self, consumer::pull, AckKind};
use futures_util::StreamExt;

use crate::config::{Kind, SourceConfig};
use crate::shared::Shared;
use crate::{body_data, limits, make_event, Error, IncomingEvent};

/// The header that names a message's event type.
pub const TYPE_HEADER: &str = "Weft-Type";

/// Consumes until the server stops; an error ends the loop (the
/// supervisor starts it again after a back-off).
pub async fn run(config: &SourceConfig, shared: &Shared) -> Result<(), Error> {
    let Kind::Nats {
        url,
        stream,
        consumer,
        filter,
        ack_wait,
    } = &config.kind
    else {
        return Err(Error::Config("not a nats source".into()));
    };
    let name = &config.name;
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(limits::HTTP_TIMEOUT)
        .connect(url.as_str())
        .await
        .map_err(|e| Error::Connect(format!("NATS {url}: {e}")))?;
    let js = jetstream::new(client.clone());
    let s = js
        .get_stream(stream)
        .await
        .map_err(|e| Error::Connect(format!("JetStream stream {stream:?}: {e}")))?;
    let durable = consumer.clone().unwrap_or_else(|| format!("weft-{name}"));
    let c: jetstream::consumer::PullConsumer = s
        .get_or_create_consumer(
            &durable,
            pull::Config {
                durable_name: Some(durable.clone()),
                filter_subject: filter.clone().unwrap_or_default(),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: ack_wait
                    .as_deref()
                    .and_then(crate::config::parse_interval)
                    .unwrap_or(limits::NATS_ACK_WAIT),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| Error::Connect(format!("JetStream consumer {durable:?}: {e}")))?;
    let batch = config.batch();
    while !shared.stopping() {
        let mut fetched = c
            .batch()
            .max_messages(batch)
            .expires(limits::STREAM_WAIT)
            .messages()
            .await
            .map_err(|e| Error::Connect(format!("JetStream fetch: {e}")))?;
        let mut messages = Vec::with_capacity(batch);
        while let Some(m) = fetched.next().await {
            messages.push(m.map_err(|e| Error::Connect(format!("JetStream fetch: {e}")))?);
        }
        if messages.is_empty() {
            let lag = c.get_info().await.ok().map(|i| i.num_pending);
            shared.statuses.polled(name, lag);
            continue;
        }
        let mut events: Vec<IncomingEvent> = Vec::with_capacity(messages.len());
        let mut keep = Vec::with_capacity(messages.len());
        let mut pending = None;
        for m in messages {
            let info = m
                .info()
                .map_err(|e| Error::Read(format!("JetStream message metadata: {e}")))?;
            let seq = info.stream_sequence;
            pending = Some(info.pending);
            let Some(data) = body_data(&m.payload) else {
                // Neither JSON nor text: no event can carry it. Terminated,
                // so it does not come back forever, and reported.
                shared.statuses.failed(
                    name,
                    &format!("message {seq} is neither JSON nor UTF-8 text; terminated"),
                );
                m.ack_with(AckKind::Term)
                    .await
                    .map_err(|e| Error::Connect(format!("JetStream ack: {e}")))?;
                continue;
            };
            let kind = m
                .headers
                .as_ref()
                .and_then(|h| h.get(TYPE_HEADER))
                .map(|v| v.as_str().to_string())
                .or_else(|| config.event_type.clone())
                .or_else(|| Some(m.subject.to_string()));
            let subject = m.subject.to_string();
            events.push(make_event(
                config,
                &seq.to_string(),
                kind,
                None,
                Some(&subject),
                data,
            )?);
            keep.push(m);
        }
        shared.statuses.polled(name, pending);
        if shared.deliver(name, events).await.is_none() {
            return Ok(());
        }
        for m in &keep {
            m.ack()
                .await
                .map_err(|e| Error::Connect(format!("JetStream ack: {e}")))?;
        }
        // Acks are published without an answer: flushing puts them on the
        // wire before the next fetch (a lost ack only redelivers).
        client
            .flush()
            .await
            .map_err(|e| Error::Connect(format!("NATS flush: {e}")))?;
    }
    Ok(())
}

//! Events taken by the host: the one entry point every way in uses
//! (`POST /v1/events`, pull and stream sources), [`Host::ingest`].
//!
//! An event id is taken once. The host answers a duplicate from the store
//! (ids of committed events) and from memory (ids taken in batches not yet
//! committed); the store's unique key on the id settles a race between
//! nodes: the batch that loses is refused as a conflict, and
//! [`crate::Runtime::ingest`] takes its events again, finding the winner's
//! ids taken. Each new event is written in the batch being built, so it is
//! durable with everything it causes, or not at all.

use std::collections::HashSet;

use weft_engine::limits::{EVENTS_PER_INGEST_MAX, EVENT_BYTES_MAX, EVENT_NAME_BYTES_MAX};
use weft_store::{EventWrite, IncomingEvent, IngestOutcome, RunWrite};

use super::{ActiveTrigger, Host, HostError};

/// Checks an event against the limits; `Err` says why, naming the limit.
pub fn validate_event(e: &IncomingEvent) -> Result<(), String> {
    let what = if e.id.is_empty() {
        return Err("an event has an empty id".into());
    } else {
        format!("event {:?}", e.id)
    };
    if e.kind.is_empty() {
        return Err(format!("{what} has an empty type"));
    }
    for (field, value) in [
        ("id", Some(&e.id)),
        ("type", Some(&e.kind)),
        ("subject", e.subject.as_ref()),
        ("source", e.source.as_ref()),
    ] {
        if let Some(v) = value {
            if v.len() > EVENT_NAME_BYTES_MAX {
                return Err(format!(
                    "{what}: its {field} is {} bytes; the limit is {EVENT_NAME_BYTES_MAX} \
                     (EVENT_NAME_BYTES_MAX)",
                    v.len()
                ));
            }
        }
    }
    let size = serde_json::to_vec(e).map(|b| b.len()).unwrap_or(usize::MAX);
    if size > EVENT_BYTES_MAX {
        return Err(format!(
            "{what} is {size} bytes of JSON; the limit is {EVENT_BYTES_MAX} (EVENT_BYTES_MAX)"
        ));
    }
    Ok(())
}

/// Checks a list of events: its length, then each event. Nothing is taken
/// when one is refused.
pub fn validate_events(events: &[IncomingEvent]) -> Result<(), String> {
    if events.len() > EVENTS_PER_INGEST_MAX {
        return Err(format!(
            "{} events in one ingestion; the limit is {EVENTS_PER_INGEST_MAX} \
             (EVENTS_PER_INGEST_MAX)",
            events.len()
        ));
    }
    events.iter().try_for_each(validate_event)
}

impl Host {
    /// Takes events: each whose id is new is written in the batch being
    /// built; ids taken before (or earlier in the list) count as
    /// duplicates and change nothing. The outcome holds once that batch
    /// commits. Refuses the whole list (taking nothing) when it breaks a
    /// limit.
    pub fn ingest(
        &mut self,
        events: Vec<IncomingEvent>,
        now: i64,
    ) -> Result<IngestOutcome, HostError> {
        validate_events(&events).map_err(HostError::InvalidEvent)?;
        let ids: Vec<String> = events
            .iter()
            .filter(|e| !self.event_ids.contains_key(&e.id))
            .map(|e| e.id.clone())
            .collect();
        let mut taken: HashSet<String> = self.store.taken_event_ids(&ids)?.into_iter().collect();
        taken.extend(
            events
                .iter()
                .filter(|e| self.event_ids.contains_key(&e.id))
                .map(|e| e.id.clone()),
        );
        let triggers = self.triggers()?;
        let mut outcome = IngestOutcome::default();
        for event in events {
            if !taken.insert(event.id.clone()) {
                outcome.duplicates += 1;
                continue;
            }
            self.store_event(event, &triggers, now)?;
            outcome.accepted += 1;
        }
        Ok(outcome)
    }

    /// Writes a new event in the batch being built, with the runs of the
    /// triggers it matches.
    /// A store failure while starting its runs fails the whole list (the
    /// sender sends it again; what this batch took by then are
    /// duplicates then) rather than being recorded on the event, where
    /// nothing would retry it.
    fn store_event(
        &mut self,
        event: IncomingEvent,
        triggers: &[ActiveTrigger],
        now: i64,
    ) -> Result<(), HostError> {
        let starts = self.start_triggered(&event, triggers, now)?;
        self.event_ids.insert(event.id.clone(), self.batch_no);
        self.event_writes.push(EventWrite {
            event,
            received_at: now,
            starts,
        });
        Ok(())
    }

    /// Takes one event made by the host itself (a machine's
    /// `created`/`updated`, in the batch of the command that made it):
    /// as [`Host::ingest`] does, without the limits, which bound what
    /// comes from outside.
    pub(super) fn take_event(&mut self, event: IncomingEvent, now: i64) -> Result<(), HostError> {
        if self.event_ids.contains_key(&event.id)
            || !self
                .store
                .taken_event_ids(std::slice::from_ref(&event.id))?
                .is_empty()
        {
            return Ok(());
        }
        let triggers = self.triggers()?;
        self.store_event(event, &triggers, now)
    }

    /// The events of the batch being taken, as a write of their own.
    pub(super) fn take_event_writes(&mut self) -> Option<RunWrite> {
        if self.event_writes.is_empty() && self.event_start_writes.is_empty() {
            return None;
        }
        Some(RunWrite {
            events: std::mem::take(&mut self.event_writes),
            event_starts: std::mem::take(&mut self.event_start_writes),
            ..RunWrite::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;
    use weft_store::{MemoryStore, RunQuery, SourceText, Store, TriggerStart};

    use super::*;
    use crate::ids::OsEntropy;

    const MODERATION: &str = r#"
flow Moderate(event) {
    return event.data
}

flow Other(x) {
    return x
}

sdk.TaskQueue({type: ["created"], where: "question", run: "Moderate"})
"#;

    fn host(text: &str) -> Host {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let mut h = Host::new(store, Box::new(OsEntropy));
        h.deploy(
            &[SourceText {
                name: "f.weft".into(),
                text: text.into(),
            }],
            0,
        )
        .unwrap();
        h
    }

    fn event(id: &str, kind: &str, subject: &str) -> IncomingEvent {
        IncomingEvent {
            id: id.into(),
            kind: kind.into(),
            subject: Some(subject.into()),
            data: json!({"n": id}),
            source: None,
        }
    }

    fn flush(h: &mut Host) {
        let (no, batch, _) = h.take_batch();
        h.store().commit(&batch).unwrap();
        h.committed(no);
    }

    fn runs(h: &Host) -> Vec<weft_store::RunRecord> {
        h.store()
            .list_runs(&RunQuery {
                limit: 100,
                ..RunQuery::default()
            })
            .unwrap()
            .runs
    }

    /// Matching events start one run each, with the event as input and a
    /// key of trigger and event; duplicates (in the list, in the batch not
    /// yet committed, in the store) start nothing.
    #[test]
    fn each_matching_event_starts_one_run_however_often_it_is_offered() {
        let mut h = host(MODERATION);
        let out = h
            .ingest(
                vec![
                    event("e1", "created", "question"),
                    event("e1", "created", "question"),
                    event("e2", "updated", "question"),
                    event("e3", "created", "answer"),
                ],
                5,
            )
            .unwrap();
        assert_eq!((out.accepted, out.duplicates), (3, 1));
        // Offered again before the batch commits, then after.
        let again = h
            .ingest(vec![event("e1", "created", "question")], 6)
            .unwrap();
        assert_eq!((again.accepted, again.duplicates), (0, 1));
        flush(&mut h);
        let again = h
            .ingest(
                vec![
                    event("e1", "created", "question"),
                    event("e4", "created", "question"),
                ],
                7,
            )
            .unwrap();
        assert_eq!((again.accepted, again.duplicates), (1, 1));
        flush(&mut h);
        let mut rs = runs(&h);
        rs.sort_by_key(|r| r.idempotency_key.clone());
        let keys: Vec<_> = rs
            .iter()
            .map(|r| r.idempotency_key.clone().unwrap())
            .collect();
        assert_eq!(keys, ["event:Moderate:e1", "event:Moderate:e4"]);
        assert_eq!(rs[0].flow, "Moderate");
        assert_eq!(
            rs[0].input,
            json!({"id": "e1", "type": "created", "subject": "question", "data": {"n": "e1"}, "source": null})
        );
        assert_eq!(rs[0].result, Some(json!({"n": "e1"})));
        let stored = h.store().event("e1").unwrap().unwrap();
        assert_eq!(stored.starts.len(), 1);
        assert_eq!(stored.starts[0].run_id.as_deref(), Some(rs[0].id.as_str()));
        // Events that match nothing are kept too, with no starts.
        assert!(h.store().event("e3").unwrap().unwrap().starts.is_empty());
    }

    /// A batch that fails leaves nothing: the host starts over, and the
    /// same events are taken again.
    #[test]
    fn events_of_a_batch_that_is_not_committed_are_not_taken() {
        let mut h = host(MODERATION);
        h.ingest(vec![event("e1", "created", "question")], 5)
            .unwrap();
        let _lost = h.take_batch();
        let mut h = h.restart(Box::new(OsEntropy));
        let out = h
            .ingest(vec![event("e1", "created", "question")], 6)
            .unwrap();
        assert_eq!((out.accepted, out.duplicates), (1, 0));
        flush(&mut h);
        assert_eq!(runs(&h).len(), 1);
    }

    /// A trigger is in force while its version is its flow's newest: a
    /// new version of the flow without it retires it.
    #[test]
    fn a_new_version_of_the_flow_replaces_its_triggers() {
        let mut h = host(MODERATION);
        assert_eq!(h.triggers().unwrap().len(), 1);
        h.deploy(
            &[SourceText {
                name: "f.weft".into(),
                text: "flow Moderate(event) {\n    return 1\n}\n".into(),
            }],
            1,
        )
        .unwrap();
        assert!(h.triggers().unwrap().is_empty());
        let out = h
            .ingest(vec![event("e1", "created", "question")], 5)
            .unwrap();
        assert_eq!(out.accepted, 1);
        flush(&mut h);
        assert!(runs(&h).is_empty());
    }

    #[test]
    fn a_list_over_a_limit_is_refused_whole() {
        let mut h = host(MODERATION);
        let many: Vec<_> = (0..=EVENTS_PER_INGEST_MAX)
            .map(|i| event(&format!("e{i}"), "created", "question"))
            .collect();
        let err = h.ingest(many, 5).unwrap_err();
        assert!(err.to_string().contains("EVENTS_PER_INGEST_MAX"), "{err}");
        let mut big = event("big", "created", "question");
        big.data = json!("x".repeat(EVENT_BYTES_MAX));
        let err = h
            .ingest(vec![event("ok", "created", "question"), big], 5)
            .unwrap_err();
        assert!(err.to_string().contains("EVENT_BYTES_MAX"), "{err}");
        assert!(!h.has_work());
    }

    /// A condition selects events by their data; one that cannot be
    /// evaluated on an event (a missing field compared with `>`) starts
    /// nothing for that trigger and is recorded on the event, while the
    /// event's other triggers go on.
    #[test]
    fn a_condition_selects_events_and_its_errors_are_recorded_on_the_event() {
        let mut h = host(
            r#"
flow Moderate(event) {
    return event.data
}

flow Audit(event) {
    return event.id
}

sdk.TaskQueue({type: ["created"], where: event.subject == "question" && event.data.score > 3, run: "Moderate"})
sdk.TaskQueue({type: "created", run: "Audit"})
"#,
        );
        let with = |id: &str, subject: &str, data: serde_json::Value| IncomingEvent {
            data,
            ..event(id, "created", subject)
        };
        let out = h
            .ingest(
                vec![
                    with("high", "question", json!({"score": 4})),
                    with("low", "question", json!({"score": 3})),
                    with("answer", "answer", json!({"score": 9})),
                    with("none", "question", json!({"text": "no score"})),
                    with("text", "question", json!({"score": "high"})),
                ],
                5,
            )
            .unwrap();
        assert_eq!(out.accepted, 5);
        flush(&mut h);
        let mut keys: Vec<String> = runs(&h)
            .into_iter()
            .map(|r| r.idempotency_key.unwrap())
            .filter(|k| k.starts_with("event:Moderate:"))
            .collect();
        keys.sort();
        assert_eq!(keys, ["event:Moderate:high"]);
        // Every event started Audit, errors or not.
        assert_eq!(runs(&h).len(), 6);
        for (id, want) in [
            ("none", "where: cannot compare null with number"),
            ("text", "where: cannot compare string with number"),
        ] {
            let stored = h.store().event(id).unwrap().unwrap();
            let moderate = stored
                .starts
                .iter()
                .find(|s| s.trigger == "Moderate")
                .unwrap();
            assert_eq!(moderate.run_id, None, "{id}");
            assert_eq!(moderate.error.as_deref(), Some(want), "{id}");
            assert!(stored
                .starts
                .iter()
                .any(|s| s.trigger == "Audit" && s.run_id.is_some()));
        }
        for id in ["low", "answer"] {
            let stored = h.store().event(id).unwrap().unwrap();
            assert!(
                stored.starts.iter().all(|s| s.trigger != "Moderate"),
                "{id}"
            );
        }
    }

    /// A start that failed is re-driven as the trigger in force now says:
    /// after a fixed deploy its run starts, once however often it is
    /// re-driven; starts that had a run are kept; an unknown id is an
    /// error.
    #[test]
    fn a_failed_start_is_redriven_once_the_trigger_is_fixed() {
        let scored = |condition: &str| {
            format!(
                "flow Moderate(event) {{\n    return event.data\n}}\n\nflow Audit(event) {{\n    return 1\n}}\n\nsdk.TaskQueue({{type: [\"created\"], where: {condition}, run: \"Moderate\"}})\nsdk.TaskQueue({{type: \"created\", run: \"Audit\"}})\n"
            )
        };
        let mut h = host(&scored("event.data.score > 3"));
        h.ingest(vec![event("e1", "created", "question")], 5)
            .unwrap();
        flush(&mut h);
        let failed = h.store().event("e1").unwrap().unwrap().starts;
        assert_eq!(failed.len(), 2);
        // Re-driven as it is: the same error, no run.
        let again = h.redrive_event("e1", 6).unwrap();
        flush(&mut h);
        let moderate = |starts: &[TriggerStart]| {
            starts
                .iter()
                .find(|s| s.trigger == "Moderate")
                .cloned()
                .unwrap()
        };
        assert_eq!(moderate(&again).error, moderate(&failed).error);
        assert_eq!(runs(&h).len(), 1, "only Audit ran");
        // Fixed: a missing score counts as high.
        h.deploy(
            &[SourceText {
                name: "f.weft".into(),
                text: scored("event.data.score == null || event.data.score > 3"),
            }],
            7,
        )
        .unwrap();
        flush(&mut h);
        let fixed = h.redrive_event("e1", 8).unwrap();
        flush(&mut h);
        let m = moderate(&fixed);
        assert_eq!(m.error, None);
        let run_id = m.run_id.clone().unwrap();
        let stored = h.store().event("e1").unwrap().unwrap();
        assert_eq!(stored.starts, fixed);
        let audit = stored.starts.iter().find(|s| s.trigger == "Audit").unwrap();
        assert_eq!(audit, failed.iter().find(|s| s.trigger == "Audit").unwrap());
        assert_eq!(runs(&h).len(), 2);
        // Nothing failed any more: re-driving changes nothing.
        assert_eq!(h.redrive_event("e1", 9).unwrap(), fixed);
        flush(&mut h);
        assert_eq!(runs(&h).len(), 2);
        assert!(runs(&h).iter().any(|r| r.id == run_id));
        assert!(matches!(
            h.redrive_event("nope", 9),
            Err(HostError::UnknownEvent(_))
        ));
    }
}

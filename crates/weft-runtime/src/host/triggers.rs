//! Triggers in the host: which are in force, and the runs an event starts.
//!
//! A trigger is declared in a program (`sdk.TaskQueue({...})`, read by
//! [`weft_syntax::ast::TriggerDecl::spec`]). It is in force while the
//! version that declares it is the newest version of the flow it runs: a
//! deploy of a new version of that flow (with or without the trigger)
//! replaces it, and deploys of other programs leave it alone. Each
//! version's triggers are read from its source once and kept.
//!
//! For each event taken, every trigger in force whose types hold the
//! event's type (and whose subject, if it has one, is the event's, and
//! whose condition, if it has one, is true of it) starts
//! its flow with the event as input and the idempotency key
//! [`weft_store::events::trigger_run_key`]`(trigger, event id)`, in the
//! batch that stores the event.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::json;
use weft_store::events::trigger_run_key;
use weft_store::{IncomingEvent, TriggerStart};
use weft_syntax::ast::TriggerSpec;

use super::{Host, HostError};

/// A trigger in force.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveTrigger {
    /// What it says.
    pub spec: TriggerSpec,
    /// The version that declares it (the newest of its flow).
    pub version: i64,
}

/// Whether a trigger takes an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// It takes it: its run starts.
    Yes,
    /// It does not.
    No,
    /// Its condition could not be evaluated on the event (a field of
    /// `null`, a value that is not a boolean): recorded on the event, and
    /// no run starts.
    Error(String),
}

impl ActiveTrigger {
    /// Whether the event is one this trigger takes: its type, then its
    /// subject, then its condition (evaluated only on events that pass the
    /// first two, so a condition written for questions never meets other
    /// events).
    /// `input` is [`event_input`]`(e)`, made once per event by the caller
    /// (it is the runs' input too).
    pub fn matches(&self, e: &IncomingEvent, input: &serde_json::Value) -> Match {
        let selected = self.spec.types.contains(&e.kind)
            && self
                .spec
                .subject
                .as_ref()
                .is_none_or(|s| e.subject.as_ref() == Some(s));
        if !selected {
            return Match::No;
        }
        let Some(condition) = &self.spec.condition else {
            return Match::Yes;
        };
        match weft_engine::condition::matches(condition, input) {
            Ok(true) => Match::Yes,
            Ok(false) => Match::No,
            Err(message) => Match::Error(format!("where: {message}")),
        }
    }
}

/// The input a triggered run starts with: the event, every field present.
pub fn event_input(e: &IncomingEvent) -> serde_json::Value {
    json!({
        "id": e.id,
        "type": e.kind,
        "subject": e.subject,
        "data": e.data,
        "source": e.source,
    })
}

/// The triggers a program's source declares (those that read; a deployed
/// program passed the checker, so that is all of them).
pub fn declared(files: &[weft_store::SourceText]) -> Vec<TriggerSpec> {
    files
        .iter()
        .flat_map(|f| {
            let parsed = weft_syntax::parse(&f.text);
            parsed
                .module
                .triggers()
                .filter(|t| t.kind() == weft_syntax::ast::TASK_QUEUE)
                .filter_map(|t| t.spec_in(&f.text).ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

impl Host {
    /// The triggers in force, by name.
    pub fn triggers(&mut self) -> Result<Vec<ActiveTrigger>, HostError> {
        let latest: HashMap<String, i64> = self
            .store
            .flows()?
            .into_iter()
            .filter_map(|f| f.versions.iter().max().map(|v| (f.name, *v)))
            .collect();
        let mut versions: Vec<i64> = latest.values().copied().collect();
        versions.sort_unstable();
        versions.dedup();
        let mut out: BTreeMap<String, ActiveTrigger> = BTreeMap::new();
        for v in versions {
            for spec in self.triggers_of(v)?.iter() {
                if latest.get(&spec.flow) == Some(&v) {
                    out.entry(spec.name.clone()).or_insert(ActiveTrigger {
                        spec: spec.clone(),
                        version: v,
                    });
                }
            }
        }
        Ok(out.into_values().collect())
    }

    /// The triggers version `v` declares, read once.
    fn triggers_of(&mut self, v: i64) -> Result<Arc<Vec<TriggerSpec>>, HostError> {
        if let Some(t) = self.trigger_specs.get(&v) {
            return Ok(t.clone());
        }
        let specs = match self.store.deployment(v)? {
            Some(d) => Arc::new(declared(&d.files)),
            None => Arc::new(Vec::new()),
        };
        self.trigger_specs.insert(v, specs.clone());
        Ok(specs)
    }

    /// An operator's re-drive of a stored event: each of its triggers whose
    /// run could not start (its start records an error) is tried again,
    /// as the trigger in force of that name now says, with the same
    /// idempotency key, so a run is never started twice. A start that
    /// succeeds records its run; one whose trigger no longer takes the
    /// event (a condition now false) is dropped; one that fails again, or
    /// whose trigger is no longer in force, records why. Starts that have
    /// a run are kept as they are. The event's new starts are written in
    /// the batch being built with the runs they start.
    pub fn redrive_event(&mut self, id: &str, now: i64) -> Result<Vec<TriggerStart>, HostError> {
        let stored = self
            .store
            .event(id)?
            .ok_or_else(|| HostError::UnknownEvent(id.to_string()))?;
        if stored.starts.iter().all(|s| s.error.is_none()) {
            return Ok(stored.starts);
        }
        let triggers = self.triggers()?;
        let event = &stored.event;
        let input = event_input(event);
        let mut starts = Vec::new();
        for s in stored.starts {
            if s.error.is_none() {
                starts.push(s);
                continue;
            }
            let Some(t) = triggers.iter().find(|t| t.spec.name == s.trigger) else {
                starts.push(TriggerStart {
                    error: Some(format!(
                        "re-driven: the trigger `{}` is no longer in force",
                        s.trigger
                    )),
                    ..s
                });
                continue;
            };
            match t.matches(event, &input) {
                Match::No => {}
                Match::Error(error) => starts.push(TriggerStart {
                    trigger: t.spec.name.clone(),
                    flow: t.spec.flow.clone(),
                    run_id: None,
                    error: Some(error),
                }),
                Match::Yes => {
                    let key = trigger_run_key(&t.spec.name, &event.id);
                    let (run_id, error) =
                        match self.start_run(&t.spec.flow, input.clone(), Some(key), now) {
                            Ok(started) => (Some(started.run_id), None),
                            // The operator gets it and re-drives again.
                            Err(e @ HostError::Store(_)) => return Err(e),
                            Err(e) => (None, Some(e.to_string())),
                        };
                    starts.push(TriggerStart {
                        trigger: t.spec.name.clone(),
                        flow: t.spec.flow.clone(),
                        run_id,
                        error,
                    });
                }
            }
        }
        self.event_start_writes.push(weft_store::EventStartsWrite {
            id: id.to_string(),
            starts: starts.clone(),
        });
        Ok(starts)
    }

    /// Starts the runs of the triggers `event` matches (in the batch being
    /// built); says what each did. A trigger whose run cannot start (the
    /// flow refuses the event as input, its condition fails on the event)
    /// is recorded with why, and the others go on: the event is taken
    /// either way, its record shows the failure, and an operator may
    /// re-drive it ([`Host::redrive_event`]). A store failure is not
    /// recorded but returned: it fails the event's list, whose sender
    /// sends it again.
    pub(super) fn start_triggered(
        &mut self,
        event: &IncomingEvent,
        triggers: &[ActiveTrigger],
        now: i64,
    ) -> Result<Vec<TriggerStart>, HostError> {
        let mut starts = Vec::new();
        // Made once, and only for an event some trigger looks at.
        let input = std::cell::OnceCell::new();
        for t in triggers {
            if !t.spec.types.contains(&event.kind) {
                continue;
            }
            let input = input.get_or_init(|| event_input(event));
            match t.matches(event, input) {
                Match::Yes => {}
                Match::No => continue,
                Match::Error(error) => {
                    // The event is taken; this trigger starts nothing for
                    // it, and its record says why. Not an operator's alarm
                    // (the sender's data did not fit), so not an error log.
                    tracing::debug!(trigger = %t.spec.name, event = %event.id, %error, "condition failed");
                    starts.push(TriggerStart {
                        trigger: t.spec.name.clone(),
                        flow: t.spec.flow.clone(),
                        run_id: None,
                        error: Some(error),
                    });
                    continue;
                }
            }
            let key = trigger_run_key(&t.spec.name, &event.id);
            let result = self.start_run(&t.spec.flow, input.clone(), Some(key), now);
            let (run_id, error) = match result {
                Ok(started) => (Some(started.run_id), None),
                Err(e @ HostError::Store(_)) => return Err(e),
                Err(e) => {
                    tracing::error!(
                        trigger = %t.spec.name,
                        event = %event.id,
                        error = %e,
                        "trigger {} could not start {} for event {}: {e}",
                        t.spec.name,
                        t.spec.flow,
                        event.id
                    );
                    (None, Some(e.to_string()))
                }
            };
            starts.push(TriggerStart {
                trigger: t.spec.name.clone(),
                flow: t.spec.flow.clone(),
                run_id,
                error,
            });
        }
        Ok(starts)
    }
}

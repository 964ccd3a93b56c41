//! The event part of a scenario: events posted after the commands, and
//! what each started.

use std::collections::BTreeMap;

use weft_runtime::sim::Sim;
use weft_store::RunRecord;

use crate::compare::difference;
use crate::format::{EventExpect, EventStep};

/// Posts each event in turn through the one entry point
/// (`Host::ingest`, as `POST /v1/events` does), lets virtual time run
/// until what it started is done (or `horizon`), and checks what it did.
pub fn post_events(
    sim: &mut Sim,
    events: &[EventStep],
    horizon: i64,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    for (i, step) in events.iter().enumerate() {
        let at = format!("events[{i}] ({})", step.event.id);
        if step.after_ms > 0 {
            let until = sim.now + step.after_ms;
            sim.run_until_idle(until)
                .map_err(|e| format!("the engine failed: {e}"))?;
            sim.now = sim.now.max(until);
        }
        let now = sim.now;
        let outcome = match sim.host.ingest(vec![step.event.clone()], now) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{at}: refused when posted: {e}"));
                continue;
            }
        };
        sim.run_until_idle(horizon)
            .map_err(|e| format!("the engine failed: {e}"))?;
        let Some(want) = &step.expect else { continue };
        let duplicate = outcome.duplicates > 0;
        if let Some(d) = want.duplicate {
            if d != duplicate {
                failures.push(format!(
                    "{at}: expected {}, got {}",
                    if d { "a duplicate" } else { "a new event" },
                    if duplicate {
                        "a duplicate"
                    } else {
                        "a new event"
                    }
                ));
            }
        }
        // A duplicate starts nothing: what the store holds under its id is
        // the first one's doing.
        let starts = if duplicate {
            Vec::new()
        } else {
            match sim.store().event(&step.event.id) {
                Ok(Some(e)) => e.starts,
                Ok(None) => {
                    failures.push(format!("{at}: the event was not stored"));
                    continue;
                }
                Err(e) => return Err(format!("the store failed: {e}")),
            }
        };
        check(sim, &at, want, &starts, failures)?;
    }
    Ok(())
}

fn check(
    sim: &mut Sim,
    at: &str,
    want: &EventExpect,
    starts: &[weft_store::TriggerStart],
    failures: &mut Vec<String>,
) -> Result<(), String> {
    for (trigger, text) in &want.errors {
        match starts.iter().find(|s| &s.trigger == trigger) {
            Some(s) if s.error.as_deref().is_some_and(|e| e.contains(text.as_str())) => {}
            Some(s) => failures.push(format!(
                "{at}: expected trigger {trigger} to record an error containing {text:?}, got {}",
                s.error
                    .as_deref()
                    .map(|e| format!("{e:?}"))
                    .unwrap_or_else(|| "a run".into())
            )),
            None => failures.push(format!(
                "{at}: expected trigger {trigger} to record an error containing {text:?}; the event did not match it"
            )),
        }
    }
    let Some(runs) = &want.runs else {
        return Ok(());
    };
    let mut started: BTreeMap<&str, Vec<RunRecord>> = BTreeMap::new();
    for s in starts {
        let Some(id) = &s.run_id else { continue };
        let record = sim
            .host
            .record(id)
            .map_err(|e| format!("the store failed: {e}"))?
            .ok_or_else(|| format!("{at}: the run {id} the event started is gone"))?;
        started.entry(s.flow.as_str()).or_default().push(record);
    }
    for (flow, got) in &started {
        if !runs.contains_key(*flow) {
            failures.push(format!(
                "{at}: started {} run(s) of {flow}, which `runs` does not list",
                got.len()
            ));
        }
    }
    for (flow, w) in runs {
        let got = started.get(flow.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        if got.len() as u64 != w.count {
            failures.push(format!(
                "{at}: expected {} run(s) of {flow}, got {}",
                w.count,
                got.len()
            ));
        }
        for r in got {
            let here = format!("{at}: run {} of {flow}", r.id);
            let message = r
                .error
                .as_ref()
                .and_then(|e| e["message"].as_str())
                .unwrap_or("");
            if let Some(status) = w.status {
                if status != r.status {
                    let why = if message.is_empty() {
                        String::new()
                    } else {
                        format!(" ({message})")
                    };
                    failures.push(format!(
                        "{here}: expected {}, got {}{why}",
                        status.as_str(),
                        r.status.as_str()
                    ));
                }
            }
            if let Some(result) = &w.result {
                let got = r.result.clone().unwrap_or(serde_json::Value::Null);
                if let Some(diff) = difference(result, &got, &format!("{here}: result")) {
                    failures.push(diff);
                }
            }
            if let Some(error) = &w.error {
                if !message.contains(error.as_str()) {
                    failures.push(format!(
                        "{here}: expected an error containing {error:?}, got {message:?}"
                    ));
                }
            }
        }
    }
    Ok(())
}

//! Runs a scenario in virtual time and compares what happened with what it
//! expects.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use weft_engine::state::{Status, Task};
use weft_runtime::sim::{Answer, Responder, Sim, EPOCH_MS};
use weft_store::{MemoryStore, SourceText, Store};

use crate::format::{Outcome, Scenario, Step};

mod events;
mod machines;

/// How far virtual time may run before the scenario is judged as it stands.
pub const HORIZON_MS: i64 = 400 * 86_400_000;

/// Scripted activities: each attempt takes the activity's next outcome; the
/// last one repeats. Shared, so the caller can read what was missing.
#[derive(Clone, Default)]
pub struct Mocks {
    steps: Arc<BTreeMap<String, Vec<Step>>>,
    used: Arc<Mutex<HashMap<String, usize>>>,
    missing: Arc<Mutex<Vec<String>>>,
}

impl Mocks {
    /// Mocks from an `activities:` map.
    pub fn new(steps: BTreeMap<String, Vec<Step>>) -> Mocks {
        Mocks {
            steps: Arc::new(steps),
            ..Mocks::default()
        }
    }

    /// Activities that were called without a mock, in order of first call.
    pub fn missing(&self) -> Vec<String> {
        self.missing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The answer for one attempt.
    pub fn answer(&self, task: &Task) -> Answer {
        let Some(steps) = self.steps.get(&task.activity) else {
            let mut missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
            if !missing.contains(&task.activity) {
                missing.push(task.activity.clone());
            }
            return Answer::Fail {
                error: format!("no mock for {}", task.activity),
                retryable: false,
                after_ms: 0,
            };
        };
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let n = used.entry(task.activity.clone()).or_default();
        let step = &steps[(*n).min(steps.len() - 1)];
        *n += 1;
        let awaited = task.callback_token.is_some();
        let delay = step.delay_ms;
        match (&step.outcome, awaited) {
            (Outcome::Return(v), false) => Answer::Return {
                value: v.clone(),
                after_ms: delay,
            },
            // A plain call answered by a `callback:` mock returns the value
            // when the callback would have come.
            (Outcome::Callback { value, after_ms }, false) => Answer::Return {
                value: value.clone(),
                after_ms: delay.max(*after_ms),
            },
            (Outcome::Return(v), true) => Answer::Callback {
                value: Some(v.clone()),
                ack_ms: delay,
                callback_ms: delay,
            },
            (Outcome::Callback { value, after_ms }, true) => Answer::Callback {
                value: Some(value.clone()),
                ack_ms: delay,
                callback_ms: *after_ms,
            },
            (Outcome::Fail { error, retryable }, _) => Answer::Fail {
                error: error.clone(),
                retryable: *retryable,
                after_ms: delay,
            },
            (Outcome::Never, false) => Answer::Never,
            // An awaited call that never calls back was still started.
            (Outcome::Never, true) => Answer::Callback {
                value: None,
                ack_ms: delay,
                callback_ms: 0,
            },
        }
    }

    /// A responder for the simulator.
    pub fn responder(&self) -> Responder {
        let mocks = self.clone();
        Box::new(move |task: &Task, _now: i64| mocks.answer(task))
    }
}

/// What running a scenario showed.
#[derive(Clone, Debug)]
pub struct Report {
    /// The scenario's name (its file).
    pub name: String,
    /// Differences from the expectations (empty: passed).
    pub failures: Vec<String>,
    /// The run's final status.
    pub status: Option<Status>,
    /// Virtual time from start to end (ms).
    pub elapsed_ms: i64,
    /// Logical calls made.
    pub calls: usize,
}

impl Report {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    fn failed(name: String, why: String) -> Report {
        Report {
            name,
            failures: vec![why],
            status: None,
            elapsed_ms: 0,
            calls: 0,
        }
    }
}

/// Checks the flow source of a scenario like a deploy would; `Err` carries
/// the rendered diagnostics.
pub fn checked_source(path: &std::path::Path) -> Result<String, String> {
    let mut files = checked_sources(&[path.to_path_buf()])?;
    Ok(files.remove(0).1)
}

/// Checks the files of a program like a deploy would: (file name, text)
/// per file; `Err` carries the rendered diagnostics.
pub fn checked_sources(paths: &[std::path::PathBuf]) -> Result<Vec<(String, String)>, String> {
    let mut texts = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        texts.push((path.display().to_string(), text));
    }
    let parses: Vec<_> = texts.iter().map(|(_, t)| weft_syntax::parse(t)).collect();
    let mut diags: Vec<Vec<weft_syntax::Diagnostic>> =
        parses.iter().map(|p| p.diagnostics.clone()).collect();
    if parses.iter().all(|p| !p.has_errors()) {
        let files: Vec<weft_check::SourceFile> = texts
            .iter()
            .zip(&parses)
            .map(|((name, _), p)| weft_check::SourceFile {
                name,
                module: &p.module,
            })
            .collect();
        for (d, found) in diags.iter_mut().zip(weft_check::check_program(&files)) {
            d.extend(found);
        }
    }
    let mut errors = Vec::new();
    for ((name, text), d) in texts.iter().zip(&diags) {
        let index = weft_syntax::LineIndex::new(text);
        errors.extend(
            d.iter()
                .filter(|d| d.is_error())
                .map(|d| weft_syntax::diagnostic::render(name, text, &index, d)),
        );
    }
    if errors.is_empty() {
        Ok(paths
            .iter()
            .zip(texts)
            .map(|(p, (_, text))| {
                let name = p
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default();
                (name, text)
            })
            .collect())
    } else {
        Err(format!("the flow does not check:\n{}", errors.join("")))
    }
}

/// Runs one scenario.
pub fn run(s: &Scenario) -> Report {
    let name = s.path.display().to_string();
    let mut paths = vec![s.source.clone()];
    paths.extend(s.others.iter().cloned());
    let files = match checked_sources(&paths) {
        Ok(f) => f,
        Err(e) => return Report::failed(name, e),
    };
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mocks = Mocks::new(s.activities.clone());
    let mut sim = Sim::new(store.clone(), 1, mocks.responder());
    let files: Vec<SourceText> = files
        .into_iter()
        .map(|(name, text)| SourceText { name, text })
        .collect();
    if let Err(e) = sim.host.deploy(&files, sim.now) {
        return Report::failed(name, e.to_string());
    }
    let mut failures = Vec::new();
    if let Err(e) =
        machines::send_commands(&mut sim, &s.commands, EPOCH_MS + HORIZON_MS, &mut failures)
    {
        return Report::failed(name, e);
    }
    if let Err(e) = events::post_events(&mut sim, &s.events, EPOCH_MS + HORIZON_MS, &mut failures) {
        return Report::failed(name, e);
    }
    let commands_end = sim.now;
    let Some(flow) = &s.flow else {
        // Only commands: no run to judge, but what they did.
        let e = &s.expect;
        if e.status.is_some() || e.result.is_some() || e.error.is_some() {
            failures.push(
                "expect: `status`, `result` and `error` describe a flow's run; the scenario has no `flow`"
                    .into(),
            );
        }
        return finish(
            s,
            &sim,
            &mocks,
            store.as_ref(),
            name,
            failures,
            None,
            commands_end - EPOCH_MS,
        );
    };
    let started = match sim.host.start_run(flow, s.input.clone(), None, sim.now) {
        Ok(st) => st,
        Err(e) => return Report::failed(name, e.to_string()),
    };
    if let Err(e) = sim.run_until_idle(EPOCH_MS + HORIZON_MS) {
        return Report::failed(name, format!("the engine failed: {e}"));
    }
    let record = match sim.host.record(&started.run_id) {
        Ok(Some(r)) => r,
        other => return Report::failed(name, format!("the run disappeared: {other:?}")),
    };
    let elapsed_ms = record.updated_at - record.created_at;
    let e = &s.expect;
    if let Some(want) = e.status {
        if want != record.status {
            let why = record
                .error
                .as_ref()
                .and_then(|er| er["message"].as_str())
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            failures.push(format!(
                "status: expected {}, got {}{why}",
                want.as_str(),
                record.status.as_str()
            ));
        }
    }
    if let Some(want) = &e.result {
        let got = record.result.clone().unwrap_or(serde_json::Value::Null);
        if let Some(diff) = crate::compare::difference(want, &got, "result") {
            failures.push(diff);
            failures.push(format!("the whole result: {}", shorten(&got.to_string())));
        }
    }
    if let Some(want) = &e.error {
        let got = record
            .error
            .as_ref()
            .and_then(|er| er["message"].as_str())
            .unwrap_or("");
        if !got.contains(want.as_str()) {
            failures.push(format!(
                "error: expected a message containing {want:?}, got {got:?}"
            ));
        }
    }
    finish(
        s,
        &sim,
        &mocks,
        store.as_ref(),
        name,
        failures,
        Some(record.status),
        elapsed_ms,
    )
}

/// The expectations every scenario may have, with or without a flow:
/// calls, attempts, order and elapsed time (of every run the scenario
/// made: the flow's, its sub-flows' and the commands' handlers'), and the
/// instances at the end.
#[allow(clippy::too_many_arguments)]
fn finish(
    s: &Scenario,
    sim: &Sim,
    mocks: &Mocks,
    store: &dyn Store,
    name: String,
    mut failures: Vec<String>,
    status: Option<Status>,
    elapsed_ms: i64,
) -> Report {
    for m in mocks.missing() {
        failures.push(format!("no mock for {m}"));
    }
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut calls: BTreeMap<String, u64> = BTreeMap::new();
    let mut attempts: BTreeMap<String, u64> = BTreeMap::new();
    for d in &sim.dispatched {
        *attempts.entry(d.task.activity.clone()).or_default() += 1;
        if seen.insert(d.task.call_id.clone()) {
            *calls.entry(d.task.activity.clone()).or_default() += 1;
            order.push(d.task.activity.clone());
        }
    }
    let e = &s.expect;
    if let Some(want) = &e.calls {
        compare_counts("calls", want, &calls, true, &mut failures);
    }
    if let Some(want) = &e.attempts {
        compare_counts("attempts", want, &attempts, false, &mut failures);
    }
    if let Some(want) = &e.order {
        if *want != order {
            failures.push(format!(
                "order: expected [{}], got [{}]",
                want.join(", "),
                order.join(", ")
            ));
        }
    }
    if let Some(want) = e.elapsed_ms {
        let tolerance = (want / 100).max(60_000);
        if (elapsed_ms - want).abs() > tolerance {
            failures.push(format!(
                "elapsed: expected {}, got {}",
                weft_engine::time::format_duration(want),
                weft_engine::time::format_duration(elapsed_ms)
            ));
        }
    }
    if let Some(want) = &e.instances {
        machines::check_instances(store, want, &mut failures);
    }
    Report {
        name,
        failures,
        status,
        elapsed_ms,
        calls: seen.len(),
    }
}

/// At most a few hundred characters of `s`, for messages.
fn shorten(s: &str) -> String {
    const MAX: usize = 400;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &s[..end], s.len())
}

fn compare_counts(
    what: &str,
    want: &BTreeMap<String, u64>,
    got: &BTreeMap<String, u64>,
    exact: bool,
    failures: &mut Vec<String>,
) {
    for (name, n) in want {
        let g = got.get(name).copied().unwrap_or(0);
        if g != *n {
            failures.push(format!("{what}: expected {name}: {n}, got {g}"));
        }
    }
    if exact {
        for (name, g) in got {
            if !want.contains_key(name) {
                failures.push(format!(
                    "{what}: {name} was called {g} time(s) but is not in the expected map"
                ));
            }
        }
    }
}

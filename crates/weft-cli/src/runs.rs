//! `weft run`, `weft runs ...` and `weft callback` against a data directory.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use weft_engine::state::{EntryKind, Event, Status};
use weft_engine::time::{format_duration, format_time};
use weft_runtime::sim::Sim;
use weft_runtime::Host;
use weft_store::{JournalStep, RunQuery, RunRecord, SourceText, Store};

use crate::data;

/// Exit code of `weft run` for a run that is still waiting.
pub const EXIT_WAITING: u8 = 3;

/// How far `weft run` lets virtual time run before reporting the run as it stands.
pub const RUN_HORIZON_MS: i64 = 400 * 86_400_000;

/// `weft run`: runs a flow on the embedded store with mocked activities, in
/// virtual time (starting now), and prints its result.
pub fn run_flow(
    file: &Path,
    flow: &str,
    input: &str,
    data_dir: &Path,
    activities: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let input: serde_json::Value =
        serde_json::from_str(input).context("--input is not valid JSON")?;
    let text = match weft_scenario::runner::checked_source(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    let steps = match activities {
        None => Default::default(),
        Some(path) => {
            let yaml = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let doc: serde_json::Value = yaml_serde::from_str(&yaml)
                .with_context(|| format!("{} is not valid YAML", path.display()))?;
            // Either a bare `activities:` map, or a file with one (a scenario).
            let map = doc.get("activities").cloned().unwrap_or(doc);
            let shown = path.display().to_string();
            let err = |at: &str, message: String| weft_scenario::FormatError::Field {
                path: shown.clone(),
                at: at.to_string(),
                message,
            };
            weft_scenario::format::parse_activities(&map, &err)?
        }
    };
    let dir = data::open_for_writing(data_dir)?;
    let mocks = weft_scenario::Mocks::new(steps);
    let mut sim = Sim::new(
        dir.store.clone(),
        weft_runtime::runtime::now_ms() as u64,
        mocks.responder(),
    );
    sim.now = weft_runtime::runtime::now_ms();
    let name = file
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let files = vec![SourceText { name, text }];
    let reuse = dir
        .store
        .latest_version(flow)?
        .and_then(|v| dir.store.deployment(v).ok().flatten())
        .filter(|d| d.files == files);
    if reuse.is_none() {
        sim.host.deploy(&files, sim.now)?;
    }
    let started = sim.host.start_run(flow, input, None, sim.now)?;
    let start = sim.now;
    sim.run_until_idle(start + RUN_HORIZON_MS)?;
    sim.flush()?;
    let rec = sim
        .host
        .record(&started.run_id)?
        .context("the run disappeared")?;
    for m in mocks.missing() {
        eprintln!("note: no mock for activity {m} (give one with --activities)");
    }
    eprintln!(
        "run {} {} after {} of virtual time",
        rec.id,
        rec.status.as_str(),
        format_duration(rec.updated_at - start)
    );
    Ok(report_outcome(&rec))
}

fn report_outcome(rec: &RunRecord) -> ExitCode {
    match rec.status {
        Status::Completed => {
            println!(
                "{}",
                serde_json::to_string_pretty(
                    rec.result.as_ref().unwrap_or(&serde_json::Value::Null)
                )
                .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Status::Failed => {
            if let Some(e) = &rec.error {
                eprintln!("error: {}", e["message"].as_str().unwrap_or("?"));
                if let Some(l) = e.get("location").filter(|l| !l.is_null()) {
                    eprintln!(
                        "  at {}:{}:{}  {}",
                        l["file"].as_str().unwrap_or("?"),
                        l["line"],
                        l["col"],
                        l["sourceLine"].as_str().unwrap_or("")
                    );
                }
            }
            ExitCode::from(1)
        }
        Status::Cancelled => ExitCode::from(1),
        Status::Waiting | Status::Running => {
            println!(
                "{}",
                serde_json::to_string_pretty(&rec.waiting).unwrap_or_default()
            );
            ExitCode::from(EXIT_WAITING)
        }
    }
}

/// `weft runs list`.
pub fn list(
    data_dir: &Path,
    status: Option<&str>,
    flow: Option<String>,
    limit: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let dir = data::open_for_reading(data_dir)?;
    let status = match status {
        None => None,
        Some(s) => Some(Status::parse(s).with_context(|| {
            format!("{s:?} is not a status (running, waiting, failed, completed, cancelled)")
        })?),
    };
    let page = dir.store.list_runs(&RunQuery {
        status,
        flow,
        limit: limit.clamp(1, 10_000),
        ..RunQuery::default()
    })?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"runs": page.runs, "nextCursor": page.next_cursor})
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let now = weft_runtime::runtime::now_ms();
    println!(
        "{:<26}  {:<24}  {:<9}  {:>10}  WHERE",
        "ID", "FLOW", "STATUS", "UPDATED"
    );
    for r in &page.runs {
        // A run this build cannot read says so first (`weft runs show`
        // has the whole reason).
        let code = error_code(r).map(|c| format!("{c} ")).unwrap_or_default();
        println!(
            "{:<26}  {:<24}  {:<9}  {:>10}  {code}{}",
            r.id,
            r.flow,
            r.status.as_str(),
            format!(
                "{} ago",
                format_duration(((now - r.updated_at) / 1000).max(0) * 1000)
            ),
            r.position.as_deref().unwrap_or("")
        );
    }
    if page.next_cursor.is_some() {
        println!("(more: raise --limit)");
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft runs show`.
pub fn show(data_dir: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let dir = data::open_for_reading(data_dir)?;
    let Some(rec) = dir.store.run(id)? else {
        eprintln!("weft: no run with id {id}");
        return Ok(ExitCode::from(1));
    };
    let journal = dir.store.journal(id)?;
    let dropped = dropped_steps(&journal);
    let origin = weft_server::events::run_origin(dir.store.as_ref(), &rec)?;
    if json {
        let mut out = serde_json::json!({"run": rec, "journal": journal});
        if dropped > 0 {
            out["droppedSteps"] = dropped.into();
        }
        if let Some(o) = &origin {
            out["startedBy"] = o.clone();
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("run      {}", rec.id);
    println!("flow     {} (version {})", rec.flow, rec.version);
    println!("status   {}", rec.status.as_str());
    if let Some(p) = &rec.parent {
        println!("parent   {p}");
    }
    if let Some(o) = &origin {
        println!("by       {}", describe_origin(o));
    }
    println!("started  {}", format_time(rec.created_at));
    println!("updated  {}", format_time(rec.updated_at));
    println!("input    {}", rec.input);
    if let Some(r) = &rec.result {
        println!("result   {r}");
    }
    if let Some(e) = &rec.error {
        let code = error_code(&rec)
            .map(|c| format!("[{c}] "))
            .unwrap_or_default();
        println!("error    {code}{}", e["message"].as_str().unwrap_or("?"));
        if code.starts_with("[unreadable_") {
            println!(
                "         (this build cannot read the run; its data is kept as it was, and a \
                 build that reads it resumes it: see \"Upgrading Weft\" in docs/operating.md)"
            );
        } else if code == "[engine_panic] " {
            println!(
                "         (a step of the run panicked: a bug in this build; the run is kept as it \
                 was before that step, and a build without the bug resumes it: see \"A run this \
                 build cannot read\" in docs/operating.md)"
            );
        }
    }
    // The source line where the run stands or failed.
    let line = rec
        .error
        .as_ref()
        .and_then(|e| e.get("location").filter(|l| !l.is_null()).cloned())
        .map(|l| {
            format!(
                "{}:{}  {}",
                l["file"].as_str().unwrap_or("?"),
                l["line"],
                l["sourceLine"].as_str().unwrap_or("")
            )
        })
        .or_else(|| {
            rec.position
                .clone()
                .map(|p| source_line(dir.store.as_ref(), &rec, &p))
        });
    if let Some(l) = line {
        println!("at       {l}");
    }
    if let Some(w) = rec.waiting.as_array().filter(|w| !w.is_empty()) {
        for w in w {
            println!("waiting  {}", describe_wait(w));
        }
    }
    let children = dir.store.list_runs(&RunQuery {
        parent: Some(rec.id.clone()),
        limit: 100,
        ..RunQuery::default()
    })?;
    for c in children.runs.iter().rev() {
        println!("child    {}  {}  {}", c.id, c.flow, c.status.as_str());
    }
    println!("journal");
    if dropped > 0 {
        println!(
            "  (the oldest {dropped} steps are no longer kept: a run keeps its newest {} \
             (JOURNAL_STEPS_PER_RUN_MAX), so this journal starts at step {})",
            weft_store::JOURNAL_STEPS_PER_RUN_MAX,
            dropped + 1
        );
    }
    print_journal(&journal, rec.created_at);
    Ok(ExitCode::SUCCESS)
}

/// What started a run, in a line: `event ID (type TYPE, subject S) via
/// trigger T` or `schedule NAME, fire at TIME`.
fn describe_origin(o: &serde_json::Value) -> String {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_string();
    if o["kind"] == "event" {
        let e = &o["event"];
        let subject = e["subject"]
            .as_str()
            .map(|s| format!(", subject {s}"))
            .unwrap_or_default();
        format!(
            "event {} (type {}{subject}) via trigger {}",
            text(&e["id"]),
            text(&e["type"]),
            text(&o["trigger"])
        )
    } else {
        let at = o["fireAt"].as_i64().map(format_time).unwrap_or_default();
        let how = match o["fire"].as_str() {
            Some("now") => "triggered now at",
            Some("queued") => "queued fire started at",
            _ => "fire at",
        };
        format!("schedule {}, {how} {at}", text(&o["schedule"]))
    }
}

/// Steps of a journal the store no longer keeps: it keeps a run's newest
/// [`weft_store::JOURNAL_STEPS_PER_RUN_MAX`], numbered from 1, so the
/// first kept step says how many went before it.
fn dropped_steps(journal: &[JournalStep]) -> i64 {
    journal.first().map_or(0, |s| (s.step - 1).max(0))
}

/// The code of a run's error, when it has one (`unreadable_state`, ...).
fn error_code(rec: &RunRecord) -> Option<&str> {
    rec.error.as_ref()?.get("code")?.as_str()
}

/// `file:line` plus the text of that line, from the run's program version.
fn source_line(store: &dyn Store, rec: &RunRecord, position: &str) -> String {
    let text = (|| {
        let (file, line) = position.rsplit_once(':')?;
        let line: usize = line.parse().ok()?;
        let d = store.deployment(rec.version).ok()??;
        let f = d.files.iter().find(|f| f.name == file)?;
        Some(f.text.lines().nth(line.checked_sub(1)?)?.trim().to_string())
    })();
    match text {
        Some(t) => format!("{position}  {t}"),
        None => position.to_string(),
    }
}

/// `weft runs show ID --step N`: the run after step N, replayed.
pub fn show_step(data_dir: &Path, id: &str, step: i64, json: bool) -> anyhow::Result<ExitCode> {
    use weft_runtime::travel::{self, TravelError};
    let dir = data::open_for_reading(data_dir)?;
    let store = dir.store.as_ref();
    let programs = |v: i64| travel::compile_version(store, v);
    let at = match travel::state_at(store, &programs, id, step) {
        Ok(at) => at,
        Err(e @ (TravelError::Store(_) | TravelError::Program { .. })) => {
            return Err(anyhow::Error::new(e).context(format!("replaying run {id}")))
        }
        Err(e) => {
            eprintln!("weft: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let view = weft_server::ops::step_json(&at, step);
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("run      {}", at.record.id);
    println!(
        "step     {step} of {}{}",
        view["steps"],
        view["at"]
            .as_str()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default()
    );
    println!("status   {}", at.state.status.as_str());
    for p in weft_engine::machine::positions(&at.program, &at.state) {
        println!("at       {}:{}  {}", p.file, p.line, p.source_line);
    }
    for f in weft_engine::machine::variables(&at.program, &at.state) {
        println!("branch   {} ({})", f.fiber, f.wait);
        for fr in &f.frames {
            let here = fr
                .location
                .as_ref()
                .map(|l| format!(" at {}:{}", l.file, l.line))
                .unwrap_or_default();
            println!("  in {}{here}", fr.function);
            for (name, value) in &fr.variables {
                println!("    {name} = {value}");
            }
        }
    }
    for w in at.state.waiting() {
        let w = serde_json::to_value(w)?;
        println!("waiting  {}", describe_wait(&w));
    }
    let this: Vec<JournalStep> = at
        .journal
        .iter()
        .filter(|s| s.step == step)
        .cloned()
        .collect();
    println!("entries");
    print_journal(&this, at.record.created_at);
    Ok(ExitCode::SUCCESS)
}

fn describe_wait(w: &serde_json::Value) -> String {
    let until = w["until"]
        .as_i64()
        .map(|t| format!(" until {}", format_time(t)))
        .unwrap_or_default();
    match w["kind"].as_str() {
        Some("activity") if w["callback"] == true => format!(
            "callback for {} (token {}){until}",
            w["activity"].as_str().unwrap_or("?"),
            w["token"].as_str().unwrap_or("?")
        ),
        Some("activity") => format!(
            "{} ({})",
            w["activity"].as_str().unwrap_or("?"),
            w["callId"].as_str().unwrap_or("?")
        ),
        Some("timer") => format!("timer{until}"),
        Some("child") => format!(
            "sub-flow {} ({})",
            w["flow"].as_str().unwrap_or("?"),
            w["runId"].as_str().unwrap_or("?")
        ),
        _ => w.to_string(),
    }
}

fn print_journal(journal: &[JournalStep], start: i64) {
    for step in journal {
        for (i, e) in step.entries.iter().enumerate() {
            let n = if i == 0 {
                format!("{:>3}", step.step)
            } else {
                "   ".into()
            };
            let at = format!("+{}", format_duration(e.at - start));
            let what = match &e.kind {
                EntryKind::Started { input } => format!("started with {input}"),
                EntryKind::CallStarted {
                    call_id,
                    activity,
                    args,
                    attempt,
                    awaited,
                    line,
                } => format!(
                    "{}{activity}{args} attempt {attempt} [{call_id}]{}",
                    if *awaited { "await " } else { "call " },
                    line.map(|l| format!(" line {l}")).unwrap_or_default()
                ),
                EntryKind::CallAcknowledged { activity, .. } => {
                    format!("{activity} started; waiting for its callback")
                }
                EntryKind::CallCompleted {
                    activity,
                    value,
                    how,
                    duration_ms,
                    ..
                } => {
                    format!(
                        "{activity} {how} {value} after {}",
                        format_duration(*duration_ms)
                    )
                }
                EntryKind::CallFailed {
                    activity,
                    attempt,
                    error,
                    retry_at,
                    ..
                } => format!(
                    "{activity} attempt {attempt} failed: {error}{}",
                    retry_at
                        .map(|t| format!("; next attempt at +{}", format_duration(t - start)))
                        .unwrap_or_default()
                ),
                EntryKind::TimerStarted { until } => {
                    format!("timer until +{}", format_duration(until - start))
                }
                EntryKind::TimerFired { key } => format!("timer {key} fired"),
                EntryKind::Now { value } => format!("now() = {}", format_time(*value)),
                EntryKind::ChildStarted { run_id, flow } => {
                    format!("sub-flow {flow} started ({run_id})")
                }
                EntryKind::ChildFinished { run_id, result } => match result {
                    Some(r) => format!("sub-flow {run_id} returned {r}"),
                    None => format!("sub-flow {run_id} was cancelled"),
                },
                EntryKind::Failed { error, location } => format!(
                    "FAILED: {error}{}",
                    location
                        .as_ref()
                        .map(|l| format!(" at {}:{}", l.file, l.line))
                        .unwrap_or_default()
                ),
                EntryKind::Retried => "operator: retry".into(),
                EntryKind::Resolved { value } => format!("operator: resolved with {value}"),
                EntryKind::Completed { result } => format!("completed with {result}"),
                EntryKind::Cancelled { reason } => format!("cancelled: {reason}"),
                EntryKind::Forked { from, step } => {
                    format!("forked from run {from} after its step {step}")
                }
                EntryKind::Upgraded { by, from, to, .. } => {
                    format!("upgraded from version {from} to {to} by {by}")
                }
            };
            println!("  {n} {at:>10}  {what}");
        }
    }
}

/// An operator's action on a data directory. Tasks it creates (a retried
/// call) are carried out by the next process that serves the directory.
pub fn act(data_dir: &Path, id: &str, event: Event) -> anyhow::Result<ExitCode> {
    let dir = data::open_for_writing(data_dir)?;
    let mut host = Host::new(dir.store.clone(), Box::new(weft_runtime::ids::OsEntropy));
    let now = weft_runtime::runtime::now_ms();
    match host.deliver(id, event, now) {
        Ok(()) => {}
        Err(weft_runtime::HostError::UnknownRun(id)) => {
            eprintln!("weft: no run with id {id}");
            return Ok(ExitCode::from(1));
        }
        Err(weft_runtime::HostError::Action(e)) => {
            eprintln!("weft: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    }
    commit(&mut host, dir.store.as_ref())?;
    let rec = host.record(id)?.context("the run disappeared")?;
    println!("run {} is {}", rec.id, rec.status.as_str());
    let pending = host
        .recover_tasks()?
        .into_iter()
        .filter(|t| t.run_id == rec.id)
        .count();
    if pending > 0 {
        println!(
            "{pending} call(s) wait for a worker: they run when `weft serve` runs on {}",
            data_dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft runs fork ID --step N [--version V]` on a data directory: the
/// new run's id and status, or exit 1 with why it was refused (the live
/// upgrade checker's reasons, one a line).
pub fn fork(
    data_dir: &Path,
    id: &str,
    step: i64,
    version: Option<i64>,
) -> anyhow::Result<ExitCode> {
    use weft_runtime::HostError;
    let dir = data::open_for_writing(data_dir)?;
    let mut host = Host::new(dir.store.clone(), Box::new(weft_runtime::ids::OsEntropy));
    let by = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    let fork = match host.fork(id, step, version, &by, weft_runtime::runtime::now_ms()) {
        Ok(fork) => fork,
        Err(HostError::ForkRefused {
            from, to, reasons, ..
        }) => {
            eprintln!(
                "weft: run {id}'s state after step {step} cannot move from version {from} to {to}:"
            );
            for r in reasons {
                eprintln!("  - {r}");
            }
            return Ok(ExitCode::from(1));
        }
        Err(
            e @ (HostError::UnknownRun(_)
            | HostError::UnknownVersion(_)
            | HostError::FlowNotInVersion { .. }
            | HostError::Fork(_)
            | HostError::Travel(_)),
        ) => {
            eprintln!("weft: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    commit(&mut host, dir.store.as_ref())?;
    let rec = host.record(&fork)?.context("the new run disappeared")?;
    println!(
        "run {} (forked from {id} after step {step}, version {}) is {}",
        rec.id,
        rec.version,
        rec.status.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

/// `weft callback`: completes an awaited call by its token.
pub fn callback(data_dir: &Path, token: &str, value: &str) -> anyhow::Result<ExitCode> {
    let value: serde_json::Value =
        serde_json::from_str(value).context("--value is not valid JSON")?;
    let dir = data::open_for_writing(data_dir)?;
    let mut host = Host::new(dir.store.clone(), Box::new(weft_runtime::ids::OsEntropy));
    match host.callback(token, value, weft_runtime::runtime::now_ms()) {
        Ok(run_id) => {
            commit(&mut host, dir.store.as_ref())?;
            let rec = host.record(&run_id)?.context("the run disappeared")?;
            println!("run {} is {}", rec.id, rec.status.as_str());
            Ok(ExitCode::SUCCESS)
        }
        Err(weft_runtime::HostError::Callback(e)) => {
            eprintln!("weft: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

fn commit(host: &mut Host, store: &dyn Store) -> anyhow::Result<()> {
    while host.has_work() {
        let (no, batch, _effects) = host.take_batch();
        store.commit(&batch)?;
        host.committed(no);
    }
    Ok(())
}

/// Parses `--value` for `resolve`.
pub fn parse_value(v: Option<&str>) -> anyhow::Result<serde_json::Value> {
    match v {
        Some(v) => serde_json::from_str(v).context("--value is not valid JSON"),
        None => bail!("resolve needs --value JSON: the value the failed call returns"),
    }
}

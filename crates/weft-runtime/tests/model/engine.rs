//! Runs a program through the host in the simulator, with crashes injected
//! at chosen points, and observes what the store ends up holding.

use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use weft_engine::state::{EntryKind, Status};
use weft_engine::Task;
use weft_runtime::sim::{Fault, Faults, Sim, EPOCH_MS};
use weft_store::{MemoryStore, RunQuery, RunRecord, SourceText, Store};

use super::eval::Counts;
use super::script;

/// Steps a simulation may take after the last crash, at most, before it
/// counts as not settling (generated programs need a few hundred).
pub const STEPS_MAX: usize = 100_000;

/// The input every generated flow starts with.
pub fn input() -> Json {
    serde_json::json!({"n": 7, "s": "in"})
}

/// What one simulation produced.
#[derive(Clone, Debug)]
pub struct Observed {
    /// The flow's run.
    pub main: RunRecord,
    /// Every sub-flow run as `(flow, status, result)`, sorted.
    pub children: Vec<(String, Status, Option<Json>)>,
    /// Calls by activity, from the journals of all runs.
    pub calls: BTreeMap<String, Counts>,
    /// Broken invariants (journals, call ids, settling), one line each.
    pub problems: Vec<String>,
    /// Tasks and timers the store still holds after the end, one line each.
    pub leftovers: Vec<String>,
    /// Crashes that happened (a plan's crash after the end is skipped).
    pub crashes: usize,
    /// Steps the last stretch took.
    pub steps: usize,
    /// Faults injected, by kind (see [`run_with_faults`]).
    #[allow(dead_code)] // read by sim_faults.rs, not by crash_model.rs
    pub injected: BTreeMap<Fault, usize>,
    /// Injected live upgrades: runs moved, runs refused.
    #[allow(dead_code)] // read by sim_faults.rs, not by crash_model.rs
    pub upgrades: (usize, usize),
}

/// How a simulation is set up.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    /// The simulator's seed (ids, tokens, back-off jitter).
    pub seed: u64,
    /// Deliveries due at one instant that share a commit, at most.
    pub deliveries_per_commit: usize,
}

/// Runs `source`'s `Main` with crashes after each of `crashes` steps (see
/// [`Sim::run_steps`]), then to the end.
pub fn run(source: &str, setup: Setup, crashes: &[usize]) -> Observed {
    run_with_faults(source, setup, crashes, None)
}

/// [`run`], with `faults` injected once the run's start is committed.
/// When they include [`Fault::Upgrade`], a second version of the program
/// is deployed first ([`edited`]), and upgrades move runs onto it.
pub fn run_with_faults(
    source: &str,
    setup: Setup,
    crashes: &[usize],
    faults: Option<Faults>,
) -> Observed {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut sim = Sim::new(
        store.clone(),
        setup.seed,
        Box::new(|t: &Task, _| script::answer(t)),
    );
    sim.deliveries_per_commit = setup.deliveries_per_commit;
    // Property 5 holds in every build, not only in debug ones.
    sim.check_invariants = true;
    sim.host
        .deploy(
            &[SourceText {
                name: "main.weft".into(),
                text: source.into(),
            }],
            EPOCH_MS,
        )
        .unwrap_or_else(|e| panic!("the generated program does not deploy: {e}\n{source}"));
    let started = sim
        .host
        .start_run("Main", input(), None, sim.now)
        .expect("starts");
    // The run exists once its start is committed (the API answers then).
    sim.flush().expect("commits");
    if let Some(mut faults) = faults {
        if faults.rates.contains_key(&Fault::Upgrade) {
            let v2 = sim
                .host
                .deploy(
                    &[SourceText {
                        name: "main.weft".into(),
                        text: edited(source),
                    }],
                    EPOCH_MS,
                )
                .expect("the second version deploys");
            faults.upgrade_to = Some(v2.version);
        }
        sim.inject(faults);
    }
    let mut problems = Vec::new();
    let mut done = 0;
    for &n in crashes {
        if sim.run_steps(n).expect("steps") {
            break;
        }
        let before = sim.dispatched.len();
        sim.crash().expect("restarts");
        done += 1;
        // A task dispatched again after the crash is one that went out
        // before it, unchanged: same call id, attempt, arguments and token.
        for again in &sim.dispatched[before..] {
            if !sim.dispatched[..before]
                .iter()
                .any(|d| d.task == again.task)
            {
                problems.push(format!(
                    "after crash {done}, task {} attempt {} was dispatched, but no such task went out before",
                    again.task.call_id, again.task.attempt
                ));
            }
        }
    }
    let mut steps = 0;
    while steps < STEPS_MAX && !sim.run_steps(1).expect("steps") {
        steps += 1;
    }
    if steps == STEPS_MAX {
        problems.push(format!("still busy after {STEPS_MAX} steps"));
    }
    check_dispatches(&sim.dispatched, &mut problems);
    // The only delivery the host may refuse is a callback that comes late
    // or twice (a wait that timed out, a callback sent again).
    for e in &sim.errors {
        if !e.contains("already completed") {
            problems.push(format!("a delivery was refused: {e}"));
        }
    }

    let runs = store
        .list_runs(&RunQuery {
            limit: 100_000,
            ..RunQuery::default()
        })
        .expect("lists")
        .runs;
    let mut calls: BTreeMap<String, Counts> = BTreeMap::new();
    let mut children = Vec::new();
    let mut main = None;
    for r in &runs {
        check_journal(&*store, r, &mut calls, &mut problems);
        check_replay(&*store, r, &mut problems);
        if r.id == started.run_id {
            main = Some(r.clone());
        } else {
            children.push((r.flow.clone(), r.status, r.result.clone()));
        }
    }
    children.sort_by_key(|c| format!("{c:?}"));
    // Once nothing more can happen, nothing may be left to happen.
    let mut leftovers = Vec::new();
    for t in store.tasks(None, 100).expect("tasks") {
        leftovers.push(format!(
            "task {} ({} attempt {}) is still outstanding after the end",
            t.call_id, t.activity, t.attempt
        ));
    }
    for t in store.due_timers(i64::MAX, 100).expect("timers") {
        leftovers.push(format!(
            "timer `{}` of run {} is still armed after the end",
            t.key, t.run_id
        ));
    }
    Observed {
        main: main.expect("the flow's run is stored"),
        children,
        calls,
        problems,
        leftovers,
        crashes: done,
        steps,
        injected: sim.injected.clone(),
        upgrades: sim.upgrades,
    }
}

/// Replaying a run's journal gives the state the store holds (but the
/// callback tokens, which a replay makes up, and the two meters `steps` and
/// `events`: an outside event that changes nothing, such as a result
/// delivered again after a crash, and a time slice that ends with no new
/// entry leave no journal step to count, so a replay may count fewer).
fn check_replay(store: &dyn Store, run: &RunRecord, problems: &mut Vec<String>) {
    let steps = store.journal(&run.id).expect("journal").len() as i64;
    let programs = |v: i64| weft_runtime::travel::compile_version(store, v);
    let replayed = match weft_runtime::travel::state_at(store, &programs, &run.id, steps) {
        Ok(s) => s.state,
        Err(e) => {
            problems.push(format!("run {} does not replay: {e}", run.id));
            return;
        }
    };
    let stored = store
        .load_run(&run.id)
        .expect("loads")
        .expect("stored")
        .state;
    let strip = |mut v: Json| {
        if let Some(calls) = v["calls"].as_object_mut() {
            for c in calls.values_mut() {
                c["token"] = Json::Null;
            }
        }
        if let Some(o) = v.as_object_mut() {
            o.remove("steps");
            o.remove("events");
        }
        v
    };
    // The stored form: compact since the compact form, JSON text before.
    let stored_json = weft_engine::state::snapshot_json(&stored, &run.id).expect("a snapshot");
    let want = strip(stored_json);
    let got = strip(serde_json::to_value(&replayed).expect("serializes"));
    if want != got {
        problems.push(format!(
            "run {} ({}) replays to another state than stored after {steps} steps:\n  stored   {want}\n  replayed {got}",
            run.id, run.flow
        ));
    }
}

/// A second version of `source` that computes the same, edited as people
/// edit: a comment on top (every line moves) and a step added after every
/// wait of each flow's body (before its closing `return`), so the code
/// differs and runs waiting anywhere before it can move.
pub fn edited(source: &str) -> String {
    let mut out = String::from("// version 2: the same results, one more step\n");
    for line in source.lines() {
        // A flow's own body is indented by four spaces; deeper lines are
        // in blocks, closures and inline sub-flows.
        if line.starts_with("    return ") {
            out.push_str("    upgraded_v2 = 1\n");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One call id names one operation: one run, one activity, one argument
/// list, one token, whatever the attempt and however often it went out.
fn check_dispatches(dispatched: &[weft_runtime::sim::Dispatched], problems: &mut Vec<String>) {
    let mut by_id: HashMap<&str, &Task> = HashMap::new();
    for d in dispatched {
        let t = &d.task;
        match by_id.get(t.call_id.as_str()) {
            None => {
                by_id.insert(&t.call_id, t);
            }
            Some(first) => {
                if first.run_id != t.run_id
                    || first.call != t.call
                    || first.activity != t.activity
                    || first.args != t.args
                    || first.callback_token != t.callback_token
                {
                    problems.push(format!(
                        "call id {} went out for two operations: {first:?} and {t:?}",
                        t.call_id
                    ));
                }
            }
        }
    }
}

/// Checks one run's journal and counts its calls.
fn check_journal(
    store: &dyn Store,
    run: &RunRecord,
    calls: &mut BTreeMap<String, Counts>,
    problems: &mut Vec<String>,
) {
    let mut attempts: HashSet<(String, u32)> = HashSet::new();
    let mut ops: HashMap<String, (String, Json)> = HashMap::new();
    let mut completed: HashSet<String> = HashSet::new();
    let mut ended: HashSet<(String, u32)> = HashSet::new();
    let mut finished = 0;
    for step in store.journal(&run.id).expect("journal") {
        for e in step.entries {
            if finished > 0 {
                problems.push(format!(
                    "run {}: {:?} after the run finished",
                    run.id, e.kind
                ));
            }
            match e.kind {
                EntryKind::Completed { .. } | EntryKind::Cancelled { .. } => finished += 1,
                // An attempt ends once: no activity result applied twice.
                EntryKind::CallFailed {
                    call_id, attempt, ..
                } if !ended.insert((call_id.clone(), attempt)) => {
                    problems.push(format!(
                        "run {}: attempt {attempt} of {call_id} failed twice",
                        run.id
                    ));
                }
                EntryKind::CallStarted {
                    call_id,
                    activity,
                    args,
                    attempt,
                    ..
                } => {
                    if !call_id.starts_with(&format!("{}-", run.id)) {
                        problems.push(format!(
                            "run {}: call id {call_id} is not the run's",
                            run.id
                        ));
                    }
                    if !attempts.insert((call_id.clone(), attempt)) {
                        problems.push(format!(
                            "run {}: attempt {attempt} of {call_id} started twice",
                            run.id
                        ));
                    }
                    let c = calls.entry(activity.clone()).or_default();
                    c.attempts += 1;
                    match ops.get(&call_id) {
                        None => {
                            c.calls += 1;
                            ops.insert(call_id, (activity, args));
                        }
                        Some(op) if *op != (activity.clone(), args.clone()) => {
                            problems.push(format!(
                                "run {}: call id {call_id} started as {op:?} and as {:?}",
                                run.id,
                                (activity, args)
                            ));
                        }
                        Some(_) => {}
                    }
                }
                EntryKind::CallCompleted {
                    call_id,
                    attempt,
                    how,
                    ..
                } => {
                    // A failed attempt may still end its call (caught,
                    // resolved, timed out), but never return as well.
                    if how == "returned" && ended.contains(&(call_id.clone(), attempt)) {
                        problems.push(format!(
                            "run {}: attempt {attempt} of {call_id} failed and returned",
                            run.id
                        ));
                    }
                    if !ops.contains_key(&call_id) {
                        problems.push(format!(
                            "run {}: call {call_id} completed but never started",
                            run.id
                        ));
                    }
                    if !completed.insert(call_id.clone()) {
                        problems.push(format!("run {}: call {call_id} completed twice", run.id));
                    }
                }
                _ => {}
            }
        }
    }
    // Every run finishes exactly once: a finished run's journal says so once.
    if run.status.is_terminal() && finished != 1 {
        problems.push(format!(
            "run {} is {} but its journal finishes it {finished} times",
            run.id,
            run.status.as_str()
        ));
    }
}

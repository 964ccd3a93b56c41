//! `weft serve --demo`: the example flows deployed, runs started every few
//! seconds, and activities answered from the examples' scenario files in
//! real time (an hour of scenario time is a second of demo time). Within a
//! minute there are runs completed, waiting for callbacks, and failed.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use weft_engine::state::Task;
use weft_runtime::sim::Answer;
use weft_runtime::{Dispatcher, HostError, ResultSink, Runtime};
use weft_scenario::{Mocks, Scenario};
use weft_store::{SourceText, Store};

use crate::queue::Queue;

/// Named texts: (file name, contents).
type Texts = &'static [(&'static str, &'static str)];

/// An example folder: its name, its flow files and its scenario files.
type Example = (&'static str, Texts, Texts);

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// Demo time runs this many times faster than scenario time.
pub const SPEEDUP: i64 = 3_600;

/// Shortest and longest demo delay of one answer.
pub const DELAY_MIN: Duration = Duration::from_millis(150);
/// See [`DELAY_MIN`].
pub const DELAY_MAX: Duration = Duration::from_secs(20);

/// Time between two runs the demo starts.
pub const START_EVERY: Duration = Duration::from_secs(2);

/// Runs whose scripted answers the demo remembers, at most.
pub const TRACKED_RUNS_MAX: usize = 10_000;

/// Time between two questions the demo creates (each `created` event
/// starts the seed's moderation through its trigger, examples/triggers).
pub const QUESTION_EVERY: Duration = Duration::from_secs(15);

/// The demo's own program: a schedule firing every minute, so a fresh
/// demo shows one on the triggers page (the examples declare triggers, and
/// no schedule, since `weft test` runs them without a clock).
pub const SCHEDULE_PROGRAM: (&str, &str) = (
    "demo-heartbeat.weft",
    r#"// weft serve --demo: a schedule that fires every minute.
flow DemoHeartbeat(tick) {
    return {schedule: tick.schedule, at: tick.at}
}

sdk.Schedule({
    name: "demo-heartbeat",
    every: 1m,
    run: "DemoHeartbeat",
    overlap: "skip",
    catchup: "last",
})
"#,
);

/// Questions the demo asks, in turn.
const QUESTIONS: &[&str] = &[
    "Is Weft durable?",
    "How do schedules catch up after downtime?",
    "Can a trigger start two flows?",
];

/// The examples' scenarios, parsed. Examples are deployed in order, so a
/// flow defined by two examples runs the later one's version; only that
/// example's scenarios script its runs.
fn scenarios() -> Vec<Scenario> {
    let mut owner: HashMap<String, &str> = HashMap::new();
    for (folder, files, _) in EXAMPLES {
        for (_, text) in *files {
            for flow in weft_syntax::parse(text).module.flows() {
                owner.insert(flow.name.name.clone(), folder);
            }
        }
    }
    let mut out = Vec::new();
    for (folder, _, scenarios) in EXAMPLES {
        for (name, yaml) in *scenarios {
            let path = Path::new(folder).join(name);
            if let Ok(s) = weft_scenario::parse(&path, yaml) {
                // Scenarios that only send commands start no run.
                if s.flow.as_ref().and_then(|f| owner.get(f)) == Some(folder) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// For each flow a trigger or a schedule starts (its runs have no
/// scenario input to be found by), the first scenario of its example that
/// starts no flow itself and scripts activities: the moderation's
/// scenarios send a command and script the run the trigger starts.
fn triggered_scenarios() -> HashMap<String, Scenario> {
    let mut out = HashMap::new();
    for (folder, files, scenarios) in EXAMPLES {
        let flows: Vec<String> = files
            .iter()
            .flat_map(|(_, text)| {
                weft_syntax::parse(text)
                    .module
                    .flows()
                    .map(|f| f.name.name.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        for (name, yaml) in *scenarios {
            let Ok(s) = weft_scenario::parse(&Path::new(folder).join(name), yaml) else {
                continue;
            };
            // A scenario without a flow starts its runs by what it sends
            // (commands, events); one that scripts activities scripts them.
            if s.flow.is_some() || s.activities.is_empty() {
                continue;
            }
            for f in &flows {
                out.entry(f.clone()).or_insert_with(|| s.clone());
            }
        }
    }
    out
}

/// True when a run was started by a trigger or a schedule (its key says so;
/// see `weft_server::events::run_origin`).
fn started_in_background(key: Option<&str>) -> bool {
    key.is_some_and(|k| k.starts_with("event:") || k.starts_with("schedule:"))
}

/// Creates a question every [`QUESTION_EVERY`]: its `created` event starts
/// `AutomaticModeration` through the seed's trigger.
fn ask_questions(runtime: Runtime) {
    tokio::spawn(async move {
        let mut n: u64 = weft_runtime::runtime::now_ms() as u64;
        loop {
            let text = QUESTIONS[(n % QUESTIONS.len() as u64) as usize];
            let req = weft_runtime::host::CommandRequest {
                machine: "question".into(),
                key: format!("demo-{n}"),
                command: "CreateQuestion".into(),
                input: serde_json::json!({"text": text, "author": "demo"}),
                command_id: None,
                reply: None,
            };
            if let Err(e) = runtime.send_command(req, Duration::from_secs(5)).await {
                tracing::error!(error = %e, "the demo could not create a question: {e}");
                return;
            }
            n += 1;
            tokio::time::sleep(QUESTION_EVERY).await;
        }
    });
}

/// Deploys the examples and starts the driver that starts runs.
pub async fn start(runtime: Runtime) -> Result<(), HostError> {
    let (name, text) = SCHEDULE_PROGRAM;
    if let Err(e) = runtime
        .deploy(vec![SourceText {
            name: name.into(),
            text: text.into(),
        }])
        .await
    {
        tracing::error!(error = %e, "the demo could not deploy its schedule: {e}");
    }
    for (folder, files, _) in EXAMPLES {
        let files: Vec<SourceText> = files
            .iter()
            .map(|(name, text)| SourceText {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect();
        // Seed flows that do not check (the as-written RegisterUser) are
        // not in these folders; a failure here is a bug worth hearing about.
        if let Err(e) = runtime.deploy(files).await {
            tracing::error!(example = %folder, error = %e, "the demo could not deploy {folder}: {e}");
        }
    }
    if EXAMPLES.iter().any(|(folder, _, _)| *folder == "triggers") {
        ask_questions(runtime.clone());
    }
    let all = scenarios();
    if all.is_empty() {
        return Ok(());
    }
    tokio::spawn(async move {
        let mut rng = weft_runtime::runtime::now_ms() as u64 | 1;
        loop {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let s = &all[(rng % all.len() as u64) as usize];
            let flow = s.flow.as_deref().unwrap_or_default();
            if let Err(e) = runtime.start_run(flow, s.input.clone(), None).await {
                tracing::error!(flow = %flow, error = %e, "the demo could not start {flow}: {e}");
                return;
            }
            tokio::time::sleep(START_EVERY).await;
        }
    });
    Ok(())
}

/// Scripted activities: each root run follows one scenario of its flow.
pub struct Activities {
    store: Arc<dyn Store>,
    queue: Arc<Queue>,
    rt: tokio::runtime::Handle,
    by_flow: HashMap<String, Vec<Scenario>>,
    triggered: HashMap<String, Scenario>,
    runs: Mutex<(HashMap<String, Mocks>, VecDeque<String>)>,
    runtime: Arc<OnceLock<Runtime>>,
}

impl Activities {
    /// The demo's activities; unscripted names go to `queue`.
    pub fn new(store: Arc<dyn Store>, queue: Arc<Queue>, rt: tokio::runtime::Handle) -> Activities {
        let mut by_flow: HashMap<String, Vec<Scenario>> = HashMap::new();
        for s in scenarios() {
            by_flow
                .entry(s.flow.clone().unwrap_or_default())
                .or_default()
                .push(s);
        }
        Activities {
            store,
            queue,
            rt,
            by_flow,
            triggered: triggered_scenarios(),
            runs: Mutex::new((HashMap::new(), VecDeque::new())),
            runtime: Arc::new(OnceLock::new()),
        }
    }

    /// The scenario a run follows: the one of its root flow whose input is
    /// the root run's input (the driver starts runs with scenario inputs).
    fn mocks_for(&self, run_id: &str) -> Option<Mocks> {
        let mut id = run_id.to_string();
        let mut rec = self.store.run(&id).ok()??;
        while let Some(parent) = rec.parent.clone() {
            id = parent;
            rec = self.store.run(&id).ok()??;
        }
        let mut g = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = g.0.get(&id) {
            return Some(m.clone());
        }
        let by_input = self
            .by_flow
            .get(&rec.flow)
            .and_then(|all| all.iter().find(|s| s.input == rec.input));
        // A run a trigger or schedule started follows its example's script.
        let s = match by_input {
            Some(s) => s,
            None if started_in_background(rec.idempotency_key.as_deref()) => {
                self.triggered.get(&rec.flow)?
            }
            None => return None,
        };
        let m = Mocks::new(s.activities.clone());
        g.0.insert(id.clone(), m.clone());
        g.1.push_back(id);
        if g.1.len() > TRACKED_RUNS_MAX {
            if let Some(old) = g.1.pop_front() {
                g.0.remove(&old);
            }
        }
        Some(m)
    }

    /// True when the run `run_id` (or its root) is one the demo started,
    /// so its activities are scripted.
    pub fn scripts(&self, run_id: &str) -> bool {
        self.mocks_for(run_id).is_some()
    }

    /// Gives the demo the runtime (for callbacks), once it exists.
    pub fn runtime_cell(&self) -> Arc<OnceLock<Runtime>> {
        self.runtime.clone()
    }
}

fn scaled(ms: i64) -> Duration {
    Duration::from_millis((ms / SPEEDUP).max(0) as u64).clamp(DELAY_MIN, DELAY_MAX)
}

impl Dispatcher for Activities {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        let Some(mocks) = self.mocks_for(&task.run_id) else {
            // Not a demo run (started through the API): workers serve it.
            self.queue.push(task, sink);
            return;
        };
        let answer = mocks.answer(&task);
        let runtime = self.runtime.clone();
        self.rt.spawn(async move {
            match answer {
                Answer::Return { value, after_ms } => {
                    tokio::time::sleep(scaled(after_ms)).await;
                    sink.complete(&task, value);
                }
                Answer::Fail {
                    error,
                    retryable,
                    after_ms,
                } => {
                    tokio::time::sleep(scaled(after_ms)).await;
                    sink.fail(&task, error, retryable);
                }
                Answer::Callback {
                    value,
                    ack_ms,
                    callback_ms,
                } => {
                    tokio::time::sleep(scaled(ack_ms)).await;
                    sink.complete(&task, serde_json::Value::Null);
                    if let (Some(v), Some(token)) = (value, task.callback_token.clone()) {
                        tokio::time::sleep(scaled(callback_ms.saturating_sub(ack_ms))).await;
                        if let Some(rt) = runtime.get() {
                            // A refusal means the wait ended first: fine.
                            let _ = rt.callback(&token, v).await;
                        }
                    }
                }
                Answer::Never => {}
            }
        });
    }

    fn cancel(&self, call_id: &str) {
        self.queue.cancel(call_id);
    }
}

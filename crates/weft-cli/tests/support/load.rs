//! What the fault tests (`crash.rs`, `cluster.rs`) share: the requests of
//! workers and clients to servers that may have just been killed (no
//! answer is no failure: the caller tries again, later or elsewhere), the
//! checks every run set must pass, and the problems found, reported
//! together at the end.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{json, Value};

/// Longest a worker's poll or report waits for a server that may be dead.
pub const WORKER_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest a start waits for its answer.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a caller pauses after a request got no answer.
pub const NO_ANSWER_PAUSE: Duration = Duration::from_millis(20);

/// Tasks a worker leases per poll.
pub const POLL_TASKS_MAX: usize = 8;

/// How long a poll waits for tasks to arrive (ms).
pub const POLL_WAIT_MS: u64 = 200;

/// How long the end of a test waits for each worker to stop.
pub const WORKER_STOP_MAX: Duration = Duration::from_secs(10);

/// Runs not completed that a timed-out test shows.
pub const STUCK_SHOWN: usize = 5;

/// Problems an assertion lists (the count says how many there were).
pub const PROBLEMS_SHOWN: usize = 30;

/// A task as a worker received it.
#[derive(Clone, Debug)]
pub struct Task {
    pub task_id: String,
    pub call_id: String,
    pub run_id: String,
    pub activity: String,
    pub args: Value,
    pub attempt: u64,
    /// When a callback is awaited: its token.
    pub callback_token: Option<String>,
}

impl Task {
    fn of(t: &Value) -> Task {
        let text = |k: &str| t[k].as_str().unwrap_or_default().to_string();
        Task {
            task_id: text("taskId"),
            call_id: text("callId"),
            run_id: text("runId"),
            activity: text("activity"),
            args: t["args"].clone(),
            attempt: t["attempt"].as_u64().unwrap_or(0),
            callback_token: t["callbackToken"].as_str().map(str::to_string),
        }
    }
}

/// Leases tasks of `activities` at `url` for `worker`. The list is rotated
/// by `turn`: a poll is served in the order it lists activities, and the
/// rotation keeps any step from waiting for the backlog of another.
/// `None`, after [`NO_ANSWER_PAUSE`], when the server did not answer.
pub async fn poll(
    client: &reqwest::Client,
    url: &str,
    activities: &[&str],
    turn: usize,
    worker: &str,
) -> Option<Vec<Task>> {
    let mut activities = activities.to_vec();
    let turn = turn % activities.len();
    activities.rotate_left(turn);
    let polled = client
        .post(format!("{url}/v1/tasks/poll"))
        .json(&json!({"activities": activities, "worker": worker, "max": POLL_TASKS_MAX, "waitMs": POLL_WAIT_MS}))
        .timeout(WORKER_REQUEST_TIMEOUT)
        .send()
        .await;
    let body: Option<Value> = match polled {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    };
    let Some(body) = body else {
        tokio::time::sleep(NO_ANSWER_PAUSE).await;
        return None;
    };
    let tasks = body["tasks"].as_array().cloned().unwrap_or_default();
    Some(tasks.iter().map(Task::of).collect())
}

/// Reports a task to the server at `url`: its value, or (`Err`) a failure
/// worth retrying. True when the server accepted it; otherwise the server
/// died, or the task moved on, and its lease runs out.
pub async fn report(
    client: &reqwest::Client,
    url: &str,
    task: &Task,
    outcome: Result<Value, &str>,
) -> bool {
    let id = &task.task_id;
    let req = match outcome {
        Ok(value) => client
            .post(format!("{url}/v1/tasks/{id}/complete"))
            .json(&json!({ "value": value })),
        Err(error) => client
            .post(format!("{url}/v1/tasks/{id}/fail"))
            .json(&json!({"error": error, "retryable": true})),
    };
    matches!(
        req.timeout(WORKER_REQUEST_TIMEOUT).send().await,
        Ok(r) if r.status().is_success()
    )
}

/// Sends one start of `flow` with an idempotency key to the server at
/// `url`: the answer's status and body, or `None`, after
/// [`NO_ANSWER_PAUSE`], when there was none.
pub async fn try_start(
    client: &reqwest::Client,
    url: &str,
    flow: &str,
    input: Value,
    key: &str,
) -> Option<(u16, Value)> {
    let sent = client
        .post(format!("{url}/v1/runs"))
        .json(&json!({"flow": flow, "input": input, "idempotencyKey": key}))
        .timeout(START_TIMEOUT)
        .send()
        .await;
    let Ok(r) = sent else {
        tokio::time::sleep(NO_ANSWER_PAUSE).await;
        return None;
    };
    let status = r.status().as_u16();
    Some((status, r.json().await.unwrap_or(Value::Null)))
}

/// Calls `send(n)` for every `n` in `0..count` from `senders` tasks at once,
/// each `copies` times over (a task takes `s`, `s + senders`, ... in
/// order); a task stops early when `send` returns false. Returns when every
/// task has ended.
pub async fn spread<F, Fut>(count: usize, senders: usize, copies: usize, send: F)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let mut tasks = Vec::new();
    for s in (0..senders).cycle().take(senders * copies) {
        let send = send.clone();
        tasks.push(tokio::spawn(async move {
            for n in (s..count).step_by(senders) {
                if !send(n).await {
                    return;
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// Tells the workers to stop and waits for them.
pub async fn stop_workers(stop: &AtomicBool, workers: Vec<tokio::task::JoinHandle<()>>) {
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = tokio::time::timeout(WORKER_STOP_MAX, w).await;
    }
}

/// How many runs there are, by status, and a few not completed: what a
/// test that ran out of time says.
pub fn unfinished(runs: &[Value]) -> String {
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for r in runs {
        *by_status
            .entry(r["status"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    let stuck: Vec<&Value> = runs
        .iter()
        .filter(|r| r["status"] != "completed")
        .take(STUCK_SHOWN)
        .collect();
    format!(
        "{} runs exist, by status {by_status:?}; some not completed: {stuck:#?}",
        runs.len()
    )
}

/// The runs by idempotency key; a key on two runs is a problem.
pub fn by_key<'a>(runs: &'a [Value], problems: &mut Problems) -> BTreeMap<String, &'a Value> {
    let mut by_key = BTreeMap::new();
    for r in runs {
        let key = r["idempotencyKey"].as_str().unwrap_or("(none)").to_string();
        if let Some(other) = by_key.insert(key.clone(), r) {
            problems.push(format!(
                "two runs with key {key}: {} and {}",
                other["id"], r["id"]
            ));
        }
    }
    by_key
}

/// Each timer of run `id` fired at most once, and its one `Sleep` exactly
/// once.
pub fn check_timers(id: &str, entries: &[Value], problems: &mut Problems) {
    let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries.iter().filter(|e| e["type"] == "timerFired") {
        *fired
            .entry(e["key"].as_str().unwrap_or_default())
            .or_default() += 1;
    }
    if fired.values().any(|c| *c > 1) {
        problems.push(format!("run {id}: a timer fired more than once: {fired:?}"));
    }
    if fired.keys().filter(|k| k.starts_with("sleep:")).count() != 1 {
        problems.push(format!(
            "run {id}: the Sleep did not fire exactly once: {fired:?}"
        ));
    }
}

/// What a test found wrong, asserted empty at its end.
#[derive(Default)]
pub struct Problems(Vec<String>);

impl Problems {
    pub fn push(&mut self, problem: String) {
        self.0.push(problem);
    }

    /// Answers that were neither a success nor a refusal the test expects,
    /// as one problem (with a few of them).
    pub fn odd(&mut self, what: &str, answers: &[String]) {
        if !answers.is_empty() {
            self.push(format!(
                "{} {what}, e.g. {:?}",
                answers.len(),
                &answers[..answers.len().min(5)]
            ));
        }
    }

    /// Asserts there are none; `context` says how to replay the test,
    /// `logs` are the servers' last words.
    #[track_caller]
    pub fn assert_none(&self, context: &str, logs: &str) {
        assert!(
            self.0.is_empty(),
            "{} problem(s); {context}:\n{}\nserver logs:\n{logs}",
            self.0.len(),
            self.0
                .iter()
                .take(PROBLEMS_SHOWN)
                .map(|p| format!("  - {p}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
}

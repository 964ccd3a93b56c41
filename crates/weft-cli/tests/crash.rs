//! Crash tests of the real `weft serve`: the server is killed with SIGKILL at
//! random moments while runs are in flight and restarted on the same data
//! directory, and the test checks what Weft promises: a crash loses nothing
//! and repeats no completed step; activities run at least once with a call
//! id stable across redeliveries; results are recorded exactly once.
//!
//! The workers are HTTP clients inside the test, as a worker written in any
//! language would be. Kill times come from a seeded generator; the seed is
//! printed, and `WEFT_CRASH_SEED=<n>` replays a schedule.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod support;
use support::load::{self, Problems, Task};
use support::{first_arg, id_of, int, seed, Launch, Rng, Server, TempDir};

// ----- the crash test -----

/// Runs started (and checked) by the crash test.
const RUNS: usize = 200;

/// Every run is completed within this, kills and restarts included.
const DEADLINE: Duration = Duration::from_secs(90);

/// Worker tasks polling the server.
const WORKERS: usize = 6;

/// How long a worker works on a task (ms, uniform in the range).
const WORK_MS: (u64, u64) = (5, 25);

/// Runs arrive one every this many ms (run `n` is due `n` times this after
/// the first), so kills find runs at every step, starts among them.
const ARRIVAL_MS: u64 = 10;

/// Concurrent senders of starts.
const STARTERS: usize = 8;

/// Copies of each start sent at once, as a client does that retries before
/// its first attempt was answered.
const START_COPIES: usize = 2;

const ACTIVITIES: [&str; 5] = ["Step1", "Step2", "Left", "Right", "Step4"];

/// Activity calls one run makes: one `callCompleted` each.
const CALLS_PER_RUN: usize = ACTIVITIES.len();

/// Sequential calls, a retried call, two calls in parallel, and a durable
/// timer between them.
const FLOW: &str = r#"flow Crash(input) {
    a = Step1(input.n)
    b = Step2(a.v) @retry(3, backoff: 100ms)
    both = WaitAll([Left(b.v), Right(b.v)])
    Sleep(200ms)
    d = Step4({l: both.results[0].v, r: both.results[1].v})
    return {n: input.n, d: d.v}
}
"#;

/// What an activity returns: a function of (activity, arguments) only, so
/// redelivered tasks get the same answers and every result is known.
fn answer(activity: &str, args: &Value) -> Value {
    let arg = first_arg(args);
    let v = match activity {
        "Step1" => 3 * int(arg) + 1,
        "Step2" => int(arg) + 7,
        "Left" => 2 * int(arg),
        "Right" => 5 * int(arg),
        "Step4" => int(&arg["l"]) + int(&arg["r"]),
        other => panic!("a task of an activity the flow does not call: {other}"),
    };
    json!({ "v": v })
}

/// `Step2` fails its first attempt for a quarter of the runs, so `@retry`
/// (and its durable back-off timer) is crossed by kills too.
fn flaky(activity: &str, args: &Value, attempt: u64) -> bool {
    activity == "Step2" && attempt == 1 && int(first_arg(args)) % 4 == 0
}

/// The result run `n` must end with.
fn expected(n: i64) -> Value {
    let a = 3 * n + 1;
    let b = a + 7;
    json!({"n": n, "d": 2 * b + 5 * b})
}

/// A task as a worker received it.
#[derive(Clone, Debug)]
struct Delivery {
    task: Task,
    /// The server generation whose queue handed it out.
    generation: usize,
}

/// What the test's tasks share.
struct Shared {
    /// The current server's address and generation: workers and starters
    /// follow it across restarts.
    current: RwLock<(String, usize)>,
    stop: AtomicBool,
    deliveries: Mutex<Vec<Delivery>>,
    /// Answers to starts per idempotency key: (HTTP status, run id).
    starts: Mutex<BTreeMap<usize, Vec<(u16, String)>>>,
    /// Answers to starts that were neither 200 nor 201 nor a dead server.
    odd_starts: Mutex<Vec<String>>,
    completions_accepted: AtomicUsize,
}

impl Shared {
    fn current(&self) -> (String, usize) {
        self.current.read().unwrap().clone()
    }
}

async fn worker(no: usize, seed: u64, client: reqwest::Client, shared: Arc<Shared>) {
    let name = format!("worker-{no}");
    let mut rng = Rng(seed ^ (no as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut polls = no;
    while !shared.stop.load(Ordering::SeqCst) {
        let (url, generation) = shared.current();
        polls += 1;
        // None: the server is down (killed); the next one comes.
        let Some(tasks) = load::poll(&client, &url, &ACTIVITIES, polls, &name).await else {
            continue;
        };
        for task in tasks {
            shared.deliveries.lock().unwrap().push(Delivery {
                task: task.clone(),
                generation,
            });
            // The work itself: long enough that runs stay in flight across
            // several kills.
            tokio::time::sleep(Duration::from_millis(rng.range(WORK_MS.0, WORK_MS.1))).await;
            // Report to the server of now (it may have been restarted while
            // this worker held the task, as a worker behind a stable
            // address would).
            let (url, _) = shared.current();
            let outcome = if flaky(&task.activity, &task.args, task.attempt) {
                Err("flaky on its first attempt")
            } else {
                Ok(answer(&task.activity, &task.args))
            };
            if load::report(&client, &url, &task, outcome).await {
                shared.completions_accepted.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Sends the start of every run ([`START_COPIES`] at once, each once it is
/// due: `first` plus its arrival offset) to server `generation` until each
/// has an answer, or until that server is replaced (killed: the next round
/// sends them all again, with the same idempotency keys).
async fn start_round(
    client: reqwest::Client,
    shared: Arc<Shared>,
    generation: usize,
    first: tokio::time::Instant,
) {
    load::spread(RUNS, STARTERS, START_COPIES, move |n| {
        let (client, shared) = (client.clone(), shared.clone());
        async move {
            tokio::time::sleep_until(first + Duration::from_millis(n as u64 * ARRIVAL_MS)).await;
            loop {
                let (url, current) = shared.current();
                if current != generation {
                    return false;
                }
                let key = format!("run-{n}");
                let Some((status, body)) =
                    load::try_start(&client, &url, "Crash", json!({"n": n}), &key).await
                else {
                    continue;
                };
                if status == 200 || status == 201 {
                    let id = body["id"].as_str().unwrap_or_default().to_string();
                    let mut starts = shared.starts.lock().unwrap();
                    starts.entry(n).or_default().push((status, id));
                    return true;
                }
                shared
                    .odd_starts
                    .lock()
                    .unwrap()
                    .push(format!("run-{n}: {status} {body}"));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    })
    .await;
}

async fn completed_count(client: &reqwest::Client, url: &str) -> Option<usize> {
    let r = client
        .get(format!("{url}/v1/runs?status=completed&limit=1000"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .ok()?;
    let v: Value = r.json().await.ok()?;
    Some(v["runs"].as_array()?.len())
}

/// What happened, for the summary and failure messages.
#[derive(Default)]
struct Tally {
    seed: u64,
    kills: usize,
    /// Per kill: (ms since the test started, runs completed just before).
    kill_log: Vec<(u128, usize)>,
    restarts: usize,
}

impl Tally {
    fn describe(&self) -> String {
        format!(
            "seed {} (replay with WEFT_CRASH_SEED={}), {} kill(s) at (ms, runs completed before) {:?}, {} restart(s)",
            self.seed, self.seed, self.kills, self.kill_log, self.restarts
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_200_runs_are_in_flight_loses_and_repeats_nothing() {
    let t0 = Instant::now();
    let mut tally = Tally {
        seed: seed(),
        ..Tally::default()
    };
    eprintln!(
        "crash test: seed {} (replay with WEFT_CRASH_SEED={})",
        tally.seed, tally.seed
    );
    let mut rng = Rng(tally.seed);
    let dir = TempDir::new("crash-runs");
    let client = reqwest::Client::new();

    let mut server = Server::start(Launch::data(dir.path())).await;
    // When each generation of the server was spawned.
    let mut spawned_ms = vec![server.spawned_ms];
    server.api().deploy(FLOW).await;

    let shared = Arc::new(Shared {
        current: RwLock::new((server.url.clone(), 0)),
        stop: AtomicBool::new(false),
        deliveries: Mutex::default(),
        starts: Mutex::default(),
        odd_starts: Mutex::default(),
        completions_accepted: AtomicUsize::new(0),
    });
    let workers: Vec<_> = (0..WORKERS)
        .map(|i| tokio::spawn(worker(i, tally.seed, client.clone(), shared.clone())))
        .collect();
    let first_arrival = tokio::time::Instant::now();
    let mut round = tokio::spawn(start_round(
        client.clone(),
        shared.clone(),
        0,
        first_arrival,
    ));

    // Kill at random moments while runs are in flight.
    let kills_planned = rng.range(5, 8) as usize;
    while tally.kills < kills_planned {
        tokio::time::sleep(Duration::from_millis(rng.range(100, 700))).await;
        let done = completed_count(&client, &server.url).await.unwrap_or(0);
        if done == RUNS {
            // Nothing left in flight: a kill now would test nothing.
            break;
        }
        server.kill();
        tally.kills += 1;
        tally.kill_log.push((t0.elapsed().as_millis(), done));
        server = Server::start(Launch::data(dir.path())).await;
        tally.restarts += 1;
        spawned_ms.push(server.spawned_ms);
        let generation = spawned_ms.len() - 1;
        *shared.current.write().unwrap() = (server.url.clone(), generation);
        // Starts may have been lost before their answer: send them all
        // again; the keys make that safe.
        round = tokio::spawn(start_round(
            client.clone(),
            shared.clone(),
            generation,
            first_arrival,
        ));
    }

    // Let every run finish on the last server.
    let deadline = t0 + DEADLINE;
    loop {
        let done = completed_count(&client, &server.url).await.unwrap_or(0);
        if done == RUNS && round.is_finished() {
            break;
        }
        if Instant::now() >= deadline {
            let runs = server.api().list_all_runs("").await;
            let answered = shared.starts.lock().unwrap().len();
            panic!(
                "after {DEADLINE:?}, {done} of {RUNS} runs completed, {answered} keys answered; {}\n{}\nserver log:\n{}",
                tally.describe(),
                load::unfinished(&runs),
                server.log_tail()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = round.await;
    load::stop_workers(&shared.stop, workers).await;
    let finished_in = t0.elapsed();

    // ----- checks -----
    let mut problems = Problems::default();

    // Exactly the 200 runs, each with its key, all completed, with the
    // result its input implies.
    let api = server.api();
    let runs = api.list_all_runs("").await;
    if runs.len() != RUNS {
        problems.push(format!("{} runs exist, not {RUNS}", runs.len()));
    }
    let by_key = load::by_key(&runs, &mut problems);
    let ids: BTreeSet<String> = runs
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    if ids.len() != runs.len() {
        problems.push(format!(
            "the list shows {} runs but {} distinct ids",
            runs.len(),
            ids.len()
        ));
    }
    let starts = shared.starts.lock().unwrap().clone();
    let mut created_answers = 0;
    for n in 0..RUNS {
        let key = format!("run-{n}");
        let Some(run) = by_key.get(&key) else {
            problems.push(format!("no run has key {key} (a lost run)"));
            continue;
        };
        if run["status"] != "completed" {
            problems.push(format!("{key} is {}", run["status"]));
        }
        let want = expected(n as i64);
        if run["result"] != want {
            problems.push(format!("{key}: result {} (expected {want})", run["result"]));
        }
        if run["input"] != json!({ "n": n }) {
            problems.push(format!("{key}: input {}", run["input"]));
        }
        // Every answer to a start of this key named this run: a start that
        // was acknowledged was not lost, and no key made a second run.
        for (status, id) in starts.get(&n).map(Vec::as_slice).unwrap_or_default() {
            if *status == 201 {
                created_answers += 1;
            }
            if run["id"] != json!(id) {
                problems.push(format!(
                    "{key}: a start was answered {status} with run {id}, but the run is {}",
                    run["id"]
                ));
            }
        }
    }
    if created_answers > RUNS {
        problems.push(format!(
            "{created_answers} starts were answered 201 Created for {RUNS} keys"
        ));
    }
    problems.odd(
        "start(s) answered neither 200 nor 201",
        &shared.odd_starts.lock().unwrap(),
    );

    // Each journal records each call's result exactly once, each failed
    // attempt and each timer's firing at most once.
    // (run id, activity) -> (call id, when its result was recorded).
    let mut recorded: HashMap<(String, String), (String, i64)> = HashMap::new();
    for id in &ids {
        let entries = api.journal(id).await;
        let n = runs
            .iter()
            .find(|r| r["id"] == json!(id))
            .and_then(|r| r["input"]["n"].as_i64())
            .unwrap_or(-1);
        let of_type =
            |t: &str| -> Vec<&Value> { entries.iter().filter(|e| e["type"] == t).collect() };
        load::check_timers(id, &entries, &mut problems);
        // Step2 fails its first attempt for some inputs, and only then.
        let step2_flaky = flaky("Step2", &json!([3 * n + 1]), 1);
        let failed = of_type("callFailed");
        let step2 = of_type("callCompleted")
            .into_iter()
            .find(|e| e["activity"] == "Step2")
            .map(|e| e["attempt"].clone());
        let (want_failed, want_attempt) = if step2_flaky { (1, 2) } else { (0, 1) };
        if failed.len() != want_failed || step2 != Some(json!(want_attempt)) {
            problems.push(format!(
                "run {id} (n = {n}): {} callFailed entries and Step2 completed by attempt {step2:?}; \
                 expected {want_failed} and attempt {want_attempt}",
                failed.len()
            ));
        }
        let completed: Vec<&Value> = entries
            .iter()
            .filter(|e| e["type"] == "callCompleted")
            .collect();
        let mut per_call: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &completed {
            let call = e["callId"].as_str().unwrap_or_default();
            *per_call.entry(call).or_default() += 1;
            let at = e["at"]
                .as_str()
                .and_then(weft_engine::time::parse_time)
                .unwrap_or(i64::MAX);
            let activity = e["activity"].as_str().unwrap_or_default().to_string();
            if recorded
                .insert((id.clone(), activity.clone()), (call.to_string(), at))
                .is_some()
            {
                problems.push(format!("run {id}: {activity} completed under two call ids"));
            }
        }
        for (call, count) in &per_call {
            if *count > 1 {
                problems.push(format!(
                    "run {id}: call {call} has {count} callCompleted entries"
                ));
            }
        }
        if completed.len() != CALLS_PER_RUN {
            problems.push(format!(
                "run {id}: {} callCompleted entries, the flow makes {CALLS_PER_RUN} calls",
                completed.len()
            ));
        }
    }

    // Every delivery of a step carried the same call id (the one whose
    // result was recorded), and no server started after a result was
    // recorded handed that call out again (a repeated completed step).
    let deliveries = shared.deliveries.lock().unwrap().clone();
    let mut per_step: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut per_task: HashMap<String, usize> = HashMap::new();
    let mut repeated_after_commit = Vec::new();
    for d in &deliveries {
        let t = &d.task;
        if !ids.contains(&t.run_id) {
            problems.push(format!(
                "a task of run {} was handed out, and no such run exists: {d:?}",
                t.run_id
            ));
        }
        if t.task_id != format!("{}.{}", t.call_id, t.attempt) {
            problems.push(format!("task id and call id disagree: {d:?}"));
        }
        per_step
            .entry((t.run_id.clone(), t.activity.clone()))
            .or_default()
            .insert(t.call_id.clone());
        *per_task.entry(t.task_id.clone()).or_default() += 1;
        if let Some((call, at)) = recorded.get(&(t.run_id.clone(), t.activity.clone())) {
            if *call != t.call_id {
                problems.push(format!(
                    "{d:?} was handed out, but the journal recorded the result of {call}"
                ));
            }
            if *at < spawned_ms[d.generation] {
                repeated_after_commit.push(format!(
                    "{} (recorded at {at}, handed out again by generation {} spawned at {})",
                    t.task_id, d.generation, spawned_ms[d.generation]
                ));
            }
        }
    }
    for ((run, activity), calls) in &per_step {
        if calls.len() > 1 {
            problems.push(format!(
                "run {run}: {activity} was handed out under call ids {calls:?}"
            ));
        }
    }
    problems.odd(
        "completed step(s) handed out again after a restart",
        &repeated_after_commit,
    );
    let redeliveries: usize = per_task.values().map(|n| n - 1).sum();
    let redelivered_tasks = per_task.values().filter(|n| **n > 1).count();
    if redeliveries == 0 {
        problems.push(format!(
            "no task was handed out twice: the kills ({}) did not land while tasks were in flight",
            tally.kills
        ));
    }

    let summary = format!(
        "crash test: runs={RUNS} kills={} restarts={} deliveries={} redeliveries={redeliveries} \
         redelivered_tasks={redelivered_tasks} completions_accepted={} duration={:.1}s seed={} \
         kill_log(ms,completed_before)={:?}",
        tally.kills,
        tally.restarts,
        deliveries.len(),
        shared.completions_accepted.load(Ordering::SeqCst),
        finished_in.as_secs_f64(),
        tally.seed,
        tally.kill_log
    );
    println!("{summary}");
    problems.assert_none(&tally.describe(), &server.log_tail());
}

// ----- a worker that dies holding a task -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_whose_worker_dies_is_leased_again_with_the_same_ids() {
    let dir = TempDir::new("crash-lease");
    let server = Server::start(Launch::data(dir.path()).config("lease = \"2s\"\n")).await;
    let api = server.api();
    api.deploy("flow One(x) {\n    r = Work(x)\n    return r\n}\n")
        .await;
    let run = api
        .post(
            "/v1/runs",
            json!({"flow": "One", "input": 7, "idempotencyKey": "lease-1"}),
        )
        .await
        .ok(201);
    let run_id = id_of(&run);

    let poll = |worker: &'static str, wait_ms: u64| {
        let api = api.clone();
        async move {
            let v = api
                .post(
                    "/v1/tasks/poll",
                    json!({"activities": ["Work"], "worker": worker, "max": 10, "waitMs": wait_ms}),
                )
                .await
                .ok(200);
            v["tasks"].as_array().cloned().unwrap_or_default()
        }
    };

    // Worker A takes the task, then dies: no answer, no heartbeat.
    let a = poll("worker-a", 5_000).await;
    let leased_at = Instant::now();
    assert_eq!(a.len(), 1, "{a:?}");
    let a = a[0].clone();
    assert_eq!(a["runId"], json!(run_id));
    // While A's lease lasts, nobody else gets the task.
    let early = poll("worker-b", 500).await;
    assert!(early.is_empty(), "leased to A, yet handed to B: {early:?}");
    // Once it ends, B gets the same task: same call id, same task id.
    let b = loop {
        let got = poll("worker-b", 1_000).await;
        if let Some(t) = got.first() {
            break t.clone();
        }
        assert!(
            leased_at.elapsed() < Duration::from_secs(15),
            "the task did not come back after A's 2 s lease ended:\n{}",
            server.log_tail()
        );
    };
    assert!(
        leased_at.elapsed() >= Duration::from_millis(1_500),
        "B got the task {:?} after A took it, before A's lease of 2 s ended",
        leased_at.elapsed()
    );
    for field in ["taskId", "callId", "runId", "activity", "args", "attempt"] {
        assert_eq!(a[field], b[field], "{field} changed: A {a} / B {b}");
    }

    api.complete(&b, json!({"done": 7})).await;
    let run = api.wait_for(&run_id, "completed").await;
    assert_eq!(run["result"], json!({"done": 7}));

    // A comes back from the dead: its answer is refused.
    api.try_complete(&a, json!({"done": "late"}))
        .await
        .error(404, "unknown_task");

    let journal = api.journal(&run_id).await;
    let completed: Vec<&Value> = journal
        .iter()
        .filter(|e| e["type"] == "callCompleted")
        .collect();
    assert_eq!(completed.len(), 1, "{journal:#?}");
    assert_eq!(completed[0]["callId"], a["callId"]);
    assert_eq!(completed[0]["value"], json!({"done": 7}));
    assert_eq!(
        api.run(&run_id).await["result"],
        json!({"done": 7}),
        "the late answer changed nothing"
    );
}

// ----- a client that retries while its first start is in flight -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_starts_with_one_key_make_one_run_and_it_completes() {
    const KEYS: usize = 100;
    const COPIES: usize = 4;
    let dir = TempDir::new("crash-dup-starts");
    let server = Server::start(Launch::data(dir.path())).await;
    let api = server.api();
    api.deploy("flow One(x) {\n    r = Work(x)\n    return r\n}\n")
        .await;

    // A worker answers every task, so each run can finish.
    let stop = Arc::new(AtomicBool::new(false));
    let worker = {
        let (client, url, stop) = (reqwest::Client::new(), server.url.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let Ok(r) = client
                    .post(format!("{url}/v1/tasks/poll"))
                    .json(&json!({"activities": ["Work"], "max": 50, "waitMs": 100}))
                    .send()
                    .await
                else {
                    continue;
                };
                let v: Value = r.json().await.unwrap_or(Value::Null);
                for t in v["tasks"].as_array().cloned().unwrap_or_default() {
                    let _ = client
                        .post(format!(
                            "{url}/v1/tasks/{}/complete",
                            t["taskId"].as_str().unwrap()
                        ))
                        .json(&json!({"value": {"done": first_arg(&t["args"])}}))
                        .send()
                        .await;
                }
            }
        })
    };

    // Every key is started COPIES times at once, as a client does that
    // retries before its first attempt was answered.
    let mut sends = Vec::new();
    for copy in 0..COPIES {
        for k in 0..KEYS {
            let api = api.clone();
            sends.push(tokio::spawn(async move {
                let r = api
                    .post(
                        "/v1/runs",
                        json!({"flow": "One", "input": k, "idempotencyKey": format!("dup-{k}")}),
                    )
                    .await;
                let body: Value = serde_json::from_str(&r.text).unwrap_or(Value::Null);
                (k, copy, r.status, body)
            }));
        }
    }
    let mut ids: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut created: BTreeMap<usize, usize> = BTreeMap::new();
    let mut problems = Problems::default();
    let mut refused = Vec::new();
    for s in sends {
        let (k, copy, status, body) = s.await.unwrap();
        match status {
            200 | 201 => {
                ids.entry(k)
                    .or_default()
                    .insert(body["id"].as_str().unwrap_or_default().to_string());
                if status == 201 {
                    *created.entry(k).or_default() += 1;
                }
            }
            _ => refused.push(format!("dup-{k} (copy {copy}): {status} {body}")),
        }
    }
    problems.odd("start(s) answered neither 200 nor 201", &refused);
    for (k, set) in &ids {
        if set.len() != 1 {
            problems.push(format!("dup-{k} was answered with runs {set:?}"));
        }
    }
    for (k, n) in &created {
        if *n != 1 {
            problems.push(format!("dup-{k} was answered 201 Created {n} times"));
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let runs = loop {
        let runs = api.list_all_runs("").await;
        if runs.len() == KEYS && runs.iter().all(|r| r["status"] == "completed")
            || Instant::now() > deadline
        {
            break runs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    stop.store(true, Ordering::SeqCst);
    let _ = worker.await;
    if runs.len() != KEYS {
        problems.push(format!("{} runs exist, not {KEYS}", runs.len()));
    }
    let stuck: Vec<String> = runs
        .iter()
        .filter(|r| r["status"] != "completed")
        .map(|r| format!("{} {}", r["idempotencyKey"], r["status"]))
        .collect();
    if !stuck.is_empty() {
        problems.push(format!(
            "{} run(s) not completed after 30 s: {stuck:?}",
            stuck.len()
        ));
    }
    let context = format!("{KEYS} keys started {COPIES} times each");
    problems.assert_none(&context, &server.log_tail());
}

// ----- machines: exact totals across kills -----

/// Commands the machines' crash test sends.
const MACHINE_COMMANDS: usize = 400;

/// Every command is applied within this, kills and restarts included.
const MACHINE_DEADLINE: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_commands_are_in_flight_keeps_every_total_exact() {
    use support::machines::{self as m, Answers, UrlOf};
    let t0 = Instant::now();
    let seed = seed();
    let mut rng = Rng(seed);
    let dir = TempDir::new("crash-machines");
    let client = reqwest::Client::new();
    let mut server = Server::start(Launch::data(dir.path())).await;
    server.api().deploy(m::SOURCE).await;
    let current = Arc::new(RwLock::new(server.url.clone()));
    let url_of: UrlOf = {
        let current = current.clone();
        Arc::new(move |_| current.read().unwrap().clone())
    };
    let answers = Arc::new(Answers::default());
    let weighers: Vec<_> = (0..2)
        .map(|i| {
            tokio::spawn(m::weigher(
                i,
                client.clone(),
                url_of.clone(),
                answers.clone(),
            ))
        })
        .collect();
    let senders = tokio::spawn(m::send_all(
        client.clone(),
        url_of.clone(),
        answers.clone(),
        MACHINE_COMMANDS,
    ));
    // Kill while commands are in flight.
    let mut kill_log = Vec::new();
    let kills_planned = rng.range(3, 6) as usize;
    while kill_log.len() < kills_planned {
        tokio::time::sleep(Duration::from_millis(rng.range(200, 900))).await;
        let answered = answers.answered();
        if answered == MACHINE_COMMANDS {
            break;
        }
        server.kill();
        kill_log.push((t0.elapsed().as_millis(), answered));
        server = Server::start(Launch::data(dir.path())).await;
        *current.write().unwrap() = server.url.clone();
    }
    loop {
        if senders.is_finished() {
            break;
        }
        if t0.elapsed() > MACHINE_DEADLINE {
            answers.stop.store(true, Ordering::SeqCst);
            panic!(
                "after {MACHINE_DEADLINE:?}, {} of {MACHINE_COMMANDS} commands answered; seed {seed}, \
                 kills (ms, answered before) {kill_log:?}\n{}",
                answers.answered(),
                server.log_tail()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = senders.await;
    answers.stop.store(true, Ordering::SeqCst);
    for w in weighers {
        let _ = tokio::time::timeout(load::WORKER_STOP_MAX, w).await;
    }
    let finished_in = t0.elapsed();
    let mut problems = Problems::default();
    m::check(&server.api(), &answers, MACHINE_COMMANDS, &mut problems).await;
    if answers.lost.load(Ordering::SeqCst) == 0 {
        problems.push("no kill landed while a command waited for its answer".into());
    }
    println!(
        "machines crash test: commands={MACHINE_COMMANDS} keys={} copies={} kills={} \
         answers_202={} answers_busy={} unanswered={} duration={:.1}s seed={seed} kill_log(ms,answered_before)={kill_log:?}",
        m::KEYS,
        m::COPIES,
        kill_log.len(),
        answers.pending.load(Ordering::SeqCst),
        answers.unavailable.load(Ordering::SeqCst),
        answers.lost.load(Ordering::SeqCst),
        finished_in.as_secs_f64(),
    );
    problems.assert_none(
        &format!("seed {seed} (replay with WEFT_CRASH_SEED={seed}), kills {kill_log:?}"),
        &server.log_tail(),
    );
}

// ----- events -----

/// Distinct event ids the events crash test posts.
const EVENTS: usize = 400;

/// Events per request.
const EVENTS_PER_POST: usize = 20;

/// Every event is answered within this, kills and restarts included.
const EVENTS_DEADLINE: Duration = Duration::from_secs(120);

/// A trigger on `placed` events of `orders`, and one more on the same
/// events: each event starts one run of each.
const EVENT_FLOWS: &str = r#"
flow Ship(event) {
    return {order: event.data.n}
}

flow Bill(event) {
    return {order: event.data.n}
}

sdk.TaskQueue({type: ["placed"], where: "orders", run: "Ship"})
sdk.TaskQueue({type: ["placed"], where: "orders", run: "Bill", name: "billing"})
"#;

/// Posts events `0..EVENTS` in requests of `EVENTS_PER_POST`, each request
/// twice at once (a client retrying before its first attempt was
/// answered), and each until it is answered (the server dies under it):
/// the answers say how many were new.
async fn post_events(client: reqwest::Client, url: Arc<RwLock<String>>) -> (usize, usize) {
    let (mut accepted, mut duplicates) = (0, 0);
    for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(EVENTS_PER_POST) {
        let events: Vec<Value> = chunk
            .iter()
            .map(|n| json!({"id": format!("order-{n}"), "type": "placed", "subject": "orders", "data": {"n": n}}))
            .collect();
        let body = json!({"events": events});
        loop {
            let base = url.read().unwrap().clone();
            let send = || {
                client
                    .post(format!("{base}/v1/events"))
                    .json(&body)
                    .timeout(Duration::from_secs(10))
                    .send()
            };
            let (a, b) = tokio::join!(send(), send());
            let mut answered = false;
            for r in [a, b].into_iter().flatten() {
                if r.status() == 200 {
                    let v: Value = r.json().await.unwrap_or(Value::Null);
                    accepted += int(&v["accepted"]) as usize;
                    duplicates += int(&v["duplicates"]) as usize;
                    answered = true;
                }
            }
            if answered {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    (accepted, duplicates)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_events_are_posted_starts_one_run_per_event_and_trigger() {
    let t0 = Instant::now();
    let seed = seed();
    let mut rng = Rng(seed);
    let dir = TempDir::new("crash-events");
    let client = reqwest::Client::new();
    let mut server = Server::start(Launch::data(dir.path())).await;
    server.api().deploy(EVENT_FLOWS).await;
    let url = Arc::new(RwLock::new(server.url.clone()));
    let poster = tokio::spawn(post_events(client.clone(), url.clone()));
    let mut kill_log = Vec::new();
    let kills_planned = rng.range(2, 5) as usize;
    while kill_log.len() < kills_planned && !poster.is_finished() {
        tokio::time::sleep(Duration::from_millis(rng.range(50, 400))).await;
        server.kill();
        kill_log.push(t0.elapsed().as_millis());
        server = Server::start(Launch::data(dir.path())).await;
        *url.write().unwrap() = server.url.clone();
    }
    let (accepted, duplicates) = loop {
        if poster.is_finished() {
            break poster.await.unwrap();
        }
        assert!(
            t0.elapsed() < EVENTS_DEADLINE,
            "events not all answered after {EVENTS_DEADLINE:?}; seed {seed}, kills at {kill_log:?} ms\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let api = server.api();
    // Every id is taken now: all of them again are duplicates.
    let events: Vec<Value> = (0..EVENTS_PER_POST)
        .map(|n| json!({"id": format!("order-{n}"), "type": "placed", "subject": "orders"}))
        .collect();
    let again = api
        .post("/v1/events", json!({"events": events}))
        .await
        .ok(200);
    assert_eq!(again, json!({"accepted": 0, "duplicates": EVENTS_PER_POST}));
    assert!(
        accepted <= EVENTS,
        "{accepted} events accepted of {EVENTS} distinct ids; seed {seed}"
    );
    assert!(duplicates >= EVENTS - accepted);
    for flow in ["Ship", "Bill"] {
        let runs = api.list_all_runs(&format!("&flow={flow}")).await;
        let keys: BTreeSet<String> = runs
            .iter()
            .map(|r| r["idempotencyKey"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            (runs.len(), keys.len()),
            (EVENTS, EVENTS),
            "{flow}: one run per event; seed {seed}, kills at {kill_log:?} ms"
        );
        let trigger = if flow == "Ship" { "Ship" } else { "billing" };
        for n in 0..EVENTS {
            let key = format!("event:{trigger}:order-{n}");
            assert!(keys.contains(&key), "{flow}: no run for {key}; seed {seed}");
        }
        for r in &runs {
            assert_eq!(r["status"], "completed", "{r}");
        }
    }
    eprintln!(
        "events crash test: seed {seed}, {} kills at {kill_log:?} ms, {accepted} accepted and \
         {duplicates} duplicates answered, {:?}",
        kill_log.len(),
        t0.elapsed()
    );
}

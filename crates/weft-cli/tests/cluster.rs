//! Fault tests of a cluster: three real `weft serve --database` nodes on
//! one PostgreSQL schema. Runs start on any node, workers poll any node and
//! callbacks arrive at any node. One node is killed with SIGKILL and
//! restarted while runs are in flight; in the second test PostgreSQL itself
//! is restarted. Every run must complete once, with the right result, and
//! no step may be recorded twice.
//!
//! They need a database: `WEFT_TEST_DATABASE_URL` (`.ci/run` sets it).
//! Without it the tests say why they skip; with `CI=true` they fail. The
//! PostgreSQL restart also needs `WEFT_TEST_PG_RESTART=1` and
//! `WEFT_TEST_PG_CLUSTER` ("15 main"), because it stops the server for
//! everyone using it.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::load::{self, Problems};
use support::{first_arg, in_ci, int, seed, Api, Launch, Rng, Server};

// ----- the database -----

const URL_VAR: &str = "WEFT_TEST_DATABASE_URL";

/// `None` (after saying why) when there is no database to test against;
/// a failure instead under `CI=true`.
fn database() -> Option<String> {
    let why = match std::env::var(URL_VAR) {
        Ok(url) => match connect(&url) {
            Ok(_) => return Some(url),
            Err(e) => format!("cannot connect to the database of {URL_VAR}: {e}"),
        },
        Err(_) => format!("{URL_VAR} is not set"),
    };
    if in_ci() {
        panic!("{why}. CI=true, so the cluster tests must run: .ci/run starts a local PostgreSQL and sets {URL_VAR}");
    }
    eprintln!("skipping: {why}; see .ci/run");
    None
}

fn connect(url: &str) -> Result<(), String> {
    sql(url, "SELECT 1").map(|_| ())
}

/// Runs one statement on a connection of its own, on a thread of its own
/// (the tests run inside a Tokio runtime, which must not block); returns
/// the first column of the first row, if it is a number.
fn sql(url: &str, statement: &str) -> Result<Option<i64>, String> {
    let (url, statement) = (url.to_string(), statement.to_string());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
        config.connect_timeout(Duration::from_secs(5));
        rt.block_on(async {
            let (client, conn) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| format!("{e}"))?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            let rows = client
                .simple_query(&statement)
                .await
                .map_err(|e| format!("{statement}: {e}"))?;
            Ok(rows.iter().find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => {
                    r.get(0).and_then(|v| v.parse::<i64>().ok())
                }
                _ => None,
            }))
        })
    })
    .join()
    .map_err(|_| "the database thread panicked".to_string())?
}

/// A schema of its own for one test, dropped at the end.
struct Schema {
    base: String,
    name: String,
    /// The database URL with `search_path` set to the schema.
    url: String,
}

impl Schema {
    fn create(base: &str, tag: &str) -> Schema {
        let name = format!(
            "weft_cluster_{tag}_{}_{:x}",
            std::process::id(),
            support::now_ms()
        );
        sql(base, &format!("CREATE SCHEMA {name}")).expect("the schema is created");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Schema {
            base: base.to_string(),
            name,
            url,
        }
    }

    fn count(&self, statement: &str) -> i64 {
        sql(&self.base, &statement.replace("{schema}", &self.name))
            .expect("the count query runs")
            .unwrap_or(-1)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // A failed test leaves its schema, to look at.
        if !std::thread::panicking() {
            let _ = sql(
                &self.base,
                &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            );
        }
    }
}

// ----- the workload -----

/// Sequential calls, a retried call, a durable timer and an awaited call
/// whose callback arrives through another node.
const FLOW: &str = r#"flow Job(input) {
    a = Step1(input.n) @retry(3, backoff: 100ms)
    Sleep(100ms)
    c = await Confirm(a.v) @timeout(1h)
    d = Step2(c.v)
    return {n: input.n, d: d.v}
}
"#;

const ACTIVITIES: [&str; 3] = ["Step1", "Confirm", "Step2"];

/// Calls per run, each recorded once (`callCompleted`).
const CALLS_PER_RUN: usize = 3;

fn answer(activity: &str, args: &Value) -> Value {
    let arg = first_arg(args);
    match activity {
        "Step1" => json!({"v": 3 * int(arg) + 1}),
        // The awaited call's acknowledgement; its value comes by callback.
        "Confirm" => json!({"started": true}),
        "Step2" => json!({"v": int(arg) + 7}),
        other => panic!("a task of an activity the flow does not call: {other}"),
    }
}

/// The callback's value for Confirm(x).
fn confirmation(x: i64) -> Value {
    json!({"v": x * 10})
}

/// Step1 fails its first attempt for every fifth run.
fn flaky(activity: &str, args: &Value, attempt: u64) -> bool {
    activity == "Step1" && attempt == 1 && int(first_arg(args)) % 5 == 0
}

fn expected(n: i64) -> Value {
    json!({"n": n, "d": (3 * n + 1) * 10 + 7})
}

/// Workers polling the nodes.
const WORKERS: usize = 6;

/// Concurrent senders of starts.
const STARTERS: usize = 8;

// ----- the cluster -----

/// The nodes' addresses, which change when a node is restarted (it listens
/// on a new free port). Requests to a dead node fail and go elsewhere.
struct Shared {
    urls: RwLock<Vec<String>>,
    stop: AtomicBool,
    /// (run id, activity) -> call ids handed out.
    deliveries: Mutex<BTreeMap<(String, String), BTreeSet<String>>>,
    deliveries_total: AtomicUsize,
    /// Idempotency key -> run ids the start answers named.
    starts: Mutex<BTreeMap<usize, BTreeSet<String>>>,
    odd: Mutex<Vec<String>>,
    callbacks_accepted: AtomicUsize,
    /// Answers 503 (the store is away) to starts and callbacks, retried.
    unavailable: AtomicUsize,
}

impl Shared {
    fn url(&self, i: usize) -> String {
        let urls = self.urls.read().unwrap();
        urls[i % urls.len()].clone()
    }
}

async fn worker(no: usize, seed: u64, client: reqwest::Client, shared: Arc<Shared>) {
    let mut rng = Rng(seed ^ (no as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut polls = no;
    while !shared.stop.load(Ordering::SeqCst) {
        polls += 1;
        // Each poll goes to the next node: tasks are in the store, so any
        // node can hand out any task.
        let url = shared.url(polls);
        let Some(tasks) = load::poll(&client, &url, &ACTIVITIES, polls, &format!("w{no}")).await
        else {
            continue;
        };
        for t in tasks {
            shared
                .deliveries
                .lock()
                .unwrap()
                .entry((t.run_id.clone(), t.activity.clone()))
                .or_default()
                .insert(t.call_id.clone());
            shared.deliveries_total.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(rng.range(1, 10))).await;
            // Report to another node than the one that handed it out.
            let outcome = if flaky(&t.activity, &t.args, t.attempt) {
                Err("flaky on its first attempt")
            } else {
                Ok(answer(&t.activity, &t.args))
            };
            if !load::report(&client, &shared.url(polls + 1), &t, outcome).await {
                continue;
            }
            if let Some(token) = &t.callback_token {
                // The awaited work "happens" elsewhere and its answer comes
                // back through yet another node, until some node takes it.
                let value = confirmation(int(first_arg(&t.args)));
                for k in 2..1200 {
                    let url = shared.url(polls + k);
                    let r = client
                        .post(format!("{url}/v1/callbacks/{token}"))
                        .json(&json!({ "value": value }))
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await;
                    match r.map(|r| r.status().as_u16()) {
                        Ok(200..=299) => {
                            shared.callbacks_accepted.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        // Spent: an earlier try got through before its answer was lost.
                        Ok(409) => break,
                        Ok(503) => {
                            shared.unavailable.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(s) => shared
                            .odd
                            .lock()
                            .unwrap()
                            .push(format!("callback {token}: {s}")),
                        Err(_) => {}
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

/// Starts runs `0..runs`, run n on node n mod 3 first; a start that gets no
/// answer goes to the next node with the same idempotency key.
async fn start_all(client: reqwest::Client, shared: Arc<Shared>, runs: usize) {
    load::spread(runs, STARTERS, 1, move |n| {
        let (client, shared) = (client.clone(), shared.clone());
        async move {
            for attempt in 0.. {
                let url = shared.url(n + attempt);
                let key = format!("job-{n}");
                let Some((status, body)) =
                    load::try_start(&client, &url, "Job", json!({"n": n}), &key).await
                else {
                    continue;
                };
                if status == 200 || status == 201 {
                    let id = body["id"].as_str().unwrap_or_default().to_string();
                    shared
                        .starts
                        .lock()
                        .unwrap()
                        .entry(n)
                        .or_default()
                        .insert(id);
                    break;
                }
                if status == 503 {
                    // The database is away (restarting): try again.
                    shared.unavailable.fetch_add(1, Ordering::SeqCst);
                } else {
                    shared
                        .odd
                        .lock()
                        .unwrap()
                        .push(format!("start job-{n}: {status} {body}"));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            true
        }
    })
    .await;
}

async fn completed_count(client: &reqwest::Client, shared: &Shared) -> Option<usize> {
    for i in 0..3 {
        let url = shared.url(i);
        let r = client
            .get(format!("{url}/metrics"))
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        let Ok(r) = r else { continue };
        let Ok(text) = r.text().await else { continue };
        // weft_runs{status="completed"} N
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("weft_runs{status=\"completed\"} ") {
                return rest.trim().parse::<f64>().ok().map(|v| v as usize);
            }
        }
    }
    None
}

/// What one fault test does to the cluster while the runs are in flight.
enum Fault {
    /// SIGKILL node 1 once `after` runs completed; restart it after `down`.
    KillNode { after: usize, down: Duration },
    /// Restart PostgreSQL ("15 main") once `after` runs completed.
    RestartPostgres { after: usize, cluster: String },
}

/// The two tests share the database server, and one of them restarts it:
/// they take turns.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn run_cluster(tag: &str, runs: usize, deadline: Duration, fault: Fault) {
    let _turn = SERIAL.lock().await;
    let Some(base) = database() else { return };
    let schema = Schema::create(&base, tag);
    let seed = seed();
    eprintln!(
        "cluster test {tag}: seed {seed} (replay with WEFT_CRASH_SEED={seed}), schema {}",
        schema.name
    );
    let t0 = Instant::now();
    let client = reqwest::Client::new();
    let mut nodes = Vec::new();
    for i in 0..3 {
        nodes.push(Server::start(Launch::database(&schema.url, &format!("n{i}"))).await);
    }
    nodes[0].api().deploy(FLOW).await;
    let shared = Arc::new(Shared {
        urls: RwLock::new(nodes.iter().map(|n| n.url.clone()).collect()),
        stop: AtomicBool::new(false),
        deliveries: Mutex::default(),
        deliveries_total: AtomicUsize::new(0),
        starts: Mutex::default(),
        odd: Mutex::default(),
        callbacks_accepted: AtomicUsize::new(0),
        unavailable: AtomicUsize::new(0),
    });
    let workers: Vec<_> = (0..WORKERS)
        .map(|i| tokio::spawn(worker(i, seed, client.clone(), shared.clone())))
        .collect();
    let starter = tokio::spawn(start_all(client.clone(), shared.clone(), runs));

    let after = match &fault {
        Fault::KillNode { after, .. } | Fault::RestartPostgres { after, .. } => *after,
    };
    loop {
        let done = completed_count(&client, &shared).await.unwrap_or(0);
        if done >= after {
            break;
        }
        assert!(
            t0.elapsed() < deadline,
            "only {done} runs completed before the fault was due (at {after})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fault_log = match &fault {
        Fault::KillNode { down, .. } => {
            nodes[1].kill();
            let mut log = format!("node n1 killed at {:?} after {after} runs", t0.elapsed());
            tokio::time::sleep(*down).await;
            nodes[1] = Server::start(Launch::database(&schema.url, "n1")).await;
            shared.urls.write().unwrap()[1] = nodes[1].url.clone();
            log.push_str(&format!(", restarted at {:?}", t0.elapsed()));
            log
        }
        Fault::RestartPostgres { cluster, .. } => {
            let mut parts = cluster.split_whitespace();
            let (version, name) = (parts.next().unwrap_or("15"), parts.next().unwrap_or("main"));
            let status = std::process::Command::new("pg_ctlcluster")
                .args([version, name, "restart"])
                .status()
                .expect("pg_ctlcluster runs");
            assert!(
                status.success(),
                "pg_ctlcluster {cluster} restart: {status}"
            );
            format!(
                "PostgreSQL restarted at {:?} after {after} runs",
                t0.elapsed()
            )
        }
    };

    loop {
        let done = completed_count(&client, &shared).await.unwrap_or(0);
        if done >= runs && starter.is_finished() {
            break;
        }
        if t0.elapsed() >= deadline {
            let all = Api::new(&shared.url(0), None).list_all_runs("").await;
            panic!(
                "after {deadline:?}, {done} of {runs} runs completed; {fault_log}\n{}\nnode logs:\n{}",
                load::unfinished(&all),
                node_logs(&nodes)
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = starter.await;
    load::stop_workers(&shared.stop, workers).await;
    let finished_in = t0.elapsed();

    // ----- checks -----
    let mut problems = Problems::default();
    let all = Api::new(&shared.url(0), None).list_all_runs("").await;
    if all.len() != runs {
        problems.push(format!("{} runs exist, not {runs}", all.len()));
    }
    let by_key = load::by_key(&all, &mut problems);
    let starts = shared.starts.lock().unwrap().clone();
    for n in 0..runs {
        let key = format!("job-{n}");
        let Some(run) = by_key.get(&key) else {
            problems.push(format!("no run has key {key} (a lost run)"));
            continue;
        };
        if run["status"] != "completed" || run["result"] != expected(n as i64) {
            problems.push(format!(
                "{key}: {} with {} (expected {})",
                run["status"],
                run["result"],
                expected(n as i64)
            ));
        }
        let named = starts.get(&n).cloned().unwrap_or_default();
        if named.len() != 1 || !named.contains(run["id"].as_str().unwrap_or_default()) {
            problems.push(format!(
                "{key}: starts were answered with runs {named:?}, the run is {}",
                run["id"]
            ));
        }
    }
    // No step recorded twice, counted in the database itself.
    let duplicated = schema.count(
        "SELECT count(*) FROM (SELECT run_id, e->>'callId', e->>'type' \
         FROM {schema}.journal, json_array_elements(entries) e \
         WHERE e->>'type' IN ('callCompleted', 'callAcknowledged') \
         GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
    );
    if duplicated != 0 {
        problems.push(format!(
            "{duplicated} call(s) have a result recorded more than once"
        ));
    }
    let mut recorded: HashMap<(String, String), String> = HashMap::new();
    // Journals through the API, a sample spread over every node (the
    // database-wide check above covers every run).
    let sample: Vec<&Value> = all.iter().step_by((runs / 200).max(1)).collect();
    for (checked, r) in sample.into_iter().enumerate() {
        let id = r["id"].as_str().unwrap_or_default().to_string();
        let entries = Api::new(&shared.url(checked), None).journal(&id).await;
        let of = |t: &str| entries.iter().filter(|e| e["type"] == t).count();
        // The acknowledgement of an awaited call may lose the race with
        // its callback (they arrive through different nodes); then the
        // call completes without one.
        if of("started") != 1 || of("callAcknowledged") > 1 {
            problems.push(format!(
                "run {id}: {} started and {} callAcknowledged entries",
                of("started"),
                of("callAcknowledged")
            ));
        }
        load::check_timers(&id, &entries, &mut problems);
        let completed: Vec<&Value> = entries
            .iter()
            .filter(|e| e["type"] == "callCompleted")
            .collect();
        if completed.len() != CALLS_PER_RUN {
            problems.push(format!(
                "run {id}: {} callCompleted entries, expected {CALLS_PER_RUN}",
                completed.len()
            ));
        }
        for e in completed {
            recorded.insert(
                (
                    id.clone(),
                    e["activity"].as_str().unwrap_or_default().to_string(),
                ),
                e["callId"].as_str().unwrap_or_default().to_string(),
            );
        }
    }
    // Every delivery of a step carried the call id its result was recorded under.
    for ((run, activity), calls) in shared.deliveries.lock().unwrap().iter() {
        if calls.len() > 1 {
            problems.push(format!(
                "run {run}: {activity} was handed out under call ids {calls:?}"
            ));
        }
        if let Some(call) = recorded.get(&(run.clone(), activity.clone())) {
            if !calls.contains(call) {
                problems.push(format!(
                    "run {run}: {activity} recorded under {call}, handed out as {calls:?}"
                ));
            }
        }
    }
    problems.odd("odd answer(s)", &shared.odd.lock().unwrap());
    println!(
        "cluster test {tag}: runs={runs} nodes=3 deliveries={} callbacks_accepted={} answers_503={} duration={:.1}s seed={seed}; {fault_log}",
        shared.deliveries_total.load(Ordering::SeqCst),
        shared.callbacks_accepted.load(Ordering::SeqCst),
        shared.unavailable.load(Ordering::SeqCst),
        finished_in.as_secs_f64()
    );
    problems.assert_none(&format!("seed {seed}; {fault_log}"), &node_logs(&nodes));
}

/// The last lines of each node's log, for a failure message.
fn node_logs(nodes: &[Server]) -> String {
    nodes
        .iter()
        .map(|n| n.log_tail())
        .collect::<Vec<_>>()
        .join("\n----\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_finish_1000_runs_while_one_is_killed_and_restarted() {
    run_cluster(
        "kill",
        1000,
        Duration::from_secs(300),
        Fault::KillNode {
            after: 300,
            down: Duration::from_secs(1),
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_go_on_after_postgres_restarts() {
    if std::env::var("WEFT_TEST_PG_RESTART").as_deref() != Ok("1") {
        let why = "WEFT_TEST_PG_RESTART is not 1 (this test restarts the PostgreSQL server)";
        if in_ci() {
            panic!("{why}; .ci/run sets it");
        }
        eprintln!("skipping: {why}");
        return;
    }
    let cluster = std::env::var("WEFT_TEST_PG_CLUSTER").unwrap_or_else(|_| "15 main".into());
    run_cluster(
        "pgrestart",
        300,
        Duration::from_secs(300),
        Fault::RestartPostgres {
            after: 100,
            cluster,
        },
    )
    .await;
}

// ----- machines: exact totals on the cluster -----

/// Commands the machines' cluster test sends.
const MACHINE_COMMANDS: usize = 400;

/// Three nodes take commands to a few instances (each sender goes to the
/// next node when one does not answer); node n1 is killed with SIGKILL
/// mid-way and restarted. Every total must be exact, each command applied
/// once (counted in the database too), one event per version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_keep_every_machine_total_exact_while_one_is_killed() {
    use support::machines::{self as m, Answers, UrlOf};
    let _turn = SERIAL.lock().await;
    let Some(base) = database() else { return };
    let schema = Schema::create(&base, "machines");
    let seed = seed();
    let mut rng = Rng(seed);
    let t0 = Instant::now();
    let deadline = Duration::from_secs(300);
    let client = reqwest::Client::new();
    let mut nodes = Vec::new();
    for i in 0..3 {
        nodes.push(Server::start(Launch::database(&schema.url, &format!("n{i}"))).await);
    }
    nodes[0].api().deploy(m::SOURCE).await;
    let urls = Arc::new(RwLock::new(
        nodes.iter().map(|n| n.url.clone()).collect::<Vec<_>>(),
    ));
    let url_of: UrlOf = {
        let urls = urls.clone();
        Arc::new(move |i| {
            let urls = urls.read().unwrap();
            urls[i % urls.len()].clone()
        })
    };
    let answers = Arc::new(Answers::default());
    let weighers: Vec<_> = (0..3)
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
    let after = rng.range(60, 160) as usize;
    while answers.answered() < after {
        assert!(
            t0.elapsed() < deadline,
            "only {} commands answered before the kill was due (at {after})",
            answers.answered()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    nodes[1].kill();
    let mut fault_log = format!("node n1 killed at {:?} after {after} answers", t0.elapsed());
    tokio::time::sleep(Duration::from_secs(1)).await;
    nodes[1] = Server::start(Launch::database(&schema.url, "n1")).await;
    urls.write().unwrap()[1] = nodes[1].url.clone();
    fault_log.push_str(&format!(", restarted at {:?}", t0.elapsed()));
    while !senders.is_finished() {
        if t0.elapsed() > deadline {
            answers.stop.store(true, Ordering::SeqCst);
            panic!(
                "after {deadline:?}, {} of {MACHINE_COMMANDS} commands answered; seed {seed}; {fault_log}\nnode logs:\n{}",
                answers.answered(),
                node_logs(&nodes)
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
    // Through another node than the one killed.
    m::check(&nodes[2].api(), &answers, MACHINE_COMMANDS, &mut problems).await;
    // In the database: each command once, all applied, one event each,
    // and the inbox drained.
    let count = |sql: &str| schema.count(sql);
    let commands = count("SELECT count(*) FROM {schema}.machine_commands");
    let applied = count("SELECT count(*) FROM {schema}.machine_commands WHERE status = 'applied'");
    let events = count("SELECT count(*) FROM {schema}.machine_events");
    let inbox = count("SELECT count(*) FROM {schema}.machine_inbox");
    let n = MACHINE_COMMANDS as i64;
    if (commands, applied, events, inbox) != (n, n, n, 0) {
        problems.push(format!(
            "the database holds {commands} commands ({applied} applied), {events} events and \
             {inbox} inbox events; expected {n}, {n}, {n} and 0"
        ));
    }
    println!(
        "machines cluster test: commands={MACHINE_COMMANDS} keys={} copies={} nodes=3 \
         answers_202={} answers_busy={} unanswered={} duration={:.1}s seed={seed}; {fault_log}",
        m::KEYS,
        m::COPIES,
        answers.pending.load(Ordering::SeqCst),
        answers.unavailable.load(Ordering::SeqCst),
        answers.lost.load(Ordering::SeqCst),
        finished_in.as_secs_f64(),
    );
    problems.assert_none(&format!("seed {seed}; {fault_log}"), &node_logs(&nodes));
}

// ----- two-way task streams on a cluster -----

/// A worker of the Rust SDK holds a two-way task stream on node a while the
/// runs start on node b: the tasks reach it through the shared store, its
/// results go down the stream's body to node a (where applying a report
/// waits for the store, unlike on one node), and every run completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_down_a_two_way_stream_on_one_node_finish_runs_started_on_another() {
    const RUNS: usize = 20;
    let _turn = SERIAL.lock().await;
    let Some(base) = database() else { return };
    let schema = Schema::create(&base, "twoway");
    let a = Server::start(Launch::database(&schema.url, "a")).await;
    let b = Server::start(Launch::database(&schema.url, "b")).await;
    b.api()
        .deploy("flow Twice(input) {\n    x = Double(input.n)\n    return(Double(x))\n}\n")
        .await;
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let kept = lines.clone();
    let worker = weft_worker::Worker::new(a.url.clone())
        .name("two-way")
        .logger(move |_, line| kept.lock().unwrap().push(line.to_string()))
        .activity("Double", |_ctx, args: Value| async move {
            Ok::<_, weft_worker::Error>(json!(first_arg(&args).as_i64().unwrap_or(0) * 2))
        });
    let stop = worker.shutdown_handle();
    let running = tokio::spawn(worker.run_until(std::future::pending()));
    let api = b.api();
    let mut ids = Vec::new();
    for n in 0..RUNS {
        ids.push(api.start_id("Twice", json!({ "n": n })).await);
    }
    for (n, id) in ids.iter().enumerate() {
        let run = api.wait_for(id, "completed").await;
        assert_eq!(run["result"], json!(n * 4), "{run}");
    }
    stop.shutdown();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the worker stops")
        .expect("the worker does not panic")
        .expect("the worker ends without error");
    let lines = lines.lock().unwrap().clone();
    let down = lines
        .iter()
        .filter(|l| l.contains("result written down the task stream"))
        .count();
    assert_eq!(down, 2 * RUNS, "{lines:#?}\n{}", node_logs(&[a, b]));
}

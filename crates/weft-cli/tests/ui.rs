//! The web UI. `web_ui_in_a_browser` runs it end to end in a real browser:
//! the real server (`weft serve`) with runs in every status, a tiny worker
//! answering their activities, a second server that needs a token, a third
//! with a deployment plan (the activities page: placements, limits, ready
//! tasks), and `crates/weft-server/e2e/ui.mjs` driving
//! Chromium through playwright-core. It needs `node`, `chromium` (Debian's,
//! at /usr/bin/chromium, or the path in `WEFT_CHROMIUM`) and `npm ci` in
//! crates/weft-server/e2e; screenshots go to `<target>/ui-artifacts/`.
//!
//! `triggers_in_a_browser` drives the triggers page (`e2e/triggers.mjs`):
//! triggers, schedules and their actions, sources, and a run that names
//! the event that started it.
//!
//! `the_diagram_layout_passes_its_unit_tests` runs the UI's own unit tests
//! (`crates/weft-server/ui/tests/*.test.js`, Node's test runner, no npm
//! packages) over hand-made graphs and over the diagram of every flow of
//! every example, built here as the server builds it.
//!
//! Without what they need the tests are skipped with a message, or fail
//! when `CI=true`.

mod support;

use std::collections::HashSet;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{id_of, in_ci, Api, Launch, Server, TempDir};

/// The flow the test deploys. Line numbers are asserted by ui.mjs.
const FLOW: &str = r#"flow Order(order) {
    stock = Reserve(order.item) @retry(2)
    checks = WaitAll([Fraud(order.id), Address(order.id)])
    if order.express {
        confirmed = await Confirm(order.id) @timeout(1h)
    }
    for line in order.lines {
        Pack(line)
    }
    if order.hold {
        Hold(order.id)
    }
    charge = Charge(order.amount)
    return {status: "ok", charge: charge, stock: stock, checks: checks}
}
"#;

/// Lines of FLOW the browser test looks for.
const CONFIRM_LINE: u32 = 5;
const HOLD_LINE: u32 = 11;
const CHARGE_LINE: u32 = 13;

/// What the worker answers: everything but `Hold` (so a run stays running).
const ACTIVITIES: &[&str] = &["Reserve", "Fraud", "Address", "Confirm", "Pack", "Charge"];

/// Lines of the completed run's order: a `Pack` call each (two journal
/// entries), so its journal is longer than one page of the API
/// (`JOURNAL_PAGE_ENTRIES_MAX`) and the timeline must follow `nextCursor`.
const PACKS: usize = 520;

/// The token of the server started with `--token-file`.
const TOKEN: &str = "ui-test-token-0123456789abcdef";

/// The deployment plan of the third server (the activities page): `Charge`
/// on a push endpoint with limits (never called: no worker answers the
/// tasks before it), everything else on a group of pull workers.
const PLAN: &str = r#"[[place]]
activities = ["Charge"]
push = "http://127.0.0.1:9/charge"
concurrency = 2
rate = "10/s"
timeout = "5s"

[[place]]
activities = ["*"]
worker = "orders"

[workers.orders]
image = "registry.example.com/orders:1"
min = 1
max = 1
"#;

/// Longest wait for an activity's figures to reach what a test expects.
const FIGURES_PATIENCE: Duration = Duration::from_secs(30);

/// Waits until `GET /v1/activities` counts `ready` ready tasks of `activity`.
async fn wait_ready(api: &Api, activity: &str, ready: u64) {
    let deadline = Instant::now() + FIGURES_PATIENCE;
    loop {
        let list = api.get("/v1/activities").await.ok(200);
        let found = list["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == activity)
            .cloned();
        if found.as_ref().is_some_and(|a| a["ready"] == ready) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{activity} never had {ready} ready task(s): {list}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Longest the browser script may take.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(240);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ui_dir() -> PathBuf {
    repo().join("crates/weft-server/ui")
}

fn e2e_dir() -> PathBuf {
    repo().join("crates/weft-server/e2e")
}

/// `<target>/ui-artifacts` (the binary is `<target>/<profile>/weft`).
fn artifacts_dir() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_weft"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo().join("target"));
    target.join("ui-artifacts")
}

fn chromium() -> PathBuf {
    std::env::var_os("WEFT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why Node cannot run here, if it cannot.
fn no_node() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("`node` is not installed (Node.js 20 or newer)".into());
    }
    None
}

/// Skips a test (with `why` and `how` to run it), or fails it under CI.
fn skip(what: &str, why: &str, how: &str) {
    if in_ci() {
        panic!("{what} cannot run: {why}; {how}");
    }
    eprintln!("skipping {what}: {why}; {how}");
}

/// Why the browser test cannot run here, if it cannot.
fn missing() -> Option<String> {
    if let Some(why) = no_node() {
        return Some(why);
    }
    if !e2e_dir()
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return Some(format!(
            "playwright-core is not installed in {}",
            e2e_dir().display()
        ));
    }
    if !chromium().exists() {
        return Some(format!("Chromium is not at {}", chromium().display()));
    }
    None
}

/// Starts a run of `Order`; returns its id.
async fn start(api: &Api, input: Value) -> String {
    let run = api
        .post("/v1/runs", json!({"flow": "Order", "input": input}))
        .await
        .ok(201);
    id_of(&run)
}

/// Answers the flow's activities until stopped. `Charge` fails its first
/// attempt for amounts over 100 (so those runs stop as failed, and an
/// operator's retry succeeds); `Confirm` is awaited: completing its task
/// only acknowledges it, and the run waits for the callback.
fn worker(api: Api, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            let r = api
                .post(
                    "/v1/tasks/poll",
                    json!({"activities": ACTIVITIES, "worker": "ui-test", "max": 20, "waitMs": 200}),
                )
                .await;
            if r.status != 200 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            for t in r.json()["tasks"].as_array().cloned().unwrap_or_default() {
                let id = t["taskId"].as_str().unwrap_or_default();
                let amount = t["args"][0].as_f64().unwrap_or(0.0);
                let (path, answer) = match t["activity"].as_str().unwrap_or_default() {
                    "Charge" if amount > 100.0 && t["attempt"] == 1 => (
                        "fail",
                        json!({"error": "card declined: insufficient funds", "retryable": false}),
                    ),
                    "Charge" => (
                        "complete",
                        json!({"value": {"chargeId": format!("ch-{amount}")}}),
                    ),
                    "Confirm" => ("complete", json!({"value": null})),
                    _ => ("complete", json!({"value": {"ok": true}})),
                };
                // A task of a run cancelled meanwhile is refused: no matter.
                api.post(&format!("/v1/tasks/{id}/{path}"), answer).await;
            }
        }
    })
}

/// Rewrites a run's snapshot with a version this build does not read, as
/// a newer build would have written it (SQLite lets the test write while
/// the server runs; the waiting run is not in the server's memory).
fn make_unreadable(data: &Path, run: &str) {
    use weft_store::Store;
    let store = weft_store_sqlite::SqliteStore::open(data).expect("the data directory opens");
    let stored = store.load_run(run).unwrap().expect("the run is stored");
    // This build writes the compact form; a test's earlier rewrite, JSON.
    let mut state: Value = weft_engine::state::snapshot_json(&stored.state, run).unwrap();
    state["v"] = json!(99);
    store
        .commit(&weft_store::Batch {
            writes: vec![weft_store::RunWrite {
                record: Some(stored.record.into()),
                state: serde_json::to_vec(&state).unwrap(),
                ..weft_store::RunWrite::default()
            }],
        })
        .unwrap();
}

/// Deploys `FLOW` as `order.weft` (the browser test looks for that name).
async fn deploy(api: &Api) {
    api.post("/v1/flows", json!({"name": "order.weft", "source": FLOW}))
        .await
        .ok(201);
}

/// What the browser script did: its exit status (`None`: it was stopped
/// after [`BROWSER_TIMEOUT`]), stdout and stderr.
struct BrowserRun {
    status: Option<ExitStatus>,
    out: String,
    err: String,
}

/// Runs `ui.mjs` against the server at `base` (blocking).
fn run_browser(base: &str, config: &Value) -> BrowserRun {
    run_script("ui.mjs", base, config)
}

/// Runs the script `name` of the e2e folder against the server at `base`
/// (blocking).
fn run_script(name: &str, base: &str, config: &Value) -> BrowserRun {
    let began = Instant::now();
    let mut child = Command::new("node")
        .arg(e2e_dir().join(name))
        .arg(base)
        .env("WEFT_UI_TEST", config.to_string())
        .current_dir(e2e_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(out).read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(err).read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if began.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    BrowserRun {
        status,
        out: out.join().unwrap(),
        err: err.join().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_ui_in_a_browser() {
    if let Some(why) = missing() {
        let how = "to run them: `apt-get install -y chromium` and \
                   `(cd crates/weft-server/e2e && npm ci)` (.ci/run does both)";
        skip("the web UI's browser tests", &why, how);
        return;
    }
    let began = Instant::now();
    let dir = TempDir::new("ui");
    let server = Server::start(Launch::data(&dir.join("open"))).await;
    let api = server.api();
    deploy(&api).await;
    let stop = Arc::new(AtomicBool::new(false));
    let w = worker(api.clone(), stop.clone());

    let order = |id: &str, extra: Value| {
        let mut o = json!({"id": id, "item": "book", "amount": 10, "lines": ["a", "b"]});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    let lines: Vec<String> = (0..PACKS).map(|i| format!("line-{i}")).collect();
    let completed = start(&api, order("A", json!({"lines": lines}))).await;
    let callback = start(&api, order("B", json!({"express": true, "amount": 20}))).await;
    let waiting = start(&api, order("C", json!({"express": true}))).await;
    let cancel_ui = start(&api, order("C2", json!({"express": true}))).await;
    let cancelled = start(&api, order("D", json!({"express": true}))).await;
    let retry = start(&api, order("E", json!({"amount": 500, "lines": []}))).await;
    let resolve = start(&api, order("F", json!({"amount": 700}))).await;
    let failed = start(&api, order("G", json!({"amount": 900}))).await;
    let stale = start(&api, order("G2", json!({"amount": 950}))).await;
    let running = start(&api, order("H", json!({"hold": true}))).await;
    let unreadable = start(&api, order("U", json!({"express": true}))).await;
    let upgrade = start(&api, order("V", json!({"express": true}))).await;
    api.wait_for(&completed, "completed").await;
    // The browser test checks paging only if there is a second page.
    let journal = api
        .get(&format!("/v1/runs/{completed}/journal"))
        .await
        .ok(200);
    assert!(
        journal["nextCursor"].is_string()
            && journal["entries"].as_array().map(Vec::len)
                == Some(weft_server::limits::JOURNAL_PAGE_ENTRIES_MAX),
        "the completed run's journal is longer than a page: {}",
        journal["nextCursor"]
    );
    for id in [&callback, &waiting, &cancel_ui, &cancelled, &upgrade] {
        api.wait_for(id, "waiting").await;
    }
    for id in [&retry, &resolve, &failed, &stale] {
        api.wait_for(id, "failed").await;
    }
    // A run this build cannot read: its snapshot rewritten as a newer
    // build's would be; its callback makes the server find out and park it.
    let waited = api.wait_for(&unreadable, "waiting").await;
    let token = waited["waitingFor"][0]["token"]
        .as_str()
        .expect("a token")
        .to_string();
    make_unreadable(&dir.join("open").join("data"), &unreadable);
    api.callback(&token, json!({"ok": true}))
        .await
        .error(503, "unreadable_state");
    api.wait_for(&unreadable, "failed").await;
    api.action(
        &cancelled,
        "cancel",
        json!({"reason": "cancelled by the test"}),
    )
    .await
    .ok(200);
    api.wait_for(&cancelled, "cancelled").await;
    // The held run stands at Hold, its task unanswered.
    let at_hold = format!("order.weft:{HOLD_LINE}");
    api.wait_until(&running, "stand at Hold", |r| {
        r["status"] == "running" && r["position"] == at_hold.as_str()
    })
    .await;

    // Two newer versions of Order for the live upgrade: one with a step
    // before the waiting run's wait (refused), one with a step after it.
    let wait_if = "    if order.express {\n";
    assert!(FLOW.contains(wait_if));
    let refused = FLOW.replacen(wait_if, &format!("    Audit(order.id)\n{wait_if}"), 1);
    let confirm = "        confirmed = await Confirm(order.id) @timeout(1h)\n";
    assert!(FLOW.contains(confirm));
    let accepted = FLOW.replacen(confirm, &format!("{confirm}        Notify(order.id)\n"), 1);
    for (text, version) in [(refused, 2), (accepted, 3)] {
        let d = api
            .post("/v1/flows", json!({"name": "order.weft", "source": text}))
            .await
            .ok(201);
        assert_eq!(d["version"], version, "{d}");
    }

    // A second server that needs a token.
    let locked = Server::start(Launch::data(&dir.join("locked")).token(TOKEN)).await;
    deploy(&locked.api()).await;
    locked
        .anonymous()
        .get("/v1/runs")
        .await
        .error(401, "unauthorized");
    let locked_run = start(&locked.api(), order("T", json!({"hold": true}))).await;

    // A third server with a deployment plan, for the activities page. No
    // worker polls it: its run's first task stays ready.
    let planned_home = dir.join("planned");
    std::fs::create_dir_all(&planned_home).unwrap();
    let plan = planned_home.join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();
    let planned = Server::start(
        Launch::data(&planned_home).config(&format!("plan = {:?}\n", plan.display().to_string())),
    )
    .await;
    deploy(&planned.api()).await;
    start(&planned.api(), order("P", json!({}))).await;
    wait_ready(&planned.api(), "Reserve", 1).await;
    wait_ready(&api, "Hold", 1).await;
    // A third server with examples/machines (apart, so the command runs do
    // not change the first one's counts): instances with a history, one
    // command refused.
    let machines = Server::start(Launch::data(&dir.join("machines"))).await;
    let m = machines.api();
    let files: Vec<Value> = ["counter.weft", "channels.weft"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(repo().join("examples/machines").join(f)).unwrap();
            json!({"name": f, "text": text})
        })
        .collect();
    m.post("/v1/flows", json!({ "files": files })).await.ok(201);
    for (key, n) in [("apples", 2), ("apples", 3), ("pears", 1), ("a/b", 7)] {
        m.post(
            &format!("/v1/machines/Counter/{}/Add", key.replace('/', "%2F")),
            json!({"input": {"n": n}}),
        )
        .await
        .ok(200);
    }
    m.post(
        "/v1/machines/Counter/apples/Take",
        json!({"input": {"n": 50}}),
    )
    .await
    .error(409, "command_refused");

    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let config = json!({
        "runs": {
            "completed": completed, "callback": callback, "waiting": waiting,
            "cancelUi": cancel_ui, "cancelled": cancelled, "retry": retry,
            "resolve": resolve, "failed": failed, "stale": stale, "running": running,
            "unreadable": unreadable, "upgrade": upgrade,
        },
        "counts": {"running": 1, "waiting": 4, "failed": 5, "completed": 1, "cancelled": 1},
        "versions": {"refused": 2, "accepted": 3},
        "lines": {"confirm": CONFIRM_LINE, "hold": HOLD_LINE, "charge": CHARGE_LINE},
        "packs": PACKS,
        "tokenUrl": locked.url,
        "token": TOKEN,
        "tokenRun": locked_run,
        "planUrl": planned.url,
        "machinesUrl": machines.url,
        "artifacts": artifacts,
        "chromium": chromium(),
    });
    let setup = began.elapsed();
    let browser_began = Instant::now();
    let base = server.url.clone();
    // The worker goes on answering on the runtime while the browser runs.
    let browser = tokio::task::spawn_blocking(move || run_browser(&base, &config))
        .await
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    let _ = w.await;
    println!("{}", browser.out);
    eprintln!("{}", browser.err);
    println!(
        "web UI test: setup {:.1}s, browser {:.1}s; screenshots in {}",
        setup.as_secs_f64(),
        browser_began.elapsed().as_secs_f64(),
        artifacts.display()
    );
    match browser.status {
        None => panic!("the browser test did not finish in {BROWSER_TIMEOUT:?}"),
        Some(st) => assert!(
            st.success(),
            "the browser test failed ({st}); screenshots of the failure in {}",
            artifacts.display()
        ),
    }
}

/// The schedule of the triggers page's test: hourly, so it fires only when
/// the test presses Trigger now.
const SCHEDULE: &str = r#"flow Digest(x) {
    return x
}

sdk.Schedule({
    name: "digest",
    every: 1h,
    run: "Digest",
    overlap: "queue",
    catchup: "none",
})
"#;

/// The triggers page in Chromium (`triggers.mjs`): a server with the seed's
/// moderation trigger (examples/triggers), a schedule and an HTTP source
/// whose endpoint does not answer; an event too deeply nested for the
/// flow's input (a failed start) and a question created, so the trigger
/// started a run. The page lists the three; Pause, then Trigger now, show
/// the API's answer and the change; the run's page names its event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triggers_in_a_browser() {
    if let Some(why) = missing() {
        let how = "to run them: `apt-get install -y chromium` and \
                   `(cd crates/weft-server/e2e && npm ci)` (.ci/run does both)";
        skip("the triggers page's browser test", &why, how);
        return;
    }
    let dir = TempDir::new("ui-triggers");
    // Port 9 (discard) is closed on a test machine: the source reports it.
    let config = "[[sources]]\nname = \"shop\"\nkind = \"http\"\nurl = \"http://127.0.0.1:9/events\"\ninterval = \"1s\"\n";
    let server = Server::start(Launch::data(dir.path()).config(config)).await;
    let api = server.api();
    let moderation =
        std::fs::read_to_string(repo().join("examples/triggers/moderation.weft")).unwrap();
    api.post(
        "/v1/flows",
        json!({"files": [
            {"name": "moderation.weft", "text": moderation},
            {"name": "digest.weft", "text": SCHEDULE},
        ]}),
    )
    .await
    .ok(201);
    // An event nested too deep for a flow's input: the trigger's start
    // fails, and the page says so.
    let mut deep = json!(1);
    for _ in 0..70 {
        deep = json!([deep]);
    }
    api.post(
        "/v1/events",
        json!({"events": [{"id": "deep", "type": "created", "subject": "question", "data": deep}]}),
    )
    .await
    .ok(200);
    api.post(
        "/v1/machines/question/q1/CreateQuestion",
        json!({"input": {"text": "Is Weft durable?", "author": "ann"}}),
    )
    .await
    .ok(200);
    let triggers = api.get("/v1/triggers").await.ok(200);
    let moderation_run = triggers["triggers"][0]["lastEvent"]["runId"]
        .as_str()
        .unwrap_or_else(|| panic!("the trigger started a run: {triggers}"))
        .to_string();
    let event = triggers["triggers"][0]["lastEvent"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let cfg = json!({
        "moderationRun": moderation_run,
        "event": event,
        "artifacts": artifacts,
        "chromium": chromium(),
    });
    let base = server.url.clone();
    let browser = tokio::task::spawn_blocking(move || run_script("triggers.mjs", &base, &cfg))
        .await
        .unwrap();
    println!("{}", browser.out);
    eprintln!("{}", browser.err);
    match browser.status {
        None => panic!("the browser test did not finish in {BROWSER_TIMEOUT:?}"),
        Some(st) => assert!(
            st.success(),
            "the triggers page's browser test failed ({st}); screenshots in {}",
            artifacts.display()
        ),
    }
    // What the browser did reached the server: the schedule was paused,
    // then fired once by Trigger now.
    let s = api.get("/v1/schedules").await.ok(200);
    assert_eq!(s["schedules"][0]["paused"], true, "{s}");
    assert_eq!(s["schedules"][0]["fires"], 1, "{s}");
}

/// The flows of the test of many runs (`ops.weft`). `Rent` and `Approve`
/// declare their results: the repair editors start from those shapes.
const OPS_FLOWS: &str = r#"activity Rent(city: string, nights: int) -> {car: string, nights: int}
activity Approve(id: string) -> {status: string, reason: string}

flow Signup(user) {
    nick = ReserveNick(user.nick)
    return nick
}

flow Trip(city) {
    hotel = Book(city)
    nights = hotel.nights + 1
    car = Rent(city, nights)
    return {hotel: hotel, car: car}
}

flow Pay(order) {
    r = Charge(order.amount) @retry(1, backoff: 300ms)
    return r
}

flow Onboard(e) {
    it = flow SetupIT(e) {
        return CreateAccount(e)
    }
    return {it: it}
}

flow Approval(x) {
    a = await Approve(x.id)
    return a
}
"#;

/// Steps the run of [`write_long_journal`] lost to the journal's cap.
const DROPPED_STEPS: i64 = 25;

/// A completed run with [`DROPPED_STEPS`] more journal steps than a run
/// keeps (`JOURNAL_STEPS_PER_RUN_MAX`), written into `data` as the store
/// writes them (the server is not running yet); its id.
fn write_long_journal(data: &Path) -> String {
    use weft_engine::state::{Entry, EntryKind, Status};
    use weft_store::{Batch, RunWrite, Store};
    let id = "01JZZZZZZZZZZZZZZZZZZZZZZZ";
    let store = weft_store_sqlite::SqliteStore::open(data).unwrap();
    let mut rec = weft_store::conformance::record(id, "Ticks", Status::Completed);
    rec.result = Some(json!(1));
    let writes = (0..weft_store::JOURNAL_STEPS_PER_RUN_MAX + DROPPED_STEPS)
        .map(|i| RunWrite {
            record: Some(rec.clone().into()),
            created: i == 0,
            journal: vec![Entry {
                at: 1_000 + i,
                kind: EntryKind::Now { value: i },
            }],
            ..RunWrite::default()
        })
        .collect();
    store.commit(&Batch { writes }).unwrap();
    id.to_string()
}

/// Runs in the prepared data directory before the server starts.
const FILLER_RUNS: usize = 10_000;

/// What the worker of the test of many runs answers: `ReserveNick` is
/// served by nobody; `Charge` always fails (retryable); `CreateAccount`
/// fails for good; `Rent` fails for good the first time, then answers;
/// `Approve` takes the call (its callback comes from the page).
fn ops_worker(api: Api, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let rented = AtomicBool::new(false);
        while !stop.load(Ordering::Relaxed) {
            let r = api
                .post(
                    "/v1/tasks/poll",
                    json!({"activities": ["Book", "Rent", "Charge", "CreateAccount", "Approve"], "worker": "ops-test", "max": 20, "waitMs": 200}),
                )
                .await;
            if r.status != 200 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            for t in r.json()["tasks"].as_array().cloned().unwrap_or_default() {
                let id = t["taskId"].as_str().unwrap_or_default();
                let (path, answer) = match t["activity"].as_str().unwrap_or_default() {
                    "Book" => ("complete", json!({"value": {"nights": 2}})),
                    "Rent" if !rented.swap(true, Ordering::Relaxed) => {
                        ("fail", json!({"error": "no cars left", "retryable": false}))
                    }
                    "Rent" => (
                        "complete",
                        json!({"value": {"car": "V70", "nights": t["args"][1]}}),
                    ),
                    "Charge" => (
                        "fail",
                        json!({"error": "gateway timeout", "retryable": true}),
                    ),
                    "CreateAccount" => (
                        "fail",
                        json!({"error": "directory is read-only", "retryable": false}),
                    ),
                    _ => ("complete", json!({"value": null})),
                };
                api.post(&format!("/v1/tasks/{id}/{path}"), answer).await;
            }
        }
    })
}

/// Search, bulk repair, workers, time travel and the defects of issue 16,
/// in Chromium, on a server with more than [`FILLER_RUNS`] runs: the
/// filler is written into the data directory before the server starts
/// (`weft bench --search`, as the runtime writes new runs), the runs the
/// steps act on are started through the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operating_many_runs_in_a_browser() {
    if let Some(why) = missing() {
        let how = "to run them: `apt-get install -y chromium` and \
                   `(cd crates/weft-server/e2e && npm ci)` (.ci/run does both)";
        skip("the web UI's browser tests of many runs", &why, how);
        return;
    }
    let began = Instant::now();
    let dir = TempDir::new("ui-ops");
    let filled = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["bench", "--search", &FILLER_RUNS.to_string(), "--data"])
        .arg(dir.join("data"))
        .output()
        .expect("weft bench runs");
    assert!(
        filled.status.success(),
        "filling the data directory: {}",
        String::from_utf8_lossy(&filled.stderr)
    );
    let long_journal = write_long_journal(&dir.join("data"));
    let launch = Launch::data(dir.path()).config("poller_stale = \"2s\"\n");
    let server = Server::start(launch).await;
    let api = server.api();
    api.post(
        "/v1/flows",
        json!({"name": "ops.weft", "source": OPS_FLOWS}),
    )
    .await
    .ok(201);
    let stop = Arc::new(AtomicBool::new(false));
    let w = ops_worker(api.clone(), stop.clone());
    let start = |flow: &'static str, input: Value| {
        let api = api.clone();
        async move {
            let r = api
                .post("/v1/runs", json!({"flow": flow, "input": input}))
                .await
                .ok(201);
            id_of(&r)
        }
    };
    let mut signups = Vec::new();
    for nick in ["ann", "bob", "cy"] {
        signups.push(start("Signup", json!({"nick": nick})).await);
    }
    let trip = start("Trip", json!("Oslo")).await;
    let mut pays = Vec::new();
    for i in 0..12 {
        let nick = if i % 3 == 0 { "ann" } else { "bob" };
        pays.push(start("Pay", json!({"nick": nick, "amount": 10 * (i + 1)})).await);
    }
    let onboard = start("Onboard", json!({"name": "dee"})).await;
    let approve_cancel = start("Approval", json!({"id": "A-1"})).await;
    let approve_edit = start("Approval", json!({"id": "A-2"})).await;
    api.wait_for(&trip, "failed").await;
    // A newer version whose Trip passes Rent another value: the fork
    // dialog offers it, and refuses it at the step that waits on Rent.
    let trip_v2 = api
        .post(
            "/v1/flows",
            json!({"name": "ops.weft", "source": OPS_FLOWS.replace("Rent(city, nights)", "Rent(city, nights - 1)")}),
        )
        .await
        .ok(201)["version"]
        .as_i64()
        .unwrap();
    for id in &pays {
        api.wait_for(id, "failed").await;
    }
    api.wait_until(&onboard, "wait for its failed sub-flow", |r| {
        r.get("failedChild").is_some()
    })
    .await;
    for id in [&approve_cancel, &approve_edit] {
        api.wait_until(id, "wait for Approve's callback", |r| {
            r["waitingFor"][0]["acknowledged"] == true
        })
        .await;
    }
    for id in &signups {
        api.wait_until(id, "say that nobody polls ReserveNick", |r| {
            r.get("stalled").is_some()
        })
        .await;
    }
    let total: u64 = api.get("/v1/runs?limit=1").await.ok(200)["total"]
        .as_u64()
        .unwrap();
    assert!(total > FILLER_RUNS as u64, "{total} runs");
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let line = |needle: &str| {
        OPS_FLOWS
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let config = json!({
        "runs": {
            "signups": signups, "trip": trip, "pays": pays, "onboard": onboard,
            "approveCancel": approve_cancel, "approveEdit": approve_edit,
            "longJournal": long_journal,
        },
        "total": total,
        "droppedSteps": DROPPED_STEPS,
        "tripV2": trip_v2,
        "lines": {"book": line("hotel = Book"), "nights": line("nights = hotel"), "rent": line("car = Rent")},
        "artifacts": artifacts,
        "chromium": chromium(),
        "keepGoing": std::env::var("WEFT_UI_KEEP_GOING").is_ok(),
    });
    let setup = began.elapsed();
    let browser_began = Instant::now();
    let base = server.url.clone();
    let browser = tokio::task::spawn_blocking(move || run_script("operating.mjs", &base, &config))
        .await
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    let _ = w.await;
    println!("{}", browser.out);
    eprintln!("{}", browser.err);
    println!(
        "web UI test of many runs: setup {:.1}s ({total} runs), browser {:.1}s",
        setup.as_secs_f64(),
        browser_began.elapsed().as_secs_f64(),
    );
    match browser.status {
        None => panic!("the browser test did not finish in {BROWSER_TIMEOUT:?}"),
        Some(st) => assert!(
            st.success(),
            "the browser test failed ({st}); screenshots of the failure in {}",
            artifacts.display()
        ),
    }
}

/// The diagram of every flow of every example (`examples/**/*.weft`), as
/// `GET /v1/flows/{name}/graph` builds it: `{file, flow, nodes, edges}`.
/// The flows of a folder are one program (calls of them are sub-flows).
fn example_graphs() -> Vec<Value> {
    let mut files = Vec::new();
    let mut folders = vec![repo().join("examples")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "weft") {
                files.push(path);
            }
        }
    }
    files.sort();
    let flows_of = |text: &str| -> Vec<String> {
        weft_syntax::parse(text)
            .module
            .flows()
            .map(|f| f.name.name.clone())
            .collect()
    };
    let mut graphs = Vec::new();
    for file in &files {
        let folder = file.parent().unwrap();
        let program: HashSet<String> = files
            .iter()
            .filter(|f| f.parent() == Some(folder))
            .flat_map(|f| flows_of(&std::fs::read_to_string(f).unwrap()))
            .collect();
        let text = std::fs::read_to_string(file).unwrap();
        for flow in flows_of(&text) {
            let graph = weft_server::graph::build(&text, &flow, &program)
                .unwrap_or_else(|| panic!("{}: no diagram of {flow}", file.display()));
            let mut g = serde_json::to_value(&graph).unwrap();
            g["flow"] = json!(flow);
            g["file"] = json!(file.strip_prefix(repo()).unwrap_or(file));
            graphs.push(g);
        }
    }
    graphs
}

#[test]
fn the_diagram_layout_passes_its_unit_tests() {
    if let Some(why) = no_node() {
        skip("the web UI's unit tests", &why, "install Node.js 20");
        return;
    }
    let dir = TempDir::new("ui-layout");
    let graphs = example_graphs();
    assert!(
        graphs.len() >= 12,
        "a diagram of each example: {}",
        graphs.len()
    );
    let graphs_file = dir.join("graphs.json");
    std::fs::write(&graphs_file, Value::Array(graphs).to_string()).unwrap();
    let mut tests: Vec<PathBuf> = std::fs::read_dir(ui_dir().join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.js"))
        .collect();
    tests.sort();
    assert!(
        !tests.is_empty(),
        "no tests in {}",
        ui_dir().join("tests").display()
    );
    let o = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .args(&tests)
        .env("WEFT_UI_GRAPHS", &graphs_file)
        .current_dir(ui_dir())
        .output()
        .expect("node starts");
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "the UI's unit tests failed:\n{out}\n{err}"
    );
    // The runner's summary: every test ran (none skipped) and passed.
    let count = |what: &str| -> usize {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("# {what} ")))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no `# {what}` in the runner's summary:\n{out}"))
    };
    assert!(count("pass") > 0, "{out}");
    assert_eq!((count("fail"), count("skipped")), (0, 0), "{out}");
}

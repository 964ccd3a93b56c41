//! Hostile flows against the real `weft serve`, on SQLite and on
//! PostgreSQL (issue 14): no run, however it is written, may stop the node,
//! hold the core, or make the records, journals and lists of runs
//! unreadable. Each flow fails cleanly where the crashed, blew up
//! or stalled the node, with an error that names the limit; the other runs
//! go on meanwhile. Memory and time of the same flows, before and after:
//! docs/benchmarks.md ("Hostile flows").
//!
//! The PostgreSQL runs need `WEFT_TEST_DATABASE_URL` (`.ci/run` sets it);
//! each test makes a schema of its own.

// The shared harness of the tests that start the real binary (the
// clients and damaged files of the parent module have their own).
#[path = "../support/mod.rs"]
mod support;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{Api, Launch, Server, TempDir};
use weft_store::Store;

/// Where a test's server keeps its data.
enum Place {
    Sqlite(TempDir),
    Postgres(pg::Schema),
}

impl Place {
    fn launch(&self) -> Launch {
        match self {
            Place::Sqlite(home) => Launch::data(home.path()),
            Place::Postgres(schema) => Launch::database(&schema.url, "hostile"),
        }
    }

    fn data(&self) -> Option<PathBuf> {
        match self {
            Place::Sqlite(home) => Some(home.join("data")),
            Place::Postgres(_) => None,
        }
    }

    /// Replaces a run's stored snapshot with `bytes` (the server is
    /// stopped), as an earlier build or a damaged disk could leave it.
    fn damage_snapshot(&self, run: &str, bytes: &[u8]) {
        match self {
            Place::Sqlite(_) => {
                let store = weft_store_sqlite::SqliteStore::open(&self.data().unwrap()).unwrap();
                let stored = store.load_run(run).unwrap().unwrap();
                store
                    .commit(&weft_store::Batch {
                        writes: vec![weft_store::RunWrite {
                            record: Some(stored.record.into()),
                            state: bytes.to_vec(),
                            ..weft_store::RunWrite::default()
                        }],
                    })
                    .unwrap();
            }
            Place::Postgres(schema) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                pg::sql(
                    &schema.url,
                    &format!("UPDATE runs SET state = '\\x{hex}'::bytea WHERE id = '{run}'"),
                )
                .unwrap();
            }
        }
    }
}

/// Runs `test` on SQLite, then on PostgreSQL when there is one.
async fn on_both<F, Fut>(name: &str, test: F)
where
    F: Fn(Place) -> Fut,
    Fut: Future<Output = ()>,
{
    test(Place::Sqlite(TempDir::new(name))).await;
    if let Some(base) = pg::database() {
        test(Place::Postgres(pg::Schema::new(&base, name))).await;
    }
}

async fn deploy(api: &Api, source: &str) {
    api.post(
        "/v1/flows",
        json!({"files": [{"name": "hostile.weft", "text": source}]}),
    )
    .await
    .ok(201);
}

/// Starts `flow` and waits until it has finished, failed or been cancelled.
async fn run_to_end(api: &Api, flow: &str, input: Value) -> Value {
    let id = api.start_id(flow, input).await;
    api.wait_until(&id, "finish or fail", |r| {
        matches!(
            r["status"].as_str(),
            Some("completed" | "failed" | "cancelled")
        )
    })
    .await
}

/// The run's failure, which must name `limit`, and everything people read
/// of it still reads: the run, its journal, the lists and counts, the UI.
async fn failed_naming(api: &Api, run: &Value, limit: &str) {
    assert_eq!(run["status"], "failed", "{run}");
    let message = run["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(limit), "{limit} not named: {run}");
    assert!(run["error"]["location"]["line"].is_u64(), "{run}");
    let id = support::id_of(run);
    api.get(&format!("/v1/runs/{id}")).await.ok(200);
    assert!(!api.journal(&id).await.is_empty());
    api.get("/v1/runs").await.ok(200);
    api.get("/v1/runs?status=failed").await.ok(200);
    assert_eq!(api.get(&format!("/runs/{id}")).await.status, 200);
    api.get("/healthz").await.ok(200);
}

const QUICK: &str = "flow Quick(x) {\n    return x\n}\n";

/// Issue 14, item 1: `x = [x]` 50,000 times overflowed the core thread's
/// stack and killed the process (and, stored, every restart). It fails at
/// the step that nests past VALUE_DEPTH_MAX; a value within the limit is
/// stored, read back after a restart, and returned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nesting_fails_the_run_not_the_node() {
    on_both("hostile-nesting", |place| async move {
        let mut server = Server::start(place.launch()).await;
        let api = server.api();
        deploy(
            &api,
            &format!("flow Deep(n) {{\n    x = []\n    for _i in range(n) {{\n        x = [x]\n    }}\n    Sleep(1s)\n    return len(x)\n}}\n\n{QUICK}"),
        )
        .await;
        let run = run_to_end(&api, "Deep", json!(50_000)).await;
        failed_naming(&api, &run, "VALUE_DEPTH_MAX").await;
        let kept = api.start_id("Deep", json!(60)).await;
        api.wait_until(&kept, "sleep", |r| r["status"] == "waiting").await;
        server.terminate();
        let server = Server::start(place.launch()).await;
        let api = server.api();
        let run = api.wait_for(&kept, "completed").await;
        assert_eq!(run["result"], json!(1));
        assert_eq!(api.start_and_wait("Quick", json!(1)).await["result"], json!(1));
    })
    .await;
}

/// Issue 14, item 2: a value doubled by sharing (`o = {a: o, b: o}`) grew
/// its stored form past 5 GB; 200 references to one 1 MiB string took
/// 266 MB. Both fail at VALUE_BYTES_MAX, with the store staying small.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_values_are_counted_in_full() {
    on_both("hostile-sharing", |place| async move {
        let server = Server::start(place.launch()).await;
        let api = server.api();
        deploy(
            &api,
            "flow Double(n) {\n    o = {leaf: 1}\n    for _i in range(n) {\n        o = {a: o, b: o}\n    }\n    Sleep(1s)\n    return 1\n}\n\nflow Refs(n) {\n    big = \"x\"\n    while len(big) < 1000000 {\n        big = big + big\n    }\n    items = []\n    for _i in range(n) {\n        items = append(items, big)\n    }\n    Sleep(1s)\n    return len(items)\n}\n",
        )
        .await;
        let run = run_to_end(&api, "Double", json!(24)).await;
        failed_naming(&api, &run, "VALUE_BYTES_MAX").await;
        let run = run_to_end(&api, "Refs", json!(200)).await;
        failed_naming(&api, &run, "VALUE_BYTES_MAX").await;
        if let Some(data) = place.data() {
            // Each failed run keeps its state: values within the limit
            // (about 16 MB of text for the strings) and their log pages.
            let size = dir_size(&data);
            assert!(size < 128 << 20, "the data directory grew to {size} bytes");
        }
    })
    .await;
}

/// Issue 14, item 5: a run's result, or a callback's value, nested past
/// what JSON readers take made its record, journal, every list holding it
/// and its callback answer 503 for good. Values from outside are refused
/// where they come in, naming the limit, and the token stays good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_from_outside_are_held_to_the_limits() {
    on_both("hostile-outside", |place| async move {
        let server = Server::start(place.launch()).await;
        let api = server.api();
        deploy(
            &api,
            &format!("flow Wait() {{\n    r = await Approve() @timeout(1d)\n    return r\n}}\n\nflow Returns() {{\n    x = 1\n    for _i in range(100) {{\n        x = [x]\n    }}\n    return x\n}}\n\n{QUICK}"),
        )
        .await;
        let deep = nested(100);
        let msg = api
            .post("/v1/runs", json!({"flow": "Quick", "input": deep}))
            .await
            .error(413, "payload_too_large");
        assert!(msg.contains("VALUE_DEPTH_MAX"), "{msg}");
        let run = run_to_end(&api, "Returns", json!(null)).await;
        failed_naming(&api, &run, "VALUE_DEPTH_MAX").await;
        let id = api.start_id("Wait", json!(null)).await;
        let run = api
            .wait_until(&id, "wait for its callback", |r| {
                r["waitingFor"][0]["token"].is_string()
            })
            .await;
        let token = run["waitingFor"][0]["token"].as_str().unwrap().to_string();
        let msg = api
            .callback(&token, deep.clone())
            .await
            .error(413, "payload_too_large");
        assert!(msg.contains("VALUE_DEPTH_MAX"), "{msg}");
        api.get(&format!("/v1/runs/{id}")).await.ok(200);
        api.callback(&token, nested(10)).await.ok(200);
        let run = api.wait_for(&id, "completed").await;
        assert_eq!(run["result"], nested(10));
    })
    .await;
}

/// Issue 14, item 4: a run whose stored state could not be read stopped
/// every timer of the node. It is parked, naming why; the other run's
/// timer fires; lists still read; an operator cancels it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_run_stops_no_other_timer() {
    on_both("hostile-unreadable", |place| async move {
        let mut server = Server::start(place.launch()).await;
        let api = server.api();
        deploy(&api, "flow Nap(x) {\n    Sleep(3s)\n    return x\n}\n").await;
        let bad = api.start_id("Nap", json!("bad")).await;
        let good = api.start_id("Nap", json!("good")).await;
        api.wait_until(&good, "sleep", |r| r["status"] == "waiting")
            .await;
        server.terminate();
        // Nested deeper than a JSON reader takes, as the flow left it.
        let deep = format!(
            "{{\"v\": 1, \"x\": {}}}",
            "[".repeat(200) + &"]".repeat(200)
        );
        place.damage_snapshot(&bad, deep.as_bytes());
        let server = Server::start(place.launch()).await;
        let api = server.api();
        let run = api.wait_for(&good, "completed").await;
        assert_eq!(run["result"], json!("good"));
        let run = api
            .wait_until(&bad, "be parked", |r| r["status"] == "failed")
            .await;
        assert_eq!(run["error"]["code"], "unreadable_state", "{run}");
        let listed = api.list_all_runs("").await;
        assert_eq!(listed.len(), 2);
        api.action(&bad, "cancel", json!({"reason": "unreadable"}))
            .await
            .ok(200);
        let run = api.run(&bad).await;
        assert_eq!(run["status"], "cancelled", "{run}");
        assert_eq!(
            api.start_and_wait("Nap", json!(0)).await["status"],
            "completed"
        );
    })
    .await;
}

/// Issue 14, item 3: ParallelForEach over 1,000 sub-flows wrote its parent's
/// growing snapshot once per child (1.1 GB). It finishes; the branch limit
/// lets exactly FIBERS_MAX branches run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sub_flows_and_the_branch_limit() {
    on_both("hostile-parallel", |place| async move {
        let server = Server::start(place.launch()).await;
        let api = server.api();
        deploy(
            &api,
            "flow Fan(n) {\n    return len(ParallelForEach(range(n), func(i) { return Child(i) }))\n}\n\nflow Child(i) {\n    return i\n}\n\nflow Wide(n) {\n    return len(ParallelForEach(range(n), func(i) { return i }))\n}\n",
        )
        .await;
        let run = run_to_end(&api, "Fan", json!(1000)).await;
        assert_eq!((&run["status"], &run["result"]), (&json!("completed"), &json!(1000)), "{run}");
        let run = run_to_end(&api, "Wide", json!(10_000)).await;
        assert_eq!(run["result"], json!(10_000), "{run}");
        let run = run_to_end(&api, "Wide", json!(10_001)).await;
        failed_naming(&api, &run, "FIBERS_MAX").await;
    })
    .await;
}

/// Issue 14, item 8: a loop starting inline sub-flows made 100,000 child
/// runs. It fails at CHILDREN_MAX. (On SQLite only: the limit is the
/// engine's, and ten thousand child runs take a while in a debug build.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_children_are_bounded() {
    let home = TempDir::new("hostile-children");
    let server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    deploy(
        &api,
        "flow Kids(n) {\n    for i in range(n) {\n        _h = flow Kid(i) {\n            Sleep(1h)\n            return i\n        }\n    }\n    return 1\n}\n",
    )
    .await;
    let run = run_to_end(&api, "Kids", json!(10_005)).await;
    failed_naming(&api, &run, "CHILDREN_MAX").await;
}

/// Issue 14, items 6 and 7: filling a 100,000-key object held the core for
/// minutes, and a large deploy compiled on it: every other run waited. Both
/// now leave the core to the others: a run started meanwhile finishes
/// first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_runs_and_deploys_leave_the_core_to_others() {
    let home = TempDir::new("hostile-busy");
    let server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    deploy(
        &api,
        // Three segments (the sleeps end them), each within the budget.
        &format!("flow Fill(n) {{\n    o = {{}}\n    for i in range(n) {{\n        o[string(i)] = i\n    }}\n    Sleep(1ms)\n    a = []\n    for i in range(n) {{\n        a = append(a, i)\n    }}\n    Sleep(1ms)\n    s = \"\"\n    for i in range(n) {{\n        s += \"x\"\n    }}\n    return [len(o), len(a), len(s)]\n}}\n\n{QUICK}"),
    )
    .await;
    let busy = api.start_id("Fill", json!(99_999)).await;
    let started = Instant::now();
    assert_eq!(
        api.start_and_wait("Quick", json!(1)).await["status"],
        "completed"
    );
    let quick = started.elapsed();
    let run = api.run(&busy).await;
    assert_eq!(
        run["status"], "running",
        "the busy run still computes: {run}"
    );
    let run = api.wait_for(&busy, "completed").await;
    assert_eq!(run["result"], json!([99_999, 99_999, 99_999]));

    let mut long = String::from("flow Long(x) {\n");
    for i in 0..40_000 {
        long.push_str(&format!("    v{i} = x + {i}\n"));
    }
    long.push_str("    return x\n}\n");
    let deploying = {
        let api = api.clone();
        // Its own deadline: compiling 40,000 statements on a loaded
        // machine may take longer than one request usually waits.
        tokio::spawn(async move {
            api.send(
                api.request("POST", "/v1/flows")
                    .json(&json!({"files": [{"name": "long.weft", "text": long}]}))
                    .timeout(support::PATIENCE * 10),
            )
            .await
            .ok(201);
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        api.start_and_wait("Quick", json!(2)).await["status"],
        "completed"
    );
    assert!(
        !deploying.is_finished(),
        "the quick run waited for the deploy (the quick run alone took {quick:?})"
    );
    deploying.await.unwrap();
}

/// `[[...[1]...]]`, `depth` lists deep.
fn nested(depth: usize) -> Value {
    let mut v = json!(1);
    for _ in 0..depth {
        v = json!([v]);
    }
    v
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

mod pg {
    use std::time::Duration;

    const URL_VAR: &str = "WEFT_TEST_DATABASE_URL";

    /// `None` (after saying why) when there is no database to test
    /// against; a failure instead under `CI=true`.
    pub fn database() -> Option<String> {
        let why = match std::env::var(URL_VAR) {
            Ok(url) => match sql(&url, "SELECT 1") {
                Ok(()) => return Some(url),
                Err(e) => format!("cannot connect to the database of {URL_VAR}: {e}"),
            },
            Err(_) => format!("{URL_VAR} is not set"),
        };
        if super::support::in_ci() {
            panic!("{why}. CI=true, so the PostgreSQL runs must run: .ci/run sets {URL_VAR}");
        }
        eprintln!("skipping the PostgreSQL runs: {why}; see .ci/run");
        None
    }

    /// Runs statements on a connection of their own, on a thread of their
    /// own.
    pub fn sql(url: &str, statements: &str) -> Result<(), String> {
        let (url, statements) = (url.to_string(), statements.to_string());
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
                client
                    .batch_execute(&statements)
                    .await
                    .map_err(|e| format!("{e:?}"))
            })
        })
        .join()
        .map_err(|_| "the database thread panicked".to_string())?
    }

    /// A schema of its own for one test, dropped at the end (left, to look
    /// at, when the test fails).
    pub struct Schema {
        base: String,
        name: String,
        /// The database URL with `search_path` set to the schema.
        pub url: String,
    }

    impl Schema {
        pub fn new(base: &str, tag: &str) -> Schema {
            let name = format!(
                "weft_{}_{}_{:x}",
                tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                std::process::id(),
                super::support::now_ms()
            );
            sql(base, &format!("CREATE SCHEMA {name}")).expect("the schema is created");
            let sep = if base.contains('?') { '&' } else { '?' };
            Schema {
                base: base.to_string(),
                url: format!("{base}{sep}options=-csearch_path%3D{name}"),
                name,
            }
        }
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                let _ = sql(
                    &self.base,
                    &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
                );
            }
        }
    }
}

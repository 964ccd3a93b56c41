//! Machines on the embedded store (fsync on): commands through the runtime,
//! and queries over 100,000 instances.
//!
//! ```text
//! cargo run --release -p weft-cli --example bench_machines [--queries] [--pg URL] [DIR]
//! ```
//!
//! 1. Commands: `Counter.Add` (a handler without awaits) sent through
//!    `Runtime::send_command` by 64 concurrent senders, over 1, 64 and
//!    1,000 keys: commands/s and each command's latency until applied.
//! 2. Queries: 100,000 instances of `Account` written straight to the
//!    store (each with its command, in commits of 1,000), then `where`
//!    queries as `GET /v1/machines/Account?where=...` runs them
//!    (`weft_server::machines::parse_where`, `weft_store::machines::query`):
//!    the first page of 50, and every match page by page (pages of 1,000).
//!
//! 3. With `--pg URL` (or `WEFT_TEST_DATABASE_URL` set), the same queries
//!    over 100,000 instances on PostgreSQL, in a schema of their own
//!    (`weft_bench_machines_<pid>`, dropped at the end), after `VACUUM
//!    ANALYZE`.
//!
//! `--queries` skips the commands (1.). DIR defaults to a fresh directory
//! under the system's temp directory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use weft_runtime::host::CommandRequest;
use weft_runtime::{Activities, Runtime};
use weft_store::machines::{
    query, CommandRecord, CommandStatus, InstanceQuery, InstanceRow, MachineWrite,
};
use weft_store::{Batch, RunWrite, SourceText, Store};
use weft_store_sqlite::SqliteStore;

const COUNTER: &str = r#"machine Counter {
    state { total: number = 0 }
    command Add(input: {n: number}) {
        return {total: state.total + input.n}
    }
}
"#;

/// Commands per measurement, and concurrent senders.
const COMMANDS: usize = 20_000;
const SENDERS: usize = 64;

/// Instances the queries run over.
const INSTANCES: usize = 100_000;

/// Times each query is run (the figure is the median).
const REPEATS: usize = 15;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
    sorted[i]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut only_queries, mut pg) = (None, false, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--queries" => only_queries = true,
            "--pg" => pg = Some(args.next().expect("--pg takes a database URL")),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let pg = pg.or_else(|| std::env::var("WEFT_TEST_DATABASE_URL").ok());
    let dir = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("weft-bench-machines-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("create the directory");
    println!("directory: {}", dir.display());
    if !only_queries {
        commands(&dir.join("commands"));
    }
    let qdir = dir.join("queries");
    std::fs::create_dir_all(&qdir).expect("create the directory");
    let store = SqliteStore::open(&qdir).expect("open the store");
    queries("SQLite", &store, || {
        std::fs::read_dir(&qdir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    });
    if let Some(url) = pg {
        postgres(&url);
    }
}

/// The queries on PostgreSQL, in a schema of their own.
fn postgres(url: &str) {
    let config: tokio_postgres::Config = url.parse().expect("a valid database URL");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let admin = rt.block_on(async {
        let (client, conn) = config
            .connect(tokio_postgres::NoTls)
            .await
            .expect("connect to PostgreSQL");
        tokio::spawn(async move {
            let _ = conn.await;
        });
        client
    });
    let exec = |sql: &str| {
        rt.block_on(admin.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let schema = format!("weft_bench_machines_{}", std::process::id());
    exec(&format!("CREATE SCHEMA {schema}"));
    let version: String = rt
        .block_on(admin.query_one("SHOW server_version", &[]))
        .map(|r| r.get(0))
        .unwrap_or_default();
    println!();
    println!("PostgreSQL {version}, schema {schema}");
    let mut store_config = config.clone();
    let options = match config.get_options() {
        Some(o) if !o.is_empty() => format!("{o} -csearch_path={schema}"),
        _ => format!("-csearch_path={schema}"),
    };
    store_config.options(&options);
    let store = weft_store_postgres::PgStore::connect_with(store_config, 4).expect("the store");
    queries("PostgreSQL", &store, || {
        // Statistics first, as autovacuum would give them in time.
        exec(&format!(
            "VACUUM ANALYZE {schema}.machine_instances, {schema}.machine_fields, \
             {schema}.machine_commands"
        ));
        rt.block_on(admin.query_one(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind = 'r'",
            &[&schema],
        ))
        .map(|r| r.get::<_, i64>(0) as u64)
        .unwrap_or(0)
    });
    drop(store);
    exec(&format!("DROP SCHEMA {schema} CASCADE"));
}

fn commands(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).expect("create the directory");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir).expect("open the store"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let activities = Activities::new().on(rt.handle().clone());
    let runtime = Runtime::start(store, Arc::new(activities)).expect("start the runtime");
    println!();
    println!("## Commands: `Counter.Add`, {SENDERS} senders, {COMMANDS} commands");
    println!();
    println!("| keys | commands/s | p50 ms | p99 ms | commits | commands per commit |");
    println!("|---:|---:|---:|---:|---:|---:|");
    rt.block_on(async {
        runtime
            .deploy(vec![SourceText {
                name: "counter.weft".into(),
                text: COUNTER.into(),
            }])
            .await
            .expect("deploy");
        // Warm up.
        send(&runtime, 1_000, 64, "warm").await;
        for keys in [1usize, 64, 1_000] {
            let m = runtime.metrics();
            let (_, _, batches0) = m.commit_seconds.snapshot();
            let t = Instant::now();
            let mut lat = send(&runtime, COMMANDS, keys, &format!("k{keys}")).await;
            let elapsed = t.elapsed();
            let (_, _, batches) = m.commit_seconds.snapshot();
            lat.sort_by(|a, b| a.total_cmp(b));
            let commits = batches - batches0;
            println!(
                "| {keys} | {:.0} | {:.2} | {:.2} | {commits} | {:.1} |",
                COMMANDS as f64 / elapsed.as_secs_f64(),
                percentile(&lat, 0.5),
                percentile(&lat, 0.99),
                COMMANDS as f64 / commits.max(1) as f64
            );
        }
    });
    runtime.shutdown();
}

/// Sends `count` commands from [`SENDERS`] senders over `keys` keys;
/// returns each command's latency (ms).
async fn send(runtime: &Runtime, count: usize, keys: usize, tag: &str) -> Vec<f64> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (runtime, next, tag) = (runtime.clone(), next.clone(), tag.to_string());
        senders.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return lat;
                }
                let req = CommandRequest {
                    machine: "Counter".into(),
                    key: format!("{tag}-{}", i % keys),
                    command: "Add".into(),
                    input: json!({"n": 1}),
                    command_id: Some(format!("{tag}-{i}")),
                    reply: None,
                };
                let t = Instant::now();
                let rec = runtime
                    .send_command(req, Duration::from_secs(60))
                    .await
                    .expect("the command is sent");
                assert_eq!(rec.status, CommandStatus::Applied, "{rec:?}");
                lat.push(ms(t.elapsed()));
            }
        }));
    }
    let mut all = Vec::with_capacity(count);
    for s in senders {
        all.extend(s.await.expect("a sender"));
    }
    all
}

/// The state of account `i`: a plan (70 % free, 20 % pro, 10 % team), a
/// balance spread over 0..10,000, one of 50 regions, verified or not, an
/// e-mail address and a nested profile.
fn account(i: usize) -> serde_json::Value {
    let plan = match i % 10 {
        0 => "team",
        1 | 2 => "pro",
        _ => "free",
    };
    json!({
        "plan": plan,
        "balance": (i * 7_919) % 10_000,
        "region": format!("r{}", i % 50),
        "verified": i.is_multiple_of(2),
        "email": format!("user{i}@example.com"),
        "profile": {"name": format!("User {i}"), "since": 2020 + i % 5},
    })
}

/// Writes [`INSTANCES`] accounts to `store`, then times the queries;
/// `size` is the store's size in bytes once they are written.
fn queries(label: &str, store: &dyn Store, size: impl FnOnce() -> u64) {
    let t = Instant::now();
    for chunk in (0..INSTANCES).collect::<Vec<_>>().chunks(1_000) {
        let mut machines = Vec::new();
        for &i in chunk {
            let key = format!("acct-{i:06}");
            let mut row = InstanceRow::new("Account", &key, 1_000);
            row.instance.state = account(i);
            row.instance.version = 1;
            row.next_seq = 2;
            row.finished = 1;
            machines.push(MachineWrite::Command(Box::new(CommandRecord {
                machine: "Account".into(),
                key: key.clone(),
                seq: 1,
                command: "Open".into(),
                input: account(i),
                command_id: format!("open-{i}"),
                status: CommandStatus::Applied,
                run_id: Some(format!("run-{i}")),
                version: Some(1),
                state: Some(account(i)),
                error: None,
                replies: Vec::new(),
                created_at: 1_000,
                finished_at: Some(1_000),
            })));
            machines.push(MachineWrite::Instance { row, fence: None });
        }
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    machines,
                    ..RunWrite::default()
                }],
            })
            .expect("commit");
    }
    let load = t.elapsed();
    let size = size();
    println!();
    println!(
        "## {label}: queries over {INSTANCES} instances (written in {:.1} s: {:.0} instances/s with their commands; store {:.0} MiB)",
        load.as_secs_f64(),
        INSTANCES as f64 / load.as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    println!();
    println!("| where | matches | first page of 50, ms (p50 / max) | every match, pages of 1,000, ms (p50) |");
    println!("|---|---:|---:|---:|");
    for w in [
        "state.plan == \"team\"",
        "state.region == \"r7\"",
        "state.email == \"user4242@example.com\"",
        "state.balance >= 9900",
        "state.balance < 100 && state.plan == \"pro\"",
        "state.region == \"r7\" && state.balance < 500",
        "state.profile.since == 2021 && state.verified == true",
        "state.verified == true",
        "state.plan != \"free\"",
        "key == \"acct-004242\"",
        "state.balance > 20000",
    ] {
        let filter = weft_server::machines::parse_where(w).expect("a where");
        let q = |limit: usize, cursor: Option<String>| InstanceQuery {
            machine: "Account".into(),
            filter: filter.clone(),
            limit,
            cursor,
        };
        let mut first = Vec::new();
        for _ in 0..REPEATS {
            let t = Instant::now();
            query(store, &q(50, None)).expect("query");
            first.push(ms(t.elapsed()));
        }
        first.sort_by(|a, b| a.total_cmp(b));
        let mut every = Vec::new();
        let mut matches = 0;
        for _ in 0..REPEATS.min(5) {
            let t = Instant::now();
            let mut cursor = None;
            matches = 0;
            loop {
                let page = query(store, &q(1_000, cursor)).expect("query");
                matches += page.items.len();
                match page.next {
                    Some(n) => cursor = Some(n),
                    None => break,
                }
            }
            every.push(ms(t.elapsed()));
        }
        every.sort_by(|a, b| a.total_cmp(b));
        println!(
            "| `{w}` | {matches} | {:.2} / {:.2} | {:.1} |",
            percentile(&first, 0.5),
            first[first.len() - 1],
            percentile(&every, 0.5)
        );
    }
}

//! Measures group commit on PostgreSQL: batches of 1, 10, 100 and 500
//! typical run steps, with the server's durability settings as they are;
//! then what a cluster adds (`--cluster`: only that part):
//! fenced commits against the same commits unfenced, `claim_runs_with_work`
//! idle and with a backlog, `lease_tasks`, how long a node waits to hear of
//! another node's `enqueue`, and several nodes committing at once with and
//! without a `NOTIFY` in their transactions.
//!
//! ```text
//! cargo run --release -p weft-store-postgres --example bench_pg_commit -- [URL] [--cluster]
//! ```
//!
//! URL defaults to `WEFT_TEST_DATABASE_URL`. The benchmark works in a new
//! schema (`weft_bench_<pid>`) that it drops at the end. One step is what a
//! run step writes: the run's row (record and a 1.5 KB snapshot), one
//! journal row, one task put and one task deleted (as in the SQLite
//! store's benchmark). It also prints the server's version and durability
//! settings, and the round-trip time of `SELECT 1`.

use std::time::{Duration, Instant};

use weft_engine::state::Event;
use weft_engine::state::Status;
use weft_store::{Batch, ClusterStore, Fence, RunQuery, RunWrite, Store};
use weft_store_postgres::{Config, PgStore};

#[path = "../../weft-store/examples/support/typical_step.rs"]
mod typical_step;
use typical_step::{percentile, step};

/// Runs the steps cycle through (each batch touches distinct runs).
const RUNS: usize = 20_000;
/// Batch sizes measured, with the number of commits for each.
const SIZES: &[(usize, usize)] = &[(1, 1_000), (10, 1_000), (100, 300), (500, 100)];
/// Round trips timed.
const PINGS: usize = 500;

/// An admin connection for setting up, on a runtime of its own.
struct Admin {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl Admin {
    fn connect(config: &Config) -> Admin {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let client = rt.block_on(async {
            let (client, conn) = config
                .connect(tokio_postgres::NoTls)
                .await
                .expect("connect to the database");
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client
        });
        Admin { rt, client }
    }

    fn exec(&self, sql: &str) {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    fn show(&self, setting: &str) -> String {
        self.rt
            .block_on(self.client.query_one(&format!("SHOW {setting}"), &[]))
            .map(|r| r.get(0))
            .unwrap_or_else(|e| format!("? ({e})"))
    }

    fn ping(&self) -> Vec<Duration> {
        self.rt.block_on(async {
            let s = self.client.prepare("SELECT 1").await.expect("prepare");
            let mut times = Vec::with_capacity(PINGS);
            for _ in 0..PINGS {
                let t = Instant::now();
                self.client.query_one(&s, &[]).await.expect("SELECT 1");
                times.push(t.elapsed());
            }
            times.sort();
            times
        })
    }

    fn relation_size(&self, schema: &str) -> i64 {
        self.rt
            .block_on(self.client.query_one(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = $1 AND c.relkind = 'r'",
                &[&schema],
            ))
            .map(|r| r.get(0))
            .unwrap_or(0)
    }

    /// Updates of `runs` and how many of them were HOT (wrote no index
    /// entry); the server publishes these counts within a second or so.
    fn hot_updates(&self, schema: &str) -> (i64, i64) {
        self.rt
            .block_on(self.client.query_one(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables \
                 WHERE schemaname = $1 AND relname = 'runs'",
                &[&schema],
            ))
            .map(|r| (r.get(0), r.get(1)))
            .unwrap_or((0, 0))
    }

    fn wal_bytes(&self) -> Option<i64> {
        self.rt
            .block_on(self.client.query_one(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint",
                &[],
            ))
            .ok()
            .map(|r| r.get(0))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only_cluster = args.iter().any(|a| a == "--cluster");
    let url = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .or_else(|| std::env::var("WEFT_TEST_DATABASE_URL").ok())
        .expect("pass a database URL, or set WEFT_TEST_DATABASE_URL");
    let config: Config = url.parse().expect("a valid database URL");
    let admin = Admin::connect(&config);
    let schema = format!("weft_bench_{}", std::process::id());
    admin.exec(&format!("CREATE SCHEMA {schema}"));
    println!(
        "server: {}; fsync {}, synchronous_commit {}, wal_sync_method {}, \
         full_page_writes {}",
        admin.show("server_version"),
        admin.show("fsync"),
        // The admin connection has the URL's options too.
        admin.show("synchronous_commit"),
        admin.show("wal_sync_method"),
        admin.show("full_page_writes"),
    );
    let pings = admin.ping();
    println!(
        "round trip (SELECT 1), {PINGS} calls: p50 {:.3} ms, p99 {:.3} ms",
        percentile(&pings, 0.5),
        percentile(&pings, 0.99)
    );

    let mut store_config = config.clone();
    // Options of the URL (e.g. `-csynchronous_commit=off`, to see what the
    // flush costs) are kept.
    let options = match config.get_options() {
        Some(o) if !o.is_empty() => format!("{o} -csearch_path={schema}"),
        _ => format!("-csearch_path={schema}"),
    };
    store_config.options(&options);
    let store = PgStore::connect_with(store_config.clone(), 4).expect("connect the store");

    // Create the runs, each with its first task.
    let t = Instant::now();
    for chunk in (0..RUNS).collect::<Vec<_>>().chunks(500) {
        let writes = chunk
            .iter()
            .map(|&i| RunWrite {
                created: true,
                ..step(i, 0, 0)
            })
            .collect();
        store.commit(&Batch { writes }).expect("create runs");
    }
    println!(
        "created {RUNS} runs in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    admin.exec(&format!("VACUUM ANALYZE {schema}.runs"));

    let mut seq = vec![1usize; RUNS];
    let mut next = 0usize;
    let mut now = 1_000;
    if only_cluster {
        cluster(&admin, &schema, &store_config, &store, &mut seq, &mut now);
        drop(store);
        admin.exec(&format!("DROP SCHEMA {schema} CASCADE"));
        return;
    }
    println!();
    println!(
        "| steps per batch | commits | steps/s | mean ms/commit | p50 ms | p99 ms | WAL KiB/step |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &(size, commits) in SIZES {
        // Build every batch first: only the commit is timed.
        let batches: Vec<Batch> = (0..commits)
            .map(|_| Batch {
                writes: (0..size)
                    .map(|_| {
                        let i = next % RUNS;
                        next += 1;
                        now += 1;
                        let s = seq[i];
                        seq[i] += 1;
                        step(i, s, now)
                    })
                    .collect(),
            })
            .collect();
        let mut times = Vec::with_capacity(commits);
        let wal = admin.wal_bytes();
        let start = Instant::now();
        for b in &batches {
            let t = Instant::now();
            store.commit(b).expect("commit");
            times.push(t.elapsed());
        }
        let total = start.elapsed().as_secs_f64();
        let per_step = match (wal, admin.wal_bytes()) {
            (Some(a), Some(b)) => {
                format!("{:.1}", (b - a) as f64 / 1024.0 / (size * commits) as f64)
            }
            _ => "?".into(),
        };
        times.sort();
        println!(
            "| {size} | {commits} | {:.0} | {:.2} | {:.2} | {:.2} | {per_step} |",
            (size * commits) as f64 / total,
            total * 1e3 / commits as f64,
            percentile(&times, 0.5),
            percentile(&times, 0.99),
        );
    }

    // Reads while nothing commits, for scale.
    let t = Instant::now();
    let n = 2_000;
    for k in 0..n {
        store
            .load_run(&format!("0190a1b2c3d4-{:08}", k * 7 % RUNS))
            .expect("load");
    }
    let load = t.elapsed().as_secs_f64() * 1e3 / n as f64;
    let t = Instant::now();
    for _ in 0..200 {
        store
            .list_runs(&RunQuery {
                limit: 50,
                status: Some(Status::Running),
                ..RunQuery::default()
            })
            .expect("list");
    }
    let list = t.elapsed().as_secs_f64() * 1e3 / 200.0;
    println!();
    println!("load_run: {load:.3} ms; list_runs (50, by status): {list:.3} ms");
    std::thread::sleep(Duration::from_millis(1_500));
    let (updates, hot) = admin.hot_updates(&schema);
    println!(
        "runs updated {updates} times, {:.0}% HOT (no index entry written)",
        hot as f64 * 100.0 / updates.max(1) as f64
    );
    println!(
        "tables and indexes: {:.1} MiB",
        admin.relation_size(&schema) as f64 / (1 << 20) as f64
    );
    cluster(&admin, &schema, &store_config, &store, &mut seq, &mut now);
    drop(store);
    admin.exec(&format!("DROP SCHEMA {schema} CASCADE"));
}

/// Fenced and unfenced commits timed, alternating: batch size, commits.
const FENCE_SIZES: &[(usize, usize)] = &[(1, 600), (100, 200)];
/// Runs with work waiting, half with an inbox event, half with a due timer.
const BACKLOG: usize = 2_000;
/// Runs `claim_runs_with_work` claims at once (the runtime's batch).
const CLAIM_LIMIT: usize = 256;
/// Nodes committing at once in the `NOTIFY` comparison, and their commits.
const WRITERS: usize = 3;
const WRITER_COMMITS: usize = 300;

fn mean_ms(times: &[Duration]) -> f64 {
    times.iter().map(|t| t.as_secs_f64()).sum::<f64>() * 1e3 / times.len().max(1) as f64
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// What a cluster adds; see the module documentation.
fn cluster(
    admin: &Admin,
    schema: &str,
    config: &Config,
    store: &PgStore,
    seq: &mut [usize],
    now: &mut i64,
) {
    let lease = 60_000;
    let mut next_step = |i: usize, now: &mut i64| {
        *now += 1;
        let s = seq[i];
        seq[i] += 1;
        step(i, s, *now)
    };
    println!();
    println!("cluster:");
    // Every run held by one node, as a node holds the runs it steps.
    admin.exec(&format!(
        "UPDATE {schema}.runs SET owner = 'bench', epoch = 1, lease_until = 9000000000000000"
    ));
    let fence = Fence {
        node: "bench".into(),
        epoch: 1,
        lease_until: 0,
    };
    let mut run = 0usize;
    for &(size, commits) in FENCE_SIZES {
        let (mut plain, mut fenced) = (Vec::new(), Vec::new());
        for k in 0..commits {
            let with_fence = k % 2 == 1;
            let batch = Batch {
                writes: (0..size)
                    .map(|_| {
                        run = (run + 1) % RUNS;
                        let mut w = next_step(run, now);
                        if with_fence {
                            w.fence = Some(fence.clone());
                        }
                        w
                    })
                    .collect(),
            };
            let ((), t) = timed(|| store.commit(&batch).expect("commit"));
            if with_fence { &mut fenced } else { &mut plain }.push(t);
        }
        plain.sort();
        fenced.sort();
        println!(
            "commit of {size} step(s): unfenced mean {:.2} ms (p50 {:.2}), fenced mean {:.2} ms \
             (p50 {:.2}); {} commits each, alternating",
            mean_ms(&plain),
            percentile(&plain, 0.5),
            mean_ms(&fenced),
            percentile(&fenced, 0.5),
            commits / 2
        );
    }

    // Looking for work: idle, then with a backlog taken by nodes in turn,
    // then with everything held by others (the scan finds nothing to take).
    admin.exec(&format!("UPDATE {schema}.runs SET owner = NULL"));
    let idle: Vec<Duration> = (0..300)
        .map(|_| timed(|| store.claim_runs_with_work("n0", *now, lease, CLAIM_LIMIT)).1)
        .collect();
    let event = serde_json::to_string(&Event::Retry).expect("an event");
    let half = BACKLOG / 2;
    admin.exec(&format!(
        "INSERT INTO {schema}.inbox (run_id, event)          SELECT id, '{event}' FROM {schema}.runs ORDER BY id LIMIT {half};
         INSERT INTO {schema}.timers (run_id, key, at)          SELECT id, 'sleep', {now} FROM {schema}.runs ORDER BY id OFFSET {half} LIMIT {half};
         ANALYZE {schema}.inbox; ANALYZE {schema}.timers;",
        now = *now
    ));
    let mut taking = Vec::new();
    let mut claimed = 0;
    for n in 1.. {
        let (got, t) = timed(|| {
            store
                .claim_runs_with_work(&format!("n{n}"), *now, lease, CLAIM_LIMIT)
                .expect("claim")
        });
        if got.is_empty() {
            break;
        }
        claimed += got.len();
        taking.push(t);
    }
    assert_eq!(claimed, BACKLOG, "every run with work is claimed once");
    let held: Vec<Duration> = (0..100)
        .map(|_| timed(|| store.claim_runs_with_work("late", *now, lease, CLAIM_LIMIT)).1)
        .collect();
    println!(
        "claim_runs_with_work ({CLAIM_LIMIT} at most): idle {:.3} ms; {BACKLOG} runs with work \
         ({half} inbox, {half} timers) claimed {CLAIM_LIMIT} at a time {:.2} ms per call; the \
         same backlog all held by others {:.2} ms",
        mean_ms(&idle),
        mean_ms(&taking),
        mean_ms(&held)
    );

    // Leasing tasks: the runs' outstanding tasks, 10 at a time, then when
    // every task is leased.
    let acts = vec!["Charge".to_string()];
    let mut leasing = Vec::new();
    for k in 0..300 {
        let (got, t) = timed(|| {
            store
                .lease_tasks("any", &acts, &format!("w{k}"), 10, *now, lease)
                .expect("lease")
        });
        assert_eq!(got.len(), 10);
        leasing.push(t);
    }
    admin.exec(&format!(
        "UPDATE {schema}.tasks SET lease_until = 9000000000000000; ANALYZE {schema}.tasks"
    ));
    let none: Vec<Duration> = (0..300)
        .map(|_| timed(|| store.lease_tasks("any", &acts, "w", 10, *now, lease)).1)
        .collect();
    println!(
        "lease_tasks (10 of {RUNS} waiting): {:.2} ms; none free: {:.3} ms",
        mean_ms(&leasing),
        mean_ms(&none)
    );

    // Hearing of another node's work.
    let other = PgStore::connect_with(config.clone(), 2).expect("another node");
    assert!(store.listen(Duration::from_secs(10)), "listening");
    let mut heard = Vec::new();
    for k in 0..50 {
        let run = format!("0190a1b2c3d4-{k:08}");
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let woken = store.wait_for_work(Duration::from_secs(5)).expect("wait");
                (woken, Instant::now())
            });
            std::thread::sleep(Duration::from_millis(20));
            let sent = Instant::now();
            other.enqueue(&run, &Event::Retry).expect("enqueue");
            let (woken, at) = waiter.join().expect("the waiter");
            assert!(woken);
            heard.push(at - sent);
        });
    }
    heard.sort();
    println!(
        "enqueue on one node to wait_for_work returning on another: p50 {:.2} ms, p99 {:.2} ms \
         (the enqueue's commit included)",
        percentile(&heard, 0.5),
        percentile(&heard, 0.99)
    );

    // Nodes committing at once (one step a commit, as a lightly loaded
    // node does): steps that store a task (a NOTIFY in the transaction,
    // which PostgreSQL serialises at commit) against steps that arm a timer.
    for notify in [false, true, false, true] {
        let start = Instant::now();
        std::thread::scope(|s| {
            for w in 0..WRITERS {
                let node = PgStore::connect_with(config.clone(), 2).expect("a node");
                s.spawn(move || {
                    for k in 0..WRITER_COMMITS {
                        // Each node its own runs, each step a new call.
                        let i = (k * WRITERS + w) % RUNS;
                        let mut step = step(i, 1_000_000 + k, 1);
                        if !notify {
                            step.tasks_put.clear();
                            step.timers_set = vec![("t".into(), i64::MAX)];
                        }
                        node.commit(&Batch { writes: vec![step] }).expect("commit");
                    }
                });
            }
        });
        let total = start.elapsed().as_secs_f64();
        println!(
            "{WRITERS} nodes committing at once, one step a commit, {}: {:.0} commits/s",
            if notify {
                "storing a task (NOTIFY)"
            } else {
                "arming a timer (no NOTIFY)"
            },
            (WRITERS * WRITER_COMMITS) as f64 / total
        );
    }
}

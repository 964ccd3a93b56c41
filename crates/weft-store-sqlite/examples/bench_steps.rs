//! The in-process workload of `weft bench` (a 3-step flow, activities in
//! process, this store with fsync on) without the rest of the `weft`
//! binary, so that a profiler can run it from a small release build:
//!
//! ```text
//! cargo build --release -p weft-store-sqlite --example bench_steps
//! target/release/examples/bench_steps [RUNS] [CONCURRENCY] [DIR]
//! valgrind --tool=callgrind target/release/examples/bench_steps 2000 64
//! ```
//!
//! It prints steps per second, run latency, and the bytes the process wrote
//! (write calls: log frames and checkpoints) per step. The figures of
//! `docs/benchmarks.md` are `weft bench`'s; this one uses the system
//! allocator where `weft` uses mimalloc.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use weft_runtime::{Activities, Runtime};
use weft_store::{SourceText, Store};
use weft_store_sqlite::SqliteStore;

/// The workload's flow (as `weft bench`'s).
const ORDER_FLOW: &str = r#"flow order(input) {
    reserved = reserve(input.id)
    charged = charge(input.id)
    shipped = ship(input.id)
    return({reserved: reserved, charged: charged, shipped: shipped})
}
"#;

/// Steps per run.
const STEPS_PER_RUN: usize = 3;

/// Bytes this process has written with write calls (Linux).
fn bytes_written() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|l| l.strip_prefix("wchar: "))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(64);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = args
        .get(3)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("store"));
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir).expect("the store opens"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let answer = |step: u32| {
        move |_: &weft_runtime::ActivityCtx, a: &serde_json::Value| {
            let id = a.get(0).cloned().unwrap_or_default();
            Ok(match step {
                1 => json!({"step": 1, "order": id, "reserved": true}),
                2 => json!({"step": 2, "order": id, "amount_cents": 4200}),
                _ => json!({"step": 3, "order": id,
                    "tracking": format!("T-{}", id.as_str().unwrap_or(""))}),
            })
        }
    };
    let activities = Activities::new()
        .on(rt.handle().clone())
        .register_sync("reserve", answer(1))
        .register_sync("charge", answer(2))
        .register_sync("ship", answer(3));
    let runtime = Runtime::start(store, Arc::new(activities)).expect("the runtime starts");
    rt.block_on(async {
        runtime
            .deploy(vec![SourceText {
                name: "order.weft".into(),
                text: ORDER_FLOW.into(),
            }])
            .await
            .expect("the flow deploys");
        drive(&runtime, (concurrency * 4).min(500), concurrency, "warm").await;
        let written = bytes_written();
        let t = Instant::now();
        let mut lat = drive(&runtime, runs, concurrency, "run").await;
        let elapsed = t.elapsed().as_secs_f64();
        let written = bytes_written() - written;
        lat.sort_by(|a, b| a.total_cmp(b));
        let steps = runs * STEPS_PER_RUN;
        println!(
            "runs={runs} concurrency={concurrency} steps_per_s={:.0} p50_ms={:.2} p99_ms={:.2} written_bytes_per_step={:.0}",
            steps as f64 / elapsed,
            lat[lat.len() / 2],
            lat[(lat.len() * 99 / 100).min(lat.len() - 1)],
            written as f64 / steps as f64
        );
    });
    runtime.shutdown();
}

/// `concurrency` clients start runs back to back until `runs` completed;
/// returns each run's latency in ms.
async fn drive(runtime: &Runtime, runs: usize, concurrency: usize, tag: &str) -> Vec<f64> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let (runtime, next, tag) = (runtime.clone(), next.clone(), tag.to_string());
        clients.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= runs {
                    return lat;
                }
                let id = format!("{tag}-{i}");
                let t = Instant::now();
                let (_, rec) = runtime
                    .start_and_wait("order", json!({"id": id}), None, Duration::from_secs(60))
                    .await
                    .expect("the run finishes");
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(
                    rec.result
                        .as_ref()
                        .map(|r| r["shipped"]["tracking"].clone()),
                    Some(json!(format!("T-{id}"))),
                    "run {}",
                    rec.id
                );
            }
        }));
    }
    let mut all = Vec::with_capacity(runs);
    for c in clients {
        all.extend(c.await.expect("a client ends"));
    }
    all
}

//! `weft bench`: the standard workload, in process.
//!
//! A 3-step flow (`order`: reserve, charge, ship; the same as the peer
//! benchmarks in ../shared/peers) started by C concurrent clients until N
//! runs have completed; activities are in-process Rust functions; the store
//! is the embedded one with fsync on. A *step* is one activity call whose
//! result is recorded; a 3-step run commits 4 times (start + 3 results).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::json;
use weft_runtime::{Activities, ActivityCtx, ActivityError, Runtime};
use weft_store::{SourceText, Store};

/// The workload's flow: three sequential durable steps.
pub const ORDER_FLOW: &str = r#"flow order(input) {
    reserved = reserve(input.id)
    charged = charge(input.id)
    shipped = ship(input.id)
    return({reserved: reserved, charged: charged, shipped: shipped})
}
"#;

/// Steps per run of the workload.
pub const STEPS_PER_RUN: usize = 3;

/// What a bench measured.
pub struct Figures {
    /// Runs measured.
    pub runs: usize,
    /// Concurrent clients.
    pub concurrency: usize,
    /// Wall time of the measured runs.
    pub elapsed: Duration,
    /// Per-run latency, sorted.
    pub latencies_ms: Vec<f64>,
    /// p50 of fdatasync on the same disk.
    pub fsync_p50_ms: f64,
    /// Batches committed during the measured runs.
    pub batches: u64,
    /// Transactions they were committed in (batches that waited for the
    /// writer together share one).
    pub transactions: u64,
    /// Mean time of one commit (one transaction, one fsync), ms.
    pub commit_mean_ms: f64,
    /// Mean run steps per commit (group commit at work).
    pub batch_mean_writes: f64,
    /// Mean bytes of one journal step (entries and cause, as stored) of
    /// the last measured run.
    pub journal_bytes_per_step: f64,
}

impl Figures {
    /// Nearest-rank percentile of run latency.
    pub fn percentile(&self, p: f64) -> f64 {
        let n = self.latencies_ms.len();
        if n == 0 {
            return 0.0;
        }
        let idx = ((p / 100.0) * n as f64).ceil() as usize;
        self.latencies_ms[idx.clamp(1, n) - 1]
    }

    /// Completed steps per second.
    pub fn steps_per_s(&self) -> f64 {
        (self.runs * STEPS_PER_RUN) as f64 / self.elapsed.as_secs_f64()
    }

    /// The pinned last line.
    pub fn last_line(&self) -> String {
        format!(
            "runs={} steps_per_s={:.0} p50_ms={:.2} p99_ms={:.2} fsync_p50_ms={:.3}",
            self.runs,
            self.steps_per_s(),
            self.percentile(50.0),
            self.percentile(99.0),
            self.fsync_p50_ms
        )
    }
}

/// The folder a bench's store lives in: a fresh temporary one, removed
/// when the bench ends (or fails) unless kept, or one the user named with
/// `--data`, which is never removed.
pub struct StoreDir {
    path: PathBuf,
    named: bool,
    remove: bool,
}

impl StoreDir {
    /// `data` when given, else a new folder in the temporary directory.
    pub fn new(data: Option<PathBuf>, keep: bool) -> anyhow::Result<StoreDir> {
        if let Some(path) = data {
            std::fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            return Ok(StoreDir {
                path,
                named: true,
                remove: false,
            });
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("weft-bench-{}-{nanos:x}", std::process::id()));
        // `create_dir`, not `create_dir_all`: a folder that exists already
        // is not ours to remove later.
        std::fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(StoreDir {
            path,
            named: false,
            remove: !keep,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the folder unless it is kept (the store must be closed by
    /// now), and says which.
    pub fn finish(mut self) -> anyhow::Result<String> {
        let shown = self.path.display().to_string();
        if self.named {
            return Ok(format!("store kept in {shown} (--data)"));
        }
        if !self.remove {
            return Ok(format!("store kept in {shown} (--keep)"));
        }
        self.remove = false;
        std::fs::remove_dir_all(&self.path)
            .with_context(|| format!("cannot remove the bench store {shown}"))?;
        Ok(format!("store removed ({shown}; --keep keeps it)"))
    }
}

impl Drop for StoreDir {
    fn drop(&mut self) {
        // A bench that failed leaves no temporary store behind either.
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// What the workload's activity `name` answers (the peers' answers).
pub fn answer(name: &str, args: &serde_json::Value) -> serde_json::Value {
    let id = args.get(0).cloned().unwrap_or(serde_json::Value::Null);
    match name {
        "reserve" => json!({"step": 1, "order": id, "reserved": true}),
        "charge" => json!({"step": 2, "order": id, "amount_cents": 4200}),
        _ => {
            json!({"step": 3, "order": id, "tracking": format!("T-{}", id.as_str().unwrap_or(""))})
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn step(
    name: &'static str,
) -> impl Fn(&ActivityCtx, &serde_json::Value) -> Result<serde_json::Value, ActivityError> {
    move |_ctx, args| Ok(answer(name, args))
}

/// Times `count` fdatasyncs of a 4 KiB write in `dir`; returns the p50 in ms.
pub fn fsync_p50_ms(dir: &Path, count: usize) -> anyhow::Result<f64> {
    use std::io::{Seek, SeekFrom, Write};
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let block = [0x5au8; 4096];
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&block)?;
        let t = Instant::now();
        f.sync_data()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    drop(f);
    let _ = std::fs::remove_file(&path);
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[times.len() / 2])
}

/// Runs the workload on `store` (whose files live in `dir`): after one
/// fsync probe, `runs` measured runs at each of `levels` (concurrent
/// clients) in turn, each after a warm-up of its own.
pub fn run(
    store: Arc<dyn Store>,
    dir: &Path,
    runs: usize,
    levels: &[usize],
) -> anyhow::Result<Vec<Figures>> {
    if runs == 0 || levels.is_empty() || levels.contains(&0) {
        bail!("--runs and --concurrency must be at least 1");
    }
    let fsync = fsync_p50_ms(dir, 200)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let activities = Activities::new()
        .on(rt.handle().clone())
        .register_sync("reserve", step("reserve"))
        .register_sync("charge", step("charge"))
        .register_sync("ship", step("ship"));
    let runtime =
        Runtime::start(store, Arc::new(activities)).context("cannot start the runtime")?;
    let figures = rt.block_on(async {
        runtime
            .deploy(vec![SourceText {
                name: "order.weft".into(),
                text: ORDER_FLOW.into(),
            }])
            .await
            .context("cannot deploy the bench flow")?;
        let mut all = Vec::with_capacity(levels.len());
        for (level, &concurrency) in levels.iter().enumerate() {
            // Warm up: caches, the compiled program, SQLite's pages.
            let warm = format!("warm{level}");
            drive(&runtime, (concurrency * 4).min(500), concurrency, &warm).await?;
            let m = runtime.metrics();
            let (_, commit_sum0, batches0) = m.commit_seconds.snapshot();
            let transactions0 = m.transactions.load(std::sync::atomic::Ordering::Relaxed);
            let (_, writes_sum0, _) = m.batch_writes.snapshot();
            let t = Instant::now();
            let tag = format!("run{level}");
            let (mut latencies_ms, sample) = drive(&runtime, runs, concurrency, &tag).await?;
            let elapsed = t.elapsed();
            let (_, commit_sum, batches) = m.commit_seconds.snapshot();
            let (_, writes_sum, _) = m.batch_writes.snapshot();
            let batches = batches - batches0;
            let transactions =
                m.transactions.load(std::sync::atomic::Ordering::Relaxed) - transactions0;
            latencies_ms.sort_by(|a, b| a.total_cmp(b));
            let journal_bytes_per_step = match sample {
                Some(id) => journal_bytes_per_step(runtime.store().as_ref(), &id)?,
                None => 0.0,
            };
            all.push(Figures {
                runs,
                concurrency,
                elapsed,
                latencies_ms,
                fsync_p50_ms: fsync,
                batches,
                transactions,
                commit_mean_ms: (commit_sum - commit_sum0) * 1000.0 / batches.max(1) as f64,
                batch_mean_writes: (writes_sum - writes_sum0) / batches.max(1) as f64,
                journal_bytes_per_step,
            });
        }
        anyhow::Ok(all)
    });
    runtime.shutdown();
    figures
}

/// Mean size of one journal step of run `id` as the store keeps it: its
/// entries and its cause, as JSON.
fn journal_bytes_per_step(store: &dyn Store, id: &str) -> anyhow::Result<f64> {
    let steps = store.journal(id)?;
    let mut bytes = 0usize;
    for s in &steps {
        bytes += serde_json::to_vec(&s.entries)?.len();
        if let Some(c) = &s.cause {
            bytes += serde_json::to_vec(c)?.len();
        }
    }
    Ok(bytes as f64 / steps.len().max(1) as f64)
}

/// Bytes of the files in `dir` (a store's directory is flat).
pub fn dir_bytes(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for e in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let m = e?.metadata()?;
        if m.is_file() {
            total += m.len();
        }
    }
    Ok(total)
}

/// `concurrency` clients start runs back to back until `runs` completed.
async fn drive(
    runtime: &Runtime,
    runs: usize,
    concurrency: usize,
    tag: &str,
) -> anyhow::Result<(Vec<f64>, Option<String>)> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let runtime = runtime.clone();
        let next = next.clone();
        let tag = tag.to_string();
        clients.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut sample = None;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= runs {
                    return anyhow::Ok((lat, sample));
                }
                let id = format!("{tag}-{i}");
                let t = Instant::now();
                let (_, rec) = runtime
                    .start_and_wait("order", json!({"id": id}), None, Duration::from_secs(60))
                    .await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                let tracking = rec
                    .result
                    .as_ref()
                    .and_then(|r| r["shipped"]["tracking"].as_str())
                    .unwrap_or_default();
                if tracking != format!("T-{id}") {
                    bail!(
                        "run {} ended {:?} with {:?}",
                        rec.id,
                        rec.status,
                        rec.result
                    );
                }
                sample = Some(rec.id);
            }
        }));
    }
    let mut all = Vec::with_capacity(runs);
    let mut sample = None;
    for c in clients {
        let (lat, s) = c.await.context("a bench client panicked")??;
        all.extend(lat);
        sample = sample.or(s);
    }
    Ok((all, sample))
}

/// The flow of the memory bench: a step, then a wait for a callback that
/// does not come for a month.
pub const SUSPEND_FLOW: &str = r#"flow park(input) {
    ticket = open(input.id)
    answer = await confirm(ticket) @timeout(30days)
    return answer
}
"#;

/// What the memory bench measured.
pub struct Suspended {
    /// Runs suspended.
    pub runs: usize,
    /// Time to start them all.
    pub elapsed: Duration,
    /// Resident memory once all are suspended (KiB).
    pub rss_kib: u64,
    /// Peak resident memory of the process (KiB).
    pub peak_kib: u64,
    /// Resident memory before the first run (KiB).
    pub baseline_kib: u64,
}

/// `VmRSS` and `VmHWM` of this process, in KiB (Linux).
pub fn rss_kib() -> anyhow::Result<(u64, u64)> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("cannot read /proc/self/status")?;
    let field = |name: &str| -> anyhow::Result<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("no {name} in /proc/self/status"))
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// Starts `runs` runs that each end up waiting for a callback, then
/// measures the process's resident memory.
pub fn suspended(
    store: Arc<dyn Store>,
    runs: usize,
    concurrency: usize,
) -> anyhow::Result<Suspended> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let activities = Activities::new()
        .on(rt.handle().clone())
        .register_sync("open", |_ctx, args| {
            Ok(json!({"ticket": args.get(0).cloned()}))
        })
        // Acknowledges the start; the callback never comes.
        .register_sync("confirm", |_ctx, _args| Ok(serde_json::Value::Null));
    let runtime =
        Runtime::start(store, Arc::new(activities)).context("cannot start the runtime")?;
    let (baseline_kib, _) = rss_kib()?;
    let result = rt.block_on(async {
        runtime
            .deploy(vec![SourceText {
                name: "park.weft".into(),
                text: SUSPEND_FLOW.into(),
            }])
            .await
            .context("cannot deploy the bench flow")?;
        let t = Instant::now();
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut clients = Vec::new();
        for _ in 0..concurrency {
            let runtime = runtime.clone();
            let next = next.clone();
            clients.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= runs {
                        return anyhow::Ok(());
                    }
                    let (_, rec) = runtime
                        .start_and_wait("park", json!({"id": i}), None, Duration::from_millis(0))
                        .await?;
                    let _ = rec;
                }
            }));
        }
        for c in clients {
            c.await.context("a bench client panicked")??;
        }
        // Every run must reach `waiting` (its callback wait) before measuring.
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let counts = runtime.store().count_by_status()?;
            let waiting = counts
                .iter()
                .find(|(s, _)| *s == weft_engine::state::Status::Waiting)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            if waiting as usize >= runs {
                break;
            }
            if Instant::now() > deadline {
                bail!("only {waiting} of {runs} runs reached `waiting`");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let elapsed = t.elapsed();
        // Let the allocator settle before reading memory.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (rss_kib, peak_kib) = rss_kib()?;
        anyhow::Ok(Suspended {
            runs,
            elapsed,
            rss_kib,
            peak_kib,
            baseline_kib,
        })
    });
    runtime.shutdown();
    result
}

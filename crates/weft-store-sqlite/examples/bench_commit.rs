//! Measures group commit: batches of 1, 10, 100 and 500 typical run steps,
//! with fsync on, and the fsync latency of the disk under the store.
//!
//! ```text
//! cargo run --release -p weft-store-sqlite --example bench_commit [DIR]
//! ```
//!
//! DIR defaults to a fresh directory under the system's temp directory; it
//! should be on the disk you care about. One step is what a run step writes:
//! the run's row (record and a 1.5 KB snapshot), one journal row, one task
//! put and one task deleted.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use weft_store::{Batch, RunWrite, Store};
use weft_store_sqlite::SqliteStore;

#[path = "../../weft-store/examples/support/typical_step.rs"]
mod typical_step;
use typical_step::{percentile, step};

/// Runs the steps cycle through (each batch touches distinct runs).
const RUNS: usize = 20_000;
/// Batch sizes measured, with the number of commits for each.
const SIZES: &[(usize, usize)] = &[(1, 1_000), (10, 1_000), (100, 300), (500, 100)];
/// Bytes this process has written with write calls (Linux), to show the
/// write volume per step (log frames plus checkpoints).
fn bytes_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("wchar: "))
        .and_then(|n| n.trim().parse().ok())
}

/// fdatasync calls timed.
const FSYNCS: usize = 200;

/// Times `FSYNCS` fdatasync calls, each after writing 4 KiB: appending
/// (the file grows, so the file system's metadata is synced too) or
/// overwriting a block of a file already that long (what the log does
/// once it is reused after a checkpoint).
fn fsync_latency(dir: &Path, append: bool) -> Vec<Duration> {
    use std::os::unix::fs::FileExt;
    let path = dir.join("fsync-probe");
    let f = std::fs::File::create(&path).expect("create probe file");
    let block = vec![7u8; 4096];
    if !append {
        for i in 0..FSYNCS {
            f.write_all_at(&block, (i * block.len()) as u64)
                .expect("write");
        }
        f.sync_all().expect("fsync");
    }
    let mut times = Vec::with_capacity(FSYNCS);
    for i in 0..FSYNCS {
        f.write_all_at(&block, (i * block.len()) as u64)
            .expect("write");
        let t = Instant::now();
        f.sync_data().expect("fdatasync");
        times.push(t.elapsed());
    }
    drop(f);
    let _ = std::fs::remove_file(&path);
    times.sort();
    times
}

fn main() {
    let dir: PathBuf = match std::env::args().nth(1) {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("weft-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).expect("create the directory");
    println!("directory: {}", dir.display());

    for (append, what) in [(true, "appending"), (false, "overwriting")] {
        let fs = fsync_latency(&dir, append);
        let mean = fs.iter().sum::<Duration>().as_secs_f64() * 1e3 / fs.len() as f64;
        println!(
            "fdatasync after {what} 4 KiB, {FSYNCS} calls: mean {mean:.3} ms, p50 {:.3} ms, \
             p99 {:.3} ms",
            percentile(&fs, 0.5),
            percentile(&fs, 0.99)
        );
    }

    let store = SqliteStore::open(&dir).expect("open the store");
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

    let mut seq = vec![1usize; RUNS];
    let mut next = 0usize;
    let mut now = 1_000;
    println!();
    println!("| steps per batch | commits | steps/s | mean ms/commit | p50 ms | p99 ms | KiB written/step |");
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
        let written = bytes_written();
        let start = Instant::now();
        for b in &batches {
            let t = Instant::now();
            store.commit(b).expect("commit");
            times.push(t.elapsed());
        }
        let total = start.elapsed().as_secs_f64();
        let per_step = match (written, bytes_written()) {
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
    let size = std::fs::metadata(store.path())
        .map(|m| m.len())
        .unwrap_or(0);
    println!();
    println!("database file: {:.1} MiB", size as f64 / (1 << 20) as f64);
}

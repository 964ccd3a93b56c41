//! A writer killed with SIGKILL at a random moment leaves whole batches.
//!
//! The test re-runs its own binary as a child (selected by an environment
//! variable) that commits numbered batches in a loop and prints each
//! number once `commit` has returned. The parent kills it, reopens the
//! store and checks that every reported batch is there in full, and that
//! the batches present are exactly 1..=M with nothing of batch M+1.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use weft_engine::state::{Entry, EntryKind, Status, Task};
use weft_store::conformance::record;
use weft_store::{Batch, RunWrite, Store};
use weft_store_sqlite::SqliteStore;

/// Set in the child's environment to the store's directory.
const CHILD_ENV: &str = "WEFT_SQLITE_CRASH_CHILD_DIR";
/// New runs each batch creates.
const RUNS_PER_BATCH: usize = 3;
/// Times the child is started and killed, on the same directory.
const ROUNDS: usize = 4;
/// The longest the parent lets the child run after its first commit.
const KILL_AFTER_MS_MAX: u64 = 600;

fn random_u64() -> u64 {
    RandomState::new().build_hasher().finish()
}

fn run_id(k: u64, i: usize) -> String {
    format!("b{k:08}-{i}")
}

fn task(call_id: String, run: &str) -> Task {
    Task {
        call_id,
        run_id: run.into(),
        call: 1,
        activity: "Charge".into(),
        args: serde_json::json!([1]),
        attempt: 1,
        deadline: None,
        callback_token: None,
    }
}

/// The batch numbered `k`: new runs with a journal, a timer, two tasks and
/// a token each; an update of the shared `counter` run (its snapshot is
/// `k`, one journal step per batch); and the deletion of a task of batch
/// `k - 1`.
fn batch(k: u64) -> Batch {
    let mut writes = Vec::new();
    for i in 0..RUNS_PER_BATCH {
        let id = run_id(k, i);
        writes.push(RunWrite {
            record: Some(record(&id, "A", Status::Waiting).into()),
            state: vec![b'x'; 1_500],
            created: true,
            journal: vec![Entry {
                at: k as i64,
                kind: EntryKind::Now { value: k as i64 },
            }],
            timers_set: vec![("t".into(), k as i64)],
            tasks_put: vec![task(format!("{id}-1"), &id), task(format!("{id}-2"), &id)],
            tokens_put: vec![(format!("tok-{id}"), 1)],
            ..RunWrite::default()
        });
    }
    let mut counter = record("counter", "A", Status::Running);
    counter.updated_at = k as i64;
    writes.push(RunWrite {
        record: Some(counter.into()),
        state: k.to_string().into_bytes(),
        created: k == 1,
        journal: vec![Entry {
            at: k as i64,
            kind: EntryKind::Now { value: k as i64 },
        }],
        tasks_delete: if k > 1 {
            vec![format!("{}-2", run_id(k - 1, 0))]
        } else {
            Vec::new()
        },
        ..RunWrite::default()
    });
    Batch { writes }
}

/// The number of the last batch in the store (0 when none).
fn last_batch(s: &SqliteStore) -> u64 {
    match s.load_run("counter").unwrap() {
        None => 0,
        Some(r) => String::from_utf8(r.state).unwrap().parse().unwrap(),
    }
}

/// The child: commits batches until killed.
#[test]
fn crash_child_process() {
    // Without the variable this is a normal test run: nothing to do.
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = SqliteStore::open(Path::new(&dir)).unwrap();
    let mut out = std::io::stdout().lock();
    for k in last_batch(&store) + 1.. {
        store.commit(&batch(k)).unwrap();
        writeln!(out, "committed {k}").unwrap();
        out.flush().unwrap();
    }
}

fn check_store(dir: &Path, reported: u64) -> u64 {
    let s = SqliteStore::open(dir).unwrap();
    let m = last_batch(&s);
    assert!(
        m >= reported,
        "batch {reported} was reported committed, but the store ends at {m}"
    );
    // The counter's journal has one step per batch, in order.
    let steps: Vec<i64> = s
        .journal("counter")
        .unwrap()
        .iter()
        .map(|j| j.step)
        .collect();
    assert_eq!(steps, (1..=m as i64).collect::<Vec<_>>());
    for k in 1..=m {
        for i in 0..RUNS_PER_BATCH {
            let id = run_id(k, i);
            let run = s.load_run(&id).unwrap();
            assert!(run.is_some(), "run {id} of batch {k} is missing");
            assert_eq!(run.unwrap().state.len(), 1_500);
            assert_eq!(s.journal(&id).unwrap().len(), 1, "journal of {id}");
            let tok = s.token(&format!("tok-{id}")).unwrap();
            assert!(tok.is_some_and(|t| t.active && t.run_id == id));
        }
    }
    // Nothing of the next batch.
    for i in 0..RUNS_PER_BATCH {
        assert!(s.run(&run_id(m + 1, i)).unwrap().is_none());
        assert!(s
            .token(&format!("tok-{}", run_id(m + 1, i)))
            .unwrap()
            .is_none());
    }
    let timers = s.due_timers(i64::MAX, usize::MAX).unwrap();
    assert_eq!(timers.len() as u64, m * RUNS_PER_BATCH as u64);
    // Every batch puts RUNS_PER_BATCH * 2 tasks; each later batch deletes
    // one of the previous batch's.
    let mut tasks = 0;
    let mut after: Option<String> = None;
    loop {
        let page = s.tasks(after.as_deref(), 1_000).unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.call_id.clone());
        tasks += page.len() as u64;
    }
    let want = (m * RUNS_PER_BATCH as u64 * 2).saturating_sub(m.saturating_sub(1));
    assert_eq!(tasks, want, "tasks after {m} batches");
    m
}

#[test]
fn a_killed_writer_leaves_whole_batches() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("store");
    let exe = std::env::current_exe().unwrap();
    let mut last = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args(["crash_child_process", "--exact", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(CHILD_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut reported = 0;
            let mut first = Some(first_tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("committed ") {
                    reported = n.trim().parse().unwrap();
                    if let Some(tx) = first.take() {
                        let _ = tx.send(());
                    }
                }
            }
            reported
        });
        // Wait for the child to commit once, then kill it at a random
        // moment (mid-commit, most likely).
        first_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the child committed nothing within a minute");
        std::thread::sleep(Duration::from_millis(random_u64() % KILL_AFTER_MS_MAX));
        child.kill().unwrap(); // SIGKILL on Unix.
        child.wait().unwrap();
        let reported = reader.join().unwrap();
        assert!(reported > last, "round {round}: the child made no progress");
        let m = check_store(&dir, reported);
        eprintln!("round {round}: child reported {reported}, store holds {m} batches");
        last = m;
    }
}

//! Scenarios for stores that outlive their handle (SQLite, PostgreSQL):
//! a mixed history that must read back as the memory store has it, from
//! the store that wrote it and from another handle on the same data (a
//! reopened file, another node), and readers that must see whole batches
//! while a writer commits. Each store's tests open the handles; these
//! functions do the rest, so the stores are held to the same scenarios.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use weft_engine::state::{Entry, EntryKind, Status, Task};

use super::record;
use crate::*;

/// The run ids [`history`] writes.
pub const HISTORY_RUNS: [&str; 3] = ["r1", "r2", "r3"];

fn entry(at: i64, value: i64) -> Entry {
    Entry {
        at,
        kind: EntryKind::Now { value },
    }
}

fn task(call_id: &str, run: &str, attempt: u32) -> Task {
    Task {
        call_id: call_id.into(),
        run_id: run.into(),
        call: 1,
        activity: "Charge".into(),
        args: serde_json::json!([1, "two"]),
        attempt,
        deadline: Some(9_000),
        callback_token: None,
    }
}

/// A mixed history: runs created with keys, timers, tasks and tokens, then
/// stepped, moved, finished, a run stepped twice in one batch, a run
/// updated that was never created, and a write without a record.
pub fn history() -> Vec<Batch> {
    let mut a = record("r1", "A", Status::Running);
    a.idempotency_key = Some("key-1".into());
    let mut child = record("r2", "B", Status::Waiting);
    child.parent = Some("r1".into());
    let first = Batch {
        writes: vec![
            RunWrite {
                record: Some(a.clone().into()),
                state: vec![0, 1, 2, 255],
                created: true,
                journal: vec![entry(1, 1), entry(1, 2)],
                timers_set: vec![("t1".into(), 500), ("t2".into(), 100)],
                tasks_put: vec![task("r1-1", "r1", 1), task("r1-2", "r1", 1)],
                tokens_put: vec![("tok-a".into(), 2)],
                ..RunWrite::default()
            },
            RunWrite {
                record: Some(child.into()),
                state: b"child".to_vec(),
                created: true,
                journal: vec![entry(1, 3)],
                tokens_put: vec![("tok-b".into(), 1)],
                ..RunWrite::default()
            },
        ],
    };
    let mut done = a.clone();
    done.status = Status::Completed;
    done.result = Some(serde_json::json!({"ok": [1, 2, 3], "big": 12345678901234567u64, "f": 1.5}));
    done.error = Some(serde_json::json!({"message": "m", "location": null}));
    done.position = Some("a.weft:3".into());
    done.waiting = serde_json::json!([{"timer": {"until": 5}}]);
    done.updated_at = 2_000;
    let mut moved = record("r2", "C", Status::Waiting);
    moved.version = 2;
    moved.input = serde_json::json!({"moved": true, "z": 1, "a": 2});
    moved.created_at = 3;
    let second = Batch {
        writes: vec![
            RunWrite {
                record: Some(a.into()),
                state: b"mid".to_vec(),
                journal: vec![entry(2, 4)],
                timers_clear: vec!["t2".into()],
                timers_set: vec![("t1".into(), 700)],
                tasks_delete: vec!["r1-2".into()],
                tasks_put: vec![task("r1-1", "r1", 2)],
                tokens_spend: vec!["tok-a".into()],
                ..RunWrite::default()
            },
            // Columns fixed at creation can still be replaced.
            RunWrite {
                record: Some(moved.into()),
                state: b"moved".to_vec(),
                ..RunWrite::default()
            },
            // The same run twice in one batch: steps 3 and 4.
            RunWrite {
                record: Some(done.into()),
                state: b"done".to_vec(),
                journal: vec![entry(3, 5)],
                ..RunWrite::default()
            },
            // A run updated that was never created is stored, with its key.
            RunWrite {
                record: Some(
                    RunRecord {
                        idempotency_key: Some("key-3".into()),
                        ..record("r3", "A", Status::Waiting)
                    }
                    .into(),
                ),
                state: b"r3".to_vec(),
                journal: vec![entry(4, 4)],
                ..RunWrite::default()
            },
            // A write without a record writes nothing.
            RunWrite {
                tokens_put: vec![("tok-c".into(), 9)],
                ..RunWrite::default()
            },
        ],
    };
    vec![first, second]
}

/// Deploys a program and commits [`history`] to `s`.
pub fn apply_history(s: &dyn Store) {
    s.deploy(
        &[SourceText {
            name: "a.weft".into(),
            text: "flow A() {}\nflow B() {}".into(),
        }],
        &["A".into(), "B".into()],
        Some("{\"program\":1}"),
        7,
    )
    .unwrap();
    for b in history() {
        s.commit(&b).unwrap();
    }
}

/// Asserts that `got` (which [`apply_history`] wrote, through this handle
/// or another) reads back as the memory store does after the same
/// history, plus spot checks that do not lean on the memory store.
pub fn assert_history(got: &dyn Store) {
    let want = MemoryStore::new();
    apply_history(&want);
    assert_same(got, &want);
    let j = got.journal("r1").unwrap();
    assert_eq!(j.iter().map(|st| st.step).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(j[0].entries.len(), 2);
    assert_eq!(got.load_run("r1").unwrap().unwrap().state, b"done".to_vec());
    assert_eq!(
        got.token("tok-a").unwrap(),
        Some(TokenRow {
            run_id: "r1".into(),
            call: 2,
            active: false
        })
    );
    assert_eq!(got.token("tok-c").unwrap(), None);
}

/// Journal numbering goes on from what [`apply_history`] left (through
/// whichever handle commits next).
pub fn history_goes_on(s: &dyn Store) {
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("r2", "B", Status::Running).into()),
            journal: vec![entry(9, 9)],
            ..RunWrite::default()
        }],
    })
    .unwrap();
    let steps: Vec<i64> = s.journal("r2").unwrap().iter().map(|j| j.step).collect();
    assert_eq!(steps, [1, 2]);
}

/// Asserts that two stores read back the same after [`history`].
fn assert_same(got: &dyn Store, want: &dyn Store) {
    assert_eq!(got.deployment(1).unwrap(), want.deployment(1).unwrap());
    assert_eq!(got.flows().unwrap(), want.flows().unwrap());
    assert_eq!(
        got.latest_version("B").unwrap(),
        want.latest_version("B").unwrap()
    );
    for id in HISTORY_RUNS {
        let (g, w) = (got.load_run(id).unwrap(), want.load_run(id).unwrap());
        assert_eq!(g.as_ref().map(|r| &r.record), w.as_ref().map(|r| &r.record));
        assert_eq!(g.map(|r| r.state), w.map(|r| r.state));
        assert_eq!(got.journal(id).unwrap(), want.journal(id).unwrap());
    }
    let all = RunQuery {
        limit: 1_000,
        ..RunQuery::default()
    };
    assert_eq!(
        got.list_runs(&all).unwrap().runs,
        want.list_runs(&all).unwrap().runs
    );
    assert_eq!(
        got.count_by_status().unwrap(),
        want.count_by_status().unwrap()
    );
    for key in ["key-1", "key-3", "key-4"] {
        assert_eq!(got.run_by_key(key).unwrap(), want.run_by_key(key).unwrap());
    }
    assert_eq!(
        got.due_timers(i64::MAX, 1_000).unwrap(),
        want.due_timers(i64::MAX, 1_000).unwrap()
    );
    assert_eq!(got.next_timer().unwrap(), want.next_timer().unwrap());
    let tasks = |s: &dyn Store| {
        s.tasks(None, 1_000)
            .unwrap()
            .into_iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(tasks(got), tasks(want));
    for tok in ["tok-a", "tok-b", "tok-c"] {
        assert_eq!(got.token(tok).unwrap(), want.token(tok).unwrap());
    }
}

/// `writer` commits 150 batches that each rewrite 8 runs (record,
/// snapshot, journal step, timer, token) while each of `readers` (handles
/// on the same data; may be `writer` itself) reads in a loop: a run's
/// record and snapshot, a list, the timers, a journal and the counts must
/// each come from one whole batch, and never go back in time.
pub fn readers_see_whole_batches(writer: Arc<dyn Store>, readers: Vec<Arc<dyn Store>>) {
    const RUNS: usize = 8;
    const BATCHES: i64 = 150;
    let write = |k: i64, created: bool| Batch {
        writes: (0..RUNS)
            .map(|i| {
                let id = format!("r{i}");
                let mut rec = record(&id, "A", Status::Running);
                rec.updated_at = k;
                RunWrite {
                    record: Some(rec.into()),
                    state: k.to_string().repeat(200).into_bytes(),
                    created,
                    journal: vec![entry(k, k)],
                    timers_set: vec![("t".into(), k)],
                    tokens_put: vec![(format!("tok-{i}-{k}"), 1)],
                    ..RunWrite::default()
                }
            })
            .collect(),
    };
    writer.commit(&write(0, true)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = readers
        .into_iter()
        .enumerate()
        .map(|(t, store)| {
            let done = done.clone();
            std::thread::spawn(move || {
                let mut last = 0;
                let mut reads = 0u64;
                while !done.load(Ordering::Acquire) {
                    let id = format!("r{}", reads as usize % RUNS);
                    // A run's record and snapshot come from one batch.
                    let run = store.load_run(&id).unwrap().unwrap();
                    let k = run.record.updated_at;
                    assert_eq!(run.state, k.to_string().repeat(200).into_bytes());
                    assert!(k >= last, "reader {t} went back from {last} to {k}");
                    last = k;
                    // All runs of one list come from one batch.
                    let page = store
                        .list_runs(&RunQuery {
                            limit: 100,
                            ..RunQuery::default()
                        })
                        .unwrap();
                    assert_eq!(page.runs.len(), RUNS);
                    let k0 = page.runs[0].updated_at;
                    assert!(page.runs.iter().all(|r| r.updated_at == k0), "torn list");
                    assert!(k0 >= last);
                    let timers = store.due_timers(i64::MAX, 100).unwrap();
                    assert_eq!(timers.len(), RUNS);
                    assert!(timers.iter().all(|tm| tm.at == timers[0].at), "torn timers");
                    let j = store.journal(&id).unwrap();
                    assert!(j.len() as i64 > k, "journal behind the record");
                    assert_eq!(
                        j.iter().map(|s| s.step).collect::<Vec<_>>(),
                        (1..=j.len() as i64).collect::<Vec<_>>()
                    );
                    assert!(store
                        .token(&format!("tok-{}-{k}", reads as usize % RUNS))
                        .unwrap()
                        .is_some());
                    let counts = store.count_by_status().unwrap();
                    assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), RUNS as u64);
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    let committer = {
        let writer = writer.clone();
        std::thread::spawn(move || {
            for k in 1..=BATCHES {
                writer.commit(&write(k, false)).unwrap();
            }
        })
    };
    committer.join().unwrap();
    done.store(true, Ordering::Release);
    for r in readers {
        let reads = r.join().unwrap();
        assert!(reads > 0, "a reader never got to read");
    }
    assert_eq!(
        writer.journal("r0").unwrap().len() as i64,
        BATCHES + 1,
        "one journal step per batch"
    );
}

/// What [`conflicts_write_nothing`] compares before and after: the runs,
/// r1's journal, timers, the number of tasks, tokens, r1's snapshot and
/// the key a refused batch tried to bind.
pub type ConflictSnapshot = (
    Vec<RunRecord>,
    Vec<JournalStep>,
    Vec<TimerRow>,
    usize,
    Option<TokenRow>,
    Option<TokenRow>,
    Vec<u8>,
    Option<String>,
);

/// The state [`conflicts_write_nothing`] compares.
pub fn conflict_snapshot(s: &dyn Store) -> ConflictSnapshot {
    (
        s.list_runs(&RunQuery {
            limit: 100,
            ..RunQuery::default()
        })
        .unwrap()
        .runs,
        s.journal("r1").unwrap(),
        s.due_timers(i64::MAX, 100).unwrap(),
        s.tasks(None, 100).unwrap().len(),
        s.token("tok-a").unwrap(),
        s.token("tok-new").unwrap(),
        s.load_run("r1").unwrap().unwrap().state,
        s.run_by_key("key-9").unwrap(),
    )
}

/// Commits [`history`]'s first batch, then batches that must be refused
/// whole as conflicts: one that updates a run (journal, timers, tasks,
/// tokens), creates a run with a new key and one with a taken key; one
/// creating a run whose id exists; one creating a run twice; one creating
/// two runs with one key. Asserts each is a conflict naming what clashed
/// and that nothing of them was written; returns the state they left
/// (see [`conflict_snapshot`]), for checks through other handles.
pub fn conflicts_write_nothing(s: &dyn Store) -> ConflictSnapshot {
    s.commit(&history()[0]).unwrap();
    let before = conflict_snapshot(s);
    let mut dup = record("r9", "A", Status::Running);
    dup.idempotency_key = Some("key-1".into());
    let mut fresh = record("r8", "A", Status::Running);
    fresh.idempotency_key = Some("key-9".into());
    let batch = Batch {
        writes: vec![
            RunWrite {
                record: Some(record("r1", "A", Status::Failed).into()),
                state: b"changed".to_vec(),
                journal: vec![entry(5, 5)],
                timers_set: vec![("t9".into(), 1)],
                timers_clear: vec!["t1".into()],
                tasks_put: vec![task("r1-9", "r1", 1)],
                tasks_delete: vec!["r1-1".into()],
                tokens_put: vec![("tok-new".into(), 3)],
                tokens_spend: vec!["tok-a".into()],
                ..RunWrite::default()
            },
            RunWrite {
                record: Some(fresh.into()),
                state: b"new".to_vec(),
                created: true,
                journal: vec![entry(5, 6)],
                ..RunWrite::default()
            },
            RunWrite {
                record: Some(dup.into()),
                state: b"dup".to_vec(),
                created: true,
                ..RunWrite::default()
            },
        ],
    };
    match s.commit(&batch) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("r9") && m.contains("key-1"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(conflict_snapshot(s), before);
    // Creating a run whose id exists is a conflict too.
    let again = s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("r2", "A", Status::Running).into()),
            created: true,
            ..RunWrite::default()
        }],
    });
    match again {
        Err(StoreError::Conflict(m)) => assert!(m.contains("r2"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // So is one batch creating a run twice, or two runs with one key.
    let mut k1 = record("r5", "A", Status::Running);
    k1.idempotency_key = Some("same".into());
    let mut k2 = record("r6", "A", Status::Running);
    k2.idempotency_key = Some("same".into());
    for writes in [
        vec![
            record("r4", "A", Status::Running),
            record("r4", "A", Status::Running),
        ],
        vec![k1, k2],
    ] {
        let r = s.commit(&Batch {
            writes: writes
                .into_iter()
                .map(|rec| RunWrite {
                    record: Some(rec.into()),
                    created: true,
                    ..RunWrite::default()
                })
                .collect(),
        });
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    }
    assert_eq!(conflict_snapshot(s), before);
    before
}

/// After [`conflicts_write_nothing`] and one more run `r7` created, seen
/// through `s` (the same handle, or another on the same data): none of
/// the refused runs exists, and all else is as `before`.
pub fn assert_conflicts_left_nothing(s: &dyn Store, before: &ConflictSnapshot) {
    for id in ["r4", "r5", "r6", "r8", "r9"] {
        assert!(s.run(id).unwrap().is_none(), "{id}");
    }
    assert!(s.run("r7").unwrap().is_some());
    let mut after = conflict_snapshot(s);
    after.0.retain(|r| r.id != "r7");
    assert_eq!(&after, before);
}

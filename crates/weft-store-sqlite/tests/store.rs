//! The SQLite store against the shared conformance suite, plus what only a
//! durable store must do: keep everything across a reopen, write nothing
//! of a failed batch, serve readers while a writer commits, and refuse bad
//! stored data with an error instead of a panic.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use weft_engine::state::{Entry, EntryKind, Status, Task};
use weft_store::conformance::{self, record};
use weft_store::{Batch, MemoryStore, RunQuery, RunWrite, SourceText, Store, StoreError, TokenRow};
use weft_store_sqlite::{SqliteStore, DB_FILE};

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

#[test]
fn conforms() {
    let root = tempfile::tempdir().unwrap();
    let n = AtomicUsize::new(0);
    conformance::run_all(&|| {
        let dir = root
            .path()
            .join(format!("s{}", n.fetch_add(1, Ordering::Relaxed)));
        Box::new(SqliteStore::open(&dir).expect("open"))
    });
}

#[test]
fn open_creates_directory_and_reopens() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("a").join("b");
    drop(SqliteStore::open(&dir).unwrap());
    assert!(dir.join(DB_FILE).exists());
    // A second open finds the schema in place.
    let s = SqliteStore::open(&dir).unwrap();
    assert_eq!(s.path(), dir.join(DB_FILE));
}

/// A mixed history applied to a store and to the memory store.
fn history() -> Vec<Batch> {
    let mut a = record("r1", "A", Status::Running);
    a.idempotency_key = Some("key-1".into());
    let mut child = record("r2", "B", Status::Waiting);
    child.parent = Some("r1".into());
    let first = Batch {
        writes: vec![
            RunWrite {
                record: Some(a.clone()),
                state: vec![0, 1, 2, 255],
                created: true,
                journal: vec![entry(1, 1), entry(1, 2)],
                timers_set: vec![("t1".into(), 500), ("t2".into(), 100)],
                tasks_put: vec![task("r1-1", "r1", 1), task("r1-2", "r1", 1)],
                tokens_put: vec![("tok-a".into(), 2)],
                ..RunWrite::default()
            },
            RunWrite {
                record: Some(child),
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
    done.result = Some(serde_json::json!({"ok": [1, 2, 3]}));
    done.error = Some(serde_json::json!({"message": "m", "location": null}));
    done.position = Some("a.weft:3".into());
    done.waiting = serde_json::json!([{"timer": {"until": 5}}]);
    done.updated_at = 2_000;
    let mut moved = record("r2", "C", Status::Waiting);
    moved.version = 2;
    moved.input = serde_json::json!({"moved": true});
    moved.created_at = 3;
    let second = Batch {
        writes: vec![
            RunWrite {
                record: Some(a),
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
                record: Some(moved),
                state: b"moved".to_vec(),
                ..RunWrite::default()
            },
            // The same run twice in one batch: steps 3 and 4.
            RunWrite {
                record: Some(done),
                state: b"done".to_vec(),
                journal: vec![entry(3, 5)],
                ..RunWrite::default()
            },
        ],
    };
    vec![first, second]
}

fn apply(s: &dyn Store, batches: &[Batch]) {
    s.deploy(
        &[SourceText {
            name: "a.weft".into(),
            text: "flow A() {}\nflow B() {}".into(),
        }],
        &["A".into(), "B".into()],
        7,
    )
    .unwrap();
    for b in batches {
        s.commit(b).unwrap();
    }
}

/// Asserts that two stores read back the same.
fn assert_same(got: &dyn Store, want: &dyn Store) {
    assert_eq!(got.deployment(1).unwrap(), want.deployment(1).unwrap());
    assert_eq!(got.flows().unwrap(), want.flows().unwrap());
    assert_eq!(
        got.latest_version("B").unwrap(),
        want.latest_version("B").unwrap()
    );
    for id in ["r1", "r2", "r3"] {
        let (g, w) = (got.load_run(id).unwrap(), want.load_run(id).unwrap());
        assert_eq!(g.as_ref().map(|r| &r.record), w.as_ref().map(|r| &r.record));
        assert_eq!(g.map(|r| r.state), w.map(|r| r.state));
        assert_eq!(got.journal(id).unwrap(), want.journal(id).unwrap());
    }
    let all = RunQuery {
        limit: 100,
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
    assert_eq!(
        got.run_by_key("key-1").unwrap(),
        want.run_by_key("key-1").unwrap()
    );
    assert_eq!(
        got.due_timers(i64::MAX, 100).unwrap(),
        want.due_timers(i64::MAX, 100).unwrap()
    );
    assert_eq!(got.next_timer().unwrap(), want.next_timer().unwrap());
    let tasks = |s: &dyn Store| {
        s.tasks(None, 100)
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

#[test]
fn everything_survives_a_reopen() {
    let root = tempfile::tempdir().unwrap();
    let batches = history();
    let want = MemoryStore::new();
    apply(&want, &batches);
    {
        let s = SqliteStore::open(root.path()).unwrap();
        apply(&s, &batches);
        assert_same(&s, &want);
    }
    let s = SqliteStore::open(root.path()).unwrap();
    assert_same(&s, &want);
    // Spot checks that do not lean on the memory store.
    let j = s.journal("r1").unwrap();
    assert_eq!(j.iter().map(|st| st.step).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(j[0].entries.len(), 2);
    assert_eq!(s.load_run("r1").unwrap().unwrap().state, b"done".to_vec());
    assert_eq!(
        s.token("tok-a").unwrap(),
        Some(TokenRow {
            run_id: "r1".into(),
            call: 2,
            active: false
        })
    );
    // Journal numbering goes on after a reopen.
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("r2", "B", Status::Running)),
            journal: vec![entry(9, 9)],
            ..RunWrite::default()
        }],
    })
    .unwrap();
    let steps: Vec<i64> = s.journal("r2").unwrap().iter().map(|j| j.step).collect();
    assert_eq!(steps, [1, 2]);
}

#[test]
fn a_conflicting_batch_writes_nothing_even_after_reopen() {
    let root = tempfile::tempdir().unwrap();
    let snapshot = |s: &dyn Store| {
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
        )
    };
    let before;
    {
        let s = SqliteStore::open(root.path()).unwrap();
        apply(&s, &history()[..1]);
        before = snapshot(&s);
        // Everything the batch does before the conflicting insert must
        // be undone: an update with journal, timers, tasks and tokens,
        // and a new run.
        let mut dup = record("r9", "A", Status::Running);
        dup.idempotency_key = Some("key-1".into());
        let batch = Batch {
            writes: vec![
                RunWrite {
                    record: Some(record("r1", "A", Status::Failed)),
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
                    record: Some(record("r8", "A", Status::Running)),
                    state: b"new".to_vec(),
                    created: true,
                    journal: vec![entry(5, 6)],
                    ..RunWrite::default()
                },
                RunWrite {
                    record: Some(dup),
                    state: b"dup".to_vec(),
                    created: true,
                    ..RunWrite::default()
                },
            ],
        };
        let err = s.commit(&batch);
        match err {
            Err(StoreError::Conflict(m)) => assert!(m.contains("r9"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(snapshot(&s), before);
        // Creating a run whose id exists is a conflict too.
        let again = s.commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r2", "A", Status::Running)),
                created: true,
                ..RunWrite::default()
            }],
        });
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        // The store still works after a failed batch.
        s.commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r7", "A", Status::Running)),
                created: true,
                ..RunWrite::default()
            }],
        })
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    assert!(s.run("r8").unwrap().is_none());
    assert!(s.run("r9").unwrap().is_none());
    assert!(s.run("r7").unwrap().is_some());
    let mut after = snapshot(&s);
    after.0.retain(|r| r.id != "r7");
    assert_eq!(after, before);
}

/// One batch updates every run, arms one timer per run and appends to
/// each journal; a reader must see each batch whole or not at all.
#[test]
fn readers_see_whole_batches_while_a_writer_commits() {
    const RUNS: usize = 8;
    const BATCHES: i64 = 150;
    let root = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(root.path()).unwrap());
    let write = |k: i64, created: bool| Batch {
        writes: (0..RUNS)
            .map(|i| {
                let id = format!("r{i}");
                let mut rec = record(&id, "A", Status::Running);
                rec.updated_at = k;
                RunWrite {
                    record: Some(rec),
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
    store.commit(&write(0, true)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|t| {
            let store = store.clone();
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
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            for k in 1..=BATCHES {
                store.commit(&write(k, false)).unwrap();
            }
        })
    };
    writer.join().unwrap();
    done.store(true, Ordering::Release);
    for r in readers {
        let reads = r.join().unwrap();
        assert!(reads > 0, "a reader never got to read");
    }
    assert_eq!(
        store.journal("r0").unwrap().len() as i64,
        BATCHES + 1,
        "one journal step per batch"
    );
}

#[test]
fn bad_stored_data_is_an_error_not_a_panic() {
    let root = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(root.path()).unwrap();
    let mut w = RunWrite {
        record: Some(record("r1", "A", Status::Running)),
        state: b"{}".to_vec(),
        created: true,
        journal: vec![entry(1, 1)],
        tasks_put: vec![task("r1-1", "r1", 1)],
        ..RunWrite::default()
    };
    s.commit(&Batch {
        writes: vec![w.clone()],
    })
    .unwrap();
    w.record = Some(record("r2", "A", Status::Running));
    s.commit(&Batch { writes: vec![w] }).unwrap();
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    raw.execute_batch(
        "UPDATE runs SET input = '{not json' WHERE id = 'r1';
         UPDATE runs SET status = 'sleeping' WHERE id = 'r2';
         UPDATE journal SET entries = '[{\"type\":\"nope\"}]';
         UPDATE tasks SET task = x'00ff';
         INSERT INTO deployments VALUES (1, 'null', '[]', 0);",
    )
    .unwrap();
    let corrupt = |r: Result<(), StoreError>| match r {
        Err(StoreError::Corrupt(m)) => m,
        other => panic!("expected Corrupt, got {other:?}"),
    };
    let m = corrupt(s.load_run("r1").map(drop));
    assert!(m.contains("r1"), "{m}");
    corrupt(s.run("r2").map(drop));
    corrupt(
        s.list_runs(&RunQuery {
            limit: 10,
            ..RunQuery::default()
        })
        .map(drop),
    );
    corrupt(s.count_by_status().map(drop));
    corrupt(s.journal("r1").map(drop));
    corrupt(s.tasks(None, 10).map(drop));
    corrupt(s.deployment(1).map(drop));
}

#[test]
fn a_newer_schema_is_refused() {
    let root = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(root.path()).unwrap());
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    drop(raw);
    match SqliteStore::open(root.path()) {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("99"), "{m}"),
        Err(e) => panic!("expected Corrupt, got {e:?}"),
        Ok(_) => panic!("expected Corrupt, got a store"),
    }
}

//! The SQLite store against the shared conformance suite, plus what only a
//! durable store must do: keep everything across a reopen, write nothing
//! of a failed batch, serve readers while a writer commits, and refuse bad
//! stored data with an error instead of a panic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use weft_engine::state::{Entry, EntryKind, Status, Task};
use weft_store::conformance::{self, durable, record};
use weft_store::{Batch, RunQuery, RunWrite, Store, StoreError};
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

#[test]
fn everything_survives_a_reopen() {
    let root = tempfile::tempdir().unwrap();
    {
        let s = SqliteStore::open(root.path()).unwrap();
        durable::apply_history(&s);
        durable::assert_history(&s);
    }
    let s = SqliteStore::open(root.path()).unwrap();
    durable::assert_history(&s);
    // Journal numbering goes on after a reopen.
    durable::history_goes_on(&s);
}

#[test]
fn a_conflicting_batch_writes_nothing_even_after_reopen() {
    let root = tempfile::tempdir().unwrap();
    let before;
    {
        let s = SqliteStore::open(root.path()).unwrap();
        before = durable::conflicts_write_nothing(&s);
        // The store still works after a failed batch.
        s.commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r7", "A", Status::Running).into()),
                created: true,
                ..RunWrite::default()
            }],
        })
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    durable::assert_conflicts_left_nothing(&s, &before);
}

/// One batch updates every run, arms one timer per run and appends to
/// each journal; a reader must see each batch whole or not at all.
#[test]
fn readers_see_whole_batches_while_a_writer_commits() {
    let root = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(root.path()).unwrap());
    durable::readers_see_whole_batches(store.clone(), vec![store.clone(), store.clone(), store]);
}

#[test]
fn bad_stored_data_is_an_error_not_a_panic() {
    let root = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(root.path()).unwrap();
    let mut w = RunWrite {
        record: Some(record("r1", "A", Status::Running).into()),
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
    w.record = Some(record("r2", "A", Status::Running).into());
    s.commit(&Batch { writes: vec![w] }).unwrap();
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    raw.execute_batch(
        "UPDATE runs SET input = '{not json' WHERE id = 'r1';
         UPDATE runs SET status = 'sleeping' WHERE id = 'r2';
         UPDATE run_counts SET status = 'sleeping';
         UPDATE journal SET entries = '[{\"type\":\"nope\"}]';
         UPDATE tasks SET task = x'00ff';
         INSERT INTO deployments (version, flows, files, created_at) VALUES (1, 'null', '[]', 0);",
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
    corrupt(s.run_counts().map(drop));
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

/// A database of schema version 1 (what builds before stored programs
/// wrote): migration 2 keeps its deployments, runs and timers, and its
/// versions have no program until a host stores one.
#[test]
fn a_version_1_database_is_migrated_with_its_data() {
    let root = tempfile::tempdir().unwrap();
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        raw.execute_batch(weft_store_sqlite::schema::MIGRATIONS[0])
            .unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
        raw.execute_batch(
            "INSERT INTO deployments (version, flows, files, created_at) \
             VALUES (1, '[\"A\"]', '[{\"name\":\"a.weft\",\"text\":\"flow A() {}\"}]', 5);
             INSERT INTO deployment_flows (flow, version) VALUES ('A', 1);
             INSERT INTO runs (id, flow, version, status, input, waiting, created_at, updated_at, state)
             VALUES ('r1', 'A', 1, 'waiting', '{}', '[]', 1, 1, X'7B7D');
             INSERT INTO timers (run_id, key, at) VALUES ('r1', 't', 10);",
        )
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    let d = s.deployment(1).unwrap().unwrap();
    assert_eq!((d.flows, d.program), (vec!["A".to_string()], None));
    assert_eq!(s.versions_without_program().unwrap(), vec![1]);
    assert_eq!(s.due_timers(10, 10).unwrap().len(), 1);
    assert_eq!(s.load_run("r1").unwrap().unwrap().state, b"{}".to_vec());
    assert!(s.set_program(1, "{\"format\":1}").unwrap());
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    let v: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, weft_store_sqlite::schema::SCHEMA_VERSION);
}

/// A database of the first schema, with runs and journals as builds of
/// that schema wrote them, opens under this build: the counts are filled
/// from the runs, old journal steps have no cause, and the runs list,
/// search and take new writes.
#[test]
fn the_first_schema_is_migrated_with_its_runs() {
    use weft_store::{RunCount, RunQuery};
    let root = tempfile::tempdir().unwrap();
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        raw.execute_batch(weft_store_sqlite::schema::MIGRATIONS[0])
            .unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
        for (i, (flow, status)) in [
            ("A", "failed"),
            ("A", "failed"),
            ("A", "waiting"),
            ("B", "completed"),
        ]
        .iter()
        .enumerate()
        {
            raw.execute(
                "INSERT INTO runs (id, flow, version, status, input, waiting, created_at, \
                 updated_at, journal_steps, state) VALUES (?1, ?2, 1, ?3, ?4, '[]', ?5, ?5, 1, x'7b7d')",
                rusqlite::params![format!("r{i}"), flow, status, format!("{{\"n\":{i}}}"), i as i64],
            )
            .unwrap();
            raw.execute(
                "INSERT INTO journal (run_id, step, entries) VALUES (?1, 1, '[]')",
                [format!("r{i}")],
            )
            .unwrap();
        }
    }
    let s = SqliteStore::open(root.path()).unwrap();
    let count = |flow: &str, status: Status, runs: u64| RunCount {
        flow: flow.into(),
        status,
        runs,
    };
    assert_eq!(
        s.run_counts().unwrap(),
        vec![
            count("A", Status::Waiting, 1),
            count("A", Status::Failed, 2),
            count("B", Status::Completed, 1),
        ]
    );
    assert_eq!(s.journal("r0").unwrap()[0].cause, None);
    let page = s
        .list_runs(&RunQuery {
            filter: Some(
                weft_store::search::parse("input.n >= 1 && status == \"failed\"").unwrap(),
            ),
            limit: 10,
            count: true,
            ..RunQuery::default()
        })
        .unwrap();
    assert_eq!(page.runs.len(), 1);
    assert_eq!(page.runs[0].id, "r1");
    assert_eq!(page.total, Some(1));
    let mut rec = record("r1", "A", Status::Running);
    rec.created_at = 1;
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(rec.into()),
            state: b"{}".to_vec(),
            ..RunWrite::default()
        }],
    })
    .unwrap();
    assert_eq!(
        s.run_counts().unwrap(),
        vec![
            count("A", Status::Running, 1),
            count("A", Status::Waiting, 1),
            count("A", Status::Failed, 1),
            count("B", Status::Completed, 1),
        ]
    );
}

/// A database of schema version 7 (the last that wrote journal entries and
/// causes as JSON text): migrations 8 and 9 move its journal into a
/// `WITHOUT ROWID` table and back into a rowid table with the rows as they
/// were, the old rows read back as before, and new steps of the same run
/// go in the compact form beside them.
#[test]
fn a_version_7_journal_is_migrated_and_read_beside_compact_steps() {
    let root = tempfile::tempdir().unwrap();
    let old_entries = r#"[{"at":5,"type":"started","input":{"n":1}},{"at":5,"type":"callStarted","callId":"r1-1","activity":"open","args":[1],"attempt":1,"awaited":false,"line":2}]"#;
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        for m in &weft_store_sqlite::schema::MIGRATIONS[..7] {
            raw.execute_batch(m).unwrap();
        }
        raw.pragma_update(None, "user_version", 7).unwrap();
        raw.execute(
            "INSERT INTO runs (id, flow, version, status, input, waiting, created_at, \
             updated_at, journal_steps, state) VALUES ('r1', 'A', 1, 'running', '{\"n\":1}', \
             '[]', 5, 5, 2, x'7b7d')",
            [],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO journal (run_id, step, entries, cause) VALUES ('r1', 1, ?1, '{}')",
            [old_entries],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO journal (run_id, step, entries, cause) VALUES ('r1', 2, '[]', NULL)",
            [],
        )
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    let before = s.journal("r1").unwrap();
    assert_eq!(before.len(), 2);
    assert_eq!(
        serde_json::to_string(&before[0].entries).unwrap(),
        old_entries,
        "an old row reads back as it was written"
    );
    assert_eq!(before[0].cause, Some(serde_json::json!({})));
    assert_eq!(before[1].cause, None);
    let cause = serde_json::json!({"event": {"type": "callCompleted", "call": 1, "attempt": 1, "value": null}, "valueIn": 0});
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("r1", "A", Status::Running).into()),
            state: b"{}".to_vec(),
            journal: vec![entry(7, 3)],
            cause: Some(weft_store::StepCause::Json(cause.clone())),
            ..RunWrite::default()
        }],
    })
    .unwrap();
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    assert_migrated_with_a_rowid_journal(&raw);
    let kinds: Vec<(i64, String, String)> = raw
        .prepare("SELECT step, typeof(entries), typeof(cause) FROM journal ORDER BY step")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds,
        [
            (1, "text".into(), "text".into()),
            (2, "text".into(), "null".into()),
            (3, "blob".into(), "blob".into()),
        ]
    );
    drop(raw);
    let s = SqliteStore::open(root.path()).unwrap();
    let after = s.journal("r1").unwrap();
    assert_eq!(after[..2], before[..]);
    assert_eq!(after[2].step, 3);
    assert_eq!(after[2].entries, vec![entry(7, 3)]);
    assert_eq!(after[2].cause, Some(cause));
    assert_eq!(s.journal_page("r1", 2, 5).unwrap(), after[1..]);
    // A compact row that does not decode is reported, not a panic.
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    raw.execute("UPDATE journal SET entries = x'010bff' WHERE step = 3", [])
        .unwrap();
    drop(raw);
    let s = SqliteStore::open(root.path()).unwrap();
    match s.journal("r1") {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("r1"), "{m}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

/// A store of schema version 8 (`waiting` as JSON text, the journal
/// `WITHOUT ROWID`): after migration 9 the old record reads back and is
/// found by searches on `waitingFor` as before, a run written after the
/// migration keeps `waiting` in the compact form, read and searched the
/// same way, and the journal is a rowid table again.
#[test]
fn a_version_8_runs_table_is_migrated_and_read_beside_compact_waits() {
    let root = tempfile::tempdir().unwrap();
    let old_waiting = r#"[{"kind":"activity","activity":"confirm","callId":"r1-2","callback":true,"token":"t1","until":9000}]"#;
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        for m in &weft_store_sqlite::schema::MIGRATIONS[..8] {
            raw.execute_batch(m).unwrap();
        }
        raw.pragma_update(None, "user_version", 8).unwrap();
        raw.execute(
            "INSERT INTO runs (id, flow, version, status, input, waiting, position, created_at, \
             updated_at, journal_steps, state) VALUES ('r1', 'A', 1, 'waiting', '{\"n\":1}', \
             ?1, 'a.weft:3', 5, 6, 0, x'7b7d')",
            [old_waiting],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO runs (id, flow, version, status, input, waiting, parent, created_at, \
             updated_at, journal_steps, state) VALUES ('r0', 'B', 1, 'completed', '1', '[]', \
             'r1', 4, 4, 0, x'7b7d')",
            [],
        )
        .unwrap();
        // A token as the engine makes them, one spent, and two it does not
        // make (upper case, another length): all stay found.
        raw.execute_batch(
            "INSERT INTO tokens (token, run_id, call, active) VALUES \
             ('8a584fb3d5900ae6ddfc2311e335f76b', 'r1', 2, 1), \
             ('00000000000000000000000000000000', 'r1', 1, 0), \
             ('8A584FB3D5900AE6DDFC2311E335F76B', 'r0', 3, 1), \
             ('t1', 'r1', 4, 1)",
        )
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    let stored = s.load_run("r1").unwrap().expect("the old run is there");
    let (old, state) = (stored.record, stored.state);
    assert_eq!(serde_json::to_string(&old.waiting).unwrap(), old_waiting);
    assert_eq!(old.position.as_deref(), Some("a.weft:3"));
    assert_eq!((old.created_at, old.updated_at), (5, 6));
    assert_eq!(state, b"{}");
    for (tok, run, call, active) in [
        ("8a584fb3d5900ae6ddfc2311e335f76b", "r1", 2, true),
        ("00000000000000000000000000000000", "r1", 1, false),
        ("8A584FB3D5900AE6DDFC2311E335F76B", "r0", 3, true),
        ("t1", "r1", 4, true),
    ] {
        let row = s.token(tok).unwrap().unwrap_or_else(|| panic!("{tok}"));
        assert_eq!(
            (row.run_id.as_str(), row.call, row.active),
            (run, call, active)
        );
    }
    assert!(s
        .token("8a584fb3d5900ae6ddfc2311e335f76c")
        .unwrap()
        .is_none());
    let mut new = record("r2", "A", Status::Waiting);
    new.waiting = serde_json::json!([{"kind": "activity", "activity": "confirm",
        "callId": "r2-2", "callback": true, "token": "t2", "until": 9000}]);
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(new.clone().into()),
            state: b"{}".to_vec(),
            created: true,
            tokens_put: vec![("ffffffffffffffffffffffffffffff01".into(), 2)],
            tokens_spend: vec!["8a584fb3d5900ae6ddfc2311e335f76b".into()],
            ..RunWrite::default()
        }],
    })
    .unwrap();
    let find = |q: &str| -> Vec<String> {
        let page = s
            .list_runs(&RunQuery {
                filter: Some(weft_store::search::parse(q).unwrap()),
                limit: 10,
                ..RunQuery::default()
            })
            .unwrap();
        page.runs.into_iter().map(|r| r.id).collect()
    };
    let row = s
        .token("ffffffffffffffffffffffffffffff01")
        .unwrap()
        .unwrap();
    assert_eq!((row.run_id.as_str(), row.call, row.active), ("r2", 2, true));
    assert!(
        !s.token("8a584fb3d5900ae6ddfc2311e335f76b")
            .unwrap()
            .unwrap()
            .active
    );
    assert_eq!(find("waitingFor[0].activity == \"confirm\""), ["r2", "r1"]);
    assert_eq!(find("waitingFor[0].token == \"t1\""), ["r1"]);
    assert_eq!(find("contains(waitingFor, \"r2-2\")"), ["r2"]);
    assert_eq!(find("waitingFor[0].until > 8000"), ["r2", "r1"]);
    let top: Vec<String> = s
        .list_runs(&RunQuery {
            top_level: true,
            limit: 10,
            ..RunQuery::default()
        })
        .unwrap()
        .runs
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(top, ["r2", "r1"], "the indexes were made again");
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    assert_migrated_with_a_rowid_journal(&raw);
    let indexes: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' \
             AND name LIKE 'runs_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 6);
    let kinds: Vec<(String, String)> =
        pairs(&raw, "SELECT id, typeof(waiting) FROM runs ORDER BY id");
    assert_eq!(
        kinds,
        [
            ("r0".into(), "text".into()),
            ("r1".into(), "text".into()),
            ("r2".into(), "blob".into()),
        ]
    );
    let tokens: Vec<(i64, String)> = pairs(
        &raw,
        "SELECT call, typeof(token) FROM tokens ORDER BY call, run",
    );
    assert_eq!(
        tokens,
        [
            (1, "blob".into()),
            (2, "blob".into()),
            (2, "blob".into()),
            (3, "text".into()),
            (4, "text".into()),
        ]
    );
    // A compact `waiting` that does not decode is reported with its run,
    // by reads and by searches, not a panic.
    raw.execute("UPDATE runs SET waiting = x'010bff' WHERE id = 'r2'", [])
        .unwrap();
    drop(raw);
    let s = SqliteStore::open(root.path()).unwrap();
    match s.load_run("r2") {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("r2"), "{m}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    match s.list_runs(&RunQuery {
        filter: Some(weft_store::search::parse("waitingFor[0].token == \"t2\"").unwrap()),
        limit: 10,
        ..RunQuery::default()
    }) {
        Err(e) => assert!(e.to_string().contains("r2"), "{e}"),
        Ok(p) => panic!("expected an error, got {:?}", p.runs),
    }
}

/// A store of schema version 9 (runs keyed by id, journal, timers and
/// tokens holding the run id): migration 10 numbers the runs in the order
/// they were stored, and their journal steps, timers and tokens follow
/// them; new runs and steps go on from there, and the numbers survive a
/// `VACUUM`.
#[test]
fn a_version_9_store_numbers_its_runs_and_keeps_their_journals_timers_and_tokens() {
    let root = tempfile::tempdir().unwrap();
    let steps = |n: i64| serde_json::to_string(&vec![entry(n, n)]).unwrap();
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        for m in &weft_store_sqlite::schema::MIGRATIONS[..9] {
            raw.execute_batch(m).unwrap();
        }
        raw.pragma_update(None, "user_version", 9).unwrap();
        // Stored `b` first: the numbers follow the order of storing, not
        // the ids.
        for id in ["b", "a"] {
            raw.execute(
                "INSERT INTO runs (id, flow, version, status, input, waiting, created_at, \
                 updated_at, journal_steps, state) VALUES (?1, 'A', 1, 'waiting', '1', '[]', \
                 5, 6, 2, x'7b7d')",
                [id],
            )
            .unwrap();
        }
        for (id, step, at) in [("a", 1, 1), ("b", 1, 2), ("a", 2, 3), ("b", 2, 4)] {
            raw.execute(
                "INSERT INTO journal (run_id, step, entries, cause) VALUES (?1, ?2, ?3, NULL)",
                rusqlite::params![id, step, steps(at)],
            )
            .unwrap();
        }
        raw.execute_batch(
            "INSERT INTO timers (run_id, key, at) VALUES ('a', 'await:2', 9000), ('b', 't', 8000); \
             INSERT INTO tokens (token, run_id, call, active) VALUES \
             (unhex('8a584fb3d5900ae6ddfc2311e335f76b'), 'a', 2, 1), ('t1', 'b', 3, 1);",
        )
        .unwrap();
    }
    let s = SqliteStore::open(root.path()).unwrap();
    let journal_of = |s: &SqliteStore, id: &str| -> Vec<(i64, Vec<Entry>)> {
        s.journal(id)
            .unwrap()
            .into_iter()
            .map(|j| (j.step, j.entries))
            .collect()
    };
    assert_eq!(
        journal_of(&s, "a"),
        [(1, vec![entry(1, 1)]), (2, vec![entry(3, 3)])]
    );
    assert_eq!(
        journal_of(&s, "b"),
        [(1, vec![entry(2, 2)]), (2, vec![entry(4, 4)])]
    );
    let due: Vec<(String, String, i64)> = s
        .due_timers(10_000, 10)
        .unwrap()
        .into_iter()
        .map(|t| (t.run_id, t.key, t.at))
        .collect();
    assert_eq!(
        due,
        [
            ("b".into(), "t".into(), 8000),
            ("a".into(), "await:2".into(), 9000)
        ]
    );
    let token =
        |s: &SqliteStore, t: &str| s.token(t).unwrap().map(|r| (r.run_id, r.call, r.active));
    assert_eq!(
        token(&s, "8a584fb3d5900ae6ddfc2311e335f76b"),
        Some(("a".into(), 2, true))
    );
    assert_eq!(token(&s, "t1"), Some(("b".into(), 3, true)));
    // A step of `a` (its callback: the token spent, the timer cleared) and
    // a new run `c` with a timer and a token.
    let mut c = record("c", "A", Status::Waiting);
    c.created_at = 7;
    s.commit(&Batch {
        writes: vec![
            RunWrite {
                record: Some(record("a", "A", Status::Running).into()),
                state: b"{}".to_vec(),
                journal: vec![entry(5, 5)],
                timers_clear: vec!["await:2".into()],
                tokens_spend: vec!["8a584fb3d5900ae6ddfc2311e335f76b".into()],
                ..RunWrite::default()
            },
            RunWrite {
                record: Some(c.into()),
                state: b"{}".to_vec(),
                created: true,
                journal: vec![entry(6, 6)],
                timers_set: vec![("await:1".into(), 7000)],
                tokens_put: vec![("ffffffffffffffffffffffffffffff01".into(), 1)],
                ..RunWrite::default()
            },
        ],
    })
    .unwrap();
    assert_eq!(journal_of(&s, "a").last(), Some(&(3, vec![entry(5, 5)])));
    assert_eq!(journal_of(&s, "c"), [(1, vec![entry(6, 6)])]);
    let due: Vec<String> = s
        .due_timers(10_000, 10)
        .unwrap()
        .into_iter()
        .map(|t| t.run_id)
        .collect();
    assert_eq!(due, ["c", "b"]);
    assert_eq!(
        token(&s, "8a584fb3d5900ae6ddfc2311e335f76b"),
        Some(("a".into(), 2, false))
    );
    assert_eq!(
        token(&s, "ffffffffffffffffffffffffffffff01"),
        Some(("c".into(), 1, true))
    );
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    assert_migrated_with_a_rowid_journal(&raw);
    let numbered: Vec<(i64, String)> = pairs(&raw, "SELECT seq, id FROM runs ORDER BY seq");
    assert_eq!(
        numbered,
        [(1, "b".into()), (2, "a".into()), (3, "c".into())]
    );
    let indexes: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'runs_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 6, "the runs' indexes were made again");
    let created: String = raw
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'runs_by_created'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(created.ends_with("(created_at)"), "{created}");
    // `VACUUM` may renumber rowids no column names; `seq` names them.
    raw.execute_batch("VACUUM").unwrap();
    drop(raw);
    let s = SqliteStore::open(root.path()).unwrap();
    assert_eq!(journal_of(&s, "a").len(), 3);
    assert_eq!(journal_of(&s, "b").len(), 2);
    assert_eq!(token(&s, "t1"), Some(("b".into(), 3, true)));
}

/// A run's journal keys wrap around within its range (schema 12): past
/// `JOURNAL_KEY_SPAN` steps, the newest `JOURNAL_STEPS_PER_RUN_MAX` are
/// kept and read in order, pages cross the wrap in order, and no older row
/// is left behind.
#[test]
fn a_long_journal_wraps_around_its_keys_and_reads_in_order() {
    use weft_store::JOURNAL_STEPS_PER_RUN_MAX as MAX;
    use weft_store_sqlite::journal::JOURNAL_KEY_SPAN as SPAN;
    let root = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(root.path()).unwrap();
    let step = |i: i64| RunWrite {
        record: Some(record("r", "A", Status::Running).into()),
        state: b"{}".to_vec(),
        created: i == 1,
        journal: vec![entry(i, i)],
        ..RunWrite::default()
    };
    // Another run first, so that `r`'s keys do not start at 0.
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("q", "A", Status::Running).into()),
            state: b"{}".to_vec(),
            created: true,
            journal: vec![entry(0, 0)],
            ..RunWrite::default()
        }],
    })
    .unwrap();
    let newest = SPAN + 100;
    for chunk in (1..=newest).collect::<Vec<_>>().chunks(5_000) {
        s.commit(&Batch {
            writes: chunk.iter().map(|i| step(*i)).collect(),
        })
        .unwrap();
    }
    let j = s.journal("r").unwrap();
    assert_eq!(j.len() as i64, MAX);
    let steps: Vec<i64> = j.iter().map(|x| x.step).collect();
    let want: Vec<i64> = (newest - MAX + 1..=newest).collect();
    assert_eq!(steps, want);
    assert!(j.iter().all(|x| x.entries == vec![entry(x.step, x.step)]));
    // A page across the wrap (step SPAN has key 0 of the range).
    let page: Vec<i64> = s
        .journal_page("r", SPAN - 3, 6)
        .unwrap()
        .iter()
        .map(|x| x.step)
        .collect();
    assert_eq!(
        page,
        [SPAN - 3, SPAN - 2, SPAN - 1, SPAN, SPAN + 1, SPAN + 2]
    );
    // From before the steps kept: the oldest kept first.
    assert_eq!(s.journal_page("r", 1, 2).unwrap()[0].step, newest - MAX + 1);
    assert!(s.journal_page("r", newest + 1, 5).unwrap().is_empty());
    assert!(s.journal_page("nobody", 1, 5).unwrap().is_empty());
    assert_eq!(s.journal("q").unwrap().len(), 1);
    drop(s);
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    let rows: i64 = raw
        .query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, MAX + 1, "no row of a dropped step is left");
}

/// The database is at this build's schema, its journal a rowid table
/// (steps of 1-3 KB stay on their page: schema.rs, version 9) keyed by
/// one integer (version 12).
fn assert_migrated_with_a_rowid_journal(raw: &rusqlite::Connection) {
    let v: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, weft_store_sqlite::schema::SCHEMA_VERSION);
    let sql: String = raw
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'journal'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!sql.contains("WITHOUT ROWID"), "{sql}");
    // Keyed by one integer since 12: no index of its own.
    assert!(sql.contains("key     INTEGER PRIMARY KEY"), "{sql}");
    let indexes: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'journal'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 0);
}

/// The rows of a two-column query.
fn pairs<A: rusqlite::types::FromSql, B: rusqlite::types::FromSql>(
    conn: &rusqlite::Connection,
    sql: &str,
) -> Vec<(A, B)> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_version_13_store_keeps_its_statuses_as_codes_and_finds_them_by_name() {
    let root = tempfile::tempdir().unwrap();
    // One run of each status, and one whose status no build wrote.
    let runs = [
        ("w", "A", "waiting"),
        ("c", "A", "completed"),
        ("r", "B", "running"),
        ("f", "B", "failed"),
        ("x", "A", "cancelled"),
        ("u", "B", "sleeping"),
    ];
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        for m in &weft_store_sqlite::schema::MIGRATIONS[..13] {
            raw.execute_batch(m).unwrap();
        }
        raw.pragma_update(None, "user_version", 13).unwrap();
        for (i, (id, flow, status)) in runs.iter().enumerate() {
            // Stored out of id order: the numbers must stay as they were.
            raw.execute(
                "INSERT INTO runs (seq, id, flow, version, status, input, waiting, created_at, \
                 updated_at, journal_steps, state) VALUES (?1, ?2, ?3, 1, ?4, '1', '[]', 5, ?5, \
                 0, x'7b7d')",
                rusqlite::params![10 - i as i64, id, flow, status, 100 + i as i64],
            )
            .unwrap();
            if *id != "u" {
                raw.execute(
                    "INSERT INTO run_counts (flow, status, runs) VALUES (?1, ?2, 1)",
                    rusqlite::params![flow, status],
                )
                .unwrap();
            }
        }
    }
    let s = SqliteStore::open(root.path()).unwrap();
    {
        let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
        let stored: Vec<(String, i64, String)> = raw
            .prepare("SELECT id, seq, typeof(status) || ' ' || status FROM runs ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let want: Vec<(String, i64, String)> = [
            ("u", 5, "text sleeping"),
            ("x", 6, "integer 4"),
            ("f", 7, "integer 3"),
            ("r", 8, "integer 2"),
            ("c", 9, "integer 1"),
            ("w", 10, "integer 0"),
        ]
        .into_iter()
        .map(|(a, b, c)| (a.into(), b, c.into()))
        .collect();
        assert_eq!(stored, want);
    }
    for (id, _, status) in &runs[..5] {
        assert_eq!(s.run(id).unwrap().unwrap().status.as_str(), *status);
    }
    match s.run("u") {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("u") && m.contains("sleeping"), "{m}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let find = |q: RunQuery| -> Vec<String> {
        let page = s.list_runs(&RunQuery { limit: 10, ..q }).unwrap();
        page.runs.into_iter().map(|r| r.id).collect()
    };
    let by_filter = |text: &str| {
        find(RunQuery {
            filter: Some(weft_store::search::parse(text).unwrap()),
            ..RunQuery::default()
        })
    };
    assert_eq!(
        find(RunQuery {
            status: Some(Status::Failed),
            ..RunQuery::default()
        }),
        ["f"]
    );
    assert_eq!(
        find(RunQuery {
            status: Some(Status::Waiting),
            flow: Some("A".into()),
            ..RunQuery::default()
        }),
        ["w"]
    );
    assert_eq!(by_filter("status == \"running\""), ["r"]);
    assert_eq!(by_filter("contains(status, \"CANCEL\")"), ["x"]);
    assert_eq!(
        by_filter("run.flow == \"A\" && status > \"completed\""),
        ["w"]
    );
    assert_eq!(
        find(RunQuery {
            finished: weft_store::TimeRange {
                from: Some(0),
                until: None
            },
            ..RunQuery::default()
        }),
        ["x", "c"]
    );
    // A write after the migration stores the code and moves the counts.
    let mut done = record("w", "A", Status::Completed);
    done.input = serde_json::json!(1);
    done.created_at = 5;
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(done.into()),
            state: b"{}".to_vec(),
            ..RunWrite::default()
        }],
    })
    .unwrap();
    assert_eq!(
        find(RunQuery {
            status: Some(Status::Completed),
            ..RunQuery::default()
        }),
        ["w", "c"]
    );
    let counts: Vec<(String, Status, u64)> = s
        .run_counts()
        .unwrap()
        .into_iter()
        .filter(|c| c.flow == "A")
        .map(|c| (c.flow, c.status, c.runs))
        .collect();
    assert_eq!(
        counts,
        [
            ("A".into(), Status::Completed, 2),
            ("A".into(), Status::Cancelled, 1)
        ]
    );
}

//! The PostgreSQL store against the shared conformance suite, plus what a
//! shared, durable store must do: show one store's commits to another,
//! write nothing of a failed batch, serve readers while a writer commits,
//! migrate safely when several nodes start at once, and refuse bad stored
//! data with an error instead of a panic.
//!
//! Each test works in a schema of its own; see `common` for the database.

mod common;

use std::sync::Arc;

use weft_engine::state::{Entry, EntryKind, Status, Task};
use weft_store::conformance::{self, durable, record};
use weft_store::{Batch, MemoryStore, RunQuery, RunWrite, SourceText, Store, StoreError};
use weft_store_postgres::schema::SCHEMA_VERSION;
use weft_store_postgres::PgStore;

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
    let Some(db) = common::db() else { return };
    conformance::run_all(&|| Box::new(db.store().0));
}

#[test]
fn commits_are_visible_to_another_store_on_the_same_schema() {
    let Some(db) = common::db() else { return };
    let (a, schema) = db.store();
    durable::apply_history(&a);
    durable::assert_history(&a);
    // Another store (another node, another pool) sees it all.
    let b = db.store_in(&schema);
    durable::assert_history(&b);
    drop(a);
    // JSON comes back as written (key order and numbers kept).
    let want = MemoryStore::new();
    durable::apply_history(&want);
    let rec = b.run("r1").unwrap().unwrap();
    assert_eq!(
        serde_json::to_string(&rec.result).unwrap(),
        serde_json::to_string(&want.run("r1").unwrap().unwrap().result).unwrap()
    );
    assert!(serde_json::to_string(&rec.result)
        .unwrap()
        .contains(r#""big":12345678901234567,"#));
    // Journal numbering goes on from the other store.
    durable::history_goes_on(&b);
}

/// Big batches, runs created and stepped in the same batch, the same run
/// many times, and a run updated that was never created: all as the memory
/// store does it.
#[test]
fn large_batches_match_the_memory_store() {
    let Some(db) = common::db() else { return };
    let (pg, _) = db.store();
    let mem = MemoryStore::new();
    let mut ids = Vec::new();
    let mut batches = Vec::new();
    for b in 0..4 {
        let mut writes = Vec::new();
        for i in 0..500 {
            let run = (b * 137 + i * 7) % 300;
            let id = format!("run-{run:04}");
            ids.push(id.clone());
            let mut rec = record(&id, if run % 3 == 0 { "A" } else { "B" }, Status::Running);
            rec.updated_at = (b * 1000 + i) as i64;
            if run % 5 == 0 {
                rec.status = Status::Waiting;
            }
            if run % 7 == 0 {
                rec.idempotency_key = Some(format!("key-{run}"));
            }
            let seq = (b * 500 + i) as u32;
            writes.push(RunWrite {
                record: Some(rec.into()),
                state: format!("state {b} {i}").into_bytes(),
                created: false,
                journal: if i % 4 == 3 {
                    Vec::new()
                } else {
                    vec![entry(seq as i64, i as i64)]
                },
                timers_set: vec![(format!("t{}", i % 3), seq as i64)],
                timers_clear: if i % 2 == 0 {
                    vec![format!("t{}", (i + 1) % 3)]
                } else {
                    Vec::new()
                },
                tasks_put: vec![task(&format!("{id}-{}", seq % 5), &id, seq)],
                tasks_delete: vec![format!("{id}-{}", (seq + 2) % 5)],
                tokens_put: vec![(format!("tok-{run}-{}", seq % 4), seq)],
                tokens_spend: vec![format!("tok-{run}-{}", (seq + 1) % 4)],
                ..RunWrite::default()
            });
        }
        batches.push(Batch { writes });
    }
    // Runs created first, in a batch of their own, plus new runs that are
    // stepped in the batch that creates them.
    let mut first = Vec::new();
    for run in 0..300 {
        let id = format!("run-{run:04}");
        let mut rec = record(&id, "A", Status::Running);
        if run % 7 == 0 {
            rec.idempotency_key = Some(format!("key-{run}"));
        }
        if run < 250 {
            first.push(RunWrite {
                record: Some(rec.into()),
                created: true,
                ..RunWrite::default()
            });
        } else {
            batches[1].writes.insert(
                0,
                RunWrite {
                    record: Some(rec.into()),
                    created: true,
                    journal: vec![entry(0, 0)],
                    ..RunWrite::default()
                },
            );
        }
    }
    // Runs 250.. are stepped in batch 0 before they are created in batch 1
    // (the update of a missing run inserts it); drop those writes so both
    // stores agree on what "created" means.
    batches[0].writes.retain(|w| {
        let id = &w.record.as_ref().unwrap().id;
        id.as_str() < "run-0250"
    });
    batches.insert(0, Batch { writes: first });
    for b in &batches {
        pg.commit(b).unwrap();
        mem.commit(b).unwrap();
    }
    ids.sort();
    ids.dedup();
    let ids: Vec<&str> = ids.iter().map(|s| s.as_str()).collect();
    assert_same_runs(&pg, &mem, &ids);
}

fn assert_same_runs(got: &dyn Store, want: &dyn Store, ids: &[&str]) {
    for id in ids {
        let (g, w) = (got.load_run(id).unwrap(), want.load_run(id).unwrap());
        assert_eq!(
            g.as_ref().map(|r| &r.record),
            w.as_ref().map(|r| &r.record),
            "{id}"
        );
        assert_eq!(g.map(|r| r.state), w.map(|r| r.state), "{id}");
        assert_eq!(got.journal(id).unwrap(), want.journal(id).unwrap(), "{id}");
        for k in 0..4 {
            let run: usize = id[4..].parse().unwrap();
            let tok = format!("tok-{run}-{k}");
            assert_eq!(got.token(&tok).unwrap(), want.token(&tok).unwrap(), "{tok}");
        }
    }
    assert_eq!(
        got.due_timers(i64::MAX, 10_000).unwrap(),
        want.due_timers(i64::MAX, 10_000).unwrap()
    );
    let tasks = |s: &dyn Store| {
        s.tasks(None, 10_000)
            .unwrap()
            .into_iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(tasks(got), tasks(want));
    assert_eq!(
        got.count_by_status().unwrap(),
        want.count_by_status().unwrap()
    );
    for k in [0, 7, 14, 280] {
        let key = format!("key-{k}");
        assert_eq!(
            got.run_by_key(&key).unwrap(),
            want.run_by_key(&key).unwrap()
        );
    }
}

#[test]
fn a_conflicting_batch_writes_nothing() {
    let Some(db) = common::db() else { return };
    let (s, schema) = db.store();
    let before = durable::conflicts_write_nothing(&s);
    // A statement failing in the middle of the pipeline (a journal row that
    // should not be there makes the append a unique violation) rolls back
    // what the statements before it did, and the connection stays usable.
    db.admin.exec(&format!(
        "INSERT INTO {schema}.journal (run_id, step, entries) VALUES ('r2', 2, '[]')"
    ));
    let mut moved = record("r2", "A", Status::Failed);
    moved.updated_at = 77;
    let clash = s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(moved.into()),
            journal: vec![entry(7, 7)],
            tasks_put: vec![task("r2-1", "r2", 1)],
            ..RunWrite::default()
        }],
    });
    match clash {
        Err(StoreError::Conflict(m)) => assert!(m.contains("r2") && m.contains("journal"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(s.run("r2").unwrap().unwrap().updated_at, 1_000);
    assert_eq!(s.tasks(None, 100).unwrap().len(), before.3);
    db.admin.exec(&format!(
        "DELETE FROM {schema}.journal WHERE run_id = 'r2' AND step = 2"
    ));
    // The store still works after a failed batch, and another store sees
    // none of the failed batches.
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(record("r7", "A", Status::Running).into()),
            created: true,
            ..RunWrite::default()
        }],
    })
    .unwrap();
    durable::assert_conflicts_left_nothing(&db.store_in(&schema), &before);
}

/// One batch updates every run, arms one timer per run and appends to
/// each journal; a reader must see each batch whole or not at all.
#[test]
fn readers_see_whole_batches_while_a_writer_commits() {
    let Some(db) = common::db() else { return };
    let (store, schema) = db.store();
    let store: Arc<dyn Store> = Arc::new(store);
    // Readers share the writer's store, and one reads through a store of
    // its own (another node).
    let other: Arc<dyn Store> = Arc::new(db.store_in(&schema));
    durable::readers_see_whole_batches(store.clone(), vec![store.clone(), store, other]);
}

/// Two stores commit to the same runs at once (as two nodes would, before
/// leases exist): every batch lands whole, and journal steps stay
/// numbered without gaps.
#[test]
fn concurrent_committers_do_not_deadlock_or_lose_steps() {
    let Some(db) = common::db() else { return };
    let (a, schema) = db.store();
    let b = db.store_in(&schema);
    let ids: Vec<String> = (0..20).map(|i| format!("r{i:02}")).collect();
    a.commit(&Batch {
        writes: ids
            .iter()
            .map(|id| RunWrite {
                record: Some(record(id, "A", Status::Running).into()),
                created: true,
                ..RunWrite::default()
            })
            .collect(),
    })
    .unwrap();
    std::thread::scope(|s| {
        for (n, store) in [(0, &a), (1, &b), (2, &a)] {
            let ids = &ids;
            s.spawn(move || {
                for k in 0..40 {
                    // Each batch touches the runs in a different order.
                    let mut writes: Vec<RunWrite> = ids
                        .iter()
                        .map(|id| RunWrite {
                            record: Some(record(id, "A", Status::Running).into()),
                            journal: vec![entry(k, n)],
                            timers_set: vec![("t".into(), k)],
                            ..RunWrite::default()
                        })
                        .collect();
                    writes.rotate_left((k as usize * 7 + n as usize) % ids.len());
                    if k % 2 == 1 {
                        writes.reverse();
                    }
                    store.commit(&Batch { writes }).unwrap();
                }
            });
        }
    });
    for id in &ids {
        let steps: Vec<i64> = a.journal(id).unwrap().iter().map(|j| j.step).collect();
        assert_eq!(steps, (1..=120).collect::<Vec<_>>(), "{id}");
    }
}

#[test]
fn several_nodes_migrate_at_once() {
    let Some(db) = common::db() else { return };
    let schema = db.schema();
    let config = db.config_for(&schema);
    let stores: Vec<PgStore> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let config = config.clone();
                s.spawn(move || PgStore::connect_with(config, 2))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().expect("every node starts"))
            .collect()
    });
    let rows = db.admin.query(
        &format!("SELECT version FROM {schema}.schema_migrations ORDER BY version"),
        &[],
    );
    let versions: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    // And they all work on the one schema.
    stores[0]
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r", "A", Status::Running).into()),
                created: true,
                ..RunWrite::default()
            }],
        })
        .unwrap();
    assert!(stores[5].run("r").unwrap().is_some());
}

#[test]
fn concurrent_deploys_get_distinct_versions() {
    let Some(db) = common::db() else { return };
    let (a, schema) = db.store();
    let b = db.store_in(&schema);
    let files = [SourceText {
        name: "a.weft".into(),
        text: "flow A() {}".into(),
    }];
    let mut versions: Vec<i64> = std::thread::scope(|s| {
        let hs: Vec<_> = [&a, &b, &a, &b]
            .into_iter()
            .map(|st| {
                let files = &files;
                s.spawn(move || {
                    (0..5)
                        .map(|i| {
                            st.deploy(files, &["A".into(), "A".into()], Some("{}"), i)
                                .unwrap()
                                .version
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    versions.sort();
    assert_eq!(versions, (1..=20).collect::<Vec<_>>());
    assert_eq!(a.latest_version("A").unwrap(), Some(20));
    assert_eq!(b.flows().unwrap()[0].versions.len(), 20);
}

#[test]
fn a_missing_schema_is_a_clear_error() {
    let Some(db) = common::db() else { return };
    match PgStore::connect_with(db.config_for("weft_no_such_schema"), 2) {
        Err(StoreError::Io(m)) => assert!(m.contains("search_path"), "{m}"),
        Err(e) => panic!("expected Io, got {e:?}"),
        Ok(_) => panic!("expected an error, got a store"),
    }
    match PgStore::connect("postgres://nobody@127.0.0.1:1/x?connect_timeout=1") {
        Err(StoreError::Io(m)) => assert!(m.contains("127.0.0.1:1"), "{m}"),
        Err(e) => panic!("expected Io, got {e:?}"),
        Ok(_) => panic!("expected an error, got a store"),
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(db) = common::db() else { return };
    let (s, schema) = db.store();
    drop(s);
    db.admin.exec(&format!(
        "INSERT INTO {schema}.schema_migrations (version, description) VALUES (99, 'future')"
    ));
    match PgStore::connect_with(db.config_for(&schema), 2) {
        Err(StoreError::Corrupt(m)) => assert!(m.contains("99"), "{m}"),
        Err(e) => panic!("expected Corrupt, got {e:?}"),
        Ok(_) => panic!("expected Corrupt, got a store"),
    }
}

#[test]
fn bad_stored_data_is_an_error_not_a_panic() {
    let Some(db) = common::db() else { return };
    let (s, schema) = db.store();
    let mut w = RunWrite {
        record: Some(record("r1", "A", Status::Running).into()),
        state: b"{}".to_vec(),
        created: true,
        journal: vec![entry(1, 1)],
        tasks_put: vec![task("r1-1", "r1", 1)],
        tokens_put: vec![("tok".into(), 1)],
        ..RunWrite::default()
    };
    s.commit(&Batch {
        writes: vec![w.clone()],
    })
    .unwrap();
    w.record = Some(record("r2", "A", Status::Running).into());
    w.tokens_put.clear();
    s.commit(&Batch { writes: vec![w] }).unwrap();
    db.admin.exec(&format!(
        "SET search_path = {schema};
         UPDATE runs SET waiting = '{{\"no\": \"list\"}}', status = 'sleeping' WHERE id = 'r2';
         UPDATE runs SET input = '7' WHERE id = 'r1';
         UPDATE journal SET entries = '[{{\"type\":\"nope\"}}]';
         UPDATE tasks SET task = '\"a string\"';
         UPDATE tokens SET call = -1;
         UPDATE run_counts SET status = 'sleeping';
         INSERT INTO deployments VALUES (1, 'null', '[]', 0);
         RESET search_path;"
    ));
    let corrupt = |r: Result<(), StoreError>| match r {
        Err(StoreError::Corrupt(m)) => m,
        other => panic!("expected Corrupt, got {other:?}"),
    };
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
    let m = corrupt(s.journal("r1").map(drop));
    assert!(m.contains("r1"), "{m}");
    corrupt(s.tasks(None, 10).map(drop));
    corrupt(s.deployment(1).map(drop));
    corrupt(s.token("tok").map(drop));
    // A run whose input is JSON of any shape still loads (input is free
    // JSON); its snapshot is opaque.
    assert_eq!(
        s.load_run("r1").unwrap().unwrap().record.input,
        serde_json::json!(7)
    );
}

/// The runtime reads the store from async functions: the store must work
/// there (the blocking `postgres` crate would panic).
#[test]
fn works_when_called_from_async_code() {
    let Some(db) = common::db() else { return };
    let (s, _) = db.store();
    let s = Arc::new(s);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s2 = s.clone();
        tokio::spawn(async move {
            s2.commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(record("r", "A", Status::Running).into()),
                    created: true,
                    ..RunWrite::default()
                }],
            })
            .unwrap();
            assert!(s2.run("r").unwrap().is_some());
        })
        .await
        .unwrap();
        assert!(s.run("r").unwrap().is_some());
        let s3 = s.clone();
        tokio::task::spawn_blocking(move || s3.count_by_status().unwrap())
            .await
            .unwrap();
    });
    // Dropping the last handle inside async code is fine too.
    rt.block_on(async move { drop(s) });
}

/// A schema as the builds before migration 4 left it, with runs and
/// journals, is migrated: the counts are filled from the runs, old journal
/// steps have no cause, and the runs list, search and take new writes.
#[test]
fn runs_stored_before_migration_4_are_counted() {
    use weft_store::RunCount;
    use weft_store_postgres::schema::MIGRATIONS;
    let Some(db) = common::db() else { return };
    let schema = db.schema();
    let mut sql = format!("SET search_path = {schema};\n");
    sql.push_str(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, \
         applied_at timestamptz NOT NULL DEFAULT now());\n",
    );
    for m in MIGRATIONS.iter().filter(|m| m.version < 4) {
        sql.push_str(m.sql);
        sql.push_str(&format!(
            "\nINSERT INTO schema_migrations (version, description) VALUES ({}, 'old');\n",
            m.version
        ));
    }
    for (i, (flow, status)) in [
        ("A", "failed"),
        ("A", "failed"),
        ("A", "waiting"),
        ("B", "completed"),
    ]
    .iter()
    .enumerate()
    {
        sql.push_str(&format!(
            "INSERT INTO runs (id, flow, version, status, input, waiting, created_at, updated_at, \
             journal_steps, state) VALUES ('r{i}', '{flow}', 1, '{status}', '{{\"n\":{i}}}', '[]', \
             {i}, {i}, 1, '\\x7b7d');
             INSERT INTO journal (run_id, step, entries) VALUES ('r{i}', 1, '[]');\n"
        ));
    }
    sql.push_str("RESET search_path;");
    db.admin.exec(&sql);
    let s = db.store_in(&schema);
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

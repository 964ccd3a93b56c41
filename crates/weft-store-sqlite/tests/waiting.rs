//! A run's `waiting` kept in its snapshot alone (schema version 13): the
//! records, lists and searches of runs that wait give what the memory
//! store (which keeps the host's value as it is) gives, the column holds
//! nothing, and a snapshot that does not decode is an error naming the run.

use std::sync::Arc;

use serde_json::json;
use weft_runtime::sim::{Answer, Responder, Sim, EPOCH_MS};
use weft_store::{
    Batch, MemoryStore, RunQuery, RunRecord, RunWrite, SourceText, Store, StoreError,
};
use weft_store_sqlite::{SqliteStore, DB_FILE};

/// Three kinds of wait at once: an awaited callback with a timeout, a
/// sleep, and a child run (itself waiting on a callback).
const SRC: &str = r#"
flow Order(o) {
    charged = Charge(o.amount)
    if o.id == 1 {
        Sleep(2h)
    }
    if o.id == 2 {
        child = flow Ship(o) {
            label = await Label(o.item)
            return({label: label})
        }
        shipped = child
    }
    confirm = await Confirm(o.id) @timeout(1day)
    return({charged: charged, confirm: confirm})
}
"#;

fn responder() -> Responder {
    Box::new(
        |t: &weft_engine::Task, _now: i64| match t.activity.as_str() {
            "Confirm" | "Label" => Answer::Callback {
                value: Some(json!({"ok": t.args[0]})),
                ack_ms: 10,
                // Far beyond the part of the runs the test looks at.
                callback_ms: 3_600_000,
            },
            _ => Answer::Return {
                value: json!({"activity": t.activity}),
                after_ms: 3,
            },
        },
    )
}

/// A simulator on `store` with the flow deployed and orders `ids` started.
fn started(store: Arc<dyn Store>, ids: std::ops::Range<i64>) -> Sim {
    let mut sim = Sim::new(store, 7, responder());
    sim.host
        .deploy(
            &[SourceText {
                name: "order.weft".into(),
                text: SRC.into(),
            }],
            EPOCH_MS,
        )
        .unwrap();
    for i in ids {
        sim.host
            .start_run(
                "Order",
                json!({"id": i, "amount": i, "item": "sku"}),
                None,
                sim.now,
            )
            .unwrap();
    }
    sim
}

/// Starts three orders and runs until each waits.
fn drive(store: Arc<dyn Store>) {
    let mut sim = started(store, 0..3);
    sim.run_until_idle(EPOCH_MS + 60_000).unwrap();
}

fn records(s: &dyn Store, filter: Option<&str>) -> Vec<RunRecord> {
    s.list_runs(&RunQuery {
        filter: filter.map(|q| weft_store::search::parse(q).unwrap()),
        limit: 100,
        ..RunQuery::default()
    })
    .unwrap()
    .runs
}

fn ids(runs: &[RunRecord]) -> Vec<&str> {
    runs.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn waiting_comes_from_the_snapshot_as_the_host_made_it() {
    let root = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(SqliteStore::open(root.path()).unwrap());
    let memory = Arc::new(MemoryStore::new());
    drive(sqlite.clone());
    drive(memory.clone());

    let (got, want) = (records(&*sqlite, None), records(&*memory, None));
    assert_eq!(got.len(), 4, "three orders and a child");
    assert_eq!(got, want);
    // Every kind of wait is among them, so each is derived and compared.
    let kinds: std::collections::BTreeSet<String> = got
        .iter()
        .flat_map(|r| r.waiting.as_array().unwrap().clone())
        .map(|w| w["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["activity", "child", "timer"],
        "{got:#?}"
    );
    for r in &want {
        assert_eq!(sqlite.run(&r.id).unwrap().as_ref(), Some(r));
        assert_eq!(sqlite.load_run(&r.id).unwrap().unwrap().record, *r);
    }
    // Searches read it in SQL through the same derivation.
    for q in [
        "waitingFor[0].activity == \"Confirm\"",
        "waitingFor[0].kind == \"timer\"",
        "contains(waitingFor, \"Label\")",
        "waitingFor[0].until > 0",
    ] {
        let (g, w) = (records(&*sqlite, Some(q)), records(&*memory, Some(q)));
        assert!(!w.is_empty(), "{q} finds runs");
        assert_eq!(ids(&g), ids(&w), "{q}");
    }

    // The column holds nothing for any of them: the snapshot has it.
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    let stored: Vec<(String, String)> = raw
        .prepare("SELECT id, typeof(waiting) || ':' || length(waiting) FROM runs ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(stored.iter().all(|(_, w)| w == "text:0"), "{stored:?}");
}

#[test]
fn a_snapshot_that_does_not_decode_is_an_error_naming_the_run() {
    let root = tempfile::tempdir().unwrap();
    let s = Arc::new(SqliteStore::open(root.path()).unwrap());
    drive(s.clone());
    let victim = records(&*s, None)[0].id.clone();
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    raw.execute("UPDATE runs SET state = x'02ff00' WHERE id = ?1", [&victim])
        .unwrap();
    let corrupt = |r: Result<(), StoreError>| match r {
        Err(StoreError::Corrupt(m)) => m,
        other => panic!("expected Corrupt, got {other:?}"),
    };
    let m = corrupt(s.run(&victim).map(drop));
    assert!(m.contains(&victim) && m.contains("snapshot"), "{m}");
    corrupt(s.load_run(&victim).map(drop));
    let m = format!(
        "{:?}",
        s.list_runs(&RunQuery {
            filter: Some(weft_store::search::parse("waitingFor[0].until > 0").unwrap()),
            limit: 10,
            ..RunQuery::default()
        })
        .unwrap_err()
    );
    assert!(m.contains(&victim), "{m}");
}

#[test]
fn a_write_that_does_not_say_so_keeps_its_waiting() {
    let root = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(root.path()).unwrap();
    let waiting = json!([{"kind": "timer", "until": 5}]);
    let rec = RunRecord {
        id: "r1".into(),
        flow: "A".into(),
        version: 1,
        status: weft_engine::state::Status::Waiting,
        input: json!(null),
        result: None,
        error: None,
        waiting: waiting.clone(),
        parent: None,
        idempotency_key: None,
        position: None,
        created_at: 1,
        updated_at: 1,
        forked_from: None,
    };
    s.commit(&Batch {
        writes: vec![RunWrite {
            record: Some(rec.into()),
            // No snapshot of a state: the value stands on its own.
            state: b"{}".to_vec(),
            created: true,
            ..RunWrite::default()
        }],
    })
    .unwrap();
    assert_eq!(s.run("r1").unwrap().unwrap().waiting, waiting);
}

#[test]
fn a_run_that_waits_for_nothing_keeps_its_empty_list() {
    let root = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(SqliteStore::open(root.path()).unwrap());
    let mut sim = started(sqlite.clone(), 1..2);
    sim.run_until_idle(i64::MAX).unwrap();
    let runs = records(&*sqlite, None);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, weft_engine::state::Status::Completed);
    assert_eq!(runs[0].waiting, json!([]));
    // Stored as a value of its own, so a search on `waitingFor` does not
    // decode the snapshot of a run that is done.
    let raw = rusqlite::Connection::open(root.path().join(DB_FILE)).unwrap();
    let kind: String = raw
        .query_row("SELECT typeof(waiting) FROM runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kind, "blob");
}

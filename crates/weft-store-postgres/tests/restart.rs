//! A real restart of the PostgreSQL server: stopped, the store fails with
//! `StoreError::Io`; started again, it works without being reopened.
//!
//! This stops the server every other test uses, so it only runs when
//! `WEFT_TEST_PG_RESTART=1` (`.ci/run` sets it: test binaries run one
//! after another, and this file holds one test). The cluster is
//! `WEFT_TEST_PG_CLUSTER` (`"15 main"` by default), driven with
//! `pg_ctlcluster`, which needs root or the postgres user.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use weft_engine::state::{Entry, EntryKind, Status};
use weft_store::conformance::record;
use weft_store::{Batch, RunWrite, Store, StoreError};

fn pg_ctlcluster(action: &str) {
    let cluster = std::env::var("WEFT_TEST_PG_CLUSTER").unwrap_or_else(|_| "15 main".into());
    let mut args: Vec<&str> = cluster.split_whitespace().collect();
    args.push(action);
    if action == "stop" {
        args.extend(["-m", "fast"]);
    }
    let out = Command::new("pg_ctlcluster")
        .args(&args)
        .output()
        .expect("run pg_ctlcluster");
    assert!(
        out.status.success(),
        "pg_ctlcluster {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts the server again however the test ends.
struct StartOnDrop;

impl Drop for StartOnDrop {
    fn drop(&mut self) {
        let cluster = std::env::var("WEFT_TEST_PG_CLUSTER").unwrap_or_else(|_| "15 main".into());
        let mut args: Vec<&str> = cluster.split_whitespace().collect();
        args.push("start");
        // Fails harmlessly when it is already running.
        let _ = Command::new("pg_ctlcluster").args(&args).output();
    }
}

fn step(k: i64) -> Batch {
    Batch {
        writes: vec![RunWrite {
            record: Some(record("r", "A", Status::Running).into()),
            created: k == 0,
            journal: vec![Entry {
                at: k,
                kind: EntryKind::Now { value: k },
            }],
            ..RunWrite::default()
        }],
    }
}

#[test]
fn the_store_works_again_after_the_server_restarts() {
    let Some(db) = common::db() else { return };
    if std::env::var("WEFT_TEST_PG_RESTART").as_deref() != Ok("1") {
        eprintln!(
            "skipping: set WEFT_TEST_PG_RESTART=1 to let this test stop and start the \
             PostgreSQL server (pg_ctlcluster)"
        );
        return;
    }
    let (s, _) = db.store();
    s.commit(&step(0)).unwrap();
    std::thread::scope(|sc| {
        for _ in 0..3 {
            sc.spawn(|| s.count_by_status().unwrap());
        }
    });

    let guard = StartOnDrop;
    pg_ctlcluster("stop");
    for k in 1..=2 {
        match s.commit(&step(k)) {
            Err(StoreError::Io(m)) => assert!(m.contains("run r"), "{m}"),
            other => panic!("expected Io while the server is stopped, got {other:?}"),
        }
        assert!(matches!(s.journal("r"), Err(StoreError::Io(_))));
    }
    pg_ctlcluster("start");
    drop(guard);

    // The server accepts connections again within a few seconds; the store
    // needs no reopening.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match s.run("r") {
            Ok(r) => {
                assert!(r.is_some());
                break;
            }
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for the server: {e}");
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("the store did not recover: {e}"),
        }
    }
    s.commit(&step(3)).unwrap();
    let steps: Vec<i64> = s
        .journal("r")
        .unwrap()
        .iter()
        .map(|j| match j.entries[0].kind {
            EntryKind::Now { value } => value,
            _ => -1,
        })
        .collect();
    assert_eq!(steps, [0, 3]);
}

//! Connections that break: backends terminated by the server, a server
//! that cannot be reached for a while (a proxy in between refuses and cuts
//! connections), and a connection cut while `COMMIT` is in flight, with or
//! without the server having committed. The store must fail with
//! `StoreError::Io` while the server is away, work again once it is back,
//! and never apply a batch twice.

mod common;

use std::time::{Duration, Instant};

use weft_engine::state::{Entry, EntryKind, Status};
use weft_store::conformance::record;
use weft_store::{Batch, RunWrite, Store, StoreError};
use weft_store_postgres::PgStore;

use common::Proxy;

fn create(id: &str) -> Batch {
    Batch {
        writes: vec![RunWrite {
            record: Some(record(id, "A", Status::Running).into()),
            state: b"0".to_vec(),
            created: true,
            journal: vec![Entry {
                at: 0,
                kind: EntryKind::Now { value: 0 },
            }],
            ..RunWrite::default()
        }],
    }
}

fn step(id: &str, k: i64) -> Batch {
    let mut rec = record(id, "A", Status::Running);
    rec.updated_at = k;
    Batch {
        writes: vec![RunWrite {
            record: Some(rec.into()),
            state: k.to_string().into_bytes(),
            journal: vec![Entry {
                at: k,
                kind: EntryKind::Now { value: k },
            }],
            timers_set: vec![("t".into(), k)],
            ..RunWrite::default()
        }],
    }
}

fn steps(s: &dyn Store, id: &str) -> Vec<i64> {
    s.journal(id)
        .unwrap()
        .iter()
        .map(|j| match j.entries[0].kind {
            EntryKind::Now { value } => value,
            _ => -1,
        })
        .collect()
}

/// Uses several connections of the pool at once, so that more than one
/// idle connection is dead after the cut.
fn use_connections(s: &PgStore) {
    std::thread::scope(|sc| {
        for _ in 0..4 {
            sc.spawn(|| {
                for _ in 0..20 {
                    s.count_by_status().unwrap();
                }
            });
        }
    });
}

#[test]
fn terminated_backends_are_replaced() {
    let Some(db) = common::db() else { return };
    let (s, schema) = db.store();
    s.commit(&create("r")).unwrap();
    use_connections(&s);
    for round in 1..=3 {
        let killed = db.admin.terminate(&schema);
        assert!(killed >= 1, "round {round}: no session was terminated");
        // The server is up: the store replaces its dead connections without
        // the caller seeing an error, for reads and commits alike.
        assert!(s.run("r").unwrap().is_some());
        s.commit(&step("r", round)).unwrap();
        use_connections(&s);
    }
    // Also when the first thing after the cut is a commit.
    db.admin.terminate(&schema);
    s.commit(&step("r", 4)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1, 2, 3, 4]);
}

#[test]
fn fails_while_the_server_is_unreachable_then_recovers() {
    let Some(db) = common::db() else { return };
    let proxy = Proxy::start(db.server_addr());
    let schema = db.schema();
    let s = PgStore::connect_with(db.config_via(&schema, &proxy), 4).unwrap();
    s.commit(&create("r")).unwrap();
    use_connections(&s);

    proxy.set_down(true);
    let t = Instant::now();
    for k in 1..=3 {
        match s.commit(&step("r", k)) {
            Err(StoreError::Io(m)) => assert!(m.contains("run r"), "{m}"),
            other => panic!("expected Io while down, got {other:?}"),
        }
        match s.run("r") {
            Err(StoreError::Io(m)) => assert!(m.contains("run r"), "{m}"),
            other => panic!("expected Io while down, got {other:?}"),
        }
    }
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "failing took {:?}",
        t.elapsed()
    );

    proxy.set_down(false);
    assert!(s.run("r").unwrap().is_some());
    s.commit(&step("r", 4)).unwrap();
    use_connections(&s);
    // Nothing of the failed commits was written.
    assert_eq!(steps(&s, "r"), [0, 4]);
}

#[test]
fn a_commit_whose_reply_is_lost_is_not_applied_twice() {
    let Some(db) = common::db() else { return };
    let proxy = Proxy::start(db.server_addr());
    let schema = db.schema();
    let s = PgStore::connect_with(db.config_via(&schema, &proxy), 4).unwrap();
    s.commit(&create("r")).unwrap();

    // The server commits, the reply is lost; the store asks the server on
    // a new connection and learns that it committed.
    proxy.cut_at_next_commit(true, false);
    s.commit(&step("r", 1)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1]);

    // COMMIT never reaches the server: it rolls back, and the store tries
    // again on a new connection.
    proxy.cut_at_next_commit(false, false);
    s.commit(&step("r", 2)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1, 2]);

    // The server commits, the reply is lost, and the server cannot be
    // reached to ask: the outcome is unknown, an error.
    proxy.cut_at_next_commit(true, true);
    match s.commit(&step("r", 3)) {
        Err(StoreError::Io(m)) => assert!(m.contains("unknown"), "{m}"),
        other => panic!("expected Io, got {other:?}"),
    }
    // The runtime commits the same batch again; once the server is back
    // the store sees that the first attempt committed, and does not write
    // it twice.
    assert!(matches!(s.commit(&step("r", 3)), Err(StoreError::Io(_))));
    proxy.set_down(false);
    s.commit(&step("r", 3)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1, 2, 3]);

    // Same, but the next batch is another one: it is written.
    proxy.cut_at_next_commit(true, true);
    assert!(s.commit(&step("r", 4)).is_err());
    proxy.set_down(false);
    s.commit(&step("r", 5)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1, 2, 3, 4, 5]);

    // And when the lost attempt did not commit, the retry writes it.
    proxy.cut_at_next_commit(false, true);
    assert!(s.commit(&step("r", 6)).is_err());
    proxy.set_down(false);
    s.commit(&step("r", 6)).unwrap();
    assert_eq!(steps(&s, "r"), [0, 1, 2, 3, 4, 5, 6]);
}

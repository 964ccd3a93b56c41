//! The PostgreSQL store as the store of a cluster: the shared cluster
//! conformance suite, then what only a real database can show: several
//! stores (nodes) on one schema racing for the same runs, tasks and
//! tokens, stale writes refused whole, notifications that survive a lost
//! connection, and a schema of version 1 migrated with its tasks.
//!
//! Each test works in a schema of its own; see `common` for the database.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use weft_engine::state::{Entry, EntryKind, Event, Status, Task};
use weft_store::conformance::{self, record};
use weft_store::{
    Batch, CallbackOutcome, ClusterStore, Fence, RunWrite, Store, StoreError, TokenRow,
};
use weft_store_postgres::schema::MIGRATIONS;
use weft_store_postgres::PgStore;

/// Threads racing, each with a store of its own (a node).
const NODES: usize = 8;

#[test]
fn conforms_as_a_cluster_store() {
    let Some(db) = common::db() else { return };
    conformance::run_cluster_all(&|| Box::new(db.store().0));
}

fn task(call_id: &str, run: &str, activity: &str) -> Task {
    Task {
        call_id: call_id.into(),
        run_id: run.into(),
        call: 1,
        activity: activity.into(),
        args: serde_json::json!([call_id]),
        attempt: 1,
        deadline: None,
        callback_token: None,
    }
}

fn create(ids: &[String]) -> Batch {
    Batch {
        writes: ids
            .iter()
            .map(|id| RunWrite {
                record: Some(record(id, "A", Status::Waiting).into()),
                state: b"{}".to_vec(),
                created: true,
                ..RunWrite::default()
            })
            .collect(),
    }
}

/// Nodes claim the same runs at once, one at a time and by looking for
/// work, release them, and let leases run out (time is a shared counter,
/// so leases end while others race). Whatever the interleaving, a run's
/// epoch belongs to one node: two nodes never hold one run at one epoch.
#[test]
fn racing_claims_give_each_epoch_to_one_node() {
    let Some(db) = common::db() else { return };
    let (first, schema) = db.store();
    let ids: Vec<String> = (0..12).map(|i| format!("r{i:02}")).collect();
    first.commit(&create(&ids)).unwrap();
    // Work for `claim_runs_with_work`: an event per run, never consumed.
    for id in &ids {
        first.enqueue(id, &Event::Retry).unwrap();
    }
    const LEASE: i64 = 40;
    const ROUNDS: usize = 150;
    let clock = Arc::new(AtomicI64::new(1_000));
    let barrier = Arc::new(Barrier::new(NODES));
    let claims: Arc<Mutex<Vec<(String, i64, String)>>> = Arc::default();
    let nodes: Vec<_> = (0..NODES)
        .map(|n| {
            let store = db.store_in(&schema);
            let (ids, clock, barrier, claims) =
                (ids.clone(), clock.clone(), barrier.clone(), claims.clone());
            std::thread::spawn(move || {
                let node = format!("node{n}");
                let mut got = Vec::new();
                let mut held: Vec<weft_store::Claim> = Vec::new();
                barrier.wait();
                for round in 0..ROUNDS {
                    let now = clock.fetch_add(1, Ordering::SeqCst);
                    match (round + n) % 4 {
                        0 | 1 => {
                            let run = &ids[(round * 7 + n * 3) % ids.len()];
                            if let Some(c) = store.claim_run(&node, run, now, LEASE).unwrap() {
                                held.push(c);
                            }
                        }
                        2 => held.extend(store.claim_runs_with_work(&node, now, LEASE, 3).unwrap()),
                        _ => {
                            let lost = store.renew(&node, &held, now, LEASE).unwrap();
                            held.retain(|c| !lost.contains(&c.run_id));
                            if round % 8 == 3 {
                                store.release(&node, &held).unwrap();
                                held.clear();
                            }
                        }
                    }
                    got.extend(
                        held.iter()
                            .map(|c| (c.run_id.clone(), c.epoch, node.clone())),
                    );
                }
                claims.lock().unwrap().extend(got);
            })
        })
        .collect();
    for n in nodes {
        n.join().unwrap();
    }
    let claims = claims.lock().unwrap();
    let mut owners: HashMap<(String, i64), HashSet<String>> = HashMap::new();
    for (run, epoch, node) in claims.iter() {
        owners
            .entry((run.clone(), *epoch))
            .or_default()
            .insert(node.clone());
    }
    for ((run, epoch), nodes) in &owners {
        assert_eq!(
            nodes.len(),
            1,
            "run {run} at epoch {epoch} held by {nodes:?}"
        );
    }
    // Leases ended and passed on: the race was a race.
    let epochs: HashSet<i64> = owners.keys().map(|k| k.1).collect();
    assert!(epochs.len() > 3, "epochs {epochs:?}");
    assert!(owners.len() > ids.len(), "{} claims", owners.len());
}

/// A node whose claim was taken over commits a step that touches every
/// kind of row, together with a step of a run it still holds: the store
/// refuses the whole batch, says which run, node and epochs, and writes
/// nothing (records, journal, timers, tasks, tokens, inbox as before).
#[test]
fn a_stale_fenced_commit_is_refused_whole() {
    let Some(db) = common::db() else { return };
    let (a, schema) = db.store();
    let b = db.store_in(&schema);
    let setup = |id: &str| RunWrite {
        record: Some(record(id, "A", Status::Running).into()),
        state: b"before".to_vec(),
        created: true,
        journal: vec![Entry {
            at: 1,
            kind: EntryKind::Now { value: 1 },
        }],
        timers_set: vec![("t1".into(), 500), ("t2".into(), 600)],
        tasks_put: vec![task(&format!("{id}-1"), id, "Charge")],
        tokens_put: vec![("tok-".to_string() + id, 2)],
        ..RunWrite::default()
    };
    a.commit(&Batch {
        writes: vec![setup("r1"), setup("r2")],
    })
    .unwrap();
    a.enqueue("r1", &Event::Retry).unwrap();
    let inbox = a.inbox("r1").unwrap();
    let stale = a.claim_run("A", "r1", 0, 100).unwrap().unwrap();
    let held = a.claim_run("A", "r2", 0, 10_000).unwrap().unwrap();
    let newer = b.claim_run("B", "r1", 100, 100).unwrap().unwrap();
    assert_eq!(newer.epoch, stale.epoch + 1);

    let snapshot = |s: &PgStore| {
        (
            ["r1", "r2"].map(|r| {
                let run = s.load_run(r).unwrap().unwrap();
                (run.record, run.state, s.journal(r).unwrap())
            }),
            s.due_timers(i64::MAX, 100).unwrap(),
            s.tasks(None, 100).unwrap(),
            ["tok-r1", "tok-r2", "tok-new"].map(|t| s.token(t).unwrap()),
            s.inbox("r1")
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect::<Vec<_>>(),
        )
    };
    let before = snapshot(&a);
    let step = |id: &str, epoch: i64| {
        let mut rec = record(id, "A", Status::Completed);
        rec.updated_at = 9;
        RunWrite {
            record: Some(rec.into()),
            state: b"after".to_vec(),
            journal: vec![Entry {
                at: 9,
                kind: EntryKind::Now { value: 9 },
            }],
            timers_clear: vec!["t1".into()],
            timers_set: vec![("t2".into(), 900), ("t3".into(), 1)],
            tasks_delete: vec![format!("{id}-1")],
            tasks_put: vec![task(&format!("{id}-2"), id, "Charge")],
            tokens_put: vec![("tok-new".into(), 3)],
            tokens_spend: vec!["tok-".to_string() + id],
            inbox_done: inbox.iter().map(|e| e.id).collect(),
            fence: Some(Fence {
                node: "A".into(),
                epoch,
                lease_until: 0,
            }),
            ..RunWrite::default()
        }
    };
    let refused = a.commit(&Batch {
        writes: vec![step("r2", held.epoch), step("r1", stale.epoch)],
    });
    let Err(StoreError::Conflict(m)) = refused else {
        panic!("a stale claim must be refused: {refused:?}")
    };
    assert!(
        m.contains("run r1")
            && m.contains(" A ")
            && m.contains(&format!("epoch {}", stale.epoch))
            && m.contains("owner B")
            && m.contains(&format!("epoch {}", newer.epoch))
            && !m.contains("run r2 is"),
        "{m}"
    );
    assert_eq!(snapshot(&a), before, "nothing of the batch is written");
    assert_eq!(snapshot(&b), before);
    // The claim that won writes; the refused node's other run too, alone.
    b.commit(&Batch {
        writes: vec![RunWrite {
            fence: Some(Fence {
                node: "B".into(),
                epoch: newer.epoch,
                lease_until: 0,
            }),
            ..step("r1", 0)
        }],
    })
    .unwrap();
    a.commit(&Batch {
        writes: vec![step("r2", held.epoch)],
    })
    .unwrap();
    assert_eq!(a.run("r1").unwrap().unwrap().status, Status::Completed);
    assert_eq!(a.journal("r2").unwrap().len(), 2);
    assert!(a.inbox("r1").unwrap().is_empty(), "consumed with the step");
    assert_eq!(
        a.token("tok-r1").unwrap(),
        Some(TokenRow {
            run_id: "r1".into(),
            call: 2,
            active: false
        })
    );
}

/// Nodes lease tasks at once while leases end and tasks come back: a task
/// is never leased to two workers for overlapping times, and each task is
/// leased; a task stored again (a new attempt) is free at once.
#[test]
fn racing_task_leases_never_overlap() {
    let Some(db) = common::db() else { return };
    let (first, schema) = db.store();
    const TASKS: usize = 200;
    const LEASE: i64 = 25;
    let mut w = RunWrite {
        record: Some(record("r", "A", Status::Running).into()),
        created: true,
        ..RunWrite::default()
    };
    for i in 0..TASKS {
        let activity = ["Charge", "Ship", "Other"][i % 3];
        w.tasks_put.push(task(&format!("r-{i:03}"), "r", activity));
    }
    first.commit(&Batch { writes: vec![w] }).unwrap();
    let clock = Arc::new(AtomicI64::new(0));
    let barrier = Arc::new(Barrier::new(NODES));
    // (call id, leased at, lease end, node)
    type Leases = Vec<(String, i64, i64, usize)>;
    let leases: Arc<Mutex<Leases>> = Arc::default();
    let nodes: Vec<_> = (0..NODES)
        .map(|n| {
            let store = db.store_in(&schema);
            let (clock, barrier, leases) = (clock.clone(), barrier.clone(), leases.clone());
            std::thread::spawn(move || {
                let acts = vec!["Charge".to_string(), "Ship".to_string()];
                let mut got = Vec::new();
                barrier.wait();
                for round in 0..60 {
                    let now = clock.fetch_add(1, Ordering::SeqCst);
                    let max = 1 + (round + n) % 7;
                    for lt in store
                        .lease_tasks("any", &acts, &format!("w{n}"), max, now, LEASE)
                        .unwrap()
                    {
                        assert_eq!(lt.lease_until, now + LEASE);
                        assert_ne!(lt.task.activity, "Other");
                        got.push((lt.task.call_id, now, lt.lease_until, n));
                    }
                }
                leases.lock().unwrap().extend(got);
            })
        })
        .collect();
    for n in nodes {
        n.join().unwrap();
    }
    let leases = leases.lock().unwrap();
    let mut by_task: BTreeMap<&str, Vec<(i64, i64, usize)>> = BTreeMap::new();
    for (call, from, until, n) in leases.iter() {
        by_task.entry(call).or_default().push((*from, *until, *n));
    }
    let wanted = (0..TASKS).filter(|i| i % 3 != 2).count();
    assert_eq!(
        by_task.len(),
        wanted,
        "every task of the activities is leased"
    );
    let mut again = 0;
    for (call, ls) in &mut by_task {
        ls.sort();
        for pair in ls.windows(2) {
            assert!(
                pair[0].1 <= pair[1].0,
                "task {call} leased twice at once: {pair:?}"
            );
        }
        again += ls.len() - 1;
    }
    assert!(again > 0, "leases ended and tasks were leased again");
    // A new attempt replaces the task and its lease (once the racers'
    // leases ended, one worker takes every task).
    let now = clock.load(Ordering::SeqCst) + LEASE;
    let acts = vec!["Charge".to_string()];
    first
        .lease_tasks("any", &acts, "x", TASKS, now, 1_000)
        .unwrap();
    let mut t = task("r-000", "r", "Charge");
    t.attempt = 2;
    first
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r", "A", Status::Running).into()),
                tasks_put: vec![t.clone()],
                ..RunWrite::default()
            }],
        })
        .unwrap();
    let got = first
        .lease_tasks("any", &acts, "y", TASKS, now + 1, 1_000)
        .unwrap();
    assert_eq!(
        got.iter().map(|l| &l.task).collect::<Vec<_>>(),
        [&t],
        "only the new attempt is free"
    );
    assert_eq!(first.heartbeat_task("r-000", 1, now, 10).unwrap(), None);
    assert_eq!(
        first.heartbeat_task("r-000", 2, now + 2, 1_000).unwrap(),
        Some(now + 1_002)
    );
}

/// Callbacks with one token arrive at several nodes at once: one is
/// queued, the others find the token spent; an unknown token is unknown.
#[test]
fn racing_callbacks_queue_once() {
    let Some(db) = common::db() else { return };
    let (first, schema) = db.store();
    const TOKENS: usize = 15;
    first
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r", "A", Status::Waiting).into()),
                created: true,
                tokens_put: (0..TOKENS).map(|i| (format!("tok{i}"), i as u32)).collect(),
                ..RunWrite::default()
            }],
        })
        .unwrap();
    let barrier = Arc::new(Barrier::new(NODES));
    let nodes: Vec<_> = (0..NODES)
        .map(|n| {
            let store = db.store_in(&schema);
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut out = Vec::new();
                for i in 0..TOKENS {
                    barrier.wait();
                    let v = serde_json::json!({"node": n, "b": 1, "a": 2});
                    out.push(store.enqueue_callback(&format!("tok{i}"), &v).unwrap());
                }
                assert_eq!(
                    store
                        .enqueue_callback("nope", &serde_json::json!(1))
                        .unwrap(),
                    CallbackOutcome::Unknown
                );
                out
            })
        })
        .collect();
    let outcomes: Vec<Vec<CallbackOutcome>> =
        nodes.into_iter().map(|n| n.join().unwrap()).collect();
    for i in 0..TOKENS {
        let queued = outcomes
            .iter()
            .filter(|o| o[i] == CallbackOutcome::Queued { run_id: "r".into() })
            .count();
        let spent = outcomes
            .iter()
            .filter(|o| o[i] == CallbackOutcome::Spent)
            .count();
        assert_eq!((queued, spent), (1, NODES - 1), "token {i}");
    }
    let inbox = first.inbox("r").unwrap();
    assert_eq!(inbox.len(), TOKENS);
    let mut calls: Vec<u32> = inbox
        .iter()
        .map(|e| match &e.event {
            Event::Callback { call, value } => {
                assert_eq!(value["a"], 2);
                *call
            }
            other => panic!("{other:?}"),
        })
        .collect();
    calls.sort();
    assert_eq!(calls, (0..TOKENS as u32).collect::<Vec<_>>());
}

/// A node waiting for work is woken by another node's enqueue, by its
/// stored tasks and callbacks; after its listening connection is killed it
/// reconnects, reports that as work (it may have missed some), and is
/// woken by the others again.
#[test]
fn waiting_nodes_are_woken_by_others_and_after_a_lost_connection() {
    let Some(db) = common::db() else { return };
    let (waiter, schema) = db.store();
    let other = db.store_in(&schema);
    waiter
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r", "A", Status::Waiting).into()),
                created: true,
                tokens_put: vec![("tok".into(), 1)],
                ..RunWrite::default()
            }],
        })
        .unwrap();
    assert!(waiter.listen(Duration::from_secs(10)), "LISTEN in effect");
    // Another schema's work wakes nobody here.
    let (elsewhere, _) = db.store();
    elsewhere
        .commit(&create(&["x".to_string()]))
        .and_then(|()| elsewhere.enqueue("x", &Event::Retry))
        .unwrap();
    assert!(!waiter.wait_for_work(Duration::from_millis(300)).unwrap());

    let woken_by = |what: &dyn Fn(&PgStore)| {
        std::thread::scope(|s| {
            let t = s.spawn(|| {
                let start = Instant::now();
                (
                    waiter.wait_for_work(Duration::from_secs(10)).unwrap(),
                    start.elapsed(),
                )
            });
            std::thread::sleep(Duration::from_millis(100));
            what(&other);
            let (woken, after) = t.join().unwrap();
            assert!(
                woken && after < Duration::from_secs(5),
                "{woken} after {after:?}"
            );
        })
    };
    woken_by(&|s| s.enqueue("r", &Event::Retry).unwrap());
    woken_by(&|s| {
        s.commit(&Batch {
            writes: vec![RunWrite {
                record: Some(record("r", "A", Status::Running).into()),
                tasks_put: vec![task("r-1", "r", "Charge")],
                ..RunWrite::default()
            }],
        })
        .unwrap()
    });
    woken_by(&|s| {
        s.enqueue_callback("tok", &serde_json::json!(1)).unwrap();
    });

    // The listening connection dies: the waiter is woken when it is back.
    std::thread::scope(|s| {
        let t = s.spawn(|| waiter.wait_for_work(Duration::from_secs(20)).unwrap());
        std::thread::sleep(Duration::from_millis(100));
        let killed = db.admin.query(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = $1 AND query LIKE 'LISTEN%'",
            &[&schema],
        );
        assert_eq!(killed[0].get::<_, i64>(0), 1, "one listening connection");
        assert!(t.join().unwrap(), "the reconnection counts as work");
    });
    assert!(waiter.listen(Duration::from_secs(10)));
    woken_by(&|s| s.enqueue("r", &Event::Retry).unwrap());
}

/// While the server cannot be reached, the listener tries again after
/// longer and longer pauses (it does not spin), waiters just wait, and once
/// the server is back the reconnection wakes them.
#[test]
fn a_listener_backs_off_while_the_server_is_away() {
    let Some(db) = common::db() else { return };
    let schema = db.schema();
    let proxy = common::Proxy::start(db.server_addr());
    let store = PgStore::connect_with(db.config_via(&schema, &proxy), 4).expect("connect");
    assert!(store.listen(Duration::from_secs(10)));
    proxy.set_down(true);
    let before = proxy.opened();
    let away = Duration::from_secs(3);
    let start = Instant::now();
    while start.elapsed() < away {
        // No work, no error: a waiter waits out its timeout.
        assert!(!store.wait_for_work(Duration::from_millis(500)).unwrap());
    }
    let tries = proxy.opened() - before;
    // 0.1 s, 0.2, 0.4, 0.8, 1.6: about five in three seconds.
    assert!(
        (1..=8).contains(&tries),
        "{tries} connection attempts in {away:?}"
    );
    proxy.set_down(false);
    assert!(
        store.wait_for_work(Duration::from_secs(15)).unwrap(),
        "woken by the reconnection"
    );
    assert!(store.listen(Duration::from_secs(1)));
}

/// A schema written by a build that knew only migration 1, with a task in
/// it, is brought up to date: the task is leased by its activity.
#[test]
fn a_version_1_schema_gets_cluster_columns_for_its_tasks() {
    let Some(db) = common::db() else { return };
    let schema = db.schema();
    db.admin.exec(&format!(
        "SET search_path = {schema};
         {}
         CREATE TABLE schema_migrations (
             version integer PRIMARY KEY, description text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO schema_migrations (version, description) VALUES (1, 'v1');
         INSERT INTO runs (id, flow, version, status, input, waiting, created_at, updated_at,
             state) VALUES ('r', 'A', 1, 'running', '{{}}', '[]', 0, 0, '');
         INSERT INTO tasks (call_id, run_id, task) VALUES
             ('r-1', 'r', '{}'), ('r-2', 'r', '\"not an object\"');
         RESET search_path;",
        MIGRATIONS[0].sql,
        serde_json::to_string(&task("r-1", "r", "Charge"))
            .unwrap()
            .replace('\'', "''")
    ));
    let store = db.store_in(&schema);
    let got = store
        .lease_tasks("any", &["Charge".into()], "w", 10, 0, 100)
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].task.call_id, "r-1");
    assert!(store.claim_run("A", "r", 0, 100).unwrap().is_some());
}

/// A poll through a node leases the tasks of the runs that node holds
/// first (so their results reach it directly); another node's tasks are
/// kept for polls through that node for `TASK_AFFINITY_MS` after the step
/// that stored them, then anyone's.
#[test]
fn a_nodes_own_tasks_are_leased_through_it_first() {
    let Some(db) = common::db() else { return };
    let (a, schema) = db.store();
    let b = db.store_in(&schema);
    let runs = |node: &str| -> Vec<String> { (0..5).map(|i| format!("{node}-r{i}")).collect() };
    // B's first: without the preference, a scan meets them first.
    for (store, node) in [(&b, "B"), (&a, "A")] {
        let writes = runs(node)
            .iter()
            .map(|id| RunWrite {
                record: Some(record(id, "A", Status::Running).into()),
                state: b"{}".to_vec(),
                created: true,
                fence: Some(Fence {
                    node: node.into(),
                    epoch: 1,
                    lease_until: 60_000,
                }),
                tasks_put: vec![task(&format!("{id}-1"), id, "Charge")],
                ..RunWrite::default()
            })
            .collect();
        store.commit(&Batch { writes }).unwrap();
    }
    let acts = vec!["Charge".to_string()];
    let runs_of = |got: &[weft_store::LeasedTask]| -> HashSet<String> {
        got.iter().map(|l| l.task.run_id.clone()).collect()
    };
    // The steps ran at 1,000 (`record`'s time).
    let now = 1_000;
    let through_a = a.lease_tasks("A", &acts, "w1", 3, now, 1_000).unwrap();
    assert_eq!(through_a.len(), 3);
    assert!(
        runs_of(&through_a).is_subset(&runs("A").into_iter().collect()),
        "A's own tasks first: {:?}",
        runs_of(&through_a)
    );
    // B's five only, though it asks for ten: A's are kept for A a while.
    let through_b = b.lease_tasks("B", &acts, "w2", 10, now, 1_000).unwrap();
    assert_eq!(runs_of(&through_b), runs("B").into_iter().collect());
    let kept = now + weft_store_postgres::TASK_AFFINITY_MS;
    assert!(b
        .lease_tasks("B", &acts, "w2", 10, kept - 1, 1_000)
        .unwrap()
        .is_empty());
    // Then the two of A's that nobody has.
    let rest = b.lease_tasks("B", &acts, "w2", 10, kept, 1_000).unwrap();
    assert_eq!(rest.len(), 2);
    let rest = runs_of(&rest);
    assert!(rest.is_subset(&runs("A").into_iter().collect()));
    assert!(
        runs_of(&through_a).is_disjoint(&rest),
        "no task leased twice"
    );
    // A node that holds nothing leases anyone's, once the leases end.
    let later = b
        .lease_tasks("C", &acts, "w3", 20, now + 2_000, 1_000)
        .unwrap();
    assert_eq!(later.len(), 10);
}

/// Tasks put and deleted by the thousand (a busy queue) make the store
/// vacuum the queue-like tables in the background, so leasing does not
/// walk tens of thousands of dead index entries.
#[test]
fn a_churning_queue_is_vacuumed() {
    let Some(db) = common::db() else { return };
    let (store, schema) = db.store();
    let mut w = RunWrite {
        record: Some(record("r", "A", Status::Running).into()),
        created: true,
        ..RunWrite::default()
    };
    store
        .commit(&Batch {
            writes: vec![w.clone()],
        })
        .unwrap();
    w.created = false;
    let per_batch = 500;
    let batches = (weft_store_postgres::VACUUM_CHURN_MIN as usize / per_batch) * 2 + 2;
    for b in 0..batches {
        let mut w = w.clone();
        for i in 0..per_batch {
            w.tasks_put.push(task(&format!("r-{b}-{i}"), "r", "Charge"));
            if b > 0 {
                w.tasks_delete.push(format!("r-{}-{i}", b - 1));
            }
        }
        store.commit(&Batch { writes: vec![w] }).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (runs, error) = store.vacuums();
        assert_eq!(error, None, "the background vacuum failed");
        if runs >= 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no vacuum after {} churned rows",
            batches * per_batch * 2
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The server publishes a backend's statistics shortly after it ends.
    loop {
        let rows = db.admin.query(
            "SELECT count(*) FROM pg_stat_user_tables \
             WHERE schemaname = $1 AND relname IN ('tasks', 'inbox', 'timers') \
             AND vacuum_count > 0",
            &[&schema],
        );
        let vacuumed: i64 = rows[0].get(0);
        if vacuumed == 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{vacuumed} of tasks, inbox and timers show a vacuum"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

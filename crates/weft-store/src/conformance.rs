//! One conformance suite for every store. A store's tests call [`run_all`]
//! with a function that makes an empty store; each check gets a fresh one.
//!
//! ```ignore
//! #[test]
//! fn conforms() {
//!     weft_store::conformance::run_all(&|| Box::new(MyStore::open_temp()));
//! }
//! ```

use weft_engine::state::{Entry, EntryKind, Status, Task};

use crate::*;

pub mod durable;
pub mod machines;
pub mod operating;

/// A conformance check: panics when the store misbehaves.
pub type Check = fn(&dyn Store);

/// Every check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    ("deploy_versions", deploy_versions),
    ("source_cursors_advance_by_compare_and_set", source_cursors),
    ("programs_stored_and_set_once", programs),
    ("parked_runs_leave_the_work_queries", park_and_unpark),
    ("a_parked_run_is_cancelled_unread", cancel_parked),
    ("commit_and_load", commit_and_load),
    (
        "idempotency_conflict_fails_whole_batch",
        idempotency_conflict_fails_whole_batch,
    ),
    (
        "list_newest_first_with_paging_and_filters",
        list_newest_first_with_paging_and_filters,
    ),
    ("count_by_status", count_by_status),
    ("journal_steps_in_order", journal_steps_in_order),
    ("journal_pages", journal_pages),
    (
        "journal_keeps_the_newest_steps",
        journal_keeps_the_newest_steps,
    ),
    ("timers", timers),
    ("tasks", tasks),
    ("tokens", tokens),
    (
        "search_means_what_filters_say",
        operating::search_means_what_filters_say,
    ),
    (
        "search_by_every_parameter",
        operating::search_by_every_parameter,
    ),
    ("search_scan_is_bounded", operating::search_scan_is_bounded),
    (
        "run_counts_follow_every_write",
        operating::run_counts_follow_every_write,
    ),
    (
        "causes_and_forks_are_kept",
        operating::causes_and_forks_are_kept,
    ),
    ("audit_log", operating::audit_log),
    (
        "machine_instances_and_commands_read_back",
        machines::instances_and_commands_read_back,
    ),
    (
        "a_taken_command_id_fails_the_whole_batch",
        machines::a_taken_command_id_fails_the_whole_batch,
    ),
    (
        "queries_use_the_index_and_check_every_state",
        machines::queries_use_the_index_and_check_every_state,
    ),
    (
        "ranges_narrow_and_wide_page_through_every_match_in_key_order",
        machines::ranges_narrow_and_wide_page_through_every_match_in_key_order,
    ),
    (
        "a_new_state_replaces_the_indexed_fields",
        machines::a_new_state_replaces_the_indexed_fields,
    ),
    (
        "machine_events_are_numbered_in_commit_order",
        machines::events_are_numbered_in_commit_order,
    ),
    (
        "an_event_id_is_taken_once_with_its_runs",
        an_event_id_is_taken_once_with_its_runs,
    ),
    (
        "an_events_starts_are_written_again_with_its_new_runs",
        an_events_starts_are_written_again_with_its_new_runs,
    ),
    (
        "events_list_newest_first_in_pages",
        events_list_newest_first_in_pages,
    ),
    (
        "a_schedule_is_written_over_the_revision_it_was_read_at",
        a_schedule_is_written_over_the_revision_it_was_read_at,
    ),
];

fn schedule_write(name: &str, expect: i64, next_at: Option<i64>) -> RunWrite {
    RunWrite {
        schedules: vec![crate::ScheduleWrite {
            row: crate::ScheduleRow {
                name: name.into(),
                flow: "F".into(),
                version: 1,
                spec: serde_json::json!({"every": 60000}),
                next_at,
                paused: false,
                retired: false,
                last_fire_at: None,
                last_run_id: None,
                last_error: None,
                fires: expect,
                skipped: 0,
                queued: 0,
                revision: expect + 1,
                updated_at: 1,
            },
            expect_revision: expect,
        }],
        ..RunWrite::default()
    }
}

/// Two writers of one schedule (two nodes firing it): the one whose
/// revision is stale is refused whole, its run with it.
fn a_schedule_is_written_over_the_revision_it_was_read_at(s: &dyn Store) {
    s.commit(&Batch {
        writes: vec![schedule_write("nightly", 0, Some(100))],
    })
    .unwrap();
    // A second "new" row of the same name is stale.
    assert!(matches!(
        s.commit(&Batch {
            writes: vec![schedule_write("nightly", 0, Some(200))]
        }),
        Err(StoreError::Conflict(_))
    ));
    // Fired over revision 1: wins, with its run.
    let mut fire = schedule_write("nightly", 1, Some(160));
    fire.record = new_run(record("fire-1", "F", Status::Running)).record;
    fire.state = b"{}".to_vec();
    fire.created = true;
    s.commit(&Batch { writes: vec![fire] }).unwrap();
    // The other node fired over revision 1 too: refused, run and all.
    let mut late = schedule_write("nightly", 1, Some(160));
    late.record = new_run(record("fire-2", "F", Status::Running)).record;
    late.state = b"{}".to_vec();
    late.created = true;
    assert!(matches!(
        s.commit(&Batch { writes: vec![late] }),
        Err(StoreError::Conflict(_))
    ));
    assert!(s.run("fire-2").unwrap().is_none());
    assert!(s.run("fire-1").unwrap().is_some());
    let rows = s.schedules().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].revision, rows[0].next_at), (2, Some(160)));
    s.commit(&Batch {
        writes: vec![schedule_write("hourly", 0, None)],
    })
    .unwrap();
    let names: Vec<String> = s.schedules().unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["hourly", "nightly"]);
}

fn event_write(id: &str, at: i64) -> EventWrite {
    EventWrite {
        event: crate::IncomingEvent {
            id: id.into(),
            kind: "created".into(),
            subject: Some("question".into()),
            data: serde_json::json!({"key": id}),
            source: None,
        },
        received_at: at,
        starts: vec![crate::TriggerStart {
            trigger: "T".into(),
            flow: "F".into(),
            run_id: Some(format!("run-{id}")),
            error: None,
        }],
    }
}

/// An event is stored with the runs its triggers start, in one
/// transaction; offering its id again fails the whole batch and leaves
/// nothing of it behind.
fn an_event_id_is_taken_once_with_its_runs(s: &dyn Store) {
    let mut run = new_run(record("r1", "F", Status::Running));
    run.events = vec![event_write("e1", 5)];
    s.commit(&Batch { writes: vec![run] }).unwrap();
    let stored = s.event("e1").unwrap().expect("the event is stored");
    assert_eq!(stored.event.data, serde_json::json!({"key": "e1"}));
    assert_eq!(stored.received_at, 5);
    assert_eq!(stored.starts[0].run_id.as_deref(), Some("run-e1"));
    assert!(s.run("r1").unwrap().is_some());
    let taken = s
        .taken_event_ids(&["e0".into(), "e1".into(), "e2".into()])
        .unwrap();
    assert_eq!(taken, vec!["e1".to_string()]);

    // The same id again, beside a new run: neither is written.
    let mut again = new_run(record("r2", "F", Status::Running));
    again.events = vec![event_write("e2", 6), event_write("e1", 6)];
    let err = s
        .commit(&Batch {
            writes: vec![again],
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(s.run("r2").unwrap().is_none());
    assert!(s.event("e2").unwrap().is_none());

    // Twice in one batch is a conflict too.
    let twice = RunWrite {
        events: vec![event_write("e3", 7), event_write("e3", 7)],
        ..RunWrite::default()
    };
    assert!(matches!(
        s.commit(&Batch {
            writes: vec![twice]
        }),
        Err(StoreError::Conflict(_))
    ));
    assert!(s.event("e3").unwrap().is_none());
}

/// A re-drive writes a stored event's starts again, in the transaction of
/// the runs it starts; the starts of an event that is not stored refuse
/// the whole batch.
fn an_events_starts_are_written_again_with_its_new_runs(s: &dyn Store) {
    let mut failed = event_write("x1", 5);
    failed.starts[0].run_id = None;
    failed.starts[0].error = Some("the flow refused the input".into());
    s.commit(&Batch {
        writes: vec![RunWrite {
            events: vec![failed],
            ..RunWrite::default()
        }],
    })
    .unwrap();
    let now = event_write("x1", 5).starts;
    let mut run = new_run(record("run-x1", "F", Status::Running));
    run.event_starts = vec![crate::EventStartsWrite {
        id: "x1".into(),
        starts: now.clone(),
    }];
    s.commit(&Batch { writes: vec![run] }).unwrap();
    let stored = s.event("x1").unwrap().unwrap();
    assert_eq!(stored.starts, now);
    assert_eq!((stored.seq > 0, stored.received_at), (true, 5));
    assert!(s.run("run-x1").unwrap().is_some());

    let mut run = new_run(record("run-x9", "F", Status::Running));
    run.event_starts = vec![crate::EventStartsWrite {
        id: "x9".into(),
        starts: now,
    }];
    let err = s.commit(&Batch { writes: vec![run] }).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(s.run("run-x9").unwrap().is_none());
}

/// Events come back newest first, a page at a time.
fn events_list_newest_first_in_pages(s: &dyn Store) {
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        let w = RunWrite {
            events: vec![event_write(id, i as i64)],
            ..RunWrite::default()
        };
        s.commit(&Batch { writes: vec![w] }).unwrap();
    }
    let all = s.events(None, 10).unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e.event.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert!(all[0].seq > all[1].seq && all[1].seq > all[2].seq);
    let page = s.events(None, 2).unwrap();
    let rest = s.events(Some(page[1].seq), 2).unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].event.id, "a");
    // The same list without the data, page by page.
    let bare = s.event_starts(None, 10).unwrap();
    let mut expected = all.clone();
    for e in &mut expected {
        e.event.data = serde_json::Value::Null;
    }
    assert_eq!(bare, expected);
    assert_eq!(s.event_starts(Some(page[1].seq), 2).unwrap().len(), 1);
}

/// Runs every check against fresh stores from `make`; panics with the
/// check's name on the first failure.
pub fn run_all(make: &dyn Fn() -> Box<dyn Store>) {
    for (name, check) in CHECKS {
        let store = make();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(store.as_ref())));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("store conformance check `{name}` failed: {msg}");
        }
    }
}

/// A pull source's cursor advances only from the value it was read at, so
/// a slower node never moves it back; sources do not share cursors.
fn source_cursors(s: &dyn Store) {
    assert_eq!(s.source_cursor("a").unwrap(), None);
    assert!(s.advance_source_cursor("a", None, "10", 1).unwrap());
    assert!(
        !s.advance_source_cursor("a", None, "5", 2).unwrap(),
        "a node that read no cursor does not overwrite one"
    );
    assert!(!s.advance_source_cursor("a", Some("7"), "8", 3).unwrap());
    assert!(s.advance_source_cursor("a", Some("10"), "20", 4).unwrap());
    assert_eq!(s.source_cursor("a").unwrap().as_deref(), Some("20"));
    assert_eq!(s.source_cursor("b").unwrap(), None);
    assert!(s.advance_source_cursor("b", None, "x", 5).unwrap());
    assert_eq!(s.source_cursor("a").unwrap().as_deref(), Some("20"));
    assert_eq!(s.source_cursor("b").unwrap().as_deref(), Some("x"));
}

/// A run record for tests.
pub fn record(id: &str, flow: &str, status: Status) -> RunRecord {
    RunRecord {
        id: id.into(),
        flow: flow.into(),
        version: 1,
        status,
        input: serde_json::json!({"n": 1}),
        result: None,
        error: None,
        waiting: serde_json::json!([]),
        parent: None,
        idempotency_key: None,
        position: None,
        created_at: 1_000,
        updated_at: 1_000,
        forked_from: None,
    }
}

pub(crate) fn new_run(rec: RunRecord) -> RunWrite {
    RunWrite {
        record: Some(rec.into()),
        state: b"{\"snapshot\":1}".to_vec(),
        created: true,
        journal: vec![Entry {
            at: 1_000,
            kind: EntryKind::Started {
                input: serde_json::json!({}),
            },
        }],
        ..RunWrite::default()
    }
}

fn task(call_id: &str, run: &str, attempt: u32) -> Task {
    Task {
        call_id: call_id.into(),
        run_id: run.into(),
        call: 1,
        activity: "Charge".into(),
        args: serde_json::json!([1]),
        attempt,
        deadline: None,
        callback_token: None,
    }
}

pub(crate) fn commit(s: &dyn Store, writes: Vec<RunWrite>) {
    s.commit(&Batch { writes }).expect("commit");
}

fn deploy_versions(s: &dyn Store) {
    let f = vec![SourceText {
        name: "a.weft".into(),
        text: "flow A() {}".into(),
    }];
    let d1 = s.deploy(&f, &["A".into()], Some("{\"p\":1}"), 5).unwrap();
    let d2 = s
        .deploy(&f, &["A".into(), "B".into()], Some("{\"p\":2}"), 6)
        .unwrap();
    assert_eq!((d1.version, d2.version), (1, 2));
    assert_eq!(s.deployment(1).unwrap().unwrap(), d1);
    assert_eq!(s.deployment(3).unwrap(), None);
    assert_eq!(s.latest_version("A").unwrap(), Some(2));
    assert_eq!(s.latest_version("B").unwrap(), Some(2));
    assert_eq!(s.latest_version("C").unwrap(), None);
    let flows = s.flows().unwrap();
    assert_eq!(flows.len(), 2);
    assert_eq!(flows[0].name, "A");
    assert_eq!(flows[0].versions, vec![1, 2]);
}

fn programs(s: &dyn Store) {
    let f = vec![SourceText {
        name: "a.weft".into(),
        text: "flow A() {}".into(),
    }];
    let d1 = s
        .deploy(&f, &["A".into()], Some("{\"program\":1}"), 5)
        .unwrap();
    assert_eq!(d1.program.as_deref(), Some("{\"program\":1}"));
    // As a build before stored programs wrote it: source only.
    let d2 = s.deploy(&f, &["A".into()], None, 6).unwrap();
    assert_eq!(d2.program, None);
    assert_eq!(s.deployment(2).unwrap().unwrap().program, None);
    assert_eq!(s.versions_without_program().unwrap(), vec![2]);
    assert!(s.set_program(2, "{\"program\":2}").unwrap());
    assert!(
        !s.set_program(2, "{\"another\":1}").unwrap(),
        "the first program stored stays"
    );
    assert!(!s.set_program(1, "{\"another\":1}").unwrap());
    assert!(
        !s.set_program(9, "{\"another\":1}").unwrap(),
        "no such version"
    );
    assert_eq!(
        s.deployment(2).unwrap().unwrap().program.as_deref(),
        Some("{\"program\":2}")
    );
    assert_eq!(
        s.deployment(1).unwrap().unwrap().program.as_deref(),
        Some("{\"program\":1}")
    );
    assert!(s.versions_without_program().unwrap().is_empty());
}

/// An operator cancels a parked run: its snapshot stays unread, what was
/// set aside goes, its tokens are spent, and the journal says so.
fn cancel_parked(s: &dyn Store) {
    let mut r1 = new_run(record("r1", "A", Status::Waiting));
    r1.timers_set = vec![("t1".into(), 100)];
    r1.tasks_put = vec![task("r1-1", "r1", 1)];
    r1.tokens_put = vec![("tok".into(), 2)];
    let mut r2 = new_run(record("r2", "A", Status::Waiting));
    r2.timers_set = vec![("t".into(), 200)];
    commit(s, vec![r1, r2]);
    let before = s.load_run("r1").unwrap().unwrap();
    let reason = serde_json::json!({"code": "engine_panic", "message": "a bug"});
    let mut parked = before.record.clone();
    parked.status = Status::Failed;
    parked.error = Some(reason.clone());
    s.park_run(&parked, &reason, 5_000).unwrap();
    let mut cancelled = before.record.clone();
    cancelled.status = Status::Cancelled;
    cancelled.waiting = serde_json::json!([]);
    cancelled.updated_at = 6_000;
    let entry = weft_engine::state::Entry {
        at: 6_000,
        kind: weft_engine::state::EntryKind::Cancelled {
            reason: "by hand".into(),
        },
    };
    assert!(s
        .cancel_parked_run(&cancelled, std::slice::from_ref(&entry))
        .unwrap());
    let after = s.load_run("r1").unwrap().unwrap();
    assert_eq!(after.record, cancelled);
    assert_eq!(
        after.state, before.state,
        "the snapshot is not read or written"
    );
    assert!(s.parked_runs().unwrap().is_empty());
    assert!(
        !s.cancel_parked_run(&cancelled, std::slice::from_ref(&entry))
            .unwrap(),
        "only a parked run"
    );
    let journal = s.journal("r1").unwrap();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[1].entries, vec![entry]);
    assert_eq!(
        s.token("tok").unwrap().map(|t| t.active),
        Some(false),
        "its callbacks are refused as completed"
    );
    let due: Vec<String> = s
        .due_timers(i64::MAX, 10)
        .unwrap()
        .into_iter()
        .map(|t| t.run_id)
        .collect();
    assert_eq!(due, vec!["r2".to_string()], "its timers are gone");
    assert!(s.tasks(None, 10).unwrap().is_empty(), "its tasks are gone");
}

fn park_and_unpark(s: &dyn Store) {
    let mut r1 = new_run(record("r1", "A", Status::Waiting));
    r1.timers_set = vec![("t1".into(), 100), ("t2".into(), 300)];
    r1.tasks_put = vec![task("r1-1", "r1", 1)];
    r1.tokens_put = vec![("tok".into(), 2)];
    let mut r2 = new_run(record("r2", "A", Status::Waiting));
    r2.timers_set = vec![("t".into(), 200)];
    r2.tasks_put = vec![task("r2-1", "r2", 1)];
    commit(s, vec![r1, r2]);
    let before = s.load_run("r1").unwrap().unwrap();
    let reason = serde_json::json!({"code": "unreadable_state", "message": "version 9"});
    let mut parked = before.record.clone();
    parked.status = Status::Failed;
    parked.error = Some(reason.clone());
    parked.updated_at = 5_000;
    s.park_run(&parked, &reason, 5_000).unwrap();
    let after = s.load_run("r1").unwrap().unwrap();
    assert_eq!(after.record, parked, "the record says why");
    assert_eq!(after.state, before.state, "the snapshot is left as it was");
    assert_eq!(s.journal("r1").unwrap().len(), 1);
    let due = |s: &dyn Store| -> Vec<(String, String)> {
        s.due_timers(i64::MAX, 10)
            .unwrap()
            .into_iter()
            .map(|t| (t.run_id, t.key))
            .collect()
    };
    let tasks = |s: &dyn Store| -> Vec<String> {
        s.tasks(None, 10)
            .unwrap()
            .into_iter()
            .map(|t| t.call_id)
            .collect()
    };
    assert_eq!(due(s), vec![("r2".to_string(), "t".to_string())]);
    assert_eq!(s.next_timer().unwrap(), Some(200));
    assert_eq!(tasks(s), vec!["r2-1".to_string()]);
    assert_eq!(
        s.token("tok").unwrap().map(|t| (t.run_id, t.active)),
        Some(("r1".to_string(), true)),
        "its tokens stay, so a callback can be told why it is refused"
    );
    assert_eq!(
        s.parked_runs().unwrap(),
        vec![ParkedRun {
            run_id: "r1".into(),
            reason: reason.clone(),
            parked_at: 5_000
        }]
    );
    let failed = s
        .count_by_status()
        .unwrap()
        .into_iter()
        .find(|(st, _)| *st == Status::Failed)
        .map(|(_, n)| n);
    assert_eq!(failed, Some(1));
    assert_eq!(
        s.run_counts().unwrap(),
        operating::recount(s),
        "counts follow"
    );
    // Parked again (by a node of another build): the new reason; nothing
    // set aside is lost.
    let reason2 = serde_json::json!({"code": "unreadable_program", "message": "format 3"});
    s.park_run(&parked, &reason2, 6_000).unwrap();
    assert_eq!(s.parked_runs().unwrap()[0].reason, reason2);
    assert_eq!(due(s).len(), 1);
    // A build that reads it brings everything back.
    let mut back = before.record.clone();
    back.updated_at = 7_000;
    assert!(s.unpark_run(&back).unwrap());
    assert!(!s.unpark_run(&back).unwrap(), "unparked once");
    assert_eq!(
        s.run_counts().unwrap(),
        operating::recount(s),
        "counts follow"
    );
    assert_eq!(s.run("r1").unwrap().unwrap(), back);
    assert_eq!(
        due(s),
        vec![
            ("r1".to_string(), "t1".to_string()),
            ("r2".to_string(), "t".to_string()),
            ("r1".to_string(), "t2".to_string()),
        ]
    );
    assert_eq!(s.next_timer().unwrap(), Some(100));
    assert_eq!(tasks(s), vec!["r1-1".to_string(), "r2-1".to_string()]);
    assert!(s.parked_runs().unwrap().is_empty());
    // Brought back as ordinary rows: the run's next step clears them.
    commit(
        s,
        vec![RunWrite {
            record: Some(back.into()),
            state: b"{}".to_vec(),
            timers_clear: vec!["t1".into()],
            tasks_delete: vec!["r1-1".into()],
            ..RunWrite::default()
        }],
    );
    assert_eq!(due(s).len(), 2);
    assert_eq!(tasks(s), vec!["r2-1".to_string()]);
}

fn commit_and_load(s: &dyn Store) {
    commit(s, vec![new_run(record("r1", "A", Status::Running))]);
    let loaded = s.load_run("r1").unwrap().expect("stored");
    assert_eq!(loaded.state, b"{\"snapshot\":1}".to_vec());
    assert_eq!(loaded.record.flow, "A");
    let mut rec = record("r1", "A", Status::Completed);
    rec.result = Some(serde_json::json!({"ok": true}));
    rec.updated_at = 2_000;
    commit(
        s,
        vec![RunWrite {
            record: Some(rec.clone().into()),
            state: b"{}".to_vec(),
            ..RunWrite::default()
        }],
    );
    assert_eq!(s.run("r1").unwrap().unwrap(), rec);
    assert_eq!(s.load_run("r1").unwrap().unwrap().state, b"{}".to_vec());
    assert!(s.load_run("nope").unwrap().is_none());
}

fn idempotency_conflict_fails_whole_batch(s: &dyn Store) {
    let mut a = record("r1", "A", Status::Running);
    a.idempotency_key = Some("k".into());
    commit(s, vec![new_run(a)]);
    assert_eq!(s.run_by_key("k").unwrap().as_deref(), Some("r1"));
    let mut b = record("r3", "A", Status::Running);
    b.idempotency_key = Some("k".into());
    let other = new_run(record("r2", "A", Status::Running));
    let err = s.commit(&Batch {
        writes: vec![other, new_run(b)],
    });
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert!(
        s.run("r2").unwrap().is_none(),
        "a failed batch must write nothing"
    );
    assert!(s.run("r3").unwrap().is_none());
}

fn list_newest_first_with_paging_and_filters(s: &dyn Store) {
    let mut writes = Vec::new();
    for i in 0..7 {
        let status = if i % 2 == 0 {
            Status::Completed
        } else {
            Status::Failed
        };
        let flow = if i < 5 { "A" } else { "B" };
        let mut rec = record(&format!("r{i}"), flow, status);
        if i == 6 {
            rec.parent = Some("r0".into());
        }
        writes.push(new_run(rec));
    }
    commit(s, writes);
    let p1 = s
        .list_runs(&RunQuery {
            limit: 3,
            ..RunQuery::default()
        })
        .unwrap();
    let ids: Vec<_> = p1.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r6", "r5", "r4"]);
    let p2 = s
        .list_runs(&RunQuery {
            limit: 3,
            cursor: p1.next_cursor.clone(),
            ..RunQuery::default()
        })
        .unwrap();
    let ids: Vec<_> = p2.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r3", "r2", "r1"]);
    let p3 = s
        .list_runs(&RunQuery {
            limit: 3,
            cursor: p2.next_cursor.clone(),
            ..RunQuery::default()
        })
        .unwrap();
    assert_eq!(p3.runs.len(), 1);
    assert_eq!(p3.next_cursor, None);
    let failed_a = s
        .list_runs(&RunQuery {
            status: Some(Status::Failed),
            flow: Some("A".into()),
            limit: 10,
            ..RunQuery::default()
        })
        .unwrap();
    let ids: Vec<_> = failed_a.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r3", "r1"]);
    assert_eq!(failed_a.next_cursor, None);
    let children = s
        .list_runs(&RunQuery {
            parent: Some("r0".into()),
            limit: 10,
            ..RunQuery::default()
        })
        .unwrap();
    assert_eq!(children.runs.len(), 1);
    assert_eq!(children.runs[0].id, "r6");
}

fn count_by_status(s: &dyn Store) {
    commit(
        s,
        vec![
            new_run(record("a", "A", Status::Waiting)),
            new_run(record("b", "A", Status::Waiting)),
            new_run(record("c", "A", Status::Failed)),
        ],
    );
    let counts = s.count_by_status().unwrap();
    let get = |st| {
        counts
            .iter()
            .find(|(s, _)| *s == st)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    assert_eq!(get(Status::Waiting), 2);
    assert_eq!(get(Status::Failed), 1);
    assert_eq!(get(Status::Running), 0);
}

fn journal_steps_in_order(s: &dyn Store) {
    commit(s, vec![new_run(record("r", "A", Status::Running))]);
    for i in 0..3 {
        commit(
            s,
            vec![RunWrite {
                record: Some(record("r", "A", Status::Running).into()),
                journal: vec![Entry {
                    at: 2_000 + i,
                    kind: EntryKind::Now { value: i },
                }],
                ..RunWrite::default()
            }],
        );
    }
    let j = s.journal("r").unwrap();
    assert_eq!(j.len(), 4);
    assert_eq!(j.iter().map(|st| st.step).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(j[3].entries[0].kind, EntryKind::Now { value: 2 });
    assert!(s.journal("other").unwrap().is_empty());
}

/// A write of run `id` with one journal entry, `Now { value }`.
fn step_of(id: &str, value: i64) -> RunWrite {
    RunWrite {
        record: Some(record(id, "A", Status::Running).into()),
        journal: vec![Entry {
            at: 2_000 + value,
            kind: EntryKind::Now { value },
        }],
        ..RunWrite::default()
    }
}

fn journal_pages(s: &dyn Store) {
    commit(s, vec![new_run(record("r", "A", Status::Running))]);
    commit(s, (2..=5).map(|i| step_of("r", i)).collect());
    commit(s, vec![new_run(record("q", "A", Status::Running))]);
    let steps = |from, max| -> Vec<i64> {
        s.journal_page("r", from, max)
            .unwrap()
            .iter()
            .map(|j| j.step)
            .collect()
    };
    assert_eq!(steps(1, 2), [1, 2]);
    assert_eq!(steps(3, 10), [3, 4, 5]);
    assert_eq!(steps(0, 1), [1]);
    assert!(steps(6, 10).is_empty());
    let page = s.journal_page("r", 4, 1).unwrap();
    assert_eq!(page[0].entries[0].kind, EntryKind::Now { value: 4 });
    assert!(s.journal_page("other", 1, 10).unwrap().is_empty());
    assert_eq!(s.journal_page("q", 1, 10).unwrap().len(), 1);
}

/// A run's journal keeps its newest [`JOURNAL_STEPS_PER_RUN_MAX`] steps:
/// older ones go as new ones come, and step numbers go on counting.
fn journal_keeps_the_newest_steps(s: &dyn Store) {
    let max = JOURNAL_STEPS_PER_RUN_MAX;
    commit(s, vec![new_run(record("r", "A", Status::Running))]);
    commit(s, vec![new_run(record("q", "A", Status::Running))]);
    // Steps 2..=max+6 in one batch: the first six steps go.
    commit(s, (2..=max + 6).map(|i| step_of("r", i)).collect());
    let j = s.journal("r").unwrap();
    assert_eq!(j.len() as i64, max);
    assert_eq!(j[0].step, 7);
    assert_eq!(j[0].entries[0].kind, EntryKind::Now { value: 7 });
    assert_eq!(j.last().unwrap().step, max + 6);
    commit(s, vec![step_of("r", max + 7)]);
    let j = s.journal("r").unwrap();
    assert_eq!(
        (j.len() as i64, j[0].step, j.last().unwrap().step),
        (max, 8, max + 7)
    );
    assert_eq!(s.journal_page("r", 1, 2).unwrap()[0].step, 8);
    // Another run's journal is untouched.
    assert_eq!(s.journal("q").unwrap().len(), 1);
}

fn timers(s: &dyn Store) {
    let mut w = new_run(record("r", "A", Status::Waiting));
    w.timers_set = vec![("t1".into(), 300), ("t2".into(), 100), ("t3".into(), 200)];
    commit(s, vec![w]);
    assert_eq!(s.next_timer().unwrap(), Some(100));
    let due = s.due_timers(250, 10).unwrap();
    assert_eq!(
        due.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(),
        ["t2", "t3"]
    );
    assert_eq!(s.due_timers(250, 1).unwrap().len(), 1);
    // Re-arming a key moves it; clearing removes it.
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Waiting).into()),
            timers_set: vec![("t2".into(), 500)],
            timers_clear: vec!["t3".into()],
            ..RunWrite::default()
        }],
    );
    let due = s.due_timers(1_000, 10).unwrap();
    assert_eq!(
        due.iter()
            .map(|t| (t.key.as_str(), t.at))
            .collect::<Vec<_>>(),
        [("t1", 300), ("t2", 500)]
    );
    assert_eq!(due[0].run_id, "r");
    // In one write, clearing comes before setting: a timer that fired and
    // was armed again under the same key stays armed.
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Waiting).into()),
            timers_clear: vec!["t1".into()],
            timers_set: vec![("t1".into(), 900)],
            ..RunWrite::default()
        }],
    );
    let due = s.due_timers(1_000, 10).unwrap();
    assert_eq!(
        due.iter()
            .map(|t| (t.key.as_str(), t.at))
            .collect::<Vec<_>>(),
        [("t2", 500), ("t1", 900)]
    );
}

fn tasks(s: &dyn Store) {
    let mut w = new_run(record("r", "A", Status::Running));
    w.tasks_put = vec![
        task("r-1", "r", 1),
        task("r-2", "r", 1),
        task("r-3", "r", 1),
    ];
    commit(s, vec![w]);
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Running).into()),
            tasks_put: vec![task("r-1", "r", 2)],
            tasks_delete: vec!["r-2".into()],
            ..RunWrite::default()
        }],
    );
    let all = s.tasks(None, 10).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].call_id, "r-1");
    assert_eq!(
        all[0].attempt, 2,
        "a put replaces the task with the same call id"
    );
    let after = s.tasks(Some("r-1"), 10).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].call_id, "r-3");
    // Deleting comes before putting in one write (an attempt ends and the
    // next one starts in the same step).
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Running).into()),
            tasks_delete: vec!["r-3".into()],
            tasks_put: vec![task("r-3", "r", 2)],
            ..RunWrite::default()
        }],
    );
    let all = s.tasks(None, 10).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].attempt, 2);
}

fn tokens(s: &dyn Store) {
    let mut w = new_run(record("r", "A", Status::Waiting));
    w.tokens_put = vec![("tok".into(), 4)];
    commit(s, vec![w]);
    assert_eq!(
        s.token("tok").unwrap(),
        Some(TokenRow {
            run_id: "r".into(),
            call: 4,
            active: true,
        })
    );
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Waiting).into()),
            tokens_spend: vec!["tok".into()],
            ..RunWrite::default()
        }],
    );
    assert_eq!(s.token("tok").unwrap().map(|t| t.active), Some(false));
    assert_eq!(s.token("never").unwrap(), None);
    // Registered and spent in one write: the token exists, spent.
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Waiting).into()),
            tokens_put: vec![("brief".into(), 5)],
            tokens_spend: vec!["brief".into()],
            ..RunWrite::default()
        }],
    );
    assert_eq!(s.token("brief").unwrap().map(|t| t.active), Some(false));
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_store_conforms() {
        super::run_all(&|| Box::new(crate::MemoryStore::new()));
    }
}

/// A cluster conformance check: panics when the store misbehaves.
pub type ClusterCheck = fn(&dyn crate::ClusterStore);

/// Every check of a store shared by several nodes, by name.
pub const CLUSTER_CHECKS: &[(&str, ClusterCheck)] = &[
    (
        "claims_are_exclusive_until_the_lease_ends",
        claims_are_exclusive,
    ),
    ("a_stale_claim_cannot_write", stale_claim_cannot_write),
    (
        "a_created_run_is_owned_by_its_creator",
        created_run_is_owned,
    ),
    (
        "a_run_created_and_stepped_in_one_batch",
        created_and_stepped_in_one_batch,
    ),
    ("renew_and_release", renew_and_release),
    ("inbox_in_order_and_consumed_with_the_step", inbox_in_order),
    ("runs_with_work_are_claimed_once", runs_with_work),
    ("tasks_are_leased_exclusively", tasks_are_leased),
    (
        "queues_and_pollers_are_seen_by_every_node",
        queues_and_pollers,
    ),
    ("waiting_for_work_wakes_on_enqueue", wait_wakes),
    ("a_callback_token_is_spent_once", callback_once),
    (
        "a_parked_run_is_not_claimed_for_work",
        parked_run_has_no_work,
    ),
];

/// Runs every cluster check against fresh stores from `make`.
pub fn run_cluster_all(make: &dyn Fn() -> Box<dyn crate::ClusterStore>) {
    for (name, check) in CLUSTER_CHECKS {
        let store = make();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(store.as_ref())));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("cluster store conformance check `{name}` failed: {msg}");
        }
    }
}

fn parked_run_has_no_work(s: &dyn crate::ClusterStore) {
    let mut r1 = new_run(record("r1", "A", Status::Waiting));
    r1.timers_set = vec![("t".into(), 10)];
    r1.tasks_put = vec![task("r1-1", "r1", 1)];
    commit(s, vec![r1]);
    s.enqueue("r1", &weft_engine::state::Event::Retry).unwrap();
    let before = s.run("r1").unwrap().unwrap();
    let mut parked = before.clone();
    parked.status = Status::Failed;
    let reason = serde_json::json!({"code": "unreadable_state", "message": "m"});
    s.park_run(&parked, &reason, 50).unwrap();
    assert!(
        s.inbox("r1").unwrap().is_empty(),
        "its events are set aside"
    );
    assert!(s.due_timers_of("r1", 100).unwrap().is_empty());
    assert!(
        s.claim_runs_with_work("A", 100, LEASE, 10)
            .unwrap()
            .is_empty(),
        "nothing draws a node to a parked run"
    );
    assert!(s
        .lease_tasks("A", &["Charge".to_string()], "w", 10, 100, LEASE)
        .unwrap()
        .is_empty());
    assert!(s.unpark_run(&before).unwrap());
    assert_eq!(s.inbox("r1").unwrap().len(), 1, "its events come back");
    let claimed = s.claim_runs_with_work("A", 100, LEASE, 10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        s.lease_tasks("A", &["Charge".to_string()], "w", 10, 100, LEASE)
            .unwrap()
            .len(),
        1,
        "its tasks can be leased again"
    );
}

fn fenced(rec: RunRecord, node: &str, epoch: i64) -> RunWrite {
    RunWrite {
        record: Some(rec.into()),
        state: b"{}".to_vec(),
        fence: Some(crate::Fence {
            node: node.into(),
            epoch,
            lease_until: 0,
        }),
        ..RunWrite::default()
    }
}

const LEASE: i64 = 1_000;

fn claims_are_exclusive(s: &dyn crate::ClusterStore) {
    commit(s, vec![new_run(record("r1", "A", Status::Running))]);
    let a = s
        .claim_run("A", "r1", 100, LEASE)
        .unwrap()
        .expect("A claims a free run");
    assert_eq!(
        s.claim_run("B", "r1", 200, LEASE).unwrap(),
        None,
        "B must wait for A's lease"
    );
    let a2 = s
        .claim_run("A", "r1", 300, LEASE)
        .unwrap()
        .expect("A may claim its own run again");
    assert_eq!(
        a2.epoch, a.epoch,
        "re-claiming a held run keeps its epoch (writes in flight stay valid)"
    );
    assert_eq!(
        s.claim_run("B", "r1", 100 + LEASE, LEASE).unwrap(),
        None,
        "the re-claim extended A's lease"
    );
    let b = s
        .claim_run("B", "r1", 300 + LEASE, LEASE)
        .unwrap()
        .expect("B claims once A's lease ended");
    assert!(b.epoch > a2.epoch, "a new owner moves the epoch");
    assert_eq!(
        s.claim_run("A", "r1", 300 + LEASE + 1, LEASE).unwrap(),
        None,
        "A lost it to B"
    );
    assert_eq!(
        s.claim_run("A", "nope", 0, LEASE).unwrap(),
        None,
        "no such run"
    );
}

fn stale_claim_cannot_write(s: &dyn crate::ClusterStore) {
    commit(
        s,
        vec![
            new_run(record("r1", "A", Status::Running)),
            new_run(record("r2", "A", Status::Running)),
        ],
    );
    let a = s.claim_run("A", "r1", 0, LEASE).unwrap().unwrap();
    let a2 = s.claim_run("A", "r2", 0, LEASE).unwrap().unwrap();
    let b = s.claim_run("B", "r1", LEASE + 1, LEASE).unwrap().unwrap();
    let mut done = record("r1", "A", Status::Completed);
    done.updated_at = 7;
    let mut other = record("r2", "A", Status::Completed);
    other.updated_at = 7;
    let stale = s.commit(&Batch {
        writes: vec![
            fenced(other.clone(), "A", a2.epoch),
            fenced(done.clone(), "A", a.epoch),
        ],
    });
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(
        s.run("r2").unwrap().unwrap().status,
        Status::Running,
        "the whole batch is refused"
    );
    assert_eq!(s.run("r1").unwrap().unwrap().status, Status::Running);
    commit(s, vec![fenced(done, "B", b.epoch)]);
    assert_eq!(s.run("r1").unwrap().unwrap().status, Status::Completed);
}

fn created_run_is_owned(s: &dyn crate::ClusterStore) {
    let mut w = new_run(record("r1", "A", Status::Running));
    w.fence = Some(crate::Fence {
        node: "A".into(),
        epoch: 1,
        lease_until: 500,
    });
    commit(s, vec![w]);
    assert_eq!(
        s.claim_run("B", "r1", 100, LEASE).unwrap(),
        None,
        "the creator holds it"
    );
    commit(s, vec![fenced(record("r1", "A", Status::Waiting), "A", 1)]);
    assert!(
        s.claim_run("B", "r1", 501, LEASE).unwrap().is_some(),
        "free once the lease ends"
    );
}

/// A run created and stepped again in one batch (an inline sub-flow that
/// finishes at once, and its parent) is held from its creation on.
fn created_and_stepped_in_one_batch(s: &dyn crate::ClusterStore) {
    let created = |id: &str| {
        let mut w = new_run(record(id, "A", Status::Running));
        w.fence = Some(crate::Fence {
            node: "A".into(),
            epoch: 1,
            lease_until: 500,
        });
        w
    };
    commit(
        s,
        vec![
            created("r1"),
            fenced(record("r1", "A", Status::Completed), "A", 1),
        ],
    );
    assert_eq!(s.run("r1").unwrap().unwrap().status, Status::Completed);
    let other = s.commit(&Batch {
        writes: vec![
            created("r2"),
            fenced(record("r2", "A", Status::Completed), "B", 1),
        ],
    });
    assert!(
        matches!(other, Err(StoreError::Conflict(_))),
        "another node's write of a run created in the batch: {other:?}"
    );
    assert!(s.run("r2").unwrap().is_none(), "nothing is written");
}

fn renew_and_release(s: &dyn crate::ClusterStore) {
    commit(s, vec![new_run(record("r1", "A", Status::Running))]);
    let a = s.claim_run("A", "r1", 0, LEASE).unwrap().unwrap();
    assert!(s
        .renew("A", std::slice::from_ref(&a), LEASE - 1, LEASE)
        .unwrap()
        .is_empty());
    assert_eq!(
        s.claim_run("B", "r1", LEASE + 1, LEASE).unwrap(),
        None,
        "renewed past the first lease"
    );
    s.release("A", std::slice::from_ref(&a)).unwrap();
    let b = s
        .claim_run("B", "r1", LEASE + 2, LEASE)
        .unwrap()
        .expect("released runs are free");
    assert_eq!(
        s.renew("A", &[a], LEASE + 3, LEASE).unwrap(),
        vec!["r1".to_string()],
        "A lost it"
    );
    assert!(s.renew("B", &[b], LEASE + 3, LEASE).unwrap().is_empty());
}

fn inbox_in_order(s: &dyn crate::ClusterStore) {
    commit(
        s,
        vec![
            new_run(record("r1", "A", Status::Waiting)),
            new_run(record("r2", "A", Status::Waiting)),
        ],
    );
    for (run, key) in [("r1", "a"), ("r2", "b"), ("r1", "c")] {
        s.enqueue(
            run,
            &weft_engine::state::Event::TimerFired { key: key.into() },
        )
        .unwrap();
    }
    let keys = |run: &str| -> Vec<String> {
        s.inbox(run)
            .unwrap()
            .into_iter()
            .map(|e| match e.event {
                weft_engine::state::Event::TimerFired { key } => key,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(keys("r1"), ["a", "c"]);
    let first = s.inbox("r1").unwrap()[0].id;
    let a = s.claim_run("A", "r1", 0, LEASE).unwrap().unwrap();
    let mut w = fenced(record("r1", "A", Status::Waiting), "A", a.epoch);
    w.inbox_done = vec![first];
    commit(s, vec![w]);
    assert_eq!(keys("r1"), ["c"], "consumed with the step");
    assert_eq!(keys("r2"), ["b"]);
}

fn runs_with_work(s: &dyn crate::ClusterStore) {
    let mut timed = new_run(record("t", "A", Status::Waiting));
    timed.timers_set = vec![("k".into(), 100)];
    commit(
        s,
        vec![
            new_run(record("idle", "A", Status::Waiting)),
            new_run(record("boxed", "A", Status::Waiting)),
            timed,
        ],
    );
    s.enqueue("boxed", &weft_engine::state::Event::Retry)
        .unwrap();
    let mut got: Vec<String> = s
        .claim_runs_with_work("A", 50, LEASE, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.run_id)
        .collect();
    got.sort();
    assert_eq!(
        got,
        ["boxed"],
        "the timer is not due yet; idle runs have no work"
    );
    assert!(
        s.claim_runs_with_work("B", 60, LEASE, 10)
            .unwrap()
            .is_empty(),
        "A holds `boxed`"
    );
    let got: Vec<String> = s
        .claim_runs_with_work("B", 150, LEASE, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.run_id)
        .collect();
    assert_eq!(got, ["t"], "the due timer's run");
    assert_eq!(s.due_timers_of("t", 150).unwrap().len(), 1);
    assert!(s.due_timers_of("t", 50).unwrap().is_empty());
}

fn tasks_are_leased(s: &dyn crate::ClusterStore) {
    let mut w = new_run(record("r", "A", Status::Running));
    let mut t2 = task("r-2", "r", 1);
    t2.activity = "Other".into();
    w.tasks_put = vec![task("r-1", "r", 1), t2];
    commit(s, vec![w]);
    let acts = vec!["Charge".to_string()];
    let got = s.lease_tasks("n1", &acts, "w1", 10, 0, LEASE).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].task.call_id, "r-1");
    assert_eq!(got[0].lease_until, LEASE);
    assert!(
        s.lease_tasks("n1", &acts, "w2", 10, 10, LEASE)
            .unwrap()
            .is_empty(),
        "leased"
    );
    assert_eq!(
        s.heartbeat_task("r-1", 1, 500, LEASE).unwrap(),
        Some(500 + LEASE)
    );
    assert!(
        s.lease_tasks("n1", &acts, "w2", 10, LEASE + 1, LEASE)
            .unwrap()
            .is_empty(),
        "the heartbeat extended it"
    );
    let again = s
        .lease_tasks("n1", &acts, "w2", 10, 500 + LEASE + 1, LEASE)
        .unwrap();
    assert_eq!(
        again.len(),
        1,
        "an expired lease makes the task available again"
    );
    assert_eq!(again[0].task.call_id, "r-1");
    assert!(s.task("r-1", 1).unwrap().is_some());
    assert!(s.task("r-1", 2).unwrap().is_none(), "another attempt");
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Running).into()),
            tasks_delete: vec!["r-1".into()],
            ..RunWrite::default()
        }],
    );
    assert_eq!(s.heartbeat_task("r-1", 1, 600, LEASE).unwrap(), None);
    assert!(s.task("r-1", 1).unwrap().is_none());
}

fn queues_and_pollers(s: &dyn crate::ClusterStore) {
    use crate::{Poller, QueueDepth};
    let mut w = new_run(record("r", "A", Status::Running));
    let mut other = task("r-3", "r", 1);
    other.activity = "Other".into();
    w.tasks_put = vec![task("r-1", "r", 1), task("r-2", "r", 1), other];
    commit(s, vec![w]);
    let acts = vec!["Charge".to_string()];
    assert_eq!(
        s.lease_tasks("n1", &acts, "w1", 1, 0, LEASE).unwrap().len(),
        1
    );
    let depth = |a: &str, ready, leased| QueueDepth {
        activity: a.into(),
        ready,
        leased,
    };
    assert_eq!(
        s.queue_depths(10).unwrap(),
        vec![depth("Charge", 1, 1), depth("Other", 1, 0)]
    );
    // Once the lease ends, the task waits for a worker again.
    assert_eq!(
        s.queue_depths(LEASE + 1).unwrap(),
        vec![depth("Charge", 2, 0), depth("Other", 1, 0)]
    );
    s.record_polls("n1", "w1", &acts, 100).unwrap();
    s.record_polls("n2", "w1", &acts, 90).unwrap();
    s.record_polls("n1", "w2", &["Charge".into(), "Other".into()], 50)
        .unwrap();
    s.record_polls("n1", "w1", &acts, 120).unwrap();
    let poller = |a: &str, w: &str, n: &str, at| Poller {
        activity: a.into(),
        worker: w.into(),
        node: n.into(),
        last_poll: at,
    };
    assert_eq!(
        s.pollers(0).unwrap(),
        vec![
            poller("Charge", "w1", "n1", 120),
            poller("Charge", "w1", "n2", 90),
            poller("Charge", "w2", "n1", 50),
            poller("Other", "w2", "n1", 50),
        ]
    );
    assert_eq!(
        s.pollers(95).unwrap(),
        vec![poller("Charge", "w1", "n1", 120)]
    );
    // Polls older than POLLS_KEPT_MS are forgotten.
    let later = 120 + crate::cluster::POLLS_KEPT_MS + 1;
    s.record_polls("n3", "w9", &acts, later).unwrap();
    assert_eq!(
        s.pollers(0).unwrap(),
        vec![poller("Charge", "w9", "n3", later)]
    );
}

fn wait_wakes(s: &dyn crate::ClusterStore) {
    commit(s, vec![new_run(record("r1", "A", Status::Waiting))]);
    assert!(
        !s.wait_for_work(std::time::Duration::from_millis(20))
            .unwrap(),
        "nothing happened"
    );
    std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(30));
            s.enqueue("r1", &weft_engine::state::Event::Retry).unwrap();
        });
        assert!(
            s.wait_for_work(std::time::Duration::from_secs(5)).unwrap(),
            "woken by the enqueue"
        );
    });
}

#[cfg(test)]
mod cluster_tests {
    #[test]
    fn memory_store_conforms_as_a_cluster_store() {
        super::run_cluster_all(&|| Box::new(crate::MemoryStore::new()));
    }
}

fn callback_once(s: &dyn crate::ClusterStore) {
    use crate::cluster::CallbackOutcome;
    let mut w = new_run(record("r1", "A", Status::Waiting));
    w.tokens_put = vec![("tok".into(), 3)];
    commit(s, vec![w]);
    let v = serde_json::json!({"ok": true});
    assert_eq!(
        s.enqueue_callback("tok", &v).unwrap(),
        CallbackOutcome::Queued {
            run_id: "r1".into()
        }
    );
    assert_eq!(
        s.enqueue_callback("tok", &v).unwrap(),
        CallbackOutcome::Spent
    );
    assert_eq!(
        s.enqueue_callback("nope", &v).unwrap(),
        CallbackOutcome::Unknown
    );
    let inbox = s.inbox("r1").unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(
        matches!(&inbox[0].event, weft_engine::state::Event::Callback { call: 3, value } if *value == v)
    );
    assert_eq!(s.token("tok").unwrap().map(|t| t.active), Some(false));
}

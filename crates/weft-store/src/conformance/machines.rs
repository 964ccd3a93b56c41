//! The conformance checks about machines: instances, commands, queries and
//! events (see [`crate::machines`]).

use serde_json::{json, Value as Json};

use crate::machines::Filter;
use crate::machines::*;
use crate::*;

/// A batch of machine writes alone (no run).
pub(super) fn write(s: &dyn Store, machines: Vec<MachineWrite>) -> Result<()> {
    s.commit(&Batch {
        writes: vec![RunWrite {
            machines,
            ..RunWrite::default()
        }],
    })
}

/// An instance row at `version` with `state`.
pub fn instance_row(machine: &str, key: &str, version: i64, state: Json) -> InstanceRow {
    let mut row = InstanceRow::new(machine, key, 1_000);
    row.instance.version = version;
    row.instance.state = state;
    row.next_seq = version + 1;
    row.finished = version;
    row
}

/// A command of `machine`/`key`.
pub fn command(
    machine: &str,
    key: &str,
    seq: i64,
    id: &str,
    status: CommandStatus,
) -> CommandRecord {
    CommandRecord {
        machine: machine.into(),
        key: key.into(),
        seq,
        command: "Add".into(),
        input: json!({"n": seq}),
        command_id: id.into(),
        status,
        run_id: None,
        version: None,
        state: None,
        error: None,
        replies: Vec::new(),
        created_at: 1_000 + seq,
        finished_at: None,
    }
}

fn put(row: InstanceRow) -> MachineWrite {
    MachineWrite::Instance { row, fence: None }
}

pub(super) fn instances_and_commands_read_back(s: &dyn Store) {
    let row = instance_row("Counter", "a", 0, json!({}));
    let mut c1 = command("Counter", "a", 1, "c1", CommandStatus::Queued);
    c1.replies.push(ReplyTo {
        run_id: "r1".into(),
        call: 3,
        attempt: 2,
    });
    let c2 = command("Counter", "a", 2, "c2", CommandStatus::Queued);
    let mut row2 = row.clone();
    row2.next_seq = 3;
    write(
        s,
        vec![
            put(row),
            MachineWrite::Command(Box::new(c1.clone())),
            MachineWrite::Command(Box::new(c2.clone())),
            put(row2.clone()),
        ],
    )
    .unwrap();
    assert_eq!(s.instance("Counter", "a").unwrap(), Some(row2));
    assert_eq!(s.instance("Counter", "b").unwrap(), None);
    assert_eq!(s.instance("Other", "a").unwrap(), None);
    assert_eq!(
        s.commands("Counter", "a", 1, 10).unwrap(),
        vec![c1.clone(), c2.clone()]
    );
    assert_eq!(s.commands("Counter", "a", 2, 10).unwrap(), vec![c2.clone()]);
    assert_eq!(s.commands("Counter", "a", 1, 1).unwrap(), vec![c1.clone()]);
    assert_eq!(s.command_by_id("Counter", "a", "c2").unwrap(), Some(c2));
    assert_eq!(s.command_by_id("Counter", "b", "c2").unwrap(), None);
    assert_eq!(
        s.instances_with_open_commands(10).unwrap(),
        vec![("Counter".to_string(), "a".to_string())]
    );
    // The first command applied: its row is replaced, the instance moves.
    let mut done = c1;
    done.status = CommandStatus::Applied;
    done.run_id = Some("run-1".into());
    done.version = Some(1);
    done.state = Some(json!({"total": 1}));
    done.finished_at = Some(2_000);
    let mut after = instance_row("Counter", "a", 1, json!({"total": 1}));
    after.next_seq = 3;
    write(
        s,
        vec![
            MachineWrite::Command(Box::new(done.clone())),
            put(after.clone()),
        ],
    )
    .unwrap();
    assert_eq!(s.commands("Counter", "a", 1, 1).unwrap(), vec![done]);
    assert_eq!(s.instance("Counter", "a").unwrap(), Some(after));
    // The last one refused: nothing open any more.
    let mut refused = command("Counter", "a", 2, "c2", CommandStatus::Refused);
    refused.error = Some(json!({"why": "no"}));
    let mut last = instance_row("Counter", "a", 1, json!({"total": 1}));
    last.next_seq = 3;
    last.finished = 2;
    write(
        s,
        vec![MachineWrite::Command(Box::new(refused.clone())), put(last)],
    )
    .unwrap();
    assert_eq!(
        s.command_by_id("Counter", "a", "c2").unwrap(),
        Some(refused)
    );
    assert!(s.instances_with_open_commands(10).unwrap().is_empty());
}

pub(super) fn a_taken_command_id_fails_the_whole_batch(s: &dyn Store) {
    write(
        s,
        vec![
            put(instance_row("M", "k", 0, json!({}))),
            MachineWrite::Command(Box::new(command(
                "M",
                "k",
                1,
                "same",
                CommandStatus::Queued,
            ))),
        ],
    )
    .unwrap();
    let err = write(
        s,
        vec![
            put(instance_row("M", "other", 0, json!({}))),
            MachineWrite::Command(Box::new(command(
                "M",
                "k",
                2,
                "same",
                CommandStatus::Queued,
            ))),
        ],
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(s.instance("M", "other").unwrap(), None);
    assert_eq!(s.commands("M", "k", 2, 10).unwrap(), Vec::new());
    // Twice in one batch, too.
    let err = write(
        s,
        vec![
            MachineWrite::Command(Box::new(command("M", "j", 1, "x", CommandStatus::Queued))),
            MachineWrite::Command(Box::new(command("M", "j", 2, "x", CommandStatus::Queued))),
        ],
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    // The same id on another instance is another command.
    write(
        s,
        vec![MachineWrite::Command(Box::new(command(
            "M",
            "j",
            1,
            "same",
            CommandStatus::Queued,
        )))],
    )
    .unwrap();
}

fn cmp(path: &str, op: CmpOp, value: Json) -> Filter {
    Filter::Cmp {
        path: Path::State(path.split('.').map(str::to_string).collect()),
        op,
        value,
    }
}

fn keys(page: &InstancePage) -> Vec<&str> {
    page.items.iter().map(|i| i.key.as_str()).collect()
}

fn q(filter: Filter, limit: usize, cursor: Option<&str>) -> InstanceQuery {
    InstanceQuery {
        machine: "channels".into(),
        filter,
        limit,
        cursor: cursor.map(str::to_string),
    }
}

pub(super) fn queries_use_the_index_and_check_every_state(s: &dyn Store) {
    let mut writes = Vec::new();
    for i in 0..30 {
        let kind = if i % 3 == 0 { "email" } else { "push" };
        let state = json!({
            "n": i,
            "kind": kind,
            "verified": i % 2 == 0,
            "activation": {"code": format!("c{i}"), "active": null},
        });
        writes.push(put(instance_row("channels", &format!("u{i:02}"), 1, state)));
    }
    // Not indexed (a long string), yet found by every query it fits.
    writes.push(put(instance_row(
        "channels",
        "u99",
        1,
        json!({"n": 99, "kind": "email", "verified": true, "note": "x".repeat(INDEXED_TEXT_BYTES_MAX + 1)}),
    )));
    // No command applied yet: not an instance for readers.
    writes.push(put(instance_row(
        "channels",
        "u00a",
        0,
        json!({"kind": "email"}),
    )));
    // Another machine's instance.
    writes.push(put(instance_row(
        "Counter",
        "u01",
        1,
        json!({"kind": "email"}),
    )));
    write(s, writes).unwrap();

    let email = cmp("kind", CmpOp::Eq, json!("email"));
    let page = query(s, &q(email.clone(), 100, None)).unwrap();
    assert_eq!(
        keys(&page),
        ["u00", "u03", "u06", "u09", "u12", "u15", "u18", "u21", "u24", "u27", "u99"]
    );
    assert_eq!(page.next, None);
    // Pages of 4 go on where the last ended.
    let p1 = query(s, &q(email.clone(), 4, None)).unwrap();
    assert_eq!(keys(&p1), ["u00", "u03", "u06", "u09"]);
    let p2 = query(s, &q(email.clone(), 4, p1.next.as_deref())).unwrap();
    assert_eq!(keys(&p2), ["u12", "u15", "u18", "u21"]);
    let p3 = query(s, &q(email.clone(), 4, p2.next.as_deref())).unwrap();
    assert_eq!(keys(&p3), ["u24", "u27", "u99"]);
    // A range and another condition, and a nested path.
    let f = Filter::All(vec![
        cmp("n", CmpOp::Ge, json!(20)),
        cmp("verified", CmpOp::Eq, json!(true)),
    ]);
    assert_eq!(
        keys(&query(s, &q(f, 100, None)).unwrap()),
        ["u20", "u22", "u24", "u26", "u28", "u99"]
    );
    let f = cmp("activation.code", CmpOp::Eq, json!("c7"));
    assert_eq!(keys(&query(s, &q(f, 100, None)).unwrap()), ["u07"]);
    let f = cmp("verified", CmpOp::Eq, json!(false));
    assert_eq!(query(s, &q(f, 100, None)).unwrap().items.len(), 15);
    // Conditions the index cannot answer: every instance is examined.
    let f = Filter::Any(vec![
        cmp("n", CmpOp::Eq, json!(1)),
        cmp("n", CmpOp::Eq, json!(99)),
    ]);
    assert_eq!(keys(&query(s, &q(f, 100, None)).unwrap()), ["u01", "u99"]);
    let f = cmp("activation.active", CmpOp::Eq, json!(null));
    assert_eq!(query(s, &q(f, 100, None)).unwrap().items.len(), 31);
    let page = query(s, &q(Filter::True, 100, None)).unwrap();
    assert_eq!(page.items.len(), 31);
    assert_eq!(page.items[0].state["activation"]["code"], json!("c0"));
    // Numbers compare by value, whatever their spelling.
    let f = cmp("n", CmpOp::Eq, json!(5.0));
    assert_eq!(keys(&query(s, &q(f, 100, None)).unwrap()), ["u05"]);
    // `key == ...`: that instance alone, if it fits the rest.
    let key = |k: &str| Filter::Cmp {
        path: Path::Key,
        op: CmpOp::Eq,
        value: json!(k),
    };
    assert_eq!(keys(&query(s, &q(key("u07"), 100, None)).unwrap()), ["u07"]);
    let f = Filter::All(vec![key("u07"), email.clone()]);
    assert!(query(s, &q(f, 100, None)).unwrap().items.is_empty());
    assert!(query(s, &q(key("u00a"), 100, None))
        .unwrap()
        .items
        .is_empty());
    assert!(query(s, &q(key("u07"), 100, Some("u07")))
        .unwrap()
        .items
        .is_empty());
}

/// A range condition answers the same whether few instances match it or
/// most do (a store may read the two differently: SQLite sorts a narrow
/// range's matches and walks the instances in key order for a wide one),
/// page by page in key order.
pub(super) fn ranges_narrow_and_wide_page_through_every_match_in_key_order(s: &dyn Store) {
    const N: usize = 2_600;
    let rows: Vec<MachineWrite> = (0..N)
        .map(|i| {
            // Keys in another order than the values, so that an answer in
            // value order would show.
            let n = (i * 7919) % N;
            put(instance_row(
                "channels",
                &format!("k{i:05}"),
                1,
                json!({"n": n, "name": format!("v{n:05}")}),
            ))
        })
        .collect();
    for chunk in rows.chunks(500) {
        write(s, chunk.to_vec()).unwrap();
    }
    let all = |f: &dyn Fn(usize) -> bool| -> Vec<String> {
        (0..N)
            .filter(|i| f((i * 7919) % N))
            .map(|i| format!("k{i:05}"))
            .collect()
    };
    let pages = |filter: Filter, limit: usize| -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = query(s, &q(filter.clone(), limit, cursor.as_deref())).unwrap();
            out.extend(page.items.iter().map(|i| i.key.clone()));
            match page.next {
                Some(next) => cursor = Some(next),
                None => return out,
            }
        }
    };
    for (filter, want) in [
        (cmp("n", CmpOp::Ge, json!(2_590)), all(&|n| n >= 2_590)),
        (cmp("n", CmpOp::Lt, json!(2_500)), all(&|n| n < 2_500)),
        (cmp("n", CmpOp::Gt, json!(9_999)), Vec::new()),
        (cmp("name", CmpOp::Le, json!("v00100")), all(&|n| n <= 100)),
        (cmp("name", CmpOp::Gt, json!("v00010")), all(&|n| n > 10)),
    ] {
        assert_eq!(pages(filter.clone(), 50), want, "{filter:?} by 50");
        assert_eq!(pages(filter.clone(), 1_000), want, "{filter:?} by 1,000");
    }
}

pub(super) fn a_new_state_replaces_the_indexed_fields(s: &dyn Store) {
    write(
        s,
        vec![put(instance_row(
            "channels",
            "a",
            1,
            json!({"kind": "email", "n": 1}),
        ))],
    )
    .unwrap();
    write(
        s,
        vec![put(instance_row(
            "channels",
            "a",
            2,
            json!({"kind": "push"}),
        ))],
    )
    .unwrap();
    let email = query(s, &q(cmp("kind", CmpOp::Eq, json!("email")), 10, None)).unwrap();
    assert!(email.items.is_empty());
    let n = query(s, &q(cmp("n", CmpOp::Ge, json!(0)), 10, None)).unwrap();
    assert!(n.items.is_empty());
    let push = query(s, &q(cmp("kind", CmpOp::Eq, json!("push")), 10, None)).unwrap();
    assert_eq!(keys(&push), ["a"]);
    assert_eq!(push.items[0].version, 2);
    // Unindexed, then indexed again.
    write(
        s,
        vec![put(instance_row(
            "channels",
            "a",
            3,
            json!({"kind": "x".repeat(INDEXED_TEXT_BYTES_MAX + 1)}),
        ))],
    )
    .unwrap();
    write(
        s,
        vec![put(instance_row(
            "channels",
            "a",
            4,
            json!({"kind": "sms"}),
        ))],
    )
    .unwrap();
    let sms = query(s, &q(cmp("kind", CmpOp::Eq, json!("sms")), 10, None)).unwrap();
    assert_eq!(keys(&sms), ["a"]);
    let push = query(s, &q(cmp("kind", CmpOp::Eq, json!("push")), 10, None)).unwrap();
    assert!(push.items.is_empty());
}

pub(super) fn events_are_numbered_in_commit_order(s: &dyn Store) {
    let event = |kind: &str, version: i64| MachineEvent {
        kind: kind.into(),
        machine: "Counter".into(),
        key: "a".into(),
        version,
        command: "Add".into(),
        command_id: format!("c{version}"),
        state: json!({"total": version}),
        at: 1_000 + version,
    };
    write(s, vec![MachineWrite::Event(event(EVENT_CREATED, 1))]).unwrap();
    write(
        s,
        vec![
            MachineWrite::Event(event(EVENT_UPDATED, 2)),
            MachineWrite::Event(event(EVENT_UPDATED, 3)),
        ],
    )
    .unwrap();
    let all = s.machine_events(0, 10).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(all[0].event, event(EVENT_CREATED, 1));
    assert_eq!(all[2].event, event(EVENT_UPDATED, 3));
    let rest = s.machine_events(all[0].id, 1).unwrap();
    assert_eq!(rest, vec![all[1].clone()]);
    assert!(s.machine_events(all[2].id, 10).unwrap().is_empty());
}

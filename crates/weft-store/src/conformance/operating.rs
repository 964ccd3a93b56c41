//! Checks of what operators use at scale: search (every store's answers
//! against [`Filter::matches`], the meaning of `q`), counts kept by
//! counters, what caused each journal step, forks, and the audit log.
//!
//! [`Filter::matches`]: crate::Filter::matches

use serde_json::json;
use weft_engine::state::{Entry, EntryKind, Status};

use super::{commit, new_run, record};
use crate::search;
use crate::*;

/// The runs the search checks look through: values of every JSON type,
/// text that needs escaping, non-ASCII letters, floats, missing fields.
fn dataset() -> Vec<RunRecord> {
    let inputs = [
        json!({"nick": "ann", "age": 31, "tags": ["a", "b"], "vip": true, "f": 0.1}),
        json!({"nick": "Bob", "age": 7.5, "tags": [], "vip": false, "f": 1e300}),
        json!({"nick": "STRASSE Straße", "age": -2, "note": "a\"b\\c\nd", "nested": {"k": [1, {"z": null}]}}),
        json!({"nick": null, "age": "31", "tags": "a,b"}),
        json!("just text with Timeout in it"),
        json!([1, 2, 3]),
        json!(42),
        json!(null),
        json!({"nick": "ann", "age": 31.0, "vip": "true", "unicode": "\u{1F600} é \u{0001}"}),
        json!({"nested": {"k": [2, {"z": "zed"}]}, "age": 1e-7}),
        json!({"nick": "ÀNN", "age": 0}),
        json!({"nick": "ann ", "tags": ["b", "a"], "vip": true}),
    ];
    let flows = ["Signup", "Order", "Signup", "Reserve"];
    let statuses = Status::ALL;
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| {
            let status = statuses[i % statuses.len()];
            let mut r = record(&format!("run-{i:02}"), flows[i % flows.len()], status);
            r.version = 1 + (i % 3) as i64;
            r.input = input;
            r.created_at = 1_000 + 100 * i as i64;
            r.updated_at = 5_000 - 200 * i as i64 + 7 * (i % 2) as i64;
            match status {
                Status::Completed => {
                    r.result = Some(match i % 3 {
                        0 => json!({"total": i, "ok": true}),
                        1 => json!("done"),
                        _ => json!(null),
                    })
                }
                Status::Failed => {
                    r.error = Some(json!({
                        "message": if i % 2 == 0 { "ReserveNick timed out after 30s" } else { "card DECLINED" },
                        "location": {"file": "a.weft", "line": i},
                    }))
                }
                Status::Waiting => {
                    r.waiting = json!([{"kind": "activity", "activity": "ReserveNick", "callId": format!("run-{i:02}-1"), "callback": true}])
                }
                _ => {}
            }
            if i % 4 == 1 {
                r.parent = Some("run-00".into());
            }
            if i % 5 == 2 {
                r.idempotency_key = Some(format!("key-{i}"));
            }
            if i % 3 == 0 {
                r.position = Some(format!("a.weft:{}", 10 + i));
            }
            if i == 9 {
                r.forked_from = Some("run-03".into());
            }
            r
        })
        .collect()
}

/// Conditions the search checks try; each store must answer exactly what
/// [`Filter::matches`] says.
const CONDITIONS: &[&str] = &[
    "input.nick == \"ann\"",
    "input.nick != \"ann\"",
    "input.nick == null",
    "input.nick != null",
    "input.age == 31",
    "input.age > 7",
    "input.age >= 7.5 && input.age < 40",
    "input.age < 1",
    "input.age <= -2",
    "input.age == \"31\"",
    "input.nick < \"B\"",
    "input.nick >= \"ann\"",
    "input.vip",
    "input.vip == false",
    "!input.vip",
    "input.vip == \"true\"",
    "input.tags[0] == \"a\"",
    "input.tags[1] != null",
    "input[\"nick\"] == \"Bob\"",
    "input.nested.k[1].z == null",
    "input.nested.k[1].z == \"zed\"",
    "input.nested.k[0] > 1",
    "input.f == 0.1",
    "input.f > 1e299",
    "input.age > 0.00000001 && input.age < 0.000001",
    "input == 42",
    "input == null",
    "input == \"just text with Timeout in it\"",
    "input > 40",
    "contains(input, \"timeout\")",
    "contains(input.nick, \"ANN\")",
    "contains(input.nick, \"straße\")",
    "contains(input.nick, \"STRASSE\")",
    "contains(input.nick, \"àn\")",
    "contains(input.note, \"b\\\\c\")",
    "contains(input, \"\\\\n\")",
    "contains(input.note, \"\\n\")",
    "contains(input, \"[1,2,3]\")",
    "contains(input.tags, \"\\\"b\\\",\\\"a\\\"\")",
    "contains(input.f, \"e300\")",
    "contains(input.unicode, \"é\")",
    "contains(input, \"\\\\u0001\")",
    "contains(input, \"\")",
    "contains(input.missing, \"\")",
    "contains(error, \"TIMED OUT\")",
    "contains(error.message, \"declined\")",
    "contains(error.location, \"a.weft\")",
    "error.location.line > 4",
    "contains(result, \"done\")",
    "result.ok",
    "result == null",
    "result != null",
    "result.total >= 5",
    "contains(waitingFor, \"ReserveNick\")",
    "waitingFor[0].activity == \"ReserveNick\"",
    "status == \"failed\"",
    "status != \"failed\" && status != \"completed\"",
    "status > \"f\"",
    "run.flow == \"Signup\"",
    "run.flow != \"Signup\" || version == 2",
    "version >= 2",
    "version == 2.5",
    "version == \"2\"",
    "contains(version, \"3\")",
    "contains(id, \"RUN-0\")",
    "id == \"run-03\"",
    "id < \"run-05\"",
    "parent == \"run-00\"",
    "parent == null",
    "contains(parent, \"00\")",
    "idempotencyKey == \"key-2\"",
    "idempotencyKey != null",
    "position == \"a.weft:13\"",
    "contains(position, \":1\")",
    "forkedFrom == \"run-03\"",
    "forkedFrom == null",
    "!(status == \"failed\" || input.vip)",
    "(input.age > 0 || input.nick == null) && !(run.flow == \"Order\")",
    "1 == 1",
    "1 == 2 || contains(\"abc\", \"B\")",
    // Not translated to SQL: evaluated in Rust.
    "input.age + 1 == 32",
    "input.age * 2 > input.age",
    "run.status == status && input.age > 0",
    "status == \"failed\" && -input.age > 1",
];

/// The expected answer: every record that matches, in the query's order.
fn expected(all: &[RunRecord], q: &RunQuery) -> Vec<String> {
    let mut m: Vec<&RunRecord> = all.iter().filter(|r| q.matches(r)).collect();
    m.sort_by(|a, b| {
        let ka = (if q.sort.by_updated() { a.updated_at } else { 0 }, &a.id);
        let kb = (if q.sort.by_updated() { b.updated_at } else { 0 }, &b.id);
        if q.sort.descending() {
            kb.cmp(&ka)
        } else {
            ka.cmp(&kb)
        }
    });
    m.into_iter().map(|r| r.id.clone()).collect()
}

/// Every page of the query, with the first page's total.
fn all_pages(s: &dyn Store, q: &RunQuery) -> (Vec<String>, Option<u64>) {
    let mut ids = Vec::new();
    let mut cursor = None;
    let mut total = None;
    for _ in 0..100 {
        let page = s
            .list_runs(&RunQuery {
                cursor: cursor.clone(),
                ..q.clone()
            })
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert!(page.exact, "{q:?}: no bound was set, so the page is exact");
        if total.is_none() {
            total = page.total;
        }
        assert!(page.runs.len() <= q.limit, "{q:?}");
        ids.extend(page.runs.iter().map(|r| r.id.clone()));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (ids, total),
        }
    }
    panic!("{q:?}: more than 100 pages");
}

fn store_dataset(s: &dyn Store) -> Vec<RunRecord> {
    let all = dataset();
    commit(s, all.iter().cloned().map(new_run).collect());
    all
}

/// Every condition of [`CONDITIONS`] gives what [`Filter::matches`] says,
/// in every order, paged three at a time, with the exact total.
pub fn search_means_what_filters_say(s: &dyn Store) {
    let all = store_dataset(s);
    for q in CONDITIONS {
        let filter = search::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        for sort in [
            Sort::CreatedDesc,
            Sort::CreatedAsc,
            Sort::UpdatedDesc,
            Sort::UpdatedAsc,
        ] {
            let query = RunQuery {
                filter: Some(filter.clone()),
                sort,
                limit: 3,
                count: true,
                ..RunQuery::default()
            };
            let want = expected(&all, &query);
            let (got, total) = all_pages(s, &query);
            assert_eq!(got, want, "q = {q}, sort {}", sort.as_str());
            assert_eq!(total, Some(want.len() as u64), "q = {q}: total");
        }
    }
}

/// The other conditions of a query, alone and with `q`.
pub fn search_by_every_parameter(s: &dyn Store) {
    let all = store_dataset(s);
    let base = RunQuery {
        limit: 2,
        count: true,
        ..RunQuery::default()
    };
    let range = |from: Option<i64>, until: Option<i64>| TimeRange { from, until };
    let queries = vec![
        RunQuery { ..base.clone() },
        RunQuery {
            status: Some(Status::Failed),
            ..base.clone()
        },
        RunQuery {
            flow: Some("Signup".into()),
            status: Some(Status::Running),
            ..base.clone()
        },
        RunQuery {
            parent: Some("run-00".into()),
            ..base.clone()
        },
        RunQuery {
            top_level: true,
            ..base.clone()
        },
        RunQuery {
            top_level: true,
            status: Some(Status::Completed),
            ..base.clone()
        },
        RunQuery {
            id_prefix: Some("run-0".into()),
            ..base.clone()
        },
        RunQuery {
            id_prefix: Some("run-07".into()),
            ..base.clone()
        },
        RunQuery {
            id_prefix: Some("run_".into()),
            ..base.clone()
        },
        RunQuery {
            id_prefix: Some("run-%".into()),
            ..base.clone()
        },
        RunQuery {
            version: Some(2),
            ..base.clone()
        },
        RunQuery {
            created: range(Some(1_300), Some(1_700)),
            ..base.clone()
        },
        RunQuery {
            created: range(None, Some(1_300)),
            sort: Sort::CreatedAsc,
            ..base.clone()
        },
        RunQuery {
            updated: range(Some(3_000), None),
            sort: Sort::UpdatedDesc,
            ..base.clone()
        },
        RunQuery {
            finished: range(Some(3_000), Some(5_000)),
            ..base.clone()
        },
        RunQuery {
            finished: range(None, None),
            status: Some(Status::Cancelled),
            ..base.clone()
        },
        RunQuery {
            idempotency_key: Some("key-7".into()),
            ..base.clone()
        },
        RunQuery {
            idempotency_key: Some("key-x".into()),
            ..base.clone()
        },
        RunQuery {
            flow: Some("Order".into()),
            filter: Some(search::parse("input.age > 0").unwrap()),
            sort: Sort::UpdatedAsc,
            ..base.clone()
        },
        RunQuery {
            status: Some(Status::Failed),
            top_level: true,
            filter: Some(search::parse("input.age * 1 > 0 || input.nick == null").unwrap()),
            ..base.clone()
        },
    ];
    for q in queries {
        let want = expected(&all, &q);
        let (got, total) = all_pages(s, &q);
        assert_eq!(got, want, "{q:?}");
        assert_eq!(total, Some(want.len() as u64), "{q:?}");
        // Without `count`, no total.
        let page = s
            .list_runs(&RunQuery {
                count: false,
                ..q.clone()
            })
            .unwrap();
        assert_eq!(page.total, None, "{q:?}");
    }
}

/// A condition evaluated in Rust reads at most `scan_max` runs and says
/// so; one SQL evaluates is not bounded.
pub fn search_scan_is_bounded(s: &dyn Store) {
    let all = store_dataset(s);
    let residual = search::parse("input.age + 0 > 0").unwrap();
    let q = RunQuery {
        filter: Some(residual.clone()),
        scan_max: 4,
        limit: 10,
        count: true,
        ..RunQuery::default()
    };
    let page = s.list_runs(&q).unwrap();
    assert!(!page.exact, "4 of {} runs read: not exact", all.len());
    assert_eq!(page.scanned, 4);
    let first4: Vec<RunRecord> = {
        let mut by_id = all.clone();
        by_id.sort_by(|a, b| b.id.cmp(&a.id));
        by_id.truncate(4);
        by_id
    };
    let want: Vec<String> = first4
        .iter()
        .filter(|r| residual.matches(r))
        .map(|r| r.id.clone())
        .collect();
    let got: Vec<String> = page.runs.iter().map(|r| r.id.clone()).collect();
    assert_eq!(got, want, "the matches among the runs read");
    assert_eq!(page.total, Some(want.len() as u64));
    let unbounded = s
        .list_runs(&RunQuery {
            scan_max: 1_000,
            ..q.clone()
        })
        .unwrap();
    assert!(unbounded.exact);
    assert_eq!(unbounded.scanned, all.len() as u64);
}

fn counts_of(s: &dyn Store) -> Vec<RunCount> {
    s.run_counts().unwrap()
}

/// What the counters should say: a count of the runs themselves.
pub(crate) fn recount(s: &dyn Store) -> Vec<RunCount> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = s
            .list_runs(&RunQuery {
                limit: 1_000,
                cursor,
                ..RunQuery::default()
            })
            .unwrap();
        all.extend(page.runs);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut by: std::collections::BTreeMap<(String, usize), u64> = Default::default();
    for r in &all {
        let i = Status::ALL.iter().position(|s| *s == r.status).unwrap();
        *by.entry((r.flow.clone(), i)).or_default() += 1;
    }
    by.into_iter()
        .map(|((flow, i), runs)| RunCount {
            flow,
            status: Status::ALL[i],
            runs,
        })
        .collect()
}

/// Counts per flow and status follow creations, status changes (also
/// several in one batch), updates that change nothing, and a run stored
/// by a write that did not create it.
pub fn run_counts_follow_every_write(s: &dyn Store) {
    assert!(counts_of(s).is_empty());
    commit(
        s,
        vec![
            new_run(record("a", "A", Status::Running)),
            new_run(record("b", "A", Status::Running)),
            new_run(record("c", "B", Status::Waiting)),
        ],
    );
    assert_eq!(counts_of(s), recount(s));
    let step = |id: &str, flow: &str, st: Status| RunWrite {
        record: Some(record(id, flow, st).into()),
        state: b"{}".to_vec(),
        journal: vec![Entry {
            at: 2_000,
            kind: EntryKind::Retried,
        }],
        ..RunWrite::default()
    };
    // Two steps of one run in one batch, one of another, and a new run.
    commit(
        s,
        vec![
            step("a", "A", Status::Failed),
            step("a", "A", Status::Running),
            step("b", "A", Status::Completed),
            new_run(record("d", "B", Status::Failed)),
            step("c", "B", Status::Waiting),
        ],
    );
    assert_eq!(counts_of(s), recount(s));
    // A run written without being created, then moved.
    commit(s, vec![step("e", "C", Status::Waiting)]);
    commit(s, vec![step("e", "C", Status::Cancelled)]);
    assert_eq!(counts_of(s), recount(s));
    let want = vec![
        RunCount {
            flow: "A".into(),
            status: Status::Running,
            runs: 1,
        },
        RunCount {
            flow: "A".into(),
            status: Status::Completed,
            runs: 1,
        },
        RunCount {
            flow: "B".into(),
            status: Status::Waiting,
            runs: 1,
        },
        RunCount {
            flow: "B".into(),
            status: Status::Failed,
            runs: 1,
        },
        RunCount {
            flow: "C".into(),
            status: Status::Cancelled,
            runs: 1,
        },
    ];
    assert_eq!(counts_of(s), want);
    let by_status = s.count_by_status().unwrap();
    assert_eq!(
        by_status,
        vec![
            (Status::Running, 1),
            (Status::Waiting, 1),
            (Status::Failed, 1),
            (Status::Completed, 1),
            (Status::Cancelled, 1),
        ]
    );
    // A batch that fails changes no count.
    let err = s.commit(&Batch {
        writes: vec![
            step("a", "A", Status::Completed),
            new_run(record("b", "A", Status::Running)),
        ],
    });
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert_eq!(counts_of(s), want);
    // Totals of lists by status and flow come from the counters.
    let page = s
        .list_runs(&RunQuery {
            flow: Some("B".into()),
            limit: 1,
            count: true,
            ..RunQuery::default()
        })
        .unwrap();
    assert_eq!(page.total, Some(2));
}

/// Each journal step keeps what caused it; a run keeps whom it was forked
/// from.
pub fn causes_and_forks_are_kept(s: &dyn Store) {
    let cause = json!({"event": {"type": "retry"}, "jitter": [0.25]});
    let mut w = new_run(record("r", "A", Status::Running));
    w.cause = Some(StepCause::Json(json!({"start": null})));
    let mut forked = record("f", "A", Status::Running);
    forked.forked_from = Some("r".into());
    commit(s, vec![w, new_run(forked.clone())]);
    commit(
        s,
        vec![RunWrite {
            record: Some(record("r", "A", Status::Running).into()),
            state: b"{}".to_vec(),
            journal: vec![Entry {
                at: 2_000,
                kind: EntryKind::Retried,
            }],
            cause: Some(StepCause::Json(cause.clone())),
            ..RunWrite::default()
        }],
    );
    let j = s.journal("r").unwrap();
    assert_eq!(j.len(), 2);
    assert_eq!(j[0].cause, Some(json!({"start": null})));
    assert_eq!(j[1].cause, Some(cause));
    assert_eq!(s.journal("f").unwrap()[0].cause, None);
    assert_eq!(s.run("f").unwrap().unwrap(), forked);
    assert_eq!(s.run("r").unwrap().unwrap().forked_from, None);
    let page = s
        .list_runs(&RunQuery {
            filter: Some(search::parse("forkedFrom == \"r\"").unwrap()),
            limit: 10,
            ..RunQuery::default()
        })
        .unwrap();
    assert_eq!(page.runs, vec![forked]);
}

/// Actions are recorded, listed newest first and by run, and their
/// progress adds up.
pub fn audit_log(s: &dyn Store) {
    let a = s
        .audit_begin(&NewAudit {
            at: 10,
            actor: "ann".into(),
            action: "bulk-retry".into(),
            detail: json!({"query": {"status": "failed"}}),
            matched: 3,
        })
        .unwrap();
    let b = s
        .audit_begin(&NewAudit {
            at: 20,
            actor: "bob".into(),
            action: "cancel".into(),
            detail: json!({"reason": "x"}),
            matched: 1,
        })
        .unwrap();
    assert!(b > a);
    s.audit_progress(a, &["r1".into(), "r2".into()], &[], None)
        .unwrap();
    s.audit_progress(b, &["r9".into()], &[], Some(21)).unwrap();
    s.audit_progress(
        a,
        &[],
        &[("r3".into(), "the run is completed".into())],
        Some(30),
    )
    .unwrap();
    let e = s.audit_entry(a).unwrap().unwrap();
    assert_eq!(
        (
            e.actor.as_str(),
            e.action.as_str(),
            e.matched,
            e.applied,
            e.failed
        ),
        ("ann", "bulk-retry", 3, 2, 1)
    );
    assert_eq!(e.done_at, Some(30));
    assert_eq!(e.runs, vec!["r1".to_string(), "r2".to_string()]);
    assert_eq!(
        e.failures,
        vec![("r3".to_string(), "the run is completed".to_string())]
    );
    assert_eq!(e.detail, json!({"query": {"status": "failed"}}));
    assert_eq!(s.audit_entry(999).unwrap(), None);
    let all = s
        .audit(&AuditQuery {
            limit: 10,
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![b, a]);
    assert!(all[1].runs.is_empty(), "lists leave the runs out");
    assert_eq!(all[1].applied, 2);
    let older = s
        .audit(&AuditQuery {
            before: Some(b),
            limit: 10,
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(older.iter().map(|e| e.id).collect::<Vec<_>>(), vec![a]);
    for (run, want) in [
        ("r2", vec![a]),
        ("r3", vec![a]),
        ("r9", vec![b]),
        ("r0", vec![]),
    ] {
        let on = s
            .audit(&AuditQuery {
                run: Some(run.into()),
                limit: 10,
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(on.iter().map(|e| e.id).collect::<Vec<_>>(), want, "{run}");
    }
    let one = s
        .audit(&AuditQuery {
            limit: 1,
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(one.len(), 1);
}

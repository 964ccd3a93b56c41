//! `weft bench --search N`: finding and counting runs among N.
//!
//! Fills a store with N runs (unless it holds them already) written as the
//! runtime writes new runs: one record and a small snapshot each, in
//! batches, through `Store::commit` (so the counters are kept as they are
//! in service). The runs vary as an operator's would: five flows, every
//! status, inputs with a nick and an amount, errors of a few kinds, a
//! sub-flow in ten, a tenth of them keyed. Then each query of an operator
//! is timed through the store (what `GET /v1/runs` runs, without HTTP):
//! the median and the slowest of [`REPEATS`] tries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use weft_engine::state::{Entry, EntryKind, Status};
use weft_store::{Batch, RunQuery, RunRecord, RunWrite, Sort, Store, TimeRange};

/// Tries per query.
pub const REPEATS: usize = 5;

/// Runs written per commit while filling.
const FILL_BATCH: usize = 2_000;

/// Snapshot bytes per run while filling (the lists never read them).
const SNAPSHOT_BYTES: usize = 300;

/// The first run's start time (epoch ms); runs start a second apart.
const EPOCH: i64 = 1_767_225_600_000;

const FLOWS: [&str; 5] = ["Signup", "Checkout", "Refund", "Enrol", "Report"];

/// Run `i`'s id: made as the runtime makes ids (its start time, then
/// random bits, here drawn from a seed of `i`), so the runs sort by start.
fn id_of(i: u64) -> String {
    let created = EPOCH + i as i64 * 1_000;
    weft_runtime::ids::run_id(created, &mut weft_runtime::ids::SeededEntropy(i))
}

/// A run's record, from its number.
fn record(i: u64) -> RunRecord {
    let status = match i % 100 {
        0..=69 => Status::Completed,
        70..=84 => Status::Waiting,
        85..=92 => Status::Running,
        93..=97 => Status::Failed,
        _ => Status::Cancelled,
    };
    let created = EPOCH + i as i64 * 1_000;
    let error = (status == Status::Failed).then(|| {
        let msg = match i % 4 {
            0 => "ReserveNick timed out after 30s",
            1 => "card declined: insufficient funds",
            2 => "http://ledger answered 503",
            _ => "ReserveNick failed: nick taken",
        };
        json!({"message": msg, "location": {"file": "flows.weft", "line": 4 + i % 7, "col": 5, "sourceLine": "x = Call(input)"}})
    });
    RunRecord {
        id: id_of(i),
        flow: FLOWS[(i % 5) as usize].to_string(),
        version: 1 + (i % 3) as i64,
        status,
        input: json!({"nick": format!("user-{}", i % 50_000), "amount": i % 1_000, "vip": i.is_multiple_of(17)}),
        result: (status == Status::Completed).then(|| json!({"ok": true, "n": i % 100})),
        error,
        waiting: if status == Status::Waiting {
            json!([{"kind": "activity", "activity": "ReserveNick", "callId": format!("{i}-1"), "callback": false}])
        } else {
            json!([])
        },
        parent: (i % 10 == 9).then(|| id_of(i - 1)),
        idempotency_key: (i % 10 == 3).then(|| format!("key-{i}")),
        position: Some(format!("flows.weft:{}", 4 + i % 7)),
        created_at: created,
        updated_at: created + (i % 600) as i64 * 1_000,
        forked_from: None,
    }
}

/// Writes runs until the store holds `n` (counted by its counters).
fn fill(store: &dyn Store, n: u64) -> anyhow::Result<(u64, Duration)> {
    let have: u64 = store.run_counts()?.iter().map(|c| c.runs).sum();
    let started = Instant::now();
    let snapshot = vec![b'x'; SNAPSHOT_BYTES];
    let mut i = have;
    while i < n {
        let end = (i + FILL_BATCH as u64).min(n);
        let writes = (i..end)
            .map(|k| {
                let r = record(k);
                RunWrite {
                    journal: vec![Entry {
                        at: r.created_at,
                        kind: EntryKind::Started {
                            input: r.input.clone(),
                        },
                    }],
                    record: Some(r.into()),
                    state: snapshot.clone(),
                    created: true,
                    ..RunWrite::default()
                }
            })
            .collect();
        store.commit(&Batch { writes })?;
        i = end;
        if i.is_multiple_of(100_000) {
            eprintln!(
                "  {i} runs written ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok((n - have.min(n), started.elapsed()))
}

/// One query's figures.
pub struct Timing {
    /// What was asked.
    pub name: &'static str,
    /// Median and slowest, ms.
    pub median_ms: f64,
    /// The slowest try, ms.
    pub max_ms: f64,
    /// What it found: the page's runs and the total.
    pub found: String,
}

fn time(
    name: &'static str,
    mut f: impl FnMut() -> anyhow::Result<String>,
) -> anyhow::Result<Timing> {
    let mut ms = Vec::new();
    let mut found = String::new();
    for _ in 0..REPEATS {
        let t = Instant::now();
        found = f()?;
        ms.push(t.elapsed().as_secs_f64() * 1_000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(Timing {
        name,
        median_ms: ms[ms.len() / 2],
        max_ms: *ms.last().unwrap_or(&0.0),
        found,
    })
}

/// What a bench of search measured.
pub struct Figures {
    /// Runs in the store.
    pub runs: u64,
    /// Runs written by this bench, and how long that took.
    pub written: u64,
    /// How long writing took.
    pub fill: Duration,
    /// Each query.
    pub timings: Vec<Timing>,
}

/// Fills `store` to `n` runs and times the queries.
pub fn run(store: Arc<dyn Store>, n: u64) -> anyhow::Result<Figures> {
    let (written, fill_time) = fill(store.as_ref(), n)?;
    let s = store.as_ref();
    let page = |q: RunQuery| -> anyhow::Result<String> {
        let p = s.list_runs(&RunQuery {
            limit: if q.limit == 0 { 50 } else { q.limit },
            scan_max: weft_server::search::SEARCH_SCAN_RUNS_MAX,
            ..q
        })?;
        Ok(format!(
            "{} listed, total {}{}",
            p.runs.len(),
            p.total.map_or("-".into(), |t| t.to_string()),
            if p.exact {
                String::new()
            } else {
                format!(" (of {} read)", p.scanned)
            }
        ))
    };
    let q = |text: &str| weft_store::search::parse(text).expect("the bench's conditions parse");
    let counted = RunQuery {
        count: true,
        ..RunQuery::default()
    };
    let mid = EPOCH + n as i64 * 500;
    let timings = vec![
        time("counts per flow and status", || {
            let c = s.run_counts()?;
            Ok(format!(
                "{} rows, {} runs",
                c.len(),
                c.iter().map(|c| c.runs).sum::<u64>()
            ))
        })?,
        time("newest 50, with total", || page(counted.clone()))?,
        time("status=failed, with total", || {
            page(RunQuery {
                status: Some(Status::Failed),
                ..counted.clone()
            })
        })?,
        time("flow=Checkout&status=waiting, with total", || {
            page(RunQuery {
                flow: Some("Checkout".into()),
                status: Some(Status::Waiting),
                ..counted.clone()
            })
        })?,
        time("topLevel=true&status=failed, with total", || {
            page(RunQuery {
                top_level: true,
                status: Some(Status::Failed),
                ..counted.clone()
            })
        })?,
        time("id prefix (one run)", || {
            page(RunQuery {
                id_prefix: Some(record(n / 2).id[..22].to_string()),
                ..counted.clone()
            })
        })?,
        time("idempotencyKey", || {
            page(RunQuery {
                idempotency_key: Some(format!("key-{}", (n / 2) / 10 * 10 + 3)),
                ..counted.clone()
            })
        })?,
        time("created in a 1-hour range, with total", || {
            page(RunQuery {
                created: TimeRange {
                    from: Some(mid),
                    until: Some(mid + 3_600_000),
                },
                ..counted.clone()
            })
        })?,
        time("sort=-updated, status=failed, with total", || {
            page(RunQuery {
                sort: Sort::UpdatedDesc,
                status: Some(Status::Failed),
                ..counted.clone()
            })
        })?,
        time(
            "q: input.nick == \"user-123\" (JSON, in SQL), with total",
            || {
                page(RunQuery {
                    filter: Some(q("input.nick == \"user-123\"")),
                    ..counted.clone()
                })
            },
        )?,
        time(
            "q with status=failed: contains(error, \"timed out\"), with total",
            || {
                page(RunQuery {
                    status: Some(Status::Failed),
                    filter: Some(q("contains(error, \"timed out\")")),
                    ..counted.clone()
                })
            },
        )?,
        time(
            "q: input.amount * 2 > 1990 (outside SQL: bounded), with total",
            || {
                page(RunQuery {
                    filter: Some(q("input.amount * 2 > 1990")),
                    ..counted.clone()
                })
            },
        )?,
        time(
            "q: input.vip && status == \"failed\" (first page only)",
            || {
                page(RunQuery {
                    filter: Some(q("input.vip && status == \"failed\"")),
                    ..RunQuery::default()
                })
            },
        )?,
    ];
    let runs = store.run_counts()?.iter().map(|c| c.runs).sum();
    Ok(Figures {
        runs,
        written,
        fill: fill_time,
        timings,
    })
}

//! The typical run step the stores' commit benchmarks write (included by
//! `weft-store-sqlite`'s `bench_commit` and `weft-store-postgres`'s
//! `bench_pg_commit` with `#[path]`, so both measure the same step): the
//! run's row with its record and a 1.5 KB snapshot, one journal row, one
//! task put and one task deleted.

use std::time::Duration;

use weft_engine::state::{Entry, EntryKind, Status, Task};
use weft_store::{RunRecord, RunWrite};

/// Snapshot size of a step.
pub const SNAPSHOT_BYTES: usize = 1_500;

pub fn record(i: usize, now: i64) -> RunRecord {
    RunRecord {
        id: format!("0190a1b2c3d4-{i:08}"),
        flow: "Checkout".into(),
        version: 1,
        status: Status::Running,
        input: serde_json::json!({"order": i, "customer": "c-42", "items": [1, 2, 3]}),
        result: None,
        error: None,
        waiting: serde_json::json!([{"activity": {"activity": "Charge", "callId": format!("{i}-3"), "callback": false}}]),
        parent: None,
        idempotency_key: None,
        position: Some("checkout.weft:12".into()),
        created_at: 1_700_000_000_000,
        updated_at: now,
        forked_from: None,
    }
}

/// A snapshot-like JSON blob of exactly `SNAPSHOT_BYTES`.
pub fn snapshot(i: usize, seq: usize) -> Vec<u8> {
    let mut s = format!("{{\"v\":1,\"id\":\"{i}\",\"next_call\":{seq},\"fibers\":\"");
    let mut x = (i as u64) << 32 | seq as u64;
    while s.len() < SNAPSHOT_BYTES - 2 {
        // A cheap xorshift so pages do not hold one repeated byte.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push((b'a' + (x % 26) as u8) as char);
    }
    s.push_str("\"}");
    s.into_bytes()
}

pub fn task(i: usize, seq: usize) -> Task {
    let run = format!("0190a1b2c3d4-{i:08}");
    Task {
        call_id: format!("{run}-{seq}"),
        run_id: run,
        call: seq as u32,
        activity: "Charge".into(),
        args: serde_json::json!([{"amount": 1999, "currency": "EUR"}]),
        attempt: 1,
        deadline: Some(1_700_000_060_000),
        callback_token: None,
    }
}

/// One typical step of run `i`, its `seq`-th.
pub fn step(i: usize, seq: usize, now: i64) -> RunWrite {
    RunWrite {
        record: Some(record(i, now).into()),
        state: snapshot(i, seq),
        created: false,
        journal: vec![Entry {
            at: now,
            kind: EntryKind::CallCompleted {
                call_id: format!("0190a1b2c3d4-{i:08}-{seq}"),
                activity: "Charge".into(),
                attempt: 1,
                value: serde_json::json!({"charged": true, "id": "ch_123"}),
                duration_ms: 12,
                how: "returned".into(),
            },
        }],
        tasks_put: vec![task(i, seq + 1)],
        tasks_delete: vec![format!("0190a1b2c3d4-{i:08}-{seq}")],
        ..RunWrite::default()
    }
}

/// The `p` quantile of sorted durations, in ms.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

//! One end-to-end scenario for every durable store, included by the
//! stores' tests (`#[path]`): flows through the runtime's simulator, with
//! the same seed and the same scripted activities, on a store and on the
//! memory store must leave the same runs, journals, timers, tasks and
//! tokens, also across a simulated crash of the host and a store opened
//! again on the same data.

use std::sync::Arc;

use serde_json::json;
use weft_engine::state::Status;
use weft_runtime::sim::{Answer, Responder, Sim, EPOCH_MS};
use weft_store::{MemoryStore, RunQuery, SourceText, Store};

/// Activities, a caught failure inside `WaitAll`, an inline sub-flow (a
/// child run) and an awaited callback with a timeout.
const SRC: &str = r#"
flow Order(o) {
    charged = Charge(o.amount)
    all = WaitAll([Reserve(o.item), Flaky(1) @retry(0)])
    ship = flow Ship(o) {
        label = Label(o.item)
        return({label: label})
    }
    shipped = ship
    confirm = await Confirm(o.id) @timeout(1day)
    return({charged: charged, all: all, shipped: shipped, confirm: confirm})
}
"#;

fn responder() -> Responder {
    Box::new(
        |t: &weft_engine::Task, _now: i64| match t.activity.as_str() {
            "Flaky" => Answer::Fail {
                error: "down".into(),
                retryable: true,
                after_ms: 1,
            },
            "Confirm" => Answer::Callback {
                value: Some(json!({"ok": t.args[0]})),
                ack_ms: 10,
                callback_ms: 60_000,
            },
            _ => Answer::Return {
                value: json!({"activity": t.activity, "args": t.args}),
                after_ms: 3,
            },
        },
    )
}

/// Starts three orders, runs until the first calls are out, then opens
/// the store again under a new host (which dispatches the outstanding
/// tasks again) and runs to the end.
fn drive(store: Arc<dyn Store>, reopen: &dyn Fn() -> Arc<dyn Store>) -> Arc<dyn Store> {
    let mut sim = Sim::new(store, 11, responder());
    sim.host
        .deploy(
            &[SourceText {
                name: "order.weft".into(),
                text: SRC.into(),
            }],
            EPOCH_MS,
        )
        .unwrap();
    for i in 0..3 {
        sim.host
            .start_run(
                "Order",
                json!({"id": i, "amount": 10 * i, "item": format!("sku-{i}")}),
                Some(format!("order-{i}")),
                sim.now,
            )
            .unwrap();
    }
    sim.run_until_idle(EPOCH_MS + 1).unwrap();
    // The store is closed and opened again; the host starts over on it.
    let now = sim.now;
    drop(sim);
    let store = reopen();
    let mut sim = Sim::new(store.clone(), 12, responder());
    sim.now = now;
    sim.crash().unwrap();
    sim.run_until_idle(i64::MAX).unwrap();
    store
}

fn dump(s: &dyn Store) -> Vec<serde_json::Value> {
    let runs = s
        .list_runs(&RunQuery {
            limit: 1_000,
            ..RunQuery::default()
        })
        .unwrap()
        .runs;
    let mut out = Vec::new();
    for r in runs {
        let journal = s.journal(&r.id).unwrap();
        let state = s.load_run(&r.id).unwrap().unwrap().state;
        out.push(json!({
            "record": serde_json::to_value(&r).unwrap(),
            "journal": serde_json::to_value(&journal).unwrap(),
            // Compact snapshots as their JSON, so the dump compares exactly.
            "state": match weft_engine::state::snapshot_json(&state, &r.id) {
                Ok(v) => v,
                Err(_) => json!(String::from_utf8_lossy(&state)),
            },
        }));
    }
    out.push(serde_json::to_value(s.due_timers(i64::MAX, 1_000).unwrap()).unwrap());
    out.push(serde_json::to_value(s.tasks(None, 1_000).unwrap()).unwrap());
    out.push(serde_json::to_value(s.count_by_status().unwrap()).unwrap());
    out
}

/// Runs the scenario on stores from `open` (each call opens the same data
/// anew) and on the memory store, and compares; then checks through a
/// fresh handle that the flows ran to the end.
pub fn leaves_the_same_state_as_the_memory_store(open: &dyn Fn() -> Arc<dyn Store>) {
    let memory: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let kept = memory.clone();
    let want = drive(memory, &|| kept.clone());
    let got = drive(open(), open);

    let (got, want) = (dump(got.as_ref()), dump(want.as_ref()));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    // The flows did run to the end (children included).
    let again = open();
    let counts = again.count_by_status().unwrap();
    let completed = counts
        .iter()
        .find(|(s, _)| *s == Status::Completed)
        .unwrap()
        .1;
    assert_eq!(completed, 6, "{counts:?}");
    let key = again.run_by_key("order-1").unwrap().expect("bound");
    let run = again.run(&key).unwrap().unwrap();
    assert_eq!(run.idempotency_key.as_deref(), Some("order-1"));
    assert_eq!(run.result.unwrap()["confirm"], json!({"ok": 1}));
}

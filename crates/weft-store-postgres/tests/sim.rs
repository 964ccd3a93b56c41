//! Flows end to end. Through the runtime's simulator: the same seed and
//! the same scripted activities on the PostgreSQL store and on the memory
//! store must leave the same runs, journals, timers, tasks and tokens, also
//! across a simulated crash of the host and a new store on the same schema.
//! And through the real-time runtime, whose async API reads the store.

mod common;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use weft_engine::state::Status;
use weft_runtime::runtime::{Dispatcher, ResultSink, Runtime};
use weft_runtime::sim::{Answer, Responder, Sim, EPOCH_MS};
use weft_store::{MemoryStore, RunQuery, SourceText, Store};

/// Activities, a caught failure inside `WaitAll`, an inline sub-flow (a
/// child run) and an awaited callback with a timeout (as in the SQLite
/// store's test).
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

fn files() -> Vec<SourceText> {
    vec![SourceText {
        name: "order.weft".into(),
        text: SRC.into(),
    }]
}

/// Starts three orders, runs until the first calls are out, then opens
/// the store again under a new host (which dispatches the outstanding
/// tasks again) and runs to the end.
fn drive(store: Arc<dyn Store>, reopen: &mut dyn FnMut() -> Arc<dyn Store>) -> Arc<dyn Store> {
    let mut sim = Sim::new(store, 11, responder());
    sim.host.deploy(&files(), EPOCH_MS).unwrap();
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
            "state": String::from_utf8_lossy(&state),
        }));
    }
    out.push(serde_json::to_value(s.due_timers(i64::MAX, 1_000).unwrap()).unwrap());
    out.push(serde_json::to_value(s.tasks(None, 1_000).unwrap()).unwrap());
    out.push(serde_json::to_value(s.count_by_status().unwrap()).unwrap());
    out
}

#[test]
fn flows_leave_the_same_state_as_on_the_memory_store() {
    let Some(db) = common::db() else { return };
    let memory: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let kept = memory.clone();
    let want = drive(memory, &mut || kept.clone());

    let schema = db.schema();
    let open = || -> Arc<dyn Store> { Arc::new(db.store_in(&schema)) };
    let got = drive(open(), &mut || open());

    let (got, want) = (dump(got.as_ref()), dump(want.as_ref()));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    let again = db.store_in(&schema);
    let counts = again.count_by_status().unwrap();
    let completed = counts
        .iter()
        .find(|(s, _)| *s == Status::Completed)
        .unwrap()
        .1;
    assert_eq!(completed, 6, "{counts:?}");
    let key = again.run_by_key("order-1").unwrap().expect("bound");
    let run = again.run(&key).unwrap().unwrap();
    assert_eq!(run.result.unwrap()["confirm"], json!({"ok": 1}));
}

/// Completes every task at once.
struct Instant;

impl Dispatcher for Instant {
    fn dispatch(&self, task: weft_engine::Task, sink: ResultSink) {
        std::thread::spawn(move || {
            sink.complete(&task, json!({"done": task.activity}));
        });
    }
    fn cancel(&self, _call_id: &str) {}
}

#[test]
fn the_runtime_runs_flows_on_the_store() {
    let Some(db) = common::db() else { return };
    let (store, _) = db.store();
    let store: Arc<dyn Store> = Arc::new(store);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::start(store.clone(), Arc::new(Instant)).unwrap();
    let src = "flow Pay(x) {\n    a = Charge(x)\n    b = Notify(a)\n    return({a: a, b: b})\n}\n";
    rt.block_on(async {
        runtime
            .deploy(vec![SourceText {
                name: "pay.weft".into(),
                text: src.into(),
            }])
            .await
            .unwrap();
        let mut handles = Vec::new();
        for i in 0..20 {
            let runtime = runtime.clone();
            handles.push(tokio::spawn(async move {
                runtime
                    .start_and_wait(
                        "Pay",
                        json!(i),
                        Some(format!("pay-{i}")),
                        Duration::from_secs(20),
                    )
                    .await
                    .unwrap()
                    .1
            }));
        }
        for h in handles {
            let rec = h.await.unwrap();
            assert_eq!(rec.status, Status::Completed, "{rec:?}");
        }
        // `wait` reads the store from async code once the run is done.
        let id = store.run_by_key("pay-3").unwrap().unwrap();
        let rec = runtime
            .wait(&id, Duration::from_millis(1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rec.result.unwrap()["b"], json!({"done": "Notify"}));
    });
    runtime.shutdown();
    let counts = store.count_by_status().unwrap();
    assert_eq!(
        counts.iter().find(|c| c.0 == Status::Completed).unwrap().1,
        20
    );
    assert!(store.tasks(None, 10).unwrap().is_empty());
}

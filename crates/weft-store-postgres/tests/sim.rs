//! Flows end to end. Through the runtime's simulator: the same seed and
//! the same scripted activities on the PostgreSQL store and on the memory
//! store must leave the same runs, journals, timers, tasks and tokens, also
//! across a simulated crash of the host and a new store on the same schema.
//! And through the real-time runtime, whose async API reads the store.

mod common;
#[path = "../../weft-runtime/tests/support/store_sim.rs"]
mod store_sim;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use weft_engine::state::Status;
use weft_runtime::runtime::{Dispatcher, ResultSink, Runtime};
use weft_store::{SourceText, Store};

#[test]
fn flows_leave_the_same_state_as_on_the_memory_store() {
    let Some(db) = common::db() else { return };
    let schema = db.schema();
    store_sim::leaves_the_same_state_as_the_memory_store(&|| -> Arc<dyn Store> {
        Arc::new(db.store_in(&schema))
    });
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

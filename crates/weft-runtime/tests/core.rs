//! The real-time runtime's core thread is shared by every run of a node:
//! nothing one run or one deploy does may hold it for long.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use weft_engine::state::{Status, Task};
use weft_runtime::{Dispatcher, ResultSink, Runtime};
use weft_store::{MemoryStore, SourceText, Store};

/// Activities that answer at once with their first argument.
struct Echo;

impl Dispatcher for Echo {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        let value = task.args.get(0).cloned().unwrap_or(json!(null));
        sink.complete(&task, value);
    }
    fn cancel(&self, _: &str) {}
}

fn runtime() -> Runtime {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    Runtime::start(store, Arc::new(Echo)).expect("the runtime starts")
}

fn source(name: &str, text: String) -> Vec<SourceText> {
    vec![SourceText {
        name: name.into(),
        text,
    }]
}

const QUICK: &str = "flow Quick(x) {\n    return Echo(x)\n}\n";

/// A deploy compiles off the core: while a long program compiles, runs
/// start and finish. (Before, the core compiled it, and every run waited.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deploy_compiles_while_runs_go_on() {
    let rt = runtime();
    rt.deploy(source("quick.weft", QUICK.into())).await.unwrap();
    let mut long = String::from("flow Long(x) {\n");
    for i in 0..40_000 {
        long.push_str(&format!("    v{i} = x + {i}\n"));
    }
    long.push_str("    return x\n}\n");
    let deploying = {
        let rt = rt.clone();
        tokio::spawn(async move { rt.deploy(source("long.weft", long)).await })
    };
    // Give the deploy time to reach the compiler (or, before, the core).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (_, record) = rt
        .start_and_wait("Quick", json!(1), None, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(record.status, Status::Completed);
    assert!(
        !deploying.is_finished(),
        "the run finished only after the long deploy: the deploy held the core"
    );
    deploying.await.unwrap().unwrap();
    rt.shutdown();
}

/// A run that computes for long gives the others their turn: a run started
/// after it finishes while it is still computing. (Before, its whole
/// computation was one step on the core, and the other run waited.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_run_lets_other_runs_go_first() {
    let rt = runtime();
    let busy =
        "flow Busy() {\n    i = 0\n    while i < 100000 {\n        i++\n    }\n    return i\n}\n";
    rt.deploy(source("busy.weft", format!("{busy}\n{QUICK}")))
        .await
        .unwrap();
    let (started, _) = rt.start_run("Busy", json!(null), None).await.unwrap();
    let (_, quick) = rt
        .start_and_wait("Quick", json!(2), None, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(quick.status, Status::Completed);
    let busy_now = rt.store().run(&started.run_id).unwrap().unwrap();
    assert_eq!(
        busy_now.status,
        Status::Running,
        "the busy run is still computing in its turns"
    );
    let done = rt
        .wait(&started.run_id, Duration::from_secs(120))
        .await
        .unwrap()
        .expect("the run exists");
    assert_eq!(done.status, Status::Completed);
    assert_eq!(done.result, Some(json!(100000)));
    rt.shutdown();
}

/// A panic on the core thread, in one run's step, parks that run with the
/// panic's message and place, and the node goes on: other runs start,
/// sleep and finish, and the panicking run's record says what happened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_one_run_stops_only_that_run() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let rt = Runtime::start_probed(
        store,
        Arc::new(Echo),
        Box::new(|_: &str, what: &str| {
            // Only the run that echoes "boom" gets its result.
            if what.starts_with("taking the result")
                && what.contains("call 1 ")
                && BOOM.load(Ordering::SeqCst)
            {
                panic!("a bug met by this run's state")
            }
        }),
    )
    .unwrap();
    let sleepy = "flow Sleepy(x) {\n    Sleep(50ms)\n    return Echo(x)\n}\n";
    rt.deploy(source("s.weft", format!("{sleepy}\n{QUICK}")))
        .await
        .unwrap();
    BOOM.store(true, Ordering::SeqCst);
    let (boom, _) = rt
        .start_and_wait("Quick", json!("boom"), None, Duration::from_secs(60))
        .await
        .unwrap();
    let parked = rt.store().run(&boom.run_id).unwrap().unwrap();
    assert_eq!(parked.status, Status::Failed);
    let error = parked.error.unwrap();
    assert_eq!(error["code"], "engine_panic");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("a bug met by this run's state"),
        "{error}"
    );
    BOOM.store(false, Ordering::SeqCst);
    // The core is alive: another run sleeps on a timer and finishes.
    let (_, done) = rt
        .start_and_wait("Sleepy", json!("fine"), None, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(done.status, Status::Completed);
    assert_eq!(done.result, Some(json!("fine")));
    rt.shutdown();
}

/// Whether the probe panics (set by the test, read on the core thread).
static BOOM: AtomicBool = AtomicBool::new(false);

/// Activities: `Hold` blocks the core thread (dispatch runs there) until
/// released, after saying it has; the others answer at once.
struct Holding {
    entered: std::sync::Mutex<std::sync::mpsc::Sender<()>>,
    release: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
}

impl Dispatcher for Holding {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        if task.activity == "Hold" {
            let _ = self.entered.lock().unwrap().send(());
            let _ = self.release.lock().unwrap().recv();
        }
        sink.complete(&task, json!(null));
    }
    fn cancel(&self, _: &str) {}
}

/// Messages that pile up while nothing is being committed are not all
/// applied into one batch: the core hands the writer the first
/// `IDLE_WRITER_ROUND_MESSAGES_MAX` and applies the rest while those
/// commit. (Before, 40 starts queued at once made one batch of 40, and
/// their 40 results another, the writer idle while the core applied each.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_piled_up_with_the_writer_idle_are_split_into_batches() {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    const STARTS: usize = 40;
    let (entered_tx, entered) = std::sync::mpsc::channel();
    let (release, release_rx) = std::sync::mpsc::channel();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let dispatcher = Holding {
        entered: std::sync::Mutex::new(entered_tx),
        release: std::sync::Mutex::new(release_rx),
    };
    let rt = Runtime::start(store, Arc::new(dispatcher)).unwrap();
    let held = "flow Held() {\n    return Hold()\n}\n";
    rt.deploy(source("h.weft", format!("{held}\n{QUICK}")))
        .await
        .unwrap();
    let holder = {
        let rt = rt.clone();
        tokio::spawn(async move { rt.start_run("Held", json!(null), None).await })
    };
    entered
        .recv_timeout(Duration::from_secs(60))
        .expect("the core dispatches Hold");
    // The core is held inside Hold's dispatch, with nothing in flight.
    // Polling each start once sends its message: all 40 are queued.
    let mut starts: Vec<_> = (0..STARTS)
        .map(|i| Box::pin(rt.start_and_wait("Quick", json!(i), None, Duration::from_secs(60))))
        .collect();
    let mut cx = Context::from_waker(Waker::noop());
    for s in &mut starts {
        assert!(matches!(s.as_mut().poll(&mut cx), Poll::Pending));
    }
    let before = rt.metrics().batch_writes.snapshot();
    release.send(()).unwrap();
    for s in starts {
        let (_, rec) = s.await.unwrap();
        assert_eq!(rec.status, Status::Completed);
    }
    holder.await.unwrap().unwrap();
    let (after, _, _) = rt.metrics().batch_writes.snapshot();
    let batches_up_to = |bound: f64, snap: &[(f64, u64)]| {
        snap.iter()
            .find(|(b, _)| *b == bound)
            .map_or(0, |(_, n)| *n)
    };
    let new = |bound: f64| batches_up_to(bound, &after) - batches_up_to(bound, &before.0);
    let total = rt.metrics().batch_writes.snapshot().2 - before.2;
    assert!(
        new(16.0) > new(8.0),
        "the first batch after the pile-up holds 9 to 16 writes: {after:?}"
    );
    assert_eq!(
        new(32.0),
        total,
        "no batch holds more than 32 of the 40 starts or of their 40 results: {after:?}"
    );
    rt.shutdown();
}

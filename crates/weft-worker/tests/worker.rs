//! The worker against a real server: results, retries, errors, panics,
//! heartbeats, callbacks, shutdown, concurrency and outages.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Logs, Options};
use serde_json::{json, Value};
use tokio::task::JoinHandle;
use weft_worker::{CallbackHandle, ClientError, Ctx, Error, Level, Shutdown, Worker};

const GREET: &str = r#"
flow Greet(input) {
    g = Hello(input.name, punctuation: "!")
    return({greeting: g.text})
}
"#;

/// A worker that polls briefly (so tests that stop it are quick) and logs
/// into `logs`.
fn worker(url: &str, logs: &Logs) -> Worker {
    Worker::new(url)
        .name("test-worker")
        .poll_wait(Duration::from_secs(2))
        .logger(logs.logger())
}

/// Runs a worker in the background; returns its shutdown handle and task.
fn spawn(w: Worker) -> (Shutdown, JoinHandle<Result<(), ClientError>>) {
    let stop = w.shutdown_handle();
    let h = tokio::spawn(w.run_until(std::future::pending()));
    (stop, h)
}

async fn stop(s: Shutdown, h: JoinHandle<Result<(), ClientError>>) {
    s.shutdown();
    tokio::time::timeout(Duration::from_secs(10), h)
        .await
        .expect("the worker stops")
        .expect("the worker does not panic")
        .expect("the worker ends without error");
}

async fn hello(ctx: Ctx, args: Value) -> Result<Value, Error> {
    assert_eq!(ctx.args(), &args);
    let name = args[0]
        .as_str()
        .ok_or_else(|| Error::permanent("no name"))?;
    let p = args[1]["punctuation"].as_str().unwrap_or("");
    Ok(json!({"text": format!("hello {name}{p}")}))
}

/// What a handler saw: (activity, run id, attempt, call id).
type Seen = Arc<Mutex<Vec<(String, String, u32, String)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_come_back_with_a_bearer_token() {
    let server = common::start(Options {
        token: Some(common::TOKEN.into()),
        ..Options::default()
    })
    .await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    let (s, h) = spawn(worker(&server.url, &logs).token(common::TOKEN).activity(
        "Hello",
        move |ctx: Ctx, args: Value| {
            s2.lock().unwrap().push((
                ctx.activity().to_string(),
                ctx.run_id().to_string(),
                ctx.attempt(),
                ctx.call_id().to_string(),
            ));
            assert!(ctx.callback_token().is_none() && ctx.callback_handle().is_none());
            hello(ctx, args)
        },
    ));
    let run = server.run("Greet", json!({"name": "ann"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!({"greeting": "hello ann!"}));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (activity, run_id, attempt, call_id) = &seen[0];
    assert_eq!(activity, "Hello");
    assert_eq!(run_id, run["id"].as_str().unwrap());
    assert_eq!(*attempt, 1);
    assert!(call_id.starts_with(run_id.as_str()), "{call_id}");
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_stops_the_worker_with_the_servers_reason() {
    let server = common::start(Options {
        token: Some(common::TOKEN.into()),
        ..Options::default()
    })
    .await;
    let logs = Logs::default();
    let r = tokio::time::timeout(
        Duration::from_secs(10),
        worker(&server.url, &logs)
            .token("not-the-token")
            .activity("Hello", hello)
            .run_until(std::future::pending()),
    )
    .await
    .expect("the worker gives up at once");
    let e = r.unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
    assert!(!e.is_transient());
    // A worker with nothing to do is refused before it polls.
    let e = Worker::new(&server.url)
        .run_until(std::future::pending())
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Config(_)), "{e}");
    let e = Worker::new("localhost:7400")
        .activity("Hello", hello)
        .run_until(std::future::pending())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not an http(s) URL"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_call_id_is_the_same_across_retries() {
    let server = common::start(Options::default()).await;
    server
        .deploy(
            r#"
flow TryHard(input) {
    r = Wobbly(input) @retry(3)
    return(r)
}
"#,
        )
        .await;
    let logs = Logs::default();
    let attempts: Arc<Mutex<Vec<(String, u32)>>> = Arc::default();
    let a2 = attempts.clone();
    let (s, h) = spawn(worker(&server.url, &logs).activity(
        "Wobbly",
        move |ctx: Ctx, _args: Value| {
            let a = a2.clone();
            async move {
                let n = {
                    let mut a = a.lock().unwrap();
                    a.push((ctx.call_id().to_string(), ctx.attempt()));
                    a.len()
                };
                if n <= 2 {
                    return Err(Error::retryable(format!("flaky #{n}")));
                }
                Ok(json!({"made_it_on": ctx.attempt()}))
            }
        },
    ));
    let run = server.run("TryHard", json!({})).await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!({"made_it_on": 3}));
    let attempts = attempts.lock().unwrap().clone();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert!(attempts.iter().all(|(c, _)| *c == attempts[0].0));
    assert_eq!(
        attempts.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    // The journal shows the failures as the worker reported them.
    let (_, journal) = server
        .get(&format!("/v1/runs/{}/journal", run["id"].as_str().unwrap()))
        .await;
    assert!(journal.to_string().contains("flaky #2"), "{journal}");
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_fails_the_run_after_one_attempt() {
    let server = common::start(Options::default()).await;
    server
        .deploy(
            r#"
flow Charge(input) {
    r = ChargeCard(input.card) @retry(3)
    return(r)
}
"#,
        )
        .await;
    let logs = Logs::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let (s, h) = spawn(worker(&server.url, &logs).activity(
        "ChargeCard",
        move |_ctx: Ctx, _args: Value| {
            c2.fetch_add(1, Ordering::SeqCst);
            async { Err(Error::permanent("card declined")) }
        },
    ));
    let run = server.run("Charge", json!({"card": "4242"})).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert!(run["error"].to_string().contains("card declined"), "{run}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_retried_and_the_worker_lives_on() {
    let server = common::start(Options::default()).await;
    server
        .deploy(
            r#"
flow Fragile(input) {
    r = Shaky(input) @retry(3)
    return(r)
}
"#,
        )
        .await;
    let logs = Logs::default();
    let (s, h) = spawn(
        worker(&server.url, &logs).activity("Shaky", |ctx: Ctx, _args: Value| {
            // In the closure itself, before any future exists.
            if ctx.attempt() == 2 {
                panic!("boom in the closure");
            }
            async move {
                if ctx.attempt() == 1 {
                    panic!("boom on attempt 1");
                }
                Ok(json!({"attempt": ctx.attempt()}))
            }
        }),
    );
    let run = server.run("Fragile", json!({})).await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!({"attempt": 3}));
    let (_, journal) = server
        .get(&format!("/v1/runs/{}/journal", run["id"].as_str().unwrap()))
        .await;
    let journal = journal.to_string();
    assert!(
        journal.contains("the handler panicked: boom on attempt 1"),
        "{journal}"
    );
    assert!(
        journal.contains("the handler panicked: boom in the closure"),
        "{journal}"
    );
    assert!(!h.is_finished());
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_keep_a_slow_task_from_being_handed_out_again() {
    // The heartbeats, the manual one among them, go down the two-way task
    // stream: none by request.
    slow_task_kept_by_heartbeats(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polling_worker_heartbeats_by_request() {
    // Without a stream, every heartbeat is a request of its own.
    slow_task_kept_by_heartbeats(false).await;
}

/// Runs a task that outlives its lease three times over with a worker
/// that streams or polls, and checks that it ran once and which way its
/// heartbeats went.
async fn slow_task_kept_by_heartbeats(streaming: bool) {
    // A 1 s lease; the handler takes 3 s. Without heartbeats the server
    // would hand the task out again (with this worker's free slots, it
    // would run a second time).
    let server = common::start(Options {
        lease: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    server
        .deploy(
            r#"
flow Slow(input) {
    r = Crunch(input)
    return(r)
}
"#,
        )
        .await;
    let logs = Logs::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let w = worker(&server.url, &logs).streaming(streaming);
    let (s, h) = spawn(
        w.concurrency(4)
            .activity("Crunch", move |ctx: Ctx, _args: Value| {
                c2.fetch_add(1, Ordering::SeqCst);
                async move {
                    // A manual heartbeat works as well.
                    ctx.heartbeat().await.map_err(Error::retryable)?;
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    assert!(!ctx.is_gone());
                    Ok(json!("done"))
                }
            }),
    );
    let run = server.run("Slow", json!({})).await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!("done"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the task was handed out again"
    );
    let m = server.metrics().await;
    let count = |via: &str| -> u64 {
        let prefix = format!("weft_task_heartbeats_total{{via=\"{via}\"}} ");
        m.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let (used, unused) = if streaming {
        ("stream", "request")
    } else {
        ("request", "stream")
    };
    assert_eq!(count(unused), 0, "{m}");
    assert!(count(used) >= 3, "{m}");
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_awaited_call_completes_later_through_the_callback_handle() {
    let server = common::start(Options::default()).await;
    server
        .deploy(
            r#"
flow Approval(input) {
    decision = await AskApproval(input.what) @timeout(1h)
    return({approved: decision.approved, by: decision.by})
}
"#,
        )
        .await;
    let logs = Logs::default();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<CallbackHandle>();
    let (s, h) = spawn(worker(&server.url, &logs).activity(
        "AskApproval",
        move |ctx: Ctx, _args: Value| {
            let tx = tx.clone();
            async move {
                let handle = ctx
                    .callback_handle()
                    .ok_or_else(|| Error::permanent("not awaited"))?;
                assert_eq!(Some(handle.token()), ctx.callback_token());
                // "Send the e-mail": hand the handle to whoever answers.
                tx.send(handle).map_err(Error::retryable)?;
                Ok(Value::Null)
            }
        },
    ));
    let id = server.start_run("Approval", json!({"what": "leave"})).await;
    let handle = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the activity ran")
        .unwrap();
    server.wait_status(&id, "waiting").await;
    // Later, elsewhere: a handle rebuilt from the stored token works too.
    let later = CallbackHandle::new(&server.url, handle.token().to_string()).unwrap();
    assert_eq!(
        later.url(),
        format!("{}/v1/callbacks/{}", server.url, handle.token())
    );
    later
        .complete(json!({"approved": true, "by": "bob"}))
        .await
        .unwrap();
    let run = server.wait_status(&id, "completed").await;
    assert_eq!(run["result"], json!({"approved": true, "by": "bob"}));
    // A token works once.
    let again = handle
        .complete(json!({"approved": false}))
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(409), "{again}");
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_running_handler_finish_and_report() {
    let server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let started = Arc::new(tokio::sync::Notify::new());
    let finished = Arc::new(AtomicUsize::new(0));
    let (st, fin) = (started.clone(), finished.clone());
    let w = worker(&server.url, &logs)
        .poll_wait(Duration::from_secs(20))
        .activity("Hello", move |ctx: Ctx, args: Value| {
            let (st, fin) = (st.clone(), fin.clone());
            async move {
                st.notify_one();
                tokio::time::sleep(Duration::from_millis(800)).await;
                fin.fetch_add(1, Ordering::SeqCst);
                hello(ctx, args).await
            }
        });
    let (s, h) = spawn(w);
    let id = server.start_run("Greet", json!({"name": "cy"})).await;
    tokio::time::timeout(Duration::from_secs(10), started.notified())
        .await
        .expect("the handler started");
    let t = Instant::now();
    s.shutdown();
    // While it finishes, its task stays with it: the worker keeps its task
    // stream open until its handlers have reported.
    let (code, polled) = server
        .post(
            "/v1/tasks/poll",
            json!({"activities": ["Hello"], "waitMs": 300}),
        )
        .await;
    assert_eq!(
        (code, polled["tasks"].as_array().map(Vec::len)),
        (200, Some(0)),
        "{polled}"
    );
    tokio::time::timeout(Duration::from_secs(10), h)
        .await
        .expect("the worker stops")
        .unwrap()
        .unwrap();
    assert_eq!(finished.load(Ordering::SeqCst), 1, "the handler finished");
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
    let run = server.wait_status(&id, "completed").await;
    assert_eq!(run["result"], json!({"greeting": "hello cy!"}));
    // Stopped means stopped: a new run is not picked up.
    let id2 = server.start_run("Greet", json!({"name": "di"})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.get_run(&id2).await["status"], "running");
    assert_eq!(finished.load(Ordering::SeqCst), 1);
    assert_eq!(logs.count(Level::Info, "waiting for 1 running task"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_streams_tasks_by_default_and_polls_when_told() {
    let server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    for streaming in [true, false] {
        let logs = Logs::default();
        let (s, h) = spawn(
            worker(&server.url, &logs)
                .streaming(streaming)
                .activity("Hello", hello),
        );
        let run = server.run("Greet", json!({"name": "ed"})).await;
        assert_eq!(run["result"], json!({"greeting": "hello ed!"}), "{run}");
        stop(s, h).await;
        let how = if streaming {
            "streams tasks from"
        } else {
            "polls"
        };
        assert_eq!(logs.count(Level::Info, how), 1, "{:?}", logs.all());
        // Streaming, the result goes down the stream's own body; polling,
        // in a request.
        let (down, requests) = match streaming {
            true => (1, 0),
            false => (0, 1),
        };
        assert_eq!(
            logs.count(Level::Debug, "result written down the task stream"),
            down,
            "{:?}",
            logs.all()
        );
        assert_eq!(
            logs.count(Level::Debug, "in one request"),
            requests,
            "{:?}",
            logs.all()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_that_finish_together_share_a_request() {
    const N: usize = 8;
    let server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    // Every handler waits for all of them: the results finish together.
    let barrier = Arc::new(tokio::sync::Barrier::new(N));
    let b2 = barrier.clone();
    // Polling: reports go in requests (a stream takes them down itself).
    let w = worker(&server.url, &logs).streaming(false);
    let (s, h) = spawn(
        w.concurrency(N)
            .activity("Hello", move |ctx: Ctx, args: Value| {
                let b = b2.clone();
                async move {
                    b.wait().await;
                    hello(ctx, args).await
                }
            }),
    );
    let mut ids = Vec::new();
    for i in 0..N {
        ids.push(
            server
                .start_run("Greet", json!({"name": format!("n{i}")}))
                .await,
        );
    }
    for (i, id) in ids.iter().enumerate() {
        let run = server.wait_status(id, "completed").await;
        assert_eq!(run["result"], json!({"greeting": format!("hello n{i}!")}));
    }
    stop(s, h).await;
    // Reported through /v1/tasks/results, none on its own endpoint, and
    // in fewer requests than results.
    assert_eq!(
        logs.count(Level::Debug, "result accepted"),
        N,
        "{:?}",
        logs.all()
    );
    assert_eq!(
        logs.count(Level::Debug, " completed"),
        0,
        "{:?}",
        logs.all()
    );
    let requests = logs.count(Level::Debug, "in one request");
    assert!(requests < N, "{requests} requests: {:?}", logs.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_bounds_the_tasks_in_flight() {
    let server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (n2, m2) = (now.clone(), most.clone());
    let (s, h) = spawn(worker(&server.url, &logs).concurrency(2).activity(
        "Hello",
        move |ctx: Ctx, args: Value| {
            let (n, m) = (n2.clone(), m2.clone());
            async move {
                let k = n.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(k, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                n.fetch_sub(1, Ordering::SeqCst);
                hello(ctx, args).await
            }
        },
    ));
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(
            server
                .start_run("Greet", json!({"name": format!("n{i}")}))
                .await,
        );
    }
    for id in &ids {
        server.wait_status(id, "completed").await;
    }
    assert_eq!(most.load(Ordering::SeqCst), 2);
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_that_moved_on_is_not_an_error() {
    // The run is cancelled while its handler runs: the server withdraws the
    // task, heartbeats and the completion get 404, and the worker goes on.
    let server = common::start(Options {
        lease: Duration::from_secs(1),
        ..Options::default()
    })
    .await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let started = Arc::new(tokio::sync::Notify::new());
    let gone_seen = Arc::new(AtomicUsize::new(0));
    let (st, g2) = (started.clone(), gone_seen.clone());
    let (s, h) = spawn(worker(&server.url, &logs).activity(
        "Hello",
        move |ctx: Ctx, args: Value| {
            let (st, g) = (st.clone(), g2.clone());
            async move {
                if args[0] == "slow" {
                    st.notify_one();
                    // Long enough for an automatic heartbeat to see the 404.
                    tokio::time::sleep(Duration::from_millis(1200)).await;
                    if ctx.is_gone() {
                        g.fetch_add(1, Ordering::SeqCst);
                    }
                }
                hello(ctx, args).await
            }
        },
    ));
    let id = server.start_run("Greet", json!({"name": "slow"})).await;
    tokio::time::timeout(Duration::from_secs(10), started.notified())
        .await
        .unwrap();
    let (status, body) = server
        .post(&format!("/v1/runs/{id}/cancel"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let run = server.run("Greet", json!({"name": "next"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    let until = Instant::now() + Duration::from_secs(5);
    while logs.count(Level::Debug, "its result is dropped") == 0 {
        assert!(Instant::now() < until, "{:?}", logs.all());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(gone_seen.load(Ordering::SeqCst), 1, "{:?}", logs.all());
    // The automatic heartbeat went down the task stream and came back
    // refused there, which told the handler.
    assert!(
        logs.count(Level::Debug, "its heartbeat was refused") >= 1,
        "{:?}",
        logs.all()
    );
    assert_eq!(logs.count(Level::Error, ""), 0, "{:?}", logs.all());
    assert_eq!(logs.count(Level::Warn, ""), 0, "{:?}", logs.all());
    assert_eq!(server.get_run(&id).await["status"], "cancelled");
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_waits_for_a_server_that_is_not_up_yet() {
    let addr = common::free_addr();
    let logs = Logs::default();
    let (s, h) = spawn(
        worker(&format!("http://{addr}"), &logs)
            .backoff_max(Duration::from_millis(800))
            .activity("Hello", hello),
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!h.is_finished());
    let server = common::start(Options {
        addr,
        ..Options::default()
    })
    .await;
    server.deploy(GREET).await;
    let run = server.run("Greet", json!({"name": "eve"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    // Once per outage, not once per attempt.
    assert_eq!(
        logs.count(Level::Warn, "cannot reach the server"),
        1,
        "{:?}",
        logs.all()
    );
    assert_eq!(
        logs.count(Level::Info, "the server answers again"),
        1,
        "{:?}",
        logs.all()
    );
    stop(s, h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_catches_up_after_the_server_restarts() {
    let mut server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let (s, h) = spawn(
        worker(&server.url, &logs)
            .backoff_max(Duration::from_millis(500))
            .activity("Hello", hello),
    );
    let run = server.run("Greet", json!({"name": "one"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    server.stop().await;
    // Started while the server is down: the engine hands the task to the
    // queue again when the server is back.
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.start_again().await;
    let run = server.run("Greet", json!({"name": "two"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!({"greeting": "hello two!"}));
    assert_eq!(
        logs.count(Level::Warn, "cannot reach the server"),
        1,
        "{:?}",
        logs.all()
    );
    stop(s, h).await;
}

/// A server bug this crate found: `Server::shutdown` (and so `weft serve`
/// on Ctrl-C) waited for every worker's long poll to end, up to its
/// `waitMs` (60 s at most), although a poll has nothing to finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_stops_without_waiting_for_a_workers_long_poll() {
    let mut server = common::start(Options::default()).await;
    server.deploy(GREET).await;
    let logs = Logs::default();
    let (s, h) = spawn(
        worker(&server.url, &logs)
            .poll_wait(Duration::from_secs(20))
            .activity("Hello", hello),
    );
    let run = server.run("Greet", json!({"name": "one"})).await;
    assert_eq!(run["status"], "completed", "{run}");
    // The worker is now in a 20 s poll.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let took = server.stop().await;
    assert!(
        took < Duration::from_secs(5),
        "stopping the server waited {took:?} for a worker's long poll"
    );
    stop(s, h).await;
}

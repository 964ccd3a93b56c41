//! The generated workers against a real server (in-process, on a temporary
//! SQLite store). With two handlers filled in by the test, RegisterUser runs
//! get past them (arguments bound by name, the awaited call completed by
//! callback) and fail at the first unimplemented one, with "not
//! implemented". The workers take their tasks from the task stream; the
//! runs are started before the worker, so the stream's first line holds all
//! their ReserveNick tasks, and their results go back in one
//! `POST /v1/tasks/results` (the worker says so with
//! `WEFT_WORKER_LOG=debug`). A server without the stream (a stand-in for an
//! older build, here) is met with long polls, and one without the results
//! endpoint with one report per task. A stand-in whose stream cuts its
//! lines across chunks checks that the workers read lines, not chunks.
//!
//! Needs `python3`, and for the TypeScript worker `node` with
//! `tests/ts/node_modules` (`npm ci` there installs the compiler). Without
//! them the tests fail under `CI=true` and are skipped otherwise.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Runs started before the worker: its first poll takes all of them.
const RUNS: usize = 4;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The child process, killed when the test ends.
struct Worker(Child);

impl Worker {
    /// `program args URL` with `WEFT_URL` and debug logging, in the log's
    /// directory, its output in `log`.
    fn start(program: &str, args: &[PathBuf], url: &str, log: &Path) -> Worker {
        let out = std::fs::File::create(log).unwrap();
        Worker(
            Command::new(program)
                .args(args)
                .arg(url)
                .env("WEFT_URL", url)
                .env("WEFT_WORKER_LOG", "debug")
                .current_dir(log.parent().unwrap())
                .stdin(Stdio::null())
                .stdout(out.try_clone().unwrap())
                .stderr(out)
                .spawn()
                .unwrap(),
        )
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn needed(what: &str, present: bool) -> bool {
    if !present {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{what} is missing, and CI=true: the generated worker cannot be tested");
        }
        eprintln!("skipped: {what} is missing (with CI=true this fails)");
    }
    present
}

/// An empty temporary directory of this test process, named after `tag`.
fn fresh_dir(tag: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("weft-stubs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    tmp
}

/// A server on a fresh store in its own temporary directory, RegisterUser
/// deployed.
async fn serve(tag: &str) -> (weft_server::Server, String, PathBuf) {
    let tmp = fresh_dir(tag);
    let store: Arc<dyn weft_store::Store> =
        Arc::new(weft_store_sqlite::SqliteStore::open(&tmp.join("data")).unwrap());
    let config = weft_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: tmp.join("data"),
        token: None,
        body_limit_bytes: weft_server::config::BODY_LIMIT_BYTES_DEFAULT,
        lease: Duration::from_secs(30),
        push: Default::default(),
        demo: false,
        database: None,
        node: "test".into(),
        poller_stale: weft_server::workers::POLLER_STALE_DEFAULT,
        http: Default::default(),
        plan: None,
        wasm_cache: None,
        sources: Vec::new(),
    };
    let server = weft_server::start(config, store).await.unwrap();
    let url = format!("http://{}", server.addr);
    let source =
        std::fs::read_to_string(repo().join("examples/00-register-user/register-user.weft"))
            .unwrap();
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/flows"))
        .json(&json!({"source": source, "name": "register-user.weft"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    (server, url, tmp)
}

/// Starts [`RUNS`] RegisterUser runs and waits until their ReserveNick
/// tasks are queued.
async fn start_runs(url: &str) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for i in 0..RUNS {
        let r: Value = http
            .post(format!("{url}/v1/runs"))
            .json(&json!({"flow": "RegisterUser", "input": {"nick": format!("n{i}"), "email": "a@example.com"}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let queues: Value = http
            .get(format!("{url}/v1/queues"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ready = queues["queues"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|q| q["activity"] == "ReserveNick")
            .map_or(0, |q| q["ready"].as_u64().unwrap_or(0));
        if ready as usize == RUNS {
            return ids;
        }
        assert!(
            Instant::now() < until,
            "the tasks were not queued: {queues}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for every run to finish; its final state.
async fn finished(url: &str, ids: &[String], log: &Path) -> Vec<Value> {
    let http = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(60);
    let mut out = Vec::new();
    for id in ids {
        let run = loop {
            let run: Value = http
                .get(format!("{url}/v1/runs/{id}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if run["status"] == "failed" || run["status"] == "completed" {
                break run;
            }
            assert!(
                Instant::now() < until,
                "the run did not finish in time: {run}\n--- the worker's output ---\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        out.push(run);
    }
    out
}

/// Runs `program args` as the worker, its output in `tmp/worker.log`, until
/// every run has failed at CreateAccount; the log.
async fn serve_runs_with(program: &str, args: &[PathBuf], url: &str, tmp: &Path) -> String {
    let ids = start_runs(url).await;
    let log_path = tmp.join("worker.log");
    let _worker = Worker::start(program, args, url, &log_path);
    for run in finished(url, &ids, &log_path).await {
        let shown = run.to_string();
        assert_eq!(run["status"], "failed", "{shown}");
        assert!(
            shown.contains("not implemented: CreateAccount"),
            "the run failed elsewhere: {shown}\n--- the worker's output ---\n{}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
    }
    std::fs::read_to_string(&log_path).unwrap()
}

/// The task a stand-in server hands out.
fn stand_in_task() -> Value {
    json!({"taskId": "t1", "callId": "c1", "runId": "r1", "activity": "ReserveNick",
           "args": ["ann"], "attempt": 1})
}

/// What a stand-in server was told.
#[derive(Default)]
struct StandIn {
    handed: std::sync::atomic::AtomicUsize,
    results: std::sync::Mutex<Vec<Value>>,
    /// How many results it held when the first stream was closed.
    results_when_closed: std::sync::Mutex<Option<usize>>,
    /// Report lines that came down a two-way stream's body.
    down_stream: std::sync::atomic::AtomicUsize,
}

/// Notes, when the first stream's body is dropped (its connection closed),
/// how many results had come.
struct Closed(Arc<StandIn>);

impl Drop for Closed {
    fn drop(&mut self) {
        let n = self.0.results.lock().unwrap().len();
        *self.0.results_when_closed.lock().unwrap() = Some(n);
    }
}

/// The first task stream a [`stand_in`] server answers: its lines cut
/// across chunks written 50 ms apart (a heartbeat and the task line each
/// end in a later chunk than they start), then heartbeats until the worker
/// closes it.
fn chunked_stream(server: Arc<StandIn>) -> axum::body::Body {
    use futures_util::StreamExt;
    let closed = Closed(server);
    let task = json!({ "tasks": [stand_in_task()] }).to_string();
    let (head, tail) = task.split_at(task.len() / 2);
    let chunks = vec![
        "{\"stream\": {\"max\": 8, \"heartbeatMs\": 5000}}\n{\"heartb".to_string(),
        format!("eat\": \"2026-12-07T00:00:00.000Z\"}}\n\n{head}"),
        format!("{tail}\n"),
    ];
    let chunks = futures_util::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok::<_, std::io::Error>(axum::body::Bytes::from(c))
    });
    // Then a heartbeat every 100 ms, as the server sends them: writing is
    // how a server learns that the worker closed the stream.
    let heartbeats = futures_util::stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let line = "{\"heartbeat\": \"2026-12-07T00:00:01.000Z\"}\n";
        Some((Ok(axum::body::Bytes::from(line)), ()))
    });
    let open = chunks.chain(heartbeats).map(move |c| {
        let _ = &closed;
        c
    });
    axum::body::Body::from_stream(open)
}

/// Which server a [`stand_in`] stands in for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Older than the task stream: `/v1/tasks/stream` (and every path but
    /// two) is `404 no_such_path`, as there, and a long poll hands the task
    /// out once.
    Polls,
    /// Older than two-way streams: a stream opened with an
    /// `application/x-ndjson` body is `415 unsupported_media_type`.
    OneWay,
    /// Takes reports down a two-way stream's body as well.
    TwoWay,
}

/// Records the reports written down a two-way stream's body (its first
/// line, the terms, skipped).
async fn read_reports(body: axum::body::Body, s: Arc<StandIn>) {
    use futures_util::StreamExt;
    let mut data = body.into_data_stream();
    let mut buf = Vec::new();
    let mut lines = 0;
    while let Some(Ok(chunk)) = data.next().await {
        buf.extend_from_slice(&chunk);
        while let Some(nl) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=nl).collect();
            lines += 1;
            if lines > 1 {
                let v: Value = serde_json::from_slice(&line).expect("a JSON report line");
                let results = v["results"].as_array().cloned().expect("a report line");
                s.results.lock().unwrap().extend(results);
                s.down_stream
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }
}

/// A stand-in server of `kind`. With a stream, `/v1/tasks/stream` hands
/// out [`stand_in_task`] once, down [`chunked_stream`] (later streams stay
/// silent). Results are recorded and accepted.
async fn stand_in(kind: Kind) -> (String, Arc<StandIn>) {
    use axum::extract::State;
    use axum::routing::post;
    use std::sync::atomic::Ordering;
    let state = Arc::new(StandIn::default());
    let tasks = if kind != Kind::Polls {
        axum::Router::new().route(
            "/v1/tasks/stream",
            post(
                move |State(s): State<Arc<StandIn>>, req: axum::extract::Request| async move {
                    use axum::response::IntoResponse;
                    let two_way = req
                        .headers()
                        .get("content-type")
                        .is_some_and(|c| c.as_bytes().starts_with(b"application/x-ndjson"));
                    if two_way && kind == Kind::OneWay {
                        let e = json!({"error": {"code": "unsupported_media_type", "message": "send the body as JSON"}});
                        return (axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(e))
                            .into_response();
                    }
                    if two_way {
                        tokio::spawn(read_reports(req.into_body(), s.clone()));
                    }
                    if s.handed.fetch_add(1, Ordering::SeqCst) == 0 {
                        chunked_stream(s).into_response()
                    } else {
                        axum::body::Body::from_stream(futures_util::stream::pending::<
                            Result<axum::body::Bytes, std::io::Error>,
                        >())
                        .into_response()
                    }
                },
            ),
        )
    } else {
        axum::Router::new().route(
            "/v1/tasks/poll",
            post(|State(s): State<Arc<StandIn>>| async move {
                if s.handed.fetch_add(1, Ordering::SeqCst) == 0 {
                    return axum::Json(json!({"tasks": [stand_in_task()]}));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
                axum::Json(json!({"tasks": []}))
            }),
        )
    };
    let app = tasks
        .route(
            "/v1/tasks/results",
            post(
                |State(s): State<Arc<StandIn>>, axum::Json(body): axum::Json<Value>| async move {
                    let results = body["results"].as_array().cloned().unwrap_or_default();
                    let answers: Vec<Value> = results
                        .iter()
                        .map(|r| json!({"taskId": r["taskId"], "status": "accepted"}))
                        .collect();
                    s.results.lock().unwrap().extend(results);
                    axum::Json(json!({ "results": answers }))
                },
            ),
        )
        .fallback(|| async {
            (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(json!({"error": {"code": "no_such_path", "message": "no such path"}})),
            )
        })
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

/// Runs `program args` as the worker against [`stand_in`]`(kind)` until
/// it has reported the task it was handed (the unimplemented handler's
/// permanent failure); its log and how many report lines came down a
/// two-way stream. Against a server without the stream, it must say it
/// polls instead.
async fn serves_a_stand_in(
    kind: Kind,
    program: &str,
    args: &[PathBuf],
    tmp: &Path,
) -> (String, usize) {
    let (url, server) = stand_in(kind).await;
    let log_path = tmp.join("stand-in-worker.log");
    let _worker = Worker::start(program, args, &url, &log_path);
    let until = Instant::now() + Duration::from_secs(30);
    while server.results.lock().unwrap().is_empty() {
        assert!(
            Instant::now() < until,
            "no result was reported: {}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let shown = std::fs::read_to_string(&log_path).unwrap();
    assert_eq!(
        shown.contains("polling instead"),
        kind == Kind::Polls,
        "{shown}"
    );
    assert_eq!(
        *server.results.lock().unwrap(),
        vec![json!({"taskId": "t1", "error": "not implemented: ReserveNick", "retryable": false})],
        "{shown}"
    );
    let down = server.down_stream.load(std::sync::atomic::Ordering::SeqCst);
    (shown, down)
}

/// Runs `program args` (a worker whose ReserveNick handler logs "handler
/// started", then takes a second and answers) against [`stand_in`]`(true)`,
/// and stops it with SIGTERM while the handler runs: the worker ends once
/// the handler's result is reported, and closes its stream only then
/// (closing it first would give the task to another worker).
async fn stops_after_its_running_task(program: &str, args: &[PathBuf], tmp: &Path) {
    let (url, server) = stand_in(Kind::TwoWay).await;
    let log_path = tmp.join("stopping-worker.log");
    let mut worker = Worker::start(program, args, &url, &log_path);
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let until = Instant::now() + Duration::from_secs(30);
    while !log().contains("handler started") {
        assert!(
            Instant::now() < until,
            "the handler did not start: {}",
            log()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The shell's own `kill`: no procps needed.
    let term = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -TERM {}", worker.0.id()))
        .status()
        .unwrap();
    assert!(term.success());
    let until = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = worker.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < until, "the worker did not stop: {}", log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "{status}: {}", log());
    assert_eq!(
        *server.results.lock().unwrap(),
        vec![json!({"taskId": "t1", "value": {"status": "ok", "nick": "ann", "ID": 7}})],
        "{}",
        log()
    );
    let until = Instant::now() + Duration::from_secs(5);
    while server.results_when_closed.lock().unwrap().is_none() {
        assert!(Instant::now() < until, "the stream was not closed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *server.results_when_closed.lock().unwrap(),
        Some(1),
        "the stream closed before the running task reported: {}",
        log()
    );
}

/// The sizes of the worker's `POST /v1/tasks/results` requests, in order,
/// after checking that nothing was reported task by task.
fn batches(log: &str) -> Vec<usize> {
    assert!(!log.contains("each task on its own"), "{log}");
    log.lines()
        .filter_map(|l| l.strip_prefix("weft-worker: reported "))
        .map(|l| l.split(' ').next().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_python_worker_serves_until_not_implemented() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let (server, url, tmp) = serve("python").await;
    let generated =
        std::fs::read_to_string(repo().join("examples/stubs/register-user/worker.py")).unwrap();
    let patched = generated
        .replace(
            r#"raise Permanent("not implemented: ReserveNick")"#,
            r#"return {"status": "ok", "nick": params["nick"], "ID": 7}"#,
        )
        .replace(
            r#"raise Permanent("not implemented: SendActivationEmail")"#,
            r#"__import__("threading").Timer(0.1, ctx.callback, args=[{"status": "ok"}]).start()"#,
        );
    assert_ne!(patched, generated);
    let script = tmp.join("worker.py");
    std::fs::write(&script, patched).unwrap();
    let log = serve_runs_with("python3", &[script], &url, &tmp).await;
    assert!(log.contains("the task stream is open (two-way)"), "{log}");
    assert!(!log.contains("in one request"), "{log}");
    // Handlers run one after another: the first line's results go together.
    assert_eq!(batches(&log).first(), Some(&RUNS), "{log}");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_python_worker_polls_a_server_without_the_stream() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let tmp = fresh_dir("python-old");
    let script = repo().join("examples/stubs/register-user/worker.py");
    serves_a_stand_in(Kind::Polls, "python3", &[script], &tmp).await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_python_worker_reads_stream_lines_cut_across_chunks() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let tmp = fresh_dir("python-chunks");
    let script = repo().join("examples/stubs/register-user/worker.py");
    // On a server older than two-way streams it opens a one-way one and
    // reports in requests; on a newer one its report goes down the
    // stream's body.
    let (log, down) =
        serves_a_stand_in(Kind::OneWay, "python3", std::slice::from_ref(&script), &tmp).await;
    assert!(log.contains("no two-way task stream"), "{log}");
    assert_eq!(down, 0, "{log}");
    assert!(!log.contains("the task stream ended"), "{log}");
    let (log, down) = serves_a_stand_in(Kind::TwoWay, "python3", &[script], &tmp).await;
    assert_eq!(down, 1, "{log}");
    assert!(!log.contains("the task stream ended"), "{log}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_python_worker_stops_after_its_running_task() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let tmp = fresh_dir("python-stop");
    let generated =
        std::fs::read_to_string(repo().join("examples/stubs/register-user/worker.py")).unwrap();
    let patched = generated.replace(
        r#"raise Permanent("not implemented: ReserveNick")"#,
        "log(\"handler started\")\n    time.sleep(1)\n    return {\"status\": \"ok\", \"nick\": params[\"nick\"], \"ID\": 7}",
    );
    assert_ne!(patched, generated);
    let script = tmp.join("worker.py");
    std::fs::write(&script, patched).unwrap();
    stops_after_its_running_task("python3", &[script], &tmp).await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_typescript_worker_compiles_strictly_and_serves_until_not_implemented() {
    if !typescript_present() {
        return;
    }
    let (server, url, tmp) = serve("typescript").await;
    let generated = typescript_worker();
    let patched = generated
        .replace(
            r#"throw new Permanent("not implemented: ReserveNick");"#,
            r#"return { status: "ok", nick: params.nick, ID: 7 };"#,
        )
        .replace(
            r#"throw new Permanent("not implemented: SendActivationEmail");"#,
            r#"setTimeout(() => void ctx.callback({ status: "ok" }), 100);"#,
        );
    assert_ne!(patched, generated);
    let compiled = compile_typescript(&patched, &tmp);
    let log = serve_runs_with("node", &[compiled], &url, &tmp).await;
    assert!(log.contains("the task stream is open (two-way)"), "{log}");
    // Handlers run together: the first result goes at once, those that
    // finish while it is on its way go in the next line down the stream.
    assert!(!log.contains("in one request"), "{log}");
    let sizes = batches(&log);
    assert!(sizes.iter().any(|&n| n > 1), "{log}");
    assert_eq!(sizes.iter().sum::<usize>(), 3 * RUNS, "{log}");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_typescript_worker_polls_a_server_without_the_stream_and_reads_cut_lines() {
    if !typescript_present() {
        return;
    }
    let tmp = fresh_dir("ts-old");
    let compiled = compile_typescript(&typescript_worker(), &tmp);
    serves_a_stand_in(Kind::Polls, "node", std::slice::from_ref(&compiled), &tmp).await;
    // The same compiled worker, on a stream whose lines are cut across
    // chunks: on a server older than two-way streams it opens a one-way
    // one and reports in requests; on a newer one its report goes down
    // the stream's body.
    let (log, down) =
        serves_a_stand_in(Kind::OneWay, "node", std::slice::from_ref(&compiled), &tmp).await;
    assert!(!log.contains("failed"), "{log}");
    assert!(log.contains("no two-way task stream"), "{log}");
    assert_eq!(down, 0, "{log}");
    let (log, down) = serves_a_stand_in(Kind::TwoWay, "node", &[compiled], &tmp).await;
    assert!(!log.contains("failed"), "{log}");
    assert_eq!(down, 1, "{log}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_typescript_worker_stops_after_its_running_task() {
    if !typescript_present() {
        return;
    }
    let tmp = fresh_dir("ts-stop");
    let generated = typescript_worker();
    let patched = generated.replace(
        r#"throw new Permanent("not implemented: ReserveNick");"#,
        r#"console.error("weft-worker: handler started");
  await sleep(1000);
  return { status: "ok", nick: params.nick, ID: 7 };"#,
    );
    assert_ne!(patched, generated);
    let compiled = compile_typescript(&patched, &tmp);
    stops_after_its_running_task("node", &[compiled], &tmp).await;
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The generated TypeScript worker, as kept in the examples.
fn typescript_worker() -> String {
    std::fs::read_to_string(repo().join("examples/stubs/register-user/worker.ts")).unwrap()
}

fn tsc() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ts/node_modules/.bin/tsc")
}

/// Whether Node and the TypeScript compiler are here (see [`needed`]).
fn typescript_present() -> bool {
    needed("node", works("node", "--version"))
        && needed(
            "the TypeScript compiler (npm ci in crates/weft-stubs/tests/ts)",
            tsc().exists(),
        )
}

/// `source` compiled with `tsc --strict` in `tmp`; the JavaScript file.
fn compile_typescript(source: &str, tmp: &Path) -> PathBuf {
    let ts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ts");
    std::fs::write(tmp.join("worker.ts"), source).unwrap();
    let compiled = Command::new(tsc())
        .args(["--strict", "--noEmitOnError", "--target", "es2022"])
        .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
        .arg("--typeRoots")
        .arg(ts.join("node_modules/@types"))
        .args(["--types", "node", "--outDir", "out", "worker.ts"])
        .current_dir(tmp)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&compiled.stdout),
        String::from_utf8_lossy(&compiled.stderr)
    );
    tmp.join("out/worker.js")
}

/// The generated Python worker's reporter, driven without a server: a
/// server without `/v1/tasks/results` (404 `no_such_path`) gets one report
/// per task from then on; a rejected result other than `unknown_task` is
/// reported again on its own endpoint; an accepted one is not.
#[test]
fn the_python_reporter_falls_back_to_one_report_per_task() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let script = r#"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("worker", sys.argv[1])
w = importlib.util.module_from_spec(spec)
spec.loader.exec_module(w)

class Server:
    def __init__(self, batch):
        self.batch, self.posts = batch, []
    def post(self, path, body, **kw):
        self.posts.append(path)
        if path == "/v1/tasks/results":
            if not self.batch:
                raise w.ApiError(404, '{"error": {"code": "no_such_path", "message": "no such path"}}')
            return {"results": [
                {"taskId": r["taskId"], "status": "accepted"} if r["taskId"] != "t2" else
                {"taskId": "t2", "status": "rejected", "error": {"code": "storage_full", "message": "full"}}
                for r in body["results"]]}
        return None

t = lambda i: {"taskId": f"t{i}"}
out = {}
for batch in (True, False):
    s = Server(batch)
    r = w.Reporter(s, {"stop": False})
    for i in (1, 2, 3):
        r.add(t(i), {"value": i})
    r.flush()
    r.add(t(4), {"error": "no", "retryable": False})
    r.flush()
    out["batch" if batch else "old"] = s.posts
print(json.dumps(out))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(repo().join("examples/stubs/register-user/worker.py"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let posts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        posts,
        json!({
            "batch": ["/v1/tasks/results", "/v1/tasks/t2/complete", "/v1/tasks/results"],
            "old": ["/v1/tasks/results", "/v1/tasks/t1/complete", "/v1/tasks/t2/complete",
                    "/v1/tasks/t3/complete", "/v1/tasks/t4/fail"],
        })
    );
}

//! Pull and stream sources in the real `weft serve` (docs/triggers.md,
//! "Sources"): each message of a NATS JetStream stream and of a Redis
//! stream starts exactly one run through a SIGKILL of the server in the
//! middle of the stream; an HTTP endpoint and a PostgreSQL query are
//! polled end to end. The stream servers are started by the test on free
//! ports (skipped without them unless CI=true).

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod support;
use support::{in_ci, Api, Launch, Server, TempDir};

/// Messages each stream test sends.
const MESSAGES: usize = 10_000;

/// Every message is a run within this, the crash and restart included.
const DEADLINE: Duration = Duration::from_secs(240);

/// The flow the triggers start: it returns at once, so a run's existence
/// is what the test counts.
const FLOW: &str = r#"flow Take(event) {
    return {id: event.id, n: event.data.n}
}

sdk.TaskQueue({
    type: ["created"],
    run: "Take",
})
"#;

fn have(binary: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {binary}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            !in_ci(),
            "{binary} is not installed, and CI=true (.ci/run installs it)"
        );
        eprintln!("skipped: {binary} is not installed");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A stream server killed when dropped.
struct Process {
    child: Child,
    _dir: TempDir,
    port: u16,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_server(binary: &str, args: impl Fn(u16, &PathBuf) -> Vec<String>) -> Process {
    let port = free_port();
    let dir = TempDir::new(binary);
    let child = Command::new(binary)
        .args(args(port, &dir.path().to_path_buf()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{binary} does not start: {e}"));
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{binary} does not listen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Process {
        child,
        _dir: dir,
        port,
    }
}

/// How many runs of `Take` there are (the list's exact total).
async fn count(api: &Api) -> usize {
    let v = api.get("/v1/runs?flow=Take&limit=1").await.ok(200);
    v["total"].as_u64().unwrap() as usize
}

/// Waits for `n` runs of `Take`, with the server's log on failure.
async fn wait_runs(server: &Server, n: usize, within: Duration) {
    let api = server.api();
    let start = Instant::now();
    loop {
        let c = count(&api).await;
        if c >= n {
            return;
        }
        assert!(
            start.elapsed() < within,
            "{c} of {n} runs after {within:?}; sources: {}\n{}",
            api.get("/v1/sources").await.json(),
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every run of `Take`, a page of 1,000 at a time.
async fn all_runs(api: &Api) -> Vec<Value> {
    let mut runs = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/v1/runs?flow=Take&limit=1000".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = api.get(&path).await.ok(200);
        runs.extend(page["runs"].as_array().cloned().unwrap_or_default());
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return runs,
        }
    }
}

/// Sends the messages, kills the server (SIGKILL) once about a third of
/// them are runs and again at two thirds, starting it again on the same
/// data each time, and checks that every message is exactly one run: the
/// event ids `expected` and no other.
async fn through_a_crash(
    config: &str,
    publish: impl std::future::Future<Output = ()>,
    expected: BTreeSet<String>,
) {
    let home = TempDir::new("sources");
    let launch = Launch::data(home.path()).config(config);
    let mut server = Server::start(launch.clone()).await;
    server.api().deploy(FLOW).await;
    publish.await;
    let mut crashed_at = Vec::new();
    for third in 1..=2 {
        wait_runs(&server, MESSAGES * third / 3, DEADLINE).await;
        server.kill();
        server = Server::start(launch.clone()).await;
        crashed_at.push(count(&server.api()).await);
    }
    let api = server.api();
    wait_runs(&server, MESSAGES, DEADLINE).await;
    // Redeliveries after the crashes reach the engine again; give them
    // time to (not) start a second run.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let runs = all_runs(&api).await;
    let ids: Vec<String> = runs
        .iter()
        .map(|r| r["input"]["id"].as_str().unwrap().to_string())
        .collect();
    let distinct: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), distinct.len(), "a message started two runs");
    assert_eq!(distinct, expected, "runs lost (or from elsewhere)");
    let sources = api.get("/v1/sources").await.ok(200);
    eprintln!("runs at the restarts: {crashed_at:?}; sources after: {sources}");
    assert!(sources["sources"][0]["lastPoll"].is_string(), "{sources}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jetstream_messages_each_start_one_run_through_a_sigkill() {
    if !have("nats-server") {
        return;
    }
    let nats = spawn_server("nats-server", |port, dir| {
        vec![
            "-js".into(),
            "-a".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
            "-sd".into(),
            dir.display().to_string(),
        ]
    });
    let url = format!("nats://127.0.0.1:{}", nats.port);
    let client = async_nats::connect(url.as_str()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "JOBS".into(),
        subjects: vec!["jobs.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let config = format!(
        "[[sources]]\nname = \"jobs\"\nkind = \"nats\"\nurl = \"{url}\"\nstream = \"JOBS\"\ntype = \"created\"\nack_wait = \"2s\"\nbatch = 500\n"
    );
    let publish = async {
        for chunk in (0..MESSAGES).collect::<Vec<_>>().chunks(500) {
            let mut acks = Vec::new();
            for i in chunk {
                acks.push(
                    js.publish("jobs.new", format!("{{\"n\": {i}}}").into())
                        .await
                        .unwrap(),
                );
            }
            for a in acks {
                a.await.unwrap();
            }
        }
    };
    // A stream's sequence numbers start at 1.
    let expected = (1..=MESSAGES).map(|s| format!("jobs:{s}")).collect();
    through_a_crash(&config, publish, expected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_entries_each_start_one_run_through_a_sigkill() {
    if !have("redis-server") {
        return;
    }
    let redis_server = spawn_server("redis-server", |port, dir| {
        vec![
            "--port".into(),
            port.to_string(),
            "--bind".into(),
            "127.0.0.1".into(),
            "--save".into(),
            "".into(),
            "--appendonly".into(),
            "no".into(),
            "--dir".into(),
            dir.display().to_string(),
        ]
    });
    let url = format!("redis://127.0.0.1:{}", redis_server.port);
    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    // The entry ids are chosen (1-1, 2-1, ...) so the test knows them.
    let config = format!(
        "[[sources]]\nname = \"clicks\"\nkind = \"redis\"\nurl = \"{url}\"\nstream = \"clicks\"\ntype = \"created\"\nclaim_idle = \"2s\"\nbatch = 500\n"
    );
    let publish = async {
        for chunk in (1..=MESSAGES).collect::<Vec<_>>().chunks(1_000) {
            let mut pipe = redis::pipe();
            for i in chunk {
                pipe.cmd("XADD")
                    .arg("clicks")
                    .arg(format!("{i}-1"))
                    .arg("data")
                    .arg(format!("{{\"n\": {i}}}"))
                    .ignore();
            }
            let () = pipe.query_async(&mut con).await.unwrap();
        }
    };
    let expected = (1..=MESSAGES).map(|i| format!("clicks:{i}-1")).collect();
    through_a_crash(&config, publish, expected).await;
}

/// An endpoint with items 1..=`total` after `cursor` (the test's own,
/// like the shop's outbox API a user would point the source at).
async fn serve_items(total: Arc<AtomicUsize>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let total = total.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let param = |k: &str| {
                    target
                        .split_once('?')
                        .map(|(_, q)| q)
                        .unwrap_or("")
                        .split('&')
                        .find_map(|p| p.strip_prefix(&format!("{k}=")))
                        .map(str::to_string)
                };
                let after: usize = param("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
                let limit: usize = param("limit").and_then(|c| c.parse().ok()).unwrap_or(10);
                let items: Vec<Value> = (after + 1..=total.load(Ordering::SeqCst))
                    .take(limit)
                    .map(|i| json!({"id": format!("order-{i}"), "data": {"n": i}}))
                    .collect();
                let cursor = if items.is_empty() {
                    Value::Null
                } else {
                    json!((after + items.len()).to_string())
                };
                let body = json!({"events": items, "cursor": cursor}).to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(response.as_bytes()).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_endpoint_and_a_postgres_query_are_polled_into_runs() {
    let database = std::env::var("WEFT_TEST_DATABASE_URL").ok();
    if database.is_none() {
        assert!(!in_ci(), "WEFT_TEST_DATABASE_URL is not set, and CI=true");
        eprintln!("the PostgreSQL source is skipped: WEFT_TEST_DATABASE_URL is not set");
    }
    let total = Arc::new(AtomicUsize::new(0));
    let port = serve_items(total.clone()).await;
    let mut config = format!(
        "[[sources]]\nname = \"shop\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/events\"\ninterval = \"200ms\"\ntype = \"created\"\nbatch = 50\n"
    );
    let table = format!("weft_sources_e2e_{}", std::process::id());
    let mut db = None;
    if let Some(url) = &database {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS {table};
                 CREATE TABLE {table} (id bigserial PRIMARY KEY, type text NOT NULL DEFAULT 'created', data jsonb);"
            ))
            .await
            .unwrap();
        config.push_str(&format!(
            "\n[[sources]]\nname = \"outbox\"\nkind = \"postgres\"\nurl = \"{url}\"\nquery = \"SELECT id, type, data FROM {table} WHERE id > $1 ORDER BY id LIMIT 50\"\ninterval = \"200ms\"\nbatch = 50\n"
        ));
        db = Some(client);
    }
    let home = TempDir::new("pull");
    let launch = Launch::data(home.path()).config(&config);
    let mut server = Server::start(launch.clone()).await;
    let api = server.api();
    // Items come once the trigger is in force (items taken before would
    // start no run).
    api.deploy(FLOW).await;
    total.store(150, Ordering::SeqCst);
    let insert = |from: usize, to: usize| {
        format!("INSERT INTO {table} (data) SELECT jsonb_build_object('n', i) FROM generate_series({from}, {to}) i")
    };
    if let Some(db) = &db {
        db.batch_execute(&insert(1, 100)).await.unwrap();
    }
    let rows = if db.is_some() { 100 } else { 0 };
    wait_runs(&server, 150 + rows, Duration::from_secs(30)).await;
    // A restart polls from the stored cursors: nothing is taken twice.
    server.terminate();
    let server = Server::start(launch).await;
    let api = server.api();
    total.store(160, Ordering::SeqCst);
    if let Some(db) = &db {
        db.batch_execute(&insert(101, 110)).await.unwrap();
    }
    let want = 160 + if db.is_some() { 110 } else { 0 };
    wait_runs(&server, want, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let runs = all_runs(&api).await;
    assert_eq!(runs.len(), want, "runs started twice after the restart");
    let ids: BTreeSet<String> = runs
        .iter()
        .map(|r| r["input"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), runs.len());
    for i in 1..=160 {
        assert!(ids.contains(&format!("shop:order-{i}")), "order {i} lost");
    }
    let run = runs
        .iter()
        .find(|r| r["input"]["id"] == "shop:order-150")
        .unwrap();
    assert_eq!(run["input"]["source"], "shop");
    assert_eq!(run["input"]["type"], "created");
    assert_eq!(run["input"]["data"]["n"], 150);
    if let Some(db) = &db {
        for i in 1..=110 {
            assert!(ids.contains(&format!("outbox:{i}")), "row {i} lost");
        }
        db.batch_execute(&format!("DROP TABLE {table}"))
            .await
            .unwrap();
    }
    let sources = api.get("/v1/sources").await.ok(200);
    let shop = sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "shop")
        .unwrap()
        .clone();
    assert_eq!(shop["kind"], "http");
    assert_eq!(shop["cursor"], "160");
    assert_eq!(shop["error"], Value::Null);
}

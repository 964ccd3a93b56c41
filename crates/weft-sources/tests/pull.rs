//! The pull sources: an HTTP endpoint served by the test, and a query on
//! the tests' PostgreSQL database (WEFT_TEST_DATABASE_URL; skipped without
//! it unless CI=true).

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{sink, RecordingSink};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use weft_sources::{spawn, Context, Cursors, MemoryCursors, SourceConfig};

fn source(toml_text: &str) -> SourceConfig {
    #[derive(serde::Deserialize)]
    struct File {
        sources: Vec<SourceConfig>,
    }
    let f: File = toml::from_str(toml_text).unwrap();
    weft_sources::config::validate_all(&f.sources).unwrap();
    f.sources.into_iter().next().unwrap()
}

fn node() -> Context {
    Context { node: "n1".into() }
}

/// An endpoint with items 1..=`total` (ids are numbers; every third has
/// its own type), answering the events after `cursor`, at most `limit`;
/// `fail` makes it answer 503. It records the query of every request.
struct Endpoint {
    total: AtomicUsize,
    fail: std::sync::atomic::AtomicBool,
    queries: Mutex<Vec<String>>,
}

async fn serve(endpoint: Arc<Endpoint>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let endpoint = endpoint.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let Ok(n) = sock.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
                endpoint.queries.lock().unwrap().push(query.to_string());
                let (status, body) = if endpoint.fail.load(Ordering::SeqCst) {
                    (
                        "503 Service Unavailable",
                        "down for maintenance".to_string(),
                    )
                } else {
                    let param = |k: &str| {
                        query
                            .split('&')
                            .find_map(|p| p.strip_prefix(&format!("{k}=")))
                            .map(str::to_string)
                    };
                    let after: usize = param("cursor").map(|c| c.parse().unwrap()).unwrap_or(0);
                    let limit: usize = param("limit").unwrap().parse().unwrap();
                    let total = endpoint.total.load(Ordering::SeqCst);
                    let items: Vec<serde_json::Value> = (after + 1..=total)
                        .take(limit)
                        .map(|i| {
                            if i % 3 == 0 {
                                serde_json::json!({"id": i, "type": "third", "data": {"i": i}})
                            } else {
                                serde_json::json!({"id": i, "data": {"i": i}})
                            }
                        })
                        .collect();
                    let cursor = items.last().map(|i| i["id"].clone());
                    (
                        "200 OK",
                        serde_json::json!({"events": items, "cursor": cursor}).to_string(),
                    )
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(response.as_bytes()).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_source_polls_after_its_cursor_and_resumes_there() {
    let endpoint = Arc::new(Endpoint {
        total: AtomicUsize::new(250),
        fail: false.into(),
        queries: Mutex::new(Vec::new()),
    });
    let port = serve(endpoint.clone()).await;
    let config = source(&format!(
        "[[sources]]\nname = \"shop\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/events\"\ninterval = \"100ms\"\ntype = \"created\"\nsubject = \"order\"\n"
    ));
    let recorder = Arc::new(RecordingSink::default());
    let cursors = Arc::new(MemoryCursors::default());
    let first = spawn(
        vec![config.clone()],
        node(),
        sink(&recorder),
        cursors.clone(),
    );
    recorder.wait_for(250, Duration::from_secs(30)).await;
    // The cursor moves after the sink returned, so wait for that too.
    let start = std::time::Instant::now();
    while cursors.get("shop").unwrap().as_deref() != Some("250") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the cursor did not reach 250"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.stop().await;
    {
        let seen = recorder.seen.lock().unwrap();
        let (e, _) = &seen["shop:3"];
        assert_eq!(e.kind, "third", "an item's own type wins");
        let (e, _) = &seen["shop:4"];
        assert_eq!(e.kind, "created");
        assert_eq!(e.subject.as_deref(), Some("order"));
        assert_eq!(e.data["i"], 4);
        assert_eq!(e.source.as_deref(), Some("shop"));
    }
    {
        let q = endpoint.queries.lock().unwrap();
        assert_eq!(q[0], "limit=100", "the first poll has no cursor");
        assert_eq!(
            q[1], "limit=100&cursor=100",
            "a full page polls again at once"
        );
        assert_eq!(q[2], "limit=100&cursor=200");
    }
    assert_eq!(recorder.duplicates(), 0);

    // Restarted (the cursor kept), it asks only for what came after.
    endpoint.total.store(260, Ordering::SeqCst);
    endpoint.queries.lock().unwrap().clear();
    let second = spawn(
        vec![config.clone()],
        node(),
        sink(&recorder),
        cursors.clone(),
    );
    recorder.wait_for(260, Duration::from_secs(30)).await;
    assert_eq!(endpoint.queries.lock().unwrap()[0], "limit=100&cursor=250");
    // The endpoint fails: the status says so, and the cursor stays.
    endpoint.fail.store(true, Ordering::SeqCst);
    let start = std::time::Instant::now();
    loop {
        let s = second.statuses.list();
        if let Some(e) = &s[0].error {
            assert!(e.contains("503") && e.contains("maintenance"), "{e}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no error reported"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    second.stop().await;
    assert_eq!(cursors.get("shop").unwrap().as_deref(), Some("260"));
    assert_eq!(recorder.distinct(), 260);
    assert_eq!(recorder.duplicates(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cursor_does_not_move_when_the_engine_did_not_take_the_events() {
    let endpoint = Arc::new(Endpoint {
        total: AtomicUsize::new(5),
        fail: false.into(),
        queries: Mutex::new(Vec::new()),
    });
    let port = serve(endpoint.clone()).await;
    let config = source(&format!(
        "[[sources]]\nname = \"shop\"\nkind = \"http\"\nurl = \"http://127.0.0.1:{port}/e\"\ninterval = \"50ms\"\ntype = \"created\"\n"
    ));
    let recorder = Arc::new(RecordingSink::default());
    recorder.fail_next.store(usize::MAX, Ordering::SeqCst);
    let cursors = Arc::new(MemoryCursors::default());
    let running = spawn(vec![config], node(), sink(&recorder), cursors.clone());
    let start = std::time::Instant::now();
    while recorder.calls.load(Ordering::SeqCst) < 3 {
        assert!(start.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let s = running.statuses.list();
    assert!(
        s[0].error.as_deref().unwrap_or("").contains("engine"),
        "{:?}",
        s[0].error
    );
    assert_eq!(cursors.get("shop").unwrap(), None);
    recorder.fail_next.store(0, Ordering::SeqCst);
    recorder.wait_for(5, Duration::from_secs(10)).await;
    running.stop().await;
}

async fn database() -> Option<tokio_postgres::Client> {
    let Ok(url) = std::env::var("WEFT_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "WEFT_TEST_DATABASE_URL is not set, and CI=true (.ci/run sets it)"
        );
        eprintln!("skipped: WEFT_TEST_DATABASE_URL is not set");
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    Some(client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_query_source_reads_rows_after_its_cursor() {
    let Some(db) = database().await else {
        return;
    };
    let url = std::env::var("WEFT_TEST_DATABASE_URL").unwrap();
    let table = format!("sources_outbox_{}", std::process::id());
    db.batch_execute(&format!(
        "DROP TABLE IF EXISTS {table};
         CREATE TABLE {table} (id bigserial PRIMARY KEY, type text, data jsonb, at timestamptz DEFAULT now());
         INSERT INTO {table} (type, data) SELECT CASE WHEN i % 2 = 0 THEN 'even' END, jsonb_build_object('i', i) FROM generate_series(1, 250) i;"
    ))
    .await
    .unwrap();
    let config = source(&format!(
        "[[sources]]\nname = \"outbox\"\nkind = \"postgres\"\nurl = \"{url}\"\nquery = \"SELECT id, type, data FROM {table} WHERE id > $1 ORDER BY id LIMIT 100\"\ninterval = \"100ms\"\ntype = \"odd\"\nsubject = \"outbox\"\n"
    ));
    let recorder = Arc::new(RecordingSink::default());
    let cursors = Arc::new(MemoryCursors::default());
    let running = spawn(vec![config], node(), sink(&recorder), cursors.clone());
    recorder.wait_for(250, Duration::from_secs(30)).await;
    db.batch_execute(&format!(
        "INSERT INTO {table} (type, data) VALUES ('late', '{{\"i\": 251}}')"
    ))
    .await
    .unwrap();
    recorder.wait_for(251, Duration::from_secs(30)).await;
    let start = std::time::Instant::now();
    while cursors.get("outbox").unwrap().as_deref() != Some("251") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the cursor did not reach 251"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.stop().await;
    {
        let seen = recorder.seen.lock().unwrap();
        assert_eq!(seen["outbox:2"].0.kind, "even");
        assert_eq!(
            seen["outbox:3"].0.kind, "odd",
            "a null type takes the source's"
        );
        assert_eq!(seen["outbox:3"].0.data["i"], 3);
        assert_eq!(seen["outbox:251"].0.kind, "late");
        assert_eq!(seen["outbox:251"].0.subject.as_deref(), Some("outbox"));
    }
    assert_eq!(recorder.duplicates(), 0);

    // A column of a type with no JSON form is named, with the fix.
    let bad = source(&format!(
        "[[sources]]\nname = \"bad\"\nkind = \"postgres\"\nurl = \"{url}\"\nquery = \"SELECT id, at FROM {table} WHERE id > $1 ORDER BY id LIMIT 10\"\ntype = \"t\"\n"
    ));
    let running = spawn(vec![bad], node(), sink(&recorder), cursors.clone());
    let start = std::time::Instant::now();
    loop {
        let s = running.statuses.list();
        if let Some(e) = &s[0].error {
            assert!(e.contains("\"at\"") && e.contains("cast"), "{e}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no error reported"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.stop().await;
    db.batch_execute(&format!("DROP TABLE {table}"))
        .await
        .unwrap();
}

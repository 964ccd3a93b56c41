//! The stream sources against real servers (nats-server -js and
//! redis-server, started per test on a free port): every message becomes
//! one event through a crash between "durable" and "acknowledged".

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use support::{have, nats_server, redis_server, sink, RecordingSink};
use weft_sources::{spawn, Context, MemoryCursors, SourceConfig};

const MESSAGES: usize = 10_000;

fn source(toml_text: &str) -> SourceConfig {
    #[derive(serde::Deserialize)]
    struct File {
        sources: Vec<SourceConfig>,
    }
    let f: File = toml::from_str(toml_text).unwrap();
    weft_sources::config::validate_all(&f.sources).unwrap();
    f.sources.into_iter().next().unwrap()
}

fn node(name: &str) -> Context {
    Context { node: name.into() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jetstream_delivers_every_message_once_through_a_crash() {
    if !have("nats-server") {
        return;
    }
    let server = nats_server();
    let url = format!("nats://127.0.0.1:{}", server.port);
    let client = async_nats::connect(url.as_str()).await.unwrap();
    let js = async_nats::jetstream::new(client.clone());
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "JOBS".into(),
        subjects: vec!["jobs.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    for chunk in (0..MESSAGES).collect::<Vec<_>>().chunks(500) {
        let mut acks = Vec::new();
        for i in chunk {
            acks.push(
                js.publish("jobs.created", format!("{{\"n\": {i}}}").into())
                    .await
                    .unwrap(),
            );
        }
        for a in acks {
            a.await.unwrap();
        }
    }
    let config = source(&format!(
        "[[sources]]\nname = \"jobs\"\nkind = \"nats\"\nurl = \"{url}\"\nstream = \"JOBS\"\nack_wait = \"2s\"\nbatch = 250\n"
    ));
    let recorder = Arc::new(RecordingSink::default());
    let cursors = Arc::new(MemoryCursors::default());
    // The first node takes 3,000 events durably, then "crashes" in the
    // middle of a batch: taken, never acknowledged.
    recorder.stall_after.store(3_000, Ordering::SeqCst);
    let first = spawn(
        vec![config.clone()],
        node("n1"),
        sink(&recorder),
        cursors.clone(),
    );
    recorder.wait_for(3_000, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    first.abort();
    recorder.stall_after.store(0, Ordering::SeqCst);
    // The engine is away for a moment when the next node starts.
    recorder.fail_next.store(2, Ordering::SeqCst);
    let second = spawn(vec![config], node("n2"), sink(&recorder), cursors);
    recorder.wait_for(MESSAGES, Duration::from_secs(120)).await;
    // What JetStream redelivers after the crash reaches the sink again.
    let start = std::time::Instant::now();
    while recorder.duplicates() == 0 && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let statuses = second.statuses.list();
    second.stop().await;
    assert_eq!(recorder.distinct(), MESSAGES);
    assert!(
        recorder.duplicates() > 0,
        "the batch taken before the crash was never offered again"
    );
    let seen = recorder.seen.lock().unwrap();
    for seq in 1..=MESSAGES {
        let (event, _) = seen
            .get(&format!("jobs:{seq}"))
            .unwrap_or_else(|| panic!("message {seq} lost"));
        assert_eq!(event.kind, "jobs.created");
        assert_eq!(event.subject.as_deref(), Some("jobs.created"));
        assert_eq!(event.source.as_deref(), Some("jobs"));
        assert_eq!(event.data["n"], serde_json::json!(seq - 1));
    }
    let status = &statuses[0];
    assert_eq!(status.kind, "nats");
    assert!(status.last_poll_ms.is_some());
    assert!(status.accepted > 0);
}

async fn redis(port: u16) -> redis::aio::MultiplexedConnection {
    redis::Client::open(format!("redis://127.0.0.1:{port}"))
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_group_delivers_every_entry_once_through_a_crash() {
    if !have("redis-server") {
        return;
    }
    let server = redis_server();
    let mut con = redis(server.port).await;
    for chunk in (0..MESSAGES).collect::<Vec<_>>().chunks(1_000) {
        let mut pipe = redis::pipe();
        for i in chunk {
            pipe.cmd("XADD")
                .arg("clicks")
                .arg("*")
                .arg("type")
                .arg("clicked")
                .arg("data")
                .arg(format!("{{\"n\": {i}}}"))
                .ignore();
        }
        let () = pipe.query_async(&mut con).await.unwrap();
    }
    let config = source(&format!(
        "[[sources]]\nname = \"clicks\"\nkind = \"redis\"\nurl = \"redis://127.0.0.1:{}\"\nstream = \"clicks\"\nclaim_idle = \"2s\"\nbatch = 250\n",
        server.port
    ));
    let recorder = Arc::new(RecordingSink::default());
    let cursors = Arc::new(MemoryCursors::default());
    recorder.stall_after.store(3_000, Ordering::SeqCst);
    let first = spawn(
        vec![config.clone()],
        node("n1"),
        sink(&recorder),
        cursors.clone(),
    );
    recorder.wait_for(3_000, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    first.abort();
    recorder.stall_after.store(0, Ordering::SeqCst);
    recorder.fail_next.store(2, Ordering::SeqCst);
    // Another node: it claims what n1 left pending once it is idle.
    let second = spawn(vec![config], node("n2"), sink(&recorder), cursors);
    recorder.wait_for(MESSAGES, Duration::from_secs(120)).await;
    let start = std::time::Instant::now();
    while recorder.duplicates() == 0 && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    second.stop().await;
    assert_eq!(recorder.distinct(), MESSAGES);
    assert!(
        recorder.duplicates() > 0,
        "the batch taken before the crash was never offered again"
    );
    let mut numbers: Vec<i64> = recorder
        .seen
        .lock()
        .unwrap()
        .values()
        .map(|(e, _)| {
            assert_eq!(e.kind, "clicked");
            assert_eq!(e.subject.as_deref(), Some("clicks"));
            assert!(e.id.starts_with("clicks:"), "{}", e.id);
            e.data["n"].as_i64().unwrap()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, (0..MESSAGES as i64).collect::<Vec<_>>());
    // Nothing is left pending in the group.
    let pending: (usize, Option<String>, Option<String>, redis::Value) = redis::cmd("XPENDING")
        .arg("clicks")
        .arg("weft-clicks")
        .query_async(&mut con)
        .await
        .unwrap();
    assert_eq!(pending.0, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_redis_consumer_reads_its_own_pending_entries_first() {
    if !have("redis-server") {
        return;
    }
    let server = redis_server();
    let mut con = redis(server.port).await;
    for i in 0..50 {
        let _: String = redis::cmd("XADD")
            .arg("orders")
            .arg("*")
            .arg("sku")
            .arg(format!("s{i}"))
            .query_async(&mut con)
            .await
            .unwrap();
    }
    // claim_idle is long: only the same consumer's restart can see them.
    let config = source(&format!(
        "[[sources]]\nname = \"orders\"\nkind = \"redis\"\nurl = \"redis://127.0.0.1:{}\"\nstream = \"orders\"\ntype = \"ordered\"\nsubject = \"order\"\nbatch = 10\n",
        server.port
    ));
    let recorder = Arc::new(RecordingSink::default());
    let cursors = Arc::new(MemoryCursors::default());
    recorder.stall_after.store(20, Ordering::SeqCst);
    let first = spawn(
        vec![config.clone()],
        node("n1"),
        sink(&recorder),
        cursors.clone(),
    );
    recorder.wait_for(20, Duration::from_secs(30)).await;
    first.abort();
    recorder.stall_after.store(0, Ordering::SeqCst);
    let second = spawn(vec![config], node("n1"), sink(&recorder), cursors);
    recorder.wait_for(50, Duration::from_secs(30)).await;
    second.stop().await;
    assert_eq!(
        recorder.duplicates(),
        10,
        "the stalled batch of 10 comes again"
    );
    let seen = recorder.seen.lock().unwrap();
    let (e, _) = seen.values().next().unwrap();
    assert_eq!(e.kind, "ordered");
    assert_eq!(e.subject.as_deref(), Some("order"));
    assert!(e.data["sku"].as_str().unwrap().starts_with('s'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_whose_server_is_away_reports_it_and_starts_again() {
    if !have("redis-server") {
        return;
    }
    let port = support::free_port();
    let config = source(&format!(
        "[[sources]]\nname = \"late\"\nkind = \"redis\"\nurl = \"redis://127.0.0.1:{port}\"\nstream = \"late\"\ntype = \"t\"\n"
    ));
    let recorder = Arc::new(RecordingSink::default());
    let running = spawn(
        vec![config],
        node("n1"),
        sink(&recorder),
        Arc::new(MemoryCursors::default()),
    );
    let start = std::time::Instant::now();
    loop {
        let s = running.statuses.list();
        if s[0].error.is_some() {
            assert!(
                s[0].error.as_deref().unwrap().contains("Redis"),
                "{:?}",
                s[0].error
            );
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no error reported"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The server comes (on that port); the source gets there by itself.
    let server = support::redis_server_on(port);
    let mut con = redis(server.port).await;
    let _: String = redis::cmd("XADD")
        .arg("late")
        .arg("*")
        .arg("x")
        .arg("1")
        .query_async(&mut con)
        .await
        .unwrap();
    recorder.wait_for(1, Duration::from_secs(30)).await;
    let s = running.statuses.list();
    running.stop().await;
    assert_eq!(s[0].error, None, "a success clears the error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_the_engine_refuses_is_reported_and_the_rest_delivered() {
    if !have("redis-server") {
        return;
    }
    let server = redis_server();
    let mut con = redis(server.port).await;
    for i in 0..5 {
        let data = if i == 2 {
            "{\"refuse\": true}".to_string()
        } else {
            format!("{{\"n\": {i}}}")
        };
        let _: String = redis::cmd("XADD")
            .arg("s")
            .arg("*")
            .arg("type")
            .arg("t")
            .arg("data")
            .arg(data)
            .query_async(&mut con)
            .await
            .unwrap();
    }
    let config = source(&format!(
        "[[sources]]\nname = \"s\"\nkind = \"redis\"\nurl = \"redis://127.0.0.1:{}\"\nstream = \"s\"\n",
        server.port
    ));
    let recorder = Arc::new(RecordingSink::default());
    let running = spawn(
        vec![config],
        node("n1"),
        sink(&recorder),
        Arc::new(MemoryCursors::default()),
    );
    recorder.wait_for(4, Duration::from_secs(30)).await;
    let start = std::time::Instant::now();
    loop {
        let pending: (usize, Option<String>, Option<String>, redis::Value) = redis::cmd("XPENDING")
            .arg("s")
            .arg("weft-s")
            .query_async(&mut con)
            .await
            .unwrap();
        if pending.0 == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "entries left pending"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let s = running.statuses.list();
    running.stop().await;
    assert_eq!(recorder.distinct(), 4);
    let error = s[0].error.clone().unwrap_or_default();
    assert!(error.contains("refused"), "{error}");
}

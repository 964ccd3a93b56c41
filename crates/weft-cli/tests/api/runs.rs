//! Runs: starts that wait for the end, idempotent starts, the list in
//! pages and filtered, and a run's journal.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn wait_returns_the_finished_run() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    for wait in [json!("10s"), json!(10_000)] {
        let r = api
            .post(
                "/v1/runs",
                json!({"flow": "Echo", "input": {"a": [1, 2]}, "wait": wait}),
            )
            .await
            .ok(201);
        assert_eq!(r["status"], "completed", "{r}");
        assert_eq!(r["result"], json!({"a": [1, 2]}));
        assert_eq!(api.run(&id_of(&r)).await, r);
    }

    // A run that finishes because a worker answers while the start waits.
    let worker = {
        let api = api.clone();
        tokio::spawn(async move {
            let t = api.poll_one("Hello").await;
            api.complete(&t, json!("hello")).await;
        })
    };
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Greet", "input": "bo", "wait": "15s"}),
        )
        .await
        .ok(201);
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"], json!({"greeting": "hello"}));
    worker.await.unwrap();
}

#[tokio::test]
async fn a_wait_that_ends_first_returns_the_run_as_it_stands() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let start = Instant::now();
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 1, "wait": "300ms"}),
        )
        .await
        .ok(201);
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(r["status"], "running", "{r}");
    assert!(r.get("result").is_none());
    assert_eq!(r["waitingFor"][0]["activity"], "Never", "{r}");

    // An awaited call leaves the run waiting.
    let r = api
        .post(
            "/v1/runs",
            json!({"flow": "Confirm", "input": "a@b.c", "wait": "200ms"}),
        )
        .await
        .ok(201);
    let t = api.poll_one("SendEmail").await;
    api.complete(&t, json!(null)).await;
    let w = api.wait_for(&id_of(&r), "waiting").await;
    assert_eq!(w["waitingFor"][0]["callback"], true, "{w}");
}

#[tokio::test]
async fn idempotent_starts_return_the_same_run() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let body = json!({"flow": "Hold", "input": 1, "idempotencyKey": "order-17"});
    let first = api.post("/v1/runs", body.clone()).await.ok(201);
    assert_eq!(first["idempotencyKey"], "order-17");
    let second = api.post("/v1/runs", body.clone()).await.ok(200);
    assert_eq!(second["id"], first["id"]);
    // With `wait` too, and a different input: the key decides.
    let third = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 2, "idempotencyKey": "order-17", "wait": "50ms"}),
        )
        .await
        .ok(200);
    assert_eq!(third["id"], first["id"]);
    assert_eq!(third["input"], 1);
    // Another key is another run.
    let other = api
        .post(
            "/v1/runs",
            json!({"flow": "Hold", "input": 1, "idempotencyKey": "order-18"}),
        )
        .await
        .ok(201);
    assert_ne!(other["id"], first["id"]);
    assert_eq!(api.runs().await.len(), 2);
    // Only one task went out for the key.
    let tasks = api.poll_now("Never").await;
    assert_eq!(tasks.len(), 2, "{tasks:?}");
}

#[tokio::test]
async fn runs_are_listed_newest_first_in_pages_and_filtered() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    // 4 completed Echo runs and 3 running Hold runs, interleaved.
    let mut started = Vec::new();
    for i in 0..7 {
        let id = if i % 2 == 0 {
            api.start_and_wait("Echo", json!(i)).await["id"].clone()
        } else {
            api.start("Hold", json!(i)).await["id"].clone()
        };
        started.push(id);
    }
    let newest_first: Vec<Value> = started.iter().rev().cloned().collect();

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let path = match &cursor {
            None => "/v1/runs?limit=3".to_string(),
            Some(c) => format!("/v1/runs?limit=3&cursor={c}"),
        };
        let page = api.get(&path).await.ok(200);
        let runs = page["runs"].as_array().unwrap();
        pages.push(runs.len());
        seen.extend(runs.iter().map(|r| r["id"].clone()));
        match &page["nextCursor"] {
            Value::Null => break,
            Value::String(c) => cursor = Some(c.clone()),
            other => panic!("nextCursor: {other}"),
        }
        assert!(pages.len() < 10, "the cursor walks forever");
    }
    assert_eq!(pages, [3, 3, 1]);
    assert_eq!(seen, newest_first);

    // Filters.
    let ids = |v: Value| -> Vec<Value> {
        v["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].clone())
            .collect()
    };
    let completed = ids(api.get("/v1/runs?status=completed").await.ok(200));
    let echo: Vec<Value> = newest_first
        .iter()
        .enumerate()
        .filter(|(i, _)| (6 - i) % 2 == 0)
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(completed, echo);
    let running = ids(api.get("/v1/runs?status=running").await.ok(200));
    let hold: Vec<Value> = newest_first
        .iter()
        .filter(|id| !echo.contains(id))
        .cloned()
        .collect();
    assert_eq!(running, hold);
    assert_eq!(ids(api.get("/v1/runs?flow=Hold").await.ok(200)), hold);
    assert_eq!(
        ids(api.get("/v1/runs?flow=Echo&status=running").await.ok(200)),
        Vec::<Value>::new()
    );
    let page = api.get("/v1/runs?flow=Echo&limit=2").await.ok(200);
    assert_eq!(ids(page.clone()), echo[..2].to_vec());
    assert!(page["nextCursor"].is_string());
    assert_eq!(
        ids(api.get("/v1/runs?status=failed").await.ok(200)),
        Vec::<Value>::new()
    );

    // Bad queries.
    for q in [
        "status=finished",
        "status=RUNNING",
        "limit=0",
        "limit=1001",
        "limit=-1",
        "limit=ten",
        "colour=blue",
    ] {
        let msg = api
            .get(&format!("/v1/runs?{q}"))
            .await
            .error(400, "invalid_query");
        assert!(!msg.is_empty(), "{q}");
    }
}

#[tokio::test]
async fn the_journal_lists_a_run_s_entries_in_order() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Greet", json!("cy")).await;
    let t = api.poll_one("Hello").await;
    api.complete(&t, json!("hey")).await;
    api.wait_for(&id, "completed").await;
    let j = api.get(&format!("/v1/runs/{id}/journal")).await.ok(200);
    assert_eq!(j["runId"], id.as_str());
    let entries = j["entries"].as_array().unwrap();
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["started", "callStarted", "callCompleted", "completed"],
        "{j}"
    );
    let mut last_step = 0;
    for e in entries {
        assert_time(&e["at"]);
        let step = e["step"].as_u64().expect("a step number");
        assert!(step >= last_step, "steps in order: {j}");
        last_step = step;
    }
    assert_eq!(entries[0]["input"], "cy");
    assert_eq!(entries[1]["callId"], t["callId"]);
    assert_eq!(entries[1]["activity"], "Hello");
    assert_eq!(entries[1]["args"], json!(["cy"]));
    assert_eq!(entries[1]["attempt"], 1);
    assert_eq!(entries[1]["line"], line_of("g = Hello(name)"));
    assert_eq!(entries[2]["value"], "hey");
    assert_eq!(entries[2]["how"], "returned");
    assert_eq!(entries[3]["result"], json!({"greeting": "hey"}));
    assert!(entries[0]["step"].as_u64() < entries[3]["step"].as_u64());
}

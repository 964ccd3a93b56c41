//! Three nodes of a cluster in one process, sharing one store: runs start on
//! any node, a worker polls any node, callbacks reach any node, and every
//! run completes with the right result. (The fault tests with processes
//! killed and PostgreSQL restarted are in weft-cli's tests.)

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use weft_server::config::Config;
use weft_store::{ClusterStore, MemoryStore};

const FLOW: &str = r#"
flow Order(input) {
    a = Reserve(input.id)
    b = flow Charge(a) {
        return Pay(a.v)
    }
    c = await Confirm(b) @timeout(1h)
    return({a: a.v, b: b.v, c: c.v})
}
"#;

fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: "unused".into(),
        token: None,
        body_limit_bytes: 1 << 20,
        lease: Duration::from_secs(5),
        push: Default::default(),
        demo: false,
        database: None,
        node: "test".into(),
    }
}

async fn post(client: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let resp = client
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("the node answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_cross_nodes() {
    let store = Arc::new(MemoryStore::new());
    let mut nodes = Vec::new();
    for i in 0..3 {
        let s = weft_server::start_cluster(
            config(),
            store.clone() as Arc<dyn ClusterStore>,
            format!("node{i}"),
        )
        .await
        .expect("a node starts");
        nodes.push(s);
    }
    let urls: Vec<String> = nodes.iter().map(|n| format!("http://{}", n.addr)).collect();
    let client = reqwest::Client::new();
    let (st, _) = post(
        &client,
        format!("{}/v1/flows", urls[0]),
        json!({"source": FLOW}),
    )
    .await;
    assert_eq!(st, 201);

    // A worker that polls a different node each time, and sends callbacks
    // to yet another.
    let worker = {
        let (client, urls) = (client.clone(), urls.clone());
        tokio::spawn(async move {
            let mut turn = 0usize;
            loop {
                turn += 1;
                let node = &urls[turn % 3];
                let (_, got) = post(
                    &client,
                    format!("{node}/v1/tasks/poll"),
                    json!({"activities": ["Reserve", "Pay", "Confirm"], "worker": "w", "max": 10, "waitMs": 200}),
                )
                .await;
                for t in got["tasks"].as_array().cloned().unwrap_or_default() {
                    let args = &t["args"];
                    let value = match t["activity"].as_str().unwrap() {
                        "Reserve" => json!({"v": args[0].as_i64().unwrap() * 2}),
                        "Pay" => json!({"v": args[0].as_i64().unwrap() + 1}),
                        _ => Value::Null,
                    };
                    let id = t["taskId"].as_str().unwrap();
                    let reporter = &urls[(turn + 1) % 3];
                    post(
                        &client,
                        format!("{reporter}/v1/tasks/{id}/complete"),
                        json!({"value": value}),
                    )
                    .await;
                    if let Some(tok) = t["callbackToken"].as_str() {
                        let v = json!({"v": args[0]["v"].as_i64().unwrap() * 10});
                        let other = &urls[(turn + 2) % 3];
                        post(
                            &client,
                            format!("{other}/v1/callbacks/{tok}"),
                            json!({"value": v}),
                        )
                        .await;
                    }
                }
            }
        })
    };

    let mut ids = Vec::new();
    for i in 0..12i64 {
        let (st, run) = post(
            &client,
            format!("{}/v1/runs", urls[i as usize % 3]),
            json!({"flow": "Order", "input": {"id": i}}),
        )
        .await;
        assert_eq!(st, 201, "{run}");
        ids.push((i, run["id"].as_str().unwrap().to_string()));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    for (i, id) in &ids {
        loop {
            // Ask any node: they all read the same store.
            let run: Value = client
                .get(format!("{}/v1/runs/{id}", urls[(*i as usize + 2) % 3]))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if run["status"] == "completed" {
                let a = i * 2;
                assert_eq!(
                    run["result"],
                    json!({"a": a, "b": a + 1, "c": (a + 1) * 10}),
                    "run {i}"
                );
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "run {i} stuck: {run}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // A second callback for a completed await is refused by every node.
    worker.abort();
    for n in nodes {
        n.shutdown().await;
    }
}

/// An activity bound by `@http`: deployed through one node, called by the
/// nodes' pushers for runs started on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_bound_activities_are_called_by_the_nodes() {
    // The endpoint: answers `{"double": n * 2}` for GET /double/{n}.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let n: i64 = path.rsplit('/').next().unwrap_or("0").parse().unwrap_or(0);
                let body = json!({"double": n * 2}).to_string();
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    let store = Arc::new(MemoryStore::new());
    let mut nodes = Vec::new();
    for i in 0..2 {
        nodes.push(
            weft_server::start_cluster(
                config(),
                store.clone() as Arc<dyn ClusterStore>,
                format!("node{i}"),
            )
            .await
            .expect("a node starts"),
        );
    }
    let urls: Vec<String> = nodes.iter().map(|n| format!("http://{}", n.addr)).collect();
    let client = reqwest::Client::new();
    let source = format!(
        "activity Double(n: int) -> {{double: int}} @http(method: \"GET\", url: \"{endpoint}/double/{{n}}\")\nflow D(n) {{ return Double(n).double }}\n"
    );
    let (st, body) = post(
        &client,
        format!("{}/v1/flows", urls[0]),
        json!({"source": source}),
    )
    .await;
    assert_eq!(st, 201, "{body}");
    let (st, run) = post(
        &client,
        format!("{}/v1/runs", urls[1]),
        json!({"flow": "D", "input": 21, "wait": "20s"}),
    )
    .await;
    assert_eq!(st, 201, "{run}");
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(run["result"], json!(42), "{run}");
    for n in nodes {
        n.shutdown().await;
    }
}

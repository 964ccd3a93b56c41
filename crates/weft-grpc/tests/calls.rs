//! One attempt at a time against a real gRPC server (`support/inventory.rs`,
//! the service of `examples/grpc/inventory.proto`): results as JSON, the
//! call id, attempt and deadline in metadata, and each kind of failure read
//! as retryable or final.

#[path = "support/inventory.rs"]
mod inventory;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tonic::Code;
use weft_grpc::{Attempt, Client, Failure, Method};

const CONTRACTS: &str = r#"
activity GetItem(sku?: string) -> any
    @grpc(target: "TARGET", proto: "inventory.proto", service: "shop.inventory.v1.Inventory", method: "GetItem")
activity Reserve(orderId?: string, lines?: [any], hold?: duration, warehouse?: string) -> any
    @grpc(target: "TARGET", proto: "inventory.proto", service: "shop.inventory.v1.Inventory", method: "Reserve")
activity Release(reservationId?: string, reason?: string) -> any
    @grpc(target: "TARGET", proto: "inventory.proto", service: "shop.inventory.v1.Inventory", method: "Release")
"#;

fn methods(target: &str) -> BTreeMap<String, Method> {
    let text = CONTRACTS.replace("TARGET", target);
    let parsed = weft_syntax::parse(&text);
    assert!(!parsed.has_errors());
    let files = [weft_check::SourceFile {
        name: "inventory.weft",
        module: &parsed.module,
    }];
    let m = weft_grpc::program::methods(&files, &inventory::sources()).unwrap();
    assert_eq!(m.len(), 3);
    m
}

async fn call(
    client: &Client,
    m: &Method,
    args: Value,
    call_id: &str,
    attempt: u32,
    timeout: Duration,
) -> Result<Value, Failure> {
    client
        .call(
            m,
            &args,
            Attempt {
                call_id,
                attempt,
                timeout,
            },
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_metadata_and_failures() {
    let server = inventory::Inventory::start().await;
    let m = methods(&server.target());
    let client = Client::new();
    let second = Duration::from_secs(1);

    // A result, with the call id, attempt and deadline in metadata.
    let item = call(
        &client,
        &m["GetItem"],
        json!(["A-1"]),
        "run-1-1",
        1,
        2 * second,
    )
    .await
    .unwrap();
    assert_eq!(
        item,
        json!({
            "sku": "A-1", "name": "Item A-1", "available": 5,
            "price": {"currency": "EUR", "cents": 1250},
            "status": "IN_STOCK", "byWarehouse": {"main": 5},
            "updatedAt": "2026-11-25T17:52:11Z",
        })
    );
    let seen = server.calls("GetItem").pop().unwrap();
    assert_eq!(seen.call_id.as_deref(), Some("run-1-1"));
    assert_eq!(seen.attempt, Some(1));
    let t = seen.timeout.expect("grpc-timeout sent");
    assert!(t <= 2 * second && t > second, "{t:?}");

    // UNAVAILABLE is worth retrying; the next attempt (same call id) succeeds.
    let f = call(
        &client,
        &m["GetItem"],
        json!([{"sku": "flaky"}]),
        "run-2-1",
        1,
        second,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (f.code, f.retryable),
        (Some(Code::Unavailable), true),
        "{f:?}"
    );
    assert!(
        f.message
            .contains("shop.inventory.v1.Inventory/GetItem at http://"),
        "{}",
        f.message
    );
    assert!(
        f.message.ends_with("answered UNAVAILABLE: warming up"),
        "{}",
        f.message
    );
    let ok = call(
        &client,
        &m["GetItem"],
        json!([{"sku": "flaky"}]),
        "run-2-1",
        2,
        second,
    )
    .await
    .unwrap();
    assert_eq!(ok["available"], 10);
    let attempts: Vec<_> = server
        .calls("GetItem")
        .into_iter()
        .filter(|s| s.call_id.as_deref() == Some("run-2-1"))
        .map(|s| s.attempt)
        .collect();
    assert_eq!(attempts, vec![Some(1), Some(2)]);

    // INVALID_ARGUMENT and NOT_FOUND are final.
    let f = call(
        &client,
        &m["Reserve"],
        json!([{"orderId": "o1", "lines": [{"sku": "A-1", "quantity": 0}]}]),
        "run-3-1",
        1,
        second,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (f.code, f.retryable),
        (Some(Code::InvalidArgument), false),
        "{f:?}"
    );
    assert!(
        f.message.contains("quantity must be positive"),
        "{}",
        f.message
    );
    let f = call(
        &client,
        &m["GetItem"],
        json!(["nope"]),
        "run-4-1",
        1,
        second,
    )
    .await
    .unwrap_err();
    assert_eq!((f.code, f.retryable), (Some(Code::NotFound), false));

    // A reservation: a duration in Weft's form, a oneof member, an Empty answer.
    let r = call(
        &client,
        &m["Reserve"],
        json!([{"orderId": "o2", "lines": [{"sku": "A-1", "quantity": 2}], "hold": "90s", "warehouse": "main"}]),
        "run-5-1",
        1,
        second,
    )
    .await
    .unwrap();
    assert_eq!(r["id"], "R-o2");
    assert_eq!(r["total"], json!({"currency": "EUR", "cents": 2500}));
    let sent = server.calls("Reserve").pop().unwrap().request;
    assert_eq!(sent["hold"], "90s");
    assert_eq!(sent["warehouse"], "main");
    let released = call(
        &client,
        &m["Release"],
        json!(["R-o2", "test"]),
        "run-5-2",
        1,
        second,
    )
    .await
    .unwrap();
    assert_eq!(released, json!({}));

    // The deadline: the client stops waiting, the failure is retryable.
    let started = Instant::now();
    let f = call(
        &client,
        &m["GetItem"],
        json!(["slow"]),
        "run-6-1",
        1,
        Duration::from_millis(300),
    )
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (f.code, f.retryable),
        (Some(Code::DeadlineExceeded), true),
        "{f:?}"
    );
    let t = server.calls("GetItem").pop().unwrap().timeout.unwrap();
    assert!(t <= Duration::from_millis(300), "{t:?}");

    // An answer larger than the limit: final.
    let f = call(
        &client,
        &m["GetItem"],
        json!(["huge"]),
        "run-8-1",
        1,
        5 * second,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (f.code, f.retryable),
        (Some(Code::OutOfRange), false),
        "{f:?}"
    );
    assert!(
        f.message
            .contains(&weft_grpc::RESPONSE_BYTES_MAX.to_string()),
        "{}",
        f.message
    );

    // Arguments that do not fit the request: final, and nothing is sent.
    let before = server.seen.lock().unwrap().len();
    let f = call(
        &client,
        &m["GetItem"],
        json!([{"sku": 7}]),
        "run-7-1",
        1,
        second,
    )
    .await
    .unwrap_err();
    assert!(!f.retryable && f.code.is_none(), "{f:?}");
    assert!(
        f.message.starts_with(
            "the arguments do not fit the request of shop.inventory.v1.Inventory/GetItem"
        ),
        "{}",
        f.message
    );
    assert_eq!(server.seen.lock().unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_worth_retrying() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let m = methods(&format!("http://127.0.0.1:{port}"));
    let client = Client::new();
    let f = call(
        &client,
        &m["GetItem"],
        json!(["A-1"]),
        "run-1-1",
        1,
        Duration::from_secs(2),
    )
    .await
    .unwrap_err();
    assert!(f.retryable, "{f:?}");
    assert_eq!(f.code, Some(Code::Unavailable), "{f:?}");

    // The server comes up on that port: the same client reaches it.
    let server = inventory::Inventory::start_on(format!("127.0.0.1:{port}").parse().unwrap()).await;
    let mut ok = None;
    for _ in 0..50 {
        match call(
            &client,
            &m["GetItem"],
            json!(["A-1"]),
            "run-1-1",
            2,
            Duration::from_secs(2),
        )
        .await
        {
            Ok(v) => {
                ok = Some(v);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    assert_eq!(ok.expect("the server was reached")["sku"], "A-1");
    assert!(!server.calls("GetItem").is_empty());
}

#[test]
fn the_status_table_is_the_documented_one() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/grpc.md"),
    )
    .unwrap();
    let mut rows = Vec::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() >= 4 && cells[1].starts_with('`') && cells[1].ends_with('`') {
            let name = cells[1].trim_matches('`');
            if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                rows.push((name.to_string(), cells[2].to_string()));
            }
        }
    }
    let want: Vec<(String, String)> = weft_grpc::client::STATUS_CODES
        .iter()
        .map(|(_, name, retry)| {
            (
                name.to_string(),
                if *retry { "retried" } else { "final" }.to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows, want,
        "docs/grpc.md's status table and client::STATUS_CODES differ"
    );
}

//! What a `@grpc` activity costs the server, measured in process against
//! the test server of `tests/support/inventory.rs` on loopback (figures in
//! `docs/benchmarks.md`):
//!
//! - compiling the example's `.proto` files (`inventory.proto`, `money.proto`
//!   and the well-known files they import), as the server does once per
//!   program version;
//! - a call's JSON arguments to the encoded request and the encoded response
//!   back to JSON (`Reserve`, the example's largest messages);
//! - unary calls of `GetItem`, one at a time (latency) and 64 at a time
//!   (throughput).
//!
//! `cargo run --release -p weft-grpc --example bench_grpc [calls]`

#[path = "../tests/support/inventory.rs"]
mod inventory;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use weft_grpc::{Attempt, Client};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let sources = inventory::sources();

    let rounds = 200;
    let t = Instant::now();
    for _ in 0..rounds {
        weft_grpc::protos::compile(&sources).unwrap();
    }
    println!(
        "compile inventory.proto + money.proto: {:.2} ms each ({rounds} rounds)",
        t.elapsed().as_secs_f64() * 1000.0 / rounds as f64
    );

    let server = inventory::Inventory::start().await;
    let contracts = format!(
        r#"activity GetItem(sku?: string) -> any @grpc(target: "{t}", proto: "inventory.proto", service: "shop.inventory.v1.Inventory", method: "GetItem")
activity Reserve(orderId?: string, lines?: [any], hold?: duration, warehouse?: string) -> any @grpc(target: "{t}", proto: "inventory.proto", service: "shop.inventory.v1.Inventory", method: "Reserve")"#,
        t = server.target()
    );
    let parsed = weft_syntax::parse(&contracts);
    let files = [weft_check::SourceFile {
        name: "inventory.weft",
        module: &parsed.module,
    }];
    let methods = weft_grpc::program::methods(&files, &sources).unwrap();

    let reserve = &methods["Reserve"];
    let args = json!([{"orderId": "o1", "lines": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2", "quantity": 1}], "hold": "15m", "warehouse": "main"}]);
    let answer = weft_grpc::prost_reflect::DynamicMessage::deserialize(
        reserve.descriptor.output(),
        json!({"id": "R-o1", "orderId": "o1", "lines": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2", "quantity": 1}],
               "expiresAt": "2026-12-01T09:15:00Z", "total": {"currency": "EUR", "cents": 3750}}),
    )
    .unwrap();
    let answer = prost::Message::encode_to_vec(&answer);
    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(reserve.request(&args).unwrap());
        std::hint::black_box(reserve.response(&answer).unwrap());
    }
    println!(
        "Reserve: JSON to request and response to JSON: {:.1} µs per call ({n} rounds)",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );

    let client = Arc::new(Client::new());
    let get = Arc::new(methods["GetItem"].clone());
    let attempt = |i: usize| format!("bench-{i}");
    // Warm the connection.
    for i in 0..100 {
        let id = attempt(i);
        let a = Attempt {
            call_id: &id,
            attempt: 1,
            timeout: Duration::from_secs(5),
        };
        client.call(&get, &json!(["A-1"]), a).await.unwrap();
    }
    let mut lat = Vec::with_capacity(calls);
    for i in 0..calls {
        let id = attempt(i);
        let a = Attempt {
            call_id: &id,
            attempt: 1,
            timeout: Duration::from_secs(5),
        };
        let t = Instant::now();
        client.call(&get, &json!(["A-1"]), a).await.unwrap();
        lat.push(t.elapsed());
    }
    lat.sort();
    println!(
        "GetItem, one at a time: p50 {:?}, p99 {:?} ({calls} calls)",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );

    let concurrency = 64;
    let t = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (client, get) = (client.clone(), get.clone());
        tasks.push(tokio::spawn(async move {
            for i in (w..calls).step_by(concurrency) {
                let id = format!("bench-c-{i}");
                let a = Attempt {
                    call_id: &id,
                    attempt: 1,
                    timeout: Duration::from_secs(5),
                };
                client.call(&get, &json!(["A-1"]), a).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "GetItem, {concurrency} at a time: {:.0} calls/s ({calls} calls)",
        calls as f64 / t.elapsed().as_secs_f64()
    );
}

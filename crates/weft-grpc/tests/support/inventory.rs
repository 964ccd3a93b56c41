//! A real gRPC server for the tests: a tonic service for
//! `examples/grpc/inventory.proto` built from its descriptors at run time
//! (dynamic messages), with scripted behaviour for some items, recording
//! what each call carried. Shared by `weft-grpc`'s tests and
//! `weft-cli/tests/api/grpc.rs` (included with `#[path]`).
//!
//! Items: `A-1` (5 in stock, 12.50 EUR), `B-2` (on backorder), `flaky`
//! (the first attempt of each call id answers UNAVAILABLE), `slow` (answers
//! after 2 s), `huge` (an answer larger than `RESPONSE_BYTES_MAX`); any
//! other SKU is NOT_FOUND. `Reserve` answers
//! INVALID_ARGUMENT for a line whose quantity is not positive; `Release`
//! NOT_FOUND for a reservation it did not make.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::{Buf, BufMut, Bytes};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor, SerializeOptions};
use serde_json::{json, Value};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::{Code, Status};

/// The service's full name.
pub const SERVICE: &str = "shop.inventory.v1.Inventory";

/// What one call carried.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `GetItem`, `Reserve`, ...
    pub method: String,
    /// The `weft-call-id` metadata.
    pub call_id: Option<String>,
    /// The `weft-attempt` metadata.
    pub attempt: Option<u32>,
    /// The deadline the client sent (`grpc-timeout`).
    pub timeout: Option<Duration>,
    /// The request, as JSON.
    pub request: Value,
}

/// The folder of the example.
pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/grpc")
}

/// The example's `.proto` files, by name.
pub fn sources() -> std::collections::BTreeMap<String, String> {
    ["inventory.proto", "money.proto"]
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(example_dir().join(n)).unwrap();
            (n.to_string(), text)
        })
        .collect()
}

/// A running server.
pub struct Inventory {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Every call so far.
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Inventory {
    /// Starts a server on a free port of 127.0.0.1, on the current runtime.
    pub async fn start() -> Inventory {
        Inventory::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    /// Starts a server on `addr`.
    pub async fn start_on(addr: SocketAddr) -> Inventory {
        let pool = weft_grpc::protos::compile(&sources()).expect("the example compiles");
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Service {
            pool,
            seen: Arc::default(),
            failed_once: Arc::default(),
            reservations: Arc::default(),
        };
        let seen = state.seen.clone();
        tokio::spawn(async move {
            tonic::transport::Server::builder()
                .add_service(state)
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener))
                .await
                .unwrap();
        });
        Inventory { addr, seen }
    }

    /// `http://127.0.0.1:port`.
    pub fn target(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The calls of `method` so far.
    pub fn calls(&self, method: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .filter(|s| s.method == method)
            .cloned()
            .collect()
    }
}

#[derive(Clone)]
struct Service {
    pool: DescriptorPool,
    seen: Arc<Mutex<Vec<Seen>>>,
    failed_once: Arc<Mutex<HashSet<String>>>,
    reservations: Arc<Mutex<HashMap<String, Value>>>,
}

impl tonic::server::NamedService for Service {
    const NAME: &'static str = SERVICE;
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl tower::Service<http::Request<tonic::body::Body>> for Service {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<tonic::body::Body>) -> Self::Future {
        let name = req
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        let method = self
            .pool
            .get_service_by_name(SERVICE)
            .and_then(|s| s.methods().find(|m| m.name() == name));
        let Some(method) = method else {
            return Box::pin(async move {
                Ok(Status::unimplemented(format!("no method {name}")).into_http())
            });
        };
        let unary = Unary {
            service: self.clone(),
            method,
        };
        Box::pin(async move {
            let mut grpc = tonic::server::Grpc::new(Raw);
            Ok(grpc.unary(unary, req).await)
        })
    }
}

struct Unary {
    service: Service,
    method: MethodDescriptor,
}

impl tonic::server::UnaryService<Bytes> for Unary {
    type Response = Bytes;
    type Future = BoxFuture<Result<tonic::Response<Bytes>, Status>>;

    fn call(&mut self, request: tonic::Request<Bytes>) -> Self::Future {
        let service = self.service.clone();
        let method = self.method.clone();
        Box::pin(async move {
            let md = request.metadata();
            let text = |k: &str| md.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
            let input = DynamicMessage::decode(method.input(), request.get_ref().clone())
                .map_err(|e| Status::invalid_argument(e.to_string()))?;
            let options = SerializeOptions::new()
                .stringify_64_bit_integers(false)
                .skip_default_fields(false);
            let json = input
                .serialize_with_options(serde_json::value::Serializer, &options)
                .unwrap();
            let seen = Seen {
                method: method.name().to_string(),
                call_id: text("weft-call-id"),
                attempt: text("weft-attempt").and_then(|a| a.parse().ok()),
                timeout: text("grpc-timeout").and_then(|t| grpc_timeout(&t)),
                request: json.clone(),
            };
            service.seen.lock().unwrap().push(seen.clone());
            let out = service.answer(&seen, &json).await?;
            let msg = DynamicMessage::deserialize(method.output(), out)
                .map_err(|e| Status::internal(format!("the test server's answer: {e}")))?;
            Ok(tonic::Response::new(Bytes::from(msg.encode_to_vec())))
        })
    }
}

impl Service {
    async fn answer(&self, seen: &Seen, req: &Value) -> Result<Value, Status> {
        match seen.method.as_str() {
            "GetItem" => {
                let sku = req["sku"].as_str().unwrap_or("");
                match sku {
                    "flaky" => {
                        let id = seen.call_id.clone().unwrap_or_default();
                        if self.failed_once.lock().unwrap().insert(id) {
                            return Err(Status::new(Code::Unavailable, "warming up"));
                        }
                        Ok(item(sku, 10, "IN_STOCK"))
                    }
                    "slow" => {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        Ok(item(sku, 10, "IN_STOCK"))
                    }
                    "A-1" => Ok(item(sku, 5, "IN_STOCK")),
                    "huge" => {
                        let mut i = item(sku, 1, "IN_STOCK");
                        i["name"] = json!("x".repeat(weft_grpc::RESPONSE_BYTES_MAX + 1));
                        Ok(i)
                    }
                    "B-2" => Ok(item(sku, 0, "BACKORDER")),
                    _ => Err(Status::not_found(format!("no item {sku}"))),
                }
            }
            "Reserve" => {
                let lines = req["lines"].as_array().cloned().unwrap_or_default();
                if lines.is_empty() {
                    return Err(Status::invalid_argument("a reservation needs lines"));
                }
                let mut cents = 0;
                for l in &lines {
                    let q = l["quantity"].as_i64().unwrap_or(0);
                    if q <= 0 {
                        return Err(Status::invalid_argument(format!(
                            "quantity must be positive, got {q} for {}",
                            l["sku"]
                        )));
                    }
                    cents += 1250 * q;
                }
                let hold_ms = req["hold"]
                    .as_str()
                    .and_then(|h| h.strip_suffix('s'))
                    .and_then(|s| s.parse::<f64>().ok())
                    .map_or(15 * 60 * 1000, |s| (s * 1000.0) as i64);
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_millis() as i64;
                let id = format!("R-{}", req["orderId"].as_str().unwrap_or(""));
                let r = json!({
                    "id": id,
                    "orderId": req["orderId"],
                    "lines": lines,
                    "expiresAt": weft_engine::time::format_time(now + hold_ms),
                    "total": {"currency": "EUR", "cents": cents},
                });
                self.reservations.lock().unwrap().insert(id, r.clone());
                Ok(r)
            }
            "Release" => {
                let id = req["reservationId"].as_str().unwrap_or("");
                match self.reservations.lock().unwrap().remove(id) {
                    Some(_) => Ok(json!({})),
                    None => Err(Status::not_found(format!("no reservation {id}"))),
                }
            }
            other => Err(Status::unimplemented(other.to_string())),
        }
    }
}

fn item(sku: &str, available: i64, status: &str) -> Value {
    json!({
        "sku": sku,
        "name": format!("Item {sku}"),
        "available": available,
        "price": {"currency": "EUR", "cents": 1250},
        "status": status,
        "byWarehouse": {"main": available},
        "updatedAt": "2026-11-25T17:52:11Z",
    })
}

/// `grpc-timeout` values: an amount and a unit (`H`, `M`, `S`, `m`, `u`,
/// `n`).
fn grpc_timeout(t: &str) -> Option<Duration> {
    let (n, unit) = t.split_at(t.len().checked_sub(1)?);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// A codec for messages already encoded.
#[derive(Clone, Copy)]
struct Raw;

impl Codec for Raw {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = Raw;
    type Decoder = Raw;
    fn encoder(&mut self) -> Raw {
        Raw
    }
    fn decoder(&mut self) -> Raw {
        Raw
    }
}

impl Encoder for Raw {
    type Item = Bytes;
    type Error = Status;
    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put(item);
        Ok(())
    }
}

impl Decoder for Raw {
    type Item = Bytes;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}

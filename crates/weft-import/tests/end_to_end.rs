//! Imported contracts, called by the engine: a small HTTP server started
//! here implements two pet store operations, the contracts imported from
//! `tests/data/petstore.yaml` bind them (`@http`), and a flow deployed to a
//! real server (in-process) calls `AddPet(...)` then `GetPetById(...)`; the
//! run completes with the data the pet service returned, and every request
//! carried `Idempotency-Key: <call id>`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use serde_json::{json, Value};

#[derive(Clone, Default)]
struct Pets {
    pets: Arc<Mutex<BTreeMap<i64, Value>>>,
    keys: Arc<Mutex<Vec<String>>>,
}

impl Pets {
    fn saw(&self, headers: &HeaderMap) {
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        self.keys.lock().unwrap().push(key);
    }
}

async fn add_pet(
    State(s): State<Pets>,
    headers: HeaderMap,
    Json(mut pet): Json<Value>,
) -> (StatusCode, Json<Value>) {
    s.saw(&headers);
    if pet["name"].as_str().unwrap_or("").is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": "a pet needs a name"})),
        );
    }
    let mut pets = s.pets.lock().unwrap();
    let id = 100 + pets.len() as i64;
    pet["id"] = json!(id);
    pets.insert(id, pet.clone());
    (StatusCode::OK, Json(pet))
}

async fn get_pet(
    State(s): State<Pets>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> (StatusCode, Json<Value>) {
    s.saw(&headers);
    match s.pets.lock().unwrap().get(&id) {
        Some(p) => (StatusCode::OK, Json(p.clone())),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"message": "no such pet"})),
        ),
    }
}

const FLOW: &str = r#"
flow Adopt(input) {
    added = AddPet({name: input.name, photoUrls: [], status: "available"}) @retry(2)
    found = GetPetById(added.id) @retry(2)
    missing = GetPetById(petId: 999999) @catch
    return {id: found.id, name: found.name, status: found.status, missing: missing.status}
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_calls_imported_operations_directly() {
    // The pet service.
    let pets = Pets::default();
    let app = axum::Router::new()
        .route("/api/v3/pet", post(add_pet))
        .route("/api/v3/pet/{petId}", get(get_pet))
        .with_state(pets.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let service = format!("http://{}/api/v3", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    // The contracts, imported for that address.
    let spec = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/petstore.yaml"),
    )
    .unwrap();
    let contracts = weft_import::import(
        &spec,
        &weft_import::Options {
            base_url: Some(service.clone()),
            namespace: None,
        },
    )
    .unwrap()
    .source;

    // Weft, deployed with the contracts and a flow that uses two of them.
    let store: Arc<dyn weft_store::Store> = Arc::new(weft_store::MemoryStore::new());
    let config = weft_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: std::env::temp_dir().join("weft-import-tests-unused"),
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
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{url}/v1/flows"))
        .json(&json!({"files": [
            {"name": "petstore.weft", "text": contracts},
            {"name": "adopt.weft", "text": FLOW},
        ]}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "deploy: {body}");

    let r: Value = http
        .post(format!("{url}/v1/runs"))
        .json(&json!({"flow": "Adopt", "input": {"name": "Rex"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = r["id"].as_str().unwrap().to_string();
    let until = Instant::now() + Duration::from_secs(20);
    let run = loop {
        let run: Value = http
            .get(format!("{url}/v1/runs/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if run["status"] != "running" && run["status"] != "waiting" {
            break run;
        }
        assert!(Instant::now() < until, "the run did not finish: {run}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(
        run["result"],
        json!({"id": 100, "name": "Rex", "status": "available", "missing": "error"}),
        "{run}"
    );
    // AddPet, GetPetById, and the 404 (not retried: a 4xx is permanent).
    let keys = pets.keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(
        keys.iter().all(|k| k.starts_with(&id)),
        "{keys:?} are not call ids of {id}"
    );
    server.shutdown().await;
}

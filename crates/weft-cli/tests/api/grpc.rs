//! `@grpc` end to end: a real gRPC server started here (a tonic service
//! for `examples/grpc/inventory.proto` with dynamic messages,
//! `weft-grpc/tests/support/inventory.rs`), contracts imported from the
//! `.proto` by the `weft` binary, deployed with `weft deploy` (which sends
//! the `.proto` files) to a real `weft serve`, and the example's flows run
//! against the service: results, the call id and attempt in metadata, the
//! deadline from `@timeout`, a retry after UNAVAILABLE, final failures on
//! INVALID_ARGUMENT and NOT_FOUND, and deploys refused when a binding does
//! not match its `.proto`; `weft check` reading the `.proto` next to the
//! contracts.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::inventory;

fn weft(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .expect("weft runs")
}

fn example(name: &str) -> PathBuf {
    inventory::example_dir().join(name)
}

/// Starts `flow` with `input` and waits for its end.
async fn run(api: &Api, flow: &str, input: Value) -> Value {
    api.post(
        "/v1/runs",
        json!({"flow": flow, "input": input, "wait": "30s"}),
    )
    .await
    .ok(201)
}

/// The calls the service saw for the run `run_id`, of `method`.
fn calls_of(server: &inventory::Inventory, method: &str, run_id: &str) -> Vec<inventory::Seen> {
    server
        .calls(method)
        .into_iter()
        .filter(|s| {
            s.call_id
                .as_deref()
                .is_some_and(|c| c.starts_with(&format!("{run_id}-")))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_call_a_grpc_service() {
    let service = inventory::Inventory::start().await;
    let dir = TempDir::new("grpc");

    // The contracts, imported from the .proto for this server's address
    // by the binary: the example's, with another target.
    for f in ["inventory.proto", "money.proto", "hold-stock.weft"] {
        std::fs::copy(example(f), dir.join(f)).unwrap();
    }
    let contracts = dir.join("inventory.weft");
    let target = service.addr.to_string();
    let o = weft(&[
        "import",
        "grpc",
        dir.join("inventory.proto").to_str().unwrap(),
        "--target",
        &target,
        "--out",
        contracts.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("WatchStock` is left out: it streams"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&contracts).unwrap(),
        std::fs::read_to_string(example("inventory.weft"))
            .unwrap()
            .replace("http://localhost:50051", &service.target()),
    );

    // A server, and the program deployed with its .proto files.
    let server = Server::start(Launch::data(dir.path())).await;
    let api = server.api();
    let url = server.url.clone();
    let o = weft(&[
        "deploy",
        dir.join("hold-stock.weft").to_str().unwrap(),
        contracts.to_str().unwrap(),
        "--url",
        &url,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let version = api.get("/v1/versions/1").await.ok(200);
    let mut names: Vec<&str> = version["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "hold-stock.weft",
            "inventory.proto",
            "inventory.weft",
            "money.proto"
        ]
    );

    // Stock held: two calls, with the call id, attempt and deadline.
    let r = run(
        &api,
        "HoldStock",
        json!({"orderId": "o1", "sku": "A-1", "quantity": 2}),
    )
    .await;
    assert_eq!(r["status"], "completed", "{r}");
    let result = &r["result"];
    assert_eq!(result["status"], "held");
    assert_eq!(result["reservation"], "R-o1");
    assert_eq!(result["total"], json!({"currency": "EUR", "cents": 2500}));
    assert!(result["until"].as_str().unwrap().ends_with('Z'), "{result}");
    let run_id = r["id"].as_str().unwrap();
    let get = calls_of(&service, "GetItem", run_id);
    let reserve = calls_of(&service, "Reserve", run_id);
    assert_eq!((get.len(), reserve.len()), (1, 1));
    assert_ne!(get[0].call_id, reserve[0].call_id);
    assert_eq!(get[0].attempt, Some(1));
    let t = get[0].timeout.expect("the deadline is sent");
    assert!(
        t <= Duration::from_secs(2) && t > Duration::from_secs(1),
        "@timeout(2s): {t:?}"
    );
    // Weft's duration (15minutes) as a proto Duration; the oneof member.
    assert_eq!(reserve[0].request["hold"], "900s");
    assert_eq!(reserve[0].request["warehouse"], "main");
    assert_eq!(
        reserve[0].request["lines"],
        json!([{"sku": "A-1", "quantity": 2}])
    );

    // UNAVAILABLE is retried (`@retry(3)`): the same call id, attempt 2.
    let r = run(
        &api,
        "HoldStock",
        json!({"orderId": "o2", "sku": "flaky", "quantity": 1}),
    )
    .await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"]["status"], "held");
    let get = calls_of(&service, "GetItem", r["id"].as_str().unwrap());
    assert_eq!(get.len(), 2, "{get:?}");
    assert_eq!(get[0].call_id, get[1].call_id);
    assert_eq!((get[0].attempt, get[1].attempt), (Some(1), Some(2)));

    // INVALID_ARGUMENT is final: one attempt despite `@retry(5)`, caught.
    let r = run(
        &api,
        "HoldStock",
        json!({"orderId": "o3", "sku": "A-1", "quantity": 0}),
    )
    .await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"]["status"], "not-held");
    let why = r["result"]["why"].as_str().unwrap();
    assert!(
        why.contains("shop.inventory.v1.Inventory/Reserve")
            && why.contains("answered INVALID_ARGUMENT: quantity must be positive"),
        "{why}"
    );
    assert_eq!(
        calls_of(&service, "Reserve", r["id"].as_str().unwrap()).len(),
        1
    );

    // NOT_FOUND is final: the run stops at the call, for an operator.
    let r = run(
        &api,
        "ReleaseStock",
        json!({"reservation": "R-nope", "reason": "test"}),
    )
    .await;
    assert_eq!(r["status"], "failed", "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("answered NOT_FOUND: no reservation R-nope"),
        "{r}"
    );
    assert_eq!(
        calls_of(&service, "Release", r["id"].as_str().unwrap()).len(),
        1
    );
    // ... and an Empty answer is `{}`.
    let r = run(
        &api,
        "ReleaseStock",
        json!({"reservation": "R-o1", "reason": "test"}),
    )
    .await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(
        r["result"],
        json!({"status": "released", "reservation": "R-o1"})
    );

    // The deadline of `@timeout`: the service takes 2 s, the attempt ends
    // at 500 ms.
    std::fs::write(
        dir.join("slow.weft"),
        "flow Slow(input) {\n    r = GetItem(sku: \"slow\") @timeout(500ms) @catch\n    return r\n}\n",
    )
    .unwrap();
    let o = weft(&[
        "deploy",
        dir.join("slow.weft").to_str().unwrap(),
        contracts.to_str().unwrap(),
        "--url",
        &url,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = run(&api, "Slow", json!({})).await;
    assert_eq!(r["result"]["status"], "error", "{r}");
    let get = calls_of(&service, "GetItem", r["id"].as_str().unwrap());
    let t = get[0].timeout.expect("the deadline is sent");
    assert!(
        t <= Duration::from_millis(500) && t > Duration::ZERO,
        "@timeout(500ms): {t:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploys_whose_bindings_do_not_match_their_proto_are_refused() {
    let dir = TempDir::new("grpc-refused");
    let server = Server::start(Launch::data(dir.path())).await;
    let api = server.api();
    let text = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    let contracts = text(&example("inventory.weft"));
    let files = |contracts: &str, with_protos: bool| {
        let mut f = vec![
            json!({"name": "hold-stock.weft", "text": text(&example("hold-stock.weft"))}),
            json!({"name": "inventory.weft", "text": contracts}),
        ];
        if with_protos {
            f.push(json!({"name": "inventory.proto", "text": text(&example("inventory.proto"))}));
            f.push(json!({"name": "money.proto", "text": text(&example("money.proto"))}));
        }
        json!({"files": f})
    };
    let refused = |body: Value| {
        let api = api.clone();
        async move {
            let r = api.post("/v1/flows", body).await;
            r.error(422, "check_failed");
            r.json()["error"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["severity"] == "error")
                .map(|d| {
                    (
                        d["file"].as_str().unwrap_or("").to_string(),
                        d["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // The .proto is missing.
    let e = refused(files(&contracts, false)).await;
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(
        e[0].1
            .starts_with("the program has no file `inventory.proto`"),
        "{e:?}"
    );
    // A method the service does not have.
    let e = refused(files(
        &contracts.replace("method: \"Release\"", "method: \"Unreserve\""),
        true,
    ))
    .await;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "inventory.weft");
    assert!(e[0].1.contains("has no method `Unreserve`"), "{e:?}");
    // A streaming method.
    let e = refused(files(
        &contracts.replace("method: \"Release\"", "method: \"WatchStock\""),
        true,
    ))
    .await;
    assert!(e[0].1.contains("is a streaming method"), "{e:?}");
    // A .proto that does not compile: said in that file, at its line.
    let mut body = files(&contracts, true);
    body["files"][3]["text"] = json!(
        "syntax = \"proto3\";\npackage shop.common;\nmessage Money {\n  string currency = 1\n}\n"
    );
    let e = refused(body).await;
    assert_eq!(e[0].0, "money.proto", "{e:?}");
    assert!(e[0].1.starts_with("money.proto: 5:1: "), "{e:?}");
    // The whole program deploys.
    api.post("/v1/flows", files(&contracts, true)).await.ok(201);
}

#[test]
fn check_reads_the_proto_next_to_the_contracts() {
    let dir = TempDir::new("grpc-check");
    for f in [
        "inventory.proto",
        "money.proto",
        "hold-stock.weft",
        "inventory.weft",
    ] {
        std::fs::copy(example(f), dir.join(f)).unwrap();
    }
    let files = [dir.join("hold-stock.weft"), dir.join("inventory.weft")];
    let args = |files: &[PathBuf]| {
        let mut a = vec!["check".to_string()];
        a.extend(files.iter().map(|f| f.display().to_string()));
        a
    };
    let check = |files: &[PathBuf]| {
        let a = args(files);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        weft(&refs)
    };
    let o = check(&files);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // A method the .proto does not define: E0207 at the binding, exit 1.
    let contracts = std::fs::read_to_string(example("inventory.weft")).unwrap();
    std::fs::write(
        dir.join("inventory.weft"),
        contracts.replace("method: \"Reserve\"", "method: \"Reserv\""),
    )
    .unwrap();
    let o = check(&files);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error[E0207]: the service `shop.inventory.v1.Inventory` has no method `Reserv`"
        ),
        "{err}"
    );
    assert!(err.contains("inventory.weft:56:5"), "{err}");

    // A .proto that is not there: said once, at the first binding naming it.
    std::fs::write(dir.join("inventory.weft"), &contracts).unwrap();
    std::fs::remove_file(dir.join("money.proto")).unwrap();
    let o = check(&files);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error[E0207]").count(), 1, "{err}");
    assert!(
        err.contains("inventory.proto: the file `money.proto` is not found"),
        "{err}"
    );

    // `weft import grpc`: usage errors exit 2 and say what to give.
    let o = weft(&[
        "import",
        "grpc",
        example("inventory.proto").to_str().unwrap(),
        "--target",
        "x:1",
        "--service",
        "Stock",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("defines no service `Stock`; it defines `shop.inventory.v1.Inventory`"));
    let o = weft(&[
        "import",
        "grpc",
        example("inventory.proto").to_str().unwrap(),
        "--target",
        "x:1",
        "--out",
        dir.join("c.weft").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("relative to their own folder"));
}

/// A deployment plan's `binding = "grpc"` placement (docs/deploying.md):
/// calls go to the method of the declaration's `@grpc(...)` under the
/// placement's limits (a second call waits while the first is in flight,
/// as `GET /v1/activities` shows), and a plan that puts an activity
/// without `@grpc` on a gRPC binding refuses the deploy (P0102).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plans_grpc_placement_calls_the_method_under_its_limits() {
    let service = inventory::Inventory::start().await;
    let dir = TempDir::new("grpc-plan");
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "[[place]]\nactivities = [\"GetItem\", \"Reserve\", \"Release\"]\nbinding = \"grpc\"\nconcurrency = 1\n\n[[place]]\nactivities = [\"Lookup\"]\nbinding = \"grpc\"\n",
    )
    .unwrap();
    let server = Server::start(
        Launch::data(dir.path()).config(&format!("plan = {:?}\n", plan.display().to_string())),
    )
    .await;
    let api = server.api();
    let text = |name: &str| std::fs::read_to_string(example(name)).unwrap();
    let contracts = text("inventory.weft").replace("http://localhost:50051", &service.target());
    let files = |extra: Option<Value>| {
        let mut f = vec![
            json!({"name": "hold-stock.weft", "text": text("hold-stock.weft")}),
            json!({"name": "inventory.weft", "text": contracts}),
            json!({"name": "inventory.proto", "text": text("inventory.proto")}),
            json!({"name": "money.proto", "text": text("money.proto")}),
        ];
        f.extend(extra);
        json!({ "files": f })
    };
    let d = api.post("/v1/flows", files(None)).await.ok(201);
    assert!(d["warnings"].as_array().is_none_or(Vec::is_empty), "{d}");

    let r = run(
        &api,
        "HoldStock",
        json!({"orderId": "p1", "sku": "A-1", "quantity": 2}),
    )
    .await;
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["result"]["reservation"], "R-p1", "{r}");
    let run_id = r["id"].as_str().unwrap();
    assert_eq!(calls_of(&service, "GetItem", run_id).len(), 1);
    assert_eq!(calls_of(&service, "Reserve", run_id).len(), 1);

    // `concurrency = 1`: the service takes 2 s to answer for `slow`; of two
    // runs started together, one call is in flight and the other waits.
    let slow = json!({"name": "slow.weft", "text": "flow Slow(input) {\n    r = GetItem(sku: \"slow\") @timeout(30s)\n    return r.status\n}\n"});
    api.post("/v1/flows", files(Some(slow))).await.ok(201);
    let a = api.start_id("Slow", json!({})).await;
    let b = api.start_id("Slow", json!({})).await;
    let mut seen = None;
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::time::Instant::now() < deadline {
        let list = api.get("/v1/activities").await.ok(200);
        let get = list["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == "GetItem")
            .cloned()
            .unwrap_or_else(|| panic!("GetItem in {list}"));
        assert_eq!(get["placement"]["kind"], "grpc", "{get}");
        assert_eq!(get["placement"]["concurrency"], 1, "{get}");
        assert!(get["inFlight"].as_u64().unwrap() <= 1, "{get}");
        if get["inFlight"] == 1 && get["ready"] == 1 {
            seen = Some(get);
            break;
        }
        let done = api.get(&format!("/v1/runs/{b}")).await.ok(200);
        if done["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        seen.is_some(),
        "one call in flight and one waiting was never seen"
    );
    for id in [&a, &b] {
        let r = api.wait_for(id, "completed").await;
        assert_eq!(r["result"], "IN_STOCK", "{r}");
    }

    // An activity the plan puts on a gRPC binding, declared without one.
    let lookup = json!({"name": "lookup.weft", "text": "activity Lookup(sku: string) -> string\n\nflow Find(input) {\n    return Lookup(input.sku)\n}\n"});
    let r = api.post("/v1/flows", files(Some(lookup))).await;
    r.error(422, "plan_refused");
    let j = r.json().to_string();
    assert!(j.contains("P0102") && j.contains("Lookup"), "{j}");
}

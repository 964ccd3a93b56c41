//! The deployment plan (`weft serve --plan`, docs/deploying.md) and
//! activities embedded as WebAssembly components (docs/wasm.md), on the
//! example of `examples/wasm`: its Python and JavaScript guests, built from
//! source by `.ci/run` (`guests/python/build.sh`, `guests/js/build.mjs`).
//! The tests that need the guests skip without them, unless CI=true.

use serde_json::{json, Value};

use super::*;
use crate::support::in_ci;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example's plan, or `None` (skip) when its components are not built.
fn example_plan() -> Option<std::path::PathBuf> {
    let dir = repo().join("examples/wasm");
    let built = ["guests/python/guest.wasm", "guests/js/guest.wasm"]
        .iter()
        .all(|c| dir.join(c).is_file());
    if !built {
        assert!(
            !in_ci(),
            "the example's components are not built (examples/wasm/guests), and CI=true"
        );
        return None;
    }
    Some(dir.join("plan.toml").canonicalize().unwrap())
}

/// The configuration of a server on `plan`. The servers of these tests
/// share one cache of compiled components (in the target folder), and
/// start one at a time: the first compiles the guests (seconds each, more
/// on a busy machine), the others read them back.
fn plan_config(plan: &std::path::Path) -> String {
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wasm-cache");
    format!(
        "plan = {:?}\nwasm_cache = {:?}\n",
        plan.display().to_string(),
        cache.display().to_string()
    )
}

static STARTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn plan_server(dir: &TempDir, plan: &std::path::Path) -> Server {
    let _one_at_a_time = STARTING.lock().await;
    // Compiling the two guests takes seconds on an idle machine, minutes
    // on one busy with builds.
    Server::start(
        Launch::data(dir.path())
            .config(&plan_config(plan))
            .start_patience(std::time::Duration::from_secs(600)),
    )
    .await
}

async fn example_server(dir: &TempDir, plan: &std::path::Path) -> (Server, Api) {
    let s = plan_server(dir, plan).await;
    let api = s.api();
    let source = std::fs::read_to_string(repo().join("examples/wasm/quote-order.weft")).unwrap();
    api.deploy(&source).await;
    (s, api)
}

fn metric(text: &str, name: &str, activity: &str) -> Option<f64> {
    let prefix = format!("{name}{{activity=\"{activity}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn embedded_activities_run_in_the_server_and_workers_take_the_rest() {
    let Some(plan) = example_plan() else { return };
    let dir = TempDir::new("wasm-example");
    let (_s, api) = example_server(&dir, &plan).await;
    let id = api
        .start_id(
            "QuoteOrder",
            json!({"customer": "ann", "coupon": "TENOFF", "lines": [{"sku": "MUG-01", "quantity": 2, "price": 12.5}]}),
        )
        .await;
    // PriceQuote and ScreenOrder ran in the Python component, RenderReceipt
    // in the JavaScript one; NotifyCustomer waits for a remote worker.
    let task = api.poll_one("NotifyCustomer").await;
    assert_eq!(task["args"][0], "ann");
    assert_eq!(
        task["args"][1],
        "Receipt for ann\nSubtotal: 25.00\nDiscount: -2.50\nTotal: 22.50"
    );
    let m = api.get("/metrics").await.text;
    assert_eq!(
        metric(&m, "weft_activity_in_flight", "NotifyCustomer"),
        Some(1.0),
        "{m}"
    );
    assert!(
        metric(&m, "weft_activity_ready_tasks", "PriceQuote").is_some(),
        "{m}"
    );
    api.complete(&task, Value::Null).await;
    let run = api.wait_for(&id, "completed").await;
    assert_eq!(run["result"]["status"], "quoted");
    assert_eq!(run["result"]["total"], 22.5);

    // Each activity with its placement and figures.
    let a = api.get("/v1/activities").await.ok(200);
    assert!(a["plan"].as_str().unwrap().ends_with("plan.toml"), "{a}");
    let find = |name: &str| -> Value {
        a["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {a}"))
    };
    assert_eq!(find("PriceQuote")["placement"]["kind"], "wasm");
    assert_eq!(find("PriceQuote")["placement"]["memory"], "128MiB");
    assert_eq!(
        find("RenderReceipt")["placement"]["target"],
        "guests/js/guest.wasm"
    );
    assert_eq!(find("NotifyCustomer")["placement"]["kind"], "worker");
    assert_eq!(find("NotifyCustomer")["inFlight"], 0);
}

#[tokio::test]
async fn a_guests_failures_are_retried_or_not_as_it_says() {
    let Some(plan) = example_plan() else { return };
    let dir = TempDir::new("wasm-failures");
    let (_s, api) = example_server(&dir, &plan).await;
    // The first ScreenOrder attempt raises (a retryable failure): @retry(3)
    // tries again.
    let id = api
        .start_id(
            "QuoteOrder",
            json!({"customer": "flaky", "lines": [{"sku": "MUG-01", "quantity": 1, "price": 10}]}),
        )
        .await;
    let task = api.poll_one("NotifyCustomer").await;
    api.complete(&task, Value::Null).await;
    api.wait_for(&id, "completed").await;
    let failed: Vec<Value> = api
        .journal(&id)
        .await
        .into_iter()
        .filter(|e| e.to_string().contains("warming up"))
        .collect();
    assert!(!failed.is_empty(), "the failed attempt is in the journal");
    // An unknown coupon is permanent: the run fails at once, with the
    // guest's message, its retries unspent.
    let id = api
        .start_id(
            "QuoteOrder",
            json!({"customer": "ann", "coupon": "FREE", "lines": [{"sku": "MUG-01", "quantity": 1, "price": 10}]}),
        )
        .await;
    let run = api.wait_for(&id, "failed").await;
    assert!(
        run["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown coupon 'FREE'"),
        "{run}"
    );
}

#[tokio::test]
async fn a_deploy_calling_an_unplaced_activity_is_refused() {
    let Some(plan) = example_plan() else { return };
    let dir = TempDir::new("wasm-refused");
    let (_s, api) = example_server(&dir, &plan).await;
    let r = api
        .post(
            "/v1/flows",
            json!({"source": "flow Other(x) {\n    y = Unplaced(x)\n    return y\n}\n"}),
        )
        .await;
    let message = r.error(422, "plan_refused");
    assert!(message.contains("plan.toml"), "{message}");
    let j = r.json();
    assert!(j.to_string().contains("P0101"), "{j}");
    assert!(j.to_string().contains("Unplaced"), "{j}");
}

/// A plan that places nothing embedded (so it needs no guest): a push
/// placement under the plan's concurrency, and a deploy with `unplaced =
/// "warn"` that goes ahead with the plan's warning.
#[tokio::test]
async fn push_placements_and_warned_deploys() {
    let dir = TempDir::new("plan-push");
    let (port, hits) = echo_endpoint();
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        format!(
            "unplaced = \"warn\"\n[[place]]\nactivities = [\"Echo*\"]\npush = \"http://127.0.0.1:{port}/echo\"\nconcurrency = 1\n"
        ),
    )
    .unwrap();
    let s = plan_server(&dir, &plan).await;
    let api = s.api();
    let d = api
        .post(
            "/v1/flows",
            json!({"source": "flow F(x) {\n    a = EchoOne(x)\n    b = Elsewhere(x)\n    return a\n}\n"}),
        )
        .await
        .ok(201);
    assert!(d["warnings"].to_string().contains("P0101"), "{d}");
    assert!(d["warnings"].to_string().contains("Elsewhere"), "{d}");
    let id = api.start_id("F", json!({"n": 7})).await;
    // Unplaced with "warn": the pull queue, as without a plan.
    let task = api.poll_one("Elsewhere").await;
    api.complete(&task, json!(1)).await;
    let run = api.wait_for(&id, "completed").await;
    assert_eq!(run["result"]["echo"], json!([{"n": 7}]), "{run}");
    assert_eq!(*hits.lock().unwrap(), 1);
}

/// An endpoint that answers each POST with `{"echo": <its args>}`.
fn echo_endpoint() -> (u16, std::sync::Arc<std::sync::Mutex<usize>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = std::sync::Arc::new(std::sync::Mutex::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let l = line.trim_end().to_ascii_lowercase();
                if l.is_empty() {
                    break;
                }
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            *counted.lock().unwrap() += 1;
            let answer = json!({"echo": req["args"]}).to_string();
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (port, hits)
}

#[test]
fn a_plan_with_errors_stops_the_server_before_it_starts() {
    let dir = TempDir::new("plan-bad");
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "[[place]]\nactivities = [\"A\"]\nworker = \"nobody\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.join("data"))
        .arg("--plan")
        .arg(&plan)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("error[P0006]: no worker group `nobody`"),
        "{err}"
    );
    assert!(err.contains("plan.toml:3:10"), "{err}");
}

/// Runs a placement bench needs: the same activity, PriceQuote, embedded
/// (the Python component), on a pull worker (this process, over HTTP) and
/// on a push endpoint (this process): calls/s and latency of whole runs
/// (start with `wait` → the one call → the answer), at 8 clients. Not a
/// test: `cargo test --release -p weft-cli --test api -- --ignored
/// --nocapture bench_placements`; figures in docs/benchmarks.md.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_placements() {
    let Some(plan) = example_plan() else {
        panic!("build the example's components first (examples/wasm/guests)");
    };
    let component = plan.parent().unwrap().join("guests/python/guest.wasm");
    let (runs, clients) = (600usize, 8usize);
    let port = quote_endpoint().await;
    for mode in ["wasm", "worker", "push"] {
        let dir = TempDir::new(&format!("bench-{mode}"));
        let target = match mode {
            "wasm" => format!("wasm = {:?}", component.display().to_string()),
            "worker" => "worker = \"bench\"".into(),
            _ => format!("push = \"http://127.0.0.1:{port}/quote\""),
        };
        let plan = dir.join("plan.toml");
        std::fs::write(
            &plan,
            format!("[[place]]\nactivities = [\"PriceQuote\"]\n{target}\nconcurrency = 64\n[workers.bench]\nmin = 1\nmax = 1\n"),
        )
        .unwrap();
        let s = plan_server(&dir, &plan).await;
        let api = s.api();
        api.deploy(
            "type Line = {sku: string, quantity: int, price: number}\nactivity PriceQuote(lines: [Line], coupon?: string) -> any\nflow Bench(input) {\n    q = PriceQuote(input.lines)\n    return q\n}\n",
        )
        .await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut workers = Vec::new();
        if mode == "worker" {
            for _ in 0..2 {
                workers.push(tokio::spawn(poll_worker(api.clone(), stop.clone())));
            }
        }
        let input = json!({"lines": [{"sku": "MUG-01", "quantity": 2, "price": 12.5}]});
        // Warm up: instances, connections, caches.
        for _ in 0..clients * 4 {
            let r = api.start_and_wait("Bench", input.clone()).await;
            assert_eq!(r["result"]["total"], 25.0, "{r}");
        }
        let started = std::time::Instant::now();
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut handles = Vec::new();
        for _ in 0..clients {
            let (api, input, next) = (api.clone(), input.clone(), next.clone());
            handles.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < runs {
                    let t = std::time::Instant::now();
                    let r = api.start_and_wait("Bench", input.clone()).await;
                    assert_eq!(r["status"], "completed", "{r}");
                    lat.push(t.elapsed());
                }
                lat
            }));
        }
        let mut lat = Vec::new();
        for h in handles {
            lat.extend(h.await.unwrap());
        }
        let took = started.elapsed();
        // The workers stop before their server does.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for w in workers {
            w.await.unwrap();
        }
        lat.sort();
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        println!(
            "bench_placements {mode}: {runs} runs, {clients} clients: {:.0} runs/s, p50 {:.1} ms, p99 {:.1} ms",
            runs as f64 / took.as_secs_f64(),
            pct(0.5).as_secs_f64() * 1000.0,
            pct(0.99).as_secs_f64() * 1000.0
        );
    }
}

/// PriceQuote as the Python guest computes it (for the worker and the
/// push endpoint of the bench).
fn price_quote(args: &Value) -> Value {
    let mut subtotal = 0.0;
    for l in args[0].as_array().into_iter().flatten() {
        subtotal += l["quantity"].as_f64().unwrap_or(0.0) * l["price"].as_f64().unwrap_or(0.0);
    }
    json!({"subtotal": subtotal, "discount": 0.0, "total": subtotal})
}

async fn poll_worker(api: Api, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let v = api
            .post(
                "/v1/tasks/poll",
                json!({"activities": ["PriceQuote"], "worker": "bench", "max": 32, "waitMs": 500}),
            )
            .await
            .json();
        let tasks = v["tasks"].as_array().cloned().unwrap_or_default();
        let done: Vec<_> = tasks
            .iter()
            .map(|t| {
                let (api, t) = (api.clone(), t.clone());
                async move {
                    let _ = api.try_complete(&t, price_quote(&t["args"])).await;
                }
            })
            .collect();
        for d in done {
            d.await;
        }
    }
}

/// A keep-alive HTTP/1.1 endpoint answering PriceQuote pushes; its port.
async fn quote_endpoint() -> u16 {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((conn, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let (read, mut write) = conn.into_split();
                let mut reader = BufReader::new(read);
                loop {
                    let mut len = 0usize;
                    let mut line = String::new();
                    let mut first = true;
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end().to_ascii_lowercase();
                        if l.is_empty() && !first {
                            break;
                        }
                        first = false;
                        if let Some(v) = l.strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; len];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let answer = price_quote(&req["args"]).to_string();
                    let out = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                        answer.len()
                    );
                    if write.write_all(out.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

//! The generated clients (`weft stubs --client`) of `examples/machines`:
//! kept next to the example (`examples/machines/clients/`, rewritten with
//! `UPDATE_EXPECT=1`), and the Python one run against a real server
//! (in-process, on a temporary SQLite store): commands with and without a
//! `commandId`, a refusal as a value, reads, queries, a flow, and a server
//! that cannot be reached.
//!
//! The TypeScript client is compiled with `tsc --strict` together with a
//! script that uses it (`tests/ts/`: `npm ci` there installs the compiler,
//! as `.ci/run` does) and run with Node against a real server too.
//!
//! The Rust client is built (`cargo build --offline`) in a temporary crate
//! with a program that uses it, against the workspace's `Cargo.lock` (so
//! the dependencies already downloaded), and run against a real server.
//!
//! The tests need `python3`, and `node` with `tests/ts/node_modules`:
//! without them they fail under `CI=true` and are skipped otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use weft_check::SourceFile;
use weft_stubs::{client_file_name, generate_client, ClientModel, Lang};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const FILES: [&str; 2] = ["counter.weft", "channels.weft"];

/// The texts of examples/machines' program.
fn texts() -> Vec<(String, String)> {
    FILES
        .iter()
        .map(|f| {
            let path = repo().join("examples/machines").join(f);
            (f.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect()
}

fn generated(lang: Lang) -> String {
    let texts = texts();
    let parsed: Vec<_> = texts.iter().map(|(_, t)| weft_syntax::parse(t)).collect();
    let files: Vec<SourceFile> = texts
        .iter()
        .zip(&parsed)
        .map(|((name, _), p)| SourceFile {
            name,
            module: &p.module,
        })
        .collect();
    let diags = weft_check::check_program(&files);
    assert!(diags.iter().flatten().all(|d| !d.is_error()), "{diags:?}");
    let model = ClientModel::of(&files);
    let names: Vec<&str> = model.machines.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Counter", "channels"]);
    assert_eq!(
        model.flows,
        ["CountOrder", "AddEmailChannel", "ConfirmEmailChannel"]
    );
    generate_client(&model, lang).unwrap()
}

#[test]
fn the_clients_of_the_machines_example_are_current() {
    let dir = repo().join("examples/machines/clients");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    for lang in [Lang::Python, Lang::TypeScript, Lang::Rust] {
        let out = generated(lang);
        let path = dir.join(client_file_name(lang).unwrap());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &out).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("{} is missing (UPDATE_EXPECT=1 writes it)", path.display())
        });
        assert!(
            want == out,
            "{} differs from the generator's output (UPDATE_EXPECT=1 rewrites it)",
            path.display()
        );
    }
}

#[test]
fn no_client_in_openapi_and_no_clash_with_the_clients_names() {
    let model = ClientModel::default();
    assert!(matches!(
        generate_client(&model, Lang::OpenApi),
        Err(weft_stubs::Error::NoClient(Lang::OpenApi))
    ));
    let client_of = |text: &str, lang: Lang| {
        let parsed = weft_syntax::parse(text);
        let files = [SourceFile {
            name: "x.weft",
            module: &parsed.module,
        }];
        generate_client(&ClientModel::of(&files), lang)
    };
    let err = client_of("type Page = {n: number}\n", Lang::Python).unwrap_err();
    assert!(err.to_string().contains("`Page`"), "{err}");
    // The Rust client's imports are taken there only.
    let value = "type Value = {n: number}\n";
    let err = client_of(value, Lang::Rust).unwrap_err();
    assert!(err.to_string().contains("`Value`"), "{err}");
    assert!(client_of(value, Lang::Python).is_ok());
}

#[test]
fn the_rust_client_names_its_methods_apart() {
    let text = r#"
type Mode = "a" | "b"
machine Flows {
    state { mode: Mode = "a", note: "x" | "y" | null = null }
    command Get() { return state }
    command GET(input: {n: number}) { return state }
    command New() { return state }
    command Key(input: string) { return state }
}
machine flows {
    command Go() { return state }
}
flow http(input) {
    return input
}
"#;
    let parsed = weft_syntax::parse(text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let files = [SourceFile {
        name: "x.weft",
        module: &parsed.module,
    }];
    let out = generate_client(&ClientModel::of(&files), Lang::Rust).unwrap();
    for want in [
        "pub type Mode = String;",
        "pub note: Option<String>,",
        "pub struct FlowsInstance {",
        "pub struct FlowsMachine {",
        "pub struct FlowsInstance2 {",
        // `get`, `new` and `key` are the instance's own, `flows` the
        // client's, `http` the flows' (each type keeps its helper there).
        "pub async fn get_(&self, command_id: Option<&str>)",
        "pub async fn get__(",
        "input: &FlowsGetInput,",
        "pub async fn new_(&self, command_id: Option<&str>)",
        "pub async fn key_(",
        "input: &FlowsKeyInput,",
        "pub type FlowsKeyInput = String;",
        "pub fn flows_(&self) -> FlowsMachine {",
        "pub fn flows__(&self) -> FlowsMachine2 {",
        "pub async fn http_(",
    ] {
        assert!(out.contains(want), "no `{want}` in:\n{out}");
    }
}

fn works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What the script does with the client; each line it prints is a JSON
/// value the test reads.
const SCRIPT: &str = r#"
import json, sys
from client import Client

c = Client(sys.argv[1], attempts=3, timeout=30)
out = []
def show(r):
    if r.ok:
        v = r.value
        if hasattr(v, "items") and hasattr(v, "next"):
            return {"ok": True, "keys": [i.key for i in v.items], "next": v.next}
        if hasattr(v, "version"):
            return {"ok": True, "key": v.key, "state": v.state, "version": v.version}
        return {"ok": True, "value": v}
    e = r.error
    return {"ok": False, "status": e.status, "code": e.code, "message": e.message, "reason": e.reason}

out.append(show(c.Counter("apples").Add({"n": 2}, command_id="first")))
out.append(show(c.Counter("apples").Add({"n": 3})))
out.append(show(c.Counter("apples").Add({"n": 100}, command_id="first")))
out.append(show(c.Counter("apples").Take({"n": 50})))
out.append(show(c.Counter("a/b").Add({"n": 1})))
out.append(show(c.Counter("apples").get()))
out.append(show(c.Counter("plums").get()))
out.append(show(c.Counter.find(where="state.total > 1")))
out.append(show(c.Counter.find(limit=1)))
out.append(show(c.flows.CountOrder({"items": [{"product": "pears", "quantity": 4}]})))
seen = []
c.channels("u1:email").NewCommChannel({"userId": "u1", "type": "email", "email": {"address": "a@example.com"}}).then(lambda ch: seen.append(ch.version))
c.channels("u1:email").Confirm({"code": "x"}).then(lambda ch: seen.append("confirmed"), lambda e: seen.append(e.reason))
out.append({"seen": seen})
out.append(show(c.Counter("apples").history()))
far = Client("http://127.0.0.1:9", attempts=2, timeout=2)
out.append(show(far.Counter("apples").get()))
for o in out:
    print(json.dumps(o))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_client_against_a_real_server() {
    if !needed("python3", works("python3", "--version")) {
        return;
    }
    let (server, tmp) = serve("python").await;
    let url = server_url(&server);
    let http = reqwest::Client::new();
    std::fs::write(tmp.join("client.py"), generated(Lang::Python)).unwrap();
    std::fs::write(tmp.join("script.py"), SCRIPT).unwrap();
    let (lines, shown) = run_lines(
        "python3",
        vec!["script.py".into(), url.clone()],
        tmp.clone(),
    )
    .await;
    let expect = |i: usize, want: Value| {
        assert_eq!(lines[i], want, "line {i}\n{shown}");
    };
    expect(
        0,
        json!({"ok": true, "key": "apples", "state": {"total": 2}, "version": 1}),
    );
    expect(
        1,
        json!({"ok": true, "key": "apples", "state": {"total": 5}, "version": 2}),
    );
    // The same commandId: the first answer, nothing added.
    expect(
        2,
        json!({"ok": true, "key": "apples", "state": {"total": 2}, "version": 1}),
    );
    // Refused: a value with the handler's reason.
    assert_eq!(lines[3]["ok"], false, "{shown}");
    assert_eq!(lines[3]["status"], 409);
    assert_eq!(lines[3]["code"], "command_refused");
    assert_eq!(lines[3]["reason"]["code"], "too-low");
    expect(
        4,
        json!({"ok": true, "key": "a/b", "state": {"total": 1}, "version": 1}),
    );
    expect(
        5,
        json!({"ok": true, "key": "apples", "state": {"total": 5}, "version": 2}),
    );
    assert_eq!(lines[6]["code"], "unknown_instance", "{shown}");
    assert_eq!(lines[6]["status"], 404);
    expect(7, json!({"ok": true, "keys": ["apples"], "next": null}));
    assert_eq!(lines[8]["keys"], json!(["a/b"]), "{shown}");
    assert_eq!(lines[8]["next"], "a/b", "{shown}");
    assert_eq!(lines[9]["value"]["status"], "completed", "{shown}");
    assert_eq!(lines[9]["value"]["result"], json!([4]), "{shown}");
    expect(
        10,
        json!({"seen": [1, {"code": "not-started", "message": "no activation code was sent to this channel"}]}),
    );
    let history = &lines[11]["value"]["items"];
    let ids: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["applied", "applied", "refused"], "{shown}");
    assert_eq!(history[0]["commandId"], "first");
    assert_eq!(lines[12]["ok"], false, "{shown}");
    assert_eq!(lines[12]["status"], 0);
    assert_eq!(lines[12]["code"], "unreachable");

    // What the server holds agrees: apples was added to twice.
    let apples: Value = http
        .get(format!(
            "{}/v1/machines/Counter/apples",
            server_url(&server)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(apples["state"], json!({"total": 5}));
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

/// A server on a fresh SQLite store with examples/machines deployed, and
/// the temporary directory it keeps its data in.
async fn serve(tag: &str) -> (weft_server::Server, PathBuf) {
    let tmp = std::env::temp_dir().join(format!("weft-client-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let store: Arc<dyn weft_store::Store> =
        Arc::new(weft_store_sqlite::SqliteStore::open(&tmp.join("data")).unwrap());
    let config = weft_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: tmp.join("data"),
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
    let files: Vec<Value> = texts()
        .into_iter()
        .map(|(name, text)| json!({"name": name, "text": text}))
        .collect();
    let r = reqwest::Client::new()
        .post(format!("{}/v1/flows", server_url(&server)))
        .json(&json!({ "files": files }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    (server, tmp)
}

/// Runs `program` with `args` in `dir`; its standard output as JSON lines.
async fn run_lines(program: &str, args: Vec<String>, dir: PathBuf) -> (Vec<Value>, String) {
    let program = program.to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&program)
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n--- stderr ---\n{stderr}");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (lines, format!("{stdout}\n--- stderr ---\n{stderr}"))
}

/// A tool the test needs: present, or the test is skipped (fails under
/// `CI=true`).
fn needed(what: &str, present: bool) -> bool {
    if !present {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{what} is missing, and CI=true: the generated client cannot be tested");
        }
        eprintln!("skipped: {what} is missing (with CI=true this fails)");
    }
    present
}

fn server_url(server: &weft_server::Server) -> String {
    format!("http://{}", server.addr)
}

/// The TypeScript counterpart of [`SCRIPT`].
const TS_SCRIPT: &str = r#"
import { Client, then } from "./client";

async function main(): Promise<void> {
  const c = new Client({ url: process.argv[2], attempts: 3, timeoutMs: 30_000 });
  const out: unknown[] = [];
  const show = (r: any) => (r.ok ? { ok: true, value: r.value } : { ok: false, status: r.error.status, code: r.error.code, reason: r.error.reason });
  out.push(show(await c.Counter("apples").Add({ n: 2 }, "first")));
  out.push(show(await c.Counter("apples").Add({ n: 3 })));
  out.push(show(await c.Counter("apples").Add({ n: 100 }, "first")));
  out.push(show(await c.Counter("apples").Take({ n: 50 })));
  out.push(show(await c.Counter.at("a/b").Add({ n: 1 })));
  out.push(show(await c.Counter("plums").get()));
  out.push(show(await c.Counter.find("state.total > 1", 10)));
  out.push(show(await c.flows.CountOrder({ items: [{ product: "pears", quantity: 4 }] })));
  const seen: unknown[] = [];
  await then(c.channels("u1:email").NewCommChannel({ userId: "u1", type: "email", email: { address: "a@example.com" } }), (ch) => { seen.push(ch.version); });
  await then(c.channels("u1:email").Confirm({ code: "x" }), () => { seen.push("confirmed"); }, (e) => { seen.push(e.reason); });
  out.push({ seen });
  const far = new Client({ url: "http://127.0.0.1:9", attempts: 2, timeoutMs: 2_000 });
  out.push(show(await far.Counter("apples").get()));
  for (const o of out) console.log(JSON.stringify(o));
}

main();
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typescript_client_compiles_strictly_and_works_against_a_real_server() {
    let ts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ts");
    let tsc = ts.join("node_modules/.bin/tsc");
    if !needed("node", works("node", "--version"))
        || !needed(
            "the TypeScript compiler (npm ci in crates/weft-stubs/tests/ts)",
            tsc.exists(),
        )
    {
        return;
    }
    let (server, tmp) = serve("typescript").await;
    let url = server_url(&server);
    std::fs::write(tmp.join("client.ts"), generated(Lang::TypeScript)).unwrap();
    std::fs::write(tmp.join("script.ts"), TS_SCRIPT).unwrap();
    let types = ts.join("node_modules/@types");
    let compiled = Command::new(&tsc)
        .args(["--strict", "--noEmitOnError", "--target", "es2022"])
        .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
        .arg("--typeRoots")
        .arg(&types)
        .args([
            "--types",
            "node",
            "--outDir",
            "out",
            "client.ts",
            "script.ts",
        ])
        .current_dir(&tmp)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&compiled.stdout),
        String::from_utf8_lossy(&compiled.stderr)
    );
    let (lines, shown) = run_lines("node", vec!["out/script.js".into(), url], tmp.clone()).await;
    let instance = |total: i64, version: i64, key: &str| json!({"ok": true, "value": {"key": key, "state": {"total": total}, "version": version}});
    assert_eq!(lines[0], instance(2, 1, "apples"), "{shown}");
    assert_eq!(lines[1], instance(5, 2, "apples"), "{shown}");
    assert_eq!(lines[2], instance(2, 1, "apples"), "{shown}");
    assert_eq!(lines[3]["status"], 409, "{shown}");
    assert_eq!(lines[3]["code"], "command_refused", "{shown}");
    assert_eq!(lines[3]["reason"]["code"], "too-low", "{shown}");
    assert_eq!(lines[4], instance(1, 1, "a/b"), "{shown}");
    assert_eq!(lines[5]["code"], "unknown_instance", "{shown}");
    let keys: Vec<&Value> = lines[6]["value"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["key"])
        .collect();
    assert_eq!(keys, [&json!("apples")], "{shown}");
    assert_eq!(lines[7]["value"]["status"], "completed", "{shown}");
    assert_eq!(lines[7]["value"]["result"], json!([4]), "{shown}");
    assert_eq!(lines[8]["seen"][0], 1, "{shown}");
    assert_eq!(lines[8]["seen"][1]["code"], "not-started", "{shown}");
    assert_eq!(lines[9]["status"], 0, "{shown}");
    assert_eq!(lines[9]["code"], "unreachable", "{shown}");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The Rust counterpart of [`SCRIPT`]: the `main.rs` of a crate whose
/// `client.rs` is the generated client.
const RS_SCRIPT: &str = r#"
mod client;

use std::time::Duration;

use client::*;
use serde_json::{json, Value};

fn show<T: serde::Serialize>(r: Result<T>) -> Value {
    match r {
        Ok(v) => json!({"ok": true, "value": v}),
        Err(e) => json!({"ok": false, "status": e.status, "code": e.code, "reason": e.reason}),
    }
}

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("the server's URL");
    let options = |url: &str, attempts: u32, secs: u64| Options {
        url: Some(url.to_string()),
        attempts,
        timeout: Duration::from_secs(secs),
        ..Options::default()
    };
    let c = Client::new(options(&url, 3, 30)).expect("a client");
    let counter = c.counter();
    let apples = counter.at("apples");
    let mut out = vec![
        show(apples.add(&CounterAddInput { n: 2.0 }, Some("first")).await),
        show(apples.add(&CounterAddInput { n: 3.0 }, None).await),
        show(apples.add(&CounterAddInput { n: 100.0 }, Some("first")).await),
        show(apples.take(&CounterTakeInput { n: 50.0 }, None).await),
        show(counter.at("a/b").add(&CounterAddInput { n: 1.0 }, None).await),
        show(counter.at("plums").get().await),
        show(counter.find(Some("state.total > 1"), Some(10), None).await),
        show(counter.find(None, Some(1), None).await),
        show(counter.find(None, Some(1), Some("a/b")).await),
        show(
            c.flows()
                .count_order(json!({"items": [{"product": "pears", "quantity": 4}]}), None, Some("30s"))
                .await,
        ),
    ];
    // The seed's shape: send NewCommChannel with an input; on success, go on.
    let channel = c.channels().at("u1:email");
    let input = ChannelsNewCommChannelInput {
        user_id: Some("u1".into()),
        type_: "email".into(),
        email: Some(ChannelsNewCommChannelInputEmail {
            address: json!("a@example.com"),
        }),
        ..Default::default()
    };
    let mut seen = Vec::new();
    match channel.new_comm_channel(&input, None).await {
        Ok(ch) => seen.push(json!(ch.version)),
        Err(e) => seen.push(json!(e.code)),
    }
    match channel.confirm(&ChannelsConfirmInput { code: Some("x".into()) }, None).await {
        Ok(_) => seen.push(json!("confirmed")),
        Err(e) => seen.push(e.reason.unwrap_or_default()),
    }
    out.push(json!({ "seen": seen }));
    out.push(show(apples.history(None, None).await));
    let far = Client::new(options("http://127.0.0.1:9", 2, 2)).expect("a client");
    out.push(show(far.counter().at("apples").get().await));
    out.push(show(Client::new(options("not a URL", 1, 1)).map(|_| ())));
    for o in out {
        println!("{o}");
    }
}
"#;

/// Builds `client` with [`RS_SCRIPT`] in a temporary crate, offline, and
/// returns the program.
fn build_rust_client(client: &str, tmp: &Path) -> PathBuf {
    let dir = tmp.join("crate");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    // The features weft-worker and its generated workers (rust_build.rs)
    // use too, so the shared target directory builds nothing twice.
    std::fs::write(
        dir.join("Cargo.toml"),
        r#"[package]
name = "generated-client"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt", "rt-multi-thread", "time", "signal", "sync"] }

[workspace]
"#,
    )
    .unwrap();
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/client.rs"), client).unwrap();
    std::fs::write(dir.join("src/main.rs"), RS_SCRIPT).unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("generated-workers");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the generated Rust client does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("debug/generated-client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_client_builds_and_works_against_a_real_server() {
    let (server, tmp) = serve("rust").await;
    let client = generated(Lang::Rust);
    let build_dir = tmp.clone();
    let program = tokio::task::spawn_blocking(move || build_rust_client(&client, &build_dir))
        .await
        .unwrap();
    let (lines, shown) = run_lines(
        program.to_str().unwrap(),
        vec![server_url(&server)],
        tmp.clone(),
    )
    .await;
    // Numbers are `f64` in the client: compare totals by value.
    let instance = |i: usize, total: f64, version: u64, key: &str| {
        let v = &lines[i]["value"];
        assert_eq!(lines[i]["ok"], true, "line {i}\n{shown}");
        assert_eq!(v["key"], key, "line {i}\n{shown}");
        assert_eq!(
            v["state"]["total"].as_f64(),
            Some(total),
            "line {i}\n{shown}"
        );
        assert_eq!(v["version"], version, "line {i}\n{shown}");
    };
    instance(0, 2.0, 1, "apples");
    instance(1, 5.0, 2, "apples");
    // The same commandId: the first answer, nothing added.
    instance(2, 2.0, 1, "apples");
    // Refused: an error value with the handler's reason.
    assert_eq!(lines[3]["ok"], false, "{shown}");
    assert_eq!(lines[3]["status"], 409, "{shown}");
    assert_eq!(lines[3]["code"], "command_refused", "{shown}");
    assert_eq!(lines[3]["reason"]["code"], "too-low", "{shown}");
    instance(4, 1.0, 1, "a/b");
    assert_eq!(lines[5]["status"], 404, "{shown}");
    assert_eq!(lines[5]["code"], "unknown_instance", "{shown}");
    let keys = |i: usize| -> Vec<Value> {
        lines[i]["value"]["items"]
            .as_array()
            .unwrap_or_else(|| panic!("line {i}\n{shown}"))
            .iter()
            .map(|item| item["key"].clone())
            .collect()
    };
    assert_eq!(keys(6), [json!("apples")], "{shown}");
    assert_eq!(lines[6]["value"]["next"], Value::Null, "{shown}");
    // Page by page: the cursor of the first page gives the second.
    assert_eq!(keys(7), [json!("a/b")], "{shown}");
    assert_eq!(lines[7]["value"]["next"], "a/b", "{shown}");
    assert_eq!(keys(8), [json!("apples")], "{shown}");
    assert_eq!(lines[9]["value"]["status"], "completed", "{shown}");
    assert_eq!(lines[9]["value"]["result"], json!([4]), "{shown}");
    assert_eq!(lines[10]["seen"][0], 1, "{shown}");
    assert_eq!(lines[10]["seen"][1]["code"], "not-started", "{shown}");
    let statuses: Vec<&Value> = lines[11]["value"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{shown}"))
        .iter()
        .map(|c| &c["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("applied"), &json!("applied"), &json!("refused")],
        "{shown}"
    );
    assert_eq!(lines[12]["status"], 0, "{shown}");
    assert_eq!(lines[12]["code"], "unreachable", "{shown}");
    assert_eq!(lines[13]["code"], "invalid_options", "{shown}");

    // What the server holds agrees: apples was added to twice.
    let apples: Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/machines/Counter/apples",
            server_url(&server)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(apples["state"]["total"].as_f64(), Some(5.0));
    assert_eq!(apples["version"], 2);
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

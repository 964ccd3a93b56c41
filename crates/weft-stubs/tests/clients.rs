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
    for lang in [Lang::Python, Lang::TypeScript] {
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
fn no_client_in_rust_and_no_clash_with_the_clients_names() {
    let model = ClientModel::default();
    assert!(matches!(
        generate_client(&model, Lang::Rust),
        Err(weft_stubs::Error::NoClient(Lang::Rust))
    ));
    let parsed = weft_syntax::parse("type Page = {n: number}\n");
    let files = [SourceFile {
        name: "x.weft",
        module: &parsed.module,
    }];
    let model = ClientModel::of(&files);
    let err = generate_client(&model, Lang::Python).unwrap_err();
    assert!(err.to_string().contains("`Page`"), "{err}");
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

//! Upgrades, as operators meet them.
//!
//! Upgrading Weft: what an operator sees of a run this build cannot read
//! (docs/operating.md, "Upgrading Weft"): its snapshot is made unreadable as
//! a newer build's would be (a snapshot version this build does not know),
//! then the real `weft` binary is asked to touch it. It must refuse clearly,
//! show the run in `weft runs list`, `weft runs show`, `GET /v1/runs` and
//! `GET /v1/runs/{id}`, keep serving other runs, and resume the run once a
//! build that reads it starts (here: the snapshot written back).
//!
//! Upgrading flows: `weft upgrade` moves a waiting run onto a newer version
//! (docs/language.md, "Live upgrade"), through a server and on a data
//! directory, printing what moved or why it cannot.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use support::{Api, Launch, Server, TempDir};
use weft_store::{Batch, RunWrite, Store};
use weft_store_sqlite::SqliteStore;

const FLOW: &str =
    "flow W(x) {\n    r = await Approve(x) @timeout(1d)\n    return {approved: r}\n}\n";

/// Starts W and returns the run's id and its callback token.
async fn start(api: &Api, x: i64) -> (String, String) {
    let id = api.start_id("W", json!(x)).await;
    let run = api
        .wait_until(&id, "wait for its callback", |r| {
            r["waitingFor"][0]["token"].is_string()
        })
        .await;
    (
        id,
        run["waitingFor"][0]["token"].as_str().unwrap().to_string(),
    )
}

/// Rewrites a run's snapshot in the data directory (the server is
/// stopped), keeping its record.
fn rewrite_snapshot(data: &Path, run: &str, edit: impl Fn(&mut Value)) {
    let store = SqliteStore::open(data).unwrap();
    let stored = store.load_run(run).unwrap().unwrap();
    // This build writes the compact form; a test's earlier rewrite, JSON.
    let mut json: Value = weft_engine::state::snapshot_json(&stored.state, run).unwrap();
    edit(&mut json);
    store
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(stored.record.into()),
                state: serde_json::to_vec(&json).unwrap(),
                ..RunWrite::default()
            }],
        })
        .unwrap();
}

fn weft(args: &[&str], data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "weft {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_run_is_refused_shown_and_resumed_by_a_build_that_reads_it() {
    let home = TempDir::new("unreadable");
    let data = home.join("data");
    let mut server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    api.post(
        "/v1/flows",
        json!({"files": [{"name": "w.weft", "text": FLOW}]}),
    )
    .await
    .ok(201);
    let (parked, token) = start(&api, 1).await;
    let (other, other_token) = start(&api, 2).await;
    server.terminate();

    // What a newer build would have written.
    let original = SqliteStore::open(&data)
        .unwrap()
        .load_run(&parked)
        .unwrap()
        .unwrap()
        .state;
    rewrite_snapshot(&data, &parked, |j| j["v"] = json!(99));

    let mut server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    let msg = api
        .callback(&token, json!(true))
        .await
        .error(503, "unreadable_state");
    assert!(
        msg.contains("version 99") && msg.contains("reads versions 1 to 1"),
        "{msg}"
    );
    let run = api.run(&parked).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert_eq!(run["error"]["code"], "unreadable_state", "{run}");
    assert_eq!(run["error"]["message"], msg.as_str());
    let failed = api.get("/v1/runs?status=failed").await.ok(200);
    assert_eq!(failed["runs"][0]["id"], parked.as_str(), "{failed}");
    assert_eq!(failed["runs"][0]["error"]["code"], "unreadable_state");
    // Repair is refused with the same reason; the token stays valid.
    api.action(&parked, "retry", json!({}))
        .await
        .error(503, "unreadable_state");
    // The server goes on with the other runs.
    api.callback(&other_token, json!("yes")).await.ok(200);
    let run = api.wait_for(&other, "completed").await;
    assert_eq!(run["result"], json!({"approved": "yes"}));
    server.terminate();

    let list = weft(&["runs", "list"], &data);
    let line = list
        .lines()
        .find(|l| l.starts_with(&parked))
        .unwrap_or_else(|| panic!("listed:\n{list}"));
    assert!(
        line.contains("failed") && line.contains("unreadable_state"),
        "{line}"
    );
    let show = weft(&["runs", "show", &parked], &data);
    assert!(
        show.contains("error    [unreadable_state] run ") && show.contains("version 99"),
        "{show}"
    );
    assert!(show.contains("Upgrading Weft"), "{show}");

    // A build that reads it: the run is unparked at start and goes on.
    rewrite_snapshot(&data, &parked, |j| {
        *j = weft_engine::state::snapshot_json(&original, &parked).unwrap();
    });
    let server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    let run = api.run(&parked).await;
    assert_eq!(run["status"], "waiting", "{run}");
    assert!(run.get("error").is_none(), "{run}");
    assert!(
        server
            .log()
            .contains("1 parked run(s) are readable by this build"),
        "{}",
        server.log()
    );
    api.callback(&token, json!("late but fine")).await.ok(200);
    let run = api.wait_for(&parked, "completed").await;
    assert_eq!(run["result"], json!({"approved": "late but fine"}));
}

const REGISTER_USER: &str = include_str!("../../../examples/00-register-user/register-user.weft");

/// `weft upgrade ARGS`: its exit code and output.
fn upgrade(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("upgrade")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weft_upgrade_moves_a_waiting_run_or_says_why_not() {
    let home = TempDir::new("live-upgrade");
    let data = home.join("data");
    let mut server = Server::start(Launch::data(home.path())).await;
    let api = server.api();
    let url = server.url.clone();
    api.deploy(REGISTER_USER).await;
    let mut runs = Vec::new();
    for nick in ["ann", "bob"] {
        let id = api
            .start_id("RegisterUser", json!({"nick": nick, "email": "e@x"}))
            .await;
        let t = api.poll_one("ReserveNick").await;
        let reserved = json!({"status": "ok", "nick": nick, "ID": 7});
        api.complete(&t, reserved).await;
        let t = api.poll_one("SendActivationEmail").await;
        api.complete(&t, json!(null)).await;
        api.wait_until(&id, "wait for its callback", |r| {
            r["waitingFor"][0]["callback"] == true
        })
        .await;
        runs.push(id);
    }
    // Version 2: a step before the wait; version 3: a step after it.
    let wait = "    let confirmed = await SendActivationEmail";
    api.deploy(&REGISTER_USER.replacen(wait, &format!("    CheckFraud(input.email)\n{wait}"), 1))
        .await;
    let create = "    account = CreateAccount({";
    api.deploy(&REGISTER_USER.replacen(
        create,
        &format!("    SendWelcome(input.email)\n{create}"),
        1,
    ))
    .await;

    let (code, out, err) = upgrade(&[&runs[0], "--to", "2", "--dry-run", "--url", &url]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!(
            "run {} (RegisterUser): version 1 -> 2: refused",
            runs[0]
        )),
        "{out}"
    );
    assert!(
        out.contains("`CheckFraud(input.email)`) is a new step before the wait"),
        "{out}"
    );
    assert_eq!(out.lines().last(), Some("0 would move, 1 refused"));

    let (code, out, err) = upgrade(&[&runs[0], "--to", "2", "--url", &url]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("refused"), "{out}");

    let (code, out, err) = upgrade(&[&runs[0], "--to", "3", "--url", &url, "--by", "ops"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("version 1 -> 3: moved"), "{out}");
    assert!(out.contains("fiber 0: RegisterUser line"), "{out}");
    assert!(out.contains("variables input, reserved"), "{out}");
    assert_eq!(api.run(&runs[0]).await["version"], 3);
    let entry = api
        .journal(&runs[0])
        .await
        .into_iter()
        .find(|e| e["type"] == "upgraded")
        .expect("the upgrade is in the journal");
    assert_eq!(entry["by"], "ops");

    let (code, out, err) = upgrade(&[
        "--flow",
        "RegisterUser",
        "--to",
        "3",
        "--json",
        "--url",
        &url,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["runs"][0]["runId"], runs[1].as_str());
    assert_eq!(v["runs"][0]["upgraded"], true);

    let (code, _, err) = upgrade(&[&runs[0], "--to", "9", "--url", &url]);
    assert_eq!(code, 1);
    assert!(err.contains("no program version 9"), "{err}");
    let (code, _, _) = upgrade(&["--to", "3", "--url", &url]);
    assert_eq!(code, 2, "a run or --flow is needed");
    server.terminate();

    // On the data directory, with the server stopped: the same verdicts.
    let data_arg = data.to_str().unwrap();
    let (code, out, err) = upgrade(&["--flow", "RegisterUser", "--to", "3", "--data", data_arg]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no run to upgrade\n0 moved, 0 refused\n");
    let (code, out, err) = upgrade(&[&runs[1], "--to", "2", "--data", data_arg]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("version 2 is older than the run's version 3"),
        "{out}"
    );
}

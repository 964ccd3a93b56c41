//! What an operator sees of a run this build cannot read (docs/operating.md,
//! "Upgrading Weft"): its snapshot is made unreadable as a newer build's
//! would be (a snapshot version this build does not know), then the real
//! `weft` binary is asked to touch it. It must refuse clearly, show the run
//! in `weft runs list`, `weft runs show`, `GET /v1/runs` and
//! `GET /v1/runs/{id}`, keep serving other runs, and resume the run once a
//! build that reads it starts (here: the snapshot written back).

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
    let mut json: Value = serde_json::from_slice(&stored.state).unwrap();
    edit(&mut json);
    store
        .commit(&Batch {
            writes: vec![RunWrite {
                record: Some(stored.record),
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
        *j = serde_json::from_slice(&original).unwrap();
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

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
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{get_json, temp_dir, Server};
use weft_store::{Batch, RunWrite, Store};
use weft_store_sqlite::SqliteStore;

const FLOW: &str =
    "flow W(x) {\n    r = await Approve(x) @timeout(1d)\n    return {approved: r}\n}\n";

/// Longest wait for a run to get somewhere.
const PATIENCE: Duration = Duration::from_secs(20);

async fn post(client: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    let r = client.post(url).json(&body).send().await.expect("answered");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn start(client: &reqwest::Client, url: &str, x: i64) -> (String, String) {
    let (status, run) = post(
        client,
        &format!("{url}/v1/runs"),
        json!({"flow": "W", "input": x}),
    )
    .await;
    assert_eq!(status, 201, "{run}");
    let id = run["id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let run = get_json(client, &format!("{url}/v1/runs/{id}")).await;
        if let Some(t) = run["waitingFor"][0]["token"].as_str() {
            return (id, t.to_string());
        }
        assert!(Instant::now() < deadline, "the run never waited: {run}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
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
    let client = reqwest::Client::new();
    let data = temp_dir("unreadable");
    let mut server = Server::start(&client, support::serve_args(&data, None)).await;
    let url = server.url.clone();
    let (status, body) = post(
        &client,
        &format!("{url}/v1/flows"),
        json!({"files": [{"name": "w.weft", "text": FLOW}]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (parked, token) = start(&client, &url, 1).await;
    let (other, other_token) = start(&client, &url, 2).await;
    server.stop(Duration::from_secs(20));

    // What a newer build would have written.
    let original = SqliteStore::open(&data)
        .unwrap()
        .load_run(&parked)
        .unwrap()
        .unwrap()
        .state;
    rewrite_snapshot(&data, &parked, |j| j["v"] = json!(99));

    let mut server = Server::start(&client, support::serve_args(&data, None)).await;
    let url = server.url.clone();
    let (status, body) = post(
        &client,
        &format!("{url}/v1/callbacks/{token}"),
        json!({"value": true}),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unreadable_state", "{body}");
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("version 99") && msg.contains("reads versions 1 to 1"),
        "{msg}"
    );
    let run = get_json(&client, &format!("{url}/v1/runs/{parked}")).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert_eq!(run["error"]["code"], "unreadable_state", "{run}");
    assert_eq!(run["error"]["message"], msg);
    let failed = get_json(&client, &format!("{url}/v1/runs?status=failed")).await;
    assert_eq!(failed["runs"][0]["id"], parked.as_str(), "{failed}");
    assert_eq!(failed["runs"][0]["error"]["code"], "unreadable_state");
    // Repair is refused with the same reason; the token still works later.
    let (status, body) = post(&client, &format!("{url}/v1/runs/{parked}/retry"), json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (503, json!("unreadable_state"))
    );
    // The node goes on with the other runs.
    let (status, body) = post(
        &client,
        &format!("{url}/v1/callbacks/{other_token}"),
        json!({"value": "yes"}),
    )
    .await;
    assert!((200..300).contains(&status), "{body}");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let run = get_json(&client, &format!("{url}/v1/runs/{other}")).await;
        if run["status"] == "completed" {
            assert_eq!(run["result"], json!({"approved": "yes"}));
            break;
        }
        assert!(Instant::now() < deadline, "{run}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop(Duration::from_secs(20));

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
    let server = Server::start(&client, support::serve_args(&data, None)).await;
    let url = server.url.clone();
    let run = get_json(&client, &format!("{url}/v1/runs/{parked}")).await;
    assert_eq!(run["status"], "waiting", "{run}");
    assert!(run.get("error").is_none(), "{run}");
    let (status, body) = post(
        &client,
        &format!("{url}/v1/callbacks/{token}"),
        json!({"value": "late but fine"}),
    )
    .await;
    assert!((200..300).contains(&status), "{body}");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let run = get_json(&client, &format!("{url}/v1/runs/{parked}")).await;
        if run["status"] == "completed" {
            assert_eq!(run["result"], json!({"approved": "late but fine"}));
            break;
        }
        assert!(Instant::now() < deadline, "{run}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
}

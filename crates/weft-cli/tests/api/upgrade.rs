//! Live upgrades over HTTP: `POST /v1/runs/{id}/upgrade` (a dry run, a
//! move, a refusal with its reasons) and `POST /v1/runs/upgrade` for a
//! flow's runs, on RegisterUser (examples/00) waiting for its e-mail.

use serde_json::{json, Value};

use super::*;

const REGISTER_USER: &str =
    include_str!("../../../../examples/00-register-user/register-user.weft");

/// `text` with `from` replaced by `to` (once).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}`");
    text.replacen(from, to, 1)
}

/// Version 1, and a run of it waiting for the activation e-mail.
async fn waiting_run(api: &Api, nick: &str) -> String {
    let id = api
        .start_id(
            "RegisterUser",
            json!({"nick": nick, "email": format!("{nick}@x")}),
        )
        .await;
    let t = api.poll_one("ReserveNick").await;
    api.complete(&t, json!({"status": "ok", "nick": nick, "ID": 7}))
        .await;
    let t = api.poll_one("SendActivationEmail").await;
    api.complete(&t, json!(null)).await;
    api.wait_until(&id, "wait for its callback", |r| {
        r["waitingFor"][0]["callback"] == true
    })
    .await;
    id
}

fn step_after() -> String {
    let create = "    account = CreateAccount({";
    edit(
        REGISTER_USER,
        create,
        &format!("    SendWelcome(input.email)\n{create}"),
    )
}

fn step_before() -> String {
    let wait = "    let confirmed = await SendActivationEmail";
    edit(
        REGISTER_USER,
        wait,
        &format!("    CheckFraud(input.email)\n{wait}"),
    )
}

#[tokio::test]
async fn a_waiting_run_moves_to_a_version_with_a_step_after_its_wait() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    assert_eq!(api.deploy(REGISTER_USER).await["version"], 1);
    let id = waiting_run(&api, "ann").await;
    assert_eq!(api.deploy(&step_after()).await["version"], 2);

    // A dry run: the verdict, and nothing changes.
    let dry = api
        .action(&id, "upgrade", json!({"version": 2, "dryRun": true}))
        .await
        .ok(200);
    assert_eq!(dry["accepted"], true, "{dry}");
    assert_eq!(dry["upgraded"], false);
    assert_eq!(dry["dryRun"], true);
    assert_eq!(dry["from"], 1);
    assert_eq!(dry["to"], 2);
    assert_eq!(api.run(&id).await["version"], 1);

    let done = api
        .action(&id, "upgrade", json!({"version": 2, "by": "ann.ops"}))
        .await
        .ok(200);
    assert_eq!(done["upgraded"], true, "{done}");
    let frame = &done["moves"][0]["frames"][0];
    assert_eq!(frame["from"]["function"], "RegisterUser");
    assert!(frame["to"]["line"].as_u64().is_some(), "{frame}");
    assert!(
        frame["variables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["from"] == "reserved" && v["to"] == "reserved"),
        "{frame}"
    );
    let run = api.run(&id).await;
    assert_eq!(run["version"], 2);
    let upgraded: Vec<Value> = api
        .journal(&id)
        .await
        .into_iter()
        .filter(|e| e["type"] == "upgraded")
        .collect();
    assert_eq!(upgraded.len(), 1, "{upgraded:?}");
    assert_eq!(upgraded[0]["by"], "ann.ops");
    assert_eq!(upgraded[0]["from"], 1);
    assert_eq!(upgraded[0]["to"], 2);
    assert!(upgraded[0]["moved"][0]
        .as_str()
        .unwrap()
        .starts_with("fiber 0: RegisterUser"));

    // The e-mail is confirmed: the run goes on with version 2's new step.
    let token = run["waitingFor"][0]["token"].as_str().unwrap().to_string();
    api.callback(&token, json!({"status": "ok"})).await.ok(200);
    let t = api.poll_one("SendWelcome").await;
    api.complete(&t, json!(null)).await;
    let t = api.poll_one("CreateAccount").await;
    api.complete(&t, json!({"status": "ok", "id": 42})).await;
    let r = api.wait_for(&id, "completed").await;
    assert_eq!(r["result"], json!({"status": "ok", "id": 42}));
}

#[tokio::test]
async fn a_step_added_before_the_wait_refuses_with_the_reason() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    api.deploy(REGISTER_USER).await;
    let id = waiting_run(&api, "bob").await;
    api.deploy(&step_before()).await;

    let dry = api
        .action(&id, "upgrade", json!({"version": 2, "dryRun": true}))
        .await
        .ok(200);
    assert_eq!(dry["accepted"], false, "{dry}");
    let reason = dry["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("`CheckFraud(input.email)`) is a new step before the wait"),
        "{reason}"
    );
    let resp = api.action(&id, "upgrade", json!({"version": 2})).await;
    let message = resp.error(409, "upgrade_refused");
    assert!(
        message.contains("cannot move from version 1 to 2"),
        "{message}"
    );
    assert_eq!(resp.json()["error"]["reasons"][0], reason);
    assert_eq!(api.run(&id).await["version"], 1);
    assert!(api
        .journal(&id)
        .await
        .iter()
        .all(|e| e["type"] != "upgraded"));
}

#[tokio::test]
async fn a_flow_wide_upgrade_reports_each_run() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    api.deploy(REGISTER_USER).await;
    let waiting = waiting_run(&api, "cat").await;
    // Still reserving its nick: the new step comes after where it stands.
    let early = api
        .start_id("RegisterUser", json!({"nick": "dan", "email": "dan@x"}))
        .await;
    api.deploy(&step_before()).await;

    let dry = api
        .post(
            "/v1/runs/upgrade",
            json!({"flow": "RegisterUser", "version": 2, "dryRun": true}),
        )
        .await
        .ok(200);
    assert_eq!(dry["upgraded"], 0, "{dry}");
    assert_eq!(dry["refused"], 1, "{dry}");
    let report = api
        .post(
            "/v1/runs/upgrade",
            json!({"flow": "RegisterUser", "version": 2}),
        )
        .await
        .ok(200);
    assert_eq!(report["more"], false);
    let verdict = |id: &str| {
        report["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["runId"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no verdict for {id}: {report}"))
    };
    assert_eq!(verdict(&waiting)["upgraded"], false);
    assert_eq!(verdict(&early)["upgraded"], true, "{report}");
    assert_eq!(api.run(&early).await["version"], 2);
    assert_eq!(api.run(&waiting).await["version"], 1);
}

#[tokio::test]
async fn upgrade_requests_are_checked() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    api.deploy(REGISTER_USER).await;
    let id = waiting_run(&api, "eve").await;
    api.action(&id, "upgrade", json!({"version": 9}))
        .await
        .error(404, "unknown_version");
    api.action(NO_RUN, "upgrade", json!({"version": 1}))
        .await
        .error(404, "unknown_run");
    for body in [
        json!({}),
        json!({"version": "2"}),
        json!({"version": 1, "x": 1}),
        json!({"version": 1, "by": ""}),
        json!({"version": 1, "by": "x".repeat(201)}),
    ] {
        api.action(&id, "upgrade", body)
            .await
            .error(422, "invalid_body");
    }
    // The same version: refused, with why.
    let same = api
        .action(&id, "upgrade", json!({"version": 1, "dryRun": true}))
        .await
        .ok(200);
    assert_eq!(same["accepted"], false);
    assert!(same["reasons"][0]
        .as_str()
        .unwrap()
        .contains("on version 1 already"));
    api.post(
        "/v1/runs/upgrade",
        json!({"flow": "RegisterUser", "version": 7}),
    )
    .await
    .error(404, "unknown_version");
    api.deploy("flow Other() {\n    return 1\n}\n").await;
    api.post(
        "/v1/runs/upgrade",
        json!({"flow": "RegisterUser", "version": 2}),
    )
    .await
    .error(404, "unknown_version");
}

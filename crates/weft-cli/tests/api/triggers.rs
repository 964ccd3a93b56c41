//! What the triggers page reads: `GET /v1/triggers` with what each trigger
//! did, `GET /v1/events/{id}`, and `startedBy` of `GET /v1/runs/{id}`, the
//! event or schedule that started a run (a key that only looks like one of
//! theirs names nothing).

use serde_json::{json, Value};

use super::*;

/// A flow started by a trigger, and a schedule (hourly: it does not fire
/// during the test on its own).
const PROGRAM: &str = r#"flow Take(event) {
    return event.data
}

flow Tick(x) {
    return x
}

sdk.TaskQueue({
    type: ["created"],
    where: "question",
    run: "Take",
})

sdk.Schedule({
    name: "hourly",
    every: 1h,
    run: "Tick",
})
"#;

/// `weft runs show ID` (and with `--json`) on the data directory of a
/// stopped server: (its text, its JSON).
fn runs_show(dir: &TempDir, id: &str) -> (String, Value) {
    let data = dir.path().join("data");
    let show = |json: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_weft"));
        c.args(["runs", "show", id, "--data"]).arg(&data);
        if json {
            c.arg("--json");
        }
        let o = c.output().expect("weft starts");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    (show(false), serde_json::from_str(&show(true)).unwrap())
}

fn event(id: &str, kind: &str) -> Value {
    json!({"id": id, "type": kind, "subject": "question", "data": {"key": id}})
}

#[tokio::test]
async fn triggers_count_their_runs_and_a_run_names_the_event_that_started_it() {
    let dir = TempDir::new("api");
    let (mut s, api) = server(&dir).await;
    api.deploy(PROGRAM).await;
    let none = api.get("/v1/triggers").await.ok(200);
    assert_eq!(none["triggers"][0]["runsStarted"], 0, "{none}");
    assert_eq!(none["triggers"][0]["lastEvent"], Value::Null, "{none}");
    let r = api
        .post(
            "/v1/events",
            json!({"events": [event("e1", "created"), event("e2", "updated"), event("q/3", "created")]}),
        )
        .await
        .ok(200);
    assert_eq!(r, json!({"accepted": 3, "duplicates": 0}));

    let list = api.get("/v1/triggers").await.ok(200);
    assert_eq!(list["eventsScanned"], 3, "{list}");
    assert_eq!(list["countsComplete"], true, "{list}");
    let t = &list["triggers"][0];
    assert_eq!(t["name"], "Take", "{list}");
    assert_eq!(t["types"], json!(["created"]));
    assert_eq!(t["subject"], "question");
    assert_eq!(t["runsStarted"], 2, "{t}");
    assert_eq!(t["startsFailed"], 0, "{t}");
    assert_eq!(t["lastError"], Value::Null, "{t}");
    assert_eq!(t["lastEvent"]["id"], "q/3", "{t}");
    let run_id = t["lastEvent"]["runId"].as_str().unwrap().to_string();

    // The event, by an id with a slash in it.
    let e = api.get("/v1/events/q%2F3").await.ok(200);
    assert_eq!(e["id"], "q/3");
    assert_eq!(e["starts"][0]["trigger"], "Take");
    assert_eq!(e["starts"][0]["runId"], run_id.as_str());
    let msg = api.get("/v1/events/nope").await.error(404, "unknown_event");
    assert!(msg.contains("nope"), "{msg}");

    // An event the flow cannot take as input (nested deeper than a value
    // may be) is taken, and its trigger's failed start counted.
    let mut deep = json!(1);
    for _ in 0..70 {
        deep = json!([deep]);
    }
    api.post(
        "/v1/events",
        json!({"events": [{"id": "deep", "type": "created", "subject": "question", "data": deep}]}),
    )
    .await
    .ok(200);
    let list = api.get("/v1/triggers").await.ok(200);
    let t = &list["triggers"][0];
    assert_eq!(
        (t["runsStarted"].as_u64(), t["startsFailed"].as_u64()),
        (Some(2), Some(1)),
        "{t}"
    );
    assert_eq!(t["lastEvent"]["id"], "deep", "{t}");
    assert_eq!(t["lastError"]["eventId"], "deep", "{t}");
    let why = t["lastError"]["message"].as_str().unwrap();
    assert!(why.contains("VALUE_DEPTH_MAX"), "{why}");

    let run = api.run(&run_id).await;
    assert_eq!(
        run["startedBy"],
        json!({
            "kind": "event",
            "trigger": "Take",
            "event": {"id": "q/3", "type": "created", "subject": "question", "source": null, "receivedAt": e["receivedAt"]},
        }),
        "{run}"
    );
    // Lists do not read what started each run.
    let listed = api.list_all_runs("&flow=Take").await;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|r| r.get("startedBy").is_none()));

    // A client's key that looks like a trigger's names no event: e2
    // started nothing, and no event `zz` was taken.
    for key in [
        "event:Take:e2",
        "event:Take:zz",
        "schedule:hourly:5",
        "event:",
    ] {
        let r = api
            .post(
                "/v1/runs",
                json!({"flow": "Take", "input": {"data": 1}, "idempotencyKey": key}),
            )
            .await
            .ok(201);
        let got = api.run(&id_of(&r)).await;
        assert!(got.get("startedBy").is_none(), "{key}: {got}");
    }
    let plain = api.start_id("Tick", json!(1)).await;
    assert!(api.run(&plain).await.get("startedBy").is_none());

    s.terminate();
    let (text, v) = runs_show(&dir, &run_id);
    assert!(
        text.contains("\nby       event q/3 (type created, subject question) via trigger Take\n"),
        "{text}"
    );
    assert_eq!(v["startedBy"], run["startedBy"]);
    let (text, v) = runs_show(&dir, &plain);
    assert!(!text.contains("\nby "), "{text}");
    assert!(v.get("startedBy").is_none());
}

#[tokio::test]
async fn a_run_a_schedule_started_names_the_schedule_and_its_fire() {
    let dir = TempDir::new("api");
    let (mut s, api) = server(&dir).await;
    api.deploy(PROGRAM).await;
    let paused = api
        .send(
            api.request("POST", "/v1/schedules/hourly/pause")
                .header("X-Weft-Actor", "ann@ops")
                .json(&json!({})),
        )
        .await
        .ok(200);
    assert_eq!(paused["paused"], true, "{paused}");
    let fired = api
        .post("/v1/schedules/hourly/trigger", json!({}))
        .await
        .ok(200);
    assert_eq!(fired["fires"], 1, "{fired}");
    let run_id = fired["lastRunId"].as_str().expect("a run").to_string();
    let run = api.run(&run_id).await;
    assert_eq!(
        run["startedBy"],
        json!({"kind": "schedule", "schedule": "hourly", "fire": "now", "fireAt": fired["lastFireAt"]}),
        "{run}"
    );
    let list = api.get("/v1/schedules").await.ok(200);
    assert_eq!(list["schedules"][0]["paused"], true, "{list}");
    assert_eq!(list["schedules"][0]["lastRunId"], run_id.as_str());
    api.post("/v1/schedules/nope/trigger", json!({}))
        .await
        .error(404, "unknown_schedule");
    // Both actions are in the audit log, newest first, with who and what;
    // the fire names its run (the unknown schedule's is not recorded).
    let log = api.get("/v1/audit").await.ok(200);
    let actions = log["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2, "{log}");
    assert_eq!(actions[0]["action"], "schedule-trigger");
    assert_eq!(actions[0]["actor"], "api");
    assert_eq!(actions[0]["detail"], json!({"schedule": "hourly"}));
    assert_eq!(
        (&actions[0]["matched"], &actions[0]["applied"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(actions[1]["action"], "schedule-pause");
    assert_eq!(actions[1]["actor"], "ann@ops");
    assert_eq!(actions[1]["applied"], 0);
    let on_run = api.get(&format!("/v1/audit?run={run_id}")).await.ok(200);
    assert_eq!(
        on_run["actions"][0]["action"], "schedule-trigger",
        "{on_run}"
    );

    s.terminate();
    let (text, _) = runs_show(&dir, &run_id);
    assert!(
        text.contains("\nby       schedule hourly, triggered now at 20"),
        "{text}"
    );
}

/// Longest wait for the demo's first question to start a moderation run
/// (it asks one at start, then every `QUESTION_EVERY`).
const DEMO_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

#[tokio::test]
async fn a_fresh_demo_shows_a_schedule_and_a_trigger_that_started_a_run() {
    let dir = TempDir::new("api");
    let s = Server::start(Launch::data(dir.path()).demo()).await;
    let api = s.api();
    let deadline = std::time::Instant::now() + DEMO_PATIENCE;
    let run_id = loop {
        let list = api.get("/v1/triggers").await.ok(200);
        let t = list["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "AutomaticModeration")
            .cloned();
        if let Some(id) = t.as_ref().and_then(|t| t["lastEvent"]["runId"].as_str()) {
            break id.to_string();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no moderation run within {DEMO_PATIENCE:?}: {list}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let run = api.run(&run_id).await;
    assert_eq!(run["startedBy"]["kind"], "event", "{run}");
    assert_eq!(run["startedBy"]["event"]["subject"], "question", "{run}");
    // The demo answers the moderation's activities from its scenario.
    api.wait_for(&run_id, "completed").await;
    let schedules = api.get("/v1/schedules").await.ok(200);
    let heartbeat = schedules["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "demo-heartbeat")
        .unwrap_or_else(|| panic!("the demo's schedule: {schedules}"));
    assert_eq!(
        heartbeat["spec"]["when"]["every"]["ms"], 60_000,
        "{heartbeat}"
    );
    assert_eq!(heartbeat["paused"], false);
    assert!(heartbeat["nextAt"].is_i64(), "{heartbeat}");
}

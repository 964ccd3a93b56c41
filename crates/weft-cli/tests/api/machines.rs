//! Machines: commands sent over HTTP and answered once applied, refusals,
//! idempotent command ids, an instance, its history and its commands,
//! queries with `where`, a handler that waits, and the errors.

use serde_json::{json, Value};

use super::*;

const COUNTER: &str = r#"
machine Counter {
    state { total: number = 0, big: bool = false }
    command Add(input: {n: number}) {
        return {total: state.total + input.n, big: state.total + input.n > 100}
    }
    command Sub(input: {n: number}) {
        if state.total < input.n {
            fail({code: "too-low", message: "the total would go below zero"})
        }
        return {total: state.total - input.n, big: state.total - input.n > 100}
    }
    command Approved(input: {n: number}) {
        answer = await Approve(input.n) @timeout(1h)
        if answer.ok != true {
            fail("not approved")
        }
        return {total: state.total + input.n, big: state.total + input.n > 100}
    }
}

flow Noop(x) {
    return x
}
"#;

async fn counter(dir: &TempDir) -> (Server, Api) {
    let (s, api) = server(dir).await;
    let d = api.deploy(COUNTER).await;
    assert_eq!(d["machines"], json!(["Counter"]), "{d}");
    assert_eq!(d["flows"], json!(["Noop"]), "{d}");
    (s, api)
}

async fn add(api: &Api, key: &str, n: i64, id: Option<&str>) -> crate::support::Resp {
    let mut body = json!({"input": {"n": n}});
    if let Some(id) = id {
        body["commandId"] = json!(id);
    }
    api.post(&format!("/v1/machines/Counter/{key}/Add"), body)
        .await
}

#[tokio::test]
async fn a_command_is_answered_with_the_state_it_made_and_counts_once() {
    let dir = TempDir::new("api");
    let (_s, api) = counter(&dir).await;
    let a = add(&api, "k", 5, Some("first")).await.ok(200);
    assert_eq!(
        a,
        json!({"key": "k", "state": {"total": 5, "big": false}, "version": 1, "commandId": "first", "seq": 1})
    );
    let b = add(&api, "k", 200, None).await.ok(200);
    assert_eq!(
        (b["state"]["total"].clone(), b["version"].clone()),
        (json!(205), json!(2))
    );
    // The same command id again: the first answer, nothing changes.
    let again = add(&api, "k", 1_000, Some("first")).await.ok(200);
    assert_eq!(again, a);
    let i = api.get("/v1/machines/Counter/k").await.ok(200);
    assert_eq!(i["state"], json!({"total": 205, "big": true}));
    assert_eq!(i["version"], 2);
    assert_time(&i["createdAt"]);
    // The history: every version with the command that made it.
    let h = api.get("/v1/machines/Counter/k/history").await.ok(200);
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{h}");
    assert_eq!(items[0]["commandId"], "first");
    assert_eq!(items[0]["version"], 1);
    assert_eq!(items[0]["input"], json!({"n": 5}));
    assert_eq!(items[1]["state"], json!({"total": 205, "big": true}));
    assert_eq!(h["next"], Value::Null);
    let page = api
        .get("/v1/machines/Counter/k/history?limit=1")
        .await
        .ok(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["next"], "1");
    let rest = api
        .get("/v1/machines/Counter/k/history?after=1")
        .await
        .ok(200);
    assert_eq!(rest["items"][0]["seq"], 2);
    // Each command ran as a run of its handler.
    let c = api
        .get("/v1/machines/Counter/k/commands/first")
        .await
        .ok(200);
    assert_eq!(c["status"], "applied");
    let run = api.run(c["runId"].as_str().unwrap()).await;
    assert_eq!(run["flow"], "Counter.Add");
    assert_eq!(run["status"], "completed");
    // A body is optional, and so is the input of a command that takes none.
    let m = api.get("/v1/machines").await.ok(200);
    assert_eq!(m["machines"][0]["name"], "Counter");
    assert_eq!(
        m["machines"][0]["commands"],
        json!(["Add", "Sub", "Approved"])
    );
    // Machines are not flows.
    let flows = api.flows().await;
    assert!(
        flows.iter().all(|f| f["name"] != "machine:Counter"),
        "{flows:?}"
    );
}

#[tokio::test]
async fn a_refused_command_is_a_409_with_the_handlers_reason() {
    let dir = TempDir::new("api");
    let (_s, api) = counter(&dir).await;
    add(&api, "k", 1, None).await.ok(200);
    let r = api
        .post(
            "/v1/machines/Counter/k/Sub",
            json!({"input": {"n": 5}, "commandId": "s"}),
        )
        .await;
    let msg = r.error(409, "command_refused");
    assert_eq!(
        msg,
        "the command `Sub` was refused: the total would go below zero"
    );
    let body = r.json();
    assert_eq!(
        body["error"]["reason"],
        json!({"code": "too-low", "message": "the total would go below zero"})
    );
    // The state is unchanged; the refusal is in the history and answers
    // the same command id again.
    let i = api.get("/v1/machines/Counter/k").await.ok(200);
    assert_eq!(
        (i["state"]["total"].clone(), i["version"].clone()),
        (json!(1), json!(1))
    );
    api.post(
        "/v1/machines/Counter/k/Sub",
        json!({"input": {"n": 0}, "commandId": "s"}),
    )
    .await
    .error(409, "command_refused");
    let h = api.get("/v1/machines/Counter/k/history").await.ok(200);
    assert_eq!(h["items"][1]["status"], "refused");
}

#[tokio::test]
async fn unknown_names_and_bad_inputs_are_refused_before_anything_is_queued() {
    let dir = TempDir::new("api");
    let (_s, api) = counter(&dir).await;
    api.post("/v1/machines/Nope/k/Add", json!({"input": {"n": 1}}))
        .await
        .error(404, "unknown_machine");
    api.post("/v1/machines/Counter/k/Nope", json!({}))
        .await
        .error(404, "unknown_command");
    let msg = api
        .post("/v1/machines/Counter/k/Add", json!({"input": {"n": "one"}}))
        .await
        .error(422, "invalid_command");
    assert_eq!(
        msg,
        "the input of `Counter.Add` does not fit: input.n must be a number, not \"one\""
    );
    api.post(
        "/v1/machines/Counter/k/Add",
        json!({"input": {"n": 1, "m": 2}}),
    )
    .await
    .error(422, "invalid_command");
    api.post("/v1/machines/Counter/k/Add", json!({"inputs": {"n": 1}}))
        .await
        .error(422, "invalid_body");
    let long = "x".repeat(257);
    api.post(
        &format!("/v1/machines/Counter/{long}/Add"),
        json!({"input": {"n": 1}}),
    )
    .await
    .error(422, "invalid_command");
    api.get("/v1/machines/Counter/k")
        .await
        .error(404, "unknown_instance");
    api.get("/v1/machines/Nope/k")
        .await
        .error(404, "unknown_machine");
    api.get("/v1/machines/Counter/k/history")
        .await
        .error(404, "unknown_instance");
    api.get("/v1/machines/Counter/k/commands/x")
        .await
        .error(404, "unknown_command_id");
    api.get("/v1/machines/Nope")
        .await
        .error(404, "unknown_machine");
    let msg = api
        .get("/v1/machines/Counter?where=total%20%3E%201")
        .await
        .error(400, "bad_request");
    assert!(msg.contains("state.total"), "{msg}");
    api.get("/v1/machines/Counter?limit=0")
        .await
        .error(400, "bad_request");
}

#[tokio::test]
async fn queries_filter_with_where_and_page_by_key() {
    let dir = TempDir::new("api");
    let (_s, api) = counter(&dir).await;
    for i in 0..12 {
        add(&api, &format!("k{i:02}"), i * 20, None).await.ok(200);
    }
    let all = api.get("/v1/machines/Counter").await.ok(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 12);
    assert_eq!(all["next"], Value::Null);
    let q = |w: &str| format!("/v1/machines/Counter?where={}", urlencode(w));
    let big = api.get(&q("state.big")).await.ok(200);
    let keys: Vec<&str> = big["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["k06", "k07", "k08", "k09", "k10", "k11"]);
    let mid = api
        .get(&q(
            "state.total >= 60 && state.total < 120 && key != \"k04\"",
        ))
        .await
        .ok(200);
    let keys: Vec<&str> = mid["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["k03", "k05"]);
    // Pages of 5, by key.
    let p1 = api.get("/v1/machines/Counter?limit=5").await.ok(200);
    assert_eq!(p1["items"].as_array().unwrap().len(), 5);
    let next = p1["next"].as_str().unwrap().to_string();
    assert_eq!(next, "k04");
    let p2 = api
        .get(&format!("/v1/machines/Counter?limit=5&cursor={next}"))
        .await
        .ok(200);
    assert_eq!(p2["items"][0]["key"], "k05");
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_handler_that_waits_holds_the_instance_and_the_sender_gets_202() {
    let dir = TempDir::new("api");
    let (_s, api) = counter(&dir).await;
    let r = api
        .post(
            "/v1/machines/Counter/k/Approved",
            json!({"input": {"n": 7}, "commandId": "slow", "wait": "300ms"}),
        )
        .await
        .ok(202);
    assert_eq!(
        r,
        json!({"key": "k", "commandId": "slow", "status": "running"})
    );
    // Queued behind it.
    let r = api
        .post(
            "/v1/machines/Counter/k/Add",
            json!({"input": {"n": 1}, "commandId": "next", "wait": 100}),
        )
        .await
        .ok(202);
    assert_eq!(r["status"], "queued");
    // The approval arrives: both are applied, in order.
    let task = api.poll_one("Approve").await;
    api.complete(&task, Value::Null).await;
    let token = task["callbackToken"].as_str().unwrap();
    api.callback(token, json!({"ok": true})).await.ok(200);
    let done = add(&api, "k", 0, Some("next")).await.ok(200);
    assert_eq!(done["version"], 2);
    assert_eq!(done["state"]["total"], 8);
    let c = api
        .get("/v1/machines/Counter/k/commands/slow")
        .await
        .ok(200);
    assert_eq!(
        (c["status"].clone(), c["version"].clone()),
        (json!("applied"), json!(1))
    );
}

#[tokio::test]
async fn machines_survive_a_restart() {
    let dir = TempDir::new("api");
    let (mut s, api) = counter(&dir).await;
    add(&api, "k", 3, Some("a")).await.ok(200);
    drop(api);
    assert!(s.terminate().success());
    let s = Server::start(Launch::data(dir.path())).await;
    let api = s.api();
    assert_eq!(add(&api, "k", 3, Some("a")).await.ok(200)["version"], 1);
    assert_eq!(
        add(&api, "k", 4, Some("b")).await.ok(200)["state"]["total"],
        7
    );
}

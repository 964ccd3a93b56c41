//! An operator's repairs: retry and resolve of a failed run, cancel, and
//! what they answer for runs they do not apply to.

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_failed_task_is_retried_with_the_same_call_id_then_repaired_by_retry() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Charge", json!({"card": "4242"})).await;

    let t1 = api.poll_one("Pay").await;
    assert_eq!(t1["attempt"], 1);
    api.fail(&t1, "gateway busy", true).await;
    // @retry(1): a second attempt of the same call.
    let t2 = api.poll_one("Pay").await;
    assert_eq!(t2["callId"], t1["callId"]);
    assert_eq!(t2["attempt"], 2);
    assert_eq!(
        t2["taskId"],
        format!("{}.2", t1["callId"].as_str().unwrap())
    );
    // The first attempt's task is gone.
    api.try_complete(&t1, json!(1))
        .await
        .error(404, "unknown_task");

    // Not retryable: the run stops at the call, for an operator.
    api.fail(&t2, "card declined", false).await;
    let failed = api.wait_for(&id, "failed").await;
    assert_eq!(
        failed["error"]["message"],
        "Pay failed after 2 attempts: card declined"
    );
    let loc = &failed["error"]["location"];
    assert_eq!(loc["file"], "flows.weft");
    assert_eq!(loc["line"], line_of("r = Pay(x)"));
    assert_eq!(loc["sourceLine"], "r = Pay(x) @retry(1, backoff: 10ms)");
    assert!(loc["col"].as_u64().unwrap() >= 1, "{loc}");
    assert!(failed.get("result").is_none());
    // Nothing is handed out while it is failed.
    assert_eq!(api.poll_now("Pay").await, Vec::<Value>::new());

    // Retry: the same call goes out again.
    let retried = api.action(&id, "retry", json!({})).await.ok(200);
    assert_eq!(retried["id"], id.as_str());
    assert_eq!(retried["status"], "running", "{retried}");
    assert!(retried.get("error").is_none(), "{retried}");
    let t3 = api.poll_one("Pay").await;
    assert_eq!(t3["callId"], t1["callId"]);
    assert_eq!(t3["args"], json!([{"card": "4242"}]));
    assert_eq!(t3["attempt"], 3);
    api.complete(&t3, json!({"charged": true})).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"charged": true}));
}

#[tokio::test]
async fn resolve_gives_the_failed_call_a_value() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Charge", json!(1)).await;
    let t = api.poll_one("Pay").await;
    api.fail(&t, "no such card", false).await;
    let failed = api.wait_for(&id, "failed").await;
    assert_eq!(failed["error"]["message"], "Pay failed: no such card");

    // The body must be `{"value": ...}`.
    for body in [json!({}), json!({"value": 1, "x": 2})] {
        api.action(&id, "resolve", body)
            .await
            .error(422, "invalid_body");
    }
    let r = api
        .action(&id, "resolve", json!({"value": {"charged": "by hand"}}))
        .await
        .ok(200);
    assert_eq!(r["id"], id.as_str());
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"charged": "by hand"}));
    // An explicit null is a value too.
    let id2 = api.start_id("Charge", json!(2)).await;
    let t = api.poll_one("Pay").await;
    api.fail(&t, "nope", false).await;
    api.wait_for(&id2, "failed").await;
    api.action(&id2, "resolve", json!({"value": null}))
        .await
        .ok(200);
    let done = api.wait_for(&id2, "completed").await;
    assert_eq!(done["result"], Value::Null);
}

#[tokio::test]
async fn cancel_ends_a_run_and_withdraws_its_task() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Hold", json!(1)).await;
    let t = api.poll_one("Never").await;
    let r = api
        .action(&id, "cancel", json!({"reason": "no longer needed"}))
        .await
        .ok(200);
    assert_eq!(r["status"], "cancelled", "{r}");
    assert_eq!(api.run(&id).await["status"], "cancelled");
    // The worker's late answer finds no task.
    api.try_complete(&t, json!(1))
        .await
        .error(404, "unknown_task");
    assert_eq!(api.run(&id).await["status"], "cancelled");
    let journal = api.journal(&id).await;
    let last = journal.last().unwrap();
    assert_eq!(last["type"], "cancelled");
    assert_eq!(last["reason"], "no longer needed");

    // Without a body (the reason is optional).
    let id2 = api.start_id("Hold", json!(2)).await;
    let r = api
        .post_raw(&format!("/v1/runs/{id2}/cancel"), None, Vec::new())
        .await
        .ok(200);
    assert_eq!(r["status"], "cancelled");
    // A body that is not `{"reason": ...}`: 422, as on every other route
    // (issue 14; it was 400).
    let id3 = api.start_id("Hold", json!(3)).await;
    api.action(&id3, "cancel", json!({"why": "x"}))
        .await
        .error(422, "invalid_body");
    assert_eq!(api.run(&id3).await["status"], "running");
}

#[tokio::test]
async fn repair_of_a_run_that_is_not_failed_conflicts_and_unknown_runs_are_404() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let running = api.start_id("Hold", json!(1)).await;
    let done = id_of(&api.start_and_wait("Echo", json!(1)).await);
    // Nothing but cancel applies to a run that has not failed, and nothing
    // to one that has finished.
    for (id, action, body) in [
        (&running, "retry", json!({})),
        (&running, "resolve", json!({"value": 1})),
        (&done, "retry", json!({})),
        (&done, "resolve", json!({"value": 1})),
        (&done, "cancel", json!({})),
    ] {
        api.action(id, action, body)
            .await
            .error(409, "not_applicable");
    }
    assert_eq!(api.run(&running).await["status"], "running");
    assert_eq!(api.run(&done).await["status"], "completed");

    api.get(&format!("/v1/runs/{NO_RUN}"))
        .await
        .error(404, "unknown_run");
    api.get(&format!("/v1/runs/{NO_RUN}/journal"))
        .await
        .error(404, "unknown_run");
    for (action, body) in [
        ("retry", json!({})),
        ("cancel", json!({})),
        ("resolve", json!({"value": 1})),
    ] {
        api.action(NO_RUN, action, body)
            .await
            .error(404, "unknown_run");
    }
}

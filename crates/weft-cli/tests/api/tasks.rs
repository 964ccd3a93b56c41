//! The pull queue: a task leased, heartbeated and completed once; a task
//! whose lease ends handed out again.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_run_gets_its_task_polled_and_completed() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let run = api.start("Greet", json!("ann")).await;
    let id = id_of(&run);
    assert_eq!(id.len(), 26, "a ULID: {id}");
    assert_eq!(run["flow"], "Greet");
    assert_eq!(run["version"], 1);
    assert_eq!(run["status"], "running");
    assert_eq!(run["input"], "ann");
    assert!(run.get("result").is_none(), "{run}");
    assert_time(&run["createdAt"]);
    assert_time(&run["updatedAt"]);

    let task = api.poll_one("Hello").await;
    assert_eq!(
        keys(&task),
        BTreeSet::from(["taskId", "callId", "runId", "activity", "args", "attempt", "deadline"]),
        "{task}"
    );
    let call_id = task["callId"].as_str().unwrap();
    assert!(call_id.starts_with(&format!("{id}-")), "{task}");
    assert_eq!(task["taskId"], format!("{call_id}.1"));
    assert_eq!(task["runId"], id.as_str());
    assert_eq!(task["activity"], "Hello");
    assert_eq!(task["args"], json!(["ann"]));
    assert_eq!(task["attempt"], 1);
    assert_time(&task["deadline"]);
    // Leased: nobody else gets it.
    assert_eq!(api.poll_now("Hello").await, Vec::<Value>::new());
    // The lease can be extended.
    let hb = api
        .post(
            &format!("/v1/tasks/{}/heartbeat", task["taskId"].as_str().unwrap()),
            json!({}),
        )
        .await
        .ok(200);
    assert_time(&hb["deadline"]);

    api.complete(&task, json!("hi ann")).await;
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(
        keys(&done),
        BTreeSet::from([
            "id",
            "flow",
            "version",
            "status",
            "input",
            "result",
            "createdAt",
            "updatedAt"
        ]),
        "{done}"
    );
    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["flow"], "Greet");
    assert_eq!(done["version"], 1);
    assert_eq!(done["input"], "ann");
    assert_eq!(done["result"], json!({"greeting": "hi ann"}));
    assert_eq!(done["createdAt"], run["createdAt"]);
    assert!(done["updatedAt"].as_str() >= run["updatedAt"].as_str());

    // The task is answered: a second answer is refused.
    api.try_complete(&task, json!("again"))
        .await
        .error(404, "unknown_task");
    assert_eq!(api.run(&id).await["result"], json!({"greeting": "hi ann"}));
}

#[tokio::test]
async fn an_expired_lease_hands_the_task_out_again() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with(Launch::data(dir.path()).config("lease = \"300ms\"\n")).await;
    let id = api.start_id("Greet", json!("x")).await;
    let first = api.poll_one("Hello").await;
    // The worker dies: no heartbeat, no answer. The task comes back.
    let again = api.poll_one("Hello").await;
    assert_eq!(again["taskId"], first["taskId"]);
    assert_eq!(again["callId"], first["callId"]);
    // Either lease holder may answer; the first answer counts.
    api.complete(&first, json!("late but first")).await;
    api.try_complete(&again, json!("second"))
        .await
        .error(404, "unknown_task");
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"greeting": "late but first"}));
}

#[tokio::test]
async fn several_results_in_one_request_are_answered_in_order() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let mut ids = Vec::new();
    for name in ["ann", "bob", "cy"] {
        ids.push(api.start_id("Greet", json!(name)).await);
    }
    let mut tasks = Vec::new();
    for _ in 0..3 {
        tasks.push(api.poll_one("Hello").await);
    }
    let by_run = |id: &str| {
        tasks
            .iter()
            .find(|t| t["runId"] == id)
            .unwrap_or_else(|| panic!("a task of {id}: {tasks:?}"))["taskId"]
            .clone()
    };
    let (t0, t1, t2) = (by_run(&ids[0]), by_run(&ids[1]), by_run(&ids[2]));

    // A malformed result refuses the whole request: nothing is applied.
    let msg = api
        .post(
            "/v1/tasks/results",
            json!({"results": [
                {"taskId": t0, "value": "hi ann"},
                {"taskId": t1, "value": "hi bob", "error": "both"},
            ]}),
        )
        .await
        .error(422, "invalid_body");
    assert!(msg.contains("results[1]"), "{msg}");
    assert_eq!(api.run(&ids[0]).await["status"], "running");
    let msg = api
        .post("/v1/tasks/results", json!({"results": []}))
        .await
        .error(400, "bad_request");
    assert!(msg.contains("RESULTS_PER_REQUEST_MAX"), "{msg}");
    let many: Vec<Value> = (0..257)
        .map(|i| json!({"taskId": format!("x-{i}.1"), "value": i}))
        .collect();
    api.post("/v1/tasks/results", json!({"results": many}))
        .await
        .error(400, "bad_request");
    api.post("/v1/tasks/results", json!({"result": []}))
        .await
        .error(422, "invalid_body");

    // Results, a failure and an unknown task: each answered in its place.
    let v = api
        .post(
            "/v1/tasks/results",
            json!({"results": [
                {"taskId": t0, "value": "hi ann"},
                {"taskId": "01JZZZZZZZZZZZZZZZZZZZZZZZ-1.1", "value": "nobody's"},
                {"taskId": t2, "error": "no such person", "retryable": false},
                {"taskId": t1, "value": "hi bob"},
            ]}),
        )
        .await
        .ok(200);
    let answers = v["results"].as_array().expect("results");
    assert_eq!(answers.len(), 4, "{v}");
    assert_eq!(answers[0], json!({"taskId": t0, "status": "accepted"}));
    assert_eq!(answers[1]["status"], "rejected", "{v}");
    assert_eq!(answers[1]["error"]["code"], "unknown_task", "{v}");
    assert_eq!(answers[2], json!({"taskId": t2, "status": "accepted"}));
    assert_eq!(answers[3], json!({"taskId": t1, "status": "accepted"}));
    let done = api.wait_for(&ids[0], "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi ann"}));
    let done = api.wait_for(&ids[1], "completed").await;
    assert_eq!(done["result"], json!({"greeting": "hi bob"}));
    let failed = api.wait_for(&ids[2], "failed").await;
    assert!(
        failed["error"].to_string().contains("no such person"),
        "{failed}"
    );
    // Answered once: the same result again is rejected, not applied twice.
    let v = api
        .post(
            "/v1/tasks/results",
            json!({"results": [{"taskId": t0, "value": "again"}]}),
        )
        .await
        .ok(200);
    assert_eq!(v["results"][0]["error"]["code"], "unknown_task", "{v}");
    assert_eq!(
        api.run(&ids[0]).await["result"],
        json!({"greeting": "hi ann"})
    );
}

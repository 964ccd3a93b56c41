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

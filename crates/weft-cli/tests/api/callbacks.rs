//! Callbacks: a token resumes an awaited call once; an await past its
//! timeout refuses a late one.

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_callback_resumes_an_awaited_call_once() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Confirm", json!("ann@example.com")).await;
    let t = api.poll_one("SendEmail").await;
    let token = t["callbackToken"]
        .as_str()
        .expect("a callback token")
        .to_string();
    assert_eq!(t["args"], json!(["ann@example.com"]));
    // The task's answer only says the email went out: the run waits.
    api.complete(&t, json!({"sent": true})).await;
    let w = api.wait_for(&id, "waiting").await;
    let wait = &w["waitingFor"][0];
    assert_eq!(wait["kind"], "activity");
    assert_eq!(wait["activity"], "SendEmail");
    assert_eq!(wait["callback"], true);
    assert_eq!(wait["token"], token.as_str());
    assert_time(&wait["until"]);

    let r = api
        .callback(&token, json!({"status": "ok", "clicked": 1}))
        .await
        .ok(200);
    assert_eq!(r, json!({"status": "accepted"}));
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(done["result"], json!({"status": "ok", "clicked": 1}));

    // A token works once.
    api.callback(&token, json!(2))
        .await
        .error(409, "callback_completed");
    api.callback("0123456789abcdef0123456789abcdef", json!(2))
        .await
        .error(404, "unknown_token");
    assert_eq!(
        api.run(&id).await["result"],
        json!({"status": "ok", "clicked": 1})
    );
}

#[tokio::test]
async fn an_await_past_its_timeout_gives_the_timeout_value_and_refuses_a_late_callback() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Hurry", json!("x")).await;
    // The task is never answered: the timeout bounds the whole wait.
    let t = api.poll_one("Ping").await;
    let token = t["callbackToken"].as_str().unwrap().to_string();
    let done = api.wait_for(&id, "completed").await;
    assert_eq!(
        done["result"],
        json!({"status": "timeout", "type": "timeout"})
    );
    api.callback(&token, json!("late"))
        .await
        .error(409, "callback_completed");
    assert_eq!(
        api.run(&id).await["result"],
        json!({"status": "timeout", "type": "timeout"})
    );
}

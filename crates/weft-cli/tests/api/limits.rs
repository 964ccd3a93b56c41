//! Bad input and limits: malformed or mis-shaped bodies, paths that are
//! not UTF-8, unknown paths and methods, and the body and payload limits.
//! Each gets the API's JSON error and stores nothing.

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn malformed_json_is_invalid_json_even_after_an_unknown_field() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    // serde stops at the first problem it meets: here an unknown field,
    // before the end of the text shows it is not JSON at all.
    for (path, body) in [
        ("/v1/flows", "{\"flow\": "),
        ("/v1/runs", "{\"source\": \"x\", "),
        ("/v1/runs", "{\"flow\": \"Echo\", \"inputs\": 1"),
        ("/v1/runs", "[5"),
        ("/v1/tasks/poll", "{\"activity\": [}"),
        ("/v1/tasks/x.1/fail", "{\"error\": 5,"),
    ] {
        let r = api
            .post_raw(path, Some("application/json"), body.into())
            .await;
        r.error(400, "invalid_json");
    }
    assert_eq!(api.runs().await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_default_body_limit_refuses_two_mib_and_the_connection_stays_usable() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let big = format!(
        "{{\"flow\": \"Echo\", \"input\": \"{}\"}}",
        "x".repeat(2 << 20)
    );
    for _ in 0..3 {
        let r = api
            .post_raw(
                "/v1/runs",
                Some("application/json"),
                big.clone().into_bytes(),
            )
            .await;
        r.error(413, "payload_too_large");
        // The rest of the body was not read: the server says it closes.
        assert_eq!(r.header("connection"), Some("close"));
        // The same client (and its pool of connections) goes on working.
        assert_eq!(api.runs().await, Vec::<Value>::new());
    }
}

#[tokio::test]
async fn an_oversized_cancel_body_gets_a_json_413() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let id = api.start_id("Hold", json!(1)).await;
    let big = format!("{{\"reason\": \"{}\"}}", "x".repeat(2 << 20));
    api.post_raw(
        &format!("/v1/runs/{id}/cancel"),
        Some("application/json"),
        big.into_bytes(),
    )
    .await
    .error(413, "payload_too_large");
    assert_eq!(api.run(&id).await["status"], "running");
}

#[tokio::test]
async fn a_path_parameter_that_is_not_utf8_gets_a_json_400() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    for path in ["/v1/runs/%FF", "/v1/runs/%FF/journal", "/v1/flows/%FF%FE"] {
        api.get(path).await.error(400, "bad_request");
    }
    for (path, body) in [
        ("/v1/runs/%FF/retry", json!({})),
        ("/v1/callbacks/%C3%28", json!({"value": 1})),
        ("/v1/tasks/%FF.1/complete", json!({"value": 1})),
    ] {
        api.post(path, body).await.error(400, "bad_request");
    }
}

#[tokio::test]
async fn bad_requests_get_json_4xx_errors_and_store_nothing() {
    let dir = TempDir::new("api");
    let (_s, api) = server_with_flows(&dir).await;
    let json_ct = Some("application/json");

    // Malformed JSON, on every route that reads JSON.
    for path in [
        "/v1/flows",
        "/v1/runs",
        "/v1/tasks/poll",
        "/v1/tasks/x.1/complete",
        "/v1/tasks/x.1/fail",
        "/v1/callbacks/abc",
        "/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/resolve",
        "/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/cancel",
    ] {
        for body in ["{", "nul", "{\""] {
            let r = api.post_raw(path, json_ct, body.into()).await;
            r.error(400, "invalid_json");
        }
    }
    // An empty body; no Content-Type, or another one.
    let flow = serde_json::to_vec(&json!({"flow": "Echo"})).unwrap();
    for (path, content_type, body, status, code) in [
        ("/v1/runs", json_ct, Vec::new(), 400, "invalid_json"),
        ("/v1/flows", json_ct, Vec::new(), 400, "invalid_json"),
        (
            "/v1/runs",
            None,
            flow.clone(),
            415,
            "unsupported_media_type",
        ),
        (
            "/v1/runs",
            Some("text/plain"),
            flow,
            415,
            "unsupported_media_type",
        ),
        (
            "/v1/flows",
            None,
            b"{\"source\": \"\"}".to_vec(),
            415,
            "unsupported_media_type",
        ),
    ] {
        api.post_raw(path, content_type, body)
            .await
            .error(status, code);
    }
    // JSON of the wrong shape, or naming what does not exist, by the error
    // each gets.
    for (status, code, requests) in [
        (
            422,
            "invalid_body",
            vec![
                ("/v1/runs", json!({"flow": 5})),
                ("/v1/runs", json!({"flow": "Echo", "inputs": 1})),
                ("/v1/runs", json!({"input": 1})),
                ("/v1/runs", json!(["Echo"])),
                ("/v1/runs", json!("Echo")),
                ("/v1/runs", json!({"flow": "Echo", "idempotencyKey": 7})),
                ("/v1/flows", json!({"source": 5})),
                (
                    "/v1/flows",
                    json!({"source": "flow A(x) {}", "extra": true}),
                ),
                ("/v1/flows", json!({"files": [{"name": "a.weft"}]})),
                (
                    "/v1/flows",
                    json!({"files": [{"name": "a.weft", "text": "", "size": 1}]}),
                ),
                ("/v1/tasks/nope.1/complete", json!({"result": 1})),
                ("/v1/tasks/nope.1/fail", json!({"retryable": false})),
                ("/v1/tasks/poll", json!({"activities": "Hello"})),
                ("/v1/callbacks/abc", json!({"valu": 1})),
            ],
        ),
        (
            400,
            "bad_request",
            vec![
                ("/v1/flows", json!({})),
                ("/v1/flows", json!({"files": []})),
                (
                    "/v1/flows",
                    json!({"source": "flow A(x) {}", "files": [{"name": "a.weft", "text": ""}]}),
                ),
                (
                    "/v1/flows",
                    json!({"files": [{"name": "a.weft", "text": "flow A(x) {}"}, {"name": "a.weft", "text": "flow B(x) {}"}]}),
                ),
                (
                    "/v1/flows",
                    json!({"files": [{"name": "", "text": "flow A(x) {}"}]}),
                ),
                ("/v1/runs", json!({"flow": ""})),
                ("/v1/runs", json!({"flow": "Echo", "idempotencyKey": ""})),
                ("/v1/tasks/poll", json!({"activities": []})),
            ],
        ),
        (
            404,
            "unknown_flow",
            vec![("/v1/runs", json!({"flow": "Nope"}))],
        ),
        (
            404,
            "unknown_task",
            vec![
                (
                    "/v1/tasks/01JZZZZZZZZZZZZZZZZZZZZZZZ-1.1/complete",
                    json!({"value": 1}),
                ),
                ("/v1/tasks/nope.1/fail", json!({"error": "x"})),
                ("/v1/tasks/nope.1/heartbeat", json!({})),
            ],
        ),
    ] {
        for (path, body) in requests {
            api.post(path, body).await.error(status, code);
        }
    }
    // An oversized idempotency key.
    let long = "k".repeat(weft_server::api::IDEMPOTENCY_KEY_CHARS_MAX + 1);
    let msg = api
        .post("/v1/runs", json!({"flow": "Echo", "idempotencyKey": long}))
        .await
        .error(400, "bad_request");
    assert!(msg.contains("idempotencyKey"), "{msg}");
    // A `wait` that is not a duration.
    for wait in [
        json!("soon"),
        json!(""),
        json!(-5),
        json!(1.5),
        json!(true),
        json!({"s": 1}),
    ] {
        let msg = api
            .post("/v1/runs", json!({"flow": "Echo", "wait": wait}))
            .await
            .error(400, "bad_request");
        assert!(msg.contains("`wait`"), "{msg}");
    }
    // Task ids that are not `<call id>.<attempt>`.
    for id in ["nope", "nope.x", "nope.-1"] {
        api.post(&format!("/v1/tasks/{id}/complete"), json!({"value": 1}))
            .await
            .error(400, "bad_request");
        api.post(&format!("/v1/tasks/{id}/heartbeat"), json!({}))
            .await
            .error(400, "bad_request");
    }
    // Unknown paths and wrong methods. (`/` is the web UI.)
    for path in ["/v1", "/v2/runs", "/v1/runs/x/y/z", "/v1/openapi.yaml"] {
        api.get(path).await.error(404, "no_such_path");
    }
    for (method, path) in [
        ("DELETE", "/v1/runs"),
        ("PUT", "/v1/flows/Echo"),
        ("GET", "/v1/tasks/poll"),
        ("POST", "/healthz"),
    ] {
        api.send(api.request(method, path))
            .await
            .error(405, "method_not_allowed");
    }

    // Nothing was created by any of it.
    assert_eq!(api.runs().await, Vec::<Value>::new());
    assert_eq!(
        api.flows().await,
        vec![
            json!({"name": "Charge", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Confirm", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Echo", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Greet", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Hold", "latestVersion": 1, "versions": [1]}),
            json!({"name": "Hurry", "latestVersion": 1, "versions": [1]}),
        ]
    );
}

#[tokio::test]
async fn a_configured_body_limit_is_enforced() {
    let dir = TempDir::new("api");
    let (_s, api) =
        server_with(Launch::data(dir.path()).config("body_limit_bytes = 65536\n")).await;
    let input = "x".repeat(60_000);
    let r = api.start_and_wait("Echo", json!(input)).await;
    assert_eq!(r["result"], input.as_str());
    let input = "x".repeat(70_000);
    api.post("/v1/runs", json!({"flow": "Echo", "input": input}))
        .await
        .error(413, "payload_too_large");
    api.post(
        "/v1/flows",
        json!({"source": format!("// {input}\n{FLOWS}")}),
    )
    .await
    .error(413, "payload_too_large");
    assert_eq!(api.runs().await.len(), 1);
    assert_eq!(api.flows().await[0]["versions"], json!([1]));
}

#[tokio::test]
async fn payloads_over_one_mib_are_refused_even_under_a_larger_body_limit() {
    let dir = TempDir::new("api");
    let (_s, api) =
        server_with(Launch::data(dir.path()).config("body_limit_bytes = 4194304\n")).await;
    let input = "x".repeat(1_100_000);
    let msg = api
        .post("/v1/runs", json!({"flow": "Echo", "input": input}))
        .await
        .error(413, "payload_too_large");
    assert!(msg.contains("payload limit"), "{msg}");
    assert_eq!(api.runs().await, Vec::<Value>::new());

    // A worker's result over the limit is refused; the task stays open.
    let id = api.start_id("Greet", json!("x")).await;
    let t = api.poll_one("Hello").await;
    api.try_complete(&t, json!(input))
        .await
        .error(413, "payload_too_large");
    api.complete(&t, json!("small")).await;
    assert_eq!(
        api.wait_for(&id, "completed").await["result"],
        json!({"greeting": "small"})
    );
    // A callback's value, and a resolve's.
    let id = api.start_id("Confirm", json!("x")).await;
    let t = api.poll_one("SendEmail").await;
    let token = t["callbackToken"].as_str().unwrap();
    api.callback(token, json!(input))
        .await
        .error(413, "payload_too_large");
    api.callback(token, json!("ok")).await.ok(200);
    assert_eq!(api.wait_for(&id, "completed").await["result"], "ok");
    let id = api.start_id("Charge", json!(1)).await;
    let t = api.poll_one("Pay").await;
    api.fail(&t, "declined", false).await;
    api.wait_for(&id, "failed").await;
    api.action(&id, "resolve", json!({ "value": input }))
        .await
        .error(413, "payload_too_large");
    assert_eq!(api.run(&id).await["status"], "failed");
}

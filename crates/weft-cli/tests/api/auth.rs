//! Bearer-token auth: every `/v1` route needs the token when the server
//! has one (callbacks, health and metrics stay open), and a server that
//! listens beyond loopback refuses to start without one.

use std::process::Command;

use serde_json::{json, Value};

use super::*;

/// A route's path with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{name}", "Echo")
        .replace("{id}", NO_RUN)
        .replace("{token}", "0123456789abcdef0123456789abcdef")
        .replace("{taskId}", "nope.1")
}

/// `GET /v1/runs` with this `Authorization` header.
async fn runs_with_authorization(api: &Api, authorization: &str) -> Resp {
    api.send(
        api.request("GET", "/v1/runs")
            .header("authorization", authorization),
    )
    .await
}

#[tokio::test]
async fn with_a_token_every_v1_call_needs_it() {
    let dir = TempDir::new("api");
    let (s, api) = server_with(Launch::data(dir.path()).token(TOKEN)).await;
    assert!(s.log().contains("bearer token required"), "{}", s.log());
    let anonymous = s.anonymous();
    let wrong = anonymous.with_token("0123456789abcdef0123456789abcdeX");
    for (method, path) in weft_server::api::ROUTES {
        let path = concrete(path);
        for (who, client) in [("no token", &anonymous), ("a wrong token", &wrong)] {
            let req = client.request(method, &path);
            let req = if *method == "POST" {
                req.json(&json!({"value": 1}))
            } else {
                req
            };
            let r = client.send(req).await;
            let open = !path.starts_with("/v1/") || path.starts_with("/v1/callbacks/");
            if open {
                // Routed (not 404 no_such_path, not 405), and open.
                assert_ne!(r.status, 401, "{method} {path} with {who}: {}", r.text);
                assert_ne!(r.status, 405, "{method} {path}: {}", r.text);
                assert!(
                    !r.text.contains("no_such_path"),
                    "{method} {path}: {}",
                    r.text
                );
            } else {
                // The auth layer only answers for routes that exist.
                let msg = r.error(401, "unauthorized");
                assert_eq!(
                    r.header("www-authenticate"),
                    Some("Bearer realm=\"weft\""),
                    "{method} {path}"
                );
                let expected = if who == "no token" {
                    "Authorization"
                } else {
                    "wrong"
                };
                assert!(msg.contains(expected), "{method} {path} with {who}: {msg}");
            }
        }
    }
    // Other schemes and empty tokens are refused too.
    for authorization in [format!("Basic {TOKEN}"), "Bearer ".to_string()] {
        runs_with_authorization(&anonymous, &authorization)
            .await
            .error(401, "unauthorized");
    }
    // Nothing was started by the refused requests.
    assert_eq!(api.runs().await, Vec::<Value>::new());

    assert_eq!(
        anonymous.get("/healthz").await.ok(200),
        json!({"status": "ok"})
    );
    let m = anonymous.get("/metrics").await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains("# TYPE weft_runs gauge"), "{}", m.text);

    // A worker with the token; the callback comes from somewhere without.
    let id = api.start_id("Confirm", json!("x")).await;
    let t = api.poll_one("SendEmail").await;
    api.complete(&t, json!(null)).await;
    let token = t["callbackToken"].as_str().unwrap();
    anonymous.callback(token, json!("clicked")).await.ok(200);
    assert_eq!(api.wait_for(&id, "completed").await["result"], "clicked");
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let dir = TempDir::new("api");
    let s = Server::start(Launch::data(dir.path()).token(TOKEN)).await;
    let api = s.anonymous();
    // RFC 7235: the scheme is a case-insensitive token.
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let r = runs_with_authorization(&api, &format!("{scheme} {TOKEN}")).await;
        assert_eq!(r.status, 200, "{scheme}: {}", r.text);
    }
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let dir = TempDir::new("api");
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(Launch::data(dir.path()).listen("0.0.0.0:0").args())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without a token"),
        "{err}"
    );
    assert!(err.contains("--token-file"), "{err}");

    // A token file with a short token is refused too.
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(Launch::data(dir.path()).token("short").args())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at least 16"));
}

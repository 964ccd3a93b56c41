//! Deploys: one file or several as one program, check errors that refuse
//! a deploy, the flows and versions listed, and `weft deploy`.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn deploy_in_both_forms_then_list_and_get_flows() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    assert_eq!(api.flows().await, Vec::<Value>::new());

    // One file as `source`: an await without @timeout deploys with W0160.
    let ask_v1 = "flow Ask(q) {\n    a = await Question(q)\n    return a\n}\n";
    let d = api
        .post("/v1/flows", json!({"source": ask_v1, "name": "ask.weft"}))
        .await
        .ok(201);
    assert_eq!(d["version"], 1);
    assert_eq!(d["flows"], json!(["Ask"]));
    let warnings = d["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{d}");
    assert_eq!(warnings[0]["code"], "W0160");
    assert_eq!(warnings[0]["severity"], "warning");
    assert_eq!(warnings[0]["file"], "ask.weft");
    assert_eq!(warnings[0]["line"], 2);

    // Several files as one program: A calls B, defined in the other file.
    let d = api
        .post(
            "/v1/flows",
            json!({"files": [
                {"name": "a.weft", "text": "flow A(x) {\n    return B(x)\n}\n"},
                {"name": "b.weft", "text": "flow B(x) {\n    return x + 1\n}\n"},
            ]}),
        )
        .await
        .ok(201);
    assert_eq!(d["version"], 2);
    assert_eq!(d["flows"], json!(["A", "B"]));
    assert_eq!(d["warnings"], json!([]));
    let r = api.start_and_wait("A", json!(41)).await;
    assert_eq!(
        (r["status"].clone(), r["result"].clone()),
        (json!("completed"), json!(42))
    );
    assert_eq!(r["version"], 2);

    // A second version of Ask.
    let ask_v3 = "flow Ask(q) {\n    a = await Question(q) @timeout(1h)\n    return a\n}\n";
    let d = api
        .post("/v1/flows", json!({"source": ask_v3, "name": "ask.weft"}))
        .await
        .ok(201);
    assert_eq!(d["version"], 3);
    assert_eq!(d["warnings"], json!([]));

    assert_eq!(
        api.flows().await,
        vec![
            json!({"name": "A", "latestVersion": 2, "versions": [2]}),
            json!({"name": "Ask", "latestVersion": 3, "versions": [1, 3]}),
            json!({"name": "B", "latestVersion": 2, "versions": [2]}),
        ]
    );

    let f = api.get("/v1/flows/Ask").await.ok(200);
    assert_eq!(f["name"], "Ask");
    assert_eq!(f["latestVersion"], 3);
    assert_eq!(f["source"], ask_v3, "the newest source");
    let versions = f["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{f}");
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(
        versions[0]["files"],
        json!([{"name": "ask.weft", "text": ask_v1}])
    );
    assert_eq!(versions[0]["flows"], json!(["Ask"]));
    assert_time(&versions[0]["createdAt"]);
    assert_eq!(versions[1]["version"], 3);
    assert_eq!(
        versions[1]["files"],
        json!([{"name": "ask.weft", "text": ask_v3}])
    );

    // The source of a flow of a several-file deploy is its own file.
    let f = api.get("/v1/flows/B").await.ok(200);
    assert_eq!(f["source"], "flow B(x) {\n    return x + 1\n}\n");

    let msg = api.get("/v1/flows/Nope").await.error(404, "unknown_flow");
    assert!(msg.contains("Nope"), "{msg}");
}

#[tokio::test]
async fn a_deploy_with_check_errors_is_refused_with_diagnostics() {
    let dir = TempDir::new("api");
    let (_s, api) = server(&dir).await;
    let r = api
        .post(
            "/v1/flows",
            json!({"files": [
                {"name": "good.weft", "text": "flow Good(x) {\n    a = await Ask(x)\n    return a\n}\n"},
                {"name": "bad.weft", "text": "flow Bad(x) {\n    break\n}\n"},
            ]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let v = r.json();
    assert_eq!(v["error"]["code"], "check_failed");
    assert_eq!(
        v["error"]["message"],
        "the flows have 1 error(s); nothing was deployed"
    );
    let diags = v["error"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "the error, then the warning: {v}");
    assert_eq!(diags[0]["code"], "E0150");
    assert_eq!(diags[0]["severity"], "error");
    assert_eq!(diags[0]["file"], "bad.weft");
    assert_eq!(
        (diags[0]["line"].clone(), diags[0]["col"].clone()),
        (json!(2), json!(5))
    );
    assert!(diags[0]["rendered"]
        .as_str()
        .unwrap()
        .contains("bad.weft:2:5"));
    assert_eq!(diags[1]["code"], "W0160");
    assert_eq!(diags[1]["file"], "good.weft");

    // A syntax error too.
    let r = api
        .post("/v1/flows", json!({"source": "flow Broken( {\n"}))
        .await;
    r.error(422, "check_failed");
    let d = &r.json()["error"]["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "flows.weft");
    assert!(d["code"].as_str().unwrap().starts_with("E00"), "{d}");

    // Nothing was deployed.
    assert_eq!(api.flows().await, Vec::<Value>::new());
    api.get("/v1/flows/Good").await.error(404, "unknown_flow");
    api.post("/v1/runs", json!({"flow": "Good"}))
        .await
        .error(404, "unknown_flow");
}

#[tokio::test]
async fn weft_deploy_sends_files_to_the_server() {
    let dir = TempDir::new("api");
    let s = Server::start(Launch::data(dir.path()).token(TOKEN)).await;
    let a = dir.path().join("a.weft");
    let b = dir.path().join("b.weft");
    std::fs::write(&a, "flow A(x) {\n    return B(x)\n}\n").unwrap();
    std::fs::write(&b, "flow B(x) {\n    y = await Ask(x)\n    return y\n}\n").unwrap();
    let deploy = |files: &[&Path], token: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
        cmd.arg("deploy").args(files).args(["--url", &s.url]);
        if token {
            cmd.arg("--token-file").arg(dir.path().join("token"));
        }
        cmd.output().unwrap()
    };
    let o = deploy(&[&a, &b], true);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert_eq!(out, "deployed version 1: A, B\n");
    assert!(
        err.contains("warning[W0160]"),
        "the warning is shown: {err}"
    );
    assert!(err.contains("b.weft:2"), "{err}");
    // Without the token: refused.
    let o = deploy(&[&a, &b], false);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("401"));
    // With an error: refused with the checker's message, nothing deployed.
    std::fs::write(&b, "flow B(x) {\n    break\n}\n").unwrap();
    let o = deploy(&[&a, &b], true);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[E0150]"), "{err}");
    let flows = s.api().flows().await;
    assert_eq!(flows.len(), 2);
    assert_eq!(flows[0]["versions"], json!([1]));
}

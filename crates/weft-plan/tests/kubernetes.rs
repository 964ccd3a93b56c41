//! `weft plan export --kubernetes` on the example plan
//! (`examples/wasm/plan.toml`): the documents it writes, and their
//! validation against the schemas of the API versions they name
//! (`tests/kubernetes/validate.mjs`, with the schemas the npm packages
//! kubernetes-models and @kubernetes-models/keda ship). The validation
//! needs Node and `npm ci` in `tests/kubernetes` (`.ci/run` does it); it
//! skips without them unless CI=true.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> (weft_plan::Plan, weft_plan::Program) {
    let dir = repo().join("examples/wasm");
    let text = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
    let flow = std::fs::read_to_string(dir.join("quote-order.weft")).unwrap();
    let parsed = weft_syntax::parse(&flow);
    let program = weft_plan::Program::of(&[weft_check::SourceFile {
        name: "quote-order.weft",
        module: &parsed.module,
    }]);
    // The components need not be built for the export.
    let (plan, diags) = weft_plan::check_text(&text, Some(&program), &|_| true);
    assert!(diags.is_empty(), "{diags:?}");
    (plan, program)
}

fn documents() -> Vec<Value> {
    let (plan, program) = example();
    weft_plan::kube::export(&plan, &program)
        .into_iter()
        .flat_map(|e| e.documents)
        .collect()
}

#[test]
fn the_example_exports_a_deployment_and_a_scaled_object() {
    let docs = documents();
    let kinds: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| {
            (
                d["apiVersion"].as_str().unwrap(),
                d["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("apps/v1", "Deployment"),
            ("keda.sh/v1alpha1", "ScaledObject")
        ]
    );
    let (deployment, scaled) = (&docs[0], &docs[1]);
    assert_eq!(deployment["metadata"]["name"], "weft-notifier");
    assert_eq!(deployment["metadata"]["namespace"], "shop");
    let env = &deployment["spec"]["template"]["spec"]["containers"][0]["env"];
    assert!(env
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "WEFT_ACTIVITIES" && e["value"] == "NotifyCustomer"));
    assert_eq!(scaled["spec"]["scaleTargetRef"]["name"], "weft-notifier");
    assert_eq!(scaled["spec"]["minReplicaCount"], 0);
    assert_eq!(scaled["spec"]["maxReplicaCount"], 20);
    let triggers = scaled["spec"]["triggers"].as_array().unwrap();
    assert_eq!(triggers.len(), 2);
    assert_eq!(
        triggers[0]["metadata"]["query"],
        "sum(weft_activity_ready_tasks{activity=~\"NotifyCustomer\"})"
    );
    assert_eq!(triggers[0]["metadata"]["threshold"], "25");
    assert_eq!(
        triggers[1]["metadata"]["query"],
        "max(weft_activity_oldest_ready_seconds{activity=~\"NotifyCustomer\"})"
    );
    assert_eq!(triggers[1]["metadata"]["threshold"], "30");
    // The YAML stream holds the same documents.
    let (plan, program) = example();
    let yaml = weft_plan::kube::to_yaml(&weft_plan::kube::export(&plan, &program));
    assert_eq!(yaml.matches("---\n").count(), 2);
}

/// Runs validate.mjs on `docs`: (exit success, output).
fn validate(docs: &[Value]) -> Option<(bool, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kubernetes");
    let ready = dir.join("node_modules/kubernetes-models").is_dir()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "node or the schema packages are missing (npm ci in {}), and CI=true",
            dir.display()
        );
        return None;
    }
    let mut child = Command::new("node")
        .arg("validate.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(docs).unwrap().as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Some((
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

#[test]
fn the_exported_documents_fit_their_api_versions_schemas() {
    let docs = documents();
    let Some((ok, out)) = validate(&docs) else {
        return;
    };
    assert!(ok, "{out}");
    assert_eq!(out.matches("valid ").count(), 2, "{out}");
    // The check can fail: a ScaledObject without its target is refused.
    let mut broken = docs.clone();
    broken[1]["spec"]
        .as_object_mut()
        .unwrap()
        .remove("scaleTargetRef");
    broken[0]["spec"]["replicas"] = Value::from("two");
    let (ok, out) = validate(&broken).unwrap();
    assert!(!ok, "{out}");
    assert!(out.contains("scaleTargetRef"), "{out}");
    assert!(out.contains("replicas must be integer"), "{out}");
}

//! `weft plan export --kubernetes`: a `Deployment` (apps/v1) for each
//! worker group that activities are placed on, and a KEDA `ScaledObject`
//! (keda.sh/v1alpha1) that scales it on the server's `/metrics`, read
//! through Prometheus:
//!
//! - `ready_per_worker = N`: `sum(weft_activity_ready_tasks{activity=~"A|B"})`
//!   with threshold N (KEDA's `AverageValue`: workers = ready tasks / N);
//! - `oldest_ready = "30s"`: `max(weft_activity_oldest_ready_seconds{...})`
//!   with threshold 30 (one more worker while the oldest waits longer).
//!
//! Autoscaling is carried out by KEDA and Kubernetes, never by Weft.

use serde_json::{json, Value};

use crate::check::{resolve, Program};
use crate::model::{Plan, Target, WorkerGroup};

/// Prefix of every exported object's name.
pub const NAME_PREFIX: &str = "weft-";

/// How often KEDA asks Prometheus (seconds).
pub const POLLING_INTERVAL_S: u32 = 15;

/// How long KEDA waits after the last scaling signal before scaling down
/// (seconds).
pub const COOLDOWN_PERIOD_S: u32 = 120;

/// One exported group: its activities and its documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    /// The worker group.
    pub group: String,
    /// The activities placed on it that the program calls.
    pub activities: Vec<String>,
    /// The Deployment, then the ScaledObject when the group scales.
    pub documents: Vec<Value>,
}

/// The documents for every worker group the program's activities are
/// placed on, in the plan's order of groups.
pub fn export(plan: &Plan, program: &Program) -> Vec<Exported> {
    let resolved = resolve(plan, program);
    plan.workers
        .iter()
        .filter_map(|g| {
            let activities: Vec<String> = resolved
                .iter()
                .filter(|r| {
                    matches!(r.place, Some((_, p)) if matches!(&p.target, Target::Worker { group, .. } if *group == g.name))
                })
                .map(|r| r.activity.clone())
                .collect();
            if activities.is_empty() {
                return None;
            }
            let mut documents = vec![deployment(plan, g, &activities)];
            if g.min < g.max {
                documents.push(scaled_object(plan, g, &activities));
            }
            Some(Exported {
                group: g.name.clone(),
                activities,
                documents,
            })
        })
        .collect()
}

/// All documents as one YAML stream (`---` between documents).
pub fn to_yaml(exported: &[Exported]) -> String {
    let mut out = String::new();
    for e in exported {
        for d in &e.documents {
            out.push_str("---\n");
            out.push_str(&yaml_serde::to_string(d).unwrap_or_default());
        }
    }
    out
}

fn metadata(plan: &Plan, name: &str, labels: &Value) -> Value {
    let mut m = json!({ "name": name, "labels": labels });
    if let Some(ns) = &plan.kubernetes.namespace {
        m["namespace"] = json!(ns);
    }
    m
}

fn labels(g: &WorkerGroup) -> Value {
    json!({
        "app.kubernetes.io/name": format!("{NAME_PREFIX}{}", g.name),
        "app.kubernetes.io/component": "worker",
        "app.kubernetes.io/part-of": "weft",
    })
}

fn deployment(plan: &Plan, g: &WorkerGroup, activities: &[String]) -> Value {
    let name = format!("{NAME_PREFIX}{}", g.name);
    let labels = labels(g);
    let mut env = vec![
        json!({"name": "WEFT_URL", "value": plan.kubernetes.weft_url}),
        json!({"name": "WEFT_ACTIVITIES", "value": activities.join(",")}),
    ];
    for (k, v) in &g.env {
        env.push(json!({"name": k, "value": v}));
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(plan, &name, &labels),
        "spec": {
            // KEDA sets the count from here on; this is where it starts.
            "replicas": g.min.max(1).min(g.max),
            "selector": { "matchLabels": { "app.kubernetes.io/name": name } },
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "containers": [{
                        "name": "worker",
                        "image": g.image.clone().unwrap_or_else(|| format!("{name}:latest")),
                        "env": env,
                    }],
                },
            },
        },
    })
}

/// A Prometheus regular expression matching exactly these names.
fn names_regex(activities: &[String]) -> String {
    activities
        .iter()
        .map(|a| {
            a.chars()
                .flat_map(|c| {
                    let special = "\\.+*?()|[]{}^$".contains(c);
                    special
                        .then_some('\\')
                        .into_iter()
                        .chain(std::iter::once(c))
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn scaled_object(plan: &Plan, g: &WorkerGroup, activities: &[String]) -> Value {
    let name = format!("{NAME_PREFIX}{}", g.name);
    // The selector's regex sits inside a PromQL string: escape its
    // backslashes and quotes once more.
    let selector = format!(
        "activity=~\"{}\"",
        names_regex(activities)
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    );
    let mut triggers = Vec::new();
    if let Some(n) = g.ready_per_worker {
        triggers.push(json!({
            "type": "prometheus",
            "metricType": "AverageValue",
            "metadata": {
                "serverAddress": plan.kubernetes.prometheus,
                "query": format!("sum(weft_activity_ready_tasks{{{selector}}})"),
                "threshold": n.to_string(),
            },
        }));
    }
    if let Some(ms) = g.oldest_ready_ms {
        let seconds = (ms as f64 / 1000.0).max(0.001);
        triggers.push(json!({
            "type": "prometheus",
            "metricType": "Value",
            "metadata": {
                "serverAddress": plan.kubernetes.prometheus,
                "query": format!("max(weft_activity_oldest_ready_seconds{{{selector}}})"),
                "threshold": format!("{seconds}"),
            },
        }));
    }
    json!({
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": metadata(plan, &name, &labels(g)),
        "spec": {
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": name },
            "minReplicaCount": g.min,
            "maxReplicaCount": g.max,
            "pollingInterval": POLLING_INTERVAL_S,
            "cooldownPeriod": COOLDOWN_PERIOD_S,
            "triggers": triggers,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_escapes() {
        assert_eq!(names_regex(&["A".into(), "B_c".into()]), "A|B_c");
        assert_eq!(names_regex(&["a.b".into()]), "a\\.b");
    }
}

//! Push activities: configured endpoints (`[activities.NAME]` in the
//! configuration file) that the server sends each attempt to.

use std::collections::BTreeMap;

use serde_json::json;
use weft_engine::state::Task;
use weft_runtime::ResultSink;

use crate::config::PushBinding;
use crate::endpoint::{answer, attempt_timeout};

/// Push activities: each attempt is a POST of `{callId, runId, activity,
/// args, attempt, callbackToken?}` with `Idempotency-Key: <callId>`. A 2xx
/// answer's JSON body is the result; 4xx is a failure retrying cannot fix;
/// 5xx, a timeout or no answer is a failure worth retrying.
pub struct Push {
    client: reqwest::Client,
    pub(crate) bindings: BTreeMap<String, PushBinding>,
    rt: tokio::runtime::Handle,
    /// Where each attempt's outcome is reported (endpoint health).
    health: Option<std::sync::Arc<crate::workers::Workers>>,
}

impl Push {
    /// Push for these bindings, running requests on `rt`.
    pub fn new(bindings: BTreeMap<String, PushBinding>, rt: tokio::runtime::Handle) -> Push {
        Push {
            client: reqwest::Client::new(),
            bindings,
            rt,
            health: None,
        }
    }

    /// Reports each attempt's outcome to `workers`.
    pub fn with_health(mut self, workers: std::sync::Arc<crate::workers::Workers>) -> Push {
        self.health = Some(workers);
        self
    }

    /// True when `activity` is bound to an endpoint.
    pub fn handles(&self, activity: &str) -> bool {
        self.bindings.contains_key(activity)
    }

    /// Sends `task` to its endpoint (a task of an activity without one is
    /// dropped: ask [`Push::handles`] first).
    pub fn dispatch(&self, task: Task, sink: ResultSink) {
        let Some(b) = self.bindings.get(&task.activity).cloned() else {
            return;
        };
        self.dispatch_to(b, task, sink);
    }

    /// Sends `task` to the endpoint `b` (a plan's push placement).
    pub fn dispatch_to(&self, b: PushBinding, task: Task, sink: ResultSink) {
        let client = self.client.clone();
        let health = self.health.clone();
        self.rt.spawn(async move {
            let timeout = attempt_timeout(b.timeout, &task);
            let mut req = client
                .post(&b.url)
                .timeout(timeout)
                .header("Idempotency-Key", &task.call_id)
                .json(&json!({
                    "callId": task.call_id,
                    "runId": task.run_id,
                    "activity": task.activity,
                    "args": task.args,
                    "attempt": task.attempt,
                    "callbackToken": task.callback_token,
                }));
            for (k, v) in &b.headers {
                req = req.header(k, v);
            }
            let outcome = answer(&sink, &task, &b.url, timeout, req.send().await).await;
            if let Some(h) = health {
                let now = weft_runtime::runtime::now_ms();
                h.answered(&task.activity, &b.url, now, outcome);
            }
        });
    }
}

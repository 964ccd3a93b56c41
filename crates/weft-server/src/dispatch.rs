//! Where each activity call goes: an HTTP endpoint (push, configured), an
//! endpoint bound by `@http` in the program (`bindings.rs`), the demo's
//! scripted answers, or the pull queue for workers (the default).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use weft_engine::state::Task;
use weft_runtime::{Dispatcher, ResultSink};

use crate::config::PushBinding;
use crate::queue::Queue;

/// Shortest time a push attempt is given, even when its deadline is closer
/// (the engine's own attempt timer still bounds the attempt).
pub const PUSH_TIMEOUT_MIN: Duration = Duration::from_millis(100);

/// Bytes of an endpoint's error answer quoted in the failure message.
pub const ERROR_BODY_QUOTED_MAX: usize = 300;

/// Push activities: each attempt is a POST of `{callId, runId, activity,
/// args, attempt, callbackToken?}` with `Idempotency-Key: <callId>`. A 2xx
/// answer's JSON body is the result; 4xx is a failure retrying cannot fix;
/// 5xx, a timeout or no answer is a failure worth retrying.
pub struct Push {
    client: reqwest::Client,
    bindings: BTreeMap<String, PushBinding>,
    rt: tokio::runtime::Handle,
}

impl Push {
    /// Push for these bindings, running requests on `rt`.
    pub fn new(bindings: BTreeMap<String, PushBinding>, rt: tokio::runtime::Handle) -> Push {
        Push {
            client: reqwest::Client::new(),
            bindings,
            rt,
        }
    }

    /// True when `activity` is bound to an endpoint.
    pub fn handles(&self, activity: &str) -> bool {
        self.bindings.contains_key(activity)
    }

    fn dispatch(&self, task: Task, sink: ResultSink) {
        let Some(b) = self.bindings.get(&task.activity).cloned() else {
            return;
        };
        self.dispatch_to(b, task, sink);
    }

    /// Sends `task` to the endpoint `b` (a plan's push placement).
    pub fn dispatch_to(&self, b: PushBinding, task: Task, sink: ResultSink) {
        let client = self.client.clone();
        self.rt.spawn(async move {
            let mut timeout = b.timeout;
            if let Some(deadline) = task.deadline {
                let left = (deadline - weft_runtime::runtime::now_ms()).max(0) as u64;
                timeout = timeout
                    .min(Duration::from_millis(left))
                    .max(PUSH_TIMEOUT_MIN);
            }
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
            answer(&sink, &task, &b.url, timeout, req.send().await).await;
        });
    }
}

/// Reports an endpoint's answer to an attempt (push and HTTP bindings
/// alike): 2xx is the result, 4xx a failure retrying cannot fix (except
/// 408 and 429), 5xx, a timeout or no answer a failure worth retrying.
pub(crate) async fn answer(
    sink: &ResultSink,
    task: &Task,
    target: &str,
    timeout: Duration,
    sent: Result<reqwest::Response, reqwest::Error>,
) {
    match sent {
        Ok(resp) => {
            let status = resp.status();
            let body = resp.bytes().await.unwrap_or_default();
            if status.is_success() {
                match parse_result(&body) {
                    Ok(v) => sink.complete(task, v),
                    Err(e) => sink.fail(
                        task,
                        format!("{target} answered {status} with a body that is not JSON: {e}"),
                        true,
                    ),
                }
            } else {
                let quoted =
                    String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_QUOTED_MAX)])
                        .into_owned();
                let retryable =
                    !status.is_client_error() || status.as_u16() == 408 || status.as_u16() == 429;
                sink.fail(
                    task,
                    format!("{target} answered {status}: {}", quoted.trim()),
                    retryable,
                );
            }
        }
        Err(e) => {
            let why = if e.is_timeout() {
                format!("{target} did not answer within {timeout:?}")
            } else {
                format!("{target} could not be reached: {e}")
            };
            sink.fail(task, why, true);
        }
    }
}

/// An empty body is `null`; anything else must be JSON.
fn parse_result(body: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_slice(body)
}

/// The server's dispatcher.
pub struct Router {
    /// Push bindings (configured: they take precedence).
    pub push: Arc<Push>,
    /// `@http` bindings of the deployed programs.
    pub http: Arc<crate::bindings::Http>,
    /// The pull queue (every activity without another binding).
    pub queue: Arc<Queue>,
    /// The demo's scripted activities, in demo mode.
    pub demo: Option<Arc<dyn Dispatcher>>,
    /// The deployment plan's placements, and the limits of the calls the
    /// server makes itself.
    pub placements: Arc<crate::placement::Placements>,
    /// Where calls run.
    pub rt: tokio::runtime::Handle,
}

impl Router {
    /// Sends `task` to its `@http` binding under its limiter; gives it
    /// back when the activity has no binding.
    fn http(&self, task: Task, sink: ResultSink) -> Option<(Task, ResultSink)> {
        if self.http.bindings.get(&task.activity).is_none() {
            return Some((task, sink));
        }
        let http = self.http.clone();
        let limiter = self.placements.limiter(&task.activity);
        limiter.run(&self.rt, task, sink, move |task, sink| {
            if let Some((task, sink)) = http.dispatch(task, sink) {
                // The binding went away while the call waited.
                sink.fail(
                    &task,
                    format!("`{}` has no @http binding any more", task.activity),
                    true,
                );
            }
        });
        None
    }

    /// To the demo's answers, or the pull queue.
    fn queue(&self, task: Task, sink: ResultSink) {
        if let Some(d) = &self.demo {
            d.dispatch(task, sink);
        } else {
            self.queue.push(task, sink);
        }
    }
}

impl Dispatcher for Router {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        if self.push.handles(&task.activity) {
            let push = self.push.clone();
            self.placements
                .limiter(&task.activity)
                .run(&self.rt, task, sink, move |task, sink| {
                    push.dispatch(task, sink)
                });
            return;
        }
        let placed = self.placements.plan.as_ref().and_then(|p| {
            p.place(&task.activity)
                .map(|(i, place)| (i, place.target.clone()))
        });
        match placed {
            Some((i, weft_plan::Target::Wasm { .. })) => {
                self.placements.call_wasm(i, &self.rt, task, sink);
            }
            Some((i, weft_plan::Target::Push { url, headers })) => {
                let timeout = self
                    .placements
                    .plan
                    .as_ref()
                    .and_then(|p| p.plan.places[i].limits.or(&p.plan.defaults).timeout_ms)
                    .map_or(crate::config::PUSH_TIMEOUT_DEFAULT, |ms| {
                        std::time::Duration::from_millis(ms as u64)
                    });
                let binding = PushBinding {
                    url,
                    timeout,
                    headers,
                };
                let push = self.push.clone();
                self.placements.limiter(&task.activity).run(
                    &self.rt,
                    task,
                    sink,
                    move |task, sink| push.dispatch_to(binding, task, sink),
                );
            }
            Some((_, weft_plan::Target::Worker { .. })) => self.queue(task, sink),
            // `binding = "http"` or `"grpc"`, or no placement: the
            // program's own bindings, else the queue.
            _ => {
                if let Some((task, sink)) = self.http(task, sink) {
                    self.queue(task, sink);
                }
            }
        }
    }

    fn cancel(&self, call_id: &str) {
        self.queue.cancel(call_id);
        if let Some(d) = &self.demo {
            d.cancel(call_id);
        }
    }
}

/// The dispatcher of a cluster node: tasks stay in the shared store, where
/// workers (and the nodes' pushers) lease them.
pub struct InStore;

impl Dispatcher for InStore {
    fn dispatch(&self, _task: Task, _sink: ResultSink) {}
    fn cancel(&self, _call_id: &str) {}
}

/// Tasks a node's pusher leases at once.
pub const PUSH_LEASE_BATCH: usize = 32;

/// A cluster node's pusher: leases tasks of push-bound and `@http`-bound
/// activities from the store and sends them, so that a dead node's
/// requests pass to another node when their leases end. The `@http`
/// bindings are refreshed from the store's newest program versions on
/// each round, so a deploy on any node reaches every node.
pub async fn push_loop(
    store: Arc<dyn weft_store::ClusterStore>,
    push: Push,
    http: crate::bindings::Http,
    sink: ResultSink,
    node: String,
) {
    loop {
        let (s, bindings) = (store.clone(), http.bindings.clone());
        let store_dyn: Arc<dyn weft_store::Store> = s.clone();
        let refreshed =
            tokio::task::spawn_blocking(move || bindings.refresh(store_dyn.as_ref())).await;
        if let Ok(Err(e)) = refreshed {
            eprintln!("weft: reading @http bindings failed: {e}");
        }
        let mut activities: Vec<String> = push.bindings.keys().cloned().collect();
        let bound = http.bindings.names();
        // Long enough for the slowest endpoint to answer before another
        // node takes the task over.
        let lease_ms = push
            .bindings
            .values()
            .map(|b| b.timeout)
            .chain((!bound.is_empty()).then_some(crate::config::PUSH_TIMEOUT_DEFAULT))
            .max()
            .unwrap_or(crate::config::PUSH_TIMEOUT_DEFAULT)
            .as_millis() as i64
            + 5_000;
        activities.extend(bound);
        activities.sort();
        activities.dedup();
        if !activities.is_empty() {
            let (s, acts, n) = (store.clone(), activities, node.clone());
            let leased = tokio::task::spawn_blocking(move || {
                s.lease_tasks(
                    &n,
                    &acts,
                    &format!("pusher@{n}"),
                    PUSH_LEASE_BATCH,
                    weft_runtime::runtime::now_ms(),
                    lease_ms,
                )
            })
            .await;
            match leased {
                Ok(Ok(tasks)) if !tasks.is_empty() => {
                    for t in tasks {
                        if push.handles(&t.task.activity) {
                            push.dispatch(t.task, sink.clone());
                        } else if let Some((task, _)) = http.dispatch(t.task, sink.clone()) {
                            // The binding went away after the lease: the
                            // lease ends and a worker may take the task.
                            eprintln!("weft: {} has no binding any more", task.activity);
                        }
                    }
                    continue;
                }
                Ok(Err(e)) => eprintln!("weft: leasing push tasks failed: {e}"),
                _ => {}
            }
        }
        let s = store.clone();
        let _ =
            tokio::task::spawn_blocking(move || s.wait_for_work(Duration::from_millis(500))).await;
    }
}

//! Where each activity call goes: an HTTP endpoint (push, configured:
//! `push.rs`), the demo's scripted answers (for the demo's own runs), an
//! endpoint or gRPC method bound by `@http` or `@grpc` in the program
//! (`bindings.rs`), or the pull queue for workers (the default).

use std::sync::Arc;
use std::time::Duration;

use weft_engine::state::Task;
use weft_runtime::{Dispatcher, ResultSink};

use crate::bindings::Direct;
use crate::config::PushBinding;
use crate::push::Push;
use crate::queue::Queue;

/// The server's dispatcher.
pub struct Router {
    /// Push bindings (configured: they take precedence).
    pub push: Arc<Push>,
    /// `@http` and `@grpc` bindings of the deployed programs.
    pub http: Arc<Direct>,
    /// The pull queue (every activity without another binding).
    pub queue: Arc<Queue>,
    /// The demo's scripted activities, in demo mode.
    pub demo: Option<Arc<crate::demo::Activities>>,
    /// The deployment plan's placements, and the limits of the calls the
    /// server makes itself.
    pub placements: Arc<crate::placement::Placements>,
    /// Where calls run.
    pub rt: tokio::runtime::Handle,
}

impl Router {
    /// Sends `task` to its `@http` or `@grpc` binding under its limiter;
    /// gives it back when the activity has no binding.
    fn direct(&self, task: Task, sink: ResultSink) -> Option<(Task, ResultSink)> {
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
                    format!("`{}` has no binding any more", task.activity),
                    true,
                );
            }
        });
        None
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
        // The demo's runs get scripted answers even where the example
        // declares a binding (`examples/grpc`): its service is not running.
        if let Some(d) = self.demo.as_ref().filter(|d| d.scripts(&task.run_id)) {
            d.dispatch(task, sink);
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
                        Duration::from_millis(ms as u64)
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
            Some((_, weft_plan::Target::Worker { .. })) => self.queue.push(task, sink),
            // `binding = "http"` or `"grpc"` (the deploy checked that the
            // declaration has it), or no placement: the program's own
            // binding, else the queue.
            Some((_, weft_plan::Target::Binding(_))) | None => {
                if let Some((task, sink)) = self.direct(task, sink) {
                    self.queue.push(task, sink);
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

/// A cluster node's pusher: leases tasks of push-bound and `@http`- or
/// `@grpc`-bound activities from the store and sends them, so that a dead
/// node's requests pass to another node when their leases end. The
/// bindings are refreshed from the store's newest program versions on
/// each round, so a deploy on any node reaches every node.
pub async fn push_loop(
    store: Arc<dyn weft_store::ClusterStore>,
    push: Push,
    http: Direct,
    sink: ResultSink,
    node: String,
) {
    loop {
        let (s, bindings) = (store.clone(), http.bindings.clone());
        let store_dyn: Arc<dyn weft_store::Store> = s.clone();
        let refreshed =
            tokio::task::spawn_blocking(move || bindings.refresh(store_dyn.as_ref())).await;
        if let Ok(Err(e)) = refreshed {
            tracing::warn!(error = %e, "reading @http and @grpc bindings failed: {e}");
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
                            tracing::warn!(
                                activity = %task.activity,
                                "{} has no binding any more",
                                task.activity
                            );
                        }
                    }
                    continue;
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "leasing push tasks failed: {e}"),
                _ => {}
            }
        }
        let s = store.clone();
        let _ =
            tokio::task::spawn_blocking(move || s.wait_for_work(Duration::from_millis(500))).await;
    }
}

//! Where workers get tasks: the in-memory queue of a single node, or the
//! store shared by the nodes of a cluster (so a worker may poll any node,
//! and a dead node's tasks are leased by the others).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use weft_runtime::ResultSink;
use weft_store::ClusterStore;

use crate::queue::{
    long_poll, split_task_id, task_id, Depth, Leased, Queue, TaskError, POLL_TASKS_MAX,
};

/// Longest pause between two looks at the store while a poll waits (the
/// store's notifications usually end the pause sooner).
pub const SHARED_POLL_PAUSE: Duration = Duration::from_millis(250);

/// The pull queue of a cluster: tasks leased in the shared store.
pub struct SharedQueue {
    store: Arc<dyn ClusterStore>,
    /// The node serving the polls (its own runs' tasks may come first).
    node: String,
    sink: ResultSink,
    lease: Duration,
}

impl SharedQueue {
    /// Tasks of `store`, polled through `node`, whose results go to `sink`.
    pub fn new(
        store: Arc<dyn ClusterStore>,
        node: String,
        sink: ResultSink,
        lease: Duration,
    ) -> SharedQueue {
        SharedQueue {
            store,
            node,
            sink,
            lease,
        }
    }

    /// The shared store the tasks are in.
    pub fn store(&self) -> Arc<dyn ClusterStore> {
        self.store.clone()
    }

    async fn poll(&self, poll: &Poll<'_>) -> Vec<Leased> {
        let max = poll.max.clamp(1, POLL_TASKS_MAX);
        long_poll(poll.wait, || {
            let store = self.store.clone();
            let (node, acts, w, lease_ms) = (
                self.node.clone(),
                poll.activities.to_vec(),
                poll.worker.to_string(),
                self.lease.as_millis() as i64,
            );
            async move {
                let got = tokio::task::spawn_blocking({
                    let store = store.clone();
                    move || {
                        let now = weft_runtime::runtime::now_ms();
                        store.lease_tasks(&node, &acts, &w, max, now, lease_ms)
                    }
                })
                .await;
                let leased = match got {
                    Ok(Ok(tasks)) => tasks
                        .into_iter()
                        .map(|t| Leased {
                            task_id: task_id(&t.task),
                            lease_until_ms: t.lease_until,
                            task: t.task,
                        })
                        .collect(),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "leasing tasks failed: {e}");
                        Vec::new()
                    }
                    Err(_) => Vec::new(),
                };
                // The store's notifications usually end the pause sooner.
                let wake = move |left: Duration| async move {
                    let pause = left.min(SHARED_POLL_PAUSE);
                    let _ = tokio::task::spawn_blocking(move || store.wait_for_work(pause)).await;
                };
                (leased, wake)
            }
        })
        .await
    }

    /// The open task `id`, read off the async threads (a store call
    /// blocks for a round trip to the database).
    async fn task(&self, id: &str) -> Result<weft_engine::Task, TaskError> {
        let (call, attempt) = split_task_id(id)?;
        let (store, call) = (self.store.clone(), call.to_string());
        tokio::task::spawn_blocking(move || store.task(&call, attempt))
            .await
            .map_err(|e| TaskError::Store(e.to_string()))?
            .map_err(|e| TaskError::Store(e.to_string()))?
            .ok_or(TaskError::Unknown)
    }

    /// Extends the lease of task `id`, off the async threads.
    async fn heartbeat(&self, id: &str) -> Result<i64, TaskError> {
        let (call, attempt) = split_task_id(id)?;
        let (store, call) = (self.store.clone(), call.to_string());
        let lease_ms = self.lease.as_millis() as i64;
        tokio::task::spawn_blocking(move || {
            let now = weft_runtime::runtime::now_ms();
            store.heartbeat_task(&call, attempt, now, lease_ms)
        })
        .await
        .map_err(|e| TaskError::Store(e.to_string()))?
        .map_err(|e| TaskError::Store(e.to_string()))?
        .ok_or(TaskError::Unknown)
    }
}

/// What a worker's poll asks for.
pub struct Poll<'a> {
    /// The activities whose tasks it takes.
    pub activities: &'a [String],
    /// Who polls (shown in leases).
    pub worker: &'a str,
    /// Most tasks to lease (at most [`POLL_TASKS_MAX`]).
    pub max: usize,
    /// Longest time to wait for the first task (at most
    /// [`crate::queue::POLL_WAIT_MAX`]).
    pub wait: Duration,
}

/// The pull queue the API serves.
#[derive(Clone)]
pub enum Tasks {
    /// A single node's queue, in memory.
    Memory(Arc<Queue>),
    /// A cluster's queue, in the shared store.
    Shared(Arc<SharedQueue>),
}

impl Tasks {
    /// Leases up to `max` tasks, waiting up to `wait` for the first.
    pub async fn poll(&self, poll: &Poll<'_>) -> Vec<Leased> {
        match self {
            Tasks::Memory(q) => {
                q.poll(poll.activities, poll.worker, poll.max, poll.wait)
                    .await
            }
            Tasks::Shared(q) => q.poll(poll).await,
        }
    }

    /// A worker's result.
    pub async fn complete(&self, task_id: &str, value: serde_json::Value) -> Result<(), TaskError> {
        match self {
            Tasks::Memory(q) => q.complete(task_id, value).map(|_| ()),
            Tasks::Shared(q) => {
                let t = q.task(task_id).await?;
                q.sink.complete(&t, value);
                Ok(())
            }
        }
    }

    /// A worker's failure.
    pub async fn fail(
        &self,
        task_id: &str,
        error: String,
        retryable: bool,
    ) -> Result<(), TaskError> {
        match self {
            Tasks::Memory(q) => q.fail(task_id, error, retryable).map(|_| ()),
            Tasks::Shared(q) => {
                let t = q.task(task_id).await?;
                q.sink.fail(&t, error, retryable);
                Ok(())
            }
        }
    }

    /// Extends a task's lease; returns its new end (epoch ms).
    pub async fn heartbeat(&self, task_id: &str) -> Result<i64, TaskError> {
        match self {
            Tasks::Memory(q) => q.heartbeat(task_id),
            Tasks::Shared(q) => q.heartbeat(task_id).await,
        }
    }

    /// Whether task `id` is still open. A cluster's store that cannot be
    /// read counts it open: a stream keeps its credit until it can tell.
    pub async fn is_open(&self, task_id: &str) -> bool {
        match self {
            Tasks::Memory(q) => q.is_open(task_id),
            Tasks::Shared(q) => !matches!(
                q.task(task_id).await,
                Err(TaskError::Unknown | TaskError::Malformed)
            ),
        }
    }

    /// Ends a leased task's lease at once so another worker takes it (its
    /// stream closed before it answered). In a cluster the lease is set to
    /// end now; a poll of any node leases it next.
    pub async fn give_back(&self, task_id: &str) {
        match self {
            Tasks::Memory(q) => {
                q.give_back(task_id);
            }
            Tasks::Shared(q) => {
                let Ok((call, attempt)) = split_task_id(task_id) else {
                    return;
                };
                let (store, call) = (q.store.clone(), call.to_string());
                let _ = tokio::task::spawn_blocking(move || {
                    let now = weft_runtime::runtime::now_ms();
                    store.heartbeat_task(&call, attempt, now, 0)
                })
                .await;
            }
        }
    }

    /// Tasks per activity (the in-memory queue only: a cluster's are in the
    /// store, where every node would count them).
    pub fn depth(&self) -> BTreeMap<String, Depth> {
        match self {
            Tasks::Memory(q) => q.depth(),
            Tasks::Shared(_) => BTreeMap::new(),
        }
    }
}

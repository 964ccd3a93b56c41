//! What a store shared by several nodes adds: run leases with fencing, an
//! inbox of events for runs another node may own, and pull tasks leased in
//! the store so that a worker may poll any node.
//!
//! The model: a node **owns** a run while it holds the run in memory and
//! applies events to it. Ownership is a lease (`owner`, `lease_until`) with
//! an **epoch** that grows at every claim. Every write of a run carries the
//! claim it was made under (`RunWrite::fence`), and the store refuses the
//! whole batch when the run's epoch moved on: a node whose lease expired
//! (it paused, or was partitioned) cannot overwrite a newer owner's step.
//!
//! Events that reach a node for a run it does not own (a task completed
//! through another node's API, a callback, a sub-flow's end) are appended to
//! the run's **inbox**; a node that claims the run applies them in order and
//! deletes them in the same transaction as the step they caused.
//!
//! Time here is the caller's clock in epoch milliseconds, in every store
//! (PostgreSQL's too): the in-memory implementation stays deterministic in
//! simulations, and the simulator's virtual time works on any store. So
//! the nodes' clocks must agree to well within a lease; a skew costs
//! leases taken over early or kept late, never a step applied twice
//! (fencing refuses the stale writes).

use serde::{Deserialize, Serialize};
use weft_engine::state::{Event, Task};

use crate::machines::{InstanceClaim, InstanceInboxEvent};
use crate::{Result, Store};

/// A node's claim on a run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Claim {
    /// The run.
    pub run_id: String,
    /// The run's epoch under this claim.
    pub epoch: i64,
}

/// A task leased to a worker through the store.
#[derive(Clone, Debug, PartialEq)]
pub struct LeasedTask {
    /// The task.
    pub task: Task,
    /// When the lease ends (epoch ms).
    pub lease_until: i64,
}

/// What became of a callback sent through the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// Queued for the run.
    Queued {
        /// The run.
        run_id: String,
    },
    /// The token never existed.
    Unknown,
    /// The token was used, timed out or cancelled.
    Spent,
}

/// An event waiting in a run's inbox.
#[derive(Clone, Debug)]
pub struct InboxEvent {
    /// Its id (increasing).
    pub id: i64,
    /// The run it is for.
    pub run_id: String,
    /// The event.
    pub event: Event,
}

/// A store several nodes share. See the module documentation.
pub trait ClusterStore: Store {
    /// Claims a run for `node` when nobody else holds a live lease on it.
    /// `None` when another node holds it. A node that already holds the
    /// run gets its claim back unchanged (same epoch, lease extended), so
    /// its writes still in flight stay valid.
    fn claim_run(&self, node: &str, run_id: &str, now: i64, lease_ms: i64)
        -> Result<Option<Claim>>;

    /// Claims up to `limit` runs that have inbox events or timers due at
    /// `now` and that no other node holds (runs `node` holds are returned
    /// with their current epoch).
    fn claim_runs_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Claim>>;

    /// Extends `node`'s leases on these runs; returns the runs whose claims
    /// are no longer held (another node took them, or their epoch moved).
    fn renew(&self, node: &str, claims: &[Claim], now: i64, lease_ms: i64) -> Result<Vec<String>>;

    /// Gives up `node`'s claims on these runs (they are idle).
    fn release(&self, node: &str, claims: &[Claim]) -> Result<()>;

    /// Appends an event to a run's inbox and wakes the nodes.
    fn enqueue(&self, run_id: &str, event: &Event) -> Result<()>;

    /// Spends a callback token and appends the callback to its run's inbox,
    /// in one transaction: of two callbacks with one token, one wins.
    fn enqueue_callback(&self, token: &str, value: &serde_json::Value) -> Result<CallbackOutcome>;

    /// A run's inbox, oldest first.
    fn inbox(&self, run_id: &str) -> Result<Vec<InboxEvent>>;

    /// Timers of one run due at `now`.
    fn due_timers_of(&self, run_id: &str, now: i64) -> Result<Vec<crate::TimerRow>>;

    /// Leases up to `max` outstanding tasks of these activities (not leased,
    /// or whose lease ended) to `worker`, who polled `node`. A store may
    /// hand out the tasks of runs `node` holds first: their results then
    /// reach the node that holds the run, without passing through the
    /// inbox. Any node's tasks remain leasable through any node.
    fn lease_tasks(
        &self,
        node: &str,
        activities: &[String],
        worker: &str,
        max: usize,
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<LeasedTask>>;

    /// Extends a leased task's lease; `None` when the task (this attempt) is
    /// no longer outstanding.
    fn heartbeat_task(
        &self,
        call_id: &str,
        attempt: u32,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>>;

    /// The outstanding task of a call, if its attempt is `attempt`.
    fn task(&self, call_id: &str, attempt: u32) -> Result<Option<Task>>;

    /// Blocks until another node signals work (new inbox events or tasks)
    /// or `timeout` passes; returns true when signalled. A store without
    /// notifications may just sleep.
    fn wait_for_work(&self, timeout: std::time::Duration) -> Result<bool>;

    /// Claims a machine instance for `node` as [`ClusterStore::claim_run`]
    /// claims a run, making its row first when it has none (an instance
    /// no command reached yet). Returns the claim's epoch; `None` when
    /// another node holds it.
    fn claim_instance(
        &self,
        node: &str,
        machine: &str,
        key: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>>;

    /// Claims up to `limit` instances with events in their inbox that no
    /// other node holds (those `node` holds come back with their epoch).
    fn claim_instances_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<InstanceClaim>>;

    /// Extends `node`'s claims on these instances; returns those no longer
    /// held.
    fn renew_instances(
        &self,
        node: &str,
        claims: &[InstanceClaim],
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<InstanceClaim>>;

    /// Gives up `node`'s claims on these instances.
    fn release_instances(&self, node: &str, claims: &[InstanceClaim]) -> Result<()>;

    /// An instance's inbox, oldest first. (Events are queued by a batch's
    /// [`crate::MachineWrite::Inbox`], and consumed by its
    /// [`crate::MachineWrite::InboxDone`].)
    fn instance_inbox(&self, machine: &str, key: &str) -> Result<Vec<InstanceInboxEvent>>;
    /// Outstanding tasks per activity at `now`, by activity: waiting for a
    /// worker (never leased, or whose lease ended) and leased.
    fn queue_depths(&self, now: i64) -> Result<Vec<QueueDepth>>;

    /// Records that `worker` polled `node` for these activities at `now`
    /// (callers write this every few seconds per worker, not at every
    /// poll), and forgets polls older than [`POLLS_KEPT_MS`].
    fn record_polls(&self, node: &str, worker: &str, activities: &[String], now: i64)
        -> Result<()>;

    /// Every worker that polled for an activity at or after `since`, with
    /// its last poll, by activity then worker.
    fn pollers(&self, since: i64) -> Result<Vec<Poller>>;
}

/// How long a store remembers a worker's last poll.
pub const POLLS_KEPT_MS: i64 = 24 * 60 * 60 * 1_000;

/// Outstanding tasks of one activity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDepth {
    /// The activity.
    pub activity: String,
    /// Waiting for a worker.
    pub ready: u64,
    /// Leased to a worker.
    pub leased: u64,
}

/// A worker's last poll for an activity, through a node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poller {
    /// The activity.
    pub activity: String,
    /// The worker's name (as its polls give it).
    pub worker: String,
    /// The node it polled.
    pub node: String,
    /// When (epoch ms).
    pub last_poll: i64,
}

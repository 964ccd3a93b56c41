//! What a handler knows about the task it runs, and the callback handle of
//! awaited calls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::batch::Batcher;
use crate::client::{Client, Task};
use crate::error::ClientError;
use crate::{Level, Logger};

/// Longest wait for a heartbeat's answer.
pub const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest wait before trying again after a heartbeat got no answer.
pub const HEARTBEAT_RETRY_MAX: Duration = Duration::from_secs(1);

/// Shortest time between two automatic heartbeats.
pub const HEARTBEAT_EVERY_MIN: Duration = Duration::from_millis(100);

/// The task a handler runs: its ids, attempt and arguments, and a way to
/// heartbeat. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    inner: Arc<Inner>,
}

struct Inner {
    task: Task,
    client: Client,
    log: Logger,
    lease: Mutex<Lease>,
    /// The server said the task moved on (answered, cancelled,
    /// superseded): a heartbeat's `404`, or a refusal down the stream.
    gone: Arc<AtomicBool>,
    /// The worker's reports: heartbeats go down its two-way stream when it
    /// takes them, and a refusal there sets `gone` (tracked while the task
    /// runs).
    reports: Batcher,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.reports.untrack(&self.task.task_id);
    }
}

/// Where the task's lease stands, as far as this worker knows.
struct Lease {
    /// How long a fresh lease lasts.
    length: Duration,
    /// When the next automatic heartbeat is due.
    next_beat: Instant,
}

impl Lease {
    fn beat_every(&self) -> Duration {
        (self.length / 3).max(HEARTBEAT_EVERY_MIN)
    }
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("task_id", &self.task_id())
            .field("call_id", &self.call_id())
            .field("run_id", &self.run_id())
            .field("activity", &self.activity())
            .field("attempt", &self.attempt())
            .finish_non_exhaustive()
    }
}

impl Ctx {
    pub(crate) fn new(
        task: Task,
        client: Client,
        log: Logger,
        lease: Duration,
        reports: Batcher,
    ) -> Ctx {
        let mut l = Lease {
            length: lease,
            next_beat: Instant::now(),
        };
        l.next_beat += l.beat_every();
        let gone = Arc::new(AtomicBool::new(false));
        reports.track(&task.task_id, gone.clone());
        Ctx {
            inner: Arc::new(Inner {
                task,
                client,
                log,
                lease: Mutex::new(l),
                gone,
                reports,
            }),
        }
    }

    fn lease(&self) -> std::sync::MutexGuard<'_, Lease> {
        self.inner.lease.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The call's id: unique to the operation and the same on every
    /// attempt, redelivery and server restart. Deduplicate on it: an
    /// activity runs at least once.
    pub fn call_id(&self) -> &str {
        &self.inner.task.call_id
    }

    /// The task's id (`<callId>.<attempt>`): what the worker reports on.
    pub fn task_id(&self) -> &str {
        &self.inner.task.task_id
    }

    /// The run the call belongs to.
    pub fn run_id(&self) -> &str {
        &self.inner.task.run_id
    }

    /// The activity's name.
    pub fn activity(&self) -> &str {
        &self.inner.task.activity
    }

    /// The attempt, from 1 (a redelivery after a lost lease keeps it).
    pub fn attempt(&self) -> u32 {
        self.inner.task.attempt
    }

    /// The arguments: a JSON list (named arguments gathered into one
    /// object after the positional ones). The same value the handler gets.
    pub fn args(&self) -> &Value {
        &self.inner.task.args
    }

    /// The argument at `index`, or `null`.
    pub fn arg(&self, index: usize) -> &Value {
        self.inner.task.args.get(index).unwrap_or(&Value::Null)
    }

    /// For a call under `await`: the token that completes the wait. The
    /// handler returns once the work is *started*; whoever finishes it
    /// later posts the value with the token.
    pub fn callback_token(&self) -> Option<&str> {
        self.inner.task.callback_token.as_deref()
    }

    /// For a call under `await`: a handle that completes the wait from
    /// anywhere, later (keep it, or keep [`CallbackHandle::token`] and
    /// rebuild it with [`CallbackHandle::new`] after a restart).
    pub fn callback_handle(&self) -> Option<CallbackHandle> {
        self.callback_token().map(|t| CallbackHandle {
            client: self.inner.client.clone(),
            token: t.to_string(),
        })
    }

    /// True once the server said the task moved on: answered, cancelled
    /// (the run was cancelled, or an awaited call's callback came first)
    /// or replaced by a newer attempt. A long handler may stop early: its
    /// result would be dropped.
    pub fn is_gone(&self) -> bool {
        self.inner.gone.load(Ordering::Relaxed)
    }

    /// Extends the task's lease now. The worker already does this on its
    /// own while a handler runs longer than a third of the lease; call it
    /// to show progress at moments of your choosing.
    ///
    /// A 404 ([`ClientError::is_not_found`]) means the task moved on (see
    /// [`Ctx::is_gone`]). On a two-way task stream whose server reads
    /// heartbeats, the heartbeat goes down the stream and returns at once;
    /// a refusal comes back down the stream later and sets
    /// [`Ctx::is_gone`] (a heartbeat after that returns the 404).
    pub async fn heartbeat(&self) -> Result<(), ClientError> {
        if self.is_gone() {
            return Err(ClientError::Api {
                status: 404,
                code: "unknown_task".into(),
                message: format!(
                    "task {} moved on (answered, cancelled or superseded)",
                    self.task_id()
                ),
            });
        }
        if self.inner.reports.heartbeat(self.task_id()) {
            self.log(
                Level::Debug,
                &format!(
                    "task {}: heartbeat written down the task stream",
                    self.task_id()
                ),
            );
            let mut l = self.lease();
            l.next_beat = Instant::now() + l.beat_every();
            return Ok(());
        }
        let r = self
            .inner
            .client
            .heartbeat(self.task_id(), HEARTBEAT_TIMEOUT)
            .await;
        let mut l = self.lease();
        match &r {
            Ok(left) => {
                l.length = *left;
                l.next_beat = Instant::now() + l.beat_every();
            }
            Err(e) if e.is_not_found() => {
                if !self.inner.gone.swap(true, Ordering::Relaxed) {
                    (self.inner.log)(
                        Level::Debug,
                        &format!(
                            "task {} moved on (answered, cancelled or superseded): no more heartbeats",
                            self.task_id()
                        ),
                    );
                }
            }
            Err(_) => {
                l.next_beat = Instant::now() + l.beat_every().min(HEARTBEAT_RETRY_MAX);
            }
        }
        r.map(drop)
    }

    /// When the next automatic heartbeat is due; `None` once the task is
    /// gone.
    pub(crate) fn next_beat(&self) -> Option<Instant> {
        (!self.is_gone()).then(|| self.lease().next_beat)
    }

    pub(crate) fn client(&self) -> &Client {
        &self.inner.client
    }

    pub(crate) fn log(&self, level: Level, msg: &str) {
        (self.inner.log)(level, msg)
    }
}

/// Completes an awaited call: `POST /v1/callbacks/{token} {value}`.
///
/// The value becomes the value of the flow's `await` expression. A token
/// works once: a second completion, or one after the `@timeout`, is
/// refused with a 409.
#[derive(Clone)]
pub struct CallbackHandle {
    client: Client,
    token: String,
}

impl std::fmt::Debug for CallbackHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a credential: do not print it.
        f.debug_struct("CallbackHandle")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl CallbackHandle {
    /// A handle for `token` on the server at `url`: to complete a wait
    /// from another process, or after a restart, from a stored token.
    pub fn new(url: &str, token: impl Into<String>) -> Result<CallbackHandle, ClientError> {
        Ok(CallbackHandle {
            client: Client::new(url, None)?,
            token: token.into(),
        })
    }

    /// The callback token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The URL to POST `{"value": ...}` to (e.g. for a link in an e-mail
    /// that leads to a page of yours, which then posts).
    pub fn url(&self) -> String {
        self.client
            .url(&["v1", "callbacks", &self.token])
            .to_string()
    }

    /// Completes the wait with `value`. One try: on an error that
    /// [`ClientError::is_transient`], try again later.
    pub async fn complete(&self, value: Value) -> Result<(), ClientError> {
        self.client.callback(&self.token, &value).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report_lines::Report;
    use tokio::sync::mpsc;

    fn task(id: &str) -> Task {
        serde_json::from_value(serde_json::json!({
            "taskId": id, "callId": "c", "runId": "r", "activity": "A",
            "args": [], "attempt": 1, "deadline": "2026-12-07T00:00:00Z",
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn a_heartbeat_down_the_stream_until_a_refusal_then_a_404_and_no_line() {
        let client = Client::new("http://127.0.0.1:9", None).unwrap();
        let log: Logger = Arc::new(|_: Level, _: &str| {});
        let reports = Batcher::start(client.clone(), log.clone());
        let (tx, mut rx) = mpsc::unbounded_channel();
        reports.attach(tx);
        reports.heartbeat_lines();
        let ctx = Ctx::new(
            task("a.1"),
            client,
            log,
            Duration::from_secs(30),
            reports.clone(),
        );
        ctx.heartbeat().await.unwrap();
        assert_eq!(rx.try_recv().unwrap(), Report::Heartbeat("a.1".into()));
        assert!(!ctx.is_gone());
        // The server refused a report of the task, down the stream.
        reports.moved_on("a.1");
        assert!(ctx.is_gone());
        assert_eq!(ctx.next_beat(), None, "no more automatic heartbeats");
        let e = ctx.heartbeat().await.unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert!(rx.try_recv().is_err(), "nothing more down the stream");
        // Once the task's context is gone, its flag is no longer tracked.
        let flag = ctx.inner.gone.clone();
        flag.store(false, Ordering::Relaxed);
        drop(ctx);
        reports.moved_on("a.1");
        assert!(!flag.load(Ordering::Relaxed), "untracked when dropped");
    }
}

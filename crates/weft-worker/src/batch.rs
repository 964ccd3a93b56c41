//! Reports gathered into one request: results that finish while a report
//! is on its way wait and go together in the next `POST /v1/tasks/results`.
//! While a two-way task stream is open, reports go down it instead.
//!
//! Nothing waits on a timer: a lone result is sent at once, so one task at
//! a time costs no latency, and under load the requests carry as many
//! results as finished during the previous one. A server that does not
//! know the endpoint (an older build answers `404 no_such_path`) turns
//! batching off for the worker's lifetime; every other failure of the
//! request is handed back to each result's own report, which retries it
//! on the per-task endpoints as before.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};

use crate::client::Client;
use crate::error::ClientError;
use crate::report_lines::{Report, ReportTx, RESULTS_PER_REQUEST_MAX};
use crate::{HandlerResult, Level, Logger};

struct Pending {
    item: Value,
    reply: oneshot::Sender<Result<(), ClientError>>,
}

/// The handle tasks report through; cheap to clone.
#[derive(Clone)]
pub(crate) struct Batcher {
    tx: mpsc::UnboundedSender<Pending>,
    enabled: Arc<AtomicBool>,
    /// The open two-way stream's report lines, if any: reports go down it
    /// first (`report_lines.rs`).
    stream: Arc<Mutex<Option<Lines>>>,
    /// The running tasks' "moved on" flags, by task id: a refusal that
    /// comes down the stream sets the flag of the task it names.
    gone: Arc<Mutex<HashMap<String, Arc<AtomicBool>>>>,
}

/// An attached two-way stream.
struct Lines {
    tx: ReportTx,
    /// The server said it reads heartbeats in report lines.
    heartbeats: bool,
}

impl Batcher {
    /// Starts the sender on the current Tokio runtime; it ends when every
    /// handle is dropped.
    pub fn start(client: Client, log: Logger) -> Batcher {
        let (tx, rx) = mpsc::unbounded_channel();
        let enabled = Arc::new(AtomicBool::new(true));
        tokio::spawn(send_loop(client, rx, enabled.clone(), log));
        Batcher {
            tx,
            enabled,
            stream: Arc::default(),
            gone: Arc::default(),
        }
    }

    fn stream(&self) -> std::sync::MutexGuard<'_, Option<Lines>> {
        self.stream.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn gone(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.gone.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reports go down this two-way stream from now on (heartbeats too,
    /// once the server says it reads them: [`Batcher::heartbeat_lines`]).
    pub fn attach(&self, reports: ReportTx) {
        *self.stream() = Some(Lines {
            tx: reports,
            heartbeats: false,
        });
    }

    /// The attached stream's server reads heartbeats in report lines.
    pub fn heartbeat_lines(&self) {
        if let Some(l) = self.stream().as_mut() {
            l.heartbeats = true;
        }
    }

    /// Sends a heartbeat of `task_id` down the two-way stream, when one
    /// that takes them is attached; false when the caller must send it by
    /// request. Its refusal, if any, comes down the stream
    /// ([`Batcher::moved_on`]).
    pub fn heartbeat(&self, task_id: &str) -> bool {
        match self.stream().as_ref() {
            Some(l) if l.heartbeats => l.tx.send(Report::Heartbeat(task_id.into())).is_ok(),
            _ => false,
        }
    }

    /// Keeps `flag` as task `task_id`'s "moved on" flag while it runs.
    pub fn track(&self, task_id: &str, flag: Arc<AtomicBool>) {
        self.gone().insert(task_id.to_string(), flag);
    }

    /// Task `task_id` is no longer running here.
    pub fn untrack(&self, task_id: &str) {
        self.gone().remove(task_id);
    }

    /// The server refused a report of `task_id`: the task moved on, and
    /// its handler, if it still runs here, may stop.
    pub fn moved_on(&self, task_id: &str) {
        if let Some(flag) = self.gone().get(task_id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Reports go in requests again: the stream ended, or the worker is
    /// stopping (a line still in the body when the stream is dropped would
    /// be lost, and its task run again elsewhere).
    pub fn detach(&self) {
        *self.stream() = None;
    }

    /// Reports `outcome` of task `task_id` down the two-way stream, or in
    /// the next batch; says which. `None` when batching is off (the caller
    /// reports on its own).
    pub async fn report(
        &self,
        task_id: &str,
        outcome: &HandlerResult,
    ) -> Option<Result<Route, ClientError>> {
        if !self.enabled.load(Ordering::Relaxed) {
            return None;
        }
        let item = match outcome {
            Ok(v) => json!({"taskId": task_id, "value": v}),
            Err(e) => json!({"taskId": task_id, "error": e.message, "retryable": e.retryable}),
        };
        if let Some(lines) = self.stream().as_ref() {
            // Down the stream: applied when the server reads the line, and
            // answered only when refused (the stream's reader logs it).
            if lines.tx.send(Report::Result(item.clone())).is_ok() {
                return Some(Ok(Route::Stream));
            }
        }
        let (reply, answer) = oneshot::channel();
        self.tx.send(Pending { item, reply }).ok()?;
        answer.await.ok().map(|r| r.map(|()| Route::Request))
    }
}

/// Which way a report went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// Down the two-way task stream: the server applies it as it reads it
    /// and says nothing unless it refuses it.
    Stream,
    /// In a `POST /v1/tasks/results` that accepted it.
    Request,
}

async fn send_loop(
    client: Client,
    mut rx: mpsc::UnboundedReceiver<Pending>,
    enabled: Arc<AtomicBool>,
    log: Logger,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < RESULTS_PER_REQUEST_MAX {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let items: Vec<Value> = batch.iter().map(|p| p.item.clone()).collect();
        match client.report_results(&items).await {
            Ok(answers) => {
                log(
                    Level::Debug,
                    &format!("reported {} result(s) in one request", batch.len()),
                );
                for (p, a) in batch.into_iter().zip(answers) {
                    let _ = p.reply.send(a);
                }
            }
            Err(e) => {
                if matches!(&e, ClientError::Api { code, .. } if code == "no_such_path") {
                    // An older server: report one request per task from now on.
                    enabled.store(false, Ordering::Relaxed);
                    log(
                        Level::Info,
                        "the server has no /v1/tasks/results: reporting each task on its own",
                    );
                }
                for p in batch {
                    let _ = p.reply.send(Err(e.clone()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report_lines::Report;

    fn batcher() -> Batcher {
        let client = Client::new("http://127.0.0.1:9", None).unwrap();
        Batcher::start(client, Arc::new(|_: Level, _: &str| {}))
    }

    #[tokio::test]
    async fn heartbeats_go_down_a_stream_only_once_its_server_reads_them() {
        let b = batcher();
        assert!(!b.heartbeat("a.1"), "no stream: by request");
        let (tx, mut rx) = mpsc::unbounded_channel();
        b.attach(tx);
        assert!(
            !b.heartbeat("a.1"),
            "a stream whose server has not said heartbeatLines: by request"
        );
        assert!(rx.try_recv().is_err());
        b.heartbeat_lines();
        assert!(b.heartbeat("a.1"));
        assert_eq!(rx.try_recv().unwrap(), Report::Heartbeat("a.1".into()));
        b.detach();
        assert!(!b.heartbeat("a.1"), "detached: by request again");
    }

    #[tokio::test]
    async fn a_refusal_down_the_stream_sets_the_running_tasks_flag() {
        let b = batcher();
        let flag = Arc::new(AtomicBool::new(false));
        b.track("a.1", flag.clone());
        b.moved_on("b.1");
        assert!(!flag.load(Ordering::Relaxed), "another task's refusal");
        b.moved_on("a.1");
        assert!(flag.load(Ordering::Relaxed));
        b.untrack("a.1");
        flag.store(false, Ordering::Relaxed);
        b.moved_on("a.1");
        assert!(!flag.load(Ordering::Relaxed), "done: no longer tracked");
    }
}

//! The worker loop: poll, run, heartbeat, report; back off; drain.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::backoff::Backoff;
use crate::batch::Batcher;
use crate::client::{self, Client, Task};
use crate::ctx::Ctx;
use crate::error::{ClientError, Error};
use crate::{Handler, HandlerResult, Level, Logger, Shutdown, POLL_TASKS_MAX};

/// Shortest time between two polls that came back empty: a server that
/// answers at once instead of waiting (a short `waitMs`, or a server on its
/// way down) is not asked in a tight loop.
pub const EMPTY_POLL_MIN: Duration = Duration::from_millis(250);

/// How long the worker keeps trying to report a result while the server
/// is away. After that it gives up: the lease ends and the task is handed
/// out again (so the handler's work is redone: deduplicate on the call id).
pub const REPORT_RETRY_MAX: Duration = Duration::from_secs(60);

pub(crate) struct Loop {
    pub client: Client,
    pub url: String,
    pub name: String,
    pub handlers: BTreeMap<String, Handler>,
    pub concurrency: usize,
    pub poll_wait: Duration,
    pub backoff_max: Duration,
    pub log: Logger,
}

/// An outage of the server, as the poll loop saw it.
struct Outage {
    since: Instant,
    failures: u32,
}

impl Loop {
    pub async fn run(
        self,
        signal: impl Future<Output = ()> + Send,
        shutdown: Shutdown,
    ) -> Result<(), ClientError> {
        let log = self.log.clone();
        let activities: Vec<String> = self.handlers.keys().cloned().collect();
        log(
            Level::Info,
            &format!(
                "{} polls {} for {} (up to {} at once)",
                self.name,
                self.url,
                activities.join(", "),
                self.concurrency
            ),
        );
        let slots = Arc::new(Semaphore::new(self.concurrency));
        let batcher = Batcher::start(self.client.clone(), self.log.clone());
        let mut running: JoinSet<()> = JoinSet::new();
        let stop = async {
            tokio::select! {
                _ = signal => {}
                _ = shutdown.wait() => {}
            }
        };
        tokio::pin!(stop);
        let mut backoff = Backoff::new(self.backoff_max);
        let mut outage: Option<Outage> = None;
        let result = loop {
            while running.try_join_next().is_some() {}
            // Wait for a free slot, then take every free one: a poll asks
            // for as many tasks as can start now.
            let first = tokio::select! {
                biased;
                _ = &mut stop => break Ok(()),
                p = slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            };
            let mut permits = vec![first];
            while permits.len() < POLL_TASKS_MAX {
                match slots.clone().try_acquire_owned() {
                    Ok(p) => permits.push(p),
                    Err(_) => break,
                }
            }
            let asked = Instant::now();
            let polled = tokio::select! {
                biased;
                // Dropping a poll in flight is safe: a task the server
                // leased in that instant comes back when its lease ends.
                _ = &mut stop => break Ok(()),
                r = self.client.poll(&activities, &self.name, permits.len(), self.poll_wait) => r,
            };
            match polled {
                Ok(p) => {
                    if let Some(o) = outage.take() {
                        log(
                            Level::Info,
                            &format!(
                                "the server answers again after {:.1}s ({} failed polls)",
                                o.since.elapsed().as_secs_f64(),
                                o.failures
                            ),
                        );
                    }
                    backoff.reset();
                    let empty = p.tasks.is_empty();
                    for task in p.tasks {
                        let Some(permit) = permits.pop() else {
                            // The server sent more than asked for: run it
                            // anyway rather than let the lease lapse.
                            log(Level::Warn, "the server sent more tasks than asked for");
                            running.spawn(self.task(task, p.server_now_ms, None, &batcher));
                            continue;
                        };
                        running.spawn(self.task(task, p.server_now_ms, Some(permit), &batcher));
                    }
                    drop(permits);
                    if empty {
                        let pause = EMPTY_POLL_MIN.saturating_sub(asked.elapsed());
                        tokio::select! {
                            _ = &mut stop => break Ok(()),
                            _ = tokio::time::sleep(pause) => {}
                        }
                    }
                }
                Err(e) if e.is_transient() => {
                    drop(permits);
                    match &mut outage {
                        Some(o) => o.failures += 1,
                        None => {
                            log(
                                Level::Warn,
                                &format!(
                                    "{e}; polling again with back-off (at most {:?} apart) until it answers",
                                    self.backoff_max
                                ),
                            );
                            outage = Some(Outage {
                                since: Instant::now(),
                                failures: 1,
                            });
                        }
                    }
                    tokio::select! {
                        _ = &mut stop => break Ok(()),
                        _ = tokio::time::sleep(backoff.next_delay()) => {}
                    }
                }
                Err(e) => {
                    log(Level::Error, &format!("polling stopped: {e}"));
                    break Err(e);
                }
            }
        };
        while running.try_join_next().is_some() {}
        if !running.is_empty() {
            log(
                Level::Info,
                &format!(
                    "stopping: waiting for {} running task(s) to finish and report",
                    running.len()
                ),
            );
        }
        while running.join_next().await.is_some() {}
        log(Level::Info, "stopped");
        result
    }

    /// Runs one task: its handler with heartbeats, then the report.
    fn task(
        &self,
        task: Task,
        server_now_ms: i64,
        permit: Option<tokio::sync::OwnedSemaphorePermit>,
        batcher: &Batcher,
    ) -> impl Future<Output = ()> + Send + 'static {
        let batcher = batcher.clone();
        let lease = client::lease_left(&task.deadline, server_now_ms);
        let handler = self.handlers.get(&task.activity).cloned();
        let args = task.args.clone();
        let ctx = Ctx::new(task, self.client.clone(), self.log.clone(), lease);
        async move {
            let outcome = match handler {
                Some(h) => run_handler(&ctx, h, args).await,
                None => Err(Error::permanent(format!(
                    "this worker has no handler for `{}`",
                    ctx.activity()
                ))),
            };
            report(&ctx, outcome, &batcher).await;
            drop(permit);
        }
    }
}

/// Runs a handler on its own Tokio task (so a panic is caught), and
/// heartbeats while it runs.
async fn run_handler(ctx: &Ctx, handler: Handler, args: Value) -> HandlerResult {
    // The handler is called inside the spawned task, so that a panic before
    // its future's first await (in the closure itself) is caught too.
    let c = ctx.clone();
    let mut job = tokio::spawn(async move { handler(c, args).await });
    loop {
        let beat = ctx.next_beat();
        tokio::select! {
            r = &mut job => {
                return match r {
                    Ok(r) => r,
                    Err(e) if e.is_panic() => {
                        let why = panic_message(e.into_panic());
                        ctx.log(Level::Warn, &format!("task {}: the handler panicked: {why}", ctx.task_id()));
                        Err(Error::retryable(format!("the handler panicked: {why}")))
                    }
                    Err(e) => Err(Error::retryable(format!("the handler did not finish: {e}"))),
                };
            }
            _ = sleep_until(beat) => {
                if let Err(e) = ctx.heartbeat().await {
                    if !e.is_not_found() {
                        ctx.log(Level::Debug, &format!("task {}: heartbeat failed: {e}", ctx.task_id()));
                    }
                }
            }
        }
    }
}

/// Sleeps until `at`, or forever for `None`.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".into()
    }
}

/// Reports the outcome in the next batch; when that fails (or batching is
/// off), on the task's own endpoint, retrying while the server is away (up
/// to [`REPORT_RETRY_MAX`]).
async fn report(ctx: &Ctx, outcome: HandlerResult, batcher: &Batcher) {
    let id = ctx.task_id();
    match batcher.report(id, &outcome).await {
        Some(Ok(())) => {
            ctx.log(Level::Debug, &format!("task {id}: result accepted"));
            return;
        }
        Some(Err(ClientError::Api { code, .. })) if code == "unknown_task" => {
            ctx.log(
                Level::Debug,
                &format!(
                    "task {id} moved on (answered, cancelled or superseded): its result is dropped"
                ),
            );
            return;
        }
        // The per-task endpoints below retry, or say why they give up.
        Some(Err(_)) | None => {}
    }
    let mut outcome = outcome;
    let mut backoff = Backoff::new(crate::BACKOFF_MAX);
    let started = Instant::now();
    let mut warned = false;
    loop {
        let r = match &outcome {
            Ok(v) => ctx.client().complete(id, v).await,
            Err(e) => ctx.client().fail(id, &e.message, e.retryable).await,
        };
        let e = match r {
            Ok(()) => {
                let what = if outcome.is_ok() {
                    "completed"
                } else {
                    "failed"
                };
                ctx.log(Level::Debug, &format!("task {id} {what}"));
                if warned {
                    ctx.log(Level::Info, &format!("task {id} reported after all"));
                }
                return;
            }
            Err(e) => e,
        };
        if e.is_not_found() {
            ctx.log(
                Level::Debug,
                &format!(
                    "task {id} moved on (answered, cancelled or superseded): its result is dropped"
                ),
            );
            return;
        }
        if e.status() == Some(413) && outcome.is_ok() {
            // Retrying the same value cannot help; a failure tells the
            // operator why.
            outcome = Err(Error::permanent(format!(
                "the result is too large for the server: {e}"
            )));
            continue;
        }
        if e.is_transient() && started.elapsed() < REPORT_RETRY_MAX {
            if !warned {
                ctx.log(
                    Level::Warn,
                    &format!("task {id}: could not report ({e}); retrying"),
                );
                warned = true;
            }
            tokio::time::sleep(backoff.next_delay()).await;
            continue;
        }
        ctx.log(
            Level::Error,
            &format!("task {id}: gave up reporting ({e}); the server hands the task out again when its lease ends"),
        );
        return;
    }
}

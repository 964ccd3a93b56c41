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
use crate::batch::{Batcher, Route};
use crate::client::{self, Client, Task};
use crate::ctx::Ctx;
use crate::error::{ClientError, Error};
use crate::{Handler, HandlerResult, Level, Logger, Shutdown, POLL_TASKS_MAX, STREAM_TASKS_MAX};

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
    pub streaming: bool,
}

/// An outage of the server, as the poll loop saw it.
struct Outage {
    since: Instant,
    failures: u32,
}

/// How many heartbeat intervals a task stream may stay silent before the
/// worker counts the server gone and opens a new stream.
pub const STREAM_SILENCE_BEATS: u32 = 3;

/// The stream's heartbeat interval assumed until the server says its own.
const STREAM_HEARTBEAT_ASSUMED: Duration = Duration::from_secs(5);

/// Pause before opening a new stream after the server ended one (it is
/// stopping, or restarting).
const STREAM_REOPEN_PAUSE: Duration = Duration::from_millis(100);

impl Outage {
    /// Notes a failed request; logs the first of an outage.
    fn failed(
        outage: &mut Option<Outage>,
        log: &Logger,
        e: &ClientError,
        what: &str,
        max: Duration,
    ) {
        match outage {
            Some(o) => o.failures += 1,
            None => {
                log(
                    Level::Warn,
                    &format!(
                        "{e}; {what} again with back-off (at most {max:?} apart) until it answers"
                    ),
                );
                *outage = Some(Outage {
                    since: Instant::now(),
                    failures: 1,
                });
            }
        }
    }

    /// Notes an answer; logs the end of an outage.
    fn answered(outage: &mut Option<Outage>, log: &Logger) {
        if let Some(o) = outage.take() {
            log(
                Level::Info,
                &format!(
                    "the server answers again after {:.1}s ({} failed requests)",
                    o.since.elapsed().as_secs_f64(),
                    o.failures
                ),
            );
        }
    }
}

/// What the worker's tasks loops share.
struct Shared<'a, S> {
    activities: &'a [String],
    slots: &'a Arc<Semaphore>,
    batcher: &'a Batcher,
    running: &'a mut JoinSet<()>,
    stop: &'a mut std::pin::Pin<&'a mut S>,
    backoff: Backoff,
    outage: Option<Outage>,
    /// The task stream open when the worker was stopped: kept until the
    /// running handlers have reported, so the server does not give their
    /// tasks to another worker meanwhile (closing it gives back only what
    /// was pushed but not started).
    held: Option<client::TaskStream>,
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
                "{} {} {} for {} (up to {} at once)",
                self.name,
                if self.streaming {
                    "streams tasks from"
                } else {
                    "polls"
                },
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
        let mut sh = Shared {
            activities: &activities,
            slots: &slots,
            batcher: &batcher,
            running: &mut running,
            stop: &mut stop,
            backoff: Backoff::new(self.backoff_max),
            outage: None,
            held: None,
        };
        let result = match self.streaming {
            true => match self.stream_tasks(&mut sh).await {
                Some(r) => r,
                None => {
                    log(
                        Level::Info,
                        "the server has no task stream (an older build): polling instead",
                    );
                    self.poll_tasks(&mut sh).await
                }
            },
            false => self.poll_tasks(&mut sh).await,
        };
        while sh.running.try_join_next().is_some() {}
        if !sh.running.is_empty() {
            log(
                Level::Info,
                &format!(
                    "stopping: waiting for {} running task(s) to finish and report",
                    sh.running.len()
                ),
            );
        }
        while sh.running.join_next().await.is_some() {}
        drop(sh.held.take());
        log(Level::Info, "stopped");
        result
    }

    /// Takes tasks from task streams until stopped, opening a new stream
    /// when one ends. `None` when the server has no task stream.
    async fn stream_tasks<S: Future<Output = ()>>(
        &self,
        sh: &mut Shared<'_, S>,
    ) -> Option<Result<(), ClientError>> {
        let log = &self.log;
        // Reports down the stream itself, until a server without two-way
        // streams says otherwise.
        let mut two_way = true;
        loop {
            let opened = tokio::select! {
                biased;
                _ = &mut *sh.stop => return Some(Ok(())),
                r = self.client.open_stream(sh.activities, &self.name, self.concurrency.min(STREAM_TASKS_MAX), two_way) => r,
            };
            let mut stream = match opened {
                Ok((s, reports)) => {
                    if let Some(r) = reports {
                        sh.batcher.attach(r);
                    }
                    s
                }
                Err(ClientError::Api { code, .. }) if code == "no_such_path" => return None,
                Err(ClientError::Api { code, .. })
                    if code == "unsupported_media_type" && two_way =>
                {
                    log(
                        Level::Info,
                        "the server has no two-way task stream (an older build): reporting in requests",
                    );
                    two_way = false;
                    continue;
                }
                Err(e) if e.is_transient() => {
                    Outage::failed(
                        &mut sh.outage,
                        log,
                        &e,
                        "opening a task stream",
                        self.backoff_max,
                    );
                    tokio::select! {
                        _ = &mut *sh.stop => return Some(Ok(())),
                        _ = tokio::time::sleep(sh.backoff.next_delay()) => {}
                    }
                    continue;
                }
                Err(e) => {
                    log(Level::Error, &format!("taking tasks stopped: {e}"));
                    return Some(Err(e));
                }
            };
            Outage::answered(&mut sh.outage, log);
            sh.backoff.reset();
            let mut silence = STREAM_HEARTBEAT_ASSUMED * STREAM_SILENCE_BEATS;
            // Dropping the stream (on stop, or when it fails) makes the
            // server give its unreported tasks back at once.
            let ended = loop {
                while sh.running.try_join_next().is_some() {}
                let line = tokio::select! {
                    biased;
                    _ = &mut *sh.stop => None,
                    l = stream.next(silence) => Some(l),
                };
                let line = match line {
                    None => {
                        sh.batcher.detach();
                        sh.held = Some(stream);
                        return Some(Ok(()));
                    }
                    Some(Ok(Some(l))) => l,
                    Some(Ok(None)) => break None,
                    Some(Err(e)) => break Some(e),
                };
                for r in line.rejected.unwrap_or_default() {
                    let id = r["taskId"].as_str().unwrap_or("?");
                    let why = r["error"]["message"].as_str().unwrap_or("rejected");
                    // Either way the task moved on; a refused heartbeat's
                    // task may still run here, and its handler may stop.
                    sh.batcher.moved_on(id);
                    let what = if r["heartbeat"] == true {
                        "its heartbeat was refused, the handler may stop"
                    } else {
                        "its result is dropped"
                    };
                    log(
                        Level::Debug,
                        &format!("task {id} moved on (answered, cancelled or superseded): {what} ({why})"),
                    );
                }
                if let Some(e) = line.error {
                    // A report the worker wrote wrongly: a bug here, or a
                    // value past the server's limits.
                    log(
                        Level::Error,
                        &format!("the server refused a report line of the task stream: {e}"),
                    );
                }
                if let Some(terms) = line.stream {
                    silence =
                        Duration::from_millis(terms.heartbeat_ms.max(100)) * STREAM_SILENCE_BEATS;
                    if terms.heartbeat_lines {
                        sh.batcher.heartbeat_lines();
                    }
                }
                for task in line.tasks.unwrap_or_default() {
                    // The server's credit is the worker's concurrency, so
                    // a slot is free or about to be (a report returns the
                    // credit just before the slot).
                    let permit = tokio::select! {
                        biased;
                        _ = &mut *sh.stop => None,
                        p = sh.slots.clone().acquire_owned() => Some(p.expect("the semaphore is never closed")),
                    };
                    let Some(permit) = permit else {
                        sh.batcher.detach();
                        sh.held = Some(stream);
                        return Some(Ok(()));
                    };
                    let now = stream.server_now_ms();
                    sh.running
                        .spawn(self.task(task, now, Some(permit), sh.batcher));
                }
            };
            sh.batcher.detach();
            drop(stream);
            match ended {
                None => {
                    log(
                        Level::Debug,
                        "the server ended the task stream; opening another",
                    );
                    tokio::select! {
                        _ = &mut *sh.stop => return Some(Ok(())),
                        _ = tokio::time::sleep(STREAM_REOPEN_PAUSE) => {}
                    }
                }
                Some(e) => {
                    Outage::failed(
                        &mut sh.outage,
                        log,
                        &e,
                        "opening a task stream",
                        self.backoff_max,
                    );
                    tokio::select! {
                        _ = &mut *sh.stop => return Some(Ok(())),
                        _ = tokio::time::sleep(sh.backoff.next_delay()) => {}
                    }
                }
            }
        }
    }

    /// Long-polls for tasks until stopped.
    async fn poll_tasks<S: Future<Output = ()>>(
        &self,
        sh: &mut Shared<'_, S>,
    ) -> Result<(), ClientError> {
        let log = &self.log;
        loop {
            while sh.running.try_join_next().is_some() {}
            // Wait for a free slot, then take every free one: a poll asks
            // for as many tasks as can start now.
            let first = tokio::select! {
                biased;
                _ = &mut *sh.stop => return Ok(()),
                p = sh.slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            };
            let mut permits = vec![first];
            while permits.len() < POLL_TASKS_MAX {
                match sh.slots.clone().try_acquire_owned() {
                    Ok(p) => permits.push(p),
                    Err(_) => break,
                }
            }
            let asked = Instant::now();
            let polled = tokio::select! {
                biased;
                // Dropping a poll in flight is safe: a task the server
                // leased in that instant comes back when its lease ends.
                _ = &mut *sh.stop => return Ok(()),
                r = self.client.poll(sh.activities, &self.name, permits.len(), self.poll_wait) => r,
            };
            match polled {
                Ok(p) => {
                    Outage::answered(&mut sh.outage, log);
                    sh.backoff.reset();
                    let empty = p.tasks.is_empty();
                    for task in p.tasks {
                        let Some(permit) = permits.pop() else {
                            // The server sent more than asked for: run it
                            // anyway rather than let the lease lapse.
                            log(Level::Warn, "the server sent more tasks than asked for");
                            sh.running
                                .spawn(self.task(task, p.server_now_ms, None, sh.batcher));
                            continue;
                        };
                        sh.running.spawn(self.task(
                            task,
                            p.server_now_ms,
                            Some(permit),
                            sh.batcher,
                        ));
                    }
                    drop(permits);
                    if empty {
                        let pause = EMPTY_POLL_MIN.saturating_sub(asked.elapsed());
                        tokio::select! {
                            _ = &mut *sh.stop => return Ok(()),
                            _ = tokio::time::sleep(pause) => {}
                        }
                    }
                }
                Err(e) if e.is_transient() => {
                    drop(permits);
                    Outage::failed(&mut sh.outage, log, &e, "polling", self.backoff_max);
                    tokio::select! {
                        _ = &mut *sh.stop => return Ok(()),
                        _ = tokio::time::sleep(sh.backoff.next_delay()) => {}
                    }
                }
                Err(e) => {
                    log(Level::Error, &format!("polling stopped: {e}"));
                    return Err(e);
                }
            }
        }
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
        let ctx = Ctx::new(
            task,
            self.client.clone(),
            self.log.clone(),
            lease,
            batcher.clone(),
        );
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
        Some(Ok(Route::Request)) => {
            ctx.log(Level::Debug, &format!("task {id}: result accepted"));
            return;
        }
        Some(Ok(Route::Stream)) => {
            ctx.log(
                Level::Debug,
                &format!("task {id}: result written down the task stream"),
            );
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

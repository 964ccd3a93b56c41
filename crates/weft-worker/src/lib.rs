//! Write Weft activities in Rust.
//!
//! A flow's activity calls (`ReserveNick(input.nick)`) that are not bound
//! to an HTTP endpoint wait in the server's task queue until a worker
//! polls for them. A [`Worker`] registers a handler per activity name and
//! runs this loop:
//!
//! 1. **Poll.** `POST /v1/tasks/poll` names the activities it serves and
//!    asks for as many tasks as it has free slots ([`Worker::concurrency`]).
//!    The poll is long: the server answers as soon as a task arrives, or
//!    empty after [`Worker::poll_wait`].
//! 2. **Run.** Each task runs its handler on its own Tokio task, with a
//!    [`Ctx`] (call id, run id, attempt, arguments, callback token) and the
//!    arguments. A panic is caught and reported as a retryable failure.
//! 3. **Heartbeat.** A poll *leases* a task (30 s by default). While a
//!    handler runs longer than a third of the lease, the worker extends it
//!    (`POST /v1/tasks/{taskId}/heartbeat`); a worker that dies stops
//!    heartbeating and the task is handed out again, with the same call id.
//! 4. **Report.** `Ok(value)` becomes `{taskId, value}`; `Err(Error)`
//!    becomes `{taskId, error, retryable}`, sent in `POST /v1/tasks/results`
//!    together with every other result that finished while the previous
//!    report was on its way (a lone result goes at once). A server without
//!    that endpoint gets `complete` and `fail` per task. A task rejected as
//!    unknown (404) moved on (answered, cancelled, or replaced by a newer
//!    attempt): not an error.
//!
//! When the server is away or answers 5xx, the worker backs off with jitter
//! (up to [`BACKOFF_MAX`]) and logs once per outage. On shutdown it stops
//! polling, lets running handlers finish and report, then returns.
//!
//! Delivery is **at least once**: a handler may run again for the same call
//! (a lost lease, a crash before the result was stored), so deduplicate on
//! [`Ctx::call_id`]. The result is recorded exactly once.
//!
//! ```no_run
//! use serde_json::{json, Value};
//! use weft_worker::{Ctx, Error, Worker};
//!
//! # async fn main_() -> Result<(), weft_worker::ClientError> {
//! Worker::new("http://127.0.0.1:7400")
//!     .name("accounts-1")
//!     .activity("CreateAccount", |ctx: Ctx, args: Value| async move {
//!         let nick = args[0]["nick"].as_str().ok_or_else(|| Error::permanent("no nick"))?;
//!         // ... create it, keyed by ctx.call_id() so a retry finds it ...
//!         Ok(json!({"status": "ok", "id": 42, "nick": nick, "key": ctx.call_id()}))
//!     })
//!     .concurrency(16)
//!     .run()
//!     .await
//! # }
//! ```
//!
//! Awaited calls (`await SendActivationEmail(email) @timeout(24h)`) carry a
//! callback token: the handler returns once the work is started, and
//! [`CallbackHandle::complete`] delivers the awaited value later. See
//! `docs/workers.md` for the protocol and other languages.

#![warn(missing_docs)]

mod backoff;
mod batch;
mod client;
mod ctx;
mod error;
mod report_lines;
mod run;
mod time;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use backoff::{BACKOFF_MAX, BACKOFF_MIN};
pub use client::{LEASE_ASSUMED_DEFAULT, LEASE_ASSUMED_MIN, POLL_TIMEOUT_MARGIN, REQUEST_TIMEOUT};
pub use ctx::{CallbackHandle, Ctx, HEARTBEAT_EVERY_MIN, HEARTBEAT_RETRY_MAX, HEARTBEAT_TIMEOUT};
pub use error::{ClientError, Error};
pub use report_lines::RESULTS_PER_REQUEST_MAX;
pub use run::{EMPTY_POLL_MIN, REPORT_RETRY_MAX};

/// Tasks in flight at most, unless [`Worker::concurrency`] says otherwise.
pub const CONCURRENCY_DEFAULT: usize = 16;

/// How long a poll waits for a task, unless [`Worker::poll_wait`] says
/// otherwise.
pub const POLL_WAIT_DEFAULT: Duration = Duration::from_secs(20);

/// Longest poll wait the server grants.
pub const POLL_WAIT_MAX: Duration = Duration::from_secs(60);

/// Most unreported tasks one task stream holds (the server's
/// `STREAM_TASKS_MAX`): a worker with a higher concurrency asks for this many.
pub const STREAM_TASKS_MAX: usize = 256;

/// Most tasks one poll may ask for (the server's limit).
pub const POLL_TASKS_MAX: usize = 100;

/// Most activities one worker may serve (the server's limit per poll).
pub const ACTIVITIES_MAX: usize = 100;

/// The result of a handler.
pub type HandlerResult = Result<Value, Error>;

/// The future a handler returns, boxed.
pub type HandlerFuture = Pin<Box<dyn Future<Output = HandlerResult> + Send>>;

type Handler = Arc<dyn Fn(Ctx, Value) -> HandlerFuture + Send + Sync>;

/// How much a log line matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Routine: a task completed, a task moved on.
    Debug,
    /// Worth knowing: started, stopping, the server is back.
    Info,
    /// Something is wrong but the worker carries on (the server is away).
    Warn,
    /// The worker gave up on something (a report, or polling altogether).
    Error,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        })
    }
}

/// Where the worker's log lines go.
pub type Logger = Arc<dyn Fn(Level, &str) + Send + Sync>;

/// A logger that writes lines of `min` and above to stderr; the default
/// is `stderr_logger(Level::Info)`.
///
/// ```
/// use weft_worker::{stderr_logger, Level, Worker};
/// let w = Worker::new("http://127.0.0.1:7400").logger(stderr_logger(Level::Debug));
/// ```
pub fn stderr_logger(min: Level) -> impl Fn(Level, &str) + Send + Sync + 'static {
    move |level, msg| {
        if level >= min {
            eprintln!("weft-worker: {level}: {msg}");
        }
    }
}

/// Stops a running [`Worker`]: it stops polling, lets running handlers
/// finish and report, then `run` returns. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            tx: Arc::new(tokio::sync::watch::channel(false).0),
        }
    }
}

impl Shutdown {
    /// Asks the worker to stop. Idempotent.
    pub fn shutdown(&self) {
        self.tx.send_replace(true);
    }

    /// True once [`Shutdown::shutdown`] was called.
    pub fn is_shutdown(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once [`Shutdown::shutdown`] is called.
    pub async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so the channel cannot close.
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// A worker: activity handlers and the loop that feeds them. Build it,
/// then [`Worker::run`] or [`Worker::run_until`].
pub struct Worker {
    url: String,
    token: Option<String>,
    name: String,
    handlers: BTreeMap<String, Handler>,
    concurrency: usize,
    poll_wait: Duration,
    backoff_max: Duration,
    log: Logger,
    shutdown: Shutdown,
    streaming: bool,
}

impl Worker {
    /// A worker of the server at `url` (e.g. `http://127.0.0.1:7400`).
    pub fn new(url: impl Into<String>) -> Worker {
        Worker {
            url: url.into(),
            token: None,
            name: format!("rust-{}", std::process::id()),
            handlers: BTreeMap::new(),
            concurrency: CONCURRENCY_DEFAULT,
            poll_wait: POLL_WAIT_DEFAULT,
            backoff_max: BACKOFF_MAX,
            log: Arc::new(stderr_logger(Level::Info)),
            shutdown: Shutdown::default(),
            streaming: true,
        }
    }

    /// The bearer token the server needs (`weft serve --token-file`).
    pub fn token(mut self, token: impl Into<String>) -> Worker {
        let t: String = token.into();
        self.token = Some(t.trim().to_string());
        self
    }

    /// The worker's name, sent with polls (shown with leases); default
    /// `rust-<pid>`.
    pub fn name(mut self, name: impl Into<String>) -> Worker {
        self.name = name.into();
        self
    }

    /// Serves the activity `name` with `handler`. `args` is the call's JSON
    /// list of arguments (also [`Ctx::args`]). Registering a name again
    /// replaces its handler.
    pub fn activity<F, Fut>(mut self, name: impl Into<String>, handler: F) -> Worker
    where
        F: Fn(Ctx, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let h: Handler = Arc::new(move |ctx, args| Box::pin(handler(ctx, args)));
        self.handlers.insert(name.into(), h);
        self
    }

    /// Most tasks in flight at once (default [`CONCURRENCY_DEFAULT`]); a
    /// poll asks for as many tasks as there are free slots.
    pub fn concurrency(mut self, n: usize) -> Worker {
        self.concurrency = n;
        self
    }

    /// How long one poll waits for a task (default [`POLL_WAIT_DEFAULT`],
    /// at most [`POLL_WAIT_MAX`]). Shorter waits mean more requests.
    pub fn poll_wait(mut self, wait: Duration) -> Worker {
        self.poll_wait = wait.min(POLL_WAIT_MAX);
        self
    }

    /// Whether to take tasks from the server's task stream
    /// (`POST /v1/tasks/stream`, default `true`): one long-lived answer
    /// down which the server pushes tasks as it leases them, holding at
    /// most [`Worker::concurrency`] unreported. A server without it (an
    /// older build) is polled instead; `false` always polls.
    pub fn streaming(mut self, on: bool) -> Worker {
        self.streaming = on;
        self
    }

    /// Longest back-off delay when the server is away (default
    /// [`BACKOFF_MAX`]).
    pub fn backoff_max(mut self, max: Duration) -> Worker {
        self.backoff_max = max;
        self
    }

    /// Sends log lines to `log` instead of stderr. For example, to see
    /// debug lines too: `.logger(weft_worker::stderr_logger(Level::Debug))`.
    pub fn logger(mut self, log: impl Fn(Level, &str) + Send + Sync + 'static) -> Worker {
        self.log = Arc::new(log);
        self
    }

    /// A handle that stops the worker gracefully from anywhere.
    pub fn shutdown_handle(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Runs until Ctrl-C, SIGTERM or [`Shutdown::shutdown`], then stops
    /// gracefully. Fails at once when the worker is not set up correctly,
    /// or later when the server refuses polls for a reason retrying cannot
    /// fix (a wrong token): in both cases after running handlers finished.
    pub async fn run(self) -> Result<(), ClientError> {
        self.run_until(terminated()).await
    }

    /// Runs until `signal` resolves or [`Shutdown::shutdown`] is called,
    /// then stops gracefully: no more polls; running handlers finish,
    /// heartbeat and report; then it returns.
    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send,
    ) -> Result<(), ClientError> {
        if self.handlers.is_empty() {
            return Err(ClientError::Config(
                "no activities: register at least one with `.activity(name, handler)`".into(),
            ));
        }
        if self.handlers.len() > ACTIVITIES_MAX {
            return Err(ClientError::Config(format!(
                "{} activities; one worker serves at most {ACTIVITIES_MAX}: split them over several workers",
                self.handlers.len()
            )));
        }
        if self.concurrency == 0 {
            return Err(ClientError::Config(
                "concurrency 0 would never run a task: give at least 1".into(),
            ));
        }
        let client = client::Client::new(&self.url, self.token.clone())?;
        run::Loop {
            client,
            name: self.name,
            handlers: self.handlers,
            concurrency: self.concurrency,
            poll_wait: self.poll_wait,
            backoff_max: self.backoff_max,
            log: self.log,
            url: self.url,
            streaming: self.streaming,
        }
        .run(signal, self.shutdown)
        .await
    }
}

/// Resolves on Ctrl-C or SIGTERM (never, where signals cannot be watched).
async fn terminated() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    {
        ctrl_c.await;
    }
}

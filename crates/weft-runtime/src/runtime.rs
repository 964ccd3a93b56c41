//! The real-time runtime: a core thread that owns the [`Host`], a writer
//! thread that commits batches, and dispatchers that run activities.
//!
//! ```text
//!  requests ──┐                        ┌──────── writer thread ────────┐
//!  results  ──┼─► core thread ─batch─► │ store.commit(batch): 1 fsync  │
//!  timers   ──┘   (Host)     ◄─────────┴── Committed(no) ──────────────┘
//!                    │ effects of batch `no`, only after it is durable
//!                    ▼
//!               dispatcher (activities), waiters, replies
//! ```
//!
//! Group commit falls out of the shape: while the writer syncs batch `n`,
//! the core keeps applying events into batch `n + 1`, so under load one
//! fsync covers the steps of many runs. At most [`PIPELINE_DEPTH`] batches
//! are in flight; effects and replies of a batch wait for its commit, so
//! nothing outside ever sees a step that a crash could take back.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use foldhash::{HashMap, HashMapExt};
use tokio::sync::oneshot;
use weft_engine::program::Program;
use weft_engine::state::{Event, Status, Task};
use weft_store::{
    Batch, Deployment, IncomingEvent, IngestOutcome, RunRecord, ScheduleRow, SourceText, Store,
    StoreError,
};

use crate::host::{
    Cluster, CommandRequest, Effect, Host, HostError, ScheduleAction, Sent, Started, UpgradeReport,
    UpgradeTarget,
};
use crate::ids::OsEntropy;
use crate::metrics::Metrics;
use weft_store::CommandRecord;

/// Batches handed to the writer and not yet acknowledged, at most. The
/// core hands over what it has at the end of each round while there is
/// room, and the writer commits every batch waiting for it together when
/// it is free (on one node: see `writer_loop`), so the batch being
/// committed is followed by all the work that came meanwhile. With two,
/// the second place held a batch taken early, with what had come by then,
/// and what came after waited for both commits (benchmarks.md, round 12:
/// four gave +5 to +10 % steps/s at 64 runs).
pub const PIPELINE_DEPTH: usize = 4;

/// A batch of at most this many run steps, with no other batch in flight,
/// is committed on the core thread itself. At low load this saves two
/// thread hand-offs per step (core to writer and back), which on a fast
/// disk cost as much as the fsync; at high load batches are larger and go
/// to the writer, so building the next batch overlaps the commit.
pub const INLINE_COMMIT_WRITES_MAX: usize = 4;

/// Every this many waiters added, waiters whose callers gave up are dropped.
pub const WAITER_PRUNE_EVERY: u64 = 1_024;

/// In a cluster: how often a node looks for runs with work (timers that
/// came due, events queued by other nodes) when nothing wakes it.
pub const CLAIM_INTERVAL: Duration = Duration::from_millis(200);

/// In a cluster: how often a waiting caller looks at the store, since
/// another node may finish the run.
pub const WAIT_POLL: Duration = Duration::from_millis(250);

/// In a cluster: how long the waker waits for a notification at a time.
pub const WAKE_WAIT: Duration = Duration::from_secs(1);

/// Messages the core handles in one round before committing, at most.
pub const ROUND_MESSAGES_MAX: usize = 4_096;

/// With no batch in flight (the writer idle), the core ends its round
/// after this many messages and hands what it has to the writer, then
/// applies the rest into the next batch while that one commits. Without
/// it, the results of one commit (all of its runs' next steps, arriving
/// at once) were applied in one round and committed in one batch, the
/// writer idle all the while, and the next commit's results likewise:
/// the two threads took turns instead of overlapping (benchmarks.md,
/// "Round 8").
pub const IDLE_WRITER_ROUND_MESSAGES_MAX: usize = 16;

/// After a commit failed (disk full, I/O error), how long the core waits
/// before it applies again what no caller waits for (activity results,
/// due timers): requests are still tried, each answered with the store's
/// error while it fails, so that a full disk costs one failed
/// transaction per request and not a busy loop.
pub const COMMIT_RETRY: Duration = Duration::from_secs(1);

/// The core thread goes round its loop at least this often, so that its
/// heartbeat ([`Metrics::core_heartbeat_ms`]) says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(1);

/// Times [`Runtime::ingest`] takes a list of events again after its batch
/// was refused as a conflict (another node took one of its ids first, or
/// an unrelated write of the batch conflicted): each time the ids taken
/// meanwhile count as duplicates.
pub const INGEST_CONFLICT_RETRIES: usize = 3;

/// In a cluster, how often a node looks for due schedules (another node
/// may have changed them): a fire is at most this late.
pub const SCHEDULE_POLL: Duration = Duration::from_secs(1);

/// The current time in epoch milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Where activity results go: a handle a dispatcher keeps per task. It is a
/// function from (run id, event) so that anything can build one (the
/// runtime's sends to its core; a test's collects what it is given).
#[derive(Clone)]
pub struct ResultSink {
    deliver: Arc<dyn Fn(String, Event) + Send + Sync>,
}

impl ResultSink {
    /// A sink that hands every result to `deliver`.
    pub fn new(deliver: impl Fn(String, Event) + Send + Sync + 'static) -> ResultSink {
        ResultSink {
            deliver: Arc::new(deliver),
        }
    }

    /// Hands `event` of run `run_id` on as is (for sinks that wrap
    /// another, e.g. to release a concurrency slot when the answer comes).
    pub fn deliver(&self, run_id: String, event: Event) {
        (self.deliver)(run_id, event)
    }

    fn channel(tx: Sender<Msg>) -> ResultSink {
        ResultSink::new(move |run_id, event| {
            let _ = tx.send(Msg::Event { run_id, event });
        })
    }

    /// The attempt returned `value`.
    pub fn complete(&self, task: &Task, value: serde_json::Value) {
        (self.deliver)(
            task.run_id.clone(),
            Event::CallCompleted {
                call: task.call,
                attempt: task.attempt,
                value,
            },
        );
    }

    /// The attempt failed.
    pub fn fail(&self, task: &Task, error: String, retryable: bool) {
        (self.deliver)(
            task.run_id.clone(),
            Event::CallFailed {
                call: task.call,
                attempt: task.attempt,
                error,
                retryable,
            },
        );
    }
}

/// Runs activities: gets each task once its dispatch is durable.
pub trait Dispatcher: Send + Sync + 'static {
    /// Starts the task; report its outcome through `sink` (at least once).
    fn dispatch(&self, task: Task, sink: ResultSink);
    /// The call no longer needs the task (best effort).
    fn cancel(&self, call_id: &str);
}

type Reply<T> = oneshot::Sender<Result<T, HostError>>;

enum Msg {
    Start {
        flow: String,
        input: serde_json::Value,
        key: Option<String>,
        reply: Reply<(Started, RunRecord)>,
        /// Registered before the run can move, so no finish is missed.
        finish: Option<oneshot::Sender<RunRecord>>,
    },
    Deploy {
        files: Vec<SourceText>,
        /// Compiled by the caller, off the core.
        program: Program,
        reply: Reply<Deployment>,
    },
    Event {
        run_id: String,
        event: Event,
    },
    Operator {
        run_id: String,
        event: Event,
        reply: Reply<RunRecord>,
    },
    Callback {
        token: String,
        value: serde_json::Value,
        reply: Reply<String>,
    },
    Fork {
        run_id: String,
        step: i64,
        version: Option<i64>,
        by: String,
        reply: Reply<RunRecord>,
    },
    WaitFinished {
        run_id: String,
        reply: oneshot::Sender<RunRecord>,
    },
    Upgrade {
        target: UpgradeTarget,
        to: i64,
        by: String,
        dry_run: bool,
        reply: Reply<UpgradeReport>,
    },
    Command {
        req: CommandRequest,
        reply: Reply<Sent>,
        /// Registered before the command can move, so no finish is missed.
        done: oneshot::Sender<CommandRecord>,
    },
    Committed {
        no: u64,
        result: Result<(), StoreError>,
    },
    Ingest {
        events: Vec<IncomingEvent>,
        reply: Reply<IngestOutcome>,
    },
    Redrive {
        id: String,
        reply: Reply<Vec<weft_store::TriggerStart>>,
    },
    Schedule {
        name: String,
        action: ScheduleAction,
        reply: Reply<ScheduleRow>,
    },
    /// In a cluster: another node queued work.
    Wake,
    Shutdown,
}

/// A handle to a running runtime; cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    tx: Sender<Msg>,
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    inner: Arc<Inner>,
}

struct Inner {
    threads: std::sync::Mutex<Vec<JoinHandle<()>>>,
    stopped: Arc<AtomicBool>,
    /// One node of a cluster (waits also poll the store).
    cluster: bool,
}

/// [`Host::prepare`], saying what it did.
fn prepare(host: &mut Host) -> Result<(), HostError> {
    let (migrated, unparked) = host.prepare(now_ms())?;
    if migrated > 0 {
        tracing::info!(
            "stored the compiled programs of {migrated} version(s) deployed before \
             programs were stored (compiled under edition 1)"
        );
    }
    if unparked > 0 {
        tracing::info!("{unparked} parked run(s) are readable by this build and resume");
    }
    if host.parked_runs() > 0 {
        tracing::warn!(
            "{} run(s) stay parked: this build cannot read them (weft runs list \
             --status failed shows why)",
            host.parked_runs()
        );
    }
    Ok(())
}

/// The runtime stopped and takes no more requests.
fn stopped() -> HostError {
    HostError::Store(StoreError::Io("the runtime is shutting down".into()))
}

impl Runtime {
    /// Starts the core and writer threads over `store`; activities go to
    /// `dispatcher`. First the store is made ready for this build
    /// ([`Host::prepare`]: programs of versions deployed without one, runs
    /// parked by a build that could not read them); then tasks left
    /// outstanding by a previous process are dispatched again (same call
    /// ids).
    pub fn start(
        store: Arc<dyn Store>,
        dispatcher: Arc<dyn Dispatcher>,
    ) -> Result<Runtime, HostError> {
        let mut host = Host::new(store.clone(), Box::new(OsEntropy));
        prepare(&mut host)?;
        let recovered = host.recover_tasks()?;
        // Commands queued with nothing running: their start is in the
        // first batch the core commits.
        host.recover_machines(now_ms())?;
        Runtime::launch(store, host, dispatcher, recovered)
    }

    /// Test builds: [`Runtime::start`] with a probe on the host (see
    /// [`Host::set_probe`]), which tests make panic as a bug would.
    #[cfg(feature = "test-hooks")]
    pub fn start_probed(
        store: Arc<dyn Store>,
        dispatcher: Arc<dyn Dispatcher>,
        probe: crate::host::Probe,
    ) -> Result<Runtime, HostError> {
        let mut host = Host::new(store.clone(), Box::new(OsEntropy));
        prepare(&mut host)?;
        host.set_probe(Some(probe));
        let recovered = host.recover_tasks()?;
        Runtime::launch(store, host, dispatcher, recovered)
    }

    /// Starts a runtime that is one node of a cluster (see
    /// `weft_store::cluster`). Tasks are not dispatched from here: they
    /// wait in the shared store until a worker (or a node's pusher) leases
    /// them, so nothing is lost when this node dies.
    pub fn start_cluster(
        cluster: Cluster,
        dispatcher: Arc<dyn Dispatcher>,
    ) -> Result<Runtime, HostError> {
        let store: Arc<dyn Store> = cluster.store.clone();
        let mut host = Host::new_cluster(cluster, Box::new(OsEntropy));
        prepare(&mut host)?;
        Runtime::launch(store, host, dispatcher, Vec::new())
    }

    fn launch(
        store: Arc<dyn Store>,
        host: Host,
        dispatcher: Arc<dyn Dispatcher>,
        recovered: Vec<Task>,
    ) -> Result<Runtime, HostError> {
        let (tx, rx) = mpsc::channel::<Msg>();
        let (wtx, wrx) = mpsc::channel::<Batched>();
        let waker = host.cluster().cloned();
        let waker_is_cluster = waker.is_some();
        let writer_store = store.clone();
        let writer_tx = tx.clone();
        let metrics = Arc::new(Metrics::default());
        let writer_metrics = metrics.clone();
        let writer = std::thread::Builder::new()
            .name("weft-writer".into())
            .spawn(move || {
                writer_loop(
                    writer_store,
                    wrx,
                    writer_tx,
                    !waker_is_cluster,
                    &writer_metrics,
                )
            })
            .map_err(|e| {
                HostError::Store(StoreError::Io(format!(
                    "cannot start the writer thread: {e}"
                )))
            })?;
        let sink = ResultSink::channel(tx.clone());
        for task in recovered {
            dispatcher.dispatch(task, sink.clone());
        }
        let stopped = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        if let Some(cl) = waker {
            // Wakes the core when another node queues work or adds tasks.
            let tx = tx.clone();
            let stopped = stopped.clone();
            threads.push(
                std::thread::Builder::new()
                    .name("weft-waker".into())
                    .spawn(move || {
                        while !stopped.load(Ordering::SeqCst) {
                            match cl.store.wait_for_work(WAKE_WAIT) {
                                Ok(true) => {
                                    if tx.send(Msg::Wake).is_err() {
                                        return;
                                    }
                                }
                                Ok(false) => {}
                                Err(e) => {
                                    tracing::warn!(error = %e, "waiting for work failed: {e}");
                                    std::thread::sleep(WAKE_WAIT);
                                }
                            }
                        }
                    })
                    .map_err(|e| {
                        HostError::Store(StoreError::Io(format!(
                            "cannot start the waker thread: {e}"
                        )))
                    })?,
            );
        }
        let core_tx = tx.clone();
        let core_store = store.clone();
        let core_metrics = metrics.clone();
        let core = std::thread::Builder::new()
            .name("weft-core".into())
            .spawn(move || {
                Core {
                    host,
                    store: core_store,
                    rx,
                    writer: wtx,
                    sink: ResultSink::channel(core_tx),
                    dispatcher,
                    in_flight: BTreeMap::new(),
                    oldest_work: None,
                    metrics: core_metrics,
                    generation: 0,
                    batch_events: Vec::new(),
                    held: Vec::new(),
                    retry_at: None,
                    replies: Vec::new(),
                    waiters: HashMap::new(),
                    command_waiters: HashMap::new(),
                    waiter_adds: 0,
                    stopping: false,
                    woken: true,
                    last_claim: Instant::now(),
                    last_renew: Instant::now(),
                    last_schedules: Instant::now(),
                    schedule_work: false,
                }
                .run()
            })
            .map_err(|e| {
                HostError::Store(StoreError::Io(format!("cannot start the core thread: {e}")))
            })?;
        let cluster = waker_is_cluster;
        threads.push(core);
        threads.push(writer);
        Ok(Runtime {
            tx,
            store,
            metrics,
            inner: Arc::new(Inner {
                threads: std::sync::Mutex::new(threads),
                stopped,
                cluster,
            }),
        })
    }

    /// What the runtime measures about itself.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The store (for reads of committed data: lists, journals, records).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    fn send(&self, m: Msg) -> Result<(), HostError> {
        if self.inner.stopped.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        self.tx.send(m).map_err(|_| stopped())
    }

    /// Deploys a new program version (already checked by the caller).
    ///
    /// The program is compiled here, on a blocking thread of the caller's
    /// async runtime (or the caller's own thread outside one), not on the
    /// core: compiling a large program takes a while, and the core applies
    /// every run's events in the meantime. Only storing the version goes
    /// through the core.
    pub async fn deploy(&self, files: Vec<SourceText>) -> Result<Deployment, HostError> {
        let program = match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let sources = files.clone();
                handle
                    .spawn_blocking(move || Host::compile(&sources))
                    .await
                    .map_err(|e| HostError::Compile(format!("the compiler stopped: {e}")))??
            }
            Err(_) => Host::compile(&files)?,
        };
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Deploy {
            files,
            program,
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// Starts a run; returns once the start is durable.
    pub async fn start_run(
        &self,
        flow: &str,
        input: serde_json::Value,
        idempotency_key: Option<String>,
    ) -> Result<(Started, RunRecord), HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Start {
            flow: flow.to_string(),
            input,
            key: idempotency_key.clone(),
            reply,
            finish: None,
        })?;
        let result = rx.await.map_err(|_| stopped())?;
        self.existing_on_conflict(result, idempotency_key.as_deref())
    }

    /// Two nodes may start a run with one idempotency key at once; the
    /// store lets one win and refuses the other's batch. The loser answers
    /// with the winner's run.
    fn existing_on_conflict(
        &self,
        result: Result<(Started, RunRecord), HostError>,
        key: Option<&str>,
    ) -> Result<(Started, RunRecord), HostError> {
        match (result, key) {
            (Err(HostError::Store(StoreError::Conflict(e))), Some(key)) => {
                let winner = match self.store.run_by_key(key)? {
                    Some(id) => self.store.run(&id)?,
                    None => None,
                };
                match winner {
                    Some(rec) => Ok((
                        Started {
                            run_id: rec.id.clone(),
                            created: false,
                        },
                        rec,
                    )),
                    None => Err(HostError::Store(StoreError::Conflict(e))),
                }
            }
            (r, _) => r,
        }
    }

    /// Starts a run and waits until it completes, fails or is cancelled, or
    /// until `timeout` passes; returns the run as it stands then (a
    /// synchronous call for request/response use).
    pub async fn start_and_wait(
        &self,
        flow: &str,
        input: serde_json::Value,
        idempotency_key: Option<String>,
        timeout: Duration,
    ) -> Result<(Started, RunRecord), HostError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let (reply, rx) = oneshot::channel();
        let (finish, done) = oneshot::channel();
        self.send(Msg::Start {
            flow: flow.to_string(),
            input,
            key: idempotency_key.clone(),
            reply,
            finish: Some(finish),
        })?;
        let result = rx.await.map_err(|_| stopped())?;
        let conflicted = matches!(result, Err(HostError::Store(StoreError::Conflict(_))));
        let (started, record) = self.existing_on_conflict(result, idempotency_key.as_deref())?;
        if finished(record.status) {
            return Ok((started, record));
        }
        // After a lost race the waiter was registered under the losing id.
        let rec = if conflicted {
            self.wait_until(&started.run_id, deadline, None).await?
        } else {
            self.wait_until(&started.run_id, deadline, Some(done))
                .await?
        };
        Ok((started, rec.unwrap_or(record)))
    }

    /// Waits for a run to finish until `deadline`: on the core's word when
    /// this node commits the end, or on the store's (polled), since in a
    /// cluster another node may finish the run.
    async fn wait_until(
        &self,
        run_id: &str,
        deadline: tokio::time::Instant,
        done: Option<oneshot::Receiver<RunRecord>>,
    ) -> Result<Option<RunRecord>, HostError> {
        let mut done = match done {
            Some(d) => d,
            None => {
                let (reply, rx) = oneshot::channel();
                self.send(Msg::WaitFinished {
                    run_id: run_id.to_string(),
                    reply,
                })?;
                rx
            }
        };
        let poll = self.inner.cluster;
        loop {
            let step = if poll {
                deadline.min(tokio::time::Instant::now() + WAIT_POLL)
            } else {
                deadline
            };
            match tokio::time::timeout_at(step, &mut done).await {
                Ok(Ok(rec)) => return Ok(Some(rec)),
                Ok(Err(_)) => return Ok(self.store.run(run_id)?),
                Err(_) if tokio::time::Instant::now() >= deadline => {
                    return Ok(self.store.run(run_id)?)
                }
                Err(_) => {
                    if let Some(rec) = self.store.run(run_id)?.filter(|r| finished(r.status)) {
                        return Ok(Some(rec));
                    }
                }
            }
        }
    }

    /// Waits until the run completes, fails or is cancelled, or until
    /// `timeout` passes; returns the run as it stands then.
    pub async fn wait(
        &self,
        run_id: &str,
        timeout: Duration,
    ) -> Result<Option<RunRecord>, HostError> {
        self.wait_until(run_id, tokio::time::Instant::now() + timeout, None)
            .await
    }

    /// An operator's action (retry, resolve, cancel); returns once durable.
    pub async fn operate(&self, run_id: &str, event: Event) -> Result<RunRecord, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Operator {
            run_id: run_id.to_string(),
            event,
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// Forks a run after a step of its journal, onto `version` when given
    /// (see [`Host::fork`]; `by` names who asked, for an upgrade's entry);
    /// returns the new run's record once it is durable.
    pub async fn fork(
        &self,
        run_id: &str,
        step: i64,
        version: Option<i64>,
        by: &str,
    ) -> Result<RunRecord, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Fork {
            run_id: run_id.to_string(),
            step,
            version,
            by: by.to_string(),
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// A live upgrade of one run or of a flow's runs onto version `to`
    /// ([`Host::upgrade`], [`Host::upgrade_flow`]); returns once the runs
    /// that moved are durable. `by` names who asked, for the journal.
    pub async fn upgrade(
        &self,
        target: UpgradeTarget,
        to: i64,
        by: &str,
        dry_run: bool,
    ) -> Result<UpgradeReport, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Upgrade {
            target,
            to,
            by: by.to_string(),
            dry_run,
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// Completes an awaited call by its token; returns the id of the run
    /// it resumes once the callback is durable.
    pub async fn callback(
        &self,
        token: &str,
        value: serde_json::Value,
    ) -> Result<String, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Callback {
            token: token.to_string(),
            value,
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// Sends a command to a machine instance and waits until it is applied
    /// or refused, or until `wait` passes; returns the command as it stands
    /// then (still queued or running when `wait` ran out). Duplicates of a
    /// command id get the first command's record.
    pub async fn send_command(
        &self,
        mut req: CommandRequest,
        wait: Duration,
    ) -> Result<CommandRecord, HostError> {
        let deadline = tokio::time::Instant::now() + wait;
        let id = req
            .command_id
            .get_or_insert_with(|| format!("c-{}", crate::ids::token(&mut OsEntropy)))
            .clone();
        let (machine, key) = (req.machine.clone(), req.key.clone());
        let (reply, rx) = oneshot::channel();
        let (done, mut done_rx) = oneshot::channel();
        self.send(Msg::Command { req, reply, done })?;
        let sent = rx.await.map_err(|_| stopped())??;
        if sent.record.status.is_finished() {
            return Ok(sent.record);
        }
        let poll = self.inner.cluster;
        loop {
            let step = if poll {
                deadline.min(tokio::time::Instant::now() + WAIT_POLL)
            } else {
                deadline
            };
            match tokio::time::timeout_at(step, &mut done_rx).await {
                Ok(Ok(rec)) => return Ok(rec),
                Ok(Err(_)) => break,
                Err(_) if tokio::time::Instant::now() >= deadline => break,
                Err(_) => {
                    // In a cluster another node may apply it.
                    if let Some(rec) = self
                        .store
                        .command_by_id(&machine, &key, &id)?
                        .filter(|r| r.status.is_finished())
                    {
                        return Ok(rec);
                    }
                }
            }
        }
        Ok(self
            .store
            .command_by_id(&machine, &key, &id)?
            .unwrap_or(sent.record))
    }

    /// Takes events: the one entry point for `POST /v1/events` and every
    /// pull or stream source. Returns once every new event (and what it
    /// causes) is durable: `accepted` counts the events whose id was new,
    /// `duplicates` those whose id was taken before. Offering the same
    /// events again is safe: a source that crashed before it acknowledged
    /// them gets them back as duplicates. The whole list is refused, and
    /// nothing taken, when it breaks a limit
    /// ([`weft_engine::limits::EVENTS_PER_INGEST_MAX`], `EVENT_BYTES_MAX`,
    /// `EVENT_NAME_BYTES_MAX`).
    pub async fn ingest(&self, events: Vec<IncomingEvent>) -> Result<IngestOutcome, HostError> {
        let mut attempt = 0;
        loop {
            let (reply, rx) = oneshot::channel();
            self.send(Msg::Ingest {
                events: events.clone(),
                reply,
            })?;
            match rx.await.map_err(|_| stopped())? {
                Err(HostError::Store(StoreError::Conflict(e))) => {
                    attempt += 1;
                    if attempt > INGEST_CONFLICT_RETRIES {
                        return Err(HostError::Store(StoreError::Conflict(e)));
                    }
                    tracing::debug!(error = %e, "taking {} event(s) again after a conflict", events.len());
                }
                other => return other,
            }
        }
    }

    /// An operator's re-drive of a stored event: its triggers whose run
    /// could not start are tried again (see
    /// [`crate::host::Host::redrive_event`]); returns the event's starts
    /// once they, and the runs they started, are durable.
    pub async fn redrive_event(
        &self,
        id: &str,
    ) -> Result<Vec<weft_store::TriggerStart>, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Redrive {
            id: id.to_string(),
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// An operator's action on a schedule (pause, resume, trigger now);
    /// returns the schedule's row once the action is durable.
    pub async fn schedule(
        &self,
        name: &str,
        action: ScheduleAction,
    ) -> Result<ScheduleRow, HostError> {
        let (reply, rx) = oneshot::channel();
        self.send(Msg::Schedule {
            name: name.to_string(),
            action,
            reply,
        })?;
        rx.await.map_err(|_| stopped())?
    }

    /// A sink for activity results reported from outside a dispatcher
    /// (e.g. a worker completing a pulled task over HTTP).
    pub fn results(&self) -> ResultSink {
        ResultSink::channel(self.tx.clone())
    }

    /// Stops taking requests, commits what is pending, and stops the
    /// threads. Safe to call more than once.
    pub fn shutdown(&self) {
        if self.inner.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        let _ = self.tx.send(Msg::Shutdown);
        let threads =
            std::mem::take(&mut *self.inner.threads.lock().unwrap_or_else(|e| e.into_inner()));
        for t in threads {
            let _ = t.join();
        }
    }
}

/// An error of the same kind as `e`, saying `message`.
fn like(e: &StoreError, message: String) -> StoreError {
    match e {
        StoreError::Io(_) => StoreError::Io(message),
        StoreError::Corrupt(_) => StoreError::Corrupt(message),
        StoreError::Conflict(_) => StoreError::Conflict(message),
        StoreError::Full(_) => StoreError::Full(message),
    }
}

/// The message inside an error.
fn strip(e: &StoreError) -> String {
    match e {
        StoreError::Io(m)
        | StoreError::Corrupt(m)
        | StoreError::Conflict(m)
        | StoreError::Full(m) => m.clone(),
    }
}

/// A batch for the writer: its number, the host generation it was built
/// in, and the batch.
type Batched = (u64, u64, Batch);

/// Commits batches in order. A batch that fails is reported, not retried:
/// its callers are answered with the error at once, and nothing they gave
/// up on is committed later. Every later batch of the same generation was
/// built on the failed one's state, so it is refused untried; the core
/// starts a new generation from what is durable.
///
/// On one node (`merge`), batches that wait for the writer when it is free
/// are committed together, in one transaction (see [`coalesce`]): a result
/// that came while the writer was busy then waits for one commit, not for
/// the one already queued ahead of it and then its own. Not in a cluster,
/// where a batch refused as a conflict is routine (another node fired a
/// schedule first, or took a run) and must not take others with it.
fn writer_loop(
    store: Arc<dyn Store>,
    rx: Receiver<Batched>,
    tx: Sender<Msg>,
    merge: bool,
    metrics: &Metrics,
) {
    let mut poisoned: Option<(u64, StoreError)> = None;
    let mut held: Option<Batched> = None;
    loop {
        let first = match held.take() {
            Some(b) => b,
            None => match rx.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
        };
        let generation = first.1;
        let (nos, batch) = if merge {
            coalesce(first, &rx, &mut held)
        } else {
            (vec![first.0], first.2)
        };
        let result = match &poisoned {
            Some((g, e)) if *g == generation => Err(like(
                e,
                format!("not committed: it was built on a batch that failed ({e})"),
            )),
            _ => store.commit(&batch),
        };
        // Before the core hears of it: the batch's records are the host's,
        // shared, and the run's next step changes its record in place
        // unless something else still holds it.
        drop(batch);
        if result.is_ok() {
            metrics.transactions.fetch_add(1, Ordering::Relaxed);
        }
        if let Err(e) = &result {
            if !matches!(&poisoned, Some((g, _)) if *g == generation) {
                poisoned = Some((generation, like(e, strip(e))));
            }
        }
        for (i, &no) in nos.iter().enumerate() {
            let result = match &result {
                Ok(()) => Ok(()),
                Err(e) if i == 0 => Err(like(e, strip(e))),
                Err(e) => Err(like(
                    e,
                    format!("not committed: committed together with a batch that failed ({e})"),
                )),
            };
            if tx.send(Msg::Committed { no, result }).is_err() {
                return;
            }
        }
    }
}

/// `first` and the batches already waiting behind it, as one batch with
/// the numbers of those it holds, in order. A waiting batch joins only if
/// it is of the same generation and writes no run the others write (a
/// store's batch has one write per run: the host merges a run's steps
/// within a batch, not across batches); the first that does not join is
/// left in `held` for the next commit. Only runs' steps are merged:
/// batches that write machines, events or schedules (whose rows name the
/// revision they were made from) are committed as they were built.
fn coalesce(
    first: Batched,
    rx: &Receiver<Batched>,
    held: &mut Option<Batched>,
) -> (Vec<u64>, Batch) {
    let (no, generation, mut batch) = first;
    let mut nos = vec![no];
    if !steps_only(&batch) {
        return (nos, batch);
    }
    let mut runs: Option<foldhash::HashSet<String>> = None;
    while let Ok(next) = rx.try_recv() {
        let runs = runs.get_or_insert_with(|| run_ids(&batch).map(str::to_string).collect());
        if next.1 != generation
            || !steps_only(&next.2)
            || run_ids(&next.2).any(|id| runs.contains(id))
        {
            *held = Some(next);
            break;
        }
        runs.extend(run_ids(&next.2).map(str::to_string));
        nos.push(next.0);
        batch.writes.extend(next.2.writes);
    }
    (nos, batch)
}

/// True when every write of the batch is a run's step and nothing else.
fn steps_only(batch: &Batch) -> bool {
    batch.writes.iter().all(|w| {
        w.record.is_some()
            && w.machines.is_empty()
            && w.events.is_empty()
            && w.event_starts.is_empty()
            && w.schedules.is_empty()
    })
}

/// The runs a batch writes.
fn run_ids(batch: &Batch) -> impl Iterator<Item = &str> {
    batch
        .writes
        .iter()
        .filter_map(|w| w.record.as_ref().map(|r| r.id.as_str()))
}

enum Pending {
    Start(Reply<(Started, RunRecord)>, Started),
    /// A command taken: durable once its batch is.
    Command(Reply<Sent>, Box<Sent>),
    Record(Reply<RunRecord>, String),
    /// A callback taken: durable once its batch is, whatever the run's
    /// record reads (another node may hold the run, the store may be away).
    Accepted(Reply<String>, String),
    /// A live upgrade: the runs that moved are durable with the batch.
    Upgrade(Reply<UpgradeReport>, UpgradeReport),
    /// Events taken: durable once their batch is.
    Ingested(Reply<IngestOutcome>, IngestOutcome),
    Redriven(
        Reply<Vec<weft_store::TriggerStart>>,
        Vec<weft_store::TriggerStart>,
    ),
    /// An operator's action on a schedule: durable once its batch is.
    Schedule(Reply<ScheduleRow>, Box<ScheduleRow>),
}

/// A batch handed to the writer and not yet committed.
struct InFlight {
    effects: Vec<Effect>,
    writes: usize,
    taken: Instant,
    since: Instant,
    /// Events no caller waits for that the batch applied: applied again
    /// if it fails.
    events: Vec<(String, Event)>,
    /// The host generation that built it.
    generation: u64,
    /// It holds schedule fires and nothing else (a cluster's poll): a
    /// conflict then means another node fired first, which is normal.
    schedule_fires: bool,
}

struct Core {
    host: Host,
    /// The store, for inline commits (see [`INLINE_COMMIT_WRITES_MAX`]).
    store: Arc<dyn Store>,
    rx: Receiver<Msg>,
    writer: Sender<Batched>,
    sink: ResultSink,
    dispatcher: Arc<dyn Dispatcher>,
    /// Effects of batches sent to the writer, by batch number.
    in_flight: BTreeMap<u64, InFlight>,
    /// When the oldest work not yet in a batch arrived.
    oldest_work: Option<Instant>,
    metrics: Arc<Metrics>,
    /// Bumped when the host starts over from the store after a failed
    /// batch; batches of an older generation are refused by the writer.
    generation: u64,
    /// Events no caller waits for applied into the batch being built.
    batch_events: Vec<(String, Event)>,
    /// Events of failed batches (and events that came while commits
    /// fail), applied again at `retry_at`.
    held: Vec<(String, Event)>,
    /// Set after a failed commit: until then timers, held events and new
    /// events wait (see [`COMMIT_RETRY`]).
    retry_at: Option<Instant>,
    /// Replies that wait for the batch being built.
    replies: Vec<Pending>,
    /// Callers waiting for runs to finish.
    waiters: HashMap<String, Vec<oneshot::Sender<RunRecord>>>,
    /// Callers waiting for commands to finish: (machine, key, command id).
    command_waiters: HashMap<(String, String, String), Vec<oneshot::Sender<CommandRecord>>>,
    /// Waiters added, for pruning the ones whose callers left.
    waiter_adds: u64,
    stopping: bool,
    /// In a cluster: look for work now (another node queued some).
    woken: bool,
    /// In a cluster: when work was last looked for, and claims renewed.
    last_claim: Instant,
    last_renew: Instant,
    /// In a cluster: when schedules were last looked at.
    last_schedules: Instant,
    /// The work the host has was made by firing schedules alone (see
    /// [`InFlight::schedule_fires`]).
    schedule_work: bool,
}

/// True when a batch's refusal is the cluster working as designed and not
/// a fault to log as an error: every node tries each due schedule fire,
/// the store commits one and refuses the others' stale revisions, so a
/// batch of fires alone refused as a conflict lost that race.
fn refusal_is_routine(schedule_fires: bool, e: &StoreError) -> bool {
    schedule_fires && matches!(e, StoreError::Conflict(_))
}

/// A run is "finished" for waiters when it will not move without help.
fn finished(s: Status) -> bool {
    matches!(s, Status::Completed | Status::Cancelled | Status::Failed)
}

impl Core {
    fn run(mut self) {
        let mut batch_replies: BTreeMap<u64, Vec<Pending>> = BTreeMap::new();
        loop {
            let now = now_ms();
            self.metrics.core_heartbeat_ms.store(now, Ordering::Relaxed);
            self.metrics.core_rounds.fetch_add(1, Ordering::Relaxed);
            let mut timeout = match self.host.next_timer() {
                Some(at) if at <= now => Duration::ZERO,
                Some(at) => Duration::from_millis((at - now) as u64),
                None => HEARTBEAT,
            };
            if self.host.cluster().is_some() {
                timeout = timeout.min(CLAIM_INTERVAL.saturating_sub(self.last_claim.elapsed()));
            }
            if let Some(at) = self.retry_at {
                // Timers wait for the retry too (firing them now would
                // write into a failing store in a busy loop).
                timeout = at.saturating_duration_since(Instant::now());
            } else if self.host.has_work() && self.in_flight.len() < PIPELINE_DEPTH {
                // Work made outside a message (recovery at start, runs
                // `Host::prepare` unparked) is committed at once. With the
                // pipeline full, the loop waits: the commit that frees a
                // place arrives as a message (waiting with no timeout here
                // spun the core thread while commits were in flight,
                // taking a core from the writer and the HTTP threads).
                timeout = Duration::ZERO;
            }
            let timeout = timeout.min(HEARTBEAT);
            let first = match self.rx.recv_timeout(timeout) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let round_start = Instant::now();
            let mut round = 0;
            let mut next = first;
            while let Some(m) = next {
                self.handle(m, &mut batch_replies);
                round += 1;
                if round >= ROUND_MESSAGES_MAX
                    || (round >= IDLE_WRITER_ROUND_MESSAGES_MAX
                        && self.in_flight.is_empty()
                        && self.host.has_work())
                {
                    break;
                }
                next = self.rx.try_recv().ok();
            }
            let held_back = self.retry_at.is_some_and(|t| Instant::now() < t);
            if !held_back && self.retry_at.take().is_some() {
                self.redeliver_held();
            }
            if held_back {
                // Commits fail: what no caller waits for waits for the
                // retry (see COMMIT_RETRY).
            } else if let Some(cl) = self.host.cluster().cloned() {
                // In a cluster, timers and queued events are found by claiming
                // runs with work: now when woken, and at least every interval.
                if self.woken || self.last_claim.elapsed() >= CLAIM_INTERVAL {
                    self.woken = false;
                    self.last_claim = Instant::now();
                    if let Err(e) = self.host.claim_work(now_ms()) {
                        tracing::warn!(error = %e, "looking for work failed: {e}");
                    }
                }
                // Schedules fire from a batch of their own: of two nodes
                // firing one schedule, the store refuses one batch, and
                // nothing else is in it to fail with it.
                if self.last_schedules.elapsed() >= SCHEDULE_POLL
                    && self.in_flight.is_empty()
                    && !self.host.has_work()
                {
                    self.last_schedules = Instant::now();
                    self.host.forget_schedule_times();
                    if let Err(e) = self.host.fire_due_schedules(now_ms()) {
                        tracing::warn!(error = %e, "firing schedules failed: {e}");
                    }
                    // The host had no work before: what it has now is the
                    // fires', and the batch below holds nothing else.
                    self.schedule_work = self.host.has_work();
                }
                if self.last_renew.elapsed()
                    >= Duration::from_millis((cl.lease_ms / 3).max(1) as u64)
                {
                    self.last_renew = Instant::now();
                    if let Err(e) = self.host.renew_claims(now_ms()) {
                        tracing::warn!(error = %e, "renewing claims failed: {e}");
                    }
                }
            } else if let Err(e) = self.host.fire_due_timers(now_ms()) {
                tracing::error!(error = %e, "firing timers failed: {e}");
            }
            if self.host.has_work() && self.oldest_work.is_none() {
                self.oldest_work = Some(round_start);
            }
            if self.host.has_work() && self.in_flight.len() < PIPELINE_DEPTH {
                let (no, batch, effects) = self.host.take_batch();
                if self.in_flight.is_empty() {
                    self.metrics
                        .commit_in_flight_since_ms
                        .store(now_ms(), Ordering::Relaxed);
                }
                self.in_flight.insert(
                    no,
                    InFlight {
                        effects,
                        writes: batch.writes.len(),
                        taken: Instant::now(),
                        since: self.oldest_work.take().unwrap_or(round_start),
                        events: std::mem::take(&mut self.batch_events),
                        generation: self.generation,
                        schedule_fires: std::mem::take(&mut self.schedule_work),
                    },
                );
                batch_replies.insert(no, std::mem::take(&mut self.replies));
                let inline =
                    self.in_flight.len() == 1 && batch.writes.len() <= INLINE_COMMIT_WRITES_MAX;
                if inline {
                    // Nothing else is in flight, so a failure here is the
                    // whole story: answered at once, like the writer's.
                    let result = self.store.commit(&batch);
                    drop(batch);
                    if result.is_ok() {
                        self.metrics.transactions.fetch_add(1, Ordering::Relaxed);
                    }
                    self.committed(no, result, &mut batch_replies);
                } else if self.writer.send((no, self.generation, batch)).is_err() {
                    return;
                }
            } else if !self.replies.is_empty() && !self.host.has_work() {
                // Replies with no writes of their own wait for the newest
                // batch in flight (their run's state is in it), or go now.
                match self.in_flight.keys().next_back().copied() {
                    Some(no) => batch_replies
                        .entry(no)
                        .or_default()
                        .append(&mut self.replies),
                    None => {
                        let replies = std::mem::take(&mut self.replies);
                        self.answer(replies, &HashMap::new(), &HashMap::new());
                    }
                }
            }
            if self.stopping && self.in_flight.is_empty() && !self.host.has_work() {
                return;
            }
        }
    }

    fn handle(&mut self, m: Msg, batch_replies: &mut BTreeMap<u64, Vec<Pending>>) {
        let now = now_ms();
        match m {
            Msg::Start {
                flow,
                input,
                key,
                reply,
                finish,
            } => {
                if self.stopping {
                    let _ = reply.send(Err(stopped()));
                    return;
                }
                let result = self.host.start_run(&flow, input, key, now);
                if let (Ok(started), Some(finish)) = (&result, finish) {
                    // Most runs do not finish in their first step: the
                    // status says so without making the run's record.
                    let running = self
                        .host
                        .status_in_memory(&started.run_id)
                        .is_some_and(|s| !finished(s));
                    match (!running).then(|| self.host.record(&started.run_id)) {
                        Some(Ok(Some(rec))) if finished(rec.status) && self.store_has(&rec.id) => {
                            let _ = finish.send(rec);
                        }
                        _ => self.add_waiter(started.run_id.clone(), finish),
                    }
                }
                match result {
                    Ok(started) if started.created => {
                        self.replies.push(Pending::Start(reply, started))
                    }
                    Ok(started) => {
                        // An existing run (idempotency key): answer with its
                        // committed record, or after the batch that holds it.
                        match self.host.record(&started.run_id) {
                            Ok(Some(rec)) if self.store_has(&rec.id) => {
                                let _ = reply.send(Ok((started, rec)));
                            }
                            Ok(_) => self.replies.push(Pending::Start(reply, started)),
                            Err(e) => {
                                let _ = reply.send(Err(e));
                            }
                        }
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::Deploy {
                files,
                program,
                reply,
            } => {
                let _ = reply.send(self.host.deploy_compiled(&files, program, now));
            }
            Msg::Event { run_id, event } => {
                if self.retry_at.is_some() {
                    self.held.push((run_id, event));
                    return;
                }
                self.deliver_event(run_id, event, now);
            }
            Msg::Operator {
                run_id,
                event,
                reply,
            } => match self.host.deliver(&run_id, event, now) {
                Ok(()) => self.replies.push(Pending::Record(reply, run_id)),
                Err(e) => {
                    let _ = reply.send(Err(e));
                }
            },
            Msg::Callback {
                token,
                value,
                reply,
            } => match self.host.callback(&token, value, now) {
                Ok(run_id) => self.replies.push(Pending::Accepted(reply, run_id)),
                Err(e) => {
                    let _ = reply.send(Err(e));
                }
            },
            Msg::Fork {
                run_id,
                step,
                version,
                by,
                reply,
            } => {
                if self.stopping {
                    let _ = reply.send(Err(stopped()));
                    return;
                }
                match self.host.fork(&run_id, step, version, &by, now) {
                    Ok(id) => self.replies.push(Pending::Record(reply, id)),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::WaitFinished { run_id, reply } => match self.host.record(&run_id) {
                Ok(Some(rec)) if finished(rec.status) && self.store_has(&run_id) => {
                    let _ = reply.send(rec);
                }
                _ => self.add_waiter(run_id, reply),
            },
            Msg::Upgrade {
                target,
                to,
                by,
                dry_run,
                reply,
            } => {
                let result = match target {
                    UpgradeTarget::Run(id) => {
                        self.host
                            .upgrade(&id, to, &by, dry_run, now)
                            .map(|v| UpgradeReport {
                                runs: vec![v],
                                more: false,
                            })
                    }
                    UpgradeTarget::Flow(flow) => {
                        self.host.upgrade_flow(&flow, to, &by, dry_run, now)
                    }
                };
                match result {
                    Ok(report) => self.replies.push(Pending::Upgrade(reply, report)),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::Command { req, reply, done } => {
                if self.stopping {
                    let _ = reply.send(Err(stopped()));
                    return;
                }
                let id = (
                    req.machine.clone(),
                    req.key.clone(),
                    req.command_id.clone().unwrap_or_default(),
                );
                match self.host.send_command(req, now) {
                    Ok(sent) => {
                        if !sent.record.status.is_finished() {
                            self.add_command_waiter(id, done);
                        }
                        self.replies.push(Pending::Command(reply, Box::new(sent)));
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::Ingest { events, reply } => {
                if self.stopping {
                    let _ = reply.send(Err(stopped()));
                    return;
                }
                match self.host.ingest(events, now) {
                    Ok(outcome) => self.replies.push(Pending::Ingested(reply, outcome)),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::Redrive { id, reply } => {
                if self.stopping {
                    let _ = reply.send(Err(stopped()));
                    return;
                }
                match self.host.redrive_event(&id, now) {
                    Ok(starts) => self.replies.push(Pending::Redriven(reply, starts)),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
            Msg::Schedule {
                name,
                action,
                reply,
            } => match self.host.schedule_action(&name, action, now) {
                Ok(row) => self.replies.push(Pending::Schedule(reply, Box::new(row))),
                Err(e) => {
                    let _ = reply.send(Err(e));
                }
            },
            Msg::Committed { no, result } => self.committed(no, result, batch_replies),
            Msg::Wake => self.woken = true,
            Msg::Shutdown => self.stopping = true,
        }
    }

    fn answer(
        &mut self,
        replies: Vec<Pending>,
        latest: &HashMap<String, Arc<RunRecord>>,
        commands: &HashMap<(String, String, String), CommandRecord>,
    ) {
        for p in replies {
            match p {
                Pending::Start(r, started) => {
                    let rec = self.latest_record(latest, &started.run_id);
                    let _ = r.send(rec.map(|rec| (started, rec)));
                }
                Pending::Record(r, id) => {
                    let _ = r.send(self.latest_record(latest, &id));
                }
                Pending::Accepted(r, id) => {
                    let _ = r.send(Ok(id));
                }
                Pending::Upgrade(r, report) => {
                    let _ = r.send(Ok(report));
                }
                Pending::Ingested(r, outcome) => {
                    let _ = r.send(Ok(outcome));
                }
                Pending::Redriven(r, starts) => {
                    let _ = r.send(Ok(starts));
                }
                Pending::Schedule(r, row) => {
                    let _ = r.send(Ok(*row));
                }
                Pending::Command(r, mut sent) => {
                    let rec = &sent.record;
                    let id = (rec.machine.clone(), rec.key.clone(), rec.command_id.clone());
                    if let Some(newer) = commands.get(&id) {
                        sent.record = newer.clone();
                    }
                    let _ = r.send(Ok(*sent));
                }
            }
        }
    }

    /// Registers a caller waiting for a command to finish (pruned with the
    /// run waiters).
    fn add_command_waiter(
        &mut self,
        id: (String, String, String),
        w: oneshot::Sender<CommandRecord>,
    ) {
        self.command_waiters.entry(id).or_default().push(w);
        self.waiter_adds += 1;
        if self.waiter_adds.is_multiple_of(WAITER_PRUNE_EVERY) {
            self.command_waiters.retain(|_, ws| {
                ws.retain(|w| !w.is_closed());
                !ws.is_empty()
            });
        }
    }

    /// A run's record after a commit: from the batch, else from the host.
    /// A store that cannot be read is an error of its own (answered 503),
    /// never taken for a run that does not exist.
    fn latest_record(
        &mut self,
        latest: &HashMap<String, Arc<RunRecord>>,
        id: &str,
    ) -> Result<RunRecord, HostError> {
        if let Some(rec) = latest.get(id) {
            return Ok(RunRecord::clone(rec));
        }
        self.host
            .record(id)?
            .ok_or_else(|| HostError::UnknownRun(id.to_string()))
    }

    /// Registers a caller waiting for a run to finish. Callers that gave up
    /// (their receiver is gone) are forgotten from time to time, so runs
    /// that never finish cost nothing here.
    fn add_waiter(&mut self, run_id: String, w: oneshot::Sender<RunRecord>) {
        self.waiters.entry(run_id).or_default().push(w);
        self.waiter_adds += 1;
        if self.waiter_adds.is_multiple_of(WAITER_PRUNE_EVERY) {
            self.waiters.retain(|_, ws| {
                ws.retain(|w| !w.is_closed());
                !ws.is_empty()
            });
        }
    }

    /// True when the run's newest state is committed (not in a batch in flight).
    fn store_has(&self, run_id: &str) -> bool {
        !self
            .in_flight
            .values()
            .flat_map(|f| &f.effects)
            .any(|e| matches!(e, Effect::RunUpdated(r) if r.id == run_id))
            && !self.host.has_work()
    }

    /// Applies an event no caller waits for, keeping it for the batch (it
    /// is applied again if the batch fails).
    fn deliver_event(&mut self, run_id: String, event: Event, now: i64) {
        match self.host.deliver(&run_id, event.clone(), now) {
            Ok(()) => self.batch_events.push((run_id, event)),
            Err(e) => tracing::error!(run = %run_id, error = %e, "run {run_id}: {e}"),
        }
    }

    /// Applies again the events of failed batches.
    fn redeliver_held(&mut self) {
        let now = now_ms();
        for (run_id, event) in std::mem::take(&mut self.held) {
            self.deliver_event(run_id, event, now);
        }
        // A host that started over knows no instance: commands queued in
        // the store with nothing running (their start was in a batch that
        // failed) are started as at a restart.
        if self.host.cluster().is_none() {
            if let Err(e) = self.host.recover_machines(now) {
                tracing::warn!(error = %e, "starting queued commands again failed: {e}");
            }
        }
    }

    /// Batch `no` did not commit: its callers get the store's error now,
    /// and nothing of it is committed later. The host's memory is ahead of
    /// the store, so (once per generation) it starts over from the store:
    /// the batch being built and the batches in flight fail with it (the
    /// writer refuses those untried), and the events they applied that no
    /// caller waits for are applied again after [`COMMIT_RETRY`] (at once
    /// after a conflict, which is about the batch and not the store).
    fn batch_failed(&mut self, no: u64, flight: InFlight, replies: Vec<Pending>, e: StoreError) {
        let m = &self.metrics;
        m.commit_failures
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let why = e.to_string();
        if refusal_is_routine(flight.schedule_fires, &e) {
            tracing::debug!(
                batch = no,
                error = %why,
                "batch {no} of schedule fires was refused: another node fired them first"
            );
        } else {
            tracing::error!(
                batch = no,
                error = %why,
                "batch {no} of {} write(s) was not committed: {why}",
                flight.writes
            );
        }
        if !matches!(e, StoreError::Conflict(_)) {
            m.set_failing(Some((now_ms(), why)));
        }
        let error = || like(&e, strip(&e));
        let mut failed = replies;
        self.held.extend(flight.events);
        if flight.generation == self.generation {
            self.generation += 1;
            failed.append(&mut self.replies);
            self.held.append(&mut self.batch_events);
            self.host = self.host.restart(Box::new(OsEntropy));
            self.oldest_work = None;
        }
        for p in failed {
            let err = HostError::Store(error());
            match p {
                Pending::Start(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Record(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Accepted(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Upgrade(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Ingested(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Redriven(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Schedule(r, _) => {
                    let _ = r.send(Err(err));
                }
                Pending::Command(r, _) => {
                    let _ = r.send(Err(err));
                }
            }
        }
        let wait = match e {
            StoreError::Conflict(_) => Duration::ZERO,
            _ => COMMIT_RETRY,
        };
        let at = Instant::now() + wait;
        self.retry_at = Some(self.retry_at.map_or(at, |t| t.max(at)));
    }

    fn committed(
        &mut self,
        no: u64,
        result: Result<(), StoreError>,
        batch_replies: &mut BTreeMap<u64, Vec<Pending>>,
    ) {
        let Some(flight) = self.in_flight.remove(&no) else {
            return;
        };
        let replies = batch_replies.remove(&no).unwrap_or_default();
        let m = &self.metrics;
        match self.in_flight.values().map(|f| f.taken).min() {
            None => m.commit_in_flight_since_ms.store(0, Ordering::Relaxed),
            Some(t) => m
                .commit_in_flight_since_ms
                .store(now_ms() - t.elapsed().as_millis() as i64, Ordering::Relaxed),
        }
        let e = match result {
            Ok(()) => {
                m.commit_seconds
                    .observe(flight.taken.elapsed().as_secs_f64());
                m.batch_writes.observe(flight.writes as f64);
                let step = flight.since.elapsed().as_secs_f64();
                for _ in 0..flight.writes {
                    m.step_seconds.observe(step);
                }
                m.last_commit_ms.store(now_ms(), Ordering::Relaxed);
                m.set_failing(None);
                // The store takes writes again: what waited goes now.
                if self.retry_at.is_some() {
                    self.retry_at = Some(Instant::now());
                }
                None
            }
            Err(e) => Some(e),
        };
        if let Some(e) = e {
            self.batch_failed(no, flight, replies, e);
            return;
        }
        let effects = flight.effects;
        self.host.committed(no);
        let mut latest: HashMap<String, Arc<RunRecord>> = HashMap::new();
        let mut commands: HashMap<(String, String, String), CommandRecord> = HashMap::new();
        for e in effects {
            match e {
                Effect::Dispatch(task) => self.dispatcher.dispatch(task, self.sink.clone()),
                Effect::CancelTask { call_id } => self.dispatcher.cancel(&call_id),
                Effect::RunUpdated(rec) => {
                    latest.insert(rec.id.clone(), rec);
                }
                Effect::CommandDone(rec) => {
                    let id = (rec.machine.clone(), rec.key.clone(), rec.command_id.clone());
                    if let Some(ws) = self.command_waiters.remove(&id) {
                        for w in ws {
                            let _ = w.send((*rec).clone());
                        }
                    }
                    commands.insert(id, *rec);
                }
            }
        }
        self.answer(replies, &latest, &commands);
        for (id, rec) in latest {
            if finished(rec.status) {
                if let Some(ws) = self.waiters.remove(&id) {
                    for w in ws {
                        let _ = w.send(RunRecord::clone(&rec));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch_of(runs: &[&str]) -> Batch {
        Batch {
            writes: runs
                .iter()
                .map(|id| weft_store::RunWrite {
                    record: Some(weft_store::conformance::record(id, "F", Status::Running).into()),
                    ..weft_store::RunWrite::default()
                })
                .collect(),
        }
    }

    fn ids(batch: &Batch) -> Vec<&str> {
        run_ids(batch).collect()
    }

    /// Waiting batches join the first while they are of its generation and
    /// write other runs; the first that may not join waits for the next
    /// commit, and nothing after it is taken before it.
    #[test]
    fn waiting_batches_join_unless_they_write_the_same_run_or_are_newer() {
        let (tx, rx) = mpsc::channel::<Batched>();
        for (no, generation, runs) in [
            (2, 1, vec!["b"]),
            (3, 1, vec!["c", "d"]),
            (4, 1, vec!["a"]),
            (5, 1, vec!["e"]),
        ] {
            tx.send((no, generation, batch_of(&runs))).unwrap();
        }
        let mut held = None;
        let (nos, batch) = coalesce((1, 1, batch_of(&["a"])), &rx, &mut held);
        assert_eq!(nos, [1, 2, 3]);
        assert_eq!(ids(&batch), ["a", "b", "c", "d"]);
        // Batch 4 writes run a again: it waits, and 5 behind it.
        let (no, _, b) = held.take().expect("batch 4 is held");
        assert_eq!((no, ids(&b)), (4, vec!["a"]));
        let (nos, batch) = coalesce((no, 1, b), &rx, &mut held);
        assert_eq!((nos, ids(&batch)), (vec![4, 5], vec!["a", "e"]));
        assert!(held.is_none());
        // A batch of a newer generation never joins an older one's.
        tx.send((7, 2, batch_of(&["g"]))).unwrap();
        let (nos, _) = coalesce((6, 1, batch_of(&["f"])), &rx, &mut held);
        assert_eq!(nos, [6]);
        assert_eq!(held.take().map(|b| b.0), Some(7));
        // Nor does one that writes more than runs' steps, nor joins one.
        let mut event = batch_of(&["h"]);
        event.writes.push(weft_store::RunWrite {
            event_starts: vec![weft_store::EventStartsWrite {
                id: "e".into(),
                starts: Vec::new(),
            }],
            ..weft_store::RunWrite::default()
        });
        tx.send((9, 1, event)).unwrap();
        let (nos, _) = coalesce((8, 1, batch_of(&["i"])), &rx, &mut held);
        assert_eq!(nos, [8]);
        let (nos, _) = coalesce(held.take().expect("batch 9 waits"), &rx, &mut held);
        assert_eq!(nos, [9]);
        tx.send((11, 1, batch_of(&["j"]))).unwrap();
        let mut redrive = batch_of(&["k"]);
        redrive.writes[0].event_starts = vec![weft_store::EventStartsWrite {
            id: "e".into(),
            starts: Vec::new(),
        }];
        let (nos, _) = coalesce((10, 1, redrive), &rx, &mut held);
        assert_eq!(nos, [10]);
        // Batch 11 was not even looked at: it waits in line.
        assert!(held.is_none());
        assert_eq!(rx.try_recv().map(|b| b.0).ok(), Some(11));
    }

    /// Only a conflict of a batch of schedule fires alone is the lost
    /// race; any other failure of any batch stays an error.
    #[test]
    fn a_lost_schedule_race_is_routine_and_nothing_else_is() {
        let conflict = || StoreError::Conflict("schedule tick moved".into());
        assert!(refusal_is_routine(true, &conflict()));
        assert!(!refusal_is_routine(false, &conflict()));
        assert!(!refusal_is_routine(
            true,
            &StoreError::Io("disk failed".into())
        ));
    }
}

//! The PostgreSQL store of Weft: [`PgStore`] implements
//! [`weft_store::Store`] on a PostgreSQL database (version 13 or later),
//! in the schema named first in the connection's `search_path`, and
//! [`weft_store::ClusterStore`], so that several nodes can share it (see
//! [Clusters](#clusters)).
//!
//! ```no_run
//! # fn main() -> Result<(), weft_store::StoreError> {
//! // A schema of its own: `options=-csearch_path=weft` (percent-encoded).
//! let store = weft_store_postgres::PgStore::connect(
//!     "postgres://weft:weft@127.0.0.1:5432/weft?options=-csearch_path%3Dweft",
//! )?;
//! # Ok(()) }
//! ```
//!
//! # Transactions and durability
//!
//! [`Store::commit`] writes the whole [`Batch`] in one transaction. The
//! batch is first folded into one final word per row (per run: its last
//! record and snapshot and the number of journal steps it adds; per timer,
//! task and token: set or removed, following the order within a write that
//! [`weft_store::RunWrite`] documents). Each kind of change is then one
//! multi-row statement over arrays (`unnest`): insert new runs, upsert
//! updated runs, append journal rows, delete and upsert timers, delete and
//! upsert tasks, upsert and spend tokens, delete consumed inbox events
//! (see `commit.rs`). The statements
//! are prepared once per connection and pipelined, so a commit is **two
//! round trips whatever the batch size**: `BEGIN` and every statement in
//! the first, `COMMIT` in the second, sent only when every statement
//! succeeded. A statement that fails, a taken run id or idempotency key
//! ([`StoreError::Conflict`]), or a connection that breaks before `COMMIT`
//! rolls everything back. The next journal step comes from the run row's
//! `journal_steps` counter, which the same upsert advances. Idempotency
//! keys are bound to their run when it is created and never released. A
//! write without a record names no run and writes nothing, as in the other
//! stores.
//!
//! Durability is the server's: with PostgreSQL's defaults (`fsync = on`,
//! `synchronous_commit = on`) `COMMIT` returns once the commit record is
//! flushed to the write-ahead log, so a batch whose `commit` returned `Ok`
//! survives a crash of the server or its machine. (`synchronous_commit =
//! off` breaks the [`Store`] contract; with synchronous standbys, `on` or
//! `remote_apply` also wait for them.)
//!
//! ## Leases commit without waiting for the flush
//!
//! A few statements change only leases, and run on connections of their
//! own whose sessions set `synchronous_commit = off`: the server answers
//! once the change is in its WAL buffers, and writes it out within a few
//! hundred milliseconds (`wal_writer_delay`), without a flush of its own.
//! They are claims of runs and instances (`claim_run`,
//! `claim_runs_with_work`, `claim_instance`, `claim_instances_with_work`),
//! their renewals and releases, task leases and heartbeats (`lease_tasks`,
//! `heartbeat_task`) and the pollers' table. Only a crash of the server
//! (or its machine) can lose them, and then only the last few hundred
//! milliseconds of them; every later synchronous commit flushes the WAL up
//! to its own record, so any of these that came before it is durable with
//! it. Why a loss is harmless, for each (`cluster.rs` says it again at
//! each call):
//!
//! - a lost **claim** leaves the run with its earlier owner and epoch. A
//!   step committed under the claim cannot be durable without the claim
//!   (its flush covers the claim's record), and one not yet committed is
//!   refused by the fencing check, which compares owner and epoch: a node
//!   never commits under a claim the store does not hold;
//! - a lost **renewal** leaves the earlier end of the lease: another node
//!   may claim the run sooner, and the fencing check refuses the first
//!   node's next commit, as when any lease ends;
//! - a lost **release** leaves the lease until it ends: other nodes wait
//!   for it, as after a node's crash;
//! - a lost **task lease or heartbeat** makes the task leasable again
//!   sooner: a second worker may run it, which at-least-once delivery
//!   allows (a worker that dies holding a lease does the same), and only
//!   one result is applied, by the step that deletes the task;
//! - a lost **poll record** makes an activity look unpolled for a moment.
//!
//! Everything else, and every commit of a step, waits for the flush: a
//! result leaves a node only after the step that holds it is durable, and
//! an event or callback is acknowledged only once it is.
//!
//! Errors: server and connection failures are [`StoreError::Io`], with the
//! operation and the runs concerned; unique violations are
//! [`StoreError::Conflict`]; stored values that do not decode (JSON of the
//! wrong shape, an unknown status, a column of the wrong type) are
//! [`StoreError::Corrupt`]. Nothing panics on bad data.
//!
//! Measured with `examples/bench_pg_commit.rs` (typical steps: the run's row
//! with a 1.5 KB snapshot, a journal row, a task put and one deleted)
//! against a local PostgreSQL 15 with default settings, on 2 shared cores
//! whose disk takes about 3.5 ms per `fdatasync`: one step per commit
//! about 3.5 ms (the flush), batches of 100 about 12,000 steps/s (8 ms per
//! commit), of 500 about 16,000 steps/s (30 ms). With `synchronous_commit
//! = off`, to see the cost without the flush: 0.3 ms for one step, about
//! 20,000 steps/s for 500. The same steps written one statement per row
//! (four round trips a step) peaked near 2,500 steps/s on the same machine.
//!
//! # Schema
//!
//! Versioned by the `schema_migrations` table (one row per migration) and
//! a list of migrations applied by [`PgStore::connect`] in one transaction
//! under an advisory lock, so several nodes may start at once (see
//! [`schema`]). Tables:
//!
//! | table | key | holds |
//! |---|---|---|
//! | `schema_migrations` | `version` | migrations applied, with when |
//! | `deployments` | `version` | flows and sources as `json`; the compiled `program` (4; NULL for versions deployed before) |
//! | `deployment_flows` | `(flow, version)` | which versions define a flow |
//! | `runs` | `id` | record columns (JSON as `json`), `journal_steps`, snapshot `bytea`; the lease: `owner`, `lease_until`, `epoch` (2) |
//! | `idempotency_keys` | `key` | the run each key started (bound at creation, for good) |
//! | `journal` | `(run_id, step)` | one row per journal step, entries as a `json` array |
//! | `timers` | `(run_id, key)` | armed timers; index on `(at, run_id, key)` |
//! | `tasks` | `call_id` | outstanding tasks as `json`; `activity`, the lease `leased_by`, `lease_until` (2); the `node` that stored it, whose polls lease it first ([`TASK_AFFINITY_MS`]) (3); index on `(activity, lease_until)` |
//! | `tokens` | `token` | callback tokens with their run, call and `active` flag |
//! | `inbox` | `id` (`bigserial`) | events queued for runs, as `json`, with `created_at` (2); index on `(run_id, id)` |
//! | `parked_runs` | `run_id` | runs a build could not read, with the reason as `json` (4) |
//! | `parked_timers`, `parked_tasks`, `parked_inbox` | as `timers`, `tasks`, `inbox` | a parked run's timers, tasks and queued events, set aside (4) |
//!
//! (2): added by migration 2, for clusters; (4): by migration 4. Parking and
//! unparking a run are one statement each (data-modifying `WITH`s that
//! move the rows). Epoch milliseconds are
//! `bigint`; `lease_until = 0` means never leased.
//!
//! Runs are indexed by `(status, id)`, `(flow, id)` and `(parent, id)` for
//! newest-first lists. Keys and sorted columns use the "C" collation (byte
//! order, as the other stores compare).
//!
//! # Clusters
//!
//! Several nodes (`weft serve` processes) may share one schema; the model
//! (run leases with epochs, fencing, the inbox, tasks leased in the store)
//! is [`weft_store::cluster`]'s, and the cluster conformance suite pins it.
//! Here:
//!
//! - **Time is the caller's.** Every lease decision compares the `now`
//!   the caller passes (epoch ms), as the memory store does, never the
//!   server's clock: the simulator's virtual time works on PostgreSQL too.
//!   So **the nodes' clocks must agree to well within a lease** (leases
//!   are seconds; NTP keeps clocks within milliseconds). A node whose
//!   clock runs ahead takes over runs early, which fencing makes safe but
//!   wasteful; one whose clock lags keeps expired leases a little longer.
//! - **Claims** are one statement each, `UPDATE runs ... FROM (SELECT ...
//!   FOR NO KEY UPDATE SKIP LOCKED)`: a run is claimed when it is free,
//!   held by the same node, or its lease ended; a node's own live lease
//!   keeps its epoch, any other claim adds one. Rows locked by another
//!   transaction (another node's claim, a commit of the run's step) are
//!   skipped, so claims never wait and two nodes never get one run at one
//!   epoch. `claim_runs_with_work` picks, in one statement, runs with inbox
//!   events (oldest event first), then runs with timers due at `now`
//!   (earliest first), that nobody else holds, up to its limit. Renewals
//!   and releases lock their rows in id order and wait (for a commit in
//!   flight, at most).
//! - **Fencing.** A batch with fenced writes starts with a statement that
//!   locks the rows of every run it updates, in id order, and reads their
//!   owners and epochs. Its answer arrives with the others', before
//!   `COMMIT` would be sent: if a fence does not match, the store rolls
//!   back and returns [`StoreError::Conflict`] naming the runs, the node
//!   and both epochs, and nothing of the batch is written. Still two round
//!   trips. The locks last until the transaction ends, so no claim can
//!   slip in between the check and the commit. A run the batch creates
//!   under a fence is inserted with that owner, epoch and lease; a run
//!   created and stepped again in one batch is checked against its
//!   creation's fence.
//! - **Inbox and callbacks.** `enqueue` is one `INSERT`;
//!   `enqueue_callback` spends the token and queues the callback in one
//!   statement (a data-modifying `WITH`), so of two callbacks with one
//!   token the second waits for the first's row lock and finds the token
//!   spent. Neither is retried on a new connection when the old one breaks
//!   mid-statement: it may have run, and an event must not be queued twice.
//! - **Tasks** are leased with `SKIP LOCKED` over `(activity,
//!   lease_until)`: one index range per activity, so leasing costs the same
//!   with ten tasks waiting or a million. A task stored again (a new
//!   attempt) is free at once; a deleted one is gone with its lease. The
//!   store vacuums `tasks`, `inbox` and `timers` itself as its writes
//!   churn them (see `vacuum.rs`): autovacuum comes too rarely for a
//!   queue, and every dead index entry slows leasing down.
//! - **Waking nodes.** `enqueue`, `enqueue_callback` and commits that store
//!   tasks call `pg_notify` in their transaction (delivered at commit, only
//!   if it commits) on the channel `weft.<schema>`. [`wait_for_work`] waits
//!   on a connection of its own that `LISTEN`s, driven on the I/O thread
//!   and started by the first wait ([`PgStore::listen`] starts it and
//!   waits until it is in effect). A waiter counts the notifications that
//!   arrive while it waits. When that connection breaks, it is opened again
//!   after [`LISTEN_RETRY_MIN`], doubling up to [`LISTEN_RETRY_MAX`] while
//!   the server is away, and the reconnection wakes the waiters, since
//!   notifications may have been missed meanwhile (see `listen.rs`).
//!
//! [`wait_for_work`]: weft_store::ClusterStore::wait_for_work
//!
//! Measured with `cargo run --release -p weft-store-postgres --example
//! bench_pg_commit -- --cluster` (20,000 runs, typical steps as above; local
//! PostgreSQL 15, default settings, 2 shared and noisy cores; three runs,
//! at a time when the disk took about 0.1 ms per `fdatasync`, so commits
//! cost 0.6-0.8 ms for one step and 4-5 ms for 100):
//!
//! - a fenced commit costs about 0.1 ms more than the same commit
//!   unfenced for one step, 0.2-0.4 ms more for 100 (the locking read of
//!   the runs' rows); with a slower disk (3.5 ms a flush) the difference
//!   was lost in the noise;
//! - `claim_runs_with_work` (256 at most) takes 0.1-0.2 ms when there is
//!   no work (what an idle node does every 200 ms), 6-7 ms a call to claim
//!   a backlog of 2,000 runs with work 256 at a time (its commit included),
//!   and 5-7.5 ms to find nothing when the 2,000 are all held by others
//!   (it reads every due timer and queued event: 2.5-3.5 µs each);
//! - `lease_tasks` of 10 tasks among 20,000 waiting 0.8-2.5 ms (mostly its
//!   commit), 0.15-0.3 ms when none is free;
//! - from `enqueue` on one node to `wait_for_work` returning on another,
//!   the enqueue's commit included: 1 ms at the median, 2-9 ms at p99;
//! - three nodes committing one step at a time reached 1,200-2,000
//!   commits/s together when each transaction stored a task (with its
//!   `NOTIFY`), 1,800-2,100 when it armed a timer instead: PostgreSQL
//!   serialises the commits of notifying transactions, which costs up to a
//!   quarter when commits are small and many, and little per step once the
//!   runtime batches them.
//!
//! # Threading
//!
//! [`PgStore`] is `Send + Sync` and its methods block. It keeps a pool of
//! connections (up to [`MAX_CONNECTIONS`] by default): an operation takes
//! one, or opens one, and gives it back (the lease statements that skip
//! the WAL flush use a second pool of the same size, opened as they need
//! it); commits and reads from different threads run on different
//! connections at once, and each read is one
//! statement, so one consistent snapshot that sees a batch whole or not at
//! all. Connections are driven by tokio-postgres on one I/O thread private
//! to this crate (`weft-pg-io`, shared by every store of the process, which
//! also drives the listening connection of [Clusters](#clusters)); a
//! caller waits for its answer by parking its own thread. So the store can
//! be called from plain threads, from `spawn_blocking`, and even from a
//! thread that runs async code (where it blocks that thread for the length
//! of the query, as any blocking store does).
//!
//! Why tokio-postgres and not the blocking `postgres` crate: `postgres`
//! runs each call with `Runtime::block_on` of a runtime of its own, which
//! panics when the calling thread is already inside a tokio runtime, and
//! the Weft runtime reads the store from async functions. Nor sqlx: it
//! cannot be linked next to rusqlite. tokio-postgres adds little to build:
//! tokio is already in the build, and no connection pool crate is needed.
//! It also pipelines, which is what makes a commit two round trips.
//!
//! # Reconnects
//!
//! A connection that fails (closed, an I/O error, a terminated backend, a
//! server shutting down) is dropped instead of going back to the pool,
//! together with the pool's idle connections (after a server restart they
//! are all dead); the next operation opens a new one. A read that failed on
//! a connection that had been idle is tried once more on a new connection,
//! and so is a commit that failed before `COMMIT` was sent (the server
//! rolled it back). So after a restart the first operations succeed when
//! the server is back, and fail with [`StoreError::Io`] while it is not.
//!
//! A connection that breaks while `COMMIT` is in flight leaves the outcome
//! unknown. The store then asks the server, on a new connection, whether
//! the transaction committed (`pg_xact_status` of the id it took at
//! `BEGIN`): committed is `Ok`, rolled back is tried once more. If the
//! server cannot be asked, `commit` returns [`StoreError::Io`] and
//! remembers the transaction with a fingerprint of the batch: when the same
//! batch is committed again (the runtime retries failed commits) and the
//! first attempt turns out to have committed, the retry returns `Ok`
//! without writing it twice.
//!
//! Unless the URL sets them, connections use TCP keepalives (probes after
//! 30 s idle, every 10 s, 3 of them) and a 30 s `tcp_user_timeout`, so a
//! server that vanishes without closing its connections fails operations
//! within about a minute instead of hanging them. Opening a connection
//! times out after [`CONNECT_TIMEOUT`].
//!
//! TLS is not supported yet (the connection uses `NoTls`); connect over a
//! private network or a local socket.

mod cluster;
mod commit;
mod events;
mod listen;
mod machines;
mod pool;
pub mod schema;
mod search;
mod vacuum;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::Row;
use weft_engine::state::{Status, Task};
use weft_store::{
    AuditEntry, AuditQuery, Batch, CommandRecord, Deployment, FlowInfo, Instance, InstanceRow,
    JournalStep, NewAudit, ParkedRun, Result, RunCount, RunPage, RunQuery, RunRecord, SourceText,
    Store, StoreError, StoredMachineEvent, StoredRun, TimerRow, TokenRow,
    JOURNAL_STEPS_PER_RUN_MAX,
};

use crate::commit::Plan;
use crate::listen::Listener;
use crate::pool::{block_on, is_broken, Conn, Lease, Pool};

pub use crate::listen::{LISTEN_RETRY_MAX, LISTEN_RETRY_MIN};
pub use crate::vacuum::{VACUUM_CHURN_MIN, VACUUM_INTERVAL_MIN};

pub use tokio_postgres::Config;

/// Connections a store keeps open at most by default (see
/// [`PgStore::connect_with`]).
pub const MAX_CONNECTIONS: usize = 8;

/// How long a task stored by a cluster node is kept for polls through that
/// node (ms, from the step that stored it): the node holds the task's run,
/// so a result reported there is applied at once, where one reported to
/// another node goes through the inbox (an insert, a notification, a claim
/// and a delete more). After this, a poll through any node may lease it,
/// so a node that no worker polls only delays its tasks.
pub const TASK_AFFINITY_MS: i64 = 50;

/// How long opening a connection may take when the URL does not say
/// (`connect_timeout`): a server that is down fails operations quickly
/// instead of hanging them.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// TCP keepalive probes start after this long without traffic...
pub const KEEPALIVES_IDLE: Duration = Duration::from_secs(30);
/// ...go every this long...
pub const KEEPALIVES_INTERVAL: Duration = Duration::from_secs(10);
/// ...and this many unanswered ones end the connection.
pub const KEEPALIVES_RETRIES: u32 = 3;
/// Data the server has not acknowledged for this long ends the connection
/// (Linux).
pub const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);
/// tokio-postgres' default idle time before keepalives (2 hours).
const KEEPALIVES_IDLE_DEFAULT: Duration = Duration::from_secs(2 * 60 * 60);

/// How long the store waits for the server to finish a transaction whose
/// `COMMIT` was in flight when the connection broke.
const IN_PROGRESS_WAIT: Duration = Duration::from_secs(5);

/// The record columns of `runs`, in the order [`read_record`] expects.
macro_rules! record_columns {
    () => {
        "id, flow, version, status, input::text, result::text, error::text, waiting::text, \
         parent, idempotency_key, position, created_at, updated_at, forked_from"
    };
}
const RECORD_COLUMNS: &str = record_columns!();

/// Where records are read from: a fork's origin is in `run_forks`.
macro_rules! record_from {
    () => {
        "runs LEFT JOIN run_forks USING (id)"
    };
}
const RECORD_FROM: &str = record_from!();

/// A store in one PostgreSQL schema; see the crate documentation.
pub struct PgStore {
    pool: Pool,
    /// Connections whose sessions commit without waiting for the WAL flush
    /// (`synchronous_commit = off`), for the statements a server crash may
    /// lose harmlessly (see [Leases commit without waiting for the
    /// flush](#leases-commit-without-waiting-for-the-flush)).
    relaxed: Pool,
    /// The channel the nodes on this schema notify (`weft.<schema>`).
    channel: String,
    /// Waits for their notifications (started by the first wait).
    listener: Listener,
    /// A commit whose outcome could not be learned: its transaction id and
    /// the batch's fingerprint.
    unresolved: Mutex<Option<Unresolved>>,
    /// Vacuums the queue-like tables as this store's writes churn them.
    vacuum: vacuum::Vacuum,
    /// The shard of `run_counts` this handle writes (see `search`).
    shard: i16,
}

#[derive(Clone, Copy, Debug)]
struct Unresolved {
    xid: i64,
    fingerprint: u64,
}

/// How one attempt at a write transaction failed.
enum Failure {
    /// Nothing was committed (rolled back); the connection can be used
    /// again unless `drop` says otherwise.
    Refused { error: StoreError, drop: bool },
    /// The connection broke before `COMMIT` was sent: nothing was
    /// committed.
    Broken(tokio_postgres::Error),
    /// The connection broke while `COMMIT` was in flight.
    Unknown {
        xid: Option<i64>,
        error: tokio_postgres::Error,
    },
}

/// What the server says about a transaction.
#[derive(Debug, PartialEq, Eq)]
enum Fate {
    Committed,
    Aborted,
    Unknown(String),
}

impl PgStore {
    /// Connects to the database at `url` (a `postgres://` URL or a
    /// `key=value` connection string) and brings the schema up to date.
    ///
    /// The store works in the first schema of the connection's
    /// `search_path` (set it with `options=-csearch_path%3Dname` in a URL);
    /// the schema must exist.
    pub fn connect(url: &str) -> Result<PgStore> {
        let config: Config = url.parse().map_err(|e| {
            StoreError::Io(format!("connect: invalid database URL: {}", describe(&e)))
        })?;
        PgStore::connect_with(config, MAX_CONNECTIONS)
    }

    /// Connects with a parsed configuration, keeping at most
    /// `max_connections` connections open.
    pub fn connect_with(mut config: Config, max_connections: usize) -> Result<PgStore> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("weft");
        }
        // A server that vanishes without closing its connections (a
        // network partition, a machine lost) is noticed in about a minute
        // rather than the kernel's hours, unless the URL says otherwise.
        if config.get_keepalives_idle() == KEEPALIVES_IDLE_DEFAULT {
            config.keepalives_idle(KEEPALIVES_IDLE);
        }
        if config.get_keepalives_interval().is_none() {
            config.keepalives_interval(KEEPALIVES_INTERVAL);
        }
        if config.get_keepalives_retries().is_none() {
            config.keepalives_retries(KEEPALIVES_RETRIES);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(TCP_USER_TIMEOUT);
        }
        let target = target(&config);
        let relaxed = Pool::new(relaxed_config(&config), max_connections);
        let pool = Pool::new(config, max_connections);
        let mut lease = pool
            .get(false)
            .map_err(|e| StoreError::Io(format!("connect to {target}: {}", describe(&e))))?;
        let schema = schema::migrate(&mut lease)?;
        lease.release();
        let channel = listen::channel(&schema);
        Ok(PgStore {
            listener: Listener::new(pool.config().clone(), channel.clone()),
            vacuum: vacuum::Vacuum::new(pool.config().clone()),
            channel,
            pool,
            relaxed,
            unresolved: Mutex::new(None),
            shard: count_shard(),
        })
    }

    /// Background vacuums of the queue-like tables finished so far, and the
    /// last one's error if it failed (see the `vacuum` module).
    pub fn vacuums(&self) -> (u64, Option<String>) {
        self.vacuum.stats()
    }

    /// The configuration connections are opened with.
    pub fn config(&self) -> &Config {
        self.pool.config()
    }

    fn lease(&self, fresh: bool, what: &dyn Fn() -> String) -> Result<Lease<'_>> {
        Self::lease_from(&self.pool, fresh, what)
    }

    fn lease_from<'p>(pool: &'p Pool, fresh: bool, what: &dyn Fn() -> String) -> Result<Lease<'p>> {
        pool.get(fresh).map_err(|e| {
            StoreError::Io(format!(
                "{}: cannot connect to {}: {}",
                what(),
                target(pool.config()),
                describe(&e)
            ))
        })
    }

    /// Starts listening for the other nodes' notifications (the first
    /// [`ClusterStore::wait_for_work`] does it too) and waits up to
    /// `timeout` until `LISTEN` is in effect; true when it is. After that,
    /// no notification is missed while the connection lasts.
    ///
    /// [`ClusterStore::wait_for_work`]: weft_store::ClusterStore::wait_for_work
    pub fn listen(&self, timeout: Duration) -> bool {
        self.listener.listening(timeout)
    }

    /// Runs one statement that may be run twice (a read, or a write whose
    /// second run changes nothing more); a connection that turns out dead
    /// after waiting in the pool is replaced once.
    fn query(
        &self,
        what: &dyn Fn() -> String,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        self.query_with(&self.pool, what, sql, params, true)
    }

    /// Runs one statement as [`PgStore::query`] does, on a connection that
    /// commits without waiting for the WAL flush: only for the statements
    /// whose loss in a crash of the server is harmless (see [Leases commit
    /// without waiting for the flush](#leases-commit-without-waiting-for-the-flush);
    /// each caller says why).
    fn query_relaxed(
        &self,
        what: &dyn Fn() -> String,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        self.query_with(&self.relaxed, what, sql, params, true)
    }

    /// Runs one statement, never twice: when the connection breaks, the
    /// statement may have run, and the caller gets the error.
    fn query_once(
        &self,
        what: &dyn Fn() -> String,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        self.query_with(&self.pool, what, sql, params, false)
    }

    fn query_with(
        &self,
        pool: &Pool,
        what: &dyn Fn() -> String,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        again: bool,
    ) -> Result<Vec<Row>> {
        let mut fresh = false;
        loop {
            let mut lease = Self::lease_from(pool, fresh, what)?;
            let conn = lease.conn();
            let result = block_on(async {
                let s = conn.statement(sql).await?;
                conn.client.query(&s, params).await
            });
            match result {
                Ok(rows) => {
                    lease.release();
                    return Ok(rows);
                }
                Err(e) if is_broken(&e, &lease.conn().client) => {
                    let reused = lease.reused;
                    drop(lease);
                    pool.clear_idle();
                    if again && reused && !fresh {
                        fresh = true;
                        continue;
                    }
                    return Err(db_err(&e, &what()));
                }
                Err(e) => {
                    lease.release();
                    return Err(db_err(&e, &what()));
                }
            }
        }
    }

    /// Asks the server whether transaction `xid` committed, on a new
    /// connection, waiting a little while it is still in progress.
    fn fate(&self, xid: i64) -> Fate {
        let what = || format!("commit: asking the fate of transaction {xid}");
        let deadline = Instant::now() + IN_PROGRESS_WAIT;
        loop {
            let status = self
                .query(&what, commit::XACT_STATUS, &[&xid])
                .and_then(|rows| get::<Option<String>>(&rows[0], 0, &what));
            match status.as_ref().map(|s| s.as_deref()) {
                Ok(Some("committed")) => return Fate::Committed,
                Ok(Some("aborted")) => return Fate::Aborted,
                Ok(Some("in progress")) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(s) => return Fate::Unknown(format!("the server says {s:?}")),
                Err(
                    StoreError::Io(m)
                    | StoreError::Corrupt(m)
                    | StoreError::Conflict(m)
                    | StoreError::Full(m),
                ) => return Fate::Unknown(m.clone()),
            }
        }
    }

    /// Resolves a commit left in doubt before committing `plan`; true when
    /// that commit was this same batch and it did commit.
    fn resolve_unresolved(&self, plan: &Plan<'_>) -> Result<bool> {
        let pending = *self.unresolved.lock().unwrap_or_else(|e| e.into_inner());
        let Some(u) = pending else {
            return Ok(false);
        };
        let fate = self.fate(u.xid);
        if let Fate::Unknown(why) = fate {
            return Err(StoreError::Io(format!(
                "{}: an earlier commit (transaction {}) is still in doubt: {why}",
                plan.describe(),
                u.xid
            )));
        }
        *self.unresolved.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(fate == Fate::Committed && u.fingerprint == plan.fingerprint())
    }

    /// One attempt at committing `plan` on `conn`; `channel` is the one
    /// the nodes listen on.
    async fn commit_on(
        conn: &mut Conn,
        plan: &Plan<'_>,
        channel: &String,
    ) -> std::result::Result<(), Failure> {
        use commit::*;
        use search::{COUNT_RUNS, INSERT_FORKS};
        let steps: Vec<(&'static str, &'static str, bool)> = vec![
            ("fencing", LOCK_RUNS, !plan.guard.is_empty()),
            // Before the runs' rows change: it reads their old status.
            ("counts", COUNT_RUNS, !plan.count_flow.is_empty()),
            ("new runs", INSERT_RUNS, plan.created.len() > 0),
            ("runs", UPSERT_RUNS, plan.updated.len() > 0),
            ("forks", INSERT_FORKS, !plan.forks_id.is_empty()),
            ("journal", INSERT_JOURNAL, !plan.journal_run.is_empty()),
            ("journal", TRIM_JOURNAL, !plan.journal_trim.is_empty()),
            ("timers", DELETE_TIMERS, !plan.timers_clear_run.is_empty()),
            ("timers", UPSERT_TIMERS, !plan.timers_set_run.is_empty()),
            ("tasks", DELETE_TASKS, !plan.tasks_delete.is_empty()),
            ("tasks", UPSERT_TASKS, !plan.tasks_put_id.is_empty()),
            ("tokens", UPSERT_TOKENS, !plan.tokens_put.is_empty()),
            ("tokens", SPEND_TOKENS, !plan.tokens_spend.is_empty()),
            ("inbox", DELETE_INBOX, !plan.inbox_done.is_empty()),
            (
                "instance fencing",
                machines::LOCK_INSTANCES,
                !plan.machines.fences.is_empty(),
            ),
            (
                "instance index",
                machines::DELETE_FIELDS,
                !plan.machines.inst_machine.is_empty(),
            ),
            (
                "instance index",
                machines::INSERT_FIELDS,
                !plan.machines.field_machine.is_empty(),
            ),
            (
                "instances",
                machines::UPSERT_INSTANCES,
                !plan.machines.inst_machine.is_empty(),
            ),
            (
                "commands",
                machines::UPSERT_COMMANDS,
                !plan.machines.cmd_machine.is_empty(),
            ),
            (
                "machine events",
                machines::INSERT_EVENTS,
                !plan.machines.events.is_empty(),
            ),
            (
                "instance inbox",
                machines::INSERT_INSTANCE_INBOX,
                !plan.machines.inbox_machine.is_empty(),
            ),
            (
                "instance inbox",
                machines::DELETE_INSTANCE_INBOX,
                !plan.machines.inbox_done.is_empty(),
            ),
            ("events", events::INSERT_EVENTS, !plan.events.id.is_empty()),
            (
                "event starts",
                events::UPDATE_STARTS,
                !plan.events.restart_id.is_empty(),
            ),
            (
                "schedules",
                events::UPSERT_SCHEDULES,
                !plan.events.schedule_name.is_empty(),
            ),
            ("notify", NOTIFY, plan.notify),
        ];
        let steps: Vec<(&str, &str)> = steps
            .into_iter()
            .filter(|s| s.2)
            .map(|s| (s.0, s.1))
            .collect();
        let mut sqls: Vec<&str> = steps.iter().map(|s| s.1).collect();
        sqls.push(TXID);
        if let Err(e) = conn.prepare_all(&sqls).await {
            return Err(if is_broken(&e, &conn.client) {
                Failure::Broken(e)
            } else {
                Failure::Refused {
                    error: db_err(&e, &plan.describe()),
                    drop: false,
                }
            });
        }
        let client = &conn.client;
        let mut runs_created = plan.created.params().to_vec();
        runs_created.extend([
            p(&plan.created_owner),
            p(&plan.created_epoch),
            p(&plan.created_lease_until),
        ]);
        let runs_updated = plan.updated.params();
        // Everything up to COMMIT in one round trip: the requests go out in
        // this order as the futures are first polled.
        type Step<'f> = Pin<
            Box<dyn Future<Output = std::result::Result<Vec<Row>, tokio_postgres::Error>> + 'f>,
        >;
        fn p(v: &(dyn ToSql + Sync)) -> &(dyn ToSql + Sync) {
            v
        }
        let params: Vec<Vec<&(dyn ToSql + Sync)>> = steps
            .iter()
            .map(|(_, sql)| match *sql {
                LOCK_RUNS => vec![p(&plan.guard)],
                COUNT_RUNS => vec![
                    p(&plan.shard),
                    p(&plan.count_flow),
                    p(&plan.count_status),
                    p(&plan.updated.id),
                ],
                INSERT_FORKS => vec![p(&plan.forks_id), p(&plan.forks_from)],
                INSERT_RUNS => runs_created.clone(),
                UPSERT_RUNS => runs_updated.to_vec(),
                INSERT_JOURNAL => vec![
                    p(&plan.journal_run),
                    p(&plan.journal_back),
                    p(&plan.journal_entries),
                    p(&plan.journal_cause),
                ],
                TRIM_JOURNAL => vec![p(&plan.journal_trim), p(&JOURNAL_STEPS_PER_RUN_MAX)],
                DELETE_TIMERS => vec![p(&plan.timers_clear_run), p(&plan.timers_clear_key)],
                UPSERT_TIMERS => vec![
                    p(&plan.timers_set_run),
                    p(&plan.timers_set_key),
                    p(&plan.timers_set_at),
                ],
                DELETE_TASKS => vec![p(&plan.tasks_delete)],
                UPSERT_TASKS => vec![
                    p(&plan.tasks_put_id),
                    p(&plan.tasks_put_run),
                    p(&plan.tasks_put_task),
                    p(&plan.tasks_put_activity),
                    p(&plan.tasks_put_node),
                    p(&plan.tasks_put_kept_until),
                ],
                UPSERT_TOKENS => vec![
                    p(&plan.tokens_put),
                    p(&plan.tokens_put_run),
                    p(&plan.tokens_put_call),
                    p(&plan.tokens_put_active),
                ],
                SPEND_TOKENS => vec![p(&plan.tokens_spend)],
                DELETE_INBOX => vec![p(&plan.inbox_done)],
                machines::LOCK_INSTANCES => {
                    vec![p(&plan.machines.guard_machine), p(&plan.machines.guard_key)]
                }
                machines::DELETE_FIELDS => vec![
                    p(&plan.machines.inst_machine),
                    p(&plan.machines.inst_key),
                    p(&plan.machines.inst_version),
                ],
                machines::INSERT_FIELDS => vec![
                    p(&plan.machines.field_machine),
                    p(&plan.machines.field_key),
                    p(&plan.machines.field_version),
                    p(&plan.machines.field_path),
                    p(&plan.machines.field_kind),
                    p(&plan.machines.field_num),
                    p(&plan.machines.field_text),
                ],
                machines::UPSERT_INSTANCES => vec![
                    p(&plan.machines.inst_machine),
                    p(&plan.machines.inst_key),
                    p(&plan.machines.inst_state),
                    p(&plan.machines.inst_version),
                    p(&plan.machines.inst_next_seq),
                    p(&plan.machines.inst_finished),
                    p(&plan.machines.inst_indexed),
                    p(&plan.machines.inst_created_at),
                    p(&plan.machines.inst_updated_at),
                ],
                machines::UPSERT_COMMANDS => vec![
                    p(&plan.machines.cmd_machine),
                    p(&plan.machines.cmd_key),
                    p(&plan.machines.cmd_seq),
                    p(&plan.machines.cmd_id),
                    p(&plan.machines.cmd_status),
                    p(&plan.machines.cmd_record),
                ],
                machines::INSERT_EVENTS => vec![p(&plan.machines.events)],
                machines::INSERT_INSTANCE_INBOX => vec![
                    p(&plan.machines.inbox_machine),
                    p(&plan.machines.inbox_key),
                    p(&plan.machines.inbox_event),
                ],
                machines::DELETE_INSTANCE_INBOX => vec![p(&plan.machines.inbox_done)],
                events::UPSERT_SCHEDULES => vec![
                    p(&plan.events.schedule_name),
                    p(&plan.events.schedule_revision),
                    p(&plan.events.schedule_row),
                ],
                events::UPDATE_STARTS => {
                    vec![p(&plan.events.restart_id), p(&plan.events.restart_starts)]
                }
                events::INSERT_EVENTS => vec![
                    p(&plan.events.id),
                    p(&plan.events.kind),
                    p(&plan.events.subject),
                    p(&plan.events.data),
                    p(&plan.events.source),
                    p(&plan.events.received_at),
                    p(&plan.events.starts),
                ],
                NOTIFY => vec![p(channel)],
                _ => unreachable!("every statement has its parameters"),
            })
            .collect();
        let mut futures: Vec<Step<'_>> = vec![
            Box::pin(async { client.batch_execute("BEGIN").await.map(|_| Vec::new()) }),
            Box::pin(client.query(conn.prepared(TXID), &[])),
        ];
        for ((_, sql), params) in steps.iter().zip(&params) {
            futures.push(Box::pin(client.query(conn.prepared(sql), params)));
        }
        let results = futures_util::future::join_all(futures).await;
        let labels: Vec<&str> = ["begin", "transaction id"]
            .into_iter()
            .chain(steps.iter().map(|s| s.0))
            .collect();
        let mut xid = None;
        let mut failed: Option<(&str, tokio_postgres::Error)> = None;
        let mut conflicts = Vec::new();
        let mut stale = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            match result {
                // The first error is the cause; the ones after it only say
                // that the transaction is aborted.
                Err(e) if failed.is_none() => failed = Some((labels[i], e)),
                Err(_) => {}
                Ok(rows) if i == 1 => xid = rows.first().and_then(|r| r.try_get(0).ok()),
                Ok(rows) if i >= 2 && steps[i - 2].1 == LOCK_RUNS => {
                    stale.extend(stale_fences(&rows, plan));
                }
                Ok(rows) if i >= 2 && steps[i - 2].1 == machines::LOCK_INSTANCES => {
                    stale.extend(plan.machines.stale(&rows));
                }
                Ok(rows) if i >= 2 && steps[i - 2].1 == events::UPDATE_STARTS => {
                    stale.extend(plan.events.missing_events(&rows));
                }
                Ok(rows) if i >= 2 && steps[i - 2].1 == events::UPSERT_SCHEDULES => {
                    stale.extend(plan.events.stale_schedules(&rows));
                }
                Ok(rows) if i >= 2 && steps[i - 2].1 == INSERT_RUNS => {
                    for r in rows {
                        let id: String = r.try_get(0).unwrap_or_default();
                        let what: String = r.try_get(1).unwrap_or_default();
                        conflicts.push((id, what));
                    }
                }
                Ok(_) => {}
            }
        }
        let error = if let Some((label, e)) = failed {
            if is_broken(&e, client) {
                return Err(Failure::Broken(e));
            }
            db_err(&e, &format!("{} ({label})", plan.describe()))
        } else if !stale.is_empty() {
            StoreError::Conflict(format!("{}: {}", plan.describe(), stale.join("; ")))
        } else if !conflicts.is_empty() {
            StoreError::Conflict(conflict_message(&conflicts, plan))
        } else {
            return match client.batch_execute("COMMIT").await {
                Ok(()) => Ok(()),
                Err(e) if is_broken(&e, client) => Err(Failure::Unknown { xid, error: e }),
                // The server refused to commit (e.g. a deferred check): the
                // transaction is over, rolled back.
                Err(e) => Err(Failure::Refused {
                    error: db_err(&e, &plan.describe()),
                    drop: false,
                }),
            };
        };
        // If the rollback fails, dropping the connection rolls back on the
        // server.
        let drop = client.batch_execute("ROLLBACK").await.is_err();
        Err(Failure::Refused { error, drop })
    }
}

/// The fences of `plan` that the locked rows (`id, owner, epoch`) no
/// longer match, in words.
fn stale_fences(rows: &[Row], plan: &Plan<'_>) -> Vec<String> {
    let held: HashMap<String, (Option<String>, i64)> = rows
        .iter()
        .filter_map(|r| {
            let id: String = r.try_get(0).ok()?;
            Some((id, (r.try_get(1).ok()?, r.try_get(2).ok()?)))
        })
        .collect();
    plan.fences
        .iter()
        .filter_map(|&(run, node, epoch)| match held.get(run) {
            Some((Some(owner), e)) if owner == node && *e == epoch => None,
            Some((owner, e)) => Some(format!(
                "run {run} is no longer held by {node} at epoch {epoch} (owner {}, epoch {e})",
                owner.as_deref().unwrap_or("none")
            )),
            None => Some(format!(
                "run {run} is not stored, so {node} cannot hold it at epoch {epoch}"
            )),
        })
        .collect()
}

/// The configuration of the relaxed pool: `config` with the session
/// setting `synchronous_commit = off` added to its startup options (after
/// any the URL gives, such as the `search_path`).
fn relaxed_config(config: &Config) -> Config {
    let mut relaxed = config.clone();
    let options = match config.get_options() {
        Some(o) if !o.trim().is_empty() => format!("{o} {RELAXED_OPTIONS}"),
        _ => RELAXED_OPTIONS.to_string(),
    };
    relaxed.options(&options);
    relaxed
}

/// The startup option of the relaxed pool's sessions.
const RELAXED_OPTIONS: &str = "-c synchronous_commit=off";

/// Names the runs whose id or idempotency key is taken.
fn conflict_message(conflicts: &[(String, String)], plan: &Plan<'_>) -> String {
    let mut m = String::from("commit:");
    for (i, (id, what)) in conflicts.iter().enumerate() {
        if i > 0 {
            m.push(';');
        }
        if what == "key" {
            let key = plan
                .created
                .id
                .iter()
                .position(|r| r == id)
                .and_then(|p| plan.created.key[p]);
            let _ = write!(
                m,
                " new run {id}: idempotency key {:?} is taken",
                key.unwrap_or_default()
            );
        } else {
            let _ = write!(m, " new run {id}: a run with this id exists");
        }
    }
    m
}

/// `host:port/dbname` of a configuration, for messages (never the
/// password).
fn target(config: &Config) -> String {
    use tokio_postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or_default();
    format!("{host}:{port}/{db}")
}

/// An error in one line: the server's severity, SQLSTATE, message and
/// detail, or the chain of causes of a client-side error.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
        if let Some(d) = db.detail() {
            let _ = write!(s, " ({d})");
        }
        return s;
    }
    let mut s = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let _ = write!(s, ": {c}");
        cause = c.source();
    }
    s
}

/// Maps a query error: unique violations are conflicts, everything else is
/// an I/O error of `what`.
fn db_err(e: &tokio_postgres::Error, what: &str) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict(format!("{what}: {}", describe(e)))
    } else if e.code() == Some(&SqlState::DISK_FULL) {
        StoreError::Full(format!("{what}: {}", describe(e)))
    } else {
        StoreError::Io(format!("{what}: {}", describe(e)))
    }
}

fn corrupt(what: impl std::fmt::Display, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    // Serializing a `serde_json::Value` or the engine's plain data types
    // cannot fail (string keys only).
    serde_json::to_string(v).expect("plain data serializes to JSON")
}

/// A column's value; a value of the wrong type is corrupt data.
fn get<'r, T: FromSql<'r>>(row: &'r Row, col: usize, what: &dyn Fn() -> String) -> Result<T> {
    row.try_get(col).map_err(|e| corrupt(what(), describe(&e)))
}

fn from_json<T: serde::de::DeserializeOwned>(
    row: &Row,
    col: usize,
    what: &dyn Fn() -> String,
) -> Result<T> {
    let raw: &str = get(row, col, what)?;
    serde_json::from_str(raw).map_err(|e| corrupt(what(), e))
}

fn opt_json<T: serde::de::DeserializeOwned>(
    row: &Row,
    col: usize,
    what: &dyn Fn() -> String,
) -> Result<Option<T>> {
    let raw: Option<&str> = get(row, col, what)?;
    raw.map(|s| serde_json::from_str(s).map_err(|e| corrupt(what(), e)))
        .transpose()
}

fn parse_status(s: &str, what: &dyn Fn() -> String) -> Result<Status> {
    Status::parse(s).ok_or_else(|| corrupt(what(), format_args!("unknown status {s:?}")))
}

/// Shards of the run counters (`run_counts`); each store handle writes
/// one, so nodes committing at once rarely wait on the same rows.
pub const COUNT_SHARDS: i16 = 16;

/// A shard of `run_counts` for a new store handle: spread by time and
/// process, so that nodes rarely share one (sharing only costs waiting).
fn count_shard() -> i16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mix = nanos ^ std::process::id().wrapping_mul(2_654_435_761);
    (mix % COUNT_SHARDS as u32) as i16
}

/// Reads a run record from [`RECORD_COLUMNS`].
fn read_record(row: &Row) -> Result<RunRecord> {
    let id: String = get(row, 0, &|| "run id".into())?;
    let what = || format!("run {id}");
    let status: &str = get(row, 3, &what)?;
    Ok(RunRecord {
        flow: get(row, 1, &what)?,
        version: get(row, 2, &what)?,
        status: parse_status(status, &what)?,
        input: from_json(row, 4, &what)?,
        result: opt_json(row, 5, &what)?,
        error: opt_json(row, 6, &what)?,
        waiting: from_json(row, 7, &what)?,
        parent: get(row, 8, &what)?,
        idempotency_key: get(row, 9, &what)?,
        position: get(row, 10, &what)?,
        created_at: get(row, 11, &what)?,
        updated_at: get(row, 12, &what)?,
        forked_from: get(row, 13, &what)?,
        id,
    })
}

fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

const INSERT_DEPLOYMENT: &str = "
WITH d AS (
    INSERT INTO deployments (version, flows, files, created_at, program)
    SELECT COALESCE(MAX(version), 0) + 1, $1::text::json, $2::text::json, $3, $5::text::json
    FROM deployments
    RETURNING version
), f AS (
    INSERT INTO deployment_flows (flow, version)
    SELECT DISTINCT flow, d.version FROM unnest($4::text[]) AS flow, d
)
SELECT version FROM d";

/// One attempt at a deploy; the flag says whether the error came from
/// `COMMIT` (the outcome is then unknown).
async fn deploy_on(
    conn: &mut Conn,
    params: &[&(dyn ToSql + Sync)],
) -> std::result::Result<i64, (tokio_postgres::Error, bool)> {
    conn.prepare_all(&[INSERT_DEPLOYMENT])
        .await
        .map_err(|e| (e, false))?;
    let client = &conn.client;
    // Versions are numbered under a table lock, so that deploys from
    // several nodes queue instead of colliding (readers are not blocked).
    let (begin, lock, insert) = futures_util::future::join3(
        client.batch_execute("BEGIN"),
        client.batch_execute("LOCK TABLE deployments IN EXCLUSIVE MODE"),
        client.query_one(conn.prepared(INSERT_DEPLOYMENT), params),
    )
    .await;
    let version = begin
        .and(lock)
        .and(insert)
        .and_then(|row| row.try_get::<_, i64>(0));
    match version {
        Ok(v) => {
            client
                .batch_execute("COMMIT")
                .await
                .map_err(|e| (e, true))?;
            Ok(v)
        }
        Err(e) => {
            if !is_broken(&e, client) {
                client
                    .batch_execute("ROLLBACK")
                    .await
                    .map_err(|e| (e, false))?;
            }
            Err((e, false))
        }
    }
}

/// Parks run `$1`: writes its record's columns (`$2`..`$7`), records the
/// reason `$8` (JSON) at `$9`, and moves its timers, tasks and queued
/// events aside. Returns 1 when the run exists.
const PARK_RUN: &str = "
WITH old AS (
    SELECT flow, status FROM runs WHERE id = $1 AND status <> $2
), counted AS (
    INSERT INTO run_counts AS c (shard, flow, status, runs)
    SELECT $10::smallint, flow, s, d FROM (
        SELECT flow, status AS s, -1 AS d FROM old UNION ALL SELECT flow, $2, 1 FROM old
    ) x
    ORDER BY flow, s
    ON CONFLICT (shard, flow, status) DO UPDATE SET runs = c.runs + excluded.runs
), rec AS (
    UPDATE runs SET status = $2, result = $3::text::json, error = $4::text::json,
        waiting = $5::text::json, position = $6, updated_at = $7
    WHERE id = $1
    RETURNING id
), parked AS (
    INSERT INTO parked_runs (run_id, reason, parked_at)
    SELECT id, $8::text::json, $9 FROM rec
    ON CONFLICT (run_id) DO UPDATE SET reason = excluded.reason, parked_at = excluded.parked_at
), timers_out AS (
    DELETE FROM timers WHERE run_id IN (SELECT id FROM rec) RETURNING run_id, key, at
), timers_in AS (
    INSERT INTO parked_timers (run_id, key, at) SELECT run_id, key, at FROM timers_out
    ON CONFLICT (run_id, key) DO UPDATE SET at = excluded.at
), tasks_out AS (
    DELETE FROM tasks WHERE run_id IN (SELECT id FROM rec)
    RETURNING run_id, call_id, task, activity
), tasks_in AS (
    INSERT INTO parked_tasks (run_id, call_id, task, activity)
    SELECT run_id, call_id, task, activity FROM tasks_out
    ON CONFLICT (run_id, call_id) DO UPDATE SET task = excluded.task, activity = excluded.activity
), inbox_out AS (
    DELETE FROM inbox WHERE run_id IN (SELECT id FROM rec) RETURNING id, run_id, event, created_at
), inbox_in AS (
    INSERT INTO parked_inbox (id, run_id, event, created_at)
    SELECT id, run_id, event, created_at FROM inbox_out
    ON CONFLICT (id) DO NOTHING
)
SELECT count(*) FROM rec";

/// Unparks run `$1`: moves back what was set aside (tasks free to lease),
/// writes its record's columns (`$2`..`$7`) and notifies `$8`. Returns 1
/// when the run was parked.
const UNPARK_RUN: &str = "
WITH done AS (
    DELETE FROM parked_runs WHERE run_id = $1 RETURNING run_id
), old AS (
    SELECT r.flow, r.status FROM runs r JOIN done ON r.id = done.run_id WHERE r.status <> $2
), counted AS (
    INSERT INTO run_counts AS c (shard, flow, status, runs)
    SELECT $9::smallint, flow, s, d FROM (
        SELECT flow, status AS s, -1 AS d FROM old UNION ALL SELECT flow, $2, 1 FROM old
    ) x
    ORDER BY flow, s
    ON CONFLICT (shard, flow, status) DO UPDATE SET runs = c.runs + excluded.runs
), timers_out AS (
    DELETE FROM parked_timers WHERE run_id IN (SELECT run_id FROM done) RETURNING run_id, key, at
), timers_in AS (
    INSERT INTO timers (run_id, key, at) SELECT run_id, key, at FROM timers_out
    ON CONFLICT (run_id, key) DO UPDATE SET at = excluded.at
), tasks_out AS (
    DELETE FROM parked_tasks WHERE run_id IN (SELECT run_id FROM done)
    RETURNING run_id, call_id, task, activity
), tasks_in AS (
    INSERT INTO tasks (call_id, run_id, task, activity)
    SELECT call_id, run_id, task, activity FROM tasks_out
    ON CONFLICT (call_id) DO UPDATE SET task = excluded.task, activity = excluded.activity,
        leased_by = NULL, lease_until = 0, node = NULL
), inbox_out AS (
    DELETE FROM parked_inbox WHERE run_id IN (SELECT run_id FROM done)
    RETURNING id, run_id, event, created_at
), inbox_in AS (
    INSERT INTO inbox (id, run_id, event, created_at)
    SELECT id, run_id, event, created_at FROM inbox_out
    ON CONFLICT (id) DO NOTHING
), rec AS (
    UPDATE runs SET status = $2, result = $3::text::json, error = $4::text::json,
        waiting = $5::text::json, position = $6, updated_at = $7
    WHERE id IN (SELECT run_id FROM done)
)
SELECT (SELECT count(*) FROM done), (SELECT count(pg_notify($8, '')) FROM done)";

/// Cancels a parked run (see `Store::cancel_parked_run`): `$2`..`$7` are
/// the record's columns, `$8` the journal step's entries (JSON, or NULL for
/// none), `$9` the shard of `run_counts` the status change goes to.
const CANCEL_PARKED_RUN: &str = "
WITH done AS (
    DELETE FROM parked_runs WHERE run_id = $1 RETURNING run_id
), old AS (
    SELECT r.flow, r.status FROM runs r JOIN done ON r.id = done.run_id WHERE r.status <> $2
), counted AS (
    INSERT INTO run_counts AS c (shard, flow, status, runs)
    SELECT $9::smallint, flow, s, d FROM (
        SELECT flow, status AS s, -1 AS d FROM old UNION ALL SELECT flow, $2, 1 FROM old
    ) x
    ORDER BY flow, s
    ON CONFLICT (shard, flow, status) DO UPDATE SET runs = c.runs + excluded.runs
), timers_out AS (
    DELETE FROM parked_timers WHERE run_id IN (SELECT run_id FROM done)
), tasks_out AS (
    DELETE FROM parked_tasks WHERE run_id IN (SELECT run_id FROM done)
), inbox_out AS (
    DELETE FROM parked_inbox WHERE run_id IN (SELECT run_id FROM done)
), tokens_out AS (
    UPDATE tokens SET active = false WHERE run_id IN (SELECT run_id FROM done)
), rec AS (
    UPDATE runs SET status = $2, result = $3::text::json, error = $4::text::json,
        waiting = $5::text::json, position = $6, updated_at = $7,
        journal_steps = journal_steps + (CASE WHEN $8::text IS NULL THEN 0 ELSE 1 END)
    WHERE id IN (SELECT run_id FROM done)
    RETURNING id, journal_steps
), step AS (
    INSERT INTO journal (run_id, step, entries)
    SELECT id, journal_steps, $8::text::json FROM rec WHERE $8::text IS NOT NULL
)
SELECT (SELECT count(*) FROM done)";

impl PgStore {
    /// The record columns parking and unparking write, as parameters
    /// `$2`..`$7` of [`PARK_RUN`] and [`UNPARK_RUN`].
    fn record_columns(
        rec: &RunRecord,
    ) -> (
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        i64,
    ) {
        (
            rec.status.as_str().to_string(),
            rec.result.as_ref().map(to_json),
            rec.error.as_ref().map(to_json),
            to_json(&rec.waiting),
            rec.position.clone(),
            rec.updated_at,
        )
    }
}

impl Store for PgStore {
    fn deploy(
        &self,
        files: &[SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> Result<Deployment> {
        let what = || "deploy".to_string();
        let (flows_json, files_json) = (to_json(flows), to_json(files));
        let mut fresh = false;
        loop {
            let mut lease = self.lease(fresh, &what)?;
            let conn = lease.conn();
            let result = block_on(deploy_on(
                conn,
                &[&flows_json, &files_json, &at, &flows, &program],
            ));
            match result {
                Ok(version) => {
                    lease.release();
                    return Ok(Deployment {
                        version,
                        flows: flows.to_vec(),
                        files: files.to_vec(),
                        program: program.map(str::to_string),
                        created_at: at,
                    });
                }
                Err((e, at_commit)) if is_broken(&e, &lease.conn().client) => {
                    let reused = lease.reused;
                    drop(lease);
                    self.pool.clear_idle();
                    if at_commit {
                        return Err(StoreError::Io(format!(
                            "deploy: the connection broke during COMMIT, the outcome is \
                             unknown (list the flows to see): {}",
                            describe(&e)
                        )));
                    }
                    if reused && !fresh {
                        fresh = true;
                        continue;
                    }
                    return Err(db_err(&e, "deploy"));
                }
                Err((e, _)) => {
                    lease.release();
                    return Err(db_err(&e, "deploy"));
                }
            }
        }
    }

    fn deployment(&self, version: i64) -> Result<Option<Deployment>> {
        let what = || format!("deployment {version}");
        let rows = self.query(
            &what,
            "SELECT flows::text, files::text, created_at, program::text FROM deployments \
             WHERE version = $1",
            &[&version],
        )?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        Ok(Some(Deployment {
            version,
            flows: from_json(row, 0, &what)?,
            files: from_json(row, 1, &what)?,
            created_at: get(row, 2, &what)?,
            program: get(row, 3, &what)?,
        }))
    }

    fn set_program(&self, version: i64, program: &str) -> Result<bool> {
        let what = || format!("storing the program of version {version}");
        // Run twice after a broken connection, the second finds it set.
        let rows = self.query(
            &what,
            "UPDATE deployments SET program = $2::text::json \
             WHERE version = $1 AND program IS NULL RETURNING version",
            &[&version, &program],
        )?;
        Ok(!rows.is_empty())
    }

    fn versions_without_program(&self) -> Result<Vec<i64>> {
        let what = || "versions without a program".to_string();
        let rows = self.query(
            &what,
            "SELECT version FROM deployments WHERE program IS NULL ORDER BY version",
            &[],
        )?;
        rows.iter().map(|r| get(r, 0, &what)).collect()
    }

    fn park_run(&self, record: &RunRecord, reason: &serde_json::Value, at: i64) -> Result<()> {
        let what = || format!("parking run {}", record.id);
        let (status, result, error, waiting, position, updated) = Self::record_columns(record);
        let reason = to_json(reason);
        // Parking twice moves nothing more: safe to run again.
        let rows = self.query(
            &what,
            PARK_RUN,
            &[
                &record.id,
                &status,
                &result,
                &error,
                &waiting,
                &position,
                &updated,
                &reason,
                &at,
                &self.shard,
            ],
        )?;
        let n: i64 = get(&rows[0], 0, &what)?;
        if n == 0 {
            return Err(StoreError::Corrupt(format!("{}: no such run", what())));
        }
        Ok(())
    }

    fn unpark_run(&self, record: &RunRecord) -> Result<bool> {
        let what = || format!("unparking run {}", record.id);
        let (status, result, error, waiting, position, updated) = Self::record_columns(record);
        // Not run twice: a second run would find the run unparked and say
        // so, though the first unparked it.
        let rows = self.query_once(
            &what,
            UNPARK_RUN,
            &[
                &record.id,
                &status,
                &result,
                &error,
                &waiting,
                &position,
                &updated,
                &self.channel,
                &self.shard,
            ],
        )?;
        let n: i64 = get(&rows[0], 0, &what)?;
        Ok(n > 0)
    }

    fn cancel_parked_run(
        &self,
        record: &RunRecord,
        journal: &[weft_engine::state::Entry],
    ) -> Result<bool> {
        let what = || format!("cancelling parked run {}", record.id);
        let (status, result, error, waiting, position, updated) = Self::record_columns(record);
        let entries: Option<String> = (!journal.is_empty())
            .then(|| serde_json::to_string(journal).expect("journal entries serialize"));
        // Not run twice: a second run would find the run not parked.
        let rows = self.query_once(
            &what,
            CANCEL_PARKED_RUN,
            &[
                &record.id,
                &status,
                &result,
                &error,
                &waiting,
                &position,
                &updated,
                &entries,
                &self.shard,
            ],
        )?;
        let n: i64 = get(&rows[0], 0, &what)?;
        Ok(n > 0)
    }

    fn parked_runs(&self) -> Result<Vec<ParkedRun>> {
        let what = || "parked runs".to_string();
        let rows = self.query(
            &what,
            "SELECT run_id, reason::text, parked_at FROM parked_runs ORDER BY run_id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ParkedRun {
                    run_id: get(r, 0, &what)?,
                    reason: from_json(r, 1, &what)?,
                    parked_at: get(r, 2, &what)?,
                })
            })
            .collect()
    }

    fn latest_version(&self, flow: &str) -> Result<Option<i64>> {
        let what = || format!("latest version of flow {flow}");
        let rows = self.query(
            &what,
            "SELECT MAX(version) FROM deployment_flows WHERE flow = $1",
            &[&flow],
        )?;
        get(&rows[0], 0, &what)
    }

    fn flows(&self) -> Result<Vec<FlowInfo>> {
        let what = || "flows".to_string();
        let rows = self.query(
            &what,
            "SELECT flow, version FROM deployment_flows ORDER BY flow, version",
            &[],
        )?;
        let mut out: Vec<FlowInfo> = Vec::new();
        for row in &rows {
            let name: String = get(row, 0, &what)?;
            let version: i64 = get(row, 1, &what)?;
            match out.last_mut() {
                Some(f) if f.name == name => f.versions.push(version),
                _ => out.push(FlowInfo {
                    name,
                    versions: vec![version],
                }),
            }
        }
        Ok(out)
    }

    fn commit(&self, batch: &Batch) -> Result<()> {
        let mut plan = Plan::build(batch)?;
        plan.shard = self.shard;
        if plan.is_empty() {
            return Ok(());
        }
        if self.resolve_unresolved(&plan)? {
            // The attempt whose reply was lost did commit this very batch.
            return Ok(());
        }
        let mut fresh = false;
        loop {
            let mut lease = self.lease(fresh, &|| plan.describe())?;
            let reused = lease.reused;
            let result = block_on(PgStore::commit_on(lease.conn(), &plan, &self.channel));
            match result {
                Ok(()) => {
                    lease.release();
                    if plan.notify {
                        self.listener.signal();
                    }
                    self.vacuum.churned(churn(batch));
                    return Ok(());
                }
                Err(Failure::Refused { error, drop }) => {
                    if !drop {
                        lease.release();
                    }
                    return Err(error);
                }
                Err(Failure::Broken(e)) => {
                    drop(lease);
                    self.pool.clear_idle();
                    // Nothing was committed: a connection that died while
                    // idle is worth one more try on a new one.
                    if !reused || fresh {
                        return Err(db_err(&e, &plan.describe()));
                    }
                }
                Err(Failure::Unknown { xid, error }) => {
                    drop(lease);
                    self.pool.clear_idle();
                    let fate = match xid {
                        Some(xid) => self.fate(xid),
                        None => Fate::Unknown("no transaction id".into()),
                    };
                    match fate {
                        Fate::Committed => return Ok(()),
                        // Nothing was written: one more try.
                        Fate::Aborted if !fresh => {}
                        Fate::Aborted => {
                            return Err(StoreError::Io(format!(
                                "{}: the connection broke during COMMIT and the server rolled \
                                 the transaction back: {}",
                                plan.describe(),
                                describe(&error)
                            )))
                        }
                        Fate::Unknown(why) => {
                            if let Some(xid) = xid {
                                *self.unresolved.lock().unwrap_or_else(|e| e.into_inner()) =
                                    Some(Unresolved {
                                        xid,
                                        fingerprint: plan.fingerprint(),
                                    });
                            }
                            return Err(StoreError::Io(format!(
                                "{}: the connection broke during COMMIT; the outcome is \
                                 unknown ({why}); committing the same batch again through this \
                                 store is safe: {}",
                                plan.describe(),
                                describe(&error)
                            )));
                        }
                    }
                }
            }
            fresh = true;
        }
    }

    fn load_run(&self, id: &str) -> Result<Option<StoredRun>> {
        let what = || format!("load run {id}");
        let rows = self.query(
            &what,
            concat!(
                "SELECT ",
                record_columns!(),
                ", state FROM ",
                record_from!(),
                " WHERE id = $1"
            ),
            &[&id],
        )?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let record = read_record(row)?;
        let state: Vec<u8> = get(row, 14, &what)?;
        Ok(Some(StoredRun { record, state }))
    }

    fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        let what = || format!("run {id}");
        let rows = self.query(
            &what,
            concat!(
                "SELECT ",
                record_columns!(),
                " FROM ",
                record_from!(),
                " WHERE id = $1"
            ),
            &[&id],
        )?;
        rows.first().map(read_record).transpose()
    }

    fn list_runs(&self, q: &RunQuery) -> Result<RunPage> {
        self.search(q)
    }

    fn count_by_status(&self) -> Result<Vec<(Status, u64)>> {
        let mut counts: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for c in self.counts()? {
            if let Some(x) = counts.iter_mut().find(|(s, _)| *s == c.status) {
                x.1 += c.runs;
            }
        }
        Ok(counts)
    }

    fn run_counts(&self) -> Result<Vec<RunCount>> {
        self.counts()
    }

    fn journal(&self, run_id: &str) -> Result<Vec<JournalStep>> {
        let what = || format!("journal of run {run_id}");
        let rows = self.query(
            &what,
            "SELECT step, entries::text, cause::text FROM journal WHERE run_id = $1 ORDER BY step",
            &[&run_id],
        )?;
        rows.iter()
            .map(|row| {
                Ok(JournalStep {
                    step: get(row, 0, &what)?,
                    entries: from_json(row, 1, &what)?,
                    cause: opt_json(row, 2, &what)?,
                })
            })
            .collect()
    }

    fn journal_page(
        &self,
        run_id: &str,
        from_step: i64,
        steps_max: usize,
    ) -> Result<Vec<JournalStep>> {
        let what = || format!("journal of run {run_id}");
        let limit = i64::try_from(steps_max).unwrap_or(i64::MAX);
        let rows = self.query(
            &what,
            "SELECT step, entries::text, cause::text FROM journal WHERE run_id = $1 AND step >= $2 \
             ORDER BY step LIMIT $3",
            &[&run_id, &from_step, &limit],
        )?;
        rows.iter()
            .map(|row| {
                Ok(JournalStep {
                    step: get(row, 0, &what)?,
                    entries: from_json(row, 1, &what)?,
                    cause: opt_json(row, 2, &what)?,
                })
            })
            .collect()
    }

    fn run_by_key(&self, key: &str) -> Result<Option<String>> {
        let what = || format!("run by idempotency key {key:?}");
        let rows = self.query(
            &what,
            "SELECT run_id FROM idempotency_keys WHERE key = $1",
            &[&key],
        )?;
        rows.first().map(|r| get(r, 0, &what)).transpose()
    }

    fn due_timers(&self, until: i64, limit: usize) -> Result<Vec<TimerRow>> {
        let what = || "due timers".to_string();
        let rows = self.query(
            &what,
            "SELECT run_id, key, at FROM timers WHERE at <= $1 ORDER BY at, run_id, key LIMIT $2",
            &[&until, &limit_param(limit)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(TimerRow {
                    run_id: get(r, 0, &what)?,
                    key: get(r, 1, &what)?,
                    at: get(r, 2, &what)?,
                })
            })
            .collect()
    }

    fn next_timer(&self) -> Result<Option<i64>> {
        let what = || "next timer".to_string();
        let rows = self.query(&what, "SELECT MIN(at) FROM timers", &[])?;
        get(&rows[0], 0, &what)
    }

    fn tasks(&self, after: Option<&str>, limit: usize) -> Result<Vec<Task>> {
        let what = || "tasks".to_string();
        let limit = limit_param(limit);
        let rows = match after {
            Some(a) => self.query(
                &what,
                "SELECT call_id, task::text FROM tasks WHERE call_id > $1 ORDER BY call_id LIMIT $2",
                &[&a, &limit],
            )?,
            None => self.query(
                &what,
                "SELECT call_id, task::text FROM tasks ORDER BY call_id LIMIT $1",
                &[&limit],
            )?,
        };
        rows.iter()
            .map(|row| {
                let call_id: &str = get(row, 0, &what)?;
                from_json(row, 1, &|| format!("task {call_id}"))
            })
            .collect()
    }

    fn token(&self, token: &str) -> Result<Option<TokenRow>> {
        let what = || "callback token".to_string();
        let rows = self.query(
            &what,
            "SELECT run_id, call, active FROM tokens WHERE token = $1",
            &[&token],
        )?;
        rows.first()
            .map(|r| {
                let call: i64 = get(r, 1, &what)?;
                Ok(TokenRow {
                    run_id: get(r, 0, &what)?,
                    call: u32::try_from(call).map_err(|_| {
                        corrupt(what(), format_args!("call {call} is out of range"))
                    })?,
                    active: get(r, 2, &what)?,
                })
            })
            .transpose()
    }

    fn source_cursor(&self, source: &str) -> Result<Option<String>> {
        let what = || format!("the cursor of source {source:?}");
        let rows = self.query(
            &what,
            "SELECT cursor FROM source_cursors WHERE source = $1",
            &[&source],
        )?;
        rows.first().map(|r| get(r, 0, &what)).transpose()
    }

    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        at: i64,
    ) -> Result<bool> {
        let what = || format!("advancing the cursor of source {source:?}");
        // A compare-and-set: running it twice after a broken connection
        // answers false the second time, which only makes the source poll
        // once more from the stored cursor.
        let rows = match from {
            None => self.query_once(
                &what,
                "INSERT INTO source_cursors (source, cursor, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (source) DO NOTHING RETURNING 1",
                &[&source, &to, &at],
            )?,
            Some(from) => self.query_once(
                &what,
                "UPDATE source_cursors SET cursor = $2, updated_at = $3 \
                 WHERE source = $1 AND cursor = $4 RETURNING 1",
                &[&source, &to, &at, &from],
            )?,
        };
        Ok(rows.len() == 1)
    }

    fn audit_begin(&self, entry: &NewAudit) -> Result<i64> {
        self.audit_begin_(entry)
    }

    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> Result<()> {
        self.audit_progress_(id, applied, failed, done)
    }

    fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.audit_(q)
    }

    fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        self.audit_entry_(id)
    }

    fn instance(&self, machine: &str, key: &str) -> Result<Option<InstanceRow>> {
        let what = || format!("instance {machine}/{key}");
        let rows = self.query(&what, &machines::instance_sql(), &[&machine, &key])?;
        rows.first().map(machines::read_instance).transpose()
    }

    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<CommandRecord>> {
        let what = || format!("commands of {machine}/{key}");
        let limit = limit_param(limit);
        let rows = self.query(
            &what,
            machines::COMMANDS,
            &[&machine, &key, &from_seq, &limit],
        )?;
        rows.iter()
            .map(|r| machines::read_command(r, &what))
            .collect()
    }

    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<CommandRecord>> {
        let what = || format!("command {command_id:?} of {machine}/{key}");
        let rows = self.query(
            &what,
            machines::COMMAND_BY_ID,
            &[&machine, &key, &command_id],
        )?;
        rows.first()
            .map(|r| machines::read_command(r, &what))
            .transpose()
    }

    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&weft_store::machines::IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Instance>> {
        let what = || format!("query of {machine}");
        let after = after.unwrap_or("");
        let limit = limit_param(limit);
        let rows = match probe {
            None => self.query(&what, &machines::scan_sql(), &[&machine, &after, &limit])?,
            Some(p) => {
                let (kind, num, text) = machines::probe_value(p);
                let sql = machines::probe_sql(p);
                match (num, text) {
                    (Some(n), _) => {
                        self.query(&what, &sql, &[&machine, &after, &limit, &p.path, &kind, &n])?
                    }
                    (_, Some(t)) => {
                        self.query(&what, &sql, &[&machine, &after, &limit, &p.path, &kind, &t])?
                    }
                    _ => return Err(corrupt(what(), "an index probe without a scalar value")),
                }
            }
        };
        rows.iter()
            .map(|r| machines::read_instance(r).map(|row| row.instance))
            .collect()
    }

    fn instances_with_open_commands(&self, limit: usize) -> Result<Vec<(String, String)>> {
        let what = || "instances with open commands".to_string();
        let limit = limit_param(limit);
        let rows = self.query(&what, machines::OPEN_INSTANCES, &[&limit])?;
        rows.iter()
            .map(|r| Ok((get(r, 0, &what)?, get(r, 1, &what)?)))
            .collect()
    }

    fn machine_events(&self, after: i64, limit: usize) -> Result<Vec<StoredMachineEvent>> {
        let what = || "machine events".to_string();
        let limit = limit_param(limit);
        let rows = self.query(&what, machines::EVENTS, &[&after, &limit])?;
        rows.iter().map(machines::read_event).collect()
    }

    fn taken_event_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        let what = || "taken event ids".to_string();
        let rows = self.query(&what, events::TAKEN, &[&ids])?;
        let taken: std::collections::HashSet<String> = rows
            .iter()
            .map(|r| get::<String>(r, 0, &what))
            .collect::<Result<_>>()?;
        Ok(ids
            .iter()
            .filter(|id| taken.contains(*id))
            .cloned()
            .collect())
    }

    fn events(&self, before: Option<i64>, limit: usize) -> Result<Vec<weft_store::StoredEvent>> {
        let what = || "events".to_string();
        let (before, limit) = (before.unwrap_or(i64::MAX), limit_param(limit));
        let rows = self.query(&what, &events::list_sql(), &[&before, &limit])?;
        rows.iter().map(events::read).collect()
    }

    fn event_starts(
        &self,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<weft_store::StoredEvent>> {
        let what = || "events without their data".to_string();
        let (before, limit) = (before.unwrap_or(i64::MAX), limit_param(limit));
        let rows = self.query(&what, &events::list_without_data_sql(), &[&before, &limit])?;
        rows.iter().map(events::read).collect()
    }

    fn schedules(&self) -> Result<Vec<weft_store::ScheduleRow>> {
        let what = || "schedules".to_string();
        let rows = self.query(&what, events::SCHEDULES, &[])?;
        rows.iter()
            .map(|r| {
                let name: String = get(r, 0, &what)?;
                from_json(r, 1, &|| format!("schedule {name:?}"))
            })
            .collect()
    }

    fn event(&self, id: &str) -> Result<Option<weft_store::StoredEvent>> {
        let what = || format!("event {id:?}");
        let rows = self.query(&what, &events::by_id_sql(), &[&id])?;
        rows.first().map(events::read).transpose()
    }
}

/// Row versions of the queue-like tables a batch turns dead: deleted and
/// replaced tasks, consumed inbox events, cleared timers.
fn churn(batch: &Batch) -> u64 {
    batch
        .writes
        .iter()
        .map(|w| {
            (w.tasks_delete.len()
                + w.tasks_put.len()
                + w.inbox_done.len()
                + w.timers_clear.len()
                + w.machines.len()) as u64
        })
        .sum()
}

#[cfg(test)]
mod relaxed_tests {
    use super::*;

    /// The lease statements' sessions turn the flush off after whatever
    /// the URL asks (its `search_path` above all), and the other sessions
    /// are left as the URL says.
    #[test]
    fn relaxed_sessions_add_synchronous_commit_off_to_the_urls_options() {
        let with: Config = "postgres://weft@127.0.0.1/db?options=-csearch_path%3Dweft"
            .parse()
            .unwrap();
        assert_eq!(
            relaxed_config(&with).get_options(),
            Some("-csearch_path=weft -c synchronous_commit=off")
        );
        assert_eq!(with.get_options(), Some("-csearch_path=weft"));
        let without: Config = "postgres://weft@127.0.0.1/db".parse().unwrap();
        assert_eq!(
            relaxed_config(&without).get_options(),
            Some("-c synchronous_commit=off")
        );
    }

    /// On a real server (`WEFT_TEST_DATABASE_URL`; skipped without it):
    /// the relaxed pool's sessions do not wait for the flush, the main
    /// pool's keep the server's setting.
    #[test]
    fn relaxed_sessions_skip_the_flush_on_the_server() {
        let Ok(url) = std::env::var("WEFT_TEST_DATABASE_URL") else {
            return;
        };
        let config: Config = url.parse().unwrap();
        let show = |pool: &Pool| -> String {
            let mut lease = pool.get(false).expect("a connection");
            let conn = lease.conn();
            let row = block_on(conn.client.query_one("SHOW synchronous_commit", &[])).unwrap();
            let v: String = row.get(0);
            lease.release();
            v
        };
        assert_eq!(show(&Pool::new(relaxed_config(&config), 1)), "off");
        let server = show(&Pool::new(config, 1));
        assert_ne!(
            server, "off",
            "the test server itself runs without the flush"
        );
    }
}

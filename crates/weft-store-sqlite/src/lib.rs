//! The embedded store of Weft: one SQLite database file (`weft.db`) in a
//! directory, implementing [`weft_store::Store`].
//!
//! # Durability
//!
//! The database runs in WAL mode with `synchronous=FULL`. [`Store::commit`]
//! writes the whole [`Batch`] in one `BEGIN IMMEDIATE` transaction; SQLite
//! appends the changed pages to the write-ahead log and fsyncs the log
//! before `COMMIT` returns. So once `commit` returns `Ok`, the batch
//! survives a process crash *and* a power loss or kernel panic (as far as
//! the disk honours fsync). If `commit` returns an error, or the process
//! dies before it returns, the batch is either wholly present or wholly
//! absent after the next open: log frames carry checksums, and recovery
//! replays only transactions whose commit frame made it to the log. A
//! statement that fails inside the batch (a taken idempotency key or run id
//! is [`StoreError::Conflict`]) rolls the whole batch back.
//!
//! Checkpoints (copying the log into the database file) happen
//! automatically at the end of a commit once the log passes 1,000 pages
//! (about 4 MB); they never lose committed data, and they are why a few
//! commits take a few milliseconds longer than the rest. The directory is
//! fsynced after the database file is created, so a fresh store's files
//! survive a power loss too.
//!
//! # Writes
//!
//! A run write with a record updates the run's row (or inserts it when the
//! write creates the run, or the run is not stored yet), appends one journal
//! row when it has entries, then clears and sets timers, deletes and puts
//! tasks, spends and registers tokens, in that order. The next journal step
//! comes from the run row's `journal_steps` counter and the run's number
//! (`seq`, which keys its journal rows and the `UPDATE`): the store that
//! holds its directory's lock remembers both for running runs from their
//! last commit ([`known`]); otherwise, or for a run it does not remember,
//! a point `SELECT` reads them before the `UPDATE`. Status and the columns fixed at creation are written by a
//! second statement only when they changed, so a typical step rewrites no
//! index entry of the runs table. Idempotency keys are bound to their run
//! when it is created and never released. A write without a record names no
//! run and writes nothing, as in the memory store.
//!
//! Errors: SQLite failures are [`StoreError::Io`] with the operation and
//! run id; unique and primary-key violations are [`StoreError::Conflict`];
//! stored JSON that does not decode, values of the wrong type and a corrupt
//! database file are [`StoreError::Corrupt`]. Nothing panics on bad data.
//!
//! # Schema
//!
//! Versioned with `PRAGMA user_version` and a list of migrations applied at
//! open (see [`schema`]). Tables:
//!
//! | table | key | holds |
//! |---|---|---|
//! | `deployments` | `version` | flows and sources as JSON; the compiled `program` (2; NULL for versions deployed before) |
//! | `deployment_flows` | `(flow, version)` | which versions define a flow |
//! | `runs` | `seq` (10; `id` unique) | record columns (JSON as TEXT; `waiting` in the compact form since 9, the empty text for "the snapshot's" since 13, read in SQL with `weft_waiting(waiting, id, state)`), `journal_steps`, snapshot BLOB |
//! | `idempotency_keys` | `key` | the run each key started (bound at creation, for good) |
//! | `journal` | `key` (12: the run's `seq` and the step in one integer, see [`journal`]; `(run, step)` in 10 and 11, `(run_id, step)` before) | one row per journal step, entries as a JSON array; a run's newest [`weft_store::JOURNAL_STEPS_PER_RUN_MAX`] steps are kept |
//! | `timers` | `(run, key)` (`run_id` before 10) | armed timers; index by `(at, run, key)` |
//! | `tasks` | `call_id` | outstanding tasks as JSON |
//! | `tokens` | `token` | callback tokens with their run (`seq` since 10), call and `active` flag |
//! | `parked_runs` | `run_id` | runs a build could not read, with the reason as JSON (2) |
//! | `parked_timers`, `parked_tasks` | `(run_id, key)`, `(run_id, call_id)` | a parked run's timers and tasks, set aside (2) |
//! | `store_meta` | `key` | the store's id (`store_id`, also in `weft.id` beside the database: see [`check`]) (3) |
//! | `machine_instances` | `(machine, key)` | (4) an instance's state and version, its queue's bookkeeping, whether its state is indexed |
//! | `machine_commands` | `(machine, key, seq)` | (4) each command as JSON, its command id (unique per instance) and status |
//! | `machine_fields` | | (4) the scalar values of each state, by path, for queries |
//! | `machine_events` | `id` | (4) the events applied commands emit, in commit order |
//! | `events` | `id` | (6) events taken (`POST /v1/events`, sources, machines' events), numbered in commit order (`seq`), with what their triggers started |
//! | `schedules` | `name` | (6) each schedule's row as JSON, with its revision (writes name the revision they were made from) |
//!
//! (2), (3), (4), (6), (10): added by migration 2, 3, 4 (machines), 6
//! (events), 10 (run numbers); 5 is operating's, 11 narrows an index, 12
//! keys the journal by one integer (see [`schema`]).
//!
//! Runs are indexed by `(status, id)`, `(flow, id)` and `(parent, id)` for
//! newest-first lists, and by `created_at` for ranges of creation time
//! (without the id since 11: such a list is sorted by id after the range
//! is found either way).
//!
//! # Threading
//!
//! [`SqliteStore`] is `Send + Sync`. It holds one write connection behind a
//! mutex (SQLite admits one writer at a time anyway, and the runtime has one
//! committing thread, so the mutex is rarely contended) and a small pool of
//! read-only connections. Readers take a connection from the pool (opening
//! one when the pool is empty) and give it back after the query; in WAL mode
//! they read the last committed state while a commit is in progress, so
//! `load_run`, `list_runs`, `token` or `due_timers` never wait for the
//! writer. Each read is one statement and so one consistent snapshot: it
//! sees a batch whole or not at all. This is simpler than a writer thread
//! with a channel: the caller of `commit` already is the group-commit
//! thread, and the mutex makes any other caller wait its turn.

pub mod check;
mod events;
pub mod gather;
pub mod journal;
pub mod known;
mod machines;
pub mod schema;
mod search;
mod statements;
mod status;
pub mod wal;

pub use check::{doctor, DoctorOptions, Finding, Report, Severity, ID_FILE};

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{
    ffi, params, Connection, ErrorCode, OpenFlags, OptionalExtension, Row, ToSql, Transaction,
    TransactionBehavior,
};
use weft_engine::state::{Status, Task};
use weft_store::machines::IndexProbe;
use weft_store::{
    AuditEntry, AuditQuery, Batch, CommandRecord, Deployment, FlowInfo, Instance, InstanceRow,
    JournalStep, NewAudit, ParkedRun, Result, RunCount, RunPage, RunQuery, RunRecord, RunWrite,
    SourceText, Store, StoreError, StoredMachineEvent, StoredRun, TimerRow, TokenRow,
};

/// The database file's name in the store's directory.
pub const DB_FILE: &str = "weft.db";

/// How long a connection waits for a lock held by another connection (for
/// example another process's writer) before failing.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;

/// Read connections kept open between reads; more are opened when several
/// threads read at once, and closed when given back to a full pool.
pub const READERS_IDLE_MAX: usize = 4;

/// Prepared statements each connection keeps.
const STATEMENTS_CACHED_MAX: usize = 64;

/// Page cache of the write connection, in KiB (`PRAGMA cache_size`
/// takes a negative number for KiB). Hot pages of the runs table and its
/// indexes stay in memory between commits.
const WRITER_CACHE_KIB: i64 = 16 * 1024;

/// Page cache of each read connection, in KiB.
const READER_CACHE_KIB: i64 = 8 * 1024;

/// The log is truncated to this size after a checkpoint, so a burst of
/// large batches does not leave a large file behind.
const WAL_SIZE_BYTES_MAX: i64 = 64 * 1024 * 1024;

/// The record columns of `runs` (and `run_forks`), in the order
/// [`read_record`] expects; read from [`RECORD_FROM`].
const RECORD_COLUMNS: &str = "id, flow, version, status, input, result, error, waiting, parent, \
     idempotency_key, position, created_at, updated_at, forked_from, \
     CASE WHEN waiting = '' THEN state END";

/// Where [`RECORD_COLUMNS`] end: the column after them is the first a
/// query adds.
const RECORD_COLUMNS_LEN: usize = 15;

/// The last of [`RECORD_COLUMNS`]: the snapshot, when `waiting` is to come
/// from it, else NULL.
const WAITING_STATE_COLUMN: usize = RECORD_COLUMNS_LEN - 1;

/// Where records are read from: a fork's origin is in a table of its own
/// (see `schema::V2`), so that the snapshot stays the runs' last column.
const RECORD_FROM: &str = "runs LEFT JOIN run_forks USING (id)";

/// A store in one SQLite database; see the crate documentation.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// What the store last committed of the runs it wrote, when it is its
    /// directory's only user (locked after `writer`).
    known: Option<Mutex<known::Known>>,
}

/// How a store is opened.
#[derive(Clone, Copy, Debug)]
pub struct OpenOptions {
    /// The caller is the directory's only user (it holds the directory's
    /// lock, as `weft serve` does): the write-ahead log and the database's
    /// integrity are checked (see [`check`]), `weft.id` is written when
    /// missing, and the store remembers what it committed of each run
    /// instead of reading it back before the run's next write (see
    /// [`known`]; another writer would make that wrong). Without it (a
    /// reader beside a running server) only the store's id is compared.
    pub exclusive: bool,
    /// Open even though the write-ahead log is damaged: SQLite's recovery
    /// keeps the transactions before the damage, the rest are lost
    /// (`weft doctor DIR --accept-wal-loss`).
    pub accept_wal_loss: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            exclusive: true,
            accept_wal_loss: false,
        }
    }
}

impl SqliteStore {
    /// Opens the store in `dir` as its only user, creating the directory
    /// and the database when missing, checks it (see [`check`]) and brings
    /// the schema up to date.
    pub fn open(dir: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(dir, OpenOptions::default())
    }

    /// Opens the store in `dir` beside another process that may be
    /// writing it (no log or integrity check: see [`OpenOptions`]).
    pub fn open_shared(dir: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(
            dir,
            OpenOptions {
                exclusive: false,
                accept_wal_loss: false,
            },
        )
    }

    /// Opens the store in `dir`; see [`OpenOptions`].
    pub fn open_with(dir: &Path, opts: OpenOptions) -> Result<SqliteStore> {
        let created_dir = !dir.exists();
        check::create_dir(dir)?;
        let files = check::Files::new(dir);
        check::tighten_files(&files)?;
        let header = check::read_header(&files.db)?;
        let id_file = check::read_id_file(&files.id)?;
        let log = if opts.exclusive {
            wal::inspect(&files.wal, header.as_ref().map(|h| h.page_size)).map_err(|e| {
                StoreError::Io(format!("open: reading {}: {e}", files.wal.display()))
            })?
        } else {
            wal::WalReport::default()
        };
        let mut problems = check::before_open(&files, header.as_ref(), id_file.as_deref(), &log);
        if opts.accept_wal_loss {
            problems.retain(|p| !p.starts_with("the write-ahead log"));
        }
        refuse(dir, problems)?;
        let path = files.db.clone();
        let fresh = header.is_none();
        check::create_db_file(&path)?;
        let mut writer = open_connection(&path, WRITER_CACHE_KIB)?;
        let err = |e| db_err(e, || format!("open {}", path.display()));
        let mode: String = writer
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Io(format!(
                "open {}: the database refused WAL mode (journal_mode is {mode})",
                path.display()
            )));
        }
        writer
            .pragma_update(None, "journal_size_limit", WAL_SIZE_BYTES_MAX)
            .map_err(err)?;
        let found: i64 = writer
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        schema::check_version(found)?;
        let in_db = check::stored_id(&writer)?;
        refuse(
            dir,
            check::id_mismatch(&files, in_db.as_deref(), id_file.as_deref(), found)
                .into_iter()
                .collect(),
        )?;
        if opts.exclusive && !fresh {
            let size = header.as_ref().map_or(0, |h| h.bytes) + log.bytes;
            let tables =
                (size > check::START_CHECK_FULL_BYTES_MAX).then_some(check::START_CHECK_TABLES);
            let found = check::quick_check(&writer, tables)?;
            refuse(
                dir,
                found
                    .into_iter()
                    .map(|l| format!("the integrity check of {} found: {l}", path.display()))
                    .collect(),
            )?;
        }
        if opts.accept_wal_loss && log.is_damaged() {
            // Recovery kept the transactions before the damage; the frames
            // after it would be found again at the next open.
            writer
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(err)?;
        }
        schema::migrate(&mut writer)?;
        if opts.exclusive && id_file.is_none() {
            let id = check::stored_id(&writer)?.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "{} has no store id after migrating",
                    path.display()
                ))
            })?;
            check::write_id_file(&files, &id)?;
        }
        if fresh {
            // The new file's directory entry (and the directory's, when we
            // created it) must be durable too.
            sync_dir(dir)?;
            if let Some(parent) = dir
                .parent()
                .filter(|p| created_dir && !p.as_os_str().is_empty())
            {
                sync_dir(parent)?;
            }
        }
        Ok(SqliteStore {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            known: opts.exclusive.then(Default::default),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the store remembers of runs (see [`known`]), when it does.
    fn known(&self) -> Option<MutexGuard<'_, known::Known>> {
        self.known
            .as_ref()
            .map(|k| k.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// A write other than a batch changed this run's row.
    fn forget_run(&self, run_id: &str) {
        if let Some(mut k) = self.known() {
            k.forget(run_id);
        }
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled its transaction back as the
        // `Transaction` unwound, so the connection is usable.
        let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if !conn.is_autocommit() {
            // Belt and braces: never build on a half-done transaction.
            let _ = conn.execute_batch("ROLLBACK");
        }
        conn
    }

    fn reader(&self) -> Result<Reader<'_>> {
        let idle = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => {
                let c = open_connection(&self.path, READER_CACHE_KIB)?;
                c.pragma_update(None, "query_only", true)
                    .map_err(|e| db_err(e, || format!("open reader {}", self.path.display())))?;
                c
            }
        };
        Ok(Reader {
            store: self,
            conn: Some(conn),
        })
    }
}

/// Refuses an open with every problem found, and what to do.
fn refuse(dir: &Path, problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(StoreError::Corrupt(format!(
        "{}; nothing was changed: back up {} and see `weft doctor {}`",
        problems.join("; "),
        dir.display(),
        dir.display()
    )))
}

/// A read connection borrowed from the pool; given back on drop.
struct Reader<'a> {
    store: &'a SqliteStore,
    conn: Option<Connection>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("present until drop")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut idle = self.store.readers.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < READERS_IDLE_MAX {
                idle.push(c);
            }
        }
    }
}

fn open_connection(path: &Path, cache_kib: i64) -> Result<Connection> {
    let err = |e| db_err(e, || format!("open {}", path.display()));
    let vfs =
        gather::register().map_err(|e| StoreError::Io(format!("open {}: {e}", path.display())))?;
    let conn = Connection::open_with_flags_and_vfs(path, OpenFlags::default(), vfs).map_err(err)?;
    conn.busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS))
        .map_err(err)?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS_CACHED_MAX);
    // The query planner's stability guarantee: a plan never depends on the
    // values bound to a statement. Without it, SQLite (built with STAT4, as
    // the bundled one is) marks statements such as `latest_version`'s to be
    // prepared again every time a new value is bound, which made every
    // cached statement on `deployment_flows` or joining `run_forks` a full
    // parse and plan: 36,000 instructions per run started, 4.6 % of the
    // in-process bench's (callgrind, docs/benchmarks.md). The store runs no
    // ANALYZE and binds no LIKE patterns, so no plan is lost.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(err)?;
    // FULL on every connection: whichever connection checkpoints or closes
    // last must sync as carefully as the writer.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(err)?;
    conn.pragma_update(None, "cache_size", -cache_kib)
        .map_err(err)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(err)?;
    register_functions(&conn).map_err(err)?;
    Ok(conn)
}

fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Io(format!("open: syncing {}: {e}", dir.display())))
}

/// Maps a SQLite error to a store error; `what` says which operation (and
/// which run) failed, and is only built when there is an error.
pub(crate) fn db_err(e: rusqlite::Error, what: impl FnOnce() -> String) -> StoreError {
    use rusqlite::Error as E;
    match &e {
        E::SqliteFailure(f, _)
            if f.code == ErrorCode::ConstraintViolation
                && matches!(
                    f.extended_code,
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
        {
            StoreError::Conflict(format!("{}: {e}", what()))
        }
        E::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) =>
        {
            StoreError::Corrupt(format!("{}: {e}", what()))
        }
        E::SqliteFailure(f, _) if f.code == ErrorCode::DiskFull => {
            StoreError::Full(format!("{}: {e}", what()))
        }
        // A column holds a value of the wrong type: the data is bad, not
        // the disk.
        E::InvalidColumnType(..)
        | E::FromSqlConversionFailure(..)
        | E::IntegralValueOutOfRange(..)
        | E::Utf8Error(..) => StoreError::Corrupt(format!("{}: {e}", what())),
        _ => StoreError::Io(format!("{}: {e}", what())),
    }
}

pub(crate) fn corrupt(what: impl Display, e: impl Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    // Serializing a `serde_json::Value` or the engine's plain data types
    // cannot fail (string keys only).
    serde_json::to_string(v).expect("plain data serializes to JSON")
}

fn from_json<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    col: usize,
    what: &dyn Fn() -> String,
) -> Result<T> {
    let raw = row
        .get_ref(col)
        .and_then(|v| v.as_str().map_err(Into::into))
        .map_err(|e| db_err(e, what))?;
    serde_json::from_str(raw).map_err(|e| corrupt(what(), e))
}

fn opt_json<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    col: usize,
    what: &dyn Fn() -> String,
) -> Result<Option<T>> {
    let raw = row
        .get_ref(col)
        .and_then(|v| v.as_str_or_null().map_err(Into::into))
        .map_err(|e| db_err(e, what))?;
    raw.map(|s| serde_json::from_str(s).map_err(|e| corrupt(what(), e)))
        .transpose()
}

/// A journal column as stored since schema version 8: the compact form
/// (`weft_engine::state::encode_compact`) with the run id seeded, so the call ids inside
/// (`<run id>-<n>`) cost a few bytes each.
fn to_journal<T: serde::Serialize + ?Sized>(v: &T, run_id: &str) -> Vec<u8> {
    weft_engine::state::encode_compact(v, &[run_id]).expect("plain data serializes")
}

/// A step's entries as [`to_journal`] writes them (the same bytes), without
/// serde's general path.
fn entries_to_journal(entries: &[weft_engine::state::Entry], run_id: &str) -> Vec<u8> {
    weft_engine::state::encode_entries_compact(entries, &[run_id]).expect("plain data serializes")
}

/// Reads a journal column: a BLOB in the compact form, or JSON text as
/// builds before schema version 8 wrote it (those rows stay as they are).
pub(crate) fn from_journal<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    col: usize,
    run_id: &str,
    what: &dyn Fn() -> String,
) -> Result<Option<T>> {
    use rusqlite::types::ValueRef;
    match row.get_ref(col).map_err(|e| db_err(e, what))? {
        ValueRef::Null => Ok(None),
        other => from_stored(other, run_id)
            .map(Some)
            .map_err(|e| corrupt(what(), e)),
    }
}

/// Decodes a value stored in either form: a compact BLOB seeded with the
/// run id, or JSON text as earlier builds wrote it.
fn from_stored<T: serde::de::DeserializeOwned>(
    v: rusqlite::types::ValueRef<'_>,
    run_id: &str,
) -> std::result::Result<T, String> {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Text(t) => serde_json::from_slice(t).map_err(|e| e.to_string()),
        ValueRef::Blob(b) => {
            weft_engine::state::decode_compact(b, &[run_id]).map_err(|e| e.to_string())
        }
        other => Err(format!("the column holds {:?}", other.data_type())),
    }
}

/// The record's `waiting` as stored since schema version 9: the compact
/// form with the run id seeded (the call ids inside are `<run id>-<n>`);
/// since version 13, the empty text when the write says the snapshot
/// gives it ([`WAITING_FROM_STATE`]) and the run waits for something. SQL
/// reads it through [`WAITING_SQL`].
fn to_waiting(rec: &RunRecord, from_state: bool) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    // A run that waits for nothing (every finished run) keeps its empty
    // list (two bytes): a search on `waitingFor` then need not decode the
    // snapshots of the many runs that are done.
    let waits = rec.waiting.as_array().is_some_and(|w| !w.is_empty());
    if from_state && waits {
        Value::Text(WAITING_FROM_STATE.to_string())
    } else {
        Value::Blob(to_journal(&rec.waiting, &rec.id))
    }
}

/// The stored `waiting` that stands for "what the snapshot gives" (schema
/// version 13). No JSON text and no compact value is empty, so it is never
/// a value of its own.
const WAITING_FROM_STATE: &str = "";

/// What a run waits for, from its snapshot, as the host saw it when it
/// stored both (`RunWrite::waiting_from_state`).
fn snapshot_waits(
    state: &[u8],
    run_id: &str,
) -> std::result::Result<Vec<weft_engine::state::Waiting>, String> {
    let state = weft_engine::state::decode_snapshot(state, run_id)
        .map_err(|e| format!("its snapshot does not decode: {e}"))?;
    Ok(state.waiting())
}

/// A run's `waiting` from its snapshot (see [`snapshot_waits`]).
fn waiting_from_snapshot(
    state: &[u8],
    run_id: &str,
) -> std::result::Result<serde_json::Value, String> {
    snapshot_waits(state, run_id).map(|w| weft_store::waiting_json(&w))
}

/// A stored `waiting` (column `waiting`) as JSON; `state` is the snapshot,
/// read only when the column is [`WAITING_FROM_STATE`].
fn read_waiting(
    waiting: rusqlite::types::ValueRef<'_>,
    state: rusqlite::types::ValueRef<'_>,
    run_id: &str,
) -> std::result::Result<serde_json::Value, String> {
    use rusqlite::types::ValueRef;
    match (waiting, state) {
        (ValueRef::Text(t), ValueRef::Blob(b)) if t == WAITING_FROM_STATE.as_bytes() => {
            waiting_from_snapshot(b, run_id)
        }
        (ValueRef::Text(t), _) if t == WAITING_FROM_STATE.as_bytes() => {
            Err("it is to come from the snapshot, and the run has none".into())
        }
        (w, _) => from_stored(w, run_id),
    }
}

/// The SQL function that gives a run's `waiting` as JSON text, whichever
/// form it is stored in: `weft_waiting(waiting, id, state)`. Registered on every
/// connection ([`open_connection`]); searches read `waiting` with SQLite's
/// JSON functions through it.
pub(crate) const WAITING_FN: &str = "weft_waiting";

/// `waiting` as JSON text in SQL (see [`WAITING_FN`]); the snapshot is
/// handed over only when `waiting` is to come from it.
pub(crate) const WAITING_SQL: &str =
    "weft_waiting(waiting, id, CASE WHEN waiting = '' THEN state END)";

/// Registers [`WAITING_FN`] on a connection. A stored value that does not
/// decode is an SQL error naming the run, never a wrong answer.
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        WAITING_FN,
        3,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let id: String = ctx.get(1)?;
            match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(t) if t != WAITING_FROM_STATE.as_bytes() => {
                    Ok(String::from_utf8_lossy(t).into_owned())
                }
                // Straight to text, not through a `Value`: the same JSON
                // (fields in their declared order either way), and a search
                // calls this once per waiting run it looks at.
                rusqlite::types::ValueRef::Text(_) => match ctx.get_raw(2) {
                    rusqlite::types::ValueRef::Blob(b) => snapshot_waits(b, &id)
                        .and_then(|w| serde_json::to_string(&w).map_err(|e| e.to_string())),
                    other => read_waiting(ctx.get_raw(0), other, &id).map(|j| j.to_string()),
                }
                .map_err(|e| {
                    rusqlite::Error::UserFunctionError(
                        format!("run {id}: `waiting` does not decode: {e}").into(),
                    )
                }),
                v => read_waiting(v, ctx.get_raw(2), &id)
                    .map(|j| j.to_string())
                    .map_err(|e| {
                        rusqlite::Error::UserFunctionError(
                            format!("run {id}: `waiting` does not decode: {e}").into(),
                        )
                    }),
            }
        },
    )
}

/// A callback token as `tokens` keys it since schema version 9: the 16
/// bytes a token of 32 lowercase hex digits (the engine makes them so)
/// stands for, and any other token as its text. The mapping is one to one
/// both ways (a BLOB never equals a TEXT in SQLite), and migration 9 maps
/// the rows of earlier builds the same way, so a look-up finds a token
/// whichever build registered it.
fn token_key(token: &str) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    let b = token.as_bytes();
    if b.len() != 2 * TOKEN_BYTES || !b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return Value::Text(token.to_string());
    }
    let nibble = |c: u8| if c <= b'9' { c - b'0' } else { c - b'a' + 10 };
    Value::Blob(
        b.chunks_exact(2)
            .map(|p| nibble(p[0]) << 4 | nibble(p[1]))
            .collect(),
    )
}

/// Bytes of a callback token stored in binary (see [`token_key`]).
const TOKEN_BYTES: usize = 16;

/// The name of a stored status, for the counts per flow and status: a
/// value no status has counts as `unknown` (it was counted so).
fn status_name(v: rusqlite::types::ValueRef<'_>) -> &'static str {
    status::from_stored(v).map_or("unknown", Status::as_str)
}

/// Reads a run record from [`RECORD_COLUMNS`].
fn read_record(row: &Row<'_>) -> Result<RunRecord> {
    let id: String = row.get(0).map_err(|e| db_err(e, || "run id".into()))?;
    let what = || format!("run {id}");
    let get = |e| db_err(e, what);
    let status = row.get_ref(3).map_err(get)?;
    Ok(RunRecord {
        flow: row.get(1).map_err(get)?,
        version: row.get(2).map_err(get)?,
        status: status::from_stored(status).ok_or_else(|| {
            corrupt(
                what(),
                format_args!("unknown status {}", status::describe(status)),
            )
        })?,
        input: from_json(row, 4, &what)?,
        result: opt_json(row, 5, &what)?,
        error: opt_json(row, 6, &what)?,
        waiting: read_waiting(
            row.get_ref(7).map_err(get)?,
            row.get_ref(WAITING_STATE_COLUMN).map_err(get)?,
            &id,
        )
        .map_err(|e| corrupt(what(), format_args!("waiting: {e}")))?,
        parent: row.get(8).map_err(get)?,
        idempotency_key: row.get(9).map_err(get)?,
        position: row.get(10).map_err(get)?,
        created_at: row.get(11).map_err(get)?,
        updated_at: row.get(12).map_err(get)?,
        forked_from: row.get(13).map_err(get)?,
        id,
    })
}

fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What a batch's writes share while they are applied.
struct WriteContext<'a, 'c> {
    /// Changes to the counts per flow and status.
    counts: &'a mut search::Counts,
    /// What the store remembers of runs as they were before the batch.
    known: Option<&'a known::Known>,
    /// The batch's changes to what is remembered.
    staged: &'a mut known::Staged,
    /// The statements nearly every write runs.
    statements: &'a mut statements::StepStatements<'c>,
}

/// Writes one step of one run inside the batch's transaction.
fn apply_write<'c>(
    tx: &'c Transaction<'_>,
    w: &RunWrite,
    ctx: &mut WriteContext<'_, 'c>,
) -> Result<()> {
    apply_run(tx, w, ctx)?;
    machines::apply(tx, &w.machines)?;
    events::apply(tx, &w.events)?;
    events::apply_starts(tx, &w.event_starts)?;
    events::apply_schedules(tx, &w.schedules)
}

/// What a step's write reads of the stored run before it writes (or
/// finds in what the store remembers of it).
struct Before<'k> {
    seq: i64,
    /// Journal steps stored.
    steps: i64,
    /// The stored status is the write's.
    status_same: bool,
    /// The columns fixed at creation (flow, version, input, parent,
    /// idempotency key, creation time) are the write's.
    fixed_same: bool,
    /// The stored status and flow, for the counts.
    status: &'static str,
    flow: std::borrow::Cow<'k, str>,
    /// Found in what the store remembers.
    known: bool,
}

/// The run's part of a write.
fn apply_run<'c>(
    tx: &'c Transaction<'_>,
    w: &RunWrite,
    ctx: &mut WriteContext<'_, 'c>,
) -> Result<()> {
    let counts = &mut *ctx.counts;
    // A write without a record names no run: there is nothing to key its
    // rows by (the memory store skips it the same way).
    let Some(rec) = &w.record else {
        return Ok(());
    };
    let id = rec.id.as_str();
    let what = || match &rec.idempotency_key {
        Some(k) if w.created => format!("commit: new run {id} (idempotency key {k:?})"),
        _ if w.created => format!("commit: new run {id}"),
        _ => format!("commit: run {id}"),
    };
    let input = to_json(&rec.input);
    let result = rec.result.as_ref().map(to_json);
    let error = rec.error.as_ref().map(to_json);
    let waiting = to_waiting(rec, w.waiting_from_state);
    let steps_added = i64::from(!w.journal.is_empty());
    let insert = |tx: &Transaction<'_>| -> Result<i64> {
        tx.prepare_cached(
            "INSERT INTO runs (id, flow, version, status, input, result, error, waiting, parent, \
             idempotency_key, position, created_at, updated_at, journal_steps, state) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                rec.flow,
                rec.version,
                status::code(rec.status),
                input,
                result,
                error,
                waiting,
                rec.parent,
                rec.idempotency_key,
                rec.position,
                rec.created_at,
                rec.updated_at,
                steps_added,
                w.state,
            ])
        })
        .map_err(|e| db_err(e, what))?;
        let seq = tx.last_insert_rowid();
        if let Some(key) = &rec.idempotency_key {
            tx.prepare_cached("INSERT INTO idempotency_keys (key, run_id) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![key, id]))
                .map_err(|e| db_err(e, what))?;
        }
        if let Some(from) = &rec.forked_from {
            tx.prepare_cached("INSERT INTO run_forks (id, forked_from) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![id, from]))
                .map_err(|e| db_err(e, what))?;
        }
        Ok(seq)
    };
    // `moved`: the run's row is what the store remembers, with new journal
    // steps and status.
    let (seq, step, moved) = if w.created {
        let seq = insert(tx)?;
        counts.add(&rec.flow, rec.status.as_str());
        (seq, steps_added, false)
    } else {
        // Most steps change the record's state columns and the snapshot
        // only. Setting an indexed column rewrites its index entries even
        // when the value is the same, so the first statement reads whether
        // status and the columns fixed at creation differ (and the status
        // and flow as they were, for the counts), the second writes the
        // rest, and only when they differ does a third write them: the
        // status alone when only it changed (a run finishing: two indexes
        // rewritten instead of six), else all of them. A running run's row
        // as this store last committed it is usually remembered (see
        // `known`), and then nothing is read.
        // Not one UPDATE ... RETURNING: SQLite gathers a RETURNING clause's
        // rows in an ephemeral table, opened and closed with its own page
        // cache at every execution, which cost more than this point read
        // of a page the UPDATE then finds in the cache (benchmarks.md,
        // "Round 4 (issue 15)").
        // ?2 to ?8 of the statements below: the status, then the columns
        // fixed at creation.
        let status_code = status::code(rec.status);
        let fixed: [&dyn ToSql; 7] = [
            &status_code,
            &rec.flow,
            &rec.version,
            &input,
            &rec.parent,
            &rec.idempotency_key,
            &rec.created_at,
        ];
        let remembered = ctx
            .known
            .filter(|_| !ctx.staged.has(id))
            .and_then(|k| k.get(id));
        let before: Option<Before> = if let Some(k) = remembered {
            Some(Before {
                seq: k.seq,
                steps: k.journal_steps,
                status_same: k.status == rec.status,
                fixed_same: k.fixed_same(rec, &input),
                status: k.status.as_str(),
                flow: std::borrow::Cow::Borrowed(&k.flow),
                known: true,
            })
        } else {
            tx.prepare_cached(
                "SELECT seq, journal_steps, status = ?2, \
                 flow = ?3 AND version = ?4 AND input = ?5 \
                 AND parent IS ?6 AND idempotency_key IS ?7 AND created_at = ?8, \
                 status, flow FROM runs WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row(
                    rusqlite::params_from_iter(std::iter::once(&id as &dyn ToSql).chain(fixed)),
                    |r| {
                        Ok(Before {
                            seq: r.get(0)?,
                            steps: r.get(1)?,
                            status_same: r.get(2)?,
                            fixed_same: r.get(3)?,
                            status: status_name(r.get_ref(4)?),
                            flow: std::borrow::Cow::Owned(r.get(5)?),
                            known: false,
                        })
                    },
                )
                .optional()
            })
            .map_err(|e| db_err(e, what))?
        };
        if let Some(Before { seq, .. }) = &before {
            ctx.statements
                .get(tx, statements::Hot::UpdateRun)
                .and_then(|s| {
                    s.execute(params![
                        seq,
                        result,
                        error,
                        waiting,
                        rec.position,
                        rec.updated_at,
                        steps_added,
                        w.state,
                    ])
                })
                .map_err(|e| db_err(e, what))?;
        }
        match &before {
            Some(Before {
                status_same: true,
                fixed_same: true,
                ..
            })
            | None => {}
            Some(b) => {
                if b.status != rec.status.as_str() || b.flow != rec.flow {
                    counts.remove(&b.flow, b.status);
                    counts.add(&rec.flow, rec.status.as_str());
                }
                let seq = b.seq;
                let written = if b.fixed_same {
                    tx.prepare_cached("UPDATE runs SET status = ?2 WHERE seq = ?1")
                        .and_then(|mut s| s.execute(params![seq, status_code]))
                } else {
                    tx.prepare_cached(
                        "UPDATE runs SET status = ?2, flow = ?3, version = ?4, input = ?5, \
                         parent = ?6, idempotency_key = ?7, created_at = ?8 WHERE seq = ?1",
                    )
                    .and_then(|mut s| {
                        s.execute(rusqlite::params_from_iter(
                            std::iter::once(&seq as &dyn ToSql).chain(fixed),
                        ))
                    })
                };
                written.map_err(|e| db_err(e, what))?;
            }
        }
        match before {
            Some(b) => (b.seq, b.steps + steps_added, b.known && b.fixed_same),
            // Not created by this write, but not stored either: store it
            // (as the memory store does).
            None => {
                let seq = insert(tx)?;
                counts.add(&rec.flow, rec.status.as_str());
                (seq, steps_added, false)
            }
        }
    };
    if ctx.known.is_some() {
        let change = if moved {
            known::Change::Moved {
                journal_steps: step,
                status: rec.status,
            }
        } else {
            known::Change::Row(known::KnownRun::written(rec, &input, seq, step))
        };
        ctx.staged.put(id, change);
    }
    if !w.journal.is_empty() {
        let cause = w.cause.as_ref().map(|c| to_journal(c, id));
        journal::append(
            tx,
            ctx.statements,
            journal::Step {
                seq,
                run_id: id,
                step,
                entries: entries_to_journal(&w.journal, id),
                cause,
            },
        )?;
    }
    let timer_err = |e| db_err(e, || format!("commit: timers of run {id}"));
    if !w.timers_clear.is_empty() {
        let mut s = tx
            .prepare_cached("DELETE FROM timers WHERE run = ?1 AND key = ?2")
            .map_err(timer_err)?;
        for key in &w.timers_clear {
            s.execute(params![seq, key]).map_err(timer_err)?;
        }
    }
    if !w.timers_set.is_empty() {
        let mut s = tx
            .prepare_cached(
                "INSERT INTO timers (run, key, at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (run, key) DO UPDATE SET at = excluded.at",
            )
            .map_err(timer_err)?;
        for (key, at) in &w.timers_set {
            s.execute(params![seq, key, at]).map_err(timer_err)?;
        }
    }
    let task_err = |e| db_err(e, || format!("commit: tasks of run {id}"));
    if !w.tasks_delete.is_empty() {
        let s = ctx
            .statements
            .get(tx, statements::Hot::TaskDelete)
            .map_err(task_err)?;
        for call_id in &w.tasks_delete {
            s.execute([call_id]).map_err(task_err)?;
        }
    }
    if !w.tasks_put.is_empty() {
        let s = ctx
            .statements
            .get(tx, statements::Hot::TaskPut)
            .map_err(task_err)?;
        for t in &w.tasks_put {
            s.execute(params![t.call_id, t.run_id, to_json(t)])
                .map_err(task_err)?;
        }
    }
    let token_err = |e| db_err(e, || format!("commit: tokens of run {id}"));
    // Registered before spent: a token born and used in one step ends up
    // spent.
    if !w.tokens_put.is_empty() {
        let mut s = tx
            .prepare_cached(
                "INSERT OR REPLACE INTO tokens (token, run, call, active) VALUES (?1, ?2, ?3, 1)",
            )
            .map_err(token_err)?;
        for (tok, call) in &w.tokens_put {
            s.execute(params![token_key(tok), seq, call])
                .map_err(token_err)?;
        }
    }
    if !w.tokens_spend.is_empty() {
        let mut s = tx
            .prepare_cached("UPDATE tokens SET active = 0 WHERE token = ?1")
            .map_err(token_err)?;
        for tok in &w.tokens_spend {
            s.execute([token_key(tok)]).map_err(token_err)?;
        }
    }
    Ok(())
}

/// Writes the record columns that parking and unparking change (and the
/// counts, when the status changes).
fn write_record_columns(
    tx: &Transaction<'_>,
    rec: &RunRecord,
    what: &dyn Fn() -> String,
) -> Result<()> {
    let old: Option<(&str, String)> = tx
        .prepare_cached("SELECT status, flow FROM runs WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([&rec.id], |r| Ok((status_name(r.get_ref(0)?), r.get(1)?)))
                .optional()
        })
        .map_err(|e| db_err(e, what))?;
    if let Some((status, flow)) = old.filter(|(s, _)| *s != rec.status.as_str()) {
        let mut counts = search::Counts::default();
        counts.remove(&flow, status);
        counts.add(&flow, rec.status.as_str());
        counts.write(tx)?;
    }
    let n = tx
        .prepare_cached(
            "UPDATE runs SET status = ?2, result = ?3, error = ?4, waiting = ?5, position = ?6, \
             updated_at = ?7 WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                rec.id,
                status::code(rec.status),
                rec.result.as_ref().map(to_json),
                rec.error.as_ref().map(to_json),
                to_waiting(rec, false),
                rec.position,
                rec.updated_at,
            ])
        })
        .map_err(|e| db_err(e, what))?;
    if n == 0 {
        return Err(StoreError::Corrupt(format!("{}: no such run", what())));
    }
    Ok(())
}

impl Store for SqliteStore {
    fn deploy(
        &self,
        files: &[SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> Result<Deployment> {
        let mut conn = self.writer();
        let err = |e| db_err(e, || "deploy".into());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let version: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM deployments",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        tx.execute(
            "INSERT INTO deployments (version, flows, files, program, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![version, to_json(flows), to_json(files), program, at],
        )
        .map_err(err)?;
        {
            let mut s = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO deployment_flows (flow, version) VALUES (?1, ?2)",
                )
                .map_err(err)?;
            for f in flows {
                s.execute(params![f, version]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(Deployment {
            version,
            flows: flows.to_vec(),
            files: files.to_vec(),
            program: program.map(str::to_string),
            created_at: at,
        })
    }

    fn deployment(&self, version: i64) -> Result<Option<Deployment>> {
        let conn = self.reader()?;
        let what = || format!("deployment {version}");
        let mut s = conn
            .prepare_cached(
                "SELECT flows, files, created_at, program FROM deployments WHERE version = ?1",
            )
            .map_err(|e| db_err(e, what))?;
        let mut rows = s.query([version]).map_err(|e| db_err(e, what))?;
        let Some(row) = rows.next().map_err(|e| db_err(e, what))? else {
            return Ok(None);
        };
        Ok(Some(Deployment {
            version,
            flows: from_json(row, 0, &what)?,
            files: from_json(row, 1, &what)?,
            created_at: row.get(2).map_err(|e| db_err(e, what))?,
            program: row.get(3).map_err(|e| db_err(e, what))?,
        }))
    }

    fn set_program(&self, version: i64, program: &str) -> Result<bool> {
        let conn = self.writer();
        let n = conn
            .prepare_cached(
                "UPDATE deployments SET program = ?2 WHERE version = ?1 AND program IS NULL",
            )
            .and_then(|mut s| s.execute(params![version, program]))
            .map_err(|e| db_err(e, || format!("storing the program of version {version}")))?;
        Ok(n == 1)
    }

    fn versions_without_program(&self) -> Result<Vec<i64>> {
        let conn = self.reader()?;
        let err = |e| db_err(e, || "versions without a program".into());
        let mut s = conn
            .prepare_cached(
                "SELECT version FROM deployments WHERE program IS NULL ORDER BY version",
            )
            .map_err(err)?;
        let rows = s.query_map([], |r| r.get(0)).map_err(err)?;
        rows.collect::<std::result::Result<Vec<i64>, _>>()
            .map_err(err)
    }

    fn latest_version(&self, flow: &str) -> Result<Option<i64>> {
        let conn = self.reader()?;
        conn.prepare_cached("SELECT MAX(version) FROM deployment_flows WHERE flow = ?1")
            .and_then(|mut s| s.query_row([flow], |r| r.get(0)))
            .map_err(|e| db_err(e, || format!("latest version of flow {flow}")))
    }

    fn flows(&self) -> Result<Vec<FlowInfo>> {
        let conn = self.reader()?;
        let err = |e| db_err(e, || "flows".into());
        let mut s = conn
            .prepare_cached("SELECT flow, version FROM deployment_flows ORDER BY flow, version")
            .map_err(err)?;
        let mut rows = s.query([]).map_err(err)?;
        let mut out: Vec<FlowInfo> = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let name: String = row.get(0).map_err(err)?;
            let version: i64 = row.get(1).map_err(err)?;
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
        if batch.is_empty() {
            return Ok(());
        }
        let mut conn = self.writer();
        let mut known = self.known();
        if let Some(k) = known.as_deref_mut() {
            k.begin();
        }
        let mut staged = match known {
            Some(_) => known::Staged::with_capacity(batch.writes.len()),
            None => known::Staged::default(),
        };
        let result = (|| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| db_err(e, || "commit: begin".into()))?;
            let mut counts = search::Counts::default();
            let mut statements = statements::StepStatements::default();
            let mut ctx = WriteContext {
                counts: &mut counts,
                known: known.as_deref(),
                staged: &mut staged,
                statements: &mut statements,
            };
            for w in &batch.writes {
                // On error `tx` drops and rolls the whole batch back.
                apply_write(&tx, w, &mut ctx)?;
            }
            drop(statements);
            counts.write(&tx)?;
            // Returns once the log is fsynced (synchronous=FULL).
            tx.commit().map_err(|e| {
                db_err(e, || {
                    format!("commit: a batch of {} writes", batch.writes.len())
                })
            })
        })();
        if let Some(k) = known.as_deref_mut() {
            match &result {
                Ok(()) => k.keep(staged),
                Err(_) => k.forget_all(),
            }
        }
        result
    }

    fn load_run(&self, id: &str) -> Result<Option<StoredRun>> {
        let conn = self.reader()?;
        let what = || format!("load run {id}");
        let mut s = conn
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS}, state FROM {RECORD_FROM} WHERE id = ?1"
            ))
            .map_err(|e| db_err(e, what))?;
        let mut rows = s.query([id]).map_err(|e| db_err(e, what))?;
        let Some(row) = rows.next().map_err(|e| db_err(e, what))? else {
            return Ok(None);
        };
        let record = read_record(row)?;
        let state = row
            .get_ref(RECORD_COLUMNS_LEN)
            .and_then(|v| v.as_bytes().map_err(Into::into))
            .map_err(|e| db_err(e, what))?
            .to_vec();
        Ok(Some(StoredRun { record, state }))
    }

    fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        let conn = self.reader()?;
        let what = || format!("run {id}");
        let mut s = conn
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM {RECORD_FROM} WHERE id = ?1"
            ))
            .map_err(|e| db_err(e, what))?;
        let mut rows = s.query([id]).map_err(|e| db_err(e, what))?;
        match rows.next().map_err(|e| db_err(e, what))? {
            Some(row) => read_record(row).map(Some),
            None => Ok(None),
        }
    }

    fn list_runs(&self, q: &RunQuery) -> Result<RunPage> {
        search::list_runs(&*self.reader()?, q)
    }

    fn count_by_status(&self) -> Result<Vec<(Status, u64)>> {
        let mut counts: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for c in self.run_counts()? {
            if let Some(x) = counts.iter_mut().find(|(s, _)| *s == c.status) {
                x.1 += c.runs;
            }
        }
        Ok(counts)
    }

    fn run_counts(&self) -> Result<Vec<RunCount>> {
        search::run_counts(&*self.reader()?)
    }

    fn journal(&self, run_id: &str) -> Result<Vec<JournalStep>> {
        journal::read(&*self.reader()?, run_id, 1, usize::MAX)
    }

    fn journal_page(
        &self,
        run_id: &str,
        from_step: i64,
        steps_max: usize,
    ) -> Result<Vec<JournalStep>> {
        journal::read(&*self.reader()?, run_id, from_step, steps_max)
    }

    fn run_by_key(&self, key: &str) -> Result<Option<String>> {
        let conn = self.reader()?;
        conn.prepare_cached("SELECT run_id FROM idempotency_keys WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| db_err(e, || format!("run by idempotency key {key:?}")))
    }

    fn due_timers(&self, until: i64, limit: usize) -> Result<Vec<TimerRow>> {
        let conn = self.reader()?;
        let err = |e| db_err(e, || "due timers".into());
        let mut s = conn
            .prepare_cached(
                "SELECT r.id, t.key, t.at FROM timers t JOIN runs r ON r.seq = t.run \
                 WHERE t.at <= ?1 ORDER BY t.at, r.id, t.key LIMIT ?2",
            )
            .map_err(err)?;
        let rows = s
            .query_map(params![until, limit_param(limit)], |r| {
                Ok(TimerRow {
                    run_id: r.get(0)?,
                    key: r.get(1)?,
                    at: r.get(2)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)
    }

    fn next_timer(&self) -> Result<Option<i64>> {
        let conn = self.reader()?;
        conn.prepare_cached("SELECT MIN(at) FROM timers")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| db_err(e, || "next timer".into()))
    }

    fn tasks(&self, after: Option<&str>, limit: usize) -> Result<Vec<Task>> {
        let conn = self.reader()?;
        let err = |e| db_err(e, || "tasks".into());
        let limit = limit_param(limit);
        let mut s = match after {
            Some(_) => conn.prepare_cached(
                "SELECT call_id, task FROM tasks WHERE call_id > ?1 ORDER BY call_id LIMIT ?2",
            ),
            None => {
                conn.prepare_cached("SELECT call_id, task FROM tasks ORDER BY call_id LIMIT ?1")
            }
        }
        .map_err(err)?;
        let mut rows = match after {
            Some(a) => s.query(params![a, limit]),
            None => s.query(params![limit]),
        }
        .map_err(err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let call_id: String = row.get(0).map_err(err)?;
            out.push(from_json(row, 1, &|| format!("task {call_id}"))?);
        }
        Ok(out)
    }

    fn park_run(&self, record: &RunRecord, reason: &serde_json::Value, at: i64) -> Result<()> {
        let id = record.id.as_str();
        let what = || format!("parking run {id}");
        let mut conn = self.writer();
        self.forget_run(id);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(e, what))?;
        write_record_columns(&tx, record, &what)?;
        tx.prepare_cached(
            "INSERT INTO parked_runs (run_id, reason, parked_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (run_id) DO UPDATE SET reason = excluded.reason, \
             parked_at = excluded.parked_at",
        )
        .and_then(|mut s| s.execute(params![id, to_json(reason), at]))
        .map_err(|e| db_err(e, what))?;
        for sql in [
            "INSERT OR REPLACE INTO parked_timers (run_id, key, at) \
             SELECT ?1, key, at FROM timers WHERE run = (SELECT seq FROM runs WHERE id = ?1)",
            "DELETE FROM timers WHERE run = (SELECT seq FROM runs WHERE id = ?1)",
            // `tasks` has no index on run_id; parking is rare and the
            // table holds outstanding tasks only.
            "INSERT OR REPLACE INTO parked_tasks (run_id, call_id, task) \
             SELECT run_id, call_id, task FROM tasks WHERE run_id = ?1",
            "DELETE FROM tasks WHERE run_id = ?1",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .map_err(|e| db_err(e, what))?;
        }
        tx.commit().map_err(|e| db_err(e, what))
    }

    fn unpark_run(&self, record: &RunRecord) -> Result<bool> {
        let id = record.id.as_str();
        let what = || format!("unparking run {id}");
        let mut conn = self.writer();
        self.forget_run(id);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(e, what))?;
        let n = tx
            .prepare_cached("DELETE FROM parked_runs WHERE run_id = ?1")
            .and_then(|mut s| s.execute([id]))
            .map_err(|e| db_err(e, what))?;
        if n == 0 {
            return Ok(false);
        }
        for sql in [
            "INSERT OR REPLACE INTO timers (run, key, at) \
             SELECT (SELECT seq FROM runs WHERE id = ?1), key, at \
             FROM parked_timers WHERE run_id = ?1",
            "DELETE FROM parked_timers WHERE run_id = ?1",
            "INSERT OR REPLACE INTO tasks (call_id, run_id, task) \
             SELECT call_id, run_id, task FROM parked_tasks WHERE run_id = ?1",
            "DELETE FROM parked_tasks WHERE run_id = ?1",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .map_err(|e| db_err(e, what))?;
        }
        write_record_columns(&tx, record, &what)?;
        tx.commit().map_err(|e| db_err(e, what))?;
        Ok(true)
    }

    fn cancel_parked_run(
        &self,
        record: &RunRecord,
        journal: &[weft_engine::state::Entry],
    ) -> Result<bool> {
        let id = record.id.as_str();
        let what = || format!("cancelling parked run {id}");
        let mut conn = self.writer();
        self.forget_run(id);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(e, what))?;
        let n = tx
            .prepare_cached("DELETE FROM parked_runs WHERE run_id = ?1")
            .and_then(|mut s| s.execute([id]))
            .map_err(|e| db_err(e, what))?;
        if n == 0 {
            return Ok(false);
        }
        for sql in [
            "DELETE FROM parked_timers WHERE run_id = ?1",
            "DELETE FROM parked_tasks WHERE run_id = ?1",
            // `tokens` has no index on run_id; cancelling a parked run is
            // rare.
            "UPDATE tokens SET active = 0 WHERE run = (SELECT seq FROM runs WHERE id = ?1)",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .map_err(|e| db_err(e, what))?;
        }
        write_record_columns(&tx, record, &what)?;
        if !journal.is_empty() {
            let (seq, step): (i64, i64) = tx
                .prepare_cached(
                    "UPDATE runs SET journal_steps = journal_steps + 1 WHERE id = ?1 \
                     RETURNING seq, journal_steps",
                )
                .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))))
                .map_err(|e| db_err(e, what))?;
            journal::append(
                &tx,
                &mut statements::StepStatements::default(),
                journal::Step {
                    seq,
                    run_id: id,
                    step,
                    entries: entries_to_journal(journal, id),
                    cause: None,
                },
            )?;
        }
        tx.commit().map_err(|e| db_err(e, what))?;
        Ok(true)
    }

    fn parked_runs(&self) -> Result<Vec<ParkedRun>> {
        let conn = self.reader()?;
        let what = || "parked runs".to_string();
        let mut s = conn
            .prepare_cached("SELECT run_id, reason, parked_at FROM parked_runs ORDER BY run_id")
            .map_err(|e| db_err(e, what))?;
        let mut rows = s.query([]).map_err(|e| db_err(e, what))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| db_err(e, what))? {
            out.push(ParkedRun {
                run_id: row.get(0).map_err(|e| db_err(e, what))?,
                reason: from_json(row, 1, &what)?,
                parked_at: row.get(2).map_err(|e| db_err(e, what))?,
            });
        }
        Ok(out)
    }

    fn token(&self, token: &str) -> Result<Option<TokenRow>> {
        let conn = self.reader()?;
        conn.prepare_cached(
            "SELECT r.id, t.call, t.active FROM tokens t JOIN runs r ON r.seq = t.run \
             WHERE t.token = ?1",
        )
        .and_then(|mut s| {
            s.query_row([token_key(token)], |r| {
                Ok(TokenRow {
                    run_id: r.get(0)?,
                    call: r.get(1)?,
                    active: r.get(2)?,
                })
            })
            .optional()
        })
        .map_err(|e| db_err(e, || "callback token".into()))
    }

    fn source_cursor(&self, source: &str) -> Result<Option<String>> {
        let conn = self.reader()?;
        conn.prepare_cached("SELECT cursor FROM source_cursors WHERE source = ?1")
            .and_then(|mut s| s.query_row([source], |r| r.get(0)).optional())
            .map_err(|e| db_err(e, || format!("the cursor of source {source:?}")))
    }

    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        at: i64,
    ) -> Result<bool> {
        let conn = self.writer();
        let changed = match from {
            None => conn.execute(
                "INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (source) DO NOTHING",
                rusqlite::params![source, to, at],
            ),
            Some(from) => conn.execute(
                "UPDATE source_cursors SET cursor = ?2, updated_at = ?3 \
                 WHERE source = ?1 AND cursor = ?4",
                rusqlite::params![source, to, at, from],
            ),
        }
        .map_err(|e| db_err(e, || format!("advancing the cursor of source {source:?}")))?;
        Ok(changed == 1)
    }

    fn audit_begin(&self, entry: &NewAudit) -> Result<i64> {
        search::audit_begin(&self.writer(), entry)
    }

    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> Result<()> {
        search::audit_progress(&mut self.writer(), id, applied, failed, done)
    }

    fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        search::audit(&*self.reader()?, q)
    }

    fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        search::audit_entry(&*self.reader()?, id)
    }

    fn instance(&self, machine: &str, key: &str) -> Result<Option<InstanceRow>> {
        machines::instance(&*self.reader()?, machine, key)
    }

    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<CommandRecord>> {
        machines::commands(&*self.reader()?, machine, key, from_seq, limit)
    }

    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<CommandRecord>> {
        machines::command_by_id(&*self.reader()?, machine, key, command_id)
    }

    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Instance>> {
        machines::instance_candidates(&*self.reader()?, machine, probe, after, limit)
    }

    fn instances_with_open_commands(&self, limit: usize) -> Result<Vec<(String, String)>> {
        machines::instances_with_open_commands(&*self.reader()?, limit)
    }

    fn machine_events(&self, after: i64, limit: usize) -> Result<Vec<StoredMachineEvent>> {
        machines::events(&*self.reader()?, after, limit)
    }

    fn taken_event_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        events::taken(&*self.reader()?, ids)
    }

    fn events(&self, before: Option<i64>, limit: usize) -> Result<Vec<weft_store::StoredEvent>> {
        events::list(&*self.reader()?, before, limit)
    }

    fn event_starts(
        &self,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<weft_store::StoredEvent>> {
        events::list_without_data(&*self.reader()?, before, limit)
    }

    fn event(&self, id: &str) -> Result<Option<weft_store::StoredEvent>> {
        events::by_id(&*self.reader()?, id)
    }

    fn schedules(&self) -> Result<Vec<weft_store::ScheduleRow>> {
        events::schedules(&*self.reader()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQL's `waiting` of a run whose list comes from its snapshot is the
    /// text of the record's `waiting`, byte for byte (searches match text).
    #[test]
    fn waiting_in_sql_is_the_records_text() {
        let json = include_str!("../../weft-engine/tests/data/snapshot-park-full.json");
        let id = "01M97217R2RDR9EQ29FEKSHASZ";
        let state = weft_engine::state::decode_snapshot(json.as_bytes(), id).unwrap();
        let waiting = weft_store::waiting_json(&state.waiting());
        assert!(!waiting.as_array().unwrap().is_empty());
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let mut rec = weft_store::conformance::record(id, "park", Status::Waiting);
        rec.waiting = waiting.clone();
        store
            .commit(&Batch {
                writes: vec![RunWrite {
                    record: Some(rec.into()),
                    state: weft_engine::state::encode_snapshot(&state, id),
                    waiting_from_state: true,
                    created: true,
                    ..RunWrite::default()
                }],
            })
            .unwrap();
        let conn = open_connection(store.path(), READER_CACHE_KIB).unwrap();
        let (stored, text): (String, String) = conn
            .query_row(
                &format!("SELECT waiting, {WAITING_SQL} FROM runs"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored, WAITING_FROM_STATE);
        assert_eq!(text, waiting.to_string());
    }

    /// The record's columns are as many as the readers index them by.
    #[test]
    fn the_record_columns_end_where_their_readers_think() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let conn = open_connection(store.path(), READER_CACHE_KIB).unwrap();
        let s = conn
            .prepare(&format!("SELECT {RECORD_COLUMNS} FROM {RECORD_FROM}"))
            .unwrap();
        assert_eq!(s.column_count(), RECORD_COLUMNS_LEN);
        assert_eq!(s.column_name(3).unwrap(), "status");
        assert_eq!(s.column_name(7).unwrap(), "waiting");
    }

    /// A cached statement whose bound value changes is not parsed and
    /// planned again (see the stability guarantee in `open_connection`).
    #[test]
    fn cached_statements_are_not_prepared_again_when_rebound() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let conn = open_connection(store.path(), READER_CACHE_KIB).unwrap();
        for q in [
            "SELECT MAX(version) FROM deployment_flows WHERE flow = ?1",
            "SELECT id FROM runs LEFT JOIN run_forks USING (id) WHERE id = ?1",
        ] {
            for flow in ["a", "b", "c"] {
                let mut s = conn.prepare_cached(q).unwrap();
                let _: Option<rusqlite::types::Value> =
                    s.query_row([flow], |r| r.get(0)).optional().unwrap();
                assert_eq!(
                    s.get_status(rusqlite::StatementStatus::RePrepare),
                    0,
                    "{q} with {flow:?}"
                );
            }
        }
    }
}

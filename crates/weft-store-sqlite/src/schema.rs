//! The schema, as a list of migrations applied in order at open.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A
//! migration is never edited once released: a change is a new entry at the
//! end of [`MIGRATIONS`].

use rusqlite::{Connection, TransactionBehavior};
use weft_store::{Result, StoreError};

use crate::db_err;

/// Every migration, oldest first; entry `i` takes the schema from version
/// `i` to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3,
    V4_MACHINES,
    V5_OPERATING,
    V6_EVENTS,
    V7_SOURCES,
    V8_COMPACT_JOURNAL,
    V9_COMPACT_WAITING,
    V10_RUN_SEQ,
    V11_CREATED_INDEX,
    V12_JOURNAL_KEY,
    V13_WAITING_FROM_STATE,
    V14_STATUS_CODE,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1. JSON is stored as TEXT (readable with SQLite's JSON
/// functions), snapshots as BLOB. Tables whose rows are small and always
/// reached by their key are `WITHOUT ROWID`: one b-tree instead of a table
/// plus an index.
const V1: &str = "
-- Program versions. `flows` and `files` are JSON arrays.
CREATE TABLE deployments (
    version    INTEGER PRIMARY KEY,
    flows      TEXT NOT NULL,
    files      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Which versions define a flow: `latest_version` and `flows` read this.
CREATE TABLE deployment_flows (
    flow    TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (flow, version)
) WITHOUT ROWID;

-- One row per run: the record people see, then the engine's snapshot. The
-- snapshot is the last column so that reading a record (lists, counts)
-- never reads the snapshot's overflow pages. `journal_steps` counts the
-- run's journal rows, so appending one needs no look-up.
CREATE TABLE runs (
    id              TEXT NOT NULL PRIMARY KEY,
    flow            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    input           TEXT NOT NULL,
    result          TEXT,
    error           TEXT,
    waiting         TEXT NOT NULL,
    parent          TEXT,
    idempotency_key TEXT,
    position        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    journal_steps   INTEGER NOT NULL DEFAULT 0,
    state           BLOB NOT NULL
);
-- Lists filter by one of these and page newest first (by id).
CREATE INDEX runs_by_status ON runs (status, id);
CREATE INDEX runs_by_flow ON runs (flow, id);
CREATE INDEX runs_by_parent ON runs (parent, id) WHERE parent IS NOT NULL;

-- Idempotency keys, bound to a run when it is created and never released
-- (a later record of the run cannot move or drop its key). A taken key
-- makes the insert fail: the batch is a conflict.
CREATE TABLE idempotency_keys (
    key    TEXT NOT NULL PRIMARY KEY,
    run_id TEXT NOT NULL
) WITHOUT ROWID;

-- One row per journal step; `entries` is a JSON array. A rowid table:
-- new rows append at the end of the table (entries can be large), and the
-- primary key's index finds a run's steps in order.
CREATE TABLE journal (
    run_id  TEXT NOT NULL,
    step    INTEGER NOT NULL,
    entries TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
);

-- Armed timers; the index serves `due_timers` and `next_timer`.
CREATE TABLE timers (
    run_id TEXT NOT NULL,
    key    TEXT NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX timers_by_at ON timers (at, run_id, key);

-- Outstanding activity tasks, by call id; `task` is the task as JSON.
CREATE TABLE tasks (
    call_id TEXT NOT NULL PRIMARY KEY,
    run_id  TEXT NOT NULL,
    task    TEXT NOT NULL
) WITHOUT ROWID;

-- Callback tokens; spent tokens stay with active = 0.
CREATE TABLE tokens (
    token  TEXT NOT NULL PRIMARY KEY,
    run_id TEXT NOT NULL,
    call   INTEGER NOT NULL,
    active INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Version 2: stored programs, and runs parked because a build could not
/// read them (see `weft_store::Store::park_run`).
///
/// Deployments of version 1 keep `program` NULL: the host compiles their
/// source under edition 1 and stores it (`set_program`) when it starts.
/// A parked run's timers and tasks move to tables of their own, so the
/// queries for due timers and outstanding tasks stay as they are.
const V2: &str = "
-- The compiled program (the engine's stored-program envelope, JSON).
ALTER TABLE deployments ADD COLUMN program TEXT;

-- Runs a build could not read, with why (JSON `{code, message, ...}`).
CREATE TABLE parked_runs (
    run_id    TEXT NOT NULL PRIMARY KEY,
    reason    TEXT NOT NULL,
    parked_at INTEGER NOT NULL
) WITHOUT ROWID;

-- What was set aside: rows as in `timers` and `tasks`.
CREATE TABLE parked_timers (
    run_id TEXT NOT NULL,
    key    TEXT NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE TABLE parked_tasks (
    run_id  TEXT NOT NULL,
    call_id TEXT NOT NULL,
    task    TEXT NOT NULL,
    PRIMARY KEY (run_id, call_id)
) WITHOUT ROWID;
";

/// Version 3: the store's identity. A random id, made when the schema
/// reaches version 3 and also written to `weft.id` beside the database
/// (see [`crate::ID_FILE`]), so that a database file that was replaced,
/// reset or truncated is noticed at open instead of being served as an
/// empty store.
const V3: &str = "
CREATE TABLE store_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
";

/// Version 5: what operators need at scale (docs/operating.md, "Finding
/// and repairing runs at scale").
///
/// - `run_counts`: runs per flow and status, changed in the transaction of
///   every write that creates a run or changes its status (filled here from
///   the runs already stored), so counts cost the same at any size.
/// - Indexes for lists: by creation time, the top-level runs (a partial
///   index: sub-flows are left out), and by flow and status together. The
///   update time is not indexed: every step changes it, and an index on it
///   would be rewritten at every step.
/// - `run_forks`: the run a fork was made from. A table of its own rather
///   than a column of `runs`: a new column goes after the snapshot, and
///   reading it would read the snapshot's overflow pages for every record.
/// - `journal.cause`: what caused each step (the engine's `Cause`), so a
///   run can be replayed step by step; NULL for the steps stored before.
/// - `audit` and `audit_runs`: operators' actions and the runs they
///   touched.
const V5_OPERATING: &str = "
CREATE TABLE run_counts (
    flow   TEXT NOT NULL,
    status TEXT NOT NULL,
    runs   INTEGER NOT NULL,
    PRIMARY KEY (flow, status)
) WITHOUT ROWID;
INSERT INTO run_counts (flow, status, runs)
    SELECT flow, status, COUNT(*) FROM runs GROUP BY flow, status;

CREATE INDEX runs_by_created ON runs (created_at, id);
CREATE INDEX runs_top_level ON runs (id) WHERE parent IS NULL;
CREATE INDEX runs_by_flow_status ON runs (flow, status, id);

CREATE TABLE run_forks (
    id          TEXT NOT NULL PRIMARY KEY,
    forked_from TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX run_forks_by_origin ON run_forks (forked_from);

ALTER TABLE journal ADD COLUMN cause TEXT;

-- One row per action; `detail` is JSON (the query, the value, ...).
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    matched INTEGER NOT NULL,
    applied INTEGER NOT NULL DEFAULT 0,
    failed  INTEGER NOT NULL DEFAULT 0,
    done_at INTEGER
);
-- The runs an action applied to (`failure` NULL) or not (why), in order.
CREATE TABLE audit_runs (
    audit_id INTEGER NOT NULL,
    run_id   TEXT NOT NULL,
    failure  TEXT
);
CREATE INDEX audit_runs_by_audit ON audit_runs (audit_id);
CREATE INDEX audit_runs_by_run ON audit_runs (run_id, audit_id);
";

/// Version 6: events and schedules that start flows (`weft_store::events`,
/// `weft_store::schedules`, issue 12).
/// The id is the primary key: an id is taken once, and a second insert is
/// a conflict that rolls back the batch carrying it. `seq` numbers events
/// in commit order for lists (newest first). `starts` is JSON: the runs
/// each matching trigger started, or why not. Schedules are few and read
/// whole, so a row is JSON beside its name and revision.
const V6_EVENTS: &str = "
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    subject     TEXT,
    data        TEXT NOT NULL,
    source      TEXT,
    received_at INTEGER NOT NULL,
    starts      TEXT NOT NULL
);

-- A schedule's row as JSON; `revision` counts its writes (each names the
-- revision it was made from: a moved row is a conflict).
CREATE TABLE schedules (
    name     TEXT NOT NULL PRIMARY KEY,
    revision INTEGER NOT NULL,
    row      TEXT NOT NULL
) WITHOUT ROWID;
";

/// Version 7: pull sources' cursors (`weft-sources`), one row per source,
/// advanced by compare-and-set.
const V7_SOURCES: &str = "
CREATE TABLE source_cursors (
    source     TEXT NOT NULL PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Version 8: the journal as one b-tree. Its rows are reached by `(run_id,
/// step)` only, so a `WITHOUT ROWID` table keyed by them drops the separate
/// index a rowid table keeps for its primary key (the run id a second time
/// per row, 124 bytes per waiting run of docs/benchmarks.md's flow).
/// `entries` and `cause` lose their `TEXT` type: rows written from this
/// version on hold `weft_engine::compact` BLOBs, the rows copied here keep
/// their JSON text, and readers take either (see `from_journal`).
///
/// The copy rewrites the whole journal once, when a store first opens
/// under this version.
const V8_COMPACT_JOURNAL: &str = "
CREATE TABLE journal_v8 (
    run_id  TEXT NOT NULL,
    step    INTEGER NOT NULL,
    entries NOT NULL,
    cause,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
INSERT INTO journal_v8 (run_id, step, entries, cause)
    SELECT run_id, step, entries, cause FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v8 RENAME TO journal;
";

/// Version 9: `waiting` in the compact form, engine tokens as 16 bytes,
/// and the journal back in a rowid table.
///
/// `waiting`: rows written from this version on hold a
/// `weft_engine::compact` BLOB with the run id seeded (a waiting run's 183
/// bytes of JSON become about 70); older rows keep their JSON text, and
/// readers take either (`read_record`; SQL reads it through
/// `weft_waiting(waiting, id)`, which gives JSON text for both). The
/// column's `TEXT` affinity stores a BLOB as it is, so the table is not
/// copied.
///
/// Callback tokens the engine made (32 lowercase hex digits) are keyed by
/// their 16 bytes (16 bytes less per waiting run); other tokens stay text.
///
/// The journal goes back to a rowid table keyed by `(run_id, step)`.
/// Version 8 made it `WITHOUT ROWID`, which saves its key index on small
/// rows, but such a table keeps at most about 1,000 bytes of a row on its
/// b-tree page (4 KiB pages) where a rowid table keeps 4,061: a step
/// whose entries take 1–3 KB (an activity's HTTP answer) then spills into
/// an overflow page of its own. Measured with 5,000 rows of 1,500 bytes:
/// 4,686 bytes per row `WITHOUT ROWID`, 2,096 with the rowid and its key
/// index; 278 against 284 at 200 bytes (docs/benchmarks.md, round 4).
/// The copy rewrites the journal and the tokens once, in the migration's
/// transaction: 141 s for 10,000,000 waiting runs (30,000,000 journal rows)
/// on the 2-core test machine.
const V9_COMPACT_WAITING: &str = "
CREATE TABLE journal_v9 (
    run_id  TEXT NOT NULL,
    step    INTEGER NOT NULL,
    entries NOT NULL,
    cause,
    PRIMARY KEY (run_id, step)
);
INSERT INTO journal_v9 (run_id, step, entries, cause)
    SELECT run_id, step, entries, cause FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v9 RENAME TO journal;

-- Tokens of 32 lowercase hex digits as their 16 bytes (`token_key`):
-- only where the bytes give the same text back. Copied into a new table
-- rather than updated in place: an UPDATE of the key collects every row it
-- changes in a temporary b-tree first (1.3 GB of memory for 10,000,000
-- tokens, with `temp_store = MEMORY`).
CREATE TABLE tokens_v9 (
    token  TEXT NOT NULL PRIMARY KEY,
    run_id TEXT NOT NULL,
    call   INTEGER NOT NULL,
    active INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tokens_v9 (token, run_id, call, active)
    SELECT CASE WHEN length(token) = 32 AND lower(hex(unhex(token))) = token
                THEN unhex(token) ELSE token END,
           run_id, call, active
    FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v9 RENAME TO tokens;
";

/// Version 10: runs numbered, and the journal, timers and tokens keyed by
/// that number.
///
/// `runs.seq` is an `INTEGER PRIMARY KEY` (the rowid, which a plain rowid
/// could not be: `VACUUM` may renumber rowids that no column names). The
/// journal is keyed by `(run, step)`, `run` being that number, instead of
/// the run id's 26 characters: its key index holds two small integers per
/// row, and its rows no longer hold the id (about 200 bytes less per
/// waiting run of docs/benchmarks.md's flow, a third of the journal's
/// share); timers and tokens hold the number too (about 70 bytes less).
/// Parked timers keep the run id: they are few. Runs are never deleted; a change that deletes them deletes
/// their journal rows in the same transaction, as a number is given again
/// once its run is gone (no `AUTOINCREMENT`: it writes a counter at every
/// insert).
///
/// The copy rewrites `runs` (same columns, same order, so the snapshot
/// stays last), rebuilds its indexes, and rewrites the journal in
/// `(run, step)` order (`CROSS JOIN` keeps the runs outside, so the order
/// needs no sort), so that both the new table and its index are written
/// in key order.
const V10_RUN_SEQ: &str = "
CREATE TABLE runs_v10 (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    flow            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    input           TEXT NOT NULL,
    result          TEXT,
    error           TEXT,
    waiting         TEXT NOT NULL,
    parent          TEXT,
    idempotency_key TEXT,
    position        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    journal_steps   INTEGER NOT NULL DEFAULT 0,
    state           BLOB NOT NULL
);
INSERT INTO runs_v10 (seq, id, flow, version, status, input, result, error, waiting, parent,
                      idempotency_key, position, created_at, updated_at, journal_steps, state)
    SELECT rowid, id, flow, version, status, input, result, error, waiting, parent,
           idempotency_key, position, created_at, updated_at, journal_steps, state
    FROM runs ORDER BY rowid;

CREATE TABLE journal_v10 (
    run     INTEGER NOT NULL,
    step    INTEGER NOT NULL,
    entries NOT NULL,
    cause,
    PRIMARY KEY (run, step)
);
INSERT INTO journal_v10 (run, step, entries, cause)
    SELECT r.seq, j.step, j.entries, j.cause
    FROM runs_v10 r CROSS JOIN journal j ON j.run_id = r.id
    ORDER BY r.seq, j.step;
DROP TABLE journal;
ALTER TABLE journal_v10 RENAME TO journal;

DROP TABLE runs;
ALTER TABLE runs_v10 RENAME TO runs;
CREATE INDEX runs_by_status ON runs (status, id);
CREATE INDEX runs_by_flow ON runs (flow, id);
CREATE INDEX runs_by_parent ON runs (parent, id) WHERE parent IS NOT NULL;
CREATE INDEX runs_by_created ON runs (created_at, id);
CREATE INDEX runs_top_level ON runs (id) WHERE parent IS NULL;
CREATE INDEX runs_by_flow_status ON runs (flow, status, id);

CREATE TABLE timers_v10 (
    run INTEGER NOT NULL,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL,
    PRIMARY KEY (run, key)
) WITHOUT ROWID;
INSERT INTO timers_v10 (run, key, at)
    SELECT r.seq, t.key, t.at FROM timers t JOIN runs r ON r.id = t.run_id;
DROP TABLE timers;
ALTER TABLE timers_v10 RENAME TO timers;
CREATE INDEX timers_by_at ON timers (at, run, key);

CREATE TABLE tokens_v10 (
    token  TEXT NOT NULL PRIMARY KEY,
    run    INTEGER NOT NULL,
    call   INTEGER NOT NULL,
    active INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tokens_v10 (token, run, call, active)
    SELECT t.token, r.seq, t.call, t.active FROM tokens t JOIN runs r ON r.id = t.run_id;
DROP TABLE tokens;
ALTER TABLE tokens_v10 RENAME TO tokens;
";

/// Version 11: `runs_by_created` holds the creation time alone (its
/// entries end with the run's number, as every index of a rowid table's
/// do), not the 26-character id after it: 27 bytes less per run. Lists
/// are ordered by id, so a list that filters on the creation time sorts
/// what the index finds either way (the plan is the same:
/// docs/benchmarks.md, round 5); the id in it served no order.
const V11_CREATED_INDEX: &str = "
DROP INDEX runs_by_created;
CREATE INDEX runs_by_created ON runs (created_at);
";

/// Version 12: the journal keyed by one integer, `key = run * 16384 +
/// step % 16384` (`crate::journal::JOURNAL_KEY_SPAN`), so its rows need no
/// index of their own: a run's steps are one range of keys (two when the
/// steps wrap around), and the steps a run keeps
/// (`weft_store::JOURNAL_STEPS_PER_RUN_MAX`, fewer than 16,384) never
/// share a key. About 45 bytes less per waiting run of docs/benchmarks.md's
/// flow (the `(run, step)` index) and one b-tree fewer to write per step.
/// Copied in `(run, step)` order, newest last, so that if a run held more
/// steps than a key range (no build kept that many) its newest win.
const V12_JOURNAL_KEY: &str = "
CREATE TABLE journal_v12 (
    key     INTEGER PRIMARY KEY,
    step    INTEGER NOT NULL,
    entries NOT NULL,
    cause
);
INSERT OR REPLACE INTO journal_v12 (key, step, entries, cause)
    SELECT run * 16384 + step % 16384, step, entries, cause FROM journal ORDER BY run, step;
DROP TABLE journal;
ALTER TABLE journal_v12 RENAME TO journal;
";

/// Version 13: a run's `waiting` may be stored as the empty text, which
/// means "what the snapshot gives": the host writes the record's `waiting`
/// from the state it stores with it (`RunWrite::waiting_from_state`), so
/// the column need not hold it again. Readers derive it from the snapshot
/// (`read_record`, and `weft_waiting(waiting, id, state)` in SQL): about 60
/// bytes less per waiting run of docs/benchmarks.md's flow, and no
/// encoding of `waiting` per step. The empty text is no JSON and no compact
/// form, so it cannot be mistaken for a value; rows written before keep
/// theirs. Nothing is copied: the version number alone makes builds before
/// it refuse a store whose rows they could not read. From here on, a new
/// snapshot form needs a new schema version too (the reader of `waiting`
/// must decode the snapshot): `weft_engine::compact::FORMAT_SEEDED` says so.
const V13_WAITING_FROM_STATE: &str = "";

/// Version 14: a run's status as a small integer (`crate::status`: waiting
/// 0, completed 1, running 2, failed 3, cancelled 4), in the row and in
/// `runs_by_status` and `runs_by_flow_status`: about 20 bytes less per run.
/// The column is declared `INTEGER` (a `TEXT` column would turn the codes
/// into text), so the table is copied, as in version 10: same columns in
/// the same order, the run numbers kept, the indexes built again. A status
/// no build wrote stays as it was (the reader names it as corrupt, as
/// before); `run_counts` keeps the names.
const V14_STATUS_CODE: &str = "
CREATE TABLE runs_v14 (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    flow            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          INTEGER NOT NULL,
    input           TEXT NOT NULL,
    result          TEXT,
    error           TEXT,
    waiting         TEXT NOT NULL,
    parent          TEXT,
    idempotency_key TEXT,
    position        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    journal_steps   INTEGER NOT NULL DEFAULT 0,
    state           BLOB NOT NULL
);
INSERT INTO runs_v14 (seq, id, flow, version, status, input, result, error, waiting, parent,
                      idempotency_key, position, created_at, updated_at, journal_steps, state)
    SELECT seq, id, flow, version,
           CASE status WHEN 'waiting' THEN 0 WHEN 'completed' THEN 1 WHEN 'running' THEN 2
                       WHEN 'failed' THEN 3 WHEN 'cancelled' THEN 4 ELSE status END,
           input, result, error, waiting, parent,
           idempotency_key, position, created_at, updated_at, journal_steps, state
    FROM runs ORDER BY seq;
DROP TABLE runs;
ALTER TABLE runs_v14 RENAME TO runs;
CREATE INDEX runs_by_status ON runs (status, id);
CREATE INDEX runs_by_flow ON runs (flow, id);
CREATE INDEX runs_by_parent ON runs (parent, id) WHERE parent IS NOT NULL;
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_top_level ON runs (id) WHERE parent IS NULL;
CREATE INDEX runs_by_flow_status ON runs (flow, status, id);
";

/// Refuses a schema version this build does not know.
pub fn check_version(found: i64) -> Result<()> {
    if !(0..=SCHEMA_VERSION).contains(&found) {
        return Err(StoreError::Corrupt(format!(
            "the database has schema version {found}; this build knows versions up to \
             {SCHEMA_VERSION} (was it written by a newer Weft?)"
        )));
    }
    Ok(())
}

/// Version 4: machines (see `weft_store::machines`). Instances hold their
/// state as JSON; a command is stored as its JSON record, with the columns
/// its look-ups need. `machine_fields` holds the scalar values of each
/// state for queries; both its indexes end with the key, so a page of
/// matches comes out in key order.
const V4_MACHINES: &str = "
CREATE TABLE machine_instances (
    machine    TEXT NOT NULL,
    key        TEXT NOT NULL,
    state      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    next_seq   INTEGER NOT NULL,
    finished   INTEGER NOT NULL,
    indexed    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (machine, key)
);
-- What a restarted host looks at, and what every query examines.
CREATE INDEX machine_instances_open ON machine_instances (machine, key)
    WHERE next_seq > finished + 1;
CREATE INDEX machine_instances_unindexed ON machine_instances (machine, key)
    WHERE indexed = 0;

CREATE TABLE machine_commands (
    machine    TEXT NOT NULL,
    key        TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    command_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (machine, key, seq)
);
-- A command id is taken once per instance: a second insert is a conflict.
CREATE UNIQUE INDEX machine_command_ids ON machine_commands (machine, key, command_id);

-- `kind` is 's' (in `text`), 'n' (in `num`) or 'b' (0 or 1 in `num`).
CREATE TABLE machine_fields (
    machine TEXT NOT NULL,
    path    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    num     REAL,
    text    TEXT,
    key     TEXT NOT NULL
);
CREATE INDEX machine_fields_text ON machine_fields (machine, path, kind, text, key);
CREATE INDEX machine_fields_num ON machine_fields (machine, path, kind, num, key);
CREATE INDEX machine_fields_of ON machine_fields (machine, key);

-- Events of applied commands, numbered in commit order.
CREATE TABLE machine_events (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL
);
";

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per
/// migration (a new, empty store: one for all): each commits with the
/// version it reaches, so a process that
/// dies midway leaves the store at the last version done, and the next
/// open goes on from there. One transaction for a store several versions
/// behind held every page the earlier steps wrote until the end: the
/// copies of versions 10 and 12 together peaked at 346 MiB on 1,000,000
/// runs, against 123 MiB and 45 MiB apart (docs/benchmarks.md, round 5).
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let err = |e| db_err(e, || "open: migrating the schema".to_string());
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        check_version(found)?;
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        // A new store has nothing to copy: it takes every version in one
        // commit (one sync at first start, not one per version).
        let reach = if found == 0 {
            SCHEMA_VERSION
        } else {
            found + 1
        };
        for version in found..reach {
            tx.execute_batch(MIGRATIONS[version as usize])
                .map_err(|e| {
                    db_err(e, || {
                        format!(
                            "open: migrating the schema from version {version} to {}",
                            version + 1
                        )
                    })
                })?;
        }
        // `user_version` lives in the database header, so it commits (or
        // not) with the migration.
        tx.pragma_update(None, "user_version", reach).map_err(err)?;
        tx.commit().map_err(err)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
        conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_new_store_gets_in_one_commit_the_schema_the_versions_build_one_by_one() {
        let mut fresh = Connection::open_in_memory().unwrap();
        let commits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = commits.clone();
        fresh
            .commit_hook(Some(move || {
                seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                false
            }))
            .unwrap();
        migrate(&mut fresh).unwrap();
        assert_eq!(
            commits.load(std::sync::atomic::Ordering::Relaxed),
            1,
            "one commit for every version"
        );

        // Version by version, as a store of each earlier build got there.
        let mut stepped = Connection::open_in_memory().unwrap();
        for (v, m) in MIGRATIONS.iter().enumerate() {
            let tx = stepped.transaction().unwrap();
            tx.execute_batch(m).unwrap();
            tx.pragma_update(None, "user_version", v as i64 + 1)
                .unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(schema_of(&fresh), schema_of(&stepped));
        let version = |c: &Connection| -> i64 {
            c.query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(version(&fresh), SCHEMA_VERSION);
        assert_eq!(version(&stepped), SCHEMA_VERSION);
        // Opened again, nothing is left to do.
        migrate(&mut fresh).unwrap();
        assert_eq!(
            commits.load(std::sync::atomic::Ordering::Relaxed),
            1,
            "nothing more committed"
        );
    }
}

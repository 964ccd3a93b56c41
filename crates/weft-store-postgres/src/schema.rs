//! The schema, as a list of migrations applied in order at connect.
//!
//! The table `schema_migrations` holds one row per migration applied. A
//! migration is never edited once released: a change is a new entry at the
//! end of [`MIGRATIONS`]. Migrating runs in one transaction that first
//! takes a transaction-level advisory lock (keyed by the schema's name), so
//! when several nodes start at once one of them migrates and the others
//! wait, then find the schema up to date. DDL is transactional in
//! PostgreSQL: a migration that fails leaves nothing behind.
//!
//! Adding to the schema is a new migration with `ALTER TABLE ... ADD
//! COLUMN` (cheap in PostgreSQL 11 and later, also with a constant
//! default) and `CREATE TABLE`, as migration 2 does for clusters. A build
//! refuses a schema newer than it knows, so nodes of an older build stop
//! at connect instead of writing rows the newer schema does not expect.

use weft_store::{Result, StoreError};

use crate::describe;
use crate::pool::{block_on, Lease};

/// One migration: its number (from 1, without gaps), a few words for the
/// `schema_migrations` table, and its SQL.
pub struct Migration {
    /// The schema version this migration produces.
    pub version: i32,
    /// What it does.
    pub description: &'static str,
    /// Its statements.
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "runs, journal, timers, tasks, tokens, deployments",
        sql: V1,
    },
    Migration {
        version: 2,
        description: "clusters: run leases, the inbox, task leases",
        sql: V2,
    },
    Migration {
        version: 3,
        description: "tasks: the node holding the run, leased through it first",
        sql: V3,
    },
    Migration {
        version: 4,
        description: "stored programs; runs parked because a build could not read them",
        sql: V4,
    },
    Migration {
        version: 5,
        description:
            "machines: instances, commands, the index of states, events, the instance inbox",
        sql: V5,
    },
    Migration {
        version: 6,
        description: "operating at scale: run counts, list indexes, forks, step causes, audit log",
        sql: V6,
    },
    Migration {
        version: 7,
        description: "events and schedules that start flows: each event id taken once, schedules' rows by revision",
        sql: V7,
    },
    Migration {
        version: 8,
        description: "pull sources' cursors",
        sql: V8_SOURCES,
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Version 7: events and schedules that start flows (`weft_store::events`,
/// `weft_store::schedules`, issue 12).
/// The id is the primary key, so an id is taken once across every node: a
/// second insert is a unique violation that rolls back the batch carrying
/// it. `seq` numbers events in commit order for lists.
const V7: &str = r#"
CREATE TABLE events (
    seq         bigserial NOT NULL UNIQUE,
    id          text COLLATE "C" PRIMARY KEY,
    type        text COLLATE "C" NOT NULL,
    subject     text COLLATE "C",
    data        json NOT NULL,
    source      text COLLATE "C",
    received_at bigint NOT NULL,
    starts      json NOT NULL
);

-- A schedule's row as JSON; `revision` counts its writes (each is made
-- over the one before: a moved row is a conflict).
CREATE TABLE schedules (
    name     text COLLATE "C" PRIMARY KEY,
    revision bigint NOT NULL,
    row      json NOT NULL
);
"#;

/// Version 1.
///
/// Text columns that are keys, or that lists sort or filter by, use the "C"
/// collation: byte order (what the other stores and run ids' time order
/// assume), not the database's language rules, and cheaper to compare.
/// JSON is stored as `json` (the text as written, checked to be JSON;
/// readable with PostgreSQL's JSON operators), snapshots as `bytea`.
/// Epoch milliseconds are `bigint`.
const V1: &str = r#"
-- Program versions. `flows` and `files` are JSON arrays.
CREATE TABLE deployments (
    version    bigint PRIMARY KEY,
    flows      json NOT NULL,
    files      json NOT NULL,
    created_at bigint NOT NULL
);

-- Which versions define a flow: `latest_version` and `flows` read this.
CREATE TABLE deployment_flows (
    flow    text COLLATE "C" NOT NULL,
    version bigint NOT NULL REFERENCES deployments (version),
    PRIMARY KEY (flow, version)
);

-- One row per run: the record people see, then the engine's snapshot.
-- `journal_steps` counts the run's journal rows, so appending one needs no
-- look-up. Every step rewrites the row: a fill factor below 100 leaves room
-- on the page for the new version, so that most updates are HOT (no index
-- entry is written when no indexed column changed). Snapshots above about
-- 2 KB are compressed and moved out of line by TOAST, which keeps rows that
-- lists read short.
CREATE TABLE runs (
    id              text COLLATE "C" PRIMARY KEY,
    flow            text COLLATE "C" NOT NULL,
    version         bigint NOT NULL,
    status          text COLLATE "C" NOT NULL,
    input           json NOT NULL,
    result          json,
    error           json,
    waiting         json NOT NULL,
    parent          text COLLATE "C",
    idempotency_key text COLLATE "C",
    position        text,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    journal_steps   bigint NOT NULL DEFAULT 0,
    state           bytea NOT NULL
) WITH (fillfactor = 80);
-- Lists filter by one of these and page newest first (by id).
CREATE INDEX runs_by_status ON runs (status, id);
CREATE INDEX runs_by_flow ON runs (flow, id);
CREATE INDEX runs_by_parent ON runs (parent, id) WHERE parent IS NOT NULL;

-- Idempotency keys, bound to a run when it is created and never released
-- (a later record of the run cannot move or drop its key). A taken key
-- makes the batch a conflict.
CREATE TABLE idempotency_keys (
    key    text COLLATE "C" PRIMARY KEY,
    run_id text COLLATE "C" NOT NULL
);

-- One row per journal step; `entries` is a JSON array.
CREATE TABLE journal (
    run_id  text COLLATE "C" NOT NULL,
    step    bigint NOT NULL,
    entries json NOT NULL,
    PRIMARY KEY (run_id, step)
);

-- Armed timers; the index serves `due_timers` and `next_timer`.
CREATE TABLE timers (
    run_id text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,
    at     bigint NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX timers_by_at ON timers (at, run_id, key);

-- Outstanding activity tasks, by call id; `task` is the task as JSON.
CREATE TABLE tasks (
    call_id text COLLATE "C" PRIMARY KEY,
    run_id  text COLLATE "C" NOT NULL,
    task    json NOT NULL
) WITH (fillfactor = 90);

-- Callback tokens; spent tokens stay with active = false.
CREATE TABLE tokens (
    token  text COLLATE "C" PRIMARY KEY,
    run_id text COLLATE "C" NOT NULL,
    call   bigint NOT NULL,
    active boolean NOT NULL
);
"#;

/// Version 2: what several nodes sharing the schema need (see
/// `weft_store::cluster`).
///
/// The lease columns sit on `runs` rather than in a table of their own: a
/// claim, a renewal and a release then lock the very row a commit writes,
/// so a claim skips (`SKIP LOCKED`) a run whose step is being committed and
/// the commit's fencing check needs no second lock. Measured against a
/// narrow `leases` table with pgbench (20,000 runs with 1.5 KB snapshots;
/// a claim, the step's update of the run and a release, 5,000 times after
/// a checkpoint): 0.5-0.7 ms and about 4.4 KB of WAL per cycle either way.
/// Full-page images of the runs' pages dominate the WAL, and the claim and
/// the step share them; an update that stays on its page logs only the
/// bytes that changed. Epoch milliseconds come from the callers (see the
/// crate documentation).
const V2: &str = r#"
-- Who holds a run: `owner` (a node, NULL when free) until `lease_until`
-- (epoch ms); `epoch` grows at every change of owner, and commits are
-- fenced by it. Columns with constant defaults: no table rewrite.
ALTER TABLE runs
    ADD COLUMN owner       text COLLATE "C",
    ADD COLUMN lease_until bigint NOT NULL DEFAULT 0,
    ADD COLUMN epoch       bigint NOT NULL DEFAULT 0;

-- Events for runs another node may hold, oldest first by id; consumed
-- (deleted) in the transaction of the step they cause. `event` is the
-- engine's event as JSON. `created_at` is the server's clock, for people.
CREATE TABLE inbox (
    id         bigserial PRIMARY KEY,
    run_id     text COLLATE "C" NOT NULL,
    event      json NOT NULL,
    created_at bigint NOT NULL
        DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
);
-- A run's events in order (`inbox`, and the claim's look for work).
CREATE INDEX inbox_by_run ON inbox (run_id, id);

-- Task leases: a worker (or a node's pusher) holds a task until
-- `lease_until` (0: never leased). `activity` is the task's, written with
-- it. Leasing looks for tasks of some activities whose lease ended: one
-- range of the index per activity.
ALTER TABLE tasks
    ADD COLUMN activity    text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN leased_by   text,
    ADD COLUMN lease_until bigint NOT NULL DEFAULT 0;
-- Tasks stored before: their activity, read so that a row that is not a
-- JSON object cannot fail the migration (it then matches no activity, and
-- reading it reports it as corrupt, as before).
UPDATE tasks SET activity =
    CASE WHEN json_typeof(task) = 'object' THEN COALESCE(task ->> 'activity', '') ELSE '' END;
ALTER TABLE tasks ALTER COLUMN activity DROP DEFAULT;
CREATE INDEX tasks_by_activity ON tasks (activity, lease_until);
"#;

/// Version 3: which node stored a task (the node that holds its run), so
/// that polls through that node lease it first and its result reaches
/// the run without passing through the inbox (see `LEASE_TASKS`).
/// Measured with `scripts/bench-cluster.sh` (docs/benchmarks.md).
const V3: &str = r#"
-- NULL for tasks stored outside a cluster, or before this migration.
ALTER TABLE tasks ADD COLUMN node text COLLATE "C";
-- A node's tasks that nobody leased yet: what its polls take first. Only
-- the waiting part of the queue is in it, so a poll reads a node's own
-- tasks without stepping over the rest of the cluster's.
CREATE INDEX tasks_unleased_by_node ON tasks (node, activity) WHERE leased_by IS NULL;
"#;

/// Version 4: stored programs, and runs parked because a build could not
/// read them (see `weft_store::Store::park_run`).
///
/// Deployments made before keep `program` NULL: a node compiles their
/// source under edition 1 and stores it (`set_program`) when it starts.
/// A parked run's timers, tasks and queued events move to tables of their
/// own, so that the work queries (due timers, task leases, runs with
/// work) stay as they are.
const V4: &str = r#"
-- The compiled program (the engine's stored-program envelope, JSON).
ALTER TABLE deployments ADD COLUMN program json;

-- Runs a build could not read, with why (`{code, message, ...}`).
CREATE TABLE parked_runs (
    run_id    text COLLATE "C" PRIMARY KEY,
    reason    json NOT NULL,
    parked_at bigint NOT NULL
);

-- What was set aside: rows as in `timers`, `tasks` (without their
-- leases, which end with the parking) and `inbox`.
CREATE TABLE parked_timers (
    run_id text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,
    at     bigint NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE parked_tasks (
    run_id   text COLLATE "C" NOT NULL,
    call_id  text COLLATE "C" NOT NULL,
    task     json NOT NULL,
    activity text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, call_id)
);
CREATE TABLE parked_inbox (
    id         bigint PRIMARY KEY,
    run_id     text COLLATE "C" NOT NULL,
    event      json NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX parked_inbox_by_run ON parked_inbox (run_id, id);
"#;

/// Version 5: machines (see `weft_store::machines`). An instance's lease
/// sits on its row, as a run's does (`owner`, `lease_until`, `epoch`).
const V5: &str = r#"
CREATE TABLE machine_instances (
    machine     text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    state       json NOT NULL,
    version     bigint NOT NULL,
    next_seq    bigint NOT NULL,
    finished    bigint NOT NULL,
    indexed     boolean NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL,
    owner       text COLLATE "C",
    lease_until bigint NOT NULL DEFAULT 0,
    epoch       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (machine, key)
) WITH (fillfactor = 80);
CREATE INDEX machine_instances_open ON machine_instances (machine, key)
    WHERE next_seq > finished + 1;
CREATE INDEX machine_instances_unindexed ON machine_instances (machine, key)
    WHERE NOT indexed;

CREATE TABLE machine_commands (
    machine    text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    seq        bigint NOT NULL,
    command_id text COLLATE "C" NOT NULL,
    status     text COLLATE "C" NOT NULL,
    record     json NOT NULL,
    PRIMARY KEY (machine, key, seq)
);
CREATE UNIQUE INDEX machine_command_ids ON machine_commands (machine, key, command_id);

-- `kind` is 's' (in `text`), 'n' (in `num`) or 'b' (0 or 1 in `num`).
CREATE TABLE machine_fields (
    machine text COLLATE "C" NOT NULL,
    key     text COLLATE "C" NOT NULL,
    path    text COLLATE "C" NOT NULL,
    kind    text COLLATE "C" NOT NULL,
    num     float8,
    text    text COLLATE "C"
);
CREATE INDEX machine_fields_text ON machine_fields (machine, path, kind, text, key);
CREATE INDEX machine_fields_num ON machine_fields (machine, path, kind, num, key);
CREATE INDEX machine_fields_of ON machine_fields (machine, key);

CREATE TABLE machine_events (
    id    bigserial PRIMARY KEY,
    event json NOT NULL
);

-- Events for an instance's owner in a cluster, oldest first by id.
CREATE TABLE machine_inbox (
    id         bigserial PRIMARY KEY,
    machine    text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    event      json NOT NULL,
    created_at bigint NOT NULL
        DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
);
CREATE INDEX machine_inbox_by_instance ON machine_inbox (machine, key, id);
"#;

/// Version 6: what operators need at scale (docs/operating.md, "Finding
/// and repairing runs at scale").
///
/// - `run_counts`: runs per flow and status, in shards (one per store
///   handle, so nodes committing at once do not queue on the same rows),
///   changed by one statement in every commit (see `search::COUNT_RUNS`);
///   filled here from the runs already stored, into shard 0.
/// - Indexes for lists: by creation time, the top-level runs (partial),
///   by flow and status together. The update time is not indexed: every
///   step changes it, and an indexed column that changes makes the update
///   leave the page (no HOT update) and write every index.
/// - `run_forks`: the run a fork was made from (read with the record).
/// - `journal.cause`: what caused each step, to replay a run step by step;
///   NULL for the steps stored before.
/// - `audit` and `audit_runs`: operators' actions and the runs they
///   touched, in order.
/// - `pollers`: the last poll of each worker for each activity, through
///   each node, so every node can tell which activities nobody polls.
const V6: &str = r#"
CREATE TABLE run_counts (
    shard  smallint NOT NULL,
    flow   text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL,
    runs   bigint NOT NULL,
    PRIMARY KEY (shard, flow, status)
);
INSERT INTO run_counts (shard, flow, status, runs)
    SELECT 0, flow, status, COUNT(*) FROM runs GROUP BY flow, status;

CREATE INDEX runs_by_created ON runs (created_at, id);
CREATE INDEX runs_top_level ON runs (id) WHERE parent IS NULL;
CREATE INDEX runs_by_flow_status ON runs (flow, status, id);

CREATE TABLE run_forks (
    id          text COLLATE "C" PRIMARY KEY,
    forked_from text COLLATE "C" NOT NULL
);
CREATE INDEX run_forks_by_origin ON run_forks (forked_from);

ALTER TABLE journal ADD COLUMN cause json;

CREATE TABLE audit (
    id      bigserial PRIMARY KEY,
    at      bigint NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    detail  json NOT NULL,
    matched bigint NOT NULL,
    applied bigint NOT NULL DEFAULT 0,
    failed  bigint NOT NULL DEFAULT 0,
    done_at bigint
);
CREATE TABLE audit_runs (
    seq      bigserial PRIMARY KEY,
    audit_id bigint NOT NULL,
    run_id   text COLLATE "C" NOT NULL,
    failure  text
);
CREATE INDEX audit_runs_by_audit ON audit_runs (audit_id, seq);
CREATE INDEX audit_runs_by_run ON audit_runs (run_id, audit_id);

-- Which worker polled which node for which activity, and when last
-- (written every few seconds per worker, not at every poll).
CREATE TABLE pollers (
    activity  text COLLATE "C" NOT NULL,
    worker    text NOT NULL,
    node      text COLLATE "C" NOT NULL,
    last_poll bigint NOT NULL,
    PRIMARY KEY (activity, worker, node)
);
"#;

/// Version 8: pull sources' cursors (`weft-sources`), one row per source,
/// advanced by compare-and-set.
const V8_SOURCES: &str = r#"
CREATE TABLE source_cursors (
    source     text COLLATE "C" PRIMARY KEY,
    cursor     text NOT NULL,
    updated_at bigint NOT NULL
);
"#;

/// Brings the schema in the connection's `search_path` up to
/// [`SCHEMA_VERSION`], in one transaction under an advisory lock; returns
/// the schema's name.
pub(crate) fn migrate(lease: &mut Lease<'_>) -> Result<String> {
    let client = &lease.conn().client;
    let io = |e: tokio_postgres::Error| {
        StoreError::Io(format!("connect: migrating the schema: {}", describe(&e)))
    };
    block_on(async {
        let schema: Option<String> = client
            .query_one("SELECT current_schema()", &[])
            .await
            .map_err(io)?
            .get(0);
        let Some(schema) = schema else {
            return Err(StoreError::Io(
                "connect: migrating the schema: the search_path names no existing schema \
                 (create it, or fix `options=-csearch_path=...` in the URL)"
                    .into(),
            ));
        };
        client.batch_execute("BEGIN").await.map_err(io)?;
        let result = async {
            // Nodes migrating the same schema queue here; other schemas use
            // other keys (a hash collision only makes them wait in turn).
            client
                .execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended('weft.migrate:' || $1, 0))",
                    &[&schema],
                )
                .await
                .map_err(io)?;
            client
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (
                         version     integer PRIMARY KEY,
                         description text NOT NULL,
                         applied_at  timestamptz NOT NULL DEFAULT now()
                     )",
                )
                .await
                .map_err(io)?;
            let found: i32 = client
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )
                .await
                .map_err(io)?
                .get(0);
            if found > SCHEMA_VERSION {
                return Err(StoreError::Corrupt(format!(
                    "schema {schema:?} has schema version {found}; this build knows versions up \
                     to {SCHEMA_VERSION} (was it written by a newer Weft?)"
                )));
            }
            for m in MIGRATIONS.iter().filter(|m| m.version > found) {
                client.batch_execute(m.sql).await.map_err(|e| {
                    StoreError::Io(format!(
                        "connect: applying migration {} ({}): {}",
                        m.version,
                        m.description,
                        describe(&e)
                    ))
                })?;
                client
                    .execute(
                        "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                        &[&m.version, &m.description],
                    )
                    .await
                    .map_err(io)?;
            }
            Ok(())
        }
        .await;
        match result {
            Ok(()) => {
                client.batch_execute("COMMIT").await.map_err(io)?;
                Ok(schema)
            }
            Err(e) => {
                // If the rollback fails too, the lease is dropped (closing
                // the connection, which rolls back on the server).
                client.batch_execute("ROLLBACK").await.map_err(io)?;
                Err(e)
            }
        }
    })
}

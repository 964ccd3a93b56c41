//! A batch as a handful of multi-row statements.
//!
//! [`Plan::build`] folds the writes of a batch into one final word per row:
//! per run its last record and snapshot and how many journal steps it adds,
//! per timer, task and token whether it ends up set or removed (the order
//! within a write and across writes decides, as in the memory store). Each
//! kind of change then becomes one statement over arrays (`unnest`), so a
//! batch of 500 steps is as many statements as a batch of one, and they are
//! pipelined: everything up to `COMMIT` goes out in one round trip, and
//! `COMMIT` in a second once every statement has succeeded. Rows are sorted
//! by key, so two transactions touching the same rows lock them in the same
//! order.
//!
//! In a cluster, writes carry fences (`RunWrite::fence`): the first
//! statement ([`LOCK_RUNS`]) locks the rows of the runs the batch updates
//! and reads their owners and epochs, and the store sends `COMMIT` only if
//! every fence matches (still two round trips: the answer arrives with the
//! others', before `COMMIT` is sent). The locks hold until the end of the
//! transaction, so no node can claim one of these runs between the check
//! and the commit (a claim skips locked runs).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use weft_engine::state::{Entry, Task};
use weft_store::{Batch, Fence, RunRecord, StepCause, StoreError};

use crate::to_json;

/// The record columns of a run, one array per column.
#[derive(Default, Hash)]
pub(crate) struct RunRows<'a> {
    pub id: Vec<&'a str>,
    pub flow: Vec<&'a str>,
    pub version: Vec<i64>,
    pub status: Vec<&'static str>,
    pub input: Vec<String>,
    pub result: Vec<Option<String>>,
    pub error: Vec<Option<String>>,
    pub waiting: Vec<String>,
    pub parent: Vec<Option<&'a str>>,
    pub key: Vec<Option<&'a str>>,
    pub position: Vec<Option<&'a str>>,
    pub created_at: Vec<i64>,
    pub updated_at: Vec<i64>,
    pub steps: Vec<i64>,
    pub state: Vec<&'a [u8]>,
}

impl<'a> RunRows<'a> {
    fn push(&mut self, rec: &'a RunRecord, state: &'a [u8], steps: i64) {
        self.id.push(&rec.id);
        self.flow.push(&rec.flow);
        self.version.push(rec.version);
        self.status.push(rec.status.as_str());
        self.input.push(to_json(&rec.input));
        self.result.push(rec.result.as_ref().map(to_json));
        self.error.push(rec.error.as_ref().map(to_json));
        self.waiting.push(to_json(&rec.waiting));
        self.parent.push(rec.parent.as_deref());
        self.key.push(rec.idempotency_key.as_deref());
        self.position.push(rec.position.as_deref());
        self.created_at.push(rec.created_at);
        self.updated_at.push(rec.updated_at);
        self.steps.push(steps);
        self.state.push(state);
    }

    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// The parameters of [`INSERT_RUNS`] and [`UPSERT_RUNS`].
    pub fn params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 15] {
        [
            &self.id,
            &self.flow,
            &self.version,
            &self.status,
            &self.input,
            &self.result,
            &self.error,
            &self.waiting,
            &self.parent,
            &self.key,
            &self.position,
            &self.created_at,
            &self.updated_at,
            &self.steps,
            &self.state,
        ]
    }
}

/// Every row a batch writes, folded per key, as statement parameters.
#[derive(Default, Hash)]
pub(crate) struct Plan<'a> {
    /// Writes in the batch (for messages).
    pub writes: usize,
    /// Runs the batch creates: inserted; a taken id or key is a conflict.
    pub created: RunRows<'a>,
    /// Their leases: a run created under a fence is held by its node.
    pub created_owner: Vec<Option<&'a str>>,
    pub created_epoch: Vec<i64>,
    pub created_lease_until: Vec<i64>,
    /// Runs the batch updates (inserted when missing, as the other stores
    /// do).
    pub updated: RunRows<'a>,
    /// Journal rows: run, steps before the run's last step, entries, and
    /// what caused the step.
    pub journal_run: Vec<&'a str>,
    pub journal_back: Vec<i64>,
    pub journal_entries: Vec<String>,
    pub journal_cause: Vec<Option<String>>,
    /// The shard of `run_counts` the batch's counts go to.
    pub shard: i16,
    /// Every run's new flow and status, for `run_counts`.
    pub count_flow: Vec<&'a str>,
    pub count_status: Vec<&'static str>,
    /// Runs the batch creates or writes that were forked from another.
    pub forks_id: Vec<&'a str>,
    pub forks_from: Vec<&'a str>,
    /// Runs that get journal steps, sorted: their oldest steps past
    /// [`weft_store::JOURNAL_STEPS_PER_RUN_MAX`] are deleted.
    pub journal_trim: Vec<&'a str>,
    pub timers_clear_run: Vec<&'a str>,
    pub timers_clear_key: Vec<&'a str>,
    pub timers_set_run: Vec<&'a str>,
    pub timers_set_key: Vec<&'a str>,
    pub timers_set_at: Vec<i64>,
    pub tasks_delete: Vec<&'a str>,
    pub tasks_put_id: Vec<&'a str>,
    pub tasks_put_run: Vec<&'a str>,
    pub tasks_put_activity: Vec<&'a str>,
    pub tasks_put_task: Vec<String>,
    /// The node whose fenced write stored the task (it holds the run);
    /// `None` outside a cluster.
    pub tasks_put_node: Vec<Option<&'a str>>,
    /// Until when only polls through that node lease the task (epoch ms;
    /// 0 outside a cluster); see [`crate::TASK_AFFINITY_MS`].
    pub tasks_put_kept_until: Vec<i64>,
    pub tokens_put: Vec<&'a str>,
    pub tokens_put_run: Vec<&'a str>,
    pub tokens_put_call: Vec<i64>,
    pub tokens_put_active: Vec<bool>,
    pub tokens_spend: Vec<&'a str>,
    /// The claims the batch's writes are made under: `(run, node, epoch)`,
    /// each once, sorted (runs the batch creates are not checked).
    pub fences: Vec<(&'a str, &'a str, i64)>,
    /// Runs whose rows the fencing check locks, sorted: every run the batch
    /// updates, so that the later statements lock no run row out of order.
    pub guard: Vec<&'a str>,
    /// Inbox events the batch consumed.
    pub inbox_done: Vec<i64>,
    /// True when the batch stores tasks: the nodes are told (`NOTIFY`).
    pub notify: bool,
    /// What the batch writes about machines.
    pub machines: crate::machines::MachinePlan<'a>,
    /// The events the batch takes.
    pub events: crate::events::EventPlan<'a>,
}

/// What the batch does to one run.
struct RunFold<'a> {
    rec: &'a RunRecord,
    state: &'a [u8],
    created: bool,
    /// The fence of the write that created the run.
    creator: Option<&'a Fence>,
    journal: Vec<(&'a [Entry], Option<&'a StepCause>)>,
}

/// A task to store, with the node that keeps it for its polls and until
/// when (see [`crate::TASK_AFFINITY_MS`]).
struct TaskPut<'a> {
    task: &'a Task,
    node: Option<&'a str>,
    kept_until: i64,
}

/// The final word on a token.
enum TokenFold<'a> {
    Put {
        run: &'a str,
        call: u32,
        active: bool,
    },
    Spend,
}

impl<'a> Plan<'a> {
    /// Folds the batch; a run created twice, or two new runs with one
    /// idempotency key, is a conflict before anything is sent.
    pub fn build(batch: &'a Batch) -> Result<Plan<'a>, StoreError> {
        let mut runs: BTreeMap<&str, RunFold<'a>> = BTreeMap::new();
        let mut timers: BTreeMap<(&str, &str), Option<i64>> = BTreeMap::new();
        let mut tasks: BTreeMap<&str, Option<TaskPut<'a>>> = BTreeMap::new();
        let mut tokens: BTreeMap<&str, TokenFold<'a>> = BTreeMap::new();
        let mut fences: BTreeSet<(&'a str, &'a str, i64)> = BTreeSet::new();
        let mut plan = Plan {
            writes: batch.writes.len(),
            ..Plan::default()
        };
        for w in &batch.writes {
            // A write without a record names no run: there is nothing to key
            // its rows by (the other stores skip it the same way).
            let Some(rec) = &w.record else { continue };
            let id = rec.id.as_str();
            if let (Some(f), false) = (&w.fence, w.created) {
                // A run created earlier in this batch is held by its
                // creator from then on (the store has no lease to check
                // yet); any other run's lease is checked in the store.
                match runs.get(id).filter(|r| r.created) {
                    Some(r) => {
                        let held = r
                            .creator
                            .is_some_and(|c| c.node == f.node && c.epoch == f.epoch);
                        if !held {
                            return Err(StoreError::Conflict(format!(
                                "commit: run {id} is created in this batch by {:?} and written \
                                 by {} at epoch {}",
                                r.creator.map(|c| (&c.node, c.epoch)),
                                f.node,
                                f.epoch
                            )));
                        }
                    }
                    None => {
                        fences.insert((id, &f.node, f.epoch));
                    }
                }
            }
            match runs.get_mut(id) {
                Some(f) => {
                    if w.created && f.created {
                        return Err(StoreError::Conflict(format!(
                            "commit: new run {id} is created twice in one batch"
                        )));
                    }
                    f.rec = rec;
                    f.state = &w.state;
                    if w.created {
                        f.created = true;
                        f.creator = w.fence.as_ref();
                    }
                    if !w.journal.is_empty() {
                        f.journal.push((&w.journal, w.cause.as_ref()));
                    }
                }
                None => {
                    runs.insert(
                        id,
                        RunFold {
                            rec,
                            state: &w.state,
                            created: w.created,
                            creator: w.fence.as_ref().filter(|_| w.created),
                            journal: if w.journal.is_empty() {
                                Vec::new()
                            } else {
                                vec![(&w.journal, w.cause.as_ref())]
                            },
                        },
                    );
                }
            }
            for key in &w.timers_clear {
                timers.insert((id, key), None);
            }
            for (key, at) in &w.timers_set {
                timers.insert((id, key), Some(*at));
            }
            for call_id in &w.tasks_delete {
                tasks.insert(call_id, None);
            }
            for t in &w.tasks_put {
                // The step's own time: the node's clock (virtual in
                // simulations), the clock leases are taken by.
                let (node, kept_until) = match &w.fence {
                    Some(f) => (
                        Some(f.node.as_str()),
                        rec.updated_at + crate::TASK_AFFINITY_MS,
                    ),
                    None => (None, 0),
                };
                tasks.insert(
                    &t.call_id,
                    Some(TaskPut {
                        task: t,
                        node,
                        kept_until,
                    }),
                );
            }
            plan.inbox_done.extend(&w.inbox_done);
            // Registered before spent: a token born and used in one step
            // ends up spent.
            for (tok, call) in &w.tokens_put {
                tokens.insert(
                    tok,
                    TokenFold::Put {
                        run: id,
                        call: *call,
                        active: true,
                    },
                );
            }
            for tok in &w.tokens_spend {
                match tokens.get_mut(tok.as_str()) {
                    Some(TokenFold::Put { active, .. }) => *active = false,
                    Some(TokenFold::Spend) => {}
                    None => {
                        tokens.insert(tok, TokenFold::Spend);
                    }
                }
            }
        }
        let mut keys: HashMap<&str, &str> = HashMap::new();
        for (id, f) in &runs {
            let steps = f.journal.len() as i64;
            if f.created {
                if let Some(k) = &f.rec.idempotency_key {
                    if let Some(other) = keys.insert(k, id) {
                        return Err(StoreError::Conflict(format!(
                            "commit: new runs {other} and {id} have the same idempotency key {k:?}"
                        )));
                    }
                }
                plan.created.push(f.rec, f.state, steps);
                plan.created_owner.push(f.creator.map(|c| c.node.as_str()));
                plan.created_epoch.push(f.creator.map_or(0, |c| c.epoch));
                plan.created_lease_until
                    .push(f.creator.map_or(0, |c| c.lease_until));
            } else {
                plan.updated.push(f.rec, f.state, steps);
            }
            if !f.journal.is_empty() {
                plan.journal_trim.push(id);
            }
            for (i, (entries, cause)) in f.journal.iter().enumerate() {
                plan.journal_run.push(id);
                plan.journal_back.push(steps - 1 - i as i64);
                plan.journal_entries.push(to_json(entries));
                plan.journal_cause.push(cause.map(to_json));
            }
            plan.count_flow.push(&f.rec.flow);
            plan.count_status.push(f.rec.status.as_str());
            if let Some(from) = &f.rec.forked_from {
                plan.forks_id.push(id);
                plan.forks_from.push(from);
            }
        }
        for ((run, key), at) in timers {
            match at {
                Some(at) => {
                    plan.timers_set_run.push(run);
                    plan.timers_set_key.push(key);
                    plan.timers_set_at.push(at);
                }
                None => {
                    plan.timers_clear_run.push(run);
                    plan.timers_clear_key.push(key);
                }
            }
        }
        for (call_id, t) in tasks {
            match t {
                Some(TaskPut {
                    task: t,
                    node,
                    kept_until,
                }) => {
                    plan.tasks_put_id.push(call_id);
                    plan.tasks_put_run.push(&t.run_id);
                    plan.tasks_put_activity.push(&t.activity);
                    plan.tasks_put_task.push(to_json(t));
                    plan.tasks_put_node.push(node);
                    plan.tasks_put_kept_until.push(kept_until);
                }
                None => plan.tasks_delete.push(call_id),
            }
        }
        plan.machines = crate::machines::MachinePlan::build(batch);
        plan.events = crate::events::EventPlan::build(batch);
        plan.notify = !plan.tasks_put_id.is_empty() || !plan.machines.inbox_machine.is_empty();
        if !fences.is_empty() {
            let mut guard: BTreeSet<&str> = plan.updated.id.iter().copied().collect();
            guard.extend(fences.iter().map(|f| f.0));
            plan.guard = guard.into_iter().collect();
            plan.fences = fences.into_iter().collect();
        }
        plan.inbox_done.sort_unstable();
        plan.inbox_done.dedup();
        for (tok, op) in tokens {
            match op {
                TokenFold::Put { run, call, active } => {
                    plan.tokens_put.push(tok);
                    plan.tokens_put_run.push(run);
                    plan.tokens_put_call.push(i64::from(call));
                    plan.tokens_put_active.push(active);
                }
                TokenFold::Spend => plan.tokens_spend.push(tok),
            }
        }
        Ok(plan)
    }

    /// True when the batch writes no row.
    pub fn is_empty(&self) -> bool {
        self.created.len() + self.updated.len() == 0
            && self.machines.is_empty()
            && self.events.is_empty()
    }

    /// A fingerprint of every row the batch writes: tells a retry of the
    /// same batch from another batch.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }

    /// The batch in a few words, for messages: its size and first runs.
    pub fn describe(&self) -> String {
        let mut ids: Vec<&str> = self
            .created
            .id
            .iter()
            .chain(&self.updated.id)
            .copied()
            .collect();
        ids.sort_unstable();
        let n = ids.len();
        let shown = ids.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        let more = if n > 5 {
            format!(" and {} more", n - 5)
        } else {
            String::new()
        };
        format!(
            "commit: a batch of {} writes (run{} {shown}{more}){}",
            self.writes,
            if n == 1 { "" } else { "s" },
            self.machines.describe()
        )
    }
}

/// Inserts the runs a batch creates with their idempotency keys (and, in a
/// cluster, their creators' leases); returns
/// one row `(run id, what)` per run whose id (`run`) or key (`key`) is
/// taken. Nothing raises an error, so the caller names the runs; it then
/// rolls back.
pub(crate) const INSERT_RUNS: &str = "
WITH v AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
        $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
        $12::bigint[], $13::bigint[], $14::bigint[], $15::bytea[],
        $16::text[], $17::bigint[], $18::bigint[])
        AS v(id, flow, version, status, input, result, error, waiting, parent,
             idempotency_key, position, created_at, updated_at, journal_steps, state,
             owner, epoch, lease_until)
), r AS (
    INSERT INTO runs (id, flow, version, status, input, result, error, waiting, parent,
        idempotency_key, position, created_at, updated_at, journal_steps, state,
        owner, epoch, lease_until)
    SELECT id, flow, version, status, input::json, result::json, error::json, waiting::json,
        parent, idempotency_key, position, created_at, updated_at, journal_steps, state,
        owner, epoch, lease_until
    FROM v
    ON CONFLICT (id) DO NOTHING
    RETURNING id
), k AS (
    INSERT INTO idempotency_keys (key, run_id)
    SELECT idempotency_key, id FROM v WHERE idempotency_key IS NOT NULL
    ON CONFLICT (key) DO NOTHING
    RETURNING run_id
)
SELECT v.id, 'run' FROM v WHERE v.id NOT IN (SELECT id FROM r)
UNION ALL
SELECT v.id, 'key' FROM v
WHERE v.idempotency_key IS NOT NULL AND v.id NOT IN (SELECT run_id FROM k)";

/// Updates runs (the common case: each step rewrites its run's row), adds
/// their journal steps to the counter, and inserts a run that is not stored
/// yet (binding its idempotency key, as when a run is created).
pub(crate) const UPSERT_RUNS: &str = "
WITH u AS (
    INSERT INTO runs AS r (id, flow, version, status, input, result, error, waiting, parent,
        idempotency_key, position, created_at, updated_at, journal_steps, state)
    SELECT id, flow, version, status, input::json, result::json, error::json, waiting::json,
        parent, idempotency_key, position, created_at, updated_at, journal_steps, state
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
        $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
        $12::bigint[], $13::bigint[], $14::bigint[], $15::bytea[])
        AS v(id, flow, version, status, input, result, error, waiting, parent,
             idempotency_key, position, created_at, updated_at, journal_steps, state)
    ON CONFLICT (id) DO UPDATE SET
        flow = excluded.flow, version = excluded.version, status = excluded.status,
        input = excluded.input, result = excluded.result, error = excluded.error,
        waiting = excluded.waiting, parent = excluded.parent,
        idempotency_key = excluded.idempotency_key, position = excluded.position,
        created_at = excluded.created_at, updated_at = excluded.updated_at,
        journal_steps = r.journal_steps + excluded.journal_steps, state = excluded.state
    RETURNING r.id, r.idempotency_key, r.xmax = 0 AS inserted
)
INSERT INTO idempotency_keys (key, run_id)
SELECT idempotency_key, id FROM u WHERE inserted AND idempotency_key IS NOT NULL";

/// Appends journal steps. Runs first: their `journal_steps` already counts
/// the new steps, so step = counter - back.
pub(crate) const INSERT_JOURNAL: &str = "
INSERT INTO journal (run_id, step, entries, cause)
SELECT j.run_id, r.journal_steps - j.back, j.entries::json, j.cause::json
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS j(run_id, back, entries, cause)
JOIN runs r ON r.id = j.run_id";

/// Deletes the oldest journal steps of runs whose journal passed
/// [`weft_store::JOURNAL_STEPS_PER_RUN_MAX`] (`$2`); after [`INSERT_JOURNAL`].
pub(crate) const TRIM_JOURNAL: &str = "
DELETE FROM journal j USING runs r
WHERE r.id = ANY($1::text[]) AND r.journal_steps > $2
    AND j.run_id = r.id AND j.step <= r.journal_steps - $2";

pub(crate) const DELETE_TIMERS: &str = "
DELETE FROM timers t USING unnest($1::text[], $2::text[]) AS d(run_id, key)
WHERE t.run_id = d.run_id AND t.key = d.key";

pub(crate) const UPSERT_TIMERS: &str = "
INSERT INTO timers (run_id, key, at)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
ON CONFLICT (run_id, key) DO UPDATE SET at = excluded.at";

pub(crate) const DELETE_TASKS: &str = "DELETE FROM tasks WHERE call_id = ANY($1::text[])";

/// Stores tasks with the node that holds their run, kept for polls
/// through it until `$6` (`lease_until` with nobody in `leased_by`: see
/// `LEASE_TASKS`); a task stored again (a new attempt) is not leased to
/// anyone.
pub(crate) const UPSERT_TASKS: &str = "
INSERT INTO tasks (call_id, run_id, task, activity, node, lease_until)
SELECT call_id, run_id, task::json, activity, node, kept_until
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
    AS v(call_id, run_id, task, activity, node, kept_until)
ON CONFLICT (call_id) DO UPDATE SET
    run_id = excluded.run_id, task = excluded.task, activity = excluded.activity,
    node = excluded.node, leased_by = NULL, lease_until = excluded.lease_until";

pub(crate) const UPSERT_TOKENS: &str = "
INSERT INTO tokens (token, run_id, call, active)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[])
ON CONFLICT (token) DO UPDATE SET
    run_id = excluded.run_id, call = excluded.call, active = excluded.active";

pub(crate) const SPEND_TOKENS: &str =
    "UPDATE tokens SET active = false WHERE token = ANY($1::text[]) AND active";

/// The fencing check: locks the rows of the runs the batch updates, in
/// order, and reads who holds them (see the module documentation).
pub(crate) const LOCK_RUNS: &str = "
SELECT id, owner, epoch FROM runs WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE";

/// Consumed inbox events go with the step they caused.
pub(crate) const DELETE_INBOX: &str = "DELETE FROM inbox WHERE id = ANY($1::bigint[])";

/// Wakes the nodes (delivered when the transaction commits, and only then).
pub(crate) const NOTIFY: &str = "SELECT pg_notify($1, '')";

/// The transaction's id (assigning one), to ask the server about the
/// transaction's fate if the connection breaks while `COMMIT` is in flight.
pub(crate) const TXID: &str = "SELECT pg_current_xact_id()::text::bigint";

/// `committed`, `aborted`, `in progress` or NULL (too old or unknown).
pub(crate) const XACT_STATUS: &str = "SELECT pg_xact_status($1::bigint::text::xid8)";

//! [`ClusterStore`] for [`PgStore`]: run claims, the inbox, task leases,
//! waiting for work. See the crate documentation for the model and the
//! queries' reasoning; each statement here runs alone (autocommit), so each
//! is one transaction and one round trip. Those that change only leases
//! commit without waiting for the WAL flush (`query_relaxed`; the crate
//! documentation says why that is safe, and each call why for itself).
//!
//! Every lease decision compares with the caller's `now`, as in the memory
//! store; the server's clock is never read for them.

use std::time::Duration;

use weft_engine::state::{Event, Task};
use weft_store::machines::{InstanceClaim, InstanceInboxEvent};
use weft_store::{
    CallbackOutcome, Claim, ClusterStore, InboxEvent, LeasedTask, Poller, QueueDepth, Result,
    TimerRow,
};

use crate::{corrupt, from_json, get, limit_param, machines, to_json, PgStore};

/// The claim of a run that is free, held by `$1`, or whose lease ended by
/// `$3`, as `SET` clauses: a node's own live lease keeps its epoch, any
/// other claim moves it. (In `SET`, `r.*` are the values before the
/// update.)
macro_rules! take_lease {
    () => {
        "epoch = CASE WHEN r.owner = $1 AND r.lease_until > $3 THEN r.epoch ELSE r.epoch + 1 END,
         owner = $1, lease_until = $3::bigint + $4::bigint"
    };
}

/// Claims one run: `$1` node, `$2` run, `$3` now, `$4` lease (ms). The row
/// is locked with `SKIP LOCKED`: a run whose row another transaction holds
/// (a claim, or a step being committed) is not claimed now.
pub(crate) const CLAIM_RUN: &str = concat!(
    "
UPDATE runs r SET ",
    take_lease!(),
    "
FROM (
    SELECT id FROM runs
    WHERE id = $2 AND (owner IS NULL OR owner = $1 OR lease_until <= $3)
    FOR NO KEY UPDATE SKIP LOCKED
) c
WHERE r.id = c.id
RETURNING r.epoch"
);

/// Claims up to `$2` runs with work for node `$1` (`$3` now, `$4` lease,
/// as in [`CLAIM_RUN`]). Work is an inbox event or a timer due at `$3`;
/// runs with inbox events come first, oldest event first, then runs with
/// due timers, earliest first. Runs held by another live lease, or locked,
/// are passed over, and `LIMIT` counts only the runs claimed. The work is
/// sorted before the runs are looked up, so the look-ups stop once `$2`
/// runs are claimed (a backlog of 2,000 costs 256 look-ups, not 2,000).
pub(crate) const CLAIM_RUNS_WITH_WORK: &str = concat!(
    "
WITH work AS (
    SELECT run_id, kind, k FROM (
        SELECT DISTINCT ON (run_id) run_id, kind, k FROM (
            SELECT run_id, 0 AS kind, id AS k FROM inbox
            UNION ALL
            SELECT run_id, 1, at FROM timers WHERE at <= $3
        ) w
        ORDER BY run_id, kind, k
    ) d
    ORDER BY kind, k
), picked AS (
    SELECT r.id FROM work JOIN runs r ON r.id = work.run_id
    WHERE r.owner IS NULL OR r.owner = $1 OR r.lease_until <= $3
    ORDER BY work.kind, work.k
    LIMIT $2
    FOR NO KEY UPDATE OF r SKIP LOCKED
)
UPDATE runs r SET ",
    take_lease!(),
    "
FROM picked
WHERE r.id = picked.id
RETURNING r.id, r.epoch"
);

/// Extends `$1`'s leases on the runs `$2` at epochs `$3` to `$4` + `$5`;
/// returns the runs whose claim is not held any more. Rows are locked in
/// order (this waits for a commit in flight; commits lock in order too).
pub(crate) const RENEW: &str = "
WITH c AS (
    SELECT * FROM unnest($2::text[], $3::bigint[]) AS c(run_id, epoch)
), held AS (
    SELECT r.id FROM runs r JOIN c ON c.run_id = r.id
    WHERE r.owner = $1 AND r.epoch = c.epoch
    ORDER BY r.id
    FOR NO KEY UPDATE OF r
), renewed AS (
    UPDATE runs r SET lease_until = $4::bigint + $5::bigint FROM held WHERE r.id = held.id RETURNING r.id
)
SELECT c.run_id FROM c WHERE c.run_id NOT IN (SELECT id FROM renewed)";

/// Frees `$1`'s claims on the runs `$2` at epochs `$3`.
pub(crate) const RELEASE: &str = "
WITH held AS (
    SELECT r.id FROM runs r
    JOIN unnest($2::text[], $3::bigint[]) AS c(run_id, epoch) ON c.run_id = r.id
    WHERE r.owner = $1 AND r.epoch = c.epoch
    ORDER BY r.id
    FOR NO KEY UPDATE OF r
)
UPDATE runs r SET owner = NULL FROM held WHERE r.id = held.id";

/// Appends `$2` (an event as JSON) to run `$1`'s inbox and notifies `$3`
/// (delivered when the statement's transaction commits).
pub(crate) const ENQUEUE: &str = "
WITH queued AS (
    INSERT INTO inbox (run_id, event) VALUES ($1, $2::text::json) RETURNING id
)
SELECT pg_notify($3, '') FROM queued";

/// Spends token `$1` and queues its callback with value `$2` (JSON), in one
/// statement: of two callbacks with one token, the second waits for the
/// first's row lock, then finds the token spent. Returns the run when the
/// callback was queued, and whether the token exists. The event is built
/// here as the engine's `Event::Callback` serializes (a test pins it).
pub(crate) const ENQUEUE_CALLBACK: &str = "
WITH spent AS (
    UPDATE tokens SET active = false WHERE token = $1 AND active RETURNING run_id, call
), queued AS (
    INSERT INTO inbox (run_id, event)
    SELECT run_id, json_build_object('type', 'callback', 'call', call, 'value', $2::text::json)
    FROM spent
    RETURNING run_id
)
SELECT (SELECT run_id FROM queued),
    EXISTS (SELECT FROM tokens WHERE token = $1),
    (SELECT count(pg_notify($3, '')) FROM queued)";

/// Leases up to `$3` tasks of the activities `$1` whose lease ended at
/// `$4` (or that were never leased) to worker `$2` until `$4` + `$5`,
/// the tasks of runs node `$6` holds first: their results then go to the
/// node that holds the run, not through the inbox. A task a node stored
/// is kept for polls through it for a moment (a `lease_until` with
/// nobody in `leased_by`, [`crate::TASK_AFFINITY_MS`]); polls through
/// other nodes lease it after that. `own` reads the node's never-leased
/// tasks (`tasks_unleased_by_node`), `other` the tasks whose lease (or
/// keeping) ended (`tasks_by_activity`); a task whose worker's lease ended
/// goes back to anyone. Locked rows (another lease, a commit storing or
/// deleting the task) are passed over, but not the rows `own` locked
/// itself, hence the `NOT IN`; `other` runs only for what `own` left (a
/// `LIMIT 0` reads nothing).
pub(crate) const LEASE_TASKS: &str = "
WITH own AS (
    SELECT call_id FROM tasks
    WHERE node = $6 AND activity = ANY($1::text[]) AND leased_by IS NULL
    LIMIT $3
    FOR NO KEY UPDATE SKIP LOCKED
), other AS (
    SELECT call_id FROM tasks
    WHERE activity = ANY($1::text[]) AND lease_until <= $4
        AND call_id NOT IN (SELECT call_id FROM own)
    LIMIT greatest($3 - (SELECT count(*) FROM own), 0)
    FOR NO KEY UPDATE SKIP LOCKED
), picked AS (
    SELECT call_id FROM own UNION ALL SELECT call_id FROM other
)
UPDATE tasks t SET leased_by = $2, lease_until = $4::bigint + $5::bigint
FROM picked
WHERE t.call_id = picked.call_id
RETURNING t.call_id, t.task::text, t.lease_until";

/// Extends the lease of task `$1` if its attempt is `$2`.
pub(crate) const HEARTBEAT_TASK: &str = "
UPDATE tasks SET lease_until = $3::bigint + $4::bigint
WHERE call_id = $1 AND (task ->> 'attempt')::bigint = $2
RETURNING lease_until";

impl ClusterStore for PgStore {
    fn claim_run(
        &self,
        node: &str,
        run_id: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<Claim>> {
        let what = || format!("claim run {run_id} for {node}");
        // Relaxed: a claim lost in a server crash leaves the run with its
        // earlier owner and epoch, and the fencing check then refuses every
        // commit made under it (a commit made durable first makes the
        // claim durable with it).
        let rows = self.query_relaxed(&what, CLAIM_RUN, &[&node, &run_id, &now, &lease_ms])?;
        rows.first()
            .map(|r| {
                Ok(Claim {
                    run_id: run_id.to_string(),
                    epoch: get(r, 0, &what)?,
                })
            })
            .transpose()
    }

    fn claim_runs_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Claim>> {
        let what = || format!("claim runs with work for {node}");
        // Relaxed, as `claim_run`; the work stays in the store until the
        // step that takes it commits.
        let rows = self.query_relaxed(
            &what,
            CLAIM_RUNS_WITH_WORK,
            &[&node, &limit_param(limit), &now, &lease_ms],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Claim {
                    run_id: get(r, 0, &what)?,
                    epoch: get(r, 1, &what)?,
                })
            })
            .collect()
    }

    fn renew(&self, node: &str, claims: &[Claim], now: i64, lease_ms: i64) -> Result<Vec<String>> {
        if claims.is_empty() {
            return Ok(Vec::new());
        }
        let what = || format!("renew {} claim(s) of {node}", claims.len());
        let (runs, epochs) = split(claims);
        // Relaxed: a lost renewal leaves the lease's earlier end, and a
        // node that claims the run after it fences this one out.
        let rows = self.query_relaxed(&what, RENEW, &[&node, &runs, &epochs, &now, &lease_ms])?;
        rows.iter().map(|r| get(r, 0, &what)).collect()
    }

    fn release(&self, node: &str, claims: &[Claim]) -> Result<()> {
        if claims.is_empty() {
            return Ok(());
        }
        let what = || format!("release {} claim(s) of {node}", claims.len());
        let (runs, epochs) = split(claims);
        // Relaxed: a lost release leaves the lease until it ends, as when
        // a node crashes.
        self.query_relaxed(&what, RELEASE, &[&node, &runs, &epochs])?;
        Ok(())
    }

    fn enqueue(&self, run_id: &str, event: &Event) -> Result<()> {
        let what = || format!("queue an event for run {run_id}");
        // Not retried on another connection: a statement whose answer was
        // lost may have queued the event, and a second would duplicate it.
        self.query_once(&what, ENQUEUE, &[&run_id, &to_json(event), &self.channel])?;
        self.listener.signal();
        Ok(())
    }

    fn enqueue_callback(&self, token: &str, value: &serde_json::Value) -> Result<CallbackOutcome> {
        let what = || "queue a callback".to_string();
        let rows = self.query_once(
            &what,
            ENQUEUE_CALLBACK,
            &[&token, &to_json(value), &self.channel],
        )?;
        let row = rows
            .first()
            .ok_or_else(|| corrupt(what(), "the statement returned no row"))?;
        let run: Option<String> = get(row, 0, &what)?;
        let exists: bool = get(row, 1, &what)?;
        Ok(match run {
            Some(run_id) => {
                self.listener.signal();
                CallbackOutcome::Queued { run_id }
            }
            None if exists => CallbackOutcome::Spent,
            None => CallbackOutcome::Unknown,
        })
    }

    fn inbox(&self, run_id: &str) -> Result<Vec<InboxEvent>> {
        let what = || format!("inbox of run {run_id}");
        let rows = self.query(
            &what,
            "SELECT id, event::text FROM inbox WHERE run_id = $1 ORDER BY id",
            &[&run_id],
        )?;
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, 0, &what)?;
                Ok(InboxEvent {
                    id,
                    run_id: run_id.to_string(),
                    event: from_json(r, 1, &|| format!("inbox event {id} of run {run_id}"))?,
                })
            })
            .collect()
    }

    fn due_timers_of(&self, run_id: &str, now: i64) -> Result<Vec<TimerRow>> {
        let what = || format!("due timers of run {run_id}");
        let rows = self.query(
            &what,
            "SELECT key, at FROM timers WHERE run_id = $1 AND at <= $2 ORDER BY at, key",
            &[&run_id, &now],
        )?;
        rows.iter()
            .map(|r| {
                Ok(TimerRow {
                    run_id: run_id.to_string(),
                    key: get(r, 0, &what)?,
                    at: get(r, 1, &what)?,
                })
            })
            .collect()
    }

    fn lease_tasks(
        &self,
        node: &str,
        activities: &[String],
        worker: &str,
        max: usize,
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<LeasedTask>> {
        if activities.is_empty() || max == 0 {
            return Ok(Vec::new());
        }
        let what = || format!("lease tasks to {worker}");
        // Relaxed: a lost lease makes the task leasable again sooner; a
        // second worker may run it (at least once, as when a worker dies
        // holding it), and only the step that deletes the task applies a
        // result.
        let rows = self.query_relaxed(
            &what,
            LEASE_TASKS,
            &[
                &activities,
                &worker,
                &limit_param(max),
                &now,
                &lease_ms,
                &node,
            ],
        )?;
        let mut out = rows
            .iter()
            .map(|r| {
                let call_id: &str = get(r, 0, &what)?;
                Ok(LeasedTask {
                    task: from_json(r, 1, &|| format!("task {call_id}"))?,
                    lease_until: get(r, 2, &what)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| a.task.call_id.cmp(&b.task.call_id));
        // Each lease replaces the task's row version.
        self.vacuum.churned(out.len() as u64);
        Ok(out)
    }

    fn heartbeat_task(
        &self,
        call_id: &str,
        attempt: u32,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>> {
        let what = || format!("heartbeat of task {call_id}");
        // Relaxed, as `lease_tasks`.
        let rows = self.query_relaxed(
            &what,
            HEARTBEAT_TASK,
            &[&call_id, &i64::from(attempt), &now, &lease_ms],
        )?;
        rows.first().map(|r| get(r, 0, &what)).transpose()
    }

    fn task(&self, call_id: &str, attempt: u32) -> Result<Option<Task>> {
        let what = || format!("task {call_id}");
        let rows = self.query(
            &what,
            "SELECT task::text FROM tasks WHERE call_id = $1",
            &[&call_id],
        )?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let task: Task = from_json(row, 0, &what)?;
        Ok(Some(task).filter(|t| t.attempt == attempt))
    }

    fn wait_for_work(&self, timeout: Duration) -> Result<bool> {
        Ok(self.listener.wait(timeout))
    }

    fn queue_depths(&self, now: i64) -> Result<Vec<QueueDepth>> {
        let what = || "queue depths".to_string();
        let rows = self.query(
            &what,
            "SELECT activity,
                 count(*) FILTER (WHERE leased_by IS NULL OR lease_until <= $1),
                 count(*) FILTER (WHERE leased_by IS NOT NULL AND lease_until > $1)
             FROM tasks GROUP BY activity ORDER BY activity",
            &[&now],
        )?;
        rows.iter()
            .map(|r| {
                let n = |i| -> Result<u64> { Ok(get::<i64>(r, i, &what)?.max(0) as u64) };
                Ok(QueueDepth {
                    activity: get(r, 0, &what)?,
                    ready: n(1)?,
                    leased: n(2)?,
                })
            })
            .collect()
    }

    fn record_polls(
        &self,
        node: &str,
        worker: &str,
        activities: &[String],
        now: i64,
    ) -> Result<()> {
        let what = || format!("recording the polls of worker {worker}");
        let forget = now - weft_store::cluster::POLLS_KEPT_MS;
        // Relaxed: a lost poll record makes an activity look unpolled for
        // a moment.
        self.query_relaxed(
            &what,
            "WITH old AS (DELETE FROM pollers WHERE last_poll < $5)
             INSERT INTO pollers (activity, worker, node, last_poll)
             SELECT a, $2, $3, $4 FROM unnest($1::text[]) AS a ORDER BY a
             ON CONFLICT (activity, worker, node)
             DO UPDATE SET last_poll = greatest(pollers.last_poll, excluded.last_poll)",
            &[&activities, &worker, &node, &now, &forget],
        )?;
        Ok(())
    }

    fn pollers(&self, since: i64) -> Result<Vec<Poller>> {
        let what = || "pollers".to_string();
        let rows = self.query(
            &what,
            "SELECT activity, worker, node, last_poll FROM pollers WHERE last_poll >= $1
             ORDER BY activity, worker, node",
            &[&since],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Poller {
                    activity: get(r, 0, &what)?,
                    worker: get(r, 1, &what)?,
                    node: get(r, 2, &what)?,
                    last_poll: get(r, 3, &what)?,
                })
            })
            .collect()
    }

    fn claim_instance(
        &self,
        node: &str,
        machine: &str,
        key: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>> {
        let what = || format!("claim instance {machine}/{key} for {node}");
        // Relaxed, as `claim_run`: instance commits are fenced the same way.
        let rows = self.query_relaxed(
            &what,
            machines::CLAIM_INSTANCE,
            &[&node, &machine, &key, &now, &lease_ms],
        )?;
        rows.first().map(|r| get(r, 0, &what)).transpose()
    }

    fn claim_instances_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<InstanceClaim>> {
        let what = || format!("claim instances with work for {node}");
        // Relaxed, as `claim_run`.
        let rows = self.query_relaxed(
            &what,
            machines::CLAIM_INSTANCES_WITH_WORK,
            &[&node, &now, &lease_ms, &limit_param(limit)],
        )?;
        rows.iter().map(machines::read_claim).collect()
    }

    fn renew_instances(
        &self,
        node: &str,
        claims: &[InstanceClaim],
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<InstanceClaim>> {
        if claims.is_empty() {
            return Ok(Vec::new());
        }
        let what = || format!("renew {} instance claims of {node}", claims.len());
        let (m, k, e) = machines::split(claims);
        // Relaxed, as `renew`.
        let rows = self.query_relaxed(
            &what,
            machines::RENEW_INSTANCES,
            &[&node, &m, &k, &e, &now, &lease_ms],
        )?;
        rows.iter().map(machines::read_claim).collect()
    }

    fn release_instances(&self, node: &str, claims: &[InstanceClaim]) -> Result<()> {
        if claims.is_empty() {
            return Ok(());
        }
        let what = || format!("release {} instance claims of {node}", claims.len());
        let (m, k, e) = machines::split(claims);
        // Relaxed, as `release`.
        self.query_relaxed(&what, machines::RELEASE_INSTANCES, &[&node, &m, &k, &e])?;
        Ok(())
    }

    fn instance_inbox(&self, machine: &str, key: &str) -> Result<Vec<InstanceInboxEvent>> {
        let what = || format!("inbox of instance {machine}/{key}");
        let rows = self.query(&what, machines::INSTANCE_INBOX, &[&machine, &key])?;
        rows.iter().map(machines::read_inbox).collect()
    }
}

/// Claims as two arrays (runs, epochs).
fn split(claims: &[Claim]) -> (Vec<&str>, Vec<i64>) {
    claims.iter().map(|c| (c.run_id.as_str(), c.epoch)).unzip()
}

/// A callback's inbox event is built in SQL ([`ENQUEUE_CALLBACK`]): it
/// must read back as the engine's event.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_event_built_in_sql_is_the_engines() {
        let value = serde_json::json!({"z": 1, "a": [true, null]});
        let event = Event::Callback {
            call: 3,
            value: value.clone(),
        };
        // What json_build_object('type', 'callback', 'call', 3, 'value', v)
        // writes.
        let sql = format!(
            r#"{{"type" : "callback", "call" : 3, "value" : {}}}"#,
            to_json(&value)
        );
        let back: Event = serde_json::from_str(&sql).unwrap();
        assert_eq!(to_json(&back), to_json(&event));
        assert!(ENQUEUE_CALLBACK.contains("'type', 'callback', 'call', call, 'value'"));
    }
}

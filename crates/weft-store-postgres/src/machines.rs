//! Machines in PostgreSQL: the machine writes of a batch folded into a few
//! multi-row statements of the commit's pipeline, and the reads (see
//! `weft_store::machines` for the model, migration 4 in [`crate::schema`]
//! for the tables).
//!
//! Per instance the batch's last row counts. The index of its state's
//! fields is rewritten before the row is, by two statements that compare
//! the stored version with the new one: a state changes only with its
//! version, so the rows of an instance whose command only queued stay as
//! they are. Commands are upserted by (machine, key, seq); a command id the
//! instance already has under another seq violates a unique index, a
//! conflict that rolls the batch back. Events are appended in the batch's
//! order.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use weft_store::machines::{
    indexed_fields, CmpOp, IndexProbe, InstanceClaim, InstanceEvent, InstanceInboxEvent,
    InstanceRow, MachineWrite, StoredMachineEvent,
};
use weft_store::{Batch, CommandRecord, Instance, Result};

use crate::to_json;

/// The machine writes of a batch, as statement parameters.
#[derive(Default)]
pub(crate) struct MachinePlan<'a> {
    pub inst_machine: Vec<&'a str>,
    pub inst_key: Vec<&'a str>,
    pub inst_state: Vec<String>,
    pub inst_version: Vec<i64>,
    pub inst_next_seq: Vec<i64>,
    pub inst_finished: Vec<i64>,
    pub inst_indexed: Vec<bool>,
    pub inst_created_at: Vec<i64>,
    pub inst_updated_at: Vec<i64>,
    /// The indexed values of the written states, with the version they
    /// belong to.
    pub field_machine: Vec<&'a str>,
    pub field_key: Vec<&'a str>,
    pub field_version: Vec<i64>,
    pub field_path: Vec<String>,
    pub field_kind: Vec<&'static str>,
    pub field_num: Vec<Option<f64>>,
    pub field_text: Vec<Option<String>>,
    pub cmd_machine: Vec<&'a str>,
    pub cmd_key: Vec<&'a str>,
    pub cmd_seq: Vec<i64>,
    pub cmd_id: Vec<&'a str>,
    pub cmd_status: Vec<&'static str>,
    pub cmd_record: Vec<String>,
    pub events: Vec<String>,
    pub inbox_machine: Vec<&'a str>,
    pub inbox_key: Vec<&'a str>,
    pub inbox_event: Vec<String>,
    pub inbox_done: Vec<i64>,
    /// The claims instance writes are made under: `(machine, key, node,
    /// epoch)`, each once, sorted.
    pub fences: Vec<(&'a str, &'a str, &'a str, i64)>,
    pub guard_machine: Vec<&'a str>,
    pub guard_key: Vec<&'a str>,
}

impl std::hash::Hash for MachinePlan<'_> {
    /// What the batch writes (the indexed values follow from the states).
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.inst_machine.hash(h);
        self.inst_key.hash(h);
        self.inst_state.hash(h);
        self.inst_version.hash(h);
        self.inst_next_seq.hash(h);
        self.inst_finished.hash(h);
        self.cmd_machine.hash(h);
        self.cmd_key.hash(h);
        self.cmd_seq.hash(h);
        self.cmd_record.hash(h);
        self.events.hash(h);
        self.inbox_event.hash(h);
        self.inbox_done.hash(h);
    }
}

impl<'a> MachinePlan<'a> {
    /// Folds the machine writes of `batch`.
    pub fn build(batch: &'a Batch) -> MachinePlan<'a> {
        let mut plan = MachinePlan::default();
        let mut instances: BTreeMap<(&str, &str), &'a InstanceRow> = BTreeMap::new();
        let mut commands: BTreeMap<(&str, &str, i64), &'a CommandRecord> = BTreeMap::new();
        let mut fences = std::collections::BTreeSet::new();
        for w in &batch.writes {
            for m in &w.machines {
                match m {
                    MachineWrite::Instance { row, fence } => {
                        let i = &row.instance;
                        instances.insert((&i.machine, &i.key), row);
                        if let Some(f) = fence {
                            fences.insert((
                                i.machine.as_str(),
                                i.key.as_str(),
                                f.node.as_str(),
                                f.epoch,
                            ));
                        }
                    }
                    MachineWrite::Command(c) => {
                        commands.insert((&c.machine, &c.key, c.seq), c);
                    }
                    MachineWrite::Event(e) => plan.events.push(to_json(e)),
                    MachineWrite::Inbox {
                        machine,
                        key,
                        event,
                    } => {
                        plan.inbox_machine.push(machine);
                        plan.inbox_key.push(key);
                        plan.inbox_event.push(to_json(event));
                    }
                    MachineWrite::InboxDone(id) => plan.inbox_done.push(*id),
                }
            }
        }
        for ((machine, key), row) in instances {
            let i = &row.instance;
            let fields = indexed_fields(&i.state);
            plan.inst_machine.push(machine);
            plan.inst_key.push(key);
            plan.inst_state.push(to_json(&i.state));
            plan.inst_version.push(i.version);
            plan.inst_next_seq.push(row.next_seq);
            plan.inst_finished.push(row.finished);
            plan.inst_indexed.push(fields.is_some());
            plan.inst_created_at.push(i.created_at);
            plan.inst_updated_at.push(i.updated_at);
            for f in fields.unwrap_or_default() {
                let (kind, num, text) = match &f.value {
                    Json::String(s) => ("s", None, Some(s.clone())),
                    Json::Bool(b) => ("b", Some(f64::from(u8::from(*b))), None),
                    Json::Number(n) => ("n", n.as_f64(), None),
                    _ => continue,
                };
                plan.field_machine.push(machine);
                plan.field_key.push(key);
                plan.field_version.push(i.version);
                plan.field_path.push(f.path);
                plan.field_kind.push(kind);
                plan.field_num.push(num);
                plan.field_text.push(text);
            }
        }
        for ((machine, key, seq), c) in commands {
            plan.cmd_machine.push(machine);
            plan.cmd_key.push(key);
            plan.cmd_seq.push(seq);
            plan.cmd_id.push(&c.command_id);
            plan.cmd_status.push(c.status.as_str());
            plan.cmd_record.push(to_json(c));
        }
        plan.inbox_done.sort_unstable();
        plan.inbox_done.dedup();
        for (machine, key, _, _) in &fences {
            plan.guard_machine.push(machine);
            plan.guard_key.push(key);
        }
        plan.fences = fences.into_iter().collect();
        plan
    }

    /// True when the batch writes nothing about machines.
    pub fn is_empty(&self) -> bool {
        self.inst_machine.is_empty()
            && self.cmd_machine.is_empty()
            && self.events.is_empty()
            && self.inbox_machine.is_empty()
            && self.inbox_done.is_empty()
    }

    /// The instances the batch writes, in a few words.
    pub fn describe(&self) -> String {
        let n = self.inst_machine.len().max(self.cmd_machine.len());
        if n == 0 {
            return String::new();
        }
        let (m, k) = self
            .inst_machine
            .first()
            .zip(self.inst_key.first())
            .or(self.cmd_machine.first().zip(self.cmd_key.first()))
            .map(|(m, k)| (*m, *k))
            .unwrap_or_default();
        format!(
            " (instances: {m}/{k}{})",
            if n > 1 { " and more" } else { "" }
        )
    }

    /// The fences that the locked rows (`machine, key, owner, epoch`) do not
    /// match, in words.
    pub fn stale(&self, rows: &[tokio_postgres::Row]) -> Vec<String> {
        let held: BTreeMap<(String, String), (Option<String>, i64)> = rows
            .iter()
            .filter_map(|r| {
                Some((
                    (r.try_get(0).ok()?, r.try_get(1).ok()?),
                    (r.try_get(2).ok()?, r.try_get(3).ok()?),
                ))
            })
            .collect();
        self.fences
            .iter()
            .filter_map(|(m, k, node, epoch)| {
                let (owner, at) = held
                    .get(&(m.to_string(), k.to_string()))
                    .cloned()
                    .unwrap_or((None, 0));
                (owner.as_deref() != Some(node) || at != *epoch).then(|| {
                    format!(
                        "instance {m}/{k} is no longer held by {node} at epoch {epoch} (owner {owner:?}, epoch {at})"
                    )
                })
            })
            .collect()
    }
}

/// The fencing check of instance writes: locks their rows in order and
/// reads who holds them.
pub(crate) const LOCK_INSTANCES: &str = "
SELECT i.machine, i.key, i.owner, i.epoch FROM machine_instances i
JOIN unnest($1::text[], $2::text[]) AS g(machine, key) ON g.machine = i.machine AND g.key = i.key
ORDER BY i.machine, i.key FOR NO KEY UPDATE OF i";

/// Deletes the indexed values of instances whose stored version is not the
/// one written (before the instances are written).
pub(crate) const DELETE_FIELDS: &str = "
DELETE FROM machine_fields f
USING unnest($1::text[], $2::text[], $3::bigint[]) AS v(machine, key, version)
WHERE f.machine = v.machine AND f.key = v.key
  AND NOT EXISTS (SELECT FROM machine_instances i
                  WHERE i.machine = v.machine AND i.key = v.key AND i.version = v.version)";

/// Inserts the indexed values of the same instances.
pub(crate) const INSERT_FIELDS: &str = "
INSERT INTO machine_fields (machine, key, path, kind, num, text)
SELECT f.machine, f.key, f.path, f.kind, f.num, f.text
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::float8[], $7::text[])
    AS f(machine, key, version, path, kind, num, text)
WHERE NOT EXISTS (SELECT FROM machine_instances i
                  WHERE i.machine = f.machine AND i.key = f.key AND i.version = f.version)";

/// Inserts or updates instances (a new row of a cluster's node is owned
/// through `claim_instance`, never here).
pub(crate) const UPSERT_INSTANCES: &str = "
INSERT INTO machine_instances AS i (machine, key, state, version, next_seq, finished, indexed,
    created_at, updated_at)
SELECT machine, key, state::json, version, next_seq, finished, indexed, created_at, updated_at
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
    $7::boolean[], $8::bigint[], $9::bigint[])
    AS v(machine, key, state, version, next_seq, finished, indexed, created_at, updated_at)
ON CONFLICT (machine, key) DO UPDATE SET
    state = excluded.state, version = excluded.version, next_seq = excluded.next_seq,
    finished = excluded.finished, indexed = excluded.indexed, updated_at = excluded.updated_at";

/// Inserts or replaces commands; a command id taken under another seq is a
/// unique violation (a conflict).
pub(crate) const UPSERT_COMMANDS: &str = "
INSERT INTO machine_commands (machine, key, seq, command_id, status, record)
SELECT machine, key, seq, command_id, status, record::json
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
    AS v(machine, key, seq, command_id, status, record)
ON CONFLICT (machine, key, seq) DO UPDATE SET
    command_id = excluded.command_id, status = excluded.status, record = excluded.record";

/// Appends events, in the batch's order.
pub(crate) const INSERT_EVENTS: &str = "
INSERT INTO machine_events (event)
SELECT e::json FROM unnest($1::text[]) WITH ORDINALITY AS v(e, n) ORDER BY n";

/// Queues events for instances' owners, in the batch's order.
pub(crate) const INSERT_INSTANCE_INBOX: &str = "
INSERT INTO machine_inbox (machine, key, event)
SELECT machine, key, event::json
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS v(machine, key, event, n)
ORDER BY n";

/// Consumed instance inbox events go with the writes they caused.
pub(crate) const DELETE_INSTANCE_INBOX: &str =
    "DELETE FROM machine_inbox WHERE id = ANY($1::bigint[])";

const INSTANCE_COLUMNS: &str = "i.machine, i.key, i.state::text, i.version, i.next_seq, \
     i.finished, i.created_at, i.updated_at";

pub(crate) fn read_instance(row: &tokio_postgres::Row) -> Result<InstanceRow> {
    let machine: String = crate::get(row, 0, &|| "instance".into())?;
    let key: String = crate::get(row, 1, &|| "instance".into())?;
    let what = || format!("instance {machine}/{key}");
    Ok(InstanceRow {
        instance: Instance {
            state: crate::from_json(row, 2, &what)?,
            version: crate::get(row, 3, &what)?,
            created_at: crate::get(row, 6, &what)?,
            updated_at: crate::get(row, 7, &what)?,
            machine: machine.clone(),
            key: key.clone(),
        },
        next_seq: crate::get(row, 4, &what)?,
        finished: crate::get(row, 5, &what)?,
    })
}

pub(crate) fn instance_sql() -> String {
    format!(
        "SELECT {INSTANCE_COLUMNS} FROM machine_instances i WHERE i.machine = $1 AND i.key = $2"
    )
}

pub(crate) const COMMANDS: &str = "
SELECT record::text FROM machine_commands WHERE machine = $1 AND key = $2 AND seq >= $3
ORDER BY seq LIMIT $4";

pub(crate) const COMMAND_BY_ID: &str =
    "SELECT record::text FROM machine_commands WHERE machine = $1 AND key = $2 AND command_id = $3";

pub(crate) const OPEN_INSTANCES: &str = "
SELECT machine, key FROM machine_instances WHERE next_seq > finished + 1
ORDER BY machine, key LIMIT $1";

pub(crate) const EVENTS: &str =
    "SELECT id, event::text FROM machine_events WHERE id > $1 ORDER BY id LIMIT $2";

/// Every instance of `$1` after key `$2`, in key order, at most `$3`.
pub(crate) fn scan_sql() -> String {
    format!(
        "SELECT {INSTANCE_COLUMNS} FROM machine_instances i WHERE i.machine = $1 AND i.key > $2 \
         ORDER BY i.key LIMIT $3"
    )
}

/// The instances the index says may fit a probe, with the unindexed ones,
/// in key order: `$1` machine, `$2` after, `$3` limit, `$4` path, `$5`
/// kind, `$6` value (in `num` or `text`).
pub(crate) fn probe_sql(p: &IndexProbe) -> String {
    let column = if matches!(p.value, Json::String(_)) {
        "text"
    } else {
        "num"
    };
    let cast = if column == "num" { "float8" } else { "text" };
    let op = match p.op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    };
    format!(
        "SELECT {INSTANCE_COLUMNS} FROM (\
            (SELECT key FROM machine_fields WHERE machine = $1 AND path = $4 AND kind = $5 \
                AND {column} {op} $6::{cast} AND key > $2 ORDER BY key LIMIT $3) \
            UNION ALL \
            (SELECT key FROM machine_instances WHERE machine = $1 AND NOT indexed AND key > $2 \
                ORDER BY key LIMIT $3) \
            ORDER BY key LIMIT $3\
         ) c JOIN machine_instances i ON i.machine = $1 AND i.key = c.key ORDER BY i.key"
    )
}

/// The kind and value of a probe, as [`probe_sql`] takes them.
pub(crate) fn probe_value(p: &IndexProbe) -> (&'static str, Option<f64>, Option<String>) {
    match &p.value {
        Json::String(s) => ("s", None, Some(s.clone())),
        Json::Bool(b) => ("b", Some(f64::from(u8::from(*b))), None),
        Json::Number(n) => ("n", n.as_f64(), None),
        _ => ("z", None, None),
    }
}

pub(crate) fn read_command(
    row: &tokio_postgres::Row,
    what: &dyn Fn() -> String,
) -> Result<CommandRecord> {
    crate::from_json(row, 0, what)
}

pub(crate) fn read_event(row: &tokio_postgres::Row) -> Result<StoredMachineEvent> {
    let id: i64 = crate::get(row, 0, &|| "machine event".into())?;
    Ok(StoredMachineEvent {
        id,
        event: crate::from_json(row, 1, &|| format!("machine event {id}"))?,
    })
}

/// Claims an instance for `$1` (`$2` machine, `$3` key, `$4` now, `$5`
/// lease), making its row when it has none: a node's own live lease keeps
/// its epoch, any other claim adds one; a live lease of another node
/// returns no row. (`ON CONFLICT ... DO UPDATE` waits for a commit in
/// flight on the row rather than skipping it: instances are claimed one
/// at a time, when a command arrives.)
pub(crate) const CLAIM_INSTANCE: &str = "
INSERT INTO machine_instances AS r (machine, key, state, version, next_seq, finished, indexed,
    created_at, updated_at, owner, lease_until, epoch)
VALUES ($2, $3, '{}'::json, 0, 1, 0, true, $4::bigint, $4::bigint, $1, $4::bigint + $5::bigint, 1)
ON CONFLICT (machine, key) DO UPDATE SET
    epoch = CASE WHEN r.owner = $1 AND r.lease_until > $4::bigint THEN r.epoch ELSE r.epoch + 1 END,
    owner = $1, lease_until = $4::bigint + $5::bigint
WHERE r.owner IS NULL OR r.owner = $1 OR r.lease_until <= $4::bigint
RETURNING r.epoch";

/// Claims up to `$4` instances with inbox events, oldest event first, for
/// `$1` (`$2` now, `$3` lease): free ones, `$1`'s own, and those whose
/// lease ended; locked rows are passed over.
pub(crate) const CLAIM_INSTANCES_WITH_WORK: &str = "
WITH work AS (
    SELECT machine, key, min(id) AS first FROM machine_inbox GROUP BY machine, key
), picked AS (
    SELECT i.machine, i.key FROM work
    JOIN machine_instances i ON i.machine = work.machine AND i.key = work.key
    WHERE i.owner IS NULL OR i.owner = $1 OR i.lease_until <= $2
    ORDER BY work.first
    LIMIT $4
    FOR NO KEY UPDATE OF i SKIP LOCKED
)
UPDATE machine_instances r SET
    epoch = CASE WHEN r.owner = $1 AND r.lease_until > $2 THEN r.epoch ELSE r.epoch + 1 END,
    owner = $1, lease_until = $2::bigint + $3::bigint
FROM picked
WHERE r.machine = picked.machine AND r.key = picked.key
RETURNING r.machine, r.key, r.epoch";

/// Extends `$1`'s leases on the instances `$2`/`$3` at epochs `$4` to `$5`
/// + `$6`; returns the instances no longer held.
pub(crate) const RENEW_INSTANCES: &str = "
WITH c AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[]) AS c(machine, key, epoch)
), held AS (
    SELECT i.machine, i.key FROM machine_instances i
    JOIN c ON c.machine = i.machine AND c.key = i.key
    WHERE i.owner = $1 AND i.epoch = c.epoch
    ORDER BY i.machine, i.key
    FOR NO KEY UPDATE OF i
), renewed AS (
    UPDATE machine_instances i SET lease_until = $5::bigint + $6::bigint
    FROM held WHERE i.machine = held.machine AND i.key = held.key
    RETURNING i.machine, i.key
)
SELECT c.machine, c.key, c.epoch FROM c
WHERE NOT EXISTS (SELECT FROM renewed r WHERE r.machine = c.machine AND r.key = c.key)";

/// Frees `$1`'s claims on the instances `$2`/`$3` at epochs `$4`.
pub(crate) const RELEASE_INSTANCES: &str = "
WITH held AS (
    SELECT i.machine, i.key FROM machine_instances i
    JOIN unnest($2::text[], $3::text[], $4::bigint[]) AS c(machine, key, epoch)
        ON c.machine = i.machine AND c.key = i.key
    WHERE i.owner = $1 AND i.epoch = c.epoch
    ORDER BY i.machine, i.key
    FOR NO KEY UPDATE OF i
)
UPDATE machine_instances i SET owner = NULL
FROM held WHERE i.machine = held.machine AND i.key = held.key";

pub(crate) const INSTANCE_INBOX: &str = "
SELECT id, machine, key, event::text FROM machine_inbox WHERE machine = $1 AND key = $2 ORDER BY id";

/// Claims as three arrays (machines, keys, epochs).
pub(crate) fn split(claims: &[InstanceClaim]) -> (Vec<&str>, Vec<&str>, Vec<i64>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for c in claims {
        out.0.push(c.machine.as_str());
        out.1.push(c.key.as_str());
        out.2.push(c.epoch);
    }
    out
}

pub(crate) fn read_claim(row: &tokio_postgres::Row) -> Result<InstanceClaim> {
    let what = || "instance claim".to_string();
    Ok(InstanceClaim {
        machine: crate::get(row, 0, &what)?,
        key: crate::get(row, 1, &what)?,
        epoch: crate::get(row, 2, &what)?,
    })
}

pub(crate) fn read_inbox(row: &tokio_postgres::Row) -> Result<InstanceInboxEvent> {
    let id: i64 = crate::get(row, 0, &|| "instance inbox".into())?;
    let what = || format!("instance inbox event {id}");
    let event: InstanceEvent = crate::from_json(row, 3, &what)?;
    Ok(InstanceInboxEvent {
        id,
        machine: crate::get(row, 1, &what)?,
        key: crate::get(row, 2, &what)?,
        event,
    })
}

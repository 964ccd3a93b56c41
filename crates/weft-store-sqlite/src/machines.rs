//! Machines in SQLite: instances, commands, the index of states' fields,
//! events (see `weft_store::machines` for the model, and [`crate::schema`]
//! for the tables).
//!
//! An instance write rewrites the instance's rows of `machine_fields` only
//! when its version moved (a state changes only by an applied command) or
//! the row is new: the queue's bookkeeping (a command arriving) rewrites one
//! row. A command is stored as its JSON record, with the columns its look-ups
//! need beside it.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::Value as Json;
use weft_store::machines::{
    indexed_fields, CmpOp, CommandRecord, IndexProbe, Instance, InstanceRow, MachineWrite,
    StoredMachineEvent,
};
use weft_store::{Result, StoreError};

use crate::{corrupt, db_err, from_json, limit_param, to_json};

const INSTANCE_COLUMNS: &str =
    "machine, key, state, version, next_seq, finished, created_at, updated_at";

/// Applies the machine writes of one run write, inside the batch's
/// transaction.
pub(crate) fn apply(tx: &Transaction<'_>, writes: &[MachineWrite]) -> Result<()> {
    for w in writes {
        match w {
            MachineWrite::Instance { row, .. } => put_instance(tx, row)?,
            MachineWrite::Command(c) => put_command(tx, c)?,
            MachineWrite::Event(e) => {
                tx.prepare_cached("INSERT INTO machine_events (event) VALUES (?1)")
                    .and_then(|mut s| s.execute([to_json(e)]))
                    .map_err(|err| {
                        db_err(err, || format!("commit: event of {}/{}", e.machine, e.key))
                    })?;
            }
            // The embedded store is one node: no other node to queue for.
            MachineWrite::Inbox { machine, key, .. } => {
                return Err(StoreError::Io(format!(
                    "commit: an instance inbox event for {machine}/{key}: the embedded store has no cluster inbox"
                )))
            }
            MachineWrite::InboxDone(_) => {}
        }
    }
    Ok(())
}

fn put_instance(tx: &Transaction<'_>, row: &InstanceRow) -> Result<()> {
    let i = &row.instance;
    let what = || format!("commit: instance {}/{}", i.machine, i.key);
    let before: Option<i64> = tx
        .prepare_cached("SELECT version FROM machine_instances WHERE machine = ?1 AND key = ?2")
        .and_then(|mut s| {
            s.query_row(params![i.machine, i.key], |r| r.get(0))
                .optional()
        })
        .map_err(|e| db_err(e, what))?;
    let fields = indexed_fields(&i.state);
    tx.prepare_cached(
        "INSERT INTO machine_instances (machine, key, state, version, next_seq, finished, \
         indexed, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (machine, key) DO UPDATE SET state = excluded.state, \
         version = excluded.version, next_seq = excluded.next_seq, \
         finished = excluded.finished, indexed = excluded.indexed, \
         updated_at = excluded.updated_at",
    )
    .and_then(|mut s| {
        s.execute(params![
            i.machine,
            i.key,
            to_json(&i.state),
            i.version,
            row.next_seq,
            row.finished,
            fields.is_some(),
            i.created_at,
            i.updated_at,
        ])
    })
    .map_err(|e| db_err(e, what))?;
    if before == Some(i.version) {
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM machine_fields WHERE machine = ?1 AND key = ?2")
        .and_then(|mut s| s.execute(params![i.machine, i.key]))
        .map_err(|e| db_err(e, what))?;
    let mut s = tx
        .prepare_cached(
            "INSERT INTO machine_fields (machine, path, kind, num, text, key) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .map_err(|e| db_err(e, what))?;
    for f in fields.unwrap_or_default() {
        let (kind, num, text) = index_value(&f.value);
        s.execute(params![i.machine, f.path, kind, num, text, i.key])
            .map_err(|e| db_err(e, what))?;
    }
    Ok(())
}

/// How a scalar sits in `machine_fields`: its kind, and its value in `num`
/// (numbers; booleans as 0 and 1) or `text`.
fn index_value(v: &Json) -> (&'static str, Option<f64>, Option<&str>) {
    match v {
        Json::String(s) => ("s", None, Some(s.as_str())),
        Json::Bool(b) => ("b", Some(f64::from(u8::from(*b))), None),
        Json::Number(n) => ("n", n.as_f64(), None),
        // Only scalars are indexed.
        _ => ("z", None, None),
    }
}

fn put_command(tx: &Transaction<'_>, c: &CommandRecord) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO machine_commands (machine, key, seq, command_id, status, record) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (machine, key, seq) DO UPDATE SET \
         command_id = excluded.command_id, status = excluded.status, record = excluded.record",
    )
    .and_then(|mut s| {
        s.execute(params![
            c.machine,
            c.key,
            c.seq,
            c.command_id,
            c.status.as_str(),
            to_json(c)
        ])
    })
    .map(drop)
    .map_err(|e| {
        db_err(e, || {
            format!(
                "commit: command {} ({:?}) of {}/{}",
                c.seq, c.command_id, c.machine, c.key
            )
        })
    })
}

fn read_instance(row: &Row<'_>) -> Result<InstanceRow> {
    let machine: String = row.get(0).map_err(|e| db_err(e, || "instance".into()))?;
    let key: String = row.get(1).map_err(|e| db_err(e, || "instance".into()))?;
    let what = || format!("instance {machine}/{key}");
    let get = |e| db_err(e, what);
    Ok(InstanceRow {
        instance: Instance {
            state: from_json(row, 2, &what)?,
            version: row.get(3).map_err(get)?,
            created_at: row.get(6).map_err(get)?,
            updated_at: row.get(7).map_err(get)?,
            machine: machine.clone(),
            key: key.clone(),
        },
        next_seq: row.get(4).map_err(get)?,
        finished: row.get(5).map_err(get)?,
    })
}

pub(crate) fn instance(conn: &Connection, machine: &str, key: &str) -> Result<Option<InstanceRow>> {
    let what = || format!("instance {machine}/{key}");
    let mut s = conn
        .prepare_cached(&format!(
            "SELECT {INSTANCE_COLUMNS} FROM machine_instances WHERE machine = ?1 AND key = ?2"
        ))
        .map_err(|e| db_err(e, what))?;
    let mut rows = s
        .query(params![machine, key])
        .map_err(|e| db_err(e, what))?;
    match rows.next().map_err(|e| db_err(e, what))? {
        Some(row) => read_instance(row).map(Some),
        None => Ok(None),
    }
}

fn read_command(row: &Row<'_>, what: &dyn Fn() -> String) -> Result<CommandRecord> {
    from_json(row, 0, what)
}

pub(crate) fn commands(
    conn: &Connection,
    machine: &str,
    key: &str,
    from_seq: i64,
    limit: usize,
) -> Result<Vec<CommandRecord>> {
    let what = || format!("commands of {machine}/{key}");
    let mut s = conn
        .prepare_cached(
            "SELECT record FROM machine_commands WHERE machine = ?1 AND key = ?2 AND seq >= ?3 \
             ORDER BY seq LIMIT ?4",
        )
        .map_err(|e| db_err(e, what))?;
    let mut rows = s
        .query(params![machine, key, from_seq, limit_param(limit)])
        .map_err(|e| db_err(e, what))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| db_err(e, what))? {
        out.push(read_command(row, &what)?);
    }
    Ok(out)
}

pub(crate) fn command_by_id(
    conn: &Connection,
    machine: &str,
    key: &str,
    command_id: &str,
) -> Result<Option<CommandRecord>> {
    let what = || format!("command {command_id:?} of {machine}/{key}");
    let mut s = conn
        .prepare_cached(
            "SELECT record FROM machine_commands WHERE machine = ?1 AND key = ?2 \
             AND command_id = ?3",
        )
        .map_err(|e| db_err(e, what))?;
    let mut rows = s
        .query(params![machine, key, command_id])
        .map_err(|e| db_err(e, what))?;
    match rows.next().map_err(|e| db_err(e, what))? {
        Some(row) => read_command(row, &what).map(Some),
        None => Ok(None),
    }
}

fn sql_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// Most matches of a range condition a page sorts by key; a range with
/// more is read by walking the fields in key order (its matches are then
/// common enough that a page fills quickly).
const RANGE_SORT_MAX: usize = 2_000;

pub(crate) fn instance_candidates(
    conn: &Connection,
    machine: &str,
    probe: Option<&IndexProbe>,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Instance>> {
    let what = || format!("query of {machine}");
    let after = after.unwrap_or("");
    let limit = limit_param(limit);
    let cols = "i.machine, i.key, i.state, i.version, i.next_seq, i.finished, i.created_at, \
                i.updated_at";
    let mut out = Vec::new();
    let mut push = |rows: &mut rusqlite::Rows<'_>| -> Result<()> {
        while let Some(row) = rows.next().map_err(|e| db_err(e, what))? {
            out.push(read_instance(row)?.instance);
        }
        Ok(())
    };
    let Some(p) = probe else {
        let mut s = conn
            .prepare_cached(&format!(
                "SELECT {cols} FROM machine_instances i WHERE i.machine = ?1 AND i.key > ?2 \
                 ORDER BY i.key LIMIT ?3"
            ))
            .map_err(|e| db_err(e, what))?;
        let mut rows = s
            .query(params![machine, after, limit])
            .map_err(|e| db_err(e, what))?;
        push(&mut rows)?;
        return Ok(out);
    };
    let (kind, num, text) = index_value(&p.value);
    let (column, value): (&str, rusqlite::types::Value) = match (num, text) {
        (Some(n), _) => ("num", n.into()),
        (_, Some(t)) => ("text", t.to_string().into()),
        _ => {
            return Err(corrupt(what(), "an index probe without a scalar value"));
        }
    };
    let op = sql_op(p.op);
    let by_value = format!("machine_fields_{column}");
    // An equality's matches come out of the value index in key order. A
    // range's do not: they must be sorted, which costs the range's size on
    // every page, while walking the fields in key order costs the
    // instances read until a page is full. SQLite's planner cannot tell
    // which range is narrow, so count up to RANGE_SORT_MAX matches first
    // (a bounded index read) and take the cheaper way.
    let index = if p.op == CmpOp::Eq {
        by_value.as_str()
    } else {
        let mut count = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM machine_fields INDEXED BY {by_value} \
                 WHERE machine = ?1 AND path = ?2 AND kind = ?3 AND {column} {op} ?4 \
                 AND key > ?5 LIMIT ?6)"
            ))
            .map_err(|e| db_err(e, what))?;
        let narrow: i64 = count
            .query_row(
                params![
                    machine,
                    p.path,
                    kind,
                    value.clone(),
                    after,
                    RANGE_SORT_MAX as i64
                ],
                |r| r.get(0),
            )
            .map_err(|e| db_err(e, what))?;
        if (narrow as usize) < RANGE_SORT_MAX {
            by_value.as_str()
        } else {
            "machine_fields_of"
        }
    };
    // The probe's matches and the unindexed instances, merged in key order.
    let sql = format!(
        "SELECT {cols} FROM (\
            SELECT key FROM machine_fields INDEXED BY {index} \
                WHERE machine = ?1 AND path = ?4 AND kind = ?5 \
                AND {column} {op} ?6 AND key > ?2 \
            UNION ALL \
            SELECT key FROM machine_instances WHERE machine = ?1 AND indexed = 0 AND key > ?2 \
            ORDER BY key LIMIT ?3\
         ) c JOIN machine_instances i ON i.machine = ?1 AND i.key = c.key ORDER BY i.key"
    );
    let mut s = conn.prepare_cached(&sql).map_err(|e| db_err(e, what))?;
    let mut rows = s
        .query(params![machine, after, limit, p.path, kind, value])
        .map_err(|e| db_err(e, what))?;
    push(&mut rows)?;
    Ok(out)
}

pub(crate) fn instances_with_open_commands(
    conn: &Connection,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let err = |e| db_err(e, || "instances with open commands".into());
    let mut s = conn
        .prepare_cached(
            "SELECT machine, key FROM machine_instances WHERE next_seq > finished + 1 \
             ORDER BY machine, key LIMIT ?1",
        )
        .map_err(err)?;
    let rows = s
        .query_map([limit_param(limit)], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(err)
}

pub(crate) fn events(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<StoredMachineEvent>> {
    let err = |e| db_err(e, || "machine events".into());
    let mut s = conn
        .prepare_cached("SELECT id, event FROM machine_events WHERE id > ?1 ORDER BY id LIMIT ?2")
        .map_err(err)?;
    let mut rows = s.query(params![after, limit_param(limit)]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        let id: i64 = row.get(0).map_err(err)?;
        out.push(StoredMachineEvent {
            id,
            event: from_json(row, 1, &|| format!("machine event {id}"))?,
        });
    }
    Ok(out)
}

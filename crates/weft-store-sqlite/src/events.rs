//! Events in SQLite (see `weft_store::events` for the model, migration 6
//! in [`crate::schema`] for the table).
//!
//! An event is one row keyed by its id, so offering a taken id again is a
//! primary-key conflict that rolls back the batch with the runs its
//! triggers would have started.

use rusqlite::{params, Connection, Row, Transaction};
use weft_store::{EventStartsWrite, EventWrite, IncomingEvent, Result, StoreError, StoredEvent};

use crate::{db_err, from_json, limit_param, opt_json, to_json};

const COLUMNS: &str = "seq, id, type, subject, data, source, received_at, starts";

/// [`COLUMNS`] with the data left unread (JSON `null` in its place).
const COLUMNS_WITHOUT_DATA: &str = "seq, id, type, subject, 'null', source, received_at, starts";

/// Stores the events of one run write, inside the batch's transaction.
pub(crate) fn apply(tx: &Transaction<'_>, events: &[EventWrite]) -> Result<()> {
    for e in events {
        let ev = &e.event;
        tx.prepare_cached(
            "INSERT INTO events (id, type, subject, data, source, received_at, starts) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                ev.id,
                ev.kind,
                ev.subject,
                to_json(&ev.data),
                ev.source,
                e.received_at,
                to_json(&e.starts),
            ])
        })
        .map_err(|err| db_err(err, || format!("commit: event {:?}", ev.id)))?;
    }
    Ok(())
}

/// Writes stored events' starts again (a re-drive), inside the batch's
/// transaction; an event that is not stored refuses the batch.
pub(crate) fn apply_starts(tx: &Transaction<'_>, updates: &[EventStartsWrite]) -> Result<()> {
    for u in updates {
        let n = tx
            .prepare_cached("UPDATE events SET starts = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![u.id, to_json(&u.starts)]))
            .map_err(|err| db_err(err, || format!("commit: starts of event {:?}", u.id)))?;
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "event {:?} is not stored: its starts cannot be written",
                u.id
            )));
        }
    }
    Ok(())
}

fn read(row: &Row<'_>) -> Result<StoredEvent> {
    let seq: i64 = row.get(0).map_err(|e| db_err(e, || "event".into()))?;
    let what = || format!("event #{seq}");
    let get = |e| db_err(e, what);
    Ok(StoredEvent {
        seq,
        event: IncomingEvent {
            id: row.get(1).map_err(get)?,
            kind: row.get(2).map_err(get)?,
            subject: row.get(3).map_err(get)?,
            data: from_json(row, 4, &what)?,
            source: row.get(5).map_err(get)?,
        },
        received_at: row.get(6).map_err(get)?,
        starts: opt_json(row, 7, &what)?.unwrap_or_default(),
    })
}

/// Of `ids`, those taken.
pub(crate) fn taken(conn: &Connection, ids: &[String]) -> Result<Vec<String>> {
    let err = |e| db_err(e, || "taken event ids".into());
    let mut s = conn
        .prepare_cached("SELECT 1 FROM events WHERE id = ?1")
        .map_err(err)?;
    let mut out = Vec::new();
    for id in ids {
        if s.exists([id]).map_err(err)? {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// Newest first, numbered before `before`.
pub(crate) fn list(
    conn: &Connection,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<StoredEvent>> {
    list_columns(conn, COLUMNS, before, limit)
}

/// As [`list`], without the events' data.
pub(crate) fn list_without_data(
    conn: &Connection,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<StoredEvent>> {
    list_columns(conn, COLUMNS_WITHOUT_DATA, before, limit)
}

fn list_columns(
    conn: &Connection,
    columns: &str,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<StoredEvent>> {
    let err = |e| db_err(e, || "events".into());
    let mut s = conn
        .prepare_cached(&format!(
            "SELECT {columns} FROM events WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2"
        ))
        .map_err(err)?;
    let mut rows = s
        .query(params![before.unwrap_or(i64::MAX), limit_param(limit)])
        .map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// The event with this id.
pub(crate) fn by_id(conn: &Connection, id: &str) -> Result<Option<StoredEvent>> {
    let err = |e| db_err(e, || format!("event {id:?}"));
    let mut s = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE id = ?1"))
        .map_err(err)?;
    let mut rows = s.query([id]).map_err(err)?;
    match rows.next().map_err(err)? {
        Some(row) => read(row).map(Some),
        None => Ok(None),
    }
}

/// Writes schedules' rows inside the batch's transaction, each only over
/// the revision it names (see `weft_store::schedules`).
pub(crate) fn apply_schedules(
    tx: &Transaction<'_>,
    writes: &[weft_store::ScheduleWrite],
) -> Result<()> {
    for w in writes {
        let name = &w.row.name;
        let what = || format!("commit: schedule {name:?}");
        let current: Option<i64> = tx
            .prepare_cached("SELECT revision FROM schedules WHERE name = ?1")
            .and_then(|mut s| {
                use rusqlite::OptionalExtension;
                s.query_row([name], |r| r.get(0)).optional()
            })
            .map_err(|e| db_err(e, what))?;
        let current = current.unwrap_or(0);
        if current != w.expect_revision {
            return Err(weft_store::StoreError::Conflict(format!(
                "schedule {name:?} is at revision {current}, not {}: another write moved it",
                w.expect_revision
            )));
        }
        tx.prepare_cached(
            "INSERT INTO schedules (name, revision, row) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, row = excluded.row",
        )
        .and_then(|mut s| s.execute(params![name, w.row.revision, to_json(&w.row)]))
        .map_err(|e| db_err(e, what))?;
    }
    Ok(())
}

/// Every schedule, by name.
pub(crate) fn schedules(conn: &Connection) -> Result<Vec<weft_store::ScheduleRow>> {
    let err = |e| db_err(e, || "schedules".into());
    let mut s = conn
        .prepare_cached("SELECT name, row FROM schedules ORDER BY name")
        .map_err(err)?;
    let mut rows = s.query([]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        let name: String = row.get(0).map_err(err)?;
        out.push(from_json(row, 1, &|| format!("schedule {name:?}"))?);
    }
    Ok(out)
}

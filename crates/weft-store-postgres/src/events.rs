//! Events in PostgreSQL (see `weft_store::events` for the model, migration
//! 7 in [`crate::schema`] for the table).
//!
//! A batch's events are one multi-row insert in the commit's pipeline. The
//! id is the primary key: an id another node took first is a unique
//! violation, a conflict that rolls back the batch with the runs its
//! triggers would have started.

use tokio_postgres::Row;
use weft_store::{Batch, IncomingEvent, Result, StoredEvent};

use crate::to_json;

/// The events of a batch, as statement parameters.
#[derive(Default, Hash)]
pub(crate) struct EventPlan<'a> {
    pub id: Vec<&'a str>,
    pub kind: Vec<&'a str>,
    pub subject: Vec<Option<&'a str>>,
    pub data: Vec<String>,
    pub source: Vec<Option<&'a str>>,
    pub received_at: Vec<i64>,
    pub starts: Vec<String>,
    /// Stored events whose starts are written again: id, starts as JSON.
    pub restart_id: Vec<&'a str>,
    pub restart_starts: Vec<String>,
    /// Schedules' rows: name, new revision (one more than the stored
    /// one's, or 1 for a new row), the row as JSON.
    pub schedule_name: Vec<&'a str>,
    pub schedule_revision: Vec<i64>,
    pub schedule_row: Vec<String>,
}

impl<'a> EventPlan<'a> {
    /// The events of `batch`, in its order.
    pub fn build(batch: &'a Batch) -> EventPlan<'a> {
        let mut plan = EventPlan::default();
        for e in batch.writes.iter().flat_map(|w| &w.events) {
            plan.id.push(&e.event.id);
            plan.kind.push(&e.event.kind);
            plan.subject.push(e.event.subject.as_deref());
            plan.data.push(to_json(&e.event.data));
            plan.source.push(e.event.source.as_deref());
            plan.received_at.push(e.received_at);
            plan.starts.push(to_json(&e.starts));
        }
        for u in batch.writes.iter().flat_map(|w| &w.event_starts) {
            plan.restart_id.push(&u.id);
            plan.restart_starts.push(to_json(&u.starts));
        }
        for w in batch.writes.iter().flat_map(|w| &w.schedules) {
            plan.schedule_name.push(&w.row.name);
            plan.schedule_revision.push(w.expect_revision + 1);
            let mut row = w.row.clone();
            row.revision = w.expect_revision + 1;
            plan.schedule_row.push(to_json(&row));
        }
        plan
    }

    /// True when the batch takes no event and writes no schedule.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.schedule_name.is_empty() && self.restart_id.is_empty()
    }

    /// The events whose starts the update did not find (see
    /// [`UPDATE_STARTS`]).
    pub fn missing_events(&self, written: &[Row]) -> Vec<String> {
        let done: std::collections::HashSet<String> =
            written.iter().filter_map(|r| r.try_get(0).ok()).collect();
        self.restart_id
            .iter()
            .filter(|id| !done.contains(**id))
            .map(|id| format!("event {id:?} is not stored: its starts cannot be written"))
            .collect()
    }

    /// The schedules a batch's upsert did not write (see
    /// [`UPSERT_SCHEDULES`]): each moved since the revision its write
    /// names.
    pub fn stale_schedules(&self, written: &[Row]) -> Vec<String> {
        let done: std::collections::HashSet<String> =
            written.iter().filter_map(|r| r.try_get(0).ok()).collect();
        self.schedule_name
            .iter()
            .filter(|n| !done.contains(**n))
            .map(|n| format!("schedule {n:?} moved since the revision this write was made from"))
            .collect()
    }
}

/// Inserts a batch's events in its order.
pub(crate) const INSERT_EVENTS: &str = "
INSERT INTO events (id, type, subject, data, source, received_at, starts)
SELECT id, kind, subject, data::json, source, received_at, starts::json
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
     WITH ORDINALITY AS v(id, kind, subject, data, source, received_at, starts, n)
ORDER BY n";

/// Writes stored events' starts again (a re-drive); returns the ids
/// found.
pub(crate) const UPDATE_STARTS: &str = "
UPDATE events e SET starts = v.starts::json
FROM unnest($1::text[], $2::text[]) AS v(id, starts)
WHERE e.id = v.id
RETURNING e.id";

/// Writes schedules' rows, each only over the revision before its own (a
/// new row only where there is none); returns the names written. The
/// conflict's `WHERE` is evaluated on the row as the latest commit left
/// it (the upsert locks it), so two nodes writing one revision cannot
/// both succeed.
pub(crate) const UPSERT_SCHEDULES: &str = "
INSERT INTO schedules AS s (name, revision, row)
SELECT name, revision, row::json
FROM unnest($1::text[], $2::bigint[], $3::text[]) AS v(name, revision, row)
ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, row = excluded.row
WHERE s.revision = excluded.revision - 1
RETURNING name";

/// Every schedule, by name.
pub(crate) const SCHEDULES: &str = "SELECT name, row::text FROM schedules ORDER BY name";

const COLUMNS: &str = "seq, id, type, subject, data::text, source, received_at, starts::text";

/// Of `$1`, the ids taken.
pub(crate) const TAKEN: &str = "SELECT id FROM events WHERE id = ANY($1::text[])";

/// Newest first, numbered before `$1`, at most `$2`.
pub(crate) fn list_sql() -> String {
    format!("SELECT {COLUMNS} FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT $2")
}

/// As [`list_sql`], the data left unread (JSON `null` in its place).
pub(crate) fn list_without_data_sql() -> String {
    "SELECT seq, id, type, subject, 'null', source, received_at, starts::text \
     FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT $2"
        .to_string()
}

/// The event `$1`.
pub(crate) fn by_id_sql() -> String {
    format!("SELECT {COLUMNS} FROM events WHERE id = $1")
}

/// Reads a row of [`COLUMNS`].
pub(crate) fn read(row: &Row) -> Result<StoredEvent> {
    let seq: i64 = crate::get(row, 0, &|| "event".into())?;
    let what = || format!("event #{seq}");
    Ok(StoredEvent {
        seq,
        event: IncomingEvent {
            id: crate::get(row, 1, &what)?,
            kind: crate::get(row, 2, &what)?,
            subject: crate::get(row, 3, &what)?,
            data: crate::from_json(row, 4, &what)?,
            source: crate::get(row, 5, &what)?,
        },
        received_at: crate::get(row, 6, &what)?,
        starts: crate::from_json(row, 7, &what)?,
    })
}

//! Finding runs, counting them, and the audit log.
//!
//! A list's conditions become one `WHERE`: the plain ones use the runs'
//! indexes (status, flow, parent, creation time, the top-level runs, the
//! idempotency keys' table), and the parts of `q` that
//! [`weft_store::search::translate`] writes use SQLite's JSON functions.
//! What it cannot write is evaluated in Rust over the rows the `WHERE`
//! returns, reading at most `scan_max` of them.
//!
//! Counts per flow and status live in `run_counts`, changed in the
//! transaction of every write that creates a run or changes its status or
//! flow ([`Counts`]), so reading them costs the same at any number of
//! runs. The total of a list narrowed only by status and flow comes from
//! there; any other total is a `COUNT(*)` with the list's `WHERE`.

use std::collections::HashMap;

use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, Transaction};
use weft_engine::state::Status;
use weft_store::audit::AUDIT_RUNS_LISTED_MAX;
use weft_store::search::{self, Dialect, SqlParam, Step};
use weft_store::{
    AuditEntry, AuditQuery, NewAudit, Result, RunCount, RunPage, RunQuery, Sort, StoreError,
};

use crate::{corrupt, db_err, read_record, RECORD_COLUMNS, RECORD_FROM};

/// SQLite's spelling of a search condition: numbered parameters (`?N`),
/// so that their order in the text does not matter.
#[derive(Default)]
struct Sqlite {
    params: Vec<Sql>,
}

impl Sqlite {
    fn push(&mut self, v: Sql) -> String {
        self.params.push(v);
        format!("?{}", self.params.len())
    }
}

/// A column as SQL reads it: `waiting` may be stored in the compact form
/// (schema version 9) or in the snapshot (13), so SQL reads it as JSON
/// text through [`crate::WAITING_SQL`]; `status` is stored as a code (14)
/// and compared by its name.
fn column_sql(col: &str) -> &str {
    match col {
        "waiting" => crate::WAITING_SQL,
        "status" => crate::status::NAME_SQL,
        _ => col,
    }
}

impl Dialect for Sqlite {
    fn param(&mut self, p: SqlParam) -> String {
        self.push(match p {
            SqlParam::Text(s) => Sql::Text(s),
            SqlParam::Float(f) => Sql::Real(f),
            SqlParam::Path(steps) => Sql::Text(search::sqlite_path(&steps)),
        })
    }

    fn json_kind(&mut self, col: &str, path: &[Step]) -> String {
        let col = column_sql(col);
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!(
            "(CASE json_type({col}, {p}) WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' \
             WHEN 'real' THEN 'number' WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
             WHEN 'array' THEN 'array' WHEN 'object' THEN 'object' ELSE 'null' END)"
        )
    }

    fn json_string(&mut self, col: &str, path: &[Step]) -> String {
        let col = column_sql(col);
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("json_extract({col}, {p})")
    }

    fn json_number(&mut self, col: &str, path: &[Step]) -> String {
        let col = column_sql(col);
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("json_extract({col}, {p})")
    }

    fn json_text(&mut self, col: &str, path: &[Step]) -> String {
        let col = column_sql(col);
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("({col} -> {p})")
    }

    fn number_column(&mut self, col: &str) -> String {
        col.to_string()
    }

    fn column(&mut self, col: &str) -> String {
        column_sql(col).to_string()
    }

    fn text_column(&mut self, col: &str) -> String {
        format!("CAST({} AS TEXT)", column_sql(col))
    }

    fn contains(&mut self, hay: &str, needle: &str) -> String {
        // SQLite's lower() folds ASCII letters only, as `q` means.
        format!("(instr(lower({hay}), lower({needle})) > 0)")
    }

    fn text_cmp(&mut self, a: &str, op: &str, b: &str) -> String {
        // The BINARY collation: byte order.
        format!("({a} {op} {b})")
    }

    fn bool(&self, b: bool) -> &'static str {
        if b {
            "1"
        } else {
            "0"
        }
    }
}

/// The `WHERE` of a list (without its cursor) and what is left for Rust.
struct Plan {
    dialect: Sqlite,
    conds: Vec<String>,
    residual: Option<weft_store::Filter>,
}

fn plan(q: &RunQuery) -> Plan {
    let mut d = Sqlite::default();
    let mut conds = Vec::new();
    if let Some(s) = q.status {
        let p = d.push(Sql::Integer(crate::status::code(s)));
        conds.push(format!("status = {p}"));
    }
    if let Some(f) = &q.flow {
        let p = d.push(Sql::Text(f.clone()));
        conds.push(format!("flow = {p}"));
    }
    if let Some(par) = &q.parent {
        let p = d.push(Sql::Text(par.clone()));
        conds.push(format!("parent = {p}"));
    }
    if q.top_level {
        conds.push("parent IS NULL".into());
    }
    if let Some(prefix) = &q.id_prefix {
        // A range of the primary key, then the exact test (a prefix may
        // end in any character).
        let lo = d.push(Sql::Text(prefix.clone()));
        let hi = d.push(Sql::Text(format!("{prefix}\u{10FFFF}")));
        conds.push(format!(
            "id >= {lo} AND id < {hi} AND substr(id, 1, length({lo})) = {lo}"
        ));
    }
    if let Some(v) = q.version {
        let p = d.push(Sql::Integer(v));
        conds.push(format!("version = {p}"));
    }
    let mut range = |col: &str, r: &weft_store::TimeRange, d: &mut Sqlite| {
        if let Some(f) = r.from {
            let p = d.push(Sql::Integer(f));
            conds.push(format!("{col} >= {p}"));
        }
        if let Some(u) = r.until {
            let p = d.push(Sql::Integer(u));
            conds.push(format!("{col} < {p}"));
        }
    };
    range("created_at", &q.created, &mut d);
    range("updated_at", &q.updated, &mut d);
    if !q.finished.is_open() {
        range("updated_at", &q.finished, &mut d);
        conds.push(format!("status IN {}", crate::status::terminal_sql()));
    }
    if let Some(k) = &q.idempotency_key {
        let p = d.push(Sql::Text(k.clone()));
        conds.push(format!(
            "id IN (SELECT run_id FROM idempotency_keys WHERE key = {p}) AND idempotency_key = {p}"
        ));
    }
    let mut residual = Vec::new();
    if let Some(f) = &q.filter {
        for c in f.conjuncts() {
            match search::translate(c, &mut d) {
                Some(sql) => conds.push(sql),
                None => residual.push(c.clone()),
            }
        }
    }
    let residual = match residual.len() {
        0 => None,
        1 => residual.pop(),
        _ => Some(weft_store::Filter::And(residual)),
    };
    Plan {
        dialect: d,
        conds,
        residual,
    }
}

fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    }
}

fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::CreatedDesc => " ORDER BY id DESC",
        Sort::CreatedAsc => " ORDER BY id",
        Sort::UpdatedDesc => " ORDER BY updated_at DESC, id DESC",
        Sort::UpdatedAsc => " ORDER BY updated_at, id",
    }
}

/// The condition that a row comes after the cursor, in the list's order.
fn after_cursor(q: &RunQuery, d: &mut Sqlite) -> Result<Option<String>> {
    let Some(c) = &q.cursor else { return Ok(None) };
    let (t, id) = q.sort.parse_cursor(c).ok_or_else(|| {
        StoreError::Conflict(format!(
            "`{c}` is not a cursor of the order {}",
            q.sort.as_str()
        ))
    })?;
    let op = if q.sort.descending() { "<" } else { ">" };
    let id = d.push(Sql::Text(id));
    Ok(Some(match t {
        Some(t) => {
            let t = d.push(Sql::Integer(t));
            format!("(updated_at, id) {op} ({t}, {id})")
        }
        None => format!("id {op} {id}"),
    }))
}

/// Lists runs: see the module documentation.
pub(crate) fn list_runs(conn: &Connection, q: &RunQuery) -> Result<RunPage> {
    let err = |e| db_err(e, || "list runs".into());
    let limit = q.limit.max(1);
    let Plan {
        dialect,
        conds,
        residual,
    } = plan(q);
    let base_params = dialect.params.clone();
    let mut page = RunPage {
        exact: true,
        ..RunPage::default()
    };
    // The page.
    let mut d = dialect;
    let mut page_conds = conds.clone();
    if let Some(c) = after_cursor(q, &mut d)? {
        page_conds.push(c);
    }
    let mut sql = format!(
        "SELECT {RECORD_COLUMNS} FROM {RECORD_FROM}{}{}",
        where_clause(&page_conds),
        order_by(q.sort)
    );
    if residual.is_none() {
        // One row more than asked tells whether there is a next page.
        let p = d.push(Sql::Integer(limit as i64 + 1));
        sql.push_str(&format!(" LIMIT {p}"));
    }
    let mut s = conn.prepare(&sql).map_err(err)?;
    let mut rows = s
        .query(rusqlite::params_from_iter(d.params.iter()))
        .map_err(err)?;
    let mut scanned = 0u64;
    while let Some(row) = rows.next().map_err(err)? {
        let rec = read_record(row)?;
        if let Some(f) = &residual {
            if q.scan_max > 0 && scanned == q.scan_max as u64 {
                page.exact = false;
                break;
            }
            scanned += 1;
            if !f.matches(&rec) {
                continue;
            }
        }
        if page.runs.len() == limit {
            page.next_cursor = page.runs.last().map(|r| q.sort.cursor_of(r));
            break;
        }
        page.runs.push(rec);
    }
    drop(rows);
    drop(s);
    if !q.count {
        page.scanned = scanned;
        return Ok(page);
    }
    // The total, over the whole list (not from the cursor).
    let where_ = where_clause(&conds);
    let total = match &residual {
        None if q.counted_by_counters() => counted(conn, q)?,
        None => conn
            .prepare(&format!("SELECT COUNT(*) FROM {RECORD_FROM}{where_}"))
            .and_then(|mut s| {
                s.query_row(rusqlite::params_from_iter(base_params.iter()), |r| {
                    r.get::<_, i64>(0)
                })
            })
            .map_err(err)? as u64,
        Some(f) => {
            let mut s = conn
                .prepare(&format!(
                    "SELECT {RECORD_COLUMNS} FROM {RECORD_FROM}{where_}{}",
                    order_by(q.sort)
                ))
                .map_err(err)?;
            let mut rows = s
                .query(rusqlite::params_from_iter(base_params.iter()))
                .map_err(err)?;
            let mut n = 0u64;
            let mut read = 0u64;
            while let Some(row) = rows.next().map_err(err)? {
                if q.scan_max > 0 && read == q.scan_max as u64 {
                    page.exact = false;
                    break;
                }
                read += 1;
                if f.matches(&read_record(row)?) {
                    n += 1;
                }
            }
            scanned = scanned.max(read);
            n
        }
    };
    page.scanned = scanned;
    page.total = Some(total);
    Ok(page)
}

/// The total of a list narrowed by status and flow only, from the
/// counters.
fn counted(conn: &Connection, q: &RunQuery) -> Result<u64> {
    Ok(run_counts(conn)?
        .into_iter()
        .filter(|c| q.status.is_none_or(|s| s == c.status))
        .filter(|c| q.flow.as_ref().is_none_or(|f| *f == c.flow))
        .map(|c| c.runs)
        .sum())
}

/// Every count, by flow then status.
pub(crate) fn run_counts(conn: &Connection) -> Result<Vec<RunCount>> {
    let err = |e| db_err(e, || "run counts".into());
    let mut s = conn
        .prepare_cached("SELECT flow, status, runs FROM run_counts WHERE runs > 0 ORDER BY flow")
        .map_err(err)?;
    let mut rows = s.query([]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        let status: String = row.get(1).map_err(err)?;
        let runs: i64 = row.get(2).map_err(err)?;
        out.push(RunCount {
            flow: row.get(0).map_err(err)?,
            status: Status::parse(&status)
                .ok_or_else(|| corrupt("run_counts", format_args!("unknown status {status:?}")))?,
            runs: u64::try_from(runs)
                .map_err(|_| corrupt("run_counts", format_args!("a count of {runs}")))?,
        });
    }
    // By flow, then in the statuses' order.
    out.sort_by_key(|c| {
        (
            c.flow.clone(),
            Status::ALL.iter().position(|s| *s == c.status),
        )
    });
    Ok(out)
}

/// Changes to `run_counts` gathered over a batch, written at its end.
#[derive(Default)]
pub(crate) struct Counts {
    delta: HashMap<(String, &'static str), i64>,
}

impl Counts {
    /// A run now counts under `(flow, status)`.
    pub fn add(&mut self, flow: &str, status: &'static str) {
        *self.delta.entry((flow.to_string(), status)).or_default() += 1;
    }

    /// A run no longer counts under `(flow, status)`.
    pub fn remove(&mut self, flow: &str, status: &str) {
        let status = Status::parse(status).map_or("unknown", |s| s.as_str());
        *self.delta.entry((flow.to_string(), status)).or_default() -= 1;
    }

    /// Writes the changes inside the batch's transaction.
    pub fn write(self, tx: &Transaction<'_>) -> Result<()> {
        let err = |e| db_err(e, || "commit: run counts".into());
        let mut s = tx
            .prepare_cached(
                "INSERT INTO run_counts (flow, status, runs) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (flow, status) DO UPDATE SET runs = runs + excluded.runs",
            )
            .map_err(err)?;
        for ((flow, status), n) in self.delta {
            if n != 0 {
                s.execute(params![flow, status, n]).map_err(err)?;
            }
        }
        Ok(())
    }
}

/// Records an action; returns its id.
pub(crate) fn audit_begin(conn: &Connection, e: &NewAudit) -> Result<i64> {
    let err = |e| db_err(e, || "audit: recording an action".into());
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, action, detail, matched) VALUES (?1, ?2, ?3, ?4, ?5) \
         RETURNING id",
    )
    .and_then(|mut s| {
        s.query_row(
            params![
                e.at,
                e.actor,
                e.action,
                e.detail.to_string(),
                e.matched as i64
            ],
            |r| r.get(0),
        )
    })
    .map_err(err)
}

/// Adds runs to an action's record, in one transaction.
pub(crate) fn audit_progress(
    conn: &mut Connection,
    id: i64,
    applied: &[String],
    failed: &[(String, String)],
    done: Option<i64>,
) -> Result<()> {
    let err = |e| db_err(e, || format!("audit: progress of action {id}"));
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let changed = tx
        .prepare_cached(
            "UPDATE audit SET applied = applied + ?2, failed = failed + ?3, \
             done_at = COALESCE(?4, done_at) WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id, applied.len() as i64, failed.len() as i64, done]))
        .map_err(err)?;
    if changed == 0 {
        return Err(StoreError::Conflict(format!("no audit entry {id}")));
    }
    {
        let mut s = tx
            .prepare_cached(
                "INSERT INTO audit_runs (audit_id, run_id, failure) VALUES (?1, ?2, ?3)",
            )
            .map_err(err)?;
        for r in applied {
            s.execute(params![id, r, Option::<&str>::None])
                .map_err(err)?;
        }
        for (r, why) in failed {
            s.execute(params![id, r, why]).map_err(err)?;
        }
    }
    tx.commit().map_err(err)
}

const AUDIT_COLUMNS: &str = "id, at, actor, action, detail, matched, applied, failed, done_at";

fn read_audit(row: &rusqlite::Row<'_>) -> Result<AuditEntry> {
    let err = |e| db_err(e, || "audit".into());
    let detail: String = row.get(4).map_err(err)?;
    let n = |i: usize| -> Result<u64> { Ok(row.get::<_, i64>(i).map_err(err)?.max(0) as u64) };
    Ok(AuditEntry {
        id: row.get(0).map_err(err)?,
        at: row.get(1).map_err(err)?,
        actor: row.get(2).map_err(err)?,
        action: row.get(3).map_err(err)?,
        detail: serde_json::from_str(&detail).map_err(|e| corrupt("audit detail", e))?,
        matched: n(5)?,
        applied: n(6)?,
        failed: n(7)?,
        done_at: row.get(8).map_err(err)?,
        runs: Vec::new(),
        failures: Vec::new(),
    })
}

/// Actions, newest first.
pub(crate) fn audit(conn: &Connection, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let err = |e| db_err(e, || "audit".into());
    let mut d = Sqlite::default();
    let mut conds = Vec::new();
    if let Some(b) = q.before {
        let p = d.push(Sql::Integer(b));
        conds.push(format!("id < {p}"));
    }
    if let Some(r) = &q.run {
        let p = d.push(Sql::Text(r.clone()));
        conds.push(format!(
            "id IN (SELECT audit_id FROM audit_runs WHERE run_id = {p})"
        ));
    }
    let lim = d.push(Sql::Integer(q.limit.max(1) as i64));
    let sql = format!(
        "SELECT {AUDIT_COLUMNS} FROM audit{} ORDER BY id DESC LIMIT {lim}",
        where_clause(&conds)
    );
    let mut s = conn.prepare(&sql).map_err(err)?;
    let mut rows = s
        .query(rusqlite::params_from_iter(d.params.iter()))
        .map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        out.push(read_audit(row)?);
    }
    Ok(out)
}

/// One action with its runs.
pub(crate) fn audit_entry(conn: &Connection, id: i64) -> Result<Option<AuditEntry>> {
    let err = |e| db_err(e, || format!("audit entry {id}"));
    let mut s = conn
        .prepare_cached(&format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE id = ?1"))
        .map_err(err)?;
    let mut rows = s.query([id]).map_err(err)?;
    let Some(row) = rows.next().map_err(err)? else {
        return Ok(None);
    };
    let mut e = read_audit(row)?;
    for failed in [false, true] {
        let which = if failed { "NOT NULL" } else { "NULL" };
        let mut s = conn
            .prepare_cached(&format!(
                "SELECT run_id, failure FROM audit_runs WHERE audit_id = ?1 AND failure IS \
                 {which} ORDER BY rowid LIMIT ?2"
            ))
            .map_err(err)?;
        let mut rows = s
            .query(params![id, AUDIT_RUNS_LISTED_MAX as i64])
            .map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let run: String = row.get(0).map_err(err)?;
            match row.get::<_, Option<String>>(1).map_err(err)? {
                Some(why) => e.failures.push((run, why)),
                None => e.runs.push(run),
            }
        }
    }
    Ok(Some(e))
}

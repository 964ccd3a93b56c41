//! Finding runs, counting them, and the audit log.
//!
//! A list's conditions become one `WHERE`: the plain ones use the runs'
//! indexes (status, flow, parent, creation time, the top-level runs, the
//! idempotency keys' table), and the parts of `q` that
//! [`weft_store::search::translate`] writes use PostgreSQL's JSON
//! operators (`#>`, `#>>`, `json_typeof`). What it cannot write is
//! evaluated in Rust over at most `scan_max` rows of that `WHERE`.
//!
//! Counts per flow and status live in `run_counts`, changed by one
//! statement in each commit ([`COUNT_RUNS`]). Its rows are split by
//! **shard**, one per store handle, so that nodes committing at once do
//! not queue on the same counter rows; a count is the sum over the shards.

use tokio_postgres::types::ToSql;
use weft_engine::state::Status;
use weft_store::audit::AUDIT_RUNS_LISTED_MAX;
use weft_store::search::{self, Dialect, SqlParam, Step};
use weft_store::{
    AuditEntry, AuditQuery, NewAudit, Result, RunCount, RunPage, RunQuery, Sort, StoreError,
};

use crate::{corrupt, get, parse_status, read_record, PgStore, RECORD_COLUMNS, RECORD_FROM};

/// Applies a batch's changes to the counts, before the batch writes its
/// runs (it reads their status and flow as they were): +1 for each run's
/// new flow and status (`$2`, `$3`), -1 for the stored ones of the runs it
/// updates (`$4`), summed per flow and status into shard `$1`, in key
/// order (so two commits lock counter rows in the same order).
pub(crate) const COUNT_RUNS: &str = "
INSERT INTO run_counts AS c (shard, flow, status, runs)
SELECT $1::smallint, flow, status, SUM(d) FROM (
    SELECT n.flow, n.status, 1 AS d FROM unnest($2::text[], $3::text[]) AS n(flow, status)
    UNION ALL
    SELECT r.flow, r.status, -1 FROM runs r WHERE r.id = ANY($4::text[])
) x
GROUP BY flow, status HAVING SUM(d) <> 0
ORDER BY flow, status
ON CONFLICT (shard, flow, status) DO UPDATE SET runs = c.runs + excluded.runs";

/// Records which run each new fork came from.
pub(crate) const INSERT_FORKS: &str = "
INSERT INTO run_forks (id, forked_from)
SELECT * FROM unnest($1::text[], $2::text[])
ON CONFLICT (id) DO NOTHING";

/// A parameter of a query.
pub(crate) enum Param {
    Text(String),
    Float(f64),
    Int(i64),
    Texts(Vec<String>),
}

impl Param {
    fn sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Param::Text(s) => s,
            Param::Float(f) => f,
            Param::Int(i) => i,
            Param::Texts(t) => t,
        }
    }
}

/// PostgreSQL's spelling of a search condition.
#[derive(Default)]
struct Postgres {
    params: Vec<Param>,
}

impl Postgres {
    fn push(&mut self, p: Param) -> String {
        let cast = match &p {
            Param::Text(_) => "text",
            Param::Float(_) => "float8",
            Param::Int(_) => "bigint",
            Param::Texts(_) => "text[]",
        };
        self.params.push(p);
        format!("${}::{cast}", self.params.len())
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(Param::sql).collect()
    }
}

impl Dialect for Postgres {
    fn param(&mut self, p: SqlParam) -> String {
        self.push(match p {
            SqlParam::Text(s) => Param::Text(s),
            SqlParam::Float(f) => Param::Float(f),
            SqlParam::Path(steps) => Param::Texts(search::postgres_path(&steps)),
        })
    }

    fn json_kind(&mut self, col: &str, path: &[Step]) -> String {
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!(
            "(CASE json_typeof({col} #> {p}) WHEN 'string' THEN 'string' \
             WHEN 'number' THEN 'number' \
             WHEN 'boolean' THEN (CASE WHEN ({col} #>> {p}) = 'true' THEN 'true' ELSE 'false' END) \
             WHEN 'array' THEN 'array' WHEN 'object' THEN 'object' ELSE 'null' END)"
        )
    }

    fn json_string(&mut self, col: &str, path: &[Step]) -> String {
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("({col} #>> {p})")
    }

    fn json_number(&mut self, col: &str, path: &[Step]) -> String {
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("(({col} #>> {p})::float8)")
    }

    fn json_text(&mut self, col: &str, path: &[Step]) -> String {
        // `json` keeps the text as written, so this is the stored JSON.
        let p = self.param(SqlParam::Path(path.to_vec()));
        format!("(({col} #> {p})::text)")
    }

    fn number_column(&mut self, col: &str) -> String {
        format!("({col})::float8")
    }

    fn text_column(&mut self, col: &str) -> String {
        format!("({col})::text")
    }

    fn contains(&mut self, hay: &str, needle: &str) -> String {
        // lower() under the "C" collation folds ASCII letters only, as
        // `q` means.
        format!("(strpos(lower(({hay}) COLLATE \"C\"), lower(({needle}) COLLATE \"C\")) > 0)")
    }

    fn text_cmp(&mut self, a: &str, op: &str, b: &str) -> String {
        format!("(({a}) COLLATE \"C\" {op} ({b}) COLLATE \"C\")")
    }

    fn bool(&self, b: bool) -> &'static str {
        if b {
            "true"
        } else {
            "false"
        }
    }
}

struct Plan {
    dialect: Postgres,
    conds: Vec<String>,
    residual: Option<weft_store::Filter>,
}

fn plan(q: &RunQuery) -> Plan {
    let mut d = Postgres::default();
    let mut conds = Vec::new();
    if let Some(s) = q.status {
        let p = d.push(Param::Text(s.as_str().into()));
        conds.push(format!("status = {p}"));
    }
    if let Some(f) = &q.flow {
        let p = d.push(Param::Text(f.clone()));
        conds.push(format!("flow = {p}"));
    }
    if let Some(par) = &q.parent {
        let p = d.push(Param::Text(par.clone()));
        conds.push(format!("parent = {p}"));
    }
    if q.top_level {
        conds.push("parent IS NULL".into());
    }
    if let Some(prefix) = &q.id_prefix {
        let lo = d.push(Param::Text(prefix.clone()));
        let hi = d.push(Param::Text(format!("{prefix}\u{10FFFF}")));
        conds.push(format!(
            "id >= {lo} AND id < {hi} AND left(id, length({lo})) = {lo}"
        ));
    }
    if let Some(v) = q.version {
        let p = d.push(Param::Int(v));
        conds.push(format!("version = {p}"));
    }
    let mut range = |col: &str, r: &weft_store::TimeRange, d: &mut Postgres| {
        if let Some(f) = r.from {
            let p = d.push(Param::Int(f));
            conds.push(format!("{col} >= {p}"));
        }
        if let Some(u) = r.until {
            let p = d.push(Param::Int(u));
            conds.push(format!("{col} < {p}"));
        }
    };
    range("created_at", &q.created, &mut d);
    range("updated_at", &q.updated, &mut d);
    if !q.finished.is_open() {
        range("updated_at", &q.finished, &mut d);
        conds.push("status IN ('completed', 'cancelled')".into());
    }
    if let Some(k) = &q.idempotency_key {
        let p = d.push(Param::Text(k.clone()));
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

fn after_cursor(q: &RunQuery, d: &mut Postgres) -> Result<Option<String>> {
    let Some(c) = &q.cursor else { return Ok(None) };
    let (t, id) = q.sort.parse_cursor(c).ok_or_else(|| {
        StoreError::Conflict(format!(
            "`{c}` is not a cursor of the order {}",
            q.sort.as_str()
        ))
    })?;
    let op = if q.sort.descending() { "<" } else { ">" };
    let id = d.push(Param::Text(id));
    Ok(Some(match t {
        Some(t) => {
            let t = d.push(Param::Int(t));
            format!("(updated_at, id) {op} ({t}, {id})")
        }
        None => format!("id {op} {id}"),
    }))
}

impl PgStore {
    /// Lists runs: see the module documentation.
    pub(crate) fn search(&self, q: &RunQuery) -> Result<RunPage> {
        let what = || "list runs".to_string();
        let limit = q.limit.max(1);
        let Plan {
            dialect,
            conds,
            residual,
        } = plan(q);
        let count_conds = conds.clone();
        let mut d = dialect;
        let base_len = d.params.len();
        let mut page_conds = conds;
        if let Some(c) = after_cursor(q, &mut d)? {
            page_conds.push(c);
        }
        // Without a condition for Rust, one row more than the page tells
        // whether there is a next page; with one, at most `scan_max` rows
        // (and one more, to tell that there were more).
        let fetch = match (&residual, q.scan_max) {
            (None, _) => Some(limit as i64 + 1),
            (Some(_), 0) => None,
            (Some(_), n) => Some(n as i64 + 1),
        };
        let mut sql = format!(
            "SELECT {RECORD_COLUMNS} FROM {RECORD_FROM}{}{}",
            where_clause(&page_conds),
            order_by(q.sort)
        );
        if let Some(n) = fetch {
            let p = d.push(Param::Int(n));
            sql.push_str(&format!(" LIMIT {p}"));
        }
        let rows = self.query(&what, &sql, &d.refs())?;
        let mut page = RunPage {
            exact: true,
            ..RunPage::default()
        };
        let mut scanned = 0u64;
        for row in &rows {
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
        if q.count {
            d.params.truncate(base_len);
            let where_ = where_clause(&count_conds);
            let total = match &residual {
                None if q.counted_by_counters() => self.counted(q)?,
                None => {
                    let rows = self.query(
                        &what,
                        &format!("SELECT COUNT(*) FROM {RECORD_FROM}{where_}"),
                        &d.refs(),
                    )?;
                    let n: i64 = get(&rows[0], 0, &what)?;
                    n.max(0) as u64
                }
                Some(f) => {
                    let mut sql = format!(
                        "SELECT {RECORD_COLUMNS} FROM {RECORD_FROM}{where_}{}",
                        order_by(q.sort)
                    );
                    if q.scan_max > 0 {
                        let p = d.push(Param::Int(q.scan_max as i64 + 1));
                        sql.push_str(&format!(" LIMIT {p}"));
                    }
                    let rows = self.query(&what, &sql, &d.refs())?;
                    let mut n = 0u64;
                    let mut read = 0u64;
                    for row in &rows {
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
            page.total = Some(total);
        }
        page.scanned = scanned;
        Ok(page)
    }

    fn counted(&self, q: &RunQuery) -> Result<u64> {
        Ok(self
            .counts()?
            .into_iter()
            .filter(|c| q.status.is_none_or(|s| s == c.status))
            .filter(|c| q.flow.as_ref().is_none_or(|f| *f == c.flow))
            .map(|c| c.runs)
            .sum())
    }

    /// Every count, by flow then status (the sum of the shards).
    pub(crate) fn counts(&self) -> Result<Vec<RunCount>> {
        let what = || "run counts".to_string();
        let rows = self.query(
            &what,
            "SELECT flow, status, SUM(runs)::bigint FROM run_counts GROUP BY flow, status \
             HAVING SUM(runs) > 0",
            &[],
        )?;
        let mut out = Vec::new();
        for row in &rows {
            let status: &str = get(row, 1, &what)?;
            let runs: i64 = get(row, 2, &what)?;
            out.push(RunCount {
                flow: get(row, 0, &what)?,
                status: parse_status(status, &|| "run_counts".into())?,
                runs: u64::try_from(runs)
                    .map_err(|_| corrupt("run_counts", format_args!("a count of {runs}")))?,
            });
        }
        out.sort_by_key(|c| {
            (
                c.flow.clone(),
                Status::ALL.iter().position(|s| *s == c.status),
            )
        });
        Ok(out)
    }

    pub(crate) fn audit_begin_(&self, e: &NewAudit) -> Result<i64> {
        let what = || "audit: recording an action".to_string();
        let matched = e.matched as i64;
        let detail = e.detail.to_string();
        let rows = self.query_once(
            &what,
            "INSERT INTO audit (at, actor, action, detail, matched) \
             VALUES ($1, $2, $3, $4::text::json, $5) RETURNING id",
            &[&e.at, &e.actor, &e.action, &detail, &matched],
        )?;
        get(&rows[0], 0, &what)
    }

    pub(crate) fn audit_progress_(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> Result<()> {
        let what = || format!("audit: progress of action {id}");
        let mut runs: Vec<&str> = applied.iter().map(String::as_str).collect();
        let mut why: Vec<Option<&str>> = vec![None; applied.len()];
        for (r, w) in failed {
            runs.push(r);
            why.push(Some(w));
        }
        let (n_applied, n_failed) = (applied.len() as i64, failed.len() as i64);
        // One statement: the counts and the rows together, or neither.
        let rows = self.query_once(
            &what,
            "WITH a AS (
                 UPDATE audit SET applied = applied + $2, failed = failed + $3,
                     done_at = COALESCE($4, done_at)
                 WHERE id = $1 RETURNING id
             ), r AS (
                 INSERT INTO audit_runs (audit_id, run_id, failure)
                 SELECT a.id, v.run_id, v.failure
                 FROM a, unnest($5::text[], $6::text[]) WITH ORDINALITY AS v(run_id, failure, n)
                 ORDER BY v.n
             )
             SELECT count(*) FROM a",
            &[&id, &n_applied, &n_failed, &done, &runs, &why],
        )?;
        let n: i64 = get(&rows[0], 0, &what)?;
        if n == 0 {
            return Err(StoreError::Conflict(format!("no audit entry {id}")));
        }
        Ok(())
    }

    pub(crate) fn audit_(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let what = || "audit".to_string();
        let mut d = Postgres::default();
        let mut conds = Vec::new();
        if let Some(b) = q.before {
            let p = d.push(Param::Int(b));
            conds.push(format!("id < {p}"));
        }
        if let Some(r) = &q.run {
            let p = d.push(Param::Text(r.clone()));
            conds.push(format!(
                "id IN (SELECT audit_id FROM audit_runs WHERE run_id = {p})"
            ));
        }
        let lim = d.push(Param::Int(q.limit.max(1) as i64));
        let rows = self.query(
            &what,
            &format!(
                "SELECT {AUDIT_COLUMNS} FROM audit{} ORDER BY id DESC LIMIT {lim}",
                where_clause(&conds)
            ),
            &d.refs(),
        )?;
        rows.iter().map(read_audit).collect()
    }

    pub(crate) fn audit_entry_(&self, id: i64) -> Result<Option<AuditEntry>> {
        let what = || format!("audit entry {id}");
        let rows = self.query(
            &what,
            &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE id = $1"),
            &[&id],
        )?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let mut e = read_audit(row)?;
        let listed = AUDIT_RUNS_LISTED_MAX as i64;
        for failed in [false, true] {
            let which = if failed { "NOT NULL" } else { "NULL" };
            let rows = self.query(
                &what,
                &format!(
                    "SELECT run_id, failure FROM audit_runs WHERE audit_id = $1 AND failure IS \
                     {which} ORDER BY seq LIMIT $2"
                ),
                &[&id, &listed],
            )?;
            for row in &rows {
                let run: String = get(row, 0, &what)?;
                match get::<Option<String>>(row, 1, &what)? {
                    Some(why) => e.failures.push((run, why)),
                    None => e.runs.push(run),
                }
            }
        }
        Ok(Some(e))
    }
}

const AUDIT_COLUMNS: &str =
    "id, at, actor, action, detail::text, matched, applied, failed, done_at";

fn read_audit(row: &tokio_postgres::Row) -> Result<AuditEntry> {
    let what = || "audit".to_string();
    let detail: &str = get(row, 4, &what)?;
    let n = |i: usize| -> Result<u64> { Ok(get::<i64>(row, i, &what)?.max(0) as u64) };
    Ok(AuditEntry {
        id: get(row, 0, &what)?,
        at: get(row, 1, &what)?,
        actor: get(row, 2, &what)?,
        action: get(row, 3, &what)?,
        detail: serde_json::from_str(detail).map_err(|e| corrupt("audit detail", e))?,
        matched: n(5)?,
        applied: n(6)?,
        failed: n(7)?,
        done_at: get(row, 8, &what)?,
        runs: Vec::new(),
        failures: Vec::new(),
    })
}

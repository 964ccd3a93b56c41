//! What is checked before a data directory is served, and `weft doctor`.
//!
//! At open ([`crate::SqliteStore::open`]), cheaply:
//!
//! * the directory is made `0700` when created, and the database's files
//!   (`weft.db`, `weft.db-wal`, `weft.db-shm`, `weft.id`) are `0600`: they
//!   hold inputs and callback tokens;
//! * the write-ahead log is read as SQLite's recovery will read it
//!   ([`crate::wal`]): committed transactions that recovery would drop
//!   refuse the open;
//! * the store's id, kept in the database and in `weft.id` beside it, must
//!   agree: a database file that was removed, reset, truncated or swapped
//!   for another is refused instead of being served as an empty store;
//! * a database file shorter than its header says is refused;
//! * `PRAGMA quick_check` runs over the whole database when it is at most
//!   [`START_CHECK_FULL_BYTES_MAX`], else over the tables the runtime reads
//!   at start whose size does not grow with the runs ([`START_CHECK_TABLES`]):
//!   on a 1.2 GB database a full `quick_check` took 23 s with a cold cache on
//!   the machine we measured (3.9 s warm), the small tables 0.1 s. `weft
//!   doctor` checks everything.
//!
//! [`doctor`] runs all of it without changing anything, plus SQLite's full
//! `PRAGMA integrity_check` and a read of every run's snapshot.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use weft_store::{Result, StoreError};

use crate::wal::{self, WalReport};
use crate::{db_err, DB_FILE};

/// The file beside the database that holds the store's id.
pub const ID_FILE: &str = "weft.id";

/// The database is checked whole at open up to this size (database file
/// plus log); a larger one has only [`START_CHECK_TABLES`] checked, and
/// `weft doctor` checks the rest.
pub const START_CHECK_FULL_BYTES_MAX: u64 = 128 * 1024 * 1024;

/// Tables checked at open when the database is too large to check whole:
/// the ones the runtime reads before it serves anything and whose size does
/// not grow with the runs kept (stored programs, outstanding tasks, the
/// store's id).
///
/// Timers, callback tokens, idempotency keys and machine instances are
/// read at start too, but they hold a row or two per waiting run: with
/// 10,000,000 waiting runs, `quick_check` of `timers` and `tokens` alone
/// took 3.7 s with a warm page cache and the server's first answer came
/// 42 s after a cold start (docs/benchmarks.md). A damaged page there is
/// found when it is read (a `Corrupt` store error naming the operation) and
/// by `weft doctor`.
pub const START_CHECK_TABLES: &[&str] = &["deployments", "deployment_flows", "tasks", "store_meta"];

/// Permissions of the database's files: inputs, results and callback
/// tokens are in them.
pub const FILE_MODE: u32 = 0o600;

/// Permissions of a data directory Weft creates.
pub const DIR_MODE: u32 = 0o700;

/// Problems `weft doctor` lists at most per kind (the count says the rest).
pub const FINDINGS_PER_KIND_MAX: usize = 20;

/// The files of a store in a directory.
pub(crate) struct Files {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub wal: PathBuf,
    pub id: PathBuf,
}

impl Files {
    pub fn new(dir: &Path) -> Files {
        Files {
            dir: dir.to_path_buf(),
            db: dir.join(DB_FILE),
            wal: dir.join(format!("{DB_FILE}-wal")),
            id: dir.join(ID_FILE),
        }
    }

    /// The files whose permissions are kept at [`FILE_MODE`].
    fn private(&self) -> [PathBuf; 4] {
        [
            self.db.clone(),
            self.wal.clone(),
            self.dir.join(format!("{DB_FILE}-shm")),
            self.id.clone(),
        ]
    }
}

fn io(what: impl std::fmt::Display, e: std::io::Error) -> StoreError {
    StoreError::Io(format!("open: {what}: {e}"))
}

/// Creates the directory (and missing parents) with [`DIR_MODE`].
pub fn create_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(DIR_MODE);
    }
    b.create(dir)
        .map_err(|e| io(format_args!("creating {}", dir.display()), e))
}

/// The permission bits of a file, if it exists.
fn mode_of(path: &Path) -> std::io::Result<Option<u32>> {
    match std::fs::metadata(path) {
        #[cfg(unix)]
        Ok(m) => {
            use std::os::unix::fs::PermissionsExt;
            Ok(Some(m.permissions().mode() & 0o777))
        }
        #[cfg(not(unix))]
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Takes group and other permissions off the store's files (files an
/// earlier build made `0644`). A file this user may not change (another
/// user's, opened to read) is left as it is: `weft doctor` reports it.
pub(crate) fn tighten_files(files: &Files) -> Result<()> {
    #[cfg(unix)]
    for p in files.private() {
        use std::os::unix::fs::PermissionsExt;
        if let Some(mode) = mode_of(&p).map_err(|e| io(p.display(), e))? {
            if mode & 0o077 != 0 {
                match std::fs::set_permissions(&p, std::fs::Permissions::from_mode(FILE_MODE)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                    Err(e) => {
                        return Err(io(format_args!("making {} private", p.display()), e));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Creates an empty database file with [`FILE_MODE`], so that SQLite's
/// log and shared-memory files (which copy the database file's mode) are
/// private too.
pub(crate) fn create_db_file(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(FILE_MODE);
    }
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(format_args!("creating {}", path.display()), e)),
    }
}

/// The id in `weft.id`, if the file exists.
pub(crate) fn read_id_file(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s.trim().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(format_args!("reading {}", path.display()), e)),
    }
}

/// Writes `weft.id` durably (the file, then its directory entry).
pub(crate) fn write_id_file(files: &Files, id: &str) -> Result<()> {
    let tmp = files.dir.join(format!("{ID_FILE}.tmp"));
    let write = || -> std::io::Result<()> {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(FILE_MODE);
        }
        let mut f = o.open(&tmp)?;
        writeln!(f, "{id}")?;
        f.sync_all()?;
        std::fs::rename(&tmp, &files.id)?;
        std::fs::File::open(&files.dir)?.sync_all()
    };
    write().map_err(|e| io(format_args!("writing {}", files.id.display()), e))
}

/// What the database file's header says.
#[derive(Debug)]
pub(crate) struct Header {
    /// Bytes in the file.
    pub bytes: u64,
    /// Bytes per page.
    pub page_size: u32,
    /// Pages, when the header's count is valid.
    pub pages: Option<u32>,
}

/// Reads the database file's header; `None` for a missing or empty file.
pub(crate) fn read_header(path: &Path) -> Result<Option<Header>> {
    use std::io::Read as _;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(format_args!("reading {}", path.display()), e)),
    };
    let bytes = f
        .metadata()
        .map_err(|e| io(format_args!("reading {}", path.display()), e))?
        .len();
    if bytes == 0 {
        return Ok(None);
    }
    let mut head = [0u8; 100];
    let n = f
        .read(&mut head)
        .map_err(|e| io(format_args!("reading {}", path.display()), e))?;
    if n < 100 || &head[..16] != b"SQLite format 3\0" {
        return Err(StoreError::Corrupt(format!(
            "{} is not a SQLite database (its first bytes are not SQLite's header)",
            path.display()
        )));
    }
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        p => u32::from(p),
    };
    let be = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    // The count is valid when the file was last written by a SQLite that
    // keeps it (the "version-valid-for" number equals the change counter).
    let pages = (be(92) == be(24) && be(28) > 0).then(|| be(28));
    Ok(Some(Header {
        bytes,
        page_size,
        pages,
    }))
}

/// The problems found before SQLite opens the files: each refuses the
/// open. `id_file` is the id in `weft.id`.
pub(crate) fn before_open(
    files: &Files,
    header: Option<&Header>,
    id_file: Option<&str>,
    log: &WalReport,
) -> Vec<String> {
    let mut problems = Vec::new();
    let db = files.db.display();
    match (header, id_file) {
        (None, Some(id)) => problems.push(format!(
            "{db} is missing or empty, but {} says this directory holds store {id}: the \
             database was removed, reset or truncated",
            files.id.display()
        )),
        (None, None) if log.valid_transactions > 0 => problems.push(format!(
            "{db} is missing or empty, but its log {} holds {} committed transaction(s): the \
             database was removed or truncated while its log was kept",
            files.wal.display(),
            log.valid_transactions
        )),
        _ => {}
    }
    if let Some(h) = header {
        // With frames in the log, pages may live there alone; the
        // integrity check reads them.
        if let (Some(pages), 0) = (h.pages, log.valid_frames) {
            let want = u64::from(pages) * u64::from(h.page_size);
            if h.bytes < want {
                problems.push(format!(
                    "{db} is {} bytes, but its header says it holds {pages} pages of {} bytes \
                     ({want} bytes): the file was truncated",
                    h.bytes, h.page_size
                ));
            }
        }
    }
    if log.is_damaged() {
        problems.push(format!(
            "the write-ahead log {} is damaged: {}",
            files.wal.display(),
            log.describe()
        ));
    }
    problems
}

/// The store's id in the database (schema version 3 and later).
pub(crate) fn stored_id(conn: &Connection) -> Result<Option<String>> {
    let has_table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| db_err(e, || "open: reading the store's id".into()))?;
    if !has_table {
        return Ok(None);
    }
    conn.query_row(
        "SELECT value FROM store_meta WHERE key = 'store_id'",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| db_err(e, || "open: reading the store's id".into()))
}

/// The problem when the database's id and `weft.id` disagree.
pub(crate) fn id_mismatch(
    files: &Files,
    in_db: Option<&str>,
    in_file: Option<&str>,
    schema: i64,
) -> Option<String> {
    let (db, file) = (files.db.display(), files.id.display());
    match (in_db, in_file) {
        (Some(a), Some(b)) if a != b => Some(format!(
            "{db} is store {a}, but {file} says this directory holds store {b}: the database \
             file was swapped for another one (if you restored it on purpose, delete {file})"
        )),
        (None, Some(b)) if schema > 0 => Some(format!(
            "{db} has no store id (schema version {schema}), but {file} says this directory \
             holds store {b}: the database file was replaced by an older or foreign one (if you \
             restored it on purpose, delete {file})"
        )),
        (None, Some(b)) => Some(format!(
            "{db} is an empty database, but {file} says this directory holds store {b}: the \
             database was reset or truncated"
        )),
        _ => None,
    }
}

/// The lines of an integrity check pragma other than `ok`.
fn check_lines(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let err = |e| db_err(e, || "open: checking the database's integrity".into());
    let mut s = conn.prepare(sql).map_err(err)?;
    let mut rows = s.query([]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(err)? {
        let line: String = r.get(0).map_err(err)?;
        if line != "ok" {
            out.push(line);
        }
    }
    Ok(out)
}

/// Runs `PRAGMA quick_check` (on `tables` only, when given); the
/// problems it reports. A page the check itself cannot read is one.
pub(crate) fn quick_check(conn: &Connection, tables: Option<&[&str]>) -> Result<Vec<String>> {
    let sqls: Vec<String> = match tables {
        None => vec!["PRAGMA quick_check(100)".to_string()],
        Some(tables) => tables
            .iter()
            .map(|t| format!("PRAGMA quick_check(\"{t}\")"))
            .collect(),
    };
    let mut out = Vec::new();
    for sql in sqls {
        match check_lines(conn, &sql) {
            Ok(lines) => out.extend(lines),
            Err(StoreError::Corrupt(m)) => out.push(m),
            // A table of a later schema version is not there yet.
            Err(StoreError::Io(m)) if m.contains("no such table") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// How serious a finding of [`doctor`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The data is damaged or would be refused at open.
    Problem,
    /// Worth fixing, nothing is lost (e.g. permissions).
    Warning,
    /// What was checked.
    Ok,
}

/// One line of a [`doctor`] report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What was found.
    pub message: String,
}

/// What [`doctor`] found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Findings in the order checked.
    pub findings: Vec<Finding>,
}

impl Report {
    fn push(&mut self, severity: Severity, message: impl Into<String>) {
        self.findings.push(Finding {
            severity,
            message: message.into(),
        });
    }

    /// True when something is damaged.
    pub fn has_problems(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Problem)
    }
}

/// How [`doctor`] may look at the directory.
#[derive(Clone, Copy, Debug, Default)]
pub struct DoctorOptions {
    /// Another process (a server) has the directory open: its log is being
    /// written, so it is not read (a frame half written would look
    /// damaged).
    pub in_use: bool,
}

/// Checks a data directory without changing it: files and permissions,
/// the store's id, the write-ahead log, SQLite's `integrity_check`, the
/// schema version and every run's snapshot. Errors only when the checks
/// cannot be run.
pub fn doctor(dir: &Path, opts: DoctorOptions) -> Result<Report> {
    let files = Files::new(dir);
    let mut report = Report::default();
    if !dir.is_dir() {
        return Err(StoreError::Io(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    #[cfg(unix)]
    if let Some(mode) = mode_of(dir).map_err(|e| io(dir.display(), e))? {
        if mode & 0o077 != 0 {
            report.push(
                Severity::Warning,
                format!(
                    "{} is mode {mode:o}: other users can list it; `chmod 700` it",
                    dir.display()
                ),
            );
        }
    }
    for p in files.private() {
        if let Some(mode) = mode_of(&p).map_err(|e| io(p.display(), e))? {
            if mode & 0o077 != 0 {
                report.push(
                    Severity::Warning,
                    format!(
                        "{} is mode {mode:o}: other users can read inputs and callback tokens; \
                         the next start makes it 600",
                        p.display()
                    ),
                );
            }
        }
    }
    let header = read_header(&files.db);
    let header = match header {
        Ok(h) => h,
        Err(StoreError::Corrupt(m)) => {
            report.push(Severity::Problem, m);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let id_file = read_id_file(&files.id)?;
    let log = if opts.in_use {
        report.push(
            Severity::Warning,
            "another process has the directory open: the write-ahead log was not checked \
             (stop the server for a full check)",
        );
        WalReport::default()
    } else {
        let log = wal::inspect(&files.wal, header.as_ref().map(|h| h.page_size))
            .map_err(|e| io(files.wal.display(), e))?;
        if !log.is_damaged() && log.bytes > 0 {
            report.push(
                Severity::Ok,
                format!(
                    "write-ahead log: {} committed transaction(s) in {} frame(s)",
                    log.valid_transactions, log.valid_frames
                ),
            );
        }
        log
    };
    let before = before_open(&files, header.as_ref(), id_file.as_deref(), &log);
    let fatal = header.is_none();
    for p in before {
        report.push(Severity::Problem, p);
    }
    if fatal {
        if !report.has_problems() {
            report.push(Severity::Ok, format!("{} holds no data yet", dir.display()));
        }
        return Ok(report);
    }
    // Read-only: nothing is migrated, recovered into the files or checked
    // into the database.
    let conn = Connection::open_with_flags(
        &files.db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| db_err(e, || format!("doctor: open {}", files.db.display())))?;
    let schema: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(e) => {
            report.push(
                Severity::Problem,
                format!("the database cannot be read: {e}"),
            );
            return Ok(report);
        }
    };
    if schema > crate::schema::SCHEMA_VERSION {
        report.push(
            Severity::Problem,
            format!(
                "the schema version is {schema}; this build knows versions up to {} (written by \
                 a newer Weft?)",
                crate::schema::SCHEMA_VERSION
            ),
        );
    } else {
        report.push(Severity::Ok, format!("schema version {schema}"));
    }
    match stored_id(&conn) {
        Ok(in_db) => match id_mismatch(&files, in_db.as_deref(), id_file.as_deref(), schema) {
            Some(p) => report.push(Severity::Problem, p),
            None => report.push(
                Severity::Ok,
                match (&in_db, &id_file) {
                    (Some(id), Some(_)) => {
                        format!("store id {id} (the database and {ID_FILE} agree)")
                    }
                    (Some(id), None) => {
                        format!("store id {id} ({ID_FILE} is missing: the next start writes it)")
                    }
                    _ => "no store id yet: the next start gives the store one".to_string(),
                },
            ),
        },
        Err(e) => report.push(
            Severity::Problem,
            format!("the store's id cannot be read: {e}"),
        ),
    }
    let started = std::time::Instant::now();
    let mut s = conn
        .prepare("PRAGMA integrity_check(100)")
        .map_err(|e| db_err(e, || "doctor: integrity check".into()))?;
    let lines: rusqlite::Result<Vec<String>> = s
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect());
    drop(s);
    match lines {
        Ok(lines) if lines == ["ok"] => report.push(
            Severity::Ok,
            format!(
                "integrity check passed ({} bytes in {:.1} s)",
                header.as_ref().map_or(0, |h| h.bytes),
                started.elapsed().as_secs_f64()
            ),
        ),
        Ok(lines) => {
            for l in lines.iter().take(FINDINGS_PER_KIND_MAX) {
                report.push(Severity::Problem, format!("integrity check: {l}"));
            }
            if lines.len() > FINDINGS_PER_KIND_MAX {
                report.push(
                    Severity::Problem,
                    format!(
                        "integrity check: {} more problem(s)",
                        lines.len() - FINDINGS_PER_KIND_MAX
                    ),
                );
            }
        }
        Err(e) => report.push(Severity::Problem, format!("integrity check failed: {e}")),
    }
    snapshots(&conn, &mut report);
    Ok(report)
}

/// Reads every run's snapshot as the runtime would.
fn snapshots(conn: &Connection, report: &mut Report) {
    let mut s = match conn.prepare("SELECT id, state FROM runs") {
        Ok(s) => s,
        Err(e) => {
            report.push(Severity::Problem, format!("runs cannot be read: {e}"));
            return;
        }
    };
    let mut rows = match s.query([]) {
        Ok(r) => r,
        Err(e) => {
            report.push(Severity::Problem, format!("runs cannot be read: {e}"));
            return;
        }
    };
    let (mut runs, mut bad, mut newer) = (0u64, 0u64, 0u64);
    loop {
        match rows.next() {
            Ok(Some(row)) => {
                runs += 1;
                let id: String = row.get(0).unwrap_or_default();
                let state = row.get_ref(1).ok().and_then(|v| v.as_bytes().ok());
                let why = match state {
                    None => Some("its snapshot is not a blob".to_string()),
                    Some(b) => match weft_engine::state::decode_snapshot(b, &id) {
                        Ok(_) => None,
                        // Not damage: a newer build wrote it, and the run
                        // waits (parked) for a build that reads it.
                        Err(e @ weft_engine::state::SnapshotError::Version { .. }) => {
                            newer += 1;
                            if newer <= FINDINGS_PER_KIND_MAX as u64 {
                                report.push(
                                    Severity::Warning,
                                    format!(
                                        "run {id}: {e} (a newer build wrote it; it resumes \
                                         under a build that reads it)"
                                    ),
                                );
                            }
                            None
                        }
                        Err(e) => Some(e.to_string()),
                    },
                };
                if let Some(why) = why {
                    bad += 1;
                    if bad <= FINDINGS_PER_KIND_MAX as u64 {
                        report.push(
                            Severity::Problem,
                            format!("run {id}: its snapshot cannot be read: {why}"),
                        );
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                report.push(
                    Severity::Problem,
                    format!("reading runs stopped after {runs}: {e}"),
                );
                return;
            }
        }
    }
    if bad > FINDINGS_PER_KIND_MAX as u64 {
        report.push(
            Severity::Problem,
            format!(
                "{} more run(s) whose snapshot cannot be read",
                bad - FINDINGS_PER_KIND_MAX as u64
            ),
        );
    }
    if newer > FINDINGS_PER_KIND_MAX as u64 {
        report.push(
            Severity::Warning,
            format!(
                "{} more run(s) whose snapshot a newer build wrote",
                newer - FINDINGS_PER_KIND_MAX as u64
            ),
        );
    }
    if bad == 0 {
        report.push(
            Severity::Ok,
            format!("{} run snapshot(s) read", runs - newer),
        );
    }
}

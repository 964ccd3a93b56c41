//! A damaged data directory is refused at open, with what is wrong,
//! instead of being served as an empty store or with acknowledged
//! transactions silently rolled back; files are private; and data written
//! by the schema before the store id still opens.

use std::path::Path;

use weft_engine::state::Status;
use weft_store::conformance::record;
use weft_store::{Batch, RunQuery, RunWrite, Store, StoreError};
use weft_store_sqlite::{
    check, doctor, wal, DoctorOptions, OpenOptions, SqliteStore, DB_FILE, ID_FILE,
};

fn new_run(id: &str) -> Batch {
    Batch {
        writes: vec![RunWrite {
            record: Some(record(id, "A", Status::Running).into()),
            state: vec![b'x'; 3000],
            created: true,
            ..RunWrite::default()
        }],
    }
}

fn runs(s: &SqliteStore) -> usize {
    s.list_runs(&RunQuery {
        limit: 1000,
        ..RunQuery::default()
    })
    .unwrap()
    .runs
    .len()
}

fn refused(dir: &Path) -> String {
    match SqliteStore::open(dir) {
        Err(StoreError::Corrupt(m)) => m,
        Err(e) => panic!("expected the open to be refused as corrupt, got {e:?}"),
        Ok(_) => panic!("expected the open to be refused, but it opened"),
    }
}

fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in [DB_FILE, "weft.db-wal", ID_FILE] {
        if from.join(f).exists() {
            std::fs::copy(from.join(f), to.join(f)).unwrap();
        }
    }
}

#[test]
fn a_truncated_or_removed_database_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    {
        let s = SqliteStore::open(&dir).unwrap();
        s.commit(&new_run("r1")).unwrap();
    }
    assert!(dir.join(ID_FILE).exists());
    let db = dir.join(DB_FILE);
    std::fs::File::options()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(0)
        .unwrap();
    let m = refused(&dir);
    assert!(m.contains("removed, reset or truncated"), "{m}");
    assert!(m.contains("weft doctor"), "{m}");
    // Nothing was written over it.
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    std::fs::remove_file(&db).unwrap();
    let m = refused(&dir);
    assert!(m.contains("missing or empty"), "{m}");
    assert!(!db.exists(), "the refused open created the database");
}

#[test]
fn a_database_cut_short_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    {
        let s = SqliteStore::open(&dir).unwrap();
        for i in 0..200 {
            s.commit(&new_run(&format!("r{i:03}"))).unwrap();
        }
    }
    // Closed cleanly: the log was checkpointed into the file and removed.
    let db = dir.join(DB_FILE);
    let len = std::fs::metadata(&db).unwrap().len();
    assert!(len > 100_000, "{len}");
    std::fs::File::options()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let m = refused(&dir);
    assert!(m.contains("the file was truncated"), "{m}");
}

#[test]
fn a_swapped_database_is_refused_until_its_id_file_is_removed() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    SqliteStore::open(&a)
        .unwrap()
        .commit(&new_run("ra"))
        .unwrap();
    SqliteStore::open(&b)
        .unwrap()
        .commit(&new_run("rb"))
        .unwrap();
    std::fs::copy(b.join(DB_FILE), a.join(DB_FILE)).unwrap();
    let m = refused(&a);
    assert!(m.contains("swapped"), "{m}");
    // A reader is refused too.
    assert!(matches!(
        SqliteStore::open_shared(&a),
        Err(StoreError::Corrupt(_))
    ));
    // Restored on purpose: the operator removes the id file.
    std::fs::remove_file(a.join(ID_FILE)).unwrap();
    let s = SqliteStore::open(&a).unwrap();
    assert!(s.run("rb").unwrap().is_some());
    assert_eq!(
        std::fs::read_to_string(a.join(ID_FILE)).unwrap(),
        std::fs::read_to_string(b.join(ID_FILE)).unwrap()
    );
}

/// A data directory written before the store had an id (schema version 1,
/// no `weft.id`) opens: it is migrated and given an id.
#[test]
fn data_from_before_the_store_id_opens_and_gets_an_id() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("old");
    std::fs::create_dir_all(&dir).unwrap();
    {
        let c = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
        c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        c.execute_batch(weft_store_sqlite::schema::MIGRATIONS[0])
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO runs (id, flow, version, status, input, waiting, created_at, updated_at, state) \
             VALUES ('r-old', 'A', 1, 'waiting', '{}', '[]', 1, 1, x'7b7d')",
            [],
        )
        .unwrap();
    }
    let s = SqliteStore::open(&dir).unwrap();
    assert_eq!(s.run("r-old").unwrap().unwrap().status, Status::Waiting);
    let id = std::fs::read_to_string(dir.join(ID_FILE)).unwrap();
    assert_eq!(id.trim().len(), 32, "{id:?}");
    drop(s);
    // And it opens again, with the same id.
    drop(SqliteStore::open(&dir).unwrap());
    assert_eq!(std::fs::read_to_string(dir.join(ID_FILE)).unwrap(), id);
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("new");
    let s = SqliteStore::open(&dir).unwrap();
    s.commit(&new_run("r1")).unwrap();
    assert_eq!(mode(&dir), 0o700);
    for f in [DB_FILE, "weft.db-wal", "weft.db-shm", ID_FILE] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    drop(s);
    // Files an earlier build left readable by everyone are tightened.
    for f in [DB_FILE, ID_FILE] {
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    drop(SqliteStore::open(&dir).unwrap());
    for f in [DB_FILE, ID_FILE] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
}

/// Commits `n` runs and copies the directory while the store is open (as a
/// crash would leave it: the log not checkpointed); returns the number of
/// transactions in the copy's log.
fn crashed_copy(from: &Path, to: &Path, n: usize) -> usize {
    let s = SqliteStore::open(from).unwrap();
    for i in 0..n {
        s.commit(&new_run(&format!("r{i:02}"))).unwrap();
    }
    copy_store(from, to);
    drop(s);
    let log = wal::inspect(&to.join("weft.db-wal"), None).unwrap();
    assert!(!log.is_damaged(), "{log:?}");
    log.valid_transactions
}

#[test]
fn a_damaged_log_is_refused_instead_of_silently_losing_commits() {
    let root = tempfile::tempdir().unwrap();
    let (live, copy) = (root.path().join("live"), root.path().join("copy"));
    let txns = crashed_copy(&live, &copy, 8);
    assert!(txns >= 8, "{txns}");
    // The undamaged copy has every run.
    let intact = root.path().join("intact");
    copy_store(&copy, &intact);
    assert_eq!(runs(&SqliteStore::open(&intact).unwrap()), 8);
    // One bit flipped in the first frame of the run commits' third
    // transaction from the end (the schema's migration comes first).
    let wal_path = copy.join("weft.db-wal");
    let mut bytes = std::fs::read(&wal_path).unwrap();
    let frame = 24 + 4096;
    let frames = (bytes.len() - 32) / frame;
    let commits: Vec<usize> = (0..frames)
        .filter(|i| bytes[32 + i * frame + 4..32 + i * frame + 8] != [0, 0, 0, 0])
        .collect();
    let target = commits[commits.len() - 4] + 1;
    bytes[32 + target * frame + 24 + 2000] ^= 0x10;
    std::fs::write(&wal_path, &bytes).unwrap();
    let m = refused(&copy);
    assert!(m.contains("write-ahead log"), "{m}");
    assert!(m.contains("silently drop"), "{m}");
    let report = doctor(&copy, DoctorOptions::default()).unwrap();
    assert!(report.has_problems(), "{report:?}");
    // What SQLite would have done: the commits after the damage are gone.
    let accepted = SqliteStore::open_with(
        &copy,
        OpenOptions {
            accept_wal_loss: true,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    let kept = runs(&accepted);
    assert_eq!(kept, 5, "the transactions before the damage are kept");
    drop(accepted);
    // Once accepted, the store opens as it is.
    assert_eq!(runs(&SqliteStore::open(&copy).unwrap()), kept);
}

#[test]
fn a_database_whose_log_was_kept_without_it_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let (live, copy) = (root.path().join("live"), root.path().join("copy"));
    crashed_copy(&live, &copy, 3);
    std::fs::remove_file(copy.join(ID_FILE)).unwrap();
    std::fs::write(copy.join(DB_FILE), b"").unwrap();
    let m = refused(&copy);
    assert!(m.contains("while its log was kept"), "{m}");
}

#[test]
fn a_damaged_page_is_found_at_open() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    {
        let s = SqliteStore::open(&dir).unwrap();
        for i in 0..50 {
            s.commit(&new_run(&format!("r{i:02}"))).unwrap();
        }
    }
    let db = dir.join(DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    let pages = bytes.len() / 4096;
    // Garbage over a page in the middle of the file (a b-tree page of the
    // runs table or its overflow).
    let p = pages / 2;
    bytes[p * 4096..p * 4096 + 200].fill(0xEE);
    bytes[(p + 1) * 4096..(p + 1) * 4096 + 200].fill(0xEE);
    std::fs::write(&db, &bytes).unwrap();
    let m = refused(&dir);
    assert!(m.contains("integrity check"), "{m}");
}

/// A run made by the runtime (its snapshot is a real run state).
fn real_run(dir: &Path) -> String {
    use std::sync::Arc;
    use weft_runtime::host::Host;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir).unwrap());
    let mut h = Host::new(store.clone(), Box::new(weft_runtime::ids::OsEntropy));
    let files = [weft_store::SourceText {
        name: "f.weft".into(),
        text: "flow F(x) {\n    r = Work(x)\n    return r\n}\n".into(),
    }];
    h.deploy(&files, 0).unwrap();
    let started = h.start_run("F", serde_json::json!(1), None, 0).unwrap();
    let (_, batch, _) = h.take_batch();
    store.commit(&batch).unwrap();
    started.run_id
}

#[test]
fn doctor_reports_a_healthy_directory() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    let id = real_run(&dir);
    let report = doctor(&dir, DoctorOptions::default()).unwrap();
    assert!(!report.has_problems(), "{report:?}");
    let text: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        text.iter().any(|t| t.contains("integrity check passed")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("store id")), "{text:?}");
    // A snapshot a newer build wrote is no damage: the run is parked until
    // a build that reads it starts.
    // (The snapshot is in the compact form; its JSON would be read too.)
    let c = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let state: Vec<u8> = c
        .query_row("SELECT state FROM runs WHERE id = ?1", [&id], |r| r.get(0))
        .unwrap();
    let mut json = weft_engine::state::snapshot_json(&state, &id).unwrap();
    json["v"] = serde_json::json!(99);
    c.execute(
        "UPDATE runs SET state = ?2 WHERE id = ?1",
        rusqlite::params![&id, weft_engine::compact::encode(&json, &[])],
    )
    .unwrap();
    drop(c);
    let report = doctor(&dir, DoctorOptions::default()).unwrap();
    assert!(!report.has_problems(), "{report:?}");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.severity == check::Severity::Warning
                && f.message.contains(&id)
                && f.message.contains("version 99")),
        "{report:?}"
    );
    // A run whose snapshot cannot be read is a problem.
    let c = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    c.execute("UPDATE runs SET state = x'7b' WHERE id = ?1", [&id])
        .unwrap();
    drop(c);
    let report = doctor(&dir, DoctorOptions::default()).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.severity == check::Severity::Problem && f.message.contains(&id)),
        "{report:?}"
    );
}

//! Data directories: the embedded store, and the lock that keeps two
//! writers (a server and a `weft runs retry`, say) from sharing one.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use weft_store::Store;
use weft_store_sqlite::SqliteStore;

/// The data directory when none is given.
pub const DEFAULT_DATA_DIR: &str = "weft-data";

/// Name of the lock file inside a data directory.
pub const LOCK_FILE: &str = "weft.lock";

/// An open data directory. Writers hold its lock until dropped.
pub struct DataDir {
    /// The store.
    pub store: Arc<dyn Store>,
    _lock: Option<File>,
}

/// Opens `dir` (creating it) for writing: takes the directory's lock, so
/// that only one process changes runs at a time.
pub fn open_for_writing(dir: &Path) -> anyhow::Result<DataDir> {
    weft_store_sqlite::check::create_dir(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    let lock = lock_dir(dir)?;
    let store = SqliteStore::open(dir)
        .with_context(|| format!("cannot open the store in {}", dir.display()))?;
    Ok(DataDir {
        store: Arc::new(store),
        _lock: Some(lock),
    })
}

/// Takes the directory's lock (held while the file stays open).
fn lock_dir(dir: &Path) -> anyhow::Result<File> {
    let lock_path = dir.join(LOCK_FILE);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another weft process (a server?) is using {}; stop it first, or act through its HTTP API \
             (POST /v1/runs/ID/retry|resolve|cancel, POST /v1/callbacks/TOKEN)",
            dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()))
        }
    }
    Ok(lock)
}

/// Opens `dir` for reading only (a server may be writing it meanwhile).
pub fn open_for_reading(dir: &Path) -> anyhow::Result<DataDir> {
    if !dir.join(weft_store_sqlite::DB_FILE).exists() {
        bail!(
            "{} holds no Weft data (no {})",
            dir.display(),
            weft_store_sqlite::DB_FILE
        );
    }
    let store = SqliteStore::open_shared(dir)
        .with_context(|| format!("cannot open the store in {}", dir.display()))?;
    Ok(DataDir {
        store: Arc::new(store),
        _lock: None,
    })
}

/// True when another process holds the directory's lock (a server).
pub fn in_use(dir: &Path) -> bool {
    let Ok(lock) = File::options().write(true).open(dir.join(LOCK_FILE)) else {
        return false;
    };
    matches!(lock.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// `weft doctor DIR`: checks the directory without changing it (see
/// `weft_store_sqlite::check`). Exit 0: no damage (warnings allowed);
/// 1: damage found; 2 (an error): it could not be checked. With
/// `accept_wal_loss`, first opens the store keeping what the write-ahead
/// log's undamaged part holds (the rest is lost), then checks.
pub fn doctor(dir: &Path, accept_wal_loss: bool) -> anyhow::Result<std::process::ExitCode> {
    use weft_store_sqlite::{DoctorOptions, Severity};
    if !dir.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    if accept_wal_loss {
        let lock = lock_dir(dir)?;
        let store = SqliteStore::open_with(
            dir,
            weft_store_sqlite::OpenOptions {
                exclusive: true,
                accept_wal_loss: true,
            },
        )
        .with_context(|| format!("cannot open the store in {}", dir.display()))?;
        drop(store);
        drop(lock);
        println!(
            "opened {} keeping what the write-ahead log's undamaged part holds",
            dir.display()
        );
    }
    let in_use = in_use(dir);
    let report = weft_store_sqlite::doctor(dir, DoctorOptions { in_use })
        .with_context(|| format!("cannot check {}", dir.display()))?;
    let (mut problems, mut warnings) = (0, 0);
    for f in &report.findings {
        let tag = match f.severity {
            Severity::Ok => "ok     ",
            Severity::Warning => {
                warnings += 1;
                "warning"
            }
            Severity::Problem => {
                problems += 1;
                "PROBLEM"
            }
        };
        println!("{tag} {}", f.message);
    }
    println!("{problems} problem(s), {warnings} warning(s)");
    Ok(if problems > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

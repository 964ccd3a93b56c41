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
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
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
    let store = SqliteStore::open(dir)
        .with_context(|| format!("cannot open the store in {}", dir.display()))?;
    Ok(DataDir {
        store: Arc::new(store),
        _lock: Some(lock),
    })
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
    let store = SqliteStore::open(dir)
        .with_context(|| format!("cannot open the store in {}", dir.display()))?;
    Ok(DataDir {
        store: Arc::new(store),
        _lock: None,
    })
}

//! A VFS over SQLite's own `unix` one that gathers the writes of a
//! write-ahead log until they must reach the file, and writes them with one
//! system call.
//!
//! SQLite writes each log frame as two writes (its 24-byte header, then
//! the page), so a commit of ten pages is twenty `pwrite`s before its
//! `fdatasync`. On the 2-core KVM machine those cost about 3 µs each, most
//! of it the system call and the file system's per-write bookkeeping, not
//! the copying (docs/benchmarks.md, round 9). Here contiguous writes to a
//! log are kept in memory and written as one `pwrite` once the
//! transaction's last frame (its commit frame) is complete, or earlier
//! when SQLite needs the file to hold them: before it syncs, reads,
//! truncates, asks the size, takes or releases a lock, closes, or writes
//! somewhere else in the file.
//!
//! Durability is unchanged: SQLite counts a transaction committed once the
//! sync after its frames returns, and the frames are in the file before
//! that sync starts. A crash before it loses the same transaction that a
//! crash between the `pwrite`s and the sync would have lost. Other
//! connections see frames only once the log index names them, which SQLite
//! publishes after writing the commit frame (and syncing, when
//! `synchronous` is FULL, as the store's connections are): by then they
//! are in the file.
//!
//! Only log files are wrapped; the database file and everything else is
//! SQLite's `unix` file untouched, opened in place.

use std::ffi::{c_int, c_void, CStr};
use std::ptr;
use std::sync::OnceLock;

use rusqlite::ffi;

/// The VFS's name, given to `Connection::open_with_flags_and_vfs`.
pub const VFS_NAME: &CStr = c"weft-gather";

/// Bytes gathered for one log before they are written even though SQLite
/// has not asked for them yet: bounds the memory a large transaction
/// holds (one write per this many bytes is as good as one).
pub const WAL_GATHER_BYTES_MAX: usize = 1024 * 1024;

/// Bytes handed to the `unix` file in one write: it takes at most
/// 128 KiB - 1 per call (it masks the length), so what is gathered is
/// written in pieces no larger than this.
const WRITE_BYTES_MAX: usize = 64 * 1024;

/// Registers the VFS once per process; returns its name. Fails only when
/// SQLite has no `unix` VFS (a build for another platform).
pub fn register() -> Result<&'static CStr, String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            // SAFETY: sqlite3_vfs_find initializes SQLite and returns a VFS
            // that lives as long as the process (the built-in `unix` one).
            let base = unsafe { ffi::sqlite3_vfs_find(c"unix".as_ptr()) };
            if base.is_null() {
                return Err("SQLite has no `unix` VFS to build on".into());
            }
            // SAFETY: `base` is a valid VFS; it is copied, not changed.
            let mut vfs: ffi::sqlite3_vfs = unsafe { ptr::read(base) };
            vfs.szOsFile = (wrapper_bytes() + unsafe { (*base).szOsFile } as usize) as c_int;
            vfs.pNext = ptr::null_mut();
            vfs.zName = VFS_NAME.as_ptr();
            vfs.pAppData = base.cast();
            vfs.xOpen = Some(open);
            // The other entries are the `unix` VFS's own: none of them reads
            // the VFS's application data (only its open does, which is
            // called with the `unix` VFS itself).
            let vfs: &'static mut ffi::sqlite3_vfs = Box::leak(Box::new(vfs));
            // SAFETY: the VFS is leaked, so it outlives every connection.
            let rc = unsafe { ffi::sqlite3_vfs_register(vfs, 0) };
            if rc != ffi::SQLITE_OK {
                return Err(format!(
                    "registering the {VFS_NAME:?} VFS failed (code {rc})"
                ));
            }
            Ok(())
        })
        .clone()
        .map(|()| VFS_NAME)
}

/// A log file: the wrapper SQLite sees, with the `unix` file after it in
/// the same allocation.
#[repr(C)]
struct GatherFile {
    /// Must come first: SQLite reads `pMethods` through it.
    file: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    /// Bytes written but not yet in the file, and where they start.
    gathered: *mut Gathered,
}

struct Gathered {
    start: i64,
    bytes: Vec<u8>,
    /// The last write was a commit frame's header: its page comes next,
    /// and with it the transaction's last frame.
    commit_page_next: bool,
}

/// Bytes of a log frame's header; a commit frame's names the database's
/// size in pages (bytes 4 to 8, non-zero), every other frame's holds zero
/// there (see SQLite's `walEncodeFrame`).
const FRAME_HEADER_BYTES: usize = 24;

/// Bytes of [`GatherFile`], rounded up so the `unix` file after it is
/// aligned.
fn wrapper_bytes() -> usize {
    std::mem::size_of::<GatherFile>().next_multiple_of(16)
}

fn base_vfs(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    // SAFETY: only called with the VFS `register` made, whose application
    // data is the `unix` VFS.
    unsafe { (*vfs).pAppData.cast() }
}

unsafe extern "C" fn open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let base = base_vfs(vfs);
    let Some(base_open) = (*base).xOpen else {
        return ffi::SQLITE_CANTOPEN;
    };
    if flags & ffi::SQLITE_OPEN_WAL == 0 {
        // Not a log: the `unix` file in place, SQLite calls it directly.
        return base_open(base, name, file, flags, out_flags);
    }
    let wrapper = file.cast::<GatherFile>();
    let real = file
        .cast::<u8>()
        .add(wrapper_bytes())
        .cast::<ffi::sqlite3_file>();
    ptr::write(
        wrapper,
        GatherFile {
            file: ffi::sqlite3_file {
                pMethods: ptr::null(),
            },
            real,
            gathered: ptr::null_mut(),
        },
    );
    let rc = base_open(base, name, real, flags, out_flags);
    if rc == ffi::SQLITE_OK && !(*real).pMethods.is_null() {
        (*wrapper).file.pMethods = &METHODS;
    } else if !(*real).pMethods.is_null() {
        // A failed open that left a file to close: SQLite will not call
        // close on the wrapper (its methods are null), so close it here.
        if let Some(close) = (*(*real).pMethods).xClose {
            close(real);
        }
    }
    rc
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(truncate),
    xSync: Some(sync),
    xFileSize: Some(file_size),
    xLock: Some(lock),
    xUnlock: Some(unlock),
    xCheckReservedLock: Some(check_reserved_lock),
    xFileControl: Some(file_control),
    xSectorSize: Some(sector_size),
    xDeviceCharacteristics: Some(device_characteristics),
    xShmMap: Some(shm_map),
    xShmLock: Some(shm_lock),
    xShmBarrier: Some(shm_barrier),
    xShmUnmap: Some(shm_unmap),
    xFetch: Some(fetch),
    xUnfetch: Some(unfetch),
};

/// The wrapped file and its methods.
unsafe fn parts(file: *mut ffi::sqlite3_file) -> (*mut GatherFile, *mut ffi::sqlite3_file) {
    let wrapper = file.cast::<GatherFile>();
    (wrapper, (*wrapper).real)
}

unsafe fn methods(real: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    &*(*real).pMethods
}

/// Writes what is gathered; on failure it is dropped (the transaction it
/// belongs to fails and is written again, whole, if retried).
unsafe fn flush(file: *mut ffi::sqlite3_file) -> c_int {
    let (wrapper, real) = parts(file);
    let g = (*wrapper).gathered;
    if g.is_null() || (*g).bytes.is_empty() {
        return ffi::SQLITE_OK;
    }
    let Some(real_write) = methods(real).xWrite else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let mut rc = ffi::SQLITE_OK;
    let mut at = (*g).start;
    for chunk in (*g).bytes.chunks(WRITE_BYTES_MAX) {
        rc = real_write(real, chunk.as_ptr().cast(), chunk.len() as c_int, at);
        if rc != ffi::SQLITE_OK {
            break;
        }
        at += chunk.len() as i64;
    }
    (*g).bytes.clear();
    rc
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    let (wrapper, real) = parts(file);
    let flushed = flush(file);
    let g = std::mem::replace(&mut (*wrapper).gathered, ptr::null_mut());
    if !g.is_null() {
        drop(Box::from_raw(g));
    }
    let closed = match methods(real).xClose {
        Some(f) => f(real),
        None => ffi::SQLITE_OK,
    };
    if flushed != ffi::SQLITE_OK {
        flushed
    } else {
        closed
    }
}

unsafe extern "C" fn write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    let (wrapper, _) = parts(file);
    if (*wrapper).gathered.is_null() {
        (*wrapper).gathered = Box::into_raw(Box::new(Gathered {
            start: 0,
            bytes: Vec::new(),
            commit_page_next: false,
        }));
    }
    let g = (*wrapper).gathered;
    let follows = (*g).start + (*g).bytes.len() as i64 == offset;
    if !(*g).bytes.is_empty() && !follows {
        let rc = flush(file);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    if (*g).bytes.is_empty() {
        (*g).start = offset;
    }
    let Ok(amount) = usize::try_from(amount) else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let data = std::slice::from_raw_parts(buf.cast::<u8>(), amount);
    (*g).bytes.extend_from_slice(data);
    if std::mem::take(&mut (*g).commit_page_next) || (*g).bytes.len() >= WAL_GATHER_BYTES_MAX {
        // A transaction's frames are complete: written now, before SQLite
        // syncs or, with a `synchronous` below FULL, publishes them in the
        // log index without a sync (other connections then read them).
        return flush(file);
    }
    (*g).commit_page_next = amount == FRAME_HEADER_BYTES && data[4..8] != [0; 4];
    ffi::SQLITE_OK
}

/// Declares a method that writes what is gathered, then calls the `unix`
/// file's own.
macro_rules! flushing {
    ($name:ident, $field:ident, ($($arg:ident: $ty:ty),*)) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file $(, $arg: $ty)*) -> c_int {
            let rc = flush(file);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
            let (_, real) = parts(file);
            match methods(real).$field {
                Some(f) => f(real $(, $arg)*),
                None => ffi::SQLITE_MISUSE,
            }
        }
    };
}

flushing!(read, xRead, (buf: *mut c_void, amount: c_int, offset: i64));
flushing!(truncate, xTruncate, (size: i64));
flushing!(sync, xSync, (flags: c_int));
flushing!(file_size, xFileSize, (size: *mut i64));
flushing!(lock, xLock, (level: c_int));
flushing!(unlock, xUnlock, (level: c_int));
flushing!(file_control, xFileControl, (op: c_int, arg: *mut c_void));
flushing!(shm_lock, xShmLock, (offset: c_int, n: c_int, flags: c_int));
flushing!(fetch, xFetch, (offset: i64, amount: c_int, out: *mut *mut c_void));

/// Declares a method that only calls the `unix` file's own.
macro_rules! passing {
    ($name:ident, $field:ident, ($($arg:ident: $ty:ty),*)) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file $(, $arg: $ty)*) -> c_int {
            let (_, real) = parts(file);
            match methods(real).$field {
                Some(f) => f(real $(, $arg)*),
                None => ffi::SQLITE_MISUSE,
            }
        }
    };
}

passing!(check_reserved_lock, xCheckReservedLock, (out: *mut c_int));
passing!(sector_size, xSectorSize, ());
passing!(device_characteristics, xDeviceCharacteristics, ());
passing!(shm_map, xShmMap, (page: c_int, page_size: c_int, extend: c_int, out: *mut *mut c_void));
passing!(shm_unmap, xShmUnmap, (delete: c_int));
passing!(unfetch, xUnfetch, (offset: i64, p: *mut c_void));

unsafe extern "C" fn shm_barrier(file: *mut ffi::sqlite3_file) {
    // The log index is published behind this barrier: what it names must
    // be in the file first. A failed write surfaces at the next sync.
    let _ = flush(file);
    let (_, real) = parts(file);
    if let Some(f) = methods(real).xShmBarrier {
        f(real);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    fn open_synced(path: &std::path::Path, synchronous: &str) -> Connection {
        let name = register().unwrap();
        let c = Connection::open_with_flags_and_vfs(path, OpenFlags::default(), name).unwrap();
        c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        c.pragma_update(None, "synchronous", synchronous).unwrap();
        c
    }

    fn open(path: &std::path::Path) -> Connection {
        open_synced(path, "FULL")
    }

    #[test]
    fn what_one_connection_commits_the_next_reads_and_reopening_keeps() {
        for synchronous in ["FULL", "NORMAL"] {
            commits_read_and_kept(synchronous);
        }
    }

    /// With NORMAL, SQLite publishes a commit without syncing the log: the
    /// frames must be in the file all the same (the commit frame writes
    /// them).
    fn commits_read_and_kept(synchronous: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let w = open_synced(&path, synchronous);
        w.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
            .unwrap();
        let r = open(&path);
        for i in 0..200i64 {
            // Rows of several pages each, so commits span many frames.
            w.execute("INSERT INTO t VALUES (?1, randomblob(9000))", [i])
                .unwrap();
            let n: i64 = r
                .query_row("SELECT count(*) FROM t", [], |x| x.get(0))
                .unwrap();
            assert_eq!(n, i + 1, "the reader sees every commit at once");
        }
        // One transaction larger than the gathering bound.
        w.execute_batch(
            "BEGIN; WITH RECURSIVE s(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM s \
             WHERE i < 1400) INSERT INTO t SELECT i, randomblob(5000) FROM s; COMMIT;",
        )
        .unwrap();
        drop(r);
        drop(w);
        let again = open(&path);
        let (n, ok): (i64, String) = again
            .query_row(
                "SELECT (SELECT count(*) FROM t), (SELECT integrity_check FROM pragma_integrity_check)",
                [],
                |x| Ok((x.get(0)?, x.get(1)?)),
            )
            .unwrap();
        assert_eq!((n, ok.as_str()), (601, "ok"));
    }

    #[test]
    fn a_commit_reaches_the_log_file_before_it_returns() {
        // The frames must be in the file when the commit returns, not only
        // in the gathering buffer: another process reads them from there.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let w = open(&path);
        w.execute_batch("CREATE TABLE t (v BLOB); INSERT INTO t VALUES (randomblob(100000))")
            .unwrap();
        let wal = std::fs::metadata(dir.path().join("t.db-wal"))
            .unwrap()
            .len();
        assert!(
            wal > 100_000,
            "the log holds the commit's frames: {wal} bytes"
        );
        // A connection on SQLite's own VFS (as another process would be)
        // reads the row.
        let plain = Connection::open(&path).unwrap();
        let n: i64 = plain
            .query_row("SELECT length(v) FROM t", [], |x| x.get(0))
            .unwrap();
        assert_eq!(n, 100_000);
    }
}

//! The server's named limits on connections and requests. Each can be set
//! in the configuration file (`[http]`, see [`crate::config`]) and is
//! listed in docs/operating.md with the error it causes.

use std::time::Duration;

/// A new connection must deliver a whole request head within this, and a
/// request head whose first byte arrived must be whole within this: the
/// connection is closed otherwise (half-open connections, slowloris).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A kept-alive connection with no request in progress is closed after
/// this.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A request's body must arrive whole within this of its head (else
/// `408 request_timeout`).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A response the client does not read for this long (the socket's buffer
/// stays full) ends its connection.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Open connections from one client address, at most. A new connection
/// past it closes that client's longest-idle connection, or is answered
/// `503 too_many_connections` when all of them have requests in progress.
/// Behind a reverse proxy every client has the proxy's address: raise it
/// to [`CONNECTIONS_MAX`] there.
pub const CONNECTIONS_PER_CLIENT_MAX: usize = 1_024;

/// Open connections in all, at most (lowered at start to what the
/// process's file limit allows, keeping [`FILES_RESERVED`] for the store
/// and outgoing calls). A new connection past it closes the longest-idle
/// connection, or is answered `503 too_many_connections` when every
/// connection has a request in progress.
pub const CONNECTIONS_MAX: usize = 10_000;

/// File descriptors kept out of [`CONNECTIONS_MAX`]'s reach: the store's
/// files and connections, push calls, the listener.
pub const FILES_RESERVED: usize = 256;

/// Bytes of one request head (request line and headers) a connection
/// buffers, at most; hyper answers a longer head `431 headers_too_large`
/// (and a URI over 64 KiB `414 uri_too_long`). Bounds the memory a slow
/// client's half-sent head holds: hyper's default is about 400 KiB.
pub const HEAD_BYTES_MAX: usize = 128 * 1024;

/// On SIGTERM, requests in progress get this long to finish (long polls
/// and waits answer at once); connections still open then are closed.
/// Connections with no request in progress close at once.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How often connections are checked against the timeouts above.
pub const SWEEP_EVERY: Duration = Duration::from_millis(200);

/// `/readyz` fails when the core thread has not gone round its loop for
/// this long (it goes round at least every second).
pub const READY_HEARTBEAT_MAX: Duration = Duration::from_secs(5);

/// `/readyz` fails when a batch has been committing for this long.
pub const READY_COMMIT_MAX: Duration = Duration::from_secs(10);

/// `/readyz` fails when a read of the store takes longer than this.
pub const READY_STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// Journal entries one page of `GET /v1/runs/{id}/journal` holds, at most
/// (`limit`), and when no `limit` is given.
pub const JOURNAL_PAGE_ENTRIES_MAX: usize = 1_000;

/// Longest activity name a poll may name, in bytes.
pub const ACTIVITY_NAME_BYTES_MAX: usize = 256;

/// Longest worker name a poll may give, in bytes.
pub const WORKER_NAME_BYTES_MAX: usize = 256;

/// Longest file name in a deploy, in bytes.
pub const FILE_NAME_BYTES_MAX: usize = 255;

/// The limits on connections, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Http {
    /// [`HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
    /// [`IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// [`BODY_READ_TIMEOUT`].
    pub body_read_timeout: Duration,
    /// [`WRITE_STALL_TIMEOUT`].
    pub write_stall_timeout: Duration,
    /// [`CONNECTIONS_PER_CLIENT_MAX`].
    pub connections_per_client_max: usize,
    /// [`CONNECTIONS_MAX`].
    pub connections_max: usize,
    /// [`SHUTDOWN_GRACE`].
    pub shutdown_grace: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            header_read_timeout: HEADER_READ_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            write_stall_timeout: WRITE_STALL_TIMEOUT,
            connections_per_client_max: CONNECTIONS_PER_CLIENT_MAX,
            connections_max: CONNECTIONS_MAX,
            shutdown_grace: SHUTDOWN_GRACE,
        }
    }
}

/// Connections the process's open-file limit leaves room for (after
/// [`FILES_RESERVED`]), if it can be read. The soft limit is raised to
/// the hard one first (as Go's runtime does): the default soft limit of
/// 1,024 is far below what a server needs.
pub fn connections_the_file_limit_allows() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the limit into the struct we own.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
            return None;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            // SAFETY: setrlimit reads the struct we own; raising the soft
            // limit up to the hard one needs no privilege.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                lim = raised;
            }
        }
        if lim.rlim_cur == libc::RLIM_INFINITY {
            return None;
        }
        Some(
            (lim.rlim_cur as usize)
                .saturating_sub(FILES_RESERVED)
                .max(1),
        )
    }
    #[cfg(not(unix))]
    {
        None
    }
}

//! The sources' named limits and timings (docs/triggers.md lists them).

use std::time::Duration;

/// Items one poll or read asks for, when the source's `batch` is not set.
pub const BATCH_DEFAULT: usize = 100;

/// Largest `batch` a source may set (an ingest is one transaction).
pub const BATCH_MAX: usize = 1_000;

/// How often a pull source polls, when its `interval` is not set. A poll
/// that returned a full batch polls again at once.
pub const INTERVAL_DEFAULT: Duration = Duration::from_secs(5);

/// First wait after a failure (the source or the engine away); it doubles
/// up to [`BACKOFF_MAX`] and starts over after a success.
pub const BACKOFF_MIN: Duration = Duration::from_millis(100);

/// Longest wait between two attempts after failures.
pub const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// One HTTP poll's whole request, at most.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest answer of one HTTP poll, in bytes.
pub const HTTP_BODY_BYTES_MAX: usize = 16 * 1024 * 1024;

/// Longest a stream read waits for a message before it looks around
/// (reclaims, status) and waits again.
pub const STREAM_WAIT: Duration = Duration::from_secs(1);

/// A Redis entry another consumer read and left unacknowledged this long
/// is claimed (its consumer crashed): it is delivered again here.
pub const REDIS_CLAIM_IDLE: Duration = Duration::from_secs(30);

/// How long JetStream waits for an acknowledgement before it delivers a
/// message again (to this node or another).
pub const NATS_ACK_WAIT: Duration = Duration::from_secs(30);

/// Longest source name, in bytes (it prefixes every event id).
pub const SOURCE_NAME_BYTES_MAX: usize = 64;

/// Longest cursor a pull source may keep, in bytes.
pub const CURSOR_BYTES_MAX: usize = 1_024;

/// Doubles `d`, up to [`BACKOFF_MAX`].
pub fn next_backoff(d: Duration) -> Duration {
    (d * 2).min(BACKOFF_MAX)
}

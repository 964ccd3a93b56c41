//! The two kinds of failure: a handler's ([`Error`], reported to the
//! server as the attempt's failure) and a request's ([`ClientError`], when
//! talking to the server went wrong).

use std::fmt;

/// Why an activity attempt failed: the `Err` of a handler.
///
/// The worker reports it as `POST /v1/tasks/{taskId}/fail {error, retryable}`.
/// The flow's `@retry(n)` decides whether a retryable failure gets another
/// attempt; a permanent one ends the retries at once. (The same naming as
/// `weft_runtime::ActivityError`, for activities embedded in the engine.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong, for the run's journal and the operator.
    pub message: String,
    /// False when retrying cannot help.
    pub retryable: bool,
}

impl Error {
    /// A failure that a retry may fix (a timeout, a connection reset, a
    /// dependency that is down). Takes anything printable, so
    /// `.map_err(Error::retryable)?` works on most errors.
    pub fn retryable(message: impl fmt::Display) -> Error {
        Error {
            message: message.to_string(),
            retryable: true,
        }
    }

    /// A failure that retrying cannot fix (invalid arguments, a declined
    /// card): the call fails at once, whatever its `@retry`.
    pub fn permanent(message: impl fmt::Display) -> Error {
        Error {
            message: message.to_string(),
            retryable: false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.retryable {
            "retryable"
        } else {
            "permanent"
        };
        write!(f, "{} ({kind})", self.message)
    }
}

impl std::error::Error for Error {}

/// Why a request to the server failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No answer: the server is down, unreachable, or too slow.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The server answered with an error (`{"error": {"code", "message"}}`).
    #[error("the server answered {status} ({code}): {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The API's error code (`unknown_task`, `unauthorized`, ...).
        code: String,
        /// The server's explanation.
        message: String,
    },
    /// The server's answer could not be read.
    #[error("the server's answer could not be read: {0}")]
    Invalid(String),
    /// The worker is not set up correctly (no activities, a bad URL).
    #[error("{0}")]
    Config(String),
}

impl ClientError {
    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A 404: for a task, it was answered, cancelled, or replaced by a
    /// newer attempt; for a callback, the token is unknown.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when trying again later may succeed: no answer, a 5xx, 408 or
    /// 429. Everything else (401, 404, 409, 422, ...) will not change.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable(_) => true,
            ClientError::Api { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            ClientError::Invalid(_) | ClientError::Config(_) => false,
        }
    }
}

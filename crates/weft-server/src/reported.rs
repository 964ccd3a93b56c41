//! What workers reported since the server started, counted for
//! `/metrics`: results by the path they came (requests or two-way stream
//! lines), results refused, report lines refused.

use std::sync::atomic::{AtomicU64, Ordering};

/// How a result came in, for the counts `/metrics` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// `POST /v1/tasks/results`, `/complete`, `/fail` or `/heartbeat`.
    Request,
    /// A report line down a two-way task stream.
    Stream,
}

/// What workers reported since the server started, for `/metrics`: an
/// operator moving workers to two-way streams sees the results move from
/// one path to the other, and a rise in refusals (tasks that timed out or
/// went to another worker before their result came).
#[derive(Debug, Default)]
pub struct Counts {
    by_request: AtomicU64,
    by_stream: AtomicU64,
    rejected: AtomicU64,
    bad_lines: AtomicU64,
    beats_by_request: AtomicU64,
    beats_by_stream: AtomicU64,
}

/// A copy of [`Counts`] at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountsNow {
    /// Results taken by request, refused ones included.
    pub by_request: u64,
    /// Results taken from stream report lines, refused ones included.
    pub by_stream: u64,
    /// Results refused because their task was no longer open.
    pub rejected: u64,
    /// Report lines refused whole as malformed (nothing of them applied).
    pub bad_lines: u64,
    /// Heartbeats taken by request, refused ones included.
    pub beats_by_request: u64,
    /// Heartbeats taken from stream report lines, refused ones included.
    pub beats_by_stream: u64,
}

impl Counts {
    /// One result taken, refused or not.
    pub fn result(&self, via: Via, refused: bool) {
        match via {
            Via::Request => &self.by_request,
            Via::Stream => &self.by_stream,
        }
        .fetch_add(1, Ordering::Relaxed);
        if refused {
            self.rejected.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// One heartbeat taken, refused or not.
    pub fn heartbeat(&self, via: Via) {
        match via {
            Via::Request => &self.beats_by_request,
            Via::Stream => &self.beats_by_stream,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    /// One report line refused as malformed.
    pub fn bad_line(&self) {
        self.bad_lines.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts now.
    pub fn now(&self) -> CountsNow {
        CountsNow {
            by_request: self.by_request.load(Ordering::Relaxed),
            by_stream: self.by_stream.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            bad_lines: self.bad_lines.load(Ordering::Relaxed),
            beats_by_request: self.beats_by_request.load(Ordering::Relaxed),
            beats_by_stream: self.beats_by_stream.load(Ordering::Relaxed),
        }
    }
}

//! The credit of task streams (`stream.rs`): which open stream holds each
//! unreported task, so that a report through any endpoint gives the credit
//! back to the stream that handed the task out. A leaf the handlers share
//! through `state.rs`.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::queue::TaskError;

/// The unreported tasks of one stream.
#[derive(Default)]
pub(crate) struct Credit {
    out: Mutex<HashSet<String>>,
    /// Told when a report gives credit back.
    pub(crate) freed: Notify,
}

impl Credit {
    /// The stream's unreported task ids.
    pub(crate) fn out(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.out.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The open streams and which of them holds each unreported task.
#[derive(Default)]
pub struct Streams {
    open: AtomicUsize,
    owners: Mutex<HashMap<String, Arc<Credit>>>,
}

impl Streams {
    fn owners(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Credit>>> {
        self.owners.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// A worker reported task `id` (through any endpoint): the stream that
    /// handed it out gets its credit back. A report the store could not
    /// take leaves the task with its stream: the worker tries again.
    pub(crate) fn reported(&self, id: &str, done: &Result<(), TaskError>) {
        if matches!(done, Err(TaskError::Store(_))) {
            return;
        }
        let credit = self.owners().remove(id);
        if let Some(c) = credit {
            c.out().remove(id);
            c.freed.notify_one();
        }
    }

    /// Takes one of `max` places for a new stream; false when all are
    /// taken.
    pub(crate) fn enter(&self, max: usize) -> bool {
        if self.open.fetch_add(1, Ordering::Relaxed) >= max {
            self.open.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Gives back a place taken with [`Streams::enter`].
    pub(crate) fn leave(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Tasks `ids` were leased to the stream of `credit`.
    pub(crate) fn handed(&self, credit: &Arc<Credit>, ids: &[String]) {
        let mut owners = self.owners();
        let mut out = credit.out();
        for id in ids {
            owners.insert(id.clone(), credit.clone());
            out.insert(id.clone());
        }
    }

    /// Forgets tasks `ids` (given back, or no longer open).
    pub(crate) fn forget(&self, ids: &[String]) {
        let mut owners = self.owners();
        for id in ids {
            owners.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_gives_the_credit_back_to_its_stream_only() {
        let s = Streams::default();
        let (a, b) = (Arc::new(Credit::default()), Arc::new(Credit::default()));
        s.handed(&a, &["t1.1".into(), "t2.1".into()]);
        s.handed(&b, &["t3.1".into()]);
        s.reported("t1.1", &Ok(()));
        assert_eq!(a.out().len(), 1);
        assert_eq!(b.out().len(), 1);
        // A report the store could not take keeps the task with its stream.
        s.reported("t3.1", &Err(TaskError::Store("down".into())));
        assert_eq!(b.out().len(), 1);
        // A task no longer open gives the credit back too.
        s.reported("t3.1", &Err(TaskError::Unknown));
        assert!(b.out().is_empty());
        // Unknown ids change nothing.
        s.reported("nope.1", &Ok(()));
        assert_eq!(a.out().len(), 1);
    }

    #[test]
    fn streams_past_the_limit_are_refused() {
        let s = Streams::default();
        assert!(s.enter(2) && s.enter(2));
        assert!(!s.enter(2));
        assert_eq!(s.open(), 2);
        s.leave();
        assert!(s.enter(2));
    }
}

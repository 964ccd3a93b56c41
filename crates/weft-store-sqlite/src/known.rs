//! What the store last committed of each run it wrote, so that a run's next
//! step writes without reading the run's row first.
//!
//! A step's write needs the run's number and journal steps, and whether
//! its status and the columns fixed at creation changed (setting an indexed
//! column rewrites its index entries even when the value is the same; see
//! `apply_run`). Reading them was one statement of a step's five, about a
//! tenth of the writer's work (docs/benchmarks.md, round 10). Only a store
//! that is its directory's only user keeps this ([`crate::OpenOptions`]'s
//! `exclusive`): another writer could change a row under it.
//!
//! What is kept changes only once a transaction that wrote it committed:
//! a batch's entries are staged while it is applied and kept after its
//! commit returned, and a batch that fails forgets everything (its rows
//! rolled back; nothing is guessed). Every other write of a run's row
//! (parking, unparking, cancelling a parked run) forgets that run.

use foldhash::HashMap;

use weft_engine::state::Status;
use weft_store::RunRecord;

/// Runs remembered, at most; past it the store forgets them all and reads
/// rows again as it writes them (about 200 bytes and the input's JSON
/// each). Only running runs are remembered: a run that waits (on `await`,
/// for days perhaps) or ended is forgotten, and its next write, if any,
/// reads its row.
pub const KNOWN_RUNS_MAX: usize = 100_000;

/// Bytes of the remembered runs' inputs (their JSON text) and other text
/// columns, at most; past it the store forgets them all, as past
/// [`KNOWN_RUNS_MAX`]. Without it, many running runs with large inputs
/// would each be held twice: by the host and here.
pub const KNOWN_BYTES_MAX: usize = 64 * 1024 * 1024;

/// A run's row as this store last committed it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KnownRun {
    pub seq: i64,
    pub journal_steps: i64,
    pub status: Status,
    pub flow: String,
    pub version: i64,
    /// The input's JSON text, as stored.
    pub input: String,
    pub parent: Option<String>,
    pub idempotency_key: Option<String>,
    pub created_at: i64,
}

impl KnownRun {
    /// The row a write of `rec` leaves (`input` its input's JSON text).
    pub fn written(rec: &RunRecord, input: &str, seq: i64, journal_steps: i64) -> KnownRun {
        KnownRun {
            seq,
            journal_steps,
            status: rec.status,
            flow: rec.flow.clone(),
            version: rec.version,
            input: input.to_string(),
            parent: rec.parent.clone(),
            idempotency_key: rec.idempotency_key.clone(),
            created_at: rec.created_at,
        }
    }

    /// Bytes of its text columns, counted against [`KNOWN_BYTES_MAX`].
    fn bytes(&self) -> usize {
        self.flow.len()
            + self.input.len()
            + self.parent.as_ref().map_or(0, String::len)
            + self.idempotency_key.as_ref().map_or(0, String::len)
    }

    /// The columns fixed at creation are `rec`'s (`input` its input's JSON
    /// text).
    pub fn fixed_same(&self, rec: &RunRecord, input: &str) -> bool {
        self.flow == rec.flow
            && self.version == rec.version
            && self.input == input
            && self.parent == rec.parent
            && self.idempotency_key == rec.idempotency_key
            && self.created_at == rec.created_at
    }
}

/// How a batch changed a run's row.
#[derive(Debug)]
pub(crate) enum Change {
    /// The row as written, whole.
    Row(KnownRun),
    /// The remembered row, with new journal steps and status (the columns
    /// fixed at creation unchanged).
    Moved { journal_steps: i64, status: Status },
}

/// A batch's changes while it is applied: one per run. A run written twice
/// in one batch is read from its row the second time (what is remembered
/// is the row before the batch), and its second change replaces the first.
#[derive(Debug, Default)]
pub(crate) struct Staged(HashMap<String, Change>);

impl Staged {
    /// Room for a batch of `writes` writes, so that staging never grows
    /// the table mid-batch.
    pub fn with_capacity(writes: usize) -> Staged {
        Staged(HashMap::with_capacity_and_hasher(
            writes,
            Default::default(),
        ))
    }

    /// The batch wrote this run already.
    pub fn has(&self, run_id: &str) -> bool {
        self.0.contains_key(run_id)
    }

    pub fn put(&mut self, run_id: &str, change: Change) {
        self.0.insert(run_id.to_string(), change);
    }
}

/// The runs remembered.
#[derive(Debug, Default)]
pub(crate) struct Known {
    runs: HashMap<String, KnownRun>,
    /// [`KnownRun::bytes`] of every run in `runs`.
    bytes: usize,
    /// Set while a batch's changes are being kept: a panic in between
    /// leaves it set, and the next batch starts by forgetting everything.
    keeping: bool,
}

impl Known {
    /// The run's row as last committed, if remembered.
    pub fn get(&self, run_id: &str) -> Option<&KnownRun> {
        self.runs.get(run_id)
    }

    /// Called before a batch is applied.
    pub fn begin(&mut self) {
        if self.keeping {
            self.forget_all();
        }
    }

    /// A batch committed with these changes, one per run.
    pub fn keep(&mut self, staged: Staged) {
        self.keeping = true;
        for (id, change) in staged.0 {
            let row = match change {
                Change::Row(row) => row,
                Change::Moved {
                    journal_steps,
                    status,
                } => match self.take(&id) {
                    Some(row) => KnownRun {
                        journal_steps,
                        status,
                        ..row
                    },
                    // Forgotten meanwhile (the bound): read again.
                    None => continue,
                },
            };
            // The run's earlier row, if any, is replaced either way.
            self.take(&id);
            if row.status != Status::Running {
                // Not written again soon, if ever: a later write reads the
                // row, and many waiting runs take no memory here.
                continue;
            }
            if self.runs.len() >= KNOWN_RUNS_MAX || self.bytes + row.bytes() > KNOWN_BYTES_MAX {
                self.clear();
            }
            self.bytes += row.bytes();
            self.runs.insert(id, row);
        }
        self.keeping = false;
    }

    /// Removes a run, keeping the byte count.
    fn take(&mut self, run_id: &str) -> Option<KnownRun> {
        let row = self.runs.remove(run_id)?;
        self.bytes -= row.bytes();
        Some(row)
    }

    fn clear(&mut self) {
        self.runs.clear();
        self.bytes = 0;
    }

    /// A write other than a batch changed this run's row.
    pub fn forget(&mut self, run_id: &str) {
        self.take(run_id);
    }

    /// A batch failed: its rows are rolled back, and what was kept of
    /// them before it is not trusted either.
    pub fn forget_all(&mut self) {
        self.clear();
        self.keeping = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: Status, steps: i64) -> KnownRun {
        KnownRun {
            seq: 1,
            journal_steps: steps,
            status,
            flow: "F".into(),
            version: 1,
            input: "{}".into(),
            parent: None,
            idempotency_key: None,
            created_at: 0,
        }
    }

    #[test]
    fn a_batch_keeps_its_last_write_of_a_run_and_forgets_runs_that_stop_running() {
        let mut k = Known::default();
        k.begin();
        let mut s = Staged::default();
        s.put("a", Change::Row(row(Status::Running, 1)));
        s.put("a", Change::Row(row(Status::Running, 2)));
        s.put("b", Change::Row(row(Status::Running, 1)));
        assert!(s.has("a") && !s.has("c"));
        k.keep(s);
        assert_eq!(k.get("a").map(|r| r.journal_steps), Some(2));
        let mut s = Staged::default();
        s.put(
            "a",
            Change::Moved {
                journal_steps: 3,
                status: Status::Running,
            },
        );
        s.put("b", Change::Row(row(Status::Waiting, 2)));
        // Not remembered: nothing to move.
        s.put(
            "c",
            Change::Moved {
                journal_steps: 3,
                status: Status::Waiting,
            },
        );
        k.keep(s);
        let a = k.get("a").unwrap();
        assert_eq!(
            (a.journal_steps, a.status, a.flow.as_str()),
            (3, Status::Running, "F")
        );
        // Waiting: forgotten.
        assert_eq!(k.get("b"), None);
        assert_eq!(k.get("c"), None);
        let mut s = Staged::default();
        s.put(
            "a",
            Change::Moved {
                journal_steps: 4,
                status: Status::Completed,
            },
        );
        k.keep(s);
        assert_eq!(k.get("a"), None);
        let mut s = Staged::default();
        s.put("a", Change::Row(row(Status::Running, 5)));
        k.keep(s);
        k.forget("a");
        assert_eq!(k.get("a"), None);
    }

    /// Past the byte bound everything is forgotten, as past the count
    /// bound, and the count of bytes follows every removal.
    #[test]
    fn large_inputs_are_bounded_by_their_bytes() {
        let mut k = Known::default();
        let big = |steps| KnownRun {
            input: "x".repeat(KNOWN_BYTES_MAX / 4),
            ..row(Status::Running, steps)
        };
        let per_run = big(1).bytes();
        let mut s = Staged::default();
        for id in ["a", "b", "c"] {
            s.put(id, Change::Row(big(1)));
        }
        k.keep(s);
        assert_eq!((k.runs.len(), k.bytes), (3, 3 * per_run));
        // Rewritten, moved, forgotten: counted once each, then not at all.
        let mut s = Staged::default();
        s.put("a", Change::Row(big(2)));
        s.put(
            "b",
            Change::Moved {
                journal_steps: 2,
                status: Status::Running,
            },
        );
        s.put(
            "c",
            Change::Moved {
                journal_steps: 2,
                status: Status::Completed,
            },
        );
        k.keep(s);
        assert_eq!((k.runs.len(), k.bytes), (2, 2 * per_run));
        k.forget("b");
        assert_eq!(k.bytes, per_run);
        let mut s = Staged::default();
        for id in ["d", "e", "f"] {
            s.put(id, Change::Row(big(1)));
        }
        k.keep(s);
        // The fourth would pass the bound: all forgotten, then it is kept.
        assert!(k.bytes <= KNOWN_BYTES_MAX, "{}", k.bytes);
        assert!(k.runs.len() < 4);
        assert_eq!(k.bytes, k.runs.values().map(KnownRun::bytes).sum::<usize>());
        k.forget_all();
        assert_eq!((k.runs.len(), k.bytes), (0, 0));
    }

    #[test]
    fn a_batch_interrupted_while_kept_is_forgotten_at_the_next() {
        let mut k = Known::default();
        let mut s = Staged::default();
        s.put("a", Change::Row(row(Status::Running, 1)));
        k.keep(s);
        // As if a panic had stopped `keep` half-way.
        k.keeping = true;
        k.begin();
        assert_eq!(k.get("a"), None);
    }
}

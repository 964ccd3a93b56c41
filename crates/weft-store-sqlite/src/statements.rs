//! The statements a batch runs for nearly every step, taken from
//! rusqlite's statement cache once per batch instead of once per write.
//!
//! Taking a statement from the cache and putting it back hashes its SQL
//! text both ways (SipHash over a hundred bytes or more) and clears its
//! bindings: with four such statements a step, about a twentieth of the
//! writer's work (docs/benchmarks.md, round 10). A statement held here
//! must not be taken from the cache elsewhere while the batch runs (the
//! cache would prepare a second copy), so every use of these texts goes
//! through [`StepStatements`].

use rusqlite::{CachedStatement, Connection};

/// A statement of [`StepStatements`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Hot {
    /// A step's columns of the run's row (see `apply_run`).
    UpdateRun,
    /// A journal step (see `journal::append`).
    JournalPut,
    /// A task done.
    TaskDelete,
    /// A task to carry out.
    TaskPut,
}

const HOT_COUNT: usize = 4;

impl Hot {
    fn sql(self) -> &'static str {
        match self {
            Hot::UpdateRun => {
                "UPDATE runs SET result = ?2, error = ?3, waiting = ?4, position = ?5, \
                 updated_at = ?6, journal_steps = journal_steps + ?7, state = ?8 \
                 WHERE seq = ?1"
            }
            Hot::JournalPut => {
                "INSERT OR REPLACE INTO journal (key, step, entries, cause) \
                 VALUES (?1, ?2, ?3, ?4)"
            }
            Hot::TaskDelete => "DELETE FROM tasks WHERE call_id = ?1",
            Hot::TaskPut => {
                "INSERT OR REPLACE INTO tasks (call_id, run_id, task) VALUES (?1, ?2, ?3)"
            }
        }
    }
}

/// The [`Hot`] statements of one transaction, each taken from the cache
/// when first used and given back when this is dropped.
#[derive(Default)]
pub(crate) struct StepStatements<'c> {
    taken: [Option<CachedStatement<'c>>; HOT_COUNT],
}

impl<'c> StepStatements<'c> {
    /// Statement `which`, prepared on `conn` (the transaction's).
    pub fn get(
        &mut self,
        conn: &'c Connection,
        which: Hot,
    ) -> rusqlite::Result<&mut CachedStatement<'c>> {
        let slot = &mut self.taken[which as usize];
        Ok(match slot {
            Some(s) => s,
            None => slot.insert(conn.prepare_cached(which.sql())?),
        })
    }
}

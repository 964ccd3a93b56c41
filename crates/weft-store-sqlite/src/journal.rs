//! The journal's rows: one per step, keyed by one integer made of the run's
//! number and the step (schema 12).
//!
//! `key = seq * JOURNAL_KEY_SPAN + step % JOURNAL_KEY_SPAN`. A run keeps at
//! most [`JOURNAL_STEPS_PER_RUN_MAX`] consecutive steps, fewer than
//! [`JOURNAL_KEY_SPAN`], so the steps kept never share a key, and a run's
//! rows are one range of keys: the table needs no index of its own (the
//! 45 bytes per waiting run the `(run, step)` index took, docs/benchmarks.md
//! round 5). Within the range the steps wrap around, so a run of steps is
//! at most two ranges of keys, in step order.

use rusqlite::{params, Connection, Transaction};
use weft_store::{JournalStep, Result, StoreError, JOURNAL_STEPS_PER_RUN_MAX};

use crate::statements::{Hot, StepStatements};
use crate::{corrupt, db_err, from_journal};

/// Keys given to each run's journal rows: a run's steps take the keys
/// `seq * JOURNAL_KEY_SPAN ..` `(seq + 1) * JOURNAL_KEY_SPAN`, step `n` the one
/// at `n % JOURNAL_KEY_SPAN`. Part of the stored format.
pub const JOURNAL_KEY_SPAN: i64 = 16_384;

// The steps a run keeps must not share a key.
const _: () = assert!(JOURNAL_STEPS_PER_RUN_MAX < JOURNAL_KEY_SPAN);

/// The first key of run `seq`'s range.
fn base(seq: i64) -> Result<i64> {
    seq.checked_mul(JOURNAL_KEY_SPAN).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "run number {seq} is beyond what journal keys can hold"
        ))
    })
}

/// The key ranges, in step order, of steps `from..=to` of run `seq`
/// (`to - from` below [`JOURNAL_KEY_SPAN`]; none when `from > to`).
fn ranges(seq: i64, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
    if from > to {
        return Ok(Vec::new());
    }
    debug_assert!(to - from < JOURNAL_KEY_SPAN);
    let b = base(seq)?;
    let (lo, hi) = (
        from.rem_euclid(JOURNAL_KEY_SPAN),
        to.rem_euclid(JOURNAL_KEY_SPAN),
    );
    Ok(if lo <= hi {
        vec![(b + lo, b + hi)]
    } else {
        vec![(b + lo, b + JOURNAL_KEY_SPAN - 1), (b, b + hi)]
    })
}

/// A journal step to store.
pub(crate) struct Step<'a> {
    /// The run's number.
    pub seq: i64,
    pub run_id: &'a str,
    pub step: i64,
    pub entries: Vec<u8>,
    pub cause: Option<Vec<u8>>,
}

/// Stores `step`, and drops the steps of its run that fall out of the
/// newest [`JOURNAL_STEPS_PER_RUN_MAX`].
pub(crate) fn append<'c>(
    tx: &'c Transaction<'_>,
    statements: &mut StepStatements<'c>,
    Step {
        seq,
        run_id,
        step,
        entries,
        cause,
    }: Step<'_>,
) -> Result<()> {
    let what = || format!("commit: journal of run {run_id}");
    let key = base(seq)? + step.rem_euclid(JOURNAL_KEY_SPAN);
    // A row already at this key is a step at least JOURNAL_KEY_SPAN older,
    // long out of the steps kept: replaced.
    statements
        .get(tx, Hot::JournalPut)
        .and_then(|s| s.execute(params![key, step, entries, cause]))
        .map_err(|e| db_err(e, what))?;
    if step > JOURNAL_STEPS_PER_RUN_MAX {
        // One step in, one out, as a rule; every step older than the
        // newest JOURNAL_STEPS_PER_RUN_MAX whose key may still hold a row.
        let oldest = (step - JOURNAL_KEY_SPAN + 1).max(1);
        for (a, b) in ranges(seq, oldest, step - JOURNAL_STEPS_PER_RUN_MAX)? {
            tx.prepare_cached("DELETE FROM journal WHERE key BETWEEN ?1 AND ?2")
                .and_then(|mut s| s.execute(params![a, b]))
                .map_err(|e| db_err(e, what))?;
        }
    }
    Ok(())
}

/// A run's number and its newest step, if it is stored.
fn run_of(conn: &Connection, run_id: &str) -> Result<Option<(i64, i64)>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT seq, journal_steps FROM runs WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([run_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| db_err(e, || format!("journal of run {run_id}")))
}

/// Steps `from_step` and later of run `run_id`, in order, at most
/// `steps_max` of them. The run's number and newest step are read first,
/// then each key range in one transaction, so the page is of one moment.
pub(crate) fn read(
    conn: &Connection,
    run_id: &str,
    from_step: i64,
    steps_max: usize,
) -> Result<Vec<JournalStep>> {
    let what = || format!("journal of run {run_id}");
    let tx = conn.unchecked_transaction().map_err(|e| db_err(e, what))?;
    let Some((seq, newest)) = run_of(&tx, run_id)? else {
        return Ok(Vec::new());
    };
    let from = from_step.max(newest - JOURNAL_KEY_SPAN + 1).max(1);
    let mut out = Vec::new();
    for (a, b) in ranges(seq, from, newest)? {
        let left = steps_max.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        let mut s = tx
            .prepare_cached(
                "SELECT step, entries, cause FROM journal WHERE key BETWEEN ?1 AND ?2 \
                 ORDER BY key LIMIT ?3",
            )
            .map_err(|e| db_err(e, what))?;
        let mut rows = s
            .query(params![a, b, i64::try_from(left).unwrap_or(i64::MAX)])
            .map_err(|e| db_err(e, what))?;
        while let Some(row) = rows.next().map_err(|e| db_err(e, what))? {
            let step: i64 = row.get(0).map_err(|e| db_err(e, what))?;
            if step < from || step > newest {
                return Err(corrupt(
                    what(),
                    format!("step {step} is stored where steps {from} to {newest} go"),
                ));
            }
            out.push(JournalStep {
                step,
                entries: from_journal(row, 1, run_id, &what)?
                    .ok_or_else(|| corrupt(what(), "the entries are NULL"))?,
                cause: from_journal(row, 2, run_id, &what)?,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_steps_is_at_most_two_ranges_in_step_order() {
        let s = JOURNAL_KEY_SPAN;
        assert_eq!(ranges(2, 1, 3).unwrap(), [(2 * s + 1, 2 * s + 3)]);
        assert_eq!(ranges(2, 4, 3).unwrap(), []);
        // Across the wrap: the end of the range, then its start.
        assert_eq!(
            ranges(2, s - 2, s + 1).unwrap(),
            [(2 * s + s - 2, 2 * s + s - 1), (2 * s, 2 * s + 1)]
        );
        assert_eq!(ranges(0, s, s).unwrap(), [(0, 0)]);
        assert!(base(i64::MAX / 2).is_err());
    }
}

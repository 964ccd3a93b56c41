//! Time travel: a run's state after any step of its journal, rebuilt by
//! replaying the journal against the run's program
//! ([`weft_engine::replay`]), for people (`weft runs show ID --step N`,
//! `GET /v1/runs/{id}/steps/{n}`) and for forks.
//!
//! Why replay rather than a snapshot per step: a snapshot is the whole
//! state (kilobytes), a step's cause is tens of bytes, and most steps are
//! never looked at. Replaying step N costs running N steps again (a few
//! microseconds each for typical flows); [`STEPS_REPLAYED_MAX`] bounds it.

use std::sync::Arc;

use thiserror::Error;
use weft_engine::program::Program;
use weft_engine::replay::{self, Origin, ReplayError};
use weft_engine::state::{Cause, EntryKind, RunState};
use weft_store::{JournalStep, RunRecord, Store, StoreError};

/// Most journal steps one replay runs (a fork's origin counts too).
pub const STEPS_REPLAYED_MAX: usize = 100_000;

/// Most forks followed back to the run that began the chain.
pub const FORK_CHAIN_MAX: usize = 32;

/// Why a run's state at a step could not be rebuilt.
#[derive(Debug, Error)]
pub enum TravelError {
    /// No run has this id.
    #[error("no run with id `{0}`")]
    UnknownRun(String),
    /// The step is not in the run's journal.
    #[error("run {run} has steps 1 to {steps}; there is no step {step}")]
    NoSuchStep {
        /// The run.
        run: String,
        /// The step asked for.
        step: i64,
        /// How many it has.
        steps: i64,
    },
    /// The journal's first steps are gone (a journal keeps only its newest
    /// [`weft_store::JOURNAL_STEPS_PER_RUN_MAX`] steps), so there is
    /// nothing to replay from: a state is rebuilt from step 1.
    #[error("run {run}'s journal starts at step {first}: a run keeps its newest JOURNAL_STEPS_PER_RUN_MAX ({}) steps and a state is rebuilt by replaying from step 1, so this run cannot be replayed", weft_store::JOURNAL_STEPS_PER_RUN_MAX)]
    Trimmed {
        /// The run.
        run: String,
        /// Its first kept step.
        first: i64,
    },
    /// Replay would run more steps than [`STEPS_REPLAYED_MAX`].
    #[error("replaying step {step} of run {run} needs {needed} steps; STEPS_REPLAYED_MAX is {STEPS_REPLAYED_MAX}")]
    TooLong {
        /// The run.
        run: String,
        /// The step asked for.
        step: i64,
        /// Steps it would run.
        needed: usize,
    },
    /// Forks of forks further back than [`FORK_CHAIN_MAX`].
    #[error("run {0} was forked from forks more than FORK_CHAIN_MAX ({FORK_CHAIN_MAX}) deep")]
    ForkChain(String),
    /// The run's program version cannot be had.
    #[error("run {run}: {message}")]
    Program {
        /// The run.
        run: String,
        /// Why.
        message: String,
    },
    /// The journal does not replay.
    #[error("run {run}: {error}")]
    Replay {
        /// The run.
        run: String,
        /// Why.
        error: ReplayError,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Gives the compiled program of a version.
pub type Programs<'a> = dyn Fn(i64) -> Result<Arc<Program>, String> + 'a;

/// A run's state after a step, with what it was computed from.
pub struct StepState {
    /// The run's record (as it is now).
    pub record: RunRecord,
    /// The state after the step.
    pub state: RunState,
    /// The run's program.
    pub program: Arc<Program>,
    /// The run's journal.
    pub journal: Vec<JournalStep>,
}

/// A version's program as its runs execute it (for readers off the core
/// thread): the stored program, or, for a version stored without one
/// that no host has migrated yet, its source compiled under edition 1 (as
/// the host does; nothing is stored here).
pub fn compile_version(store: &dyn Store, version: i64) -> Result<Arc<Program>, String> {
    let d = store
        .deployment(version)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("program version {version} is missing"))?;
    if let Some(text) = &d.program {
        return weft_engine::stored::decode(text)
            .map(Arc::new)
            .map_err(|e| format!("program version {version}: {e}"));
    }
    let refs: Vec<(&str, &str)> = d
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    weft_engine::compile_sources_in(&refs, weft_engine::program::Edition::E1)
        .map(Arc::new)
        .map_err(|e| format!("program version {version} does not compile: {e}"))
}

/// The version a run was on after step `step` of its `journal`: the
/// newest live upgrade's (an `upgraded` entry) up to that step, else the
/// version it began on (the first upgrade's `from`, or `current`, the
/// record's, when it was never upgraded), as [`state_at`] replays it.
pub fn version_at(journal: &[JournalStep], current: i64, step: i64) -> i64 {
    let mut upgrades = journal.iter().flat_map(|st| {
        st.entries.iter().filter_map(move |e| match &e.kind {
            EntryKind::Upgraded { from, to, .. } => Some((st.step, *from, *to)),
            _ => None,
        })
    });
    let Some((first_step, began_on, first_to)) = upgrades.next() else {
        return current;
    };
    if first_step > step {
        return began_on;
    }
    upgrades
        .take_while(|(s, _, _)| *s <= step)
        .last()
        .map_or(first_to, |(_, _, to)| to)
}

/// The state of run `run_id` after step `step` of its journal.
pub fn state_at(
    store: &dyn Store,
    programs: &Programs<'_>,
    run_id: &str,
    step: i64,
) -> Result<StepState, TravelError> {
    let mut budget = STEPS_REPLAYED_MAX;
    replay_to(store, programs, run_id, step, 0, &mut budget)
}

/// One transition within a journal step: its entries and its cause.
type SubStep<'a> = (&'a [weft_engine::state::Entry], Option<Cause>);

/// A journal step's transitions: the entries each made and what caused
/// it. A step is one transition, or several of one run merged into one
/// write by one batch (stored as `{"steps": [{"entries": n, "cause": ...}]}`,
/// see the host's `step_cause`).
fn causes<'a>(run: &str, st: &'a JournalStep) -> Result<Vec<SubStep<'a>>, TravelError> {
    let bad = |message: String| TravelError::Replay {
        run: run.to_string(),
        error: ReplayError::BadCause {
            step: st.step,
            message,
        },
    };
    let read = |c: &serde_json::Value| -> Result<Option<Cause>, TravelError> {
        if c.is_null() {
            return Ok(None);
        }
        serde_json::from_value(c.clone())
            .map(Some)
            .map_err(|e| bad(format!("the stored cause does not read: {e}")))
    };
    let Some(c) = &st.cause else {
        return Ok(vec![(&st.entries, None)]);
    };
    let Some(steps) = c.get("steps").and_then(|s| s.as_array()) else {
        return Ok(vec![(&st.entries, read(c)?)]);
    };
    let mut out = Vec::with_capacity(steps.len());
    let mut from = 0usize;
    for sub in steps {
        let n = sub
            .get("entries")
            .and_then(|n| n.as_u64())
            .ok_or_else(|| bad("a merged step without its number of entries".into()))?
            as usize;
        let to = from
            .checked_add(n)
            .filter(|to| *to <= st.entries.len())
            .ok_or_else(|| {
                bad(format!(
                    "the merged steps name more than its {} entries",
                    st.entries.len()
                ))
            })?;
        out.push((
            &st.entries[from..to],
            read(sub.get("cause").unwrap_or(&serde_json::Value::Null))?,
        ));
        from = to;
    }
    if from != st.entries.len() || out.is_empty() {
        return Err(bad(format!(
            "the merged steps name {from} of its {} entries",
            st.entries.len()
        )));
    }
    Ok(out)
}

fn replay_to(
    store: &dyn Store,
    programs: &Programs<'_>,
    run_id: &str,
    step: i64,
    depth: usize,
    budget: &mut usize,
) -> Result<StepState, TravelError> {
    if depth > FORK_CHAIN_MAX {
        return Err(TravelError::ForkChain(run_id.to_string()));
    }
    let record = store
        .run(run_id)?
        .ok_or_else(|| TravelError::UnknownRun(run_id.to_string()))?;
    let journal = store.journal(run_id)?;
    let steps = journal.last().map_or(0, |s| s.step);
    if step < 1 || step > steps {
        return Err(TravelError::NoSuchStep {
            run: run_id.to_string(),
            step,
            steps,
        });
    }
    let first = journal.first().map_or(1, |s| s.step);
    if first != 1 {
        return Err(TravelError::Trimmed {
            run: run_id.to_string(),
            first,
        });
    }
    let needed = step as usize;
    if needed > *budget {
        return Err(TravelError::TooLong {
            run: run_id.to_string(),
            step,
            needed: needed + (STEPS_REPLAYED_MAX - *budget),
        });
    }
    *budget -= needed;
    // A run moved onto a newer version by a live upgrade began on the
    // version its first upgrade moved it from.
    let began_on = journal
        .iter()
        .flat_map(|st| &st.entries)
        .find_map(|e| match &e.kind {
            EntryKind::Upgraded { from, .. } => Some(*from),
            _ => None,
        })
        .unwrap_or(record.version);
    let mut program = programs(began_on).map_err(|message| TravelError::Program {
        run: run_id.to_string(),
        message,
    })?;
    let replay_err = |error| TravelError::Replay {
        run: run_id.to_string(),
        error,
    };
    let head = &journal[0];
    let forked = head.entries.first().and_then(|e| match &e.kind {
        EntryKind::Forked { from, step } => Some((from.clone(), *step)),
        _ => None,
    });
    let origin = match &forked {
        Some((from, at)) => {
            let source = replay_to(store, programs, from, *at, depth + 1, budget)?;
            Origin::Fork(Box::new(source.state))
        }
        None if record.parent.is_some() => Origin::Child,
        None => {
            let func = program
                .flow(&record.flow)
                .ok_or_else(|| TravelError::Program {
                    run: run_id.to_string(),
                    message: format!("version {} has no flow `{}`", record.version, record.flow),
                })?;
            Origin::Flow { func }
        }
    };
    let head_steps = causes(run_id, head)?;
    let (first_entries, first_cause) = &head_steps[0];
    let mut state = replay::start(
        &program,
        run_id,
        origin,
        first_entries,
        first_cause.as_ref(),
        forked.as_ref().map(|(f, s)| (f.as_str(), *s)),
    )
    .map_err(replay_err)?;
    let subs = head_steps[1..]
        .iter()
        .map(|(e, c)| (head.step, *e, c.clone()))
        .collect::<Vec<_>>();
    let later = journal.iter().skip(1).take_while(|st| st.step <= step);
    let mut all = subs;
    for st in later {
        all.extend(
            causes(run_id, st)?
                .into_iter()
                .map(|(e, c)| (st.step, e, c)),
        );
    }
    for (n, entries, cause) in all {
        if let [weft_engine::state::Entry {
            kind: EntryKind::Upgraded { to, .. },
            ..
        }] = entries
        {
            // A live upgrade: the same plan the host made, from the same
            // state and programs.
            let new = programs(*to).map_err(|message| TravelError::Program {
                run: run_id.to_string(),
                message,
            })?;
            let plan = weft_engine::upgrade::plan(&program, &new, &state).map_err(|r| {
                replay_err(ReplayError::Diverged {
                    step: n,
                    detail: format!(
                        "the upgrade to version {to} is refused on replay: {}",
                        r.reasons.join("; ")
                    ),
                })
            })?;
            state = plan.state;
            program = new;
            continue;
        }
        replay::step(&program, &mut state, n, entries, cause.as_ref()).map_err(replay_err)?;
    }
    Ok(StepState {
        record,
        state,
        program,
        journal,
    })
}

//! Schedules in the host: keeping the store's rows in line with what the
//! deployed programs declare, firing them, and operators' actions.
//!
//! A schedule is declared in a program (`sdk.Schedule({...})`, read by
//! [`weft_check::schedules::read`]) and is in force while the version that
//! declares it is the newest version of the flow it runs, as a trigger is.
//! Its row in the store (`weft_store::schedules`) says when it fires next;
//! a fire starts the flow with the idempotency key
//! `schedule:<name>:<fire time>` and moves the row on, in one batch, over
//! the row's revision: a crash before the commit fires it again after the
//! restart (the key keeps it to one run), and of two nodes firing at once
//! the store lets one win.
//!
//! The host folds the next fire into [`Host::next_timer`] and fires due
//! schedules with due timers ([`Host::fire_due_timers`]), so real time and
//! the simulator's virtual time drive them alike.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::json;
use weft_check::schedules::{Catchup, Overlap, ScheduleSpec};
use weft_engine::state::Status;
use weft_store::{ScheduleRow, ScheduleWrite};

use super::{Host, HostError};

/// How often a host with queued fires (`overlap: "queue"`) looks whether
/// the running run finished.
pub const SCHEDULE_QUEUE_POLL_MS: i64 = 1_000;

/// What an operator does to a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleAction {
    /// Stop firing until resumed.
    Pause,
    /// Fire again, from the next fire time after now (fires missed while
    /// paused are not caught up).
    Resume,
    /// Start a run now, whatever the overlap policy, without moving the
    /// next fire.
    Trigger,
}

/// The schedules a program's source declares (those that read).
pub fn declared(files: &[weft_store::SourceText]) -> Vec<ScheduleSpec> {
    files
        .iter()
        .flat_map(|f| {
            let parsed = weft_syntax::parse(&f.text);
            parsed
                .module
                .triggers()
                .filter(|t| t.kind() == weft_syntax::ast::SCHEDULE)
                .filter_map(|t| weft_check::schedules::read(t).ok().map(|(s, _)| s))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// True when a run of a schedule no longer holds back its next fires
/// (`overlap: "skip"` or `"queue"`): it completed or was cancelled. A
/// failed run still holds them: it stopped part way and waits for an
/// operator, who may retry it (then it runs again) or resolve it, so
/// starting the next fire beside it is the overlap those policies exist
/// to prevent. The row's `lastError` says so while it lasts.
fn releases_overlap(s: Status) -> bool {
    matches!(s, Status::Completed | Status::Cancelled)
}

/// A row's spec, as stored.
pub fn spec_of(row: &ScheduleRow) -> Option<ScheduleSpec> {
    serde_json::from_value(row.spec.clone()).ok()
}

impl Host {
    /// The schedules version `v` declares, read once.
    fn schedules_of(&mut self, v: i64) -> Result<Arc<Vec<ScheduleSpec>>, HostError> {
        if let Some(s) = self.schedule_specs.get(&v) {
            return Ok(s.clone());
        }
        let specs = match self.store.deployment(v)? {
            Some(d) => Arc::new(declared(&d.files)),
            None => Arc::new(Vec::new()),
        };
        self.schedule_specs.insert(v, specs.clone());
        Ok(specs)
    }

    /// Every schedule's row as this host last wrote or read it: the
    /// store's, overlaid with writes of batches not yet committed.
    pub fn schedule_rows(&mut self) -> Result<BTreeMap<String, ScheduleRow>, HostError> {
        let mut rows: BTreeMap<String, ScheduleRow> = self
            .store
            .schedules()?
            .into_iter()
            .map(|r| (r.name.clone(), r))
            .collect();
        for (name, (row, _)) in &self.schedule_overlay {
            rows.insert(name.clone(), row.clone());
        }
        Ok(rows)
    }

    /// Writes `row` in the batch being built, over `from` (the row it was
    /// made from, `None` for a new one). One write per schedule per batch:
    /// a second one replaces the first's row and keeps its revision check.
    fn put_schedule(&mut self, mut row: ScheduleRow, from: Option<&ScheduleRow>, now: i64) {
        row.updated_at = now;
        if let Some(w) = self
            .schedule_writes
            .iter_mut()
            .find(|w| w.row.name == row.name)
        {
            row.revision = w.expect_revision + 1;
            w.row = row.clone();
        } else {
            let expect = from.map_or(0, |r| r.revision);
            row.revision = expect + 1;
            self.schedule_writes.push(ScheduleWrite {
                row: row.clone(),
                expect_revision: expect,
            });
        }
        self.schedule_overlay
            .insert(row.name.clone(), (row, self.batch_no));
        self.schedule_next = None;
    }

    /// Brings the schedules' rows in line with what the newest version of
    /// each flow declares: new ones get their first fire time, changed
    /// ones their new spec (and, if their timing changed, a new next fire),
    /// ones no longer declared are retired. Operators' pauses stay.
    pub fn sync_schedules(&mut self, now: i64) -> Result<(), HostError> {
        let flows = self.store.flows()?;
        let newest = flows.iter().flat_map(|f| f.versions.iter().copied()).max();
        let latest: HashMap<String, i64> = flows
            .into_iter()
            .filter_map(|f| f.versions.iter().max().map(|v| (f.name, *v)))
            .collect();
        let mut versions: Vec<i64> = latest.values().copied().collect();
        versions.sort_unstable();
        versions.dedup();
        let mut declared: BTreeMap<String, (ScheduleSpec, i64)> = BTreeMap::new();
        for v in versions {
            for spec in self.schedules_of(v)?.iter() {
                if latest.get(&spec.flow) == Some(&v) {
                    declared
                        .entry(spec.name.clone())
                        .or_insert((spec.clone(), v));
                }
            }
        }
        let rows = self.schedule_rows()?;
        for (name, (spec, version)) in &declared {
            let spec_json = serde_json::to_value(spec).unwrap_or_default();
            match rows.get(name) {
                Some(r) if r.spec == spec_json && r.version == *version && !r.retired => {}
                Some(r) => {
                    let timing_changed = spec_of(r).is_none_or(|old| old.when != spec.when);
                    let mut row = r.clone();
                    row.flow = spec.flow.clone();
                    row.version = *version;
                    row.spec = spec_json;
                    row.retired = false;
                    if timing_changed || r.retired {
                        row.next_at = spec.next_after(now);
                    }
                    self.put_schedule(row, Some(r), now);
                }
                None => {
                    let row = ScheduleRow {
                        name: name.clone(),
                        flow: spec.flow.clone(),
                        version: *version,
                        spec: spec_json,
                        next_at: spec.next_after(now),
                        paused: false,
                        retired: false,
                        last_fire_at: None,
                        last_run_id: None,
                        last_error: None,
                        fires: 0,
                        skipped: 0,
                        queued: 0,
                        revision: 0,
                        updated_at: now,
                    };
                    self.put_schedule(row, None, now);
                }
            }
        }
        for (name, r) in &rows {
            if !r.retired && !declared.contains_key(name) {
                let mut row = r.clone();
                row.retired = true;
                row.next_at = None;
                row.queued = 0;
                self.put_schedule(row, Some(r), now);
            }
        }
        self.schedules_synced = newest;
        self.schedules_checked = true;
        Ok(())
    }

    /// When a schedule fires next (or, with fires queued, when to look
    /// again), from the rows; cached until a write or a sync.
    pub(super) fn next_schedule(&mut self) -> Option<i64> {
        if let Some(next) = self.schedule_next {
            return next;
        }
        let rows = match self.schedule_rows() {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "reading the schedules failed: {e}");
                return None;
            }
        };
        let next = rows
            .values()
            .filter(|r| !r.paused && !r.retired)
            .filter_map(|r| {
                let queued = (r.queued > 0).then(|| r.updated_at + SCHEDULE_QUEUE_POLL_MS);
                match (r.next_at, queued) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            })
            .min();
        self.schedule_next = Some(next);
        next
    }

    /// Forgets the cached next fire (another node may have moved a row).
    pub fn forget_schedule_times(&mut self) {
        self.schedule_next = None;
    }

    /// Fires every schedule due by `now`; returns the runs started.
    pub fn fire_due_schedules(&mut self, now: i64) -> Result<usize, HostError> {
        let newest = self
            .store
            .flows()?
            .iter()
            .flat_map(|f| f.versions.iter().copied())
            .max();
        if newest != self.schedules_synced {
            self.sync_schedules(now)?;
        }
        let mut started = 0;
        for (_, row) in self.schedule_rows()? {
            if row.paused || row.retired {
                continue;
            }
            let due = row.next_at.is_some_and(|t| t <= now);
            if !due && row.queued == 0 {
                continue;
            }
            started += self.fire(row, now)?;
        }
        Ok(started)
    }

    /// The status of the last run when it holds back the next fires (for
    /// the overlap policy): running, waiting, or failed and waiting for an
    /// operator.
    fn holding(&mut self, run_id: Option<&str>) -> Result<Option<Status>, HostError> {
        let Some(id) = run_id else { return Ok(None) };
        Ok(self
            .record(id)?
            .map(|r| r.status)
            .filter(|s| !releases_overlap(*s)))
    }

    /// Starts one run of a schedule for the fire at `at`.
    fn start_fire(
        &mut self,
        row: &mut ScheduleRow,
        spec: &ScheduleSpec,
        key: String,
        at: i64,
        now: i64,
    ) -> usize {
        let input = spec
            .input
            .clone()
            .unwrap_or_else(|| json!({"schedule": spec.name, "at": at}));
        match self.start_run(&spec.flow, input, Some(key), now) {
            Ok(s) => {
                row.last_run_id = Some(s.run_id);
                row.last_error = None;
                row.fires += 1;
                row.last_fire_at = Some(at);
                1
            }
            Err(e) => {
                tracing::error!(schedule = %spec.name, error = %e, "schedule {} could not start {}: {e}", spec.name, spec.flow);
                row.last_error = Some(e.to_string());
                row.last_fire_at = Some(at);
                0
            }
        }
    }

    /// Fires one schedule: queued fires whose turn came, then the fires
    /// due by `now` as its catch-up and overlap policies say; moves its
    /// next fire after `now`.
    fn fire(&mut self, from: ScheduleRow, now: i64) -> Result<usize, HostError> {
        let Some(spec) = spec_of(&from) else {
            let mut row = from.clone();
            row.last_error = Some("the stored schedule does not read".into());
            row.next_at = None;
            self.put_schedule(row, Some(&from), now);
            return Ok(0);
        };
        let mut row = from.clone();
        let mut started = 0;
        if row.queued > 0 && self.holding(row.last_run_id.as_deref())?.is_none() {
            row.queued -= 1;
            let key = format!("schedule:{}:queued:{now}", spec.name);
            started += self.start_fire(&mut row, &spec, key, now, now);
        }
        if let Some(next) = row.next_at.filter(|t| *t <= now) {
            let max = match spec.catchup {
                Catchup::None | Catchup::Last => 1,
                Catchup::All => spec.catchup_max as usize,
            };
            let (mut fires, left) = spec.due(next, now, max);
            row.skipped += left as i64;
            if spec.catchup == Catchup::None {
                let late: Vec<i64> = fires
                    .iter()
                    .copied()
                    .filter(|f| now - f > weft_check::schedules::SCHEDULE_ON_TIME_MS)
                    .collect();
                row.skipped += late.len() as i64;
                fires.retain(|f| !late.contains(f));
            }
            for at in fires {
                let held = match spec.overlap {
                    Overlap::Allow => None,
                    _ => self.holding(row.last_run_id.as_deref())?,
                };
                if let Some(status) = held {
                    let what = match spec.overlap {
                        Overlap::Queue => {
                            row.queued += 1;
                            "queued"
                        }
                        _ => {
                            row.skipped += 1;
                            "skipped"
                        }
                    };
                    if status == Status::Failed {
                        row.last_error = Some(format!(
                            "run {} failed and waits for an operator (retry, resolve or cancel it); fires are {what} until then (overlap: \"{}\")",
                            row.last_run_id.as_deref().unwrap_or_default(),
                            if spec.overlap == Overlap::Queue { "queue" } else { "skip" }
                        ));
                    }
                    continue;
                }
                let key = format!("schedule:{}:{at}", spec.name);
                started += self.start_fire(&mut row, &spec, key, at, now);
            }
            row.next_at = spec.next_after(now);
        }
        self.put_schedule(row, Some(&from), now);
        Ok(started)
    }

    /// An operator's action on a schedule; returns its row as it is to be
    /// (durable with the batch being built).
    pub fn schedule_action(
        &mut self,
        name: &str,
        action: ScheduleAction,
        now: i64,
    ) -> Result<ScheduleRow, HostError> {
        let rows = self.schedule_rows()?;
        let from = rows
            .get(name)
            .filter(|r| !r.retired)
            .cloned()
            .ok_or_else(|| HostError::UnknownSchedule(name.to_string()))?;
        let spec = spec_of(&from).ok_or_else(|| HostError::UnknownSchedule(name.to_string()))?;
        let mut row = from.clone();
        match action {
            ScheduleAction::Pause => row.paused = true,
            ScheduleAction::Resume => {
                if row.paused {
                    row.paused = false;
                    row.next_at = spec.next_after(now);
                }
            }
            ScheduleAction::Trigger => {
                let key = format!("schedule:{name}:now:{now}");
                self.start_fire(&mut row, &spec, key, now, now);
            }
        }
        self.put_schedule(row.clone(), Some(&from), now);
        Ok(self
            .schedule_overlay
            .get(name)
            .map(|(r, _)| r.clone())
            .unwrap_or(row))
    }

    /// The schedule writes of the batch being taken.
    pub(super) fn take_schedule_writes(&mut self) -> Vec<ScheduleWrite> {
        std::mem::take(&mut self.schedule_writes)
    }
}

//! A store in memory: for tests, the simulator and `weft test`. Not durable.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Condvar, Mutex};

use weft_engine::state::{Event, Status, Task};

use crate::cluster::{CallbackOutcome, Claim, ClusterStore, InboxEvent, LeasedTask};
use crate::machines::{IndexProbe, InstanceClaim, InstanceInboxEvent};
use crate::*;

/// Keeps everything in maps behind one lock; a batch applies atomically.
/// Also a [`ClusterStore`], so several hosts can share one in a simulation.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    work: Condvar,
}

/// Who holds a run.
#[derive(Clone, Debug, Default)]
struct Lease {
    owner: Option<String>,
    until: i64,
    epoch: i64,
}

/// A parked run and what was set aside for it.
struct Parked {
    run: ParkedRun,
    timers: Vec<(String, i64)>,
    tasks: Vec<Task>,
    inbox: Vec<(i64, InboxEvent)>,
}

/// The columns [`Store::park_run`] and [`Store::unpark_run`] write.
fn write_record_columns(stored: &mut RunRecord, record: &RunRecord) {
    stored.status = record.status;
    stored.result = record.result.clone();
    stored.error = record.error.clone();
    stored.waiting = record.waiting.clone();
    stored.position = record.position.clone();
    stored.updated_at = record.updated_at;
}

#[derive(Default)]
struct Inner {
    deployments: Vec<Deployment>,
    runs: BTreeMap<String, StoredRun>,
    keys: HashMap<String, String>,
    journal: HashMap<String, Vec<JournalStep>>,
    timers: BTreeSet<(i64, String, String)>,
    timer_at: HashMap<(String, String), i64>,
    tasks: BTreeMap<String, Task>,
    tokens: HashMap<String, TokenRow>,
    leases: HashMap<String, Lease>,
    task_leases: HashMap<String, (String, i64)>,
    inbox: BTreeMap<i64, InboxEvent>,
    inbox_next: i64,
    audit: Vec<AuditEntry>,
    /// Last poll per (activity, worker, node).
    pollers: BTreeMap<(String, String, String), i64>,
    parked: BTreeMap<String, Parked>,
    /// Pull sources' cursors by source name.
    source_cursors: BTreeMap<String, String>,

    /// Machine instances by (machine, key).
    instances: BTreeMap<(String, String), InstanceRow>,
    /// Commands by (machine, key, seq).
    commands: BTreeMap<(String, String, i64), CommandRecord>,
    /// Command ids: (machine, key, id) -> seq.
    command_ids: HashMap<(String, String, String), i64>,
    events: Vec<StoredMachineEvent>,
    /// Events taken (see [`crate::events`]), in commit order.
    ingested: Vec<StoredEvent>,
    /// Event id -> index in `ingested`.
    event_ids: HashMap<String, usize>,
    /// Schedules by name.
    schedules: BTreeMap<String, ScheduleRow>,
    /// In a cluster: who holds each instance.
    instance_leases: HashMap<(String, String), Lease>,
    instance_inbox: BTreeMap<i64, InstanceInboxEvent>,
    /// Bumped at every signal, so waiters can tell they were woken.
    signals: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data behind:
        // every write below is applied only after validation.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for MemoryStore {
    fn deploy(
        &self,
        files: &[SourceText],
        flows: &[String],
        program: Option<&str>,
        at: i64,
    ) -> Result<Deployment> {
        let mut g = self.lock();
        let d = Deployment {
            version: g.deployments.len() as i64 + 1,
            flows: flows.to_vec(),
            files: files.to_vec(),
            program: program.map(str::to_string),
            created_at: at,
        };
        g.deployments.push(d.clone());
        Ok(d)
    }

    fn set_program(&self, version: i64, program: &str) -> Result<bool> {
        let mut g = self.lock();
        let d = usize::try_from(version - 1)
            .ok()
            .and_then(|i| g.deployments.get_mut(i));
        match d {
            Some(d) if d.program.is_none() => {
                d.program = Some(program.to_string());
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn versions_without_program(&self) -> Result<Vec<i64>> {
        Ok(self
            .lock()
            .deployments
            .iter()
            .filter(|d| d.program.is_none())
            .map(|d| d.version)
            .collect())
    }

    fn deployment(&self, version: i64) -> Result<Option<Deployment>> {
        let g = self.lock();
        Ok(usize::try_from(version - 1)
            .ok()
            .and_then(|i| g.deployments.get(i))
            .cloned())
    }

    fn latest_version(&self, flow: &str) -> Result<Option<i64>> {
        let g = self.lock();
        Ok(g.deployments
            .iter()
            .rev()
            .find(|d| d.flows.iter().any(|f| f == flow))
            .map(|d| d.version))
    }

    fn flows(&self) -> Result<Vec<FlowInfo>> {
        let g = self.lock();
        let mut by: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for d in &g.deployments {
            for f in &d.flows {
                by.entry(f.clone()).or_default().push(d.version);
            }
        }
        Ok(by
            .into_iter()
            .map(|(name, versions)| FlowInfo { name, versions })
            .collect())
    }

    fn commit(&self, batch: &Batch) -> Result<()> {
        let mut g = self.lock();
        // Validate first, so a failing batch changes nothing.
        let mut new_keys = HashMap::new();
        // Runs this batch creates are held by their creators from the
        // write that creates them: a run created and stepped again in one
        // batch (an inline sub-flow that finishes at once) is checked
        // against its creation's fence.
        let mut created: HashMap<&str, Lease> = HashMap::new();
        for w in &batch.writes {
            if let (Some(f), Some(rec)) = (&w.fence, &w.record) {
                if w.created {
                    created.insert(
                        &rec.id,
                        Lease {
                            owner: Some(f.node.clone()),
                            until: f.lease_until,
                            epoch: f.epoch,
                        },
                    );
                } else {
                    let l = match created.get(rec.id.as_str()) {
                        Some(l) => l.clone(),
                        None => g.leases.get(&rec.id).cloned().unwrap_or_default(),
                    };
                    if l.owner.as_deref() != Some(f.node.as_str()) || l.epoch != f.epoch {
                        return Err(StoreError::Conflict(format!(
                            "run {} is no longer held by {} at epoch {} (owner {:?}, epoch {})",
                            rec.id, f.node, f.epoch, l.owner, l.epoch
                        )));
                    }
                }
            }
            if let (true, Some(rec)) = (w.created, &w.record) {
                if g.runs.contains_key(&rec.id) {
                    return Err(StoreError::Conflict(format!("run {} exists", rec.id)));
                }
                if let Some(k) = &rec.idempotency_key {
                    if g.keys.contains_key(k) || new_keys.insert(k.clone(), ()).is_some() {
                        return Err(StoreError::Conflict(format!(
                            "idempotency key {k:?} is taken"
                        )));
                    }
                }
            }
        }
        Self::validate_machines(&g, batch)?;
        let mut new_events = HashMap::new();
        for e in batch.writes.iter().flat_map(|w| &w.events) {
            if g.event_ids.contains_key(&e.event.id)
                || new_events.insert(e.event.id.as_str(), ()).is_some()
            {
                return Err(StoreError::Conflict(format!(
                    "event id {:?} is taken",
                    e.event.id
                )));
            }
        }
        for u in batch.writes.iter().flat_map(|w| &w.event_starts) {
            if !g.event_ids.contains_key(&u.id) && !new_events.contains_key(u.id.as_str()) {
                return Err(StoreError::Conflict(format!(
                    "event {:?} is not stored: its starts cannot be written",
                    u.id
                )));
            }
        }
        let mut revisions: HashMap<&str, i64> = HashMap::new();
        for sw in batch.writes.iter().flat_map(|w| &w.schedules) {
            let name = sw.row.name.as_str();
            let current = match revisions.get(name) {
                Some(r) => *r,
                None => g.schedules.get(name).map_or(0, |r| r.revision),
            };
            if current != sw.expect_revision {
                return Err(StoreError::Conflict(format!(
                    "schedule {name:?} is at revision {current}, not {}: another write moved it",
                    sw.expect_revision
                )));
            }
            revisions.insert(name, sw.row.revision);
        }
        let mut signal = false;
        for w in &batch.writes {
            for sw in &w.schedules {
                g.schedules.insert(sw.row.name.clone(), sw.row.clone());
            }
            signal |= Self::apply_machines(&mut g, &w.machines);
            for e in &w.events {
                let at = g.ingested.len();
                g.event_ids.insert(e.event.id.clone(), at);
                g.ingested.push(StoredEvent {
                    seq: at as i64 + 1,
                    event: e.event.clone(),
                    received_at: e.received_at,
                    starts: e.starts.clone(),
                });
            }
            for u in &w.event_starts {
                if let Some(&at) = g.event_ids.get(&u.id) {
                    g.ingested[at].starts = u.starts.clone();
                }
            }
            let Some(rec) = &w.record else { continue };
            let id = rec.id.clone();
            if let (true, Some(f)) = (w.created, &w.fence) {
                g.leases.insert(
                    id.clone(),
                    Lease {
                        owner: Some(f.node.clone()),
                        until: f.lease_until,
                        epoch: f.epoch,
                    },
                );
            }
            for i in &w.inbox_done {
                g.inbox.remove(i);
            }
            signal |= !w.tasks_put.is_empty();
            if let Some(k) = &rec.idempotency_key {
                g.keys.insert(k.clone(), id.clone());
            }
            g.runs.insert(
                id.clone(),
                StoredRun {
                    record: RunRecord::clone(rec),
                    state: w.state.clone(),
                },
            );
            if !w.journal.is_empty() {
                let steps = g.journal.entry(id.clone()).or_default();
                let step = steps.last().map_or(1, |s| s.step + 1);
                steps.push(JournalStep {
                    step,
                    entries: w.journal.clone(),
                    cause: w.cause.as_ref().map(StepCause::to_json),
                });
                let over = steps
                    .len()
                    .saturating_sub(JOURNAL_STEPS_PER_RUN_MAX as usize);
                steps.drain(..over);
            }
            for key in &w.timers_clear {
                if let Some(at) = g.timer_at.remove(&(id.clone(), key.clone())) {
                    g.timers.remove(&(at, id.clone(), key.clone()));
                }
            }
            for (key, at) in &w.timers_set {
                if let Some(old) = g.timer_at.insert((id.clone(), key.clone()), *at) {
                    g.timers.remove(&(old, id.clone(), key.clone()));
                }
                g.timers.insert((*at, id.clone(), key.clone()));
            }
            for call_id in &w.tasks_delete {
                g.tasks.remove(call_id);
                g.task_leases.remove(call_id);
            }
            for t in &w.tasks_put {
                g.tasks.insert(t.call_id.clone(), t.clone());
                g.task_leases.remove(&t.call_id);
            }
            // Registered before spent: a token born and used in one step
            // ends up spent.
            for (tok, call) in &w.tokens_put {
                g.tokens.insert(
                    tok.clone(),
                    TokenRow {
                        run_id: id.clone(),
                        call: *call,
                        active: true,
                    },
                );
            }
            for tok in &w.tokens_spend {
                if let Some(t) = g.tokens.get_mut(tok) {
                    t.active = false;
                }
            }
        }
        if signal {
            g.signals += 1;
            self.work.notify_all();
        }
        Ok(())
    }

    fn load_run(&self, id: &str) -> Result<Option<StoredRun>> {
        Ok(self.lock().runs.get(id).cloned())
    }

    fn run(&self, id: &str) -> Result<Option<RunRecord>> {
        Ok(self.lock().runs.get(id).map(|r| r.record.clone()))
    }

    fn list_runs(&self, q: &RunQuery) -> Result<RunPage> {
        let g = self.lock();
        // Everything is evaluated here, as the SQL stores evaluate what
        // they cannot translate: in order, reading at most `scan_max` runs
        // when there is a condition.
        let mut ordered: Vec<&RunRecord> = g.runs.values().map(|r| &r.record).collect();
        match q.sort {
            Sort::CreatedDesc => ordered.reverse(),
            Sort::CreatedAsc => {}
            Sort::UpdatedDesc => {
                ordered.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)))
            }
            Sort::UpdatedAsc => {
                ordered.sort_by(|a, b| (a.updated_at, &a.id).cmp(&(b.updated_at, &b.id)))
            }
        }
        let cursor = q.cursor.as_deref().and_then(|c| q.sort.parse_cursor(c));
        let bounded = q.filter.is_some() && q.scan_max > 0;
        let mut page = RunPage {
            exact: true,
            ..RunPage::default()
        };
        let limit = q.limit.max(1);
        let mut total = 0u64;
        let mut scanned = 0u64;
        let mut plain = q.clone();
        plain.filter = None;
        for rec in ordered {
            if !plain.matches(rec) {
                continue;
            }
            if bounded && scanned == q.scan_max as u64 {
                page.exact = false;
                break;
            }
            scanned += 1;
            if q.filter.as_ref().is_some_and(|f| !f.matches(rec)) {
                continue;
            }
            total += 1;
            if cursor.as_ref().is_some_and(|c| !q.sort.after(c, rec)) {
                continue;
            }
            if page.runs.len() < limit {
                page.runs.push(rec.clone());
            } else if page.next_cursor.is_none() {
                page.next_cursor = page.runs.last().map(|r| q.sort.cursor_of(r));
                if !q.count {
                    break;
                }
            }
        }
        if q.filter.is_some() {
            page.scanned = scanned;
        }
        if q.count {
            page.total = Some(total);
        }
        Ok(page)
    }

    fn count_by_status(&self) -> Result<Vec<(Status, u64)>> {
        let g = self.lock();
        Ok(Status::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    g.runs.values().filter(|r| r.record.status == *s).count() as u64,
                )
            })
            .collect())
    }

    fn run_counts(&self) -> Result<Vec<RunCount>> {
        let g = self.lock();
        let mut by: BTreeMap<(String, usize), u64> = BTreeMap::new();
        for r in g.runs.values() {
            let i = Status::ALL
                .iter()
                .position(|s| *s == r.record.status)
                .unwrap_or(0);
            *by.entry((r.record.flow.clone(), i)).or_default() += 1;
        }
        Ok(by
            .into_iter()
            .map(|((flow, i), runs)| RunCount {
                flow,
                status: Status::ALL[i],
                runs,
            })
            .collect())
    }

    fn journal(&self, run_id: &str) -> Result<Vec<JournalStep>> {
        Ok(self.lock().journal.get(run_id).cloned().unwrap_or_default())
    }

    fn journal_page(
        &self,
        run_id: &str,
        from_step: i64,
        steps_max: usize,
    ) -> Result<Vec<JournalStep>> {
        Ok(self
            .lock()
            .journal
            .get(run_id)
            .map(|steps| {
                steps
                    .iter()
                    .filter(|s| s.step >= from_step)
                    .take(steps_max)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    fn run_by_key(&self, key: &str) -> Result<Option<String>> {
        Ok(self.lock().keys.get(key).cloned())
    }

    fn due_timers(&self, until: i64, limit: usize) -> Result<Vec<TimerRow>> {
        let g = self.lock();
        Ok(g.timers
            .iter()
            .take_while(|(at, _, _)| *at <= until)
            .take(limit)
            .map(|(at, run_id, key)| TimerRow {
                run_id: run_id.clone(),
                key: key.clone(),
                at: *at,
            })
            .collect())
    }

    fn next_timer(&self) -> Result<Option<i64>> {
        Ok(self.lock().timers.iter().next().map(|(at, _, _)| *at))
    }

    fn tasks(&self, after: Option<&str>, limit: usize) -> Result<Vec<Task>> {
        let g = self.lock();
        Ok(g.tasks
            .iter()
            .filter(|(id, _)| after.is_none_or(|a| id.as_str() > a))
            .take(limit)
            .map(|(_, t)| t.clone())
            .collect())
    }

    fn token(&self, token: &str) -> Result<Option<TokenRow>> {
        Ok(self.lock().tokens.get(token).cloned())
    }

    fn source_cursor(&self, source: &str) -> Result<Option<String>> {
        Ok(self.lock().source_cursors.get(source).cloned())
    }

    fn advance_source_cursor(
        &self,
        source: &str,
        from: Option<&str>,
        to: &str,
        _at: i64,
    ) -> Result<bool> {
        let mut g = self.lock();
        if g.source_cursors.get(source).map(String::as_str) != from {
            return Ok(false);
        }
        g.source_cursors.insert(source.to_string(), to.to_string());
        Ok(true)
    }

    fn audit_begin(&self, entry: &NewAudit) -> Result<i64> {
        let mut g = self.lock();
        let id = g.audit.len() as i64 + 1;
        g.audit.push(AuditEntry {
            id,
            at: entry.at,
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            detail: entry.detail.clone(),
            matched: entry.matched,
            applied: 0,
            failed: 0,
            done_at: None,
            runs: Vec::new(),
            failures: Vec::new(),
        });
        Ok(id)
    }

    fn audit_progress(
        &self,
        id: i64,
        applied: &[String],
        failed: &[(String, String)],
        done: Option<i64>,
    ) -> Result<()> {
        let mut g = self.lock();
        let e = usize::try_from(id - 1)
            .ok()
            .and_then(|i| g.audit.get_mut(i))
            .ok_or_else(|| StoreError::Conflict(format!("no audit entry {id}")))?;
        e.applied += applied.len() as u64;
        e.failed += failed.len() as u64;
        e.runs.extend_from_slice(applied);
        e.failures.extend_from_slice(failed);
        if done.is_some() {
            e.done_at = done;
        }
        Ok(())
    }

    fn audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let g = self.lock();
        Ok(g.audit
            .iter()
            .rev()
            .filter(|e| q.before.is_none_or(|b| e.id < b))
            .filter(|e| {
                q.run
                    .as_ref()
                    .is_none_or(|r| e.runs.contains(r) || e.failures.iter().any(|(f, _)| f == r))
            })
            .take(q.limit.max(1))
            .map(|e| AuditEntry {
                runs: Vec::new(),
                failures: Vec::new(),
                ..e.clone()
            })
            .collect())
    }

    fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        let g = self.lock();
        Ok(usize::try_from(id - 1)
            .ok()
            .and_then(|i| g.audit.get(i))
            .map(|e| {
                let mut e = e.clone();
                e.runs.truncate(audit::AUDIT_RUNS_LISTED_MAX);
                e.failures.truncate(audit::AUDIT_RUNS_LISTED_MAX);
                e
            }))
    }

    fn park_run(&self, record: &RunRecord, reason: &serde_json::Value, at: i64) -> Result<()> {
        let mut g = self.lock();
        let g = &mut *g;
        let id = &record.id;
        let Some(stored) = g.runs.get_mut(id) else {
            return Err(StoreError::Corrupt(format!(
                "park: run {id} does not exist"
            )));
        };
        write_record_columns(&mut stored.record, record);
        let mut timers = Vec::new();
        g.timers.retain(|(t_at, run, key)| {
            let mine = run == id;
            if mine {
                timers.push((key.clone(), *t_at));
            }
            !mine
        });
        for (key, _) in &timers {
            g.timer_at.remove(&(id.clone(), key.clone()));
        }
        let calls: Vec<String> = g
            .tasks
            .values()
            .filter(|t| t.run_id == *id)
            .map(|t| t.call_id.clone())
            .collect();
        let mut tasks = Vec::new();
        for c in calls {
            tasks.extend(g.tasks.remove(&c));
            g.task_leases.remove(&c);
        }
        let events: Vec<i64> = g
            .inbox
            .iter()
            .filter(|(_, e)| e.run_id == *id)
            .map(|(i, _)| *i)
            .collect();
        let inbox: Vec<(i64, InboxEvent)> = events
            .into_iter()
            .filter_map(|i| g.inbox.remove(&i).map(|e| (i, e)))
            .collect();
        let p = g.parked.entry(id.clone()).or_insert_with(|| Parked {
            run: ParkedRun {
                run_id: id.clone(),
                reason: serde_json::Value::Null,
                parked_at: at,
            },
            timers: Vec::new(),
            tasks: Vec::new(),
            inbox: Vec::new(),
        });
        p.run.reason = reason.clone();
        p.run.parked_at = at;
        p.timers.extend(timers);
        p.tasks.extend(tasks);
        p.inbox.extend(inbox);
        Ok(())
    }

    fn unpark_run(&self, record: &RunRecord) -> Result<bool> {
        let mut g = self.lock();
        let g = &mut *g;
        let id = &record.id;
        let Some(p) = g.parked.remove(id) else {
            return Ok(false);
        };
        if let Some(stored) = g.runs.get_mut(id) {
            write_record_columns(&mut stored.record, record);
        }
        for (key, at) in p.timers {
            if let Some(old) = g.timer_at.insert((id.clone(), key.clone()), at) {
                g.timers.remove(&(old, id.clone(), key.clone()));
            }
            g.timers.insert((at, id.clone(), key));
        }
        for t in p.tasks {
            g.task_leases.remove(&t.call_id);
            g.tasks.insert(t.call_id.clone(), t);
        }
        for (i, e) in p.inbox {
            g.inbox.insert(i, e);
        }
        g.signals += 1;
        self.work.notify_all();
        Ok(true)
    }

    fn cancel_parked_run(&self, record: &RunRecord, journal: &[Entry]) -> Result<bool> {
        let mut g = self.lock();
        let g = &mut *g;
        let id = &record.id;
        if g.parked.remove(id).is_none() {
            return Ok(false);
        }
        if let Some(stored) = g.runs.get_mut(id) {
            write_record_columns(&mut stored.record, record);
        }
        if !journal.is_empty() {
            let steps = g.journal.entry(id.clone()).or_default();
            let step = steps.len() as i64 + 1;
            steps.push(JournalStep {
                step,
                entries: journal.to_vec(),
                cause: None,
            });
        }
        for t in g.tokens.values_mut().filter(|t| t.run_id == *id) {
            t.active = false;
        }
        Ok(true)
    }

    fn parked_runs(&self) -> Result<Vec<ParkedRun>> {
        Ok(self.lock().parked.values().map(|p| p.run.clone()).collect())
    }

    fn instance(&self, machine: &str, key: &str) -> Result<Option<InstanceRow>> {
        Ok(self
            .lock()
            .instances
            .get(&(machine.to_string(), key.to_string()))
            .cloned())
    }

    fn commands(
        &self,
        machine: &str,
        key: &str,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<CommandRecord>> {
        let g = self.lock();
        let (m, k) = (machine.to_string(), key.to_string());
        Ok(g.commands
            .range((m.clone(), k.clone(), from_seq.max(0))..(m, k, i64::MAX))
            .take(limit)
            .map(|(_, c)| c.clone())
            .collect())
    }

    fn command_by_id(
        &self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<CommandRecord>> {
        let g = self.lock();
        let (m, k) = (machine.to_string(), key.to_string());
        Ok(g.command_ids
            .get(&(m.clone(), k.clone(), command_id.to_string()))
            .and_then(|seq| g.commands.get(&(m, k, *seq)))
            .cloned())
    }

    fn instance_candidates(
        &self,
        machine: &str,
        probe: Option<&IndexProbe>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Instance>> {
        let g = self.lock();
        let start = (machine.to_string(), after.unwrap_or("").to_string());
        let mut out = Vec::new();
        for ((m, k), row) in g.instances.range(start..) {
            if m != machine || out.len() >= limit {
                break;
            }
            if after.is_some_and(|a| k.as_str() <= a) {
                continue;
            }
            // As the index would answer: the probe's field fits, or the
            // state is not indexed.
            let candidate = match probe {
                None => true,
                Some(p) => match machines::indexed_fields(&row.instance.state) {
                    None => true,
                    Some(fields) => fields
                        .iter()
                        .any(|f| f.path == p.path && machines::compare(&f.value, p.op, &p.value)),
                },
            };
            if candidate {
                out.push(row.instance.clone());
            }
        }
        Ok(out)
    }

    fn instances_with_open_commands(&self, limit: usize) -> Result<Vec<(String, String)>> {
        let g = self.lock();
        Ok(g.instances
            .iter()
            .filter(|(_, r)| r.next_seq > r.finished + 1)
            .take(limit)
            .map(|(k, _)| k.clone())
            .collect())
    }

    fn machine_events(&self, after: i64, limit: usize) -> Result<Vec<StoredMachineEvent>> {
        let g = self.lock();
        Ok(g.events
            .iter()
            .filter(|e| e.id > after)
            .take(limit)
            .cloned()
            .collect())
    }

    fn taken_event_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        let g = self.lock();
        Ok(ids
            .iter()
            .filter(|id| g.event_ids.contains_key(id.as_str()))
            .cloned()
            .collect())
    }

    fn events(&self, before: Option<i64>, limit: usize) -> Result<Vec<StoredEvent>> {
        let g = self.lock();
        Ok(g.ingested
            .iter()
            .rev()
            .filter(|e| before.is_none_or(|b| e.seq < b))
            .take(limit)
            .cloned()
            .collect())
    }

    fn event(&self, id: &str) -> Result<Option<StoredEvent>> {
        let g = self.lock();
        Ok(g.event_ids.get(id).map(|&i| g.ingested[i].clone()))
    }

    fn schedules(&self) -> Result<Vec<ScheduleRow>> {
        Ok(self.lock().schedules.values().cloned().collect())
    }
}

impl MemoryStore {
    /// Refuses a batch whose machine writes conflict: a command id taken by
    /// another command of the instance, or an instance written under a
    /// stale claim.
    fn validate_machines(g: &Inner, batch: &Batch) -> Result<()> {
        let mut ids: HashMap<(String, String, String), i64> = HashMap::new();
        for w in &batch.writes {
            for m in &w.machines {
                match m {
                    MachineWrite::Command(c) => {
                        let k = (c.machine.clone(), c.key.clone(), c.command_id.clone());
                        let taken = ids.get(&k).or_else(|| g.command_ids.get(&k));
                        if taken.is_some_and(|seq| *seq != c.seq) {
                            return Err(StoreError::Conflict(format!(
                                "command id {:?} of {}/{} is taken",
                                c.command_id, c.machine, c.key
                            )));
                        }
                        ids.insert(k, c.seq);
                    }
                    MachineWrite::Instance {
                        row,
                        fence: Some(f),
                    } => {
                        let i = &row.instance;
                        let l = g
                            .instance_leases
                            .get(&(i.machine.clone(), i.key.clone()))
                            .cloned()
                            .unwrap_or_default();
                        if l.owner.as_deref() != Some(f.node.as_str()) || l.epoch != f.epoch {
                            return Err(StoreError::Conflict(format!(
                                "instance {}/{} is no longer held by {} at epoch {} (owner {:?}, epoch {})",
                                i.machine, i.key, f.node, f.epoch, l.owner, l.epoch
                            )));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Applies machine writes; true when other nodes should look for work.
    fn apply_machines(g: &mut Inner, writes: &[MachineWrite]) -> bool {
        let mut signal = false;
        for m in writes {
            match m {
                MachineWrite::Instance { row, .. } => {
                    let i = &row.instance;
                    g.instances
                        .insert((i.machine.clone(), i.key.clone()), row.clone());
                }
                MachineWrite::Command(c) => {
                    g.command_ids.insert(
                        (c.machine.clone(), c.key.clone(), c.command_id.clone()),
                        c.seq,
                    );
                    g.commands
                        .insert((c.machine.clone(), c.key.clone(), c.seq), (**c).clone());
                }
                MachineWrite::Event(e) => {
                    let id = g.events.len() as i64 + 1;
                    g.events.push(StoredMachineEvent {
                        id,
                        event: e.clone(),
                    });
                }
                MachineWrite::Inbox {
                    machine,
                    key,
                    event,
                } => {
                    g.inbox_next += 1;
                    let id = g.inbox_next;
                    g.instance_inbox.insert(
                        id,
                        InstanceInboxEvent {
                            id,
                            machine: machine.clone(),
                            key: key.clone(),
                            event: event.clone(),
                        },
                    );
                    signal = true;
                }
                MachineWrite::InboxDone(id) => {
                    g.instance_inbox.remove(id);
                }
            }
        }
        signal
    }

    /// Claims a lease: a node's own live lease keeps its epoch.
    fn take(l: &mut Lease, run_id: &str, node: &str, now: i64, lease_ms: i64) -> Claim {
        let own = l.owner.as_deref() == Some(node) && l.until > now;
        if !own {
            l.epoch += 1;
        }
        l.owner = Some(node.to_string());
        l.until = now + lease_ms;
        Claim {
            run_id: run_id.to_string(),
            epoch: l.epoch,
        }
    }

    fn claimable(l: Option<&Lease>, node: &str, now: i64) -> bool {
        match l {
            None => true,
            Some(l) => l.owner.is_none() || l.owner.as_deref() == Some(node) || l.until <= now,
        }
    }
}

impl ClusterStore for MemoryStore {
    fn claim_run(
        &self,
        node: &str,
        run_id: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<Claim>> {
        let mut g = self.lock();
        if !g.runs.contains_key(run_id) {
            return Ok(None);
        }
        if !Self::claimable(g.leases.get(run_id), node, now) {
            return Ok(None);
        }
        let l = g.leases.entry(run_id.to_string()).or_default();
        Ok(Some(Self::take(l, run_id, node, now, lease_ms)))
    }

    fn claim_runs_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Claim>> {
        let mut g = self.lock();
        let mut candidates: Vec<String> = g.inbox.values().map(|e| e.run_id.clone()).collect();
        candidates.extend(
            g.timers
                .iter()
                .take_while(|(at, _, _)| *at <= now)
                .map(|(_, r, _)| r.clone()),
        );
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for run in candidates {
            if out.len() >= limit || !seen.insert(run.clone()) {
                continue;
            }
            if !g.runs.contains_key(&run) || !Self::claimable(g.leases.get(&run), node, now) {
                continue;
            }
            let l = g.leases.entry(run.clone()).or_default();
            out.push(Self::take(l, &run, node, now, lease_ms));
        }
        Ok(out)
    }

    fn renew(&self, node: &str, claims: &[Claim], now: i64, lease_ms: i64) -> Result<Vec<String>> {
        let mut g = self.lock();
        let mut lost = Vec::new();
        for c in claims {
            match g.leases.get_mut(&c.run_id) {
                Some(l) if l.owner.as_deref() == Some(node) && l.epoch == c.epoch => {
                    l.until = now + lease_ms
                }
                _ => lost.push(c.run_id.clone()),
            }
        }
        Ok(lost)
    }

    fn release(&self, node: &str, claims: &[Claim]) -> Result<()> {
        let mut g = self.lock();
        for c in claims {
            if let Some(l) = g.leases.get_mut(&c.run_id) {
                if l.owner.as_deref() == Some(node) && l.epoch == c.epoch {
                    l.owner = None;
                }
            }
        }
        Ok(())
    }

    fn enqueue(&self, run_id: &str, event: &Event) -> Result<()> {
        let mut g = self.lock();
        g.inbox_next += 1;
        let id = g.inbox_next;
        g.inbox.insert(
            id,
            InboxEvent {
                id,
                run_id: run_id.to_string(),
                event: event.clone(),
            },
        );
        g.signals += 1;
        self.work.notify_all();
        Ok(())
    }

    fn enqueue_callback(&self, token: &str, value: &serde_json::Value) -> Result<CallbackOutcome> {
        let mut g = self.lock();
        let Some(row) = g.tokens.get_mut(token) else {
            return Ok(CallbackOutcome::Unknown);
        };
        if !row.active {
            return Ok(CallbackOutcome::Spent);
        }
        row.active = false;
        let (run_id, call) = (row.run_id.clone(), row.call);
        g.inbox_next += 1;
        let id = g.inbox_next;
        g.inbox.insert(
            id,
            InboxEvent {
                id,
                run_id: run_id.clone(),
                event: Event::Callback {
                    call,
                    value: value.clone(),
                },
            },
        );
        g.signals += 1;
        self.work.notify_all();
        Ok(CallbackOutcome::Queued { run_id })
    }

    fn inbox(&self, run_id: &str) -> Result<Vec<InboxEvent>> {
        let g = self.lock();
        Ok(g.inbox
            .values()
            .filter(|e| e.run_id == run_id)
            .cloned()
            .collect())
    }

    fn due_timers_of(&self, run_id: &str, now: i64) -> Result<Vec<TimerRow>> {
        let g = self.lock();
        Ok(g.timers
            .iter()
            .take_while(|(at, _, _)| *at <= now)
            .filter(|(_, r, _)| r == run_id)
            .map(|(at, r, k)| TimerRow {
                run_id: r.clone(),
                key: k.clone(),
                at: *at,
            })
            .collect())
    }

    fn lease_tasks(
        &self,
        _node: &str,
        activities: &[String],
        worker: &str,
        max: usize,
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<LeasedTask>> {
        let mut g = self.lock();
        let Inner {
            tasks, task_leases, ..
        } = &mut *g;
        let mut out = Vec::new();
        for (call, t) in tasks.iter() {
            if out.len() >= max {
                break;
            }
            if !activities.contains(&t.activity) {
                continue;
            }
            if task_leases.get(call).is_some_and(|(_, until)| *until > now) {
                continue;
            }
            task_leases.insert(call.clone(), (worker.to_string(), now + lease_ms));
            out.push(LeasedTask {
                task: t.clone(),
                lease_until: now + lease_ms,
            });
        }
        Ok(out)
    }

    fn heartbeat_task(
        &self,
        call_id: &str,
        attempt: u32,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>> {
        let mut g = self.lock();
        if g.tasks.get(call_id).is_none_or(|t| t.attempt != attempt) {
            return Ok(None);
        }
        let worker = g
            .task_leases
            .get(call_id)
            .map(|(w, _)| w.clone())
            .unwrap_or_default();
        g.task_leases
            .insert(call_id.to_string(), (worker, now + lease_ms));
        Ok(Some(now + lease_ms))
    }

    fn task(&self, call_id: &str, attempt: u32) -> Result<Option<Task>> {
        Ok(self
            .lock()
            .tasks
            .get(call_id)
            .filter(|t| t.attempt == attempt)
            .cloned())
    }

    fn claim_instance(
        &self,
        node: &str,
        machine: &str,
        key: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<i64>> {
        let mut g = self.lock();
        let k = (machine.to_string(), key.to_string());
        g.instances
            .entry(k.clone())
            .or_insert_with(|| InstanceRow::new(machine, key, now));
        if !Self::claimable(g.instance_leases.get(&k), node, now) {
            return Ok(None);
        }
        let l = g.instance_leases.entry(k).or_default();
        Ok(Some(Self::take(l, "", node, now, lease_ms).epoch))
    }

    fn claim_instances_with_work(
        &self,
        node: &str,
        now: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<InstanceClaim>> {
        let mut g = self.lock();
        let candidates: Vec<(String, String)> = g
            .instance_inbox
            .values()
            .map(|e| (e.machine.clone(), e.key.clone()))
            .collect();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for k in candidates {
            if out.len() >= limit || !seen.insert(k.clone()) {
                continue;
            }
            if !Self::claimable(g.instance_leases.get(&k), node, now) {
                continue;
            }
            g.instances
                .entry(k.clone())
                .or_insert_with(|| InstanceRow::new(&k.0, &k.1, now));
            let l = g.instance_leases.entry(k.clone()).or_default();
            let epoch = Self::take(l, "", node, now, lease_ms).epoch;
            out.push(InstanceClaim {
                machine: k.0,
                key: k.1,
                epoch,
            });
        }
        Ok(out)
    }

    fn renew_instances(
        &self,
        node: &str,
        claims: &[InstanceClaim],
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<InstanceClaim>> {
        let mut g = self.lock();
        let mut lost = Vec::new();
        for c in claims {
            match g
                .instance_leases
                .get_mut(&(c.machine.clone(), c.key.clone()))
            {
                Some(l) if l.owner.as_deref() == Some(node) && l.epoch == c.epoch => {
                    l.until = now + lease_ms
                }
                _ => lost.push(c.clone()),
            }
        }
        Ok(lost)
    }

    fn release_instances(&self, node: &str, claims: &[InstanceClaim]) -> Result<()> {
        let mut g = self.lock();
        for c in claims {
            if let Some(l) = g
                .instance_leases
                .get_mut(&(c.machine.clone(), c.key.clone()))
            {
                if l.owner.as_deref() == Some(node) && l.epoch == c.epoch {
                    l.owner = None;
                }
            }
        }
        Ok(())
    }

    fn instance_inbox(&self, machine: &str, key: &str) -> Result<Vec<InstanceInboxEvent>> {
        let g = self.lock();
        Ok(g.instance_inbox
            .values()
            .filter(|e| e.machine == machine && e.key == key)
            .cloned()
            .collect())
    }

    fn wait_for_work(&self, timeout: std::time::Duration) -> Result<bool> {
        let g = self.lock();
        let before = g.signals;
        let (g, _) = self
            .work
            .wait_timeout_while(g, timeout, |g| g.signals == before)
            .unwrap_or_else(|e| e.into_inner());
        Ok(g.signals != before)
    }

    fn queue_depths(&self, now: i64) -> Result<Vec<crate::QueueDepth>> {
        let g = self.lock();
        let mut by: BTreeMap<&str, crate::QueueDepth> = BTreeMap::new();
        for t in g.tasks.values() {
            let d = by.entry(&t.activity).or_insert_with(|| crate::QueueDepth {
                activity: t.activity.clone(),
                ..Default::default()
            });
            match g.task_leases.get(&t.call_id) {
                Some((_, until)) if *until > now => d.leased += 1,
                _ => d.ready += 1,
            }
        }
        Ok(by.into_values().collect())
    }

    fn record_polls(
        &self,
        node: &str,
        worker: &str,
        activities: &[String],
        now: i64,
    ) -> Result<()> {
        let mut g = self.lock();
        for a in activities {
            g.pollers
                .insert((a.clone(), worker.to_string(), node.to_string()), now);
        }
        g.pollers
            .retain(|_, at| *at >= now - crate::cluster::POLLS_KEPT_MS);
        Ok(())
    }

    fn pollers(&self, since: i64) -> Result<Vec<crate::Poller>> {
        let g = self.lock();
        Ok(g.pollers
            .iter()
            .filter(|(_, at)| **at >= since)
            .map(|((activity, worker, node), at)| crate::Poller {
                activity: activity.clone(),
                worker: worker.clone(),
                node: node.clone(),
                last_poll: *at,
            })
            .collect())
    }
}

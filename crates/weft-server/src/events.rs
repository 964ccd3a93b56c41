//! Events over HTTP: `POST /v1/events` hands a list to the runtime's one
//! entry point ([`weft_runtime::Runtime::ingest`], which pull and stream
//! sources use too) and answers once the new events are durable;
//! `GET /v1/events` lists what was taken, newest first.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::{json, Value};
use weft_store::{IncomingEvent, StoredEvent};

use crate::error::{ApiError, Json};
use crate::state::{blocking, AppState};

/// Events a page of `GET /v1/events` holds at most (and by default).
pub const PAGE_EVENTS_MAX: usize = 100;

/// An event as the API takes it: the fields of [`IncomingEvent`], no
/// other.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsBody {
    events: Vec<ApiEvent>,
}

/// `POST /v1/events`: `{"events": [...]}` → `{"accepted": N, "duplicates": M}`.
pub(crate) async fn post_events(
    State(s): State<AppState>,
    Json(body): Json<EventsBody>,
) -> Result<Json<Value>, ApiError> {
    let events: Vec<IncomingEvent> = body
        .events
        .into_iter()
        .map(|e| IncomingEvent {
            id: e.id,
            kind: e.kind,
            subject: e.subject,
            data: e.data,
            source: e.source,
        })
        .collect();
    let outcome = s.runtime.ingest(events).await?;
    Ok(Json(json!({
        "accepted": outcome.accepted,
        "duplicates": outcome.duplicates,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsQuery {
    before: Option<String>,
    limit: Option<String>,
}

/// An event as the API shows it.
pub(crate) fn event_json(e: &StoredEvent) -> Value {
    json!({
        "seq": e.seq,
        "id": e.event.id,
        "type": e.event.kind,
        "subject": e.event.subject,
        "data": e.event.data,
        "source": e.event.source,
        "receivedAt": e.received_at,
        "starts": e.starts.iter().map(|t| json!({
            "trigger": t.trigger,
            "flow": t.flow,
            "runId": t.run_id,
            "error": t.error,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /v1/events?before=&limit=`: events taken, newest first.
pub(crate) async fn list_events(
    State(s): State<AppState>,
    q: Result<Query<EventsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("bad query: {}", e.body_text())))?;
    let limit = match q.limit.as_deref() {
        None | Some("") => PAGE_EVENTS_MAX,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=PAGE_EVENTS_MAX).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`limit` must be a whole number from 1 to {PAGE_EVENTS_MAX}"
                ))
            })?,
    };
    let before = match q.before.as_deref() {
        None | Some("") => None,
        Some(b) => Some(b.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::bad_request("`before` must be an event's `seq` (a whole number)")
        })?),
    };
    let store = s.runtime.store().clone();
    let events = blocking(move || store.events(before, limit)).await?;
    let next = events
        .last()
        .filter(|_| events.len() == limit)
        .map(|e| e.seq.to_string());
    Ok(Json(json!({
        "events": events.iter().map(event_json).collect::<Vec<_>>(),
        "nextBefore": next,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedriveBody {
    id: String,
}

/// `POST /v1/events/redrive` `{"id": "..."}`: the event's triggers whose
/// run could not start are tried again, as the triggers in force now say
/// (same idempotency keys: never a second run); answers the event's
/// starts once durable. Recorded in the audit log as `event-redrive`, with
/// the runs it started and the starts that still fail.
pub(crate) async fn redrive_event(
    State(s): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<RedriveBody>,
) -> Result<Json<Value>, ApiError> {
    let actor = crate::audit::actor(&headers)?;
    let store = s.runtime.store().clone();
    let key = body.id.clone();
    let before = blocking(move || store.event(&key))
        .await?
        .map(|e| failed_triggers(&e.starts))
        .unwrap_or_default();
    let starts = s.runtime.redrive_event(&body.id).await?;
    let (runs, failures) = redrive_outcome(&body.id, &before, &starts);
    let starts: Vec<Value> = starts.iter().map(start_json).collect();
    let detail = json!({"event": body.id, "starts": starts});
    let matched = before.len() as u64;
    crate::audit::record(&s, actor, "event-redrive", detail, matched, runs, failures).await;
    Ok(Json(json!({
        "id": body.id,
        "starts": starts,
    })))
}

/// The triggers whose start of an event failed.
fn failed_triggers(starts: &[weft_store::TriggerStart]) -> Vec<String> {
    starts
        .iter()
        .filter(|st| st.error.is_some())
        .map(|st| st.trigger.clone())
        .collect()
}

/// What a re-drive of `event` did, from the triggers whose start had failed
/// before it (`before`) and the event's starts after it: the runs it
/// started (a start that had its run already is not counted), and the
/// starts that still fail, as `(event id, "trigger: why")`.
fn redrive_outcome(
    event: &str,
    before: &[String],
    after: &[weft_store::TriggerStart],
) -> (Vec<String>, Vec<(String, String)>) {
    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for st in after {
        match (&st.run_id, &st.error) {
            (Some(run), None) if before.contains(&st.trigger) => runs.push(run.clone()),
            (_, Some(why)) => failures.push((event.to_string(), format!("{}: {why}", st.trigger))),
            _ => {}
        }
    }
    (runs, failures)
}

// ----- schedules and triggers -----

/// A schedule as the API shows it.
pub(crate) fn schedule_json(r: &weft_store::ScheduleRow) -> Value {
    let spec = weft_runtime::host::schedule_spec_of(r);
    json!({
        "name": r.name,
        "flow": r.flow,
        "version": r.version,
        "spec": r.spec,
        "nextAt": r.next_at,
        "paused": r.paused,
        "retired": r.retired,
        "lastFireAt": r.last_fire_at,
        "lastRunId": r.last_run_id,
        "lastError": r.last_error,
        "fires": r.fires,
        "skipped": r.skipped,
        "queued": r.queued,
        "updatedAt": r.updated_at,
        // How late its next fire is, when it is due and has not fired.
        "lagMs": r.next_at.filter(|_| !r.paused && !r.retired && spec.is_some())
            .map(|t| (weft_runtime::runtime::now_ms() - t).max(0)),
    })
}

/// `GET /v1/schedules`: every schedule, retired ones last.
pub(crate) async fn list_schedules(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let mut rows = blocking(move || store.schedules()).await?;
    rows.sort_by_key(|r| (r.retired, r.name.clone()));
    Ok(Json(json!({
        "schedules": rows.iter().map(schedule_json).collect::<Vec<_>>(),
    })))
}

/// An operator's action on a schedule, recorded in the audit log once done
/// (as `schedule-pause`, `schedule-resume` or `schedule-trigger`; a
/// trigger's record lists the run it started).
async fn schedule_action(
    s: &AppState,
    headers: &HeaderMap,
    name: &str,
    action: weft_runtime::host::ScheduleAction,
) -> Result<Json<Value>, ApiError> {
    use weft_runtime::host::ScheduleAction;
    let actor = crate::audit::actor(headers)?;
    let row = s.runtime.schedule(name, action).await?;
    let mut detail = json!({"schedule": name});
    let (what, matched, runs) = match action {
        ScheduleAction::Pause => ("schedule-pause", 0, Vec::new()),
        ScheduleAction::Resume => ("schedule-resume", 0, Vec::new()),
        // A fire now either starts its run (the row's last run) or records
        // why it could not.
        ScheduleAction::Trigger => match &row.last_error {
            None => (
                "schedule-trigger",
                1,
                row.last_run_id.iter().cloned().collect(),
            ),
            Some(e) => {
                detail["error"] = json!(e);
                ("schedule-trigger", 1, Vec::new())
            }
        },
    };
    crate::audit::record(s, actor, what, detail, matched, runs, vec![]).await;
    Ok(Json(schedule_json(&row)))
}

/// `POST /v1/schedules/{name}/pause`.
pub(crate) async fn pause_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    schedule_action(
        &s,
        &headers,
        &name,
        weft_runtime::host::ScheduleAction::Pause,
    )
    .await
}

/// `POST /v1/schedules/{name}/resume`.
pub(crate) async fn resume_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    schedule_action(
        &s,
        &headers,
        &name,
        weft_runtime::host::ScheduleAction::Resume,
    )
    .await
}

/// `POST /v1/schedules/{name}/trigger`: a run now.
pub(crate) async fn trigger_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    schedule_action(
        &s,
        &headers,
        &name,
        weft_runtime::host::ScheduleAction::Trigger,
    )
    .await
}

/// Events `GET /v1/triggers` reads, newest first, to count what each
/// trigger did; `countsComplete` is false when more events were taken.
pub const TRIGGER_EVENTS_SCANNED_MAX: usize = 10_000;

/// Events read per store call while counting (a page of the scan).
const SCAN_PAGE_EVENTS: usize = 1_000;

/// What one trigger did, counted over the events scanned.
#[derive(Default)]
struct TriggerTally<'a> {
    started: u64,
    failed: u64,
    last: Option<(&'a StoredEvent, &'a weft_store::TriggerStart)>,
    last_error: Option<(&'a StoredEvent, &'a weft_store::TriggerStart)>,
}

/// The triggers in force: those the newest version of each flow declares,
/// with that version.
fn triggers_in_force(
    store: &dyn weft_store::Store,
) -> weft_store::Result<Vec<(weft_syntax::ast::TriggerSpec, i64)>> {
    let mut flows = std::collections::BTreeMap::new();
    for f in store.flows()? {
        if let Some(v) = f.versions.iter().max() {
            flows.insert(f.name, *v);
        }
    }
    let mut found = Vec::new();
    let mut versions: Vec<i64> = flows.values().copied().collect();
    versions.sort_unstable();
    versions.dedup();
    for v in versions {
        if let Some(d) = store.deployment(v)? {
            for t in weft_runtime::host::declared_triggers(&d.files) {
                if flows.get(&t.flow) == Some(&v) {
                    found.push((t, v));
                }
            }
        }
    }
    Ok(found)
}

/// The newest [`TRIGGER_EVENTS_SCANNED_MAX`] events, newest first, without
/// their data; and whether they are all the events there are.
fn recent_event_starts(
    store: &dyn weft_store::Store,
) -> weft_store::Result<(Vec<StoredEvent>, bool)> {
    let mut recent: Vec<StoredEvent> = Vec::new();
    while recent.len() < TRIGGER_EVENTS_SCANNED_MAX {
        let want = SCAN_PAGE_EVENTS.min(TRIGGER_EVENTS_SCANNED_MAX - recent.len());
        let page = store.event_starts(recent.last().map(|e| e.seq), want)?;
        let short = page.len() < want;
        recent.extend(page);
        if short {
            return Ok((recent, true));
        }
    }
    // Exactly the bound read: complete when nothing older is left.
    let complete = store
        .event_starts(recent.last().map(|e| e.seq), 1)?
        .is_empty();
    Ok((recent, complete))
}

/// Most events one `POST /v1/triggers/{name}/redrive` re-drives; the
/// answer's `more` and `next` say when others are left.
pub const REDRIVE_EVENTS_MAX: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedriveTriggerQuery {
    /// Only events taken after this one (its `seq`): the `next` of the
    /// previous answer.
    after: Option<i64>,
}

/// `POST /v1/triggers/{name}/redrive[?after=SEQ]`: re-drives every event
/// among the newest [`TRIGGER_EVENTS_SCANNED_MAX`] (and after `after`)
/// whose start by this trigger failed, oldest first, at most
/// [`REDRIVE_EVENTS_MAX`] per request; `next` is the `after` of the next
/// request when `more` is true, so events that fail again are not taken
/// again. Each event is re-driven whole, as `POST /v1/events/redrive` does
/// (same idempotency keys: never a second run).
///
/// Recorded in the audit log as one `trigger-redrive`, begun before the
/// first event and brought up to date after each, so re-drives done before
/// a failure (a store error, a stopping node) are on record; such a
/// failure ends the request with what was done and `error`.
pub(crate) async fn redrive_trigger(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    q: Result<Query<RedriveTriggerQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| {
        ApiError::new(
            crate::error::Code::InvalidQuery,
            format!("bad query: {}", e.body_text()),
        )
    })?;
    let actor = crate::audit::actor(&headers)?;
    let store = s.runtime.store().clone();
    let wanted = name.clone();
    let (known, failed, complete) = blocking(move || {
        let known = triggers_in_force(store.as_ref())?
            .iter()
            .any(|(t, _)| t.name == wanted);
        let (recent, complete) = recent_event_starts(store.as_ref())?;
        let failed: Vec<(i64, String, Vec<String>)> = recent
            .into_iter()
            .rev()
            .filter(|e| q.after.is_none_or(|after| e.seq > after))
            .filter(|e| {
                e.starts
                    .iter()
                    .any(|st| st.trigger == wanted && st.error.is_some())
            })
            .map(|e| (e.seq, e.event.id, failed_triggers(&e.starts)))
            .collect();
        Ok((known, failed, complete))
    })
    .await?;
    if !known {
        return Err(ApiError::new(
            crate::error::Code::UnknownTrigger,
            format!("no trigger `{name}` is in force (GET /v1/triggers lists them)"),
        ));
    }
    let more = failed.len() > REDRIVE_EVENTS_MAX;
    let batch: Vec<_> = failed.into_iter().take(REDRIVE_EVENTS_MAX).collect();
    let store = s.runtime.store().clone();
    let entry = weft_store::NewAudit {
        at: weft_runtime::runtime::now_ms(),
        actor,
        action: "trigger-redrive".into(),
        detail: json!({"trigger": name, "after": q.after, "events": batch.len()}),
        matched: batch.iter().map(|(_, _, b)| b.len() as u64).sum(),
    };
    let audit_id = blocking(move || store.audit_begin(&entry)).await?;
    let mut events = Vec::new();
    let (mut started, mut still_failing) = (0usize, 0usize);
    let mut next = None;
    let mut stopped = None;
    for (seq, id, before) in batch {
        let starts = match s.runtime.redrive_event(&id).await {
            Ok(starts) => starts,
            Err(e) => {
                let e = ApiError::from(e);
                stopped = Some(e.message.clone());
                progress(&s, audit_id, vec![], vec![(id, e.message)], None).await;
                break;
            }
        };
        let (runs, failures) = redrive_outcome(&id, &before, &starts);
        started += runs.len();
        still_failing += failures.len();
        progress(&s, audit_id, runs, failures, None).await;
        events.push(json!({"id": id, "starts": starts.iter().map(start_json).collect::<Vec<_>>()}));
        next = Some(seq);
    }
    progress(
        &s,
        audit_id,
        vec![],
        vec![],
        Some(weft_runtime::runtime::now_ms()),
    )
    .await;
    let mut answer = json!({
        "trigger": name,
        "redriven": events.len(),
        "runsStarted": started,
        "stillFailing": still_failing,
        "more": more || stopped.is_some(),
        "next": if more || stopped.is_some() { next.or(q.after) } else { None },
        "scanComplete": complete,
        "auditId": audit_id,
        "events": events,
    });
    if let Some(message) = stopped {
        answer["error"] = json!(message);
    }
    Ok(Json(answer))
}

/// Adds to a re-drive's audit record; a failure to record is logged, as
/// [`crate::audit::record`] does: the re-drives are done and durable.
async fn progress(
    s: &AppState,
    audit_id: i64,
    runs: Vec<String>,
    failures: Vec<(String, String)>,
    done: Option<i64>,
) {
    let store = s.runtime.store().clone();
    let result = blocking(move || store.audit_progress(audit_id, &runs, &failures, done)).await;
    if let Err(e) = result {
        tracing::warn!(audit_id, error = %e.message, "recording a trigger's re-drive in the audit log failed: {}", e.message);
    }
}

/// A trigger's start of an event, as the API shows it.
fn start_json(t: &weft_store::TriggerStart) -> Value {
    json!({
        "trigger": t.trigger,
        "flow": t.flow,
        "runId": t.run_id,
        "error": t.error,
    })
}

/// `GET /v1/triggers`: the triggers in force, each with what it did over
/// the newest [`TRIGGER_EVENTS_SCANNED_MAX`] events: runs started, starts
/// that failed, its last event and its last error.
pub(crate) async fn list_triggers(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let (triggers, recent, complete) = blocking(move || {
        let found = triggers_in_force(store.as_ref())?;
        let (recent, complete) = recent_event_starts(store.as_ref())?;
        Ok((found, recent, complete))
    })
    .await?;
    let mut tallies: std::collections::HashMap<&str, TriggerTally> =
        std::collections::HashMap::new();
    for e in &recent {
        for st in &e.starts {
            let t = tallies.entry(st.trigger.as_str()).or_default();
            if st.error.is_some() {
                t.failed += 1;
                t.last_error.get_or_insert((e, st));
            } else if st.run_id.is_some() {
                t.started += 1;
            }
            t.last.get_or_insert((e, st));
        }
    }
    let items: Vec<Value> = triggers
        .iter()
        .map(|(t, v)| {
            let tally = tallies.remove(t.name.as_str()).unwrap_or_default();
            json!({
                "name": t.name,
                "types": t.types,
                "subject": t.subject,
                "where": t.condition_text,
                "flow": t.flow,
                "version": v,
                "runsStarted": tally.started,
                "startsFailed": tally.failed,
                "lastEvent": tally.last.map(|(e, st)| json!({
                    "id": e.event.id,
                    "receivedAt": e.received_at,
                    "runId": st.run_id,
                    "error": st.error,
                })),
                "lastError": tally.last_error.map(|(e, st)| json!({
                    "eventId": e.event.id,
                    "at": e.received_at,
                    "message": st.error,
                })),
            })
        })
        .collect();
    Ok(Json(json!({
        "triggers": items,
        "eventsScanned": recent.len(),
        "countsComplete": complete,
    })))
}

/// `GET /v1/events/{id}`: one event, with the runs its triggers started.
pub(crate) async fn get_event(
    State(s): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let key = id.clone();
    let e = blocking(move || store.event(&key)).await?.ok_or_else(|| {
        ApiError::new(
            crate::error::Code::UnknownEvent,
            format!("no event with id `{id}` was taken"),
        )
    })?;
    Ok(Json(event_json(&e)))
}

// ----- what started a run -----

/// What started a run, read back from its idempotency key and confirmed by
/// what the key names: the event (which must record this run as its
/// trigger's start) or the schedule (which must run the run's flow). A key
/// a client chose that only looks like one names nothing. `None` for a run
/// started through `POST /v1/runs`, a sub-flow, or a key that names
/// nothing stored.
pub fn run_origin(
    store: &dyn weft_store::Store,
    rec: &weft_store::RunRecord,
) -> weft_store::Result<Option<Value>> {
    let Some(key) = rec.idempotency_key.as_deref() else {
        return Ok(None);
    };
    if let Some(rest) = key.strip_prefix("event:") {
        // Trigger names are identifiers (no `:`); event ids may hold any.
        let Some((trigger, event_id)) = rest.split_once(':') else {
            return Ok(None);
        };
        let Some(e) = store.event(event_id)? else {
            return Ok(None);
        };
        let ours = e
            .starts
            .iter()
            .any(|st| st.trigger == trigger && st.run_id.as_deref() == Some(rec.id.as_str()));
        if !ours || weft_store::events::trigger_run_key(trigger, event_id) != key {
            return Ok(None);
        }
        return Ok(Some(json!({
            "kind": "event",
            "trigger": trigger,
            "event": {
                "id": e.event.id,
                "type": e.event.kind,
                "subject": e.event.subject,
                "source": e.event.source,
                "receivedAt": e.received_at,
            },
        })));
    }
    if let Some(rest) = key.strip_prefix("schedule:") {
        // `schedule:<name>:<ms>`, `…:queued:<ms>` or `…:now:<ms>`
        // (weft_runtime::host::schedules).
        let Some((head, at)) = rest.rsplit_once(':') else {
            return Ok(None);
        };
        let Ok(at) = at.parse::<i64>() else {
            return Ok(None);
        };
        let (name, fire) = if let Some(n) = head.strip_suffix(":queued") {
            (n, "queued")
        } else if let Some(n) = head.strip_suffix(":now") {
            (n, "now")
        } else {
            (head, "scheduled")
        };
        let known = store
            .schedules()?
            .iter()
            .any(|r| r.name == name && r.flow == rec.flow);
        if !known {
            return Ok(None);
        }
        return Ok(Some(json!({
            "kind": "schedule",
            "schedule": name,
            "fire": fire,
            "fireAt": at,
        })));
    }
    Ok(None)
}

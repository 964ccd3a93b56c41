//! Events over HTTP: `POST /v1/events` hands a list to the runtime's one
//! entry point ([`weft_runtime::Runtime::ingest`], which pull and stream
//! sources use too) and answers once the new events are durable;
//! `GET /v1/events` lists what was taken, newest first.

use axum::extract::{Query, State};
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
/// starts once durable.
pub(crate) async fn redrive_event(
    State(s): State<AppState>,
    Json(body): Json<RedriveBody>,
) -> Result<Json<Value>, ApiError> {
    let starts = s.runtime.redrive_event(&body.id).await?;
    Ok(Json(json!({
        "id": body.id,
        "starts": starts.iter().map(|t| json!({
            "trigger": t.trigger,
            "flow": t.flow,
            "runId": t.run_id,
            "error": t.error,
        })).collect::<Vec<_>>(),
    })))
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

async fn schedule_action(
    s: &AppState,
    name: &str,
    action: weft_runtime::host::ScheduleAction,
) -> Result<Json<Value>, ApiError> {
    let row = s.runtime.schedule(name, action).await?;
    Ok(Json(schedule_json(&row)))
}

/// `POST /v1/schedules/{name}/pause`.
pub(crate) async fn pause_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule_action(&s, &name, weft_runtime::host::ScheduleAction::Pause).await
}

/// `POST /v1/schedules/{name}/resume`.
pub(crate) async fn resume_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule_action(&s, &name, weft_runtime::host::ScheduleAction::Resume).await
}

/// `POST /v1/schedules/{name}/trigger`: a run now.
pub(crate) async fn trigger_schedule(
    State(s): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Json<Value>, ApiError> {
    schedule_action(&s, &name, weft_runtime::host::ScheduleAction::Trigger).await
}

/// `GET /v1/triggers`: the triggers in force, each with its newest event
/// among the last [`PAGE_EVENTS_MAX`] taken.
pub(crate) async fn list_triggers(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let (triggers, recent) = blocking(move || {
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
        Ok((found, store.events(None, PAGE_EVENTS_MAX)?))
    })
    .await?;
    let items: Vec<Value> = triggers
        .iter()
        .map(|(t, v)| {
            let last = recent.iter().find_map(|e| {
                e.starts
                    .iter()
                    .find(|st| st.trigger == t.name)
                    .map(|st| (e, st))
            });
            json!({
                "name": t.name,
                "types": t.types,
                "subject": t.subject,
                "where": t.condition_text,
                "flow": t.flow,
                "version": v,
                "lastEvent": last.map(|(e, st)| json!({
                    "id": e.event.id,
                    "receivedAt": e.received_at,
                    "runId": st.run_id,
                    "error": st.error,
                })),
            })
        })
        .collect();
    Ok(Json(json!({"triggers": items})))
}

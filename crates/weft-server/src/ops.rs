//! The operators' endpoints for many runs: search (`GET /v1/runs`), bulk
//! repair (`POST /v1/runs/bulk`), the audit log (`GET /v1/audit`), workers
//! and queues (`GET /v1/workers`, `GET /v1/queues`), and time travel (a
//! run's state at a journal step, forks, the journal as a download).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use weft_engine::state::Event;
use weft_engine::time::{format_duration, format_time};
use weft_runtime::runtime::now_ms;
use weft_store::{AuditEntry, AuditQuery, NewAudit, RunQuery, RunRecord};

use crate::api::run_json;
use crate::audit;
use crate::error::{ApiError, Code, Json, Path};
use crate::search;
use crate::state::{blocking, AppState};
use crate::tasks::Tasks;

/// Most runs one bulk action applies to; a query that matches more is
/// refused (narrow it, or act in parts).
pub const BULK_RUNS_MAX: usize = 100_000;

/// Runs a bulk action's dry run shows.
pub const BULK_SAMPLE_RUNS: usize = 10;

/// How long a bulk action's request waits for it to finish; a longer one
/// goes on after the answer (`202`, `done: false`), and `GET
/// /v1/audit/{id}` shows its progress.
pub const BULK_WAIT: Duration = Duration::from_secs(10);

/// Actions a bulk action has in flight at once (they share commits).
pub const BULK_IN_FLIGHT_MAX: usize = 64;

/// Runs a bulk action's progress is written to the audit log after.
const BULK_PROGRESS_EVERY: usize = 200;

/// Failures a bulk action's answer lists (the audit log has them all).
const BULK_FAILURES_SHOWN: usize = 20;

/// Most operator actions one page of the audit log lists.
pub const AUDIT_PAGE_MAX: usize = 500;

/// What the runs of a page wait on: the last poll per activity (to tell
/// which waiting runs nobody serves) and the sub-flows they wait for that
/// failed.
struct Served {
    last: BTreeMap<String, i64>,
    now: i64,
    failed_children: BTreeMap<String, RunRecord>,
}

/// Reads what [`annotated`] needs about `runs`.
async fn served(s: &AppState, runs: &[RunRecord]) -> Result<Served, ApiError> {
    let w = s.workers.clone();
    let now = now_ms();
    let pollers = blocking(move || w.pollers(now)).await?;
    let children: Vec<String> = runs
        .iter()
        .flat_map(|r| r.waiting.as_array().into_iter().flatten())
        .filter(|w| w["kind"] == "child")
        .filter_map(|w| w["runId"].as_str().map(str::to_string))
        .collect();
    let store = s.runtime.store().clone();
    let failed_children = blocking(move || {
        let mut out = BTreeMap::new();
        for id in children {
            if let Some(r) = store.run(&id)? {
                if r.status == weft_engine::state::Status::Failed {
                    out.insert(id, r);
                }
            }
        }
        Ok(out)
    })
    .await?;
    Ok(Served {
        last: crate::workers::Workers::last_polls(&pollers),
        now,
        failed_children,
    })
}

/// A run as the API shows it, with `stalled` when it waits on an activity
/// nobody polls and `failedChild` when it waits for a sub-flow that failed.
fn annotated(s: &AppState, served: &Served, r: &RunRecord) -> Value {
    let mut v = run_json(r);
    // Only activities that pull workers serve can be left without one.
    let bound = |a: &str| kind(s, a) != "pull";
    if let Some(stall) = s
        .workers
        .stall_of(&r.waiting, &bound, &served.last, served.now)
    {
        v["stalled"] = stall.to_json();
    }
    let failed = r
        .waiting
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["runId"].as_str())
        .find_map(|id| served.failed_children.get(id));
    if let Some(c) = failed {
        v["failedChild"] = json!({
            "runId": c.id,
            "flow": c.flow,
            "message": c.error.as_ref().and_then(|e| e["message"].as_str()).unwrap_or("failed"),
        });
    }
    v
}

/// `GET /v1/runs/{id}`: the run, with `stalled`, and `startedBy` when an
/// event's trigger or a schedule started it.
pub(crate) async fn get_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let key = id.clone();
    let (rec, origin) = blocking(move || {
        let Some(rec) = store.run(&key)? else {
            return Ok(None);
        };
        let origin = crate::events::run_origin(store.as_ref(), &rec)?;
        Ok(Some((rec, origin)))
    })
    .await?
    .ok_or_else(|| ApiError::new(Code::UnknownRun, format!("no run with id `{id}`")))?;
    let served = served(&s, std::slice::from_ref(&rec)).await?;
    let mut v = annotated(&s, &served, &rec);
    if let Some(o) = origin {
        v["startedBy"] = o;
    }
    Ok(Json(v))
}

/// `GET /v1/runs`: see [`crate::search`].
pub(crate) async fn list_runs(
    State(s): State<AppState>,
    q: Result<Query<BTreeMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(raw) =
        q.map_err(|e| ApiError::new(Code::InvalidQuery, format!("bad query: {}", e.body_text())))?;
    let query = search::query(&raw, true)?;
    let store = s.runtime.store().clone();
    let page = blocking(move || store.list_runs(&query)).await?;
    let served = served(&s, &page.runs).await?;
    let mut out = json!({
        "runs": page.runs.iter().map(|r| annotated(&s, &served, r)).collect::<Vec<_>>(),
        "nextCursor": page.next_cursor,
        "total": page.total,
        "exact": page.exact,
    });
    if page.scanned > 0 {
        out["scanned"] = json!(page.scanned);
    }
    Ok(Json(out))
}

// ----- bulk repair -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct BulkBody {
    action: String,
    #[serde(default)]
    query: Value,
    value: Option<Value>,
    reason: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// The event a bulk action applies to each run.
fn bulk_event(b: &BulkBody) -> Result<Event, ApiError> {
    let invalid = |m: String| ApiError::new(Code::InvalidBody, m);
    match b.action.as_str() {
        "retry" | "cancel" if b.value.is_some() => Err(invalid(format!(
            "`value` is for `resolve`, not `{}`",
            b.action
        ))),
        "retry" | "resolve" if b.reason.is_some() => Err(invalid(format!(
            "`reason` is for `cancel`, not `{}`",
            b.action
        ))),
        "retry" => Ok(Event::Retry),
        "cancel" => Ok(Event::Cancel {
            reason: b
                .reason
                .clone()
                .unwrap_or_else(|| "cancelled by an operator (bulk)".into()),
        }),
        "resolve" => {
            let value = b.value.clone().ok_or_else(|| {
                invalid("`resolve` needs `value`: what the failed calls return".into())
            })?;
            let size = serde_json::to_vec(&value).map(|v| v.len()).unwrap_or(0);
            if size > weft_engine::limits::PAYLOAD_BYTES_MAX {
                return Err(ApiError::new(
                    Code::PayloadTooLarge,
                    format!(
                        "the value is {size} bytes; the payload limit is {} bytes",
                        weft_engine::limits::PAYLOAD_BYTES_MAX
                    ),
                ));
            }
            Ok(Event::Resolve { value })
        }
        other => Err(invalid(format!(
            "`action` {other:?} is not one of retry, cancel, resolve"
        ))),
    }
}

/// Every run the query matches, by id, at most [`BULK_RUNS_MAX`].
fn matching_ids(store: &dyn weft_store::Store, q: &RunQuery) -> Result<Vec<String>, ApiError> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_runs(&RunQuery {
                limit: search::PAGE_RUNS_MAX,
                cursor,
                count: false,
                ..q.clone()
            })
            .map_err(|e| ApiError::from(weft_runtime::HostError::Store(e)))?;
        if !page.exact {
            return Err(ApiError::new(
                Code::InvalidQuery,
                format!(
                    "the condition is evaluated over at most {} runs \
                     (SEARCH_SCAN_RUNS_MAX) and more may match: narrow the query (by status, \
                     flow, time, or conditions the store evaluates) before acting on it",
                    search::SEARCH_SCAN_RUNS_MAX
                ),
            ));
        }
        ids.extend(page.runs.into_iter().map(|r| r.id));
        if ids.len() > BULK_RUNS_MAX {
            return Err(ApiError::new(
                Code::InvalidQuery,
                format!(
                    "the query matches more than {BULK_RUNS_MAX} runs (BULK_RUNS_MAX): act on \
                     fewer at a time"
                ),
            ));
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(ids),
        }
    }
}

/// `POST /v1/runs/bulk`: `{"action": "retry"|"cancel"|"resolve", "query":
/// {...}, "value": ..., "reason": "...", "dryRun": true}` applies the
/// action to every run the query matches (the parameters of `GET
/// /v1/runs`), or with `dryRun` only counts them and shows a sample.
pub(crate) async fn bulk(
    State(s): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<BulkBody>,
) -> Result<Response, ApiError> {
    let actor = audit::actor(&headers)?;
    let event = bulk_event(&body)?;
    let raw = if body.query.is_null() {
        BTreeMap::new()
    } else {
        search::params_of(&body.query)?
    };
    let query = search::query(&raw, false)?;
    if body.dry_run {
        let store = s.runtime.store().clone();
        let sample_q = RunQuery {
            limit: BULK_SAMPLE_RUNS,
            ..query
        };
        let page = blocking(move || store.list_runs(&sample_q)).await?;
        let served = served(&s, &page.runs).await?;
        return Ok(Json(json!({
            "dryRun": true,
            "action": body.action,
            "matched": page.total.unwrap_or(0),
            "exact": page.exact,
            "applied": 0,
            "sample": page.runs.iter().map(|r| annotated(&s, &served, r)).collect::<Vec<_>>(),
        }))
        .into_response());
    }
    let store = s.runtime.store().clone();
    let ids = {
        let q = query.clone();
        let store = store.clone();
        tokio::task::spawn_blocking(move || matching_ids(store.as_ref(), &q))
            .await
            .map_err(|e| ApiError::new(Code::Internal, format!("listing the runs failed: {e}")))??
    };
    let matched = ids.len() as u64;
    let mut detail = json!({"query": search::describe(&raw)});
    match &event {
        Event::Resolve { value } => detail["value"] = value.clone(),
        Event::Cancel { reason } => detail["reason"] = json!(reason),
        _ => {}
    }
    let entry = NewAudit {
        at: now_ms(),
        actor,
        action: format!("bulk-{}", body.action),
        detail,
        matched,
    };
    let audit_id = {
        let store = store.clone();
        blocking(move || store.audit_begin(&entry)).await?
    };
    let (progress_tx, mut progress_rx) = tokio::sync::watch::channel((0u64, 0u64, false));
    let failures: Arc<std::sync::Mutex<Vec<(String, String)>>> = Arc::default();
    tokio::spawn(apply_bulk(
        s.clone(),
        ids,
        event,
        audit_id,
        progress_tx,
        failures.clone(),
    ));
    let deadline = tokio::time::Instant::now() + BULK_WAIT;
    let done = loop {
        if progress_rx.borrow().2 {
            break true;
        }
        match tokio::time::timeout_at(deadline, progress_rx.changed()).await {
            Ok(Ok(())) => {}
            // The task ended (it always sends `done` first) or time is up.
            Ok(Err(_)) => break progress_rx.borrow().2,
            Err(_) => break false,
        }
    };
    let (applied, failed, _) = *progress_rx.borrow();
    let shown: Vec<Value> = failures
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .take(BULK_FAILURES_SHOWN)
        .map(|(run, error)| json!({"run": run, "error": error}))
        .collect();
    let status = if done {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((
        status,
        Json(json!({
            "action": body.action,
            "auditId": audit_id,
            "matched": matched,
            "applied": applied,
            "failed": failed,
            "done": done,
            "failures": shown,
        })),
    )
        .into_response())
}

/// Applies a bulk action run by run (many in flight, so they share
/// commits), writing its progress to the audit log as it goes.
async fn apply_bulk(
    s: AppState,
    ids: Vec<String>,
    event: Event,
    audit_id: i64,
    progress: tokio::sync::watch::Sender<(u64, u64, bool)>,
    failures: Arc<std::sync::Mutex<Vec<(String, String)>>>,
) {
    let (mut applied, mut failed) = (0u64, 0u64);
    let mut pending_ok: Vec<String> = Vec::new();
    let mut pending_failed: Vec<(String, String)> = Vec::new();
    let store = s.runtime.store().clone();
    let write = |ok: Vec<String>, bad: Vec<(String, String)>, done: Option<i64>| {
        let store = store.clone();
        async move {
            let r = tokio::task::spawn_blocking(move || {
                store.audit_progress(audit_id, &ok, &bad, done)
            })
            .await;
            if !matches!(r, Ok(Ok(()))) {
                tracing::warn!(
                    audit = audit_id,
                    "writing the progress of bulk action {audit_id} failed"
                );
            }
        }
    };
    for chunk in ids.chunks(BULK_IN_FLIGHT_MAX) {
        let mut set = tokio::task::JoinSet::new();
        for id in chunk {
            let (rt, id, event) = (s.runtime.clone(), id.clone(), event.clone());
            set.spawn(async move {
                let r = rt.operate(&id, event).await;
                (id, r.map(drop).map_err(|e| e.to_string()))
            });
        }
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok((id, Ok(()))) => {
                    applied += 1;
                    pending_ok.push(id);
                }
                Ok((id, Err(why))) => {
                    failed += 1;
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((id.clone(), why.clone()));
                    pending_failed.push((id, why));
                }
                Err(e) => {
                    failed += 1;
                    pending_failed.push(("?".into(), format!("the action's task failed: {e}")));
                }
            }
        }
        let _ = progress.send((applied, failed, false));
        if pending_ok.len() + pending_failed.len() >= BULK_PROGRESS_EVERY {
            write(
                std::mem::take(&mut pending_ok),
                std::mem::take(&mut pending_failed),
                None,
            )
            .await;
        }
    }
    write(pending_ok, pending_failed, Some(now_ms())).await;
    let _ = progress.send((applied, failed, true));
}

// ----- the audit log -----

fn audit_json(e: &AuditEntry, with_runs: bool) -> Value {
    let mut v = json!({
        "id": e.id,
        "at": format_time(e.at),
        "actor": e.actor,
        "action": e.action,
        "detail": e.detail,
        "matched": e.matched,
        "applied": e.applied,
        "failed": e.failed,
        "done": e.done_at.is_some(),
        "doneAt": e.done_at.map(format_time),
    });
    if with_runs {
        v["runs"] = json!(e.runs);
        v["failures"] = Value::Array(
            e.failures
                .iter()
                .map(|(run, error)| json!({"run": run, "error": error}))
                .collect(),
        );
    }
    v
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditParams {
    run: Option<String>,
    before: Option<String>,
    limit: Option<String>,
}

/// `GET /v1/audit[?run=&before=&limit=]`: operators' actions, newest first.
pub(crate) async fn audit_log(
    State(s): State<AppState>,
    q: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) =
        q.map_err(|e| ApiError::new(Code::InvalidQuery, format!("bad query: {}", e.body_text())))?;
    let number = |name: &str, v: Option<String>, max: i64| -> Result<Option<i64>, ApiError> {
        v.filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        ApiError::new(
                            Code::InvalidQuery,
                            format!("`{name}` must be a whole number from 1 to {max}"),
                        )
                    })
            })
            .transpose()
    };
    let limit = number("limit", q.limit, AUDIT_PAGE_MAX as i64)?.unwrap_or(50) as usize;
    let query = AuditQuery {
        run: q.run.filter(|r| !r.is_empty()),
        before: number("before", q.before, i64::MAX)?,
        limit: limit + 1,
    };
    let store = s.runtime.store().clone();
    let mut actions = blocking(move || store.audit(&query)).await?;
    let more = actions.len() > limit;
    actions.truncate(limit);
    Ok(Json(json!({
        "actions": actions.iter().map(|e| audit_json(e, false)).collect::<Vec<_>>(),
        "nextBefore": if more { actions.last().map(|e| e.id) } else { None },
    })))
}

/// `GET /v1/audit/{id}`: one action, with the runs it applied to (a bulk
/// action's progress while it goes on).
pub(crate) async fn audit_entry(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let n = id
        .parse::<i64>()
        .map_err(|_| ApiError::bad_request(format!("`{id}` is not an action's id")))?;
    let store = s.runtime.store().clone();
    let e = blocking(move || store.audit_entry(n))
        .await?
        .ok_or_else(|| ApiError::new(Code::UnknownAction, format!("no operator action {id}")))?;
    Ok(Json(audit_json(&e, true)))
}

// ----- workers and queues -----

/// Outstanding tasks per activity: the node's queue, or the store's.
async fn depths(s: &AppState) -> Result<BTreeMap<String, (u64, u64)>, ApiError> {
    match &s.queue {
        Tasks::Memory(_) => Ok(s
            .queue
            .depth()
            .into_iter()
            .map(|(a, d)| (a, (d.ready, d.leased)))
            .collect()),
        Tasks::Shared(q) => {
            let store = q.store();
            let now = now_ms();
            let rows = blocking(move || store.queue_depths(now)).await?;
            Ok(rows
                .into_iter()
                .map(|d| (d.activity, (d.ready, d.leased)))
                .collect())
        }
    }
}

/// How `activity`'s tasks are served: `pull` (workers poll the queue),
/// `push` (the server posts them), `http` or `grpc` (the program's
/// binding), `wasm` (an embedded component of the deployment plan).
fn kind(s: &AppState, activity: &str) -> &'static str {
    let placed = s
        .placements
        .plan
        .as_ref()
        .and_then(|p| p.place(activity).map(|(_, place)| place.target.clone()));
    match placed {
        Some(weft_plan::Target::Wasm { .. }) => return "wasm",
        Some(weft_plan::Target::Push { .. }) => return "push",
        Some(weft_plan::Target::Worker { .. }) => return "pull",
        Some(weft_plan::Target::Binding(_)) | None => {}
    }
    if s.workers.is_push(activity) {
        return "push";
    }
    match s.bindings.get(activity) {
        Some(crate::bindings::Binding::Http(_)) => "http",
        Some(crate::bindings::Binding::Grpc(_)) => "grpc",
        None => "pull",
    }
}

/// `GET /v1/queues`: per activity, tasks waiting for a worker (`ready`)
/// and leased, the workers that poll it and when it was last polled, and
/// whether nobody serves it (`stalled`).
pub(crate) async fn queues(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let depths = depths(&s).await?;
    let w = s.workers.clone();
    let now = now_ms();
    let pollers = blocking(move || w.pollers(now)).await?;
    let last = crate::workers::Workers::last_polls(&pollers);
    let mut activities: BTreeSet<String> = depths.keys().cloned().collect();
    activities.extend(last.keys().cloned());
    let queues: Vec<Value> = activities
        .into_iter()
        .map(|a| {
            let (ready, leased) = depths.get(&a).copied().unwrap_or((0, 0));
            let workers: BTreeSet<&str> = pollers
                .iter()
                .filter(|p| p.activity == a)
                .map(|p| p.worker.as_str())
                .collect();
            let kind = kind(&s, &a);
            let stall = (kind == "pull")
                .then(|| s.workers.stall(&a, &last, now))
                .flatten();
            let mut q = json!({
                "activity": a,
                "kind": kind,
                "ready": ready,
                "leased": leased,
                "pollers": workers.len(),
                "lastPoll": last.get(&a).map(|t| format_time(*t)),
                "stalled": stall.is_some(),
            });
            if let Some(st) = stall {
                q["message"] = json!(st.message);
            }
            q
        })
        .collect();
    Ok(Json(json!({
        "queues": queues,
        "pollerStale": format_duration(s.workers.stale().as_millis() as i64),
    })))
}

/// `GET /v1/workers`: each worker with the activities it polls and when it
/// last did; each push or `@http` endpoint with how it has been answering.
pub(crate) async fn workers(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let w = s.workers.clone();
    let now = now_ms();
    let pollers = blocking(move || w.pollers(now)).await?;
    let stale = s.workers.stale().as_millis() as i64;
    let mut by: BTreeMap<(String, String), Vec<(String, i64)>> = BTreeMap::new();
    for p in &pollers {
        by.entry((p.worker.clone(), p.node.clone()))
            .or_default()
            .push((p.activity.clone(), p.last_poll));
    }
    let workers: Vec<Value> = by
        .into_iter()
        .map(|((worker, node), acts)| {
            let last = acts.iter().map(|(_, t)| *t).max().unwrap_or(0);
            let mut v = json!({
                "worker": worker,
                "lastPoll": format_time(last),
                "active": now - last < stale,
                "activities": acts.iter().map(|(a, t)| json!({"activity": a, "lastPoll": format_time(*t)})).collect::<Vec<_>>(),
            });
            if !node.is_empty() {
                v["node"] = json!(node);
            }
            v
        })
        .collect();
    let endpoints: Vec<Value> = s
        .workers
        .endpoints()
        .into_iter()
        .map(|(activity, h)| {
            json!({
                "activity": activity,
                "kind": kind(&s, &activity),
                "target": h.target,
                "ok": h.ok,
                "failed": h.failed,
                "lastOk": h.last_ok.map(format_time),
                "lastFailure": h.last_failure.as_ref().map(|(t, e)| json!({"at": format_time(*t), "error": e})),
                "healthy": match (h.last_ok, &h.last_failure) {
                    (_, None) => true,
                    (Some(ok), Some((bad, _))) => ok > *bad,
                    (None, Some(_)) => false,
                },
            })
        })
        .collect();
    Ok(Json(json!({
        "workers": workers,
        "endpoints": endpoints,
        "pollerStale": format_duration(stale),
    })))
}

// ----- time travel -----

fn entry_json(e: &weft_engine::state::Entry, step: i64) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("step".into(), json!(step));
        o.insert("at".into(), json!(format_time(e.at)));
        o.insert("atMs".into(), json!(e.at));
    }
    v
}

/// The run's state after a step, for people (the API's answer, and
/// `weft runs show --step --json`).
pub fn step_json(at: &weft_runtime::travel::StepState, step: i64) -> Value {
    use weft_engine::machine;
    let steps = at.journal.last().map_or(0, |s| s.step);
    let this = at.journal.iter().find(|s| s.step == step);
    let fibers: Vec<Value> = machine::variables(&at.program, &at.state)
        .into_iter()
        .map(|f| {
            json!({
                "fiber": f.fiber,
                "wait": f.wait,
                "frames": f.frames.iter().map(|fr| json!({
                    "function": fr.function,
                    "location": fr.location,
                    "variables": fr.variables.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut v = json!({
        "runId": at.record.id,
        "step": step,
        "steps": steps,
        "at": this.and_then(|s| s.entries.first()).map(|e| format_time(e.at)),
        "status": at.state.status.as_str(),
        "positions": machine::positions(&at.program, &at.state),
        "fibers": fibers,
        "waitingFor": at.state.waiting(),
        "entries": this.map(|s| s.entries.iter().map(|e| entry_json(e, s.step)).collect::<Vec<_>>()).unwrap_or_default(),
    });
    if let Some(r) = at.state.result.as_ref().and_then(|r| r.to_json().ok()) {
        v["result"] = r;
    }
    if let Some(f) = at.state.failures.values().next() {
        v["error"] = json!({"message": f.message, "location": f.location});
    }
    v
}

fn step_number(n: &str) -> Result<i64, ApiError> {
    n.parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::bad_request(format!("`{n}` is not a step number (1, 2, ...)")))
}

/// The state of a run after a step (replayed; see `weft_runtime::travel`).
async fn state_at(
    s: &AppState,
    id: &str,
    step: i64,
) -> Result<weft_runtime::travel::StepState, ApiError> {
    let store = s.runtime.store().clone();
    let id = id.to_string();
    tokio::task::spawn_blocking(move || {
        let programs = |v: i64| weft_runtime::travel::compile_version(store.as_ref(), v);
        weft_runtime::travel::state_at(store.as_ref(), &programs, &id, step)
    })
    .await
    .map_err(|e| ApiError::new(Code::Internal, format!("replaying failed: {e}")))?
    .map_err(ApiError::from)
}

/// `GET /v1/runs/{id}/steps/{n}`: the run after journal step `n`: its
/// status, where each branch stands, each frame's variables, what it
/// waits for, and the step's entries.
pub(crate) async fn get_step(
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let step = step_number(&n)?;
    let at = state_at(&s, &id, step).await?;
    Ok(Json(step_json(&at, step)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForkBody {
    step: i64,
    version: Option<i64>,
}

/// `POST /v1/runs/{id}/fork` `{"step": N, "version": V}`: a new run from
/// the state after step `N` (see `weft_runtime::Host::fork`), moved onto
/// version `V` when it is newer and the live upgrade's checker allows it
/// (`upgrade_refused` with its reasons otherwise); `201` with the new run.
pub(crate) async fn fork(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ForkBody>,
) -> Result<Response, ApiError> {
    let actor = audit::actor(&headers)?;
    if body.step < 1 {
        return Err(ApiError::new(
            Code::InvalidBody,
            "`step` is a journal step: 1, 2, ...",
        ));
    }
    let rec = s.runtime.fork(&id, body.step, body.version, &actor).await?;
    let mut detail = json!({"step": body.step, "fork": rec.id});
    if let Some(v) = body.version {
        detail["version"] = json!(v);
    }
    let store = s.runtime.store().clone();
    let entry = NewAudit {
        at: now_ms(),
        actor,
        action: "fork".into(),
        detail,
        matched: 1,
    };
    let runs = vec![id.clone(), rec.id.clone()];
    let recorded = blocking(move || {
        let a = store.audit_begin(&entry)?;
        store.audit_progress(a, &runs, &[], Some(entry.at))
    })
    .await;
    if let Err(e) = recorded {
        tracing::warn!(run = %id, error = %e.message, "recording a fork in the audit log failed: {}", e.message);
    }
    Ok((StatusCode::CREATED, Json(run_json(&rec))).into_response())
}

/// `GET /v1/runs/{id}/export`: the whole journal as a JSON file: the run,
/// then every step with what caused it and its entries, each with its
/// time as RFC 3339 text and in epoch milliseconds.
pub(crate) async fn export(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let store = s.runtime.store().clone();
    let key = id.clone();
    let (rec, journal) = blocking(move || Ok((store.run(&key)?, store.journal(&key)?))).await?;
    let rec =
        rec.ok_or_else(|| ApiError::new(Code::UnknownRun, format!("no run with id `{id}`")))?;
    let steps: Vec<Value> = journal
        .iter()
        .map(|st| {
            json!({
                "step": st.step,
                "at": st.entries.first().map(|e| format_time(e.at)),
                "cause": st.cause,
                "entries": st.entries.iter().map(|e| entry_json(e, st.step)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let body = json!({
        "run": run_json(&rec),
        "exportedAt": format_time(now_ms()),
        "steps": steps,
    });
    let file = format!("attachment; filename=\"run-{}.json\"", rec.id);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, file),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

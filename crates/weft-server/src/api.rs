//! The HTTP API's handlers (JSON) and its list of routes. Paths and fields
//! are pinned: clients and the acceptance suites rely on them;
//! `docs/openapi.json` describes them. `router.rs` says which handler
//! answers which route.

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use weft_engine::state::Event;
use weft_engine::time::format_time;
use weft_store::{RunRecord, SourceText};

use crate::error::{ApiError, Code, Json, Path};
use crate::queue::TaskError;
use crate::state::{blocking, stopping, AppState};
use crate::tasks::Poll;

/// Longest `wait` of a synchronous start.
pub const WAIT_MAX: Duration = Duration::from_secs(300);

/// Longest idempotency key.
pub const IDEMPOTENCY_KEY_CHARS_MAX: usize = 256;

/// Most activities one poll may name.
pub const POLL_ACTIVITIES_MAX: usize = 100;

/// Files one deploy may hold.
pub const DEPLOY_FILES_MAX: usize = 100;

/// Longest `by` of a live upgrade (who asked for it, for the run's journal).
pub const UPGRADE_BY_CHARS_MAX: usize = 200;

/// Every route: (method, path). `router.rs` serves them (a test there
/// checks that each is served), and a test checks that the OpenAPI
/// document lists exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/v1/openapi.json"),
    ("POST", "/v1/flows"),
    ("GET", "/v1/flows"),
    ("GET", "/v1/flows/{name}"),
    ("GET", "/v1/flows/{name}/graph"),
    ("GET", "/v1/versions/{version}"),
    ("GET", "/v1/versions/{version}/activities"),
    ("GET", "/v1/activities"),
    ("POST", "/v1/runs"),
    ("GET", "/v1/runs"),
    ("GET", "/v1/runs/counts"),
    ("POST", "/v1/runs/bulk"),
    ("GET", "/v1/runs/{id}"),
    ("GET", "/v1/runs/{id}/journal"),
    ("GET", "/v1/runs/{id}/export"),
    ("GET", "/v1/runs/{id}/steps/{step}"),
    ("POST", "/v1/runs/{id}/retry"),
    ("POST", "/v1/runs/{id}/resolve"),
    ("POST", "/v1/runs/{id}/cancel"),
    ("POST", "/v1/runs/{id}/fork"),
    ("GET", "/v1/audit"),
    ("GET", "/v1/audit/{id}"),
    ("GET", "/v1/workers"),
    ("GET", "/v1/queues"),
    ("GET", "/v1/sources"),
    ("POST", "/v1/runs/{id}/upgrade"),
    ("POST", "/v1/runs/upgrade"),
    ("POST", "/v1/callbacks/{token}"),
    ("POST", "/v1/tasks/poll"),
    ("POST", "/v1/tasks/results"),
    ("POST", "/v1/tasks/stream"),
    ("POST", "/v1/tasks/{taskId}/complete"),
    ("POST", "/v1/tasks/{taskId}/fail"),
    ("POST", "/v1/tasks/{taskId}/heartbeat"),
    ("GET", "/v1/machines"),
    ("GET", "/v1/machines/{machine}"),
    ("GET", "/v1/machines/{machine}/{key}"),
    ("POST", "/v1/machines/{machine}/{key}/{command}"),
    ("GET", "/v1/machines/{machine}/{key}/history"),
    ("GET", "/v1/machines/{machine}/{key}/commands/{commandId}"),
    ("POST", "/v1/events"),
    ("GET", "/v1/events"),
    ("GET", "/v1/events/{id}"),
    ("POST", "/v1/events/redrive"),
    ("GET", "/v1/triggers"),
    ("POST", "/v1/triggers/{name}/redrive"),
    ("GET", "/v1/schedules"),
    ("POST", "/v1/schedules/{name}/pause"),
    ("POST", "/v1/schedules/{name}/resume"),
    ("POST", "/v1/schedules/{name}/trigger"),
];

pub(crate) async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        crate::openapi::document().to_string(),
    )
        .into_response()
}

// ----- flows -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeployBody {
    /// One file's text.
    source: Option<String>,
    /// Its name (default `flows.weft`).
    name: Option<String>,
    /// Several files, as one program.
    files: Option<Vec<FileBody>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileBody {
    name: String,
    text: String,
}

pub(crate) async fn deploy(
    State(s): State<AppState>,
    Json(body): Json<DeployBody>,
) -> Result<Response, ApiError> {
    let files: Vec<SourceText> = match (body.source, body.files) {
        (Some(text), None) => vec![SourceText {
            name: body.name.unwrap_or_else(|| "flows.weft".into()),
            text,
        }],
        (None, Some(files)) if !files.is_empty() => files
            .into_iter()
            .map(|f| SourceText {
                name: f.name,
                text: f.text,
            })
            .collect(),
        (None, Some(_)) => {
            return Err(ApiError::bad_request(
                "`files` is empty: give at least one file",
            ))
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give either `source` or `files`, not both",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "give the flows to deploy as `source` (text) or `files` ([{name, text}])",
            ))
        }
    };
    if files.len() > DEPLOY_FILES_MAX {
        return Err(ApiError::bad_request(format!(
            "at most {DEPLOY_FILES_MAX} files per deploy"
        )));
    }
    let mut names = std::collections::HashSet::new();
    for f in &files {
        if f.name.is_empty() || !names.insert(f.name.clone()) {
            return Err(ApiError::bad_request(format!(
                "file names must be given and distinct ({:?})",
                f.name
            )));
        }
        file_name_ok(&f.name)?;
        if f.text.trim().is_empty() {
            return Err(ApiError::bad_request(format!(
                "{:?} is empty: there is nothing to deploy in it",
                f.name
            )));
        }
    }
    let (errors, warnings) = check(&files);
    // A program of machines alone is a program: its commands run.
    if errors.is_empty()
        && files.iter().all(|f| {
            let module = weft_syntax::parse(&f.text).module;
            module.flows().next().is_none() && module.machines().next().is_none()
        })
    {
        return Err(ApiError::bad_request(
            "the files define no flow and no machine: a version needs at least one",
        ));
    }
    if !errors.is_empty() {
        let n = errors.len();
        let mut all = errors;
        all.extend(warnings);
        return Err(ApiError::new(
            Code::CheckFailed,
            format!("the flows have {n} error(s); nothing was deployed"),
        )
        .with_details(json!({"diagnostics": all})));
    }
    let mut warnings = warnings;
    if let Some(plan) = &s.placements.plan {
        let (plan_errors, plan_warnings) = plan.check_deploy(&files);
        if !plan_errors.is_empty() {
            let n = plan_errors.len();
            return Err(ApiError::new(
                Code::PlanRefused,
                format!(
                    "the deployment plan {} refuses the program ({n} error(s)): every activity it calls needs a placement; nothing was deployed",
                    plan.name
                ),
            )
            .with_details(json!({"diagnostics": plan_errors})));
        }
        warnings.extend(plan_warnings);
    }
    let d = s.runtime.deploy(files.clone()).await?;
    s.bindings.learn(d.version, &files);
    // Machines are listed among a deployment's flows (`machine:Name`, so
    // that the newest version defining one is found like a flow's); the
    // API lists them apart.
    let (machines, flows): (Vec<String>, Vec<String>) = d
        .flows
        .iter()
        .cloned()
        .partition(|f| f.starts_with(weft_runtime::host::DEPLOYED_PREFIX));
    let machines: Vec<&str> = machines
        .iter()
        .filter_map(|m| m.strip_prefix(weft_runtime::host::DEPLOYED_PREFIX))
        .collect();
    let mut answer = json!({"version": d.version, "flows": flows, "warnings": warnings});
    if !machines.is_empty() {
        answer["machines"] = json!(machines);
    }
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// Refuses file names that are not plain relative paths: a name is shown
/// in diagnostics and the UI, and tools may write files by it.
fn file_name_ok(name: &str) -> Result<(), ApiError> {
    use crate::limits::FILE_NAME_BYTES_MAX;
    let why = if name.len() > FILE_NAME_BYTES_MAX {
        Some(format!(
            "is longer than {FILE_NAME_BYTES_MAX} bytes (FILE_NAME_BYTES_MAX)"
        ))
    } else if name.chars().any(char::is_control) {
        Some("holds a control character".to_string())
    } else if name.starts_with('/') {
        Some("starts with `/`: give a relative name".to_string())
    } else if name.contains('\\') {
        Some("holds `\\`: separate folders with `/`".to_string())
    } else if name
        .split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        Some("has an empty, `.` or `..` part".to_string())
    } else {
        None
    };
    match why {
        Some(why) => Err(ApiError::bad_request(format!(
            "the file name {:?} {why}",
            name.chars().take(80).collect::<String>()
        ))),
        None => Ok(()),
    }
}

/// Parses and checks files as one program: (errors, warnings) as JSON.
/// The `.proto` files among them are not Weft: the program's `@grpc`
/// bindings are checked against them.
pub fn check(files: &[SourceText]) -> (Vec<Value>, Vec<Value>) {
    let parses: Vec<_> = files
        .iter()
        .map(|f| weft_syntax::lang::is_weft_file(&f.name).then(|| weft_syntax::parse(&f.text)))
        .collect();
    let clean: Vec<usize> = (0..files.len())
        .filter(|&i| parses[i].as_ref().is_some_and(|p| !p.has_errors()))
        .collect();
    let sources: Vec<weft_check::SourceFile> = clean
        .iter()
        .filter_map(|&i| {
            Some(weft_check::SourceFile {
                name: &files[i].name,
                module: &parses[i].as_ref()?.module,
            })
        })
        .collect();
    let mut checked = weft_check::check_program(&sources);
    let protos: weft_grpc::Sources = files
        .iter()
        .filter(|f| !weft_syntax::lang::is_weft_file(&f.name))
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
    let grpc = weft_grpc::program::check(&sources, &protos);
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for (i, (f, p)) in files.iter().zip(&parses).enumerate() {
        let mut diags = p
            .as_ref()
            .map(|p| p.diagnostics.clone())
            .unwrap_or_default();
        if let Some(pos) = clean.iter().position(|&c| c == i) {
            diags.append(&mut checked[pos]);
        }
        diags.extend(
            grpc.iter()
                .filter(|g| g.file == f.name)
                .map(|g| g.diagnostic.clone()),
        );
        for (d, j) in diags
            .iter()
            .zip(weft_check::json::diagnostics(&f.name, &f.text, &diags))
        {
            if d.is_error() {
                errors.push(j);
            } else {
                warnings.push(j);
            }
        }
    }
    (errors, warnings)
}

pub(crate) async fn list_flows(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let (flows, inline) = blocking(move || {
        let flows = store.flows()?;
        // Each flow's inline sub-flows, in its newest version: their runs
        // are the flow's too (the UI counts them under it).
        let mut by_version: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        for f in &flows {
            if let Some(v) = f.versions.last() {
                by_version.entry(*v).or_default().push(f.name.clone());
            }
        }
        let mut inline: std::collections::HashMap<String, Vec<String>> = Default::default();
        for (v, names) in by_version {
            let Some(d) = store.deployment(v)? else {
                continue;
            };
            let all: std::collections::HashSet<String> = d.flows.iter().cloned().collect();
            for f in &d.files {
                for name in &names {
                    if let Some(g) = crate::graph::build(&f.text, name, &all) {
                        inline.insert(name.clone(), crate::graph::subflows(&g));
                    }
                }
            }
        }
        Ok((flows, inline))
    })
    .await?;
    let flows: Vec<Value> = flows
        .into_iter()
        .filter(|f| !f.name.starts_with(weft_runtime::host::DEPLOYED_PREFIX))
        .map(|f| {
            let mut v = json!({
                "name": f.name,
                "latestVersion": f.versions.last(),
                "versions": f.versions,
            });
            if let Some(sub) = inline.get(&f.name).filter(|s| !s.is_empty()) {
                v["subflows"] = json!(sub);
            }
            v
        })
        .collect();
    Ok(Json(json!({ "flows": flows })))
}

pub(crate) async fn get_flow(
    State(s): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let n = name.clone();
    let (info, deployments) = blocking(move || {
        let info = store.flows()?.into_iter().find(|f| f.name == n);
        let mut ds = Vec::new();
        if let Some(i) = &info {
            for v in &i.versions {
                if let Some(d) = store.deployment(*v)? {
                    ds.push(d);
                }
            }
        }
        Ok((info, ds))
    })
    .await?;
    let Some(info) = info.filter(|_| !name.starts_with(weft_runtime::host::DEPLOYED_PREFIX)) else {
        return Err(ApiError::new(
            Code::UnknownFlow,
            format!("no flow named `{name}` is deployed"),
        ));
    };
    let latest = deployments.last();
    let source = latest.and_then(|d| {
        d.files
            .iter()
            .find(|f| weft_syntax::parse(&f.text).module.flow(&name).is_some())
            .map(|f| f.text.clone())
    });
    let versions: Vec<Value> = deployments
        .iter()
        .map(|d| {
            json!({"version": d.version, "createdAt": format_time(d.created_at), "flows": d.flows,
                   "files": d.files.iter().map(|f| json!({"name": f.name, "text": f.text})).collect::<Vec<_>>()})
        })
        .collect();
    Ok(Json(json!({
        "name": name,
        "latestVersion": info.versions.last(),
        "source": source,
        "versions": versions,
    })))
}

// ----- runs -----

/// A run as the API shows it.
pub fn run_json(r: &RunRecord) -> Value {
    let mut v = json!({
        "id": r.id,
        "flow": r.flow,
        "version": r.version,
        "status": r.status.as_str(),
        "input": r.input,
        "createdAt": format_time(r.created_at),
        "updatedAt": format_time(r.updated_at),
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(res) = &r.result {
        o.insert("result".into(), res.clone());
    }
    if let Some(e) = &r.error {
        o.insert("error".into(), e.clone());
    }
    if r.waiting.as_array().is_some_and(|w| !w.is_empty()) {
        o.insert("waitingFor".into(), waiting_json(&r.waiting));
    }
    if let Some(p) = &r.parent {
        o.insert("parent".into(), json!(p));
    }
    if let Some(p) = &r.position {
        o.insert("position".into(), json!(p));
    }
    if let Some(k) = &r.idempotency_key {
        o.insert("idempotencyKey".into(), json!(k));
    }
    if let Some(f) = &r.forked_from {
        o.insert("forkedFrom".into(), json!(f));
    }
    v
}

/// Waits with their times as RFC 3339 text.
fn waiting_json(w: &Value) -> Value {
    let mut w = w.clone();
    if let Some(items) = w.as_array_mut() {
        for item in items {
            if let Some(until) = item.get("until").and_then(Value::as_i64) {
                item["until"] = json!(format_time(until));
            }
        }
    }
    w
}

/// A duration given as text (`"10s"`) or milliseconds.
pub(crate) fn wait_duration(v: &Value) -> Result<Duration, ApiError> {
    let ms = match v {
        Value::String(s) => weft_engine::time::parse_duration(s),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
    .filter(|ms| *ms >= 0)
    .ok_or_else(|| {
        ApiError::bad_request(format!(
            "`wait` must be a duration such as \"10s\", not {v}"
        ))
    })?;
    Ok(Duration::from_millis(ms as u64).min(WAIT_MAX))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct StartBody {
    flow: String,
    #[serde(default)]
    input: Value,
    idempotency_key: Option<String>,
    wait: Option<Value>,
}

pub(crate) async fn start_run(
    State(s): State<AppState>,
    Json(body): Json<StartBody>,
) -> Result<Response, ApiError> {
    if body.flow.is_empty() {
        return Err(ApiError::bad_request("`flow` is empty"));
    }
    if let Some(k) = &body.idempotency_key {
        if k.is_empty() || k.chars().count() > IDEMPOTENCY_KEY_CHARS_MAX {
            return Err(ApiError::bad_request(format!(
                "`idempotencyKey` must have 1 to {IDEMPOTENCY_KEY_CHARS_MAX} characters"
            )));
        }
    }
    let wait = body.wait.as_ref().map(wait_duration).transpose()?;
    let deadline = wait.map(|w| tokio::time::Instant::now() + w);
    let (started, mut rec) = s
        .runtime
        .start_run(&body.flow, body.input, body.idempotency_key)
        .await?;
    if let Some(deadline) = deadline {
        // The start is durable; wait for the end (a run that finished
        // already answers at once), unless the server stops first.
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let waited = tokio::select! {
            r = s.runtime.wait(&started.run_id, left) => r?,
            () = stopping(s.stopping.clone()) => Some(load_run(&s, &started.run_id).await?),
        };
        if let Some(r) = waited {
            rec = r;
        }
    }
    let status = if started.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(run_json(&rec))).into_response())
}

/// 400 `invalid_query`: the query string is wrong.
fn invalid_query(message: impl Into<String>) -> ApiError {
    ApiError::new(Code::InvalidQuery, message)
}

/// A query parameter that is given must have a value: `?status=` is a
/// mistake, not "any status".
fn given(name: &str, v: Option<String>) -> Result<Option<String>, ApiError> {
    match v {
        Some(v) if v.is_empty() => Err(invalid_query(format!(
            "`{name}` is empty: leave it out, or give a value"
        ))),
        v => Ok(v),
    }
}

/// A whole number in `1..=max`, or `default` when not given.
fn query_limit(v: Option<String>, default: usize, max: usize) -> Result<usize, ApiError> {
    match given("limit", v)? {
        None => Ok(default),
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                invalid_query(format!("`limit` must be a whole number from 1 to {max}"))
            }),
    }
}

async fn load_run(s: &AppState, id: &str) -> Result<RunRecord, ApiError> {
    let store = s.runtime.store().clone();
    let key = id.to_string();
    blocking(move || store.run(&key))
        .await?
        .ok_or_else(|| ApiError::new(Code::UnknownRun, format!("no run with id `{id}`")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JournalQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// A journal cursor: `<step>.<entry>`, the next entry to read.
fn journal_cursor(c: &str) -> Option<(i64, usize)> {
    let (step, entry) = c.split_once('.')?;
    let digits = |t: &str| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(step) || !digits(entry) {
        return None;
    }
    Some((step.parse().ok()?, entry.parse().ok()?))
}

/// A run's journal, a page at a time: at most `limit` entries (default and
/// most [`crate::limits::JOURNAL_PAGE_ENTRIES_MAX`]) from `cursor` (a
/// page's `nextCursor`). A caller that does not page gets the first page,
/// in the shape of old (`runId`, `entries`), with `nextCursor` when there
/// is more.
pub(crate) async fn get_journal(
    State(s): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<JournalQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    use crate::limits::JOURNAL_PAGE_ENTRIES_MAX;
    let Query(q) = q.map_err(|e| invalid_query(format!("bad query: {}", e.body_text())))?;
    let limit = query_limit(q.limit, JOURNAL_PAGE_ENTRIES_MAX, JOURNAL_PAGE_ENTRIES_MAX)?;
    let from = match given("cursor", q.cursor)? {
        None => None,
        Some(c) => Some(journal_cursor(&c).ok_or_else(|| {
            invalid_query(format!(
                "`cursor` {:?} is not a journal cursor: pass a page's `nextCursor` as it is",
                c.chars().take(40).collect::<String>()
            ))
        })?),
    };
    load_run(&s, &id).await?;
    let store = s.runtime.store().clone();
    let key = id.clone();
    let (from_step, skip) = from.unwrap_or((0, 0));
    // Every step holds an entry at least: `limit + 1` steps hold a page
    // and tell whether there is more.
    let steps = blocking(move || store.journal_page(&key, from_step, limit + 1)).await?;
    let fetched = steps.len();
    let last_step = steps.last().map(|st| st.step);
    let dropped = match (&from, steps.first()) {
        (None, Some(first)) if first.step > 1 => Some(first.step - 1),
        _ => None,
    };
    let mut entries = Vec::new();
    let mut next: Option<String> = None;
    'steps: for st in steps {
        let start = if st.step == from_step { skip } else { 0 };
        for (i, e) in st.entries.into_iter().enumerate().skip(start) {
            if entries.len() == limit {
                next = Some(format!("{}.{i}", st.step));
                break 'steps;
            }
            let mut v = serde_json::to_value(&e).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("step".into(), json!(st.step));
                o.insert("at".into(), json!(format_time(e.at)));
            }
            entries.push(v);
        }
    }
    if next.is_none() && fetched == limit + 1 {
        next = last_step.map(|s| format!("{}.0", s + 1));
    }
    let mut out = json!({"runId": id, "entries": entries, "nextCursor": next});
    if let Some(n) = dropped {
        out["droppedSteps"] = json!(n);
    }
    Ok(Json(out))
}

/// An operator's action on one run, recorded in the audit log once done.
async fn operate(
    s: &AppState,
    headers: &HeaderMap,
    id: &str,
    event: Event,
) -> Result<Json<Value>, ApiError> {
    let actor = crate::audit::actor(headers)?;
    let (action, detail) = match &event {
        Event::Retry => ("retry", json!({})),
        Event::Resolve { value } => ("resolve", json!({"value": value})),
        Event::Cancel { reason } => ("cancel", json!({"reason": reason})),
        _ => ("event", json!({})),
    };
    let rec = s.runtime.operate(id, event).await?;
    crate::audit::record_one(s, actor, action, detail, id.to_string()).await;
    Ok(Json(run_json(&rec)))
}

pub(crate) async fn retry_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    operate(&s, &headers, &id, Event::Retry).await
}

/// `{"version": V, "dryRun": bool, "by": "who"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UpgradeBody {
    version: i64,
    #[serde(default)]
    dry_run: bool,
    by: Option<String>,
}

/// `{"flow": F, "version": V, "dryRun": bool, "by": "who"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct FlowUpgradeBody {
    flow: String,
    version: i64,
    #[serde(default)]
    dry_run: bool,
    by: Option<String>,
}

/// Who asked for an upgrade, as the journal records it (`api` unless the
/// caller says).
fn upgrade_by(by: Option<String>) -> Result<String, ApiError> {
    let by = by.unwrap_or_else(|| "api".into());
    if by.trim().is_empty() || by.chars().count() > UPGRADE_BY_CHARS_MAX {
        return Err(ApiError::new(
            Code::InvalidBody,
            format!("`by` names who asks, in 1 to {UPGRADE_BY_CHARS_MAX} characters (UPGRADE_BY_CHARS_MAX)"),
        ));
    }
    Ok(by)
}

fn verdict_json(v: &weft_runtime::UpgradeVerdict, dry_run: bool) -> Value {
    let mut j = serde_json::to_value(v).unwrap_or(Value::Null);
    if let Some(o) = j.as_object_mut() {
        o.insert("dryRun".into(), json!(dry_run));
    }
    j
}

/// A live upgrade of one run (docs/language.md, "Live upgrade"): the
/// verdict, and with `dryRun` only the verdict. A refused upgrade (not a
/// dry run) is `upgrade_refused`, with the reasons.
pub(crate) async fn upgrade_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<UpgradeBody>,
) -> Result<Json<Value>, ApiError> {
    let by = upgrade_by(body.by)?;
    let report = s
        .runtime
        .upgrade(
            weft_runtime::UpgradeTarget::Run(id.clone()),
            body.version,
            &by,
            body.dry_run,
        )
        .await?;
    let Some(v) = report.runs.into_iter().next() else {
        return Err(ApiError::new(
            Code::Internal,
            format!("the upgrade of run {id} gave no verdict"),
        ));
    };
    if !v.accepted && !body.dry_run {
        return Err(ApiError::new(
            Code::UpgradeRefused,
            format!(
                "run {id} cannot move from version {} to {}: {}",
                v.from,
                v.to,
                v.reasons.join("; ")
            ),
        )
        .with_details(json!({"reasons": v.reasons, "verdict": verdict_json(&v, false)})));
    }
    Ok(Json(verdict_json(&v, body.dry_run)))
}

/// A live upgrade of every unfinished run of a flow on an older version:
/// one verdict per run (moved, or refused with the reasons).
pub(crate) async fn upgrade_flow(
    State(s): State<AppState>,
    Json(body): Json<FlowUpgradeBody>,
) -> Result<Json<Value>, ApiError> {
    let by = upgrade_by(body.by)?;
    let report = s
        .runtime
        .upgrade(
            weft_runtime::UpgradeTarget::Flow(body.flow.clone()),
            body.version,
            &by,
            body.dry_run,
        )
        .await?;
    let runs: Vec<Value> = report
        .runs
        .iter()
        .map(|v| verdict_json(v, body.dry_run))
        .collect();
    let moved = report.runs.iter().filter(|v| v.upgraded).count();
    let refused = report.runs.iter().filter(|v| !v.accepted).count();
    Ok(Json(json!({
        "flow": body.flow,
        "version": body.version,
        "dryRun": body.dry_run,
        "runs": runs,
        "upgraded": moved,
        "refused": refused,
        "more": report.more,
    })))
}

/// Reads `{value}`, requiring the field (a missing value is a mistake, an
/// explicit `null` is a value).
fn required_value(raw: &Value) -> Result<Value, ApiError> {
    match raw.as_object() {
        Some(o) if o.contains_key("value") => {
            if o.len() > 1 {
                let extra: Vec<&String> = o.keys().filter(|k| *k != "value").collect();
                return Err(ApiError::new(
                    Code::InvalidBody,
                    format!("unknown field(s) {extra:?}: the body is `{{\"value\": ...}}`"),
                ));
            }
            Ok(o["value"].clone())
        }
        _ => Err(ApiError::new(
            Code::InvalidBody,
            "the body is `{\"value\": ...}`",
        )),
    }
}

pub(crate) async fn resolve_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(raw): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let value = required_value(&raw)?;
    operate(&s, &headers, &id, Event::Resolve { value }).await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct CancelBody {
    reason: Option<String>,
}

/// The body is optional: `{"reason": "..."}`.
pub(crate) async fn cancel_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map_err(crate::error::bytes_rejection)?;
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        // A body, if any, is JSON like every other body.
        if !crate::error::json_content_type(&headers) {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                "send the body as JSON with `Content-Type: application/json` (or send none)",
            ));
        }
        crate::strict_json::check(&body).map_err(|e| {
            ApiError::new(
                Code::InvalidJson,
                format!("the body is not valid JSON: {e}"),
            )
        })?;
        let b: CancelBody = serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                Code::InvalidBody,
                format!("the body is not `{{\"reason\": \"...\"}}`: {e}"),
            )
        })?;
        b.reason
    };
    let reason = reason.unwrap_or_else(|| "cancelled by an operator".into());
    operate(&s, &headers, &id, Event::Cancel { reason }).await
}

pub(crate) async fn callback(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Json(raw): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let value = required_value(&raw)?;
    s.runtime.callback(&token, value).await?;
    Ok(Json(json!({"status": "accepted"})))
}

// ----- tasks -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PollBody {
    activities: Vec<String>,
    #[serde(default, deserialize_with = "some_string")]
    worker: Option<String>,
    max: Option<u64>,
    wait_ms: Option<u64>,
}

/// A field that, when given, must be a string (`null` is not one).
fn some_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// Checks the activities and worker name of a poll or a stream; returns
/// the worker's name (`anonymous` when none is given).
pub(crate) fn check_poller(
    activities: &[String],
    worker: Option<String>,
) -> Result<String, ApiError> {
    use crate::limits::{ACTIVITY_NAME_BYTES_MAX, WORKER_NAME_BYTES_MAX};
    if activities.is_empty() || activities.len() > POLL_ACTIVITIES_MAX {
        return Err(ApiError::bad_request(format!(
            "`activities` must name 1 to {POLL_ACTIVITIES_MAX} activities"
        )));
    }
    if let Some(a) = activities
        .iter()
        .find(|a| a.is_empty() || a.len() > ACTIVITY_NAME_BYTES_MAX)
    {
        return Err(ApiError::bad_request(format!(
            "activity names have 1 to {ACTIVITY_NAME_BYTES_MAX} bytes (ACTIVITY_NAME_BYTES_MAX); {} has {}",
            if a.is_empty() { "one".to_string() } else { format!("{:?}...", a.chars().take(20).collect::<String>()) },
            a.len()
        )));
    }
    if let Some(w) = &worker {
        if w.is_empty() || w.len() > WORKER_NAME_BYTES_MAX {
            return Err(ApiError::bad_request(format!(
                "`worker` has 1 to {WORKER_NAME_BYTES_MAX} bytes (WORKER_NAME_BYTES_MAX)"
            )));
        }
    }
    Ok(worker.unwrap_or_else(|| "anonymous".into()))
}

/// Notes that `worker` asked for tasks of `activities` (the workers view).
pub(crate) fn note_poller(s: &AppState, worker: &str, activities: &[String]) {
    let now = weft_runtime::runtime::now_ms();
    if let Some(due) = s.workers.polled(worker, activities, now) {
        let (w, who) = (s.workers.clone(), worker.to_string());
        tokio::task::spawn_blocking(move || w.record(&who, &due, now));
    }
}

/// A leased task as a worker receives it.
pub(crate) fn task_json(l: &crate::queue::Leased) -> Value {
    let mut t = json!({
        "taskId": l.task_id,
        "callId": l.task.call_id,
        "runId": l.task.run_id,
        "activity": l.task.activity,
        "args": l.task.args,
        "attempt": l.task.attempt,
        "deadline": format_time(l.lease_until_ms),
    });
    if let Some(tok) = &l.task.callback_token {
        t["callbackToken"] = json!(tok);
    }
    t
}

pub(crate) async fn poll_tasks(
    State(s): State<AppState>,
    Json(body): Json<PollBody>,
) -> Result<Json<Value>, ApiError> {
    use crate::queue::{POLL_TASKS_MAX, POLL_WAIT_MAX};
    let worker = check_poller(&body.activities, body.worker)?;
    let max = body.max.unwrap_or(1);
    if !(1..=POLL_TASKS_MAX as u64).contains(&max) {
        return Err(ApiError::bad_request(format!(
            "`max` must be from 1 to {POLL_TASKS_MAX} (POLL_TASKS_MAX), not {max}"
        )));
    }
    let wait_ms = body.wait_ms.unwrap_or(0);
    if wait_ms > POLL_WAIT_MAX.as_millis() as u64 {
        return Err(ApiError::bad_request(format!(
            "`waitMs` must be at most {} (POLL_WAIT_MAX), not {wait_ms}",
            POLL_WAIT_MAX.as_millis()
        )));
    }
    let wait = Duration::from_millis(wait_ms);
    note_poller(&s, &worker, &body.activities);
    // A poll that ends early leases nothing: `take` runs within one poll
    // of the future, which then returns what it took.
    let poll = Poll {
        activities: &body.activities,
        worker: &worker,
        max: max as usize,
        wait,
    };
    let leased = tokio::select! {
        l = s.queue.poll(&poll) => l,
        () = stopping(s.stopping.clone()) => Vec::new(),
    };
    let tasks: Vec<Value> = leased.iter().map(task_json).collect();
    Ok(Json(json!({ "tasks": tasks })))
}

fn task_error(e: TaskError, id: &str) -> ApiError {
    match e {
        TaskError::Unknown => ApiError::new(
            Code::UnknownTask,
            format!(
                "no open task `{id}`: it was answered, cancelled, or replaced by a newer attempt"
            ),
        ),
        TaskError::Malformed => {
            ApiError::bad_request(format!("`{id}` is not a task id (`<callId>.<attempt>`)"))
        }
        TaskError::Store(e) => ApiError::new(Code::StorageFailed, format!("task `{id}`: {e}")),
    }
}

pub(crate) async fn complete_task(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Json(raw): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let value = required_value(&raw)?;
    let size = serde_json::to_vec(&value).map(|b| b.len()).unwrap_or(0);
    if size > weft_engine::limits::PAYLOAD_BYTES_MAX {
        return Err(ApiError::new(
            Code::PayloadTooLarge,
            format!(
                "the result is {size} bytes; the payload limit is {} bytes",
                weft_engine::limits::PAYLOAD_BYTES_MAX
            ),
        ));
    }
    let done = s.queue.complete(&id, value).await;
    s.streams.reported(&id, &done);
    s.reported
        .result(crate::reported::Via::Request, done.is_err());
    done.map_err(|e| task_error(e, &id))?;
    Ok(Json(json!({"status": "accepted"})))
}

/// One result of `POST /v1/tasks/results`, checked before any is applied.
enum Outcome {
    Value(Value),
    Failure { error: String, retryable: bool },
}

/// Reads `results[i]`: `{"taskId", "value"}` or `{"taskId", "error",
/// "retryable"?}`.
fn read_result(i: usize, item: &Value) -> Result<(String, Outcome), ApiError> {
    let bad = |why: String| ApiError::new(Code::InvalidBody, format!("results[{i}]: {why}"));
    let Some(o) = item.as_object() else {
        return Err(bad(
            "each result is `{\"taskId\", \"value\"}` or `{\"taskId\", \"error\", \"retryable\"}`"
                .into(),
        ));
    };
    if let Some(k) = o
        .keys()
        .find(|k| !["taskId", "value", "error", "retryable"].contains(&k.as_str()))
    {
        return Err(bad(format!("unknown field `{k}`")));
    }
    let id = match o.get("taskId") {
        Some(Value::String(id)) => id.clone(),
        _ => return Err(bad("`taskId` must be a string".into())),
    };
    match (o.get("value"), o.get("error")) {
        (Some(v), None) => {
            if o.contains_key("retryable") {
                return Err(bad("`retryable` goes with `error`, not `value`".into()));
            }
            let size = serde_json::to_vec(v).map(|b| b.len()).unwrap_or(0);
            if size > weft_engine::limits::PAYLOAD_BYTES_MAX {
                return Err(ApiError::new(
                    Code::PayloadTooLarge,
                    format!(
                        "results[{i}]: the result is {size} bytes; the payload limit is {} bytes",
                        weft_engine::limits::PAYLOAD_BYTES_MAX
                    ),
                ));
            }
            Ok((id, Outcome::Value(v.clone())))
        }
        (None, Some(Value::String(e))) => {
            let retryable = match o.get("retryable") {
                None => true,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(bad("`retryable` must be true or false".into())),
            };
            Ok((
                id,
                Outcome::Failure {
                    error: e.clone(),
                    retryable,
                },
            ))
        }
        (None, Some(_)) => Err(bad("`error` must be a string".into())),
        _ => Err(bad("give either `value` or `error`".into())),
    }
}

/// Reports several tasks' results in one request: each is applied as
/// `/v1/tasks/{taskId}/complete` or `/fail` would, and answered in order.
/// The request is refused whole (nothing applied) when one of them is
/// malformed; a task that is no longer open is answered `rejected` in its
/// place while the others are accepted.
pub(crate) async fn report_results(
    State(s): State<AppState>,
    Json(raw): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let read = read_results(&raw)?;
    let answers: Vec<Value> = apply_results(&s, read, crate::reported::Via::Request)
        .await
        .iter()
        .map(|(id, refused)| result_answer(id, refused.as_ref()))
        .collect();
    Ok(Json(json!({ "results": answers })))
}

/// A report's results, checked whole before any is applied: the body of
/// `POST /v1/tasks/results`, or one report line of a task stream.
pub(crate) struct Results(Vec<(String, Outcome)>);

/// Reads `{"results": [...]}`: 1 to [`RESULTS_PER_REQUEST_MAX`] results,
/// each well formed, or the reason why not.
///
/// [`RESULTS_PER_REQUEST_MAX`]: crate::queue::RESULTS_PER_REQUEST_MAX
pub(crate) fn read_results(raw: &Value) -> Result<Results, ApiError> {
    match raw.as_object() {
        Some(o) if o.len() == 1 && o.contains_key("results") => read_result_list(&o["results"]),
        _ => Err(ApiError::new(
            Code::InvalidBody,
            "the body is `{\"results\": [...]}`",
        )),
    }
}

/// A report line of a two-way task stream: results, heartbeats, or both.
pub(crate) struct Report {
    /// Results, as `POST /v1/tasks/results` takes them.
    pub results: Option<Results>,
    /// Tasks whose leases to extend, as `POST /v1/tasks/{id}/heartbeat`.
    pub heartbeats: Vec<String>,
}

/// Reads a report line: `{"results": [...]}`, `{"heartbeats": [...]}`,
/// or both keys in one object, each part checked whole before anything
/// of the line is applied.
pub(crate) fn read_report(raw: &Value) -> Result<Report, ApiError> {
    use crate::queue::HEARTBEATS_PER_LINE_MAX;
    let shape = || {
        ApiError::new(
            Code::InvalidBody,
            "a report line is `{\"results\": [...]}`, `{\"heartbeats\": [\"taskId\", ...]}` or both",
        )
    };
    let o = raw.as_object().ok_or_else(shape)?;
    if o.is_empty() || o.keys().any(|k| k != "results" && k != "heartbeats") {
        return Err(shape());
    }
    let results = o.get("results").map(read_result_list).transpose()?;
    let heartbeats = match o.get("heartbeats") {
        None => Vec::new(),
        Some(Value::Array(ids)) => {
            if ids.is_empty() || ids.len() > HEARTBEATS_PER_LINE_MAX {
                return Err(ApiError::bad_request(format!(
                    "`heartbeats` holds 1 to {HEARTBEATS_PER_LINE_MAX} task ids (HEARTBEATS_PER_LINE_MAX), not {}",
                    ids.len()
                )));
            }
            ids.iter()
                .enumerate()
                .map(|(i, id)| {
                    id.as_str().map(str::to_string).ok_or_else(|| {
                        ApiError::new(
                            Code::InvalidBody,
                            format!("heartbeats[{i}]: each is a task id, a string"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?
        }
        Some(_) => {
            return Err(ApiError::new(
                Code::InvalidBody,
                "`heartbeats` must be an array of task ids",
            ))
        }
    };
    Ok(Report {
        results,
        heartbeats,
    })
}

/// Reads the list of a report's `results`.
fn read_result_list(list: &Value) -> Result<Results, ApiError> {
    use crate::queue::RESULTS_PER_REQUEST_MAX;
    let Value::Array(items) = list else {
        return Err(ApiError::new(
            Code::InvalidBody,
            "`results` must be an array",
        ));
    };
    if items.is_empty() || items.len() > RESULTS_PER_REQUEST_MAX {
        return Err(ApiError::bad_request(format!(
            "`results` holds 1 to {RESULTS_PER_REQUEST_MAX} results (RESULTS_PER_REQUEST_MAX), not {}",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read_result(i, item))
        .collect::<Result<_, _>>()
        .map(Results)
}

/// Applies checked results in order, each as `/complete` or `/fail`
/// would, giving each one's credit back to the stream that handed it out;
/// each task id with the error that refused its result, if one did, in
/// the same order.
pub(crate) async fn apply_results(
    s: &AppState,
    results: Results,
    via: crate::reported::Via,
) -> Vec<(String, Option<ApiError>)> {
    let mut outcomes = Vec::with_capacity(results.0.len());
    for (id, outcome) in results.0 {
        let done = match outcome {
            Outcome::Value(v) => s.queue.complete(&id, v).await,
            Outcome::Failure { error, retryable } => s.queue.fail(&id, error, retryable).await,
        };
        s.streams.reported(&id, &done);
        s.reported.result(via, done.is_err());
        let refused = done.err().map(|e| task_error(e, &id));
        outcomes.push((id, refused));
    }
    outcomes
}

/// One applied result as `POST /v1/tasks/results` answers it:
/// `{"taskId", "status": "accepted"}`, or `"rejected"` with the error.
pub(crate) fn result_answer(id: &str, refused: Option<&ApiError>) -> Value {
    match refused {
        None => json!({"taskId": id, "status": "accepted"}),
        Some(e) => json!({
            "taskId": id,
            "status": "rejected",
            "error": {"code": e.code.as_str(), "message": e.message},
        }),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FailBody {
    error: String,
    retryable: Option<bool>,
}

pub(crate) async fn fail_task(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<FailBody>,
) -> Result<Json<Value>, ApiError> {
    let done = s
        .queue
        .fail(&id, body.error, body.retryable.unwrap_or(true))
        .await;
    s.streams.reported(&id, &done);
    s.reported
        .result(crate::reported::Via::Request, done.is_err());
    done.map_err(|e| task_error(e, &id))?;
    Ok(Json(json!({"status": "accepted"})))
}

/// Extends the leases of `ids` in order, as `POST /v1/tasks/{id}/heartbeat`
/// would; each task id with the error that refused its heartbeat, if one
/// did (the task is no longer open: its worker may stop).
pub(crate) async fn apply_heartbeats(
    s: &AppState,
    ids: Vec<String>,
) -> Vec<(String, Option<ApiError>)> {
    let mut outcomes = Vec::with_capacity(ids.len());
    for id in ids {
        s.reported.heartbeat(crate::reported::Via::Stream);
        let refused = s.queue.heartbeat(&id).await.err();
        let refused = refused.map(|e| task_error(e, &id));
        outcomes.push((id, refused));
    }
    outcomes
}

pub(crate) async fn heartbeat_task(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    s.reported.heartbeat(crate::reported::Via::Request);
    let until = s
        .queue
        .heartbeat(&id)
        .await
        .map_err(|e| task_error(e, &id))?;
    Ok(Json(json!({"deadline": format_time(until)})))
}

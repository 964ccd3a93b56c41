//! The web UI: its pages and assets (embedded in the binary; nothing is
//! fetched from elsewhere), and the API endpoints only it needs: run counts
//! per status, a program version's files, and a flow's diagram with the runs
//! standing at each node.
//!
//! The UI is plain JavaScript modules and CSS in `crates/weft-server/ui/`,
//! served as written: no build step. Page paths (`/runs/{id}`, `/flows/...`)
//! all answer with the same `index.html`, so deep links work on reload; the
//! script reads the path.

use std::collections::HashSet;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{json, Value};
use weft_engine::state::Status;
use weft_engine::time::format_time;
use weft_store::{Deployment, RunQuery, RunRecord, Store};

use crate::error::{ApiError, Code, Json};
use crate::graph;
use crate::state::{blocking, AppState};

/// Runs a diagram's counts read, at most (non-terminal runs of the flow and
/// its inline sub-flows); `capped` says when there were more.
pub const GRAPH_RUNS_MAX: usize = 10_000;

/// A JavaScript module of the UI: (name under `/ui/`, content type, text).
macro_rules! module {
    ($name:literal) => {
        (
            $name,
            "text/javascript; charset=utf-8",
            include_str!(concat!("../ui/", $name)),
        )
    };
}

/// The UI's files: (name under `/ui/`, content type, text). The modules
/// import each other by these names.
const ASSETS: &[(&str, &str, &str)] = &[
    // The entry point, and what every page shares.
    module!("app.js"),
    module!("api.js"),
    module!("dom.js"),
    module!("format.js"),
    module!("router.js"),
    // The pages and their parts.
    module!("page-runs.js"),
    module!("page-run.js"),
    module!("page-flows.js"),
    module!("page-flow.js"),
    module!("page-workers.js"),
    module!("page-triggers.js"),
    module!("triggers-format.js"),
    module!("sources.js"),
    module!("page-audit.js"),
    module!("page-activities.js"),
    module!("page-machines.js"),
    module!("runlist.js"),
    module!("timeline.js"),
    module!("journal.js"),
    module!("actions.js"),
    module!("upgrade.js"),
    module!("source.js"),
    module!("travel.js"),
    module!("bulk.js"),
    // A flow's diagram: drawing, and its layout by phase.
    module!("graph.js"),
    module!("layout.js"),
    module!("layout-sizes.js"),
    module!("layout-layers.js"),
    module!("layout-order.js"),
    module!("layout-coords.js"),
    module!("layout-edges.js"),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../ui/style.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../ui/favicon.svg"),
    ),
];

const INDEX: &str = include_str!("../ui/index.html");

/// Only our own files; no inline script; nothing may frame the UI.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

/// The pages and assets (no token needed: they hold no data; the API calls
/// they make do).
pub fn pages() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(index))
        .route("/runs", get(index))
        .route("/runs/{id}", get(index))
        .route("/flows", get(index))
        .route("/flows/{name}", get(index))
        .route("/workers", get(index))
        .route("/triggers", get(index))
        .route("/audit", get(index))
        .route("/activities", get(index))
        .route("/machines", get(index))
        .route("/machines/{name}", get(index))
        .route("/machines/{name}/{key}", get(index))
        .route("/ui/{file}", get(asset))
}

/// The API endpoints the UI adds (behind the token, like all of `/v1`).
pub fn api() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/v1/runs/counts", get(run_counts))
        .route("/v1/versions/{version}", get(get_version))
        .route("/v1/versions/{version}/activities", get(version_activities))
        .route("/v1/flows/{name}/graph", get(flow_graph))
        .route("/v1/activities", get(activities))
}

/// Program versions read to list the activities the deployed flows call:
/// the newest version of each flow, at most this many.
pub const ACTIVITY_VERSIONS_READ_MAX: usize = 1_000;

/// `GET /v1/activities`: every activity the deployed flows call (their
/// newest versions) or that has tasks, with its placement in the plan and
/// its live figures (`docs/deploying.md`).
async fn activities(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let store = s.runtime.store().clone();
    let called = blocking(move || {
        let mut versions: Vec<i64> = store
            .flows()?
            .iter()
            .filter_map(|f| f.versions.last().copied())
            .collect();
        versions.sort_unstable();
        versions.dedup();
        let mut names = std::collections::BTreeSet::new();
        for v in versions.iter().rev().take(ACTIVITY_VERSIONS_READ_MAX) {
            let Some(d) = store.deployment(*v)? else {
                continue;
            };
            let parsed: Vec<_> = d
                .files
                .iter()
                .map(|f| weft_syntax::parse(&f.text))
                .collect();
            let sources: Vec<weft_check::SourceFile> = d
                .files
                .iter()
                .zip(&parsed)
                .map(|(f, p)| weft_check::SourceFile {
                    name: &f.name,
                    module: &p.module,
                })
                .collect();
            for a in weft_plan::Program::of(&sources).activities {
                names.insert(a.name);
            }
        }
        Ok(names)
    })
    .await?;
    let figures = crate::metrics::activity_figures(&s);
    let mut names: std::collections::BTreeSet<String> = called;
    names.extend(figures.keys().cloned());
    let plan = s.placements.plan.as_ref();
    let list: Vec<Value> = names
        .iter()
        .map(|name| {
            let f = figures.get(name).copied().unwrap_or_default();
            let placement = plan.and_then(|p| {
                p.place(name).map(|(i, place)| {
                    let l = weft_plan::limits_of(&p.plan, place);
                    json!({
                        "kind": place.target.kind(),
                        "target": place.target.detail(),
                        "place": i + 1,
                        "concurrency": l.concurrency,
                        "rate": l.rate.map(weft_plan::format_rate),
                        "timeout": l.timeout_ms.map(weft_engine::time::format_duration),
                        "memory": l.memory_bytes.map(weft_plan::format_bytes),
                    })
                })
            });
            json!({
                "name": name,
                "placement": placement,
                "ready": f.ready,
                "inFlight": f.in_flight,
                "oldestReadySeconds": f.oldest_ready.as_secs_f64(),
            })
        })
        .collect();
    Ok(Json(json!({
        "plan": plan.map(|p| p.name.clone()),
        "activities": list,
    })))
}

fn secure_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Small files, and a new binary may change them: ask each time.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

async fn index() -> Response {
    let page: std::borrow::Cow<'static, str> = match std::env::var_os(UI_DIR_VAR)
        .and_then(|d| std::fs::read_to_string(std::path::Path::new(&d).join("index.html")).ok())
    {
        Some(text) => text.into(),
        None => INDEX.into(),
    };
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    secure_headers(&mut resp);
    resp
}

/// A folder to serve the UI's files from instead of the embedded copies
/// (for working on the UI without rebuilding; only the files of [`ASSETS`]
/// are served, by name).
pub const UI_DIR_VAR: &str = "WEFT_UI_DIR";

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((name, ctype, body)) => {
            let body: std::borrow::Cow<'static, str> = match std::env::var_os(UI_DIR_VAR) {
                Some(dir) => match std::fs::read_to_string(std::path::Path::new(&dir).join(name)) {
                    Ok(text) => text.into(),
                    Err(e) => {
                        return ApiError::new(
                            Code::Internal,
                            format!("{UI_DIR_VAR} is set, but {name} cannot be read there: {e}"),
                        )
                        .into_response()
                    }
                },
                None => (*body).into(),
            };
            let mut resp = ([(header::CONTENT_TYPE, *ctype)], body).into_response();
            secure_headers(&mut resp);
            resp
        }
        None => ApiError::new(Code::NoSuchPath, format!("no UI file `{file}`")).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountsQuery {
    flow: Option<String>,
}

/// `GET /v1/runs/counts[?flow=]`: runs per status, exact (the stores keep
/// counters): of every run, or of one flow's; and per flow (`flows`).
/// `capped` stays for clients of earlier builds, always empty.
async fn run_counts(
    State(s): State<AppState>,
    q: Result<Query<CountsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("bad query: {}", e.body_text())))?;
    let store = s.runtime.store().clone();
    let flow = q.flow.filter(|f| !f.is_empty());
    let all = blocking(move || store.run_counts()).await?;
    let zero = || {
        Status::ALL
            .iter()
            .map(|st| (st.as_str().to_string(), json!(0)))
            .collect::<serde_json::Map<_, _>>()
    };
    let mut counts = zero();
    let mut flows: std::collections::BTreeMap<String, serde_json::Map<String, Value>> =
        Default::default();
    for c in &all {
        let f = flows.entry(c.flow.clone()).or_insert_with(zero);
        f.insert(c.status.as_str().into(), json!(c.runs));
        if flow.as_ref().is_none_or(|fl| *fl == c.flow) {
            let n = counts[c.status.as_str()].as_u64().unwrap_or(0) + c.runs;
            counts.insert(c.status.as_str().into(), json!(n));
        }
    }
    Ok(Json(json!({
        "counts": counts,
        "capped": [],
        "flows": flows.into_iter().map(|(f, c)| json!({"flow": f, "counts": c})).collect::<Vec<_>>(),
    })))
}

fn version_json(d: &Deployment) -> Value {
    json!({
        "version": d.version,
        "createdAt": format_time(d.created_at),
        "flows": d.flows,
        "files": d.files.iter().map(|f| json!({"name": f.name, "text": f.text})).collect::<Vec<_>>(),
    })
}

fn parse_version(v: &str) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| ApiError::bad_request(format!("`{v}` is not a version number")))
}

/// `GET /v1/versions/{version}`: a program version's files (what a run of
/// any of its flows, inline sub-flows included, executes).
async fn get_version(
    State(s): State<AppState>,
    Path(version): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let v = parse_version(&version)?;
    let store = s.runtime.store().clone();
    let d = blocking(move || store.deployment(v)).await?;
    let d =
        d.ok_or_else(|| ApiError::new(Code::UnknownVersion, format!("no program version {v}")))?;
    Ok(Json(version_json(&d)))
}

/// Nesting of a declared type an example value follows; deeper parts are
/// `null`.
pub const EXAMPLE_DEPTH_MAX: usize = 8;

/// A value of the shape of type `t`, for an editor to start from: every
/// declared field, with an empty value of its type (optional ones too:
/// the operator deletes what does not apply).
fn example(
    types: &weft_check::contract::types::Types,
    t: &weft_check::contract::types::Type,
    depth: usize,
) -> Value {
    use weft_check::contract::types::Type;
    if depth >= EXAMPLE_DEPTH_MAX {
        return Value::Null;
    }
    match types.resolve(t) {
        Type::Any | Type::Null | Type::Named(_) => Value::Null,
        Type::String => json!(""),
        // One of the choices: the one declared.
        Type::Literal(text) => json!(text),
        Type::Number | Type::Int => json!(0),
        Type::Bool => json!(false),
        Type::Duration => json!("1s"),
        Type::Time => json!("2026-01-01T00:00:00Z"),
        Type::List(_) => json!([]),
        Type::Object { fields, .. } => Value::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), example(types, &f.ty, depth + 1)))
                .collect(),
        ),
        // The first member that is not `null`.
        Type::Union(members) => members
            .iter()
            .find(|m| !matches!(types.resolve(m), Type::Null))
            .map_or(Value::Null, |m| example(types, m, depth + 1)),
    }
}

/// [`example`] as indented JSON text with the fields in declared order
/// (a JSON object here sorts its keys).
fn example_text(
    types: &weft_check::contract::types::Types,
    t: &weft_check::contract::types::Type,
    depth: usize,
    indent: usize,
) -> String {
    use weft_check::contract::types::Type;
    if depth >= EXAMPLE_DEPTH_MAX {
        return "null".into();
    }
    match types.resolve(t) {
        Type::Object { fields, .. } if !fields.is_empty() => {
            let pad = "  ".repeat(indent + 1);
            let items: Vec<String> = fields
                .iter()
                .map(|f| {
                    format!(
                        "{pad}{}: {}",
                        Value::String(f.name.clone()),
                        example_text(types, &f.ty, depth + 1, indent + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{}}}", items.join(",\n"), "  ".repeat(indent))
        }
        Type::Union(members) => members
            .iter()
            .find(|m| !matches!(types.resolve(m), Type::Null))
            .map_or("null".into(), |m| example_text(types, m, depth + 1, indent)),
        other => example(types, other, depth).to_string(),
    }
}

/// `GET /v1/versions/{version}/activities`: the activities a version
/// declares (`activity` declarations), each with its result type as
/// written and an example value of that shape (what a repair editor
/// starts from).
async fn version_activities(
    State(s): State<AppState>,
    Path(version): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let v = parse_version(&version)?;
    let store = s.runtime.store().clone();
    let d = blocking(move || store.deployment(v)).await?;
    let d =
        d.ok_or_else(|| ApiError::new(Code::UnknownVersion, format!("no program version {v}")))?;
    let parses: Vec<_> = d
        .files
        .iter()
        .map(|f| weft_syntax::parse(&f.text))
        .collect();
    let sources: Vec<weft_check::SourceFile> = d
        .files
        .iter()
        .zip(&parses)
        .map(|(f, p)| weft_check::SourceFile {
            name: &f.name,
            module: &p.module,
        })
        .collect();
    let contracts = weft_check::contract::Contracts::index(&sources);
    let activities: Vec<Value> = contracts
        .activities
        .keys()
        .filter_map(|name| {
            let declared = contracts.activity(name)?.result.is_some();
            let t = contracts.result(name)?;
            Some(json!({
                "name": name,
                "declared": declared,
                "returns": t.to_string(),
                "example": if declared { example(&contracts.types, &t, 0) } else { Value::Null },
                "exampleText": if declared { json!(example_text(&contracts.types, &t, 0, 0)) } else { Value::Null },
            }))
        })
        .collect();
    Ok(Json(json!({"version": v, "activities": activities})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GraphQuery {
    version: Option<String>,
}

/// `GET /v1/flows/{name}/graph[?version=]`: the flow's diagram at a
/// version (default: the newest), with the non-terminal runs of that version
/// placed on its nodes.
async fn flow_graph(
    State(s): State<AppState>,
    Path(name): Path<String>,
    q: Result<Query<GraphQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("bad query: {}", e.body_text())))?;
    let asked = match q.version.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => Some(parse_version(v)?),
        None => None,
    };
    let store = s.runtime.store().clone();
    let n = name.clone();
    let found = blocking(move || {
        let Some(info) = store.flows()?.into_iter().find(|f| f.name == n) else {
            return Ok(None);
        };
        let version = match asked {
            Some(v) if info.versions.contains(&v) => v,
            Some(_) => return Ok(Some(Err(info.versions))),
            None => *info.versions.last().unwrap_or(&0),
        };
        Ok(Some(Ok(store.deployment(version)?)))
    })
    .await?;
    let d = match found {
        None => {
            return Err(ApiError::new(
                Code::UnknownFlow,
                format!("no flow named `{name}` is deployed"),
            ))
        }
        Some(Err(versions)) => {
            return Err(ApiError::new(
                Code::UnknownVersion,
                format!(
                    "version {} does not define `{name}`; it is in versions {versions:?}",
                    asked.unwrap_or_default()
                ),
            ))
        }
        Some(Ok(None)) => {
            return Err(ApiError::new(
                Code::UnknownVersion,
                format!("the version of `{name}` is missing"),
            ))
        }
        Some(Ok(Some(d))) => d,
    };
    let flows: HashSet<String> = d
        .files
        .iter()
        .flat_map(|f| {
            weft_syntax::parse(&f.text)
                .module
                .flows()
                .map(|fl| fl.name.name.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    let Some((file, g)) = d
        .files
        .iter()
        .find_map(|f| graph::build(&f.text, &name, &flows).map(|g| (f.name.clone(), g)))
    else {
        return Err(ApiError::new(
            Code::UnknownFlow,
            format!("version {} has no flow `{name}`", d.version),
        ));
    };
    let mut names = vec![name.clone()];
    names.extend(graph::subflows(&g));
    let store = s.runtime.store().clone();
    let version = d.version;
    let (runs, capped) = blocking(move || live_runs(store.as_ref(), &names, version)).await?;
    let counts = graph::place(&g, &file, &runs);
    Ok(Json(json!({
        "flow": name,
        "version": d.version,
        "file": file,
        "nodes": g.nodes,
        "edges": g.edges,
        "counts": counts.counts,
        "countsByStatus": counts.by_status,
        "unplaced": counts.unplaced,
        "capped": capped,
    })))
}

/// Running, waiting and failed runs of these flows at `version`; reads at
/// most [`GRAPH_RUNS_MAX`] runs (true when there were more).
fn live_runs(
    store: &dyn Store,
    flows: &[String],
    version: i64,
) -> weft_store::Result<(Vec<RunRecord>, bool)> {
    let mut out = Vec::new();
    let mut read = 0usize;
    for flow in flows {
        for st in [Status::Running, Status::Waiting, Status::Failed] {
            let mut cursor = None;
            loop {
                if read >= GRAPH_RUNS_MAX {
                    return Ok((out, true));
                }
                let page = store.list_runs(&RunQuery {
                    status: Some(st),
                    flow: Some(flow.clone()),
                    limit: (GRAPH_RUNS_MAX - read).min(crate::search::PAGE_RUNS_MAX),
                    cursor,
                    ..RunQuery::default()
                })?;
                read += page.runs.len();
                out.extend(page.runs.into_iter().filter(|r| r.version == version));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
        }
    }
    Ok((out, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_routes_are_listed_and_documented() {
        let doc = crate::openapi::document();
        for path in [
            "/v1/runs/counts",
            "/v1/versions/{version}",
            "/v1/flows/{name}/graph",
            "/v1/activities",
        ] {
            assert!(
                crate::api::ROUTES.contains(&("GET", path)),
                "{path} in api::ROUTES"
            );
            assert!(doc["paths"][path]["get"].is_object(), "{path} in OpenAPI");
        }
    }

    /// The UI's endpoints and pages on a real server (in memory, no
    /// workers: the runs stay running at their first call).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn endpoints_and_pages_answer() {
        let config = crate::Config::for_tests();
        let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(weft_store::MemoryStore::new());
        let server = crate::start(config, store).await.unwrap();
        let base = format!("http://{}", server.addr);
        let c = reqwest::Client::new();
        let get = |path: &str| c.get(format!("{base}{path}")).send();
        let source =
            "flow F(x) {\n    a = Step(x)\n    if a.ok {\n        B(x)\n    }\n    return a\n}\n";
        let r = c
            .post(format!("{base}/v1/flows"))
            .json(&json!({"name": "f.weft", "source": source}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        for i in 0..2 {
            let r = c
                .post(format!("{base}/v1/runs"))
                .json(&json!({"flow": "F", "input": i}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let page: Value = get("/v1/runs").await.unwrap().json().await.unwrap();
            let at: Vec<&Value> = page["runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["position"])
                .collect();
            if at.len() == 2 && at.iter().all(|p| *p == "f.weft:2") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{page}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }

        let counts: Value = get("/v1/runs/counts").await.unwrap().json().await.unwrap();
        assert_eq!(counts["counts"]["running"], 2, "{counts}");
        assert_eq!(counts["counts"]["failed"], 0, "{counts}");
        let counts: Value = get("/v1/runs/counts?flow=F")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(counts["counts"]["running"], 2, "{counts}");
        assert_eq!(counts["capped"], json!([]));
        let none: Value = get("/v1/runs/counts?flow=G")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(none["counts"]["running"], 0, "{none}");

        let g: Value = get("/v1/flows/F/graph")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                g["flow"].as_str(),
                g["version"].as_i64(),
                g["file"].as_str()
            ),
            (Some("F"), Some(1), Some("f.weft"))
        );
        let step = g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["label"] == "Step")
            .unwrap();
        assert_eq!(
            (step["kind"].as_str(), step["line"].as_u64()),
            (Some("call"), Some(2))
        );
        let id = step["id"].as_str().unwrap();
        assert_eq!(g["counts"][id], 2, "{g}");
        assert_eq!(g["countsByStatus"][id]["running"], 2, "{g}");
        assert_eq!(
            (g["unplaced"].as_u64(), g["capped"].as_bool()),
            (Some(0), Some(false))
        );
        assert_eq!(
            get("/v1/flows/F/graph?version=1").await.unwrap().status(),
            200
        );
        let r = get("/v1/flows/F/graph?version=9").await.unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"]["code"],
            "unknown_version"
        );
        assert_eq!(
            get("/v1/flows/F/graph?version=x").await.unwrap().status(),
            400
        );
        assert_eq!(
            get("/v1/flows/F/graph?color=red").await.unwrap().status(),
            400
        );
        assert_eq!(get("/v1/flows/Nope/graph").await.unwrap().status(), 404);

        let v: Value = get("/v1/versions/1").await.unwrap().json().await.unwrap();
        assert_eq!(v["flows"], json!(["F"]));
        assert_eq!(v["files"][0], json!({"name": "f.weft", "text": source}));
        assert_eq!(get("/v1/versions/2").await.unwrap().status(), 404);
        assert_eq!(get("/v1/versions/0").await.unwrap().status(), 400);

        for page in [
            "/",
            "/runs/01ABC",
            "/flows",
            "/flows/F",
            "/triggers",
            "/machines",
            "/machines/M",
            "/machines/M/a%2Fb",
        ] {
            let r = get(page).await.unwrap();
            assert_eq!(r.status(), 200, "{page}");
            assert!(r.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'"));
            assert!(r.text().await.unwrap().contains("/ui/app.js"), "{page}");
        }
        let js = get("/ui/app.js").await.unwrap();
        assert!(js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
        assert_eq!(get("/ui/nope.js").await.unwrap().status(), 404);
        server.shutdown().await;
    }

    #[test]
    fn every_asset_the_page_names_is_served() {
        for (name, _, text) in ASSETS {
            assert!(!text.is_empty(), "{name}");
        }
        let mut named = Vec::new();
        for text in std::iter::once(INDEX).chain(ASSETS.iter().map(|a| a.2)) {
            for part in text.split("/ui/").skip(1) {
                let file: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                    .collect();
                named.push(file);
            }
            for part in text.split("from './").skip(1) {
                named.push(part.chars().take_while(|c| *c != '\'').collect());
            }
        }
        assert!(named.len() >= 3, "{named:?}");
        for f in named {
            assert!(
                ASSETS.iter().any(|(n, _, _)| *n == f),
                "`{f}` is referenced but not embedded"
            );
        }
    }
}

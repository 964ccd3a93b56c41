//! The composition root of the HTTP side: which handler answers which
//! route, which routes need the bearer token, and what answers a path or
//! method no route takes. Handlers live in `api`, `ui`, `metrics` and
//! `health`; none of them imports this module. `conn` serves the router
//! this module builds.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::api;
use crate::error::{ApiError, Code};
use crate::machines;
use crate::ops;
use crate::state::AppState;

/// The server's router: every route of [`api::ROUTES`], and the UI's pages.
pub fn router(state: AppState, body_limit: usize) -> axum::Router {
    let protected = axum::Router::new()
        .route("/v1/openapi.json", get(api::openapi))
        .route("/v1/flows", post(api::deploy).get(api::list_flows))
        .route("/v1/flows/{name}", get(api::get_flow))
        .route("/v1/runs", post(api::start_run).get(ops::list_runs))
        .route("/v1/runs/bulk", post(ops::bulk))
        .route("/v1/runs/{id}", get(ops::get_run))
        .route("/v1/runs/{id}/journal", get(api::get_journal))
        .route("/v1/runs/{id}/export", get(ops::export))
        .route("/v1/runs/{id}/steps/{step}", get(ops::get_step))
        .route("/v1/runs/{id}/retry", post(api::retry_run))
        .route("/v1/runs/{id}/resolve", post(api::resolve_run))
        .route("/v1/runs/{id}/cancel", post(api::cancel_run))
        .route("/v1/runs/{id}/fork", post(ops::fork))
        .route("/v1/audit", get(ops::audit_log))
        .route("/v1/audit/{id}", get(ops::audit_entry))
        .route("/v1/workers", get(ops::workers))
        .route("/v1/queues", get(ops::queues))
        .route("/v1/sources", get(crate::sources::list_sources))
        .route("/v1/runs/{id}/upgrade", post(api::upgrade_run))
        .route("/v1/runs/upgrade", post(api::upgrade_flow))
        .route("/v1/tasks/poll", post(api::poll_tasks))
        .route("/v1/tasks/results", post(api::report_results))
        .route("/v1/tasks/stream", post(crate::stream::open_stream))
        .route("/v1/tasks/{task_id}/complete", post(api::complete_task))
        .route("/v1/tasks/{task_id}/fail", post(api::fail_task))
        .route("/v1/tasks/{task_id}/heartbeat", post(api::heartbeat_task))
        .route("/v1/machines", get(machines::list_machines))
        .route("/v1/machines/{machine}", get(machines::query_instances))
        .route("/v1/machines/{machine}/{key}", get(machines::get_instance))
        .route(
            "/v1/machines/{machine}/{key}/{command}",
            post(machines::send_command),
        )
        .route(
            "/v1/machines/{machine}/{key}/history",
            get(machines::get_history),
        )
        .route(
            "/v1/machines/{machine}/{key}/commands/{command_id}",
            get(machines::get_command),
        )
        .route(
            "/v1/events",
            post(crate::events::post_events).get(crate::events::list_events),
        )
        .route("/v1/events/{id}", get(crate::events::get_event))
        .route("/v1/events/redrive", post(crate::events::redrive_event))
        .route("/v1/triggers", get(crate::events::list_triggers))
        .route(
            "/v1/triggers/{name}/redrive",
            post(crate::events::redrive_trigger),
        )
        .route("/v1/schedules", get(crate::events::list_schedules))
        .route(
            "/v1/schedules/{name}/pause",
            post(crate::events::pause_schedule),
        )
        .route(
            "/v1/schedules/{name}/resume",
            post(crate::events::resume_schedule),
        )
        .route(
            "/v1/schedules/{name}/trigger",
            post(crate::events::trigger_schedule),
        )
        .merge(crate::ui::api())
        .route_layer(middleware::from_fn_with_state(state.clone(), auth));
    axum::Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/readyz", get(crate::health::readyz))
        .route("/metrics", get(crate::metrics::render))
        // The callback token is the credential: no bearer token needed.
        .route("/v1/callbacks/{token}", post(api::callback))
        .merge(protected)
        .merge(crate::ui::pages())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        Code::NoSuchPath,
        "no such path; the API is described at /v1/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        Code::MethodNotAllowed,
        "this path does not take that method",
    )
}

/// Compares in time independent of where the strings differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn auth(
    State(s): State<AppState>,
    headers: HeaderMap,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    if let Some(token) = &s.token {
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split_once(' '))
            // The scheme is case-insensitive (RFC 7235, section 2.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let ok = given.is_some_and(|g| same_secret(g.as_bytes(), token.as_bytes()));
        if !ok {
            let msg = if given.is_some() {
                "the bearer token is wrong"
            } else {
                "this server needs `Authorization: Bearer <token>`"
            };
            return ApiError::new(Code::Unauthorized, msg).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::Value;

    /// Every route `api::ROUTES` lists is served: a request to it (with
    /// made-up parameters and no body) reaches a handler, never the
    /// fallbacks for unknown paths and methods.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_listed_route_is_served() {
        let config = crate::Config::for_tests();
        let store: Arc<dyn weft_store::Store> = Arc::new(weft_store::MemoryStore::new());
        let server = crate::start(config, store).await.unwrap();
        let base = format!("http://{}", server.addr);
        let client = reqwest::Client::new();
        let fallback_code = |resp: reqwest::Response| async move {
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            body["error"]["code"].as_str().map(str::to_string)
        };
        for (method, path) in crate::api::ROUTES {
            let concrete = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "x" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let resp = client
                .request(method.clone(), format!("{base}{concrete}"))
                .send()
                .await
                .unwrap();
            let code = fallback_code(resp).await;
            assert!(
                !matches!(code.as_deref(), Some("no_such_path" | "method_not_allowed")),
                "{method} {path} is listed in api::ROUTES but not served ({code:?})"
            );
        }
        // The check above can fail: an unlisted path meets the fallback.
        let resp = client.get(format!("{base}/v1/nope")).send().await.unwrap();
        assert_eq!(fallback_code(resp).await.as_deref(), Some("no_such_path"));
        server.shutdown().await;
    }
}

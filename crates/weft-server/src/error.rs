//! API errors: every failure is `{"error": {"code", "message"}}` with a
//! status that says whose fault it is. Bad input is a 4xx; a 5xx means the
//! server or its disk failed, and says how.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, MissingJsonContentType};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::json;
use weft_runtime::{CallbackError, HostError, UnreadableKind};

/// Declares the error codes: each variant with its code on the wire, its
/// HTTP status and what it means, in one place.
macro_rules! codes {
    ($($variant:ident = ($code:literal, $status:ident, $meaning:literal),)*) => {
        /// A stable, machine-readable error code (`error.code` in every
        /// error answer). The strings are a contract: clients match on
        /// them. `docs/api-errors.md` explains each; a test keeps it equal
        /// to [`Code::ALL`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the documentation.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as it is sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The HTTP status every answer with this code has.
            pub fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::$status,)*
                }
            }

            /// When the code is sent, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    BadRequest = ("bad_request", BAD_REQUEST, "The request is malformed: a query, path parameter or field value is wrong, or the body could not be read."),
    InvalidJson = ("invalid_json", BAD_REQUEST, "The body is not valid JSON (or it gives a key twice in one object)."),
    InvalidQuery = ("invalid_query", BAD_REQUEST, "The query string is wrong: an unknown or empty parameter, a value out of range, a cursor the server did not give, or a search condition (`q`) that does not parse or means nothing."),
    Unauthorized = ("unauthorized", UNAUTHORIZED, "The server needs a bearer token and the request has none, or a wrong one."),
    NoSuchPath = ("no_such_path", NOT_FOUND, "No route has this path (or the web UI has no such file)."),
    UnknownFlow = ("unknown_flow", NOT_FOUND, "No deployed flow has this name (or the version asked for does not define it)."),
    UnknownVersion = ("unknown_version", NOT_FOUND, "No program version has this number, or it does not define the flow."),
    UnknownRun = ("unknown_run", NOT_FOUND, "No run has this id."),
    UnknownTask = ("unknown_task", NOT_FOUND, "No open task has this id: it was answered, cancelled, or replaced by a newer attempt."),
    UnknownToken = ("unknown_token", NOT_FOUND, "No callback has this token."),
    NoSuchStep = ("no_such_step", NOT_FOUND, "The run's journal has no step with this number."),
    UnknownAction = ("unknown_action", NOT_FOUND, "The audit log has no operator action with this id."),
    UnknownMachine = ("unknown_machine", NOT_FOUND, "No deployed program defines a machine of this name."),
    UnknownCommand = ("unknown_command", NOT_FOUND, "The machine has no command of this name (in its newest version)."),
    UnknownInstance = ("unknown_instance", NOT_FOUND, "The machine has no instance with this key: no command was ever applied to it."),
    UnknownCommandId = ("unknown_command_id", NOT_FOUND, "The instance has no command with this command id."),
    UnknownEvent = ("unknown_event", NOT_FOUND, "No event with this id was taken."),
    UnknownTrigger = ("unknown_trigger", NOT_FOUND, "No trigger of this name is in force (the newest version of its flow does not declare it)."),
    UnknownSchedule = ("unknown_schedule", NOT_FOUND, "No deployed program declares a schedule of this name (or it was retired: the newest version of its flow no longer declares it)."),
    MethodNotAllowed = ("method_not_allowed", METHOD_NOT_ALLOWED, "The path exists but does not take this method."),
    RequestTimeout = ("request_timeout", REQUEST_TIMEOUT, "The request's body did not arrive within the server's body read timeout; the connection is closed."),
    NotApplicable = ("not_applicable", CONFLICT, "The operator action does not apply to the run as it stands (e.g. retrying a run that is not failed)."),
    CallbackCompleted = ("callback_completed", CONFLICT, "The callback was completed already, or its wait timed out or was cancelled."),
    UpgradeRefused = ("upgrade_refused", CONFLICT, "The live upgrade was refused: the checker cannot prove the move safe; `reasons` says why, and the run was left as it was."),
    Conflict = ("conflict", CONFLICT, "The store refused a write that conflicts with another (a key that is taken)."),
    NotReplayable = ("not_replayable", CONFLICT, "The run's state at a step cannot be rebuilt: its journal lacks what replay needs (steps recorded by an earlier build, or dropped), or replaying it no longer gives what happened."),
    CommandRefused = ("command_refused", CONFLICT, "The command's handler refused it (it called `fail`, or its run was cancelled): the state is unchanged; `reason` holds what the handler gave."),
    PayloadTooLarge = ("payload_too_large", PAYLOAD_TOO_LARGE, "The body is over the server's limit, or a payload in it is over the engine's payload limit or nested or sized past what a run's values may be."),
    UriTooLong = ("uri_too_long", URI_TOO_LONG, "The request's URI is longer than the server reads."),
    UnsupportedMediaType = ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "The body is not sent as JSON (`Content-Type: application/json`)."),
    InvalidBody = ("invalid_body", UNPROCESSABLE_ENTITY, "The body is JSON but not of the expected shape: a field is missing, unknown or of the wrong type."),
    CheckFailed = ("check_failed", UNPROCESSABLE_ENTITY, "The deployed flows have errors; `diagnostics` lists them and nothing was deployed."),
    PlanRefused = ("plan_refused", UNPROCESSABLE_ENTITY, "The server's deployment plan refuses the program: an activity it calls has no placement, or one the plan cannot serve; `diagnostics` lists the plan's findings and nothing was deployed."),
    CompileFailed = ("compile_failed", UNPROCESSABLE_ENTITY, "The deployed flows passed the checker but do not compile."),
    InvalidCommand = ("invalid_command", UNPROCESSABLE_ENTITY, "The command cannot be sent as it is: its input does not fit what the command takes, or its key or command id is too long."),
    InvalidEvent = ("invalid_event", UNPROCESSABLE_ENTITY, "Events that cannot be taken as they are: an empty id or type, a field over EVENT_NAME_BYTES_MAX, an event over EVENT_BYTES_MAX, or more than EVENTS_PER_INGEST_MAX in one request; none of the request's events was taken."),
    TooManyVersions = ("too_many_versions", UNPROCESSABLE_ENTITY, "A deployed flow has as many versions as a flow may have (VERSIONS_PER_FLOW_MAX); nothing was deployed."),
    QueueFull = ("queue_full", TOO_MANY_REQUESTS, "The instance has as many commands waiting as it may (`INSTANCE_QUEUE_MAX`)."),
    HeadersTooLarge = ("headers_too_large", REQUEST_HEADER_FIELDS_TOO_LARGE, "The request's head (request line and headers) is larger than the server reads."),
    Internal = ("internal", INTERNAL_SERVER_ERROR, "The server failed in a way that is its own fault, not the request's or the store's."),
    RunBusy = ("run_busy", SERVICE_UNAVAILABLE, "In a cluster, another node is working on the run right now."),
    StorageFailed = ("storage_failed", SERVICE_UNAVAILABLE, "The store could not be read or written."),
    StorageFull = ("storage_full", SERVICE_UNAVAILABLE, "The store's disk (or database) is full: nothing of the request was written."),
    TooManyStreams = ("too_many_streams", SERVICE_UNAVAILABLE, "The server has as many task streams open as it takes (STREAMS_MAX); poll for tasks instead, or close a stream."),
    TooManyConnections = ("too_many_connections", SERVICE_UNAVAILABLE, "The server has as many connections as it takes, all with requests in progress; the connection is closed."),
    NotReady = ("not_ready", SERVICE_UNAVAILABLE, "The node cannot take work now (`/readyz`): its core loop is stalled, commits fail or hang, the store does not answer, or it is stopping."),
    UnreadableState = ("unreadable_state", SERVICE_UNAVAILABLE, "The run's stored state is in a format this build cannot read (written by a newer build, or damaged); the run is kept untouched for a build that can."),
    UnreadableProgram = ("unreadable_program", SERVICE_UNAVAILABLE, "The run's stored program is in a format this build cannot read; the run is kept untouched for a build that can."),
    EnginePanic = ("engine_panic", SERVICE_UNAVAILABLE, "A step of the run panicked (a bug in this build, met by the run's state); the run is parked as it was before the step, for a build that does not panic on it, or for an operator to cancel."),
}

/// The error a request body's stream ends with when the body does not
/// arrive within the body read timeout (`conn.rs` ends it so, and
/// [`bytes_rejection`] recognises it in axum's rejection).
pub const BODY_TIMEOUT_MESSAGE: &str = "the request body did not arrive in time";

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    /// A stable, machine-readable code; it decides the HTTP status.
    pub code: Code,
    /// One sentence for people.
    pub message: String,
    /// Extra fields (e.g. the checker's diagnostics of a refused deploy).
    pub details: Option<serde_json::Value>,
    /// Answer with `Connection: close`: the request's body was left unread,
    /// so the connection cannot carry another request.
    pub close: bool,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            details: None,
            close: false,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::BadRequest, message)
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// Adds extra fields to the error object.
    pub fn with_details(mut self, details: serde_json::Value) -> ApiError {
        self.details = Some(details);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = json!({"code": self.code.as_str(), "message": self.message});
        if let (Some(serde_json::Value::Object(extra)), Some(obj)) =
            (self.details, body.as_object_mut())
        {
            obj.extend(extra);
        }
        let mut resp = (status, axum::Json(json!({ "error": body }))).into_response();
        if self.close {
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"weft\""),
            );
        }
        resp
    }
}

impl From<HostError> for ApiError {
    fn from(e: HostError) -> ApiError {
        use weft_engine::ActionError;
        let msg = e.to_string();
        let code = match e {
            HostError::UnknownFlow(_) => Code::UnknownFlow,
            HostError::UnknownRun(_) => Code::UnknownRun,
            HostError::UnknownVersion(_) | HostError::FlowNotInVersion { .. } => {
                Code::UnknownVersion
            }
            HostError::Action(ActionError::PayloadTooLarge(_) | ActionError::Value(_))
            | HostError::Value { .. } => Code::PayloadTooLarge,
            HostError::Action(_) => Code::NotApplicable,
            HostError::PayloadTooLarge { .. } => Code::PayloadTooLarge,
            HostError::Callback(CallbackError::NotFound) => Code::UnknownToken,
            HostError::Callback(CallbackError::AlreadyCompleted) => Code::CallbackCompleted,
            HostError::Compile(_) => Code::CompileFailed,
            HostError::TooManyVersions { .. } => Code::TooManyVersions,
            HostError::Busy(_) => Code::RunBusy,
            HostError::UnknownMachine(_) => Code::UnknownMachine,
            HostError::UnknownCommand { .. } => Code::UnknownCommand,
            HostError::InvalidCommand(_) => Code::InvalidCommand,
            HostError::InvalidEvent(_) => Code::InvalidEvent,
            HostError::UnknownSchedule(_) => Code::UnknownSchedule,
            HostError::UnknownEvent(_) => Code::UnknownEvent,
            HostError::QueueFull { .. } => Code::QueueFull,
            HostError::Store(weft_store::StoreError::Conflict(_)) => Code::Conflict,
            HostError::Store(weft_store::StoreError::Full(_)) => Code::StorageFull,
            HostError::Store(_) => Code::StorageFailed,
            HostError::Panicked(_) => Code::Internal,
            // A later build may read it: the request can succeed then.
            HostError::Unreadable(u) => match u.kind {
                UnreadableKind::State => Code::UnreadableState,
                UnreadableKind::Program => Code::UnreadableProgram,
                UnreadableKind::Panic => Code::EnginePanic,
            },
            HostError::Fork(_) => Code::NotApplicable,
            HostError::ForkRefused { reasons, .. } => {
                let details = json!({"reasons": reasons});
                return ApiError::new(Code::UpgradeRefused, msg).with_details(details);
            }
            HostError::Travel(t) => return ApiError::from(t),
        };
        ApiError::new(code, msg)
    }
}

impl From<weft_runtime::travel::TravelError> for ApiError {
    fn from(e: weft_runtime::travel::TravelError) -> ApiError {
        use weft_runtime::travel::TravelError as T;
        let msg = e.to_string();
        let code = match e {
            T::UnknownRun(_) => Code::UnknownRun,
            T::NoSuchStep { .. } => Code::NoSuchStep,
            T::Trimmed { .. }
            | T::TooLong { .. }
            | T::ForkChain(_)
            | T::Program { .. }
            | T::Replay { .. } => Code::NotReplayable,
            T::Store(weft_store::StoreError::Conflict(_)) => Code::Conflict,
            T::Store(_) => Code::StorageFailed,
        };
        ApiError::new(code, msg)
    }
}

/// A JSON body whose problems are answered in the API's error format
/// (axum's own rejections are plain text).
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(req.headers()) {
            return Err(json_rejection(MissingJsonContentType::default().into()));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(bytes_rejection)?;
        parse_json(&bytes).map(Json)
    }
}

/// Reads JSON text as `T` the way every body is read: strict syntax first,
/// then the shape, each refused with the API's error.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first: reading `T` stops at the first problem serde meets,
    // so `{"flow": ` (an unknown field, then nothing) would pass for JSON
    // of the wrong shape. Duplicate keys are refused here too.
    if let Err(e) = crate::strict_json::check(bytes) {
        return Err(ApiError::new(
            Code::InvalidJson,
            format!("the body is not valid JSON: {e}"),
        ));
    }
    match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(v)) => Ok(v),
        Err(rejection) => Err(json_rejection(rejection)),
    }
}

/// `application/json`, or `application/<anything>+json`, as axum accepts.
pub(crate) fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(essence) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
    else {
        return false;
    };
    let essence = essence.trim().to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A path parameter whose problems (percent-decoding to text that is not
/// UTF-8) are answered in the API's error format (axum's are plain text).
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(r) if r.status().is_client_error() => Err(ApiError::bad_request(format!(
                "bad path: {}",
                r.body_text()
            ))),
            // axum answers 500 for these: the route and its handler do not
            // agree on the parameters, which is our bug.
            Err(r) => Err(ApiError::new(Code::Internal, r.body_text())),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            Code::UnsupportedMediaType,
            "send the body as JSON with `Content-Type: application/json`",
        ),
        JsonRejection::JsonSyntaxError(e) => ApiError::new(
            Code::InvalidJson,
            format!("the body is not valid JSON: {}", inner(&e)),
        ),
        JsonRejection::JsonDataError(e) => ApiError::new(
            Code::InvalidBody,
            format!("the body does not have the expected fields: {}", inner(&e)),
        ),
        JsonRejection::BytesRejection(e) => bytes_rejection(e),
        other => ApiError::bad_request(other.body_text()),
    }
}

/// A body that could not be read (too large, or the connection failed), in
/// the API's error format (axum's own rejection is plain text).
pub fn bytes_rejection(e: BytesRejection) -> ApiError {
    let text = e.body_text();
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE || text.contains("length limit") {
        // Reading stopped at the limit: the rest of the body is still on the
        // connection, which the server closes after answering. Say so, or
        // a keep-alive client sends its next request down a dead connection.
        ApiError {
            close: true,
            ..ApiError::new(
                Code::PayloadTooLarge,
                "the body is larger than the server's limit",
            )
        }
    } else if text.contains(BODY_TIMEOUT_MESSAGE) {
        ApiError {
            close: true,
            ..ApiError::new(
                Code::RequestTimeout,
                format!(
                    "{BODY_TIMEOUT_MESSAGE} (the body must arrive within the server's body_read_timeout)"
                ),
            )
        }
    } else {
        ApiError::bad_request(format!("the body could not be read: {text}"))
    }
}

/// The deepest source of an error, which says what is wrong with the JSON.
fn inner(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_errors_with_a_sentence() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "`{s}` twice");
            assert!(
                !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "`{s}` is not snake_case"
            );
            assert!(
                c.status().is_client_error() || c.status().is_server_error(),
                "`{s}`: {}",
                c.status()
            );
            let m = c.meaning();
            assert!(
                m.ends_with('.') && m.starts_with(|ch: char| ch.is_uppercase()),
                "`{s}`: {m}"
            );
        }
    }

    #[tokio::test]
    async fn an_answer_carries_the_code_and_its_status() {
        let resp = ApiError::new(Code::UnknownRun, "no run with id `x`").into_response();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            json!({"error": {"code": "unknown_run", "message": "no run with id `x`"}})
        );
        let resp = ApiError::new(Code::Unauthorized, "no token").into_response();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert!(resp.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}

//! API errors: every failure is `{"error": {"code", "message"}}` with a
//! status that says whose fault it is. Bad input is a 4xx; a 5xx means the
//! server or its disk failed, and says how.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, MissingJsonContentType};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;
use weft_runtime::{CallbackError, HostError};

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable code (`unknown_run`, `invalid_json`, ...).
    pub code: &'static str,
    /// One sentence for people.
    pub message: String,
    /// Extra fields (e.g. the checker's diagnostics of a refused deploy).
    pub details: Option<serde_json::Value>,
    /// Answer with `Connection: close`: the request's body was left unread,
    /// so the connection cannot carry another request.
    pub close: bool,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
            close: false,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// Adds extra fields to the error object.
    pub fn with_details(mut self, details: serde_json::Value) -> ApiError {
        self.details = Some(details);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let (Some(serde_json::Value::Object(extra)), Some(obj)) =
            (self.details, body.as_object_mut())
        {
            obj.extend(extra);
        }
        let mut resp = (self.status, axum::Json(json!({ "error": body }))).into_response();
        if self.close {
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
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
        match e {
            HostError::UnknownFlow(_) => ApiError::not_found("unknown_flow", msg),
            HostError::UnknownRun(_) => ApiError::not_found("unknown_run", msg),
            HostError::Action(ActionError::PayloadTooLarge(_) | ActionError::Value(_))
            | HostError::Value { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", msg)
            }
            HostError::Action(_) => ApiError::new(StatusCode::CONFLICT, "not_applicable", msg),
            HostError::PayloadTooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", msg)
            }
            HostError::Callback(CallbackError::NotFound) => {
                ApiError::not_found("unknown_token", msg)
            }
            HostError::Callback(CallbackError::AlreadyCompleted) => {
                ApiError::new(StatusCode::CONFLICT, "callback_completed", msg)
            }
            HostError::Compile(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "compile_failed", msg)
            }
            HostError::Busy(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "run_busy", msg),
            HostError::Store(weft_store::StoreError::Conflict(_)) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", msg)
            }
            HostError::Store(_) | HostError::Snapshot { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage_failed", msg)
            }
        }
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
        // Syntax first: reading `T` stops at the first problem serde meets,
        // so `{"flow": ` (an unknown field, then nothing) would pass for JSON
        // of the wrong shape.
        if let Err(e) = serde_json::from_slice::<IgnoredAny>(&bytes) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("the body is not valid JSON: {e}"),
            ));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// `application/json`, or `application/<anything>+json`, as axum accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
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
            Err(r) => Err(ApiError::new(r.status(), "internal", r.body_text())),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        ),
        JsonRejection::JsonSyntaxError(e) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {}", inner(&e)),
        ),
        JsonRejection::JsonDataError(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
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
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the body is larger than the server's limit",
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

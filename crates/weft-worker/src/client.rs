//! The task protocol over HTTP: poll, complete, fail, heartbeat, callback.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ClientError;
use crate::report_lines::{ReportLines, ReportTx};
use crate::time;

/// Longest wait for the answer to a request other than a poll.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How much longer than its `waitMs` a poll may take before it counts as
/// unanswered (the server answers a long poll when the wait ends).
pub const POLL_TIMEOUT_MARGIN: Duration = Duration::from_secs(10);

/// Bytes of a non-JSON error answer quoted in a [`ClientError`].
const ERROR_BODY_QUOTED_MAX: usize = 200;

/// A task as `POST /v1/tasks/poll` returns it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Task {
    pub task_id: String,
    pub call_id: String,
    pub run_id: String,
    pub activity: String,
    #[serde(default)]
    pub args: Value,
    pub attempt: u32,
    pub deadline: String,
    #[serde(default)]
    pub callback_token: Option<String>,
}

#[derive(Deserialize)]
struct PollAnswer {
    tasks: Vec<Task>,
}

#[derive(Deserialize)]
struct HeartbeatAnswer {
    deadline: String,
}

/// What a poll returned.
pub(crate) struct Polled {
    pub tasks: Vec<Task>,
    /// The server's clock when it answered (epoch ms), to read deadlines.
    pub server_now_ms: i64,
}

/// One line of a task stream (`POST /v1/tasks/stream`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StreamLine {
    /// Tasks leased to this stream.
    #[serde(default)]
    pub tasks: Option<Vec<Task>>,
    /// The first line: the stream's terms.
    #[serde(default)]
    pub stream: Option<StreamTerms>,
    /// Two-way streams: results of a report line the server refused
    /// because their tasks were no longer open.
    #[serde(default)]
    pub rejected: Option<Vec<Value>>,
    /// Two-way streams: a report line the server could not apply.
    #[serde(default)]
    pub error: Option<Value>,
}

/// What the server says of a stream it opened.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StreamTerms {
    /// How often the server writes when it has no task to send.
    pub heartbeat_ms: u64,
    /// Two-way streams: the server reads heartbeats in report lines
    /// (absent from servers older than that).
    #[serde(default)]
    pub heartbeat_lines: bool,
}

/// An open task stream: the server pushes tasks down it as it leases them.
pub(crate) struct TaskStream {
    resp: reqwest::Response,
    buf: Vec<u8>,
    /// The server's clock minus the local one (ms), from the answer's
    /// `Date`, to read the tasks' deadlines.
    skew_ms: i64,
}

impl TaskStream {
    /// The next line, waiting at most `silence` for one (a live server
    /// writes a heartbeat well within it); `None` when the server ended
    /// the stream.
    pub async fn next(&mut self, silence: Duration) -> Result<Option<StreamLine>, ClientError> {
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return serde_json::from_slice(&line)
                    .map(Some)
                    .map_err(|e| ClientError::Invalid(format!("a task stream's line: {e}")));
            }
            let chunk = tokio::time::timeout(silence, self.resp.chunk())
                .await
                .map_err(|_| {
                    ClientError::Unreachable(format!(
                        "the task stream was silent for {silence:?}, past its heartbeats"
                    ))
                })?
                .map_err(|e| unreachable(&e))?;
            match chunk {
                Some(c) => self.buf.extend_from_slice(&c),
                None => return Ok(None),
            }
        }
    }

    /// The server's clock now (epoch ms).
    pub fn server_now_ms(&self) -> i64 {
        time::now_ms() + self.skew_ms
    }
}

/// An HTTP client of one Weft server.
#[derive(Clone)]
pub(crate) struct Client {
    http: reqwest::Client,
    base: reqwest::Url,
    token: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the server at `url` (`http://host:port`, possibly with
    /// a path prefix).
    pub fn new(url: &str, token: Option<String>) -> Result<Client, ClientError> {
        let base = reqwest::Url::parse(url)
            .map_err(|e| ClientError::Config(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(ClientError::Config(format!(
                "{url:?} is not an http(s) URL such as http://127.0.0.1:7400"
            )));
        }
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| ClientError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(Client { http, base, token })
    }

    /// The URL of a path under the base, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> reqwest::Url {
        let mut url = self.base.clone();
        if let Ok(mut s) = url.path_segments_mut() {
            s.pop_if_empty().extend(segments);
        }
        url
    }

    /// POSTs `body`; returns the answer's JSON and the server's clock.
    async fn post(
        &self,
        segments: &[&str],
        body: &Value,
        timeout: Duration,
        auth: bool,
    ) -> Result<(Value, i64), ClientError> {
        let mut req = self
            .http
            .post(self.url(segments))
            .timeout(timeout)
            .json(body);
        if let (true, Some(t)) = (auth, &self.token) {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.map_err(|e| unreachable(&e))?;
        let status = resp.status();
        let server_now_ms = server_now(resp.headers().get(reqwest::header::DATE));
        let bytes = resp.bytes().await.map_err(|e| unreachable(&e))?;
        if !status.is_success() {
            return Err(api_error(status.as_u16(), &bytes));
        }
        let value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Invalid(e.to_string()))?
        };
        Ok((value, server_now_ms))
    }

    /// Leases up to `max` tasks of `activities`, waiting up to `wait`.
    pub async fn poll(
        &self,
        activities: &[String],
        worker: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Polled, ClientError> {
        let body = json!({
            "activities": activities,
            "worker": worker,
            "max": max,
            "waitMs": wait.as_millis() as u64,
        });
        let (v, server_now_ms) = self
            .post(
                &["v1", "tasks", "poll"],
                &body,
                wait + POLL_TIMEOUT_MARGIN,
                true,
            )
            .await?;
        let a: PollAnswer =
            serde_json::from_value(v).map_err(|e| ClientError::Invalid(e.to_string()))?;
        Ok(Polled {
            tasks: a.tasks,
            server_now_ms,
        })
    }

    /// Opens a task stream of `activities` holding at most `max`
    /// unreported tasks; `two_way` opens it with a body that stays open
    /// for reports, and gives back the handle to write them. An older
    /// server answers `404 no_such_path` (no streams) or `415
    /// unsupported_media_type` (no two-way streams).
    pub async fn open_stream(
        &self,
        activities: &[String],
        worker: &str,
        max: usize,
        two_way: bool,
    ) -> Result<(TaskStream, Option<ReportTx>), ClientError> {
        let terms = json!({ "activities": activities, "worker": worker, "max": max });
        // No timeout on the whole answer: it lasts as long as the stream.
        // Silence is watched line by line instead (`TaskStream::next`).
        let req = self.http.post(self.url(&["v1", "tasks", "stream"]));
        let (mut req, reports) = if two_way {
            let (body, tx) = ReportLines::new(&terms);
            let req = req
                .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
                .body(reqwest::Body::wrap(body));
            (req, Some(tx))
        } else {
            (req.json(&terms), None)
        };
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = tokio::time::timeout(REQUEST_TIMEOUT, req.send())
            .await
            .map_err(|_| {
                ClientError::Unreachable(format!(
                    "no answer to opening a task stream within {REQUEST_TIMEOUT:?}"
                ))
            })?
            .map_err(|e| unreachable(&e))?;
        let status = resp.status();
        if !status.is_success() {
            let bytes = resp.bytes().await.map_err(|e| unreachable(&e))?;
            return Err(api_error(status.as_u16(), &bytes));
        }
        let skew_ms = server_now(resp.headers().get(reqwest::header::DATE)) - time::now_ms();
        Ok((
            TaskStream {
                resp,
                buf: Vec::new(),
                skew_ms,
            },
            reports,
        ))
    }

    /// Reports a task's result.
    pub async fn complete(&self, task_id: &str, value: &Value) -> Result<(), ClientError> {
        self.post(
            &["v1", "tasks", task_id, "complete"],
            &json!({ "value": value }),
            REQUEST_TIMEOUT,
            true,
        )
        .await
        .map(drop)
    }

    /// Reports several tasks' results and failures in one request
    /// (`POST /v1/tasks/results`, at most 256 items, the server's
    /// `RESULTS_PER_REQUEST_MAX`, each `{taskId, value}` or `{taskId,
    /// error, retryable}`); answers each in order.
    pub async fn report_results(
        &self,
        items: &[Value],
    ) -> Result<Vec<Result<(), ClientError>>, ClientError> {
        let (v, _) = self
            .post(
                &["v1", "tasks", "results"],
                &json!({ "results": items }),
                REQUEST_TIMEOUT,
                true,
            )
            .await?;
        let answers = v["results"]
            .as_array()
            .filter(|a| a.len() == items.len())
            .ok_or_else(|| {
                ClientError::Invalid(format!(
                    "expected {} answers in `results`, got {}",
                    items.len(),
                    v["results"]
                        .as_array()
                        .map_or("none".to_string(), |a| a.len().to_string())
                ))
            })?;
        Ok(answers
            .iter()
            .map(|a| match a["status"].as_str() {
                Some("accepted") => Ok(()),
                _ => {
                    let code = a["error"]["code"].as_str().unwrap_or("http").to_string();
                    Err(ClientError::Api {
                        status: status_of(&code),
                        code,
                        message: a["error"]["message"]
                            .as_str()
                            .unwrap_or("rejected")
                            .to_string(),
                    })
                }
            })
            .collect())
    }

    /// Reports a task's failure.
    pub async fn fail(
        &self,
        task_id: &str,
        error: &str,
        retryable: bool,
    ) -> Result<(), ClientError> {
        self.post(
            &["v1", "tasks", task_id, "fail"],
            &json!({ "error": error, "retryable": retryable }),
            REQUEST_TIMEOUT,
            true,
        )
        .await
        .map(drop)
    }

    /// Extends a task's lease; returns how long the new lease lasts.
    pub async fn heartbeat(
        &self,
        task_id: &str,
        timeout: Duration,
    ) -> Result<Duration, ClientError> {
        let (v, server_now_ms) = self
            .post(
                &["v1", "tasks", task_id, "heartbeat"],
                &json!({}),
                timeout,
                true,
            )
            .await?;
        let a: HeartbeatAnswer =
            serde_json::from_value(v).map_err(|e| ClientError::Invalid(e.to_string()))?;
        Ok(lease_left(&a.deadline, server_now_ms))
    }

    /// Completes an awaited call (no bearer token: the callback token is
    /// the credential).
    pub async fn callback(&self, token: &str, value: &Value) -> Result<(), ClientError> {
        self.post(
            &["v1", "callbacks", token],
            &json!({ "value": value }),
            REQUEST_TIMEOUT,
            false,
        )
        .await
        .map(drop)
    }
}

fn unreachable(e: &reqwest::Error) -> ClientError {
    // reqwest's top-level message is terse ("error sending request"); the
    // sources say why (connection refused, timed out).
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let s_text = s.to_string();
        if !msg.contains(&s_text) {
            msg.push_str(": ");
            msg.push_str(&s_text);
        }
        src = s.source();
    }
    ClientError::Unreachable(msg)
}

/// The HTTP status the per-task endpoint answers with `code` (the codes a
/// result is rejected with), so that a rejected result is handled as the
/// same answer to `/complete` would be.
fn status_of(code: &str) -> u16 {
    match code {
        "unknown_task" => 404,
        "bad_request" => 400,
        _ => 503,
    }
}

fn api_error(status: u16, body: &[u8]) -> ClientError {
    #[derive(Deserialize)]
    struct Wire {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        code: String,
        message: String,
    }
    match serde_json::from_slice::<Wire>(body) {
        Ok(w) => ClientError::Api {
            status,
            code: w.error.code,
            message: w.error.message,
        },
        Err(_) => {
            let quoted = String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_QUOTED_MAX)]);
            ClientError::Api {
                status,
                code: "http".into(),
                message: quoted.trim().to_string(),
            }
        }
    }
}

/// Clocks further apart than this are corrected with the `Date` header.
const CLOCK_SKEW_TOLERATED_MS: i64 = 2_000;

/// The server's clock: the local one, unless the `Date` header shows the
/// two disagree (the header has whole seconds only, so the local clock is
/// the more precise when they agree).
fn server_now(date: Option<&reqwest::header::HeaderValue>) -> i64 {
    let local = time::now_ms();
    match date
        .and_then(|d| d.to_str().ok())
        .and_then(time::parse_http_date)
    {
        // The header is truncated to the second: its middle is nearest.
        Some(d) if (d + 500 - local).abs() > CLOCK_SKEW_TOLERATED_MS => d + 500,
        _ => local,
    }
}

/// Shortest lease the worker assumes (a deadline already past, say).
pub const LEASE_ASSUMED_MIN: Duration = Duration::from_millis(300);

/// The lease assumed when a deadline cannot be read (the server's default).
pub const LEASE_ASSUMED_DEFAULT: Duration = Duration::from_secs(30);

/// How long is left of a lease ending at `deadline` (RFC 3339).
pub(crate) fn lease_left(deadline: &str, server_now_ms: i64) -> Duration {
    match time::parse_rfc3339(deadline) {
        Some(d) => Duration::from_millis((d - server_now_ms).max(0) as u64).max(LEASE_ASSUMED_MIN),
        None => LEASE_ASSUMED_DEFAULT,
    }
}

//! The way in of a two-way task stream (`stream.rs`): a worker that opens
//! its stream with an `application/x-ndjson` body keeps that body open and
//! writes its reports down it, one `{"results": [...]}` line each (or
//! `{"heartbeats": [...]}`, or both in one line), while the server writes
//! tasks down the answer. A report then costs the
//! worker a line on a connection it already has, where
//! `POST /v1/tasks/results` costs a whole HTTP exchange.
//!
//! Lines are read and applied by the connection's own task, as the answer
//! is written: no hand-off to another task on the way in either. A report
//! line is applied as `POST /v1/tasks/results` would apply its body, and
//! is answered only when something in it is refused: a `{"rejected":
//! [...]}` line for results whose task is no longer open, an `{"error":
//! {...}}` line for a line that is not a well-formed report (nothing of it
//! applied; the stream goes on). A line longer than the server's body
//! limit ends the stream after its error line: the server cannot tell
//! where the next line starts without reading the rest of it.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;
use http_body::Body as _;
use serde_json::{json, Value};

use crate::error::{ApiError, Code, BODY_TIMEOUT_MESSAGE};
use crate::reported::Via;
use crate::state::AppState;

/// Report lines of one stream being applied at once, at most (they wait
/// for the store only in a cluster). Past it the stream stops reading its
/// body until one is done, and the worker's writes wait in the socket.
pub const STREAM_REPORTS_IN_FLIGHT_MAX: usize = 64;

/// Answer lines (refusals) of one stream waiting to be written, at most.
/// Past it the stream reads no more reports until the worker has read its
/// answers: a two-byte bad line earns a hundred-byte answer, and a worker
/// that writes without reading must not make the server hold them all.
pub const STREAM_ANSWERS_PENDING_MAX: usize = 64;

type Applying = Pin<Box<dyn Future<Output = Option<Bytes>> + Send>>;

/// The report side of one two-way stream.
pub(crate) struct Reports {
    s: AppState,
    /// The request body; `None` once it ended (the worker may still
    /// report through the other endpoints).
    body: Option<axum::body::Body>,
    buf: Vec<u8>,
    /// Longest line read, in bytes.
    line_max: usize,
    /// Lines read so far (to name a bad one).
    lines: u64,
    applying: Vec<Applying>,
    /// Lines to write to the worker before the next tasks.
    answers: VecDeque<Bytes>,
    /// A line could not be read: the stream ends once `answers` are out.
    broken: bool,
}

/// One line of a two-way stream's body, or why there is none.
enum Read {
    Line(Vec<u8>),
    /// The body ended (with nothing after its last newline).
    Ended,
    /// The line is longer than the limit.
    TooLong,
}

impl Reports {
    /// The report side of a stream whose body is `body`.
    pub(crate) fn new(s: AppState, body: axum::body::Body) -> Reports {
        Reports {
            line_max: s.body_limit,
            s,
            body: Some(body),
            buf: Vec::new(),
            lines: 0,
            applying: Vec::new(),
            answers: VecDeque::new(),
            broken: false,
        }
    }

    /// The body's first line: the stream's terms, as the JSON body of a
    /// one-way stream gives them.
    pub(crate) async fn terms(&mut self) -> Result<Vec<u8>, ApiError> {
        match std::future::poll_fn(|cx| self.poll_read(cx)).await {
            Ok(Read::Line(l)) => Ok(l),
            Ok(Read::Ended) => Err(ApiError::new(
                Code::InvalidBody,
                "a two-way task stream's body starts with a line of its terms: `{\"activities\": [...], \"worker\"?, \"max\"?}`",
            )),
            Ok(Read::TooLong) => Err(self.too_long()),
            Err(e) => Err(e),
        }
    }

    fn too_long(&self) -> ApiError {
        ApiError::new(
            Code::PayloadTooLarge,
            format!(
                "line {} of the task stream's body is over {} bytes (the server's body limit)",
                self.lines + 1,
                self.line_max
            ),
        )
    }

    /// Reads what has arrived, applies the report lines in it and collects
    /// the answers; call before writing the answer's next line. Registers
    /// `cx` with everything it waits on.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) {
        loop {
            while !self.broken
                && self.applying.len() < STREAM_REPORTS_IN_FLIGHT_MAX
                && self.answers.len() < STREAM_ANSWERS_PENDING_MAX
            {
                match self.poll_read(cx) {
                    Poll::Pending => break,
                    Poll::Ready(Ok(Read::Line(l))) => self.report(l),
                    Poll::Ready(Ok(Read::Ended)) => break,
                    Poll::Ready(Ok(Read::TooLong)) => {
                        let e = self.too_long();
                        self.answers.push_back(error_line(&e));
                        self.broken = true;
                    }
                    // The connection failed: its answer fails too.
                    Poll::Ready(Err(_)) => {
                        self.body = None;
                        break;
                    }
                }
            }
            let full = self.applying.len() >= STREAM_REPORTS_IN_FLIGHT_MAX;
            self.applying.retain_mut(|a| match a.as_mut().poll(cx) {
                Poll::Pending => true,
                Poll::Ready(answer) => {
                    self.answers.extend(answer);
                    false
                }
            });
            // Reading stopped at the cap and room was made: nothing else
            // would wake this stream to read on.
            if !(full && self.applying.len() < STREAM_REPORTS_IN_FLIGHT_MAX) {
                return;
            }
        }
    }

    /// The next line to write to the worker, if any.
    pub(crate) fn answer(&mut self) -> Option<Bytes> {
        self.answers.pop_front()
    }

    /// A line could not be read and every answer is out: end the stream.
    pub(crate) fn over(&self) -> bool {
        self.broken && self.answers.is_empty()
    }

    /// Starts applying one report line (blank lines are skipped).
    fn report(&mut self, text: Vec<u8>) {
        self.lines += 1;
        if text.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let n = self.lines;
        let read =
            crate::error::parse_json::<Value>(&text).and_then(|raw| crate::api::read_report(&raw));
        match read {
            Err(e) => {
                self.s.reported.bad_line();
                let e = ApiError::new(e.code, format!("report line {n}: {}", e.message));
                self.answers.push_back(error_line(&e));
            }
            Ok(report) => {
                let s = self.s.clone();
                // Polled with the others before `poll` returns; on one node
                // it is done at its first poll.
                self.applying.push(Box::pin(async move {
                    // Heartbeats first: a task whose result is in the same
                    // line is still open for them.
                    let beats = crate::api::apply_heartbeats(&s, report.heartbeats).await;
                    let results = match report.results {
                        Some(r) => crate::api::apply_results(&s, r, Via::Stream).await,
                        None => Vec::new(),
                    };
                    // Only refusals are answered: nothing is built for
                    // the accepted ones. A refused heartbeat says so: its
                    // task may still be running at the worker, which may
                    // stop it.
                    let refusals = |outcomes: Vec<(String, Option<ApiError>)>, beat: bool| {
                        outcomes.into_iter().filter_map(move |(id, refused)| {
                            refused.map(|e| {
                                let mut a = crate::api::result_answer(&id, Some(&e));
                                if beat {
                                    a["heartbeat"] = json!(true);
                                }
                                a
                            })
                        })
                    };
                    let rejected: Vec<Value> = refusals(beats, true)
                        .chain(refusals(results, false))
                        .collect();
                    (!rejected.is_empty()).then(|| line(&json!({ "rejected": rejected })))
                }));
            }
        }
    }

    /// The next whole line of the body.
    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Result<Read, ApiError>> {
        loop {
            if let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=nl).collect();
                line.pop();
                if line.len() > self.line_max {
                    return Poll::Ready(Ok(Read::TooLong));
                }
                return Poll::Ready(Ok(Read::Line(line)));
            }
            if self.buf.len() > self.line_max {
                return Poll::Ready(Ok(Read::TooLong));
            }
            let Some(body) = self.body.as_mut() else {
                return Poll::Ready(Ok(Read::Ended));
            };
            match Pin::new(body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.buf.extend_from_slice(&data);
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    self.body = None;
                    let e = e.to_string();
                    return Poll::Ready(Err(if e.contains(BODY_TIMEOUT_MESSAGE) {
                        ApiError::new(
                            Code::RequestTimeout,
                            format!(
                                "{BODY_TIMEOUT_MESSAGE}: a two-way task stream's first line must arrive within the server's body_read_timeout"
                            ),
                        )
                    } else {
                        ApiError::bad_request(format!(
                            "the task stream's body could not be read: {e}"
                        ))
                    }));
                }
                Poll::Ready(None) => {
                    self.body = None;
                    if self.buf.is_empty() {
                        return Poll::Ready(Ok(Read::Ended));
                    }
                    // A last line without its newline is a line.
                    return Poll::Ready(Ok(Read::Line(std::mem::take(&mut self.buf))));
                }
            }
        }
    }
}

/// `v` as one line of a stream's answer.
pub(crate) fn line(v: &Value) -> Bytes {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    b.into()
}

/// `{"error": {"code", "message"}}` as a line.
fn error_line(e: &ApiError) -> Bytes {
    line(&json!({"error": {"code": e.code.as_str(), "message": e.message}}))
}

//! `POST /v1/tasks/stream`: a worker's long-lived connection that tasks are
//! pushed down as they are leased, so a task reaches a waiting worker
//! without the worker asking again after each one (a poll costs an HTTP
//! exchange per hand-out). The answer is a chunked `application/x-ndjson`
//! body, one JSON object per line: `{"stream": {...}}` first, then
//! `{"tasks": [...]}` as tasks are leased and `{"heartbeat": "<time>"}`
//! every [`STREAM_HEARTBEAT`] without tasks. Results still go to
//! `POST /v1/tasks/results` (or the per-task endpoints), on another
//! connection: the standard libraries of Node and Python can read a
//! streamed answer but not write a body while reading one.
//!
//! Credit: a stream has at most `max` tasks its worker has not reported;
//! each report gives one back. A stream that closes (the worker went away,
//! or the server stops) gives its unreported tasks back at once, first in
//! line, instead of leaving them leased until their lease ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll as TaskPoll};
use std::time::Duration;

use axum::extract::{FromRequest, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::conn::BodyDeadline;
use crate::credit::{Credit, Streams};
use crate::error::{ApiError, Code, Json};
use crate::reports::{line, Reports};
use crate::state::{stopping, AppState};
use crate::tasks::Poll;

/// Task streams one server holds open at once, at most; one past it is
/// answered `503 too_many_streams` (the worker may poll instead).
pub const STREAMS_MAX: usize = 1_024;

/// Most unreported tasks one stream may hold (`max`).
pub const STREAM_TASKS_MAX: usize = 256;

/// A stream with no task to send sends a heartbeat line this often: the
/// worker learns the server is alive, and writing to a worker that is gone
/// ends the stream (and gives its tasks back).
pub const STREAM_HEARTBEAT: Duration = Duration::from_secs(5);

/// Holds one of [`STREAMS_MAX`] places while its stream is open.
struct Place(Arc<Streams>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.leave();
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct StreamBody {
    activities: Vec<String>,
    #[serde(default, deserialize_with = "some_string")]
    worker: Option<String>,
    max: Option<u64>,
}

fn some_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// `POST /v1/tasks/stream`: a JSON body opens a one-way stream; an
/// `application/x-ndjson` body whose first line is the same object opens a
/// two-way one, whose further lines are reports (`reports.rs`).
pub(crate) async fn open_stream(
    State(s): State<AppState>,
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    if !ndjson_content_type(req.headers()) {
        let Json(body) = Json::<StreamBody>::from_request(req, &s).await?;
        return open(s, body, None);
    }
    let deadline = req.extensions().get::<BodyDeadline>().cloned();
    let mut reports = Reports::new(s.clone(), req.into_body());
    // Refused, the rest of the body is left unread: the connection cannot
    // carry another request.
    let closing = |e: ApiError| ApiError { close: true, ..e };
    let terms = reports.terms().await.map_err(closing)?;
    let body: StreamBody = crate::error::parse_json(&terms).map_err(closing)?;
    // The terms came within the deadline; the reports come as long as the
    // stream lasts.
    if let Some(d) = deadline {
        d.lift();
    }
    open(s, body, Some(reports)).map_err(closing)
}

/// `application/x-ndjson`: the body of a two-way stream.
fn ndjson_content_type(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("application/x-ndjson"))
}

/// Opens the stream of `body`'s terms; `reports` reads a two-way stream's
/// report lines.
fn open(s: AppState, body: StreamBody, reports: Option<Reports>) -> Result<Response, ApiError> {
    let worker = crate::api::check_poller(&body.activities, body.worker)?;
    let max = body.max.unwrap_or(1);
    if !(1..=STREAM_TASKS_MAX as u64).contains(&max) {
        return Err(ApiError::bad_request(format!(
            "`max` must be from 1 to {STREAM_TASKS_MAX} (STREAM_TASKS_MAX), not {max}"
        )));
    }
    if !s.streams.enter(STREAMS_MAX) {
        return Err(ApiError::new(
            Code::TooManyStreams,
            format!(
                "the server has {STREAMS_MAX} task streams open (STREAMS_MAX); poll `/v1/tasks/poll` or close a stream"
            ),
        ));
    }
    let place = Place(s.streams.clone());
    crate::api::note_poller(&s, &worker, &body.activities);
    let mut terms = json!({
        "max": max,
        "heartbeatMs": STREAM_HEARTBEAT.as_millis() as u64,
    });
    if reports.is_some() {
        // Says this build reads heartbeats in report lines: a worker
        // sends them down the stream only then (an older server refuses
        // such a line).
        terms["heartbeatLines"] = json!(true);
    }
    let hello = line(&json!({ "stream": terms }));
    let feed = Box::new(Feed {
        stop: s.stopping.clone(),
        s,
        credit: Arc::new(Credit::default()),
        activities: body.activities,
        worker,
        max: max as usize,
        _place: place,
    });
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        axum::body::Body::new(Lines {
            hello: Some(hello),
            feed: Some(feed),
            next: None,
            reports,
        }),
    )
        .into_response())
}

/// One stream's state. It lives in the answer's body, so the connection's
/// own task leases and writes (no hand-off to another task on the way),
/// and the body dropped when the connection closes drops it, giving its
/// unreported tasks back.
struct Feed {
    s: AppState,
    stop: tokio::sync::watch::Receiver<bool>,
    credit: Arc<Credit>,
    activities: Vec<String>,
    worker: String,
    max: usize,
    _place: Place,
}

impl Feed {
    /// The next line to write: tasks as soon as some are leased within the
    /// credit, else a heartbeat after [`STREAM_HEARTBEAT`]; `None` once the
    /// server is stopping.
    async fn next_line(&mut self) -> Option<axum::body::Bytes> {
        let stop = stopping(self.stop.clone());
        tokio::pin!(stop);
        loop {
            let free = self.max.saturating_sub(self.credit.out().len());
            let leased = if free == 0 {
                tokio::select! {
                    () = self.credit.freed.notified() => continue,
                    () = tokio::time::sleep(STREAM_HEARTBEAT) => Vec::new(),
                    () = &mut stop => return None,
                }
            } else {
                let poll = Poll {
                    activities: &self.activities,
                    worker: &self.worker,
                    max: free,
                    wait: STREAM_HEARTBEAT,
                };
                // A poll that ends early leases nothing (see `poll_tasks`).
                tokio::select! {
                    l = self.s.queue.poll(&poll) => l,
                    () = &mut stop => return None,
                }
            };
            if leased.is_empty() {
                prune(&self.s, &self.credit).await;
                crate::api::note_poller(&self.s, &self.worker, &self.activities);
                let now = weft_runtime::runtime::now_ms();
                return Some(line(
                    &json!({"heartbeat": weft_engine::time::format_time(now)}),
                ));
            }
            // Registered before the line leaves: a worker may report at
            // once, and if the stream is dropped first, these go back.
            let ids: Vec<String> = leased.iter().map(|l| l.task_id.clone()).collect();
            self.s.streams.handed(&self.credit, &ids);
            let tasks: Vec<Value> = leased.iter().map(crate::api::task_json).collect();
            return Some(line(&json!({ "tasks": tasks })));
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        let ids: Vec<String> = self.credit.out().drain().collect();
        if ids.is_empty() {
            return;
        }
        self.s.streams.forget(&ids);
        tracing::info!(
            worker = %self.worker,
            tasks = ids.len(),
            "a task stream closed with unreported tasks; they were given back"
        );
        match &self.s.queue {
            crate::tasks::Tasks::Memory(q) => {
                for id in &ids {
                    q.give_back(id);
                }
            }
            // The store is written off the async threads; without a
            // runtime (the process is ending) the leases end on their own.
            shared => {
                if let Ok(rt) = tokio::runtime::Handle::try_current() {
                    let q = shared.clone();
                    rt.spawn(async move {
                        for id in &ids {
                            q.give_back(id).await;
                        }
                    });
                }
            }
        }
    }
}

/// Drops from the credit tasks that are no longer open (cancelled, timed
/// out, answered through a path that does not name this stream).
async fn prune(s: &AppState, credit: &Credit) {
    let ids: Vec<String> = credit.out().iter().cloned().collect();
    let mut gone = Vec::new();
    for id in ids {
        if !s.queue.is_open(&id).await {
            gone.push(id);
        }
    }
    if gone.is_empty() {
        return;
    }
    let mut out = credit.out();
    for id in &gone {
        out.remove(id);
    }
    drop(out);
    s.streams.forget(&gone);
}

type NextLine = Pin<Box<dyn Future<Output = (Box<Feed>, Option<axum::body::Bytes>)> + Send>>;

/// The streamed answer: the stream's terms, then each line its feed makes,
/// until the feed ends; on a two-way stream, the answers to its reports
/// go first.
struct Lines {
    hello: Option<axum::body::Bytes>,
    feed: Option<Box<Feed>>,
    next: Option<NextLine>,
    reports: Option<Reports>,
}

impl http_body::Body for Lines {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> TaskPoll<Option<Result<http_body::Frame<axum::body::Bytes>, Self::Error>>> {
        if let Some(h) = self.hello.take() {
            return TaskPoll::Ready(Some(Ok(http_body::Frame::data(h))));
        }
        if let Some(r) = self.reports.as_mut() {
            r.poll(cx);
            if let Some(a) = r.answer() {
                return TaskPoll::Ready(Some(Ok(http_body::Frame::data(a))));
            }
            if r.over() {
                // The feed is dropped with the answer: its tasks go back.
                return TaskPoll::Ready(None);
            }
        }
        if self.next.is_none() {
            let Some(mut feed) = self.feed.take() else {
                return TaskPoll::Ready(None);
            };
            self.next = Some(Box::pin(async move {
                let l = feed.next_line().await;
                (feed, l)
            }));
        }
        let next = self.next.as_mut().expect("set above");
        match next.as_mut().poll(cx) {
            TaskPoll::Pending => TaskPoll::Pending,
            TaskPoll::Ready((feed, l)) => {
                self.next = None;
                match l {
                    Some(b) => {
                        self.feed = Some(feed);
                        TaskPoll::Ready(Some(Ok(http_body::Frame::data(b))))
                    }
                    // The feed is dropped here: the stream is over.
                    None => TaskPoll::Ready(None),
                }
            }
        }
    }
}

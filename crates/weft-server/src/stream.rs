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

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll as TaskPoll};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::credit::{Credit, Streams};
use crate::error::{ApiError, Code, Json};
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

/// Lines waiting to be written to one stream's connection, at most: the
/// stream leases no more while the worker does not read.
const STREAM_LINES_BUFFERED: usize = 4;

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

/// `POST /v1/tasks/stream`.
pub(crate) async fn open_stream(
    State(s): State<AppState>,
    Json(body): Json<StreamBody>,
) -> Result<Response, ApiError> {
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
    let (tx, rx) = mpsc::channel(STREAM_LINES_BUFFERED);
    let hello = line(&json!({"stream": {
        "max": max,
        "heartbeatMs": STREAM_HEARTBEAT.as_millis() as u64,
    }}));
    // The channel has room: nothing else was sent yet.
    let _ = tx.try_send(hello);
    tokio::spawn(serve(s, place, tx, body.activities, worker, max as usize));
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        axum::body::Body::new(Lines(rx)),
    )
        .into_response())
}

fn line(v: &Value) -> axum::body::Bytes {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    b.into()
}

/// Leases tasks for one stream while it is open, within its credit.
async fn serve(
    s: AppState,
    _place: Place,
    tx: mpsc::Sender<axum::body::Bytes>,
    activities: Vec<String>,
    worker: String,
    max: usize,
) {
    let credit = Arc::new(Credit::default());
    let stop = stopping(s.stopping.clone());
    tokio::pin!(stop);
    loop {
        let free = max.saturating_sub(credit.out().len());
        let leased = if free == 0 {
            tokio::select! {
                () = credit.freed.notified() => continue,
                () = tokio::time::sleep(STREAM_HEARTBEAT) => Vec::new(),
                () = tx.closed() => break,
                () = &mut stop => break,
            }
        } else {
            let poll = Poll {
                activities: &activities,
                worker: &worker,
                max: free,
                wait: STREAM_HEARTBEAT,
            };
            // A poll that ends early leases nothing (see `poll_tasks`).
            tokio::select! {
                l = s.queue.poll(&poll) => l,
                () = tx.closed() => break,
                () = &mut stop => break,
            }
        };
        if leased.is_empty() {
            prune(&s, &credit).await;
            crate::api::note_poller(&s, &worker, &activities);
            let beat = json!({"heartbeat": weft_engine::time::format_time(
                weft_runtime::runtime::now_ms()
            )});
            if tx.send(line(&beat)).await.is_err() {
                break;
            }
            continue;
        }
        {
            let ids: Vec<String> = leased.iter().map(|l| l.task_id.clone()).collect();
            s.streams.handed(&credit, &ids);
        }
        let tasks: Vec<Value> = leased.iter().map(crate::api::task_json).collect();
        // Registered first: a worker may report before this returns, and
        // if the stream is gone the exit below gives these back.
        if tx.send(line(&json!({ "tasks": tasks }))).await.is_err() {
            break;
        }
    }
    let ids: Vec<String> = credit.out().drain().collect();
    s.streams.forget(&ids);
    for id in &ids {
        s.queue.give_back(id).await;
    }
    if !ids.is_empty() {
        tracing::info!(
            worker = %worker,
            tasks = ids.len(),
            "a task stream closed with unreported tasks; they were given back"
        );
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

/// The streamed answer: the lines the stream's task sends, until it ends.
/// Dropped when the connection closes, which ends that task.
struct Lines(mpsc::Receiver<axum::body::Bytes>);

impl http_body::Body for Lines {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> TaskPoll<Option<Result<http_body::Frame<axum::body::Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|b| b.map(|b| Ok(http_body::Frame::data(b))))
    }
}

//! The request body of a two-way task stream: the stream's terms, then a
//! `{"results": [...], "heartbeats": [...]}` line (each key only when it
//! has something) for whatever reports are ready each time the connection
//! can take more, so reports that come together go in one line (no timer:
//! a lone result goes at once). The body ends when every sender is dropped.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Frame;
use serde_json::Value;
use tokio::sync::mpsc;

/// Most results one report carries, in a request or a line (the server's
/// `RESULTS_PER_REQUEST_MAX`).
pub const RESULTS_PER_REQUEST_MAX: usize = 256;

/// Most heartbeats one line carries (the server's `HEARTBEATS_PER_LINE_MAX`).
pub const HEARTBEATS_PER_LINE_MAX: usize = 256;

/// What goes down a two-way stream after its terms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Report {
    /// A result as `POST /v1/tasks/results` takes it.
    Result(Value),
    /// The id of a task whose lease to extend (only on a server whose
    /// stream says `heartbeatLines`).
    Heartbeat(String),
}

/// Where a two-way stream's reports are written.
pub(crate) type ReportTx = mpsc::UnboundedSender<Report>;

/// The body: the terms line first, then report lines.
pub(crate) struct ReportLines {
    terms: Option<Bytes>,
    rx: mpsc::UnboundedReceiver<Report>,
}

impl ReportLines {
    /// A body that opens with `terms` and a handle to write reports down it.
    pub fn new(terms: &Value) -> (ReportLines, ReportTx) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut first = serde_json::to_vec(terms).unwrap_or_default();
        first.push(b'\n');
        (
            ReportLines {
                terms: Some(first.into()),
                rx,
            },
            tx,
        )
    }
}

impl http_body::Body for ReportLines {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(t) = self.terms.take() {
            return Poll::Ready(Some(Ok(Frame::data(t))));
        }
        let first = match self.rx.poll_recv(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(item)) => item,
        };
        let (mut results, mut beats) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        while let Some(item) = next {
            match item {
                Report::Result(v) => results.push(v),
                Report::Heartbeat(id) => beats.push(Value::String(id)),
            }
            if results.len() >= RESULTS_PER_REQUEST_MAX || beats.len() >= HEARTBEATS_PER_LINE_MAX {
                break;
            }
            next = self.rx.try_recv().ok();
        }
        let mut o = serde_json::Map::new();
        if !results.is_empty() {
            o.insert("results".into(), Value::Array(results));
        }
        if !beats.is_empty() {
            o.insert("heartbeats".into(), Value::Array(beats));
        }
        let mut line = serde_json::to_vec(&o).unwrap_or_default();
        line.push(b'\n');
        Poll::Ready(Some(Ok(Frame::data(line.into()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use serde_json::json;

    #[tokio::test]
    async fn the_terms_then_one_line_per_ready_batch_then_the_end() {
        let (mut body, tx) = ReportLines::new(&json!({"activities": ["A"]}));
        let frame = |f: Option<Result<Frame<Bytes>, _>>| {
            String::from_utf8(f.unwrap().unwrap().into_data().unwrap().to_vec()).unwrap()
        };
        assert_eq!(frame(body.frame().await), "{\"activities\":[\"A\"]}\n");
        tx.send(Report::Result(json!({"taskId": "a.1", "value": 1})))
            .unwrap();
        tx.send(Report::Result(
            json!({"taskId": "b.1", "error": "no", "retryable": false}),
        ))
        .unwrap();
        assert_eq!(
            frame(body.frame().await),
            "{\"results\":[{\"taskId\":\"a.1\",\"value\":1},{\"taskId\":\"b.1\",\"error\":\"no\",\"retryable\":false}]}\n"
        );
        tx.send(Report::Heartbeat("d.1".into())).unwrap();
        assert_eq!(
            frame(body.frame().await),
            "{\"heartbeats\":[\"d.1\"]}\n",
            "a heartbeat alone"
        );
        tx.send(Report::Heartbeat("d.1".into())).unwrap();
        tx.send(Report::Result(json!({"taskId": "c.1", "value": 3})))
            .unwrap();
        drop(tx);
        let both = frame(body.frame().await);
        assert!(both.ends_with('\n'), "{both}");
        assert_eq!(
            serde_json::from_str::<Value>(&both).unwrap(),
            json!({"results": [{"taskId": "c.1", "value": 3}], "heartbeats": ["d.1"]}),
            "both in one line"
        );
        assert!(
            body.frame().await.is_none(),
            "the body ends with its senders"
        );
    }
}

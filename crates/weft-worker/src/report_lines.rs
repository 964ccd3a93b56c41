//! The request body of a two-way task stream: the stream's terms, then a
//! `{"results": [...]}` line for whatever results are ready each time the
//! connection can take more, so results that finish together go in one
//! line (no timer: a lone result goes at once). The body ends when every
//! sender is dropped.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Frame;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// Most results one report carries, in a request or a line (the server's
/// `RESULTS_PER_REQUEST_MAX`).
pub const RESULTS_PER_REQUEST_MAX: usize = 256;

/// Where a two-way stream's reports are written: each item is a result as
/// `POST /v1/tasks/results` takes it.
pub(crate) type ReportTx = mpsc::UnboundedSender<Value>;

/// The body: the terms line first, then report lines.
pub(crate) struct ReportLines {
    terms: Option<Bytes>,
    rx: mpsc::UnboundedReceiver<Value>,
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
        let mut results = vec![first];
        while results.len() < RESULTS_PER_REQUEST_MAX {
            match self.rx.try_recv() {
                Ok(item) => results.push(item),
                Err(_) => break,
            }
        }
        let mut line = serde_json::to_vec(&json!({ "results": results })).unwrap_or_default();
        line.push(b'\n');
        Poll::Ready(Some(Ok(Frame::data(line.into()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn the_terms_then_one_line_per_ready_batch_then_the_end() {
        let (mut body, tx) = ReportLines::new(&json!({"activities": ["A"]}));
        let frame = |f: Option<Result<Frame<Bytes>, _>>| {
            String::from_utf8(f.unwrap().unwrap().into_data().unwrap().to_vec()).unwrap()
        };
        assert_eq!(frame(body.frame().await), "{\"activities\":[\"A\"]}\n");
        tx.send(json!({"taskId": "a.1", "value": 1})).unwrap();
        tx.send(json!({"taskId": "b.1", "error": "no", "retryable": false}))
            .unwrap();
        assert_eq!(
            frame(body.frame().await),
            "{\"results\":[{\"taskId\":\"a.1\",\"value\":1},{\"taskId\":\"b.1\",\"error\":\"no\",\"retryable\":false}]}\n"
        );
        tx.send(json!({"taskId": "c.1", "value": 3})).unwrap();
        drop(tx);
        assert_eq!(
            frame(body.frame().await),
            "{\"results\":[{\"taskId\":\"c.1\",\"value\":3}]}\n"
        );
        assert!(
            body.frame().await.is_none(),
            "the body ends with its senders"
        );
    }
}

//! What every source's loop shares: the sink, the cursors, the statuses,
//! and the stop signal; and handing a batch to the sink until it is taken.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::{
    limits, Context, Cursors, Error, IncomingEvent, IngestOutcome, Sink, SinkError, Statuses,
};

/// What every source's loop shares.
#[derive(Clone)]
pub struct Shared {
    /// Where events go.
    pub sink: Arc<dyn Sink>,
    /// Where pull sources keep cursors.
    pub cursors: Arc<dyn Cursors>,
    /// What each source did last.
    pub statuses: Statuses,
    /// The node.
    pub context: Context,
    /// Turns true when the server stops.
    pub stop: watch::Receiver<bool>,
}

impl Shared {
    /// Whether the server is stopping.
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Sleeps `d`, or less when the server stops; answers whether it stops.
    pub async fn sleep(&self, d: Duration) -> bool {
        let mut stop = self.stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = stop.wait_for(|s| *s) => {}
        }
        self.stopping()
    }

    /// Hands `events` to the sink until it takes them (backing off while
    /// the engine is away); `None` when the server stops first, and the
    /// events must then stay unacknowledged.
    pub async fn deliver(&self, source: &str, events: Vec<IncomingEvent>) -> Option<IngestOutcome> {
        if events.is_empty() {
            return Some(IngestOutcome::default());
        }
        match self.offer(source, events.clone()).await? {
            Ok(outcome) => Some(outcome),
            Err(_) if events.len() > 1 => {
                // Some event of the batch is refused: the others go alone.
                let mut total = IngestOutcome::default();
                for event in events {
                    if let Ok(o) = self.offer(source, vec![event]).await? {
                        total.accepted += o.accepted;
                        total.duplicates += o.duplicates;
                    }
                }
                Some(total)
            }
            Err(_) => Some(IngestOutcome::default()),
        }
    }

    /// Offers `events` until the engine takes or refuses them; `None` when
    /// the server stops first. A refusal is reported and answered as
    /// `Err(())`.
    async fn offer(
        &self,
        source: &str,
        events: Vec<IncomingEvent>,
    ) -> Option<Result<IngestOutcome, ()>> {
        let mut wait = limits::BACKOFF_MIN;
        loop {
            match self.sink.ingest(events.clone()).await {
                Ok(outcome) => {
                    self.statuses.ingested(source, outcome);
                    return Some(Ok(outcome));
                }
                Err(SinkError::Rejected(e)) => {
                    if let [one] = events.as_slice() {
                        tracing::error!(source, event = %one.id, error = %e, "the engine refuses the event; it is acknowledged without a run");
                        self.statuses
                            .failed(source, &format!("event {} refused: {e}", one.id));
                    }
                    return Some(Err(()));
                }
                Err(e) => {
                    tracing::warn!(source, error = %e, "the engine did not take the events; trying again");
                    self.statuses.failed(source, &format!("engine: {e}"));
                }
            }
            if self.sleep(wait).await {
                return None;
            }
            wait = limits::next_backoff(wait);
        }
    }

    /// Reads the source's cursor off the async threads.
    pub async fn cursor(&self, source: &str) -> Result<Option<String>, Error> {
        let cursors = self.cursors.clone();
        let name = source.to_string();
        tokio::task::spawn_blocking(move || cursors.get(&name))
            .await
            .map_err(|e| Error::Cursor(e.to_string()))?
            .map_err(Error::Cursor)
    }

    /// Advances the source's cursor from `from` to `to` off the async
    /// threads; answers whether this node moved it.
    pub async fn advance(
        &self,
        source: &str,
        from: Option<String>,
        to: String,
    ) -> Result<bool, Error> {
        if to.len() > limits::CURSOR_BYTES_MAX {
            return Err(Error::Read(format!(
                "the cursor is {} bytes, over CURSOR_BYTES_MAX ({})",
                to.len(),
                limits::CURSOR_BYTES_MAX
            )));
        }
        let cursors = self.cursors.clone();
        let name = source.to_string();
        tokio::task::spawn_blocking(move || cursors.advance(&name, from.as_deref(), &to))
            .await
            .map_err(|e| Error::Cursor(e.to_string()))?
            .map_err(Error::Cursor)
    }
}

//! Runs the configured sources: one task each, restarted after a back-off
//! when its system fails, until the server stops.

use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Kind, SourceConfig};
pub use crate::shared::Shared;
use crate::{limits, Context, Cursors, Sink, Statuses};

/// The running sources of a node.
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// What each source did last.
    pub statuses: Statuses,
}

impl Running {
    /// Stops every source and waits for their loops to end (what they
    /// read and did not hand over stays unacknowledged).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

impl Running {
    /// Ends every source's task where it stands, as a crash would: what
    /// was read and not yet acknowledged stays unacknowledged (tests).
    pub fn abort(self) {
        for t in self.tasks {
            t.abort();
        }
    }
}

/// Starts one task per source on the current tokio runtime.
pub fn spawn(
    sources: Vec<SourceConfig>,
    context: Context,
    sink: Arc<dyn Sink>,
    cursors: Arc<dyn Cursors>,
) -> Running {
    let (stop_tx, stop_rx) = watch::channel(false);
    let statuses = Statuses::default();
    let shared = Shared {
        sink,
        cursors,
        statuses: statuses.clone(),
        context,
        stop: stop_rx,
    };
    let tasks = sources
        .into_iter()
        .map(|config| {
            let shared = shared.clone();
            shared.statuses.update(&config.name, |s| {
                s.kind = config.kind.name().to_string();
            });
            tokio::spawn(supervise(config, shared))
        })
        .collect();
    Running {
        stop: stop_tx,
        tasks,
        statuses,
    }
}

/// Runs one source until the server stops, starting it again after a
/// back-off whenever it fails.
pub async fn supervise(config: SourceConfig, shared: Shared) {
    let mut wait = limits::BACKOFF_MIN;
    while !shared.stopping() {
        let started = std::time::Instant::now();
        let result = match &config.kind {
            Kind::Http { .. } => crate::http::run(&config, &shared).await,
            Kind::Postgres { .. } => crate::postgres::run(&config, &shared).await,
            Kind::Nats { .. } => crate::nats::run(&config, &shared).await,
            Kind::Redis { .. } => crate::redis::run(&config, &shared).await,
        };
        match result {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(source = %config.name, error = %e, "source failed; starting it again");
                shared.statuses.failed(&config.name, &e.to_string());
            }
        }
        // A source that ran a while before failing starts over quickly.
        if started.elapsed() > limits::BACKOFF_MAX {
            wait = limits::BACKOFF_MIN;
        }
        if shared.sleep(wait).await {
            return;
        }
        wait = limits::next_backoff(wait);
    }
}

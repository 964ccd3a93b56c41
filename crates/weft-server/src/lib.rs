//! Weft as a service: `weft serve`.
//!
//! * [`api`]: the HTTP API (deploy, start, inspect, repair, callbacks, tasks).
//! * [`queue`]: the pull queue workers in any language poll, with leases.
//! * [`dispatch`]: where calls go: push endpoints, the demo, or the queue.
//! * [`config`]: flags and the TOML file; refuses unsafe setups.
//! * [`metrics`], [`openapi`]: `/metrics` and `/v1/openapi.json`.
//! * [`ui`]: the web UI at `/`, and the diagrams of [`graph`] it shows.
//!
//! Only this crate knows HTTP request and response types.

pub mod api;
pub mod config;
pub mod demo;
pub mod dispatch;
pub mod error;
pub mod graph;
pub mod metrics;
pub mod openapi;
pub mod queue;
pub mod ui;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use weft_runtime::{Dispatcher, HostError, Runtime};
use weft_store::Store;

pub use config::Config;

/// How often expired leases are looked for.
pub const LEASE_SWEEP: Duration = Duration::from_secs(1);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {message}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        message: String,
    },
    /// The engine could not start.
    #[error("the engine could not start: {0}")]
    Runtime(#[from] HostError),
}

/// A running server.
pub struct Server {
    /// Where it listens (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The engine.
    pub runtime: Runtime,
    stop: Option<oneshot::Sender<()>>,
    http: tokio::task::JoinHandle<()>,
    sweeper: tokio::task::JoinHandle<()>,
}

/// Starts the server on `store`; returns once it listens.
pub async fn start(config: Config, store: Arc<dyn Store>) -> Result<Server, ServeError> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServeError::Bind {
            addr: config.listen,
            message: e.to_string(),
        })?;
    let addr = listener.local_addr().map_err(|e| ServeError::Bind {
        addr: config.listen,
        message: e.to_string(),
    })?;
    let rt = tokio::runtime::Handle::current();
    let queue = Arc::new(queue::Queue::new(config.lease));
    let demo_activities = config.demo.then(|| {
        Arc::new(demo::Activities::new(
            store.clone(),
            queue.clone(),
            rt.clone(),
        ))
    });
    let demo: Option<Arc<dyn Dispatcher>> =
        demo_activities.clone().map(|d| d as Arc<dyn Dispatcher>);
    let router = dispatch::Router {
        push: dispatch::Push::new(config.push.clone(), rt.clone()),
        queue: queue.clone(),
        demo,
    };
    let runtime = tokio::task::spawn_blocking({
        let store = store.clone();
        move || Runtime::start(store, Arc::new(router))
    })
    .await
    .map_err(|e| HostError::Store(weft_store::StoreError::Io(e.to_string())))??;
    if let Some(d) = &demo_activities {
        let _ = d.runtime_cell().set(runtime.clone());
        demo::start(runtime.clone()).await?;
    }
    let state = api::AppState {
        runtime: runtime.clone(),
        queue: queue.clone(),
        token: config.token.as_deref().map(Arc::from),
    };
    let app = api::router(state, config.body_limit_bytes);
    let (stop, stopped) = oneshot::channel::<()>();
    let http = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            eprintln!("weft: the HTTP server stopped: {e}");
        }
    });
    let sweeper = tokio::spawn(async move {
        let mut tick = tokio::time::interval(LEASE_SWEEP);
        loop {
            tick.tick().await;
            queue.expire_leases();
        }
    });
    Ok(Server {
        addr,
        runtime,
        stop: Some(stop),
        http,
        sweeper,
    })
}

impl Server {
    /// Stops taking requests, lets requests in progress finish, commits
    /// what is pending and stops the engine.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.http).await;
        self.sweeper.abort();
        let runtime = self.runtime.clone();
        let _ = tokio::task::spawn_blocking(move || runtime.shutdown()).await;
    }
}

/// Waits for SIGTERM or Ctrl-C.
pub async fn terminated() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

//! Weft as a service: `weft serve`.
//!
//! * [`router`]: which handler answers which route, and the bearer token;
//!   the handlers share [`state::AppState`].
//! * [`api`]: the HTTP API (deploy, start, inspect, repair, callbacks, tasks).
//! * [`queue`]: the pull queue workers in any language poll, with leases;
//!   [`tasks`]: that queue, or a cluster's in the shared store.
//! * [`dispatch`]: where calls go: push endpoints ([`push`]), `@http` and
//!   `@grpc` bindings ([`bindings`]), the demo, or the queue; [`endpoint`] reads
//!   what an endpoint answered.
//! * [`placement`]: the deployment plan (`--plan`): embedded Wasm
//!   components, placements, and the limits of the calls the server makes.
//! * [`config`]: flags and the TOML file; refuses unsafe setups.
//! * [`conn`]: the accept loop and HTTP/1.1 connections, with the
//!   timeouts and caps of [`limits`]; [`health`]: `/healthz`, `/readyz`.
//! * [`error`]: the error answers and their codes; [`strict_json`]: JSON
//!   bodies that give a key twice are refused.
//! * [`metrics`], [`openapi`]: `/metrics` and `/v1/openapi.json`.
//! * [`ui`]: the web UI at `/`, and the diagrams of [`graph`] it shows.
//!
//! This is the only crate that serves HTTP. It also calls push and `@http`
//! endpoints, and `@grpc` methods (through `weft-grpc`); the worker SDK and
//! the CLI are the other HTTP clients
//! (ARCHITECTURE.md, "HTTP at the edges").

pub mod api;
pub mod audit;
pub mod bindings;
pub mod config;
pub mod conn;
pub mod credit;
pub mod demo;
pub mod dispatch;
pub mod endpoint;
pub mod error;
pub mod events;
pub mod graph;
pub mod health;
pub mod limits;
pub mod machines;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod placement;
pub mod push;
pub mod queue;
pub mod reported;
pub mod reports;
pub mod router;
pub mod search;
pub mod sources;
pub mod state;
pub mod stream;
pub mod strict_json;
pub mod tasks;
pub mod ui;
pub mod workers;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use weft_runtime::{HostError, Runtime};
use weft_store::{ClusterStore, Store};

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
    /// The deployment plan could not be used.
    #[error(transparent)]
    Plan(#[from] placement::PlanError),
}

/// A running server.
pub struct Server {
    /// Where it listens (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The engine.
    pub runtime: Runtime,
    /// The open connections.
    pub connections: Arc<conn::Connections>,
    /// Tells handlers holding requests open (long polls, waits) to answer,
    /// and the accept loop to stop.
    stopping: tokio::sync::watch::Sender<bool>,
    sources: Option<weft_sources::Running>,
    http: tokio::task::JoinHandle<()>,
    sweeper: tokio::task::JoinHandle<()>,
}

async fn bind(config: &Config) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
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
    Ok((listener, addr))
}

/// Starts the server on `store`; returns once it listens.
pub async fn start(config: Config, store: Arc<dyn Store>) -> Result<Server, ServeError> {
    let (listener, addr) = bind(&config).await?;
    let rt = tokio::runtime::Handle::current();
    let queue = Arc::new(queue::Queue::new(config.lease));
    let demo_activities = config.demo.then(|| {
        Arc::new(demo::Activities::new(
            store.clone(),
            queue.clone(),
            rt.clone(),
        ))
    });
    let bindings = Arc::new(bindings::Bindings::default());
    tokio::task::spawn_blocking({
        let (store, bindings) = (store.clone(), bindings.clone());
        move || bindings.refresh(store.as_ref())
    })
    .await
    .map_err(|e| HostError::Store(weft_store::StoreError::Io(e.to_string())))?
    .map_err(HostError::Store)?;
    let workers = Arc::new(
        workers::Workers::new(weft_runtime::runtime::now_ms(), config.poller_stale, None)
            .with_push(config.push.keys().cloned()),
    );
    let plan = match &config.plan {
        Some(path) => {
            let cache = config
                .wasm_cache
                .clone()
                .unwrap_or_else(|| config.data.join(WASM_CACHE_DIR));
            let path = path.clone();
            Some(
                tokio::task::spawn_blocking(move || placement::Loaded::load(&path, Some(cache)))
                    .await
                    .map_err(|e| HostError::Store(weft_store::StoreError::Io(e.to_string())))??,
            )
        }
        None => None,
    };
    let placements = Arc::new(placement::Placements::new(plan));
    let router = dispatch::Router {
        push: Arc::new(
            push::Push::new(config.push.clone(), rt.clone()).with_health(workers.clone()),
        ),
        http: Arc::new(
            bindings::Direct::new(bindings.clone(), rt.clone()).with_health(workers.clone()),
        ),
        queue: queue.clone(),
        demo: demo_activities.clone(),
        placements: placements.clone(),
        rt: rt.clone(),
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
    let sweeper = tokio::spawn({
        let queue = queue.clone();
        async move {
            let mut tick = tokio::time::interval(LEASE_SWEEP);
            loop {
                tick.tick().await;
                queue.expire_leases();
            }
        }
    });
    Ok(serve(
        config,
        listener,
        addr,
        runtime,
        tasks::Tasks::Memory(queue),
        sweeper,
        bindings,
        workers,
        placements,
    ))
}

/// Where compiled Wasm components are kept, in the data directory.
pub const WASM_CACHE_DIR: &str = "wasm-cache";

/// Starts one node of a cluster on a store the nodes share (see
/// `weft_store::cluster`): any node takes API calls and worker polls, and
/// a node that dies leaves its runs and tasks to the others.
pub async fn start_cluster(
    config: Config,
    store: Arc<dyn ClusterStore>,
    node: String,
) -> Result<Server, ServeError> {
    if config.demo {
        return Err(ServeError::Runtime(HostError::Store(
            weft_store::StoreError::Io("the demo runs on the embedded store only".into()),
        )));
    }
    if let Some(p) = &config.plan {
        return Err(ServeError::Plan(placement::PlanError::Read {
            path: p.display().to_string(),
            message: "a deployment plan works on the embedded store only so far; drop --plan (or --database)".into(),
        }));
    }
    let (listener, addr) = bind(&config).await?;
    let cluster = weft_runtime::host::Cluster {
        store: store.clone(),
        node: node.clone(),
        lease_ms: CLUSTER_LEASE.as_millis() as i64,
    };
    let runtime = tokio::task::spawn_blocking(move || {
        Runtime::start_cluster(cluster, Arc::new(dispatch::InStore))
    })
    .await
    .map_err(|e| HostError::Store(weft_store::StoreError::Io(e.to_string())))??;
    let shared = Arc::new(tasks::SharedQueue::new(
        store.clone(),
        node.clone(),
        runtime.results(),
        config.lease,
    ));
    // This node's share of push, `@http` and `@grpc` activities: leased from the
    // store like a worker would, so a dead node's requests go to another
    // node.
    let bindings = Arc::new(bindings::Bindings::default());
    let workers = Arc::new(
        workers::Workers::new(
            weft_runtime::runtime::now_ms(),
            config.poller_stale,
            Some((store.clone(), node.clone())),
        )
        .with_push(config.push.keys().cloned()),
    );
    let pusher = tokio::spawn(dispatch::push_loop(
        store,
        push::Push::new(config.push.clone(), tokio::runtime::Handle::current())
            .with_health(workers.clone()),
        bindings::Direct::new(bindings.clone(), tokio::runtime::Handle::current())
            .with_health(workers.clone()),
        runtime.results(),
        node,
    ));
    Ok(serve(
        config,
        listener,
        addr,
        runtime,
        tasks::Tasks::Shared(shared),
        pusher,
        bindings,
        workers,
        Arc::new(placement::Placements::default()),
    ))
}

/// How long a node's claim on a run lasts without renewal: a dead node's
/// runs pass to the others after this.
pub const CLUSTER_LEASE: Duration = Duration::from_secs(10);

// The parts of a server, as `start` and `start_cluster` make them.
#[allow(clippy::too_many_arguments)]
fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    runtime: Runtime,
    queue: tasks::Tasks,
    sweeper: tokio::task::JoinHandle<()>,
    bindings: Arc<bindings::Bindings>,
    workers: Arc<workers::Workers>,
    placements: Arc<placement::Placements>,
) -> Server {
    let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
    let connections = conn::connections(&config.http);
    let sources = sources::start(&config, &runtime);
    let state = state::AppState {
        runtime: runtime.clone(),
        queue,
        token: config.token.as_deref().map(Arc::from),
        stopping: stopping_rx.clone(),
        bindings,
        workers,
        connections: connections.clone(),
        placements,
        streams: Default::default(),
        reported: Default::default(),
        sources: sources
            .as_ref()
            .map(|s| s.statuses.clone())
            .unwrap_or_default(),
        body_limit: config.body_limit_bytes,
    };
    let app = router::router(state, config.body_limit_bytes);
    let http = tokio::spawn(conn::serve(
        listener,
        app,
        config.http.clone(),
        stopping_rx,
        connections.clone(),
    ));
    Server {
        addr,
        runtime,
        connections,
        stopping,
        sources,
        http,
        sweeper,
    }
}

impl Server {
    /// Stops taking requests, closes idle connections, lets requests in
    /// progress finish for [`limits::Http::shutdown_grace`] (long polls and
    /// waits answer at once), commits what is pending and stops the engine.
    pub async fn shutdown(mut self) {
        // Long polls and long waits answer at once: they have nothing to
        // finish, and would otherwise hold the server up.
        self.stopping.send_replace(true);
        // Sources stop first: what they read and did not hand over stays
        // unacknowledged, for the next start (or another node).
        if let Some(sources) = self.sources.take() {
            sources.stop().await;
        }
        let _ = (&mut self.http).await;
        self.sweeper.abort();
        let runtime = self.runtime.clone();
        let _ = tokio::task::spawn_blocking(move || runtime.shutdown()).await;
    }
}

/// Waits for SIGTERM or Ctrl-C. The handlers are installed when this is
/// called, not when the future is first polled: a signal that arrives
/// between the call and the wait still stops the server gracefully.
pub fn terminated() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

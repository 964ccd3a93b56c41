//! `weft bench --url U[,U...]`: the standard workload over HTTP, against
//! running servers (one, or the nodes of a cluster).
//!
//! C clients start `order` runs with `POST /v1/runs {wait}`, spread
//! round-robin over the URLs, and check each result; the activities are
//! answered by pull workers in this process (one per URL), so the servers
//! do only what they do in production: HTTP, the engine and the store.
//! Latency is measured from the start request to its answer with the
//! finished run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::bench::{Figures, ORDER_FLOW};

/// How long one run may take before the bench calls it a failure.
pub const RUN_WAIT: &str = "60s";

/// What the HTTP bench needs.
pub struct Options {
    /// The servers.
    pub urls: Vec<String>,
    /// Runs to measure.
    pub runs: usize,
    /// Concurrent clients.
    pub concurrency: usize,
    /// Tasks in flight per worker (one worker per URL).
    pub worker_concurrency: usize,
    /// The bearer token, if the servers need one.
    pub token: Option<String>,
}

/// Runs the workload; the fsync figure is this machine's temporary folder
/// (the servers' disk when they run here, which is how we bench).
pub fn run(o: Options) -> anyhow::Result<Figures> {
    if o.runs == 0 || o.concurrency == 0 || o.urls.is_empty() {
        bail!("--runs and --concurrency must be at least 1, and --url names at least one server");
    }
    let fsync = crate::bench::fsync_p50_ms(&std::env::temp_dir(), 200)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(o.concurrency + 8)
            .build()
            .context("cannot build the HTTP client")?;
        let auth = |r: reqwest::RequestBuilder| match &o.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        };
        let deploy = auth(http.post(format!("{}/v1/flows", o.urls[0])))
            .json(&json!({"source": ORDER_FLOW}))
            .send()
            .await
            .with_context(|| format!("cannot reach {}", o.urls[0]))?;
        if !deploy.status().is_success() {
            let status = deploy.status();
            bail!(
                "deploying the bench flow to {} failed: {status} {}",
                o.urls[0],
                deploy.text().await.unwrap_or_default()
            );
        }
        let mut shutdowns = Vec::new();
        let mut workers = Vec::new();
        for (i, url) in o.urls.iter().enumerate() {
            let mut w = weft_worker::Worker::new(url.clone())
                .name(format!("bench-{}-{i}", std::process::id()))
                .concurrency(o.worker_concurrency)
                .logger(weft_worker::stderr_logger(weft_worker::Level::Warn));
            if let Some(t) = &o.token {
                w = w.token(t.clone());
            }
            for name in ["reserve", "charge", "ship"] {
                w = w.activity(name, move |_ctx, args: Value| async move {
                    Ok(crate::bench::answer(name, &args))
                });
            }
            shutdowns.push(w.shutdown_handle());
            workers.push(tokio::spawn(w.run_until(std::future::pending())));
        }
        let clients = Clients {
            http: http.clone(),
            urls: o.urls.clone(),
            token: o.token.clone(),
        };
        // Warm up: connections, the compiled program, the store's caches.
        clients
            .drive((o.concurrency * 4).min(500), o.concurrency, "warm")
            .await?;
        let t = Instant::now();
        let mut latencies_ms = clients.drive(o.runs, o.concurrency, "run").await?;
        let elapsed = t.elapsed();
        latencies_ms.sort_by(|a, b| a.total_cmp(b));
        for s in &shutdowns {
            s.shutdown();
        }
        for w in workers {
            if let Ok(Err(e)) = w.await {
                eprintln!("weft bench: a worker stopped with an error: {e}");
            }
        }
        anyhow::Ok(Figures {
            runs: o.runs,
            concurrency: o.concurrency,
            elapsed,
            latencies_ms,
            fsync_p50_ms: fsync,
            batches: 0,
            transactions: 0,
            commit_mean_ms: 0.0,
            batch_mean_writes: 0.0,
            // The journal is the servers'.
            journal_bytes_per_step: 0.0,
        })
    })
}

#[derive(Clone)]
struct Clients {
    http: reqwest::Client,
    urls: Vec<String>,
    token: Option<String>,
}

impl Clients {
    /// `concurrency` clients start runs back to back until `runs` completed;
    /// client k talks to server k mod n.
    async fn drive(&self, runs: usize, concurrency: usize, tag: &str) -> anyhow::Result<Vec<f64>> {
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        // One unique prefix per bench, so a second bench against the same
        // servers never collides with the first one's idempotency keys.
        let bench = format!("{}-{}", std::process::id(), crate::bench::unix_ms());
        for k in 0..concurrency {
            let me = self.clone();
            let next = next.clone();
            let url = format!("{}/v1/runs", self.urls[k % self.urls.len()]);
            let prefix = format!("{tag}-{bench}");
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= runs {
                        return anyhow::Ok(lat);
                    }
                    let id = format!("{prefix}-{i}");
                    let t = Instant::now();
                    let run = me.start_and_wait(&url, &id).await?;
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    let tracking = run["result"]["shipped"]["tracking"]
                        .as_str()
                        .unwrap_or_default();
                    if tracking != format!("T-{id}") {
                        bail!(
                            "run {} of order {id} ended {} with {}",
                            run["id"],
                            run["status"],
                            run["result"]
                        );
                    }
                }
            }));
        }
        let mut all = Vec::with_capacity(runs);
        for t in tasks {
            all.extend(t.await.context("a bench client panicked")??);
        }
        Ok(all)
    }

    async fn start_and_wait(&self, url: &str, id: &str) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .post(url)
            .timeout(Duration::from_secs(90))
            .json(&json!({"flow": "order", "input": {"id": id}, "wait": RUN_WAIT}));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("POST {url} (order {id})"))?;
        let status = resp.status();
        let body: Value = resp
            .json()
            .await
            .with_context(|| format!("POST {url} (order {id}): the answer is not JSON"))?;
        if !status.is_success() {
            bail!("POST {url} (order {id}): {status} {body}");
        }
        Ok(body)
    }
}

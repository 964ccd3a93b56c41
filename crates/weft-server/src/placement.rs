//! The deployment plan in the server (`docs/deploying.md`): where the
//! activities it places run, embedded Wasm components loaded once at
//! start, and the limits of the calls the server makes itself.
//!
//! [`Limiter`]s count every call the server makes (embedded, push,
//! bindings), with or without a plan: waiting for a slot or the rate is
//! *ready*, being called is *in flight*; `/metrics` and `GET
//! /v1/activities` show them beside the pull queue's figures.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use weft_engine::state::Task;
use weft_plan::{Place, Plan, Target};
use weft_runtime::ResultSink;
use weft_store::SourceText;

/// The longest attempt of an embedded call without `@timeout`, when the
/// plan sets no `timeout`.
pub const WASM_TIMEOUT_DEFAULT: Duration = Duration::from_secs(30);

/// A plan, read and checked, with its embedded components loaded.
pub struct Loaded {
    /// The plan.
    pub plan: Plan,
    /// The file, as messages name it.
    pub name: String,
    /// Its text (diagnostics point into it).
    pub text: String,
    /// The component of each embedded placement, by placement index.
    components: HashMap<usize, weft_wasm::Component>,
    /// Placement of each activity seen so far (patterns are matched once
    /// per name).
    resolved: RwLock<HashMap<String, Option<usize>>>,
}

/// Why a plan could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The file could not be read.
    #[error("cannot read the plan {path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The plan has errors (rendered diagnostics).
    #[error("the plan {path} has errors:\n{rendered}")]
    Invalid {
        /// The file.
        path: String,
        /// The diagnostics as a terminal shows them.
        rendered: String,
    },
    /// A component could not be loaded.
    #[error(transparent)]
    Component(#[from] weft_wasm::LoadError),
}

impl Loaded {
    /// Reads the plan in `path`, checks it on its own, and loads its
    /// components (relative to the plan's folder), compiled into
    /// `cache_dir` when given.
    pub fn load(path: &Path, cache_dir: Option<PathBuf>) -> Result<Loaded, PlanError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PlanError::Read {
            path: name.clone(),
            message: e.to_string(),
        })?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let (plan, diags) = weft_plan::check_text(&text, None, &|c| dir.join(c).is_file());
        if diags.iter().any(|d| d.is_error()) {
            let index = weft_syntax::LineIndex::new(&text);
            let rendered = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| weft_syntax::diagnostic::render(&name, &text, &index, d))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(PlanError::Invalid {
                path: name,
                rendered,
            });
        }
        let mut components = HashMap::new();
        let host = plan
            .places
            .iter()
            .any(|p| matches!(p.target, Target::Wasm { .. }))
            .then(|| weft_wasm::Host::new(cache_dir))
            .transpose()?;
        let mut by_file: HashMap<PathBuf, weft_wasm::Component> = HashMap::new();
        for (i, place) in plan.places.iter().enumerate() {
            let (Some(host), Target::Wasm { component, .. }) = (&host, &place.target) else {
                continue;
            };
            let file = dir.join(component);
            let limits = place.limits.or(&plan.defaults);
            let loaded = match by_file.get(&file) {
                Some(c) => c.clone(),
                None => {
                    let c = host.load(
                        &file,
                        weft_wasm::Limits {
                            memory_bytes_max: limits
                                .memory_bytes
                                .unwrap_or(weft_wasm::MEMORY_BYTES_DEFAULT),
                            pool_idle_max: limits
                                .concurrency
                                .map_or(weft_wasm::POOL_IDLE_MAX, |c| c as usize)
                                .min(weft_wasm::POOL_IDLE_MAX),
                        },
                    )?;
                    by_file.insert(file, c.clone());
                    c
                }
            };
            components.insert(i, loaded);
        }
        Ok(Loaded {
            plan,
            name,
            text,
            components,
            resolved: RwLock::new(HashMap::new()),
        })
    }

    /// The placement of `activity`, if the plan has one.
    pub fn place(&self, activity: &str) -> Option<(usize, &Place)> {
        let known = self
            .resolved
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(activity)
            .copied();
        let index = match known {
            Some(i) => i,
            None => {
                let i = self.plan.place_of(activity).map(|(i, _)| i);
                let mut map = self.resolved.write().unwrap_or_else(|e| e.into_inner());
                // Names come from deployed programs, so the map stays as
                // small as the programs; the bound only guards memory.
                if map.len() < RESOLVED_MAX {
                    map.insert(activity.to_string(), i);
                }
                i
            }
        };
        index.map(|i| (i, &self.plan.places[i]))
    }

    /// The component of embedded placement `index`.
    pub fn component(&self, index: usize) -> Option<&weft_wasm::Component> {
        self.components.get(&index)
    }

    /// The plan's diagnostics against a program about to be deployed, as
    /// JSON: (errors, warnings).
    pub fn check_deploy(
        &self,
        files: &[SourceText],
    ) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
        let parsed: Vec<_> = files.iter().map(|f| weft_syntax::parse(&f.text)).collect();
        let sources: Vec<weft_check::SourceFile> = files
            .iter()
            .zip(&parsed)
            .map(|(f, p)| weft_check::SourceFile {
                name: &f.name,
                module: &p.module,
            })
            .collect();
        let program = weft_plan::Program::of(&sources);
        let diags: Vec<_> = weft_plan::check_program(&self.plan, &program)
            .into_iter()
            // A pattern that matches nothing in this program may match
            // activities of another program the same server runs.
            .filter(|d| d.code != weft_plan::codes::MATCHES_NOTHING)
            .collect();
        let json = weft_check::json::diagnostics(&self.name, &self.text, &diags);
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for (d, j) in diags.iter().zip(json) {
            if d.is_error() {
                errors.push(j);
            } else {
                warnings.push(j);
            }
        }
        (errors, warnings)
    }
}

/// Activity names whose placement is remembered, at most.
pub const RESOLVED_MAX: usize = 100_000;

/// A token bucket: `calls` per `per`, in bursts of at most `calls`.
struct Bucket {
    tokens: f64,
    capacity: f64,
    per_second: f64,
    at: Instant,
}

impl Bucket {
    /// Takes a token, or says how long until there is one.
    fn take(&mut self) -> Result<(), Duration> {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * self.per_second)
            .min(self.capacity);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.per_second,
            ))
        }
    }
}

/// The limits and the live figures of one activity's calls made by the
/// server (not of its pull-queue tasks).
pub struct Limiter {
    slots: Option<Arc<tokio::sync::Semaphore>>,
    rate: Option<Mutex<Bucket>>,
    in_flight: AtomicU64,
    /// Calls waiting for a slot or the rate, by arrival number.
    waiting: Mutex<BTreeMap<u64, Instant>>,
    arrivals: AtomicU64,
}

/// A limiter's live figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Calls waiting for a slot or the rate.
    pub ready: u64,
    /// Calls under way.
    pub in_flight: u64,
    /// How long the oldest waiting call has waited.
    pub oldest_ready: Duration,
}

impl Limiter {
    fn new(limits: &weft_plan::Limits) -> Limiter {
        Limiter {
            slots: limits
                .concurrency
                .map(|c| Arc::new(tokio::sync::Semaphore::new(c as usize))),
            rate: limits.rate.map(|r| {
                Mutex::new(Bucket {
                    tokens: f64::from(r.calls),
                    capacity: f64::from(r.calls),
                    per_second: r.per_second(),
                    at: Instant::now(),
                })
            }),
            in_flight: AtomicU64::new(0),
            waiting: Mutex::new(BTreeMap::new()),
            arrivals: AtomicU64::new(0),
        }
    }

    /// The live figures.
    pub fn figures(&self) -> Figures {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        Figures {
            ready: waiting.len() as u64,
            in_flight: self.in_flight.load(Ordering::Relaxed),
            oldest_ready: waiting
                .values()
                .next()
                .map_or(Duration::ZERO, |t| t.elapsed()),
        }
    }

    /// Runs `call` for `task` once a slot and the rate allow, on `rt`; the
    /// slot is held until the call's first answer reaches the sink.
    pub fn run(
        self: &Arc<Self>,
        rt: &tokio::runtime::Handle,
        task: Task,
        sink: ResultSink,
        call: impl FnOnce(Task, ResultSink) + Send + 'static,
    ) {
        let me = self.clone();
        let arrival = me.arrivals.fetch_add(1, Ordering::Relaxed);
        me.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(arrival, Instant::now());
        rt.spawn(async move {
            let permit = match &me.slots {
                // The semaphore is never closed.
                Some(s) => s.clone().acquire_owned().await.ok(),
                None => None,
            };
            if let Some(rate) = &me.rate {
                loop {
                    let wait = rate.lock().unwrap_or_else(|e| e.into_inner()).take();
                    match wait {
                        Ok(()) => break,
                        Err(d) => tokio::time::sleep(d).await,
                    }
                }
            }
            me.waiting
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&arrival);
            me.in_flight.fetch_add(1, Ordering::Relaxed);
            let held = Mutex::new(Some(permit));
            let counted = me.clone();
            let wrapped = ResultSink::new(move |run_id, event| {
                // Sinks may be called more than once: release once.
                if let Some(p) = held.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    drop(p);
                    counted.in_flight.fetch_sub(1, Ordering::Relaxed);
                }
                sink.deliver(run_id, event);
            });
            call(task, wrapped);
        });
    }
}

/// The plan (if any) and the limiters of the calls the server makes.
#[derive(Default)]
pub struct Placements {
    /// The plan `weft serve --plan` was given.
    pub plan: Option<Loaded>,
    limiters: Mutex<HashMap<String, Arc<Limiter>>>,
}

impl Placements {
    /// With `plan`.
    pub fn new(plan: Option<Loaded>) -> Placements {
        Placements {
            plan,
            limiters: Mutex::new(HashMap::new()),
        }
    }

    /// The limiter of `activity` (made at its first call, with the limits
    /// its placement resolves to).
    pub fn limiter(&self, activity: &str) -> Arc<Limiter> {
        let mut map = self.limiters.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = map.get(activity) {
            return l.clone();
        }
        let limits = self
            .plan
            .as_ref()
            .and_then(|p| {
                p.place(activity)
                    .map(|(_, place)| weft_plan::limits_of(&p.plan, place))
            })
            .unwrap_or_default();
        let l = Arc::new(Limiter::new(&limits));
        map.insert(activity.to_string(), l.clone());
        l
    }

    /// The live figures of every activity the server has called itself.
    pub fn figures(&self) -> BTreeMap<String, Figures> {
        let map = self.limiters.lock().unwrap_or_else(|e| e.into_inner());
        map.iter().map(|(k, l)| (k.clone(), l.figures())).collect()
    }

    /// Calls `task` on embedded placement `index`'s component, off the
    /// async threads (a guest runs until it returns or its deadline).
    pub fn call_wasm(
        &self,
        index: usize,
        rt: &tokio::runtime::Handle,
        task: Task,
        sink: ResultSink,
    ) {
        let Some(plan) = &self.plan else { return };
        let Some(component) = plan.component(index).cloned() else {
            sink.fail(&task, "the embedded component is not loaded".into(), true);
            return;
        };
        let timeout = plan.plan.places[index]
            .limits
            .or(&plan.plan.defaults)
            .timeout_ms
            .map_or(WASM_TIMEOUT_DEFAULT, |ms| Duration::from_millis(ms as u64));
        let rt2 = rt.clone();
        self.limiter(&task.activity)
            .run(rt, task, sink, move |task, sink| {
                rt2.spawn_blocking(move || {
                    let deadline_ms = task.deadline.unwrap_or_else(|| {
                        weft_runtime::runtime::now_ms() + timeout.as_millis() as i64
                    });
                    let call = weft_wasm::Call {
                        activity: task.activity.clone(),
                        call_id: task.call_id.clone(),
                        run_id: task.run_id.clone(),
                        attempt: task.attempt,
                        deadline_ms,
                        args: task.args.clone(),
                    };
                    match component.call(&call) {
                        Ok(v) => sink.complete(&task, v),
                        Err(f) => sink.fail(&task, f.message, f.retryable),
                    }
                });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn task(n: u32) -> Task {
        Task {
            call_id: format!("r:{n}"),
            run_id: "r".into(),
            call: n,
            activity: "A".into(),
            args: serde_json::json!([]),
            attempt: 1,
            deadline: None,
            callback_token: None,
        }
    }

    #[tokio::test]
    async fn concurrency_holds_calls_until_answers_free_slots() {
        let limiter = Arc::new(Limiter::new(&weft_plan::Limits {
            concurrency: Some(2),
            ..Default::default()
        }));
        let rt = tokio::runtime::Handle::current();
        let answered = Arc::new(AtomicUsize::new(0));
        let sinks = Arc::new(Mutex::new(Vec::new()));
        let counted = answered.clone();
        let sink = ResultSink::new(move |_, _| {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        for n in 0..5 {
            let sinks = sinks.clone();
            limiter.run(&rt, task(n), sink.clone(), move |task, sink| {
                sinks.lock().unwrap().push((task, sink));
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let f = limiter.figures();
        assert_eq!((f.in_flight, f.ready), (2, 3), "{f:?}");
        assert!(f.oldest_ready >= Duration::from_millis(40), "{f:?}");
        // An answer frees a slot; a second answer to the same call does not
        // free another.
        let (t, s) = sinks.lock().unwrap().remove(0);
        s.complete(&t, serde_json::json!(1));
        s.complete(&t, serde_json::json!(1));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let f = limiter.figures();
        assert_eq!((f.in_flight, f.ready), (2, 2), "{f:?}");
        assert_eq!(answered.load(Ordering::SeqCst), 2);
        assert_eq!(sinks.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn rate_spaces_calls_out() {
        let limiter = Arc::new(Limiter::new(&weft_plan::Limits {
            rate: Some(weft_plan::Rate {
                calls: 2,
                per_ms: 200,
            }),
            ..Default::default()
        }));
        let rt = tokio::runtime::Handle::current();
        let started = Arc::new(Mutex::new(Vec::new()));
        let t0 = Instant::now();
        for n in 0..4 {
            let started = started.clone();
            limiter.run(&rt, task(n), ResultSink::new(|_, _| {}), move |_, _| {
                started.lock().unwrap().push(t0.elapsed());
            });
        }
        tokio::time::sleep(Duration::from_millis(600)).await;
        let started = started.lock().unwrap().clone();
        assert_eq!(started.len(), 4);
        // A burst of two at once, then one per 100 ms.
        assert!(started[1] < Duration::from_millis(50), "{started:?}");
        assert!(started[2] >= Duration::from_millis(80), "{started:?}");
        assert!(started[3] >= Duration::from_millis(180), "{started:?}");
    }
}

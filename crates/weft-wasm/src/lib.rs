//! Activities embedded as WebAssembly components (`docs/wasm.md`).
//!
//! A component implements the `weft:activity` world (`wit/activity.wit`):
//! it exports `run(call) -> result<string, failure>`, JSON in and JSON out.
//! [`Host`] compiles components with wasmtime (once: in memory, and on disk
//! under a cache folder), links them with WASI preview 2 and nothing else,
//! and [`Component::call`] runs one attempt under these limits:
//!
//! - **Deadline**: epoch interruption. A ticker thread advances the
//!   engine's epoch every [`EPOCH_TICK`]; each call gets a deadline in
//!   ticks from the attempt's deadline (the call's `@timeout`, or the
//!   placement's `timeout`), and a guest still running then is stopped
//!   (fuel would cost every instruction; epochs cost a check per loop and
//!   call).
//! - **Memory**: each instance's linear memories together stay under the
//!   placement's cap ([`MEMORY_BYTES_DEFAULT`] without one); growing past
//!   it stops the guest.
//! - **No file system, no network**: WASI is linked with no preopened
//!   directories, no sockets, no name lookups and no `wasi:http`; a
//!   component that imports what the host does not give fails to load
//!   with an error that names the import.
//! - **Pooled instances**: a component is pre-instantiated once
//!   (`InstancePre`: imports resolved); an instance serves calls one after
//!   another and goes back to the component's pool after a call that
//!   returned, at most [`POOL_IDLE_MAX`] idle ones; it is dropped after a
//!   trap or a limit (its state may be broken) and after
//!   [`INSTANCE_CALLS_MAX`] calls (so what a guest leaks stays bounded).
//!   Guests must not keep state between calls that a call relies on.
//!
//! A trap, a deadline or the memory cap is a failed attempt that retrying
//! may fix ([`Failure::retryable`]); the guest's own `failure` says
//! whether retrying helps. The server turns both into the call's failure,
//! retried by `@retry` like any other.

#![warn(missing_docs)]

mod output;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Config, Engine, Store, Trap};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "activity",
    });
}

use bindings::weft::activity::types as wit;

/// The WIT world components implement, as text (`wit/activity.wit`).
pub const WIT: &str = include_str!("../wit/activity.wit");

/// How often the epoch advances: the granularity of call deadlines.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// The memory cap of an instance when the placement sets none.
pub const MEMORY_BYTES_DEFAULT: u64 = 256 * 1024 * 1024;

/// Idle instances a component keeps for the next calls, at most.
pub const POOL_IDLE_MAX: usize = 64;

/// Calls one instance serves before it is dropped for a fresh one.
pub const INSTANCE_CALLS_MAX: u32 = 10_000;

/// Largest component file the host loads.
pub const COMPONENT_BYTES_MAX: u64 = 256 * 1024 * 1024;

/// Largest result (JSON text) a guest may return.
pub const RESULT_BYTES_MAX: usize = 16 * 1024 * 1024;

/// Bytes of a guest's last output (stdout and stderr) kept per instance
/// and quoted when a call traps.
pub const OUTPUT_KEPT_BYTES: usize = 2048;

/// Why a component could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read the component {path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The file is larger than [`COMPONENT_BYTES_MAX`].
    #[error("the component {path} is {bytes} bytes; at most {COMPONENT_BYTES_MAX} are loaded (COMPONENT_BYTES_MAX)")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// Not a component, or one wasmtime cannot compile.
    #[error("{path} is not a WebAssembly component wasmtime can compile: {message}")]
    Compile {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// It imports what the host does not provide, or does not export
    /// `run` as the `weft:activity` world says.
    #[error("{path} does not fit the weft:activity world (docs/wasm.md): {message}")]
    World {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

/// One attempt of an activity call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The activity.
    pub activity: String,
    /// The call id (the same for every attempt).
    pub call_id: String,
    /// The run.
    pub run_id: String,
    /// The attempt, from 1.
    pub attempt: u32,
    /// When the attempt must end, in ms since the Unix epoch.
    pub deadline_ms: i64,
    /// The arguments (a JSON array).
    pub args: serde_json::Value,
}

/// Why an attempt failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What happened, for the journal.
    pub message: String,
    /// Whether another attempt may succeed.
    pub retryable: bool,
    /// What kind of failure it is.
    pub kind: FailureKind,
}

/// The kinds of [`Failure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The guest returned its `failure`.
    Guest,
    /// The guest trapped (a panic, an uncaught exception, a bug).
    Trap,
    /// The attempt's deadline passed.
    Deadline,
    /// The guest tried to grow its memory past the cap.
    Memory,
    /// The guest returned a result that is not JSON (or too large).
    Result,
    /// No instance could be made (e.g. the memory cap is below what the
    /// component needs to start).
    Instantiate,
}

impl Failure {
    fn new(kind: FailureKind, retryable: bool, message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            retryable,
            kind,
        }
    }
}

/// The per-instance state the host functions see.
struct Guest {
    wasi: WasiCtx,
    table: ResourceTable,
    memory_bytes_max: u64,
    /// Set when the guest asked for memory past the cap.
    memory_hit: bool,
    output: output::Tail,
}

impl WasiView for Guest {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wasmtime::ResourceLimiter for Guest {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // The cap counts the memory being grown: components made from
        // several core modules have one memory each, but only the main
        // one grows in practice.
        if desired as u64 > self.memory_bytes_max {
            self.memory_hit = true;
            return Err(wasmtime::format_err!(
                "memory would grow from {current} to {desired} bytes, past the cap of {} bytes",
                self.memory_bytes_max
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= TABLE_ELEMENTS_MAX)
    }
}

/// Largest table of an instance (function references).
pub const TABLE_ELEMENTS_MAX: usize = 1_000_000;

struct Shared {
    engine: Engine,
    linker: Linker<Guest>,
    cache_dir: Option<PathBuf>,
    components: Mutex<HashMap<[u8; 32], wasmtime::component::Component>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Compiles, caches and links components; one per process is enough.
#[derive(Clone)]
pub struct Host {
    shared: Arc<Shared>,
}

/// Limits of one loaded component's instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The memory cap of one instance.
    pub memory_bytes_max: u64,
    /// Idle instances kept, at most (the placement's concurrency is a
    /// good value: no more run at once).
    pub pool_idle_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes_max: MEMORY_BYTES_DEFAULT,
            pool_idle_max: POOL_IDLE_MAX,
        }
    }
}

impl Host {
    /// A host that keeps compiled components in `cache_dir` (made when
    /// missing), or only in memory.
    pub fn new(cache_dir: Option<PathBuf>) -> Result<Host, LoadError> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(|e| LoadError::Compile {
            path: "(engine)".into(),
            message: format!("{e:#}"),
        })?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(|e| LoadError::World {
            path: "(linker)".into(),
            message: format!("{e:#}"),
        })?;
        // The world's `types` interface has types only; components built
        // from the WIT import it, and an empty instance satisfies that.
        let _ = linker.instance("weft:activity/types@0.1.0");
        let stop = Arc::new(AtomicBool::new(false));
        {
            let engine = engine.clone();
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("weft-wasm-epoch".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(EPOCH_TICK);
                        engine.increment_epoch();
                    }
                })
                .map_err(|e| LoadError::Compile {
                    path: "(engine)".into(),
                    message: format!("cannot start the epoch thread: {e}"),
                })?;
        }
        Ok(Host {
            shared: Arc::new(Shared {
                engine,
                linker,
                cache_dir,
                components: Mutex::new(HashMap::new()),
                stop,
            }),
        })
    }

    /// Loads the component in `path`: compiled once per content (in this
    /// process, and on disk when the host has a cache folder), its imports
    /// resolved once.
    pub fn load(&self, path: &Path, limits: Limits) -> Result<Component, LoadError> {
        let shown = path.display().to_string();
        let read_err = |e: std::io::Error| LoadError::Read {
            path: shown.clone(),
            message: e.to_string(),
        };
        let bytes_len = std::fs::metadata(path).map_err(read_err)?.len();
        if bytes_len > COMPONENT_BYTES_MAX {
            return Err(LoadError::TooLarge {
                path: shown,
                bytes: bytes_len,
            });
        }
        let bytes = std::fs::read(path).map_err(read_err)?;
        self.load_bytes(&shown, &bytes, limits)
    }

    /// Loads a component from its bytes (binary, or text when it starts
    /// with `(`); `name` is how messages show it.
    pub fn load_bytes(
        &self,
        name: &str,
        bytes: &[u8],
        limits: Limits,
    ) -> Result<Component, LoadError> {
        let key: [u8; 32] = Sha256::digest(bytes).into();
        let component = self.compiled(name, &key, bytes)?;
        let world = |e: wasmtime::Error| LoadError::World {
            path: name.to_string(),
            message: format!("{e:#}"),
        };
        let pre = self
            .shared
            .linker
            .instantiate_pre(&component)
            .map_err(world)?;
        let pre = bindings::ActivityPre::new(pre).map_err(world)?;
        Ok(Component {
            inner: Arc::new(Inner {
                name: name.to_string(),
                host: self.clone(),
                pre,
                limits,
                idle: Mutex::new(Vec::new()),
                calls: AtomicU64::new(0),
                instantiations: AtomicU64::new(0),
            }),
        })
    }

    fn compiled(
        &self,
        name: &str,
        key: &[u8; 32],
        bytes: &[u8],
    ) -> Result<wasmtime::component::Component, LoadError> {
        let s = &self.shared;
        if let Some(c) = s
            .components
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return Ok(c.clone());
        }
        let cached = s.cache_dir.as_ref().map(|d| {
            let mut h = std::hash::DefaultHasher::new();
            s.engine.precompile_compatibility_hash().hash(&mut h);
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            d.join(format!("{hex}-{:016x}.cwasm", h.finish()))
        });
        let mut component = None;
        if let Some(file) = cached.as_ref().filter(|f| f.exists()) {
            // Read into memory rather than mapped: a mapped file that
            // someone truncates kills the process with SIGBUS.
            if let Ok(bytes) = std::fs::read(file) {
                // SAFETY: the bytes were written by `serialize` below into
                // the host's own cache folder (inside the server's data
                // directory), and wasmtime checks that they were compiled
                // by this version with these settings; bytes that fail are
                // compiled again and replaced.
                component =
                    unsafe { wasmtime::component::Component::deserialize(&s.engine, &bytes) }.ok();
            }
        }
        let component = match component {
            Some(c) => c,
            None => {
                let c = wasmtime::component::Component::new(&s.engine, bytes).map_err(|e| {
                    LoadError::Compile {
                        path: name.to_string(),
                        message: format!("{e:#}"),
                    }
                })?;
                if let Some(file) = &cached {
                    // The cache only saves time: failing to write it is
                    // no reason to refuse the component.
                    if let Ok(serialized) = c.serialize() {
                        let _ = write_atomically(file, &serialized);
                    }
                }
                c
            }
        };
        s.components
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(*key, component.clone());
        Ok(component)
    }
}

fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file)
}

struct Instance {
    store: Store<Guest>,
    activity: bindings::Activity,
    calls: u32,
}

struct Inner {
    name: String,
    host: Host,
    pre: bindings::ActivityPre<Guest>,
    limits: Limits,
    idle: Mutex<Vec<Instance>>,
    calls: AtomicU64,
    instantiations: AtomicU64,
}

/// A loaded component, ready to call; cheap to clone.
#[derive(Clone)]
pub struct Component {
    inner: Arc<Inner>,
}

/// Counters of a component.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls made.
    pub calls: u64,
    /// Instances made (one per call without an idle instance).
    pub instantiations: u64,
    /// Idle instances now.
    pub idle: usize,
}

impl Component {
    /// How messages name the component.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Its counters.
    pub fn stats(&self) -> Stats {
        Stats {
            calls: self.inner.calls.load(Ordering::Relaxed),
            instantiations: self.inner.instantiations.load(Ordering::Relaxed),
            idle: self.inner.idle.lock().map(|i| i.len()).unwrap_or(0),
        }
    }

    fn instantiate(&self) -> Result<Instance, Failure> {
        let inner = &self.inner;
        inner.instantiations.fetch_add(1, Ordering::Relaxed);
        let output = output::Tail::default();
        let wasi = WasiCtx::builder()
            .stdout(output.clone())
            .stderr(output.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        let mut store = Store::new(
            &inner.host.shared.engine,
            Guest {
                wasi,
                table: ResourceTable::new(),
                memory_bytes_max: inner.limits.memory_bytes_max,
                memory_hit: false,
                output,
            },
        );
        store.limiter(|g| g);
        // Start-up code (a language runtime's initialisation) runs here
        // and gets a deadline of its own.
        store.set_epoch_deadline(ticks(INSTANTIATE_TIMEOUT));
        match inner.pre.instantiate(&mut store) {
            Ok(activity) => Ok(Instance {
                store,
                activity,
                calls: 0,
            }),
            Err(e) => {
                let kind = if store.data().memory_hit {
                    FailureKind::Memory
                } else {
                    FailureKind::Instantiate
                };
                Err(Failure::new(
                    kind,
                    true,
                    format!(
                        "{}: the component could not start: {}{}",
                        inner.name,
                        describe(&e, store.data()),
                        quoted_output(store.data())
                    ),
                ))
            }
        }
    }

    /// Runs one attempt, on the calling thread (it blocks until the guest
    /// returns or is stopped: call it from a thread that may block).
    pub fn call(&self, call: &Call) -> Result<serde_json::Value, Failure> {
        let inner = &self.inner;
        inner.calls.fetch_add(1, Ordering::Relaxed);
        let left_ms = call.deadline_ms - now_ms();
        if left_ms <= 0 {
            return Err(Failure::new(
                FailureKind::Deadline,
                true,
                "the attempt's deadline passed before it started",
            ));
        }
        let pooled = inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut instance = match pooled {
            Some(i) => i,
            None => self.instantiate()?,
        };
        let args = serde_json::to_string(&call.args).unwrap_or_else(|_| "[]".into());
        let wit_call = wit::Call {
            activity: call.activity.clone(),
            call_id: call.call_id.clone(),
            run_id: call.run_id.clone(),
            attempt: call.attempt,
            deadline_ms: call.deadline_ms,
            args,
        };
        instance.store.data_mut().output.clear();
        instance
            .store
            .set_epoch_deadline(ticks(Duration::from_millis(left_ms as u64)));
        let started = Instant::now();
        let outcome = instance.activity.call_run(&mut instance.store, &wit_call);
        instance.calls += 1;
        let result = match outcome {
            Ok(Ok(text)) => {
                if text.len() > RESULT_BYTES_MAX {
                    Err(Failure::new(
                        FailureKind::Result,
                        false,
                        format!(
                            "{}: the result is {} bytes; at most {RESULT_BYTES_MAX} (RESULT_BYTES_MAX)",
                            inner.name,
                            text.len()
                        ),
                    ))
                } else if text.trim().is_empty() {
                    Ok(serde_json::Value::Null)
                } else {
                    serde_json::from_str(&text).map_err(|e| {
                        Failure::new(
                            FailureKind::Result,
                            false,
                            format!("{}: the result is not JSON: {e}", inner.name),
                        )
                    })
                }
            }
            Ok(Err(f)) => Err(Failure::new(FailureKind::Guest, f.retryable, f.message)),
            Err(e) => {
                let g = instance.store.data();
                let (kind, what) = if g.memory_hit {
                    (
                        FailureKind::Memory,
                        format!(
                            "the guest reached its memory cap of {} bytes",
                            g.memory_bytes_max
                        ),
                    )
                } else if matches!(e.downcast_ref::<Trap>(), Some(Trap::Interrupt)) {
                    (
                        FailureKind::Deadline,
                        format!(
                            "the guest was stopped at its deadline, after {} ms",
                            started.elapsed().as_millis()
                        ),
                    )
                } else {
                    (
                        FailureKind::Trap,
                        format!("the guest trapped: {}", describe(&e, g)),
                    )
                };
                let message = format!("{}: {what}{}", inner.name, quoted_output(g));
                // A trapped instance may be half-way through anything:
                // it is never called again.
                return Err(Failure::new(kind, true, message));
            }
        };
        if instance.calls < INSTANCE_CALLS_MAX {
            let mut idle = inner.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < inner.limits.pool_idle_max {
                idle.push(instance);
            }
        }
        result
    }
}

/// Longest a component's start-up code may run.
pub const INSTANTIATE_TIMEOUT: Duration = Duration::from_secs(10);

fn ticks(d: Duration) -> u64 {
    (d.as_micros() / EPOCH_TICK.as_micros()).max(1) as u64 + 1
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn describe(e: &wasmtime::Error, _g: &Guest) -> String {
    match e.downcast_ref::<Trap>() {
        Some(t) => t.to_string(),
        None => format!("{e}"),
    }
}

fn quoted_output(g: &Guest) -> String {
    let out = g.output.text();
    let out = out.trim();
    if out.is_empty() {
        String::new()
    } else {
        format!("; its last output: {out}")
    }
}

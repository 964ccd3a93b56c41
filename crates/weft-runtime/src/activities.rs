//! Activities as Rust functions, registered by name: the dispatcher of an
//! embedded engine and of `weft bench`.

use foldhash::{HashMap, HashMapExt};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use weft_engine::state::Task;

use crate::runtime::{Dispatcher, ResultSink};

/// What an activity knows about the call it serves.
#[derive(Clone, Debug)]
pub struct ActivityCtx {
    /// Unique to the operation, stable across attempts: deduplicate on it.
    pub call_id: String,
    /// The run.
    pub run_id: String,
    /// The activity's name.
    pub activity: String,
    /// The attempt, from 1.
    pub attempt: u32,
    /// For calls under `await`: the token that completes the wait.
    pub callback_token: Option<String>,
}

/// Why an activity failed.
#[derive(Clone, Debug)]
pub struct ActivityError {
    /// What went wrong.
    pub message: String,
    /// False when retrying cannot help.
    pub retryable: bool,
}

impl ActivityError {
    /// A failure that a retry may fix.
    pub fn retryable(message: impl Into<String>) -> ActivityError {
        ActivityError {
            message: message.into(),
            retryable: true,
        }
    }

    /// A failure that retrying cannot fix.
    pub fn permanent(message: impl Into<String>) -> ActivityError {
        ActivityError {
            message: message.into(),
            retryable: false,
        }
    }
}

/// The future an async activity returns.
pub type ActivityFuture =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, ActivityError>> + Send>>;

type AsyncFn = Arc<dyn Fn(ActivityCtx, serde_json::Value) -> ActivityFuture + Send + Sync>;
type SyncFn = Arc<
    dyn Fn(&ActivityCtx, &serde_json::Value) -> Result<serde_json::Value, ActivityError>
        + Send
        + Sync,
>;

enum Handler {
    Async(AsyncFn),
    Sync(SyncFn),
}

/// Activities by name. Unknown names go to the fallback dispatcher, or fail
/// without retry when there is none.
pub struct Activities {
    handlers: HashMap<String, Handler>,
    fallback: Option<Arc<dyn Dispatcher>>,
    rt: Option<tokio::runtime::Handle>,
}

impl Default for Activities {
    fn default() -> Self {
        Activities::new()
    }
}

impl Activities {
    /// An empty registry. Async activities need a Tokio runtime: the
    /// current one when registered inside one, or [`Activities::on`].
    pub fn new() -> Activities {
        Activities {
            handlers: HashMap::new(),
            fallback: None,
            rt: tokio::runtime::Handle::try_current().ok(),
        }
    }

    /// Runs async activities on `rt`.
    pub fn on(mut self, rt: tokio::runtime::Handle) -> Activities {
        self.rt = Some(rt);
        self
    }

    /// Registers an async activity. `args` is the JSON list of arguments.
    pub fn register<F, Fut>(mut self, name: &str, f: F) -> Activities
    where
        F: Fn(ActivityCtx, serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<serde_json::Value, ActivityError>> + Send + 'static,
    {
        let f: AsyncFn = Arc::new(move |ctx, args| Box::pin(f(ctx, args)));
        self.handlers.insert(name.to_string(), Handler::Async(f));
        self
    }

    /// Registers a quick synchronous activity; it runs on the engine's core
    /// thread, so it must not block (no I/O).
    pub fn register_sync<F>(mut self, name: &str, f: F) -> Activities
    where
        F: Fn(&ActivityCtx, &serde_json::Value) -> Result<serde_json::Value, ActivityError>
            + Send
            + Sync
            + 'static,
    {
        self.handlers
            .insert(name.to_string(), Handler::Sync(Arc::new(f)));
        self
    }

    /// Sends unknown activities to `d` (e.g. a queue for remote workers).
    pub fn fallback(mut self, d: Arc<dyn Dispatcher>) -> Activities {
        self.fallback = Some(d);
        self
    }

    /// True when `name` is registered here.
    pub fn has(&self, name: &str) -> bool {
        self.handlers.contains_key(name)
    }
}

fn ctx(task: &Task) -> ActivityCtx {
    ActivityCtx {
        call_id: task.call_id.clone(),
        run_id: task.run_id.clone(),
        activity: task.activity.clone(),
        attempt: task.attempt,
        callback_token: task.callback_token.clone(),
    }
}

impl Dispatcher for Activities {
    fn dispatch(&self, task: Task, sink: ResultSink) {
        match self.handlers.get(&task.activity) {
            Some(Handler::Sync(f)) => match f(&ctx(&task), &task.args) {
                Ok(v) => sink.complete(&task, v),
                Err(e) => sink.fail(&task, e.message, e.retryable),
            },
            Some(Handler::Async(f)) => {
                let fut = f(ctx(&task), task.args.clone());
                match &self.rt {
                    Some(rt) => {
                        rt.spawn(async move {
                            match fut.await {
                                Ok(v) => sink.complete(&task, v),
                                Err(e) => sink.fail(&task, e.message, e.retryable),
                            }
                        });
                    }
                    None => sink.fail(
                        &task,
                        "no Tokio runtime to run async activities on".into(),
                        false,
                    ),
                }
            }
            None => match &self.fallback {
                Some(d) => d.dispatch(task, sink),
                None => {
                    let msg = format!("no activity named `{}` is registered", task.activity);
                    sink.fail(&task, msg, false)
                }
            },
        }
    }

    fn cancel(&self, call_id: &str) {
        if let Some(d) = &self.fallback {
            d.cancel(call_id);
        }
    }
}

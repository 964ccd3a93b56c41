//! Activities bound to HTTP endpoints by `@http(...)` in the deployed
//! program: each attempt is a request to the endpoint itself, with no
//! worker in between (`docs/language.md`, "HTTP bindings").
//!
//! **Where the bindings come from.** The server learns them from the
//! programs it deploys: at each deploy (and, at start, from every stored
//! version; a cluster node also from the versions other nodes deploy,
//! which its pusher reads from the store) it reads the declarations and keeps, per activity, the binding
//! of the newest version that declares the activity. A version that
//! declares the activity without `@http` removes the binding; a version
//! that does not mention it changes nothing. So dispatching a task costs a
//! map lookup, with no store read and no parse (tasks do not carry their
//! program version), and runs of older versions use the newest endpoint,
//! as they would after a change to the server's configuration: an activity
//! names one operation of another system, and its address is where that
//! system is now. The trade-off is that two live versions cannot bind one
//! activity to two different endpoints.
//!
//! **Answers** are read as for push activities (`endpoint.rs`): 2xx is
//! the result (its JSON body; empty: `null`), 4xx a failure that retrying
//! cannot fix (except 408 and 429), 5xx, a timeout or no answer a failure
//! worth retrying. Arguments that do not fit the declaration fail the
//! call without retry.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use weft_check::contract::http::HttpBinding;
use weft_check::contract::Contracts;
use weft_engine::state::Task;
use weft_runtime::ResultSink;
use weft_store::{SourceText, Store};

use crate::config::PUSH_TIMEOUT_DEFAULT;
use crate::endpoint::{answer, attempt_timeout};

/// Program versions read at start, at most (a store with more keeps
/// only the bindings of the newest this many).
pub const VERSIONS_READ_MAX: i64 = 100_000;

/// The bindings of the deployed programs, by activity.
#[derive(Default)]
pub struct HttpBindings {
    /// Activity → (version that declared it, binding).
    by_activity: RwLock<BTreeMap<String, (i64, HttpBinding)>>,
    /// The newest version learnt.
    newest: AtomicI64,
}

impl HttpBindings {
    /// Reads the bindings of the stored program versions not read yet,
    /// oldest first (at most the newest [`VERSIONS_READ_MAX`]).
    pub fn refresh(&self, store: &dyn Store) -> Result<(), weft_store::StoreError> {
        let mut v = self.newest.load(Ordering::Acquire) + 1;
        if v == 1 {
            let listed = store
                .flows()?
                .iter()
                .flat_map(|f| f.versions.iter().copied())
                .max()
                .unwrap_or(0);
            v = (listed - VERSIONS_READ_MAX).max(1);
        }
        // Versions increase by one from 1; a version that defines no flow
        // is not in `flows()`, so read on until there is none.
        while let Some(d) = store.deployment(v)? {
            self.learn(d.version, &d.files);
            v += 1;
        }
        Ok(())
    }

    /// The activities that have a binding.
    pub fn names(&self) -> Vec<String> {
        let map = self.by_activity.read().unwrap_or_else(|e| e.into_inner());
        map.keys().cloned().collect()
    }

    /// Takes the declarations of program `version`.
    pub fn learn(&self, version: i64, files: &[SourceText]) {
        let parsed: Vec<_> = files.iter().map(|f| weft_syntax::parse(&f.text)).collect();
        let sources: Vec<weft_check::SourceFile> = files
            .iter()
            .zip(&parsed)
            .map(|(f, p)| weft_check::SourceFile {
                name: &f.name,
                module: &p.module,
            })
            .collect();
        let contracts = Contracts::index(&sources);
        self.newest.fetch_max(version, Ordering::AcqRel);
        let mut map = self.by_activity.write().unwrap_or_else(|e| e.into_inner());
        for (name, d) in &contracts.activities {
            if map.get(*name).is_some_and(|(v, _)| *v > version) {
                continue;
            }
            match HttpBinding::from_decl(d.decl) {
                Ok(Some(b)) => {
                    map.insert(name.to_string(), (version, b));
                }
                _ => {
                    map.remove(*name);
                }
            }
        }
    }

    /// The binding of `activity`, if it has one.
    pub fn get(&self, activity: &str) -> Option<HttpBinding> {
        let map = self.by_activity.read().unwrap_or_else(|e| e.into_inner());
        map.get(activity).map(|(_, b)| b.clone())
    }
}

/// Makes the requests of HTTP-bound activities.
pub struct Http {
    client: reqwest::Client,
    /// The bindings.
    pub bindings: Arc<HttpBindings>,
    rt: tokio::runtime::Handle,
    /// Where each attempt's outcome is reported (endpoint health).
    health: Option<Arc<crate::workers::Workers>>,
}

impl Http {
    /// Requests for `bindings`, run on `rt`.
    pub fn new(bindings: Arc<HttpBindings>, rt: tokio::runtime::Handle) -> Http {
        Http {
            client: reqwest::Client::new(),
            bindings,
            rt,
            health: None,
        }
    }

    /// Reports each attempt's outcome to `workers`.
    pub fn with_health(mut self, workers: Arc<crate::workers::Workers>) -> Http {
        self.health = Some(workers);
        self
    }

    /// Sends `task` to its endpoint if its activity has a binding; gives
    /// the task back otherwise.
    pub fn dispatch(&self, task: Task, sink: ResultSink) -> Option<(Task, ResultSink)> {
        let Some(b) = self.bindings.get(&task.activity) else {
            return Some((task, sink));
        };
        let client = self.client.clone();
        let health = self.health.clone();
        self.rt.spawn(async move {
            let req = match b.request(&task.args) {
                Ok(r) => r,
                Err(why) => {
                    sink.fail(
                        &task,
                        format!("the arguments do not fit `{}`: {why}", task.activity),
                        false,
                    );
                    return;
                }
            };
            let timeout = attempt_timeout(PUSH_TIMEOUT_DEFAULT, &task);
            let method =
                reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::POST);
            let mut http = client
                .request(method, &req.url)
                .timeout(timeout)
                .header("Idempotency-Key", &task.call_id);
            for (k, v) in &req.headers {
                http = http.header(k, v);
            }
            if let Some(body) = &req.body {
                http = http.json(body);
            }
            let shown = format!("{} {}", req.method, req.url);
            let outcome = answer(&sink, &task, &shown, timeout, http.send().await).await;
            if let Some(h) = health {
                let now = weft_runtime::runtime::now_ms();
                h.answered(&task.activity, &shown, now, outcome);
            }
        });
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Vec<SourceText> {
        vec![SourceText {
            name: "a.weft".into(),
            text: text.into(),
        }]
    }

    #[test]
    fn the_newest_declaring_version_decides() {
        let b = HttpBindings::default();
        b.learn(
            1,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://one.test/{id}")"#,
            ),
        );
        assert_eq!(b.get("A").unwrap().url, "https://one.test/{id}");
        // A version that does not mention A changes nothing.
        b.learn(2, &file("flow F() { return 1 }"));
        assert!(b.get("A").is_some());
        b.learn(
            3,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://two.test/{id}")"#,
            ),
        );
        assert_eq!(b.get("A").unwrap().url, "https://two.test/{id}");
        // An older version learnt later (at start, in any order) loses.
        b.learn(
            1,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://one.test/{id}")"#,
            ),
        );
        assert_eq!(b.get("A").unwrap().url, "https://two.test/{id}");
        // Declared without @http: the binding goes.
        b.learn(4, &file("activity A(id: int) -> any"));
        assert!(b.get("A").is_none());
    }
}

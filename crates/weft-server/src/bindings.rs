//! Activities bound by the deployed program itself: `@http(...)` to an
//! HTTP endpoint, `@grpc(...)` to a unary gRPC method. Each attempt is a
//! request to the endpoint or method itself, with no worker in between
//! (`docs/language.md`, "HTTP bindings"; `docs/grpc.md`).
//!
//! **Where the bindings come from.** The server learns them from the
//! programs it deploys: at each deploy (and, at start, from every stored
//! version; a cluster node also from the versions other nodes deploy,
//! which its pusher reads from the store) it reads the declarations and keeps, per activity, the binding
//! of the newest version that declares the activity. A version that
//! declares the activity without a binding removes it; a version
//! that does not mention it changes nothing. So dispatching a task costs a
//! map lookup, with no store read and no parse (tasks do not carry their
//! program version), and runs of older versions use the newest endpoint,
//! as they would after a change to the server's configuration: an activity
//! names one operation of another system, and its address is where that
//! system is now. The trade-off is that two live versions cannot bind one
//! activity to two different endpoints.
//!
//! **Descriptors of `@grpc` bindings** are the `.proto` files deployed with
//! the version that declares them (`weft_grpc`'s documentation says why).
//! They are compiled when an activity bound to them is first called, once
//! per version, so a server reading many stored versions at start compiles
//! only those whose bindings are still in use.
//!
//! **Answers** of `@http` endpoints are read as for push activities
//! (`endpoint.rs`): 2xx is the result (its JSON body; empty: `null`), 4xx
//! a failure that retrying cannot fix (except 408 and 429), 5xx, a timeout
//! or no answer a failure worth retrying. Those of `@grpc` methods by their
//! status code (`weft_grpc::client::STATUS_CODES`). Arguments that do not
//! fit the declaration fail the call without retry.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use weft_check::contract::grpc::GrpcBinding;
use weft_check::contract::http::HttpBinding;
use weft_check::contract::Contracts;
use weft_engine::state::Task;
use weft_grpc::prost_reflect::DescriptorPool;
use weft_runtime::ResultSink;
use weft_store::{SourceText, Store};

use crate::config::PUSH_TIMEOUT_DEFAULT;
use crate::endpoint::{answer, attempt_timeout};

/// Program versions read at start, at most (a store with more keeps
/// only the bindings of the newest this many).
pub const VERSIONS_READ_MAX: i64 = 100_000;

/// What a declared binding calls.
#[derive(Clone, Debug)]
pub enum Binding {
    /// An HTTP endpoint.
    Http(HttpBinding),
    /// A unary gRPC method, with the `.proto` files of its version.
    Grpc(Arc<GrpcTarget>),
}

/// A `@grpc` binding and the descriptors it is resolved against.
#[derive(Debug)]
pub struct GrpcTarget {
    /// The binding, as declared.
    pub binding: GrpcBinding,
    protos: Arc<VersionProtos>,
    method: OnceLock<Result<Arc<weft_grpc::Method>, String>>,
}

/// The `.proto` files of one program version, compiled on first use.
#[derive(Debug)]
struct VersionProtos {
    sources: weft_grpc::Sources,
    pool: OnceLock<Result<DescriptorPool, String>>,
}

impl GrpcTarget {
    /// The method, resolved on first use; `Err` says why it cannot be
    /// called (a deployed version passed the same check, so only a
    /// version stored by another build could fail here).
    pub fn method(&self) -> Result<Arc<weft_grpc::Method>, String> {
        self.method
            .get_or_init(|| {
                let pool = self
                    .protos
                    .pool
                    .get_or_init(|| {
                        weft_grpc::protos::compile(&self.protos.sources).map_err(|e| e.to_string())
                    })
                    .clone()?;
                weft_grpc::Method::resolve(&self.binding, &pool).map(Arc::new)
            })
            .clone()
    }
}

/// The bindings of the deployed programs, by activity.
#[derive(Default)]
pub struct Bindings {
    /// Activity → (version that declared it, binding).
    by_activity: RwLock<BTreeMap<String, (i64, Binding)>>,
    /// The newest version learnt.
    newest: AtomicI64,
}

impl Bindings {
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
        let (weft, protos): (Vec<&SourceText>, Vec<&SourceText>) = files
            .iter()
            .partition(|f| weft_syntax::lang::is_weft_file(&f.name));
        let parsed: Vec<_> = weft.iter().map(|f| weft_syntax::parse(&f.text)).collect();
        let sources: Vec<weft_check::SourceFile> = weft
            .iter()
            .zip(&parsed)
            .map(|(f, p)| weft_check::SourceFile {
                name: &f.name,
                module: &p.module,
            })
            .collect();
        let contracts = Contracts::index(&sources);
        let protos = Arc::new(VersionProtos {
            sources: protos
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect(),
            pool: OnceLock::new(),
        });
        self.newest.fetch_max(version, Ordering::AcqRel);
        let mut map = self.by_activity.write().unwrap_or_else(|e| e.into_inner());
        for (name, d) in &contracts.activities {
            if map.get(*name).is_some_and(|(v, _)| *v > version) {
                continue;
            }
            let binding = match (
                HttpBinding::from_decl(d.decl),
                GrpcBinding::from_decl(d.decl),
            ) {
                (Ok(Some(b)), _) => Some(Binding::Http(b)),
                (_, Ok(Some(b))) => Some(Binding::Grpc(Arc::new(GrpcTarget {
                    binding: b,
                    protos: protos.clone(),
                    method: OnceLock::new(),
                }))),
                _ => None,
            };
            match binding {
                Some(b) => {
                    map.insert(name.to_string(), (version, b));
                }
                None => {
                    map.remove(*name);
                }
            }
        }
    }

    /// The binding of `activity`, if it has one.
    pub fn get(&self, activity: &str) -> Option<Binding> {
        let map = self.by_activity.read().unwrap_or_else(|e| e.into_inner());
        map.get(activity).map(|(_, b)| b.clone())
    }
}

/// Calls the activities that have a binding.
pub struct Direct {
    client: reqwest::Client,
    grpc: Arc<weft_grpc::Client>,
    /// The bindings.
    pub bindings: Arc<Bindings>,
    rt: tokio::runtime::Handle,
    /// Where each attempt's outcome is reported (endpoint health).
    health: Option<Arc<crate::workers::Workers>>,
}

impl Direct {
    /// Calls for `bindings`, run on `rt`.
    pub fn new(bindings: Arc<Bindings>, rt: tokio::runtime::Handle) -> Direct {
        Direct {
            client: reqwest::Client::new(),
            grpc: Arc::new(weft_grpc::Client::new()),
            bindings,
            rt,
            health: None,
        }
    }

    /// Reports each attempt's outcome to `workers`.
    pub fn with_health(mut self, workers: Arc<crate::workers::Workers>) -> Direct {
        self.health = Some(workers);
        self
    }

    /// Calls `task`'s endpoint or method if its activity has a binding;
    /// gives the task back otherwise.
    pub fn dispatch(&self, task: Task, sink: ResultSink) -> Option<(Task, ResultSink)> {
        match self.bindings.get(&task.activity) {
            None => Some((task, sink)),
            Some(Binding::Http(b)) => {
                self.http(b, task, sink);
                None
            }
            Some(Binding::Grpc(g)) => {
                self.grpc(g, task, sink);
                None
            }
        }
    }

    fn http(&self, b: HttpBinding, task: Task, sink: ResultSink) {
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
    }

    fn grpc(&self, g: Arc<GrpcTarget>, task: Task, sink: ResultSink) {
        let client = self.grpc.clone();
        let health = self.health.clone();
        self.rt.spawn(async move {
            // The first call of a version compiles its `.proto` files: off
            // the async threads; later calls find the method resolved.
            let resolved = match g.method.get() {
                Some(done) => Ok(done.clone()),
                None => {
                    let g = g.clone();
                    tokio::task::spawn_blocking(move || g.method()).await
                }
            };
            let method = match resolved {
                Ok(Ok(m)) => m,
                Ok(Err(why)) => {
                    sink.fail(
                        &task,
                        format!(
                            "the `@grpc` binding of `{}` cannot be called: {why}",
                            task.activity
                        ),
                        false,
                    );
                    return;
                }
                Err(e) => {
                    sink.fail(
                        &task,
                        format!("resolving the `@grpc` binding failed: {e}"),
                        true,
                    );
                    return;
                }
            };
            let attempt = weft_grpc::Attempt {
                call_id: &task.call_id,
                attempt: task.attempt,
                timeout: attempt_timeout(PUSH_TIMEOUT_DEFAULT, &task),
            };
            let outcome = match client.call(&method, &task.args, attempt).await {
                Ok(v) => {
                    sink.complete(&task, v);
                    Ok(())
                }
                Err(f) => {
                    let why = f.message.clone();
                    sink.fail(&task, f.message, f.retryable);
                    Err(why)
                }
            };
            if let Some(h) = health {
                let shown = format!(
                    "{} {}/{}",
                    g.binding.target, g.binding.service, g.binding.method
                );
                h.answered(
                    &task.activity,
                    &shown,
                    weft_runtime::runtime::now_ms(),
                    outcome,
                );
            }
        });
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
        let b = Bindings::default();
        let url = |b: &Bindings| match b.get("A") {
            Some(Binding::Http(h)) => h.url,
            other => panic!("{other:?}"),
        };
        b.learn(
            1,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://one.test/{id}")"#,
            ),
        );
        assert_eq!(url(&b), "https://one.test/{id}");
        // A version that does not mention A changes nothing.
        b.learn(2, &file("flow F() { return 1 }"));
        assert!(b.get("A").is_some());
        b.learn(
            3,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://two.test/{id}")"#,
            ),
        );
        assert_eq!(url(&b), "https://two.test/{id}");
        // An older version learnt later (at start, in any order) loses.
        b.learn(
            1,
            &file(
                r#"activity A(id: int) -> any @http(method: "GET", url: "https://one.test/{id}")"#,
            ),
        );
        assert_eq!(url(&b), "https://two.test/{id}");
        // Declared without @http: the binding goes.
        b.learn(4, &file("activity A(id: int) -> any"));
        assert!(b.get("A").is_none());
    }

    #[test]
    fn grpc_bindings_resolve_against_their_versions_protos() {
        let proto = "syntax = \"proto3\";\npackage p;\nmessage R { string id = 1; }\nservice S { rpc Get(R) returns (R); }\n";
        let decl = r#"activity A(id?: string) -> any @grpc(target: "http://x:1", proto: "p.proto", service: "p.S", method: "Get")"#;
        let b = Bindings::default();
        let with_proto = |text: &str| {
            let mut f = file(decl);
            f.push(SourceText {
                name: "p.proto".into(),
                text: text.into(),
            });
            f
        };
        b.learn(1, &with_proto(proto));
        let Some(Binding::Grpc(g)) = b.get("A") else {
            panic!("A is bound to gRPC");
        };
        assert_eq!(g.method().unwrap().shown(), "p.S/Get");
        assert_eq!(b.names(), vec!["A"]);
        // A newer version whose .proto lacks the method: its binding wins,
        // and says why it cannot be called.
        b.learn(2, &with_proto(&proto.replace("rpc Get", "rpc Put")));
        let Some(Binding::Grpc(g)) = b.get("A") else {
            panic!("A is bound to gRPC");
        };
        assert_eq!(
            g.method().unwrap_err(),
            "the service `p.S` has no method `Get`; it has `Put`"
        );
        // From gRPC to HTTP.
        b.learn(
            3,
            &file(
                r#"activity A(id: string) -> any @http(method: "GET", url: "https://x.test/{id}")"#,
            ),
        );
        assert!(matches!(b.get("A"), Some(Binding::Http(_))));
    }
}

//! The Rust client (`client.rs`): a module over `reqwest`, `serde` and
//! `tokio`'s timer. Serde structs for the declared types, each machine's
//! state and each command's input (the worker generator's, `rust.rs`); a
//! type per machine (`client.counter().at("k").add(...)`,
//! `client.counter().find(...)`) and one for the flows
//! (`client.flows().count_order(...)`), over one HTTP helper that retries
//! with the same `commandId` or idempotency key. Every call answers a
//! `Result` whose error is a value of the API's code, message and reason.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::ClientModel;
use crate::emit::{Gen, Language};
use crate::naming::{pascal, quote, snake};
use crate::rust::{Rust, KEYWORDS};
use weft_check::contract::types::Type;

/// Method names each generated type defines itself, besides keywords.
const CLIENT_METHODS: &[&str] = &["new", "flows", "http"];
const INSTANCE_METHODS: &[&str] = &["new", "key", "get", "history", "http"];
const FLOWS_METHODS: &[&str] = &["new", "http"];

/// `snake_case` of `name`, not a keyword nor one of `reserved`, and not
/// taken in `taken` (which it then takes): a `_` is added until it fits.
fn method(name: &str, reserved: &[&str], taken: &mut HashSet<String>) -> String {
    let mut m = snake(name);
    if KEYWORDS.contains(&m.as_str()) || reserved.contains(&m.as_str()) {
        m.push('_');
    }
    while !taken.insert(m.clone()) {
        m.push('_');
    }
    m
}

/// Defines the type `t` under a fresh name based on `want`: a struct for
/// an object type, an alias for anything else; returns the name.
fn named(g: &mut Gen<Rust>, t: &Type, want: &str, doc: &str) -> String {
    let name = g.defs.fresh(want);
    match t {
        Type::Object { fields, open } => {
            let def = g.object(&name, fields, *open, doc);
            g.defs.push(def);
        }
        other => {
            let body = g.ty(other, &format!("{name}Value"));
            g.defs.push(format!(
                "/// {doc} (`{other}`)\npub type {name} = {body};\n"
            ));
        }
    }
    name
}

/// The generated `client.rs`.
pub fn generate(model: &ClientModel) -> String {
    let types = model.type_model();
    let mut g = Gen::<Rust>::new(&types);
    // The client's own definitions keep their names.
    for n in super::RUNTIME_NAMES.iter().chain(super::RUST_NAMES) {
        g.defs.fresh(n);
    }
    for (name, ty) in &model.types {
        Rust::declared_type(&mut g, name, ty);
    }
    let mut items = String::new();
    let mut accessors = String::new();
    let mut client_taken = HashSet::new();
    for m in &model.machines {
        let base = pascal(&m.name);
        let state = match &m.state {
            Some(t) => named(
                &mut g,
                t,
                &format!("{base}State"),
                &format!("The state of `{}`.", m.name),
            ),
            None => "Value".to_string(),
        };
        let instance = g.defs.fresh(&format!("{base}Instance"));
        let machine = g.defs.fresh(&format!("{base}Machine"));
        let mname = quote(&m.name);
        let _ = write!(
            items,
            "\n/// An instance of the machine `{name}`, by its key.\n#[derive(Clone, Debug)]\npub struct {instance} {{\n    http: Http,\n    key: String,\n}}\n\nimpl {instance} {{\n    /// Its key.\n    pub fn key(&self) -> &str {{\n        &self.key\n    }}\n",
            name = m.name
        );
        let mut taken = HashSet::new();
        for c in &m.commands {
            let f = method(&c.name, INSTANCE_METHODS, &mut taken);
            let cname = quote(&c.name);
            let doc = format!(
                "\n    /// Sends `{}`: the instance once it is applied, or the error\n    /// (`command_refused`: the handler's `reason`). `command_id`: the\n    /// command's id (a fresh one when `None`).\n",
                c.name
            );
            match &c.input {
                Some(t) => {
                    let input = named(
                        &mut g,
                        t,
                        &format!("{base}{}Input", pascal(&c.name)),
                        &format!("The input of `{}.{}`.", m.name, c.name),
                    );
                    let _ = write!(
                        items,
                        "{doc}    pub async fn {f}(\n        &self,\n        input: &{input},\n        command_id: Option<&str>,\n    ) -> Result<Instance<{state}>> {{\n        let (machine, command) = ({mname}, {cname});\n        let input = to_value(input)?;\n        self.http\n            .command(machine, &self.key, command, Some(input), command_id)\n            .await\n    }}\n"
                    );
                }
                None => {
                    let _ = write!(
                        items,
                        "{doc}    pub async fn {f}(&self, command_id: Option<&str>) -> Result<Instance<{state}>> {{\n        let (machine, command) = ({mname}, {cname});\n        self.http\n            .command(machine, &self.key, command, None, command_id)\n            .await\n    }}\n"
                    );
                }
            }
        }
        let _ = write!(
            items,
            "\n    /// The instance (`unknown_instance` before its first command).\n    pub async fn get(&self) -> Result<Instance<{state}>> {{\n        let machine = {mname};\n        self.http.get(machine, &self.key).await\n    }}\n\n    /// A page of its finished commands (`{{\"items\", \"next\"}}`), after\n    /// the sequence number `after`, at most `limit`.\n    pub async fn history(&self, after: Option<u64>, limit: Option<usize>) -> Result<Value> {{\n        let machine = {mname};\n        self.http.history(machine, &self.key, after, limit).await\n    }}\n}}\n"
        );
        let _ = write!(
            items,
            "\n/// The machine `{name}`: `at(key)` addresses an instance, `find` queries\n/// them.\n#[derive(Clone, Debug)]\npub struct {machine} {{\n    http: Http,\n}}\n\nimpl {machine} {{\n    /// The instance at `key`.\n    pub fn at(&self, key: impl Into<String>) -> {instance} {{\n        {instance} {{\n            http: self.http.clone(),\n            key: key.into(),\n        }}\n    }}\n\n    /// The instances whose state fits `where_` (such as\n    /// `state.total > 10`; every instance when `None`), by key, at most\n    /// `limit` from `cursor` (a page's `next`).\n    pub async fn find(\n        &self,\n        where_: Option<&str>,\n        limit: Option<usize>,\n        cursor: Option<&str>,\n    ) -> Result<Page<{state}>> {{\n        let machine = {mname};\n        self.http.find(machine, where_, limit, cursor).await\n    }}\n}}\n",
            name = m.name
        );
        let f = method(&m.name, CLIENT_METHODS, &mut client_taken);
        let _ = write!(
            accessors,
            "\n    /// The machine `{}`.\n    pub fn {f}(&self) -> {machine} {{\n        {machine} {{\n            http: self.http.clone(),\n        }}\n    }}\n",
            m.name
        );
    }
    let mut flows = String::from(
        "\n/// The program's flows: each method starts a run.\n#[derive(Clone, Debug)]\npub struct Flows {\n    http: Http,\n}\n\nimpl Flows {",
    );
    let mut taken = HashSet::new();
    for f in &model.flows {
        let _ = write!(
            flows,
            "\n    /// Starts `{f}` with `input` and waits up to `wait` (such as\n    /// `\"30s\"`; `None`: not at all) for its end: the run (`status`,\n    /// `result`, `error`). `idempotency_key`: a fresh one when `None`.\n    pub async fn {m}(\n        &self,\n        input: impl Serialize,\n        idempotency_key: Option<&str>,\n        wait: Option<&str>,\n    ) -> Result<Value> {{\n        let (flow, input) = ({q}, to_value(&input)?);\n        self.http.start(flow, input, idempotency_key, wait).await\n    }}\n",
            m = method(f, FLOWS_METHODS, &mut taken),
            q = quote(f)
        );
    }
    flows.push_str("}\n");
    let mut out = String::from(HEADER);
    out.push_str(RUNTIME);
    if !g.defs.list.is_empty() {
        out.push_str("\n// ----- the program's types -----\n");
    }
    for d in &g.defs.list {
        out.push('\n');
        out.push_str(d);
    }
    out.push_str("\n// ----- the machines -----\n");
    out.push_str(&items);
    out.push_str(&flows);
    let _ = writeln!(out, "{CLIENT}{accessors}}}");
    out
}

const HEADER: &str = r#"//! A Weft client, generated by `weft stubs --client --lang rust`: the
//! program's machines and flows over the HTTP API, as a module
//! (`mod client;`).
//!
//! Cargo.toml needs: reqwest 0.13 (features "json", and "rustls" for
//! https), serde (feature "derive"), serde_json, tokio (feature "time").
//!
//! ```ignore
//! let client = Client::new(Options::default())?; // WEFT_URL, WEFT_TOKEN
//! match client.counter().at("apples").add(&CounterAddInput { n: 2.0 }, None).await {
//!     Ok(c) => println!("{} {}", c.state.total, c.version),
//!     Err(e) => println!("{} {} {:?}", e.code, e.message, e.reason),
//! }
//! ```
//!
//! Errors are values: every call answers a `Result`, and nothing panics,
//! not for a server it cannot reach either (`status` 0, `unreachable`). A
//! command carries a `commandId` (a fresh one when you give none) and is
//! sent again with the same id while no final answer comes (no
//! connection, 5xx, 429, or 202 while it waits its turn): the server
//! applies it once. A flow is started with an idempotency key the same
//! way. See docs/machines.md.

#![allow(dead_code)]

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
"#;

const RUNTIME: &str = r#"
// ----- the client's own definitions -----

/// Why a call did not succeed: `status` is the HTTP status (0: no answer
/// arrived), `code` the API's error code (docs/api-errors.md), `reason`
/// what a refusing handler passed to `fail`, `details` the whole answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The HTTP status; 0 when no answer arrived.
    pub status: u16,
    /// The API's error code (`command_refused`, `unknown_instance`, ...), or
    /// the client's own (`unreachable`, `invalid_answer`, `invalid_input`,
    /// `invalid_options`, `pending`).
    pub code: String,
    /// What went wrong.
    pub message: String,
    /// A refused command's reason.
    pub reason: Option<Value>,
    /// The answer's error object (or the whole answer).
    pub details: Option<Value>,
}

impl Error {
    fn new(status: u16, code: &str, message: impl Into<String>) -> Error {
        Error {
            status,
            code: code.to_string(),
            message: message.into(),
            reason: None,
            details: None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for Error {}

/// A value, or the error.
pub type Result<T> = std::result::Result<T, Error>;

/// An instance of a machine: its key, its state, and its version (the
/// number of commands applied to it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Instance<S> {
    /// Its key.
    pub key: String,
    /// Its state.
    pub state: S,
    /// Commands applied to it.
    pub version: u64,
}

/// A page of a query, and the cursor of the next (`None` at the end).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<S> {
    /// The instances, by key.
    pub items: Vec<Instance<S>>,
    /// Pass as `cursor` for the next page.
    pub next: Option<String>,
}

/// Where the server is (`None`: `WEFT_URL`, else http://127.0.0.1:7400),
/// its token (`None`: `WEFT_TOKEN`, if set), how often a call is sent
/// while no final answer comes, and how long one request may take.
#[derive(Clone, Debug)]
pub struct Options {
    /// The server's URL.
    pub url: Option<String>,
    /// A bearer token.
    pub token: Option<String>,
    /// Sends per call, at least 1.
    pub attempts: u32,
    /// Per request.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            url: None,
            token: None,
            attempts: 5,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Answers worth sending the same request again for (with the same
/// commandId or idempotency key, so nothing happens twice).
const AGAIN: [u16; 7] = [0, 202, 429, 500, 502, 503, 504];

/// A fresh id for a command or a run: 128 bits from the standard
/// library's randomly keyed hasher over the clock, the process and a
/// counter (no UUID crate needed).
pub fn fresh_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut parts = [0u64; 2];
    for (i, p) in parts.iter_mut().enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(now);
        h.write_u64(n);
        h.write_u32(std::process::id());
        h.write_usize(i);
        *p = h.finish();
    }
    format!("{:016x}{:016x}", parts[0], parts[1])
}

fn to_value(v: &impl Serialize) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::new(0, "invalid_input", e.to_string()))
}

fn to_error(status: u16, doc: Value) -> Error {
    if status == 202 {
        return Error {
            message: format!(
                "the command is {}; send it again with its commandId {}",
                doc["status"], doc["commandId"]
            ),
            details: Some(doc),
            ..Error::new(status, "pending", "")
        };
    }
    match doc.get("error") {
        Some(e) if e.is_object() => Error {
            status,
            code: e["code"].as_str().unwrap_or_default().to_string(),
            message: e["message"].as_str().unwrap_or_default().to_string(),
            reason: e.get("reason").filter(|r| !r.is_null()).cloned(),
            details: Some(e.clone()),
        },
        _ => Error::new(status, "invalid_answer", format!("HTTP {status}: {doc}")),
    }
}

/// Requests to one server, with retries of what may be transient.
#[derive(Clone, Debug)]
struct Http {
    base: reqwest::Url,
    token: Option<String>,
    attempts: u32,
    client: reqwest::Client,
}

impl Http {
    fn new(o: Options) -> Result<Http> {
        let url = o
            .url
            .or_else(|| std::env::var("WEFT_URL").ok())
            .unwrap_or_else(|| "http://127.0.0.1:7400".to_string());
        let base = reqwest::Url::parse(&url)
            .ok()
            .filter(|u| !u.cannot_be_a_base())
            .ok_or_else(|| Error::new(0, "invalid_options", format!("not a server URL: {url}")))?;
        let client = reqwest::Client::builder()
            .timeout(o.timeout)
            .build()
            .map_err(|e| Error::new(0, "invalid_options", e.to_string()))?;
        Ok(Http {
            base,
            token: o.token.or_else(|| std::env::var("WEFT_TOKEN").ok()),
            attempts: o.attempts.max(1),
            client,
        })
    }

    /// The URL of `segments` (each escaped: a key may hold `/`) with the
    /// query parameters that are set.
    fn url(&self, segments: &[&str], query: &[(&str, Option<String>)]) -> reqwest::Url {
        let mut u = self.base.clone();
        if let Ok(mut path) = u.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if query.iter().any(|(_, v)| v.is_some()) {
            let mut q = u.query_pairs_mut();
            for (k, v) in query {
                if let Some(v) = v {
                    q.append_pair(k, v);
                }
            }
        }
        u
    }

    /// One request: the status and the JSON answer; status 0 when none
    /// arrived.
    async fn request(
        &self,
        method: &reqwest::Method,
        url: &reqwest::Url,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method.clone(), url.clone());
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let unreachable = |e: reqwest::Error| {
            (
                0,
                json!({"error": {"code": "unreachable", "message": format!("{url}: {e}")}}),
            )
        };
        let res = match req.send().await {
            Ok(res) => res,
            Err(e) => return unreachable(e),
        };
        let status = res.status().as_u16();
        match res.text().await {
            Ok(text) if text.is_empty() => (status, Value::Null),
            Ok(text) => match serde_json::from_str(&text) {
                Ok(doc) => (status, doc),
                Err(_) => {
                    let head: String = text.chars().take(200).collect();
                    (
                        status,
                        json!({"error": {"code": "invalid_answer", "message": head}}),
                    )
                }
            },
            Err(e) => unreachable(e),
        }
    }

    /// Sends until a final answer, or `attempts` times.
    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        url: reqwest::Url,
        body: Option<Value>,
    ) -> Result<T> {
        let mut delay = Duration::from_millis(100);
        let mut attempt = 1;
        loop {
            let (status, doc) = self.request(&method, &url, body.as_ref()).await;
            if status == 200 || status == 201 {
                return serde_json::from_value(doc.clone()).map_err(|e| Error {
                    details: Some(doc),
                    ..Error::new(
                        status,
                        "invalid_answer",
                        format!("the answer does not fit the client's types: {e}"),
                    )
                });
            }
            if !AGAIN.contains(&status) || attempt >= self.attempts {
                return Err(to_error(status, doc));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
            attempt += 1;
        }
    }

    async fn command<T: DeserializeOwned>(
        &self,
        machine: &str,
        key: &str,
        command: &str,
        input: Option<Value>,
        command_id: Option<&str>,
    ) -> Result<T> {
        let mut body = json!({"commandId": command_id.map_or_else(fresh_id, str::to_string)});
        if let Some(input) = input {
            body["input"] = input;
        }
        let url = self.url(&["v1", "machines", machine, key, command], &[]);
        self.call(reqwest::Method::POST, url, Some(body)).await
    }

    async fn get<T: DeserializeOwned>(&self, machine: &str, key: &str) -> Result<T> {
        let url = self.url(&["v1", "machines", machine, key], &[]);
        self.call(reqwest::Method::GET, url, None).await
    }

    async fn history(
        &self,
        machine: &str,
        key: &str,
        after: Option<u64>,
        limit: Option<usize>,
    ) -> Result<Value> {
        let query = [
            ("after", after.map(|a| a.to_string())),
            ("limit", limit.map(|l| l.to_string())),
        ];
        let url = self.url(&["v1", "machines", machine, key, "history"], &query);
        self.call(reqwest::Method::GET, url, None).await
    }

    async fn find<T: DeserializeOwned>(
        &self,
        machine: &str,
        where_: Option<&str>,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<T> {
        let query = [
            ("where", where_.map(str::to_string)),
            ("limit", limit.map(|l| l.to_string())),
            ("cursor", cursor.map(str::to_string)),
        ];
        let url = self.url(&["v1", "machines", machine], &query);
        self.call(reqwest::Method::GET, url, None).await
    }

    async fn start(
        &self,
        flow: &str,
        input: Value,
        idempotency_key: Option<&str>,
        wait: Option<&str>,
    ) -> Result<Value> {
        let mut body = json!({
            "flow": flow,
            "input": input,
            "idempotencyKey": idempotency_key.map_or_else(fresh_id, str::to_string),
        });
        if let Some(wait) = wait {
            body["wait"] = json!(wait);
        }
        let url = self.url(&["v1", "runs"], &[]);
        self.call(reqwest::Method::POST, url, Some(body)).await
    }
}
"#;

const CLIENT: &str = r#"
// ----- the client -----

/// The program's machines (one method each) and flows (`flows`).
#[derive(Clone, Debug)]
pub struct Client {
    http: Http,
}

impl Client {
    /// A client of the server `options` name; `invalid_options` when the
    /// URL is none.
    pub fn new(options: Options) -> Result<Client> {
        Ok(Client {
            http: Http::new(options)?,
        })
    }

    /// The program's flows.
    pub fn flows(&self) -> Flows {
        Flows {
            http: self.http.clone(),
        }
    }
"#;

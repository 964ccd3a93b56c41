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

/// The client's own definitions (errors, options, the HTTP requests with
/// their retries), the same for every program. Kept as text: it is code the
/// client's user compiles, not code of this crate (which speaks no HTTP).
const RUNTIME: &str = include_str!("rust_runtime.txt");

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

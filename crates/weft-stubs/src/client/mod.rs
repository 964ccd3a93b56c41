//! Typed clients of a program's machines and flows (`weft stubs --client`):
//! the calls a program that uses Weft makes, over the HTTP API.
//!
//! [`ClientModel::of`] reads the machines (their state and command input
//! types, by `weft_check::contract::machines`), the flows and the declared
//! types; [`generate_client`] writes one file. Both clients follow the
//! seed's `sdk` sketch (send a command with an input; on success, go on
//! with the answer) and the rules of `docs/machines.md`:
//!
//! - errors are values: every call answers a result that holds the value or
//!   the error (the API's code and message; a refused command's reason);
//! - a command carries a `commandId` (made when the caller gives none) and
//!   is sent again with the same id when no final answer came (no
//!   connection, 5xx, 429, or 202 while it is queued): the server applies
//!   it once; a flow's start carries an idempotency key the same way.
//!
//! Python (`client.py`, standard library only), TypeScript (`client.ts`,
//! Node 20 `fetch`, no dependencies) and Rust (`client.rs`, a module over
//! `reqwest`, `serde` and `tokio`) are generated; other languages are
//! [`Error::NoClient`].

use weft_check::contract::machines::{self, MachineContract};
use weft_check::contract::types::Type;
use weft_check::contract::Contracts;
use weft_check::SourceFile;

use crate::{Error, Lang, Model};

mod python;
mod rust;
mod typescript;

/// Most machines and flows one generated client serves.
pub const CLIENT_ITEMS_MAX: usize = 1_000;

/// The names the clients' own definitions take: a declared type may not
/// be named so ([`Error::ClientNameTaken`]).
pub const RUNTIME_NAMES: &[&str] = &[
    "Error",
    "WeftError",
    "Instance",
    "Page",
    "Result",
    "Client",
    "Flows",
    "Options",
    "Http",
    "T",
    "U",
];

/// More names the Rust client uses itself (its imports): a declared type
/// may not take them there either.
pub const RUST_NAMES: &[&str] = &[
    "Value",
    "Duration",
    "Serialize",
    "Deserialize",
    "DeserializeOwned",
];

/// What a client is generated from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientModel {
    /// The machines, in the order their names first appear.
    pub machines: Vec<MachineContract>,
    /// The flows' names, in source order.
    pub flows: Vec<String>,
    /// The program's `type` declarations, by name.
    pub types: Vec<(String, Type)>,
}

impl ClientModel {
    /// The client model of the program `files`.
    pub fn of(files: &[SourceFile<'_>]) -> ClientModel {
        let contracts = Contracts::index(files);
        let mut flows = Vec::new();
        for f in files {
            for flow in f.module.flows() {
                if !flows.contains(&flow.name.name) {
                    flows.push(flow.name.name.clone());
                }
            }
        }
        ClientModel {
            machines: machines::machines(files),
            flows,
            types: contracts
                .types
                .iter()
                .map(|(n, t)| (n.to_string(), t.clone()))
                .collect(),
        }
    }

    /// The worker model of the same types (for the generators' shared
    /// type definitions), with no activities.
    fn type_model(&self) -> Model {
        Model {
            activities: Vec::new(),
            types: self.types.clone(),
        }
    }
}

/// The conventional file name of the client in `lang`.
pub fn client_file_name(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Python => Some("client.py"),
        Lang::TypeScript => Some("client.ts"),
        Lang::Rust => Some("client.rs"),
        Lang::OpenApi | Lang::WasmPython | Lang::WasmJs => None,
    }
}

/// The generated client of `model` in `lang` (Python, TypeScript or Rust).
pub fn generate_client(model: &ClientModel, lang: Lang) -> Result<String, Error> {
    let items = model.machines.len() + model.flows.len();
    if items > CLIENT_ITEMS_MAX {
        return Err(Error::TooManyItems(items));
    }
    let taken = |n: &str| {
        let n = crate::naming::pascal(n);
        RUNTIME_NAMES.contains(&n.as_str())
            || (lang == Lang::Rust && RUST_NAMES.contains(&n.as_str()))
    };
    if let Some((name, _)) = model.types.iter().find(|(n, _)| taken(n)) {
        return Err(Error::ClientNameTaken(name.clone()));
    }
    match lang {
        Lang::Python => Ok(python::generate(model)),
        Lang::TypeScript => Ok(typescript::generate(model)),
        Lang::Rust => Ok(rust::generate(model)),
        Lang::OpenApi | Lang::WasmPython | Lang::WasmJs => Err(Error::NoClient(lang)),
    }
}

/// `name` as an identifier that clashes with none of `reserved` (or a
/// keyword of the language): `name_` if it would.
fn ident(name: &str, reserved: &[&str]) -> String {
    if reserved.contains(&name) || name.starts_with('_') {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

//! What a Weft program's activities need implemented, generated as code.
//!
//! [`Model::of`] collects every activity the flows of a program call:
//! declared ones (see `docs/language.md`, "Activity contracts") with their
//! parameter and result types, undeclared ones with the arguments seen at
//! their call sites (positional count, named argument names), typed `any`.
//! [`generate`] turns the model into one file:
//!
//! - [`Lang::Rust`]: a worker for the `weft-worker` SDK, serde structs for
//!   the declared types (`rust.rs`);
//! - [`Lang::TypeScript`]: a worker over the HTTP API with plain `fetch`
//!   (Node 20, no dependencies), interfaces for the types (`typescript.rs`);
//! - [`Lang::Python`]: a worker over the HTTP API with the standard library
//!   only, `TypedDict`s for the types (`python.rs`);
//! - [`Lang::OpenApi`]: an OpenAPI 3.0 document of push endpoints, one
//!   `POST` per activity, as the server's push dispatch calls them
//!   (`openapi.rs`);
//! - [`Lang::WasmPython`], [`Lang::WasmJs`]: the source of a WebAssembly
//!   component implementing the `weft:activity` world, for componentize-py
//!   and componentize-js (`wasm.rs`).
//!
//! The three workers share how each activity is prepared and how the file
//! is laid out (`emit.rs`); each language's module writes only its syntax
//! and its doc texts.
//!
//! [`generate_client`] writes the other side: typed clients of the
//! program's machines and flows for programs that call Weft, in Rust,
//! TypeScript and Python (`client`).
//!
//! Every generated handler fails permanently with "not implemented: Name"
//! until someone writes it, so the generated worker builds and runs as is.
//! Workers bind the arguments list to parameters by the rule of
//! [`weft_check::contract::args`]. The library does no I/O: the CLI
//! (`weft stubs`) reads the sources and writes the result.

#![warn(missing_docs)]

mod client;
mod emit;
mod model;
mod naming;
mod openapi;
mod python;
mod rust;
mod typescript;
mod wasm;

pub use client::{client_file_name, generate_client, ClientModel, CLIENT_ITEMS_MAX};
pub use model::{Activity, Model, Param, ACTIVITIES_MAX};

/// The languages (and formats) stubs are generated in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// A Rust worker for the `weft-worker` SDK (`main.rs`).
    Rust,
    /// A TypeScript worker over the HTTP API (`worker.ts`).
    TypeScript,
    /// A Python worker over the HTTP API (`worker.py`).
    Python,
    /// An OpenAPI 3.0 document of push endpoints (`openapi.json`).
    OpenApi,
    /// A WebAssembly component's Python source (`guest.py`).
    WasmPython,
    /// A WebAssembly component's JavaScript source (`guest.js`).
    WasmJs,
}

impl Lang {
    /// The conventional file name of the generated file.
    pub fn file_name(self) -> &'static str {
        match self {
            Lang::Rust => "main.rs",
            Lang::TypeScript => "worker.ts",
            Lang::Python => "worker.py",
            Lang::OpenApi => "openapi.json",
            Lang::WasmPython => "guest.py",
            Lang::WasmJs => "guest.js",
        }
    }
}

/// Why stubs could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The program calls more activities than [`ACTIVITIES_MAX`].
    #[error("the program calls {0} activities; stubs are generated for at most {ACTIVITIES_MAX}")]
    TooManyActivities(usize),
    /// The program has more machines and flows than [`CLIENT_ITEMS_MAX`].
    #[error("the program has {0} machines and flows; clients are generated for at most {CLIENT_ITEMS_MAX}")]
    TooManyItems(usize),
    /// No client is generated in this language.
    #[error("clients are generated in Rust, Python and TypeScript only, not {0:?}")]
    NoClient(Lang),
    /// A declared type has the name of one of the client's own definitions
    /// ([`client::RUNTIME_NAMES`]).
    #[error(
        "the type `{0}` has the name of a definition of the generated client; rename the type"
    )]
    ClientNameTaken(String),
}

/// The generated file for `model` in `lang`.
pub fn generate(model: &Model, lang: Lang) -> Result<String, Error> {
    if model.activities.len() > ACTIVITIES_MAX {
        return Err(Error::TooManyActivities(model.activities.len()));
    }
    Ok(match lang {
        Lang::Rust => rust::generate(model),
        Lang::TypeScript => typescript::generate(model),
        Lang::Python => python::generate(model),
        Lang::OpenApi => openapi::generate(model),
        Lang::WasmPython => wasm::python(model),
        Lang::WasmJs => wasm::js(model),
    })
}

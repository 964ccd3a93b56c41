//! API descriptions to Weft activity contracts: OpenAPI 3.0 documents
//! bound to the documented HTTP endpoints (`weft import openapi`), and
//! `.proto` services bound to their gRPC methods (`weft import grpc`,
//! [`grpc`]).
//!
//! [`import`] reads a document (JSON or YAML) and writes Weft source:
//!
//! - a `type` per schema of `components.schemas` (`schema.rs`): objects
//!   (closed unless `additionalProperties` allows more), arrays, enums as
//!   `string`, `$ref`s by name, `allOf` merged into one object, `oneOf` and
//!   `anyOf` as unions, anything else as `any`; `nullable` adds `| null`;
//! - an `activity` per operation (`operation.rs`), named after its
//!   `operationId` in PascalCase, with a parameter per path, query and
//!   header parameter and a `body` parameter for a JSON request body, the
//!   type of the first 2xx JSON response as its result, and
//!   `@http(method, url, query, headers, body)` saying where each
//!   parameter goes (see `docs/language.md`, "HTTP bindings").
//!
//! What cannot be expressed is left out with a [warning](Import::warnings)
//! (cookie parameters, operations whose required body is not JSON). Every
//! limit is a named constant and errors say which operation or schema they
//! are about. The library does no I/O.

#![warn(missing_docs)]

pub mod grpc;
mod names;
mod operation;
mod schema;

pub use grpc::GrpcOptions;

use openapiv3::OpenAPI;

/// Largest document accepted, in bytes.
pub const SPEC_BYTES_MAX: usize = 32 * 1024 * 1024;
/// Most operations imported from one document.
pub const OPERATIONS_MAX: usize = 2_000;
/// Most schemas in `components.schemas`.
pub const SCHEMAS_MAX: usize = 10_000;
/// Deepest nesting of inline schemas (objects in arrays in objects ...).
pub const SCHEMA_DEPTH_MAX: usize = 32;
/// Most members of a union from `oneOf`/`anyOf`; more become `any`.
pub const UNION_MEMBERS_MAX: usize = 32;
/// Most methods imported from one `.proto` file.
pub const METHODS_MAX: usize = 2_000;
/// Most messages and enums that the imported methods of a `.proto` reach.
pub const MESSAGES_MAX: usize = 10_000;

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The URL the operations' paths are appended to. Default: the
    /// document's first server, which must then be an absolute URL.
    pub base_url: Option<String>,
    /// Names the activities `<namespace>.<Name>` (dotted names, such as
    /// `petstore.GetPetById`), so that several APIs' operations keep apart.
    pub namespace: Option<String>,
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct Import {
    /// The Weft source: `type` and `activity` declarations.
    pub source: String,
    /// Activities written.
    pub activities: usize,
    /// Types written.
    pub types: usize,
    /// What was left out, and why.
    pub warnings: Vec<String>,
}

/// Why a document could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not an OpenAPI 3.0 document.
    #[error("not an OpenAPI 3.0 document: {0}")]
    Parse(String),
    /// A limit was exceeded.
    #[error("the document has {count} {what}; the limit is {limit}")]
    TooMany {
        /// What there are too many of.
        what: &'static str,
        /// How many there are.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// No absolute base URL.
    #[error("{0}")]
    BaseUrl(String),
    /// A schema cannot be imported.
    #[error("schema {context}: {message}")]
    Schema {
        /// Which schema (and where in it).
        context: String,
        /// What is wrong.
        message: String,
    },
    /// The `.proto` files do not compile.
    #[error("{0}")]
    Proto(String),
    /// No usable gRPC target.
    #[error("{0}")]
    Target(String),
    /// The service asked for is not in the file.
    #[error("{0}")]
    Service(String),
    /// The namespace given for the activities' names is not one.
    #[error("{0}")]
    Namespace(String),
    /// An operation cannot be imported.
    #[error("operation {operation}: {message}")]
    Operation {
        /// Which operation (`operationId`, method and path).
        operation: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads an OpenAPI 3.0 document, JSON or YAML.
pub fn parse(text: &str) -> Result<OpenAPI, Error> {
    if text.len() > SPEC_BYTES_MAX {
        return Err(Error::TooMany {
            what: "bytes",
            count: text.len(),
            limit: SPEC_BYTES_MAX,
        });
    }
    let api: OpenAPI = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| Error::Parse(e.to_string()))?
    } else {
        yaml_serde::from_str(text).map_err(|e| Error::Parse(e.to_string()))?
    };
    if !api.openapi.starts_with("3.0") {
        return Err(Error::Parse(format!(
            "the document is OpenAPI {}; only 3.0 is supported",
            api.openapi
        )));
    }
    Ok(api)
}

/// Imports the document `text` as Weft declarations.
pub fn import(text: &str, options: &Options) -> Result<Import, Error> {
    let api = parse(text)?;
    import_api(&api, options)
}

/// Imports a parsed document.
pub fn import_api(api: &OpenAPI, options: &Options) -> Result<Import, Error> {
    if let Some(ns) = &options.namespace {
        names::check_namespace(ns).map_err(Error::Namespace)?;
    }
    let base = base_url(api, options)?;
    let mut warnings = Vec::new();
    let mut types = schema::Types::new(api)?;
    let mut decls = Vec::new();
    let ops = operation::collect(api)?;
    let mut activity_names = names::Taken::default();
    for op in &ops {
        match operation::activity(
            api,
            op,
            &base,
            &mut types,
            &mut activity_names,
            options.namespace.as_deref(),
        ) {
            Ok(Ok(text)) => decls.push(text),
            Ok(Err(warning)) => warnings.push(warning),
            Err(e) => return Err(e),
        }
    }
    let type_decls = types.declarations()?;
    let mut source = String::new();
    source.push_str(&format!(
        "// Activity contracts imported from the OpenAPI document \"{}\" (version {}).\n// Generated by `weft import openapi`; the endpoints are under {}.\n",
        names::one_line(&api.info.title),
        names::one_line(&api.info.version),
        base
    ));
    for t in &type_decls {
        source.push('\n');
        source.push_str(t);
    }
    for d in &decls {
        source.push('\n');
        source.push_str(d);
    }
    Ok(Import {
        activities: decls.len(),
        types: type_decls.len(),
        source,
        warnings,
    })
}

/// The base URL: the option, or the first server with its variables'
/// defaults.
fn base_url(api: &OpenAPI, options: &Options) -> Result<String, Error> {
    if let Some(b) = &options.base_url {
        if !(b.starts_with("http://") || b.starts_with("https://")) {
            return Err(Error::BaseUrl(format!(
                "the base URL `{b}` must start with http:// or https://"
            )));
        }
        return Ok(b.trim_end_matches('/').to_string());
    }
    let Some(server) = api.servers.first() else {
        return Err(Error::BaseUrl(
            "the document names no server: give the base URL (--base-url)".into(),
        ));
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, v) in vars {
            url = url.replace(&format!("{{{name}}}"), &v.default);
        }
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::BaseUrl(format!(
            "the document's server URL `{url}` is not absolute: give the base URL (--base-url)"
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

//! Activities that are unary gRPC methods (`@grpc(...)` bindings): the
//! server calls them directly, with dynamic messages built from the
//! `.proto` files deployed with the program.
//!
//! - [`protos`]: `.proto` sources compiled in memory with protox (no
//!   `protoc`; the well-known `google/protobuf/*` files are built in), and
//!   the files a `.proto` imports gathered for a deploy.
//! - [`method`]: a binding resolved against the descriptors (file,
//!   service, unary method, fields), a call's JSON arguments to the request
//!   message and the response back to JSON (proto3's JSON mapping, with the
//!   choices flows need).
//! - [`client`]: one attempt with tonic: deadline, call id and attempt in
//!   metadata, and the status codes read as retryable or final failures
//!   ([`client::STATUS_CODES`]).
//! - [`program`]: a program's bindings checked against its `.proto` files
//!   (diagnostics E0207 for `weft check` and the deploy), and the methods
//!   the server dispatches to.
//!
//! **Why the `.proto` travels with the program.** The descriptors must be
//! at hand when the server calls: they are the `.proto` files themselves,
//! deployed next to the Weft files of the program (`weft deploy` sends the
//! files the bindings name and what they import) and stored with its
//! version. So a version is self-contained and reproducible: the server
//! needs no file of its own, every node of a cluster reads the same
//! descriptors from the store, a changed `.proto` takes effect with the
//! deploy that brings it (checked then, with the flows), and the text an
//! operator sees is the text people wrote rather than an encoded
//! descriptor set. Compiling a `.proto` takes about a millisecond, so the
//! server compiles each version's files when it learns the version.
//!
//! The library does no I/O other than the calls themselves: files are read
//! by the caller.

#![warn(missing_docs)]

pub mod client;
pub mod method;
pub mod program;
pub mod protos;

use std::time::Duration;

pub use client::{Attempt, Client, Failure};
pub use method::Method;
/// The descriptors' library, for tools that walk them (the importer).
pub use prost_reflect;
pub use protos::{is_proto, Sources};

/// The metadata entry carrying the call id: the same for every attempt of
/// one call, so the service can deduplicate (activities run at least once).
pub const CALL_ID_METADATA: &str = "weft-call-id";
/// The metadata entry carrying the attempt number, from 1.
pub const ATTEMPT_METADATA: &str = "weft-attempt";

/// Most `.proto` files in one program (with their imports).
pub const PROTO_FILES_MAX: usize = 256;
/// Largest `.proto` file, in bytes.
pub const PROTO_FILE_BYTES_MAX: usize = 1024 * 1024;
/// Largest response message accepted, in bytes (gRPC's usual default).
pub const RESPONSE_BYTES_MAX: usize = 4 * 1024 * 1024;
/// Deepest nesting of messages in a request that Weft's time and duration
/// forms are looked for in (the protobuf decoders' own limit is 100).
pub const MESSAGE_DEPTH_MAX: usize = 64;
/// Longest wait for a connection to a target.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Most channels (one per target) kept open; past it they are all closed
/// and made again on use.
pub const CHANNELS_MAX: usize = 1_024;

/// Why `.proto` files could not be read or compiled.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file does not compile, is missing or too large.
    #[error("{file}: {message}")]
    Proto {
        /// The file (as imported).
        file: String,
        /// What is wrong, with `line:col` where known.
        message: String,
        /// Where in the file (byte offsets), when known.
        span: Option<(usize, usize)>,
    },
    /// A limit was exceeded.
    #[error("there are {count} {what}; the limit is {limit} ({limit_name})")]
    TooMany {
        /// What there are too many of.
        what: &'static str,
        /// How many there are.
        count: usize,
        /// The limit.
        limit: usize,
        /// The limit's constant.
        limit_name: &'static str,
    },
}

//! The language server of the Weft flow language: `weft lsp`, over
//! standard input and output.
//!
//! # Layout
//!
//! - [`ide`]: the editor features in the language's own terms (byte
//!   offsets, spans, files of a program): name resolution, completion,
//!   hover, definition, references, rename, the outline. It knows nothing
//!   of LSP and can be tested with plain strings.
//! - `lsp`: the protocol (`lsp-server`, `lsp-types`): the main loop,
//!   the documents and the folders they belong to, positions in UTF-16,
//!   conversions. Only this crate knows LSP and its JSON.
//!
//! # Programs
//!
//! As `weft check` does, the `.weft` files of one folder are one program:
//! a change in one file checks its siblings again (open documents from the
//! editor's memory, the others from disk), and definitions, references and
//! renames of flows, declared activities and types reach across them
//! (declarations often live in a file of their own, such as
//! `contracts.weft`).
//!
//! # Limits
//!
//! The parser bounds nesting (`weft_syntax::NESTING_MAX`) and file size
//! (`SOURCE_BYTES_MAX`); a program takes at most `FOLDER_FILES_MAX` files
//! (and says so in the log when a folder has more); a message at most
//! `MESSAGE_BYTES_MAX` bytes; a completion list at most
//! [`ide::completion::COMPLETIONS_MAX`] items (and says it is incomplete
//! when cut). Every request is linear in the size of the program.

pub mod ide;
mod lsp;

/// Why a session ended badly.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing the streams failed.
    #[error("LSP input or output failed: {0}")]
    Io(#[from] std::io::Error),
    /// The client sent `exit` without `shutdown` first.
    #[error("the client sent `exit` before `shutdown`")]
    ExitWithoutShutdown,
    /// The client closed the connection without `exit`.
    #[error("the client closed the connection without `exit`")]
    Disconnected,
}

/// Serves one client on standard input and output until it sends
/// `shutdown` and `exit`. Malformed messages and requests before
/// `initialize` are answered with JSON-RPC errors; only the end of the
/// input (or `exit`) ends the session.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = lsp::transport::stdio();
    let result = lsp::serve(&connection);
    drop(connection);
    // After `exit` the reader has stopped; otherwise it may still wait on
    // standard input, so wait only for the writer to flush.
    io_threads.join(result.is_ok())?;
    result
}

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
//! (`SOURCE_BYTES_MAX`); a program takes at most
//! `FOLDER_FILES_MAX` files; a completion list at most
//! [`ide::completion::COMPLETIONS_MAX`] items. Every request is linear in
//! the size of the program.

pub mod ide;
mod lsp;

use lsp_server::Connection;

/// Why a session ended badly.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The client broke the protocol (or `initialize` never came).
    #[error("LSP protocol error: {0}")]
    Protocol(String),
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
/// `shutdown` and `exit`.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let result = lsp::serve(&connection);
    drop(connection);
    // After a clean end the reader has stopped at `exit`; after an error it
    // may still wait on standard input, so do not wait for it.
    if result.is_ok() {
        io_threads.join()?;
    }
    result
}

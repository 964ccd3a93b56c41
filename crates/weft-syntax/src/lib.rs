//! The Weft flow language's front end: lexer, parser, syntax tree and
//! diagnostics. It does no I/O; every function takes text and returns data.
//!
//! Parsing never fails: [`parse`] returns a tree (with `Error` nodes where
//! the text did not parse) and the diagnostics, so tools such as the
//! language server work on half-typed code.

pub mod assign_forks;
pub mod ast;
pub mod diagnostic;
pub mod lang;
pub mod lexer;
pub mod parser;
pub mod reports;
pub mod sexp;
pub mod span;
pub mod visit;

pub use diagnostic::{Diagnostic, Edit, Fix, Severity};
pub use parser::{parse, parse_expr, Parse, NESTING_MAX};
pub use span::{LineIndex, Span};

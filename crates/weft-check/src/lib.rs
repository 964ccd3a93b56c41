//! The static checker of the Weft flow language: it reads syntax trees
//! from `weft-syntax` and returns [`Diagnostic`]s. It does no I/O.
//!
//! # What it checks
//!
//! - **Names** (E0100): every name read is a variable in scope or a flow.
//! - **Definite assignment** (E0101, W0102): a variable is read only where
//!   it surely holds a value. Variables belong to their whole flow (as in
//!   Python), so a name assigned anywhere in a flow is a variable of that
//!   flow from its first line, and reading it early is E0101, not E0100.
//! - **Calls** (E0140-E0144): flows are unique, called with the right
//!   number of arguments and known parameter names; built-ins too.
//! - **Annotations** (E0110-E0113), **awaits** (E0120, W0160, W0170),
//!   **control flow** (E0130, E0150) and **declarations** (E0151, E0152,
//!   W0161, W0162).
//! - **Activity contracts** (E0200-E0208, W0210): `activity` and `type`
//!   declarations are well formed (`declarations.rs`), and calls of
//!   declared activities fit them: arity, argument types where known, and
//!   field reads on their results (`typing.rs`). [`contract`] is the
//!   model other tools share (stub generators, the server's `@http` and
//!   `@grpc` bindings).
//!
//! Every code is listed in [`codes`] and explained in `docs/diagnostics.md`.
//!
//! Besides findings, [`forks`] tells tools which calls start concurrently
//! and where flows wait for them.
//!
//! # How
//!
//! Each top-level flow is walked once, statement by statement, carrying a
//! state (`flow_sensitivity.rs`) that says, for each variable of the current
//! scope, whether it *may* and whether it *must* have been assigned. `if`s
//! split and join it; `return`, `break` and `continue` make the rest of a
//! block unreachable (and E0130 reports a statement there). Loops are
//! summarised rather than iterated: since nothing unassigns a variable, one
//! silent pass over a body tells what an iteration may assign, which is all
//! the loop's head needs (see `flow_sensitivity.rs`).
//!
//! `func`s and inline flows are scopes of their own, walked where they are
//! written. They capture the values of the enclosing variables at that
//! point, so each starts from the enclosing state: reading a captured
//! variable follows the same rules, and assigning it only changes the copy
//! (W0162).
//!
//! # Limits
//!
//! The walk recurses once per level of the tree, whose depth the parser
//! bounds by [`weft_syntax::NESTING_MAX`]; no pass adds depth of its own.
//! A flow that holds a syntax error (an `Error` node) gets no findings about
//! names or assignment: the parser reported the error, and what the broken
//! part assigned or read is unknown.

#![warn(missing_docs)]

mod annotations;
mod awaits;
mod calls;
pub mod codes;
mod conditions;
pub mod contract;
mod declarations;
mod durations;
mod flow_sensitivity;
mod forks;
pub mod json;
mod loops;
mod machine_calls;
mod machine_decls;
mod machines;
mod names;
mod program;
pub mod schedules;
mod scope;
pub mod suggest;
pub mod triggers;
mod typing;
mod walk;

pub use forks::{forks, Fork, ForkKind, Forks, Join};
pub use typing::{activity_calls, variable_types, ActivityCall, KnownTypes};
use weft_syntax::ast::Module;
pub use weft_syntax::Diagnostic;

/// One file of a program: its name (as shown in messages) and its tree.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    /// The file's name, such as `register-user.weft`.
    pub name: &'a str,
    /// Its syntax tree.
    pub module: &'a Module,
}

/// Checks the files of one program together: flows may call flows of other
/// files. Returns the diagnostics of each file, in the order of `files`,
/// each list sorted by position.
pub fn check_program(files: &[SourceFile<'_>]) -> Vec<Vec<Diagnostic>> {
    let mut out: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    let program = program::Program::index(files, &mut out);
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            walk::check_flow(&program, file, flow, &mut out[file]);
        }
    }
    loops::check(files, &mut out);
    durations::check(files, &mut out);
    for (_, _, handler) in program.machines.handlers() {
        walk::check_handler(&program, handler.file, handler, &mut out[handler.file]);
    }
    let contracts = contract::Contracts::index(files);
    let calls = typing::check(files, &program, &contracts, &mut out);
    declarations::check(files, &program, &contracts, &calls, &mut out);
    machine_decls::check_declarations(files, &program, &contracts, &mut out);
    triggers::check(files, &program, &mut out);
    for diags in &mut out {
        // Stable: findings at one place keep the order they were found in.
        diags.sort_by_key(|d| (d.span.start, d.span.end));
    }
    out
}

/// Checks one module alone, as a program of one file.
pub fn check_module(module: &Module) -> Vec<Diagnostic> {
    check_program(&[SourceFile { name: "", module }])
        .pop()
        .unwrap_or_default()
}

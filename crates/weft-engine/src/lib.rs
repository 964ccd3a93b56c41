//! The Weft engine: compiles flows to bytecode and advances runs.
//!
//! It is sans-IO: [`machine::apply`] takes a run's state and an event and
//! returns the new state, the journal entries to record and the commands to
//! carry out. Time, randomness and ids come in through [`machine::Env`]. The
//! runtime crate owns storage, timers and activities; tests drive this crate
//! directly with a fake clock.

pub mod builtins;
pub mod compact;
pub mod compile;
pub mod condition;
pub mod dump;
pub mod invariants;
pub mod limits;
pub mod listing;
pub mod machine;
pub mod machines;
pub mod ops;
pub mod program;
pub mod replay;
pub mod state;
pub mod stored;
pub mod time;
pub mod upgrade;
pub mod value;
pub mod work;

pub use compile::{
    compile, compile_in, compile_source, compile_sources, compile_sources_in, CompileError,
};
pub use invariants::Violations;
pub use machine::{apply, bind_input, start, ActionError, Env, Output};
pub use program::{Edition, FuncId, Program};
pub use state::{Command, Entry, EntryKind, Event, RunState, Status, Task};
pub use value::Value;

//! Runs flows durably.
//!
//! * [`host::Host`] applies events to runs and turns the engine's commands
//!   into store writes (one batch, one transaction) and effects.
//! * [`runtime::Runtime`] drives a host in real time: a core thread, a
//!   writer thread (group commit), and [`runtime::Dispatcher`]s that run
//!   activities ([`activities::Activities`] for Rust functions).
//! * [`sim`] drives a host in virtual time with scripted activities: the
//!   engine behind `weft test` and the crash-safety property tests.

pub mod activities;
mod contain;
pub mod host;
pub mod ids;
pub mod metrics;
pub mod runtime;
pub mod sim;
pub mod travel;

pub use activities::{Activities, ActivityCtx, ActivityError};
pub use host::{
    CallbackError, Effect, Host, HostError, Started, Unreadable, UnreadableKind, UpgradeReport,
    UpgradeTarget, UpgradeVerdict,
};
pub use runtime::{Dispatcher, ResultSink, Runtime};

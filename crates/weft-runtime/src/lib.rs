//! Runs flows durably.
//!
//! * [`host::Host`] applies events to runs and turns the engine's commands
//!   into store writes (one batch, one transaction) and effects.
//! * [`sim`] drives a host in virtual time with scripted activities: the
//!   engine behind `weft test` and the crash-safety property tests.

pub mod host;
pub mod ids;
pub mod sim;

pub use host::{CallbackError, Effect, Host, HostError, Started};

//! Weft as a service.

pub mod queue;

//! The deployment plan: where each activity a Weft program calls runs.
//!
//! A plan is a TOML file (`docs/deploying.md`): placements in order, each
//! naming activities (names, or patterns with `*`) and one target, an
//! embedded WebAssembly component (`wasm`), a group of remote pull workers
//! (`worker`, with autoscaling rules under `[workers.NAME]`), a push
//! endpoint (`push`), or the binding the activity's declaration carries
//! (`binding = "http"` / `"grpc"`); limits (`concurrency`, `rate`,
//! `timeout`, `memory`) per placement or under `[defaults]`. The first
//! placement that matches an activity decides.
//!
//! - [`parse`]: the file to a [`Plan`] and diagnostics;
//! - [`check::check_plan`], [`check::check_program`]: mistakes in the plan,
//!   and against the program it places (codes in [`codes`]);
//! - [`check::resolve`]: the placement of every called activity;
//! - [`kube::export`]: Deployments and KEDA ScaledObjects for the worker
//!   groups.
//!
//! The library does no I/O: the CLI and the server read the files.

#![warn(missing_docs)]

pub mod check;
pub mod codes;
pub mod kube;
pub mod limits;
pub mod model;
mod parse;

pub use check::{check_plan, check_program, limits_of, resolve, Called, Program, Resolved};
pub use model::{Binding, Limits, Place, Plan, Rate, Target, Unplaced, WorkerGroup};
pub use parse::parse;

/// A byte count as people write it (`64MiB`).
pub fn format_bytes(b: u64) -> String {
    if b >= 1 << 30 && b.is_multiple_of(1 << 30) {
        format!("{}GiB", b >> 30)
    } else if b >= 1 << 20 && b.is_multiple_of(1 << 20) {
        format!("{}MiB", b >> 20)
    } else if b >= 1 << 10 && b.is_multiple_of(1 << 10) {
        format!("{}KiB", b >> 10)
    } else {
        format!("{b}B")
    }
}

/// A rate as people write it (`100/s`).
pub fn format_rate(r: Rate) -> String {
    if r.per_ms == 1000 {
        format!("{}/s", r.calls)
    } else if r.per_ms == 60_000 {
        format!("{}/min", r.calls)
    } else {
        format!(
            "{}/{}",
            r.calls,
            weft_engine::time::format_duration(r.per_ms)
        )
    }
}

/// Reads and checks a plan: its own mistakes, and with `program` those
/// against the program, sorted by place in the file. The plan holds what
/// could be read.
pub fn check_text(
    text: &str,
    program: Option<&Program>,
    component_exists: &dyn Fn(&str) -> bool,
) -> (Plan, Vec<weft_syntax::Diagnostic>) {
    let (plan, mut diags) = parse(text);
    if !diags.iter().any(|d| d.code == codes::SYNTAX) {
        diags.extend(check_plan(&plan, component_exists));
        if let Some(p) = program {
            diags.extend(check_program(&plan, p));
        }
    }
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    (plan, diags)
}

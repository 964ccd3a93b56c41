//! Scenario files: the test format of `weft test`.
//!
//! A scenario names a flow file, an input, what each activity answers
//! attempt by attempt, and what the run must show. It runs in virtual time
//! on the real engine (the same host and store contract as production), so
//! `@timeout(7days)` takes microseconds and elapsed time is exact.

pub mod compare;
pub mod format;
pub mod runner;

pub use format::{load, parse, FormatError, Scenario};
pub use runner::{run, Mocks, Report};

use std::path::{Path, PathBuf};

/// Scenario files under `paths`: files as given, folders searched
/// recursively for `*.test.yaml`, in a stable order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".test.yaml"))
        {
            out.push(p);
        }
    }
    Ok(())
}

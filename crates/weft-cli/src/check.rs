//! `weft check`: diagnostics for flow files, for people or as JSON.
//!
//! Files in the same folder form one program (a flow in one file may call a
//! flow in another, as after a deploy of that folder); folders are checked
//! independently of each other.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;
use weft_syntax::{Diagnostic, LineIndex};

/// A file with its diagnostics.
pub struct Checked {
    /// The file as named on the command line.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Its diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and checks `paths`; `Err` for files that cannot be read.
pub fn check_paths(paths: &[PathBuf]) -> Result<Vec<Checked>, String> {
    let mut by_dir: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for p in paths {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        let dir = p.parent().map(|d| d.to_path_buf()).unwrap_or_default();
        by_dir
            .entry(dir)
            .or_default()
            .push((p.display().to_string(), text));
    }
    let mut out = Vec::new();
    for (_, files) in by_dir {
        out.extend(check_program(files));
    }
    Ok(out)
}

/// Checks files as one program: syntax first; files with syntax errors are
/// not checked further (their trees have holes the checker would trip on).
pub fn check_program(files: Vec<(String, String)>) -> Vec<Checked> {
    let parsed: Vec<_> = files
        .into_iter()
        .map(|(name, text)| {
            let parse = weft_syntax::parse(&text);
            (name, text, parse)
        })
        .collect();
    let clean: Vec<usize> = (0..parsed.len())
        .filter(|&i| !parsed[i].2.has_errors())
        .collect();
    let sources: Vec<weft_check::SourceFile> = clean
        .iter()
        .map(|&i| weft_check::SourceFile {
            name: &parsed[i].0,
            module: &parsed[i].2.module,
        })
        .collect();
    let mut checked = weft_check::check_program(&sources);
    let mut out = Vec::new();
    for (i, (name, text, parse)) in parsed.into_iter().enumerate() {
        let mut diagnostics = parse.diagnostics;
        if let Some(pos) = clean.iter().position(|&c| c == i) {
            diagnostics.append(&mut checked[pos]);
        }
        diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        out.push(Checked {
            name,
            text,
            diagnostics,
        });
    }
    out
}

/// Diagnostics rendered for a terminal, plus a summary line.
pub fn render_human(files: &[Checked]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for f in files {
        let index = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            if d.is_error() {
                errors += 1;
            } else {
                warnings += 1;
            }
            out.push_str(&weft_syntax::diagnostic::render(
                &f.name, &f.text, &index, d,
            ));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "checked {} file(s): {errors} error(s), {warnings} warning(s)\n",
        files.len()
    ));
    out
}

/// Diagnostics as JSON for tools.
pub fn render_json(files: &[Checked]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|f| weft_check::json::diagnostics(&f.name, &f.text, &f.diagnostics))
        .collect();
    let errors = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.is_error())
        .count();
    json!({"diagnostics": list, "errors": errors, "warnings": list.len() - errors, "files": files.len()})
}

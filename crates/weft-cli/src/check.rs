//! `weft check`: diagnostics for flow files, for people or as JSON.
//!
//! Files in the same folder form one program (a flow in one file may call a
//! flow in another, as after a deploy of that folder); folders are checked
//! independently of each other. `@grpc` bindings are checked against the
//! `.proto` files they name, read from the same folder (`.proto` files
//! given on the command line are compiled too).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    for (dir, files) in by_dir {
        let (protos, weft): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(name, _)| weft_grpc::is_proto(name));
        let given: Vec<String> = protos
            .iter()
            .filter_map(|(name, _)| {
                std::path::Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .collect();
        out.extend(check_folder(&dir, weft, &given));
    }
    Ok(out)
}

/// Checks the Weft files of one folder as a program, and its `@grpc`
/// bindings against the `.proto` files they name (read from `dir`) and the
/// `.proto` files `given` on the command line.
fn check_folder(dir: &Path, files: Vec<(String, String)>, given: &[String]) -> Vec<Checked> {
    let mut out = check_program(files);
    let findings = grpc_findings(dir, &out, given);
    for (file, d) in findings {
        match out.iter_mut().find(|c| c.name == file) {
            Some(c) => c.diagnostics.push(d),
            None => {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                out.push(Checked {
                    name: file,
                    text,
                    diagnostics: vec![d],
                });
            }
        }
    }
    for c in &mut out {
        c.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    }
    out
}

/// The findings about the `@grpc` bindings of checked files: (file, E0207).
fn grpc_findings(dir: &Path, checked: &[Checked], given: &[String]) -> Vec<(String, Diagnostic)> {
    let parsed: Vec<_> = checked
        .iter()
        .map(|c| weft_syntax::parse(&c.text))
        .collect();
    let sources: Vec<weft_check::SourceFile> = checked
        .iter()
        .zip(&parsed)
        .filter(|(_, p)| !p.has_errors())
        .map(|(c, p)| weft_check::SourceFile {
            name: &c.name,
            module: &p.module,
        })
        .collect();
    let bound = weft_grpc::program::bound(&sources);
    let mut names = weft_grpc::program::named_protos(&sources);
    for g in given {
        if !names.contains(g) {
            names.push(g.clone());
        }
    }
    let mut findings: Vec<(String, Diagnostic)> = Vec::new();
    let mut protos = weft_grpc::Sources::new();
    for name in &names {
        match crate::protos::read(dir, std::slice::from_ref(name)) {
            Ok(read) => protos.extend(read),
            Err(e) => {
                // Said once, at the first binding that names the file.
                let naming = bound.iter().find(|b| b.binding.proto == *name);
                if let Some(b) = naming {
                    findings.push((
                        b.file.to_string(),
                        Diagnostic::error(
                            weft_check::codes::BINDING,
                            b.span,
                            format!("`{name}` in {}: {e}", crate::protos::shown(dir)),
                        ),
                    ));
                } else {
                    findings.push((
                        dir.join(name).display().to_string(),
                        Diagnostic::error(
                            weft_check::codes::BINDING,
                            weft_syntax::Span::new(0, 0),
                            e.to_string(),
                        ),
                    ));
                }
            }
        }
    }
    if findings.is_empty() {
        for f in weft_grpc::program::check(&sources, &protos) {
            let file = if weft_grpc::is_proto(&f.file) {
                dir.join(&f.file).display().to_string()
            } else {
                f.file
            };
            findings.push((file, f.diagnostic));
        }
    }
    findings
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

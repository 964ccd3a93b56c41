//! `weft stubs`: what the program's activities need implemented, as a
//! worker (Rust, TypeScript, Python) or an OpenAPI document of push
//! endpoints; with `--client`, a typed client of the program's machines and
//! flows (Rust, Python, TypeScript). The files given form one program; it must
//! check without errors first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::check;

/// Generates stubs (or, with `client`, a client) for `files` in `lang`, to
/// `out` or standard output.
pub fn run(
    files: &[PathBuf],
    lang: weft_stubs::Lang,
    client: bool,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if client && weft_stubs::client_file_name(lang).is_none() {
        eprintln!("weft: --client generates rust, python or typescript, not {lang:?}");
        return Ok(ExitCode::from(2));
    }
    let mut texts = Vec::new();
    for p in files {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        texts.push((p.display().to_string(), text));
    }
    let checked = check::check_program(texts.clone());
    if checked
        .iter()
        .any(|c| c.diagnostics.iter().any(|d| d.is_error()))
    {
        eprint!("{}", check::render_human(&checked));
        return Ok(ExitCode::from(1));
    }
    let parsed: Vec<_> = texts.iter().map(|(_, t)| weft_syntax::parse(t)).collect();
    let sources: Vec<weft_check::SourceFile> = texts
        .iter()
        .zip(&parsed)
        .map(|((name, _), p)| weft_check::SourceFile {
            name,
            module: &p.module,
        })
        .collect();
    let (generated, what) = if client {
        let model = weft_stubs::ClientModel::of(&sources);
        (
            weft_stubs::generate_client(&model, lang)?,
            format!(
                "{} machines, {} flows",
                model.machines.len(),
                model.flows.len()
            ),
        )
    } else {
        let model = weft_stubs::Model::of(&sources);
        (
            weft_stubs::generate(&model, lang)?,
            format!("{} activities", model.activities.len()),
        )
    };
    match out {
        Some(path) => {
            std::fs::write(path, &generated)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("weft: wrote {} ({what})", path.display());
        }
        None => print!("{generated}"),
    }
    Ok(ExitCode::SUCCESS)
}

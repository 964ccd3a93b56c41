//! `weft import openapi`: an OpenAPI 3.0 document's operations as activity
//! contracts bound to its endpoints (`@http`), formatted.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

/// Imports `spec`; writes the declarations to `out` or standard output.
pub fn openapi(
    spec: &Path,
    base_url: Option<String>,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let imported = weft_import::import(&text, &weft_import::Options { base_url })
        .with_context(|| format!("cannot import {}", spec.display()))?;
    for w in &imported.warnings {
        eprintln!("weft: warning: {w}");
    }
    // The importer writes valid Weft; formatting gives it the canonical
    // layout (long declarations broken over lines).
    let source = weft_fmt::format_source(&imported.source).map_err(|d| {
        anyhow::anyhow!(
            "the imported declarations do not parse (a bug in the importer): {}",
            d.first().map(|d| d.message.as_str()).unwrap_or("")
        )
    })?;
    match out {
        Some(path) => {
            std::fs::write(path, &source)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "weft: wrote {} ({} activities, {} types)",
                path.display(),
                imported.activities,
                imported.types
            );
        }
        None => print!("{source}"),
    }
    Ok(ExitCode::SUCCESS)
}

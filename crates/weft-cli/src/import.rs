//! `weft import openapi`: an OpenAPI 3.0 document's operations as activity
//! contracts bound to its endpoints (`@http`); `weft import grpc`: a
//! `.proto` service's unary methods bound to gRPC (`@grpc`). Formatted.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

/// Imports `spec`; writes the declarations to `out` or standard output.
pub fn openapi(
    spec: &Path,
    base_url: Option<String>,
    namespace: Option<String>,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let options = weft_import::Options {
        base_url,
        namespace,
    };
    let imported = weft_import::import(&text, &options)
        .with_context(|| format!("cannot import {}", spec.display()))?;
    write(&imported, out)
}

/// Imports the services of `proto`; writes the declarations to `out` or
/// standard output.
///
/// The contracts name their `.proto` relative to their own folder, which
/// is also where its imports are read from (and where `weft deploy` reads
/// them again): the folder of `out`, or the `.proto`'s own folder when
/// the contracts go to standard output.
pub fn grpc(
    proto: &Path,
    target: String,
    service: Option<String>,
    namespace: Option<String>,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let proto_dir = proto.parent().unwrap_or(Path::new(""));
    let root = match out {
        Some(o) => o.parent().unwrap_or(Path::new("")),
        None => proto_dir,
    };
    let canon = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        std::fs::canonicalize(p).with_context(|| format!("cannot read {}", p.display()))
    };
    let (root_abs, proto_abs) = (canon(root)?, canon(proto)?);
    let name = proto_abs
        .strip_prefix(&root_abs)
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not in the folder of {} or below: the contracts name their .proto relative to their own folder",
                proto.display(),
                out.map(|o| o.display().to_string()).unwrap_or_default()
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    let sources = crate::protos::read(root, std::slice::from_ref(&name))
        .with_context(|| format!("cannot import {}", proto.display()))?;
    let imported = weft_import::grpc::import(
        &sources,
        &name,
        &weft_import::GrpcOptions {
            target,
            service,
            namespace,
        },
    )
    .with_context(|| format!("cannot import {}", proto.display()))?;
    write(&imported, out)
}

/// Prints the warnings and writes the formatted declarations.
fn write(imported: &weft_import::Import, out: Option<&Path>) -> anyhow::Result<ExitCode> {
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

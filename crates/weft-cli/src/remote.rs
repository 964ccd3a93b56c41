//! Commands that talk to a running server over HTTP.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use serde_json::json;

/// The bearer token in `file`, if one is given.
pub fn token(file: Option<&Path>) -> anyhow::Result<Option<String>> {
    match file {
        None => Ok(None),
        Some(p) => Ok(Some(
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the token file {}", p.display()))?
                .trim()
                .to_string(),
        )),
    }
}

/// `weft deploy`: checks locally, then posts the files as one program.
pub fn deploy(
    files: &[std::path::PathBuf],
    url: &str,
    token_file: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let mut texts = Vec::new();
    // Per folder: the `.proto` files to send from it.
    let mut protos: std::collections::BTreeMap<std::path::PathBuf, Vec<String>> =
        Default::default();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        if weft_grpc::is_proto(&name) {
            protos.entry(dir).or_default().push(name);
            continue;
        }
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        // The `.proto` files its `@grpc` bindings name travel with it. A
        // file that does not parse names none; the server reports it.
        let parsed = weft_syntax::parse(&text);
        if !parsed.has_errors() {
            let source = [weft_check::SourceFile {
                name: &name,
                module: &parsed.module,
            }];
            let named = weft_grpc::program::named_protos(&source);
            protos.entry(dir).or_default().extend(named);
        }
        texts.push(json!({"name": name, "text": text}));
    }
    let mut sent = weft_grpc::Sources::new();
    for (dir, names) in &protos {
        let read = crate::protos::read(dir, names).with_context(|| {
            format!(
                "cannot read the .proto files of {} (a `@grpc` binding names its file relative to the folder of the file that declares it)",
                crate::protos::shown(dir)
            )
        })?;
        for (name, text) in read {
            if sent.get(&name).is_some_and(|t| *t != text) {
                bail!("two different files are named `{name}`: a program's .proto files need distinct names");
            }
            sent.insert(name, text);
        }
    }
    for (name, text) in sent {
        texts.push(json!({"name": name, "text": text}));
    }
    let token = token(token_file)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let client = reqwest::Client::new();
        let mut req = client
            .post(format!("{}/v1/flows", url.trim_end_matches('/')))
            .json(&json!({"files": texts}));
        if let Some(t) = &token {
            req = req.bearer_auth(t);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
        if status.is_success() {
            for w in body["warnings"].as_array().into_iter().flatten() {
                eprint!("{}", w["rendered"].as_str().unwrap_or_default());
            }
            println!(
                "deployed version {}: {}",
                body["version"],
                body["flows"]
                    .as_array()
                    .map(|f| f
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            );
            return Ok(ExitCode::SUCCESS);
        }
        let err = &body["error"];
        if err["code"] == "check_failed" {
            for d in err["diagnostics"].as_array().into_iter().flatten() {
                eprint!("{}", d["rendered"].as_str().unwrap_or_default());
            }
            eprintln!(
                "weft: {}",
                err["message"].as_str().unwrap_or("the flows do not check")
            );
            return Ok(ExitCode::from(1));
        }
        if status.is_client_error() {
            eprintln!(
                "weft: the server refused the deploy ({status}): {}",
                err["message"].as_str().unwrap_or("")
            );
            return Ok(ExitCode::from(1));
        }
        bail!(
            "the server failed ({status}): {}",
            err["message"].as_str().unwrap_or("")
        )
    })
}

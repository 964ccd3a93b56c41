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
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
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

//! `weft upgrade`: live upgrade of waiting runs onto a newer version,
//! through a running server's API or, with `--data`, on a data directory
//! whose server is stopped. Both print the same verdicts: what moved where,
//! or why a run cannot move (docs/language.md, "Live upgrade").

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use serde_json::{json, Value};
use weft_runtime::{Host, HostError};

use crate::data;

/// Which runs, to which version, asked by whom.
pub struct Request {
    /// One run's id, or `None` with `flow`.
    pub run: Option<String>,
    /// Every unfinished run of this flow on an older version.
    pub flow: Option<String>,
    /// The version.
    pub to: i64,
    /// Only check.
    pub dry_run: bool,
    /// Who asks, for the runs' journals.
    pub by: String,
}

/// Who asks when `--by` is not given: the user's login name.
pub fn default_by() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .map(|u| format!("{u} (weft upgrade)"))
        .unwrap_or_else(|| "weft upgrade".into())
}

/// Through the server at `url`.
pub fn remote(
    req: &Request,
    url: &str,
    token: Option<String>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let base = url.trim_end_matches('/');
    let (path, body) = match (&req.run, &req.flow) {
        (Some(id), None) => (
            format!("{base}/v1/runs/{id}/upgrade"),
            json!({"version": req.to, "dryRun": req.dry_run, "by": req.by}),
        ),
        (None, Some(flow)) => (
            format!("{base}/v1/runs/upgrade"),
            json!({"flow": flow, "version": req.to, "dryRun": req.dry_run, "by": req.by}),
        ),
        _ => bail!("name a run, or a flow with --flow (not both)"),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (status, answer) = rt.block_on(async {
        let mut r = reqwest::Client::new().post(&path).json(&body);
        if let Some(t) = &token {
            r = r.bearer_auth(t);
        }
        let resp = r
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        let status = resp.status();
        let answer: Value = resp.json().await.unwrap_or(Value::Null);
        anyhow::Ok((status, answer))
    })?;
    let err = &answer["error"];
    if err["code"] == "upgrade_refused" {
        // One run, refused: shown as a verdict like the others.
        return Ok(report(
            &[err["verdict"].clone()],
            false,
            req.dry_run,
            json_out,
        ));
    }
    if !status.is_success() {
        let message = err["message"].as_str().unwrap_or("");
        if status.is_client_error() {
            eprintln!("weft: the server refused the upgrade ({status}): {message}");
            return Ok(ExitCode::from(1));
        }
        bail!("the server failed ({status}): {message}");
    }
    if req.run.is_some() {
        return Ok(report(&[answer], false, req.dry_run, json_out));
    }
    let runs = answer["runs"].as_array().cloned().unwrap_or_default();
    let more = answer["more"] == true;
    Ok(report(&runs, more, req.dry_run, json_out))
}

/// On the data directory `dir` (its server stopped).
pub fn local(req: &Request, dir: &Path, json_out: bool) -> anyhow::Result<ExitCode> {
    let dir_handle = data::open_for_writing(dir)?;
    let mut host = Host::new(
        dir_handle.store.clone(),
        Box::new(weft_runtime::ids::OsEntropy),
    );
    let now = weft_runtime::runtime::now_ms();
    let outcome = match (&req.run, &req.flow) {
        (Some(id), None) => host
            .upgrade(id, req.to, &req.by, req.dry_run, now)
            .map(|v| weft_runtime::UpgradeReport {
                runs: vec![v],
                more: false,
            }),
        (None, Some(flow)) => host.upgrade_flow(flow, req.to, &req.by, req.dry_run, now),
        _ => bail!("name a run, or a flow with --flow (not both)"),
    };
    let report_of = match outcome {
        Ok(r) => r,
        Err(
            e @ (HostError::UnknownRun(_)
            | HostError::UnknownVersion(_)
            | HostError::FlowNotInVersion { .. }
            | HostError::Unreadable(_)),
        ) => {
            eprintln!("weft: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    while host.has_work() {
        let (no, batch, _effects) = host.take_batch();
        dir_handle.store.commit(&batch)?;
        host.committed(no);
    }
    let runs: Vec<Value> = report_of
        .runs
        .iter()
        .map(|v| {
            let mut j = serde_json::to_value(v).unwrap_or(Value::Null);
            if let Some(o) = j.as_object_mut() {
                o.insert("dryRun".into(), json!(req.dry_run));
            }
            j
        })
        .collect();
    Ok(report(&runs, report_of.more, req.dry_run, json_out))
}

/// Prints the verdicts; exit code 0 when every run moved (or would), 1
/// when one was refused.
fn report(runs: &[Value], more: bool, dry_run: bool, json_out: bool) -> ExitCode {
    let refused = runs.iter().filter(|v| v["accepted"] != true).count();
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"runs": runs, "more": more})).unwrap_or_default()
        );
    } else {
        if runs.is_empty() {
            println!("no run to upgrade");
        }
        for v in runs {
            print_verdict(v, dry_run);
        }
        if more {
            println!("more runs are left: run the command again for them");
        }
        let moved = runs.len() - refused;
        println!(
            "{moved} {}, {refused} refused",
            if dry_run { "would move" } else { "moved" }
        );
    }
    if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_verdict(v: &Value, dry_run: bool) {
    let id = v["runId"].as_str().unwrap_or("?");
    let versions = match (v["from"].as_i64(), v["to"].as_i64()) {
        (Some(a), Some(b)) => format!("version {a} -> {b}"),
        (None, Some(b)) => format!("to version {b}"),
        _ => String::new(),
    };
    let flow = v["flow"]
        .as_str()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    let verdict = match (v["accepted"] == true, dry_run) {
        (true, true) => "would move",
        (true, false) => "moved",
        (false, _) => "refused",
    };
    println!("run {id}{flow}: {versions}: {verdict}");
    for r in v["reasons"].as_array().into_iter().flatten() {
        println!("  - {}", r.as_str().unwrap_or(""));
    }
    for m in v["moves"].as_array().into_iter().flatten() {
        for (depth, f) in m["frames"].as_array().into_iter().flatten().enumerate() {
            let indent = "  ".repeat(depth + 1);
            println!(
                "{indent}fiber {}: {} line {} -> {} line {}",
                m["fiber"],
                f["from"]["function"].as_str().unwrap_or(""),
                f["from"]["line"],
                f["to"]["function"].as_str().unwrap_or(""),
                f["to"]["line"]
            );
            let vars: Vec<String> = f["variables"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| {
                    let (a, b) = (
                        x["from"].as_str().unwrap_or(""),
                        x["to"].as_str().unwrap_or(""),
                    );
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a} -> {b}")
                    }
                })
                .collect();
            if !vars.is_empty() {
                println!("{indent}  variables {}", vars.join(", "));
            }
        }
    }
    for n in v["notes"].as_array().into_iter().flatten() {
        println!("  note: {}", n.as_str().unwrap_or(""));
    }
}

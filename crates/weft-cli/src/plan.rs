//! `weft plan check|show|export`: the deployment plan (docs/deploying.md)
//! on its own and against the program it places.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde_json::json;

use crate::check::{self, Checked};

/// A plan file, read and checked (against the program when there is one).
struct Loaded {
    plan: weft_plan::Plan,
    checked: Checked,
}

fn load(plan_path: &Path, program: Option<&weft_plan::Program>) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(plan_path)
        .with_context(|| format!("cannot read {}", plan_path.display()))?;
    let dir = plan_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (plan, diagnostics) = weft_plan::check_text(&text, program, &|c| dir.join(c).is_file());
    Ok(Loaded {
        plan,
        checked: Checked {
            name: plan_path.display().to_string(),
            text,
            diagnostics,
        },
    })
}

/// The program of `files`, which must check without errors (else the
/// checker's diagnostics are printed and `None` returned).
fn program(files: &[PathBuf]) -> anyhow::Result<Option<weft_plan::Program>> {
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
        return Ok(None);
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
    Ok(Some(weft_plan::Program::of(&sources)))
}

fn has_errors(c: &Checked) -> bool {
    c.diagnostics.iter().any(|d| d.is_error())
}

/// `weft plan check PLAN [FILES...]`: 0 clean or warnings, 1 errors.
pub fn check(plan: &Path, files: &[PathBuf], json_out: bool) -> anyhow::Result<ExitCode> {
    let program = if files.is_empty() {
        None
    } else {
        match program(files)? {
            Some(p) => Some(p),
            None => return Ok(ExitCode::from(1)),
        }
    };
    let loaded = load(plan, program.as_ref())?;
    let files = std::slice::from_ref(&loaded.checked);
    if json_out {
        println!("{}", check::render_json(files));
    } else {
        print!("{}", check::render_human(files));
    }
    Ok(if has_errors(&loaded.checked) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One resolved activity as `weft plan show --format json` prints it.
fn resolved_json(r: &weft_plan::Resolved<'_>) -> serde_json::Value {
    let l = &r.limits;
    json!({
        "activity": r.activity,
        "placement": r.place.map(|(_, p)| p.target.kind()),
        "target": r.place.map(|(_, p)| p.target.detail()),
        "place": r.place.map(|(i, _)| i + 1),
        "concurrency": l.concurrency,
        "rate": l.rate.map(weft_plan::format_rate),
        "timeout": l.timeout_ms.map(weft_engine::time::format_duration),
        "memory": l.memory_bytes.map(weft_plan::format_bytes),
    })
}

/// `weft plan show PLAN FILES...`: every called activity's placement; exit
/// 1 when the plan has errors against the program (a deploy would be
/// refused).
pub fn show(plan: &Path, files: &[PathBuf], json_out: bool) -> anyhow::Result<ExitCode> {
    let Some(program) = program(files)? else {
        return Ok(ExitCode::from(1));
    };
    let loaded = load(plan, Some(&program))?;
    let resolved = weft_plan::resolve(&loaded.plan, &program);
    if json_out {
        let list: Vec<_> = resolved.iter().map(resolved_json).collect();
        let diags = weft_check::json::diagnostics(
            &loaded.checked.name,
            &loaded.checked.text,
            &loaded.checked.diagnostics,
        );
        println!(
            "{}",
            json!({"activities": list, "diagnostics": diags, "errors": loaded.checked.diagnostics.iter().filter(|d| d.is_error()).count()})
        );
    } else {
        let rows: Vec<[String; 7]> = resolved
            .iter()
            .map(|r| {
                let dash = || "-".to_string();
                let (kind, target) = match r.place {
                    Some((_, p)) => (p.target.kind().to_string(), p.target.detail()),
                    None => ("NONE".to_string(), "no placement".to_string()),
                };
                let l = &r.limits;
                [
                    r.activity.clone(),
                    kind,
                    target,
                    l.concurrency.map_or_else(dash, |c| c.to_string()),
                    l.rate.map_or_else(dash, weft_plan::format_rate),
                    l.timeout_ms
                        .map_or_else(dash, weft_engine::time::format_duration),
                    l.memory_bytes.map_or_else(dash, weft_plan::format_bytes),
                ]
            })
            .collect();
        let header = [
            "ACTIVITY",
            "PLACEMENT",
            "TARGET",
            "CONCURRENCY",
            "RATE",
            "TIMEOUT",
            "MEMORY",
        ]
        .map(String::from);
        let mut widths = header.clone().map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:w$}"))
                .collect();
            println!("{}", cells.join("  ").trim_end());
        }
        for g in &loaded.plan.workers {
            let mut rules = Vec::new();
            if let Some(n) = g.ready_per_worker {
                rules.push(format!("{n} ready tasks per worker"));
            }
            if let Some(ms) = g.oldest_ready_ms {
                rules.push(format!(
                    "oldest ready task under {}",
                    weft_engine::time::format_duration(ms)
                ));
            }
            println!(
                "worker group {}: {} to {} workers{}{}",
                g.name,
                g.min,
                g.max,
                if rules.is_empty() { "" } else { ", scaled on " },
                rules.join(" and ")
            );
        }
        if !loaded.checked.diagnostics.is_empty() {
            eprint!(
                "{}",
                check::render_human(std::slice::from_ref(&loaded.checked))
            );
        }
    }
    Ok(if has_errors(&loaded.checked) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `weft plan export --kubernetes PLAN FILES...`: Deployments and KEDA
/// ScaledObjects for the worker groups, as one YAML stream.
pub fn export(plan: &Path, files: &[PathBuf], out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let Some(program) = program(files)? else {
        return Ok(ExitCode::from(1));
    };
    let loaded = load(plan, Some(&program))?;
    if has_errors(&loaded.checked) {
        eprint!(
            "{}",
            check::render_human(std::slice::from_ref(&loaded.checked))
        );
        return Ok(ExitCode::from(1));
    }
    let exported = weft_plan::kube::export(&loaded.plan, &program);
    let yaml = weft_plan::kube::to_yaml(&exported);
    let documents: usize = exported.iter().map(|e| e.documents.len()).sum();
    match out {
        Some(path) => {
            std::fs::write(path, &yaml)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "weft: wrote {} ({documents} documents for {} worker group(s))",
                path.display(),
                exported.len()
            );
        }
        None => print!("{yaml}"),
    }
    if exported.is_empty() {
        eprintln!(
            "weft: no activity the program calls is placed on a worker group: nothing to export"
        );
    }
    Ok(ExitCode::SUCCESS)
}

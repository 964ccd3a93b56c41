//! The seed flows of `examples/`: each folder is one program. None may have
//! an error except the as-written RegisterUser, which reads `account`
//! before assigning it, exactly once.

use std::fs;
use std::path::{Path, PathBuf};
use weft_check::{check_program, codes, Diagnostic, SourceFile};
use weft_syntax::diagnostic::render;
use weft_syntax::{parse, LineIndex, Severity};

/// Every example program: each folder holding `.weft` files (searched
/// recursively), with its files as (path relative to `examples/`, text).
fn programs() -> Vec<(PathBuf, Vec<(String, String)>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut dirs = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let mut has_weft = false;
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "weft") {
                has_weft = true;
            }
        }
        if has_weft {
            dirs.push(dir);
        }
    }
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "weft"))
                .collect();
            files.sort();
            let files = files
                .into_iter()
                .map(|f| {
                    let name = f
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (name, fs::read_to_string(&f).unwrap())
                })
                .collect();
            (dir, files)
        })
        .collect()
}

/// Checks one program; returns each file's diagnostics, rendered.
fn check(files: &[(String, String)]) -> Vec<(String, Vec<Diagnostic>, String)> {
    let parses: Vec<_> = files.iter().map(|(_, t)| parse(t)).collect();
    for ((name, _), p) in files.iter().zip(&parses) {
        assert!(p.diagnostics.is_empty(), "{name} does not parse");
    }
    let sources: Vec<SourceFile> = files
        .iter()
        .zip(&parses)
        .map(|((name, _), p)| SourceFile {
            name,
            module: &p.module,
        })
        .collect();
    let checked = check_program(&sources);
    files
        .iter()
        .zip(checked)
        .map(|((name, text), diags)| {
            let index = LineIndex::new(text);
            let rendered = diags
                .iter()
                .map(|d| render(name, text, &index, d))
                .collect::<Vec<_>>()
                .join("\n");
            (name.clone(), diags, rendered)
        })
        .collect()
}

/// RegisterUser exactly as the design note wrote it.
const AS_WRITTEN: &str = "00-register-user/as-written/register-user.weft";

#[test]
fn examples_have_no_errors_but_the_as_written_register_user() {
    let programs = programs();
    assert!(programs.len() >= 12, "expected the seed examples");
    let mut seen_register_user = false;
    for (dir, files) in programs {
        for (name, diags, rendered) in check(&files) {
            if std::env::var_os("SHOW_EXAMPLES").is_some() {
                println!("=== {}/{name}\n{rendered}", dir.display());
            }
            let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
            if name == AS_WRITTEN {
                seen_register_user = true;
                assert_eq!(errors.len(), 1, "{rendered}");
                continue;
            }
            assert!(errors.is_empty(), "{}/{name}:\n{rendered}", dir.display());
        }
    }
    assert!(seen_register_user);
}

#[test]
fn as_written_register_user_reads_account_before_assigning_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let name = AS_WRITTEN;
    let text = fs::read_to_string(dir.join(name)).unwrap();
    let files = vec![(name.to_string(), text)];
    let result = check(&files);
    let (_, diags, _) = &result[0];
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    let e = errors[0];
    let text = &files[0].1;
    let index = LineIndex::new(text);
    assert_eq!(e.code, codes::READ_BEFORE_ASSIGNMENT);
    assert_eq!(e.message, "`account` is read before it is assigned");
    assert_eq!(&text[e.span.start as usize..e.span.end as usize], "account");
    let at = index.line_col(text, e.span.start);
    assert_eq!((at.line, at.col), (18, 44));
    assert_eq!(e.labels.len(), 1);
    assert_eq!(e.labels[0].message, "`account` is first assigned here");
    let first = index.line_col(text, e.labels[0].span.start);
    assert_eq!((first.line, first.col), (25, 5));
    assert!(e.help.is_some());
}

/// Every finding on the seed flows, as `file:line code name`. Each was
/// looked at: the unused results are really unused, NotifySubscribers
/// really reads results its `if`s may not have assigned, and the seed's own
/// bugs are reported on their lines in the `as-written/` copies (W0190 for
/// ProductExperiment's `requiredDuration > 30days`, W0180 for DevelopWithCI's
/// loop). A change here is a
/// change in what users of the seed flows see.
const EXPECTED: &[&str] = &[
    "00-register-user/as-written/register-user.weft:18 E0101 account",
    "01-process-order/process-order.weft:11 W0161 reservation",
    "01-process-order/process-order.weft:12 W0161 charge",
    "02-notify-subscribers/notify-subscribers.weft:17 W0102 emailResult",
    "02-notify-subscribers/notify-subscribers.weft:17 W0102 smsResult",
    "02-notify-subscribers/notify-subscribers.weft:17 W0102 pushResult",
    "04-support-ticket/support-ticket.weft:26 W0161 satisfaction",
    "04-support-ticket/as-written/support-ticket.weft:26 W0161 satisfaction",
    "05-onboard-employee/onboard-employee.weft:11 W0161 software",
    "05-onboard-employee/onboard-employee.weft:14 W0161 accesses",
    "05-onboard-employee/onboard-employee.weft:42 W0161 firstDay",
    "06-loan-application/loan-application.weft:13 W0161 requiresCosigner",
    "07-deliver-feature/deliver-feature.weft:17 W0161 implementation",
    "07-deliver-feature/deliver-feature.weft:22 W0161 fixResult",
    "07-deliver-feature/deliver-feature.weft:31 W0161 updates",
    "07-deliver-feature/deliver-feature.weft:45 W0161 fixes",
    "07-deliver-feature/deliver-feature.weft:54 W0161 bugFixes",
    "10-product-experiment/product-experiment.weft:39 W0161 qa",
    "10-product-experiment/product-experiment.weft:62 W0161 fixes",
    "10-product-experiment/as-written/product-experiment.weft:7 W0190 powerAnalysis.requiredDuration > 30days",
    "10-product-experiment/as-written/product-experiment.weft:39 W0161 qa",
    "10-product-experiment/as-written/product-experiment.weft:62 W0161 fixes",
    "11-continuous-delivery/continuous-delivery.weft:100 W0161 resolved",
    "11-continuous-delivery/continuous-delivery.weft:143 W0161 automatedChecks",
    "11-continuous-delivery/continuous-delivery.weft:214 W0161 productionDeployment",
    "11-continuous-delivery/as-written/continuous-delivery.weft:73 W0180 while !implementation.complete",
    "11-continuous-delivery/as-written/continuous-delivery.weft:100 W0161 resolved",
    "11-continuous-delivery/as-written/continuous-delivery.weft:143 W0161 automatedChecks",
    "11-continuous-delivery/as-written/continuous-delivery.weft:214 W0161 productionDeployment",
];

#[test]
fn example_findings_are_the_known_ones() {
    let mut actual = Vec::new();
    for (_, files) in programs() {
        for ((name, diags, _), (_, text)) in check(&files).into_iter().zip(&files) {
            let index = LineIndex::new(text);
            for d in diags {
                let line = index.line_col(text, d.span.start).line;
                let what = &text[d.span.start as usize..d.span.end as usize];
                actual.push(format!("{name}:{line} {} {what}", d.code));
            }
        }
    }
    assert_eq!(actual, EXPECTED);
}

//! `weft serve`'s log on stderr: text lines by default, JSON lines with
//! `--log-format json`, filtered by `WEFT_LOG` (docs/operating.md, "Logs").

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("weft-logs-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Starts `weft serve` with `args` on port 0, stops it with SIGTERM once
/// it listens, and returns its stderr lines and exit code.
fn serve_and_stop(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Vec<String>, i32) {
    let data = temp_dir(name);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .args(args)
        .env_remove("WEFT_LOG")
        .env_remove("RUST_LOG")
        .env_remove("WEFT_LOG_FORMAT")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("weft starts");
    let mut lines = Vec::new();
    let mut reader = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in reader.by_ref() {
        let line = line.unwrap();
        let listening = line.contains("listening on http://");
        lines.push(line);
        if listening {
            break;
        }
        assert!(Instant::now() < deadline, "no listening line: {lines:?}");
    }
    // SAFETY: sending SIGTERM to our own child process has no preconditions.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    lines.extend(reader.map(|l| l.unwrap()));
    let status = child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    (lines, status.code().expect("exited normally"))
}

#[test]
fn serve_writes_text_lines_by_default() {
    let (lines, code) = serve_and_stop("text", &[], &[]);
    assert_eq!(code, 0, "{lines:?}");
    assert!(
        lines[0].starts_with("weft: listening on http://127.0.0.1:"),
        "{lines:?}"
    );
    assert_eq!(
        lines.last().map(String::as_str),
        Some("weft: stopped"),
        "{lines:?}"
    );
}

#[test]
fn serve_writes_json_lines_when_asked() {
    let (lines, code) = serve_and_stop("json-flag", &["--log-format", "json"], &[]);
    assert_eq!(code, 0, "{lines:?}");
    let events: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let first = &events[0];
    assert_eq!(first["level"], "INFO", "{first}");
    assert_eq!(first["target"], "weft", "{first}");
    assert!(first["timestamp"].is_string(), "{first}");
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("listening on http://127.0.0.1:")),
        "{first}"
    );
    assert_eq!(events.last().unwrap()["message"], "stopped");
    // The environment variable chooses the format too.
    let (lines, code) = serve_and_stop("json-env", &[], &[("WEFT_LOG_FORMAT", "json")]);
    assert_eq!(code, 0, "{lines:?}");
    assert!(lines[0].starts_with('{'), "{lines:?}");
}

#[test]
fn a_bad_log_filter_is_a_usage_error_naming_the_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(temp_dir("bad-filter").join("data"))
        .env("WEFT_LOG", "weft=loud")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(temp_dir("bad-filter"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("weft: WEFT_LOG=\"weft=loud\" is not a log filter"),
        "{err}"
    );
}

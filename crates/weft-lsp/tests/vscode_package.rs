//! The VS Code extension as packaged: `.ci/run` builds it with `vsce
//! package` (pinned in `editors/vscode/package.json`) into
//! `target/vscode/weft.vsix`, and this test runs the extension's Node test
//! `editors/vscode/test/package.test.js` on it: the package holds the
//! grammar, the language configuration and the client, and the packaged
//! client starts `weft lsp` for `.weft` files. Without the package the
//! test is skipped with a message, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_packaged_extension_runs_weft_lsp() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let vsix = std::env::var_os("WEFT_VSIX")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/vscode/weft.vsix"));
    if !vsix.is_file() {
        assert!(
            !ci,
            "no {}: .ci/run builds it with `npx vsce package` in editors/vscode",
            vsix.display()
        );
        eprintln!(
            "skipped: no {} (build it: cd editors/vscode && npx vsce package --allow-missing-repository --skip-license --out ../../target/vscode/weft.vsix)",
            vsix.display()
        );
        return;
    }
    let out = Command::new("node")
        .args(["--test", "test/package.test.js"])
        .current_dir(root().join("editors/vscode"))
        .env("WEFT_VSIX", &vsix)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Both tests ran rather than skipped.
    assert!(stdout.contains("# pass 2"), "{stdout}");
}

//! The generated Rust workers build: the RegisterUser example's and the
//! shop program's stubs go into a temporary crate that depends on
//! `weft-worker` by path, and `cargo build --offline` must succeed. The
//! workspace's `Cargo.lock` is copied in, so the same versions (already
//! in the local registry) are used, and the target directory is this
//! build's own (`CARGO_TARGET_DIR`, or the workspace's `target/`), in a
//! subdirectory so as not to wait for the lock of the build running this
//! test.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[test]
fn generated_rust_workers_build() {
    let dir = std::env::temp_dir().join(format!("weft-stubs-rust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    let worker = repo().join("crates/weft-worker");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "generated-workers"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
weft-worker = {{ path = {worker:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[workspace]
"#
        ),
    )
    .unwrap();
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::copy(
        repo().join("examples/stubs/register-user/main.rs"),
        dir.join("src/bin/register_user.rs"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shop/main.rs"),
        dir.join("src/bin/shop.rs"),
    )
    .unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("generated-workers");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "the generated workers do not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

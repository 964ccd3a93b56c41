//! The OpenAPI document: the one served is the one checked in.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::*;

#[tokio::test]
async fn the_served_openapi_document_is_the_checked_in_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let hint = "regenerate it with `cargo run -p weft-cli -- openapi > docs/openapi.json`";
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; {hint}", path.display()));
    let checked_in: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}; {hint}", path.display()));

    let dir = TempDir::new("api");
    let s = Server::start(Launch::data(dir.path()).token(TOKEN)).await;
    let served = s.api().get("/v1/openapi.json").await;
    assert!(served
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    assert!(
        served.json() == checked_in,
        "docs/openapi.json differs from what the server serves; {hint}"
    );
    // `weft openapi` prints the same document.
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("openapi")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(printed == checked_in, "{hint}");
}

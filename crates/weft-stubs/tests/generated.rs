//! The generators' output for two programs, kept next to them: the
//! RegisterUser example (`examples/stubs/register-user/`) and a program
//! that exercises every kind of type (`tests/data/shop.*`). Run with
//! `UPDATE_EXPECT=1` to rewrite them from the current output.

use std::path::{Path, PathBuf};
use weft_check::SourceFile;
use weft_stubs::{generate, Lang, Model};

const LANGS: [Lang; 6] = [
    Lang::Rust,
    Lang::TypeScript,
    Lang::Python,
    Lang::OpenApi,
    Lang::WasmPython,
    Lang::WasmJs,
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The model of one file, which must check without errors.
pub fn model_of(path: &Path) -> Model {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = weft_syntax::parse(&text);
    assert!(!parsed.has_errors(), "{}", path.display());
    let files = [SourceFile {
        name: "x.weft",
        module: &parsed.module,
    }];
    let diags = weft_check::check_program(&files);
    let errors: Vec<_> = diags[0].iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    Model::of(&files)
}

fn check_against(model: &Model, dir: &Path, prefix: &str) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    for lang in LANGS {
        let out = generate(model, lang).unwrap();
        let path = dir.join(format!("{prefix}{}", lang.file_name()));
        if update {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(&path, &out).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("{} is missing (UPDATE_EXPECT=1 writes it)", path.display())
        });
        assert!(
            want == out,
            "{} differs from the generator's output (UPDATE_EXPECT=1 rewrites it)",
            path.display()
        );
    }
}

#[test]
fn register_user_stubs_are_current() {
    let model = model_of(&repo().join("examples/00-register-user/register-user.weft"));
    assert_eq!(model.activities.len(), 4);
    assert!(model.activities.iter().all(|a| a.declared));
    check_against(&model, &repo().join("examples/stubs/register-user"), "");
}

#[test]
fn shop_stubs_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let model = model_of(&dir.join("shop.weft"));
    let ship = model.activities.iter().find(|a| a.name == "Ship").unwrap();
    assert!(!ship.declared);
    let names: Vec<(&str, bool)> = ship
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.optional))
        .collect();
    assert_eq!(
        names,
        [
            ("arg0", false),
            ("arg1", false),
            ("carrier", true),
            ("express", true)
        ]
    );
    assert!(
        model
            .activities
            .iter()
            .find(|a| a.name == "Approve")
            .unwrap()
            .awaited
    );
    check_against(&model, &dir.join("shop"), "");
}

#[test]
fn openapi_documents_are_valid_openapi_3_0() {
    for path in [
        repo().join("examples/00-register-user/register-user.weft"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shop.weft"),
    ] {
        let model = model_of(&path);
        let doc = generate(&model, Lang::OpenApi).unwrap();
        let api: openapiv3::OpenAPI = serde_json::from_str(&doc).unwrap();
        assert_eq!(api.paths.paths.len(), model.activities.len());
        for a in &model.activities {
            let item = api.paths.paths[&format!("/{}", a.name)].as_item().unwrap();
            let op = item.post.as_ref().unwrap();
            assert_eq!(op.operation_id.as_deref(), Some(a.name.as_str()));
        }
    }
}

#[test]
fn generated_python_compiles() {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "python3 is not installed, and CI=true"
        );
        return;
    }
    for path in [
        repo().join("examples/stubs/register-user/worker.py"),
        repo().join("examples/stubs/register-user/guest.py"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shop/worker.py"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shop/guest.py"),
    ] {
        let src = std::fs::read_to_string(&path).unwrap();
        let out = std::process::Command::new("python3")
            .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                c.stdin.take().unwrap().write_all(src.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(
            out.status.success(),
            "{} does not parse: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The Wasm guests' JavaScript parses as an ES module (`node --check`).
#[test]
fn generated_wasm_js_parses() {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "node is not installed, and CI=true"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("weft-stubs-js-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, path) in [
        repo().join("examples/stubs/register-user/guest.js"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shop/guest.js"),
    ]
    .iter()
    .enumerate()
    {
        // `.mjs`: node checks it as a module (it has `export`).
        let copy = dir.join(format!("guest{i}.mjs"));
        std::fs::copy(path, &copy).unwrap();
        let out = std::process::Command::new("node")
            .arg("--check")
            .arg(&copy)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} does not parse: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

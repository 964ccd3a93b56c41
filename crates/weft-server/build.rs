//! Embeds the example flows and their scenarios, for `weft serve --demo`.
//! The binary then needs no checkout to show runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file() && p.to_string_lossy().ends_with(suffix));
    out.sort();
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    // `_regressions` and the like are tests, not examples.
    dirs.retain(|d| {
        d.is_dir()
            && !d
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .starts_with('_')
    });
    dirs.sort();
    let mut code = String::from("/// (folder, [(file, source)], [(scenario, yaml)]) for each example.\npub const EXAMPLES: &[Example] = &[\n");
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        if files(&d, ".weft").is_empty() {
            continue; // e.g. examples/workers: worker programs, no flows
        }
        let folder = d.file_name().unwrap().to_string_lossy().into_owned();
        let _ = writeln!(code, "    ({folder:?}, &[");
        for f in files(&d, ".weft") {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let _ = writeln!(
                code,
                "        ({name:?}, include_str!({:?})),",
                f.canonicalize().unwrap()
            );
        }
        code.push_str("    ], &[\n");
        for f in files(&d, ".test.yaml") {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let _ = writeln!(
                code,
                "        ({name:?}, include_str!({:?})),",
                f.canonicalize().unwrap()
            );
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("examples.rs");
    std::fs::write(out, code).unwrap();
}

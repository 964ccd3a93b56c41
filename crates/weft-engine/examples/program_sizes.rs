//! Sizes of the examples' stored programs (docs/benchmarks.md):
//! `cargo run --release -p weft-engine --example program_sizes`.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn weft_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            weft_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "weft") {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    weft_files(&root, &mut files);
    println!("| example | source bytes | instructions | stored program bytes | of which source text | compile µs | encode µs | decode µs |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let (mut src_total, mut prog_total) = (0, 0);
    for path in files {
        let name = path
            .strip_prefix(&root)
            .expect("under examples/")
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("readable");
        let program = weft_engine::compile_source(&name, &text).expect("compiles");
        let instructions: usize = program.functions.iter().map(|f| f.code.len()).sum();
        let texts: usize = program.files.iter().map(|f| f.text.len()).sum();
        const ROUNDS: u32 = 200;
        let t = Instant::now();
        for _ in 0..ROUNDS {
            weft_engine::compile_source(&name, &text).expect("compiles");
        }
        let compile_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
        let t = Instant::now();
        let mut stored = String::new();
        for _ in 0..ROUNDS {
            stored = weft_engine::stored::encode(&program).expect("encodes");
        }
        let encode_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
        let t = Instant::now();
        for _ in 0..ROUNDS {
            weft_engine::stored::decode(&stored).expect("decodes");
        }
        let decode_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
        src_total += text.len();
        prog_total += stored.len();
        println!(
            "| {name} | {} | {instructions} | {} | {texts} | {compile_us:.0} | {encode_us:.0} | {decode_us:.0} |",
            text.len(),
            stored.len()
        );
    }
    println!("| all | {src_total} | | {prog_total} | | | | |");
}

//! How compile time grows with a flow's length: flows of N statements of a
//! few shapes, N doubling, compiled once each after a warm-up.
//!
//! `cargo run --release -p weft-engine --example bench_compile [N_MAX]`
//!
//! A compiler that is linear takes twice as long for twice the statements;
//! the ratio column shows it. Figures: docs/benchmarks.md.

use std::time::Instant;

/// Statement `i` of a flow's body.
type Statement = fn(usize) -> String;

/// The shapes of statements.
const SHAPES: [(&str, Statement); 4] = [
    // Up to LOCALS_MAX variables, then assigned again.
    ("distinct variables", |i| {
        format!("    v{} = {i}", i % 59_000)
    }),
    ("one variable", |_| "    x = x + 1".to_string()),
    ("activity calls", |i| format!("    r = Step(r, {i})")),
    ("ifs and loops", |i| {
        format!("    if x > {i} {{\n        x = x - 1\n    }}\n    while x > {i} {{\n        x = x - 1\n    }}")
    }),
];

fn flow(n: usize, statement: Statement) -> String {
    let mut text = String::from("flow Main(x, r) {\n");
    for i in 0..n {
        text.push_str(&statement(i));
        text.push('\n');
    }
    text.push_str("    return x\n}\n");
    text
}

fn main() {
    let max: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60_000);
    for (name, statement) in SHAPES {
        let mut previous: Option<f64> = None;
        let mut n = max / 8;
        while n <= max {
            let text = flow(n, statement);
            // Warm up the allocator and the caches.
            weft_engine::compile_source("bench.weft", &flow(n / 10, statement)).expect("compiles");
            let started = Instant::now();
            weft_engine::compile_source("bench.weft", &text).expect("compiles");
            let s = started.elapsed().as_secs_f64();
            println!(
                "{name:>20}: {n:>7} statements {:>9.1} ms{}",
                s * 1e3,
                previous
                    .map(|p| format!("  x{:.2} for x2", s / p))
                    .unwrap_or_default()
            );
            previous = Some(s);
            n *= 2;
        }
    }
}

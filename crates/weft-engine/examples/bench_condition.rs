//! What a trigger's `where` condition costs per event: the time
//! `condition::matches` takes (reading the event into values, then
//! evaluating), on an event of about 1 KiB and one of about 64 KiB.
//!
//! `cargo run --release -p weft-engine --example bench_condition`
//!
//! Each case runs `EVENTS` evaluations `REPETITIONS` times; the median
//! time per evaluation is printed. Figures: docs/benchmarks.md.

use std::time::Instant;

use serde_json::json;
use weft_engine::condition::matches;

/// Evaluations per repetition.
const EVENTS: usize = 10_000;
/// Repetitions; the median counts.
const REPETITIONS: usize = 9;

fn main() {
    let small = json!({"id": "e1", "type": "created", "subject": "question", "source": null,
        "data": {"score": 5, "text": "x".repeat(900), "tags": ["a", "b", "c"]}});
    let items: Vec<_> = (0..500)
        .map(|i| json!({"n": i, "name": format!("item-{i}"), "price": i as f64 * 1.5}))
        .collect();
    let large = json!({"id": "e2", "type": "created", "subject": "order", "source": null,
        "data": {"score": 5, "items": items, "note": "y".repeat(40_000)}});
    let cases = [
        (
            "subject and a field",
            "event.subject == \"question\" && event.data.score > 3",
        ),
        (
            "contains on a list",
            "contains(event.data.tags, \"b\") || len(event.id) > 40",
        ),
    ];
    for (label, event) in [("~1 KiB event", &small), ("~64 KiB event", &large)] {
        let bytes = event.to_string().len();
        for (name, text) in cases {
            let (expr, diags) = weft_syntax::parse_expr(text);
            assert!(diags.is_empty(), "{text}");
            let mut times = Vec::new();
            for _ in 0..REPETITIONS {
                let start = Instant::now();
                for _ in 0..EVENTS {
                    std::hint::black_box(matches(&expr, std::hint::black_box(event)).ok());
                }
                times.push(start.elapsed().as_secs_f64() / EVENTS as f64);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{label} ({bytes} bytes), {name}: {:.2} µs per event (median of {REPETITIONS})",
                times[REPETITIONS / 2] * 1e6
            );
        }
    }
}

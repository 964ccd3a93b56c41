//! Encodes and decodes a waiting run's snapshot many times, as JSON text or
//! in the compact form, so that a profiler can count what each costs per
//! step (docs/benchmarks.md, "Disk per waiting run"):
//!
//! ```text
//! cargo build --release -p weft-engine --example snapshot_codec
//! valgrind --tool=callgrind target/release/examples/snapshot_codec json-encode 10000
//! ```
//!
//! Modes: `json-encode`, `compact-encode`, `json-decode`, `compact-decode`.

use weft_engine::state::{decode_snapshot, encode_snapshot, RunState};

/// The snapshot of `weft bench --suspended`'s `park` flow, waiting on its
/// `await confirm(ticket) @timeout(30days)`, as main's build stored it.
const PARK: &str = include_str!("../tests/data/snapshot-park-full.json");

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "compact-encode".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let state: RunState = serde_json::from_str(PARK).expect("the snapshot parses");
    let json = serde_json::to_vec(&state).expect("serializes");
    let compact = encode_snapshot(&state, &state.id);
    let mut bytes = 0usize;
    for _ in 0..n {
        bytes += match mode.as_str() {
            "json-encode" => serde_json::to_vec(&state).expect("serializes").len(),
            "compact-encode" => encode_snapshot(&state, &state.id).len(),
            "json-decode" => decode_snapshot(&json, &state.id).expect("decodes").steps as usize,
            "compact-decode" => {
                decode_snapshot(&compact, &state.id).expect("decodes").steps as usize
            }
            other => {
                eprintln!("unknown mode {other}");
                std::process::exit(2);
            }
        };
    }
    println!(
        "{mode} x{n}: json {} bytes, compact {} bytes (checksum {bytes})",
        json.len(),
        compact.len()
    );
}

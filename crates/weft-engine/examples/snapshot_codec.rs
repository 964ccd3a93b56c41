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
const PARK: &str = r#"{"v":1,"id":"01M97217R2RDR9EQ29FEKSHASZ","func":0,"depth":0,"fibers":{"0":{"frames":[{"func":0,"pc":7,"locals":[{"id":0},{"ticket":0},null],"base":0}],"stack":[],"wait":{"Call":2},"owner":null}},"ready":[],"next_fiber":1,"calls":{"2":{"call_id":"01M97217R2RDR9EQ29FEKSHASZ-2","activity":"confirm","args":[{"ticket":0}],"fiber":0,"attempt":1,"attempt_base":0,"retries":0,"backoff_ms":1000,"backoff_max_ms":300000,"timeout_ms":2592000000,"awaited":true,"catch":false,"token":"209490f4bdb450ea8a720225c69da3d5","phase":"callback","started_at":1796607090468,"attempt_started_at":1796607090468,"last_error":null,"at":[0,6]}},"next_call":3,"timers":{"await:2":{"at":1799199090468,"kind":{"kind":"awaitTimeout","call":2}}},"children":{},"next_child":0,"groups":{},"next_group":0,"failures":{},"status":"waiting","result":null,"steps":7,"events":2}"#;

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

//! The host's limits and pool, on a guest written by hand
//! (`tests/guest.wat`), so no guest toolchain is needed. The guests built
//! from Python and JavaScript are tested through the server
//! (`crates/weft-cli/tests/wasm.rs`).

use std::time::{Duration, Instant};

use serde_json::json;
use weft_wasm::{Call, Component, FailureKind, Host, Limits, LoadError};

const GUEST: &str = include_str!("guest.wat");

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn call(activity: &str, timeout_ms: i64) -> Call {
    Call {
        activity: activity.into(),
        call_id: "run-1:1".into(),
        run_id: "run-1".into(),
        attempt: 1,
        deadline_ms: now_ms() + timeout_ms,
        args: json!([1, {"name": "ann"}]),
    }
}

fn guest(limits: Limits) -> Component {
    Host::new(None)
        .unwrap()
        .load_bytes("guest.wat", GUEST.as_bytes(), limits)
        .unwrap()
}

#[test]
fn results_and_failures() {
    let g = guest(Limits::default());
    assert_eq!(
        g.call(&call("Echo", 5_000)).unwrap(),
        json!([1, {"name": "ann"}])
    );
    let f = g.call(&call("Fail", 5_000)).unwrap_err();
    assert_eq!(
        (f.kind, f.retryable, f.message.as_str()),
        (FailureKind::Guest, false, "nope")
    );
    let f = g.call(&call("Bad", 5_000)).unwrap_err();
    assert_eq!((f.kind, f.retryable), (FailureKind::Result, false));
    assert!(f.message.contains("not JSON"), "{}", f.message);
    let f = g.call(&call("Trap", 5_000)).unwrap_err();
    assert_eq!((f.kind, f.retryable), (FailureKind::Trap, true));
    assert!(f.message.contains("unreachable"), "{}", f.message);
}

#[test]
fn instances_are_pooled_and_dropped_after_a_trap() {
    let g = guest(Limits::default());
    assert_eq!(g.call(&call("Count", 5_000)).unwrap(), json!(1));
    assert_eq!(g.call(&call("Count", 5_000)).unwrap(), json!(2));
    assert_eq!(g.stats().instantiations, 1);
    assert!(g.call(&call("Trap", 5_000)).is_err());
    // The trapped instance is gone: a fresh one counts from 1.
    assert_eq!(g.call(&call("Count", 5_000)).unwrap(), json!(1));
    assert_eq!(g.stats().instantiations, 2);
    assert_eq!(g.stats().idle, 1);
}

#[test]
fn a_guest_is_stopped_at_its_deadline() {
    let g = guest(Limits::default());
    let started = Instant::now();
    let f = g.call(&call("Loop", 200)).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        (f.kind, f.retryable),
        (FailureKind::Deadline, true),
        "{}",
        f.message
    );
    assert!(
        took >= Duration::from_millis(150),
        "stopped early: {took:?}"
    );
    assert!(took < Duration::from_secs(5), "stopped late: {took:?}");
    // A deadline already past fails without running the guest.
    let f = g.call(&call("Echo", -1)).unwrap_err();
    assert_eq!(f.kind, FailureKind::Deadline);
    // The component still serves calls.
    assert_eq!(
        g.call(&call("Echo", 5_000)).unwrap(),
        json!([1, {"name": "ann"}])
    );
}

#[test]
fn a_guest_is_stopped_at_its_memory_cap() {
    let g = guest(Limits {
        memory_bytes_max: 4 * 1024 * 1024,
        ..Limits::default()
    });
    let f = g.call(&call("Memory", 10_000)).unwrap_err();
    assert_eq!(
        (f.kind, f.retryable),
        (FailureKind::Memory, true),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("memory cap of 4194304 bytes"),
        "{}",
        f.message
    );
    // A cap below what the component needs to start fails each call.
    let g = guest(Limits {
        memory_bytes_max: 1024,
        ..Limits::default()
    });
    let f = g.call(&call("Echo", 5_000)).unwrap_err();
    assert_eq!(f.kind, FailureKind::Memory, "{}", f.message);
}

#[test]
fn components_importing_what_the_host_lacks_are_refused() {
    let host = Host::new(None).unwrap();
    let wat = r#"(component
        (import "wasi:http/outgoing-handler@0.2.0" (instance (export "handle" (func))))
    )"#;
    let e = host
        .load_bytes("http.wat", wat.as_bytes(), Limits::default())
        .err()
        .unwrap();
    assert!(matches!(e, LoadError::World { .. }), "{e}");
    assert!(e.to_string().contains("wasi:http/outgoing-handler"), "{e}");
    let e = host
        .load_bytes("garbage", b"\0asm garbage", Limits::default())
        .err()
        .unwrap();
    assert!(matches!(e, LoadError::Compile { .. }), "{e}");
    // A component without `run`.
    let e = host
        .load_bytes("empty.wat", b"(component)", Limits::default())
        .err()
        .unwrap();
    assert!(matches!(e, LoadError::World { .. }), "{e}");
}

#[test]
fn compiled_components_are_cached_on_disk() {
    let dir = std::env::temp_dir().join(format!("weft-wasm-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let g = Host::new(Some(dir.clone()))
        .unwrap()
        .load_bytes("guest.wat", GUEST.as_bytes(), Limits::default())
        .unwrap();
    assert_eq!(g.call(&call("Count", 5_000)).unwrap(), json!(1));
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1, "one compiled component in the cache");
    // A new host (as after a restart) loads it from the cache.
    let g = Host::new(Some(dir.clone()))
        .unwrap()
        .load_bytes("guest.wat", GUEST.as_bytes(), Limits::default())
        .unwrap();
    assert_eq!(
        g.call(&call("Echo", 5_000)).unwrap(),
        json!([1, {"name": "ann"}])
    );
    // A damaged cache file is compiled again.
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, b"damaged").unwrap();
    let g = Host::new(Some(dir.clone()))
        .unwrap()
        .load_bytes("guest.wat", GUEST.as_bytes(), Limits::default())
        .unwrap();
    assert_eq!(g.call(&call("Count", 5_000)).unwrap(), json!(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn calls_from_many_threads() {
    let g = guest(Limits::default());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let g = g.clone();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    assert_eq!(
                        g.call(&call("Echo", 5_000)).unwrap(),
                        json!([1, {"name": "ann"}])
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(g.stats().calls, 200);
    assert!(g.stats().instantiations <= 4);
}

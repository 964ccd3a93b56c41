//! The HTTP API of `weft serve`, tested against the real binary: each test
//! starts its own server on port 0 with a fresh data directory (a start takes
//! a fraction of a second, and separate servers keep the tests independent),
//! and talks to it over HTTP as a client in any language would.
//!
//! One test binary with a module per resource: each test binary links the
//! whole of Weft, so modules cost far less build time and disk than files
//! of their own.

#[path = "../support/mod.rs"]
mod support;

/// The gRPC server of `grpc.rs` (shared with `weft-grpc`'s tests).
#[path = "../../../weft-grpc/tests/support/inventory.rs"]
mod inventory;

mod auth;
mod callbacks;
mod events;
mod flows;
mod grpc;
mod limits;
mod machines;
mod metrics;
mod openapi;
mod operating;
mod plan;
mod push;
mod repair;
mod runs;
mod stopping;
mod stream;
mod tasks;
mod triggers;
mod two_way;
mod upgrade;

use std::collections::BTreeSet;

use serde_json::Value;
use support::{id_of, Api, Launch, Resp, Server, TempDir, PATIENCE};

/// The bearer token of servers started with one.
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// A run id no run has.
const NO_RUN: &str = "01JZZZZZZZZZZZZZZZZZZZZZZZ";

/// The flows most tests deploy (as `flows.weft`).
const FLOWS: &str = "\
flow Echo(x) {
    return x
}

flow Greet(name) {
    g = Hello(name)
    return {greeting: g}
}

flow Hold(x) {
    r = Never(x)
    return r
}

flow Charge(x) {
    r = Pay(x) @retry(1, backoff: 10ms)
    return r
}

flow Confirm(email) {
    c = await SendEmail(email) @timeout(1h)
    return c
}

flow Hurry(email) {
    c = await Ping(email) @timeout(300ms)
    return c
}
";

/// The 1-based line of `FLOWS` holding `needle`.
fn line_of(needle: &str) -> u64 {
    FLOWS
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
        .expect("the needle is in FLOWS")
}

/// A server on `dir` with nothing deployed.
async fn server(dir: &TempDir) -> (Server, Api) {
    let s = Server::start(Launch::data(dir.path())).await;
    let api = s.api();
    (s, api)
}

/// A server started as `launch` says, with `FLOWS` deployed.
async fn server_with(launch: Launch) -> (Server, Api) {
    let s = Server::start(launch).await;
    let api = s.api();
    let d = api.deploy(FLOWS).await;
    assert_eq!(d["version"], 1, "{d}");
    (s, api)
}

/// A server on `dir` with `FLOWS` deployed.
async fn server_with_flows(dir: &TempDir) -> (Server, Api) {
    server_with(Launch::data(dir.path())).await
}

/// RFC 3339 text in UTC, as the API writes times.
#[track_caller]
fn assert_time(v: &Value) {
    let s = v.as_str().unwrap_or_else(|| panic!("a time: {v}"));
    assert!(
        s.len() >= 20 && s.as_bytes()[4] == b'-' && s.contains('T') && s.ends_with('Z'),
        "RFC 3339: {s}"
    );
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

//! Parse and check a generated 10,000-line module, as in docs/benchmarks.md.
//!
//! `cargo run --release -p weft-check --example bench_check [LINES]`
//!
//! The module is made of flows like the seed's: calls with annotations,
//! awaits, if/else chains, loops, objects, closures and an inline flow, so
//! every pass of the checker has work to do. Prints the median and best of
//! 20 timed rounds (after 3 warm-up rounds), for parsing alone and for
//! parsing plus checking.

use std::time::{Duration, Instant};

fn flow(i: usize) -> String {
    format!(
        r#"flow Order{i}(order) {{
    // Reserve, charge, ship; undo on failure.
    var compensations = []
    inventory = CheckInventory(order.items) @retry(3) @timeout(30s)
    if inventory.status != "ok" {{
        return({{status: "failed", reason: "out-of-stock", order: order.id}})
    }}
    compensations = append(compensations, func() {{ ReleaseInventory(inventory.id) }})
    payment = ChargePayment(order.payment, amount: order.total) @retry(2, backoff: 2s)
    if payment.status != "ok" {{
        RunCompensations(compensations)
        return({{status: "failed", reason: "payment", order: order.id}})
    }} else if payment.review {{
        review = await ManualReview(order, payment) @timeout(2days)
        if review.decision != "approved" {{
            RunCompensations(compensations)
            return({{status: "rejected", reason: review.reason}})
        }}
    }}
    shipments = []
    for item in order.items {{
        label = CreateLabel(item, order.address) @catch
        shipments = append(shipments, {{item: item.sku, label: label, ..item.extra}})
    }}
    count = 0
    while count < len(shipments) && count < 10 {{
        count++
    }}
    tracking = flow Track(order) {{
        events = await CarrierEvents(order.id) @timeout(7days)
        return({{events: events, done: events.type == "delivered"}})
    }}
    results = WaitAll([NotifyCustomer(order.email), NotifyWarehouse(order.id)])
    return({{status: "ok", order: order.id, shipments: shipments, tracking: tracking, notified: results.allSuccess, count: count}})
}}

"#
    )
}

fn module(lines: usize) -> String {
    let mut src = String::new();
    let mut i = 0;
    while src.lines().count() < lines {
        src.push_str(&flow(i));
        i += 1;
    }
    src
}

fn time(rounds: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..3 {
        f();
    }
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let src = module(lines);
    let parse = weft_syntax::parse(&src);
    assert!(
        parse.diagnostics.is_empty(),
        "the generated module parses cleanly"
    );
    let diags = weft_check::check_module(&parse.module);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    assert_eq!(
        errors,
        0,
        "the generated module checks: {:?}",
        diags.first()
    );
    let (p50, pmin) = time(20, || {
        std::hint::black_box(weft_syntax::parse(std::hint::black_box(&src)));
    });
    let (c50, cmin) = time(20, || {
        let p = weft_syntax::parse(std::hint::black_box(&src));
        std::hint::black_box(weft_check::check_module(&p.module));
    });
    println!(
        "module: {} lines, {} bytes, {} flows, {} warnings",
        src.lines().count(),
        src.len(),
        parse.module.items.len(),
        diags.len()
    );
    println!(
        "parse:         median {:>7.2} ms, best {:>7.2} ms",
        p50.as_secs_f64() * 1e3,
        pmin.as_secs_f64() * 1e3
    );
    println!(
        "parse + check: median {:>7.2} ms, best {:>7.2} ms",
        c50.as_secs_f64() * 1e3,
        cmin.as_secs_f64() * 1e3
    );
}

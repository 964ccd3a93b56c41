//! The language server's latency on a large file, as in docs/benchmarks.md.
//!
//! `cargo run --release -p weft-lsp --example bench_lsp [LINES]`
//!
//! Generates a program of two files, as a project would have: a
//! `contracts.weft` with the activities' declarations, and a `main.weft`
//! of LINES lines (5,000 by default) of flows shaped like the seed's that
//! call them. Then times, in process and on one thread, what the server
//! does for each request: parsing and indexing the edited file (once per
//! edit), the semantic tokens of the whole file, completion at the start
//! of a statement and after `x.` (the fields of a declared result),
//! signature help, hover, the inlay hints of a screen (60 lines) and of
//! the whole file, the code actions at a cursor (which check the program),
//! and the diagnostics of the program. Prints the median and best of 20
//! rounds after 3 warm-up rounds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use weft_lsp::ide::{actions, completion, hints, hover, semantic, signature, File, Program};
use weft_syntax::Span;

const CONTRACTS: &str = r#"type Address = {street: string, city: string, zip: string}
type Item = {sku: string, qty: int, price: number}
activity CheckInventory(items: [Item]) -> {status: string, id: string, missing: [string]}
activity ChargePayment(payment: any, amount: number, note?: string) -> {status: string, id: string, review: bool}
activity ReleaseInventory(id: string)
activity ManualReview(order: any, payment: any) -> {decision: string, reason: string}
activity CreateLabel(item: Item, address: Address) -> {id: string, url: string}
activity CarrierEvents(id: string) -> {type: string, at: string}
activity NotifyCustomer(email: string) -> {status: string}
activity NotifyWarehouse(id: string) -> {status: string}
"#;

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
    tracking = flow Track(order) {{
        events = await CarrierEvents(order.id) @timeout(7days)
        return({{events: events, done: events.type == "delivered"}})
    }}
    results = WaitAll([NotifyCustomer(order.email), NotifyWarehouse(order.id)])
    return({{status: "ok", order: order.id, shipments: shipments, tracking: tracking, notified: results.allSuccess}})
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

fn report(what: &str, (median, best): (Duration, Duration)) {
    println!(
        "{what:<34} median {:>8.2} ms, best {:>8.2} ms",
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000);
    let src = module(lines);
    let contracts = Arc::new(File::new("contracts.weft", CONTRACTS));
    let program = Program::new(vec![
        contracts.clone(),
        Arc::new(File::new("main.weft", src.as_str())),
    ]);
    let main = 1;
    let diags = program.diagnostics();
    assert!(
        diags.iter().flatten().all(|d| !d.is_error()),
        "the generated program checks: {:?}",
        diags.iter().flatten().find(|d| d.is_error())
    );
    // Cursors in the last flow: the start of its `shipments = []` line,
    // after `inventory.` and inside `ChargePayment(`.
    let last = src.rfind("flow Order").unwrap();
    let statement = (last + src[last..].find("    shipments = []").unwrap()) as u32 + 4;
    let field = (last + src[last..].find("inventory.status").unwrap()) as u32 + 10;
    let call = (last + src[last..].find("amount: order").unwrap()) as u32;
    let hovered = (last + src[last..].find("payment.review").unwrap()) as u32 + 1;
    let f = &program.files[main];
    let screen_start = f
        .lines
        .line_start(f.lines.line_of(statement).saturating_sub(30)) as usize;
    let screen = Span::new(
        screen_start,
        f.lines.line_start(f.lines.line_of(statement) + 30) as usize,
    );
    let tokens = semantic::tokens(&program, main).len();
    println!(
        "main.weft: {} lines, {} bytes, {} flows, {} semantic tokens; contracts.weft: {} declarations",
        src.lines().count(),
        src.len(),
        f.parse.module.items.len(),
        tokens,
        contracts.parse.module.items.len()
    );
    assert!(!completion::completions(&program, main, field)
        .items
        .is_empty());
    assert!(signature::signature_help(&program, main, call).is_some());
    report(
        "parse and index (once per edit)",
        time(20, || {
            std::hint::black_box(File::new("main.weft", std::hint::black_box(src.as_str())));
        }),
    );
    report(
        "semantic tokens, whole file",
        time(20, || {
            std::hint::black_box(semantic::tokens(&program, main));
        }),
    );
    report(
        "completion, start of a statement",
        time(20, || {
            std::hint::black_box(completion::completions(&program, main, statement));
        }),
    );
    report(
        "completion, after `inventory.`",
        time(20, || {
            std::hint::black_box(completion::completions(&program, main, field));
        }),
    );
    report(
        "signature help",
        time(20, || {
            std::hint::black_box(signature::signature_help(&program, main, call));
        }),
    );
    report(
        "hover on a variable",
        time(20, || {
            std::hint::black_box(hover::hover(&program, main, hovered));
        }),
    );
    report(
        "inlay hints, 60 lines",
        time(20, || {
            std::hint::black_box(hints::hints(&program, main, screen));
        }),
    );
    report(
        "inlay hints, whole file",
        time(20, || {
            std::hint::black_box(hints::hints(&program, main, Span::new(0, src.len())));
        }),
    );
    let here = Span::new(statement as usize, statement as usize);
    report(
        "code actions (check included)",
        time(20, || {
            let d = program.diagnostics();
            std::hint::black_box(actions::actions(&program, main, here, &d[main]));
        }),
    );
    report(
        "diagnostics of the program",
        time(20, || {
            std::hint::black_box(program.diagnostics());
        }),
    );
}

//! Data-driven parser tests: source in, S-expression (or diagnostics) out.

use weft_syntax::{parse, sexp};

/// Parses `body` inside `flow T() { ... }` and returns the body's S-expression.
fn body(src: &str) -> String {
    let text = format!("flow T() {{\n{src}\n}}\n");
    let p = parse(&text);
    let msgs: Vec<_> = p.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        msgs.is_empty(),
        "unexpected diagnostics for {src:?}: {msgs:?}"
    );
    let s = sexp::module(&p.module);
    s.trim()
        .strip_prefix("(flow T () { ")
        .and_then(|s| s.strip_suffix(" })"))
        .unwrap_or(&s)
        .to_string()
}

fn check(src: &str, expect: &str) {
    assert_eq!(body(src), expect, "source: {src}");
}

/// The diagnostics of a whole file, as `line:col message`.
fn errors(src: &str) -> Vec<String> {
    let p = parse(src);
    let idx = weft_syntax::LineIndex::new(src);
    p.diagnostics
        .iter()
        .map(|d| {
            let lc = idx.line_col(src, d.span.start);
            format!("{}:{} {}", lc.line, lc.col, d.message)
        })
        .collect()
}

#[test]
fn statements() {
    check("let x = 1", "(let x 1)");
    check("var xs = []", "(var xs [])");
    check("var x", "(var x)");
    check("x = 1", "(= x 1)");
    check("ticket.status = \"open\"", "(= (. ticket status) \"open\")");
    check("a[i] = e", "(= ([] a i) e)");
    check("x += 2", "(+= x 2)");
    check("dayCount++", "(++ dayCount)");
    check(
        "user, err = FindUser(code) @retry(2)",
        "(user, err = (call FindUser code @retry(2)))",
    );
    check(
        "let res, err = await mandril.Send(t) @timeout(1h)",
        "(let res, err = (await (call (. mandril Send) t @timeout(1h))))",
    );
    check("var v, e = Sub(x)", "(var v, e = (call Sub x))");
    check("n--", "(-- n)");
    check(
        "if a { x = 1 } else if b { x = 2 } else { x = 3 }",
        "(if a { (= x 1) } else (if b { (= x 2) } else { (= x 3) }))",
    );
    check(
        "if a {\n x = 1\n}\nelse {\n x = 2\n}",
        "(if a { (= x 1) } else { (= x 2) })",
    );
    check(
        "while !done { done = Poll() }",
        "(while (! done) { (= done (call Poll)) })",
    );
    check(
        "for s in stages { Go(s) }",
        "(for s stages { (call Go s) })",
    );
    check("return", "(return)");
    check("return x", "(return x)");
    check("return({a: 1})", "(return (paren {a:1}))");
    check("return ({a: 1})", "(return (paren {a:1}))");
    check("while true { break }", "(while true { (break) })");
    check("for x in xs { continue }", "(for x xs { (continue) })");
    check("a = 1; b = 2", "(= a 1) (= b 2)");
}

#[test]
fn expressions() {
    check("x = 1 + 2 * 3", "(= x (+ 1 (* 2 3)))");
    check("x = (1 + 2) * 3", "(= x (* (paren (+ 1 2)) 3))");
    check("x = a - b - c", "(= x (- (- a b) c))");
    check("x = a || b && c == d", "(= x (|| a (&& b (== c d))))");
    check("x = a < b == c >= d", "(= x (== (< a b) (>= c d)))");
    check("x = !a && -b % 2", "(= x (&& (! a) (% (- b) 2)))");
    check("x = \"a\\\"b\\n\"", "(= x \"a\\\"b\\n\")");
    check(
        "x = [1, 2.5, null, true, false]",
        "(= x [1 2.5 null true false])",
    );
    check(
        "x = {nick: r.nick, \"a-b\": 1, ..input}",
        "(= x {nick:(. r nick) \"a-b\":1 ..input})",
    );
    check("x = {a: 1,\n  b: 2,\n}", "(= x {a:1 b:2})");
    check("x = a.b[0].c", "(= x (. ([] (. a b) 0) c))");
    check("x = F(a, maxDays: 2)", "(= x (call F a maxDays:2))");
    check(
        "x = CreateBranch(from: \"main\", name: f.id)",
        "(= x (call CreateBranch from:\"main\" name:(. f id)))",
    );
    check(
        "x = 24h + 7days - 30minutes",
        "(= x (- (+ 24h 7days) 30minutes))",
    );
    check(
        "x = func(a, b) { return a + b }",
        "(= x (func (a b) { (return (+ a b)) }))",
    );
    check(
        "x = func() { Cancel(f.id) }",
        "(= x (func () { (call Cancel (. f id)) }))",
    );
    check("x = a.type", "(= x (. a type))");
    check("x = e.in", "(= x (. e in))");
}

#[test]
fn annotations_and_await() {
    check("r = F(x) @retry(3)", "(= r (call F x @retry(3)))");
    check(
        "let c = await Send(a.email) @timeout(24h) @retry(3)",
        "(let c (await (call Send (. a email) @timeout(24h) @retry(3))))",
    );
    check(
        "m = await M(s) @timeout(s.duration)",
        "(= m (await (call M s @timeout((. s duration)))))",
    );
    check(
        "r = F() @retry(3, backoff: 2s)",
        "(= r (call F @retry(3 backoff:2s)))",
    );
    check("r = F() @catch", "(= r (call F @catch))");
    check(
        "e = await WaitForAny([\n  A(t) @timeout(7days),\n  B(t)\n])",
        "(= e (await (call WaitForAny [(call A t @timeout(7days)) (call B t)])))",
    );
}

#[test]
fn inline_flows() {
    check(
        "s = flow SetupIT(employee) { return 1 }",
        "(= s (flow SetupIT (employee) { (return 1) }))",
    );
    check(
        "r = flow Recruit(plan.criteria) { return 1 }",
        "(= r (flow Recruit ((. plan criteria)) { (return 1) }))",
    );
    check(
        "d = DeployWithRollback(fix) {\n return 1\n}",
        "(= d (flow-block DeployWithRollback (fix) { (return 1) }))",
    );
    check(
        "d = Deploy(f: fix, 1 + 1) { return f }",
        "(= d (flow-block Deploy (f:fix (+ 1 1)) { (return f) }))",
    );
    // In a condition, the block after a call is the statement's body.
    check("if Ready(x) { Go() }", "(if (call Ready x) { (call Go) })");
    check(
        "while More(x) { Go() }",
        "(while (call More x) { (call Go) })",
    );
    check(
        "for x in List(y) { Go(x) }",
        "(for x (call List y) { (call Go x) })",
    );
}

#[test]
fn comments_are_kept_aside() {
    let p = parse("// head\nflow A() { /* in */ x = 1 // tail\n}\n");
    assert!(p.diagnostics.is_empty());
    assert_eq!(p.module.comments.len(), 3);
}

#[test]
fn several_flows_per_file() {
    let p = parse("flow A() { }\n\nflow B(x, y) {\n return x\n}\n");
    assert!(p.diagnostics.is_empty());
    assert_eq!(
        sexp::module(&p.module),
        "(flow A () { })\n(flow B (x y) { (return x) })\n"
    );
}

#[test]
fn one_diagnostic_per_mistake_and_parsing_goes_on() {
    let src = "flow A() {\n    x = (1 + )\n    y = 2\n    z = ]\n    ok = 3\n}\nflow B() {\n    q = {a: }\n}\n";
    assert_eq!(
        errors(src),
        vec![
            "2:14 expected an expression, found `)`".to_string(),
            "4:9 expected an expression, found `]`".to_string(),
            "8:13 expected an expression, found `}`".to_string(),
        ]
    );
    // The statements after the errors are still in the tree.
    let p = parse(src);
    let s = sexp::module(&p.module);
    assert!(s.contains("(= ok 3)"), "{s}");
    assert!(s.contains("(flow B"), "{s}");
}

#[test]
fn precise_messages() {
    assert_eq!(
        errors("flow A() {\n  x = 1 2\n}\n"),
        vec!["2:9 expected a line break after the statement, found a number"]
    );
    assert_eq!(
        errors("x = 1\n"),
        vec!["1:1 expected `flow`, `activity`, `type`, `machine`, `sdk.TaskQueue(...)` or `sdk.Schedule(...)` at the top level, found a name"]
    );
    assert_eq!(errors("return 1\n"), vec!["1:1 `return` outside a flow"]);
    assert_eq!(
        errors("flow A() {\n  x = 1\n"),
        vec!["3:1 expected `}` before the end of the file"]
    );
    assert_eq!(
        errors("flow A() {\n  1 = x\n}\n"),
        vec!["2:3 this cannot be assigned to"]
    );
    assert_eq!(
        errors("flow A() {\n  x = y @retry(3)\n}\n"),
        vec!["2:9 `@retry` must follow a call"]
    );
    assert_eq!(
        errors("flow A() {\n  x = \"abc\n}\n"),
        vec!["2:7 unterminated string: a `\"` is missing before the end of the line"]
    );
    assert_eq!(
        errors("flow A(1) { }\n"),
        vec!["1:8 expected a parameter name, found a number"]
    );
    assert_eq!(errors("flow A() {\n  let x\n}\n"), vec!["2:8 expected `=` and the value (`let` needs one; `var x` may start empty), found a line break"]);
}

#[test]
fn an_unclosed_bracket_is_reported_at_the_bracket() {
    // The next line's first token is not the mistake: the bracket is.
    assert_eq!(
        errors("flow A(x) {\n    y = F(x, 1\n    z = 2\n    return [y, z]\n}\n"),
        vec!["2:10 `(` is not closed: expected `,` or `)` before the end of line 2"]
    );
    assert_eq!(
        errors("flow A(x) {\n    y = [x, 1\n    return y\n}\n"),
        vec!["2:9 `[` is not closed: expected `,` or `]` before the end of line 2"]
    );
    assert_eq!(
        errors("flow A(x) {\n    y = {a: x\n    return y\n}\n"),
        vec!["2:9 `{` is not closed: expected `,` or `}` before the end of line 2"]
    );
    assert_eq!(
        errors("flow A(x) {\n    y = (x + 1\n    return y\n}\n"),
        vec!["2:9 `(` is not closed: expected `)` before the end of line 2"]
    );
    assert_eq!(
        errors("flow A(x) {\n    y = x[1\n    return y\n}\n"),
        vec!["2:10 `[` is not closed: expected `]` before the end of line 2"]
    );
    assert_eq!(
        errors("activity A(x: int\nflow F() { return A(1) }\n"),
        vec!["1:11 `(` is not closed: expected `,` or `)` before the end of line 1"]
    );
    assert_eq!(
        errors("flow A(x) {\n    y = F(x"),
        vec![
            "2:10 `(` is not closed before the end of the file",
            "2:12 expected `}` before the end of the file"
        ]
    );
    // The label points where the bracket is missing.
    let src = "flow A(x) {\n    y = F(x, 1\n    z = 2\n}\n";
    let d = &parse(src).diagnostics[0];
    assert_eq!(
        d.labels[0].span.start as usize,
        src.find(", 1").unwrap() + 3
    );
    assert_eq!(d.labels[0].message, "expected `,` or `)` here");
    assert_eq!(
        errors("type T = {a: int\nflow F() { return 1 }\n"),
        vec!["1:10 `{` is not closed: expected `,` or `}` before the end of line 1"]
    );
    // A bracket closed on a later line: a separator is missing there.
    assert_eq!(
        errors("flow A(x) {\n    y = F(x\n      1)\n}\n"),
        vec!["3:7 expected `,` or `)`, found a number"]
    );
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    // Run on a small stack so a regression shows as a crash here, not in production.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let parens = format!(
                "flow A() {{\n  x = {}1{}\n}}\n",
                "(".repeat(20_000),
                ")".repeat(20_000)
            );
            let e = errors(&parens);
            assert_eq!(e.len(), 1, "{e:?}");
            assert!(e[0].contains("nesting is deeper than the limit"), "{e:?}");

            let mut ifs = String::from("flow A() {\n");
            for _ in 0..5_000 {
                ifs.push_str("if x {\n");
            }
            for _ in 0..5_000 {
                ifs.push_str("}\n");
            }
            ifs.push_str("}\n");
            let e = errors(&ifs);
            assert_eq!(e.len(), 1, "{e:?}");

            let chain = format!("flow A() {{\n  x = 1{}\n}}\n", " + 1".repeat(50_000));
            assert_eq!(errors(&chain).len(), 1);
            let unary = format!("flow A() {{\n  x = {}1\n}}\n", "!".repeat(50_000));
            assert_eq!(errors(&unary).len(), 1);
            let members = format!("flow A() {{\n  x = a{}\n}}\n", ".b".repeat(50_000));
            assert_eq!(errors(&members).len(), 1);
            let arrays = format!(
                "flow A() {{\n  x = {}{}\n}}\n",
                "[".repeat(20_000),
                "]".repeat(20_000)
            );
            assert_eq!(errors(&arrays).len(), 1);
            let unbalanced = format!("flow A() {{\n  x = {}\n}}\n", "(".repeat(20_000));
            assert!(!errors(&unbalanced).is_empty());
        })
        .unwrap();
    handle.join().expect("parser overflowed its stack");
}

#[test]
fn garbage_in_diagnostics_out() {
    for src in [
        "}}}}",
        "flow",
        "flow A",
        "flow A(",
        "flow A() {",
        "((((",
        "flow A() { x = {{{{ }",
        "\u{0}\u{1}\u{7f}",
        "flow A() { return return return }",
        "flow A() { if { } }",
        "flow A() { for in { } }",
        "flow A() { x = F(a: ) }",
        "flow A() { x = @@@ }",
        "flow A() { x = 1 @retry }",
        "flow A() { x.y.z = }",
        "flow A() { x = func( { } }",
        "flow A() { x = flow () {} }",
    ] {
        let p = parse(src);
        assert!(p.has_errors(), "no error for {src:?}");
    }
}

/// The S-expressions of a whole file, which must parse without diagnostics.
fn module(src: &str) -> String {
    let p = parse(src);
    let msgs: Vec<_> = p.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        msgs.is_empty(),
        "unexpected diagnostics for {src:?}: {msgs:?}"
    );
    sexp::module(&p.module).trim_end().to_string()
}

#[test]
fn declarations() {
    assert_eq!(
        module("type Card = {number: string, expiry: string, holder?: string}"),
        "(type Card {number:string expiry:string holder?:string})"
    );
    assert_eq!(
        module("activity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}"),
        "(activity ReserveNick (nick:string) -> {status:string nick:string ID:int})"
    );
    assert_eq!(module("activity Ping()"), "(activity Ping ())");
    // Dotted names: flows call `aws.TextModeration(...)`.
    assert_eq!(
        module("activity aws.TextModeration(text: string) -> any\nflow F(x) { return aws.TextModeration(x) }"),
        "(activity aws.TextModeration (text:string) -> any)\n(flow F (x) { (return (call (. aws TextModeration) x)) })"
    );
    assert_eq!(
        module("type T = [string | null] | {..} | {a?: int, \"x-y\": any, type: bool, ..}"),
        "(type T (| [(| string null)] {..} {a?:int \"x-y\":any type:bool ..}))"
    );
    assert_eq!(
        module(
            "activity Get(id: int, limit?: int) -> Pet\n    @http(method: \"GET\", url: \"https://x/{id}\", query: [\"limit\"])\nflow F(x) { return Get(x) }"
        ),
        "(activity Get (id:int limit?:int) -> Pet @http(method:\"GET\" url:\"https://x/{id}\" query:[\"limit\"]))\n(flow F (x) { (return (call Get x)) })"
    );
    // Broken over lines inside brackets.
    assert_eq!(
        module("activity Charge(\n    card: Card,\n    amount: number,\n) -> {\n    status: string,\n}"),
        "(activity Charge (card:Card amount:number) -> {status:string})"
    );
    // `type` and `activity` stay ordinary names elsewhere.
    assert_eq!(
        module("flow F(type) { activity = type.type\n return activity }"),
        "(flow F (type) { (= activity (. type type)) (return activity) })"
    );
}

#[test]
fn declaration_errors_recover() {
    assert_eq!(
        errors("activity A(x) -> int\nflow F() { return A(1) }"),
        vec!["1:13 expected `:`, found `)`"]
    );
    assert_eq!(
        errors("type T = {a: }\ntype U = [int\nflow F() { return 1 }"),
        vec![
            "1:14 expected a type, found `}`",
            "2:10 `[` is not closed: expected `]` before the end of line 2"
        ]
    );
    assert_eq!(
        errors("type T = {.., a: int}"),
        vec!["1:15 expected `}` after `..` (it ends an open object type), found a name"]
    );
    let p = parse("activity A(x: int) -> \nflow F() { return A(1) }");
    assert!(p.has_errors());
    assert_eq!(p.module.flows().count(), 1);
}

/// Every comma-separated list of the grammar (parameters, names, call
/// arguments, arrays, objects, object types) and how it recovers from a
/// missing comma, a bad item and the end of the file: the tree and the
/// diagnostics. They share one loop in the parser; these cases pin what
/// each list did before they did (apart from a list cut off by the end of
/// the file, which is now reported at its opening bracket).
#[test]
fn comma_lists_recover_alike() {
    let cases: &[(&str, &str)] = &[
        ("flow F(a, b,) { return [1, 2,] }", "(flow F (a b) { (return [1 2]) })"),
        ("flow F(a b) { return 1 }", " | 1:10 expected `,` or `)`, found a name"),
        ("flow F(a, 1) { return 1 }", " | 1:11 expected a parameter name, found a number"),
        ("flow F() { x = G(1 2) }", "(flow F () { (= x (call G 1)) }) | 1:20 expected `,` or `)`, found a number"),
        ("flow F() { x = G(a: 1, b: 2", "(flow F () { (= x (call G a:1 b:2)) }) | 1:17 `(` is not closed before the end of the file | 1:28 expected `}` before the end of the file"),
        ("flow F() { x = G(,) }", "(flow F () { (= x (call G (error))) }) | 1:18 expected an expression, found `,`"),
        ("flow F() { x = [1 2] }", "(flow F () { (= x [1]) }) | 1:19 expected `,` or `]`, found a number"),
        ("flow F() { x = [1, 2", "(flow F () { (= x [1 2]) }) | 1:16 `[` is not closed before the end of the file | 1:21 expected `}` before the end of the file"),
        ("flow F() { x = [,] }", "(flow F () { (= x [(error)]) }) | 1:17 expected an expression, found `,`"),
        ("flow F() { x = {a: 1 b: 2} }", "(flow F () { (= x {a:1}) }) | 1:22 expected `,` or `}`, found a name"),
        ("flow F() { x = {1: 2} }", "(flow F () { (= x {}) }) | 1:17 expected a key (a name or a string) or `..`, found a number"),
        ("flow F() { x = {a 1} }", "(flow F () { (= x {}) }) | 1:19 expected `:`, found a number"),
        ("flow F() { x = {..y, if: 1, \"q\": 2,} }", "(flow F () { (= x {..y if:1 \"q\":2}) })"),
        ("flow F() { x = {a: 1", "(flow F () { (= x {a:1}) }) | 1:16 `{` is not closed before the end of the file | 1:21 expected `}` before the end of the file"),
        ("flow F() { f = func(a b) { return a } }", "(flow F () { (= f (error)) }) | 1:23 expected `,` or `)`, found a name"),
        ("flow F() { G(1,\n 2,\n) }", "(flow F () { (call G 1 2) })"),
        ("activity A(a: int, b?: string,) -> any", "(activity A (a:int b?:string) -> any)"),
        ("activity A(a: int b: string) -> any", " | 1:19 expected `,` or `)`, found a name"),
        ("activity A(a int) -> any", " | 1:14 expected `:`, found a name"),
        ("activity A(1) -> any", " | 1:12 expected a parameter (`name: Type`), found a number"),
        ("activity A(a: int", " | 1:11 `(` is not closed before the end of the file"),
        ("type T = {a?: int, \"x-y\": string, if: int, ..}", "(type T {a?:int \"x-y\":string if:int ..})"),
        ("type T = {a: int, .., b: int}", "(type T {a:int ..}) | 1:23 expected `}` after `..` (it ends an open object type), found a name"),
        ("type T = {a: int b: int}", "(type T {a:int}) | 1:18 expected `,` or `}`, found a name"),
        ("type T = {1: int}", "(type T {}) | 1:11 expected a field name or `..`, found a number"),
        ("type T = {a: int", "(type T {a:int}) | 1:10 `{` is not closed before the end of the file"),
    ];
    let mut failed = Vec::new();
    for (src, expect) in cases {
        let p = parse(src);
        let mut got = sexp::module(&p.module).trim().to_string();
        for e in errors(src) {
            got.push_str(" | ");
            got.push_str(&e);
        }
        if got != *expect {
            failed.push(format!("        ({src:?}, {got:?}),"));
        }
    }
    assert!(failed.is_empty(), "\n{}", failed.join("\n"));
}

/// Lists nest like every bracket: past `NESTING_MAX` the parser reports
/// E0011 once and does not recurse further.
#[test]
fn nested_lists_stop_at_the_nesting_limit() {
    for (open, close) in [("[", "]"), ("{a: ", "}"), ("G(", ")")] {
        let depth = weft_syntax::NESTING_MAX + 5;
        let src = format!(
            "flow F() {{ x = {}1{} }}",
            open.repeat(depth),
            close.repeat(depth)
        );
        let p = parse(&src);
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0011"], "{open}: {:?}", p.diagnostics);
    }
}

#[test]
fn two_names_need_a_second_name_and_a_value() {
    assert_eq!(
        errors("flow T() {\n    a, = F()\n}\n"),
        ["2:8 expected a second name (`value, err = Call(...)`), found `=`"]
    );
    assert_eq!(
        errors("flow T() {\n    a, b F()\n}\n"),
        ["2:10 expected `=` and a call (`value, err = Call(...)`), found a name"]
    );
}

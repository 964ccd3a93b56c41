//! Parser tests of `machine` declarations and braced literals: source in,
//! S-expression (or diagnostics) out.

use weft_syntax::{parse, sexp};

fn module(src: &str) -> String {
    let p = parse(src);
    let msgs: Vec<_> = p.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        msgs.is_empty(),
        "unexpected diagnostics for {src:?}: {msgs:?}"
    );
    sexp::module(&p.module).trim().to_string()
}

fn check(src: &str, expect: &str) {
    assert_eq!(module(src), expect, "source: {src}");
}

/// The body's S-expression of `flow T() { src }`.
fn body(src: &str) -> String {
    let s = module(&format!("flow T() {{\n{src}\n}}\n"));
    s.strip_prefix("(flow T () { ")
        .and_then(|s| s.strip_suffix(" })"))
        .unwrap_or(&s)
        .to_string()
}

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
fn the_typed_form() {
    check(
        "machine Counter {\n    state { total: number = 0 }\n    command Add(input: {n: number}) {\n        return {total: state.total + input.n}\n    }\n}\n",
        "(machine Counter (state {total:number=0}) (command Add (input:{n:number}) { (return {total:(+ (. state total) (. input n))}) }))",
    );
    check(
        "machine M {\n    command Reset() { return {} }\n    command Touch(input)\n}",
        "(machine M (command Reset () { (return {}) }) (command Touch (input)))",
    );
}

#[test]
fn the_seeds_channels_machine_parses_as_written() {
    let seed = r#"machine channels {
    NewCommChannel{
        userId="",
        varified
        type = "email" | "phoneNo" | "push"
        email {address}
        phone {number}
        push {ios, appnid}
    }
    Confirm{
        code="",
    }
}
"#;
    check(
        seed,
        r#"(machine channels (command NewCommChannel {userId="" varified type=(| "email" "phoneNo" "push") email{address} phone{number} push{ios appnid}}) (command Confirm {code=""}))"#,
    );
}

#[test]
fn handlers_and_a_second_declaration() {
    check(
        "machine channels {\n    on Confirm(input) {\n        if input.code != state.code { fail(\"wrong code\") }\n        state.verified = true\n    }\n    on Ping() { }\n}",
        "(machine channels (on Confirm (input) { (if (!= (. input code) (. state code)) { (call fail \"wrong code\") }) (= (. state verified) true) }) (on Ping () { }))",
    );
}

#[test]
fn shape_fields() {
    check(
        "machine M {\n    state {\n        a: string\n        b?: int = 1, \"c-d\" = [1, 2]\n        kind: \"x\" | \"y\" = \"x\"\n        nested { deep { x = 1 } }\n    }\n}",
        r#"(machine M (state {a:string b?:int=1 "c-d"=[1 2] kind:(| "x" "y")="x" nested{deep{x=1}}}))"#,
    );
}

#[test]
fn string_literal_types() {
    check(
        "type Channel = \"email\" | \"phone\" | \"push\"",
        r#"(type Channel (| "email" "phone" "push"))"#,
    );
    check(
        "activity Send(kind: \"sms\" | \"mail\") -> {status: \"ok\" | \"error\"}",
        r#"(activity Send (kind:(| "sms" "mail")) -> {status:(| "ok" "error")})"#,
    );
}

#[test]
fn braced_literals() {
    assert_eq!(
        body("s = Machine(state).Handle(Add{n: 1})"),
        "(= s (call (. (call Machine state) Handle) (Add{} n:1)))"
    );
    assert_eq!(
        body("s = Machine(state).Handle(ConfirmActivation{code})"),
        "(= s (call (. (call Machine state) Handle) (ConfirmActivation{} code)))"
    );
    assert_eq!(
        body("u = channels.find(where{activation.code=code, activation.active=null}, select{user, activationState})"),
        "(= u (call (. channels find) (where{} (= (. activation code) code) (= (. activation active) null)) (select{} user activationState)))"
    );
    assert_eq!(
        body("q = channels.find(where{total > 10,\n  \"a\": 1, ..x})"),
        "(= q (call (. channels find) (where{} (> total 10) \"a\":1 ..x)))"
    );
    // In a condition, a name before `{` is followed by the body.
    assert_eq!(body("if ok { x = 1 }"), "(if ok { (= x 1) })");
    assert_eq!(body("while ok { x = 1 }"), "(while ok { (= x 1) })");
}

#[test]
fn machine_keywords_are_contextual() {
    assert_eq!(body("machine = 1"), "(= machine 1)");
    check(
        "flow F(state, command, on) { return state }",
        "(flow F (state command on) { (return state) })",
    );
}

#[test]
fn mistakes_are_reported_on_their_line() {
    assert_eq!(
        errors("machine M {\n    state { a: }\n}\n"),
        vec!["2:16 expected a type, found `}`"]
    );
    assert_eq!(
        errors("machine M {\n    command A(x, y) { }\n}\n"),
        vec!["2:16 a command takes one input"]
    );
    assert_eq!(
        errors("machine M {\n    on A(x, y) { }\n}\n"),
        vec!["2:13 a handler takes one input"]
    );
    assert_eq!(
        errors("machine M {\n    42\n}\n"),
        vec!["2:5 expected a member of the machine (`state { ... }`, `command Name(input: Type) { ... }`, `on Name(input) { ... }` or `Name { fields }`), found a number"]
    );
    assert_eq!(
        errors("machine M {\n    state { a = 1 b = 2 }\n}\n"),
        vec!["2:19 expected `,`, a line break or `}` after the field, found a name"]
    );
    assert_eq!(
        errors("machine M {\n    A { x = 1 }\n"),
        vec!["3:1 expected `}` before the end of the file"]
    );
    // One mistake does not hide the next member.
    assert_eq!(
        errors("machine M {\n    42\n    state { a: }\n    command B() { }\n}\n"),
        vec![
            "2:5 expected a member of the machine (`state { ... }`, `command Name(input: Type) { ... }`, `on Name(input) { ... }` or `Name { fields }`), found a number",
            "3:16 expected a type, found `}`",
        ]
    );
}

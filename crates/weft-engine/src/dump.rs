//! A readable listing of a compiled program, for people and for the
//! bytecode snapshot tests (`tests/bytecode.rs`).
//!
//! The listing holds everything a stored program holds except the source
//! texts, which it names by length and hash: two programs with the same
//! listing run the same way and show the same source positions. That is
//! what pinning an edition needs, and what `crate::listing` (the compiler's
//! case tests: easier to read, positions as lines, the prelude left out)
//! does not aim at: a run suspended inside the prelude depends on it too.

use std::fmt::Write;

use weft_syntax::lang;

use crate::program::*;
use crate::value::Value;

/// The listing of `p`.
pub fn dump(p: &Program) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "edition {}", p.edition.number());
    for (i, f) in p.files.iter().enumerate() {
        let _ = writeln!(
            out,
            "file {i} {} bytes={} fnv1a={:016x}",
            f.name,
            f.text.len(),
            text_hash(&f.text)
        );
    }
    for (name, id) in &p.flows {
        let _ = writeln!(out, "flow {name} = fn {id}");
    }
    // Machines and the types their inputs name (none in a program without
    // machines, so earlier listings are unchanged).
    for (name, ty) in &p.types {
        let _ = writeln!(out, "type {name} = {}", json(ty));
    }
    for (name, m) in &p.machines {
        match &m.state {
            Some(ty) => {
                let _ = writeln!(out, "machine {name} state={}", json(ty));
            }
            None => {
                let _ = writeln!(out, "machine {name}");
            }
        }
        for (cmd, c) in &m.commands {
            let _ = writeln!(
                out,
                "command {name}.{cmd} = fn {} input={}",
                c.handler,
                json(&c.input)
            );
        }
    }
    for (i, c) in p.consts.iter().enumerate() {
        let _ = writeln!(out, "const {i} {}", constant(c));
    }
    for (i, c) in p.calls.iter().enumerate() {
        let _ = writeln!(out, "call {i} {}", call(c));
    }
    for (i, f) in p.functions.iter().enumerate() {
        function(&mut out, p, i, f);
    }
    out
}

fn json(ty: &crate::machines::Ty) -> String {
    serde_json::to_string(ty).unwrap_or_default()
}

/// The hash [`dump`] shows for a source text (FNV-1a, 64 bits).
pub fn text_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn constant(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("string {}", serde_json::Value::String(s.to_string())),
        Value::Int(n) => format!("int {n}"),
        Value::Float(f) => format!("float {f}"),
        Value::Duration(d) => format!("duration {d}ms"),
        Value::Time(t) => format!("time {t}"),
        Value::Bool(b) => format!("bool {b}"),
        Value::Null => "null".into(),
        other => format!("{} (not a constant the compiler makes)", other.type_name()),
    }
}

fn call(c: &CallSpec) -> String {
    let mut s = format!("{} positional={}", c.activity, c.positional);
    if !c.named.is_empty() {
        let _ = write!(s, " named={}", c.named.join(","));
    }
    for (on, what) in [
        (c.retry, "retry"),
        (c.retry_backoff, "backoff"),
        (c.retry_max, "maxBackoff"),
        (c.timeout, "timeout"),
        (c.catch, "catch"),
        (c.awaited, "await"),
        (c.pair, "pair"),
    ] {
        if on {
            let _ = write!(s, " {what}");
        }
    }
    s
}

fn function(out: &mut String, p: &Program, id: usize, f: &Function) {
    let kind = match f.kind {
        FuncKind::Flow => "flow",
        FuncKind::InlineFlow => "inline-flow",
        FuncKind::Lambda => "lambda",
        FuncKind::Branch => "branch",
        FuncKind::Prelude => "prelude",
        FuncKind::Handler => "handler",
    };
    let _ = writeln!(
        out,
        "\nfn {id} {} {kind} file={} span={}..{}",
        f.name, f.file, f.span.start, f.span.end
    );
    let slot = |s: u16| {
        f.slot_names
            .get(s as usize)
            .map_or_else(|| format!("?{s}"), |n| format!("{n}#{s}"))
    };
    let params: Vec<String> = f
        .params
        .iter()
        .map(|s| s.map_or_else(|| "_".to_string(), slot))
        .collect();
    let _ = writeln!(out, "  params [{}]", params.join(", "));
    if !f.param_labels.is_empty() {
        let _ = writeln!(out, "  labels [{}]", f.param_labels.join(", "));
    }
    if !f.captures.is_empty() {
        let caps: Vec<String> = f.captures.iter().map(|c| slot(c.slot)).collect();
        let _ = writeln!(out, "  captures [{}]", caps.join(", "));
    }
    let _ = writeln!(out, "  slots [{}]", f.slot_names.join(", "));
    let konst = |n: u32| {
        p.consts
            .get(n as usize)
            .map_or_else(|| format!("?{n}"), |c| format!("{} #{n}", constant(c)))
    };
    let func = |n: u32| {
        p.functions
            .get(n as usize)
            .map_or_else(|| format!("?{n}"), |g| format!("fn {n} {}", g.name))
    };
    for (pc, op) in f.code.iter().enumerate() {
        let text = match op {
            Op::Const(n) => format!("Const {}", konst(*n)),
            Op::Null => "Null".into(),
            Op::Bool(b) => format!("Bool {b}"),
            Op::Load(s) => format!("Load {}", slot(*s)),
            Op::Store(s) => format!("Store {}", slot(*s)),
            Op::StorePair { value, err } => {
                format!("StorePair value={} err={}", slot(*value), slot(*err))
            }
            Op::NameError(n) => format!("NameError {}", konst(*n)),
            Op::Pop => "Pop".into(),
            Op::GetField(n) => format!("GetField {}", konst(*n)),
            Op::GetIndex => "GetIndex".into(),
            Op::SetPath { slot: s, depth, op } => format!(
                "SetPath {} depth={depth}{}",
                slot(*s),
                op.map(|o| format!(" op={}", o.as_str()))
                    .unwrap_or_default()
            ),
            Op::Unary(o) => format!("Unary {}", o.as_str()),
            Op::Binary(o) => format!("Binary {}", o.as_str()),
            Op::Jump(t) => format!("Jump {t}"),
            Op::JumpIfFalse(t) => format!("JumpIfFalse {t}"),
            Op::JumpIfFalseKeep(t) => format!("JumpIfFalseKeep {t}"),
            Op::JumpIfTrueKeep(t) => format!("JumpIfTrueKeep {t}"),
            Op::NewList => "NewList".into(),
            Op::ListPush => "ListPush".into(),
            Op::NewObject => "NewObject".into(),
            Op::ObjSet(n) => format!("ObjSet {}", konst(*n)),
            Op::ObjSpread => "ObjSpread".into(),
            Op::IterInit { list, index } => {
                format!("IterInit list={} index={}", slot(*list), slot(*index))
            }
            Op::IterNext {
                list,
                index,
                var,
                exit,
            } => format!(
                "IterNext list={} index={} var={} exit={exit}",
                slot(*list),
                slot(*index),
                slot(*var)
            ),
            Op::MakeClosure(g) => format!("MakeClosure {}", func(*g)),
            Op::CallClosure(n) => format!("CallClosure argc={n}"),
            Op::CallFunc { func: g, argc } => format!("CallFunc {} argc={argc}", func(*g)),
            Op::CallBuiltin { id, argc } => format!(
                "CallBuiltin {} argc={argc}",
                lang::BUILTINS
                    .get(*id as usize)
                    .map_or_else(|| format!("?{id}"), |b| b.name.to_string())
            ),
            Op::CallFlow { func: g, argc } => format!("CallFlow {} argc={argc}", func(*g)),
            Op::CallFlowPair { func: g, argc } => {
                format!("CallFlowPair {} argc={argc}", func(*g))
            }
            Op::StartInline(g) => format!("StartInline {}", func(*g)),
            Op::CallActivity(n) => format!(
                "CallActivity #{n} {}",
                p.calls
                    .get(*n as usize)
                    .map_or_else(|| "?".to_string(), call)
            ),
            Op::Parallel(m) => format!("Parallel {m:?}"),
            Op::ParallelForEach => "ParallelForEach".into(),
            Op::Fork => "Fork".into(),
            Op::Take(s) => format!("Take {}", slot(*s)),
            Op::Return => "Return".into(),
        };
        let span = f
            .spans
            .get(pc)
            .map(|s| format!("{}..{}", s.start, s.end))
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(out, "  {pc:>4}  {text:<60} {span}");
    }
}

//! A program's bytecode as text, for people and for snapshot tests of the
//! compiler.
//!
//! One block per function: its kind, name and parameters, the variables it
//! captures, its slots, then one line per instruction with its index, the
//! source position it came from, and its operands by name (variables by
//! slot name, constants by value, functions and activities by name).
//! Functions of the prelude (built-ins written in Weft) are the same in
//! every program and left out.

use std::fmt::Write;

use crate::program::{CallSpec, FuncKind, Function, Op, Program};
use crate::value::Value;

/// The whole program, function by function, in id order.
pub fn listing(program: &Program) -> String {
    let mut out = String::new();
    for (id, function) in program.functions.iter().enumerate() {
        if function.kind == FuncKind::Prelude {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        write_function(&mut out, program, id, function);
    }
    out
}

fn write_function(out: &mut String, program: &Program, id: usize, function: &Function) {
    let kind = match function.kind {
        FuncKind::Flow => "flow",
        FuncKind::InlineFlow => "inline flow",
        FuncKind::Lambda => "closure",
        FuncKind::Branch => "branch",
        FuncKind::Prelude => "prelude",
        FuncKind::Handler => "handler",
    };
    let params: Vec<String> = function
        .params
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let name = slot
                .map(|s| slot_name(function, s))
                .unwrap_or_else(|| "_".into());
            match function.param_labels.get(i).filter(|l| !l.is_empty()) {
                Some(label) if *label != name => format!("{name} as {label:?}"),
                _ => name,
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "fn {id}: {kind} {}({})",
        function.name,
        params.join(", ")
    );
    if !function.captures.is_empty() {
        let captures: Vec<String> = function
            .captures
            .iter()
            .map(|c| format!("{} -> {}", c.name, slot_name(function, c.slot)))
            .collect();
        let _ = writeln!(out, "  captures {}", captures.join(", "));
    }
    if !function.slot_names.is_empty() {
        let _ = writeln!(out, "  slots    {}", function.slot_names.join(" "));
    }
    let file = program.files.get(function.file as usize);
    for (pc, op) in function.code.iter().enumerate() {
        let position = match (file, function.spans.get(pc)) {
            (Some(file), Some(span)) => {
                let at = file.index.line_col(&file.text, span.start);
                format!("{}:{}", at.line, at.col)
            }
            _ => "?".into(),
        };
        let _ = writeln!(
            out,
            "  {pc:>4}  {position:<7} {}",
            instruction(program, function, op)
        );
    }
}

fn slot_name(function: &Function, slot: u16) -> String {
    function
        .slot_names
        .get(slot as usize)
        .cloned()
        .unwrap_or_else(|| format!("${slot}?"))
}

fn func_name(program: &Program, id: u32) -> String {
    match program.functions.get(id as usize) {
        Some(f) => format!("{} (fn {id})", f.name),
        None => format!("fn {id}?"),
    }
}

/// A constant as it would be written in a flow.
fn constant(program: &Program, index: u32) -> String {
    match program.consts.get(index as usize) {
        Some(Value::Str(s)) => format!("{:?}", s.as_ref()),
        Some(Value::Duration(ms)) => crate::time::format_duration(*ms),
        Some(Value::Float(f)) if f.fract() == 0.0 => format!("{f:.1}"),
        Some(other) => other.to_text(),
        None => format!("const {index}?"),
    }
}

fn instruction(program: &Program, function: &Function, op: &Op) -> String {
    let slot = |s: &u16| slot_name(function, *s);
    match op {
        Op::Const(c) => format!("Const {}", constant(program, *c)),
        Op::Null => "Null".into(),
        Op::Bool(b) => format!("Bool {b}"),
        Op::Load(s) => format!("Load {}", slot(s)),
        Op::Store(s) => format!("Store {}", slot(s)),
        Op::StorePair { value, err } => format!("StorePair {} {}", slot(value), slot(err)),
        Op::NameError(c) => format!("NameError {}", constant(program, *c)),
        Op::Pop => "Pop".into(),
        Op::GetField(c) => format!("GetField {}", constant(program, *c)),
        Op::GetIndex => "GetIndex".into(),
        Op::SetPath { slot: s, depth, op } => format!(
            "SetPath {} depth {depth}{}",
            slot(s),
            op.map(|o| format!(" {o:?}=")).unwrap_or_default()
        ),
        Op::Unary(o) => format!("Unary {o:?}"),
        Op::Binary(o) => format!("Binary {o:?}"),
        Op::Jump(to) => format!("Jump -> {to}"),
        Op::JumpIfFalse(to) => format!("JumpIfFalse -> {to}"),
        Op::JumpIfFalseKeep(to) => format!("JumpIfFalseKeep -> {to}"),
        Op::JumpIfTrueKeep(to) => format!("JumpIfTrueKeep -> {to}"),
        Op::NewList => "NewList".into(),
        Op::ListPush => "ListPush".into(),
        Op::NewObject => "NewObject".into(),
        Op::ObjSet(c) => format!("ObjSet {}", constant(program, *c)),
        Op::ObjSpread => "ObjSpread".into(),
        Op::IterInit { list, index } => format!("IterInit {} {}", slot(list), slot(index)),
        Op::IterNext {
            list,
            index,
            var,
            exit,
        } => format!(
            "IterNext {} {} into {} else -> {exit}",
            slot(list),
            slot(index),
            slot(var)
        ),
        Op::MakeClosure(f) => format!("MakeClosure {}", func_name(program, *f)),
        Op::CallClosure(argc) => format!("CallClosure argc {argc}"),
        Op::CallFunc { func, argc } => {
            format!("CallFunc {} argc {argc}", func_name(program, *func))
        }
        Op::CallBuiltin { id, argc } => format!(
            "CallBuiltin {} argc {argc}",
            weft_syntax::lang::BUILTINS
                .get(*id as usize)
                .map(|b| b.name)
                .unwrap_or("?")
        ),
        Op::CallFlow { func, argc } => {
            format!("CallFlow {} argc {argc}", func_name(program, *func))
        }
        Op::CallFlowPair { func, argc } => {
            format!("CallFlowPair {} argc {argc}", func_name(program, *func))
        }
        Op::StartInline(f) => format!("StartInline {}", func_name(program, *f)),
        Op::CallActivity(spec) => match program.calls.get(*spec as usize) {
            Some(spec) => format!("CallActivity {}", call(spec)),
            None => format!("CallActivity {spec}?"),
        },
        Op::Parallel(mode) => format!("Parallel {mode:?}"),
        Op::ParallelForEach => "ParallelForEach".into(),
        Op::Fork => "Fork".into(),
        Op::Take(s) => format!("Take {}", slot(s)),
        Op::Return => "Return".into(),
    }
}

/// A call's shape: `Charge(2, carrier:) @retry(n, backoff:) @timeout @catch`.
fn call(spec: &CallSpec) -> String {
    let mut args: Vec<String> = vec![spec.positional.to_string()];
    args.extend(spec.named.iter().map(|n| format!("{n}:")));
    let mut text = format!(
        "{}{}({})",
        if spec.awaited { "await " } else { "" },
        spec.activity,
        args.join(", ")
    );
    if spec.retry {
        let mut parts = vec!["n"];
        if spec.retry_backoff {
            parts.push("backoff:");
        }
        if spec.retry_max {
            parts.push("maxBackoff:");
        }
        let _ = write!(text, " @retry({})", parts.join(", "));
    }
    if spec.timeout {
        text.push_str(" @timeout");
    }
    if spec.catch {
        text.push_str(" @catch");
    }
    if spec.pair {
        text.push_str(" -> value, err");
    }
    text
}

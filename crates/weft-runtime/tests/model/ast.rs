//! Generated programs: a small part of Weft as data, printed as source.
//!
//! The reference model evaluates this tree directly; the engine gets the
//! printed text. Effects (activity calls, awaits, parallel built-ins,
//! sub-flows, closure calls) only appear as the whole right-hand side of a
//! statement or as elements of a parallel list, so the order in which
//! operands are evaluated never matters.

use std::fmt::Write;
use std::rc::Rc;

/// `flow Main(input) { body; return ret }`.
#[derive(Clone, Debug)]
pub struct Program {
    /// The statements.
    pub body: Vec<Stmt>,
    /// What the flow returns.
    pub ret: Expr,
}

/// A closure's or an inline flow's parameters, body and result.
#[derive(Debug)]
pub struct Func {
    /// Parameter names.
    pub params: Vec<String>,
    /// The statements.
    pub body: Vec<Stmt>,
    /// What it returns.
    pub ret: Expr,
}

/// A statement.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `x = e`
    Set(String, Expr),
    /// `sink = append(sink, e)`
    Log(String, Expr),
    /// `acc = ((acc + e) % 1000)`
    Acc(String, Expr),
    /// `if c { ... } else { ... }` (no `else` when empty).
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for v in range(k) { ... }`
    For(String, i64, Vec<Stmt>),
    /// `c = 0; while c < k { ...; c = c + 1 }`
    While(String, i64, Vec<Stmt>),
    /// `Sleep(d)`, with the duration as written.
    Sleep(&'static str),
    /// An expression whose value is dropped.
    Do(Expr),
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `%`
    Rem,
    /// `==`
    Eq,
    /// `<`
    Lt,
    /// `>`
    Gt,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Rem => "%",
            Op::Eq => "==",
            Op::Lt => "<",
            Op::Gt => ">",
        }
    }
}

/// Which parallel built-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Par {
    /// `WaitAll([...])`
    All,
    /// `ParallelExecute([...])`
    Execute,
}

/// An activity call with its annotations.
#[derive(Clone, Debug)]
pub struct Call {
    /// The activity.
    pub name: &'static str,
    /// Positional arguments.
    pub args: Vec<Expr>,
    /// `@retry(n)`
    pub retry: Option<u32>,
    /// `@timeout(d)` on each attempt: the text and its milliseconds.
    pub timeout: Option<(&'static str, i64)>,
    /// `@catch`
    pub catch: bool,
}

/// An awaited call: `W(args) @timeout(d)` under `await`.
#[derive(Clone, Debug)]
pub struct Awaited {
    /// The activity.
    pub name: &'static str,
    /// Positional arguments.
    pub args: Vec<Expr>,
    /// The wait's `@timeout`: the text and its milliseconds.
    pub timeout: (&'static str, i64),
}

/// The call raced in `WaitForAny`.
#[derive(Clone, Debug)]
pub enum Racer {
    /// A plain activity call.
    Call(Call),
    /// An awaited call (the whole `WaitForAny` is then under `await`).
    Awaited(Awaited),
}

/// An expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A whole number.
    Int(i64),
    /// Text.
    Str(String),
    /// A variable.
    Var(String),
    /// `e.f`
    Field(Box<Expr>, &'static str),
    /// `(a || b)`
    Or(Box<Expr>, Box<Expr>),
    /// `(a op b)`
    Bin(Op, Box<Expr>, Box<Expr>),
    /// `{k: e, ...}`
    Obj(Vec<(String, Expr)>),
    /// `[e, ...]`
    List(Vec<Expr>),
    /// A pure built-in: `len`, `append`, `range`, `contains`.
    Builtin(&'static str, Vec<Expr>),
    /// An activity call.
    Call(Call),
    /// `await W(...) @timeout(d)`, or `await [W(...) @timeout(d), ...]`
    /// when the flag is set.
    Await(Vec<Awaited>, bool),
    /// `WaitAll([...])` or `ParallelExecute([...])`; calls in the list run
    /// as branches, inline flows as child runs, other elements are values.
    Parallel(Par, Vec<Expr>),
    /// `WaitForAny([call])` or `WaitForAny([call, len(list)])`, under
    /// `await` when the call is awaited. The built-in's branch finishes in
    /// the step that starts the group, so it always wins: the call goes out
    /// and is cancelled at once.
    Any(Racer, Option<Box<Expr>>),
    /// `ParallelForEach(list, func(x) { ... })`
    ForEach(Box<Expr>, Rc<Func>),
    /// An inline sub-flow started with one input:
    /// `flow Name(param: arg) { ... }` (or `Name(param: arg) { ... }` when
    /// the flag is set). Its value is a handle; reading it waits.
    SubFlow(String, Rc<Func>, Box<Expr>, bool),
    /// `func(params) { ... }`
    Lambda(Rc<Func>),
    /// `f(args)` for a variable holding a closure.
    CallVar(String, Vec<Expr>),
    /// `RunCompensations(list)`
    RunComp(String),
}

impl Expr {
    /// `(a op b)`.
    pub fn bin(op: Op, a: Expr, b: Expr) -> Expr {
        Expr::Bin(op, Box::new(a), Box::new(b))
    }
}

const INDENT: &str = "    ";

impl Program {
    /// The program as Weft source.
    pub fn source(&self) -> String {
        let mut out = String::from("flow Main(input) {\n");
        block(&mut out, &self.body, 1);
        let _ = writeln!(out, "{INDENT}return {}", expr(&self.ret, 1));
        out.push_str("}\n");
        out
    }
}

fn pad(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

fn block(out: &mut String, stmts: &[Stmt], depth: usize) {
    for s in stmts {
        stmt(out, s, depth);
    }
}

fn stmt(out: &mut String, s: &Stmt, depth: usize) {
    pad(out, depth);
    match s {
        Stmt::Set(x, e) => {
            let _ = writeln!(out, "{x} = {}", expr(e, depth));
        }
        Stmt::Log(sink, e) => {
            let _ = writeln!(out, "{sink} = append({sink}, {})", expr(e, depth));
        }
        Stmt::Acc(acc, e) => {
            let _ = writeln!(out, "{acc} = (({acc} + {}) % 1000)", expr(e, depth));
        }
        Stmt::If(c, then, els) => {
            let _ = writeln!(out, "if {} {{", expr(c, depth));
            block(out, then, depth + 1);
            pad(out, depth);
            if els.is_empty() {
                out.push_str("}\n");
            } else {
                out.push_str("} else {\n");
                block(out, els, depth + 1);
                pad(out, depth);
                out.push_str("}\n");
            }
        }
        Stmt::For(v, k, body) => {
            let _ = writeln!(out, "for {v} in range({k}) {{");
            block(out, body, depth + 1);
            pad(out, depth);
            out.push_str("}\n");
        }
        Stmt::While(c, k, body) => {
            let _ = writeln!(out, "{c} = 0");
            pad(out, depth);
            let _ = writeln!(out, "while {c} < {k} {{");
            block(out, body, depth + 1);
            pad(out, depth + 1);
            let _ = writeln!(out, "{c} = {c} + 1");
            pad(out, depth);
            out.push_str("}\n");
        }
        Stmt::Sleep(d) => {
            let _ = writeln!(out, "Sleep({d})");
        }
        Stmt::Do(e) => {
            let _ = writeln!(out, "{}", expr(e, depth));
        }
    }
}

fn list(items: &[Expr], depth: usize) -> String {
    items
        .iter()
        .map(|e| expr(e, depth))
        .collect::<Vec<_>>()
        .join(", ")
}

fn call(c: &Call, depth: usize) -> String {
    let mut s = format!("{}({})", c.name, list(&c.args, depth));
    if let Some(n) = c.retry {
        let _ = write!(s, " @retry({n})");
    }
    if let Some((t, _)) = c.timeout {
        let _ = write!(s, " @timeout({t})");
    }
    if c.catch {
        s.push_str(" @catch");
    }
    s
}

fn awaited(a: &Awaited, depth: usize) -> String {
    format!(
        "{}({}) @timeout({})",
        a.name,
        list(&a.args, depth),
        a.timeout.0
    )
}

fn func_body(out: &mut String, f: &Func, depth: usize) {
    out.push_str("{\n");
    block(out, &f.body, depth + 1);
    pad(out, depth + 1);
    let _ = writeln!(out, "return {}", expr(&f.ret, depth + 1));
    pad(out, depth);
    out.push('}');
}

fn expr(e: &Expr, depth: usize) -> String {
    match e {
        Expr::Int(i) => i.to_string(),
        Expr::Str(s) => format!("{s:?}"),
        Expr::Var(v) => v.clone(),
        Expr::Field(e, f) => format!("{}.{f}", expr(e, depth)),
        Expr::Or(a, b) => format!("({} || {})", expr(a, depth), expr(b, depth)),
        Expr::Bin(op, a, b) => format!("({} {} {})", expr(a, depth), op.text(), expr(b, depth)),
        Expr::Obj(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", expr(v, depth)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Expr::List(items) => format!("[{}]", list(items, depth)),
        Expr::Builtin(name, args) => format!("{name}({})", list(args, depth)),
        Expr::Call(c) => call(c, depth),
        Expr::Await(items, false) => format!("await {}", awaited(&items[0], depth)),
        Expr::Await(items, true) => {
            let inner: Vec<String> = items.iter().map(|a| awaited(a, depth)).collect();
            format!("await [{}]", inner.join(", "))
        }
        Expr::Parallel(kind, items) => {
            let name = match kind {
                Par::All => "WaitAll",
                Par::Execute => "ParallelExecute",
            };
            format!("{name}([{}])", list(items, depth))
        }
        Expr::Any(racer, instant) => {
            let (prefix, first) = match racer {
                Racer::Call(c) => ("", call(c, depth)),
                Racer::Awaited(a) => ("await ", awaited(a, depth)),
            };
            match instant {
                Some(list) => format!("{prefix}WaitForAny([{first}, len({})])", expr(list, depth)),
                None => format!("{prefix}WaitForAny([{first}])"),
            }
        }
        Expr::ForEach(items, f) => {
            let mut s = format!(
                "ParallelForEach({}, func({}) ",
                expr(items, depth),
                f.params.join(", ")
            );
            func_body(&mut s, f, depth);
            s.push(')');
            s
        }
        Expr::SubFlow(name, f, arg, call_form) => {
            let mut s = if *call_form {
                format!("{name}({}: {}) ", f.params[0], expr(arg, depth))
            } else {
                format!("flow {name}({}: {}) ", f.params[0], expr(arg, depth))
            };
            func_body(&mut s, f, depth);
            s
        }
        Expr::Lambda(f) => {
            let mut s = format!("func({}) ", f.params.join(", "));
            func_body(&mut s, f, depth);
            s
        }
        Expr::CallVar(f, args) => format!("{f}({})", list(args, depth)),
        Expr::RunComp(v) => format!("RunCompensations({v})"),
    }
}

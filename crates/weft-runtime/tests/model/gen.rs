//! A generator of small, well-typed flows, driven by a list of choices.
//!
//! Proptest produces the list; every decision takes the next number, and a
//! list that runs out reads as zeros, where zero is always the simplest
//! choice (stop, a literal, no annotation). Shrinking the list therefore
//! shrinks the program.
//!
//! The generator tracks which variables are defined and what kind of value
//! each holds, so every expression it writes is well-typed: numbers stay
//! small (`% 1000` after each operation), fields are read with a default
//! (`(r.n || 0)`), and sub-flow handles are always read before the block
//! that started them ends, so a run never finishes with a child running.

use std::rc::Rc;

use super::ast::*;
use super::script::{AWAITED, PLAIN};

/// Statements the generator chooses in one program, nested ones included,
/// at most. Each function also starts with two that set its log and its
/// accumulator, and ends reading the handles it started.
pub const STATEMENTS_MAX: usize = 15;

/// Nesting of blocks and functions, at most.
pub const DEPTH_MAX: usize = 3;

/// The choices that drive the generator.
pub struct Choices<'a> {
    data: &'a [u32],
    pos: usize,
}

impl Choices<'_> {
    /// A number below `n` (0 once the choices run out).
    pub fn below(&mut self, n: u32) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        if n == 0 {
            0
        } else {
            v % n
        }
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u32) as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Num,
    Str,
    Obj,
    List,
    /// A closure taking one number.
    Closure,
    /// The list of compensations (closures).
    Comps,
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    kind: Kind,
    /// A sub-flow handle (read as an object); only its own function reads it.
    handle: bool,
}

/// One function being generated (the flow, a closure or an inline flow).
struct Scope {
    vars: Vec<Var>,
    sink: String,
    /// Handles started and not yet read at a block's end.
    handles: Vec<String>,
    main: bool,
}

impl Scope {
    fn of(&self, kinds: &[Kind]) -> Vec<&Var> {
        self.vars
            .iter()
            .filter(|v| kinds.contains(&v.kind))
            .collect()
    }

    fn add(&mut self, name: &str, kind: Kind) {
        self.vars.push(Var {
            name: name.to_string(),
            kind,
            handle: false,
        });
    }
}

/// The kinds of statement, and how often each is written (the first is
/// what a run-out list of choices writes).
#[derive(Clone, Copy, Debug)]
enum What {
    Pure,
    Log,
    Acc,
    CallSet,
    CallDo,
    Await,
    AwaitList,
    If,
    For,
    While,
    Parallel,
    Any,
    ForEach,
    SubFlow,
    Lambda,
    CallClosure,
    Compensate,
    RunComp,
    Sleep,
}

const WEIGHTS: &[(What, usize)] = &[
    (What::Pure, 3),
    (What::Log, 2),
    (What::Acc, 2),
    (What::CallSet, 7),
    (What::CallDo, 2),
    (What::Await, 2),
    (What::AwaitList, 1),
    (What::If, 3),
    (What::For, 2),
    (What::While, 1),
    (What::Parallel, 3),
    (What::Any, 1),
    (What::ForEach, 2),
    (What::SubFlow, 3),
    (What::Lambda, 2),
    (What::CallClosure, 1),
    (What::Compensate, 3),
    (What::RunComp, 1),
    (What::Sleep, 2),
];

struct Gen<'a> {
    ch: Choices<'a>,
    budget: usize,
    next: u32,
    comps: bool,
}

/// The program the choices describe.
pub fn program(choices: &[u32]) -> Program {
    let mut g = Gen {
        ch: Choices {
            data: choices,
            pos: 0,
        },
        budget: STATEMENTS_MAX,
        next: 0,
        comps: false,
    };
    g.comps = g.ch.below(2) == 1;
    let mut s = Scope {
        vars: Vec::new(),
        sink: "log0".into(),
        handles: Vec::new(),
        main: true,
    };
    s.add("input", Kind::Obj);
    let mut body = vec![
        Stmt::Set("log0".into(), Expr::List(Vec::new())),
        Stmt::Set("acc0".into(), Expr::Int(0)),
    ];
    s.add("log0", Kind::List);
    s.add("acc0", Kind::Num);
    if g.comps {
        body.push(Stmt::Set("comps".into(), Expr::List(Vec::new())));
        s.add("comps", Kind::Comps);
    }
    body.extend(g.stmts(&mut s, 0, 12));
    if g.comps {
        // A saga undoes its steps at the end.
        body.push(Stmt::Set("undone".into(), Expr::RunComp("comps".into())));
        s.add("undone", Kind::List);
    }
    let ret = Expr::Obj(
        s.vars
            .iter()
            .filter(|v| v.name != "input")
            .filter(|v| matches!(v.kind, Kind::Num | Kind::Str | Kind::Obj | Kind::List))
            .map(|v| (v.name.clone(), Expr::Var(v.name.clone())))
            .collect(),
    );
    Program { body, ret }
}

impl Gen<'_> {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    /// Statements of a function's body (definitions stay visible). `cont`
    /// sets the expected length: another statement follows unless a choice
    /// below `cont` is zero.
    fn stmts(&mut self, s: &mut Scope, depth: usize, cont: u32) -> Vec<Stmt> {
        let handles = s.handles.len();
        let mut out = Vec::new();
        while self.budget > 0 && self.ch.below(cont) != 0 {
            self.budget -= 1;
            self.stmt(s, depth, &mut out);
        }
        // Read the handles started here, so no child outlives its block.
        for h in s.handles.split_off(handles) {
            out.push(Stmt::Log(s.sink.clone(), Expr::Var(h)));
        }
        out
    }

    /// A nested block: its definitions are not visible after it.
    fn block(&mut self, s: &mut Scope, depth: usize) -> Vec<Stmt> {
        let mark = s.vars.len();
        let out = self.stmts(s, depth, 2);
        s.vars.truncate(mark);
        out
    }

    fn stmt(&mut self, s: &mut Scope, depth: usize, out: &mut Vec<Stmt>) {
        use What::*;
        let nest = depth < DEPTH_MAX;
        let closures: Vec<String> = s
            .of(&[Kind::Closure])
            .iter()
            .map(|v| v.name.clone())
            .collect();
        let options: Vec<What> = WEIGHTS
            .iter()
            .filter(|(what, _)| match what {
                If | For | While | ForEach | SubFlow | Lambda => nest,
                CallClosure => !closures.is_empty(),
                Compensate => nest && s.main && self.comps,
                RunComp => s.main && self.comps,
                _ => true,
            })
            .flat_map(|&(what, weight)| std::iter::repeat_n(what, weight))
            .collect();
        match self.ch.pick(&options) {
            Pure => self.set_pure(s, out),
            Log => {
                let e = self.arg(s);
                out.push(Stmt::Log(s.sink.clone(), e));
            }
            Acc => {
                let accs: Vec<String> = s
                    .of(&[Kind::Num])
                    .iter()
                    .filter(|v| v.name.starts_with("acc"))
                    .map(|v| v.name.clone())
                    .collect();
                let acc = accs[self.ch.below(accs.len() as u32) as usize].clone();
                let e = self.num(s, 1);
                out.push(Stmt::Acc(acc, e));
            }
            CallSet => {
                let c = self.call(s);
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::Call(c)));
                s.add(&v, Kind::Obj);
            }
            CallDo => {
                let c = self.call(s);
                out.push(Stmt::Do(Expr::Call(c)));
            }
            Await => {
                let a = self.awaited(s);
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::Await(vec![a], false)));
                s.add(&v, Kind::Obj);
            }
            AwaitList => {
                let n = 1 + self.ch.below(3);
                let items = (0..n).map(|_| self.awaited(s)).collect();
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::Await(items, true)));
                s.add(&v, Kind::List);
            }
            If => {
                let c = self.cond(s);
                let then = self.block(s, depth + 1);
                let els = if self.ch.below(2) == 1 {
                    self.block(s, depth + 1)
                } else {
                    Vec::new()
                };
                out.push(Stmt::If(c, then, els));
            }
            For => {
                let i = self.fresh("i");
                let k = i64::from(self.ch.below(4));
                s.add(&i, Kind::Num);
                let body = self.block(s, depth + 1);
                s.vars.pop();
                out.push(Stmt::For(i, k, body));
            }
            While => {
                let c = self.fresh("c");
                let k = i64::from(self.ch.below(4));
                s.add(&c, Kind::Num);
                let body = self.block(s, depth + 1);
                s.vars.pop();
                out.push(Stmt::While(c, k, body));
            }
            Parallel => {
                let kind = self.ch.pick(&[Par::All, Par::Execute]);
                let n = self.ch.below(4);
                let items = (0..n).map(|_| self.par_item(s, depth)).collect();
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::Parallel(kind, items)));
                s.add(
                    &v,
                    match kind {
                        Par::All => Kind::Obj,
                        Par::Execute => Kind::List,
                    },
                );
            }
            Any => {
                let racer = if self.ch.below(2) == 0 {
                    Racer::Call(self.call(s))
                } else {
                    Racer::Awaited(self.awaited(s))
                };
                let instant = (self.ch.below(3) != 0).then(|| Box::new(self.list(s)));
                let kind = if instant.is_some() {
                    Kind::Num
                } else {
                    Kind::Obj
                };
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::Any(racer, instant)));
                s.add(&v, kind);
            }
            ForEach => {
                let items = if self.ch.below(2) == 0 {
                    Expr::Builtin("range", vec![Expr::Int(i64::from(self.ch.below(4)))])
                } else {
                    Expr::List(vec![self.num(s, 1), self.num(s, 1)])
                };
                let x = self.fresh("x");
                let f = self.func(s, vec![x], depth, false);
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::ForEach(Box::new(items), f)));
                s.add(&v, Kind::List);
            }
            SubFlow => {
                let e = self.sub_flow(s, depth);
                let h = self.fresh("h");
                out.push(Stmt::Set(h.clone(), e));
                s.vars.push(Var {
                    name: h.clone(),
                    kind: Kind::Obj,
                    handle: true,
                });
                s.handles.push(h);
            }
            Lambda => {
                let p = self.fresh("p");
                let f = self.func(s, vec![p], depth, false);
                let name = self.fresh("f");
                out.push(Stmt::Set(name.clone(), Expr::Lambda(f)));
                s.add(&name, Kind::Closure);
                // Usually the closure is called at once (and maybe later).
                if self.ch.below(4) != 0 {
                    self.call_closure(s, name, out);
                }
            }
            CallClosure => {
                let f = closures[self.ch.below(closures.len() as u32) as usize].clone();
                self.call_closure(s, f, out);
            }
            Compensate => {
                let f = self.func(s, Vec::new(), depth, false);
                out.push(Stmt::Set(
                    "comps".into(),
                    Expr::Builtin("append", vec![Expr::Var("comps".into()), Expr::Lambda(f)]),
                ));
            }
            RunComp => {
                let v = self.fresh("v");
                out.push(Stmt::Set(v.clone(), Expr::RunComp("comps".into())));
                s.add(&v, Kind::List);
            }
            Sleep => self.sleep(out),
        }
    }

    fn call_closure(&mut self, s: &mut Scope, f: String, out: &mut Vec<Stmt>) {
        let arg = self.num(s, 1);
        let v = self.fresh("v");
        out.push(Stmt::Set(v.clone(), Expr::CallVar(f, vec![arg])));
        s.add(&v, Kind::Obj);
    }

    fn sleep(&mut self, out: &mut Vec<Stmt>) {
        let d = self.ch.pick(&["1s", "30s", "5m", "2h"]);
        out.push(Stmt::Sleep(d));
    }

    fn set_pure(&mut self, s: &mut Scope, out: &mut Vec<Stmt>) {
        let kind = self.ch.pick(&[Kind::Num, Kind::Str, Kind::Obj, Kind::List]);
        let e = self.pure(s, kind);
        let v = self.fresh("v");
        out.push(Stmt::Set(v.clone(), e));
        s.add(&v, kind);
    }

    /// A closure or inline flow body: it sees the enclosing variables it may
    /// capture (for an inline flow only those with a JSON form), its
    /// parameters (numbers), and its own sink and accumulator.
    fn func(&mut self, outer: &Scope, params: Vec<String>, depth: usize, json: bool) -> Rc<Func> {
        let mut s = Scope {
            vars: outer
                .vars
                .iter()
                .filter(|v| !v.handle && v.kind != Kind::Comps)
                .filter(|v| !json || v.kind != Kind::Closure)
                .cloned()
                .collect(),
            sink: self.fresh("log"),
            handles: Vec::new(),
            main: false,
        };
        for p in &params {
            s.add(p, Kind::Num);
        }
        let acc = self.fresh("acc");
        let mut body = vec![
            Stmt::Set(s.sink.clone(), Expr::List(Vec::new())),
            Stmt::Set(acc.clone(), Expr::Int(0)),
        ];
        let sink = s.sink.clone();
        s.add(&sink, Kind::List);
        s.add(&acc, Kind::Num);
        body.extend(self.stmts(&mut s, depth + 1, 3));
        let ret = Expr::Obj(vec![
            ("n".into(), self.num(&s, 1)),
            ("log".into(), Expr::Var(sink)),
            ("acc".into(), Expr::Var(acc)),
        ]);
        Rc::new(Func { params, body, ret })
    }

    fn sub_flow(&mut self, s: &Scope, depth: usize) -> Expr {
        let name = self.fresh("S");
        let p = self.fresh("p");
        let arg = self.num(s, 1);
        let call_form = self.ch.below(2) == 1;
        let f = self.func(s, vec![p], depth, true);
        Expr::SubFlow(name, f, Box::new(arg), call_form)
    }

    fn par_item(&mut self, s: &Scope, depth: usize) -> Expr {
        match self.ch.below(5) {
            0 => self.num(s, 1),
            1 => self.string(s, 1),
            4 if depth < DEPTH_MAX => self.sub_flow(s, depth),
            _ => Expr::Call(self.call(s)),
        }
    }

    fn call(&mut self, s: &Scope) -> Call {
        // Mostly activities that work, so runs get somewhere.
        let name = PLAIN[self.ch.pick(&[0, 0, 0, 1, 1, 2, 2, 3, 4])];
        let n = self.ch.below(3);
        let args = (0..n).map(|_| self.arg(s)).collect();
        // A3 fails its first two attempts at most: retries often save it.
        let retries: &[Option<u32>] = if name == "A3" {
            &[
                None,
                Some(0),
                Some(1),
                Some(1),
                Some(2),
                Some(2),
                Some(2),
                Some(2),
            ]
        } else {
            &[None, Some(0), Some(1), Some(2)]
        };
        let retry = self.ch.pick(retries);
        let timeout = (self.ch.below(8) == 7).then_some(("100ms", 100));
        // Calls that often fail are often caught.
        let catch = if timeout.is_some() || matches!(name, "A4" | "A5") {
            self.ch.below(3) != 0
        } else {
            self.ch.below(4) == 3
        };
        Call {
            name,
            args,
            retry,
            timeout,
            catch,
        }
    }

    fn awaited(&mut self, s: &Scope) -> Awaited {
        let name = self.ch.pick(&AWAITED);
        let n = self.ch.below(3);
        let args = (0..n).map(|_| self.arg(s)).collect();
        let timeout = self.ch.pick(&[
            ("1h", 3_600_000),
            ("3h", 3 * 3_600_000),
            ("6h", 6 * 3_600_000),
        ]);
        Awaited {
            name,
            args,
            timeout,
        }
    }

    fn var(&mut self, s: &Scope, kinds: &[Kind]) -> Option<Expr> {
        let vs = s.of(kinds);
        if vs.is_empty() {
            return None;
        }
        let v = vs[self.ch.below(vs.len() as u32) as usize];
        Some(Expr::Var(v.name.clone()))
    }

    fn pure(&mut self, s: &Scope, kind: Kind) -> Expr {
        match kind {
            Kind::Num => self.num(s, 2),
            Kind::Str => self.string(s, 2),
            Kind::Obj => self.obj(s),
            Kind::List => self.list(s),
            Kind::Closure | Kind::Comps => unreachable!("no pure closures"),
        }
    }

    /// Any value with a JSON form (an activity argument, a log entry).
    fn arg(&mut self, s: &Scope) -> Expr {
        let kind = self.ch.pick(&[Kind::Num, Kind::Str, Kind::Obj, Kind::List]);
        self.pure(s, kind)
    }

    fn num(&mut self, s: &Scope, depth: u32) -> Expr {
        let n = if depth > 0 { 6 } else { 5 };
        match self.ch.below(n) {
            1 => self
                .var(s, &[Kind::Num])
                .unwrap_or(Expr::Int(i64::from(self.ch.below(10)))),
            2 => match self.var(s, &[Kind::Obj]) {
                Some(v) => Expr::Or(
                    Box::new(Expr::Field(Box::new(v), "n")),
                    Box::new(Expr::Int(0)),
                ),
                None => Expr::Int(7),
            },
            3 => match self.var(s, &[Kind::List, Kind::Str]) {
                Some(v) => Expr::Builtin("len", vec![v]),
                None => Expr::Int(3),
            },
            5 => {
                let op = self.ch.pick(&[Op::Add, Op::Sub, Op::Mul]);
                let a = self.num(s, depth - 1);
                let b = self.num(s, depth - 1);
                Expr::bin(Op::Rem, Expr::bin(op, a, b), Expr::Int(1000))
            }
            _ => Expr::Int(i64::from(self.ch.below(100))),
        }
    }

    fn string(&mut self, s: &Scope, depth: u32) -> Expr {
        match self.ch.below(4) {
            1 => self
                .var(s, &[Kind::Str])
                .unwrap_or_else(|| Expr::Str("s2".into())),
            2 if depth > 0 => Expr::bin(Op::Add, Expr::Str("t".into()), self.num(s, depth - 1)),
            3 => match self.var(s, &[Kind::Obj]) {
                Some(v) => Expr::Or(
                    Box::new(Expr::Field(Box::new(v), "a")),
                    Box::new(Expr::Str("-".into())),
                ),
                None => Expr::Str("s3".into()),
            },
            _ => Expr::Str(self.ch.pick(&["s1", "s2", "s3"]).into()),
        }
    }

    fn obj(&mut self, s: &Scope) -> Expr {
        if self.ch.below(2) == 1 {
            if let Some(v) = self.var(s, &[Kind::Obj]) {
                return v;
            }
        }
        Expr::Obj(vec![
            ("n".into(), self.num(s, 1)),
            ("s".into(), self.string(s, 1)),
        ])
    }

    fn list(&mut self, s: &Scope) -> Expr {
        match self.ch.below(3) {
            1 => self
                .var(s, &[Kind::List])
                .unwrap_or_else(|| Expr::List(Vec::new())),
            2 => match self.var(s, &[Kind::List]) {
                Some(v) => Expr::Builtin("append", vec![v, self.num(s, 1)]),
                None => Expr::List(vec![Expr::Int(1)]),
            },
            _ => Expr::List(vec![self.num(s, 1), self.string(s, 1)]),
        }
    }

    fn cond(&mut self, s: &Scope) -> Expr {
        match self.ch.below(6) {
            1 => Expr::bin(Op::Gt, self.num(s, 1), Expr::Int(50)),
            2 => Expr::bin(Op::Lt, self.num(s, 1), Expr::Int(30)),
            3 => match self.var(s, &[Kind::Obj]) {
                Some(v) => {
                    let what = self.ch.pick(&["error", "timeout"]);
                    Expr::bin(
                        Op::Eq,
                        Expr::Field(Box::new(v), "status"),
                        Expr::Str(what.into()),
                    )
                }
                None => Expr::bin(Op::Gt, self.num(s, 1), Expr::Int(20)),
            },
            4 => Expr::bin(Op::Eq, self.string(s, 1), Expr::Str("s1".into())),
            5 => Expr::Builtin("contains", vec![self.list(s), self.num(s, 1)]),
            _ => Expr::bin(
                Op::Eq,
                Expr::bin(Op::Rem, self.num(s, 1), Expr::Int(2)),
                Expr::Int(0),
            ),
        }
    }
}

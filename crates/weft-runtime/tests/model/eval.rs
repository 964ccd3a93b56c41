//! The reference model: a tree-walking evaluator of generated programs,
//! written from the language's rules, not from the engine's code.
//!
//! Time is not simulated. Branches of a parallel built-in, and sub-flows,
//! are independent (closures and sub-flows capture values, answers depend
//! only on the call), so each is evaluated to its end when it starts. All
//! that time decides is whether a callback beats its `@timeout` and whether
//! an attempt beats its own `@timeout`, and the script answers that.
//!
//! A branch of execution ends in one of three ways: a value, a failure (a
//! call failed for good; the run is `failed`, other branches carry on), or
//! blocked for ever (it reads a sub-flow that never completes). A run is
//! `failed` when any of its branches failed, else `waiting` when its flow is
//! blocked, else `completed`.

use serde_json::{Map as JsonMap, Value as Json};
use std::collections::BTreeMap;
use std::rc::Rc;
use weft_engine::state::Status;

use super::ast::*;
use super::script::{self, Reply};

/// Calls and attempts of one activity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Logical calls (call ids).
    pub calls: u32,
    /// Attempts over all calls.
    pub attempts: u32,
}

/// How a run ended.
#[derive(Clone, Debug)]
pub struct RunEnd {
    /// The flow it ran (`Main` or an inline flow's name).
    pub flow: String,
    /// Its final status.
    pub status: Status,
    /// Its result, when completed.
    pub result: Option<Json>,
    /// Why it failed: one message per failed branch.
    pub failures: Vec<String>,
}

/// What the model expects of a program.
#[derive(Clone, Debug)]
pub struct Expected {
    /// Every run: the flow first, then its sub-flows in start order.
    pub runs: Vec<RunEnd>,
    /// Calls by activity, over all runs.
    pub calls: BTreeMap<String, Counts>,
}

/// A value of the model.
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<V>),
    Obj(Vec<(String, V)>),
    Closure(Rc<Func>, Env),
    /// A sub-flow: the index of its run.
    Handle(usize),
}

type Env = BTreeMap<String, V>;

/// Why a branch stopped.
enum Stop {
    /// A call failed for good (recorded in the run's failures).
    Failed,
    /// It waits for a sub-flow that will never complete.
    Blocked,
}

type R<T> = Result<T, Stop>;

/// Evaluates `program` started with `input`.
pub fn evaluate(program: &Program, input: &Json) -> Expected {
    let mut m = Model {
        runs: Vec::new(),
        calls: BTreeMap::new(),
        cur: 0,
    };
    m.runs.push(RunEnd {
        flow: "Main".into(),
        status: Status::Running,
        result: None,
        failures: Vec::new(),
    });
    let mut env = Env::new();
    env.insert("input".into(), V::from_json(input));
    let r = m
        .block(&mut env, &program.body)
        .and_then(|()| m.eval(&mut env, &program.ret));
    m.finish(0, r);
    Expected {
        runs: m.runs,
        calls: m.calls,
    }
}

struct Model {
    runs: Vec<RunEnd>,
    calls: BTreeMap<String, Counts>,
    /// The run being evaluated.
    cur: usize,
}

impl V {
    fn from_json(j: &Json) -> V {
        match j {
            Json::Null => V::Null,
            Json::Bool(b) => V::Bool(*b),
            Json::Number(n) => V::Int(n.as_i64().expect("the script only has whole numbers")),
            Json::String(s) => V::Str(s.clone()),
            Json::Array(items) => V::List(items.iter().map(V::from_json).collect()),
            Json::Object(m) => V::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn to_json(&self) -> Json {
        match self {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(*b),
            V::Int(i) => Json::from(*i),
            V::Str(s) => Json::String(s.clone()),
            V::List(items) => Json::Array(items.iter().map(V::to_json).collect()),
            V::Obj(fields) => {
                let mut m = JsonMap::new();
                for (k, v) in fields {
                    m.insert(k.clone(), v.to_json());
                }
                Json::Object(m)
            }
            V::Closure(..) | V::Handle(_) => {
                panic!("model: a closure or handle reached JSON (generator bug)")
            }
        }
    }

    fn truthy(&self) -> bool {
        match self {
            V::Null => false,
            V::Bool(b) => *b,
            V::Int(i) => *i != 0,
            V::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    fn field(&self, key: &str) -> V {
        match self {
            V::Obj(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(V::Null),
            other => panic!("model: reading `.{key}` of {other:?} (generator bug)"),
        }
    }

    fn equals(&self, other: &V) -> bool {
        match (self, other) {
            (V::Null, V::Null) => true,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Int(a), V::Int(b)) => a == b,
            (V::Str(a), V::Str(b)) => a == b,
            (V::List(a), V::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (V::Obj(a), V::Obj(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(l, w)| k == l && v.equals(w)))
            }
            _ => false,
        }
    }

    fn int(&self) -> i64 {
        match self {
            V::Int(i) => *i,
            other => panic!("model: {other:?} is not a number (generator bug)"),
        }
    }

    fn list(self) -> Vec<V> {
        match self {
            V::List(items) => items,
            other => panic!("model: {other:?} is not a list (generator bug)"),
        }
    }
}

/// `{status: "error", error: {message, attempts}}`
fn error_value(message: &str, attempts: u32) -> V {
    V::Obj(vec![
        ("status".into(), V::Str("error".into())),
        (
            "error".into(),
            V::Obj(vec![
                ("message".into(), V::Str(message.into())),
                ("attempts".into(), V::Int(i64::from(attempts))),
            ]),
        ),
    ])
}

/// `{status: "timeout", type: "timeout"}`
fn timeout_value() -> V {
    V::Obj(vec![
        ("status".into(), V::Str("timeout".into())),
        ("type".into(), V::Str("timeout".into())),
    ])
}

/// Combines the branches of a parallel built-in: a failure wins over a
/// block, which wins over values.
fn join(results: Vec<R<V>>) -> R<Vec<V>> {
    let mut values = Vec::new();
    let mut blocked = false;
    let mut failed = false;
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(Stop::Failed) => failed = true,
            Err(Stop::Blocked) => blocked = true,
        }
    }
    if failed {
        Err(Stop::Failed)
    } else if blocked {
        Err(Stop::Blocked)
    } else {
        Ok(values)
    }
}

/// An element of a parallel list once the list is built.
enum Slot<'a> {
    Value(V),
    Branch(&'a Call, Json),
    Child(usize),
}

impl Model {
    fn finish(&mut self, run: usize, r: R<V>) {
        let end = &mut self.runs[run];
        end.status = if !end.failures.is_empty() {
            Status::Failed
        } else {
            match r {
                Ok(v) => {
                    end.result = Some(v.to_json());
                    Status::Completed
                }
                Err(Stop::Blocked) => Status::Waiting,
                Err(Stop::Failed) => unreachable!("failures are recorded"),
            }
        };
    }

    fn block(&mut self, env: &mut Env, stmts: &[Stmt]) -> R<()> {
        for s in stmts {
            self.stmt(env, s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, env: &mut Env, s: &Stmt) -> R<()> {
        match s {
            Stmt::Set(x, e) => {
                let v = self.eval(env, e)?;
                env.insert(x.clone(), v);
            }
            Stmt::Log(sink, e) => {
                let v = self.eval(env, e)?;
                let mut items = self.read(env, sink)?.list();
                items.push(v);
                env.insert(sink.clone(), V::List(items));
            }
            Stmt::Acc(acc, e) => {
                let a = self.read(env, acc)?.int();
                let b = self.eval(env, e)?.int();
                env.insert(acc.clone(), V::Int((a + b) % 1000));
            }
            Stmt::If(c, then, els) => {
                if self.eval(env, c)?.truthy() {
                    self.block(env, then)?;
                } else {
                    self.block(env, els)?;
                }
            }
            Stmt::For(v, k, body) => {
                for i in 0..*k {
                    env.insert(v.clone(), V::Int(i));
                    self.block(env, body)?;
                }
            }
            Stmt::While(c, k, body) => {
                env.insert(c.clone(), V::Int(0));
                while self.read(env, c)?.int() < *k {
                    self.block(env, body)?;
                    let n = self.read(env, c)?.int();
                    env.insert(c.clone(), V::Int(n + 1));
                }
            }
            Stmt::Sleep(_) => {}
            Stmt::Do(e) => {
                self.eval(env, e)?;
            }
        }
        Ok(())
    }

    /// Reads a variable; reading a sub-flow's handle waits for its result.
    fn read(&mut self, env: &mut Env, name: &str) -> R<V> {
        let v = env
            .get(name)
            .unwrap_or_else(|| panic!("model: `{name}` is not defined (generator bug)"))
            .clone();
        match v {
            V::Handle(run) => match self.runs[run].status {
                Status::Completed => {
                    let r = V::from_json(self.runs[run].result.as_ref().expect("completed"));
                    env.insert(name.to_string(), r.clone());
                    Ok(r)
                }
                _ => Err(Stop::Blocked),
            },
            other => Ok(other),
        }
    }

    fn eval(&mut self, env: &mut Env, e: &Expr) -> R<V> {
        Ok(match e {
            Expr::Int(i) => V::Int(*i),
            Expr::Str(s) => V::Str(s.clone()),
            Expr::Var(name) => self.read(env, name)?,
            Expr::Field(obj, key) => self.eval(env, obj)?.field(key),
            Expr::Or(a, b) => {
                let a = self.eval(env, a)?;
                if a.truthy() {
                    a
                } else {
                    self.eval(env, b)?
                }
            }
            Expr::Bin(op, a, b) => {
                let a = self.eval(env, a)?;
                let b = self.eval(env, b)?;
                binary(*op, a, b)
            }
            Expr::Obj(fields) => {
                let mut out = Vec::new();
                for (k, v) in fields {
                    out.push((k.clone(), self.eval(env, v)?));
                }
                V::Obj(out)
            }
            Expr::List(items) => {
                let mut out = Vec::new();
                for it in items {
                    out.push(self.eval(env, it)?);
                }
                V::List(out)
            }
            Expr::Builtin(name, args) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(env, a)?);
                }
                builtin(name, vals)
            }
            Expr::Call(c) => {
                let args = self.args(env, &c.args)?;
                self.call(c, &args, false)?
            }
            Expr::Await(items, as_list) => {
                // The calls' arguments are evaluated first (the list of
                // branches is built before any branch runs).
                let mut args = Vec::new();
                for a in items {
                    args.push(self.args(env, &a.args)?);
                }
                let values: Vec<V> = items
                    .iter()
                    .zip(&args)
                    .map(|(a, args)| self.awaited(a, args))
                    .collect();
                if *as_list {
                    V::List(values)
                } else {
                    values.into_iter().next().expect("one awaited call")
                }
            }
            Expr::Parallel(kind, items) => self.parallel(env, *kind, items)?,
            Expr::Any(racer, instant) => {
                let args = match racer {
                    Racer::Call(c) => self.args(env, &c.args)?,
                    Racer::Awaited(a) => self.args(env, &a.args)?,
                };
                match instant {
                    // The built-in's branch wins at once; the call's first
                    // attempt went out and is dropped. Building the list
                    // comes first: each branch captures the variables it
                    // mentions, and capturing a sub-flow's handle waits for
                    // the child, so no branch starts before it is there.
                    Some(list) => {
                        let items = self.eval(env, list)?;
                        let name = match racer {
                            Racer::Call(c) => c.name,
                            Racer::Awaited(a) => a.name,
                        };
                        let counts = self.calls.entry(name.to_string()).or_default();
                        counts.calls += 1;
                        counts.attempts += 1;
                        builtin("len", vec![items])
                    }
                    None => match racer {
                        Racer::Call(c) => self.call(c, &args, false)?,
                        Racer::Awaited(a) => self.awaited(a, &args),
                    },
                }
            }
            Expr::ForEach(items, f) => {
                let items = self.eval(env, items)?.list();
                let closure = (f.clone(), env.clone());
                let results = items
                    .into_iter()
                    .map(|x| self.call_closure(&closure.0, &closure.1, vec![x]))
                    .collect();
                V::List(join(results)?)
            }
            Expr::SubFlow(name, f, arg, _) => {
                let arg = self.eval(env, arg)?;
                V::Handle(self.start(name, f, env, arg))
            }
            Expr::Lambda(f) => V::Closure(f.clone(), env.clone()),
            Expr::CallVar(name, args) => {
                let f = self.read(env, name)?;
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(env, a)?);
                }
                let V::Closure(f, captured) = f else {
                    panic!("model: `{name}` is not a closure (generator bug)");
                };
                self.call_closure(&f, &captured, vals)?
            }
            Expr::RunComp(name) => {
                let list = self.read(env, name)?.list();
                let mut results = Vec::new();
                for c in list.iter().rev() {
                    let V::Closure(f, captured) = c else {
                        panic!("model: a compensation is not a closure (generator bug)");
                    };
                    results.push(self.call_closure(f, captured, Vec::new())?);
                }
                V::List(results)
            }
        })
    }

    fn args(&mut self, env: &mut Env, args: &[Expr]) -> R<Json> {
        let mut out = Vec::new();
        for a in args {
            out.push(self.eval(env, a)?.to_json());
        }
        Ok(Json::Array(out))
    }

    /// Calls a closure: its captured values, then its parameters.
    fn call_closure(&mut self, f: &Func, captured: &Env, args: Vec<V>) -> R<V> {
        let mut env = captured.clone();
        for (p, v) in f.params.iter().zip(args) {
            env.insert(p.clone(), v);
        }
        self.block(&mut env, &f.body)?;
        self.eval(&mut env, &f.ret)
    }

    /// Starts an inline flow as a child run, which runs to its end now.
    fn start(&mut self, name: &str, f: &Func, env: &Env, arg: V) -> usize {
        let run = self.runs.len();
        self.runs.push(RunEnd {
            flow: name.to_string(),
            status: Status::Running,
            result: None,
            failures: Vec::new(),
        });
        let parent = std::mem::replace(&mut self.cur, run);
        let r = self.call_closure(f, env, vec![arg]);
        self.finish(run, r);
        self.cur = parent;
        run
    }

    fn parallel(&mut self, env: &mut Env, kind: Par, items: &[Expr]) -> R<V> {
        // Building the list happens in the flow, in order: values are
        // computed, sub-flows start, calls become branches (with their
        // arguments captured).
        let mut slots = Vec::new();
        for it in items {
            slots.push(match it {
                Expr::Call(c) => Slot::Branch(c, self.args(env, &c.args)?),
                Expr::SubFlow(name, f, arg, _) => {
                    let arg = self.eval(env, arg)?;
                    Slot::Child(self.start(name, f, env, arg))
                }
                other => Slot::Value(self.eval(env, other)?),
            });
        }
        let results: Vec<R<V>> = slots
            .into_iter()
            .map(|slot| match slot {
                Slot::Value(v) => Ok(v),
                // Calls directly in WaitAll's list report failures as values.
                Slot::Branch(c, args) => self.call(c, &args, kind == Par::All),
                Slot::Child(run) => match self.runs[run].status {
                    Status::Completed => Ok(V::from_json(
                        self.runs[run].result.as_ref().expect("completed"),
                    )),
                    _ => Err(Stop::Blocked),
                },
            })
            .collect();
        let values = join(results)?;
        Ok(match kind {
            Par::Execute => V::List(values),
            Par::All => {
                let errors: Vec<V> = values
                    .iter()
                    .filter(|v| {
                        matches!(v, V::Obj(_)) && v.field("status").equals(&V::Str("error".into()))
                    })
                    .cloned()
                    .collect();
                V::Obj(vec![
                    ("allSuccess".into(), V::Bool(errors.is_empty())),
                    ("results".into(), V::List(values)),
                    ("errors".into(), V::List(errors)),
                ])
            }
        })
    }

    /// A plain activity call: attempts until one returns, the retries run
    /// out, or a failure cannot be retried.
    fn call(&mut self, c: &Call, args: &Json, catch_all: bool) -> R<V> {
        let counts = self.calls.entry(c.name.to_string()).or_default();
        counts.calls += 1;
        let retries = c.retry.unwrap_or(0);
        let mut attempt = 1;
        loop {
            self.calls.get_mut(c.name).expect("entered").attempts += 1;
            let reply = match c.timeout {
                Some((text, ms)) if script::after_ms(c.name, args) > ms => Reply::Fail {
                    error: format!("attempt timed out after {text}"),
                    retryable: true,
                },
                _ => script::reply(c.name, args, attempt),
            };
            match reply {
                Reply::Return(v) => return Ok(V::from_json(&v)),
                Reply::Fail { error, retryable } => {
                    if retryable && attempt <= retries {
                        attempt += 1;
                        continue;
                    }
                    if c.catch || catch_all {
                        return Ok(error_value(&error, attempt));
                    }
                    let message = if attempt > 1 {
                        format!("{} failed after {attempt} attempts: {error}", c.name)
                    } else {
                        format!("{} failed: {error}", c.name)
                    };
                    self.runs[self.cur].failures.push(message);
                    return Err(Stop::Failed);
                }
            }
        }
    }

    /// An awaited call: the callback's value if it comes before the
    /// timeout, else the timeout value.
    fn awaited(&mut self, a: &Awaited, args: &Json) -> V {
        let counts = self.calls.entry(a.name.to_string()).or_default();
        counts.calls += 1;
        counts.attempts += 1;
        match script::callback(a.name, args) {
            Some((v, delay_ms)) if delay_ms < a.timeout.1 => V::from_json(&v),
            _ => timeout_value(),
        }
    }
}

fn to_text(v: &V) -> String {
    match v {
        V::Str(s) => s.clone(),
        other => other.to_json().to_string(),
    }
}

fn binary(op: Op, a: V, b: V) -> V {
    match op {
        Op::Eq => V::Bool(a.equals(&b)),
        Op::Lt => V::Bool(a.int() < b.int()),
        Op::Gt => V::Bool(a.int() > b.int()),
        Op::Add => match (&a, &b) {
            (V::Str(x), y) => V::Str(format!("{x}{}", to_text(y))),
            _ => V::Int(a.int().checked_add(b.int()).expect("small numbers")),
        },
        Op::Sub => V::Int(a.int().checked_sub(b.int()).expect("small numbers")),
        Op::Mul => V::Int(a.int().checked_mul(b.int()).expect("small numbers")),
        Op::Rem => V::Int(a.int() % b.int()),
    }
}

fn builtin(name: &str, args: Vec<V>) -> V {
    let mut args = args.into_iter();
    let mut arg = || args.next().expect("arity");
    match name {
        "len" => V::Int(match arg() {
            V::List(items) => items.len() as i64,
            V::Str(s) => s.chars().count() as i64,
            V::Obj(fields) => fields.len() as i64,
            other => panic!("model: len() of {other:?} (generator bug)"),
        }),
        "append" => {
            let mut items = arg().list();
            items.push(arg());
            V::List(items)
        }
        "range" => V::List((0..arg().int()).map(V::Int).collect()),
        "contains" => {
            let items = arg().list();
            let x = arg();
            V::Bool(items.iter().any(|i| i.equals(&x)))
        }
        other => panic!("model: no built-in `{other}`"),
    }
}

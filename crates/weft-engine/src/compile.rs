//! From syntax trees to bytecode.
//!
//! Name resolution happens here. Variables are scoped to their function
//! (flow, inline flow or closure). A closure or inline flow captures, by
//! value, the enclosing variables it mentions; the enclosing function pushes
//! their current values when it creates the closure or starts the sub-flow.
//!
//! A called name resolves, in order, to: a variable holding a closure; the
//! inline flow whose body we are in (recursion); a flow of the program; a
//! built-in; otherwise an activity.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use thiserror::Error;
use weft_syntax::ast::*;
use weft_syntax::lang::{self, BuiltinKind};
use weft_syntax::{Diagnostic, Span};

use crate::limits;
use crate::program::*;
use crate::value::Value;

mod machines;

/// Why a program did not compile.
#[derive(Debug, Error)]
pub enum CompileError {
    /// The source has syntax errors (or the checker found errors).
    #[error("{file} has {} error(s); the first: {}", .diagnostics.len(), .diagnostics.first().map(|d| d.message.as_str()).unwrap_or(""))]
    Diagnostics {
        /// The file.
        file: String,
        /// Its errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// Two flows share a name.
    #[error("flow `{0}` is defined more than once")]
    DuplicateFlow(String),
    /// A function is too large for the machine's encodings.
    #[error("function `{name}` exceeds the limit of {limit} {what}")]
    TooLarge {
        /// Which function.
        name: String,
        /// What overflowed.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}

/// One source file to compile.
pub struct Input<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Its parsed module.
    pub module: &'a Module,
}

/// The name of the file the prelude's functions are in.
pub const PRELUDE_FILE: &str = "<prelude>";

/// Built-ins written in Weft. They run in the caller's run like closures.
const PRELUDE: &str = r#"
flow RunCompensations(list) {
    results = []
    i = len(list) - 1
    while i >= 0 {
        results = append(results, list[i]())
        i--
    }
    return results
}
"#;

/// Parses and compiles one source file (refusing syntax errors) under the
/// latest edition.
pub fn compile_source(name: &str, text: &str) -> Result<Program, CompileError> {
    compile_sources(&[(name, text)])
}

/// Parses and compiles several source files as one program, under the
/// latest edition.
pub fn compile_sources(files: &[(&str, &str)]) -> Result<Program, CompileError> {
    compile_sources_in(files, Edition::LATEST)
}

/// Parses and compiles several source files as one program under `edition`.
/// Files that are not Weft (the `.proto` files of `@grpc` bindings, see
/// [`weft_syntax::lang::is_weft_file`]) travel with a program but are not
/// compiled.
pub fn compile_sources_in(
    files: &[(&str, &str)],
    edition: Edition,
) -> Result<Program, CompileError> {
    let files: Vec<(&str, &str)> = files
        .iter()
        .copied()
        .filter(|(name, _)| weft_syntax::lang::is_weft_file(name))
        .collect();
    let mut modules = Vec::new();
    for (name, text) in &files {
        let parse = weft_syntax::parse(text);
        if parse.has_errors() {
            return Err(CompileError::Diagnostics {
                file: name.to_string(),
                diagnostics: parse.diagnostics,
            });
        }
        modules.push(parse.module);
    }
    let inputs: Vec<Input> = files
        .iter()
        .zip(&modules)
        .map(|((name, text), module)| Input { name, text, module })
        .collect();
    compile_in(&inputs, edition)
}

/// Compiles parsed modules into one program under the latest edition.
pub fn compile(files: &[Input]) -> Result<Program, CompileError> {
    compile_in(files, Edition::LATEST)
}

/// Compiles parsed modules into one program under `edition`.
///
/// Edition 1 is the only one yet, so nothing below depends on it; a change
/// to what text that compiles today emits must test `edition` and keep
/// edition 1's output (see ARCHITECTURE.md, "Changing the compiler").
pub fn compile_in(files: &[Input], edition: Edition) -> Result<Program, CompileError> {
    let prelude = weft_syntax::parse(PRELUDE).module;
    let mut c = Compiler {
        program: Program {
            edition,
            functions: Vec::new(),
            flows: Default::default(),
            consts: Vec::new(),
            calls: Vec::new(),
            files: Vec::new(),
            machines: Default::default(),
            types: Default::default(),
        },
        pair: false,
        reports: HashSet::new(),
        forks: HashMap::new(),
        fork_elements: HashSet::new(),
        strings: HashMap::new(),
        top: HashMap::new(),
        prelude: HashMap::new(),
        scopes: Vec::new(),
        file: 0,
        text: "",
        known: machines::Known::default(),
    };
    // Allocate every top-level function first, so flows can call each other.
    let mut all: Vec<(u16, &str, &FlowDecl, bool)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        c.program.files.push(SourceFile::new(f.name, f.text));
        for flow in f.module.flows() {
            all.push((i as u16, f.text, flow, false));
            if edition >= Edition::E2 {
                for s in weft_syntax::reports::reporting_parallels(flow) {
                    c.reports.insert((i as u16, s.start, s.end));
                }
                for f in weft_syntax::assign_forks::assign_forks(flow) {
                    // The join's failure semantics: WaitAll (and a reporting
                    // ParallelExecute) turn a failure for good into a value.
                    let catch = f.join_name == "WaitAll"
                        || (f.join_name == "ParallelExecute"
                            && c.reports.contains(&(i as u16, f.join.start, f.join.end)));
                    c.forks.insert((i as u16, f.stmt.start, f.stmt.end), catch);
                    c.fork_elements
                        .insert((i as u16, f.element.start, f.element.end));
                }
            }
        }
    }
    let prelude_file = c.program.files.len() as u16;
    c.program.files.push(SourceFile::new(PRELUDE_FILE, PRELUDE));
    for flow in prelude.flows() {
        all.push((prelude_file, PRELUDE, flow, true));
    }
    let gathered = machines::gather(files);
    let handlers = c.alloc_handlers(&gathered);
    let mut ids = Vec::with_capacity(all.len());
    for (file, _, flow, is_prelude) in &all {
        let id = c.alloc(
            &flow.name.name,
            if *is_prelude {
                FuncKind::Prelude
            } else {
                FuncKind::Flow
            },
            *file,
            flow.span,
        );
        let names: Vec<String> = flow
            .params
            .iter()
            .map(|p| p.name.as_ref().map(|n| n.name.clone()).unwrap_or_default())
            .collect();
        if *is_prelude {
            c.prelude.insert(flow.name.name.clone(), id);
        } else {
            if c.top.contains_key(&flow.name.name) {
                return Err(CompileError::DuplicateFlow(flow.name.name.clone()));
            }
            c.top.insert(flow.name.name.clone(), (id, names));
            c.program.flows.insert(flow.name.name.clone(), id);
        }
        ids.push(id);
    }
    for ((file, text, flow, _), id) in all.iter().zip(ids) {
        c.file = *file;
        c.text = text;
        c.compile_function(id, flow_params(flow), &flow.body, None)?;
    }
    c.compile_handlers(files, &gathered, handlers)?;
    Ok(c.program)
}

fn flow_params(flow: &FlowDecl) -> Vec<String> {
    flow.params
        .iter()
        .map(|p| p.name.as_ref().map(|n| n.name.clone()).unwrap_or_default())
        .collect()
}

struct Loop {
    /// Instructions that jump to the loop's end, patched when it is known.
    breaks: Vec<usize>,
    /// Where `continue` goes.
    continue_to: u32,
}

struct Scope {
    slots: HashMap<String, u16>,
    slot_names: Vec<String>,
    captures: Vec<Capture>,
    code: Vec<Op>,
    spans: Vec<Span>,
    loops: Vec<Loop>,
    /// An inline flow may call itself by name.
    inline_self: Option<(String, FuncId)>,
    /// Top-level flows capture nothing.
    boundary: bool,
    /// Number of parameters (for calls into a flow still being compiled).
    param_count: usize,
    /// A handler's own body: `return` and `fail` give its outcome.
    handler: bool,
}

impl Scope {
    fn new_slot(&mut self, name: &str) -> u16 {
        let slot = self.slot_names.len() as u16;
        self.slot_names.push(name.to_string());
        self.slots.insert(name.to_string(), slot);
        slot
    }

    fn hidden_slot(&mut self, what: &str) -> u16 {
        let slot = self.slot_names.len() as u16;
        self.slot_names.push(format!("${what}{slot}"));
        slot
    }
}

struct Compiler<'a> {
    program: Program,
    /// Set while compiling the call of `value, err = ...`: that call (and
    /// not the calls in its arguments) gives a pair.
    pair: bool,
    /// The `ParallelExecute` calls that report on their branches (file,
    /// span): see `weft_syntax::reports`.
    reports: HashSet<(u16, u32, u32)>,
    /// The statements that fork by assignment (file, span), with whether
    /// their call's failure for good is a value (`weft_syntax::assign_forks`).
    forks: HashMap<(u16, u32, u32), bool>,
    /// The join elements that read a fork's variable (file, span).
    fork_elements: HashSet<(u16, u32, u32)>,
    strings: HashMap<String, u32>,
    top: HashMap<String, (FuncId, Vec<String>)>,
    prelude: HashMap<String, FuncId>,
    scopes: Vec<Scope>,
    file: u16,
    text: &'a str,
    /// The program's machines, for the calls that talk to them.
    known: machines::Known,
}

impl Compiler<'_> {
    fn alloc(&mut self, name: &str, kind: FuncKind, file: u16, span: Span) -> FuncId {
        self.program.functions.push(Function {
            name: name.to_string(),
            kind,
            file,
            params: Vec::new(),
            param_labels: Vec::new(),
            captures: Vec::new(),
            slot_names: Vec::new(),
            code: Vec::new(),
            spans: Vec::new(),
            span,
        });
        (self.program.functions.len() - 1) as FuncId
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("compiling inside a function")
    }

    fn emit(&mut self, op: Op, span: Span) -> usize {
        let s = self.scope();
        s.code.push(op);
        s.spans.push(span);
        s.code.len() - 1
    }

    fn here(&mut self) -> u32 {
        self.scope().code.len() as u32
    }

    fn patch(&mut self, at: usize, target: u32) {
        match &mut self.scope().code[at] {
            Op::Jump(t) | Op::JumpIfFalse(t) | Op::JumpIfFalseKeep(t) | Op::JumpIfTrueKeep(t) => {
                *t = target
            }
            Op::IterNext { exit, .. } => *exit = target,
            other => unreachable!("patching a non-jump {other:?}"),
        }
    }

    fn string(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.strings.get(s) {
            return i;
        }
        self.program.consts.push(Value::str(s));
        let i = (self.program.consts.len() - 1) as u32;
        self.strings.insert(s.to_string(), i);
        i
    }

    fn constant(&mut self, v: Value) -> u32 {
        self.program.consts.push(v);
        (self.program.consts.len() - 1) as u32
    }

    /// Finds `name` in the current function, capturing it from enclosing
    /// functions (by value) when it lives there.
    fn resolve(&mut self, name: &str) -> Option<u16> {
        let depth = self.scopes.len() - 1;
        self.resolve_at(depth, name)
    }

    fn resolve_at(&mut self, depth: usize, name: &str) -> Option<u16> {
        if let Some(&s) = self.scopes[depth].slots.get(name) {
            return Some(s);
        }
        if self.scopes[depth].boundary || depth == 0 {
            return None;
        }
        self.resolve_at(depth - 1, name)?;
        let scope = &mut self.scopes[depth];
        let slot = scope.new_slot(name);
        scope.captures.push(Capture {
            name: name.to_string(),
            slot,
        });
        Some(slot)
    }

    /// Compiles a function body into the already allocated `id`.
    ///
    /// `enclosing` is `None` for top-level flows. For nested functions the
    /// scope chain is the compiler's stack; `precapture` lists names to
    /// capture before the body is compiled (inline flows, so a recursive call
    /// inside knows the full capture list).
    fn compile_function(
        &mut self,
        id: FuncId,
        params: Vec<String>,
        body: &Block,
        nested: Option<Nested>,
    ) -> Result<(), CompileError> {
        self.compile_body(id, params, body, nested, None)
    }

    /// [`Compiler::compile_function`], for a handler when `handler` says
    /// which defaults its prologue fills in.
    fn compile_body(
        &mut self,
        id: FuncId,
        params: Vec<String>,
        body: &Block,
        nested: Option<Nested>,
        handler: Option<&machines::Prologue>,
    ) -> Result<(), CompileError> {
        let boundary = nested.is_none();
        let inline_self = nested
            .as_ref()
            .and_then(|n| n.inline_self.clone())
            .map(|name| (name, id));
        self.scopes.push(Scope {
            slots: HashMap::new(),
            slot_names: Vec::new(),
            captures: Vec::new(),
            code: Vec::new(),
            spans: Vec::new(),
            loops: Vec::new(),
            inline_self,
            boundary,
            param_count: params.len(),
            handler: handler.is_some(),
        });
        let mut param_slots = Vec::new();
        for p in &params {
            if p.is_empty() {
                param_slots.push(None);
            } else {
                let slot = match self.scope().slots.get(p) {
                    Some(&s) => s,
                    None => self.scope().new_slot(p),
                };
                param_slots.push(Some(slot));
            }
        }
        let param_set: HashSet<&str> = params.iter().map(String::as_str).collect();
        let mut assigned = Vec::new();
        assigned_names(&body.stmts, &mut assigned);
        if let Some(n) = &nested {
            for name in &n.precapture {
                if !param_set.contains(name.as_str()) {
                    self.resolve(name);
                }
            }
        }
        for name in assigned {
            if param_set.contains(name.as_str()) || self.scope().slots.contains_key(&name) {
                continue;
            }
            // An assigned name that lives outside is captured, then changed
            // locally (closures capture values, not variables).
            if !boundary && self.resolve(&name).is_some() {
                continue;
            }
            self.scope().new_slot(&name);
        }
        if let Some(prologue) = handler {
            self.prologue(prologue)?;
        }
        self.block(body)?;
        let end = Span::new(body.span.end as usize, body.span.end as usize);
        if handler.is_some() {
            // Ending without `return` keeps the state as the body left it.
            self.state_outcome(None, end)?;
        } else {
            self.emit(Op::Null, end);
            self.emit(Op::Return, end);
        }
        let scope = self.scopes.pop().expect("pushed above");
        let name = self.program.func(id).name.clone();
        if scope.slot_names.len() > limits::LOCALS_MAX {
            return Err(CompileError::TooLarge {
                name,
                what: "variables",
                limit: limits::LOCALS_MAX,
            });
        }
        if scope.code.len() > limits::CODE_MAX {
            return Err(CompileError::TooLarge {
                name,
                what: "instructions",
                limit: limits::CODE_MAX,
            });
        }
        let f = &mut self.program.functions[id as usize];
        f.params = param_slots;
        f.captures = scope.captures;
        f.slot_names = scope.slot_names;
        f.code = scope.code;
        f.spans = scope.spans;
        Ok(())
    }

    // ----- statements -----

    fn block(&mut self, b: &Block) -> Result<(), CompileError> {
        for s in &b.stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), CompileError> {
        if let Some(&catch) = self.forks.get(&(self.file, s.span.start, s.span.end)) {
            if self.fork(s, catch)? {
                return Ok(());
            }
        }
        match &s.kind {
            StmtKind::Let { name, value, .. } => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => {
                        self.emit(Op::Null, s.span);
                    }
                }
                let slot = self
                    .resolve(&name.name)
                    .unwrap_or_else(|| self.scope().new_slot(&name.name));
                self.emit(Op::Store(slot), s.span);
            }
            StmtKind::Assign { target, op, value } => self.assign(target, *op, value, s.span)?,
            StmtKind::TryAssign {
                value, err, call, ..
            } => self.try_assign(value, err, call, s.span)?,
            StmtKind::IncDec { target, increment } => {
                let one = Expr {
                    kind: ExprKind::Number(1.0),
                    span: s.span,
                };
                let op = if *increment {
                    AssignOp::Add
                } else {
                    AssignOp::Sub
                };
                self.assign(target, op, &one, s.span)?;
            }
            StmtKind::If(i) => self.if_stmt(i)?,
            StmtKind::While { cond, body } => {
                let top = self.here();
                self.expr(cond)?;
                let exit = self.emit(Op::JumpIfFalse(0), cond.span);
                self.scope().loops.push(Loop {
                    breaks: Vec::new(),
                    continue_to: top,
                });
                self.block(body)?;
                self.emit(Op::Jump(top), body.span);
                let end = self.here();
                self.patch(exit, end);
                let lp = self.scope().loops.pop().expect("pushed above");
                for b in lp.breaks {
                    self.patch(b, end);
                }
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                self.expr(iterable)?;
                let list = self.scope().hidden_slot("list");
                let index = self.scope().hidden_slot("i");
                let var_slot = self
                    .resolve(&var.name)
                    .unwrap_or_else(|| self.scope().new_slot(&var.name));
                self.emit(Op::IterInit { list, index }, iterable.span);
                let top = self.here();
                let next = self.emit(
                    Op::IterNext {
                        list,
                        index,
                        var: var_slot,
                        exit: 0,
                    },
                    var.span,
                );
                self.scope().loops.push(Loop {
                    breaks: Vec::new(),
                    continue_to: top,
                });
                self.block(body)?;
                self.emit(Op::Jump(top), body.span);
                let end = self.here();
                self.patch(next, end);
                let lp = self.scope().loops.pop().expect("pushed above");
                for b in lp.breaks {
                    self.patch(b, end);
                }
            }
            StmtKind::Return { value } if self.scope().handler => {
                self.state_outcome(value.as_ref(), s.span)?;
            }
            StmtKind::Return { value } => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => {
                        self.emit(Op::Null, s.span);
                    }
                }
                self.emit(Op::Return, s.span);
            }
            StmtKind::Break => {
                let at = self.emit(Op::Jump(0), s.span);
                match self.scope().loops.last_mut() {
                    Some(lp) => lp.breaks.push(at),
                    None => {
                        self.scope().code.pop();
                        self.scope().spans.pop();
                        self.name_error("`break` outside a loop", s.span);
                    }
                }
            }
            StmtKind::Continue => match self.scope().loops.last().map(|l| l.continue_to) {
                Some(to) => {
                    self.emit(Op::Jump(to), s.span);
                }
                None => self.name_error("`continue` outside a loop", s.span),
            },
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop, s.span);
            }
            StmtKind::Error => self.name_error("this statement did not parse", s.span),
        }
        Ok(())
    }

    /// Fork by assignment: `x = Call(...)` starts the call as a branch (a
    /// closure, as in a join's list) and stores its [`Op::Fork`] value in
    /// `x`, which the join adopts ([`Op::Take`]). False (nothing emitted)
    /// for a statement of another shape.
    fn fork(&mut self, s: &Stmt, catch: bool) -> Result<bool, CompileError> {
        let (name, value) = match &s.kind {
            StmtKind::Let {
                name,
                value: Some(v),
                ..
            } => (name.name.as_str(), v),
            StmtKind::Assign { target, value, .. } => match &target.kind {
                ExprKind::Name(n) => (n.as_str(), value),
                _ => return Ok(false),
            },
            _ => return Ok(false),
        };
        let mut call_expr = value.unparen();
        let mut awaited = false;
        if let ExprKind::Await(inner) = &call_expr.kind {
            awaited = true;
            call_expr = inner.unparen();
        }
        let ExprKind::Call(call) = &call_expr.kind else {
            return Ok(false);
        };
        let empty = Block {
            stmts: Vec::new(),
            span: call_expr.span,
        };
        self.closure(
            "branch",
            FuncKind::Branch,
            Vec::new(),
            &empty,
            call_expr.span,
            Some((call, call_expr.span, awaited, catch)),
        )?;
        self.emit(Op::Fork, call_expr.span);
        let slot = self
            .resolve(name)
            .unwrap_or_else(|| self.scope().new_slot(name));
        self.emit(Op::Store(slot), s.span);
        Ok(true)
    }

    /// `value, err = call`: the call gives the pair `[value, error]`,
    /// stored in the two variables. Only calls of activities and flows can
    /// fail for good (the checker says so, E0153); anything else fails at
    /// run time with the same words.
    fn try_assign(
        &mut self,
        value: &Ident,
        err: &Ident,
        call: &Expr,
        span: Span,
    ) -> Result<(), CompileError> {
        let inner = match &call.unparen().kind {
            ExprKind::Await(inner) => inner.unparen(),
            _ => call.unparen(),
        };
        let fails = match inner.as_call() {
            None => false,
            Some(c) => match c.callee_name() {
                Some(name) => {
                    self.resolve(name).is_none()
                        && !self.prelude.contains_key(name)
                        && (self.top.contains_key(name)
                            || self
                                .scopes
                                .iter()
                                .any(|s| s.inline_self.as_ref().is_some_and(|(n, _)| n == name))
                            || lang::builtin(name).is_none())
                }
                None => self.dotted_activity(c).is_some(),
            },
        };
        if self.program.edition < Edition::E2 {
            // Edition 1 had no such statement (its text did not parse), and
            // its stored programs must stay readable by the builds before it.
            self.name_error("`value, err = ...` needs edition 2", call.span);
            return Ok(());
        }
        if !fails {
            self.name_error(
                "`value, err = ...` needs a call of an activity or a flow",
                call.span,
            );
            return Ok(());
        }
        self.pair = true;
        self.expr(call)?;
        let slot = |c: &mut Self, name: &str| match c.resolve(name) {
            Some(s) => s,
            None => c.scope().new_slot(name),
        };
        let value = slot(self, &value.name);
        let err = slot(self, &err.name);
        self.emit(Op::StorePair { value, err }, span);
        Ok(())
    }

    fn name_error(&mut self, message: &str, span: Span) {
        let m = self.string(message);
        self.emit(Op::NameError(m), span);
    }

    fn if_stmt(&mut self, i: &IfStmt) -> Result<(), CompileError> {
        self.expr(&i.cond)?;
        let skip_then = self.emit(Op::JumpIfFalse(0), i.cond.span);
        self.block(&i.then_block)?;
        match &i.else_branch {
            None => {
                let end = self.here();
                self.patch(skip_then, end);
            }
            Some(els) => {
                let skip_else = self.emit(Op::Jump(0), i.then_block.span);
                let else_start = self.here();
                self.patch(skip_then, else_start);
                match els {
                    Else::Block(b) => self.block(b)?,
                    Else::If(nested) => self.if_stmt(nested)?,
                }
                let end = self.here();
                self.patch(skip_else, end);
            }
        }
        Ok(())
    }

    fn assign(
        &mut self,
        target: &Expr,
        op: AssignOp,
        value: &Expr,
        span: Span,
    ) -> Result<(), CompileError> {
        // Collect the path: root name and keys, outermost last.
        let mut keys: Vec<&Expr> = Vec::new();
        let mut field_keys: Vec<Option<&str>> = Vec::new();
        let mut cur = target;
        let root = loop {
            match &cur.kind {
                ExprKind::Name(n) => break n.as_str(),
                ExprKind::Member { object, name } => {
                    field_keys.push(Some(&name.name));
                    keys.push(cur);
                    cur = object;
                }
                ExprKind::Index { object, index } => {
                    field_keys.push(None);
                    keys.push(index);
                    cur = object;
                }
                ExprKind::Paren(inner) => cur = inner,
                _ => {
                    self.name_error("this cannot be assigned to", target.span);
                    return Ok(());
                }
            }
        };
        let slot = match self.resolve(root) {
            Some(s) => s,
            None => self.scope().new_slot(root),
        };
        if keys.is_empty() {
            match op.binary() {
                None => self.expr(value)?,
                Some(bop) => {
                    self.emit(Op::Load(slot), target.span);
                    self.expr(value)?;
                    self.emit(Op::Binary(bop), span);
                }
            }
            self.emit(Op::Store(slot), span);
            return Ok(());
        }
        // Keys were collected outermost first; push them root-first.
        for (k, fk) in keys.iter().zip(&field_keys).rev() {
            match fk {
                Some(name) => {
                    let c = self.string(name);
                    self.emit(Op::Const(c), k.span);
                }
                None => self.expr(k)?,
            }
        }
        self.expr(value)?;
        if keys.len() > u8::MAX as usize {
            return Err(CompileError::TooLarge {
                name: root.to_string(),
                what: "path segments",
                limit: u8::MAX as usize,
            });
        }
        self.emit(
            Op::SetPath {
                slot,
                depth: keys.len() as u8,
                op: op.binary(),
            },
            span,
        );
        Ok(())
    }

    // ----- expressions -----

    fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        match &e.kind {
            ExprKind::Number(n) => {
                let v = if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    Value::Int(*n as i64)
                } else {
                    Value::Float(*n)
                };
                let c = self.constant(v);
                self.emit(Op::Const(c), e.span);
            }
            ExprKind::String(s) => {
                let c = self.string(s);
                self.emit(Op::Const(c), e.span);
            }
            ExprKind::Duration { ms, .. } => {
                let c = self.constant(Value::Duration(*ms as i64));
                self.emit(Op::Const(c), e.span);
            }
            ExprKind::Bool(b) => {
                self.emit(Op::Bool(*b), e.span);
            }
            ExprKind::Null => {
                self.emit(Op::Null, e.span);
            }
            ExprKind::Name(n) => match self.resolve(n) {
                Some(slot) => {
                    self.emit(Op::Load(slot), e.span);
                }
                None => {
                    let msg = if self.top.contains_key(n) || lang::builtin(n).is_some() {
                        format!("`{n}` is a flow or built-in; call it with `{n}(...)`")
                    } else {
                        format!("`{n}` is not defined")
                    };
                    self.name_error(&msg, e.span);
                }
            },
            ExprKind::Array(items) => {
                self.emit(Op::NewList, e.span);
                for it in items {
                    self.expr(it)?;
                    self.emit(Op::ListPush, it.span);
                }
            }
            ExprKind::Object(entries) => {
                self.emit(Op::NewObject, e.span);
                for en in entries {
                    match en {
                        ObjectEntry::Field { key, value } => {
                            self.expr(value)?;
                            let k = self.string(&key.name);
                            self.emit(Op::ObjSet(k), key.span);
                        }
                        ObjectEntry::Spread(v) => {
                            self.expr(v)?;
                            self.emit(Op::ObjSpread, v.span);
                        }
                    }
                }
            }
            ExprKind::Member { object, name } => {
                self.expr(object)?;
                let k = self.string(&name.name);
                self.emit(Op::GetField(k), name.span);
            }
            ExprKind::Index { object, index } => {
                self.expr(object)?;
                self.expr(index)?;
                self.emit(Op::GetIndex, e.span);
            }
            ExprKind::Call(call) => self.call(call, e.span, false, false)?,
            ExprKind::Unary { op, operand } => {
                self.expr(operand)?;
                self.emit(Op::Unary(*op), e.span);
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And | BinaryOp::Or => {
                    self.expr(lhs)?;
                    let j = if *op == BinaryOp::And {
                        self.emit(Op::JumpIfFalseKeep(0), e.span)
                    } else {
                        self.emit(Op::JumpIfTrueKeep(0), e.span)
                    };
                    // `a || b` is `a` when truthy, else `b` (so `x || "default"`
                    // works); `a && b` is `a` when falsy, else `b`.
                    self.expr(rhs)?;
                    let end = self.here();
                    self.patch(j, end);
                }
                _ => {
                    self.expr(lhs)?;
                    self.expr(rhs)?;
                    self.emit(Op::Binary(*op), e.span);
                }
            },
            ExprKind::Lambda(l) => {
                let params: Vec<String> = l.params.iter().map(|p| p.name.clone()).collect();
                self.closure("func", FuncKind::Lambda, params, &l.body, e.span, None)?;
            }
            ExprKind::Await(inner) => self.awaited(inner)?,
            ExprKind::Flow(f) => self.inline_flow(f)?,
            ExprKind::Paren(inner) => self.expr(inner)?,
            // Braced literals mean something only where `call` looks for
            // them; the checker reports any other place.
            ExprKind::Braced(b) => {
                let msg = format!("`{}{{...}}` cannot stand here", b.name.name);
                self.name_error(&msg, e.span)
            }
            ExprKind::Error => self.name_error("this expression did not parse", e.span),
        }
        Ok(())
    }

    /// `await e`: calls under it wait for a callback.
    fn awaited(&mut self, inner: &Expr) -> Result<(), CompileError> {
        let inner_u = inner.unparen();
        match &inner_u.kind {
            ExprKind::Call(call) => self.call(call, inner_u.span, true, false),
            // `await [A(), B()]` runs the calls concurrently, like
            // `await ParallelExecute([A(), B()])`.
            ExprKind::Array(items) => {
                self.branch_list(items, inner_u.span, true, false)?;
                self.emit(Op::Parallel(ParallelMode::Execute), inner_u.span);
                Ok(())
            }
            _ => self.expr(inner),
        }
    }

    /// Compiles a nested function and emits what creates it: a closure.
    fn closure(
        &mut self,
        name: &str,
        kind: FuncKind,
        params: Vec<String>,
        body: &Block,
        span: Span,
        branch_call: Option<(&Call, Span, bool, bool)>,
    ) -> Result<(), CompileError> {
        let id = self.alloc(name, kind, self.file, span);
        match branch_call {
            None => self.compile_function(
                id,
                params,
                body,
                Some(Nested {
                    inline_self: None,
                    precapture: Vec::new(),
                }),
            )?,
            Some((call, call_span, awaited, catch)) => {
                self.scopes.push(Scope {
                    slots: HashMap::new(),
                    slot_names: Vec::new(),
                    captures: Vec::new(),
                    code: Vec::new(),
                    spans: Vec::new(),
                    loops: Vec::new(),
                    inline_self: None,
                    boundary: false,
                    param_count: 0,
                    handler: false,
                });
                self.call(call, call_span, awaited, catch)?;
                self.emit(Op::Return, call_span);
                let scope = self.scopes.pop().expect("pushed above");
                let f = &mut self.program.functions[id as usize];
                f.captures = scope.captures;
                f.slot_names = scope.slot_names;
                f.code = scope.code;
                f.spans = scope.spans;
            }
        }
        let captures: Vec<String> = self
            .program
            .func(id)
            .captures
            .iter()
            .map(|c| c.name.clone())
            .collect();
        for name in captures {
            let slot = self
                .resolve(&name)
                .expect("captured names resolve in the enclosing scope");
            self.emit(Op::Load(slot), span);
        }
        self.emit(Op::MakeClosure(id), span);
        Ok(())
    }

    /// An inline sub-flow: compiled as a function, started as a child run.
    fn inline_flow(&mut self, f: &FlowDecl) -> Result<(), CompileError> {
        let id = self.alloc(&f.name.name, FuncKind::InlineFlow, self.file, f.span);
        let params = flow_params(f);
        let labels: Vec<String> = f
            .params
            .iter()
            .map(|p| match (&p.name, &p.value) {
                (Some(n), _) => n.name.clone(),
                (None, Some(v)) => self.source_text(v.span),
                (None, None) => String::new(),
            })
            .collect();
        let mut free = Vec::new();
        free_names(&f.body.stmts, &mut free);
        self.compile_function(
            id,
            params,
            &f.body,
            Some(Nested {
                inline_self: Some(f.name.name.clone()),
                precapture: free,
            }),
        )?;
        self.program.functions[id as usize].param_labels = labels;
        let captures: Vec<String> = self
            .program
            .func(id)
            .captures
            .iter()
            .map(|c| c.name.clone())
            .collect();
        for name in captures {
            let slot = self
                .resolve(&name)
                .expect("captured names resolve in the enclosing scope");
            self.emit(Op::Load(slot), f.span);
        }
        for p in &f.params {
            match (&p.name, &p.value) {
                (_, Some(v)) => self.expr(v)?,
                (Some(n), None) => {
                    let name_expr = Expr {
                        kind: ExprKind::Name(n.name.clone()),
                        span: n.span,
                    };
                    self.expr(&name_expr)?;
                }
                (None, None) => {
                    self.emit(Op::Null, p.span);
                }
            }
        }
        self.emit(Op::StartInline(id), f.name.span);
        Ok(())
    }

    fn source_text(&self, span: Span) -> String {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The elements of a parallel built-in's list: each call becomes a
    /// branch (a closure the built-in starts); other elements are values.
    fn branch_list(
        &mut self,
        items: &[Expr],
        span: Span,
        awaited: bool,
        catch: bool,
    ) -> Result<(), CompileError> {
        self.emit(Op::NewList, span);
        for it in items {
            let u = it.unparen();
            let fork = match &u.kind {
                ExprKind::Name(n)
                    if self
                        .fork_elements
                        .contains(&(self.file, u.span.start, u.span.end)) =>
                {
                    self.resolve(n)
                }
                _ => None,
            };
            if let Some(slot) = fork {
                self.emit(Op::Take(slot), u.span);
                self.emit(Op::ListPush, it.span);
                continue;
            }
            match &u.kind {
                ExprKind::Call(call) => {
                    let empty = Block {
                        stmts: Vec::new(),
                        span: u.span,
                    };
                    self.closure(
                        "branch",
                        FuncKind::Branch,
                        Vec::new(),
                        &empty,
                        u.span,
                        Some((call, u.span, awaited, catch)),
                    )?;
                }
                _ => self.expr(it)?,
            }
            self.emit(Op::ListPush, it.span);
        }
        Ok(())
    }

    fn args_positional(&mut self, args: &[Arg]) -> Result<u8, CompileError> {
        for a in args {
            self.expr(&a.value)?;
        }
        self.argc(args.len())
    }

    fn argc(&self, n: usize) -> Result<u8, CompileError> {
        if n > limits::ARGS_MAX {
            return Err(CompileError::TooLarge {
                name: "call".into(),
                what: "arguments",
                limit: limits::ARGS_MAX,
            });
        }
        Ok(n as u8)
    }

    fn call(
        &mut self,
        call: &Call,
        span: Span,
        awaited: bool,
        catch: bool,
    ) -> Result<(), CompileError> {
        let pair = std::mem::take(&mut self.pair);
        if let Some(mc) = self.as_machine_call(call) {
            return self.machine_call(mc, call, span, awaited, catch);
        }
        if self.scope().handler && call.callee_name() == Some("fail") && !self.is_variable("fail") {
            return self.refusal(call, span);
        }
        let name = match call.callee_name() {
            Some(n) => n.to_string(),
            None if self.dotted_activity(call).is_some() => {
                let name = self.dotted_activity(call).expect("checked in the guard");
                return self.activity(&name, call, span, (awaited, catch, pair));
            }
            None => {
                // A computed callee: a closure value.
                self.expr(&call.callee)?;
                let argc = self.args_positional(&call.args)?;
                self.emit(Op::CallClosure(argc), span);
                return Ok(());
            }
        };
        if let Some(slot) = self.resolve(&name) {
            self.emit(Op::Load(slot), call.callee.span);
            let argc = self.args_positional(&call.args)?;
            self.emit(Op::CallClosure(argc), span);
            return Ok(());
        }
        // Recursion into an enclosing inline flow (from its body, or from a
        // closure or branch inside it).
        let inline_target = self.scopes.iter().rev().find_map(|s| {
            s.inline_self
                .as_ref()
                .filter(|(n, _)| *n == name)
                .map(|(_, id)| {
                    // The flow is still being compiled: its captures are in its
                    // scope (complete, because inline flows capture up front).
                    (
                        *id,
                        s.captures
                            .iter()
                            .map(|c| c.name.clone())
                            .collect::<Vec<_>>(),
                        s.param_count,
                    )
                })
        });
        if let Some((target, captures, params)) = inline_target {
            for cname in captures {
                match self.resolve(&cname) {
                    Some(slot) => {
                        self.emit(Op::Load(slot), span);
                    }
                    None => {
                        self.emit(Op::Null, span);
                    }
                }
            }
            let argc = self.flow_args(call, &[], params)?;
            self.emit(flow_call(target, argc, pair), span);
            return Ok(());
        }
        if let Some((target, param_names)) = self.top.get(&name).cloned() {
            let argc = self.flow_args(call, &param_names, param_names.len())?;
            self.emit(flow_call(target, argc, pair), span);
            return Ok(());
        }
        if let Some(&func) = self.prelude.get(&name) {
            let argc = self.args_positional(&call.args)?;
            self.emit(Op::CallFunc { func, argc }, span);
            return Ok(());
        }
        if let Some(b) = lang::builtin(&name) {
            let id = lang::BUILTINS
                .iter()
                .position(|x| x.name == b.name)
                .expect("found above") as u16;
            if b.kind == BuiltinKind::Parallel {
                return self.parallel(&name, call, span, awaited);
            }
            let argc = self.args_positional(&call.args)?;
            self.emit(Op::CallBuiltin { id, argc }, span);
            return Ok(());
        }
        self.activity(&name, call, span, (awaited, catch, pair))
    }

    /// The activity a dotted callee names (`mandril.Send`), from edition 2
    /// on: its first name is no variable, flow or built-in. (Edition 1 read
    /// the first name as a variable, which failed.)
    fn dotted_activity(&mut self, call: &Call) -> Option<String> {
        if self.program.edition < Edition::E2 {
            return None;
        }
        let (full, root) = call.dotted_callee()?;
        let known = self.resolve(root).is_some()
            || self
                .scopes
                .iter()
                .any(|s| s.inline_self.as_ref().is_some_and(|(n, _)| n == root))
            || self.top.contains_key(root)
            || self.prelude.contains_key(root)
            || lang::builtin(root).is_some();
        (!known).then_some(full)
    }

    /// Arguments of a flow call, reordered to parameter order (named
    /// arguments by name, missing ones `null`).
    fn flow_args(
        &mut self,
        call: &Call,
        names: &[String],
        params: usize,
    ) -> Result<u8, CompileError> {
        if call.args.iter().all(|a| a.name.is_none()) || names.is_empty() {
            for a in &call.args {
                self.expr(&a.value)?;
            }
            for _ in call.args.len()..params {
                self.emit(Op::Null, call.callee.span);
            }
            return self.argc(call.args.len().max(params));
        }
        let mut by_pos: Vec<Option<&Expr>> = vec![None; params];
        let mut next = 0;
        for a in &call.args {
            match &a.name {
                Some(n) => {
                    if let Some(i) = names.iter().position(|p| *p == n.name) {
                        by_pos[i] = Some(&a.value);
                    }
                }
                None => {
                    if next < params {
                        by_pos[next] = Some(&a.value);
                    }
                    next += 1;
                }
            }
        }
        for slot in by_pos {
            match slot {
                Some(v) => self.expr(v)?,
                None => {
                    self.emit(Op::Null, call.callee.span);
                }
            }
        }
        self.argc(params)
    }

    fn parallel(
        &mut self,
        name: &str,
        call: &Call,
        span: Span,
        awaited: bool,
    ) -> Result<(), CompileError> {
        if name == "ParallelForEach" {
            for a in call.args.iter().take(2) {
                self.expr(&a.value)?;
            }
            for _ in call.args.len()..2 {
                self.emit(Op::Null, span);
            }
            self.emit(Op::ParallelForEach, span);
            return Ok(());
        }
        let mode = match name {
            "WaitAll" => ParallelMode::All,
            "WaitForAny" => ParallelMode::Any,
            _ if self.reports.contains(&(self.file, span.start, span.end)) => ParallelMode::Report,
            _ => ParallelMode::Execute,
        };
        match call.args.first().map(|a| a.value.unparen()) {
            Some(Expr {
                kind: ExprKind::Array(items),
                span: list_span,
            }) => {
                // Calls directly in WaitAll's list (and a reporting
                // ParallelExecute's) report failures as values.
                let catch = matches!(mode, ParallelMode::All | ParallelMode::Report);
                self.branch_list(items, *list_span, awaited, catch)?;
            }
            Some(other) => self.expr(other)?,
            None => {
                self.emit(Op::NewList, span);
            }
        }
        self.emit(Op::Parallel(mode), span);
        Ok(())
    }

    /// An activity call; `(awaited, catch, pair)`: under `await`, a failure
    /// for good is a value (`@catch`, `WaitAll`), the call of `value, err =`.
    fn activity(
        &mut self,
        name: &str,
        call: &Call,
        span: Span,
        (awaited, catch, pair): (bool, bool, bool),
    ) -> Result<(), CompileError> {
        let mut positional = 0usize;
        for a in call.args.iter().filter(|a| a.name.is_none()) {
            self.expr(&a.value)?;
            positional += 1;
        }
        let mut named = Vec::new();
        for a in call.args.iter().filter(|a| a.name.is_some()) {
            self.expr(&a.value)?;
            named.push(a.name.as_ref().expect("filtered").name.clone());
        }
        self.activity_call(name, positional, named, call, span, (awaited, catch, pair))
    }

    /// The rest of an activity call, once its arguments are on the stack:
    /// the annotations' arguments and the call itself.
    #[allow(clippy::too_many_arguments)]
    fn activity_call(
        &mut self,
        name: &str,
        positional: usize,
        named: Vec<String>,
        call: &Call,
        span: Span,
        (awaited, catch, pair): (bool, bool, bool),
    ) -> Result<(), CompileError> {
        let mut spec = CallSpec {
            activity: Arc::from(name),
            positional: self.argc(positional)?,
            named,
            retry: false,
            retry_backoff: false,
            retry_max: false,
            timeout: false,
            catch: catch || call.annotation("catch").is_some(),
            awaited,
            pair,
        };
        if let Some(r) = call.annotation("retry") {
            spec.retry = true;
            match r.args.iter().find(|a| a.name.is_none()) {
                Some(a) => self.expr(&a.value)?,
                None => {
                    self.emit(Op::Null, r.span);
                }
            }
            if let Some(a) = r
                .args
                .iter()
                .find(|a| a.name.as_ref().is_some_and(|n| n.name == "backoff"))
            {
                spec.retry_backoff = true;
                self.expr(&a.value)?;
            }
            if let Some(a) = r
                .args
                .iter()
                .find(|a| a.name.as_ref().is_some_and(|n| n.name == "maxBackoff"))
            {
                spec.retry_max = true;
                self.expr(&a.value)?;
            }
        }
        if let Some(t) = call.annotation("timeout") {
            spec.timeout = true;
            match t.args.first() {
                Some(a) => self.expr(&a.value)?,
                None => {
                    self.emit(Op::Null, t.span);
                }
            }
        }
        self.program.calls.push(spec);
        let idx = (self.program.calls.len() - 1) as u32;
        self.emit(Op::CallActivity(idx), span);
        Ok(())
    }
}

/// A call of flow `func`: plain, or the call of `value, err = ...`.
fn flow_call(func: FuncId, argc: u8, pair: bool) -> Op {
    if pair {
        Op::CallFlowPair { func, argc }
    } else {
        Op::CallFlow { func, argc }
    }
}

struct Nested {
    inline_self: Option<String>,
    precapture: Vec<String>,
}

/// Names assigned in these statements (not inside nested functions), in
/// order of first appearance.
fn assigned_names(stmts: &[Stmt], out: &mut Vec<String>) {
    fn add(out: &mut Names, n: &str) {
        out.add(n);
    }
    fn root(e: &Expr) -> Option<&str> {
        match &e.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => root(object),
            ExprKind::Paren(inner) => root(inner),
            _ => None,
        }
    }
    struct Assigned<'o>(&'o mut Names);
    impl weft_syntax::visit::Visitor<'_> for Assigned<'_> {
        // Statements only: the functions inside expressions are their own.
        fn visit_expr(&mut self, _: &Expr) {}

        fn visit_stmt(&mut self, s: &Stmt) {
            match &s.kind {
                StmtKind::Let { name, .. } => add(self.0, &name.name),
                StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
                    if let Some(n) = root(target) {
                        add(self.0, n);
                    }
                }
                StmtKind::For { var, .. } => add(self.0, &var.name),
                StmtKind::TryAssign { value, err, .. } => {
                    add(self.0, &value.name);
                    add(self.0, &err.name);
                }
                _ => {}
            }
            weft_syntax::visit::walk_stmt(self, s);
        }
    }
    let mut names = Names::default();
    let mut v = Assigned(&mut names);
    for s in stmts {
        weft_syntax::visit::Visitor::visit_stmt(&mut v, s);
    }
    *out = names.order;
}

/// Every name mentioned in these statements, nested functions included.
fn free_names(stmts: &[Stmt], out: &mut Vec<String>) {
    struct Free(Names);
    impl weft_syntax::visit::Visitor<'_> for Free {
        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Name(n) = &e.kind {
                self.0.add(n);
            }
            weft_syntax::visit::walk_expr(self, e);
        }
        fn visit_stmt(&mut self, s: &Stmt) {
            if let StmtKind::For { var, .. } = &s.kind {
                self.0.add(&var.name);
            }
            if let StmtKind::Let { name, .. } = &s.kind {
                self.0.add(&name.name);
            }
            if let StmtKind::TryAssign { value, err, .. } = &s.kind {
                for n in [value, err] {
                    self.0.add(&n.name);
                }
            }
            weft_syntax::visit::walk_stmt(self, s);
        }
        fn visit_flow(&mut self, f: &FlowDecl) {
            for p in &f.params {
                if let (Some(n), None) = (&p.name, &p.value) {
                    self.0.add(&n.name);
                }
            }
            weft_syntax::visit::walk_flow(self, f);
        }
    }
    let mut v = Free(Names::default());
    for s in stmts {
        weft_syntax::visit::Visitor::visit_stmt(&mut v, s);
    }
    *out = v.0.order;
}

/// Names in order of first appearance, each once, looked up by hash: the
/// names of a long flow are collected in linear time (a list searched for
/// every name made a 60,000-statement flow take seconds).
#[derive(Default)]
struct Names {
    order: Vec<String>,
    seen: HashSet<String>,
}

impl Names {
    fn add(&mut self, n: &str) {
        if !self.seen.contains(n) {
            self.seen.insert(n.to_string());
            self.order.push(n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_error(source: &str) -> String {
        match compile_source("t.weft", source) {
            Ok(_) => panic!("compiles:\n{source}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn calls_take_at_most_args_max_arguments() {
        let args = |n: usize| vec!["1"; n].join(", ");
        let at_limit = format!(
            "flow Main() {{\n    return A({})\n}}\n",
            args(limits::ARGS_MAX)
        );
        assert!(compile_source("t.weft", &at_limit).is_ok());
        let over = format!(
            "flow Main() {{\n    return A({})\n}}\n",
            args(limits::ARGS_MAX + 1)
        );
        assert_eq!(
            compile_error(&over),
            format!(
                "function `call` exceeds the limit of {} arguments",
                limits::ARGS_MAX
            )
        );
    }

    #[test]
    fn flows_call_each_other_in_any_order() {
        let program = compile_source(
            "t.weft",
            "flow A() {\n    return B()\n}\n\nflow B() {\n    return 1\n}\n",
        )
        .unwrap();
        let (a, b) = (program.flow("A").unwrap(), program.flow("B").unwrap());
        assert!(matches!(
            program.func(a).code[0],
            Op::CallFlow { func, argc: 0 } if func == b
        ));
    }
}

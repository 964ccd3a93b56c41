//! Compiling machines: each command's handler as a function, the pure
//! transition `Machine(state).Handle(Cmd{...})`, and flows' machine calls
//! as calls of reserved activities (see [`crate::machines`]).
//!
//! A handler is a function of `state`, `key` and its input. Its prologue
//! fills in the defaults the state's and the input's shapes declare for
//! missing fields (so an instance made by an earlier version gains a new
//! field's default on its next command). `return e` returns
//! `{ok: true, state: e}`; `fail(e)` in its own body returns
//! `{ok: false, error: e}`; ending without `return` returns the state as
//! the body left it. A command declared by its shape alone is handled by
//! a function that sets the fields it carries: `{..state, ..input}`.
//!
//! Everything here is built from existing instructions: what machines add
//! lives in the program's tables and in the runtime, not in the bytecode.

use std::collections::{HashMap, HashSet};
use weft_syntax::ast::*;
use weft_syntax::lang::{self, MachineCall, MachineOp as SyntaxOp};
use weft_syntax::Span;

use super::{CompileError, Compiler, Input};
use crate::machines::{
    CommandDef, FieldTy, MachineDef, MachineOp, Ty, OUTCOME_ERROR, OUTCOME_OK, OUTCOME_STATE,
    TYPE_DEPTH_MAX,
};
use crate::program::*;

/// What the compiler knows of the program's machines while it compiles
/// flows.
#[derive(Default)]
pub(super) struct Known {
    /// The machines' names.
    names: HashSet<String>,
    /// Each command's handlers, by the command's name (a command literal
    /// names a command of any machine; the checker refuses ambiguity).
    handlers: HashMap<String, Vec<FuncId>>,
}

/// A machine gathered from its declarations in every file.
pub(super) struct Gathered<'m> {
    name: String,
    state: Option<&'m StateDecl>,
    commands: Vec<GatheredCommand<'m>>,
}

/// A command and where its handler is.
struct GatheredCommand<'m> {
    decl: &'m CommandDecl,
    /// The file of the handler's body (or of the declaration).
    file: usize,
    /// The input's name in the body.
    param: Option<&'m Ident>,
    body: Option<&'m Block>,
    span: Span,
}

/// What a handler's prologue fills in: the defaults of the state's and of
/// the input's shapes.
pub(super) struct Prologue<'m> {
    state: Option<&'m Shape>,
    input: Option<&'m Shape>,
    /// The input's name in the body (empty: the body does not name it).
    input_name: &'m str,
}

/// Gathers the machines of `files` (declarations of one name form one
/// machine; members declared twice were refused by the checker, and the
/// first one counts here).
pub(super) fn gather<'m>(files: &'m [Input]) -> Vec<Gathered<'m>> {
    let mut out: Vec<Gathered<'m>> = Vec::new();
    let mut handlers: Vec<(usize, &'m HandlerDecl, String)> = Vec::new();
    for (file, input) in files.iter().enumerate() {
        for decl in input.module.machines() {
            let name = decl.name.name.clone();
            let at = match out.iter().position(|m| m.name == name) {
                Some(i) => i,
                None => {
                    out.push(Gathered {
                        name: name.clone(),
                        state: None,
                        commands: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let m = &mut out[at];
            for member in &decl.members {
                match member {
                    MachineMember::State(s) => {
                        m.state.get_or_insert(s);
                    }
                    MachineMember::Command(c) => {
                        if m.commands.iter().any(|g| g.decl.name.name == c.name.name) {
                            continue;
                        }
                        m.commands.push(GatheredCommand {
                            decl: c,
                            file,
                            param: c.param.as_ref().map(|p| &p.name),
                            body: c.body.as_ref(),
                            span: c.span,
                        });
                    }
                    MachineMember::Handler(h) => handlers.push((file, h, name.clone())),
                    MachineMember::Error(_) => {}
                }
            }
        }
    }
    for (file, h, machine) in handlers {
        let Some(m) = out.iter_mut().find(|m| m.name == machine) else {
            continue;
        };
        let Some(c) = m
            .commands
            .iter_mut()
            .find(|c| c.decl.name.name == h.name.name && c.body.is_none())
        else {
            continue;
        };
        c.file = file;
        c.param = h.param.as_ref();
        c.body = Some(&h.body);
        c.span = h.span;
    }
    out
}

impl<'a> Compiler<'a> {
    /// Allocates a function per command (so flows compiled before them can
    /// call them), and records the machines for the calls of flows.
    pub(super) fn alloc_handlers(&mut self, gathered: &[Gathered<'_>]) -> Vec<Vec<FuncId>> {
        let mut ids = Vec::new();
        for m in gathered {
            self.known.names.insert(m.name.clone());
            let mut mids = Vec::new();
            for c in &m.commands {
                let name = format!("{}.{}", m.name, c.decl.name.name);
                let id = self.alloc(&name, FuncKind::Handler, c.file as u16, c.span);
                self.known
                    .handlers
                    .entry(c.decl.name.name.clone())
                    .or_default()
                    .push(id);
                mids.push(id);
            }
            ids.push(mids);
        }
        ids
    }

    /// Compiles every handler, and fills the program's tables of machines
    /// and types.
    pub(super) fn compile_handlers(
        &mut self,
        files: &[Input<'a>],
        gathered: &[Gathered<'_>],
        ids: Vec<Vec<FuncId>>,
    ) -> Result<(), CompileError> {
        // The types only matter to machines' inputs: a program without
        // machines keeps an empty table (and the listing and stored form it
        // had before machines).
        for f in files.iter().filter(|_| !gathered.is_empty()) {
            for t in f.module.types() {
                self.program
                    .types
                    .entry(t.name.name.clone())
                    .or_insert_with(|| ty_of(&t.ty));
            }
        }
        for (m, mids) in gathered.iter().zip(ids) {
            let mut commands = indexmap::IndexMap::new();
            for (c, id) in m.commands.iter().zip(mids) {
                self.file = c.file as u16;
                self.text = files[c.file].text;
                let input_name = c.param.map_or("", |p| p.name.as_str());
                let params = vec![
                    "state".to_string(),
                    "key".to_string(),
                    input_name.to_string(),
                ];
                match c.body {
                    Some(body) => {
                        let prologue = Prologue {
                            state: m.state.map(|s| &s.shape),
                            input: c.decl.shape.as_ref(),
                            input_name,
                        };
                        self.compile_body(id, params, body, None, Some(&prologue))?;
                    }
                    None => self.merge_handler(id, c.decl, m.state.map(|s| &s.shape))?,
                }
                let input = match (&c.decl.shape, &c.decl.param) {
                    (Some(shape), _) => shape_ty(shape, Role::Input),
                    (None, Some(CommandParam { ty: Some(t), .. })) => ty_of(t),
                    _ => Ty::Any,
                };
                commands.insert(
                    c.decl.name.name.clone(),
                    CommandDef {
                        name: c.decl.name.name.clone(),
                        input,
                        handler: id,
                    },
                );
            }
            self.program.machines.insert(
                m.name.clone(),
                MachineDef {
                    name: m.name.clone(),
                    state: m.state.map(|s| shape_ty(&s.shape, Role::State)),
                    commands,
                },
            );
        }
        Ok(())
    }

    /// The handler of a command declared by its shape alone: the state
    /// with the input's fields set.
    fn merge_handler(
        &mut self,
        id: FuncId,
        decl: &CommandDecl,
        state: Option<&Shape>,
    ) -> Result<(), CompileError> {
        let span = decl.span;
        let block = Block {
            stmts: Vec::new(),
            span: Span::new(span.end as usize, span.end as usize),
        };
        let params = vec!["state".to_string(), "key".to_string(), "input".to_string()];
        let prologue = Prologue {
            state,
            input: decl.shape.as_ref(),
            input_name: "input",
        };
        // An empty body whose end returns `{..state, ..input}`: built as
        // the statement `state = {..state, ..input}` would be.
        let name = |n: &str| Expr {
            kind: ExprKind::Name(n.to_string()),
            span,
        };
        let merged = Expr {
            kind: ExprKind::Object(vec![
                ObjectEntry::Spread(name("state")),
                ObjectEntry::Spread(name("input")),
            ]),
            span,
        };
        let body = Block {
            stmts: vec![Stmt {
                kind: StmtKind::Assign {
                    target: name("state"),
                    op: AssignOp::Set,
                    value: merged,
                },
                span,
            }],
            span: block.span,
        };
        self.compile_body(id, params, &body, None, Some(&prologue))
    }

    /// The prologue of a handler: the shapes' defaults for missing fields.
    pub(super) fn prologue(&mut self, p: &Prologue<'_>) -> Result<(), CompileError> {
        for (name, shape) in [("state", p.state), (p.input_name, p.input)] {
            let Some(shape) = shape else { continue };
            if name.is_empty() {
                continue;
            }
            let Some(slot) = self.scope().slots.get(name).copied() else {
                continue;
            };
            if !has_defaults(shape) {
                continue;
            }
            // A missing state or input is an empty object.
            let span = shape.span;
            self.emit(Op::Load(slot), span);
            self.emit(Op::Null, span);
            self.emit(Op::Binary(BinaryOp::Eq), span);
            let skip = self.emit(Op::JumpIfFalse(0), span);
            self.emit(Op::NewObject, span);
            self.emit(Op::Store(slot), span);
            let here = self.here();
            self.patch(skip, here);
            self.fill_defaults(slot, &mut Vec::new(), shape, 0)?;
        }
        Ok(())
    }

    /// `if value.path.f == null { value.path.f = default }` for each field
    /// with a default; the same inside each nested shape that is present.
    fn fill_defaults(
        &mut self,
        slot: u16,
        path: &mut Vec<String>,
        shape: &Shape,
        depth: usize,
    ) -> Result<(), CompileError> {
        if depth > TYPE_DEPTH_MAX {
            return Ok(());
        }
        for f in &shape.fields {
            let span = f.span;
            if let Some(d) = &f.default {
                self.load_path(slot, path, span);
                let k = self.string(&f.key.name);
                self.emit(Op::GetField(k), span);
                self.emit(Op::Null, span);
                self.emit(Op::Binary(BinaryOp::Eq), span);
                let skip = self.emit(Op::JumpIfFalse(0), span);
                for p in path.iter() {
                    let c = self.string(p);
                    self.emit(Op::Const(c), span);
                }
                self.emit(Op::Const(k), span);
                self.expr(d)?;
                self.emit(
                    Op::SetPath {
                        slot,
                        depth: (path.len() + 1).min(u8::MAX as usize) as u8,
                        op: None,
                    },
                    span,
                );
                let here = self.here();
                self.patch(skip, here);
            }
            if let Some(n) = &f.nested {
                if !has_defaults(n) || path.len() + 1 >= u8::MAX as usize {
                    continue;
                }
                self.load_path(slot, path, span);
                let k = self.string(&f.key.name);
                self.emit(Op::GetField(k), span);
                self.emit(Op::Null, span);
                self.emit(Op::Binary(BinaryOp::Ne), span);
                let skip = self.emit(Op::JumpIfFalse(0), span);
                path.push(f.key.name.clone());
                self.fill_defaults(slot, path, n, depth + 1)?;
                path.pop();
                let here = self.here();
                self.patch(skip, here);
            }
        }
        Ok(())
    }

    fn load_path(&mut self, slot: u16, path: &[String], span: Span) {
        self.emit(Op::Load(slot), span);
        for p in path {
            let c = self.string(p);
            self.emit(Op::GetField(c), span);
        }
    }

    /// A handler's `return value` (the current state when `None`):
    /// `{ok: true, state: value}`.
    pub(super) fn state_outcome(
        &mut self,
        value: Option<&Expr>,
        span: Span,
    ) -> Result<(), CompileError> {
        self.emit(Op::NewObject, span);
        self.emit(Op::Bool(true), span);
        let ok = self.string(OUTCOME_OK);
        self.emit(Op::ObjSet(ok), span);
        match value {
            Some(v) => self.expr(v)?,
            None => {
                let slot = self.scope().slots.get("state").copied().unwrap_or(0);
                self.emit(Op::Load(slot), span);
            }
        }
        let k = self.string(OUTCOME_STATE);
        self.emit(Op::ObjSet(k), span);
        self.emit(Op::Return, span);
        Ok(())
    }

    /// A handler's `fail(reason)`: `{ok: false, error: reason}`.
    pub(super) fn refusal(&mut self, call: &Call, span: Span) -> Result<(), CompileError> {
        self.emit(Op::NewObject, span);
        self.emit(Op::Bool(false), span);
        let ok = self.string(OUTCOME_OK);
        self.emit(Op::ObjSet(ok), span);
        match call.args.first() {
            Some(a) => self.expr(&a.value)?,
            None => {
                self.emit(Op::Null, span);
            }
        }
        let k = self.string(OUTCOME_ERROR);
        self.emit(Op::ObjSet(k), span);
        self.emit(Op::Return, span);
        Ok(())
    }

    /// True when `name` is a variable where the compiler stands (without
    /// capturing it).
    pub(super) fn is_variable(&self, name: &str) -> bool {
        for s in self.scopes.iter().rev() {
            if s.slots.contains_key(name) {
                return true;
            }
            if s.boundary {
                return false;
            }
        }
        false
    }

    /// The machine call `call` is, if it is one.
    pub(super) fn as_machine_call<'c>(&self, call: &'c Call) -> Option<MachineCall<'c>> {
        lang::machine_call(call, |n| {
            self.known.names.contains(n) && !self.is_variable(n)
        })
    }

    /// Compiles a machine call.
    pub(super) fn machine_call(
        &mut self,
        mc: MachineCall<'_>,
        call: &Call,
        span: Span,
        awaited: bool,
        catch: bool,
    ) -> Result<(), CompileError> {
        let machine = mc.machine_name().to_string();
        match mc.op {
            SyntaxOp::Command { key, command } => {
                self.expr(key)?;
                self.command_input(mc.args, span)?;
                let op = MachineOp::Command {
                    machine,
                    command: command.name.clone(),
                };
                self.activity_call(
                    &op.activity(),
                    2,
                    Vec::new(),
                    call,
                    span,
                    (awaited, catch, false),
                )
            }
            SyntaxOp::Get { key } => {
                self.expr(key)?;
                let op = MachineOp::Get { machine };
                self.activity_call(
                    &op.activity(),
                    1,
                    Vec::new(),
                    call,
                    span,
                    (awaited, catch, false),
                )
            }
            SyntaxOp::Find => {
                self.query(mc.args, span)?;
                let op = MachineOp::Find { machine };
                self.activity_call(
                    &op.activity(),
                    1,
                    Vec::new(),
                    call,
                    span,
                    (awaited, catch, false),
                )
            }
            SyntaxOp::Handle { state } => self.handle(state, mc.args, span),
        }
    }

    /// A command's input: its one positional argument, or an object of its
    /// named arguments, or `null`.
    fn command_input(&mut self, args: &[Arg], span: Span) -> Result<(), CompileError> {
        match args.iter().find(|a| a.name.is_none()) {
            Some(a) => self.expr(&a.value),
            None if args.is_empty() => {
                self.emit(Op::Null, span);
                Ok(())
            }
            None => {
                self.emit(Op::NewObject, span);
                for a in args {
                    let Some(n) = &a.name else { continue };
                    self.expr(&a.value)?;
                    let k = self.string(&n.name);
                    self.emit(Op::ObjSet(k), n.span);
                }
                Ok(())
            }
        }
    }

    /// The query of `M.find(where{...}, select{...}, limit: n)` as an
    /// object (see [`crate::machines::Query`]).
    fn query(&mut self, args: &[Arg], span: Span) -> Result<(), CompileError> {
        self.emit(Op::NewObject, span);
        for a in args {
            match (&a.name, &a.value.kind) {
                (None, ExprKind::Braced(b)) if b.name.name == "where" => {
                    self.emit(Op::NewList, a.value.span);
                    for entry in &b.entries {
                        let (path, op, value) = match entry {
                            BracedEntry::Set { target, value } => (target, "==", value),
                            BracedEntry::Expr(Expr {
                                kind: ExprKind::Binary { op, lhs, rhs },
                                ..
                            }) => (&**lhs, op.as_str(), &**rhs),
                            _ => continue,
                        };
                        let Some(path) = dotted(path) else { continue };
                        self.emit(Op::NewList, path_span(entry));
                        let c = self.string(&path);
                        self.emit(Op::Const(c), path_span(entry));
                        self.emit(Op::ListPush, path_span(entry));
                        let c = self.string(op);
                        self.emit(Op::Const(c), path_span(entry));
                        self.emit(Op::ListPush, path_span(entry));
                        self.expr(value)?;
                        self.emit(Op::ListPush, value.span);
                        self.emit(Op::ListPush, path_span(entry));
                    }
                    let k = self.string("where");
                    self.emit(Op::ObjSet(k), a.value.span);
                }
                (None, ExprKind::Braced(b)) if b.name.name == "select" => {
                    self.emit(Op::NewList, a.value.span);
                    for entry in &b.entries {
                        let BracedEntry::Expr(e) = entry else {
                            continue;
                        };
                        let Some(path) = dotted(e) else { continue };
                        let c = self.string(&path);
                        self.emit(Op::Const(c), e.span);
                        self.emit(Op::ListPush, e.span);
                    }
                    let k = self.string("select");
                    self.emit(Op::ObjSet(k), a.value.span);
                }
                (Some(n), _) if n.name == "limit" => {
                    self.expr(&a.value)?;
                    let k = self.string("limit");
                    self.emit(Op::ObjSet(k), n.span);
                }
                // Anything else was refused by the checker.
                _ => {}
            }
        }
        Ok(())
    }

    /// `Machine(state).Handle(Cmd{...})`: the handler called in this run;
    /// its value is the new state, and a refusal stops the run with the
    /// reason.
    fn handle(&mut self, state: &Expr, args: &[Arg], span: Span) -> Result<(), CompileError> {
        let literal = match args {
            [Arg {
                name: None,
                value:
                    Expr {
                        kind: ExprKind::Braced(b),
                        ..
                    },
            }] => b,
            _ => {
                self.name_error("`Handle` takes one command literal", span);
                return Ok(());
            }
        };
        let cmd = literal.name.name.as_str();
        let func = match self.known.handlers.get(cmd).map(Vec::as_slice) {
            Some([f]) => *f,
            _ => {
                let msg = format!("no single machine has a command `{cmd}`");
                self.name_error(&msg, literal.name.span);
                return Ok(());
            }
        };
        self.expr(state)?;
        self.emit(Op::Null, span);
        self.command_literal(literal, span)?;
        self.emit(Op::CallFunc { func, argc: 3 }, span);
        let tmp = self.scope().hidden_slot("outcome");
        self.emit(Op::Store(tmp), span);
        self.emit(Op::Load(tmp), span);
        let ok = self.string(OUTCOME_OK);
        self.emit(Op::GetField(ok), span);
        let refused = self.emit(Op::JumpIfFalse(0), span);
        self.emit(Op::Load(tmp), span);
        let st = self.string(OUTCOME_STATE);
        self.emit(Op::GetField(st), span);
        let done = self.emit(Op::Jump(0), span);
        let here = self.here();
        self.patch(refused, here);
        let why = self.string(&format!("the command `{cmd}` was refused: "));
        self.emit(Op::Const(why), span);
        self.emit(Op::Load(tmp), span);
        let err = self.string(OUTCOME_ERROR);
        self.emit(Op::GetField(err), span);
        self.emit(Op::Binary(BinaryOp::Add), span);
        let fail = lang::BUILTINS
            .iter()
            .position(|b| b.name == "fail")
            .expect("`fail` is a built-in") as u16;
        self.emit(Op::CallBuiltin { id: fail, argc: 1 }, span);
        let end = self.here();
        self.patch(done, end);
        Ok(())
    }

    /// A command literal's fields as an object.
    fn command_literal(&mut self, b: &Braced, span: Span) -> Result<(), CompileError> {
        self.emit(Op::NewObject, span);
        for entry in &b.entries {
            match entry {
                BracedEntry::Field { key, value } => {
                    self.expr(value)?;
                    let k = self.string(&key.name);
                    self.emit(Op::ObjSet(k), key.span);
                }
                BracedEntry::Set { target, value } => {
                    let ExprKind::Name(n) = &target.kind else {
                        continue;
                    };
                    self.expr(value)?;
                    let k = self.string(n);
                    self.emit(Op::ObjSet(k), target.span);
                }
                BracedEntry::Expr(e) => {
                    let ExprKind::Name(n) = &e.kind else { continue };
                    self.expr(e)?;
                    let k = self.string(n);
                    self.emit(Op::ObjSet(k), e.span);
                }
                BracedEntry::Spread(v) => {
                    self.expr(v)?;
                    self.emit(Op::ObjSpread, v.span);
                }
            }
        }
        Ok(())
    }
}

/// `a.b.c` of a field path.
fn dotted(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Member { object, name } => Some(format!("{}.{}", dotted(object)?, name.name)),
        ExprKind::Paren(inner) => dotted(inner),
        _ => None,
    }
}

fn path_span(e: &BracedEntry) -> Span {
    match e {
        BracedEntry::Set { target, .. } => target.span,
        BracedEntry::Field { key, .. } => key.span,
        BracedEntry::Expr(e) | BracedEntry::Spread(e) => e.span,
    }
}

/// True when a field of the shape, or of a nested one, has a default.
fn has_defaults(s: &Shape) -> bool {
    s.fields
        .iter()
        .any(|f| f.default.is_some() || f.nested.as_ref().is_some_and(has_defaults))
}

/// What a shape describes (see `weft_check`'s machines, which follow the
/// same rules).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    State,
    Input,
}

/// A shape as a closed object type: a field is optional when written
/// `name?`, when it is a nested record, and, in a state, when it has no
/// default (nothing set it yet) or, in an input, when it has one (the
/// handler fills it in).
fn shape_ty(shape: &Shape, role: Role) -> Ty {
    Ty::Object {
        fields: shape
            .fields
            .iter()
            .map(|f| FieldTy {
                name: f.key.name.clone(),
                ty: match (&f.ty, &f.default, &f.nested) {
                    (Some(t), _, _) => ty_of(t),
                    (None, _, Some(n)) => shape_ty(n, role),
                    (None, Some(d), None) => default_ty(d),
                    (None, None, None) => Ty::Any,
                },
                optional: f.optional
                    || f.nested.is_some()
                    || match role {
                        Role::State => f.default.is_none(),
                        Role::Input => f.default.is_some(),
                    },
            })
            .collect(),
        open: false,
    }
}

/// The type a default gives a field without a written type.
fn default_ty(e: &Expr) -> Ty {
    match &e.unparen().kind {
        ExprKind::String(_) => Ty::String,
        ExprKind::Number(_) => Ty::Number,
        ExprKind::Unary { operand, .. } if matches!(operand.kind, ExprKind::Number(_)) => {
            Ty::Number
        }
        ExprKind::Bool(_) => Ty::Bool,
        ExprKind::Duration { .. } => Ty::Duration,
        ExprKind::Array(_) => Ty::List {
            of: Box::new(Ty::Any),
        },
        ExprKind::Object(_) => Ty::Object {
            fields: Vec::new(),
            open: true,
        },
        _ => Ty::Any,
    }
}

/// A written type.
fn ty_of(t: &TypeExpr) -> Ty {
    match &t.kind {
        TypeKind::Name(n) => match n.as_str() {
            "any" => Ty::Any,
            "string" => Ty::String,
            "number" => Ty::Number,
            "int" => Ty::Int,
            "bool" => Ty::Bool,
            "null" => Ty::Null,
            "duration" => Ty::Duration,
            "time" => Ty::Time,
            _ => Ty::Named { name: n.clone() },
        },
        TypeKind::List(inner) => Ty::List {
            of: Box::new(ty_of(inner)),
        },
        TypeKind::Object(o) => Ty::Object {
            fields: o
                .fields
                .iter()
                .map(|f| FieldTy {
                    name: f.key.name.clone(),
                    ty: ty_of(&f.ty),
                    optional: f.optional,
                })
                .collect(),
            open: o.open.is_some(),
        },
        TypeKind::Union(members) => Ty::Union {
            of: members.iter().map(ty_of).collect(),
        },
        TypeKind::Literal(value) => Ty::Literal {
            value: value.clone(),
        },
        TypeKind::Error => Ty::Any,
    }
}

#[cfg(test)]
mod tests {
    use crate::machine::{self, Env};
    use crate::state::{Command, Status};
    use crate::value::Value;
    use serde_json::json;

    struct TestEnv;
    impl Env for TestEnv {
        fn now(&self) -> i64 {
            0
        }
        fn token(&mut self) -> String {
            "token".into()
        }
        fn run_id(&mut self) -> String {
            "child".into()
        }
        fn jitter(&mut self) -> f64 {
            0.0
        }
    }

    const SOURCE: &str = r#"
machine Counter {
    state { total: number = 0, label = "counter" }
    command Add(input: {n: number}) {
        return {..state, total: state.total + input.n}
    }
    command Sub(input: {n: number}) {
        if state.total < input.n {
            fail("too low")
        }
        state.total -= input.n
    }
}

machine channels {
    NewCommChannel{ userId = "", verified = false, email {address = "none"} }
}

flow Preview(s) {
    return Machine(s).Handle(Add{n: 3})
}

flow Refused(s) {
    return Machine(s).Handle(Sub{n: 3})
}

flow Send(k) {
    return Counter(k).Add(n: 1) @retry(2)
}

flow Stop(x) {
    fail({why: x})
}
"#;

    /// Runs command `name` of `machine` on `state` with `input`: the run's
    /// status and result.
    fn apply(
        machine_name: &str,
        command: &str,
        state: serde_json::Value,
        input: serde_json::Value,
    ) -> (Status, Option<serde_json::Value>) {
        let program = crate::compile_source("m.weft", SOURCE).unwrap();
        let def = &program.machines[machine_name].commands[command];
        let args = vec![
            Value::from_json(&state).unwrap(),
            Value::str("k"),
            Value::from_json(&input).unwrap(),
        ];
        let (s, _) = machine::start(
            &program,
            "r".into(),
            def.handler,
            args,
            Vec::new(),
            json!(null),
            0,
            &mut TestEnv,
        );
        (s.status, s.result.and_then(|v| v.to_json().ok()))
    }

    #[test]
    fn a_handler_returns_the_new_state_with_the_defaults_filled_in() {
        assert_eq!(
            apply("Counter", "Add", json!({}), json!({"n": 2})),
            (
                Status::Completed,
                Some(json!({"ok": true, "state": {"total": 2, "label": "counter"}}))
            )
        );
        assert_eq!(
            apply(
                "Counter",
                "Add",
                json!({"total": 5, "label": "x"}),
                json!({"n": 2})
            ),
            (
                Status::Completed,
                Some(json!({"ok": true, "state": {"total": 7, "label": "x"}}))
            )
        );
    }

    #[test]
    fn fail_refuses_and_falling_off_the_end_keeps_the_state_as_changed() {
        assert_eq!(
            apply("Counter", "Sub", json!({"total": 1}), json!({"n": 2})),
            (
                Status::Completed,
                Some(json!({"ok": false, "error": "too low"}))
            )
        );
        assert_eq!(
            apply("Counter", "Sub", json!({"total": 5}), json!({"n": 2})),
            (
                Status::Completed,
                Some(json!({"ok": true, "state": {"total": 3, "label": "counter"}}))
            )
        );
    }

    #[test]
    fn a_command_declared_by_its_shape_sets_the_fields_it_carries() {
        assert_eq!(
            apply(
                "channels",
                "NewCommChannel",
                json!({"old": 1}),
                json!({"userId": "u", "email": {}})
            ),
            (
                Status::Completed,
                Some(
                    json!({"ok": true, "state": {"old": 1, "userId": "u", "email": {"address": "none"}, "verified": false}})
                )
            )
        );
    }

    /// Starts flow `name` with `input`.
    fn run(
        name: &str,
        input: serde_json::Value,
    ) -> (crate::state::RunState, crate::machine::Output) {
        let program = crate::compile_source("m.weft", SOURCE).unwrap();
        let func = program.flow(name).unwrap();
        let args = machine::bind_input(&program, func, &input).unwrap();
        machine::start(
            &program,
            "r".into(),
            func,
            args,
            Vec::new(),
            input,
            0,
            &mut TestEnv,
        )
    }

    #[test]
    fn the_pure_transition_runs_in_the_flow_and_a_refusal_fails_the_run() {
        let (s, _) = run("Preview", json!({"total": 1}));
        assert_eq!(s.status, Status::Completed);
        assert_eq!(
            s.result.and_then(|v| v.to_json().ok()),
            Some(json!({"total": 4, "label": "counter"}))
        );
        let (s, _) = run("Refused", json!({"total": 1}));
        assert_eq!(s.status, Status::Failed);
        let failure = s.failures.values().next().unwrap();
        assert_eq!(failure.message, "the command `Sub` was refused: too low");
        let (s, _) = run("Stop", json!("late"));
        assert_eq!(s.status, Status::Failed);
        assert_eq!(
            s.failures.values().next().unwrap().message,
            r#"{"why":"late"}"#
        );
    }

    #[test]
    fn a_flow_sends_a_command_as_a_call_of_a_reserved_activity() {
        let (_, out) = run("Send", json!("k1"));
        let task = out
            .commands
            .iter()
            .find_map(|c| match c {
                Command::Dispatch(t) => Some(t),
                _ => None,
            })
            .unwrap();
        assert_eq!(task.activity, "machine:Counter.Add");
        assert_eq!(task.args, json!(["k1", {"n": 1}]));
    }
}

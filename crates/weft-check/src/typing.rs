//! Calls of declared activities and what flows do with their results
//! (E0203-E0206), and the list of every activity call of a program.
//!
//! # How types are known
//!
//! A light, flow-insensitive inference: within one function (a flow, a
//! `func` or an inline flow), a variable has a type when *every*
//! assignment to it gives a value of that same type; one assignment of an
//! unknown type, or a change of a field or element (`x.f = ...`, `x += 1`),
//! makes it unknown. Values have a type when they are literals, objects
//! and lists built inline, results of declared activities, fields of
//! values with a type, and a few built-ins (`now()`, `len(x)`, ...). A
//! `func` or inline flow sees the types of the variables it captures.
//!
//! Only what is certainly wrong is reported: anything unknown fits
//! anywhere, and conditions do not narrow types.
//!
//! Tools read what this inference finds through [`variable_types`] (the
//! language server completes the fields of a variable's type with it).

use crate::codes;
use crate::contract::types::{Field, Type, Types};
use crate::contract::{params_of, Contracts};
use crate::program::Program;
use crate::suggest;
use crate::SourceFile;
use std::collections::{BTreeMap, HashMap};
use weft_syntax::ast::*;
use weft_syntax::lang;
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{Diagnostic, Span};

mod machines;

/// Rounds of inference per function: each round lets types flow one more
/// assignment further (`a = F()`, `b = a.x`, `c = b.y` needs three).
pub const INFERENCE_ROUNDS_MAX: usize = 4;

/// A call of an activity (a name that is no variable, flow or built-in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityCall {
    /// The activity's name.
    pub name: String,
    /// The file of the call.
    pub file: usize,
    /// Where the callee's name is.
    pub span: Span,
    /// How many positional arguments the call has.
    pub positional: usize,
    /// The names of its named arguments, in order.
    pub named: Vec<String>,
    /// True under `await`.
    pub awaited: bool,
}

/// What the inference knows of the variables of one function: a
/// top-level flow, a `func` or an inline flow.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownTypes {
    /// The file of the function.
    pub file: usize,
    /// Its body, from `{` to `}`.
    pub body: Span,
    /// Every variable of the function (its parameters and the names it
    /// assigns, not the captured ones it only reads), with its type when
    /// known. A function nested in it sees the enclosing variables it does
    /// not assign itself.
    pub vars: BTreeMap<String, Option<Type>>,
}

/// The known types of the variables of every function of `files`, the
/// enclosing functions before the ones nested in them. Flows with syntax
/// errors are inferred too, from what did parse.
pub fn variable_types(files: &[SourceFile<'_>]) -> Vec<KnownTypes> {
    let mut ignored = vec![Vec::new(); files.len()];
    let program = Program::index(files, &mut ignored);
    let contracts = Contracts::index(files);
    let mut calls = Vec::new();
    let mut known = Vec::new();
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            let mut diags = Vec::new();
            let mut c = Checker {
                program: &program,
                contracts: &contracts,
                file,
                diags: &mut diags,
                calls: &mut calls,
                report: false,
                funcs: Vec::new(),
                known: Some(&mut known),
                handler_state: None,
            };
            c.top_flow(flow);
        }
    }
    for (m, command, h) in program.machines.handlers() {
        let mut diags = Vec::new();
        let mut c = Checker {
            program: &program,
            contracts: &contracts,
            file: h.file,
            diags: &mut diags,
            calls: &mut calls,
            report: false,
            funcs: Vec::new(),
            known: Some(&mut known),
            handler_state: None,
        };
        c.handler(m, command, h);
    }
    known
}

/// Every activity call of the program `files`, in source order per file.
pub fn activity_calls(files: &[SourceFile<'_>]) -> Vec<ActivityCall> {
    let mut ignored = vec![Vec::new(); files.len()];
    let program = Program::index(files, &mut ignored);
    let contracts = Contracts::index(files);
    let mut calls = Vec::new();
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            let mut diags = Vec::new();
            let mut c = Checker {
                program: &program,
                contracts: &contracts,
                file,
                diags: &mut diags,
                calls: &mut calls,
                report: false,
                funcs: Vec::new(),
                known: None,
                handler_state: None,
            };
            c.top_flow(flow);
        }
    }
    for (m, command, h) in program.machines.handlers() {
        let mut diags = Vec::new();
        let mut c = Checker {
            program: &program,
            contracts: &contracts,
            file: h.file,
            diags: &mut diags,
            calls: &mut calls,
            report: false,
            funcs: Vec::new(),
            known: None,
            handler_state: None,
        };
        c.handler(m, command, h);
    }
    calls
}

/// Checks the calls of declared activities in every flow of `files` and
/// returns every activity call (for W0210).
pub(crate) fn check(
    files: &[SourceFile<'_>],
    program: &Program<'_>,
    contracts: &Contracts<'_>,
    out: &mut [Vec<Diagnostic>],
) -> Vec<ActivityCall> {
    let mut calls = Vec::new();
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            let report = !crate::program::has_syntax_errors(flow);
            let mut c = Checker {
                program,
                contracts,
                file,
                diags: &mut out[file],
                calls: &mut calls,
                report,
                funcs: Vec::new(),
                known: None,
                handler_state: None,
            };
            c.top_flow(flow);
        }
    }
    for (m, command, h) in program.machines.handlers() {
        let report = !crate::program::has_syntax_errors_in(h.body);
        let mut c = Checker {
            program,
            contracts,
            file: h.file,
            diags: &mut out[h.file],
            calls: &mut calls,
            report,
            funcs: Vec::new(),
            known: None,
            handler_state: None,
        };
        c.handler(m, command, h);
    }
    calls
}

/// The variables of one function and what is known of their types.
struct Func<'a> {
    /// Every variable of the function (parameters and assigned names), with
    /// its type when known.
    vars: HashMap<&'a str, Option<Type>>,
    /// The inline flow's name, for recursion.
    inline_name: Option<&'a str>,
}

/// Where a variable's value comes from.
enum Source<'a> {
    /// `x = e`, `let x = e`.
    Expr(&'a Expr),
    /// `for x in e`.
    Element(&'a Expr),
    /// The value of `value, err = e`: what `e` gives, or `null`.
    OrNull(&'a Expr),
    /// The error of `value, err = e`: `{message, attempts}`, or `null`.
    Error,
    /// Something whose type is never known.
    Unknown,
}

struct Checker<'a, 'p> {
    program: &'p Program<'a>,
    contracts: &'p Contracts<'a>,
    file: usize,
    diags: &'p mut Vec<Diagnostic>,
    calls: &'p mut Vec<ActivityCall>,
    /// False in flows with syntax errors, and when only collecting calls.
    report: bool,
    /// From the top-level flow (first) to the current function (last).
    funcs: Vec<Func<'a>>,
    /// Where to record what is inferred, for [`variable_types`].
    known: Option<&'p mut Vec<KnownTypes>>,
    /// In a handler: the machine's state type (what `return` must give).
    handler_state: Option<Type>,
}

impl<'a> Checker<'a, '_> {
    fn types(&self) -> &Types {
        &self.contracts.types
    }

    fn top_flow(&mut self, flow: &'a FlowDecl) {
        let params: Vec<(&'a str, Option<Type>)> = flow
            .params
            .iter()
            .filter_map(|p| p.name.as_ref().map(|n| (n.name.as_str(), None)))
            .collect();
        self.function(params, None, &flow.body);
    }

    /// Infers the variables of a function, then checks its body.
    fn function(
        &mut self,
        params: Vec<(&'a str, Option<Type>)>,
        inline_name: Option<&'a str>,
        body: &'a Block,
    ) {
        self.function_with(params, inline_name, body, &[]);
    }

    /// [`Checker::function`], where the parameters named in `fixed` keep
    /// their type when a field of theirs changes (a handler's `state`).
    fn function_with(
        &mut self,
        params: Vec<(&'a str, Option<Type>)>,
        inline_name: Option<&'a str>,
        body: &'a Block,
        fixed: &[&'a str],
    ) {
        let mut sources: Vec<(&'a str, Source<'a>)> = Vec::new();
        collect_block(body, &mut sources);
        sources.retain(|(name, source)| !(fixed.contains(name) && machines::keeps_type(source)));
        let mut vars: HashMap<&'a str, Option<Type>> = HashMap::new();
        for (name, _) in &sources {
            vars.insert(name, None);
        }
        for (name, ty) in &params {
            vars.insert(name, ty.clone());
        }
        self.funcs.push(Func { vars, inline_name });
        for _ in 0..INFERENCE_ROUNDS_MAX {
            // A parameter's value on entry is one of its values.
            let mut next: HashMap<&'a str, Option<Type>> = params.iter().cloned().collect();
            for (name, source) in &sources {
                let ty = match source {
                    Source::Expr(e) => self.infer(e),
                    Source::Element(e) => self.infer(e).and_then(|t| self.types().element(&t)),
                    Source::OrNull(e) => self.infer(e).map(|t| Type::Union(vec![t, Type::Null])),
                    Source::Error => Some(Type::Union(vec![error_object(), Type::Null])),
                    Source::Unknown => None,
                };
                match next.get_mut(name) {
                    Some(existing) => {
                        if *existing != ty {
                            *existing = None;
                        }
                    }
                    None => {
                        next.insert(name, ty);
                    }
                }
            }
            let func = self.funcs.last_mut().expect("pushed above");
            if func.vars == next {
                break;
            }
            func.vars = next;
        }
        if let Some(known) = self.known.as_deref_mut() {
            let func = self.funcs.last().expect("pushed above");
            known.push(KnownTypes {
                file: self.file,
                body: body.span,
                vars: func
                    .vars
                    .iter()
                    .map(|(name, ty)| (name.to_string(), ty.clone()))
                    .collect(),
            });
        }
        self.visit_block(body);
        self.funcs.pop();
    }

    /// The type of variable `name` as the current function sees it:
    /// `Some(None)` for a variable of unknown type, `None` when no
    /// function of the chain has such a variable.
    fn var(&self, name: &str) -> Option<Option<Type>> {
        self.funcs
            .iter()
            .rev()
            .find_map(|f| f.vars.get(name).cloned())
    }

    /// The activity `call` calls, if it calls one: a name, or a dotted
    /// name whose first part names nothing (`mandril.Send`).
    fn activity_name(&self, call: &Call) -> Option<String> {
        match call.callee_name() {
            Some(name) => self.is_activity(name).then(|| name.to_string()),
            None => {
                let (full, root) = call.dotted_callee()?;
                self.is_activity(root).then_some(full)
            }
        }
    }

    fn is_activity(&self, name: &str) -> bool {
        self.var(name).is_none()
            && !self.program.machines.contains(name)
            && !self.funcs.iter().any(|f| f.inline_name == Some(name))
            && !self.program.flows.contains_key(name)
            && lang::builtin(name).is_none()
    }

    // ----- inference -----

    fn infer(&self, e: &'a Expr) -> Option<Type> {
        match &e.kind {
            ExprKind::Number(v) => Some(if v.fract() == 0.0 {
                Type::Int
            } else {
                Type::Number
            }),
            ExprKind::String(_) => Some(Type::String),
            ExprKind::Duration { .. } => Some(Type::Duration),
            ExprKind::Bool(_) => Some(Type::Bool),
            ExprKind::Null => Some(Type::Null),
            ExprKind::Name(n) => self.var(n).flatten(),
            ExprKind::Array(items) => {
                let mut members: Vec<Type> = Vec::new();
                for item in items {
                    let t = self.infer(item).unwrap_or(Type::Any);
                    if !members.contains(&t) {
                        members.push(t);
                    }
                }
                Some(Type::List(Box::new(match members.len() {
                    0 => Type::Any,
                    1 => members.pop().unwrap_or(Type::Any),
                    _ => Type::Union(members),
                })))
            }
            ExprKind::Object(entries) => {
                let mut fields: Vec<Field> = Vec::new();
                let mut open = false;
                for entry in entries {
                    match entry {
                        ObjectEntry::Field { key, value } => {
                            let ty = self.infer(value).unwrap_or(Type::Any);
                            fields.retain(|f| f.name != key.name);
                            fields.push(Field {
                                name: key.name.clone(),
                                ty,
                                optional: false,
                            });
                        }
                        ObjectEntry::Spread(_) => {
                            // Fields before a spread may be replaced by it.
                            for f in &mut fields {
                                f.ty = Type::Any;
                            }
                            open = true;
                        }
                    }
                }
                Some(Type::Object { fields, open })
            }
            ExprKind::Member { object, name } => {
                let t = self.infer(object)?;
                self.types().field(&t, &name.name).ok().flatten()
            }
            ExprKind::Index { object, .. } => {
                let t = self.infer(object)?;
                self.types().element(&t)
            }
            ExprKind::Call(call) => self.infer_call(call, false),
            ExprKind::Await(inner) => match &inner.unparen().kind {
                ExprKind::Call(call) => self.infer_call(call, true),
                _ => None,
            },
            ExprKind::Paren(inner) => self.infer(inner),
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Not => Some(Type::Bool),
                UnaryOp::Neg | UnaryOp::Plus => match self.infer(operand)? {
                    t @ (Type::Int | Type::Number | Type::Duration) => Some(t),
                    _ => None,
                },
            },
            ExprKind::Binary { op, lhs, rhs } => {
                use BinaryOp::*;
                match op {
                    Eq | Ne | Lt | Le | Gt | Ge => Some(Type::Bool),
                    Add | Sub | Mul | Rem => {
                        let (l, r) = (self.infer(lhs)?, self.infer(rhs)?);
                        let (l, r) = (self.types().resolve(&l), self.types().resolve(&r));
                        match (l, r) {
                            (Type::String, _) | (_, Type::String) if *op == Add => {
                                Some(Type::String)
                            }
                            (Type::Int, Type::Int) => Some(Type::Int),
                            (Type::Int | Type::Number, Type::Int | Type::Number) => {
                                Some(Type::Number)
                            }
                            _ => None,
                        }
                    }
                    Or | And | Div => None,
                }
            }
            ExprKind::Lambda(_) | ExprKind::Flow(_) | ExprKind::Braced(_) | ExprKind::Error => None,
        }
    }

    fn infer_call(&self, call: &'a Call, awaited: bool) -> Option<Type> {
        if let Some(mc) = self.as_machine_call(call) {
            return self.infer_machine_call(&mc, call);
        }
        if call.callee_name().is_none() {
            let name = self.activity_name(call)?;
            return self.activity_result(call, &name, awaited);
        }
        let name = call.callee_name()?;
        if !self.is_activity(name) {
            return match lang::builtin(name)?.name {
                "now" | "time" => Some(Type::Time),
                "len" => Some(Type::Int),
                "string" => Some(Type::String),
                "number" => Some(Type::Number),
                "duration" => Some(Type::Duration),
                "contains" => Some(Type::Bool),
                "keys" => Some(Type::List(Box::new(Type::String))),
                _ => None,
            }
            .filter(|_| self.var(name).is_none() && !self.program.flows.contains_key(name));
        }
        self.activity_result(call, name, awaited)
    }

    /// The type of a call of the activity `name`: its declared result, and
    /// what `@catch` and an awaited `@timeout` add.
    fn activity_result(&self, call: &Call, name: &str, awaited: bool) -> Option<Type> {
        let mut t = self.contracts.result(name)?;
        if call.annotation("catch").is_some() {
            t = Type::Union(vec![t, catch_value()]);
        }
        if awaited && call.annotation("timeout").is_some() {
            t = Type::Union(vec![t, timeout_value()]);
        }
        Some(t)
    }

    // ----- the walk: in source order, as `Visitor` goes (see the impl) -----

    /// An assignment's target: fields written there need not exist, but
    /// the reads inside (`a.b` of `a.b.c = 1`, indexes) are checked.
    fn target(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Member { object, .. } => self.visit_expr(object),
            ExprKind::Index { object, index } => {
                self.visit_expr(object);
                self.visit_expr(index);
            }
            _ => {}
        }
    }

    /// E0206: a read of a field that the value's type cannot have.
    fn field_read(&mut self, object: &Expr, name: &Ident) {
        if !self.report {
            return;
        }
        let Some(t) = self.infer(object) else {
            return;
        };
        let Err(known) = self.types().field(&t, &name.name) else {
            return;
        };
        let what = match &object.unparen().kind {
            ExprKind::Name(n) => format!("`{n}`"),
            _ => "this value".to_string(),
        };
        let suggestion = suggest::closest(&name.name, known.iter().map(String::as_str));
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None if known.is_empty() => format!("its type `{t}` has no fields"),
            None => format!(
                "its fields are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut d = Diagnostic::error(
            codes::UNKNOWN_FIELD,
            name.span,
            format!("{what} has no field `{}` (its type is `{t}`)", name.name),
        )
        .with_help(help);
        // A field that is no name cannot follow `.`: no one-word fix.
        if let Some(s) = suggestion.filter(|s| crate::suggest::is_plain_name(s)) {
            d = d.with_replacement(name.span, s);
        }
        self.diags.push(d);
    }

    fn call(&mut self, call: &'a Call, awaited: bool) {
        if let Some(mc) = self.as_machine_call(call) {
            self.machine_call(mc, call);
            return;
        }
        self.visit_expr(&call.callee);
        for arg in &call.args {
            self.visit_expr(&arg.value);
        }
        for ann in &call.annotations {
            for arg in &ann.args {
                self.visit_expr(&arg.value);
            }
        }
        let Some(name) = self.activity_name(call) else {
            return;
        };
        let name = name.as_str();
        self.calls.push(ActivityCall {
            name: name.to_string(),
            file: self.file,
            span: call.callee.span,
            positional: call.args.iter().filter(|a| a.name.is_none()).count(),
            named: call
                .args
                .iter()
                .filter_map(|a| a.name.as_ref().map(|n| n.name.clone()))
                .collect(),
            awaited,
        });
        if self.report {
            if let Some(decl) = self.contracts.activity(name) {
                self.check_arguments(call, decl);
            }
        }
    }

    /// E0203, E0204, E0205: a call of a declared activity.
    fn check_arguments(&mut self, call: &'a Call, decl: &'a ActivityDecl) {
        if call
            .args
            .iter()
            .any(|a| matches!(a.value.kind, ExprKind::Error))
        {
            return;
        }
        let name = decl.name.name.as_str();
        let params = params_of(decl);
        let positional: Vec<&Arg> = call.args.iter().filter(|a| a.name.is_none()).collect();
        let mut bound: Vec<(usize, &Arg)> = Vec::new();
        if positional.len() > params.len() {
            let required = params.iter().filter(|p| !p.optional).count();
            let takes = if required == params.len() {
                arguments(params.len())
            } else {
                format!("{required} to {}", arguments(params.len()))
            };
            self.diags.push(
                Diagnostic::error(
                    codes::ACTIVITY_ARGUMENT_COUNT,
                    call.callee.span,
                    format!(
                        "`{name}` takes {takes} but {} positional {} given",
                        positional.len(),
                        if positional.len() == 1 { "was" } else { "were" }
                    ),
                )
                .with_help(format!("the declaration is `{}`", signature(decl))),
            );
            return;
        }
        for (i, a) in positional.iter().enumerate() {
            bound.push((i, a));
        }
        let mut unknown_names = false;
        for arg in &call.args {
            let Some(arg_name) = &arg.name else {
                continue;
            };
            match params.iter().position(|p| p.name == arg_name.name) {
                Some(i) if bound.iter().any(|(j, _)| *j == i) => self.diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_ACTIVITY_ARGUMENT,
                        arg_name.span,
                        format!(
                            "the parameter `{}` of `{name}` is given twice",
                            arg_name.name
                        ),
                    )
                    .with_help("give each parameter once, by position or by name"),
                ),
                Some(i) => bound.push((i, arg)),
                None => {
                    unknown_names = true;
                    let names = params.iter().map(|p| p.name.as_str());
                    let suggestion = suggest::closest(&arg_name.name, names);
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the declaration is `{}`", signature(decl)),
                    };
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_ACTIVITY_ARGUMENT,
                        arg_name.span,
                        format!("`{name}` has no parameter `{}`", arg_name.name),
                    )
                    .with_help(help);
                    if let Some(s) = suggestion {
                        d = d.with_replacement(arg_name.span, s);
                    }
                    self.diags.push(d);
                }
            }
        }
        let missing: Vec<&str> = params
            .iter()
            .enumerate()
            .filter(|(i, p)| !p.optional && !bound.iter().any(|(j, _)| j == i))
            .map(|(_, p)| p.name.as_str())
            .collect();
        // A misspelt name is the likelier mistake than a missing argument.
        if !missing.is_empty() && !unknown_names {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.diags.push(
                Diagnostic::error(
                    codes::ACTIVITY_ARGUMENT_COUNT,
                    call.callee.span,
                    format!(
                        "`{name}` needs the {} {list}",
                        if missing.len() == 1 {
                            "argument"
                        } else {
                            "arguments"
                        }
                    ),
                )
                .with_help(format!("the declaration is `{}`", signature(decl))),
            );
        }
        bound.sort_by_key(|(i, _)| *i);
        for (i, arg) in bound {
            let p = &params[i];
            let Some(value) = self.infer(&arg.value) else {
                continue;
            };
            let target = if p.optional {
                Type::Union(vec![p.ty.clone(), Type::Null])
            } else {
                p.ty.clone()
            };
            if self.types().assignable(&value, &target) {
                continue;
            }
            let mut d = Diagnostic::error(
                codes::ARGUMENT_TYPE,
                arg.value.span,
                format!(
                    "the argument `{}` of `{name}` must be `{}`, but this is `{value}`",
                    p.name, p.ty
                ),
            );
            if let Some(help) = self.explain(&value, &p.ty) {
                d = d.with_help(help);
            }
            self.diags.push(d);
        }
    }

    /// Why an object does not fit an object type: a field it lacks or one
    /// the type does not have.
    fn explain(&self, value: &Type, target: &Type) -> Option<String> {
        let (vf, _) = self.types().resolve(value).fields()?;
        let (tf, topen) = self.types().resolve(target).fields()?;
        if let Some(missing) = tf
            .iter()
            .find(|t| !t.optional && !vf.iter().any(|v| v.name == t.name))
        {
            return Some(format!("the field `{}` is missing", missing.name));
        }
        if !topen {
            if let Some(extra) = vf.iter().find(|v| !tf.iter().any(|t| t.name == v.name)) {
                let names = tf.iter().map(|t| t.name.as_str());
                return Some(match suggest::closest(&extra.name, names) {
                    Some(s) => format!(
                        "`{target}` has no field `{}`; did you mean `{s}`?",
                        extra.name
                    ),
                    None => format!("`{target}` has no field `{}`", extra.name),
                });
            }
        }
        for v in vf {
            if let Some(t) = tf.iter().find(|t| t.name == v.name) {
                if !self.types().assignable(&v.ty, &t.ty) {
                    return Some(format!(
                        "the field `{}` must be `{}`, but is `{}`",
                        v.name, t.ty, v.ty
                    ));
                }
            }
        }
        None
    }
}

/// The walk of a function's body: every node in source order, as the
/// `Visitor` goes, except where the checker looks closer.
impl<'a> Visitor<'a> for Checker<'a, '_> {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Assign { target, value, .. } => {
                self.target(target);
                self.visit_expr(value);
            }
            StmtKind::IncDec { target, .. } => self.target(target),
            StmtKind::Return { value: Some(v) } => {
                self.visit_expr(v);
                self.handler_return(v);
            }
            _ => visit::walk_stmt(self, s),
        }
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Member { object, name } => {
                self.visit_expr(object);
                self.field_read(object, name);
            }
            ExprKind::Call(c) => self.call(c, false),
            ExprKind::Await(inner) => match &inner.unparen().kind {
                ExprKind::Call(c) => self.call(c, true),
                _ => self.visit_expr(inner),
            },
            ExprKind::Lambda(l) => {
                let params = l.params.iter().map(|p| (p.name.as_str(), None)).collect();
                self.function(params, None, &l.body);
            }
            ExprKind::Flow(f) => {
                let mut params = Vec::new();
                for p in &f.params {
                    if let Some(v) = &p.value {
                        self.visit_expr(v);
                    }
                    if let Some(n) = &p.name {
                        let ty = match &p.value {
                            Some(v) => self.infer(v),
                            None => self.var(&n.name).flatten(),
                        };
                        params.push((n.name.as_str(), ty));
                    }
                }
                self.function(params, Some(f.name.name.as_str()), &f.body);
            }
            ExprKind::Braced(b) => self.braced_values(b),
            _ => visit::walk_expr(self, e),
        }
    }
}

/// The value of a call with `@catch` that failed for good.
pub(crate) fn catch_value() -> Type {
    Type::Object {
        fields: vec![
            field("status", Type::String),
            field("error", error_object()),
        ],
        open: false,
    }
}

/// Why a call failed for good: the `error` of `@catch`'s value, and the
/// `err` of `value, err = Call(...)`.
fn error_object() -> Type {
    Type::Object {
        fields: vec![field("message", Type::String), field("attempts", Type::Int)],
        open: false,
    }
}

/// The value of an `await` whose `@timeout` passed.
fn timeout_value() -> Type {
    Type::Object {
        fields: vec![field("status", Type::String), field("type", Type::String)],
        open: false,
    }
}

fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.to_string(),
        ty,
        optional: false,
    }
}

/// "1 argument", "2 arguments".
fn arguments(n: usize) -> String {
    if n == 1 {
        "1 argument".to_string()
    } else {
        format!("{n} arguments")
    }
}

/// `Name(a: T, b?: U) -> R`, for messages.
pub(crate) fn signature(decl: &ActivityDecl) -> String {
    let params: Vec<String> = decl
        .params
        .iter()
        .map(|p| {
            format!(
                "{}{}: {}",
                p.name.name,
                if p.optional { "?" } else { "" },
                Type::from_ast(&p.ty)
            )
        })
        .collect();
    let mut s = format!("{}({})", decl.name.name, params.join(", "));
    if let Some(r) = &decl.result {
        s.push_str(&format!(" -> {}", Type::from_ast(r)));
    }
    s
}

/// The assignments of a function's body (not of the functions inside it).
fn collect_block<'a>(b: &'a Block, out: &mut Vec<(&'a str, Source<'a>)>) {
    struct Assignments<'a, 'o>(&'o mut Vec<(&'a str, Source<'a>)>);
    impl<'a> Visitor<'a> for Assignments<'a, '_> {
        // Statements only: the functions inside expressions are their own.
        fn visit_expr(&mut self, _: &'a Expr) {}

        fn visit_stmt(&mut self, s: &'a Stmt) {
            let out = &mut *self.0;
            match &s.kind {
                StmtKind::Let {
                    name,
                    value: Some(v),
                    ..
                } => out.push((&name.name, Source::Expr(v))),
                // `var x` starts at null: a read before the first
                // assignment is another check's business.
                StmtKind::Let { value: None, .. } => {}
                StmtKind::Assign { target, op, value } => match (&target.kind, op) {
                    (ExprKind::Name(n), AssignOp::Set) => out.push((n, Source::Expr(value))),
                    _ => {
                        if let Some(root) = root_name(target) {
                            out.push((root, Source::Unknown));
                        }
                    }
                },
                StmtKind::IncDec { target, .. } => {
                    if let Some(root) = root_name(target) {
                        out.push((root, Source::Unknown));
                    }
                }
                StmtKind::For { var, iterable, .. } => {
                    out.push((&var.name, Source::Element(iterable)))
                }
                StmtKind::TryAssign {
                    value, err, call, ..
                } => {
                    out.push((&value.name, Source::OrNull(call)));
                    out.push((&err.name, Source::Error));
                }
                _ => {}
            }
            visit::walk_stmt(self, s);
        }
    }
    Assignments(out).visit_block(b);
}

/// `x` of `x`, `x.a.b` or `x[i]`.
fn root_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => root_name(object),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_types_per_function() {
        let src = "activity R(n: string) -> {status: string, id: int}\nflow A(x) {\n  r = R(x)\n  s = r.status\n  m = 1\n  m = \"one\"\n  f = func(y) { return r.id + y }\n  q = r.\n}\n";
        let parse = weft_syntax::parse(src);
        assert!(parse.has_errors(), "`r.` is half typed");
        let known = variable_types(&[SourceFile {
            name: "a.weft",
            module: &parse.module,
        }]);
        assert_eq!(known.len(), 2);
        let flow = &known[0];
        assert_eq!(flow.file, 0);
        assert_eq!(
            flow.vars["r"].as_ref().map(Type::to_string).as_deref(),
            Some("{status: string, id: int}")
        );
        assert_eq!(flow.vars["s"], Some(Type::String));
        // Two assignments of different types, and a parameter: unknown.
        assert_eq!(flow.vars["m"], None);
        assert_eq!(flow.vars["x"], None);
        // The `func`: its parameter; `r` is the flow's.
        let func = &known[1];
        assert!(flow.body.start < func.body.start && func.body.end < flow.body.end);
        assert_eq!(func.vars.keys().collect::<Vec<_>>(), ["y"]);
    }
}

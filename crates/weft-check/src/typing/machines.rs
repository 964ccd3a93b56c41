//! Types at machine calls and in handlers: a command's input against what
//! the command takes (E0304), the fields `where{...}` and `select{...}`
//! name (E0206), what a handler returns against the state (E0309), and the
//! types machine calls give their values.

use super::{Checker, Source};
use crate::codes;
use crate::contract::shapes::{shape_type, Role};
use crate::contract::types::{Field, Type};
use crate::machines::{self, path_of, Command, Handler, Machine};
use crate::suggest;
use weft_syntax::ast::*;
use weft_syntax::lang::{MachineCall, MachineOp};
use weft_syntax::visit::Visitor;
use weft_syntax::{lang, Diagnostic, Span};

impl<'a> Checker<'a, '_> {
    /// True when `name` is a machine here (no variable hides it).
    pub(super) fn is_machine(&self, name: &str) -> bool {
        self.program.machines.contains(name) && self.var(name).is_none()
    }

    /// The machine call `call` is, if any.
    pub(super) fn as_machine_call(&self, call: &'a Call) -> Option<MachineCall<'a>> {
        lang::machine_call(call, |n| self.is_machine(n))
    }

    /// Checks a handler's body with its parameters typed: `state` as the
    /// machine's state, `key` a string, the input as the command takes it.
    pub(super) fn handler(&mut self, m: &Machine<'a>, c: &Command<'a>, h: Handler<'a>) {
        let state = m.state_type();
        let mut params: Vec<(&'a str, Option<Type>)> = vec![
            (machines_state_name(h), Some(state.clone())),
            (
                h.implicit.get(1).map_or("key", |k| k.name.as_str()),
                Some(Type::String),
            ),
        ];
        if let Some(p) = h.param {
            params.push((p.name.as_str(), Some(c.input_type())));
        }
        // Changing a field (`state.total += 1`) keeps the declared type.
        let fixed: Vec<&'a str> = params.iter().map(|(n, _)| *n).collect();
        self.handler_state = Some(state);
        self.function_with(params, None, h.body, &fixed);
        self.handler_state = None;
    }

    /// E0309: `return value` in a handler's own body.
    pub(super) fn handler_return(&mut self, value: &'a Expr) {
        if !self.report || self.funcs.len() != 1 {
            return;
        }
        let Some(state) = self.handler_state.clone() else {
            return;
        };
        if let ExprKind::Object(entries) = &value.unparen().kind {
            let fields: Vec<(&str, &'a Expr)> = entries
                .iter()
                .filter_map(|en| match en {
                    ObjectEntry::Field { key, value } => Some((key.name.as_str(), value)),
                    ObjectEntry::Spread(_) => None,
                })
                .collect();
            if let Some((span, message, help)) = self.choice_mismatch(&state, &fields) {
                self.diags.push(
                    Diagnostic::error(codes::STATE_TYPE, span, format!("{message} of the state"))
                        .with_help(help),
                );
                return;
            }
        }
        let Some(ty) = self.infer(value) else {
            return;
        };
        if self.types().assignable(&ty, &state) {
            return;
        }
        let mut d = Diagnostic::error(
            codes::STATE_TYPE,
            value.span,
            format!(
                "the handler returns the new state, which must be `{state}`, but this is `{ty}`"
            ),
        );
        if let Some(help) = self.explain(&ty, &state) {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    /// The type of a machine call's value.
    pub(super) fn infer_machine_call(&self, mc: &MachineCall<'a>, call: &Call) -> Option<Type> {
        let machines = &self.program.machines;
        let ty = match mc.op {
            MachineOp::Handle { .. } => {
                let [Arg { value, .. }] = mc.args else {
                    return None;
                };
                let ExprKind::Braced(b) = &value.kind else {
                    return None;
                };
                let found = machines.commands_named(&b.name.name);
                let [(m, _)] = found.as_slice() else {
                    return None;
                };
                return Some(m.state_type());
            }
            MachineOp::Command { .. } => machines.get(mc.machine_name())?.instance_type(),
            MachineOp::Get { .. } => Type::Union(vec![
                machines.get(mc.machine_name())?.instance_type(),
                Type::Null,
            ]),
            MachineOp::Find => {
                let m = machines.get(mc.machine_name())?;
                let selects = mc.args.iter().any(|a| {
                    matches!(&a.value.kind, ExprKind::Braced(b) if b.name.name == machines::SELECT)
                });
                let item = if selects {
                    Type::Object {
                        fields: vec![
                            field("key", Type::String),
                            field(
                                "state",
                                Type::Object {
                                    fields: Vec::new(),
                                    open: true,
                                },
                            ),
                            field("version", Type::Int),
                        ],
                        open: false,
                    }
                } else {
                    m.instance_type()
                };
                Type::List(Box::new(item))
            }
        };
        if call.annotation("catch").is_some() {
            return Some(Type::Union(vec![ty, super::catch_value()]));
        }
        Some(ty)
    }

    /// Walks a machine call's expressions and checks what it sends.
    pub(super) fn machine_call(&mut self, mc: MachineCall<'a>, call: &'a Call) {
        match mc.op {
            MachineOp::Command { key, command } => {
                self.visit_expr(key);
                for arg in mc.args {
                    self.visit_expr(&arg.value);
                }
                let machine = self.program.machines.get(mc.machine_name());
                if let Some(c) = machine.and_then(|m| m.command(&command.name)) {
                    self.command_input(c, mc.args, command.span);
                }
            }
            MachineOp::Get { key } => {
                self.visit_expr(key);
                for arg in mc.args {
                    self.visit_expr(&arg.value);
                }
            }
            MachineOp::Find => {
                let state = self
                    .program
                    .machines
                    .get(mc.machine_name())
                    .map(|m| m.state_type());
                for arg in mc.args {
                    match &arg.value.kind {
                        ExprKind::Braced(b) if arg.name.is_none() => {
                            self.braced_values(b);
                            if let Some(state) = &state {
                                self.query_paths(b, state);
                            }
                        }
                        _ => self.visit_expr(&arg.value),
                    }
                }
            }
            MachineOp::Handle { state } => {
                self.visit_expr(state);
                for arg in mc.args {
                    match &arg.value.kind {
                        ExprKind::Braced(b) => {
                            self.braced_values(b);
                            let found = self.program.machines.commands_named(&b.name.name);
                            if let [(_, c)] = found.as_slice() {
                                self.command_literal(c, b);
                            }
                        }
                        _ => self.visit_expr(&arg.value),
                    }
                }
            }
        }
        for ann in &call.annotations {
            for arg in &ann.args {
                self.visit_expr(&arg.value);
            }
        }
    }

    /// Walks the expressions a braced literal evaluates in the flow.
    pub(super) fn braced_values(&mut self, b: &'a Braced) {
        for entry in &b.entries {
            match entry {
                BracedEntry::Field { value, .. }
                | BracedEntry::Spread(value)
                | BracedEntry::Set { value, .. } => self.visit_expr(value),
                BracedEntry::Expr(Expr {
                    kind: ExprKind::Binary { rhs, .. },
                    ..
                }) => self.visit_expr(rhs),
                BracedEntry::Expr(_) => {}
            }
        }
    }

    /// E0304 for `M(key).Cmd(input)` or `M(key).Cmd(a: 1, b: 2)`.
    fn command_input(&mut self, c: &Command<'a>, args: &'a [Arg], at: Span) {
        if !self.report || args.iter().any(|a| matches!(a.value.kind, ExprKind::Error)) {
            return;
        }
        let target = c.input_type();
        let named: Vec<(&str, &'a Expr, Span)> = args
            .iter()
            .filter_map(|a| a.name.as_ref().map(|n| (n.name.as_str(), &a.value, n.span)))
            .collect();
        let (value, fields, span) = match args {
            [] => (Some(Type::Null), Vec::new(), at),
            [Arg { name: None, value }] => {
                let fields = match &value.unparen().kind {
                    ExprKind::Object(entries) => entries
                        .iter()
                        .filter_map(|en| match en {
                            ObjectEntry::Field { key, value } => Some((key.name.as_str(), value)),
                            ObjectEntry::Spread(_) => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                (self.infer(value), fields, value.span)
            }
            _ if named.len() == args.len() => {
                let ty = Type::Object {
                    fields: named
                        .iter()
                        .map(|(n, v, _)| field(n, self.infer(v).unwrap_or(Type::Any)))
                        .collect(),
                    open: false,
                };
                let fields = named.iter().map(|(n, v, _)| (*n, *v)).collect();
                (Some(ty), fields, at)
            }
            // Several positional arguments: the walk reported it.
            _ => return,
        };
        self.input_fits(c, &target, value, &fields, span);
    }

    /// E0304 for the command literal of `Machine(state).Handle(Cmd{...})`.
    fn command_literal(&mut self, c: &Command<'a>, b: &'a Braced) {
        if !self.report {
            return;
        }
        let mut fields: Vec<(&str, &'a Expr)> = Vec::new();
        let mut open = false;
        for entry in &b.entries {
            match entry {
                BracedEntry::Field { key, value } => fields.push((key.name.as_str(), value)),
                BracedEntry::Set { target, value } => {
                    if let ExprKind::Name(n) = &target.kind {
                        fields.push((n.as_str(), value));
                    }
                }
                BracedEntry::Expr(e) => {
                    if let ExprKind::Name(n) = &e.kind {
                        fields.push((n.as_str(), e));
                    }
                }
                BracedEntry::Spread(_) => open = true,
            }
        }
        let ty = Type::Object {
            fields: fields
                .iter()
                .map(|(n, v)| field(n, self.infer(v).unwrap_or(Type::Any)))
                .collect(),
            open,
        };
        let target = c.input_type();
        self.input_fits(c, &target, Some(ty), &fields, b.name.span);
    }

    fn input_fits(
        &mut self,
        c: &Command<'a>,
        target: &Type,
        value: Option<Type>,
        fields: &[(&str, &'a Expr)],
        span: Span,
    ) {
        let name = c.decl.name.name.as_str();
        if let Some((span, message, help)) = self.choice_mismatch(target, fields) {
            self.diags.push(
                Diagnostic::error(
                    codes::COMMAND_INPUT,
                    span,
                    format!("{message} of `{name}`'s input"),
                )
                .with_help(help),
            );
            return;
        }
        let Some(value) = value else {
            return;
        };
        if self.types().assignable(&value, target) {
            return;
        }
        let mut d = Diagnostic::error(
            codes::COMMAND_INPUT,
            span,
            format!("the input of `{name}` must be `{target}`, but this is `{value}`"),
        );
        if let Some(help) = self.explain(&value, target) {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    /// A string literal given for a field of `target` whose type is a set
    /// of choices it is not among: its place, the start of a message and a
    /// help.
    fn choice_mismatch(
        &self,
        target: &Type,
        fields: &[(&str, &'a Expr)],
    ) -> Option<(Span, String, String)> {
        for (fname, fvalue) in fields {
            let ExprKind::String(text) = &fvalue.unparen().kind else {
                continue;
            };
            let Ok(Some(fty)) = self.types().field(target, fname) else {
                continue;
            };
            let choices = literals(self.types().resolve(&fty), self);
            if choices.is_empty() || choices.iter().any(|c| c == text) {
                continue;
            }
            let help = match suggest::closest(text, choices.iter().map(String::as_str)) {
                Some(s) => format!("did you mean {s:?}?"),
                None => format!(
                    "the choices are {}",
                    choices
                        .iter()
                        .map(|c| format!("{c:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Some((
                fvalue.span,
                format!("{text:?} is not a choice of the field `{fname}`"),
                help,
            ));
        }
        None
    }

    /// E0206 for a path of `where{...}` or `select{...}` that the state
    /// cannot have.
    fn query_paths(&mut self, b: &'a Braced, state: &Type) {
        if !self.report {
            return;
        }
        for entry in &b.entries {
            let path_expr = match entry {
                BracedEntry::Set { target, .. } => target,
                BracedEntry::Expr(Expr {
                    kind: ExprKind::Binary { lhs, .. },
                    ..
                }) => lhs,
                BracedEntry::Expr(e) => e,
                BracedEntry::Field { .. } | BracedEntry::Spread(_) => continue,
            };
            let Some(path) = path_of(path_expr) else {
                continue;
            };
            let mut ty = state.clone();
            for (i, part) in path.iter().enumerate() {
                match self.types().field(&ty, part) {
                    Ok(Some(next)) => ty = next,
                    Ok(None) => break,
                    Err(known) => {
                        let known: Vec<&str> = known.iter().map(String::as_str).collect();
                        let help = match suggest::closest(part, known.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("its fields are {}", machines::quoted(&known)),
                        };
                        let shown = path[..=i].join(".");
                        self.diags.push(
                            Diagnostic::error(
                                codes::UNKNOWN_FIELD,
                                path_expr.span,
                                format!("the state has no field `{shown}` (its type is `{state}`)"),
                            )
                            .with_help(help),
                        );
                        break;
                    }
                }
            }
        }
    }
}

/// The name `state` as the handler's parser gave it.
fn machines_state_name<'a>(h: Handler<'a>) -> &'a str {
    h.implicit.first().map_or("state", |s| s.name.as_str())
}

/// The strings a type of choices admits (empty when it admits others).
fn literals(t: &Type, c: &Checker<'_, '_>) -> Vec<String> {
    match t {
        Type::Literal(s) => vec![s.clone()],
        Type::Union(members) => {
            let mut out = Vec::new();
            for m in members {
                match c.types().resolve(m) {
                    Type::Literal(s) => out.push(s.clone()),
                    Type::Null => {}
                    _ => return Vec::new(),
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Sources of a handler's fixed names that do not change their type.
pub(super) fn keeps_type(source: &Source<'_>) -> bool {
    matches!(source, Source::Unknown)
}

// ----- the types of machines -----

/// The types of a machine.
pub(crate) trait MachineTypes {
    fn state_type(&self) -> Type;
    fn instance_type(&self) -> Type;
}

impl MachineTypes for Machine<'_> {
    /// The type of the state: the `state` shape as a closed object, or
    /// anything when the machine declares no state.
    fn state_type(&self) -> Type {
        match self.state {
            Some((_, s)) => shape_type(&s.shape, Role::State),
            None => Type::Any,
        }
    }

    /// What the calls that read or change an instance return:
    /// `{key, state, version}`.
    fn instance_type(&self) -> Type {
        Type::Object {
            fields: vec![
                field("key", Type::String),
                field("state", self.state_type()),
                field("version", Type::Int),
            ],
            open: false,
        }
    }
}

/// The type of a command's input.
pub(crate) trait CommandTypes {
    fn input_type(&self) -> Type;
}

impl CommandTypes for Command<'_> {
    /// The type of the command's input.
    fn input_type(&self) -> Type {
        if let Some(shape) = &self.decl.shape {
            return shape_type(shape, Role::Input);
        }
        match &self.decl.param {
            Some(CommandParam { ty: Some(t), .. }) => Type::from_ast(t),
            // No input: whatever is sent is ignored.
            Some(_) | None => Type::Any,
        }
    }
}

fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.to_string(),
        ty,
        optional: false,
    }
}

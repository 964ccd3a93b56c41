//! The walk over machine calls and braced literals: what they evaluate in
//! the flow (names read, definite assignment), and whether they are written
//! in a way that means something (E0303, E0305-E0308).

use crate::calls::Target;
use crate::codes;
use crate::machines::{is_comparison, path_of, LIMIT, SELECT, WHERE};
use crate::scope::ScopeKind;
use crate::suggest;
use crate::walk::Walker;
use weft_syntax::ast::*;
use weft_syntax::lang::{self, BuiltinKind, MachineCall, MachineOp};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{Diagnostic, Span};

/// Where a braced literal stands, which says what its entries are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BracedRole {
    /// `Cmd{...}` in `Machine(state).Handle(...)`: fields of the input.
    Command,
    /// `where{...}` of `M.find(...)`: conditions on the state's fields.
    Where,
    /// `select{...}` of `M.find(...)`: the state's fields to return.
    Select,
}

impl<'a> Walker<'a, '_> {
    /// True when `name` is a machine where the walk stands (a variable of
    /// that name hides it).
    pub(crate) fn is_machine(&self, name: &str) -> bool {
        self.program.machines.contains(name) && self.lookup_var(name).is_none()
    }

    /// True anywhere inside a handler (its own body, or a `func` or inline
    /// flow in it).
    pub(crate) fn in_handler(&self) -> bool {
        matches!(
            self.frames.first().map(|f| f.scope.kind),
            Some(ScopeKind::Handler)
        )
    }

    /// True in a handler's own body.
    pub(crate) fn in_handler_body(&self) -> bool {
        matches!(self.frame().scope.kind, ScopeKind::Handler)
    }

    /// The machine call `call`, if it is one here.
    pub(crate) fn as_machine_call(&self, call: &'a Call) -> Option<MachineCall<'a>> {
        lang::machine_call(call, |n| self.is_machine(n))
    }

    /// `M(key)` alone, not followed by a method: E0307.
    pub(crate) fn bare_instance(&mut self, call: &'a Call) {
        let name = call.callee_name().unwrap_or_default();
        self.emit(
            Diagnostic::error(
                codes::MACHINE_CALL,
                call.callee.span,
                format!("`{name}(...)` names an instance of the machine `{name}`, but does nothing with it"),
            )
            .with_help(format!(
                "send it a command, `{name}(key).Command(input)`, or read it, `{name}(key).get()`"
            )),
        );
        for arg in &call.args {
            self.expr(&arg.value, false);
        }
    }

    /// Walks a machine call.
    pub(crate) fn machine_call(&mut self, mc: MachineCall<'a>, call: &'a Call, awaited: bool) {
        let machine = mc.machine_name();
        if awaited {
            self.emit(
                Diagnostic::error(
                    codes::MACHINE_CALL,
                    mc.machine.span,
                    "`await` on a machine call, which does not take a callback",
                )
                .with_help("remove `await`: the call already waits until the machine answers"),
            );
        }
        match mc.op {
            MachineOp::Command { key, command } => {
                self.expr(key, false);
                if let Some(m) = self.program.machines.get(machine) {
                    if m.command(&command.name).is_none() {
                        let known: Vec<&str> = m
                            .commands
                            .iter()
                            .map(|c| c.decl.name.name.as_str())
                            .collect();
                        self.emit(unknown_command(
                            machine,
                            &command.name,
                            command.span,
                            &known,
                        ));
                    }
                }
                let positional = mc.args.iter().filter(|a| a.name.is_none()).count();
                if positional > 1 || (positional == 1 && mc.args.len() > 1) {
                    self.emit(
                        Diagnostic::error(
                            codes::MACHINE_CALL,
                            call.callee.span,
                            format!("`{}` takes one input", command.name),
                        )
                        .with_help(format!(
                            "pass one object, `{machine}(key).{0}({{a: 1}})`, or name its fields, `{machine}(key).{0}(a: 1)`",
                            command.name
                        )),
                    );
                }
                for arg in mc.args {
                    self.expr(&arg.value, false);
                }
            }
            MachineOp::Get { key } => {
                self.expr(key, false);
                if let Some(arg) = mc.args.first() {
                    self.emit(
                        Diagnostic::error(
                            codes::MACHINE_CALL,
                            arg.value.span,
                            "`get()` takes no arguments",
                        )
                        .with_help(format!("the key goes in `{machine}(key)`")),
                    );
                }
                for arg in mc.args {
                    self.expr(&arg.value, false);
                }
            }
            MachineOp::Find => self.find_arguments(machine, mc.args),
            MachineOp::Handle { state } => {
                self.expr(state, false);
                self.handle_arguments(call, mc.args);
                for ann in &call.annotations {
                    self.emit(
                        Diagnostic::error(
                            codes::ANNOTATION_NOT_APPLICABLE,
                            ann.span,
                            format!("`@{}` cannot apply to `Machine(state).Handle(...)`", ann.name.name),
                        )
                        .with_help("the transition runs in this run and does no I/O: nothing to retry or time out"),
                    );
                }
            }
        }
        if !matches!(mc.op, MachineOp::Handle { .. }) {
            self.check_annotations(call, Target::Activity, false);
        }
        for ann in &call.annotations {
            for arg in &ann.args {
                self.expr(&arg.value, false);
            }
        }
    }

    /// The arguments of `M.find(...)`: `where{...}`, `select{...}` and
    /// `limit: n`.
    fn find_arguments(&mut self, machine: &str, args: &'a [Arg]) {
        for arg in args {
            match (&arg.name, &arg.value.kind) {
                (None, ExprKind::Braced(b)) if b.name.name == WHERE => {
                    self.braced(b, BracedRole::Where)
                }
                (None, ExprKind::Braced(b)) if b.name.name == SELECT => {
                    self.braced(b, BracedRole::Select)
                }
                (Some(n), _) if n.name == LIMIT => self.expr(&arg.value, false),
                _ => {
                    self.emit(
                        Diagnostic::error(
                            codes::MACHINE_CALL,
                            arg.name.as_ref().map_or(arg.value.span, |n| n.span),
                            format!("`{machine}.find` takes `where{{...}}`, `select{{...}}` and `limit: n`"),
                        )
                        .with_help(format!(
                            "as in `{machine}.find(where{{status = \"open\"}}, select{{owner}}, limit: 10)`"
                        )),
                    );
                    self.expr(&arg.value, false);
                }
            }
        }
    }

    /// The argument of `Machine(state).Handle(...)`: one command literal.
    fn handle_arguments(&mut self, call: &'a Call, args: &'a [Arg]) {
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
                self.emit(
                    Diagnostic::error(
                        codes::MACHINE_CALL,
                        call.callee.span,
                        "`Handle` takes one command literal",
                    )
                    .with_help(
                        "name the command and its input: `Machine(state).Handle(Add{n: 1})`",
                    ),
                );
                for arg in args {
                    self.expr(&arg.value, false);
                }
                return;
            }
        };
        self.braced(literal, BracedRole::Command);
        let name = literal.name.name.as_str();
        let found = self.program.machines.commands_named(name);
        match found.as_slice() {
            [] => {
                let all: Vec<&str> = self
                    .program
                    .machines
                    .by_name
                    .values()
                    .flat_map(|m| m.commands.iter().map(|c| c.decl.name.name.as_str()))
                    .collect();
                let help = match suggest::closest(name, all.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "declare it in a machine: `machine M { command Name(input: Type) { ... } }`"
                            .to_string()
                    }
                };
                self.emit(
                    Diagnostic::error(
                        codes::UNKNOWN_COMMAND,
                        literal.name.span,
                        format!("no machine has a command `{name}`"),
                    )
                    .with_help(help),
                );
            }
            [(m, c)] => {
                let Some(h) = c.handler else {
                    return;
                };
                if let Some((what, span)) = first_io(self, h) {
                    let mut d = Diagnostic::error(
                        codes::IMPURE_TRANSITION,
                        literal.name.span,
                        format!("`Handle({name}{{...}})` runs the handler in this run, but it {what}"),
                    )
                    .with_help(format!(
                        "a transition does no I/O; send the command to an instance instead: `{}(key).{name}(...)`",
                        m.name
                    ));
                    if h.file == self.file {
                        d = d.with_label(span, "the I/O is here");
                    }
                    self.emit(d);
                }
            }
            many => {
                let names: Vec<&str> = many.iter().map(|(m, _)| m.name).collect();
                self.emit(
                    Diagnostic::error(
                        codes::MACHINE_CALL,
                        literal.name.span,
                        format!(
                            "the command `{name}` belongs to several machines: {}",
                            crate::machines::quoted(&names)
                        ),
                    )
                    .with_help("rename the command in one of them"),
                );
            }
        }
    }

    /// Walks a braced literal's entries in its role: what the flow
    /// evaluates is walked as expressions; field names and paths are not
    /// reads of variables.
    pub(crate) fn braced(&mut self, b: &'a Braced, role: BracedRole) {
        for entry in &b.entries {
            match (role, entry) {
                (BracedRole::Command, BracedEntry::Field { value, .. })
                | (BracedRole::Command, BracedEntry::Spread(value)) => self.expr(value, false),
                (BracedRole::Command, BracedEntry::Set { target, value })
                    if matches!(target.kind, ExprKind::Name(_)) =>
                {
                    self.expr(value, false)
                }
                (BracedRole::Command, BracedEntry::Expr(e))
                    if matches!(e.kind, ExprKind::Name(_)) =>
                {
                    // `{code}` is `{code: code}`.
                    self.expr(e, false)
                }
                (BracedRole::Where, BracedEntry::Field { value, .. }) => self.expr(value, false),
                (BracedRole::Where, BracedEntry::Set { target, value })
                    if path_of(target).is_some() =>
                {
                    self.expr(value, false)
                }
                (
                    BracedRole::Where,
                    BracedEntry::Expr(Expr {
                        kind: ExprKind::Binary { op, lhs, rhs },
                        ..
                    }),
                ) if is_comparison(*op) && path_of(lhs).is_some() => self.expr(rhs, false),
                (BracedRole::Select, BracedEntry::Expr(e)) if path_of(e).is_some() => {}
                (_, entry) => {
                    let (span, help) = match role {
                        BracedRole::Command => (entry_span(entry), "a command's fields are `name: value`, `name = value` or a variable's name (`{code}` is `{code: code}`)"),
                        BracedRole::Where => (entry_span(entry), "a condition compares a field of the state with a value: `status = \"open\"`, `total > 10`, `activation.code == code`"),
                        BracedRole::Select => (entry_span(entry), "`select` lists fields of the state: `select{userId, email.address}`"),
                    };
                    self.emit(
                        Diagnostic::error(
                            codes::MACHINE_CALL,
                            span,
                            format!("this entry means nothing in `{}{{...}}`", b.name.name),
                        )
                        .with_help(help),
                    );
                    self.braced_values(entry);
                }
            }
        }
    }

    /// Walks every expression of an entry (for an entry that means nothing
    /// in its place: what it reads is still checked).
    fn braced_values(&mut self, entry: &'a BracedEntry) {
        match entry {
            BracedEntry::Field { value, .. } | BracedEntry::Spread(value) => {
                self.expr(value, false)
            }
            BracedEntry::Set { value, .. } => self.expr(value, false),
            BracedEntry::Expr(e) => self.expr(e, false),
        }
    }

    /// A braced literal outside the places that give it a meaning.
    pub(crate) fn misplaced_braced(&mut self, e: &'a Expr, b: &'a Braced) {
        let name = b.name.name.as_str();
        let help = match name {
            WHERE | SELECT => format!("`{name}{{...}}` is an argument of `M.find(...)`"),
            _ => format!(
                "`{name}{{...}}` is a command literal, for `Machine(state).Handle({name}{{...}})`; to send the command to an instance, write `M(key).{name}({{...}})`"
            ),
        };
        self.emit(
            Diagnostic::error(
                codes::MACHINE_CALL,
                e.span,
                format!("`{name}{{...}}` cannot stand here"),
            )
            .with_help(help),
        );
        for entry in &b.entries {
            self.braced_values(entry);
        }
    }

    /// E0305: `fail` inside a `func` or inline flow of a handler.
    pub(crate) fn check_fail_placement(&mut self, call: &'a Call, target: Target<'a>) {
        let Target::Builtin(b) = target else {
            return;
        };
        if b.name != "fail" || !self.in_handler() || self.in_handler_body() {
            return;
        }
        let noun = self.frame().scope.kind.noun();
        self.emit(
            Diagnostic::error(
                codes::FAIL_OUTSIDE_HANDLER_BODY,
                call.callee.span,
                format!("`fail` in a {noun} inside a handler fails the run, not the command"),
            )
            .with_help(format!(
                "return a value from the {noun} and call `fail` in the handler's own body"
            )),
        );
    }
}

/// E0303 for a command `name` that machine `machine` lacks.
pub(crate) fn unknown_command(machine: &str, name: &str, span: Span, known: &[&str]) -> Diagnostic {
    let help = match suggest::closest(name, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => format!("`{machine}` declares no commands"),
        None => format!(
            "the commands of `{machine}` are {}",
            crate::machines::quoted(known)
        ),
    };
    Diagnostic::error(
        codes::UNKNOWN_COMMAND,
        span,
        format!("the machine `{machine}` has no command `{name}`"),
    )
    .with_help(help)
}

fn entry_span(e: &BracedEntry) -> Span {
    match e {
        BracedEntry::Field { key, value } => key.span.to(value.span),
        BracedEntry::Set { target, value } => target.span.to(value.span),
        BracedEntry::Expr(e) | BracedEntry::Spread(e) => e.span,
    }
}

/// The first thing in `h`'s body that does I/O (or waits), with its place:
/// an activity, a flow, an inline flow, a timer, a parallel built-in, an
/// `await`, a machine call. Calls of the handler's own variables (closures)
/// and of pure built-ins do none; their bodies are searched where they are
/// written.
fn first_io<'a>(w: &Walker<'a, '_>, h: crate::machines::Handler<'a>) -> Option<(String, Span)> {
    struct Finder<'w, 'a, 'p> {
        walker: &'w Walker<'a, 'p>,
        locals: Vec<String>,
        found: Option<(String, Span)>,
    }
    impl Visitor<'_> for Finder<'_, '_, '_> {
        fn visit_expr(&mut self, e: &Expr) {
            if self.found.is_some() {
                return;
            }
            match &e.kind {
                ExprKind::Await(_) => {
                    self.found = Some(("waits (`await`)".to_string(), e.span));
                    return;
                }
                ExprKind::Flow(f) => {
                    self.found =
                        Some((format!("starts the inline flow `{}`", f.name.name), e.span));
                    return;
                }
                ExprKind::Call(call) => {
                    let program = &self.walker.program;
                    let locals = &self.locals;
                    let is_machine =
                        |n: &str| program.machines.contains(n) && !locals.iter().any(|l| l == n);
                    if let Some(mc) = lang::machine_call(call, is_machine) {
                        if !matches!(mc.op, MachineOp::Handle { .. }) {
                            self.found = Some((
                                format!("calls the machine `{}`", mc.machine_name()),
                                call.callee.span,
                            ));
                            return;
                        }
                    } else if let Some(name) = call.callee_name() {
                        if !self.locals.iter().any(|l| l == name) {
                            let what = if program.flows.contains_key(name) {
                                Some(format!("calls the flow `{name}`"))
                            } else {
                                match lang::builtin(name) {
                                    Some(b) => match b.kind {
                                        BuiltinKind::Timer | BuiltinKind::Parallel => {
                                            Some(format!("calls `{name}`, which waits"))
                                        }
                                        _ => None,
                                    },
                                    None => Some(format!("calls the activity `{name}`")),
                                }
                            };
                            if let Some(what) = what {
                                self.found = Some((what, call.callee.span));
                                return;
                            }
                        }
                    }
                }
                _ => {}
            }
            visit::walk_expr(self, e);
        }
    }
    let mut locals: Vec<String> = h.params().iter().map(|p| p.name.clone()).collect();
    collect_locals(h.body, &mut locals);
    let mut f = Finder {
        walker: w,
        locals,
        found: None,
    };
    f.visit_block(h.body);
    f.found
}

/// Every name assigned, declared or bound as a parameter anywhere in
/// `body`, nested functions included: the names a call may reach as a
/// closure.
fn collect_locals(body: &Block, out: &mut Vec<String>) {
    struct Names<'o>(&'o mut Vec<String>);
    impl Visitor<'_> for Names<'_> {
        fn visit_stmt(&mut self, s: &Stmt) {
            match &s.kind {
                StmtKind::Let { name, .. } | StmtKind::For { var: name, .. } => {
                    self.0.push(name.name.clone())
                }
                StmtKind::Assign { target, .. } => {
                    if let ExprKind::Name(n) = &target.kind {
                        self.0.push(n.clone());
                    }
                }
                _ => {}
            }
            visit::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Lambda(l) = &e.kind {
                self.0.extend(l.params.iter().map(|p| p.name.clone()));
            }
            visit::walk_expr(self, e);
        }
    }
    Names(out).visit_block(body);
}

//! Machines: their declarations (E0300-E0302), and the model of a
//! program's machines that the walk and the typing read.
//!
//! Declarations of one name form one machine: members may be spread over
//! several `machine Name { ... }` blocks, in any file (so the seed's
//! `machine channels { ... }` can stay as written while another block adds
//! its handlers). A machine has at most one `state`; each command is
//! declared once, by `command Name(...)` or by its shape `Name { ... }`, and
//! has at most one handler (its own body, or an `on Name(...)` member).
//!
//! Handlers are walked like flows (`walk::check_handler`), with `state`,
//! `key` and their input as parameters.

mod walk;

pub(crate) use walk::{path_of, SELECT};

use crate::codes;
use crate::contract::types::{Field, Type};
use crate::SourceFile;
use std::collections::BTreeMap;
use weft_syntax::ast::*;
use weft_syntax::{lang, Diagnostic, Span};

/// Commands a machine may not declare: these names are the instance
/// methods of `M(key).get()` and `M.find(...)`.
pub const RESERVED_COMMANDS: &[&str] = &["get", "find"];

/// The machines of a program, by name.
#[derive(Default)]
pub(crate) struct Index<'a> {
    /// Each machine, with its members gathered from every declaration.
    pub by_name: BTreeMap<&'a str, Machine<'a>>,
}

/// One machine, gathered from its declarations.
pub(crate) struct Machine<'a> {
    /// Its name.
    pub name: &'a str,
    /// The file and declaration seen first (for messages).
    pub first: (usize, &'a MachineDecl),
    /// Its `state { ... }`, if declared.
    pub state: Option<(usize, &'a StateDecl)>,
    /// Its commands, in the order they are declared.
    pub commands: Vec<Command<'a>>,
}

/// A command of a machine.
pub(crate) struct Command<'a> {
    /// The file of its declaration.
    pub file: usize,
    /// The declaration.
    pub decl: &'a CommandDecl,
    /// Its handler, when written.
    pub handler: Option<Handler<'a>>,
}

/// A command's handler: its own body or an `on` member.
#[derive(Clone, Copy)]
pub(crate) struct Handler<'a> {
    /// The file that holds the body.
    pub file: usize,
    /// `state` and `key`.
    pub implicit: &'a [Ident],
    /// The input's name.
    pub param: Option<&'a Ident>,
    /// The body.
    pub body: &'a Block,
}

impl<'a> Handler<'a> {
    /// The names the body starts with: `state`, `key`, then the input.
    pub fn params(&self) -> Vec<&'a Ident> {
        self.implicit.iter().chain(self.param).collect()
    }
}

impl<'a> Machine<'a> {
    /// The command called `name`.
    pub fn command(&self, name: &str) -> Option<&Command<'a>> {
        self.commands.iter().find(|c| c.decl.name.name == name)
    }

    /// The type of the state: the `state` shape as a closed object, or
    /// anything when the machine declares no state.
    pub fn state_type(&self) -> Type {
        match self.state {
            Some((_, s)) => shape_type(&s.shape, Role::State),
            None => Type::Any,
        }
    }

    /// What the calls that read or change an instance return:
    /// `{key, state, version}`.
    pub fn instance_type(&self) -> Type {
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

impl Command<'_> {
    /// The type of the command's input.
    pub fn input_type(&self) -> Type {
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

/// What a shape describes: its fields are optional for different reasons.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A state: a field without a default may be missing (nothing set it
    /// yet).
    State,
    /// A command's input: a field with a default may be left out (it takes
    /// the default), and so may a nested shape.
    Input,
}

/// A shape as a closed object type (see `docs/language.md`, machines, for
/// the rules this follows; the engine follows the same ones).
pub(crate) fn shape_type(shape: &Shape, role: Role) -> Type {
    let fields = shape
        .fields
        .iter()
        .map(|f| {
            let ty = match (&f.ty, &f.default, &f.nested) {
                (Some(t), _, _) => Type::from_ast(t),
                (None, _, Some(n)) => shape_type(n, role),
                (None, Some(d), None) => default_type(d),
                (None, None, None) => Type::Any,
            };
            let optional = f.optional
                || f.nested.is_some()
                || match role {
                    Role::State => f.default.is_none(),
                    Role::Input => f.default.is_some(),
                };
            Field {
                name: f.key.name.clone(),
                ty,
                optional,
            }
        })
        .collect();
    Type::Object {
        fields,
        open: false,
    }
}

/// The type a default gives a field that has no type written.
pub(crate) fn default_type(e: &Expr) -> Type {
    match &e.unparen().kind {
        ExprKind::String(_) => Type::String,
        ExprKind::Number(_) => Type::Number,
        ExprKind::Unary { operand, .. } if matches!(operand.kind, ExprKind::Number(_)) => {
            Type::Number
        }
        ExprKind::Bool(_) => Type::Bool,
        ExprKind::Duration { .. } => Type::Duration,
        ExprKind::Array(_) => Type::List(Box::new(Type::Any)),
        ExprKind::Object(_) => Type::Object {
            fields: Vec::new(),
            open: true,
        },
        _ => Type::Any,
    }
}

fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.to_string(),
        ty,
        optional: false,
    }
}

impl<'a> Index<'a> {
    /// Gathers the machines of `files`, reporting members declared twice and
    /// handlers of no command (E0300) into `out`.
    pub fn build(files: &[SourceFile<'a>], out: &mut [Vec<Diagnostic>]) -> Index<'a> {
        let mut index = Index::default();
        let mut handlers: Vec<(usize, &'a HandlerDecl, &'a str)> = Vec::new();
        for (file, source) in files.iter().enumerate() {
            for decl in source.module.machines() {
                let name = decl.name.name.as_str();
                if name.is_empty() {
                    continue;
                }
                let m = index.by_name.entry(name).or_insert_with(|| Machine {
                    name,
                    first: (file, decl),
                    state: None,
                    commands: Vec::new(),
                });
                for member in &decl.members {
                    match member {
                        MachineMember::State(s) => match m.state {
                            Some((f, first)) => out[file].push(twice(
                                files,
                                file,
                                s.span.start_span(5),
                                format!("the machine `{name}` already has a `state`"),
                                (f, first.span.start_span(5)),
                                "merge the fields into one `state { ... }`",
                            )),
                            None => m.state = Some((file, s)),
                        },
                        MachineMember::Command(c) => {
                            if let Some(first) = m.command(&c.name.name) {
                                out[file].push(twice(
                                    files,
                                    file,
                                    c.name.span,
                                    format!(
                                        "the machine `{name}` already has a command `{}`",
                                        c.name.name
                                    ),
                                    (first.file, first.decl.name.span),
                                    "rename one of them, or write its handler in an `on` member",
                                ));
                                continue;
                            }
                            let handler = c.body.as_ref().map(|body| Handler {
                                file,
                                implicit: &c.implicit,
                                param: c.param.as_ref().map(|p| &p.name),
                                body,
                            });
                            m.commands.push(Command {
                                file,
                                decl: c,
                                handler,
                            });
                        }
                        MachineMember::Handler(h) => handlers.push((file, h, name)),
                        MachineMember::Error(_) => {}
                    }
                }
            }
        }
        // Handlers last: the command may be declared after them, or in
        // another file.
        for (file, h, machine) in handlers {
            let Some(m) = index.by_name.get_mut(machine) else {
                continue;
            };
            let known: Vec<&str> = m
                .commands
                .iter()
                .map(|c| c.decl.name.name.as_str())
                .collect();
            let Some(c) = m
                .commands
                .iter_mut()
                .find(|c| c.decl.name.name == h.name.name)
            else {
                let help = match crate::suggest::closest(&h.name.name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => format!(
                        "declare the command first: `{} {{ fields }}` or `command {}(input: Type)`",
                        h.name.name, h.name.name
                    ),
                    None => format!("the commands of `{machine}` are {}", quoted(&known)),
                };
                out[file].push(
                    Diagnostic::error(
                        codes::UNKNOWN_COMMAND,
                        h.name.span,
                        format!("the machine `{machine}` has no command `{}`", h.name.name),
                    )
                    .with_help(help),
                );
                continue;
            };
            if let Some(first) = c.handler {
                let first_span = Span::new(
                    first.body.span.start as usize,
                    first.body.span.start as usize + 1,
                );
                out[file].push(twice(
                    files,
                    file,
                    h.name.span,
                    format!("the command `{}` already has a handler", h.name.name),
                    (first.file, first_span),
                    "a command has one handler: merge the two",
                ));
                continue;
            }
            c.handler = Some(Handler {
                file,
                implicit: &h.implicit,
                param: h.param.as_ref(),
                body: &h.body,
            });
        }
        index
    }

    /// The machine called `name`.
    pub fn get(&self, name: &str) -> Option<&Machine<'a>> {
        self.by_name.get(name)
    }

    /// True when `name` is a machine of the program.
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Every handler of every machine, with its machine and command.
    pub fn handlers(&self) -> impl Iterator<Item = (&Machine<'a>, &Command<'a>, Handler<'a>)> {
        self.by_name.values().flat_map(|m| {
            m.commands
                .iter()
                .filter_map(move |c| c.handler.map(|h| (m, c, h)))
        })
    }

    /// The commands called `name`, with their machines (a command literal
    /// `Name{...}` names a command of any machine).
    pub fn commands_named(&self, name: &str) -> Vec<(&Machine<'a>, &Command<'a>)> {
        self.by_name
            .values()
            .filter_map(|m| m.command(name).map(|c| (m, c)))
            .collect()
    }
}

/// `a`, `b` and `c` as "`a`, `b`, `c`".
pub(crate) fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// E0300: something declared twice; `first` is the first declaration.
fn twice(
    files: &[SourceFile<'_>],
    file: usize,
    span: Span,
    message: String,
    first: (usize, Span),
    help: &str,
) -> Diagnostic {
    let d = Diagnostic::error(codes::MACHINE_MEMBER, span, message);
    if first.0 == file {
        d.with_label(first.1, "first declared here").with_help(help)
    } else {
        d.with_help(format!(
            "{help} (the first is in `{}`)",
            files[first.0].name
        ))
    }
}

/// The first `n` bytes of a span (a keyword at its start).
trait StartSpan {
    fn start_span(self, n: u32) -> Span;
}

impl StartSpan for Span {
    fn start_span(self, n: u32) -> Span {
        Span {
            start: self.start,
            end: (self.start + n).min(self.end),
        }
    }
}

/// Checks the declarations of every machine: names (E0301) and shapes
/// (E0302). Unknown type names in shapes and parameters are E0201, as in
/// activity declarations.
pub(crate) fn check_declarations(
    files: &[SourceFile<'_>],
    program: &crate::program::Program<'_>,
    contracts: &crate::contract::Contracts<'_>,
    out: &mut [Vec<Diagnostic>],
) {
    for (file, source) in files.iter().enumerate() {
        for decl in source.module.machines() {
            let diags = &mut out[file];
            let name = decl.name.name.as_str();
            if program
                .machines
                .get(name)
                .is_some_and(|m| std::ptr::eq(m.first.1, decl))
            {
                clash(decl, program, contracts, diags);
            }
            for member in &decl.members {
                match member {
                    MachineMember::State(s) => shape(&s.shape, true, contracts, diags),
                    MachineMember::Command(c) => {
                        if RESERVED_COMMANDS.contains(&c.name.name.as_str()) {
                            diags.push(
                                Diagnostic::error(
                                    codes::MACHINE_NAME_CLASH,
                                    c.name.span,
                                    format!("a command cannot be named `{}`", c.name.name),
                                )
                                .with_help(format!(
                                    "`M(key).get()` and `M.find(...)` read instances: name the command otherwise (`{}{}`)",
                                    c.name.name[..1].to_uppercase(),
                                    &c.name.name[1..]
                                )),
                            );
                        }
                        if let Some(s) = &c.shape {
                            shape(s, true, contracts, diags);
                        }
                        if let Some(CommandParam { ty: Some(t), .. }) = &c.param {
                            crate::declarations::type_expr(t, contracts, diags);
                        }
                    }
                    MachineMember::Handler(_) | MachineMember::Error(_) => {}
                }
            }
        }
    }
}

/// E0301: the machine's name means something else too.
fn clash(
    decl: &MachineDecl,
    program: &crate::program::Program<'_>,
    contracts: &crate::contract::Contracts<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let name = decl.name.name.as_str();
    let what = if program.flows.contains_key(name) {
        "a flow of the program"
    } else if contracts.activities.contains_key(name) {
        "a declared activity"
    } else if lang::builtin(name).is_some() {
        "a built-in"
    } else if name == lang::MACHINE_VALUE {
        "the receiver of the pure transition `Machine(state).Handle(...)`"
    } else {
        return;
    };
    diags.push(
        Diagnostic::error(
            codes::MACHINE_NAME_CLASH,
            decl.name.span,
            format!("the machine `{name}` has the name of {what}"),
        )
        .with_help("`Name(key).Command(...)` must mean one thing: rename the machine"),
    );
}

/// E0302 for the fields of a shape (and its nested shapes), W0310 for a
/// nested shape named almost like a choice. `top` is false in a nested
/// shape, whose fields may be bare names (`email {address}` lists the
/// fields of a record, of any type).
fn shape(
    s: &Shape,
    top: bool,
    contracts: &crate::contract::Contracts<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    variants(s, diags);
    let mut seen: Vec<&Key> = Vec::new();
    for f in &s.fields {
        if let Some(first) = seen.iter().find(|k| k.name == f.key.name) {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    f.key.span,
                    format!("the field `{}` is declared twice", f.key.name),
                )
                .with_label(first.span, "first declared here")
                .with_help("keep one of them"),
            );
        }
        seen.push(&f.key);
        if let Some(t) = &f.ty {
            crate::declarations::type_expr(t, contracts, diags);
        }
        if let Some(n) = &f.nested {
            shape(n, false, contracts, diags);
        }
        if top && f.ty.is_none() && f.default.is_none() && f.nested.is_none() {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    f.key.span,
                    format!("the field `{}` has neither a type nor a default", f.key.name),
                )
                .with_help(format!(
                    "give it a type (`{0}: bool`), a default (`{0} = false`) or both (`{0}: bool = false`)",
                    f.key.name
                )),
            );
        }
        let Some(d) = &f.default else {
            continue;
        };
        if !is_constant(d) {
            diags.push(
                Diagnostic::error(
                    codes::SHAPE_FIELD,
                    d.span,
                    format!("the default of `{}` is not a constant", f.key.name),
                )
                .with_help("a default is a literal: a string, a number, `true`, `false`, `null`, a duration, or a list or object of those"),
            );
            continue;
        }
        if let Some(t) = &f.ty {
            let declared = Type::from_ast(t);
            let value = constant_type(d);
            if !contracts.types.assignable(&value, &declared) {
                diags.push(
                    Diagnostic::error(
                        codes::SHAPE_FIELD,
                        d.span,
                        format!(
                            "the default of `{}` must be `{declared}`, but this is `{value}`",
                            f.key.name
                        ),
                    )
                    .with_help("change the default or the type"),
                );
            }
        }
    }
}

/// W0310: a nested shape whose name is close to, but not, a choice of a
/// field of the same shape (the seed's `type = "email" | "phoneNo" |
/// "push"` beside `phone {number}`): the record of a variant is named like
/// the variant.
fn variants(s: &Shape, diags: &mut Vec<Diagnostic>) {
    let mut choices: Vec<(&str, &str)> = Vec::new();
    for f in &s.fields {
        let Some(TypeExpr {
            kind: TypeKind::Union(members),
            ..
        }) = &f.ty
        else {
            continue;
        };
        for m in members {
            if let TypeKind::Literal(text) = &m.kind {
                choices.push((f.key.name.as_str(), text.as_str()));
            }
        }
    }
    if choices.is_empty() {
        return;
    }
    for f in &s.fields {
        if f.nested.is_none() || choices.iter().any(|(_, c)| *c == f.key.name) {
            continue;
        }
        // A typo, or a choice that abbreviates or extends the name
        // (`phone` and `phoneNo`).
        let name = f.key.name.as_str();
        let close = crate::suggest::closest(name, choices.iter().map(|(_, c)| *c)).or_else(|| {
            choices.iter().map(|(_, c)| *c).find(|c| {
                name.len() >= 3 && c.len() >= 3 && (c.starts_with(name) || name.starts_with(c))
            })
        });
        let Some(close) = close else {
            continue;
        };
        let field = choices
            .iter()
            .find(|(_, c)| *c == close)
            .map_or("", |(f, _)| *f);
        diags.push(
            Diagnostic::warning(
                codes::SHAPE_VARIANT,
                f.key.span,
                format!(
                    "`{}` is named like no choice of `{field}`; did you mean {close:?}?",
                    f.key.name
                ),
            )
            .with_help(format!(
                "the record of a variant is named like its choice: rename `{}` to `{close}`, or the choice to {:?}",
                f.key.name, f.key.name
            )),
        );
    }
}

/// True for literals, lists and objects of literals, and negated numbers.
pub(crate) fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Duration { .. }
        | ExprKind::Bool(_)
        | ExprKind::Null => true,
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::Plus,
            operand,
        } => matches!(
            operand.kind,
            ExprKind::Number(_) | ExprKind::Duration { .. }
        ),
        ExprKind::Paren(inner) => is_constant(inner),
        ExprKind::Array(items) => items.iter().all(is_constant),
        ExprKind::Object(entries) => entries.iter().all(|en| match en {
            ObjectEntry::Field { value, .. } => is_constant(value),
            ObjectEntry::Spread(_) => false,
        }),
        _ => false,
    }
}

/// The type of a constant, as precise as the checker compares: a string
/// default is that string (so it fits a union of choices).
fn constant_type(e: &Expr) -> Type {
    match &e.unparen().kind {
        ExprKind::String(s) => Type::Literal(s.clone()),
        ExprKind::Number(v) if v.fract() == 0.0 => Type::Int,
        ExprKind::Null => Type::Null,
        ExprKind::Array(items) => {
            let mut members: Vec<Type> = Vec::new();
            for item in items {
                let t = constant_type(item);
                if !members.contains(&t) {
                    members.push(t);
                }
            }
            Type::List(Box::new(match members.len() {
                0 => Type::Any,
                1 => members.pop().unwrap_or(Type::Any),
                _ => Type::Union(members),
            }))
        }
        ExprKind::Object(entries) => Type::Object {
            fields: entries
                .iter()
                .filter_map(|en| match en {
                    ObjectEntry::Field { key, value } => {
                        Some(field(&key.name, constant_type(value)))
                    }
                    ObjectEntry::Spread(_) => None,
                })
                .collect(),
            open: false,
        },
        _ => default_type(e),
    }
}

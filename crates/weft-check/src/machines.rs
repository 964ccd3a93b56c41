//! Machines: the model of a program's machines that the walk and the
//! typing read, gathered from their declarations (E0300 for members
//! declared twice, E0303 for handlers of no command).
//!
//! Declarations of one name form one machine: members may be spread over
//! several `machine Name { ... }` blocks, in any file (so the seed's
//! `machine channels { ... }` can stay as written while another block adds
//! its handlers). A machine has at most one `state`; each command is
//! declared once, by `command Name(...)` or by its shape `Name { ... }`, and
//! has at most one handler (its own body, or an `on Name(...)` member).
//!
//! Handlers are walked like flows (`walk::check_handler`), with `state`,
//! `key` and their input as parameters; the calls that talk to machines
//! are walked in `machine_calls`, typed in `typing`, and the declarations'
//! own checks (names, shapes) are in `machine_decls`.

use crate::codes;
use crate::SourceFile;
use std::collections::BTreeMap;
use weft_syntax::ast::*;
use weft_syntax::{Diagnostic, Span};

/// Commands a machine may not declare: `get` and `find` read instances
/// (`M(key).get()`, `M.find(...)`), and `history` is a path of the API
/// (`/v1/machines/{machine}/{key}/history`).
pub const RESERVED_COMMANDS: &[&str] = &["get", "find", "history"];

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

/// The name of a query's conditions.
pub(crate) const WHERE: &str = "where";
/// The name of a query's picked fields.
pub(crate) const SELECT: &str = "select";
/// The named argument of `M.find(...)` that bounds the answer.
pub(crate) const LIMIT: &str = "limit";

/// A field path: `a`, `a.b.c`.
pub(crate) fn path_of(e: &Expr) -> Option<Vec<&str>> {
    match &e.kind {
        ExprKind::Name(n) => Some(vec![n.as_str()]),
        ExprKind::Member { object, name } => {
            let mut p = path_of(object)?;
            p.push(&name.name);
            Some(p)
        }
        ExprKind::Paren(inner) => path_of(inner),
        _ => None,
    }
}

/// True for the operators a `where` condition may compare with.
pub(crate) fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

//! The tree of `machine` declarations and of the expressions that talk to
//! machines (`Cmd{...}`, `where{...}`, `select{...}`).
//!
//! A machine is durable state addressed by a key, changed by commands that
//! are applied one at a time. Its declaration gives the state's shape, the
//! commands with their inputs, and each command's handler: a body in the
//! flow language that reads `state`, `key` and its input and returns the new
//! state. Two forms are accepted, and may be mixed:
//!
//! ```text
//! machine Counter {                       machine channels {
//!     state { total: number = 0 }             NewCommChannel{ userId="", type = "email" | "push" }
//!     command Add(input: {n: number}) {       Confirm{ code="" }
//!         return {total: state.total + input.n}
//!     }                                       on Confirm(input) { ... }
//! }                                       }
//! ```

use crate::ast::{Block, Expr, Ident, Key, TypeExpr};
use crate::span::Span;

/// `machine Name { members }`. Several declarations of one name form one
/// machine (a second declaration may add the handlers of the first's
/// commands).
#[derive(Clone, Debug, PartialEq)]
pub struct MachineDecl {
    /// The machine's name, as flows and the API address it.
    pub name: Ident,
    /// Its members, in source order.
    pub members: Vec<MachineMember>,
    /// From `machine` to the closing brace.
    pub span: Span,
}

impl MachineDecl {
    /// The commands declared here, in order.
    pub fn commands(&self) -> impl Iterator<Item = &CommandDecl> {
        self.members.iter().filter_map(|m| match m {
            MachineMember::Command(c) => Some(c),
            _ => None,
        })
    }

    /// The `on` handlers written here, in order.
    pub fn handlers(&self) -> impl Iterator<Item = &HandlerDecl> {
        self.members.iter().filter_map(|m| match m {
            MachineMember::Handler(h) => Some(h),
            _ => None,
        })
    }

    /// The `state { ... }` blocks written here (one is allowed per machine;
    /// the checker reports a second).
    pub fn states(&self) -> impl Iterator<Item = &StateDecl> {
        self.members.iter().filter_map(|m| match m {
            MachineMember::State(s) => Some(s),
            _ => None,
        })
    }
}

/// A member of a machine's body.
#[derive(Clone, Debug, PartialEq)]
pub enum MachineMember {
    /// `state { fields }`: the state's shape and initial values.
    State(StateDecl),
    /// `command Name(input: Type) { handler }` or the seed's
    /// `Name { fields }`.
    Command(CommandDecl),
    /// `on Name(input) { handler }`: the handler of a command declared by
    /// its shape.
    Handler(HandlerDecl),
    /// A member that did not parse; a diagnostic says why.
    Error(Span),
}

impl MachineMember {
    /// Where the member is written.
    pub fn span(&self) -> Span {
        match self {
            MachineMember::State(s) => s.span,
            MachineMember::Command(c) => c.span,
            MachineMember::Handler(h) => h.span,
            MachineMember::Error(s) => *s,
        }
    }
}

/// `state { fields }`
#[derive(Clone, Debug, PartialEq)]
pub struct StateDecl {
    /// The fields, with their types and initial values.
    pub shape: Shape,
    /// From `state` to the closing brace.
    pub span: Span,
}

/// A command: what it takes and, usually, its handler.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandDecl {
    /// Its name, as senders address it.
    pub name: Ident,
    /// How it was written (the formatter writes it back the same way).
    pub form: CommandForm,
    /// `command Name(input: Type)`: the input's name and type. `None` for
    /// `command Name()` and for the shape form.
    pub param: Option<CommandParam>,
    /// The shape form's fields: `Name { field = default, ... }`.
    pub shape: Option<Shape>,
    /// The handler's body (`command Name(...) { ... }`); `None` when the
    /// handler is an `on` member, or not written at all.
    pub body: Option<Block>,
    /// `state` and `key` as the handler sees them: names the parser gives
    /// every handler (their spans are the command's name).
    pub implicit: Vec<Ident>,
    /// From `command` (or the name) to the end.
    pub span: Span,
}

/// How a command was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandForm {
    /// `command Name(input: Type) { ... }`
    Keyword,
    /// `Name { fields }`, as the seed writes commands.
    Shape,
}

/// The input parameter of `command Name(input: Type)`.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandParam {
    /// The name the handler reads the input by.
    pub name: Ident,
    /// Its type; `None` when not written (anything).
    pub ty: Option<TypeExpr>,
}

/// `on Name(input) { ... }`: the handler of command `Name`.
#[derive(Clone, Debug, PartialEq)]
pub struct HandlerDecl {
    /// The command it handles.
    pub name: Ident,
    /// The input's name in the body; `None` for `on Name() { }`.
    pub param: Option<Ident>,
    /// The body.
    pub body: Block,
    /// `state` and `key`, as in [`CommandDecl::implicit`].
    pub implicit: Vec<Ident>,
    /// From `on` to the closing brace.
    pub span: Span,
}

/// The fields of a state or of a command's input: `{ name: Type = default,
/// other = "x", kind = "a" | "b", nested { inner } }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The fields, in order.
    pub fields: Vec<ShapeField>,
    /// From `{` to `}`.
    pub span: Span,
}

/// A field of a [`Shape`]. Which parts are present tells how it was
/// written:
///
/// | written | `ty` | `default` | `nested` |
/// |---|---|---|---|
/// | `name: T` | yes | | |
/// | `name: T = e` | yes | yes | |
/// | `name = e` | | yes | |
/// | `name = "a" \| "b"` | yes (`choice`) | | |
/// | `name { ... }` | | | yes |
/// | `name` | | | |
///
/// A bare `name` has neither a type nor a default: the checker reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeField {
    /// The field's name.
    pub key: Key,
    /// `name?: T`: the field may be missing.
    pub optional: bool,
    /// Its type, when written.
    pub ty: Option<TypeExpr>,
    /// True for `name = "a" | "b"`: the type (a union of strings) was
    /// written after `=`, as the seed does, and the field has no default.
    pub choice: bool,
    /// Its initial value (state) or the value it takes when the sender
    /// leaves it out (input).
    pub default: Option<Expr>,
    /// `name { ... }`: a nested shape.
    pub nested: Option<Shape>,
    /// From the name to the end of the field.
    pub span: Span,
}

/// `Name{ entries }`: a command literal (`Machine(state).Handle(Add{n: 1})`),
/// or the `where{...}` and `select{...}` of a query
/// (`channels.find(where{type = "email"}, select{userId})`).
#[derive(Clone, Debug, PartialEq)]
pub struct Braced {
    /// The name before the brace.
    pub name: Ident,
    /// The entries, in order.
    pub entries: Vec<BracedEntry>,
}

/// An entry of a [`Braced`] literal.
#[derive(Clone, Debug, PartialEq)]
pub enum BracedEntry {
    /// `name: value`
    Field {
        /// The field.
        key: Key,
        /// Its value.
        value: Expr,
    },
    /// `path = value`, as the seed writes fields of commands and
    /// conditions of `where`.
    Set {
        /// The field (a name, or a path such as `activation.code`).
        target: Expr,
        /// Its value.
        value: Expr,
    },
    /// An expression alone: a field that takes the variable of its name
    /// (`{code}`), a field path (`select{userId}`), or a condition
    /// (`where{total > 10}`).
    Expr(Expr),
    /// `..value`: the fields of an object.
    Spread(Expr),
}

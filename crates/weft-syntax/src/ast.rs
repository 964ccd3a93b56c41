//! The abstract syntax tree of a Weft module. Every node carries its span.
//!
//! The tree is the contract between the front end and everything after it:
//! the checker, the formatter, the compiler and the language server read it
//! and nothing else.

use crate::lexer::Comment;
use crate::span::Span;

mod machines;
mod triggers;
pub use machines::*;
pub use triggers::*;

/// A parsed source file: flows and declarations, plus its comments.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Module {
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Every comment of the file, in order (the formatter puts them back).
    pub comments: Vec<Comment>,
}

impl Module {
    /// The top-level flows, in source order.
    pub fn flows(&self) -> impl Iterator<Item = &FlowDecl> {
        self.items.iter().filter_map(|item| match item {
            Item::Flow(f) => Some(f),
            _ => None,
        })
    }

    /// The activity declarations (contracts), in source order.
    pub fn activities(&self) -> impl Iterator<Item = &ActivityDecl> {
        self.items.iter().filter_map(|item| match item {
            Item::Activity(a) => Some(a),
            _ => None,
        })
    }

    /// The `type` declarations, in source order.
    pub fn types(&self) -> impl Iterator<Item = &TypeDecl> {
        self.items.iter().filter_map(|item| match item {
            Item::Type(t) => Some(t),
            _ => None,
        })
    }

    /// The `machine` declarations, in source order.
    pub fn machines(&self) -> impl Iterator<Item = &MachineDecl> {
        self.items.iter().filter_map(|item| match item {
            Item::Machine(m) => Some(m),
            _ => None,
        })
    }

    /// The trigger declarations (`sdk.TaskQueue({...})`), in source order.
    pub fn triggers(&self) -> impl Iterator<Item = &TriggerDecl> {
        self.items.iter().filter_map(|item| match item {
            Item::Trigger(t) => Some(t),
            _ => None,
        })
    }

    /// The top-level flow called `name`.
    pub fn flow(&self, name: &str) -> Option<&FlowDecl> {
        self.flows().find(|f| f.name.name == name)
    }
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `flow Name(params) { ... }`
    Flow(FlowDecl),
    /// `activity Name(param: Type, ...) -> Type @binding(...)`: the
    /// contract of an activity. Declarations are for tools (the checker,
    /// stub generators, the server's HTTP bindings); the compiler ignores
    /// them.
    Activity(ActivityDecl),
    /// `type Name = Type`: a named type for declarations.
    Type(TypeDecl),
    /// `machine Name { ... }`: durable state addressed by a key, changed
    /// by commands (see [`MachineDecl`]).
    Machine(MachineDecl),
    /// `sdk.TaskQueue({type: [...], where: ..., run: "Flow"})`: starts a
    /// flow for each event that matches (see [`TriggerDecl`]).
    Trigger(TriggerDecl),
}

impl Item {
    /// From the item's first keyword to its end.
    pub fn span(&self) -> Span {
        match self {
            Item::Flow(f) => f.span,
            Item::Activity(a) => a.span,
            Item::Type(t) => t.span,
            Item::Machine(m) => m.span,
            Item::Trigger(t) => t.span,
        }
    }
}

/// `activity Name(param: Type, opt?: Type) -> Result @http(...)`
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityDecl {
    /// The activity's name, as flows call it.
    pub name: Ident,
    /// Its parameters, in order.
    pub params: Vec<ParamDecl>,
    /// The type of its result (of the callback's value under `await`);
    /// `None` when not written (anything).
    pub result: Option<TypeExpr>,
    /// Annotations of the declaration, such as `@http(...)`, in order.
    pub annotations: Vec<Annotation>,
    /// From `activity` to the end of the last annotation or type.
    pub span: Span,
}

impl ActivityDecl {
    /// The annotation called `name`, if present.
    pub fn annotation(&self, name: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.name.name == name)
    }
}

/// A parameter of an activity declaration: `name: Type` or `name?: Type`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    /// Its name (named arguments use it).
    pub name: Ident,
    /// True for `name?: Type`: a call may leave it out.
    pub optional: bool,
    /// Its type.
    pub ty: TypeExpr,
    /// From the name to the end of the type.
    pub span: Span,
}

/// `type Name = Type`
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    /// The type's name.
    pub name: Ident,
    /// What it stands for.
    pub ty: TypeExpr,
    /// From `type` to the end of the type.
    pub span: Span,
}

/// A type written in a declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// What it is.
    pub kind: TypeKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of type expression.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A built-in type (`string`, `number`, `int`, `bool`, `null`, `any`,
    /// `duration`, `time`) or the name of a `type` declaration.
    Name(String),
    /// `[T]`: a list of `T`.
    List(Box<TypeExpr>),
    /// `{name: T, opt?: U}` (closed) or `{name: T, ..}` (open).
    Object(ObjectType),
    /// `T | U | ...`: any of the members (at least two).
    Union(Vec<TypeExpr>),
    /// `"email"`: exactly this string (a member of a union of choices,
    /// such as `"email" | "phone" | "push"`).
    Literal(String),
    /// A type that did not parse; a diagnostic says why.
    Error,
}

/// An object type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectType {
    /// The declared fields, in order.
    pub fields: Vec<FieldType>,
    /// Where `..` is written, for an open object: it may have fields other
    /// than the declared ones. A closed object (no `..`) has only these.
    pub open: Option<Span>,
}

/// A field of an object type: `name: T` or `name?: T`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    /// The field's name.
    pub key: Key,
    /// True for `name?: T`: the field may be missing (or `null`).
    pub optional: bool,
    /// Its type.
    pub ty: TypeExpr,
}

/// A name with its location.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// How a flow was written; the formatter writes it back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowForm {
    /// `flow Name(...) { ... }`, at top level or as an expression.
    Keyword,
    /// `Name(args) { ... }`: a call followed by a block, an inline sub-flow
    /// whose inputs are the call's arguments.
    CallBlock,
}

/// A flow: a top-level declaration or an inline sub-flow.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowDecl {
    /// Its name.
    pub name: Ident,
    /// Its parameters (top level) or inputs (inline).
    pub params: Vec<Param>,
    /// Its body.
    pub body: Block,
    /// How it was written.
    pub form: FlowForm,
    /// From `flow` (or the name) to the closing brace.
    pub span: Span,
}

/// A parameter of a flow or lambda, or an input of an inline flow.
///
/// A top-level flow or lambda parameter is a plain name (`value` is `None`).
/// An inline flow's inputs are evaluated in the enclosing flow when the
/// sub-flow starts: a plain name `x` passes the enclosing `x` under the same
/// name, `name: expr` passes `expr` under `name`, and any other expression
/// (such as `plan.criteria`) is evaluated and shown in the child's input but
/// binds no name.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name bound in the flow's body, if any.
    pub name: Option<Ident>,
    /// The expression evaluated by the enclosing flow, for inline inputs
    /// other than a plain name.
    pub value: Option<Expr>,
    /// Where the parameter is written.
    pub span: Span,
}

/// `{ statements }`
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The statements, in order.
    pub stmts: Vec<Stmt>,
    /// From `{` to `}`.
    pub span: Span,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it is.
    pub span: Span,
}

/// The operator of an assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
}

impl AssignOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignOp::Set => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
        }
    }

    /// The binary operator a compound assignment applies, if any.
    pub fn binary(self) -> Option<BinaryOp> {
        match self {
            AssignOp::Set => None,
            AssignOp::Add => Some(BinaryOp::Add),
            AssignOp::Sub => Some(BinaryOp::Sub),
            AssignOp::Mul => Some(BinaryOp::Mul),
            AssignOp::Div => Some(BinaryOp::Div),
        }
    }
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `let x = e` or `var x = e` (`var x` alone starts at `null`).
    Let {
        /// True for `var`.
        var: bool,
        /// The declared name.
        name: Ident,
        /// The initial value.
        value: Option<Expr>,
    },
    /// `place = e`, `place += e`, ... where place is a name, `a.b` or `a[i]`.
    /// A plain name declares the variable on its first assignment.
    Assign {
        /// What is assigned.
        target: Expr,
        /// `=` or a compound operator.
        op: AssignOp,
        /// The new value.
        value: Expr,
    },
    /// `value, err = call` (also after `let` or `var`): a call whose
    /// failure for good is a value. On success `value` gets the result and
    /// `err` is `null`; when the call fails for good (after its `@retry`),
    /// `value` is `null` and `err` the error (`{message, attempts}`).
    TryAssign {
        /// `let` or `var` when written (it declares both names).
        declare: Option<Declare>,
        /// What gets the call's result.
        value: Ident,
        /// What gets its error.
        err: Ident,
        /// The call (maybe under `await`).
        call: Expr,
    },
    /// `place++` or `place--`.
    IncDec {
        /// What is changed.
        target: Expr,
        /// True for `++`.
        increment: bool,
    },
    /// `if c { } else if d { } else { }`
    If(IfStmt),
    /// `while c { }`
    While {
        /// Loop condition.
        cond: Expr,
        /// Loop body.
        body: Block,
    },
    /// `for x in e { }`
    For {
        /// The loop variable.
        var: Ident,
        /// The list (or object keys, or range) iterated over.
        iterable: Expr,
        /// Loop body.
        body: Block,
    },
    /// `return`, `return e`, `return(e)`.
    Return {
        /// The returned value; `None` returns `null`.
        value: Option<Expr>,
    },
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// An expression evaluated for its effect, such as a call.
    Expr(Expr),
    /// A statement that did not parse; a diagnostic says why.
    Error,
}

/// The keyword that declares the names of a [`StmtKind::TryAssign`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declare {
    /// `let`
    Let,
    /// `var`
    Var,
}

impl Declare {
    /// The keyword as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Declare::Let => "let",
            Declare::Var => "var",
        }
    }
}

/// `if cond { } [else ...]`
#[derive(Clone, Debug, PartialEq)]
pub struct IfStmt {
    /// The condition.
    pub cond: Expr,
    /// Taken when the condition is truthy.
    pub then_block: Block,
    /// Taken otherwise.
    pub else_branch: Option<Else>,
    /// From `if` to the end of the last branch.
    pub span: Span,
}

/// What follows `else`.
#[derive(Clone, Debug, PartialEq)]
pub enum Else {
    /// `else { }`
    Block(Block),
    /// `else if ...`
    If(Box<IfStmt>),
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `42`, `0.43`
    Number(f64),
    /// `"text"` (escapes decoded)
    String(String),
    /// `24h`, `7days`: an amount and a unit as written.
    Duration {
        /// The number before the unit.
        amount: f64,
        /// The unit as written (`h`, `days`, ...).
        unit: String,
        /// The length in milliseconds.
        ms: u64,
    },
    /// `true` or `false`
    Bool(bool),
    /// `null`
    Null,
    /// A variable, flow, built-in or activity name.
    Name(String),
    /// `[a, b]`
    Array(Vec<Expr>),
    /// `{key: value, "key": value, ..spread}`
    Object(Vec<ObjectEntry>),
    /// `object.name`
    Member {
        /// The object.
        object: Box<Expr>,
        /// The field.
        name: Ident,
    },
    /// `object[index]`
    Index {
        /// The list or object.
        object: Box<Expr>,
        /// The position or key.
        index: Box<Expr>,
    },
    /// `callee(args) @annotations`
    Call(Box<Call>),
    /// `!e`, `-e`, `+e`
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `a op b`
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `func(params) { body }`
    Lambda(Box<Lambda>),
    /// `await e`
    Await(Box<Expr>),
    /// An inline sub-flow: `flow Name(inputs) { }` or `Name(args) { }`.
    Flow(Box<FlowDecl>),
    /// `(e)`, kept so the formatter writes back what was written.
    Paren(Box<Expr>),
    /// `Name{ entries }`: a command literal, or a query's `where{...}` or
    /// `select{...}` (see [`Braced`]).
    Braced(Box<Braced>),
    /// An expression that did not parse; a diagnostic says why.
    Error,
}

/// A call: of a flow, a built-in, an activity or a closure.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// What is called (usually a name).
    pub callee: Expr,
    /// The arguments, positional or named.
    pub args: Vec<Arg>,
    /// `@retry(3) @timeout(24h) ...`, in order.
    pub annotations: Vec<Annotation>,
}

impl Call {
    /// The callee's name when the callee is a plain name.
    pub fn callee_name(&self) -> Option<&str> {
        match &self.callee.kind {
            ExprKind::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The annotation called `name`, if present.
    pub fn annotation(&self, name: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.name.name == name)
    }

    /// A callee written as plain names joined by dots (`mandril.Send`):
    /// its whole text and its first name. Such a call is an activity named
    /// by the whole text when the first name is not a variable, a flow or a
    /// built-in; each tool decides that with its own scopes (otherwise it
    /// calls a function held by a field).
    pub fn dotted_callee(&self) -> Option<(String, &str)> {
        self.callee.dotted_name()
    }
}

/// A call argument: `value` or `name: value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The name of a named argument.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
}

/// `@name` or `@name(args)` after a call.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// `retry`, `timeout`, `catch`, ...
    pub name: Ident,
    /// The arguments (expressions, evaluated at run time).
    pub args: Vec<Arg>,
    /// True when written with parentheses (`@catch()` vs `@catch`).
    pub parens: bool,
    /// From `@` to the end.
    pub span: Span,
}

/// An entry of an object literal.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectEntry {
    /// `key: value` or `"key": value`
    Field {
        /// The key.
        key: Key,
        /// The value.
        value: Expr,
    },
    /// `..expr`: copies the fields of `expr`; later entries win.
    Spread(Expr),
}

/// An object key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// True when written as a string (`"a-b": 1`).
    pub quoted: bool,
    /// Where it is written.
    pub span: Span,
}

/// `func(params) { body }`
#[derive(Clone, Debug, PartialEq)]
pub struct Lambda {
    /// Parameter names.
    pub params: Vec<Ident>,
    /// The body.
    pub body: Block,
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
}

impl UnaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Neg => "-",
            UnaryOp::Plus => "+",
        }
    }
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Or => "||",
            And => "&&",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Rem => "%",
        }
    }

    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        use BinaryOp::*;
        match self {
            Or => 1,
            And => 2,
            Eq | Ne => 3,
            Lt | Le | Gt | Ge => 4,
            Add | Sub => 5,
            Mul | Div | Rem => 6,
        }
    }
}

impl Expr {
    /// The expression with parentheses removed.
    pub fn unparen(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }

    /// Plain names joined by at least one dot (`aws.TextModeration`), as
    /// written without spaces: the whole name and the first name.
    pub fn dotted_name(&self) -> Option<(String, &str)> {
        let ExprKind::Member { object, name } = &self.kind else {
            return None;
        };
        let (prefix, root) = match &object.kind {
            ExprKind::Name(n) => (n.clone(), n.as_str()),
            ExprKind::Member { .. } => object.dotted_name()?,
            _ => return None,
        };
        Some((format!("{prefix}.{}", name.name), root))
    }

    /// The call, if this expression (without parentheses) is one.
    pub fn as_call(&self) -> Option<&Call> {
        match &self.unparen().kind {
            ExprKind::Call(c) => Some(c),
            _ => None,
        }
    }
}

//! A trigger's `where` condition (`where: event.data.score > 3`): typed
//! against the event it is evaluated on, `{id, type, subject, data,
//! source}`, where `id` and `type` are texts, `subject` and `source` texts
//! or `null`, and `data` is anything (a flow's parameters carry no types,
//! so nothing says more about it; its fields are checked on each event as
//! it is taken). E0316 for what can never be evaluated (a name other than
//! `event`, a field the event lacks, a field of a text, a call other than
//! a pure built-in, a comparison that is always an error), E0317 when the
//! value cannot be `true` or `false`.
//!
//! What is unknown (anything read under `data`) fits anywhere: a condition
//! that meets a value it cannot use when an event comes is an error
//! recorded on that event, never a panic (see `weft_engine::condition`).

use weft_syntax::ast::{
    BinaryOp, Expr, ExprKind, UnaryOp, EVENT_FIELDS, WHERE_BUILTINS, WHERE_EVENT,
};
use weft_syntax::{Diagnostic, Span};

use crate::{codes, suggest};

/// What is known of a value in a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// Unknown: a field of `data`, or after an error.
    Any,
    Bool,
    Number,
    String,
    /// A text or `null` (`event.subject`, `event.source`).
    OptString,
    Null,
    Duration,
    Time,
    List,
    /// An object whose fields are not known (a literal, `data`'s).
    Object,
    /// The event itself.
    Event,
    /// The result of arithmetic on what is not known: a number, a text, a
    /// list, a duration or a time, never a boolean.
    Arith,
    /// One of two values of which one at least is not a boolean
    /// (`a && b` gives `a` or `b`).
    NotBool,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Any => "anything",
            Ty::Bool => "a boolean",
            Ty::Number => "a number",
            Ty::String => "a text",
            Ty::OptString => "a text or null",
            Ty::Null => "null",
            Ty::Duration => "a duration",
            Ty::Time => "a time",
            Ty::List => "a list",
            Ty::Object => "an object",
            Ty::Event => "the event (an object)",
            Ty::Arith => "the result of arithmetic (never true or false)",
            Ty::NotBool => "one of two values, not only booleans",
        }
    }
}

fn event_field(name: &str) -> Option<Ty> {
    Some(match name {
        "id" | "type" => Ty::String,
        "subject" | "source" => Ty::OptString,
        "data" => Ty::Any,
        _ => return None,
    })
}

/// Checks the condition `e` of a trigger.
pub(crate) fn check(e: &Expr, out: &mut Vec<Diagnostic>) {
    let mut c = Checker { out, errors: 0 };
    let ty = c.ty(e);
    if c.errors > 0 {
        return;
    }
    match ty {
        Ty::Bool | Ty::Any => {}
        other => {
            let help = match other {
                Ty::OptString | Ty::String | Ty::Null => {
                    "compare it with a value: `event.subject == \"question\"`; a `where` written as a text (`where: \"question\"`) selects by subject"
                }
                Ty::NotBool => {
                    "`&&` and `||` give one of their operands: make both sides conditions (`event.data.tags != null && len(event.data.tags) > 0`)"
                }
                _ => "compare it with a value (`==`, `<`, ...) or call `contains(...)`",
            };
            c.out.push(
                Diagnostic::error(
                    codes::TRIGGER_WHERE_NOT_BOOL,
                    e.span,
                    format!(
                        "a trigger's `where` must give `true` or `false`, but this gives {}",
                        other.name()
                    ),
                )
                .with_help(help),
            );
        }
    }
}

struct Checker<'o> {
    out: &'o mut Vec<Diagnostic>,
    errors: usize,
}

impl Checker<'_> {
    fn error(&mut self, span: Span, message: String, help: Option<String>) -> Ty {
        let mut d = Diagnostic::error(codes::TRIGGER_WHERE, span, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.out.push(d);
        self.errors += 1;
        Ty::Any
    }

    fn ty(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Number(_) => Ty::Number,
            ExprKind::String(_) => Ty::String,
            ExprKind::Duration { .. } => Ty::Duration,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Null => Ty::Null,
            ExprKind::Error => Ty::Any,
            ExprKind::Paren(inner) => self.ty(inner),
            ExprKind::Name(n) if n == WHERE_EVENT => Ty::Event,
            ExprKind::Name(n) => {
                let help = if EVENT_FIELDS.contains(&n.as_str()) {
                    Some(format!("the event's `{n}` is `{WHERE_EVENT}.{n}`"))
                } else {
                    Some(format!(
                        "a condition is evaluated as each event is taken, before any run: it reads `{WHERE_EVENT}` and nothing else"
                    ))
                };
                self.error(
                    e.span,
                    format!("`{n}` is not known in a trigger's `where`: it reads only `{WHERE_EVENT}`"),
                    help,
                )
            }
            ExprKind::Array(items) => {
                for i in items {
                    self.ty(i);
                }
                Ty::List
            }
            ExprKind::Object(entries) => {
                for entry in entries {
                    match entry {
                        weft_syntax::ast::ObjectEntry::Field { value, .. } => {
                            self.ty(value);
                        }
                        weft_syntax::ast::ObjectEntry::Spread(x) => {
                            self.ty(x);
                        }
                    }
                }
                Ty::Object
            }
            ExprKind::Member { object, name } => {
                let t = self.ty(object);
                self.field(t, &name.name, name.span, object)
            }
            ExprKind::Index { object, index } => {
                let t = self.ty(object);
                let i = self.ty(index);
                match (t, &index.unparen().kind) {
                    (Ty::Event, ExprKind::String(k)) => self.field(t, k, index.span, object),
                    (Ty::Any | Ty::Object | Ty::Event, _) => Ty::Any,
                    (Ty::List, _) => {
                        if !matches!(i, Ty::Any | Ty::Number) {
                            self.error(index.span, format!("a list's index is a number, not {}", i.name()), None);
                        }
                        Ty::Any
                    }
                    (Ty::String, _) => Ty::String,
                    (other, _) => self.error(
                        object.span,
                        format!("this is {}, which cannot be indexed", other.name()),
                        None,
                    ),
                }
            }
            ExprKind::Unary { op, operand } => {
                let t = self.ty(operand);
                match op {
                    UnaryOp::Not => Ty::Bool,
                    UnaryOp::Neg | UnaryOp::Plus => match t {
                        Ty::Any | Ty::Number | Ty::Duration => t,
                        other => self.error(
                            operand.span,
                            format!("`{}` needs a number, and this is {}", op.as_str(), other.name()),
                            None,
                        ),
                    },
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.ty(lhs), self.ty(rhs));
                self.binary(*op, l, r, e.span)
            }
            ExprKind::Call(call) => {
                let name = match &call.callee.kind {
                    ExprKind::Name(n) if WHERE_BUILTINS.contains(&n.as_str()) => n.as_str(),
                    _ => {
                        let what = match &call.callee.kind {
                            ExprKind::Name(n) => format!("`{n}`"),
                            _ => "this".to_string(),
                        };
                        return self.error(
                            call.callee.span,
                            format!("a trigger's `where` cannot call {what}: it is evaluated as each event is taken, before any run, so it calls no activity, flow or machine"),
                            Some(format!(
                                "it may call the built-ins {}; test anything else in the flow the trigger starts",
                                WHERE_BUILTINS.map(|b| format!("`{b}`")).join(", ")
                            )),
                        );
                    }
                };
                if let Some(a) = call.annotations.first() {
                    self.error(a.span, "a call in a condition takes no annotations".into(), None);
                }
                if let Some(b) = weft_syntax::lang::builtin(name) {
                    let n = call.args.len();
                    if n < b.args_min || n > b.args_max {
                        self.error(
                            call.callee.span,
                            format!("`{}` takes {} arguments, not {n}", b.signature, b.args_min),
                            None,
                        );
                    }
                }
                for a in &call.args {
                    self.ty(&a.value);
                }
                match name {
                    "len" | "number" => Ty::Number,
                    "contains" => Ty::Bool,
                    "keys" | "values" => Ty::List,
                    "string" => Ty::String,
                    "duration" => Ty::Duration,
                    "time" => Ty::Time,
                    _ => Ty::Any,
                }
            }
            ExprKind::Lambda(_) | ExprKind::Flow(_) | ExprKind::Await(_) | ExprKind::Braced(_) => self.error(
                e.span,
                "a trigger's `where` is an expression over `event`: no functions, sub-flows, `await` or braced literals".into(),
                None,
            ),
        }
    }

    fn field(&mut self, t: Ty, name: &str, span: Span, object: &Expr) -> Ty {
        match t {
            Ty::Event => match event_field(name) {
                Some(t) => t,
                None => {
                    let help = match suggest::closest(name, EVENT_FIELDS) {
                        Some(close) => format!(
                            "did you mean `{WHERE_EVENT}.{close}`? (the event's own fields are under `{WHERE_EVENT}.data`: `{WHERE_EVENT}.data.{name}`)"
                        ),
                        None => format!("the event's own fields are under `{WHERE_EVENT}.data`: `{WHERE_EVENT}.data.{name}`"),
                    };
                    self.error(
                        span,
                        format!(
                            "the event has no field `{name}`; its fields are {}",
                            EVENT_FIELDS.map(|f| format!("`{f}`")).join(", ")
                        ),
                        Some(help),
                    )
                }
            },
            Ty::Any | Ty::Object => Ty::Any,
            other => self.error(
                span,
                format!(
                    "`{}` is {}, which has no field `{name}`: reading it is an error for every event",
                    text_of(object),
                    other.name()
                ),
                None,
            ),
        }
    }

    fn binary(&mut self, op: BinaryOp, l: Ty, r: Ty, span: Span) -> Ty {
        use BinaryOp::*;
        let known = |t: Ty| !matches!(t, Ty::Any);
        match op {
            Eq | Ne => Ty::Bool,
            And | Or => {
                if l == Ty::Bool && r == Ty::Bool {
                    Ty::Bool
                } else if !known(l) || !known(r) {
                    // Unknown sides are checked on each event: a value
                    // that is not a boolean then is an error there.
                    if matches!(l, Ty::Bool | Ty::Any) && matches!(r, Ty::Bool | Ty::Any) {
                        Ty::Any
                    } else {
                        Ty::NotBool
                    }
                } else {
                    Ty::NotBool
                }
            }
            Lt | Le | Gt | Ge => {
                let ordered = |t: Ty| {
                    matches!(
                        t,
                        Ty::Any
                            | Ty::Arith
                            | Ty::Number
                            | Ty::String
                            | Ty::OptString
                            | Ty::Duration
                            | Ty::Time
                    )
                };
                let fits = match (l, r) {
                    (Ty::Any | Ty::Arith, _) | (_, Ty::Any | Ty::Arith) => ordered(l) && ordered(r),
                    (Ty::Number, Ty::Number) => true,
                    (Ty::String | Ty::OptString, Ty::String | Ty::OptString) => true,
                    (Ty::Duration | Ty::String | Ty::OptString, Ty::Duration)
                    | (Ty::Duration, Ty::String | Ty::OptString) => true,
                    (Ty::Time | Ty::String | Ty::OptString | Ty::Number, Ty::Time)
                    | (Ty::Time, Ty::String | Ty::OptString | Ty::Number) => true,
                    _ => false,
                };
                if !fits {
                    return self.error(
                        span,
                        format!(
                            "`{}` compares numbers with numbers, texts with texts, durations and times; here {} with {}, an error for every event",
                            op.as_str(),
                            l.name(),
                            r.name()
                        ),
                        None,
                    );
                }
                Ty::Bool
            }
            Add | Sub | Mul | Div | Rem => {
                let arith = |t: Ty| {
                    matches!(
                        t,
                        Ty::Any | Ty::Arith | Ty::Number | Ty::Duration | Ty::Time
                    )
                };
                if op == Add && (matches!(l, Ty::String) || matches!(r, Ty::String)) {
                    return Ty::String;
                }
                if op == Add && (l == Ty::List || r == Ty::List) {
                    return Ty::List;
                }
                if !arith(l) || !arith(r) {
                    let bad = if arith(l) { r } else { l };
                    return self.error(
                        span,
                        format!(
                            "`{}` needs numbers (or durations and times), and one side is {}",
                            op.as_str(),
                            bad.name()
                        ),
                        None,
                    );
                }
                match (l, r) {
                    (Ty::Number, Ty::Number) => Ty::Number,
                    _ => Ty::Arith,
                }
            }
        }
    }
}

/// `event.subject`, for messages.
fn text_of(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Member { object, name } => format!("{}.{}", text_of(object), name.name),
        ExprKind::Paren(inner) => text_of(inner),
        _ => "this".to_string(),
    }
}

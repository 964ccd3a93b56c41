//! The tree of triggers: the seed's `sdk.TaskQueue({...})` at the top level
//! of a file, which starts a flow for each event that matches.
//!
//! ```text
//! sdk.TaskQueue({
//!     type: ["created"],           // the event types it takes (one text, or a list)
//!     where: "question",           // the subject the events must have (optional),
//!                                  // or a condition: `event.data.score > 3`
//!     run: "AutomaticModeration",  // the flow each matching event starts
//!     name: "moderation",          // optional; the flow's name by default
//! })
//! ```
//!
//! The call is kept as written (so the formatter writes it back as it
//! was); [`TriggerDecl::spec`] reads what it says, and says what it cannot
//! read. `TaskQueue` may be written without the `sdk.` prefix.

use crate::ast::{Expr, ExprKind, ObjectEntry};
use crate::span::Span;

/// The name the seed gives the declaration (`sdk.TaskQueue`, or
/// `TaskQueue` alone).
pub const TASK_QUEUE: &str = "TaskQueue";

/// The name of a schedule's declaration (`sdk.Schedule({...})`: see
/// docs/triggers.md).
pub const SCHEDULE: &str = "Schedule";

/// The prefix the seed writes before [`TASK_QUEUE`] (and [`SCHEDULE`]).
pub const SDK: &str = "sdk";

/// The fields a trigger takes.
pub const TRIGGER_FIELDS: [&str; 4] = ["type", "where", "run", "name"];

/// `sdk.TaskQueue({...})` at the top level.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerDecl {
    /// The call as written.
    pub call: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// The fields of the event a trigger starts its flow with (and its
/// condition reads).
pub const EVENT_FIELDS: [&str; 5] = ["id", "type", "subject", "data", "source"];

/// The name a trigger's `where` condition reads the event by.
pub const WHERE_EVENT: &str = "event";

/// The built-ins a trigger's `where` condition may call: the pure ones
/// that build nothing large (`append` and `range` grow lists; `now` would
/// make the answer depend on when the event came; `fail` stops a run, and
/// a condition has none).
pub const WHERE_BUILTINS: [&str; 10] = [
    "len", "contains", "keys", "values", "string", "number", "min", "max", "duration", "time",
];

/// What a trigger declaration says.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerSpec {
    /// Its name: `name`, or the flow's.
    pub name: String,
    /// The event types it takes.
    pub types: Vec<String>,
    /// The subject events must have, if any (`where` written as a text).
    pub subject: Option<String>,
    /// The condition events must meet, if any (`where` written as an
    /// expression over [`WHERE_EVENT`]: `event.data.score > 3`). The
    /// checker types it; the host evaluates it for each event.
    pub condition: Option<Expr>,
    /// The condition as written, when the reader had the source at hand
    /// ([`TriggerDecl::spec_in`]); for listings.
    pub condition_text: Option<String>,
    /// The flow it starts (`run`).
    pub flow: String,
    /// Where `run`'s value is written, for diagnostics about the flow.
    pub flow_span: Span,
}

/// A field of a trigger that cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerProblem {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

fn problem(span: Span, message: impl Into<String>) -> TriggerProblem {
    TriggerProblem {
        span,
        message: message.into(),
    }
}

fn text(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::String(s) => Some(s),
        ExprKind::Paren(inner) => text(inner),
        _ => None,
    }
}

impl TriggerDecl {
    /// What is declared: [`TASK_QUEUE`] or [`SCHEDULE`] (the callee's last
    /// name).
    pub fn kind(&self) -> &str {
        let ExprKind::Call(call) = &self.call.kind else {
            return "";
        };
        match &call.callee.kind {
            ExprKind::Name(n) => n,
            ExprKind::Member { name, .. } => &name.name,
            _ => "",
        }
    }

    /// The declaration's fields: its one argument, an object literal, as
    /// `(key, value)` pairs in order; `Err` says what is written instead.
    pub fn fields(&self) -> Result<Vec<(&crate::ast::Key, &Expr)>, Vec<TriggerProblem>> {
        let ExprKind::Call(call) = &self.call.kind else {
            return Err(vec![problem(
                self.span,
                "a declaration is a call: `sdk.Schedule({...})`",
            )]);
        };
        let entries = match call.args.as_slice() {
            [arg] if arg.name.is_none() => match &arg.value.kind {
                ExprKind::Object(entries) => entries,
                _ => {
                    return Err(vec![problem(
                        arg.value.span,
                        "the declaration takes one object of fields",
                    )])
                }
            },
            _ => {
                return Err(vec![problem(
                    self.call.span,
                    "the declaration takes one object of fields",
                )])
            }
        };
        let mut out = Vec::new();
        let mut problems = Vec::new();
        if let Some(a) = call.annotations.first() {
            problems.push(problem(a.span, "the declaration takes no annotations"));
        }
        for e in entries {
            match e {
                ObjectEntry::Field { key, value } => out.push((key, value)),
                ObjectEntry::Spread(x) => problems.push(problem(
                    x.span,
                    "the declaration's object lists its fields; nothing is spread into it",
                )),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    /// [`TriggerDecl::spec`], with the condition's text taken from
    /// `source`, the text of the file the declaration is in.
    pub fn spec_in(&self, source: &str) -> Result<TriggerSpec, Vec<TriggerProblem>> {
        let mut spec = self.spec()?;
        spec.condition_text = spec.condition.as_ref().and_then(|c| {
            source
                .get(c.span.start as usize..c.span.end as usize)
                .map(str::to_string)
        });
        Ok(spec)
    }

    /// Reads the declaration: its one argument must be an object literal
    /// of [`TRIGGER_FIELDS`] with literal values. Every problem is
    /// reported, each at its place.
    pub fn spec(&self) -> Result<TriggerSpec, Vec<TriggerProblem>> {
        let ExprKind::Call(call) = &self.call.kind else {
            return Err(vec![problem(
                self.span,
                "a trigger is a call: `sdk.TaskQueue({...})`",
            )]);
        };
        let object = match call.args.as_slice() {
            [arg] if arg.name.is_none() => match &arg.value.kind {
                ExprKind::Object(entries) => Some(entries),
                _ => None,
            },
            _ => None,
        };
        let Some(entries) = object else {
            return Err(vec![problem(
                self.call.span,
                "`TaskQueue` takes one object: `TaskQueue({type: [\"created\"], where: \"question\", run: \"Flow\"})`",
            )]);
        };
        let mut problems = Vec::new();
        if let Some(a) = call.annotations.first() {
            problems.push(problem(a.span, "a trigger takes no annotations"));
        }
        let (mut types, mut subject, mut flow, mut name) = (None, None, None, None);
        let mut condition = None;
        for entry in entries {
            let (key, value) = match entry {
                ObjectEntry::Field { key, value } => (key, value),
                ObjectEntry::Spread(spread) => {
                    problems.push(problem(
                        spread.span,
                        "a trigger's object lists its fields (`type`, `where`, `run`, `name`); nothing is spread into it",
                    ));
                    continue;
                }
            };
            match key.name.as_str() {
                "type" => {
                    let list = match &value.kind {
                        ExprKind::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>(),
                        _ => text(value).map(|t| vec![t]),
                    };
                    match list {
                        Some(l) if !l.is_empty() && l.iter().all(|t| !t.is_empty()) => {
                            types = Some(l.into_iter().map(str::to_string).collect::<Vec<_>>())
                        }
                        _ => problems.push(problem(
                            value.span,
                            "`type` is the event types the trigger takes: a text or a list of texts, none empty (`[\"created\"]`)",
                        )),
                    }
                }
                // A text is the seed's subject; anything else is a
                // condition over `event`, which the checker types.
                "where" => match text(value) {
                    Some(s) if !s.is_empty() => subject = Some(s.to_string()),
                    Some(_) => problems.push(problem(
                        value.span,
                        "`where` is the subject the events must have, as a text (`\"question\"`), or a condition over the event (`event.data.score > 3`); an empty text is neither",
                    )),
                    None => condition = Some(value.clone()),
                },
                "run" => match text(value) {
                    Some(s) if !s.is_empty() => flow = Some((s.to_string(), value.span)),
                    _ => problems.push(problem(
                        value.span,
                        "`run` is the name of the flow to start, as a text (`\"AutomaticModeration\"`)",
                    )),
                },
                "name" => match text(value) {
                    Some(s) if !s.is_empty() => name = Some(s.to_string()),
                    _ => problems.push(problem(value.span, "`name` is a text")),
                },
                other => problems.push(problem(
                    key.span,
                    format!("a trigger has no field `{other}`; its fields are `type`, `where`, `run` and `name`"),
                )),
            }
        }
        if types.is_none() && !problems.iter().any(|p| p.message.starts_with("`type`")) {
            problems.push(problem(
                self.call.span,
                "a trigger needs `type`: the event types it takes (`type: [\"created\"]`)",
            ));
        }
        if flow.is_none() && !problems.iter().any(|p| p.message.starts_with("`run`")) {
            problems.push(problem(
                self.call.span,
                "a trigger needs `run`: the flow to start (`run: \"AutomaticModeration\"`)",
            ));
        }
        match (types, flow) {
            (Some(types), Some((flow, flow_span))) if problems.is_empty() => Ok(TriggerSpec {
                name: name.unwrap_or_else(|| flow.clone()),
                types,
                subject,
                condition,
                condition_text: None,
                flow,
                flow_span,
            }),
            _ => Err(problems),
        }
    }
}

//! Searching runs: the conditions of `q` (`GET /v1/runs?q=...`), how they
//! read a run's record, and how SQL stores translate them.
//!
//! A condition is written in the flow language's expression syntax and
//! parsed with its parser ([`weft_syntax::parse_expr`]); only a subset
//! means something here (docs/operating.md, "Finding runs", is the
//! user's description):
//!
//! - **fields** of the run as the API shows it: `id`, `flow`, `version`,
//!   `status`, `input`, `result`, `error`, `parent`, `idempotencyKey`,
//!   `position`, `forkedFrom`, `waitingFor`, and paths into the JSON ones
//!   (`input.user.nick`, `result.items[0]`, `input["a-b"]`). A path to
//!   something that is not there reads as `null`. Each is also `run.<field>`;
//!   `flow` is a keyword of the language, so it is written `run.flow`;
//! - **literals**: strings, numbers, durations (as milliseconds), `true`,
//!   `false`, `null`;
//! - **comparisons** `==`, `!=` (numbers by value, other values as they
//!   are) and `<`, `<=`, `>`, `>=` (two numbers, or two strings in byte
//!   order; anything else is false);
//! - `&&`, `||`, `!`, parentheses; a field alone means `field == true`;
//! - **`contains(field, "text")`**: the field's text holds `text`, ignoring
//!   the case of ASCII letters. A string field is searched as it is, any
//!   other value in its JSON text (`contains(error, "timeout")` searches
//!   the message and the location); `null` contains nothing;
//! - arithmetic (`+ - * / %` on numbers) and comparisons between two
//!   fields, which SQL stores do not translate: they are evaluated in Rust
//!   over a bounded scan (see [`RunQuery::scan_max`](crate::RunQuery)).
//!
//! A text match is a function rather than an operator (`error ~ "x"`) so
//! that the language's grammar stays the flows' grammar: nothing a flow
//! can write means something else here.
//!
//! [`Filter::matches`] is the meaning; [`translate`] writes the parts SQL
//! can evaluate with the same meaning (every store's results are checked
//! against [`Filter::matches`] by the conformance suite).

use std::fmt::Write as _;

use serde_json::Value;
use thiserror::Error;
use weft_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

use crate::RunRecord;

/// Longest `q`, in bytes.
pub const QUERY_BYTES_MAX: usize = 4_096;

/// Why a condition was refused.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{message} (at byte {at} of `q`)")]
pub struct SearchError {
    /// What is wrong.
    pub message: String,
    /// Where in `q` (byte offset).
    pub at: usize,
}

fn refuse(at: usize, message: impl Into<String>) -> SearchError {
    SearchError {
        message: message.into(),
        at,
    }
}

/// A field of a run's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `id`
    Id,
    /// `flow`
    Flow,
    /// `version`
    Version,
    /// `status`
    Status,
    /// `input` (JSON)
    Input,
    /// `result` (JSON; null until completed)
    Result,
    /// `error` (JSON `{message, location}`; null unless failed)
    Error,
    /// `parent`
    Parent,
    /// `idempotencyKey`
    IdempotencyKey,
    /// `position` (`file:line`)
    Position,
    /// `forkedFrom`
    ForkedFrom,
    /// `waitingFor` (JSON list of waits)
    WaitingFor,
}

impl Field {
    /// Every field with its name in `q`.
    pub const ALL: [(&'static str, Field); 12] = [
        ("id", Field::Id),
        ("flow", Field::Flow),
        ("version", Field::Version),
        ("status", Field::Status),
        ("input", Field::Input),
        ("result", Field::Result),
        ("error", Field::Error),
        ("parent", Field::Parent),
        ("idempotencyKey", Field::IdempotencyKey),
        ("position", Field::Position),
        ("forkedFrom", Field::ForkedFrom),
        ("waitingFor", Field::WaitingFor),
    ];

    /// True for the fields stored as JSON (paths go into them).
    pub fn is_json(self) -> bool {
        matches!(
            self,
            Field::Input | Field::Result | Field::Error | Field::WaitingFor
        )
    }

    /// The column that holds it in the SQL stores.
    pub fn column(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Flow => "flow",
            Field::Version => "version",
            Field::Status => "status",
            Field::Input => "input",
            Field::Result => "result",
            Field::Error => "error",
            Field::Parent => "parent",
            Field::IdempotencyKey => "idempotency_key",
            Field::Position => "position",
            Field::ForkedFrom => "forked_from",
            Field::WaitingFor => "waiting",
        }
    }

    fn read(self, r: &RunRecord) -> Value {
        let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
        match self {
            Field::Id => Value::String(r.id.clone()),
            Field::Flow => Value::String(r.flow.clone()),
            Field::Version => Value::from(r.version),
            Field::Status => Value::String(r.status.as_str().into()),
            Field::Input => r.input.clone(),
            Field::Result => r.result.clone().unwrap_or(Value::Null),
            Field::Error => r.error.clone().unwrap_or(Value::Null),
            Field::Parent => text(&r.parent),
            Field::IdempotencyKey => text(&r.idempotency_key),
            Field::Position => text(&r.position),
            Field::ForkedFrom => text(&r.forked_from),
            Field::WaitingFor => r.waiting.clone(),
        }
    }
}

/// One step of a path into a JSON field.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `.name` or `["name"]`
    Key(String),
    /// `[3]`
    Index(usize),
}

/// A field and a path into it.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The field.
    pub field: Field,
    /// The path (empty for the field itself; only JSON fields have one).
    pub steps: Vec<Step>,
}

impl Path {
    fn read(&self, r: &RunRecord) -> Value {
        let mut v = self.field.read(r);
        for s in &self.steps {
            v = match (s, v) {
                (Step::Key(k), Value::Object(mut o)) => o.remove(k).unwrap_or(Value::Null),
                (Step::Index(i), Value::Array(mut a)) if *i < a.len() => a.swap_remove(*i),
                _ => Value::Null,
            };
        }
        v
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
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
}

impl Cmp {
    fn sql(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// The comparison with its operands swapped (`1 < x` is `x > 1`).
    fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            c => c,
        }
    }
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
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

/// A value a condition reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A field or a path into one.
    Path(Path),
    /// A literal: a string, a number, `true`, `false` or `null`.
    Literal(Value),
    /// Arithmetic on numbers (anything else gives `null`).
    Arith(Arith, Box<Operand>, Box<Operand>),
}

impl Operand {
    fn eval(&self, r: &RunRecord) -> Value {
        match self {
            Operand::Path(p) => p.read(r),
            Operand::Literal(v) => v.clone(),
            Operand::Arith(op, a, b) => {
                let (Some(a), Some(b)) = (a.eval(r).as_f64(), b.eval(r).as_f64()) else {
                    return Value::Null;
                };
                let n = match op {
                    Arith::Add => a + b,
                    Arith::Sub => a - b,
                    Arith::Mul => a * b,
                    Arith::Div => a / b,
                    Arith::Rem => a % b,
                };
                serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
            }
        }
    }
}

/// A condition over a run's record.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// Every one holds.
    And(Vec<Filter>),
    /// One holds at least.
    Or(Vec<Filter>),
    /// It does not hold.
    Not(Box<Filter>),
    /// A comparison.
    Compare(Cmp, Operand, Operand),
    /// `contains(haystack, "needle")`.
    Contains(Operand, String),
}

/// JSON equality as `q` means it: numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        _ => None,
    }
}

/// The text `contains` searches: a string as it is, `null` none, any other
/// value its JSON text.
fn haystack(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        v => Some(v.to_string()),
    }
}

impl Filter {
    /// True when the run's record meets the condition.
    pub fn matches(&self, r: &RunRecord) -> bool {
        match self {
            Filter::And(fs) => fs.iter().all(|f| f.matches(r)),
            Filter::Or(fs) => fs.iter().any(|f| f.matches(r)),
            Filter::Not(f) => !f.matches(r),
            Filter::Compare(op, a, b) => {
                let (a, b) = (a.eval(r), b.eval(r));
                use std::cmp::Ordering::*;
                match op {
                    Cmp::Eq => same(&a, &b),
                    Cmp::Ne => !same(&a, &b),
                    Cmp::Lt => order(&a, &b) == Some(Less),
                    Cmp::Le => matches!(order(&a, &b), Some(Less | Equal)),
                    Cmp::Gt => order(&a, &b) == Some(Greater),
                    Cmp::Ge => matches!(order(&a, &b), Some(Greater | Equal)),
                }
            }
            Filter::Contains(h, needle) => haystack(&h.eval(r)).is_some_and(|h| {
                h.to_ascii_lowercase()
                    .contains(&needle.to_ascii_lowercase())
            }),
        }
    }

    /// The conditions that must all hold (the parts of a top-level `&&`).
    pub fn conjuncts(&self) -> Vec<&Filter> {
        match self {
            Filter::And(fs) => fs.iter().flat_map(|f| f.conjuncts()).collect(),
            f => vec![f],
        }
    }
}

/// Parses `q` into a condition.
pub fn parse(q: &str) -> Result<Filter, SearchError> {
    if q.len() > QUERY_BYTES_MAX {
        return Err(refuse(
            QUERY_BYTES_MAX,
            format!(
                "`q` has {} bytes; QUERY_BYTES_MAX is {QUERY_BYTES_MAX}",
                q.len()
            ),
        ));
    }
    if q.trim().is_empty() {
        return Err(refuse(
            0,
            "`q` is empty: give a condition such as status == \"failed\"",
        ));
    }
    let (expr, diags) = weft_syntax::parse_expr(q);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        let mut message = d.message.clone();
        if bare_flow(q) {
            message.push_str("; `flow` is a keyword of the language: write run.flow");
        }
        return Err(refuse(d.span.start as usize, message));
    }
    condition(&expr)
}

/// True when `q` has the word `flow` other than after a `.`.
fn bare_flow(q: &str) -> bool {
    let b = q.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    q.match_indices("flow").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + 4).copied();
        !before.is_some_and(|c| word(c) || c == b'.') && !after.is_some_and(word)
    })
}

fn at(e: &Expr) -> usize {
    e.span.start as usize
}

fn condition(e: &Expr) -> Result<Filter, SearchError> {
    match &e.kind {
        ExprKind::Paren(inner) => condition(inner),
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::And => Ok(Filter::And(vec![condition(lhs)?, condition(rhs)?])),
            BinaryOp::Or => Ok(Filter::Or(vec![condition(lhs)?, condition(rhs)?])),
            BinaryOp::Eq => compare(Cmp::Eq, lhs, rhs),
            BinaryOp::Ne => compare(Cmp::Ne, lhs, rhs),
            BinaryOp::Lt => compare(Cmp::Lt, lhs, rhs),
            BinaryOp::Le => compare(Cmp::Le, lhs, rhs),
            BinaryOp::Gt => compare(Cmp::Gt, lhs, rhs),
            BinaryOp::Ge => compare(Cmp::Ge, lhs, rhs),
            _ => Err(refuse(
                at(e),
                format!(
                    "`{}` gives a number, not a condition: compare it (`... > 3`)",
                    op.as_str()
                ),
            )),
        },
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => Ok(Filter::Not(Box::new(condition(operand)?))),
        ExprKind::Call(call) if call.callee_name() == Some("contains") => {
            if !call.annotations.is_empty() {
                return Err(refuse(at(e), "`contains` takes no annotations"));
            }
            if call.args.len() != 2 || call.args.iter().any(|a| a.name.is_some()) {
                return Err(refuse(
                    at(e),
                    "`contains` takes two arguments: contains(field, \"text\")",
                ));
            }
            let hay = operand(&call.args[0].value)?;
            let needle = match &call.args[1].value.kind {
                ExprKind::String(s) => s.clone(),
                _ => {
                    return Err(refuse(
                        at(&call.args[1].value),
                        "the second argument of `contains` is the text to find, as a string",
                    ))
                }
            };
            Ok(Filter::Contains(hay, needle))
        }
        ExprKind::Call(call) => Err(refuse(
            at(e),
            format!(
                "`{}` is not a search function: the one there is, is contains(field, \"text\")",
                call.callee_name().unwrap_or("this call")
            ),
        )),
        // A field alone: `input.express` is `input.express == true`.
        ExprKind::Name(_) | ExprKind::Member { .. } | ExprKind::Index { .. } => Ok(
            Filter::Compare(Cmp::Eq, operand(e)?, Operand::Literal(Value::Bool(true))),
        ),
        ExprKind::Bool(b) => Ok(Filter::Compare(
            Cmp::Eq,
            Operand::Literal(Value::Bool(*b)),
            Operand::Literal(Value::Bool(true)),
        )),
        _ => Err(refuse(
            at(e),
            "this is not a condition: compare a field (`status == \"failed\"`), use \
             contains(field, \"text\"), or combine conditions with &&, || and !",
        )),
    }
}

fn compare(op: Cmp, lhs: &Expr, rhs: &Expr) -> Result<Filter, SearchError> {
    let (a, b) = (operand(lhs)?, operand(rhs)?);
    // Literal on the right, where translations look for it.
    Ok(match (&a, &b) {
        (Operand::Literal(_), Operand::Path(_)) => Filter::Compare(op.flipped(), b, a),
        _ => Filter::Compare(op, a, b),
    })
}

fn operand(e: &Expr) -> Result<Operand, SearchError> {
    match &e.kind {
        ExprKind::Paren(inner) => operand(inner),
        ExprKind::String(s) => Ok(Operand::Literal(Value::String(s.clone()))),
        ExprKind::Number(n) => number(*n, e),
        ExprKind::Duration { ms, .. } => Ok(Operand::Literal(Value::from(*ms))),
        ExprKind::Bool(b) => Ok(Operand::Literal(Value::Bool(*b))),
        ExprKind::Null => Ok(Operand::Literal(Value::Null)),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand: inner,
        } => match operand(inner)? {
            Operand::Literal(Value::Number(n)) => number(-n.as_f64().unwrap_or(0.0), e),
            o => Ok(Operand::Arith(
                Arith::Sub,
                Box::new(Operand::Literal(Value::from(0))),
                Box::new(o),
            )),
        },
        ExprKind::Unary {
            op: UnaryOp::Plus,
            operand: inner,
        } => operand(inner),
        ExprKind::Binary { op, lhs, rhs } => {
            let op = match op {
                BinaryOp::Add => Arith::Add,
                BinaryOp::Sub => Arith::Sub,
                BinaryOp::Mul => Arith::Mul,
                BinaryOp::Div => Arith::Div,
                BinaryOp::Rem => Arith::Rem,
                _ => {
                    return Err(refuse(
                        at(e),
                        format!("a condition (`{}`) where a value is expected", op.as_str()),
                    ))
                }
            };
            Ok(Operand::Arith(
                op,
                Box::new(operand(lhs)?),
                Box::new(operand(rhs)?),
            ))
        }
        ExprKind::Name(_) | ExprKind::Member { .. } | ExprKind::Index { .. } => {
            path(e).map(Operand::Path)
        }
        _ => Err(refuse(
            at(e),
            "not a value search understands: a field (input.x), a string, a number, true, \
             false or null",
        )),
    }
}

fn number(n: f64, e: &Expr) -> Result<Operand, SearchError> {
    serde_json::Number::from_f64(n)
        .map(|n| Operand::Literal(Value::Number(n)))
        .ok_or_else(|| refuse(at(e), "this number is not finite"))
}

fn path(e: &Expr) -> Result<Path, SearchError> {
    match &e.kind {
        ExprKind::Name(n) => {
            let field = Field::ALL
                .iter()
                .find(|(name, _)| name == n)
                .map(|(_, f)| *f)
                .ok_or_else(|| unknown_field(n, e))?;
            Ok(Path {
                field,
                steps: Vec::new(),
            })
        }
        ExprKind::Member { object, name } if matches!(&object.kind, ExprKind::Name(n) if n == "run") =>
        {
            let field = Field::ALL
                .iter()
                .find(|(n, _)| *n == name.name)
                .map(|(_, f)| *f)
                .ok_or_else(|| unknown_field(&name.name, e))?;
            Ok(Path {
                field,
                steps: Vec::new(),
            })
        }
        ExprKind::Member { object, name } => {
            let mut p = path(object)?;
            key_step(&mut p, name.name.clone(), e)?;
            Ok(p)
        }
        ExprKind::Index { object, index } => {
            let mut p = path(object)?;
            match &index.kind {
                ExprKind::String(k) => key_step(&mut p, k.clone(), e)?,
                ExprKind::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e9 => {
                    if !p.field.is_json() {
                        return Err(not_json(p.field, e));
                    }
                    p.steps.push(Step::Index(*n as usize));
                }
                _ => {
                    return Err(refuse(
                        at(index),
                        "an index is a whole number (`[0]`) or a key as a string (`[\"a-b\"]`)",
                    ))
                }
            }
            Ok(p)
        }
        _ => Err(refuse(
            at(e),
            "a path starts with a field of a run, such as input",
        )),
    }
}

fn unknown_field(n: &str, e: &Expr) -> SearchError {
    let names: Vec<&str> = Field::ALL.iter().map(|(n, _)| *n).collect();
    refuse(
        at(e),
        format!(
            "`{n}` is not a field of a run; the fields are {} (also as run.<field>)",
            names.join(", ")
        ),
    )
}

fn not_json(f: Field, e: &Expr) -> SearchError {
    let name = Field::ALL
        .iter()
        .find(|(_, x)| *x == f)
        .map_or("", |(n, _)| n);
    refuse(
        at(e),
        format!("`{name}` is not JSON: only input, result, error and waitingFor have fields"),
    )
}

fn key_step(p: &mut Path, key: String, e: &Expr) -> Result<(), SearchError> {
    if !p.field.is_json() {
        return Err(not_json(p.field, e));
    }
    // SQLite's JSON paths cannot quote these.
    if key.contains(['"', '\\']) || key.chars().any(char::is_control) {
        return Err(refuse(
            at(e),
            "a key with a quote, a backslash or a control character cannot be searched",
        ));
    }
    p.steps.push(Step::Key(key));
    Ok(())
}

/// A parameter of a translated condition.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlParam {
    /// Text.
    Text(String),
    /// A number.
    Float(f64),
    /// A path into a JSON column, as [`Dialect::json_path`] wants it.
    Path(Vec<Step>),
}

/// How a SQL store spells what [`translate`] needs. Every method returns
/// an expression that is never NULL where a boolean is asked for.
pub trait Dialect {
    /// Adds a parameter; returns its placeholder.
    fn param(&mut self, p: SqlParam) -> String;
    /// The JSON type of the value at `path` in JSON column `col`, as one of
    /// `string`, `number`, `true`, `false`, `null` (also for a missing
    /// value or a NULL column), `array`, `object`.
    fn json_kind(&mut self, col: &str, path: &[Step]) -> String;
    /// The text of a string at `path` (only used where it is a string).
    fn json_string(&mut self, col: &str, path: &[Step]) -> String;
    /// The number at `path` as a float (only used where it is a number).
    fn json_number(&mut self, col: &str, path: &[Step]) -> String;
    /// The JSON text of the value at `path`.
    fn json_text(&mut self, col: &str, path: &[Step]) -> String;
    /// A plain (not JSON) column as its value: the column itself, unless
    /// the store keeps it in another form (the SQLite store keeps the
    /// status as a code and gives its name here).
    fn column(&mut self, col: &str) -> String {
        col.to_string()
    }
    /// A number column as a float.
    fn number_column(&mut self, col: &str) -> String;
    /// A column as text (numbers as their decimal text).
    fn text_column(&mut self, col: &str) -> String;
    /// True when `needle` (text) is in `hay` (text), ignoring ASCII case.
    fn contains(&mut self, hay: &str, needle: &str) -> String;
    /// Text compared in byte order (`a op b`).
    fn text_cmp(&mut self, a: &str, op: &str, b: &str) -> String;
    /// The boolean literals.
    fn bool(&self, b: bool) -> &'static str;
}

/// Translates the condition to a SQL boolean expression, or `None` when a
/// part of it has no translation (arithmetic, two fields compared): the
/// caller then evaluates it in Rust.
pub fn translate(f: &Filter, d: &mut dyn Dialect) -> Option<String> {
    match f {
        Filter::And(fs) | Filter::Or(fs) => {
            let joiner = if matches!(f, Filter::And(_)) {
                " AND "
            } else {
                " OR "
            };
            let parts = fs
                .iter()
                .map(|f| translate(f, d))
                .collect::<Option<Vec<_>>>()?;
            Some(format!("({})", parts.join(joiner)))
        }
        Filter::Not(f) => Some(format!("(NOT {})", translate(f, d)?)),
        Filter::Compare(op, Operand::Path(p), Operand::Literal(v)) => {
            Some(compare_sql(*op, p, v, d))
        }
        Filter::Compare(op, Operand::Literal(a), Operand::Literal(b)) => {
            // Constant: decided here.
            let r = Filter::Compare(
                *op,
                Operand::Literal(a.clone()),
                Operand::Literal(b.clone()),
            );
            Some(d.bool(r.matches(&empty_record())).to_string())
        }
        Filter::Compare(..) => None,
        Filter::Contains(Operand::Path(p), needle) => Some(contains_sql(p, needle, d)),
        Filter::Contains(Operand::Literal(v), needle) => {
            let r = Filter::Contains(Operand::Literal(v.clone()), needle.clone());
            Some(d.bool(r.matches(&empty_record())).to_string())
        }
        Filter::Contains(..) => None,
    }
}

fn empty_record() -> RunRecord {
    RunRecord {
        id: String::new(),
        flow: String::new(),
        version: 0,
        status: weft_engine::state::Status::Running,
        input: Value::Null,
        result: None,
        error: None,
        waiting: Value::Null,
        parent: None,
        idempotency_key: None,
        position: None,
        created_at: 0,
        updated_at: 0,
        forked_from: None,
    }
}

fn compare_sql(op: Cmp, p: &Path, v: &Value, d: &mut dyn Dialect) -> String {
    let f = d.bool(false);
    // `!=` is the negation of `==`, which is never NULL.
    if op == Cmp::Ne {
        return format!("(NOT {})", compare_sql(Cmp::Eq, p, v, d));
    }
    let col = p.field.column();
    if p.field.is_json() {
        let kind = d.json_kind(col, &p.steps);
        return match (op, v) {
            (Cmp::Eq, Value::Null) => format!("({kind} = 'null')"),
            (Cmp::Eq, Value::Bool(b)) => {
                format!("({kind} = '{}')", if *b { "true" } else { "false" })
            }
            (_, Value::String(s)) => {
                let s = d.param(SqlParam::Text(s.clone()));
                let val = d.json_string(col, &p.steps);
                let cmp = d.text_cmp(&val, op.sql(), &s);
                format!("(CASE WHEN {kind} = 'string' THEN {cmp} ELSE {f} END)")
            }
            (_, Value::Number(n)) => {
                let n = d.param(SqlParam::Float(n.as_f64().unwrap_or(0.0)));
                let val = d.json_number(col, &p.steps);
                format!(
                    "(CASE WHEN {kind} = 'number' THEN {val} {} {n} ELSE {f} END)",
                    op.sql()
                )
            }
            // Equality with a list or an object, or order with null or a
            // boolean: by the meaning of `q`, a list never equals (lists and
            // objects are not literals) and order needs numbers or strings.
            _ => f.to_string(),
        };
    }
    let number_field = p.field == Field::Version;
    let col = &d.column(col);
    match (op, v) {
        (Cmp::Eq, Value::Null) => format!("({col} IS NULL)"),
        (_, Value::String(s)) if !number_field => {
            let s = d.param(SqlParam::Text(s.clone()));
            let cmp = d.text_cmp(col, op.sql(), &s);
            format!("(CASE WHEN {col} IS NULL THEN {f} ELSE {cmp} END)")
        }
        (_, Value::Number(n)) if number_field => {
            let n = d.param(SqlParam::Float(n.as_f64().unwrap_or(0.0)));
            let c = d.number_column(col);
            format!("({c} {} {n})", op.sql())
        }
        _ => f.to_string(),
    }
}

fn contains_sql(p: &Path, needle: &str, d: &mut dyn Dialect) -> String {
    let f = d.bool(false);
    let col = p.field.column();
    let n = d.param(SqlParam::Text(needle.to_string()));
    if p.field.is_json() {
        let kind = d.json_kind(col, &p.steps);
        let s = d.json_string(col, &p.steps);
        let in_string = d.contains(&s, &n);
        let j = d.json_text(col, &p.steps);
        let in_json = d.contains(&j, &n);
        return format!(
            "(CASE WHEN {kind} = 'null' THEN {f} WHEN {kind} = 'string' THEN {in_string} \
             ELSE {in_json} END)"
        );
    }
    let text = d.text_column(col);
    let c = d.contains(&text, &n);
    let col = d.column(col);
    format!("(CASE WHEN {col} IS NULL THEN {f} ELSE {c} END)")
}

/// A JSON path in SQLite's syntax (`$.a[0]."b c"`).
pub fn sqlite_path(steps: &[Step]) -> String {
    let mut s = String::from("$");
    for st in steps {
        match st {
            Step::Key(k) => {
                let _ = write!(s, ".\"{k}\"");
            }
            Step::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// A JSON path as PostgreSQL's `#>` takes it: the keys and indexes as text.
pub fn postgres_path(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec() -> RunRecord {
        RunRecord {
            id: "01J0000000000000000000ABCD".into(),
            flow: "Signup".into(),
            version: 3,
            status: weft_engine::state::Status::Failed,
            input: json!({"nick": "ann", "age": 31, "tags": ["a", "b"], "vip": true}),
            result: None,
            error: Some(json!({"message": "ReserveNick timed out", "location": null})),
            waiting: json!([]),
            parent: None,
            idempotency_key: Some("k-1".into()),
            position: Some("signup.weft:4".into()),
            created_at: 1,
            updated_at: 2,
            forked_from: None,
        }
    }

    fn yes(q: &str) -> bool {
        parse(q)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .matches(&rec())
    }

    #[test]
    fn conditions_read_the_record() {
        for q in [
            "input.nick == \"ann\"",
            "\"ann\" == input.nick",
            "input.age > 30 && input.age <= 31",
            "30 < input.age",
            "input.tags[1] == \"b\"",
            "input[\"nick\"] == \"ann\"",
            "input.vip",
            "!input.missing",
            "input.missing == null",
            "result == null",
            "parent == null",
            "status == \"failed\" || status == \"waiting\"",
            "version == 3 && version >= 3.0",
            "contains(error, \"TIMED OUT\")",
            "contains(error.message, \"reservenick\")",
            "contains(input.tags, \"\\\"a\\\"\")",
            "contains(id, \"abcd\")",
            "contains(version, \"3\")",
            "input.age + 1 == 32",
            "input.age * 2 > input.age",
            "run.flow < \"Z\" && run.flow > \"A\"",
            "run.status == status",
            "idempotencyKey == \"k-1\"",
            "input.age == 31.0",
        ] {
            assert!(yes(q), "{q} holds");
        }
        for q in [
            "input.nick == \"bob\"",
            "input.nick != \"ann\"",
            "input.age < \"40\"",
            "input.vip > false",
            "contains(result, \"\")",
            "contains(parent, \"\")",
            "input.tags == null",
            "version == \"3\"",
            "status == \"waiting\"",
            "input.nick.first == \"a\"",
            "input.tags[7] != null",
        ] {
            assert!(!yes(q), "{q} does not hold");
        }
    }

    #[test]
    fn refusals_say_what_and_where() {
        for (q, msg, at) in [
            ("nick == 1", "`nick` is not a field of a run", 0),
            ("flow == \"A\"", "write run.flow", 5),
            ("run.nick == 1", "`nick` is not a field of a run", 0),
            ("status.x == 1", "`status` is not JSON", 0),
            ("input.a + 1", "gives a number", 0),
            ("matches(input, \"a\")", "not a search function", 0),
            ("contains(input)", "two arguments", 0),
            ("contains(input, 3)", "the text to find", 16),
            ("input.a == [1]", "not a value search understands", 11),
            ("input.a ==", "expected", 10),
            ("", "`q` is empty", 0),
            ("\"x\"", "not a condition", 0),
            ("input[\"a\\\"b\"] == 1", "cannot be searched", 0),
            ("input[-1] == 1", "an index is a whole number", 6),
        ] {
            let e = parse(q).expect_err(q);
            assert!(e.message.contains(msg), "{q}: {e}");
            assert_eq!(e.at, at, "{q}: {e}");
        }
        let long = "a".repeat(QUERY_BYTES_MAX + 1);
        assert!(parse(&long)
            .unwrap_err()
            .message
            .contains("QUERY_BYTES_MAX"));
    }

    #[test]
    fn conjuncts_flatten_nested_ands() {
        let f =
            parse("status == \"failed\" && (run.flow == \"A\" && input.x == 1) || false").unwrap();
        assert_eq!(f.conjuncts().len(), 1);
        let f = parse("status == \"failed\" && (run.flow == \"A\" && input.x == 1)").unwrap();
        assert_eq!(f.conjuncts().len(), 3);
    }

    #[test]
    fn paths_in_each_dialect() {
        let steps = vec![Step::Key("a b".into()), Step::Index(2)];
        assert_eq!(sqlite_path(&steps), "$.\"a b\"[2]");
        assert_eq!(
            postgres_path(&steps),
            vec!["a b".to_string(), "2".to_string()]
        );
    }
}

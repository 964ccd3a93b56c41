//! Annotations after calls: `@retry`, `@timeout` and `@catch` (E0110 to
//! E0113).
//!
//! Arguments are expressions evaluated at run time, so only literals can be
//! judged here: `@timeout(stage.duration)` is accepted as it is, while
//! `@timeout(3)` is an error because a bare number is not a duration.
//! `@timeout(null)` and `@timeout("continuous")` mean no timeout.

use crate::calls::Target;
use crate::codes;
use crate::suggest;
use crate::walk::Walker;
use weft_syntax::ast::{Annotation, Arg, Call, Expr, ExprKind, UnaryOp};
use weft_syntax::lang::{self, BuiltinKind};
use weft_syntax::lexer::parse_duration_text;
use weft_syntax::{Diagnostic, Span};

/// The named arguments of `@retry`.
const RETRY_NAMED: &[&str] = &["backoff", "maxBackoff"];

/// Example durations for helps.
const DURATION_EXAMPLES: &str = "`30s`, `5m`, `2h` or `1day`";

/// What a literal is, for messages; `None` for expressions computed at run
/// time, which the checker cannot judge.
fn literal_kind(e: &Expr) -> Option<&'static str> {
    Some(match &e.unparen().kind {
        ExprKind::Number(_) => "a number",
        ExprKind::String(_) => "a string",
        ExprKind::Duration { .. } => "a duration",
        ExprKind::Bool(_) => "a boolean",
        ExprKind::Null => "`null`",
        ExprKind::Array(_) => "a list",
        ExprKind::Object(_) => "an object",
        ExprKind::Lambda(_) => "a function",
        ExprKind::Flow(_) => "a flow",
        _ => return None,
    })
}

/// The value of a number literal, with its sign (`-1`, `+2`, `(3)`).
fn number_literal(e: &Expr) -> Option<f64> {
    match &e.unparen().kind {
        ExprKind::Number(v) => Some(*v),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => number_literal(operand).map(|v| -v),
        ExprKind::Unary {
            op: UnaryOp::Plus,
            operand,
        } => number_literal(operand),
        _ => None,
    }
}

/// True for `-3s` (a duration literal with a minus).
fn negative_duration(e: &Expr) -> bool {
    match &e.unparen().kind {
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => matches!(operand.unparen().kind, ExprKind::Duration { ms, .. } if ms > 0),
        _ => false,
    }
}

/// True for the literals that give `@timeout` no timeout: `null` and
/// `"continuous"` (`lang::NO_TIMEOUT_TEXT`).
fn means_no_timeout(e: &Expr) -> bool {
    match &e.unparen().kind {
        ExprKind::Null => true,
        ExprKind::String(s) => s == lang::NO_TIMEOUT_TEXT,
        _ => false,
    }
}

/// From `@` to the end of the annotation's name.
fn head_span(a: &Annotation) -> Span {
    Span {
        start: a.span.start,
        end: a.name.span.end.max(a.span.start),
    }
}

/// `n` written as a user would (`3`, `1.5`).
fn show_number(n: f64) -> String {
    format!("{n}")
}

impl<'a> Walker<'a, '_> {
    /// Checks the annotations of `call`, which calls `target`; `awaited` is
    /// true when the call stands under `await`.
    pub(crate) fn check_annotations(&mut self, call: &'a Call, target: Target<'a>, awaited: bool) {
        let mut seen: Vec<&Annotation> = Vec::new();
        for annotation in &call.annotations {
            let name = annotation.name.name.as_str();
            if name.is_empty() {
                continue; // The parser reported the missing name.
            }
            if lang::annotation(name).is_none() {
                let known = lang::ANNOTATIONS.iter().map(|a| a.name);
                let suggestion = suggest::closest(name, known);
                let help = match suggestion {
                    Some(s) => format!("did you mean `@{s}`?"),
                    None => "the annotations are `@retry`, `@timeout` and `@catch`".to_string(),
                };
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_ANNOTATION,
                    head_span(annotation),
                    format!("unknown annotation `@{name}`"),
                )
                .with_help(help);
                if let Some(s) = suggestion {
                    d = d.with_replacement(annotation.name.span, s);
                }
                self.emit(d);
                continue;
            }
            if let Some(first) = seen.iter().find(|a| a.name.name == name) {
                let d = Diagnostic::error(
                    codes::DUPLICATE_ANNOTATION,
                    head_span(annotation),
                    format!("`@{name}` is given twice on this call"),
                )
                .with_label(head_span(first), format!("the first `@{name}` is here"))
                .with_help("keep one of them");
                self.emit(d);
                continue;
            }
            seen.push(annotation);
            // An argument that did not parse: the parser reported it.
            if !annotation
                .args
                .iter()
                .any(|a| matches!(a.value.kind, ExprKind::Error))
            {
                match name {
                    "retry" => self.retry_arguments(annotation),
                    "timeout" => self.timeout_arguments(annotation),
                    _ => self.catch_arguments(annotation),
                }
            }
            self.check_applicable(annotation, target, awaited);
        }
    }

    fn annotation_error(&mut self, span: Span, message: String, help: String) {
        self.emit(Diagnostic::error(codes::ANNOTATION_ARGUMENTS, span, message).with_help(help));
    }

    /// `@retry(n, backoff: d, maxBackoff: d)`.
    fn retry_arguments(&mut self, annotation: &'a Annotation) {
        let positional: Vec<&Arg> = annotation
            .args
            .iter()
            .filter(|a| a.name.is_none())
            .collect();
        match positional.as_slice() {
            [] => self.annotation_error(
                head_span(annotation),
                "`@retry` needs the number of retries".to_string(),
                "write `@retry(3)` for up to three more attempts after a failure".to_string(),
            ),
            [count, rest @ ..] => {
                self.retry_count(&count.value);
                if let Some(extra) = rest.first() {
                    self.annotation_error(
                        extra.value.span,
                        "`@retry` takes one number of retries".to_string(),
                        "name the other arguments: `@retry(3, backoff: 1s, maxBackoff: 1m)`"
                            .to_string(),
                    );
                }
            }
        }
        let mut named_seen: Vec<&str> = Vec::new();
        for arg in &annotation.args {
            let Some(name) = &arg.name else { continue };
            let name_str = name.name.as_str();
            if !RETRY_NAMED.contains(&name_str) {
                let suggestion = suggest::closest(name_str, RETRY_NAMED.iter().copied());
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "the named arguments of `@retry` are `backoff` and `maxBackoff`".to_string()
                    }
                };
                let mut d = Diagnostic::error(
                    codes::ANNOTATION_ARGUMENTS,
                    name.span,
                    format!("`@retry` has no argument `{name_str}`"),
                )
                .with_help(help);
                if let Some(s) = suggestion {
                    d = d.with_replacement(name.span, s);
                }
                self.emit(d);
                continue;
            }
            if named_seen.contains(&name_str) {
                self.annotation_error(
                    name.span,
                    format!("`{name_str}` is given twice"),
                    "keep one of them".to_string(),
                );
                continue;
            }
            named_seen.push(name_str);
            self.duration_argument(&arg.value, &format!("`{name_str}`"));
        }
    }

    /// The number of retries: a whole number, not negative, when literal.
    fn retry_count(&mut self, value: &'a Expr) {
        let help = "write a whole number of retries, such as `@retry(3)`".to_string();
        if let Some(n) = number_literal(value) {
            if n < 0.0 {
                self.annotation_error(
                    value.span,
                    "the number of retries cannot be negative".to_string(),
                    help,
                );
            } else if n.fract() != 0.0 || !n.is_finite() {
                self.annotation_error(
                    value.span,
                    format!(
                        "the number of retries must be a whole number, found `{}`",
                        show_number(n)
                    ),
                    help,
                );
            }
            return;
        }
        if negative_duration(value) {
            self.annotation_error(
                value.span,
                "the number of retries must be a number, found a duration".to_string(),
                help,
            );
            return;
        }
        if let Some(kind) = literal_kind(value) {
            self.annotation_error(
                value.span,
                format!("the number of retries must be a number, found {kind}"),
                help,
            );
        }
    }

    /// `@timeout(d)`: exactly one duration.
    fn timeout_arguments(&mut self, annotation: &'a Annotation) {
        match annotation.args.as_slice() {
            [] => self.annotation_error(
                head_span(annotation),
                "`@timeout` needs a duration".to_string(),
                format!("write `@timeout(...)` with a duration such as {DURATION_EXAMPLES}"),
            ),
            [arg] => {
                if let Some(name) = &arg.name {
                    self.annotation_error(
                        name.span,
                        format!("`@timeout` has no argument `{}`", name.name),
                        "write the duration alone: `@timeout(30s)`".to_string(),
                    );
                } else if !means_no_timeout(&arg.value) {
                    self.duration_argument(&arg.value, "`@timeout`");
                }
            }
            [_, extra, ..] => self.annotation_error(
                extra.value.span,
                "`@timeout` takes one duration".to_string(),
                "remove the other arguments".to_string(),
            ),
        }
    }

    /// `@catch` takes nothing.
    fn catch_arguments(&mut self, annotation: &'a Annotation) {
        if let Some(first) = annotation.args.first() {
            self.annotation_error(
                first.value.span,
                "`@catch` takes no arguments".to_string(),
                "write `@catch` alone".to_string(),
            );
        }
    }

    /// A duration argument of `what` (such as "`@timeout`"), when literal.
    fn duration_argument(&mut self, value: &'a Expr, what: &str) {
        let inner = value.unparen();
        if let ExprKind::String(text) = &inner.kind {
            if parse_duration_text(text).is_none() {
                self.annotation_error(
                    value.span,
                    format!("{what} needs a duration, and `{text:?}` is not one"),
                    format!("write a duration such as {DURATION_EXAMPLES}"),
                );
            }
            return;
        }
        if negative_duration(value) {
            self.annotation_error(
                value.span,
                format!("{what} needs a duration that is not negative"),
                format!("write a duration such as {DURATION_EXAMPLES}"),
            );
            return;
        }
        if let Some(n) = number_literal(value) {
            let shown = show_number(n.abs());
            self.annotation_error(
                value.span,
                format!(
                    "{what} needs a duration, found the number `{}`",
                    show_number(n)
                ),
                format!("write `{shown}s` or `{shown}m`: a bare number is not a duration"),
            );
            return;
        }
        match literal_kind(value) {
            None | Some("a duration") => {}
            Some(kind) => self.annotation_error(
                value.span,
                format!("{what} needs a duration, found {kind}"),
                format!("write a duration such as {DURATION_EXAMPLES}"),
            ),
        }
    }

    /// E0113: the annotation on a call it cannot apply to.
    fn check_applicable(&mut self, annotation: &'a Annotation, target: Target<'a>, awaited: bool) {
        let name = annotation.name.name.as_str();
        let (message, help) = match target {
            Target::Builtin(b) => match (name, b.kind) {
                ("timeout", BuiltinKind::Timer | BuiltinKind::Parallel) if awaited => return,
                ("timeout", BuiltinKind::Timer | BuiltinKind::Parallel) => (
                    format!("`@timeout` on `{}` only applies under `await`", b.name),
                    format!("write `await {}(...) @timeout(...)` to bound the wait", b.name),
                ),
                ("timeout", _) => (
                    format!("`@timeout` cannot apply to the built-in `{}`", b.name),
                    "`@timeout` bounds activities, flows, and awaited timers and parallel built-ins"
                        .to_string(),
                ),
                (_, BuiltinKind::Pure | BuiltinKind::Recorded) => (
                    format!("`@{name}` cannot apply to the built-in `{}`", b.name),
                    format!("`{}` does not fail the way activities do: remove `@{name}`", b.name),
                ),
                _ => (
                    format!("`@{name}` cannot apply to the built-in `{}`", b.name),
                    format!("put `@{name}` on the activity calls it runs"),
                ),
            },
            Target::Closure | Target::Dynamic if name != "timeout" => (
                format!("`@{name}` cannot apply to a call of a function value"),
                format!("put `@{name}` on the activity calls inside the function"),
            ),
            _ => return,
        };
        self.emit(
            Diagnostic::error(codes::ANNOTATION_NOT_APPLICABLE, annotation.span, message)
                .with_help(help),
        );
    }
}

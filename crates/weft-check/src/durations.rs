//! Plain numbers where durations are expected (W0190).
//!
//! A plain number is not a duration (edition 2): comparing one with a
//! duration, adding one to it or subtracting one from it stops the run. The
//! checker cannot know what an activity sends, but it can see a value used
//! both ways: the seed's `powerAnalysis.requiredDuration > 30days` and,
//! later in the same flow, `dayCount < powerAnalysis.requiredDuration`
//! where `dayCount` counts from `0`. Whatever the activity sends, one of the
//! two fails: a number fails the first, text such as `"45days"` the second.
//!
//! The rule, per top-level flow (its `func`s and inline flows included,
//! where the same written path names the same data):
//!
//! - an expression is a **number** when it is a number literal, a variable
//!   every assignment of which (in its function) gives a number (`0`,
//!   `dayCount++`, `n + 1`), arithmetic on numbers, or `len(...)` /
//!   `number(...)`; a **duration** when it is a duration literal, a
//!   variable always assigned a duration, `duration(...)`, or duration
//!   arithmetic (`2 * 1h`, `d1 + d2`);
//! - a comparison, `+` or `-` of a number with a duration is reported where
//!   it is (it fails on every run that gets there);
//! - a *path* (`x`, `x.a.b`) whose kind is not known, compared with or
//!   added to a duration in one place (or given to `@timeout` or `Sleep`)
//!   and compared with or added to a number in another, is reported at
//!   each place it meets a duration, with a label at the first place it
//!   meets a number.

use crate::codes;
use crate::program::has_syntax_errors;
use crate::SourceFile;
use std::collections::HashMap;
use weft_syntax::ast::{BinaryOp, Block, Expr, ExprKind, FlowDecl, Ident, Stmt, StmtKind, UnaryOp};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{Diagnostic, Span};

/// Checks every flow of `files`, appending to `out` (one list per file).
pub(crate) fn check(files: &[SourceFile<'_>], out: &mut [Vec<Diagnostic>]) {
    for (file, source) in files.iter().enumerate() {
        for flow in source.module.flows() {
            if has_syntax_errors(flow) {
                continue;
            }
            let mut w = Walker {
                scopes: Vec::new(),
                uses: Vec::new(),
                diags: Vec::new(),
            };
            w.function(&params(flow), &flow.body);
            w.report_paths();
            out[file].append(&mut w.diags);
        }
    }
}

fn params(flow: &FlowDecl) -> Vec<&Ident> {
    flow.params.iter().filter_map(|p| p.name.as_ref()).collect()
}

/// What the checker knows a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Nothing yet (a variable whose assignments are not looked at yet).
    Bottom,
    /// A plain number.
    Number,
    /// A duration.
    Duration,
    /// Something else, or either.
    Unknown,
}

impl Kind {
    fn join(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Bottom, k) | (k, Kind::Bottom) => k,
            (a, b) if a == b => a,
            _ => Kind::Unknown,
        }
    }
}

/// A place where a path meets a number or a duration.
struct Use {
    path: String,
    kind: Kind,
    /// The expression that uses it (the comparison, the argument).
    span: Span,
}

/// How a function's body assigns one of its variables.
enum Assigned<'a> {
    /// `x = e`, `let x = e`.
    Value(&'a Expr),
    /// `x op= e`.
    Compound(BinaryOp, &'a Expr),
    /// `x++`, `x--`.
    Step,
    /// `for x in`, `value, err =`: not a number or a duration we know of.
    Opaque,
}

struct Walker {
    /// The kinds of the variables of each function around, innermost last.
    scopes: Vec<HashMap<String, Kind>>,
    uses: Vec<Use>,
    diags: Vec<Diagnostic>,
}

impl Walker {
    /// Walks the function with `params` and `body`: its variables' kinds
    /// first (to a fixed point: `b = a + 1` depends on `a`), then its code.
    fn function(&mut self, params: &[&Ident], body: &Block) {
        let mut sites: Vec<(String, Assigned)> = Vec::new();
        Sites(&mut sites).visit_block(body);
        let mut kinds: HashMap<String, Kind> = HashMap::new();
        for (name, _) in &sites {
            kinds.insert(name.clone(), Kind::Bottom);
        }
        for p in params {
            kinds.insert(p.name.clone(), Kind::Unknown);
        }
        self.scopes.push(kinds);
        // Each round can only move a variable up the lattice (Bottom, then
        // Number or Duration, then Unknown), so rounds are bounded by twice
        // the number of variables; a small cap is plenty in practice.
        for _ in 0..=2 * sites.len().min(64) {
            let mut next: HashMap<String, Kind> = HashMap::new();
            for (name, how) in &sites {
                let k = match how {
                    Assigned::Value(e) => self.kind(e),
                    Assigned::Compound(op, e) => {
                        let current = self.var_kind(name);
                        arithmetic(*op, current, self.kind(e))
                    }
                    Assigned::Step => Kind::Number,
                    Assigned::Opaque => Kind::Unknown,
                };
                let entry = next.entry(name.clone()).or_insert(Kind::Bottom);
                *entry = entry.join(k);
            }
            let scope = self.scopes.last_mut().expect("pushed above");
            let mut changed = false;
            for (name, k) in next {
                if scope.get(&name) != Some(&k) && scope.get(&name) != Some(&Kind::Unknown) {
                    scope.insert(name, k);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // What no assignment decided (`a = b; b = a`) is not known.
        for k in self.scopes.last_mut().expect("pushed above").values_mut() {
            if *k == Kind::Bottom {
                *k = Kind::Unknown;
            }
        }
        CodeWalk(self).visit_block(body);
        self.scopes.pop();
    }

    /// The kind of variable `name`, from the innermost function that has it.
    fn var_kind(&self, name: &str) -> Kind {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name).copied())
            .unwrap_or(Kind::Unknown)
    }

    /// What `e` is known to be.
    fn kind(&self, e: &Expr) -> Kind {
        match &e.kind {
            ExprKind::Number(_) => Kind::Number,
            ExprKind::Duration { .. } => Kind::Duration,
            ExprKind::Name(n) => self.var_kind(n),
            ExprKind::Paren(inner) => self.kind(inner),
            ExprKind::Unary {
                op: UnaryOp::Neg | UnaryOp::Plus,
                operand,
            } => self.kind(operand),
            ExprKind::Binary { op, lhs, rhs } => arithmetic(*op, self.kind(lhs), self.kind(rhs)),
            ExprKind::Call(call) => match call.callee_name() {
                Some("len" | "number") => Kind::Number,
                Some("duration") => Kind::Duration,
                _ => Kind::Unknown,
            },
            _ => Kind::Unknown,
        }
    }

    /// Records or reports what a comparison, `+` or `-` does.
    fn binary(&mut self, e: &Expr, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
        if !matches!(
            op,
            BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::Add
                | BinaryOp::Sub
        ) {
            return;
        }
        let (kl, kr) = (self.kind(lhs), self.kind(rhs));
        match (kl, kr) {
            (Kind::Number, Kind::Duration) | (Kind::Duration, Kind::Number) => {
                let (number, duration) = if kl == Kind::Number {
                    (lhs, rhs)
                } else {
                    (rhs, lhs)
                };
                self.diags.push(mixed(e.span, op, number, duration));
            }
            _ => {
                for (side, other) in [(lhs, kr), (rhs, kl)] {
                    if let (Some(path), Kind::Number | Kind::Duration) = (path_of(side), other) {
                        if self.kind(side) != Kind::Unknown || !known_path(side, self) {
                            continue;
                        }
                        self.uses.push(Use {
                            path,
                            kind: other,
                            span: e.span,
                        });
                    }
                }
            }
        }
    }

    /// A path given where a duration is expected (`@timeout(x)`, `Sleep(x)`).
    fn duration_argument(&mut self, arg: &Expr) {
        if let Some(path) = path_of(arg) {
            if self.kind(arg) == Kind::Unknown {
                self.uses.push(Use {
                    path,
                    kind: Kind::Duration,
                    span: arg.span,
                });
            }
        }
    }

    /// W0190 at each place a path meets a duration, when it meets a number
    /// elsewhere.
    fn report_paths(&mut self) {
        let uses = std::mem::take(&mut self.uses);
        for u in uses.iter().filter(|u| u.kind == Kind::Duration) {
            let Some(number) = uses
                .iter()
                .find(|n| n.kind == Kind::Number && n.path == u.path)
            else {
                continue;
            };
            self.diags.push(
                Diagnostic::warning(
                    codes::NUMBER_AS_DURATION,
                    u.span,
                    format!(
                        "`{}` is used as a duration here and as a plain number elsewhere",
                        u.path
                    ),
                )
                .with_label(number.span, "used as a number here")
                .with_help(
                    "a plain number is not a duration, so one of the two stops the run: if the value counts days, compare it with a number here (`30`, not `30days`); if it is a duration, have it sent with its unit (\"45days\") and compare it with durations",
                ),
            );
        }
    }
}

/// The parts of a function: expressions are looked at, nested functions
/// walked as functions of their own.
struct CodeWalk<'w>(&'w mut Walker);

impl<'a> Visitor<'a> for CodeWalk<'_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Lambda(l) => {
                let params: Vec<&Ident> = l.params.iter().collect();
                self.0.function(&params, &l.body);
                return;
            }
            ExprKind::Flow(f) => {
                for p in &f.params {
                    if let Some(v) = &p.value {
                        self.visit_expr(v);
                    }
                }
                self.0.function(&params(f), &f.body);
                return;
            }
            ExprKind::Binary { op, lhs, rhs } => self.0.binary(e, *op, lhs, rhs),
            ExprKind::Call(call) => {
                if call.callee_name() == Some("Sleep") {
                    if let Some(a) = call.args.first() {
                        self.0.duration_argument(&a.value);
                    }
                }
                if let Some(t) = call.annotation("timeout") {
                    if let Some(a) = t.args.first() {
                        self.0.duration_argument(&a.value);
                    }
                }
            }
            _ => {}
        }
        visit::walk_expr(self, e);
    }
}

/// The assignments of a function's own body (not of nested functions).
struct Sites<'s, 'a>(&'s mut Vec<(String, Assigned<'a>)>);

impl<'a> Visitor<'a> for Sites<'_, 'a> {
    fn visit_expr(&mut self, _: &'a Expr) {}

    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Let {
                name,
                value: Some(v),
                ..
            } => self.0.push((name.name.clone(), Assigned::Value(v))),
            StmtKind::Assign { target, op, value } => {
                if let ExprKind::Name(n) = &target.kind {
                    let how = match op.binary() {
                        None => Assigned::Value(value),
                        Some(b) => Assigned::Compound(b, value),
                    };
                    self.0.push((n.clone(), how));
                }
            }
            StmtKind::IncDec { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    self.0.push((n.clone(), Assigned::Step));
                }
            }
            StmtKind::For { var, .. } => self.0.push((var.name.clone(), Assigned::Opaque)),
            StmtKind::TryAssign { value, err, .. } => {
                self.0.push((value.name.clone(), Assigned::Opaque));
                self.0.push((err.name.clone(), Assigned::Opaque));
            }
            _ => {}
        }
        visit::walk_stmt(self, s);
    }
}

/// The kind of `a op b` from the kinds of its operands.
fn arithmetic(op: BinaryOp, a: Kind, b: Kind) -> Kind {
    use Kind::*;
    match op {
        BinaryOp::Add | BinaryOp::Sub => match (a, b) {
            (Number, Number) => Number,
            (Duration, Duration) => Duration,
            (Bottom, k) | (k, Bottom) if k != Unknown => Bottom,
            _ => Unknown,
        },
        BinaryOp::Mul => match (a, b) {
            (Number, Number) => Number,
            (Duration, Number) | (Number, Duration) => Duration,
            (Bottom, _) | (_, Bottom) => Bottom,
            _ => Unknown,
        },
        BinaryOp::Div => match (a, b) {
            (Number, Number) | (Duration, Duration) => Number,
            (Duration, Number) => Duration,
            (Bottom, _) | (_, Bottom) => Bottom,
            _ => Unknown,
        },
        BinaryOp::Rem => match (a, b) {
            (Number, Number) => Number,
            (Duration, Duration) => Duration,
            (Bottom, _) | (_, Bottom) => Bottom,
            _ => Unknown,
        },
        _ => Unknown,
    }
}

/// `x`, `x.a.b` as written.
fn path_of(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Member { object, name } => Some(format!("{}.{}", path_of(object)?, name.name)),
        ExprKind::Paren(inner) => path_of(inner),
        _ => None,
    }
}

/// True unless `e` is a variable the checker knows nothing of because
/// nothing assigns it (then it is not a variable of the flow at all).
fn known_path(e: &Expr, w: &Walker) -> bool {
    let mut root = e;
    loop {
        match &root.kind {
            ExprKind::Member { object, .. } => root = object,
            ExprKind::Paren(inner) => root = inner,
            ExprKind::Name(n) => return w.scopes.iter().any(|s| s.contains_key(n)),
            _ => return false,
        }
    }
}

/// W0190 for a number and a duration that meet in `op`.
fn mixed(span: Span, op: BinaryOp, number: &Expr, duration: &Expr) -> Diagnostic {
    let shown = |e: &Expr| path_of(e).unwrap_or_else(|| "this".to_string());
    let verb = match op {
        BinaryOp::Add => "adding them",
        BinaryOp::Sub => "subtracting them",
        _ => "comparing them",
    };
    let n = shown(number);
    let d = match &duration.unparen().kind {
        ExprKind::Duration { amount, unit, .. } => format!("{amount}{unit}"),
        _ => shown(duration),
    };
    Diagnostic::warning(
        codes::NUMBER_AS_DURATION,
        span,
        format!("`{n}` is a plain number and `{d}` a duration: {verb} stops the run"),
    )
    .with_help(format!(
        "compare numbers with numbers, or make the number a duration with its unit (`{n} * 1day`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each W0190 as `line: message`.
    fn found(src: &str) -> Vec<String> {
        let p = weft_syntax::parse(src);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let files = [SourceFile {
            name: "a.weft",
            module: &p.module,
        }];
        let mut out = vec![Vec::new()];
        check(&files, &mut out);
        out[0]
            .iter()
            .map(|d| {
                let line = src[..d.span.start as usize].lines().count().max(1);
                format!("{line}: {}", d.message)
            })
            .collect()
    }

    #[test]
    fn the_seed_s_required_duration() {
        let src = "flow Run(e) {\n    plan = Size(e)\n    if plan.requiredDuration > 30days {\n        Split(e)\n    }\n    watch = flow Watch(plan) {\n        dayCount = 0\n        while dayCount < plan.requiredDuration {\n            Collect()\n            dayCount++\n        }\n        return dayCount\n    }\n    return watch\n}\n";
        assert_eq!(
            found(src),
            ["3: `plan.requiredDuration` is used as a duration here and as a plain number elsewhere"]
        );
    }

    #[test]
    fn a_number_and_a_duration_meet() {
        let src = "flow Run(e) {\n    days = 0\n    days += 1\n    limit = 2 * 1h\n    if days > limit {\n        return 1\n    }\n    return days - 1day\n}\n";
        assert_eq!(
            found(src),
            [
                "5: `days` is a plain number and `limit` a duration: comparing them stops the run",
                "8: `days` is a plain number and `1day` a duration: subtracting them stops the run",
            ]
        );
    }

    #[test]
    fn one_use_each_way_is_fine() {
        for src in [
            // Only ever a duration: text such as "5h" works.
            "flow A(c) {\n    if c.age > 4hours {\n        Sync(c)\n    }\n    x = Monitor(c) @timeout(c.age)\n    return x\n}\n",
            // Only ever a number.
            "flow A(c) {\n    n = 0\n    while n < c.days {\n        n++\n    }\n    return c.days > 30\n}\n",
            // Scaling a duration by a number is fine.
            "flow A(c) {\n    n = 3\n    Sleep(n * 1h)\n    return 1\n}\n",
        ] {
            assert!(found(src).is_empty(), "{src}");
        }
    }
}

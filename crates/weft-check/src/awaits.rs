//! `await`: on what it may stand, and whether the wait is bounded (E0120,
//! W0160, W0170).
//!
//! `await` waits durably for something outside the run: an activity, a
//! timer, or the branches of `WaitForAny`, `WaitAll` and `ParallelExecute`
//! (an `await` before those applies to each call of their list). An awaited
//! activity without `@timeout` may keep the run waiting forever, hence
//! W0160. A flow call runs to its end with or without `await`, hence W0170.

use crate::calls::{takes_branch_list, Target};
use crate::codes;
use crate::walk::Walker;
use weft_syntax::ast::{Call, Expr, ExprKind};
use weft_syntax::lang::BuiltinKind;
use weft_syntax::{Diagnostic, Edit, Span};

/// How an element of `WaitForAny`'s list bounds the wait.
enum Bound {
    /// A timer, or a call with `@timeout`: the wait ends.
    Bounded,
    /// An activity without `@timeout`.
    Unbounded,
    /// Something the checker cannot judge (a flow, a variable, ...).
    Unknown,
}

impl<'a> Walker<'a, '_> {
    /// Checks the operand of an `await`.
    pub(crate) fn check_await(&mut self, operand: &'a Expr) {
        let e = operand.unparen();
        match &e.kind {
            ExprKind::Error => {}
            ExprKind::Call(call) => self.awaited_call(call, e.span),
            ExprKind::Flow(flow) => self.emit(await_on_flow(&flow.name.name, flow.name.span)),
            ExprKind::Array(items) => self.awaited_list(items),
            ExprKind::Await(_) => self.emit(
                Diagnostic::error(
                    codes::AWAIT_NOT_A_CALL,
                    e.span,
                    "`await` is written twice",
                )
                .with_help("one `await` is enough"),
            ),
            _ => self.emit(
                Diagnostic::error(
                    codes::AWAIT_NOT_A_CALL,
                    e.span,
                    "`await` needs a call or a list of calls",
                )
                .with_help("write `await` before the call that waits, as in `await Approve(order) @timeout(2days)`"),
            ),
        }
    }

    /// `await Call(...)`; `span` is the call's expression.
    fn awaited_call(&mut self, call: &'a Call, span: Span) {
        let name = crate::calls::callee_text(call);
        match self.resolve(call) {
            Target::Activity => {
                if call.annotation("timeout").is_none() && self.in_handler() {
                    self.emit(
                        Diagnostic::error(
                            codes::HANDLER_AWAIT_WITHOUT_TIMEOUT,
                            call.callee.span,
                            format!("awaited call to `{name}` in a handler has no `@timeout`"),
                        )
                        .with_help(format!(
                            "the instance takes no other command until the handler ends: bound the wait, as in `await {name}(...) @timeout(24h)`"
                        )),
                    );
                } else if call.annotation("timeout").is_none() {
                    self.emit(
                        Diagnostic::warning(
                            codes::AWAIT_WITHOUT_TIMEOUT,
                            call.callee.span,
                            format!("awaited call to `{name}` has no `@timeout`"),
                        )
                        .with_help(format!(
                            "add `@timeout(...)` so the run cannot wait forever, as in `await {name}(...) @timeout(24h)`"
                        ))
                        .with_fix(ADD_TIMEOUT_TITLE, add_timeout(call, span)),
                    );
                }
            }
            Target::Flow(_) | Target::InlineFlow(_) => {
                self.emit(await_on_flow(&name, call.callee.span))
            }
            // A closure runs its own awaits; `await` before it is harmless.
            Target::Closure | Target::Dynamic | Target::Broken => {}
            Target::Builtin(b) => match b.kind {
                BuiltinKind::Timer | BuiltinKind::Sequential => {}
                BuiltinKind::Parallel => {
                    if call.annotation("timeout").is_none() && takes_branch_list(b) {
                        self.awaited_branches(call, b.name);
                    }
                }
                BuiltinKind::Pure | BuiltinKind::Recorded => self.emit(
                    Diagnostic::error(
                        codes::AWAIT_NOT_A_CALL,
                        call.callee.span,
                        format!("`await` on `{name}`, which does not wait"),
                    )
                    .with_help(format!(
                        "remove `await`: `{name}` returns at once; `await` is for activities, timers and parallel built-ins"
                    )),
                ),
            },
        }
    }

    /// The branches of an awaited `WaitForAny`, `WaitAll` or
    /// `ParallelExecute` without a `@timeout` of its own.
    fn awaited_branches(&mut self, call: &'a Call, builtin: &str) {
        let Some(ExprKind::Array(items)) = call.args.first().map(|a| &a.value.unparen().kind)
        else {
            return; // A list computed at run time: nothing to judge.
        };
        if builtin != "WaitForAny" {
            // All branches must finish: each unbounded one can hold the wait.
            for item in items {
                if let Some(branch) = item.as_call() {
                    if matches!(self.resolve(branch), Target::Activity)
                        && branch.annotation("timeout").is_none()
                    {
                        self.emit(
                            branch_without_timeout(branch, builtin).with_fix(
                                ADD_TIMEOUT_TITLE,
                                add_timeout(branch, item.unparen().span),
                            ),
                        );
                    }
                }
            }
            return;
        }
        // The first branch to finish ends the wait: one bounded branch is
        // enough.
        let mut unbounded = 0;
        for item in items {
            match self.bound(item) {
                Bound::Bounded | Bound::Unknown => return,
                Bound::Unbounded => unbounded += 1,
            }
        }
        if unbounded > 0 {
            self.emit(
                Diagnostic::warning(
                    codes::AWAIT_WITHOUT_TIMEOUT,
                    call.callee.span,
                    "no branch of this `WaitForAny` has a `@timeout`",
                )
                .with_help(
                    "add `@timeout(...)` to a branch, add a `Sleep(...)` branch, or write `await WaitForAny([...]) @timeout(...)`",
                ),
            );
        }
    }

    fn bound(&self, item: &Expr) -> Bound {
        let Some(call) = item.as_call() else {
            return Bound::Unknown;
        };
        if call.annotation("timeout").is_some() {
            return Bound::Bounded;
        }
        match self.resolve(call) {
            Target::Builtin(b) if b.kind == BuiltinKind::Timer => Bound::Bounded,
            Target::Activity => Bound::Unbounded,
            _ => Bound::Unknown,
        }
    }

    /// `await [A(), B()]`: every element must be a call; each is awaited.
    fn awaited_list(&mut self, items: &'a [Expr]) {
        if items
            .iter()
            .any(|i| matches!(i.unparen().kind, ExprKind::Error))
        {
            return;
        }
        if let Some(bad) = items
            .iter()
            .find(|i| !matches!(i.unparen().kind, ExprKind::Call(_) | ExprKind::Flow(_)))
        {
            self.emit(
                Diagnostic::error(
                    codes::AWAIT_NOT_A_CALL,
                    bad.span,
                    "every element of an awaited list must be a call",
                )
                .with_help("`await [A(x), B(y)]` waits for each call of the list"),
            );
            return;
        }
        let is_flow = |w: &Self, item: &Expr| match &item.unparen().kind {
            ExprKind::Flow(_) => true,
            ExprKind::Call(c) => matches!(w.resolve(c), Target::Flow(_) | Target::InlineFlow(_)),
            _ => false,
        };
        if !items.is_empty() && items.iter().all(|i| is_flow(self, i)) {
            if let Some(first) = items.first() {
                self.emit(
                    Diagnostic::warning(
                        codes::AWAIT_ON_FLOW,
                        first.span,
                        "`await` on a list of flow calls has no effect",
                    )
                    .with_help("remove `await`: flow calls run to their end either way"),
                );
            }
            return;
        }
        for item in items {
            if is_flow(self, item) {
                continue;
            }
            if let ExprKind::Call(call) = &item.unparen().kind {
                self.awaited_call(call, item.unparen().span);
            }
        }
    }
}

/// The title of W0160's fix.
const ADD_TIMEOUT_TITLE: &str = "Add `@timeout(24h)`";

/// The edit that adds `@timeout(24h)` after the call at `span` (and its
/// annotations): a day is a common bound for what a person answers; the
/// user adjusts it.
fn add_timeout(call: &Call, span: Span) -> Vec<Edit> {
    let end = call
        .annotations
        .iter()
        .map(|a| a.span.end)
        .chain([span.end])
        .max()
        .unwrap_or(span.end);
    vec![Edit {
        span: Span { start: end, end },
        text: " @timeout(24h)".to_string(),
    }]
}

/// W0170 for `await` on the flow `name`.
fn await_on_flow(name: &str, span: weft_syntax::Span) -> Diagnostic {
    Diagnostic::warning(
        codes::AWAIT_ON_FLOW,
        span,
        format!("`await` on the flow `{name}` has no effect"),
    )
    .with_help("remove `await`: a flow call runs to its end either way")
}

/// W0160 for a branch of an awaited `WaitAll` or `ParallelExecute`.
fn branch_without_timeout(branch: &Call, builtin: &str) -> Diagnostic {
    let name = crate::calls::callee_text(branch);
    Diagnostic::warning(
        codes::AWAIT_WITHOUT_TIMEOUT,
        branch.callee.span,
        format!("awaited call to `{name}` has no `@timeout`"),
    )
    .with_help(format!(
        "`{builtin}` waits for every branch: add `@timeout(...)` to this one, or write `await {builtin}([...]) @timeout(...)`"
    ))
}

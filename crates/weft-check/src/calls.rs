//! Calls: what a called name means, and whether the arguments fit
//! (E0141, E0142, E0144).
//!
//! `Name(args)` means, in this order: the closure held by a variable
//! `Name` in scope; the inline flow `Name` whose body we are inside (so an
//! inline flow may call itself); a top-level flow of the program; a
//! built-in; otherwise an activity. Activities are external, so any other
//! name is one and never an error.

use crate::codes;
use crate::program::FlowRef;
use crate::scope::ScopeKind;
use crate::suggest;
use crate::walk::Walker;
use weft_syntax::ast::{Call, Expr, ExprKind, FlowDecl, Ident};
use weft_syntax::lang::{self, Builtin};
use weft_syntax::{Diagnostic, Span};

/// What a call calls.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    /// A closure held by a variable.
    Closure,
    /// A callee that is not a plain name (`handlers[0](x)`): a closure too.
    Dynamic,
    /// A callee that did not parse: nothing is known, nothing is reported.
    Broken,
    /// An enclosing inline flow (recursion).
    InlineFlow(&'a FlowDecl),
    /// A top-level flow of the program.
    Flow(FlowRef<'a>),
    /// A built-in.
    Builtin(&'static Builtin),
    /// An activity: any other name.
    Activity,
}

/// The name of what `call` calls as written: `Name`, or the dotted name of
/// an activity (`mandril.Send`); empty for other callees.
pub(crate) fn callee_text(call: &Call) -> String {
    match call.callee_name() {
        Some(n) => n.to_string(),
        None => call.dotted_callee().map(|(n, _)| n).unwrap_or_default(),
    }
}

/// The built-ins whose list argument holds branches that an `await` on the
/// built-in applies to, one by one.
pub(crate) fn takes_branch_list(b: &Builtin) -> bool {
    matches!(b.name, "WaitForAny" | "WaitAll" | "ParallelExecute")
}

/// "1 argument", "2 arguments".
fn arguments(n: usize) -> String {
    if n == 1 {
        "1 argument".to_string()
    } else {
        format!("{n} arguments")
    }
}

/// "1 was given", "2 were given".
fn given(n: usize) -> String {
    if n == 1 {
        "1 was given".to_string()
    } else {
        format!("{n} were given")
    }
}

impl<'a> Walker<'a, '_> {
    /// E0153: `value, err = e` needs two names and, as `e`, a call (maybe
    /// awaited) of an activity or a flow: what can fail for good. `@catch`
    /// there would turn the failure into a value of `value` (E0113).
    pub(crate) fn try_assign_call(&mut self, value: &'a Ident, err: &'a Ident, e: &'a Expr) {
        if self.tainted {
            return;
        }
        if value.name == err.name {
            self.emit(
                Diagnostic::error(
                    codes::TRY_ASSIGN,
                    err.span,
                    format!("`{}` is both names of `value, err = ...`", err.name),
                )
                .with_label(value.span, "the value goes here")
                .with_help("give the error a name of its own, such as `err`"),
            );
        }
        let inner = match &e.unparen().kind {
            ExprKind::Await(inner) => inner.unparen(),
            _ => e.unparen(),
        };
        let target = inner.as_call().map(|c| (c, self.resolve(c)));
        match target {
            Some((_, Target::Activity | Target::Flow(_) | Target::InlineFlow(_))) => {}
            Some((_, Target::Broken)) => {}
            _ if matches!(inner.kind, ExprKind::Error) => {}
            other => {
                let what = match other {
                    Some((_, Target::Builtin(b))) => format!("the built-in `{}`", b.name),
                    Some((_, Target::Closure | Target::Dynamic)) => {
                        "a call of a function value".to_string()
                    }
                    _ if matches!(inner.kind, ExprKind::Flow(_)) => "an inline flow".to_string(),
                    _ => "not a call".to_string(),
                };
                self.emit(
                    Diagnostic::error(
                        codes::TRY_ASSIGN,
                        e.span,
                        format!("`value, err = ...` needs a call of an activity or a flow; this is {what}"),
                    )
                    .with_help(
                        "only a call of an activity or of a flow of the program can fail for good; assign other values to one name",
                    ),
                );
                return;
            }
        }
        if let Some(catch) = inner.as_call().and_then(|c| c.annotation("catch")) {
            self.emit(
                Diagnostic::error(
                    codes::ANNOTATION_NOT_APPLICABLE,
                    catch.span,
                    "`@catch` cannot apply here: with `value, err = ...` a failure goes to `err`",
                )
                .with_help("remove `@catch`"),
            );
        }
    }

    /// The innermost enclosing inline flow called `name`.
    pub(crate) fn enclosing_inline_flow(&self, name: &str) -> Option<&'a FlowDecl> {
        self.frames.iter().rev().find_map(|f| match f.scope.kind {
            ScopeKind::InlineFlow(decl) if decl.name.name == name => Some(decl),
            _ => None,
        })
    }

    /// What `call` calls, from the current scope.
    pub(crate) fn resolve(&self, call: &Call) -> Target<'a> {
        let Some(name) = call.callee_name() else {
            if let Some((_, root)) = call.dotted_callee() {
                if self.names_nothing(root) {
                    return Target::Activity;
                }
            }
            return match call.callee.unparen().kind {
                ExprKind::Error => Target::Broken,
                _ => Target::Dynamic,
            };
        };
        if self.lookup_var(name).is_some() {
            Target::Closure
        } else if let Some(decl) = self.enclosing_inline_flow(name) {
            Target::InlineFlow(decl)
        } else if let Some(flow) = self.program.flows.get(name) {
            Target::Flow(*flow)
        } else if let Some(b) = lang::builtin(name) {
            Target::Builtin(b)
        } else {
            Target::Activity
        }
    }

    /// True when `name` is not a variable, an inline flow around, a flow
    /// of the program or a built-in: `name.Send(...)` then calls the
    /// activity `name.Send`.
    pub(crate) fn names_nothing(&self, name: &str) -> bool {
        self.lookup_var(name).is_none()
            && self.enclosing_inline_flow(name).is_none()
            && !self.program.flows.contains_key(name)
            && lang::builtin(name).is_none()
    }

    /// Walks a call: its callee, arguments and annotations.
    pub(crate) fn call(&mut self, call: &'a Call, awaited: bool) {
        if let Some(mc) = self.as_machine_call(call) {
            self.machine_call(mc, call, awaited);
            return;
        }
        if call.callee_name().is_some_and(|n| self.is_machine(n)) {
            self.bare_instance(call);
            return;
        }
        let target = self.resolve(call);
        self.check_fail_placement(call, target);
        match &call.callee.kind {
            ExprKind::Name(name) => {
                if matches!(target, Target::Closure) {
                    self.read_name(name, call.callee.span, true);
                }
            }
            // A dotted activity name (`mandril.Send`) reads no variable.
            ExprKind::Member { .. } if matches!(target, Target::Activity) => {}
            _ => self.expr(&call.callee, false),
        }
        // `await WaitAll([A(), B()])` awaits each branch.
        let branches_awaited =
            awaited && matches!(target, Target::Builtin(b) if takes_branch_list(b));
        for arg in &call.args {
            self.expr(&arg.value, branches_awaited);
        }
        self.check_arguments(call, target);
        self.check_annotations(call, target, awaited);
        for annotation in &call.annotations {
            for arg in &annotation.args {
                self.expr(&arg.value, false);
            }
        }
    }

    /// E0141, E0142, E0144: the arguments against the callee's parameters.
    fn check_arguments(&mut self, call: &'a Call, target: Target<'a>) {
        // An argument that did not parse may hide more: the parser stopped
        // reading the list there.
        if call
            .args
            .iter()
            .any(|a| matches!(a.value.kind, ExprKind::Error))
        {
            return;
        }
        let given_count = call.args.len();
        match target {
            Target::Builtin(b) => {
                if given_count >= b.args_min && given_count <= b.args_max {
                    return;
                }
                let expected = if b.args_max == usize::MAX {
                    format!("at least {}", arguments(b.args_min))
                } else if b.args_min == b.args_max {
                    arguments(b.args_min)
                } else {
                    format!("{} to {}", b.args_min, arguments(b.args_max))
                };
                self.emit(
                    Diagnostic::error(
                        codes::BUILTIN_ARGUMENT_COUNT,
                        call.callee.span,
                        format!("`{}` takes {expected} but {}", b.name, given(given_count)),
                    )
                    .with_help(format!("the signature is `{}`", b.signature)),
                );
            }
            Target::Flow(flow) => self.check_flow_arguments(call, flow.decl, Some(flow.file)),
            Target::InlineFlow(decl) => self.check_flow_arguments(call, decl, None),
            Target::Closure | Target::Dynamic | Target::Broken | Target::Activity => {}
        }
    }

    /// Flows take their parameters positionally or by name, each once.
    /// `file` is the declaring file for top-level flows (inline flows are
    /// always in this one).
    fn check_flow_arguments(&mut self, call: &'a Call, decl: &'a FlowDecl, file: Option<usize>) {
        let name = decl.name.name.as_str();
        let params: Vec<Option<&str>> = decl
            .params
            .iter()
            .map(|p| p.name.as_ref().map(|n| n.name.as_str()))
            .collect();
        // Positional arguments fill the first parameters, whatever their
        // place among the named ones.
        let positional = call.args.iter().filter(|a| a.name.is_none()).count();
        let mut filled: Vec<bool> = (0..params.len()).map(|i| i < positional).collect();
        for arg in &call.args {
            let Some(arg_name) = &arg.name else {
                continue;
            };
            match params
                .iter()
                .position(|p| *p == Some(arg_name.name.as_str()))
            {
                Some(i) if !filled[i] => filled[i] = true,
                Some(_) => self.emit(
                    Diagnostic::error(
                        codes::UNKNOWN_NAMED_ARGUMENT,
                        arg_name.span,
                        format!(
                            "the parameter `{}` of `{name}` is given twice",
                            arg_name.name
                        ),
                    )
                    .with_help("give each parameter once, by position or by name"),
                ),
                None => {
                    let names: Vec<&str> = params.iter().flatten().copied().collect();
                    let suggestion = suggest::closest(&arg_name.name, names.iter().copied());
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if names.is_empty() => format!("`{name}` has no named parameters"),
                        None => format!(
                            "the parameters of `{name}` are {}",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_NAMED_ARGUMENT,
                        arg_name.span,
                        format!("`{name}` has no parameter `{}`", arg_name.name),
                    )
                    .with_help(help);
                    if let Some(s) = suggestion {
                        d = d.with_replacement(arg_name.span, s);
                    }
                    self.emit(d);
                }
            }
        }
        if call.args.len() != params.len() {
            let mut d = Diagnostic::error(
                codes::FLOW_ARGUMENT_COUNT,
                call.callee.span,
                format!(
                    "`{name}` takes {} but {}",
                    arguments(params.len()),
                    given(call.args.len())
                ),
            );
            d = self.with_declaration(d, decl.name.span, name, file);
            self.emit(d);
        }
    }

    /// Points `d` at a flow's declaration: a label in this file, a help
    /// naming the file otherwise (labels cannot point into another file).
    fn with_declaration(
        &self,
        d: Diagnostic,
        span: Span,
        name: &str,
        file: Option<usize>,
    ) -> Diagnostic {
        match file {
            Some(f) if f != self.file => d.with_help(format!(
                "`{name}` is declared in `{}`",
                self.program.file_names[f]
            )),
            _ => d.with_label(span, format!("`{name}` is declared here")),
        }
    }
}

//! Reading a name: is it a variable, and surely assigned here? (E0100,
//! E0101, W0102.) Also marks variables as read, for W0161.

use crate::codes;
use crate::flow_sensitivity::Assigned;
use crate::scope::{ControlKind, Origin, ScopeKind, Site, SiteKind, VarId};
use crate::suggest;
use crate::walk::Walker;
use weft_syntax::{lang, Diagnostic, Span};

impl<'a> Walker<'a, '_> {
    /// Checks a read of `name` at `span`. `counts_as_use` is false for the
    /// reads of `x += 1`, `x++` and `x.f = e`, which need a value but do not
    /// make an otherwise unread variable useful.
    pub(crate) fn read_name(&mut self, name: &'a str, span: Span, counts_as_use: bool) {
        let Some((depth, id)) = self.lookup_var(name) else {
            self.unknown_name(name, span);
            return;
        };
        if counts_as_use {
            self.mark_used(depth, id);
        } else {
            self.frames[depth].scope.vars[id].touched = true;
        }
        if self.tainted || self.silent > 0 || !self.frame().state.reachable {
            return;
        }
        // An enclosing scope is paused where the current one was created, so
        // its state is the one the current scope captured.
        match self.frames[depth].state.assigned(id) {
            Assigned::Surely => {}
            Assigned::Maybe => self.report_maybe_unassigned(depth, id, span),
            Assigned::Never => self.report_unassigned(depth, id, span),
        }
    }

    /// Marks a variable read, and the enclosing variables whose value it
    /// holds a copy of.
    fn mark_used(&mut self, mut depth: usize, mut id: VarId) {
        loop {
            let var = &mut self.frames[depth].scope.vars[id];
            var.used = true;
            match var.origin {
                Origin::Captured {
                    depth: outer_depth,
                    id: outer_id,
                    had_value: true,
                } => {
                    depth = outer_depth;
                    id = outer_id;
                }
                _ => return,
            }
        }
    }

    /// The first site that assigns variable `id` of the scope at `depth`
    /// (or, for a captured variable, the enclosing one it copies).
    pub(crate) fn first_site(&self, depth: usize, id: VarId) -> Option<Site> {
        let (depth, id) = self.first_site_owner(depth, id);
        self.frames[depth].scope.vars[id]
            .sites
            .iter()
            .find(|s| s.kind != SiteKind::Param)
            .copied()
    }

    /// The scope and variable that hold the first site of `id`.
    fn first_site_owner(&self, mut depth: usize, mut id: VarId) -> (usize, VarId) {
        loop {
            let var = &self.frames[depth].scope.vars[id];
            if var.sites.iter().any(|s| s.kind != SiteKind::Param) {
                return (depth, id);
            }
            match var.origin {
                Origin::Captured {
                    depth: outer_depth,
                    id: outer_id,
                    ..
                } => {
                    depth = outer_depth;
                    id = outer_id;
                }
                _ => return (depth, id),
            }
        }
    }

    /// E0101: no assignment can have happened before this read.
    fn report_unassigned(&mut self, depth: usize, id: VarId, span: Span) {
        if !self.frames[depth].scope.vars[id].report_once(codes::READ_BEFORE_ASSIGNMENT) {
            return;
        }
        let name = self.frames[depth].scope.vars[id].name;
        let current = self.frames.len() - 1;
        let (owner, _) = self.first_site_owner(depth, id);
        let site = self.first_site(depth, id);
        let mut d = Diagnostic::error(
            codes::READ_BEFORE_ASSIGNMENT,
            span,
            format!("`{name}` is read before it is assigned"),
        );
        // Whether the first assignment takes effect after this read, in
        // the order things run (`x = f(x)` assigns after reading).
        let later = site.is_some_and(|s| s.effect.end > span.start);
        if let Some(site) = site {
            let label = if later {
                format!("`{name}` is first assigned here")
            } else {
                format!("`{name}` is only assigned here")
            };
            d = d.with_label(site.span, label);
        }
        let inside_own_assignment =
            site.is_some_and(|s| s.effect.start <= span.start && span.end <= s.effect.end);
        let what = match self.frame().scope.kind {
            ScopeKind::Lambda => "the `func`",
            _ => "the inline flow",
        };
        let help = if owner < current && inside_own_assignment {
            // `f = func(n) { return f(n - 1) }`
            format!(
                "{what} cannot see the variable it is being assigned to: `{name}` has no value yet where {what} is written; for recursion, write a flow"
            )
        } else if owner < current {
            // Read in a nested scope, assigned only outside it (or after).
            format!(
                "{what} captures the values variables have where it is written: assign `{name}` before it"
            )
        } else if inside_own_assignment {
            format!("this statement reads `{name}` before giving it a first value: assign `{name}` before it")
        } else if later {
            format!("move the assignment of `{name}` before this read, or read it later")
        } else {
            format!("no path from that assignment reaches this read: assign `{name}` on every path that leads here")
        };
        self.emit(d.with_help(help));
    }

    /// W0102: assigned on some paths to this read, not all.
    fn report_maybe_unassigned(&mut self, depth: usize, id: VarId, span: Span) {
        if !self.frames[depth].scope.vars[id].report_once(codes::MAYBE_UNASSIGNED) {
            return;
        }
        let name = self.frames[depth].scope.vars[id].name;
        let (owner, owner_id) = self.first_site_owner(depth, id);
        let var = &self.frames[owner].scope.vars[owner_id];
        let site = var
            .sites
            .iter()
            .find(|s| s.kind != SiteKind::Param)
            .copied();
        // The outermost statement around the first assignment that does not
        // also hold the read: the one to initialise the variable before.
        let before = var
            .first_site_controls
            .iter()
            .find(|c| !(c.span.start <= span.start && span.end <= c.span.end));
        let in_loop_with_read = var.first_site_controls.iter().any(|c| {
            c.kind != ControlKind::If && c.span.start <= span.start && span.end <= c.span.end
        });
        let help = match (site.map(|s| s.kind), before) {
            (Some(SiteKind::For), _) => format!(
                "`{name}` is only assigned when the loop runs at least once: give it a value before the loop"
            ),
            (_, Some(c)) if c.kind == ControlKind::If => format!(
                "give `{name}` a value before the `if` (for example `var {name}`), or assign it on every branch"
            ),
            (_, Some(_)) => format!(
                "give `{name}` a value before the loop (for example `var {name}`): the loop may end without assigning it"
            ),
            (_, None) if in_loop_with_read => format!(
                "the first iteration reads `{name}` before it is assigned: give it a value before the loop"
            ),
            _ => format!("give `{name}` a value on every path that leads here"),
        };
        let mut d = Diagnostic::warning(
            codes::MAYBE_UNASSIGNED,
            span,
            format!("`{name}` may be unassigned here"),
        );
        if let Some(site) = site {
            d = d.with_label(site.span, format!("`{name}` is assigned here"));
        }
        self.emit(d.with_help(help));
    }

    /// True when `name` is a flow that a value may refer to: an enclosing
    /// inline flow or a top-level flow of the program.
    pub(crate) fn is_flow_name(&self, name: &str) -> bool {
        self.enclosing_inline_flow(name).is_some() || self.program.flows.contains_key(name)
    }

    /// E0100: `name` is not a variable of any enclosing scope, nor a flow.
    fn unknown_name(&mut self, name: &str, span: Span) {
        if name.is_empty() || self.tainted || self.silent > 0 || self.is_flow_name(name) {
            return;
        }
        if self.program.machines.contains(name) {
            self.emit(
                Diagnostic::error(
                    codes::UNKNOWN_NAME,
                    span,
                    format!("the machine `{name}` cannot be used as a value"),
                )
                .with_help(format!(
                    "address an instance, `{name}(key).Command(input)` or `{name}(key).get()`, or query them, `{name}.find(where{{...}})`"
                )),
            );
            return;
        }
        if let Some(b) = lang::builtin(name) {
            self.emit(
                Diagnostic::error(
                    codes::UNKNOWN_NAME,
                    span,
                    format!("the built-in `{name}` cannot be used as a value"),
                )
                .with_help(format!("call it: `{}`", b.signature)),
            );
            return;
        }
        let mut d = Diagnostic::error(codes::UNKNOWN_NAME, span, format!("unknown name `{name}`"));
        let suggestion = if self.suggestions_left > 0 {
            self.suggestions_left -= 1;
            self.suggest_name(name)
        } else {
            None
        };
        if let Some(s) = suggestion {
            d = d
                .with_help(format!("did you mean `{s}`?"))
                .with_replacement(span, s);
        } else if matches!(name, "none" | "None" | "nil" | "undefined" | "NULL") {
            d = d
                .with_help("nothing is written `null`")
                .with_replacement(span, "null");
        } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            d = d.with_help(format!(
                "`{name}` is not a variable or a flow; to call an activity, write `{name}(...)`"
            ));
        }
        self.emit(d);
    }

    /// The known name closest to `name`: variables in scope, enclosing
    /// inline flows, the program's flows and the built-ins.
    fn suggest_name(&self, name: &str) -> Option<&'a str> {
        let mut candidates: Vec<&'a str> = self
            .frames
            .iter()
            .flat_map(|f| f.scope.vars.iter().map(|v| v.name))
            .collect();
        candidates.extend(self.frames.iter().filter_map(|f| match f.scope.kind {
            ScopeKind::InlineFlow(decl) => Some(decl.name.name.as_str()),
            _ => None,
        }));
        candidates.extend(self.program.flows.keys().copied());
        candidates.extend(lang::BUILTINS.iter().map(|b| b.name));
        suggest::closest(name, candidates)
    }
}

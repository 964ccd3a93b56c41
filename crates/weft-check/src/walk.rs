//! The walk over one top-level flow: statements in order, carrying the
//! assignment state of the current scope (see `flow_sensitivity.rs`),
//! splitting it at `if`s, joining it after them, and summarising loops.
//!
//! Nested scopes (`func`s and inline flows) are walked where they are
//! written, on a stack of frames, so that they start from the state of the
//! enclosing scope at that point. What happens to names, calls, annotations
//! and awaits is checked in the sibling modules, as more `impl Walker`
//! blocks.
//!
//! Every node is visited once with diagnostics on. Loop bodies are also
//! walked "silently" once each, to learn which variables an iteration may
//! assign (see [`Walker::loop_summary`]); silent walks skip expressions and
//! report nothing.

use crate::codes;
use crate::flow_sensitivity::State;
use crate::program::{self, Program};
use crate::scope::{Origin, Scope, ScopeKind, SiteKind, VarId};
use crate::suggest;
use std::collections::HashMap;
use weft_syntax::ast::{
    AssignOp, Block, Else, Expr, ExprKind, FlowDecl, Ident, IfStmt, Lambda, Stmt, StmtKind,
};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{lang, Diagnostic, Edit, Span};

/// Checks the top-level flow `decl` of file `file`, appending to `diags`.
pub(crate) fn check_flow<'a>(
    program: &Program<'a>,
    file: usize,
    decl: &'a FlowDecl,
    diags: &mut Vec<Diagnostic>,
) {
    let mut walker = Walker {
        program,
        file,
        diags,
        frames: Vec::new(),
        silent: 0,
        tainted: program::has_syntax_errors(decl),
        summaries: HashMap::new(),
        suggestions_left: suggest::SUGGESTIONS_PER_FLOW_MAX,
    };
    let params: Vec<&Ident> = decl.params.iter().filter_map(|p| p.name.as_ref()).collect();
    walker.enter_scope(ScopeKind::Flow, &params, &decl.body);
    walker.block(&decl.body);
    walker.leave_scope();
}

/// Checks a machine command's handler, in file `file`: a body like a
/// flow's, whose parameters are `state`, `key` and its input.
pub(crate) fn check_handler<'a>(
    program: &Program<'a>,
    file: usize,
    handler: crate::machines::Handler<'a>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut walker = Walker {
        program,
        file,
        diags,
        frames: Vec::new(),
        silent: 0,
        tainted: program::has_syntax_errors_in(handler.body),
        summaries: HashMap::new(),
        suggestions_left: suggest::SUGGESTIONS_PER_FLOW_MAX,
    };
    let params = handler.params();
    walker.enter_scope(ScopeKind::Handler, &params, handler.body);
    walker.block(handler.body);
    walker.leave_scope();
}

/// The walk's state for one top-level flow.
pub(crate) struct Walker<'a, 'p> {
    /// The flows of the program, for calls.
    pub program: &'p Program<'a>,
    /// The index of the file being checked.
    pub file: usize,
    /// Where findings go.
    pub diags: &'p mut Vec<Diagnostic>,
    /// The scopes from the top-level flow (first) to the current one (last).
    pub frames: Vec<Frame<'a>>,
    /// Above zero while a loop body is walked for its summary.
    pub silent: u32,
    /// The flow holds syntax errors: no findings about names or assignment.
    pub tainted: bool,
    /// Loop summaries, by the address of the loop's body.
    summaries: HashMap<usize, State>,
    /// "Did you mean" searches left for this flow.
    pub suggestions_left: usize,
}

/// One scope being walked.
pub(crate) struct Frame<'a> {
    /// Its variables.
    pub scope: Scope<'a>,
    /// The assignment state at the current point.
    pub state: State,
    /// The loops around the current point, innermost last.
    loops: Vec<LoopExits>,
}

/// Where the paths leaving a loop body early go.
struct LoopExits {
    /// Joined at `break`s.
    breaks: State,
    /// Joined at `continue`s.
    continues: State,
}

impl LoopExits {
    fn new(vars: usize) -> LoopExits {
        LoopExits {
            breaks: State::unreachable(vars),
            continues: State::unreachable(vars),
        }
    }
}

/// How an assignment treats its variable.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AssignHow {
    /// `x = e`, `x += e`, `x++`, `for x in`.
    Plain,
    /// `let x = e`, `var x`.
    Declare,
}

/// The parts of an expression, walked by [`Walker::expr`] (not awaited);
/// the `Visitor` knows what the parts of each kind of expression are.
struct Parts<'w, 'a, 'p>(&'w mut Walker<'a, 'p>);

impl<'a> Visitor<'a> for Parts<'_, 'a, '_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        self.0.expr(e, false);
    }
}

impl<'a> Walker<'a, '_> {
    // ----- plumbing -----

    /// Reports `d` unless the walk is silent.
    pub(crate) fn emit(&mut self, d: Diagnostic) {
        if self.silent == 0 {
            self.diags.push(d);
        }
    }

    /// The current frame. The stack is never empty during a walk: the
    /// top-level flow's frame is pushed first and popped last.
    pub(crate) fn frame(&self) -> &Frame<'a> {
        self.frames.last().expect("a scope is open during the walk")
    }

    fn frame_mut(&mut self) -> &mut Frame<'a> {
        self.frames
            .last_mut()
            .expect("a scope is open during the walk")
    }

    fn state_mut(&mut self) -> &mut State {
        &mut self.frame_mut().state
    }

    fn vars_len(&self) -> usize {
        self.frame().scope.vars.len()
    }

    // ----- scopes -----

    /// Opens the scope of `body` with `params`, nested in the current one.
    fn enter_scope(&mut self, kind: ScopeKind<'a>, params: &[&'a Ident], body: &'a Block) {
        let (mut scope, duplicates) = Scope::new(kind, params, body);
        for dup in duplicates {
            self.emit(
                Diagnostic::error(
                    codes::DUPLICATE_PARAMETER,
                    dup.span,
                    format!("the parameter `{}` is declared twice", dup.name),
                )
                .with_label(dup.first, format!("`{}` is first declared here", dup.name))
                .with_help("give each parameter its own name"),
            );
        }
        let mut state = State::entry(scope.vars.len());
        if let Some(parent) = self.frames.last() {
            state.reachable = parent.state.reachable;
        }
        for (id, var) in scope.vars.iter_mut().enumerate() {
            match var.origin {
                Origin::Param => state.assign(id),
                // A name the body assigns that an enclosing scope also has:
                // the body starts with a copy of the enclosing value.
                Origin::Local => {
                    if let Some((depth, outer)) = self.lookup_var(var.name) {
                        let outer_state = &self.frames[depth].state;
                        var.origin = Origin::Captured {
                            depth,
                            id: outer,
                            had_value: outer_state.may(outer),
                        };
                        state.copy_var(id, outer_state, outer);
                    }
                }
                Origin::Captured { .. } => {}
            }
        }
        self.frames.push(Frame {
            scope,
            state,
            loops: Vec::new(),
        });
    }

    /// The innermost scope (its depth) and variable called `name`.
    pub(crate) fn lookup_var(&self, name: &str) -> Option<(usize, VarId)> {
        self.frames
            .iter()
            .enumerate()
            .rev()
            .find_map(|(depth, f)| f.scope.lookup(name).map(|id| (depth, id)))
    }

    /// Closes the current scope, reporting its variables never read.
    fn leave_scope(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if self.tainted {
            return;
        }
        for var in &frame.scope.vars {
            if var.used || !var.assigned_reachably || !var.is_local() || var.name.starts_with('_') {
                continue;
            }
            let Some(site) = var.sites.iter().find(|s| s.kind != SiteKind::Param) else {
                continue;
            };
            let name = var.name;
            let help = if site.kind == SiteKind::For {
                format!("if the loop only needs to run, name the variable `_{name}`")
            } else if site.value_is_call {
                format!("if only the call matters, drop `{name} =`; or name the variable `_{name}`")
            } else {
                format!("remove the assignment, or name the variable `_{name}` to keep it")
            };
            let mut d = Diagnostic::warning(
                codes::UNUSED_VARIABLE,
                site.span,
                format!("`{name}` is assigned but never read"),
            )
            .with_help(help);
            // Only where nothing else names the variable: removing its one
            // assignment then leaves no read without a value.
            let alone = var.sites.len() == 1 && !var.touched;
            match site.value {
                Some((value, _)) if alone && site.value_is_call => {
                    d = d.with_fix(
                        format!("Drop `{name} =`, keep the call"),
                        vec![Edit {
                            span: Span {
                                start: site.effect.start,
                                end: value.start,
                            },
                            text: String::new(),
                        }],
                    );
                }
                Some((_, true)) if alone => {
                    d = d.with_fix(
                        format!("Remove the assignment of `{name}`"),
                        vec![Edit {
                            span: site.effect,
                            text: String::new(),
                        }],
                    );
                }
                _ => {}
            }
            self.emit(d);
        }
    }

    // ----- statements -----

    /// Walks a block, reporting the first statement no path reaches.
    pub(crate) fn block(&mut self, block: &'a Block) {
        let mut ended_by: Option<(Span, String)> = None;
        let mut reported = false;
        for stmt in &block.stmts {
            let reachable = self.frame().state.reachable;
            if !reachable && !reported && !matches!(stmt.kind, StmtKind::Error) {
                if let Some((span, why)) = &ended_by {
                    let d =
                        Diagnostic::error(codes::UNREACHABLE, stmt.span, "unreachable statement")
                            .with_label(*span, why.clone())
                            .with_help("delete it, or move it before the statement that leaves");
                    self.emit(d);
                    reported = true;
                }
            }
            self.stmt(stmt);
            if reachable && !self.frame().state.reachable && ended_by.is_none() {
                ended_by = Some((stmt.span, self.why_unreachable(stmt)));
            }
        }
    }

    /// Why nothing runs after `stmt`, for the label of E0130.
    fn why_unreachable(&self, stmt: &Stmt) -> String {
        let noun = self.frame().scope.kind.noun();
        match &stmt.kind {
            StmtKind::Return { .. } => format!("`return` leaves the {noun} here"),
            StmtKind::Break => "`break` leaves the loop here".to_string(),
            StmtKind::Continue => "`continue` goes to the next iteration here".to_string(),
            StmtKind::If(_) => "every branch of this `if` leaves".to_string(),
            StmtKind::While { .. } => "this `while true` without `break` never ends".to_string(),
            _ => "no path goes on from here".to_string(),
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::Let { name, value, .. } => {
                if let Some(v) = value {
                    self.expr(v, false);
                }
                self.assign(&name.name, name.span, AssignHow::Declare);
            }
            StmtKind::Assign { target, op, value } => match &target.kind {
                ExprKind::Name(n) => {
                    if *op != AssignOp::Set {
                        self.read_name(n, target.span, false);
                    }
                    self.expr(value, false);
                    self.assign(n, target.span, AssignHow::Plain);
                }
                ExprKind::Member { .. } | ExprKind::Index { .. } => {
                    self.mutate_place(target);
                    self.expr(value, false);
                }
                // Not a place: the parser said so (E0014); still check the
                // expressions.
                _ => {
                    self.expr(target, false);
                    self.expr(value, false);
                }
            },
            StmtKind::IncDec { target, .. } => match &target.kind {
                ExprKind::Name(n) => {
                    self.read_name(n, target.span, false);
                    self.assign(n, target.span, AssignHow::Plain);
                }
                ExprKind::Member { .. } | ExprKind::Index { .. } => self.mutate_place(target),
                _ => self.expr(target, false),
            },
            StmtKind::TryAssign {
                declare,
                value,
                err,
                call,
            } => {
                self.expr(call, false);
                self.try_assign_call(value, err, call);
                let how = if declare.is_some() {
                    AssignHow::Declare
                } else {
                    AssignHow::Plain
                };
                self.assign(&value.name, value.span, how);
                if err.name != value.name {
                    self.assign(&err.name, err.span, how);
                }
            }
            StmtKind::If(i) => self.if_stmt(i),
            StmtKind::While { cond, body } => self.while_loop(cond, body),
            StmtKind::For {
                var,
                iterable,
                body,
            } => self.for_loop(var, iterable, body),
            StmtKind::Return { value } => {
                if let Some(v) = value {
                    self.expr(v, false);
                }
                self.state_mut().reachable = false;
            }
            StmtKind::Break | StmtKind::Continue => {
                let word = if matches!(stmt.kind, StmtKind::Break) {
                    "break"
                } else {
                    "continue"
                };
                let frame = self.frame_mut();
                match frame.loops.last_mut() {
                    Some(exits) => {
                        let target = if word == "break" {
                            &mut exits.breaks
                        } else {
                            &mut exits.continues
                        };
                        target.join(&frame.state);
                        frame.state.reachable = false;
                    }
                    None => {
                        let kind = frame.scope.kind;
                        let inside = if matches!(kind, ScopeKind::Lambda) {
                            "; a `func` body does not see the loops around it"
                        } else {
                            ""
                        };
                        self.emit(
                            Diagnostic::error(
                                codes::LOOP_CONTROL_OUTSIDE_LOOP,
                                stmt.span,
                                format!("`{word}` outside a loop"),
                            )
                            .with_help(format!(
                                "`{word}` only works inside `while` or `for`{inside}; use `return` to leave the {}",
                                kind.noun()
                            )),
                        );
                    }
                }
            }
            StmtKind::Expr(e) => self.expr(e, false),
            StmtKind::Error => {}
        }
    }

    fn if_stmt(&mut self, i: &'a IfStmt) {
        self.expr(&i.cond, false);
        let entry = self.frame().state.clone();
        self.block(&i.then_block);
        let after_then = std::mem::replace(self.state_mut(), entry);
        match &i.else_branch {
            Some(Else::Block(b)) => self.block(b),
            Some(Else::If(nested)) => self.if_stmt(nested),
            None => {}
        }
        self.state_mut().join(&after_then);
    }

    fn while_loop(&mut self, cond: &'a Expr, body: &'a Block) {
        // The condition is evaluated first with the entry state: reading a
        // variable surely unassigned there fails on the first check.
        self.expr(cond, false);
        let entry = self.frame().state.clone();
        let back_edge = self.loop_summary(body, None);
        let head = State::loop_head(&entry, &back_edge);
        *self.state_mut() = head.clone();
        let exits = self.loop_body(body, None);
        // `while true` only ends at a `break`.
        let endless = matches!(cond.unparen().kind, ExprKind::Bool(true));
        let mut after = if endless {
            State::unreachable(self.vars_len())
        } else {
            head
        };
        after.join(&exits.breaks);
        *self.state_mut() = after;
    }

    fn for_loop(&mut self, var: &'a Ident, iterable: &'a Expr, body: &'a Block) {
        self.expr(iterable, false);
        let entry = self.frame().state.clone();
        let var_id = self.frame().scope.lookup(&var.name);
        let back_edge = self.loop_summary(body, var_id);
        let head = State::loop_head(&entry, &back_edge);
        *self.state_mut() = head.clone();
        let exits = self.loop_body(body, Some(var));
        // The list may be empty: the head's state goes on after the loop.
        let mut after = head;
        after.join(&exits.breaks);
        *self.state_mut() = after;
    }

    /// Walks a loop body from the current state (the loop head's), with
    /// `for_var` assigned first; returns where `break`s and `continue`s went.
    fn loop_body(&mut self, body: &'a Block, for_var: Option<&'a Ident>) -> LoopExits {
        let vars = self.vars_len();
        self.frame_mut().loops.push(LoopExits::new(vars));
        if let Some(v) = for_var {
            self.assign(&v.name, v.span, AssignHow::Plain);
        }
        self.block(body);
        self.frame_mut()
            .loops
            .pop()
            .unwrap_or_else(|| LoopExits::new(vars))
    }

    /// What one iteration of `body` may assign: the state at the end of the
    /// body and at its `continue`s, after a silent walk that starts with
    /// nothing assigned (see `State::loop_head` for why that suffices).
    ///
    /// Summaries are cached by body. Without the cache, nested loops would
    /// be walked twice per level of nesting, exponentially; with it each
    /// body is summarised once, and a body at depth `d` is walked `d + 1`
    /// times in all.
    fn loop_summary(&mut self, body: &'a Block, for_var: Option<VarId>) -> State {
        let key = body as *const Block as usize;
        if let Some(s) = self.summaries.get(&key) {
            return s.clone();
        }
        let vars = self.vars_len();
        let saved = std::mem::replace(self.state_mut(), State::entry(vars));
        self.silent += 1;
        if let Some(v) = for_var {
            self.state_mut().assign(v);
        }
        self.frame_mut().loops.push(LoopExits::new(vars));
        self.block(body);
        let exits = self
            .frame_mut()
            .loops
            .pop()
            .unwrap_or_else(|| LoopExits::new(vars));
        self.silent -= 1;
        let mut back_edge = std::mem::replace(self.state_mut(), saved);
        back_edge.join(&exits.continues);
        self.summaries.insert(key, back_edge.clone());
        back_edge
    }

    // ----- assignments -----

    /// Records an assignment of the plain name `name` written at `span`.
    fn assign(&mut self, name: &'a str, span: Span, how: AssignHow) {
        let Some(id) = self.frame().scope.lookup(name) else {
            return;
        };
        if self.silent == 0 && self.frame().state.reachable {
            self.frame_mut().scope.vars[id].assigned_reachably = true;
        }
        if self.silent == 0 && !self.tainted {
            match how {
                AssignHow::Declare => self.check_redeclaration(id, span),
                AssignHow::Plain => {
                    let depth = self.frames.len() - 1;
                    self.check_captured_assignment(depth, id, span);
                }
            }
        }
        self.state_mut().assign(id);
    }

    /// E0152: `let x`/`var x` where `x` may already hold a value from an
    /// earlier declaration of this scope. Requiring an *earlier* site and a
    /// path from it keeps `let y = ...` inside a loop body (one site, run
    /// again) and `let`s in sibling branches quiet.
    fn check_redeclaration(&mut self, id: VarId, span: Span) {
        let frame = self.frame();
        if !frame.state.reachable || !frame.state.may(id) {
            return;
        }
        let var = &frame.scope.vars[id];
        if !var.sites.iter().any(|s| s.span.start < span.start) {
            return;
        }
        let first = var.sites[0];
        let name = var.name;
        let noun = frame.scope.kind.noun();
        let label = if first.kind == SiteKind::Param {
            format!("`{name}` is a parameter")
        } else {
            format!("`{name}` is first declared here")
        };
        self.emit(
            Diagnostic::error(
                codes::REDECLARED,
                span,
                format!("`{name}` is already declared in this {noun}"),
            )
            .with_label(first.span, label)
            .with_help(format!(
                "variables belong to the whole {noun}: assign with `{name} = ...`, or pick another name"
            )),
        );
    }

    /// W0162: an assignment (or a change through `x.f = e`) to variable
    /// `id` of the scope at `depth`, from the current scope, when it holds a
    /// value captured from an enclosing scope: only the copy changes.
    fn check_captured_assignment(&mut self, depth: usize, id: VarId, span: Span) {
        let current = self.frames.len() - 1;
        let (outer_depth, outer_id) = if depth < current {
            // Not assigned by this scope's own statements (`box.n = 1`):
            // the enclosing variable itself.
            if !self.frames[depth].state.may(id) {
                return;
            }
            (depth, id)
        } else {
            let var = &self.frames[depth].scope.vars[id];
            match var.origin {
                Origin::Captured {
                    depth,
                    id,
                    had_value: true,
                } if !var.has_let => (depth, id),
                _ => return,
            }
        };
        if !self.frames[depth].scope.vars[id].report_once(codes::ASSIGNMENT_TO_CAPTURED) {
            return;
        }
        let name = self.frames[depth].scope.vars[id].name;
        let noun = self.frame().scope.kind.noun();
        let mut d = Diagnostic::warning(
            codes::ASSIGNMENT_TO_CAPTURED,
            span,
            format!("this assignment changes only this {noun}'s copy of `{name}`"),
        )
        .with_help(format!(
            "a {noun} captures the values of the variables around it: return the new value and assign it outside, or use another name for a local variable"
        ));
        if let Some(site) = self.first_site(outer_depth, outer_id) {
            d = d.with_label(site.span, format!("the outer `{name}` is assigned here"));
        }
        self.emit(d);
    }

    /// `a.b = e`, `a[i] += e`, `a.n++`: reads `a` (it must hold a value) and
    /// changes it. Changing a captured copy is W0162 too.
    fn mutate_place(&mut self, target: &'a Expr) {
        if self.silent > 0 {
            return;
        }
        let mut place = target;
        loop {
            match &place.kind {
                ExprKind::Member { object, .. } => place = object,
                ExprKind::Index { object, index } => {
                    self.expr(index, false);
                    place = object;
                }
                ExprKind::Name(n) => {
                    self.read_name(n, place.span, false);
                    if let Some((depth, id)) = self.lookup_var(n) {
                        if !self.tainted {
                            self.check_captured_assignment(depth, id, place.span);
                        }
                    }
                    return;
                }
                _ => {
                    self.expr(place, false);
                    return;
                }
            }
        }
    }

    // ----- expressions -----

    /// Walks an expression, checking what it reads and calls. `awaited` is
    /// true when it stands directly under `await` (or is an element of a
    /// list that does).
    pub(crate) fn expr(&mut self, e: &'a Expr, awaited: bool) {
        if self.silent > 0 {
            return;
        }
        match &e.kind {
            ExprKind::Name(n) => self.read_name(n, e.span, true),
            ExprKind::Array(items) => {
                for item in items {
                    self.expr(item, awaited);
                }
            }
            ExprKind::Call(call) => self.call(call, awaited),
            ExprKind::Lambda(lambda) => self.lambda(lambda),
            ExprKind::Await(inner) => {
                self.check_await(inner);
                self.expr(inner, true);
            }
            ExprKind::Flow(flow) => self.inline_flow(flow),
            ExprKind::Paren(inner) => self.expr(inner, awaited),
            ExprKind::Braced(b) => self.misplaced_braced(e, b),
            // The rest reads its parts in order, none of them awaited.
            _ => visit::walk_expr(&mut Parts(self), e),
        }
    }

    fn lambda(&mut self, lambda: &'a Lambda) {
        let params: Vec<&Ident> = lambda.params.iter().collect();
        self.enter_scope(ScopeKind::Lambda, &params, &lambda.body);
        self.block(&lambda.body);
        self.leave_scope();
    }

    /// An inline flow runs where it is written: its inputs are evaluated
    /// here, then its body runs in a scope of its own.
    fn inline_flow(&mut self, flow: &'a FlowDecl) {
        if lang::builtin(&flow.name.name).is_some() {
            self.emit(program::named_like_builtin(flow));
        }
        for p in &flow.params {
            match (&p.name, &p.value) {
                // `flow F(x)` passes the enclosing `x` under the same name.
                (Some(name), None) => self.read_name(&name.name, name.span, true),
                (_, Some(value)) => self.expr(value, false),
                (None, None) => {}
            }
        }
        let bound: Vec<&Ident> = flow.params.iter().filter_map(|p| p.name.as_ref()).collect();
        self.enter_scope(ScopeKind::InlineFlow(flow), &bound, &flow.body);
        self.block(&flow.body);
        self.leave_scope();
    }
}

//! The variables of one scope: a top-level flow, an inline flow or a `func`.
//!
//! Variables belong to the whole scope, not to blocks (as in Python): `x = e`
//! anywhere in the body makes `x` a variable of the scope, from its first
//! line. So before walking a body, a pre-pass collects every place that
//! assigns a plain name (its "sites"), without looking into nested scopes.
//!
//! A nested scope also sees the variables of the scopes around it: it
//! captures their values when it is created. Names it only reads are looked
//! up in the enclosing scopes when read (the walk keeps those scopes paused
//! exactly where the nested one is created, so their state is the captured
//! one). Names it also assigns get an entry of their own, marked
//! `Origin::Captured`, that starts from the enclosing variable's state.

use std::collections::HashMap;
use weft_syntax::ast::{AssignOp, Block, Declare, Expr, ExprKind, FlowDecl, Ident, Stmt, StmtKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Span;

/// The index of a variable in its scope's table.
pub(crate) type VarId = usize;

/// Where a variable comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A parameter (or a named input of an inline flow): assigned on entry.
    Param,
    /// Assigned in this scope's body only.
    Local,
    /// A variable of an enclosing scope, captured by value and assigned
    /// here too.
    Captured {
        /// The depth of the enclosing scope that has it.
        depth: usize,
        /// Its id there.
        id: VarId,
        /// It may hold a value where the nested scope is created; when it
        /// surely does not, nothing is captured and the name is in effect
        /// local to the nested scope.
        had_value: bool,
    },
}

/// How a site assigns its variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SiteKind {
    /// A parameter or bound input.
    Param,
    /// `x = e`, `x += e`, `x++`.
    Assign,
    /// `let x = e`.
    Let,
    /// `var x` or `var x = e`.
    Var,
    /// `for x in e`.
    For,
}

/// One place in the source that assigns a variable.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Site {
    /// The name where it is written.
    pub span: Span,
    /// What runs before the value is stored: the statement up to its end
    /// (`x = f(x)` reads `x` before assigning it), or `for x in e` up to the
    /// end of `e`.
    pub effect: Span,
    /// How.
    pub kind: SiteKind,
    /// The assigned value is a call (or an awaited one): when the variable
    /// is never read, the call may still be wanted for its effect.
    pub value_is_call: bool,
    /// The assigned value of `x = e` or `let x = e` (not of `x += e`), and
    /// whether it has no calls, awaits, inline flows or functions in it:
    /// for fixes of W0161.
    pub value: Option<(Span, bool)>,
}

/// The kind of a statement that makes its body conditional or repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ControlKind {
    If,
    While,
    For,
}

/// A statement enclosing a site (for helps such as "before the `if`").
#[derive(Clone, Copy, Debug)]
pub(crate) struct Control {
    pub kind: ControlKind,
    pub span: Span,
}

/// A variable of one scope.
#[derive(Debug)]
pub(crate) struct Var<'a> {
    pub name: &'a str,
    pub origin: Origin,
    /// Sites in this scope, in source order (a parameter's comes first).
    pub sites: Vec<Site>,
    /// The statements enclosing the first site of the body, outermost first.
    pub first_site_controls: Vec<Control>,
    /// Read somewhere (here or in a scope that captures it).
    pub used: bool,
    /// Read by `x.f = e` or an index assignment, which need its value but
    /// do not make it used.
    pub touched: bool,
    /// Assigned by a statement that some path reaches. A variable assigned
    /// only in unreachable code gets E0130 there, not W0161 as well.
    pub assigned_reachably: bool,
    /// Declared with `let` or `var` in this scope.
    pub has_let: bool,
    /// Codes already reported for this variable: one finding per variable.
    pub reported: Vec<&'static str>,
}

impl<'a> Var<'a> {
    fn new(name: &'a str, origin: Origin) -> Var<'a> {
        Var {
            name,
            origin,
            sites: Vec::new(),
            first_site_controls: Vec::new(),
            used: false,
            touched: false,
            assigned_reachably: false,
            has_let: false,
            reported: Vec::new(),
        }
    }

    /// True when assignments here create the variable rather than change a
    /// captured copy.
    pub fn is_local(&self) -> bool {
        match self.origin {
            Origin::Local => true,
            Origin::Captured { had_value, .. } => !had_value,
            Origin::Param => false,
        }
    }

    /// Records that `code` is reported; false when it already was.
    pub fn report_once(&mut self, code: &'static str) -> bool {
        if self.reported.contains(&code) {
            return false;
        }
        self.reported.push(code);
        true
    }
}

/// What kind of body a scope is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ScopeKind<'a> {
    /// A top-level flow.
    Flow,
    /// An inline sub-flow.
    InlineFlow(&'a FlowDecl),
    /// A `func(...) { }`.
    Lambda,
    /// A command's handler, in a machine.
    Handler,
}

impl ScopeKind<'_> {
    /// How messages name the body: "flow" or "function".
    pub fn noun(self) -> &'static str {
        match self {
            ScopeKind::Flow | ScopeKind::InlineFlow(_) => "flow",
            ScopeKind::Lambda => "function",
            ScopeKind::Handler => "handler",
        }
    }
}

/// A parameter written twice: the repeat and the first.
pub(crate) struct DuplicateParam<'a> {
    pub name: &'a str,
    pub span: Span,
    pub first: Span,
}

/// The variable table of one scope.
pub(crate) struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub vars: Vec<Var<'a>>,
    pub by_name: HashMap<&'a str, VarId>,
}

impl<'a> Scope<'a> {
    /// The scope of `body` with `params`. Every variable the body assigns
    /// is `Origin::Local` here; the walk turns those that an enclosing scope
    /// also has into captures. Returns the scope and the parameters written
    /// twice.
    pub fn new(
        kind: ScopeKind<'a>,
        params: &[&'a Ident],
        body: &'a Block,
    ) -> (Scope<'a>, Vec<DuplicateParam<'a>>) {
        let mut scope = Scope {
            kind,
            vars: Vec::new(),
            by_name: HashMap::new(),
        };
        let mut duplicates = Vec::new();
        for p in params {
            if let Some(&first) = scope.by_name.get(p.name.as_str()) {
                duplicates.push(DuplicateParam {
                    name: &p.name,
                    span: p.span,
                    first: scope.vars[first].sites[0].span,
                });
                continue;
            }
            let mut var = Var::new(&p.name, Origin::Param);
            var.sites.push(Site {
                span: p.span,
                effect: p.span,
                kind: SiteKind::Param,
                value_is_call: false,
                value: None,
            });
            scope.add(var);
        }
        let mut collector = SiteCollector {
            scope: &mut scope,
            controls: Vec::new(),
        };
        collector.visit_block(body);
        (scope, duplicates)
    }

    fn add(&mut self, var: Var<'a>) -> VarId {
        let id = self.vars.len();
        self.by_name.insert(var.name, id);
        self.vars.push(var);
        id
    }

    /// The variable called `name`, if the scope has one.
    pub fn lookup(&self, name: &str) -> Option<VarId> {
        self.by_name.get(name).copied()
    }
}

/// The pre-pass: every site of a body, in source order. Expressions are not
/// visited: they cannot assign, and the bodies of `func`s and inline flows
/// inside them are scopes of their own.
struct SiteCollector<'s, 'a> {
    scope: &'s mut Scope<'a>,
    controls: Vec<Control>,
}

impl<'a> SiteCollector<'_, 'a> {
    fn site(
        &mut self,
        name: &'a str,
        span: Span,
        effect: Span,
        kind: SiteKind,
        value: Option<&Expr>,
    ) {
        if name.is_empty() {
            return;
        }
        let id = match self.scope.lookup(name) {
            Some(id) => id,
            None => self.scope.add(Var::new(name, Origin::Local)),
        };
        let var = &mut self.scope.vars[id];
        if var.sites.iter().all(|s| s.kind == SiteKind::Param) {
            var.first_site_controls = self.controls.clone();
        }
        let value_is_call = value.is_some_and(|v| match &v.unparen().kind {
            ExprKind::Await(inner) => inner.as_call().is_some(),
            ExprKind::Call(_) | ExprKind::Flow(_) => true,
            _ => false,
        });
        let value = value.map(|v| (v.span, is_pure(v)));
        var.sites.push(Site {
            span,
            effect,
            kind,
            value_is_call,
            value,
        });
        if matches!(kind, SiteKind::Let | SiteKind::Var) {
            var.has_let = true;
        }
    }
}

impl<'a> Visitor<'a> for SiteCollector<'_, 'a> {
    fn visit_expr(&mut self, _: &'a Expr) {}

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        // An `else if` chain is one statement: its branches are walked
        // under the one control (`walk_if` does not visit it again).
        let control = match &stmt.kind {
            StmtKind::If(_) => Some(ControlKind::If),
            StmtKind::While { .. } => Some(ControlKind::While),
            StmtKind::For { .. } => Some(ControlKind::For),
            _ => None,
        };
        if let Some(kind) = control {
            self.controls.push(Control {
                kind,
                span: stmt.span,
            });
        }
        match &stmt.kind {
            StmtKind::Let { var, name, value } => {
                let kind = if *var { SiteKind::Var } else { SiteKind::Let };
                self.site(&name.name, name.span, stmt.span, kind, value.as_ref());
            }
            StmtKind::Assign { target, value, op } => {
                if let ExprKind::Name(n) = &target.kind {
                    // `x += e` reads `x`: its value is no assignment's own.
                    let value = (*op == AssignOp::Set).then_some(value);
                    self.site(n, target.span, stmt.span, SiteKind::Assign, value);
                }
            }
            StmtKind::IncDec { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    self.site(n, target.span, stmt.span, SiteKind::Assign, None);
                }
            }
            StmtKind::TryAssign {
                declare,
                value,
                err,
                ..
            } => {
                let kind = match declare {
                    Some(Declare::Let) => SiteKind::Let,
                    Some(Declare::Var) => SiteKind::Var,
                    None => SiteKind::Assign,
                };
                // No value: dropping one name would not leave a statement.
                self.site(&value.name, value.span, stmt.span, kind, None);
                self.site(&err.name, err.span, stmt.span, kind, None);
            }
            StmtKind::For { var, iterable, .. } => {
                let effect = var.span.to(iterable.span);
                self.site(&var.name, var.span, effect, SiteKind::For, None);
            }
            _ => {}
        }
        visit::walk_stmt(self, stmt);
        if control.is_some() {
            self.controls.pop();
        }
    }
}

/// True when evaluating `e` has no effect: no call, `await`, inline flow
/// or function in it.
fn is_pure(e: &Expr) -> bool {
    struct Finder(bool);
    impl Visitor<'_> for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            match &e.kind {
                ExprKind::Call(_)
                | ExprKind::Await(_)
                | ExprKind::Flow(_)
                | ExprKind::Lambda(_)
                | ExprKind::Error => self.0 = false,
                _ => visit::walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(true);
    f.visit_expr(e);
    f.0
}

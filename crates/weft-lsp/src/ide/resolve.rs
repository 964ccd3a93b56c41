//! Name resolution for one file: every name written in it, and what it
//! means there.
//!
//! The rules are the checker's (`weft-check`'s `scope.rs` and `calls.rs`),
//! without the flow sensitivity: an editor asks "what is this name", not
//! "is it surely assigned here".
//!
//! - A scope is a top-level flow, an inline flow or a `func`. Variables
//!   belong to their whole scope (as in Python): the first place that
//!   assigns a name (a parameter, `let`, `var`, `x = e`, `for x in`) is its
//!   definition.
//! - A nested scope sees the variables of the scopes around it. A name it
//!   assigns that an enclosing scope also has is the enclosing variable
//!   (captured: the nested scope works on a copy, but renaming one without
//!   the other would change the program), and so is the name of a plain
//!   input of an inline flow (`flow F(x)` passes the enclosing `x` as `x`).
//!   Parameters of a `func`, and named inputs of an inline flow
//!   (`flow F(n: e)`), are new variables that hide enclosing ones.
//! - A called name that is no variable is an enclosing inline flow
//!   (recursion) or a *global*: a flow of the program, a built-in or an
//!   activity. Which one depends on the other files of the program, so it
//!   is decided later, by [`crate::ide::Program::global`].
//!
//! - Declarations (`activity`, `type`) are items too. An activity's name
//!   is a global (its calls resolve to it as they would to an undeclared
//!   activity); names in type positions are [`Target::Type`], decided by
//!   the program (a declared type or a built-in one); an activity's
//!   parameters are [`Target::DeclParam`], named again by the named
//!   arguments of its calls and by its `@http(...)` binding (`{name}` in
//!   the URL, `query`, `headers`, `body`).
//!
//! Top-level items are matched here and nowhere else ([`Resolver::item`]):
//! a new item kind adds a variant to [`ItemKind`] and a branch there.

use std::collections::HashMap;
use weft_check::contract::types::Type;
use weft_syntax::ast::{
    ActivityDecl, Annotation, Block, Call, Declare, Expr, ExprKind, FlowDecl, Ident, Item, Module,
    ObjectEntry, Stmt, StmtKind, TypeExpr, TypeKind,
};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Span;

/// The index of a variable in [`FileIndex::vars`].
pub type VarId = usize;
/// The index of a scope in [`FileIndex::scopes`].
pub type ScopeId = usize;

/// How a variable is introduced, for hovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    /// A parameter of a flow or a `func`, or a plain input of an inline flow.
    Param,
    /// A named input of an inline flow: `flow F(n: e)`.
    Input,
    /// `let x = e`.
    Let,
    /// `var x`.
    Var,
    /// `for x in e`.
    Loop,
    /// `x = e` (or `x += e`, `x++`).
    Assigned,
}

impl VarKind {
    /// How hovers name the kind.
    pub fn describe(self) -> &'static str {
        match self {
            VarKind::Param => "parameter",
            VarKind::Input => "input",
            VarKind::Let => "let",
            VarKind::Var => "var",
            VarKind::Loop => "loop variable",
            VarKind::Assigned => "variable",
        }
    }
}

/// A variable.
#[derive(Clone, Debug)]
pub struct Var {
    /// Its name.
    pub name: String,
    /// How its definition introduces it.
    pub kind: VarKind,
    /// Its definition: the name where it is first assigned or declared.
    pub def: Span,
    /// The statement (or parameter) of the definition.
    pub def_stmt: Span,
    /// The scope that owns it.
    pub scope: ScopeId,
}

/// What kind of body a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// A top-level flow.
    Flow,
    /// An inline flow (`flow Name(...) { }` or `Name(...) { }`).
    InlineFlow,
    /// A `func(...) { }`.
    Func,
}

/// A scope.
#[derive(Clone, Debug)]
pub struct Scope {
    /// What it is.
    pub kind: ScopeKind,
    /// The flow's name (none for a `func`).
    pub name: Option<Ident>,
    /// The whole construct, from `flow` or `func` to the closing brace.
    pub span: Span,
    /// Where its names resolve: the whole construct for a top-level flow
    /// or a `func`, the body for an inline flow (its inputs are evaluated
    /// in the enclosing scope).
    pub inner: Span,
    /// The enclosing scope.
    pub parent: Option<ScopeId>,
    /// The names it resolves itself: its own variables and the captured
    /// ones it assigns.
    pub names: HashMap<String, VarId>,
    /// The parameter list as written, for hovers: `(order, carrier)`.
    pub params: String,
}

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A variable of this file.
    Var(VarId),
    /// An inline flow, by the span of its name (recursion, or its own name).
    InlineFlow(Span),
    /// A flow of the program, a built-in or an activity (see the module
    /// docs): decided by the program.
    Global,
    /// An annotation (`retry` of `@retry`, `http` of `@http`).
    Annotation,
    /// A type's name: in a type position of a declaration, or a `type`
    /// declaration's own name. A declared type or a built-in one: decided
    /// by the program.
    Type,
    /// A parameter of the declaration of the activity named here (the
    /// name of the reference is the parameter's).
    DeclParam(String),
    /// A named argument at a call of the global named here (`note` of
    /// `Charge(card, note: "x")`): the callee's parameter of that name,
    /// decided by the program.
    NamedArg(String),
}

/// How a name is used where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Where it is defined: a variable's first assignment, a flow's name.
    Def,
    /// Assigned again.
    Write,
    /// Read as a value.
    Read,
    /// Called.
    Call,
    /// A parameter of an activity named in the list form of its `@http`
    /// binding's `query` or `headers` (`query: ["status"]`): the name is
    /// also the one sent, so renaming it would change the request.
    Wire,
}

/// One name written in the file.
#[derive(Clone, Debug)]
pub struct NameRef {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
    /// What it means.
    pub target: Target,
    /// How it is used.
    pub role: Role,
    /// The scope it is written in (none outside any flow).
    pub scope: Option<ScopeId>,
}

/// The kinds of top-level item, as the editor sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `flow Name(params) { ... }`
    Flow {
        /// The parameter names.
        params: Vec<String>,
    },
    /// `activity Name(params) -> Type @http(...)`: a declared activity.
    Activity {
        /// The parameters, in order.
        params: Vec<DeclParam>,
        /// The result type as shown (`None` when not written: anything).
        result: Option<String>,
        /// The `@http` binding's method and URL, as written, when there is
        /// one.
        http: Option<(String, String)>,
    },
    /// `type Name = Type`
    Type {
        /// What it stands for, as shown.
        ty: String,
    },
}

/// A parameter of an activity declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclParam {
    /// Its name, where it is declared.
    pub name: Ident,
    /// `name?: T`: a call may leave it out.
    pub optional: bool,
    /// Its type, as shown.
    pub ty: String,
}

impl DeclParam {
    /// `name: T` or `name?: T`.
    pub fn signature(&self) -> String {
        let q = if self.optional { "?" } else { "" };
        format!("{}{q}: {}", self.name.name, self.ty)
    }
}

/// A type written in a declaration, as hovers and completion show it (the
/// checker's rendering: `{status: string, id?: int}`, `[Pet] | null`).
pub fn show_type(t: &TypeExpr) -> String {
    Type::from_ast(t).to_string()
}

/// A top-level item of the file.
#[derive(Clone, Debug)]
pub struct ItemInfo {
    /// Its name.
    pub name: Ident,
    /// What it is.
    pub kind: ItemKind,
    /// The whole item.
    pub span: Span,
}

impl ItemInfo {
    /// The item as a one-line signature, for hovers and completion.
    pub fn signature(&self) -> String {
        match &self.kind {
            ItemKind::Flow { params } => format!("flow {}({})", self.name.name, params.join(", ")),
            ItemKind::Activity { .. } => format!("activity {}{}", self.name.name, self.detail()),
            ItemKind::Type { ty } => format!("type {} = {ty}", self.name.name),
        }
    }

    /// The signature without the keyword and the name: `(order, carrier)`,
    /// `(nick: string) -> {status: string}`, `= [Pet]`.
    pub fn detail(&self) -> String {
        match &self.kind {
            ItemKind::Flow { params } => format!("({})", params.join(", ")),
            ItemKind::Activity { params, result, .. } => {
                let params: Vec<String> = params.iter().map(DeclParam::signature).collect();
                match result {
                    Some(r) => format!("({}) -> {r}", params.join(", ")),
                    None => format!("({})", params.join(", ")),
                }
            }
            ItemKind::Type { ty } => format!("= {ty}"),
        }
    }
}

/// Everything the editor knows about the names of one file.
#[derive(Clone, Debug, Default)]
pub struct FileIndex {
    /// Top-level items in source order.
    pub items: Vec<ItemInfo>,
    /// Scopes; parents come before their children.
    pub scopes: Vec<Scope>,
    /// Variables.
    pub vars: Vec<Var>,
    /// Every name written, sorted by position.
    pub refs: Vec<NameRef>,
    /// Named arguments of calls of globals (`Ship(order, carrier: "ups")`):
    /// the callee's name and the argument's name. Renaming a flow's
    /// parameter renames them too.
    pub named_args: Vec<(String, Ident)>,
}

impl FileIndex {
    /// Resolves the names of `module`.
    pub fn new(module: &Module) -> FileIndex {
        let mut r = Resolver {
            out: FileIndex::default(),
            current: None,
        };
        for item in &module.items {
            r.item(item);
        }
        let mut out = r.out;
        out.refs.sort_by_key(|r| (r.span.start, r.span.end));
        out
    }

    /// The name written at `offset` (a cursor touching its start or end).
    pub fn ref_at(&self, offset: u32) -> Option<&NameRef> {
        // A cursor between two names touching each other (`a.b`) picks the
        // one it is inside, then the one it ends.
        let i = self.refs.partition_point(|r| r.span.end < offset);
        let mut best = None;
        for r in &self.refs[i..] {
            if r.span.start > offset {
                break;
            }
            if r.span.contains(offset) {
                if r.span.start <= offset && offset < r.span.end {
                    return Some(r);
                }
                best.get_or_insert(r);
            }
        }
        best
    }

    /// The innermost scope whose names resolve at `offset`.
    pub fn scope_at(&self, offset: u32) -> Option<ScopeId> {
        // Children come after parents, so the last match is the innermost.
        self.scopes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.inner.start < offset && offset <= s.inner.end)
            .map(|(id, _)| id)
            .next_back()
    }

    /// The top-level flow scope around `scope`.
    pub fn top_scope(&self, mut scope: ScopeId) -> ScopeId {
        while let Some(p) = self.scopes[scope].parent {
            scope = p;
        }
        scope
    }

    /// The variable `name` resolves to from `scope`.
    pub fn lookup_var(&self, scope: Option<ScopeId>, name: &str) -> Option<VarId> {
        let mut s = scope;
        while let Some(id) = s {
            if let Some(&v) = self.scopes[id].names.get(name) {
                return Some(v);
            }
            s = self.scopes[id].parent;
        }
        None
    }

    /// The enclosing inline flow called `name`, seen from `scope`.
    pub fn enclosing_inline_flow(&self, scope: Option<ScopeId>, name: &str) -> Option<ScopeId> {
        let mut s = scope;
        while let Some(id) = s {
            let sc = &self.scopes[id];
            if sc.kind == ScopeKind::InlineFlow && sc.name.as_ref().is_some_and(|n| n.name == name)
            {
                return Some(id);
            }
            s = sc.parent;
        }
        None
    }

    /// True when `inner` is `outer` or nested in it.
    pub fn is_within(&self, inner: ScopeId, outer: ScopeId) -> bool {
        let mut s = Some(inner);
        while let Some(id) = s {
            if id == outer {
                return true;
            }
            s = self.scopes[id].parent;
        }
        false
    }
}

/// The method and URL of `a`'s `@http` binding, as written.
fn http_target(a: &ActivityDecl) -> Option<(String, String)> {
    let ann = a.annotation(weft_check::contract::http::ANNOTATION)?;
    let text = |name: &str| {
        ann.args
            .iter()
            .find_map(|arg| match (&arg.name, &arg.value.kind) {
                (Some(n), ExprKind::String(s)) if n.name == name => Some(s.clone()),
                _ => None,
            })
    };
    Some((text("method").unwrap_or_default(), text("url")?))
}

struct Resolver {
    out: FileIndex,
    current: Option<ScopeId>,
}

impl Resolver {
    /// The one place that matches on top-level item kinds.
    fn item(&mut self, item: &Item) {
        match item {
            Item::Flow(f) => {
                self.out.items.push(ItemInfo {
                    name: f.name.clone(),
                    kind: ItemKind::Flow {
                        params: f
                            .params
                            .iter()
                            .filter_map(|p| p.name.as_ref().map(|n| n.name.clone()))
                            .collect(),
                    },
                    span: f.span,
                });
                self.push_ref(&f.name.name, f.name.span, Target::Global, Role::Def);
                self.top_flow(f);
            }
            Item::Activity(a) => {
                self.out.items.push(ItemInfo {
                    name: a.name.clone(),
                    kind: ItemKind::Activity {
                        params: a
                            .params
                            .iter()
                            .map(|p| DeclParam {
                                name: p.name.clone(),
                                optional: p.optional,
                                ty: show_type(&p.ty),
                            })
                            .collect(),
                        result: a.result.as_ref().map(show_type),
                        http: http_target(a),
                    },
                    span: a.span,
                });
                self.push_ref(&a.name.name, a.name.span, Target::Global, Role::Def);
                let target = Target::DeclParam(a.name.name.clone());
                for p in &a.params {
                    self.push_ref(&p.name.name, p.name.span, target.clone(), Role::Def);
                    self.type_expr(&p.ty);
                }
                if let Some(r) = &a.result {
                    self.type_expr(r);
                }
                for ann in &a.annotations {
                    self.push_ref(
                        &ann.name.name,
                        ann.name.span,
                        Target::Annotation,
                        Role::Read,
                    );
                    if ann.name.name == weft_check::contract::http::ANNOTATION {
                        self.http_params(a, ann);
                    }
                }
            }
            Item::Type(t) => {
                self.out.items.push(ItemInfo {
                    name: t.name.clone(),
                    kind: ItemKind::Type {
                        ty: show_type(&t.ty),
                    },
                    span: t.span,
                });
                self.push_ref(&t.name.name, t.name.span, Target::Type, Role::Def);
                self.type_expr(&t.ty);
            }
            // Machines are not indexed yet: the editor shows their
            // diagnostics (from the checker) and formats them, and offers
            // nothing else inside them.
            Item::Machine(_) => {}
            // A trigger names its flow in a text (`run: "Flow"`): the
            // checker resolves it and reports a wrong one.
            Item::Trigger(_) => {}
        }
    }

    /// The names of types written in `t`.
    fn type_expr(&mut self, t: &TypeExpr) {
        match &t.kind {
            TypeKind::Name(n) => self.push_ref(n, t.span, Target::Type, Role::Read),
            TypeKind::List(inner) => self.type_expr(inner),
            TypeKind::Object(o) => {
                for f in &o.fields {
                    self.type_expr(&f.ty);
                }
            }
            TypeKind::Union(members) => members.iter().for_each(|m| self.type_expr(m)),
            TypeKind::Literal(_) | TypeKind::Error => {}
        }
    }

    /// The parameters that `@http(...)` of `a` names: `{name}` in the URL,
    /// `body: "name"`, the keys of `query: {name: "wire"}` (and of
    /// `headers`), and the entries of `query: ["name"]` (where the name is
    /// also the one sent). Only names of parameters, written in strings
    /// without escapes (so that their spans are exact).
    fn http_params(&mut self, a: &ActivityDecl, ann: &Annotation) {
        let target = Target::DeclParam(a.name.name.clone());
        let is_param = |n: &str| a.params.iter().any(|p| p.name.name == n);
        // The span of `value` inside the string literal `lit` at byte
        // `at` of its text, when the literal has no escapes.
        let inside = |lit: Span, text: &str, at: usize, len: usize| -> Option<Span> {
            (lit.len() == text.len() + 2).then(|| {
                Span::new(
                    lit.start as usize + 1 + at,
                    lit.start as usize + 1 + at + len,
                )
            })
        };
        for arg in &ann.args {
            let Some(name) = &arg.name else { continue };
            let v = &arg.value;
            match (name.name.as_str(), &v.kind) {
                ("url", ExprKind::String(url)) => {
                    let mut from = 0;
                    while let Some(open) = url[from..].find('{') {
                        let open = from + open;
                        let Some(close) = url[open..].find('}') else {
                            break;
                        };
                        let close = open + close;
                        let param = &url[open + 1..close];
                        if is_param(param) {
                            if let Some(span) = inside(v.span, url, open + 1, param.len()) {
                                self.push_ref(param, span, target.clone(), Role::Read);
                            }
                        }
                        from = close + 1;
                    }
                }
                ("body", ExprKind::String(param)) if is_param(param) => {
                    if let Some(span) = inside(v.span, param, 0, param.len()) {
                        self.push_ref(param, span, target.clone(), Role::Read);
                    }
                }
                ("query" | "headers", ExprKind::Array(items)) => {
                    for item in items {
                        if let ExprKind::String(param) = &item.kind {
                            if is_param(param) {
                                if let Some(span) = inside(item.span, param, 0, param.len()) {
                                    self.push_ref(param, span, target.clone(), Role::Wire);
                                }
                            }
                        }
                    }
                }
                ("query" | "headers", ExprKind::Object(entries)) => {
                    for e in entries {
                        if let ObjectEntry::Field { key, .. } = e {
                            if !is_param(&key.name) {
                                continue;
                            }
                            let span = if key.quoted {
                                inside(key.span, &key.name, 0, key.name.len())
                            } else {
                                Some(key.span)
                            };
                            if let Some(span) = span {
                                self.push_ref(&key.name, span, target.clone(), Role::Read);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn push_ref(&mut self, name: &str, span: Span, target: Target, role: Role) {
        if name.is_empty() {
            return;
        }
        self.out.refs.push(NameRef {
            name: name.to_string(),
            span,
            target,
            role,
            scope: self.current,
        });
    }

    fn new_scope(&mut self, kind: ScopeKind, name: Option<&Ident>, span: Span, inner: Span) {
        let id = self.out.scopes.len();
        self.out.scopes.push(Scope {
            kind,
            name: name.cloned(),
            span,
            inner,
            parent: self.current,
            names: HashMap::new(),
            params: String::new(),
        });
        self.current = Some(id);
    }

    fn scope_mut(&mut self) -> &mut Scope {
        let id = self.current.expect("a scope is open");
        &mut self.out.scopes[id]
    }

    /// Declares a new variable of the current scope (parameters, inputs).
    fn declare(&mut self, name: &Ident, kind: VarKind, stmt: Span) {
        if name.name.is_empty() {
            return;
        }
        let scope = self.current.expect("a scope is open");
        if let Some(&id) = self.out.scopes[scope].names.get(&name.name) {
            // A repeated parameter (E0151): the first one counts.
            self.push_ref(&name.name, name.span, Target::Var(id), Role::Write);
            return;
        }
        let id = self.out.vars.len();
        self.out.vars.push(Var {
            name: name.name.clone(),
            kind,
            def: name.span,
            def_stmt: stmt,
            scope,
        });
        self.out.scopes[scope].names.insert(name.name.clone(), id);
        self.push_ref(&name.name, name.span, Target::Var(id), Role::Def);
    }

    fn top_flow(&mut self, f: &FlowDecl) {
        let saved = self.current;
        self.current = None;
        self.new_scope(ScopeKind::Flow, Some(&f.name), f.span, f.span);
        let names: Vec<&str> = f
            .params
            .iter()
            .filter_map(|p| p.name.as_ref().map(|n| n.name.as_str()))
            .collect();
        self.scope_mut().params = format!("({})", names.join(", "));
        for p in &f.params {
            if let Some(n) = &p.name {
                self.declare(n, VarKind::Param, p.span);
            }
        }
        self.collect_sites(&f.body);
        self.visit_block(&f.body);
        self.current = saved;
    }

    /// The pre-pass of a scope: every name its body assigns, outside nested
    /// scopes. A name an enclosing scope has is that scope's variable.
    fn collect_sites(&mut self, block: &Block) {
        Sites(self).visit_block(block);
    }

    fn site(&mut self, name: &Ident, kind: VarKind, stmt: Span) {
        if name.name.is_empty() || self.scope_mut().names.contains_key(&name.name) {
            return;
        }
        let parent = self.out.scopes[self.current.expect("a scope is open")].parent;
        if let Some(outer) = self.out.lookup_var(parent, &name.name) {
            self.scope_mut().names.insert(name.name.clone(), outer);
            return;
        }
        let scope = self.current.expect("a scope is open");
        let id = self.out.vars.len();
        self.out.vars.push(Var {
            name: name.name.clone(),
            kind,
            def: name.span,
            def_stmt: stmt,
            scope,
        });
        self.out.scopes[scope].names.insert(name.name.clone(), id);
    }

    /// A write of a plain name (its definition when it is the first site).
    fn write(&mut self, name: &str, span: Span) {
        match self.out.lookup_var(self.current, name) {
            Some(id) => {
                let role = if self.out.vars[id].def == span {
                    Role::Def
                } else {
                    Role::Write
                };
                self.push_ref(name, span, Target::Var(id), role);
            }
            None => self.push_ref(name, span, Target::Global, Role::Write),
        }
    }

    /// An assignment's target: a plain name is written, anything else
    /// (`a.b`, `a[i]`) reads what it is made of.
    fn place(&mut self, target: &Expr) {
        match &target.kind {
            ExprKind::Name(n) => self.write(n, target.span),
            _ => self.visit_expr(target),
        }
    }

    /// A name read (or called): a variable, an enclosing inline flow, or
    /// a global.
    fn read(&mut self, name: &str, span: Span, role: Role) {
        let target = if let Some(id) = self.out.lookup_var(self.current, name) {
            Target::Var(id)
        } else if let Some(s) = self.out.enclosing_inline_flow(self.current, name) {
            Target::InlineFlow(self.out.scopes[s].name.as_ref().map_or(span, |n| n.span))
        } else {
            Target::Global
        };
        let role = if matches!(target, Target::Var(_)) {
            Role::Read
        } else {
            role
        };
        self.push_ref(name, span, target, role);
    }

    fn call(&mut self, c: &Call) {
        match &c.callee.kind {
            ExprKind::Name(n) => {
                self.read(n, c.callee.span, Role::Call);
                if self
                    .out
                    .refs
                    .last()
                    .is_some_and(|r| r.span == c.callee.span && r.target == Target::Global)
                {
                    self.named_args(n, c);
                }
            }
            _ => match self.dotted_activity(c) {
                // `mandril.Send(...)`: one name, the activity's, over the
                // whole callee.
                Some(full) => {
                    self.push_ref(&full, c.callee.span, Target::Global, Role::Call);
                    self.named_args(&full, c);
                }
                None => self.visit_expr(&c.callee),
            },
        }
        for a in &c.args {
            self.visit_expr(&a.value);
        }
        for ann in &c.annotations {
            self.push_ref(
                &ann.name.name,
                ann.name.span,
                Target::Annotation,
                Role::Read,
            );
            for a in &ann.args {
                self.visit_expr(&a.value);
            }
        }
    }

    /// The named arguments of a call of the global `callee`.
    fn named_args(&mut self, callee: &str, c: &Call) {
        for a in &c.args {
            if let Some(arg) = &a.name {
                self.out.named_args.push((callee.to_string(), arg.clone()));
                self.push_ref(
                    &arg.name,
                    arg.span,
                    Target::NamedArg(callee.to_string()),
                    Role::Read,
                );
            }
        }
    }

    /// The activity a dotted callee names (`mandril.Send`): its first name
    /// is no variable, inline flow or built-in here (as the checker and the
    /// compiler decide).
    fn dotted_activity(&self, c: &Call) -> Option<String> {
        let (full, root) = c.dotted_callee()?;
        let known = self.out.lookup_var(self.current, root).is_some()
            || self.out.enclosing_inline_flow(self.current, root).is_some()
            || weft_syntax::lang::builtin(root).is_some();
        (!known).then_some(full)
    }

    fn inline_flow(&mut self, f: &FlowDecl) {
        // The inputs are evaluated where the flow is written.
        let mut bound: Vec<(&Ident, Option<VarId>, Span)> = Vec::new();
        for p in &f.params {
            match (&p.name, &p.value) {
                (Some(name), None) => {
                    let outer = self.out.lookup_var(self.current, &name.name);
                    if outer.is_some() {
                        self.read(&name.name, name.span, Role::Read);
                    }
                    bound.push((name, outer, p.span));
                }
                (Some(name), Some(value)) => {
                    self.visit_expr(value);
                    bound.push((name, None, p.span));
                }
                (None, Some(value)) => self.visit_expr(value),
                (None, None) => {}
            }
        }
        let saved = self.current;
        self.new_scope(ScopeKind::InlineFlow, Some(&f.name), f.span, f.body.span);
        let written: Vec<String> = f
            .params
            .iter()
            .map(|p| match (&p.name, &p.value) {
                (Some(n), None) => n.name.clone(),
                (Some(n), Some(_)) => format!("{}: ...", n.name),
                _ => "...".to_string(),
            })
            .collect();
        self.scope_mut().params = format!("({})", written.join(", "));
        let def = self.out.scopes.len() - 1;
        // The flow's own name, written in the enclosing scope.
        let enclosing = self.out.scopes[def].parent;
        if !f.name.name.is_empty() {
            self.out.refs.push(NameRef {
                name: f.name.name.clone(),
                span: f.name.span,
                target: Target::InlineFlow(f.name.span),
                role: Role::Def,
                scope: enclosing,
            });
        }
        for (name, outer, stmt) in bound {
            match outer {
                Some(id) => {
                    self.scope_mut().names.insert(name.name.clone(), id);
                }
                None => {
                    let kind = if stmt == name.span {
                        VarKind::Param
                    } else {
                        VarKind::Input
                    };
                    self.declare(name, kind, stmt);
                }
            }
        }
        self.collect_sites(&f.body);
        self.visit_block(&f.body);
        self.current = saved;
    }
}

/// The main walk: every name of a scope's body in source order, as the
/// `Visitor` goes, with writes, calls and the scopes of `func`s and inline
/// flows told apart.
impl<'ast> Visitor<'ast> for Resolver {
    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        match &stmt.kind {
            StmtKind::Let { name, .. } => {
                visit::walk_stmt(self, stmt);
                self.write(&name.name, name.span);
            }
            StmtKind::Assign { target, value, .. } => {
                self.place(target);
                self.visit_expr(value);
            }
            StmtKind::IncDec { target, .. } => self.place(target),
            StmtKind::TryAssign {
                value, err, call, ..
            } => {
                self.visit_expr(call);
                self.write(&value.name, value.span);
                self.write(&err.name, err.span);
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                self.write(&var.name, var.span);
                self.visit_expr(iterable);
                self.visit_block(body);
            }
            _ => visit::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        match &e.kind {
            ExprKind::Name(n) => self.read(n, e.span, Role::Read),
            ExprKind::Call(c) => self.call(c),
            ExprKind::Lambda(l) => {
                let saved = self.current;
                self.new_scope(ScopeKind::Func, None, e.span, e.span);
                let names: Vec<&str> = l.params.iter().map(|p| p.name.as_str()).collect();
                self.scope_mut().params = format!("({})", names.join(", "));
                for p in &l.params {
                    self.declare(p, VarKind::Param, p.span);
                }
                self.collect_sites(&l.body);
                self.visit_block(&l.body);
                self.current = saved;
            }
            ExprKind::Flow(f) => self.inline_flow(f),
            _ => visit::walk_expr(self, e),
        }
    }
}

/// The pre-pass of a scope (see [`Resolver::collect_sites`]): statements
/// only, since the `func`s and inline flows inside expressions are scopes
/// of their own.
struct Sites<'r>(&'r mut Resolver);

impl<'ast> Visitor<'ast> for Sites<'_> {
    fn visit_expr(&mut self, _: &'ast Expr) {}

    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        let r = &mut *self.0;
        match &stmt.kind {
            StmtKind::Let { var, name, .. } => {
                let kind = if *var { VarKind::Var } else { VarKind::Let };
                r.site(name, kind, stmt.span);
            }
            StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    let id = Ident {
                        name: n.clone(),
                        span: target.span,
                    };
                    r.site(&id, VarKind::Assigned, stmt.span);
                }
            }
            StmtKind::For { var, .. } => r.site(var, VarKind::Loop, stmt.span),
            StmtKind::TryAssign {
                declare,
                value,
                err,
                ..
            } => {
                let kind = match declare {
                    Some(Declare::Let) => VarKind::Let,
                    Some(Declare::Var) => VarKind::Var,
                    None => VarKind::Assigned,
                };
                r.site(value, kind, stmt.span);
                r.site(err, kind, stmt.span);
            }
            _ => {}
        }
        visit::walk_stmt(self, stmt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(src: &str) -> FileIndex {
        FileIndex::new(&weft_syntax::parse(src).module)
    }

    fn refs_of(idx: &FileIndex, src: &str, at: &str) -> Vec<String> {
        let offset = src.find(at).unwrap() as u32;
        let r = idx.ref_at(offset).unwrap();
        idx.refs
            .iter()
            .filter(|x| x.target == r.target && x.name == r.name)
            .map(|x| format!("{}@{}:{:?}", x.name, x.span.start, x.role))
            .collect()
    }

    #[test]
    fn captured_and_shadowed() {
        let src = "flow A(x) {\n  y = x\n  f = func(x) { return x + y }\n  g = flow G(y) { y = 2 }\n  return [f, g]\n}\n";
        let idx = index(src);
        // `x` of the flow: its parameter and one read; the `func`'s `x` is
        // another variable.
        assert_eq!(refs_of(&idx, src, "x) {").len(), 2);
        assert_eq!(refs_of(&idx, src, "x + y").len(), 2);
        // `y` is one variable from the flow through the inline flow's
        // input and its assignment.
        assert_eq!(refs_of(&idx, src, "y = x").len(), 4);
    }

    #[test]
    fn globals_and_annotations() {
        let src = "flow A(x) {\n  r = Charge(x) @retry(3)\n  return B(r)\n}\nflow B(v) { return len(v) }\n";
        let idx = index(src);
        let r = idx.ref_at(src.find("Charge").unwrap() as u32).unwrap();
        assert_eq!((r.target.clone(), r.role), (Target::Global, Role::Call));
        let r = idx.ref_at(src.find("retry").unwrap() as u32).unwrap();
        assert_eq!(r.target, Target::Annotation);
        assert_eq!(refs_of(&idx, src, "B(r)").len(), 2);
        assert_eq!(idx.items.len(), 2);
        assert_eq!(idx.items[1].signature(), "flow B(v)");
    }

    #[test]
    fn declarations() {
        let src = "type T = {a: [T], b?: string | null}\nactivity A(x: T, y?: int) -> T @http(method: \"POST\", url: \"https://a.test/{y}\", body: \"x\")\nflow F(v) { return A(v, y: 1) }\n";
        let idx = index(src);
        assert_eq!(
            idx.items.iter().map(|i| i.signature()).collect::<Vec<_>>(),
            [
                "type T = {a: [T], b?: string | null}",
                "activity A(x: T, y?: int) -> T",
                "flow F(v)"
            ]
        );
        let at = |s: &str| src.find(s).unwrap();
        assert_eq!(
            idx.items[1].kind,
            ItemKind::Activity {
                params: vec![
                    DeclParam {
                        name: Ident {
                            name: "x".into(),
                            span: Span::new(at("x: T"), at("x: T") + 1)
                        },
                        optional: false,
                        ty: "T".into()
                    },
                    DeclParam {
                        name: Ident {
                            name: "y".into(),
                            span: Span::new(at("y?"), at("y?") + 1)
                        },
                        optional: true,
                        ty: "int".into()
                    }
                ],
                result: Some("T".into()),
                http: Some(("POST".into(), "https://a.test/{y}".into()))
            }
        );
        // `T`: its declaration, in its own type, as a parameter's and the
        // result's type.
        assert_eq!(
            refs_of(&idx, src, "T ="),
            ["T@5:Def", "T@14:Read", "T@51:Read", "T@66:Read"]
        );
        // `y`: declared, in the URL; `x`: declared, the body.
        assert_eq!(refs_of(&idx, src, "y?"), ["y@54:Def", "y@112:Read"]);
        assert_eq!(refs_of(&idx, src, "x: T"), ["x@48:Def", "x@124:Read"]);
        let r = idx.ref_at(src.find("A(v").unwrap() as u32).unwrap();
        assert_eq!((r.target.clone(), r.role), (Target::Global, Role::Call));
        assert_eq!(idx.named_args.len(), 1);
    }
}

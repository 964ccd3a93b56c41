//! The live-upgrade rule on the program tree: which statement of the new
//! version corresponds to which of the old, which variables were renamed,
//! and whether anything the run may already have executed changed.
//!
//! Two statements are *the same* when they print the same canonical form
//! (see [`canon_stmt`]): spans, comments and call annotations left out, the
//! old side's variables written under their new names, and the bodies of
//! functions defined in them (closures, inline sub-flows) left out, since
//! a closure's body runs when it is called, not where it is defined. Blocks
//! are aligned by their longest common run of same statements; what is left
//! between two aligned statements pairs up by kind (a statement *changed*)
//! or stays alone (*added* in the new version, *removed* from the old).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use weft_syntax::ast::*;
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Span;

/// How a statement of the old version relates to its counterpart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pair {
    /// The same statement (modulo renames and annotations).
    Same,
    /// A statement of the same kind at the same place, changed.
    Changed,
}

/// Variable names of one flow: old name → new name, for those that differ.
pub(super) type Renames = BTreeMap<String, String>;

/// Prints a statement in canonical form; `name` gives the form of each
/// variable name (the new name on the old side), `anns` whether call
/// annotations are printed.
pub(super) fn canon_stmt(s: &Stmt, name: &dyn Fn(&str) -> String, anns: bool) -> String {
    let mut out = String::new();
    Canon {
        name,
        anns,
        out: &mut out,
    }
    .stmt(s);
    out
}

/// An expression in canonical form (see [`canon_stmt`]).
pub(super) fn canon_expr(e: &Expr, name: &dyn Fn(&str) -> String, anns: bool) -> String {
    let mut out = String::new();
    Canon {
        name,
        anns,
        out: &mut out,
    }
    .expr(e);
    out
}

struct Canon<'a> {
    name: &'a dyn Fn(&str) -> String,
    anns: bool,
    out: &'a mut String,
}

impl Canon<'_> {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn n(&mut self, n: &str) {
        let shown = (self.name)(n);
        self.out.push_str(&shown);
    }

    /// Only the header of a compound statement: its blocks are compared
    /// statement by statement.
    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let { var, name, value } => {
                self.w(if *var { "(var " } else { "(let " });
                self.n(&name.name);
                if let Some(v) = value {
                    self.w(" ");
                    self.expr(v);
                }
                self.w(")");
            }
            StmtKind::Assign { target, op, value } => {
                let _ = write!(self.out, "(assign{:?} ", op);
                self.expr(target);
                self.w(" ");
                self.expr(value);
                self.w(")");
            }
            StmtKind::TryAssign {
                declare,
                value,
                err,
                call,
            } => {
                let _ = write!(self.out, "(try{:?} ", declare);
                self.n(&value.name);
                self.w(" ");
                self.n(&err.name);
                self.w(" ");
                self.expr(call);
                self.w(")");
            }
            StmtKind::IncDec { target, increment } => {
                self.w(if *increment { "(inc " } else { "(dec " });
                self.expr(target);
                self.w(")");
            }
            StmtKind::If(i) => self.if_stmt(i),
            StmtKind::While { cond, body } => {
                self.w("(while ");
                self.expr(cond);
                self.block(body);
                self.w(")");
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                self.w("(for ");
                self.n(&var.name);
                self.w(" ");
                self.expr(iterable);
                self.block(body);
                self.w(")");
            }
            StmtKind::Return { value } => {
                self.w("(return");
                if let Some(v) = value {
                    self.w(" ");
                    self.expr(v);
                }
                self.w(")");
            }
            StmtKind::Break => self.w("(break)"),
            StmtKind::Continue => self.w("(continue)"),
            StmtKind::Expr(e) => {
                self.w("(do ");
                self.expr(e);
                self.w(")");
            }
            StmtKind::Error => self.w("(error)"),
        }
    }

    fn if_stmt(&mut self, i: &IfStmt) {
        self.w("(if ");
        self.expr(&i.cond);
        self.block(&i.then_block);
        match &i.else_branch {
            None => {}
            Some(Else::Block(b)) => {
                self.w(" else");
                self.block(b);
            }
            Some(Else::If(nested)) => {
                self.w(" else ");
                self.if_stmt(nested);
            }
        }
        self.w(")");
    }

    fn block(&mut self, b: &Block) {
        self.w(" {");
        for s in &b.stmts {
            self.w(" ");
            self.stmt(s);
        }
        self.w(" }");
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Number(n) => {
                let _ = write!(self.out, "{n:?}");
            }
            ExprKind::String(s) => {
                let _ = write!(self.out, "{s:?}");
            }
            ExprKind::Duration { ms, .. } => {
                let _ = write!(self.out, "{ms}ms");
            }
            ExprKind::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
            ExprKind::Null => self.w("null"),
            ExprKind::Name(n) => self.n(n),
            ExprKind::Array(items) => {
                self.w("[");
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        self.w(" ");
                    }
                    self.expr(it);
                }
                self.w("]");
            }
            ExprKind::Object(entries) => {
                self.w("{");
                for (i, en) in entries.iter().enumerate() {
                    if i > 0 {
                        self.w(" ");
                    }
                    match en {
                        ObjectEntry::Field { key, value } => {
                            let _ = write!(self.out, "{:?}:", key.name);
                            self.expr(value);
                        }
                        ObjectEntry::Spread(v) => {
                            self.w("..");
                            self.expr(v);
                        }
                    }
                }
                self.w("}");
            }
            ExprKind::Member { object, name } => {
                self.w("(. ");
                self.expr(object);
                let _ = write!(self.out, " {})", name.name);
            }
            ExprKind::Index { object, index } => {
                self.w("(index ");
                self.expr(object);
                self.w(" ");
                self.expr(index);
                self.w(")");
            }
            ExprKind::Call(c) => {
                self.w("(call ");
                self.expr(&c.callee);
                for a in &c.args {
                    self.w(" ");
                    if let Some(n) = &a.name {
                        let _ = write!(self.out, "{}:", n.name);
                    }
                    self.expr(&a.value);
                }
                if self.anns {
                    for ann in &c.annotations {
                        let _ = write!(self.out, " @{}(", ann.name.name);
                        for a in &ann.args {
                            if let Some(n) = &a.name {
                                let _ = write!(self.out, "{}:", n.name);
                            }
                            self.expr(&a.value);
                            self.w(" ");
                        }
                        self.w(")");
                    }
                }
                self.w(")");
            }
            ExprKind::Unary { op, operand } => {
                let _ = write!(self.out, "({op:?} ");
                self.expr(operand);
                self.w(")");
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let _ = write!(self.out, "({op:?} ");
                self.expr(lhs);
                self.w(" ");
                self.expr(rhs);
                self.w(")");
            }
            // A function's body runs when it is called: it is compared
            // there (a frame inside it), not where it is defined.
            ExprKind::Lambda(l) => {
                self.w("(func");
                for p in &l.params {
                    self.w(" ");
                    self.n(&p.name);
                }
                self.w(")");
            }
            ExprKind::Flow(f) => {
                let _ = write!(self.out, "(flow {}", f.name.name);
                for p in &f.params {
                    self.w(" ");
                    if let Some(n) = &p.name {
                        self.n(&n.name);
                        self.w(":");
                    }
                    if let Some(v) = &p.value {
                        self.expr(v);
                    }
                }
                self.w(")");
            }
            ExprKind::Await(inner) => {
                self.w("(await ");
                self.expr(inner);
                self.w(")");
            }
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Braced(b) => {
                let _ = write!(self.out, "({}{{", b.name.name);
                for (i, en) in b.entries.iter().enumerate() {
                    if i > 0 {
                        self.w(" ");
                    }
                    match en {
                        BracedEntry::Field { key, value } => {
                            let _ = write!(self.out, "{:?}:", key.name);
                            self.expr(value);
                        }
                        BracedEntry::Set { target, value } => {
                            self.w("(= ");
                            self.expr(target);
                            self.w(" ");
                            self.expr(value);
                            self.w(")");
                        }
                        BracedEntry::Expr(e) => self.expr(e),
                        BracedEntry::Spread(v) => {
                            self.w("..");
                            self.expr(v);
                        }
                    }
                }
                self.w("})");
            }
            ExprKind::Error => self.w("(error)"),
        }
    }
}

/// The names a flow binds: its parameters, the variables it assigns, loop
/// variables, the parameters of the closures and inline flows inside it.
/// With each, the *context* of its first binding: the statement that binds
/// it first, printed with the name left out (`$`), so that two versions of
/// one variable under different names have the same context.
pub(super) struct Bindings {
    /// Name → context of its first binding.
    pub first: HashMap<String, String>,
    /// Every bound name.
    pub names: BTreeSet<String>,
}

/// The bindings of `flow`, whose variables print through `rename` (the
/// names already known to be renamed, on the old side).
pub(super) fn bindings(flow: &FlowDecl, rename: &dyn Fn(&str) -> String) -> Bindings {
    let mut b = Bindings {
        first: HashMap::new(),
        names: BTreeSet::new(),
    };
    for (i, p) in flow.params.iter().enumerate() {
        if let Some(n) = &p.name {
            bind(
                &mut b,
                &n.name,
                format!("param {i} of flow {}", flow.name.name),
            );
        }
    }
    collect_block(&flow.body, rename, &mut b);
    b
}

fn bind(b: &mut Bindings, name: &str, context: String) {
    b.names.insert(name.to_string());
    b.first.entry(name.to_string()).or_insert(context);
}

/// The statement `s` printed with `name` as `$`.
fn context_of(s: &Stmt, name: &str, rename: &dyn Fn(&str) -> String) -> String {
    let hole = |n: &str| {
        if n == name {
            "$".to_string()
        } else {
            rename(n)
        }
    };
    canon_stmt(s, &hole, false)
}

fn collect_block(b: &Block, rename: &dyn Fn(&str) -> String, out: &mut Bindings) {
    for s in &b.stmts {
        collect_stmt(s, rename, out);
    }
}

fn collect_stmt(s: &Stmt, rename: &dyn Fn(&str) -> String, out: &mut Bindings) {
    match &s.kind {
        StmtKind::Let { name, .. } => {
            let c = context_of(s, &name.name, rename);
            bind(out, &name.name, c);
        }
        StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
            if let Some(root) = assigned_root(target) {
                let c = context_of(s, root, rename);
                bind(out, root, c);
            }
        }
        StmtKind::For { var, iterable, .. } => {
            // The loop's header only: its body is compared statement by
            // statement.
            let hole = |n: &str| {
                if n == var.name {
                    "$".to_string()
                } else {
                    rename(n)
                }
            };
            let c = format!("(for $ {})", canon_expr(iterable, &hole, false));
            bind(out, &var.name, c);
        }
        _ => {}
    }
    // Closures and inline flows in the statement's expressions: their
    // parameters bind in the context of the statement, their bodies are
    // walked like any other.
    let mut nested = Nested(Vec::new());
    match &s.kind {
        StmtKind::If(i) => {
            let mut cur = Some(i);
            while let Some(i) = cur {
                nested.visit_expr(&i.cond);
                cur = match &i.else_branch {
                    Some(Else::If(n)) => Some(n),
                    _ => None,
                };
            }
        }
        StmtKind::While { cond, .. } => nested.visit_expr(cond),
        StmtKind::For { iterable, .. } => nested.visit_expr(iterable),
        _ => visit::walk_stmt(&mut nested, s),
    }
    for e in nested.0 {
        match &e.kind {
            ExprKind::Lambda(l) => {
                for (i, p) in l.params.iter().enumerate() {
                    let c = format!("param {i} of func in {}", context_of(s, &p.name, rename));
                    bind(out, &p.name, c);
                }
                collect_block(&l.body, rename, out);
            }
            ExprKind::Flow(f) => {
                for (i, p) in f.params.iter().enumerate() {
                    if let Some(n) = &p.name {
                        let c = format!(
                            "param {i} of flow {} in {}",
                            f.name.name,
                            context_of(s, &n.name, rename)
                        );
                        bind(out, &n.name, c);
                    }
                }
                collect_block(&f.body, rename, out);
            }
            _ => {}
        }
    }
    // The blocks of a compound statement.
    match &s.kind {
        StmtKind::If(i) => {
            let mut cur = Some(i);
            while let Some(i) = cur {
                collect_block(&i.then_block, rename, out);
                cur = match &i.else_branch {
                    Some(Else::If(n)) => Some(n),
                    Some(Else::Block(b)) => {
                        collect_block(b, rename, out);
                        None
                    }
                    None => None,
                };
            }
        }
        StmtKind::While { body, .. } | StmtKind::For { body, .. } => {
            collect_block(body, rename, out)
        }
        _ => {}
    }
}

/// The closures and inline flows of an expression, not looking inside them.
struct Nested<'a>(Vec<&'a Expr>);

impl<'a> Visitor<'a> for Nested<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        match &e.kind {
            ExprKind::Lambda(_) | ExprKind::Flow(_) => self.0.push(e),
            _ => visit::walk_expr(self, e),
        }
    }
}

/// The variable an assignment target assigns (`a` of `a.b[c] = ...`).
pub(super) fn assigned_root(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Member { object, .. } | ExprKind::Index { object, .. } => assigned_root(object),
        ExprKind::Paren(inner) => assigned_root(inner),
        _ => None,
    }
}

/// The variables renamed between two versions of a flow: an old name the
/// new version lacks and a new name the old version lacks are one variable
/// when their first bindings have the same context (the same statement but
/// for the name, or the same parameter of the flow) and no other pair fits
/// either of them. Found in rounds, so a rename can rest on another
/// (`b = a.x` once `a` is known renamed).
pub(super) fn renames(old: &FlowDecl, new: &FlowDecl) -> Renames {
    let mut map = Renames::new();
    let new_b = bindings(new, &|n: &str| n.to_string());
    for _ in 0..64 {
        let rename = |n: &str| map.get(n).cloned().unwrap_or_else(|| n.to_string());
        let old_b = bindings(old, &rename);
        let taken: BTreeSet<&String> = map.values().collect();
        let only_old: Vec<&String> = old_b
            .names
            .iter()
            .filter(|n| !new_b.names.contains(*n) && !map.contains_key(*n))
            .collect();
        let only_new: Vec<&String> = new_b
            .names
            .iter()
            .filter(|n| !old_b.names.contains(*n) && !taken.contains(n))
            .collect();
        let mut found = Vec::new();
        for a in &only_old {
            let ctx = &old_b.first[*a];
            let fits: Vec<&&String> = only_new
                .iter()
                .filter(|b| new_b.first[**b] == *ctx)
                .collect();
            if fits.len() != 1 {
                continue;
            }
            let b = fits[0];
            let back = only_old
                .iter()
                .filter(|x| old_b.first[**x] == new_b.first[*b])
                .count();
            if back == 1 {
                found.push(((*a).clone(), (*b).clone()));
            }
        }
        if found.is_empty() {
            break;
        }
        map.extend(found);
    }
    map
}

/// Pairs the statements of two blocks: for each old statement, its
/// counterpart in the new block, if any (see the module documentation).
pub(super) fn correspond(
    old: &[Stmt],
    new: &[Stmt],
    rename: &dyn Fn(&str) -> String,
) -> Vec<Option<(usize, Pair)>> {
    let same = |n: &str| n.to_string();
    let a: Vec<String> = old.iter().map(|s| canon_stmt(s, rename, false)).collect();
    let b: Vec<String> = new.iter().map(|s| canon_stmt(s, &same, false)).collect();
    // The longest common subsequence, by dynamic programming (blocks are
    // small; the limits bound them).
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out: Vec<Option<(usize, Pair)>> = vec![None; n];
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out[i] = Some((j, Pair::Same));
            anchors.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    // Between two anchors, statements of one kind pair up in order.
    anchors.push((n, m));
    let (mut from_i, mut from_j) = (0, 0);
    for (ai, aj) in anchors {
        let mut next_j = from_j;
        for (oi, old_stmt) in old.iter().enumerate().take(ai).skip(from_i) {
            let key = kind_key(old_stmt, rename);
            if let Some(k) = (next_j..aj).find(|&k| kind_key(&new[k], &same) == key) {
                out[oi] = Some((k, Pair::Changed));
                next_j = k + 1;
            }
        }
        from_i = ai + 1;
        from_j = aj + 1;
    }
    out
}

/// What makes two changed statements one statement changed: their kind,
/// and for assignments the variable, for calls the callee.
fn kind_key(s: &Stmt, rename: &dyn Fn(&str) -> String) -> String {
    // An assignment of a call is that call's step, whatever the variable.
    let called = |e: &Expr| match &e.unparen().kind {
        ExprKind::Call(c) => Some(canon_expr(&c.callee, rename, false)),
        ExprKind::Await(inner) => match &inner.unparen().kind {
            ExprKind::Call(c) => Some(format!("await {}", canon_expr(&c.callee, rename, false))),
            _ => None,
        },
        _ => None,
    };
    match &s.kind {
        StmtKind::Let { value: Some(v), .. } | StmtKind::Assign { value: v, .. }
            if called(v).is_some() =>
        {
            format!("set {}", called(v).unwrap_or_default())
        }
        StmtKind::Let { name, .. } => format!("let {}", rename(&name.name)),
        StmtKind::Assign { target, .. } | StmtKind::IncDec { target, .. } => {
            format!("assign {}", canon_expr(target, rename, false))
        }
        // `value, err = Call(...)` is that call's step too.
        StmtKind::TryAssign { call, .. } if called(call).is_some() => {
            format!("set {}", called(call).unwrap_or_default())
        }
        StmtKind::TryAssign { value, .. } => format!("let {}", rename(&value.name)),
        StmtKind::Return { value: Some(v) } if called(v).is_some() => {
            format!("set {}", called(v).unwrap_or_default())
        }
        StmtKind::If(_) => "if".into(),
        StmtKind::While { .. } => "while".into(),
        StmtKind::For { var, .. } => format!("for {}", rename(&var.name)),
        StmtKind::Return { .. } => "return".into(),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Expr(e) => match called(e) {
            Some(c) => format!("set {c}"),
            None => "do".into(),
        },
        StmtKind::Error => "error".into(),
    }
}

/// True when `inner` lies within `outer`.
pub(super) fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The arms of an `if` chain: `(condition, block)` per `if`, and the final
/// `else` block.
pub(super) fn arms(i: &IfStmt) -> (Vec<(&Expr, &Block)>, Option<&Block>) {
    let mut conds = Vec::new();
    let mut cur = i;
    loop {
        conds.push((&cur.cond, &cur.then_block));
        match &cur.else_branch {
            None => return (conds, None),
            Some(Else::Block(b)) => return (conds, Some(b)),
            Some(Else::If(n)) => cur = n,
        }
    }
}

/// The spans of the call annotations in `e` (their arguments are operands
/// of a call, consumed by it).
pub(super) fn annotation_spans(root: AnyNode<'_>) -> Vec<Span> {
    struct Anns(Vec<Span>);
    impl Visitor<'_> for Anns {
        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Call(c) = &e.kind {
                self.0.extend(c.annotations.iter().map(|a| a.span));
            }
            visit::walk_expr(self, e);
        }
    }
    let mut a = Anns(Vec::new());
    match root {
        AnyNode::Stmt(s) => a.visit_stmt(s),
        AnyNode::Expr(e) => a.visit_expr(e),
    }
    a.0
}

/// A statement or an expression (the header of a compound statement, or
/// the call a branch function wraps).
#[derive(Clone, Copy)]
pub(super) enum AnyNode<'a> {
    /// A statement.
    Stmt(&'a Stmt),
    /// An expression.
    Expr(&'a Expr),
}

impl AnyNode<'_> {
    /// Its span.
    pub fn span(self) -> Span {
        match self {
            AnyNode::Stmt(s) => s.span,
            AnyNode::Expr(e) => e.span,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(src: &str) -> FlowDecl {
        let p = weft_syntax::parse(src);
        assert!(!p.has_errors(), "{src}");
        let flow = p.module.flows().next().unwrap().clone();
        flow
    }

    #[test]
    fn a_variable_renamed_everywhere_is_found_by_its_first_assignment() {
        let old = flow("flow F(x) {\n a = A(x)\n b = await B(a.id)\n return [a, b]\n}\n");
        let new =
            flow("flow F(x) {\n first = A(x)\n b = await B(first.id)\n return [first, b]\n}\n");
        let r = renames(&old, &new);
        assert_eq!(r.get("a").map(String::as_str), Some("first"));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn renames_chain_and_parameters_pair_by_position() {
        let old = flow("flow F(input) {\n a = A(input)\n b = a.x\n return b\n}\n");
        let new = flow("flow F(req) {\n first = A(req)\n second = first.x\n return second\n}\n");
        let r = renames(&old, &new);
        assert_eq!(r.get("input").map(String::as_str), Some("req"));
        assert_eq!(r.get("a").map(String::as_str), Some("first"));
        assert_eq!(r.get("b").map(String::as_str), Some("second"));
    }

    #[test]
    fn two_candidates_for_one_name_make_no_rename() {
        let old = flow("flow F() {\n a = A()\n return a\n}\n");
        let new = flow("flow F() {\n p = A()\n q = A()\n return [p, q]\n}\n");
        assert!(renames(&old, &new).is_empty());
    }

    #[test]
    fn blocks_align_on_same_statements_and_pair_changed_ones_by_kind() {
        let old = flow("flow F() {\n a = A()\n b = B(a)\n c = C(b)\n return c\n}\n");
        let new = flow("flow F() {\n z = Z()\n a = A()\n b = B(a, 1)\n c = C(b)\n return c\n}\n");
        let same = |n: &str| n.to_string();
        let pairs = correspond(&old.body.stmts, &new.body.stmts, &same);
        assert_eq!(
            pairs,
            vec![
                Some((1, Pair::Same)),
                Some((2, Pair::Changed)),
                Some((3, Pair::Same)),
                Some((4, Pair::Same)),
            ]
        );
    }

    #[test]
    fn annotations_and_closure_bodies_do_not_make_a_statement_different() {
        let a = flow("flow F() {\n r = A() @retry(3)\n f = func() { return X() }\n}\n");
        let b =
            flow("flow F() {\n r = A() @retry(5) @timeout(1h)\n f = func() { return Y() }\n}\n");
        let same = |n: &str| n.to_string();
        for (x, y) in a.body.stmts.iter().zip(&b.body.stmts) {
            assert_eq!(canon_stmt(x, &same, false), canon_stmt(y, &same, false));
        }
        assert_ne!(
            canon_stmt(&a.body.stmts[0], &same, true),
            canon_stmt(&b.body.stmts[0], &same, true)
        );
    }
}

//! The diagram of a flow, for the web UI: `GET /v1/flows/{name}/graph`.
//!
//! Built from the parsed tree, not the bytecode: one node per step a run can
//! stand at (activity calls, awaits, timers, sub-flows, closure calls) and
//! per structure (branches, loops, parallel blocks and their joins, returns),
//! with edges in execution order. Statements that only compute values have
//! no node. Inline sub-flows are drawn inside their parent's diagram; their
//! nodes name the sub-flow they belong to (`flow`), so runs of the sub-flow
//! are counted there.
//!
//! Runs are placed on nodes by their `position` (`file:line`): the node of
//! that line in the run's flow (a line with several nodes counts on the one
//! a run can wait at).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use weft_store::RunRecord;
use weft_syntax::ast::{Block, Call, Else, Expr, ExprKind, FlowDecl, IfStmt, Stmt, StmtKind};
use weft_syntax::lang::{self, BuiltinKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::{LineIndex, Span};

/// Longest label, in characters; longer ones end with `…`.
pub const LABEL_CHARS_MAX: usize = 48;

/// A step or structure of the flow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// `n0`, `n1`, ... in source order.
    pub id: String,
    /// `start`, `end`, `call`, `await`, `timer`, `flow` (a call of a flow:
    /// a child run), `subflow` (an inline sub-flow starts), `closure`,
    /// `compensate`, `branch`, `loop`, `parallel`, `join`, `return`.
    pub kind: &'static str,
    /// What to show: the activity or flow name, the condition, ...
    pub label: String,
    /// A second line: annotations, the iterated list, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// 1-based source line.
    pub line: u32,
    /// The flow whose runs stand here (the flow, or an inline sub-flow).
    pub flow: String,
    /// For `flow` and `subflow` nodes: the flow the child run runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// An edge, in execution order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    /// Node id.
    pub from: String,
    /// Node id.
    pub to: String,
    /// `yes`/`no` of a branch, `loop`/`done` of a loop, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// True for the edge back to a loop's head (drawn upwards).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub back: bool,
}

/// A flow's diagram.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Graph {
    /// The nodes, in source order (a start node first).
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
}

/// Runs placed on a graph's nodes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Node id → runs standing there.
    pub counts: BTreeMap<String, u64>,
    /// Node id → status → runs.
    #[serde(rename = "countsByStatus")]
    pub by_status: BTreeMap<String, BTreeMap<&'static str, u64>>,
    /// Runs whose position is on no node (a failure in an expression, a
    /// closure's body, ...).
    pub unplaced: u64,
}

/// Node kinds a run can wait at, preferred when a line holds several nodes.
const WAIT_KINDS: &[&str] = &[
    "call",
    "await",
    "timer",
    "flow",
    "closure",
    "compensate",
    "subflow",
    "parallel",
];

/// The diagram of `flow` in `text`; `flows` are the flows of the program
/// (calls of them are sub-flow runs). `None` when the text has no such flow.
pub fn build(text: &str, flow: &str, flows: &HashSet<String>) -> Option<Graph> {
    let module = weft_syntax::parse(text).module;
    let decl = module.flow(flow)?;
    let mut vars = Vars::default();
    vars.visit_flow(decl);
    let mut b = Builder {
        text,
        index: LineIndex::new(text),
        flows,
        vars: vars.0,
        graph: Graph::default(),
        owner: vec![flow.to_string()],
        loops: Vec::new(),
        lambda_returns: Vec::new(),
    };
    let params: Vec<&str> = decl
        .params
        .iter()
        .filter_map(|p| p.name.as_ref().map(|n| n.name.as_str()))
        .collect();
    let start = b.node(
        "start",
        format!("{flow}({})", params.join(", ")),
        None,
        decl.span,
        Vec::new(),
    );
    b.flow_body(&decl.body, vec![(start, None)]);
    Some(b.graph)
}

/// Places runs on the nodes. `file` is the file that defines the flow;
/// runs of other versions or files are not counted.
pub fn place(graph: &Graph, file: &str, runs: &[RunRecord]) -> Counts {
    let mut out = Counts::default();
    for r in runs {
        let at = r.position.as_deref().and_then(|p| {
            let (f, line) = p.rsplit_once(':')?;
            let line: u32 = line.parse().ok()?;
            (f == file).then_some(line)
        });
        let node = at.and_then(|line| {
            let here: Vec<&Node> = graph
                .nodes
                .iter()
                .filter(|n| n.line == line && n.flow == r.flow)
                .collect();
            here.iter()
                .find(|n| WAIT_KINDS.contains(&n.kind))
                .or(here.first())
                .copied()
        });
        match node {
            Some(n) => {
                *out.counts.entry(n.id.clone()).or_default() += 1;
                *out.by_status
                    .entry(n.id.clone())
                    .or_default()
                    .entry(r.status.as_str())
                    .or_default() += 1;
            }
            None => out.unplaced += 1,
        }
    }
    out
}

/// Every inline sub-flow's name in a graph (their runs count on it too).
pub fn subflows(graph: &Graph) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in &graph.nodes {
        if n.kind == "subflow" {
            if let Some(t) = &n.target {
                if !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
    }
    out
}

/// Names a flow assigns (parameters, variables, loop variables, closure
/// parameters): a call of one of them is a closure call.
#[derive(Default)]
struct Vars(HashSet<String>);

impl Visitor<'_> for Vars {
    fn visit_flow(&mut self, f: &FlowDecl) {
        for p in &f.params {
            if let Some(n) = &p.name {
                self.0.insert(n.name.clone());
            }
        }
        visit::walk_flow(self, f)
    }
    fn visit_stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let { name, .. } => {
                self.0.insert(name.name.clone());
            }
            StmtKind::Assign { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    self.0.insert(n.clone());
                }
            }
            StmtKind::For { var, .. } => {
                self.0.insert(var.name.clone());
            }
            StmtKind::TryAssign { value, err, .. } => {
                self.0.insert(value.name.clone());
                self.0.insert(err.name.clone());
            }
            _ => {}
        }
        visit::walk_stmt(self, s)
    }
    fn visit_expr(&mut self, e: &Expr) {
        if let ExprKind::Lambda(l) = &e.kind {
            for p in &l.params {
                self.0.insert(p.name.clone());
            }
        }
        visit::walk_expr(self, e)
    }
}

/// The parts of an expression, drawn in order by [`Builder::expr`]; the
/// `Visitor` knows what the parts of each kind of expression are.
struct Parts<'b, 'a> {
    builder: &'b mut Builder<'a>,
    open: Open,
}

impl Visitor<'_> for Parts<'_, '_> {
    fn visit_expr(&mut self, e: &Expr) {
        let open = std::mem::take(&mut self.open);
        self.open = self.builder.expr(e, open, false);
    }
}

/// Edges still to be connected: (node index, label).
type Open = Vec<(usize, Option<String>)>;

struct Loop {
    head: usize,
    breaks: Open,
}

struct Builder<'a> {
    text: &'a str,
    index: LineIndex,
    flows: &'a HashSet<String>,
    vars: HashSet<String>,
    graph: Graph,
    /// The flow being drawn, innermost inline sub-flow last.
    owner: Vec<String>,
    loops: Vec<Loop>,
    /// Inside closures drawn as branches: where their `return`s go.
    lambda_returns: Vec<Open>,
}

fn label(s: impl Into<String>) -> Option<String> {
    Some(s.into())
}

impl Builder<'_> {
    fn line(&self, span: Span) -> u32 {
        self.index.line_col(self.text, span.start).line
    }

    /// Source text of a span on one line, shortened.
    fn snippet(&self, span: Span) -> String {
        let s = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        shorten(&one)
    }

    fn node(
        &mut self,
        kind: &'static str,
        label: String,
        detail: Option<String>,
        span: Span,
        open: Open,
    ) -> usize {
        let i = self.graph.nodes.len();
        let line = self.line(span);
        self.graph.nodes.push(Node {
            id: format!("n{i}"),
            kind,
            label: shorten(&label),
            detail: detail.map(|d| shorten(&d)),
            line,
            flow: self.owner.last().cloned().unwrap_or_default(),
            target: None,
        });
        self.connect(open, i, false);
        i
    }

    fn connect(&mut self, open: Open, to: usize, back: bool) {
        for (from, label) in open {
            let e = Edge {
                from: format!("n{from}"),
                to: format!("n{to}"),
                label,
                back,
            };
            if !self.graph.edges.contains(&e) {
                self.graph.edges.push(e);
            }
        }
    }

    /// A flow's body; an `end` node when it can finish without `return`.
    fn flow_body(&mut self, body: &Block, open: Open) {
        let loops = std::mem::take(&mut self.loops);
        let returns = std::mem::take(&mut self.lambda_returns);
        let open = self.block(body, open);
        if !open.is_empty() {
            // The closing brace.
            let at = body.span.end.saturating_sub(1) as usize;
            self.node("end", "end".into(), None, Span::new(at, at), open);
        }
        self.loops = loops;
        self.lambda_returns = returns;
    }

    fn block(&mut self, b: &Block, mut open: Open) -> Open {
        for s in &b.stmts {
            if open.is_empty() {
                // Unreachable (the checker refuses it): nothing to draw.
                break;
            }
            open = self.stmt(s, open);
        }
        open
    }

    fn stmt(&mut self, s: &Stmt, open: Open) -> Open {
        match &s.kind {
            StmtKind::Let { value, .. } => match value {
                Some(v) => self.expr(v, open, false),
                None => open,
            },
            StmtKind::Assign { target, value, .. } => {
                let open = self.expr(value, open, false);
                self.place_expr(target, open)
            }
            StmtKind::IncDec { target, .. } => self.place_expr(target, open),
            StmtKind::TryAssign { call, .. } => self.expr(call, open, false),
            StmtKind::Expr(e) => self.expr(e, open, false),
            StmtKind::If(i) => self.if_stmt(i, open),
            StmtKind::While { cond, body } => {
                let open = self.expr(cond, open, false);
                let head = self.node(
                    "loop",
                    format!("while {}", self.snippet(cond.span)),
                    None,
                    s.span,
                    open,
                );
                self.loop_body(head, body, "loop")
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                let open = self.expr(iterable, open, false);
                let head = self.node(
                    "loop",
                    format!("for {} in {}", var.name, self.snippet(iterable.span)),
                    None,
                    s.span,
                    open,
                );
                self.loop_body(head, body, "each")
            }
            StmtKind::Return { value } => {
                let open = match value {
                    Some(v) => self.expr(v, open, false),
                    None => open,
                };
                if let Some(r) = self.lambda_returns.last_mut() {
                    r.extend(open);
                } else {
                    let detail = value.as_ref().map(|v| self.snippet(v.span));
                    self.node("return", "return".into(), detail, s.span, open);
                }
                Vec::new()
            }
            StmtKind::Break => {
                if let Some(l) = self.loops.last_mut() {
                    l.breaks
                        .extend(open.into_iter().map(|(n, _)| (n, label("break"))));
                }
                Vec::new()
            }
            StmtKind::Continue => {
                if let Some(head) = self.loops.last().map(|l| l.head) {
                    self.connect(open, head, true);
                }
                Vec::new()
            }
            StmtKind::Error => open,
        }
    }

    /// Calls inside an assignment's target (`a[F(x)] = ...`).
    fn place_expr(&mut self, target: &Expr, open: Open) -> Open {
        match &target.kind {
            ExprKind::Member { object, .. } => self.place_expr(object, open),
            ExprKind::Index { object, index } => {
                let open = self.place_expr(object, open);
                self.expr(index, open, false)
            }
            _ => open,
        }
    }

    fn loop_body(&mut self, head: usize, body: &Block, enter: &str) -> Open {
        self.loops.push(Loop {
            head,
            breaks: Vec::new(),
        });
        let ends = self.block(body, vec![(head, label(enter))]);
        self.connect(ends, head, true);
        let l = self.loops.pop().expect("pushed above");
        let mut out = vec![(head, label("done"))];
        out.extend(l.breaks);
        out
    }

    fn if_stmt(&mut self, i: &IfStmt, open: Open) -> Open {
        let open = self.expr(&i.cond, open, false);
        let node = self.node(
            "branch",
            format!("if {}", self.snippet(i.cond.span)),
            None,
            i.span,
            open,
        );
        let mut out = self.block(&i.then_block, vec![(node, label("yes"))]);
        match &i.else_branch {
            None => out.push((node, label("no"))),
            Some(Else::Block(b)) => out.extend(self.block(b, vec![(node, label("no"))])),
            Some(Else::If(nested)) => out.extend(self.if_stmt(nested, vec![(node, label("no"))])),
        }
        out
    }

    /// The steps of an expression, in evaluation order.
    fn expr(&mut self, e: &Expr, open: Open, awaited: bool) -> Open {
        match &e.kind {
            ExprKind::Call(c) => self.call(c, e.span, open, awaited),
            ExprKind::Await(inner) => self.expr(inner, open, true),
            ExprKind::Paren(inner) => self.expr(inner, open, awaited),
            ExprKind::Flow(f) => self.inline_flow(f, e.span, open),
            // A closure's body runs when it is called, not here.
            ExprKind::Lambda(_) => open,
            // The rest evaluates its parts in order, none of them awaited.
            _ => {
                let mut parts = Parts {
                    builder: self,
                    open,
                };
                visit::walk_expr(&mut parts, e);
                parts.open
            }
        }
    }

    fn args(&mut self, c: &Call, open: Open) -> Open {
        c.args
            .iter()
            .fold(open, |open, a| self.expr(&a.value, open, false))
    }

    fn annotations(&self, c: &Call) -> Option<String> {
        let parts: Vec<String> = c.annotations.iter().map(|a| self.snippet(a.span)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    fn call(&mut self, c: &Call, span: Span, open: Open, awaited: bool) -> Open {
        // `M(key).Cmd(...)`, `M(key).get()`, `M.find(...)`: one step that
        // talks to a machine. (An activity's result holds no functions, so
        // `A(x).B(y)` of a name that is no variable or flow is one.)
        let is_machine = |n: &str| {
            !self.vars.contains(n) && !self.flows.contains(n) && lang::builtin(n).is_none()
        };
        if let Some(mc) = lang::machine_call(c, is_machine) {
            let (key, label_text) = match mc.op {
                lang::MachineOp::Command { key, command } => {
                    (Some(key), format!("{}.{}", mc.machine_name(), command.name))
                }
                lang::MachineOp::Get { key } => (Some(key), format!("{}.get", mc.machine_name())),
                lang::MachineOp::Find => (None, format!("{}.find", mc.machine_name())),
                lang::MachineOp::Handle { state } => (Some(state), "Machine.Handle".to_string()),
            };
            let open = match key {
                Some(k) => self.expr(k, open, false),
                None => open,
            };
            let open = self.args(c, open);
            let n = self.node("call", label_text, Some("machine".into()), span, open);
            return vec![(n, None)];
        }
        // `mandril.Send(...)`: the activity of that whole name, unless its
        // first name is a variable, a flow or a built-in.
        let dotted = c.dotted_callee().filter(|(_, root)| {
            !self.vars.contains(*root)
                && !self.flows.contains(*root)
                && !self.owner.iter().any(|o| o == root)
                && lang::builtin(root).is_none()
        });
        let Some(name) = c
            .callee_name()
            .map(str::to_string)
            .or(dotted.map(|(full, _)| full))
        else {
            let open = self.expr(&c.callee, open, false);
            let open = self.args(c, open);
            let n = self.node(
                "closure",
                format!("{}(…)", self.snippet(c.callee.span)),
                None,
                span,
                open,
            );
            return vec![(n, None)];
        };
        if self.vars.contains(&name) {
            let open = self.args(c, open);
            let n = self.node("closure", format!("{name}(…)"), None, span, open);
            return vec![(n, None)];
        }
        let is_flow = self.flows.contains(&name) || self.owner.contains(&name);
        if !is_flow {
            if let Some(b) = lang::builtin(&name) {
                return match b.kind {
                    BuiltinKind::Pure | BuiltinKind::Recorded => self.args(c, open),
                    BuiltinKind::Timer => {
                        let open = self.args(c, open);
                        let n = self.node("timer", self.snippet(span), None, span, open);
                        vec![(n, None)]
                    }
                    BuiltinKind::Sequential => {
                        let open = self.args(c, open);
                        let n = self.node("compensate", name, None, span, open);
                        vec![(n, None)]
                    }
                    BuiltinKind::Parallel => self.parallel(&name, c, span, open, awaited),
                };
            }
        }
        let open = self.args(c, open);
        if is_flow {
            let n = self.node("flow", name.clone(), label("sub-flow"), span, open);
            self.graph.nodes[n].target = Some(name);
            return vec![(n, None)];
        }
        let detail = match (awaited, self.annotations(c)) {
            (true, Some(a)) => Some(format!("await · {a}")),
            (true, None) => Some("await callback".into()),
            (false, a) => a,
        };
        let kind = if awaited { "await" } else { "call" };
        let n = self.node(kind, name, detail, span, open);
        vec![(n, None)]
    }

    fn parallel(&mut self, name: &str, c: &Call, span: Span, open: Open, awaited: bool) -> Open {
        let join_label = if name == "WaitForAny" {
            "first wins"
        } else {
            "all done"
        };
        if name == "ParallelForEach" {
            let list = c.args.first().map(|a| &a.value);
            let open = match list {
                Some(l) => self.expr(l, open, false),
                None => open,
            };
            let detail = list.map(|l| format!("each of {}", self.snippet(l.span)));
            let fork = self.node("parallel", name.into(), detail, span, open);
            let f = c.args.get(1).map(|a| a.value.unparen());
            let ends = match f {
                Some(Expr {
                    kind: ExprKind::Lambda(l),
                    ..
                }) => self.lambda_branch(&l.body, vec![(fork, label("each"))]),
                Some(other) => {
                    let n = self.node(
                        "closure",
                        format!("{}(…)", self.snippet(other.span)),
                        None,
                        other.span,
                        vec![(fork, label("each"))],
                    );
                    vec![(n, None)]
                }
                None => vec![(fork, None)],
            };
            let join = self.node("join", join_label.into(), None, span, ends);
            return vec![(join, None)];
        }
        match c.args.first().map(|a| a.value.unparen()) {
            Some(Expr {
                kind: ExprKind::Array(items),
                ..
            }) => {
                let fork = self.node("parallel", name.into(), None, span, open);
                let mut ends = Open::new();
                for it in items {
                    let start = vec![(fork, None)];
                    let it = it.unparen();
                    let branch = match &it.kind {
                        ExprKind::Lambda(l) => self.lambda_branch(&l.body, start),
                        ExprKind::Name(n) => {
                            let node =
                                self.node("closure", n.clone(), label("waits"), it.span, start);
                            vec![(node, None)]
                        }
                        _ => self.expr(it, start, awaited),
                    };
                    ends.extend(branch);
                }
                if ends.is_empty() {
                    ends.push((fork, None));
                }
                let join = self.node("join", join_label.into(), None, span, ends);
                vec![(join, None)]
            }
            other => {
                let open = match other {
                    Some(l) => self.expr(l, open, false),
                    None => open,
                };
                let detail = other.map(|l| self.snippet(l.span));
                let n = self.node("parallel", name.into(), detail, span, open);
                vec![(n, None)]
            }
        }
    }

    /// A closure run as a branch: its `return`s end the branch.
    fn lambda_branch(&mut self, body: &Block, open: Open) -> Open {
        let loops = std::mem::take(&mut self.loops);
        self.lambda_returns.push(Open::new());
        let mut ends = self.block(body, open);
        ends.extend(self.lambda_returns.pop().expect("pushed above"));
        self.loops = loops;
        ends
    }

    fn inline_flow(&mut self, f: &FlowDecl, span: Span, open: Open) -> Open {
        let open = f
            .params
            .iter()
            .filter_map(|p| p.value.as_ref())
            .fold(open, |open, v| self.expr(v, open, false));
        let name = f.name.name.clone();
        let n = self.node(
            "subflow",
            name.clone(),
            label("inline sub-flow"),
            span,
            open,
        );
        self.graph.nodes[n].target = Some(name.clone());
        self.owner.push(name);
        self.flow_body(&f.body, vec![(n, label("starts"))]);
        self.owner.pop();
        vec![(n, None)]
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= LABEL_CHARS_MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(LABEL_CHARS_MAX - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_engine::state::Status;

    fn graph(text: &str, flow: &str) -> Graph {
        build(text, flow, &HashSet::from([flow.to_string()])).expect("the flow exists")
    }

    /// `kind:label` of each node.
    fn nodes(g: &Graph) -> Vec<String> {
        g.nodes
            .iter()
            .map(|n| format!("{}:{}", n.kind, n.label))
            .collect()
    }

    /// `from->to[label]` by node label, `<-` for back edges.
    fn edges(g: &Graph) -> Vec<String> {
        let name = |id: &str| {
            let n = g.nodes.iter().find(|n| n.id == id).unwrap();
            n.label.clone()
        };
        g.edges
            .iter()
            .map(|e| {
                format!(
                    "{}{}{}{}",
                    name(&e.from),
                    if e.back { "<-" } else { "->" },
                    name(&e.to),
                    e.label
                        .as_ref()
                        .map(|l| format!("[{l}]"))
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    const REGISTER: &str = r#"flow RegisterUser(input) {
    reserved = ReserveNick(input.nick) @retry(3)
    if reserved.status != "ok" {
        return({status: "error", reason: "reservation-failed"})
    }
    confirmed = await SendActivationEmail(input.email) @timeout(24h)
    if confirmed.status != "ok" {
        RemoveReservation(reserved.ID) @retry(3)
        return({status: "error", reason: "email-not-confirmed"})
    }
    account = CreateAccount({nick: reserved.nick, ..input}) @retry(3)
    return({status: "ok", id: account.id})
}
"#;

    #[test]
    fn calls_branches_and_returns() {
        let g = graph(REGISTER, "RegisterUser");
        assert_eq!(
            nodes(&g),
            [
                "start:RegisterUser(input)",
                "call:ReserveNick",
                r#"branch:if reserved.status != "ok""#,
                "return:return",
                "await:SendActivationEmail",
                r#"branch:if confirmed.status != "ok""#,
                "call:RemoveReservation",
                "return:return",
                "call:CreateAccount",
                "return:return",
            ]
        );
        let lines: Vec<u32> = g.nodes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 6, 7, 8, 9, 11, 12]);
        assert_eq!(g.nodes[1].detail.as_deref(), Some("@retry(3)"));
        assert_eq!(g.nodes[4].detail.as_deref(), Some("await · @timeout(24h)"));
        assert_eq!(
            edges(&g),
            [
                "RegisterUser(input)->ReserveNick",
                r#"ReserveNick->if reserved.status != "ok""#,
                r#"if reserved.status != "ok"->return[yes]"#,
                r#"if reserved.status != "ok"->SendActivationEmail[no]"#,
                r#"SendActivationEmail->if confirmed.status != "ok""#,
                r#"if confirmed.status != "ok"->RemoveReservation[yes]"#,
                "RemoveReservation->return",
                r#"if confirmed.status != "ok"->CreateAccount[no]"#,
                "CreateAccount->return",
            ]
        );
        assert!(g.nodes.iter().all(|n| n.flow == "RegisterUser"));
    }

    #[test]
    fn dotted_activity_names_are_calls() {
        let text = "flow M(q) {\n    t = aws.TextModeration(q.text) @retry(2)\n    h = {done: func(x) { return x }}\n    return h.done(t)\n}\n";
        let g = graph(text, "M");
        assert_eq!(
            nodes(&g),
            [
                "start:M(q)",
                "call:aws.TextModeration",
                "closure:h.done(…)",
                "return:return"
            ]
        );
    }

    #[test]
    fn loops_have_back_edges_and_exits() {
        let text = r#"flow F(x) {
    while x.more {
        x = Poll(x)
        if x.stop { break }
        if x.skip { continue }
        Sleep(1h)
    }
    for item in x.items {
        Handle(item)
    }
}
"#;
        let g = graph(text, "F");
        assert_eq!(
            nodes(&g),
            [
                "start:F(x)",
                "loop:while x.more",
                "call:Poll",
                "branch:if x.stop",
                "branch:if x.skip",
                "timer:Sleep(1h)",
                "loop:for item in x.items",
                "call:Handle",
                "end:end",
            ]
        );
        assert_eq!(
            edges(&g),
            [
                "F(x)->while x.more",
                "while x.more->Poll[loop]",
                "Poll->if x.stop",
                "if x.stop->if x.skip[no]",
                "if x.skip<-while x.more[yes]",
                "if x.skip->Sleep(1h)[no]",
                "Sleep(1h)<-while x.more",
                "while x.more->for item in x.items[done]",
                "if x.stop->for item in x.items[break]",
                "for item in x.items->Handle[each]",
                "Handle<-for item in x.items",
                "for item in x.items->end[done]",
            ]
        );
        assert_eq!(g.nodes[8].line, 11, "end is the closing brace");
    }

    #[test]
    fn parallel_blocks_fork_and_join() {
        let text = r#"flow P(order) {
    results = WaitAll([
        CheckInventory(order.items),
        ValidatePayment(order.payment)
    ])
    event = await WaitForAny([Message(order.id) @timeout(7days), func() { return Sleep(2h) }])
    sent = ParallelForEach(order.subscribers, func(s) {
        if s.sms { return Sms(s) }
        return Email(s)
    })
}
"#;
        let g = graph(text, "P");
        assert_eq!(
            nodes(&g),
            [
                "start:P(order)",
                "parallel:WaitAll",
                "call:CheckInventory",
                "call:ValidatePayment",
                "join:all done",
                "parallel:WaitForAny",
                "await:Message",
                "timer:Sleep(2h)",
                "join:first wins",
                "parallel:ParallelForEach",
                "branch:if s.sms",
                "call:Sms",
                "call:Email",
                "join:all done",
                "end:end",
            ]
        );
        let e = edges(&g);
        for want in [
            "WaitAll->CheckInventory",
            "WaitAll->ValidatePayment",
            "CheckInventory->all done",
            "ValidatePayment->all done",
            "WaitForAny->Message",
            "Message->first wins",
            "Sleep(2h)->first wins",
            "ParallelForEach->if s.sms[each]",
            "Sms->all done",
            "Email->all done",
        ] {
            assert!(e.contains(&want.to_string()), "{want} in {e:#?}");
        }
        assert_eq!(g.nodes[2].line, 3, "a branch is on its own line");
        assert_eq!(
            g.nodes[6].detail.as_deref(),
            Some("await · @timeout(7days)")
        );
    }

    #[test]
    fn sub_flows_closures_and_compensations() {
        let text = r#"flow Onboard(employee) {
    it = flow SetupIT(employee) {
        account = CreateAccount(employee)
        return account
    }
    hr = SetupHR(employee) {
        Enroll(employee)
    }
    both = ParallelExecute([it, hr])
    undo = [func() { Cancel(1) }]
    more = Helper(employee)
    undo[0]()
    RunCompensations(undo)
    return both
}
flow Helper(x) { return x }
"#;
        let flows = HashSet::from(["Onboard".to_string(), "Helper".to_string()]);
        let g = build(text, "Onboard", &flows).unwrap();
        assert_eq!(
            nodes(&g),
            [
                "start:Onboard(employee)",
                "subflow:SetupIT",
                "call:CreateAccount",
                "return:return",
                "subflow:SetupHR",
                "call:Enroll",
                "end:end",
                "parallel:ParallelExecute",
                "closure:it",
                "closure:hr",
                "join:all done",
                "flow:Helper",
                "closure:undo[0](…)",
                "compensate:RunCompensations",
                "return:return",
            ]
        );
        let owners: Vec<&str> = g.nodes.iter().map(|n| n.flow.as_str()).collect();
        assert_eq!(
            owners,
            [
                "Onboard", "Onboard", "SetupIT", "SetupIT", "Onboard", "SetupHR", "SetupHR",
                "Onboard", "Onboard", "Onboard", "Onboard", "Onboard", "Onboard", "Onboard",
                "Onboard",
            ]
        );
        let e = edges(&g);
        assert!(
            e.contains(&"SetupIT->CreateAccount[starts]".to_string()),
            "{e:#?}"
        );
        assert!(
            e.contains(&"SetupIT->SetupHR".to_string()),
            "the parent goes on: {e:#?}"
        );
        assert_eq!(g.nodes[11].target.as_deref(), Some("Helper"));
        assert_eq!(subflows(&g), ["SetupIT", "SetupHR"]);
    }

    fn run(flow: &str, status: Status, position: Option<&str>) -> RunRecord {
        RunRecord {
            id: "r".into(),
            flow: flow.into(),
            version: 1,
            status,
            input: serde_json::Value::Null,
            result: None,
            error: None,
            waiting: serde_json::json!([]),
            parent: None,
            idempotency_key: None,
            position: position.map(str::to_string),
            created_at: 0,
            updated_at: 0,
            forked_from: None,
        }
    }

    #[test]
    fn runs_are_placed_by_line() {
        let text = r#"flow F(x) {
    a = flow Sub(x) {
        Inner(x)
    }
    if x.ok { Go(x) }
    return a
}
"#;
        let g = graph(text, "F");
        let runs = [
            run("F", Status::Waiting, Some("f.weft:2")),
            run("F", Status::Failed, Some("f.weft:5")),
            run("F", Status::Running, Some("f.weft:5")),
            run("Sub", Status::Running, Some("f.weft:3")),
            run("F", Status::Running, Some("other.weft:5")),
            run("F", Status::Running, Some("f.weft:99")),
            run("F", Status::Running, None),
        ];
        let c = place(&g, "f.weft", &runs);
        let id = |label: &str| {
            g.nodes
                .iter()
                .find(|n| n.label == label)
                .unwrap()
                .id
                .clone()
        };
        assert_eq!(c.counts[&id("Sub")], 1);
        assert_eq!(
            c.counts[&id("Go")],
            2,
            "the call, not the branch on its line"
        );
        assert_eq!(c.by_status[&id("Go")]["failed"], 1);
        assert_eq!(c.by_status[&id("Go")]["running"], 1);
        assert_eq!(c.counts[&id("Inner")], 1, "the sub-flow's run");
        assert_eq!(c.unplaced, 3);
        assert_eq!(c.counts.len(), 3);
    }

    #[test]
    fn every_example_flow_has_a_connected_graph() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut seen = 0;
        for dir in std::fs::read_dir(root).unwrap() {
            let dir = dir.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_none_or(|e| e != "weft") {
                    continue;
                }
                let text = std::fs::read_to_string(&f).unwrap();
                let module = weft_syntax::parse(&text).module;
                let flows: HashSet<String> = module.flows().map(|f| f.name.name.clone()).collect();
                for name in &flows {
                    let g = build(&text, name, &flows).unwrap();
                    seen += 1;
                    // Every node but the start is reached by an edge.
                    for n in g.nodes.iter().skip(1) {
                        assert!(
                            g.edges.iter().any(|e| e.to == n.id && !e.back),
                            "{}: {name}: {} ({}) has no way in",
                            f.display(),
                            n.label,
                            n.id
                        );
                    }
                    let ids: HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
                    assert!(g
                        .edges
                        .iter()
                        .all(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str())));
                }
            }
        }
        assert!(seen >= 12, "{seen} flows");
    }
}

//! Live upgrade: moving a suspended run onto a newer version of its
//! program, when the move can be proved safe.
//!
//! [`plan`] takes the run's state and the two programs and either refuses,
//! with the reasons, or returns the run's state on the new program (new
//! functions, program counters and variables), made by an explicit
//! translation that callers can show ([`Plan::fibers`]) before committing
//! it. The rule it checks (docs/language.md, "Live upgrade"):
//!
//! 1. **The run stands still.** Every fiber waits on something whose record
//!    carries all it needs, independently of the code: an activity call
//!    (running, backing off, or waiting for its callback; also one that
//!    failed for good and waits for an operator), a timer, a sub-flow, a
//!    parallel group. When that ends, its value is pushed and the fiber
//!    goes on at its program counter; only that continuation depends on
//!    the code. A fiber that failed inside an expression (half-evaluated,
//!    to run again) or that is ready to run does not qualify.
//! 2. **Each wait has a counterpart.** Per frame, the wait's statement is
//!    found in the new version by the tree, not by line numbers: the
//!    function by name or by where it is defined, then block by block the
//!    statement holding the wait (`tree::correspond`), down to the
//!    statement or loop header the wait is in. There, the old and new code
//!    from the statement's start to the wait must do the same to the
//!    operand stack (`code::lockstep`): the call is the same activity with
//!    the same arguments; its annotations may differ (the call in flight
//!    keeps the policy it started with).
//! 3. **Nothing the run may have executed changed.** Before the wait, in
//!    the wait's block and every enclosing block up to the function, no
//!    statement is new or changed (a removed one is fine); the conditions
//!    of the `if`s the run took and the headers of the loops it is in are
//!    unchanged; when an enclosing loop may have gone round before (any
//!    `while`, a `for` past its first element), everything in its body is
//!    unchanged. Statements after the wait may change freely.
//! 4. **Every variable the new code reads has a value.** The variables live
//!    where the fiber resumes in the new code (read before being written)
//!    must be assigned in the old run at that point, under the same name or
//!    one the checker can tell was renamed (`tree::renames`); a variable
//!    the new version's checker has a type for must hold a value of that
//!    type. A `for` loop's hidden list and position move with the loop.
//! 5. **Functions and values carry over.** Frames of closures, branches and
//!    prelude functions move with their functions; closures held in
//!    variables, operands and groups are rebuilt for the new function
//!    (captured values by name); calls, timers, sub-flows and groups keep
//!    their records and ids, so tasks, tokens and timers in the store stay
//!    valid.
//!
//! The new state is checked against the new program and its invariants
//! before it is returned; a state that fails that is refused, never used.

mod code;
mod tree;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use weft_syntax::ast::{Block, Expr, ExprKind, FlowDecl, Lambda, Module, StmtKind};
use weft_syntax::visit::{self, Visitor};
use weft_syntax::Span;

use crate::program::{FuncId, FuncKind, Op, Program};
use crate::state::{ChildState, FailureKind, Frame, RunState, Slot, TimerKind, Wait};
use crate::value::{Closure, Value};

use tree::{AnyNode, Pair, Renames};

/// A proved upgrade: the run's state on the new program, and what moved
/// where, for people and tests.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The run's state on the new program.
    pub state: RunState,
    /// Where each fiber's frames stood and stand now.
    pub fibers: Vec<FiberMove>,
    /// Things worth knowing that do not stop the upgrade.
    pub notes: Vec<String>,
}

/// One fiber's frames, outermost first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FiberMove {
    /// The fiber (0 is the flow; others are parallel branches).
    pub fiber: u32,
    /// Its frames, outermost first.
    pub frames: Vec<FrameMove>,
}

/// One frame: where it stood in the old code and stands in the new.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameMove {
    /// In the old version.
    pub from: Place,
    /// In the new version.
    pub to: Place,
    /// The variables carried over, old name to new name.
    pub variables: Vec<VariableMove>,
}

/// A place in a program's code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    /// The function (a flow's name, `func`, `branch`, ...).
    pub function: String,
    /// The instruction the frame resumes at.
    pub pc: u32,
    /// The source line of the wait.
    pub line: u32,
}

/// A variable carried from the old frame to the new.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariableMove {
    /// Its name in the old version.
    pub from: String,
    /// Its name in the new version.
    pub to: String,
}

/// Why a run cannot move: one sentence per reason, each naming lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", reasons.join("; "))]
pub struct Refusal {
    /// The reasons.
    pub reasons: Vec<String>,
}

impl Refusal {
    fn one(reason: impl Into<String>) -> Refusal {
        Refusal {
            reasons: vec![reason.into()],
        }
    }
}

impl Plan {
    /// The translation as lines of text: one per frame, then its variables.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.fibers {
            for (depth, fr) in f.frames.iter().enumerate() {
                out.push(format!(
                    "fiber {}{}: {} pc {} (line {}) -> {} pc {} (line {})",
                    f.fiber,
                    if depth > 0 {
                        format!(" frame {depth}")
                    } else {
                        String::new()
                    },
                    fr.from.function,
                    fr.from.pc,
                    fr.from.line,
                    fr.to.function,
                    fr.to.pc,
                    fr.to.line
                ));
                if !fr.variables.is_empty() {
                    let vars: Vec<String> = fr
                        .variables
                        .iter()
                        .map(|v| {
                            if v.from == v.to {
                                v.from.clone()
                            } else {
                                format!("{} -> {}", v.from, v.to)
                            }
                        })
                        .collect();
                    out.push(format!("  variables {}", vars.join(", ")));
                }
            }
        }
        for n in &self.notes {
            out.push(format!("note {n}"));
        }
        out
    }
}

/// Checks whether `state`, a run of `old`, can move onto `new`, and makes
/// its state there (see the module documentation for the rule).
pub fn plan(old: &Program, new: &Program, state: &RunState) -> Result<Plan, Refusal> {
    let o = Version::parse(old);
    let n = Version::parse(new);
    let mut up = Upgrade::new(&o, &n, state);
    up.qualify()?;
    up.map_functions();
    let mut reasons = Vec::new();
    let mut moves = Vec::new();
    let several = state.fibers.len() > 1;
    for (&id, fiber) in &state.fibers {
        match up.fiber(id, fiber) {
            Ok(m) => moves.push(m),
            Err(why) if several => reasons.push(format!("{} {why}", up.fiber_name(id))),
            Err(why) => reasons.push(why),
        }
    }
    if !reasons.is_empty() {
        return Err(Refusal { reasons });
    }
    let new_state = up.translate(&moves)?;
    // A translation that the new program does not accept is a bug of this
    // module: refuse rather than leave the run broken.
    if let Err(e) = new_state.check_against(new) {
        return Err(Refusal::one(format!(
            "the translated state does not fit the new program ({e}); this is a bug of Weft"
        )));
    }
    if let Err(e) = new_state.check_invariants(new) {
        return Err(Refusal::one(format!(
            "the translated state breaks the engine's invariants ({e}); this is a bug of Weft"
        )));
    }
    let fibers = moves.iter().map(|m| m.shown.clone()).collect();
    Ok(Plan {
        state: new_state,
        fibers,
        notes: up.notes,
    })
}

/// A program with its sources parsed.
struct Version<'p> {
    program: &'p Program,
    modules: Vec<Module>,
}

impl<'p> Version<'p> {
    fn parse(program: &'p Program) -> Version<'p> {
        let modules = program
            .files
            .iter()
            .map(|f| weft_syntax::parse(&f.text).module)
            .collect();
        Version { program, modules }
    }

    fn func(&self, f: FuncId) -> &'p crate::program::Function {
        self.program.func(f)
    }

    /// The 1-based line of `span` in file `file`.
    fn line(&self, file: u16, span: Span) -> u32 {
        match self.program.files.get(file as usize) {
            Some(f) => f.index.line_col(&f.text, span.start).line,
            None => 0,
        }
    }

    /// The first line of the text of `span`, trimmed and shortened.
    fn excerpt(&self, file: u16, span: Span) -> String {
        let Some(f) = self.program.files.get(file as usize) else {
            return String::new();
        };
        let text = f
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let first = text.lines().next().unwrap_or("").trim();
        if first.chars().count() > 60 {
            let cut: String = first.chars().take(57).collect();
            format!("{cut}...")
        } else {
            first.to_string()
        }
    }

    /// `line N (`text`)` for a span of file `file`.
    fn at(&self, file: u16, span: Span) -> String {
        format!(
            "line {} (`{}`)",
            self.line(file, span),
            self.excerpt(file, span)
        )
    }

    /// The tree of function `f`.
    fn node(&self, f: FuncId) -> Option<Node<'_>> {
        let func = self.func(f);
        let module = self.modules.get(func.file as usize)?;
        match func.kind {
            FuncKind::Flow | FuncKind::Prelude => module
                .flows()
                .find(|fl| fl.span == func.span)
                .map(Node::Flow),
            FuncKind::Lambda | FuncKind::InlineFlow | FuncKind::Branch => {
                let mut find = Find {
                    span: func.span,
                    kind: func.kind,
                    found: None,
                };
                for fl in module.flows() {
                    find.visit_flow(fl);
                }
                find.found
            }
            // A machine's handler runs one command and ends: its runs are
            // not moved to a new version (they are found in no flow's tree,
            // so an upgrade of one is refused).
            FuncKind::Handler => None,
        }
    }

    /// The top-level flow (or prelude function) `f` is written in.
    fn root(&self, f: FuncId) -> Option<FuncId> {
        let func = self.func(f);
        self.program
            .functions
            .iter()
            .enumerate()
            .find(|(_, g)| {
                matches!(g.kind, FuncKind::Flow | FuncKind::Prelude)
                    && g.file == func.file
                    && tree::within(func.span, g.span)
            })
            .map(|(i, _)| i as FuncId)
    }

    /// The functions defined directly in `region` of function `parent`'s
    /// file (not inside another function defined there), in source order.
    fn nested_in(&self, parent: FuncId, region: Span) -> Vec<FuncId> {
        let file = self.func(parent).file;
        let candidates: Vec<FuncId> = self
            .program
            .functions
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                matches!(
                    g.kind,
                    FuncKind::Lambda | FuncKind::InlineFlow | FuncKind::Branch
                ) && g.file == file
                    && tree::within(g.span, region)
            })
            .map(|(i, _)| i as FuncId)
            .collect();
        let mut direct: Vec<FuncId> = candidates
            .iter()
            .copied()
            .filter(|&g| {
                let gs = self.func(g).span;
                !candidates.iter().any(|&h| {
                    let hs = self.func(h).span;
                    h != g && hs != gs && tree::within(gs, hs)
                })
            })
            .collect();
        direct.sort_by_key(|&g| {
            let s = self.func(g).span;
            (s.start, std::cmp::Reverse(s.end))
        });
        direct
    }
}

/// The tree of a function.
#[derive(Clone, Copy)]
enum Node<'a> {
    /// A top-level flow, a prelude function or an inline flow.
    Flow(&'a FlowDecl),
    /// A closure.
    Lambda(&'a Lambda),
    /// The call a parallel branch wraps.
    Branch(&'a Expr),
}

impl<'a> Node<'a> {
    fn body(self) -> Option<&'a Block> {
        match self {
            Node::Flow(f) => Some(&f.body),
            Node::Lambda(l) => Some(&l.body),
            Node::Branch(_) => None,
        }
    }
}

/// Finds the closure, inline flow or branch call with a given span.
struct Find<'a> {
    span: Span,
    kind: FuncKind,
    found: Option<Node<'a>>,
}

impl<'a> Visitor<'a> for Find<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        match (&e.kind, self.kind) {
            (ExprKind::Lambda(l), FuncKind::Lambda) if e.span == self.span => {
                self.found = Some(Node::Lambda(l));
                return;
            }
            (ExprKind::Flow(f), FuncKind::InlineFlow) if f.span == self.span => {
                self.found = Some(Node::Flow(f));
                return;
            }
            (ExprKind::Call(_), FuncKind::Branch) if e.span == self.span => {
                self.found = Some(Node::Branch(e));
                return;
            }
            _ => {}
        }
        visit::walk_expr(self, e);
    }
}

/// Where one frame's wait is found in the tree: the statement or header
/// whose code ran up to the wait, on both sides, and the loops around it.
struct Spine<'a> {
    old: AnyNode<'a>,
    new: AnyNode<'a>,
    /// `for` loops around the wait: the spans of their iterables, old and
    /// new (their hidden slots move with them).
    loops: Vec<(Span, Span)>,
}

/// What one fiber becomes.
struct Moved {
    fiber: u32,
    frames: Vec<(FuncId, u32, Vec<Value>)>,
    /// The new wait instruction of the innermost frame.
    wait: (FuncId, u32),
    shown: FiberMove,
}

struct Upgrade<'a> {
    old: &'a Version<'a>,
    new: &'a Version<'a>,
    state: &'a RunState,
    /// Old function → new function.
    fmap: HashMap<FuncId, FuncId>,
    /// Renames per old top-level flow.
    renames: HashMap<FuncId, Renames>,
    notes: Vec<String>,
    /// The new version's checker's view of its variables' types.
    types: Option<Types>,
}

struct Types {
    known: Vec<weft_check::KnownTypes>,
    types: weft_check::contract::types::Types,
}

impl<'a> Upgrade<'a> {
    fn new(old: &'a Version<'a>, new: &'a Version<'a>, state: &'a RunState) -> Upgrade<'a> {
        let mut renames = HashMap::new();
        for (name, &fo) in &old.program.flows {
            let Some(&fnn) = new.program.flows.get(name) else {
                continue;
            };
            if let (Some(Node::Flow(a)), Some(Node::Flow(b))) = (old.node(fo), new.node(fnn)) {
                renames.insert(fo, tree::renames(a, b));
            }
        }
        Upgrade {
            old,
            new,
            state,
            fmap: HashMap::new(),
            renames,
            notes: Vec::new(),
            types: None,
        }
    }

    fn fiber_name(&self, id: u32) -> String {
        match self.state.fibers.get(&id).and_then(|f| f.owner) {
            None => "the flow:".into(),
            Some((group, slot)) => format!("branch {} of parallel group {group}:", slot + 1),
        }
    }

    // ----- 1. the run stands still -----

    fn qualify(&self) -> Result<(), Refusal> {
        let s = self.state;
        if s.status.is_terminal() {
            return Err(Refusal::one(format!(
                "the run is {}: there is nothing left to move",
                s.status.as_str()
            )));
        }
        if !s.ready.is_empty() || s.fibers.values().any(|f| f.wait == Wait::Ready) {
            return Err(Refusal::one(
                "the run is in the middle of a step (some of its branches are ready to run); try again when it waits",
            ));
        }
        for f in s.failures.values() {
            if f.kind == FailureKind::Expression {
                let at = f
                    .location
                    .as_ref()
                    .map(|l| format!(" at line {} (`{}`)", l.line, l.source_line))
                    .unwrap_or_default();
                return Err(Refusal::one(format!(
                    "the run failed evaluating an expression{at}, which would run again half-evaluated; retry or cancel it first"
                )));
            }
        }
        Ok(())
    }

    // ----- functions -----

    fn renames_of(&self, old_func: FuncId) -> Renames {
        self.old
            .root(old_func)
            .and_then(|r| self.renames.get(&r))
            .cloned()
            .unwrap_or_default()
    }

    /// Pairs the functions of the two versions: top-level flows and prelude
    /// functions by name, the functions defined in them by where they are
    /// defined (in statements that are the same, in order).
    fn map_functions(&mut self) {
        let flows: Vec<(FuncId, FuncId)> = self
            .old
            .program
            .flows
            .iter()
            .filter_map(|(name, &fo)| self.new.program.flows.get(name).map(|&n| (fo, n)))
            .collect();
        for (fo, fnn) in flows {
            self.map_pair(fo, fnn);
        }
        let prelude: Vec<(FuncId, FuncId)> = self
            .old
            .program
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FuncKind::Prelude)
            .filter_map(|(i, f)| {
                self.new
                    .program
                    .functions
                    .iter()
                    .position(|g| g.kind == FuncKind::Prelude && g.name == f.name)
                    .map(|j| (i as FuncId, j as FuncId))
            })
            .collect();
        for (fo, fnn) in prelude {
            self.map_pair(fo, fnn);
        }
    }

    fn map_pair(&mut self, fo: FuncId, fnn: FuncId) {
        if self.fmap.contains_key(&fo) {
            return;
        }
        self.fmap.insert(fo, fnn);
        if let (Some(a), Some(b)) = (
            self.old.node(fo).and_then(Node::body),
            self.new.node(fnn).and_then(Node::body),
        ) {
            self.map_block(fo, fnn, a, b);
        }
    }

    fn map_block(&mut self, fo: FuncId, fnn: FuncId, a: &Block, b: &Block) {
        let renames = self.renames_of(fo);
        let rename = |n: &str| renames.get(n).cloned().unwrap_or_else(|| n.to_string());
        let pairs = tree::correspond(&a.stmts, &b.stmts, &rename);
        for (i, p) in pairs.into_iter().enumerate() {
            let Some((j, pair)) = p else { continue };
            let (so, sn) = (&a.stmts[i], &b.stmts[j]);
            match (&so.kind, &sn.kind) {
                (StmtKind::If(x), StmtKind::If(y)) => {
                    let (ax, ex) = tree::arms(x);
                    let (ay, ey) = tree::arms(y);
                    for ((cx, bx), (cy, by)) in ax.iter().zip(&ay) {
                        if tree::canon_expr(cx, &rename, false)
                            == tree::canon_expr(cy, &|n: &str| n.to_string(), false)
                        {
                            self.zip_nested(fo, fnn, cx.span, cy.span);
                        }
                        self.map_block(fo, fnn, bx, by);
                    }
                    if let (Some(bx), Some(by)) = (ex, ey) {
                        self.map_block(fo, fnn, bx, by);
                    }
                }
                (
                    StmtKind::While { cond: cx, body: bx },
                    StmtKind::While { cond: cy, body: by },
                )
                | (
                    StmtKind::For {
                        iterable: cx,
                        body: bx,
                        ..
                    },
                    StmtKind::For {
                        iterable: cy,
                        body: by,
                        ..
                    },
                ) => {
                    if tree::canon_expr(cx, &rename, false)
                        == tree::canon_expr(cy, &|n: &str| n.to_string(), false)
                    {
                        self.zip_nested(fo, fnn, cx.span, cy.span);
                    }
                    self.map_block(fo, fnn, bx, by);
                }
                _ if pair == Pair::Same => self.zip_nested(fo, fnn, so.span, sn.span),
                _ => {}
            }
        }
    }

    /// Pairs the functions defined in two regions that are the same, in
    /// order.
    fn zip_nested(&mut self, fo: FuncId, fnn: FuncId, a: Span, b: Span) {
        let xs = self.old.nested_in(fo, a);
        let ys = self.new.nested_in(fnn, b);
        let kinds = |v: &Version, fs: &[FuncId]| -> Vec<FuncKind> {
            fs.iter().map(|&f| v.func(f).kind).collect()
        };
        if kinds(self.old, &xs) != kinds(self.new, &ys) {
            return;
        }
        for (x, y) in xs.into_iter().zip(ys) {
            self.map_pair(x, y);
        }
    }

    /// How people know function `f` of the old version.
    fn func_name(&self, f: FuncId) -> String {
        let func = self.old.func(f);
        match func.kind {
            FuncKind::Flow | FuncKind::InlineFlow => format!(
                "flow `{}` ({})",
                func.name,
                self.old.at(func.file, func.span)
            ),
            FuncKind::Prelude => format!("built-in `{}`", func.name),
            FuncKind::Lambda => format!("the function at {}", self.old.at(func.file, func.span)),
            FuncKind::Branch => format!("the branch at {}", self.old.at(func.file, func.span)),
            FuncKind::Handler => format!(
                "the command handler `{}` ({})",
                func.name,
                self.old.at(func.file, func.span)
            ),
        }
    }

    // ----- 2-4. one fiber -----

    fn fiber(&mut self, id: u32, fiber: &crate::state::Fiber) -> Result<Moved, String> {
        let mut frames = Vec::new();
        let mut shown = Vec::new();
        let mut wait = (0, 0);
        let last = fiber.frames.len().saturating_sub(1);
        for (k, frame) in fiber.frames.iter().enumerate() {
            let rewound = k == last && self.rewound(id, &fiber.wait)?;
            let (func, pc, locals, place_from, place_to, vars, w) =
                self.frame(frame, rewound, k == last)?;
            if k == last {
                wait = (func, w);
            }
            frames.push((func, pc, locals));
            shown.push(FrameMove {
                from: place_from,
                to: place_to,
                variables: vars,
            });
        }
        Ok(Moved {
            fiber: id,
            frames,
            wait,
            shown: FiberMove {
                fiber: id,
                frames: shown,
            },
        })
    }

    /// Whether the innermost frame of fiber `id` stands *at* its wait
    /// instruction (to run it again: an operand was a running sub-flow) or
    /// just past it (its value is pushed when the wait ends).
    fn rewound(&self, id: u32, wait: &Wait) -> Result<bool, String> {
        match wait {
            Wait::Call(_) | Wait::Timer(_) | Wait::Group(_) | Wait::Child { push: true, .. } => {
                Ok(false)
            }
            Wait::Child { push: false, .. } => Ok(true),
            Wait::Failed => match self.state.failures.get(&id).map(|f| &f.kind) {
                Some(FailureKind::Call { .. } | FailureKind::Child { .. }) => Ok(false),
                _ => Err("it failed evaluating an expression".into()),
            },
            Wait::Ready => Err("it is ready to run".into()),
        }
    }

    #[allow(clippy::type_complexity)]
    fn frame(
        &mut self,
        frame: &Frame,
        rewound: bool,
        innermost: bool,
    ) -> Result<
        (
            FuncId,
            u32,
            Vec<Value>,
            Place,
            Place,
            Vec<VariableMove>,
            u32,
        ),
        String,
    > {
        let fo = frame.func;
        let old_f = self.old.func(fo);
        let w = if rewound {
            frame.pc as usize
        } else {
            (frame.pc as usize)
                .checked_sub(1)
                .ok_or("its frame stands before its first instruction")?
        };
        if w >= old_f.code.len() {
            return Err("its frame stands past the end of its function".into());
        }
        if !innermost && !matches!(old_f.code[w], Op::CallClosure(_) | Op::CallFunc { .. }) {
            return Err("an outer frame does not stand at a call".into());
        }
        let wait_span = old_f.spans[w];
        let place_from = Place {
            function: old_f.name.clone(),
            pc: frame.pc,
            line: self.old.line(old_f.file, wait_span),
        };
        let wait_at = self.old.at(old_f.file, wait_span);
        let Some(&fnn) = self.fmap.get(&fo) else {
            return Err(format!(
                "it waits at {wait_at} in {}, which has no counterpart in the new version",
                self.func_name(fo)
            ));
        };
        let new_f = self.new.func(fnn);
        let renames = self.renames_of(fo);

        // 2-3. The statement of the wait, by the tree.
        let (no, nn) = (self.old.node(fo), self.new.node(fnn));
        let spine = match (no, nn) {
            (Some(Node::Branch(a)), Some(Node::Branch(b))) => Spine {
                old: AnyNode::Expr(a),
                new: AnyNode::Expr(b),
                loops: Vec::new(),
            },
            (Some(a), Some(b)) => match (a.body(), b.body()) {
                (Some(ba), Some(bb)) => {
                    let mut loops = Vec::new();
                    let (x, y) = self.spine(fo, fnn, frame, ba, bb, wait_span, None, &mut loops)?;
                    Spine {
                        old: x,
                        new: y,
                        loops,
                    }
                }
                _ => {
                    return Err(format!(
                        "{} became another kind of function",
                        self.func_name(fo)
                    ))
                }
            },
            _ => {
                return Err(format!(
                    "the source of {} cannot be read",
                    self.func_name(fo)
                ))
            }
        };

        // Hidden slots move with their loops.
        let mut hidden: HashMap<u16, u16> = HashMap::new();
        for (io, inn) in &spine.loops {
            if let (Some((lo, xo)), Some((ln, xn))) =
                (iter_slots(old_f, *io), iter_slots(new_f, *inn))
            {
                hidden.insert(ln, lo);
                hidden.insert(xn, xo);
            }
        }
        // The old slot each new slot takes its value from.
        let old_slot_of = |new_slot: u16| -> Option<u16> {
            if let Some(&o) = hidden.get(&new_slot) {
                return Some(o);
            }
            let name = new_f.slot_names.get(new_slot as usize)?;
            if name.starts_with('$') {
                return None;
            }
            let old_name = match renames.iter().find(|(_, n)| *n == name) {
                Some((o, _)) => o.clone(),
                None if renames.contains_key(name) => return None,
                None => name.clone(),
            };
            old_f
                .slot_names
                .iter()
                .position(|s| *s == old_name)
                .map(|p| p as u16)
        };
        // Old slot names as the new side knows them, for the lockstep.
        let mut names_o: Vec<String> = old_f
            .slot_names
            .iter()
            .map(|n| renames.get(n).cloned().unwrap_or_else(|| n.clone()))
            .collect();
        for (&ns, &os) in &hidden {
            if let Some(slot) = names_o.get_mut(os as usize) {
                *slot = new_f.slot_names[ns as usize].clone();
            }
        }

        // The code up to the wait, instruction by instruction.
        let region_o = spine.old.span();
        let region_n = spine.new.span();
        let start_o = code::region_start(old_f, w, region_o);
        let Some(start_n) = code::first_within(new_f, region_n) else {
            return Err(format!(
                "the new version's {} compiles to no code",
                self.new.at(new_f.file, region_n)
            ));
        };
        let side_o = code::Side {
            program: self.old.program,
            func: fo,
            start: start_o,
            annotations: tree::annotation_spans(spine.old),
            slot_names: names_o,
        };
        let side_n = code::Side {
            program: self.new.program,
            func: fnn,
            start: start_n,
            annotations: tree::annotation_spans(spine.new),
            slot_names: new_f.slot_names.clone(),
        };
        if !code::has_counterpart(&side_o, &side_n, w, region_n) {
            return Err(format!(
                "the wait at {wait_at} ({}) is not in the new version's {}: it was removed or changed",
                code::describe_op(self.old.program, old_f, w),
                self.new.at(new_f.file, region_n)
            ));
        }
        let step = code::lockstep(&side_o, &side_n, w, &self.fmap).map_err(|why| {
            format!(
                "the code of {} up to the wait at {wait_at} does not do the same in the new version's {}: {why}",
                self.old.at(old_f.file, region_o),
                self.new.at(new_f.file, region_n)
            )
        })?;
        for (a, b) in step.functions {
            self.map_pair(a, b);
        }
        let w_n = step.wait;
        let pc_n = if rewound { w_n } else { w_n + 1 };
        if let (AnyNode::Stmt(a), AnyNode::Stmt(b)) = (spine.old, spine.new) {
            let with = |n: &str| renames.get(n).cloned().unwrap_or_else(|| n.to_string());
            if tree::canon_stmt(a, &with, true)
                != tree::canon_stmt(b, &|n: &str| n.to_string(), true)
                && tree::canon_stmt(a, &with, false)
                    == tree::canon_stmt(b, &|n: &str| n.to_string(), false)
            {
                self.notes.push(format!(
                    "the annotations of {} changed: a call already started keeps the ones it started with",
                    self.new.at(new_f.file, b.span)
                ));
            }
        }

        // 4. Variables: carried by name; those the new code reads must
        // have values of the right shape.
        let live = code::live_in(new_f);
        let assigned = code::assigned_in(old_f);
        let assigned_new = code::assigned_in(new_f);
        let live_here = live.get(pc_n).cloned();
        let mut locals = vec![Value::Null; new_f.slot_names.len()];
        let mut vars = Vec::new();
        let new_line = self.new.line(new_f.file, new_f.spans[w_n]);
        for (s, slot_name) in new_f.slot_names.iter().enumerate() {
            let s = s as u16;
            let is_live = live_here.as_ref().is_some_and(|l| l.contains(s));
            // A variable the new code itself may reach this point without
            // (assigned on some paths only) reads `null` there as it would
            // have; one it always has here must have a value.
            let must_have = is_live && assigned_new[w_n].contains(s);
            let shown = if slot_name.starts_with('$') {
                "the loop's position".to_string()
            } else {
                format!("variable `{slot_name}`")
            };
            let Some(os) = old_slot_of(s) else {
                if must_have {
                    return Err(format!(
                        "{shown} is read after the wait (new line {new_line}), but the old run has no such variable (and none the checker could tell was renamed to it)"
                    ));
                }
                continue;
            };
            let old_value = frame
                .locals
                .get(os as usize)
                .cloned()
                .unwrap_or(Value::Null);
            let was_assigned = assigned[w].contains(os) || old_value != Value::Null;
            if must_have && !was_assigned {
                return Err(format!(
                    "{shown} is read after the wait (new line {new_line}), but the old run may not have assigned it where it waits"
                ));
            }
            if !was_assigned {
                // Not assigned yet: nothing to carry.
                continue;
            }
            let value = match self.map_value(&old_value) {
                Ok(v) => v,
                Err(why) if is_live => return Err(format!("{shown}: {why}")),
                // Not read before it is written again: nothing to carry.
                Err(_) => continue,
            };
            if is_live && !slot_name.starts_with('$') {
                self.check_type(fnn, slot_name, &value)?;
            }
            if !slot_name.starts_with('$') {
                vars.push(VariableMove {
                    from: old_f.slot_names[os as usize].clone(),
                    to: slot_name.clone(),
                });
            }
            locals[s as usize] = value;
        }
        let place_to = Place {
            function: new_f.name.clone(),
            pc: pc_n as u32,
            line: new_line,
        };
        Ok((
            fnn,
            pc_n as u32,
            locals,
            place_from,
            place_to,
            vars,
            w_n as u32,
        ))
    }

    /// Finds the wait in block `a` of the old function and its counterpart
    /// in block `b` of the new, checking rule 3 on the way down; returns
    /// the innermost statement or header holding the wait on both sides.
    #[allow(clippy::too_many_arguments)]
    fn spine<'t>(
        &self,
        fo: FuncId,
        fnn: FuncId,
        frame: &Frame,
        a: &'t Block,
        b: &'t Block,
        target: Span,
        looped: Option<String>,
        loops: &mut Vec<(Span, Span)>,
    ) -> Result<(AnyNode<'t>, AnyNode<'t>), String> {
        let (file_o, file_n) = (self.old.func(fo).file, self.new.func(fnn).file);
        let renames = self.renames_of(fo);
        let rename = |n: &str| renames.get(n).cloned().unwrap_or_else(|| n.to_string());
        let same = |n: &str| n.to_string();
        let Some(i) = a.stmts.iter().position(|s| tree::within(target, s.span)) else {
            return Err("its wait is in no statement of its function".into());
        };
        let wait_at = self.old.at(file_o, target);
        let pairs = tree::correspond(&a.stmts, &b.stmts, &rename);
        let Some((j, _)) = pairs[i] else {
            return Err(format!(
                "the statement holding the wait, {}, has no counterpart in the new version: the wait was removed or changed",
                self.old.at(file_o, a.stmts[i].span)
            ));
        };
        let mut back: Vec<Option<(usize, Pair)>> = vec![None; b.stmts.len()];
        for (x, p) in pairs.iter().enumerate() {
            if let Some((y, pair)) = p {
                back[*y] = Some((x, *pair));
            }
        }
        let differs = |k: usize| -> Option<String> {
            match back[k] {
                Some((_, Pair::Same)) => None,
                Some((x, Pair::Changed)) => Some(format!(
                    "{} became new line {} (`{}`)",
                    self.old.at(file_o, a.stmts[x].span),
                    self.new.line(file_n, b.stmts[k].span),
                    self.new.excerpt(file_n, b.stmts[k].span)
                )),
                None => Some(format!(
                    "new line {} (`{}`) is a new step",
                    self.new.line(file_n, b.stmts[k].span),
                    self.new.excerpt(file_n, b.stmts[k].span)
                )),
            }
        };
        for k in 0..j {
            if let Some(d) = differs(k) {
                return Err(format!(
                    "{d} before the wait at {wait_at}: the run is past that point, so the new code would go on as if it had run"
                ));
            }
        }
        if let Some(why) = &looped {
            for k in j + 1..b.stmts.len() {
                if let Some(d) = differs(k) {
                    return Err(format!(
                        "{d} after the wait at {wait_at} in a loop body, but {why}, so it would have run in the earlier rounds"
                    ));
                }
            }
        }
        let (so, sn) = (&a.stmts[i], &b.stmts[j]);
        let header_changed = |what: &str, x: &Expr, y: &Expr| -> Option<String> {
            (tree::canon_expr(x, &rename, false) != tree::canon_expr(y, &same, false)).then(|| {
                format!(
                    "the {what} at {} changed (new line {}): the run is where the old one led it",
                    self.old.at(file_o, x.span),
                    self.new.line(file_n, y.span)
                )
            })
        };
        let same_block = |x: &Block, y: &Block| {
            x.stmts.len() == y.stmts.len()
                && x.stmts.iter().zip(&y.stmts).all(|(p, q)| {
                    tree::canon_stmt(p, &rename, false) == tree::canon_stmt(q, &same, false)
                })
        };
        match (&so.kind, &sn.kind) {
            (StmtKind::If(x), StmtKind::If(y)) => {
                let (ax, ex) = tree::arms(x);
                let (ay, ey) = tree::arms(y);
                // Where the wait is: in the k-th condition, the k-th arm,
                // or the final `else`.
                let mut place = None;
                for (k, (c, blk)) in ax.iter().enumerate() {
                    if tree::within(target, c.span) {
                        place = Some((k, true));
                    } else if tree::within(target, blk.span) {
                        place = Some((k, false));
                    }
                }
                let (k, in_cond) = place.unwrap_or((ax.len(), false));
                let evaluated = if in_cond { k } else { (k + 1).min(ax.len()) };
                if ay.len() < evaluated || (k == ax.len() && ey.is_none()) {
                    return Err(format!(
                        "the `if` at {} lost the branch the run is in",
                        self.old.at(file_o, so.span)
                    ));
                }
                for n in 0..evaluated {
                    if let Some(e) = header_changed("condition", ax[n].0, ay[n].0) {
                        return Err(e);
                    }
                }
                if let Some(why) = &looped {
                    let all_same = ax.len() == ay.len()
                        && ex.is_some() == ey.is_some()
                        && ax.iter().zip(&ay).enumerate().all(|(n, (p, q))| {
                            tree::canon_expr(p.0, &rename, false) == tree::canon_expr(q.0, &same, false)
                                && (n == k || same_block(p.1, q.1))
                        })
                        && (k == ax.len() || ex.zip(ey).is_none_or(|(p, q)| same_block(p, q)));
                    if !all_same {
                        return Err(format!(
                            "the `if` at {} changed, but {why}, so its other branches may have run before",
                            self.old.at(file_o, so.span)
                        ));
                    }
                }
                if in_cond {
                    return Ok((AnyNode::Expr(ax[k].0), AnyNode::Expr(ay[k].0)));
                }
                let (bx, by) = if k == ax.len() {
                    (ex.expect("checked above"), ey.expect("checked above"))
                } else {
                    (ax[k].1, ay[k].1)
                };
                self.spine(fo, fnn, frame, bx, by, target, looped, loops)
            }
            (StmtKind::While { cond: cx, body: bx }, StmtKind::While { cond: cy, body: by }) => {
                let why = format!(
                    "the run may have gone round the `while` loop at {} before",
                    self.old.at(file_o, so.span)
                );
                if tree::within(target, cx.span) {
                    if !same_block(bx, by) {
                        return Err(format!(
                            "the body of the `while` loop at {} changed, but {why}",
                            self.old.at(file_o, so.span)
                        ));
                    }
                    return Ok((AnyNode::Expr(cx), AnyNode::Expr(cy)));
                }
                if let Some(e) = header_changed("condition of the `while` loop", cx, cy) {
                    return Err(e);
                }
                self.spine(fo, fnn, frame, bx, by, target, Some(looped.unwrap_or(why)), loops)
            }
            (
                StmtKind::For {
                    var: vx,
                    iterable: ix,
                    body: bx,
                },
                StmtKind::For {
                    var: vy,
                    iterable: iy,
                    body: by,
                },
            ) => {
                if tree::within(target, ix.span) {
                    return Ok((AnyNode::Expr(ix), AnyNode::Expr(iy)));
                }
                if let Some(e) = header_changed("list of the `for` loop", ix, iy) {
                    return Err(e);
                }
                if rename(&vx.name) != vy.name {
                    return Err(format!(
                        "the loop variable of the `for` loop at {} is another variable in the new version",
                        self.old.at(file_o, so.span)
                    ));
                }
                // The position slot counts the elements taken so far.
                let round = iter_slots(self.old.func(fo), ix.span)
                    .and_then(|(_, index)| frame.locals.get(index as usize))
                    .and_then(|v| match v {
                        Value::Int(n) => Some(*n),
                        _ => None,
                    })
                    .unwrap_or(i64::MAX);
                loops.push((ix.span, iy.span));
                let looped = looped.or_else(|| {
                    (round > 1).then(|| {
                        format!(
                            "the `for` loop at {} is in round {round}",
                            self.old.at(file_o, so.span)
                        )
                    })
                });
                self.spine(fo, fnn, frame, bx, by, target, looped, loops)
            }
            (
                StmtKind::If(_) | StmtKind::While { .. } | StmtKind::For { .. },
                _,
            )
            | (_, StmtKind::If(_) | StmtKind::While { .. } | StmtKind::For { .. }) => Err(format!(
                "the statement holding the wait, {}, became another kind of statement at new line {}",
                self.old.at(file_o, so.span),
                self.new.line(file_n, sn.span)
            )),
            _ => {
                if let Some(why) = &looped {
                    if tree::canon_stmt(so, &rename, false) != tree::canon_stmt(sn, &same, false) {
                        return Err(format!(
                            "the statement holding the wait, {}, changed, but {why}, so the old one has run in the earlier rounds",
                            self.old.at(file_o, so.span)
                        ));
                    }
                }
                Ok((AnyNode::Stmt(so), AnyNode::Stmt(sn)))
            }
        }
    }

    // ----- 4. types -----

    /// Checks that `value`, carried into variable `name` of new function
    /// `fnn`, fits the type the new version's checker gives the variable.
    fn check_type(&mut self, fnn: FuncId, name: &str, value: &Value) -> Result<(), String> {
        let new = self.new;
        let types = self.types.get_or_insert_with(|| {
            let files: Vec<weft_check::SourceFile> = new
                .program
                .files
                .iter()
                .zip(&new.modules)
                .filter(|(f, _)| f.name != crate::compile::PRELUDE_FILE)
                .map(|(f, m)| weft_check::SourceFile {
                    name: &f.name,
                    module: m,
                })
                .collect();
            Types {
                known: weft_check::variable_types(&files),
                types: weft_check::contract::Contracts::index(&files).types,
            }
        });
        let Some(body) = new.node(fnn).and_then(Node::body) else {
            return Ok(());
        };
        let file = new.func(fnn).file as usize;
        let Some(declared) = types
            .known
            .iter()
            .find(|k| k.file == file && k.body == body.span)
            .and_then(|k| k.vars.get(name))
            .and_then(|t| t.clone())
        else {
            return Ok(());
        };
        let got = value_type(value, 0);
        if types.types.assignable(&got, &declared) {
            Ok(())
        } else {
            Err(format!(
                "variable `{name}` holds a value of shape {got}, which does not fit its type in the new version, {declared}"
            ))
        }
    }

    // ----- 5. values -----

    /// `v` with every closure rebuilt for the new program.
    fn map_value(&self, v: &Value) -> Result<Value, String> {
        Ok(match v {
            Value::Closure(c) => Value::Closure(Arc::new(self.map_closure(c)?)),
            Value::List(items) => {
                if !has_closure(v) {
                    return Ok(v.clone());
                }
                let mut out = Vec::with_capacity(items.len());
                for it in items.iter() {
                    out.push(self.map_value(it)?);
                }
                Value::list(out)
            }
            Value::Object(m) => {
                if !has_closure(v) {
                    return Ok(v.clone());
                }
                let mut out = crate::value::Map::default();
                for (k, x) in m.iter() {
                    out.insert(k.clone(), self.map_value(x)?);
                }
                Value::object(out)
            }
            other => other.clone(),
        })
    }

    fn map_closure(&self, c: &Closure) -> Result<Closure, String> {
        let Some(&g) = self.fmap.get(&c.func) else {
            return Err(format!(
                "it holds {}, which has no counterpart in the new version",
                self.func_name(c.func)
            ));
        };
        let (old_f, new_f) = (self.old.func(c.func), self.new.func(g));
        let renames = self.renames_of(c.func);
        let mut captures = Vec::with_capacity(new_f.captures.len());
        for cap in &new_f.captures {
            let old_name = renames
                .iter()
                .find(|(_, n)| **n == cap.name)
                .map(|(o, _)| o.clone())
                .unwrap_or_else(|| cap.name.clone());
            let Some(k) = old_f.captures.iter().position(|x| x.name == old_name) else {
                return Err(format!(
                    "it holds {}, whose new version uses `{}`, which the old one did not capture",
                    self.func_name(c.func),
                    cap.name
                ));
            };
            let value = c.captures.get(k).cloned().unwrap_or(Value::Null);
            captures.push(self.map_value(&value)?);
        }
        Ok(Closure { func: g, captures })
    }

    // ----- the new state -----

    fn translate(&self, moves: &[Moved]) -> Result<RunState, Refusal> {
        let s = self.state;
        let mut out = s.clone();
        out.v = crate::state::SNAPSHOT_VERSION;
        out.func = *self.fmap.get(&s.func).ok_or_else(|| {
            Refusal::one(format!(
                "the run's flow, {}, has no counterpart in the new version",
                self.func_name(s.func)
            ))
        })?;
        let mut reasons = Vec::new();
        let mut waits: BTreeMap<u32, (FuncId, u32)> = BTreeMap::new();
        for m in moves {
            let Some(fiber) = out.fibers.get_mut(&m.fiber) else {
                continue;
            };
            for (frame, (func, pc, locals)) in fiber.frames.iter_mut().zip(&m.frames) {
                frame.func = *func;
                frame.pc = *pc;
                frame.locals = locals.clone();
            }
            let mut stack = Vec::with_capacity(fiber.stack.len());
            for v in &fiber.stack {
                match self.map_value(v) {
                    Ok(v) => stack.push(v),
                    Err(why) => reasons.push(format!(
                        "{} an operand of the expression it waits in: {why}",
                        self.fiber_name(m.fiber)
                    )),
                }
            }
            fiber.stack = stack;
            waits.insert(m.fiber, m.wait);
        }
        for (seq, call) in out.calls.iter_mut() {
            match waits.get(&call.fiber) {
                Some(&at) => call.at = at,
                None => reasons.push(format!("call {seq} belongs to no fiber that moved")),
            }
        }
        for (fiber, failure) in out.failures.iter_mut() {
            if let Some(&(func, pc)) = waits.get(fiber) {
                failure.location = self.new.program.locate(func, pc);
            }
        }
        for group in out.groups.values_mut() {
            for slot in &mut group.slots {
                if let Slot::Done(v) = slot {
                    match self.map_value(v) {
                        Ok(x) => *v = x,
                        Err(why) => reasons.push(format!("a parallel branch's result: {why}")),
                    }
                }
            }
        }
        for timer in out.timers.values_mut() {
            if let TimerKind::Sleep { value, .. } = &mut timer.kind {
                if let Ok(x) = self.map_value(value) {
                    *value = x;
                }
            }
        }
        // Sub-flows keep their records; the function each was started
        // with (an operator's retry starts it again) moves too. A finished
        // one whose function is gone, and that no value refers to, is
        // history the new code cannot reach: it is dropped.
        let held = handles_in(&out);
        let mut gone = Vec::new();
        for (&i, child) in out.children.iter_mut() {
            match self.fmap.get(&child.start.func) {
                Some(&g) => child.start.func = g,
                None if matches!(child.state, ChildState::Completed(_)) && !held.contains(&i) => {
                    gone.push(i)
                }
                None => reasons.push(format!(
                    "sub-flow `{}` (run {}) was started from {}, which has no counterpart in the new version",
                    child.flow,
                    child.run_id,
                    self.func_name(child.start.func)
                )),
            }
        }
        for i in gone {
            out.children.remove(&i);
        }
        if reasons.is_empty() {
            Ok(out)
        } else {
            Err(Refusal { reasons })
        }
    }
}

/// The hidden list and position slots of the `for` loop whose iterable has
/// `span` in function `f`.
fn iter_slots(f: &crate::program::Function, span: Span) -> Option<(u16, u16)> {
    f.code.iter().zip(&f.spans).find_map(|(op, s)| match op {
        Op::IterInit { list, index } if *s == span => Some((*list, *index)),
        _ => None,
    })
}

/// True when `v` holds a closure somewhere.
fn has_closure(v: &Value) -> bool {
    match v {
        Value::Closure(_) => true,
        Value::List(items) => items.iter().any(has_closure),
        Value::Object(m) => m.values().any(has_closure),
        _ => false,
    }
}

/// The children whose handles a value of the run holds.
fn handles_in(s: &RunState) -> Vec<u32> {
    fn walk(v: &Value, out: &mut Vec<u32>) {
        match v {
            Value::Handle(h) => out.push(*h),
            Value::List(items) => items.iter().for_each(|x| walk(x, out)),
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            Value::Closure(c) => c.captures.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for f in s.fibers.values() {
        for fr in &f.frames {
            fr.locals.iter().for_each(|v| walk(v, &mut out));
        }
        f.stack.iter().for_each(|v| walk(v, &mut out));
        if let Wait::Child { child, .. } = f.wait {
            out.push(child);
        }
    }
    for g in s.groups.values() {
        for slot in &g.slots {
            match slot {
                Slot::Child(c) => out.push(*c),
                Slot::Done(v) => walk(v, &mut out),
                Slot::Fiber(_) => {}
            }
        }
    }
    for f in s.failures.values() {
        if let FailureKind::Child { child } = f.kind {
            out.push(child);
        }
    }
    out
}

/// Deepest a value is looked into for its shape; below, anything fits.
const SHAPE_DEPTH_MAX: usize = 32;

/// The shape of a value, as a type of the checker.
fn value_type(v: &Value, depth: usize) -> weft_check::contract::types::Type {
    use weft_check::contract::types::{Field, Type};
    if depth > SHAPE_DEPTH_MAX {
        return Type::Any;
    }
    match v {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Bool,
        Value::Int(_) => Type::Int,
        Value::Float(_) => Type::Number,
        Value::Str(_) => Type::String,
        Value::Duration(_) => Type::Duration,
        Value::Time(_) => Type::Time,
        Value::List(items) => {
            let mut members: Vec<Type> = Vec::new();
            for it in items.iter() {
                let t = value_type(it, depth + 1);
                if !members.contains(&t) {
                    members.push(t);
                }
            }
            Type::List(Box::new(match members.len() {
                0 => Type::Any,
                1 => members.pop().expect("one member"),
                _ => Type::Union(members),
            }))
        }
        Value::Object(m) => Type::Object {
            fields: m
                .iter()
                .map(|(k, x)| Field {
                    name: k.to_string(),
                    ty: value_type(x, depth + 1),
                    optional: false,
                })
                .collect(),
            open: false,
        },
        Value::Closure(_) | Value::Handle(_) | Value::Fork(_) => Type::Any,
    }
}

//! The live-upgrade rule on the bytecode: which variables are live where a
//! fiber resumes, which are certainly assigned where it stands, and whether
//! the code that put its operands on the stack is the same in both versions.

use std::collections::HashMap;

use weft_syntax::Span;

use crate::program::{CallSpec, FuncId, FuncKind, Function, Op, Program};

use super::tree::within;

/// A set of local slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Slots(Vec<u64>);

impl Slots {
    fn empty(n: usize) -> Slots {
        Slots(vec![0; n.div_ceil(64).max(1)])
    }

    fn full(n: usize) -> Slots {
        let mut s = Slots::empty(n);
        for i in 0..n {
            s.insert(i as u16);
        }
        s
    }

    fn insert(&mut self, slot: u16) {
        let (w, b) = (slot as usize / 64, slot as usize % 64);
        if w < self.0.len() {
            self.0[w] |= 1 << b;
        }
    }

    fn remove(&mut self, slot: u16) {
        let (w, b) = (slot as usize / 64, slot as usize % 64);
        if w < self.0.len() {
            self.0[w] &= !(1 << b);
        }
    }

    /// True when `slot` is in the set.
    pub fn contains(&self, slot: u16) -> bool {
        let (w, b) = (slot as usize / 64, slot as usize % 64);
        w < self.0.len() && self.0[w] & (1 << b) != 0
    }

    fn union(&mut self, other: &Slots) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }

    fn intersect(&mut self, other: &Slots) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let n = *a & *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
}

/// Where control goes after instruction `i`: `(next, jump)` targets.
fn successors(code: &[Op], i: usize) -> Vec<usize> {
    let next = i + 1;
    let mut out = Vec::with_capacity(2);
    match &code[i] {
        Op::Jump(t) => out.push(*t as usize),
        Op::JumpIfFalse(t) | Op::JumpIfFalseKeep(t) | Op::JumpIfTrueKeep(t) => {
            out.push(next);
            out.push(*t as usize);
        }
        Op::IterNext { exit, .. } => {
            out.push(next);
            out.push(*exit as usize);
        }
        // A name error fails the fiber, and a retry runs it again.
        Op::Return | Op::NameError(_) => {}
        _ => out.push(next),
    }
    out.retain(|&t| t < code.len());
    out
}

/// The slots instruction `op` reads.
fn uses(op: &Op) -> Vec<u16> {
    match op {
        Op::Load(s) => vec![*s],
        Op::SetPath { slot, .. } => vec![*slot],
        Op::IterNext { list, index, .. } => vec![*list, *index],
        _ => Vec::new(),
    }
}

/// The slots instruction `op` writes when control goes to `to` (a loop's
/// exit assigns nothing).
fn defs(op: &Op, at: usize, to: usize) -> Vec<u16> {
    match op {
        Op::Store(s) => vec![*s],
        Op::SetPath { slot, .. } => vec![*slot],
        Op::IterInit { list, index } => vec![*list, *index],
        Op::IterNext {
            index, var, exit, ..
        } if to == at + 1 && to != *exit as usize => vec![*index, *var],
        _ => Vec::new(),
    }
}

/// The slots live before each instruction of `f`: read on some path
/// before being written.
pub(super) fn live_in(f: &Function) -> Vec<Slots> {
    let n = f.slot_names.len();
    let code = &f.code;
    let mut live = vec![Slots::empty(n); code.len()];
    let succ: Vec<Vec<usize>> = (0..code.len()).map(|i| successors(code, i)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..code.len()).rev() {
            let mut out = Slots::empty(n);
            for &t in &succ[i] {
                let mut after = live[t].clone();
                for d in defs(&code[i], i, t) {
                    after.remove(d);
                }
                out.union(&after);
            }
            for u in uses(&code[i]) {
                out.insert(u);
            }
            if out != live[i] {
                live[i] = out;
                changed = true;
            }
        }
    }
    live
}

/// The slots certainly assigned before each instruction of `f`, on every
/// path from its start (parameters and captured values are assigned when
/// the function is entered).
pub(super) fn assigned_in(f: &Function) -> Vec<Slots> {
    let n = f.slot_names.len();
    let code = &f.code;
    let mut entry = Slots::empty(n);
    for s in f.params.iter().flatten() {
        entry.insert(*s);
    }
    for c in &f.captures {
        entry.insert(c.slot);
    }
    let mut at = vec![Slots::full(n); code.len()];
    let mut reached = vec![false; code.len()];
    if code.is_empty() {
        return at;
    }
    at[0] = entry;
    reached[0] = true;
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..code.len() {
            if !reached[i] {
                continue;
            }
            for t in successors(code, i) {
                let mut out = at[i].clone();
                for d in defs(&code[i], i, t) {
                    out.insert(d);
                }
                if !reached[t] {
                    reached[t] = true;
                    at[t] = out;
                    changed = true;
                } else if at[t].intersect(&out) {
                    changed = true;
                }
            }
        }
    }
    at
}

/// The first instruction of the contiguous run of instructions within
/// `region` that ends at `w` (a statement or a header compiles to one run).
pub(super) fn region_start(f: &Function, w: usize, region: Span) -> usize {
    let mut s = w;
    while s > 0 && within(f.spans[s - 1], region) {
        s -= 1;
    }
    s
}

/// The first instruction of `f` within `region`.
pub(super) fn first_within(f: &Function, region: Span) -> Option<usize> {
    f.spans.iter().position(|s| within(*s, region))
}

/// What the lockstep walk needs to know about one side.
pub(super) struct Side<'a> {
    /// The program.
    pub program: &'a Program,
    /// The function.
    pub func: FuncId,
    /// The first instruction of the region.
    pub start: usize,
    /// The spans of call annotations in the region (their operands are
    /// consumed by their call and leave nothing on the stack).
    pub annotations: Vec<Span>,
    /// Each slot's name as the other side knows it (the old side's names
    /// renamed, and hidden loop slots by loop).
    pub slot_names: Vec<String>,
}

/// The outcome of a lockstep walk: the new wait instruction, and the
/// functions created in the region, paired.
pub(super) struct Lockstep {
    /// The index of the new version's instruction that corresponds to the
    /// old wait instruction.
    pub wait: usize,
    /// Old function → new function, for the closures, branches and inline
    /// flows the region creates before the wait.
    pub functions: Vec<(FuncId, FuncId)>,
}

/// Walks the old region from its start to the wait instruction `w` and the
/// new region from its start, instruction by instruction, and checks that
/// they do the same to the operand stack: the same operations on the same
/// constants and variables (by name), the same calls. Instructions that
/// evaluate call annotations are skipped on both sides, and a function
/// created in the region counts as one instruction, compared by `fmap`
/// (filled in here when the region is the first to pair it).
pub(super) fn lockstep(
    old: &Side,
    new: &Side,
    w: usize,
    fmap: &HashMap<FuncId, FuncId>,
) -> Result<Lockstep, String> {
    let fo = old.program.func(old.func);
    let fnew = new.program.func(new.func);
    let (mut i, mut j) = (old.start, new.start);
    let mut pairs: HashMap<usize, usize> = HashMap::new();
    let mut jumps: Vec<(usize, usize)> = Vec::new();
    let mut functions = Vec::new();
    loop {
        i = skip_annotations(fo, i, &old.annotations);
        j = skip_annotations(fnew, j, &new.annotations);
        if i > w {
            return Err("the wait's own instruction is an annotation's".into());
        }
        if j >= fnew.code.len() {
            return Err(format!(
                "the new version's code ends before `{}`",
                describe_op(old.program, fo, i)
            ));
        }
        // A function created here: its captured values and inputs are
        // consumed by the instruction that creates it.
        let unit_o = created_unit(old.program, fo, i);
        let unit_n = created_unit(new.program, fnew, j);
        let (end_i, end_j) = match (unit_o, unit_n) {
            (Some((ei, go)), Some((ej, gn))) => {
                let (ko, kn) = (old.program.func(go).kind, new.program.func(gn).kind);
                if ko != kn {
                    return Err(format!(
                        "{} is created where the old version created {}",
                        kind_name(kn),
                        kind_name(ko)
                    ));
                }
                match fmap.get(&go) {
                    Some(&mapped) if mapped != gn => {
                        return Err(format!(
                            "the {} created at this point is another one in the new version",
                            kind_name(ko)
                        ))
                    }
                    _ => functions.push((go, gn)),
                }
                (ei, ej)
            }
            (None, None) => {
                same_op(old, new, i, j)?;
                (i, j)
            }
            _ => {
                return Err(format!(
                    "`{}` became `{}`",
                    describe_op(old.program, fo, i),
                    describe_op(new.program, fnew, j)
                ))
            }
        };
        pairs.insert(i, j);
        if is_jump(&fo.code[end_i]) {
            jumps.push((end_i, end_j));
        }
        if end_i >= w {
            if end_i != w {
                return Err("the wait lies inside a function the statement creates".into());
            }
            // Jumps taken before the wait land on instructions paired above;
            // jumps past the wait were not taken by this run.
            for (a, b) in jumps {
                let (ta, tb) = (jump_target(&fo.code[a]), jump_target(&fnew.code[b]));
                if let (Some(ta), Some(tb)) = (ta, tb) {
                    if ta <= w && pairs.get(&ta) != Some(&tb) {
                        return Err("a jump before the wait lands elsewhere".into());
                    }
                }
            }
            return Ok(Lockstep {
                wait: end_j,
                functions,
            });
        }
        i = end_i + 1;
        j = end_j + 1;
    }
}

/// True when the new region has an instruction that does what the old
/// wait instruction `w` does (the same call, the same parallel built-in...):
/// without one, the wait was removed or changed.
pub(super) fn has_counterpart(old: &Side, new: &Side, w: usize, region: Span) -> bool {
    let f = new.program.func(new.func);
    (new.start..f.code.len())
        .take_while(|&j| within(f.spans[j], region))
        .any(|j| same_op(old, new, w, j).is_ok())
}

fn is_jump(op: &Op) -> bool {
    jump_target(op).is_some()
}

fn jump_target(op: &Op) -> Option<usize> {
    match op {
        Op::Jump(t) | Op::JumpIfFalse(t) | Op::JumpIfFalseKeep(t) | Op::JumpIfTrueKeep(t) => {
            Some(*t as usize)
        }
        Op::IterNext { exit, .. } => Some(*exit as usize),
        _ => None,
    }
}

fn skip_annotations(f: &Function, mut i: usize, anns: &[Span]) -> usize {
    while i < f.code.len() && anns.iter().any(|a| within(f.spans[i], *a)) {
        i += 1;
    }
    i
}

/// When instruction `i` starts the creation of a nested function (its
/// captured values, an inline flow's inputs, then `MakeClosure` or
/// `StartInline`), the creating instruction and the function. Every
/// instruction of a creation lies within the created function's span.
fn created_unit(program: &Program, f: &Function, i: usize) -> Option<(usize, FuncId)> {
    let k = (i..f.code.len())
        .find(|&k| matches!(f.code[k], Op::MakeClosure(_) | Op::StartInline(_)))?;
    let (Op::MakeClosure(g) | Op::StartInline(g)) = f.code[k] else {
        return None;
    };
    let gs = program.func(g).span;
    (i..=k).all(|x| within(f.spans[x], gs)).then_some((k, g))
}

/// Checks that old instruction `i` and new instruction `j` do the same.
fn same_op(old: &Side, new: &Side, i: usize, j: usize) -> Result<(), String> {
    let (po, pn) = (old.program, new.program);
    let (fo, fnew) = (po.func(old.func), pn.func(new.func));
    let (a, b) = (&fo.code[i], &fnew.code[j]);
    let slot = |s: &Side, k: u16| s.slot_names.get(k as usize).cloned().unwrap_or_default();
    let konst = |p: &Program, k: u32| p.consts.get(k as usize).cloned();
    let same_const = |x: u32, y: u32| match (konst(po, x), konst(pn, y)) {
        (Some(x), Some(y)) => x.type_name() == y.type_name() && x.equals(&y),
        _ => false,
    };
    let ok = match (a, b) {
        (Op::Const(x), Op::Const(y))
        | (Op::NameError(x), Op::NameError(y))
        | (Op::GetField(x), Op::GetField(y))
        | (Op::ObjSet(x), Op::ObjSet(y)) => same_const(*x, *y),
        (Op::Null, Op::Null)
        | (Op::Pop, Op::Pop)
        | (Op::GetIndex, Op::GetIndex)
        | (Op::NewList, Op::NewList)
        | (Op::ListPush, Op::ListPush)
        | (Op::NewObject, Op::NewObject)
        | (Op::ObjSpread, Op::ObjSpread)
        | (Op::ParallelForEach, Op::ParallelForEach)
        | (Op::Return, Op::Return) => true,
        (Op::Bool(x), Op::Bool(y)) => x == y,
        (Op::Load(x), Op::Load(y)) | (Op::Store(x), Op::Store(y)) => slot(old, *x) == slot(new, *y),
        (
            Op::SetPath {
                slot: x,
                depth: dx,
                op: ox,
            },
            Op::SetPath {
                slot: y,
                depth: dy,
                op: oy,
            },
        ) => slot(old, *x) == slot(new, *y) && dx == dy && ox == oy,
        (Op::Unary(x), Op::Unary(y)) => x == y,
        (Op::Binary(x), Op::Binary(y)) => x == y,
        // Targets are checked once the walk has paired what they point at.
        (Op::Jump(_), Op::Jump(_))
        | (Op::JumpIfFalse(_), Op::JumpIfFalse(_))
        | (Op::JumpIfFalseKeep(_), Op::JumpIfFalseKeep(_))
        | (Op::JumpIfTrueKeep(_), Op::JumpIfTrueKeep(_)) => true,
        (
            Op::IterInit {
                list: l1,
                index: i1,
            },
            Op::IterInit {
                list: l2,
                index: i2,
            },
        ) => slot(old, *l1) == slot(new, *l2) && slot(old, *i1) == slot(new, *i2),
        (
            Op::IterNext {
                list: l1,
                index: i1,
                var: v1,
                ..
            },
            Op::IterNext {
                list: l2,
                index: i2,
                var: v2,
                ..
            },
        ) => {
            slot(old, *l1) == slot(new, *l2)
                && slot(old, *i1) == slot(new, *i2)
                && slot(old, *v1) == slot(new, *v2)
        }
        (Op::CallClosure(x), Op::CallClosure(y)) => x == y,
        (Op::CallFunc { func: f1, argc: a1 }, Op::CallFunc { func: f2, argc: a2 }) => {
            a1 == a2 && po.func(*f1).name == pn.func(*f2).name
        }
        (Op::CallBuiltin { id: x, argc: a1 }, Op::CallBuiltin { id: y, argc: a2 }) => {
            x == y && a1 == a2
        }
        (Op::CallFlow { func: f1, argc: a1 }, Op::CallFlow { func: f2, argc: a2 }) => {
            let (g1, g2) = (po.func(*f1), pn.func(*f2));
            a1 == a2 && g1.name == g2.name && g1.kind == g2.kind
        }
        (Op::CallActivity(x), Op::CallActivity(y)) => {
            same_call(&po.calls[*x as usize], &pn.calls[*y as usize])
        }
        (Op::Parallel(x), Op::Parallel(y)) => x == y,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` became `{}`",
            describe_op(po, fo, i),
            describe_op(pn, fnew, j)
        ))
    }
}

/// The same call, annotations aside: a call in flight keeps the policy it
/// started with, and the operands of annotations are skipped.
fn same_call(a: &CallSpec, b: &CallSpec) -> bool {
    a.activity == b.activity
        && a.positional == b.positional
        && a.named == b.named
        && a.awaited == b.awaited
}

fn kind_name(k: FuncKind) -> &'static str {
    match k {
        FuncKind::Flow => "a flow",
        FuncKind::InlineFlow => "an inline sub-flow",
        FuncKind::Lambda => "a function",
        FuncKind::Branch => "a parallel branch",
        FuncKind::Prelude => "a built-in",
        FuncKind::Handler => "a machine's command handler",
    }
}

/// An instruction, shown with the names it refers to.
pub(super) fn describe_op(program: &Program, f: &Function, i: usize) -> String {
    let Some(op) = f.code.get(i) else {
        return "the end of the function".into();
    };
    let slot = |s: u16| {
        f.slot_names
            .get(s as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{s}"))
    };
    let konst = |k: u32| {
        program
            .consts
            .get(k as usize)
            .map(|c| c.to_text())
            .unwrap_or_default()
    };
    match op {
        Op::Const(k) => format!("constant {}", konst(*k)),
        Op::Load(s) => format!("read {}", slot(*s)),
        Op::Store(s) => format!("assign {}", slot(*s)),
        Op::SetPath { slot: s, .. } => format!("assign into {}", slot(*s)),
        Op::GetField(k) => format!("field .{}", konst(*k)),
        Op::ObjSet(k) => format!("object field {}", konst(*k)),
        Op::CallActivity(c) => {
            let spec = &program.calls[*c as usize];
            format!(
                "{}call {}",
                if spec.awaited { "awaited " } else { "" },
                spec.activity
            )
        }
        Op::CallFlow { func, .. } => format!("flow call {}", program.func(*func).name),
        Op::CallFunc { func, .. } => format!("call {}", program.func(*func).name),
        Op::CallBuiltin { id, .. } => format!(
            "call {}",
            weft_syntax::lang::BUILTINS
                .get(*id as usize)
                .map(|b| b.name)
                .unwrap_or("?")
        ),
        Op::MakeClosure(g) | Op::StartInline(g) => {
            format!(
                "{} `{}`",
                kind_name(program.func(*g).kind),
                program.func(*g).name
            )
        }
        other => format!("{other:?}"),
    }
}

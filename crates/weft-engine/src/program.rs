//! A compiled program: functions of bytecode for a stack machine.
//!
//! A run's snapshot holds function and instruction indices into its
//! program, so a deployed version keeps its compiled program for good
//! (`crate::stored` encodes it next to the source): a run resumes on exactly
//! the code it was suspended in, whatever a later compiler would emit. The
//! [`Edition`] a program was compiled under says which semantics its source
//! text had.

use indexmap::IndexMap;
use std::sync::Arc;
use weft_syntax::ast::{BinaryOp, UnaryOp};
use weft_syntax::Span;

use crate::value::Value;

/// Index of a function in [`Program::functions`].
pub type FuncId = u32;

/// What a function was written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncKind {
    /// A top-level `flow`: runs as a run of its own.
    Flow,
    /// An inline sub-flow: runs as a child run.
    InlineFlow,
    /// A `func(...) { }` closure: runs in the caller's run.
    Lambda,
    /// A call expression inside a parallel built-in's list, wrapped so the
    /// built-in can start it as a branch.
    Branch,
    /// A built-in written in Weft itself (e.g. `RunCompensations`).
    Prelude,
    /// A machine command's handler: runs as a run of its own when the
    /// command is applied, or in the caller's run for
    /// `Machine(state).Handle(...)`.
    Handler,
}

/// A variable captured by value when a closure or inline flow is created.
#[derive(Clone, Debug)]
pub struct Capture {
    /// The variable's name.
    pub name: String,
    /// Where the captured value goes in the new frame.
    pub slot: u16,
}

/// One compiled function.
#[derive(Clone, Debug)]
pub struct Function {
    /// The flow's or closure's name (`func` for lambdas).
    pub name: String,
    /// What it was written as.
    pub kind: FuncKind,
    /// Index of the source file in [`Program::files`].
    pub file: u16,
    /// Slot of each parameter (`None` for an inline flow's unnamed inputs).
    pub params: Vec<Option<u16>>,
    /// How inline-flow inputs are labelled in the child's input.
    pub param_labels: Vec<String>,
    /// Captured variables, in the order their values are passed.
    pub captures: Vec<Capture>,
    /// Names of the local slots, for people (the UI shows variables).
    pub slot_names: Vec<String>,
    /// The code.
    pub code: Vec<Op>,
    /// The source span of each instruction.
    pub spans: Vec<Span>,
    /// The whole function's span.
    pub span: Span,
}

/// How a parallel built-in combines its branches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ParallelMode {
    /// `WaitAll`: `{allSuccess, results, errors}`.
    All,
    /// `ParallelExecute` and `ParallelForEach`: the results, in order.
    Execute,
    /// `WaitForAny`: the first value to arrive.
    Any,
    /// A `ParallelExecute` whose report fields are read (edition 2,
    /// `weft_syntax::reports`): `{allPassed, results, failures}`.
    Report,
    /// Not a built-in: one call started by fork by assignment (edition 2,
    /// `weft_syntax::assign_forks`), waiting alone until a join adopts its
    /// branch. Its fiber does not wait for it, and it never completes.
    Fork,
}

/// A call of an activity: how its arguments and annotations lie on the stack.
#[derive(Clone, Debug)]
pub struct CallSpec {
    /// The activity's name.
    pub activity: Arc<str>,
    /// Positional arguments (pushed first).
    pub positional: u8,
    /// Names of the named arguments (pushed next, in this order); passed to
    /// the activity as one object after the positional arguments.
    pub named: Vec<String>,
    /// `@retry(n, ...)`: `n` is pushed next.
    pub retry: bool,
    /// `backoff:` of `@retry` is pushed next.
    pub retry_backoff: bool,
    /// `maxBackoff:` of `@retry` is pushed next.
    pub retry_max: bool,
    /// `@timeout(d)`: `d` is pushed last.
    pub timeout: bool,
    /// `@catch`, or a call directly inside `WaitAll`'s list.
    pub catch: bool,
    /// Under `await`: waits for a callback.
    pub awaited: bool,
    /// `value, err = Call(...)`: the call's value is the pair `[value,
    /// null]`, or `[null, error]` when it fails for good (for
    /// [`Op::StorePair`]).
    pub pair: bool,
}

/// The instructions of the stack machine.
#[derive(Clone, Debug)]
pub enum Op {
    /// Push constant `n`.
    Const(u32),
    /// Push `null`.
    Null,
    /// Push a boolean.
    Bool(bool),
    /// Push a local (waiting for it first if it holds a running sub-flow).
    Load(u16),
    /// Pop into a local.
    Store(u16),
    /// Pop the pair `[value, error]` of a call of `value, err = ...` into
    /// two locals.
    StorePair {
        /// Where the value goes.
        value: u16,
        /// Where the error goes.
        err: u16,
    },
    /// Fail with the message in constant `n` (a name that resolves to nothing).
    NameError(u32),
    /// Drop the top of the stack.
    Pop,
    /// Read field (constant `n`, a string) of the popped value.
    GetField(u32),
    /// Pop index, pop object or list, push the element.
    GetIndex,
    /// Assign into a local along a path: pops `depth` keys (first key
    /// deepest in the stack) and the value; with `op`, combines with the
    /// current value first (`a.b += 1`).
    SetPath {
        /// The root variable.
        slot: u16,
        /// Number of keys.
        depth: u8,
        /// For compound assignment.
        op: Option<BinaryOp>,
    },
    /// Apply a prefix operator.
    Unary(UnaryOp),
    /// Apply an infix operator (not `&&`/`||`, which jump).
    Binary(BinaryOp),
    /// Continue at the instruction.
    Jump(u32),
    /// Pop; jump when falsy.
    JumpIfFalse(u32),
    /// Jump when the top is falsy, keeping it; else pop it (`&&`).
    JumpIfFalseKeep(u32),
    /// Jump when the top is truthy, keeping it; else pop it (`||`).
    JumpIfTrueKeep(u32),
    /// Push an empty list.
    NewList,
    /// Pop a value and append it to the list below.
    ListPush,
    /// Push an empty object.
    NewObject,
    /// Pop a value and set field (constant `n`) of the object below.
    ObjSet(u32),
    /// Pop an object and copy its fields into the object below.
    ObjSpread,
    /// Pop an iterable (list, object keys, string characters) and store it
    /// as a list in `list`, with position 0 in `index`.
    IterInit {
        /// Hidden slot for the list.
        list: u16,
        /// Hidden slot for the position.
        index: u16,
    },
    /// Store the next element in `var` and advance, or jump to `exit`.
    IterNext {
        /// Hidden slot for the list.
        list: u16,
        /// Hidden slot for the position.
        index: u16,
        /// The loop variable.
        var: u16,
        /// Where to go when done.
        exit: u32,
    },
    /// Pop the captured values (in capture order) and push a closure.
    MakeClosure(FuncId),
    /// Pop `argc` arguments and a closure below them; call it in this run.
    CallClosure(u8),
    /// Call a function of the program in this run (prelude built-ins).
    CallFunc {
        /// The function.
        func: FuncId,
        /// Arguments on the stack.
        argc: u8,
    },
    /// Call a built-in (index into `weft_syntax::lang::BUILTINS`).
    CallBuiltin {
        /// The built-in.
        id: u16,
        /// Arguments on the stack.
        argc: u8,
    },
    /// Run a flow as a child run and wait for its result. Pops the
    /// function's captures, then `argc` arguments.
    CallFlow {
        /// The flow.
        func: FuncId,
        /// Arguments on the stack.
        argc: u8,
    },
    /// `value, err = Flow(...)`: [`Op::CallFlow`], whose value is the pair
    /// `[result, null]`, or `[null, error]` when the child is cancelled.
    CallFlowPair {
        /// The flow.
        func: FuncId,
        /// Arguments on the stack.
        argc: u8,
    },
    /// Start an inline flow as a child run and push its handle. Pops the
    /// captures, then one value per input.
    StartInline(FuncId),
    /// Call an activity (see [`CallSpec`], index into [`Program::calls`]).
    CallActivity(u32),
    /// Pop a list of branches and run them concurrently.
    Parallel(ParallelMode),
    /// Pop a closure and a list; run the closure on each element concurrently.
    ParallelForEach,
    /// Pop a branch closure, start it as a branch of its own group (fork by
    /// assignment) and push [`Value::Fork`](crate::value::Value::Fork).
    Fork,
    /// Push a local and set it to `null`: a fork's variable read by its join.
    Take(u16),
    /// Pop the return value and leave the function.
    Return,
}

/// A source file of a program.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its name, as given at deploy.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Where its lines start (locating instructions happens every step).
    pub index: weft_syntax::LineIndex,
}

impl SourceFile {
    /// A source file with its line index.
    pub fn new(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.to_string(),
            text: text.to_string(),
            index: weft_syntax::LineIndex::new(text),
        }
    }
}

/// Which meaning source text has for the compiler.
///
/// A compiler change that makes text which compiles today emit different
/// code goes behind a new edition; an existing edition's output never
/// changes (`tests/bytecode.rs` pins edition 1's). A program records the
/// edition it was compiled under, and versions deployed before programs were
/// stored are compiled under [`Edition::E1`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    /// The language as of the first stored programs (commit 71d39f3).
    E1,
    /// The seed as written (issue 10): a call assigned to a variable that
    /// a join reads next starts as a branch, `ParallelExecute` reports its
    /// branches when the flow reads `allPassed`, `failures` or `results`,
    /// `value, err = Call(...)`, dotted activity names, `@timeout(null)` and
    /// `@timeout("continuous")` mean no timeout, and a plain number is not a
    /// duration (docs/language.md, "Editions").
    E2,
}

impl Edition {
    /// The edition new deploys are compiled under.
    pub const LATEST: Edition = Edition::E2;

    /// Every edition, oldest first.
    pub const ALL: [Edition; 2] = [Edition::E1, Edition::E2];

    /// The edition's number, as stored.
    pub fn number(self) -> u32 {
        match self {
            Edition::E1 => 1,
            Edition::E2 => 2,
        }
    }

    /// The edition numbered `n`, if this build knows it.
    pub fn from_number(n: u32) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.number() == n)
    }
}

/// A compiled program: every flow of one deploy.
#[derive(Clone, Debug)]
pub struct Program {
    /// The edition it was compiled under.
    pub edition: Edition,
    /// All functions: top-level flows, inline flows, closures, branches.
    pub functions: Vec<Function>,
    /// Top-level flows by name.
    pub flows: IndexMap<String, FuncId>,
    /// Constants.
    pub consts: Vec<Value>,
    /// Activity call shapes.
    pub calls: Vec<CallSpec>,
    /// The sources, for locating instructions.
    pub files: Vec<SourceFile>,
    /// The machines, by name (see [`crate::machines`]).
    pub machines: IndexMap<String, crate::machines::MachineDef>,
    /// The `type` declarations, by name, for checking machines' inputs.
    pub types: crate::machines::Types,
}

impl Program {
    /// The top-level flow called `name`.
    pub fn flow(&self, name: &str) -> Option<FuncId> {
        self.flows.get(name).copied()
    }

    /// The machine called `name`.
    pub fn machine(&self, name: &str) -> Option<&crate::machines::MachineDef> {
        self.machines.get(name)
    }

    /// The function `id`.
    pub fn func(&self, id: FuncId) -> &Function {
        &self.functions[id as usize]
    }

    /// The file and line of [`Program::locate`]'s location, without making
    /// one (a run's record names its position at every step).
    pub fn locate_line(&self, func: FuncId, pc: u32) -> Option<(&str, u32)> {
        let f = self.functions.get(func as usize)?;
        let span = *f.spans.get(pc as usize).or(f.spans.last())?;
        let file = self.files.get(f.file as usize)?;
        let lc = file.index.line_col(&file.text, span.start);
        Some((&file.name, lc.line))
    }

    /// The file name and 1-based line and column of instruction `pc` of `func`.
    pub fn locate(&self, func: FuncId, pc: u32) -> Option<Location> {
        let f = self.functions.get(func as usize)?;
        let span = *f.spans.get(pc as usize).or(f.spans.last())?;
        let file = self.files.get(f.file as usize)?;
        let index = &file.index;
        let lc = index.line_col(&file.text, span.start);
        Some(Location {
            file: file.name.clone(),
            line: lc.line,
            col: lc.col,
            span,
            source_line: index
                .line_text(&file.text, lc.line as usize - 1)
                .trim()
                .to_string(),
        })
    }
}

/// A place in the source, for people.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Byte span.
    #[serde(skip)]
    pub span: Span,
    /// The source line, trimmed.
    pub source_line: String,
}

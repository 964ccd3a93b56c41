//! Stored programs: a compiled [`Program`] as it is kept next to its source.
//!
//! A run's snapshot holds function and instruction indices into its
//! program, so each deployed version keeps the code its runs execute, and a
//! later build resumes them on exactly that code instead of compiling the
//! source again (its compiler may emit something else).
//!
//! # The envelope
//!
//! A stored program is one JSON document:
//!
//! ```json
//! {"format": 1, "edition": 1, "compiler": "weft-engine 0.1.0 compiler:…",
//!  "files": [{"name": "a.weft", "text": "…"}, {"name": "<prelude>", "text": "…"}],
//!  "flows": {"Main": 0},
//!  "functions": [{"name": "Main", "kind": "flow", "file": 0, "params": [0],
//!                 "slots": ["input"], "span": [0, 40],
//!                 "code": [{"Load": 0}, {"GetField": 0}, "Return"],
//!                 "spans": [12, 17, 12, 22, 39, 40]}],
//!  "consts": [{"Str": "nick"}],
//!  "calls": [{"activity": "Work", "positional": 1, "retry": true}]}
//! ```
//!
//! - `format`: how the rest is encoded ([`FORMAT`]). A build reads every
//!   format from [`FORMAT_OLDEST`] to [`FORMAT`], older ones through the
//!   upgrade functions of [`UPGRADES`] (JSON to JSON, one per format step),
//!   and refuses newer or unknown ones with [`ProgramError::Format`].
//! - `edition`: the language edition the source was compiled under
//!   ([`Edition`]).
//! - `compiler`: a fingerprint of the compiler that made it
//!   ([`compiler_fingerprint`]), for people investigating a program; it is
//!   never used to decide anything.
//! - `files`: every source file with its text, the built-in prelude
//!   included, so the envelope alone is the whole program (instruction spans
//!   point into these texts, and the prelude's text is the compiler's, which
//!   a later build may change).
//! - The rest mirrors [`Program`] with wire types of its own: the in-memory
//!   [`Op`] may change freely, and this module then fails to build until
//!   the change is given an encoding (a new format when old readers could
//!   not read it). Built-ins are stored by name, operators as written, so
//!   reordering a table never changes what a stored program means.
//!
//! JSON, like snapshots: readable with SQL and by people, no new
//! dependency, and small enough (docs/benchmarks.md lists the examples'
//! sizes). Decoding validates every index a stored program holds, so a
//! damaged program is refused with an error instead of stopping the engine.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use thiserror::Error;
use weft_syntax::ast::{BinaryOp, UnaryOp};
use weft_syntax::lang;
use weft_syntax::Span;

use crate::machines::{CommandDef, MachineDef, Ty};
use crate::program::*;
use crate::value::Value;

/// The program format this build writes.
#[cfg(not(feature = "format2"))]
pub const FORMAT: u32 = 1;

/// The program format this build writes: the test build of the `format2`
/// feature writes format 2 (see [`UPGRADES`]).
#[cfg(feature = "format2")]
pub const FORMAT: u32 = 2;

/// The oldest program format this build reads.
pub const FORMAT_OLDEST: u32 = 1;

/// An upgrade of a stored program's JSON from one format to the next.
pub type Upgrade = fn(serde_json::Value) -> Result<serde_json::Value, String>;

/// Upgrade functions: entry `i` takes a program from format
/// `FORMAT_OLDEST + i` to the next. A release that changes the encoding
/// bumps [`FORMAT`] and adds its upgrade here; the chain reads every
/// program an earlier release stored.
#[cfg(not(feature = "format2"))]
pub const UPGRADES: &[Upgrade] = &[];

/// Upgrade functions (the `format2` test build: 1 to 2).
#[cfg(feature = "format2")]
pub const UPGRADES: &[Upgrade] = &[format2::upgrade_from_1];

/// Why a stored program cannot be used.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ProgramError {
    /// Its format is not one this build reads (newer, or unknown).
    #[error(
        "the program is stored in format {found}; this build reads formats \
         {FORMAT_OLDEST} to {FORMAT}"
    )]
    Format {
        /// The format found (as stored).
        found: String,
    },
    /// It was compiled under an edition this build does not know.
    #[error("the program was compiled under edition {found}; this build knows editions 1 to {latest}", latest = Edition::LATEST.number())]
    Edition {
        /// The edition found.
        found: u32,
    },
    /// It is not a program of its format.
    #[error("the stored program does not decode: {0}")]
    Corrupt(String),
    /// It decodes but refers to things it does not hold.
    #[error("the stored program is inconsistent: {0}")]
    Invalid(String),
}

/// A fingerprint of the compiler of this build: the engine's version and a
/// hash of the sources that decide what it emits (the compiler with its
/// prelude, the program model, this encoding, and the syntax crate's
/// parser, lexer, tree and built-in table). Two builds with the same
/// fingerprint compile any text to the same program.
pub fn compiler_fingerprint() -> &'static str {
    static FINGERPRINT: OnceLock<String> = OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let sources: [&str; 7] = [
            include_str!("compile.rs"),
            include_str!("program.rs"),
            include_str!("stored.rs"),
            include_str!("../../weft-syntax/src/parser.rs"),
            include_str!("../../weft-syntax/src/lexer.rs"),
            include_str!("../../weft-syntax/src/ast.rs"),
            include_str!("../../weft-syntax/src/lang.rs"),
        ];
        let mut h = FNV_OFFSET;
        for s in sources {
            h = fnv1a(h, s.as_bytes());
            // A separator, so moving text between files changes the hash.
            h = fnv1a(h, &[0xff]);
        }
        format!(
            "weft-engine {} compiler:{h:016x}",
            env!("CARGO_PKG_VERSION")
        )
    })
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: small, and good enough to tell sources apart (not a defence
/// against anyone).
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Encodes a program in the current format.
///
/// Fails only for a program the compiler cannot make (a constant that is
/// not a scalar).
pub fn encode(program: &Program) -> Result<String, ProgramError> {
    let envelope = to_wire(program)?;
    #[cfg(feature = "format2")]
    let json = serde_json::to_string(&format2::from_v1(envelope));
    #[cfg(not(feature = "format2"))]
    let json = serde_json::to_string(&envelope);
    json.map_err(|e| ProgramError::Invalid(format!("encoding: {e}")))
}

/// The format a stored program says it is in, if it says.
pub fn format_of(text: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Head {
        format: u64,
    }
    serde_json::from_str::<Head>(text).ok().map(|h| h.format)
}

/// Decodes a stored program of any format this build reads, upgrading
/// older formats, and checks that every index in it is in range.
pub fn decode(text: &str) -> Result<Program, ProgramError> {
    decode_with(text, UPGRADES)
}

fn decode_with(text: &str, upgrades: &[Upgrade]) -> Result<Program, ProgramError> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<serde_json::Value>,
    }
    let head: Head =
        serde_json::from_str(text).map_err(|e| ProgramError::Corrupt(e.to_string()))?;
    let found = head.format.unwrap_or(serde_json::Value::Null);
    let format = found
        .as_u64()
        .filter(|f| (u64::from(FORMAT_OLDEST)..=u64::from(FORMAT)).contains(f))
        .ok_or_else(|| ProgramError::Format {
            found: found.to_string(),
        })?;
    let envelope = if format == u64::from(FORMAT) {
        // The common case reads straight from the text.
        read_current(serde_json::from_str(text))
    } else {
        let mut json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ProgramError::Corrupt(e.to_string()))?;
        for (i, upgrade) in upgrades
            .iter()
            .enumerate()
            .skip((format - u64::from(FORMAT_OLDEST)) as usize)
        {
            let from = FORMAT_OLDEST as usize + i;
            json = upgrade(json).map_err(|e| {
                ProgramError::Corrupt(format!("upgrading from format {from} to {}: {e}", from + 1))
            })?;
        }
        read_current(serde_json::from_value(json))
    };
    let program = from_wire(envelope?)?;
    validate(&program).map_err(ProgramError::Invalid)?;
    Ok(program)
}

/// The current format's envelope, as format 1's wire types.
#[cfg(not(feature = "format2"))]
fn read_current(r: serde_json::Result<EnvelopeV1>) -> Result<EnvelopeV1, ProgramError> {
    r.map_err(|e| ProgramError::Corrupt(e.to_string()))
}

/// The current format's envelope, as format 1's wire types.
#[cfg(feature = "format2")]
fn read_current(r: serde_json::Result<format2::EnvelopeV2>) -> Result<EnvelopeV1, ProgramError> {
    r.map(format2::to_v1)
        .map_err(|e| ProgramError::Corrupt(e.to_string()))
}

// ----- format 1 -----

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvelopeV1 {
    format: u32,
    edition: u32,
    compiler: String,
    files: Vec<FileV1>,
    /// `[name, function]` pairs, in the order the flows were written.
    flows: Vec<(String, u32)>,
    functions: Vec<FunctionV1>,
    consts: Vec<ConstV1>,
    calls: Vec<CallV1>,
    /// The machines (see [`MachineV1`]); absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    machines: Vec<MachineV1>,
    /// The `type` declarations machines' inputs are checked against, as
    /// `[name, type]` pairs; absent when there are no machines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    types: Vec<(String, Ty)>,
}

/// A machine of the program. Machines were added to format 1 without a
/// new format: a program without machines is written exactly as before,
/// and one with machines is refused by an earlier build as a program that
/// does not decode (`unknown field machines`), which parks its runs: an
/// earlier build has no machines to run them with. Types are written as
/// [`Ty`]'s own serde form, a plain tagged shape.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MachineV1 {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<Ty>,
    commands: Vec<CommandV1>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandV1 {
    name: String,
    input: Ty,
    handler: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    name: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FunctionV1 {
    name: String,
    kind: KindV1,
    file: u16,
    params: Vec<Option<u16>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    param_labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    captures: Vec<CaptureV1>,
    slots: Vec<String>,
    span: (u32, u32),
    code: Vec<OpV1>,
    /// `[start, end]` of each instruction, flattened.
    spans: Vec<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptureV1 {
    name: String,
    slot: u16,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum KindV1 {
    Flow,
    InlineFlow,
    Lambda,
    Branch,
    Prelude,
    Handler,
}

/// A constant. Floats are text (Rust's shortest round-trip form), so the
/// infinities a literal such as `1e999` makes survive JSON.
#[derive(Serialize, Deserialize)]
enum ConstV1 {
    Null,
    Bool(bool),
    Int(i64),
    Float(String),
    Str(String),
    Duration(i64),
    Time(i64),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CallV1 {
    activity: String,
    positional: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    named: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    retry: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    retry_backoff: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    retry_max: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    timeout: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    catch: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    awaited: bool,
    /// Written since edition 2 (`value, err = Call(...)`).
    #[serde(default, skip_serializing_if = "is_false")]
    pair: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The instructions, format 1. Field order within a variant is the
/// in-memory variant's.
#[derive(Clone, Serialize, Deserialize)]
enum OpV1 {
    Const(u32),
    Null,
    Bool(bool),
    Load(u16),
    Store(u16),
    NameError(u32),
    Pop,
    GetField(u32),
    GetIndex,
    /// Slot, depth, the compound operator as written.
    SetPath(u16, u8, Option<String>),
    /// The operator as written.
    Unary(String),
    /// The operator as written.
    Binary(String),
    Jump(u32),
    JumpIfFalse(u32),
    JumpIfFalseKeep(u32),
    JumpIfTrueKeep(u32),
    NewList,
    ListPush,
    NewObject,
    ObjSet(u32),
    ObjSpread,
    /// List slot, index slot.
    IterInit(u16, u16),
    /// List slot, index slot, variable slot, exit.
    IterNext(u16, u16, u16, u32),
    MakeClosure(u32),
    CallClosure(u8),
    /// Function, argument count.
    CallFunc(u32, u8),
    /// The built-in's name, argument count.
    CallBuiltin(String, u8),
    /// Function, argument count.
    CallFlow(u32, u8),
    StartInline(u32),
    CallActivity(u32),
    /// `all`, `execute` or `any`.
    Parallel(String),
    ParallelForEach,
    Return,
    // Written since edition 2 (which earlier builds refuse by its number,
    // so no format step is needed for them: see `ProgramError::Edition`).
    /// Value slot, error slot.
    StorePair(u16, u16),
    /// Function, argument count.
    CallFlowPair(u32, u8),
    Fork,
    Take(u16),
}

const UNARY: [(UnaryOp, &str); 3] = [
    (UnaryOp::Not, "!"),
    (UnaryOp::Neg, "-"),
    (UnaryOp::Plus, "+"),
];

const BINARY: [(BinaryOp, &str); 13] = [
    (BinaryOp::Or, "||"),
    (BinaryOp::And, "&&"),
    (BinaryOp::Eq, "=="),
    (BinaryOp::Ne, "!="),
    (BinaryOp::Lt, "<"),
    (BinaryOp::Le, "<="),
    (BinaryOp::Gt, ">"),
    (BinaryOp::Ge, ">="),
    (BinaryOp::Add, "+"),
    (BinaryOp::Sub, "-"),
    (BinaryOp::Mul, "*"),
    (BinaryOp::Div, "/"),
    (BinaryOp::Rem, "%"),
];

const PARALLEL: [(ParallelMode, &str); 5] = [
    (ParallelMode::All, "all"),
    (ParallelMode::Execute, "execute"),
    (ParallelMode::Any, "any"),
    // Written since edition 2.
    (ParallelMode::Report, "report"),
    // Never in code (groups only); named for completeness.
    (ParallelMode::Fork, "fork"),
];

fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], x: T) -> &'static str {
    table
        .iter()
        .find(|(t, _)| *t == x)
        .map(|(_, n)| *n)
        .expect("every variant is in its table")
}

fn by_name<T: Copy>(
    table: &[(T, &'static str)],
    name: &str,
    what: &str,
) -> Result<T, ProgramError> {
    table
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(t, _)| *t)
        .ok_or_else(|| ProgramError::Corrupt(format!("unknown {what} `{name}`")))
}

fn op_to_wire(op: &Op) -> OpV1 {
    match op {
        Op::Const(n) => OpV1::Const(*n),
        Op::Null => OpV1::Null,
        Op::Bool(b) => OpV1::Bool(*b),
        Op::Load(s) => OpV1::Load(*s),
        Op::Store(s) => OpV1::Store(*s),
        Op::StorePair { value, err } => OpV1::StorePair(*value, *err),
        Op::NameError(n) => OpV1::NameError(*n),
        Op::Pop => OpV1::Pop,
        Op::GetField(n) => OpV1::GetField(*n),
        Op::GetIndex => OpV1::GetIndex,
        Op::SetPath { slot, depth, op } => {
            OpV1::SetPath(*slot, *depth, op.map(|o| name_of(&BINARY, o).to_string()))
        }
        Op::Unary(o) => OpV1::Unary(name_of(&UNARY, *o).to_string()),
        Op::Binary(o) => OpV1::Binary(name_of(&BINARY, *o).to_string()),
        Op::Jump(t) => OpV1::Jump(*t),
        Op::JumpIfFalse(t) => OpV1::JumpIfFalse(*t),
        Op::JumpIfFalseKeep(t) => OpV1::JumpIfFalseKeep(*t),
        Op::JumpIfTrueKeep(t) => OpV1::JumpIfTrueKeep(*t),
        Op::NewList => OpV1::NewList,
        Op::ListPush => OpV1::ListPush,
        Op::NewObject => OpV1::NewObject,
        Op::ObjSet(n) => OpV1::ObjSet(*n),
        Op::ObjSpread => OpV1::ObjSpread,
        Op::IterInit { list, index } => OpV1::IterInit(*list, *index),
        Op::IterNext {
            list,
            index,
            var,
            exit,
        } => OpV1::IterNext(*list, *index, *var, *exit),
        Op::MakeClosure(f) => OpV1::MakeClosure(*f),
        Op::CallClosure(n) => OpV1::CallClosure(*n),
        Op::CallFunc { func, argc } => OpV1::CallFunc(*func, *argc),
        // An id out of the table cannot come from the compiler; it is
        // written as a name no built-in has, and refused on decoding.
        Op::CallBuiltin { id, argc } => OpV1::CallBuiltin(
            lang::BUILTINS
                .get(*id as usize)
                .map_or_else(|| format!("#{id}"), |b| b.name.to_string()),
            *argc,
        ),
        Op::CallFlow { func, argc } => OpV1::CallFlow(*func, *argc),
        Op::CallFlowPair { func, argc } => OpV1::CallFlowPair(*func, *argc),
        Op::StartInline(f) => OpV1::StartInline(*f),
        Op::CallActivity(n) => OpV1::CallActivity(*n),
        Op::Parallel(m) => OpV1::Parallel(name_of(&PARALLEL, *m).to_string()),
        Op::ParallelForEach => OpV1::ParallelForEach,
        Op::Fork => OpV1::Fork,
        Op::Take(s) => OpV1::Take(*s),
        Op::Return => OpV1::Return,
    }
}

fn op_from_wire(op: OpV1) -> Result<Op, ProgramError> {
    Ok(match op {
        OpV1::Const(n) => Op::Const(n),
        OpV1::Null => Op::Null,
        OpV1::Bool(b) => Op::Bool(b),
        OpV1::Load(s) => Op::Load(s),
        OpV1::Store(s) => Op::Store(s),
        OpV1::StorePair(value, err) => Op::StorePair { value, err },
        OpV1::NameError(n) => Op::NameError(n),
        OpV1::Pop => Op::Pop,
        OpV1::GetField(n) => Op::GetField(n),
        OpV1::GetIndex => Op::GetIndex,
        OpV1::SetPath(slot, depth, op) => Op::SetPath {
            slot,
            depth,
            op: op.map(|o| by_name(&BINARY, &o, "operator")).transpose()?,
        },
        OpV1::Unary(o) => Op::Unary(by_name(&UNARY, &o, "operator")?),
        OpV1::Binary(o) => Op::Binary(by_name(&BINARY, &o, "operator")?),
        OpV1::Jump(t) => Op::Jump(t),
        OpV1::JumpIfFalse(t) => Op::JumpIfFalse(t),
        OpV1::JumpIfFalseKeep(t) => Op::JumpIfFalseKeep(t),
        OpV1::JumpIfTrueKeep(t) => Op::JumpIfTrueKeep(t),
        OpV1::NewList => Op::NewList,
        OpV1::ListPush => Op::ListPush,
        OpV1::NewObject => Op::NewObject,
        OpV1::ObjSet(n) => Op::ObjSet(n),
        OpV1::ObjSpread => Op::ObjSpread,
        OpV1::IterInit(list, index) => Op::IterInit { list, index },
        OpV1::IterNext(list, index, var, exit) => Op::IterNext {
            list,
            index,
            var,
            exit,
        },
        OpV1::MakeClosure(f) => Op::MakeClosure(f),
        OpV1::CallClosure(n) => Op::CallClosure(n),
        OpV1::CallFunc(func, argc) => Op::CallFunc { func, argc },
        OpV1::CallBuiltin(name, argc) => {
            let id = lang::BUILTINS
                .iter()
                .position(|b| b.name == name)
                .ok_or_else(|| ProgramError::Corrupt(format!("unknown built-in `{name}`")))?;
            Op::CallBuiltin {
                id: id as u16,
                argc,
            }
        }
        OpV1::CallFlow(func, argc) => Op::CallFlow { func, argc },
        OpV1::CallFlowPair(func, argc) => Op::CallFlowPair { func, argc },
        OpV1::StartInline(f) => Op::StartInline(f),
        OpV1::CallActivity(n) => Op::CallActivity(n),
        OpV1::Parallel(m) => Op::Parallel(by_name(&PARALLEL, &m, "parallel mode")?),
        OpV1::ParallelForEach => Op::ParallelForEach,
        OpV1::Fork => Op::Fork,
        OpV1::Take(s) => Op::Take(s),
        OpV1::Return => Op::Return,
    })
}

fn kind_to_wire(k: FuncKind) -> KindV1 {
    match k {
        FuncKind::Flow => KindV1::Flow,
        FuncKind::InlineFlow => KindV1::InlineFlow,
        FuncKind::Lambda => KindV1::Lambda,
        FuncKind::Branch => KindV1::Branch,
        FuncKind::Prelude => KindV1::Prelude,
        FuncKind::Handler => KindV1::Handler,
    }
}

fn kind_from_wire(k: KindV1) -> FuncKind {
    match k {
        KindV1::Flow => FuncKind::Flow,
        KindV1::InlineFlow => FuncKind::InlineFlow,
        KindV1::Lambda => FuncKind::Lambda,
        KindV1::Branch => FuncKind::Branch,
        KindV1::Prelude => FuncKind::Prelude,
        KindV1::Handler => FuncKind::Handler,
    }
}

fn const_to_wire(i: usize, v: &Value) -> Result<ConstV1, ProgramError> {
    Ok(match v {
        Value::Null => ConstV1::Null,
        Value::Bool(b) => ConstV1::Bool(*b),
        Value::Int(n) => ConstV1::Int(*n),
        Value::Float(f) => ConstV1::Float(f.to_string()),
        Value::Str(s) => ConstV1::Str(s.to_string()),
        Value::Duration(d) => ConstV1::Duration(*d),
        Value::Time(t) => ConstV1::Time(*t),
        other => {
            return Err(ProgramError::Invalid(format!(
                "constant {i} is a {}; a program holds only scalar constants",
                other.type_name()
            )))
        }
    })
}

fn const_from_wire(c: ConstV1) -> Result<Value, ProgramError> {
    Ok(match c {
        ConstV1::Null => Value::Null,
        ConstV1::Bool(b) => Value::Bool(b),
        ConstV1::Int(n) => Value::Int(n),
        ConstV1::Float(f) => Value::Float(
            f.parse()
                .map_err(|_| ProgramError::Corrupt(format!("`{f}` is not a number")))?,
        ),
        ConstV1::Str(s) => Value::str(&s),
        ConstV1::Duration(d) => Value::Duration(d),
        ConstV1::Time(t) => Value::Time(t),
    })
}

fn to_wire(p: &Program) -> Result<EnvelopeV1, ProgramError> {
    let consts = p
        .consts
        .iter()
        .enumerate()
        .map(|(i, v)| const_to_wire(i, v))
        .collect::<Result<_, _>>()?;
    Ok(EnvelopeV1 {
        format: 1,
        edition: p.edition.number(),
        compiler: compiler_fingerprint().to_string(),
        files: p
            .files
            .iter()
            .map(|f| FileV1 {
                name: f.name.clone(),
                text: f.text.clone(),
            })
            .collect(),
        flows: p.flows.iter().map(|(n, f)| (n.clone(), *f)).collect(),
        functions: p
            .functions
            .iter()
            .map(|f| FunctionV1 {
                name: f.name.clone(),
                kind: kind_to_wire(f.kind),
                file: f.file,
                params: f.params.clone(),
                param_labels: f.param_labels.clone(),
                captures: f
                    .captures
                    .iter()
                    .map(|c| CaptureV1 {
                        name: c.name.clone(),
                        slot: c.slot,
                    })
                    .collect(),
                slots: f.slot_names.clone(),
                span: (f.span.start, f.span.end),
                code: f.code.iter().map(op_to_wire).collect(),
                spans: f.spans.iter().flat_map(|s| [s.start, s.end]).collect(),
            })
            .collect(),
        consts,
        calls: p
            .calls
            .iter()
            .map(|c| CallV1 {
                activity: c.activity.to_string(),
                positional: c.positional,
                named: c.named.clone(),
                retry: c.retry,
                retry_backoff: c.retry_backoff,
                retry_max: c.retry_max,
                timeout: c.timeout,
                catch: c.catch,
                awaited: c.awaited,
                pair: c.pair,
            })
            .collect(),
        machines: p
            .machines
            .values()
            .map(|m| MachineV1 {
                name: m.name.clone(),
                state: m.state.clone(),
                commands: m
                    .commands
                    .values()
                    .map(|c| CommandV1 {
                        name: c.name.clone(),
                        input: c.input.clone(),
                        handler: c.handler,
                    })
                    .collect(),
            })
            .collect(),
        types: if p.machines.is_empty() {
            Vec::new()
        } else {
            p.types
                .iter()
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect()
        },
    })
}

fn from_wire(e: EnvelopeV1) -> Result<Program, ProgramError> {
    let edition =
        Edition::from_number(e.edition).ok_or(ProgramError::Edition { found: e.edition })?;
    let mut functions = Vec::with_capacity(e.functions.len());
    for f in e.functions {
        if f.spans.len() != 2 * f.code.len() {
            return Err(ProgramError::Invalid(format!(
                "function `{}` has {} instructions but {} span bounds",
                f.name,
                f.code.len(),
                f.spans.len()
            )));
        }
        let code = f
            .code
            .into_iter()
            .map(op_from_wire)
            .collect::<Result<_, _>>()?;
        functions.push(Function {
            name: f.name,
            kind: kind_from_wire(f.kind),
            file: f.file,
            params: f.params,
            param_labels: f.param_labels,
            captures: f
                .captures
                .into_iter()
                .map(|c| Capture {
                    name: c.name,
                    slot: c.slot,
                })
                .collect(),
            slot_names: f.slots,
            code,
            spans: f
                .spans
                .chunks(2)
                .map(|c| Span {
                    start: c[0],
                    end: c[1],
                })
                .collect(),
            span: Span {
                start: f.span.0,
                end: f.span.1,
            },
        });
    }
    let mut flows = indexmap::IndexMap::new();
    for (name, f) in e.flows {
        if flows.insert(name.clone(), f).is_some() {
            return Err(ProgramError::Invalid(format!(
                "flow `{name}` is listed twice"
            )));
        }
    }
    Ok(Program {
        edition,
        functions,
        flows,
        consts: e
            .consts
            .into_iter()
            .map(const_from_wire)
            .collect::<Result<_, _>>()?,
        calls: e
            .calls
            .into_iter()
            .map(|c| CallSpec {
                activity: Arc::from(c.activity),
                positional: c.positional,
                named: c.named,
                retry: c.retry,
                retry_backoff: c.retry_backoff,
                retry_max: c.retry_max,
                timeout: c.timeout,
                catch: c.catch,
                awaited: c.awaited,
                pair: c.pair,
            })
            .collect(),
        files: e
            .files
            .iter()
            .map(|f| SourceFile::new(&f.name, &f.text))
            .collect(),
        machines: e
            .machines
            .into_iter()
            .map(|m| {
                let commands = m
                    .commands
                    .into_iter()
                    .map(|c| {
                        (
                            c.name.clone(),
                            CommandDef {
                                name: c.name,
                                input: c.input,
                                handler: c.handler,
                            },
                        )
                    })
                    .collect();
                (
                    m.name.clone(),
                    MachineDef {
                        name: m.name,
                        state: m.state,
                        commands,
                    },
                )
            })
            .collect(),
        types: e.types.into_iter().collect(),
    })
}

/// Checks every index a program holds (functions, constants, calls, slots,
/// jump targets, files, spans), so that running it cannot index out of
/// range. The compiler's programs always pass; this is for stored ones.
pub fn validate(p: &Program) -> Result<(), String> {
    let nfuncs = p.functions.len();
    for m in p.machines.values() {
        for c in m.commands.values() {
            let is_handler = p
                .functions
                .get(c.handler as usize)
                .is_some_and(|f| f.kind == FuncKind::Handler);
            if !is_handler {
                return Err(format!(
                    "the command `{}.{}` is handled by function {}, which is no handler",
                    m.name, c.name, c.handler
                ));
            }
        }
    }
    for (name, id) in &p.flows {
        if *id as usize >= nfuncs {
            return Err(format!(
                "flow `{name}` is function {id}, which does not exist"
            ));
        }
    }
    for (fid, f) in p.functions.iter().enumerate() {
        let at = |what: String| format!("function {fid} (`{}`): {what}", f.name);
        let file = p
            .files
            .get(f.file as usize)
            .ok_or_else(|| at(format!("file {} does not exist", f.file)))?;
        let text_len = file.text.len() as u32;
        let span_ok = |s: &Span| s.start <= s.end && s.end <= text_len;
        if !span_ok(&f.span) {
            return Err(at("its span is outside its file".into()));
        }
        if f.spans.len() != f.code.len() {
            return Err(at("instructions and spans differ in number".into()));
        }
        if let Some(pc) = f.spans.iter().position(|s| !span_ok(s)) {
            return Err(at(format!(
                "the span of instruction {pc} is outside its file"
            )));
        }
        let nslots = f.slot_names.len();
        let slot_ok = |s: u16| (s as usize) < nslots;
        if f.params.iter().flatten().any(|s| !slot_ok(*s))
            || f.captures.iter().any(|c| !slot_ok(c.slot))
        {
            return Err(at("a parameter or capture has no slot".into()));
        }
        // The compiler ends every function with `Return`, so running
        // straight on never leaves the code.
        if !matches!(f.code.last(), Some(Op::Return)) {
            return Err(at("it does not end with Return".into()));
        }
        let ncode = f.code.len();
        for (pc, op) in f.code.iter().enumerate() {
            let bad = |what: &str| Err(at(format!("instruction {pc} refers to {what}")));
            let konst = |n: u32| (n as usize) < p.consts.len();
            let func = |n: u32| (n as usize) < nfuncs;
            let target = |t: u32| (t as usize) < ncode;
            match op {
                Op::Const(n) | Op::NameError(n) | Op::GetField(n) | Op::ObjSet(n) if !konst(*n) => {
                    return bad("a constant that does not exist")
                }
                Op::Load(s) | Op::Store(s) | Op::Take(s) | Op::SetPath { slot: s, .. }
                    if !slot_ok(*s) =>
                {
                    return bad("a variable that does not exist")
                }
                Op::IterInit { list, index } if !slot_ok(*list) || !slot_ok(*index) => {
                    return bad("a variable that does not exist")
                }
                Op::StorePair { value, err } if !slot_ok(*value) || !slot_ok(*err) => {
                    return bad("a variable that does not exist")
                }
                Op::IterNext {
                    list,
                    index,
                    var,
                    exit,
                } => {
                    if !slot_ok(*list) || !slot_ok(*index) || !slot_ok(*var) {
                        return bad("a variable that does not exist");
                    }
                    if !target(*exit) {
                        return bad("an instruction that does not exist");
                    }
                }
                Op::Jump(t)
                | Op::JumpIfFalse(t)
                | Op::JumpIfFalseKeep(t)
                | Op::JumpIfTrueKeep(t)
                    if !target(*t) =>
                {
                    return bad("an instruction that does not exist")
                }
                Op::MakeClosure(f)
                | Op::StartInline(f)
                | Op::CallFunc { func: f, .. }
                | Op::CallFlow { func: f, .. }
                | Op::CallFlowPair { func: f, .. }
                    if !func(*f) =>
                {
                    return bad("a function that does not exist")
                }
                Op::CallBuiltin { id, .. } if *id as usize >= lang::BUILTINS.len() => {
                    return bad("a built-in that does not exist")
                }
                Op::CallActivity(n) if *n as usize >= p.calls.len() => {
                    return bad("a call that does not exist")
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The deliberate format change of the test build (`--features format2`):
/// instructions carry their spans (`[op, start, end]`) instead of a
/// separate `spans` list. It exists to prove that a release which changes
/// the encoding reads the old one through its upgrade function, and that
/// the same data does not read without it (`tests/format2.rs`, and the
/// golden test run by `.ci/run` with this feature).
#[cfg(feature = "format2")]
mod format2 {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct EnvelopeV2 {
        format: u32,
        edition: u32,
        compiler: String,
        files: Vec<FileV1>,
        /// `[name, function]` pairs, in the order the flows were written.
        flows: Vec<(String, u32)>,
        functions: Vec<FunctionV2>,
        consts: Vec<ConstV1>,
        calls: Vec<CallV1>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        machines: Vec<MachineV1>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        types: Vec<(String, Ty)>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct FunctionV2 {
        name: String,
        kind: KindV1,
        file: u16,
        params: Vec<Option<u16>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        param_labels: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        captures: Vec<CaptureV1>,
        slots: Vec<String>,
        span: (u32, u32),
        code: Vec<(OpV1, u32, u32)>,
    }

    /// Format 1 to 2: zips each function's `spans` into its `code`.
    pub fn upgrade_from_1(mut json: serde_json::Value) -> Result<serde_json::Value, String> {
        let functions = json
            .get_mut("functions")
            .and_then(|f| f.as_array_mut())
            .ok_or("no `functions` list")?;
        for f in functions {
            let f = f.as_object_mut().ok_or("a function is not an object")?;
            let spans = f.remove("spans").ok_or("a function has no `spans`")?;
            let spans = spans.as_array().ok_or("`spans` is not a list")?;
            let code = f
                .get_mut("code")
                .and_then(|c| c.as_array_mut())
                .ok_or("a function has no `code` list")?;
            if spans.len() != 2 * code.len() {
                return Err("`spans` does not hold two bounds per instruction".into());
            }
            for (i, op) in code.iter_mut().enumerate() {
                *op = serde_json::json!([op.take(), spans[2 * i], spans[2 * i + 1]]);
            }
        }
        json["format"] = serde_json::json!(2);
        Ok(json)
    }

    pub fn from_v1(e: EnvelopeV1) -> EnvelopeV2 {
        EnvelopeV2 {
            format: 2,
            edition: e.edition,
            compiler: e.compiler,
            files: e.files,
            flows: e.flows,
            functions: e
                .functions
                .into_iter()
                .map(|f| FunctionV2 {
                    code: f
                        .code
                        .into_iter()
                        .zip(f.spans.chunks(2))
                        .map(|(op, s)| (op, s[0], s[1]))
                        .collect(),
                    name: f.name,
                    kind: f.kind,
                    file: f.file,
                    params: f.params,
                    param_labels: f.param_labels,
                    captures: f.captures,
                    slots: f.slots,
                    span: f.span,
                })
                .collect(),
            consts: e.consts,
            calls: e.calls,
            machines: e.machines,
            types: e.types,
        }
    }

    pub fn to_v1(e: EnvelopeV2) -> EnvelopeV1 {
        EnvelopeV1 {
            format: 1,
            edition: e.edition,
            compiler: e.compiler,
            files: e.files,
            flows: e.flows,
            functions: e
                .functions
                .into_iter()
                .map(|f| FunctionV1 {
                    spans: f.code.iter().flat_map(|(_, s, e)| [*s, *e]).collect(),
                    code: f.code.into_iter().map(|(op, _, _)| op).collect(),
                    name: f.name,
                    kind: f.kind,
                    file: f.file,
                    params: f.params,
                    param_labels: f.param_labels,
                    captures: f.captures,
                    slots: f.slots,
                    span: f.span,
                })
                .collect(),
            consts: e.consts,
            calls: e.calls,
            machines: e.machines,
            types: e.types,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_source;

    const FLOW: &str = "flow F(input) {\n    total = 0\n    for x in input.items {\n        r = await Work(x, mode: \"a\") @retry(2, backoff: 2s) @timeout(1d)\n        total += r.n\n    }\n    undo = func() { return Undo(total) }\n    b = WaitAll([A(1), B(2)])\n    big = 1e999\n    return RunCompensations([undo])\n}\n";

    fn dump(p: &Program) -> String {
        crate::dump::dump(p)
    }

    #[test]
    fn a_program_survives_encoding_exactly() {
        let p = compile_source("f.weft", FLOW).unwrap();
        let text = encode(&p).unwrap();
        let back = decode(&text).unwrap();
        assert_eq!(dump(&back), dump(&p));
        assert_eq!(back.edition, p.edition);
        assert_eq!(format_of(&text), Some(u64::from(FORMAT)));
        let again = encode(&back).unwrap();
        assert_eq!(again, text, "encoding is deterministic");
    }

    #[test]
    fn machines_survive_encoding_and_programs_without_them_are_unchanged() {
        let src = "type Kind = \"a\" | \"b\"\n\nmachine Counter {\n    state { total: number = 0, kind: Kind = \"a\" }\n    command Add(input: {n: number}) {\n        if input.n < 0 {\n            fail({code: \"negative\", message: \"no\"})\n        }\n        return {total: state.total + input.n, kind: state.kind}\n    }\n    Reset{ to = 0 }\n}\n\nflow F(k) {\n    return Counter(k).Add({n: 1})\n}\n";
        let p = compile_source("m.weft", src).unwrap();
        assert_eq!(p.machines.len(), 1);
        let text = encode(&p).unwrap();
        let back = decode(&text).unwrap();
        assert_eq!(back.machines, p.machines);
        assert_eq!(back.types, p.types);
        assert_eq!(dump(&back), dump(&p));
        assert_eq!(encode(&back).unwrap(), text);
        // A program without machines has neither field.
        let plain = encode(&compile_source("f.weft", FLOW).unwrap()).unwrap();
        assert!(!plain.contains("\"machines\"") && !plain.contains("\"types\""));
    }

    #[test]
    fn newer_and_unknown_formats_are_refused_with_what_this_build_reads() {
        let p = compile_source("f.weft", FLOW).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&encode(&p).unwrap()).unwrap();
        for bad in [
            serde_json::json!(FORMAT + 1),
            serde_json::json!(0),
            serde_json::json!("1"),
            serde_json::Value::Null,
        ] {
            json["format"] = bad.clone();
            let err = decode(&json.to_string()).unwrap_err();
            assert_eq!(
                err,
                ProgramError::Format {
                    found: bad.to_string()
                }
            );
            let msg = err.to_string();
            assert!(
                msg.contains(&format!("formats {FORMAT_OLDEST} to {FORMAT}")),
                "{msg}"
            );
        }
        json.as_object_mut().unwrap().remove("format");
        assert!(matches!(
            decode(&json.to_string()),
            Err(ProgramError::Format { .. })
        ));
    }

    #[test]
    fn an_unknown_edition_is_refused() {
        let p = compile_source("f.weft", FLOW).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&encode(&p).unwrap()).unwrap();
        json["edition"] = serde_json::json!(99);
        let err = decode(&json.to_string()).unwrap_err();
        assert_eq!(err, ProgramError::Edition { found: 99 });
        assert!(err.to_string().contains("edition 99"), "{err}");
    }

    #[test]
    fn damaged_programs_are_refused_not_run() {
        let p = compile_source("f.weft", FLOW).unwrap();
        // Format 1's shape, which every build reads (the test build
        // through its upgrade).
        let good = serde_json::to_value(to_wire(&p).unwrap()).unwrap();
        type Damage = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(&str, Damage)> = vec![
            ("not json", Box::new(|j| *j = serde_json::json!("garbage"))),
            (
                "an unknown built-in",
                Box::new(|j| {
                    let code = j["functions"][0]["code"].as_array_mut().unwrap();
                    code.insert(0, serde_json::json!({"CallBuiltin": ["nope", 0]}));
                    let spans = j["functions"][0]["spans"].as_array_mut().unwrap();
                    spans.extend([serde_json::json!(0), serde_json::json!(0)]);
                }),
            ),
            (
                "a constant out of range",
                Box::new(|j| j["functions"][0]["code"][0] = serde_json::json!({"Const": 9999})),
            ),
            (
                "a jump out of range",
                Box::new(|j| j["functions"][0]["code"][0] = serde_json::json!({"Jump": 9999})),
            ),
            (
                "a function out of range",
                Box::new(|j| {
                    j["functions"][0]["code"][0] = serde_json::json!({"MakeClosure": 9999})
                }),
            ),
            (
                "a slot out of range",
                Box::new(|j| j["functions"][0]["code"][0] = serde_json::json!({"Load": 9999})),
            ),
            (
                "a span outside the file",
                Box::new(|j| j["functions"][0]["spans"][1] = serde_json::json!(1_000_000)),
            ),
            (
                "spans missing",
                Box::new(|j| j["functions"][0]["spans"] = serde_json::json!([])),
            ),
            (
                "no Return at the end",
                Box::new(|j| {
                    let code = j["functions"][0]["code"].as_array_mut().unwrap();
                    let n = code.len();
                    code[n - 1] = serde_json::json!("Pop");
                }),
            ),
            (
                "a flow out of range",
                Box::new(|j| j["flows"][0][1] = serde_json::json!(9999)),
            ),
            (
                "an unknown field",
                Box::new(|j| j["extra"] = serde_json::json!(1)),
            ),
            (
                "an unknown operator",
                Box::new(|j| j["functions"][0]["code"][0] = serde_json::json!({"Binary": "**"})),
            ),
        ];
        for (what, damage) in cases {
            let mut j = good.clone();
            damage(&mut j);
            match decode(&j.to_string()) {
                Err(
                    ProgramError::Corrupt(_)
                    | ProgramError::Invalid(_)
                    | ProgramError::Format { .. },
                ) => {}
                other => panic!("{what}: {:?}", other.map(|_| "decoded")),
            }
        }
    }

    /// A program the default build stored in format 1 (commit 7079cee,
    /// `stored::encode` of examples/00-register-user/register-user.weft),
    /// checked in: what a release before a format change left behind.
    /// Never written again.
    const FORMAT1_FIXTURE: &str = include_str!("../tests/format1/register-user.program.json");

    #[test]
    fn a_format_1_program_of_an_earlier_build_reads_back_as_it_was_compiled() {
        assert_eq!(format_of(FORMAT1_FIXTURE), Some(1));
        let p = decode(FORMAT1_FIXTURE).unwrap();
        let src = p.files[0].text.clone();
        let want = crate::compile_sources_in(&[("register-user.weft", &src)], Edition::E1).unwrap();
        assert_eq!(dump(&p), dump(&want));
    }

    /// The deliberate format change: the test build writes format 2, reads
    /// its own, and reads format 1 through its upgrade function only.
    #[cfg(feature = "format2")]
    #[test]
    fn the_format_2_build_reads_format_1_through_its_upgrade_and_not_without() {
        assert_eq!(FORMAT, 2);
        let p = compile_source("f.weft", FLOW).unwrap();
        let text = encode(&p).unwrap();
        assert_eq!(format_of(&text), Some(2));
        assert_eq!(dump(&decode(&text).unwrap()), dump(&p));
        assert!(decode(FORMAT1_FIXTURE).is_ok());
        let err = decode_with(FORMAT1_FIXTURE, &[]).unwrap_err();
        assert!(matches!(err, ProgramError::Corrupt(_)), "{err}");
    }

    #[test]
    fn the_fingerprint_names_the_engine_and_a_hash_of_the_compiler() {
        let f = compiler_fingerprint();
        assert!(f.starts_with("weft-engine "), "{f}");
        assert!(f.contains(" compiler:"), "{f}");
        assert_eq!(f, compiler_fingerprint());
    }
}

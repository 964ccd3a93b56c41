//! The calls that talk to machines, recognised by their shape. The checker,
//! the compiler and the other tools ask here, so they agree on what is a
//! machine call and what is an activity call.
//!
//! | written | meaning |
//! |---|---|
//! | `M(key).Cmd(input)` | send command `Cmd` to the instance `key` of machine `M`, and wait until it is applied |
//! | `M(key).get()` | the instance as it stands (`null` when it does not exist) |
//! | `M.find(where{...}, select{...}, limit: n)` | the instances whose state fits `where` |
//! | `Machine(state).Handle(Cmd{...})` | the pure transition: what `Cmd`'s handler returns for `state`, in this run |

use crate::ast::{Arg, Call, Expr, ExprKind, Ident};

/// The name of the pure transition's receiver: `Machine(state)`.
pub const MACHINE_VALUE: &str = "Machine";

/// The method of the pure transition: `Machine(state).Handle(...)`.
pub const HANDLE: &str = "Handle";

/// Read an instance: `M(key).get()`.
pub const GET: &str = "get";

/// Query instances: `M.find(...)`.
pub const FIND: &str = "find";

/// A call that talks to a machine.
#[derive(Clone, Copy, Debug)]
pub struct MachineCall<'a> {
    /// The machine's name as written (`Machine` for the pure transition),
    /// with its place.
    pub machine: &'a Expr,
    /// What the call does.
    pub op: MachineOp<'a>,
    /// The arguments of the outer call.
    pub args: &'a [Arg],
}

/// What a [`MachineCall`] does.
#[derive(Clone, Copy, Debug)]
pub enum MachineOp<'a> {
    /// `M(key).Cmd(input)`
    Command {
        /// The instance's key (the argument of `M(...)`).
        key: &'a Expr,
        /// The command's name.
        command: &'a Ident,
    },
    /// `M(key).get()`
    Get {
        /// The instance's key.
        key: &'a Expr,
    },
    /// `M.find(...)`
    Find,
    /// `Machine(state).Handle(Cmd{...})`
    Handle {
        /// The state (the argument of `Machine(...)`).
        state: &'a Expr,
    },
}

impl MachineCall<'_> {
    /// The machine's name (`Machine` for the pure transition).
    pub fn machine_name(&self) -> &str {
        match &self.machine.kind {
            ExprKind::Name(n) => n,
            _ => "",
        }
    }
}

/// The machine call `call` is, if it is one. `is_machine` says whether a
/// name is a machine of the program (and not shadowed by a variable where
/// the call is). The receiver `M(key)` must have exactly one positional
/// argument; anything else is an ordinary call, left to the usual checks.
pub fn machine_call<'a>(
    call: &'a Call,
    is_machine: impl Fn(&str) -> bool,
) -> Option<MachineCall<'a>> {
    let ExprKind::Member { object, name } = &call.callee.kind else {
        return None;
    };
    match &object.kind {
        // `M.find(...)`
        ExprKind::Name(m) if name.name == FIND && is_machine(m) => Some(MachineCall {
            machine: object,
            op: MachineOp::Find,
            args: &call.args,
        }),
        ExprKind::Call(inner) if inner.annotations.is_empty() => {
            let ExprKind::Name(m) = &inner.callee.kind else {
                return None;
            };
            let [Arg { name: None, value }] = inner.args.as_slice() else {
                return None;
            };
            let op = if m == MACHINE_VALUE && name.name == HANDLE && !is_machine(m) {
                MachineOp::Handle { state: value }
            } else if !is_machine(m) {
                return None;
            } else if name.name == GET {
                MachineOp::Get { key: value }
            } else {
                MachineOp::Command {
                    key: value,
                    command: name,
                }
            };
            Some(MachineCall {
                machine: &inner.callee,
                op,
                args: &call.args,
            })
        }
        _ => None,
    }
}

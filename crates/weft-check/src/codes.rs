//! The stable codes of the checker's diagnostics.
//!
//! A code never changes meaning once released: editors, CI logs and the
//! documentation refer to it. Each is explained, with a minimal example and
//! the fix, in `docs/diagnostics.md` (a test keeps that page complete).
//! Codes starting with `E` are errors, codes starting with `W` warnings.

/// A name read as a value is neither a variable in scope nor a flow.
pub const UNKNOWN_NAME: &str = "E0100";
/// A variable is read where no assignment can have happened before.
pub const READ_BEFORE_ASSIGNMENT: &str = "E0101";
/// A variable is read where it is assigned on some paths only.
pub const MAYBE_UNASSIGNED: &str = "W0102";
/// An annotation that does not exist.
pub const UNKNOWN_ANNOTATION: &str = "E0110";
/// An annotation with missing, extra or ill-typed arguments.
pub const ANNOTATION_ARGUMENTS: &str = "E0111";
/// The same annotation twice on one call.
pub const DUPLICATE_ANNOTATION: &str = "E0112";
/// An annotation on a call it cannot apply to.
pub const ANNOTATION_NOT_APPLICABLE: &str = "E0113";
/// `await` on something that does not wait.
pub const AWAIT_NOT_A_CALL: &str = "E0120";
/// A statement that can never run.
pub const UNREACHABLE: &str = "E0130";
/// Two flows of a program with one name.
pub const DUPLICATE_FLOW: &str = "E0140";
/// A flow called with the wrong number of arguments.
pub const FLOW_ARGUMENT_COUNT: &str = "E0141";
/// A built-in called with the wrong number of arguments.
pub const BUILTIN_ARGUMENT_COUNT: &str = "E0142";
/// A flow named like a built-in.
pub const FLOW_NAMED_LIKE_BUILTIN: &str = "E0143";
/// A named argument that matches no parameter of the flow, or repeats one.
pub const UNKNOWN_NAMED_ARGUMENT: &str = "E0144";
/// `break` or `continue` outside a loop.
pub const LOOP_CONTROL_OUTSIDE_LOOP: &str = "E0150";
/// Two parameters (or inputs) with one name.
pub const DUPLICATE_PARAMETER: &str = "E0151";
/// `let` or `var` declaring a variable the flow already has.
pub const REDECLARED: &str = "E0152";
/// `value, err = e` whose `e` is not a call of an activity or a flow, or
/// whose two names are one.
pub const TRY_ASSIGN: &str = "E0153";
/// An awaited activity call without `@timeout`.
pub const AWAIT_WITHOUT_TIMEOUT: &str = "W0160";
/// A variable assigned and never read.
pub const UNUSED_VARIABLE: &str = "W0161";
/// An assignment to a captured variable inside a `func` or inline flow.
pub const ASSIGNMENT_TO_CAPTURED: &str = "W0162";
/// `await` on a flow call, which has no effect.
pub const AWAIT_ON_FLOW: &str = "W0170";
/// A `while` loop whose condition nothing in its body can change.
pub const ENDLESS_LOOP: &str = "W0180";
/// A `while` that waits for a text the loop never sets (the seed's
/// SupportTicket: `while ticket.status != "closed"`).
pub const LOOP_END_NEVER_SET: &str = "W0181";
/// A value used both as a plain number and as a duration.
pub const NUMBER_AS_DURATION: &str = "W0190";
/// Two declarations (activities, types, fields) with one name, or a type
/// named like a built-in type.
pub const DUPLICATE_DECLARATION: &str = "E0200";
/// A type name that is neither built in nor declared.
pub const UNKNOWN_TYPE: &str = "E0201";
/// A flow named like a declared activity, or an activity named like a
/// built-in.
pub const DECLARATION_NAME_CLASH: &str = "E0202";
/// A declared activity called with too many arguments or without a
/// required one.
pub const ACTIVITY_ARGUMENT_COUNT: &str = "E0203";
/// A named argument that matches no parameter of the declared activity, or
/// repeats one.
pub const UNKNOWN_ACTIVITY_ARGUMENT: &str = "E0204";
/// An argument whose type does not fit the declared parameter.
pub const ARGUMENT_TYPE: &str = "E0205";
/// A read of a field that a value's declared type does not have.
pub const UNKNOWN_FIELD: &str = "E0206";
/// An annotation of a declaration that is unknown or not valid (`@http`).
pub const BINDING: &str = "E0207";
/// A `type` defined only by itself.
pub const TYPE_CYCLE: &str = "E0208";
/// A declared activity that no flow calls.
pub const UNUSED_ACTIVITY: &str = "W0210";
/// A machine's member declared twice: a second `state`, a command declared
/// twice, a command with two handlers.
pub const MACHINE_MEMBER: &str = "E0300";
/// A machine named like a flow, an activity or a built-in, or a command
/// named like an instance method (`get`, `find`).
pub const MACHINE_NAME_CLASH: &str = "E0301";
/// A field of a shape with neither type nor default, declared twice, or
/// whose default is not a constant of its type.
pub const SHAPE_FIELD: &str = "E0302";
/// A command the machine does not have (a handler, a send, a literal).
pub const UNKNOWN_COMMAND: &str = "E0303";
/// A command's input that does not fit what the command takes.
pub const COMMAND_INPUT: &str = "E0304";
/// `fail` inside a `func` or inline flow of a handler: it would fail the
/// run, not refuse the command.
pub const FAIL_OUTSIDE_HANDLER_BODY: &str = "E0305";
/// `Machine(state).Handle(...)` of a handler that does I/O.
pub const IMPURE_TRANSITION: &str = "E0306";
/// A machine call or braced literal written in a way that means nothing.
pub const MACHINE_CALL: &str = "E0307";
/// An `await` in a handler without `@timeout`: it would hold the key.
pub const HANDLER_AWAIT_WITHOUT_TIMEOUT: &str = "E0308";
/// A handler returns a value that does not fit the machine's state.
pub const STATE_TYPE: &str = "E0309";
/// A nested shape named almost like a choice of its shape.
pub const SHAPE_VARIANT: &str = "W0310";
/// A trigger (`sdk.TaskQueue({...})`) that does not read as one.
pub const TRIGGER: &str = "E0311";
/// A trigger's `run` names no flow of the program.
pub const UNKNOWN_TRIGGER_FLOW: &str = "E0312";
/// The event a trigger starts its flow with does not fit the flow.
pub const TRIGGER_EVENT: &str = "E0313";
/// Two triggers (or two schedules) of one name.
pub const DUPLICATE_TRIGGER: &str = "E0314";
/// A schedule (`sdk.Schedule({...})`) that does not read as one.
pub const SCHEDULE: &str = "E0315";
/// A trigger's `where` condition that cannot be evaluated on the event: a
/// name other than `event`, a field the event does not have, a field of a
/// text, a call other than a pure built-in, a comparison that is always an
/// error.
pub const TRIGGER_WHERE: &str = "E0316";
/// A trigger's `where` condition whose value is not `true` or `false`.
pub const TRIGGER_WHERE_NOT_BOOL: &str = "E0317";

/// Every code the checker emits, in numeric order.
pub const ALL: &[&str] = &[
    UNKNOWN_NAME,
    READ_BEFORE_ASSIGNMENT,
    MAYBE_UNASSIGNED,
    UNKNOWN_ANNOTATION,
    ANNOTATION_ARGUMENTS,
    DUPLICATE_ANNOTATION,
    ANNOTATION_NOT_APPLICABLE,
    AWAIT_NOT_A_CALL,
    UNREACHABLE,
    DUPLICATE_FLOW,
    FLOW_ARGUMENT_COUNT,
    BUILTIN_ARGUMENT_COUNT,
    FLOW_NAMED_LIKE_BUILTIN,
    UNKNOWN_NAMED_ARGUMENT,
    LOOP_CONTROL_OUTSIDE_LOOP,
    DUPLICATE_PARAMETER,
    REDECLARED,
    TRY_ASSIGN,
    AWAIT_WITHOUT_TIMEOUT,
    UNUSED_VARIABLE,
    ASSIGNMENT_TO_CAPTURED,
    AWAIT_ON_FLOW,
    ENDLESS_LOOP,
    LOOP_END_NEVER_SET,
    NUMBER_AS_DURATION,
    DUPLICATE_DECLARATION,
    UNKNOWN_TYPE,
    DECLARATION_NAME_CLASH,
    ACTIVITY_ARGUMENT_COUNT,
    UNKNOWN_ACTIVITY_ARGUMENT,
    ARGUMENT_TYPE,
    UNKNOWN_FIELD,
    BINDING,
    TYPE_CYCLE,
    UNUSED_ACTIVITY,
    MACHINE_MEMBER,
    MACHINE_NAME_CLASH,
    SHAPE_FIELD,
    UNKNOWN_COMMAND,
    COMMAND_INPUT,
    FAIL_OUTSIDE_HANDLER_BODY,
    IMPURE_TRANSITION,
    MACHINE_CALL,
    HANDLER_AWAIT_WITHOUT_TIMEOUT,
    STATE_TYPE,
    SHAPE_VARIANT,
    TRIGGER,
    UNKNOWN_TRIGGER_FLOW,
    TRIGGER_EVENT,
    DUPLICATE_TRIGGER,
    SCHEDULE,
    TRIGGER_WHERE,
    TRIGGER_WHERE_NOT_BOOL,
];

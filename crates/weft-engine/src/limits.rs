//! Every limit of the engine, in one place. Each is enforced with a clear
//! error that names it; docs/language.md lists them for users.

/// Units of work a run may do in one segment (between two waits) before it
/// fails with a step-budget error: one per instruction, plus what the
/// instruction copies, visits or compares (see [`crate::work`]). Keeps
/// `while true {}` from running for ever; an operator's `retry` continues
/// with a fresh budget.
pub const STEP_BUDGET: u64 = 1_000_000;

/// Units of work a run does in one turn before it lets the other runs of
/// its node go first. A run still busy at the end of its turn is stored
/// with its branches ready and a timer due at once, and goes on in its next
/// turn; its segment (and step budget) goes on too.
pub const TIME_SLICE: u64 = 100_000;

/// Nesting of one value, as its stored form nests containers (see
/// [`crate::value::Shape::depth`]): deeper values would overflow the
/// thread's stack when written, read, compared or freed, and JSON readers
/// refuse them.
pub const VALUE_DEPTH_MAX: u32 = 64;

/// Expanded size of one value in bytes, about what it takes in memory with
/// nothing shared (see [`crate::value::Shape::bytes`]): shared parts count
/// each time they appear, because storing, reading back, sending and
/// comparing the value cost that much.
pub const VALUE_BYTES_MAX: u64 = 16 * 1024 * 1024;

/// Child runs one run holds at once: the sub-flows it has started that are
/// running, and the inline sub-flows whose results it may still read.
pub const CHILDREN_MAX: usize = 10_000;

/// Events a run takes (results, timers, callbacks, children ending) from
/// its start or from an operator's last retry: a run that loops on timers
/// for ever fails instead of writing journal entries for ever.
pub const RUN_EVENTS_MAX: u64 = 1_000_000;

/// Nested closure calls within one run (the call stack of one branch).
pub const FRAMES_MAX: usize = 256;

/// Nested sub-flow runs: a flow calling flows (or itself) this deep fails.
pub const FLOW_DEPTH_MAX: u32 = 64;

/// Bytes of JSON in one payload: a run's input, an activity's arguments or
/// result, a callback's value, a run's result.
pub const PAYLOAD_BYTES_MAX: usize = 1024 * 1024;

/// Elements in one list (and fields in one object).
pub const LIST_LEN_MAX: usize = 100_000;

/// Bytes in one string.
pub const STRING_BYTES_MAX: usize = 1024 * 1024;

/// Values on one branch's operand stack.
pub const STACK_MAX: usize = 10_000;

/// Concurrent branches (fibers) in one run.
pub const FIBERS_MAX: usize = 10_000;

/// Largest `n` of `@retry(n)`.
pub const RETRIES_MAX: u32 = 1_000;

/// Variables (slots) in one function.
pub const LOCALS_MAX: usize = 60_000;

/// Instructions in one function.
pub const CODE_MAX: usize = 4_000_000;

/// Arguments in one call.
pub const ARGS_MAX: usize = 64;

/// First delay of `@retry` when `backoff:` is not given.
pub const RETRY_BACKOFF_MS_DEFAULT: u64 = 1_000;

/// Longest delay between attempts when `maxBackoff:` is not given.
pub const RETRY_BACKOFF_MS_MAX_DEFAULT: u64 = 5 * 60 * 1_000;

/// Events in one ingestion (one `POST /v1/events` request, one batch a
/// source hands over): a larger list is refused whole, so one request
/// never holds the core for long.
pub const EVENTS_PER_INGEST_MAX: usize = 1_000;

/// Bytes of JSON in one event (its id, type, subject, data and source):
/// the event is a run's input for each trigger it matches, so it is
/// bounded like one ([`PAYLOAD_BYTES_MAX`] or less).
pub const EVENT_BYTES_MAX: usize = 256 * 1024;

/// Bytes in an event's id, type, subject or source.
pub const EVENT_NAME_BYTES_MAX: usize = 256;

//! Every limit of the engine, in one place. Each is enforced with a clear
//! error that names it; docs/language.md lists them for users.

/// Instructions a run may execute in one segment (between two waits) before
/// it fails with a step-budget error. Keeps `while true {}` from stalling
/// the engine; an operator's `retry` continues with a fresh budget.
pub const STEP_BUDGET: u64 = 1_000_000;

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

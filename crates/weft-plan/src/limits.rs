//! The plan format's limits; each error that one of them causes names it.

/// Largest plan file.
pub const PLAN_BYTES_MAX: usize = 1024 * 1024;
/// Most `[[place]]` tables in one plan.
pub const PLACES_MAX: usize = 10_000;
/// Longest activity name or pattern.
pub const PATTERN_BYTES_MAX: usize = 256;
/// Largest `concurrency` (and `ready_per_worker`).
pub const CONCURRENCY_MAX: u32 = 100_000;
/// Largest `rate`, in calls a second.
pub const RATE_PER_SECOND_MAX: u32 = 1_000_000;
/// Longest `timeout` or `oldest_ready`: a year.
pub const DURATION_MS_MAX: i64 = 365 * 86_400_000;
/// Smallest `memory` of an embedded component: one Wasm page.
pub const MEMORY_BYTES_MIN: u64 = 64 * 1024;
/// Largest `memory`: all a 32-bit Wasm memory can address.
pub const MEMORY_BYTES_MAX: u64 = 4 * 1024 * 1024 * 1024;
/// Most workers in a group (`max`).
pub const WORKERS_MAX: u32 = 10_000;
/// Longest worker group name: it becomes part of Kubernetes names
/// (`weft-NAME`, a DNS label of at most 63 characters).
pub const GROUP_NAME_MAX: usize = 50;

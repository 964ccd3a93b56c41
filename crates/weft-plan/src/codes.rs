//! The plan checker's diagnostic codes, documented in `docs/deploying.md`
//! ("Diagnostics"); a test keeps the two lists equal.

/// The file is not valid TOML.
pub const SYNTAX: &str = "P0001";
/// A key the plan format does not have (a misspelling, usually).
pub const UNKNOWN_KEY: &str = "P0002";
/// A value of the wrong kind, or out of range.
pub const BAD_VALUE: &str = "P0003";
/// A placement without a target, or with more than one.
pub const TARGET: &str = "P0004";
/// A placement without names or patterns, or with an empty one.
pub const ACTIVITIES: &str = "P0005";
/// `worker = "NAME"` names no `[workers.NAME]` table.
pub const UNKNOWN_GROUP: &str = "P0006";
/// A worker group's bounds or scaling rule make no sense.
pub const SCALING: &str = "P0007";
/// An embedded placement's component file does not exist.
pub const COMPONENT: &str = "P0008";
/// A limit that the placement's kind cannot enforce (warning).
pub const LIMIT_IGNORED: &str = "P0009";
/// A worker group no placement uses (warning).
pub const UNUSED_GROUP: &str = "P0010";
/// An activity the program calls has no placement (an error, or a warning
/// with `unplaced = "warn"`).
pub const UNPLACED: &str = "P0101";
/// `binding = "http"` (or `"grpc"`) on an activity whose declaration has
/// no such annotation.
pub const NO_BINDING: &str = "P0102";
/// A name or pattern that places no activity the program calls (warning).
pub const MATCHES_NOTHING: &str = "P0103";

/// Every code, in order.
pub const ALL: &[&str] = &[
    SYNTAX,
    UNKNOWN_KEY,
    BAD_VALUE,
    TARGET,
    ACTIVITIES,
    UNKNOWN_GROUP,
    SCALING,
    COMPONENT,
    LIMIT_IGNORED,
    UNUSED_GROUP,
    UNPLACED,
    NO_BINDING,
    MATCHES_NOTHING,
];

//! Facts about the language that several tools share: the built-in
//! functions and the annotations, with their arities and documentation.
//!
//! The checker validates calls against these tables, the language server
//! completes and documents from them, and the engine implements exactly
//! these names (a test there checks that every entry has an implementation).
//!
//! [`machine_call`] recognises the calls that talk to machines, for the
//! same tools.

mod machines;
pub use machines::{machine_call, MachineCall, MachineOp, HANDLE, MACHINE_VALUE};

/// How a built-in behaves at run time, as far as static tools care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinKind {
    /// Computes a value from its arguments; no effect, no waiting.
    Pure,
    /// Reads the clock; the value is recorded in the run's journal.
    Recorded,
    /// Waits durably (a timer).
    Timer,
    /// Runs branches concurrently and waits for them.
    Parallel,
    /// Calls closures one after another.
    Sequential,
}

/// A built-in function.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// Its name, as called.
    pub name: &'static str,
    /// Fewest arguments.
    pub args_min: usize,
    /// Most arguments (`usize::MAX` for variadic).
    pub args_max: usize,
    /// The signature as shown to users.
    pub signature: &'static str,
    /// One or two sentences for hovers and docs.
    pub doc: &'static str,
    /// Its kind.
    pub kind: BuiltinKind,
}

/// Every built-in function.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "append",
        args_min: 2,
        args_max: usize::MAX,
        signature: "append(list, item, ...) -> list",
        doc: "A new list: `list` followed by the items. The original list is unchanged.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "len",
        args_min: 1,
        args_max: 1,
        signature: "len(x) -> number",
        doc: "Elements of a list, fields of an object, or characters of a string.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "min",
        args_min: 1,
        args_max: usize::MAX,
        signature: "min(a, b, ...) -> value | min(list) -> value",
        doc: "The smallest of the arguments (or of the list's elements). Numbers, durations, times and strings compare.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "max",
        args_min: 1,
        args_max: usize::MAX,
        signature: "max(a, b, ...) -> value | max(list) -> value",
        doc: "The largest of the arguments (or of the list's elements).",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "range",
        args_min: 1,
        args_max: 3,
        signature: "range(end) | range(start, end) | range(start, end, step) -> list",
        doc: "The numbers from `start` (default 0) up to but not including `end`, by `step` (default 1).",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "keys",
        args_min: 1,
        args_max: 1,
        signature: "keys(object) -> list",
        doc: "The object's keys, in insertion order.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "values",
        args_min: 1,
        args_max: 1,
        signature: "values(object) -> list",
        doc: "The object's values, in insertion order.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "contains",
        args_min: 2,
        args_max: 2,
        signature: "contains(collection, x) -> bool",
        doc: "True when a list has an element equal to `x`, an object has the key `x`, or a string contains the substring `x`.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "string",
        args_min: 1,
        args_max: 1,
        signature: "string(x) -> string",
        doc: "`x` as text: strings as they are, durations as `2h30m`, times in RFC 3339, anything else as JSON.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "number",
        args_min: 1,
        args_max: 1,
        signature: "number(x) -> number",
        doc: "A number from a number, a numeric string, a boolean (0 or 1) or a duration (its milliseconds).",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "duration",
        args_min: 1,
        args_max: 1,
        signature: "duration(text | ms) -> duration",
        doc: "A duration from text such as `\"2hours\"` or from a number of milliseconds.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "time",
        args_min: 1,
        args_max: 1,
        signature: "time(text | ms) -> time",
        doc: "A time from RFC 3339 text (`\"2026-12-01T09:00:00Z\"`) or from milliseconds since the Unix epoch.",
        kind: BuiltinKind::Pure,
    },
    Builtin {
        name: "now",
        args_min: 0,
        args_max: 0,
        signature: "now() -> time",
        doc: "The current time. The value is recorded, so a resumed run sees the same value again.",
        kind: BuiltinKind::Recorded,
    },
    Builtin {
        name: "Sleep",
        args_min: 1,
        args_max: 1,
        signature: "Sleep(duration) -> null",
        doc: "Waits for the duration on a durable timer: the run holds no resources and the timer survives restarts.",
        kind: BuiltinKind::Timer,
    },
    Builtin {
        name: "WaitUntil",
        args_min: 1,
        args_max: 1,
        signature: "WaitUntil(time) -> time",
        doc: "Waits until the given time (a time, RFC 3339 text or epoch milliseconds) on a durable timer; returns the time.",
        kind: BuiltinKind::Timer,
    },
    Builtin {
        name: "WaitAll",
        args_min: 1,
        args_max: 1,
        signature: "WaitAll([branches]) -> {allSuccess, results, errors}",
        doc: "Runs the branches concurrently and waits for all of them. A call in the list that fails for good gives its error value `{status: \"error\", error}` in `results`; `errors` lists the error values; `allSuccess` is true when there are none.",
        kind: BuiltinKind::Parallel,
    },
    Builtin {
        name: "ParallelExecute",
        args_min: 1,
        args_max: 1,
        signature: "ParallelExecute([branches]) -> [results]",
        doc: "Runs the branches concurrently and returns their results in input order; the first failure fails the call.",
        kind: BuiltinKind::Parallel,
    },
    Builtin {
        name: "ParallelForEach",
        args_min: 2,
        args_max: 2,
        signature: "ParallelForEach(list, func(item) { ... }) -> [results]",
        doc: "Calls the function once per element, all concurrently, and returns the results in input order.",
        kind: BuiltinKind::Parallel,
    },
    Builtin {
        name: "WaitForAny",
        args_min: 1,
        args_max: 1,
        signature: "WaitForAny([branches]) -> value",
        doc: "Runs the branches concurrently, returns the first value to arrive and cancels the others. A timed-out branch arrives as `{status: \"timeout\", type: \"timeout\"}`.",
        kind: BuiltinKind::Parallel,
    },
    Builtin {
        name: "RunCompensations",
        args_min: 1,
        args_max: 1,
        signature: "RunCompensations([closures]) -> [results]",
        doc: "Calls each closure of the list, last first (a saga's undo). Returns their results in call order.",
        kind: BuiltinKind::Sequential,
    },
    // New built-ins go at the end: compiled programs refer to built-ins by
    // their position in this table.
    Builtin {
        name: "fail",
        args_min: 1,
        args_max: 1,
        signature: "fail(reason)",
        doc: "Stops here with `reason`. In a command handler, refuses the command: the sender gets the reason and the state is unchanged. In a flow, the run stops as failed with the reason, for an operator.",
        kind: BuiltinKind::Pure,
    },
];

/// The built-in called `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// An annotation that may follow a call.
#[derive(Clone, Copy, Debug)]
pub struct AnnotationSpec {
    /// Its name, without `@`.
    pub name: &'static str,
    /// How it is written.
    pub signature: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// Every annotation.
pub const ANNOTATIONS: &[AnnotationSpec] = &[
    AnnotationSpec {
        name: "retry",
        signature: "@retry(n, backoff: duration, maxBackoff: duration)",
        doc: "Up to `n` more attempts after a failed one, with exponential backoff and jitter (first delay `backoff`, default 1s, doubling up to `maxBackoff`, default 5m).",
    },
    AnnotationSpec {
        name: "timeout",
        signature: "@timeout(duration)",
        doc: "On a call, bounds each attempt (a timed-out attempt fails and may be retried). On an `await`, bounds the wait; the value is then `{status: \"timeout\", type: \"timeout\"}`. `null` and `\"continuous\"` mean no timeout.",
    },
    AnnotationSpec {
        name: "catch",
        signature: "@catch",
        doc: "When the call fails for good, it evaluates to `{status: \"error\", error: {message, attempts}}` instead of stopping the run.",
    },
];

/// The text that, given to `@timeout`, means "no timeout" (as `null`
/// does): the seed's last rollout stage lasts `"continuous"`.
pub const NO_TIMEOUT_TEXT: &str = "continuous";

/// The annotation called `name`.
pub fn annotation(name: &str) -> Option<&'static AnnotationSpec> {
    ANNOTATIONS.iter().find(|a| a.name == name)
}

/// Words with a meaning in the language, for completion and highlighting.
pub const KEYWORDS: &[&str] = &[
    "flow", "let", "var", "if", "else", "while", "for", "in", "return", "func", "await", "true",
    "false", "null", "break", "continue",
];

/// Words that start a declaration at the top level. They are contextual:
/// elsewhere they are ordinary names (`type` is a common field name).
pub const DECLARATION_KEYWORDS: &[&str] = &["activity", "type"];

/// The built-in types of declarations, with what each admits.
pub const TYPES: &[(&str, &str)] = &[
    ("string", "text"),
    ("number", "any number"),
    ("int", "a whole number"),
    ("bool", "`true` or `false`"),
    ("null", "`null`"),
    ("any", "any value (nothing is checked)"),
    (
        "duration",
        "a duration, or its JSON forms: text such as `\"2h\"` or milliseconds",
    ),
    (
        "time",
        "a time, or its JSON forms: RFC 3339 text or epoch milliseconds",
    ),
];

/// True when `name` is a built-in type.
pub fn is_builtin_type(name: &str) -> bool {
    TYPES.iter().any(|(n, _)| *n == name)
}

/// The suffix of the files a program carries that are not Weft: `.proto`
/// files, which `@grpc` bindings name and the server compiles.
pub const PROTO_FILE_SUFFIX: &str = ".proto";

/// True when a program's file `name` is Weft source (every file but the
/// `.proto` files of `@grpc` bindings).
pub fn is_weft_file(name: &str) -> bool {
    !name.ends_with(PROTO_FILE_SUFFIX)
}

/// An annotation that may follow an activity declaration.
pub const DECLARATION_ANNOTATIONS: &[AnnotationSpec] = &[AnnotationSpec {
    name: "http",
    signature: "@http(method: string, url: string, query: [names] | {param: \"wire\"}, headers: [names] | {param: \"Wire-Name\"}, body: \"param\")",
    doc: "Binds the activity to an HTTP endpoint: the server calls it directly. `{name}` in the URL is replaced by the parameter `name`; `query` and `headers` list the parameters sent there (optionally under another name); `body` names the parameter sent as the JSON body.",
}, AnnotationSpec {
    name: "grpc",
    signature: "@grpc(target: \"http://host:port\", proto: \"file.proto\", service: \"package.Service\", method: \"Method\", fields: {param: \"field\"}, request: \"param\")",
    doc: "Binds the activity to a unary gRPC method: the server calls it directly. The parameters are the request message's fields (`fields` renames them; `request` names the one parameter that is the whole message); `proto` is the `.proto` file defining the service, deployed with the program.",
}];

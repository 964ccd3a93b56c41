//! A Python worker over the HTTP API, standard library only (like
//! `examples/workers/python/worker.py`): `TypedDict`s for the declared
//! types and each activity's parameters, one function per activity that
//! raises `Permanent("not implemented: Name")` until written, and the
//! loop that takes tasks from the task stream (long polls on a server
//! without one), runs them and reports, with back-off. The same types,
//! handlers and `bind` with another header make a WebAssembly component's
//! source (`Python<true>`; its end is `wasm.rs`'s).

use crate::emit::{Gen, Language, Prepared};
use crate::model::Model;
use crate::naming::{is_plain, pascal, quote, snake};
use std::fmt::Write as _;
use weft_check::contract::types::{Field, Type};

const KEYWORDS: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "main",
    "bind",
    "log",
    "serve_tasks",
    "take_from_stream",
    "take_by_polling",
    "no_stream",
    "take_tasks",
];

/// The language (see [`Language`]). `WASM` says what the file is: a
/// worker over the HTTP API (`false`), or a WebAssembly component's source
/// (`weft stubs --lang wasm-python`, `wasm.rs`), which shares the types,
/// the handlers and `bind` but has its own header and end.
pub(crate) struct Python<const WASM: bool>;

/// The generated `worker.py`.
pub fn generate(model: &Model) -> String {
    let (mut out, table) = Gen::<Python<false>>::new(model).worker(model);
    let names: Vec<String> = model.activities.iter().map(|a| quote(&a.name)).collect();
    let _ = write!(
        out,
        "\n\nHANDLERS = {{\n{table}}}\nACTIVITIES = [{}]\n",
        names.join(", ")
    );
    out.push_str(LOOP);
    out
}

impl<const WASM: bool> Language for Python<WASM> {
    const HEADER: &'static str = if WASM { WASM_HEADER } else { HEADER };
    const ACTIVITIES: &'static str = "\n\n# ----- the activities: fill these in -----\n";

    fn declared_type(g: &mut Gen<Self>, name: &str, ty: &Type) {
        let py = pascal(name);
        match ty {
            Type::Object { fields, open } => {
                let def = g.typed_dict(&py, fields, *open, &format!("The type `{name}`."));
                g.defs.push(def);
            }
            other => {
                let t = g.ty(other, &format!("{py}Value"));
                g.defs
                    .push(format!("{py} = {t}  # the type `{name}`: `{other}`\n"));
            }
        }
    }

    fn activity(g: &mut Gen<Self>, p: Prepared<'_>, handlers: &mut String, table: &mut String) {
        let a = p.activity;
        let params_name = &p.params_name;
        let def = g.typed_dict(params_name, &p.fields, false, &p.params_doc("not declared"));
        g.defs.push(def);
        let result = g.ty(&a.result, &format!("{}Result", p.base));
        let func = p.function(snake(&a.name), |f| KEYWORDS.contains(&f), "_activity");
        let _ = writeln!(handlers, "\n");
        if a.awaited && WASM {
            let _ = writeln!(
                handlers,
                "def {func}(ctx: Ctx, params: {params_name}) -> None:\n    \"\"\"`{}` is awaited: returning acknowledges the call, and the wait ends\n    with a callback (value: `{result}`) that a component cannot send (it has\n    no network): place awaited activities on workers (docs/wasm.md).\"\"\"",
                a.name
            );
        } else if a.awaited {
            let _ = writeln!(
                handlers,
                "def {func}(ctx: Ctx, params: {params_name}) -> None:\n    \"\"\"`{}` is awaited: start the work and return; later, complete the\n    wait with `ctx.callback(value)` (value: `{result}`), from anywhere\n    holding `ctx.callback_token`.\"\"\"",
                a.name
            );
        } else {
            let _ = writeln!(
                handlers,
                "def {func}(ctx: Ctx, params: {params_name}) -> {result}:\n    \"\"\"`{}`.\"\"\"",
                a.name
            );
        }
        let _ = writeln!(handlers, "    raise Permanent({})", p.not_implemented());
        let params = p.binding(|name, optional| {
            format!("({name}, {})", if optional { "True" } else { "False" })
        });
        let _ = writeln!(table, "    {}: ({func}, [{params}]),", quote(&a.name));
    }
}

impl<const WASM: bool> Gen<Python<WASM>> {
    /// The annotation for `t`; inline objects become `TypedDict`s named
    /// after `hint`. Named types are quoted (forward references).
    pub(crate) fn ty(&mut self, t: &Type, hint: &str) -> String {
        match t {
            Type::String => "str".into(),
            // A choice is a str here; the checker checks the literals.
            Type::Literal(_) => "str".into(),
            Type::Number => "float".into(),
            Type::Int => "int".into(),
            Type::Bool => "bool".into(),
            Type::Null => "None".into(),
            Type::Any | Type::Duration | Type::Time => "Any".into(),
            Type::List(inner) => format!("list[{}]", self.ty(inner, &format!("{hint}Item"))),
            Type::Named(n) => quote(&pascal(n)),
            Type::Object { fields, open } => {
                let name = self.defs.fresh(hint);
                let def = self.typed_dict(&name, fields, *open, "");
                self.defs.push(def);
                quote(&name)
            }
            Type::Union(members) => {
                let ms: Vec<String> = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| self.ty(m, &format!("{hint}{}", i + 1)))
                    .collect();
                format!("Union[{}]", ms.join(", "))
            }
        }
    }

    /// A `TypedDict` in the functional form, which allows any key.
    pub(crate) fn typed_dict(
        &mut self,
        name: &str,
        fields: &[Field],
        open: bool,
        doc: &str,
    ) -> String {
        let mut entries = Vec::new();
        for f in fields {
            let mut t = self.ty(&f.ty, &format!("{name}{}", pascal(&f.name)));
            if f.optional {
                t = format!("NotRequired[{t}]");
            }
            entries.push(format!("    {}: {t},", quote(&f.name)));
        }
        let mut out = String::new();
        if !doc.is_empty() {
            let _ = writeln!(out, "# {doc}");
        }
        if open {
            let _ = writeln!(out, "# Open: other fields may be present too.");
        }
        if entries.is_empty() {
            let _ = writeln!(out, "{name} = TypedDict({}, {{}})", quote(name));
        } else {
            let _ = writeln!(
                out,
                "{name} = TypedDict({}, {{\n{}\n}})",
                quote(name),
                entries.join("\n")
            );
        }
        debug_assert!(is_plain(name));
        out
    }
}

/// `bind` and the types' heading, which end both headers (the worker's
/// and the component's).
macro_rules! bind_and_types {
    () => {
        r#"

def bind(args, params):
    """A call's arguments by parameter name (docs/language.md, "How a
    declared activity receives its arguments"): positional ones first, then
    one object of the named ones, if any."""
    if not isinstance(args, list):
        raise Permanent("the arguments are not a list")
    if args and isinstance(args[-1], dict):
        named, positional = args[-1], args[:-1]
        k = len(positional)
        later = [name for name, _ in params[k:]]
        if (
            k < len(params)
            and all(key in later for key in named)
            and all(opt or i < k or name in named for i, (name, opt) in enumerate(params))
        ):
            out = {params[i][0]: v for i, v in enumerate(positional)}
            out.update(named)
            return out
    if len(args) > len(params):
        raise Permanent(f"{len(args)} arguments were given; the activity takes {len(params)}")
    for i, (name, opt) in enumerate(params):
        if not opt and i >= len(args):
            raise Permanent(f"the argument `{name}` is missing")
    return {params[i][0]: v for i, v in enumerate(args)}


# ----- the types -----
"#
    };
}

const HEADER: &str = concat!(
    r#"#!/usr/bin/env python3
"""A Weft worker, generated by `weft stubs --lang python`: standard library only.

    python3 worker.py [URL] [--token-file FILE]

URL defaults to $WEFT_URL or http://127.0.0.1:7400. Each activity below
fails with "not implemented" until you write it: return its result, raise
Permanent for a failure that retrying cannot fix, or any other exception
for one worth retrying. Activities run at least once: deduplicate on
ctx.call_id. The protocol is in docs/workers.md.
"""

import http.client
import json
import os
import random
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional, TypedDict, Union

try:
    from typing import NotRequired
except ImportError:  # Python < 3.11
    NotRequired = Optional

STREAM_MAX = 8  # tasks the task stream may hold unreported (the server's credit)
STREAM_SILENCE_MAX = 20.0  # seconds without a line (a heartbeat comes every 5 s): open anew
POLL_WAIT_MS = 20_000  # a long poll: the server answers as soon as a task arrives
POLL_MAX = 8  # tasks per poll, on a server without the task stream
BACKOFF_MIN, BACKOFF_MAX = 0.1, 10.0  # seconds between tries while the server is away
REPORT_RETRY_MAX = 60.0  # seconds to keep trying to report one result
REPORT_HOLD_MAX = 0.02  # seconds a finished result may wait for others to share its request
RESULTS_PER_REQUEST_MAX = 256  # the server's limit for POST /v1/tasks/results
DEBUG = os.environ.get("WEFT_WORKER_LOG") == "debug"


def log(msg):
    print(f"weft-worker: {msg}", file=sys.stderr, flush=True)


def debug(msg):
    if DEBUG:
        log(msg)


class Permanent(Exception):
    """A failure retrying cannot fix: reported with retryable: false."""


class ApiError(Exception):
    """The server answered with an error."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status

    @property
    def transient(self):
        return self.status >= 500 or self.status in (408, 429)


class Unreachable(Exception):
    """No answer: the server is down or unreachable."""

    transient = True


class Weft:
    def __init__(self, url, token=None):
        self.url, self.token = url.rstrip("/"), token

    def request(self, path, body, timeout=30.0, auth=True):
        """The answer to a POST, open: its body is the caller's to read and
        close. `timeout` bounds each wait for bytes, not the whole answer."""
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"content-type": "application/json"},
        )
        if auth and self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            return urllib.request.urlopen(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            raise ApiError(e.code, e.read().decode(errors="replace")) from None
        except (urllib.error.URLError, OSError) as e:
            raise Unreachable(str(getattr(e, "reason", e))) from None

    def open_two_way(self, terms, timeout):
        """Opens a two-way task stream (docs/workers.md): its answer, open,
        and the connection whose request body stays open for reports."""
        u = urllib.parse.urlsplit(self.url)
        https = u.scheme == "https"
        conn = (http.client.HTTPSConnection if https else http.client.HTTPConnection)(
            u.hostname, u.port or (443 if https else 80), timeout=timeout
        )
        try:
            conn.putrequest("POST", u.path + "/v1/tasks/stream", skip_accept_encoding=True)
            conn.putheader("Content-Type", "application/x-ndjson")
            conn.putheader("Transfer-Encoding", "chunked")
            if self.token:
                conn.putheader("Authorization", "Bearer " + self.token)
            conn.endheaders()
            send_line(conn, terms)
            # The answer starts as soon as the terms are in: it can be read
            # while the body is still being written.
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise Unreachable(str(e)) from None
        if resp.status != 200:
            text = resp.read().decode(errors="replace")
            conn.close()
            raise ApiError(resp.status, text)
        return resp, conn

    def post(self, path, body, timeout=30.0, auth=True):
        with self.request(path, body, timeout, auth) as resp:
            try:
                raw = resp.read()
            except (OSError, http.client.HTTPException) as e:
                raise Unreachable(str(e)) from None
            return json.loads(raw) if raw.strip() else None


def send_line(conn, obj):
    """Writes `obj` as one line, in one chunk, down a request body."""
    line = json.dumps(obj).encode() + b"\n"
    conn.send(b"%x\r\n" % len(line) + line + b"\r\n")


class Ctx:
    """What a handler knows about its task."""

    def __init__(self, task, weft):
        self.task, self.weft = task, weft
        self.call_id = task["callId"]
        self.run_id = task["runId"]
        self.attempt = task["attempt"]
        self.callback_token = task.get("callbackToken")

    def callback(self, value):
        """Completes an awaited call (the token is the credential)."""
        quoted = urllib.parse.quote(self.callback_token, safe="")
        self.weft.post(f"/v1/callbacks/{quoted}", {"value": value}, auth=False)
"#,
    bind_and_types!()
);

/// The start of a component's `guest.py` (`weft stubs --lang
/// wasm-python`, `wasm.rs`), up to its types.
const WASM_HEADER: &str = concat!(
    r#""""A Weft activity component, generated by `weft stubs --lang wasm-python`.

Build it with componentize-py (PyPI) against the host's WIT
(crates/weft-wasm/wit in Weft's source; docs/wasm.md):

    componentize-py -d WIT_DIR -w activity componentize guest -o guest.wasm

and place its activities on guest.wasm in the deployment plan. Each
activity fails with "not implemented" until you write it: return its
result, raise Permanent for a failure that retrying cannot fix, or any other
exception for one worth retrying. A component has no network and no file
system; an instance serves many calls one after another, so keep nothing
between calls that a call relies on. Activities run at least once:
deduplicate on ctx.call_id.
"""

import json
from typing import Any, Optional, TypedDict, Union

import wit_world
from componentize_py_types import Err
from wit_world.imports.types import Call, Failure

try:
    from typing import NotRequired
except ImportError:  # Python < 3.11
    NotRequired = Optional


class Permanent(Exception):
    """A failure retrying cannot fix: reported with retryable: false."""


class Ctx:
    """What a handler knows about its call."""

    def __init__(self, call: Call):
        self.activity = call.activity
        self.call_id = call.call_id
        self.run_id = call.run_id
        self.attempt = call.attempt
        self.deadline_ms = call.deadline_ms  # ms since the Unix epoch
"#,
    bind_and_types!()
);

const LOOP: &str = r#"

# ----- the loop -----


def sleep_backoff(delay):
    """Sleeps about `delay` (half fixed, half random); returns the next delay."""
    time.sleep(delay / 2 + random.uniform(0, delay / 2))
    return min(delay * 2, BACKOFF_MAX)


def report(weft, task, path, body):
    """Reports a result, retrying while the server is away; 404 is fine."""
    delay, started = BACKOFF_MIN, time.monotonic()
    tid = urllib.parse.quote(task["taskId"], safe="")
    while True:
        try:
            weft.post(f"/v1/tasks/{tid}/{path}", body)
            return
        except ApiError as e:
            if e.status == 404 or not e.transient:
                log(f"task {task['taskId']}: the report was not taken: {e}")
                return
            err = e
        except Unreachable as e:
            err = e
        if time.monotonic() - started > REPORT_RETRY_MAX:
            log(f"task {task['taskId']}: gave up reporting ({err})")
            return
        delay = sleep_backoff(delay)


class Reporter:
    """Sends finished results together: down the two-way task stream while
    one is open (`stream`, the connection of its body), else in one
    POST /v1/tasks/results.

    Handlers run one after another, so a result waits for the poll's other
    tasks, but never longer than REPORT_HOLD_MAX: a slow handler does not
    hold back the results before it. A server without the endpoint (an
    older build answers 404 no_such_path) gets one report per task from then
    on; any other failure of the request is retried per task, as before.
    Once the worker is stopping, results go in requests: the stream closes
    after them, and a line still on its way when it closes could be lost.
    """

    def __init__(self, weft, state):
        self.weft, self.pending, self.since, self.batching = weft, [], 0.0, True
        self.state, self.stream = state, None

    def add(self, task, result):
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((task, result))
        if len(self.pending) >= RESULTS_PER_REQUEST_MAX:
            self.flush()

    def due(self):
        return self.pending and time.monotonic() - self.since >= REPORT_HOLD_MAX

    def flush(self):
        pending, self.pending = self.pending, []
        if not pending:
            return
        if self.stream is not None and not self.state["stop"]:
            results = [dict(result, taskId=task["taskId"]) for task, result in pending]
            try:
                send_line(self.stream, {"results": results})
                debug(f"reported {len(pending)} result(s) down the task stream")
                return
            except OSError as e:
                debug(f"the task stream failed ({e}): reporting in a request")
                self.stream = None
        answers = []
        if self.batching:
            body = {"results": [dict(result, taskId=task["taskId"]) for task, result in pending]}
            try:
                answers = (self.weft.post("/v1/tasks/results", body) or {}).get("results", [])
                debug(f"reported {len(pending)} result(s) in one request")
            except ApiError as e:
                if e.status == 404 and "no_such_path" in str(e):
                    log("the server has no /v1/tasks/results: reporting each task on its own")
                    self.batching = False
                else:
                    debug(f"the results request failed ({e}): reporting each task on its own")
            except Unreachable as e:
                debug(f"the results request failed ({e}): reporting each task on its own")
        for i, (task, result) in enumerate(pending):
            answer = answers[i] if i < len(answers) else {}
            if answer.get("status") == "accepted":
                continue
            if answer.get("error", {}).get("code") == "unknown_task":
                log(f"task {task['taskId']}: the report was not taken: {answer['error']}")
                continue
            report(self.weft, task, "complete" if "value" in result else "fail", result)


def run_task(weft, task):
    """Runs a task's handler; its outcome as a result of POST /v1/tasks/results."""
    handler, params = HANDLERS.get(task["activity"], (None, []))
    try:
        if handler is None:
            raise Permanent(f"no handler for {task['activity']}")
        value = handler(Ctx(task, weft), bind(task["args"], params))
    except Permanent as e:
        return {"error": str(e), "retryable": False}
    except Exception as e:  # a bug or a flaky dependency: worth a retry
        return {"error": f"{type(e).__name__}: {e}", "retryable": True}
    return {"value": value}


def serve_tasks(weft, tasks, reporter, state):
    """Runs tasks one after another and reports their results."""
    state["busy"] = True
    for task in tasks:
        if reporter.due():
            reporter.flush()
        reporter.add(task, run_task(weft, task))
    reporter.flush()
    state["busy"] = False


def take_from_stream(weft, name, reporter, state, two_way):
    """Serves the tasks the server pushes down one task stream
    (POST /v1/tasks/stream, one JSON object per line) until the stream ends,
    falls silent for STREAM_SILENCE_MAX, or the worker is stopped; on a
    two-way stream the results go down its request body. Closing it gives
    any task not yet reported back to the server at once."""
    body = {"activities": ACTIVITIES, "worker": name, "max": STREAM_MAX}
    conn = None
    if two_way:
        stream, conn = weft.open_two_way(body, STREAM_SILENCE_MAX)
        reporter.stream = conn
    else:
        stream = weft.request("/v1/tasks/stream", body, timeout=STREAM_SILENCE_MAX)
    debug("the task stream is open" + (" (two-way)" if two_way else ""))
    try:
        for line in stream:
            if line.strip():
                msg = json.loads(line)
                for r in msg.get("rejected") or []:
                    log(f"task {r.get('taskId')}: the report was not taken: {r.get('error')}")
                if msg.get("error"):
                    log(f"a report line was refused: {msg['error']}")
                serve_tasks(weft, msg.get("tasks") or [], reporter, state)
            if state["stop"]:
                return
    except (OSError, http.client.HTTPException, ValueError) as e:
        debug(f"the task stream ended: {e}")
    finally:
        reporter.stream = None
        stream.close()
        if conn is not None:
            conn.close()


def take_by_polling(weft, name, reporter, state):
    """Serves the tasks of one long poll (POST /v1/tasks/poll)."""
    answer = weft.post(
        "/v1/tasks/poll",
        {"activities": ACTIVITIES, "worker": name, "max": POLL_MAX, "waitMs": POLL_WAIT_MS},
        timeout=POLL_WAIT_MS / 1000 + 10,
    )
    tasks = (answer or {}).get("tasks", [])
    serve_tasks(weft, tasks, reporter, state)
    if not tasks:
        time.sleep(0.25)


def no_stream(e):
    """Whether the server cannot give this worker a stream: an older build
    (404 no_such_path), or one with all its streams taken."""
    text = str(e)
    return (e.status == 404 and "no_such_path" in text) or (
        e.status == 503 and "too_many_streams" in text
    )


def take_tasks(weft, name, state):
    """Takes tasks until stopped: from the task stream, or by long polls on a
    server without one; the exit status."""
    reporter = Reporter(weft, state)
    streaming, two_way, delay = True, True, BACKOFF_MIN
    while not state["stop"]:
        try:
            if streaming:
                take_from_stream(weft, name, reporter, state, two_way)
                time.sleep(BACKOFF_MIN)  # an ended stream is opened again, not in a tight loop
            else:
                take_by_polling(weft, name, reporter, state)
            delay = BACKOFF_MIN
        except (ApiError, Unreachable) as e:
            if streaming and two_way and isinstance(e, ApiError) and e.status == 415:
                log("no two-way task stream (an older server): reporting in requests")
                two_way = False
                continue
            if streaming and isinstance(e, ApiError) and no_stream(e):
                log(f"no task stream ({e}): polling instead")
                streaming = False
                continue
            if not e.transient:
                log(f"stopped taking tasks: {e}")
                return 1
            delay = sleep_backoff(delay)
    return 0


def main(argv):
    url = os.environ.get("WEFT_URL", "http://127.0.0.1:7400")
    token_file = os.environ.get("WEFT_TOKEN_FILE")
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--token-file" and args:
            token_file = args.pop(0)
        elif a.startswith(("http://", "https://")):
            url = a
        else:
            print(__doc__, file=sys.stderr)
            return 2
    token = open(token_file).read().strip() if token_file else None
    name = f"python-{os.getpid()}"
    state = {"busy": False, "stop": False}

    def on_term(signum, frame):
        state["stop"] = True
        if not state["busy"]:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    log(f"{name} takes tasks from {url} for {', '.join(ACTIVITIES)}")
    return take_tasks(Weft(url, token), name, state)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
"#;

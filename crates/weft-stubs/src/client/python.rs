//! The Python client (`client.py`): standard library only, Python 3.11+.
//! `TypedDict`s for the declared types, each machine's state and each
//! command's input; a class per machine (`client.Counter("k").Add(...)`,
//! `client.Counter.find(...)`) and one for the flows
//! (`client.flows.CountOrder(...)`), over one HTTP helper that retries
//! with the same `commandId` or idempotency key.

use std::fmt::Write as _;

use weft_check::contract::types::Type;

use super::{ident, ClientModel};
use crate::emit::{Gen, Language};
use crate::naming::{pascal, quote};
use crate::python::Python;

/// Python keywords, and the names the generated classes use themselves.
const RESERVED: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "get", "find", "history", "key", "flows", "url", "token", "attempts",
    "timeout",
];

/// The generated `client.py`.
pub fn generate(model: &ClientModel) -> String {
    let types = model.type_model();
    let mut g = Gen::<Python<false>>::new(&types);
    for (name, ty) in &model.types {
        Python::declared_type(&mut g, name, ty);
    }
    let mut classes = String::new();
    let mut attrs = String::new();
    for m in &model.machines {
        let base = pascal(&m.name);
        let state = match &m.state {
            Some(t) => {
                let name = g.defs.fresh(&format!("{base}State"));
                define(&mut g, &name, t, &format!("The state of `{}`.", m.name))
            }
            None => "Any".to_string(),
        };
        let instance = g.defs.fresh(&format!("{base}Instance"));
        let machine = g.defs.fresh(&format!("{base}Machine"));
        let mname = quote(&m.name);
        let _ = write!(
            classes,
            "\n\nclass {instance}:\n    \"\"\"An instance of the machine `{}`, by its key.\"\"\"\n\n    def __init__(self, http: _Http, key: str) -> None:\n        self._http = http\n        self.key = key\n",
            m.name
        );
        for c in &m.commands {
            let method = ident(&c.name, RESERVED);
            let cname = quote(&c.name);
            match &c.input {
                Some(t) => {
                    let input = g.defs.fresh(&format!("{base}{}Input", pascal(&c.name)));
                    let ty = define(
                        &mut g,
                        &input,
                        t,
                        &format!("The input of `{}.{}`.", m.name, c.name),
                    );
                    let _ = write!(
                        classes,
                        "\n    def {method}(self, input: {ty}, command_id: Optional[str] = None) -> Result[Instance[{state}]]:\n        \"\"\"Sends `{}`: the instance once it is applied, or the error\n        (`command_refused`: the handler's `reason`).\"\"\"\n        return self._http.command({mname}, self.key, {cname}, input, command_id)\n",
                        c.name
                    );
                }
                None => {
                    let _ = write!(
                        classes,
                        "\n    def {method}(self, command_id: Optional[str] = None) -> Result[Instance[{state}]]:\n        \"\"\"Sends `{}` (it takes no input): the instance once it is applied,\n        or the error (`command_refused`: the handler's `reason`).\"\"\"\n        return self._http.command({mname}, self.key, {cname}, None, command_id)\n",
                        c.name
                    );
                }
            }
        }
        let _ = write!(
            classes,
            "\n    def get(self) -> Result[Instance[{state}]]:\n        \"\"\"The instance (`unknown_instance` before its first command).\"\"\"\n        return self._http.get({mname}, self.key)\n\n    def history(self, after: Optional[int] = None, limit: Optional[int] = None) -> Result[dict]:\n        \"\"\"A page of its finished commands: `{{\"items\": [...], \"next\"}}`.\"\"\"\n        return self._http.history({mname}, self.key, after, limit)\n"
        );
        let _ = write!(
            classes,
            "\n\nclass {machine}:\n    \"\"\"The machine `{}`: `machine(key)` addresses an instance.\"\"\"\n\n    def __init__(self, http: _Http) -> None:\n        self._http = http\n\n    def __call__(self, key: str) -> {instance}:\n        return {instance}(self._http, key)\n\n    def find(self, where: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> Result[Page[{state}]]:\n        \"\"\"The instances whose state fits `where` (an expression such as\n        `state.total > 10`), by key, `limit` at a time from `cursor`.\"\"\"\n        return self._http.find({mname}, where, limit, cursor)\n",
            m.name
        );
        let _ = writeln!(
            attrs,
            "        self.{}: {machine} = {machine}(self._http)",
            ident(&m.name, RESERVED)
        );
    }
    let mut flows = String::from(
        "\n\nclass Flows:\n    \"\"\"The program's flows: each method starts a run.\"\"\"\n\n    def __init__(self, http: _Http) -> None:\n        self._http = http\n",
    );
    for f in &model.flows {
        let _ = write!(
            flows,
            "\n    def {}(self, input: Any = None, idempotency_key: Optional[str] = None, wait: Optional[str] = \"30s\") -> Result[dict]:\n        \"\"\"Starts `{f}` and waits up to `wait` for its end: the run\n        (`status`, `result`, `error`).\"\"\"\n        return self._http.start({}, input, idempotency_key, wait)\n",
            ident(f, RESERVED),
            quote(f)
        );
    }
    let mut out = String::from(HEADER);
    for d in &g.defs.list {
        out.push('\n');
        out.push_str(d);
    }
    out.push_str(&classes);
    out.push_str(&flows);
    out.push_str(CLIENT);
    out.push_str(&attrs);
    out.push_str("        self.flows = Flows(self._http)\n");
    out
}

/// Defines `t` under `name` (a `TypedDict` for an object, an alias
/// otherwise); the annotation to use.
fn define(g: &mut Gen<Python<false>>, name: &str, t: &Type, doc: &str) -> String {
    match t {
        Type::Object { fields, open } => {
            let def = g.typed_dict(name, fields, *open, doc);
            g.defs.push(def);
            quote(name)
        }
        other => g.ty(other, name),
    }
}

const HEADER: &str = r#""""A Weft client, generated by `weft stubs --client --lang python`: the
program's machines and flows over the HTTP API, standard library only
(Python 3.11+).

    client = Client("http://127.0.0.1:7400")   # or WEFT_URL; WEFT_TOKEN if needed
    r = client.Counter("apples").Add({"n": 2})
    if r.ok:
        print(r.value.state["total"], r.value.version)
    else:
        print(r.error.code, r.error.message, r.error.reason)

Errors are values: every call returns a Result (`ok`, `value`, `error`) and
raises nothing for what the server answers or for a server it cannot reach.
A command carries a commandId (one is made when you give none) and is sent
again with the same id while no final answer comes (no connection, 5xx,
429, or 202 while it waits its turn): the server applies it once. A flow is
started with an idempotency key the same way. See docs/machines.md.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Generic, NotRequired, Optional, TypedDict, TypeVar, Union

T = TypeVar("T")
U = TypeVar("U")


@dataclass
class Error:
    """Why a call did not succeed. `status` is the HTTP status (0: no answer
    arrived), `code` the API's error code (docs/api-errors.md), `reason`
    what a refusing handler passed to `fail`."""

    status: int
    code: str
    message: str
    reason: Any = None
    details: Any = None


@dataclass
class Instance(Generic[T]):
    """An instance of a machine: its key, its state, and its version (the
    number of commands applied to it)."""

    key: str
    state: T
    version: int


@dataclass
class Page(Generic[T]):
    """A page of a query, and the cursor of the next (None at the end)."""

    items: list[Instance[T]]
    next: Optional[str]


@dataclass
class Result(Generic[T]):
    """A value, or an error."""

    value: Optional[T] = None
    error: Optional[Error] = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def then(self, on_ok: Callable[[T], U], on_error: Optional[Callable[[Error], U]] = None) -> Optional[U]:
        """The seed's `OnOk`: `on_ok(value)` on success, else `on_error(error)`."""
        if self.error is None:
            return on_ok(self.value)  # type: ignore[arg-type]
        return on_error(self.error) if on_error is not None else None


# Answers worth sending the same request again for (with the same
# commandId or idempotency key, so nothing happens twice).
_AGAIN = (0, 202, 429, 500, 502, 503, 504)


def _body(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"error": {"code": "invalid_answer", "message": raw[:200].decode("utf-8", "replace")}}


def _error(status: int, doc: Any) -> Error:
    if status == 202 and isinstance(doc, dict):
        return Error(status, "pending", "the command is %s; send it again with its commandId %s" % (doc.get("status"), doc.get("commandId")), details=doc)
    e = doc.get("error") if isinstance(doc, dict) else None
    if not isinstance(e, dict):
        return Error(status, "invalid_answer", "HTTP %d: %r" % (status, doc))
    return Error(status, str(e.get("code", "")), str(e.get("message", "")), e.get("reason"), e)


def _instance(doc: Any) -> Instance[Any]:
    return Instance(doc["key"], doc.get("state"), doc["version"])


class _Http:
    """Requests to one server, with retries of what may be transient."""

    def __init__(self, url: Optional[str], token: Optional[str], attempts: int, timeout: float) -> None:
        self.url = (url or os.environ.get("WEFT_URL") or "http://127.0.0.1:7400").rstrip("/")
        self.token = token if token is not None else os.environ.get("WEFT_TOKEN")
        self.attempts = max(1, attempts)
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request: (status, JSON answer); status 0 when none arrived."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if self.token:
            req.add_header("authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, _body(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, _body(e.read())
        except (urllib.error.URLError, OSError) as e:
            return 0, {"error": {"code": "unreachable", "message": "%s%s: %s" % (self.url, path, e)}}

    def call(self, method: str, path: str, body: Any, read: Callable[[Any], Any]) -> Result[Any]:
        """Sends until a final answer, or `attempts` times."""
        delay = 0.1
        for attempt in range(self.attempts):
            status, doc = self.request(method, path, body)
            if status in (200, 201):
                return Result(value=read(doc))
            if status not in _AGAIN or attempt + 1 == self.attempts:
                return Result(error=_error(status, doc))
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    def command(self, machine: str, key: str, command: str, input: Any, command_id: Optional[str]) -> Result[Any]:
        body = {"commandId": command_id or str(uuid.uuid4())}
        if input is not None:
            body["input"] = input
        return self.call("POST", "/v1/machines/%s/%s/%s" % (_seg(machine), _seg(key), _seg(command)), body, _instance)

    def get(self, machine: str, key: str) -> Result[Any]:
        return self.call("GET", "/v1/machines/%s/%s" % (_seg(machine), _seg(key)), None, _instance)

    def history(self, machine: str, key: str, after: Optional[int], limit: Optional[int]) -> Result[Any]:
        q = _query(after=after, limit=limit)
        return self.call("GET", "/v1/machines/%s/%s/history%s" % (_seg(machine), _seg(key), q), None, lambda d: d)

    def find(self, machine: str, where: Optional[str], limit: Optional[int], cursor: Optional[str]) -> Result[Any]:
        q = _query(where=where, limit=limit, cursor=cursor)
        return self.call("GET", "/v1/machines/%s%s" % (_seg(machine), q), None, lambda d: Page([_instance(i) for i in d["items"]], d.get("next")))

    def start(self, flow: str, input: Any, idempotency_key: Optional[str], wait: Optional[str]) -> Result[Any]:
        body = {"flow": flow, "input": input, "idempotencyKey": idempotency_key or str(uuid.uuid4())}
        if wait is not None:
            body["wait"] = wait
        return self.call("POST", "/v1/runs", body, lambda d: d)


def _seg(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def _query(**params: Any) -> str:
    given = {k: str(v) for k, v in params.items() if v is not None}
    return "?" + urllib.parse.urlencode(given) if given else ""
"#;

const CLIENT: &str = r#"

class Client:
    """The program's machines (one attribute each) and flows (`flows`).
    `attempts`: how often a call is sent while no final answer comes;
    `timeout`: seconds per request (a command's sender waits up to 30 s
    for its turn on the server)."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, attempts: int = 5, timeout: float = 60.0) -> None:
        self._http = _Http(url, token, attempts, timeout)
"#;

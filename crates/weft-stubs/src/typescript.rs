//! A TypeScript worker over the HTTP API for Node 20, with no dependencies
//! (plain `fetch`): interfaces for the declared types and each activity's
//! parameters, one `async` function per activity that throws
//! `Permanent("not implemented: Name")` until written, and the loop that
//! takes tasks from the task stream (long polls on a server without one),
//! runs them and reports, with back-off.

use crate::emit::{Gen, Language, Prepared};
use crate::model::Model;
use crate::naming::{is_plain, pascal, quote};
use std::fmt::Write as _;
use weft_check::contract::types::{Field, Type};

/// Words a function may not be named in TypeScript, and the names the
/// generated file uses itself.
pub(crate) const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "await",
    "main",
    "post",
    "bind",
    "report",
    "sleep",
    "runTask",
    "takeFromStream",
    "takeByPolling",
    "noStream",
    "stop",
    "stopping",
    "running",
];

/// The language (see [`Language`]).
pub(crate) struct TypeScript;

/// A language whose types are written in TypeScript's notation: the
/// worker, and the JavaScript guest's JSDoc (`wasm.rs`).
pub(crate) trait TypeNotation: Language {}

impl TypeNotation for TypeScript {}

/// The generated `worker.ts`.
pub fn generate(model: &Model) -> String {
    let (mut out, table) = Gen::<TypeScript>::new(model).worker(model);
    let _ = write!(
        out,
        "\nconst HANDLERS: Record<string, [(ctx: Ctx, params: any) => Promise<unknown>, Param[]]> = {{\n{table}}};\n"
    );
    out.push_str(LOOP);
    out
}

impl Language for TypeScript {
    const HEADER: &'static str = HEADER;
    const ACTIVITIES: &'static str = "\n// ----- the activities: fill these in -----\n";

    fn declared_type(g: &mut Gen<Self>, name: &str, ty: &Type) {
        let ts = pascal(name);
        let t = g.ty(ty, &format!("{ts}Value"));
        g.defs.push(format!(
            "/** The type `{name}`. */\nexport type {ts} = {t};\n"
        ));
    }

    fn activity(g: &mut Gen<Self>, p: Prepared<'_>, handlers: &mut String, table: &mut String) {
        let a = p.activity;
        let params_name = &p.params_name;
        let obj = g.object(&p.fields, false, params_name);
        let doc = p.params_doc("not declared");
        g.defs.push(format!(
            "/** {doc} */\nexport interface {params_name} {obj}\n"
        ));
        let result = g.ty(&a.result, &format!("{}Result", p.base));
        let mut camel = p.base.clone();
        camel.replace_range(..1, &camel[..1].to_ascii_lowercase());
        let func = p.function(camel, |f| RESERVED.contains(&f), "Activity");
        let _ = writeln!(handlers);
        if a.awaited {
            let _ = writeln!(
                handlers,
                "/** `{}` is awaited: start the work and return; later, complete the wait\n * with `ctx.callback(value)` (value: `{result}`). */\nasync function {func}(ctx: Ctx, params: {params_name}): Promise<void> {{",
                a.name
            );
        } else {
            let _ = writeln!(
                handlers,
                "/** `{}`. */\nasync function {func}(ctx: Ctx, params: {params_name}): Promise<{result}> {{",
                a.name
            );
        }
        let _ = writeln!(handlers, "  void ctx;\n  void params;");
        let _ = writeln!(
            handlers,
            "  throw new Permanent({});\n}}",
            p.not_implemented()
        );
        let params = p.binding(|name, optional| format!("[{name}, {optional}]"));
        let _ = writeln!(table, "  {}: [{func}, [{params}]],", quote(&a.name));
    }
}

impl<L: TypeNotation> Gen<L> {
    /// The type of `t`; inline objects are written in place, named after
    /// `hint` where they need a name.
    pub(crate) fn ty(&mut self, t: &Type, hint: &str) -> String {
        match t {
            Type::String => "string".into(),
            Type::Literal(v) => serde_json::to_string(v).unwrap_or_else(|_| "string".into()),
            Type::Number | Type::Int => "number".into(),
            Type::Bool => "boolean".into(),
            Type::Null => "null".into(),
            Type::Any => "unknown".into(),
            Type::Duration | Type::Time => "string | number".into(),
            Type::List(inner) => {
                let inner = self.ty(inner, hint);
                if is_plain(&inner) {
                    format!("{inner}[]")
                } else {
                    format!("Array<{inner}>")
                }
            }
            Type::Named(n) => pascal(n),
            Type::Object { fields, open } => self.object(fields, *open, hint),
            Type::Union(members) => members
                .iter()
                .map(|m| self.ty(m, hint))
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }

    /// An object type literal of `fields`.
    pub(crate) fn object(&mut self, fields: &[Field], open: bool, hint: &str) -> String {
        let mut out = String::from("{\n");
        for f in fields {
            let key = if is_plain(&f.name) {
                f.name.clone()
            } else {
                quote(&f.name)
            };
            let q = if f.optional { "?" } else { "" };
            let t = self.ty(&f.ty, &format!("{hint}{}", pascal(&f.name)));
            let _ = writeln!(out, "  {key}{q}: {t};");
        }
        if open {
            out.push_str("  [other: string]: unknown;\n");
        }
        out.push('}');
        out
    }
}

const HEADER: &str = r#"// A Weft worker, generated by `weft stubs --lang typescript`: Node 20, no
// dependencies (plain fetch). Run it with WEFT_URL (default
// http://127.0.0.1:7400) and, if the server has one, WEFT_TOKEN.
//
// Each activity fails with "not implemented" until you write it: return its
// result, throw Permanent for a failure that retrying cannot fix, or any
// other error for one worth retrying. Activities run at least once:
// deduplicate on ctx.callId. The protocol is in docs/workers.md.

const STREAM_MAX = 8; // tasks the task stream may hold unreported (the server's credit)
const STREAM_SILENCE_MS = 20_000; // no line this long (a heartbeat comes every 5 s): open anew
const POLL_WAIT_MS = 20_000; // a long poll: the server answers as soon as a task arrives
const POLL_MAX = 8; // tasks per poll, on a server without the task stream
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 10_000;
const RESULTS_PER_REQUEST_MAX = 256; // the server's limit for POST /v1/tasks/results
const DEBUG = process.env.WEFT_WORKER_LOG === "debug";

/** A failure retrying cannot fix: reported with retryable: false. */
export class Permanent extends Error {}

interface Task {
  taskId: string;
  callId: string;
  runId: string;
  activity: string;
  args: unknown[];
  attempt: number;
  callbackToken?: string;
}

type Param = [name: string, optional: boolean];

const url = (process.env.WEFT_URL ?? "http://127.0.0.1:7400").replace(/\/$/, "");
const token = process.env.WEFT_TOKEN;

/** The answer to a POST, open: its body is the caller's to read. Throws
 * an error with the status for an answer other than 2xx. */
async function request(path: string, body: unknown, auth = true, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth && token) headers["authorization"] = `Bearer ${token}`;
  const resp = await fetch(url + path, { method: "POST", headers, body: JSON.stringify(body), signal });
  if (!resp.ok) {
    const text = await resp.text();
    throw Object.assign(new Error(`${resp.status}: ${text}`), { status: resp.status });
  }
  return resp;
}

async function post(path: string, body: unknown, auth = true): Promise<any> {
  const text = await (await request(path, body, auth)).text();
  return text.trim() ? JSON.parse(text) : null;
}

/** What a handler knows about its task. */
export class Ctx {
  constructor(readonly task: Task) {}
  get callId(): string { return this.task.callId; }
  get runId(): string { return this.task.runId; }
  get attempt(): number { return this.task.attempt; }
  get callbackToken(): string | undefined { return this.task.callbackToken; }
  /** Completes an awaited call (the token is the credential). */
  async callback(value: unknown): Promise<void> {
    await post(`/v1/callbacks/${encodeURIComponent(this.task.callbackToken ?? "")}`, { value }, false);
  }
}

/** A call's arguments by parameter name (docs/language.md, "How a declared
 * activity receives its arguments"). */
function bind(args: unknown[], params: Param[]): Record<string, unknown> {
  if (!Array.isArray(args)) throw new Permanent("the arguments are not a list");
  const last = args[args.length - 1];
  if (last !== null && typeof last === "object" && !Array.isArray(last)) {
    const named = last as Record<string, unknown>;
    const k = args.length - 1;
    const later = params.slice(k).map(([n]) => n);
    if (
      k < params.length &&
      Object.keys(named).every((key) => later.includes(key)) &&
      params.every(([n, optional], i) => optional || i < k || n in named)
    ) {
      const out: Record<string, unknown> = {};
      args.slice(0, k).forEach((v, i) => (out[params[i][0]] = v));
      return Object.assign(out, named);
    }
  }
  if (args.length > params.length) {
    throw new Permanent(`${args.length} arguments were given; the activity takes ${params.length}`);
  }
  params.forEach(([n, optional], i) => {
    if (!optional && i >= args.length) throw new Permanent(`the argument \`${n}\` is missing`);
  });
  const out: Record<string, unknown> = {};
  args.forEach((v, i) => (out[params[i][0]] = v));
  return out;
}

// ----- the types -----
"#;

const LOOP: &str = r#"
// ----- the loop -----

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function report(task: Task, path: string, body: unknown): Promise<void> {
  let delay = BACKOFF_MIN_MS;
  for (let tries = 0; tries < 20; tries++) {
    try {
      await post(`/v1/tasks/${encodeURIComponent(task.taskId)}/${path}`, body);
      return;
    } catch (e: any) {
      if (e.status && e.status < 500 && e.status !== 408 && e.status !== 429) return; // moved on
      await sleep(delay / 2 + Math.random() * (delay / 2));
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
    }
  }
}

type Outcome = { value: unknown } | { error: string; retryable: boolean };

// Results that finish while a report is on its way wait and go together in
// the next POST /v1/tasks/results; a lone result goes at once (no timer). A
// server without the endpoint (an older build answers 404 no_such_path) gets
// one report per task from then on; any other failure of the request is
// retried per task.
const waiting: [Task, Outcome, () => void][] = [];
let sending = false;
let batching = true;

function reportPerTask(task: Task, outcome: Outcome): Promise<void> {
  return report(task, "value" in outcome ? "complete" : "fail", outcome);
}

// While a two-way task stream is open, results go down its own request
// body instead: a line per pull of the body (those ready together share
// it), applied by the server as it reads it and answered only if refused.
// Stopping, results go in requests again: the stream closes after them.
let streamReports: { items: object[]; wake: (() => void) | null } | null = null;

function reportOutcome(task: Task, outcome: Outcome): Promise<void> {
  if (streamReports && !stop) {
    streamReports.items.push({ taskId: task.taskId, ...outcome });
    streamReports.wake?.();
    return Promise.resolve();
  }
  if (!batching) return reportPerTask(task, outcome);
  return new Promise((done) => {
    waiting.push([task, outcome, done]);
    if (!sending) void sendWaiting();
  });
}

async function sendWaiting(): Promise<void> {
  sending = true;
  while (waiting.length > 0) {
    const batch = waiting.splice(0, RESULTS_PER_REQUEST_MAX);
    let answers: any[] = [];
    try {
      const answer = await post("/v1/tasks/results", { results: batch.map(([t, o]) => ({ taskId: t.taskId, ...o })) });
      answers = answer?.results ?? [];
      if (DEBUG) console.error(`weft-worker: reported ${batch.length} result(s) in one request`);
    } catch (e: any) {
      if (e.status === 404 && String(e.message).includes("no_such_path")) {
        batching = false;
        console.error("weft-worker: the server has no /v1/tasks/results: reporting each task on its own");
      } else if (DEBUG) {
        console.error(`weft-worker: the results request failed (${e?.message ?? e}): reporting each task on its own`);
      }
    }
    batch.forEach(([task, outcome, done], i) => {
      const a = answers[i];
      if (a?.status === "accepted") return done();
      if (a?.error?.code === "unknown_task") {
        console.error(`weft-worker: task ${task.taskId}: the report was not taken: ${a.error.message}`);
        return done();
      }
      void reportPerTask(task, outcome).then(done);
    });
  }
  sending = false;
}

// Stopping (SIGTERM): no task is started any more, and the stream stays
// open until the running ones have reported, then closes (closing it gives
// unreported tasks to another worker: these would run twice). The tasks
// it holds that did not start go back when it closes.
let stop = false;
let running = 0;
let stopping = new AbortController();

async function runTask(task: Task): Promise<void> {
  running++;
  try {
    const entry = HANDLERS[task.activity];
    let outcome: Outcome;
    try {
      if (!entry) throw new Permanent(`no handler for ${task.activity}`);
      const [handler, params] = entry;
      outcome = { value: (await handler(new Ctx(task), bind(task.args, params))) ?? null };
    } catch (e: any) {
      outcome = { error: String(e?.message ?? e), retryable: !(e instanceof Permanent) };
    }
    await reportOutcome(task, outcome);
  } finally {
    running--;
    if (stop && running === 0) stopping.abort();
  }
}

/** The request body of a two-way task stream: the terms, then a line of
 * results each time the connection takes more and some are ready. */
function reportLines(terms: unknown): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const mine: { items: object[]; wake: (() => void) | null } = { items: [], wake: null };
  streamReports = mine;
  return new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(JSON.stringify(terms) + "\n"));
    },
    async pull(c) {
      while (mine.items.length === 0) await new Promise<void>((r) => (mine.wake = r));
      mine.wake = null;
      const results = mine.items.splice(0, RESULTS_PER_REQUEST_MAX);
      c.enqueue(enc.encode(JSON.stringify({ results }) + "\n"));
      if (DEBUG) console.error(`weft-worker: reported ${results.length} result(s) down the task stream`);
    },
  }, { highWaterMark: 0 });
}

/** Opens a task stream: two-way (reports down its body) unless the server
 * is older than that; its answer. */
async function openStream(terms: unknown, twoWay: boolean): Promise<Response> {
  if (!twoWay) return request("/v1/tasks/stream", terms, true, stopping.signal);
  const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  const init = { method: "POST", headers, body: reportLines(terms), duplex: "half", signal: stopping.signal };
  const resp = await fetch(url + "/v1/tasks/stream", init as RequestInit);
  if (!resp.ok) {
    streamReports = null;
    const text = await resp.text();
    throw Object.assign(new Error(`${resp.status}: ${text}`), { status: resp.status });
  }
  return resp;
}

/** Runs the tasks the server pushes down one task stream (POST
 * /v1/tasks/stream, one JSON object per line) until the stream ends, falls
 * silent for STREAM_SILENCE_MS, or `stopping` aborts it. Closing it gives
 * any task not yet reported back to the server at once. */
async function takeFromStream(activities: string[], worker: string, twoWay: boolean): Promise<void> {
  let silence = setTimeout(() => stopping.abort(), STREAM_SILENCE_MS);
  try {
    const terms = { activities, worker, max: STREAM_MAX };
    const stream = (await openStream(terms, twoWay)).body;
    if (!stream) return;
    if (DEBUG) console.error(`weft-worker: the task stream is open${twoWay ? " (two-way)" : ""}`);
    const reader = stream.getReader();
    const text = new TextDecoder();
    let buf = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      clearTimeout(silence);
      silence = setTimeout(() => stopping.abort(), STREAM_SILENCE_MS);
      buf += text.decode(value, { stream: true });
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const msg = line ? JSON.parse(line) : {};
        for (const r of msg.rejected ?? []) {
          console.error(`weft-worker: task ${r.taskId}: the report was not taken: ${r.error?.message}`);
        }
        if (msg.error) console.error(`weft-worker: a report line was refused: ${JSON.stringify(msg.error)}`);
        const tasks: Task[] = msg.tasks ?? [];
        for (const task of tasks) if (!stop) void runTask(task);
      }
    }
  } finally {
    clearTimeout(silence);
    streamReports = null;
  }
}

/** Runs the tasks of one long poll (POST /v1/tasks/poll). */
async function takeByPolling(activities: string[], worker: string): Promise<void> {
  const answer = await post("/v1/tasks/poll", { activities, worker, max: POLL_MAX, waitMs: POLL_WAIT_MS });
  const tasks: Task[] = answer?.tasks ?? [];
  await Promise.all(tasks.map(runTask));
  if (tasks.length === 0) await sleep(250);
}

/** Whether the server cannot give this worker a stream: an older build
 * (404 no_such_path), or one with all its streams taken. */
function noStream(e: any): boolean {
  const text = String(e?.message ?? "");
  return (e?.status === 404 && text.includes("no_such_path")) ||
    (e?.status === 503 && text.includes("too_many_streams"));
}

async function main(): Promise<void> {
  const activities = Object.keys(HANDLERS);
  const worker = `node-${process.pid}`;
  process.on("SIGTERM", () => {
    stop = true;
    if (running === 0) stopping.abort();
  });
  console.error(`weft-worker: ${worker} takes tasks from ${url} for ${activities.join(", ")}`);
  let delay = BACKOFF_MIN_MS;
  let streaming = true;
  let twoWay = true;
  while (!stop) {
    try {
      if (streaming) {
        await takeFromStream(activities, worker, twoWay);
        await sleep(BACKOFF_MIN_MS); // an ended stream is opened again, not in a tight loop
      } else {
        await takeByPolling(activities, worker);
      }
      delay = BACKOFF_MIN_MS;
    } catch (e: any) {
      if (stop) break;
      if (streaming && twoWay && e?.status === 415) {
        console.error("weft-worker: no two-way task stream (an older server): reporting in requests");
        twoWay = false;
        continue;
      }
      if (streaming && noStream(e)) {
        console.error(`weft-worker: no task stream (${e.message}): polling instead`);
        streaming = false;
        continue;
      }
      if (DEBUG) console.error(`weft-worker: ${streaming ? "the task stream" : "a poll"} failed: ${e?.message ?? e}`);
      await sleep(delay / 2 + Math.random() * (delay / 2));
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
    }
    if (stopping.signal.aborted && !stop) stopping = new AbortController();
  }
}

main();
"#;

//! The TypeScript client (`client.ts`): Node 20's `fetch`, no
//! dependencies. Types for the declared types, each machine's state and
//! each command's input; a class per machine
//! (`client.Counter("k").Add(...)`, `client.Counter.find(...)`) and one for
//! the flows (`client.flows.CountOrder(...)`), over one HTTP helper that
//! retries with the same `commandId` or idempotency key.

use std::fmt::Write as _;

use super::{ident, ClientModel};
use crate::emit::{Gen, Language};
use crate::naming::{pascal, quote};
use crate::typescript::TypeScript;

/// Reserved words, and the names the generated classes use themselves.
const RESERVED: &[&str] = &[
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
    "get",
    "find",
    "history",
    "key",
    "flows",
    "http",
    "constructor",
];

/// The generated `client.ts`.
pub fn generate(model: &ClientModel) -> String {
    let types = model.type_model();
    let mut g = Gen::<TypeScript>::new(&types);
    for (name, ty) in &model.types {
        TypeScript::declared_type(&mut g, name, ty);
    }
    let mut classes = String::new();
    let mut fields = String::new();
    let mut inits = String::new();
    for m in &model.machines {
        let base = pascal(&m.name);
        let state = match &m.state {
            Some(t) => {
                let name = g.defs.fresh(&format!("{base}State"));
                let body = g.ty(t, &name);
                g.defs.push(format!(
                    "/** The state of `{}`. */\nexport type {name} = {body};\n",
                    m.name
                ));
                name
            }
            None => "unknown".to_string(),
        };
        let instance = g.defs.fresh(&format!("{base}Instance"));
        let machine = g.defs.fresh(&format!("{base}Machine"));
        let mname = quote(&m.name);
        let _ = write!(
            classes,
            "\n/** An instance of the machine `{}`, by its key. */\nexport class {instance} {{\n  constructor(private readonly http: Http, readonly key: string) {{}}\n",
            m.name
        );
        for c in &m.commands {
            let method = ident(&c.name, RESERVED);
            let cname = quote(&c.name);
            let doc = format!(
                "  /** Sends `{}`: the instance once it is applied, or the error\n   * (`command_refused`: the handler's `reason`). */\n",
                c.name
            );
            match &c.input {
                Some(t) => {
                    let input = g.defs.fresh(&format!("{base}{}Input", pascal(&c.name)));
                    let body = g.ty(t, &input);
                    g.defs.push(format!(
                        "/** The input of `{}.{}`. */\nexport type {input} = {body};\n",
                        m.name, c.name
                    ));
                    let _ = write!(
                        classes,
                        "\n{doc}  {method}(input: {input}, commandId?: string): Promise<Result<Instance<{state}>>> {{\n    return this.http.command({mname}, this.key, {cname}, input, commandId);\n  }}\n"
                    );
                }
                None => {
                    let _ = write!(
                        classes,
                        "\n{doc}  {method}(commandId?: string): Promise<Result<Instance<{state}>>> {{\n    return this.http.command({mname}, this.key, {cname}, undefined, commandId);\n  }}\n"
                    );
                }
            }
        }
        let _ = write!(
            classes,
            "\n  /** The instance (`unknown_instance` before its first command). */\n  get(): Promise<Result<Instance<{state}>>> {{\n    return this.http.get({mname}, this.key);\n  }}\n\n  /** A page of its finished commands: `{{items, next}}`. */\n  history(after?: number, limit?: number): Promise<Result<any>> {{\n    return this.http.history({mname}, this.key, after, limit);\n  }}\n}}\n"
        );
        let _ = write!(
            classes,
            "\n/** The machine `{}`: `machine.at(key)` addresses an instance. */\nexport class {machine} {{\n  constructor(private readonly http: Http) {{}}\n\n  at(key: string): {instance} {{\n    return new {instance}(this.http, key);\n  }}\n\n  /** The instances whose state fits `where` (such as `state.total > 10`),\n   * by key, `limit` at a time from `cursor`. */\n  find(where?: string, limit?: number, cursor?: string): Promise<Result<Page<{state}>>> {{\n    return this.http.find({mname}, where, limit, cursor);\n  }}\n}}\n",
            m.name
        );
        let attr = ident(&m.name, RESERVED);
        let _ = writeln!(
            fields,
            "  /** `client.{attr}(key)`: an instance of `{}`; `client.{attr}.find(...)`. */\n  readonly {attr}: {machine} & ((key: string) => {instance});",
            m.name
        );
        let _ = writeln!(
            inits,
            "    this.{attr} = addressed(new {machine}(this.http));"
        );
    }
    let mut flows = String::from(
        "\n/** The program's flows: each method starts a run. */\nexport class Flows {\n  constructor(private readonly http: Http) {}\n",
    );
    for f in &model.flows {
        let _ = write!(
            flows,
            "\n  /** Starts `{f}` and waits up to `wait` for its end: the run\n   * (`status`, `result`, `error`). */\n  {}(input?: unknown, idempotencyKey?: string, wait: string | null = \"30s\"): Promise<Result<any>> {{\n    return this.http.start({}, input, idempotencyKey, wait);\n  }}\n",
            ident(f, RESERVED),
            quote(f)
        );
    }
    flows.push_str("}\n");
    let mut out = String::from(HEADER);
    for d in &g.defs.list {
        out.push('\n');
        out.push_str(d);
    }
    out.push_str(&classes);
    out.push_str(&flows);
    let _ = write!(
        out,
        "{CLIENT_START}{fields}\n  constructor(options: Options = {{}}) {{\n    this.http = new Http(options);\n{inits}    this.flows = new Flows(this.http);\n  }}\n}}\n\n{ADDRESSED}"
    );
    out
}

const HEADER: &str = r#"// A Weft client, generated by `weft stubs --client --lang typescript`: the
// program's machines and flows over the HTTP API; Node 20 (fetch), no
// dependencies.
//
//   const client = new Client({ url: "http://127.0.0.1:7400" }); // or WEFT_URL; WEFT_TOKEN if needed
//   const r = await client.Counter("apples").Add({ n: 2 });
//   if (r.ok) console.log(r.value.state.total, r.value.version);
//   else console.log(r.error.code, r.error.message, r.error.reason);
//
// Errors are values: every call resolves to a Result and rejects for
// nothing the server answers nor for a server it cannot reach. A command
// carries a commandId (one is made when you give none) and is sent again
// with the same id while no final answer comes (no connection, 5xx, 429,
// or 202 while it waits its turn): the server applies it once. A flow is
// started with an idempotency key the same way. See docs/machines.md.

import { randomUUID } from "node:crypto";

/** Why a call did not succeed: `status` is the HTTP status (0: no answer
 * arrived), `code` the API's error code (docs/api-errors.md), `reason`
 * what a refusing handler passed to `fail`. */
export interface WeftError {
  status: number;
  code: string;
  message: string;
  reason?: unknown;
  details?: unknown;
}

/** A value, or an error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WeftError };

/** The seed's `OnOk`: `onOk(value)` on success, else `onError(error)`. */
export async function then<T, U>(
  r: Result<T> | Promise<Result<T>>,
  onOk: (value: T) => U | Promise<U>,
  onError?: (error: WeftError) => U | Promise<U>,
): Promise<U | undefined> {
  const res = await r;
  if (res.ok) return onOk(res.value);
  return onError ? onError(res.error) : undefined;
}

/** An instance of a machine: its key, its state, and its version (the
 * number of commands applied to it). */
export interface Instance<T> {
  key: string;
  state: T;
  version: number;
}

/** A page of a query, and the cursor of the next (null at the end). */
export interface Page<T> {
  items: Instance<T>[];
  next: string | null;
}

/** Where the server is; how often a call is sent while no final answer
 * comes; milliseconds per request. */
export interface Options {
  url?: string;
  token?: string;
  attempts?: number;
  timeoutMs?: number;
}

// Answers worth sending the same request again for (with the same
// commandId or idempotency key, so nothing happens twice).
const AGAIN = [0, 202, 429, 500, 502, 503, 504];

function seg(s: string): string {
  return encodeURIComponent(s);
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? "?" + s : "";
}

function toError(status: number, doc: any): WeftError {
  if (status === 202 && doc && typeof doc === "object") {
    return { status, code: "pending", message: `the command is ${doc.status}; send it again with its commandId ${doc.commandId}`, details: doc };
  }
  const e = doc && typeof doc === "object" ? doc.error : undefined;
  if (!e || typeof e !== "object") return { status, code: "invalid_answer", message: `HTTP ${status}: ${JSON.stringify(doc)}` };
  return { status, code: String(e.code ?? ""), message: String(e.message ?? ""), reason: e.reason, details: e };
}

function instance(doc: any): Instance<any> {
  return { key: doc.key, state: doc.state, version: doc.version };
}

/** Requests to one server, with retries of what may be transient. */
class Http {
  readonly url: string;
  readonly token?: string;
  readonly attempts: number;
  readonly timeoutMs: number;

  constructor(o: Options) {
    this.url = (o.url ?? process.env.WEFT_URL ?? "http://127.0.0.1:7400").replace(/\/+$/, "");
    this.token = o.token ?? process.env.WEFT_TOKEN;
    this.attempts = Math.max(1, o.attempts ?? 5);
    this.timeoutMs = o.timeoutMs ?? 60_000;
  }

  /** One request: [status, JSON answer]; status 0 when none arrived. */
  async request(method: string, path: string, body?: unknown): Promise<[number, any]> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      const res = await fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      try {
        return [res.status, text ? JSON.parse(text) : null];
      } catch {
        return [res.status, { error: { code: "invalid_answer", message: text.slice(0, 200) } }];
      }
    } catch (e) {
      return [0, { error: { code: "unreachable", message: `${this.url}${path}: ${e}` } }];
    }
  }

  /** Sends until a final answer, or `attempts` times. */
  async call<T>(method: string, path: string, body: unknown, read: (doc: any) => T): Promise<Result<T>> {
    let delay = 100;
    for (let attempt = 0; ; attempt++) {
      const [status, doc] = await this.request(method, path, body);
      if (status === 200 || status === 201) return { ok: true, value: read(doc) };
      if (!AGAIN.includes(status) || attempt + 1 >= this.attempts) return { ok: false, error: toError(status, doc) };
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }

  command(machine: string, key: string, command: string, input: unknown, commandId?: string): Promise<Result<Instance<any>>> {
    const body: Record<string, unknown> = { commandId: commandId ?? randomUUID() };
    if (input !== undefined) body.input = input;
    return this.call("POST", `/v1/machines/${seg(machine)}/${seg(key)}/${seg(command)}`, body, instance);
  }

  get(machine: string, key: string): Promise<Result<Instance<any>>> {
    return this.call("GET", `/v1/machines/${seg(machine)}/${seg(key)}`, undefined, instance);
  }

  history(machine: string, key: string, after?: number, limit?: number): Promise<Result<any>> {
    return this.call("GET", `/v1/machines/${seg(machine)}/${seg(key)}/history${query({ after, limit })}`, undefined, (d) => d);
  }

  find(machine: string, where?: string, limit?: number, cursor?: string): Promise<Result<Page<any>>> {
    return this.call("GET", `/v1/machines/${seg(machine)}${query({ where, limit, cursor })}`, undefined, (d) => ({
      items: d.items.map(instance),
      next: d.next ?? null,
    }));
  }

  start(flow: string, input: unknown, idempotencyKey?: string, wait?: string | null): Promise<Result<any>> {
    const body: Record<string, unknown> = { flow, input: input ?? null, idempotencyKey: idempotencyKey ?? randomUUID() };
    if (wait != null) body.wait = wait;
    return this.call("POST", "/v1/runs", body, (d) => d);
  }
}
"#;

const CLIENT_START: &str = r#"
/** The program's machines (one field each: call it with a key) and flows
 * (`flows`). */
export class Client {
  private readonly http: Http;
  readonly flows: Flows;
"#;

const ADDRESSED: &str = r#"/** A machine that is also callable: `machine(key)` is `machine.at(key)`. */
function addressed<I, M extends { at(key: string): I }>(m: M): M & ((key: string) => I) {
  const f = ((key: string) => m.at(key)) as M & ((key: string) => I);
  return Object.assign(f, { at: (k: string) => m.at(k), find: (m as any).find.bind(m) });
}
"#;

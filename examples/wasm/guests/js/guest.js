// The JavaScript activities of examples/wasm/quote-order.weft, as a
// WebAssembly component (the `weft:activity` world, docs/wasm.md).
//
// The skeleton was generated with `weft stubs --lang wasm-js
// quote-order.weft`; only the placed activity's body was written. Built by
// build.mjs with componentize-js (npm): no network, no file system.

/** A failure retrying cannot fix: reported with retryable: false. */
class Permanent extends Error {}

/**
 * A call's arguments by parameter name (docs/language.md, "How a declared
 * activity receives its arguments"): positional ones first, then one object
 * of the named ones, if any.
 */
function bind(args, params) {
  if (!Array.isArray(args)) throw new Permanent("the arguments are not a list");
  const last = args[args.length - 1];
  if (args.length > 0 && last !== null && typeof last === "object" && !Array.isArray(last)) {
    const positional = args.slice(0, -1);
    const k = positional.length;
    const later = params.slice(k).map(([name]) => name);
    if (
      k < params.length &&
      Object.keys(last).every((key) => later.includes(key)) &&
      params.every(([name, opt], i) => opt || i < k || name in last)
    ) {
      const out = {};
      positional.forEach((v, i) => (out[params[i][0]] = v));
      return Object.assign(out, last);
    }
  }
  if (args.length > params.length) {
    throw new Permanent(`${args.length} arguments were given; the activity takes ${params.length}`);
  }
  params.forEach(([name, opt], i) => {
    if (!opt && i >= args.length) throw new Permanent(`the argument \`${name}\` is missing`);
  });
  const out = {};
  args.forEach((v, i) => (out[params[i][0]] = v));
  return out;
}

const money = (n) => n.toFixed(2);

/** `RenderReceipt`: the receipt's text. */
function renderReceipt(ctx, { customer, quote }) {
  const lines = [`Receipt for ${customer}`, `Subtotal: ${money(quote.subtotal)}`];
  if (quote.discount > 0) lines.push(`Discount: -${money(quote.discount)}`);
  lines.push(`Total: ${money(quote.total)}`);
  return { text: lines.join("\n") };
}

const HANDLERS = {
  RenderReceipt: [renderReceipt, [["customer", false], ["quote", false]]],
};

/** The world's export: one attempt of one call. */
export function run(call) {
  const entry = HANDLERS[call.activity];
  if (entry === undefined) {
    throw { message: `this component does not implement ${call.activity}`, retryable: false };
  }
  const [handler, params] = entry;
  const ctx = {
    activity: call.activity,
    callId: call.callId,
    runId: call.runId,
    attempt: call.attempt,
    deadlineMs: call.deadlineMs,
  };
  try {
    return JSON.stringify(handler(ctx, bind(JSON.parse(call.args), params)) ?? null);
  } catch (e) {
    throw { message: String(e?.message ?? e), retryable: !(e instanceof Permanent) };
  }
}

// A pull worker for the peer workload: takes reserve/charge/ship tasks from Weft's task stream
// (POST /v1/tasks/stream: one long-lived answer that pushes tasks as they are leased) and writes
// each pushed batch's results back down the same request's body, one `{"results": [...]}` line
// per batch (a two-way stream: `content-type: application/x-ndjson`). On a server without
// two-way streams (415) it reports each batch in one request (POST /v1/tasks/results); on one
// without the stream (404 no_such_path) it long-polls /v1/tasks/poll instead, and on one without
// /v1/tasks/results it reports per task. Standard library only (Node 20).
// Usage: node worker.js http://127.0.0.1:7400 [pollers]   (pollers: streams, or polls, in parallel)
"use strict";
const http = require("node:http");
const base = new URL(process.argv[2] || "http://127.0.0.1:7400");
const POLLERS = parseInt(process.argv[3] || "8", 10);
const CREDIT = 32; // tasks a stream (or a poll) may hold unreported
const agent = new http.Agent({ keepAlive: true, maxSockets: POLLERS * 2 + 4 });
// The streams stay open: they get their own connections, out of the results' pool.
const streamAgent = new http.Agent({ keepAlive: false });
function post(path, obj) {
  const body = JSON.stringify(obj);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: "POST", agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks = []; res.on("data", (c) => chunks.push(c));
      res.on("end", () => { const t = Buffer.concat(chunks).toString(); try { resolve(t ? JSON.parse(t) : null); } catch (e) { reject(e); } });
    });
    req.on("error", reject); req.end(body);
  });
}
const sleep = (ms) => new Promise((s) => setTimeout(s, ms));
const steps = {
  reserve: (id) => ({ step: 1, order: id, reserved: true }),
  charge: (id) => ({ step: 2, order: id, amount_cents: 4200 }),
  ship: (id) => ({ step: 3, order: id, tracking: "T-" + id }),
};
let batching = true;
async function report(tasks) {
  const results = tasks.map((t) => ({ taskId: t.taskId, value: steps[t.activity](t.args[0]) }));
  let answer = null;
  if (batching) {
    try { answer = await post("/v1/tasks/results", { results }); } catch (e) { answer = null; }
    if (answer && answer.error && answer.error.code === "no_such_path") batching = false;
  }
  if (!answer || !Array.isArray(answer.results)) {
    await Promise.all(results.map((x) =>
      post(`/v1/tasks/${x.taskId}/complete`, { value: x.value }).catch(() => {})));
  }
}

let twoWay = true;
// One task stream, read line by line until it ends; resolves "unsupported" on a server
// without streams, "one-way" on one without two-way streams.
function stream(n) {
  const terms = JSON.stringify({ activities: Object.keys(steps), worker: "node-" + n, max: CREDIT });
  const duplex = twoWay;
  return new Promise((resolve) => {
    const headers = duplex ? { "content-type": "application/x-ndjson" }
      : { "content-type": "application/json", "content-length": Buffer.byteLength(terms) };
    const req = http.request(new URL("/v1/tasks/stream", base), { method: "POST", agent: streamAgent, headers }, (res) => {
      if (res.statusCode === 404) { res.resume(); resolve("unsupported"); return; }
      if (res.statusCode === 415 && duplex) { res.resume(); req.destroy(); resolve("one-way"); return; }
      if (res.statusCode !== 200) { res.resume(); res.on("end", () => resolve("refused")); return; }
      res.setEncoding("utf8");
      let buf = "";
      res.on("data", (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
          let msg; try { msg = JSON.parse(line); } catch (e) { continue; }
          if (msg.tasks) {
            if (duplex) {
              const results = msg.tasks.map((t) => ({ taskId: t.taskId, value: steps[t.activity](t.args[0]) }));
              req.write(JSON.stringify({ results }) + "\n");
            } else {
              report(msg.tasks).catch(() => {});
            }
          } else if (msg.rejected || msg.error) {
            console.error("report refused:", line);
          }
        }
      });
      res.on("end", () => { req.destroy(); resolve("ended"); });
      res.on("error", () => resolve("ended"));
    });
    req.on("error", () => resolve("ended"));
    if (duplex) req.write(terms + "\n"); else req.end(terms);
  });
}

async function poller(n) {
  for (;;) {
    let r;
    try { r = await post("/v1/tasks/poll", { activities: Object.keys(steps), worker: "node-" + n, max: CREDIT, waitMs: 1000 }); }
    catch (e) { await sleep(100); continue; }
    const tasks = (r && r.tasks) || [];
    if (tasks.length > 0) await report(tasks);
  }
}

async function worker(n) {
  for (;;) {
    const how = await stream(n);
    if (how === "unsupported") return poller(n);
    if (how === "one-way") { twoWay = false; continue; }
    await sleep(how === "ended" ? 50 : 1000);
  }
}
for (let i = 0; i < POLLERS; i++) worker(i);

// A pull worker for the peer workload: polls Weft for reserve/charge/ship and reports the
// results of each poll's tasks in one request (POST /v1/tasks/results; per task on a server
// without it). Usage: node worker.js http://127.0.0.1:7400 [pollers]
"use strict";
const http = require("node:http");
const base = new URL(process.argv[2] || "http://127.0.0.1:7400");
const POLLERS = parseInt(process.argv[3] || "8", 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: POLLERS * 2 + 4 });
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
const steps = {
  reserve: (id) => ({ step: 1, order: id, reserved: true }),
  charge: (id) => ({ step: 2, order: id, amount_cents: 4200 }),
  ship: (id) => ({ step: 3, order: id, tracking: "T-" + id }),
};
let batching = true;
async function poller(n) {
  for (;;) {
    let r;
    try { r = await post("/v1/tasks/poll", { activities: Object.keys(steps), worker: "node-" + n, max: 32, waitMs: 1000 }); }
    catch (e) { await new Promise((s) => setTimeout(s, 100)); continue; }
    const tasks = (r && r.tasks) || [];
    if (tasks.length === 0) continue;
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
}
for (let i = 0; i < POLLERS; i++) poller(i);

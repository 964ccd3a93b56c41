#!/usr/bin/env bash
# CPU time (user + system) per run of `weft serve` and of the Node worker, over the peers' workload
# without Restate: the harness's client makes 200 sequential runs, then 50 clients for 10 s. Prints
# one line: the build, the runs, ms of CPU per run for each process, the client's seq p50 and rate.
# Usage: PEERS=/path/to/peers bench/peers/cpu-per-run.sh /path/to/weft   (port 7400 must be free)
set -euo pipefail
: "${PEERS:?PEERS: the peers folder whose weft/ is bench/peers/weft of this repository}"
BIN=$1
HERE="$(cd "$(dirname "$0")" && pwd)"
dir=$(mktemp -d)
"$BIN" serve --listen 127.0.0.1:7400 --data "$dir/data" > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server ${worker:-} 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:7400/healthz > /dev/null && break; sleep 0.1; done
curl -sf -X POST http://127.0.0.1:7400/v1/flows -H 'content-type: application/json' \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"source": open(sys.argv[1]).read()}))' "$HERE/weft/order.weft")" > /dev/null
node "$HERE/weft/worker.js" http://127.0.0.1:7400 8 > "$dir/worker.log" 2>&1 &
worker=$!
sleep 0.5
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
s0=$(ticks $server); w0=$(ticks $worker)
out=$(node "$PEERS/restate/bench.js" --weft --label weft --url-template http://127.0.0.1:7400/v1/runs \
  --seq 200 --conc 50 --secs 10 --warmup 20 2>&1 | tail -1)
s1=$(ticks $server); w1=$(ticks $worker)
rate=$(echo "$out" | sed -E 's/.*conc_wf_per_s=([0-9.]+).*/\1/')
seq=$(echo "$out" | sed -E 's/.*seq_p50_ms=([0-9.]+).*/\1/')
hz=$(getconf CLK_TCK)
python3 - "$BIN" "$rate" "$seq" "$s0" "$s1" "$w0" "$w1" "$hz" <<'PY'
import os, sys
b, rate, seq, s0, s1, w0, w1, hz = sys.argv[1:]
runs = int(220 + float(rate) * 10)
ms = lambda a, z: (int(z) - int(a)) * 1000 / int(hz) / runs
print(f"{os.path.basename(b)} runs={runs} server_ms_per_run={ms(s0, s1):.3f} "
      f"worker_ms_per_run={ms(w0, w1):.3f} seq_p50_ms={seq} conc_wf_per_s={rate}")
PY

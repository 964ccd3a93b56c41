#!/usr/bin/env bash
# A variant of ../shared/peers/weft/run.sh: the same workload against Weft
# as one cluster node on PostgreSQL (`weft serve --database`), to compare
# with dbos_pg. Copy this folder next to the peers' `weft` folder:
#   cp -r scripts/peers/weft-pg /path/to/peers/ && cd /path/to/peers
#   WEFT_BIN=/path/to/weft ./run-all.sh dbos weft weft-pg
# WEFT_PG_URL names the database (default: the one .ci/run creates); the
# run uses a fresh schema and drops it at the end.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../lib/common.sh"
DATA="$DATA_ROOT/weft-pg"
BIN="${WEFT_BIN:-weft}"
BASE="${WEFT_PG_URL:-postgres://weft:weft@127.0.0.1:5432/weft_test}"
SCHEMA="weft_peer_$$"
trap 'stop_tracked; psql "$BASE" -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM
command -v "$BIN" >/dev/null || die "no weft binary: set WEFT_BIN"
require_ports_free 7400
rm -rf "$DATA"; mkdir -p "$DATA"
psql "$BASE" -qc "CREATE SCHEMA $SCHEMA" || die "cannot create a schema in $BASE"
WEFT_DATABASE_URL="$BASE?options=-csearch_path%3D$SCHEMA" setsid "$BIN" serve --listen 127.0.0.1:7400 \
  >"$DATA/server.log" 2>&1 </dev/null &
track_pid $!
wait_until 60 "weft health" curl -sf http://127.0.0.1:7400/healthz
curl -sf -X POST http://127.0.0.1:7400/v1/flows -H 'content-type: application/json' \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"source": open(sys.argv[1]).read()}))' "$HERE/../weft/order.weft")" >"$DATA/deploy.json" || die "deploy failed"
setsid node "$HERE/../weft/worker.js" http://127.0.0.1:7400 "${WEFT_POLLERS:-8}" >"$DATA/worker.log" 2>&1 </dev/null &
track_pid $!
log "weft-pg: bench seq=$SEQ conc=$CONC secs=$SECS"
node "$HERE/../restate/bench.js" --weft --label weft_pg --url-template 'http://127.0.0.1:7400/v1/runs' \
  --seq "$SEQ" --conc "$CONC" --secs "$SECS" --warmup "$WARMUP"

#!/usr/bin/env bash
# Alternates `weft bench --url` between Weft builds, three rounds: each build's own `weft serve`
# on a fresh data directory, driven by the same build's Rust SDK workers (concurrency 1, then 64);
# the pinned last lines go to $OUT.
# Usage: OUT=url-ab.txt bench/url-ab.sh /path/to/weft-a /path/to/weft-b
set -uo pipefail
OUT=${OUT:-url-ab.txt}
PORT=${PORT:-7411}
for _ in $(seq 1 "${ROUNDS:-3}"); do
  for bin in "$@"; do
    dir=$(mktemp -d)
    "$bin" serve --listen "127.0.0.1:$PORT" --data "$dir/data" > "$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.1; done
    echo "## $bin $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
    "$bin" bench --url "http://127.0.0.1:$PORT" --runs 300 --concurrency 1 2>/dev/null | tail -1 | sed 's/^/c1 /' >> "$OUT"
    "$bin" bench --url "http://127.0.0.1:$PORT" --runs 3000 --concurrency 64 2>/dev/null | tail -1 | sed 's/^/c64 /' >> "$OUT"
    kill "$pid"; wait "$pid" 2>/dev/null; rm -rf "$dir"
  done
done

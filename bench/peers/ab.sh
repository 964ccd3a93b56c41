#!/usr/bin/env bash
# Alternates the peers' `run-all.sh restate weft` between Weft builds, three rounds, and appends
# each run's summary lines to $OUT (Restate measured again beside every Weft run).
# Usage: PEERS=/path/to/peers OUT=ab.txt bench/peers/ab.sh /path/to/weft-a /path/to/weft-b
set -uo pipefail
: "${PEERS:?PEERS: the peers folder whose weft/ is bench/peers/weft of this repository}"
OUT=${OUT:-ab.txt}
ROUNDS=${ROUNDS:-3}
for _ in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    echo "## $bin $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
    (cd "$PEERS" && WEFT_BIN="$bin" QUIET_WAIT="${QUIET_WAIT:-120}" ./run-all.sh restate weft 2>/dev/null) \
      | grep -E "seq_p50|FAILED" >> "$OUT"
  done
done

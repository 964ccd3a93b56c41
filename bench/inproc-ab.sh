#!/usr/bin/env bash
# Alternates `weft bench` between Weft builds: PAIRS rounds of `--runs 20000 --concurrency 64`, each
# build in turn, and PAIRS_C1 rounds (3 unless set) of `--runs 3000 --concurrency 1`, those after the
# others unless C1_FIRST=1; one line per bench, with the time, the build and the bench's last line.
# On a shared host, compare the pairs, not the levels.
# Usage: PAIRS=8 [PAIRS_C1=3] [C1_FIRST=1] bench/inproc-ab.sh /path/to/weft-a /path/to/weft-b
set -euo pipefail
PAIRS=${PAIRS:-8}
PAIRS_C1=${PAIRS_C1:-3}
# rounds runs concurrency label builds...
alternate() {
  local rounds=$1 runs=$2 conc=$3 label=$4
  shift 4
  for _ in $(seq 1 "$rounds"); do
    for bin in "$@"; do
      echo "$(date +%H:%M:%S) $(basename "$bin") $label $("$bin" bench --runs "$runs" --concurrency "$conc" | tail -1)"
    done
  done
}
if [ "${C1_FIRST:-0}" = 1 ]; then
  alternate "$PAIRS_C1" 3000 1 c1 "$@"
  alternate "$PAIRS" 20000 64 c64 "$@"
else
  alternate "$PAIRS" 20000 64 c64 "$@"
  alternate "$PAIRS_C1" 3000 1 c1 "$@"
fi

#!/usr/bin/env bash
# Runs the simulator's fault tests (crates/weft-runtime/tests/sim_faults.rs)
# over many more seeds than `cargo test` does, in an optimized build (the
# invariants are still checked after every step).
#
#   scripts/sim-nightly.sh [FROM [TO [SECONDS]]]
#
# Seeds FROM..TO (default: 0..10000000), stopping after SECONDS (default
# 3600) even if seeds are left. A nightly job passes a new FROM each night
# (e.g. the date as a number times 10^7) so that every night tries other
# seeds. A failing seed is printed with the line that replays it exactly:
#   WEFT_SIM_SEED=N cargo test -p weft-runtime --test sim_faults -- --nocapture
# The last line says how many seeds ran and which faults happened.
set -euo pipefail
cd "$(dirname "$0")/.."

FROM="${1:-0}"
TO="${2:-10000000}"
SECONDS_MAX="${3:-3600}"
if ! [[ "$FROM" =~ ^[0-9]+$ && "$TO" =~ ^[0-9]+$ && "$SECONDS_MAX" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/sim-nightly.sh [FROM [TO [SECONDS]]] (whole numbers)" >&2
    exit 2
fi
if (( TO <= FROM )); then
    echo "sim-nightly: TO ($TO) must be greater than FROM ($FROM)" >&2
    exit 2
fi

echo "sim-nightly: seeds $FROM..$TO, at most ${SECONDS_MAX}s"
WEFT_SIM_SEEDS="$FROM..$TO" WEFT_SIM_SECONDS="$SECONDS_MAX" \
    cargo test --release -p weft-runtime --test sim_faults -- --nocapture

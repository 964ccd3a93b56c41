#!/usr/bin/env bash
# Makes a golden data set with a `weft` binary: runs left waiting by that
# build, on SQLite (a data directory) and on PostgreSQL (a dump of a
# schema), which crates/weft-cli/tests/golden.rs finishes with every later
# build. See docs/releasing.md.
#
#   scripts/make-golden.sh BINARY NAME
#
# BINARY: the released build's `weft` (build it from the release's commit).
# NAME:   the set's directory under crates/weft-cli/tests/golden/ (the
#         release's commit or version).
#
# Needs a PostgreSQL database in WEFT_TEST_DATABASE_URL (`.ci/run` shows
# how one is made), and pg_dump. The flows and the plan come from
# scripts/golden/; the control runs take a few seconds each (their timers
# are seconds), the whole set under a minute. Timers of the runs left
# waiting come due two minutes after they were made: the golden test run
# right away waits for them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
    echo "usage: scripts/make-golden.sh BINARY NAME" >&2
    exit 2
fi
bin=$(realpath "$1")
name=$2
out=crates/weft-cli/tests/golden/$name
: "${WEFT_TEST_DATABASE_URL:?set it to a PostgreSQL database (see .ci/run)}"
command -v pg_dump >/dev/null || { echo "pg_dump is needed" >&2; exit 2; }
if [ -e "$out" ]; then
    echo "$out exists; a golden set is never made again" >&2
    exit 2
fi
mkdir -p "$out"
WEFT_GOLDEN_BINARY=$bin WEFT_GOLDEN_OUT=$(realpath "$out") \
    cargo test -p weft-cli --test golden -- --ignored --exact make_golden --nocapture
echo "written: $out (add a README.md: see docs/releasing.md)"

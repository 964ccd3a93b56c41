#!/usr/bin/env bash
# Benchmarks a cluster: N `weft serve --database` nodes on one PostgreSQL
# schema, driven by `weft bench --url` (clients spread over the nodes, pull
# workers in the bench process, one per node). Prints the bench's figures,
# the CPU time each process used during the measured part, and the
# statements that took the most time in PostgreSQL (when the
# pg_stat_statements extension is loaded), and counts that do not depend on
# the machine's load: transactions, WAL records, bytes and flushes
# (`pg_stat_wal`, the whole server's: keep other clients away), and
# statements per run (this database's).
#
#   scripts/bench-cluster.sh NODES [RUNS] [CONCURRENCY]
#
# Needs: a release build (target/release/weft), and WEFT_BENCH_DATABASE_URL
# (default postgres://weft:weft@127.0.0.1:5432/weft_test) naming a database
# the role may create schemas in. Each run uses a fresh schema, dropped at
# the end.
set -euo pipefail
cd "$(dirname "$0")/.."

NODES="${1:?usage: scripts/bench-cluster.sh NODES [RUNS] [CONCURRENCY]}"
RUNS="${2:-20000}"
CONC="${3:-64}"
BASE="${WEFT_BENCH_DATABASE_URL:-postgres://weft:weft@127.0.0.1:5432/weft_test}"
BIN="${WEFT_BIN:-target/release/weft}"
SCHEMA="weft_bench_$$"
LOGS="$(mktemp -d /tmp/weft-bench-cluster.XXXXXX)"
PIDS=()

psql_base() { psql "$BASE" -qAt -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql_base -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Process CPU time (user + system) in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
postgres_ticks() {
    local total=0
    for p in $(pgrep -u postgres postgres); do
        total=$((total + $(ticks "$p" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

psql_base -c "CREATE SCHEMA $SCHEMA"
URL="$BASE?options=-csearch_path%3D$SCHEMA"
URLS=""
for i in $(seq 1 "$NODES"); do
    port=$((7600 + i))
    WEFT_DATABASE_URL="$URL" "$BIN" serve --listen "127.0.0.1:$port" --node "bench$i" \
        >"$LOGS/node$i.log" 2>&1 &
    PIDS+=($!)
    URLS="${URLS:+$URLS,}http://127.0.0.1:$port"
done
for i in $(seq 1 "$NODES"); do
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$((7600 + i))/healthz" >/dev/null && break
        sleep 0.1
    done
done

STATEMENTS=0
if psql_base -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1; then
    STATEMENTS=1
fi
# Transactions committed in this database, and the server's WAL: records,
# full-page images, bytes, flushes (fsync or fdatasync of the log).
counters() {
    psql_base -F ' ' -c "
        SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
               wal_records, wal_fpi, wal_bytes, wal_sync FROM pg_stat_wal"
}
counters_before=$(counters)
declare -A before
for p in "${PIDS[@]}"; do before[$p]=$(ticks "$p"); done
pg_before=$(postgres_ticks)
start=$(date +%s.%N)

"$BIN" bench --url "$URLS" --runs "$RUNS" --concurrency "$CONC" | tee "$LOGS/bench.txt"

wall=$(echo "$(date +%s.%N) - $start" | bc)
hz=$(getconf CLK_TCK)
echo "CPU during the bench (wall ${wall%.*} s, $(nproc) cores):"
i=1
for p in "${PIDS[@]}"; do
    echo "  node $i: $(echo "scale=1; ($(ticks "$p") - ${before[$p]}) / $hz" | bc) s"
    i=$((i + 1))
done
echo "  postgres (all its processes): $(echo "scale=1; ($(postgres_ticks) - pg_before) / $hz" | bc) s"
echo "  the bench itself (clients and workers): see its own line; it shares the cores"
counters_after=$(counters)
read -r x0 r0 f0 b0 s0 <<<"$counters_before"
read -r x1 r1 f1 b1 s1 <<<"$counters_after"
per_run() { echo "scale=2; ($1) / $RUNS" | bc; }
echo "PostgreSQL per run ($RUNS runs; the whole server's WAL, counters read before and after):"
echo "  transactions $(per_run "$x1 - $x0"), WAL flushes $(per_run "$s1 - $s0"), WAL records $(per_run "$r1 - $r0"), full-page images $(per_run "$f1 - $f0"), WAL bytes $(per_run "$b1 - $b0")"
if [ "$STATEMENTS" = 1 ]; then
    echo "Statements by total time (pg_stat_statements):"
    psql_base -F ' | ' -c "
        SELECT round(total_exec_time)::text || ' ms', calls,
               round((total_exec_time / calls)::numeric, 3)::text || ' ms/call',
               left(regexp_replace(query, '\s+', ' ', 'g'), 110)
        FROM pg_stat_statements
        WHERE query NOT LIKE '%pg_stat_statements%'
            AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT 8"
    echo "Statements per run, by calls (pg_stat_statements):"
    psql_base -F ' | ' -c "
        SELECT round(calls::numeric / $RUNS, 2), round(total_exec_time)::text || ' ms',
               left(regexp_replace(query, '\s+', ' ', 'g'), 90)
        FROM pg_stat_statements
        WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_wal%'
            AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY calls DESC LIMIT 14"
    psql_base -c "
        SELECT 'all statements: ' || round(sum(calls)::numeric / $RUNS, 2) || ' per run'
        FROM pg_stat_statements
        WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_wal%'
            AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
fi

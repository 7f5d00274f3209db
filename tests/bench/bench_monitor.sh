#!/usr/bin/env bash
# Monitor benchmarks (release build, this machine):
#  1. build/release/tests/bench_monitor: 24 h of per-second metrics for 50 nodes, time to switch
#     the charts to the 24 h window (target < 200 ms).
#  2. The designer itself (`weir --run --report-stalls`, offscreen) on BENCH_ROWS generated
#     orders (default 2M): CSV -> validate -> SQLite upsert with the monitor, charts and canvas
#     updating once a second; prints the rate and the longest GUI-thread stall (target < 50 ms
#     while the run moves 500k records/s). BENCH_HISTORY=0 skips the first part.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEERS="$ROOT/../shared/bench"
source "$PEERS/lib.sh"

N=${BENCH_ROWS:-2000000}
BIN="$ROOT/build/release"
if [[ ! -x "$BIN/app/gui/weir" || ! -x "$BIN/tests/bench_monitor" ]]; then
  log "building the release preset"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
fi
export QT_QPA_PLATFORM=offscreen

if [[ ${BENCH_HISTORY:-1} == 1 ]]; then
  log "chart windows over 24 h of history"
  "$BIN/tests/bench_monitor" 2>/dev/null
fi

mkdir -p "$BENCH_WORK"
W=$(mktemp -d "$BENCH_WORK/weir-monitor.XXXXXX")
trap 'rm -rf "$W"' EXIT
ensure_data "$N"
csv="$BENCH_DATA/orders_${N}.csv"
cat >"$W/monitor_$N.weir.json" <<JSON
{"format": 1, "name": "monitor_$N",
 "nodes": [
  {"id": "read", "type": "csv.source", "config": {"path": "$csv"}, "position": [0, 0]},
  {"id": "types", "type": "validate", "config": {"types": {"order_id": "int", "customer_id": "int", "amount": "decimal"}}, "position": [260, 0]},
  {"id": "orders", "type": "sqlite.sink", "config": {"path": "$W/orders.db", "table": "orders", "key": ["order_id"], "order_by": "updated_at"}, "position": [520, 0]}],
 "edges": [{"from": "read.out", "to": "types.in"}, {"from": "types.out", "to": "orders.in"}]}
JSON
log "designer run on $N rows with --report-stalls"
"$BIN/app/gui/weir" "$W/monitor_$N.weir.json" --run --quit-after-run --report-stalls \
  --state "$W/state.db" --autosave-dir "$W/autosave" 2>"$W/gui.log" || { cat "$W/gui.log" >&2; die "weir failed"; }
check "rows" "$(sqlite3 "$W/orders.db" 'SELECT count(*) FROM orders')" "$(expected_field "$N" distinct_ids)" \
  || die "the designer's run did not load the expected rows"
ms=$(sqlite3 "$W/state.db" 'SELECT finished_ms - started_ms FROM runs ORDER BY id DESC LIMIT 1')
read_rows=$(sqlite3 "$W/state.db" 'SELECT records_in FROM runs ORDER BY id DESC LIMIT 1')
stall=$(grep -o 'longest stall [0-9.]* ms' "$W/gui.log" | grep -o '[0-9.]*')
rate=$(awk -v r="$read_rows" -v m="$ms" 'BEGIN { printf "%.0f", r / (m / 1000.0) }')
echo "designer run: $read_rows records in $ms ms = $rate records/s; longest GUI-thread stall ${stall} ms (target < 50 ms)"

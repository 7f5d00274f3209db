#!/usr/bin/env bash
# Weir vs its peers on the orders data set, same machine, same run.
#
#   tests/bench/bench_orders.sh            1M and 10M rows for Weir, peers at 1M
#   BENCH_ROWS="1000000" tests/bench/bench_orders.sh   only 1M
#   BENCH_PEERS=0 ...                      skip the peers
#
# Weir: weir-run (release build) on CSV -> validate (types) -> SQLite upsert on order_id,
# last write wins by updated_at, exactly-once (positions committed with every batch).
# Peers (../shared/bench): sqlite3 CLI staging + INSERT .. ON CONFLICT, pandas tutorial loader.
# Prints RESULT lines, the ratios and the targets (>= 2x sqlite3 upsert, >= 30x pandas,
# peak RSS < 200 MB and flat from 1M to 10M).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEERS="$ROOT/../shared/bench"
source "$PEERS/lib.sh"

ROWS=${BENCH_ROWS:-"1000000 10000000"}
WEIR="$ROOT/build/release/app/cli/weir-run"
if [[ ! -x "$WEIR" ]]; then
  log "building the release preset"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
fi
mkdir -p "$BENCH_WORK"
W=$(mktemp -d "$BENCH_WORK/weir.XXXXXX")
trap 'rm -rf "$W"' EXIT

declare -A SECS RSS
for n in $ROWS; do
  ensure_data "$n"
  csv="$BENCH_DATA/orders_${n}.csv"
  db="$W/weir_$n.db"
  cat >"$W/bench_$n.weir.json" <<JSON
{"format": 1, "name": "bench_$n",
 "nodes": [
  {"id": "read", "type": "csv.source", "config": {"path": "$csv"}},
  {"id": "types", "type": "validate", "config": {"types": {"order_id": "int", "customer_id": "int", "amount": "decimal"}}},
  {"id": "orders", "type": "sqlite.sink", "config": {"path": "$db", "table": "orders", "key": ["order_id"], "order_by": "updated_at"}}],
 "edges": [{"from": "read.out", "to": "types.in"}, {"from": "types.out", "to": "orders.in"}]}
JSON
  sync
  t0=$(now)
  /usr/bin/time -f "%M" -o "$W/rss_$n" "$WEIR" run "$W/bench_$n.weir.json" --once --state "$W/state_$n.db" 2>"$W/run_$n.log" \
    || { cat "$W/run_$n.log" >&2; die "weir-run failed"; }
  secs=$(elapsed "$t0")
  rss_kb=$(tail -1 "$W/rss_$n")
  SECS[$n]=$secs
  RSS[$n]=$((rss_kb / 1024))
  fail=0
  check "weir rows ($n)" "$(sqlite3 "$db" 'SELECT count(*) FROM orders')" "$(expected_field "$n" distinct_ids)" || fail=1
  check "weir sum(amount) ($n)" "$(sqlite3 "$db" "SELECT printf('%.2f', sum(round(amount*100))/100.0) FROM orders")" \
    "$(expected_field "$n" final_amount_sum)" || fail=1
  [[ $fail == 0 ]] || die "weir result does not match orders_${n}.expected.json"
  # Replay: the same file again must read nothing and change nothing.
  t0=$(now)
  "$WEIR" run "$W/bench_$n.weir.json" --once --state "$W/state_$n.db" 2>"$W/replay_$n.log"
  rsecs=$(elapsed "$t0")
  grep -q "0 read, 0 written" "$W/replay_$n.log" || die "replay was not a no-op: $(cat "$W/replay_$n.log")"
  result weir_upsert "$n" "$secs" "peak_rss_mb=${RSS[$n]} replay_s=$rsecs"
  rm -f "$db" "$db-wal" "$db-shm"
done

[[ "${BENCH_PEERS:-1}" == 1 ]] || exit 0
first=$(echo $ROWS | awk '{print $1}')
log "peers at $first rows"
"$PEERS/peer_sqlite.sh" "$first" | tee "$W/peer_sqlite.txt"
"$PEERS/peer_pandas.sh" "$first" | tee "$W/peer_pandas.txt"
sq=$(awk '/RESULT name=sqlite_upsert /{for(i=1;i<=NF;i++) if($i ~ /^seconds=/){sub("seconds=","",$i); print $i}}' "$W/peer_sqlite.txt")
pd=$(awk '/RESULT name=pandas_to_sql /{for(i=1;i<=NF;i++) if($i ~ /^seconds=/){sub("seconds=","",$i); print $i}}' "$W/peer_pandas.txt")
ws=${SECS[$first]}
echo
echo "== Weir vs peers, $first rows (higher is better for Weir) =="
awk -v w="$ws" -v s="$sq" 'BEGIN{printf "weir %.3f s vs sqlite3 staging upsert %.3f s: %.2fx (target >= 2x)\n", w, s, s/w}'
awk -v w="$ws" -v p="$pd" 'BEGIN{printf "weir %.3f s vs pandas loader %.3f s: %.1fx (target >= 30x)\n", w, p, p/w}'
for n in $ROWS; do echo "weir peak RSS at $n rows: ${RSS[$n]} MB (target < 200 MB, flat)"; done

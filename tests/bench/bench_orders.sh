#!/usr/bin/env bash
# Weir vs its peers on the orders data set, same machine, same run.
#
#   tests/bench/bench_orders.sh            1M and 10M rows for Weir, peers at 1M
#   BENCH_ROWS="1000000" tests/bench/bench_orders.sh   only 1M
#   BENCH_PEERS=0 ...                      skip the peers
#   BENCH_REPEAT=5 ...                     rounds at the first size (default 3)
#
# Weir: weir-run (release build) on CSV -> validate (types) -> SQLite upsert on order_id,
# last write wins by updated_at, exactly-once (positions committed with every batch).
# Peers (../shared/bench): sqlite3 CLI staging + INSERT .. ON CONFLICT, pandas tutorial loader.
# Prints RESULT lines, the ratios and the targets (>= 2x sqlite3 upsert, >= 30x pandas,
# peak RSS < 200 MB and flat from 1M to 10M). Single runs on a shared 2-core machine vary by a
# third or more, so at the first size Weir and the sqlite3 peer take turns BENCH_REPEAT times
# and the ratio is of the medians; every round's figures are printed as well.
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

# One Weir load of orders_$1 into a fresh database, checked against the expected result, then
# the same file again (must read nothing). Sets SECS and RSS_MB.
weir_once() {
  local n=$1
  ensure_data "$n"
  local csv db secs rss_kb fail rsecs t0
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
  RSS_MB=$((rss_kb / 1024))
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
  result weir_upsert "$n" "$secs" "peak_rss_mb=$RSS_MB replay_s=$rsecs"
  rm -f "$db" "$db-wal" "$db-shm" "$W/state_$n.db"*
  SECS=$secs
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
seconds_of() { awk -v name="$1" '$1=="RESULT" && $2=="name="name {for(i=1;i<=NF;i++) if($i ~ /^seconds=/){sub("seconds=","",$i); print $i}}' "$2"; }

REPEAT=${BENCH_REPEAT:-3}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT must be a whole number of rounds, at least 1"
PEERS_ON=${BENCH_PEERS:-1}
first=$(echo $ROWS | awk '{print $1}')
declare -A RSS
weir_runs="" sqlite_runs=""
for n in $ROWS; do
  rounds=1
  [[ $n == "$first" ]] && rounds=$REPEAT
  for ((r = 1; r <= rounds; r++)); do
    weir_once "$n"
    RSS[$n]=$(( ${RSS[$n]:-0} > RSS_MB ? ${RSS[$n]:-0} : RSS_MB ))
    [[ $n == "$first" ]] || continue
    weir_runs+=" $SECS"
    if [[ $PEERS_ON == 1 ]]; then
      "$PEERS/peer_sqlite.sh" "$first" | tee "$W/peer_sqlite.txt"
      sqlite_runs+=" $(seconds_of sqlite_upsert "$W/peer_sqlite.txt")"
    fi
  done
done

echo
for n in $ROWS; do echo "weir peak RSS at $n rows: ${RSS[$n]} MB (target < 200 MB, flat)"; done
ws=$(echo "$weir_runs" | median)
echo "weir at $first rows, $REPEAT rounds:$weir_runs s (median $ws s)"
[[ $PEERS_ON == 1 ]] || exit 0
"$PEERS/peer_pandas.sh" "$first" | tee "$W/peer_pandas.txt"
sq=$(echo "$sqlite_runs" | median)
pd=$(seconds_of pandas_to_sql "$W/peer_pandas.txt")
echo
echo "== Weir vs peers, $first rows, same machine, taking turns (higher is better for Weir) =="
echo "sqlite3 staging upsert, $REPEAT rounds:$sqlite_runs s (median $sq s)"
awk -v w="$ws" -v s="$sq" 'BEGIN{printf "weir %.3f s vs sqlite3 staging upsert %.3f s (medians): %.2fx (target >= 2x)\n", w, s, s/w}'
awk -v w="$ws" -v p="$pd" 'BEGIN{printf "weir %.3f s vs pandas loader %.3f s (one run): %.1fx (target >= 30x)\n", w, p, p/w}'

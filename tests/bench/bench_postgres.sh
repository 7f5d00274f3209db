#!/usr/bin/env bash
# Weir vs psql on loading the orders data set into PostgreSQL, same machine, same run.
#
#   tests/bench/bench_postgres.sh                 1M rows
#   BENCH_ROWS=200000 tests/bench/bench_postgres.sh
#
# Weir: weir-run (release build) on CSV -> validate (types) -> postgres.sink upsert on
# order_id, last write wins by updated_at, exactly-once (positions committed with the data).
# Peer (../shared/bench/peer_pg_copy.sh): psql \copy into a staging table + INSERT .. ON
# CONFLICT, one transaction. Both against the cluster of ../shared/bench/pg.sh (started here
# when none runs, and stopped again). Prints RESULT lines and the ratio (target >= 1.0x).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/pg_bench_setup.sh" weir_bench_pg

N=${BENCH_ROWS:-1000000}
ensure_data "$N"
csv="$BENCH_DATA/orders_${N}.csv"

cat >"$W/bench.weir.json" <<JSON
{"format": 1, "name": "bench_pg",
 "nodes": [
  {"id": "read", "type": "csv.source", "config": {"path": "$csv"}},
  {"id": "types", "type": "validate", "config": {"types": {"order_id": "int", "customer_id": "int", "amount": "decimal", "updated_at": "timestamp"}}},
  {"id": "orders", "type": "postgres.sink", "config": {"connection": "\${env:WEIR_BENCH_PG}", "table": "orders", "key": ["order_id"], "order_by": "updated_at"}}],
 "edges": [{"from": "read.out", "to": "types.in"}, {"from": "types.out", "to": "orders.in"}]}
JSON
# As the peer does before each of its phases: no checkpoint left over from setup in the timing.
psql "$WEIR_BENCH_PG" -qAtc CHECKPOINT >/dev/null
sync
t0=$(now)
/usr/bin/time -f "%M %U %S %e" -o "$W/rss" "$WEIR" run "$W/bench.weir.json" --once --state "$W/state.db" 2>"$W/run.log" \
  || { cat "$W/run.log" >&2; die "weir-run failed"; }
secs=$(elapsed "$t0")
fail=0
check "weir rows" "$(psql "$WEIR_BENCH_PG" -qAtc 'SELECT count(*) FROM orders')" "$(expected_field "$N" distinct_ids)" || fail=1
check "weir sum(amount)" "$(psql "$WEIR_BENCH_PG" -qAtc 'SELECT sum(amount) FROM orders')" "$(expected_field "$N" final_amount_sum)" || fail=1
[[ $fail == 0 ]] || die "weir result does not match orders_${N}.expected.json"
read -r rss user sys _ < <(tail -1 "$W/rss")
# Weir's own CPU seconds (user + system, all threads): the rest of the machine is the server's.
result weir_pg_upsert "$N" "$secs" "peak_rss_mb=$(( rss / 1024 )) cpu_s=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')"

"$PEERS/peer_pg_copy.sh" "$N" | tee "$W/peer.txt"
peer=$(awk '/RESULT name=pg_upsert /{for(i=1;i<=NF;i++) if($i ~ /^seconds=/){sub("seconds=","",$i); print $i}}' "$W/peer.txt")
echo
echo "== Weir vs psql, $N rows into PostgreSQL (higher is better for Weir) =="
awk -v w="$secs" -v p="$peer" 'BEGIN{printf "weir %.3f s vs psql \\copy staging + upsert %.3f s: %.2fx (target >= 1.0x)\n", w, p, p/w}'

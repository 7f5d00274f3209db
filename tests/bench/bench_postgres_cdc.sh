#!/usr/bin/env bash
# Weir's change data capture throughput beside pg_recvlogical, same machine, same run.
#
#   tests/bench/bench_postgres_cdc.sh                 1M rows
#   BENCH_ROWS=200000 tests/bench/bench_postgres_cdc.sh
#
# A table of N rows is captured by postgres.cdc into a SQLite upsert target (the snapshot,
# timed too), then one UPDATE changes every row: N changes in one transaction. Weir:
# weir-run --once drains them into the target (exactly-once, the slot confirmed after the
# commit). Floor: pg_recvlogical receives the same changes from a second slot, decoded by the
# same pgoutput plugin, into /dev/null (no target at all). Both against the cluster of
# ../shared/bench/pg.sh (started here when none runs, and stopped again). Prints RESULT lines,
# changes per second (target >= 100k/s) and Weir's peak memory.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/pg_bench_setup.sh" weir_cdc_bench

N=${BENCH_ROWS:-1000000}
psql "$WEIR_BENCH_PG" -qAt <<SQL >/dev/null
CREATE TABLE items (id int PRIMARY KEY, qty bigint NOT NULL, price numeric(12,2), note text);
INSERT INTO items SELECT i, i % 97, (i % 1000) * 1.5, 'item ' || i FROM generate_series(1, $N) i;
SQL

cat >"$W/cdc.weir.json" <<JSON
{"format": 1, "name": "bench_cdc",
 "nodes": [
  {"id": "changes", "type": "postgres.cdc", "config": {"connection": "\${env:WEIR_BENCH_PG}", "tables": ["public.items"], "heartbeat_seconds": 0}},
  {"id": "replica", "type": "sqlite.sink", "config": {"path": "$W/replica.db", "table": "items", "key": ["id"]}}],
 "edges": [{"from": "changes.out", "to": "replica.in"}]}
JSON
run_weir() { # NAME: one weir-run --once, timed, with its peak memory
  local t0 secs
  t0=$(now)
  /usr/bin/time -f "%M" -o "$W/rss" "$WEIR" run "$W/cdc.weir.json" --once --state "$W/state.db" 2>"$W/run.log" \
    || { cat "$W/run.log" >&2; die "weir-run failed"; }
  secs=$(elapsed "$t0")
  check "$1: replica rows" "$(sqlite3 "$W/replica.db" 'SELECT count(*) FROM items')" "$N"
  check "$1: replica sum(qty)" "$(sqlite3 "$W/replica.db" 'SELECT sum(qty) FROM items')" \
    "$(psql "$WEIR_BENCH_PG" -qAtc 'SELECT sum(qty) FROM items')"
  result "$1" "$N" "$secs" "peak_rss_mb=$(( $(tail -1 "$W/rss") / 1024 ))"
}
run_weir weir_cdc_snapshot | tee "$W/snapshot.txt"

# The floor's slot starts here too, so both see the same change stream.
psql "$WEIR_BENCH_PG" -qAtc "SELECT pg_create_logical_replication_slot('bench_floor', 'pgoutput')" >/dev/null
psql "$WEIR_BENCH_PG" -qAtc "UPDATE items SET qty = qty + 1" >/dev/null
end_lsn=$(psql "$WEIR_BENCH_PG" -qAtc "SELECT pg_current_wal_lsn()")
run_weir weir_cdc_changes | tee "$W/changes.txt"

t0=$(now)
pg_recvlogical -d "$WEIR_BENCH_PG" --slot bench_floor --start --endpos "$end_lsn" --no-loop \
  -o proto_version=1 -o publication_names=weir_bench_cdc_changes -f /dev/null
floor=$(elapsed "$t0")
result pg_recvlogical_changes "$N" "$floor"

weir=$(awk '/RESULT name=weir_cdc_changes /{for(i=1;i<=NF;i++) if($i ~ /^seconds=/){sub("seconds=","",$i); print $i}}' "$W/changes.txt")
echo
echo "== Weir CDC, $N changes in one transaction into SQLite (target >= 100k changes/s) =="
awk -v w="$weir" -v f="$floor" -v n="$N" 'BEGIN{printf "weir %.3f s = %.0f changes/s; pg_recvlogical (receive only, no target) %.3f s = %.0f changes/s\n", w, n/w, f, n/f}'

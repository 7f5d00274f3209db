#!/usr/bin/env bash
# Weir's change data capture latency, from the commit in PostgreSQL to the commit in the
# target, beside pg_recvlogical's receive latency (the floor: no decoding into records, no
# target), same machine, same run.
#
#   tests/bench/bench_cdc_latency.sh                  200 transactions/s for 20 s
#   BENCH_RATE=500 BENCH_SECONDS=10 tests/bench/bench_cdc_latency.sh
#
# pgbench commits one-row INSERTs at BENCH_RATE transactions per second (Poisson arrivals),
# each row stamped with clock_timestamp() as it is written. Weir (weir-run, release build)
# streams them by postgres.cdc into a SQLite upsert target, exactly-once, where a trigger
# stamps each row as it is written; latency = target stamp (+1 ms: SQLite's clock counts whole
# milliseconds, so Weir's figures are upper bounds) - source stamp. The floor:
# pg_recvlogical on a second slot with test_decoding and commit timestamps; latency = the
# time its output line is read - the commit time it shows. Both against the cluster of
# ../shared/bench/pg.sh (started here when none runs, and stopped again); the processes
# started here are stopped by process id. Prints RESULT lines and p50/p99 (targets: p50 <= 5
# ms, p99 <= 50 ms).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
command -v pgbench >/dev/null || { echo "pgbench not installed" >&2; exit 1; }
WEIR_PID=""
FLOOR_PID=""
bench_cleanup() {
  [[ -n "$WEIR_PID" ]] && kill "$WEIR_PID" 2>/dev/null && wait "$WEIR_PID" 2>/dev/null
  [[ -n "$FLOOR_PID" ]] && kill "$FLOOR_PID" 2>/dev/null && wait "$FLOOR_PID" 2>/dev/null
  return 0
}
source "$HERE/pg_bench_setup.sh" weir_cdc_latency

RATE=${BENCH_RATE:-200}
SECONDS_RUN=${BENCH_SECONDS:-20}
psql "$WEIR_BENCH_PG" -qAtc "CREATE TABLE ticks (id bigserial PRIMARY KEY, written_at float8 NOT NULL, v int)" >/dev/null

# The target, made beforehand with a column the trigger fills as each row is written.
sqlite3 "$W/replica.db" <<'SQL'
CREATE TABLE ticks (id INTEGER PRIMARY KEY, written_at REAL, v INTEGER, arrived_at REAL);
CREATE TRIGGER stamp AFTER INSERT ON ticks BEGIN
  UPDATE ticks SET arrived_at = (julianday('now') - 2440587.5) * 86400.0 WHERE id = NEW.id;
END;
SQL
cat >"$W/cdc.weir.json" <<JSON
{"format": 1, "name": "bench_latency",
 "nodes": [
  {"id": "changes", "type": "postgres.cdc", "config": {"connection": "\${env:WEIR_BENCH_PG}", "tables": ["public.ticks"]}},
  {"id": "replica", "type": "sqlite.sink", "config": {"path": "$W/replica.db", "table": "ticks", "key": ["id"]}}],
 "edges": [{"from": "changes.out", "to": "replica.in"}]}
JSON

wait_for() { # DESCRIPTION COMMAND...: polls until the command succeeds (30 s)
  local what=$1; shift
  for _ in $(seq 1 300); do "$@" && return 0; sleep 0.1; done
  die "timed out waiting for $what"
}
streaming() {
  [[ $(psql "$WEIR_BENCH_PG" -qAtc "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$1' AND active") == 1 ]]
}

"$WEIR" run "$W/cdc.weir.json" --state "$W/state.db" 2>"$W/run.log" &
WEIR_PID=$!
wait_for "weir-run to stream" streaming weir_bench_latency_changes

# The floor: commit timestamps from test_decoding, stamped as each line is read.
psql "$WEIR_BENCH_PG" -qAtc "SELECT pg_create_logical_replication_slot('bench_floor', 'test_decoding')" >/dev/null
pg_recvlogical -d "$WEIR_BENCH_PG" --slot bench_floor --start -o include-timestamp=on -f - \
  > >(python3 -u -c '
import datetime, re, sys, time
at = re.compile(r"\(at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?\)")
for line in sys.stdin:
    now = time.time()
    m = at.search(line) if line.startswith("COMMIT") else None
    if m:
        t = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc)
        offset = int(m.group(2)) * 3600 + int(m.group(3) or 0) * 60 * (1 if m.group(2)[0] == "+" else -1)
        print("%.3f" % ((now - (t.timestamp() - offset)) * 1000.0), flush=True)
' >"$W/floor.txt") &
FLOOR_PID=$!
wait_for "pg_recvlogical to stream" streaming bench_floor

echo "INSERT INTO ticks (written_at, v) VALUES (extract(epoch FROM clock_timestamp()), 1);" >"$W/tick.sql"
log "pgbench: $RATE transactions/s for $SECONDS_RUN s"
pgbench -n -c 1 -R "$RATE" -T "$SECONDS_RUN" -f "$W/tick.sql" "$WEIR_BENCH_PG" >"$W/pgbench.log" 2>&1 \
  || { cat "$W/pgbench.log" >&2; die "pgbench failed"; }
TOTAL=$(psql "$WEIR_BENCH_PG" -qAtc "SELECT count(*) FROM ticks")
arrived() { [[ $(sqlite3 "$W/replica.db" "SELECT count(*) FROM ticks WHERE arrived_at IS NOT NULL") == "$TOTAL" ]]; }
wait_for "the target to have all $TOTAL rows" arrived
floor_done() { [[ $(wc -l <"$W/floor.txt") -ge $TOTAL ]]; }
wait_for "pg_recvlogical to see all $TOTAL commits" floor_done
kill "$WEIR_PID"; wait "$WEIR_PID" 2>/dev/null || true; WEIR_PID=""
kill "$FLOOR_PID" 2>/dev/null; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""

percentiles() { # reads milliseconds, one per line; prints "p50 p99 max"
  sort -n | awk '{v[NR]=$1} END{i50=int(NR*0.50); i99=int(NR*0.99); if(i50<1)i50=1; if(i99<1)i99=1; printf "%.2f %.2f %.2f\n", v[i50], v[i99], v[NR]}'
}
# SQLite's clock counts whole milliseconds: a stamp is up to 1 ms early, so 1 ms is added and
# Weir's figures are upper bounds.
read -r w50 w99 wmax < <(sqlite3 "$W/replica.db" "SELECT (arrived_at + 0.001 - written_at) * 1000.0 FROM ticks" | percentiles)
read -r f50 f99 fmax < <(percentiles <"$W/floor.txt")
echo "RESULT name=weir_cdc_latency transactions=$TOTAL rate=$RATE p50_ms=$w50 p99_ms=$w99 max_ms=$wmax"
echo "RESULT name=pg_recvlogical_latency transactions=$TOTAL rate=$RATE p50_ms=$f50 p99_ms=$f99 max_ms=$fmax"
echo
echo "== CDC commit -> target commit, $TOTAL transactions at $RATE/s (targets: p50 <= 5 ms, p99 <= 50 ms) =="
echo "weir (into SQLite, exactly-once; upper bounds, SQLite stamps whole ms): p50 $w50 ms, p99 $w99 ms, max $wmax ms"
echo "pg_recvlogical (receive only, test_decoding): p50 $f50 ms, p99 $f99 ms, max $fmax ms"

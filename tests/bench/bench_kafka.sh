#!/usr/bin/env bash
# Weir reading Kafka vs kcat, same mock cluster, same machine, same run.
#
#   tests/bench/bench_kafka.sh            1M orders
#   BENCH_ROWS=200000 tests/bench/bench_kafka.sh
#   BENCH_REPEAT=5 ...                    rounds (default 3), Weir and kcat taking turns
#
# The cluster is ../shared/bench/kafka_mock (librdkafka's mock brokers, 3 of them, on
# 127.0.0.1) with the topic orders over KAFKA_PARTITIONS partitions (default 64: the mock keeps
# about 5 MiB per partition). kcat -P fills it with orders_N.jsonl, one message per line, keyed
# by order_id.
# Each round, kcat -C -e reads every message to the end (the peer), kcat -G -e does the same as
# a member of a new consumer group (as Weir does), then weir-run --once reads
# them as a fresh consumer group into a fresh SQLite table, upserted on order_id, last write
# wins by updated_at, positions committed with the data (exactly-once). The result is checked
# against orders_N.expected.json. Prints RESULT lines, every round, and the ratio of the
# medians as a rate (kcat seconds / Weir seconds; target >= 0.8) and Weir's peak RSS.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEERS="$ROOT/../shared/bench"
source "$PEERS/lib.sh"

N=${BENCH_ROWS:-1000000}
P=${KAFKA_PARTITIONS:-64}
REPEAT=${BENCH_REPEAT:-3}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT must be a whole number of rounds, at least 1"
command -v kcat >/dev/null || die "kcat not installed (./dev installs it)"
WEIR="$ROOT/build/release/app/cli/weir-run"
if [[ ! -x "$WEIR" ]]; then
  log "building the release preset"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target weir-run >/dev/null)
fi
ensure_data "$N"
JSONL="$BENCH_DATA/orders_${N}.jsonl"

mkdir -p "$BENCH_BUILD" "$BENCH_WORK"
MOCK="$BENCH_BUILD/kafka_mock"
if [[ ! -x "$MOCK" || "$PEERS/kafka_mock.c" -nt "$MOCK" ]]; then
  gcc -O2 -Wall -o "$MOCK" "$PEERS/kafka_mock.c" -lrdkafka || die "building kafka_mock failed"
fi
W=$(mktemp -d "$BENCH_WORK/weir-kafka.XXXXXX")
MOCK_PID=""
cleanup() { stop_pid "$MOCK_PID" kafka_mock; rm -rf "$W"; }
trap cleanup EXIT

"$MOCK" -b 3 -o "$W/bootstrap" -t "orders:$P:3" >/dev/null 2>"$W/mock.log" &
MOCK_PID=$!
for _ in $(seq 1 100); do [[ -s "$W/bootstrap" ]] && break; kill -0 "$MOCK_PID" 2>/dev/null || break; sleep 0.1; done
[[ -s "$W/bootstrap" ]] || { cat "$W/mock.log" >&2; die "mock cluster did not come up"; }
BS=$(cat "$W/bootstrap")
log "mock cluster pid $MOCK_PID, topic orders with $P partitions"

# Keyed by order_id: the messages spread evenly over the partitions (keyless ones stick to a
# few, which then overflow the mock's retention), and an order's versions stay in order.
sed 's/^{"order_id":\([0-9]*\),/\1\t&/' "$JSONL" >"$W/keyed.tsv"
t0=$(now)
kcat -P -K '\t' -b "$BS" -t orders <"$W/keyed.tsv" 2>"$W/produce.err" || { cat "$W/produce.err" >&2; die "kcat -P failed"; }
result kcat_produce_mock "$N" "$(elapsed "$t0")" "partitions=$P"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
kcat_runs="" kcat_group_runs="" weir_runs="" rss=0
for ((r = 1; r <= REPEAT; r++)); do
  t0=$(now)
  kcat -C -b "$BS" -t orders -o beginning -e -q >"$W/consumed.jsonl" 2>"$W/consume.err" || { cat "$W/consume.err" >&2; die "kcat -C failed"; }
  secs=$(elapsed "$t0")
  check "kcat messages (round $r)" "$(wc -l <"$W/consumed.jsonl")" "$N" || die "kcat lost messages"
  rm -f "$W/consumed.jsonl"
  result kcat_consume_mock "$N" "$secs" "round=$r partitions=$P"
  kcat_runs+=" $secs"
  # The same as a consumer-group member, as Weir reads (joining a group takes the broker's
  # group.initial.rebalance.delay.ms, 3 s, before the first message).
  t0=$(now)
  kcat -b "$BS" -G "kcat-$r-$$" -X auto.offset.reset=earliest -e -q orders >"$W/consumed.jsonl" 2>"$W/consume.err" \
    || { cat "$W/consume.err" >&2; die "kcat -G failed"; }
  secs=$(elapsed "$t0")
  check "kcat -G messages (round $r)" "$(wc -l <"$W/consumed.jsonl")" "$N" || die "kcat -G lost messages"
  rm -f "$W/consumed.jsonl"
  result kcat_group_consume_mock "$N" "$secs" "round=$r partitions=$P"
  kcat_group_runs+=" $secs"

  db="$W/weir_$r.db"
  cat >"$W/bench_$r.weir.json" <<JSON
{"format": 1, "name": "bench_kafka_$r",
 "nodes": [
  {"id": "read", "type": "kafka.source", "config": {"brokers": "$BS", "topics": ["orders"], "group": "bench-$r-$$"}},
  {"id": "orders", "type": "sqlite.sink", "config": {"path": "$db", "table": "orders", "key": ["order_id"], "order_by": "updated_at"}}],
 "edges": [{"from": "read.out", "to": "orders.in"}]}
JSON
  sync
  t0=$(now)
  /usr/bin/time -f "%M" -o "$W/rss_$r" "$WEIR" run "$W/bench_$r.weir.json" --once --state "$W/state_$r.db" 2>"$W/run_$r.log" \
    || { cat "$W/run_$r.log" >&2; die "weir-run failed"; }
  secs=$(elapsed "$t0")
  mb=$(( $(tail -1 "$W/rss_$r") / 1024 ))
  rss=$(( mb > rss ? mb : rss ))
  check "weir rows (round $r)" "$(sqlite3 "$db" 'SELECT count(*) FROM orders')" "$(expected_field "$N" distinct_ids)" \
    || die "weir result does not match"
  check "weir sum(amount) (round $r)" "$(sqlite3 "$db" "SELECT printf('%.2f', sum(round(amount*100))/100.0) FROM orders")" \
    "$(expected_field "$N" final_amount_sum)" || die "weir result does not match"
  check "weir positions (round $r)" "$(sqlite3 "$db" 'SELECT sum("offset") FROM _weir_offsets')" "$N" || die "positions"
  result weir_kafka_upsert "$N" "$secs" "round=$r peak_rss_mb=$mb partitions=$P"
  weir_runs+=" $secs"
  rm -f "$db" "$db-wal" "$db-shm" "$W/state_$r.db"*
done

ks=$(echo "$kcat_runs" | median)
kg=$(echo "$kcat_group_runs" | median)
ws=$(echo "$weir_runs" | median)
echo
echo "== Weir (Kafka -> SQLite upsert, exactly-once) vs kcat -C, $N messages, $P partitions =="
echo "kcat -C rounds:$kcat_runs s (median $ks s)"
echo "kcat -G rounds:$kcat_group_runs s (median $kg s)"
echo "weir rounds:$weir_runs s (median $ws s), peak RSS $rss MB"
awk -v w="$ws" -v k="$ks" -v n="$N" 'BEGIN{printf "weir %.0f msg/s vs kcat -C %.0f msg/s (medians): %.2fx kcat'"'"'s rate (target >= 0.8x)\n", n/w, n/k, k/w}'
awk -v w="$ws" -v k="$kg" -v n="$N" 'BEGIN{printf "weir %.0f msg/s vs kcat -G %.0f msg/s (medians, both in a consumer group): %.2fx\n", n/w, n/k, k/w}'

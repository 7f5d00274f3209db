# Sourced by the PostgreSQL benches: the release weir-run, a scratch folder and a scratch
# database on the cluster of ../shared/bench/pg.sh, and their cleanup on exit.
#
#   source "$HERE/pg_bench_setup.sh" PREFIX
#
# Sets ROOT, PEERS, WEIR, W (scratch folder), URI (the cluster), DB and WEIR_BENCH_PG (the
# scratch database, exported for ${env:WEIR_BENCH_PG} in pipelines). On exit: runs the
# script's own bench_cleanup if it defines one (stop what it started there, by process id),
# drops the database's replication slots and the database, stops the cluster if this started
# it, and removes W.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS="$ROOT/../shared/bench"
source "$PEERS/lib.sh"

WEIR="$ROOT/build/release/app/cli/weir-run"
if [[ ! -x "$WEIR" ]]; then
  log "building the release preset"
  (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
fi
mkdir -p "$BENCH_WORK"
W=$(mktemp -d "$BENCH_WORK/$1.XXXXXX")
DB="$1_$$"
PG_STARTED=0
pg_bench_cleanup() {
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  if [[ -n "${URI:-}" ]]; then
    psql "$URI" -qAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$DB'" >/dev/null 2>&1 || true
    psql "$URI" -qAtc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  fi
  [[ $PG_STARTED == 1 ]] && "$PEERS/pg.sh" stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap pg_bench_cleanup EXIT
"$PEERS/pg.sh" status >/dev/null 2>&1 || PG_STARTED=1
URI=$("$PEERS/pg.sh" start)
psql "$URI" -qAtc "CREATE DATABASE $DB" >/dev/null
export WEIR_BENCH_PG="${URI%/*}/$DB"

#!/usr/bin/env bash
# Retakes docs/screenshots/monitor.png, the README's first picture: the designer mid-run on a
# watched folder that order files with bad rows keep arriving in, an error-rate alert above the
# canvas and the monitor's live charts below. Needs the release build (./dev build or
# cmake --build --preset release), Xvfb and ../shared/bench/gen_orders.py. Writes only into a
# temporary folder and the PNG; stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WEIR="$ROOT/build/release/app/gui/weir"
OUT="$ROOT/docs/screenshots/monitor.png"
[[ -x $WEIR ]] || { echo "build the release preset first" >&2; exit 1; }

W=$(mktemp -d)
feeder=""
xvfb=""
cleanup() {
  [[ -n $feeder ]] && kill "$feeder" 2>/dev/null || true
  [[ -n $xvfb ]] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

# 300,000 orders, 2% of them malformed, cut into files of 5,000 rows.
python3 "$ROOT/../shared/bench/gen_orders.py" --rows 300000 --bad-frac 0.02 --out "$W" >/dev/null
mkdir -p "$W/incoming" "$W/inbox"
tail -n +2 "$W/orders_300000_bad.csv" | split -l 5000 -d -a 3 - "$W/incoming/part_"
header=$(head -1 "$W/orders_300000_bad.csv")

cat >"$W/orders_live.weir.json" <<JSON
{"format": 1, "name": "orders_live",
 "settings": {"alerts": {"error_rate_percent": 1, "error_rate_for_seconds": 2}},
 "nodes": [
  {"id": "inbox", "type": "folder.source", "label": "Orders inbox", "position": [0, 0],
   "config": {"folder": "$W/inbox", "settle_ms": 200}},
  {"id": "check", "type": "validate", "label": "Check orders", "position": [240, 0],
   "config": {"required": ["order_id", "customer_id", "amount", "status", "updated_at"],
              "types": {"order_id": "int", "customer_id": "int", "amount": "decimal",
                        "updated_at": "timestamp"}}},
  {"id": "latest", "type": "dedupe", "label": "Latest per order", "position": [480, 0],
   "config": {"key": ["order_id"], "order_by": "updated_at"}},
  {"id": "orders", "type": "sqlite.sink", "label": "orders table", "position": [720, 0],
   "config": {"path": "$W/orders.db", "table": "orders", "key": ["order_id"],
              "order_by": "updated_at"}}],
 "edges": [{"from": "inbox.out", "to": "check.in"}, {"from": "check.out", "to": "latest.in"},
           {"from": "latest.out", "to": "orders.in"}]}
JSON

# A file lands in the inbox every 400 ms (written under a temporary name, then renamed).
(
  for part in "$W"/incoming/part_*; do
    name=$(basename "$part")
    { echo "$header"; cat "$part"; } >"$W/inbox/.$name.csv"
    mv "$W/inbox/.$name.csv" "$W/inbox/$name.csv"
    sleep 0.4
  done
) &
feeder=$!

display=:$((90 + RANDOM % 10))
Xvfb "$display" -screen 0 1400x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done

HOME="$W/home" XDG_CONFIG_HOME="$W/config" DISPLAY=$display QT_QPA_PLATFORM=xcb \
  "$WEIR" "$W/orders_live.weir.json" --run --screenshot "$OUT" --screenshot-after 22000 \
  --quit-after-run --state "$W/state.db" --autosave-dir "$W/autosave"
echo "wrote $OUT"

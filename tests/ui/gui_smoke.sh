#!/usr/bin/env bash
# GUI smoke test: the real `weir` binary on a real (virtual) X display. It opens the orders
# example, runs it, and quits when the run ends. Fails when the window never appears, the run
# does not land the expected rows, or the screenshots are blank.
# Usage: gui_smoke.sh WEIR WEIR_RUN SOURCE_DIR SCREENSHOT_DIR
set -euo pipefail
WEIR=$1 WEIR_RUN=$2 SRC=$3 SHOTS=$4
unset QT_QPA_PLATFORM
mkdir -p "$SHOTS"
rm -f "$SHOTS/designer_run.png" "$SHOTS/designer_screen.png" # this run makes its own
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$SRC"/resources/examples/. "$WORK/"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
mkdir -p "$HOME"

# Runs inside the virtual display: start weir, wait for its window, photograph the screen.
# The window's title exists before its first paint, so a shot taken then is one flat colour:
# the screen is photographed again until it shows the painted window (more than 32 colours),
# within a deadline. weir stays open after its run (it saves designer_run.png then), however
# slowly the shots come on a busy machine; once both shots exist it is ended by its process id.
cat >"$WORK/session.sh" <<'SESSION'
set -euo pipefail
"$WEIR" "$WORK/orders.weir.json" --run --state "$WORK/state.db" \
  --autosave-dir "$WORK/autosave" --screenshot "$SHOTS/designer_run.png" &
pid=$!
deadline=$((SECONDS + 60))
shown=no painted=no shots=0 colours=0
while (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null; do
  if [[ $shown == no ]]; then
    if xwininfo -root -tree | grep -q 'orders.weir.json — Weir'; then
      shown=yes
    else
      sleep 0.05 # polling for the window to be created
      continue
    fi
  fi
  if [[ $painted == no ]]; then
    import -window root "$WORK/screen.png" 2>/dev/null || continue
    shots=$((shots + 1))
    colours=$(identify -format '%k' "$WORK/screen.png")
    if (( colours > 32 )); then
      mv "$WORK/screen.png" "$SHOTS/designer_screen.png"
      echo "gui_smoke: painted window on screen shot $shots"
      painted=yes
    fi
    continue
  fi
  # A whole picture: weir writes the file in place.
  if (( $(identify -format '%k' "$SHOTS/designer_run.png" 2>/dev/null || echo 0) > 32 )); then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    exit 0
  fi
  sleep 0.05 # polling for the run to end and its screenshot to be saved
done
kill "$pid" 2>/dev/null || true
code=0
wait "$pid" 2>/dev/null || code=$?
if [[ $shown == no ]]; then
  echo "gui_smoke: the weir window never appeared (weir exit code $code)" >&2
elif [[ $painted == no ]]; then
  echo "gui_smoke: no painted window in $shots screen shots, the last with $colours colours" \
    "(weir exit code $code)" >&2
else
  echo "gui_smoke: the run never ended with its screenshot saved (weir exit code $code)" >&2
fi
exit 1
SESSION
export WEIR WORK SHOTS
timeout 120 xvfb-run -a -s "-screen 0 1600x1000x24" bash "$WORK/session.sh"

# The run landed what the sample holds (see tst_cli): 182 orders, 12 bad rows in the DLQ,
# and committed its positions: a rerun from the command line reads nothing.
rows=$(sqlite3 "$WORK/orders.db" "SELECT count(*) || ' ' || printf('%.2f', sum(amount)) FROM orders;")
[[ $rows == "182 96284.89" ]] || { echo "gui_smoke: target holds '$rows', expected '182 96284.89'" >&2; exit 1; }
status=$(sqlite3 "$WORK/state.db" "SELECT group_concat(status) FROM runs;")
[[ $status == finished ]] || { echo "gui_smoke: runs ended '$status', expected 'finished'" >&2; exit 1; }
dead=$(sqlite3 "$WORK/state.db" "SELECT count(*) FROM dead_letters;")
[[ $dead -eq 12 ]] || { echo "gui_smoke: $dead dead letters, expected 12" >&2; exit 1; }
rerun=$("$WEIR_RUN" run "$WORK/orders.weir.json" --once --state "$WORK/state.db" 2>&1)
[[ $rerun == *" 0 read, 0 written"* ]] || { echo "gui_smoke: rerun did work: $rerun" >&2; exit 1; }

for shot in designer_run designer_screen; do
  colours=$(identify -format '%k' "$SHOTS/$shot.png")
  [[ $colours -gt 32 ]] || { echo "gui_smoke: $shot.png looks blank ($colours colours)" >&2; exit 1; }
done
echo "gui_smoke: window shown, run landed 182 rows and 12 dead letters, screenshots in $SHOTS"

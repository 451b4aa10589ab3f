#!/usr/bin/env bash
# Cold-start time of the window, measured under a virtual X display (Mesa llvmpipe).
# For each run: a fresh process and a fresh HOME (no saved state), started at t0; then
#   mapped  = when a window titled "MI Workbench" is visible (xdotool search, polled every 10 ms)
#   painted = when that window's content is first more than a flat colour (polled with
#             ImageMagick `import -window ID`, ~0.12 s per poll, so this is late by up
#             to ~0.12 s; `%k` = number of distinct colours)
# Prints one line per run and the median of each.
# Usage: packaging/measure_start.sh [BINARY] [RUNS] [ARGS...]
#        (default target/release/mi-workbench, 5 runs, no args = the bundled sample)
set -euo pipefail
bin=${1:-target/release/mi-workbench}; runs=${2:-5}; shift $(( $# >= 2 ? 2 : $# )) || true
disp=:$(( 80 + RANDOM % 9 ))
Xvfb "$disp" -screen 0 1400x900x24 >/dev/null 2>&1 & xpid=$!
trap 'kill $xpid 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=$disp LIBGL_ALWAYS_SOFTWARE=1
now() { date +%s.%N; }
mapped_all=(); painted_all=()
for i in $(seq "$runs"); do
  home=$(mktemp -d); rt=$(mktemp -d)
  t0=$(now)
  HOME=$home XDG_RUNTIME_DIR=$rt "$bin" "$@" >/dev/null 2>&1 & apid=$!
  # Poll (xdotool's own --sync waits in 0.5 s steps, too coarse for this).
  wid=
  until [ -n "$wid" ]; do
    wid=$(xdotool search --onlyvisible --name "MI Workbench" 2>/dev/null | head -1) || true
    [ -n "$wid" ] || sleep 0.01
  done
  t1=$(now)
  while :; do
    k=$(import -window "$wid" -format '%k' info: 2>/dev/null || echo 0)
    [ "${k:-0}" -gt 16 ] && break
    sleep 0.01
  done
  t2=$(now)
  kill "$apid"; wait "$apid" 2>/dev/null || true
  rm -rf "$home" "$rt"
  m=$(echo "$t1 - $t0" | bc); p=$(echo "$t2 - $t0" | bc)
  printf 'run %d: window mapped %.2f s, first painted frame %.2f s\n' "$i" "$m" "$p"
  mapped_all+=("$m"); painted_all+=("$p")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf 'median of %d: window mapped %.2f s, first painted frame %.2f s\n' "$runs" "$(median "${mapped_all[@]}")" "$(median "${painted_all[@]}")"

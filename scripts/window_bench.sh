#!/usr/bin/env bash
# The heatmap job in the real window (Xvfb + Mesa's software GL, llvmpipe) against the same
# job on the command line (docs/performance.md, "The window while it computes").
#
# Usage: scripts/window_bench.sh [CSV] [RUNS]
#   CSV   defaults to a generated diamonds-like file (scripts/diamonds_like.py: 53,940 rows,
#         10 columns, 3 of them categorical); the heatmap must start by itself (default
#         settings, under its auto-start budget).
#   RUNS  runs of each (default 3); medians are printed at the end.
# Env:    BIN (default target/release/mi-workbench), SIZE (screen, default 1400x900).
#
# Window: MI_WORKBENCH_MEASURE=heatmap makes the app (src/app/measure.rs) open CSV on the
# heatmap tab, and when its heatmap job ends print the job's wall time (spawn to the
# worker's return), the UI thread's CPU time meanwhile (/proc/.../schedstat), the frames
# drawn and the other threads' CPU, then close. Each run has a fresh HOME (no saved
# settings). The X server's CPU over the whole window run is read from /proc too.
# CLI: `mi-workbench matrix CSV -q -o /dev/null` wall time minus `mi-workbench info CSV -q
# -o /dev/null` (reading the file and starting the process, which the window's job
# figure leaves out) is the CLI's job time; the same difference of their CPU times
# (user + system, /usr/bin/time) is the CLI job's CPU, to set beside the window's workers'.
# Wall times swing with the machine's load (printed before and after); CPU times less.
set -eu
bin=${BIN:-target/release/mi-workbench}
runs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
csv=${1:-$tmp/diamonds_like.csv}
[ -f "$csv" ] || python3 "$here/diamonds_like.py" >"$csv"
command -v Xvfb >/dev/null || { echo "needs Xvfb (apt-get install xvfb libgl1-mesa-dri)" >&2; exit 1; }

disp=:$(( 70 + RANDOM % 19 ))
Xvfb "$disp" -screen 0 "${SIZE:-1400x900}x24" >/dev/null 2>&1 & xpid=$!
trap 'kill $xpid 2>/dev/null || true; rm -rf "$tmp"' EXIT
sleep 1
export DISPLAY=$disp LIBGL_ALWAYS_SOFTWARE=1 XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

echo "# $(uptime)"
echo "# $bin on $csv ($(($(wc -l <"$csv") - 1)) rows), $runs runs"
: >"$tmp/window" ; : >"$tmp/cli"
for i in $(seq "$runs"); do
  home=$tmp/home$i; mkdir -p "$home"
  x0=$(ticks $xpid)
  line=$(HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config \
    MI_WORKBENCH_MEASURE=heatmap timeout 600 "$bin" "$csv" 2>"$tmp/err$i" | grep '^window-measure' || true)
  x1=$(ticks $xpid)
  [ -n "$line" ] || { echo "window run $i printed no measurement; stderr:" >&2; cat "$tmp/err$i" >&2; exit 1; }
  xvfb=$(awk -v d=$((x1 - x0)) -v hz="$hz" 'BEGIN {printf "%.2f", d / hz}')
  echo "window $i: ${line#window-measure } xvfb_cpu_s(whole run)=$xvfb"
  echo "$line" >>"$tmp/window"

  /usr/bin/time -f "%e %U %S" -o "$tmp/tm" "$bin" matrix "$csv" -q -o /dev/null
  /usr/bin/time -f "%e %U %S" -o "$tmp/ti" "$bin" info "$csv" -q -o /dev/null
  # matrix wall, matrix CPU, info wall, info CPU (user + system).
  paste -d' ' "$tmp/tm" "$tmp/ti" | awk '{printf "%.3f %.3f %.3f %.3f\n", $1, $2 + $3, $4, $5 + $6}' >>"$tmp/cli"
  read -r mw mc iw ic <<<"$(tail -1 "$tmp/cli")"
  echo "cli $i: matrix_wall_s=$mw matrix_cpu_s=$mc info_wall_s=$iw info_cpu_s=$ic"
done

job=$(field job_wall_s <"$tmp/window" | median)
share=$(field ui_share_pct <"$tmp/window" | median)
frames=$(field frames <"$tmp/window" | median)
wcpu=$(field workers_cpu_s <"$tmp/window" | median)
rcpu=$(field render_cpu_s <"$tmp/window" | median)
matrix=$(cut -d' ' -f1 "$tmp/cli" | median)
info=$(cut -d' ' -f3 "$tmp/cli" | median)
ccpu=$(awk '{print $2 - $4}' "$tmp/cli" | median)
awk -v j="$job" -v s="$share" -v f="$frames" -v m="$matrix" -v i="$info" -v w="$wcpu" -v r="$rcpu" -v cc="$ccpu" 'BEGIN {
  c = m - i
  printf "median: window job %.3f s (UI thread %.1f%% of a core, %d frames, workers %.2f s CPU, renderer %.2f s CPU); ", j, s, f, w, r
  printf "CLI matrix %.3f s - info %.3f s = job %.3f s (%.2f s CPU); window/CLI = %.2f\n", m, i, c, cc, j / c
}'
echo "# $(uptime)"

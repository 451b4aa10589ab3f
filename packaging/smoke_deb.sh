#!/usr/bin/env bash
# Linux package smoke test (issue 6 acceptance): build the .deb, install it, and start the
# *installed* program the way a file manager would — by its desktop entry's Exec line with
# a CSV path — under a virtual X display, far from any repository checkout. Saves two
# screenshots to look at:
#   $OUT/deb-csv.png     the installed app opened on a CSV copied to $OUT (its heatmap)
#   $OUT/deb-sample.png  the installed app started with no file: the bundled sample data
#
# Usage: packaging/smoke_deb.sh [OUT_DIR]          (default OUT_DIR=/tmp/mi-deb-smoke)
# Env:   SMOKE_INSTALL=dpkg     install with `dpkg -i` (default when root), or
#        SMOKE_INSTALL=extract  unpack with `dpkg-deb -x` into $OUT/root (no root needed)
#        SMOKE_BUILD=0          skip `cargo build --release`, staging and `cargo packager`
#        SMOKE_CSV=FILE         the CSV to open (default sample_data/wine.csv)
#        SHOT_WAIT=seconds      wait before each screenshot (default 10)
# Needs: cargo-packager (`cargo install cargo-packager --locked`), and Xvfb, ImageMagick,
#        xdotool and Mesa, installed with apt when missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/mi-deb-smoke}
csv_src=${SMOKE_CSV:-$repo/sample_data/wine.csv}
mode=${SMOKE_INSTALL:-$([ "$(id -u)" = 0 ] && echo dpkg || echo extract)}
wait_s=${SHOT_WAIT:-10}
rm -rf "$out"; mkdir -p "$out"

if [ "${SMOKE_BUILD:-1}" != 0 ]; then
  (cd "$repo" && cargo build --release && packaging/stage_binary.sh && cargo packager --release --formats deb)
fi
deb=$(ls -t "$repo"/target/packager/*.deb | head -1)
echo "== package: $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{print $6}'

if ! command -v Xvfb >/dev/null || ! command -v import >/dev/null || ! command -v xdotool >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    xvfb imagemagick xdotool libgl1-mesa-dri libegl-mesa0 libxkbcommon-x11-0 >/dev/null
fi

case $mode in
  dpkg)
    # Pulls in the runtime libraries named in Depends (eframe loads them with dlopen).
    dpkg -i "$deb" || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -f
    root=/ ;;
  extract)
    dpkg-deb -x "$deb" "$out/root"
    root=$out/root
    export PATH="$root/usr/bin:$PATH" ;;
  *) echo "SMOKE_INSTALL must be dpkg or extract" >&2; exit 2 ;;
esac
desktop=$root/usr/share/applications/mi-workbench.desktop
echo "== desktop entry: $desktop"; cat "$desktop"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop" && echo "desktop-file-validate: ok"; fi
for f in "$root"/usr/share/icons/hicolor/*/apps/mi-workbench.png; do echo "icon: $f"; done
echo "installed binary: $(command -v mi-workbench)"

# Far from the repository: a copy of the CSV in an empty folder, started from there,
# with a fresh HOME so no saved settings from an earlier run are involved.
mkdir -p "$out/home" "$out/docs"
cp "$csv_src" "$out/docs/"
csv=$out/docs/$(basename "$csv_src")
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
read -r -a exec_words <<<"$exec_line"

display_n=90
run_shot() { # run_shot OUT.png CMD...: start CMD under a new Xvfb, wait, save a screenshot
  local png=$1; shift
  display_n=$((display_n + 1)); local disp=:$display_n
  Xvfb "$disp" -screen 0 1400x900x24 >/dev/null 2>&1 & local xpid=$!
  sleep 1
  env DISPLAY="$disp" HOME="$out/home" XDG_RUNTIME_DIR="$(mktemp -d)" LIBGL_ALWAYS_SOFTWARE=1 \
    bash -c 'cd "$1" && shift && exec "$@"' _ "$out/docs" "$@" >"${png%.png}.log" 2>&1 &
  local apid=$!
  sleep "$wait_s"
  if ! kill -0 "$apid" 2>/dev/null; then
    echo "the app exited early; see ${png%.png}.log" >&2; kill "$xpid"; wait "$xpid" || true; return 1
  fi
  DISPLAY=$disp xdotool search --name "MI Workbench" getwindowname | sed 's/^/window title: /'
  DISPLAY=$disp import -window root "$png"
  kill "$apid"; wait "$apid" 2>/dev/null || true
  kill "$xpid"; wait "$xpid" 2>/dev/null || true
  echo "saved $png ($(identify -format '%wx%h, %k colours' "$png"))"
}

# The Exec line as a file manager runs it: %f is the chosen file.
cmd=(); for w in "${exec_words[@]}"; do [ "$w" = %f ] && cmd+=("$csv") || cmd+=("$w"); done
echo "== opening a CSV by the Exec line: ${cmd[*]}"
run_shot "$out/deb-csv.png" "${cmd[@]}"
# No file: the bundled sample data (%f expands to nothing).
cmd=(); for w in "${exec_words[@]}"; do [ "$w" = %f ] || cmd+=("$w"); done
echo "== starting with no file (bundled sample): ${cmd[*]}"
run_shot "$out/deb-sample.png" "${cmd[@]}"
echo "done: look at $out/deb-csv.png and $out/deb-sample.png"

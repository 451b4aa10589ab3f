#!/usr/bin/env bash
# Windows build smoke test on Linux: cross-compile (x86_64-pc-windows-gnu, mingw-w64),
# check it is a GUI-subsystem PE with the icon resource, then run it under Wine in a
# virtual X display: the window on the bundled sample (screenshot), and the CLI
# subcommands through Wine's cmd (the console-attach path in src/main.rs).
#
# Usage: packaging/windows/wine_smoke.sh [OUT_DIR]        (default /tmp/mi-wine-smoke)
# Env:   SMOKE_BUILD=0  skip the cargo build;  SHOT_WAIT=seconds (default 30: Wine is slow)
# Needs (apt): gcc-mingw-w64-x86-64 wine64 xvfb imagemagick xdotool;
#       rustup target add x86_64-pc-windows-gnu.
# Debian 12's Wine 8.0 lacks bcryptprimitives.dll (ProcessPrng, used by Rust's std): a
# test-only shim (bcryptprimitives_shim.c) is built into the throwaway Wine prefix.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/mi-wine-smoke}
target=x86_64-pc-windows-gnu
rm -rf "$out"; mkdir -p "$out/docs"
cd "$repo"
if [ "${SMOKE_BUILD:-1}" != 0 ]; then cargo build --release --target $target; fi
exe_src=target/$target/release/mi-workbench.exe
exe=$out/mi-workbench.exe
cp "$exe_src" "$exe"; x86_64-w64-mingw32-strip "$exe"
file "$exe" | tee "$out/file.txt"
grep -q 'PE32+ executable (GUI)' "$out/file.txt" || { echo "not a GUI-subsystem PE" >&2; exit 1; }
x86_64-w64-mingw32-objdump -h "$exe" | grep -q '\.rsrc' && echo "icon/version resource: present"
ls -l "$exe_src" "$exe"

export WINEPREFIX=$out/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR=$(mktemp -d)
disp=:$(( 70 + RANDOM % 9 ))
Xvfb "$disp" -screen 0 1400x900x24 >/dev/null 2>&1 & xpid=$!
trap 'wineserver -k 2>/dev/null || true; kill $xpid 2>/dev/null || true' EXIT
export DISPLAY=$disp
sleep 1
wine wineboot --init >"$out/wineboot.log" 2>&1 || true
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/bcryptprimitives_shim.c -Wl,--export-all-symbols -ladvapi32

cp sample_data/wine.csv "$out/docs/"
cd "$out/docs"
echo "== CLI through Wine's cmd (console attach):"
wine cmd /c 'Z:'"${exe//\//\\}"' --version'
wine cmd /c 'Z:'"${exe//\//\\}"' matrix wine.csv --quiet --columns alcohol,hue,target'
echo "== CLI with stdout redirected to a file (redirection kept):"
wine cmd /c 'Z:'"${exe//\//\\}"' info wine.csv --quiet > info.csv'
head -3 info.csv

echo "== window (no file: bundled sample), screenshot after ${SHOT_WAIT:-30} s"
wine "$exe" >"$out/window.log" 2>&1 & apid=$!
sleep "${SHOT_WAIT:-30}"
xdotool search --name "MI Workbench" getwindowname | sed 's/^/window title: /'
import -window root "$out/wine-sample.png"
kill "$apid" 2>/dev/null || true
echo "saved $out/wine-sample.png ($(identify -format '%wx%h, %k colours' "$out/wine-sample.png"))"

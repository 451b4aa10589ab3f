#!/usr/bin/env bash
# Copy the release binary to target/packager/bin/ (where [package.metadata.packager]
# binaries-dir points) and strip it: the shared release profile keeps line tables for
# backtraces, which make the Linux binary ~7x larger than the shipped one needs to be.
# Run after `cargo build --release [--target T]` and before `cargo packager --release`.
# Usage: packaging/stage_binary.sh [TARGET_TRIPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-}
src=target/${target:+$target/}release/mi-workbench
exe=
case "${target:-$(rustc -vV | sed -n 's/^host: //p')}" in *windows*) exe=.exe ;; esac
mkdir -p target/packager/bin
rm -f "target/packager/bin/mi-workbench$exe"
cp "$src$exe" "target/packager/bin/mi-workbench$exe"
if [ -z "$exe" ]; then
  case "$(uname -s)" in
    Darwin) strip "target/packager/bin/mi-workbench" ;;
    *) strip "target/packager/bin/mi-workbench" ;;
  esac
fi
ls -l "$src$exe" "target/packager/bin/mi-workbench$exe"

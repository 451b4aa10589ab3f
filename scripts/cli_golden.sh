#!/usr/bin/env bash
# Writes every CLI command's output on the bundled samples into OUTDIR, so two builds
# can be compared byte for byte: scripts/cli_golden.sh OUTDIR [BINARY]; diff -r A B.
set -euo pipefail
out=${1:?usage: cli_golden.sh OUTDIR [BINARY]}
bin=${2:-target/release/mi-workbench}
mkdir -p "$out"
declare -A target=([penguins]=species [wine]=target [diabetes]=target [breast_cancer]=target)
declare -A pair=([penguins]="bill_length_mm body_mass_g" [wine]="alcohol proline" [diabetes]="bmi target" [breast_cancer]="mean radius,mean texture")
for s in penguins wine diabetes breast_cancer; do
  f=sample_data/$s.csv
  t=${target[$s]}
  if [ "$s" = breast_cancer ]; then x="mean radius"; y="mean texture"; else read -r x y <<<"${pair[$s]}"; fi
  "$bin" info "$f" -o "$out/$s.info.csv"
  for e in auto ksg1 ksg2 hist gauss copula plugin; do
    "$bin" matrix "$f" --quiet --estimator $e -o "$out/$s.matrix.$e.csv"
  done
  "$bin" matrix "$f" --quiet --permutations 19 --units bits -o "$out/$s.matrix.perm.csv"
  "$bin" compare "$f" --quiet -o "$out/$s.compare.csv"
  "$bin" cmi "$f" --quiet --given "$t" -o "$out/$s.cmi.csv"
  "$bin" sweep "$f" --quiet --x "$x" --y "$y" --repeats 3 -o "$out/$s.sweep.csv"
  for m in mid miq jmi cmim; do
    "$bin" mrmr "$f" --quiet --target "$t" --method $m -o "$out/$s.mrmr.$m.csv"
  done
  "$bin" mrmr "$f" --quiet --target "$t" --no-screen -o "$out/$s.mrmr.no-screen.csv"
  "$bin" mrmr "$f" --quiet --target "$t" --stability 10 --select 3 -o "$out/$s.mrmr.stability.csv"
  # Higher-order: the pair against the target (diabetes's pair already holds it).
  if [ "$y" = "$t" ]; then set_xy="$x"; else set_xy="$x,$y"; fi
  "$bin" multi "$f" --quiet --x "$set_xy" --y "$t" -o "$out/$s.multi.csv"
  if [ "$y" != "$t" ]; then
    "$bin" multi "$f" --quiet --x "$x" --y "$t" --given "$y" --permutations 19 -o "$out/$s.multi.given.csv"
  fi
  "$bin" synergy "$f" --quiet --target "$t" --top 8 -o "$out/$s.synergy.csv"
  "$bin" tc "$f" --quiet --columns "$set_xy,$t" -o "$out/$s.tc.csv"
  "$bin" tc "$f" --quiet --columns "$x,$y" --estimator gauss -o "$out/$s.tc.gauss.csv"
done
echo "wrote $(ls "$out" | wc -l) files to $out"

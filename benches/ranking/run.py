#!/usr/bin/env python3
"""Ranking benchmark: how many of each method's top K features are not noise, on generated
files whose column roles are known, for mi-workbench's mRMR methods (with and without the
relevance screen), mrmr_selection (its default F-statistic/Pearson mRMR and an MI-based
mRMR on scikit-learn's estimators) and plain max-relevance (scikit-learn MI), with wall
times.

Usage (from the repository root):
    cargo build --release --bin mi-workbench --example make_ranking_data
    python3 benches/ranking/run.py [--quick] [--seeds S] [--out docs/ranking-benchmark.md]

Files come from `examples/make_ranking_data.rs` (5 informative, 5 redundant, the rest
noise, 3 text-coded columns; classification and regression) under target/ranking/.
The peers get the same table with text levels coded 0..3 (they are quantile bins) and
the class labels factorised. Python packages live in target/ranking-venv (or set
RANKING_PYTHON to an interpreter that has mrmr_selection, scikit-learn and pandas).
Times are whole-process wall times (reading the CSV included), one run each.
"""
import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
import venv

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "target", "ranking")
# RANKING_BIN: a copy of the binary, so that a rebuild during the run cannot change it.
BIN = os.environ.get("RANKING_BIN") or os.path.join(ROOT, "target", "release", "mi-workbench")
GEN = os.path.join(ROOT, "target", "release", "examples", "make_ranking_data")
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer.py")
VENV = os.path.join(ROOT, "target", "ranking-venv")
K = 10
OURS = ["jmi", "cmim", "mid", "miq"]

# (rows, noise columns): p = 10 non-noise + noise, from 20 to 200; n from 500 to 20,000
# (the file is n = 10,000, p = 30). n = 20,000 with p = 200 would take an hour
# per file on two cores for the peers' MI redundancy alone, so the extremes are apart.
FULL = [(500, 10), (2000, 40), (10000, 20), (5000, 190), (20000, 20)]
QUICK = [(500, 10), (2000, 20)]


def python():
    if os.environ.get("RANKING_PYTHON"):
        return os.environ["RANKING_PYTHON"]
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        venv.create(VENV, with_pip=True)
    probe = subprocess.run([py, "-c", "import mrmr, sklearn, pandas"], capture_output=True)
    if probe.returncode != 0:
        subprocess.check_call([py, "-m", "pip", "install", "-q", "mrmr_selection", "scikit-learn", "pandas"])
    return py


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return time.perf_counter() - t0, p.stdout


def roles(path):
    with open(path + ".roles.csv") as f:
        return {r["column"]: r["role"] for r in csv.DictReader(f)}


def ours(path, method, screen):
    cmd = [BIN, "mrmr", path, "--target", "target", "--method", method, "--select", str(K), "--quiet"]
    if not screen:
        cmd.append("--no-screen")
    wall, out = timed(cmd)
    ranked = [r["feature"] for r in csv.DictReader(out.splitlines()) if r["rank"]]
    return wall, ranked


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--out", default=None, help="write the markdown table here")
    ap.add_argument("--from-log", default=None,
                    help="summarise the lines a previous run printed instead of running")
    a = ap.parse_args()
    if a.from_log:
        results = parse_log(a.from_log)
        table = summarise(results, a)
        print(table)
        if a.out:
            with open(a.out, "w") as f:
                f.write(table)
        return
    os.makedirs(WORK, exist_ok=True)
    py = python()
    sizes = QUICK if a.quick else FULL
    results = []  # (task, rows, p, method, fraction, seconds)
    for task in ["classification", "regression"]:
        # Regression at the two largest sizes: left out of the default run for time.
        for rows, noise in sizes if task == "classification" or a.quick else sizes[:3]:
            # The largest files take minutes per method on two cores: one seed.
            seeds = a.seeds if rows * (noise + 10) <= 400_000 else 1
            for seed in range(seeds):
                path = os.path.join(WORK, f"{task}_{rows}_{noise}_{seed}.csv")
                if not os.path.exists(path):
                    subprocess.check_call([GEN, path, "--task", task, "--rows", str(rows),
                                           "--noise", str(noise), "--seed", str(seed)])
                role = roles(path)
                p = len(role)

                def record(method, wall, picked):
                    good = sum(1 for c in picked[:K] if role.get(c) != "noise")
                    results.append((task, rows, p, method, good / K, wall))
                    print(f"{task:14} n={rows:6} p={p:3} seed={seed} {method:28} {good:2}/{K} {wall:7.2f}s", flush=True)

                for m in OURS:
                    for screen in [True, False]:
                        wall, picked = ours(path, m, screen)
                        record(f"ours {m.upper()}" + ("" if screen else " --no-screen"), wall, picked)
                for peer in ["mrmr_default", "mrmr_mi", "max_relevance"]:
                    wall, out = timed([py, PEER, path, task, peer, str(K)])
                    record(peer, wall, json.loads(out))
    table = summarise(results, a)
    print(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table)


def parse_log(path):
    """The per-run lines main() prints, back into result tuples."""
    import re
    line = re.compile(r"^(\w+)\s+n=\s*(\d+) p=\s*(\d+) seed=(\d+) (.+?)\s+(\d+)/(\d+)\s+([\d.]+)s$")
    out = []
    with open(path) as f:
        for l in f:
            m = line.match(l.rstrip())
            if m:
                task, n, p, _, method, good, k, wall = m.groups()
                out.append((task, int(n), int(p), method.strip(), int(good) / int(k), float(wall)))
    return out


def summarise(results, a):
    from collections import defaultdict
    groups = defaultdict(list)
    for task, rows, p, method, frac, wall in results:
        groups[(task, rows, p, method)].append((frac, wall))
    methods = []
    for r in results:
        if r[3] not in methods:
            methods.append(r[3])
    sizes = []
    for r in results:
        if (r[0], r[1], r[2]) not in sizes:
            sizes.append((r[0], r[1], r[2]))
    lines = [
        f"Fraction of non-noise features in the top {K} (mean over seeds; the worst seed in brackets) "
        f"and mean wall time per run. Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()}. Command: `python3 benches/ranking/run.py{' --quick' if a.quick else ''}"
        f" --seeds {a.seeds}`.",
        "",
        "| method | " + " | ".join(f"{t[:5]} n={n} p={p}" for t, n, p in sizes) + " |",
        "| --- |" + " --- |" * len(sizes),
    ]
    for m in methods:
        cells = []
        for s in sizes:
            g = groups.get((*s, m), [])
            if not g:
                cells.append("—")
                continue
            fr = [x[0] for x in g]
            wall = sum(x[1] for x in g) / len(g)
            cells.append(f"{sum(fr) / len(fr):.2f} ({min(fr):.1f}) · {wall:.1f} s")
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    seeds = {s: len(groups.get((*s, methods[0]), [])) for s in sizes}
    lines.append("")
    lines.append("Seeds per size: " + ", ".join(f"{t[:5]} n={n} p={p}: {c}" for (t, n, p), c in seeds.items()) + ".")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side benchmark: mi-workbench vs scikit-learn, ennemi and numpy on the same CSVs.

Usage (from the repository root):  python3 benches/peers/run.py [--quick]

Creates its own virtualenv under target/peers-venv (numpy, scipy, scikit-learn, ennemi,
pandas), generates the datasets deterministically under target/peers/, runs every tool as
a separate process (whole-process wall time and peak RSS), checks that the numbers agree
per pair, and prints a table. --quick uses smaller data for a smoke run.
"""
import os
import subprocess
import sys
import time
import venv

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, "target", "peers-venv")
WORK = os.path.join(ROOT, "target", "peers")
BIN = os.path.join(ROOT, "target", "release", "mi-workbench")
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer.py")
PACKAGES = ["numpy", "scipy", "scikit-learn", "ennemi", "pandas"]


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        venv.create(VENV, with_pip=True)
    probe = subprocess.run([py, "-c", "import sklearn, ennemi, pandas, scipy"], capture_output=True)
    if probe.returncode != 0:
        subprocess.check_call([py, "-m", "pip", "install", "-q", *PACKAGES])
    return py


def timed(cmd, env=None):
    """Runs cmd; returns (wall seconds, peak RSS MiB, stdout)."""
    wrapped = ["/usr/bin/time", "-f", "%M", *cmd] if os.path.exists("/usr/bin/time") else cmd
    t0 = time.perf_counter()
    p = subprocess.run(wrapped, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    rss = float("nan")
    if wrapped is not cmd:
        try:
            rss = int(p.stderr.strip().splitlines()[-1]) / 1024
        except (ValueError, IndexError):
            pass
    return wall, rss, p.stdout


def read_long(path, value="mi"):
    import csv
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            out[tuple(sorted((r["x"], r["y"])))] = float(r[value]) if r[value] else float("nan")
    return out


def main():
    quick = "--quick" in sys.argv
    py = ensure_venv()
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(BIN):
        subprocess.check_call(["cargo", "build", "--release"], cwd=ROOT)
    sets = [(50, 10_000), (20, 100_000)] if not quick else [(10, 2_000), (5, 20_000)]
    rows = []
    for cols, n in sets:
        name = f"gauss_{cols}x{n}"
        csv_path = os.path.join(WORK, name + ".csv")
        subprocess.check_call([py, PEER, "generate", csv_path, str(cols), str(n)])
        ours_ksg = os.path.join(WORK, name + ".ours_ksg.csv")
        ours_hist = os.path.join(WORK, name + ".ours_hist.csv")
        t_ksg, m_ksg, _ = timed([BIN, "matrix", csv_path, "--estimator", "ksg1", "--k", "3", "-o", ours_ksg, "--quiet"])
        t_hist, m_hist, _ = timed([BIN, "matrix", csv_path, "--estimator", "hist", "--bins", "32", "-o", ours_hist, "--quiet"])
        rows.append((name, "mi-workbench ksg1 (2 threads)", t_ksg, m_ksg, ""))
        rows.append((name, "mi-workbench hist 32 bins", t_hist, m_hist, ""))
        ours = read_long(ours_ksg)
        for tool, threads in [("sklearn", 1), ("sklearn", 2), ("ennemi", 1), ("ennemi", 2), ("numpy_hist", 1)]:
            out = os.path.join(WORK, f"{name}.{tool}{threads}.csv")
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            wall, rss, text = timed([py, PEER, tool, csv_path, out, str(threads)], env=env)
            compute = float(text.strip().splitlines()[-1])
            ref = read_long(out)
            if tool == "numpy_hist":
                mine = read_long(ours_hist)
                diff = max(abs(mine[k] - v) for k, v in ref.items())
            else:
                # scikit-learn clips negative estimates to 0; ennemi does not.
                diff = max(abs((max(ours[k], 0.0) if tool == "sklearn" else ours[k]) - v) for k, v in ref.items())
            rows.append((name, f"{tool} ({threads} thread{'s' if threads > 1 else ''})", wall, rss, f"compute {compute:.2f} s; max |diff| vs ours {diff:.2e} nats"))
    print()
    print(f"| data | tool | wall s | peak MiB | notes |")
    print("| --- | --- | ---: | ---: | --- |")
    for name, tool, wall, rss, note in rows:
        print(f"| {name} | {tool} | {wall:.2f} | {rss:.0f} | {note} |")
    for cols, n in sets:
        name = f"gauss_{cols}x{n}"
        ours = next(r[2] for r in rows if r[0] == name and r[1].startswith("mi-workbench ksg1"))
        best_sk = min(r[2] for r in rows if r[0] == name and r[1].startswith("sklearn"))
        best_en = min(r[2] for r in rows if r[0] == name and r[1].startswith("ennemi"))
        print(f"{name}: KSG speed-up vs scikit-learn {best_sk / ours:.1f}x, vs ennemi {best_en / ours:.1f}x")


if __name__ == "__main__":
    main()

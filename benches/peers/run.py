#!/usr/bin/env python3
"""Side-by-side benchmark: mi-workbench vs scikit-learn, ennemi and numpy on the same CSVs.

Usage (from the repository root):  python3 benches/peers/run.py [--quick] [--no-peers]

Creates its own virtualenv under target/peers-venv (numpy, scipy, scikit-learn, ennemi,
pandas), generates the datasets deterministically under target/peers/, runs every tool as
a separate process (whole-process wall time and peak RSS), checks that the numbers agree
per pair, and prints a table: our KSG-1 and histogram matrices, the kiddo k-NN query
floor on the same pairs (examples/knn_floor.rs), scikit-learn and ennemi at 1 and 2
threads, the numpy histogram matrix, the peak-memory check of `matrix` on 20 x 100k,
and a 1,000,000 x 20 CSV load (`mi-workbench info` vs pandas `read_csv`).
--quick uses smaller data for a smoke run; --no-peers skips scikit-learn and ennemi.
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
FLOOR = os.path.join(ROOT, "target", "release", "examples", "knn_floor")
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


def tolerance(n):
    """Agreement expected between correct KSG-1 implementations (issue 5)."""
    return 1e-3 if n <= 1_000 else 2e-4


def floor_lines(text):
    out = {}
    for line in text.splitlines():
        if line.startswith("queries alone (floor)"):
            out["floor"] = float(line.split()[3])
        elif line.startswith("trees + queries"):
            out["trees+queries"] = float(line.split()[3])
        elif line.startswith("compute "):
            out[line.split()[1]] = float(line.split()[2])
    return out


def main():
    quick = "--quick" in sys.argv
    peers = "--no-peers" not in sys.argv
    py = ensure_venv()
    os.makedirs(WORK, exist_ok=True)
    subprocess.check_call(["cargo", "build", "--release", "--bin", "mi-workbench", "--example", "knn_floor"], cwd=ROOT)
    sets = [(50, 10_000), (20, 100_000)] if not quick else [(10, 2_000), (5, 20_000)]
    rows = []
    summary = []
    for cols, n in sets:
        name = f"gauss_{cols}x{n}"
        csv_path = os.path.join(WORK, name + ".csv")
        if not os.path.exists(csv_path):
            subprocess.check_call([py, PEER, "generate", csv_path, str(cols), str(n)])
        data_mib = cols * n * 8 / 2**20
        ours_ksg = os.path.join(WORK, name + ".ours_ksg.csv")
        ours_hist = os.path.join(WORK, name + ".ours_hist.csv")
        t_ksg, m_ksg, _ = timed([BIN, "matrix", csv_path, "--estimator", "ksg1", "--k", "3", "-o", ours_ksg, "--quiet"])
        t_hist, m_hist, _ = timed([BIN, "matrix", csv_path, "--estimator", "hist", "--bins", "32", "-o", ours_hist, "--quiet"])
        t_floor, m_floor, floor_text = timed([FLOOR, csv_path, "3"])
        fl = floor_lines(floor_text)
        rows.append((name, "mi-workbench ksg1 (2 threads)", t_ksg, m_ksg,
                     f"in-process compute {fl['ksg1']:.2f} s (separate run); data {data_mib:.1f} MiB as f64"))
        rows.append((name, "k-NN floor: kiddo max-norm queries, same pairs (2 threads)", t_floor, m_floor,
                     f"queries alone {fl['floor']:.2f} s, trees + queries {fl['trees+queries']:.2f} s; "
                     f"ours whole-process / floor = {t_ksg / fl['floor']:.2f}"))
        rows.append((name, "mi-workbench hist 32 bins (2 threads)", t_hist, m_hist, f"compute {fl['hist32']:.4f} s"))
        ours = read_long(ours_ksg)
        tools = [("numpy_hist", 1)]
        if peers:
            tools = [("sklearn", 1), ("sklearn", 2), ("ennemi", 1), ("ennemi", 2)] + tools
        peer_wall = {}
        for tool, threads in tools:
            out = os.path.join(WORK, f"{name}.{tool}{threads}.csv")
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            wall, rss, text = timed([py, PEER, tool, csv_path, out, str(threads)], env=env)
            compute = float(text.strip().splitlines()[-1])
            ref = read_long(out)
            if tool == "numpy_hist":
                mine = read_long(ours_hist)
                diff = max(abs(mine[k] - v) for k, v in ref.items())
                ok = diff < 1e-9
                note = f"compute {compute:.4f} s; ours compute {compute / fl['hist32']:.1f}x faster; max |diff| {diff:.1e} nats"
            else:
                # scikit-learn clips negative estimates to 0; ennemi does not.
                diff = max(abs((max(ours[k], 0.0) if tool == "sklearn" else ours[k]) - v) for k, v in ref.items())
                ok = diff <= tolerance(n)
                note = f"compute {compute:.2f} s; max |diff| vs ours {diff:.1e} nats ({'ok' if ok else 'OVER'} tol {tolerance(n):.0e})"
                peer_wall.setdefault(tool, []).append(wall)
            rows.append((name, f"{tool} ({threads} thread{'s' if threads > 1 else ''})", wall, rss, note))
        if peers:
            best_sk, best_en = min(peer_wall["sklearn"]), min(peer_wall["ennemi"])
            summary.append(f"{name}: KSG whole-process speed-up vs faster scikit-learn {best_sk / t_ksg:.1f}x, "
                           f"vs faster ennemi {best_en / t_ksg:.1f}x (target 25x)")
        summary.append(f"{name}: KSG matrix whole-process {t_ksg:.2f} s = {t_ksg / fl['floor']:.2f}x the k-NN query floor "
                       f"({fl['floor']:.2f} s); in-process compute {fl['ksg1'] / fl['floor']:.2f}x (target <= 2x)")
        if cols * n >= 2_000_000 or quick:
            tiny = os.path.join(WORK, "tiny.csv")
            with open(tiny, "w") as f:
                f.write("a,b\n" + "".join(f"{i % 7},{(i * 13) % 11}\n" for i in range(100)))
            _, base_rss, _ = timed([BIN, "matrix", tiny, "--estimator", "ksg1", "-o", os.path.join(WORK, "tiny.out.csv"), "--quiet"])
            fixed = 16.0
            limit = 3 * data_mib + fixed
            summary.append(f"{name}: peak RSS of `matrix` ksg1 {m_ksg:.0f} MiB vs 3 x {data_mib:.1f} MiB + {fixed:.0f} MiB fixed = {limit:.0f} MiB "
                           f"({'ok' if m_ksg < limit else 'OVER'}; a 100-row run peaks at {base_rss:.0f} MiB)")
    # Scale: a 1,000,000 x 20 CSV load, ours vs pandas, same file, same run.
    big_n = 1_000_000 if not quick else 100_000
    big = os.path.join(WORK, f"gauss_20x{big_n}.csv")
    if not os.path.exists(big):
        subprocess.check_call([py, PEER, "generate", big, "20", str(big_n)])
    size_mib = os.path.getsize(big) / 2**20
    t_info, m_info, _ = timed([BIN, "info", big, "-o", os.path.join(WORK, "big.info.csv"), "--quiet"])
    t_pd, m_pd, pd_text = timed([py, PEER, "pandas_load", big, os.devnull, "1"])
    rows.append((f"load 20x{big_n} ({size_mib:.0f} MiB CSV)", "mi-workbench info", t_info, m_info,
                 f"data {20 * big_n * 8 / 2**20:.0f} MiB as f64"))
    rows.append((f"load 20x{big_n} ({size_mib:.0f} MiB CSV)", "pandas read_csv", t_pd, m_pd,
                 f"read_csv alone {float(pd_text.strip().splitlines()[-1]):.2f} s"))
    print()
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, load average before/after {LOAD0} / {os.getloadavg()}")
    print("| data | tool | wall s | peak MiB | notes |")
    print("| --- | --- | ---: | ---: | --- |")
    for name, tool, wall, rss, note in rows:
        print(f"| {name} | {tool} | {wall:.2f} | {rss:.0f} | {note} |")
    print()
    for line in summary:
        print(line)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


LOAD0 = os.getloadavg()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side benchmark: mi-workbench vs scikit-learn, ennemi, numpy, pandas, polars,
pyarrow and mrmr_selection on the same CSVs.

Usage (from the repository root):
    python3 benches/peers/run.py [--quick] [--no-peers] [--all-threads] [--only SECTIONS]

Creates its own virtualenv under target/peers-venv, generates the datasets
deterministically under target/peers/, runs every tool as a separate process
(whole-process wall time and peak RSS), checks that the numbers agree per pair, and
prints one table. Sections (--only ksg,cmi,load,mrmr picks some):
  ksg   all-pairs KSG-1 (k = 3) on Gaussian 20 x 10k, 50 x 10k and 20 x 100k: ours vs
        scikit-learn's mutual_info_regression and ennemi's pairwise_mi; our histogram
        matrix vs numpy's; the kiddo k-NN query floor (examples/knn_floor.rs); the
        peak-memory check of `matrix` on 20 x 100k;
  cmi   the conditional MI matrix, 19 columns x 10k given the 20th: ours (`cmi`) vs
        ennemi's pairwise_mi(cond=...), values per pair;
  load  `mi-workbench info` on 500k x 20 vs pandas read_csv (and polars / pyarrow when
        they install), medians of 3 runs each, and the peak memory of `info` on 1M x 20;
  mrmr  10 features for a target among 19 (10k rows): ours (JMI) vs mrmr_selection with
        scikit-learn MI as relevance and redundancy (benches/ranking/peer.py mrmr_mi).
Peers run at 2 threads, their faster setting on this machine (--all-threads adds 1).
--quick uses smaller data for a smoke run; --no-peers skips the Python tools.
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
RANKING_PEER = os.path.join(ROOT, "benches", "ranking", "peer.py")
PACKAGES = ["numpy", "scipy", "scikit-learn", "ennemi", "pandas", "mrmr_selection"]
# The higher anchors for loading; the run goes on without them if they do not install.
OPTIONAL = ["polars", "pyarrow"]


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        venv.create(VENV, with_pip=True)
    probe = subprocess.run([py, "-c", "import sklearn, ennemi, pandas, scipy, mrmr"], capture_output=True)
    if probe.returncode != 0:
        subprocess.check_call([py, "-m", "pip", "install", "-q", *PACKAGES])
    for pkg in OPTIONAL:
        if subprocess.run([py, "-c", f"import {pkg}"], capture_output=True).returncode != 0:
            subprocess.run([py, "-m", "pip", "install", "-q", pkg])
    return py


LOAD_RUNS = 3


def median(values):
    return sorted(values)[len(values) // 2]


def importable(py, module):
    return subprocess.run([py, "-c", f"import {module}"], capture_output=True).returncode == 0


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


def dataset(py, cols, n, name=None):
    path = os.path.join(WORK, (name or f"gauss_{cols}x{n}") + ".csv")
    if not os.path.exists(path):
        subprocess.check_call([py, PEER, "generate", path, str(cols), str(n)])
    return path


def main():
    quick = "--quick" in sys.argv
    peers = "--no-peers" not in sys.argv
    threads = [1, 2] if "--all-threads" in sys.argv else [2]
    only = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else {"ksg", "cmi", "load", "mrmr"}
    py = ensure_venv()
    os.makedirs(WORK, exist_ok=True)
    subprocess.check_call(["cargo", "build", "--release", "--bin", "mi-workbench", "--example", "knn_floor"], cwd=ROOT)
    rows = []
    summary = []
    if "ksg" in only:
        ksg_section(py, quick, peers, threads, rows, summary)
    if "cmi" in only:
        cmi_section(py, quick, peers, threads, rows, summary)
    if "load" in only:
        load_section(py, quick, peers, rows, summary)
    if "mrmr" in only and peers:
        mrmr_section(py, quick, rows, summary)
    print()
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, load average before/after {LOAD0} / {os.getloadavg()}")
    print("| data | tool | wall s | peak MiB | notes |")
    print("| --- | --- | ---: | ---: | --- |")
    for name, tool, wall, rss, note in rows:
        print(f"| {name} | {tool} | {wall:.2f} | {rss:.0f} | {note} |")
    print()
    for line in summary:
        print(line)


def ksg_section(py, quick, peers, threads, rows, summary):
    sets = [(20, 10_000), (50, 10_000), (20, 100_000)] if not quick else [(10, 2_000), (5, 20_000)]
    for cols, n in sets:
        name = f"gauss_{cols}x{n}"
        csv_path = dataset(py, cols, n)
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
            tools = [(tool, t) for tool in ["sklearn", "ennemi"] for t in threads] + tools
        peer_wall = {}
        for tool, nthreads in tools:
            out = os.path.join(WORK, f"{name}.{tool}{nthreads}.csv")
            env = dict(os.environ, OMP_NUM_THREADS=str(nthreads))
            wall, rss, text = timed([py, PEER, tool, csv_path, out, str(nthreads)], env=env)
            compute = float(text.strip().splitlines()[-1])
            ref = read_long(out)
            if tool == "numpy_hist":
                mine = read_long(ours_hist)
                diff = max(abs(mine[k] - v) for k, v in ref.items())
                note = f"compute {compute:.4f} s; ours compute {compute / fl['hist32']:.1f}x faster; max |diff| {diff:.1e} nats"
            else:
                # scikit-learn clips negative estimates to 0; ennemi does not.
                diff = max(abs((max(ours[k], 0.0) if tool == "sklearn" else ours[k]) - v) for k, v in ref.items())
                ok = diff <= tolerance(n)
                note = f"compute {compute:.2f} s; max |diff| vs ours {diff:.1e} nats ({'ok' if ok else 'OVER'} tol {tolerance(n):.0e})"
                peer_wall.setdefault(tool, []).append(wall)
            rows.append((name, f"{tool} ({nthreads} thread{'s' if nthreads > 1 else ''})", wall, rss, note))
        if peers:
            best_sk, best_en = min(peer_wall["sklearn"]), min(peer_wall["ennemi"])
            summary.append(f"{name}: KSG whole-process speed-up vs scikit-learn {best_sk / t_ksg:.1f}x, "
                           f"vs ennemi {best_en / t_ksg:.1f}x (goal 40x)")
        summary.append(f"{name}: KSG matrix whole-process {t_ksg:.2f} s = {t_ksg / fl['floor']:.2f}x the k-NN query floor "
                       f"({fl['floor']:.2f} s); in-process compute {fl['ksg1'] / fl['floor']:.2f}x")
        if cols * n >= 2_000_000 or quick:
            tiny = os.path.join(WORK, "tiny.csv")
            with open(tiny, "w") as f:
                f.write("a,b\n" + "".join(f"{i % 7},{(i * 13) % 11}\n" for i in range(100)))
            _, base_rss, _ = timed([BIN, "matrix", tiny, "--estimator", "ksg1", "-o", os.path.join(WORK, "tiny.out.csv"), "--quiet"])
            summary.append(f"{name}: peak RSS of `matrix` ksg1 {m_ksg:.0f} MiB (issue 13: no worse than 56 MiB; "
                           f"a 100-row run peaks at {base_rss:.0f} MiB)")


def cmi_section(py, quick, peers, threads, rows, summary):
    cols, n = (20, 10_000) if not quick else (8, 2_000)
    name = f"gauss_{cols}x{n}"
    csv_path = dataset(py, cols, n)
    given = f"c{cols - 1:02d}"
    label = f"I(X;Y|{given}), {cols - 1} columns x {n}"
    ours_out = os.path.join(WORK, name + ".ours_cmi.csv")
    t_ours, m_ours, _ = timed([BIN, "cmi", csv_path, "--given", given, "--estimator", "ksg1", "--k", "3",
                               "-o", ours_out, "--quiet"])
    rows.append((label, "mi-workbench cmi (2 threads)", t_ours, m_ours,
                 "Frenzel-Pompe I(X;Y|Z) and I(X;Y) of every pair"))
    if not peers:
        return
    ours = read_long(ours_out, "cmi")
    walls = []
    for nthreads in threads:
        out = os.path.join(WORK, f"{name}.ennemi_cond{nthreads}.csv")
        env = dict(os.environ, OMP_NUM_THREADS=str(nthreads))
        wall, rss, text = timed([py, PEER, "ennemi_cond", csv_path, out, str(nthreads)], env=env)
        ref = read_long(out)
        diff = max(abs(ours[k] - v) for k, v in ref.items())
        ok = diff <= tolerance(n)
        walls.append(wall)
        rows.append((label, f"ennemi pairwise_mi(cond=...) ({nthreads} thread{'s' if nthreads > 1 else ''})", wall, rss,
                     f"compute {float(text.strip().splitlines()[-1]):.2f} s (I(X;Y|Z) only); max |diff| vs ours "
                     f"{diff:.1e} nats ({'ok' if ok else 'OVER'} tol {tolerance(n):.0e})"))
    summary.append(f"{label}: conditional matrix whole-process speed-up vs ennemi {min(walls) / t_ours:.1f}x (goal 25x)")


def load_section(py, quick, peers, rows, summary):
    n = 500_000 if not quick else 50_000
    path = dataset(py, 20, n)
    size_mib = os.path.getsize(path) / 2**20
    label = f"load 20x{n} ({size_mib:.0f} MiB CSV)"
    # Loads take a few tenths of a second, where one run is noise: every tool runs
    # LOAD_RUNS times (fresh processes) and the median is kept.
    runs = [timed([BIN, "info", path, "-o", os.path.join(WORK, "load.info.csv"), "--quiet"]) for _ in range(LOAD_RUNS)]
    t_info, m_info = median([r[0] for r in runs]), max(r[1] for r in runs)
    rows.append((label, f"mi-workbench info (whole process, median of {LOAD_RUNS})", t_info, m_info,
                 f"data {20 * n * 8 / 2**20:.0f} MiB as f64; reads, classifies and summarises every column"))
    if peers:
        readers = {}
        for tool, module in [("pandas_load", "pandas"), ("polars_load", "polars"), ("pyarrow_load", "pyarrow")]:
            if not importable(py, module):
                rows.append((label, f"{module} (not installed)", float("nan"), float("nan"), "skipped"))
                continue
            runs = [timed([py, PEER, tool, path, os.devnull, "1"]) for _ in range(LOAD_RUNS)]
            readers[module] = median([float(r[2].strip().splitlines()[-1]) for r in runs])
            wall, rss = median([r[0] for r in runs]), max(r[1] for r in runs)
            rows.append((label, f"{module} read_csv (median of {LOAD_RUNS})", wall, rss,
                         f"read alone (in-process) {readers[module]:.2f} s"))
        if "pandas" in readers:
            others = "; ".join(f"{m} read alone {t:.2f} s ({t / t_info:.1f}x)" for m, t in readers.items() if m != "pandas")
            summary.append(f"{label}: `info` whole process {t_info:.2f} s vs pandas read_csv alone {readers['pandas']:.2f} s: "
                           f"{readers['pandas'] / t_info:.1f}x faster (goal 2x){'; ' + others if others else ''}")
    big_n = 1_000_000 if not quick else 100_000
    big = dataset(py, 20, big_n)
    t_big, m_big, _ = timed([BIN, "info", big, "-o", os.path.join(WORK, "big.info.csv"), "--quiet"])
    rows.append((f"load 20x{big_n} ({os.path.getsize(big) / 2**20:.0f} MiB CSV)", "mi-workbench info", t_big, m_big,
                 f"data {20 * big_n * 8 / 2**20:.0f} MiB as f64"))
    summary.append(f"load 20x{big_n}: peak RSS of `info` {m_big:.0f} MiB (issue 13: no worse than 177 MiB)")


def mrmr_section(py, quick, rows, summary):
    cols, n = (20, 10_000) if not quick else (8, 2_000)
    src = dataset(py, cols, n)
    path = os.path.join(WORK, f"target_{cols}x{n}.csv")
    if not os.path.exists(path):
        # The last column becomes the target (the ranking peer reads a column named so).
        with open(src) as f, open(path, "w") as g:
            header = f.readline().rstrip("\n").split(",")
            g.write(",".join(header[:-1] + ["target"]) + "\n")
            g.write(f.read())
    label = f"mRMR, 10 of {cols - 1} features x {n}"
    t_ours, m_ours, _ = timed([BIN, "mrmr", path, "--target", "target", "--select", "10", "--estimator", "ksg1",
                               "-o", os.path.join(WORK, "mrmr.ours.csv"), "--quiet"])
    rows.append((label, "mi-workbench mrmr (JMI, KSG-1, relevance screen)", t_ours, m_ours, "2 threads"))
    wall, rss, text = timed([py, RANKING_PEER, path, "regression", "mrmr_mi", "10"])
    rows.append((label, "mrmr_selection mrmr_base, scikit-learn MI relevance and redundancy", wall, rss,
                 f"picked {text.strip()}"))
    summary.append(f"{label}: ours {t_ours:.2f} s vs mrmr_selection with MI {wall:.2f} s ({wall / t_ours:.1f}x)")


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

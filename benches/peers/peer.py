#!/usr/bin/env python3
"""One peer computation per process, so that run.py measures whole-process time and memory.

  peer.py generate OUT.csv COLS N     deterministic correlated Gaussian columns
  peer.py sklearn IN.csv OUT.csv T    mutual_info_regression (KSG-1, k=3), each pair once
  peer.py ennemi IN.csv OUT.csv T     ennemi.pairwise_mi (k=3) with T threads
  peer.py numpy_hist IN.csv OUT.csv T histogram MI with 32 equal-width bins per column
                                      (median compute time of five runs)
  peer.py ennemi_cond IN.csv OUT.csv T  ennemi.pairwise_mi(cond=last column, k=3): I(X;Y|Z) of
                                      every pair of the other columns, T threads
  peer.py pandas_load IN.csv - -      pandas read_csv only (prints its time)
  peer.py polars_load IN.csv - -      polars read_csv only (its own threads; prints its time)
  peer.py pyarrow_load IN.csv - -     pyarrow.csv.read_csv only (its own threads; prints its time)
The last line printed is the compute time in seconds (excluding interpreter start and CSV read).
"""
import csv
import sys
import time

import numpy as np


def generate(out, cols, n):
    rng = np.random.default_rng(20261123)
    latent = rng.standard_normal((n, 5))
    load = rng.uniform(-1, 1, (5, cols))
    x = latent @ load + rng.standard_normal((n, cols))
    names = [f"c{i:02d}" for i in range(cols)]
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for row in x:
            w.writerow([repr(float(v)) for v in row])


def load(path):
    import pandas as pd
    df = pd.read_csv(path)
    return list(df.columns), df.to_numpy(dtype=float)


def write_long(out, names, values):
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x", "y", "mi"])
        for (i, j), v in values.items():
            w.writerow([names[i], names[j], repr(float(v))])


def main():
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    if cmd == "pandas_load":
        import pandas as pd
        t0 = time.perf_counter()
        df = pd.read_csv(sys.argv[2])
        print(df.shape, file=sys.stderr)
        print(time.perf_counter() - t0)
        return
    if cmd == "polars_load":
        import polars as pl
        t0 = time.perf_counter()
        df = pl.read_csv(sys.argv[2])
        print(df.shape, file=sys.stderr)
        print(time.perf_counter() - t0)
        return
    if cmd == "pyarrow_load":
        from pyarrow import csv as pa_csv
        t0 = time.perf_counter()
        table = pa_csv.read_csv(sys.argv[2])
        print((table.num_rows, table.num_columns), file=sys.stderr)
        print(time.perf_counter() - t0)
        return
    names, x = load(sys.argv[2])
    out, threads = sys.argv[3], int(sys.argv[4])
    p = x.shape[1]
    values = {}
    t0 = time.perf_counter()
    if cmd == "sklearn":
        from sklearn.feature_selection import mutual_info_regression
        for i in range(p - 1):
            mi = mutual_info_regression(x[:, i + 1:], x[:, i], n_neighbors=3, random_state=0, n_jobs=threads)
            for off, v in enumerate(mi):
                values[(i, i + 1 + off)] = v
    elif cmd == "ennemi":
        from ennemi import pairwise_mi
        m = pairwise_mi(x, k=3, max_threads=threads)
        for i in range(p):
            for j in range(i + 1, p):
                values[(i, j)] = m[i, j]
    elif cmd == "ennemi_cond":
        from ennemi import pairwise_mi
        m = pairwise_mi(x[:, :-1], k=3, cond=x[:, -1], max_threads=threads)
        for i in range(p - 1):
            for j in range(i + 1, p - 1):
                values[(i, j)] = m[i, j]
    elif cmd == "numpy_hist":
        # Milliseconds of work: report the median of five runs, as our side does.
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            values = numpy_hist(x, p)
            times.append(time.perf_counter() - t0)
        write_long(out, names, values)
        print(sorted(times)[2])
        return
    else:
        sys.exit(f"unknown command {cmd}")
    elapsed = time.perf_counter() - t0
    write_long(out, names, values)
    print(elapsed)


def numpy_hist(x, p):
    """Histogram MI with 32 equal-width bins per column, every pair (the numpy reference)."""
    values = {}
    bins = 32
    codes = []
    for i in range(p):
        col = x[:, i]
        lo, hi = col.min(), col.max()
        c = np.minimum(((col - lo) / (hi - lo) * bins).astype(np.int64), bins - 1)
        codes.append(c)
    n = x.shape[0]
    for i in range(p):
        for j in range(i + 1, p):
            joint = np.bincount(codes[i] * bins + codes[j], minlength=bins * bins) / n
            px = np.bincount(codes[i], minlength=bins) / n
            py = np.bincount(codes[j], minlength=bins) / n
            nz = joint > 0
            outer = np.outer(px, py).ravel()
            values[(i, j)] = float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))
    return values

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate scikit-learn reference values for tests/engine/sklearn_parity.rs.

Usage (from the repository root):  python3 scripts/sklearn_fixtures.py

Creates (or reuses) a virtual environment under target/sklearn-venv, installs numpy and
scikit-learn into it, re-runs itself there, and writes tests/fixtures/sklearn/:

- gauss_rho06.csv   x, y: bivariate Gaussian, rho = 0.6, n = 1000 (seeded)
- sine.csv          x, y: y = sin(3x) + 0.3 noise, x ~ U(-2, 2), n = 2000 (seeded)
- reference.csv     dataset, feature, target, function, random_state, n_neighbors, mi
                    (wine and diabetes are read from sample_data/ and not copied)
- versions.txt      python, numpy and scikit-learn versions used

Every estimate uses n_neighbors = 3 and discrete_features = False (all features are
treated as continuous, as the parity test does). Tie-free datasets use one
random_state; wine and diabetes contain repeated values, so their estimates depend on
scikit-learn's tie-breaking noise and are recorded for random_state 0..9 to show that
spread. scikit-learn clips negative estimates to 0.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "sklearn-venv"
OUT = ROOT / "tests" / "fixtures" / "sklearn"
K = 3
TIE_STATES = range(10)


def ensure_venv():
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("MI_FIXTURES_IN_VENV"):
        sys.exit("numpy/scikit-learn still missing inside the venv")
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "numpy", "scikit-learn"])
    env = dict(os.environ, MI_FIXTURES_IN_VENV="1")
    sys.exit(subprocess.call([str(py), __file__, *sys.argv[1:]], env=env))


def read_numeric_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    import numpy as np

    return header, np.array([[float(v) for v in r] for r in body])


def write_xy(path, x, y):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["x", "y"])
        for a, b in zip(x, y):
            w.writerow([repr(float(a)), repr(float(b))])


def main():
    ensure_venv()
    import platform

    import numpy as np
    import sklearn
    from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

    OUT.mkdir(parents=True, exist_ok=True)
    refs = []

    rng = np.random.default_rng(20260601)
    n = 1000
    rho = 0.6
    x = rng.standard_normal(n)
    y = rho * x + np.sqrt(1 - rho * rho) * rng.standard_normal(n)
    write_xy(OUT / "gauss_rho06.csv", x, y)
    mi = mutual_info_regression(x[:, None], y, discrete_features=False, n_neighbors=K, random_state=0)
    refs.append(("gauss_rho06", "x", "y", "mutual_info_regression", 0, K, mi[0]))

    rng = np.random.default_rng(20260602)
    n = 2000
    x = rng.uniform(-2, 2, n)
    y = np.sin(3 * x) + 0.3 * rng.standard_normal(n)
    write_xy(OUT / "sine.csv", x, y)
    mi = mutual_info_regression(x[:, None], y, discrete_features=False, n_neighbors=K, random_state=0)
    refs.append(("sine", "x", "y", "mutual_info_regression", 0, K, mi[0]))

    for name, func in (("wine", mutual_info_classif), ("diabetes", mutual_info_regression)):
        header, data = read_numeric_csv(ROOT / "sample_data" / f"{name}.csv")
        t = header.index("target")
        features = [h for i, h in enumerate(header) if i != t]
        X = np.delete(data, t, axis=1)
        y = data[:, t]
        if func is mutual_info_classif:
            y = y.astype(int)
        for state in TIE_STATES:
            mi = func(X, y, discrete_features=False, n_neighbors=K, random_state=state)
            for f, v in zip(features, mi):
                refs.append((name, f, "target", func.__name__, state, K, v))

    with open(OUT / "reference.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["dataset", "feature", "target", "function", "random_state", "n_neighbors", "mi"])
        for r in refs:
            w.writerow([*r[:-1], repr(float(r[-1]))])
    with open(OUT / "versions.txt", "w") as f:
        f.write(f"python {platform.python_version()}\n")
        f.write(f"numpy {np.__version__}\n")
        f.write(f"scikit-learn {sklearn.__version__}\n")
    print(f"wrote {len(refs)} reference values to {OUT}")


if __name__ == "__main__":
    main()

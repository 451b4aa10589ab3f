#!/usr/bin/env python3
"""Reference values for the higher-order estimators (tests/engine/higher_order_*.rs).

Usage (from the repository root; needs numpy and scipy: `pip install numpy scipy`):

  python3 scripts/reference_multi.py fixtures   # writes tests/fixtures/higher_order/
  python3 scripts/reference_multi.py truths     # closed forms of the Gaussian test cases

`fixtures` draws a seeded data set (n = 1000, six continuous columns with a mix of
linear and non-linear dependence), writes it to data.csv, and computes with
scipy's cKDTree under the max-norm (p = inf), independently of the Rust code:

- KSG-1 multivariate MI  I(X;Y) = psi(N) + psi(k) - <psi(n_x + 1) + psi(n_y + 1)>
- Frenzel-Pompe          I(X;Y|Z) = psi(k) - <psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1)>
- k-NN total correlation TC = (m - 1) psi(N) + psi(k) - sum_i <psi(n_i + 1)>
- k-NN dual TC           DTC = (m - 1) psi(k) + psi(N) - sum_i <psi(n_{-i} + 1)>

with eps the distance to the k-th neighbour in the joint space and the counts strict
(points at distance < eps, the point itself included, as query_ball_point with radius
nextafter(eps, 0) returns them). Columns are scaled to unit standard deviation first,
as the app prepares them; the app's tie-breaking jitter (relative size 1e-10) moves no
count on tie-free data, so the Rust estimates agree to rounding. expected.csv lists
name, x, y, given, k, value (nats).

`truths` prints I(X;Y|Z), TC, DTC and O of the Gaussian cases of
tests/engine/higher_order.rs from numpy.linalg.slogdet, to check the test's own
log-determinants.
"""

import csv
import sys
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "higher_order"


def counts(points, centres_eps):
    tree = cKDTree(points)
    eps = centres_eps
    r = np.nextafter(eps, 0)
    return np.array(
        [len(tree.query_ball_point(points[i], r[i], p=np.inf)) for i in range(len(points))]
    )


def kth_eps(points, k):
    tree = cKDTree(points)
    d, _ = tree.query(points, k=k + 1, p=np.inf)
    return d[:, -1]


def ksg1(data, x, y, k):
    joint = data[:, x + y]
    eps = kth_eps(joint, k)
    n = len(data)
    nx = counts(data[:, x], eps)
    ny = counts(data[:, y], eps)
    return digamma(n) + digamma(k) - np.mean(digamma(nx) + digamma(ny))


def frenzel_pompe(data, x, y, z, k):
    eps = kth_eps(data[:, x + y + z], k)
    nxz = counts(data[:, x + z], eps)
    nyz = counts(data[:, y + z], eps)
    nz = counts(data[:, z], eps)
    return digamma(k) - np.mean(digamma(nxz) + digamma(nyz) - digamma(nz))


def tc(data, cols, k):
    eps = kth_eps(data[:, cols], k)
    n, m = len(data), len(cols)
    s = sum(np.mean(digamma(counts(data[:, [c]], eps))) for c in cols)
    return (m - 1) * digamma(n) + digamma(k) - s


def dtc(data, cols, k):
    eps = kth_eps(data[:, cols], k)
    n, m = len(data), len(cols)
    s = 0.0
    for c in cols:
        rest = [d for d in cols if d != c]
        s += np.mean(digamma(counts(data[:, rest], eps)))
    return (m - 1) * digamma(k) + digamma(n) - s


NAMES = ["a", "b", "c", "d", "e", "f"]


def fixtures():
    rng = np.random.default_rng(20261203)
    n = 1000
    a = rng.standard_normal(n)
    b = 0.6 * a + 0.8 * rng.standard_normal(n)
    c = np.sin(2 * a) + 0.5 * b + 0.5 * rng.standard_normal(n)
    d = rng.standard_normal(n)
    e = 0.7 * d + 0.5 * c + 0.5 * rng.standard_normal(n)
    f = np.abs(b) + 0.4 * rng.standard_normal(n)
    raw = np.column_stack([a, b, c, d, e, f])
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "data.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(NAMES)
        for row in raw:
            w.writerow([repr(float(v)) for v in row])
    # Read back exactly what the file holds, then scale as the app does (divide by the
    # population standard deviation).
    data = np.loadtxt(OUT / "data.csv", delimiter=",", skiprows=1)
    data = data / data.std(axis=0)
    idx = {name: i for i, name in enumerate(NAMES)}
    cases = []
    for k in (3, 5):
        for x, y in [("a", "b"), ("a;b", "c"), ("a;b", "c;d"), ("a;b;c", "e;f"), ("a;f", "b;c;d;e")]:
            xs = [idx[v] for v in x.split(";")]
            ys = [idx[v] for v in y.split(";")]
            cases.append(("ksg1", x, y, "", k, ksg1(data, xs, ys, k)))
        for x, y, z in [("a", "c", "b"), ("a;b", "e", "c;d"), ("c", "d;e", "a;b;f")]:
            xs = [idx[v] for v in x.split(";")]
            ys = [idx[v] for v in y.split(";")]
            zs = [idx[v] for v in z.split(";")]
            cases.append(("frenzel-pompe", x, y, z, k, frenzel_pompe(data, xs, ys, zs, k)))
        for s in ["a;b;c", "a;b;c;d;e;f"]:
            cols = [idx[v] for v in s.split(";")]
            cases.append(("tc", s, "", "", k, tc(data, cols, k)))
            cases.append(("dtc", s, "", "", k, dtc(data, cols, k)))
    with open(OUT / "expected.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "x", "y", "given", "k", "value"])
        for name, x, y, z, k, v in cases:
            w.writerow([name, x, y, z, k, repr(float(v))])
    import scipy

    with open(OUT / "versions.txt", "w") as fh:
        fh.write(f"python {sys.version.split()[0]}\nnumpy {np.__version__}\nscipy {scipy.__version__}\n")
    print(f"wrote {len(cases)} reference values to {OUT}")


def matrix(d, f):
    m = np.eye(d)
    for i in range(d):
        for j in range(i + 1, d):
            m[i, j] = m[j, i] = f(i, j)
    return m


def from_loadings(rows):
    a = np.array(rows, dtype=float)
    c = a @ a.T
    s = np.sqrt(np.diag(c))
    return c / np.outer(s, s)


def ld(c, idx):
    if not idx:
        return 0.0
    sign, v = np.linalg.slogdet(c[np.ix_(idx, idx)])
    assert sign > 0
    return v


def cmi(c, dx, dy, dz):
    x = list(range(dx))
    y = list(range(dx, dx + dy))
    z = list(range(dx + dy, dx + dy + dz))
    return 0.5 * (ld(c, x + z) + ld(c, y + z) - ld(c, z) - ld(c, x + y + z))


def truths():
    for dx, dy in [(2, 1), (2, 2), (3, 2), (4, 4)]:
        d = dx + dy

        def sparse(i, j):
            if i == 0 and j == dx:
                return 0.6
            if i == 1 and j == dx + 1 and dx > 1:
                return 0.4
            return 0.0

        def within(i, j):
            if (i, j) == (0, 1) or (dy > 1 and (i, j) == (dx, dx + 1)):
                return 0.5
            if i < dx and i == dx - 1 and j == dx:
                return 0.45
            return 0.0

        for name, f in [
            ("chain", lambda i, j: 0.5 ** (j - i)),
            ("equi", lambda i, j: 0.3),
            ("sparse", sparse),
            ("sparse-within", within),
        ]:
            print(f"{name} {dx}x{dy}: I = {cmi(matrix(d, f), dx, dy, 0):.15f}")
    cc = from_loadings([[1, 1, 0], [1, 0, 1], [1, 0, 0]])
    print(f"common-cause 1x1|1: I = {cmi(cc, 1, 1, 1):.15f}")
    d21 = from_loadings([[0.7, 0.7, 0, 0], [0.5, 0.5, 0.7, 0], [0.7, 0.4, 0, 0.6], [1, 0, 0, 0]])
    print(f"direct 2x1|1: I = {cmi(d21, 2, 1, 1):.15f}")
    d22 = from_loadings(
        [
            [0.6, 0, 1, 0, 0, 0],
            [0, 0.6, 0.5, 1, 0, 0],
            [0.6, 0, 0.5, 0, 1, 0],
            [0, 0.6, 0, 0.3, 0, 1],
            [1, 0, 0, 0, 0, 0],
            [0.5, 1, 0, 0, 0, 0],
        ]
    )
    print(f"direct 2x2|2: I = {cmi(d22, 2, 2, 2):.15f}")
    for m in range(3, 9):
        for name, f in [("chain", lambda i, j: 0.5 ** (j - i)), ("equi", lambda i, j: 0.3)]:
            c = matrix(m, f)
            allc = list(range(m))
            t = -0.5 * ld(c, allc)
            loo = sum(-0.5 * ld(c, [j for j in allc if j != i]) for i in allc)
            dual = (m - 1) * t - loo
            print(f"tc {name} {m}: TC = {t:.15f} DTC = {dual:.15f} O = {t - dual:.15f}")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "fixtures":
        fixtures()
    elif mode == "truths":
        truths()
    else:
        print(__doc__)
        sys.exit(2)

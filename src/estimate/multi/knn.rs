//! The kNN estimators on vector variables, max-norm, with exact matching on discrete
//! coordinates.
//!
//! # One sum for MI, conditional MI and total correlation
//! Every KSG-1-type estimate here has the form
//!
//!   Î = ⟨ψ(k_i)⟩ + Σ_s w_s ⟨ψ(n_s(i) + 1)⟩,
//!
//! where ε_i is the max-norm distance from point i to its k_i-th nearest neighbour in
//! the joint space of all coordinates, and n_s(i) + 1 counts the points (i included)
//! strictly within ε_i in subspace s. The subspaces and weights are:
//!
//! - I(X;Y) (KSG-1, Kraskov et al. 2004, eq. 8): X (−1), Y (−1), the empty space (+1,
//!   where every point is within ε, so the term is ψ(N));
//! - I(X;Y|Z) (Frenzel & Pompe 2007): XZ (−1), YZ (−1), Z (+1);
//! - TC(X₁…X_m) (Kraskov et al. 2004, eq. 39, the multi-information): each Xᵢ (−1) and
//!   the empty space (m − 1);
//! - DTC(X₁…X_m) = Σᵢ H(X₋ᵢ) − (m − 1) H(X): each X₋ᵢ (−1), the empty space (+1), and
//!   ψ(k) weighted m − 1. Writing every entropy with the same ε_i (the Kozachenko–
//!   Leonenko form KSG uses, H(S) ≈ −⟨ψ(n_S + 1)⟩ + ψ(N) + d_S ⟨ln 2ε⟩), the ⟨ln 2ε⟩
//!   terms cancel exactly because Σᵢ dim(X₋ᵢ) = (m − 1)·dim(X), as the X and Y volume
//!   terms cancel in KSG-1. Estimating each TC(X₋ᵢ) with its own neighbourhoods
//!   instead would leave their different biases in DTC = (m − 1)·TC − Σᵢ TC(X₋ᵢ), which
//!   grow with m (at m = 8 that route gave half the true DTC).
//!
//! # Discrete coordinates
//! A discrete coordinate gets the metric "0 if the codes are equal, ∞ otherwise", as in
//! [`crate::estimate::cmi_knn`]: neighbours are searched among the points sharing all
//! discrete codes, and a subspace count only counts points with the same codes on the
//! subspace's discrete coordinates (every one of them when the subspace has no
//! continuous coordinate). With one continuous X and one discrete Y this is exactly
//! Ross (2014); with a discrete Z it is the KSG-1 estimate within each stratum of Z,
//! weighted by the stratum's size. A point whose discrete group has m ≤ k members uses
//! k_i = m − 1 neighbours; singletons are dropped and every count is taken over the
//! retained points (as Ross and scikit-learn do).
//!
//! # KSG-2
//! [`ksg2`] (all coordinates continuous, no conditioning set): ε_x(i), ε_y(i) are the
//! extents of the k nearest joint neighbours in the X and Y subspaces, n_x(i) counts the
//! other points within ε_x(i) (closed ball), and Î₂ = ψ(k) − 1/k + ψ(N) − ⟨ψ(n_x) + ψ(n_y)⟩.
//!
//! One-dimensional subspaces are counted on a [`SortedAxis`] exactly as the pairwise
//! [`crate::estimate::ksg`] counts them, so a (1, 1) estimate equals the pairwise one.

use super::space::{MAX_DIMS, Space};
use crate::estimate::discrete;
use crate::estimate::knn::{Groups, Scratch, SortedAxis};
use crate::estimate::parallel::par_sum_with;
use crate::estimate::special::digamma_count;

/// One coordinate of the joint space, prepared (continuous: scaled and jittered).
#[derive(Clone, Copy, Debug)]
pub enum Coord<'a> {
    Continuous(&'a [f64]),
    Discrete(&'a [u32]),
}

impl Coord<'_> {
    pub fn len(&self) -> usize {
        match self {
            Coord::Continuous(v) => v.len(),
            Coord::Discrete(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a kNN estimate cannot be made (the caller turns these into an `EstimateError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnnError {
    /// No continuous coordinate: distances are all 0 or ∞ (use plug-in counts).
    NoContinuous,
    /// More continuous coordinates than [`MAX_DIMS`].
    TooManyDims(usize),
    /// Fewer than two points share their discrete codes with another point.
    TooFewPoints,
}

/// A subspace of the joint space: the coordinates it keeps and the weight of its term.
pub struct Term<'s> {
    pub coords: &'s [usize],
    pub weight: f64,
}

/// Counts n_s(i) + 1 in one subspace over the retained points.
enum Index {
    /// No continuous coordinate: every point of the group counts.
    Size,
    Axis(SortedAxis),
    Space(Space),
}

struct Counter {
    /// Group of each retained position (points with equal discrete codes here).
    group: Vec<u32>,
    /// Position of each retained position within its group.
    local: Vec<u32>,
    sizes: Vec<usize>,
    indexes: Vec<Index>,
}

impl Counter {
    fn new(coords: &[Coord<'_>], which: &[usize], order: &[u32]) -> Result<Self, KnnError> {
        let n = order.len();
        let codes = discrete_key(coords, which, order);
        let groups = codes.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); groups];
        let mut local = Vec::with_capacity(n);
        for (q, &c) in codes.iter().enumerate() {
            local.push(members[c as usize].len() as u32);
            members[c as usize].push(order[q]);
        }
        let continuous: Vec<&[f64]> = which
            .iter()
            .filter_map(|&c| match coords[c] {
                Coord::Continuous(v) => Some(v),
                Coord::Discrete(_) => None,
            })
            .collect();
        if continuous.len() > MAX_DIMS {
            return Err(KnnError::TooManyDims(continuous.len()));
        }
        let indexes = members
            .iter()
            .map(|rows| match continuous.len() {
                0 => Index::Size,
                1 => Index::Axis(SortedAxis::new(
                    &rows
                        .iter()
                        .map(|&r| continuous[0][r as usize])
                        .collect::<Vec<_>>(),
                )),
                _ => match Space::new(&continuous, rows) {
                    Some(s) => Index::Space(s),
                    None => Index::Size,
                },
            })
            .collect();
        Ok(Self {
            group: codes,
            local,
            sizes: members.iter().map(Vec::len).collect(),
            indexes,
        })
    }

    /// Points strictly within `eps` of retained position q, q included (at least 1).
    fn count(&self, q: usize, eps: f64) -> usize {
        let g = self.group[q] as usize;
        let i = self.local[q] as usize;
        let c = match &self.indexes[g] {
            Index::Size => self.sizes[g],
            Index::Axis(a) => a.count_strict_of(i, eps),
            Index::Space(s) => s.count_strict_of(i, eps),
        };
        c.max(1)
    }
}

/// Dense codes (over `order`) of the discrete coordinates among `which` (all 0 when
/// there are none).
fn discrete_key(coords: &[Coord<'_>], which: &[usize], order: &[u32]) -> Vec<u32> {
    let mut key = vec![0u32; order.len()];
    for &c in which {
        if let Coord::Discrete(v) = coords[c] {
            let codes: Vec<u32> = order.iter().map(|&i| v[i as usize]).collect();
            key = discrete::joint_codes(&key, &codes).0;
        }
    }
    key
}

/// w_k ⟨ψ(k_i)⟩ + Σ_s w_s ⟨ψ(n_s(i) + 1)⟩ over the joint space of all `coords` (module
/// docs; `k_weight` = w_k is 1 except for the dual total correlation).
pub fn knn_sum(
    coords: &[Coord<'_>],
    terms: &[Term<'_>],
    k: usize,
    k_weight: f64,
) -> Result<f64, KnnError> {
    let n = coords.iter().map(Coord::len).min().unwrap_or(0);
    let all: Vec<usize> = (0..coords.len()).collect();
    let continuous: Vec<&[f64]> = coords
        .iter()
        .filter_map(|c| match c {
            Coord::Continuous(v) => Some(&v[..n]),
            Coord::Discrete(_) => None,
        })
        .collect();
    if continuous.is_empty() {
        return Err(KnnError::NoContinuous);
    }
    if continuous.len() > MAX_DIMS {
        return Err(KnnError::TooManyDims(continuous.len()));
    }
    let all_rows: Vec<u32> = (0..n as u32).collect();
    let joint_codes = discrete_key(coords, &all, &all_rows);
    let groups = Groups::new(&joint_codes).ok_or(KnnError::TooFewPoints)?;
    let spaces: Vec<Space> = groups
        .bounds
        .iter()
        .map(|&(lo, hi)| Space::new(&continuous, &groups.order[lo..hi]))
        .collect::<Option<_>>()
        .ok_or(KnnError::TooManyDims(continuous.len()))?;
    let counters: Vec<Counter> = terms
        .iter()
        .map(|t| Counter::new(coords, t.coords, &groups.order))
        .collect::<Result<_, _>>()?;
    let kept = groups.order.len();
    let k = k.max(1);
    let sum = par_sum_with(kept, Scratch::default, |scratch, q| {
        let g = groups.group_at[q] as usize;
        let (lo, hi) = groups.bounds[g];
        let ki = k.min(hi - lo - 1);
        let eps = spaces[g].kth_distance(q - lo, ki, scratch);
        let mut term = k_weight * digamma_count(ki);
        for (t, counter) in terms.iter().zip(&counters) {
            term += t.weight * digamma_count(counter.count(q, eps));
        }
        term
    });
    Ok(sum / kept as f64)
}

/// KSG-2 estimate of I(X;Y) for continuous coordinates `x` and `y` (module docs).
pub fn ksg2(x: &[&[f64]], y: &[&[f64]], k: usize) -> Result<f64, KnnError> {
    let n = x.iter().chain(y).map(|c| c.len()).min().unwrap_or(0);
    let d = x.len() + y.len();
    if x.is_empty() || y.is_empty() {
        return Err(KnnError::NoContinuous);
    }
    if d > MAX_DIMS {
        return Err(KnnError::TooManyDims(d));
    }
    if n < 2 {
        return Err(KnnError::TooFewPoints);
    }
    let rows: Vec<u32> = (0..n as u32).collect();
    let joint: Vec<&[f64]> = x.iter().chain(y).copied().collect();
    let space = Space::new(&joint, &rows).ok_or(KnnError::TooManyDims(d))?;
    let closed = |set: &[&[f64]]| -> Result<ClosedCounter, KnnError> {
        Ok(if set.len() == 1 {
            ClosedCounter::Axis(SortedAxis::new(&set[0][..n]))
        } else {
            ClosedCounter::Space(Space::new(set, &rows).ok_or(KnnError::TooManyDims(d))?)
        })
    };
    let (cx, cy) = (closed(x)?, closed(y)?);
    let k = k.clamp(1, n - 1);
    let extent = |set: &[&[f64]], i: usize, idx: &[u32]| {
        let mut e = 0.0f64;
        for &j in idx {
            for c in set {
                e = e.max((c[j as usize] - c[i]).abs());
            }
        }
        e
    };
    let sum = par_sum_with(
        n,
        || (Scratch::default(), Vec::with_capacity(k + 1)),
        |(scratch, idx), i| {
            space.nearest(i, k, scratch, idx);
            let nx = cx.others_within(i, extent(x, i, idx));
            let ny = cy.others_within(i, extent(y, i, idx));
            digamma_count(nx) + digamma_count(ny)
        },
    );
    Ok(digamma_count(k) - 1.0 / k as f64 + digamma_count(n) - sum / n as f64)
}

enum ClosedCounter {
    Axis(SortedAxis),
    Space(Space),
}

impl ClosedCounter {
    /// #{j ≠ i : ‖p_j − p_i‖∞ ≤ r}, at least 1 (the k neighbours guarantee ≥ k).
    fn others_within(&self, i: usize, r: f64) -> usize {
        let closed = match self {
            ClosedCounter::Axis(a) => a.count_closed_of(i, r),
            // d ≤ r ⇔ d < next_up(r) for the finite distances compared here.
            ClosedCounter::Space(s) => s.count_strict_of(i, r.next_up()),
        };
        closed.saturating_sub(1).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frac(i: usize, a: f64) -> f64 {
        (i as f64 * a).fract()
    }

    /// The definition, O(n²): brute-force distances with the 0/∞ discrete metric.
    fn naive(coords: &[Coord<'_>], terms: &[(Vec<usize>, f64)], k: usize) -> f64 {
        let n = coords[0].len();
        let dist = |s: &[usize], i: usize, j: usize| {
            let mut d = 0.0f64;
            for &c in s {
                let e = match coords[c] {
                    Coord::Continuous(v) => (v[i] - v[j]).abs(),
                    Coord::Discrete(v) if v[i] == v[j] => 0.0,
                    Coord::Discrete(_) => f64::INFINITY,
                };
                d = d.max(e);
            }
            d
        };
        let all: Vec<usize> = (0..coords.len()).collect();
        let same = |i: usize, j: usize| {
            all.iter()
                .all(|&c| !matches!(coords[c], Coord::Discrete(v) if v[i] != v[j]))
        };
        let size = |i: usize| (0..n).filter(|&j| same(i, j)).count();
        let kept: Vec<usize> = (0..n).filter(|&i| size(i) > 1).collect();
        let mut total = 0.0;
        for &i in &kept {
            let ki = k.min(size(i) - 1);
            let mut d: Vec<f64> = kept
                .iter()
                .filter(|&&j| j != i && same(i, j))
                .map(|&j| dist(&all, i, j))
                .collect();
            d.sort_by(f64::total_cmp);
            let eps = d[ki - 1];
            total += digamma_count(ki);
            for (s, w) in terms {
                let c = kept.iter().filter(|&&j| dist(s, i, j) < eps).count();
                total += w * digamma_count(c.max(1));
            }
        }
        total / kept.len() as f64
    }

    #[test]
    fn knn_sum_equals_the_definition_for_every_mix() {
        for n in [50, 300] {
            let a: Vec<f64> = (0..n).map(|i| frac(i, 0.618_033_988_7)).collect();
            let b: Vec<f64> = (0..n)
                .map(|i| frac(i, 0.414_213_562_3) + 0.5 * a[i])
                .collect();
            let c: Vec<f64> = (0..n)
                .map(|i| b[i] + 0.3 * frac(i, 0.732_050_807_5))
                .collect();
            let d: Vec<u32> = (0..n).map(|i| (a[i] * 3.0) as u32).collect();
            let mut e: Vec<u32> = (0..n).map(|i| (c[i] * 2.0) as u32).collect();
            e[7] = 9;
            let coords = [
                Coord::Continuous(&a),
                Coord::Continuous(&b),
                Coord::Continuous(&c),
                Coord::Discrete(&d),
                Coord::Discrete(&e),
            ];
            // (X, Y, Z) splits of the five coordinates, MI and CMI forms, and a TC.
            let cases: Vec<Vec<(Vec<usize>, f64)>> = vec![
                vec![(vec![0, 1], -1.0), (vec![2], -1.0), (vec![], 1.0)],
                vec![(vec![0, 3], -1.0), (vec![2, 4], -1.0), (vec![], 1.0)],
                vec![(vec![0, 1], -1.0), (vec![3], -1.0), (vec![], 1.0)],
                vec![(vec![0, 2], -1.0), (vec![1, 2], -1.0), (vec![2], 1.0)],
                vec![(vec![0, 4], -1.0), (vec![1, 4], -1.0), (vec![4], 1.0)],
                vec![
                    (vec![0], -1.0),
                    (vec![1], -1.0),
                    (vec![2], -1.0),
                    (vec![3], -1.0),
                    (vec![], 3.0),
                ],
            ];
            for (ci, case) in cases.iter().enumerate() {
                let used: Vec<usize> = {
                    let mut u: Vec<usize> = case.iter().flat_map(|(s, _)| s.clone()).collect();
                    u.sort_unstable();
                    u.dedup();
                    u
                };
                let sub: Vec<Coord<'_>> = used.iter().map(|&i| coords[i]).collect();
                let remap = |s: &Vec<usize>| -> Vec<usize> {
                    s.iter()
                        .map(|c| used.iter().position(|u| u == c).unwrap_or(0))
                        .collect()
                };
                let mapped: Vec<(Vec<usize>, f64)> =
                    case.iter().map(|(s, w)| (remap(s), *w)).collect();
                let terms: Vec<Term<'_>> = mapped
                    .iter()
                    .map(|(s, w)| Term {
                        coords: s,
                        weight: *w,
                    })
                    .collect();
                for k in [1, 3, 6] {
                    let fast = knn_sum(&sub, &terms, k, 1.0).unwrap_or(f64::NAN);
                    let slow = naive(&sub, &mapped, k);
                    assert!(
                        (fast - slow).abs() < 1e-12,
                        "n={n} case {ci} k={k}: {fast} vs {slow}"
                    );
                }
            }
        }
    }

    #[test]
    fn ksg2_one_by_one_is_the_pairwise_ksg2() {
        // Random, so that no two distances tie (KSG-2's neighbour set at a tie depends
        // on the search order).
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let n = 400;
        let a: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let b: Vec<f64> = a
            .iter()
            .map(|&v| v * v + 0.3 * rng.random::<f64>())
            .collect();
        for k in [1, 3, 5] {
            let multi = ksg2(&[&a], &[&b], k).unwrap_or(f64::NAN);
            let pair = crate::estimate::ksg::mi(&a, &b, k, crate::estimate::ksg::Algorithm::Two);
            assert!((multi - pair).abs() < 1e-12, "k={k}: {multi} vs {pair}");
        }
    }
}

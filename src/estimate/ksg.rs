//! Kraskov–Stögbauer–Grassberger (2004) kNN MI, algorithms 1 and 2, max-norm.
//!
//! Algorithm 1 is computed exactly as scikit-learn's `_compute_mi_cc` (and ennemi):
//! ε_i is the max-norm distance from point i to its k-th nearest neighbour in the
//! joint space, n_x(i) = #{j ≠ i : |x_j − x_i| < ε_i} (strict), likewise n_y, and
//!
//!   I₁ = ψ(N) + ψ(k) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩.
//!
//! Algorithm 2 uses the marginal extents of the k nearest joint neighbours,
//! ε_x(i) = max |x_j − x_i| and ε_y(i) over those k points, closed counts
//! n_x(i) = #{j ≠ i : |x_j − x_i| ≤ ε_x(i)}, and
//!
//!   I₂ = ψ(k) − 1/k + ψ(N) − ⟨ψ(n_x) + ψ(n_y)⟩.
//!
//! Both can be slightly negative for independent data; that is reported as computed.
//! The joint-space search builds one exact neighbour index per pair and queries all
//! points in parallel (fixed chunks, summed in order, so results are reproducible to
//! the bit): by default the strip index [`Strips`](super::knn::Strips), with a
//! kiddo k-d tree available through [`mi_with`] as a cross-check (both give identical
//! estimates; tested). The marginal counts gallop outwards from each point's position
//! in its column sorted once.
//!
//! Inputs must be prepared (no missing values, scaled, ties broken by jitter). The
//! callers guarantee N > k; for robustness a smaller sample is handled by using
//! k = N − 1, and N < 2 (no neighbour at all) gives 0.

use super::knn::{
    BRUTE_FORCE_MAX, JointSpace, KnnSpace, Scratch, SortedAxis, Strips, strict_counts,
};
use super::parallel::{Cancel, fill_chunks_with, fill_with, ordered_sum, par_sum_until};
use super::special::{digamma_count, digamma_counts};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    One,
    Two,
}

/// The joint-space neighbour index behind a KSG estimate. Both are exact and give
/// identical estimates; [`Search::Strips`] is faster and is what [`mi`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// The strip index of [`Strips`] (brute force for n ≤ 64).
    Strips,
    /// A kiddo k-d tree (brute force for n ≤ 64).
    KdTree,
}

/// KSG estimate in nats. Inputs are prepared (no missing values, scaled, ties broken);
/// requires x.len() > k (see the module docs for what happens otherwise).
pub fn mi(x: &[f64], y: &[f64], k: usize, algorithm: Algorithm) -> f64 {
    mi_with(x, y, k, algorithm, Search::Strips)
}

/// [`mi`] that stops when `cancel` fires (polled every few hundred points): `None`
/// when it did, else the same number as [`mi`].
pub fn mi_until(
    x: &[f64],
    y: &[f64],
    k: usize,
    algorithm: Algorithm,
    cancel: Cancel,
) -> Option<f64> {
    search_until(x, y, k, algorithm, Search::Strips, cancel)
}

/// [`mi`] with a chosen neighbour index (benchmarks and cross-checks).
pub fn mi_with(x: &[f64], y: &[f64], k: usize, algorithm: Algorithm, search: Search) -> f64 {
    // Never `None`: nothing cancels.
    search_until(x, y, k, algorithm, search, Cancel::NEVER).unwrap_or(f64::NAN)
}

fn search_until(
    x: &[f64],
    y: &[f64],
    k: usize,
    algorithm: Algorithm,
    search: Search,
    cancel: Cancel,
) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return Some(0.0);
    }
    let (x, y) = (&x[..n], &y[..n]);
    let (sx, sy) = (SortedAxis::new(x), SortedAxis::new(y));
    match search {
        Search::Strips => mi_sorted_until(&sx, &sy, k, algorithm, true, cancel),
        Search::KdTree => {
            let points: Vec<[f64; 2]> = x.iter().zip(y).map(|(&a, &b)| [a, b]).collect();
            estimate(
                &JointSpace::<2>::new(points),
                &sx,
                &sy,
                k,
                algorithm,
                cancel,
            )
        }
    }
}

/// [`mi`] for columns already sorted once (`sx`, `sy` are the [`SortedAxis`] of x and
/// y, e.g. cached per column by a matrix; they carry the values): the same operations
/// in the same order as [`mi`], hence the same floating-point result, without sorting.
/// `parallel` spreads the points of this pair over the rayon pool (worth it when there
/// are fewer pairs than threads); the result does not depend on it.
pub fn mi_sorted(
    sx: &SortedAxis,
    sy: &SortedAxis,
    k: usize,
    algorithm: Algorithm,
    parallel: bool,
) -> f64 {
    // Never `None`: nothing cancels.
    mi_sorted_until(sx, sy, k, algorithm, parallel, Cancel::NEVER).unwrap_or(f64::NAN)
}

/// [`mi_sorted`] that stops when `cancel` fires: `None` when it did.
pub fn mi_sorted_until(
    sx: &SortedAxis,
    sy: &SortedAxis,
    k: usize,
    algorithm: Algorithm,
    parallel: bool,
    cancel: Cancel,
) -> Option<f64> {
    let n = sx.len();
    assert_eq!(sy.len(), n, "pair lengths differ");
    if n < 2 {
        return Some(0.0);
    }
    if n <= BRUTE_FORCE_MAX {
        let points: Vec<[f64; 2]> = (0..n).map(|i| [sx.value(i), sy.value(i)]).collect();
        estimate(&JointSpace::<2>::new(points), sx, sy, k, algorithm, cancel)
    } else {
        // Reuse this thread's buffers from its previous pair (none when a nested pair
        // on the same thread holds them: then it allocates).
        let mut bufs = BUFFERS.take().unwrap_or_default();
        let strips = Strips::from_axes_reusing(sx, sy, bufs.strips.take());
        let mi = estimate_strips(&strips, sx, sy, k, algorithm, parallel, cancel, &mut bufs);
        bufs.strips = Some(strips);
        BUFFERS.set(Some(bufs));
        mi
    }
}

/// Per-thread buffers of [`mi_sorted`], kept between pairs so a matrix does not
/// allocate per pair.
#[derive(Default)]
struct Buffers {
    strips: Option<Strips>,
    eps: Vec<f64>,
    eps_sorted: Vec<f64>,
    cx: Vec<u32>,
    cy: Vec<u32>,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Option<Box<Buffers>>> = const { std::cell::Cell::new(None) };
}

/// The per-point term of KSG-1: ψ(n_x + 1) + ψ(n_y + 1) for radius ε.
#[inline]
fn term_one(sx: &SortedAxis, sy: &SortedAxis, i: usize, eps: f64) -> f64 {
    // The strict counts include point i itself (when ε > 0), i.e. they are already
    // n_x + 1; with ε = 0 (coincident points) they are 0, so clamp to the self-count 1.
    let nx1 = sx.count_strict_of(i, eps).max(1);
    let ny1 = sy.count_strict_of(i, eps).max(1);
    digamma_count(nx1) + digamma_count(ny1)
}

/// The per-point term of KSG-2 given the k nearest neighbours `idx` of point i.
#[inline]
fn term_two<S: KnnSpace<2>>(
    space: &S,
    sx: &SortedAxis,
    sy: &SortedAxis,
    i: usize,
    idx: &[u32],
) -> f64 {
    let (mut ex, mut ey) = (0.0f64, 0.0f64);
    let pi = *space.point(i);
    for &j in idx.iter() {
        let pj = space.point(j as usize);
        ex = ex.max((pj[0] - pi[0]).abs());
        ey = ey.max((pj[1] - pi[1]).abs());
    }
    // Closed counts include i itself; the k neighbours guarantee ≥ k others.
    let nx = sx.count_closed_of(i, ex).saturating_sub(1).max(1);
    let ny = sy.count_closed_of(i, ey).saturating_sub(1).max(1);
    digamma_count(nx) + digamma_count(ny)
}

fn finish(algorithm: Algorithm, n: usize, k: usize, sum: f64) -> f64 {
    let nf = n as f64;
    match algorithm {
        Algorithm::One => digamma_count(n) + digamma_count(k) - sum / nf,
        Algorithm::Two => digamma_count(k) - 1.0 / k as f64 + digamma_count(n) - sum / nf,
    }
}

/// Strip search with the points visited in strip order (neighbouring queries touch the
/// same memory), terms stored by position and summed in original order with the
/// association of [`par_sum_until`], so the result equals [`estimate`]'s bit for bit.
#[allow(clippy::too_many_arguments)]
fn estimate_strips(
    strips: &Strips,
    sx: &SortedAxis,
    sy: &SortedAxis,
    k: usize,
    algorithm: Algorithm,
    parallel: bool,
    cancel: Cancel,
    bufs: &mut Buffers,
) -> Option<f64> {
    let n = sx.len();
    let k = k.clamp(1, n - 1);
    let sum = match algorithm {
        Algorithm::One => {
            // Pass 1, in strip order: ε of every point (neighbouring queries share memory).
            let Buffers {
                eps,
                eps_sorted,
                cx,
                cy,
                ..
            } = bufs;
            // Every position is written below: resizing only sets the length (the
            // buffers are this thread's, reused across pairs of the same length).
            eps.resize(n, 0.0);
            let filled = fill_chunks_with(
                eps,
                parallel,
                cancel,
                Scratch::default,
                |scratch, first, out| strips.kth_distances_at(k, first, out, scratch),
            );
            if !filled {
                return None;
            }
            // Pass 2, in each axis's sorted order: the strict marginal counts, clamped to
            // the self-count 1 exactly as in `term_one`. The radii are first laid out in
            // that order (a scatter with no dependency between points, which the CPU
            // overlaps), so that the searches read them sequentially.
            for (axis, counts) in [(sx, &mut *cx), (sy, &mut *cy)] {
                eps_sorted.resize(n, 0.0);
                // In strip order, so that only the write is scattered.
                for (p, &e) in eps.iter().enumerate() {
                    eps_sorted[axis.rank(strips.id_at(p))] = e;
                }
                counts.resize(n, 0);
                if !strict_counts(axis, eps_sorted, counts, parallel, cancel) {
                    return None;
                }
            }
            let psi = digamma_counts();
            let psi = |c: u32| {
                let c = c as usize;
                psi.get(c).copied().unwrap_or_else(|| digamma_count(c))
            };
            ordered_sum(n, |i| psi(cx[sx.rank(i)]) + psi(cy[sy.rank(i)]))
        }
        Algorithm::Two => {
            let mut terms = vec![0.0f64; n];
            let filled = fill_with(
                &mut terms,
                parallel,
                cancel,
                || (Scratch::default(), Vec::with_capacity(k + 1)),
                |(scratch, idx), p| {
                    let i = strips.id_at(p);
                    strips.nearest(i, k, scratch, idx);
                    term_two(strips, sx, sy, i, idx)
                },
            );
            if !filled {
                return None;
            }
            ordered_sum(n, |i| terms[strips.position(i)])
        }
    };
    Some(finish(algorithm, n, k, sum))
}

fn estimate<S: KnnSpace<2>>(
    space: &S,
    sx: &SortedAxis,
    sy: &SortedAxis,
    k: usize,
    algorithm: Algorithm,
    cancel: Cancel,
) -> Option<f64> {
    let n = sx.len();
    let k = k.clamp(1, n - 1);
    let sum = match algorithm {
        Algorithm::One => par_sum_until(n, cancel, Scratch::default, |scratch, i| {
            let eps = space.kth_distance(i, k, scratch);
            term_one(sx, sy, i, eps)
        }),
        Algorithm::Two => par_sum_until(
            n,
            cancel,
            || (Scratch::default(), Vec::with_capacity(k + 1)),
            |(scratch, idx), i| {
                space.nearest(i, k, scratch, idx);
                term_two(space, sx, sy, i, idx)
            },
        ),
    }?;
    Some(finish(algorithm, n, k, sum))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::knn::chebyshev;

    /// The textbook O(n²) definition, for checking the fast path.
    fn naive(x: &[f64], y: &[f64], k: usize, algorithm: Algorithm) -> f64 {
        let n = x.len();
        let mut total = 0.0;
        for i in 0..n {
            let mut d: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (chebyshev(&[x[i], y[i]], &[x[j], y[j]]), j))
                .collect();
            d.sort_by(|a, b| a.0.total_cmp(&b.0));
            match algorithm {
                Algorithm::One => {
                    let eps = d[k - 1].0;
                    let nx = (0..n)
                        .filter(|&j| j != i && (x[j] - x[i]).abs() < eps)
                        .count();
                    let ny = (0..n)
                        .filter(|&j| j != i && (y[j] - y[i]).abs() < eps)
                        .count();
                    total += digamma_count(nx + 1) + digamma_count(ny + 1);
                }
                Algorithm::Two => {
                    let ex = d[..k]
                        .iter()
                        .map(|&(_, j)| (x[j] - x[i]).abs())
                        .fold(0.0, f64::max);
                    let ey = d[..k]
                        .iter()
                        .map(|&(_, j)| (y[j] - y[i]).abs())
                        .fold(0.0, f64::max);
                    let nx = (0..n)
                        .filter(|&j| j != i && (x[j] - x[i]).abs() <= ex)
                        .count();
                    let ny = (0..n)
                        .filter(|&j| j != i && (y[j] - y[i]).abs() <= ey)
                        .count();
                    total += digamma_count(nx) + digamma_count(ny);
                }
            }
        }
        let base = digamma_count(n) + digamma_count(k);
        match algorithm {
            Algorithm::One => base - total / n as f64,
            Algorithm::Two => base - 1.0 / k as f64 - total / n as f64,
        }
    }

    fn sample(n: usize) -> (Vec<f64>, Vec<f64>) {
        // Random, so that no two distances tie: with ties at the k-th distance KSG-2's
        // neighbour set (hence its estimate) legitimately depends on the search order.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(n as u64);
        let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|&a| a * a + 0.3 * rng.random::<f64>())
            .collect();
        (x, y)
    }

    #[test]
    fn fast_paths_equal_the_definition() {
        // Both the brute-force (n ≤ 64) and the tree path, for both algorithms.
        for n in [20, 300, 1500] {
            let (x, y) = sample(n);
            for k in [1, 3, 7] {
                for alg in [Algorithm::One, Algorithm::Two] {
                    let fast = mi(&x, &y, k, alg);
                    let slow = naive(&x, &y, k, alg);
                    let tree = mi_with(&x, &y, k, alg, Search::KdTree);
                    assert_eq!(fast, tree, "n={n} k={k} {alg:?}");
                    assert!(
                        (fast - slow).abs() < 1e-12,
                        "n={n} k={k} {alg:?}: {fast} vs {slow}"
                    );
                }
            }
        }
    }

    #[test]
    fn tiny_samples_do_not_panic() {
        assert_eq!(mi(&[1.0], &[2.0], 3, Algorithm::One), 0.0);
        assert!(mi(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0], 5, Algorithm::One).is_finite());
        assert!(mi(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0], 5, Algorithm::Two).is_finite());
    }
}

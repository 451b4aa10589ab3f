//! Neighbour searches shared by the kNN estimators (KSG, Ross, Frenzel–Pompe).
//!
//! - [`JointSpace`]: exact max-norm (Chebyshev) k-nearest-neighbour distances and
//!   strict ball counts in a low-dimensional joint space, with a kiddo k-d tree (or a
//!   brute-force scan for small samples, where building a tree costs more than it saves).
//! - [`SortedAxis`]: one coordinate sorted once, so that "how many points lie within r
//!   of c" is two binary searches instead of a tree query.
//! - [`digamma_int`]: ψ at positive integers, the only arguments the kNN estimators need.
//! - [`par_sum`]: a parallel sum whose result does not depend on thread scheduling, so
//!   the same input gives byte-identical numbers in every run (GUI and CLI alike).
//!
//! Distances are compared exactly as computed (`(a - b).abs()`, maximum over
//! coordinates): a marginal count with radius ε uses the same floating-point
//! differences as the joint-space search that produced ε, so ties at the radius are
//! resolved as the estimators specify (strict `<` or closed `≤`) without rounding slips.

use std::num::NonZeroUsize;

use kiddo::ImmutableKdTree;
use kiddo::dist::Chebyshev;
use rayon::prelude::*;

/// Below this many points a brute-force scan beats building and querying a tree.
pub const BRUTE_FORCE_MAX: usize = 64;

/// Points summed per parallel task: large enough to amortise scheduling, small enough
/// to balance two to a few dozen cores at n = 10k.
const CHUNK: usize = 512;

/// Euler–Mascheroni constant; ψ(1) = −γ.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// ψ(n) for a positive integer n; ψ(0) is −∞ (a count of zero means "no data").
///
/// Small n use ψ(n) = −γ + Σ_{j<n} 1/j exactly; from n = 16 on, the asymptotic series
/// up to x⁻⁸ is accurate to about 1e-15 (the first omitted term is 1/(132 n¹⁰)).
pub fn digamma_int(n: usize) -> f64 {
    if n == 0 {
        return f64::NEG_INFINITY;
    }
    if n < 16 {
        let mut acc = -EULER_GAMMA;
        for j in 1..n {
            acc += 1.0 / j as f64;
        }
        return acc;
    }
    let x = n as f64;
    let inv2 = 1.0 / (x * x);
    x.ln()
        - 0.5 / x
        - inv2 * (1.0 / 12.0 - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 / 240.0)))
}

/// Σ f(i) for i in 0..n, computed in parallel chunks of fixed size and added in chunk
/// order, so the floating-point result is the same however rayon schedules the work.
pub fn par_sum<F>(n: usize, f: F) -> f64
where
    F: Fn(usize) -> f64 + Sync,
{
    par_sum_with(n, || (), |_, i| f(i))
}

/// [`par_sum`] with per-task scratch state (a reusable buffer), created once per chunk
/// rather than once per point.
pub fn par_sum_with<S, I, F>(n: usize, init: I, f: F) -> f64
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, usize) -> f64 + Sync,
{
    let chunk_sum = |c: usize| {
        let mut state = init();
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        (lo..hi).map(|i| f(&mut state, i)).sum::<f64>()
    };
    let chunks = n.div_ceil(CHUNK);
    if chunks <= 1 {
        return (0..chunks).map(chunk_sum).sum();
    }
    let partial: Vec<f64> = (0..chunks).into_par_iter().map(chunk_sum).collect();
    partial.iter().sum()
}

/// One coordinate, sorted, for 1-D neighbourhood counts by binary search.
#[derive(Clone, Debug)]
pub struct SortedAxis {
    sorted: Vec<f64>,
}

impl SortedAxis {
    pub fn new(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        Self { sorted }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// #{j : |v_j − c| < r}, counting a point at c itself when r > 0.
    ///
    /// Both predicates are monotone along the sorted values because floating-point
    /// subtraction is monotone in each argument, so they agree exactly with
    /// `(v - c).abs() < r` evaluated point by point.
    pub fn count_strict(&self, c: f64, r: f64) -> usize {
        let hi = self.sorted.partition_point(|&v| v - c < r);
        let lo = self.sorted.partition_point(|&v| c - v >= r);
        hi.saturating_sub(lo)
    }

    /// #{j : |v_j − c| ≤ r}.
    pub fn count_closed(&self, c: f64, r: f64) -> usize {
        let hi = self.sorted.partition_point(|&v| v - c <= r);
        let lo = self.sorted.partition_point(|&v| c - v > r);
        hi.saturating_sub(lo)
    }
}

/// Max-norm distance between two points, computed the way kiddo's Chebyshev metric
/// computes it.
#[inline]
pub fn chebyshev<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    let mut d = 0.0f64;
    for (p, q) in a.iter().zip(b) {
        let c = (p - q).abs();
        if c > d {
            d = c;
        }
    }
    d
}

/// Points in a D-dimensional max-norm space, indexed for kNN distances and ball counts.
pub struct JointSpace<const D: usize> {
    points: Vec<[f64; D]>,
    tree: Option<ImmutableKdTree<f64, D>>,
}

/// Reusable per-task buffers for neighbour queries (keeps the brute-force path
/// allocation-free per point).
#[derive(Default)]
pub struct Scratch {
    distances: Vec<f64>,
    pairs: Vec<(f64, u32)>,
}

/// The queries the kNN estimators make of a joint space; implemented for the
/// dimensions they use (1 to 4), so estimators can be written once for any of them.
pub trait KnnSpace<const D: usize>: Sized + Sync {
    /// Indexes the points (a k-d tree above [`BRUTE_FORCE_MAX`] points).
    fn new(points: Vec<[f64; D]>) -> Self;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn point(&self, i: usize) -> &[f64; D];
    /// Distance from point i to its k-th nearest other point (1 ≤ k < len).
    ///
    /// Point i is at distance 0 from itself, so this is the (k+1)-th smallest
    /// distance to all points, whichever tied points a search happens to return.
    fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64;
    /// The k nearest other points of point i, into `out` (1 ≤ k < len); among points
    /// tied at the k-th distance, which ones are returned is unspecified.
    fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>);
    /// #{j : ‖p_j − q‖∞ < r} over all points (a point equal to q included when r > 0).
    fn count_strict(&self, q: &[f64; D], r: f64) -> usize;
}

macro_rules! joint_space_impl {
    ($d:literal) => {
        impl KnnSpace<$d> for JointSpace<$d> {
            fn new(points: Vec<[f64; $d]>) -> Self {
                let tree = if points.len() > BRUTE_FORCE_MAX && points.len() < u32::MAX as usize {
                    // Construction only fails for item-index overflow, excluded above;
                    // the brute-force path remains correct if it ever did.
                    ImmutableKdTree::<f64, $d>::new_from_slice(&points).ok()
                } else {
                    None
                };
                Self { points, tree }
            }

            fn len(&self) -> usize {
                self.points.len()
            }

            fn point(&self, i: usize) -> &[f64; $d] {
                &self.points[i]
            }

            fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64 {
                debug_assert!(k >= 1 && k < self.points.len());
                let q = &self.points[i];
                match &self.tree {
                    Some(tree) => {
                        let qty = NonZeroUsize::new(k + 1).expect("k + 1 > 0");
                        tree.query(q)
                            .nearest_n::<Chebyshev<f64>>(qty)
                            .execute()
                            .iter()
                            .fold(0.0f64, |m, r| m.max(r.distance))
                    }
                    None => {
                        let buf = &mut scratch.distances;
                        buf.clear();
                        buf.extend(
                            self.points
                                .iter()
                                .enumerate()
                                .filter(|&(j, _)| j != i)
                                .map(|(_, p)| chebyshev(q, p)),
                        );
                        *buf.select_nth_unstable_by(k - 1, f64::total_cmp).1
                    }
                }
            }

            fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>) {
                debug_assert!(k >= 1 && k < self.points.len());
                out.clear();
                let q = &self.points[i];
                match &self.tree {
                    Some(tree) => {
                        let qty = NonZeroUsize::new(k + 1).expect("k + 1 > 0");
                        let found = tree.query(q).nearest_n::<Chebyshev<f64>>(qty).execute();
                        out.extend(
                            found
                                .iter()
                                .map(|r| r.item)
                                .filter(|&j| j as usize != i)
                                .take(k),
                        );
                    }
                    None => {
                        let buf = &mut scratch.pairs;
                        buf.clear();
                        buf.extend(
                            self.points
                                .iter()
                                .enumerate()
                                .filter(|&(j, _)| j != i)
                                .map(|(j, p)| (chebyshev(q, p), j as u32)),
                        );
                        buf.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
                        out.extend(buf[..k].iter().map(|&(_, j)| j));
                    }
                }
            }

            fn count_strict(&self, q: &[f64; $d], r: f64) -> usize {
                match &self.tree {
                    Some(tree) => {
                        let mut count = 0usize;
                        tree.query(q)
                            .within::<Chebyshev<f64>>(r)
                            .exclusive_boundaries()
                            .unsorted()
                            .visit(|_| count += 1);
                        count
                    }
                    None => self.points.iter().filter(|p| chebyshev(q, p) < r).count(),
                }
            }
        }
    };
}

joint_space_impl!(1);
joint_space_impl!(2);
joint_space_impl!(3);
joint_space_impl!(4);

/// Points of the groups (classes) with at least two members, grouped by code: the
/// kNN estimators drop singleton groups, which have no within-group neighbour.
pub struct Groups {
    /// Original indices, class by class.
    pub order: Vec<u32>,
    /// [start, end) of each retained group in `order`.
    pub bounds: Vec<(usize, usize)>,
    /// Index into `bounds` of each position of `order`.
    pub group_at: Vec<u32>,
}

impl Groups {
    /// `None` when fewer than two points are retained.
    pub fn new(d: &[u32]) -> Option<Self> {
        let codes = d.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
        let mut counts = vec![0usize; codes];
        for &v in d {
            counts[v as usize] += 1;
        }
        let mut fill = vec![usize::MAX; codes];
        let mut bounds = Vec::new();
        let mut at = 0;
        for (code, &cnt) in counts.iter().enumerate() {
            if cnt > 1 {
                fill[code] = at;
                bounds.push((at, at + cnt));
                at += cnt;
            }
        }
        if at < 2 {
            return None;
        }
        let mut order = vec![0u32; at];
        let mut group_at = vec![0u32; at];
        let mut class_index = vec![0u32; codes];
        let mut next = 0u32;
        for (code, &cnt) in counts.iter().enumerate() {
            if cnt > 1 {
                class_index[code] = next;
                next += 1;
            }
        }
        for (i, &v) in d.iter().enumerate() {
            let v = v as usize;
            if counts[v] > 1 {
                order[fill[v]] = i as u32;
                group_at[fill[v]] = class_index[v];
                fill[v] += 1;
            }
        }
        Some(Self {
            order,
            bounds,
            group_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_matches_recurrence_across_the_switch() {
        let mut psi = -EULER_GAMMA;
        for n in 1..2000usize {
            let d = digamma_int(n);
            assert!(
                (d - psi).abs() < 1e-12 * psi.abs().max(1.0),
                "n={n}: {d} vs {psi}"
            );
            psi += 1.0 / n as f64;
        }
    }

    #[test]
    fn sorted_axis_counts_match_scan() {
        let v: Vec<f64> = (0..50).map(|i| ((i * 37) % 50) as f64 * 0.1).collect();
        let axis = SortedAxis::new(&v);
        for &c in &v {
            for r in [0.0, 0.05, 0.1, 0.25, 1.0] {
                let strict = v.iter().filter(|&&x| (x - c).abs() < r).count();
                let closed = v.iter().filter(|&&x| (x - c).abs() <= r).count();
                assert_eq!(axis.count_strict(c, r), strict);
                assert_eq!(axis.count_closed(c, r), closed);
            }
        }
    }

    #[test]
    fn tree_and_brute_force_agree() {
        let pts: Vec<[f64; 2]> = (0..300)
            .map(|i| {
                let t = i as f64;
                [(t * 0.618).fract(), (t * 0.414).fract()]
            })
            .collect();
        let tree = JointSpace::<2>::new(pts.clone());
        assert!(tree.tree.is_some());
        let mut s = Scratch::default();
        for i in (0..300).step_by(7) {
            let mut d: Vec<f64> = (0..300)
                .filter(|&j| j != i)
                .map(|j| chebyshev(&pts[i], &pts[j]))
                .collect();
            d.sort_by(f64::total_cmp);
            for k in [1, 3, 10] {
                assert_eq!(tree.kth_distance(i, k, &mut s), d[k - 1]);
                let eps = d[k - 1];
                let brute = pts.iter().filter(|p| chebyshev(&pts[i], p) < eps).count();
                assert_eq!(tree.count_strict(&pts[i], eps), brute);
            }
        }
    }
}

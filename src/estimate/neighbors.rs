//! Neighbour searches shared by the kNN estimators (KSG, Ross, Frenzel–Pompe).
//!
//! - [`JointSpace`]: exact max-norm (Chebyshev) k-nearest-neighbour distances and
//!   strict ball counts in a low-dimensional joint space, with a kiddo k-d tree (or a
//!   brute-force scan for small samples, where building a tree costs more than it saves).
//! - [`Strips`]: the same queries for 2-D points (the KSG pair), about twice as fast
//!   as the tree; [`KnnSpace`] lets estimators use either.
//! - [`SortedAxis`]: one coordinate sorted once, so that "how many points lie within r
//!   of point i" is a short exponential search from i's sorted position, not a tree query.
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

/// Arguments below this have ψ looked up (a table of 512 KiB, built once): the kNN
/// estimators take ψ of two or more counts per point, millions of times per matrix.
const DIGAMMA_TABLE: usize = 1 << 16;

/// [`digamma_int`], looked up for n below [`DIGAMMA_TABLE`] (the same values).
#[inline]
pub fn digamma_fast(n: usize) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| (0..DIGAMMA_TABLE).map(digamma_int).collect())
        .get(n)
        .copied()
        .unwrap_or_else(|| digamma_int(n))
}

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

/// Σ terms[at(i)] for i in 0..n with exactly the association of [`par_sum_with`]
/// (fixed chunks of original indices summed in order, then the chunk sums in order),
/// for per-point terms computed in another order (e.g. strip order, for locality).
pub fn ordered_sum(n: usize, term: impl Fn(usize) -> f64) -> f64 {
    let chunks = n.div_ceil(CHUNK);
    let chunk_sum = |c: usize| {
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        (lo..hi).map(&term).sum::<f64>()
    };
    if chunks <= 1 {
        return (0..chunks).map(chunk_sum).sum();
    }
    let partial: Vec<f64> = (0..chunks).map(chunk_sum).collect();
    partial.iter().sum()
}

/// Fills a `u32` buffer chunk by chunk: `f(first, chunk)` fills the positions
/// `first..first + chunk.len()`, so it can carry state from one position to the next;
/// chunks are fixed (as in [`fill_with`]) and filled in parallel when `parallel`.
pub fn fill_u32_with(out: &mut [u32], parallel: bool, f: impl Fn(usize, &mut [u32]) + Sync) {
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| f(c * CHUNK, chunk));
    } else {
        for (c, chunk) in out.chunks_mut(CHUNK).enumerate() {
            f(c * CHUNK, chunk);
        }
    }
}

/// Fills `out[p] = f(state, p)` for every position, in fixed chunks, in parallel
/// when `parallel` (each position is computed independently, so the result is the same).
pub fn fill_with<S, I, F>(out: &mut [f64], parallel: bool, init: I, f: F)
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize) -> f64 + Sync + Send,
{
    let run = |c: usize, chunk: &mut [f64], state: &mut S| {
        for (o, v) in chunk.iter_mut().enumerate() {
            *v = f(state, c * CHUNK + o);
        }
    };
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each_init(&init, |state, (c, chunk)| run(c, chunk, state));
    } else {
        let mut state = init();
        for (c, chunk) in out.chunks_mut(CHUNK).enumerate() {
            run(c, chunk, &mut state);
        }
    }
}

/// One coordinate, sorted once, for 1-D neighbourhood counts.
///
/// Counts around one of the axis's own points start from that point's sorted position
/// and gallop outwards ([`SortedAxis::count_strict_of`]): O(log count) steps over
/// nearby memory instead of two binary searches over the whole column, which at
/// n = 100k is the difference between cache misses and cache hits.
#[derive(Clone, Debug)]
pub struct SortedAxis {
    sorted: Vec<f64>,
    /// Sorted position of each original point.
    rank: Vec<u32>,
}

impl SortedAxis {
    pub fn new(values: &[f64]) -> Self {
        let mut pairs: Vec<(f64, u32)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, i as u32))
            .collect();
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut rank = vec![0u32; values.len()];
        for (pos, &(_, i)) in pairs.iter().enumerate() {
            rank[i as usize] = pos as u32;
        }
        // Collected into an exact-size buffer: `pairs.into_iter().collect()` would reuse
        // the pairs' allocation in place, holding twice the memory for as long as the
        // axis lives (a matrix keeps one per column).
        let mut sorted = Vec::with_capacity(pairs.len());
        sorted.extend(pairs.iter().map(|&(v, _)| v));
        Self { sorted, rank }
    }

    /// The axis of the permuted values `v'[i] = v[perm[i]]`, without sorting: the
    /// sorted values are the same, and point i takes the rank of point perm[i]. (Tied
    /// values may be ordered differently from a fresh sort; no estimate depends on the
    /// order of equal values.)
    pub fn permuted(&self, perm: &[usize]) -> Self {
        Self {
            sorted: self.sorted.clone(),
            rank: perm.iter().map(|&j| self.rank[j]).collect(),
        }
    }

    /// Sorted position of original point `i`.
    #[inline]
    pub fn rank(&self, i: usize) -> usize {
        self.rank[i] as usize
    }

    /// The value of original point `i`.
    #[inline]
    pub fn value(&self, i: usize) -> f64 {
        self.sorted[self.rank[i] as usize]
    }

    /// The values in original order.
    pub fn values(&self) -> Vec<f64> {
        (0..self.rank.len()).map(|i| self.value(i)).collect()
    }

    /// The values in ascending order (ties by original index).
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// The original index at each sorted position, into `out` (reused buffer).
    pub fn order_into(&self, out: &mut Vec<u32>) {
        out.clear();
        out.resize(self.rank.len(), 0);
        for (i, &r) in self.rank.iter().enumerate() {
            out[r as usize] = i as u32;
        }
    }

    /// Bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.sorted.len() * 8 + self.rank.len() * 4
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

    /// [`Self::count_strict`] centred on the axis's own point `i` (original index).
    pub fn count_strict_of(&self, i: usize, r: f64) -> usize {
        self.count_strict_at(self.rank[i] as usize, r)
    }

    /// [`Self::count_strict`] centred on the point at sorted position `p`. Calling it
    /// for p in ascending order keeps every search in cache.
    #[inline]
    pub fn count_strict_at(&self, p: usize, r: f64) -> usize {
        let c = self.sorted[p];
        if r <= 0.0 {
            return 0;
        }
        let hi = gallop_up(&self.sorted, p, |v| v - c < r);
        let lo = gallop_down(&self.sorted, p, |v| c - v >= r);
        hi - lo
    }

    /// The window [lo, hi) of the points within `r` of the point at sorted position
    /// `p` (strictly: [`Self::count_strict_at`] is hi − lo), searched outwards from the
    /// guessed bounds `guess`; any guess gives the exact window, a close one in a few
    /// steps.
    #[inline]
    pub fn strict_window_from(&self, p: usize, r: f64, guess: (usize, usize)) -> (usize, usize) {
        if r <= 0.0 {
            return (p, p);
        }
        let c = self.sorted[p];
        let hi = partition_from(&self.sorted, guess.1.max(p), |v| v - c < r);
        let lo = partition_from(&self.sorted, guess.0.min(p), |v| c - v >= r);
        (lo, hi)
    }

    /// [`Self::count_closed`] centred on the axis's own point `i` (original index).
    pub fn count_closed_of(&self, i: usize, r: f64) -> usize {
        let p = self.rank[i] as usize;
        let c = self.sorted[p];
        if r <= 0.0 {
            return self.count_closed(c, r);
        }
        let hi = gallop_up(&self.sorted, p, |v| v - c <= r);
        let lo = gallop_down(&self.sorted, p, |v| c - v > r);
        hi - lo
    }
}

/// The partition point of `pred` (true then false over `s`), searched outwards from
/// position `guess` (which may be anywhere, even past the end).
#[inline]
fn partition_from(s: &[f64], guess: usize, pred: impl Fn(f64) -> bool) -> usize {
    let g = guess.min(s.len());
    if g < s.len() && pred(s[g]) {
        gallop_up(s, g + 1, pred)
    } else {
        gallop_down(s, g, pred)
    }
}

/// The partition point of `pred` (true then false over `s`) when it is known to be
/// true on `s[..from]`: the first j ≥ from with `!pred(s[j])`, by exponential search.
fn gallop_up(s: &[f64], from: usize, pred: impl Fn(f64) -> bool) -> usize {
    let mut lo = from;
    let mut step = 1;
    let mut hi = lo + step;
    while hi <= s.len() && pred(s[hi - 1]) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    let hi = hi.min(s.len());
    lo + s[lo..hi].partition_point(|&v| pred(v))
}

/// The partition point of `pred` (true then false over `s`) when it is known to be
/// false on `s[to..]`, searching downwards from `to`.
fn gallop_down(s: &[f64], to: usize, pred: impl Fn(f64) -> bool) -> usize {
    let mut hi = to;
    let mut step = 1;
    while hi > 0 {
        let lo = hi.saturating_sub(step);
        if pred(s[lo]) {
            return lo + 1 + s[lo + 1..hi].partition_point(|&v| pred(v));
        }
        hi = lo;
        step *= 2;
    }
    0
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
    /// [`Strips`]: per strip, where the previous query entered it (see `scan_strip`).
    cursors: Vec<u32>,
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

/// An exact max-norm neighbour index for 2-D points: the plane cut into vertical
/// strips holding equal numbers of points (x-quantiles), each strip sorted by y.
///
/// A k-NN query scans the point's own strip outwards in y from the point, then the
/// neighbouring strips in order of their x-gap, stopping as soon as the gap (or the y
/// offset within a strip) reaches the current k-th distance; nothing beyond can be
/// strictly closer. This is the box-assisted search of Kraskov et al. (2004) reduced
/// to one dimension of boxes. Because strips are x-quantiles and the search within a
/// strip is by y, it needs no tuning to the data's scale and copes with points crowded
/// along a curve (strong dependence), where a fixed grid overfills its cells; its worst
/// case (nearly constant y) scans one strip, √(2n) points, per query. It gives the same
/// k-th distances as the k-d tree (tested against it), about twice as fast per query
/// here, with allocation-free queries.
pub struct Strips {
    /// Offsets of the strips in the arrays below (len = strips + 1).
    start: Vec<usize>,
    /// x range of each strip.
    min_x: Vec<f64>,
    max_x: Vec<f64>,
    /// Points in strip order, each strip sorted by y (coordinates side by side: a
    /// candidate costs one cache line).
    xy: Vec<[f64; 2]>,
    ids: Vec<u32>,
    /// Position in strip order of each original point.
    pos: Vec<u32>,
    /// Points per strip (all strips but the last are full, so a position's strip is
    /// position / per).
    per: usize,
    /// Build buffers kept for [`Strips::from_axes_reusing`]: the y order of the points
    /// and each strip's fill pointer.
    order_y: Vec<u32>,
    fill: Vec<usize>,
}

/// Points per strip are √(POINTS_PER_STRIP_FACTOR · n). Factors 2 to 16 were timed at
/// n = 10k and 100k (Gaussian pairs, k = 3): the query cost is flat within noise over
/// that range, 2 was marginally fastest (narrow strips: a query visits one to three).
const POINTS_PER_STRIP_FACTOR: f64 = 2.0;

impl Strips {
    fn build(points: Vec<[f64; 2]>) -> Self {
        let n = points.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            points[a as usize][0]
                .total_cmp(&points[b as usize][0])
                .then(a.cmp(&b))
        });
        let per = ((POINTS_PER_STRIP_FACTOR * n as f64).sqrt().ceil() as usize).max(1);
        let strips = n.div_ceil(per).max(1);
        let mut start = Vec::with_capacity(strips + 1);
        let (mut min_x, mut max_x) = (Vec::with_capacity(strips), Vec::with_capacity(strips));
        let (mut xy, mut ids) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut pos = vec![0u32; n];
        for chunk in order.chunks_mut(per) {
            start.push(ids.len());
            min_x.push(points[chunk[0] as usize][0]);
            max_x.push(points[chunk[chunk.len() - 1] as usize][0]);
            chunk.sort_unstable_by(|&a, &b| {
                points[a as usize][1]
                    .total_cmp(&points[b as usize][1])
                    .then(a.cmp(&b))
            });
            for &i in chunk.iter() {
                pos[i as usize] = ids.len() as u32;
                xy.push(points[i as usize]);
                ids.push(i);
            }
        }
        start.push(ids.len());
        Self {
            start,
            min_x,
            max_x,
            xy,
            ids,
            pos,
            per,
            order_y: Vec::new(),
            fill: Vec::new(),
        }
    }

    /// The same index as [`KnnSpace::new`] built from the points' coordinates already
    /// sorted once ([`SortedAxis`] of x and of y, whose ties are broken by index exactly
    /// as the build's sorts are): strips are runs of the x order, and each strip's
    /// y order is read off the y order by bucketing, so no sort is needed.
    pub fn from_axes(sx: &SortedAxis, sy: &SortedAxis) -> Self {
        Self::from_axes_reusing(sx, sy, None)
    }

    /// [`Self::from_axes`] reusing the buffers of an index that is no longer needed
    /// (no allocation when `recycled` was built for as many points).
    pub fn from_axes_reusing(sx: &SortedAxis, sy: &SortedAxis, recycled: Option<Strips>) -> Self {
        let n = sx.len();
        assert_eq!(sy.len(), n, "axes of different lengths");
        let mut me = recycled.unwrap_or_else(|| Self {
            start: Vec::new(),
            min_x: Vec::new(),
            max_x: Vec::new(),
            xy: Vec::new(),
            ids: Vec::new(),
            pos: Vec::new(),
            per: 1,
            order_y: Vec::new(),
            fill: Vec::new(),
        });
        let per = ((POINTS_PER_STRIP_FACTOR * n as f64).sqrt().ceil() as usize).max(1);
        me.per = per;
        let sorted_x = sx.sorted();
        me.start.clear();
        me.min_x.clear();
        me.max_x.clear();
        let mut t = 0;
        while t * per < n {
            me.start.push(t * per);
            me.min_x.push(sorted_x[t * per]);
            me.max_x.push(sorted_x[((t + 1) * per).min(n) - 1]);
            t += 1;
        }
        me.start.push(n);
        // Fill pointer of each strip; walk points in ascending y, append to their strip.
        me.fill.clear();
        me.fill.extend_from_slice(&me.start[..me.start.len() - 1]);
        sy.order_into(&mut me.order_y);
        // Every position below is written; resize only adjusts the length.
        me.xy.resize(n, [0.0; 2]);
        me.ids.resize(n, 0);
        me.pos.resize(n, 0);
        let sorted_y = sy.sorted();
        for (ry, &i) in me.order_y.iter().enumerate() {
            let iu = i as usize;
            let rx = sx.rank(iu);
            let s = rx / per;
            let p = me.fill[s];
            me.fill[s] += 1;
            me.pos[iu] = p as u32;
            me.xy[p] = [sorted_x[rx], sorted_y[ry]];
            me.ids[p] = i;
        }
        me
    }

    /// Number of points.
    pub fn n(&self) -> usize {
        self.ids.len()
    }

    /// Original index of the point at strip-order position `p`.
    #[inline]
    pub fn id_at(&self, p: usize) -> usize {
        self.ids[p] as usize
    }

    /// Strip-order position of original point `i`.
    #[inline]
    pub fn position(&self, i: usize) -> usize {
        self.pos[i] as usize
    }

    /// The `cap` nearest points to original point `i` (itself included, at distance 0)
    /// into `scratch.pairs`, sorted by distance.
    fn search(&self, i: usize, cap: usize, scratch: &mut Scratch) {
        let Scratch {
            pairs: best,
            cursors,
            ..
        } = scratch;
        best.clear();
        self.reset_cursors(cursors);
        let [xq, yq] = self.xy[self.pos[i] as usize];
        let own = self.pos[i] as usize / self.per;
        self.scan_strip(own, xq, yq, Some(self.pos[i] as usize), cap, best, cursors);
        let mut side = (own, own + 1);
        loop {
            let bound = if best.len() == cap {
                best[cap - 1].0
            } else {
                f64::INFINITY
            };
            let Some(t) = self.next_strip(xq, &mut side, bound) else {
                break;
            };
            self.scan_strip(t, xq, yq, None, cap, best, cursors);
        }
    }

    /// Sets every strip's entry cursor to the strip's start, unless already sized to
    /// this index (cursors carry over between queries of one task).
    fn reset_cursors(&self, cursors: &mut Vec<u32>) {
        if cursors.len() != self.min_x.len() {
            cursors.clear();
            cursors.extend(self.start[..self.min_x.len()].iter().map(|&s| s as u32));
        }
    }

    /// The next strip to search around x = `xq`, the nearer of the strips just left and
    /// right of those searched so far (`side` = (first searched, one past the last),
    /// updated), or `None` when it is at least `bound` away (nothing in it can be
    /// strictly closer) or there is none.
    #[inline]
    fn next_strip(&self, xq: f64, side: &mut (usize, usize), bound: f64) -> Option<usize> {
        let (left, right) = *side;
        let gap_left = if left > 0 {
            xq - self.max_x[left - 1]
        } else {
            f64::INFINITY
        };
        let gap_right = if right < self.min_x.len() {
            self.min_x[right] - xq
        } else {
            f64::INFINITY
        };
        let gap = gap_left.min(gap_right);
        // While fewer than cap points are known the bound is ∞: go on while strips remain.
        if gap == f64::INFINITY || gap >= bound {
            return None;
        }
        if gap_left <= gap_right {
            side.0 -= 1;
            Some(left - 1)
        } else {
            side.1 += 1;
            Some(right)
        }
    }

    /// The cap-th smallest distance from original point `i` to all points (itself
    /// included, at 0): [`Self::search`] without tracking which points, for KSG-1, which
    /// needs only the distance. The `cap` smallest distances seen are kept sorted by a
    /// branch-free min/max insertion, and each strip is swept upwards then downwards from
    /// where the query enters it, so the only unpredictable branch per candidate is the
    /// end of a sweep; the alternating, branching search mispredicts several times per
    /// candidate, which was most of its cost.
    ///
    /// `CAP` is a constant so that the distances kept stay in registers and the
    /// insertion is unrolled ([`KnnSpace::kth_distance`] dispatches on k).
    fn kth_distance_only<const CAP: usize>(&self, i: usize, cursors: &mut Vec<u32>) -> f64 {
        self.reset_cursors(cursors);
        let mut best = [f64::INFINITY; CAP];
        let best = &mut best;
        let p = self.pos[i] as usize;
        let [xq, yq] = self.xy[p];
        let own = p / self.per;
        self.sweep(own, p, xq, yq, best);
        let mut side = (own, own + 1);
        // Until CAP points are seen the last distance is ∞, as `next_strip` expects.
        while let Some(t) = self.next_strip(xq, &mut side, best[CAP - 1]) {
            let entry = self.entry(t, yq, cursors);
            self.sweep(t, entry, xq, yq, best);
        }
        best[CAP - 1]
    }

    /// Inserts into `best` the distances from (xq, yq) to the points of strip `t`,
    /// sweeping up from strip-order position `from` and down from just below it, each
    /// sweep stopping where the y offset alone reaches the current cap-th distance.
    #[inline]
    fn sweep<const CAP: usize>(
        &self,
        t: usize,
        from: usize,
        xq: f64,
        yq: f64,
        best: &mut [f64; CAP],
    ) {
        let (lo, hi) = (self.start[t], self.start[t + 1]);
        let last = CAP - 1;
        for v in &self.xy[from..hi] {
            let dy = v[1] - yq;
            if dy >= best[last] {
                break;
            }
            insert_sorted(best, max_of((v[0] - xq).abs(), dy));
        }
        for v in self.xy[lo..from].iter().rev() {
            let dy = yq - v[1];
            if dy >= best[last] {
                break;
            }
            insert_sorted(best, max_of((v[0] - xq).abs(), dy));
        }
    }

    /// Where `yq` enters strip `t` (the first point at or above it in y), starting from
    /// where the previous query entered it: queries made in strip order ascend in y, so
    /// this is usually a step or two forward instead of a binary search. The cursor is
    /// only a hint: it is used when it does not overshoot, and a long way to go falls
    /// back to a binary search, so any query order gives the exact position.
    #[inline]
    fn entry(&self, t: usize, yq: f64, cursors: &mut [u32]) -> usize {
        /// Steps walked from the cursor before switching to a binary search.
        const WALK: usize = 8;
        let (lo, hi) = (self.start[t], self.start[t + 1]);
        let mut p = (cursors[t] as usize).clamp(lo, hi);
        if p > lo && self.xy[p - 1][1] >= yq {
            p = lo;
        }
        let mut steps = 0;
        while p < hi && self.xy[p][1] < yq {
            p += 1;
            steps += 1;
            if steps == WALK {
                p += self.xy[p..hi].partition_point(|v| v[1] < yq);
                break;
            }
        }
        cursors[t] = p as u32;
        p
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_strip(
        &self,
        t: usize,
        xq: f64,
        yq: f64,
        at: Option<usize>,
        cap: usize,
        best: &mut Vec<(f64, u32)>,
        cursors: &mut [u32],
    ) {
        let (lo, hi) = (self.start[t], self.start[t + 1]);
        let p = at.unwrap_or_else(|| self.entry(t, yq, cursors));
        let (mut up, mut down) = (p, p);
        loop {
            let dy_up = if up < hi {
                self.xy[up][1] - yq
            } else {
                f64::INFINITY
            };
            let dy_down = if down > lo {
                yq - self.xy[down - 1][1]
            } else {
                f64::INFINITY
            };
            let (dy, j) = if dy_up <= dy_down {
                (dy_up, up)
            } else {
                (dy_down, down - 1)
            };
            if dy == f64::INFINITY || (best.len() == cap && dy >= best[cap - 1].0) {
                break;
            }
            if j == up {
                up += 1;
            } else {
                down -= 1;
            }
            let dx = (self.xy[j][0] - xq).abs();
            let d = if dx > dy { dx } else { dy };
            insert_best(best, cap, d, self.ids[j]);
        }
    }
}

/// `a` if greater, else `b`: one `maxsd`, no NaN handling (distances are never NaN).
#[inline]
fn max_of(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// `a` if smaller, else `b`: one `minsd`.
#[inline]
fn min_of(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// Inserts `d` into the ascending `best`, dropping its largest value, without branches:
/// the new t-th smallest is max(old (t−1)-th, min(old t-th, d)).
#[inline]
fn insert_sorted<const CAP: usize>(best: &mut [f64; CAP], d: f64) {
    for t in (1..CAP).rev() {
        best[t] = max_of(best[t - 1], min_of(best[t], d));
    }
    best[0] = min_of(best[0], d);
}

/// Keeps `best` as the `cap` smallest (distance, id) pairs seen, sorted by distance.
#[inline]
fn insert_best(best: &mut Vec<(f64, u32)>, cap: usize, d: f64, id: u32) {
    if best.len() == cap {
        if d >= best[cap - 1].0 {
            return;
        }
        best.pop();
    }
    // Insert after every entry at distance ≤ d, shifting by hand: the list is a few
    // entries long, where `Vec::insert`'s memmove call costs more than the shift.
    best.push((d, id));
    let mut j = best.len() - 1;
    while j > 0 && best[j - 1].0 > d {
        best[j] = best[j - 1];
        j -= 1;
    }
    best[j] = (d, id);
}

impl KnnSpace<2> for Strips {
    fn new(points: Vec<[f64; 2]>) -> Self {
        Self::build(points)
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn point(&self, i: usize) -> &[f64; 2] {
        &self.xy[self.pos[i] as usize]
    }

    fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64 {
        debug_assert!(k >= 1 && k < self.ids.len());
        let cursors = &mut scratch.cursors;
        match k + 1 {
            2 => return self.kth_distance_only::<2>(i, cursors),
            3 => return self.kth_distance_only::<3>(i, cursors),
            4 => return self.kth_distance_only::<4>(i, cursors),
            5 => return self.kth_distance_only::<5>(i, cursors),
            6 => return self.kth_distance_only::<6>(i, cursors),
            7 => return self.kth_distance_only::<7>(i, cursors),
            8 => return self.kth_distance_only::<8>(i, cursors),
            9 => return self.kth_distance_only::<9>(i, cursors),
            10 => return self.kth_distance_only::<10>(i, cursors),
            11 => return self.kth_distance_only::<11>(i, cursors),
            12 => return self.kth_distance_only::<12>(i, cursors),
            16 => return self.kth_distance_only::<16>(i, cursors),
            _ => {}
        }
        self.search(i, k + 1, scratch);
        scratch.pairs[k].0
    }

    fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>) {
        debug_assert!(k >= 1 && k < self.ids.len());
        self.search(i, k + 1, scratch);
        out.clear();
        out.extend(
            scratch
                .pairs
                .iter()
                .map(|&(_, j)| j)
                .filter(|&j| j as usize != i)
                .take(k),
        );
    }

    fn count_strict(&self, q: &[f64; 2], r: f64) -> usize {
        let mut count = 0;
        for t in 0..self.min_x.len() {
            if self.max_x[t] - q[0] <= -r || self.min_x[t] - q[0] >= r {
                continue;
            }
            let (lo, hi) = (self.start[t], self.start[t + 1]);
            let strip = &self.xy[lo..hi];
            let a = lo + strip.partition_point(|v| q[1] - v[1] >= r);
            let b = lo + strip.partition_point(|v| v[1] - q[1] < r);
            count += (a..b).filter(|&j| (self.xy[j][0] - q[0]).abs() < r).count();
        }
        count
    }
}

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
        for (i, &c) in v.iter().enumerate() {
            for r in [0.0, 0.05, 0.1, 0.25, 1.0, 10.0] {
                let strict = v.iter().filter(|&&x| (x - c).abs() < r).count();
                let closed = v.iter().filter(|&&x| (x - c).abs() <= r).count();
                assert_eq!(axis.count_strict_of(i, r), strict, "i={i} r={r}");
                assert_eq!(axis.count_closed_of(i, r), closed, "i={i} r={r}");
            }
        }
    }

    #[test]
    fn strips_agree_with_the_tree() {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // Independent, strongly dependent (points on a curve) and heavy-tailed clouds,
        // and one with many repeated x values.
        let clouds: Vec<Vec<[f64; 2]>> = vec![
            (0..3000).map(|_| [next(), next()]).collect(),
            (0..3000)
                .map(|_| {
                    let a = next();
                    [a, a * a + 1e-3 * next()]
                })
                .collect(),
            (0..3000)
                .map(|_| [1.0 / (next() + 1e-3), (next() - 0.5) / (next() + 1e-3)])
                .collect(),
            (0..3000)
                .map(|_| [(next() * 10.0).floor(), next()])
                .collect(),
        ];
        for pts in clouds {
            let strips = Strips::new(pts.clone());
            let tree = JointSpace::<2>::new(pts.clone());
            let mut s = Scratch::default();
            for i in 0..pts.len() {
                // k = 40 exceeds the distance-only path and takes the general search.
                for k in [1, 3, 8, 40] {
                    assert_eq!(
                        strips.kth_distance(i, k, &mut s),
                        tree.kth_distance(i, k, &mut s)
                    );
                }
            }
            for i in (0..pts.len()).step_by(37) {
                let r = tree.kth_distance(i, 20, &mut s);
                assert_eq!(
                    strips.count_strict(&pts[i], r),
                    tree.count_strict(&pts[i], r)
                );
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

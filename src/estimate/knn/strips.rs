//! [`Strips`]: an exact max-norm neighbour index for 2-D points (the KSG pair).

use super::best::{insert_best, insert_sorted, max_of};
use super::{KnnSpace, Scratch, SortedAxis};

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

/// Points counted from a strip's entry cursor before falling back to a binary search
/// ([`Strips::entry`]): the next query's entry is usually a step or two away.
const ENTRY_WINDOW: usize = 8;

/// Points inserted each way from where a sweep starts before it tests for its end
/// ([`Strips::sweep`]).
const SWEEP_FORCED: usize = 2;

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
            // A 32-bit division (positions fit: ids are u32) costs a fraction of a 64-bit one.
            let s = (rx as u32 / per as u32) as usize;
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
        let p = self.pos[i] as usize;
        self.kth_distance_at::<CAP>(p, p / self.per, cursors)
    }

    /// [`Self::kth_distance_only`] of the point at strip-order position `p`, which lies
    /// in strip `own` (cursors already sized by [`Self::reset_cursors`]).
    #[inline]
    fn kth_distance_at<const CAP: usize>(&self, p: usize, own: usize, cursors: &mut [u32]) -> f64 {
        let mut best = [f64::INFINITY; CAP];
        let best = &mut best;
        let [xq, yq] = self.xy[p];
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
    ///
    /// Always inlined: the cap distances kept then stay in registers across a query's
    /// sweeps instead of being stored and reloaded around a call per strip.
    #[inline(always)]
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
        // The first SWEEP_FORCED points each way are inserted without testing for the
        // end of the sweep: most sweeps end within them, and a point past the end is
        // at least the current cap-th distance away, so inserting it changes nothing.
        // What is saved is the mispredicted exit of a loop of varying length.
        let up = (from + SWEEP_FORCED).min(hi);
        for v in &self.xy[from..up] {
            insert_sorted(best, max_of((v[0] - xq).abs(), v[1] - yq));
        }
        for v in &self.xy[up..hi] {
            let dy = v[1] - yq;
            if dy >= best[last] {
                break;
            }
            insert_sorted(best, max_of((v[0] - xq).abs(), dy));
        }
        let down = from.saturating_sub(SWEEP_FORCED).max(lo);
        for v in self.xy[down..from].iter().rev() {
            insert_sorted(best, max_of((v[0] - xq).abs(), yq - v[1]));
        }
        for v in self.xy[lo..down].iter().rev() {
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
    ///
    /// The step is counted without branches over a window of [`ENTRY_WINDOW`] points
    /// from the cursor (the walk it replaces mispredicted about once per strip entered);
    /// when the entry is not inside that window, a binary search finds it.
    #[inline(always)]
    fn entry(&self, t: usize, yq: f64, cursors: &mut [u32]) -> usize {
        const W: usize = ENTRY_WINDOW;
        let (lo, hi) = (self.start[t], self.start[t + 1]);
        let c = (cursors[t] as usize).clamp(lo, hi);
        // The window [a, a + W) holds the entry if the point below it is below yq and
        // the point just past it (if any) is not; the y values are sorted in a strip.
        let a = c.min(hi.saturating_sub(W)).max(lo);
        let p = if a + W <= hi
            && (a == lo || self.xy[a - 1][1] < yq)
            && (a + W == hi || self.xy[a + W][1] >= yq)
        {
            a + self.xy[a..a + W]
                .iter()
                .map(|v| usize::from(v[1] < yq))
                .sum::<usize>()
        } else {
            lo + self.xy[lo..hi].partition_point(|v| v[1] < yq)
        };
        cursors[t] = p as u32;
        p
    }

    /// `out[o]` = [`KnnSpace::kth_distance`] of the point at strip-order position
    /// `first + o`, for a run of positions: k is dispatched once per run, not per point,
    /// and each point's strip follows from the previous one's without a division.
    pub fn kth_distances_at(&self, k: usize, first: usize, out: &mut [f64], scratch: &mut Scratch) {
        debug_assert!(k >= 1 && k < self.ids.len());
        match k + 1 {
            2 => self.run_at::<2>(first, out, &mut scratch.cursors),
            3 => self.run_at::<3>(first, out, &mut scratch.cursors),
            4 => self.run_at::<4>(first, out, &mut scratch.cursors),
            5 => self.run_at::<5>(first, out, &mut scratch.cursors),
            6 => self.run_at::<6>(first, out, &mut scratch.cursors),
            7 => self.run_at::<7>(first, out, &mut scratch.cursors),
            8 => self.run_at::<8>(first, out, &mut scratch.cursors),
            9 => self.run_at::<9>(first, out, &mut scratch.cursors),
            10 => self.run_at::<10>(first, out, &mut scratch.cursors),
            11 => self.run_at::<11>(first, out, &mut scratch.cursors),
            12 => self.run_at::<12>(first, out, &mut scratch.cursors),
            16 => self.run_at::<16>(first, out, &mut scratch.cursors),
            _ => {
                for (o, v) in out.iter_mut().enumerate() {
                    self.search(self.id_at(first + o), k + 1, scratch);
                    *v = scratch.pairs[k].0;
                }
            }
        }
    }

    fn run_at<const CAP: usize>(&self, first: usize, out: &mut [f64], cursors: &mut Vec<u32>) {
        self.reset_cursors(cursors);
        let mut own = first / self.per;
        for (o, v) in out.iter_mut().enumerate() {
            let p = first + o;
            // Strips are consecutive runs of positions (all `per` long but the last).
            while p >= self.start[own + 1] {
                own += 1;
            }
            *v = self.kth_distance_at::<CAP>(p, own, cursors);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::knn::JointSpace;

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
}

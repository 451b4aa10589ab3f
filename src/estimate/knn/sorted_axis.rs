//! [`SortedAxis`]: one coordinate sorted once, for 1-D neighbourhood counts.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

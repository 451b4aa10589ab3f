//! [`ZStrips`]: the exact neighbour searches of Frenzel–Pompe conditional MI for
//! continuous X, Y, Z, built for many pairs sharing one conditioner Z.
//!
//! The points are cut into strips of consecutive Z ranks (the same strips for every
//! pair, from [`Conditioner`]) and each strip is sorted by one more coordinate. A
//! query visits the strips outwards from its own, nearest in Z first, and sweeps each
//! from its own value of the sorted coordinate up and down until that coordinate alone
//! is as far as the current radius; a strip whose Z range is that far ends the search
//! on its side. This is the KSG pair's strip search ([`super::Strips`]) with Z as the
//! strip axis, which every pair shares, so the strip of each row is computed once.
//!
//! Per pair nothing is sorted: a strip's rows come out in order of the sorted
//! coordinate by bucketing that column's sorted order (computed once per column) into
//! the strips. Queries run through each strip in sorted order, so where a query enters
//! a neighbouring strip moves forward by a few positions from the previous query's
//! entry (a per-strip cursor) instead of being searched for.
//!
//! Distances are the max-norm of `(a - b).abs()` per coordinate and counts use the same
//! differences as [`super::SortedAxis::count_strict`], so the radii and counts are the
//! ones a k-d tree or a brute-force scan gives, bit for bit.

use super::SortedAxis;
use super::window_counts::partition_near;

/// The conditioner, prepared once for every pair it conditions.
pub struct Conditioner {
    /// Prepared values in row order.
    z: Vec<f64>,
    /// Z sorted, for the n_z counts.
    axis: SortedAxis,
    /// Strip of each row.
    strip_of: Vec<u32>,
    /// Rows per strip (the last may hold fewer).
    width: usize,
    /// Lowest and highest Z of each strip.
    z_lo: Vec<f64>,
    z_hi: Vec<f64>,
}

/// Rows per strip: about √(8n). Per query the search visits 3–4 strips at n = 10k;
/// √(2n) to √(32n) measured within 3% of each other in instructions (callgrind),
/// √(n/2) 25% more (the per-strip overhead: entering, and two loop exits).
fn strip_width(n: usize) -> usize {
    ((8.0 * n as f64).sqrt() as usize).clamp(8, 4096)
}

impl Conditioner {
    /// `z`: the conditioner's prepared (scaled, jittered) values, in row order.
    pub fn new(z: Vec<f64>) -> Self {
        let axis = SortedAxis::new(&z);
        let n = z.len();
        let width = strip_width(n);
        let strip_of = (0..n).map(|i| (axis.rank(i) / width) as u32).collect();
        let sorted = axis.sorted();
        let (z_lo, z_hi) = sorted.chunks(width).map(|s| (s[0], s[s.len() - 1])).unzip();
        Self {
            z,
            axis,
            strip_of,
            width,
            z_lo,
            z_hi,
        }
    }

    pub fn len(&self) -> usize {
        self.z.len()
    }

    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }

    fn strips(&self) -> usize {
        self.z_lo.len()
    }

    /// Position range of strip `b`.
    fn bounds(&self, b: usize) -> (usize, usize) {
        (b * self.width, ((b + 1) * self.width).min(self.len()))
    }

    /// Rows by increasing value of `v` (ties by row): a column's sorted order, which
    /// [`ZStrips::fill`] buckets into the strips.
    pub fn order_of(v: &[f64]) -> Vec<u32> {
        let mut order: Vec<u32> = (0..v.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| v[a as usize].total_cmp(&v[b as usize]).then(a.cmp(&b)));
        order
    }
}

/// One pair's points in the conditioner's strips, each strip sorted by `s` (the
/// sweep coordinate); `t` is the pair's other coordinate (unused by the counts).
/// Buffers are reused across pairs.
#[derive(Default)]
pub struct ZStrips {
    s: Vec<f64>,
    t: Vec<f64>,
    z: Vec<f64>,
    row: Vec<u32>,
    /// Scratch of `fill`: the next free position of each strip.
    next: Vec<u32>,
}

/// Per strip, where the current query enters it (the first position whose s is ≥ the
/// query's); one per task, as queries in sorted order move it forward.
#[derive(Default)]
pub struct Cursors(Vec<u32>);

impl Cursors {
    /// At the start of each strip.
    pub fn reset(&mut self, c: &Conditioner) {
        self.0.clear();
        self.0.extend((0..c.strips()).map(|b| c.bounds(b).0 as u32));
    }
}

impl ZStrips {
    /// Points (s, t, z) with `s_order` the rows sorted by s ([`Conditioner::order_of`]).
    pub fn fill(&mut self, c: &Conditioner, s: &[f64], t: Option<&[f64]>, s_order: &[u32]) {
        let n = c.len();
        for v in [&mut self.s, &mut self.z] {
            v.clear();
            v.resize(n, 0.0);
        }
        self.t.clear();
        if t.is_some() {
            self.t.resize(n, 0.0);
        }
        self.row.clear();
        self.row.resize(n, 0);
        self.next.clear();
        self.next
            .extend((0..c.strips()).map(|b| c.bounds(b).0 as u32));
        for &r in s_order {
            let b = c.strip_of[r as usize] as usize;
            let p = self.next[b] as usize;
            self.next[b] += 1;
            self.s[p] = s[r as usize];
            self.z[p] = c.z[r as usize];
            self.row[p] = r;
            if let Some(t) = t {
                self.t[p] = t[r as usize];
            }
        }
    }

    /// Row of the point at position `p`.
    pub fn row(&self, p: usize) -> usize {
        self.row[p] as usize
    }

    /// Moves strip `b`'s cursor to the first position whose s is ≥ `si`.
    #[inline]
    fn enter(&self, c: &Conditioner, cursors: &mut Cursors, b: usize, si: f64) -> usize {
        let (lo, hi) = c.bounds(b);
        let e = lo
            + bound_from(
                &self.s[lo..hi],
                (cursors.0[b] as usize).saturating_sub(lo),
                |v| v < si,
            );
        cursors.0[b] = e as u32;
        e
    }
}

/// Per-query results of the (s, t, z) search for the points of a range of positions.
pub struct Found<'a> {
    /// Distance to the k-th nearest other point in (s, t, z).
    pub eps: &'a mut [f64],
    /// #{j : |s_j − s| < ε, |z_j − z| < ε}, the point itself included.
    pub count_sz: &'a mut [u32],
}

/// For positions `first..first + out.eps.len()` of `strips` (filled with t), the
/// k-th neighbour distance in (s, t, z) and the (s, z) count within it.
/// `best` is scratch of length k + 1.
pub fn search_range(
    c: &Conditioner,
    strips: &ZStrips,
    k: usize,
    first: usize,
    out: Found<'_>,
    (cursors, best, seen): (&mut Cursors, &mut Vec<f64>, &mut Vec<f64>),
) {
    cursors.reset(c);
    let nb = c.strips();
    // A radius the previous query's suggests: searching within it visits far fewer
    // points; when fewer than k + 1 points lie within it, the search is repeated
    // without a bound, so the result is exact either way.
    let mut guess = f64::INFINITY;
    for (o, (eps_out, count_out)) in out.eps.iter_mut().zip(out.count_sz.iter_mut()).enumerate() {
        let p = first + o;
        let (si, ti, zi) = (strips.s[p], strips.t[p], strips.z[p]);
        let b0 = c.strip_of[strips.row(p)] as usize;
        let mut bound = guess;
        loop {
            best.clear();
            best.resize(k + 1, bound);
            seen.clear();
            knn(c, strips, cursors, b0, (si, ti, zi), (best, seen), nb);
            if best[k] < bound || bound == f64::INFINITY {
                break;
            }
            bound = f64::INFINITY;
        }
        guess = GUESS_FACTOR * best[k];
        let eps = best[k];
        *eps_out = eps;
        // Every point within ε in both s and z was seen: the strips not visited are
        // at least ε away in z, and each visited one was swept as far as a radius
        // that never fell below ε.
        let count = seen.iter().filter(|&&d| d < eps).count();
        *count_out = count as u32;
    }
}

/// How far beyond the previous query's radius the next query first searches: at
/// 2.5 about 2% of the queries search again without a bound (15% at 1.5), which
/// measured fewer instructions in all than tighter guesses.
const GUESS_FACTOR: f64 = 2.5;

/// Visits strips outwards from `b0`, nearest in z first, while they can hold a point
/// nearer than the current k-th distance.
#[inline]
fn knn(
    c: &Conditioner,
    strips: &ZStrips,
    cursors: &mut Cursors,
    b0: usize,
    (si, ti, zi): (f64, f64, f64),
    (best, seen): (&mut [f64], &mut Vec<f64>),
    nb: usize,
) {
    let k = best.len() - 1;
    let (mut up, mut down) = (b0 + 1, b0 as isize - 1);
    sweep_knn(c, strips, cursors, b0, (si, ti, zi), (best, seen));
    loop {
        let kth = best[k];
        let gap_up = if up < nb {
            c.z_lo[up] - zi
        } else {
            f64::INFINITY
        };
        let gap_down = if down >= 0 {
            zi - c.z_hi[down as usize]
        } else {
            f64::INFINITY
        };
        if gap_up.min(gap_down) >= kth {
            return;
        }
        if gap_up <= gap_down {
            sweep_knn(c, strips, cursors, up, (si, ti, zi), (best, seen));
            up += 1;
        } else {
            sweep_knn(
                c,
                strips,
                cursors,
                down as usize,
                (si, ti, zi),
                (best, seen),
            );
            down -= 1;
        }
    }
}

/// Sweeps strip `b` up and down from the query's entry, keeping the k + 1 smallest
/// distances (the point itself, at 0, among them) in `best` (ascending).
#[inline]
fn sweep_knn(
    c: &Conditioner,
    strips: &ZStrips,
    cursors: &mut Cursors,
    b: usize,
    (si, ti, zi): (f64, f64, f64),
    (best, seen): (&mut [f64], &mut Vec<f64>),
) {
    let (lo, hi) = c.bounds(b);
    let e = strips.enter(c, cursors, b, si) - lo;
    let k = best.len() - 1;
    // The strip's slices, of one length, so the sweeps carry no bounds checks.
    let s = &strips.s[lo..hi];
    let (t, z) = (&strips.t[lo..hi][..s.len()], &strips.z[lo..hi][..s.len()]);
    let mut kth = best[k];
    let mut p = e;
    while p < s.len() && s[p] - si < kth {
        let sz = max((s[p] - si).abs(), (z[p] - zi).abs());
        seen.push(sz);
        let d = max(sz, (t[p] - ti).abs());
        if d < kth {
            insert(best, d);
            kth = best[k];
        }
        p += 1;
    }
    let mut p = e.min(s.len());
    while p > 0 && si - s[p - 1] < kth {
        p -= 1;
        let sz = max((s[p] - si).abs(), (z[p] - zi).abs());
        seen.push(sz);
        let d = max(sz, (t[p] - ti).abs());
        if d < kth {
            insert(best, d);
            kth = best[k];
        }
    }
}

/// The larger of two distances (never NaN), as one `maxsd`: `f64::max` spends three
/// more instructions on NaN handling, in the innermost loop.
#[inline(always)]
fn max(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// Inserts `d` into the ascending `best`, dropping its largest value.
#[inline]
fn insert(best: &mut [f64], d: f64) {
    let mut i = best.len() - 1;
    while i > 0 && best[i - 1] > d {
        best[i] = best[i - 1];
        i -= 1;
    }
    best[i] = d;
}

/// #{j in strip b : |s_j − si| < r, |z_j − zi| < r}. The strip's window of s within r
/// is found by moving the previous query's window bounds (`windows`), a few steps when
/// queries come in s order; a strip wholly within r in z counts its window's length.
#[inline]
fn count_by_window(
    c: &Conditioner,
    strips: &ZStrips,
    windows: &mut Windows,
    b: usize,
    (si, zi): (f64, f64),
    r: f64,
) -> usize {
    if r <= 0.0 {
        return 0;
    }
    let (start, end) = c.bounds(b);
    let s = &strips.s[start..end];
    let z = &strips.z[start..end][..s.len()];
    // hi: the first position with s − si ≥ r; lo: the first with si − s < r (both
    // predicates are monotone along the sorted s, so any starting point walks to them).
    let hi = bound_from(s, (windows.hi[b] as usize).saturating_sub(start), |v| {
        v - si < r
    });
    let lo = bound_from(s, (windows.lo[b] as usize).saturating_sub(start), |v| {
        si - v >= r
    })
    .min(hi);
    windows.lo[b] = (start + lo) as u32;
    windows.hi[b] = (start + hi) as u32;
    // |z − zi| is largest at an end of the strip's z range (subtraction is monotone).
    let inside = (c.z_lo[b] - zi).abs() < r && (c.z_hi[b] - zi).abs() < r;
    if inside {
        hi - lo
    } else {
        z[lo..hi].iter().filter(|&&v| (v - zi).abs() < r).count()
    }
}

/// The partition point of `pred` (true then false along the sorted `s`), found from
/// `from` (a previous query's, usually a few positions away): a window of
/// [`BOUND_WINDOW`] positions around it is counted without branches (a walk from the
/// cursor mispredicts its exit, about once per bound), and a bound outside it is
/// walked to. Exact from any start.
#[inline]
fn bound_from(s: &[f64], from: usize, pred: impl Fn(f64) -> bool) -> usize {
    if let Some(p) = partition_near::<BOUND_WINDOW>(s, from, &pred) {
        return p;
    }
    let mut p = from.min(s.len());
    while p < s.len() && pred(s[p]) {
        p += 1;
    }
    while p > 0 && !pred(s[p - 1]) {
        p -= 1;
    }
    p
}

/// Positions counted around a strip cursor by [`bound_from`].
const BOUND_WINDOW: usize = 8;

/// Per strip, the window of the previous count (see [`count_by_window`]); one per task.
#[derive(Default)]
pub struct Windows {
    lo: Vec<u32>,
    hi: Vec<u32>,
}

impl Windows {
    pub fn reset(&mut self, c: &Conditioner) {
        for v in [&mut self.lo, &mut self.hi] {
            v.clear();
            v.extend((0..c.strips()).map(|b| c.bounds(b).0 as u32));
        }
    }
}

/// For positions `first..first + radii.len()` of `strips` (no t needed), the (s, z)
/// count within each point's own radius `radii[o]`.
pub fn count_range(
    c: &Conditioner,
    strips: &ZStrips,
    first: usize,
    radius_of_row: &[f64],
    out: &mut [u32],
    windows: &mut Windows,
) {
    windows.reset(c);
    let nb = c.strips();
    for (o, count_out) in out.iter_mut().enumerate() {
        let p = first + o;
        let row = strips.row(p);
        let (si, zi, r) = (strips.s[p], strips.z[p], radius_of_row[row]);
        let b0 = c.strip_of[row] as usize;
        let mut count = 0;
        let mut b = b0;
        loop {
            count += count_by_window(c, strips, windows, b, (si, zi), r);
            b += 1;
            if b >= nb || c.z_lo[b] - zi >= r {
                break;
            }
        }
        let mut b = b0;
        while b > 0 && zi - c.z_hi[b - 1] < r {
            b -= 1;
            count += count_by_window(c, strips, windows, b, (si, zi), r);
        }
        *count_out = count as u32;
    }
}

impl Conditioner {
    /// Z sorted once, for the n_z counts.
    pub fn axis(&self) -> &SortedAxis {
        &self.axis
    }

    /// The position ranges of the strips, for splitting queries into tasks.
    pub fn strip_ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.strips()).map(|b| self.bounds(b))
    }
}

#[cfg(test)]
mod tests {
    use super::bound_from;

    #[test]
    fn bound_from_is_the_partition_point_from_any_start() {
        // Every start (before, inside and past the window around the bound, and past
        // the end), every threshold between and beyond the values, arrays shorter and
        // longer than the counted window, with repeated values.
        for len in [0, 1, 5, 8, 9, 40, 300] {
            let s: Vec<f64> = (0..len).map(|i| ((i * 7) / 3) as f64).collect();
            for t in (-2..=(len as i64 * 7 / 3 + 2)).map(|t| t as f64 + 0.5 * (t % 2) as f64) {
                let want = s.partition_point(|&v| v < t);
                for from in 0..=len + 3 {
                    assert_eq!(
                        bound_from(&s, from, |v| v < t),
                        want,
                        "len={len} t={t} from={from}"
                    );
                }
            }
        }
    }
}

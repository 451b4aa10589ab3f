//! Frenzel–Pompe I(X;Y|Z) for continuous X, Y, Z by strip search
//! ([`super::knn::z_strips`]), prepared for many pairs that share one conditioner:
//! Z's strips once per conditioner, each column's sorted order once per column, and per
//! pair only bucketing and the two passes below, in reused buffers.
//!
//! Pass 1 runs over the points in (Z strip, X) order and finds each point's k-th
//! neighbour distance ε in (X, Y, Z) and its count n_xz within ε; pass 2 runs in
//! (Z strip, Y) order for n_yz; n_z is a sorted-axis count. The per-point terms are then
//! added in row order with the association of [`super::parallel::par_sum_with`], so the
//! estimate is bit-identical to [`super::cmi_knn::cmi`]'s k-d tree form of the same
//! definition, however the work is split.

use super::knn::{
    Conditioner, Cursors, Found, Windows, ZStrips, count_range, search_range, strict_counts,
};
use super::parallel::{Cancel, ordered_sum};
use super::special::digamma_count;
use rayon::prelude::*;

/// A continuous column prepared for the strip search: its kNN-ready values and their
/// sorted order.
pub struct StripColumn {
    values: Vec<f64>,
    order: Vec<u32>,
}

impl StripColumn {
    /// `values`: prepared (scaled, jittered) values in row order.
    pub fn new(values: Vec<f64>) -> Self {
        let order = Conditioner::order_of(&values);
        Self { values, order }
    }

    pub fn heap_bytes(&self) -> usize {
        self.values.len() * 12
    }
}

/// Reusable buffers of one pair's search (one per thread in a matrix).
#[derive(Default)]
pub struct PairBuffers {
    by_x: ZStrips,
    by_y: ZStrips,
    eps_at: Vec<f64>,
    count_at: Vec<u32>,
    eps_of_row: Vec<f64>,
    nxz_of_row: Vec<u32>,
    nyz_of_row: Vec<u32>,
    /// ε in Z's sorted order and n_z there.
    eps_by_z: Vec<f64>,
    nz_by_z: Vec<u32>,
    cursors: Cursors,
    windows: Windows,
    best: Vec<f64>,
    seen: Vec<f64>,
}

/// I(X;Y|Z) in nats for continuous x, y given the conditioner; `parallel` spreads the
/// points of this one pair over the pool (a matrix runs pairs in parallel instead).
/// `None` when `cancel` fired (checked before each strip's queries).
pub fn cmi(
    c: &Conditioner,
    (x, y): (&StripColumn, &StripColumn),
    k: usize,
    (parallel, cancel): (bool, Cancel),
    buf: &mut PairBuffers,
) -> Option<f64> {
    let n = c.len();
    if n < 2 || x.values.len() != n || y.values.len() != n {
        return Some(0.0);
    }
    let k = k.clamp(1, n - 1);
    buf.by_x.fill(c, &x.values, Some(&y.values), &x.order);
    buf.eps_at.clear();
    buf.eps_at.resize(n, 0.0);
    buf.count_at.clear();
    buf.count_at.resize(n, 0);
    let ranges: Vec<(usize, usize)> = c.strip_ranges().collect();
    {
        let by_x = &buf.by_x;
        let search = |(lo, _): (usize, usize),
                      eps: &mut [f64],
                      count: &mut [u32],
                      state: &mut (Cursors, Vec<f64>, Vec<f64>)| {
            let found = Found {
                eps,
                count_sz: count,
            };
            search_range(
                c,
                by_x,
                k,
                lo,
                found,
                (&mut state.0, &mut state.1, &mut state.2),
            );
        };
        let chunks = split_by(&ranges, &mut buf.eps_at, &mut buf.count_at);
        if parallel {
            chunks.into_par_iter().for_each_init(
                || (Cursors::default(), Vec::new(), Vec::new()),
                |state, (range, eps, count)| search(range, eps, count, state),
            );
        } else {
            let mut state = (
                std::mem::take(&mut buf.cursors),
                std::mem::take(&mut buf.best),
                std::mem::take(&mut buf.seen),
            );
            for (range, eps, count) in chunks {
                search(range, eps, count, &mut state);
            }
            (buf.cursors, buf.best, buf.seen) = state;
        }
    }
    if cancel.is_cancelled() {
        return None;
    }
    buf.eps_of_row.clear();
    buf.eps_of_row.resize(n, 0.0);
    buf.nxz_of_row.clear();
    buf.nxz_of_row.resize(n, 0);
    for p in 0..n {
        let row = buf.by_x.row(p);
        buf.eps_of_row[row] = buf.eps_at[p];
        buf.nxz_of_row[row] = buf.count_at[p];
    }
    buf.by_y.fill(c, &y.values, None, &y.order);
    {
        let (by_y, eps_of_row) = (&buf.by_y, &buf.eps_of_row);
        let chunks = split_by(&ranges, &mut buf.eps_at, &mut buf.count_at);
        let count = |(lo, _): (usize, usize), out: &mut [u32], windows: &mut Windows| {
            if cancel.is_cancelled() {
                return;
            }
            count_range(c, by_y, lo, eps_of_row, out, windows);
        };
        if parallel {
            chunks
                .into_par_iter()
                .for_each_init(Windows::default, |windows, (range, _, out)| {
                    count(range, out, windows)
                });
        } else {
            let mut windows = std::mem::take(&mut buf.windows);
            for (range, _, out) in chunks {
                count(range, out, &mut windows);
            }
            buf.windows = windows;
        }
    }
    if cancel.is_cancelled() {
        return None;
    }
    buf.nyz_of_row.clear();
    buf.nyz_of_row.resize(n, 0);
    for p in 0..n {
        buf.nyz_of_row[buf.by_y.row(p)] = buf.count_at[p];
    }
    // n_z in Z's sorted order, each window searched from the previous one's.
    let z_axis = c.axis();
    buf.eps_by_z.clear();
    buf.eps_by_z.resize(n, 0.0);
    for (row, &e) in buf.eps_of_row.iter().enumerate() {
        buf.eps_by_z[z_axis.rank(row)] = e;
    }
    buf.nz_by_z.clear();
    buf.nz_by_z.resize(n, 0);
    if !strict_counts(z_axis, &buf.eps_by_z, &mut buf.nz_by_z, parallel, cancel) {
        return None;
    }
    let (nxz, nyz, nz) = (&buf.nxz_of_row, &buf.nyz_of_row, &buf.nz_by_z);
    // Strict counts include the point itself, so they are n + 1; with ε = 0
    // (coincident points) they are 0 and are clamped to the self-count (as
    // `strict_counts` does for n_z).
    let sum = ordered_sum(n, |i| {
        let nz1 = nz[z_axis.rank(i)] as usize;
        let nxz1 = (nxz[i] as usize).max(1);
        let nyz1 = (nyz[i] as usize).max(1);
        digamma_count(k) - digamma_count(nxz1) - digamma_count(nyz1) + digamma_count(nz1)
    });
    Some(sum / n as f64)
}

type Chunk<'a> = ((usize, usize), &'a mut [f64], &'a mut [u32]);

/// The two position-indexed outputs cut at the strips' bounds.
fn split_by<'a>(
    ranges: &[(usize, usize)],
    mut eps: &'a mut [f64],
    mut count: &'a mut [u32],
) -> Vec<Chunk<'a>> {
    let mut out = Vec::with_capacity(ranges.len());
    for &(lo, hi) in ranges {
        let (e, rest_e) = std::mem::take(&mut eps).split_at_mut(hi - lo);
        let (c, rest_c) = std::mem::take(&mut count).split_at_mut(hi - lo);
        eps = rest_e;
        count = rest_c;
        out.push(((lo, hi), e, c));
    }
    out
}

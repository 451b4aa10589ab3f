//! Tie-aware kNN MI for columns with repeated values: the estimator of Gao, Kannan, Oh
//! and Viswanath, "Estimating Mutual Information for Discrete-Continuous Mixtures"
//! (NeurIPS 2017), and the same idea applied to Ross's discrete–continuous estimator.
//!
//! KSG assumes no two points coincide; on a lattice (counts, days, ratings) many do, and
//! the tie-breaking jitter only turns "at distance 0" into "at distance 1e-10": the k-th
//! neighbour then sits inside a pile of identical points, the marginal counts take in
//! the whole pile on each axis while the joint count stays k, and the estimate falls far
//! below zero. GKOV use, where the k-th neighbour distance ρ_i is zero, the number of
//! points at distance zero instead of k:
//!
//! - ρ_i = 0: k̃_i, n_x(i), n_y(i) are the numbers of points equal to point i in the
//!   joint space, in x and in y (i itself included, as in the authors' code), and the
//!   term ψ(k̃_i) − ψ(n_x) − ψ(n_y) is the plug-in log ratio with ψ for log. Averaged with
//!   ψ(N) this cancels the plug-in's first-order bias (K_x − 1)(K_y − 1)/2N, since
//!   ψ(n) ≈ ln n − 1/2n.
//! - ρ_i > 0: k̃_i is the number of other points in the *closed* ball of radius ρ_i
//!   and n_x(i), n_y(i) count the closed marginal slabs (i included) less one point on
//!   a slab's edge (see [`slab`]), as in the paper's closed counts (the authors' code
//!   uses k and strict marginal counts instead). On a lattice many points sit exactly
//!   at ρ_i; counting them in the joint ball but not in the marginals biases the
//!   estimate by up to +0.3 nats at n = 150 (measured: `cargo run --release --example
//!   calibration -- ties`, where these counts stay within 0.1 nats of the exact MI at
//!   every size). On tie-free data k̃ = k and the counts are KSG-1's.
//!
//!   I = ψ(N) + ⟨ψ(k̃_i) − ψ(n_x(i)) − ψ(n_y(i))⟩.
//!
//! Points at the same location have the same neighbourhood, so each distinct point is
//! computed once and weighted by its multiplicity: a lattice of a few hundred cells costs
//! a few hundred queries whatever N is.
//!
//! [`mi_cd`] is the Ross form: within class, where the k-th within-class distance is 0,
//! k̃ is the number of class members equal to the point and m the number of all points
//! equal to it (both including it); otherwise k̃ and m count the other points in the
//! closed within-class and all-point balls (Ross's k and m when there are no ties).
//!
//! Inputs are scaled and *not* jittered: the ties are the information.

use super::knn::{JointSpace, KnnSpace, Scratch, SortedAxis};
use super::parallel::{Cancel, par_sum_until};
use super::ross::kth_in_sorted;
use super::special::digamma_count;

/// Whether any value occurs twice (NaN-free input).
pub fn has_ties(values: &[f64]) -> bool {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v.windows(2).any(|w| w[0] == w[1])
}

/// GKOV estimate in nats for two continuous columns with ties (scaled, not jittered).
pub fn mi_cc(x: &[f64], y: &[f64], k: usize) -> f64 {
    // Never `None`: nothing cancels.
    mi_cc_until(x, y, k, Cancel::NEVER).unwrap_or(f64::NAN)
}

/// [`mi_cc`] that stops when `cancel` fires (polled every few hundred points): `None`
/// when it did.
pub fn mi_cc_until(x: &[f64], y: &[f64], k: usize, cancel: Cancel) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return Some(0.0);
    }
    let (x, y) = (&x[..n], &y[..n]);
    let k = k.clamp(1, n - 1);
    let (sx, sy) = (SortedAxis::new(x), SortedAxis::new(y));
    // Distinct joint points and their multiplicities.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b]))
    });
    let mut points: Vec<[f64; 2]> = Vec::new();
    let mut weights: Vec<u32> = Vec::new();
    for &i in &order {
        let p = [x[i as usize], y[i as usize]];
        match (points.last(), weights.last_mut()) {
            (Some(last), Some(w)) if *last == p => *w += 1,
            _ => {
                points.push(p);
                weights.push(1);
            }
        }
    }
    let distinct = points.len();
    let space = JointSpace::<2>::new(points);
    // Every point, for the closed ball counts (which a pile at the radius dominates).
    let full = JointSpace::<2>::new(x.iter().zip(y).map(|(&a, &b)| [a, b]).collect());
    let sum = par_sum_until(
        distinct,
        cancel,
        || (Scratch::default(), Vec::new(), Vec::new()),
        |(scratch, near, by_distance), p| {
            let w = weights[p] as usize;
            let [px, py] = *space.point(p);
            let term = if w > k {
                // At least k others coincide with p: ρ = 0.
                let nx = sx.count_closed(px, 0.0);
                let ny = sy.count_closed(py, 0.0);
                digamma_count(w) - digamma_count(nx) - digamma_count(ny)
            } else {
                let rho =
                    weighted_kth(&space, &weights, p, k - (w - 1), scratch, near, by_distance);
                // Closed balls: on a lattice several points tie at ρ, and the joint and
                // marginal counts must agree on whether those count.
                let joint = full.count_strict(&[px, py], rho.next_up()) - 1;
                digamma_count(joint)
                    - digamma_count(slab(&sx, px, rho))
                    - digamma_count(slab(&sy, py, rho))
            };
            w as f64 * term
        },
    )?;
    Some(digamma_count(n) + sum / n as f64)
}

/// Points in the closed slab |v − c| ≤ ρ (c's own point included), less one point on
/// the slab's edge if there is one: without ties that point is the k-th neighbour on
/// its own axis, which KSG-1 leaves out (strict counts), so tie-free data get KSG-1's
/// counts exactly; with a pile of ties on the edge the pile counts, less that one.
fn slab(axis: &SortedAxis, c: f64, rho: f64) -> usize {
    let closed = axis.count_closed(c, rho);
    if closed > axis.count_strict(c, rho) {
        closed - 1
    } else {
        closed
    }
}

/// Distance from distinct point `p` to the `need`-th nearest other point, counting each
/// distinct point as many times as its weight (1 ≤ need ≤ N − weight of p).
fn weighted_kth(
    space: &JointSpace<2>,
    weights: &[u32],
    p: usize,
    need: usize,
    scratch: &mut Scratch,
    near: &mut Vec<u32>,
    by_distance: &mut Vec<(f64, u32)>,
) -> f64 {
    // Every distinct neighbour weighs at least 1, so the `need` nearest distinct points
    // reach the needed weight.
    let m = need.min(space.len() - 1);
    space.nearest(p, m, scratch, near);
    let q = space.point(p);
    by_distance.clear();
    by_distance.extend(near.iter().map(|&j| {
        let o = space.point(j as usize);
        (
            (o[0] - q[0]).abs().max((o[1] - q[1]).abs()),
            weights[j as usize],
        )
    }));
    by_distance.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0usize;
    for &(d, w) in by_distance.iter() {
        total += w as usize;
        if total >= need {
            return d;
        }
    }
    by_distance.last().map_or(0.0, |&(d, _)| d)
}

/// Tie-aware Ross estimate in nats; `c` scaled (not jittered), `d` dense codes.
pub fn mi_cd(c: &[f64], d: &[u32], k: usize) -> f64 {
    // Never `None`: nothing cancels.
    mi_cd_until(c, d, k, Cancel::NEVER).unwrap_or(f64::NAN)
}

/// [`mi_cd`] that stops when `cancel` fires (polled every few hundred points): `None`
/// when it did.
pub fn mi_cd_until(c: &[f64], d: &[u32], k: usize, cancel: Cancel) -> Option<f64> {
    let n = c.len().min(d.len());
    let (c, d) = (&c[..n], &d[..n]);
    let k = k.max(1);
    let Some(classes) = super::knn::Groups::new(d) else {
        return Some(0.0);
    };
    let mut vals: Vec<f64> = classes.order.iter().map(|&i| c[i as usize]).collect();
    for &(lo, hi) in &classes.bounds {
        vals[lo..hi].sort_unstable_by(f64::total_cmp);
    }
    let all = SortedAxis::new(&vals);
    let sum = par_sum_until(
        vals.len(),
        cancel,
        || (),
        |_, q| {
            let (lo, hi) = classes.bounds[classes.group_at[q] as usize];
            let seg = &vals[lo..hi];
            let r = kth_in_sorted(seg, q - lo, k.min(seg.len() - 1));
            let v = vals[q];
            let within =
                |r: f64| seg.partition_point(|&s| s - v <= r) - seg.partition_point(|&s| v - s > r);
            let (kt, m) = if r == 0.0 {
                (within(0.0), all.count_closed(v, 0.0))
            } else {
                (within(r) - 1, all.count_closed(v, r) - 1)
            };
            digamma_count(kt) - digamma_count(seg.len()) - digamma_count(m)
        },
    )?;
    Some(digamma_count(vals.len()) + sum / vals.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, O(n²), for the joint case.
    fn naive_cc(x: &[f64], y: &[f64], k: usize) -> f64 {
        let n = x.len();
        let mut total = 0.0;
        for i in 0..n {
            let mut d: Vec<f64> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (x[j] - x[i]).abs().max((y[j] - y[i]).abs()))
                .collect();
            d.sort_by(f64::total_cmp);
            let rho = d[k - 1];
            let count = |v: &[f64]| {
                let closed = (0..n).filter(|&j| (v[j] - v[i]).abs() <= rho).count();
                let edge = (0..n).any(|j| (v[j] - v[i]).abs() == rho);
                if rho > 0.0 && edge {
                    closed - 1
                } else {
                    closed
                }
            };
            let joint = (0..n)
                .filter(|&j| (x[j] - x[i]).abs().max((y[j] - y[i]).abs()) <= rho)
                .count();
            // Self included at ρ = 0, excluded from the joint count otherwise.
            let kt = if rho == 0.0 { joint } else { joint - 1 };
            let term = digamma_count(kt) - digamma_count(count(x)) - digamma_count(count(y));
            total += term;
        }
        digamma_count(n) + total / n as f64
    }

    #[test]
    fn weighted_fast_path_equals_the_definition() {
        for n in [9, 70, 400] {
            // A lattice with light and heavy cells, so both branches run.
            let x: Vec<f64> = (0..n).map(|i| ((i * 7) % 5) as f64).collect();
            let y: Vec<f64> = (0..n)
                .map(|i| ((i * i) % 11 + (i % 5) / 2) as f64)
                .collect();
            for k in [1, 3, 5] {
                let (fast, slow) = (mi_cc(&x, &y, k), naive_cc(&x, &y, k));
                assert!((fast - slow).abs() < 1e-12, "n={n} k={k}: {fast} vs {slow}");
            }
        }
    }

    #[test]
    fn on_tie_free_data_it_is_ksg1_and_ross() {
        // Generic draws: a low-discrepancy sequence would repeat gaps exactly (the
        // three-distance theorem) and so tie distances, which is not tie-free data.
        use super::super::prepare::standard_normal;
        let x: Vec<f64> = (0..500).map(|i| standard_normal(1, i)).collect();
        let y: Vec<f64> = (0..500)
            .map(|i| 0.6 * x[i as usize] + standard_normal(2, i))
            .collect();
        let ksg = super::super::ksg::mi(&x, &y, 3, super::super::ksg::Algorithm::One);
        // The same counts; only the order of summation differs.
        assert!((mi_cc(&x, &y, 3) - ksg).abs() < 1e-12);
        let d: Vec<u32> = (0..500).map(|i| (i % 3) as u32).collect();
        assert!((mi_cd(&x, &d, 3) - super::super::ross::mi(&x, &d, 3)).abs() < 1e-12);
    }

    #[test]
    fn all_points_equal_gives_zero() {
        let v = vec![2.0; 50];
        assert!(mi_cc(&v, &v, 3).abs() < 0.02);
        assert!(!has_ties(&[1.0, 2.0, 3.0]) && has_ties(&[1.0, 2.0, 1.0]));
    }
}

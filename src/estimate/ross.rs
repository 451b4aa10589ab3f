//! Ross (2014) kNN MI between a continuous and a discrete column — the method behind
//! scikit-learn's `mutual_info_classif`, computed as its `_compute_mi_cd` does:
//!
//! - for each point i of a class with N_c > 1 members, k_i = min(k, N_c − 1) and the
//!   radius r_i is the distance to its k_i-th nearest neighbour *within its class*;
//! - m_i = #{j (i itself included) : |c_j − c_i| < r_i} over all retained points
//!   (strict, as scikit-learn's `nextafter(r, 0)` with a closed ball);
//! - points of singleton classes carry no neighbour information and are dropped; N' is
//!   the number of points left;
//! - I = ψ(N') + ⟨ψ(k_i)⟩ − ⟨ψ(N_c(i))⟩ − ⟨ψ(m_i)⟩, reported as computed (scikit-learn
//!   clips negative values to 0; we do not).
//!
//! If no class has two members (or there are fewer than two points) the estimate is 0:
//! there is no within-class neighbour to measure.
//!
//! [`mi`] is the 1-D case (sorted arrays: the within-class neighbours by a two-sided
//! walk, m_i by binary search); [`mi_points`] accepts a multi-dimensional continuous
//! variable with the max-norm (k-d trees per class).

use super::knn::{Groups, JointSpace, KnnSpace, Scratch, SortedAxis};
use super::parallel::{Cancel, par_sum_until, par_sum_with};
use super::special::digamma_count;

/// Ross estimate in nats; `c` prepared (scaled, ties broken), `d` dense codes.
pub fn mi(c: &[f64], d: &[u32], k: usize) -> f64 {
    // Never `None`: nothing cancels.
    mi_until(c, d, k, Cancel::NEVER).unwrap_or(f64::NAN)
}

/// [`mi`] that stops when `cancel` fires (polled every few hundred points): `None`
/// when it did.
pub fn mi_until(c: &[f64], d: &[u32], k: usize, cancel: Cancel) -> Option<f64> {
    let n = c.len().min(d.len());
    let (c, d) = (&c[..n], &d[..n]);
    let k = k.max(1);
    let Some(classes) = Groups::new(d) else {
        return Some(0.0);
    };
    // Retained points in class order, each class segment sorted by value.
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
            let ki = k.min(seg.len() - 1);
            let r = kth_in_sorted(seg, q - lo, ki);
            let m = all.count_strict_of(q, r).max(1);
            digamma_count(ki) - digamma_count(seg.len()) - digamma_count(m)
        },
    )?;
    Some(digamma_count(vals.len()) + sum / vals.len() as f64)
}

/// Ross estimate for a D-dimensional continuous variable (max-norm), D = 1..4.
pub fn mi_points<const D: usize>(c: &[[f64; D]], d: &[u32], k: usize) -> f64
where
    JointSpace<D>: KnnSpace<D>,
{
    let n = c.len().min(d.len());
    let k = k.max(1);
    let Some(classes) = Groups::new(&d[..n]) else {
        return 0.0;
    };
    let spaces: Vec<JointSpace<D>> = classes
        .bounds
        .iter()
        .map(|&(lo, hi)| {
            JointSpace::<D>::new(
                classes.order[lo..hi]
                    .iter()
                    .map(|&i| c[i as usize])
                    .collect(),
            )
        })
        .collect();
    let all = JointSpace::<D>::new(classes.order.iter().map(|&i| c[i as usize]).collect());
    let n_kept = classes.order.len();
    let sum = par_sum_with(n_kept, Scratch::default, |scratch, q| {
        let class = classes.group_at[q] as usize;
        let (lo, hi) = classes.bounds[class];
        let ki = k.min(hi - lo - 1);
        let r = spaces[class].kth_distance(q - lo, ki, scratch);
        let m = all.count_strict(all.point(q), r).max(1);
        digamma_count(ki) - digamma_count(hi - lo) - digamma_count(m)
    });
    digamma_count(n_kept) + sum / n_kept as f64
}

/// Distance from `s[p]` to its k-th nearest other value in the sorted slice `s`
/// (1 ≤ k < s.len()), by walking outwards from p.
pub fn kth_in_sorted(s: &[f64], p: usize, k: usize) -> f64 {
    let c = s[p];
    let (mut left, mut right) = (p, p + 1);
    let mut dist = 0.0;
    for _ in 0..k {
        let dl = if left > 0 {
            c - s[left - 1]
        } else {
            f64::INFINITY
        };
        let dr = if right < s.len() {
            s[right] - c
        } else {
            f64::INFINITY
        };
        if dl <= dr {
            dist = dl;
            left -= 1;
        } else {
            dist = dr;
            right += 1;
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: usize) -> (Vec<f64>, Vec<u32>) {
        let d: Vec<u32> = (0..n).map(|i| ((i * 7) % 3) as u32).collect();
        let c: Vec<f64> = (0..n)
            .map(|i| d[i] as f64 * 0.4 + (i as f64 * 0.618_033_988_7).fract())
            .collect();
        (c, d)
    }

    /// The definition, O(n²).
    fn naive(c: &[f64], d: &[u32], k: usize) -> f64 {
        let n = c.len();
        let count = |v: u32| d.iter().filter(|&&w| w == v).count();
        let kept: Vec<usize> = (0..n).filter(|&i| count(d[i]) > 1).collect();
        let mut total = 0.0;
        for &i in &kept {
            let nc = count(d[i]);
            let ki = k.min(nc - 1);
            let mut dist: Vec<f64> = kept
                .iter()
                .filter(|&&j| j != i && d[j] == d[i])
                .map(|&j| (c[j] - c[i]).abs())
                .collect();
            dist.sort_by(f64::total_cmp);
            let r = dist[ki - 1];
            let m = kept.iter().filter(|&&j| (c[j] - c[i]).abs() < r).count();
            total += digamma_count(ki) - digamma_count(nc) - digamma_count(m);
        }
        digamma_count(kept.len()) + total / kept.len() as f64
    }

    #[test]
    fn fast_paths_equal_the_definition() {
        for n in [10, 200, 1200] {
            let (c, mut d) = sample(n);
            // A singleton class and a two-member class exercise k_i < k and dropping.
            d[0] = 9;
            d[1] = 7;
            d[2] = 7;
            for k in [1, 3, 5] {
                let slow = naive(&c, &d, k);
                let fast = mi(&c, &d, k);
                let pts: Vec<[f64; 1]> = c.iter().map(|&v| [v]).collect();
                let multi = mi_points(&pts, &d, k);
                assert!((fast - slow).abs() < 1e-12, "n={n} k={k}: {fast} vs {slow}");
                assert!(
                    (multi - slow).abs() < 1e-12,
                    "n={n} k={k}: {multi} vs {slow}"
                );
            }
        }
    }

    #[test]
    fn degenerate_inputs_give_zero() {
        assert_eq!(mi(&[], &[], 3), 0.0);
        assert_eq!(mi(&[1.0, 2.0, 3.0], &[0, 1, 2], 3), 0.0);
        assert!(mi(&[1.0, 2.0], &[0, 0], 3).is_finite());
    }
}

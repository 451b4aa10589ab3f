//! Pearson and Spearman correlation, Gaussian and Gaussian-copula MI.
//!
//! Degenerate inputs give defined numbers for the UI rather than NaN: fewer than two rows or
//! a constant column has correlation 0 (no linear dependence can be measured), and the
//! Gaussian MI of |ρ| = 1 is capped (see [`MAX_RHO_SQ`]). NaN inputs still give NaN.

use super::special::inverse_normal_cdf;

/// Largest ρ² the Gaussian MI formula is evaluated at. Exactly collinear columns would give
/// I = ∞, which no table, plot or CSV can use; the cap turns them into
/// −½ ln(1e-12) ≈ 13.8 nats (≈ 19.9 bits), far above any estimate real data produces.
pub const MAX_RHO_SQ: f64 = 1.0 - 1e-12;

/// Pearson correlation in [−1, 1]; 0 for n < 2 or a constant column.
///
/// Centred (two-pass) sums with a correction of the mean, which avoids the cancellation of
/// the one-pass Σxy − n·x̄·ȳ formula on data with a large offset. Columns of extreme
/// magnitude are first multiplied by a power of two (exact, unlike a division by the
/// maximum) so that squared deviations cannot overflow or underflow for any finite input.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    assert_eq!(x.len(), y.len(), "pearson: columns of different lengths");
    let n = x.len();
    if n < 2 || is_constant(x) || is_constant(y) {
        return 0.0;
    }
    let (fx, fy) = (power_of_two_scale(x), power_of_two_scale(y));
    if fx.is_nan() || fy.is_nan() {
        return f64::NAN;
    }
    let (mx, my) = (centre(x, fx), centre(y, fy));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let dx = a * fx - mx;
        let dy = b * fy - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return 0.0;
    }
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

fn is_constant(x: &[f64]) -> bool {
    x.iter().all(|&v| v == x[0])
}

/// Mean of the scaled column, refined by the mean residual (the "corrected two-pass"
/// algorithm), so that its rounding error does not leak into the deviations.
fn centre(x: &[f64], factor: f64) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().map(|v| v * factor).sum::<f64>() / n;
    mean + x.iter().map(|v| v * factor - mean).sum::<f64>() / n
}

/// A power of two bringing the column's largest magnitude into [2⁻⁴⁰⁰, 2⁴⁰⁰] (1 when it is
/// already there), so that sums of n squared deviations stay finite and non-zero.
/// NaN if the column holds a NaN.
pub(crate) fn power_of_two_scale(x: &[f64]) -> f64 {
    let m = x.iter().fold(0.0_f64, |m, v| {
        if v.is_nan() || m.is_nan() {
            f64::NAN
        } else {
            m.max(v.abs())
        }
    });
    if m.is_nan() {
        f64::NAN
    } else if m > 2f64.powi(400) {
        2f64.powi(-600)
    } else if m > 0.0 && m < 2f64.powi(-400) {
        2f64.powi(600)
    } else {
        1.0
    }
}

/// Average ranks (ties share their mean rank), 1-based.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&i, &j| x[i].total_cmp(&x[j]));
    let mut out = vec![0.0; n];
    let mut start = 0;
    while start < n {
        let v = x[order[start]];
        let mut end = start + 1;
        // −0.0 and +0.0 are the same value and tie.
        while end < n && x[order[end]] == v {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end; their mean:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

/// Spearman's ρ: Pearson correlation of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// −½ ln(1 − ρ²), nats, with ρ² capped at [`MAX_RHO_SQ`] (finite for every ρ but NaN).
pub fn gaussian_mi(rho: f64) -> f64 {
    if rho.is_nan() {
        return f64::NAN;
    }
    let r = rho.abs().min(1.0);
    // (1 − r)(1 + r) keeps full relative precision near |ρ| = 1 where 1 − r·r would not.
    let one_minus = ((1.0 - r) * (1.0 + r)).max(1.0 - MAX_RHO_SQ);
    -0.5 * one_minus.ln()
}

/// Gaussian formula on rank-normal scores Φ⁻¹(rank/(n+1)), nats.
///
/// Depends on the data only through the ranks, so any strictly increasing transform of
/// either column leaves it bit-for-bit unchanged (a decreasing one flips ρ's sign only).
pub fn copula_mi(x: &[f64], y: &[f64]) -> f64 {
    gaussian_mi(pearson(&normal_scores(x), &normal_scores(y)))
}

/// Rank-normal scores Φ⁻¹(rank/(n+1)) (average ranks for ties).
pub fn normal_scores(x: &[f64]) -> Vec<f64> {
    let denom = x.len() as f64 + 1.0;
    ranks(x)
        .into_iter()
        .map(|r| inverse_normal_cdf(r / denom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_basic() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&x, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-15);
        assert!((pearson(&x, &[8.0, 6.0, 4.0, 2.0]) + 1.0).abs() < 1e-15);
        assert_eq!(pearson(&x, &[5.0; 4]), 0.0);
        assert_eq!(pearson(&[0.1; 5], &[1.0, 2.0, 3.0, 4.0, 5.0]), 0.0);
        assert_eq!(pearson(&[], &[]), 0.0);
        // Large offset: one-pass formulas lose every digit here.
        let off: Vec<f64> = x.iter().map(|v| v + 1e9).collect();
        assert!((pearson(&off, &[1.0, 3.0, 2.0, 4.0]) - 0.8).abs() < 1e-12);
        // Values near f64::MAX do not overflow.
        let big = [f64::MAX, -f64::MAX, f64::MAX / 2.0];
        assert!(pearson(&big, &[1.0, -1.0, 0.5]).is_finite());
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 5.0]), vec![2.5, 4.0, 2.5, 1.0]);
        assert_eq!(ranks(&[0.0, -0.0]), vec![1.5, 1.5]);
        assert!(ranks(&[]).is_empty());
    }

    #[test]
    fn spearman_monotone() {
        let x: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| (v / 7.0).exp()).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn gaussian_mi_values() {
        assert_eq!(gaussian_mi(0.0), 0.0);
        let r: f64 = 0.6;
        assert!((gaussian_mi(r) + 0.5 * (1.0 - r * r).ln()).abs() < 1e-15);
        assert_eq!(gaussian_mi(-0.6), gaussian_mi(0.6));
        let cap = -0.5 * (1.0 - MAX_RHO_SQ).ln();
        assert!((gaussian_mi(1.0) - cap).abs() < 1e-6 && gaussian_mi(1.0).is_finite());
        assert_eq!(gaussian_mi(1.5), gaussian_mi(1.0));
    }

    #[test]
    fn normal_scores_symmetric() {
        let s = normal_scores(&[3.0, 1.0, 2.0]);
        assert_eq!(s[2], 0.0);
        assert_eq!(s[0], -s[1]);
        assert!((s[0] - inverse_normal_cdf(0.75)).abs() < 1e-15);
    }
}

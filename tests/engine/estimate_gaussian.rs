//! Continuous estimators that count or use correlation, against the bivariate Gaussian's
//! closed form I = −½ ln(1 − ρ²).
//!
//! The spreads quoted beside the tolerances come from the `calibration` example
//! (`cargo run --release --example calibration -- gaussian`).

use crate::common::{bivariate_gaussian_mi, gaussian_pair};
use mi_workbench::estimate::correlation::{copula_mi, gaussian_mi, pearson, ranks, spearman};
use mi_workbench::estimate::{BinRule, BinStrategy, histogram};

pub(crate) const N: usize = 5000;
pub(crate) const RHOS: [f64; 4] = [0.0, 0.3, 0.6, 0.9];

pub(crate) fn hist_fd(x: &[f64], y: &[f64]) -> f64 {
    histogram::mi(
        x,
        y,
        BinRule::FreedmanDiaconis,
        BinStrategy::EqualWidth,
        false,
    )
}

/// Tolerance for the Gaussian-formula estimators (Pearson and copula) at correlation ρ.
///
/// Var(ρ̂) ≈ (1 − ρ²)²/n for Gaussian data and dI/dρ = ρ/(1 − ρ²), so the delta method gives
/// sd(Î) ≈ ρ/√n; 5 sd leaves a false-failure chance below 1e-6. At ρ = 0 that vanishes and
/// 2n·Î ≈ n·ρ̂² is χ²₁ instead, whose 1e-4 upper quantile is 15, hence 15/(2n).
/// Measured over 100 seeds (`calibration` example): sd 0.0036 / 0.0074 / 0.0116 at
/// ρ = 0.3 / 0.6 / 0.9, below the theoretical 0.0042 / 0.0085 / 0.0127, and the copula's
/// spread equals the Pearson estimator's to within 1% (normal scores are fully efficient at
/// the Gaussian); both biases are below 0.0013 in magnitude.
fn gaussian_tolerance(rho: f64, n: usize) -> f64 {
    5.0 * rho / (n as f64).sqrt() + 15.0 / (2.0 * n as f64)
}

#[test]
fn gaussian_estimator_matches_closed_form() {
    for (i, rho) in RHOS.into_iter().enumerate() {
        let (x, y) = gaussian_pair(rho, N, 42 + i as u64);
        let est = gaussian_mi(pearson(&x, &y));
        let tol = gaussian_tolerance(rho, N);
        assert!(
            (est - bivariate_gaussian_mi(rho)).abs() < tol,
            "ρ = {rho}: {est} vs {} (tol {tol})",
            bivariate_gaussian_mi(rho)
        );
    }
}

#[test]
fn copula_matches_closed_form() {
    for (i, rho) in RHOS.into_iter().enumerate() {
        let (x, y) = gaussian_pair(rho, N, 142 + i as u64);
        let est = copula_mi(&x, &y);
        let tol = gaussian_tolerance(rho, N);
        assert!(
            (est - bivariate_gaussian_mi(rho)).abs() < tol,
            "ρ = {rho}: {est} vs {} (tol {tol})",
            bivariate_gaussian_mi(rho)
        );
    }
}

/// Histogram (Freedman–Diaconis, equal-width) MI is biased upward at n = 5000: FD picks
/// about 44 bins per axis, so some 1900 cells share 5000 points and the plug-in's
/// finite-sample bias (≈ (m_x − 1)(m_y − 1)/(2n) for a full table, less for a sparse one)
/// dominates the downward bias of discretisation (which grows with ρ as the joint density
/// concentrates near the diagonal). Measured over 100 seeds (`calibration` example), estimate
/// minus truth has mean / sd:
const HIST_FD_BIAS: [(f64, f64); 4] = [
    (0.1390, 0.0062),
    (0.1342, 0.0065),
    (0.1133, 0.0091),
    (0.0573, 0.0118),
];
/// … and with Miller–Madow, which removes most but not all of it (the table is too sparse for
/// the first-order correction):
const HIST_FD_MM_BIAS: [(f64, f64); 4] = [
    (0.0564, 0.0057),
    (0.0546, 0.0063),
    (0.0442, 0.0092),
    (0.0168, 0.0120),
];

#[test]
fn histogram_fd_matches_closed_form_up_to_its_bias() {
    for (i, rho) in RHOS.into_iter().enumerate() {
        let (x, y) = gaussian_pair(rho, N, 242 + i as u64);
        let err = hist_fd(&x, &y) - bivariate_gaussian_mi(rho);
        let (bias, sd) = HIST_FD_BIAS[i];
        // 5 measured sd around the measured bias; the bias is always upward here.
        assert!(
            (err - bias).abs() < 5.0 * sd,
            "ρ = {rho}: error {err}, expected {bias} ± {}",
            5.0 * sd
        );
        assert!(
            err > 0.0,
            "ρ = {rho}: histogram MI should overestimate at this n"
        );
        let err_mm = histogram::mi(
            &x,
            &y,
            BinRule::FreedmanDiaconis,
            BinStrategy::EqualWidth,
            true,
        ) - bivariate_gaussian_mi(rho);
        let (bias_mm, sd_mm) = HIST_FD_MM_BIAS[i];
        assert!(
            (err_mm - bias_mm).abs() < 5.0 * sd_mm,
            "ρ = {rho}: MM error {err_mm}, expected {bias_mm}"
        );
        assert!(
            err_mm < err,
            "Miller–Madow must reduce the histogram's upward bias"
        );
    }
}

/// Equal-frequency bins with the FD count: every one of the ~44 × 44 cells now gets data, so
/// the upward bias is larger than with equal widths, and the bin count (hence the bias) moves
/// with each sample's IQR and range, which widens the spread. Measured over 100 seeds
/// (estimate − truth, mean / sd):
const HIST_FD_EF_BIAS: [(f64, f64); 4] = [
    (0.2449, 0.0279),
    (0.2447, 0.0262),
    (0.2273, 0.0238),
    (0.1368, 0.0196),
];

#[test]
fn histogram_equal_frequency_matches_closed_form_up_to_its_bias() {
    for (i, rho) in RHOS.into_iter().enumerate() {
        let (x, y) = gaussian_pair(rho, N, 342 + i as u64);
        let est = histogram::mi(
            &x,
            &y,
            BinRule::FreedmanDiaconis,
            BinStrategy::EqualFrequency,
            false,
        );
        let err = est - bivariate_gaussian_mi(rho);
        let (bias, sd) = HIST_FD_EF_BIAS[i];
        assert!(
            (err - bias).abs() < 5.0 * sd,
            "ρ = {rho}: error {err}, expected {bias} ± {}",
            5.0 * sd
        );
        assert!(err > 0.0);
    }
}

#[test]
fn copula_invariant_under_monotone_transforms() {
    let (x, y) = gaussian_pair(0.6, N, 7);
    let base = copula_mi(&x, &y);
    // Strictly increasing maps that keep these 5000 distinct values distinct in f64, so the
    // ranks, hence the normal scores, hence the estimate, are bit-for-bit identical.
    let fx: Vec<f64> = x.iter().map(|v| v.exp()).collect();
    let fy: Vec<f64> = y.iter().map(|v| v.powi(3) + 2.0 * v).collect();
    assert_eq!(ranks(&fx), ranks(&x));
    assert_eq!(ranks(&fy), ranks(&y));
    assert_eq!(copula_mi(&fx, &fy), base);
    assert_eq!(spearman(&fx, &fy), spearman(&x, &y));
    // A decreasing map reverses the ranks: ρ changes sign, the MI does not.
    let neg: Vec<f64> = x.iter().map(|v| -v.atan()).collect();
    assert!((copula_mi(&neg, &y) - base).abs() < 1e-12);
    // Pearson is not rank-based and does change, which is the point of the copula variant.
    assert!((gaussian_mi(pearson(&fx, &fy)) - gaussian_mi(pearson(&x, &y))).abs() > 1e-3);
}

#[test]
fn gaussian_mi_is_finite_for_collinear_columns() {
    let x: Vec<f64> = (0..100).map(|i| i as f64).collect();
    let y: Vec<f64> = x.iter().map(|v| 3.0 * v - 1.0).collect();
    let g = gaussian_mi(pearson(&x, &y));
    assert!(g.is_finite() && g > 10.0);
    assert!(copula_mi(&x, &y).is_finite());
    assert_eq!(gaussian_mi(pearson(&x, &[5.0; 100])), 0.0);
}

//! Gaussian references on vector variables, from log-determinants of the correlation
//! matrix (the scale of each column cancels, so correlations suffice):
//!
//! - I(X;Y) = ½ ln(det R_X · det R_Y / det R_XY);
//! - I(X;Y|Z) = ½ ln(det R_XZ · det R_YZ / (det R_Z · det R_XYZ)) (the Schur-complement
//!   form of the conditional covariances, written with determinants);
//! - TC(X₁…X_m) = −½ ln det R.
//!
//! The copula variant runs the same on rank-normal scores Φ⁻¹(rank/(n+1)), which makes
//! it invariant to any strictly monotone transform of each column.

use crate::estimate::correlation::pearson;

/// Smallest pivot (relative to the unit diagonal) a correlation matrix may have: a
/// singular set (a column repeated, or a linear combination of others) gives a large
/// finite value instead of ∞ or NaN, like [`crate::estimate::correlation::gaussian_mi`]'s cap.
const MIN_PIVOT: f64 = 1e-15;

/// The correlation matrix of the columns (row-major, d × d).
pub fn correlation_matrix(columns: &[&[f64]]) -> Vec<f64> {
    let d = columns.len();
    let mut r = vec![0.0; d * d];
    for a in 0..d {
        r[a * d + a] = 1.0;
        for b in a + 1..d {
            let rho = pearson(columns[a], columns[b]);
            let rho = if rho.is_finite() { rho } else { 0.0 };
            r[a * d + b] = rho;
            r[b * d + a] = rho;
        }
    }
    r
}

/// ln det of the principal submatrix of `r` (d × d) on `which` (0 for none), by
/// Cholesky with pivots floored at [`MIN_PIVOT`].
pub fn log_det(r: &[f64], d: usize, which: &[usize]) -> f64 {
    let m = which.len();
    let mut a: Vec<f64> = Vec::with_capacity(m * m);
    for &i in which {
        for &j in which {
            a.push(r[i * d + j]);
        }
    }
    let mut sum = 0.0;
    for j in 0..m {
        let mut diag = a[j * m + j];
        for p in 0..j {
            diag -= a[j * m + p] * a[j * m + p];
        }
        let diag = diag.max(MIN_PIVOT);
        let l = diag.sqrt();
        a[j * m + j] = l;
        sum += diag.ln();
        for i in j + 1..m {
            let mut v = a[i * m + j];
            for p in 0..j {
                v -= a[i * m + p] * a[j * m + p];
            }
            a[i * m + j] = v / l;
        }
    }
    sum
}

/// I(X;Y|Z) in nats from the correlation matrix of all columns, X, Y, Z given as
/// index sets into it (Z empty for I(X;Y)).
pub fn gaussian_cmi(r: &[f64], d: usize, x: &[usize], y: &[usize], z: &[usize]) -> f64 {
    let join = |a: &[usize], b: &[usize]| -> Vec<usize> { a.iter().chain(b).copied().collect() };
    let xz = join(x, z);
    let yz = join(y, z);
    let xyz = join(&xz, y);
    0.5 * (log_det(r, d, &xz) + log_det(r, d, &yz) - log_det(r, d, z) - log_det(r, d, &xyz))
}

/// −½ ln det R of the columns `which`.
pub fn gaussian_tc(r: &[f64], d: usize, which: &[usize]) -> f64 {
    -0.5 * log_det(r, d, which)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_det_of_a_known_matrix() {
        // [[1, .5], [.5, 1]]: det 0.75; with a third independent column still 0.75.
        let r = [1.0, 0.5, 0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 1.0];
        assert!((log_det(&r, 3, &[0, 1]) - 0.75f64.ln()).abs() < 1e-15);
        assert!((log_det(&r, 3, &[0, 1, 2]) - 0.75f64.ln()).abs() < 1e-15);
        assert_eq!(log_det(&r, 3, &[]), 0.0);
        // Pairwise MI: −½ ln(1 − ρ²).
        let mi = gaussian_cmi(&r, 3, &[0], &[1], &[]);
        assert!((mi + 0.5 * 0.75f64.ln()).abs() < 1e-15);
    }
}

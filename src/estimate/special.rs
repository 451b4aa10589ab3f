//! Special functions: digamma, inverse normal CDF.

/// Digamma function ψ(x) for x > 0.
pub fn digamma(x: f64) -> f64 {
    todo!("estimators-plugin helper: {x}")
}

/// Φ⁻¹(p) for 0 < p < 1.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    todo!("estimators-plugin helper: {p}")
}

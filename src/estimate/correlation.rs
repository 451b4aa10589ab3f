//! Pearson and Spearman correlation, Gaussian and Gaussian-copula MI.

pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    todo!("estimators-plugin helper {} {}", x.len(), y.len())
}

/// Average ranks (ties share their mean rank), 1-based.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    todo!("estimators-plugin helper {}", x.len())
}

pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    todo!("estimators-plugin helper {} {}", x.len(), y.len())
}

/// −½ ln(1 − ρ²), nats.
pub fn gaussian_mi(rho: f64) -> f64 {
    todo!("estimators-plugin helper {rho}")
}

/// Gaussian formula on rank-normal scores Φ⁻¹(rank/(n+1)), nats.
pub fn copula_mi(x: &[f64], y: &[f64]) -> f64 {
    todo!("estimators-plugin helper {} {}", x.len(), y.len())
}

/// Rank-normal scores Φ⁻¹(rank/(n+1)) (average ranks for ties).
pub fn normal_scores(x: &[f64]) -> Vec<f64> {
    todo!("estimators-plugin helper {}", x.len())
}

//! Permutation tests and Benjamini–Hochberg adjustment.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PermutationResult {
    /// (1 + #{null ≥ observed}) / (1 + permutations): never 0, exact under H0.
    pub p_value: f64,
    pub null_mean: f64,
    pub null_sd: f64,
    /// 2.5% and 97.5% quantiles of the null distribution.
    pub null_low: f64,
    pub null_high: f64,
    pub permutations: usize,
}

/// The `index`-th seeded permutation of 0..n.
pub fn permutation(n: usize, seed: u64, index: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    let mut p: Vec<usize> = (0..n).collect();
    p.shuffle(&mut rng);
    p
}

/// Runs `stat` on `permutations` seeded permutations of the rows of one variable.
/// `stat` receives the permutation to apply; results do not depend on thread count.
pub fn permutation_test(
    observed: f64,
    n: usize,
    permutations: usize,
    seed: u64,
    cancelled: &(dyn Fn() -> bool + Sync),
    stat: &(dyn Fn(&[usize]) -> f64 + Sync),
) -> Option<PermutationResult> {
    let null: Vec<f64> = (0..permutations)
        .into_par_iter()
        .map(|b| {
            if cancelled() {
                f64::NAN
            } else {
                stat(&permutation(n, seed, b as u64))
            }
        })
        .collect();
    if cancelled() {
        return None;
    }
    Some(summarise_null(observed, null))
}

pub fn summarise_null(observed: f64, mut null: Vec<f64>) -> PermutationResult {
    let b = null.len();
    let exceed = null.iter().filter(|&&v| v >= observed).count();
    let mean = null.iter().sum::<f64>() / b.max(1) as f64;
    let sd = if b > 1 {
        (null.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (b - 1) as f64).sqrt()
    } else {
        0.0
    };
    null.sort_by(f64::total_cmp);
    let q = |f: f64| {
        if b == 0 {
            f64::NAN
        } else {
            null[((f * (b - 1) as f64).round() as usize).min(b - 1)]
        }
    };
    PermutationResult {
        p_value: (1 + exceed) as f64 / (1 + b) as f64,
        null_mean: mean,
        null_sd: sd,
        null_low: q(0.025),
        null_high: q(0.975),
        permutations: b,
    }
}

/// Benjamini–Hochberg adjusted p-values (step-up, monotone, capped at 1). NaN entries
/// are ignored and stay NaN.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let m = idx.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank + 1) as f64).min(1.0);
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg over the rows that were tested (`Some(p)`), in row order; untested
/// rows stay `None`.
pub fn adjusted_where_tested(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let tested: Vec<f64> = p.iter().flatten().copied().collect();
    let mut q = benjamini_hochberg(&tested).into_iter();
    p.iter().map(|v| v.and_then(|_| q.next())).collect()
}

/// Why a permutation count cannot give significant pairs after Benjamini–Hochberg at
/// level `alpha` across `tests` tests, or `None` when it can. The smallest p-value N
/// permutations give is 1/(N+1); a pair passes only if (tests/j)·p ≤ alpha for the j
/// pairs at or below it, so a pair can pass alone only when N + 1 ≥ tests/alpha.
pub fn too_few_permutations(n: usize, tests: usize, alpha: f64) -> Option<String> {
    if n == 0 || tests == 0 {
        return None;
    }
    let p_min = 1.0 / (n as f64 + 1.0);
    let alone = ((tests as f64 / alpha).ceil() as usize).saturating_sub(1);
    if n >= alone {
        return None;
    }
    let needed = (tests as f64 * p_min / alpha).ceil() as usize;
    Some(if p_min > alpha {
        format!(
            "{n} permutations: the smallest possible p is 1/{} = {p_min:.3}, above {alpha}; no pair can be significant. Use at least {alone}.",
            n + 1
        )
    } else {
        format!(
            "{n} permutations: the smallest possible p is {p_min:.3}; after Benjamini–Hochberg across {tests} pairs a pair passes only if at least {needed} pairs reach it. For any single pair to pass, use at least {alone}."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bh_matches_hand_computation() {
        // p sorted: 0.01, 0.02, 0.03, 0.5; m = 4 → 0.04, 0.04, 0.04, 0.5.
        let adj = benjamini_hochberg(&[0.03, 0.5, 0.01, f64::NAN, 0.02]);
        let want = [0.04, 0.5, 0.04, f64::NAN, 0.04];
        for (a, w) in adj.iter().zip(want) {
            assert!(a.is_nan() && w.is_nan() || (a - w).abs() < 1e-12, "{adj:?}");
        }
    }

    #[test]
    fn permutations_are_seeded_and_distinct() {
        assert_eq!(permutation(50, 3, 0), permutation(50, 3, 0));
        assert_ne!(permutation(50, 3, 0), permutation(50, 3, 1));
        let mut p = permutation(50, 3, 9);
        p.sort();
        assert_eq!(p, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn p_value_is_uniform_under_the_null() {
        // Observed drawn from the same distribution as the null: p is about uniform,
        // so P(p ≤ 0.05) ≈ 0.05. Statistic: mean of a permuted half vs the other half.
        let data: Vec<f64> = (0..40).map(|i| ((i * 37) % 41) as f64).collect();
        let stat = |perm: &[usize]| perm[..20].iter().map(|&i| data[i]).sum::<f64>();
        let mut small = 0;
        let trials = 200;
        for t in 0..trials {
            let obs = stat(&permutation(40, 1000 + t, 0));
            let r = permutation_test(obs, 40, 99, t, &|| false, &stat).unwrap();
            if r.p_value <= 0.05 {
                small += 1;
            }
        }
        // Binomial(200, 0.05): mean 10, sd 3.1; allow 4 sd.
        assert!(small <= 23, "{small} of {trials} below 0.05");
    }
}

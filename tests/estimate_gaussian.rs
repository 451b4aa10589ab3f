//! Continuous estimators that count or use correlation, against the bivariate Gaussian's
//! closed form I = −½ ln(1 − ρ²).

use mi_workbench::estimate::correlation::{copula_mi, gaussian_mi, pearson, ranks, spearman};
use mi_workbench::estimate::{BinRule, BinStrategy, histogram};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

const N: usize = 5000;
const RHOS: [f64; 4] = [0.0, 0.3, 0.6, 0.9];

/// n draws of a standard bivariate Gaussian with correlation ρ.
fn bivariate(n: usize, rho: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let c = (1.0 - rho * rho).sqrt();
    (0..n)
        .map(|_| {
            let a: f64 = StandardNormal.sample(&mut rng);
            let b: f64 = StandardNormal.sample(&mut rng);
            (a, rho * a + c * b)
        })
        .unzip()
}

fn truth(rho: f64) -> f64 {
    -0.5 * (1.0 - rho * rho).ln()
}

fn hist_fd(x: &[f64], y: &[f64]) -> f64 {
    histogram::mi(
        x,
        y,
        BinRule::FreedmanDiaconis,
        BinStrategy::EqualWidth,
        false,
    )
}

/// Mean and sd of (estimate − truth) over 20 seeds, for choosing the tolerances below.
/// Run with `cargo test --release --test estimate_gaussian -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_spreads() {
    type Est = fn(&[f64], &[f64]) -> f64;
    let estimators: [(&str, Est); 4] = [
        ("gauss", |x, y| gaussian_mi(pearson(x, y))),
        ("copula", copula_mi),
        ("hist-fd", hist_fd),
        ("hist-fd-mm", |x, y| {
            histogram::mi(
                x,
                y,
                BinRule::FreedmanDiaconis,
                BinStrategy::EqualWidth,
                true,
            )
        }),
    ];
    for (name, est) in estimators {
        for rho in RHOS {
            let errs: Vec<f64> = (0..20)
                .map(|s| {
                    let (x, y) = bivariate(N, rho, 1000 + s);
                    est(&x, &y) - truth(rho)
                })
                .collect();
            let mean = errs.iter().sum::<f64>() / errs.len() as f64;
            let sd = (errs.iter().map(|e| (e - mean).powi(2)).sum::<f64>()
                / (errs.len() - 1) as f64)
                .sqrt();
            println!(
                "{name:10} rho={rho:.1} bias={mean:+.5} sd={sd:.5} (rho/sqrt n = {:.5})",
                rho / (N as f64).sqrt()
            );
        }
    }
}

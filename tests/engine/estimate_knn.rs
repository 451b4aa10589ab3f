//! Accuracy of the kNN MI estimators (KSG-1, KSG-2, Ross) against closed forms.
//!
//! Tolerances come from seeded repetitions: the `calibration` example (`cargo run
//! --release --example calibration -- knn`) estimates each quantity under 20 seeds and
//! prints the mean error and the standard deviation. Each test uses one seed and allows
//! |bias| + 4 sd, rounded up; the figures measured are quoted beside each tolerance.

use crate::common::{bivariate_gaussian_mi, continuous, discrete, gaussian_pair};
use mi_workbench::data::Column;
use mi_workbench::estimate::pair::mi_pair;
use mi_workbench::estimate::{Estimator, Method, Settings, ksg, ross};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

pub(crate) const N: usize = 5000;

/// The estimate (and the method used) with k = 3 and the given seed, as the app computes
/// it; every row is used.
pub(crate) fn estimate(x: &Column, y: &Column, estimator: Estimator, seed: u64) -> (f64, Method) {
    let settings = Settings {
        estimator,
        k: 3,
        seed,
        ..Settings::default()
    };
    let e = mi_pair(x, y, &settings).expect("estimate");
    assert_eq!(e.n_used, x.values.len());
    (e.mi, e.method)
}

pub(crate) fn ksg_gaussian(rho: f64, alg: ksg::Algorithm, seed: u64) -> f64 {
    let (x, y) = gaussian_pair(rho, N, seed);
    let est = match alg {
        ksg::Algorithm::One => Estimator::Ksg1,
        ksg::Algorithm::Two => Estimator::Ksg2,
    };
    estimate(&continuous("x", x), &continuous("y", y), est, seed).0
}

pub(crate) fn uniform_pair(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = (0..n).map(|_| rng.random::<f64>()).collect();
    let y = (0..n).map(|_| rng.random::<f64>()).collect();
    (x, y)
}

/// I(X;Y) minus I(X³;Y), both through the app's preparation (scaling + jitter).
pub(crate) fn monotone_difference(seed: u64) -> (f64, f64) {
    let (x, y) = gaussian_pair(0.6, N, seed);
    let cubed: Vec<f64> = x.iter().map(|v| v * v * v).collect();
    let expd: Vec<f64> = y.iter().map(|v| v.exp()).collect();
    let (xc, yc) = (continuous("x", x), continuous("y", y));
    let base = estimate(&xc, &yc, Estimator::Ksg1, seed).0;
    let a = estimate(&continuous("x", cubed), &yc, Estimator::Ksg1, seed).0;
    let b = estimate(&xc, &continuous("y", expd), Estimator::Ksg1, seed).0;
    (base - a, base - b)
}

/// Two equally likely classes, X | C=0 ~ N(0,1), X | C=1 ~ N(μ,1).
fn two_class(mu: f64, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = Vec::with_capacity(n);
    let mut c = Vec::with_capacity(n);
    for _ in 0..n {
        let class = rng.random_bool(0.5);
        let e: f64 = rng.sample(StandardNormal);
        x.push(e + if class { mu } else { 0.0 });
        c.push(if class { 1.0 } else { 0.0 });
    }
    (x, c)
}

/// I(X;C) = H(C) − E_X[H(C|X)] for the two-class problem, by the trapezoid rule on
/// [−12, μ + 12] with step 1e-4 (the tails beyond carry < 1e-30 of the mass; the
/// integrand is smooth, so the rule's error is far below 1e-8).
pub(crate) fn two_class_mi(mu: f64) -> f64 {
    let phi = |t: f64| (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let h = 1e-4;
    let (lo, hi) = (-12.0, mu + 12.0);
    let steps = ((hi - lo) / h) as usize;
    let mut acc = 0.0;
    for s in 0..=steps {
        let x = lo + s as f64 * h;
        let (p0, p1) = (0.5 * phi(x), 0.5 * phi(x - mu));
        let p = p0 + p1;
        let mut hc = 0.0;
        for q in [p0 / p, p1 / p] {
            if q > 0.0 {
                hc -= q * q.ln();
            }
        }
        let w = if s == 0 || s == steps { 0.5 } else { 1.0 };
        acc += w * p * hc;
    }
    std::f64::consts::LN_2 - acc * h
}

pub(crate) fn ross_two_class(seed: u64) -> f64 {
    let (x, c) = two_class(2.0, N, seed);
    let (mi, method) = estimate(
        &continuous("x", x),
        &discrete("c", c),
        Estimator::Auto,
        seed,
    );
    assert_eq!(method, Method::Ross);
    mi
}

/// Mean of an estimate over `TEST_SEEDS`: averaging 5 runs halves the noise (÷√5),
/// which keeps the tolerances tight enough to catch a real error at n = 5000.
const TEST_SEEDS: std::ops::Range<u64> = 1..6;

fn mean_over_seeds(f: impl Fn(u64) -> f64) -> f64 {
    let v: Vec<f64> = TEST_SEEDS.map(f).collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn ksg1_bivariate_gaussian() {
    // Measured over 20 seeds at n = 5000, k = 3 (bias, sd of one run):
    // ρ=0: (−0.0027, 0.0075); 0.3: (−0.0012, 0.0070); 0.6: (−0.0010, 0.0080);
    // 0.9: (+0.0023, 0.0136). Allowed for the mean of 5 runs: |bias| + 4 sd/√5,
    // rounded up: 0.016, 0.014, 0.016, 0.027 → 0.02, 0.02, 0.02, 0.03.
    for (rho, tol) in [(0.0, 0.02), (0.3, 0.02), (0.6, 0.02), (0.9, 0.03)] {
        let est = mean_over_seeds(|s| ksg_gaussian(rho, ksg::Algorithm::One, s));
        let truth = bivariate_gaussian_mi(rho);
        assert!((est - truth).abs() < tol, "ρ={rho}: KSG1 {est} vs {truth}");
    }
}

#[test]
fn ksg2_bivariate_gaussian() {
    // Measured over 20 seeds at n = 5000, k = 3 (bias, sd of one run):
    // ρ=0: (−0.0040, 0.0108); 0.3: (−0.0019, 0.0086); 0.6: (+0.0005, 0.0106);
    // 0.9: (+0.0016, 0.0159). Allowed for the mean of 5 runs: |bias| + 4 sd/√5,
    // rounded up: 0.024, 0.018, 0.020, 0.030 → 0.025, 0.02, 0.02, 0.03.
    for (rho, tol) in [(0.0, 0.025), (0.3, 0.02), (0.6, 0.02), (0.9, 0.03)] {
        let est = mean_over_seeds(|s| ksg_gaussian(rho, ksg::Algorithm::Two, s));
        let truth = bivariate_gaussian_mi(rho);
        assert!((est - truth).abs() < tol, "ρ={rho}: KSG2 {est} vs {truth}");
    }
}

#[test]
fn independent_uniforms_are_near_zero() {
    // Measured over 20 seeds at n = 5000 (bias, sd of one run): KSG1 (−0.0018, 0.0110),
    // KSG2 (−0.0042, 0.0117). Allowed for the mean of 5 runs: |bias| + 4 sd/√5 =
    // 0.022, 0.025 → 0.025, 0.03. Negative values are reported as computed.
    for (alg, tol) in [(ksg::Algorithm::One, 0.025), (ksg::Algorithm::Two, 0.03)] {
        let est = mean_over_seeds(|s| {
            let (x, y) = uniform_pair(N, s);
            ksg::mi(&x, &y, 3, alg)
        });
        assert!(est.abs() < tol, "{alg:?}: {est}");
    }
}

#[test]
fn ksg_is_invariant_under_monotone_transforms_within_noise() {
    // KSG is exactly invariant only under transforms that keep each marginal's
    // neighbour order *and* the joint max-norm geometry; after per-column unit-sd
    // scaling a cube or an exponential keeps the order but reshapes the joint cloud,
    // so the estimate changes by estimator noise only. Measured over 20 seeds (mean,
    // sd of one run): I(X;Y) − I(X³;Y) (+0.0034, 0.0091), I(X;Y) − I(X;e^Y)
    // (+0.0024, 0.0080). Allowed for the mean of 5 runs: |mean| + 4 sd/√5 = 0.020,
    // 0.017 → 0.025 both.
    let a = mean_over_seeds(|s| monotone_difference(s).0);
    let b = mean_over_seeds(|s| monotone_difference(s).1);
    assert!(a.abs() < 0.025, "x³: {a}");
    assert!(b.abs() < 0.025, "exp(y): {b}");
}

#[test]
fn ksg_on_ranks_is_exactly_invariant() {
    // On rank-transformed columns a strictly monotone transform changes nothing at all.
    let (x, y) = gaussian_pair(0.6, 2000, 5);
    let rank = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        for (pos, &i) in idx.iter().enumerate() {
            r[i] = pos as f64;
        }
        r
    };
    let cubed: Vec<f64> = x.iter().map(|v| v * v * v + 2.0 * v).collect();
    for alg in [ksg::Algorithm::One, ksg::Algorithm::Two] {
        let a = ksg::mi(&rank(&x), &rank(&y), 3, alg);
        let b = ksg::mi(&rank(&cubed), &rank(&y), 3, alg);
        assert_eq!(a, b);
    }
}

#[test]
fn ross_two_class_gaussian_matches_numerical_integration() {
    let truth = two_class_mi(2.0);
    // Sanity of the integral: μ = 0 carries no information; μ = 2 lies between the
    // bounds 0 and ln 2.
    assert!(two_class_mi(0.0).abs() < 1e-9);
    assert!(truth > 0.2 && truth < std::f64::consts::LN_2);
    // Measured over 20 seeds at n = 5000, k = 3: bias +0.0004, sd 0.0092 (one run).
    // Allowed for the mean of 5 runs: |bias| + 4 sd/√5 = 0.017 → 0.02.
    let est = mean_over_seeds(ross_two_class);
    assert!((est - truth).abs() < 0.02, "Ross {est} vs {truth}");
}

#[test]
fn ross_ignores_singleton_classes_and_small_classes_use_fewer_neighbours() {
    // A class with one member is dropped; a class with two members uses k_i = 1.
    let (mut x, c) = two_class(2.0, 500, 9);
    let mut d: Vec<u32> = c.iter().map(|&v| v as u32).collect();
    x.push(100.0);
    d.push(7);
    x.extend([50.0, 50.5]);
    d.extend([8, 8]);
    let est = ross::mi(&x, &d, 3);
    assert!(est.is_finite() && est > 0.1, "{est}");
}

#[test]
fn strip_search_equals_the_kd_tree_exactly() {
    // The fast strip index must give the very same estimate as the k-d tree, bit for
    // bit, on tie-free data: weak and strong dependence, heavy tails, several k.
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let heavy_x: Vec<f64> = (0..20_000)
        .map(|_| rng.sample::<f64, _>(StandardNormal).powi(3))
        .collect();
    let heavy_y: Vec<f64> = heavy_x
        .iter()
        .map(|&v| v / (rng.random::<f64>() + 1e-3))
        .collect();
    let (ux, uy) = uniform_pair(20_000, 22);
    let (gx, gy) = gaussian_pair(0.99, 20_000, 23);
    for (x, y) in [(heavy_x, heavy_y), (ux, uy), (gx, gy)] {
        for k in [1, 3, 10] {
            for alg in [ksg::Algorithm::One, ksg::Algorithm::Two] {
                let strips = ksg::mi_with(&x, &y, k, alg, ksg::Search::Strips);
                let tree = ksg::mi_with(&x, &y, k, alg, ksg::Search::KdTree);
                assert_eq!(
                    strips.to_bits(),
                    tree.to_bits(),
                    "k={k} {alg:?}: {strips} vs {tree}"
                );
            }
        }
    }
}

#[test]
fn estimates_are_deterministic() {
    let (x, y) = gaussian_pair(0.5, 20_000, 4);
    for alg in [ksg::Algorithm::One, ksg::Algorithm::Two] {
        let a = ksg::mi(&x, &y, 3, alg);
        let b = ksg::mi(&x, &y, 3, alg);
        assert_eq!(a.to_bits(), b.to_bits());
    }
}

#[test]
fn ksg_permutation_test_reuses_sorted_columns_without_changing_the_null() {
    use mi_workbench::estimate::pair::PreparedPair;
    use mi_workbench::estimate::significance::permutation_test;
    // The KSG permutation test sorts both columns once and re-maps y's ranks per
    // permutation; every null value must equal a fresh estimate on the permuted column.
    let (a, b) = gaussian_pair(0.4, 700, 11);
    let (x, y) = (continuous("x", a), continuous("y", b));
    for estimator in [Estimator::Ksg1, Estimator::Ksg2] {
        let settings = Settings {
            estimator,
            k: 4,
            ..Settings::default()
        };
        let rows: Vec<usize> = (0..700).collect();
        let pair = PreparedPair::new(&x, &y, &rows, &settings).expect("prepared");
        let observed = pair.estimate();
        let fast = pair
            .permutation_test(observed, 40, &|| false)
            .expect("not cancelled");
        let fresh = permutation_test(observed, 700, 40, settings.seed, &|| false, &|perm| {
            pair.estimate_permuted(perm)
        })
        .expect("not cancelled");
        assert_eq!(fast, fresh, "{estimator:?}");
        // And the null is a null: far below the observed dependence (I ≈ 0.087 nats).
        assert!(
            fast.null_high < observed,
            "{estimator:?}: {fast:?} vs {observed}"
        );
    }
}

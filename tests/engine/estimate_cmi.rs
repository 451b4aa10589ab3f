//! Conditional MI against closed forms, through `estimate::triple::cmi_triple` as the
//! app calls it: XOR-type synergy (I(X;Y) = 0, I(X;Y|Z) > 0) and common cause
//! (I(X;Y) > 0, I(X;Y|Z) = 0), in continuous, discrete and mixed forms.
//!
//! Tolerances come from seeded repetitions: the `calibration` example (`cargo run
//! --release --example calibration -- cmi`) computes every estimate under 20 seeds and
//! prints bias and standard deviation. The tests use one seed each and allow
//! |bias| + 4 sd (rounded up), or a theoretical bound where one is stated.

use std::f64::consts::LN_2;

use crate::common::{bivariate_gaussian_mi, continuous, discrete, normals_from};
use mi_workbench::data::Column;
use mi_workbench::estimate::triple::{CmiEstimate, cmi_triple};
use mi_workbench::estimate::{Method, Settings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N: usize = 5000;

/// I(X;Y|Z) with k = 3 and the given seed, as the app computes it; every row is used.
pub(crate) fn run(x: &Column, y: &Column, z: &Column, seed: u64) -> CmiEstimate {
    let settings = Settings {
        k: 3,
        seed,
        ..Settings::default()
    };
    let e = cmi_triple(x, y, z, &settings).expect("estimate");
    assert_eq!(e.n_used, N);
    e
}

fn bits(rng: &mut ChaCha8Rng, n: usize, p: f64) -> Vec<f64> {
    (0..n)
        .map(|_| f64::from(u8::from(rng.random_bool(p))))
        .collect()
}

/// A named scenario: (X, Y, Z) columns, the true I(X;Y), the true I(X;Y|Z) and the
/// method `cmi_triple` must choose.
pub(crate) struct Case {
    pub(crate) x: Column,
    pub(crate) y: Column,
    pub(crate) z: Column,
    pub(crate) mi: f64,
    pub(crate) cmi: f64,
    pub(crate) method: Method,
}

/// X, Y ~ N(0,1) independent, Z = X + Y + N(0,1): I(X;Y) = 0, and the partial
/// correlation is ρ_{XY·Z} = −1/(1+σ²) = −½, so I(X;Y|Z) = −½ ln(1 − ¼) = ½ ln(4/3).
pub(crate) fn continuous_synergy(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (x, y, e) = (
        normals_from(&mut rng, N),
        normals_from(&mut rng, N),
        normals_from(&mut rng, N),
    );
    let z = (0..N).map(|i| x[i] + y[i] + e[i]).collect();
    Case {
        x: continuous("x", x),
        y: continuous("y", y),
        z: continuous("z", z),
        mi: 0.0,
        cmi: bivariate_gaussian_mi(-0.5),
        method: Method::FrenzelPompe,
    }
}

/// Z ~ N(0,1), X = Z + N(0,1), Y = Z + N(0,1): ρ_XY = ½, so I(X;Y) = ½ ln(4/3), and
/// X ⫫ Y | Z.
pub(crate) fn continuous_common_cause(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = normals_from(&mut rng, N);
    let (a, b) = (normals_from(&mut rng, N), normals_from(&mut rng, N));
    let x = (0..N).map(|i| z[i] + a[i]).collect();
    let y = (0..N).map(|i| z[i] + b[i]).collect();
    Case {
        x: continuous("x", x),
        y: continuous("y", y),
        z: continuous("z", z),
        mi: bivariate_gaussian_mi(0.5),
        cmi: 0.0,
        method: Method::FrenzelPompe,
    }
}

/// X, Y fair bits, Z = X xor Y: I(X;Y) = 0, I(X;Y|Z) = H(X) = ln 2.
pub(crate) fn discrete_xor(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (x, y) = (bits(&mut rng, N, 0.5), bits(&mut rng, N, 0.5));
    let z = (0..N).map(|i| f64::from(x[i] != y[i])).collect();
    Case {
        x: discrete("x", x),
        y: discrete("y", y),
        z: discrete("z", z),
        mi: 0.0,
        cmi: LN_2,
        method: Method::PlugIn,
    }
}

/// Z a fair bit, X and Y copies of Z each flipped with probability 0.1: X ⫫ Y | Z and
/// P(X = Y) = 0.82, so I(X;Y) = ln 2 − H_b(0.82).
pub(crate) fn discrete_common_cause(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = bits(&mut rng, N, 0.5);
    let (fx, fy) = (bits(&mut rng, N, 0.1), bits(&mut rng, N, 0.1));
    let x = (0..N).map(|i| f64::from(z[i] != fx[i])).collect();
    let y = (0..N).map(|i| f64::from(z[i] != fy[i])).collect();
    let hb = |p: f64| -p * p.ln() - (1.0 - p) * (1.0 - p).ln();
    Case {
        x: discrete("x", x),
        y: discrete("y", y),
        z: discrete("z", z),
        mi: LN_2 - hb(0.82),
        cmi: 0.0,
        method: Method::PlugIn,
    }
}

/// Continuous XOR: X, Y ~ U(−1,1), Z = [XY > 0] (discrete). X ⫫ Y; given Z the signs
/// of X and Y determine each other and the magnitudes stay independent uniforms, so
/// I(X;Y|Z) = ln 2.
pub(crate) fn mixed_xor_discrete_z(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x: Vec<f64> = (0..N).map(|_| rng.random_range(-1.0..1.0)).collect();
    let y: Vec<f64> = (0..N).map(|_| rng.random_range(-1.0..1.0)).collect();
    let z = (0..N).map(|i| f64::from(x[i] * y[i] > 0.0)).collect();
    Case {
        x: continuous("x", x),
        y: continuous("y", y),
        z: discrete("z", z),
        mi: 0.0,
        cmi: LN_2,
        method: Method::Stratified(mi_workbench::estimate::StratumMethod::Ksg1),
    }
}

/// Z a fair bit, X = 2Z + N(0,1), Y = 2Z + N(0,1): X ⫫ Y | Z, I(X;Y) > 0 (no closed
/// form needed; the test only asks for a clearly positive value).
pub(crate) fn mixed_common_cause_discrete_z(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = bits(&mut rng, N, 0.5);
    let (a, b) = (normals_from(&mut rng, N), normals_from(&mut rng, N));
    let x = (0..N).map(|i| 2.0 * z[i] + a[i]).collect();
    let y = (0..N).map(|i| 2.0 * z[i] + b[i]).collect();
    Case {
        x: continuous("x", x),
        y: continuous("y", y),
        z: discrete("z", z),
        mi: f64::NAN,
        cmi: 0.0,
        method: Method::Stratified(mi_workbench::estimate::StratumMethod::Ksg1),
    }
}

/// X a fair bit, Z ~ U(0,1), Y = (Z + X/2 + U(0,½)) mod 1. Y is uniform whatever X
/// is, so I(X;Y) = 0; given Z, X = 0 puts Y in [Z, Z+½) and X = 1 in [Z+½, Z+1)
/// (mod 1), so (Y, Z) determines X and I(X;Y|Z) = H(X) = ln 2.
pub(crate) fn mixed_xor_discrete_x(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = bits(&mut rng, N, 0.5);
    let z: Vec<f64> = (0..N).map(|_| rng.random::<f64>()).collect();
    let y = (0..N)
        .map(|i| (z[i] + 0.5 * x[i] + 0.5 * rng.random::<f64>()).fract())
        .collect();
    Case {
        x: discrete("x", x),
        y: continuous("y", y),
        z: continuous("z", z),
        mi: 0.0,
        cmi: LN_2,
        method: Method::FrenzelPompe,
    }
}

/// Z ~ N(0,1), X = [Z + N(0,1) > 0] (discrete), Y = Z + N(0,1): X ⫫ Y | Z, I(X;Y) > 0.
pub(crate) fn mixed_common_cause_discrete_x(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = normals_from(&mut rng, N);
    let (a, b) = (normals_from(&mut rng, N), normals_from(&mut rng, N));
    let x = (0..N).map(|i| f64::from(z[i] + a[i] > 0.0)).collect();
    let y = (0..N).map(|i| z[i] + b[i]).collect();
    Case {
        x: discrete("x", x),
        y: continuous("y", y),
        z: continuous("z", z),
        mi: f64::NAN,
        cmi: 0.0,
        method: Method::FrenzelPompe,
    }
}

/// X a fair bit, Z ~ U(0,1), Y = X xor [Z > ½]: both X and Y discrete with a
/// continuous conditioner. Y is a fair bit independent of X, so I(X;Y) = 0; given Z,
/// Y is a function of X, so I(X;Y|Z) = H(Y|Z) = ln 2.
pub(crate) fn discrete_xy_continuous_z(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = bits(&mut rng, N, 0.5);
    let z: Vec<f64> = (0..N).map(|_| rng.random::<f64>()).collect();
    let y = (0..N)
        .map(|i| f64::from((x[i] > 0.5) != (z[i] > 0.5)))
        .collect();
    Case {
        x: discrete("x", x),
        y: discrete("y", y),
        z: continuous("z", z),
        mi: 0.0,
        cmi: LN_2,
        method: Method::FrenzelPompe,
    }
}

/// Checks one scenario averaged over seeds 1..=4: method, I(X;Y) and I(X;Y|Z) within
/// tolerances. Averaging 4 runs halves the noise, so a tolerance of |bias| + 4 sd of
/// one run becomes |bias| + 2 sd. A NaN true MI means "clearly positive": the mean
/// must exceed `mi_tol`.
fn check(make: fn(u64) -> Case, mi_tol: f64, cmi_tol: f64) {
    let seeds = 1..=4u64;
    let (mut mi, mut cmi) = (0.0, 0.0);
    let mut truth = None;
    for s in seeds.clone() {
        let c = make(s);
        let e = run(&c.x, &c.y, &c.z, s);
        assert_eq!(e.method, c.method);
        mi += e.mi;
        cmi += e.cmi;
        truth = Some((c.mi, c.cmi));
    }
    let runs = seeds.count() as f64;
    let (mi, cmi) = (mi / runs, cmi / runs);
    let (true_mi, true_cmi) = truth.expect("seeds");
    if true_mi.is_nan() {
        assert!(mi > mi_tol, "I(X;Y) = {mi} should be clearly positive");
    } else {
        assert!((mi - true_mi).abs() < mi_tol, "I(X;Y) = {mi} vs {true_mi}");
    }
    assert!(
        (cmi - true_cmi).abs() < cmi_tol,
        "I(X;Y|Z) = {cmi} vs {true_cmi}"
    );
}

// Figures quoted below are from the `calibration` example (20 seeds, one run each):
// bias and sd.

#[test]
fn continuous_synergy_is_revealed() {
    // I(X;Y): (−0.004, 0.0115) → 0.027 → 0.03. I(X;Y|Z): (+0.004, 0.0133) → 0.031 → 0.035.
    check(continuous_synergy, 0.03, 0.035);
}

#[test]
fn continuous_common_cause_is_explained_away() {
    // I(X;Y): (−0.002, 0.017) → 0.036 → 0.04. I(X;Y|Z): (−0.003, 0.009) → 0.021 → 0.025.
    check(continuous_common_cause, 0.04, 0.025);
}

#[test]
fn discrete_xor_is_revealed() {
    // Plug-in. I(X;Y) under independence is χ²₁/(2N) (mean 1e-4, 99.99% point 1.5e-3);
    // I(X;Y|Z) = Ĥ(X|Z) for Z = X xor Y, within O(1/N) of ln 2 for near-fair bits
    // (measured: bias −0.0003, sd 0.0003). Allowed 0.003 for both.
    check(discrete_xor, 0.003, 0.003);
}

#[test]
fn discrete_common_cause_is_explained_away() {
    // I(X;Y): (+0.002, 0.0078) → 0.018 → 0.02. I(X;Y|Z): a sum over two strata of
    // χ²₁/(2N), 99.99% point ≈ 18.4/(2N) = 0.0018 → 0.003.
    check(discrete_common_cause, 0.02, 0.003);
}

#[test]
fn continuous_xor_with_discrete_conditioner() {
    // I(X;Y): (−0.002, 0.011) → 0.024 → 0.03. Stratified KSG-1 I(X;Y|Z):
    // (−0.018, 0.011) → 0.040 → 0.045; the density jumps at the axes and the square's
    // edges bias kNN estimates low.
    check(mixed_xor_discrete_z, 0.03, 0.045);
}

#[test]
fn common_cause_with_discrete_conditioner() {
    // I(X;Y): mean 0.176, sd 0.015 → clearly above 0.1. I(X;Y|Z): (−0.000, 0.011)
    // → 0.023 → 0.025.
    check(mixed_common_cause_discrete_z, 0.1, 0.025);
}

#[test]
fn xor_with_discrete_x_and_continuous_conditioner() {
    // Ross I(X;Y): (−0.000, 0.006) → 0.013 → 0.015. Mixed Frenzel–Pompe I(X;Y|Z):
    // (−0.025, 0.002) → 0.029 → 0.035; the bias comes from the edges of the uniform
    // bands, where kNN balls straddle the density jump.
    check(mixed_xor_discrete_x, 0.015, 0.035);
}

#[test]
fn common_cause_with_discrete_x_and_continuous_conditioner() {
    // Ross I(X;Y): mean 0.085, sd 0.008 → clearly above 0.05. Mixed Frenzel–Pompe
    // I(X;Y|Z): (−0.000, 0.006) → 0.012 → 0.015.
    check(mixed_common_cause_discrete_x, 0.05, 0.015);
}

#[test]
fn xor_with_discrete_x_and_y_and_continuous_conditioner() {
    // Plug-in I(X;Y): χ²₁/(2N) bound as above → 0.003. Mixed Frenzel–Pompe (both
    // coordinates matched exactly) I(X;Y|Z): (−0.0005, 0.0078) → 0.016 → 0.02.
    check(discrete_xy_continuous_z, 0.003, 0.02);
}

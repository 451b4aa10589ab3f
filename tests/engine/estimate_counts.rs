//! Plug-in (counting) estimators against exact discrete tables.
//!
//! The spreads quoted beside the tolerances come from the `calibration` example
//! (`cargo run --release --example calibration -- counts`).

use crate::common::mean_sd;
use mi_workbench::estimate::Units;
use mi_workbench::estimate::discrete::{cmi, entropy, mi};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Exact MI (nats) of a joint probability table p[x][y].
pub(crate) fn table_mi(p: &[Vec<f64>]) -> f64 {
    let px: Vec<f64> = p.iter().map(|row| row.iter().sum()).collect();
    let py: Vec<f64> = (0..p[0].len())
        .map(|j| p.iter().map(|row| row[j]).sum())
        .collect();
    let mut i = 0.0;
    for (a, row) in p.iter().enumerate() {
        for (b, &q) in row.iter().enumerate() {
            if q > 0.0 {
                i += q * (q / (px[a] * py[b])).ln();
            }
        }
    }
    i
}

/// Asymptotic sd of the plug-in MI for a dependent table: the delta method gives
/// Var(Î) ≈ (E[pmi²] − I²)/n with pmi = ln p(x,y)/(p(x)p(y)) (Moddemeijer 1989).
pub(crate) fn table_mi_sd(p: &[Vec<f64>], n: usize) -> f64 {
    let px: Vec<f64> = p.iter().map(|row| row.iter().sum()).collect();
    let py: Vec<f64> = (0..p[0].len())
        .map(|j| p.iter().map(|row| row[j]).sum())
        .collect();
    let mut m2 = 0.0;
    for (a, row) in p.iter().enumerate() {
        for (b, &q) in row.iter().enumerate() {
            if q > 0.0 {
                m2 += q * (q / (px[a] * py[b])).ln().powi(2);
            }
        }
    }
    ((m2 - table_mi(p).powi(2)) / n as f64).sqrt()
}

/// n draws (x, y) from the table.
pub(crate) fn sample_table(p: &[Vec<f64>], n: usize, seed: u64) -> (Vec<u32>, Vec<u32>) {
    let my = p[0].len();
    let flat: Vec<f64> = p.iter().flatten().copied().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let cell = pick(&flat, rng.random::<f64>());
            ((cell / my) as u32, (cell % my) as u32)
        })
        .unzip()
}

/// Index of the cell a uniform u falls into.
fn pick(probs: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (i, &q) in probs.iter().enumerate() {
        acc += q;
        if u < acc {
            return i;
        }
    }
    probs.len() - 1
}

pub(crate) fn uniform_codes(n: usize, m: u32, rng: &mut ChaCha8Rng) -> Vec<u32> {
    (0..n).map(|_| rng.random_range(0..m)).collect()
}

pub(crate) fn two_by_two() -> Vec<Vec<f64>> {
    vec![vec![0.4, 0.1], vec![0.1, 0.4]]
}

/// 4×4 table with the diagonal four times as likely as any other cell.
pub(crate) fn diagonal_4x4() -> Vec<Vec<f64>> {
    (0..4)
        .map(|a| {
            (0..4)
                .map(|b| if a == b { 4.0 / 28.0 } else { 1.0 / 28.0 })
                .collect()
        })
        .collect()
}

/// Common cause: Z uniform on {0,1,2}; X and Y each copy Z with probability 0.8 and are
/// otherwise uniform on {0,1,2}, independently given Z. Returns p[z][x][y].
fn common_cause_table() -> Vec<Vec<Vec<f64>>> {
    let noisy = |z: usize, v: usize| if v == z { 0.8 + 0.2 / 3.0 } else { 0.2 / 3.0 };
    (0..3)
        .map(|z| {
            (0..3)
                .map(|x| (0..3).map(|y| noisy(z, x) * noisy(z, y) / 3.0).collect())
                .collect()
        })
        .collect()
}

pub(crate) fn sample_common_cause(n: usize, seed: u64) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let p = common_cause_table();
    let flat: Vec<f64> = p.iter().flatten().flatten().copied().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for _ in 0..n {
        let cell = pick(&flat, rng.random::<f64>());
        out.0.push(((cell / 3) % 3) as u32);
        out.1.push((cell % 3) as u32);
        out.2.push((cell / 9) as u32);
    }
    out
}

/// Exact I(X;Y|Z) (nats) of a table p[z][x][y]: Σ_z p(z)·I(X;Y | Z = z).
fn table_cmi(p: &[Vec<Vec<f64>>]) -> f64 {
    p.iter()
        .map(|slice| {
            let pz: f64 = slice.iter().flatten().sum();
            let cond: Vec<Vec<f64>> = slice
                .iter()
                .map(|row| row.iter().map(|q| q / pz).collect())
                .collect();
            pz * table_mi(&cond)
        })
        .sum()
}

/// The (X, Y) margin of a table p[z][x][y].
fn marginal_xy(p: &[Vec<Vec<f64>>]) -> Vec<Vec<f64>> {
    let (mx, my) = (p[0].len(), p[0][0].len());
    (0..mx)
        .map(|x| (0..my).map(|y| p.iter().map(|s| s[x][y]).sum()).collect())
        .collect()
}

#[test]
fn two_by_two_table_matches_exact_mi() {
    let p = two_by_two();
    let exact = table_mi(&p);
    // 0.8 ln 1.6 + 0.2 ln 0.4 = 0.192745 nats = 0.278072 bits, as DESIGN.md quotes.
    assert!((Units::Bits.from_nats(exact) - 0.2781).abs() < 5e-5);
    let n = 20_000;
    let (x, y) = sample_table(&p, n, 42);
    let est = mi(&x, &y, false);
    // Delta-method sd of the plug-in MI is 0.0039 here (100 seeds measured 0.0042); the bias
    // is 1/(2n) = 2.5e-5 for a full 2×2 table. 5 sd + bias: false failure < 1e-6.
    let tol = 5.0 * table_mi_sd(&p, n) + 1.0 / (2.0 * n as f64);
    assert!(
        (est - exact).abs() < tol,
        "plug-in {est}, exact {exact}, tol {tol}"
    );
    let est_mm = mi(&x, &y, true);
    assert!(
        (est_mm - exact).abs() < tol,
        "MM {est_mm}, exact {exact}, tol {tol}"
    );
}

#[test]
fn independence_plugin_near_its_bias() {
    // Independent uniform 5×4 codes: 2n·Î is asymptotically χ² with (5−1)(4−1) = 12 degrees
    // of freedom, so E[Î] = 12/(2n) and sd(Î) = √24/(2n); MM removes the mean.
    let n = 5000;
    let df = 12.0;
    let bias = df / (2.0 * n as f64);
    let sd = (2.0 * df).sqrt() / (2.0 * n as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let (mut plain, mut corrected) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        let x = uniform_codes(n, 5, &mut rng);
        let y = uniform_codes(n, 4, &mut rng);
        let est = mi(&x, &y, false);
        // Each of the 100 estimates: the χ²₁₂ 1e-6 upper quantile is 51 (= 12 + 8 sd), so
        // Î < 51/(2n) fails by chance with probability 1e-4 over all 100; never negative.
        assert!((0.0..51.0 / (2.0 * n as f64)).contains(&est), "Î = {est}");
        plain.push(est);
        corrected.push(mi(&x, &y, true));
    }
    // Means of 100 replicates: standard error sd/10; allow 4 SE. Measured over 100 other
    // replicates: plug-in mean 0.001184 (theory 0.0012), sd 0.000506 (theory 0.000490),
    // MM mean −0.000016.
    let (mean, _) = mean_sd(&plain);
    let (mean_mm, _) = mean_sd(&corrected);
    assert!(
        (mean - bias).abs() < 4.0 * sd / 10.0,
        "mean plug-in {mean}, theory {bias}"
    );
    assert!(mean_mm.abs() < 4.0 * sd / 10.0, "mean MM {mean_mm}");
}

#[test]
fn miller_madow_reduces_bias_on_sparse_independent_table() {
    // 10×10 uniform, n = 200: two observations per cell, where the plug-in's bias is large.
    // First-order theory: E[Î] ≈ (10−1)(10−1)/(2n) = 0.2025. Measured over 200 replicates
    // (other seed): plug-in mean 0.236, sd 0.036; MM mean 0.067, sd 0.043. The plug-in sits
    // 16% above the first-order value because at 2 observations per cell the higher-order
    // terms matter (the second-order term alone, (Σ 1/p − 1)/(12n²) for the joint entropy,
    // adds 0.021); MM uses the occupied cells (≈ 86 of 100) and removes 70% of the bias.
    let n = 200;
    let first_order = 81.0 / (2.0 * n as f64);
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let (mut plain, mut corrected) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let x = uniform_codes(n, 10, &mut rng);
        let y = uniform_codes(n, 10, &mut rng);
        plain.push(mi(&x, &y, false));
        corrected.push(mi(&x, &y, true));
    }
    let (mean, sd) = mean_sd(&plain);
    let (mean_mm, _) = mean_sd(&corrected);
    let se = sd / (plain.len() as f64).sqrt(); // ≈ 0.0026
    // Above first order (by the higher-order terms), but within 25% of it.
    assert!(
        mean > first_order - 3.0 * se && mean < 1.25 * first_order,
        "mean plug-in {mean}"
    );
    // The corrected mean is much closer to the true 0: measured ratio 0.28, allow 0.4.
    assert!(
        mean_mm.abs() < 0.4 * mean,
        "mean MM {mean_mm} vs plug-in {mean}"
    );
}

#[test]
fn miller_madow_reduces_bias_on_dependent_table() {
    // 4×4 table with a heavy diagonal, exact MI 0.2326 nats, n = 100 per replicate. Measured
    // over 500 replicates (other seeds): plug-in error mean +0.059, MM +0.016, each with sd
    // 0.079, so the mean of 500 has SE 0.0035 and the two means are 12 SE apart.
    let p = diagonal_4x4();
    let exact = table_mi(&p);
    let (mut plain, mut corrected) = (Vec::new(), Vec::new());
    for s in 0..500 {
        let (x, y) = sample_table(&p, 100, 9000 + s);
        plain.push(mi(&x, &y, false) - exact);
        corrected.push(mi(&x, &y, true) - exact);
    }
    let (bias, sd) = mean_sd(&plain);
    let (bias_mm, _) = mean_sd(&corrected);
    let se = sd / (plain.len() as f64).sqrt();
    assert!(bias > 5.0 * se, "plug-in must be biased upward: {bias}");
    assert!(
        bias_mm.abs() < 0.5 * bias,
        "MM bias {bias_mm} vs plug-in {bias}"
    );
}

#[test]
fn xor_discrete_cmi() {
    let n = 10_000;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x = uniform_codes(n, 2, &mut rng);
    let y = uniform_codes(n, 2, &mut rng);
    let z: Vec<u32> = x.iter().zip(&y).map(|(a, b)| a ^ b).collect();
    let limit = |chi2_quantile: f64| chi2_quantile / (2.0 * n as f64);
    // X ⟂ Y: 2n·Î ~ χ²₁, whose 1e-4 upper quantile is 15.1 (χ²₂'s is 18.4).
    assert!(mi(&x, &y, false) < limit(15.1));
    // Pairwise the three bits are independent, but jointly Y = X xor Z: I(X;Y|Z) = H(X|Z) =
    // ln 2. The plug-in falls short of ln 2 by the per-stratum deviation of X from a fair coin,
    // 2n·(ln 2 − Î) ~ χ²₂ (one degree per value of Z), 1e-4 quantile 18.4.
    let c = cmi(&x, &y, &z, false);
    let ln2 = std::f64::consts::LN_2;
    assert!(c <= ln2 + 1e-12 && ln2 - c < limit(18.4), "I(X;Y|Z) = {c}");
    // Conditioning on Z reveals information: symmetric in X and Y.
    assert!((cmi(&y, &x, &z, false) - c).abs() < 1e-12);
    assert!(mi(&x, &z, false) < limit(15.1));
}

#[test]
fn common_cause_discrete_cmi() {
    let p = common_cause_table();
    let exact_cmi = table_cmi(&p);
    let pxy = marginal_xy(&p);
    let exact_mi = table_mi(&pxy);
    // X ⟂ Y | Z by construction, while Z makes X and Y dependent.
    assert!(exact_cmi.abs() < 1e-15, "exact CMI {exact_cmi}");
    assert!(exact_mi > 0.3, "exact MI {exact_mi}");
    let n = 20_000;
    let (x, y, z) = sample_common_cause(n, 77);
    // I(X;Y) of the 3×3 margin (exact 0.3812): delta-method sd 0.0056 (100 seeds measured
    // 0.0059), bias
    // (3−1)(3−1)/(2n) = 1e-4; 5 sd + bias.
    let est = mi(&x, &y, false);
    let tol = 5.0 * table_mi_sd(&pxy, n) + 4.0 / (2.0 * n as f64);
    assert!(
        (est - exact_mi).abs() < tol,
        "I(X;Y) = {est}, exact {exact_mi}"
    );
    // Under conditional independence 2n·Î(X;Y|Z) ~ χ² with 3·(3−1)(3−1) = 12 degrees of
    // freedom (measured over 100 seeds: mean 0.000318 vs theory 0.000300, sd 0.000134 vs
    // 0.000122); its 1e-4 upper quantile is 39.1.
    let c = cmi(&x, &y, &z, false);
    assert!(
        (0.0..39.1 / (2.0 * n as f64)).contains(&c),
        "I(X;Y|Z) = {c}"
    );
    // MM subtracts the χ² mean, 12/(2n), when all 27 cells are occupied (they are: the
    // rarest has probability 0.0015, expected count 30).
    let c_mm = cmi(&x, &y, &z, true);
    assert!((c - c_mm - 12.0 / (2.0 * n as f64)).abs() < 1e-12);
}

#[test]
fn entropy_plugin_and_miller_madow() {
    // Uniform on 8 categories, n = 1000: E[Ĥ] ≈ ln 8 − 7/(2n); sd of Ĥ for a uniform source
    // vanishes at first order and is ≈ √(2·7)/(2n) (χ²₇ at second order); allow 6 of those.
    let n = 1000;
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let x = uniform_codes(n, 8, &mut rng);
    let h = entropy(&x, false);
    let h_mm = entropy(&x, true);
    let bias = 7.0 / (2.0 * n as f64);
    let tol = 6.0 * 14f64.sqrt() / (2.0 * n as f64);
    assert!(h <= 8f64.ln());
    assert!((h - (8f64.ln() - bias)).abs() < tol, "Ĥ = {h}");
    assert!((h_mm - h - bias).abs() < 1e-12);
    assert!((h_mm - 8f64.ln()).abs() < tol);
}

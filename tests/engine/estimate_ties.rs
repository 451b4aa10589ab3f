//! The tie-aware kNN estimators (GKOV "mixed-ksg", "mixed-ross") on lattices whose MI is
//! computed exactly from their joint tables, and on mixtures with point masses.
//!
//! Tolerances come from seeded repetitions: `cargo run --release --example calibration
//! -- ties` draws every case 20 times (5 at n = 20,000) and prints mean error and sd;
//! each test allows |bias| + 4 sd at the n it checks, rounded up, with the figures quoted.

use crate::common::{continuous, discrete};
use mi_workbench::data::Column;
use mi_workbench::estimate::pair::mi_pair;
use mi_workbench::estimate::{Method, Settings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A joint probability table of two integer-valued variables.
pub(crate) struct Table {
    pub name: &'static str,
    pub cells: Vec<(f64, f64, f64)>,
}

impl Table {
    fn new(name: &'static str, mut cells: Vec<(f64, f64, f64)>) -> Self {
        cells.retain(|c| c.2 > 0.0);
        let total: f64 = cells.iter().map(|c| c.2).sum();
        cells.iter_mut().for_each(|c| c.2 /= total);
        Self { name, cells }
    }

    /// Σ p ln(p / (p_x p_y)), nats.
    pub fn exact_mi(&self) -> f64 {
        let marginal = |pick: fn(&(f64, f64, f64)) -> f64| {
            let mut m: Vec<(f64, f64)> = Vec::new();
            for c in &self.cells {
                match m.iter_mut().find(|e| e.0 == pick(c)) {
                    Some(e) => e.1 += c.2,
                    None => m.push((pick(c), c.2)),
                }
            }
            m
        };
        let (px, py) = (marginal(|c| c.0), marginal(|c| c.1));
        let p_of = |m: &[(f64, f64)], v: f64| m.iter().find(|e| e.0 == v).map_or(0.0, |e| e.1);
        self.cells
            .iter()
            .map(|&(x, y, p)| p * (p / (p_of(&px, x) * p_of(&py, y))).ln())
            .sum()
    }

    /// n draws (inverse CDF over the cells).
    pub fn sample(&self, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut cdf = Vec::with_capacity(self.cells.len());
        let mut acc = 0.0;
        for c in &self.cells {
            acc += c.2;
            cdf.push(acc);
        }
        (0..n)
            .map(|_| {
                let u: f64 = rng.random::<f64>() * acc;
                let i = cdf.partition_point(|&c| c < u).min(self.cells.len() - 1);
                (self.cells[i].0, self.cells[i].1)
            })
            .unzip()
    }
}

fn poisson(lambda: f64, k: usize) -> f64 {
    (k as f64 * lambda.ln() - lambda - (1..=k).map(|i| (i as f64).ln()).sum::<f64>()).exp()
}

fn binomial(n: usize, p: f64, k: usize) -> f64 {
    let ln_choose: f64 = (1..=k).map(|i| ((n - k + i) as f64 / i as f64).ln()).sum();
    (ln_choose + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp()
}

/// The lattices: shifted uniforms, two calendars, a Poisson common shock, binomial
/// thinning, and an independent pair (the case that went far below zero).
pub(crate) fn tables() -> Vec<Table> {
    let mut shifted = Vec::new();
    for x in 0..10 {
        for u in 0..5 {
            shifted.push((x as f64, (x + u) as f64, 1.0));
        }
    }
    let calendar = |months: std::ops::RangeInclusive<usize>| {
        const DAYS: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let mut cells = Vec::new();
        for m in months {
            for d in 1..=DAYS[m - 1] {
                cells.push((m as f64, d as f64, 1.0));
            }
        }
        cells
    };
    let mut shock = Vec::new();
    for x in 0..25 {
        for e in 0..25 {
            shock.push((x as f64, (x + e) as f64, poisson(3.0, x) * poisson(2.0, e)));
        }
    }
    let mut thinning = Vec::new();
    for x in 0..=12 {
        for y in 0..=x {
            thinning.push((
                x as f64,
                y as f64,
                binomial(12, 0.4, x) * binomial(x, 0.6, y),
            ));
        }
    }
    let mut independent = Vec::new();
    for x in 0..20 {
        for d in 1..=31 {
            independent.push((x as f64, d as f64, poisson(2.0, x)));
        }
    }
    vec![
        Table::new("shifted uniforms", shifted),
        Table::new("calendar May-Sep", calendar(5..=9)),
        Table::new("calendar year", calendar(1..=12)),
        Table::new("poisson shock", shock),
        Table::new("binomial thinning", thinning),
        Table::new("independent counts", independent),
    ]
}

/// The app's estimate for two columns read as continuous (default settings, k = 3).
pub(crate) fn continuous_estimate(x: Vec<f64>, y: Vec<f64>, seed: u64) -> (f64, Method) {
    let s = Settings {
        seed,
        ..Settings::default()
    };
    let e = mi_pair(&continuous("x", x), &continuous("y", y), &s).expect("estimate");
    (e.mi, e.method)
}

/// The same pair read as discrete (plug-in, with or without Miller–Madow): the
/// calibration's comparison behind the kind-detection rule.
#[allow(dead_code)]
pub(crate) fn discrete_estimate(x: Vec<f64>, y: Vec<f64>, miller_madow: bool) -> f64 {
    let s = Settings {
        miller_madow,
        ..Settings::default()
    };
    mi_pair(&discrete("x", x), &discrete("y", y), &s)
        .expect("estimate")
        .mi
}

/// With probability p both X and Y are 0 (a point mass); otherwise X ~ U(0,1) and
/// Y = X + U(0,1). B = [X = 0] is a function of X and of Y, so
/// I = H(B) + (1 − p)·I(U; U + V) = H_b(p) + (1 − p)/2 (the triangle's entropy is ½).
pub(crate) fn point_mass_mixture(p: f64, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (x, y) = (0..n)
        .map(|_| {
            if rng.random::<f64>() < p {
                (0.0, 0.0)
            } else {
                let u: f64 = rng.random();
                (u, u + rng.random::<f64>())
            }
        })
        .unzip();
    let hb = -p * p.ln() - (1.0 - p) * (1.0 - p).ln();
    (x, y, hb + (1.0 - p) / 2.0)
}

/// A class C ∈ {0, 1, 2} (equally likely) and a count Y | C ~ Poisson(2 + 2C), the
/// count read as continuous: the Ross form with ties. Exact MI from the table.
pub(crate) fn class_and_count(n: usize, seed: u64) -> (Column, Column, f64) {
    let mut cells = Vec::new();
    for c in 0..3 {
        for y in 0..40 {
            cells.push((c as f64, y as f64, poisson(2.0 + 2.0 * c as f64, y)));
        }
    }
    let t = Table::new("class and count", cells);
    let (c, y) = t.sample(n, seed);
    (discrete("c", c), continuous("y", y), t.exact_mi())
}

pub(crate) const SIZES: [usize; 4] = [150, 500, 2000, 20_000];

/// Allowed |error| (nats) of the tie-aware estimate per n: the largest |bias| + 4 sd
/// over the tables in the calibration (20 seeds, 5 at n = 20,000), rounded up:
/// n = 150: Poisson shock bias +0.024 sd 0.090 (0.38); n = 500: calendar May–Sep +0.060 /
/// 0.030, calendar year −0.006 / 0.046 (0.19); n = 2000: calendar year +0.042 / 0.006, binomial +0.001 / 0.016
/// (0.07); n = 20,000: Poisson shock +0.005 / 0.004 (0.02).
fn tolerance(n: usize) -> f64 {
    match n {
        0..=200 => 0.40,
        201..=1000 => 0.22,
        1001..=5000 => 0.07,
        _ => 0.02,
    }
}

#[test]
fn lattices_match_their_exact_mi_at_every_size() {
    let mut checked = 0;
    for t in tables() {
        let exact = t.exact_mi();
        for (i, &n) in SIZES.iter().enumerate() {
            let (x, y) = t.sample(n, 100 + i as u64);
            let (mi, method) = continuous_estimate(x, y, 1);
            assert_eq!(method, Method::MixedKsg, "{}", t.name);
            assert!(
                (mi - exact).abs() < tolerance(n),
                "{} n={n}: {mi} vs exact {exact}",
                t.name
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
}

/// Month (discrete, 5 values) against day of month (31 values, read as continuous):
/// the airquality table of the issue, through the tie-aware Ross form.
pub(crate) fn month_and_day(n: usize, seed: u64) -> (Column, Column, f64) {
    let t = tables().swap_remove(1);
    let (m, d) = t.sample(n, seed);
    (discrete("month", m), continuous("day", d), t.exact_mi())
}

#[test]
fn no_lattice_estimate_is_far_below_zero() {
    // A single estimate scatters by its sd (0.04 for the sparsest tables at n ≤ 500,
    // whose exact MI is near 0), so one draw can reach −0.07 by noise alone; the
    // systematic part, the mean of 20 seeds (sd of the mean ≤ 0.01), must stay above
    // −0.05 for every table and size. Calibration: lowest mean −0.030 (calendar year,
    // n = 150); the jittered KSG gave −0.2 to −0.4 on these tables.
    let mut checked = 0;
    for t in tables() {
        for n in [150, 500, 2000] {
            let mean = (0..20u64)
                .map(|seed| {
                    let (x, y) = t.sample(n, seed);
                    continuous_estimate(x, y, seed).0
                })
                .sum::<f64>()
                / 20.0;
            assert!(mean > -0.05, "{} n={n}: mean {mean}", t.name);
            checked += 1;
        }
    }
    assert_eq!(checked, 18);
}

#[test]
fn month_against_day_is_near_its_exact_mi() {
    // Calibration (20 seeds): n = 153 bias −0.041 sd 0.044 (|bias| + 4 sd: 0.22), so a
    // single draw can reach −0.11; the mean of 20 draws (sd 0.01) stays above −0.05.
    // Strict counts at the radius (Ross's own) gave +0.31 here, the jittered Ross
    // −0.26 nats (−0.38 bits in the issue).
    let mut sum = 0.0;
    for seed in 0..20 {
        let (m, d, exact) = month_and_day(153, seed);
        let e = mi_pair(&m, &d, &Settings::default()).expect("estimate");
        assert_eq!(e.method, Method::MixedRoss);
        assert!(
            (e.mi - exact).abs() < 0.22,
            "seed {seed}: {} vs {exact}",
            e.mi
        );
        sum += e.mi;
    }
    assert!(sum / 20.0 > -0.05, "mean {}", sum / 20.0);
}

#[test]
fn point_mass_mixtures_match_the_closed_form() {
    // Calibration (20 seeds, n = 2000): bias −0.041 to −0.048, sd 0.015 to 0.029 for
    // p = 0.1..0.5, so |bias| + 4 sd ≤ 0.16, rounded up to 0.18. (KSG's own bias on
    // the uniform's edges.)
    for p in [0.1, 0.3, 0.5] {
        let (x, y, exact) = point_mass_mixture(p, 2000, 7);
        let (mi, method) = continuous_estimate(x, y, 7);
        assert_eq!(method, Method::MixedKsg);
        assert!((mi - exact).abs() < 0.18, "p={p}: {mi} vs {exact}");
    }
}

#[test]
fn tied_counts_against_a_class_use_the_ross_form() {
    // Calibration (20 seeds, n = 2000): bias +0.001, sd 0.013 (4 sd: 0.055).
    let (c, y, exact) = class_and_count(2000, 3);
    let e = mi_pair(&c, &y, &Settings::default()).expect("estimate");
    assert_eq!(e.method, Method::MixedRoss);
    assert!((e.mi - exact).abs() < 0.06, "{} vs {exact}", e.mi);
}

#[test]
fn tie_free_pairs_keep_the_jittered_ksg() {
    let (x, y, _) = point_mass_mixture(0.0, 500, 1);
    let (_, method) = continuous_estimate(x, y, 1);
    assert_eq!(method, Method::Ksg1);
}

#[test]
fn bundled_samples_have_no_estimate_far_below_zero_but_noise() {
    use mi_workbench::analysis::pairs_of;
    use mi_workbench::data::{ReadOptions, read_csv_path};
    use mi_workbench::estimate::pair::PreparedPair;
    use mi_workbench::estimate::prepare::complete_rows;
    let settings = Settings::default();
    let (mut pairs, mut explained) = (0, 0);
    for name in [
        "penguins.csv",
        "wine.csv",
        "diabetes.csv",
        "breast_cancer.csv",
    ] {
        let ds = read_csv_path(&crate::common::sample(name), &ReadOptions::default())
            .expect("bundled sample");
        for (x, y) in pairs_of(&ds.default_included()) {
            let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
            let rows = complete_rows(&[cx, cy]);
            let Ok(p) = PreparedPair::new(cx, cy, &rows, &settings) else {
                continue;
            };
            pairs += 1;
            let mi = p.estimate();
            if mi >= -0.05 {
                continue;
            }
            // A kNN estimate of an independent pair scatters around zero with the
            // spread of its permutation null; a value below −0.05 is allowed only when
            // it lies within 4 null sds of the null mean (noise, drawn as ≈ 0), never
            // a systematic tie artefact (those were −0.1 to −0.4 before mixed-ksg).
            let t = p
                .permutation_test(mi, 99, &|| false)
                .expect("not cancelled");
            assert!(
                mi > t.null_mean - 4.0 * t.null_sd && t.null_mean > -0.05,
                "{name}: {} × {}: {mi} ({:?}) null {} ± {}",
                cx.name,
                cy.name,
                p.method,
                t.null_mean,
                t.null_sd
            );
            explained += 1;
        }
    }
    // 4 of the 585 pairs (two in wine at n = 178, two in breast_cancer) fall in the
    // −0.08..−0.05 band of KSG's own noise; the jittered KSG-1 had them at −0.04..−0.07.
    assert!(
        pairs > 500 && explained <= 6,
        "{pairs} pairs, {explained} below −0.05"
    );
}

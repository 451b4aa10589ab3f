//! Helpers shared by the test crates and the measurement examples: paths of the bundled
//! data, seeded data generators, closed forms and summary statistics. Nothing here links
//! egui; the GUI-only helpers (harness, stepping, click positions) are in `gui.rs`, which
//! this module deliberately does not declare.
//!
//! Included with `#[path = "../common/mod.rs"] mod common;` from `tests/<crate>/main.rs`,
//! `mod common;` from a file directly in `tests/`, and
//! `#[path = "../tests/common/mod.rs"] mod common;` from `examples/`.
// Each crate uses a different subset of these helpers.
#![allow(dead_code)]

use mi_workbench::data::{Column, ColumnKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::path::PathBuf;

/// The crate's root folder (where `sample_data/` and `tests/fixtures/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled sample dataset by file name.
pub fn sample(name: &str) -> PathBuf {
    root().join("sample_data").join(name)
}

/// A file of `tests/fixtures/malformed/` by name (`""`: the folder itself).
pub fn malformed(name: &str) -> PathBuf {
    root().join("tests/fixtures/malformed").join(name)
}

/// A dataset column of the given kind.
pub fn col(name: &str, values: Vec<f64>, kind: ColumnKind) -> Column {
    Column::with_kind(name, values, kind)
}

/// A continuous dataset column.
pub fn continuous(name: &str, values: Vec<f64>) -> Column {
    col(name, values, ColumnKind::Continuous)
}

/// A discrete dataset column.
pub fn discrete(name: &str, values: Vec<f64>) -> Column {
    col(name, values, ColumnKind::Discrete)
}

/// n standard normal draws from `rng` (which moves on).
pub fn normals_from(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| rng.sample(StandardNormal)).collect()
}

/// n standard normal draws from a fresh stream seeded with `seed`.
pub fn normals(n: usize, seed: u64) -> Vec<f64> {
    normals_from(&mut ChaCha8Rng::seed_from_u64(seed), n)
}

/// n draws of a standard bivariate Gaussian with correlation ρ: x = a,
/// y = ρa + √(1 − ρ²)b, with a, b drawn alternately from one seeded stream.
pub fn gaussian_pair(rho: f64, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let c = (1.0 - rho * rho).sqrt();
    (0..n)
        .map(|_| {
            let a: f64 = rng.sample(StandardNormal);
            let b: f64 = rng.sample(StandardNormal);
            (a, rho * a + c * b)
        })
        .unzip()
}

/// The bivariate Gaussian's MI in nats, I = −½ ln(1 − ρ²).
pub fn bivariate_gaussian_mi(rho: f64) -> f64 {
    -0.5 * (1.0 - rho * rho).ln()
}

/// Mean and sample standard deviation (divisor n − 1, at least 1) of `v`.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (m, var.sqrt())
}

//! Selection stability (the idea of Meinshausen and Bühlmann 2010): the selection is
//! rerun on B seeded random halves of the rows, and each candidate's frequency is the
//! fraction of reruns that put it in the top K (K = the number selected). Robust picks
//! have a frequency near 1; a pick that depends on a few rows, near 0.
//!
//! Halves without replacement, as Meinshausen and Bühlmann use, rather than bootstrap
//! resamples: a bootstrap repeats rows, and repeated points sit at distance zero from
//! each other, which the k-NN estimators would read as strong dependence. Each rerun
//! re-estimates relevance and redundancy on its half; the candidates are the ones the
//! screen passed on all rows (re-screening B times would cost B × the permutations), and
//! the noise floor ε, and the bar a reserve feature's conditional score must clear, are
//! scaled by √2 for half the rows (a k-NN estimate's sd goes as 1/√n). Resamples run in parallel; the result does not depend on the thread count.

use super::{Candidate, MrmrOptions, ReserveTest, greedy};
use crate::analysis::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::Settings;
use crate::estimate::pair::mi_pair;
use rayon::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Stability {
    pub resamples: usize,
    /// Rows in each half-sample.
    pub rows: usize,
    /// (feature, fraction of resamples with it in the top K), every candidate.
    pub frequency: Vec<(usize, f64)>,
}

impl Stability {
    pub fn frequency_of(&self, feature: usize) -> Option<f64> {
        self.frequency
            .iter()
            .find(|(f, _)| *f == feature)
            .map(|&(_, v)| v)
    }
}

/// Seed of resample `b`: distinct streams for nearby seeds and indices.
fn resample_seed(seed: u64, b: usize) -> u64 {
    seed ^ (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    ds: &Dataset,
    target: usize,
    (pool, test): (&[Candidate], Option<ReserveTest>),
    select: usize,
    options: &MrmrOptions,
    floor: f64,
    settings: &Settings,
    progress: &Progress,
) -> Result<Stability, Cancelled> {
    let b = options.stability;
    progress.start("mRMR stability", b);
    let half = ds.n_rows / 2;
    let counts: Vec<Vec<usize>> = (0..b)
        .into_par_iter()
        .map(|i| {
            if progress.is_cancelled() {
                return Vec::new();
            }
            let sub = ds
                .subsample(half, resample_seed(settings.seed, i))
                .unwrap_or_else(|| ds.clone());
            let t = &sub.columns[target];
            let sub_pool: Vec<Candidate> = pool
                .iter()
                .filter_map(|c| {
                    let r = mi_pair(&sub.columns[c.feature], t, settings).ok()?.mi;
                    Some(Candidate {
                        relevance: r,
                        gate: c.gate.map(|g| g * std::f64::consts::SQRT_2),
                        ..*c
                    })
                })
                .collect();
            let rows = greedy(
                &sub,
                target,
                (&sub_pool, test),
                select,
                options.method,
                floor * std::f64::consts::SQRT_2,
                settings,
                &|| progress.is_cancelled(),
                &|| {},
            );
            progress.add(1);
            rows.iter().map(|r| r.feature).collect()
        })
        .collect();
    progress.check()?;
    let frequency = pool
        .iter()
        .map(|c| {
            let hits = counts
                .iter()
                .filter(|picked| picked.contains(&c.feature))
                .count();
            (c.feature, hits as f64 / b.max(1) as f64)
        })
        .collect();
    Ok(Stability {
        resamples: b,
        rows: half,
        frequency,
    })
}

//! The relevance screen: a feature whose relevance I(f;T) is indistinguishable from zero
//! is not a candidate, so estimator noise can never be picked.
//!
//! Per feature, B seeded permutations of the target give the relevance's null
//! distribution at this n, with this estimator and this feature's own distribution
//! (ties, categories, missing rows): its mean μ₀ (the estimator's bias under
//! independence) and its sd σ₀. The feature passes when
//!
//!   R > μ₀ + z·σ₀,   z = Φ⁻¹(1 − α/m),  α = 0.05, m = features tested,
//!
//! a one-sided Bonferroni bound: with m noise features, all are screened out with
//! probability about 1 − α. The Gaussian tail of the null is used because an empirical
//! permutation p-value cannot go below 1/(B + 1), far above α/m for any affordable B
//! (m = 200 would need B ≈ 4000 per feature); `examples/screen_calibration.rs` measures
//! how often null features pass (the Gaussian tail holds for the k-NN estimators; for
//! plug-in MI on few categories the null is skewed, a χ²/(2n), and the rate is higher,
//! measured there too).
//!
//! The screen looks at each feature alone. JMI and CMIM also see what a feature says
//! given the selected ones, and a feature can be nearly silent alone yet informative
//! given others (y = 9·x₁ + x₂: x₂'s relevance is ≈ 0.006 nats, I(x₂;y|x₁) is large). So
//! for those two methods a screened-out feature stays in reserve: at a step where its
//! conditional score (mean or min of I(f;T|s)⁺) exceeds its own bar μ₀ + z·σ₀, it is
//! a candidate; before it is picked, the term its score rests on, I(f;T|s), must also beat
//! a conditional permutation null by z sd (conditioning inflates the estimators' bias, so
//! the bar of the relevance alone is too low: `mrmr::ReserveTest`); when only reserve
//! features are left and none clears both, the ranking stops. The export marks such a
//! pick `conditional`. The exported `p_value` is the plain permutation p-value
//! (1 + #{null ≥ R})/(1 + B) and `p_adjusted` its Benjamini–Hochberg adjustment over the
//! m features.

use crate::analysis::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::Settings;
use crate::estimate::pair::PreparedPair;
use crate::estimate::prepare::complete_rows;
use crate::estimate::significance::{PermutationResult, benjamini_hochberg};
use crate::estimate::special::inverse_normal_cdf;
use rayon::prelude::*;

/// Permutations per feature when the screen runs and none were asked for: enough for
/// σ₀ within about ±13% (relative sd of a sample sd, 1/√(2(B−1))).
pub const DEFAULT_PERMUTATIONS: usize = 30;
/// Family-wise level of the screen.
pub const ALPHA: f64 = 0.05;

/// One candidate's relevance and, when tested, its permutation null.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureRelevance {
    pub feature: usize,
    /// I(f;T), nats; NaN when the pair has too little data.
    pub relevance: f64,
    pub n_used: usize,
    pub null: Option<PermutationResult>,
    /// Benjamini–Hochberg over the features tested.
    pub p_adjusted: Option<f64>,
    /// Why there is no estimate (too few complete rows).
    pub no_data: Option<String>,
}

impl FeatureRelevance {
    /// The screen's threshold μ₀ + z·σ₀ (None when untested).
    pub fn threshold(&self, z: f64) -> Option<f64> {
        self.null.map(|n| n.null_mean + z * n.null_sd)
    }

    /// Distinguishable from zero at the screen's z (true when untested).
    pub fn passes(&self, z: f64) -> bool {
        self.no_data.is_none() && self.threshold(z).is_none_or(|t| self.relevance > t)
    }
}

/// What the screen decided with, for the export and the window.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenInfo {
    /// Whether screened-out features were removed from the candidates.
    pub on: bool,
    pub permutations: usize,
    pub z: f64,
    /// ε of [`super::criteria`], nats.
    pub noise_floor: f64,
}

/// z = Φ⁻¹(1 − α/m).
pub fn critical_z(tested: usize) -> f64 {
    inverse_normal_cdf(1.0 - ALPHA / tested.max(1) as f64)
}

/// Relevance of every feature and, with `permutations` > 0, its permutation null.
pub fn relevances(
    ds: &Dataset,
    target: usize,
    features: &[usize],
    permutations: usize,
    settings: &Settings,
    progress: &Progress,
) -> Result<Vec<FeatureRelevance>, Cancelled> {
    let t = &ds.columns[target];
    let mut out: Vec<FeatureRelevance> = features
        .par_iter()
        .map(|&f| {
            let c = &ds.columns[f];
            let rows = complete_rows(&[c, t]);
            let mut r = FeatureRelevance {
                feature: f,
                relevance: f64::NAN,
                n_used: rows.len(),
                null: None,
                p_adjusted: None,
                no_data: None,
            };
            if !progress.is_cancelled() {
                match PreparedPair::new(c, t, &rows, settings) {
                    Err(e) => r.no_data = Some(e.to_string()),
                    Ok(p) => {
                        r.relevance = p.estimate();
                        if permutations > 0 {
                            r.null = p.permutation_test(r.relevance, permutations, &|| {
                                progress.is_cancelled()
                            });
                        }
                    }
                }
            }
            progress.add(1 + permutations);
            r
        })
        .collect();
    progress.check()?;
    let p: Vec<f64> = out
        .iter()
        .map(|r| r.null.map_or(f64::NAN, |n| n.p_value))
        .collect();
    for (r, adj) in out.iter_mut().zip(benjamini_hochberg(&p)) {
        r.p_adjusted = (!adj.is_nan()).then_some(adj);
    }
    Ok(out)
}

/// ε: the median null sd over the tested features; without a null, or when every null
/// is degenerate (a constant column), 1/n, the resolution of a count-based estimate.
pub fn noise_floor(rel: &[FeatureRelevance], n: usize) -> f64 {
    let mut sds: Vec<f64> = rel
        .iter()
        .filter_map(|r| r.null.map(|n| n.null_sd))
        .filter(|s| s.is_finite())
        .collect();
    sds.sort_by(f64::total_cmp);
    let median = sds.get(sds.len() / 2).copied().unwrap_or(0.0);
    if median > 0.0 {
        median
    } else {
        1.0 / n.max(1) as f64
    }
}

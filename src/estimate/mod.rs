//! Estimators: pure functions of columns, all in nats internally.
//!
//! Raw estimators take prepared slices (no missing values): [`discrete`], [`histogram`],
//! [`ksg`], [`ross`], [`cmi_knn`], [`correlation`]. [`pair`] picks the estimator for a
//! pair of dataset columns, extracts the pairwise-complete rows ([`prepare`]) and reports
//! the sample size actually used.

pub mod association;
pub mod cmi_knn;
pub mod cmi_null;
pub mod cmi_pairs;
pub mod correlation;
pub mod discrete;
pub mod histogram;
pub mod knn;
pub mod ksg;
pub mod mixed;
pub mod multi;
pub mod normalised;
pub mod pair;
pub mod parallel;
pub mod prepare;
pub mod ross;
pub mod significance;
pub mod special;
pub mod triple;

use serde::{Deserialize, Serialize};

/// Units in which results are shown; estimates are always computed in nats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Units {
    Bits,
    #[default]
    Nats,
}

impl Units {
    pub fn from_nats(self, nats: f64) -> f64 {
        match self {
            Units::Nats => nats,
            Units::Bits => nats / std::f64::consts::LN_2,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Units::Bits => "bits",
            Units::Nats => "nats",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bits" | "bit" => Some(Units::Bits),
            "nats" | "nat" => Some(Units::Nats),
            _ => None,
        }
    }
}

/// The estimator asked for. `Auto` chooses per pair by column kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Estimator {
    #[default]
    Auto,
    Ksg1,
    Ksg2,
    Histogram,
    Gaussian,
    Copula,
    PlugIn,
}

impl Estimator {
    pub const ALL: [Estimator; 7] = [
        Self::Auto,
        Self::Ksg1,
        Self::Ksg2,
        Self::Histogram,
        Self::Gaussian,
        Self::Copula,
        Self::PlugIn,
    ];
    /// The name used on the command line and in exports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Ksg1 => "ksg1",
            Self::Ksg2 => "ksg2",
            Self::Histogram => "hist",
            Self::Gaussian => "gauss",
            Self::Copula => "copula",
            Self::PlugIn => "plugin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s.trim()))
    }
    /// One line explaining the choice (tooltips and `--help`).
    pub fn explain(self) -> &'static str {
        match self {
            Self::Auto => {
                "plug-in for discrete pairs, Ross kNN for discrete–continuous, KSG-1 for continuous pairs"
            }
            Self::Ksg1 => {
                "Kraskov–Stögbauer–Grassberger kNN estimator, algorithm 1 (low bias, max-norm)"
            }
            Self::Ksg2 => {
                "KSG algorithm 2: rectangle neighbourhoods, slightly less bias, more variance"
            }
            Self::Histogram => {
                "bin each continuous column (rule below) and count: fast, biased by the bin choice"
            }
            Self::Gaussian => {
                "−½·ln(1−ρ²) from Pearson ρ: exact if the pair is jointly Gaussian, linear only"
            }
            Self::Copula => {
                "Gaussian formula on rank-normal scores: invariant to monotone transforms"
            }
            Self::PlugIn => {
                "count joint frequencies of discrete values (continuous columns are binned)"
            }
        }
    }
}

/// Rule choosing a histogram's bin count from the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinRule {
    Fixed(usize),
    Sqrt,
    Sturges,
    Scott,
    #[default]
    FreedmanDiaconis,
}

impl BinRule {
    pub const RULES: [BinRule; 4] = [
        Self::Sqrt,
        Self::Sturges,
        Self::Scott,
        Self::FreedmanDiaconis,
    ];
    pub fn name(self) -> String {
        match self {
            Self::Fixed(n) => n.to_string(),
            Self::Sqrt => "sqrt".into(),
            Self::Sturges => "sturges".into(),
            Self::Scott => "scott".into(),
            Self::FreedmanDiaconis => "fd".into(),
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "sqrt" => Some(Self::Sqrt),
            "sturges" => Some(Self::Sturges),
            "scott" => Some(Self::Scott),
            "fd" | "freedman-diaconis" | "freedman_diaconis" => Some(Self::FreedmanDiaconis),
            _ => s.parse::<usize>().ok().filter(|&n| n >= 1).map(Self::Fixed),
        }
    }
}

/// How bin edges are placed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinStrategy {
    #[default]
    EqualWidth,
    EqualFrequency,
}

impl BinStrategy {
    pub fn name(self) -> &'static str {
        match self {
            Self::EqualWidth => "equal-width",
            Self::EqualFrequency => "equal-frequency",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "equal-width" | "width" | "ew" => Some(Self::EqualWidth),
            "equal-frequency" | "frequency" | "quantile" | "ef" => Some(Self::EqualFrequency),
            _ => None,
        }
    }
}

/// Everything that determines an estimate besides the data.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub estimator: Estimator,
    /// Neighbours for the kNN estimators (KSG, Ross, Frenzel–Pompe).
    pub k: usize,
    pub bins: BinRule,
    pub strategy: BinStrategy,
    /// Miller–Madow bias correction for plug-in and histogram estimates.
    pub miller_madow: bool,
    /// Seed for tie-breaking jitter, permutations and subsamples.
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            estimator: Estimator::Auto,
            k: 3,
            bins: BinRule::FreedmanDiaconis,
            strategy: BinStrategy::EqualWidth,
            miller_madow: false,
            seed: 42,
        }
    }
}

/// The estimator that actually produced a number (what `auto` resolved to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    PlugIn,
    Histogram,
    Ksg1,
    Ksg2,
    Ross,
    /// GKOV tie-aware KSG (columns with repeated values; see [`mixed`]).
    MixedKsg,
    /// Ross with GKOV's zero-distance counts (a continuous column with repeated values).
    MixedRoss,
    Gaussian,
    Copula,
    /// Frenzel–Pompe kNN conditional MI (with exact matching on discrete coordinates).
    FrenzelPompe,
    /// Conditional MI averaged over the strata of a discrete conditioner.
    Stratified(StratumMethod),
}

/// The pair estimator used inside each stratum of a discrete conditioner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StratumMethod {
    PlugIn,
    Histogram,
    Ksg1,
    Ksg2,
    Ross,
    MixedKsg,
    MixedRoss,
    Gaussian,
    Copula,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Self::PlugIn => "plugin",
            Self::Histogram => "hist",
            Self::Ksg1 => "ksg1",
            Self::Ksg2 => "ksg2",
            Self::Ross => "ross",
            Self::MixedKsg => "mixed-ksg",
            Self::MixedRoss => "mixed-ross",
            Self::Gaussian => "gauss",
            Self::Copula => "copula",
            Self::FrenzelPompe => "frenzel-pompe",
            Self::Stratified(m) => match m {
                StratumMethod::PlugIn => "stratified-plugin",
                StratumMethod::Histogram => "stratified-hist",
                StratumMethod::Ksg1 => "stratified-ksg1",
                StratumMethod::Ksg2 => "stratified-ksg2",
                StratumMethod::Ross => "stratified-ross",
                StratumMethod::MixedKsg => "stratified-mixed-ksg",
                StratumMethod::MixedRoss => "stratified-mixed-ross",
                StratumMethod::Gaussian => "stratified-gauss",
                StratumMethod::Copula => "stratified-copula",
            },
        }
    }

    /// The settings that matter for this method, as written in exports.
    pub fn settings_text(self, s: &Settings) -> String {
        let mm = if s.miller_madow { ";miller-madow" } else { "" };
        let kind = match self {
            Self::Stratified(m) => m.as_method(),
            m => m,
        };
        match kind {
            Self::PlugIn => format!("plugin{mm}"),
            Self::Histogram => format!("bins={};{}{mm}", s.bins.name(), s.strategy.name()),
            Self::Ksg1 | Self::Ksg2 | Self::Ross | Self::FrenzelPompe => {
                format!("k={};seed={}", s.k, s.seed)
            }
            // No jitter, so no seed.
            Self::MixedKsg | Self::MixedRoss => format!("k={}", s.k),
            Self::Gaussian | Self::Copula | Self::Stratified(_) => String::new(),
        }
    }
}

impl StratumMethod {
    pub fn as_method(self) -> Method {
        match self {
            Self::PlugIn => Method::PlugIn,
            Self::Histogram => Method::Histogram,
            Self::Ksg1 => Method::Ksg1,
            Self::Ksg2 => Method::Ksg2,
            Self::Ross => Method::Ross,
            Self::MixedKsg => Method::MixedKsg,
            Self::MixedRoss => Method::MixedRoss,
            Self::Gaussian => Method::Gaussian,
            Self::Copula => Method::Copula,
        }
    }
}

/// Why a pair has no estimate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error("not enough data: {n_used} complete rows, need at least {needed}")]
    NotEnoughData { n_used: usize, needed: usize },
    #[error("{0}")]
    Unsupported(String),
}

/// Information coefficient of correlation r_I = sqrt(1 − e^(−2I)) (I in nats),
/// on the same 0..1 scale as |ρ|. Negative estimates map to 0.
pub fn info_coefficient(mi_nats: f64) -> f64 {
    if mi_nats.is_nan() {
        return f64::NAN;
    }
    (1.0 - (-2.0 * mi_nats.max(0.0)).exp()).sqrt()
}

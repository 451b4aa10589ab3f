//! Higher-order information (issue 14): multivariate MI between column sets (optionally
//! given a set), a synergy finder for a target (interaction information of feature
//! pairs) and the total correlation / dual total correlation / O-information of a set.
//!
//! This module holds the requests and results the window and the command line share;
//! [`multi`], [`synergy`] and [`total_correlation`] compute them (parallel on rayon,
//! reporting [`Progress`], honouring cancel). The estimators are those of
//! [`crate::estimate::multi`], whose table says which `estimator` name means what.
//! All values are nats; convert with [`crate::estimate::Units`] for display.

pub mod multi;
pub mod synergy;
pub mod total_correlation;

pub use crate::estimate::multi::{MAX_DIMS, MultiEstimate, MultiMethod, TcEstimate};

use super::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::significance::PermutationResult;
use crate::estimate::{EstimateError, Estimator, Settings};

/// The estimators the higher-order analyses accept (`--estimator` and the panel's
/// choice); `hist` is not among them because `plugin` bins continuous columns the same way.
pub const ESTIMATORS: [Estimator; 6] = [
    Estimator::Auto,
    Estimator::Ksg1,
    Estimator::Ksg2,
    Estimator::Gaussian,
    Estimator::Copula,
    Estimator::PlugIn,
];

/// Candidates the synergy finder keeps by default: 30 features make 435 pairs.
pub const DEFAULT_TOP: usize = 30;
/// Pairs (largest interaction first) that get a permutation p-value by default.
pub const DEFAULT_TESTED: usize = 20;

/// I(X;Y|Z) of column sets (Z may be empty).
#[derive(Clone, Debug, PartialEq)]
pub struct MultiRequest {
    /// Dataset column indices of X, Y and the conditioning set Z.
    pub x: Vec<usize>,
    pub y: Vec<usize>,
    pub given: Vec<usize>,
    pub settings: Settings,
    /// 0 for no test. X is permuted as a block: freely without Z; within strata of a
    /// discrete Z and among near neighbours in a continuous Z otherwise (see [`multi`]).
    pub permutations: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MultiResult {
    pub request: MultiRequest,
    /// The estimate, or why there is none (a column in two sets, too few complete rows,
    /// more dimensions than the kNN estimators handle, …).
    pub estimate: Result<MultiEstimate, EstimateError>,
    pub test: Option<PermutationResult>,
}

impl MultiResult {
    pub fn p_value(&self) -> Option<f64> {
        self.test.map(|t| t.p_value)
    }
    /// Rows used (complete for every column of the three sets).
    pub fn n_used(&self) -> usize {
        n_used_of(&self.estimate.as_ref().map(|e| e.n_used))
    }
}

/// The synergy finder for one target.
#[derive(Clone, Debug, PartialEq)]
pub struct SynergyRequest {
    pub target: usize,
    /// Features to consider (the target is dropped if present).
    pub candidates: Vec<usize>,
    /// Keep the `top` candidates by relevance I(X;T) (0: all of them).
    pub top: usize,
    pub settings: Settings,
    /// Permutations per tested pair for a p-value (0: none).
    pub permutations: usize,
    /// How many pairs, largest interaction first, get a p-value.
    pub tested: usize,
    /// Relevances I(X;T) in nats already known (e.g. the MI matrix's cached cells with
    /// the same settings), by dataset column: used only to rank candidates for the
    /// top-N screen, so a wide file need not be estimated twice. Candidates missing
    /// here are estimated.
    pub relevance_cache: Vec<(usize, f64)>,
}

impl SynergyRequest {
    /// The defaults: top [`DEFAULT_TOP`], no permutations ([`DEFAULT_TESTED`] pairs
    /// tested when permutations are set), no cache.
    pub fn new(target: usize, candidates: Vec<usize>, settings: Settings) -> Self {
        Self {
            target,
            candidates,
            top: DEFAULT_TOP,
            settings,
            permutations: 0,
            tested: DEFAULT_TESTED,
            relevance_cache: Vec::new(),
        }
    }
}

/// One pair's interaction information II = I(X₁,X₂;T) − I(X₁;T) − I(X₂;T), nats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interaction {
    /// Rows complete for X₁, X₂ and T; all three terms use these rows.
    pub n_used: usize,
    pub mi_x1: f64,
    pub mi_x2: f64,
    pub mi_joint: f64,
    /// > 0: synergy (the pair says more together than apart); < 0: redundancy.
    pub interaction: f64,
    /// The estimator of the joint term I(X₁,X₂;T).
    pub method: MultiMethod,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SynergyPair {
    /// The two features, in dataset column order (x1 < x2).
    pub x1: usize,
    pub x2: usize,
    pub estimate: Result<Interaction, EstimateError>,
    pub test: Option<PermutationResult>,
    /// Benjamini–Hochberg adjusted p over the tested pairs.
    pub p_adjusted: Option<f64>,
}

impl SynergyPair {
    pub fn interaction(&self) -> Option<f64> {
        self.estimate.as_ref().ok().map(|e| e.interaction)
    }
    pub fn p_value(&self) -> Option<f64> {
        self.test.map(|t| t.p_value)
    }
    pub fn n_used(&self) -> usize {
        n_used_of(&self.estimate.as_ref().map(|e| e.n_used))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SynergyResult {
    pub request: SynergyRequest,
    /// Candidates offered (the request's, without the target): the M of "top N of M".
    pub offered: usize,
    /// The candidates kept, by relevance, largest first.
    pub candidates: Vec<usize>,
    /// I(X;T) of each kept candidate on its complete rows with T, aligned with
    /// `candidates` (nats).
    pub relevance: Vec<Result<MultiEstimate, EstimateError>>,
    /// Every pair of kept candidates, sorted by interaction, largest first (pairs
    /// without an estimate last).
    pub pairs: Vec<SynergyPair>,
}

impl SynergyResult {
    /// How the candidates were chosen: "top 30 of 120 by relevance" or "all 12".
    pub fn screen_text(&self) -> String {
        if self.candidates.len() < self.offered {
            format!(
                "top {} of {} by relevance",
                self.candidates.len(),
                self.offered
            )
        } else {
            format!("all {}", self.offered)
        }
    }
    /// The pair of two dataset columns, in either order.
    pub fn pair(&self, a: usize, b: usize) -> Option<&SynergyPair> {
        self.pairs
            .iter()
            .find(|p| (p.x1 == a && p.x2 == b) || (p.x1 == b && p.x2 == a))
    }
}

/// Total correlation, dual total correlation and O-information of one set.
#[derive(Clone, Debug, PartialEq)]
pub struct TcRequest {
    /// At least two dataset columns.
    pub columns: Vec<usize>,
    pub settings: Settings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TcResult {
    pub request: TcRequest,
    pub estimate: Result<TcEstimate, EstimateError>,
}

impl TcResult {
    pub fn n_used(&self) -> usize {
        n_used_of(&self.estimate.as_ref().map(|e| e.n_used))
    }
}

fn n_used_of(r: &Result<usize, &EstimateError>) -> usize {
    match r {
        Ok(n) => *n,
        Err(EstimateError::NotEnoughData { n_used, .. }) => *n_used,
        Err(_) => 0,
    }
}

/// I(X;Y|Z) of the request's sets, with its permutation test when asked.
pub fn run_multi(
    ds: &Dataset,
    request: &MultiRequest,
    progress: &Progress,
) -> Result<MultiResult, Cancelled> {
    multi::run(ds, request, progress)
}

/// Interaction information of every pair of the kept candidates, sorted.
pub fn run_synergy(
    ds: &Dataset,
    request: &SynergyRequest,
    progress: &Progress,
) -> Result<SynergyResult, Cancelled> {
    synergy::run(ds, request, progress)
}

/// TC, DTC and O-information of the request's set.
pub fn run_tc(
    ds: &Dataset,
    request: &TcRequest,
    progress: &Progress,
) -> Result<TcResult, Cancelled> {
    total_correlation::run(ds, request, progress)
}

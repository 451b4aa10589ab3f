//! `multi`, `synergy` and `tc`: the higher-order analyses, headless.

use super::args::{AnalysisArgs, EstimatorArgs, InputArgs};
use super::commands::{
    emit, index, load, named_or_matching, pick_columns, settings, two_beside,
    warn_few_permutations, with_progress,
};
use super::error::CliError;
use crate::analysis::higher_order::{
    self, DEFAULT_TESTED, DEFAULT_TOP, MultiRequest, SynergyRequest, TcRequest,
};
use crate::data::Dataset;
use crate::estimate::EstimateError;
use crate::export;
use clap::Args;

#[derive(Debug, Args)]
pub struct MultiArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub estimator: EstimatorArgs,
    /// The X set: comma-separated names (or globs, `/regex/`).
    #[arg(long, value_delimiter = ',', required = true)]
    pub x: Vec<String>,
    /// The Y set.
    #[arg(long, value_delimiter = ',', required = true)]
    pub y: Vec<String>,
    /// The conditioning set Z (optional): estimates I(X;Y|Z).
    #[arg(long, value_delimiter = ',')]
    pub given: Vec<String>,
    /// Permutations for a p-value (0: none): X is permuted as a block, within strata of
    /// a discrete Z and among near neighbours in a continuous Z; adds p_value.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
}

#[derive(Debug, Args)]
pub struct SynergyArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// The target column T.
    #[arg(long)]
    pub target: String,
    /// Keep the N candidates most relevant to T (0: all); N = 30 makes 435 pairs.
    #[arg(long, default_value_t = DEFAULT_TOP, value_name = "N")]
    pub top: usize,
    /// Permutations per tested pair for a p-value (0: none): the second feature is
    /// shuffled within strata of a discrete T (near neighbours in a continuous T),
    /// which keeps each feature's relevance and breaks their interaction; adds p_value.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
    /// How many pairs, largest interaction first, get a p-value.
    #[arg(long, default_value_t = DEFAULT_TESTED, value_name = "N")]
    pub tested: usize,
}

#[derive(Debug, Args)]
pub struct TcArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
}

/// The columns named by each term (names, globs, regexes), in order, once each.
fn set(ds: &Dataset, terms: &[String]) -> Result<Vec<usize>, CliError> {
    let mut out = Vec::new();
    for t in terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        for c in named_or_matching(ds, t)? {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

fn no_estimate(ds: &Dataset, e: &EstimateError) -> CliError {
    CliError::NoEstimate {
        file: ds.source.clone(),
        reason: e.to_string(),
    }
}

pub fn multi(a: MultiArgs) -> Result<(), CliError> {
    let ds = load(&a.input)?;
    let request = MultiRequest {
        x: set(&ds, &a.x)?,
        y: set(&ds, &a.y)?,
        given: set(&ds, &a.given)?,
        settings: settings(&a.estimator),
        permutations: a.permutations,
    };
    let result = with_progress(&a.input, |p| higher_order::run_multi(&ds, &request, p))?;
    if let Err(e) = &result.estimate {
        return Err(no_estimate(&ds, e));
    }
    emit(
        &a.input,
        &export::multi_csv(&ds, &result, a.estimator.units),
    )
}

pub fn synergy(a: SynergyArgs) -> Result<(), CliError> {
    let ds = load(&a.common.input)?;
    let target = index(&ds, &a.target)?;
    let cols = pick_columns(&ds, &a.common.columns, &[target])?;
    let candidates: Vec<usize> = cols.into_iter().filter(|&c| c != target).collect();
    two_beside(&ds, candidates.len(), ("synergy", "the target", &a.target))?;
    let mut request = SynergyRequest::new(target, candidates, settings(&a.common.estimator));
    request.top = a.top;
    request.permutations = a.permutations;
    request.tested = a.tested;
    warn_few_permutations(&a.common.input, a.permutations, 1);
    let result = with_progress(&a.common.input, |p| {
        higher_order::run_synergy(&ds, &request, p)
    })?;
    if !a.common.input.quiet && result.candidates.len() < result.offered {
        eprintln!("note: candidates: {}", result.screen_text());
    }
    emit(
        &a.common.input,
        &export::synergy_csv(&ds, &result, a.common.estimator.units),
    )
}

pub fn tc(a: TcArgs) -> Result<(), CliError> {
    let ds = load(&a.common.input)?;
    let columns = pick_columns(&ds, &a.common.columns, &[])?;
    let request = TcRequest {
        columns,
        settings: settings(&a.common.estimator),
    };
    let result = with_progress(&a.common.input, |p| higher_order::run_tc(&ds, &request, p))?;
    if let Err(e) = &result.estimate {
        return Err(no_estimate(&ds, e));
    }
    emit(
        &a.common.input,
        &export::tc_csv(&ds, &result, a.common.estimator.units),
    )
}

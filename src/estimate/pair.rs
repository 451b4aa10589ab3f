//! MI of a pair of dataset columns: choosing the estimator by column kinds, preparing
//! the pairwise-complete rows, and re-estimating under permutations.

use super::prepare::{codes_at, complete_rows, gather, knn_ready};
use super::{
    BinRule, EstimateError, Estimator, Method, Settings, correlation, discrete, histogram, ksg,
    ross, significance,
};
use crate::data::{Column, ColumnKind};

/// One pair's estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairEstimate {
    /// Nats; kNN estimates may be slightly negative and are reported as computed.
    pub mi: f64,
    /// Rows used (present in both columns, or the subsample asked for).
    pub n_used: usize,
    pub method: Method,
}

/// The estimator a request resolves to for columns of these kinds.
///
/// Continuous-only estimators (KSG, Gaussian, copula) apply to pairs of continuous
/// columns; a pair with a discrete or categorical column is counted (plug-in) or, with
/// one continuous column, estimated by Ross's kNN method. Asking for counts
/// (`hist`/`plugin`) bins continuous columns.
pub fn resolve(estimator: Estimator, x: ColumnKind, y: ColumnKind) -> Method {
    let counts = matches!(estimator, Estimator::Histogram | Estimator::PlugIn);
    match (x.is_discrete(), y.is_discrete()) {
        (true, true) => Method::PlugIn,
        _ if counts => Method::Histogram,
        (true, false) | (false, true) => Method::Ross,
        (false, false) => match estimator {
            Estimator::Ksg2 => Method::Ksg2,
            Estimator::Gaussian => Method::Gaussian,
            Estimator::Copula => Method::Copula,
            _ => Method::Ksg1,
        },
    }
}

/// Fewest complete rows a method can work with.
pub fn min_rows(method: Method, k: usize) -> usize {
    match method {
        Method::Ksg1 | Method::Ksg2 | Method::Ross | Method::FrenzelPompe => k + 1,
        Method::Gaussian | Method::Copula => 3,
        _ => 2,
    }
}

/// A pair ready to estimate, possibly many times (permutations, subsamples).
#[derive(Clone, Debug)]
pub struct PreparedPair {
    pub method: Method,
    pub x: Prepared,
    pub y: Prepared,
    pub k: usize,
    pub settings: Settings,
}

/// One column's values at the pair's rows, in the form its estimator consumes.
#[derive(Clone, Debug)]
pub enum Prepared {
    /// Scaled and jittered (kNN) or raw (Gaussian, copula) values.
    Continuous(Vec<f64>),
    /// Dense codes: a discrete column's values or a continuous column's bins.
    Codes(Vec<u32>),
}

impl Prepared {
    pub fn len(&self) -> usize {
        match self {
            Prepared::Continuous(v) => v.len(),
            Prepared::Codes(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn permuted(&self, perm: &[usize]) -> Prepared {
        match self {
            Prepared::Continuous(v) => Prepared::Continuous(perm.iter().map(|&i| v[i]).collect()),
            Prepared::Codes(v) => Prepared::Codes(perm.iter().map(|&i| v[i]).collect()),
        }
    }
}

/// Prepares one column at `rows` for `method`.
pub fn prepare_column(
    column: &Column,
    rows: &[usize],
    method: Method,
    settings: &Settings,
) -> Prepared {
    match method {
        Method::PlugIn | Method::Histogram if !column.kind.is_discrete() => {
            let values = gather(&column.values, rows);
            let bins = histogram::bin_count(&values, settings.bins);
            Prepared::Codes(histogram::bin_codes(&values, bins, settings.strategy))
        }
        _ if column.kind.is_discrete() => Prepared::Codes(codes_at(column, rows).0),
        Method::Gaussian | Method::Copula => Prepared::Continuous(gather(&column.values, rows)),
        _ => Prepared::Continuous(knn_ready(column, rows, settings.seed)),
    }
}

impl PreparedPair {
    pub fn new(
        x: &Column,
        y: &Column,
        rows: &[usize],
        settings: &Settings,
    ) -> Result<Self, EstimateError> {
        let method = resolve(settings.estimator, x.kind, y.kind);
        Self::with_method(x, y, rows, settings, method)
    }

    pub fn with_method(
        x: &Column,
        y: &Column,
        rows: &[usize],
        settings: &Settings,
        method: Method,
    ) -> Result<Self, EstimateError> {
        let needed = min_rows(method, settings.k);
        if rows.len() < needed {
            return Err(EstimateError::NotEnoughData {
                n_used: rows.len(),
                needed,
            });
        }
        Ok(Self {
            method,
            x: prepare_column(x, rows, method, settings),
            y: prepare_column(y, rows, method, settings),
            k: settings.k,
            settings: settings.clone(),
        })
    }

    pub fn n(&self) -> usize {
        self.x.len()
    }

    /// MI in nats.
    pub fn estimate(&self) -> f64 {
        estimate_prepared(
            self.method,
            &self.x,
            &self.y,
            self.k,
            self.settings.miller_madow,
        )
    }

    /// MI with y's rows permuted (a draw from the independence null).
    pub fn estimate_permuted(&self, perm: &[usize]) -> f64 {
        estimate_prepared(
            self.method,
            &self.x,
            &self.y.permuted(perm),
            self.k,
            self.settings.miller_madow,
        )
    }

    /// Seeded permutation test of the estimate; `None` when cancelled.
    pub fn permutation_test(
        &self,
        observed: f64,
        permutations: usize,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<significance::PermutationResult> {
        significance::permutation_test(
            observed,
            self.n(),
            permutations,
            self.settings.seed,
            cancelled,
            &|perm| self.estimate_permuted(perm),
        )
    }
}

fn estimate_prepared(method: Method, x: &Prepared, y: &Prepared, k: usize, mm: bool) -> f64 {
    use Prepared::{Codes, Continuous};
    match (method, x, y) {
        (Method::Ksg1, Continuous(a), Continuous(b)) => ksg::mi(a, b, k, ksg::Algorithm::One),
        (Method::Ksg2, Continuous(a), Continuous(b)) => ksg::mi(a, b, k, ksg::Algorithm::Two),
        (Method::Gaussian, Continuous(a), Continuous(b)) => {
            correlation::gaussian_mi(correlation::pearson(a, b))
        }
        (Method::Copula, Continuous(a), Continuous(b)) => correlation::copula_mi(a, b),
        (Method::Ross, Continuous(c), Codes(d)) | (Method::Ross, Codes(d), Continuous(c)) => {
            ross::mi(c, d, k)
        }
        (_, Codes(a), Codes(b)) => discrete::mi(a, b, mm),
        // Unreachable by construction: prepare_column matches the method.
        _ => f64::NAN,
    }
}

/// MI of two columns on their pairwise-complete rows.
pub fn mi_pair(x: &Column, y: &Column, settings: &Settings) -> Result<PairEstimate, EstimateError> {
    let rows = complete_rows(&[x, y]);
    mi_pair_rows(x, y, &rows, settings)
}

/// MI of two columns on the given rows (which must be complete for both).
pub fn mi_pair_rows(
    x: &Column,
    y: &Column,
    rows: &[usize],
    settings: &Settings,
) -> Result<PairEstimate, EstimateError> {
    let prepared = PreparedPair::new(x, y, rows, settings)?;
    Ok(PairEstimate {
        mi: prepared.estimate(),
        n_used: rows.len(),
        method: prepared.method,
    })
}

/// Histogram MI with a fixed bin count for both continuous columns (sensitivity sweeps).
pub fn mi_pair_bins(
    x: &Column,
    y: &Column,
    rows: &[usize],
    bins: usize,
    settings: &Settings,
) -> Result<PairEstimate, EstimateError> {
    let s = Settings {
        bins: BinRule::Fixed(bins),
        ..settings.clone()
    };
    let method = if x.kind.is_discrete() && y.kind.is_discrete() {
        Method::PlugIn
    } else {
        Method::Histogram
    };
    let prepared = PreparedPair::with_method(x, y, rows, &s, method)?;
    Ok(PairEstimate {
        mi: prepared.estimate(),
        n_used: rows.len(),
        method,
    })
}

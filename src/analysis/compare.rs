//! Correlation vs MI: per pair |Pearson|, |Spearman|, MI and r_I, to find dependences
//! that correlation misses (pairs far above the Gaussian curve I = −½ ln(1 − ρ²)).
//! A pair with a categorical column gets no correlation (its codes have no order) but
//! the association measure meant for it: Cramér's V or the correlation ratio η.

use super::{Cancelled, Progress, pairs_of};
use crate::data::ColumnKind;
use crate::data::Dataset;
use crate::estimate::association::{self, Measure};
use crate::estimate::pair::{PreparedPair, mi_pair_rows};
use crate::estimate::prepare::{complete_rows, gather};
use crate::estimate::significance::{PermutationResult, adjusted_where_tested};
use crate::estimate::{EstimateError, Method, Settings, correlation, info_coefficient};
use rayon::prelude::*;

#[derive(Clone, Debug)]
pub struct CompareRow {
    pub x: usize,
    pub y: usize,
    pub n_used: usize,
    /// NaN for a pair with a categorical column.
    pub pearson: f64,
    pub spearman: f64,
    /// Cramér's V or η for a pair with a categorical column.
    pub association: Option<(Measure, f64)>,
    /// Nats (NaN when the pair has too little data).
    pub mi: f64,
    pub r_i: f64,
    pub method: Option<Method>,
    /// Permutation test of the MI (with permutations asked).
    pub test: Option<PermutationResult>,
    /// Benjamini–Hochberg adjusted p over the tested pairs.
    pub p_adjusted: Option<f64>,
}

/// Rows are equal when they hold the same numbers, bit for bit (NaN, the "not defined"
/// of a categorical pair's correlation, equals NaN).
impl PartialEq for CompareRow {
    fn eq(&self, o: &Self) -> bool {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        let assoc = match (self.association, o.association) {
            (Some((m, a)), Some((n, b))) => m == n && same(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        (self.x, self.y, self.n_used, self.method) == (o.x, o.y, o.n_used, o.method)
            && same(self.pearson, o.pearson)
            && same(self.spearman, o.spearman)
            && same(self.mi, o.mi)
            && same(self.r_i, o.r_i)
            && assoc
            && self.test == o.test
            && self.p_adjusted == o.p_adjusted
    }
}

impl CompareRow {
    /// How far the MI is above what a Gaussian pair with this |Pearson| would carry,
    /// in nats: large values are non-linear dependences correlation misses.
    /// NaN for a pair without a correlation (a categorical column): no Gaussian curve.
    pub fn excess_over_gaussian(&self) -> f64 {
        if self.pearson.is_nan() {
            // `NaN.min(1.0)` would be 1.0, the capped curve's top, not "undefined".
            return f64::NAN;
        }
        self.mi - correlation::gaussian_mi(self.pearson.abs().min(1.0))
    }
}

pub fn compare_pair(ds: &Dataset, x: usize, y: usize, settings: &Settings) -> CompareRow {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    let rows = complete_rows(&[cx, cy]);
    let (a, b) = (gather(&cx.values, &rows), gather(&cy.values, &rows));
    // Text labels stay labels whatever kind they are given (`--kind c=discrete`): their
    // codes follow the labels' alphabetical order, so a correlation on them means nothing
    // (a review got Pearson on "fair, good, poor, very good, very poor" as 0..4).
    let categorical = |c: &crate::data::Column| c.kind == ColumnKind::Categorical || c.is_text();
    let (ca, cb) = (categorical(cx), categorical(cy));
    let enough = rows.len() >= 3;
    let (pearson, spearman) = if enough && !ca && !cb {
        (correlation::pearson(&a, &b), correlation::spearman(&a, &b))
    } else {
        (f64::NAN, f64::NAN)
    };
    let association = match (ca, cb) {
        (true, true) => Some((Measure::CramersV, association::cramers_v(&a, &b))),
        (true, false) => Some((
            Measure::CorrelationRatio,
            association::correlation_ratio(&a, &b),
        )),
        (false, true) => Some((
            Measure::CorrelationRatio,
            association::correlation_ratio(&b, &a),
        )),
        (false, false) => None,
    };
    let association = association.map(|(m, v)| (m, if enough { v } else { f64::NAN }));
    let est: Result<_, EstimateError> = mi_pair_rows(cx, cy, &rows, settings);
    let (mi, method) = match est {
        Ok(e) => (e.mi, Some(e.method)),
        Err(_) => (f64::NAN, None),
    };
    CompareRow {
        x,
        y,
        n_used: rows.len(),
        pearson,
        spearman,
        association,
        mi,
        r_i: info_coefficient(mi),
        method,
        test: None,
        p_adjusted: None,
    }
}

pub fn run(
    ds: &Dataset,
    columns: &[usize],
    settings: &Settings,
    progress: &Progress,
) -> Result<Vec<CompareRow>, Cancelled> {
    run_tested(ds, columns, settings, 0, progress)
}

/// [`run`] with a permutation test of each pair's MI (`permutations` > 0), the p-values
/// BH-adjusted across pairs.
pub fn run_tested(
    ds: &Dataset,
    columns: &[usize],
    settings: &Settings,
    permutations: usize,
    progress: &Progress,
) -> Result<Vec<CompareRow>, Cancelled> {
    let pairs = pairs_of(columns);
    progress.start("correlation vs MI", pairs.len());
    let rows: Vec<Option<CompareRow>> = pairs
        .par_iter()
        .map(|&(x, y)| {
            if progress.is_cancelled() {
                return None;
            }
            let mut row = compare_pair(ds, x, y, settings);
            if permutations > 0 && row.method.is_some() {
                let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
                let rows = complete_rows(&[cx, cy]);
                if let Ok(p) = PreparedPair::new(cx, cy, &rows, settings) {
                    row.test =
                        p.permutation_test(row.mi, permutations, &|| progress.is_cancelled());
                }
            }
            progress.add(1);
            Some(row)
        })
        .collect();
    progress.check()?;
    let mut rows: Vec<CompareRow> = rows.into_iter().collect::<Option<_>>().ok_or(Cancelled)?;
    let p: Vec<Option<f64>> = rows.iter().map(|r| r.test.map(|t| t.p_value)).collect();
    for (r, q) in rows.iter_mut().zip(adjusted_where_tested(&p)) {
        r.p_adjusted = q;
    }
    Ok(rows)
}

//! Conditional MI I(X;Y|Z) for every pair given one conditioner Z, beside I(X;Y) on the
//! same rows: negative differences are dependences Z explains away (common cause),
//! positive ones are dependences Z reveals (collider, synergy such as XOR).

use super::{Cancelled, Progress, pairs_of};
use crate::data::Dataset;
use crate::estimate::cmi_null::cmi_permutation_test;
use crate::estimate::significance::{PermutationResult, adjusted_where_tested};
use crate::estimate::triple::{CmiEstimate, cmi_triple};
use crate::estimate::{EstimateError, Settings};
use rayon::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct CmiRow {
    pub x: usize,
    pub y: usize,
    pub given: usize,
    pub estimate: Result<CmiEstimate, EstimateError>,
    /// Conditional permutation test of I(X;Y|Z) (with permutations asked).
    pub test: Option<PermutationResult>,
    /// Benjamini–Hochberg adjusted p over the tested rows.
    pub p_adjusted: Option<f64>,
}

impl CmiRow {
    /// I(X;Y|Z) − I(X;Y), nats.
    pub fn difference(&self) -> Option<f64> {
        self.estimate.as_ref().ok().map(|e| e.cmi - e.mi)
    }
}

pub fn run(
    ds: &Dataset,
    columns: &[usize],
    given: usize,
    settings: &Settings,
    progress: &Progress,
) -> Result<Vec<CmiRow>, Cancelled> {
    run_tested(ds, columns, given, settings, 0, progress)
}

/// [`run`] with a conditional permutation test per pair (`permutations` > 0): X is
/// shuffled within strata of a discrete Z, locally in Z otherwise (see
/// [`crate::estimate::cmi_null`]), and the p-values are BH-adjusted across pairs.
pub fn run_tested(
    ds: &Dataset,
    columns: &[usize],
    given: usize,
    settings: &Settings,
    permutations: usize,
    progress: &Progress,
) -> Result<Vec<CmiRow>, Cancelled> {
    let others: Vec<usize> = columns.iter().copied().filter(|&c| c != given).collect();
    let pairs = pairs_of(&others);
    progress.start("conditional MI", pairs.len());
    let z = &ds.columns[given];
    let rows: Vec<Option<CmiRow>> = pairs
        .par_iter()
        .map(|&(x, y)| {
            if progress.is_cancelled() {
                return None;
            }
            let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
            let estimate = cmi_triple(cx, cy, z, settings);
            let test = match (&estimate, permutations) {
                (Ok(e), p) if p > 0 => {
                    let cancelled = || progress.is_cancelled();
                    cmi_permutation_test((cx, cy, z), e.cmi, p, settings, &cancelled)?.ok()
                }
                _ => None,
            };
            progress.add(1);
            Some(CmiRow {
                x,
                y,
                given,
                estimate,
                test,
                p_adjusted: None,
            })
        })
        .collect();
    progress.check()?;
    let mut rows: Vec<CmiRow> = rows.into_iter().collect::<Option<_>>().ok_or(Cancelled)?;
    let p: Vec<Option<f64>> = rows.iter().map(|r| r.test.map(|t| t.p_value)).collect();
    for (r, q) in rows.iter_mut().zip(adjusted_where_tested(&p)) {
        r.p_adjusted = q;
    }
    Ok(rows)
}

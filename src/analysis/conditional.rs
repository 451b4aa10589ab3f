//! Conditional MI I(X;Y|Z) for every pair given one conditioner Z, beside I(X;Y) on the
//! same rows: negative differences are dependences Z explains away (common cause),
//! positive ones are dependences Z reveals (collider, synergy such as XOR).

use super::{Cancelled, Progress, pairs_of};
use crate::data::Dataset;
use crate::estimate::triple::{CmiEstimate, cmi_triple};
use crate::estimate::{EstimateError, Settings};
use rayon::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct CmiRow {
    pub x: usize,
    pub y: usize,
    pub given: usize,
    pub estimate: Result<CmiEstimate, EstimateError>,
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
            let estimate = cmi_triple(&ds.columns[x], &ds.columns[y], z, settings);
            progress.add(1);
            Some(CmiRow {
                x,
                y,
                given,
                estimate,
            })
        })
        .collect();
    progress.check()?;
    rows.into_iter().collect::<Option<_>>().ok_or(Cancelled)
}

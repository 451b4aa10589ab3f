//! Total correlation TC = Σ H(Xᵢ) − H(X₁…X_m), dual total correlation DTC and the
//! O-information O = TC − DTC (Rosas et al. 2019) of one set of columns.
//!
//! All three come from TC estimates: DTC = (m − 1)·TC − Σᵢ TC(X₋ᵢ), so the set and its
//! m leave-one-out subsets are estimated (in parallel) with one method on the set's
//! complete rows ([`crate::estimate::multi::tc_rows`]). O > 0: the set is dominated by
//! redundancy (copies of one signal); O < 0: by synergy (parity-like constraints).

use super::{TcRequest, TcResult};
use crate::analysis::{Cancelled, Progress};
use crate::data::{Column, Dataset};
use crate::estimate::EstimateError;
use crate::estimate::multi::tc_rows;
use crate::estimate::prepare::complete_rows;

pub fn run(ds: &Dataset, request: &TcRequest, progress: &Progress) -> Result<TcResult, Cancelled> {
    progress.start("total correlation", 1);
    let cols: Result<Vec<&Column>, EstimateError> = request
        .columns
        .iter()
        .map(|&i| {
            ds.columns
                .get(i)
                .ok_or_else(|| EstimateError::Unsupported(format!("no column number {i}")))
        })
        .collect();
    let estimate = cols.and_then(|cols| {
        let mut names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(EstimateError::Unsupported(format!(
                "column '{}' is twice in the set",
                w[0]
            )));
        }
        let rows = complete_rows(&cols);
        tc_rows(&cols, &rows, &request.settings)
    });
    progress.add(1);
    progress.check()?;
    Ok(TcResult {
        request: request.clone(),
        estimate,
    })
}

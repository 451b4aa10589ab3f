//! Pairwise MI of every pair of chosen columns, with optional permutation tests and
//! Benjamini–Hochberg adjustment across the matrix.

use super::{Cancelled, Progress, pairs_of};
use crate::data::Dataset;
use crate::estimate::pair::{PairEstimate, PreparedColumns, PreparedPair};
use crate::estimate::prepare::complete_rows;
use crate::estimate::significance::{PermutationResult, benjamini_hochberg};
use crate::estimate::{EstimateError, Settings};
use rayon::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRequest {
    /// Dataset column indices, in display order.
    pub columns: Vec<usize>,
    pub settings: Settings,
    /// 0 for no significance test.
    pub permutations: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PairCell {
    pub x: usize,
    pub y: usize,
    pub estimate: Result<PairEstimate, EstimateError>,
    pub test: Option<PermutationResult>,
}

impl PairCell {
    pub fn mi(&self) -> Option<f64> {
        self.estimate.as_ref().ok().map(|e| e.mi)
    }
    pub fn n_used(&self) -> usize {
        match &self.estimate {
            Ok(e) => e.n_used,
            Err(EstimateError::NotEnoughData { n_used, .. }) => *n_used,
            Err(_) => 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixResult {
    pub request: MatrixRequest,
    /// One cell per unordered pair, in the order of [`pairs_of`].
    pub cells: Vec<PairCell>,
    /// BH-adjusted p-values aligned with `cells` (NaN where untested).
    pub p_adjusted: Vec<f64>,
}

impl MatrixResult {
    /// The cell of two dataset columns, in either order.
    pub fn cell(&self, a: usize, b: usize) -> Option<(usize, &PairCell)> {
        self.cells
            .iter()
            .enumerate()
            .find(|(_, c)| (c.x == a && c.y == b) || (c.x == b && c.y == a))
    }
}

/// One pair: estimate and, if asked, its permutation test.
pub fn estimate_cell(
    ds: &Dataset,
    x: usize,
    y: usize,
    settings: &Settings,
    permutations: usize,
    progress: &Progress,
) -> PairCell {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    let rows = complete_rows(&[cx, cy]);
    let prepared = PreparedPair::new(cx, cy, &rows, settings);
    let (estimate, test) = match prepared {
        Err(e) => (Err(e), None),
        Ok(p) => {
            let mi = p.estimate();
            let test = (permutations > 0)
                .then(|| p.permutation_test(mi, permutations, &|| progress.is_cancelled()))
                .flatten();
            (
                Ok(PairEstimate {
                    mi,
                    n_used: rows.len(),
                    method: p.method,
                }),
                test,
            )
        }
    };
    PairCell {
        x,
        y,
        estimate,
        test,
    }
}

/// [`estimate_cell`] with per-column preparation shared across pairs: columns without
/// missing values are scaled, jittered, sorted and binned once (same numbers as the
/// pairwise path); other pairs fall back to [`estimate_cell`]. `parallel` lets one
/// pair's kNN search use the whole pool (when there are fewer pairs than threads).
#[allow(clippy::too_many_arguments)]
pub fn estimate_cell_cached(
    ds: &Dataset,
    cache: &PreparedColumns,
    x: usize,
    y: usize,
    settings: &Settings,
    permutations: usize,
    progress: &Progress,
    parallel: bool,
) -> PairCell {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    let Some(result) = cache.estimate((x, cx), (y, cy), settings, parallel) else {
        return estimate_cell(ds, x, y, settings, permutations, progress);
    };
    let (estimate, test) = match result {
        Err(e) => (Err(e), None),
        Ok((est, refs)) => {
            let test = (permutations > 0)
                .then(|| {
                    refs.to_pair(settings)
                        .permutation_test(est.mi, permutations, &|| progress.is_cancelled())
                })
                .flatten();
            (Ok(est), test)
        }
    };
    PairCell {
        x,
        y,
        estimate,
        test,
    }
}

/// Runs the matrix; `on_cell(index, cell)` is called as each cell is finished (from
/// worker threads, in any order) so viewers can fill in as results arrive.
pub fn run(
    ds: &Dataset,
    request: &MatrixRequest,
    progress: &Progress,
    on_cell: &(dyn Fn(usize, &PairCell) + Sync),
) -> Result<MatrixResult, Cancelled> {
    let pairs = pairs_of(&request.columns);
    progress.start("pairwise MI", pairs.len());
    let cache = PreparedColumns::new(&ds.columns, &request.columns);
    cache.warm(&ds.columns, &request.columns, &request.settings);
    // Pairs are the unit of parallel work; with fewer pairs than a few per thread, each
    // pair's points are spread over the pool as well (same numbers either way).
    let inner = pairs.len() < 2 * rayon::current_num_threads();
    let cells: Vec<Option<PairCell>> = pairs
        .par_iter()
        .enumerate()
        .map(|(idx, &(x, y))| {
            if progress.is_cancelled() {
                return None;
            }
            let cell = estimate_cell_cached(
                ds,
                &cache,
                x,
                y,
                &request.settings,
                request.permutations,
                progress,
                inner,
            );
            progress.add(1);
            on_cell(idx, &cell);
            Some(cell)
        })
        .collect();
    progress.check()?;
    let cells: Vec<PairCell> = cells.into_iter().collect::<Option<_>>().ok_or(Cancelled)?;
    let p: Vec<f64> = cells
        .iter()
        .map(|c| c.test.map_or(f64::NAN, |t| t.p_value))
        .collect();
    Ok(MatrixResult {
        request: request.clone(),
        cells,
        p_adjusted: benjamini_hochberg(&p),
    })
}

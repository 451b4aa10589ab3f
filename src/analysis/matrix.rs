//! Pairwise MI of every pair of chosen columns, with optional permutation tests and
//! Benjamini–Hochberg adjustment across the matrix.

use super::{Cancelled, Progress, pairs_of};
use crate::data::{Column, Dataset};
use crate::estimate::pair::{PairEstimate, PreparedColumns, PreparedPair};
use crate::estimate::parallel::Cancel;
use crate::estimate::prepare::complete_rows;
use crate::estimate::significance::{PermutationResult, benjamini_hochberg};
use crate::estimate::{EstimateError, Settings, discrete};
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

/// Plug-in entropy (nats) of a discrete column on its present values, with the
/// Miller–Madow correction when `settings` ask for it; NaN for a continuous column (its
/// differential entropy is not on the same scale as MI, so no normalisation uses it)
/// and for a column with no values.
pub fn column_entropy(col: &Column, settings: &Settings) -> f64 {
    if !col.kind.is_discrete() {
        return f64::NAN;
    }
    let rows = complete_rows(&[col]);
    let values: Vec<f64> = rows.iter().map(|&r| col.values[r]).collect();
    if values.is_empty() {
        return f64::NAN;
    }
    let (codes, _) = discrete::codes(&values);
    discrete::entropy(&codes, settings.miller_madow)
}

/// [`column_entropy`] of each of `columns` (dataset indices), in that order: what the
/// normalised scales of a matrix over those columns divide by.
pub fn column_entropies(ds: &Dataset, columns: &[usize], settings: &Settings) -> Vec<f64> {
    columns
        .iter()
        .map(|&c| column_entropy(&ds.columns[c], settings))
        .collect()
}

/// One pair: estimate and, if asked, its permutation test; `None` when cancelled
/// during the estimate (a long pair polls `progress` as it goes).
pub fn estimate_cell(
    ds: &Dataset,
    x: usize,
    y: usize,
    settings: &Settings,
    permutations: usize,
    progress: &Progress,
) -> Option<PairCell> {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    let rows = complete_rows(&[cx, cy]);
    let prepared = PreparedPair::new(cx, cy, &rows, settings);
    let (estimate, test) = match prepared {
        Err(e) => (Err(e), None),
        Ok(p) => {
            let is_cancelled = || progress.is_cancelled();
            let mi = p.estimate_until(Cancel::new(&is_cancelled))?;
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
    Some(PairCell {
        x,
        y,
        estimate,
        test,
    })
}

/// [`estimate_cell`] with per-column preparation shared across pairs: columns without
/// missing values are scaled, jittered, sorted and binned once (same numbers as the
/// pairwise path); other pairs fall back to [`estimate_cell`]. `parallel` lets one
/// pair's kNN search use the whole pool (when there are fewer pairs than threads).
/// `None` when cancelled during the estimate.
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
) -> Option<PairCell> {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    let is_cancelled = || progress.is_cancelled();
    let cancel = Cancel::new(&is_cancelled);
    let Some(result) = cache.estimate((x, cx), (y, cy), settings, parallel, cancel) else {
        return estimate_cell(ds, x, y, settings, permutations, progress);
    };
    let result = result?;
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
    Some(PairCell {
        x,
        y,
        estimate,
        test,
    })
}

/// Runs the matrix; `on_cell(index, cell)` is called as each cell is finished (from
/// worker threads, in any order) so viewers can fill in as results arrive.
pub fn run(
    ds: &Dataset,
    request: &MatrixRequest,
    progress: &Progress,
    on_cell: &(dyn Fn(usize, &PairCell) + Sync),
) -> Result<MatrixResult, Cancelled> {
    run_pairs(ds, request, &pairs_of(&request.columns), progress, on_cell)
}

/// The pairs of `columns` that contain `target`, in [`pairs_of`] order (so the rows of
/// a target's run are the full matrix's rows with `target` in them, oriented alike).
pub fn target_pairs(columns: &[usize], target: usize) -> Vec<(usize, usize)> {
    pairs_of(columns)
        .into_iter()
        .filter(|&(x, y)| x == target || y == target)
        .collect()
}

/// One column against all others of the request: the m − 1 cells of [`target_pairs`],
/// each estimated exactly as in the full matrix; Benjamini–Hochberg adjusts over these
/// m − 1 tests only (the family the caller looks at).
pub fn run_target(
    ds: &Dataset,
    request: &MatrixRequest,
    target: usize,
    progress: &Progress,
) -> Result<MatrixResult, Cancelled> {
    let pairs = target_pairs(&request.columns, target);
    run_pairs(ds, request, &pairs, progress, &|_, _| {})
}

/// The cells of `full` (a finished matrix) that pair `target` with one of `columns`, in
/// [`target_pairs`] order, keeping `full`'s p-values and its Benjamini–Hochberg
/// adjustment (over all of `full`'s pairs); `None` unless `full` holds the target and
/// every one of `columns`. Its request is `full`'s with `columns` as the columns.
pub fn target_row(full: &MatrixResult, target: usize, columns: &[usize]) -> Option<MatrixResult> {
    let all = &full.request.columns;
    let pos = |c: usize| all.iter().position(|&a| a == c);
    let t = pos(target)?;
    let mut cells = Vec::new();
    let mut p_adjusted = Vec::new();
    for (x, y) in target_pairs(columns, target) {
        let other = pos(if x == target { y } else { x })?;
        let i = super::pair_index(all.len(), t.min(other), t.max(other));
        let cell = full.cells.get(i)?;
        cells.push(cell.clone());
        p_adjusted.push(full.p_adjusted.get(i).copied().unwrap_or(f64::NAN));
    }
    Some(MatrixResult {
        request: MatrixRequest {
            columns: columns.to_vec(),
            ..full.request.clone()
        },
        cells,
        p_adjusted,
    })
}

/// [`run`] over a chosen list of pairs of the request's columns.
pub fn run_pairs(
    ds: &Dataset,
    request: &MatrixRequest,
    pairs: &[(usize, usize)],
    progress: &Progress,
    on_cell: &(dyn Fn(usize, &PairCell) + Sync),
) -> Result<MatrixResult, Cancelled> {
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
            )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ColumnKind;

    #[test]
    fn entropy_of_discrete_columns_only() {
        let settings = Settings::default();
        let ds = Dataset::new(
            "t",
            vec![
                // Two equally likely values (missing left out): ln 2.
                Column::with_kind(
                    "a",
                    vec![0.0, 1.0, f64::NAN, 0.0, 1.0],
                    ColumnKind::Discrete,
                ),
                // Four values, one of them twice.
                Column::with_kind("b", vec![0.0, 1.0, 2.0, 3.0, 3.0], ColumnKind::Discrete),
                Column::with_kind("c", vec![0.5, 1.5, 2.5, 3.5, 4.5], ColumnKind::Continuous),
                Column::with_kind("d", vec![f64::NAN; 5], ColumnKind::Discrete),
            ],
        );
        let ln2 = std::f64::consts::LN_2;
        assert!((column_entropy(&ds.columns[0], &settings) - ln2).abs() < 1e-15);
        let h = column_entropies(&ds, &[2, 0, 3], &settings);
        assert!(h[0].is_nan(), "continuous");
        assert!((h[1] - ln2).abs() < 1e-15);
        assert!(h[2].is_nan(), "no values");
        // b: counts 1, 1, 1, 2 of 5.
        let want = -(3.0 * 0.2 * 0.2f64.ln() + 0.4 * 0.4f64.ln());
        assert!((column_entropy(&ds.columns[1], &settings) - want).abs() < 1e-15);
        // Miller–Madow adds (K − 1)/(2n): 3/10 for b.
        let mm = Settings {
            miller_madow: true,
            ..Settings::default()
        };
        assert!((column_entropy(&ds.columns[1], &mm) - (want + 0.3)).abs() < 1e-15);
    }
}

//! Conditional MI I(X;Y|Z) for every pair given one conditioner Z, beside I(X;Y) on the
//! same rows: negative differences are dependences Z explains away (common cause),
//! positive ones are dependences Z reveals (collider, synergy such as XOR).

use super::{Cancelled, Progress, pairs_of};
use crate::analysis::matrix::MatrixResult;
use crate::data::Column;
use crate::data::Dataset;
use crate::estimate::cmi_null::cmi_permutation_test;
use crate::estimate::cmi_pairs::{self, PairBuffers, StripColumn};
use crate::estimate::knn::Conditioner;
use crate::estimate::pair::{PairEstimate, PreparedColumns, min_rows};
use crate::estimate::parallel::Cancel;
use crate::estimate::prepare::knn_ready;
use crate::estimate::significance::{PermutationResult, adjusted_where_tested};
use crate::estimate::triple::{CmiEstimate, cmi_triple_with, frenzel_pompe_continuous};
use crate::estimate::{EstimateError, Method, Settings};
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
    run_with(ds, columns, given, settings, permutations, None, progress)
}

/// [`run_tested`] taking I(X;Y) from `known` (a matrix of the same dataset and
/// settings, e.g. the heatmap's) where it holds the pair and Z has a value in every
/// row, so those rows are the pair's own: the numbers are the same as computed here.
pub fn run_with(
    ds: &Dataset,
    columns: &[usize],
    given: usize,
    settings: &Settings,
    permutations: usize,
    known: Option<&MatrixResult>,
    progress: &Progress,
) -> Result<Vec<CmiRow>, Cancelled> {
    let others: Vec<usize> = columns.iter().copied().filter(|&c| c != given).collect();
    let pairs = pairs_of(&others);
    progress.start("conditional MI", pairs.len());
    let z = &ds.columns[given];
    let z_complete = complete(z, ds.n_rows);
    let known = known.filter(|m| z_complete && m.request.settings == *settings);
    // I(X;Y) of pairs the known matrix lacks, from per-column caches as in a matrix.
    let cache = z_complete.then(|| {
        let cache = PreparedColumns::new(&ds.columns, &others);
        cache.warm(&ds.columns, &others, settings);
        cache
    });
    progress.check()?;
    let shared = SharedZ::new(ds, &others, given, settings);
    progress.check()?;
    // Pairs run in parallel; a pair spreads its points only when pairs are too few.
    let inner_parallel = pairs.len() < 2 * rayon::current_num_threads();
    let rows: Vec<Option<CmiRow>> = pairs
        .par_iter()
        .map_init(PairBuffers::default, |buffers, &(x, y)| {
            if progress.is_cancelled() {
                return None;
            }
            let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
            let cancelled = || progress.is_cancelled();
            let cancel = Cancel::new(&cancelled);
            let known_mi = known
                .and_then(|m| m.cell(x, y))
                .and_then(|(_, c)| c.estimate.clone().ok())
                .or_else(|| {
                    let c = cache.as_ref()?;
                    c.estimate((x, cx), (y, cy), settings, inner_parallel, cancel)??
                        .ok()
                        .map(|(e, _)| e)
                });
            if progress.is_cancelled() {
                return None;
            }
            let fast = (shared.as_ref().zip(known_mi.as_ref())).and_then(|(s, mi)| {
                s.estimate((x, y), mi, settings, (inner_parallel, cancel), buffers)
            });
            let estimate = match fast {
                Some(e) => Ok(e?),
                None => cmi_triple_with(cx, cy, z, settings, known_mi),
            };
            let test = match (&estimate, permutations) {
                (Ok(e), p) if p > 0 => {
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

fn complete(c: &Column, n: usize) -> bool {
    c.values.len() == n && !c.values.iter().any(|v| v.is_nan())
}

/// A continuous conditioner with a value in every row and the continuous columns
/// without missing values, prepared once for the strip search of every pair among them.
struct SharedZ {
    conditioner: Conditioner,
    /// Indexed by dataset column.
    columns: Vec<Option<StripColumn>>,
    z: usize,
}

impl SharedZ {
    fn new(ds: &Dataset, others: &[usize], given: usize, settings: &Settings) -> Option<Self> {
        let n = ds.n_rows;
        let z = &ds.columns[given];
        let rows: Vec<usize> = (0..n).collect();
        if !complete(z, n) || z.kind.is_discrete() || n < min_rows(Method::FrenzelPompe, settings.k)
        {
            return None;
        }
        // A pair of two eligible columns takes the strip search: whether it does
        // depends only on each column's kind and the settings, so one column is
        // checked as a pair with itself.
        let eligible = |c: usize| {
            let col = &ds.columns[c];
            complete(col, n) && frenzel_pompe_continuous(col, col, z, settings)
        };
        let prepared: Vec<(usize, StripColumn)> = others
            .par_iter()
            .filter(|&&c| eligible(c))
            .map(|&c| {
                (
                    c,
                    StripColumn::new(knn_ready(&ds.columns[c], &rows, settings.seed)),
                )
            })
            .collect();
        if prepared.len() < 2 {
            return None;
        }
        let mut columns: Vec<Option<StripColumn>> = (0..ds.columns.len()).map(|_| None).collect();
        for (c, col) in prepared {
            columns[c] = Some(col);
        }
        Some(Self {
            conditioner: Conditioner::new(knn_ready(z, &rows, settings.seed)),
            columns,
            z: given,
        })
    }

    /// `None` when x or y is not among the prepared columns; `Some(None)` when
    /// cancelled.
    fn estimate(
        &self,
        (x, y): (usize, usize),
        mi: &PairEstimate,
        settings: &Settings,
        run: (bool, Cancel),
        buffers: &mut PairBuffers,
    ) -> Option<Option<CmiEstimate>> {
        if x == self.z || y == self.z {
            return None;
        }
        let (cx, cy) = (
            self.columns.get(x)?.as_ref()?,
            self.columns.get(y)?.as_ref()?,
        );
        let cmi = cmi_pairs::cmi(&self.conditioner, (cx, cy), settings.k, run, buffers);
        Some(cmi.map(|cmi| CmiEstimate {
            cmi,
            mi: mi.mi,
            n_used: self.conditioner.len(),
            method: Method::FrenzelPompe,
            mi_method: mi.method,
        }))
    }
}

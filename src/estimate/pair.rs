//! MI of a pair of dataset columns: choosing the estimator by column kinds, preparing
//! the pairwise-complete rows, and re-estimating under permutations.

use super::knn::SortedAxis;
use super::parallel::Cancel;
use super::prepare::{codes_at, complete_rows, gather, knn_ready, knn_scaled};
use super::{
    BinRule, EstimateError, Estimator, Method, Settings, correlation, discrete, histogram, ksg,
    mixed, ross, significance,
};
use crate::data::{Column, ColumnKind};
use rayon::prelude::*;
use std::sync::OnceLock;

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

/// The kNN method to use when a continuous column of the pair has repeated values
/// (`tied`): GKOV's tie-aware forms, which read the ties instead of jittering them
/// apart. Other methods, and tie-free pairs, are unchanged.
pub fn tie_aware(method: Method, tied: bool) -> Method {
    match method {
        Method::Ksg1 | Method::Ksg2 if tied => Method::MixedKsg,
        Method::Ross if tied => Method::MixedRoss,
        m => m,
    }
}

/// Whether a kNN method's continuous columns have repeated values at `rows`.
pub fn pair_tied(method: Method, columns: [&Column; 2], rows: &[usize]) -> bool {
    matches!(method, Method::Ksg1 | Method::Ksg2 | Method::Ross)
        && columns
            .iter()
            .any(|c| !c.kind.is_discrete() && mixed::has_ties(&gather(&c.values, rows)))
}

/// Fewest complete rows a method can work with.
pub fn min_rows(method: Method, k: usize) -> usize {
    match method {
        Method::Ksg1
        | Method::Ksg2
        | Method::Ross
        | Method::MixedKsg
        | Method::MixedRoss
        | Method::FrenzelPompe => k + 1,
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
        Method::MixedKsg | Method::MixedRoss => Prepared::Continuous(knn_scaled(column, rows)),
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
        let method = tie_aware(method, pair_tied(method, [x, y], rows));
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

    /// [`Self::estimate`] that stops when `cancel` fires (the kNN methods poll it every
    /// few hundred points): `None` when it did, else the same number.
    pub fn estimate_until(&self, cancel: Cancel) -> Option<f64> {
        estimate_ref_until(
            self.method,
            self.x.as_ref(),
            self.y.as_ref(),
            self.k,
            self.settings.miller_madow,
            cancel,
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
        // KSG sorts each column for its marginal counts and its neighbour index; a
        // permutation of y leaves y's sorted values as they are, so both columns are
        // sorted once here and each permutation only re-maps y's ranks.
        if let (Method::Ksg1 | Method::Ksg2, Prepared::Continuous(a), Prepared::Continuous(b)) =
            (self.method, &self.x, &self.y)
        {
            let alg = if self.method == Method::Ksg1 {
                ksg::Algorithm::One
            } else {
                ksg::Algorithm::Two
            };
            let (sx, sy) = (SortedAxis::new(a), SortedAxis::new(b));
            return significance::permutation_test(
                observed,
                self.n(),
                permutations,
                self.settings.seed,
                cancelled,
                &|perm| ksg::mi_sorted(&sx, &sy.permuted(perm), self.k, alg, false),
            );
        }
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
    estimate_ref(method, x.as_ref(), y.as_ref(), k, mm)
}

fn estimate_ref(method: Method, x: PreparedRef, y: PreparedRef, k: usize, mm: bool) -> f64 {
    // Never `None`: nothing cancels.
    estimate_ref_until(method, x, y, k, mm, Cancel::NEVER).unwrap_or(f64::NAN)
}

/// The estimate, or `None` when `cancel` fired. Only the kNN methods poll it: the
/// others take milliseconds even at a million rows.
fn estimate_ref_until(
    method: Method,
    x: PreparedRef,
    y: PreparedRef,
    k: usize,
    mm: bool,
    cancel: Cancel,
) -> Option<f64> {
    use PreparedRef::{Codes, Continuous};
    let (one, two) = (ksg::Algorithm::One, ksg::Algorithm::Two);
    match (method, x, y) {
        (Method::Ksg1, Continuous(a), Continuous(b)) => ksg::mi_until(a, b, k, one, cancel),
        (Method::Ksg2, Continuous(a), Continuous(b)) => ksg::mi_until(a, b, k, two, cancel),
        (Method::Gaussian, Continuous(a), Continuous(b)) => {
            Some(correlation::gaussian_mi(correlation::pearson(a, b)))
        }
        (Method::Copula, Continuous(a), Continuous(b)) => Some(correlation::copula_mi(a, b)),
        (Method::Ross, Continuous(c), Codes(d)) | (Method::Ross, Codes(d), Continuous(c)) => {
            ross::mi_until(c, d, k, cancel)
        }
        (Method::MixedKsg, Continuous(a), Continuous(b)) => mixed::mi_cc_until(a, b, k, cancel),
        (Method::MixedRoss, Continuous(c), Codes(d))
        | (Method::MixedRoss, Codes(d), Continuous(c)) => mixed::mi_cd_until(c, d, k, cancel),
        (_, Codes(a), Codes(b)) => Some(discrete::mi(a, b, mm)),
        // Unreachable by construction: prepare_column matches the method.
        _ => Some(f64::NAN),
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

/// [`mi_pair_rows`] that stops when `cancel` fires: `None` when it did, else the same
/// result.
pub fn mi_pair_rows_until(
    x: &Column,
    y: &Column,
    rows: &[usize],
    settings: &Settings,
    cancel: Cancel,
) -> Option<Result<PairEstimate, EstimateError>> {
    let prepared = match PreparedPair::new(x, y, rows, settings) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(PairEstimate {
        mi: prepared.estimate_until(cancel)?,
        n_used: rows.len(),
        method: prepared.method,
    }))
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

/// One column prepared once and shared by every pair that uses all of its rows (the
/// common case in a matrix: no missing values). Each form is built on first use.
///
/// The forms are exactly what [`prepare_column`] produces for the full row range
/// `0..n`, which is what a pair of complete columns uses, so an estimate from the cache
/// is the same floating-point number as [`mi_pair`] computes alone.
#[derive(Debug, Default)]
pub struct ColumnCache {
    /// Scaled, jittered values, sorted, with each row's sorted position (kNN methods;
    /// the values in row order are read back through the rank).
    knn: OnceLock<SortedAxis>,
    /// Bin codes (histogram / plug-in on a continuous column) or value codes
    /// (discrete), with their marginal counts, for the per-pair joint count.
    codes: OnceLock<discrete::CodeSummary>,
    /// Whether the column has repeated values (then its kNN pairs are tie-aware).
    tied: OnceLock<bool>,
    /// Scaled values without jitter (the tie-aware methods).
    scaled: OnceLock<Vec<f64>>,
}

/// Per-column caches for a set of dataset columns (a matrix or any many-pair run).
#[derive(Debug)]
pub struct PreparedColumns {
    /// Rows of the dataset; a column is cacheable when it has a value in every row.
    n_rows: usize,
    /// Indexed by dataset column; `None` for columns with missing values.
    cache: Vec<Option<ColumnCache>>,
}

impl PreparedColumns {
    /// Caches for the given dataset columns (others are never cached).
    pub fn new(columns: &[Column], which: &[usize]) -> Self {
        let n_rows = columns.iter().map(|c| c.values.len()).min().unwrap_or(0);
        let cache = (0..columns.len())
            .into_par_iter()
            .map(|c| {
                let col = &columns[c];
                (which.contains(&c)
                    && col.values.len() == n_rows
                    && !col.values.iter().any(|v| v.is_nan()))
                .then(ColumnCache::default)
            })
            .collect();
        Self { n_rows, cache }
    }

    /// Builds, in parallel over columns, every form that the pairs among `which` use
    /// (left to first use, the first pairs would build them one at a time while the
    /// other threads wait). Only speed changes: a form not built here is built on first
    /// use, the same way.
    pub fn warm(&self, columns: &[Column], which: &[usize], settings: &Settings) {
        let mut kinds: Vec<ColumnKind> = Vec::new();
        for &c in which {
            if let Some(col) = columns.get(c)
                && !kinds.contains(&col.kind)
            {
                kinds.push(col.kind);
            }
        }
        which.par_iter().for_each(|&c| {
            let (Some(g), Some(column)) = (self.get(c), columns.get(c)) else {
                return;
            };
            for &other in &kinds {
                let method = resolve(settings.estimator, column.kind, other);
                let method = tie_aware(method, self.tied(g, column));
                self.form(g, column, method, settings);
            }
        });
    }

    fn tied(&self, cache: &ColumnCache, column: &Column) -> bool {
        !column.kind.is_discrete()
            && *cache
                .tied
                .get_or_init(|| mixed::has_ties(&column.values[..self.n_rows]))
    }

    fn get(&self, c: usize) -> Option<&ColumnCache> {
        self.cache.get(c).and_then(Option::as_ref)
    }

    /// Approximate bytes held by the built caches.
    pub fn heap_bytes(&self) -> usize {
        self.cache
            .iter()
            .flatten()
            .map(|c| {
                c.knn.get().map_or(0, SortedAxis::heap_bytes)
                    + c.codes.get().map_or(0, discrete::CodeSummary::heap_bytes)
            })
            .sum()
    }

    /// The estimate of columns `x`, `y` (dataset indices, `cx`/`cy` the columns) from
    /// the caches, or `None` when either column has missing values (use the pairwise
    /// path); `Some(None)` when `cancel` fired. `parallel` lets a kNN estimate spread
    /// its points over the pool.
    pub fn estimate<'a>(
        &'a self,
        (x, cx): (usize, &'a Column),
        (y, cy): (usize, &'a Column),
        settings: &Settings,
        parallel: bool,
        cancel: Cancel,
    ) -> Option<Option<CachedEstimate<'a>>> {
        let (gx, gy) = (self.get(x)?, self.get(y)?);
        let n = self.n_rows;
        let method = resolve(settings.estimator, cx.kind, cy.kind);
        let method = if matches!(method, Method::Ksg1 | Method::Ksg2 | Method::Ross) {
            tie_aware(method, self.tied(gx, cx) || self.tied(gy, cy))
        } else {
            method
        };
        let needed = min_rows(method, settings.k);
        if n < needed {
            return Some(Some(Err(EstimateError::NotEnoughData {
                n_used: n,
                needed,
            })));
        }
        let refs = PreparedRefs {
            method,
            x: self.form(gx, cx, method, settings),
            y: self.form(gy, cy, method, settings),
        };
        let mi = match (method, &refs.x, &refs.y) {
            (Method::Ksg1 | Method::Ksg2, Form::Knn(sa), Form::Knn(sb)) => {
                let alg = if method == Method::Ksg1 {
                    ksg::Algorithm::One
                } else {
                    ksg::Algorithm::Two
                };
                ksg::mi_sorted_until(sa, sb, settings.k, alg, parallel, cancel)
            }
            (_, Form::Codes(a), Form::Codes(b)) => {
                Some(discrete::mi_summarised(a, b, settings.miller_madow))
            }
            _ => {
                let (mut bx, mut by) = (Lent::default(), Lent::default());
                estimate_ref_until(
                    method,
                    refs.x.borrowed(&mut bx),
                    refs.y.borrowed(&mut by),
                    settings.k,
                    settings.miller_madow,
                    cancel,
                )
            }
        };
        let Some(mi) = mi else {
            return Some(None);
        };
        Some(Some(Ok((
            PairEstimate {
                mi,
                n_used: n,
                method,
            },
            refs,
        ))))
    }

    fn form<'a>(
        &self,
        cache: &'a ColumnCache,
        column: &'a Column,
        method: Method,
        settings: &Settings,
    ) -> Form<'a> {
        let all = || (0..self.n_rows).collect::<Vec<usize>>();
        match method {
            Method::PlugIn | Method::Histogram if !column.kind.is_discrete() => {
                // What `prepare_column` computes on all rows, without gathering a copy.
                Form::Codes(cache.codes.get_or_init(|| {
                    let values = &column.values[..self.n_rows];
                    let (bins, strategy) = (
                        histogram::bin_count(values, settings.bins),
                        settings.strategy,
                    );
                    match histogram::bin_codes_bytes(values, bins, strategy) {
                        Some(bytes) => discrete::CodeSummary::from_bytes(bytes),
                        None => {
                            discrete::CodeSummary::new(histogram::bin_codes(values, bins, strategy))
                        }
                    }
                }))
            }
            _ if column.kind.is_discrete() => Form::Codes(
                cache
                    .codes
                    .get_or_init(|| discrete::CodeSummary::new(codes_at(column, &all()).0)),
            ),
            Method::Gaussian | Method::Copula => Form::Raw(&column.values[..self.n_rows]),
            Method::MixedKsg | Method::MixedRoss => {
                Form::Raw(cache.scaled.get_or_init(|| knn_scaled(column, &all())))
            }
            _ => Form::Knn(
                cache
                    .knn
                    .get_or_init(|| SortedAxis::new(&knn_ready(column, &all(), settings.seed))),
            ),
        }
    }
}

/// A cached pair's estimate with its inputs (for a permutation test), or why there is
/// none.
pub type CachedEstimate<'a> = Result<(PairEstimate, PreparedRefs<'a>), EstimateError>;

/// A cached pair's inputs, borrowed from [`PreparedColumns`].
pub struct PreparedRefs<'a> {
    pub method: Method,
    x: Form<'a>,
    y: Form<'a>,
}

enum Form<'a> {
    Knn(&'a SortedAxis),
    Raw(&'a [f64]),
    Codes(&'a discrete::CodeSummary),
}

/// Owned copies a [`Form`] may need to lend its data as a [`PreparedRef`].
#[derive(Default)]
struct Lent {
    values: Vec<f64>,
    codes: Vec<u32>,
}

impl Form<'_> {
    /// The values or codes, borrowed (kNN values and byte codes are read into `lent`).
    fn borrowed<'b>(&'b self, lent: &'b mut Lent) -> PreparedRef<'b> {
        match self {
            Form::Knn(a) => {
                lent.values = a.values();
                PreparedRef::Continuous(&lent.values)
            }
            Form::Raw(v) => PreparedRef::Continuous(v),
            Form::Codes(c) => {
                lent.codes = c.wide().into_owned();
                PreparedRef::Codes(&lent.codes)
            }
        }
    }
    fn to_owned(&self) -> Prepared {
        match self {
            Form::Knn(a) => Prepared::Continuous(a.values()),
            Form::Raw(v) => Prepared::Continuous(v.to_vec()),
            Form::Codes(c) => Prepared::Codes(c.wide().into_owned()),
        }
    }
}

impl PreparedRefs<'_> {
    /// An owned [`PreparedPair`] (for permutation tests).
    pub fn to_pair(&self, settings: &Settings) -> PreparedPair {
        PreparedPair {
            method: self.method,
            x: self.x.to_owned(),
            y: self.y.to_owned(),
            k: settings.k,
            settings: settings.clone(),
        }
    }
}

/// A borrowed [`Prepared`].
#[derive(Clone, Copy)]
enum PreparedRef<'a> {
    Continuous(&'a [f64]),
    Codes(&'a [u32]),
}

impl Prepared {
    fn as_ref(&self) -> PreparedRef<'_> {
        match self {
            Prepared::Continuous(v) => PreparedRef::Continuous(v),
            Prepared::Codes(c) => PreparedRef::Codes(c),
        }
    }
}

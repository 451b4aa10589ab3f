//! Information between sets of columns: I(X₁…X_a ; Y₁…Y_b | Z₁…Z_c) and the total
//! correlation TC(X₁…X_m), with the estimator chosen by the kinds in the sets.
//!
//! | sets | `estimator` name | what it computes |
//! | --- | --- | --- |
//! | all discrete (or `plugin`/`hist` asked) | `plugin` / `hist` | plug-in counts on the joint codes of each set (continuous columns binned by the bin rule: `hist`), Miller–Madow if asked |
//! | all continuous, no Z | `ksg1` / `ksg2` | KSG on vector variables, max-norm ([`knn`]) |
//! | all continuous, with Z | `frenzel-pompe` | Frenzel–Pompe (the KSG-1 form; `ksg2` has no conditioned form here) |
//! | continuous X set, discrete Y set (or the reverse), no Z | `ross` | Ross (2014) on a vector continuous part |
//! | continuous X, Y, discrete Z | `stratified-ksg1` | KSG-1 within each stratum of Z, weighted by its size |
//! | continuous X, discrete Y, discrete Z (or the reverse) | `stratified-ross` | Ross within each stratum of Z |
//! | any other mix | `matched-knn` | the same kNN sum with exact matching on discrete coordinates (0/∞ metric) |
//! | `gauss` / `copula` with all continuous | `gauss` / `copula` | log-determinants of the correlation matrix ([`gaussian`]); copula on rank-normal scores |
//!
//! `gauss`/`copula` asked for a set with a discrete column resolve as `auto` does. The
//! kNN estimators work in up to [`MAX_DIMS`] continuous dimensions (all sets together);
//! beyond that the estimate is an [`EstimateError::Unsupported`] that says what to do.
//!
//! Continuous columns are prepared by [`crate::estimate::prepare`] as for a pair (unit
//! standard deviation, seeded jitter that depends on (seed, column name, row)), so a
//! (1, 1) KSG estimate equals the pairwise KSG of the two columns on the same rows.
//! Repeated values in a continuous column are broken by that jitter: the tie-aware
//! pairwise estimator (GKOV) has no vector form here, so declare columns whose repeats
//! are categories as discrete.

pub mod gaussian;
pub mod knn;
pub mod null;
pub mod space;

pub use space::MAX_DIMS;

use super::prepare::{codes_at, gather, knn_ready};
use super::{EstimateError, Estimator, Method, Settings, correlation, discrete, pair};
use crate::data::Column;
use knn::{Coord, KnnError, Term};
use serde::{Deserialize, Serialize};

/// The estimator that produced a set estimate (what `auto` resolved to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MultiMethod {
    PlugIn,
    Histogram,
    Ksg1,
    Ksg2,
    FrenzelPompe,
    Ross,
    StratifiedKsg1,
    StratifiedRoss,
    MatchedKnn,
    Gaussian,
    Copula,
}

impl MultiMethod {
    /// The name written in the `estimator` column.
    pub fn name(self) -> &'static str {
        match self {
            Self::PlugIn => "plugin",
            Self::Histogram => "hist",
            Self::Ksg1 => "ksg1",
            Self::Ksg2 => "ksg2",
            Self::FrenzelPompe => "frenzel-pompe",
            Self::Ross => "ross",
            Self::StratifiedKsg1 => "stratified-ksg1",
            Self::StratifiedRoss => "stratified-ross",
            Self::MatchedKnn => "matched-knn",
            Self::Gaussian => "gauss",
            Self::Copula => "copula",
        }
    }

    /// The settings that matter, in the words of the pairwise exports.
    pub fn settings_text(self, s: &Settings) -> String {
        let as_pair = match self {
            Self::PlugIn => Method::PlugIn,
            Self::Histogram => Method::Histogram,
            Self::Gaussian => Method::Gaussian,
            Self::Copula => Method::Copula,
            _ => Method::Ksg1,
        };
        as_pair.settings_text(s)
    }

    pub fn is_knn(self) -> bool {
        !matches!(
            self,
            Self::PlugIn | Self::Histogram | Self::Gaussian | Self::Copula
        )
    }
}

/// One set estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultiEstimate {
    /// Nats; kNN estimates may be slightly negative and are reported as computed.
    pub mi: f64,
    pub n_used: usize,
    pub method: MultiMethod,
}

/// The estimator for sets of these columns (module table).
pub fn resolve(estimator: Estimator, x: &[&Column], y: &[&Column], z: &[&Column]) -> MultiMethod {
    let disc = |s: &[&Column]| s.iter().all(|c| c.kind.is_discrete());
    let cont = |s: &[&Column]| s.iter().all(|c| !c.kind.is_discrete());
    let all = |f: &dyn Fn(&[&Column]) -> bool| f(x) && f(y) && f(z);
    if all(&disc) {
        return MultiMethod::PlugIn;
    }
    match estimator {
        Estimator::Histogram | Estimator::PlugIn => return MultiMethod::Histogram,
        Estimator::Gaussian if all(&cont) => return MultiMethod::Gaussian,
        Estimator::Copula if all(&cont) => return MultiMethod::Copula,
        _ => {}
    }
    let one_each = (cont(x) && disc(y)) || (disc(x) && cont(y));
    match (z.is_empty(), all(&cont)) {
        (true, true) if estimator == Estimator::Ksg2 => MultiMethod::Ksg2,
        (true, true) => MultiMethod::Ksg1,
        (false, true) => MultiMethod::FrenzelPompe,
        (true, false) if one_each => MultiMethod::Ross,
        (false, false) if disc(z) && cont(x) && cont(y) => MultiMethod::StratifiedKsg1,
        (false, false) if disc(z) && one_each => MultiMethod::StratifiedRoss,
        _ => MultiMethod::MatchedKnn,
    }
}

/// Fewest complete rows a method needs for sets with `dims` columns in all.
pub fn min_rows(method: MultiMethod, k: usize, dims: usize) -> usize {
    match method {
        MultiMethod::PlugIn | MultiMethod::Histogram => 2,
        MultiMethod::Gaussian | MultiMethod::Copula => (dims + 2).max(3),
        _ => k + 1,
    }
}

/// One column at the rows, in the form `method` consumes.
#[derive(Clone, Debug, PartialEq)]
pub enum Var {
    Continuous(Vec<f64>),
    Discrete(Vec<u32>),
}

impl Var {
    fn prepare(column: &Column, rows: &[usize], method: MultiMethod, s: &Settings) -> Self {
        match method {
            _ if column.kind.is_discrete() => Var::Discrete(codes_at(column, rows).0),
            MultiMethod::Histogram => {
                match pair::prepare_column(column, rows, Method::Histogram, s) {
                    pair::Prepared::Codes(c) => Var::Discrete(c),
                    pair::Prepared::Continuous(v) => Var::Continuous(v),
                }
            }
            MultiMethod::Gaussian => Var::Continuous(gather(&column.values, rows)),
            MultiMethod::Copula => {
                Var::Continuous(correlation::normal_scores(&gather(&column.values, rows)))
            }
            _ => Var::Continuous(knn_ready(column, rows, s.seed)),
        }
    }

    fn coord(&self) -> Coord<'_> {
        match self {
            Var::Continuous(v) => Coord::Continuous(v),
            Var::Discrete(c) => Coord::Discrete(c),
        }
    }

    pub fn len(&self) -> usize {
        self.coord().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `v'[i] = v[source[i]]`.
    pub fn reordered(&self, source: &[usize]) -> Self {
        match self {
            Var::Continuous(v) => Var::Continuous(source.iter().map(|&i| v[i]).collect()),
            Var::Discrete(c) => Var::Discrete(source.iter().map(|&i| c[i]).collect()),
        }
    }
}

/// Sets prepared once for an estimate and its permutations.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedSets {
    pub method: MultiMethod,
    pub x: Vec<Var>,
    pub y: Vec<Var>,
    pub z: Vec<Var>,
    pub k: usize,
    pub miller_madow: bool,
}

impl PreparedSets {
    /// The sets at `rows` (complete for every column), with the method `settings` resolve to.
    pub fn new(
        (x, y, z): (&[&Column], &[&Column], &[&Column]),
        rows: &[usize],
        settings: &Settings,
    ) -> Result<Self, EstimateError> {
        if x.is_empty() || y.is_empty() {
            return Err(EstimateError::Unsupported(
                "both sets need at least one column".into(),
            ));
        }
        let method = resolve(settings.estimator, x, y, z);
        let dims = x.len() + y.len() + z.len();
        let needed = min_rows(method, settings.k, dims);
        if rows.len() < needed {
            return Err(EstimateError::NotEnoughData {
                n_used: rows.len(),
                needed,
            });
        }
        check_dims(
            method,
            settings.estimator,
            [x, y, z].iter().flat_map(|s| s.iter().copied()),
        )?;
        let prep = |s: &[&Column]| -> Vec<Var> {
            s.iter()
                .map(|c| Var::prepare(c, rows, method, settings))
                .collect()
        };
        Ok(Self {
            method,
            x: prep(x),
            y: prep(y),
            z: prep(z),
            k: settings.k,
            miller_madow: settings.miller_madow,
        })
    }

    pub fn n(&self) -> usize {
        self.x.first().map_or(0, Var::len)
    }

    /// I(X;Y|Z) in nats (I(X;Y) when Z is empty).
    pub fn estimate(&self) -> Result<f64, EstimateError> {
        let n = self.n();
        match self.method {
            MultiMethod::PlugIn | MultiMethod::Histogram => {
                let (x, y) = (joint_code(&self.x, n), joint_code(&self.y, n));
                Ok(if self.z.is_empty() {
                    discrete::mi(&x, &y, self.miller_madow)
                } else {
                    discrete::cmi(&x, &y, &joint_code(&self.z, n), self.miller_madow)
                })
            }
            MultiMethod::Gaussian | MultiMethod::Copula => {
                let cols: Vec<&[f64]> = self.all().filter_map(continuous).collect();
                let d = cols.len();
                let r = gaussian::correlation_matrix(&cols);
                let (a, b) = (self.x.len(), self.y.len());
                let ix: Vec<usize> = (0..a).collect();
                let iy: Vec<usize> = (a..a + b).collect();
                let iz: Vec<usize> = (a + b..d).collect();
                Ok(gaussian::gaussian_cmi(&r, d, &ix, &iy, &iz))
            }
            MultiMethod::Ksg2 => {
                let x: Vec<&[f64]> = self.x.iter().filter_map(continuous).collect();
                let y: Vec<&[f64]> = self.y.iter().filter_map(continuous).collect();
                knn::ksg2(&x, &y, self.k).map_err(|e| knn_error(e, n))
            }
            _ => {
                let coords: Vec<Coord<'_>> = self.all().map(Var::coord).collect();
                let (a, b) = (self.x.len(), self.y.len());
                let d = coords.len();
                let z: Vec<usize> = (a + b..d).collect();
                let xz: Vec<usize> = (0..a).chain(a + b..d).collect();
                let yz: Vec<usize> = (a..d).collect();
                let terms = [
                    Term {
                        coords: &xz,
                        weight: -1.0,
                    },
                    Term {
                        coords: &yz,
                        weight: -1.0,
                    },
                    Term {
                        coords: &z,
                        weight: 1.0,
                    },
                ];
                knn::knn_sum(&coords, &terms, self.k, 1.0).map_err(|e| knn_error(e, n))
            }
        }
    }

    /// The same sets with X's rows taken from `source` (`x'[i] = x[source[i]]`): a
    /// surrogate for a permutation test.
    pub fn with_x_from(&self, source: &[usize]) -> Self {
        Self {
            x: self.x.iter().map(|v| v.reordered(source)).collect(),
            ..self.clone()
        }
    }

    fn all(&self) -> impl Iterator<Item = &Var> {
        self.x.iter().chain(&self.y).chain(&self.z)
    }
}

fn continuous(v: &Var) -> Option<&[f64]> {
    match v {
        Var::Continuous(c) => Some(c),
        Var::Discrete(_) => None,
    }
}

/// Dense joint codes of a set of discrete variables.
fn joint_code(set: &[Var], n: usize) -> Vec<u32> {
    let mut key = vec![0u32; n];
    for v in set {
        if let Var::Discrete(c) = v {
            key = discrete::joint_codes(&key, c).0;
        }
    }
    key
}

fn check_dims<'a>(
    method: MultiMethod,
    estimator: Estimator,
    columns: impl Iterator<Item = &'a Column>,
) -> Result<(), EstimateError> {
    if !method.is_knn() {
        return Ok(());
    }
    let (discrete, continuous): (Vec<&Column>, Vec<&Column>) =
        columns.partition(|c| c.kind.is_discrete());
    let d = continuous.len();
    if d <= MAX_DIMS {
        return Ok(());
    }
    if matches!(estimator, Estimator::Gaussian | Estimator::Copula) {
        let names: Vec<&str> = discrete.iter().map(|c| c.name.as_str()).collect();
        return Err(EstimateError::Unsupported(format!(
            "{d} continuous columns in all, more than the {MAX_DIMS} the kNN estimators \
             handle, and {} applies to continuous columns only (discrete here: {}); \
             leave out the discrete columns or choose fewer columns",
            estimator.name(),
            names.join(", ")
        )));
    }
    Err(too_many_dims(d))
}

fn too_many_dims(d: usize) -> EstimateError {
    EstimateError::Unsupported(format!(
        "{d} continuous columns in all, more than the {MAX_DIMS} the kNN estimators handle; \
         use --estimator gauss or copula, or fewer columns"
    ))
}

fn knn_error(e: KnnError, n: usize) -> EstimateError {
    match e {
        KnnError::TooManyDims(d) => too_many_dims(d),
        KnnError::TooFewPoints if n >= 2 => EstimateError::Unsupported(
            "no two rows share their discrete values (an identifier-like column?), so no \
             row has a neighbour to compare with"
                .into(),
        ),
        KnnError::TooFewPoints => EstimateError::NotEnoughData {
            n_used: n,
            needed: 2,
        },
        KnnError::NoContinuous => {
            EstimateError::Unsupported("no continuous column for a kNN estimate".into())
        }
    }
}

/// I(X;Y|Z) of column sets on the given rows (complete for every column).
pub fn mi_sets_rows(
    sets: (&[&Column], &[&Column], &[&Column]),
    rows: &[usize],
    settings: &Settings,
) -> Result<MultiEstimate, EstimateError> {
    let prepared = PreparedSets::new(sets, rows, settings)?;
    Ok(MultiEstimate {
        mi: prepared.estimate()?,
        n_used: rows.len(),
        method: prepared.method,
    })
}

/// [`mi_sets_rows`] on the rows where every column of the three sets has a value.
pub fn mi_sets(
    sets: (&[&Column], &[&Column], &[&Column]),
    settings: &Settings,
) -> Result<MultiEstimate, EstimateError> {
    let all: Vec<&Column> = sets.0.iter().chain(sets.1).chain(sets.2).copied().collect();
    let rows = super::prepare::complete_rows(&all);
    mi_sets_rows(sets, &rows, settings)
}

/// Total correlation, its dual and the O-information of one set.
#[derive(Clone, Debug, PartialEq)]
pub struct TcEstimate {
    /// TC = Σ H(Xᵢ) − H(X), nats.
    pub total_correlation: f64,
    /// DTC = H(X) − Σ H(Xᵢ | X₋ᵢ) = (m − 1)·TC − Σᵢ TC(X₋ᵢ), nats (for the kNN
    /// estimators one sum with the joint neighbourhoods, see [`knn`]).
    pub dual_total_correlation: f64,
    /// O = TC − DTC (Rosas et al. 2019): > 0 redundancy-dominated, < 0 synergy-dominated.
    pub o_information: f64,
    /// TC(X₋ᵢ) for each i, in the set's order (nats), each estimated on its own.
    pub leave_one_out: Vec<f64>,
    pub n_used: usize,
    pub method: MultiMethod,
}

/// TC, DTC and O-information of `set` (at least two columns) on `rows`, complete for every
/// column. The leave-one-out TCs use the same method; for a mixed set, a subset left
/// with only discrete columns is counted (plug-in), as the kNN sum needs a distance.
/// Counted and Gaussian estimates take DTC = (m − 1)·TC − Σᵢ TC(X₋ᵢ) (an identity of
/// their entropies); kNN estimates take it from one sum over the joint neighbourhoods.
pub fn tc_rows(
    set: &[&Column],
    rows: &[usize],
    settings: &Settings,
) -> Result<TcEstimate, EstimateError> {
    let m = set.len();
    if m < 2 {
        return Err(EstimateError::Unsupported(
            "total correlation needs at least two columns".into(),
        ));
    }
    // TC resolves as I(X₁; X₂…X_m) would, except that KSG-2 has no TC form here.
    let mut method = resolve(settings.estimator, &set[..1], &set[1..], &[]);
    if matches!(method, MultiMethod::Ksg2) {
        method = MultiMethod::Ksg1;
    }
    if matches!(method, MultiMethod::Ross) {
        method = MultiMethod::MatchedKnn;
    }
    let needed = min_rows(method, settings.k, m);
    if rows.len() < needed {
        return Err(EstimateError::NotEnoughData {
            n_used: rows.len(),
            needed,
        });
    }
    check_dims(method, settings.estimator, set.iter().copied())?;
    let vars: Vec<Var> = set
        .iter()
        .map(|c| Var::prepare(c, rows, method, settings))
        .collect();
    let all: Vec<usize> = (0..m).collect();
    let tc_of = |which: &[usize]| tc_of_vars(&vars, which, method, settings);
    let total = tc_of(&all)?;
    let leave_one_out: Vec<f64> = (0..m)
        .map(|i| {
            let rest: Vec<usize> = all.iter().copied().filter(|&j| j != i).collect();
            tc_of(&rest)
        })
        .collect::<Result<_, _>>()?;
    let counted = vars.iter().all(|v| matches!(v, Var::Discrete(_)));
    let dual = if method.is_knn() && !counted {
        dtc_knn(&vars, settings.k).map_err(|e| knn_error(e, rows.len()))?
    } else {
        (m as f64 - 1.0) * total - leave_one_out.iter().sum::<f64>()
    };
    Ok(TcEstimate {
        total_correlation: total,
        dual_total_correlation: dual,
        o_information: total - dual,
        leave_one_out,
        n_used: rows.len(),
        method,
    })
}

/// DTC by one kNN sum with the joint neighbourhoods ([`knn`]'s module docs).
fn dtc_knn(vars: &[Var], k: usize) -> Result<f64, KnnError> {
    let m = vars.len();
    let coords: Vec<Coord<'_>> = vars.iter().map(Var::coord).collect();
    let rests: Vec<Vec<usize>> = (0..m)
        .map(|i| (0..m).filter(|&j| j != i).collect())
        .collect();
    let mut terms: Vec<Term<'_>> = rests
        .iter()
        .map(|s| Term {
            coords: s,
            weight: -1.0,
        })
        .collect();
    terms.push(Term {
        coords: &[],
        weight: 1.0,
    });
    knn::knn_sum(&coords, &terms, k, m as f64 - 1.0)
}

/// TC of the variables `which` (0 for a single variable).
fn tc_of_vars(
    vars: &[Var],
    which: &[usize],
    method: MultiMethod,
    settings: &Settings,
) -> Result<f64, EstimateError> {
    if which.len() < 2 {
        return Ok(0.0);
    }
    let n = vars.first().map_or(0, Var::len);
    let sub: Vec<&Var> = which.iter().map(|&i| &vars[i]).collect();
    let all_discrete = sub.iter().all(|v| matches!(v, Var::Discrete(_)));
    match method {
        _ if all_discrete => {
            let mm = settings.miller_madow;
            let mut sum = 0.0;
            let mut joint = vec![0u32; n];
            for v in &sub {
                if let Var::Discrete(c) = v {
                    sum += discrete::entropy(c, mm);
                    joint = discrete::joint_codes(&joint, c).0;
                }
            }
            Ok(sum - discrete::entropy(&joint, mm))
        }
        MultiMethod::Gaussian | MultiMethod::Copula => {
            let cols: Vec<&[f64]> = sub.iter().filter_map(|v| continuous(v)).collect();
            let d = cols.len();
            let r = gaussian::correlation_matrix(&cols);
            Ok(gaussian::gaussian_tc(&r, d, &(0..d).collect::<Vec<_>>()))
        }
        _ => {
            let coords: Vec<Coord<'_>> = sub.iter().map(|v| v.coord()).collect();
            let singles: Vec<[usize; 1]> = (0..coords.len()).map(|i| [i]).collect();
            let mut terms: Vec<Term<'_>> = singles
                .iter()
                .map(|s| Term {
                    coords: s,
                    weight: -1.0,
                })
                .collect();
            terms.push(Term {
                coords: &[],
                weight: coords.len() as f64 - 1.0,
            });
            knn::knn_sum(&coords, &terms, settings.k, 1.0).map_err(|e| knn_error(e, n))
        }
    }
}

//! Conditional MI I(X;Y|Z) of dataset columns, choosing the method by kinds:
//! - counts asked (`hist`/`plugin`), or X, Y, Z all discrete: plug-in on codes
//!   (continuous columns binned);
//! - Gaussian/copula with continuous X, Y, Z: partial correlation,
//!   −½ ln(1 − ρ²_{XY·Z});
//! - Z discrete otherwise: Σ_z p(z) I(X;Y | Z=z), each stratum by the pair's estimator
//!   (strata too small for it are left out and the weights renormalised);
//! - Z continuous otherwise: Frenzel–Pompe kNN with exact matching on discrete X or Y.

use super::cmi_knn::{self, Coord};
use super::pair::{
    PairEstimate, Prepared, PreparedPair, min_rows, pair_tied, prepare_column, resolve, tie_aware,
};
use super::prepare::{codes_at, complete_rows, gather, knn_ready};
use super::{EstimateError, Estimator, Method, Settings, StratumMethod, correlation, discrete};
use crate::data::Column;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CmiEstimate {
    /// I(X;Y|Z), nats.
    pub cmi: f64,
    /// I(X;Y) on the same rows, nats, so the difference is like for like.
    pub mi: f64,
    pub n_used: usize,
    pub method: Method,
    pub mi_method: Method,
}

pub fn cmi_triple(
    x: &Column,
    y: &Column,
    z: &Column,
    settings: &Settings,
) -> Result<CmiEstimate, EstimateError> {
    cmi_triple_with(x, y, z, settings, None)
}

/// Whether I(X;Y|Z) of these columns is the Frenzel–Pompe kNN estimate with X and Y
/// continuous, the case [`super::cmi_pairs`] computes for many pairs at once.
pub fn frenzel_pompe_continuous(x: &Column, y: &Column, z: &Column, settings: &Settings) -> bool {
    let counts_asked = matches!(settings.estimator, Estimator::Histogram | Estimator::PlugIn);
    let pair_method = resolve(settings.estimator, x.kind, y.kind);
    !counts_asked
        && !x.kind.is_discrete()
        && !y.kind.is_discrete()
        && !z.kind.is_discrete()
        && !matches!(pair_method, Method::Gaussian | Method::Copula)
}

/// [`cmi_triple`] with I(X;Y) on the triple's complete rows already known (the pair's
/// estimate from a matrix, when Z has a value in every row): it is not computed again.
pub fn cmi_triple_with(
    x: &Column,
    y: &Column,
    z: &Column,
    settings: &Settings,
    known_mi: Option<PairEstimate>,
) -> Result<CmiEstimate, EstimateError> {
    let rows = complete_rows(&[x, y, z]);
    let pair_method = resolve(settings.estimator, x.kind, y.kind);
    // I(X;Y) with the method the pair gets alone (tie-aware where its columns repeat
    // values), so the difference compares like with like.
    let mi = match known_mi {
        Some(e) => e,
        None => {
            let p = PreparedPair::new(x, y, &rows, settings)?;
            PairEstimate {
                mi: p.estimate(),
                n_used: rows.len(),
                method: p.method,
            }
        }
    };
    let counts_asked = matches!(settings.estimator, Estimator::Histogram | Estimator::PlugIn);
    let all_discrete = x.kind.is_discrete() && y.kind.is_discrete() && z.kind.is_discrete();
    let (cmi, method) = if counts_asked || all_discrete {
        let codes = |c: &Column| match prepare_column(c, &rows, Method::Histogram, settings) {
            Prepared::Codes(v) => v,
            Prepared::Continuous(_) => Vec::new(),
        };
        let method = if all_discrete {
            Method::PlugIn
        } else {
            Method::Histogram
        };
        (
            discrete::cmi(&codes(x), &codes(y), &codes(z), settings.miller_madow),
            method,
        )
    } else if matches!(pair_method, Method::Gaussian | Method::Copula) && !z.kind.is_discrete() {
        (
            partial_correlation_cmi(x, y, z, &rows, pair_method),
            pair_method,
        )
    } else if z.kind.is_discrete() {
        stratified(x, y, z, &rows, settings, pair_method)?
    } else {
        let needed = min_rows(Method::FrenzelPompe, settings.k);
        if rows.len() < needed {
            return Err(EstimateError::NotEnoughData {
                n_used: rows.len(),
                needed,
            });
        }
        let prep = |c: &Column| -> Prepared {
            if c.kind.is_discrete() {
                Prepared::Codes(codes_at(c, &rows).0)
            } else {
                Prepared::Continuous(knn_ready(c, &rows, settings.seed))
            }
        };
        let (px, py) = (prep(x), prep(y));
        let zs = knn_ready(z, &rows, settings.seed);
        (
            cmi_knn::cmi(coord(&px), coord(&py), &zs, settings.k),
            Method::FrenzelPompe,
        )
    };
    Ok(CmiEstimate {
        cmi,
        mi: mi.mi,
        n_used: rows.len(),
        method,
        mi_method: mi.method,
    })
}

fn coord(p: &Prepared) -> Coord<'_> {
    match p {
        Prepared::Codes(v) => Coord::Discrete(v),
        Prepared::Continuous(v) => Coord::Continuous(v),
    }
}

fn partial_correlation_cmi(
    x: &Column,
    y: &Column,
    z: &Column,
    rows: &[usize],
    method: Method,
) -> f64 {
    let get = |c: &Column| {
        let v = gather(&c.values, rows);
        if method == Method::Copula {
            correlation::normal_scores(&v)
        } else {
            v
        }
    };
    let (a, b, c) = (get(x), get(y), get(z));
    let (rab, rac, rbc) = (
        correlation::pearson(&a, &b),
        correlation::pearson(&a, &c),
        correlation::pearson(&b, &c),
    );
    let denom = ((1.0 - rac * rac) * (1.0 - rbc * rbc)).sqrt();
    let partial = if denom > 0.0 {
        (rab - rac * rbc) / denom
    } else {
        0.0
    };
    correlation::gaussian_mi(partial.clamp(-1.0, 1.0))
}

fn stratified(
    x: &Column,
    y: &Column,
    z: &Column,
    rows: &[usize],
    settings: &Settings,
    pair_method: Method,
) -> Result<(f64, Method), EstimateError> {
    let (zc, m) = codes_at(z, rows);
    let mut strata: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (&r, &c) in rows.iter().zip(&zc) {
        strata[c as usize].push(r);
    }
    let pair_method = tie_aware(pair_method, pair_tied(pair_method, [x, y], rows));
    let needed = min_rows(pair_method, settings.k);
    let mut weighted = 0.0;
    let mut used = 0usize;
    for stratum in strata.iter().filter(|s| s.len() >= needed) {
        let est = PreparedPair::with_method(x, y, stratum, settings, pair_method)?.estimate();
        weighted += est * stratum.len() as f64;
        used += stratum.len();
    }
    if used == 0 {
        return Err(EstimateError::NotEnoughData {
            n_used: rows.len(),
            needed,
        });
    }
    let inner = match pair_method {
        Method::Ksg2 => StratumMethod::Ksg2,
        Method::Ross => StratumMethod::Ross,
        Method::MixedKsg => StratumMethod::MixedKsg,
        Method::MixedRoss => StratumMethod::MixedRoss,
        Method::Gaussian => StratumMethod::Gaussian,
        Method::Copula => StratumMethod::Copula,
        Method::PlugIn => StratumMethod::PlugIn,
        Method::Histogram => StratumMethod::Histogram,
        _ => StratumMethod::Ksg1,
    };
    Ok((weighted / used as f64, Method::Stratified(inner)))
}

//! The synergy finder: for a target T and every pair of candidate features (X₁, X₂),
//! the interaction information II = I(X₁,X₂;T) − I(X₁;T) − I(X₂;T). Positive II is
//! synergy (XOR-like: the pair tells about T what neither tells alone), negative II is
//! redundancy (both carry the same information about T).
//!
//! - Candidates: with more than `top` of them, the `top` most relevant by I(X;T) (from
//!   the request's cache where given, estimated otherwise), stated in the result.
//! - Relevances I(Xᵢ;T) are estimated once per kept feature with the (1, 1) form of the
//!   joint term's estimator (so the three terms of II are estimated alike), and again
//!   on a pair's rows only when missing values make the pair's complete rows fewer.
//! - Pairs run in parallel; the result is sorted by II, largest first.
//! - Permutation null for the `tested` largest pairs: X₂ is shuffled within strata of a
//!   discrete T (among its nearest neighbours in a continuous T, Runge 2018), so X₂
//!   keeps its relation to T and X₁ is untouched, i.e. I(X₁;T) and I(X₂;T) are kept,
//!   while the X₁–X₂ relation given T, the source of any synergy, is broken. Under that
//!   null II = −I(X₁;X₂) ≤ 0, so the p-value (1 + #{II_null ≥ II}) / (1 + B) asks
//!   whether the pair is more synergistic than conditionally independent features.

use super::{Interaction, SynergyPair, SynergyRequest, SynergyResult};
use crate::analysis::{Cancelled, Progress, pairs_of};
use crate::data::{Column, Dataset};
use crate::estimate::multi::{MultiEstimate, PreparedSets, null};
use crate::estimate::prepare::complete_rows;
use crate::estimate::significance::{adjusted_where_tested, summarise_null};
use crate::estimate::{EstimateError, Settings};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

pub fn run(
    ds: &Dataset,
    request: &SynergyRequest,
    progress: &Progress,
) -> Result<SynergyResult, Cancelled> {
    let target = request.target;
    let mut offered: Vec<usize> = Vec::new();
    for &c in &request.candidates {
        if c != target && c < ds.columns.len() && !offered.contains(&c) {
            offered.push(c);
        }
    }
    let s = &request.settings;
    let Some(t) = ds.columns.get(target) else {
        return Ok(empty(request, offered.len()));
    };
    // Relevance of every offered candidate when the screen needs a ranking, else of all.
    let screen = request.top > 0 && offered.len() > request.top;
    progress.start("relevance to the target", offered.len());
    let ranked: Vec<Ranked> = offered
        .par_iter()
        .map(|&c| {
            if progress.is_cancelled() {
                return (c, None, f64::NAN);
            }
            let cached = screen
                .then(|| request.relevance_cache.iter().find(|(i, _)| *i == c))
                .flatten();
            let out = match cached {
                Some(&(_, v)) => (c, None, v),
                None => {
                    let e = relevance(&ds.columns[c], t, s);
                    let v = e.as_ref().map_or(f64::NAN, |e| e.mi);
                    (c, Some(e), v)
                }
            };
            progress.add(1);
            out
        })
        .collect();
    progress.check()?;
    let mut ranked = ranked;
    // Largest relevance first; no estimate last; ties by column order (deterministic).
    ranked.sort_by(|a, b| {
        let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
        key(b.2).total_cmp(&key(a.2)).then(a.0.cmp(&b.0))
    });
    if screen {
        ranked.truncate(request.top);
    }
    let candidates: Vec<usize> = ranked.iter().map(|r| r.0).collect();
    let relevances: Vec<Result<MultiEstimate, EstimateError>> = ranked
        .into_par_iter()
        .map(|(c, e, _)| e.unwrap_or_else(|| relevance(&ds.columns[c], t, s)))
        .collect();

    let pairs = pairs_of(&candidates);
    progress.start("pairs", pairs.len());
    let pos = |c: usize| candidates.iter().position(|&k| k == c).unwrap_or(0);
    let estimated: Vec<Option<SynergyPair>> = pairs
        .par_iter()
        .map(|&(a, b)| {
            if progress.is_cancelled() {
                return None;
            }
            // Each pair in dataset column order, whatever the relevance order.
            let (a, b) = (a.min(b), a.max(b));
            let estimate = interaction(
                ds,
                (a, b, target),
                (&relevances[pos(a)], &relevances[pos(b)]),
                s,
            );
            progress.add(1);
            Some(SynergyPair {
                x1: a,
                x2: b,
                estimate,
                test: None,
                p_adjusted: None,
            })
        })
        .collect();
    progress.check()?;
    let mut pairs: Vec<SynergyPair> = estimated.into_iter().flatten().collect();
    pairs.sort_by(|p, q| {
        let key = |p: &SynergyPair| p.interaction().unwrap_or(f64::NEG_INFINITY);
        key(q)
            .total_cmp(&key(p))
            .then((p.x1, p.x2).cmp(&(q.x1, q.x2)))
    });
    if request.permutations > 0 {
        let tested = request.tested.min(pairs.len());
        progress.start("permutation tests", tested);
        let tests: Vec<_> = pairs[..tested]
            .par_iter()
            .map(|p| {
                let r = p.estimate.as_ref().ok().and_then(|e| {
                    permutation_test(ds, (p, target), e, request.permutations, s, progress)
                });
                progress.add(1);
                r
            })
            .collect();
        progress.check()?;
        for (p, t) in pairs.iter_mut().zip(tests) {
            p.test = t;
        }
        // The tested pairs were picked for their large II: adjust across them so one
        // lucky pair among twenty does not read as a finding.
        let raw: Vec<Option<f64>> = pairs.iter().map(SynergyPair::p_value).collect();
        for (p, q) in pairs.iter_mut().zip(adjusted_where_tested(&raw)) {
            p.p_adjusted = q;
        }
    }
    Ok(SynergyResult {
        request: request.clone(),
        offered: offered.len(),
        candidates,
        relevance: relevances,
        pairs,
    })
}

/// A candidate, its relevance estimate when one was made (not for cached values), and
/// the value it is ranked by (nats; NaN without an estimate).
type Ranked = (usize, Option<Estimate>, f64);
type Estimate = Result<MultiEstimate, EstimateError>;

fn empty(request: &SynergyRequest, offered: usize) -> SynergyResult {
    SynergyResult {
        request: request.clone(),
        offered,
        candidates: Vec::new(),
        relevance: Vec::new(),
        pairs: Vec::new(),
    }
}

/// I(X;T) on the complete rows of the two columns.
fn relevance(x: &Column, t: &Column, s: &Settings) -> Result<MultiEstimate, EstimateError> {
    crate::estimate::multi::mi_sets((&[x], &[t], &[]), s)
}

fn interaction(
    ds: &Dataset,
    (a, b, t): (usize, usize, usize),
    (ra, rb): (
        &Result<MultiEstimate, EstimateError>,
        &Result<MultiEstimate, EstimateError>,
    ),
    s: &Settings,
) -> Result<Interaction, EstimateError> {
    let (ca, cb, ct) = (&ds.columns[a], &ds.columns[b], &ds.columns[t]);
    let rows = complete_rows(&[ca, cb, ct]);
    let joint = crate::estimate::multi::mi_sets_rows((&[ca, cb], &[ct], &[]), &rows, s)?;
    // The pair's rows are a subset of each feature's complete rows with T: equal
    // counts mean equal rows, so the feature's relevance is reused.
    let on_rows = |r: &Result<MultiEstimate, EstimateError>, c: &Column| match r {
        Ok(e) if e.n_used == rows.len() => Ok(e.mi),
        _ => crate::estimate::multi::mi_sets_rows((&[c], &[ct], &[]), &rows, s).map(|e| e.mi),
    };
    let (mi_x1, mi_x2) = (on_rows(ra, ca)?, on_rows(rb, cb)?);
    Ok(Interaction {
        n_used: rows.len(),
        mi_x1,
        mi_x2,
        mi_joint: joint.mi,
        interaction: joint.mi - mi_x1 - mi_x2,
        method: joint.method,
    })
}

/// The module's null for one pair; `None` when cancelled or not estimable.
fn permutation_test(
    ds: &Dataset,
    (pair, target): (&SynergyPair, usize),
    observed: &Interaction,
    permutations: usize,
    s: &Settings,
    progress: &Progress,
) -> Option<crate::estimate::significance::PermutationResult> {
    let t = ds.columns.get(target)?;
    let (ca, cb) = (&ds.columns[pair.x1], &ds.columns[pair.x2]);
    let rows = complete_rows(&[ca, cb, t]);
    let joint = PreparedSets::new((&[ca, cb], &[t], &[]), &rows, s).ok()?;
    let alone = PreparedSets::new((&[cb], &[t], &[]), &rows, s).ok()?;
    let given = null::given_vars(&[t], &rows, s.seed);
    let pair_seed = s.seed ^ ((pair.x1 as u64) << 32 | pair.x2 as u64);
    let null_values: Vec<f64> = (0..permutations)
        .into_par_iter()
        .map(|b| {
            if progress.is_cancelled() {
                return f64::NAN;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(pair_seed);
            rng.set_stream(b as u64);
            let source = null::conditional_source(&given, rows.len(), &mut rng);
            let mut shuffled = joint.clone();
            shuffled.x[1] = shuffled.x[1].reordered(&source);
            let (Ok(j), Ok(r2)) = (shuffled.estimate(), alone.with_x_from(&source).estimate())
            else {
                return f64::NAN;
            };
            j - observed.mi_x1 - r2
        })
        .collect();
    if progress.is_cancelled() {
        return None;
    }
    Some(summarise_null(observed.interaction, null_values))
}

//! Multivariate MI I(X;Y|Z) of column sets, with a seeded permutation test.
//!
//! The null keeps everything but the X–Y dependence (given Z): X's rows are permuted as
//! a block, so the dependence within X and within Y is kept. Without Z the permutation
//! is uniform; with Z it is restricted to rows with equal discrete Z codes and, in a
//! continuous Z, to each row's nearest neighbours in Z (Runge 2018), so X–Z and Y–Z are
//! kept as well and a strong common cause does not make I(X;Y|Z) look significant.

use super::{MultiRequest, MultiResult};
use crate::analysis::{Cancelled, Progress};
use crate::data::{Column, Dataset};
use crate::estimate::multi::{MultiEstimate, PreparedSets, null};
use crate::estimate::prepare::complete_rows;
use crate::estimate::significance::{PermutationResult, summarise_null};
use crate::estimate::{EstimateError, Settings};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

pub fn run(
    ds: &Dataset,
    request: &MultiRequest,
    progress: &Progress,
) -> Result<MultiResult, Cancelled> {
    progress.start("multivariate MI", 1 + request.permutations);
    let prepared = sets_of(ds, request);
    let estimate = prepared.as_ref().map_err(Clone::clone).and_then(|(p, _)| {
        Ok(MultiEstimate {
            mi: p.estimate()?,
            n_used: p.n(),
            method: p.method,
        })
    });
    progress.add(1);
    progress.check()?;
    let test = match (&prepared, &estimate) {
        (Ok((p, given)), Ok(e)) if request.permutations > 0 => Some(permutation_test(
            p,
            given,
            e.mi,
            request.permutations,
            &request.settings,
            progress,
        )?),
        _ => None,
    };
    Ok(MultiResult {
        request: request.clone(),
        estimate,
        test,
    })
}

/// The prepared sets and the conditioning set as the null reads it.
fn sets_of(
    ds: &Dataset,
    r: &MultiRequest,
) -> Result<(PreparedSets, Vec<crate::estimate::multi::Var>), EstimateError> {
    let cols = |ix: &[usize]| -> Result<Vec<&Column>, EstimateError> {
        ix.iter()
            .map(|&i| {
                ds.columns
                    .get(i)
                    .ok_or_else(|| EstimateError::Unsupported(format!("no column number {i}")))
            })
            .collect()
    };
    let (x, y, z) = (cols(&r.x)?, cols(&r.y)?, cols(&r.given)?);
    check_disjoint(&[("X", &x), ("Y", &y), ("given", &z)])?;
    let all: Vec<&Column> = x.iter().chain(&y).chain(&z).copied().collect();
    let rows = complete_rows(&all);
    let prepared = PreparedSets::new((&x, &y, &z), &rows, &r.settings)?;
    let given = null::given_vars(&z, &rows, r.settings.seed);
    Ok((prepared, given))
}

/// A column may appear in one set only, and once.
fn check_disjoint(sets: &[(&str, &[&Column])]) -> Result<(), EstimateError> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (set, cols) in sets {
        for c in cols.iter() {
            if let Some((first, _)) = seen.iter().find(|(_, name)| *name == c.name) {
                return Err(EstimateError::Unsupported(if first == set {
                    format!("column '{}' is twice in {set}", c.name)
                } else {
                    format!("column '{}' is in both {first} and {set}", c.name)
                }));
            }
            seen.push((set, &c.name));
        }
    }
    Ok(())
}

fn permutation_test(
    prepared: &PreparedSets,
    given: &[crate::estimate::multi::Var],
    observed: f64,
    permutations: usize,
    settings: &Settings,
    progress: &Progress,
) -> Result<PermutationResult, Cancelled> {
    let n = prepared.n();
    let null: Vec<f64> = (0..permutations)
        .into_par_iter()
        .map(|b| {
            if progress.is_cancelled() {
                return f64::NAN;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
            rng.set_stream(b as u64);
            let source = null::conditional_source(given, n, &mut rng);
            let v = prepared.with_x_from(&source).estimate().unwrap_or(f64::NAN);
            progress.add(1);
            v
        })
        .collect();
    progress.check()?;
    Ok(summarise_null(observed, null))
}

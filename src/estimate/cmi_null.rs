//! Permutation null of I(X;Y|Z) that keeps the X–Z and Y–Z dependence: X is shuffled
//! only among rows with similar Z, so the surrogates break X–Y given Z and nothing else
//! (shuffling X freely would also break X–Z, and a strong common cause Z would then make
//! every pair look conditionally dependent).
//!
//! - Discrete Z: X is permuted within each stratum (rows with the same Z value).
//! - Continuous Z: the nearest-neighbour local permutation of Runge (AISTATS 2018,
//!   "Conditional independence testing based on a nearest-neighbor estimator of
//!   conditional mutual information"): each row i, visited in random order, takes the X
//!   of a row among its k_perm nearest neighbours in Z not yet used (a random one of
//!   them if all are used), so the surrogate is close to a permutation and Z barely
//!   changes between a row and the row it borrows from.

use super::significance::{PermutationResult, summarise_null};
use super::triple::cmi_triple;
use super::{EstimateError, Settings};
use crate::data::Column;
use rand::Rng;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Neighbours in Z a row may borrow X from (Runge uses 5 to 10; 5 keeps Z closest).
pub const K_PERM: usize = 5;

/// Seeded conditional permutation test of `observed` = I(X;Y|Z) on the complete rows of
/// the three columns; `None` when cancelled.
pub fn cmi_permutation_test(
    (x, y, z): (&Column, &Column, &Column),
    observed: f64,
    permutations: usize,
    settings: &Settings,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Result<PermutationResult, EstimateError>> {
    let rows = super::prepare::complete_rows(&[x, y, z]);
    let zs: Vec<f64> = rows.iter().map(|&r| z.values[r]).collect();
    let null: Result<Vec<f64>, EstimateError> = (0..permutations)
        .into_par_iter()
        .map(|b| {
            if cancelled() {
                return Ok(f64::NAN);
            }
            let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
            rng.set_stream(b as u64);
            let source = if z.kind.is_discrete() {
                within_strata(&zs, &mut rng)
            } else {
                local_permutation(&zs, K_PERM, &mut rng)
            };
            let mut values = x.values.clone();
            for (i, &r) in rows.iter().enumerate() {
                values[r] = x.values[rows[source[i]]];
            }
            let shuffled = Column::with_kind(x.name.clone(), values, x.kind);
            cmi_triple(&shuffled, y, z, settings).map(|e| e.cmi)
        })
        .collect();
    if cancelled() {
        return None;
    }
    Some(null.map(|null| summarise_null(observed, null)))
}

/// For each position, the position whose X it takes: a uniform permutation within each
/// group of equal `z`.
pub fn within_strata(z: &[f64], rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.sort_by(|&a, &b| z[a].total_cmp(&z[b]).then(a.cmp(&b)));
    let mut source = vec![0usize; z.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && z[order[end]] == z[order[start]] {
            end += 1;
        }
        let mut shuffled = order[start..end].to_vec();
        shuffled.shuffle(rng);
        for (&to, &from) in order[start..end].iter().zip(&shuffled) {
            source[to] = from;
        }
        start = end;
    }
    source
}

/// Runge's local permutation for a 1-D conditioner: position i takes the X of an unused
/// one of its `k` nearest neighbours in z (itself included, as in Runge's scheme), or of a
/// random one of them when all are used.
pub fn local_permutation(z: &[f64], k: usize, rng: &mut impl Rng) -> Vec<usize> {
    let n = z.len();
    let k = k.clamp(1, n.max(1));
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| z[a].total_cmp(&z[b]).then(a.cmp(&b)));
    let mut rank = vec![0usize; n];
    for (p, &i) in order.iter().enumerate() {
        rank[i] = p;
    }
    // The k nearest of each point: a window of k sorted positions grown outwards.
    let neighbours = |i: usize| -> Vec<usize> {
        let p = rank[i];
        let (mut lo, mut hi) = (p, p + 1);
        while hi - lo < k {
            let left = (lo > 0).then(|| z[i] - z[order[lo - 1]]);
            let right = (hi < n).then(|| z[order[hi]] - z[i]);
            match (left, right) {
                (Some(l), Some(r)) if l <= r => lo -= 1,
                (Some(_), None) => lo -= 1,
                _ => hi += 1,
            }
        }
        order[lo..hi].to_vec()
    };
    let mut used = vec![false; n];
    let mut source = vec![0usize; n];
    let mut visit: Vec<usize> = (0..n).collect();
    visit.shuffle(rng);
    for &i in &visit {
        let mut near = neighbours(i);
        near.shuffle(rng);
        let pick = near
            .iter()
            .copied()
            .find(|&j| !used[j])
            .unwrap_or_else(|| near[rng.random_range(0..near.len())]);
        used[pick] = true;
        source[i] = pick;
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_permutations_stay_within_their_stratum() {
        let z = [1.0, 2.0, 1.0, 2.0, 1.0, 3.0];
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = within_strata(&z, &mut rng);
        let mut seen = s.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..6).collect::<Vec<_>>(), "a permutation");
        assert!(s.iter().enumerate().all(|(i, &j)| z[i] == z[j]));
    }

    #[test]
    fn local_permutation_borrows_from_near_neighbours_and_mostly_permutes() {
        let z: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.618_033_988_7).fract())
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let s = local_permutation(&z, 5, &mut rng);
        // Each source is among the 5 nearest in z: within 5 sorted steps of 1/1000.
        assert!(
            s.iter()
                .enumerate()
                .all(|(i, &j)| (z[i] - z[j]).abs() < 0.006)
        );
        let mut distinct = s.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // Runge reports most draws without replacement; here over 90% of rows are used.
        assert!(distinct.len() > 900, "{}", distinct.len());
    }
}

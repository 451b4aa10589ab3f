//! Surrogate row orders for permutation tests of set estimates that keep a conditioning
//! set's dependence: rows are shuffled within strata of the discrete part of the set
//! and, within a stratum, among near neighbours in its continuous part (Runge 2018's
//! local permutation, as [`crate::estimate::cmi_null`] does for one column, here in
//! any dimension up to [`MAX_DIMS`]).

use super::space::{MAX_DIMS, Space};
use super::{Var, joint_code};
use crate::data::Column;
use crate::estimate::cmi_null::K_PERM;
use crate::estimate::knn::Scratch;
use crate::estimate::prepare::{codes_at, knn_ready};
use rand::Rng;
use rand::seq::SliceRandom;

/// The conditioning columns at `rows` as [`conditional_source`] reads them: codes for
/// discrete columns, unit-scale values for continuous ones (so that "near" weighs each
/// coordinate alike, whatever the estimator's own preparation).
pub fn given_vars(columns: &[&Column], rows: &[usize], seed: u64) -> Vec<Var> {
    columns
        .iter()
        .map(|c| {
            if c.kind.is_discrete() {
                Var::Discrete(codes_at(c, rows).0)
            } else {
                Var::Continuous(knn_ready(c, rows, seed))
            }
        })
        .collect()
}

/// For each row, the row whose values it takes: a uniform permutation within each
/// stratum of the discrete variables of `given`, local in its continuous variables
/// (prepared on a common scale). Empty `given`: a uniform permutation of all rows.
pub fn conditional_source(given: &[Var], n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let strata = joint_code(given, n);
    let m = strata.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); m];
    for (i, &c) in strata.iter().enumerate() {
        members[c as usize].push(i as u32);
    }
    let continuous: Vec<&[f64]> = given
        .iter()
        .filter_map(|v| match v {
            Var::Continuous(c) => Some(c.as_slice()),
            Var::Discrete(_) => None,
        })
        .take(MAX_DIMS)
        .collect();
    let mut source: Vec<usize> = (0..n).collect();
    for rows in &members {
        let space = if continuous.is_empty() || rows.len() <= K_PERM {
            None
        } else {
            Space::new(&continuous, rows)
        };
        match space {
            None => {
                let mut shuffled = rows.clone();
                shuffled.shuffle(rng);
                for (&to, &from) in rows.iter().zip(&shuffled) {
                    source[to as usize] = from as usize;
                }
            }
            Some(space) => {
                // Runge: each row, in random order, takes an unused one of its K_PERM
                // nearest (itself included), or a random one of them when all are used.
                let mut used = vec![false; rows.len()];
                let mut visit: Vec<usize> = (0..rows.len()).collect();
                visit.shuffle(rng);
                let (mut scratch, mut near) = (Scratch::default(), Vec::new());
                for &i in &visit {
                    space.nearest(i, K_PERM - 1, &mut scratch, &mut near);
                    near.push(i as u32);
                    near.shuffle(rng);
                    let pick = near
                        .iter()
                        .map(|&j| j as usize)
                        .find(|&j| !used[j])
                        .unwrap_or_else(|| near[rng.random_range(0..near.len())] as usize);
                    used[pick] = true;
                    source[rows[i] as usize] = rows[pick] as usize;
                }
            }
        }
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn strata_are_kept_and_neighbours_are_near() {
        let n = 600;
        let d: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let a: Vec<f64> = (0..n)
            .map(|i| (i as f64 * 0.618_033_988_7).fract())
            .collect();
        let b: Vec<f64> = (0..n)
            .map(|i| (i as f64 * 0.414_213_562_3).fract())
            .collect();
        let given = [
            Var::Discrete(d.clone()),
            Var::Continuous(a.clone()),
            Var::Continuous(b.clone()),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let s = conditional_source(&given, n, &mut rng);
        assert!(s.iter().enumerate().all(|(i, &j)| d[i] == d[j]));
        // 200 points per stratum in the unit square: 5 nearest lie within ~0.15.
        assert!(
            s.iter()
                .enumerate()
                .all(|(i, &j)| (a[i] - a[j]).abs().max((b[i] - b[j]).abs()) < 0.2)
        );
        let mut distinct = s.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > n * 8 / 10, "{}", distinct.len());
    }
}

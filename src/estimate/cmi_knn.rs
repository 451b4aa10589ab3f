//! Frenzel–Pompe (2007) kNN conditional MI for a continuous conditioner, with exact
//! matching on discrete coordinates of X or Y.
//!
//! # Continuous X, Y, Z
//! In the joint space (X, Y, Z) with the max-norm, ε_i is the distance from point i to
//! its k-th nearest neighbour; n_xz(i), n_yz(i), n_z(i) count the points j ≠ i strictly
//! within ε_i in the subspaces (X, Z), (Y, Z) and Z; and
//!
//!   I(X;Y|Z) = ψ(k) − ⟨ψ(n_xz + 1) + ψ(n_yz + 1) − ψ(n_z + 1)⟩,
//!
//! the KSG-1 construction applied to I(X;Y|Z) = H(X,Z) + H(Y,Z) − H(X,Y,Z) − H(Z).
//!
//! # Discrete X and/or Y
//! A discrete coordinate gets the metric "0 if the codes are equal, ∞ otherwise". The
//! k nearest neighbours of a point are then searched among the points sharing its
//! discrete code(s), in the remaining continuous coordinates; a subspace count that
//! includes a discrete variable only counts points with the same code there, while a
//! subspace without it (Z alone, or (Y, Z) when only X is discrete) counts every point.
//! The ε-balls have no extent along discrete axes, so the volume terms cancel exactly as
//! in KSG and the same formula applies. This is the mixed discrete–continuous kNN
//! estimator of the Kraskov/Frenzel–Pompe/Ross family (Ross 2014 is its I(X;Y) special
//! case; cf. the mixed-data CMI of Mesner & Shalizi 2020, which coincides with it when
//! discrete coordinates are matched exactly). With a discrete X, a constant Z gives
//! back Ross's estimate of I(X;Y).
//!
//! # Small groups
//! Like Ross (and scikit-learn's `mutual_info_classif`), a point whose discrete group
//! has m ≤ k members uses k_i = min(k, m − 1) neighbours and ψ(k_i) in place of ψ(k);
//! points of singleton groups have no neighbour at all and are dropped, and every count
//! is then taken over the retained points. With fewer than two retained points the
//! estimate is 0. With all coordinates continuous this means k is clamped to N − 1.
//!
//! Estimates can be slightly negative when X and Y are conditionally independent; they
//! are reported as computed.

use super::cmi_pairs::{self, PairBuffers, StripColumn};
use super::knn::{Conditioner, Groups, JointSpace, KnnSpace, Scratch, SortedAxis};
use super::parallel::Cancel;
use super::parallel::par_sum_with;
use super::special::digamma_count;

/// One variable of the conditional MI.
#[derive(Clone, Copy, Debug)]
pub enum Coord<'a> {
    Continuous(&'a [f64]),
    Discrete(&'a [u32]),
}

impl Coord<'_> {
    fn len(&self) -> usize {
        match self {
            Coord::Continuous(v) => v.len(),
            Coord::Discrete(v) => v.len(),
        }
    }
}

/// I(X;Y|Z) in nats with Z continuous (prepared).
pub fn cmi(x: Coord<'_>, y: Coord<'_>, z: &[f64], k: usize) -> f64 {
    let n = x.len().min(y.len()).min(z.len());
    let k = k.max(1);
    let continuous = [x, y]
        .iter()
        .filter(|c| matches!(c, Coord::Continuous(_)))
        .count();
    match (x, y, continuous) {
        (Coord::Continuous(xv), Coord::Continuous(yv), _) => {
            let conditioner = Conditioner::new(z[..n].to_vec());
            let column = |v: &[f64]| StripColumn::new(v[..n].to_vec());
            let mut buffers = PairBuffers::default();
            let columns = (&column(xv), &column(yv));
            // Never cancelled, so never `None`.
            cmi_pairs::cmi(
                &conditioner,
                columns,
                k,
                (true, Cancel::NEVER),
                &mut buffers,
            )
            .unwrap_or(f64::NAN)
        }
        (_, _, 0) => frenzel_pompe::<1>(x, y, z, n, k),
        _ => frenzel_pompe::<2>(x, y, z, n, k),
    }
}

/// The k-d tree form of the all-continuous case, kept as the reference the strip
/// search is tested against (the two agree bit for bit).
#[cfg(test)]
fn cmi_by_tree(x: &[f64], y: &[f64], z: &[f64], k: usize) -> f64 {
    let n = x.len().min(y.len()).min(z.len());
    frenzel_pompe::<3>(Coord::Continuous(x), Coord::Continuous(y), z, n, k.max(1))
}

/// Dense group codes of the discrete coordinates (all zero when there are none).
fn group_codes(x: Coord<'_>, y: Coord<'_>, n: usize) -> Vec<u32> {
    let code = |c: &Coord<'_>, i: usize| match c {
        Coord::Discrete(v) => u64::from(v[i]),
        Coord::Continuous(_) => 0,
    };
    let keys: Vec<u64> = (0..n).map(|i| (code(&x, i) << 32) | code(&y, i)).collect();
    let mut unique = keys.clone();
    unique.sort_unstable();
    unique.dedup();
    keys.iter()
        .map(|key| unique.binary_search(key).unwrap_or(0) as u32)
        .collect()
}

/// Counts in a subspace made of one of X, Y together with Z.
enum WithZ {
    /// Continuous variable: a 2-D max-norm ball count.
    Plane(JointSpace<2>),
    /// Discrete variable: a 1-D count of z among the points with the same code.
    PerCode {
        codes: Vec<u32>,
        /// Position of each retained point among the points with its code.
        local: Vec<u32>,
        axes: Vec<SortedAxis>,
    },
}

impl WithZ {
    /// Over the retained points `order` (original indices).
    fn new(v: Coord<'_>, z: &[f64], order: &[u32]) -> Self {
        match v {
            Coord::Continuous(v) => Self::Plane(JointSpace::<2>::new(
                order
                    .iter()
                    .map(|&i| [v[i as usize], z[i as usize]])
                    .collect(),
            )),
            Coord::Discrete(v) => {
                let codes: Vec<u32> = order.iter().map(|&i| v[i as usize]).collect();
                let m = codes.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
                let mut per: Vec<Vec<f64>> = vec![Vec::new(); m];
                let mut local = Vec::with_capacity(order.len());
                for &i in order {
                    let list = &mut per[v[i as usize] as usize];
                    local.push(list.len() as u32);
                    list.push(z[i as usize]);
                }
                let axes = per.iter().map(|zs| SortedAxis::new(zs)).collect();
                Self::PerCode { codes, local, axes }
            }
        }
    }

    /// Points strictly within `eps` of retained point q (q itself included if eps > 0).
    fn count(&self, q: usize, eps: f64) -> usize {
        match self {
            Self::Plane(space) => space.count_strict(space.point(q), eps),
            Self::PerCode { codes, local, axes } => {
                axes[codes[q] as usize].count_strict_of(local[q] as usize, eps)
            }
        }
    }
}

fn frenzel_pompe<const D: usize>(x: Coord<'_>, y: Coord<'_>, z: &[f64], n: usize, k: usize) -> f64
where
    JointSpace<D>: KnnSpace<D>,
{
    let Some(groups) = Groups::new(&group_codes(x, y, n)) else {
        return 0.0;
    };
    // Continuous coordinates of the joint space, in a fixed order: x, y, then z.
    let point = |i: usize| -> [f64; D] {
        let mut p = [0.0; D];
        let mut d = 0;
        for c in [x, y] {
            if let Coord::Continuous(v) = c {
                p[d] = v[i];
                d += 1;
            }
        }
        p[d] = z[i];
        p
    };
    let spaces: Vec<JointSpace<D>> = groups
        .bounds
        .iter()
        .map(|&(lo, hi)| {
            JointSpace::<D>::new(
                groups.order[lo..hi]
                    .iter()
                    .map(|&i| point(i as usize))
                    .collect(),
            )
        })
        .collect();
    let zr: Vec<f64> = groups.order.iter().map(|&i| z[i as usize]).collect();
    let z_axis = SortedAxis::new(&zr);
    let xz = WithZ::new(x, z, &groups.order);
    let yz = WithZ::new(y, z, &groups.order);
    let kept = groups.order.len();
    let sum = par_sum_with(kept, Scratch::default, |scratch, q| {
        let g = groups.group_at[q] as usize;
        let (lo, hi) = groups.bounds[g];
        let ki = k.min(hi - lo - 1);
        let eps = spaces[g].kth_distance(q - lo, ki, scratch);
        // Strict counts include q itself, so they are n + 1; with ε = 0 (coincident
        // points) they are 0 and are clamped to the self-count.
        let nz1 = z_axis.count_strict_of(q, eps).max(1);
        let nxz1 = xz.count(q, eps).max(1);
        let nyz1 = yz.count(q, eps).max(1);
        digamma_count(ki) - digamma_count(nxz1) - digamma_count(nyz1) + digamma_count(nz1)
    });
    sum / kept as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::knn::chebyshev;
    use crate::estimate::ross;

    /// The definition with the 0/∞ metric on discrete coordinates, O(n²).
    fn naive(x: Coord<'_>, y: Coord<'_>, z: &[f64], k: usize) -> f64 {
        let n = z.len();
        let dist1 = |c: &Coord<'_>, i: usize, j: usize| match c {
            Coord::Continuous(v) => (v[i] - v[j]).abs(),
            Coord::Discrete(v) => {
                if v[i] == v[j] {
                    0.0
                } else {
                    f64::INFINITY
                }
            }
        };
        let group = |i: usize, j: usize| {
            [x, y]
                .iter()
                .all(|c| !matches!(c, Coord::Discrete(v) if v[i] != v[j]))
        };
        let size = |i: usize| (0..n).filter(|&j| group(i, j)).count();
        let kept: Vec<usize> = (0..n).filter(|&i| size(i) > 1).collect();
        let mut total = 0.0;
        for &i in &kept {
            let ki = k.min(size(i) - 1);
            let mut d: Vec<f64> = kept
                .iter()
                .filter(|&&j| j != i && group(i, j))
                .map(|&j| {
                    let mut a = [0.0; 3];
                    a[0] = dist1(&x, i, j);
                    a[1] = dist1(&y, i, j);
                    a[2] = (z[i] - z[j]).abs();
                    chebyshev(&a, &[0.0; 3])
                })
                .collect();
            d.sort_by(f64::total_cmp);
            let eps = d[ki - 1];
            let dz = |j: usize| (z[i] - z[j]).abs();
            let nxz = kept
                .iter()
                .filter(|&&j| dist1(&x, i, j).max(dz(j)) < eps)
                .count();
            let nyz = kept
                .iter()
                .filter(|&&j| dist1(&y, i, j).max(dz(j)) < eps)
                .count();
            let nz = kept.iter().filter(|&&j| dz(j) < eps).count();
            total +=
                digamma_count(ki) - digamma_count(nxz) - digamma_count(nyz) + digamma_count(nz);
        }
        total / kept.len() as f64
    }

    fn frac(i: usize, a: f64) -> f64 {
        (i as f64 * a).fract()
    }

    #[test]
    fn all_coordinate_kinds_equal_the_definition() {
        for n in [40, 400] {
            let xc: Vec<f64> = (0..n).map(|i| frac(i, 0.618_033_988_7)).collect();
            let zc: Vec<f64> = (0..n)
                .map(|i| frac(i, 0.414_213_562_3) + 0.5 * xc[i])
                .collect();
            let yc: Vec<f64> = (0..n)
                .map(|i| zc[i] + 0.3 * frac(i, 0.732_050_807_5))
                .collect();
            let xd: Vec<u32> = (0..n).map(|i| (xc[i] * 3.0) as u32).collect();
            let mut yd: Vec<u32> = (0..n).map(|i| (yc[i] * 2.0) as u32).collect();
            // A singleton code exercises dropping.
            yd[5] = 17;
            let cases = [
                (Coord::Continuous(&xc), Coord::Continuous(&yc)),
                (Coord::Discrete(&xd), Coord::Continuous(&yc)),
                (Coord::Continuous(&xc), Coord::Discrete(&yd)),
                (Coord::Discrete(&xd), Coord::Discrete(&yd)),
            ];
            for (x, y) in cases {
                for k in [1, 3, 8] {
                    let fast = cmi(x, y, &zc, k);
                    let slow = naive(x, y, &zc, k);
                    assert!(
                        (fast - slow).abs() < 1e-12,
                        "n={n} k={k} {x:?}: {fast} vs {slow}"
                    );
                }
            }
        }
    }

    #[test]
    fn strip_search_equals_the_tree_bit_for_bit() {
        // Correlated, heavy-tailed and tied-looking data, sizes around the strip width
        // and above, several k: the radii and counts must be the tree's exactly, and
        // with the same summation order so must the estimate.
        for (n, seed) in [
            (2, 1.0),
            (3, 2.0),
            (37, 3.0),
            (500, 4.0),
            (4_000, 5.0),
            (20_000, 6.0),
        ] {
            let u = |i: usize, a: f64| frac(i, a + 1e-3 * seed);
            let z: Vec<f64> = (0..n)
                .map(|i| (u(i, 0.414_213_562_3) - 0.5).powi(3))
                .collect();
            let x: Vec<f64> = (0..n).map(|i| z[i] + 0.2 * u(i, 0.618_033_988_7)).collect();
            let y: Vec<f64> = (0..n)
                .map(|i| (x[i] * 3.0).sin() + 0.1 * u(i, 0.732_050_807_5).ln_1p())
                .collect();
            for k in [1, 3, 4, 10] {
                let strips = cmi(Coord::Continuous(&x), Coord::Continuous(&y), &z, k);
                let tree = cmi_by_tree(&x, &y, &z, k);
                assert_eq!(
                    strips.to_bits(),
                    tree.to_bits(),
                    "n={n} k={k}: {strips} vs {tree}"
                );
            }
        }
    }

    #[test]
    fn constant_conditioner_gives_ross() {
        // With Z carrying no information (all z within every ε), n_z + 1 = N' and
        // n_xz + 1 = N_class: the estimate is exactly Ross's I(X;Y).
        let n = 300;
        let c: Vec<f64> = (0..n)
            .map(|i| frac(i, 0.618_033_988_7) + (i % 3) as f64 * 0.3)
            .collect();
        let d: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let z: Vec<f64> = (0..n).map(|i| 1e-12 * frac(i, 0.3)).collect();
        let fp = cmi(Coord::Discrete(&d), Coord::Continuous(&c), &z, 3);
        let r = ross::mi(&c, &d, 3);
        assert!((fp - r).abs() < 1e-9, "{fp} vs {r}");
    }
}

//! [`JointSpace`]: a k-d tree (or a brute-force scan) for exact max-norm kNN queries.

use std::num::NonZeroUsize;

use kiddo::ImmutableKdTree;
use kiddo::dist::Chebyshev;

use super::{BRUTE_FORCE_MAX, KnnSpace, Scratch, chebyshev};

/// Points in a D-dimensional max-norm space, indexed for kNN distances and ball counts.
pub struct JointSpace<const D: usize> {
    points: Vec<[f64; D]>,
    tree: Option<ImmutableKdTree<f64, D>>,
}

macro_rules! joint_space_impl {
    ($d:literal) => {
        impl KnnSpace<$d> for JointSpace<$d> {
            fn new(points: Vec<[f64; $d]>) -> Self {
                let tree = if points.len() > BRUTE_FORCE_MAX && points.len() < u32::MAX as usize {
                    // Construction only fails for item-index overflow, excluded above;
                    // the brute-force path remains correct if it ever did.
                    ImmutableKdTree::<f64, $d>::new_from_slice(&points).ok()
                } else {
                    None
                };
                Self { points, tree }
            }

            fn len(&self) -> usize {
                self.points.len()
            }

            fn point(&self, i: usize) -> &[f64; $d] {
                &self.points[i]
            }

            fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64 {
                debug_assert!(k >= 1 && k < self.points.len());
                let q = &self.points[i];
                match &self.tree {
                    Some(tree) => {
                        let qty = NonZeroUsize::new(k + 1).expect("k + 1 > 0");
                        tree.query(q)
                            .nearest_n::<Chebyshev<f64>>(qty)
                            .execute()
                            .iter()
                            .fold(0.0f64, |m, r| m.max(r.distance))
                    }
                    None => {
                        let buf = &mut scratch.distances;
                        buf.clear();
                        buf.extend(
                            self.points
                                .iter()
                                .enumerate()
                                .filter(|&(j, _)| j != i)
                                .map(|(_, p)| chebyshev(q, p)),
                        );
                        *buf.select_nth_unstable_by(k - 1, f64::total_cmp).1
                    }
                }
            }

            fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>) {
                debug_assert!(k >= 1 && k < self.points.len());
                out.clear();
                let q = &self.points[i];
                match &self.tree {
                    Some(tree) => {
                        let qty = NonZeroUsize::new(k + 1).expect("k + 1 > 0");
                        let found = tree.query(q).nearest_n::<Chebyshev<f64>>(qty).execute();
                        out.extend(
                            found
                                .iter()
                                .map(|r| r.item)
                                .filter(|&j| j as usize != i)
                                .take(k),
                        );
                    }
                    None => {
                        let buf = &mut scratch.pairs;
                        buf.clear();
                        buf.extend(
                            self.points
                                .iter()
                                .enumerate()
                                .filter(|&(j, _)| j != i)
                                .map(|(j, p)| (chebyshev(q, p), j as u32)),
                        );
                        buf.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
                        out.extend(buf[..k].iter().map(|&(_, j)| j));
                    }
                }
            }

            fn count_strict(&self, q: &[f64; $d], r: f64) -> usize {
                match &self.tree {
                    Some(tree) => {
                        let mut count = 0usize;
                        tree.query(q)
                            .within::<Chebyshev<f64>>(r)
                            .exclusive_boundaries()
                            .unsorted()
                            .visit(|_| count += 1);
                        count
                    }
                    None => self.points.iter().filter(|p| chebyshev(q, p) < r).count(),
                }
            }
        }
    };
}

joint_space_impl!(1);
joint_space_impl!(2);
joint_space_impl!(3);
joint_space_impl!(4);
// Higher dimensions for the vector estimators of `estimate::multi` (up to its MAX_DIMS).
joint_space_impl!(5);
joint_space_impl!(6);
joint_space_impl!(7);
joint_space_impl!(8);
joint_space_impl!(9);
joint_space_impl!(10);
joint_space_impl!(11);
joint_space_impl!(12);
joint_space_impl!(13);
joint_space_impl!(14);
joint_space_impl!(15);
joint_space_impl!(16);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_brute_force_agree() {
        let pts: Vec<[f64; 2]> = (0..300)
            .map(|i| {
                let t = i as f64;
                [(t * 0.618).fract(), (t * 0.414).fract()]
            })
            .collect();
        let tree = JointSpace::<2>::new(pts.clone());
        assert!(tree.tree.is_some());
        let mut s = Scratch::default();
        for i in (0..300).step_by(7) {
            let mut d: Vec<f64> = (0..300)
                .filter(|&j| j != i)
                .map(|j| chebyshev(&pts[i], &pts[j]))
                .collect();
            d.sort_by(f64::total_cmp);
            for k in [1, 3, 10] {
                assert_eq!(tree.kth_distance(i, k, &mut s), d[k - 1]);
                let eps = d[k - 1];
                let brute = pts.iter().filter(|p| chebyshev(&pts[i], p) < eps).count();
                assert_eq!(tree.count_strict(&pts[i], eps), brute);
            }
        }
    }
}

//! [`Space`]: max-norm neighbour queries in a joint space whose dimension is known only
//! at run time (the number of columns in the chosen sets), dispatched once to a
//! [`JointSpace<D>`] compiled for each D in 1..=[`MAX_DIMS`]. A fixed-size point type
//! keeps kiddo's tree and the distance loop unrolled; a run-time dimension would cost a
//! slice and a length check per coordinate on every distance.

use crate::estimate::knn::{BRUTE_FORCE_MAX, JointSpace, KnnSpace, Scratch, Strips};

/// Most continuous coordinates one joint space may have.
pub const MAX_DIMS: usize = 16;

macro_rules! spaces {
    ($($v:ident = $d:literal),* $(,)?) => {
        /// Points of one of the compiled dimensions.
        pub enum Space {
            /// Two coordinates and more than [`BRUTE_FORCE_MAX`] points: the strip index
            /// of the pairwise KSG (exact, about twice as fast as the tree there).
            Strips(Strips),
            $($v(JointSpace<$d>),)*
        }

        impl Space {
            /// Indexes `n` points given column by column (`coords[c][i]` is coordinate
            /// c of point i, over the points `rows`); `None` for 0 or more than
            /// [`MAX_DIMS`] coordinates.
            pub fn new(coords: &[&[f64]], rows: &[u32]) -> Option<Self> {
                if coords.len() == 2 && rows.len() > BRUTE_FORCE_MAX {
                    return Some(Self::Strips(Strips::new(gather::<2>(coords, rows))));
                }
                match coords.len() {
                    $($d => Some(Self::$v(JointSpace::<$d>::new(gather::<$d>(coords, rows)))),)*
                    _ => None,
                }
            }

            pub fn len(&self) -> usize {
                match self {
                    Self::Strips(s) => s.len(),
                    $(Self::$v(s) => s.len(),)*
                }
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Distance from point i to its k-th nearest other point (1 ≤ k < len).
            pub fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64 {
                match self {
                    Self::Strips(s) => s.kth_distance(i, k, scratch),
                    $(Self::$v(s) => s.kth_distance(i, k, scratch),)*
                }
            }

            /// The k nearest other points of point i (1 ≤ k < len).
            pub fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>) {
                match self {
                    Self::Strips(s) => s.nearest(i, k, scratch, out),
                    $(Self::$v(s) => s.nearest(i, k, scratch, out),)*
                }
            }

            /// #{j : ‖p_j − p_i‖∞ < r} (point i itself included when r > 0).
            pub fn count_strict_of(&self, i: usize, r: f64) -> usize {
                match self {
                    Self::Strips(s) => s.count_strict(s.point(i), r),
                    $(Self::$v(s) => s.count_strict(s.point(i), r),)*
                }
            }

            /// Max-norm distance between points i and j, computed as the searches do.
            pub fn distance(&self, i: usize, j: usize) -> f64 {
                match self {
                    Self::Strips(s) => crate::estimate::knn::chebyshev(s.point(i), s.point(j)),
                    $(Self::$v(s) => crate::estimate::knn::chebyshev(s.point(i), s.point(j)),)*
                }
            }
        }
    };
}

spaces!(
    D1 = 1,
    D2 = 2,
    D3 = 3,
    D4 = 4,
    D5 = 5,
    D6 = 6,
    D7 = 7,
    D8 = 8,
    D9 = 9,
    D10 = 10,
    D11 = 11,
    D12 = 12,
    D13 = 13,
    D14 = 14,
    D15 = 15,
    D16 = 16,
);

fn gather<const D: usize>(coords: &[&[f64]], rows: &[u32]) -> Vec<[f64; D]> {
    rows.iter()
        .map(|&i| {
            let mut p = [0.0; D];
            for (slot, c) in p.iter_mut().zip(coords) {
                *slot = c[i as usize];
            }
            p
        })
        .collect()
}

//! Neighbour searches shared by the kNN estimators (KSG, Ross, Frenzel–Pompe).
//!
//! - [`JointSpace`]: exact max-norm (Chebyshev) k-nearest-neighbour distances and
//!   strict ball counts in a low-dimensional joint space, with a kiddo k-d tree (or a
//!   brute-force scan for small samples, where building a tree costs more than it saves).
//! - [`Strips`]: the same queries for 2-D points (the KSG pair), about twice as fast
//!   as the tree; [`KnnSpace`] lets estimators use either.
//! - [`SortedAxis`]: one coordinate sorted once, so that "how many points lie within r
//!   of point i" is a short exponential search from i's sorted position, not a tree query.
//! - [`Conditioner`] and [`ZStrips`]: the same for the 3-D (X, Y, Z) searches of
//!   conditional MI, with strips of the conditioner that every pair shares.
//! - [`Groups`]: the points of each class with a within-class neighbour.
//!
//! ψ of the counts is [`digamma_count`](super::special::digamma_count), and the
//! per-point sums are [`parallel`](super::parallel)'s scheduling-independent ones.
//!
//! Distances are compared exactly as computed (`(a - b).abs()`, maximum over
//! coordinates): a marginal count with radius ε uses the same floating-point
//! differences as the joint-space search that produced ε, so ties at the radius are
//! resolved as the estimators specify (strict `<` or closed `≤`) without rounding slips.

mod best;
mod groups;
mod joint_space;
mod sorted_axis;
mod strips;
mod window_counts;
pub mod z_strips;

pub use groups::Groups;
pub use joint_space::JointSpace;
pub use sorted_axis::SortedAxis;
pub use strips::Strips;
pub use window_counts::strict_counts;
pub use z_strips::{Conditioner, Cursors, Found, Windows, ZStrips, count_range, search_range};

/// Below this many points a brute-force scan beats building and querying a tree.
pub const BRUTE_FORCE_MAX: usize = 64;

/// Max-norm distance between two points, computed the way kiddo's Chebyshev metric
/// computes it.
#[inline]
pub fn chebyshev<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    let mut d = 0.0f64;
    for (p, q) in a.iter().zip(b) {
        let c = (p - q).abs();
        if c > d {
            d = c;
        }
    }
    d
}

/// Reusable per-task buffers for neighbour queries (keeps the brute-force path
/// allocation-free per point).
#[derive(Default)]
pub struct Scratch {
    distances: Vec<f64>,
    pairs: Vec<(f64, u32)>,
    /// [`Strips`]: per strip, where the previous query entered it (see `scan_strip`).
    cursors: Vec<u32>,
}

/// The queries the kNN estimators make of a joint space; implemented for the
/// dimensions they use (1 to 16), so estimators can be written once for any of them.
pub trait KnnSpace<const D: usize>: Sized + Sync {
    /// Indexes the points (a k-d tree above [`BRUTE_FORCE_MAX`] points).
    fn new(points: Vec<[f64; D]>) -> Self;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn point(&self, i: usize) -> &[f64; D];
    /// Distance from point i to its k-th nearest other point (1 ≤ k < len).
    ///
    /// Point i is at distance 0 from itself, so this is the (k+1)-th smallest
    /// distance to all points, whichever tied points a search happens to return.
    fn kth_distance(&self, i: usize, k: usize, scratch: &mut Scratch) -> f64;
    /// The k nearest other points of point i, into `out` (1 ≤ k < len); among points
    /// tied at the k-th distance, which ones are returned is unspecified.
    fn nearest(&self, i: usize, k: usize, scratch: &mut Scratch, out: &mut Vec<u32>);
    /// #{j : ‖p_j − q‖∞ < r} over all points (a point equal to q included when r > 0).
    fn count_strict(&self, q: &[f64; D], r: f64) -> usize;
}

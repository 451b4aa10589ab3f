//! Kraskov–Stögbauer–Grassberger (2004) kNN MI, algorithms 1 and 2, max-norm.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    One,
    Two,
}

/// KSG estimate in nats. Inputs are prepared (no missing values, scaled, ties broken);
/// requires x.len() > k.
pub fn mi(x: &[f64], y: &[f64], k: usize, algorithm: Algorithm) -> f64 {
    todo!("estimators-knn helper {} {} {k} {algorithm:?}", x.len(), y.len())
}

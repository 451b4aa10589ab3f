//! Plug-in (maximum-likelihood) entropies and MI from counts, optional Miller–Madow.

/// Dense codes 0..m for the distinct values of a column without missing values.
/// Returns the codes and m.
pub fn codes(values: &[f64]) -> (Vec<u32>, usize) {
    todo!("estimators-plugin helper {}", values.len())
}

/// Code of each (a, b) combination, dense.
pub fn joint_codes(a: &[u32], b: &[u32]) -> (Vec<u32>, usize) {
    todo!("estimators-plugin helper {} {}", a.len(), b.len())
}

/// Plug-in entropy H in nats; with `miller_madow`, adds (m − 1)/(2n).
pub fn entropy(codes: &[u32], miller_madow: bool) -> f64 {
    todo!("estimators-plugin helper {} {miller_madow}", codes.len())
}

/// I(X;Y) = H(X) + H(Y) − H(X,Y), nats.
pub fn mi(x: &[u32], y: &[u32], miller_madow: bool) -> f64 {
    todo!("estimators-plugin helper {} {} {miller_madow}", x.len(), y.len())
}

/// I(X;Y|Z) = H(X,Z) + H(Y,Z) − H(X,Y,Z) − H(Z), nats.
pub fn cmi(x: &[u32], y: &[u32], z: &[u32], miller_madow: bool) -> f64 {
    todo!("estimators-plugin helper {} {} {} {miller_madow}", x.len(), y.len(), z.len())
}

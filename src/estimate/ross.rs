//! Ross (2014) kNN MI between a continuous and a discrete column.

/// Ross estimate in nats; `c` prepared (scaled, ties broken), `d` dense codes.
pub fn mi(c: &[f64], d: &[u32], k: usize) -> f64 {
    todo!("estimators-knn helper {} {} {k}", c.len(), d.len())
}

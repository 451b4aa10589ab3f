//! Frenzel–Pompe (2007) kNN conditional MI for a continuous conditioner, with exact
//! matching on discrete coordinates of X or Y.

/// One variable of the conditional MI.
#[derive(Clone, Copy, Debug)]
pub enum Coord<'a> {
    Continuous(&'a [f64]),
    Discrete(&'a [u32]),
}

/// I(X;Y|Z) in nats with Z continuous (prepared).
pub fn cmi(x: Coord<'_>, y: Coord<'_>, z: &[f64], k: usize) -> f64 {
    todo!("estimators-knn helper {x:?} {y:?} {} {k}", z.len())
}

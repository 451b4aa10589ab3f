//! The analyses (and the network's layout), parallel over pairs with rayon, reporting progress and honouring
//! cancellation. Front ends (window, CLI) call these and only draw or write the result.

pub mod compare;
pub mod conditional;
pub mod higher_order;
pub mod inspect;
pub mod layout;
pub mod matrix;
pub mod mrmr;
pub mod network;
pub mod progress;
pub mod sweep;

pub use progress::{Cancelled, Progress};

/// Unordered pairs (i < j) of the given column indices, in row-major order.
pub fn pairs_of(columns: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(columns.len() * columns.len().saturating_sub(1) / 2);
    for (a, &i) in columns.iter().enumerate() {
        for &j in &columns[a + 1..] {
            out.push((i, j));
        }
    }
    out
}

/// Index of the unordered pair of positions (a, b), a < b < m, in [`pairs_of`] order:
/// row a starts after the m−1, m−2, … pairs of the rows before it.
pub fn pair_index(m: usize, a: usize, b: usize) -> usize {
    debug_assert!(a < b && b < m, "pair_index({m}, {a}, {b})");
    a * m - a * (a + 1) / 2 + (b - a - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_index_matches_pairs_of() {
        for m in 2..9 {
            let cols: Vec<usize> = (0..m).collect();
            for (i, (a, b)) in pairs_of(&cols).into_iter().enumerate() {
                assert_eq!(pair_index(m, a, b), i, "m={m}");
            }
        }
    }
}

//! The six analyses, parallel over pairs with rayon, reporting progress and honouring
//! cancellation. Front ends (window, CLI) call these and only draw or write the result.

pub mod compare;
pub mod conditional;
pub mod inspect;
pub mod matrix;
pub mod mrmr;
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

//! CSV writers for every result. The window's exports and the CLI's output are made by
//! the same functions, so a script gets exactly the rows the window shows.
//!
//! Every table carries its provenance in columns (unit, estimator actually used, its
//! settings with the seed, rows used), so a row can be cited on its own.

mod atomic;
mod higher_order;
mod ranking;
mod tables;

pub use atomic::{atomic_write, atomic_write_with};
pub use higher_order::{multi_csv, synergy_csv, tc_csv};
pub use ranking::mrmr_csv;
pub use tables::*;

/// Numbers are written with enough digits to round-trip an f64; NaN (no estimate) as empty.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

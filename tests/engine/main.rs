//! The engine without the window or the binary: the CSV reader, every estimator against
//! closed forms and scikit-learn, their properties and reliability on bad input, and the
//! analyses. One test crate (one link) for all of them; no egui.
//!
//! The measurements behind the tolerances are examples: `cargo run --release --example
//! calibration` (and `timing`).

#[path = "../common/mod.rs"]
mod common;

mod analysis;
mod cancel_long_pair;
mod data_properties;
mod data_reader;
mod estimate_cmi;
mod estimate_cmi_null;
mod estimate_counts;
mod estimate_gaussian;
mod estimate_knn;
mod estimate_properties;
mod estimate_ties;
mod higher_order;
mod higher_order_synergy;
mod ranking;
mod reliability_estimators;
mod reliability_fuzz_regressions;
mod sklearn_parity;
mod sweep_ranges;
mod target_network;

use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

/// proptest's settings with `cases` cases, except that a failing case is saved next to the
/// test's source, as `tests/engine/<module>.proptest-regressions`, and read back from
/// there. (proptest's default would put it in `tests/proptest-regressions/<module>.txt`,
/// beside this crate's folder, once the crate has a `main.rs`.)
fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

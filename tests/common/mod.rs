//! Helpers shared by the test crates: paths of the bundled data. Nothing here links egui;
//! the GUI-only helpers (harness, stepping, click positions) are in `gui.rs`, which this
//! module deliberately does not declare.
//!
//! Included with `#[path = "../common/mod.rs"] mod common;` from `tests/<crate>/main.rs`
//! and `mod common;` from a file directly in `tests/`.
// Each crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

/// The crate's root folder (where `sample_data/` and `tests/fixtures/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled sample dataset by file name.
pub fn sample(name: &str) -> PathBuf {
    root().join("sample_data").join(name)
}

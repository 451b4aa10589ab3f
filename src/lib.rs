//! MI Workbench: explore the dependence between the columns of a CSV with mutual information.
//!
//! Data flows one way: CSV → [`data::Dataset`] → analysis request → background job →
//! result → panel / CLI / export. The estimators ([`estimate`]) are pure functions of
//! columns; [`analysis`] runs them in parallel with progress and cancellation; `app`
//! (the window, behind the default cargo feature `gui`) and [`cli`] are two thin front
//! ends over the same analyses.

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod data;
pub mod estimate;
pub mod export;

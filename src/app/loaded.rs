//! The dataset currently open, shared read-only with jobs.

use crate::data::{ColumnSummary, Dataset};
use std::path::PathBuf;
use std::sync::Arc;

pub struct Loaded {
    /// Jobs hold clones of this `Arc`, so replacing the dataset never disturbs a job
    /// that is still reading the old one.
    pub ds: Arc<Dataset>,
    /// Bumped whenever the data an estimate depends on changes (a new file, a column
    /// kind override): part of every result-cache key.
    pub generation: u64,
    /// Per column: used in analyses (the Data panel's checkboxes).
    pub included: Vec<bool>,
    /// Computed in the load job (sorting a million rows is not UI-thread work).
    pub summaries: Vec<ColumnSummary>,
    /// Population variance of each numeric column (NaN for text or empty columns), for
    /// choosing the most variable columns of a wide file.
    pub variances: Vec<f64>,
    /// File name for the title bar.
    pub name: String,
    /// Where it was read from; `None` for the bundled samples.
    pub path: Option<PathBuf>,
}

impl Loaded {
    pub fn new(
        ds: Dataset,
        summaries: Vec<ColumnSummary>,
        variances: Vec<f64>,
        name: String,
        path: Option<PathBuf>,
        generation: u64,
    ) -> Self {
        let included = ds
            .columns
            .iter()
            .map(|c| c.excluded_reason.is_none())
            .collect();
        Self {
            ds: Arc::new(ds),
            generation,
            included,
            summaries,
            variances,
            name,
            path,
        }
    }

    /// Dataset indices of the included columns, in file order.
    pub fn included_columns(&self) -> Vec<usize> {
        (0..self.ds.columns.len())
            .filter(|&i| self.included.get(i).copied().unwrap_or(false))
            .collect()
    }

    pub fn column_name(&self, i: usize) -> &str {
        self.ds.columns.get(i).map_or("?", |c| c.name.as_str())
    }
}

/// Population variance of the present values; NaN for text columns or no values.
pub fn variances(ds: &Dataset) -> Vec<f64> {
    ds.columns
        .iter()
        .map(|c| {
            if c.is_text() {
                return f64::NAN;
            }
            let (mut n, mut mean, mut m2) = (0.0f64, 0.0f64, 0.0f64);
            for &v in c.values.iter().filter(|v| v.is_finite()) {
                n += 1.0;
                let d = v - mean;
                mean += d / n;
                m2 += d * (v - mean);
            }
            if n > 0.0 { m2 / n } else { f64::NAN }
        })
        .collect()
}

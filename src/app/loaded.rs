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
    /// File name for the title bar.
    pub name: String,
    /// Where it was read from; `None` for the bundled samples.
    pub path: Option<PathBuf>,
}

impl Loaded {
    pub fn new(
        ds: Dataset,
        summaries: Vec<ColumnSummary>,
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

//! The dataset currently open, shared read-only with jobs.

use crate::data::order::CategoryOrder;
use crate::data::{ColumnSummary, Dataset};
use std::path::PathBuf;
use std::sync::Arc;

pub struct Loaded {
    /// What every analysis reads: the row subsample while it is active, else the whole
    /// file. Jobs hold clones of this `Arc`, so replacing the dataset never disturbs a
    /// job that is still reading the old one.
    pub ds: Arc<Dataset>,
    /// Bumped whenever the data an estimate depends on changes (a new file, a column
    /// kind override): part of every result-cache key. The generation of `ds`.
    pub generation: u64,
    /// The whole file as read (the Data panel shows it, whatever the analyses use).
    pub full: Arc<Dataset>,
    pub full_generation: u64,
    /// A seeded row subsample, present when the file has more rows than the
    /// large-file threshold.
    pub subsample: Option<Subsample>,
    /// Per column: used in analyses (the Data panel's checkboxes).
    pub included: Vec<bool>,
    /// Per column: how its categories are listed (Data panel); a view choice, so no
    /// result depends on it except the inspector's layout.
    pub orders: Vec<CategoryOrder>,
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

/// The rows analysed instead of all of a very large file.
pub struct Subsample {
    pub ds: Arc<Dataset>,
    /// Its own generation, so results for the subsample and for the whole file are
    /// cached side by side and switching back and forth never recomputes.
    pub generation: u64,
    pub seed: u64,
    /// True when the analyses use it (the default), false after "Use all rows".
    pub active: bool,
}

impl Loaded {
    /// `generations` hands out fresh generation numbers (one for the file, one for its
    /// subsample).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ds: Dataset,
        subsample: Option<(Dataset, u64)>,
        subsample_active: bool,
        summaries: Vec<ColumnSummary>,
        variances: Vec<f64>,
        name: String,
        path: Option<PathBuf>,
        mut generations: impl FnMut() -> u64,
    ) -> Self {
        let included: Vec<bool> = ds
            .columns
            .iter()
            .map(|c| c.excluded_reason.is_none())
            .collect();
        let full = Arc::new(ds);
        let full_generation = generations();
        let mut loaded = Self {
            ds: full.clone(),
            generation: full_generation,
            full,
            full_generation,
            subsample: subsample.map(|(ds, seed)| Subsample {
                ds: Arc::new(ds),
                generation: generations(),
                seed,
                active: subsample_active,
            }),
            orders: vec![CategoryOrder::default(); included.len()],
            included,
            summaries,
            variances,
            name,
            path,
        };
        loaded.refresh();
        loaded
    }

    /// Points `ds` and `generation` at the active data (after any of them changed).
    pub fn refresh(&mut self) {
        match &self.subsample {
            Some(s) if s.active => {
                self.ds = s.ds.clone();
                self.generation = s.generation;
            }
            _ => {
                self.ds = self.full.clone();
                self.generation = self.full_generation;
            }
        }
    }

    /// True while the analyses read a subsample rather than every row.
    pub fn is_subsampled(&self) -> bool {
        self.subsample.as_ref().is_some_and(|s| s.active)
    }

    /// Analyse the subsample (`true`) or every row; returns true when that changed
    /// what the analyses read.
    pub fn use_subsample(&mut self, on: bool) -> bool {
        let Some(s) = &mut self.subsample else {
            return false;
        };
        if s.active == on {
            return false;
        }
        s.active = on;
        self.refresh();
        true
    }

    /// Replaces (or removes) the subsample, e.g. after the threshold changed; a new
    /// subsample is active, as it would be for a freshly opened file.
    pub fn replace_subsample(&mut self, subsample: Option<(Dataset, u64)>, generation: u64) {
        self.subsample = subsample.map(|(ds, seed)| Subsample {
            ds: Arc::new(ds),
            generation,
            seed,
            active: true,
        });
        self.refresh();
    }

    /// Generations whose cached results are still valid: the whole file's and the
    /// subsample's.
    pub fn generations(&self) -> Vec<u64> {
        let mut g = vec![self.full_generation];
        g.extend(self.subsample.as_ref().map(|s| s.generation));
        g
    }

    /// Dataset indices of the included columns, in file order.
    pub fn included_columns(&self) -> Vec<usize> {
        (0..self.ds.columns.len())
            .filter(|&i| self.included.get(i).copied().unwrap_or(false))
            .collect()
    }

    pub fn category_order(&self, column: usize) -> CategoryOrder {
        self.orders.get(column).copied().unwrap_or_default()
    }

    pub fn column_name(&self, i: usize) -> &str {
        self.ds.columns.get(i).map_or("?", |c| c.name.as_str())
    }
}

//! Reading CSV files into a columnar [`Dataset`].

mod blocks;
mod cells;
mod detect;
mod error;
mod number;
pub mod order;
mod plain_rows;
mod reader;
mod records;
pub mod select;
mod sniff;
mod sorted;
mod source;
pub mod stats;
pub mod synthetic;

pub use error::{DataError, KindError, NoSuchColumn};
pub use reader::{ProgressFn, ReadOptions, read_csv_bytes, read_csv_path};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How a column's values are treated by the estimators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnKind {
    /// Real-valued measurements: kNN (KSG), histogram, Gaussian estimators.
    Continuous,
    /// Integer-valued with few distinct values: counted like categories.
    Discrete,
    /// Text labels, stored as integer codes with their labels kept.
    Categorical,
}

impl ColumnKind {
    pub const ALL: [ColumnKind; 3] = [Self::Continuous, Self::Discrete, Self::Categorical];

    /// Discrete and categorical columns are both estimated from counts.
    pub fn is_discrete(self) -> bool {
        !matches!(self, Self::Continuous)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Continuous => "continuous",
            Self::Discrete => "discrete",
            Self::Categorical => "categorical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "continuous" | "c" => Some(Self::Continuous),
            "discrete" | "d" => Some(Self::Discrete),
            "categorical" | "category" | "cat" => Some(Self::Categorical),
            _ => None,
        }
    }
}

/// One column as read.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// The kind in effect (the detected kind unless the user overrode it).
    pub kind: ColumnKind,
    /// The kind the reader detected from the values.
    pub detected: ColumnKind,
    /// One value per row; `NaN` marks a missing cell. Text columns hold the code
    /// of their label (an index into `labels`).
    pub values: Vec<f64>,
    /// For text columns: the label of each code. `None` for numeric columns.
    pub labels: Option<Vec<String>>,
    /// Number of missing cells.
    pub missing: usize,
    /// Why the column is excluded from analyses by default (e.g. it looks like an
    /// identifier), or `None` when it is included.
    pub excluded_reason: Option<String>,
}

impl Column {
    /// A numeric column; the kind is detected from the values.
    pub fn numeric(name: impl Into<String>, values: Vec<f64>) -> Self {
        let kind = detect::numeric_kind(&values);
        let missing = values.iter().filter(|v| v.is_nan()).count();
        Self {
            name: name.into(),
            kind,
            detected: kind,
            values,
            labels: None,
            missing,
            excluded_reason: None,
        }
    }

    /// A numeric column with a given kind (tests and generated data).
    pub fn with_kind(name: impl Into<String>, values: Vec<f64>, kind: ColumnKind) -> Self {
        let mut c = Self::numeric(name, values);
        c.kind = kind;
        c.detected = kind;
        c
    }

    /// Everything but the values (which can be large), for building a derived column.
    fn clone_without_values(&self) -> Self {
        Self {
            name: self.name.clone(),
            kind: self.kind,
            detected: self.detected,
            values: Vec::new(),
            labels: self.labels.clone(),
            missing: 0,
            excluded_reason: self.excluded_reason.clone(),
        }
    }

    /// True when the values are codes of text labels rather than numbers.
    pub fn is_text(&self) -> bool {
        self.labels.is_some()
    }

    /// The label shown for a value of this column.
    pub fn label_of(&self, value: f64) -> String {
        match &self.labels {
            Some(labels) if value >= 0.0 => labels
                .get(value as usize)
                .cloned()
                .unwrap_or_else(|| format!("{value}")),
            _ => format!("{value}"),
        }
    }

    pub fn summary(&self) -> ColumnSummary {
        self.summary_in(1)
    }

    /// The summary, the values sorted in `batches` ranges (see `sorted`): the same
    /// result for any count, a smaller buffer for more.
    fn summary_in(&self, batches: usize) -> ColumnSummary {
        let facts = sorted::sorted_facts(&self.values, batches);
        let numeric = !self.is_text() && facts.distinct > 0;
        // Summed in sorted order, as always: the mean's last digits depend on it.
        let mean = (numeric && facts.finite > 0).then(|| facts.finite_sum / facts.finite as f64);
        ColumnSummary {
            name: self.name.clone(),
            kind: self.kind,
            detected: self.detected,
            missing: self.missing,
            distinct: facts.distinct,
            min: facts.min.filter(|_| numeric),
            max: facts.max.filter(|_| numeric),
            mean,
            excluded_reason: self.excluded_reason.clone(),
        }
    }
}

/// Per-column facts shown in the Data panel and by `mi-workbench info`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSummary {
    pub name: String,
    pub kind: ColumnKind,
    pub detected: ColumnKind,
    pub missing: usize,
    pub distinct: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub excluded_reason: Option<String>,
}

/// A table of columns, all of the same length.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Where it came from (a path or a name), shown in the title and in exports.
    pub source: String,
    pub columns: Vec<Column>,
    pub n_rows: usize,
    /// Things the reader handled but the user should know (stray text read as missing, …).
    pub warnings: Vec<String>,
}

impl Dataset {
    pub fn new(source: impl Into<String>, columns: Vec<Column>) -> Self {
        let n_rows = columns.first().map_or(0, |c| c.values.len());
        Self {
            source: source.into(),
            columns,
            n_rows,
            warnings: Vec::new(),
        }
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Column indices not excluded by default.
    pub fn default_included(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| self.columns[i].excluded_reason.is_none())
            .collect()
    }

    /// Override the kind of a column. A text column cannot become continuous: its
    /// codes have no order or scale.
    pub fn set_kind(&mut self, index: usize, kind: ColumnKind) -> Result<(), KindError> {
        let col = self.columns.get_mut(index).ok_or(NoSuchColumn(index))?;
        if col.is_text() && kind == ColumnKind::Continuous {
            return Err(KindError::TextNotContinuous(col.name.clone()));
        }
        col.kind = kind;
        Ok(())
    }

    /// A seeded random subset of `max_rows` rows (in their original order), or `None`
    /// when the dataset is not larger than that. Used for very large files so that
    /// every panel stays interactive; the same seed gives the same rows in the window
    /// and on the command line (`--subsample`).
    pub fn subsample(&self, max_rows: usize, seed: u64) -> Option<Dataset> {
        use rand::SeedableRng;
        if self.n_rows <= max_rows || max_rows == 0 {
            return None;
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(0x5ab5_a3b1e);
        let mut rows = rand::seq::index::sample(&mut rng, self.n_rows, max_rows).into_vec();
        rows.sort_unstable();
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let values: Vec<f64> = rows.iter().map(|&r| c.values[r]).collect();
                Column {
                    missing: values.iter().filter(|v| v.is_nan()).count(),
                    values,
                    ..c.clone_without_values()
                }
            })
            .collect();
        let mut warnings = self.warnings.clone();
        warnings.push(format!(
            "analysing a seeded subsample of {max_rows} of {} rows (seed {seed})",
            self.n_rows
        ));
        Some(Dataset {
            source: self.source.clone(),
            columns,
            n_rows: max_rows,
            warnings,
        })
    }

    /// Every column's summary, on all threads: each column is sorted on one thread in
    /// as many batches as columns run at once, so that together they hold about one
    /// column's worth of sorted keys (see `sorted`).
    pub fn summaries(&self) -> Vec<ColumnSummary> {
        let at_once = rayon::current_num_threads().min(self.columns.len()).max(1);
        self.columns
            .par_iter()
            .with_max_len(1)
            .map(|c| c.summary_in(at_once))
            .collect()
    }
}

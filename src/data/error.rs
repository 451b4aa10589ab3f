use thiserror::Error;

/// Why a file could not be read. Every variant that concerns a cell names the
/// file, the 1-based line and the 1-based column (with its header name when known).
#[derive(Debug, Error)]
pub enum DataError {
    #[error("{file}: cannot open: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: the file is empty; expected a header row and at least one data row")]
    Empty { file: String },
    #[error("{file}, line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}, line {line}, column {column} ('{name}'): {message}")]
    Cell {
        file: String,
        line: u64,
        column: usize,
        name: String,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

impl DataError {
    /// True when the read stopped because [`super::ReadOptions::cancel`] was set.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::File { message, .. } if message == "cancelled")
    }
}

/// A column index that the dataset does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("no column number {0}")]
pub struct NoSuchColumn(pub usize);

/// Why a column's kind could not be overridden ([`super::Dataset::set_kind`]).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum KindError {
    #[error(transparent)]
    NoSuchColumn(#[from] NoSuchColumn),
    /// Text codes have no order or scale.
    #[error("column '{0}' holds text labels; it can be discrete or categorical, not continuous")]
    TextNotContinuous(String),
}

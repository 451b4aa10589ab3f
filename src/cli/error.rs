//! Why a command failed; printed as `error: …` (tests and scripts match these texts).

use crate::analysis::Cancelled;
use crate::data::{DataError, KindError};
use thiserror::Error;

/// Pairs one command computes at most: every pair's result is kept until the CSV is
/// written (about 100 bytes each), so this bounds memory to well under a gigabyte.
pub const MAX_PAIRS: usize = 5_000_000;

#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Kind(#[from] KindError),
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// `-o FILE` could not be written (the message names the file).
    #[error(transparent)]
    Write(#[from] std::io::Error),
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
    #[error("{file}: no column named '{name}'; columns are: {columns}")]
    NoColumnNamed {
        file: String,
        name: String,
        /// All the file's column names, comma-separated.
        columns: String,
    },
    #[error("{file}: --columns: {reason}")]
    BadPattern { file: String, reason: String },
    #[error("{file}: no column matches '{pattern}'; columns are: {columns}")]
    NoColumnMatches {
        file: String,
        pattern: String,
        columns: String,
    },
    #[error("{file}: {reason}")]
    NoEstimate { file: String, reason: String },
    #[error("--x and --y name the same column '{0}'")]
    SameColumn(String),
    #[error(
        "{file}: fewer than two columns to analyse; excluded by default: {excluded}. Name columns with --columns or --kind NAME=KIND to include them"
    )]
    TooFewColumns {
        file: String,
        /// The excluded columns with their reasons, or "none".
        excluded: String,
    },
    /// Conditional MI beside its conditioner, synergy beside its target: one other
    /// column makes no pair.
    #[error(
        "{file}: {analysis} needs two columns besides {role} '{name}'; name them with --columns"
    )]
    TooFewBeside {
        file: String,
        analysis: &'static str,
        role: &'static str,
        name: String,
    },
    #[error(
        "{file}: {columns} columns make {pairs} pairs, more than the {max} one run holds in memory; choose columns with --columns (e.g. the ones most relevant to a target from `mi-workbench mrmr`)",
        max = MAX_PAIRS
    )]
    TooManyPairs {
        file: String,
        columns: usize,
        pairs: usize,
    },
}

/// A command-line value that does not parse; clap prints it after
/// "invalid value '…' for '--flag'".
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ArgError {
    #[error("expected NAME=KIND, got '{0}'")]
    KindSyntax(String),
    #[error("unknown kind '{0}': use continuous, discrete or categorical")]
    Kind(String),
    #[error("unknown estimator '{given}': use one of {names}")]
    Estimator { given: String, names: String },
    #[error("unknown bin rule '{0}': use fd, scott, sturges, sqrt or a count ≥ 1")]
    Bins(String),
    #[error("unknown strategy '{0}': use equal-width or equal-frequency")]
    Strategy(String),
    #[error("unknown units '{0}': use bits or nats")]
    Units(String),
    #[error("unknown method '{0}': use mid, miq, jmi or cmim")]
    Method(String),
    #[error("expected FROM:TO[:STEP] or a list like 2,5,10, got '{0}'")]
    Range(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_wording() {
        let e = CliError::TooManyPairs {
            file: "f.csv".into(),
            columns: 4000,
            pairs: 7_998_000,
        };
        assert!(
            e.to_string()
                .starts_with("f.csv: 4000 columns make 7998000 pairs, more than the 5000000 one")
        );
        let e = CliError::from(KindError::from(crate::data::NoSuchColumn(7)));
        assert_eq!(e.to_string(), "no column number 7");
        assert_eq!(
            CliError::from(Cancelled).to_string(),
            "cancelled",
            "transparent errors print their own message"
        );
    }
}

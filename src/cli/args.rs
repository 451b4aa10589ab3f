//! Command-line grammar. Flags shared by several subcommands mean the same everywhere.

use super::error::ArgError;
use crate::analysis::mrmr::MrmrMethod;
use crate::data::ColumnKind;
use crate::estimate::{BinRule, BinStrategy, Estimator, Units};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mi-workbench",
    version,
    about = "Explore the dependence between the columns of a CSV with mutual information.",
    long_about = "Explore the dependence between the columns of a CSV with mutual information.\n\n\
        Without a subcommand, opens the window (on FILE if given, else on a bundled sample). \
        Subcommands run headless and write CSV with a header row to -o FILE or stdout.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// CSV file to open in the window.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rows, columns, and per column: kind, missing, distinct, min/max/mean.
    Info(InfoArgs),
    /// MI of every pair of columns (long form: one row per unordered pair).
    Matrix(MatrixArgs),
    /// |Pearson|, |Spearman|, MI and r_I per pair: find dependences correlation misses.
    Compare(CompareArgs),
    /// Conditional MI I(X;Y|Z) for every pair given one column Z, beside I(X;Y).
    Cmi(CmiArgs),
    /// Estimator sensitivity for one pair: MI vs bins, vs k, vs sample size.
    Sweep(SweepArgs),
    /// Rank features for a target by minimum-redundancy maximum-relevance.
    Mrmr(MrmrArgs),
    /// Multivariate MI I(X;Y|Z) between column sets (Z optional).
    Multi(super::higher_order::MultiArgs),
    /// Interaction information of feature pairs with a target: synergy (+), redundancy (−).
    Synergy(super::higher_order::SynergyArgs),
    /// Total correlation, dual total correlation and O-information of a set of columns.
    Tc(super::higher_order::TcArgs),
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// The CSV file (delimiter and header detected; NA, empty, NaN, null, ? are missing).
    pub file: PathBuf,
    /// Override a column's detected kind, e.g. --kind year=categorical (repeatable).
    #[arg(long = "kind", value_name = "NAME=KIND", value_parser = parse_kind)]
    pub kinds: Vec<(String, ColumnKind)>,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Analyse a seeded random subset of N rows when the file has more (the window
    /// offers the same subsample for very large files; same seed, same rows).
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..))]
    pub subsample: Option<usize>,
    /// Seed of the row subsample.
    #[arg(long, default_value_t = 42, value_name = "S")]
    pub subsample_seed: u64,
    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct EstimatorArgs {
    /// auto: plug-in for discrete pairs, Ross for discrete–continuous, KSG-1 for continuous
    /// pairs; ksg1|ksg2 (kNN), hist (binned), gauss (−½ln(1−ρ²)), copula (rank-normal
    /// Gaussian), plugin (counts; continuous columns binned).
    #[arg(long, default_value = "auto", value_parser = parse_estimator)]
    pub estimator: Estimator,
    /// Neighbours for KSG, Ross and Frenzel–Pompe.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub k: u32,
    /// Histogram bin rule: fd, scott, sturges, sqrt, or a fixed count.
    #[arg(long, default_value = "fd", value_parser = parse_bins)]
    pub bins: BinRule,
    /// Bin edges: equal-width or equal-frequency.
    #[arg(long, default_value = "equal-width", value_parser = parse_strategy)]
    pub strategy: BinStrategy,
    /// Miller–Madow bias correction for plug-in and histogram estimates.
    #[arg(long)]
    pub miller_madow: bool,
    /// Output units.
    #[arg(long, default_value = "nats", value_parser = parse_units)]
    pub units: Units,
    /// Seed for tie-breaking jitter, permutations and subsamples.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ColumnsArg {
    /// Comma-separated columns to analyse: names, globs (`data.1*`, `x?`) or `/regex/`
    /// (`/regex/i` ignores case; write `|`, not `,`, inside a regex). Default: all not
    /// excluded as identifier-like, constant or empty.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
}

/// What every analysis over a set of columns takes: the file, the estimator, the columns.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub estimator: EstimatorArgs,
    #[command(flatten)]
    pub columns: ColumnsArg,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// Permutations per pair for a p-value (0: none); adds p_value and BH p_adjusted.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
    /// Only the pairs with this column (one column against all others): the same rows
    /// as the full matrix has for it; p_adjusted then adjusts over these pairs only.
    #[arg(long, value_name = "T")]
    pub target: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// Permutations per pair for a p-value (0: none); adds p_value and BH p_adjusted.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
}

#[derive(Debug, Args)]
pub struct CmiArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// The conditioning column Z.
    #[arg(long, value_name = "Z")]
    pub given: String,
    /// Conditional permutations per pair for a p-value of I(X;Y|Z) (0: none): X is
    /// shuffled within strata of a discrete Z, among its nearest rows in a continuous Z
    /// (Runge 2018), keeping X–Z and Y–Z; adds p_value and BH p_adjusted.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub estimator: EstimatorArgs,
    /// First column of the pair.
    #[arg(long)]
    pub x: String,
    /// Second column of the pair.
    #[arg(long)]
    pub y: String,
    /// Bin counts: FROM:TO[:STEP] or a list (2,5,10). Default 2..=min(60, n/5), then up to
    /// the largest count any bin rule picks for the pair.
    #[arg(long, value_parser = parse_range)]
    pub bins_range: Option<ValueList>,
    /// k values: FROM:TO[:STEP] or a list. Default 1,2,3,4,5,6,8,10,…,30.
    #[arg(long, value_parser = parse_range)]
    pub k_range: Option<ValueList>,
    /// Subsample sizes: FROM:TO[:STEP] or a list. Default 50, 100, 200, … up to n.
    #[arg(long, value_parser = parse_range)]
    pub sizes: Option<ValueList>,
    /// Seeded subsamples per size (spread band = mean ± 1 sd).
    #[arg(long, default_value_t = 10)]
    pub repeats: usize,
}

#[derive(Debug, Args)]
pub struct MrmrArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// The target column.
    #[arg(long)]
    pub target: String,
    /// How many features to select.
    #[arg(long, default_value_t = 10, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub select: usize,
    /// jmi (mean I(f;T|s), the default: best on the ranking benchmark), cmim (min I(f;T|s)),
    /// mid (relevance − redundancy), miq (relevance / redundancy).
    #[arg(long, default_value = "jmi", value_parser = parse_mrmr)]
    pub method: MrmrMethod,
    /// Keep features whose relevance is indistinguishable from zero as candidates (by
    /// default a permutation null per feature screens them out; the export lists them).
    #[arg(long)]
    pub no_screen: bool,
    /// Permutations per feature for the relevance's p_value (0: 30 when the screen or
    /// MIQ needs a null). Adds p_value and BH p_adjusted.
    #[arg(long, default_value_t = 0)]
    pub permutations: usize,
    /// Rerun the selection on B seeded half-samples; adds the frequency with which each
    /// feature is in the top --select.
    #[arg(long, default_value_t = 0, value_name = "B")]
    pub stability: usize,
}

fn parse_kind(s: &str) -> Result<(String, ColumnKind), ArgError> {
    let (name, kind) = s
        .rsplit_once('=')
        .ok_or_else(|| ArgError::KindSyntax(s.to_string()))?;
    let kind = ColumnKind::parse(kind).ok_or_else(|| ArgError::Kind(kind.to_string()))?;
    Ok((name.to_string(), kind))
}

fn parse_estimator(s: &str) -> Result<Estimator, ArgError> {
    Estimator::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Estimator::ALL.iter().map(|e| e.name()).collect();
        ArgError::Estimator {
            given: s.to_string(),
            names: names.join(", "),
        }
    })
}

fn parse_bins(s: &str) -> Result<BinRule, ArgError> {
    BinRule::parse(s).ok_or_else(|| ArgError::Bins(s.to_string()))
}

fn parse_strategy(s: &str) -> Result<BinStrategy, ArgError> {
    BinStrategy::parse(s).ok_or_else(|| ArgError::Strategy(s.to_string()))
}

fn parse_units(s: &str) -> Result<Units, ArgError> {
    Units::parse(s).ok_or_else(|| ArgError::Units(s.to_string()))
}

fn parse_mrmr(s: &str) -> Result<MrmrMethod, ArgError> {
    MrmrMethod::parse(s).ok_or_else(|| ArgError::Method(s.to_string()))
}

/// Parsed `--bins-range`/`--k-range`/`--sizes` values (a newtype so clap treats the
/// list as one value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueList(pub Vec<usize>);

/// `FROM:TO[:STEP]` (inclusive) or a comma-separated list of positive integers.
pub fn parse_range(s: &str) -> Result<ValueList, ArgError> {
    crate::analysis::sweep::parse_values(s)
        .map(ValueList)
        .map_err(|_| ArgError::Range(s.to_string()))
}

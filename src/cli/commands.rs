//! Each subcommand: read the file, run the same analysis the window runs, write CSV.

use super::args::{ColumnsArg, Command, EstimatorArgs, InputArgs};
use super::error::{CliError, MAX_PAIRS};
use super::progress_printer::ProgressPrinter;
use crate::analysis::{
    self, Progress, matrix::MatrixRequest, mrmr::MrmrOptions, sweep::SweepRequest,
};
use crate::data::ColumnKind;
use crate::data::select::{self, ColumnPattern, Mode};
use crate::data::{Dataset, ReadOptions, read_csv_path};
use crate::estimate::pair::resolve;
use crate::estimate::prepare::complete_rows;
use crate::estimate::{Estimator, Method, Settings};
use crate::export;
use std::io::Write;

pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Info(a) => {
            let ds = load(&a.input)?;
            if !a.input.quiet {
                eprintln!(
                    "{}: {} rows, {} columns",
                    ds.source,
                    ds.n_rows,
                    ds.columns.len()
                );
            }
            emit(&a.input, &export::info_csv(&ds))
        }
        Command::Matrix(a) => {
            let ds = load(&a.common.input)?;
            let target = a.target.as_deref().map(|t| index(&ds, t)).transpose()?;
            let (cols, pairs) = match target {
                // One column's pairs: m − 1 of them, so only that count is bounded.
                Some(t) => {
                    let cols = pick_columns(&ds, &a.common.columns, &[t])?;
                    let pairs = cols.len() - 1;
                    (cols, pairs)
                }
                None => {
                    let cols = pick_columns(&ds, &a.common.columns, &[])?;
                    let pairs = cols.len() * (cols.len() - 1) / 2;
                    (cols, pairs)
                }
            };
            check_pairs(&ds, cols.len(), pairs)?;
            warn_few_permutations(&a.common.input, a.permutations, pairs);
            let request = MatrixRequest {
                columns: cols,
                settings: settings(&a.common.estimator),
                permutations: a.permutations,
            };
            let result = with_progress(&a.common.input, |p| match target {
                Some(t) => analysis::matrix::run_target(&ds, &request, t, p),
                None => analysis::matrix::run(&ds, &request, p, &|_, _| {}),
            })?;
            note_other_estimators(&a.common, &result);
            emit(
                &a.common.input,
                &export::matrix_long_csv(&ds, &result, a.common.estimator.units),
            )
        }
        Command::Compare(a) => {
            let ds = load(&a.common.input)?;
            let cols = columns(&ds, &a.common.columns, &[])?;
            let pairs = cols.len() * (cols.len() - 1) / 2;
            warn_few_permutations(&a.common.input, a.permutations, pairs);
            let s = settings(&a.common.estimator);
            let rows = with_progress(&a.common.input, |p| {
                analysis::compare::run_tested(&ds, &cols, &s, a.permutations, p)
            })?;
            emit(
                &a.common.input,
                &export::compare_csv(&ds, &rows, a.common.estimator.units),
            )
        }
        Command::Cmi(a) => {
            let ds = load(&a.common.input)?;
            let given = index(&ds, &a.given)?;
            let cols = columns(&ds, &a.common.columns, &[given])?;
            two_beside(
                &ds,
                cols.len() - 1,
                ("conditional MI", "the conditioner", &a.given),
            )?;
            let pairs = (cols.len() - 1) * (cols.len().saturating_sub(2)) / 2;
            warn_few_permutations(&a.common.input, a.permutations, pairs);
            let s = settings(&a.common.estimator);
            let rows = with_progress(&a.common.input, |p| {
                analysis::conditional::run_tested(&ds, &cols, given, &s, a.permutations, p)
            })?;
            emit(
                &a.common.input,
                &export::conditional_csv(&ds, &rows, &s, a.common.estimator.units),
            )
        }
        Command::Sweep(a) => {
            let ds = load(&a.input)?;
            let (x, y) = (index(&ds, &a.x)?, index(&ds, &a.y)?);
            if x == y {
                return Err(CliError::SameColumn(a.x));
            }
            let n = complete_rows(&[&ds.columns[x], &ds.columns[y]]).len();
            let mut request = SweepRequest::with_defaults(x, y, n, settings(&a.estimator));
            let any = a.bins_range.is_some() || a.k_range.is_some() || a.sizes.is_some();
            if any {
                request.bins = a.bins_range.map(|v| v.0).unwrap_or_default();
                request.ks = a.k_range.map(|v| v.0).unwrap_or_default();
                request.sizes = a.sizes.map(|v| v.0).unwrap_or_default();
            } else {
                request.cover_rules(&ds);
            }
            request.repeats = a.repeats.max(1);
            let result = with_progress(&a.input, |p| analysis::sweep::run(&ds, &request, p))?;
            emit(&a.input, &export::sweep_csv(&result, a.estimator.units))
        }
        Command::Mrmr(a) => {
            let ds = load(&a.common.input)?;
            let target = index(&ds, &a.target)?;
            let cols = columns(&ds, &a.common.columns, &[target])?;
            let s = settings(&a.common.estimator);
            let options = MrmrOptions {
                select: a.select,
                method: a.method,
                screen: !a.no_screen,
                permutations: a.permutations,
                stability: a.stability,
            };
            let result = with_progress(&a.common.input, |p| {
                analysis::mrmr::run(&ds, target, &cols, &options, &s, p)
            })?;
            if result.screen.on && !a.common.input.quiet {
                let passed = result
                    .relevance
                    .iter()
                    .filter(|r| r.passes(result.screen.z))
                    .count();
                eprintln!(
                    "note: relevance screen: {passed} of {} features pass (relevance above its permutation null's mean + z = {:.2} sd, {} permutations each); p_value is the plain permutation p-value, never below 1/(B + 1) = {:.3}, so the screen reads the null's Gaussian tail instead",
                    result.relevance.len(),
                    result.screen.z,
                    result.screen.permutations,
                    1.0 / (result.screen.permutations as f64 + 1.0),
                );
            }
            emit(
                &a.common.input,
                &export::mrmr_csv(&ds, &result, a.common.estimator.units),
            )
        }
        Command::Multi(a) => super::higher_order::multi(a),
        Command::Synergy(a) => super::higher_order::synergy(a),
        Command::Tc(a) => super::higher_order::tc(a),
    }
}

/// An analysis beside one column (cmi's conditioner, synergy's target) needs `others`
/// ≥ 2 other columns to make a pair at all.
pub(super) fn two_beside(
    ds: &Dataset,
    others: usize,
    (analysis, role, name): (&'static str, &'static str, &str),
) -> Result<(), CliError> {
    if others >= 2 {
        return Ok(());
    }
    Err(CliError::TooFewBeside {
        file: ds.source.clone(),
        analysis,
        role,
        name: name.to_string(),
    })
}

/// Says on stderr (unless `-q`) how many pairs an explicitly requested estimator did not
/// apply to (a discrete column, or repeated values, take their own estimator), so that
/// a different name in the `estimator` column is not a surprise.
fn note_other_estimators(
    common: &super::args::AnalysisArgs,
    result: &analysis::matrix::MatrixResult,
) {
    let asked = common.estimator.estimator;
    if common.input.quiet || asked == Estimator::Auto {
        return;
    }
    // What the request means for two continuous columns (the pair resolver's own
    // answer); asking for counts counts every pair, binned or not.
    let meant = resolve(asked, ColumnKind::Continuous, ColumnKind::Continuous);
    let same = |m: Method| m == meant || (meant == Method::Histogram && m == Method::PlugIn);
    let estimated: Vec<Method> = result
        .cells
        .iter()
        .filter_map(|c| c.estimate.as_ref().ok().map(|e| e.method))
        .collect();
    let other = estimated.iter().filter(|&&m| !same(m)).count();
    if other > 0 {
        eprintln!(
            "note: --estimator {} applies to {} of {} pairs; the other {other} have a discrete column or repeated values and use the estimator named in the estimator column",
            asked.name(),
            estimated.len() - other,
            estimated.len(),
        );
    }
}

/// Says on stderr (unless `-q`) when `n` permutations cannot make any of `tests` pairs
/// significant after Benjamini–Hochberg, and how many would.
pub(super) fn warn_few_permutations(input: &InputArgs, n: usize, tests: usize) {
    if input.quiet {
        return;
    }
    if let Some(why) = crate::estimate::significance::too_few_permutations(n, tests, 0.05) {
        eprintln!("warning: {why}");
    }
}

pub fn settings(a: &EstimatorArgs) -> Settings {
    Settings {
        estimator: a.estimator,
        k: a.k as usize,
        bins: a.bins,
        strategy: a.strategy,
        miller_madow: a.miller_madow,
        seed: a.seed,
    }
}

pub(super) fn load(input: &InputArgs) -> Result<Dataset, CliError> {
    let mut ds = read_csv_path(&input.file, &ReadOptions::default())?;
    if !input.quiet {
        for w in &ds.warnings {
            eprintln!("warning: {w}");
        }
    }
    if let Some(sub) = input
        .subsample
        .and_then(|n| ds.subsample(n, input.subsample_seed))
    {
        if !input.quiet {
            eprintln!("note: {}", sub.warnings.last().map_or("", String::as_str));
        }
        ds = sub;
    }
    for (name, kind) in &input.kinds {
        let i = index(&ds, name)?;
        ds.set_kind(i, *kind)?;
        // Naming a kind is a deliberate choice: include the column even if it was
        // excluded by default.
        ds.columns[i].excluded_reason = None;
    }
    Ok(ds)
}

pub(super) fn index(ds: &Dataset, name: &str) -> Result<usize, CliError> {
    ds.column_index(name).ok_or_else(|| {
        let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
        CliError::NoColumnNamed {
            file: ds.source.clone(),
            name: name.to_string(),
            columns: names.join(", "),
        }
    })
}

/// A `--columns` item: the column of that exact name, else, for a glob (`data.1*`) or a
/// `/regex/`, every column it matches in file order (see `data::select`).
pub(super) fn named_or_matching(ds: &Dataset, term: &str) -> Result<Vec<usize>, CliError> {
    if ds.column_index(term).is_some() || !select::is_wildcard(term) {
        return index(ds, term).map(|i| vec![i]);
    }
    let pattern = ColumnPattern::parse(term, Mode::Exact).map_err(|e| CliError::BadPattern {
        file: ds.source.clone(),
        reason: e.to_string(),
    })?;
    let found = pattern.select(ds.columns.iter().map(|c| c.name.as_str()));
    if found.is_empty() {
        let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
        return Err(CliError::NoColumnMatches {
            file: ds.source.clone(),
            pattern: term.to_string(),
            columns: names.join(", "),
        });
    }
    Ok(found)
}

/// The columns asked for, or the default set; `always` are added (target, conditioner);
/// their pairs bounded by [`MAX_PAIRS`].
fn columns(ds: &Dataset, arg: &ColumnsArg, always: &[usize]) -> Result<Vec<usize>, CliError> {
    let cols = pick_columns(ds, arg, always)?;
    check_pairs(ds, cols.len(), cols.len() * (cols.len() - 1) / 2)?;
    Ok(cols)
}

/// A run over `columns` columns that computes `pairs` pairs must fit in memory.
fn check_pairs(ds: &Dataset, columns: usize, pairs: usize) -> Result<(), CliError> {
    if pairs > MAX_PAIRS {
        return Err(CliError::TooManyPairs {
            file: ds.source.clone(),
            columns,
            pairs,
        });
    }
    Ok(())
}

/// [`columns`] without the bound on pairs: at least two columns.
pub(super) fn pick_columns(
    ds: &Dataset,
    arg: &ColumnsArg,
    always: &[usize],
) -> Result<Vec<usize>, CliError> {
    let mut cols = if arg.columns.is_empty() {
        ds.default_included()
    } else {
        let mut cols = Vec::new();
        for term in &arg.columns {
            for i in named_or_matching(ds, term.trim())? {
                if !cols.contains(&i) {
                    cols.push(i);
                }
            }
        }
        cols
    };
    for &a in always {
        if !cols.contains(&a) {
            cols.push(a);
        }
    }
    cols.dedup();
    if cols.len() < 2 {
        let excluded: Vec<String> = ds
            .columns
            .iter()
            .filter_map(|c| {
                c.excluded_reason
                    .as_ref()
                    .map(|r| format!("'{}' ({r})", c.name))
            })
            .collect();
        return Err(CliError::TooFewColumns {
            file: ds.source.clone(),
            excluded: if excluded.is_empty() {
                "none".to_string()
            } else {
                excluded.join(", ")
            },
        });
    }
    Ok(cols)
}

pub(super) fn with_progress<T>(
    input: &InputArgs,
    job: impl FnOnce(&Progress) -> Result<T, analysis::Cancelled>,
) -> Result<T, CliError> {
    let progress = Progress::new();
    let printer = (!input.quiet).then(|| ProgressPrinter::start(progress.clone()));
    let result = job(&progress);
    drop(printer);
    Ok(result?)
}

pub(super) fn emit(input: &InputArgs, csv: &str) -> Result<(), CliError> {
    match &input.output {
        Some(path) => Ok(export::atomic_write(path, csv.as_bytes())?),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            match out.write_all(csv.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
                _ => Ok(()),
            }
        }
    }
}

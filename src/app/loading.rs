//! Opening files: reading a CSV (or a bundled sample) in a job, the column statistics
//! and row subsample computed there too, and taking the result in.

use super::jobs::{JobError, JobKey, Lane};
use super::loaded::Loaded;
use super::{WorkbenchApp, display_name, samples, state};
use crate::analysis::Progress;
use crate::data::{self, ColumnSummary, Dataset, ReadOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub(super) const LOAD_JOB: JobKey<LoadOutcome> = JobKey::new("load");

/// How a failed open's banner starts: the next successful open removes such banners.
pub(super) const OPEN_FAILED: &str = "Could not open the file.";

/// Reader options that report into `progress` (bytes read) and stop when it is cancelled.
fn read_options(progress: &Progress) -> ReadOptions {
    let cancel = Arc::new(AtomicBool::new(false));
    let last = Arc::new(AtomicU64::new(0));
    let (p, flag) = (progress.clone(), cancel.clone());
    let report: Arc<dyn Fn(u64, u64) + Send + Sync> = Arc::new(move |done: u64, total: u64| {
        if last.load(Ordering::Relaxed) == 0 && done > 0 {
            p.start("reading CSV", usize::try_from(total).unwrap_or(usize::MAX));
        }
        let before = last.swap(done, Ordering::Relaxed);
        p.add(usize::try_from(done.saturating_sub(before)).unwrap_or(0));
        // The reader checks its flag as it goes; the job's Cancel button sets ours.
        if p.is_cancelled() {
            flag.store(true, Ordering::Relaxed);
        }
    });
    ReadOptions {
        progress: Some(report),
        cancel: Some(cancel),
        ..ReadOptions::default()
    }
}

/// The load job's work after reading: statistics of the whole file and, for a file
/// over the threshold, the seeded row subsample the panels analyse by default.
fn finish_load(
    ds: Dataset,
    large: &state::LargeFileSettings,
    name: String,
    path: Option<PathBuf>,
    progress: &Progress,
) -> Result<LoadOutcome, JobError> {
    progress.start("column statistics", 2);
    let summaries = ds.summaries();
    let variances = crate::data::stats::variances(&ds);
    progress.add(1);
    progress.check()?;
    if ds.n_rows > large.subsample_rows {
        progress.start("row subsample", 1);
    }
    let subsample = ds
        .subsample(large.subsample_rows, large.seed)
        .map(|s| (s, large.seed));
    progress.add(1);
    Ok(LoadOutcome {
        ds,
        subsample,
        summaries,
        variances,
        name,
        path,
    })
}

fn load_error(e: data::DataError, progress: &Progress) -> JobError {
    if progress.is_cancelled() {
        JobError::Cancelled
    } else {
        JobError::Failed(e.to_string())
    }
}

/// What a finished load job hands back.
pub(super) struct LoadOutcome {
    ds: Dataset,
    /// The seeded row subsample and its seed, when the file is over the threshold.
    subsample: Option<(Dataset, u64)>,
    summaries: Vec<ColumnSummary>,
    variances: Vec<f64>,
    name: String,
    path: Option<PathBuf>,
}

impl WorkbenchApp {
    /// Starts loading a CSV file in the background; the current dataset stays until it
    /// has loaded, and stays for good if it fails.
    pub fn open_path(&mut self, path: impl Into<PathBuf>) {
        let path: PathBuf = path.into();
        let name = display_name(&path);
        let label = format!("reading {name}");
        let large = self.state.large_files.clone();
        self.jobs
            .spawn(LOAD_JOB, label, Lane::Interactive, move |h| {
                h.progress.start("reading CSV", 0);
                let ds = data::read_csv_path(&path, &read_options(&h.progress))
                    .map_err(|e| load_error(e, &h.progress))?;
                h.progress.check()?;
                finish_load(ds, &large, name, Some(path), &h.progress)
            });
    }

    /// Loads one of the bundled samples (by index into [`samples::SAMPLES`]).
    pub fn open_sample(&mut self, index: usize) {
        let Some(sample) = samples::SAMPLES.get(index) else {
            return;
        };
        self.open_bytes(sample.name.to_string(), sample.bytes.to_vec());
    }

    pub(super) fn open_bytes(&mut self, name: String, bytes: Vec<u8>) {
        let large = self.state.large_files.clone();
        self.jobs.spawn(
            LOAD_JOB,
            format!("reading {name}"),
            Lane::Interactive,
            move |h| {
                h.progress.start("reading CSV", 0);
                let ds = data::read_csv_bytes(&name, &bytes, &read_options(&h.progress))
                    .map_err(|e| load_error(e, &h.progress))?;
                h.progress.check()?;
                finish_load(ds, &large, name, None, &h.progress)
            },
        );
    }

    pub(super) fn poll_load(&mut self) {
        let Some(done) = self.jobs.take_done(LOAD_JOB) else {
            return;
        };
        match done {
            Ok(out) => {
                if let Some(p) = &out.path {
                    self.state.remember(p);
                }
                // A file that failed to open before this one is no longer news.
                self.errors.retain(|e| !e.starts_with(OPEN_FAILED));
                // Results of the old dataset are meaningless now.
                self.jobs.cancel_all();
                let next = &mut self.next_generation;
                let loaded = Loaded::new(
                    out.ds,
                    out.subsample,
                    self.state.large_files.subsample_by_default,
                    out.summaries,
                    out.variances,
                    out.name,
                    out.path,
                    || {
                        *next += 1;
                        *next - 1
                    },
                );
                self.panels
                    .dataset_changed(loaded.generation, &loaded.generations());
                self.loaded = Some(loaded);
                self.kind_pending = None;
                self.inspector.dataset_changed();
            }
            Err(JobError::Cancelled) => {}
            Err(e) => {
                let after = match &self.loaded {
                    Some(l) => format!("{} stays loaded.", l.name),
                    None => "No data is loaded: open another file or a sample (File menu).".into(),
                };
                self.errors.push(format!("{OPEN_FAILED} {e}\n{after}"));
            }
        }
    }
}

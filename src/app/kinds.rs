//! Column kind overrides (Data panel, `Command::SetKind`): the file and its subsample
//! are copied with the new kinds (in a job when large) under new generations, so jobs
//! still reading the old data file their results under the old ones.

use super::WorkbenchApp;
use super::jobs::{JobError, JobKey, Lane};
use crate::data::{self, Dataset};
use std::sync::Arc;

/// Applies a column kind override to a copy of the data (a copy of a million rows is
/// not UI-thread work).
pub(super) const KIND_JOB: JobKey<KindOutcome> = JobKey::new("kind");

/// Above this many values (file and subsample together), a kind override copies the
/// data in a job; below it the copy takes a few milliseconds and is done at once.
const SYNC_KIND_VALUES: usize = 1_000_000;

/// The file and its subsample with the accepted kind overrides applied (`None` when
/// every one was refused), and why any was refused.
pub(super) struct KindOutcome {
    data: Option<(Dataset, Option<Dataset>)>,
    refused: Vec<String>,
}

/// Kind overrides being applied, all to the data of generation `base`: a second
/// override while the first is still copying is applied together with it.
pub(super) struct KindPending {
    base: u64,
    /// (column, new kind), in the order chosen.
    kinds: Vec<(usize, data::ColumnKind)>,
}

fn with_kinds(
    full: &Dataset,
    sub: Option<&Dataset>,
    kinds: &[(usize, data::ColumnKind)],
) -> KindOutcome {
    let mut full = full.clone();
    let mut sub = sub.cloned();
    let mut refused = Vec::new();
    let mut applied = 0;
    for &(column, kind) in kinds {
        // The file and its subsample share their columns' kinds and labels, so an
        // override the file accepts the subsample accepts too.
        match full.set_kind(column, kind) {
            Ok(()) => {
                applied += 1;
                if let Some(s) = &mut sub {
                    let _ = s.set_kind(column, kind);
                }
            }
            Err(e) => refused.push(e.to_string()),
        }
    }
    KindOutcome {
        data: (applied > 0).then_some((full, sub)),
        refused,
    }
}

impl WorkbenchApp {
    /// Overrides a column's kind in the whole file and its subsample. The data are
    /// copied (jobs still read the old `Arc`s and file their results under the old
    /// generations); a large copy runs as a job so the window keeps drawing.
    pub(super) fn set_kind(&mut self, column: usize, kind: data::ColumnKind) {
        let Some(data) = &mut self.loaded else { return };
        // Show the choice at once; a refused override puts the old kind back.
        if let Some(s) = data.summaries.get_mut(column) {
            s.kind = kind;
        }
        let mut kinds = match &self.kind_pending {
            Some(p) if p.base == data.full_generation => p.kinds.clone(),
            _ => Vec::new(),
        };
        kinds.push((column, kind));
        let base = data.full_generation;
        let full = data.full.clone();
        let sub = data.subsample.as_ref().map(|s| s.ds.clone());
        let values = full.n_rows.saturating_mul(full.columns.len())
            + sub
                .as_ref()
                .map_or(0, |s| s.n_rows.saturating_mul(s.columns.len()));
        let overrides = kinds.clone();
        if values <= SYNC_KIND_VALUES {
            let outcome = with_kinds(&full, sub.as_deref(), &overrides);
            self.kind_pending = Some(KindPending { base, kinds });
            self.finish_kind(outcome);
            return;
        }
        self.jobs.spawn(
            KIND_JOB,
            format!("changing the kind of {}", data.column_name(column)),
            Lane::Interactive,
            move |h| {
                h.progress.start("copying the data", 1);
                let outcome = with_kinds(&full, sub.as_deref(), &overrides);
                h.progress.add(1);
                Ok(outcome)
            },
        );
        self.kind_pending = Some(KindPending { base, kinds });
    }

    pub(super) fn poll_kind(&mut self) {
        if let Some(done) = self.jobs.take_done(KIND_JOB) {
            match done {
                Ok(outcome) => self.finish_kind(outcome),
                Err(JobError::Cancelled) => {}
                Err(e) => {
                    self.kind_pending = None;
                    self.revert_kinds();
                    self.errors.push(e.to_string());
                }
            }
        }
    }

    pub(super) fn finish_kind(&mut self, outcome: KindOutcome) {
        let Some(pending) = self.kind_pending.take() else {
            return;
        };
        let Some(data) = &mut self.loaded else { return };
        if data.full_generation != pending.base {
            // Another file was opened meanwhile: the copy belongs to the old one.
            return;
        }
        if let Some((full, sub)) = outcome.data {
            data.full_generation = self.next_generation;
            data.full = Arc::new(full);
            self.next_generation += 1;
            if let (Some(s), Some(ds)) = (&mut data.subsample, sub) {
                s.ds = Arc::new(ds);
                s.generation = self.next_generation;
                self.next_generation += 1;
            }
            data.refresh();
            self.panels
                .dataset_changed(data.generation, &data.generations());
        }
        if !outcome.refused.is_empty() {
            self.revert_kinds();
            self.errors.extend(outcome.refused);
        }
    }

    /// Puts the Data panel's kinds back to those of the data (after a refused override).
    pub(super) fn revert_kinds(&mut self) {
        if let Some(data) = &mut self.loaded {
            for (s, c) in data.summaries.iter_mut().zip(&data.full.columns) {
                s.kind = c.kind;
            }
        }
    }
}

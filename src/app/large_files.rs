//! Very large files: the seeded row subsample the panels analyse by default, the
//! switch to all rows, and the View > Large files settings.

use super::jobs::{JobError, JobKey, Lane};
use super::kinds::KIND_JOB;
use super::loading::LOAD_JOB;
use super::{WorkbenchApp, state, thousands};
use crate::data::Dataset;

/// Recomputes a loaded file's row subsample after the threshold or seed changed: the
/// file's generation it was made from, and the subsample with its seed.
pub(super) const SUBSAMPLE_JOB: JobKey<(u64, Option<(Dataset, u64)>)> = JobKey::new("subsample");

impl WorkbenchApp {
    /// Changes the large-file threshold or seed as the View menu does: the open
    /// file's subsample follows (recomputed in a job).
    pub fn set_large_file_settings(&mut self, settings: state::LargeFileSettings) {
        self.state.large_files = settings;
        self.apply_large_file_settings();
    }

    /// Analyse the large file's subsample (`true`) or all its rows. Results of both stay
    /// cached, so switching back shows the earlier results at once.
    pub fn use_subsample(&mut self, on: bool) {
        if !self.loaded.as_mut().is_some_and(|d| d.use_subsample(on)) {
            return;
        }
        self.cancel_analyses();
        if let Some(data) = &self.loaded {
            self.panels
                .dataset_changed(data.generation, &data.generations());
            self.inspector.data_switched(&mut self.jobs, data);
        }
    }

    /// Stops the analyses of the data no longer shown (not a load or a kind change).
    pub(super) fn cancel_analyses(&mut self) {
        let own = [LOAD_JOB.name, SUBSAMPLE_JOB.name, KIND_JOB.name];
        self.jobs.cancel_where(|k| !own.contains(&k));
    }

    /// After the threshold or seed changed: recompute the open file's subsample (in a
    /// job), or drop it when the file is no longer over the threshold.
    pub(super) fn apply_large_file_settings(&mut self) {
        let Some(data) = &mut self.loaded else { return };
        let large = self.state.large_files.clone();
        let wanted = data.full.n_rows > large.subsample_rows && large.subsample_rows > 0;
        let current = data.subsample.as_ref().map(|s| (s.ds.n_rows, s.seed));
        if !wanted {
            self.jobs.cancel(SUBSAMPLE_JOB);
            if current.is_some() {
                let was_active = data.is_subsampled();
                data.replace_subsample(None, 0);
                if was_active {
                    self.cancel_analyses();
                    if let Some(data) = &self.loaded {
                        self.panels
                            .dataset_changed(data.generation, &data.generations());
                        self.inspector.data_switched(&mut self.jobs, data);
                    }
                }
            }
            return;
        }
        if current == Some((large.subsample_rows, large.seed)) {
            self.jobs.cancel(SUBSAMPLE_JOB);
            return;
        }
        let full = data.full.clone();
        let base = data.full_generation;
        self.jobs.spawn(
            SUBSAMPLE_JOB,
            format!("subsampling {} rows", thousands(large.subsample_rows)),
            Lane::Interactive,
            move |h| {
                h.progress.start("row subsample", 1);
                let sub = full.subsample(large.subsample_rows, large.seed);
                h.progress.add(1);
                Ok((base, sub.map(|s| (s, large.seed))))
            },
        );
    }

    pub(super) fn poll_subsample(&mut self) {
        let Some(done) = self.jobs.take_done(SUBSAMPLE_JOB) else {
            return;
        };
        match done {
            Ok((base, sub)) => {
                let Some(data) = &mut self.loaded else { return };
                if data.full_generation != base {
                    return;
                }
                let generation = self.next_generation;
                self.next_generation += 1;
                data.replace_subsample(sub, generation);
                self.cancel_analyses();
                if let Some(data) = &self.loaded {
                    self.panels
                        .dataset_changed(data.generation, &data.generations());
                    self.inspector.data_switched(&mut self.jobs, data);
                }
            }
            Err(JobError::Cancelled) => {}
            Err(e) => self
                .errors
                .push(format!("Could not subsample the rows: {e}")),
        }
    }

    /// View > Large files: the subsample threshold and seed (persisted).
    pub(super) fn large_file_menu(&mut self, ui: &mut egui::Ui) {
        ui.label("Large files");
        let lf = &mut self.state.large_files;
        ui.checkbox(&mut lf.subsample_by_default, "Open on a subsample")
            .on_hover_text("Files with more rows than the threshold open on a seeded row subsample; all rows stay one click away");
        let mut apply = false;
        ui.horizontal(|ui| {
            let l = ui.label("Subsample above");
            let r = ui
                .add(
                    egui::DragValue::new(&mut lf.subsample_rows)
                        .range(1_000..=100_000_000)
                        .speed(1_000.0)
                        .update_while_editing(false)
                        .custom_formatter(|v, _| thousands(v.max(0.0) as usize))
                        .custom_parser(|t| t.replace([',', '_', ' '], "").parse::<f64>().ok()),
                )
                .labelled_by(l.id)
                .on_hover_text("Files with more rows than this are analysed on a seeded subsample of this many rows");
            ui.label("rows");
            apply |= r.drag_stopped() || (r.changed() && !r.dragged());
        });
        ui.horizontal(|ui| {
            let l = ui.label("Subsample seed");
            let r = ui
                .add(egui::DragValue::new(&mut lf.seed).update_while_editing(false))
                .labelled_by(l.id)
                .on_hover_text("Same seed, same rows: the command line's --subsample-seed");
            apply |= r.drag_stopped() || (r.changed() && !r.dragged());
        });
        if apply {
            self.apply_large_file_settings();
        }
    }

    /// Shown while a file is over the large-file threshold: which rows the panels
    /// analyse, and the switch between the subsample and all rows.
    pub(super) fn subsample_banner(&mut self, ui: &mut egui::Ui) {
        let Some(data) = &self.loaded else { return };
        let Some(sub) = &data.subsample else { return };
        let (n_sub, n_all) = (thousands(sub.ds.n_rows), thousands(data.full.n_rows));
        let (seed, active) = (sub.seed, sub.active);
        let mut switch = None;
        egui::Frame::group(ui.style())
            .fill(ui.visuals().selection.bg_fill.gamma_multiply(0.2))
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    if active {
                        ui.strong(format!(
                            "Analysing a seeded subsample of {n_sub} of {n_all} rows"
                        ))
                        .on_hover_text(format!(
                            "Every panel uses the same {n_sub} rows, drawn at random with seed {seed}, so the window stays interactive. \
                             The command line picks the same rows with --subsample {} --subsample-seed {seed}.",
                            sub.ds.n_rows
                        ));
                        ui.label("—");
                        if ui
                            .button("Use all rows")
                            .on_hover_text(format!(
                                "Analyse all {n_all} rows (slower); the subsample's results stay cached"
                            ))
                            .clicked()
                        {
                            switch = Some(false);
                        }
                    } else {
                        ui.strong(format!("Analysing all {n_all} rows"));
                        ui.label("—");
                        if ui
                            .button(format!("Use the {n_sub}-row subsample"))
                            .on_hover_text(format!(
                                "Go back to the seeded subsample of {n_sub} rows (seed {seed}): faster, and its results are cached"
                            ))
                            .clicked()
                        {
                            switch = Some(true);
                        }
                    }
                    ui.weak("Threshold and seed: View > Large files");
                });
            });
        if let Some(on) = switch {
            self.use_subsample(on);
        }
    }
}

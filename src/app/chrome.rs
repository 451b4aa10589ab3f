//! The window's chrome: menu bar, tabs, status bar, error banner, keyboard shortcuts
//! and file drops.

use super::commands::{COPY, EXPORT, OPEN, shortcut_button};
use super::jobs::format_duration;
use super::panels::Tab;
use super::{WorkbenchApp, display_name, samples, state, thousands};

impl WorkbenchApp {
    /// Ctrl+E and File > Export current table.
    pub(super) fn export_current(&mut self, frame: Option<&eframe::Frame>) {
        let tab = self.state.tab;
        let ((), commands) = self.with_panels(|p, cx| p.export_current(tab, cx));
        self.apply_commands(commands, frame);
    }

    /// Ctrl+C and Edit > Copy table: the visible panel's main table as TSV.
    pub(super) fn copy_current(&mut self, frame: Option<&eframe::Frame>) {
        let tab = self.state.tab;
        let ((), commands) = self.with_panels(|p, cx| {
            super::panels::perform(p.get_mut(tab), super::widgets::Action::Copy, cx)
        });
        self.apply_commands(commands, frame);
    }

    pub(super) fn handle_input(&mut self, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN)) {
            self.open_dialog(frame);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&EXPORT)) {
            self.export_current(frame);
        }
        let copy = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if copy && !ctx.egui_wants_keyboard_input() {
            self.copy_current(frame);
        }
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(f) = dropped.into_iter().next() {
            self.open_path(f.path().to_path_buf());
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, frame: Option<&eframe::Frame>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(shortcut_button(ui, "Open CSV…", &OPEN))
                    .on_hover_text("Choose a CSV file to open")
                    .clicked()
                {
                    self.open_dialog(frame);
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    if self.state.recent.is_empty() {
                        ui.weak("no recent files");
                    }
                    let mut chosen = None;
                    for p in &self.state.recent {
                        if ui
                            .button(display_name(p))
                            .on_hover_text(p.display().to_string())
                            .clicked()
                        {
                            chosen = Some(p.clone());
                        }
                    }
                    if let Some(p) = chosen {
                        self.open_path(p);
                        ui.close();
                    }
                });
                ui.menu_button("Sample data", |ui| {
                    for (i, s) in samples::SAMPLES.iter().enumerate() {
                        if ui.button(s.name).on_hover_text(s.about).clicked() {
                            self.open_sample(i);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(shortcut_button(ui, "Export current table…", &EXPORT))
                    .on_hover_text("Save the visible panel's table as CSV")
                    .clicked()
                {
                    self.export_current(frame);
                    ui.close();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add(shortcut_button(ui, "Copy table", &COPY))
                    .on_hover_text(
                        "The visible panel's table, tab-separated: pastes into Excel or Google Sheets. \
                         Right-click a heatmap cell to copy one pair's row or the image.",
                    )
                    .clicked()
                {
                    self.copy_current(frame);
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                ui.label("Theme");
                for (choice, name, tip) in [
                    (
                        state::ThemeChoice::System,
                        "Follow system",
                        "Light or dark as the operating system is set",
                    ),
                    (state::ThemeChoice::Light, "Light", "Always light"),
                    (state::ThemeChoice::Dark, "Dark", "Always dark"),
                ] {
                    ui.radio_value(&mut self.state.theme, choice, name)
                        .on_hover_text(tip);
                }
                ui.separator();
                ui.label("Units");
                ui.radio_value(&mut self.state.units, crate::estimate::Units::Bits, "bits")
                    .on_hover_text("Information in bits (log base 2)");
                ui.radio_value(&mut self.state.units, crate::estimate::Units::Nats, "nats")
                    .on_hover_text("Information in nats (natural log)");
                ui.separator();
                ui.checkbox(&mut self.state.builtin_file_browser, "Built-in file browser")
                    .on_hover_text("Open and save files with the browser inside the window instead of the system dialog");
                ui.separator();
                self.large_file_menu(ui);
            });
            ui.menu_button("Help", |ui| {
                ui.label("Open a CSV (Ctrl+O or drop it on the window).");
                ui.label("Click a heatmap cell to inspect the pair.");
                ui.label("Ctrl+E exports the visible table.");
                ui.label("Every number uses the estimator, settings and unit shown beside it.");
            });
        });
    }

    pub(super) fn tabs(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            for &t in Tab::ALL {
                ui.selectable_value(&mut self.state.tab, t, t.title())
                    .on_hover_text(t.explain());
            }
        });
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let mut cancel = None;
        ui.horizontal(|ui| {
            if self.jobs.running().is_empty() {
                match &self.loaded {
                    Some(d) => {
                        ui.label(format!(
                            "{} — {} rows × {} columns ({} included)",
                            d.name,
                            thousands(d.full.n_rows),
                            d.full.columns.len(),
                            d.included.iter().filter(|&&b| b).count()
                        ));
                        if d.is_subsampled() {
                            ui.weak(format!(
                                "· analysing a seeded subsample of {}",
                                thousands(d.ds.n_rows)
                            ));
                        }
                    }
                    None => {
                        ui.label("No data loaded");
                    }
                };
                if let Some(j) = self.jobs.last_ended() {
                    ui.weak(format!(
                        "· {} {} in {}",
                        j.label,
                        j.outcome,
                        format_duration(j.elapsed)
                    ))
                    .on_hover_text(format!(
                        "The last analysis to end, {} ago",
                        format_duration(j.at.elapsed())
                    ));
                }
            }
            // Several jobs share the bar's width: each gets a shorter label and bar, so
            // every Cancel button stays on screen (a review found the second one cut off
            // at 1000 px).
            let n = self.jobs.running().len().max(1);
            let compact = n > 1 && ui.available_width() < 700.0 * n as f32;
            let bar_w = if compact { 80.0 } else { 200.0 };
            for job in self.jobs.running() {
                let stage = job.progress.stage();
                let (done, total) = (job.progress.done(), job.progress.total());
                let label = if compact {
                    crate::app::widgets::truncate(&job.label, 28)
                } else {
                    job.label.clone()
                };
                ui.label(label)
                    .on_hover_text(format!("{}: stage {stage}", job.label));
                let bar = if total > 0 {
                    egui::ProgressBar::new(job.progress.fraction())
                        .desired_width(bar_w)
                        .text(format!("{done}/{total}"))
                } else {
                    // Not animated: an animated bar asks for a frame on every frame.
                    egui::ProgressBar::new(0.0).desired_width(bar_w).text(stage)
                };
                ui.add(bar);
                let elapsed = format_duration(job.started.elapsed());
                match (job.eta(), compact) {
                    (Some(eta), true) => ui.label(format!("~{} left", format_duration(eta))),
                    (Some(eta), false) => {
                        ui.label(format!("{elapsed} elapsed, ~{} left", format_duration(eta)))
                    }
                    (None, _) => ui.label(format!("{elapsed} elapsed")),
                };
                if ui
                    .button("Cancel")
                    .on_hover_text("Stop this job: its panel goes back to what it showed before the job started")
                    .clicked()
                {
                    cancel = Some(job.id);
                }
                ui.separator();
            }
            for (label, since) in self.jobs.stopping() {
                ui.weak(format!("stopping {label}… ({})", format_duration(since)));
            }
            if let Some((msg, at)) = &self.notice {
                if at.elapsed().as_secs() < 6 {
                    ui.weak(msg);
                } else {
                    self.notice = None;
                }
            }
        });
        if let Some(id) = cancel {
            self.jobs.cancel_id(id);
        }
    }

    pub(super) fn error_banner(&mut self, ui: &mut egui::Ui) {
        let mut dismiss = None;
        for (i, e) in self.errors.iter().enumerate() {
            egui::Frame::group(ui.style())
                .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.colored_label(ui.visuals().error_fg_color, "Error:");
                        ui.label(e);
                        if ui
                            .button("Dismiss")
                            .on_hover_text("Hide this message")
                            .clicked()
                        {
                            dismiss = Some(i);
                        }
                    });
                });
        }
        if let Some(i) = dismiss {
            self.errors.remove(i);
        }
    }
}

//! The frame loop: poll jobs, let panels tick, draw, then apply the commands views
//! pushed; and persistence.

use super::commands::Command;
use super::panels::{PanelCtx, Panels, Tab};
use super::{WorkbenchApp, state, window_title};

impl WorkbenchApp {
    /// Runs `f` on the panels with a context over the app's data, jobs and units;
    /// returns what it returned and the commands it pushed.
    pub(super) fn with_panels<R>(
        &mut self,
        f: impl FnOnce(&mut Panels, &mut PanelCtx) -> R,
    ) -> (R, Vec<Command>) {
        let mut commands = Vec::new();
        let heatmap = self.panels.heatmap.shared_matrix();
        let mut cx = PanelCtx {
            data: self.loaded.as_ref(),
            jobs: &mut self.jobs,
            units: self.state.units,
            commands: &mut commands,
            heatmap,
        };
        let out = f(&mut self.panels, &mut cx);
        (out, commands)
    }

    pub(super) fn apply_commands(&mut self, commands: Vec<Command>, frame: Option<&eframe::Frame>) {
        for c in commands {
            match c {
                Command::Inspect { x, y, settings } => {
                    if let Some(data) = &self.loaded {
                        self.inspector
                            .open_pair(&mut self.jobs, data, x, y, settings);
                    }
                }
                Command::ExportCsv {
                    file_name,
                    contents,
                } => {
                    self.save_bytes(file_name, contents.into_bytes(), "CSV", "csv", frame);
                }
                Command::ExportPng { file_name, rect } => self.request_png(Some(file_name), rect),
                Command::CopyImage { rect } => self.request_png(None, rect),
                Command::CopyTable => self.copy_current(frame),
                Command::CopyRows { keys, what } => {
                    let tab = self.state.tab;
                    let (table, _) = self.with_panels(|p, cx| p.get(tab).table(cx));
                    match table.ok().and_then(|t| t.tsv_rows(&keys)) {
                        Some(text) => {
                            self.ctx.copy_text(text);
                            self.notice = Some((
                                format!("Copied the row of {what}"),
                                std::time::Instant::now(),
                            ));
                        }
                        None => self
                            .errors
                            .push(format!("Nothing to copy: the table has no row for {what}.")),
                    }
                }
                Command::SetIncluded { column, included } => {
                    if let Some(data) = &mut self.loaded
                        && let Some(slot) = data.included.get_mut(column)
                    {
                        *slot = included;
                    }
                }
                Command::SetKind { column, kind } => self.set_kind(column, kind),
                Command::SetOrder { column, order } => {
                    if let Some(data) = &mut self.loaded
                        && let Some(slot) = data.orders.get_mut(column)
                    {
                        *slot = order;
                        // An open inspector on this column re-lists its categories.
                        if self
                            .inspector
                            .pair()
                            .is_some_and(|(x, y)| x == column || y == column)
                        {
                            self.inspector.data_switched(&mut self.jobs, data);
                        }
                    }
                }
                Command::Error(e) => self.errors.push(e),
                Command::ShowTab(t) => self.state.tab = t,
                Command::SweepPair { x, y } => {
                    self.state.tab = Tab::Sensitivity;
                    // The inspector window would cover the sweep's plots.
                    self.inspector.open = false;
                    let ((), more) = self.with_panels(|p, cx| p.sensitivity.sweep_pair(cx, x, y));
                    self.apply_commands(more, frame);
                }
                Command::ShowTarget { column } => {
                    self.state.tab = Tab::Target;
                    if let Some(data) = &self.loaded {
                        self.panels.target.show_target(data, column);
                    }
                }
                Command::SetFromDataFilter => {
                    if let Some(data) = &self.loaded {
                        let matches = self.panels.data.filter_matches(data);
                        self.panels.higher_order.tc.use_columns(data, &matches);
                    }
                }
                Command::SetUnits(u) => self.state.units = u,
                Command::Copy { text, what } => {
                    self.ctx.copy_text(text);
                    self.notice = Some((format!("Copied the {what}"), std::time::Instant::now()));
                }
            }
        }
    }

    /// One frame; `frame` is `None` only in unit tests that drive the UI directly.
    pub(super) fn frame_ui(&mut self, ui: &mut egui::Ui, frame: Option<&eframe::Frame>) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.state.theme) {
            ctx.set_theme(self.state.theme.preference());
            self.applied_theme = Some(self.state.theme);
        }
        self.jobs.poll();
        self.poll_load();
        self.poll_kind();
        self.poll_subsample();
        self.poll_replies(frame);
        self.inspector.tick(&mut self.jobs);
        self.handle_input(&ctx, frame);

        let title = window_title(self.loaded.as_ref().map_or("no file", |l| l.name.as_str()));
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        let ((), mut commands) = self.with_panels(|p, cx| p.tick(cx));
        let open =
            (self.measure.as_mut()).and_then(|m| m.frame(&ctx, &self.jobs, &self.panels.heatmap));
        if let Some(p) = open {
            self.open_path(p);
        }

        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_bar(ui, frame);
            self.tabs(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.loaded.as_ref().is_some_and(|d| d.subsample.is_some()) {
            egui::Panel::top("subsample").show(ui, |ui| self.subsample_banner(ui));
        }
        if !self.errors.is_empty() {
            egui::Panel::top("errors").show(ui, |ui| self.error_banner(ui));
        }
        self.inspector.show(ui, self.state.units, &mut commands);
        self.show_file_browser(&ctx);
        egui::CentralPanel::default().show(ui, |ui| {
            let tab = self.state.tab;
            let ((), more) = self.with_panels(|p, cx| p.ui(tab, ui, cx));
            commands.extend(more);
        });

        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop the CSV file to open it",
                egui::FontId::proportional(24.0),
                egui::Color32::WHITE,
            );
        }
        self.apply_commands(commands, frame);
        // No animations while a job runs: on a software renderer every animation frame (a
        // tooltip's fade-in alone is ten of them) is CPU taken from the job's workers. Set
        // after this frame's commands, which may have started or cancelled jobs.
        let busy = !self.jobs.running().is_empty();
        if busy != self.still {
            let time = if busy {
                0.0
            } else {
                egui::Style::default().animation_time
            };
            ctx.all_styles_mut(|s| s.animation_time = time);
            self.still = busy;
        }
    }
}

impl eframe::App for WorkbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frame_ui(ui, Some(frame));
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // Serialised by reference: the panels serialise as their settings alone.
        #[derive(serde::Serialize)]
        struct SavedRef<'a> {
            app: &'a state::State,
            panels: &'a Panels,
        }
        let saved = SavedRef {
            app: &self.state,
            panels: &self.panels,
        };
        eframe::set_value(storage, state::STORAGE_KEY, &saved);
    }
}

//! mRMR feature ranking for a target: the ranked table (rank, feature, relevance and its
//! p-value, redundancy, score, the stability frequency as bars) with the features the
//! relevance screen left out listed greyed below it ([`ranking`]), a bar chart of
//! relevance against score, and each greedy step made visible ([`steps`]): select a row
//! to see every remaining candidate's score at that step.
//!
//! The export is `export::mrmr_csv` of the same `analysis::mrmr::run` the CLI calls with
//! the same columns (included columns plus the target), so `mi-workbench mrmr` and the
//! window write the same rows for the same settings and units.

use super::run_panel::{RunPanel, Work};
use super::{Messages, PanelCtx, perform, units_and_actions};
use crate::analysis::mrmr::{self, MrmrMethod, MrmrOptions, MrmrResult};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem};
use crate::estimate::{Settings, Units};
use egui::{Align, Layout, Rect, Vec2};
use serde::{Deserialize, Serialize};

mod ranking;
mod steps;

pub const JOB: JobKey<MrmrResult> = JobKey::new("mrmr");

const SCREEN_TIP: &str = "Leave out features whose relevance is indistinguishable from zero: the target is shuffled 30 times per feature, and a feature must beat that null by a Bonferroni margin (5% over all features). Off: every feature is a candidate.";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MrmrSettings {
    /// The target by column name (names survive reopening the file).
    pub target: Option<String>,
    /// Features to select.
    pub select: usize,
    pub method: MrmrMethod,
    /// Leave features indistinguishable from zero out of the candidates.
    pub screen: bool,
    /// Half-sample reruns for the selection frequencies (0: off).
    pub stability: usize,
    pub estimate: Settings,
}

impl Default for MrmrSettings {
    fn default() -> Self {
        Self {
            target: None,
            select: 10,
            method: MrmrMethod::default(),
            screen: true,
            stability: 0,
            estimate: Settings::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MrmrRequest {
    pub target: usize,
    /// Candidate columns (the target among them is skipped by the engine).
    pub columns: Vec<usize>,
    pub options: MrmrOptions,
    pub settings: Settings,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MrmrPanel {
    pub settings: MrmrSettings,
    #[serde(skip)]
    view: MrmrView,
}

/// What the panel keeps between frames besides its settings.
struct MrmrView {
    run: Computation<MrmrRequest, MrmrResult>,
    /// 0-based step whose candidates are shown.
    step: usize,
    chart_rect: Option<Rect>,
}

impl Default for MrmrView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            step: 0,
            chart_rect: None,
        }
    }
}

impl MrmrPanel {
    pub const TITLE: &'static str = "mRMR";
    pub const EXPLAIN: &'static str =
        "Rank features for a target by relevance and redundancy; noise is screened out";

    pub fn new(settings: MrmrSettings) -> Self {
        Self {
            settings,
            view: MrmrView::default(),
        }
    }

    /// The target: the chosen name if the file has it, else a column named like a
    /// target, else the last discrete included column, else the last column.
    pub fn target_column(&self, data: &Loaded) -> Option<usize> {
        let ds = &data.ds;
        if let Some(i) = self
            .settings
            .target
            .as_deref()
            .and_then(|n| ds.column_index(n))
        {
            return Some(i);
        }
        for guess in [
            "target",
            "class",
            "label",
            "species",
            "y",
            "outcome",
            "diagnosis",
        ] {
            if let Some(i) = ds
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(guess))
            {
                return Some(i);
            }
        }
        let included = data.included_columns();
        included
            .iter()
            .rev()
            .copied()
            .find(|&i| ds.columns[i].kind.is_discrete())
            .or_else(|| included.last().copied())
            .or_else(|| ds.columns.len().checked_sub(1))
    }

    /// The request for the current settings: included columns plus the target, as the
    /// CLI builds its column list.
    pub fn request(&self, data: &Loaded) -> Option<MrmrRequest> {
        let target = self.target_column(data)?;
        let mut columns = data.included_columns();
        if !columns.contains(&target) {
            columns.push(target);
        }
        Some(MrmrRequest {
            target,
            columns,
            options: MrmrOptions {
                select: self.settings.select.max(1),
                method: self.settings.method,
                screen: self.settings.screen,
                permutations: 0,
                stability: self.settings.stability,
            },
            settings: self.settings.estimate.clone(),
        })
    }

    run_panel_accessors!(MrmrResult);

    /// The 0-based step whose candidates are shown.
    pub fn step(&self) -> usize {
        self.view.step
    }
}

impl RunPanel for MrmrPanel {
    run_panel_basics!(MrmrRequest, MrmrResult, "mRMR", "mrmr");
    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, MrmrRequest)> {
        let data = cx.data?;
        Some((data.generation, self.request(data)?))
    }

    fn refuse(&self, r: &MrmrRequest) -> Option<&'static str> {
        (r.columns.len() < 2)
            .then_some("Include at least one feature besides the target (Data tab).")
    }

    fn job(&self, data: &Loaded, r: &MrmrRequest) -> (String, Work<MrmrResult>) {
        let (ds, r) = (data.ds.clone(), r.clone());
        let label = format!(
            "mRMR ({}) for {} on {} rows",
            r.options.method.name().to_uppercase(),
            data.column_name(r.target),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<MrmrResult> = Box::new(move |h| {
            Ok(mrmr::run(
                &ds,
                r.target,
                &r.columns,
                &r.options,
                &r.settings,
                &h.progress,
            )?)
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.chart_rect
    }

    fn export(&self, data: &Loaded, res: &MrmrResult, units: Units) -> Table {
        Table {
            file_name: format!(
                "{}_mrmr_{}_{}.csv",
                file_stem(&data.name),
                file_stem(data.column_name(res.target)),
                res.method.name()
            ),
            csv: crate::export::mrmr_csv(&data.ds, res, units),
        }
    }
    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "mrmr", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.target_column(data);
                let words = (
                    "mrmr-target",
                    "Target",
                    "The column to predict: features are ranked by the information they carry about it",
                );
                widgets::column_setting(ui, words, data, current, &mut self.settings.target);
            }
            widgets::number_field(
                ui,
                "Features",
                &mut self.settings.select,
                1..=1000,
                "How many features to select (at most the number of candidates)",
            );
            ui.label("Method");
            egui::ComboBox::from_id_salt("mrmr-method")
                .selected_text(method_title(self.settings.method))
                .show_ui(ui, |ui| {
                    for m in MrmrMethod::ALL {
                        ui.selectable_value(&mut self.settings.method, m, method_title(m))
                            .on_hover_text(m.explain());
                    }
                })
                .response
                .on_hover_text(self.settings.method.explain());
            ui.checkbox(&mut self.settings.screen, "Screen noise")
                .on_hover_text(SCREEN_TIP);
            widgets::number_field(
                ui,
                "Stability",
                &mut self.settings.stability,
                0..=1000,
                "Rerun the selection on this many seeded half-samples and show how often each feature is in the top K (0: off)",
            );
            let run = ("Run mRMR", "Rank the included columns for the target by relevance and redundancy");
            let tips = ("Save the ranking as CSV: rank, feature, relevance, redundancy, score, method, unit, screen, p-values, frequency; screened-out features follow, unranked", "Save the relevance vs score chart as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "mRMR failed",
            computing: "Ranking features…",
            idle: "Choose the target and press “Run mRMR”.",
            stale: "Shown: the last run. The settings changed since: press Run to update.".into(),
        }
    }

    fn header(&self, data: &Loaded, res: &MrmrResult) -> String {
        format!(
            "Shown: {} for {} · {} · {} · {}",
            res.method.name().to_uppercase(),
            data.column_name(res.target),
            widgets::settings_summary(&res.settings),
            widgets::rows_summary(data),
            screen_summary(res)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &MrmrResult) {
        if res.rows.is_empty() {
            ui.label(if res.screen.on {
                "No feature could be ranked: no relevance is distinguishable from zero (switch “Screen noise” off to rank them anyway)."
            } else {
                "No feature could be ranked: every candidate lacks data shared with the target."
            });
            self.table_view(ui, cx, data, res);
            return;
        }
        self.view.step = self.view.step.min(res.rows.len() - 1);
        let avail = ui.available_size();
        let left_w = (avail.x * 0.55).max(420.0).min(avail.x);
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(left_w, avail.y),
                Layout::top_down(Align::Min),
                |ui| {
                    // In a short window the chart keeps its minimum height (and its
                    // ticks) and the column scrolls.
                    egui::ScrollArea::vertical()
                        .id_salt("mrmr-left")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            self.table_view(ui, cx, data, res);
                            ui.add_space(6.0);
                            self.chart(ui, cx, data, res);
                        });
                },
            );
            ui.separator();
            ui.allocate_ui_with_layout(ui.available_size(), Layout::top_down(Align::Min), |ui| {
                self.step_view(ui, cx, data, res);
            });
        });
    }
}

/// The screen and stability settings of a result, for its header.
fn screen_summary(res: &MrmrResult) -> String {
    let screen = if res.screen.on {
        let passed = res
            .relevance
            .iter()
            .filter(|r| r.no_data.is_none() && r.passes(res.screen.z))
            .count();
        let conditional = res
            .rows
            .iter()
            .filter(|row| res.is_reserve(row.feature))
            .count();
        let more = if conditional > 0 {
            format!(", {conditional} more picked on their score given the selected ones")
        } else {
            String::new()
        };
        format!(
            "screen on: {passed} of {} features distinguishable from zero alone{more} ({} permutations each, z = {:.2})",
            res.relevance.len(),
            res.screen.permutations,
            res.screen.z
        )
    } else {
        "screen off: every feature a candidate".into()
    };
    match &res.stability {
        Some(s) => format!(
            "{screen} · stability: {} half-samples of {} rows",
            s.resamples,
            crate::app::thousands(s.rows)
        ),
        None => screen,
    }
}

fn method_title(m: MrmrMethod) -> &'static str {
    match m {
        MrmrMethod::Mid => "MID (difference)",
        MrmrMethod::Miq => "MIQ (quotient)",
        MrmrMethod::Jmi => "JMI",
        MrmrMethod::Cmim => "CMIM",
    }
}

fn redundancy_tip(m: MrmrMethod) -> String {
    match m {
        MrmrMethod::Mid | MrmrMethod::Miq => {
            "Mean I(feature; s) over the features selected before it".into()
        }
        MrmrMethod::Jmi | MrmrMethod::Cmim => {
            "Relevance − score: what the features selected before it already say about the target"
                .into()
        }
    }
}

/// MIQ scores are ratios, not information: they keep no unit (as in the CSV export).
fn score_in(m: MrmrMethod, units: Units, v: f64) -> f64 {
    if m == MrmrMethod::Miq {
        v
    } else {
        units.from_nats(v)
    }
}

fn score_unit(m: MrmrMethod, units: Units) -> &'static str {
    if m == MrmrMethod::Miq {
        "ratio"
    } else {
        units.name()
    }
}

//! mRMR feature ranking for a target: the ranked table (rank, feature, relevance,
//! redundancy, score), a bar chart of relevance against score, and each greedy step made
//! visible: select a row to see every remaining candidate's score at that step.
//!
//! The export is `export::mrmr_csv` of the same `analysis::mrmr::run` the CLI calls with
//! the same columns (included columns plus the target), so `mi-workbench mrmr` and the
//! window write the same rows for the same settings and units.

use super::run_panel::{RunPanel, Work};
use super::{Messages, PanelCtx, perform, units_and_actions};
use crate::analysis::mrmr::{self, MrmrMethod, MrmrResult};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem, fmt};
use crate::estimate::{Settings, Units};
use egui::{Align, Align2, Color32, FontId, Layout, Rect, RichText, Sense, Vec2};
use egui_plot::{Bar, BarChart, Corner, Legend, Plot};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<MrmrResult> = JobKey::new("mrmr");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MrmrSettings {
    /// The target by column name (names survive reopening the file).
    pub target: Option<String>,
    /// Features to select.
    pub select: usize,
    pub method: MrmrMethod,
    pub estimate: Settings,
}

impl Default for MrmrSettings {
    fn default() -> Self {
        Self {
            target: None,
            select: 10,
            method: MrmrMethod::Mid,
            estimate: Settings::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MrmrRequest {
    pub target: usize,
    /// Candidate columns (the target among them is skipped by the engine).
    pub columns: Vec<usize>,
    pub select: usize,
    pub method: MrmrMethod,
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
    pub const EXPLAIN: &'static str = "Rank features for a target by relevance minus redundancy";

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
            select: self.settings.select.max(1),
            method: self.settings.method,
            settings: self.settings.estimate.clone(),
        })
    }

    run_panel_accessors!(MrmrResult);

    /// The 0-based step whose candidates are shown.
    pub fn step(&self) -> usize {
        self.view.step
    }

    fn table_view(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &MrmrResult,
    ) {
        let units = cx.units;
        let u = units.name();
        let score_unit = score_unit(res.method, units);
        let asked = self
            .view
            .run
            .shown_request()
            .map_or(res.rows.len(), |r| r.select);
        let short = if res.rows.len() < asked {
            format!(
                " (asked for {asked}: only {} candidates have data)",
                res.rows.len()
            )
        } else {
            String::new()
        };
        ui.strong(format!(
            "{} features for {} by {}{short} — select a row to see that step",
            res.rows.len(),
            data.column_name(res.target),
            method_title(res.method)
        ));
        let num_w = 118.0;
        let name_w = (ui.available_width() - 40.0 - 3.0 * num_w - 20.0).clamp(100.0, 260.0);
        let headers: [(&str, f32, String); 5] = [
            ("rank", 40.0, "Order of selection (1 = first picked)".into()),
            ("feature", name_w, "The selected column".into()),
            ("relevance", num_w, format!("I(feature; target) in {u}")),
            ("redundancy", num_w, redundancy_tip(res.method)),
            (
                "score",
                num_w,
                format!(
                    "The step's score ({}): {}",
                    score_unit,
                    res.method.explain()
                ),
            ),
        ];
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            for (i, (h, w, tip)) in headers.iter().enumerate() {
                let text = match i {
                    2 | 3 => format!("{h} ({u})"),
                    4 => format!("{h} ({score_unit})"),
                    _ => h.to_string(),
                };
                let align = if i >= 2 {
                    Layout::right_to_left(Align::Center)
                } else {
                    Layout::left_to_right(Align::Center)
                };
                ui.allocate_ui_with_layout(Vec2::new(*w, 20.0), align, |ui| {
                    ui.set_min_width(*w);
                    ui.add(egui::Label::new(RichText::new(text).strong()).truncate())
                        .on_hover_text(tip.as_str());
                });
            }
        });
        let row_h = 22.0;
        let table_h = (row_h + ui.spacing().item_spacing.y) * res.rows.len().min(12) as f32 + 8.0;
        egui::ScrollArea::vertical()
            .id_salt("mrmr-table")
            .max_height(table_h)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for (i, row) in res.rows.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        let sel = self.view.step == i;
                        let name = data.column_name(row.feature);
                        let r = ui
                            .add_sized(
                                [40.0, row_h],
                                egui::Button::selectable(sel, row.rank.to_string()),
                            )
                            .on_hover_text(format!(
                                "Show step {} (why {name} was picked)",
                                row.rank
                            ));
                        let f = ui
                            .add_sized(
                                [name_w, row_h],
                                egui::Button::selectable(sel, name).truncate(),
                            )
                            .on_hover_text(format!(
                                "Show step {}: every candidate's score when {name} was picked",
                                row.rank
                            ));
                        if r.clicked() || f.clicked() {
                            self.view.step = i;
                        }
                        for v in [
                            units.from_nats(row.relevance),
                            units.from_nats(row.redundancy),
                            score_in(res.method, units, row.score),
                        ] {
                            ui.allocate_ui_with_layout(
                                Vec2::new(num_w, row_h),
                                Layout::right_to_left(Align::Center),
                                |ui| {
                                    ui.set_min_width(num_w);
                                    ui.label(fmt(v));
                                },
                            );
                        }
                    });
                }
            });
    }

    fn chart(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &MrmrResult) {
        let units = cx.units;
        let u = units.name();
        // A MIQ score is a ratio: on an information axis it would mislead, so MIQ shows
        // relevance beside redundancy instead.
        let ratio = res.method == MrmrMethod::Miq;
        let second = if ratio { "redundancy" } else { "score" };
        let rel_color = Color32::from_rgb(70, 130, 200);
        let sec_color = Color32::from_rgb(230, 120, 20);
        let rel: Vec<Bar> = res
            .rows
            .iter()
            .map(|r| {
                Bar::new(r.rank as f64 - 0.2, units.from_nats(r.relevance))
                    .width(0.38)
                    .name(data.column_name(r.feature))
            })
            .collect();
        let sec: Vec<Bar> = res
            .rows
            .iter()
            .map(|r| {
                let v = if ratio { r.redundancy } else { r.score };
                Bar::new(r.rank as f64 + 0.2, units.from_nats(v))
                    .width(0.38)
                    .name(data.column_name(r.feature))
            })
            .collect();
        ui.strong(format!("Relevance vs {second} by rank ({u})"));
        let height = (ui.available_height() - 6.0).max(160.0);
        let n = res.rows.len();
        let fmt_u = u.to_string();
        let fmt_u2 = u.to_string();
        let second_label = second.to_string();
        let out = Plot::new("mrmr-bars")
            .height(height)
            .legend(Legend::default().position(Corner::RightTop))
            .x_axis_label("rank")
            .y_axis_label(format!("information ({u})"))
            .include_x(0.4)
            .include_x(n as f64 + 0.6)
            .include_y(0.0)
            .allow_scroll(false)
            .show_x(false)
            .show_y(false)
            .x_axis_formatter(move |m, _| {
                let v = m.value;
                if (v - v.round()).abs() < 1e-6 && v >= 1.0 && v <= n as f64 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .show(ui, |p| {
                p.bar_chart(
                    BarChart::new("relevance I(f;T)", rel)
                        .color(rel_color)
                        .element_formatter(Box::new(move |b, _| {
                            format!("{}\nrelevance {:.4} {fmt_u}", b.name, b.value)
                        })),
                );
                p.bar_chart(
                    BarChart::new(second, sec)
                        .color(sec_color)
                        .element_formatter(Box::new(move |b, _| {
                            format!("{}\n{} {:.4} {}", b.name, second_label, b.value, fmt_u2)
                        })),
                );
            });
        out.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Canvas, true, "mRMR relevance vs score chart")
        });
        self.view.chart_rect = Some(out.response.rect);
    }

    fn step_view(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &MrmrResult) {
        let units = cx.units;
        let su = score_unit(res.method, units);
        let Some(row) = res.rows.get(self.view.step) else {
            return;
        };
        let chosen = data.column_name(row.feature);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.view.step > 0, egui::Button::new("‹ Previous step"))
                .on_hover_text("Show the step before")
                .clicked()
            {
                self.view.step -= 1;
            }
            ui.strong(format!("Step {} of {}", row.rank, res.rows.len()));
            if ui
                .add_enabled(
                    self.view.step + 1 < res.rows.len(),
                    egui::Button::new("Next step ›"),
                )
                .on_hover_text("Show the step after")
                .clicked()
            {
                self.view.step += 1;
            }
        });
        let before: Vec<&str> = res.rows[..self.view.step]
            .iter()
            .map(|r| data.column_name(r.feature))
            .collect();
        let how = if self.view.step == 0 {
            "Nothing selected yet: the score is the relevance I(f;T), so the most relevant feature goes first.".to_string()
        } else {
            let formula = match res.method {
                MrmrMethod::Mid => "relevance − mean I(f;s)",
                MrmrMethod::Miq => "relevance ÷ mean I(f;s)",
                MrmrMethod::Jmi => "mean I(f;T|s)",
                MrmrMethod::Cmim => "min I(f;T|s)",
            };
            format!(
                "Score = {formula} over the {} already selected: {}.",
                before.len(),
                before.join(", ")
            )
        };
        ui.label(how);
        ui.label(
            RichText::new(format!(
                "Picked {chosen}: score {} {su} among {} candidates.",
                fmt(score_in(res.method, units, row.score)),
                row.candidates.len()
            ))
            .strong(),
        );
        ui.add_space(4.0);
        // Candidate scores as horizontal bars, best first; the pick is highlighted.
        let vals: Vec<f64> = row
            .candidates
            .iter()
            .map(|&(_, s)| score_in(res.method, units, s))
            .filter(|v| v.is_finite())
            .collect();
        let hi = vals.iter().copied().fold(0.0f64, f64::max);
        let lo = vals.iter().copied().fold(0.0f64, f64::min);
        let span = (hi - lo).max(1e-12);
        let name_w = 170.0;
        let val_w = 70.0;
        let bar_w = (ui.available_width() - name_w - val_w - 16.0).max(80.0);
        let accent = Color32::from_rgb(230, 120, 20);
        let muted = ui
            .visuals()
            .widgets
            .inactive
            .bg_fill
            .lerp_to_gamma(ui.visuals().text_color(), 0.35);
        let text_color = ui.visuals().text_color();
        ui.weak(format!(
            "Candidate scores at this step ({su}); hover a bar for its value"
        ));
        egui::ScrollArea::vertical()
            .id_salt(("mrmr-step", self.view.step))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (j, &(f, s)) in row.candidates.iter().enumerate() {
                    let v = score_in(res.method, units, s);
                    let name = data.column_name(f);
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        ui.allocate_ui_with_layout(
                            Vec2::new(name_w, 18.0),
                            Layout::right_to_left(Align::Center),
                            |ui| {
                                ui.set_min_width(name_w);
                                let t = if j == 0 {
                                    RichText::new(name).strong().color(accent)
                                } else {
                                    RichText::new(name)
                                };
                                ui.add(egui::Label::new(t).truncate());
                            },
                        );
                        let (resp, painter) =
                            ui.allocate_painter(Vec2::new(bar_w, 16.0), Sense::hover());
                        let r = resp.rect;
                        let x0 = r.min.x + ((0.0 - lo) / span) as f32 * r.width();
                        let xv = if v.is_finite() {
                            r.min.x + ((v - lo) / span) as f32 * r.width()
                        } else {
                            x0
                        };
                        let bar =
                            Rect::from_x_y_ranges(x0.min(xv)..=x0.max(xv), r.y_range().shrink(2.0));
                        painter.rect_filled(bar, 2.0, if j == 0 { accent } else { muted });
                        painter.line_segment(
                            [egui::pos2(x0, r.min.y), egui::pos2(x0, r.max.y)],
                            egui::Stroke::new(1.0, text_color),
                        );
                        if j == 0 {
                            painter.text(
                                bar.right_center() + Vec2::new(4.0, 0.0),
                                Align2::LEFT_CENTER,
                                "picked",
                                FontId::proportional(11.0),
                                text_color,
                            );
                        }
                        resp.on_hover_text(format!("{name}: score {} {su}", fmt(v)));
                        ui.label(fmt(v));
                    });
                }
            });
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
            r.method.name().to_uppercase(),
            data.column_name(r.target),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<MrmrResult> = Box::new(move |h| {
            Ok(mrmr::run(
                &ds,
                r.target,
                &r.columns,
                r.select,
                r.method,
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
            let run = ("Run mRMR", "Rank the included columns for the target by relevance and redundancy");
            let tips = ("Save the ranking as CSV: rank, feature, relevance, redundancy, score, method, unit", "Save the relevance vs score chart as a PNG image");
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
            "Shown: {} for {} · {} · {}",
            res.method.name().to_uppercase(),
            data.column_name(res.target),
            widgets::settings_summary(&res.settings),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &MrmrResult) {
        if res.rows.is_empty() {
            ui.label(
                "No feature could be ranked: every candidate lacks data shared with the target.",
            );
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
                    self.table_view(ui, cx, data, res);
                    ui.add_space(6.0);
                    self.chart(ui, cx, data, res);
                },
            );
            ui.separator();
            ui.allocate_ui_with_layout(ui.available_size(), Layout::top_down(Align::Min), |ui| {
                self.step_view(ui, cx, data, res);
            });
        });
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

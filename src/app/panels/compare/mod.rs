//! Correlation vs MI: one point per pair, |Pearson| (or |Spearman|) against r_I (or MI),
//! with the Gaussian reference curve. Pairs far above the curve carry information that
//! correlation misses; the table ranks them by their excess over the curve.
//!
//! Runs from the Run button (a full pass over every pair is not free); a result for the
//! current settings that is already in the cache is shown at once.

mod table;

use super::run_panel::{RunPanel, Work};
use super::{Command, Messages, PanelCtx, perform, units_and_actions};
use crate::analysis::compare::{self, CompareRow};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, accent_color, file_stem, fmt, num_cell};
use crate::estimate::association::Measure;
use crate::estimate::correlation::gaussian_mi;
use crate::estimate::{Settings, Units};
use egui::{Align, Layout, Rect, RichText, Vec2};
use egui_plot::{Corner, Legend, Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<CompareResult> = JobKey::new("compare");

/// Pairs highlighted as "furthest above the Gaussian curve".
pub const TOP_HIGHLIGHT: usize = 5;

/// Which correlation goes on the x axis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum XAxis {
    #[default]
    Pearson,
    Spearman,
}

/// What goes on the y axis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum YAxis {
    /// r_I = √(1 − e^(−2I)), on the same 0..1 scale as |ρ|.
    InfoCoefficient,
    /// MI in the chosen unit: the scale on which the table's excess is measured, so the
    /// highlighted points are visibly the ones furthest above the curve.
    #[default]
    Mi,
}

/// Table columns the user can sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    X,
    Y,
    Pearson,
    Spearman,
    Mi,
    InfoCoefficient,
    #[default]
    Excess,
    N,
    /// Benjamini–Hochberg adjusted p (with permutations).
    P,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareSettings {
    pub estimate: Settings,
    /// Permutations per pair for a p-value of its MI (0: no test).
    pub permutations: usize,
    pub x_axis: XAxis,
    pub y_axis: YAxis,
    pub sort: SortBy,
    pub descending: bool,
}

impl Default for CompareSettings {
    fn default() -> Self {
        Self {
            estimate: Settings::default(),
            permutations: 0,
            x_axis: XAxis::Pearson,
            y_axis: YAxis::Mi,
            sort: SortBy::Excess,
            descending: true,
        }
    }
}

/// What a comparison depends on besides the dataset generation.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRequest {
    pub columns: Vec<usize>,
    pub settings: Settings,
    pub permutations: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompareResult {
    pub request: CompareRequest,
    pub rows: Vec<CompareRow>,
    /// Indices into `rows` of the pairs furthest above the Gaussian curve, largest first.
    pub top: Vec<usize>,
}

impl CompareResult {
    fn new(request: CompareRequest, rows: Vec<CompareRow>) -> Self {
        let mut order: Vec<usize> = (0..rows.len())
            .filter(|&i| !rows[i].excess_over_gaussian().is_nan())
            .collect();
        order.sort_by(|&a, &b| {
            rows[b]
                .excess_over_gaussian()
                .total_cmp(&rows[a].excess_over_gaussian())
        });
        // Only pairs actually above the curve deserve the highlight.
        let top = order
            .into_iter()
            .filter(|&i| rows[i].excess_over_gaussian() > 0.0)
            .take(TOP_HIGHLIGHT)
            .collect();
        Self { request, rows, top }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ComparePanel {
    pub settings: CompareSettings,
    #[serde(skip)]
    view: CompareView,
}

/// What the panel keeps between frames besides its settings.
struct CompareView {
    run: Computation<CompareRequest, CompareResult>,
    /// The pair last clicked (table or plot), highlighted in both.
    selected: Option<(usize, usize)>,
    /// Where the plot was drawn last frame (PNG export).
    plot_rect: Option<Rect>,
    /// The table's row order for (sort, direction, result serial): recomputed only when
    /// one of them changes (thousands of pairs, every frame).
    sorted: Option<((SortBy, bool, u64), Vec<usize>)>,
    /// How the plot mapped values to the screen last frame, and in which unit (tests
    /// click points through this).
    transform: Option<(egui_plot::PlotTransform, Units)>,
    /// The row under the plot's last right-click (its menu copies that row).
    menu_row: Option<usize>,
}

impl Default for CompareView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            selected: None,
            plot_rect: None,
            sorted: None,
            transform: None,
            menu_row: None,
        }
    }
}

impl ComparePanel {
    pub const TITLE: &'static str = "Correlation vs MI";
    pub const EXPLAIN: &'static str =
        "Where correlation misses a dependence: |Pearson| against MI for every pair";

    pub fn new(settings: CompareSettings) -> Self {
        Self {
            settings,
            view: CompareView::default(),
        }
    }

    run_panel_accessors!(CompareResult);

    /// Screen position of a pair's point as last drawn (tests click it).
    pub fn point_pos(&self, x: usize, y: usize) -> Option<egui::Pos2> {
        let (t, units) = self.view.transform.as_ref()?;
        let res = self.result()?;
        let r = res.rows.iter().find(|r| (r.x, r.y) == (x, y))?;
        let p = PlotPoint::new(self.x_of(r), self.y_of(r, *units));
        Some(t.position_from_point(&p))
    }

    /// A pair's x: its correlation, or for a pair with a categorical column the
    /// association measure meant for it (codes have no order to correlate).
    fn x_of(&self, r: &CompareRow) -> f64 {
        match (r.association, self.settings.x_axis) {
            (Some((_, v)), _) => v,
            (None, XAxis::Pearson) => r.pearson.abs(),
            (None, XAxis::Spearman) => r.spearman.abs(),
        }
    }

    /// The x axis's name: the correlation, and the measures of any categorical pairs.
    pub fn x_axis_label(&self, rows: &[CompareRow]) -> String {
        let corr = match self.settings.x_axis {
            XAxis::Pearson => "|Pearson ρ|",
            XAxis::Spearman => "|Spearman ρ|",
        };
        let mut measures: Vec<&str> = Vec::new();
        for m in [Measure::CramersV, Measure::CorrelationRatio] {
            if rows
                .iter()
                .any(|r| r.association.is_some_and(|(a, _)| a == m))
            {
                measures.push(m.name());
            }
        }
        if measures.is_empty() {
            corr.to_string()
        } else {
            format!(
                "{corr}; pairs with a categorical column: {}",
                measures.join(", ")
            )
        }
    }

    fn y_of(&self, r: &CompareRow, units: Units) -> f64 {
        match self.settings.y_axis {
            YAxis::InfoCoefficient => r.r_i,
            YAxis::Mi => units.from_nats(r.mi),
        }
    }

    fn scatter(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        res: &CompareResult,
        names: &[String],
    ) {
        let units = cx.units;
        let name = |i: usize| names.get(i).map_or("?", String::as_str);
        // (row index, x, y) of every pair with both values.
        let pts: Vec<(usize, f64, f64)> = res
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, self.x_of(r), self.y_of(r, units)))
            .filter(|(_, x, y)| x.is_finite() && y.is_finite())
            .collect();
        let is_top = |i: usize| res.top.contains(&i);
        let ymax = pts.iter().map(|p| p.2).fold(0.0f64, f64::max);
        let x_label = self.x_axis_label(&res.rows);
        let y_label = match self.settings.y_axis {
            YAxis::InfoCoefficient => "r_I = √(1 − e^(−2I))".to_string(),
            YAxis::Mi => format!("MI ({})", units.name()),
        };
        // The Gaussian curve: r_I = |ρ| on the r_I scale, −½ ln(1 − ρ²) on the MI scale.
        let curve: Vec<[f64; 2]> = match self.settings.y_axis {
            YAxis::InfoCoefficient => vec![[0.0, 0.0], [1.0, 1.0]],
            YAxis::Mi => {
                let cap = (ymax * 1.15).max(0.05);
                (0..=400)
                    .map(|i| 0.9999 * i as f64 / 400.0)
                    .map(|x| [x, units.from_nats(gaussian_mi(x))])
                    .take_while(|p| p[1] <= cap)
                    .collect()
            }
        };
        let others: Vec<[f64; 2]> = pts
            .iter()
            .filter(|p| !is_top(p.0))
            .map(|p| [p.1, p.2])
            .collect();
        let tops: Vec<[f64; 2]> = pts
            .iter()
            .filter(|p| is_top(p.0))
            .map(|p| [p.1, p.2])
            .collect();
        let selected: Vec<[f64; 2]> = pts
            .iter()
            .filter(|p| Some((res.rows[p.0].x, res.rows[p.0].y)) == self.view.selected)
            .map(|p| [p.1, p.2])
            .collect();
        let accent = accent_color(ui);
        let plain = ui
            .visuals()
            .widgets
            .inactive
            .fg_stroke
            .color
            .gamma_multiply(0.8);
        let curve_color = ui.visuals().weak_text_color();
        let sel_color = ui.visuals().selection.stroke.color;
        let height = (ui.available_height() - 24.0).max(200.0);
        let y_is_ri = self.settings.y_axis == YAxis::InfoCoefficient;
        let plot = Plot::new("compare-scatter")
            .height(height)
            // Bottom right: below the Gaussian curve, where no pair should sit (for a given
            // correlation the Gaussian has the least MI); top left holds the nonlinear pairs
            // the panel is for, which a review found hidden under the legend.
            .legend(Legend::default().position(Corner::RightBottom))
            // Labels every 0.1: they are three characters, far narrower than the 60
            // points egui_plot keeps between x labels by default.
            .custom_x_axes(vec![
                egui_plot::AxisHints::new_x()
                    .label(x_label.clone())
                    .label_spacing(28.0..=44.0),
            ])
            .y_axis_label(y_label)
            .include_x(0.0)
            .include_x(1.0)
            .include_y(0.0)
            .include_y(if y_is_ri { 1.0 } else { ymax.max(0.05) })
            .show_x(false)
            .show_y(false)
            .allow_scroll(false);
        let (out, full_rect) = crate::app::widgets::with_full_rect(ui, |ui| {
            plot.show(ui, |p| {
                p.line(
                    Line::new(
                        "Gaussian reference (what |ρ| alone implies)",
                        PlotPoints::from(curve),
                    )
                    .color(curve_color)
                    .style(egui_plot::LineStyle::dashed_loose())
                    .width(1.5),
                );
                p.points(
                    Points::new("pairs", PlotPoints::from(others))
                        .radius(3.0)
                        .color(plain)
                        .filled(true),
                );
                p.points(
                    Points::new(
                        format!("top {TOP_HIGHLIGHT} above the curve"),
                        PlotPoints::from(tops),
                    )
                    .radius(5.0)
                    .color(accent)
                    .shape(MarkerShape::Diamond)
                    .filled(true),
                );
                if !selected.is_empty() {
                    p.points(
                        Points::new("selected pair", PlotPoints::from(selected))
                            .radius(8.0)
                            .shape(MarkerShape::Circle)
                            .filled(false)
                            .color(sel_color),
                    );
                }
            })
        });
        // With its axes and their labels: the PNG is a figure one can read.
        self.view.plot_rect = Some(full_rect);
        out.response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Canvas,
                true,
                format!("Correlation vs MI scatter, x: {x_label}"),
            )
        });

        self.view.transform = Some((out.transform, units));
        // Nearest point under the pointer, in screen space.
        let nearest = |pos: egui::Pos2| -> Option<usize> {
            pts.iter()
                .map(|&(i, x, y)| {
                    (
                        i,
                        out.transform
                            .position_from_point(&PlotPoint::new(x, y))
                            .distance(pos),
                    )
                })
                .filter(|(_, d)| *d <= 8.0)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        if let Some(i) = out.response.hover_pos().and_then(nearest) {
            let r = &res.rows[i];
            out.response.clone().on_hover_ui_at_pointer(|ui| {
                ui.strong(format!("{} × {}", name(r.x), name(r.y)));
                match r.association {
                    Some((m, v)) => {
                        ui.label(format!("{} = {}", m.name(), fmt(v)));
                        ui.weak("no Pearson or Spearman: a categorical column has no order");
                    }
                    None => {
                        ui.label(format!("|Pearson| = {}", fmt(r.pearson.abs())));
                        ui.label(format!("|Spearman| = {}", fmt(r.spearman.abs())));
                    }
                }
                let (mi, raw) = widgets::fmt_info(r.mi, r.test.as_ref(), units);
                ui.label(format!("MI = {mi} {}", units.name()));
                if let Some(raw) = raw {
                    ui.weak(raw);
                }
                if let (Some(t), Some(q)) = (r.test, r.p_adjusted) {
                    ui.label(format!(
                        "p = {}, BH-adjusted {}",
                        widgets::fmt_p(t.p_value),
                        widgets::fmt_p(q)
                    ));
                }
                ui.label(format!("r_I = {}", fmt(r.r_i)));
                ui.label(format!(
                    "above the Gaussian curve by {} {}",
                    fmt(units.from_nats(r.excess_over_gaussian())),
                    units.name()
                ));
                ui.label(format!("n used = {}", r.n_used));
                ui.weak("click to inspect the pair");
            });
        }
        if out.response.clicked()
            && let Some(i) = out.response.interact_pointer_pos().and_then(nearest)
        {
            self.inspect(cx, &res.rows[i], &res.request.settings);
        }
        if out.response.secondary_clicked() {
            self.view.menu_row = out.response.interact_pointer_pos().and_then(nearest);
        }
        let row = self.view.menu_row.and_then(|i| res.rows.get(i));
        let target = CopyTarget {
            row: row.and_then(|r| pair_row(name(r.x), name(r.y))),
            image: Some(full_rect),
        };
        copy_menu(&out.response, target, cx.commands);
        ui.weak("Points far above the dashed curve: dependence that correlation misses. Drag to pan, double-click to reset. Right-click to copy.");
    }

    fn inspect(&mut self, cx: &mut PanelCtx, r: &CompareRow, settings: &Settings) {
        self.view.selected = Some((r.x, r.y));
        cx.commands.push(Command::Inspect {
            x: r.x,
            y: r.y,
            settings: settings.clone(),
        });
    }
}

impl RunPanel for ComparePanel {
    run_panel_basics!(
        CompareRequest,
        CompareResult,
        "the correlation vs MI comparison",
        "correlation_vs_mi"
    );

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, CompareRequest)> {
        let data = cx.data?;
        Some((
            data.generation,
            CompareRequest {
                columns: data.included_columns(),
                settings: self.settings.estimate.clone(),
                permutations: self.settings.permutations,
            },
        ))
    }

    fn refuse(&self, r: &CompareRequest) -> Option<&'static str> {
        (r.columns.len() < 2).then_some("Include at least two columns (Data tab).")
    }

    fn job(&self, data: &Loaded, r: &CompareRequest) -> (String, Work<CompareResult>) {
        let (ds, r) = (data.ds.clone(), r.clone());
        let m = r.columns.len();
        let label = format!(
            "correlation vs MI, {}{} on {} rows",
            widgets::pairs_label(m * (m - 1) / 2),
            widgets::permutations_label(r.permutations),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<CompareResult> = Box::new(move |h| {
            let rows =
                compare::run_tested(&ds, &r.columns, &r.settings, r.permutations, &h.progress)?;
            Ok(CompareResult::new(r, rows))
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.plot_rect
    }

    fn export(&self, data: &Loaded, res: &CompareResult, units: Units) -> Table {
        Table {
            file_name: format!("{}_correlation_vs_mi.csv", file_stem(&data.name)),
            csv: crate::export::compare_csv(&data.ds, &res.rows, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "compare", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            let m = cx.data.map_or(0, |d| d.included_columns().len());
            widgets::permutations_field(
                ui,
                &mut self.settings.permutations,
                m * m.saturating_sub(1) / 2,
                "Shuffled surrogates per pair for a p-value of its MI (0 = no test), BH-adjusted over the pairs",
            );
            ui.separator();
            ui.label("x axis");
            ui.selectable_value(&mut self.settings.x_axis, XAxis::Pearson, "|Pearson|")
                .on_hover_text("Absolute Pearson correlation on the x axis: linear dependence only");
            ui.selectable_value(&mut self.settings.x_axis, XAxis::Spearman, "|Spearman|")
                .on_hover_text("Absolute Spearman rank correlation on the x axis: any monotone dependence");
            ui.separator();
            ui.label("y axis");
            ui.selectable_value(&mut self.settings.y_axis, YAxis::InfoCoefficient, "r_I")
                .on_hover_text("Information coefficient r_I = √(1−e^(−2I)): 0..1 like |ρ|, equals |ρ| for a Gaussian pair");
            ui.selectable_value(&mut self.settings.y_axis, YAxis::Mi, format!("MI ({})", cx.units.name()))
                .on_hover_text("Raw mutual information in the chosen unit");
            let run = ("Run comparison", "Compute |Pearson|, |Spearman|, MI and r_I for every pair of included columns");
            let tips = ("Save the pairs as CSV: x, y, n used, pearson, spearman, mi, r_i, unit (and p_value, p_adjusted with permutations)", "Save the scatter plot as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "The comparison failed",
            computing: "Computing |Pearson|, |Spearman| and MI for every pair…",
            idle: "Press “Run comparison” to compute correlation and MI for every pair of included columns.",
            stale: "Shown: the last run. The settings or included columns changed since: press Run to update.".into(),
        }
    }

    fn header(&self, data: &Loaded, res: &CompareResult) -> String {
        format!(
            "Shown: {} · {} · {}",
            widgets::settings_summary(&res.request.settings),
            widgets::permutations_summary(res.request.permutations),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &CompareResult) {
        let names: Vec<String> = data.ds.columns.iter().map(|c| c.name.clone()).collect();
        let avail = ui.available_size();
        // The table needs its numbers more than the plot needs width in a small window.
        let plot_w = (avail.x * if avail.x < 1200.0 { 0.4 } else { 0.45 }).max(300.0);
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(plot_w, avail.y),
                Layout::top_down(Align::Min),
                |ui| {
                    self.scatter(ui, cx, res, &names);
                },
            );
            ui.separator();
            ui.allocate_ui_with_layout(ui.available_size(), Layout::top_down(Align::Min), |ui| {
                self.table_view(ui, (res, &names), cx);
            });
        });
    }

    fn forget_selection(&mut self) {
        self.view.selected = None;
    }
}

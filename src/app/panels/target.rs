//! One column against all: every other included column's MI with a chosen target, as
//! labelled horizontal bars sorted from the strongest down, each with its estimator and
//! whether a permutation test tells it from zero. Click a bar to inspect the pair.
//!
//! The row comes from the heatmap's finished matrix when that matrix covers the target
//! and every included column with the same estimator settings and permutations (its
//! p-values are then adjusted over all the heatmap's pairs); otherwise the panel
//! estimates the m − 1 pairs itself with `analysis::matrix::run_target`, the function
//! behind `mi-workbench matrix --target`, so the export equals the CLI's rows.

use super::run_panel::{RunPanel, Work};
use super::{Messages, Panel, PanelCtx, SharedMatrix, perform, units_and_actions};
use crate::analysis::matrix::{self, MatrixRequest, MatrixResult, PairCell};
use crate::app::commands::{Command, Table};
use crate::app::computation::Computation;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem, fmt, fmt_p};
use crate::estimate::{Settings, Units};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<TargetResult> = JobKey::new("target");

/// Adjusted p-values at or below this count as distinguishable from zero.
use crate::app::widgets::ALPHA;

/// Pairs × rows × (1 + permutations) a target row computes by itself when the target
/// changes; above it the Run button starts it (the heatmap's budget).
const AUTO_START_BUDGET: usize = 40_000_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetSettings {
    /// The target by column name (names survive reopening the file).
    pub target: Option<String>,
    pub estimate: Settings,
    /// Permutations per pair for a p-value (0 = none).
    pub permutations: usize,
}

/// Where a row's numbers come from (what its p-values were adjusted over).
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The heatmap's matrix over these columns: BH over all its pairs.
    Heatmap(Vec<usize>),
    /// Its own run of the m − 1 pairs: BH over those.
    Own,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetRequest {
    pub target: usize,
    /// Included columns plus the target, in file order.
    pub matrix: MatrixRequest,
    /// With permutations, the heatmap's columns when the row's p-values come from its
    /// matrix (adjusted over all its pairs). Without permutations the numbers are the
    /// same from either source, so this stays `None` and a row computed before the
    /// heatmap finished is not computed again.
    pub family: Option<Vec<usize>>,
}

/// The heatmap's columns when its matrix (of `generation`) holds `target` and every
/// column of `r` under the same settings and permutations.
fn heatmap_covers(
    heatmap: Option<&SharedMatrix>,
    generation: u64,
    r: &MatrixRequest,
    target: usize,
) -> Option<Vec<usize>> {
    heatmap?
        .covering(generation, &r.columns, &r.settings, r.permutations)
        .filter(|m| m.request.columns.contains(&target))
        .map(|m| m.request.columns.clone())
}

/// A finished row.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub target: usize,
    /// The m − 1 cells with the target, in `matrix::target_pairs` order.
    pub matrix: MatrixResult,
    pub source: Source,
    /// Indices into `matrix.cells`, largest MI first; pairs without an estimate last.
    pub order: Vec<usize>,
}

impl TargetResult {
    fn new(target: usize, matrix: MatrixResult, source: Source) -> Self {
        let mut order: Vec<usize> = (0..matrix.cells.len()).collect();
        let mi = |i: usize| matrix.cells[i].mi().unwrap_or(f64::NAN);
        order.sort_by(|&a, &b| widgets::row_order(None, (mi(a), mi(b)), true));
        Self {
            target,
            matrix,
            source,
            order,
        }
    }

    /// The column paired with the target in cell `i`.
    pub fn other(&self, i: usize) -> usize {
        let c = &self.matrix.cells[i];
        if c.x == self.target { c.y } else { c.x }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TargetPanel {
    pub settings: TargetSettings,
    #[serde(skip)]
    view: TargetView,
}

struct TargetView {
    run: Computation<TargetRequest, TargetResult>,
    /// The heatmap's matrix as of this frame (the job reads it).
    heatmap: Option<SharedMatrix>,
    /// Run at the next frame even if large (a target picked on purpose).
    run_requested: bool,
    chart_rect: Option<Rect>,
    /// (other column, bar row) of the rows drawn last frame.
    drawn: Vec<(usize, Rect)>,
}

impl Default for TargetView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 16),
            heatmap: None,
            run_requested: false,
            chart_rect: None,
            drawn: Vec::new(),
        }
    }
}

impl TargetPanel {
    pub const TITLE: &'static str = "Target";
    pub const EXPLAIN: &'static str =
        "One column against all: every other column's MI with a target, strongest first";

    run_panel_accessors!(TargetResult);

    /// The chosen target if the file has it, else the last included column.
    pub fn target_column(&self, data: &Loaded) -> Option<usize> {
        self.settings
            .target
            .as_deref()
            .and_then(|n| data.ds.column_index(n))
            .or_else(|| data.included_columns().last().copied())
    }

    /// Makes `column` the target and runs it at the next frame (a network node click).
    pub fn show_target(&mut self, data: &Loaded, column: usize) {
        self.settings.target = Some(data.column_name(column).to_string());
        self.view.run_requested = true;
    }

    /// Screen centre of the bar of `column` (paired with the target) as last drawn.
    pub fn bar_center(&self, column: usize) -> Option<Pos2> {
        self.view
            .drawn
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, r)| r.center())
    }

    fn request(&self, cx: &PanelCtx) -> Option<TargetRequest> {
        let data = cx.data?;
        let target = self.target_column(data)?;
        let mut columns = data.included_columns();
        if !columns.contains(&target) {
            columns.push(target);
            columns.sort_unstable();
        }
        let matrix = MatrixRequest {
            columns,
            settings: self.settings.estimate.clone(),
            permutations: self.settings.permutations,
        };
        let family = (matrix.permutations > 0)
            .then(|| heatmap_covers(cx.heatmap.as_ref(), data.generation, &matrix, target))
            .flatten();
        Some(TargetRequest {
            target,
            matrix,
            family,
        })
    }

    /// Starts the wanted row when it is not on screen: from the heatmap (instant), when
    /// small, or when a target was just picked.
    fn start_if_due(&mut self, cx: &mut PanelCtx) {
        let (Some(data), Some((g, r))) = (cx.data, self.wanted(cx)) else {
            return;
        };
        let run = &self.view.run;
        if run.is_showing(g, &r) || run.is_computing_for(g, &r) || run.was_cancelled(g, &r) {
            self.view.run_requested = false;
            return;
        }
        let cost = (r.matrix.columns.len() - 1)
            .saturating_mul(data.ds.n_rows)
            .saturating_mul(1 + r.matrix.permutations);
        let instant = heatmap_covers(cx.heatmap.as_ref(), g, &r.matrix, r.target).is_some();
        if self.view.run_requested || instant || cost <= AUTO_START_BUDGET {
            self.view.run_requested = false;
            Panel::run(self, cx);
        }
    }

    fn bars(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &TargetResult) {
        let units = cx.units;
        let u = units.name();
        let tested = res.matrix.request.permutations > 0;
        let max = res
            .matrix
            .cells
            .iter()
            .filter_map(PairCell::mi)
            .fold(0.0f64, f64::max);
        let max_u = units.from_nats(max).max(1e-12);
        let strong = Color32::from_rgb(60, 120, 200);
        let faint = ui
            .visuals()
            .widgets
            .inactive
            .bg_fill
            .lerp_to_gamma(ui.visuals().text_color(), 0.3);
        let text = ui.visuals().text_color();
        let weak = ui.visuals().weak_text_color();
        let font = FontId::proportional(13.0);
        let small = FontId::proportional(11.5);
        let width = ui.available_width();
        let name_w = (width * 0.22).clamp(90.0, 240.0);
        let tail_w = 230.0;
        let bar_w = (width - name_w - tail_w - 24.0).max(80.0);
        let target = data.column_name(res.target);
        ui.label(format!(
            "I({target}; column) in {u}, strongest first: {} columns. {} Click a bar to inspect the pair.",
            res.order.len(),
            if tested {
                "Faded bars: not distinguishable from zero (BH-adjusted p > 0.05)."
            } else {
                "No permutation test: set Permutations to tell bars from zero."
            }
        ));
        // Where the scale starts (the ui's min_rect may already reach the panel's bottom).
        let top = ui.cursor().min.y;
        // The scale above the bars: 0 at their left end, the largest MI at the right.
        let (scale, painter) = ui.allocate_painter(Vec2::new(width, 16.0), Sense::hover());
        let x0 = scale.rect.min.x + name_w + 8.0;
        painter.text(
            Pos2::new(x0, scale.rect.center().y),
            Align2::LEFT_CENTER,
            "0",
            small.clone(),
            weak,
        );
        painter.text(
            Pos2::new(x0 + bar_w, scale.rect.center().y),
            Align2::RIGHT_CENTER,
            format!("{} {u}", fmt(max_u)),
            small.clone(),
            weak,
        );
        painter.text(
            Pos2::new(x0 + bar_w + 8.0, scale.rect.center().y),
            Align2::LEFT_CENTER,
            "MI · estimator · BH-adjusted p",
            small.clone(),
            weak,
        );
        let row_h = 20.0;
        let mut drawn = Vec::new();
        let out = egui::ScrollArea::vertical()
            .id_salt("target-bars")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, res.order.len(), |ui, range| {
                for &i in &res.order[range] {
                    let cell = &res.matrix.cells[i];
                    let other = res.other(i);
                    let name = data.column_name(other);
                    let (resp, painter) =
                        ui.allocate_painter(Vec2::new(width, row_h), Sense::click());
                    let r = resp.rect;
                    let y = r.center().y;
                    if resp.hovered() {
                        painter.rect_filled(r, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
                    }
                    painter.text(
                        Pos2::new(r.min.x + name_w, y),
                        Align2::RIGHT_CENTER,
                        widgets::truncate(name, (name_w / 7.0) as usize),
                        font.clone(),
                        text,
                    );
                    let p_adj = res.matrix.p_adjusted.get(i).copied().unwrap_or(f64::NAN);
                    let significant = !tested || p_adj <= ALPHA;
                    let mut raw = None;
                    let (value, detail) = match &cell.estimate {
                        Ok(e) => {
                            let v = units.from_nats(e.mi);
                            let (shown, why) = widgets::fmt_info(e.mi, cell.test.as_ref(), units);
                            raw = why;
                            let sig = if !tested {
                                "untested".to_string()
                            } else if p_adj <= ALPHA {
                                format!("p_adj {}", fmt_p(p_adj))
                            } else {
                                format!("p_adj {} n.s.", fmt_p(p_adj))
                            };
                            (v, format!("{shown} · {} · {sig}", e.method.name()))
                        }
                        Err(err) => (f64::NAN, format!("no estimate: {err}")),
                    };
                    let bar_x0 = r.min.x + name_w + 8.0;
                    if value.is_finite() {
                        let len = ((value / max_u).clamp(0.0, 1.0) as f32) * bar_w;
                        let bar = Rect::from_min_size(
                            Pos2::new(bar_x0, r.min.y + 3.0),
                            Vec2::new(len.max(1.0), row_h - 6.0),
                        );
                        painter.rect_filled(bar, 2.0, if significant { strong } else { faint });
                    }
                    painter.line_segment(
                        [Pos2::new(bar_x0, r.min.y), Pos2::new(bar_x0, r.max.y)],
                        Stroke::new(1.0, weak),
                    );
                    painter.text(
                        Pos2::new(bar_x0 + bar_w + 8.0, y),
                        Align2::LEFT_CENTER,
                        &detail,
                        small.clone(),
                        if significant { text } else { weak },
                    );
                    drawn.push((other, r));
                    let resp = resp.on_hover_text(format!(
                        "I({target}; {name}) = {detail}\n{}{} rows used. Click to inspect the pair, right-click to copy.",
                        raw.map(|r| format!("{r}\n")).unwrap_or_default(),
                        cell.n_used()
                    ));
                    if resp.clicked() {
                        cx.commands.push(Command::Inspect {
                            x: cell.x,
                            y: cell.y,
                            settings: res.matrix.request.settings.clone(),
                        });
                    }
                    let copy = CopyTarget {
                        row: pair_row(target, name),
                        image: self.view.chart_rect,
                    };
                    copy_menu(&resp, copy, cx.commands);
                }
            });
        self.view.drawn = drawn;
        self.view.chart_rect = Some(Rect::from_min_max(
            Pos2::new(out.inner_rect.min.x, top),
            out.inner_rect.max,
        ));
    }
}

impl RunPanel for TargetPanel {
    run_panel_basics!(TargetRequest, TargetResult, "the target view", "target");

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, TargetRequest)> {
        Some((cx.data?.generation, self.request(cx)?))
    }

    fn refuse(&self, r: &TargetRequest) -> Option<&'static str> {
        (r.matrix.columns.len() < 2)
            .then_some("Include at least one column besides the target (Data tab).")
    }

    fn job(&self, data: &Loaded, r: &TargetRequest) -> (String, Work<TargetResult>) {
        let (ds, r, generation) = (data.ds.clone(), r.clone(), data.generation);
        let heatmap = self.view.heatmap.clone();
        let label = format!(
            "MI of {} with {} columns on {} rows",
            data.column_name(r.target),
            r.matrix.columns.len() - 1,
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<TargetResult> = Box::new(move |h| {
            let t = r.target;
            // The heatmap's row when it covers the request (and, with permutations, is
            // the family the request was built on); else its own run. The result says
            // which.
            if let Some(hm) = &heatmap
                && let Some(cols) = heatmap_covers(Some(hm), generation, &r.matrix, t)
                && (r.matrix.permutations == 0 || r.family.as_ref() == Some(&cols))
                && let Some(row) = matrix::target_row(&hm.result.matrix, t, &r.matrix.columns)
            {
                return Ok(TargetResult::new(t, row, Source::Heatmap(cols)));
            }
            let m = matrix::run_target(&ds, &r.matrix, t, &h.progress)?;
            Ok(TargetResult::new(t, m, Source::Own))
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.chart_rect
    }

    fn export(&self, data: &Loaded, res: &TargetResult, units: Units) -> Table {
        Table {
            file_name: format!(
                "{}_mi_target_{}.csv",
                file_stem(&data.name),
                widgets::safe_file_part(data.column_name(res.target))
            ),
            csv: crate::export::matrix_long_csv(&data.ds, &res.matrix, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.view.heatmap = cx.heatmap.clone();
        widgets::estimator_settings(ui, "target", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.target_column(data);
                let words = (
                    "target-column",
                    "Target",
                    "The column every other included column is measured against",
                );
                if widgets::column_setting(ui, words, data, current, &mut self.settings.target)
                    .is_some()
                {
                    self.view.run_requested = true;
                }
            }
            let tests = cx.data.map_or(0, |d| d.included_columns().len().saturating_sub(1));
            widgets::permutations_field(
                ui,
                &mut self.settings.permutations,
                tests,
                "Shuffled surrogates per pair for a p-value (0 = no test); BH adjusts over the bars",
            );
            if let Some(hm) = &cx.heatmap {
                let r = &hm.result.matrix.request;
                let same =
                    r.settings == self.settings.estimate && r.permutations == self.settings.permutations;
                if ui
                    .add_enabled(!same, egui::Button::new("Heatmap's settings"))
                    .on_hover_text(
                        "Use the heatmap's estimator and permutations: the bars then come from its matrix, \
                         with its p-values, without computing anything",
                    )
                    .clicked()
                {
                    self.settings.estimate = r.settings.clone();
                    self.settings.permutations = r.permutations;
                }
            }
            let run = (
                "Run target",
                "Estimate the MI of the target with every other included column",
            );
            let tips = (
                "Save the pairs with the target as CSV: x, y, n used, MI, unit, estimator, settings (+ p-values), as `matrix --target`",
                "Save the bar chart as a PNG image",
            );
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
        self.start_if_due(cx);
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "The target view failed",
            computing: "Estimating the target's pairs…",
            idle: "Choose a target (or press “Run target” for a large file).",
            stale: "Shown: the last run. The settings changed since: press Run target to update."
                .into(),
        }
    }

    fn header(&self, data: &Loaded, res: &TargetResult) -> String {
        let r = &res.matrix.request;
        let from = match &res.source {
            Source::Heatmap(cols) if r.permutations > 0 => {
                let m = cols.len();
                format!(
                    "from the heatmap's matrix (p-values adjusted over its {} pairs)",
                    m * m.saturating_sub(1) / 2
                )
            }
            Source::Heatmap(_) => "from the heatmap's matrix".to_string(),
            Source::Own if r.permutations > 0 => format!(
                "own run (p-values adjusted over these {} pairs)",
                res.matrix.cells.len()
            ),
            Source::Own => "own run".to_string(),
        };
        format!(
            "Shown: {} against {} columns · {} · {} · {} · {from}",
            data.column_name(res.target),
            res.matrix.cells.len(),
            widgets::settings_summary(&r.settings),
            widgets::permutations_summary(r.permutations),
            widgets::rows_summary(data),
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &TargetResult) {
        if res.matrix.cells.is_empty() {
            ui.label("No other column to measure against the target.");
            return;
        }
        self.bars(ui, cx, data, res);
    }

    fn forget_selection(&mut self) {
        self.view.drawn.clear();
        self.view.chart_rect = None;
    }
}

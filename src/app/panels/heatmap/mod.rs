//! Pairwise MI heatmap: runs by itself whenever the dataset, the included columns or
//! the estimator settings change; cells fill in as the job computes them.
//!
//! The panel's state and controls live here; [`cells`] holds what the grid shows (the
//! streaming or finished cells, display order, scales), [`grid`] paints it into one
//! texture with one response for the whole grid (so hundreds of columns stay cheap),
//! and [`legend`] draws the colour scale.

mod cells;
mod grid;
mod legend;
mod zoom;

use super::{Command, Panel, PanelCtx, perform};
use crate::analysis::matrix::{self, MatrixRequest, MatrixResult, PairCell};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::{JobKey, Lane};
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, Action, file_stem};
use crate::data::select::{ColumnPattern, Mode};
use crate::estimate::Settings;
use cells::{CellsView, Streaming, display_order};
use egui::Pos2;
use grid::{GridInput, GridLayout, GridTexture};
use serde::{Deserialize, Serialize};

/// Its partials are cells as they finish: (index in `pairs_of` order, cell).
pub const JOB: JobKey<HeatmapResult, (usize, PairCell)> = JobKey::new("heatmap");

/// Adjusted p-values above this are "not significant" (dimmed when asked): the level
/// every panel uses.
pub use crate::app::widgets::ALPHA;

/// What the colour shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// MI in the chosen unit.
    #[default]
    Raw,
    /// r_I = sqrt(1 − e^(−2I)), 0..1 like |ρ|.
    InfoCoefficient,
    /// I / min(H(X), H(Y)) (discrete pairs).
    NmiMin,
    /// I / sqrt(H(X) H(Y)) (discrete pairs).
    NmiSqrt,
    /// 2I / (H(X) + H(Y)) (discrete pairs).
    NmiMean,
}

impl Scale {
    pub const ALL: [Scale; 5] = [
        Scale::Raw,
        Scale::InfoCoefficient,
        Scale::NmiMin,
        Scale::NmiSqrt,
        Scale::NmiMean,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scale::Raw => "MI",
            Scale::InfoCoefficient => "r_I (information coefficient)",
            Scale::NmiMin => "NMI  I/min(H)",
            Scale::NmiSqrt => "NMI  I/√(H(X)H(Y))",
            Scale::NmiMean => "NMI  2I/(H(X)+H(Y))",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            Scale::Raw => "Mutual information in the chosen unit; 0 = independent, no upper bound",
            Scale::InfoCoefficient => "r_I = √(1−e^(−2I)): 0..1, equals |ρ| for a Gaussian pair",
            Scale::NmiMin => {
                "MI over the smaller entropy: 1 when one discrete column determines the other (discrete pairs only)"
            }
            Scale::NmiSqrt => "MI over the geometric mean of the entropies (discrete pairs only)",
            Scale::NmiMean => {
                "MI over the mean entropy, the 'symmetric uncertainty' (discrete pairs only)"
            }
        }
    }

    /// The normalised-MI scales (discrete pairs only).
    pub(crate) fn is_nmi(self) -> bool {
        matches!(self, Scale::NmiMin | Scale::NmiSqrt | Scale::NmiMean)
    }

    /// Normalised scales run 0..1; raw MI runs 0..max.
    pub(crate) fn bounded(self) -> bool {
        self != Scale::Raw
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapSettings {
    pub estimate: Settings,
    /// Permutations per pair for the significance test (0 = off).
    pub permutations: usize,
    pub scale: Scale,
    pub cluster: bool,
    pub dim_insignificant: bool,
    /// At most this many columns (pairs grow with the square; wide files need a choice).
    pub max_columns: usize,
    pub pick: ColumnPick,
}

/// Which columns a wide file's heatmap keeps when there are more than `max_columns`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnPick {
    /// The first ones in file order.
    FileOrder,
    /// Those with the largest variance (numeric columns; text columns last).
    #[default]
    TopVariance,
}

impl Default for HeatmapSettings {
    fn default() -> Self {
        Self {
            estimate: Settings::default(),
            permutations: 0,
            scale: Scale::Raw,
            cluster: false,
            dim_insignificant: true,
            max_columns: 150,
            pick: ColumnPick::TopVariance,
        }
    }
}

/// A finished heatmap job.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapResult {
    pub matrix: MatrixResult,
    /// Plug-in entropy (nats) of each requested column that is discrete, NaN otherwise;
    /// aligned with `matrix.request.columns` (for the NMI scales).
    pub entropies: Vec<f64>,
    /// MI (nats) of each cell as f32 (NaN: no estimate), in `cells` order: a compact
    /// copy the drawing code can scan quickly.
    pub dense_mi: Vec<f32>,
}

impl HeatmapResult {
    /// The matrix with what drawing needs beside it (computed in the job).
    fn new(ds: &crate::data::Dataset, matrix: MatrixResult) -> Self {
        let entropies =
            matrix::column_entropies(ds, &matrix.request.columns, &matrix.request.settings);
        let dense_mi = matrix
            .cells
            .iter()
            .map(|c| c.mi().map_or(f32::NAN, |v| v as f32))
            .collect();
        Self {
            matrix,
            entropies,
            dense_mi,
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HeatmapPanel {
    pub settings: HeatmapSettings,
    #[serde(skip)]
    view: HeatmapView,
}

/// What the panel keeps between frames besides its settings.
struct HeatmapView {
    run: Computation<MatrixRequest, HeatmapResult, (usize, PairCell)>,
    /// Cells of the running job as they arrive.
    streaming: Option<Streaming>,
    /// Cluster order (positions into the request's columns) for a shown result.
    cluster_order: Option<(u64, MatrixRequest, Vec<usize>)>,
    layout: Option<GridLayout>,
    texture: Option<GridTexture>,
    zoom: zoom::Zoom,
    /// A large request the user chose to run (large ones do not start by themselves).
    approved: Option<(u64, MatrixRequest)>,
    /// Bumped whenever the cells on screen change (the texture's cache key).
    revision: u64,
    /// Column name filter (not persisted: it belongs to one dataset).
    filter: String,
    /// The pair (dataset columns x, y) whose cell was right-clicked: its context menu.
    menu_pair: Option<(usize, usize)>,
}

impl Default for HeatmapView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 16),
            streaming: None,
            cluster_order: None,
            layout: None,
            texture: None,
            zoom: zoom::Zoom::default(),
            approved: None,
            revision: 0,
            filter: String::new(),
            menu_pair: None,
        }
    }
}

impl HeatmapPanel {
    pub fn new(settings: HeatmapSettings) -> Self {
        Self {
            settings,
            view: HeatmapView::default(),
        }
    }

    /// Included columns passing the name filter (see `data::select`; an invalid pattern
    /// filters nothing and says why beside the field), before the column cap.
    fn candidates(&self, data: &Loaded) -> Vec<usize> {
        let mut cols = data.included_columns();
        if let Ok(pattern) = ColumnPattern::parse(&self.view.filter, Mode::Contains) {
            cols.retain(|&c| pattern.matches(data.column_name(c)));
        }
        cols
    }

    /// The request the current settings and included columns ask for.
    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, MatrixRequest)> {
        let data = cx.data?;
        let mut columns = self.candidates(data);
        let cap = self.settings.max_columns.max(2);
        if columns.len() > cap {
            if self.settings.pick == ColumnPick::TopVariance {
                let var = |c: usize| data.variances.get(c).copied().unwrap_or(f64::NAN);
                // Largest variance first; columns without one (text) last.
                columns.sort_by(|&a, &b| match (var(a).is_nan(), var(b).is_nan()) {
                    (false, false) => var(b).total_cmp(&var(a)),
                    (x, y) => x.cmp(&y),
                });
                columns.truncate(cap);
                columns.sort_unstable();
            } else {
                columns.truncate(cap);
            }
        }
        Some((
            data.generation,
            MatrixRequest {
                columns,
                settings: self.settings.estimate.clone(),
                permutations: self.settings.permutations,
            },
        ))
    }

    fn start(&mut self, cx: &mut PanelCtx, generation: u64, request: MatrixRequest) {
        let Some(data) = cx.data else { return };
        let ds = data.ds.clone();
        let req = request.clone();
        let m = request.columns.len();
        let pairs = m * (m - 1) / 2;
        let label = if request.permutations > 0 {
            format!(
                "MI heatmap, {} × {} permutations on {} rows",
                widgets::pairs_label(pairs),
                request.permutations,
                crate::app::thousands(data.ds.n_rows)
            )
        } else {
            format!(
                "MI heatmap, {} on {} rows",
                widgets::pairs_label(pairs),
                crate::app::thousands(data.ds.n_rows)
            )
        };
        self.view.streaming = Some(Streaming::new(request.clone()));
        self.view.run.start(
            cx.jobs,
            label,
            Lane::Heavy,
            (generation, request),
            move |h| {
                let matrix = matrix::run(&ds, &req, &h.progress, &|i, cell| {
                    h.send_partial((i, cell.clone()))
                })?;
                Ok(HeatmapResult::new(&ds, matrix))
            },
        );
    }

    /// Runs the current request even if it was cancelled or is large.
    fn restart(&mut self, cx: &mut PanelCtx) {
        if let Some((g, r)) = self.wanted(cx) {
            self.view.approved = Some((g, r.clone()));
            self.start(cx, g, r);
        }
    }

    /// The finished matrix on screen (tests).
    pub fn result(&self) -> Option<&MatrixResult> {
        self.view.run.shown().map(|r| &r.matrix)
    }

    /// The finished matrix on screen with its generation, for the views drawn from it.
    pub fn shared_matrix(&self) -> Option<super::SharedMatrix> {
        Some(super::SharedMatrix {
            generation: self.view.run.shown_generation()?,
            result: self.view.run.shown()?.clone(),
        })
    }

    /// The dataset generation of the finished matrix on screen (tests).
    pub fn shown_generation(&self) -> Option<u64> {
        self.view.run.shown_generation()
    }

    /// True while a heatmap job is computing.
    pub fn is_computing(&self) -> bool {
        self.view.run.is_computing()
    }

    /// Cells received so far from the running job.
    pub fn streamed_cells(&self) -> usize {
        self.view.streaming.as_ref().map_or(0, Streaming::received)
    }

    /// Screen centre of the cell of two dataset columns as last drawn (tests click it).
    pub fn cell_center(&self, x: usize, y: usize) -> Option<Pos2> {
        self.view.layout.as_ref()?.cell_center(x, y)
    }

    /// Rows and columns on screen as last drawn, and whether they carried name labels
    /// (fewer rows and columns, and labels, once zoomed in).
    pub fn visible_cells(&self) -> Option<((usize, usize), bool)> {
        let l = self.view.layout.as_ref()?;
        Some((l.visible, l.labels))
    }

    fn wide_table(&self, cx: &PanelCtx) -> Result<Table, String> {
        let (Some(data), Some(res)) = (cx.data, self.view.run.shown()) else {
            return Err(NOTHING_YET.into());
        };
        Ok(Table {
            file_name: format!("{}_mi_wide.csv", file_stem(&data.name)),
            csv: crate::export::matrix_wide_csv(&data.ds, &res.matrix, cx.units),
        })
    }

    /// A note and a button when the wanted heatmap is not on screen and will not start
    /// by itself (cancelled, or large).
    fn start_prompt(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded) {
        let Some((generation, request)) = self.wanted(cx) else {
            return;
        };
        if self.view.run.is_showing(generation, &request) || self.view.streaming.is_some() {
            return;
        }
        let pairs = request.columns.len() * (request.columns.len() - 1) / 2;
        let (message, button, tip) = if self.view.run.was_cancelled(generation, &request) {
            (
                "The heatmap was cancelled.".to_string(),
                "Run again",
                "Start the heatmap with the current settings",
            )
        } else if too_big_to_start_alone(data.ds.n_rows, &request) {
            (
                format!(
                    "{pairs} pairs on {} rows is a long computation, so it does not start by itself.",
                    crate::app::thousands(data.ds.n_rows)
                ),
                "Compute heatmap",
                "Start it now (progress and Cancel in the status bar); or lower 'max' columns first",
            )
        } else {
            return;
        };
        ui.horizontal(|ui| {
            ui.label(message);
            if ui.button(button).on_hover_text(tip).clicked() {
                self.restart(cx);
            }
        });
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        let (mut action, mut wide) = (None, false);
        widgets::estimator_settings(ui, "heatmap", &mut self.settings.estimate);
        if let Some(data) = cx.data {
            let available = self.candidates(data).len();
            ui.horizontal_wrapped(|ui| {
                ui.label("Columns");
                ui.add(
                    egui::TextEdit::singleline(&mut self.view.filter)
                        .hint_text("name, data.1*, /regex/")
                        .desired_width(160.0),
                )
                .on_hover_text(
                    "Only matching included columns: terms separated by , or |; a plain term \
                     matches names containing it, data.1* is a glob, /regex/ a regular expression",
                );
                match ColumnPattern::parse(&self.view.filter, Mode::Contains) {
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    }
                    Ok(p) if !p.is_empty() => {
                        ui.label(format!("{available} match"));
                    }
                    Ok(_) => {}
                }
                widgets::number_field(
                    ui,
                    "max",
                    &mut self.settings.max_columns,
                    2..=1000,
                    "At most this many columns: the number of pairs grows with the square",
                );
                egui::ComboBox::from_id_salt("heatmap-pick")
                    .selected_text(match self.settings.pick {
                        ColumnPick::TopVariance => "top by variance",
                        ColumnPick::FileOrder => "first in file",
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut self.settings.pick,
                            ColumnPick::TopVariance,
                            "top by variance",
                        )
                        .on_hover_text("Keep the columns with the largest variance");
                        ui.selectable_value(
                            &mut self.settings.pick,
                            ColumnPick::FileOrder,
                            "first in file",
                        )
                        .on_hover_text("Keep the first columns in file order");
                    })
                    .response
                    .on_hover_text("Which columns to keep when there are more than the maximum");
                if available > self.settings.max_columns {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "showing {} of {available} columns",
                            self.settings.max_columns
                        ),
                    );
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            let tests = self.wanted(cx).map_or(0, |(_, r)| {
                let m = r.columns.len();
                m * m.saturating_sub(1) / 2
            });
            widgets::permutations_field(
                ui,
                &mut self.settings.permutations,
                tests,
                "Shuffled surrogates per pair for a p-value (0 = no test); 1000 takes minutes on wide data",
            );
            ui.checkbox(&mut self.settings.dim_insignificant, "Dim p_adj > 0.05")
                .on_hover_text("Fade cells whose Benjamini–Hochberg adjusted p-value is above 0.05 (needs permutations)");
            ui.separator();
            ui.label("Show");
            egui::ComboBox::from_id_salt("heatmap-scale")
                .selected_text(self.settings.scale.title())
                .show_ui(ui, |ui| {
                    for s in Scale::ALL {
                        ui.selectable_value(&mut self.settings.scale, s, s.title()).on_hover_text(s.explain());
                    }
                })
                .response
                .on_hover_text(self.settings.scale.explain());
            widgets::units_toggle(ui, cx.units, cx.commands);
            ui.checkbox(&mut self.settings.cluster, "Cluster order")
                .on_hover_text("Order columns by average-linkage clustering on 1 − r_I so dependent columns sit together");
            ui.separator();
            if ui.button("Export long CSV").on_hover_text("One row per pair: x, y, n used, MI, unit, estimator, settings (Ctrl+E)").clicked() {
                action = Some(Action::ExportCsv);
            }
            if ui.button("Export wide CSV").on_hover_text("The square matrix, one row and one column per variable").clicked() {
                wide = true;
            }
            if ui.button("Save PNG").on_hover_text("Save the heatmap as shown to a PNG image").clicked() {
                action = Some(Action::SavePng);
            }
            if ui.button("Copy table").on_hover_text("Copy the long table (one row per pair) as tab-separated text: pastes into a spreadsheet").clicked() {
                action = Some(Action::Copy);
            }
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
        if wide {
            let command = match self.wide_table(cx) {
                Ok(t) => Command::ExportCsv {
                    file_name: t.file_name,
                    contents: t.csv,
                },
                Err(e) => Command::Error(e),
            };
            cx.commands.push(command);
        }
    }
}

const NOTHING_YET: &str = "Nothing to export yet: the heatmap has not finished.";

impl HeatmapPanel {
    pub const TITLE: &'static str = "MI heatmap";
    pub const EXPLAIN: &'static str = "Mutual information of every pair of included columns";
}

impl Panel for HeatmapPanel {
    fn tick(&mut self, cx: &mut PanelCtx) {
        let partials = cx.jobs.take_partials(JOB);
        if !partials.is_empty() {
            self.view.revision += 1;
        }
        if let Some(s) = &mut self.view.streaming {
            for (i, cell) in partials {
                s.insert(i, cell);
            }
        }
        let wanted = self.wanted(cx);
        // An approval is for one request: once the settings or the filter move away
        // from it, coming back to that large request waits for the button again.
        if self
            .view
            .approved
            .as_ref()
            .is_some_and(|a| wanted.as_ref() != Some(a))
        {
            self.view.approved = None;
        }
        if self.view.run.tick(cx.jobs, wanted.as_ref()) {
            self.view.revision += 1;
        }
        if !self.view.run.is_computing() && self.view.streaming.take().is_some() {
            self.view.revision += 1;
        }
        let Some((generation, request)) = wanted else {
            return;
        };
        let run = &self.view.run;
        if run.is_showing(generation, &request)
            || run.is_computing_for(generation, &request)
            || run.was_cancelled(generation, &request)
            || request.columns.len() < 2
        {
            return;
        }
        let approved = self
            .view
            .approved
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && *r == request);
        if !approved
            && cx
                .data
                .is_some_and(|d| too_big_to_start_alone(d.ds.n_rows, &request))
        {
            return;
        }
        self.start(cx, generation, request);
    }

    fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.view.run.dataset_changed(generation, keep);
        self.view.streaming = None;
        self.view.revision += 1;
        if self
            .view
            .cluster_order
            .as_ref()
            .is_some_and(|(g, _, _)| *g != generation)
        {
            self.view.cluster_order = None;
        }
    }

    fn table(&self, cx: &PanelCtx) -> Result<Table, String> {
        let (Some(data), Some(res)) = (cx.data, self.view.run.shown()) else {
            return Err(NOTHING_YET.into());
        };
        Ok(Table {
            file_name: format!("{}_mi_long.csv", file_stem(&data.name)),
            csv: crate::export::matrix_long_csv(&data.ds, &res.matrix, cx.units),
        })
    }

    fn image(&self, cx: &PanelCtx) -> Result<(String, egui::Rect), String> {
        let rect = self
            .view
            .layout
            .as_ref()
            .map(|l| l.full)
            .ok_or("Nothing to save yet: the heatmap is not on screen.")?;
        let stem = cx
            .data
            .map_or("heatmap".to_string(), |d| file_stem(&d.name));
        Ok((format!("{stem}_heatmap.png"), rect))
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.controls(ui, cx);
        ui.separator();
        if let Some(e) = self.view.run.error() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("The heatmap failed: {e}"),
            );
        }
        let Some(data) = cx.data else {
            ui.label("Open a CSV file (File > Open CSV…, Ctrl+O, or drop it on the window) or pick File > Sample data.");
            return;
        };
        let Some((_, request)) = self.wanted(cx) else {
            return;
        };
        if request.columns.len() < 2 && !self.view.filter.trim().is_empty() {
            let found = match request.columns.len() {
                0 => "No included column matches".to_string(),
                n => format!("Only {n} included column matches"),
            };
            ui.label(format!("{found} the filter: widen it to see pairwise MI."));
            return;
        }
        if request.columns.len() < 2 {
            ui.label("Include at least two columns (Data tab) to see pairwise MI.");
            return;
        }
        self.start_prompt(ui, cx, data);
        let generation = self.view.run.shown_generation().unwrap_or(0);
        let v = &mut self.view;
        let view = match (&v.streaming, v.run.shown()) {
            (Some(s), _) => CellsView::Streaming(s),
            (None, Some(r)) => CellsView::Done(r),
            (None, None) => {
                v.layout = None;
                return;
            }
        };
        let stale = match &view {
            CellsView::Done(r) if r.matrix.request != request => Some(if v.run.is_computing() {
                "(updating…)"
            } else {
                "(older settings)"
            }),
            _ => None,
        };
        widgets::result_header(ui, &header(view.request(), data, &view, stale.is_some()));
        let order = display_order(
            &mut v.cluster_order,
            self.settings.cluster,
            generation,
            &view,
        );
        let names: Vec<&str> = order.iter().map(|&c| data.column_name(c)).collect();
        let input = GridInput {
            view: &view,
            order: &order,
            names: &names,
            settings: &self.settings,
            summaries: &data.summaries,
            revision: v.revision,
            stale,
        };
        let layout = grid::draw(
            ui,
            &input,
            cx,
            (&mut v.texture, &mut v.zoom),
            &mut v.menu_pair,
        );
        v.layout = Some(layout);
    }
}

/// Pairs × rows above which a heatmap waits for the user's go-ahead (a 1,000,000-row
/// file with 20 columns is 190 kNN estimates on a million points each: minutes).
const AUTO_START_BUDGET: usize = 40_000_000;

/// What the grid below was computed with (or is being computed with).
fn header(request: &MatrixRequest, data: &Loaded, view: &CellsView, stale: bool) -> String {
    let what = match (view, stale) {
        (CellsView::Streaming(_), _) => "Computing",
        (CellsView::Done(_), true) => "Shown (older settings: the current ones have not run)",
        (CellsView::Done(_), false) => "Shown",
    };
    format!(
        "{what}: {} · {} · {}",
        widgets::settings_summary(&request.settings),
        widgets::permutations_summary(request.permutations),
        widgets::rows_summary(data)
    )
}

fn too_big_to_start_alone(rows: usize, request: &MatrixRequest) -> bool {
    let m = request.columns.len();
    rows.saturating_mul(m * m.saturating_sub(1) / 2) > AUTO_START_BUDGET
}

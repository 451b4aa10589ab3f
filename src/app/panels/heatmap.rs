//! Pairwise MI heatmap: runs by itself whenever the dataset, the included columns or
//! the estimator settings change; cells fill in as the job computes them.
//!
//! Drawn with the painter, one rectangle per cell and one response for the whole grid,
//! so hundreds of columns stay cheap; labels and in-cell numbers appear only when the
//! cells are big enough to read them.

use super::widgets::{self, fmt, fmt_p};
use super::{Command, PanelCtx};
use crate::analysis::matrix::{self, MatrixRequest, MatrixResult, PairCell};
use crate::app::cluster::average_linkage_order;
use crate::app::colormap::{text_on, viridis};
use crate::app::jobs::{JobError, JobKey, Lane, ResultCache};
use crate::data::Column;
use crate::estimate::prepare::complete_rows;
use crate::estimate::{Settings, Units, discrete, info_coefficient};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const JOB: JobKey = "heatmap";

/// Cluster ordering is skipped above this many columns (it is O(m³)).
const MAX_CLUSTER: usize = 800;

/// Adjusted p-values above this are "not significant" (dimmed when asked).
pub const ALPHA: f64 = 0.05;

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

    /// Normalised scales run 0..1; raw MI runs 0..max.
    fn bounded(self) -> bool {
        self != Scale::Raw
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatrixForm {
    #[default]
    Long,
    Wide,
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

struct Streaming {
    generation: u64,
    request: MatrixRequest,
    cells: Vec<Option<PairCell>>,
    /// As [`HeatmapResult::dense_mi`], filled as cells arrive.
    dense_mi: Vec<f32>,
}

/// Where the last frame drew the grid (tests click cells through this).
#[derive(Clone, Debug)]
struct GridLayout {
    origin: Pos2,
    cell: f32,
    /// Labels, grid and legend: what "Save PNG" saves.
    full: Rect,
    /// Dataset column at each display index.
    order: Vec<usize>,
}

pub struct HeatmapPanel {
    pub settings: HeatmapSettings,
    shown: Option<(u64, Arc<HeatmapResult>)>,
    streaming: Option<Streaming>,
    cache: ResultCache<MatrixRequest, HeatmapResult>,
    error: Option<String>,
    /// Cluster order (positions into the request's columns) for a shown result.
    cluster_order: Option<(u64, MatrixRequest, Vec<usize>)>,
    layout: Option<GridLayout>,
    /// Set when the user cancelled: do not restart the same request on its own.
    cancelled: Option<(u64, MatrixRequest)>,
    texture: Option<GridTexture>,
    /// A large request the user chose to run (large ones do not start by themselves).
    approved: Option<(u64, MatrixRequest)>,
    /// Bumped whenever the cells on screen change (the texture's cache key).
    revision: u64,
    /// Column name filter (not persisted: it belongs to one dataset).
    filter: String,
    /// The pair (dataset columns x, y) whose cell was right-clicked: its context menu.
    menu_pair: Option<(usize, usize)>,
}

impl HeatmapPanel {
    pub fn new(settings: HeatmapSettings) -> Self {
        Self {
            settings,
            shown: None,
            streaming: None,
            cache: ResultCache::new(16),
            error: None,
            cluster_order: None,
            layout: None,
            cancelled: None,
            texture: None,
            approved: None,
            revision: 0,
            filter: String::new(),
            menu_pair: None,
        }
    }

    /// The request the current settings and included columns ask for.
    /// Included columns passing the name filter, before the column cap.
    fn candidates(&self, data: &crate::app::loaded::Loaded) -> Vec<usize> {
        let filter = self.filter.trim().to_lowercase();
        let mut cols = data.included_columns();
        if !filter.is_empty() {
            cols.retain(|&c| data.column_name(c).to_lowercase().contains(&filter));
        }
        cols
    }

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

    pub fn tick(&mut self, cx: &mut PanelCtx) {
        // Cells streamed in since the last frame.
        let partials = cx.jobs.take_partials::<(usize, PairCell)>(JOB);
        if !partials.is_empty() {
            self.revision += 1;
        }
        if let Some(s) = &mut self.streaming {
            for (i, cell) in partials {
                if let Some(slot) = s.dense_mi.get_mut(i) {
                    *slot = cell.mi().map_or(f32::NAN, |v| v as f32);
                }
                if let Some(slot) = s.cells.get_mut(i) {
                    *slot = Some(cell);
                }
            }
        }
        if let Some(done) = cx.jobs.take_done::<HeatmapResult>(JOB) {
            self.revision += 1;
            let streaming = self.streaming.take();
            match done {
                Ok(result) => {
                    let result = Arc::new(result);
                    if let Some(s) = streaming {
                        self.cache.insert(s.generation, s.request, result.clone());
                        self.shown = Some((s.generation, result));
                    }
                    self.error = None;
                }
                Err(JobError::Cancelled) => {
                    self.cancelled = streaming.map(|s| (s.generation, s.request));
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }

        let Some((generation, request)) = self.wanted(cx) else {
            return;
        };
        let showing = self
            .shown
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && r.matrix.request == request);
        let computing = self
            .streaming
            .as_ref()
            .is_some_and(|s| s.generation == generation && s.request == request);
        let was_cancelled = self
            .cancelled
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && *r == request);
        if showing || computing || was_cancelled {
            return;
        }
        if let Some(hit) = self.cache.get(generation, &request) {
            self.shown = Some((generation, hit));
            self.revision += 1;
            return;
        }
        if request.columns.len() < 2 {
            return;
        }
        let approved = self
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

    fn start(&mut self, cx: &mut PanelCtx, generation: u64, request: MatrixRequest) {
        let Some(data) = cx.data else { return };
        let ds = data.ds.clone();
        let req = request.clone();
        let m = request.columns.len();
        let label = if request.permutations > 0 {
            format!(
                "MI heatmap, {} pairs × {} permutations",
                m * (m - 1) / 2,
                request.permutations
            )
        } else {
            format!("MI heatmap, {} pairs", m * (m - 1) / 2)
        };
        cx.jobs.spawn(JOB, label, Lane::Heavy, move |h| {
            let matrix = matrix::run(&ds, &req, &h.progress, &|i, cell| {
                h.send_partial((i, cell.clone()))
            })?;
            let entropies = req
                .columns
                .iter()
                .map(|&c| column_entropy(&ds.columns[c], &req.settings))
                .collect();
            let dense_mi = matrix
                .cells
                .iter()
                .map(|c| c.mi().map_or(f32::NAN, |v| v as f32))
                .collect();
            Ok(HeatmapResult {
                matrix,
                entropies,
                dense_mi,
            })
        });
        self.streaming = Some(Streaming {
            generation,
            request,
            cells: vec![None; m * (m - 1) / 2],
            dense_mi: vec![f32::NAN; m * (m - 1) / 2],
        });
        self.cancelled = None;
        self.error = None;
    }

    /// Runs the current request even if it was cancelled or is large.
    fn restart(&mut self, cx: &mut PanelCtx) {
        if let Some((g, r)) = self.wanted(cx) {
            self.cancelled = None;
            self.approved = Some((g, r.clone()));
            self.start(cx, g, r);
        }
    }

    /// `keep`: generations whose results stay valid (`generation`, the one now
    /// analysed, and the other of file and subsample).
    pub fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.cache.retain_generations(keep);
        if self.shown.as_ref().is_some_and(|(g, _)| *g != generation) {
            self.cluster_order = None;
        }
    }

    /// The finished matrix on screen, if it matches the current settings (tests).
    pub fn result(&self) -> Option<&MatrixResult> {
        self.shown.as_ref().map(|(_, r)| &r.matrix)
    }

    /// The dataset generation of the finished matrix on screen (tests).
    pub fn shown_generation(&self) -> Option<u64> {
        self.shown.as_ref().map(|(g, _)| *g)
    }

    /// True while a heatmap job is computing.
    pub fn is_computing(&self) -> bool {
        self.streaming.is_some()
    }

    /// Cells received so far from the running job.
    pub fn streamed_cells(&self) -> usize {
        self.streaming
            .as_ref()
            .map_or(0, |s| s.cells.iter().filter(|c| c.is_some()).count())
    }

    /// Screen centre of the cell of two dataset columns as last drawn (tests click it).
    pub fn cell_center(&self, x: usize, y: usize) -> Option<Pos2> {
        let l = self.layout.as_ref()?;
        let r = l.order.iter().position(|&c| c == y)?;
        let c = l.order.iter().position(|&c| c == x)?;
        Some(l.origin + Vec2::new((c as f32 + 0.5) * l.cell, (r as f32 + 0.5) * l.cell))
    }

    pub fn export(&mut self, cx: &mut PanelCtx, form: MatrixForm) {
        let (Some(data), Some((_, res))) = (cx.data, &self.shown) else {
            cx.commands.push(Command::Error(
                "Nothing to export yet: the heatmap has not finished.".into(),
            ));
            return;
        };
        let stem = file_stem(&data.name);
        let (contents, file_name) = match form {
            MatrixForm::Long => (
                crate::export::matrix_long_csv(&data.ds, &res.matrix, cx.units),
                format!("{stem}_mi_long.csv"),
            ),
            MatrixForm::Wide => (
                crate::export::matrix_wide_csv(&data.ds, &res.matrix, cx.units),
                format!("{stem}_mi_wide.csv"),
            ),
        };
        cx.commands.push(Command::ExportCsv {
            file_name,
            contents,
        });
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.controls(ui, cx);
        ui.separator();
        if let Some(e) = &self.error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("The heatmap failed: {e}"),
            );
        }
        let Some(data) = cx.data else {
            ui.label("Open a CSV file (File > Open CSV…, Ctrl+O, or drop it on the window) or pick File > Sample data.");
            return;
        };
        let Some((generation, request)) = self.wanted(cx) else {
            return;
        };
        if request.columns.len() < 2 {
            ui.label("Include at least two columns (Data tab) to see pairwise MI.");
            return;
        }
        let current = |r: &Option<(u64, MatrixRequest)>| {
            r.as_ref()
                .is_some_and(|(g, q)| *g == generation && *q == request)
        };
        let showing = self
            .shown
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && r.matrix.request == request);
        if !showing && self.streaming.is_none() {
            let pairs = request.columns.len() * (request.columns.len() - 1) / 2;
            let (message, button, tip) = if current(&self.cancelled) {
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
                (String::new(), "", "")
            };
            if !button.is_empty() {
                ui.horizontal(|ui| {
                    ui.label(message);
                    if ui.button(button).on_hover_text(tip).clicked() {
                        self.restart(cx);
                    }
                });
            }
        }
        // Draw the streaming cells while a job runs; the finished result otherwise.
        let view = if let Some(s) = &self.streaming {
            CellsView::Streaming(s)
        } else if let Some((_, r)) = &self.shown {
            CellsView::Done(r)
        } else {
            return;
        };
        let stale = matches!(view, CellsView::Done(r) if r.matrix.request != request);
        let generation = self.shown.as_ref().map_or(0, |(g, _)| *g);
        let order = display_order(
            &mut self.cluster_order,
            self.settings.cluster,
            generation,
            &view,
        );
        let names: Vec<&str> = order.iter().map(|&c| data.column_name(c)).collect();
        let layout = draw_grid(
            ui,
            &view,
            &order,
            &names,
            &self.settings,
            cx,
            &mut self.texture,
            self.revision,
            stale,
            &mut self.menu_pair,
        );
        self.layout = Some(layout);
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "heatmap", &mut self.settings.estimate);
        if let Some(data) = cx.data {
            let available = self.candidates(data).len();
            ui.horizontal_wrapped(|ui| {
                ui.label("Columns");
                ui.add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text("filter by name")
                        .desired_width(140.0),
                )
                .on_hover_text("Only columns whose name contains this text");
                ui.label("max");
                ui.add(egui::DragValue::new(&mut self.settings.max_columns).range(2..=1000))
                    .on_hover_text(
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
            ui.label("Permutations");
            ui.add(egui::DragValue::new(&mut self.settings.permutations).range(0..=10_000).speed(10))
                .on_hover_text("Shuffled surrogates per pair for a p-value (0 = no test); 1000 takes minutes on wide data");
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
            let mut units = cx.units;
            ui.selectable_value(&mut units, Units::Bits, "bits")
                .on_hover_text("Show MI in bits (log base 2)");
            ui.selectable_value(&mut units, Units::Nats, "nats")
                .on_hover_text("Show MI in nats (natural log), as scikit-learn reports it");
            if units != cx.units {
                cx.commands.push(Command::SetUnits(units));
            }
            ui.checkbox(&mut self.settings.cluster, "Cluster order")
                .on_hover_text("Order columns by average-linkage clustering on 1 − r_I so dependent columns sit together");
            ui.separator();
            if ui.button("Export long CSV").on_hover_text("One row per pair: x, y, n used, MI, unit, estimator, settings (Ctrl+E)").clicked() {
                self.export(cx, MatrixForm::Long);
            }
            if ui.button("Export wide CSV").on_hover_text("The square matrix, one row and one column per variable").clicked() {
                self.export(cx, MatrixForm::Wide);
            }
            if ui.button("Save PNG").on_hover_text("Save the heatmap as shown to a PNG image").clicked()
                && let Some(l) = &self.layout
            {
                let rect = l.full;
                let stem = cx.data.map_or("heatmap".to_string(), |d| file_stem(&d.name));
                cx.commands.push(Command::ExportPng {
                    file_name: format!("{stem}_heatmap.png"),
                    rect,
                });
            }
        });
    }
}

/// Dataset columns in display order: file order, or cluster order for a finished result.
fn display_order(
    cache: &mut Option<(u64, MatrixRequest, Vec<usize>)>,
    cluster: bool,
    generation: u64,
    view: &CellsView,
) -> Vec<usize> {
    let columns = view.request().columns.clone();
    let m = columns.len();
    let CellsView::Done(res) = view else {
        return columns;
    };
    if !cluster || m > MAX_CLUSTER {
        return columns;
    }
    if let Some((g, r, order)) = cache.as_ref()
        && *g == generation
        && *r == res.matrix.request
    {
        return order.iter().map(|&p| columns[p]).collect();
    }
    let order = average_linkage_order(m, |a, b| {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let mi = res.matrix.cells[pair_index(m, lo, hi)]
            .mi()
            .unwrap_or(f64::NAN);
        1.0 - info_coefficient(mi)
    });
    let out = order.iter().map(|&p| columns[p]).collect();
    *cache = Some((generation, res.matrix.request.clone(), order));
    out
}

enum CellsView<'a> {
    Streaming(&'a Streaming),
    Done(&'a HeatmapResult),
}

impl CellsView<'_> {
    fn request(&self) -> &MatrixRequest {
        match self {
            CellsView::Streaming(s) => &s.request,
            CellsView::Done(r) => &r.matrix.request,
        }
    }
    fn cell(&self, i: usize) -> Option<&PairCell> {
        match self {
            CellsView::Streaming(s) => s.cells.get(i).and_then(Option::as_ref),
            CellsView::Done(r) => r.matrix.cells.get(i),
        }
    }
    fn p_adjusted(&self, i: usize) -> Option<f64> {
        match self {
            CellsView::Streaming(_) => None,
            CellsView::Done(r) => r.matrix.p_adjusted.get(i).copied().filter(|p| !p.is_nan()),
        }
    }
    fn dense_mi(&self) -> &[f32] {
        match self {
            CellsView::Streaming(s) => &s.dense_mi,
            CellsView::Done(r) => &r.dense_mi,
        }
    }
    fn entropy(&self, pos: usize) -> f64 {
        match self {
            CellsView::Streaming(_) => f64::NAN,
            CellsView::Done(r) => r.entropies.get(pos).copied().unwrap_or(f64::NAN),
        }
    }
}

/// Pairs × rows above which a heatmap waits for the user's go-ahead (a 1,000,000-row
/// file with 20 columns is 190 kNN estimates on a million points each: minutes).
const AUTO_START_BUDGET: usize = 40_000_000;

fn too_big_to_start_alone(rows: usize, request: &MatrixRequest) -> bool {
    let m = request.columns.len();
    rows.saturating_mul(m * m.saturating_sub(1) / 2) > AUTO_START_BUDGET
}

/// Index of the unordered pair (a, b), a < b, of positions 0..m in `pairs_of` order.
pub fn pair_index(m: usize, a: usize, b: usize) -> usize {
    a * m - a * (a + 1) / 2 + (b - a - 1)
}

/// Plug-in entropy of a discrete column on its present values, NaN for continuous.
fn column_entropy(col: &Column, settings: &Settings) -> f64 {
    if !col.kind.is_discrete() {
        return f64::NAN;
    }
    let rows = complete_rows(&[col]);
    let values: Vec<f64> = rows.iter().map(|&r| col.values[r]).collect();
    if values.is_empty() {
        return f64::NAN;
    }
    let (codes, _) = discrete::codes(&values);
    discrete::entropy(&codes, settings.miller_madow)
}

pub fn file_stem(name: &str) -> String {
    std::path::Path::new(name).file_stem().map_or_else(
        || "export".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

const LABEL_MAX: f32 = 150.0;
const LEGEND_W: f32 = 110.0;

/// The value a cell shows on the current scale (None: no value for this scale).
fn scaled(
    view: &CellsView,
    scale: Scale,
    units: Units,
    i: usize,
    pa: usize,
    pb: usize,
) -> Option<f64> {
    let mi = view.cell(i)?.mi()?;
    scale_value(mi, scale, units, view.entropy(pa), view.entropy(pb))
}

/// MI (nats) on the chosen scale; `None` where the scale has no value (NMI of a pair
/// with a continuous column). `ha`, `hb`: the columns' entropies (NaN if continuous).
fn scale_value(mi: f64, scale: Scale, units: Units, ha: f64, hb: f64) -> Option<f64> {
    match scale {
        Scale::Raw => Some(units.from_nats(mi)),
        Scale::InfoCoefficient => Some(info_coefficient(mi)),
        Scale::NmiMin | Scale::NmiSqrt | Scale::NmiMean => {
            if ha.is_nan() || hb.is_nan() {
                return None;
            }
            let denom = match scale {
                Scale::NmiMin => ha.min(hb),
                Scale::NmiSqrt => (ha * hb).sqrt(),
                _ => (ha + hb) / 2.0,
            };
            Some(if denom > 0.0 {
                (mi / denom).clamp(0.0, 1.0)
            } else {
                0.0
            })
        }
    }
}

/// The heatmap's cells rendered to a texture (one texel per cell, or per block of
/// cells for very wide matrices), rebuilt only when something it shows changes: a
/// frame then costs the same for 10 columns or 5,000.
pub struct GridTexture {
    key: u64,
    handle: egui::TextureHandle,
    vmax: f64,
    built: std::time::Instant,
}

/// Texture side limit; wider matrices aggregate blocks of cells (maximum of the block).
const MAX_TEXELS: usize = 1024;

#[allow(clippy::too_many_arguments)]
fn draw_grid(
    ui: &mut egui::Ui,
    view: &CellsView,
    order: &[usize],
    names: &[&str],
    settings: &HeatmapSettings,
    cx: &mut PanelCtx,
    texture: &mut Option<GridTexture>,
    revision: u64,
    stale: bool,
    menu_pair: &mut Option<(usize, usize)>,
) -> GridLayout {
    let request = view.request();
    let m = request.columns.len();
    // Position within the request of each displayed column.
    let positions: Vec<usize> = order
        .iter()
        .filter_map(|&c| request.columns.iter().position(|&k| k == c))
        .collect();
    let avail = ui.available_rect_before_wrap();
    let font = FontId::proportional(12.0);
    let text_color = ui.visuals().text_color();

    // Labels only when the cells are tall enough to read them.
    let side_for = |label: f32| {
        (avail.width() - label - LEGEND_W)
            .min(avail.height() - label - 8.0)
            .max(10.0)
    };
    let show_labels = m <= 200 && side_for(LABEL_MAX) / m as f32 >= 10.0;
    let label_w = if show_labels {
        names
            .iter()
            .map(|n| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(truncate(n, 24), font.clone(), text_color)
                        .size()
                        .x
                })
            })
            .fold(0.0f32, f32::max)
            .min(LABEL_MAX)
            + 6.0
    } else {
        0.0
    };
    let cell = (side_for(label_w) / m as f32).min(80.0);
    let origin = avail.min + Vec2::new(label_w, label_w);
    let grid = Rect::from_min_size(origin, Vec2::splat(cell * m as f32));

    let (response, painter) = ui.allocate_painter(avail.size(), Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "MI heatmap"));

    let dim = settings.dim_insignificant && request.permutations > 0;
    let dark = ui.visuals().dark_mode;
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (revision, settings.scale, cx.units, dim, dark, &positions).hash(&mut h);
        h.finish()
    };
    // While a wide matrix streams in, redraw the texture a few times a second rather
    // than on every arriving cell: each rebuild touches every cell.
    let throttled = matches!(view, CellsView::Streaming(_))
        && m > 300
        && texture
            .as_ref()
            .is_some_and(|t| t.built.elapsed() < std::time::Duration::from_millis(250));
    if throttled {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(250));
    }
    if !throttled && texture.as_ref().is_none_or(|t| t.key != key) {
        let (image, vmax) = render_cells(
            view,
            &positions,
            settings.scale,
            cx.units,
            dim,
            ui.visuals(),
        );
        let handle = ui
            .ctx()
            .load_texture("mi-heatmap", image, egui::TextureOptions::NEAREST);
        *texture = Some(GridTexture {
            key,
            handle,
            vmax,
            built: std::time::Instant::now(),
        });
    }
    let vmax = texture.as_ref().map_or(1.0, |t| t.vmax);
    if let Some(t) = texture.as_ref() {
        painter.image(
            t.handle.id(),
            grid,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
    }
    if cell >= 38.0 {
        for (r, &pr) in positions.iter().enumerate() {
            for (c, &pc) in positions.iter().enumerate() {
                if pr == pc {
                    continue;
                }
                let (a, b) = if pr < pc { (pr, pc) } else { (pc, pr) };
                if let Some(v) = scaled(view, settings.scale, cx.units, pair_index(m, a, b), a, b) {
                    let rect = Rect::from_min_size(
                        origin + Vec2::new(c as f32 * cell, r as f32 * cell),
                        Vec2::splat(cell),
                    );
                    let bg = viridis((v.max(0.0) / vmax) as f32);
                    painter.text(
                        rect.center(),
                        Align2::CENTER_CENTER,
                        format!("{v:.2}"),
                        FontId::proportional(11.0),
                        text_on(bg),
                    );
                }
            }
        }
    }
    painter.rect_stroke(
        grid,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        StrokeKind::Outside,
    );

    if show_labels {
        for (i, name) in names.iter().enumerate() {
            let name = truncate(name, 24);
            let y = origin.y + (i as f32 + 0.5) * cell;
            painter.text(
                Pos2::new(origin.x - 4.0, y),
                Align2::RIGHT_CENTER,
                &name,
                font.clone(),
                text_color,
            );
            let x = origin.x + (i as f32 + 0.5) * cell;
            let galley = painter.layout_no_wrap(name, font.clone(), text_color);
            let h = galley.size().y;
            let shape = egui::epaint::TextShape::new(
                Pos2::new(x - h / 2.0, origin.y - 4.0),
                galley,
                text_color,
            )
            .with_angle(-std::f32::consts::FRAC_PI_2);
            painter.add(shape);
        }
    }

    draw_legend(
        &painter,
        grid,
        settings.scale,
        cx.units,
        vmax,
        text_color,
        stale,
    );

    // Hover and click.
    let hovered = response.hover_pos().and_then(|p| hit(grid, cell, m, p));
    let clicked = response
        .clicked()
        .then(|| response.interact_pointer_pos())
        .flatten()
        .and_then(|p| hit(grid, cell, m, p));
    if let Some((r, c)) = hovered
        && r != c
    {
        let (pr, pc) = (positions[r], positions[c]);
        let (a, b) = if pr < pc { (pr, pc) } else { (pc, pr) };
        let i = pair_index(m, a, b);
        let (xn, yn) = (names[c], names[r]);
        let units = cx.units;
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(format!("{xn} × {yn}"));
            match view.cell(i) {
                None => {
                    ui.label("computing…");
                }
                Some(cell) => match &cell.estimate {
                    Err(e) => {
                        ui.label(format!("no estimate: {e}"));
                    }
                    Ok(e) => {
                        ui.label(format!(
                            "MI = {} {}",
                            fmt(units.from_nats(e.mi)),
                            units.name()
                        ));
                        ui.label(format!("r_I = {}", fmt(info_coefficient(e.mi))));
                        if let Some(v) = scaled(view, settings.scale, units, i, a, b)
                            && matches!(
                                settings.scale,
                                Scale::NmiMin | Scale::NmiSqrt | Scale::NmiMean
                            )
                        {
                            ui.label(format!("{} = {}", settings.scale.title(), fmt(v)));
                        }
                        ui.label(format!("n used = {}", e.n_used));
                        let st = e.method.settings_text(&request.settings);
                        ui.label(format!(
                            "estimator: {}{}",
                            e.method.name(),
                            if st.is_empty() {
                                String::new()
                            } else {
                                format!(" ({st})")
                            }
                        ));
                        if let Some(t) = cell.test {
                            ui.label(format!(
                                "p = {} ({} permutations)",
                                fmt_p(t.p_value),
                                t.permutations
                            ));
                            if let Some(p) = view.p_adjusted(i) {
                                ui.label(format!("BH-adjusted p = {}", fmt_p(p)));
                            }
                        }
                        ui.weak("click to inspect the pair");
                    }
                },
            }
        });
    }
    if let Some((r, c)) = clicked
        && r != c
    {
        cx.commands.push(Command::Inspect {
            x: order[c],
            y: order[r],
            settings: request.settings.clone(),
        });
    }
    // The menu stays on the cell right-clicked, wherever the pointer goes next.
    if response.secondary_clicked() {
        *menu_pair = response
            .interact_pointer_pos()
            .and_then(|p| hit(grid, cell, m, p))
            .filter(|(r, c)| r != c)
            .map(|(r, c)| (c, r));
    }
    if let Some((c, r)) = *menu_pair
        && let (Some(&x), Some(&y)) = (order.get(c), order.get(r))
    {
        let title = format!(
            "Pair: {} × {}",
            names.get(c).copied().unwrap_or("?"),
            names.get(r).copied().unwrap_or("?")
        );
        response.context_menu(|ui| {
            ui.strong(title);
            if ui
                .button("Inspect pair")
                .on_hover_text("Open the pair inspector on these two columns")
                .clicked()
            {
                cx.commands.push(Command::Inspect {
                    x,
                    y,
                    settings: request.settings.clone(),
                });
                ui.close();
            }
            if ui
                .button("Sweep this pair")
                .on_hover_text(
                    "Open the Sensitivity tab on this pair: MI against bins, k and sample size",
                )
                .clicked()
            {
                cx.commands.push(Command::SweepPair { x, y });
                ui.close();
            }
        });
    }
    GridLayout {
        origin,
        cell,
        full: Rect::from_min_max(
            avail.min,
            Pos2::new(
                grid.max.x + LEGEND_W,
                grid.max.y.max(grid.min.y + 400.0) + 6.0,
            ),
        )
        .intersect(avail),
        order: order.to_vec(),
    }
}

/// Colours of every cell (blocks of cells above [`MAX_TEXELS`] columns, showing the
/// block's largest value) and the top of the colour scale.
fn render_cells(
    view: &CellsView,
    positions: &[usize],
    scale: Scale,
    units: Units,
    dim: bool,
    visuals: &egui::Visuals,
) -> (egui::ColorImage, f64) {
    let m = positions.len();
    let dense = view.dense_mi();
    let entropies: Vec<f64> = (0..m).map(|p| view.entropy(p)).collect();
    // Display index of each request position.
    let mut display = vec![0usize; m];
    for (d, &p) in positions.iter().enumerate() {
        if let Some(slot) = display.get_mut(p) {
            *slot = d;
        }
    }
    // One pass over the pairs in storage order (cache-friendly: a wide matrix is
    // millions of cells), keeping each texel's largest value.
    let block = m.div_ceil(MAX_TEXELS).max(1);
    let side = m.div_ceil(block).max(1);
    let mut best = vec![f32::NAN; side * side];
    let mut faded = vec![false; side * side];
    let mut vmax: f64 = 0.0;
    let mut i = 0;
    for a in 0..m {
        for b in a + 1..m {
            let mi = dense.get(i).copied().unwrap_or(f32::NAN);
            if !mi.is_nan()
                && let Some(v) =
                    scale_value(f64::from(mi), scale, units, entropies[a], entropies[b])
            {
                vmax = vmax.max(v);
                let fade = dim && view.p_adjusted(i).is_some_and(|p| p > ALPHA);
                let (ra, rb) = (display[a] / block, display[b] / block);
                for t in [ra * side + rb, rb * side + ra] {
                    if best[t].is_nan() || v as f32 > best[t] {
                        best[t] = v as f32;
                        faded[t] = fade;
                    }
                }
            }
            i += 1;
        }
    }
    if scale.bounded() {
        vmax = 1.0;
    } else if vmax <= 0.0 {
        vmax = 1e-9;
    }
    let (empty, diagonal) = (visuals.extreme_bg_color, visuals.faint_bg_color);
    let pixels = best
        .iter()
        .zip(&faded)
        .enumerate()
        .map(|(t, (&v, &fade))| {
            if v.is_nan() {
                if t / side == t % side {
                    diagonal
                } else {
                    empty
                }
            } else {
                let color = viridis((f64::from(v).max(0.0) / vmax) as f32);
                if fade {
                    color.lerp_to_gamma(empty, 0.7)
                } else {
                    color
                }
            }
        })
        .collect();
    (egui::ColorImage::new([side, side], pixels), vmax)
}

fn hit(grid: Rect, cell: f32, m: usize, p: Pos2) -> Option<(usize, usize)> {
    if !grid.contains(p) {
        return None;
    }
    let c = ((p.x - grid.min.x) / cell) as usize;
    let r = ((p.y - grid.min.y) / cell) as usize;
    (r < m && c < m).then_some((r, c))
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn draw_legend(
    painter: &egui::Painter,
    grid: Rect,
    scale: Scale,
    units: Units,
    vmax: f64,
    text: Color32,
    stale: bool,
) {
    let x = grid.max.x + 24.0;
    let h = grid.height().clamp(120.0, 400.0);
    let bar = Rect::from_min_size(Pos2::new(x, grid.min.y + 18.0), Vec2::new(18.0, h - 18.0));
    let steps = 64;
    for s in 0..steps {
        let t0 = s as f32 / steps as f32;
        let y0 = bar.max.y - t0 * bar.height();
        let y1 = bar.max.y - (s + 1) as f32 / steps as f32 * bar.height();
        painter.rect_filled(
            Rect::from_x_y_ranges(bar.x_range(), y1..=y0),
            0.0,
            viridis(t0 + 0.5 / steps as f32),
        );
    }
    painter.rect_stroke(bar, 0.0, Stroke::new(1.0, text), StrokeKind::Outside);
    let title = match scale {
        Scale::Raw => format!("MI ({})", units.name()),
        Scale::InfoCoefficient => "r_I".to_string(),
        Scale::NmiMin => "I/min(H)".to_string(),
        Scale::NmiSqrt => "I/√(HxHy)".to_string(),
        Scale::NmiMean => "2I/(Hx+Hy)".to_string(),
    };
    painter.text(
        Pos2::new(bar.min.x - 4.0, grid.min.y),
        Align2::LEFT_TOP,
        title,
        FontId::proportional(12.0),
        text,
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = bar.max.y - t as f32 * bar.height();
        painter.line_segment(
            [Pos2::new(bar.max.x, y), Pos2::new(bar.max.x + 4.0, y)],
            Stroke::new(1.0, text),
        );
        painter.text(
            Pos2::new(bar.max.x + 6.0, y),
            Align2::LEFT_CENTER,
            fmt_tick(t * vmax),
            FontId::proportional(11.0),
            text,
        );
    }
    if stale {
        painter.text(
            Pos2::new(bar.min.x - 4.0, bar.max.y + 8.0),
            Align2::LEFT_TOP,
            "(updating…)",
            FontId::proportional(11.0),
            text,
        );
    }
}

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v < 0.01 {
        format!("{v:.1e}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::pairs_of;

    #[test]
    fn pair_index_matches_pairs_of() {
        let cols: Vec<usize> = (0..7).collect();
        for (i, (a, b)) in pairs_of(&cols).into_iter().enumerate() {
            assert_eq!(pair_index(7, a, b), i);
        }
    }
}

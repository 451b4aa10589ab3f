//! One module per panel (tab). How a panel is built:
//!
//! ## Shape
//! ```ignore
//! #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
//! #[serde(default)]
//! pub struct FooSettings { /* what the user chose; persisted in state::State */ }
//!
//! pub struct FooPanel {
//!     pub settings: FooSettings,
//!     /// The result on screen and the (generation, request) it belongs to.
//!     shown: Option<(u64, FooRequest, Arc<FooResult>)>,
//!     cache: ResultCache<FooRequest, FooResult>,
//!     error: Option<String>,
//! }
//! impl FooPanel {
//!     pub fn new(settings: FooSettings) -> Self;
//!     /// Every frame, visible or not: collect finished work, start work that is due.
//!     pub fn tick(&mut self, cx: &mut PanelCtx);
//!     /// Only when the tab is visible.
//!     pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx);
//! }
//! ```
//! The app owns one of each in [`Panels`], copies `settings` into the persisted
//! `State` in `save()`, and hands them back through `new(settings)` at start.
//!
//! ## Asking for work (never estimate on the UI thread)
//! Build a request value from the settings and `cx.data` (dataset `Arc`, generation,
//! included columns). If `cache.get(generation, &request)` has it, show it. Otherwise
//! start a job under the panel's own key (a `const JOB: JobKey = "foo"`):
//! ```ignore
//! let ds = data.ds.clone();
//! cx.jobs.spawn(JOB, "mRMR ranking", Lane::Heavy, move |h| {
//!     Ok(analysis::mrmr::run(&ds, target, &cols, n, method, &settings, &h.progress)?)
//! });
//! ```
//! `Cancelled` converts into `JobError` with `?`. Starting a job for the same key
//! cancels the previous one, so re-requesting on every settings change is fine. Stream
//! partial results with `h.send_partial(value)` (the handle is `Sync`: call it inside
//! `par_iter` callbacks) and collect them in `tick` with `cx.jobs.take_partials::<T>(JOB)`.
//! Collect the outcome in `tick` with `cx.jobs.take_done::<FooResult>(JOB)`: `Ok` →
//! insert into the cache and show; `Err(JobError::Cancelled)` → keep the old result;
//! other errors → show in the panel. Remember which request a running job is for
//! (a `pending: Option<(u64, FooRequest)>`) so `tick` does not start it again.
//! Panels that run automatically (the heatmap) start in `tick`; the others start from
//! a "Run" button (`ui`), which has an accessible label tests click.
//!
//! ## Talking to the rest of the app
//! Panels never reach into each other or into the app: they push a [`Command`] onto
//! `cx.commands`, applied after the frame is drawn:
//! - `Command::Inspect { x, y, settings }` opens the pair inspector for two dataset
//!   columns (clicked heatmap cell, clicked scatter point, table row);
//! - `Command::ExportCsv { file_name, contents }` asks for a save location (or writes
//!   into the test export folder) and writes atomically with `export::atomic_write`;
//!   build `contents` with the `crate::export` table writers so CLI and window agree;
//! - `Command::ExportPng { file_name, rect }` saves the given screen rect (your plot's
//!   `response.rect`) as a PNG;
//! - `Command::Error(msg)` shows a dismissible error banner;
//! - `Command::SetUnits(u)` switches bits/nats everywhere (units are app-wide);
//! - `Command::SweepPair { x, y }` hands a pair to the Sensitivity tab (shown, sweep started).
//!
//! ## Large files
//! `cx.data.ds` is what to analyse: for a file over the large-file threshold it is a
//! seeded row subsample (with its own generation) unless the user chose "Use all
//! rows"; `cx.data.full` is the whole file, which only the Data panel shows. Switching
//! calls `dataset_changed(generation, keep)` with both generations in `keep`, so each
//! side's results stay cached.
//!
//! Shared helpers in [`widgets`]: `estimator_settings` (estimator, k, bins, strategy,
//! Miller–Madow, seed, each with its tooltip), `fmt` / `fmt_p` for numbers; and
//! `heatmap::file_stem(&data.name)` for export file names. Only characters that egui's
//! bundled fonts have (no ▸ ⚠ ⏶ ⏷ ◀ ▶): `tests/gui_glyphs.rs` checks every panel.
//!
//! Show values with `cx.units.from_nats(v)` and `cx.units.name()`. Give every control a
//! one-line `.on_hover_text(..)` and an accessible label (the button text, or
//! `labelled_by`) so egui_kittest tests can `get_by_label` it. The Ctrl+E shortcut calls
//! [`Panels::export_current`], which calls the visible panel's `export(cx)`.

pub mod compare;
pub mod conditional;
pub mod data;
pub mod heatmap;
pub mod mrmr;
pub mod sensitivity;

use super::jobs::JobRunner;
use super::loaded::Loaded;
use crate::estimate::{Settings, Units};
use serde::{Deserialize, Serialize};

/// The tabs, in display order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tab {
    Data,
    #[default]
    Heatmap,
    Compare,
    Conditional,
    Sensitivity,
    Mrmr,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Data,
        Tab::Heatmap,
        Tab::Compare,
        Tab::Conditional,
        Tab::Sensitivity,
        Tab::Mrmr,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Data => "Data",
            Tab::Heatmap => "MI heatmap",
            Tab::Compare => "Correlation vs MI",
            Tab::Conditional => "Conditional MI",
            Tab::Sensitivity => "Sensitivity",
            Tab::Mrmr => "mRMR",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            Tab::Data => {
                "The table as read: column kinds, missing cells, statistics; include or exclude columns"
            }
            Tab::Heatmap => "Mutual information of every pair of included columns",
            Tab::Compare => {
                "Where correlation misses a dependence: |Pearson| against MI for every pair"
            }
            Tab::Conditional => {
                "What a third column explains away or reveals: I(X;Y|Z) beside I(X;Y)"
            }
            Tab::Sensitivity => "How one pair's estimate depends on bins, k and sample size",
            Tab::Mrmr => "Rank features for a target by relevance minus redundancy",
        }
    }
}

/// What a panel asks of the app; applied after the frame.
#[derive(Clone, Debug)]
pub enum Command {
    /// Open the pair inspector on two dataset columns with these estimator settings.
    Inspect {
        x: usize,
        y: usize,
        settings: Settings,
    },
    /// Save a CSV table (save dialog, or the test export folder).
    ExportCsv { file_name: String, contents: String },
    /// Save this screen rectangle as a PNG.
    ExportPng { file_name: String, rect: egui::Rect },
    /// Include or exclude a column from analyses.
    SetIncluded { column: usize, included: bool },
    /// Override a column's kind.
    SetKind {
        column: usize,
        kind: crate::data::ColumnKind,
    },
    /// Show a dismissible error.
    Error(String),
    /// Switch to a tab.
    ShowTab(Tab),
    /// Show the Sensitivity tab on this pair of dataset columns and start its sweep.
    SweepPair { x: usize, y: usize },
    /// Change the display unit everywhere.
    SetUnits(Units),
}

/// What a panel gets each frame.
pub struct PanelCtx<'a> {
    /// `None` until a dataset is loaded.
    pub data: Option<&'a Loaded>,
    pub jobs: &'a mut JobRunner,
    pub units: Units,
    pub commands: &'a mut Vec<Command>,
}

/// All panels; the app owns one of each.
pub struct Panels {
    pub data: data::DataPanel,
    pub heatmap: heatmap::HeatmapPanel,
    pub compare: compare::ComparePanel,
    pub conditional: conditional::ConditionalPanel,
    pub sensitivity: sensitivity::SensitivityPanel,
    pub mrmr: mrmr::MrmrPanel,
}

impl Panels {
    pub fn new(state: &super::state::State) -> Self {
        Self {
            data: data::DataPanel::new(),
            heatmap: heatmap::HeatmapPanel::new(state.heatmap.clone()),
            compare: compare::ComparePanel::new(state.compare.clone()),
            conditional: conditional::ConditionalPanel::new(state.conditional.clone()),
            sensitivity: sensitivity::SensitivityPanel::new(state.sensitivity.clone()),
            mrmr: mrmr::MrmrPanel::new(state.mrmr.clone()),
        }
    }

    /// Every frame, before drawing: each panel collects results and starts due work.
    pub fn tick(&mut self, cx: &mut PanelCtx) {
        self.heatmap.tick(cx);
        self.compare.tick(cx);
        self.conditional.tick(cx);
        self.sensitivity.tick(cx);
        self.mrmr.tick(cx);
    }

    pub fn ui(&mut self, tab: Tab, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        match tab {
            Tab::Data => self.data.ui(ui, cx),
            Tab::Heatmap => self.heatmap.ui(ui, cx),
            Tab::Compare => self.compare.ui(ui, cx),
            Tab::Conditional => self.conditional.ui(ui, cx),
            Tab::Sensitivity => self.sensitivity.ui(ui, cx),
            Tab::Mrmr => self.mrmr.ui(ui, cx),
        }
    }

    /// Ctrl+E: export the visible panel's main table.
    pub fn export_current(&mut self, tab: Tab, cx: &mut PanelCtx) {
        match tab {
            Tab::Data => self.data.export(cx),
            Tab::Heatmap => self.heatmap.export(cx, heatmap::MatrixForm::Long),
            Tab::Compare => self.compare.export(cx),
            Tab::Conditional => self.conditional.export(cx),
            Tab::Sensitivity => self.sensitivity.export(cx),
            Tab::Mrmr => self.mrmr.export(cx),
        }
    }

    /// A new dataset, changed kinds, or a switch between a large file's subsample and
    /// all its rows: `generation` is analysed now; results of generations outside
    /// `keep` are dropped.
    pub fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.heatmap.dataset_changed(generation, keep);
        self.compare.dataset_changed(generation, keep);
        self.conditional.dataset_changed(generation, keep);
        self.sensitivity.dataset_changed(generation, keep);
        self.mrmr.dataset_changed(generation, keep);
    }
}

/// Shared small widgets.
pub mod widgets {
    use crate::estimate::{BinRule, BinStrategy, Estimator, Settings};

    /// Estimator, k, bins, strategy, Miller–Madow and seed, each with a tooltip.
    /// Returns true when anything changed.
    pub fn estimator_settings(ui: &mut egui::Ui, id: &str, s: &mut Settings) -> bool {
        let before = s.clone();
        ui.horizontal_wrapped(|ui| {
            ui.label("Estimator");
            egui::ComboBox::from_id_salt((id, "estimator"))
                .selected_text(estimator_title(s.estimator))
                .show_ui(ui, |ui| {
                    for e in Estimator::ALL {
                        ui.selectable_value(&mut s.estimator, e, estimator_title(e))
                            .on_hover_text(e.explain());
                    }
                })
                .response
                .on_hover_text(s.estimator.explain());
            ui.label("k");
            ui.add(egui::DragValue::new(&mut s.k).range(1..=100))
                .on_hover_text("Neighbours for the kNN estimators (KSG, Ross): small k = less bias, more variance");
            ui.label("Bins");
            let mut rule_kind = bin_rule_kind(s.bins);
            egui::ComboBox::from_id_salt((id, "bins"))
                .selected_text(bin_rule_title(s.bins))
                .show_ui(ui, |ui| {
                    for (k, title, tip) in BIN_RULES {
                        ui.selectable_value(&mut rule_kind, k, title).on_hover_text(tip);
                    }
                })
                .response
                .on_hover_text("How many bins the histogram and plug-in estimators use for a continuous column");
            s.bins = match rule_kind {
                0 => BinRule::Sqrt,
                1 => BinRule::Sturges,
                2 => BinRule::Scott,
                3 => BinRule::FreedmanDiaconis,
                _ => match s.bins {
                    BinRule::Fixed(n) => BinRule::Fixed(n),
                    _ => BinRule::Fixed(10),
                },
            };
            if let BinRule::Fixed(n) = &mut s.bins {
                ui.add(egui::DragValue::new(n).range(1..=1000))
                    .on_hover_text("Fixed number of bins per continuous column");
            }
            egui::ComboBox::from_id_salt((id, "strategy"))
                .selected_text(s.strategy.name())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut s.strategy, BinStrategy::EqualWidth, "equal-width")
                        .on_hover_text("Bins of equal width between the minimum and maximum");
                    ui.selectable_value(&mut s.strategy, BinStrategy::EqualFrequency, "equal-frequency")
                        .on_hover_text("Bins holding about the same number of rows (quantiles)");
                })
                .response
                .on_hover_text("How bin edges are placed");
            ui.checkbox(&mut s.miller_madow, "Miller–Madow")
                .on_hover_text("Bias correction (m−1)/2n for plug-in and histogram estimates");
            ui.label("Seed");
            ui.add(egui::DragValue::new(&mut s.seed))
                .on_hover_text("Seed for tie-breaking jitter, permutations and subsamples: same seed, same numbers");
        });
        *s != before
    }

    const BIN_RULES: [(u8, &str, &str); 5] = [
        (0, "sqrt(n)", "√n bins"),
        (
            1,
            "Sturges",
            "log2(n) + 1 bins: good for near-normal data, too few for large n",
        ),
        (
            2,
            "Scott",
            "bin width 3.49·σ·n^(−1/3): for near-normal data",
        ),
        (
            3,
            "Freedman–Diaconis",
            "bin width 2·IQR·n^(−1/3): robust to outliers",
        ),
        (4, "fixed", "a fixed bin count you choose"),
    ];

    fn bin_rule_kind(b: BinRule) -> u8 {
        match b {
            BinRule::Sqrt => 0,
            BinRule::Sturges => 1,
            BinRule::Scott => 2,
            BinRule::FreedmanDiaconis => 3,
            BinRule::Fixed(_) => 4,
        }
    }

    pub fn bin_rule_title(b: BinRule) -> String {
        match b {
            BinRule::Fixed(n) => format!("fixed {n}"),
            other => BIN_RULES[bin_rule_kind(other) as usize].1.to_string(),
        }
    }

    pub fn estimator_title(e: Estimator) -> &'static str {
        match e {
            Estimator::Auto => "Auto (by column kinds)",
            Estimator::Ksg1 => "KSG 1",
            Estimator::Ksg2 => "KSG 2",
            Estimator::Histogram => "Histogram",
            Estimator::Gaussian => "Gaussian",
            Estimator::Copula => "Gaussian copula",
            Estimator::PlugIn => "Plug-in (counts)",
        }
    }

    /// A number for display: 4 significant decimals, "–" for NaN.
    pub fn fmt(v: f64) -> String {
        if v.is_nan() {
            "–".into()
        } else if v != 0.0 && v.abs() < 1e-3 {
            format!("{v:.2e}")
        } else {
            format!("{v:.4}")
        }
    }

    /// p-values: "< 0.001" style below a threshold.
    pub fn fmt_p(p: f64) -> String {
        if p.is_nan() {
            "–".into()
        } else if p < 0.001 {
            format!("{p:.1e}")
        } else {
            format!("{p:.3}")
        }
    }
}

/// Table order of two rows: by name (`by_name`, reversed when descending) or by a
/// numeric key, ascending or descending, with NaN keys (too little data) always last.
pub(crate) fn row_order(
    by_name: Option<std::cmp::Ordering>,
    (a, b): (f64, f64),
    descending: bool,
) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Greater, Less};
    let o = match (by_name, a.is_nan(), b.is_nan()) {
        (Some(o), _, _) => o,
        (None, true, false) => return Greater,
        (None, false, true) => return Less,
        (None, _, _) => a.total_cmp(&b),
    };
    if descending { o.reverse() } else { o }
}

/// Collects the finished job of a Run-button panel: on success, the (generation,
/// request) it was started for and its value; a cancelled job leaves the shown result
/// as it was; a failure goes into `error`.
pub(crate) fn take_finished<T: 'static, R>(
    jobs: &mut JobRunner,
    key: super::jobs::JobKey,
    pending: &mut Option<(u64, R)>,
    error: &mut Option<String>,
) -> Option<(u64, R, T)> {
    let done = jobs.take_done::<T>(key)?;
    let pending = pending.take();
    match done {
        Ok(value) => {
            *error = None;
            pending.map(|(g, r)| (g, r, value))
        }
        Err(super::jobs::JobError::Cancelled) => None,
        Err(e) => {
            *error = Some(e.to_string());
            None
        }
    }
}

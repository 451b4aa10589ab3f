//! One module per panel (tab), all of one shape: the [`Panel`] trait. Adding a panel is
//! one new module plus one line in the [`panels!`] list below (CONTRIBUTING.md walks
//! through it).
//!
//! ## Shape
//! A panel is a struct that owns its persisted settings and, behind `#[serde(skip)]`,
//! its transient state: one [`Computation`](crate::app::computation::Computation) per
//! analysis it runs (request → job → result, with cache, pending, error and cancel) and
//! whatever drawing needs between frames (plot rectangles, sort orders). It serialises
//! as its settings alone (`#[serde(transparent)]`), so the app persists every panel's
//! settings by serialising [`Panels`]. A panel with a Run button implements
//! [`run_panel::RunPanel`] (what differs: request, job, words, export, drawing) and gets
//! its `Panel` methods from one blanket implementation.
//!
//! ## Never estimate on the UI thread
//! Build a request value from the settings and `cx.data` (dataset `Arc`, generation,
//! included columns) and hand it to `Computation::start` with a closure that calls the
//! `analysis` function; collect it in `tick` with `Computation::tick`. Panels that run
//! by themselves (the heatmap) start in `tick`; the others from their Run button.
//!
//! ## Talking to the rest of the app
//! Panels never reach into each other or into the app: they push a
//! [`Command`](crate::app::commands::Command) onto `cx.commands`, applied after the
//! frame. Export, copy and PNG go through [`perform`], so every panel's buttons behave
//! the same; the tables come from the `crate::export` writers the CLI uses too.
//!
//! ## Large files
//! `cx.data.ds` is what to analyse: for a file over the large-file threshold it is a
//! seeded row subsample (with its own generation) unless the user chose "Use all
//! rows"; `cx.data.full` is the whole file, which only the Data panel shows. Switching
//! calls `dataset_changed(generation, keep)` with both generations in `keep`, so each
//! side's results stay cached.
//!
//! Shared widgets live in [`crate::app::widgets`]. Use only characters that egui's
//! bundled fonts have (no ▸ ⚠ ⏶ ⏷ ◀ ▶): a GUI test checks every panel's source.

/// What every Run-button panel answers alike: its result on screen and whether its job
/// runs (tests read both). Expands inside the panel's `impl` over a `view.run`
/// [`Computation`].
macro_rules! run_panel_accessors {
    ($result:ty) => {
        /// The result on screen.
        pub fn result(&self) -> Option<&$result> {
            self.view.run.shown().map(|r| r.as_ref())
        }

        /// True while the panel's job runs.
        pub fn is_computing(&self) -> bool {
            self.view.run.is_computing()
        }
    };
}

#[macro_use]
pub mod run_panel;

pub mod compare;
pub mod conditional;
pub mod data;
pub mod heatmap;
pub mod higher_order;
pub mod mrmr;
pub mod network;

pub mod sensitivity;
pub mod target;

use super::commands::{Command, Table};
use super::computation::Computation;
use super::jobs::{JobKey, JobRunner};
use super::loaded::Loaded;
use super::widgets::{self, Action, ActionRow, file_stem};
use crate::estimate::Units;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a panel gets each frame.
pub struct PanelCtx<'a> {
    /// `None` until a dataset is loaded.
    pub data: Option<&'a Loaded>,
    pub jobs: &'a mut JobRunner,
    pub units: Units,
    pub commands: &'a mut Vec<Command>,
    /// The heatmap's finished matrix as of the start of the frame, for the views drawn
    /// from it (target, network): they read it here instead of reaching into the
    /// heatmap panel.
    pub heatmap: Option<SharedMatrix>,
}

/// A finished heatmap matrix and the dataset generation it was computed on (an `Arc`:
/// handing it to a view or a job copies nothing).
#[derive(Clone)]
pub struct SharedMatrix {
    pub generation: u64,
    pub result: Arc<heatmap::HeatmapResult>,
}

impl SharedMatrix {
    /// The matrix when it is of this generation and covers `columns` (dataset
    /// indices) under these settings and permutations.
    pub fn covering(
        &self,
        generation: u64,
        columns: &[usize],
        settings: &crate::estimate::Settings,
        permutations: usize,
    ) -> Option<&crate::analysis::matrix::MatrixResult> {
        let m = &self.result.matrix;
        let r = &m.request;
        (self.generation == generation
            && r.settings == *settings
            && r.permutations == permutations
            && columns.iter().all(|c| r.columns.contains(c)))
        .then_some(m)
    }
}

/// Every panel's shape. Only `ui` and `table` are required; besides the trait, a panel
/// type has two constants the tab bar shows: `pub const TITLE: &str` (the tab's name)
/// and `pub const EXPLAIN: &str` (its tooltip: what the panel answers, in one line).
pub trait Panel {
    /// Every frame, visible or not: collect finished work, start work that is due.
    fn tick(&mut self, _cx: &mut PanelCtx) {}
    /// Only when the tab is visible.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx);
    /// A new dataset, changed kinds, or a switch between a large file's subsample and
    /// all its rows: `generation` is analysed now; results of generations outside
    /// `keep` are dropped.
    fn dataset_changed(&mut self, _generation: u64, _keep: &[u64]) {}
    /// The Run button: start the analysis for the current settings.
    fn run(&mut self, _cx: &mut PanelCtx) {}
    /// The main table (Export CSV, Ctrl+E, Copy), or why there is none yet.
    fn table(&self, cx: &PanelCtx) -> Result<Table, String>;
    /// The plot to save as PNG: file name and screen rectangle, or why there is none.
    fn image(&self, _cx: &PanelCtx) -> Result<(String, egui::Rect), String> {
        Err("This panel has no plot to save.".into())
    }
}

/// The words a Run-button panel shows around its result.
pub struct Messages<'a> {
    /// "The comparison failed": followed by the error.
    pub failed: &'a str,
    /// While the first result is computing.
    pub computing: &'a str,
    /// Before anything ran.
    pub idle: &'a str,
    /// When the result on screen answers older settings.
    pub stale: String,
}

/// The common top of a Run-button panel's body: the error of a failed run, "open a file
/// first", the computing or idle note, and the stale-result note. Returns the data and
/// the result to draw, or `None` when there is nothing to draw yet.
pub fn result_to_draw<'d, Req: Clone + PartialEq, Res, P>(
    ui: &mut egui::Ui,
    data: Option<&'d Loaded>,
    run: &Computation<Req, Res, P>,
    wanted: Option<&(u64, Req)>,
    words: Messages,
) -> Option<(&'d Loaded, Arc<Res>)> {
    if let Some(e) = run.error() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("{}: {e}", words.failed),
        );
    }
    let Some(data) = data else {
        ui.label("Open a CSV file first (File > Open CSV…).");
        return None;
    };
    let Some(res) = run.shown().cloned() else {
        ui.label(if run.is_computing() {
            words.computing
        } else {
            words.idle
        });
        return None;
    };
    if run.is_stale(wanted) {
        ui.colored_label(ui.visuals().warn_fg_color, words.stale);
    }
    Some((data, res))
}

/// The data and the result on screen, for an export; `missing` says what to do first.
pub fn shown_for_export<'d, Req: Clone + PartialEq, Res, P>(
    data: Option<&'d Loaded>,
    run: &'d Computation<Req, Res, P>,
    missing: &str,
) -> Result<(&'d Loaded, &'d Arc<Res>), String> {
    match (data, run.shown()) {
        (Some(d), Some(r)) => Ok((d, r)),
        _ => Err(missing.to_string()),
    }
}

/// The PNG of a plot drawn last frame (`rect`, when a result is `shown`):
/// `{file stem}_{suffix}.png`, or `missing`.
pub fn plot_image(
    cx: &PanelCtx,
    (rect, shown): (Option<egui::Rect>, bool),
    suffix: &str,
    missing: &str,
) -> Result<(String, egui::Rect), String> {
    let rect = rect.filter(|_| shown).ok_or(missing)?;
    let stem = cx
        .data
        .map_or_else(|| suffix.to_string(), |d| file_stem(&d.name));
    Ok((format!("{stem}_{suffix}.png"), rect))
}

/// The end of a Run-button panel's control row: the units switch and the Run / Export
/// CSV / Save PNG / Copy buttons (spinner while `job` runs); the button clicked.
pub fn units_and_actions<T, P>(
    ui: &mut egui::Ui,
    cx: &mut PanelCtx,
    job: JobKey<T, P>,
    run: (&str, &str),
    (csv_tip, png_tip): (&str, &str),
) -> Option<Action> {
    ui.separator();
    widgets::units_toggle(ui, cx.units, cx.commands);
    ui.separator();
    ActionRow {
        run: Some(run),
        ready: (cx.data.is_some(), cx.jobs.is_running(job)),
        csv_tip,
        png_tip: Some(png_tip),
    }
    .show(ui)
}

/// Carries out an action-row button (or its shortcut) the same way for every panel.
pub fn perform(panel: &mut dyn Panel, action: Action, cx: &mut PanelCtx) {
    let command = match action {
        Action::Run => {
            panel.run(cx);
            return;
        }
        Action::ExportCsv => match panel.table(cx) {
            Ok(t) => Command::ExportCsv {
                file_name: t.file_name,
                contents: t.csv,
            },
            Err(e) => Command::Error(e),
        },
        Action::Copy => match panel.table(cx) {
            Ok(t) => match t.tsv() {
                Some(text) => Command::Copy {
                    what: format!("table {}", t.file_name.trim_end_matches(".csv")),
                    text,
                },
                None => Command::Error("Could not copy the table.".into()),
            },
            Err(e) => Command::Error(e),
        },
        Action::SavePng => match panel.image(cx) {
            Ok((file_name, rect)) => Command::ExportPng { file_name, rect },
            Err(e) => Command::Error(e),
        },
    };
    cx.commands.push(command);
}

/// Declares the tabs and the panels behind them, in display order: `Tab::Variant =>
/// field: Type`. This list is the only place that names every panel.
macro_rules! panels {
    ($($(#[$attr:meta])* $tab:ident => $field:ident: $ty:ty),* $(,)?) => {
        /// The tabs, in display order.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Tab { $($(#[$attr])* $tab),* }

        impl Tab {
            pub const ALL: &[Tab] = &[$(Tab::$tab),*];

            pub fn title(self) -> &'static str {
                match self { $(Tab::$tab => <$ty>::TITLE),* }
            }

            pub fn explain(self) -> &'static str {
                match self { $(Tab::$tab => <$ty>::EXPLAIN),* }
            }
        }

        /// All panels; the app owns one of each and persists them (their settings).
        #[derive(Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Panels { $(pub $field: $ty),* }

        impl Panels {
            pub fn get(&self, tab: Tab) -> &dyn Panel {
                match tab { $(Tab::$tab => &self.$field),* }
            }

            pub fn get_mut(&mut self, tab: Tab) -> &mut dyn Panel {
                match tab { $(Tab::$tab => &mut self.$field),* }
            }

            pub fn all_mut(&mut self) -> Vec<&mut dyn Panel> {
                vec![$(&mut self.$field as &mut dyn Panel),*]
            }
        }
    };
}

panels! {
    Data => data: data::DataPanel,
    #[default]
    Heatmap => heatmap: heatmap::HeatmapPanel,
    Compare => compare: compare::ComparePanel,
    Conditional => conditional: conditional::ConditionalPanel,
    Sensitivity => sensitivity: sensitivity::SensitivityPanel,
    Mrmr => mrmr: mrmr::MrmrPanel,
    Target => target: target::TargetPanel,
    Network => network: network::NetworkPanel,
    HigherOrder => higher_order: higher_order::HigherOrderPanel,

}

impl Panels {
    /// Every frame, before drawing: each panel collects results and starts due work.
    pub fn tick(&mut self, cx: &mut PanelCtx) {
        for p in self.all_mut() {
            p.tick(cx);
        }
    }

    pub fn ui(&mut self, tab: Tab, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.get_mut(tab).ui(ui, cx);
    }

    /// Ctrl+E and File > Export: the visible panel's main table.
    pub fn export_current(&mut self, tab: Tab, cx: &mut PanelCtx) {
        perform(self.get_mut(tab), Action::ExportCsv, cx);
    }

    pub fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        for p in self.all_mut() {
            p.dataset_changed(generation, keep);
        }
    }
}

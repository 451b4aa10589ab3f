//! The Data panel: how the file was read (per-column kind, missing cells, statistics,
//! category order; [`columns`]), include/exclude and kind overrides, and every row of
//! the file, sortable by any column ([`rows`]).
//!
//! Both tables draw only what is in view, so a million-row or thousands-of-columns file
//! scrolls as smoothly as a small one.

mod columns;
mod rows;

use super::{Command, Panel, PanelCtx, perform};
use crate::app::commands::Table;
use crate::app::loaded::Loaded;
use crate::app::widgets::{Action, file_stem};
use crate::data::select::{ColumnPattern, Mode};
use egui::{Pos2, RichText};
use serde::{Deserialize, Serialize};

/// Nothing here is persisted: the filter and the sort belong to one file.
#[derive(Default, Serialize, Deserialize)]
pub struct DataPanel {
    #[serde(skip)]
    filter: String,
    #[serde(skip)]
    rows: rows::RowSort,
}

impl DataPanel {
    /// Centre of a column's header in the row table as drawn last frame (for tests).
    pub fn header_center(&self, column: usize) -> Option<Pos2> {
        self.rows.header_center(column)
    }

    /// The columns the filter matches (every column for an empty or invalid filter).
    pub fn filter_matches(&self, data: &Loaded) -> Vec<usize> {
        let ds = &data.ds;
        ColumnPattern::parse(&self.filter, Mode::Contains).map_or_else(
            |_| (0..ds.columns.len()).collect(),
            |p| p.select(ds.columns.iter().map(|c| c.name.as_str())),
        )
    }

    /// The row order on screen (data row indices), when the table is sorted.
    pub fn sorted_rows(&self, data: &Loaded) -> Option<Vec<u32>> {
        self.rows.sorted(data).map(|o| o.as_ref().clone())
    }

    pub const TITLE: &'static str = "Data";
    pub const EXPLAIN: &'static str =
        "The table as read: column kinds, missing cells, statistics; include or exclude columns";
}

const FILTER_TIP: &str = "Show only matching columns. Separate terms with , or | (any term matches): \
    a plain term matches names that contain it (ignoring case), data.1* and x? are globs over \
    the whole name, /regex/ is a regular expression (/regex/i ignores case).";

impl DataPanel {
    /// "n of N columns match", and buttons that include or exclude just the matches.
    fn matches_row(&self, ui: &mut egui::Ui, cx: &mut PanelCtx, shown: &[usize], all: usize) {
        ui.horizontal(|ui| {
            let word = if all == 1 { "column" } else { "columns" };
            ui.label(format!("{} of {all} {word} match", shown.len()));
            let mut set = None;
            if ui
                .add_enabled(!shown.is_empty(), egui::Button::new("Include matches"))
                .on_hover_text("Use every matching column in the analyses")
                .clicked()
            {
                set = Some(true);
            }
            if ui
                .add_enabled(!shown.is_empty(), egui::Button::new("Exclude matches"))
                .on_hover_text("Leave every matching column out of the analyses")
                .clicked()
            {
                set = Some(false);
            }
            if ui
                .add_enabled(!shown.is_empty(), egui::Button::new("Only matches"))
                .on_hover_text("Include the matching columns and exclude all others")
                .clicked()
            {
                cx.commands
                    .extend((0..all).map(|column| Command::SetIncluded {
                        column,
                        included: shown.contains(&column),
                    }));
            }
            if let Some(included) = set {
                cx.commands.extend(
                    shown
                        .iter()
                        .map(|&column| Command::SetIncluded { column, included }),
                );
            }
        });
    }
}

impl Panel for DataPanel {
    fn table(&self, cx: &PanelCtx) -> Result<Table, String> {
        let data = cx
            .data
            .ok_or("Nothing to export yet: open a CSV file first.")?;
        Ok(Table {
            file_name: format!("{}_columns.csv", file_stem(&data.name)),
            csv: crate::export::info_csv(&data.full),
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        let Some(data) = cx.data else {
            ui.label("No data yet. Open a CSV file (Ctrl+O), drop one on the window, or pick File > Sample data.");
            return;
        };
        let mut export = None;
        // The whole file, also while the analyses read a subsample of a large one.
        let ds = &data.full;
        ui.horizontal(|ui| {
            ui.heading(&data.name);
            ui.label(format!(
                "{} rows × {} columns, {} included",
                crate::app::thousands(ds.n_rows),
                ds.columns.len(),
                data.included.iter().filter(|&&b| b).count()
            ));
        });
        for w in &ds.warnings {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Note: {w}"));
        }
        ui.horizontal(|ui| {
            ui.label("Filter columns");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .desired_width(220.0)
                    .hint_text("name, data.1*, /regex/"),
            )
            .on_hover_text(FILTER_TIP);
            let mut include_all = None;
            if ui
                .button("Include all")
                .on_hover_text("Use every column in the analyses (identifier-like ones too)")
                .clicked()
            {
                include_all = Some(true);
            }
            if ui
                .button("Exclude all")
                .on_hover_text("Exclude every column; then tick the ones you want")
                .clicked()
            {
                include_all = Some(false);
            }
            if let Some(included) = include_all {
                cx.commands.extend(
                    (0..ds.columns.len()).map(|column| Command::SetIncluded { column, included }),
                );
            }
            if ui
                .button("Export summary CSV")
                .on_hover_text("Per column: kind, missing, distinct, min/max/mean (Ctrl+E)")
                .clicked()
            {
                export = Some(Action::ExportCsv);
            }
            if ui
                .button("Copy summary")
                .on_hover_text("Copy the column summary as tab-separated text")
                .clicked()
            {
                export = Some(Action::Copy);
            }
        });
        ui.separator();

        let shown = match ColumnPattern::parse(&self.filter, Mode::Contains) {
            Ok(pattern) => {
                let shown = pattern.select(ds.columns.iter().map(|c| c.name.as_str()));
                if !pattern.is_empty() {
                    self.matches_row(ui, cx, &shown, ds.columns.len());
                }
                shown
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Filter: {e}"));
                (0..ds.columns.len()).collect()
            }
        };

        columns::summary_table(ui, cx, data, &shown);
        ui.separator();
        ui.label(RichText::new(self.rows.caption(data)).strong());
        self.rows.ui(ui, cx, data, &shown);
        if let Some(a) = export {
            perform(self, a, cx);
        }
    }

    fn tick(&mut self, cx: &mut PanelCtx) {
        self.rows.tick(cx);
    }

    fn dataset_changed(&mut self, _generation: u64, keep: &[u64]) {
        self.rows.dataset_changed(keep);
    }
}

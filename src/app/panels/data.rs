//! The Data panel: how the file was read (per-column kind, missing cells, statistics),
//! include/exclude and kind overrides, and a preview of the rows.
//!
//! Both tables draw only their visible rows (`show_rows`), so a million-row or
//! thousands-of-columns file scrolls as smoothly as a small one.

use super::{Command, Panel, PanelCtx, perform};
use crate::app::commands::Table;
use crate::app::loaded::Loaded;
use crate::app::widgets::{Action, file_stem};
use crate::data::ColumnKind;
use crate::data::select::{ColumnPattern, Mode};
use egui::{Align, Layout, RichText, Vec2};
use serde::{Deserialize, Serialize};

/// Rows shown in the preview (the estimators see them all).
pub const PREVIEW_ROWS: usize = 200;

const COL_W: f32 = 110.0;

/// Nothing here is persisted: the filter belongs to one file.
#[derive(Default, Serialize, Deserialize)]
pub struct DataPanel {
    #[serde(skip)]
    filter: String,
}

impl DataPanel {
    pub const TITLE: &'static str = "Data";
    pub const EXPLAIN: &'static str =
        "The table as read: column kinds, missing cells, statistics; include or exclude columns";
}

impl DataPanel {
    /// The columns the filter matches (every column for an empty or invalid filter).
    pub fn filter_matches(&self, data: &Loaded) -> Vec<usize> {
        let ds = &data.ds;
        ColumnPattern::parse(&self.filter, Mode::Contains).map_or_else(
            |_| (0..ds.columns.len()).collect(),
            |p| p.select(ds.columns.iter().map(|c| c.name.as_str())),
        )
    }
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

        let avail = ui.available_height();
        let summary_h = (avail * 0.45).max(160.0);
        ui.label(RichText::new("Columns").strong());
        // Header.
        let widths = [
            28.0, 190.0, 120.0, 90.0, 70.0, 70.0, 90.0, 90.0, 90.0, 260.0,
        ];
        let headers = [
            ("Use", "Include the column in analyses"),
            ("Column", "Column name from the header row"),
            (
                "Kind",
                "How the estimators treat it; change it if detection was wrong",
            ),
            ("Detected", "The kind detected from the values"),
            ("Missing", "Empty or missing-token cells"),
            ("Distinct", "Distinct present values"),
            ("Min", "Smallest value (numeric columns)"),
            ("Max", "Largest value (numeric columns)"),
            ("Mean", "Mean of the present values (numeric columns)"),
            ("Note", "Why a column is excluded by default"),
        ];
        egui::ScrollArea::horizontal()
            .id_salt("columns-h")
            .show(ui, |ui| {
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        for ((h, tip), w) in headers.iter().zip(widths) {
                            ui.allocate_ui_with_layout(
                                Vec2::new(w, 18.0),
                                Layout::left_to_right(Align::Center),
                                |ui| {
                                    ui.set_min_size(Vec2::new(w, 18.0));
                                    ui.label(RichText::new(*h).strong()).on_hover_text(*tip);
                                },
                            );
                        }
                    });
                    let row_h = ui.spacing().interact_size.y + 2.0;
                    egui::ScrollArea::vertical()
                        .id_salt("columns-v")
                        .max_height(summary_h)
                        .auto_shrink([false, true])
                        .show_rows(ui, row_h, shown.len(), |ui, range| {
                            for &i in &shown[range] {
                                let col = &ds.columns[i];
                                let sum = data.summaries.get(i);
                                ui.horizontal(|ui| {
                                    let mut inc = data.included.get(i).copied().unwrap_or(false);
                                    let r = ui.add_sized(
                                        [widths[0], row_h],
                                        egui::Checkbox::without_text(&mut inc),
                                    );
                                    let r = r.on_hover_text(format!(
                                        "Include '{}' in analyses",
                                        col.name
                                    ));
                                    r.widget_info(|| {
                                        egui::WidgetInfo::selected(
                                            egui::Role::CheckBox,
                                            true,
                                            inc,
                                            format!("Include {}", col.name),
                                        )
                                    });
                                    if r.changed() {
                                        cx.commands.push(Command::SetIncluded {
                                            column: i,
                                            included: inc,
                                        });
                                    }
                                    cell(ui, widths[1], &col.name);
                                    // The summary has a chosen kind at once; the data
                                    // follow when a large file's copy is done.
                                    let current = sum.map_or(col.kind, |s| s.kind);
                                    let mut kind = current;
                                    ui.allocate_ui_with_layout(
                                        Vec2::new(widths[2], row_h),
                                        Layout::left_to_right(Align::Center),
                                        |ui| {
                                            egui::ComboBox::from_id_salt(("kind", i))
                                                .width(widths[2] - 10.0)
                                                .selected_text(kind.name())
                                                .show_ui(ui, |ui| {
                                                    for k in ColumnKind::ALL {
                                                        ui.selectable_value(&mut kind, k, k.name())
                                                            .on_hover_text(kind_explain(k));
                                                    }
                                                })
                                                .response
                                                .on_hover_text(kind_explain(current));
                                        },
                                    );
                                    if kind != current {
                                        cx.commands.push(Command::SetKind { column: i, kind });
                                    }
                                    cell(ui, widths[3], col.detected.name());
                                    cell(ui, widths[4], &col.missing.to_string());
                                    cell(
                                        ui,
                                        widths[5],
                                        &sum.map_or(String::new(), |s| s.distinct.to_string()),
                                    );
                                    let opt = |v: Option<f64>| v.map_or(String::new(), stat);
                                    cell(ui, widths[6], &opt(sum.and_then(|s| s.min)));
                                    cell(ui, widths[7], &opt(sum.and_then(|s| s.max)));
                                    cell(ui, widths[8], &opt(sum.and_then(|s| s.mean)));
                                    let note = col.excluded_reason.clone().unwrap_or_default();
                                    cell(ui, widths[9], &note);
                                });
                            }
                        });
                });
            });

        ui.separator();
        ui.label(RichText::new(format!("First {} rows", PREVIEW_ROWS.min(ds.n_rows))).strong());
        preview(ui, ds, &shown);
        if let Some(a) = export {
            perform(self, a, cx);
        }
    }
}

fn cell(ui: &mut egui::Ui, w: f32, text: &str) {
    let h = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        Vec2::new(w, h),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_min_size(Vec2::new(w, h));
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

fn kind_explain(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Continuous => {
            "real-valued measurements: kNN (KSG), histogram and Gaussian estimators"
        }
        ColumnKind::Discrete => "integers with few distinct values: estimated from counts",
        ColumnKind::Categorical => "text labels (or codes): estimated from counts",
    }
}

/// A statistic as a reader would write it: up to 6 significant digits, no trailing zeros.
fn stat(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v != 0.0 && (v.abs() >= 1e7 || v.abs() < 1e-4) {
        return format!("{v:.4e}");
    }
    let digits = (6 - (v.abs().max(1e-300).log10().floor() as i32 + 1)).clamp(0, 10) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The first rows as a grid painted cell by cell, only the cells in view: a file with
/// thousands of columns costs the same per frame as one with ten. The header row and
/// the row numbers stay in place while scrolling.
fn preview(ui: &mut egui::Ui, ds: &crate::data::Dataset, shown: &[usize]) {
    let n = PREVIEW_ROWS.min(ds.n_rows);
    let font = egui::FontId::proportional(13.0);
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let num_w = 50.0;
    let total = Vec2::new(num_w + shown.len() as f32 * COL_W, (n + 1) as f32 * row_h);
    let visuals = ui.visuals().clone();
    egui::ScrollArea::both()
        .id_salt("preview")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let origin = ui.min_rect().min;
            let (_, response) = ui.allocate_exact_size(total, egui::Sense::hover());
            let painter = ui.painter().clone();
            let first_col = ((viewport.min.x - num_w) / COL_W).floor().max(0.0) as usize;
            let last_col =
                (((viewport.max.x - num_w) / COL_W).ceil().max(0.0) as usize).min(shown.len());
            let first_row = (viewport.min.y / row_h).floor().max(0.0) as usize;
            let last_row = ((viewport.max.y / row_h).ceil() as usize).min(n + 1);
            let cell_rect = |x: f32, y: f32, w: f32| {
                egui::Rect::from_min_size(origin + Vec2::new(x, y), Vec2::new(w, row_h))
            };
            let text_in =
                |rect: egui::Rect, text: &str, color: egui::Color32, font: &egui::FontId| {
                    painter
                        .with_clip_rect(
                            rect.shrink2(Vec2::new(4.0, 0.0))
                                .intersect(painter.clip_rect()),
                        )
                        .text(
                            rect.left_center() + Vec2::new(4.0, 0.0),
                            egui::Align2::LEFT_CENTER,
                            text,
                            font.clone(),
                            color,
                        );
                };
            // Body (data rows are 1..=n in content rows; row 0 is the header).
            for r in first_row.max(1)..last_row {
                let y = r as f32 * row_h;
                if r % 2 == 0 {
                    painter.rect_filled(
                        cell_rect(viewport.min.x, y, viewport.width()),
                        0.0,
                        visuals.faint_bg_color,
                    );
                }
                for (c, &i) in shown.iter().enumerate().take(last_col).skip(first_col) {
                    let col = &ds.columns[i];
                    let v = col.values.get(r - 1).copied().unwrap_or(f64::NAN);
                    let rect = cell_rect(num_w + c as f32 * COL_W, y, COL_W);
                    if v.is_nan() {
                        text_in(
                            rect,
                            "missing",
                            visuals.weak_text_color(),
                            &egui::FontId::proportional(12.0),
                        );
                    } else {
                        text_in(rect, &col.label_of(v), visuals.text_color(), &font);
                    }
                }
            }
            // Header, pinned on top.
            let (x, y) = (viewport.min.x, viewport.min.y);
            painter.rect_filled(
                cell_rect(x, y, viewport.width()),
                0.0,
                visuals.extreme_bg_color,
            );
            let strong = visuals.strong_text_color();
            for (c, &i) in shown.iter().enumerate().take(last_col).skip(first_col) {
                text_in(
                    cell_rect(num_w + c as f32 * COL_W, y, COL_W),
                    &ds.columns[i].name,
                    strong,
                    &font,
                );
            }
            // Row numbers, pinned left (over the header's left end).
            painter.rect_filled(
                egui::Rect::from_min_size(
                    origin + Vec2::new(x, y),
                    Vec2::new(num_w, viewport.height()),
                ),
                0.0,
                visuals.panel_fill,
            );
            text_in(
                cell_rect(x, y, num_w),
                "row",
                visuals.weak_text_color(),
                &font,
            );
            for r in first_row.max(1)..last_row {
                let ry = r as f32 * row_h;
                if ry >= y + row_h - 1.0 {
                    text_in(
                        cell_rect(x, ry, num_w),
                        &r.to_string(),
                        visuals.weak_text_color(),
                        &font,
                    );
                }
            }
            // Full names of truncated headers on hover.
            if let Some(p) = response.hover_pos() {
                let local = p - origin;
                if local.y < y + row_h && local.x > x + num_w {
                    let c = ((local.x - num_w) / COL_W) as usize;
                    if let Some(&i) = shown.get(c) {
                        response.on_hover_text_at_pointer(ds.columns[i].name.clone());
                    }
                }
            }
        });
}

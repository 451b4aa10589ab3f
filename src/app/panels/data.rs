//! The Data panel: how the file was read (per-column kind, missing cells, statistics),
//! include/exclude and kind overrides, and a preview of the rows.
//!
//! Both tables draw only their visible rows (`show_rows`), so a million-row or
//! thousands-of-columns file scrolls as smoothly as a small one.

use super::widgets::fmt;
use super::{Command, PanelCtx};
use crate::data::ColumnKind;
use egui::{Align, Layout, RichText, Vec2};

/// Rows shown in the preview (the estimators see them all).
pub const PREVIEW_ROWS: usize = 200;

const COL_W: f32 = 110.0;

pub struct DataPanel {
    filter: String,
}

impl Default for DataPanel {
    fn default() -> Self {
        Self::new()
    }
}

impl DataPanel {
    pub fn new() -> Self {
        Self {
            filter: String::new(),
        }
    }

    pub fn export(&mut self, cx: &mut PanelCtx) {
        if let Some(data) = cx.data {
            cx.commands.push(Command::ExportCsv {
                file_name: format!("{}_columns.csv", super::heatmap::file_stem(&data.name)),
                contents: crate::export::info_csv(&data.ds),
            });
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        let Some(data) = cx.data else {
            ui.label("No data yet. Open a CSV file (Ctrl+O), drop one on the window, or pick File > Sample data.");
            return;
        };
        let ds = &data.ds;
        ui.horizontal(|ui| {
            ui.heading(&data.name);
            ui.label(format!(
                "{} rows × {} columns, {} included",
                ds.n_rows,
                ds.columns.len(),
                data.included.iter().filter(|&&b| b).count()
            ));
        });
        for w in &ds.warnings {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Note: {w}"));
        }
        ui.horizontal(|ui| {
            ui.label("Filter columns");
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(180.0))
                .on_hover_text("Show only columns whose name contains this text");
            if ui
                .button("Include all")
                .on_hover_text("Use every column in the analyses (identifier-like ones too)")
                .clicked()
            {
                for i in 0..ds.columns.len() {
                    cx.commands.push(Command::SetIncluded {
                        column: i,
                        included: true,
                    });
                }
            }
            if ui
                .button("Exclude all")
                .on_hover_text("Exclude every column; then tick the ones you want")
                .clicked()
            {
                for i in 0..ds.columns.len() {
                    cx.commands.push(Command::SetIncluded {
                        column: i,
                        included: false,
                    });
                }
            }
            if ui
                .button("Export summary CSV")
                .on_hover_text("Per column: kind, missing, distinct, min/max/mean (Ctrl+E)")
                .clicked()
            {
                self.export(cx);
            }
        });
        ui.separator();

        let filter = self.filter.to_lowercase();
        let shown: Vec<usize> = (0..ds.columns.len())
            .filter(|&i| filter.is_empty() || ds.columns[i].name.to_lowercase().contains(&filter))
            .collect();

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
                            ui.add_sized([w, 18.0], egui::Label::new(RichText::new(*h).strong()))
                                .on_hover_text(*tip);
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
                                    let mut kind = col.kind;
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
                                                .on_hover_text(kind_explain(col.kind));
                                        },
                                    );
                                    if kind != col.kind {
                                        cx.commands.push(Command::SetKind { column: i, kind });
                                    }
                                    cell(ui, widths[3], col.detected.name());
                                    cell(ui, widths[4], &col.missing.to_string());
                                    cell(
                                        ui,
                                        widths[5],
                                        &sum.map_or(String::new(), |s| s.distinct.to_string()),
                                    );
                                    let opt = |v: Option<f64>| v.map_or(String::new(), fmt);
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
        let n = PREVIEW_ROWS.min(ds.n_rows);
        egui::ScrollArea::horizontal()
            .id_salt("preview-h")
            .show(ui, |ui| {
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        ui.add_sized([50.0, 18.0], egui::Label::new(RichText::new("row").weak()));
                        for &i in &shown {
                            let name = &ds.columns[i].name;
                            ui.add_sized(
                                [COL_W, 18.0],
                                egui::Label::new(RichText::new(name).strong()).truncate(),
                            )
                            .on_hover_text(name);
                        }
                    });
                    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
                    egui::ScrollArea::vertical()
                        .id_salt("preview-v")
                        .auto_shrink([false, false])
                        .show_rows(ui, row_h, n, |ui, range| {
                            for r in range {
                                ui.horizontal(|ui| {
                                    ui.add_sized(
                                        [50.0, row_h],
                                        egui::Label::new(RichText::new((r + 1).to_string()).weak()),
                                    );
                                    for &i in &shown {
                                        let col = &ds.columns[i];
                                        let v = col.values.get(r).copied().unwrap_or(f64::NAN);
                                        let text = if v.is_nan() {
                                            RichText::new("missing").weak().italics()
                                        } else {
                                            RichText::new(col.label_of(v))
                                        };
                                        ui.add_sized(
                                            [COL_W, row_h],
                                            egui::Label::new(text).truncate(),
                                        );
                                    }
                                });
                            }
                        });
                });
            });
    }
}

fn cell(ui: &mut egui::Ui, w: f32, text: &str) {
    let h = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(Vec2::new(w, h), Layout::left_to_right(Align::Center), |ui| {
        ui.set_min_size(Vec2::new(w, h));
        ui.add(egui::Label::new(text).truncate());
    });
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

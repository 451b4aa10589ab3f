//! The Data panel's column summary: per column its use, kind (with override), detected
//! kind, missing cells, distinct values, category order and statistics. Only the rows in
//! view are drawn (`show_rows`), so thousands of columns scroll smoothly.

use super::super::{Command, PanelCtx};
use crate::app::loaded::Loaded;
use crate::data::ColumnKind;
use crate::data::order::CategoryOrder;
use egui::{Align, Layout, RichText, Vec2};

pub fn summary_table(ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, shown: &[usize]) {
    let ds = &data.full;
    let avail = ui.available_height();
    // The rows below get the larger share: they are what a short window scrolls through.
    let summary_h = (avail * 0.38).max(130.0);
    ui.label(RichText::new("Columns").strong());
    // Header.
    let widths = [
        28.0, 190.0, 120.0, 90.0, 70.0, 70.0, 120.0, 90.0, 90.0, 90.0, 260.0,
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
        (
            "Order",
            "How a discrete column's categories are listed: in the pair inspector's tables and strips, and when sorting rows",
        ),
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
                                let r =
                                    r.on_hover_text(format!("Include '{}' in analyses", col.name));
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
                                                        // Text labels have no numeric values to measure distances on.
                                                        if col.is_text() && k == ColumnKind::Continuous {
                                                            ui.add_enabled(false, egui::Button::selectable(false, k.name()))
                                                                .on_disabled_hover_text("Text labels cannot be continuous: they have no numeric values");
                                                            continue;
                                                        }
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
                                order_cell(ui, cx, data, i, current, widths[6], row_h);
                                let opt = |v: Option<f64>| v.map_or(String::new(), stat);
                                cell(ui, widths[7], &opt(sum.and_then(|s| s.min)));
                                cell(ui, widths[8], &opt(sum.and_then(|s| s.max)));
                                cell(ui, widths[9], &opt(sum.and_then(|s| s.mean)));
                                let note = col.excluded_reason.clone().unwrap_or_default();
                                cell(ui, widths[10], &note);
                            });
                        }
                    });
            });
        });
}

/// The category order picker of a discrete column (nothing for a continuous one).
fn order_cell(
    ui: &mut egui::Ui,
    cx: &mut PanelCtx,
    data: &Loaded,
    column: usize,
    kind: ColumnKind,
    w: f32,
    h: f32,
) {
    ui.allocate_ui_with_layout(
        Vec2::new(w, h),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_min_size(Vec2::new(w, h));
            if !kind.is_discrete() {
                return;
            }
            let current = data.category_order(column);
            let mut order = current;
            let name = data
                .full
                .columns
                .get(column)
                .map_or("", |c| c.name.as_str());
            egui::ComboBox::from_id_salt(("order", column))
                .width(w - 10.0)
                .selected_text(order.name())
                .show_ui(ui, |ui| {
                    for o in CategoryOrder::ALL {
                        ui.selectable_value(&mut order, o, o.name())
                            .on_hover_text(o.explain());
                    }
                })
                .response
                .on_hover_text(format!("Categories of {name}: {}", current.explain()));
            if order != current {
                cx.commands.push(Command::SetOrder { column, order });
            }
        },
    );
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
    // Three significant digits in exponent form: a cell cut short inside the
    // exponent ("-1.1182e-") would read as a different number.
    if v != 0.0 && (v.abs() >= 1e7 || v.abs() < 1e-4) {
        return format!("{v:.2e}");
    }
    let digits = (6 - (v.abs().max(1e-300).log10().floor() as i32 + 1)).clamp(0, 10) as usize;
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    // Leading zeros of a small value can make six digits too wide for the cell.
    if s.chars().count() > 9 {
        format!("{v:.2e}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::stat;

    #[test]
    fn statistics_fit_their_cells_in_every_magnitude() {
        // The Min, Max and Mean cells hold about 9 characters of the body font.
        for v in [
            -1.118_151_248_768_528_8e-8,
            1e-300,
            -123_456_789.0,
            9_999_999.5,
            -0.000_123_456_7,
            0.5,
            -2.718_281_9,
            -1.234_5e300,
        ] {
            let s = stat(v);
            assert!(s.chars().count() <= 9, "{v}: {s}");
            let back: f64 = s.parse().expect("a number");
            assert!((back - v).abs() <= 5e-3 * v.abs(), "{v}: {s}");
        }
        assert_eq!(stat(-1.118_151_248_768_528_8e-8), "-1.12e-8");
    }
}

//! The pair table: the CLI `synergy` columns, sortable by a header click (interaction,
//! largest first, by default); a click on a row opens its three-variable view, a
//! right-click copies the row or the table.

use super::{PairView, SortBy};
use crate::app::commands::Command;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, fmt, num_cell};
use crate::estimate::Units;
use egui::RichText;

/// Rows shown before the table scrolls on its own.
const VISIBLE_ROWS: f32 = 14.0;

/// Row order for a sort key (NaN last).
pub(super) fn order(
    data: &Loaded,
    pairs: &[PairView],
    sort: SortBy,
    descending: bool,
) -> Vec<usize> {
    let key = |p: &PairView| -> f64 {
        match sort {
            SortBy::N => p.n_used as f64,
            SortBy::MiX1 => p.mi_x1,
            SortBy::MiX2 => p.mi_x2,
            SortBy::MiJoint => p.mi_joint,
            SortBy::Interaction => p.ii,
            SortBy::P => p.p_adjusted.unwrap_or(f64::NAN),
            SortBy::X1 | SortBy::X2 => 0.0,
        }
    };
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&pairs[a], &pairs[b]);
        let by_name = match sort {
            SortBy::X1 => Some(data.column_name(pa.x1).cmp(data.column_name(pb.x1))),
            SortBy::X2 => Some(data.column_name(pa.x2).cmp(data.column_name(pb.x2))),
            _ => None,
        };
        widgets::row_order(by_name, (key(pa), key(pb)), descending)
    });
    order
}

pub(super) struct TableIn<'a> {
    pub data: &'a Loaded,
    pub units: Units,
    pub pairs: &'a [PairView],
    pub order: &'a [usize],
    pub tested: bool,
    pub selected: Option<(usize, usize)>,
}

/// Draws the table; returns the pair clicked this frame.
pub(super) fn table(
    ui: &mut egui::Ui,
    t: &TableIn,
    (sort, descending): (&mut SortBy, &mut bool),
    commands: &mut Vec<Command>,
) -> Option<(usize, usize)> {
    let u = t.units.name();
    let num_w = 104.0;
    let p_w = if t.tested { 64.0 } else { 0.0 };
    let w = ui.available_width();
    let name_w = ((w - 4.0 * num_w - 64.0 - p_w - 40.0) / 2.0).clamp(70.0, 170.0);
    let mut headers: Vec<(SortBy, String, f32, &str)> = vec![
        (
            SortBy::X1,
            "x1".into(),
            name_w,
            "Sort by the first column's name",
        ),
        (
            SortBy::X2,
            "x2".into(),
            name_w,
            "Sort by the second column's name",
        ),
        (
            SortBy::N,
            "n_used".into(),
            64.0,
            "Sort by the rows used (x1, x2 and the target present)",
        ),
        (SortBy::MiX1, format!("mi_x1 {u}"), num_w, "Sort by I(x1;T)"),
        (SortBy::MiX2, format!("mi_x2 {u}"), num_w, "Sort by I(x2;T)"),
        (
            SortBy::MiJoint,
            format!("mi_joint {u}"),
            num_w,
            "Sort by I(x1,x2;T)",
        ),
        (
            SortBy::Interaction,
            format!("interaction {u}"),
            num_w,
            "Sort by II = I(x1,x2;T) − I(x1;T) − I(x2;T): positive synergy, negative redundancy",
        ),
    ];
    if t.tested {
        headers.push((
            SortBy::P,
            "p_adj".into(),
            p_w,
            "Sort by the Benjamini–Hochberg adjusted permutation p-value of the interaction, over the tested pairs (faded above 0.05)",
        ));
    }
    widgets::sort_headers(ui, &headers, sort, descending, |k| {
        matches!(k, SortBy::X1 | SortBy::X2)
    });
    let row_h = 20.0;
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("synergy-table")
        .max_height(row_h * VISIBLE_ROWS + 8.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, t.order.len(), |ui, range| {
            for &i in &t.order[range] {
                let p = &t.pairs[i];
                let key = (p.x1.min(p.x2), p.x1.max(p.x2));
                let sel = t.selected == Some(key);
                ui.horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 4.0;
                    let (n1, n2) = (t.data.column_name(p.x1), t.data.column_name(p.x2));
                    let cell = |ui: &mut egui::Ui, name: &str| {
                        ui.add_sized(
                            [name_w, row_h],
                            egui::Button::selectable(sel, name).truncate(),
                        )
                    };
                    let r = cell(ui, n1).union(cell(ui, n2)).on_hover_text(format!(
                        "{n1} × {n2}: {}; click for the three-variable view, right-click to copy",
                        super::grid::reading(p.ii)
                    ));
                    if r.clicked() {
                        clicked = Some(key);
                    }
                    let copy = CopyTarget {
                        row: pair_row(n1, n2),
                        image: None,
                    };
                    copy_menu(&r, copy, commands);
                    num_cell(ui, 64.0, row_h, RichText::new(p.n_used.to_string()));
                    for v in [p.mi_x1, p.mi_x2, p.mi_joint] {
                        num_cell(ui, num_w, row_h, RichText::new(fmt(t.units.from_nats(v))));
                    }
                    let ii = RichText::new(fmt(t.units.from_nats(p.ii))).strong();
                    let ii = if p.ii > 0.0 {
                        ii.color(synergy_color(ui))
                    } else if p.ii < 0.0 {
                        ii.color(redundancy_color(ui))
                    } else {
                        ii
                    };
                    num_cell(ui, num_w, row_h, ii);
                    if t.tested {
                        widgets::p_cell(ui, (p_w, row_h), p.p_adjusted);
                    }
                });
            }
        });
    clicked
}

/// Red for synergy, blue for redundancy: the ends of the heatmap's colour map.
pub(super) fn synergy_color(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(240, 110, 110)
    } else {
        egui::Color32::from_rgb(178, 24, 43)
    }
}

pub(super) fn redundancy_color(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(110, 170, 235)
    } else {
        egui::Color32::from_rgb(33, 102, 172)
    }
}

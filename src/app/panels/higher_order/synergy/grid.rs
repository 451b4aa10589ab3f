//! The heatmap of interaction information over candidate pairs: red for synergy (the
//! pair tells more about T together than apart), blue for redundancy, white for none;
//! names beside and above when the cells are tall enough to read them, a hover card with
//! every number, a click opens the three-variable view, a right-click copies.

use super::PairView;
use crate::app::colormap::{diverging, paint_vertical_scale, text_on};
use crate::app::commands::Command;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};
use crate::app::loaded::Loaded;
use crate::app::widgets::{fmt, fmt_p, truncate};
use crate::estimate::Units;
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

/// Names are drawn beside the grid only from this cell size (points) on.
const NAMES_FROM: f32 = 12.0;
/// Values are written into cells from this size on.
const VALUES_FROM: f32 = 30.0;

pub(super) struct GridOut {
    pub rect: Rect,
    /// The top-left corner of the cells and a cell's side (tests click cells by these).
    pub origin: Pos2,
    pub cell: f32,
    /// The pair clicked this frame (dataset indices, smaller first).
    pub clicked: Option<(usize, usize)>,
}

/// The grid over `cands` (dataset indices, in the order given); `pairs` holds every
/// estimated pair.
pub(super) fn ii_grid(
    ui: &mut egui::Ui,
    (data, units, target): (&Loaded, Units, &str),
    cands: &[usize],
    pairs: &[PairView],
    selected: Option<(usize, usize)>,
    commands: &mut Vec<Command>,
) -> GridOut {
    let m = cands.len();
    let mut pos = vec![usize::MAX; data.ds.columns.len()];
    for (i, &c) in cands.iter().enumerate() {
        if let Some(slot) = pos.get_mut(c) {
            *slot = i;
        }
    }
    // The pair behind each cell, both halves of the symmetric matrix.
    let mut cell_pair = vec![None; m * m];
    for (k, p) in pairs.iter().enumerate() {
        let (a, b) = (pos[p.x1], pos[p.x2]);
        if a < m && b < m {
            cell_pair[a * m + b] = Some(k);
            cell_pair[b * m + a] = Some(k);
        }
    }
    let vmax = pairs
        .iter()
        .map(|p| p.ii.abs())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let u = units.name();
    let avail = ui.available_width();
    let legend_w = 170.0;
    // At most about half the window's height, so the table and the view stay in reach.
    let tall = ui.ctx().content_rect().height() * 0.55;
    let side_max = (avail - legend_w - 20.0).min(tall).clamp(160.0, 640.0);
    let probe = side_max / m.max(1) as f32;
    let label_w = if probe >= NAMES_FROM { 120.0 } else { 0.0 };
    let side = (side_max - label_w).max(120.0);
    let cell = side / m.max(1) as f32;
    let names = cell >= NAMES_FROM;
    let top_h = if names { 110.0 } else { 0.0 };
    let size = Vec2::new(label_w + side + legend_w, top_h + side + 4.0);
    let (resp, painter) = ui.allocate_painter(size, Sense::click());
    resp.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Canvas, true, "interaction information heatmap")
    });
    let origin = resp.rect.min + Vec2::new(label_w, top_h);
    let grid = Rect::from_min_size(origin, Vec2::splat(side));
    let text = ui.visuals().text_color();
    let font = FontId::proportional(11.0);
    for a in 0..m {
        for b in 0..m {
            let r = Rect::from_min_size(
                origin + Vec2::new(b as f32 * cell, a as f32 * cell),
                Vec2::splat(cell),
            );
            let v = cell_pair[a * m + b]
                .map(|k| pairs[k].ii)
                .filter(|v| v.is_finite());
            let color = v.map_or(ui.visuals().faint_bg_color, |v| {
                diverging((v / vmax) as f32)
            });
            painter.rect_filled(r, 0.0, color);
            if let Some(v) = v
                && cell >= VALUES_FROM
            {
                let t = format!("{:.2}", units.from_nats(v));
                painter.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    t,
                    FontId::proportional(10.0),
                    text_on(color),
                );
            }
        }
    }
    if let Some((x, y)) = selected
        && pos.get(x).is_some_and(|&a| a < m)
        && pos.get(y).is_some_and(|&b| b < m)
    {
        for (a, b) in [(pos[x], pos[y]), (pos[y], pos[x])] {
            let r = Rect::from_min_size(
                origin + Vec2::new(b as f32 * cell, a as f32 * cell),
                Vec2::splat(cell),
            );
            painter.rect_stroke(r, 0.0, Stroke::new(2.0, text), StrokeKind::Inside);
        }
    }
    painter.rect_stroke(
        grid,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        StrokeKind::Outside,
    );
    if names {
        for (i, &c) in cands.iter().enumerate() {
            let name = truncate(data.column_name(c), 18);
            let y = origin.y + (i as f32 + 0.5) * cell;
            painter.text(
                Pos2::new(origin.x - 4.0, y),
                Align2::RIGHT_CENTER,
                &name,
                font.clone(),
                text,
            );
            let x = origin.x + (i as f32 + 0.5) * cell;
            let galley = painter.layout_no_wrap(name, font.clone(), text);
            let h = galley.size().y;
            let shape =
                egui::epaint::TextShape::new(Pos2::new(x - h / 2.0, origin.y - 4.0), galley, text)
                    .with_angle(-std::f32::consts::FRAC_PI_2);
            painter.add(shape);
        }
    }
    legend(&painter, grid, vmax, units, text);
    let hit = |p: Pos2| -> Option<usize> {
        if !grid.contains(p) {
            return None;
        }
        let (b, a) = (
            ((p.x - origin.x) / cell) as usize,
            ((p.y - origin.y) / cell) as usize,
        );
        (a < m && b < m).then(|| cell_pair[a * m + b]).flatten()
    };
    let hovered = resp.hover_pos().and_then(hit);
    let mut clicked = None;
    if resp.clicked()
        && let Some(k) = resp.interact_pointer_pos().and_then(hit)
    {
        clicked = Some((pairs[k].x1.min(pairs[k].x2), pairs[k].x1.max(pairs[k].x2)));
    }
    let rect = resp.rect;
    // The right-clicked pair stays the menu's while the pointer moves onto the menu.
    let menu_key = resp.id.with("menu-pair");
    if resp.secondary_clicked()
        && let Some(k) = resp.interact_pointer_pos().and_then(hit)
    {
        ui.data_mut(|d| d.insert_temp(menu_key, k));
    }
    let menu_pair: Option<usize> = ui
        .data(|d| d.get_temp(menu_key))
        .filter(|&k| k < pairs.len());
    let target_copy = CopyTarget {
        row: menu_pair
            .and_then(|k| pair_row(data.column_name(pairs[k].x1), data.column_name(pairs[k].x2))),
        image: Some(rect),
    };
    copy_menu(&resp, target_copy, commands);
    if let Some(k) = hovered {
        let p = &pairs[k];
        let conv = |v: f64| format!("{} {u}", fmt(units.from_nats(v)));
        let (n1, n2) = (data.column_name(p.x1), data.column_name(p.x2));
        resp.on_hover_ui_at_pointer(|ui| {
            ui.strong(format!("{n1} × {n2}, target {target}"));
            ui.label(format!("II = {}: {}", conv(p.ii), reading(p.ii)));
            ui.label(format!("I({n1};{target}) = {}", conv(p.mi_x1)));
            ui.label(format!("I({n2};{target}) = {}", conv(p.mi_x2)));
            ui.label(format!("I({n1},{n2};{target}) = {}", conv(p.mi_joint)));
            ui.label(format!("{} rows used", p.n_used));
            match (p.p_value, p.p_adjusted) {
                (Some(pv), Some(q)) => ui.label(format!(
                    "permutation p = {}, BH-adjusted {}",
                    fmt_p(pv),
                    fmt_p(q)
                )),
                (Some(pv), None) => ui.label(format!("permutation p = {}", fmt_p(pv))),
                _ => ui.weak("not tested"),
            };
            ui.weak("click for the three-variable view; right-click to copy");
        });
    }
    GridOut {
        rect,
        origin,
        cell,
        clicked,
    }
}

/// What the sign of II says, in words.
pub(super) fn reading(ii: f64) -> &'static str {
    if ii > 0.0 {
        "synergy (more together than apart)"
    } else if ii < 0.0 {
        "redundancy (overlapping information)"
    } else {
        "no interaction"
    }
}

fn legend(painter: &egui::Painter, grid: Rect, vmax: f64, units: Units, text: egui::Color32) {
    let h = grid.height().clamp(120.0, 360.0);
    let bar = Rect::from_min_size(
        grid.right_top() + Vec2::new(24.0, 18.0),
        Vec2::new(16.0, h - 36.0),
    );
    paint_vertical_scale(painter, bar, 64, |t| diverging(2.0 * t - 1.0));
    painter.rect_stroke(bar, 0.0, Stroke::new(1.0, text), StrokeKind::Outside);
    let font = FontId::proportional(11.0);
    painter.text(
        bar.left_top() - Vec2::new(4.0, 16.0),
        Align2::LEFT_TOP,
        format!("II ({})", units.name()),
        FontId::proportional(12.0),
        text,
    );
    let v = units.from_nats(vmax);
    for (t, label) in [
        (1.0, format!("+{v:.2} synergy")),
        (0.5, "0".to_string()),
        (0.0, format!("−{v:.2} redundancy")),
    ] {
        let y = bar.max.y - t * bar.height();
        painter.line_segment(
            [Pos2::new(bar.max.x, y), Pos2::new(bar.max.x + 4.0, y)],
            Stroke::new(1.0, text),
        );
        painter.text(
            Pos2::new(bar.max.x + 6.0, y),
            Align2::LEFT_CENTER,
            label,
            font.clone(),
            text,
        );
    }
}

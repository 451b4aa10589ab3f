//! The colour scale beside the grid.

use super::Scale;
use crate::app::colormap::{paint_vertical_scale, viridis};
use crate::estimate::Units;
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};

/// Width the legend takes right of the grid.
pub(super) const LEGEND_W: f32 = 110.0;

pub(super) fn draw_legend(
    painter: &egui::Painter,
    grid: Rect,
    scale: Scale,
    units: Units,
    vmax: f64,
    text: Color32,
    stale: Option<&str>,
) {
    let x = grid.max.x + 24.0;
    let h = grid.height().clamp(120.0, 400.0);
    // The notes under the bar (the stale-settings line, then three lines on "≈0") end
    // level with the grid's bottom, not below it, where a short window's status bar
    // would cover them.
    let notes = NOTE_H + if stale.is_some() { STALE_H } else { 0.0 };
    let bar = Rect::from_min_size(
        Pos2::new(x, grid.min.y + 18.0),
        Vec2::new(18.0, (h - 18.0 - notes).max(40.0)),
    );
    paint_vertical_scale(painter, bar, 64, viridis);
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
    let mut below = bar.max.y + 8.0;
    if let Some(note) = stale {
        painter.text(
            Pos2::new(bar.min.x - 4.0, below),
            Align2::LEFT_TOP,
            note,
            FontId::proportional(11.0),
            text,
        );
        below += STALE_H;
    }
    // "≈0" in a cell stands for a negative estimate or, with permutations, one inside
    // the null: the cell's hover card says which and gives the raw value.
    painter.text(
        Pos2::new(bar.min.x - 4.0, below),
        Align2::LEFT_TOP,
        "≈0: not told\nfrom zero;\nhover for why",
        FontId::proportional(10.0),
        text.gamma_multiply(0.7),
    );
}

/// Height of the stale-settings line under the bar.
const STALE_H: f32 = 16.0;
/// Height of the "≈0" note under the bar (8 px gap, three lines of 10 px text).
const NOTE_H: f32 = 8.0 + 3.0 * 13.0;

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v < 0.01 {
        format!("{v:.1e}")
    } else {
        format!("{v:.2}")
    }
}

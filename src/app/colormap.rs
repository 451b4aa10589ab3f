//! Colour maps: viridis (perceptually uniform, readable in grey and by most colour-blind
//! viewers) for magnitudes, and a blue–white–red diverging map for signed values (PMI).

use egui::Color32;

/// Viridis sampled at 17 evenly spaced points (matplotlib's table); linear between them.
const VIRIDIS: [[u8; 3]; 17] = [
    [68, 1, 84],
    [72, 24, 106],
    [71, 44, 122],
    [66, 64, 134],
    [59, 82, 139],
    [51, 99, 141],
    [44, 114, 142],
    [38, 130, 142],
    [33, 145, 140],
    [31, 160, 136],
    [40, 174, 128],
    [63, 188, 115],
    [94, 201, 98],
    [132, 212, 75],
    [173, 220, 48],
    [216, 226, 25],
    [253, 231, 37],
];

const DIVERGING: [[u8; 3]; 5] = [
    [33, 102, 172],
    [146, 197, 222],
    [247, 247, 247],
    [244, 165, 130],
    [178, 24, 43],
];

fn lerp_table(table: &[[u8; 3]], t: f32) -> Color32 {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (table.len() - 1) as f32;
    let i = (pos.floor() as usize).min(table.len() - 2);
    let f = pos - i as f32;
    let (a, b) = (table[i], table[i + 1]);
    let mix = |k: usize| (a[k] as f32 + (b[k] as f32 - a[k] as f32) * f).round() as u8;
    Color32::from_rgb(mix(0), mix(1), mix(2))
}

/// `t` in 0..=1 (clamped).
pub fn viridis(t: f32) -> Color32 {
    lerp_table(&VIRIDIS, t)
}

/// `t` in −1..=1 (clamped): blue for negative, white at 0, red for positive.
pub fn diverging(t: f32) -> Color32 {
    lerp_table(&DIVERGING, (t + 1.0) / 2.0)
}

/// Black or white, whichever reads better on `bg`.
pub fn text_on(bg: Color32) -> Color32 {
    let l = 0.299 * bg.r() as f32 + 0.587 * bg.g() as f32 + 0.114 * bg.b() as f32;
    if l > 140.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// Tableau 10 with its grey swapped for cyan, so no category looks like "none": network
/// clusters and the three-variable view's target categories.
pub const CATEGORICAL: [Color32; 10] = [
    Color32::from_rgb(78, 121, 167),
    Color32::from_rgb(242, 142, 43),
    Color32::from_rgb(225, 87, 89),
    Color32::from_rgb(118, 183, 178),
    Color32::from_rgb(89, 161, 79),
    Color32::from_rgb(237, 201, 72),
    Color32::from_rgb(176, 122, 161),
    Color32::from_rgb(255, 157, 167),
    Color32::from_rgb(156, 117, 95),
    Color32::from_rgb(23, 190, 207),
];

/// A vertical colour bar in `steps` bands, `color(0)` at the bottom to `color(1)` at the
/// top, each band coloured at its middle (the legends of the matrices).
pub fn paint_vertical_scale(
    painter: &egui::Painter,
    bar: egui::Rect,
    steps: usize,
    color: impl Fn(f32) -> Color32,
) {
    for s in 0..steps {
        let y_low = bar.max.y - s as f32 / steps as f32 * bar.height();
        let y_high = bar.max.y - (s + 1) as f32 / steps as f32 * bar.height();
        let mid = (s as f32 + 0.5) / steps as f32;
        painter.rect_filled(
            egui::Rect::from_x_y_ranges(bar.x_range(), y_high..=y_low),
            0.0,
            color(mid),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_clamping() {
        assert_eq!(viridis(0.0), Color32::from_rgb(68, 1, 84));
        assert_eq!(viridis(1.0), Color32::from_rgb(253, 231, 37));
        assert_eq!(viridis(2.0), viridis(1.0));
        assert_eq!(viridis(f32::NAN), viridis(0.0));
        assert_eq!(diverging(0.0), Color32::from_rgb(247, 247, 247));
    }
}

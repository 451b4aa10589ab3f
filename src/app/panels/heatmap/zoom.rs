//! Zoom and pan over the grid: the wheel (or Ctrl+wheel, or a pinch) zooms about the
//! pointer, a drag pans, a double-click or `0` fits the whole matrix again, `+`/`-` and
//! the arrow keys work while the pointer is over the grid. The state is in cells, not
//! pixels, so it survives a window resize; it resets when the columns shown change.

use egui::{Pos2, Rect, Vec2};

/// Deepest zoom: a single cell never gets larger than the viewport.
const MAX_SCALE: f32 = 400.0;

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Zoom {
    /// 1 = the whole matrix fits; 4 = each cell four times as wide.
    pub scale: f32,
    /// (column, row) in cells at the viewport's top-left corner.
    pub first: Vec2,
    /// The number of columns this state was made for.
    m: usize,
    /// The widest name label, for a hash of the names: measured once, not per frame,
    /// so a wide file's viewport does not shift while it pans.
    label_cache: Option<(u64, f32)>,
}

impl Default for Zoom {
    fn default() -> Self {
        Self {
            scale: 1.0,
            first: Vec2::ZERO,
            m: 0,
            label_cache: None,
        }
    }
}

impl Zoom {
    /// Forgets the zoom when the matrix shown has another size.
    pub fn for_columns(&mut self, m: usize) {
        if self.m != m {
            *self = Self {
                m,
                ..Self::default()
            };
        }
    }

    /// The widest of `names` as `measure` lays them out (cached while they stay).
    pub fn label_width(&mut self, names: &[&str], measure: impl Fn(&str) -> f32) -> f32 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        names.hash(&mut h);
        let key = h.finish();
        match self.label_cache {
            Some((k, w)) if k == key => w,
            _ => {
                let w = names.iter().map(|n| measure(n)).fold(0.0f32, f32::max);
                self.label_cache = Some((key, w));
                w
            }
        }
    }

    pub fn is_zoomed(&self) -> bool {
        self.scale > 1.0001
    }

    /// Zooms by `factor` keeping the cell under `at` (screen) where it is.
    pub fn zoom_at(&mut self, factor: f32, at: Pos2, viewport: Rect, fitted_cell: f32) {
        let old = fitted_cell * self.scale;
        self.scale = (self.scale * factor).clamp(1.0, MAX_SCALE);
        let new = fitted_cell * self.scale;
        let offset = at - viewport.min;
        let under = self.first + offset / old;
        self.first = under - offset / new;
        self.clamp(viewport, fitted_cell);
    }

    pub fn pan_pixels(&mut self, delta: Vec2, viewport: Rect, fitted_cell: f32) {
        self.first -= delta / (fitted_cell * self.scale);
        self.clamp(viewport, fitted_cell);
    }

    pub fn fit(&mut self) {
        self.scale = 1.0;
        self.first = Vec2::ZERO;
    }

    /// Keeps the matrix on screen: no panning past its edges.
    fn clamp(&mut self, viewport: Rect, fitted_cell: f32) {
        self.first = self.first_within(viewport, fitted_cell);
    }

    /// The top-left cell to draw in `viewport`: the stored one, moved so the matrix
    /// fills the viewport. Drawing does not store it: a frame laid out in a smaller
    /// space (a window being resized, a sizing pass) must not lose the user's place.
    pub fn first_within(&self, viewport: Rect, fitted_cell: f32) -> Vec2 {
        let cell = fitted_cell * self.scale;
        let m = self.m as f32;
        let max = Vec2::new(
            (m - viewport.width() / cell).max(0.0),
            (m - viewport.height() / cell).max(0.0),
        );
        self.first.max(Vec2::ZERO).min(max)
    }

    /// Applies this frame's wheel, pinch, drag, double-click and keys on the grid.
    /// True when anything changed.
    pub fn handle(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        viewport: Rect,
        fitted_cell: f32,
    ) -> bool {
        let before = self.clone();
        if response.double_clicked() {
            self.fit();
            return true;
        }
        if response.dragged() {
            self.pan_pixels(response.drag_delta(), viewport, fitted_cell);
        }
        if let Some(at) = response.hover_pos() {
            let (pinch, wheel) = ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta));
            let mut factor = pinch;
            if pinch == 1.0 && wheel.y != 0.0 {
                factor = (wheel.y / 200.0).exp();
            }
            if factor != 1.0 {
                self.zoom_at(factor, at, viewport, fitted_cell);
                // The wheel zoomed the grid: it must not also scroll what holds it.
                ui.ctx().input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
            }
            self.keys(ui, viewport, fitted_cell);
        }
        *self != before
    }

    fn keys(&mut self, ui: &egui::Ui, viewport: Rect, fitted_cell: f32) {
        use egui::Key;
        // Keys typed into a text field are not zoom keys.
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (plus, minus, zero, left, right, up, down) = ui.input(|i| {
            (
                i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
                i.key_pressed(Key::Minus),
                i.key_pressed(Key::Num0),
                i.key_down(Key::ArrowLeft),
                i.key_down(Key::ArrowRight),
                i.key_down(Key::ArrowUp),
                i.key_down(Key::ArrowDown),
            )
        });
        let centre = viewport.center();
        if plus {
            self.zoom_at(1.5, centre, viewport, fitted_cell);
        }
        if minus {
            self.zoom_at(1.0 / 1.5, centre, viewport, fitted_cell);
        }
        if zero {
            self.fit();
        }
        let step = 12.0;
        let pan = Vec2::new(
            f32::from(u8::from(left)) - f32::from(u8::from(right)),
            f32::from(u8::from(up)) - f32::from(u8::from(down)),
        ) * step;
        if pan != Vec2::ZERO {
            self.pan_pixels(pan, viewport, fitted_cell);
            ui.ctx().request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Rect {
        Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::splat(500.0))
    }

    #[test]
    fn zooming_keeps_the_cell_under_the_pointer() {
        let mut z = Zoom::default();
        z.for_columns(100);
        let at = Pos2::new(350.0, 300.0);
        // Fitted: 5 px cells, so the pointer is over cell (50, 50).
        z.zoom_at(4.0, at, view(), 5.0);
        let under = z.first + (at - view().min) / (5.0 * z.scale);
        assert!((under - Vec2::splat(50.0)).length() < 1e-3, "{under:?}");
        assert_eq!(z.scale, 4.0);
    }

    #[test]
    fn panning_stops_at_the_edges_and_fit_resets() {
        let mut z = Zoom::default();
        z.for_columns(100);
        z.zoom_at(2.0, view().min, view(), 5.0);
        z.pan_pixels(Vec2::new(-1e6, -1e6), view(), 5.0);
        // 10 px cells in a 500 px viewport: 50 visible, so the last start is 50.
        assert_eq!(z.first, Vec2::splat(50.0));
        z.pan_pixels(Vec2::new(1e6, 1e6), view(), 5.0);
        assert_eq!(z.first, Vec2::ZERO);
        z.zoom_at(0.01, view().center(), view(), 5.0);
        assert_eq!(z.scale, 1.0);
        z.zoom_at(3.0, view().center(), view(), 5.0);
        z.for_columns(101);
        assert!(!z.is_zoomed());
    }
}

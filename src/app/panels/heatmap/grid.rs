//! Painting the grid: the cells rendered into one texture (rebuilt only when what it
//! shows changes), labels when cells are large enough, hover cards, click to inspect
//! and the right-click menu.

use super::cells::{CellsView, scale_value, scaled};
use super::legend::{LEGEND_W, draw_legend};
use super::zoom::Zoom;
use super::{ALPHA, HeatmapSettings, Scale};
use crate::analysis::pair_index;
use crate::app::colormap::{text_on, viridis};
use crate::app::commands::Command;
use crate::app::copy_menu::{CopyTarget, copy_items, pair_row};
use crate::app::panels::PanelCtx;
use crate::app::widgets::{self, fmt, fmt_p, truncate};
use crate::estimate::{Units, info_coefficient};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

const LABEL_MAX: f32 = 150.0;

/// Where the last frame drew the grid (tests click cells through this).
#[derive(Clone, Debug)]
pub(super) struct GridLayout {
    origin: Pos2,
    cell: f32,
    /// Labels, grid and legend: what "Save PNG" saves.
    pub(super) full: Rect,
    /// Dataset column at each display index.
    order: Vec<usize>,
    /// Rows and columns on screen (fewer than the matrix's when zoomed).
    pub(super) visible: (usize, usize),
    /// Whether the cells were large enough for name labels.
    pub(super) labels: bool,
}

impl GridLayout {
    /// Screen centre of the cell of two dataset columns.
    pub(super) fn cell_center(&self, x: usize, y: usize) -> Option<Pos2> {
        let r = self.order.iter().position(|&c| c == y)?;
        let c = self.order.iter().position(|&c| c == x)?;
        Some(self.origin + Vec2::new((c as f32 + 0.5) * self.cell, (r as f32 + 0.5) * self.cell))
    }
}

/// What one frame of the grid draws.
pub(super) struct GridInput<'a> {
    pub view: &'a CellsView<'a>,
    /// Dataset column at each display index, and its name.
    pub order: &'a [usize],
    pub names: &'a [&'a str],
    pub settings: &'a HeatmapSettings,
    /// Per dataset column (for the sparse-table warning of plug-in cells).
    pub summaries: &'a [crate::data::ColumnSummary],
    /// Bumped whenever the cells change (the texture's cache key).
    pub revision: u64,
    /// The cells answer older settings: the legend says so ("(updating…)" while the
    /// current ones compute).
    pub stale: Option<&'a str>,
}

/// The heatmap's cells rendered to a texture (one texel per cell, or per block of
/// cells for very wide matrices), rebuilt only when something it shows changes: a
/// frame then costs the same for 10 columns or 5,000.
pub(super) struct GridTexture {
    key: u64,
    handle: egui::TextureHandle,
    vmax: f64,
    built: std::time::Instant,
}

/// Texture side limit; wider matrices aggregate blocks of cells (maximum of the block).
const MAX_TEXELS: usize = 1024;

/// Cells narrower than this get no name labels (the hover card still names them).
const LABEL_MIN_CELL: f32 = 10.0;

/// Where the grid goes in the space available, at the current zoom: the viewport the
/// cells are visible in (the whole panel but the labels and the legend), the virtual
/// origin of cell (0, 0), and labels whenever the cells are tall enough to read them.
struct Geometry {
    avail: Rect,
    viewport: Rect,
    origin: Pos2,
    cell: f32,
    /// The cell size at zoom 1 (the whole matrix fits).
    fitted: f32,
    show_labels: bool,
    m: usize,
}

impl Geometry {
    fn fit(ui: &egui::Ui, names: &[&str], m: usize, font: &FontId, zoom: &mut Zoom) -> Self {
        let avail = ui.available_rect_before_wrap();
        let text_color = ui.visuals().text_color();
        let area = |label: f32| {
            Vec2::new(
                (avail.width() - label - LEGEND_W).max(10.0),
                (avail.height() - label - 8.0).max(10.0),
            )
        };
        let fitted_for = |label: f32| {
            let a = area(label);
            (a.x.min(a.y) / m.max(1) as f32).min(80.0)
        };
        let show_labels = fitted_for(0.0) * zoom.scale >= LABEL_MIN_CELL;
        let label_w = if show_labels {
            zoom.label_width(names, |n| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(truncate(n, 24), font.clone(), text_color)
                        .size()
                        .x
                })
            })
            .min(LABEL_MAX)
                + 6.0
        } else {
            0.0
        };
        let fitted = fitted_for(label_w);
        let cell = fitted * zoom.scale;
        let viewport = Rect::from_min_size(avail.min + Vec2::splat(label_w), area(label_w));
        // Labels appearing or the window resizing change the viewport: stay inside it.
        let first = zoom.first_within(viewport, fitted);
        Self {
            avail,
            viewport,
            origin: viewport.min - first * cell,
            cell,
            fitted,
            show_labels,
            m,
        }
    }

    /// The whole matrix's rectangle (mostly off screen when zoomed).
    fn grid(&self) -> Rect {
        Rect::from_min_size(self.origin, Vec2::splat(self.cell * self.m as f32))
    }

    /// The part of the matrix on screen.
    fn shown(&self) -> Rect {
        self.grid().intersect(self.viewport)
    }

    /// Display indices of the columns (x) or rows (y) on screen.
    fn visible(&self, axis: usize) -> std::ops::Range<usize> {
        let shown = self.shown();
        let (lo, hi) = if axis == 0 {
            (shown.min.x - self.origin.x, shown.max.x - self.origin.x)
        } else {
            (shown.min.y - self.origin.y, shown.max.y - self.origin.y)
        };
        let a = (lo / self.cell).floor().max(0.0) as usize;
        let b = ((hi / self.cell).ceil().max(0.0) as usize).min(self.m);
        a.min(b)..b
    }

    /// (display row, display column) under a screen point.
    fn hit(&self, m: usize, p: Pos2) -> Option<(usize, usize)> {
        if !self.viewport.contains(p) {
            return None;
        }
        hit(self.grid(), self.cell, m, p)
    }

    fn cell_rect(&self, r: usize, c: usize) -> Rect {
        Rect::from_min_size(
            self.origin + Vec2::new(c as f32 * self.cell, r as f32 * self.cell),
            Vec2::splat(self.cell),
        )
    }
}

/// Draws the grid, its labels and legend; answers zoom, pan, hover and clicks.
pub(super) fn draw(
    ui: &mut egui::Ui,
    input: &GridInput,
    cx: &mut PanelCtx,
    (texture, zoom): (&mut Option<GridTexture>, &mut Zoom),
    menu_pair: &mut Option<(usize, usize)>,
) -> GridLayout {
    let request = input.view.request();
    let m = request.columns.len();
    zoom.for_columns(m);
    // Position within the request of each displayed column (a lookup, not a search per
    // column: a frame's work stays linear in the columns, not quadratic).
    let mut at = std::collections::HashMap::with_capacity(m);
    for (p, &c) in request.columns.iter().enumerate() {
        at.entry(c).or_insert(p);
    }
    let positions: Vec<usize> = input
        .order
        .iter()
        .filter_map(|c| at.get(c).copied())
        .collect();
    let font = FontId::proportional(12.0);
    let text_color = ui.visuals().text_color();
    let mut geo = Geometry::fit(ui, input.names, m, &font, zoom);

    let (response, painter) = ui.allocate_painter(geo.avail.size(), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "MI heatmap"));
    let on_grid = response
        .hover_pos()
        .is_some_and(|p| geo.viewport.contains(p));
    if (on_grid || response.dragged()) && zoom.handle(ui, &response, geo.viewport, geo.fitted) {
        geo = Geometry::fit(ui, input.names, m, &font, zoom);
    }
    refresh_texture(ui, input, &positions, cx.units, texture);
    let vmax = texture.as_ref().map_or(1.0, |t| t.vmax);
    let shown = geo.shown();
    let (cols, rows) = (geo.visible(0), geo.visible(1));
    if let Some(t) = texture.as_ref() {
        let grid = geo.grid();
        let uv = Rect::from_min_max(
            ((shown.min - grid.min) / grid.size()).to_pos2(),
            ((shown.max - grid.min) / grid.size()).to_pos2(),
        );
        painter.image(t.handle.id(), shown, uv, Color32::WHITE);
    }
    let cells = painter.with_clip_rect(geo.viewport);
    if geo.cell >= 38.0 {
        cell_numbers(&cells, &geo, input, &positions, cx.units, vmax);
    }
    let hovered = response
        .hover_pos()
        .and_then(|p| geo.hit(m, p))
        .filter(|_| !response.dragged());
    if let Some((r, c)) = hovered {
        // The hovered row and column, so a wide matrix stays readable.
        let band = Color32::from_white_alpha(24);
        let row = Rect::from_x_y_ranges(shown.x_range(), geo.cell_rect(r, c).y_range());
        let col = Rect::from_x_y_ranges(geo.cell_rect(r, c).x_range(), shown.y_range());
        cells.rect_filled(row, 0.0, band);
        cells.rect_filled(col, 0.0, band);
    }
    painter.rect_stroke(
        shown,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        StrokeKind::Outside,
    );
    if geo.show_labels {
        let strong = ui.visuals().strong_text_color();
        let names = (input.names, &font, text_color, strong);
        labels(&painter, &geo, names, (rows.clone(), cols.clone()), hovered);
    }
    draw_legend(
        &painter,
        shown,
        input.settings.scale,
        cx.units,
        vmax,
        text_color,
        input.stale,
    );
    if zoom.is_zoomed()
        && let Some(t) = texture.as_ref()
    {
        minimap(&painter, &geo, t, text_color);
    }

    if let Some((r, c)) = hovered
        && r != c
    {
        let (pr, pc) = (positions[r], positions[c]);
        let title = format!("{} × {}", input.names[c], input.names[r]);
        response
            .clone()
            .on_hover_ui_at_pointer(|ui| hover_card(ui, input, cx.units, &title, (pr, pc)));
    }
    let clicked = response
        .clicked()
        .then(|| response.interact_pointer_pos())
        .flatten()
        .and_then(|p| geo.hit(m, p));
    if let Some((r, c)) = clicked
        && r != c
    {
        cx.commands.push(Command::Inspect {
            x: input.order[c],
            y: input.order[r],
            settings: request.settings.clone(),
        });
    }
    pair_menu(&response, &geo, input, m, cx, menu_pair);
    GridLayout {
        origin: geo.origin,
        cell: geo.cell,
        full: Rect::from_min_max(
            geo.avail.min,
            Pos2::new(
                shown.max.x + LEGEND_W,
                shown.max.y.max(shown.min.y + 400.0) + 6.0,
            ),
        )
        .intersect(geo.avail),
        order: input.order.to_vec(),
        visible: (rows.len(), cols.len()),
        labels: geo.show_labels,
    }
}

/// Where the viewport is in the whole matrix, while zoomed: an overview in the
/// viewport's bottom-right corner (always on screen, whatever the window size).
fn minimap(painter: &egui::Painter, geo: &Geometry, t: &GridTexture, color: Color32) {
    let shown = geo.shown();
    let side = (shown.width().min(shown.height()) * 0.25).clamp(40.0, 120.0);
    let map = Rect::from_min_size(shown.max - Vec2::splat(side + 8.0), Vec2::splat(side));
    painter.rect_filled(map.expand(3.0), 2.0, Color32::from_black_alpha(200));
    painter.image(
        t.handle.id(),
        map,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        Color32::WHITE,
    );
    let grid = geo.grid();
    let to_map = |p: Pos2| map.min + (p - grid.min) / grid.size() * side;
    painter.rect_stroke(
        Rect::from_min_max(to_map(shown.min), to_map(shown.max)),
        0.0,
        Stroke::new(1.5, Color32::WHITE),
        StrokeKind::Inside,
    );
    painter.rect_stroke(map, 0.0, Stroke::new(1.0, color), StrokeKind::Outside);
}

/// Rebuilds the cells' texture when what it shows changed (throttled while a wide
/// matrix streams in: each rebuild touches every cell).
fn refresh_texture(
    ui: &egui::Ui,
    input: &GridInput,
    positions: &[usize],
    units: Units,
    texture: &mut Option<GridTexture>,
) {
    let settings = input.settings;
    let dim = settings.dim_insignificant && input.view.request().permutations > 0;
    let dark = ui.visuals().dark_mode;
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (input.revision, settings.scale, units, dim, dark, positions).hash(&mut h);
        h.finish()
    };
    let throttled = matches!(input.view, CellsView::Streaming(_))
        && positions.len() > 300
        && texture
            .as_ref()
            .is_some_and(|t| t.built.elapsed() < std::time::Duration::from_millis(250));
    if throttled {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(250));
        return;
    }
    if texture.as_ref().is_some_and(|t| t.key == key) {
        return;
    }
    let (image, vmax) = render_cells(
        input.view,
        positions,
        settings.scale,
        units,
        dim,
        ui.visuals(),
    );
    let handle = ui
        .ctx()
        .load_texture("mi-heatmap", image, egui::TextureOptions::NEAREST);
    *texture = Some(GridTexture {
        key,
        handle,
        vmax,
        built: std::time::Instant::now(),
    });
}

/// The value in each cell, when cells are large enough to hold it.
fn cell_numbers(
    painter: &egui::Painter,
    geo: &Geometry,
    input: &GridInput,
    positions: &[usize],
    units: Units,
    vmax: f64,
) {
    let m = positions.len();
    for r in geo.visible(1) {
        for c in geo.visible(0) {
            let (pr, pc) = (positions[r], positions[c]);
            if pr == pc {
                continue;
            }
            let (a, b) = if pr < pc { (pr, pc) } else { (pc, pr) };
            let i = pair_index(m, a, b);
            if let Some(v) = scaled(input.view, input.settings.scale, units, i, a, b) {
                let bg = viridis((v.max(0.0) / vmax) as f32);
                let zero = input.view.cell(i).is_some_and(|cell| {
                    let mi = cell.estimate.as_ref().map_or(f64::NAN, |e| e.mi);
                    widgets::indistinguishable(mi, cell.test.as_ref())
                });
                painter.text(
                    geo.cell_rect(r, c).center(),
                    Align2::CENTER_CENTER,
                    if zero {
                        "≈0".to_string()
                    } else {
                        format!("{v:.2}")
                    },
                    FontId::proportional(11.0),
                    text_on(bg),
                );
            }
        }
    }
}

/// Row names at the left of the viewport, column names rotated above it, for the rows
/// and columns on screen; the hovered pair's names stand out.
fn labels(
    painter: &egui::Painter,
    geo: &Geometry,
    (names, font, color, strong): (&[&str], &FontId, Color32, Color32),
    (rows, cols): (std::ops::Range<usize>, std::ops::Range<usize>),
    hovered: Option<(usize, usize)>,
) {
    let vp = geo.viewport;
    let left = painter.with_clip_rect(Rect::from_x_y_ranges(
        geo.avail.min.x..=vp.min.x,
        vp.y_range(),
    ));
    for i in rows {
        let Some(name) = names.get(i) else { continue };
        let c = if hovered.is_some_and(|h| h.0 == i) {
            strong
        } else {
            color
        };
        let y = geo.origin.y + (i as f32 + 0.5) * geo.cell;
        left.text(
            Pos2::new(vp.min.x - 4.0, y),
            Align2::RIGHT_CENTER,
            truncate(name, 24),
            font.clone(),
            c,
        );
    }
    let top = painter.with_clip_rect(Rect::from_x_y_ranges(
        vp.x_range(),
        geo.avail.min.y..=vp.min.y,
    ));
    for i in cols {
        let Some(name) = names.get(i) else { continue };
        let c = if hovered.is_some_and(|h| h.1 == i) {
            strong
        } else {
            color
        };
        let x = geo.origin.x + (i as f32 + 0.5) * geo.cell;
        let galley = top.layout_no_wrap(truncate(name, 24), font.clone(), c);
        let h = galley.size().y;
        let shape = egui::epaint::TextShape::new(Pos2::new(x - h / 2.0, vp.min.y - 4.0), galley, c)
            .with_angle(-std::f32::consts::FRAC_PI_2);
        top.add(shape);
    }
}

/// The hover card of the cell of request positions (pr, pc).
fn hover_card(
    ui: &mut egui::Ui,
    input: &GridInput,
    units: Units,
    title: &str,
    (pr, pc): (usize, usize),
) {
    let view = input.view;
    let request = view.request();
    let scale = input.settings.scale;
    let m = request.columns.len();
    let (a, b) = if pr < pc { (pr, pc) } else { (pc, pr) };
    let i = pair_index(m, a, b);
    ui.strong(title);
    let Some(cell) = view.cell(i) else {
        ui.label("computing…");
        return;
    };
    let e = match &cell.estimate {
        Err(e) => {
            ui.label(format!("no estimate: {e}"));
            return;
        }
        Ok(e) => e,
    };
    let (mi, raw) = widgets::fmt_info(e.mi, cell.test.as_ref(), units);
    ui.label(format!("MI = {mi} {}", units.name()));
    // r_I of an MI that cannot be told from zero is no more than zero (a review saw
    // "MI = ≈ 0" above "r_I = 0.1263").
    let r_i = if raw.is_some() {
        "≈ 0".to_string()
    } else {
        fmt(info_coefficient(e.mi))
    };
    if let Some(raw) = raw {
        ui.weak(raw);
    }
    ui.label(format!("r_I = {r_i}"));
    if scale.is_nmi()
        && let Some(v) = scaled(view, scale, units, i, a, b)
    {
        ui.label(format!("{} = {}", scale.title(), fmt(v)));
    }
    ui.label(format!("n used = {}", e.n_used));
    let st = e.method.settings_text(&request.settings);
    ui.label(format!(
        "estimator: {}{}",
        e.method.name(),
        if st.is_empty() {
            String::new()
        } else {
            format!(" ({st})")
        }
    ));
    if let Some(note) = super::cells::sparse_table(
        input.summaries,
        request.columns.get(a),
        request.columns.get(b),
        e,
        units,
    ) {
        ui.colored_label(ui.visuals().warn_fg_color, note);
    }
    if cell.test.is_none() {
        ui.weak("not tested against zero: set Permutations for a p-value");
    }
    if let Some(t) = cell.test {
        ui.label(format!(
            "p = {} ({} permutations)",
            fmt_p(t.p_value),
            t.permutations
        ));
        if let Some(p) = view.p_adjusted(i) {
            ui.label(format!("BH-adjusted p = {}", fmt_p(p)));
        }
    }
    ui.weak("click to inspect the pair");
}

/// The right-click menu of a cell; it stays on the cell right-clicked, wherever the
/// pointer goes next.
fn pair_menu(
    response: &egui::Response,
    geo: &Geometry,
    input: &GridInput,
    m: usize,
    cx: &mut PanelCtx,
    menu_pair: &mut Option<(usize, usize)>,
) {
    if response.secondary_clicked() {
        *menu_pair = response
            .interact_pointer_pos()
            .and_then(|p| geo.hit(m, p))
            .filter(|(r, c)| r != c)
            .map(|(r, c)| (c, r));
    }
    let Some((c, r)) = *menu_pair else { return };
    let (Some(&x), Some(&y)) = (input.order.get(c), input.order.get(r)) else {
        return;
    };
    let title = format!(
        "Pair: {} × {}",
        input.names.get(c).copied().unwrap_or("?"),
        input.names.get(r).copied().unwrap_or("?")
    );
    let settings = &input.view.request().settings;
    response.context_menu(|ui| {
        ui.strong(title);
        if ui
            .button("Inspect pair")
            .on_hover_text("Open the pair inspector on these two columns")
            .clicked()
        {
            cx.commands.push(Command::Inspect {
                x,
                y,
                settings: settings.clone(),
            });
            ui.close();
        }
        if ui
            .button("Sweep this pair")
            .on_hover_text(
                "Open the Sensitivity tab on this pair: MI against bins, k and sample size",
            )
            .clicked()
        {
            cx.commands.push(Command::SweepPair { x, y });
            ui.close();
        }
        ui.separator();
        let names = [c, r].map(|p| input.names.get(p).copied().unwrap_or("?"));
        let target = CopyTarget {
            row: pair_row(names[0], names[1]),
            image: Some(response.rect),
        };
        copy_items(ui, &target, cx.commands);
    });
}

/// Colours of every cell (blocks of cells above [`MAX_TEXELS`] columns, showing the
/// block's largest value) and the top of the colour scale.
fn render_cells(
    view: &CellsView,
    positions: &[usize],
    scale: Scale,
    units: Units,
    dim: bool,
    visuals: &egui::Visuals,
) -> (egui::ColorImage, f64) {
    let m = positions.len();
    let dense = view.dense_mi();
    let entropies: Vec<f64> = (0..m).map(|p| view.entropy(p)).collect();
    // Display index of each request position.
    let mut display = vec![0usize; m];
    for (d, &p) in positions.iter().enumerate() {
        if let Some(slot) = display.get_mut(p) {
            *slot = d;
        }
    }
    // One pass over the pairs in storage order (cache-friendly: a wide matrix is
    // millions of cells), keeping each texel's largest value.
    let block = m.div_ceil(MAX_TEXELS).max(1);
    let side = m.div_ceil(block).max(1);
    let mut best = vec![f32::NAN; side * side];
    let mut faded = vec![false; side * side];
    let mut vmax: f64 = 0.0;
    let mut i = 0;
    for a in 0..m {
        for b in a + 1..m {
            let mi = dense.get(i).copied().unwrap_or(f32::NAN);
            if !mi.is_nan()
                && let Some(v) =
                    scale_value(f64::from(mi), scale, units, entropies[a], entropies[b])
            {
                vmax = vmax.max(v);
                let fade = dim && view.p_adjusted(i).is_some_and(|p| p > ALPHA);
                let (ra, rb) = (display[a] / block, display[b] / block);
                for t in [ra * side + rb, rb * side + ra] {
                    if best[t].is_nan() || v as f32 > best[t] {
                        best[t] = v as f32;
                        faded[t] = fade;
                    }
                }
            }
            i += 1;
        }
    }
    if scale.bounded() {
        vmax = 1.0;
    } else if vmax <= 0.0 {
        vmax = 1e-9;
    }
    let (empty, diagonal) = (visuals.extreme_bg_color, visuals.faint_bg_color);
    let pixels = best
        .iter()
        .zip(&faded)
        .enumerate()
        .map(|(t, (&v, &fade))| {
            if v.is_nan() {
                if t / side == t % side {
                    diagonal
                } else {
                    empty
                }
            } else {
                let color = viridis((f64::from(v).max(0.0) / vmax) as f32);
                if fade {
                    color.lerp_to_gamma(empty, 0.7)
                } else {
                    color
                }
            }
        })
        .collect();
    (egui::ColorImage::new([side, side], pixels), vmax)
}

fn hit(grid: Rect, cell: f32, m: usize, p: Pos2) -> Option<(usize, usize)> {
    if !grid.contains(p) {
        return None;
    }
    let c = ((p.x - grid.min.x) / cell) as usize;
    let r = ((p.y - grid.min.y) / cell) as usize;
    (r < m && c < m).then_some((r, c))
}

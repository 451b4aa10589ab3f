//! Painting the grid: the cells rendered into one texture (rebuilt only when what it
//! shows changes), labels when cells are large enough, hover cards, click to inspect
//! and the right-click menu.

use super::cells::{CellsView, scale_value, scaled};
use super::legend::{LEGEND_W, draw_legend};
use super::{ALPHA, HeatmapSettings, Scale};
use crate::analysis::pair_index;
use crate::app::colormap::{text_on, viridis};
use crate::app::commands::Command;
use crate::app::panels::PanelCtx;
use crate::app::widgets::{fmt, fmt_p, truncate};
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

/// Where the grid goes in the space available: labels only when the cells are tall
/// enough to read them.
struct Geometry {
    avail: Rect,
    grid: Rect,
    origin: Pos2,
    cell: f32,
    show_labels: bool,
}

impl Geometry {
    fn fit(ui: &egui::Ui, names: &[&str], m: usize, font: &FontId) -> Self {
        let avail = ui.available_rect_before_wrap();
        let text_color = ui.visuals().text_color();
        let side_for = |label: f32| {
            (avail.width() - label - LEGEND_W)
                .min(avail.height() - label - 8.0)
                .max(10.0)
        };
        let show_labels = m <= 200 && side_for(LABEL_MAX) / m as f32 >= 10.0;
        let label_w = if show_labels {
            names
                .iter()
                .map(|n| {
                    ui.fonts_mut(|f| {
                        f.layout_no_wrap(truncate(n, 24), font.clone(), text_color)
                            .size()
                            .x
                    })
                })
                .fold(0.0f32, f32::max)
                .min(LABEL_MAX)
                + 6.0
        } else {
            0.0
        };
        let cell = (side_for(label_w) / m as f32).min(80.0);
        let origin = avail.min + Vec2::new(label_w, label_w);
        Self {
            avail,
            grid: Rect::from_min_size(origin, Vec2::splat(cell * m as f32)),
            origin,
            cell,
            show_labels,
        }
    }

    /// (display row, display column) under a screen point.
    fn hit(&self, m: usize, p: Pos2) -> Option<(usize, usize)> {
        hit(self.grid, self.cell, m, p)
    }

    fn cell_rect(&self, r: usize, c: usize) -> Rect {
        Rect::from_min_size(
            self.origin + Vec2::new(c as f32 * self.cell, r as f32 * self.cell),
            Vec2::splat(self.cell),
        )
    }
}

/// Draws the grid, its labels and legend; answers hover and clicks.
pub(super) fn draw(
    ui: &mut egui::Ui,
    input: &GridInput,
    cx: &mut PanelCtx,
    texture: &mut Option<GridTexture>,
    menu_pair: &mut Option<(usize, usize)>,
) -> GridLayout {
    let request = input.view.request();
    let m = request.columns.len();
    // Position within the request of each displayed column.
    let positions: Vec<usize> = input
        .order
        .iter()
        .filter_map(|&c| request.columns.iter().position(|&k| k == c))
        .collect();
    let font = FontId::proportional(12.0);
    let text_color = ui.visuals().text_color();
    let geo = Geometry::fit(ui, input.names, m, &font);

    let (response, painter) = ui.allocate_painter(geo.avail.size(), Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "MI heatmap"));

    refresh_texture(ui, input, &positions, cx.units, texture);
    let vmax = texture.as_ref().map_or(1.0, |t| t.vmax);
    if let Some(t) = texture.as_ref() {
        painter.image(
            t.handle.id(),
            geo.grid,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
    }
    if geo.cell >= 38.0 {
        cell_numbers(&painter, &geo, input, &positions, cx.units, vmax);
    }
    painter.rect_stroke(
        geo.grid,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        StrokeKind::Outside,
    );
    if geo.show_labels {
        labels(&painter, &geo, input.names, &font, text_color);
    }
    draw_legend(
        &painter,
        geo.grid,
        input.settings.scale,
        cx.units,
        vmax,
        text_color,
        input.stale,
    );

    if let Some((r, c)) = response.hover_pos().and_then(|p| geo.hit(m, p))
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
                geo.grid.max.x + LEGEND_W,
                geo.grid.max.y.max(geo.grid.min.y + 400.0) + 6.0,
            ),
        )
        .intersect(geo.avail),
        order: input.order.to_vec(),
    }
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
    for (r, &pr) in positions.iter().enumerate() {
        for (c, &pc) in positions.iter().enumerate() {
            if pr == pc {
                continue;
            }
            let (a, b) = if pr < pc { (pr, pc) } else { (pc, pr) };
            let i = pair_index(m, a, b);
            if let Some(v) = scaled(input.view, input.settings.scale, units, i, a, b) {
                let bg = viridis((v.max(0.0) / vmax) as f32);
                painter.text(
                    geo.cell_rect(r, c).center(),
                    Align2::CENTER_CENTER,
                    format!("{v:.2}"),
                    FontId::proportional(11.0),
                    text_on(bg),
                );
            }
        }
    }
}

/// Row names at the left, column names rotated above.
fn labels(painter: &egui::Painter, geo: &Geometry, names: &[&str], font: &FontId, color: Color32) {
    for (i, name) in names.iter().enumerate() {
        let name = truncate(name, 24);
        let y = geo.origin.y + (i as f32 + 0.5) * geo.cell;
        painter.text(
            Pos2::new(geo.origin.x - 4.0, y),
            Align2::RIGHT_CENTER,
            &name,
            font.clone(),
            color,
        );
        let x = geo.origin.x + (i as f32 + 0.5) * geo.cell;
        let galley = painter.layout_no_wrap(name, font.clone(), color);
        let h = galley.size().y;
        let shape =
            egui::epaint::TextShape::new(Pos2::new(x - h / 2.0, geo.origin.y - 4.0), galley, color)
                .with_angle(-std::f32::consts::FRAC_PI_2);
        painter.add(shape);
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
    ui.label(format!(
        "MI = {} {}",
        fmt(units.from_nats(e.mi)),
        units.name()
    ));
    ui.label(format!("r_I = {}", fmt(info_coefficient(e.mi))));
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

//! The three-variable view of a synergy pair: how the target T depends on (Xi, Xj)
//! together. Two discrete features with few levels: T's distribution in each (Xi, Xj)
//! cell, as a grid of stacked bars (an XOR shows as a checkerboard). Otherwise: Xi
//! against Xj, each row a point coloured by T (a legend of T's categories, or a colour
//! scale for a continuous T); a discrete feature's levels are spread a little so points
//! that share a level stay visible.

use crate::app::colormap::{CATEGORICAL, viridis};
use crate::app::widgets::{fmt, truncate};
use crate::data::{Column, Dataset};
use egui::{Align2, FontId, Rect, Sense, Stroke, StrokeKind, Vec2};
use egui_plot::{Legend, Plot, Points};

/// A discrete column with at most this many levels gets a grid row or column of its own.
const MAX_GRID_LEVELS: usize = 12;
/// A discrete target with at most this many categories gets a colour each; more are
/// drawn on a colour scale.
const MAX_T_CATEGORIES: usize = 10;
/// Points drawn at most (every k-th complete row beyond it).
const MAX_POINTS: usize = 6000;

/// The drawn view of one pair, built once when the pair is picked.
pub struct Triple {
    pub x: usize,
    pub y: usize,
    pub target: usize,
    names: [String; 3],
    /// Tick labels of a text axis (Xi, Xj): a label per code.
    axis_labels: [Option<Vec<String>>; 2],
    /// Rows with Xi, Xj and T all present.
    pub n_complete: usize,
    pub shape: Shape,
}

pub enum Shape {
    /// T's counts per (Xi level, Xj level): `counts[a][b][t]`.
    Grid {
        x_levels: Vec<String>,
        y_levels: Vec<String>,
        t_levels: Vec<String>,
        counts: Vec<Vec<Vec<usize>>>,
    },
    /// Points of Xi against Xj, one series per T category.
    ByCategory {
        series: Vec<(String, Vec<[f64; 2]>)>,
        drawn: usize,
    },
    /// Points of Xi against Xj with T's value, for a colour scale.
    ByValue {
        points: Vec<([f64; 2], f64)>,
        range: (f64, f64),
    },
}

/// Distinct present values of a column, sorted.
fn levels(c: &Column, rows: &[usize]) -> Vec<f64> {
    let mut v: Vec<f64> = rows.iter().map(|&r| c.values[r]).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn level_index(levels: &[f64], v: f64) -> usize {
    levels
        .binary_search_by(|l| l.total_cmp(&v))
        .unwrap_or_else(|i| i.min(levels.len().saturating_sub(1)))
}

/// A small deterministic spread for the points of a discrete axis; `mult` differs per
/// axis (irrational, unrelated) so the two spreads fill a square instead of a line.
fn spread(c: &Column, v: f64, k: usize, step: f64, mult: f64) -> f64 {
    if c.kind.is_discrete() {
        v + ((k as f64 * mult).fract() - 0.5) * 0.6 * step
    } else {
        v
    }
}

impl Triple {
    pub fn build(ds: &Dataset, x: usize, y: usize, target: usize) -> Option<Self> {
        let (cx, cy, ct) = (
            ds.columns.get(x)?,
            ds.columns.get(y)?,
            ds.columns.get(target)?,
        );
        let rows: Vec<usize> = (0..ds.n_rows)
            .filter(|&r| !(cx.values[r].is_nan() || cy.values[r].is_nan() || ct.values[r].is_nan()))
            .collect();
        let (lx, ly, lt) = (levels(cx, &rows), levels(cy, &rows), levels(ct, &rows));
        let t_categorical = ct.kind.is_discrete() && lt.len() <= MAX_T_CATEGORIES;
        let label = |c: &Column, l: &[f64]| -> Vec<String> {
            l.iter().map(|&v| truncate(&c.label_of(v), 14)).collect()
        };
        let gridded = cx.kind.is_discrete()
            && cy.kind.is_discrete()
            && t_categorical
            && lx.len() <= MAX_GRID_LEVELS
            && ly.len() <= MAX_GRID_LEVELS;
        let shape = if gridded {
            let mut counts = vec![vec![vec![0usize; lt.len()]; ly.len()]; lx.len()];
            for &r in &rows {
                let (a, b, t) = (
                    level_index(&lx, cx.values[r]),
                    level_index(&ly, cy.values[r]),
                    level_index(&lt, ct.values[r]),
                );
                counts[a][b][t] += 1;
            }
            Shape::Grid {
                x_levels: label(cx, &lx),
                y_levels: label(cy, &ly),
                t_levels: label(ct, &lt),
                counts,
            }
        } else {
            let stride = rows.len().div_ceil(MAX_POINTS).max(1);
            let step = |l: &[f64]| {
                l.windows(2)
                    .map(|w| w[1] - w[0])
                    .fold(f64::INFINITY, f64::min)
                    .min(1.0)
            };
            let (sx, sy) = (step(&lx), step(&ly));
            let point = |k: usize, r: usize| {
                [
                    spread(cx, cx.values[r], k, sx, 0.618_033_988_7),
                    spread(cy, cy.values[r], k, sy, 0.414_213_562_4),
                ]
            };
            let picked = rows.iter().step_by(stride).enumerate();
            if t_categorical {
                let mut series: Vec<(String, Vec<[f64; 2]>)> = label(ct, &lt)
                    .into_iter()
                    .map(|l| (l, Vec::new()))
                    .collect();
                let mut drawn = 0;
                for (k, &r) in picked {
                    series[level_index(&lt, ct.values[r])].1.push(point(k, r));
                    drawn += 1;
                }
                Shape::ByCategory { series, drawn }
            } else {
                let points: Vec<([f64; 2], f64)> =
                    picked.map(|(k, &r)| (point(k, r), ct.values[r])).collect();
                let range = (
                    lt.first().copied().unwrap_or(0.0),
                    lt.last().copied().unwrap_or(1.0),
                );
                Shape::ByValue { points, range }
            }
        };
        Some(Self {
            x,
            y,
            target,
            names: [cx.name.clone(), cy.name.clone(), ct.name.clone()],
            axis_labels: [cx.labels.clone(), cy.labels.clone()],
            n_complete: rows.len(),
            shape,
        })
    }

    /// The scatter's frame: axis names, and a text column's labels at its codes.
    fn plot<'a>(&self, id: &'a str) -> Plot<'a> {
        let tick = |labels: Option<Vec<String>>| {
            move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
                let i = mark.value.round();
                match &labels {
                    Some(l) if (mark.value - i).abs() < 1e-6 && i >= 0.0 => {
                        l.get(i as usize).cloned().unwrap_or_default()
                    }
                    Some(_) => String::new(),
                    None => egui_plot::format_number(mark.value, 4),
                }
            }
        };
        let [xl, yl] = self.axis_labels.clone();
        Plot::new(id)
            .height(340.0)
            // The wheel scrolls the panel around the plot, not the plot (drag pans it).
            .allow_scroll(false)
            .x_axis_label(self.names[0].as_str())
            .y_axis_label(self.names[1].as_str())
            .x_axis_formatter(tick(xl))
            .y_axis_formatter(tick(yl))
    }

    /// Draws the view; returns the drawn rectangle (for Save PNG).
    pub fn show(&self, ui: &mut egui::Ui, plot_id: &str) -> Rect {
        let [xn, yn, tn] = &self.names;
        ui.strong(format!("Three-variable view: {tn} by {xn} and {yn}"));
        match &self.shape {
            Shape::Grid {
                x_levels,
                y_levels,
                t_levels,
                counts,
            } => {
                ui.weak(format!(
                    "Each cell: the share of each {tn} value among the rows with that {xn} (rows) and {yn} (columns); {} complete rows. Synergy shows as cells whose mix differs from their row's and column's.",
                    self.n_complete
                ));
                let rect = grid(ui, (x_levels, y_levels, t_levels), counts, [xn, yn, tn]);
                t_legend(ui, tn, t_levels);
                rect
            }
            Shape::ByCategory { series, drawn } => {
                ui.weak(format!(
                    "{yn} (up) against {xn} (across), each row coloured by {tn}: {drawn} of {} complete rows drawn.",
                    self.n_complete
                ));
                let r = self
                    .plot(plot_id)
                    .legend(Legend::default().title(tn))
                    .show(ui, |p| {
                        for (i, (name, pts)) in series.iter().enumerate() {
                            p.points(
                                Points::new(name.as_str(), pts.clone())
                                    .radius(2.0)
                                    .color(CATEGORICAL[i % CATEGORICAL.len()]),
                            );
                        }
                    });
                r.response.rect
            }
            Shape::ByValue { points, range } => {
                ui.weak(format!(
                    "{yn} (up) against {xn} (across), each row coloured by {tn} (scale below): {} of {} complete rows drawn.",
                    points.len(),
                    self.n_complete
                ));
                let span = (range.1 - range.0).max(1e-12);
                // Points of similar T share a series: one colour each, a handful of series.
                let bands = 16;
                let mut series = vec![Vec::new(); bands];
                for (p, t) in points {
                    let b = (((t - range.0) / span) * bands as f64).floor() as usize;
                    series[b.min(bands - 1)].push(*p);
                }
                let r = self.plot(plot_id).show(ui, |p| {
                    for (b, pts) in series.into_iter().enumerate() {
                        let c = viridis((b as f32 + 0.5) / bands as f32);
                        p.points(
                            Points::new(format!("{tn} band {b}"), pts)
                                .radius(2.0)
                                .color(c),
                        );
                    }
                });
                let rect = r.response.rect;
                color_scale(ui, tn, *range);
                rect
            }
        }
    }
}

/// The grid of stacked bars; rows are Xi's levels, columns Xj's.
fn grid(
    ui: &mut egui::Ui,
    (xl, yl, tl): (&[String], &[String], &[String]),
    counts: &[Vec<Vec<usize>>],
    [xn, yn, tn]: [&String; 3],
) -> Rect {
    let label_w = 90.0;
    let avail = ui.available_width() - label_w - 10.0;
    let cell = (avail / yl.len().max(1) as f32).clamp(36.0, 90.0);
    let size = Vec2::new(
        label_w + cell * yl.len() as f32,
        20.0 + cell * xl.len() as f32,
    );
    let (resp, painter) = ui.allocate_painter(size, Sense::hover());
    let drawn = resp.rect;
    let text = ui.visuals().text_color();
    let font = FontId::proportional(11.0);
    let origin = resp.rect.min + Vec2::new(label_w, 20.0);
    for (b, name) in yl.iter().enumerate() {
        let p = origin + Vec2::new((b as f32 + 0.5) * cell, -10.0);
        painter.text(p, Align2::CENTER_CENTER, name, font.clone(), text);
    }
    let mut hovered = None;
    for (a, row) in counts.iter().enumerate() {
        let p = origin + Vec2::new(-6.0, (a as f32 + 0.5) * cell);
        painter.text(p, Align2::RIGHT_CENTER, &xl[a], font.clone(), text);
        for (b, ts) in row.iter().enumerate() {
            let r = Rect::from_min_size(
                origin + Vec2::new(b as f32 * cell, a as f32 * cell),
                Vec2::splat(cell),
            )
            .shrink(2.0);
            let total: usize = ts.iter().sum();
            painter.rect_filled(r, 0.0, ui.visuals().faint_bg_color);
            if total > 0 {
                let mut y = r.max.y;
                for (t, &n) in ts.iter().enumerate() {
                    let h = r.height() * n as f32 / total as f32;
                    let bar = Rect::from_x_y_ranges(r.x_range(), (y - h)..=y);
                    painter.rect_filled(bar, 0.0, CATEGORICAL[t % CATEGORICAL.len()]);
                    y -= h;
                }
            }
            painter.rect_stroke(
                r,
                0.0,
                Stroke::new(1.0, ui.visuals().weak_text_color()),
                StrokeKind::Outside,
            );
            if resp.hover_pos().is_some_and(|p| r.contains(p)) {
                hovered = Some((a, b));
            }
        }
    }
    if let Some((a, b)) = hovered {
        let ts = &counts[a][b];
        let total: usize = ts.iter().sum();
        resp.on_hover_ui_at_pointer(|ui| {
            ui.strong(format!("{xn} = {}, {yn} = {}: {total} rows", xl[a], yl[b]));
            for (t, &n) in ts.iter().enumerate() {
                let share = if total > 0 {
                    n as f64 / total as f64
                } else {
                    f64::NAN
                };
                ui.label(format!("{tn} = {}: {n} ({})", tl[t], fmt(share)));
            }
        });
    }
    drawn
}

fn t_legend(ui: &mut egui::Ui, tn: &str, levels: &[String]) {
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{tn}:"));
        for (i, l) in levels.iter().enumerate() {
            let (r, p) = ui.allocate_painter(Vec2::splat(12.0), Sense::hover());
            p.rect_filled(r.rect, 2.0, CATEGORICAL[i % CATEGORICAL.len()]);
            ui.label(l);
        }
    });
}

fn color_scale(ui: &mut egui::Ui, tn: &str, (lo, hi): (f64, f64)) {
    ui.horizontal(|ui| {
        ui.label(format!("{tn}: {}", fmt(lo)));
        let (r, p) = ui.allocate_painter(Vec2::new(160.0, 12.0), Sense::hover());
        let steps = 32;
        for s in 0..steps {
            let w = r.rect.width() / steps as f32;
            let cell = Rect::from_min_size(
                r.rect.min + Vec2::new(s as f32 * w, 0.0),
                Vec2::new(w + 0.5, r.rect.height()),
            );
            p.rect_filled(cell, 0.0, viridis((s as f32 + 0.5) / steps as f32));
        }
        ui.label(fmt(hi));
    });
}

//! Painting the network and finding what the pointer is on: nodes first (they sit on
//! top), then the nearest edge within a few pixels.

use super::NetworkResult;
use crate::analysis::network::Strength;
use crate::app::colormap::CATEGORICAL;
use crate::app::commands::Command;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};
use crate::app::loaded::Loaded;
use crate::app::panels::PanelCtx;
use crate::app::widgets::{fmt, fmt_p};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};

const NODE_R: f32 = 6.0;
/// Labels are drawn beside every node up to this many nodes; beyond, on hover.
const LABEL_ALL: usize = 80;

fn node_color(cluster: Option<usize>) -> Color32 {
    cluster.map_or(Color32::from_gray(130), |c| {
        CATEGORICAL[c % CATEGORICAL.len()]
    })
}

/// What the pointer is over.
enum Hit {
    Node(usize),
    Edge(usize),
}

/// Draws the network into the space left; returns its rectangle (for Save PNG) and each
/// node's (dataset column, screen centre).
pub fn network(
    ui: &mut egui::Ui,
    cx: &mut PanelCtx,
    data: &Loaded,
    res: &NetworkResult,
) -> (Rect, Vec<(usize, Pos2)>) {
    let units = cx.units;
    let cols = res.columns();
    let n = cols.len();
    let clusters = match res.clusters.iter().flatten().max().map_or(0, |m| m + 1) {
        1 => "1 cluster".to_string(),
        n => format!("{n} clusters"),
    };
    ui.weak(format!(
        "Node colour: average-linkage cluster on 1 − r_I (mean r_I ≥ {} within), grey: in no cluster \
         ({clusters}). Edge width by {}. Click a node for its target view, an edge to inspect the pair; right-click to copy.",
        1.0 - super::CLUSTER_CUT,
        match res.width_by {
            Strength::Mi => "MI",
            Strength::InfoCoefficient => "r_I",
        }
    ));
    let size = ui.available_size().max(Vec2::new(200.0, 200.0));
    let (resp, painter) = ui.allocate_painter(size, Sense::click());
    let rect = resp.rect;
    let area = rect.shrink2(Vec2::new(70.0, 24.0));
    let at = |i: usize| {
        let p = res.positions[i];
        Pos2::new(
            area.min.x + p[0] as f32 * area.width(),
            area.min.y + p[1] as f32 * area.height(),
        )
    };
    let screen: Vec<Pos2> = (0..n).map(at).collect();
    let hit = resp.hover_pos().and_then(|p| hit_test(p, &screen, res));
    let w_max = res
        .edges
        .iter()
        .map(|e| e.strength(res.width_by))
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let text = ui.visuals().text_color();
    let edge_color = ui.visuals().text_color().gamma_multiply(0.35);
    let hot = Color32::from_rgb(230, 120, 20);
    for (k, e) in res.edges.iter().enumerate() {
        let w = 0.5 + 4.5 * (e.strength(res.width_by) / w_max) as f32;
        let c = if matches!(hit, Some(Hit::Edge(h)) if h == k)
            || matches!(hit, Some(Hit::Node(h)) if h == e.a || h == e.b)
        {
            hot
        } else {
            edge_color
        };
        painter.line_segment([screen[e.a], screen[e.b]], Stroke::new(w, c));
    }
    let font = FontId::proportional(11.0);
    for (i, &p) in screen.iter().enumerate() {
        let hovered = matches!(hit, Some(Hit::Node(h)) if h == i);
        let r = if hovered { NODE_R + 2.0 } else { NODE_R };
        painter.circle(p, r, node_color(res.clusters[i]), Stroke::new(1.0, text));
        if n <= LABEL_ALL || hovered {
            let name = data.column_name(cols[i]);
            let width = painter
                .layout_no_wrap(name.to_string(), font.clone(), text)
                .size()
                .x;
            // Labels of nodes near the right edge go on their left, inside the canvas.
            let (offset, align) = if p.x + NODE_R + 3.0 + width > rect.max.x {
                (-(NODE_R + 3.0), Align2::RIGHT_CENTER)
            } else {
                (NODE_R + 3.0, Align2::LEFT_CENTER)
            };
            painter.text(p + Vec2::new(offset, 0.0), align, name, font.clone(), text);
        }
    }
    let tested = res.matrix().request.permutations > 0;
    let cells = &res.matrix().cells;
    match hit {
        Some(Hit::Node(i)) => {
            let degree = res.edges.iter().filter(|e| e.a == i || e.b == i).count();
            resp.clone().on_hover_text(format!(
                "{}: {degree} edges. Click for its target view (MI with every other column).",
                data.column_name(cols[i])
            ));
        }
        Some(Hit::Edge(k)) => {
            let e = &res.edges[k];
            let method = cells[e.cell]
                .estimate
                .as_ref()
                .map_or("none", |est| est.method.name());
            let sig = if tested {
                format!("BH-adjusted p {}", fmt_p(e.p_adjusted))
            } else {
                "untested (no permutations in the heatmap)".to_string()
            };
            resp.clone().on_hover_text(format!(
                "{} × {}\nMI = {} {} · r_I = {} · {method}\n{sig}\nClick to inspect the pair.",
                data.column_name(cols[e.a]),
                data.column_name(cols[e.b]),
                fmt(units.from_nats(e.mi)),
                units.name(),
                fmt(e.r_i),
            ));
        }
        None => {}
    }
    if resp.clicked() {
        match hit {
            Some(Hit::Node(i)) => cx.commands.push(Command::ShowTarget { column: cols[i] }),
            Some(Hit::Edge(k)) => {
                let c = &cells[res.edges[k].cell];
                cx.commands.push(Command::Inspect {
                    x: c.x,
                    y: c.y,
                    settings: res.matrix().request.settings.clone(),
                });
            }
            None => {}
        }
    }
    // The edge under the right-click, remembered while its menu is open.
    let menu_id = resp.id.with("menu edge");
    if resp.secondary_clicked() {
        let edge = match hit {
            Some(Hit::Edge(k)) => Some(k),
            _ => None,
        };
        ui.data_mut(|d| d.insert_temp(menu_id, edge));
    }
    let menu_edge: Option<usize> = ui.data(|d| d.get_temp(menu_id)).flatten();
    let row = menu_edge
        .and_then(|k| res.edges.get(k))
        .and_then(|e| cells.get(e.cell))
        .and_then(|c| pair_row(data.column_name(c.x), data.column_name(c.y)));
    let target = CopyTarget {
        row,
        image: Some(rect),
    };
    copy_menu(&resp, target, cx.commands);
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "dependence network"));
    let nodes = cols.iter().copied().zip(screen).collect();
    (rect, nodes)
}

/// The node under `p` (within its radius and a little), else the nearest edge within
/// four pixels.
fn hit_test(p: Pos2, screen: &[Pos2], res: &NetworkResult) -> Option<Hit> {
    let near = screen
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.distance(p)))
        .filter(|&(_, d)| d <= NODE_R + 3.0)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((i, _)) = near {
        return Some(Hit::Node(i));
    }
    res.edges
        .iter()
        .enumerate()
        .map(|(k, e)| (k, segment_distance(p, screen[e.a], screen[e.b])))
        .filter(|&(_, d)| d <= 4.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| Hit::Edge(k))
}

fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

//! The inspector's contingency table: counts, p(x,y) or PMI per cell, labels shortened
//! to fit with the full ones on hover, and its CSV export.

use super::TableView;
use crate::analysis::inspect::{Contingency, PairDetails};
use crate::app::colormap::{diverging, text_on, viridis};
use crate::estimate::Units;
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

/// Longest a rotated column label is drawn (px).
const ROTATED_MAX: f32 = 170.0;

/// Largest contingency table drawn cell by cell.
const MAX_TABLE: usize = 40;

pub(super) fn contingency_grid(
    ui: &mut egui::Ui,
    d: &PairDetails,
    t: &Contingency,
    view: TableView,
    units: Units,
) -> Rect {
    let (mx, my) = (
        t.x_labels.len().min(MAX_TABLE),
        t.y_labels.len().min(MAX_TABLE),
    );
    if t.x_labels.len() > MAX_TABLE || t.y_labels.len() > MAX_TABLE {
        ui.weak(format!(
            "{} × {} values: showing the first {mx} × {my} (export the table for all)",
            t.x_labels.len(),
            t.y_labels.len()
        ));
    }
    let pmi_max = (0..mx)
        .flat_map(|i| (0..my).map(move |j| (i, j)))
        .map(|(i, j)| t.pmi(i, j))
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, v| a.max(v.abs()))
        .max(1e-9);
    let pmax = (0..mx)
        .flat_map(|i| (0..my).map(move |j| (i, j)))
        .map(|(i, j)| t.prob(i, j))
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let text = ui.visuals().text_color();
    // Row labels as wide as the longest needs (about 6.5 px a character at 11 pt), up
    // to a third of the width: a review found "Extremely libe…" cut beside empty space.
    let longest = t.x_labels[..mx]
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    let label_w = (longest as f32 * 6.5 + 10.0).clamp(60.0, (ui.available_width() / 3.0).max(60.0));
    let cell_w = ((ui.available_width() - label_w) / my.max(1) as f32).clamp(34.0, 80.0);
    let cell_h = 22.0;
    // Column labels that do not fit across their cells are written upwards, up to
    // ROTATED_MAX px long, so that labels sharing a start stay apart.
    let font = FontId::proportional(11.0);
    let widest = t.y_labels[..my]
        .iter()
        .map(|l| {
            ui.painter()
                .layout_no_wrap(l.clone(), font.clone(), text)
                .size()
                .x
        })
        .fold(0.0f32, f32::max);
    let rotated = widest > cell_w - 4.0;
    let header_h = if rotated {
        widest.min(ROTATED_MAX) + 8.0
    } else {
        cell_h
    };
    let size = Vec2::new(
        label_w + cell_w * my as f32,
        header_h + cell_h * mx as f32 + 18.0,
    );
    let (resp, painter) = ui.allocate_painter(size, Sense::hover());
    let o = resp.rect.min + Vec2::new(label_w, header_h + 18.0);
    painter.text(
        Pos2::new(o.x, resp.rect.min.y),
        Align2::LEFT_TOP,
        format!("columns: {}  ·  rows: {}", d.y_name, d.x_name),
        FontId::proportional(11.0),
        text,
    );
    for j in 0..my {
        let r = Rect::from_min_size(
            Pos2::new(o.x + j as f32 * cell_w, o.y - header_h),
            Vec2::new(cell_w, header_h),
        );
        if rotated {
            let galley =
                painter.layout_no_wrap(short(&t.y_labels[j], ROTATED_MAX), font.clone(), text);
            let h = galley.size().y;
            let at = Pos2::new(r.center().x - h / 2.0, r.bottom() - 4.0);
            painter.add(
                egui::epaint::TextShape::new(at, galley, text)
                    .with_angle(-std::f32::consts::FRAC_PI_2),
            );
        } else {
            painter.text(
                r.center(),
                Align2::CENTER_CENTER,
                &t.y_labels[j],
                font.clone(),
                text,
            );
        }
    }
    for i in 0..mx {
        let y = o.y + i as f32 * cell_h;
        painter.text(
            Pos2::new(o.x - 6.0, y + cell_h / 2.0),
            Align2::RIGHT_CENTER,
            short(&t.x_labels[i], label_w),
            FontId::proportional(11.0),
            text,
        );
        for j in 0..my {
            let r = Rect::from_min_size(
                Pos2::new(o.x + j as f32 * cell_w, y),
                Vec2::new(cell_w, cell_h),
            );
            let (color, label) = match view {
                TableView::Counts => (
                    viridis((t.prob(i, j) / pmax) as f32),
                    t.count(i, j).to_string(),
                ),
                TableView::Probabilities => (
                    viridis((t.prob(i, j) / pmax) as f32),
                    format!("{:.3}", t.prob(i, j)),
                ),
                TableView::Pmi => {
                    let v = t.pmi(i, j);
                    if v.is_finite() {
                        (
                            diverging((v / pmi_max) as f32),
                            format!("{:.2}", units.from_nats(v)),
                        )
                    } else {
                        (ui.visuals().extreme_bg_color, "–".to_string())
                    }
                }
            };
            painter.rect_filled(r.shrink(0.5), 0.0, color);
            painter.text(
                r.center(),
                Align2::CENTER_CENTER,
                label,
                FontId::proportional(11.0),
                text_on(color),
            );
        }
    }
    let grid = Rect::from_min_size(o, Vec2::new(cell_w * my as f32, cell_h * mx as f32));
    painter.rect_stroke(
        grid,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        StrokeKind::Outside,
    );
    // Labels are shortened to fit: hovering names the full labels (and a cell's values).
    if let Some(p) = resp.hover_pos() {
        let (fi, fj) = ((p.y - o.y) / cell_h, (p.x - o.x) / cell_w);
        let j = (fj >= 0.0 && (fj as usize) < my).then_some(fj as usize);
        let i = (fi >= 0.0 && (fi as usize) < mx).then_some(fi as usize);
        let tip = match (i, j) {
            (Some(i), Some(j)) => Some(format!(
                "{} = {}, {} = {}: {} rows (p = {:.4}), PMI {}",
                d.x_name,
                t.x_labels[i],
                d.y_name,
                t.y_labels[j],
                t.count(i, j),
                t.prob(i, j),
                match t.pmi(i, j) {
                    v if v.is_finite() => format!("{:.3} {}", units.from_nats(v), units.name()),
                    _ => "undefined (never together)".into(),
                }
            )),
            (None, Some(j)) if p.y < o.y && p.y >= o.y - header_h => {
                Some(format!("{} = {}", d.y_name, t.y_labels[j]))
            }
            (Some(i), None) if fj < 0.0 => Some(format!("{} = {}", d.x_name, t.x_labels[i])),
            _ => None,
        };
        if let Some(tip) = tip {
            resp.clone().on_hover_text_at_pointer(tip);
        }
    }
    if view == TableView::Pmi {
        ui.weak(format!("PMI in {}: red = more often together than independence predicts, blue = less, – = never together", units.name()));
    }
    resp.rect
}

/// `s` in about `width` px at 11 pt. Too long, it keeps its start and its end around
/// "…": labels of one scale often share a start ("Strong Dem", "Strong Rep").
pub(super) fn short(s: &str, width: f32) -> String {
    let max = ((width / 6.5) as usize).max(3);
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let tail = (max - 1) / 2;
    let head = max - 1 - tail;
    let mut t: String = s.chars().take(head).collect();
    t.push('…');
    t.extend(s.chars().skip(n - tail));
    t
}

/// The inspector's contingency table as CSV: one row per cell.
pub fn contingency_csv(d: &PairDetails, t: &Contingency, units: Units) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# pair: {} x {}; n_used={}; pmi unit={}\n",
        d.x_name,
        d.y_name,
        d.n_used,
        units.name()
    ));
    out.push_str(&format!(
        "{},{},count,probability,pmi,unit\n",
        csv_field(&d.x_name),
        csv_field(&d.y_name)
    ));
    for (i, xl) in t.x_labels.iter().enumerate() {
        for (j, yl) in t.y_labels.iter().enumerate() {
            let pmi = t.pmi(i, j);
            let pmi = if pmi.is_finite() {
                format!("{}", units.from_nats(pmi))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                csv_field(xl),
                csv_field(yl),
                t.count(i, j),
                t.prob(i, j),
                pmi,
                units.name()
            ));
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn shortened_labels_keep_their_ends_apart() {
        assert_eq!(short("Weak", 40.0), "Weak");
        let (a, b) = (
            short("Strong Democrat", 40.0),
            short("Strong Republican", 40.0),
        );
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), 6);
        assert!(
            a.starts_with("Str") && a.contains('…') && a.ends_with("at"),
            "{a}"
        );
    }
}

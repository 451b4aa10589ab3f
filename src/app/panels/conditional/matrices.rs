//! The three matrices side by side: I(X;Y), I(X;Y|Z) and their difference.

use super::*;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};

impl ConditionalPanel {
    pub(super) fn matrices(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &ConditionalResult,
    ) {
        let units = cx.units;
        let cols: Vec<usize> = res
            .request
            .columns
            .iter()
            .copied()
            .filter(|&c| c != res.request.given)
            .collect();
        let m = cols.len();
        if m > MAX_MATRIX {
            // Three m×m paintings every frame would stall the UI, and 1-pixel cells say nothing.
            ui.weak(format!(
                "{m} columns: too many for readable matrices; the table below lists every pair."
            ));
            self.view.matrices_rect = None;
            return;
        }
        let mut position = vec![None; data.ds.columns.len()];
        for (i, &c) in cols.iter().enumerate() {
            if let Some(slot) = position.get_mut(c) {
                *slot = Some(i);
            }
        }
        let pos = |c: usize| position.get(c).copied().flatten();
        // Values per (a, b) position, symmetric; NaN where there is no estimate.
        let mut mi = vec![f64::NAN; m * m];
        let mut cmi = vec![f64::NAN; m * m];
        let mut effects = vec![Effect::None; m * m];
        for r in &res.rows {
            if let (Some(a), Some(b), Ok(e)) = (pos(r.x), pos(r.y), &r.estimate) {
                for (i, j) in [(a, b), (b, a)] {
                    mi[i * m + j] = units.from_nats(e.mi);
                    cmi[i * m + j] = units.from_nats(e.cmi);
                    effects[i * m + j] = effect_of(r);
                }
            }
        }
        let diff: Vec<f64> = mi.iter().zip(&cmi).map(|(a, b)| b - a).collect();
        let vmax = mi
            .iter()
            .chain(&cmi)
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let dmax = diff
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, v| a.max(v.abs()))
            .max(1e-9);
        let z = data.column_name(res.request.given).to_string();
        let u = units.name();

        let avail_w = ui.available_width();
        let legend_w = 70.0;
        // Row names fit beside the first matrix only when its cells are tall enough to
        // tell rows apart; otherwise hovering a cell names the pair.
        let label_w = 130.0;
        let side_with = ((avail_w - 3.0 * legend_w - label_w - 40.0) / 3.0).clamp(120.0, 250.0);
        let show_names = side_with / m.max(1) as f32 >= 13.0;
        let side = if show_names {
            side_with
        } else {
            ((avail_w - 3.0 * legend_w - 40.0) / 3.0).clamp(120.0, 250.0)
        };
        let cell = side / m.max(1) as f32;
        let names: Vec<String> = cols
            .iter()
            .map(|&c| data.column_name(c).to_string())
            .collect();
        let mut clicked: Option<(usize, usize)> = None;
        // The pair under the last right-click (dataset columns), for its menu's row copy.
        let mut menu_pair = self.view.menu_pair;
        let mut chosen = Vec::new();
        let text_color = ui.visuals().text_color();
        let start = ui.cursor().min;
        ui.horizontal_top(|ui| {
            let specs: [(&str, &[f64], bool); 3] = [
                ("I(X;Y)", &mi, false),
                ("I(X;Y|Z)", &cmi, false),
                ("I(X;Y|Z) − I(X;Y)", &diff, true),
            ];
            for (title, values, signed) in specs {
                ui.vertical(|ui| {
                    ui.label(RichText::new(format!("{title} ({u})")).strong())
                        .on_hover_text(match title {
                            "I(X;Y)" => "Mutual information of each pair, on the rows where X, Y and Z are all present",
                            "I(X;Y|Z)" => "Information X and Y share once Z is known",
                            _ => "Blue: Z explains the dependence away (common cause). Red: Z reveals it (collider, synergy such as XOR)",
                        });
                    ui.horizontal_top(|ui| {
                        if show_names && !signed && title == "I(X;Y)" {
                            let (lr, lp) = ui.allocate_painter(Vec2::new(label_w, side), Sense::hover());
                            for (i, n) in names.iter().enumerate() {
                                let y = lr.rect.min.y + (i as f32 + 0.5) * cell;
                                let short: String = if n.chars().count() > 20 {
                                    n.chars().take(19).chain(std::iter::once('…')).collect()
                                } else {
                                    n.clone()
                                };
                                lp.text(
                                    Pos2::new(lr.rect.max.x - 4.0, y),
                                    Align2::RIGHT_CENTER,
                                    short,
                                    FontId::proportional(11.0),
                                    text_color,
                                );
                            }
                        }
                        let (resp, painter) = ui.allocate_painter(Vec2::splat(side), Sense::click());
                        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, title));
                        let origin = resp.rect.min;
                        for a in 0..m {
                            for b in 0..m {
                                let rect = Rect::from_min_size(origin + Vec2::new(b as f32 * cell, a as f32 * cell), Vec2::splat(cell));
                                let v = values[a * m + b];
                                let color = if a == b || !v.is_finite() {
                                    ui.visuals().faint_bg_color
                                } else if signed {
                                    diverging((v / dmax) as f32)
                                } else {
                                    viridis((v.max(0.0) / vmax) as f32)
                                };
                                painter.rect_filled(rect, 0.0, color);
                                if cell >= 34.0 && a != b && v.is_finite() {
                                    painter.text(rect.center(), Align2::CENTER_CENTER, format!("{v:.2}"), FontId::proportional(10.0), text_on(color));
                                }
                            }
                        }
                        painter.rect_stroke(resp.rect, 0.0, Stroke::new(1.0, ui.visuals().weak_text_color()), StrokeKind::Outside);
                        let hit = |p: Pos2| {
                            let (b, a) = (((p.x - origin.x) / cell) as usize, ((p.y - origin.y) / cell) as usize);
                            (resp.rect.contains(p) && a < m && b < m && a != b).then_some((a, b))
                        };
                        if let Some(h) = resp.hover_pos().and_then(hit) {
                            let (ca, cb) = (cols[h.0], cols[h.1]);
                            let (vm, vc) = (mi[h.0 * m + h.1], cmi[h.0 * m + h.1]);
                            resp.clone().on_hover_ui_at_pointer(|ui| {
                                ui.strong(format!("{} × {}", data.column_name(cb), data.column_name(ca)));
                                ui.label(format!("I(X;Y) = {} {u}", fmt(vm)));
                                ui.label(format!("I(X;Y | {z}) = {} {u}", fmt(vc)));
                                ui.label(format!("difference = {} {u}", fmt(vc - vm)));
                                let effect = effects[h.0 * m + h.1];
                                if effect != Effect::None {
                                    ui.colored_label(effect.color(ui), effect.badge());
                                }
                                ui.weak("click to inspect the pair, right-click to copy");
                            });
                        }
                        if resp.secondary_clicked() {
                            menu_pair = resp.interact_pointer_pos().and_then(hit).map(|(a, b)| (cols[b], cols[a]));
                        }
                        let target = CopyTarget {
                            row: menu_pair.and_then(|(x, y)| pair_row(data.column_name(x), data.column_name(y))),
                            image: Some(resp.rect),
                        };
                        copy_menu(&resp, target, &mut chosen);
                        if resp.clicked()
                            && let Some(c) = resp.interact_pointer_pos().and_then(hit)
                        {
                            clicked = Some(c);
                        }
                        // Colour legend beside each matrix.
                        let (lresp, lp) = ui.allocate_painter(Vec2::new(legend_w, side), Sense::hover());
                        let bar = Rect::from_min_size(lresp.rect.min + Vec2::new(4.0, 6.0), Vec2::new(12.0, side - 12.0));
                        paint_vertical_scale(&lp, bar, 48, |t| if signed { diverging(2.0 * t - 1.0) } else { viridis(t) });
                        lp.rect_stroke(bar, 0.0, Stroke::new(1.0, text_color), StrokeKind::Outside);
                        let ticks: [(f32, f64); 3] = if signed {
                            [(0.0, -dmax), (0.5, 0.0), (1.0, dmax)]
                        } else {
                            [(0.0, 0.0), (0.5, vmax / 2.0), (1.0, vmax)]
                        };
                        for (t, v) in ticks {
                            let y = bar.max.y - t * bar.height();
                            lp.text(Pos2::new(bar.max.x + 4.0, y), Align2::LEFT_CENTER, format!("{v:.2}"), FontId::proportional(10.0), text_color);
                        }
                    });
                });
            }
        });
        self.view.matrices_rect = Some(Rect::from_min_max(
            start,
            Pos2::new(ui.min_rect().max.x, ui.cursor().min.y),
        ));
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!(
                "Z = {z}. Rows and columns in the same order{}; hover a cell for its pair, click to inspect;",
                if show_names { " (names at left)" } else { ", file order" }
            ));
            ui.colored_label(Effect::ExplainedAway.color(ui), "blue: explained away by Z");
            ui.weak("·");
            ui.colored_label(Effect::Revealed.color(ui), "red: revealed by Z");
        });
        self.view.menu_pair = menu_pair;
        cx.commands.extend(chosen);
        if let Some((a, b)) = clicked {
            self.view.selected = Some((cols[b].min(cols[a]), cols[b].max(cols[a])));
            cx.commands.push(Command::Inspect {
                x: cols[b],
                y: cols[a],
                settings: res.request.settings.clone(),
            });
        }
    }
}

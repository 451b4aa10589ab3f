//! The pair table: I(X;Y), I(X;Y|Z), the difference and its badge, sortable.

use super::*;
use crate::app::copy_menu::{CopyTarget, copy_menu, pair_row};

impl ConditionalPanel {
    pub(super) fn table_view(
        &mut self,
        ui: &mut egui::Ui,
        (data, res): (&Loaded, &ConditionalResult),
        cx: &mut PanelCtx,
    ) {
        let units = cx.units;
        let u = units.name();
        let z = data.column_name(res.request.given);
        let vals = |r: &CmiRow| -> (f64, f64, f64, usize) {
            match &r.estimate {
                Ok(e) => (e.mi, e.cmi, e.cmi - e.mi, e.n_used),
                Err(_) => (f64::NAN, f64::NAN, f64::NAN, 0),
            }
        };
        let stamp = (
            self.settings.sort,
            self.settings.descending,
            self.view.run.serial(),
        );
        if self.view.sorted.as_ref().is_none_or(|(s, _)| *s != stamp) {
            let mut order: Vec<usize> = (0..res.rows.len()).collect();
            let sort = self.settings.sort;
            let key = |r: &CmiRow| -> f64 {
                let (mi, cmi, d, n) = vals(r);
                match sort {
                    SortBy::Mi => mi,
                    SortBy::Cmi => cmi,
                    SortBy::Difference => d,
                    SortBy::AbsDifference => d.abs(),
                    SortBy::N => n as f64,
                    SortBy::P => r.p_adjusted.unwrap_or(f64::NAN),
                    SortBy::X | SortBy::Y => 0.0,
                }
            };
            order.sort_by(|&a, &b| {
                let (ra, rb) = (&res.rows[a], &res.rows[b]);
                let by_name = match sort {
                    SortBy::X => Some(data.column_name(ra.x).cmp(data.column_name(rb.x))),
                    SortBy::Y => Some(data.column_name(ra.y).cmp(data.column_name(rb.y))),
                    _ => None,
                };
                widgets::row_order(by_name, (key(ra), key(rb)), self.settings.descending)
            });
            self.view.sorted = Some((stamp, order));
        }
        let tested = res.request.permutations > 0;
        let explained = res
            .rows
            .iter()
            .filter(|r| matches!(effect_of(r), Effect::ExplainedAway))
            .count();
        let revealed = res
            .rows
            .iter()
            .filter(|r| matches!(effect_of(r), Effect::Revealed))
            .count();
        // The badges' floor in the table's unit (0.05 nats).
        let floor = format!("{:.3} {u}", units.from_nats(super::BADGE_MIN_NATS));
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} pairs given Z = {z}:", res.rows.len()));
            ui.colored_label(Effect::ExplainedAway.color(ui), format!("{explained} explained away"))
                .on_hover_text(format!("I(X;Y|Z) at most half of I(X;Y), with I(X;Y) ≥ {floor}: Z accounts for most of the dependence (common cause or mediator)"));
            ui.colored_label(Effect::Revealed.color(ui), format!("{revealed} revealed"))
                .on_hover_text(format!("I(X;Y|Z) at least twice I(X;Y) and ≥ {floor}: X and Y share information only once Z is known (collider, synergy such as XOR)"));
            ui.weak(format!("(badges: I(X;Y|Z) ≤ ½·I(X;Y) or ≥ 2·I(X;Y), above {floor}; the difference colours show every change)"));
            if revealed > 0 && !tested {
                ui.colored_label(ui.visuals().warn_fg_color, "untested")
                    .on_hover_text("No permutation test: an I(X;Y|Z) above I(X;Y) may be the estimator's bias (plug-in counts over many Z groups with few rows each are biased upward). Set Permutations to test each I(X;Y|Z) against zero; untestable rises then lose their badge.");
            }
        });

        let num_w = 80.0;
        let p_w = if tested { 60.0 } else { 0.0 };
        let w = ui.available_width();
        let name_w = ((w - 3.0 * num_w - 50.0 - 150.0 - p_w - 34.0) / 2.0).clamp(60.0, 220.0);
        let mut headers: Vec<(SortBy, String, f32, &str)> = vec![
            (
                SortBy::X,
                "X".into(),
                name_w,
                "Sort by the first column's name",
            ),
            (
                SortBy::Y,
                "Y".into(),
                name_w,
                "Sort by the second column's name",
            ),
            (
                SortBy::Mi,
                format!("I(X;Y) {u}"),
                num_w,
                "Sort by I(X;Y) on the rows where X, Y and Z are present",
            ),
            (
                SortBy::Cmi,
                format!("I(X;Y|Z) {u}"),
                num_w,
                "Sort by I(X;Y|Z)",
            ),
            (
                SortBy::Difference,
                format!("diff {u}"),
                num_w,
                "Sort by I(X;Y|Z) − I(X;Y): negative = explained away, positive = revealed",
            ),
            (
                SortBy::AbsDifference,
                "effect".into(),
                150.0,
                "Sort by |I(X;Y|Z) − I(X;Y)|: how much Z changes the dependence",
            ),
            (
                SortBy::N,
                "n".into(),
                50.0,
                "Sort by the number of rows used (X, Y and Z present)",
            ),
        ];
        if tested {
            headers.push((
                SortBy::P,
                "p_adj".into(),
                p_w,
                "Sort by the Benjamini–Hochberg adjusted conditional permutation p-value of I(X;Y|Z) (faded above 0.05)",
            ));
        }
        widgets::sort_headers(
            ui,
            &headers,
            &mut self.settings.sort,
            &mut self.settings.descending,
            |k| matches!(k, SortBy::X | SortBy::Y),
        );
        let row_h = 20.0;
        let mut clicked = None;
        let mut chosen = Vec::new();
        let order: &[usize] = self.view.sorted.as_ref().map_or(&[], |(_, o)| o.as_slice());
        egui::ScrollArea::vertical()
            .id_salt("cmi-table")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, order.len(), |ui, range| {
                for &i in &order[range] {
                    let r = &res.rows[i];
                    let (mi, cmi, d, n) = vals(r);
                    let effect = effect_of(r);
                    let sel = self.view.selected == Some((r.x.min(r.y), r.x.max(r.y)));
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        let (xn, yn) = (data.column_name(r.x), data.column_name(r.y));
                        // X and Y in their own cells, under their own sort headers.
                        let cell = |ui: &mut egui::Ui, name: &str| {
                            ui.add_sized([name_w, row_h], egui::Button::selectable(sel, name).truncate())
                        };
                        let pair = cell(ui, xn)
                            .union(cell(ui, yn))
                            .on_hover_text(match &r.estimate {
                                Ok(e) => format!(
                                    "{xn} × {yn} given {z}: {} / {} on {} rows; click to inspect the pair, right-click to copy",
                                    e.method.name(),
                                    e.mi_method.name(),
                                    e.n_used
                                ),
                                Err(err) => format!("{xn} × {yn}: no estimate ({err})"),
                            });
                        if pair.clicked() {
                            clicked = Some(i);
                        }
                        let target = CopyTarget {
                            row: pair_row(xn, yn),
                            image: None,
                        };
                        copy_menu(&pair, target, &mut chosen);
                        let cell = (num_w, row_h);
                        widgets::info_cell(ui, cell, (mi, units), (None, None), RichText::new);
                        let test = (r.test.as_ref(), r.p_adjusted);
                        widgets::info_cell(ui, cell, (cmi, units), test, RichText::new);
                        let untold = r.estimate.as_ref().is_ok_and(|e| !cmi_distinguishable(r, e.cmi));
                        let dcol = if d.is_nan() {
                            ui.visuals().text_color()
                        } else if d > 0.0 && untold {
                            // A rise to an I(X;Y|Z) that cannot be told from zero is no rise.
                            ui.visuals().weak_text_color()
                        } else {
                            // Colour even small differences by sign; the badge says whether it matters.
                            let t = (d / res_dmax(res)).clamp(-1.0, 1.0) as f32;
                            if t < 0.0 { Effect::ExplainedAway.color(ui) } else if t > 0.0 { Effect::Revealed.color(ui) } else { ui.visuals().text_color() }
                        };
                        num_cell(ui, num_w, row_h, RichText::new(fmt(units.from_nats(d))).color(dcol));
                        ui.allocate_ui_with_layout(Vec2::new(150.0, row_h), Layout::left_to_right(Align::Center), |ui| {
                            ui.set_min_width(150.0);
                            if effect != Effect::None {
                                badge(ui, effect);
                            }
                        });
                        num_cell(ui, 50.0, row_h, RichText::new(n.to_string()));
                        if tested {
                            widgets::p_cell(ui, (p_w, row_h), r.p_adjusted);
                        }
                    });
                }
            });
        cx.commands.extend(chosen);
        if let Some(i) = clicked {
            let r = &res.rows[i];
            self.view.selected = Some((r.x.min(r.y), r.x.max(r.y)));
            cx.commands.push(Command::Inspect {
                x: r.x,
                y: r.y,
                settings: res.request.settings.clone(),
            });
        }
    }
}

/// A filled, coloured label: reads at a glance in a long table.
fn badge(ui: &mut egui::Ui, effect: Effect) {
    let fill = match effect {
        Effect::ExplainedAway => Color32::from_rgb(33, 102, 172),
        Effect::Revealed => Color32::from_rgb(178, 24, 43),
        Effect::None => return,
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(
                RichText::new(effect.badge())
                    .color(Color32::WHITE)
                    .size(12.0),
            );
        });
}

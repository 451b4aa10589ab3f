//! Each greedy step made visible (every remaining candidate's score when a feature was
//! picked) and the chart of relevance against score by rank.

use super::{MrmrPanel, score_in, score_unit};
use crate::analysis::mrmr::{MrmrMethod, MrmrResult};
use crate::app::copy_menu::{CopyTarget, copy_menu};
use crate::app::loaded::Loaded;
use crate::app::panels::PanelCtx;
use crate::app::widgets::fmt;
use egui::{Align, Align2, Color32, FontId, Layout, Rect, RichText, Sense, Vec2};
use egui_plot::{Bar, BarChart, Corner, Legend, Plot};

/// Below this the chart loses its tick labels; the column scrolls instead.
const MIN_CHART_H: f32 = 240.0;

impl MrmrPanel {
    pub(super) fn chart(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &MrmrResult,
    ) {
        let units = cx.units;
        let u = units.name();
        // A MIQ score is a ratio: on an information axis it would mislead, so MIQ shows
        // relevance beside redundancy instead.
        let ratio = res.method == MrmrMethod::Miq;
        let second = if ratio { "redundancy" } else { "score" };
        let rel_color = Color32::from_rgb(70, 130, 200);
        let sec_color = Color32::from_rgb(230, 120, 20);
        let rel: Vec<Bar> = res
            .rows
            .iter()
            .map(|r| {
                Bar::new(r.rank as f64 - 0.2, units.from_nats(r.relevance))
                    .width(0.38)
                    .name(data.column_name(r.feature))
            })
            .collect();
        let sec: Vec<Bar> = res
            .rows
            .iter()
            .map(|r| {
                let v = if ratio { r.redundancy } else { r.score };
                Bar::new(r.rank as f64 + 0.2, units.from_nats(v))
                    .width(0.38)
                    .name(data.column_name(r.feature))
            })
            .collect();
        ui.strong(format!("Relevance vs {second} by rank ({u})"));
        let height = (ui.available_height() - 6.0).max(MIN_CHART_H);
        let n = res.rows.len();
        let fmt_u = u.to_string();
        let fmt_u2 = u.to_string();
        let second_label = second.to_string();
        let (out, full_rect) = crate::app::widgets::with_full_rect(ui, |ui| {
            Plot::new("mrmr-bars")
                .height(height)
                .legend(Legend::default().position(Corner::RightTop))
                .y_axis_label(format!("information ({u})"))
                .include_x(0.4)
                .include_x(n as f64 + 0.6)
                .include_y(0.0)
                .allow_scroll(false)
                .show_x(false)
                .show_y(false)
                // One tick per rank (every fifth for long rankings): the default decimal
                // grid keeps only multiples of 10 in a narrow chart.
                .x_grid_spacer(move |_| {
                    let step = if n > 30 { 5 } else { 1 };
                    (1..=n)
                        .filter(|r| r % step == 0 || *r == 1)
                        .map(|r| egui_plot::GridMark {
                            value: r as f64,
                            step_size: step as f64,
                        })
                        .collect()
                })
                // Rank labels are one or two digits: they fit far closer than egui_plot's
                // default spacing for x labels (60 points) allows.
                .custom_x_axes(vec![
                    egui_plot::AxisHints::new_x()
                        .label("rank")
                        .label_spacing(14.0..=22.0)
                        .formatter(move |m, _| {
                            let v = m.value;
                            if (v - v.round()).abs() < 1e-6 && v >= 1.0 && v <= n as f64 {
                                format!("{v:.0}")
                            } else {
                                String::new()
                            }
                        }),
                ])
                .show(ui, |p| {
                    p.bar_chart(
                        BarChart::new("relevance I(f;T)", rel)
                            .color(rel_color)
                            .element_formatter(Box::new(move |b, _| {
                                format!("{}\nrelevance {:.4} {fmt_u}", b.name, b.value)
                            })),
                    );
                    p.bar_chart(
                        BarChart::new(second, sec)
                            .color(sec_color)
                            .element_formatter(Box::new(move |b, _| {
                                format!("{}\n{} {:.4} {}", b.name, second_label, b.value, fmt_u2)
                            })),
                    );
                })
        });
        out.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Canvas, true, "mRMR relevance vs score chart")
        });
        // With its axes and their labels: the PNG is a figure one can read.
        self.view.chart_rect = Some(full_rect);
        let target = CopyTarget {
            row: None,
            image: Some(full_rect),
        };
        copy_menu(&out.response, target, cx.commands);
    }

    pub(super) fn step_view(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &MrmrResult,
    ) {
        let units = cx.units;
        let su = score_unit(res.method, units);
        let Some(row) = res.rows.get(self.view.step) else {
            return;
        };
        let chosen = data.column_name(row.feature);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.view.step > 0, egui::Button::new("‹ Previous step"))
                .on_hover_text("Show the step before")
                .clicked()
            {
                self.view.step -= 1;
            }
            ui.strong(format!("Step {} of {}", row.rank, res.rows.len()));
            if ui
                .add_enabled(
                    self.view.step + 1 < res.rows.len(),
                    egui::Button::new("Next step ›"),
                )
                .on_hover_text("Show the step after")
                .clicked()
            {
                self.view.step += 1;
            }
        });
        let before: Vec<&str> = res.rows[..self.view.step]
            .iter()
            .map(|r| data.column_name(r.feature))
            .collect();
        let how = if self.view.step == 0 {
            "Nothing selected yet: the score is the relevance I(f;T), so the most relevant feature goes first.".to_string()
        } else {
            let formula = match res.method {
                MrmrMethod::Mid => "relevance − mean I(f;s)",
                MrmrMethod::Miq => "relevance ÷ mean I(f;s)",
                MrmrMethod::Jmi => "mean I(f;T|s)",
                MrmrMethod::Cmim => "min I(f;T|s)",
            };
            format!(
                "Score = {formula} over the {} already selected: {}.",
                before.len(),
                before.join(", ")
            )
        };
        ui.label(how);
        ui.label(
            RichText::new(format!(
                "Picked {chosen}: score {} {su} among {} candidates.",
                fmt(score_in(res.method, units, row.score)),
                row.candidates.len()
            ))
            .strong(),
        );
        ui.add_space(4.0);
        // Candidate scores as horizontal bars, best first; the pick is highlighted.
        let vals: Vec<f64> = row
            .candidates
            .iter()
            .map(|&(_, s)| score_in(res.method, units, s))
            .filter(|v| v.is_finite())
            .collect();
        let hi = vals.iter().copied().fold(0.0f64, f64::max);
        let lo = vals.iter().copied().fold(0.0f64, f64::min);
        let span = (hi - lo).max(1e-12);
        let name_w = 170.0;
        let val_w = 70.0;
        let bar_w = (ui.available_width() - name_w - val_w - 16.0).max(80.0);
        let accent = Color32::from_rgb(230, 120, 20);
        let muted = ui
            .visuals()
            .widgets
            .inactive
            .bg_fill
            .lerp_to_gamma(ui.visuals().text_color(), 0.35);
        let text_color = ui.visuals().text_color();
        ui.weak(format!(
            "Candidate scores at this step ({su}); hover a bar for its value"
        ));
        egui::ScrollArea::vertical()
            .id_salt(("mrmr-step", self.view.step))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (j, &(f, s)) in row.candidates.iter().enumerate() {
                    let v = score_in(res.method, units, s);
                    let name = data.column_name(f);
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        ui.allocate_ui_with_layout(
                            Vec2::new(name_w, 18.0),
                            Layout::right_to_left(Align::Center),
                            |ui| {
                                ui.set_min_width(name_w);
                                let t = if j == 0 {
                                    RichText::new(name).strong().color(accent)
                                } else {
                                    RichText::new(name)
                                };
                                ui.add(egui::Label::new(t).truncate());
                            },
                        );
                        let (resp, painter) =
                            ui.allocate_painter(Vec2::new(bar_w, 16.0), Sense::hover());
                        let r = resp.rect;
                        let x0 = r.min.x + ((0.0 - lo) / span) as f32 * r.width();
                        let xv = if v.is_finite() {
                            r.min.x + ((v - lo) / span) as f32 * r.width()
                        } else {
                            x0
                        };
                        let bar =
                            Rect::from_x_y_ranges(x0.min(xv)..=x0.max(xv), r.y_range().shrink(2.0));
                        painter.rect_filled(bar, 2.0, if j == 0 { accent } else { muted });
                        painter.line_segment(
                            [egui::pos2(x0, r.min.y), egui::pos2(x0, r.max.y)],
                            egui::Stroke::new(1.0, text_color),
                        );
                        if j == 0 {
                            painter.text(
                                bar.right_center() + Vec2::new(4.0, 0.0),
                                Align2::LEFT_CENTER,
                                "picked",
                                FontId::proportional(11.0),
                                text_color,
                            );
                        }
                        resp.on_hover_text(format!("{name}: score {} {su}", fmt(v)));
                        ui.label(fmt(v));
                    });
                }
            });
    }
}

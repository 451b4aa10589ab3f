//! The ranking table: rank, feature, relevance with its permutation p-value,
//! redundancy, score and, with stability reruns, the selection frequency as a bar; below
//! it the features the relevance screen left out, greyed, with their p-value and why.

use super::{MrmrPanel, method_title, redundancy_tip, score_in, score_unit};
use crate::analysis::mrmr::{FeatureRelevance, MrmrMethod, MrmrResult};
use crate::app::copy_menu::{CopyTarget, RowCopy, copy_menu};
use crate::app::loaded::Loaded;
use crate::app::panels::PanelCtx;
use crate::app::widgets::{self, accent_color, fmt, fmt_p, num_cell};
use egui::{Align, Layout, RichText, Sense, Vec2};

const ROW_H: f32 = 22.0;
const RANK_W: f32 = 40.0;
const P_W: f32 = 62.0;
const FREQ_W: f32 = 110.0;

impl MrmrPanel {
    pub(super) fn table_view(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &MrmrResult,
    ) {
        let units = cx.units;
        let u = units.name();
        let score_unit = score_unit(res.method, units);
        let asked = self
            .view
            .run
            .shown_request()
            .map_or(res.rows.len(), |r| r.options.select);
        let out = res.screened_out();
        let short = if res.rows.len() < asked {
            format!(" (asked for {asked}: only {} candidates)", res.rows.len())
        } else {
            String::new()
        };
        ui.strong(format!(
            "{} features for {} by {}{short}, in {u} — select a row to see that step",
            res.rows.len(),
            data.column_name(res.target),
            method_title(res.method)
        ));
        let tested = res.relevance.iter().any(|r| r.null.is_some());
        let stable = res.stability.as_ref();
        if stable.is_some() && res.unranked_candidates().is_empty() {
            ui.weak("Every candidate is in the selection, so its frequency is near 1 whatever its merit: ask for fewer features to see which picks are robust.");
        }
        let extra = if tested { P_W + 4.0 } else { 0.0 } + stable.map_or(0.0, |_| FREQ_W + 4.0);
        let num_w = ((ui.available_width() - RANK_W - extra - 120.0) / 4.2).clamp(80.0, 110.0);
        let name_w =
            (ui.available_width() - RANK_W - 3.0 * num_w - extra - 24.0).clamp(90.0, 240.0);
        let freq_tip = stable.map_or(String::new(), |s| {
            format!(
                "How often the feature is in the top {} when the selection is rerun on {} seeded halves of the rows ({} rows each): near 1 = a robust pick",
                res.rows.len(),
                s.resamples,
                s.rows
            )
        });
        let mut headers: Vec<(String, f32, String)> = vec![
            (
                "rank".into(),
                RANK_W,
                "Order of selection (1 = first picked)".into(),
            ),
            ("feature".into(), name_w, "The selected column".into()),
            (
                "relevance".into(),
                num_w,
                format!("I(feature; target) in {u}"),
            ),
        ];
        if tested {
            headers.push(("p".into(), P_W, p_tip(res)));
        }
        headers.push((
            "redundancy".into(),
            num_w,
            format!("{} ({u})", redundancy_tip(res.method)),
        ));
        headers.push((
            "score".into(),
            num_w,
            format!("The step's score ({score_unit}): {}", res.method.explain()),
        ));
        if stable.is_some() {
            headers.push(("frequency".into(), FREQ_W, freq_tip.clone()));
        }
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            for (i, (h, w, tip)) in headers.iter().enumerate() {
                let align = if i >= 2 {
                    Layout::right_to_left(Align::Center)
                } else {
                    Layout::left_to_right(Align::Center)
                };
                ui.allocate_ui_with_layout(Vec2::new(*w, 20.0), align, |ui| {
                    ui.set_min_width(*w);
                    ui.add(egui::Label::new(RichText::new(h).strong()).truncate())
                        .on_hover_text(tip.as_str());
                });
            }
        });
        let shown_rows = res.rows.len().min(10) + out.len().min(4) + usize::from(!out.is_empty());
        // At most 40% of the column, so the chart below stays in view in a short window.
        let table_h = ((ROW_H + ui.spacing().item_spacing.y) * shown_rows as f32 + 8.0)
            .min((ui.available_height() * 0.4).max(150.0));
        let mut chosen = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("mrmr-table")
            .max_height(table_h)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for (i, row) in res.rows.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        let sel = self.view.step == i;
                        let name = data.column_name(row.feature);
                        // Screened out alone, picked on its score given the selected ones:
                        // the export says `conditional`, and so does the table.
                        let conditional = res.is_reserve(row.feature);
                        let shown = if conditional {
                            format!("{name} (conditional)")
                        } else {
                            name.to_string()
                        };
                        let r = ui
                            .add_sized(
                                [RANK_W, ROW_H],
                                egui::Button::selectable(sel, row.rank.to_string()),
                            )
                            .on_hover_text(format!(
                                "Show step {} (why {name} was picked)",
                                row.rank
                            ));
                        let f = ui
                            .add_sized(
                                [name_w, ROW_H],
                                egui::Button::selectable(sel, shown).truncate(),
                            )
                            .on_hover_text(format!(
                                "Show step {}: every candidate's score when {name} was picked{}",
                                row.rank,
                                if conditional {
                                    ". Its relevance alone is indistinguishable from zero (screened out); it was picked because its score given the selected features cleared the same bar"
                                } else {
                                    ""
                                }
                            ));
                        if r.clicked() || f.clicked() {
                            self.view.step = i;
                        }
                        let target = CopyTarget {
                            row: Some(RowCopy {
                                keys: vec![row.rank.to_string(), name.to_string()],
                                item: "Copy this feature's row",
                                what: format!("{name} (rank {})", row.rank),
                            }),
                            image: None,
                        };
                        copy_menu(&r.union(f), target, &mut chosen);
                        let text = |v: f64| RichText::new(fmt(v));
                        let cell = (num_w, ROW_H);
                        widgets::info_cell(
                            ui,
                            cell,
                            (row.relevance, units),
                            (None, None),
                            RichText::new,
                        );
                        if tested {
                            p_cell(ui, res.relevance_of(row.feature), false);
                        }
                        num_cell(ui, num_w, ROW_H, text(units.from_nats(row.redundancy)));
                        num_cell(
                            ui,
                            num_w,
                            ROW_H,
                            text(score_in(res.method, units, row.score)),
                        );
                        if let Some(freq) = stable.and_then(|s| s.frequency_of(row.feature)) {
                            frequency_bar(ui, freq, name, &freq_tip);
                        }
                    });
                }
                if !out.is_empty() {
                    self.screened_list(ui, res, data, &out, (name_w, num_w), units);
                }
            });
        cx.commands.extend(chosen);
    }

    /// The screened-out features, greyed: not candidates, with the reason.
    fn screened_list(
        &self,
        ui: &mut egui::Ui,
        res: &MrmrResult,
        data: &Loaded,
        out: &[&FeatureRelevance],
        (name_w, num_w): (f32, f32),
        units: crate::estimate::Units,
    ) {
        ui.add_space(4.0);
        // JMI and CMIM keep these in reserve (a review found the old wording, "not
        // candidates", beside a step that offered one).
        let reserve = if matches!(res.method, MrmrMethod::Jmi | MrmrMethod::Cmim) {
            " JMI and CMIM can still pick one whose information given a selected feature passes a conditional permutation test (marked conditional)."
        } else {
            ""
        };
        ui.label(
            RichText::new(format!(
                "Screened out ({}): relevance indistinguishable from zero, so not candidates on their own.{reserve} Switch “Screen noise” off to rank them all.",
                out.len()
            ))
            .weak()
            .italics(),
        );
        let weak = ui.visuals().weak_text_color();
        for f in out {
            let name = data.column_name(f.feature);
            let (short, why) = screen_reason(res, f, units);
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                ui.add_sized(
                    [RANK_W, ROW_H],
                    egui::Label::new(RichText::new("–").color(weak)),
                );
                ui.add_sized(
                    [name_w, ROW_H],
                    egui::Label::new(RichText::new(name).color(weak).strikethrough()).truncate(),
                )
                .on_hover_text(format!("{name} was screened out: {why}"));
                num_cell(
                    ui,
                    num_w,
                    ROW_H,
                    RichText::new(fmt(units.from_nats(f.relevance))).color(weak),
                );
                p_cell(ui, Some(f), true);
                ui.add(egui::Label::new(RichText::new(short).color(weak)).truncate())
                    .on_hover_text(why);
            });
        }
    }
}

fn p_tip(res: &MrmrResult) -> String {
    format!(
        "Permutation p-value of the relevance: (1 + #null ≥ relevance) / (1 + {}), the target shuffled {} times. The screen asks more: relevance above the null mean + {:.2} null sd (Bonferroni 5% over {} features)",
        res.screen.permutations,
        res.screen.permutations,
        res.screen.z,
        res.relevance.len()
    )
}

fn p_cell(ui: &mut egui::Ui, f: Option<&FeatureRelevance>, greyed: bool) {
    let p = f.and_then(|f| f.null).map_or(f64::NAN, |n| n.p_value);
    let mut text = RichText::new(fmt_p(p));
    if greyed {
        text = text.color(ui.visuals().weak_text_color());
    }
    num_cell(ui, P_W, ROW_H, text);
}

/// Why a feature is not a candidate, in numbers: (short, full).
fn screen_reason(
    res: &MrmrResult,
    f: &FeatureRelevance,
    units: crate::estimate::Units,
) -> (String, String) {
    if let Some(e) = &f.no_data {
        return ("no data".into(), e.clone());
    }
    match f.null {
        Some(n) => (
            format!(
                "below bar {} (null + {:.2} sd)",
                fmt(units.from_nats(n.null_mean + res.screen.z * n.null_sd)),
                res.screen.z
            ),
            format!(
                "relevance {} ≤ null mean {} + {:.2} × null sd {} ({} permutations of the target): indistinguishable from zero",
                fmt(units.from_nats(f.relevance)),
                fmt(units.from_nats(n.null_mean)),
                res.screen.z,
                fmt(units.from_nats(n.null_sd)),
                n.permutations
            ),
        ),
        None => ("not tested".into(), "no permutation null".into()),
    }
}

/// A selection frequency as a bar with its value: how robust the pick is.
fn frequency_bar(ui: &mut egui::Ui, freq: f64, name: &str, tip: &str) {
    let (resp, painter) = ui.allocate_painter(Vec2::new(FREQ_W, ROW_H), Sense::hover());
    let r = resp.rect.shrink2(Vec2::new(0.0, 5.0));
    let bar_w = FREQ_W - 36.0;
    let track = egui::Rect::from_min_size(r.min, Vec2::new(bar_w, r.height()));
    painter.rect_filled(track, 2.0, ui.visuals().extreme_bg_color);
    let fill = egui::Rect::from_min_size(
        r.min,
        Vec2::new(bar_w * freq.clamp(0.0, 1.0) as f32, r.height()),
    );
    let color = if freq >= 0.8 {
        egui::Color32::from_rgb(70, 150, 90)
    } else {
        accent_color(ui)
    };
    painter.rect_filled(fill, 2.0, color);
    painter.text(
        egui::pos2(track.max.x + 4.0, r.center().y),
        egui::Align2::LEFT_CENTER,
        format!("{freq:.2}"),
        egui::FontId::proportional(12.0),
        ui.visuals().text_color(),
    );
    resp.on_hover_text(format!(
        "{name}: in the top K in {:.0}% of the halves. {tip}",
        100.0 * freq
    ))
    .widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::ProgressIndicator,
            true,
            format!("frequency {freq:.2}"),
        )
    });
}

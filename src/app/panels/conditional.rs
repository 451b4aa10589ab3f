//! Conditional MI: I(X;Y|Z) beside I(X;Y) for every pair given one conditioner Z, and
//! their difference. A large negative difference is a dependence Z explains away (a
//! common cause); a large positive one is a dependence Z reveals (collider, synergy
//! such as XOR). Both get a badge in the table and a colour in the difference matrix.

use super::{
    Command, Messages, Panel, PanelCtx, perform, plot_image, result_to_draw, runnable,
    shown_for_export, units_and_actions,
};
use crate::analysis::conditional::{self, CmiRow};
use crate::app::colormap::{diverging, text_on, viridis};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::{JobKey, Lane};
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem, fmt, num_cell};
use crate::estimate::Settings;
use egui::{
    Align, Align2, Color32, FontId, Layout, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, Vec2,
};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<ConditionalResult> = JobKey::new("conditional");

/// Below this (nats) a dependence is too weak to call explained away or revealed.
pub const BADGE_MIN_NATS: f64 = 0.05;

/// Above this many columns the three matrices are replaced by a note.
const MAX_MATRIX: usize = 150;

/// What Z does to a pair's dependence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// I(X;Y|Z) ≤ half of I(X;Y): Z accounts for most of it (common cause, mediator).
    ExplainedAway,
    /// I(X;Y|Z) ≥ twice I(X;Y): the pair shares information only given Z (collider, XOR).
    Revealed,
    None,
}

impl Effect {
    pub fn of(mi: f64, cmi: f64) -> Self {
        if mi >= BADGE_MIN_NATS && cmi <= 0.5 * mi {
            Effect::ExplainedAway
        } else if cmi >= BADGE_MIN_NATS && cmi >= 2.0 * mi.max(0.0) {
            Effect::Revealed
        } else {
            Effect::None
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            Effect::ExplainedAway => "explained away by Z",
            Effect::Revealed => "revealed by Z",
            Effect::None => "",
        }
    }

    /// Blue for explained away, red for revealed: the ends of the diverging map.
    fn color(self, ui: &egui::Ui) -> Color32 {
        let dark = ui.visuals().dark_mode;
        match (self, dark) {
            (Effect::ExplainedAway, false) => Color32::from_rgb(33, 102, 172),
            (Effect::ExplainedAway, true) => Color32::from_rgb(110, 170, 235),
            (Effect::Revealed, false) => Color32::from_rgb(178, 24, 43),
            (Effect::Revealed, true) => Color32::from_rgb(240, 110, 110),
            (Effect::None, _) => ui.visuals().text_color(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    X,
    Y,
    Mi,
    Cmi,
    Difference,
    /// |difference|: the pairs Z changes most, either way.
    #[default]
    AbsDifference,
    N,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConditionalSettings {
    /// The conditioner by column name (names survive reopening the file).
    pub given: Option<String>,
    pub estimate: Settings,
    pub sort: SortBy,
    pub descending: bool,
}

impl Default for ConditionalSettings {
    fn default() -> Self {
        Self {
            given: None,
            estimate: Settings::default(),
            sort: SortBy::AbsDifference,
            descending: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConditionalRequest {
    pub columns: Vec<usize>,
    pub given: usize,
    pub settings: Settings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConditionalResult {
    pub request: ConditionalRequest,
    pub rows: Vec<CmiRow>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConditionalPanel {
    pub settings: ConditionalSettings,
    #[serde(skip)]
    view: ConditionalView,
}

/// What the panel keeps between frames besides its settings.
struct ConditionalView {
    run: Computation<ConditionalRequest, ConditionalResult>,
    selected: Option<(usize, usize)>,
    matrices_rect: Option<Rect>,
    /// The table's row order for (sort, direction, result serial).
    sorted: Option<((SortBy, bool, u64), Vec<usize>)>,
}

impl Default for ConditionalView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            selected: None,
            matrices_rect: None,
            sorted: None,
        }
    }
}

impl ConditionalPanel {
    pub const TITLE: &'static str = "Conditional MI";
    pub const EXPLAIN: &'static str =
        "What a third column explains away or reveals: I(X;Y|Z) beside I(X;Y)";

    pub fn new(settings: ConditionalSettings) -> Self {
        Self {
            settings,
            view: ConditionalView::default(),
        }
    }

    /// The conditioner: the chosen name if the file has it, else the first discrete
    /// included column (a grouping variable is the usual suspect), else the first column.
    pub fn given_column(&self, data: &Loaded) -> Option<usize> {
        if let Some(i) = self
            .settings
            .given
            .as_deref()
            .and_then(|n| data.ds.column_index(n))
        {
            return Some(i);
        }
        let included = data.included_columns();
        included
            .iter()
            .copied()
            .find(|&i| data.ds.columns[i].kind.is_discrete())
            .or_else(|| included.first().copied())
            .or_else(|| (!data.ds.columns.is_empty()).then_some(0))
    }

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, ConditionalRequest)> {
        let data = cx.data?;
        let given = self.given_column(data)?;
        let mut columns = data.included_columns();
        if !columns.contains(&given) {
            columns.push(given);
        }
        Some((
            data.generation,
            ConditionalRequest {
                columns,
                given,
                settings: self.settings.estimate.clone(),
            },
        ))
    }

    run_panel_accessors!(ConditionalResult);

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "conditional", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.given_column(data);
                let words = (
                    "cmi-given",
                    "Conditioner Z",
                    "The column to condition on: any column, continuous or discrete",
                );
                widgets::column_setting(ui, words, data, current, &mut self.settings.given);
            }
            let run = ("Run conditional MI", "Compute I(X;Y) and I(X;Y|Z) for every pair of included columns except Z");
            let tips = ("Save the table as CSV: x, y, given, n used, mi, cmi, difference, unit, estimator, settings", "Save the three matrices as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn matrices(
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
        for r in &res.rows {
            if let (Some(a), Some(b), Ok(e)) = (pos(r.x), pos(r.y), &r.estimate) {
                for (i, j) in [(a, b), (b, a)] {
                    mi[i * m + j] = units.from_nats(e.mi);
                    cmi[i * m + j] = units.from_nats(e.cmi);
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
                                let effect = Effect::of(vm / units.from_nats(1.0), vc / units.from_nats(1.0));
                                if effect != Effect::None {
                                    ui.colored_label(effect.color(ui), effect.badge());
                                }
                                ui.weak("click to inspect the pair");
                            });
                        }
                        if resp.clicked()
                            && let Some(c) = resp.interact_pointer_pos().and_then(hit)
                        {
                            clicked = Some(c);
                        }
                        // Colour legend beside each matrix.
                        let (lresp, lp) = ui.allocate_painter(Vec2::new(legend_w, side), Sense::hover());
                        let bar = Rect::from_min_size(lresp.rect.min + Vec2::new(4.0, 6.0), Vec2::new(12.0, side - 12.0));
                        let steps = 48;
                        for s in 0..steps {
                            let t = (s as f32 + 0.5) / steps as f32;
                            let y1 = bar.max.y - s as f32 / steps as f32 * bar.height();
                            let y0 = bar.max.y - (s + 1) as f32 / steps as f32 * bar.height();
                            let c = if signed { diverging(2.0 * t - 1.0) } else { viridis(t) };
                            lp.rect_filled(Rect::from_x_y_ranges(bar.x_range(), y0..=y1), 0.0, c);
                        }
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
        if let Some((a, b)) = clicked {
            self.view.selected = Some((cols[b].min(cols[a]), cols[b].max(cols[a])));
            cx.commands.push(Command::Inspect {
                x: cols[b],
                y: cols[a],
                settings: res.request.settings.clone(),
            });
        }
    }

    fn table_view(
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
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} pairs given Z = {z}:", res.rows.len()));
            ui.colored_label(Effect::ExplainedAway.color(ui), format!("{explained} explained away"))
                .on_hover_text("I(X;Y|Z) at most half of I(X;Y), with I(X;Y) ≥ 0.05 nats: Z accounts for most of the dependence (common cause or mediator)");
            ui.colored_label(Effect::Revealed.color(ui), format!("{revealed} revealed"))
                .on_hover_text("I(X;Y|Z) at least twice I(X;Y) and ≥ 0.05 nats: X and Y share information only once Z is known (collider, synergy such as XOR)");
        });

        let num_w = 80.0;
        let w = ui.available_width();
        let name_w = ((w - 3.0 * num_w - 50.0 - 150.0 - 30.0) / 2.0).clamp(60.0, 220.0);
        let headers: [(SortBy, String, f32, &str); 7] = [
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
        widgets::sort_headers(
            ui,
            &headers,
            &mut self.settings.sort,
            &mut self.settings.descending,
            |k| matches!(k, SortBy::X | SortBy::Y),
        );
        let row_h = 20.0;
        let mut clicked = None;
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
                        let pair = ui
                            .add_sized([name_w * 2.0 + 4.0, row_h], egui::Button::selectable(sel, format!("{xn} × {yn}")).truncate())
                            .on_hover_text(match &r.estimate {
                                Ok(e) => format!(
                                    "{xn} × {yn} given {z}: {} / {} on {} rows; click to inspect the pair",
                                    e.method.name(),
                                    e.mi_method.name(),
                                    e.n_used
                                ),
                                Err(err) => format!("{xn} × {yn}: no estimate ({err})"),
                            });
                        if pair.clicked() {
                            clicked = Some(i);
                        }
                        num_cell(ui, num_w, row_h, RichText::new(fmt(units.from_nats(mi))));
                        num_cell(ui, num_w, row_h, RichText::new(fmt(units.from_nats(cmi))));
                        let dcol = if d.is_nan() {
                            ui.visuals().text_color()
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
                    });
                }
            });
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

impl Panel for ConditionalPanel {
    fn tick(&mut self, cx: &mut PanelCtx) {
        let wanted = self.wanted(cx);
        self.view.run.tick(cx.jobs, wanted.as_ref());
    }

    /// Starts I(X;Y|Z) for the current settings (the Run button).
    fn run(&mut self, cx: &mut PanelCtx) {
        let wanted = self.wanted(cx);
        let refuse = |r: &ConditionalRequest| {
            (r.columns.len() < 3).then_some("Include at least two columns besides Z (Data tab).")
        };
        let Some((data, (g, req))) = runnable(cx.data, wanted, &mut self.view.run, refuse) else {
            return;
        };
        let ds = data.ds.clone();
        let r = req.clone();
        let m = r.columns.len() - 1;
        let label = format!(
            "I(X;Y|{}), {} pairs on {} rows",
            data.column_name(r.given),
            m * (m - 1) / 2,
            crate::app::thousands(data.ds.n_rows)
        );
        self.view
            .run
            .start(cx.jobs, label, Lane::Heavy, (g, req), move |h| {
                let rows = conditional::run(&ds, &r.columns, r.given, &r.settings, &h.progress)?;
                Ok(ConditionalResult { request: r, rows })
            });
    }

    fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.view.run.dataset_changed(generation, keep);
        if self.view.run.shown().is_none() {
            self.view.selected = None;
        }
    }

    fn table(&self, cx: &PanelCtx) -> Result<Table, String> {
        let (data, res) = shown_for_export(
            cx.data,
            &self.view.run,
            "Nothing to export yet: run the conditional MI first.",
        )?;
        let z = file_stem(data.column_name(res.request.given));
        Ok(Table {
            file_name: format!("{}_cmi_given_{z}.csv", file_stem(&data.name)),
            csv: crate::export::conditional_csv(
                &data.ds,
                &res.rows,
                &res.request.settings,
                cx.units,
            ),
        })
    }

    fn image(&self, cx: &PanelCtx) -> Result<(String, Rect), String> {
        let drawn = (self.view.matrices_rect, self.view.run.shown().is_some());
        plot_image(
            cx,
            drawn,
            "cmi_matrices",
            "Nothing to save yet: run the conditional MI first.",
        )
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.controls(ui, cx);
        ui.separator();
        let wanted = self.wanted(cx);
        let shown_given = self
            .view
            .run
            .shown()
            .zip(cx.data)
            .map(|(r, d)| d.column_name(r.request.given).to_string());
        let words = Messages {
            failed: "Conditional MI failed",
            computing: "Computing I(X;Y) and I(X;Y|Z) for every pair…",
            idle: "Choose a conditioner Z and press “Run conditional MI”.",
            stale: format!(
                "Shown: the last run (given {}). The settings changed since: press Run to update.",
                shown_given.unwrap_or_default()
            ),
        };
        let Some((data, res)) = result_to_draw(ui, cx.data, &self.view.run, wanted.as_ref(), words)
        else {
            return;
        };
        widgets::result_header(
            ui,
            &format!(
                "Shown: given {} · {} · {}",
                data.column_name(res.request.given),
                widgets::settings_summary(&res.request.settings),
                widgets::rows_summary(data)
            ),
        );
        self.matrices(ui, cx, data, &res);
        ui.separator();
        self.table_view(ui, (data, &res), cx);
    }
}

fn effect_of(r: &CmiRow) -> Effect {
    match &r.estimate {
        Ok(e) => Effect::of(e.mi, e.cmi),
        Err(_) => Effect::None,
    }
}

fn res_dmax(res: &ConditionalResult) -> f64 {
    res.rows
        .iter()
        .filter_map(CmiRow::difference)
        .fold(0.0f64, |a, d| a.max(d.abs()))
        .max(1e-12)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects() {
        // XOR: no pairwise information, ln 2 given Z.
        assert_eq!(Effect::of(0.0, std::f64::consts::LN_2), Effect::Revealed);
        // Common cause: strong pairwise, gone given Z.
        assert_eq!(Effect::of(0.5, 0.02), Effect::ExplainedAway);
        assert_eq!(Effect::of(0.3, 0.28), Effect::None);
        // Noise around zero is neither.
        assert_eq!(Effect::of(0.001, 0.01), Effect::None);
    }
}

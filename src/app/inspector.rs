//! The pair inspector: a window on two columns — the plot of the pair (scatter,
//! contingency table or per-category strips), its MI, |ρ|, Spearman and n, and the
//! entropy picture H(X|Y) | I(X;Y) | H(Y|X). Its numbers come from a job
//! ([`crate::analysis::inspect::inspect_pair`]); it opens from any panel via
//! `Command::Inspect`.

use super::colormap::text_on;
use super::commands::Command;
use super::jobs::{JobError, JobKey, JobRunner, Lane};
use super::loaded::Loaded;
use super::widgets::{self, fmt, safe_file_part};
use crate::analysis::inspect::{
    Entropies, EntropyBasis, PairDetails, inspect_pair, order_categories,
};
use crate::data::order::CategoryOrder;
use crate::estimate::{Settings, Units, info_coefficient};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Vec2};
use egui_plot::{BoxElem, BoxPlot, BoxSpread, Plot, Points};
use std::sync::Arc;

mod contingency;

pub use contingency::contingency_csv;
use contingency::contingency_grid;

pub const JOB: JobKey<PairDetails> = JobKey::new("inspector");

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TableView {
    #[default]
    Counts,
    Probabilities,
    Pmi,
}

/// (generation, x, y, settings, category orders of x and y).
type Target = (u64, usize, usize, Settings, [CategoryOrder; 2]);

#[derive(Default)]
pub struct Inspector {
    pub open: bool,
    /// What is shown or being computed.
    target: Option<Target>,
    details: Option<Arc<PairDetails>>,
    error: Option<String>,
    view: TableView,
    plot_rect: Option<Rect>,
}

impl Inspector {
    pub fn open_pair(
        &mut self,
        jobs: &mut JobRunner,
        data: &Loaded,
        x: usize,
        y: usize,
        settings: Settings,
    ) {
        self.open = true;
        let orders = [data.category_order(x), data.category_order(y)];
        let key = (data.generation, x, y, settings.clone(), orders);
        if self.target.as_ref() == Some(&key) && (self.details.is_some() || jobs.is_running(JOB)) {
            return;
        }
        self.target = Some(key);
        self.details = None;
        self.error = None;
        let ds = data.ds.clone();
        let label = format!("inspect {} × {}", data.column_name(x), data.column_name(y));
        jobs.spawn(JOB, label, Lane::Interactive, move |h| {
            h.progress.start("pair inspector", 1);
            let mut d = inspect_pair(&ds, x, y, &settings, &h.progress)?
                .map_err(|e| JobError::Failed(e.to_string()))?;
            order_categories(&mut d, &ds, orders);
            h.progress.add(1);
            Ok(d)
        });
    }

    /// The pair shown (dataset column indices), for tests.
    pub fn pair(&self) -> Option<(usize, usize)> {
        self.target.as_ref().map(|(_, x, y, _, _)| (*x, *y))
    }

    pub fn details(&self) -> Option<&PairDetails> {
        self.details.as_deref()
    }

    /// The same file, other rows (a large file's subsample or all its rows): an open
    /// inspector recomputes its pair on the rows now analysed.
    pub fn data_switched(&mut self, jobs: &mut JobRunner, data: &Loaded) {
        match (self.open, self.target.clone()) {
            (true, Some((_, x, y, settings, _))) => self.open_pair(jobs, data, x, y, settings),
            _ => self.dataset_changed(),
        }
    }

    pub fn dataset_changed(&mut self) {
        self.open = false;
        self.target = None;
        self.details = None;
    }

    pub fn tick(&mut self, jobs: &mut JobRunner) {
        if let Some(done) = jobs.take_done(JOB) {
            match done {
                Ok(d) => self.details = Some(Arc::new(d)),
                Err(JobError::Cancelled) => {}
                Err(e) => self.error = Some(e.to_string()),
            }
        }
    }

    /// Docked at the right of the window (so it never covers a panel's controls, legend
    /// or export buttons); resizable, with a Close button. Call before the central panel.
    pub fn show(&mut self, ui: &mut egui::Ui, units: Units, commands: &mut Vec<Command>) {
        if !self.open {
            return;
        }
        let title = match &self.details {
            Some(d) => format!("Pair inspector: {} × {}", d.x_name, d.y_name),
            None => "Pair inspector".to_string(),
        };
        let width = (ui.available_width() * 0.42).clamp(380.0, 720.0);
        // A wide contingency table scrolls inside the inspector rather than pushing it
        // over the panel it sits beside.
        let most = (ui.available_width() * 0.6).max(380.0);
        egui::Panel::right("pair-inspector")
            .resizable(true)
            .default_size(width)
            .min_size(320.0)
            .max_size(most)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(title);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .button("Close")
                            .on_hover_text("Close the pair inspector")
                            .clicked()
                        {
                            self.open = false;
                        }
                    });
                });
                ui.separator();
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
                let Some(d) = self.details.clone() else {
                    ui.horizontal(|ui| {
                        widgets::spinner(ui);
                        ui.label("computing…");
                    });
                    return;
                };
                egui::ScrollArea::both()
                    .id_salt("inspector-scroll")
                    .show(ui, |ui| self.body(ui, &d, units, commands));
            });
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        d: &PairDetails,
        units: Units,
        commands: &mut Vec<Command>,
    ) {
        let u = units.name();
        egui::Grid::new("inspector-numbers")
            .num_columns(4)
            .spacing([18.0, 4.0])
            .show(ui, |ui| {
                match &d.estimate {
                    Ok(e) => {
                        ui.label(format!("MI ({})", e.method.name())).on_hover_text(
                            "Mutual information by the estimator named, on the raw values",
                        );
                        let (mi, raw) = widgets::fmt_info(e.mi, None, units);
                        let shown = ui.strong(format!("{mi} {u}"));
                        if let Some(raw) = raw {
                            shown.on_hover_text(raw);
                        }
                        ui.label("r_I").on_hover_text(format!(
                            "Information coefficient √(1−e^(−2I)) of the {} MI, comparable with |ρ|",
                            e.method.name()
                        ));
                        ui.strong(fmt(info_coefficient(e.mi)));
                        ui.end_row();
                        ui.label("estimator");
                        let st = e.method.settings_text(&d.settings);
                        ui.label(if st.is_empty() {
                            e.method.name().to_string()
                        } else {
                            format!("{} ({st})", e.method.name())
                        });
                    }
                    Err(e) => {
                        ui.label("MI");
                        ui.label(format!("no estimate: {e}"));
                    }
                }
                ui.label("n used")
                    .on_hover_text("Rows where both columns are present");
                ui.strong(d.n_used.to_string());
                ui.end_row();
                ui.label("|Pearson ρ|")
                    .on_hover_text("Absolute Pearson correlation of the raw values: linear dependence only");
                ui.strong(d.pearson_abs.map_or("–".into(), fmt));
                ui.label("Spearman ρ")
                    .on_hover_text("Spearman rank correlation (signed) of the raw values: any monotone relation");
                ui.strong(d.spearman.map_or("–".into(), fmt));
                ui.end_row();
            });
        if let (Some(t), Ok(e)) = (&d.contingency, &d.estimate)
            && let Some(note) =
                widgets::sparse_table_note(t.x_labels.len() * t.y_labels.len(), e, units)
        {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        if let Some((_, x, y, _, _)) = &self.target
            && ui
                .button("Sweep this pair")
                .on_hover_text(
                    "Open the Sensitivity tab on this pair: MI against bins, k and sample size",
                )
                .clicked()
        {
            commands.push(Command::SweepPair { x: *x, y: *y });
        }
        ui.separator();
        if let Some(h) = &d.entropies {
            entropy_picture(ui, d, h, units);
            ui.separator();
        }
        let plot_rect = if let Some(t) = &d.contingency {
            ui.horizontal(|ui| {
                ui.label("Cells show");
                ui.selectable_value(&mut self.view, TableView::Counts, "counts").on_hover_text("Rows with each pair of values");
                ui.selectable_value(&mut self.view, TableView::Probabilities, "p(x,y)").on_hover_text("Joint probability of each pair of values");
                ui.selectable_value(&mut self.view, TableView::Pmi, "PMI").on_hover_text(
                    "Pointwise MI log p(x,y)/(p(x)p(y)): red = together more often than chance, blue = less",
                );
                if ui.button("Export table CSV").on_hover_text("Counts, probabilities and PMI of every cell").clicked() {
                    commands.push(Command::ExportCsv {
                        file_name: format!("{}_{}_contingency.csv", safe_file_part(&d.x_name), safe_file_part(&d.y_name)),
                        contents: contingency_csv(d, t, units),
                    });
                }
            });
            Some(contingency_grid(ui, d, t, self.view, units))
        } else if let Some(g) = &d.groups {
            let (dname, cname) = if g.discrete_is_x {
                (&d.x_name, &d.y_name)
            } else {
                (&d.y_name, &d.x_name)
            };
            let boxes: Vec<BoxElem> = g
                .five_numbers
                .iter()
                .enumerate()
                .filter(|(_, f)| !f[0].is_nan())
                .map(|(i, f)| {
                    BoxElem::new(i as f64, BoxSpread::new(f[0], f[1], f[2], f[3], f[4]))
                        .name(g.labels.get(i).cloned().unwrap_or_default())
                        .box_width(0.5)
                })
                .collect();
            let strips: Vec<[f64; 2]> = g
                .values
                .iter()
                .enumerate()
                .flat_map(|(i, vs)| {
                    vs.iter().enumerate().map(move |(k, &v)| {
                        // Deterministic horizontal spread so overlapping points show.
                        let jitter = ((k as f64 * 0.618_033_988_7).fract() - 0.5) * 0.5;
                        [i as f64 + jitter, v]
                    })
                })
                .collect();
            let labels = g.labels.clone();
            // A mark at every category, each label cut to its share of the width: egui_plot's
            // own spacing kept one label in seven at 1000 px (a review finding).
            let per = (ui.available_width() - 70.0) / labels.len().max(1) as f32 - 14.0;
            let r = Plot::new("inspector-strips")
                .height(300.0)
                .x_grid_spacer(|input| {
                    let (lo, hi) = input.bounds;
                    let (lo, hi) = (lo.ceil().max(0.0) as usize, hi.floor().max(0.0) as usize);
                    // Zoomed far out: at most about 100 marks.
                    let stride = (hi.saturating_sub(lo) / 100).max(1);
                    (lo..=hi)
                        .step_by(stride)
                        .map(|i| egui_plot::GridMark {
                            value: i as f64,
                            step_size: 1.0,
                        })
                        .collect()
                })
                .custom_x_axes(vec![
                    egui_plot::AxisHints::new_x()
                        .label(dname.as_str())
                        .label_spacing(8.0..=16.0)
                        .formatter(move |mark, _| {
                            let i = mark.value.round();
                            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                                labels
                                    .get(i as usize)
                                    .map_or_else(String::new, |l| contingency::short(l, per))
                            } else {
                                String::new()
                            }
                        }),
                ])
                .y_axis_label(cname.as_str())
                .show(ui, |p| {
                    p.points(
                        Points::new("rows", strips)
                            .radius(1.5)
                            .color(Color32::from_rgba_unmultiplied(100, 140, 220, 110)),
                    );
                    p.box_plot(BoxPlot::new("quartiles", boxes));
                });
            Some(r.response.rect)
        } else if !d.points.is_empty() {
            let r = Plot::new("inspector-scatter")
                .height(320.0)
                .x_axis_label(d.x_name.as_str())
                .y_axis_label(d.y_name.as_str())
                .show(ui, |p| {
                    p.points(
                        Points::new(format!("{} × {}", d.x_name, d.y_name), d.points.clone())
                            .radius(2.0),
                    );
                });
            if d.points.len() < d.n_used {
                ui.weak(format!("showing {} of {} rows", d.points.len(), d.n_used));
            }
            Some(r.response.rect)
        } else {
            None
        };
        self.plot_rect = plot_rect;
        if let Some(rect) = plot_rect
            && ui
                .button("Save plot PNG")
                .on_hover_text("Save the plot above as a PNG image")
                .clicked()
        {
            commands.push(Command::ExportPng {
                file_name: format!(
                    "{}_{}.png",
                    safe_file_part(&d.x_name),
                    safe_file_part(&d.y_name)
                ),
                rect,
            });
        }
    }
}

/// Two overlapping bars: H(X) = H(X|Y) + I above, H(Y) = I + H(Y|X) below, aligned on I.
fn entropy_picture(ui: &mut egui::Ui, d: &PairDetails, h: &Entropies, units: Units) {
    let u = units.name();
    let conv = |v: f64| units.from_nats(v).max(0.0);
    let (hxy_, hyx_, i_) = (conv(h.h_x_given_y()), conv(h.h_y_given_x()), conv(h.mi()));
    let total = (hxy_ + i_ + hyx_).max(1e-12);
    let bins = match (h.bins_x, h.bins_y) {
        (Some(a), Some(b)) => format!(" ({a} × {b} bins)"),
        (Some(a), None) => format!(" ({a} bins for {})", d.x_name),
        (None, Some(b)) => format!(" ({b} bins for {})", d.y_name),
        (None, None) => String::new(),
    };
    let on = match h.basis {
        EntropyBasis::PlugIn => "counted values",
        EntropyBasis::Binned => "binned values",
    };
    ui.label(format!("Entropies, plug-in on {on}{bins}, in {u}"))
        .on_hover_text("Entropies of the binned or counted values; the headline MI above uses the chosen estimator");
    if let Some(why) = why_entropies_differ(d, h) {
        ui.weak(why);
    }
    let width = ui.available_width().clamp(200.0, 900.0);
    let (resp, painter) = ui.allocate_painter(Vec2::new(width, 78.0), Sense::hover());
    let r = resp.rect;
    let scale = (r.width() - 10.0) / total as f32;
    let x0 = r.min.x + 5.0;
    let bar_h = 24.0;
    let top = r.min.y + 4.0;
    let bottom = top + bar_h + 6.0;
    let text = ui.visuals().text_color();
    let (cx_col, ci_col, cy_col) = (
        Color32::from_rgb(86, 145, 210),
        Color32::from_rgb(150, 110, 200),
        Color32::from_rgb(225, 140, 80),
    );
    let seg = |x: f32, y: f32, w: f32, color: Color32, label: String| {
        let rect = Rect::from_min_size(Pos2::new(x, y), Vec2::new(w.max(0.0), bar_h));
        painter.rect_filled(rect, 2.0, color);
        if w > 60.0 {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                label,
                FontId::proportional(12.0),
                text_on(color),
            );
        }
    };
    let wx = hxy_ as f32 * scale;
    let wi = i_ as f32 * scale;
    let wy = hyx_ as f32 * scale;
    seg(x0, top, wx, cx_col, format!("H(X|Y) {:.3}", hxy_));
    seg(x0 + wx, top, wi, ci_col, format!("I {:.3}", i_));
    seg(x0 + wx, bottom, wi, ci_col, format!("I {:.3}", i_));
    seg(
        x0 + wx + wi,
        bottom,
        wy,
        cy_col,
        format!("H(Y|X) {:.3}", hyx_),
    );
    painter.text(
        Pos2::new(x0, bottom + bar_h + 4.0),
        Align2::LEFT_TOP,
        format!("X = {}", d.x_name),
        FontId::proportional(11.0),
        text,
    );
    painter.text(
        Pos2::new(r.max.x - 5.0, bottom + bar_h + 4.0),
        Align2::RIGHT_TOP,
        format!("Y = {}", d.y_name),
        FontId::proportional(11.0),
        text,
    );
    egui::Grid::new("entropy-numbers")
        .num_columns(6)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            for (name, v, tip) in [
                ("H(X)", h.h_x, "Uncertainty of X"),
                ("H(Y)", h.h_y, "Uncertainty of Y"),
                ("H(X,Y)", h.h_xy, "Joint uncertainty"),
            ] {
                ui.label(name).on_hover_text(tip);
                ui.monospace(fmt(units.from_nats(v)));
            }
            ui.end_row();
            for (name, v, tip) in [
                (
                    "H(X|Y)",
                    h.h_x_given_y(),
                    "What remains unknown about X once Y is known",
                ),
                (
                    "H(Y|X)",
                    h.h_y_given_x(),
                    "What remains unknown about Y once X is known",
                ),
                (
                    "I(X;Y)",
                    h.mi(),
                    "Shared information on these bins/counts = H(X)+H(Y)−H(X,Y)",
                ),
            ] {
                ui.label(name).on_hover_text(tip);
                let (text, raw) = widgets::fmt_info(v, None, units);
                let shown = ui.monospace(text);
                if let Some(raw) = raw.filter(|_| name == "I(X;Y)") {
                    shown.on_hover_text(raw);
                }
            }
            ui.end_row();
        });
}

/// One line on why the entropy picture's I(X;Y) is not the headline MI, or `None`
/// when both are the same plug-in count.
fn why_entropies_differ(d: &PairDetails, h: &Entropies) -> Option<String> {
    let e = d.estimate.as_ref().ok()?;
    let same =
        h.basis == EntropyBasis::PlugIn && (e.mi - h.mi()).abs() <= 1e-9 * e.mi.abs().max(1.0);
    if same {
        return None;
    }
    let st = e.method.settings_text(&d.settings);
    let method = if st.is_empty() {
        e.method.name().to_string()
    } else {
        format!("{} ({st})", e.method.name())
    };
    Some(format!(
        "The MI above is {method} on the raw values, so it differs from this plug-in I(X;Y)."
    ))
}

//! Estimator sensitivity for one pair: histogram MI against the bin count (with the
//! counts the usual rules would pick), kNN MI against k, and MI against the sample size
//! with a ±1 sd band over repeated seeded subsamples. The Gaussian value and, when asked,
//! the permutation-null band are drawn in each plot so a user sees at once whether a
//! setting moves the estimate more than chance would.

mod plot_parts;

use super::run_panel::{RunPanel, Work};
use super::{Messages, Panel, PanelCtx, perform, units_and_actions};
use crate::analysis::sweep::{self, SweepParameter, SweepRequest, SweepResult};
use crate::app::commands::{Command, Table};
use crate::app::computation::Computation;
use crate::app::copy_menu::{CopyTarget, copy_menu};
use crate::app::jobs::{JobError, JobKey};
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem, fmt, safe_file_part};
use crate::estimate::prepare::complete_rows;
use crate::estimate::{BinRule, Settings, Units};
use egui::{Color32, Rect, RichText, Stroke};
use egui_plot::{
    Corner, FilledArea, HLine, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints,
    PlotUi, Points, VLine,
};
use plot_parts::*;
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<SweepResult> = JobKey::new("sensitivity");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SensitivitySettings {
    /// The pair by column name (names survive reopening the file).
    pub x: Option<String>,
    pub y: Option<String>,
    pub estimate: Settings,
    /// Seeded subsamples per sample size.
    pub repeats: usize,
    /// Permutations for the null band (0: none).
    pub permutations: usize,
    /// Sweep the sample size too (the slowest part).
    pub sample_sizes: bool,
    /// Bin counts to sweep, `FROM:TO[:STEP]` or a list; empty: 2..60 and up to every
    /// rule's choice for the pair.
    pub bins_range: String,
    /// k values to sweep, as above; empty: 1, 2, 3, …, 30.
    pub k_range: String,
}

impl Default for SensitivitySettings {
    fn default() -> Self {
        Self {
            x: None,
            y: None,
            estimate: Settings::default(),
            repeats: 10,
            permutations: 0,
            sample_sizes: true,
            bins_range: String::new(),
            k_range: String::new(),
        }
    }
}

/// What a sweep depends on besides the dataset generation; the ranges themselves
/// follow from the pair's complete rows (`SweepRequest::with_defaults`).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepKey {
    pub x: usize,
    pub y: usize,
    pub settings: Settings,
    pub repeats: usize,
    pub permutations: usize,
    pub sample_sizes: bool,
    /// The bin counts and k values asked for (`None`: the defaults).
    pub bins: Option<Vec<usize>>,
    pub ks: Option<Vec<usize>>,
}

impl SweepKey {
    /// The engine request for a pair with `n` complete rows: what the job runs, and what
    /// a test or the CLI (`sweep FILE --x --y --repeats`) would run.
    pub fn request(&self, n: usize) -> SweepRequest {
        let mut r = SweepRequest::with_defaults(self.x, self.y, n, self.settings.clone());
        r.repeats = self.repeats.max(1);
        r.permutations = self.permutations;
        if let Some(b) = &self.bins {
            r.bins = b.clone();
        }
        if let Some(k) = &self.ks {
            r.ks = k.clone();
        }
        if !self.sample_sizes {
            r.sizes.clear();
        }
        r
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SensitivityPanel {
    pub settings: SensitivitySettings,
    #[serde(skip)]
    view: SensitivityView,
}

/// What the panel keeps between frames besides its settings.
struct SensitivityView {
    run: Computation<SweepKey, SweepResult>,
    plots_rect: Option<Rect>,
    /// The range fields' text while they are being edited.
    bins_draft: Option<String>,
    k_draft: Option<String>,
}

impl Default for SensitivityView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            plots_rect: None,
            bins_draft: None,
            k_draft: None,
        }
    }
}

impl SensitivityPanel {
    pub const TITLE: &'static str = "Sensitivity";
    pub const EXPLAIN: &'static str = "How one pair's estimate depends on bins, k and sample size";

    pub fn new(settings: SensitivitySettings) -> Self {
        Self {
            settings,
            view: SensitivityView::default(),
        }
    }

    /// The pair: the chosen names if the file has them, else the first two continuous
    /// included columns (the sweeps say most about continuous pairs).
    pub fn pair(&self, data: &Loaded) -> Option<(usize, usize)> {
        let by_name = |n: &Option<String>| n.as_deref().and_then(|n| data.ds.column_index(n));
        let included = data.included_columns();
        let mut defaults = included
            .iter()
            .copied()
            .filter(|&i| !data.ds.columns[i].kind.is_discrete())
            .chain(included.iter().copied())
            .chain(0..data.ds.columns.len());
        let x = by_name(&self.settings.x).or_else(|| defaults.next())?;
        let y = by_name(&self.settings.y)
            .filter(|&y| y != x)
            .or_else(|| defaults.find(|&c| c != x))?;
        Some((x, y))
    }

    /// Chooses the pair (dataset column indices) and shows or starts its sweep: another
    /// panel handed it over ("Sweep this pair").
    pub fn sweep_pair(&mut self, cx: &mut PanelCtx, x: usize, y: usize) {
        let Some(data) = cx.data else { return };
        if x == y || x >= data.ds.columns.len() || y >= data.ds.columns.len() {
            return;
        }
        self.settings.x = Some(data.column_name(x).to_string());
        self.settings.y = Some(data.column_name(y).to_string());
        let Some((g, key)) = self.wanted(cx) else {
            return;
        };
        if self.view.run.cached(g, &key).is_some() {
            self.view.run.tick(cx.jobs, Some(&(g, key)));
        } else if !self.view.run.is_computing_for(g, &key) {
            self.run(cx);
        }
    }

    run_panel_accessors!(SweepResult);

    fn summary(&self, ui: &mut egui::Ui, cx: &PanelCtx, data: &Loaded, res: &SweepResult) {
        let units = cx.units;
        let u = units.name();
        let full = res
            .points
            .iter()
            .rev()
            .find(|p| p.parameter == SweepParameter::SampleSize && p.value == res.n_used);
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!(
                "{} × {}",
                data.column_name(res.request.x),
                data.column_name(res.request.y)
            ));
            ui.label(format!("· n used = {}", res.n_used));
            ui.label(format!("· estimator {}", res.method.name()));
            if let Some(p) = full {
                ui.label(format!(
                    "· MI on all rows = {} {u}",
                    fmt(units.from_nats(p.mean))
                ));
            }
            if let Some(g) = res.gaussian {
                ui.label(format!(
                    "· Gaussian reference = {} {u}",
                    fmt(units.from_nats(g))
                ));
            }
            if let Some(n) = &res.null {
                ui.label(format!(
                    "· permutation null 95%: {} … {} {u} (p = {}, {} permutations)",
                    fmt(units.from_nats(n.null_low)),
                    fmt(units.from_nats(n.null_high)),
                    widgets::fmt_p(n.p_value),
                    n.permutations
                ));
            }
        });
    }

    /// Draws the sweeps; returns what their right-click menus chose.
    fn plots(&mut self, ui: &mut egui::Ui, cx: &PanelCtx, res: &SweepResult) -> Vec<Command> {
        let mut chosen = Vec::new();
        let image_only = |rect: Rect| CopyTarget {
            row: None,
            image: Some(rect),
        };
        let units = cx.units;
        let u = units.name();
        let avail = ui.available_size();
        let gap = 8.0;
        // Captions under each plot take a line.
        let top_h = ((avail.y - 2.0 * gap) * 0.5 - 22.0).max(140.0);
        let bottom_h = (avail.y - top_h - 3.0 * gap - 44.0).max(140.0);
        let series = |p: SweepParameter| -> Vec<(f64, f64, f64, f64)> {
            res.points
                .iter()
                .filter(|q| q.parameter == p)
                .map(|q| {
                    (
                        q.value as f64,
                        units.from_nats(q.mean),
                        units.from_nats(q.low),
                        units.from_nats(q.high),
                    )
                })
                .filter(|q| q.1.is_finite())
                .collect()
        };
        let bins = series(SweepParameter::Bins);
        let ks = series(SweepParameter::K);
        let mut sizes = series(SweepParameter::SampleSize);
        sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
        sizes.dedup_by(|a, b| a.0 == b.0);
        let refs = References {
            gaussian: res.gaussian.map(|g| units.from_nats(g)),
            null: res
                .null
                .map(|n| (units.from_nats(n.null_low), units.from_nats(n.null_high))),
            null_method: res.method.name(),
            gauss_color: ui.visuals().weak_text_color(),
            null_color: if ui.visuals().dark_mode {
                Color32::from_rgba_unmultiplied(150, 150, 150, 40)
            } else {
                Color32::from_rgba_unmultiplied(120, 120, 120, 45)
            },
        };
        let line_color = if ui.visuals().dark_mode {
            Color32::from_rgb(100, 170, 255)
        } else {
            Color32::from_rgb(31, 100, 180)
        };

        // Rule markers: rules choosing the same count for both columns get one line.
        let max_bins = bins.iter().map(|b| b.0).fold(0.0f64, f64::max);
        let bin_max_y = bins
            .iter()
            .map(|b| b.1)
            .fold(refs.gaussian.unwrap_or(0.0), f64::max)
            .max(1e-6);
        let mut off_chart = Vec::new();
        let mut markers: Vec<(String, Color32, Vec<f64>)> = Vec::new();
        for (i, (rule, bx, by)) in res.rule_bins.iter().enumerate() {
            let name = rule_title(*rule);
            let counts: Vec<f64> = if bx == by {
                vec![*bx as f64]
            } else {
                vec![*bx as f64, *by as f64]
            };
            let label = if bx == by {
                format!("{name}: {bx} bins")
            } else {
                format!("{name}: {bx} (x) / {by} (y) bins")
            };
            if counts.iter().any(|&c| c > max_bins * 1.25 + 1.0) {
                off_chart.push(label);
                continue;
            }
            markers.push((label, RULE_COLORS[i % RULE_COLORS.len()], counts));
        }

        let start = ui.cursor().min;
        let plug = series(SweepParameter::MillerMadow);
        let top_rect = if let [plain, corrected, ..] = plug.as_slice() {
            plugin_block(ui, (plain.1, corrected.1), u, res.n_used)
        } else {
            let (top, top_full) = crate::app::widgets::with_full_rect(ui, |ui| {
                Plot::new("sweep-bins")
                    .height(top_h)
                    .legend(
                        Legend::default()
                            .position(Corner::RightBottom)
                            .follow_insertion_order(true),
                    )
                    .x_axis_label(format!(
                        "bins per column ({})",
                        self.settings.estimate.strategy.name()
                    ))
                    .y_axis_label(format!("histogram MI ({u})"))
                    .include_y(0.0)
                    .include_y(bin_max_y * 1.12)
                    .allow_scroll(false)
                    .show(ui, |p| {
                        refs.draw(p, &bins.iter().map(|b| b.0).collect::<Vec<_>>());
                        for (i, (label, color, counts)) in markers.iter().enumerate() {
                            for &c in counts {
                                p.vline(
                                    VLine::new(label.clone(), c)
                                        .color(*color)
                                        .width(1.5)
                                        .style(LineStyle::dashed_dense()),
                                );
                            }
                            // Staggered heights so rules choosing similar counts stay readable.
                            let y = bin_max_y * (1.10 - 0.07 * i as f64);
                            p.text(
                                egui_plot::Text::new(
                                    "",
                                    PlotPoint::new(counts[0], y),
                                    RichText::new(format!(
                                        " {}",
                                        label.split(':').next().unwrap_or("")
                                    ))
                                    .size(12.0)
                                    .strong(),
                                )
                                .anchor(egui::Align2::LEFT_CENTER)
                                .color(*color),
                            );
                        }
                        line_with_points(p, "histogram MI", &bins, line_color);
                    })
            });
            top.response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Histogram MI vs bin count")
            });
            copy_menu(&top.response, image_only(top_full), &mut chosen);
            let mut caption = "Dashed verticals: the bin count each rule picks.".to_string();
            if !off_chart.is_empty() {
                caption.push_str(&format!(
                    " Beyond the swept range: {}.",
                    off_chart.join("; ")
                ));
            }
            ui.weak(caption);
            top_full
        };
        ui.add_space(gap);

        let half_w = (ui.available_width() - gap) / 2.0;
        let mut rects = vec![top_rect];
        let bottom = ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(half_w);
                if ks.is_empty() {
                    ui.weak("No k sweep: the kNN estimators do not apply to this pair (both columns discrete).");
                    return;
                }
                let knn_name = res
                    .points
                    .iter()
                    .find(|p| p.parameter == SweepParameter::K)
                    .map_or("kNN", |p| p.method.name());
                let k_top = refs.headroom(ks.iter().flat_map(|q| [q.1, q.2, q.3]));
                let (k_plot, k_full) = crate::app::widgets::with_full_rect(ui, |ui| Plot::new("sweep-k")
                    .height(bottom_h)
                    .width(half_w)
                    .legend(Legend::default().position(Corner::RightTop).follow_insertion_order(true))
                    .include_y(k_top)
                    .x_axis_label("k (neighbours)")
                    .y_axis_label(format!("{knn_name} MI ({u})"))
                    .include_y(0.0)
                    .allow_scroll(false)
                    .show(ui, |p| {
                        refs.draw(p, &ks.iter().map(|b| b.0).collect::<Vec<_>>());
                        line_with_points(p, &format!("{knn_name} MI"), &ks, line_color);
                    }));
                k_plot.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "kNN MI vs k"));
                rects.push(k_plot.response.rect);
                copy_menu(&k_plot.response, image_only(k_full), &mut chosen);
                ui.weak("Small k: less bias, more variance.");
            });
            ui.add_space(gap);
            ui.vertical(|ui| {
                ui.set_width(half_w);
                // Sizes double from 50 rows: a log axis spaces them evenly.
                let sizes: Vec<(f64, f64, f64, f64)> =
                    sizes.iter().map(|q| (q.0.log10(), q.1, q.2, q.3)).collect();
                let xs: Vec<f64> = sizes.iter().map(|s| s.0).collect();
                let lows: Vec<f64> = sizes.iter().map(|s| s.2).collect();
                let highs: Vec<f64> = sizes.iter().map(|s| s.3).collect();
                let n_top = refs.headroom(sizes.iter().flat_map(|q| [q.1, q.2, q.3]));
                let (n_plot, n_full) = crate::app::widgets::with_full_rect(ui, |ui| Plot::new("sweep-n")
                    .height(bottom_h)
                    .width(half_w)
                    .include_y(n_top)
                    .legend(Legend::default().position(Corner::RightTop).follow_insertion_order(true))
                    .x_axis_label("sample size n (rows, log scale)")
                    .y_axis_label(format!("{} MI ({u})", res.method.name()))
                    .include_y(0.0)
                    .x_grid_spacer(log_marks)
                    .x_axis_formatter(|m, _| crate::app::thousands(10f64.powf(m.value).round() as usize))
                    .label_formatter(|pos| {
                        let p = match pos {
                            egui_plot::HoverPosition::NearDataPoint { position, .. }
                            | egui_plot::HoverPosition::Elsewhere { position } => position,
                        };
                        Some(format!(
                            "n = {}\nMI = {}",
                            crate::app::thousands(10f64.powf(p.x).round() as usize),
                            fmt(p.y)
                        ))
                    })
                    .allow_scroll(false)
                    .show(ui, |p| {
                        refs.draw(p, &xs);
                        if xs.len() >= 2 {
                            p.add(
                                FilledArea::new(format!("±1 sd over {} subsamples", res.request.repeats), &xs, &lows, &highs)
                                    .fill_color(line_color.gamma_multiply(0.25)),
                            );
                        }
                        line_with_points(p, "mean over subsamples", &sizes, line_color);
                    }));
                n_plot.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "MI vs sample size"));
                rects.push(n_plot.response.rect);
                copy_menu(&n_plot.response, image_only(n_full), &mut chosen);
                if sizes.is_empty() {
                    ui.weak("Sample-size sweep off (tick “MI vs sample size”).");
                } else {
                    ui.weak("The last point uses every row; the band shrinks as n grows.");
                }
            });
        });
        // The bottom row with its axes and captions, which the plot frames leave out.
        rects.push(bottom.response.rect);
        let union = rects
            .iter()
            .fold(Rect::from_min_max(start, start), |a, r| a.union(*r));
        self.view.plots_rect = Some(union);
        chosen
    }
}

/// A discrete pair's counterpart of the bin sweep: the plug-in estimate with and without
/// the Miller–Madow correction (there is no bin count to choose).
fn plugin_block(ui: &mut egui::Ui, (plain, corrected): (f64, f64), u: &str, n: usize) -> Rect {
    ui.group(|ui| {
        ui.strong("Plug-in estimate (both columns discrete: counted, nothing to bin)");
        ui.label(format!("plug-in MI = {} {u}", fmt(plain)));
        ui.label(format!("with Miller–Madow = {} {u}", fmt(corrected)));
        ui.weak(format!(
            "Miller–Madow subtracts the plug-in's first-order bias (K_xy − K_x − K_y + 1)/2n \
             (n = {n}); a large gap means the table is sparse for its size."
        ));
    })
    .response
    .rect
}

impl RunPanel for SensitivityPanel {
    run_panel_basics!(SweepKey, SweepResult, "the sweep", "sensitivity");
    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, SweepKey)> {
        let data = cx.data?;
        let (x, y) = self.pair(data)?;
        Some((
            data.generation,
            SweepKey {
                x,
                y,
                settings: self.settings.estimate.clone(),
                repeats: self.settings.repeats.max(1),
                permutations: self.settings.permutations,
                sample_sizes: self.settings.sample_sizes,
                bins: asked_values(&self.settings.bins_range),
                ks: asked_values(&self.settings.k_range),
            },
        ))
    }

    fn refuse(&self, k: &SweepKey) -> Option<&'static str> {
        if k.x == k.y {
            return Some("Choose two different columns.");
        }
        let invalid = |v: &Option<Vec<usize>>| v.as_ref().is_some_and(Vec::is_empty);
        (invalid(&k.bins) || invalid(&k.ks))
            .then_some("The bins or k range is not valid: see the note beside it.")
    }

    fn job(&self, data: &Loaded, k: &SweepKey) -> (String, Work<SweepResult>) {
        let (ds, k) = (data.ds.clone(), k.clone());
        let label = format!(
            "sensitivity of {} × {} on {} rows",
            data.column_name(k.x),
            data.column_name(k.y),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<SweepResult> = Box::new(move |h| {
            let n = complete_rows(&[&ds.columns[k.x], &ds.columns[k.y]]).len();
            if n < 3 {
                return Err(JobError::Failed(format!(
                    "only {n} rows have both values: too few for a sweep"
                )));
            }
            let mut request = k.request(n);
            if k.bins.is_none() {
                request.cover_rules(&ds);
            }
            Ok(sweep::run(&ds, &request, &h.progress)?)
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.plots_rect
    }

    fn export(&self, data: &Loaded, res: &SweepResult, units: Units) -> Table {
        let (xn, yn) = (
            data.column_name(res.request.x),
            data.column_name(res.request.y),
        );
        Table {
            file_name: format!(
                "{}_sweep_{}_{}.csv",
                file_stem(&data.name),
                safe_file_part(xn),
                safe_file_part(yn)
            ),
            csv: crate::export::sweep_csv(res, units),
        }
    }
    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "sensitivity", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.pair(data);
                let (sx, sy) = (&mut self.settings.x, &mut self.settings.y);
                let words = ("sweep-x", "X", "First column of the pair");
                // Picking the other column swaps the pair instead of pairing a column with
                // itself; otherwise the other column stays what it showed, even when it was
                // a default (a review saw Y jump from age to popul when X was picked).
                let name = |c: usize| Some(data.column_name(c).to_string());
                if let Some(x) = widgets::column_setting(ui, words, data, current.map(|p| p.0), sx)
                    && let Some((cx_, cy)) = current
                {
                    if cy == x {
                        *sy = name(cx_);
                    } else if sy.is_none() {
                        *sy = name(cy);
                    }
                }
                let words = ("sweep-y", "Y", "Second column of the pair");
                if let Some(y) = widgets::column_setting(ui, words, data, current.map(|p| p.1), sy)
                    && let Some((cx_, cy)) = current
                {
                    if cx_ == y {
                        *sx = name(cy);
                    } else if sx.is_none() {
                        *sx = name(cx_);
                    }
                }
            }
            ui.separator();
            widgets::number_field(
                ui,
                "Repeats",
                &mut self.settings.repeats,
                1..=200,
                "Seeded subsamples per sample size: the band is their mean ± 1 sd",
            );
            let v = &mut self.view;
            range_field(ui, ("Bins", "2:60, 2,5,10"), &mut self.settings.bins_range, &mut v.bins_draft);
            range_field(ui, ("k", "1:30"), &mut self.settings.k_range, &mut v.k_draft);
            ui.checkbox(&mut self.settings.sample_sizes, "MI vs sample size")
                .on_hover_text("Also estimate on subsamples of 50, 100, 200, … rows (the slowest part)");
            widgets::number_field(
                ui,
                "Permutations",
                &mut self.settings.permutations,
                0..=10_000,
                "Shuffled surrogates for a null band (2.5%–97.5%) of the chosen estimator on the full pair; 0 = none",
            );
            let run = ("Run sweep", "Estimate the pair's MI across bin counts, k and sample sizes");
            let tips = ("Save the sweep as CSV: parameter, value, estimate mean/low/high, estimator, unit", "Save the three plots as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "The sweep failed",
            computing: "Sweeping bins, k and sample sizes…",
            idle: "Choose a pair and press “Run sweep”.",
            stale: "Shown: the last run. The pair or settings changed since: press Run to update."
                .into(),
        }
    }

    fn header(&self, data: &Loaded, res: &SweepResult) -> String {
        format!(
            "Shown: {} · {} repeats per size · {} · {}",
            widgets::settings_summary(&res.request.settings),
            res.request.repeats,
            widgets::permutations_summary(res.request.permutations),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &SweepResult) {
        self.summary(ui, cx, data, res);
        let chosen = self.plots(ui, cx, res);
        cx.commands.extend(chosen);
    }
}

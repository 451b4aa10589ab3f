//! Multivariate MI: I(X;Y) or I(X;Y|Z) between sets of columns, one number with its
//! estimator, rows used and (with permutations) a p-value, in a result card; the export
//! is the CLI `multi` row.

use super::picker::{self, column_set, resolve};
use crate::analysis::higher_order::{self as ho, MultiRequest, MultiResult};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::panels::run_panel::{RunPanel, Work};
use crate::app::panels::{Messages, PanelCtx, perform, units_and_actions};
use crate::app::widgets::{self, ALPHA, file_stem, fmt, fmt_p};
use crate::estimate::significance::PermutationResult;
use crate::estimate::{Settings, Units};
use egui::{Rect, RichText};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<MultiResult> = JobKey::new("multivariate MI");

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MultiSettings {
    /// The sets by column name (names survive reopening the file); empty: the default.
    pub x: Vec<String>,
    pub y: Vec<String>,
    pub given: Vec<String>,
    pub estimate: Settings,
    /// Permutations for a p-value (0: no test).
    pub permutations: usize,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MultiPanel {
    pub settings: MultiSettings,
    #[serde(skip)]
    view: MultiView,
}

struct MultiView {
    run: Computation<MultiRequest, MultiResult>,
    card: Option<Rect>,
}

impl Default for MultiView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            card: None,
        }
    }
}

impl MultiPanel {
    /// The (X, Y, Given) sets in effect: the chosen names the file has; an empty X or Y
    /// defaults to the first included column (X) and the next one not in X (Y).
    pub fn sets(&self, data: &Loaded) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let s = &self.settings;
        let included = data.included_columns();
        let mut x = resolve(data, &s.x);
        if x.is_empty() {
            x.extend(included.first());
        }
        let mut y: Vec<usize> = resolve(data, &s.y)
            .into_iter()
            .filter(|c| !x.contains(c))
            .collect();
        if y.is_empty() {
            y.extend(included.iter().find(|c| !x.contains(c)));
        }
        let given = resolve(data, &s.given)
            .into_iter()
            .filter(|c| !x.contains(c) && !y.contains(c))
            .collect();
        (x, y, given)
    }

    run_panel_accessors!(MultiResult);
}

impl RunPanel for MultiPanel {
    run_panel_basics!(MultiRequest, MultiResult, "multivariate MI", "multi_mi");

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, MultiRequest)> {
        let data = cx.data?;
        let (x, y, given) = self.sets(data);
        Some((
            data.generation,
            MultiRequest {
                x,
                y,
                given,
                settings: self.settings.estimate.clone(),
                permutations: self.settings.permutations,
            },
        ))
    }

    fn refuse(&self, r: &MultiRequest) -> Option<&'static str> {
        (r.x.is_empty() || r.y.is_empty())
            .then_some("Choose at least one column for X and one for Y.")
    }

    fn job(&self, data: &Loaded, r: &MultiRequest) -> (String, Work<MultiResult>) {
        let (ds, r) = (data.ds.clone(), r.clone());
        let label = format!(
            "I({};{}{}){} on {} rows",
            picker::summary(data, &r.x),
            picker::summary(data, &r.y),
            if r.given.is_empty() {
                String::new()
            } else {
                format!(" | {}", picker::summary(data, &r.given))
            },
            widgets::permutations_label(r.permutations),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<MultiResult> = Box::new(move |h| Ok(ho::run_multi(&ds, &r, &h.progress)?));
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.card
    }

    fn export(&self, data: &Loaded, res: &MultiResult, units: Units) -> Table {
        Table {
            file_name: format!("{}_multi_mi.csv", file_stem(&data.name)),
            csv: crate::export::multi_csv(&data.ds, res, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        super::estimator_row(ui, "ho-multi", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let (x, y, given) = self.sets(data);
                let s = &mut self.settings;
                let taken = |a: &[usize], b: &[usize]| [a, b].concat();
                // Editing one set keeps the other as shown, even when it was the default
                // (a review saw Y jump from TVnews to popul when X was edited).
                let names = |set: &[usize]| set.iter().map(|&c| data.column_name(c).to_string()).collect::<Vec<_>>();
                let (x_before, y_before) = (s.x.clone(), s.y.clone());
                column_set(ui, ("ho-x", "X set", "The columns of X, as one vector variable"), data, &x, &taken(&y, &given), &mut s.x);
                if s.x != x_before && s.y.is_empty() {
                    s.y = names(&y);
                }
                column_set(ui, ("ho-y", "Y set", "The columns of Y, as one vector variable"), data, &y, &taken(&x, &given), &mut s.y);
                if s.y != y_before && s.x.is_empty() {
                    s.x = names(&x);
                }
                column_set(ui, ("ho-given", "Given", "Optional: condition on these columns (Z) for I(X;Y|Z)"), data, &given, &taken(&x, &y), &mut s.given);
                widgets::permutations_field(ui, &mut s.permutations, 1, "Permutations for a p-value (0 = no test): X's rows shuffled against Y (within Z's strata or neighbourhoods when conditioned)");
            }
            let run = ("Run multivariate MI", "Compute I(X;Y) (or I(X;Y|Z)) for the chosen sets");
            let tips = ("Save the row as CSV: x, y, given, n_used, mi, unit, estimator, settings (and p_value with permutations), as `mi-workbench multi` writes it", "Save the result card as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "Multivariate MI failed",
            computing: "Computing the multivariate MI…",
            idle: "Choose the X and Y sets (and optionally Given) and press “Run multivariate MI”.",
            stale: "Shown: the last run. The sets or settings changed since: press Run to update."
                .into(),
        }
    }

    fn header(&self, data: &Loaded, res: &MultiResult) -> String {
        format!(
            "Shown: {} · {} · {}",
            widgets::settings_summary(&res.request.settings),
            widgets::permutations_summary(res.request.permutations),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &MultiResult) {
        let units = cx.units;
        let r = &res.request;
        let frame = egui::Frame::group(ui.style()).inner_margin(12.0).show(ui, |ui| {
            ui.set_max_width(640.0);
            let given = if r.given.is_empty() { String::new() } else { format!(" | {}", picker::summary(data, &r.given)) };
            let what = format!("I({} ; {}{given})", picker::summary(data, &r.x), picker::summary(data, &r.y));
            ui.label(RichText::new(what).strong());
            let e = match &res.estimate {
                Ok(e) => e,
                Err(err) => {
                    ui.colored_label(ui.visuals().error_fg_color, format!("No estimate: {err}"));
                    ui.weak(format!("{} of {} rows complete for every column", res.n_used(), data.ds.n_rows));
                    return;
                }
            };
            ui.label(RichText::new(format!("{} {}", fmt(units.from_nats(e.mi)), units.name())).size(28.0).strong());
            egui::Grid::new("ho-multi-card").num_columns(2).spacing([16.0, 4.0]).show(ui, |ui| {
                ui.weak("estimator");
                ui.label(e.method.name()).on_hover_text("The estimator that produced the number (what Auto chose for these column kinds)");
                ui.end_row();
                ui.weak("settings");
                ui.label(e.method.settings_text(&r.settings));
                ui.end_row();
                ui.weak("rows used");
                ui.label(format!("{} of {} (rows with every column present)", e.n_used, data.ds.n_rows));
                ui.end_row();
                ui.weak("dimensions");
                ui.label(format!("X {} · Y {} · Given {}", r.x.len(), r.y.len(), r.given.len()));
                ui.end_row();
                ui.weak("p-value");
                match &res.test {
                    Some(t) => ui.label(format!("{} ({} permutations; null 95% range {} to {} {})", fmt_p(t.p_value), t.permutations, fmt(units.from_nats(t.null_low)), fmt(units.from_nats(t.null_high)), units.name())),
                    None => ui.label("not tested (set Permutations for a p-value)"),
                };
                ui.end_row();
                ui.weak("reading");
                ui.label(verdict(e.mi, res.test.as_ref()));
                ui.end_row();
            });
            // kNN estimates lose much of a strong dependence in many dimensions (at 8 joint
            // dimensions the calibration runs kept about 80% of a Gaussian 4×4 MI): a
            // reader should know before comparing sets of different sizes.
            let dims = r.x.len() + r.y.len() + r.given.len();
            if dims > 4 && !matches!(e.method.name(), "gauss" | "copula" | "plugin" | "hist") {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "{dims} columns in all: kNN estimates are biased low in many dimensions, \
                         so a larger set can show less information than a smaller one. Compare \
                         with the gauss or copula estimator (docs/higher-order.md)."
                    ),
                );
            }
        });
        self.view.card = Some(frame.response.rect);
    }
}

/// Whether the estimate can be told from zero, in words.
fn verdict(mi: f64, test: Option<&PermutationResult>) -> String {
    match test {
        Some(t) if t.p_value <= ALPHA && !widgets::indistinguishable(mi, Some(t)) => {
            format!("distinguishable from zero (p ≤ {ALPHA})")
        }
        Some(_) => format!("not distinguishable from zero: shuffled data give as much (p > {ALPHA} or inside the null range)"),
        None if mi <= 0.0 => "not distinguishable from zero: the estimate is at or below 0 (estimator bias around a true zero)".into(),
        None => "above zero, but untested: set Permutations to tell it from estimator noise".into(),
    }
}

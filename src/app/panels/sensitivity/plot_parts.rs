//! What the sweep plots share: the reference lines, the log axis, the range fields,
//! the rule colours and names.

use super::*;

/// Grid lines of a log10 axis at 1, 2 and 5 × 10^e, all labelled (a sweep spans a
/// decade or two, so each needs its number).
pub(super) fn log_marks(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi - lo > 30.0 {
        return Vec::new();
    }
    let mut marks = Vec::new();
    for e in (lo.floor() as i32 - 1)..=(hi.ceil() as i32) {
        for (m, step) in [(1.0, 0.5), (2.0, 0.5), (5.0, 0.5)] {
            let v = (m * 10f64.powi(e)).log10();
            if (lo..=hi).contains(&v) {
                marks.push(egui_plot::GridMark {
                    value: v,
                    step_size: step,
                });
            }
        }
    }
    marks
}

/// A range field's values: `None` for the defaults (empty), an empty list when invalid.
pub(super) fn asked_values(text: &str) -> Option<Vec<usize>> {
    let t = text.trim();
    (!t.is_empty()).then(|| sweep::parse_values(t).unwrap_or_default())
}

/// A sweep range typed as `FROM:TO[:STEP]` or a list, applied on Enter or when the field
/// loses focus (not per keystroke: each change is a new sweep); an invalid range says why.
pub(super) fn range_field(
    ui: &mut egui::Ui,
    (label, hint): (&str, &str),
    committed: &mut String,
    draft: &mut Option<String>,
) {
    let name = ui.label(label);
    let text = draft.get_or_insert_with(|| committed.clone());
    let r = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(70.0),
        )
        .on_hover_text(
            "Values to sweep: FROM:TO[:STEP] (inclusive) or a list like 2,5,10; empty = the \
             defaults. Applied on Enter.",
        )
        .labelled_by(name.id);
    if r.lost_focus() {
        *committed = text.trim().to_string();
    }
    if !r.has_focus() {
        *draft = None;
    }
    if !committed.is_empty()
        && let Err(e) = sweep::parse_values(committed)
    {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

/// The lines every plot shares: Gaussian value and permutation-null band.
pub(super) struct References {
    pub(super) gaussian: Option<f64>,
    pub(super) null: Option<(f64, f64)>,
    pub(super) null_method: &'static str,
    pub(super) gauss_color: Color32,
    pub(super) null_color: Color32,
}

impl References {
    /// A y value to include so the top third of the plot stays free for the legend.
    pub(super) fn headroom(&self, values: impl Iterator<Item = f64>) -> f64 {
        let refs = [
            self.gaussian,
            self.null.map(|n| n.0),
            self.null.map(|n| n.1),
        ];
        let (lo, hi) = values
            .chain(refs.into_iter().flatten())
            .filter(|v| v.is_finite())
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        hi + 0.6 * (hi - lo).max(1e-6)
    }

    /// `xs`: the plot's x values; the null band spans them (a `Span` would also work
    /// but writes its name sideways into the plot, where it gets clipped).
    pub(super) fn draw(&self, p: &mut PlotUi, xs: &[f64]) {
        let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let x1 = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if let Some((lo, hi)) = self.null
            && x0.is_finite()
            && x1.is_finite()
        {
            p.add(
                FilledArea::new(
                    format!("permutation null 95% ({})", self.null_method),
                    &[x0, x1],
                    &[lo, lo],
                    &[hi, hi],
                )
                .fill_color(self.null_color)
                .stroke(Stroke::new(1.0, self.null_color.gamma_multiply(2.0))),
            );
        }
        if let Some(g) = self.gaussian {
            p.hline(
                HLine::new("Gaussian reference −½ ln(1−ρ²)", g)
                    .color(self.gauss_color)
                    .width(1.5)
                    .style(LineStyle::dashed_loose()),
            );
        }
    }
}

pub(super) fn line_with_points(
    p: &mut PlotUi,
    name: &str,
    pts: &[(f64, f64, f64, f64)],
    color: Color32,
) {
    let xy: Vec<[f64; 2]> = pts.iter().map(|q| [q.0, q.1]).collect();
    p.line(
        Line::new(name, PlotPoints::from(xy.clone()))
            .color(color)
            .width(2.0),
    );
    p.points(
        Points::new(name, PlotPoints::from(xy))
            .color(color)
            .radius(2.5)
            .shape(MarkerShape::Circle)
            .filled(true),
    );
}

pub(super) const RULE_COLORS: [Color32; 4] = [
    Color32::from_rgb(230, 120, 20),
    Color32::from_rgb(40, 160, 60),
    Color32::from_rgb(200, 50, 150),
    Color32::from_rgb(150, 110, 230),
];

pub(super) fn rule_title(r: BinRule) -> &'static str {
    match r {
        BinRule::Sqrt => "sqrt(n)",
        BinRule::Sturges => "Sturges",
        BinRule::Scott => "Scott",
        BinRule::FreedmanDiaconis => "Freedman–Diaconis",
        BinRule::Fixed(_) => "fixed",
    }
}

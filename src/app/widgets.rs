//! Small widgets every panel shares: estimator settings, the units switch, column
//! pickers, sortable table headers, number cells, the Run / Export / Save PNG / Copy
//! row, and number formatting. Panels use these instead of each other's code.

use super::commands::Command;
use super::loaded::Loaded;
use crate::data::select::{ColumnPattern, Mode};
use crate::estimate::{BinRule, BinStrategy, Estimator, Settings, Units};
use egui::{Align, Color32, Layout, RichText, Vec2};

pub use super::info_cells::{
    ALPHA, fmt_info, indistinguishable, info_cell, p_cell, pairs_label, permutations_field,
    permutations_label, sparse_table_note,
};

/// Estimator, k, bins, strategy, Miller–Madow and seed, each with a tooltip.
/// Returns true when anything changed.
pub fn estimator_settings(ui: &mut egui::Ui, id: &str, s: &mut Settings) -> bool {
    let before = s.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label("Estimator");
        egui::ComboBox::from_id_salt((id, "estimator"))
            .selected_text(estimator_title(s.estimator))
            .show_ui(ui, |ui| {
                for e in Estimator::ALL {
                    ui.selectable_value(&mut s.estimator, e, estimator_title(e))
                        .on_hover_text(e.explain());
                }
            })
            .response
            .on_hover_text(s.estimator.explain());
        number_field(
            ui,
            "k",
            &mut s.k,
            1..=100,
            "Neighbours for the kNN estimators (KSG, Ross): small k = less bias, more variance",
        );
        ui.label("Bins");
        let mut rule_kind = bin_rule_kind(s.bins);
        egui::ComboBox::from_id_salt((id, "bins"))
            .selected_text(bin_rule_title(s.bins))
            .show_ui(ui, |ui| {
                for (k, title, tip) in BIN_RULES {
                    ui.selectable_value(&mut rule_kind, k, title)
                        .on_hover_text(tip);
                }
            })
            .response
            .on_hover_text(
                "How many bins the histogram and plug-in estimators use for a continuous column",
            );
        s.bins = match rule_kind {
            0 => BinRule::Sqrt,
            1 => BinRule::Sturges,
            2 => BinRule::Scott,
            3 => BinRule::FreedmanDiaconis,
            _ => match s.bins {
                BinRule::Fixed(n) => BinRule::Fixed(n),
                _ => BinRule::Fixed(10),
            },
        };
        if let BinRule::Fixed(n) = &mut s.bins {
            number_field(
                ui,
                "count",
                n,
                1..=1000,
                "Fixed number of bins per continuous column",
            );
        }
        egui::ComboBox::from_id_salt((id, "strategy"))
            .selected_text(s.strategy.name())
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut s.strategy, BinStrategy::EqualWidth, "equal-width")
                    .on_hover_text("Bins of equal width between the minimum and maximum");
                ui.selectable_value(
                    &mut s.strategy,
                    BinStrategy::EqualFrequency,
                    "equal-frequency",
                )
                .on_hover_text("Bins holding about the same number of rows (quantiles)");
            })
            .response
            .on_hover_text("How bin edges are placed");
        ui.checkbox(&mut s.miller_madow, "Miller–Madow")
            .on_hover_text("Bias correction (m−1)/2n for plug-in and histogram estimates");
        number_field(
            ui,
            "Seed",
            &mut s.seed,
            0..=u64::MAX,
            "Seed for tie-breaking jitter, permutations and subsamples: same seed, same numbers",
        );
    });
    *s != before
}

const BIN_RULES: [(u8, &str, &str); 5] = [
    (0, "sqrt(n)", "√n bins"),
    (
        1,
        "Sturges",
        "log2(n) + 1 bins: good for near-normal data, too few for large n",
    ),
    (
        2,
        "Scott",
        "bin width 3.49·σ·n^(−1/3): for near-normal data",
    ),
    (
        3,
        "Freedman–Diaconis",
        "bin width 2·IQR·n^(−1/3): robust to outliers",
    ),
    (4, "fixed", "a fixed bin count you choose"),
];

fn bin_rule_kind(b: BinRule) -> u8 {
    match b {
        BinRule::Sqrt => 0,
        BinRule::Sturges => 1,
        BinRule::Scott => 2,
        BinRule::FreedmanDiaconis => 3,
        BinRule::Fixed(_) => 4,
    }
}

pub fn bin_rule_title(b: BinRule) -> String {
    match b {
        BinRule::Fixed(n) => format!("fixed {n}"),
        other => BIN_RULES[bin_rule_kind(other) as usize].1.to_string(),
    }
}

pub fn estimator_title(e: Estimator) -> &'static str {
    match e {
        Estimator::Auto => "Auto (by column kinds)",
        Estimator::Ksg1 => "KSG 1",
        Estimator::Ksg2 => "KSG 2",
        Estimator::Histogram => "Histogram",
        Estimator::Gaussian => "Gaussian",
        Estimator::Copula => "Gaussian copula",
        Estimator::PlugIn => "Plug-in (counts)",
    }
}

/// A number for display: 4 significant decimals, "–" for NaN.
pub fn fmt(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v.abs() < 5e-13 {
        // Round-off around an exact zero (e.g. −1.4e-17): not a value to print.
        "0".into()
    } else if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        format!("{v:.4}")
    }
}

/// p-values: "< 0.001" style below a threshold.
pub fn fmt_p(p: f64) -> String {
    if p.is_nan() {
        "–".into()
    } else if p < 0.001 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}
/// Table order of two rows: by name (`by_name`, reversed when descending) or by a
/// numeric key, ascending or descending, with NaN keys (too little data) always last.
pub fn row_order(
    by_name: Option<std::cmp::Ordering>,
    (a, b): (f64, f64),
    descending: bool,
) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Greater, Less};
    let o = match (by_name, a.is_nan(), b.is_nan()) {
        (Some(o), _, _) => o,
        (None, true, false) => return Greater,
        (None, false, true) => return Less,
        (None, _, _) => a.total_cmp(&b),
    };
    if descending { o.reverse() } else { o }
}

/// A labelled number field that changes `value` only when the user commits: Enter,
/// focus moving away, or the end of a drag. Typing "200" is then one change (one job),
/// not three (2, 20, 200). Returns true when `value` changed this frame.
pub fn number_field<T>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    range: std::ops::RangeInclusive<T>,
    tip: &str,
) -> bool
where
    T: egui::emath::Numeric + Send + Sync + 'static,
{
    let label_resp = ui.label(label);
    let id = label_resp.id.with("draft");
    let mut draft: T = ui.data(|d| d.get_temp(id)).unwrap_or(*value);
    let speed = ((range.end().to_f64() - range.start().to_f64()) / 1000.0).clamp(0.05, 10.0);
    let r = ui
        .add(
            egui::DragValue::new(&mut draft)
                .range(range)
                .speed(speed)
                .update_while_editing(false),
        )
        .labelled_by(label_resp.id)
        .on_hover_text(tip);
    let commit = r.drag_stopped() || (r.changed() && !r.dragged());
    if r.dragged() && !commit {
        ui.data_mut(|d| d.insert_temp(id, draft));
        return false;
    }
    ui.data_mut(|d| d.remove::<T>(id));
    if commit && draft != *value {
        *value = draft;
        return true;
    }
    false
}

/// The estimator settings in one line, for a result's header: what produced the
/// numbers below it.
pub fn settings_summary(s: &Settings) -> String {
    let mut out = format!(
        "{} · k = {} · bins {} {}",
        estimator_title(s.estimator),
        s.k,
        bin_rule_title(s.bins),
        s.strategy.name()
    );
    if s.miller_madow {
        out.push_str(" · Miller–Madow");
    }
    out.push_str(&format!(" · seed {}", s.seed));
    out
}

/// The rows analysed: all of them, or a large file's seeded subsample.
pub fn rows_summary(data: &Loaded) -> String {
    if data.is_subsampled() {
        format!(
            "a seeded subsample of {} of {} rows",
            crate::app::thousands(data.ds.n_rows),
            crate::app::thousands(data.full.n_rows)
        )
    } else {
        format!("{} rows", crate::app::thousands(data.ds.n_rows))
    }
}

/// The permutation setting as the header says it.
pub fn permutations_summary(n: usize) -> String {
    match n {
        0 => "no permutation test".into(),
        1 => "1 permutation".into(),
        n => format!("{n} permutations"),
    }
}

/// A result's header line: what the numbers below were computed with.
pub fn result_header(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap())
        .on_hover_text("The settings the shown result was computed with");
}

pub use crate::estimate::significance::too_few_permutations;

/// bits / nats switch (units are app-wide: the change goes out as a command).
pub fn units_toggle(ui: &mut egui::Ui, units: Units, commands: &mut Vec<Command>) {
    let mut chosen = units;
    ui.selectable_value(&mut chosen, Units::Bits, "bits")
        .on_hover_text("Show information in bits (log base 2)");
    ui.selectable_value(&mut chosen, Units::Nats, "nats")
        .on_hover_text("Show information in nats (natural log), as scikit-learn reports it");
    if chosen != units {
        commands.push(Command::SetUnits(chosen));
    }
}

/// Columns a drop-down lists before it offers type-to-search.
const SEARCH_FROM: usize = 10;

/// The type-to-search field at the top of a long column drop-down (`id`'s popup); its
/// text lives in egui's memory while the popup is open.
fn search_box(ui: &mut egui::Ui, id: &str, columns: usize) -> String {
    if columns < SEARCH_FROM {
        return String::new();
    }
    let key = egui::Id::unique((id, "column-search"));
    let mut query: String = ui.data_mut(|d| d.get_temp(key)).unwrap_or_default();
    let r = ui.add(
        egui::TextEdit::singleline(&mut query)
            .hint_text("type to search")
            .desired_width(f32::INFINITY),
    );
    if !r.has_focus() && query.is_empty() {
        r.request_focus();
    }
    ui.data_mut(|d| d.insert_temp(key, query.clone()));
    query
}

/// A combo of the included columns (name and kind), plus the current pick if it is
/// excluded; returns the column picked this frame. Excluded columns (identifiers,
/// constants, the user's exclusions) are not offered: include one in the Data panel to
/// condition on it or use it as a target.
pub fn column_combo(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    tip: &str,
    data: &Loaded,
    current: Option<usize>,
) -> Option<usize> {
    let label_resp = ui.label(label);
    let mut picked = None;
    let title = current.map_or_else(
        || "(choose)".to_string(),
        |c| data.column_name(c).to_string(),
    );
    egui::ComboBox::from_id_salt(id)
        .selected_text(title)
        .width(180.0)
        .show_ui(ui, |ui| {
            let query = search_box(ui, id, data.ds.columns.len());
            let pattern = ColumnPattern::parse(&query, Mode::Contains).ok();
            let mut listed = 0;
            let included = data.included_columns();
            for (i, c) in data.ds.columns.iter().enumerate() {
                if pattern.as_ref().is_some_and(|p| !p.matches(&c.name))
                    || (!included.contains(&i) && current != Some(i))
                {
                    continue;
                }
                listed += 1;
                let text = format!("{}  ({})", c.name, c.kind.name());
                if ui
                    .selectable_label(current == Some(i), text)
                    .on_hover_text(format!("{label}: {}", c.name))
                    .clicked()
                {
                    picked = Some(i);
                }
            }
            if listed == 0 {
                ui.weak("No column matches.");
            }
        })
        .response
        .labelled_by(label_resp.id)
        .on_hover_text(tip);
    picked.filter(|&p| Some(p) != current)
}

/// [`column_combo`] for a column setting kept by name (names survive reopening the
/// file): a pick this frame is written into `slot` and returned.
pub fn column_setting(
    ui: &mut egui::Ui,
    (id, label, tip): (&str, &str, &str),
    data: &Loaded,
    current: Option<usize>,
    slot: &mut Option<String>,
) -> Option<usize> {
    let picked = column_combo(ui, id, label, tip, data, current)?;
    *slot = Some(data.column_name(picked).to_string());
    Some(picked)
}

/// A table header that sorts on click; the sorted column is filled and carries a small
/// triangle (drawn, since the bundled font has no arrow glyphs) pointing the sort direction.
pub fn sort_header(
    ui: &mut egui::Ui,
    width: f32,
    title: &str,
    active: bool,
    descending: bool,
    tip: &str,
) -> egui::Response {
    let resp = ui
        .add_sized(
            [width, 20.0],
            egui::Button::selectable(active, RichText::new(title).strong()).truncate(),
        )
        .on_hover_text(format!("{tip} (click again to reverse)"));
    if active {
        let c = egui::pos2(resp.rect.max.x - 7.0, resp.rect.center().y);
        sort_triangle(
            ui.painter(),
            c,
            descending,
            ui.visuals().strong_text_color(),
        );
    }
    resp
}

/// Runs `show` (a plot) in a scope of its own and returns its output with the rectangle of
/// everything it drew, axes and their labels included: what a PNG of the plot should
/// hold (a plot response's rect is the frame alone).
pub fn with_full_rect<R>(
    ui: &mut egui::Ui,
    show: impl FnOnce(&mut egui::Ui) -> R,
) -> (R, egui::Rect) {
    let scoped = ui.scope(show);
    (scoped.inner, scoped.response.rect)
}

/// The small triangle of a sorted column, centred on `c`, pointing down when descending.
pub fn sort_triangle(
    painter: &egui::Painter,
    c: egui::Pos2,
    descending: bool,
    color: egui::Color32,
) {
    let (tip_y, base_y) = if descending {
        (c.y + 3.0, c.y - 3.0)
    } else {
        (c.y - 3.0, c.y + 3.0)
    };
    painter.add(egui::Shape::convex_polygon(
        vec![
            egui::pos2(c.x - 4.0, base_y),
            egui::pos2(c.x + 4.0, base_y),
            egui::pos2(c.x, tip_y),
        ],
        color,
        egui::Stroke::NONE,
    ));
}

/// A row of sortable headers over `(key, title, width, tip)`: clicking the sorted column
/// reverses it; clicking another sorts by it, names A→Z and numbers largest first.
pub fn sort_headers<K: Copy + PartialEq>(
    ui: &mut egui::Ui,
    headers: &[(K, String, f32, &str)],
    sort: &mut K,
    descending: &mut bool,
    is_name: impl Fn(K) -> bool,
) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (key, title, width, tip) in headers {
            if sort_header(ui, *width, title, *sort == *key, *descending, tip).clicked() {
                if *sort == *key {
                    *descending = !*descending;
                } else {
                    *sort = *key;
                    *descending = !is_name(*key);
                }
            }
        }
    });
}

/// A right-aligned number in a fixed-width cell.
pub fn num_cell(ui: &mut egui::Ui, width: f32, height: f32, text: RichText) {
    ui.allocate_ui_with_layout(
        Vec2::new(width, height),
        Layout::right_to_left(Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

/// Orange that reads on both light and dark backgrounds (highlighted rows and points).
pub fn accent_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 150, 50)
    } else {
        Color32::from_rgb(205, 85, 0)
    }
}

/// A file name's stem for export names ("penguins.csv" → "penguins").
pub fn file_stem(name: &str) -> String {
    std::path::Path::new(name).file_stem().map_or_else(
        || "export".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// A column name made safe for a file name: anything but letters, digits and `-`
/// becomes `_`.
pub fn safe_file_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `s` cut to `max` characters with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// What the action row's buttons asked for this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Run,
    ExportCsv,
    SavePng,
    Copy,
}

/// The Run / Export CSV / Save PNG / Copy row of an analysis panel.
pub struct ActionRow<'a> {
    /// The Run button's text (tests click it by this label) and tooltip; `None` for a
    /// panel that runs by itself.
    pub run: Option<(&'a str, &'a str)>,
    /// (there is data to run on, a job of this panel is running: a spinner beside Run).
    pub ready: (bool, bool),
    /// Tooltip of Export CSV: which columns the file has.
    pub csv_tip: &'a str,
    /// Tooltip of Save PNG; `None` for a panel without a plot.
    pub png_tip: Option<&'a str>,
}

impl ActionRow<'_> {
    /// Draws the buttons (inside the caller's horizontal layout); the one clicked.
    pub fn show(&self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        if let Some((label, tip)) = self.run {
            if ui
                .add_enabled(self.ready.0, egui::Button::new(label))
                .on_hover_text(tip)
                .clicked()
            {
                action = Some(Action::Run);
            }
            if self.ready.1 {
                spinner(ui);
            }
        }
        if ui
            .button("Export CSV")
            .on_hover_text(format!("{} (Ctrl+E)", self.csv_tip))
            .clicked()
        {
            action = Some(Action::ExportCsv);
        }
        if let Some(tip) = self.png_tip
            && ui.button("Save PNG").on_hover_text(tip).clicked()
        {
            action = Some(Action::SavePng);
        }
        if ui
            .button("Copy table")
            .on_hover_text("Copy the table as tab-separated text: pastes into a spreadsheet")
            .clicked()
        {
            action = Some(Action::Copy);
        }
        action
    }
}

/// egui's spinner, turning in steps of [`PROGRESS_FRAME`](super::jobs::PROGRESS_FRAME):
/// egui's own asks for a frame on every frame while it is visible, which keeps a
/// software-rendered window drawing flat out (a core's worth) for as long as a job runs.
pub fn spinner(ui: &mut egui::Ui) -> egui::Response {
    let step = super::jobs::PROGRESS_FRAME;
    let size = ui.style().spacing.interact_size.y;
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::new(egui::Role::ProgressIndicator));
    if ui.is_rect_visible(rect) {
        ui.ctx().request_repaint_after(step);
        let time = (ui.input(|i| i.time) / step.as_secs_f64()).floor() * step.as_secs_f64();
        // The same arc as egui::Spinner draws, at the step's time.
        let radius = rect.height().min(rect.width()) * 0.5 - 2.0;
        let n = (radius.round() as u32).clamp(8, 128);
        let start = time * std::f64::consts::TAU;
        let end = start + 240f64.to_radians() * time.sin();
        let points = (0..n)
            .map(|i| {
                let a = egui::emath::lerp(start..=end, f64::from(i) / f64::from(n));
                let (sin, cos) = a.sin_cos();
                rect.center() + radius * egui::vec2(cos as f32, sin as f32)
            })
            .collect();
        ui.painter().add(egui::Shape::line(
            points,
            egui::Stroke::new(3.0, ui.visuals().strong_text_color()),
        ));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_warning_follows_the_bh_arithmetic() {
        // 28 pairs at 0.05: a lone pair needs 1/(N+1) ≤ 0.05/28, i.e. N ≥ 559.
        assert!(too_few_permutations(559, 28, 0.05).is_none());
        let w = too_few_permutations(558, 28, 0.05).expect("558 is too few");
        assert!(w.contains("at least 559"), "{w}");
        // 20 permutations: p ≥ 1/21 ≈ 0.048, so 27 of 28 pairs must reach it.
        let w = too_few_permutations(20, 28, 0.05).expect("20 is too few");
        assert!(w.contains("at least 27 pairs"), "{w}");
        // Below 19 permutations the smallest p exceeds 0.05: nothing can pass.
        let w = too_few_permutations(10, 3, 0.05).expect("10 is too few");
        assert!(w.contains("no pair can be significant"), "{w}");
        assert!(too_few_permutations(0, 28, 0.05).is_none());
    }

    #[test]
    fn round_off_prints_as_zero() {
        assert_eq!(fmt(-1.387779e-17), "0");
        assert_eq!(fmt(0.5), "0.5000");
        assert_eq!(fmt(-2.5e-4), "-2.50e-4");
    }

    #[test]
    fn the_spinner_asks_for_a_frame_per_progress_step_not_every_frame() {
        // The delay the last of a few passes asked for (a new context's first passes ask
        // for more at once while fonts and layout settle).
        let settled = |draw: &dyn Fn(&mut egui::Ui)| {
            let ctx = egui::Context::default();
            let mut delay = std::time::Duration::MAX;
            for _ in 0..5 {
                let out = ctx.run_ui(egui::RawInput::default(), |ui| draw(ui));
                delay = out.viewport_output[&egui::ViewportId::ROOT].repaint_delay;
            }
            delay
        };
        let ours = settled(&|ui| {
            spinner(ui);
        });
        assert_eq!(ours, crate::app::jobs::PROGRESS_FRAME);
        // egui's own, in the same passes, asks at once: what ours replaces.
        let egui_own = settled(&|ui| {
            ui.add(egui::Spinner::new());
        });
        assert_eq!(egui_own, std::time::Duration::ZERO);
    }
}

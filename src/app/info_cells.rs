//! Cells for information values and their significance: "≈ 0" for what cannot be told
//! from zero, faded values that do not pass Benjamini–Hochberg, the Permutations field
//! with its too-few warning. Every table that shows MI, CMI or relevance uses these.

use super::widgets::{fmt, fmt_p, num_cell, number_field, too_few_permutations};
use crate::estimate::Units;
use crate::estimate::significance::PermutationResult;
use egui::{Align, Layout, RichText, Vec2};

/// Benjamini–Hochberg level at which the tables fade a tested value.
pub const ALPHA: f64 = 0.05;

/// The Permutations field with, beside it, the warning when `tests` tests are too many
/// for that count to pass Benjamini–Hochberg. Returns true when the count changed.
pub fn permutations_field(ui: &mut egui::Ui, value: &mut usize, tests: usize, tip: &str) -> bool {
    let changed = number_field(ui, "Permutations", value, 0..=10_000, tip);
    if let Some(warning) = too_few_permutations(*value, tests, ALPHA) {
        // Below that count a pair can still pass BH when enough others reach the same
        // small p (a review saw "too few to pass" beside rows that passed), so the label
        // says what cannot happen: a lone pass, or, below 1/α − 1, any pass.
        let label = if 1.0 / (*value as f64 + 1.0) > ALPHA {
            "too few: nothing can pass"
        } else {
            "too few for a lone pair to pass BH"
        };
        ui.colored_label(ui.visuals().warn_fg_color, label)
            .on_hover_text(warning);
    }
    changed
}

/// Whether an information value (nats) cannot be told from zero: negative (beyond
/// round-off), or with a permutation test no larger than the null's 97.5% quantile.
pub fn indistinguishable(nats: f64, test: Option<&PermutationResult>) -> bool {
    (nats < 0.0 && nats.abs() >= 5e-13) || test.is_some_and(|t| nats <= t.null_high)
}

/// An information value (MI, CMI, relevance) as a table shows it: "≈ 0" when it cannot
/// be told from zero, with the raw value (and why) for the tooltip. Negative values are
/// estimator bias around a true zero; with a permutation test, a value inside the null's
/// 95% range is no larger than what shuffled data gives. Exports keep the raw value.
pub fn fmt_info(
    nats: f64,
    test: Option<&PermutationResult>,
    units: Units,
) -> (String, Option<String>) {
    let v = units.from_nats(nats);
    let u = units.name();
    if v.is_nan() {
        return ("–".into(), None);
    }
    if nats < 0.0 && nats.abs() >= 5e-13 {
        let why = format!(
            "raw estimate {v:.6} {u}: below zero, which MI cannot be; the estimator's bias around a true zero, so indistinguishable from 0"
        );
        return ("≈ 0".into(), Some(why));
    }
    if let Some(t) = test
        && nats <= t.null_high
    {
        let why = format!(
            "raw estimate {v:.6} {u}: within the null spread of {} permutations (95% range {:.4} to {:.4} {u}), so indistinguishable from 0",
            t.permutations,
            units.from_nats(t.null_low),
            units.from_nats(t.null_high)
        );
        return ("≈ 0".into(), Some(why));
    }
    (fmt(v), None)
}

/// [`fmt_info`] in a right-aligned cell of `width` (as [`num_cell`]), faded when its
/// BH-adjusted p-value is above [`ALPHA`], the raw value on hover when shown as "≈ 0".
/// `nats` is shown in `units`.
pub fn info_cell(
    ui: &mut egui::Ui,
    (width, height): (f32, f32),
    (nats, units): (f64, Units),
    (test, p_adjusted): (Option<&PermutationResult>, Option<f64>),
    style: impl Fn(String) -> RichText,
) {
    let (text, raw) = fmt_info(nats, test, units);
    let mut rt = style(text);
    if p_adjusted.is_some_and(|q| q > ALPHA) {
        rt = rt.color(ui.visuals().weak_text_color());
    }
    ui.allocate_ui_with_layout(
        Vec2::new(width, height),
        Layout::right_to_left(Align::Center),
        |ui| {
            ui.set_min_width(width);
            let r = ui.add(egui::Label::new(rt).truncate());
            if let Some(raw) = raw {
                r.on_hover_text(raw);
            }
        },
    );
}

/// A p-value cell: "–" when untested.
pub fn p_cell(ui: &mut egui::Ui, (width, height): (f32, f32), p: Option<f64>) {
    let text = p.map_or_else(|| "–".to_string(), fmt_p);
    let faded = p.is_some_and(|q| q > ALPHA);
    let mut rt = RichText::new(text);
    if faded {
        rt = rt.color(ui.visuals().weak_text_color());
    }
    num_cell(ui, width, height, rt);
}

/// "1 pair", "45 pairs" for a job label.
pub fn pairs_label(n: usize) -> String {
    format!(
        "{} pair{}",
        crate::app::thousands(n),
        if n == 1 { "" } else { "s" }
    )
}

/// ", × N permutations" for a job label (nothing without a test).
pub fn permutations_label(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" × {n} permutations")
    }
}

/// The warning for a plug-in estimate whose joint table has fewer than five rows a cell
/// (the rule of thumb for usable counts): its MI is biased upward by about
/// (cells − 1)/(2n) nats and can look strong on no dependence at all (a review saw 1.9
/// bits for a 65-level text column on 199 rows). Shown wherever such a value is.
pub fn sparse_table_note(
    cells: usize,
    e: &crate::estimate::pair::PairEstimate,
    units: Units,
) -> Option<String> {
    if e.method != crate::estimate::Method::PlugIn || cells == 0 {
        return None;
    }
    (cells.saturating_mul(5) > e.n_used).then(|| {
        format!(
            "sparse table: up to {cells} cells for {} rows; plug-in MI is biased upward here (by up to about {:.2} {}): set Permutations to tell it from zero",
            e.n_used,
            units.from_nats((cells - 1) as f64 / (2.0 * e.n_used.max(1) as f64)),
            units.name()
        )
    })
}

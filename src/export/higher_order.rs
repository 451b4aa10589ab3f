//! The higher-order tables (multivariate MI, synergy, total correlation). Column sets
//! are written as their names joined with `;`. A row without an estimate has an empty
//! value, `none` as estimator and the reason in `settings`, as in the pairwise tables.

use super::num;
use super::tables::{name, to_csv};
use crate::analysis::higher_order::{MultiResult, SynergyResult, TcResult};
use crate::data::Dataset;
use crate::estimate::{EstimateError, Units};

fn set(ds: &Dataset, columns: &[usize]) -> String {
    let names: Vec<String> = columns.iter().map(|&c| name(ds, c)).collect();
    names.join(";")
}

fn with(settings: String, extra: &str) -> String {
    match (settings.is_empty(), extra.is_empty()) {
        (_, true) => settings,
        (true, false) => extra.to_string(),
        (false, false) => format!("{settings};{extra}"),
    }
}

fn permutations_text(p: usize) -> String {
    if p > 0 {
        format!("permutations={p}")
    } else {
        String::new()
    }
}

fn n_of(err: &EstimateError) -> usize {
    match err {
        EstimateError::NotEnoughData { n_used, .. } => *n_used,
        EstimateError::Unsupported(_) => 0,
    }
}

/// `x,y,given,n_used,mi,unit,estimator,settings` (+ `p_value` with permutations).
pub fn multi_csv(ds: &Dataset, r: &MultiResult, units: Units) -> String {
    let q = &r.request;
    let tested = q.permutations > 0;
    let mut header = vec![
        "x",
        "y",
        "given",
        "n_used",
        "mi",
        "unit",
        "estimator",
        "settings",
    ];
    if tested {
        header.push("p_value");
    }
    let mut row = vec![set(ds, &q.x), set(ds, &q.y), set(ds, &q.given)];
    match &r.estimate {
        Ok(e) => row.extend([
            e.n_used.to_string(),
            num(units.from_nats(e.mi)),
            units.name().into(),
            e.method.name().into(),
            with(
                e.method.settings_text(&q.settings),
                &permutations_text(q.permutations),
            ),
        ]),
        Err(err) => row.extend([
            n_of(err).to_string(),
            String::new(),
            units.name().into(),
            "none".into(),
            err.to_string(),
        ]),
    }
    if tested {
        row.push(num(r.p_value().unwrap_or(f64::NAN)));
    }
    to_csv(&header, [row])
}

/// `x1,x2,target,n_used,mi_x1,mi_x2,mi_joint,interaction,unit,estimator,settings`
/// (+ `p_value`, `p_adjusted` (BH over the tested pairs) with permutations: empty beyond
/// the tested pairs), largest interaction
/// first; `settings` also says how the candidates were chosen.
pub fn synergy_csv(ds: &Dataset, r: &SynergyResult, units: Units) -> String {
    let q = &r.request;
    let tested = q.permutations > 0;
    let mut header = vec![
        "x1",
        "x2",
        "target",
        "n_used",
        "mi_x1",
        "mi_x2",
        "mi_joint",
        "interaction",
        "unit",
        "estimator",
        "settings",
    ];
    if tested {
        header.extend(["p_value", "p_adjusted"]);
    }
    let screen = format!("candidates={}", r.screen_text());
    let extra = with(screen, &permutations_text(q.permutations));
    let rows = r.pairs.iter().map(|p| {
        let mut row = vec![name(ds, p.x1), name(ds, p.x2), name(ds, q.target)];
        match &p.estimate {
            Ok(e) => row.extend([
                e.n_used.to_string(),
                num(units.from_nats(e.mi_x1)),
                num(units.from_nats(e.mi_x2)),
                num(units.from_nats(e.mi_joint)),
                num(units.from_nats(e.interaction)),
                units.name().into(),
                e.method.name().into(),
                with(e.method.settings_text(&q.settings), &extra),
            ]),
            Err(err) => row.extend([
                n_of(err).to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                units.name().into(),
                "none".into(),
                err.to_string(),
            ]),
        }
        if tested {
            row.push(num(p.p_value().unwrap_or(f64::NAN)));
            row.push(num(p.p_adjusted.unwrap_or(f64::NAN)));
        }
        row
    });
    to_csv(&header, rows)
}

/// `columns,n_used,total_correlation,dual_total_correlation,o_information,unit,estimator,settings`.
pub fn tc_csv(ds: &Dataset, r: &TcResult, units: Units) -> String {
    let header = [
        "columns",
        "n_used",
        "total_correlation",
        "dual_total_correlation",
        "o_information",
        "unit",
        "estimator",
        "settings",
    ];
    let mut row = vec![set(ds, &r.request.columns)];
    match &r.estimate {
        Ok(e) => row.extend([
            e.n_used.to_string(),
            num(units.from_nats(e.total_correlation)),
            num(units.from_nats(e.dual_total_correlation)),
            num(units.from_nats(e.o_information)),
            units.name().into(),
            e.method.name().into(),
            e.method.settings_text(&r.request.settings),
        ]),
        Err(err) => row.extend([
            n_of(err).to_string(),
            String::new(),
            String::new(),
            String::new(),
            units.name().into(),
            "none".into(),
            err.to_string(),
        ]),
    }
    to_csv(&header, [row])
}

//! One function per result table, each returning the CSV text (header row first).

use super::num;
use crate::analysis::compare::CompareRow;
use crate::analysis::conditional::CmiRow;
use crate::analysis::matrix::MatrixResult;
use crate::analysis::sweep::SweepResult;
use crate::data::Dataset;
use crate::estimate::{Settings, Units};

pub(super) fn to_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would only lose the row, never panic.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

pub(super) fn name(ds: &Dataset, i: usize) -> String {
    ds.columns
        .get(i)
        .map_or_else(String::new, |c| c.name.clone())
}

/// `x,y,n_used,mi,unit,estimator,settings` (+ `p_value,p_adjusted` with permutations).
pub fn matrix_long_csv(ds: &Dataset, m: &MatrixResult, units: Units) -> String {
    let tested = m.request.permutations > 0;
    let mut header = vec!["x", "y", "n_used", "mi", "unit", "estimator", "settings"];
    if tested {
        header.extend(["p_value", "p_adjusted"]);
    }
    let rows = m.cells.iter().enumerate().map(|(i, c)| {
        let (mi, est, settings) = match &c.estimate {
            Ok(e) => (
                num(units.from_nats(e.mi)),
                e.method.name().to_string(),
                settings_with_permutations(
                    e.method.settings_text(&m.request.settings),
                    m.request.permutations,
                ),
            ),
            Err(err) => (String::new(), "none".to_string(), err.to_string()),
        };
        let mut r = vec![
            name(ds, c.x),
            name(ds, c.y),
            c.n_used().to_string(),
            mi,
            units.name().into(),
            est,
            settings,
        ];
        if tested {
            r.push(num(c.test.map_or(f64::NAN, |t| t.p_value)));
            r.push(num(m.p_adjusted.get(i).copied().unwrap_or(f64::NAN)));
        }
        r
    });
    to_csv(&header, rows)
}

fn settings_with_permutations(s: String, permutations: usize) -> String {
    match (permutations, s.is_empty()) {
        (0, _) => s,
        (p, true) => format!("permutations={p}"),
        (p, false) => format!("{s};permutations={p}"),
    }
}

/// The dependence network's edges: `x,y,mi,unit,estimator` (+ `p_adjusted` when the
/// matrix was tested), strongest first as given.
pub fn network_edges_csv(
    ds: &Dataset,
    m: &MatrixResult,
    edges: &[crate::analysis::network::Edge],
    units: Units,
) -> String {
    let tested = m.request.permutations > 0;
    let mut header = vec!["x", "y", "mi", "unit", "estimator"];
    if tested {
        header.push("p_adjusted");
    }
    let rows = edges.iter().filter_map(|e| {
        let c = m.cells.get(e.cell)?;
        let method = c.estimate.as_ref().map_or("none", |est| est.method.name());
        let mut r = vec![
            name(ds, c.x),
            name(ds, c.y),
            num(units.from_nats(e.mi)),
            units.name().into(),
            method.to_string(),
        ];
        if tested {
            r.push(num(e.p_adjusted));
        }
        Some(r)
    });
    to_csv(&header, rows)
}

/// Square matrix: first column the row's name, then one column per column name.
pub fn matrix_wide_csv(ds: &Dataset, m: &MatrixResult, units: Units) -> String {
    let cols = &m.request.columns;
    let names: Vec<String> = cols.iter().map(|&c| name(ds, c)).collect();
    let mut header: Vec<&str> = vec!["column"];
    header.extend(names.iter().map(String::as_str));
    let rows = cols.iter().map(|&a| {
        let mut r = vec![name(ds, a)];
        for &b in cols {
            let v = if a == b {
                f64::NAN
            } else {
                m.cell(a, b).and_then(|(_, c)| c.mi()).unwrap_or(f64::NAN)
            };
            r.push(num(units.from_nats(v)));
        }
        r
    });
    to_csv(&header, rows)
}

/// `x,y,n_used,pearson,spearman,mi,r_i,unit,cramers_v,correlation_ratio`: pearson and
/// spearman are empty for a pair with a categorical column, which gets Cramér's V (two
/// categorical columns) or the correlation ratio η (categorical × numeric) instead.
pub fn compare_csv(ds: &Dataset, rows: &[CompareRow], units: Units) -> String {
    use crate::estimate::association::Measure;
    let tested = rows.iter().any(|r| r.test.is_some());
    let mut header = vec![
        "x",
        "y",
        "n_used",
        "pearson",
        "spearman",
        "mi",
        "r_i",
        "unit",
        "cramers_v",
        "correlation_ratio",
    ];
    if tested {
        header.extend(["p_value", "p_adjusted"]);
    }
    let measure = |r: &CompareRow, m: Measure| match r.association {
        Some((a, v)) if a == m => num(v),
        _ => String::new(),
    };
    to_csv(
        &header,
        rows.iter().map(|r| {
            let mut out = vec![
                name(ds, r.x),
                name(ds, r.y),
                r.n_used.to_string(),
                num(r.pearson),
                num(r.spearman),
                num(units.from_nats(r.mi)),
                num(r.r_i),
                units.name().into(),
                measure(r, Measure::CramersV),
                measure(r, Measure::CorrelationRatio),
            ];
            if tested {
                out.push(num(r.test.map_or(f64::NAN, |t| t.p_value)));
                out.push(num(r.p_adjusted.unwrap_or(f64::NAN)));
            }
            out
        }),
    )
}

/// `x,y,given,n_used,mi,cmi,difference,unit,estimator,settings` (+ `p_value,p_adjusted`
/// of the conditional permutation test when it was run).
pub fn conditional_csv(ds: &Dataset, rows: &[CmiRow], settings: &Settings, units: Units) -> String {
    let tested = rows.iter().any(|r| r.test.is_some());
    let mut header = vec![
        "x",
        "y",
        "given",
        "n_used",
        "mi",
        "cmi",
        "difference",
        "unit",
        "estimator",
        "settings",
    ];
    if tested {
        header.extend(["p_value", "p_adjusted"]);
    }
    to_csv(
        &header,
        rows.iter().map(|r| {
            let mut out = vec![name(ds, r.x), name(ds, r.y), name(ds, r.given)];
            match &r.estimate {
                Ok(e) => out.extend([
                    e.n_used.to_string(),
                    num(units.from_nats(e.mi)),
                    num(units.from_nats(e.cmi)),
                    num(units.from_nats(e.cmi - e.mi)),
                    units.name().into(),
                    format!("{}/{}", e.method.name(), e.mi_method.name()),
                    e.method.settings_text(settings),
                ]),
                Err(err) => {
                    let n = match err {
                        crate::estimate::EstimateError::NotEnoughData { n_used, .. } => *n_used,
                        _ => 0,
                    };
                    out.extend([
                        n.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                        units.name().into(),
                        "none".into(),
                        err.to_string(),
                    ])
                }
            }
            if tested {
                out.push(num(r.test.map_or(f64::NAN, |t| t.p_value)));
                out.push(num(r.p_adjusted.unwrap_or(f64::NAN)));
            }
            out
        }),
    )
}

/// `parameter,value,estimate_mean,estimate_low,estimate_high,estimator,unit`.
pub fn sweep_csv(s: &SweepResult, units: Units) -> String {
    let header = [
        "parameter",
        "value",
        "estimate_mean",
        "estimate_low",
        "estimate_high",
        "estimator",
        "unit",
    ];
    to_csv(
        &header,
        s.points.iter().map(|p| {
            vec![
                p.parameter.name().into(),
                p.value.to_string(),
                num(units.from_nats(p.mean)),
                num(units.from_nats(p.low)),
                num(units.from_nats(p.high)),
                p.method.name().into(),
                units.name().into(),
            ]
        }),
    )
}

/// `column,kind,detected_kind,missing,distinct,min,max,mean,rows,excluded_reason`.
pub fn info_csv(ds: &Dataset) -> String {
    let header = [
        "column",
        "kind",
        "detected_kind",
        "missing",
        "distinct",
        "min",
        "max",
        "mean",
        "rows",
        "excluded_reason",
    ];
    let opt = |v: Option<f64>| v.map_or_else(String::new, num);
    to_csv(
        &header,
        ds.summaries().into_iter().map(|s| {
            vec![
                s.name,
                s.kind.name().into(),
                s.detected.name().into(),
                s.missing.to_string(),
                s.distinct.to_string(),
                opt(s.min),
                opt(s.max),
                opt(s.mean),
                ds.n_rows.to_string(),
                s.excluded_reason.unwrap_or_default(),
            ]
        }),
    )
}

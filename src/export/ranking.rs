//! The mRMR ranking export: the ranked features, then the features the relevance screen
//! left out (no rank), so the file says which features were considered and why some
//! were not.

use super::num;
use super::tables::{name, to_csv};
use crate::analysis::mrmr::{FeatureRelevance, MrmrMethod, MrmrResult};
use crate::data::Dataset;
use crate::estimate::Units;

/// `rank,feature,relevance,redundancy,score,method,unit,screen`, plus `p_value,p_adjusted`
/// when the relevance was tested (the screen's permutations or `--permutations`) and
/// `frequency` with stability reruns. `screen` is `passed` (ranked, the screen on),
/// `conditional` (ranked by JMI/CMIM on its conditional score after the screen), `off`
/// (ranked, the screen off), `out` (indistinguishable from zero: not ranked) or
/// `no data`; with stability, the candidates not ranked follow the ranked ones (no
/// rank). MIQ scores are ratios and are not converted between units.
pub fn mrmr_csv(ds: &Dataset, r: &MrmrResult, units: Units) -> String {
    let tested = r.relevance.iter().any(|f| f.null.is_some());
    let stable = r.stability.is_some();
    let mut header = vec![
        "rank",
        "feature",
        "relevance",
        "redundancy",
        "score",
        "method",
        "unit",
        "screen",
    ];
    if tested {
        header.extend(["p_value", "p_adjusted"]);
    }
    if stable {
        header.push("frequency");
    }
    let score = |v: f64| {
        if r.method == MrmrMethod::Miq {
            v
        } else {
            units.from_nats(v)
        }
    };
    let tail = |feature: usize, row: &mut Vec<String>| {
        if tested {
            let f = r.relevance_of(feature);
            let p = f.and_then(|f| f.null).map_or(f64::NAN, |n| n.p_value);
            row.push(num(p));
            row.push(num(f.and_then(|f| f.p_adjusted).unwrap_or(f64::NAN)));
        }
        if stable {
            row.push(num(r.frequency_of(feature).unwrap_or(f64::NAN)));
        }
    };
    let ranked = r.rows.iter().map(|row| {
        let mut out = vec![
            row.rank.to_string(),
            name(ds, row.feature),
            num(units.from_nats(row.relevance)),
            num(units.from_nats(row.redundancy)),
            num(score(row.score)),
            r.method.name().into(),
            units.name().into(),
            ranked_screen(r, row.feature).into(),
        ];
        tail(row.feature, &mut out);
        out
    });
    // A feature without a rank: its relevance and test, no redundancy or score.
    let unranked_row = |f: &FeatureRelevance, screen: &str| {
        let mut out = vec![
            String::new(),
            name(ds, f.feature),
            num(units.from_nats(f.relevance)),
            String::new(),
            String::new(),
            r.method.name().into(),
            units.name().into(),
            screen.into(),
        ];
        tail(f.feature, &mut out);
        out
    };
    // With stability reruns, the candidates not ranked here have a frequency worth
    // reading too (a feature picked in many halves but not on all rows).
    let mut rest = Vec::new();
    if stable {
        let passed = if r.screen.on { "passed" } else { "off" };
        for f in r.unranked_candidates() {
            rest.push(unranked_row(f, passed));
        }
    }
    for f in r.screened_out() {
        rest.push(unranked_row(
            f,
            if f.no_data.is_some() {
                "no data"
            } else {
                "out"
            },
        ));
    }
    to_csv(&header, ranked.chain(rest).collect::<Vec<_>>())
}

/// `passed`, `conditional` (screened out on its relevance, picked by JMI/CMIM on its
/// conditional score) or `off`.
fn ranked_screen(r: &MrmrResult, feature: usize) -> &'static str {
    if !r.screen.on {
        "off"
    } else if !r.is_reserve(feature) {
        "passed"
    } else {
        "conditional"
    }
}

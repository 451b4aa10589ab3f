//! Deciding a column's kind from its values.
use super::ColumnKind;

/// Integer-valued numeric columns with at most this many distinct values are discrete.
pub const MAX_DISCRETE_DISTINCT: usize = 20;

pub fn numeric_kind(values: &[f64]) -> ColumnKind {
    let mut distinct: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let all_integer = distinct.iter().all(|v| v.fract() == 0.0);
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if all_integer && !distinct.is_empty() && distinct.len() <= MAX_DISCRETE_DISTINCT {
        ColumnKind::Discrete
    } else {
        ColumnKind::Continuous
    }
}

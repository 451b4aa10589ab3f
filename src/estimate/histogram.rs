//! Histogram MI for continuous columns: bin, then count.
use super::{BinRule, BinStrategy};

/// Bin count the rule chooses for these values (at least 1).
pub fn bin_count(values: &[f64], rule: BinRule) -> usize {
    todo!("estimators-plugin helper {} {rule:?}", values.len())
}

/// Bin index of each value.
pub fn bin_codes(values: &[f64], bins: usize, strategy: BinStrategy) -> Vec<u32> {
    todo!("estimators-plugin helper {} {bins} {strategy:?}", values.len())
}

/// Histogram MI in nats, each column binned by its own rule.
pub fn mi(x: &[f64], y: &[f64], rule: BinRule, strategy: BinStrategy, miller_madow: bool) -> f64 {
    todo!("estimators-plugin helper {} {} {rule:?} {strategy:?} {miller_madow}", x.len(), y.len())
}

//! Association measures for categorical columns, where Pearson and Spearman on label
//! codes would measure an arbitrary ordering: Cramér's V for two categorical columns,
//! the correlation ratio η for a categorical and a numeric column. Both lie in [0, 1]
//! like |ρ|, so they share the Correlation vs MI axis (named there).

use super::discrete::codes;
use serde::{Deserialize, Serialize};

/// Which measure a categorical pair gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    CramersV,
    CorrelationRatio,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Self::CramersV => "Cramér's V",
            Self::CorrelationRatio => "correlation ratio η",
        }
    }
    /// The symbol used in compact cells.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::CramersV => "V",
            Self::CorrelationRatio => "η",
        }
    }
}

/// Cramér's V = √(χ² / (n · (min(r, c) − 1))) of the contingency table of two label
/// columns; 0 when either has a single level or there are no rows.
pub fn cramers_v(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let ((ca, ra), (cb, rb)) = (codes(&a[..n]), codes(&b[..n]));
    if n == 0 || ra < 2 || rb < 2 {
        return 0.0;
    }
    let mut table = vec![0usize; ra * rb];
    let (mut row, mut col) = (vec![0usize; ra], vec![0usize; rb]);
    for (&i, &j) in ca.iter().zip(&cb) {
        table[i as usize * rb + j as usize] += 1;
        row[i as usize] += 1;
        col[j as usize] += 1;
    }
    let nf = n as f64;
    let mut chi2 = 0.0;
    for (i, &ri) in row.iter().enumerate() {
        for (j, &cj) in col.iter().enumerate() {
            let expected = ri as f64 * cj as f64 / nf;
            let d = table[i * rb + j] as f64 - expected;
            chi2 += d * d / expected;
        }
    }
    (chi2 / (nf * (ra.min(rb) - 1) as f64)).sqrt().min(1.0)
}

/// Correlation ratio η = √(between-group sum of squares / total sum of squares) of the
/// numeric `values` grouped by the labels `groups`; 0 for a constant numeric column.
pub fn correlation_ratio(groups: &[f64], values: &[f64]) -> f64 {
    let n = groups.len().min(values.len());
    let (g, m) = codes(&groups[..n]);
    if n == 0 {
        return 0.0;
    }
    let mean = values[..n].iter().sum::<f64>() / n as f64;
    let (mut sum, mut count) = (vec![0.0; m], vec![0usize; m]);
    for (&c, &v) in g.iter().zip(&values[..n]) {
        sum[c as usize] += v;
        count[c as usize] += 1;
    }
    let between: f64 = sum
        .iter()
        .zip(&count)
        .filter(|(_, c)| **c > 0)
        .map(|(s, &c)| {
            let d = s / c as f64 - mean;
            c as f64 * d * d
        })
        .sum();
    let total: f64 = values[..n].iter().map(|v| (v - mean) * (v - mean)).sum();
    if total > 0.0 {
        (between / total).sqrt().min(1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cramers_v_of_independent_and_identical_labels() {
        // A balanced 2 × 2 table with all cells equal: χ² = 0.
        let a = [0.0, 0.0, 1.0, 1.0];
        let b = [0.0, 1.0, 0.0, 1.0];
        assert_eq!(cramers_v(&a, &b), 0.0);
        // A relabelled copy: V = 1 (χ² = n (r − 1)).
        let c = [2.0, 0.0, 1.0, 2.0, 0.0, 1.0];
        let d = [5.0, 7.0, 9.0, 5.0, 7.0, 9.0];
        assert!((cramers_v(&c, &d) - 1.0).abs() < 1e-12);
        // 2 × 2 with counts [[3, 1], [1, 3]]: χ² = 8·(1/4)·... = 2, V = √(2/8) = 0.5.
        let e = [0., 0., 0., 0., 1., 1., 1., 1.];
        let f = [0., 0., 0., 1., 0., 1., 1., 1.];
        assert!((cramers_v(&e, &f) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn correlation_ratio_by_hand() {
        // Groups {1, 3} and {5, 7}: mean 4, total SS 20, between 2·(2−4)² + 2·(6−4)² = 16.
        let g = [0.0, 0.0, 1.0, 1.0];
        let v = [1.0, 3.0, 5.0, 7.0];
        assert!((correlation_ratio(&g, &v) - (16.0f64 / 20.0).sqrt()).abs() < 1e-12);
        // The value determined by the group: η = 1; a constant value: 0.
        assert!((correlation_ratio(&g, &[2.0, 2.0, 9.0, 9.0]) - 1.0).abs() < 1e-12);
        assert_eq!(correlation_ratio(&g, &[4.0; 4]), 0.0);
    }
}

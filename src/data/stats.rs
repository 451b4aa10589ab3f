//! Per-column summaries that front ends rank or filter columns by.

use super::Dataset;

/// Population variance of each column's finite values, in column order; NaN for text
/// columns (codes have no scale) and for columns without a finite value.
///
/// Welford's update: one pass, and no cancellation for columns far from zero (a year,
/// a timestamp) where Σx² − (Σx)²/n would lose every digit.
pub fn variances(ds: &Dataset) -> Vec<f64> {
    ds.columns
        .iter()
        .map(|c| {
            if c.is_text() {
                return f64::NAN;
            }
            let (mut n, mut mean, mut m2) = (0.0f64, 0.0f64, 0.0f64);
            for &v in c.values.iter().filter(|v| v.is_finite()) {
                n += 1.0;
                let d = v - mean;
                mean += d / n;
                m2 += d * (v - mean);
            }
            if n > 0.0 { m2 / n } else { f64::NAN }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Column, read_csv_bytes};

    #[test]
    fn population_variance_of_finite_values() {
        let ds = Dataset::new(
            "t",
            vec![
                Column::numeric("a", vec![1.0, 2.0, 3.0, 4.0]),
                // Missing and infinite values are left out: variance of [2, 4] is 1.
                Column::numeric("b", vec![2.0, f64::NAN, 4.0, f64::INFINITY]),
                Column::numeric("c", vec![f64::NAN; 4]),
                // Far from zero, where the naive formula cancels.
                Column::numeric("d", vec![1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0, 1e9 + 4.0]),
            ],
        );
        let v = variances(&ds);
        assert_eq!(v[0], 1.25);
        assert_eq!(v[1], 1.0);
        assert!(v[2].is_nan());
        assert!((v[3] - 1.25).abs() < 1e-9, "{}", v[3]);
    }

    #[test]
    fn text_columns_have_no_variance() {
        let ds = read_csv_bytes("t.csv", b"x,label\n1,a\n2,b\n3,a\n", &Default::default())
            .expect("valid CSV");
        let v = variances(&ds);
        assert!((v[0] - 2.0 / 3.0).abs() < 1e-15);
        assert!(v[1].is_nan());
    }
}

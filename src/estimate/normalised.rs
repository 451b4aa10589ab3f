//! Normalised mutual information: MI divided by a mean of the two entropies, on 0..1.
//!
//! Only defined where both entropies are Shannon entropies of discrete columns: a
//! continuous column's differential entropy can be negative and changes with its units,
//! so a ratio to it means nothing.

/// Which mean of H(X) and H(Y) divides I(X;Y).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NmiForm {
    /// I / min(H(X), H(Y)): 1 when one column determines the other.
    Min,
    /// I / √(H(X) H(Y)).
    Sqrt,
    /// 2I / (H(X) + H(Y)), the "symmetric uncertainty".
    Mean,
}

/// I(X;Y) normalised by the entropies `ha`, `hb` (all in the same unit), clamped to
/// [0, 1]; `None` when either entropy is NaN (a continuous column). Zero when the
/// divisor is not positive: a constant column shares no information.
///
/// Clamped because estimates carry bias (Miller–Madow can push I slightly above
/// min(H) or below 0), and a scale that promises 0..1 should keep to it.
pub fn normalised_mi(mi: f64, ha: f64, hb: f64, form: NmiForm) -> Option<f64> {
    if ha.is_nan() || hb.is_nan() {
        return None;
    }
    let denom = match form {
        NmiForm::Min => ha.min(hb),
        NmiForm::Sqrt => (ha * hb).sqrt(),
        NmiForm::Mean => (ha + hb) / 2.0,
    };
    Some(if denom > 0.0 {
        (mi / denom).clamp(0.0, 1.0)
    } else {
        0.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::discrete;

    const FORMS: [NmiForm; 3] = [NmiForm::Min, NmiForm::Sqrt, NmiForm::Mean];

    /// (I, H(X), H(Y)) of two code columns by the plug-in estimator.
    fn table(x: &[u32], y: &[u32]) -> (f64, f64, f64) {
        (
            discrete::mi(x, y, false),
            discrete::entropy(x, false),
            discrete::entropy(y, false),
        )
    }

    #[test]
    fn identical_columns_give_one() {
        let x = [0, 1, 2, 0, 1, 2, 0, 0];
        let (mi, hx, hy) = table(&x, &x);
        for form in FORMS {
            let v = normalised_mi(mi, hx, hy, form).expect("discrete");
            assert!((v - 1.0).abs() < 1e-15, "{form:?}: {v}");
        }
    }

    #[test]
    fn independent_columns_give_zero() {
        // Every (x, y) combination once: the empirical table is exactly the product.
        let x = [0, 0, 0, 1, 1, 1];
        let y = [0, 1, 2, 0, 1, 2];
        let (mi, hx, hy) = table(&x, &y);
        for form in FORMS {
            let v = normalised_mi(mi, hx, hy, form).expect("discrete");
            assert!(v.abs() < 1e-15, "{form:?}: {v}");
        }
    }

    #[test]
    fn hand_computed_table() {
        // Y = X mod 2 with X uniform on {0, 1, 2, 3}: Y is a function of X, so
        // I = H(Y) = ln 2 and H(X) = ln 4 = 2 ln 2.
        let x = [0, 1, 2, 3];
        let y = [0, 1, 0, 1];
        let (mi, hx, hy) = table(&x, &y);
        let ln2 = std::f64::consts::LN_2;
        assert!((mi - ln2).abs() < 1e-15 && (hx - 2.0 * ln2).abs() < 1e-15);
        let v = |form| normalised_mi(mi, hx, hy, form).expect("discrete");
        assert!((v(NmiForm::Min) - 1.0).abs() < 1e-15);
        assert!((v(NmiForm::Sqrt) - 1.0 / 2f64.sqrt()).abs() < 1e-15);
        assert!((v(NmiForm::Mean) - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn continuous_constant_and_out_of_range() {
        for form in FORMS {
            assert_eq!(normalised_mi(0.3, f64::NAN, 1.0, form), None);
            assert_eq!(normalised_mi(0.3, 1.0, f64::NAN, form), None);
            // A constant column has H = 0: nothing shared.
            assert_eq!(normalised_mi(0.0, 0.0, 1.0, form), Some(0.0));
            assert_eq!(normalised_mi(1.5, 1.0, 1.0, form), Some(1.0));
            assert_eq!(normalised_mi(-0.01, 1.0, 1.0, form), Some(0.0));
        }
    }
}

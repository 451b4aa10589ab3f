//! The selection criteria, made proof against estimator noise.
//!
//! For a candidate f with relevance R = I(f;T) and, per already selected feature s, the
//! raw term t_s (I(f;s) for MID and MIQ, I(f;T|s) for JMI and CMIM), each criterion uses
//! t_s⁺ = max(t_s, 0): information is never negative, so a negative k-NN estimate is
//! noise around zero, not evidence:
//!
//! - MID:  R − mean_s t_s⁺
//! - MIQ:  R / max(mean_s t_s⁺, ε)
//! - JMI:  mean_s t_s⁺
//! - CMIM: min_s t_s⁺
//!
//! ε is the noise floor of the estimates at this sample size: the median, over the
//! candidates, of the standard deviation of the relevance's permutation null (see
//! [`super::screen`]). A redundancy below ε is indistinguishable from zero, so dividing
//! by anything smaller would only turn noise into a large score: a candidate whose
//! redundancy is nil (the first pick's, with nothing selected yet) scores R/ε, its
//! relevance in units of the noise.
//!
//! The exported redundancy stays the raw estimate: mean_s t_s for MID/MIQ, R − mean_s t_s
//! (JMI) and R − min_s t_s (CMIM), what the selected features already say about T.

use super::MrmrMethod;

/// (score, raw redundancy) of a candidate with relevance `rel` and raw `terms`, one per
/// feature selected so far; `floor` is ε.
pub fn score(method: MrmrMethod, rel: f64, terms: &[f64], floor: f64) -> (f64, f64) {
    if terms.is_empty() {
        // Nothing is selected yet, so the redundancy is nil: MIQ's quotient is then
        // R/ε (a ratio like every other MIQ score, not information), the others' R.
        let first = if method == MrmrMethod::Miq {
            rel / floor
        } else {
            rel
        };
        return (first, 0.0);
    }
    let m = terms.len() as f64;
    let mean = terms.iter().sum::<f64>() / m;
    let mean_pos = terms.iter().map(|t| t.max(0.0)).sum::<f64>() / m;
    let min = terms.iter().copied().fold(f64::INFINITY, f64::min);
    match method {
        MrmrMethod::Mid => (rel - mean_pos, mean),
        MrmrMethod::Miq => (rel / mean_pos.max(floor), mean),
        MrmrMethod::Jmi => (mean_pos, rel - mean),
        MrmrMethod::Cmim => (min.max(0.0), rel - min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_terms_count_as_no_information() {
        // A redundancy of −0.001 (noise) must not raise MID above the relevance, nor
        // make MIQ divide by it.
        assert_eq!(score(MrmrMethod::Mid, 0.009, &[-0.001], 0.004).0, 0.009);
        assert_eq!(
            score(MrmrMethod::Miq, 0.009, &[-0.001], 0.004).0,
            0.009 / 0.004
        );
        assert_eq!(score(MrmrMethod::Jmi, 0.2, &[-0.01, 0.1], 0.0).0, 0.05);
        assert_eq!(score(MrmrMethod::Cmim, 0.2, &[-0.01, 0.1], 0.0).0, 0.0);
        // Raw redundancy stays what was estimated.
        assert_eq!(score(MrmrMethod::Mid, 0.009, &[-0.001], 0.004).1, -0.001);
        assert!((score(MrmrMethod::Cmim, 0.2, &[-0.01, 0.1], 0.0).1 - 0.21).abs() < 1e-15);
    }

    #[test]
    fn the_first_pick_is_by_relevance() {
        for m in [MrmrMethod::Mid, MrmrMethod::Jmi, MrmrMethod::Cmim] {
            assert_eq!(score(m, 0.3, &[], 0.01), (0.3, 0.0));
        }
        // MIQ's first score is a ratio like its others (R/ε: a nil redundancy is below
        // the noise floor), so its column never mixes information with ratios.
        assert_eq!(score(MrmrMethod::Miq, 0.3, &[], 0.01), (0.3 / 0.01, 0.0));
        assert!(
            score(MrmrMethod::Miq, 0.3, &[], 0.01).0 > score(MrmrMethod::Miq, 0.2, &[], 0.01).0
        );
    }
}

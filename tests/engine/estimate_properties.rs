//! Properties the counting and correlation estimators must keep on any input.
//!
//! The 1e-12 slack in the inequalities is rounding only: every quantity is a sum of at most
//! a few hundred terms of size ≤ ln n, so accumulated error stays near 1e-14.

use mi_workbench::estimate::correlation::{copula_mi, gaussian_mi, pearson, ranks, spearman};
use mi_workbench::estimate::discrete::{cmi, codes, entropy, joint_codes, joint_entropy, mi};
use mi_workbench::estimate::histogram::{bin_codes, bin_count};
use mi_workbench::estimate::{BinRule, BinStrategy};
use proptest::prelude::*;

/// Paired code columns with few or many categories (sparse tables included).
fn code_pair() -> impl Strategy<Value = (Vec<u32>, Vec<u32>)> {
    (1u32..12, 1u32..12, 0usize..300).prop_flat_map(|(mx, my, n)| {
        (
            proptest::collection::vec(0..mx, n),
            proptest::collection::vec(0..my, n),
        )
    })
}

/// Any finite double, with heavy weight on ties, tiny and huge magnitudes.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -1e3..1e3f64,
        2 => (-5i32..5).prop_map(f64::from),
        1 => proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
    ]
}

fn finite_column(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(finite(), 0..max_len)
}

fn finite_pair(max_len: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (0..max_len).prop_flat_map(|n| {
        (
            proptest::collection::vec(finite(), n),
            proptest::collection::vec(finite(), n),
        )
    })
}

fn rule() -> impl Strategy<Value = BinRule> {
    prop_oneof![
        (1usize..60).prop_map(BinRule::Fixed),
        Just(BinRule::Sqrt),
        Just(BinRule::Sturges),
        Just(BinRule::Scott),
        Just(BinRule::FreedmanDiaconis),
    ]
}

fn strategy() -> impl Strategy<Value = BinStrategy> {
    prop_oneof![
        Just(BinStrategy::EqualWidth),
        Just(BinStrategy::EqualFrequency)
    ]
}

fn distinct(c: &[u32]) -> usize {
    let mut v = c.to_vec();
    v.sort_unstable();
    v.dedup();
    v.len()
}

proptest! {
    #![proptest_config(crate::proptest_config(256))]

    #[test]
    fn plugin_mi_symmetric_nonnegative_and_bounded((x, y) in code_pair(), mm in any::<bool>()) {
        let ixy = mi(&x, &y, false);
        prop_assert!((ixy - mi(&y, &x, false)).abs() < 1e-12);
        prop_assert!((mi(&x, &y, mm) - mi(&y, &x, mm)).abs() < 1e-12);
        prop_assert!(ixy >= -1e-12);
        let bound = entropy(&x, false).min(entropy(&y, false));
        prop_assert!(ixy <= bound + 1e-12, "I = {ixy}, min H = {bound}");
        prop_assert!(ixy.is_finite());
    }

    #[test]
    fn plugin_cmi_nonnegative_and_bounded((x, y) in code_pair(), z_seed in any::<u64>(), mz in 1u32..5) {
        let z: Vec<u32> = (0..x.len() as u64).map(|i| ((i.wrapping_mul(z_seed | 1) >> 7) % mz as u64) as u32).collect();
        let c = cmi(&x, &y, &z, false);
        prop_assert!(c >= -1e-12 && c.is_finite());
        // I(X;Y|Z) ≤ H(X|Z) = H(X,Z) − H(Z), and likewise for Y.
        let hz = entropy(&z, false);
        let bound = (joint_entropy(&x, &z, false) - hz).min(joint_entropy(&y, &z, false) - hz);
        prop_assert!(c <= bound + 1e-12, "I(X;Y|Z) = {c}, bound {bound}");
        // A constant conditioner changes nothing.
        let one = vec![0u32; x.len()];
        prop_assert!((cmi(&x, &y, &one, false) - mi(&x, &y, false)).abs() < 1e-12);
    }

    #[test]
    fn plugin_mi_invariant_under_relabelling((x, y) in code_pair(), seed in any::<u64>(), mm in any::<bool>()) {
        // An injective relabelling to large, scattered labels (forces the hash-map path).
        let relabel = |c: u32| (c as u64 * 2_654_435_761).wrapping_add(seed) as u32 | 0x8000_0000;
        let mut seen: Vec<u32> = (0..12).map(relabel).collect();
        seen.sort_unstable();
        seen.dedup();
        prop_assume!(seen.len() == 12);
        let x2: Vec<u32> = x.iter().map(|&c| relabel(c)).collect();
        let y2: Vec<u32> = y.iter().map(|&c| 11 - c).collect();
        prop_assert!((mi(&x, &y, mm) - mi(&x2, &y2, mm)).abs() < 1e-12);
        prop_assert!((entropy(&x, mm) - entropy(&x2, mm)).abs() < 1e-12);
    }

    #[test]
    fn entropy_at_most_log_of_categories((x, _) in code_pair()) {
        let m = distinct(&x);
        let h = entropy(&x, false);
        prop_assert!(h >= 0.0);
        prop_assert!(h <= (m.max(1) as f64).ln() + 1e-12, "H = {h}, m = {m}");
    }

    #[test]
    fn codes_and_joint_codes_are_dense(values in finite_column(200), (a, b) in code_pair()) {
        let (c, m) = codes(&values);
        prop_assert_eq!(m, distinct(&c));
        prop_assert!(c.iter().all(|&v| (v as usize) < m));
        let (j, mj) = joint_codes(&a, &b);
        prop_assert_eq!(mj, distinct(&j));
        prop_assert!(j.iter().all(|&v| (v as usize) < mj));
    }

    #[test]
    fn bin_count_at_least_one(values in finite_column(300), rule in rule()) {
        let bins = bin_count(&values, rule);
        prop_assert!(bins >= 1);
        if !matches!(rule, BinRule::Fixed(_)) {
            prop_assert!(bins <= values.len().max(1));
        }
    }

    #[test]
    fn bin_count_of_constant_or_single_is_one(v in finite(), n in 1usize..100, rule in rule()) {
        prop_assume!(!matches!(rule, BinRule::Fixed(_)));
        prop_assert_eq!(bin_count(&vec![v; n], rule), 1);
        prop_assert_eq!(bin_count(&[v], rule), 1);
    }

    #[test]
    fn histogram_codes_within_bins(values in finite_column(300), bins in 1usize..80, s in strategy()) {
        let c = bin_codes(&values, bins, s);
        prop_assert_eq!(c.len(), values.len());
        prop_assert!(c.iter().all(|&b| (b as usize) < bins));
    }

    #[test]
    fn histogram_codes_monotone(values in finite_column(200), bins in 1usize..40, s in strategy()) {
        let c = bin_codes(&values, bins, s);
        for i in 0..values.len() {
            for j in 0..values.len() {
                if values[i] < values[j] {
                    prop_assert!(c[i] <= c[j], "{} < {} but bins {} > {}", values[i], values[j], c[i], c[j]);
                }
            }
        }
    }

    #[test]
    fn equal_values_share_a_bin(values in finite_column(200), bins in 1usize..40, s in strategy()) {
        let c = bin_codes(&values, bins, s);
        for i in 0..values.len() {
            for j in 0..i {
                if values[i] == values[j] {
                    prop_assert_eq!(c[i], c[j]);
                }
            }
        }
    }

    #[test]
    fn pearson_spearman_finite_in_range((x, y) in finite_pair(200)) {
        for r in [pearson(&x, &y), spearman(&x, &y)] {
            prop_assert!(r.is_finite());
            prop_assert!((-1.0..=1.0).contains(&r), "r = {r}");
        }
        let g = copula_mi(&x, &y);
        prop_assert!(g.is_finite() && g >= 0.0);
        prop_assert!(gaussian_mi(pearson(&x, &y)).is_finite());
    }

    #[test]
    fn ranks_sum_to_triangular(values in finite_column(200)) {
        let n = values.len() as f64;
        let r = ranks(&values);
        prop_assert!((r.iter().sum::<f64>() - n * (n + 1.0) / 2.0).abs() < 1e-9);
        prop_assert!(r.iter().all(|&v| v >= 1.0 && v <= n));
    }
}

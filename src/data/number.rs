//! Numbers in the plain decimal spelling, parsed straight from the cell's bytes.
//!
//! `plain` gives the finite value of `[+-]? digits [. digits] [(e|E) [+-]? digits]`
//! (at least one digit before or after the point), the same correctly rounded `f64`
//! as `str::parse::<f64>`, and `None` for anything else. The reader then takes its
//! general path, which is `str::parse` itself: `inf`, `NaN`, `1e400`, stray text and
//! bytes that are not UTF-8 are decided as before.
//!
//! fast-float2 is by the author of the standard library's parser and uses the same
//! algorithm (Eisel–Lemire with a big-decimal fallback), but reads bytes, so a cell
//! needs no UTF-8 check and no `&str`. Its grammar for finite values is the one
//! above (its infinities and NaNs are sent to the general path); the tests check
//! both the grammar and the bits against `str::parse`.

/// The value of a plain decimal number, or `None` when `t` is not one (or is too
/// large for an `f64`).
pub fn plain(t: &[u8]) -> Option<f64> {
    fast_float2::parse::<f64, _>(t)
        .ok()
        .filter(|v| v.is_finite())
}

/// Whether `t` has the plain decimal grammar above (the tests' reference).
#[cfg(test)]
fn is_plain(t: &[u8]) -> bool {
    let mut i = usize::from(matches!(t.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while t.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa = digits(&mut i);
    if t.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(t.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == t.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `plain` accepts exactly the plain spellings of finite values, with std's bits.
    fn same_as_std(s: &str) {
        let want = s.parse::<f64>().ok().filter(|v| v.is_finite());
        let plain_grammar = is_plain(s.as_bytes());
        match plain(s.as_bytes()) {
            Some(v) => {
                assert!(plain_grammar, "{s:?}");
                assert_eq!(Some(v.to_bits()), want.map(f64::to_bits), "{s:?}");
            }
            // Not plain, or beyond f64: the general path (std) decides.
            None => assert!(!plain_grammar || want.is_none(), "{s:?}"),
        }
    }

    #[test]
    fn edge_spellings() {
        for s in [
            "0",
            "-0",
            "+0",
            ".5",
            "5.",
            "-.5",
            "+3e-4",
            "1E5",
            "1e+5",
            "1e-400",
            "1e-99999999999999999999",
            "2.2250738585072011e-308",
            "4.9e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "0.1",
            "123456789012345678901234567890",
            "9007199254740993",
            "-0.6025976783682847",
            "2.996429677895166",
            "00000000000000000000000001.5",
            "1.00000000000000011102230246251565404236316680908203125",
        ] {
            assert!(plain(s.as_bytes()).is_some(), "{s:?}");
            same_as_std(s);
        }
        for s in [
            "",
            ".",
            "+",
            "-",
            "e5",
            "1e400",
            "-1e400",
            "1e99999999999999999999",
            "infinity",
            "+inf",
            "-nan",
            "nan(1)",
            "+.",
            "-e1",
            ".e5",
            "1e",
            "1e+",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "inf",
            "-inf",
            "Infinity",
            "nan",
            "NaN",
            "+nan",
            "0x10",
            "1_000",
            "1d5",
            "١",
            "1e5.0",
        ] {
            assert!(plain(s.as_bytes()).is_none(), "{s:?}");
            same_as_std(s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn formatted_floats_parse_back(x in any::<f64>()) {
            for s in [format!("{x}"), format!("{x:e}"), format!("{x:.3}"), format!("{x:E}")] {
                same_as_std(&s);
                if x.is_finite() {
                    prop_assert_eq!(plain(s.as_bytes()).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits));
                }
            }
        }

        #[test]
        fn number_like_strings_match_std(s in "[+-]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{0,4})?") {
            same_as_std(&s);
        }

        #[test]
        fn odd_strings_match_std(s in "[+-.eE0-9infatyINFATY_x ]{0,12}") {
            same_as_std(&s);
        }
    }
}

//! Deciding a column's kind from its values, recognising missing-value tokens, and
//! spotting columns that are identifiers rather than measurements.
use super::ColumnKind;

/// Integer-valued numeric columns with at most this many distinct values are discrete.
pub const MAX_DISCRETE_DISTINCT: usize = 20;

/// Identifier rules need enough rows: in a handful of rows every value being distinct
/// is ordinary, not a sign of an ID.
pub const MIN_ID_ROWS: usize = 20;

/// A row index written out in order (0..n or 1..n) is recognisable sooner than a
/// shuffled one.
pub const MIN_ORDERED_INDEX_ROWS: usize = 10;

/// Reason shown for a column whose every value is distinct.
pub const ID_REASON: &str = "looks like an identifier: every value is distinct";

/// Reason shown for an integer column that is a consecutive row index.
pub const INDEX_REASON: &str =
    "looks like an identifier: every value is distinct (consecutive integers, a row index)";

pub const NO_VALUES_REASON: &str = "no values";

pub const CONSTANT_REASON: &str = "constant: carries no information";

/// What kind detection and the exclusion rules need to know about a numeric column,
/// found with one pass and, for integer-valued columns only, one sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumericFacts {
    /// Non-missing, finite values.
    pub present: usize,
    /// Distinct present values; exact for integer-valued columns, and for other
    /// columns exact only when 1 (otherwise reported as 2, which every rule treats
    /// as "more than one").
    pub distinct: usize,
    pub all_integer: bool,
    /// Sorted, the present values step by exactly 1.
    pub consecutive: bool,
}

pub fn numeric_facts(values: &[f64]) -> NumericFacts {
    let mut present = 0;
    let mut all_integer = true;
    let mut first = None;
    let mut all_equal = true;
    for &v in values.iter().filter(|v| v.is_finite()) {
        present += 1;
        // `fract` is a library call on baseline x86-64: skip it once the answer is known.
        if all_integer {
            all_integer = v.fract() == 0.0;
        }
        match first {
            None => first = Some(v),
            Some(f) => all_equal &= f == v,
        }
    }
    if present == 0 {
        return NumericFacts {
            present,
            distinct: 0,
            all_integer,
            consecutive: false,
        };
    }
    if !all_integer {
        // Continuous whatever the count; sorting a million floats just to count them
        // would cost more than reading them.
        return NumericFacts {
            present,
            distinct: if all_equal { 1 } else { 2 },
            all_integer,
            consecutive: false,
        };
    }
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    let distinct = 1 + sorted.windows(2).filter(|w| w[0] != w[1]).count();
    let consecutive = sorted.windows(2).all(|w| w[1] - w[0] == 1.0);
    NumericFacts {
        present,
        distinct,
        all_integer,
        consecutive,
    }
}

/// Integer-valued with at most [`MAX_DISCRETE_DISTINCT`] distinct values, and not
/// more than half the present rows distinct (so that a short column of counts is not
/// mistaken for categories). Two values (a 0/1 target) are always discrete.
pub fn numeric_kind(values: &[f64]) -> ColumnKind {
    kind_of(&numeric_facts(values))
}

pub fn kind_of(facts: &NumericFacts) -> ColumnKind {
    let d = facts.distinct;
    let few = d <= MAX_DISCRETE_DISTINCT && (d <= 2 || 2 * d <= facts.present);
    if facts.all_integer && d > 0 && few {
        ColumnKind::Discrete
    } else {
        ColumnKind::Continuous
    }
}

/// Cells (already trimmed of ASCII whitespace) that mean "no value": what pandas,
/// R, Excel and databases write for missing data. Case-insensitive except for the
/// one-character tokens, which have no case.
pub fn is_missing_token(t: &[u8]) -> bool {
    // Every token is at most 4 bytes; numbers (the common case) skip the comparisons.
    if t.is_empty() {
        return true;
    }
    if t.len() > 4 {
        return false;
    }
    const TOKENS: [&[u8]; 11] = [
        b"na", b"n/a", b"nan", b"-nan", b"null", b"none", b"#n/a", b"#na", b"<na>", b"?", b"-",
    ];
    TOKENS.iter().any(|tok| tok.eq_ignore_ascii_case(t))
}

/// Why an integer column looks like an identifier, if it does. `values` are in row
/// order with `NaN` for missing cells.
pub fn numeric_identifier(values: &[f64], facts: &NumericFacts) -> Option<&'static str> {
    let n = facts.present;
    if n < MIN_ORDERED_INDEX_ROWS || !facts.all_integer || !facts.consecutive {
        return None;
    }
    // An index written in row order, starting at 0 or 1 (pandas' and R's row names).
    if n == values.len() {
        let start = values[0];
        if (start == 0.0 || start == 1.0)
            && values
                .iter()
                .enumerate()
                .all(|(i, &v)| v == start + i as f64)
        {
            return Some(INDEX_REASON);
        }
    }
    (n >= MIN_ID_ROWS).then_some(INDEX_REASON)
}

/// Reason shown for a column named like an identifier whose values are all distinct.
pub const NAMED_ID_REASON: &str =
    "looks like an identifier: every value is distinct and the header names an ID";

/// Whether a header reads as a row identifier: `id`, `*_id`, `rownames`, `index`,
/// `Unnamed: 0` (pandas' unnamed index), `row` (case-insensitive).
pub fn is_id_like_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    matches!(
        n.as_str(),
        "id" | "rownames" | "index" | "row" | "unnamed: 0"
    ) || n.ends_with("_id")
}

/// Why a column looks like an identifier by its header: named like an ID (see
/// [`is_id_like_name`]) with every present value distinct, in at least
/// [`MIN_ORDERED_INDEX_ROWS`] rows. Catches shuffled or gappy IDs that the value rules
/// (consecutive integers, all-distinct text) leave as measurements. `distinct` is the
/// exact count for text; numeric values are counted here.
pub fn named_identifier(
    name: &str,
    values: &[f64],
    present: usize,
    distinct: usize,
    text: bool,
) -> Option<&'static str> {
    if present < MIN_ORDERED_INDEX_ROWS || !is_id_like_name(name) {
        return None;
    }
    let all_distinct = if text {
        distinct == present
    } else {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        v.sort_unstable_by(f64::total_cmp);
        v.windows(2).all(|w| w[0] != w[1])
    };
    all_distinct.then_some(NAMED_ID_REASON)
}

/// Why a text column looks like an identifier: as many distinct labels as present cells.
pub fn text_identifier(present: usize, distinct: usize) -> Option<&'static str> {
    (present >= MIN_ID_ROWS && distinct == present).then_some(ID_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let binary: Vec<f64> = (0..10).map(|i| (i % 2) as f64).collect();
        assert_eq!(numeric_kind(&binary), ColumnKind::Discrete);
        assert_eq!(numeric_kind(&[0.0, 1.0, 1.0]), ColumnKind::Discrete);
        let years: Vec<f64> = (0..300).map(|i| (2007 + i % 3) as f64).collect();
        assert_eq!(numeric_kind(&years), ColumnKind::Discrete);
        // Eight distinct counts in ten rows: more like a measurement than categories.
        let counts = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 8.0, 8.0];
        assert_eq!(numeric_kind(&counts), ColumnKind::Continuous);
        assert_eq!(numeric_kind(&[0.5, 1.0, 0.5, 1.0]), ColumnKind::Continuous);
        assert_eq!(numeric_kind(&[f64::NAN, f64::NAN]), ColumnKind::Continuous);
    }

    #[test]
    fn missing_tokens() {
        for t in [
            "", "NA", "na", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?", "-", "None",
        ] {
            assert!(is_missing_token(t.as_bytes()), "{t}");
        }
        for t in ["0", "-1", "nana", "n", "Nonexistent", "--"] {
            assert!(!is_missing_token(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn identifiers() {
        let id = |v: &[f64]| numeric_identifier(v, &numeric_facts(v));
        let index: Vec<f64> = (1..=12).map(f64::from).collect();
        assert!(id(&index).is_some());
        let mut shuffled: Vec<f64> = (100..130).map(f64::from).collect();
        shuffled.swap(3, 17);
        assert!(id(&shuffled).is_some());
        let short: Vec<f64> = (5..15).map(f64::from).collect();
        assert!(id(&short).is_none());
        let floats: Vec<f64> = (0..30).map(|i| f64::from(i) + 0.5).collect();
        assert!(id(&floats).is_none());
        let gappy: Vec<f64> = (0..30).map(|i| f64::from(i * 2)).collect();
        assert!(id(&gappy).is_none());
        assert!(text_identifier(20, 20).is_some());
        assert!(text_identifier(19, 19).is_none());
        assert!(text_identifier(30, 29).is_none());
        // Named like an ID, all distinct, but gappy and shuffled: an identifier.
        let ids: Vec<f64> = (0..15).map(|i| f64::from((i * 7919) % 1000)).collect();
        assert!(id(&ids).is_none());
        for name in ["rownames", "id", "player_id", "Unnamed: 0", "index", "Row"] {
            assert!(
                named_identifier(name, &ids, 15, 15, false).is_some(),
                "{name}"
            );
        }
        assert!(named_identifier("year", &ids, 15, 15, false).is_none());
        assert!(named_identifier("idea", &ids, 15, 15, false).is_none());
        let repeated = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert!(named_identifier("id", &repeated, 11, 10, false).is_none());
    }
}

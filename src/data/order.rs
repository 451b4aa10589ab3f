//! The order in which a column's categories are listed (contingency tables, strips, the
//! data table's sort). Estimates never depend on it: it is only how categories are read.

use super::Column;
use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CategoryOrder {
    /// Numbers by value, text alphabetically (as the values sort).
    #[default]
    Label,
    /// The most frequent category first.
    Frequency,
    /// Text with the numbers inside it compared as numbers: "size 2" before "size 10".
    NumericAware,
}

impl CategoryOrder {
    pub const ALL: [CategoryOrder; 3] = [Self::Label, Self::Frequency, Self::NumericAware];

    pub fn name(self) -> &'static str {
        match self {
            Self::Label => "by label",
            Self::Frequency => "by frequency",
            Self::NumericAware => "numeric-aware",
        }
    }

    pub fn explain(self) -> &'static str {
        match self {
            Self::Label => "numbers by value, text alphabetically (I1, IF, SI1 …)",
            Self::Frequency => "the most frequent category first",
            Self::NumericAware => {
                "numbers inside labels compared as numbers: \"2\" before \"10\", \"v2\" before \"v10\""
            }
        }
    }
}

/// The positions of `labels` in the wanted order. `labels` arrive in value order (the
/// [`CategoryOrder::Label`] order of a numeric column); `counts` are their frequencies.
/// Ties keep the label order, so the result is deterministic.
pub fn permutation(
    labels: &[String],
    counts: &[u64],
    order: CategoryOrder,
    text: bool,
) -> Vec<usize> {
    let mut p: Vec<usize> = (0..labels.len()).collect();
    let label_cmp = |a: usize, b: usize| {
        if text {
            // Ignoring case first, as a reader sorts ("grade 1" beside "Grade 2").
            let (x, y) = (&labels[a], &labels[b]);
            x.to_lowercase()
                .cmp(&y.to_lowercase())
                .then(x.cmp(y))
                .then(a.cmp(&b))
        } else {
            a.cmp(&b)
        }
    };
    match order {
        CategoryOrder::Label => p.sort_by(|&a, &b| label_cmp(a, b)),
        CategoryOrder::Frequency => p.sort_by(|&a, &b| {
            let (ca, cb) = (counts.get(a), counts.get(b));
            cb.cmp(&ca).then(label_cmp(a, b))
        }),
        CategoryOrder::NumericAware => p.sort_by(|&a, &b| {
            if text {
                natural_cmp(&labels[a], &labels[b]).then(label_cmp(a, b))
            } else {
                a.cmp(&b)
            }
        }),
    }
    p
}

/// The data table's rows sorted by one column: numbers by value, categories in the
/// column's category order; missing cells last in both directions; ties in file order
/// (a stable sort).
pub fn row_order(column: &Column, order: CategoryOrder, descending: bool) -> Vec<u32> {
    let values = &column.values;
    // A category's rank in the chosen order replaces its code; a continuous column
    // sorts by its values.
    let key: Vec<f64> = if column.kind.is_discrete() {
        let mut distinct: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let code = |v: f64| distinct.binary_search_by(|d| d.total_cmp(&v)).ok();
        let mut counts = vec![0u64; distinct.len()];
        for &v in values {
            if let Some(c) = code(v) {
                counts[c] += 1;
            }
        }
        let labels: Vec<String> = distinct.iter().map(|&v| column.label_of(v)).collect();
        let mut rank = vec![0usize; distinct.len()];
        for (r, c) in permutation(&labels, &counts, order, column.is_text())
            .into_iter()
            .enumerate()
        {
            rank[c] = r;
        }
        values
            .iter()
            .map(|&v| code(v).map_or(f64::NAN, |c| rank[c] as f64))
            .collect()
    } else {
        values.clone()
    };
    let mut rows: Vec<u32> = (0..values.len() as u32).collect();
    rows.par_sort_by(|&a, &b| {
        let (x, y) = (key[a as usize], key[b as usize]);
        match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ if descending => y.total_cmp(&x),
            _ => x.total_cmp(&y),
        }
    });
    rows
}

/// Compares text with runs of digits (and a leading sign or decimal point inside them)
/// compared as numbers, and everything else character by character ignoring case.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (na, ra) = leading_number(a);
        let (nb, rb) = leading_number(b);
        match (na, nb) {
            (Some(x), Some(y)) => match x.total_cmp(&y) {
                Ordering::Equal => {
                    a = ra;
                    b = rb;
                }
                other => return other,
            },
            // A number sorts before text, as spreadsheets sort mixed columns.
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => {
                let fold = |c: Option<char>| c.map(|c| c.to_lowercase().next().unwrap_or(c));
                match fold(a.chars().next()).cmp(&fold(b.chars().next())) {
                    Ordering::Equal => {
                        a = after_first_char(a);
                        b = after_first_char(b);
                    }
                    other => return other,
                }
            }
        }
    }
}

fn after_first_char(s: &str) -> &str {
    s.char_indices().nth(1).map_or("", |(i, _)| &s[i..])
}

/// A number at the start of `s` (digits with an optional leading '-' and one decimal
/// point), and the rest of `s`.
fn leading_number(s: &str) -> (Option<f64>, &str) {
    let bytes = s.as_bytes();
    let mut end = 0;
    if bytes.first() == Some(&b'-') && bytes.get(1).is_some_and(u8::is_ascii_digit) {
        end = 1;
    }
    let digits_start = end;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if end == digits_start {
        return (None, s);
    }
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    (s[..end].parse().ok(), &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_inside_text_compare_as_numbers() {
        let mut v = vec!["v10", "v2", "v1", "a", "10", "2", "-3", "v2.5"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["-3", "2", "10", "a", "v1", "v2", "v2.5", "v10"]);
    }

    #[test]
    fn rows_sort_by_value_or_category_rank_with_missing_last() {
        use crate::data::ColumnKind;
        let x = Column::with_kind(
            "x",
            vec![3.0, f64::NAN, 1.0, 2.0, 1.0],
            ColumnKind::Continuous,
        );
        assert_eq!(row_order(&x, CategoryOrder::Label, false), [2, 4, 3, 0, 1]);
        assert_eq!(row_order(&x, CategoryOrder::Label, true), [0, 3, 2, 4, 1]);
        // Discrete 5 ×1, 7 ×3, 9 ×2: by frequency 7, 9, 5.
        let d = Column::with_kind("d", vec![9., 7., 5., 7., 9., 7.], ColumnKind::Discrete);
        assert_eq!(
            row_order(&d, CategoryOrder::Frequency, false),
            [1, 3, 5, 0, 4, 2]
        );
        assert_eq!(
            row_order(&d, CategoryOrder::Label, false),
            [2, 1, 3, 5, 0, 4]
        );
    }

    #[test]
    fn case_is_ignored_and_numbers_come_before_words() {
        let labels = strings(&["grade 2", "Grade X", "grade 10", "grade 1"]);
        let by = |o| permutation(&labels, &[1, 1, 1, 1], o, true);
        assert_eq!(by(CategoryOrder::NumericAware), [3, 0, 2, 1]);
        assert_eq!(by(CategoryOrder::Label), [3, 2, 0, 1]); // 1, 10, 2, X
    }

    #[test]
    fn permutations_for_each_order() {
        let labels = strings(&["SI1", "I1", "IF", "VS2"]);
        let counts = [5, 1, 9, 5];
        let by = |o| permutation(&labels, &counts, o, true);
        assert_eq!(by(CategoryOrder::Label), [1, 2, 0, 3]); // I1, IF, SI1, VS2
        assert_eq!(by(CategoryOrder::Frequency), [2, 0, 3, 1]); // IF 9, SI1 5, VS2 5, I1 1
        assert_eq!(by(CategoryOrder::NumericAware), [1, 2, 0, 3]);
        let sizes = strings(&["10", "2", "33"]);
        assert_eq!(
            permutation(&sizes, &[1, 1, 1], CategoryOrder::NumericAware, true),
            [1, 0, 2]
        );
        assert_eq!(
            permutation(&sizes, &[1, 1, 1], CategoryOrder::Label, true),
            [0, 1, 2]
        );
        // Numeric columns arrive in value order: label and numeric-aware keep it.
        assert_eq!(
            permutation(&sizes, &[1, 3, 2], CategoryOrder::Label, false),
            [0, 1, 2]
        );
        assert_eq!(
            permutation(&sizes, &[1, 3, 2], CategoryOrder::Frequency, false),
            [1, 2, 0]
        );
    }
}

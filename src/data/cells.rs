//! One cell's meaning (missing, number, text, ...) and the per-column buffers that
//! collect a column's cells while the file streams by, piece by piece.
use super::detect::is_missing_token;
use super::number;
use std::collections::HashMap;

/// A numeric column tolerates up to 1/20 = 5% non-numeric cells (read as missing).
pub const STRAY_DENOMINATOR: usize = 20;
/// How many offending cells a warning quotes.
pub const QUOTED_CELLS: usize = 3;

/// One cell, classified.
pub enum Cell<'a> {
    Missing,
    Number(f64),
    /// A number written with a decimal comma (`1,5`).
    CommaNumber(f64, &'a str),
    Infinite(&'a str),
    Text(&'a str),
}

/// Classifies a raw field; `Err(offset)` gives the offset of the first byte that is
/// not UTF-8. `decimal_comma` accepts `1,5` as 1.5 (for files not delimited by
/// commas, where European spreadsheets write decimals so).
pub fn classify(raw: &[u8], decimal_comma: bool) -> Result<Cell<'_>, usize> {
    let t = raw.trim_ascii();
    if is_missing_token(t) {
        return Ok(Cell::Missing);
    }
    // Nearly every cell of a numeric file: decided without the checks below, with the
    // value `str::parse` gives (see `number`).
    if let Some(v) = number::plain(t).filter(|v| v.is_finite()) {
        return Ok(Cell::Number(v));
    }
    let lead = raw.len() - raw.trim_ascii_start().len();
    let s = std::str::from_utf8(t).map_err(|e| lead + e.valid_up_to())?;
    Ok(match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Cell::Number(v),
        // Signed spellings of NaN the token list does not hold ("+nan").
        Ok(v) if v.is_nan() => Cell::Missing,
        Ok(_) => Cell::Infinite(s),
        Err(_) => match comma_number(s, decimal_comma) {
            Some(v) => Cell::CommaNumber(v, s),
            None => Cell::Text(s),
        },
    })
}

/// `1,5` → 1.5: exactly one comma, no point, digits on both sides of the comma.
fn comma_number(s: &str, allowed: bool) -> Option<f64> {
    if !allowed || s.contains('.') {
        return None;
    }
    let (int, frac) = s.split_once(',')?;
    let digit_before = int.bytes().last().is_some_and(|b| b.is_ascii_digit());
    let digit_after = frac.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !digit_before || !digit_after || frac.contains(',') {
        return None;
    }
    format!("{int}.{frac}")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

pub const NO_CODE: u32 = u32::MAX;

/// Text labels of one column, coded in order of first appearance.
#[derive(Default)]
pub struct Labels {
    /// One code per row, `NO_CODE` where the cell is not text.
    pub codes: Vec<u32>,
    index: HashMap<Box<str>, u32>,
    labels: Vec<Box<str>>,
}

impl Labels {
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            codes: Vec::with_capacity(rows),
            ..Self::default()
        }
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&code) = self.index.get(s) {
            return code;
        }
        // Codes are stored as f64 later; u32 keeps the per-row cost at 4 bytes.
        let code = u32::try_from(self.labels.len()).unwrap_or(NO_CODE - 1);
        self.labels.push(s.into());
        self.index.insert(s.into(), code);
        code
    }

    /// Appends the codes of `part` (rows read after this one's), coding its labels
    /// here: new ones after the known ones, so codes stay in order of first appearance.
    fn append(&mut self, part: Labels) {
        let map: Vec<u32> = part.labels.iter().map(|s| self.intern(s)).collect();
        self.codes.extend(part.codes.iter().map(|&c| {
            if c == NO_CODE {
                NO_CODE
            } else {
                map.get(c as usize).copied().unwrap_or(NO_CODE - 1)
            }
        }));
    }

    /// Sorted labels and each row's rank among them (NaN where not text).
    pub fn into_sorted(self, rows: usize) -> (Vec<String>, Vec<f64>) {
        let Labels { codes, labels, .. } = self;
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by(|&a, &b| label_order(&labels[a], &labels[b]));
        let mut rank = vec![0u32; labels.len()];
        for (r, &code) in order.iter().enumerate() {
            rank[code] = r as u32;
        }
        let mut values: Vec<f64> = codes
            .iter()
            .map(|&c| match rank.get(c as usize) {
                Some(&r) if c != NO_CODE => f64::from(r),
                _ => f64::NAN,
            })
            .collect();
        values.resize(rows, f64::NAN);
        let sorted = order.into_iter().map(|i| labels[i].to_string()).collect();
        (sorted, values)
    }
}

/// Numbers before text, numbers by value (so "2" < "10"), text by bytes; total and
/// deterministic.
fn label_order(a: &str, b: &str) -> std::cmp::Ordering {
    let num = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// A column while its rows stream by: numbers as they parse, text cells interned.
#[derive(Default)]
pub struct ColumnBuffer {
    pub numbers: Vec<f64>,
    pub text: Option<Labels>,
    pub missing: usize,
    pub numeric: usize,
    pub texts: usize,
    pub infinite: usize,
    pub text_examples: Vec<(u64, String)>,
    pub infinite_examples: Vec<(u64, String)>,
    pub comma_numbers: usize,
    pub comma_example: Option<(u64, String)>,
    /// Some number has a fractional part.
    pub fractional: bool,
    /// The first number, and whether a later one differs from it.
    pub first: Option<f64>,
    pub differs: bool,
}

impl ColumnBuffer {
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            numbers: Vec::with_capacity(rows),
            ..Self::default()
        }
    }

    /// `push` of a `Cell::Number`, without building the cell.
    #[inline]
    pub fn push_number(&mut self, v: f64) {
        self.note_number(v);
        self.numeric += 1;
        if let Some(labels) = &mut self.text {
            labels.codes.push(NO_CODE);
        }
        self.numbers.push(v);
    }

    pub fn push(&mut self, cell: Cell<'_>, line: impl Fn() -> u64) {
        match cell {
            Cell::Missing => self.missing += 1,
            Cell::Number(_) => self.numeric += 1,
            Cell::CommaNumber(_, s) => {
                self.numeric += 1;
                self.comma_numbers += 1;
                if self.comma_example.is_none() {
                    self.comma_example = Some((line(), s.to_string()));
                }
            }
            Cell::Infinite(s) => {
                self.infinite += 1;
                if self.infinite_examples.len() < QUOTED_CELLS {
                    self.infinite_examples.push((line(), s.to_string()));
                }
            }
            Cell::Text(s) => {
                self.texts += 1;
                if self.text_examples.len() < QUOTED_CELLS {
                    self.text_examples.push((line(), s.to_string()));
                }
                let row = self.numbers.len();
                let labels = self.text.get_or_insert_with(|| Labels {
                    codes: vec![NO_CODE; row],
                    ..Labels::default()
                });
                let code = labels.intern(s);
                labels.codes.push(code);
                self.numbers.push(f64::NAN);
                return;
            }
        }
        if let Some(labels) = &mut self.text {
            labels.codes.push(NO_CODE);
        }
        let v = match cell {
            Cell::Number(v) | Cell::CommaNumber(v, _) => {
                self.note_number(v);
                v
            }
            _ => f64::NAN,
        };
        self.numbers.push(v);
    }

    /// The facts `detect::numeric_facts` would find for a column of floats, noted while
    /// the number is at hand rather than in another pass over the column.
    #[inline]
    fn note_number(&mut self, v: f64) {
        if !self.fractional {
            self.fractional = !is_integer(v);
        }
        match self.first {
            None => self.first = Some(v),
            Some(f) => self.differs |= f != v,
        }
    }

    /// Appends the rows of `part`, read after this buffer's rows; the lines of its
    /// examples are shifted by `line_base`.
    pub fn append(&mut self, part: ColumnBuffer, line_base: u64) {
        let rows_before = self.numbers.len();
        self.numbers.extend_from_slice(&part.numbers);
        let rows = self.numbers.len();
        match (&mut self.text, part.text) {
            (_, Some(labels)) => self
                .text
                .get_or_insert_with(|| Labels {
                    codes: vec![NO_CODE; rows_before],
                    ..Labels::default()
                })
                .append(labels),
            (Some(own), None) => own.codes.resize(rows, NO_CODE),
            (None, None) => {}
        }
        self.missing += part.missing;
        self.numeric += part.numeric;
        self.texts += part.texts;
        self.infinite += part.infinite;
        self.comma_numbers += part.comma_numbers;
        self.fractional |= part.fractional;
        self.differs |=
            part.differs || matches!((self.first, part.first), (Some(a), Some(b)) if a != b);
        self.first = self.first.or(part.first);
        let shift = |(line, s): (u64, String)| (line + line_base, s);
        for (own, theirs) in [
            (&mut self.text_examples, part.text_examples),
            (&mut self.infinite_examples, part.infinite_examples),
        ] {
            let room = QUOTED_CELLS.saturating_sub(own.len());
            own.extend(theirs.into_iter().take(room).map(shift));
        }
        if self.comma_example.is_none() {
            self.comma_example = part.comma_example.map(shift);
        }
    }

    pub fn present_cells(&self) -> usize {
        self.numeric + self.texts
    }

    /// Numeric with a few stray text cells, or text.
    pub fn is_text(&self) -> bool {
        self.texts > 0
            && (self.numeric <= self.texts
                || self.texts * STRAY_DENOMINATOR > self.numeric + self.texts)
    }
}

/// `v.fract() == 0.0` for a finite `v`, without the library call `fract` is on
/// baseline x86-64: from 2^52 up every `f64` is an integer, and below it the
/// conversion to `i64` truncates exactly.
fn is_integer(v: f64) -> bool {
    v.abs() >= (1u64 << 52) as f64 || (v as i64) as f64 == v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::detect::numeric_facts;
    use proptest::prelude::*;

    fn cell(code: u8, v: f64) -> Cell<'static> {
        match code {
            0 => Cell::Missing,
            1 => Cell::Text("x"),
            2 => Cell::Infinite("inf"),
            _ => Cell::Number(v),
        }
    }

    proptest! {
        /// The facts noted while parsing, however the rows were split into pieces, are
        /// those `numeric_facts` finds in the finished column.
        #[test]
        fn noted_facts_match_a_pass_over_the_column(
            cells in prop::collection::vec((0u8..6, prop_oneof![
                (-3i32..3).prop_map(f64::from), -1e3f64..1e3, Just(-0.0), Just(4.5e15), Just(9.1e18)]), 0..300),
            cuts in prop::collection::vec(0usize..300, 0..4),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(cells.len())).collect();
            cuts.sort_unstable();
            let mut whole = ColumnBuffer::default();
            let mut from = 0;
            for until in cuts.into_iter().chain([cells.len()]) {
                let mut part = ColumnBuffer::default();
                for &(code, v) in &cells[from..until] {
                    if code == 5 {
                        part.push_number(v);
                    } else {
                        part.push(cell(code, v), || 0);
                    }
                }
                whole.append(part, 0);
                from = until;
            }
            let facts = numeric_facts(&whole.numbers);
            prop_assert_eq!(whole.numeric, facts.present);
            prop_assert_eq!(whole.fractional, !facts.all_integer);
            if facts.present > 0 && !facts.all_integer {
                prop_assert_eq!(whole.differs, facts.distinct > 1);
            }
        }
    }

    #[test]
    fn integers_are_told_as_fract_tells_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.5,
            4503599627370495.5,
            4503599627370496.0,
            1e300,
            -1e300,
            9.3e18,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(is_integer(v), v.fract() == 0.0, "{v}");
        }
    }
}

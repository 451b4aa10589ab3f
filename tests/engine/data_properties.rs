//! Property tests of the CSV reader: no input panics, and any table written as CSV
//! (whatever the delimiter, quoting, padding, missing tokens and line ends) reads
//! back to the same values, labels and missing counts.
use mi_workbench::data::{Dataset, ReadOptions, read_csv_bytes};
use proptest::prelude::*;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
const MISSING: [&str; 10] = [
    "", "NA", "N/A", "NaN", "nan", "null", "NULL", "?", "-", "None",
];

/// Facts every successfully read dataset must satisfy.
fn check_invariants(d: &Dataset) {
    for c in &d.columns {
        assert_eq!(c.values.len(), d.n_rows, "{}", c.name);
        assert_eq!(c.missing, c.values.iter().filter(|v| v.is_nan()).count());
        assert!(c.values.iter().all(|v| !v.is_infinite()));
        if let Some(labels) = &c.labels {
            for &v in c.values.iter().filter(|v| !v.is_nan()) {
                assert!(v >= 0.0 && v.fract() == 0.0 && (v as usize) < labels.len());
            }
        }
    }
    let mut names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), d.columns.len(), "column names are unique");
}

fn read(bytes: &[u8]) {
    if let Ok(d) = read_csv_bytes("fuzz.csv", bytes, &ReadOptions::default()) {
        check_invariants(&d);
    }
}

#[derive(Clone, Debug)]
enum Col {
    Numbers(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        (0i32..3).prop_map(f64::from),
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        (-1e6f64..1e6),
    ]
}

/// Text that is neither a number nor a missing token once trimmed, and may hold
/// delimiters, quotes and line breaks.
fn label() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9 ,;|\t\"\n\r.-]{0,7}".prop_filter("a text label", |s| {
        let t = s.trim();
        t.parse::<f64>().is_err() && !MISSING.iter().any(|m| m.eq_ignore_ascii_case(t))
    })
}

fn column(rows: usize) -> impl Strategy<Value = Col> {
    prop_oneof![
        3 => prop::collection::vec(prop::option::weighted(0.8, number()), rows).prop_map(Col::Numbers),
        1 => prop::collection::vec(prop::option::weighted(0.8, label()), rows).prop_map(Col::Text),
    ]
}

#[derive(Clone, Debug)]
struct Style {
    delimiter: u8,
    crlf: bool,
    /// Per cell: quote it, pad it with spaces, which missing token, scientific notation.
    cells: Vec<(bool, bool, usize, bool)>,
    final_newline: bool,
}

fn table() -> impl Strategy<Value = (Vec<Col>, Style)> {
    (1usize..6, 1usize..25).prop_flat_map(|(cols, rows)| {
        (
            prop::collection::vec(column(rows), cols),
            (
                prop::sample::select(&DELIMITERS[..]),
                any::<bool>(),
                prop::collection::vec(
                    (
                        any::<bool>(),
                        any::<bool>(),
                        0..MISSING.len(),
                        any::<bool>(),
                    ),
                    cols * rows,
                ),
                any::<bool>(),
            )
                .prop_map(|(delimiter, crlf, cells, final_newline)| Style {
                    delimiter,
                    crlf,
                    cells,
                    final_newline,
                }),
        )
    })
}

fn write_csv(cols: &[Col], style: &Style) -> Vec<u8> {
    let rows = match &cols[0] {
        Col::Numbers(v) => v.len(),
        Col::Text(v) => v.len(),
    };
    let d = char::from(style.delimiter);
    let eol = if style.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let header: Vec<String> = (0..cols.len()).map(|j| format!("c{j}")).collect();
    out.push_str(&header.join(&d.to_string()));
    for i in 0..rows {
        out.push_str(eol);
        for (j, col) in cols.iter().enumerate() {
            if j > 0 {
                out.push(d);
            }
            let (quote, pad, token, scientific) = style.cells[i * cols.len() + j];
            let text = match col {
                Col::Numbers(v) => v[i].map(|x| {
                    if scientific {
                        format!("{x:e}")
                    } else {
                        format!("{x}")
                    }
                }),
                Col::Text(v) => v[i].clone(),
            };
            let missing = text.is_none();
            let mut cell = text.unwrap_or_else(|| MISSING[token].to_string());
            // An empty line is no row, so a lone empty cell has to be quoted.
            let must_quote =
                cell.contains([d, '"', '\n', '\r']) || (cols.len() == 1 && cell.trim().is_empty());
            if pad && !must_quote && !(missing && cell.is_empty() && cols.len() == 1) {
                cell = format!(" {cell} ");
            }
            if quote || must_quote {
                cell = format!("\"{}\"", cell.replace('"', "\"\""));
            }
            out.push_str(&cell);
        }
    }
    if style.final_newline {
        out.push_str(eol);
    }
    out.into_bytes()
}

/// 512 cases by default; `PROPTEST_CASES=100000` for a long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(crate::proptest_config(cases()))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        read(&bytes);
    }

    #[test]
    fn csv_like_bytes_never_panic(bytes in prop::collection::vec(
        prop::sample::select(&b",;\t|\"\n\r aN1.-e9iAf?\xEF\xBB\xBF\xC3\xA9\xFF"[..]), 0..600)) {
        read(&bytes);
    }

    #[test]
    fn any_forced_delimiter_never_panics(
        delimiter in any::<u8>(),
        bytes in prop::collection::vec(prop::sample::select(&b",;\"\n\r a1.\x00\xFF"[..]), 0..300),
    ) {
        let opts = ReadOptions { delimiter: Some(delimiter), ..ReadOptions::default() };
        if let Ok(d) = read_csv_bytes("forced.csv", &bytes, &opts) {
            check_invariants(&d);
        }
    }

    #[test]
    fn tables_read_back((cols, style) in table()) {
        let bytes = write_csv(&cols, &style);
        let d = match read_csv_bytes("t.csv", &bytes, &ReadOptions::default()) {
            Ok(d) => d,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&bytes)))),
        };
        check_invariants(&d);
        prop_assert_eq!(d.columns.len(), cols.len());
        for (j, (col, read)) in cols.iter().zip(&d.columns).enumerate() {
            prop_assert_eq!(&read.name, &format!("c{j}"));
            match col {
                Col::Numbers(v) => {
                    prop_assert_eq!(read.values.len(), v.len());
                    prop_assert!(read.labels.is_none());
                    prop_assert_eq!(read.missing, v.iter().filter(|x| x.is_none()).count());
                    for (want, got) in v.iter().zip(&read.values) {
                        match want {
                            Some(x) => prop_assert_eq!(x.to_bits(), got.to_bits()),
                            None => prop_assert!(got.is_nan()),
                        }
                    }
                }
                Col::Text(v) => {
                    let missing = v.iter().filter(|x| x.is_none()).count();
                    prop_assert_eq!(read.missing, missing);
                    if missing == v.len() {
                        continue;
                    }
                    for (want, &got) in v.iter().zip(&read.values) {
                        match want {
                            Some(s) => prop_assert_eq!(read.label_of(got), s.trim()),
                            None => prop_assert!(got.is_nan()),
                        }
                    }
                    // Some cells are text: the column must have labels, sorted.
                    let Some(labels) = read.labels.clone() else {
                        let what = format!("text column c{j} read without labels");
                        return Err(TestCaseError::fail(what));
                    };
                    let mut sorted = labels.clone();
                    sorted.sort();
                    prop_assert_eq!(labels, sorted, "labels are sorted");
                }
            }
        }
    }
}

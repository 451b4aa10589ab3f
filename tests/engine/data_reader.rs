//! The CSV reader on the bundled datasets, on malformed files (each with its
//! documented outcome) and on the options (delimiter, progress, cancel).
use crate::common::{malformed, root, sample};
use mi_workbench::data::{
    ColumnKind, DataError, Dataset, ReadOptions, read_csv_bytes, read_csv_path,
};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

fn read_sample(name: &str) -> Dataset {
    match read_csv_path(&sample(name), &ReadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn read_ok(name: &str) -> Dataset {
    match read_csv_path(&malformed(name), &ReadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn read_err(name: &str) -> String {
    match read_csv_path(&malformed(name), &ReadOptions::default()) {
        Ok(d) => panic!("{name}: expected an error, read {} rows", d.n_rows),
        Err(e) => e.to_string(),
    }
}

fn bytes(text: &str) -> Result<Dataset, DataError> {
    read_csv_bytes("inline.csv", text.as_bytes(), &ReadOptions::default())
}

fn bytes_ok(text: &str) -> Dataset {
    match bytes(text) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// The column of `d` named `name`.
fn column<'a>(d: &'a Dataset, name: &str) -> &'a mi_workbench::data::Column {
    match d.column_index(name) {
        Some(i) => &d.columns[i],
        None => panic!(
            "no column {name}; have {:?}",
            d.columns.iter().map(|c| &c.name).collect::<Vec<_>>()
        ),
    }
}

fn has_warning(d: &Dataset, parts: &[&str]) -> bool {
    d.warnings
        .iter()
        .any(|w| parts.iter().all(|p| w.contains(p)))
}

#[test]
fn penguins() {
    let d = read_sample("penguins.csv");
    assert_eq!(d.n_rows, 344);
    assert_eq!(d.columns.len(), 8);
    for name in ["species", "island", "sex"] {
        assert_eq!(column(&d, name).kind, ColumnKind::Categorical, "{name}");
    }
    assert_eq!(
        column(&d, "species").labels.as_deref(),
        Some(&["Adelie".to_string(), "Chinstrap".into(), "Gentoo".into()][..])
    );
    assert_eq!(column(&d, "sex").missing, 11);
    assert_eq!(column(&d, "bill_length_mm").missing, 2);
    assert_eq!(column(&d, "bill_length_mm").kind, ColumnKind::Continuous);
    assert_eq!(column(&d, "body_mass_g").kind, ColumnKind::Continuous);
    assert_eq!(column(&d, "year").kind, ColumnKind::Discrete);
    assert_eq!(d.default_included().len(), 8);
    // Codes are the label order: the first row is an Adelie (code 0), male.
    let sex = column(&d, "sex");
    assert_eq!(sex.label_of(sex.values[0]), "male");
    assert_eq!(column(&d, "species").values[0], 0.0);
    for c in &d.columns {
        assert_eq!(c.values.len(), 344);
    }
}

#[test]
fn breast_cancer() {
    let d = read_sample("breast_cancer.csv");
    assert_eq!(d.n_rows, 569);
    assert_eq!(d.columns.len(), 31);
    assert_eq!(column(&d, "target").kind, ColumnKind::Discrete);
    for c in d.columns.iter().filter(|c| c.name != "target") {
        assert_eq!(c.kind, ColumnKind::Continuous, "{}", c.name);
        assert_eq!(c.missing, 0);
    }
    assert_eq!(d.default_included().len(), 31);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn wine_and_diabetes() {
    let wine = read_sample("wine.csv");
    assert_eq!((wine.n_rows, wine.columns.len()), (178, 14));
    assert_eq!(column(&wine, "target").kind, ColumnKind::Discrete);
    assert_eq!(column(&wine, "magnesium").kind, ColumnKind::Continuous);
    let diabetes = read_sample("diabetes.csv");
    assert_eq!((diabetes.n_rows, diabetes.columns.len()), (442, 11));
    assert_eq!(column(&diabetes, "sex").kind, ColumnKind::Discrete);
    assert_eq!(column(&diabetes, "age").kind, ColumnKind::Continuous);
    assert_eq!(column(&diabetes, "target").kind, ColumnKind::Continuous);
}

#[test]
fn ragged_row_names_line_and_column() {
    let msg = read_err("ragged.csv");
    assert!(msg.contains("ragged.csv"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
    assert!(
        msg.contains("expected 3 fields (as in the header), found 2"),
        "{msg}"
    );
    assert!(msg.contains("column 3 ('c')"), "{msg}");

    let msg = bytes("a,b\n1,2\n3,4,5\n")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("line 3") && msg.contains("found 3") && msg.contains("column 3"),
        "{msg}"
    );
}

#[test]
fn crlf_and_blank_lines_do_not_shift_line_numbers() {
    // The same rows with \n, \r\n and blank lines between them: every message names
    // the line the offending row is on (a text editor's line number).
    for end in ["\n", "\r\n"] {
        let text = ["a,b", "1,2", "3,4", "5"].join(end) + end;
        let msg = bytes(&text).map(|_| ()).unwrap_err().to_string();
        assert!(msg.contains("line 4"), "{end:?}: {msg}");
        let text = ["a,b", "1,2", "", "", "3,4,5"].join(end) + end;
        let msg = bytes(&text).map(|_| ()).unwrap_err().to_string();
        assert!(msg.contains("line 5"), "{end:?}: {msg}");
        let mut rows = vec!["x,y".to_string()];
        rows.extend((0..40).map(|i| format!("{i},{}", i % 3)));
        rows[12] = "11,oops".into();
        let d = bytes_ok(&(rows.join(end) + end));
        assert!(
            has_warning(&d, &["line 13", "oops"]),
            "{end:?}: {:?}",
            d.warnings
        );
        let d = bytes_ok(&["a", "1", "1e400", "2", "3"].join(end));
        assert!(has_warning(&d, &["line 3"]), "{end:?}: {:?}", d.warnings);
    }
}

#[test]
fn unbalanced_quote_is_hinted() {
    // The open quote swallows the rest of the file into one field of a 2-field row.
    let msg = bytes("a,b\n1,\"2\n3,4\n5,6\n")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("inline.csv, line 2, column 2 ('b')"), "{msg}");
    assert!(msg.contains("closing quote"), "{msg}");
    // Swallowing makes the row short.
    let msg = bytes("a,b,c\n1,\"2\n3,4\n")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("line 2") && msg.contains("quote"), "{msg}");
    // A quoted line break that is closed is fine, also in the last row.
    let d = bytes_ok("a,b\n1,\"x\ny\"\n2,\"p\nq\"");
    assert_eq!(d.n_rows, 2);
}

#[test]
fn junk_bytes_are_an_error_not_a_panic() {
    let msg = read_err("junk.csv");
    assert!(msg.contains("junk.csv"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
}

#[test]
fn empty_file() {
    let err = read_csv_path(&malformed("empty.csv"), &ReadOptions::default()).map(|_| ());
    assert!(matches!(err, Err(DataError::Empty { .. })), "{err:?}");
    let msg = read_err("empty.csv");
    assert!(msg.contains("empty.csv") && msg.contains("empty"), "{msg}");
    for blank in ["", "\n\n", "  \r\n\t\n", "\u{feff}"] {
        assert!(
            matches!(bytes(blank), Err(DataError::Empty { .. })),
            "{blank:?}"
        );
    }
}

#[test]
fn header_only_file() {
    let msg = read_err("header_only.csv");
    assert!(msg.contains("header_only.csv"), "{msg}");
    assert!(msg.contains("no data rows"), "{msg}");
    assert!(msg.contains("line 1"), "{msg}");
}

#[test]
fn bom_semicolons_and_quoted_fields() {
    let d = read_ok("bom_semicolon_quoted.csv");
    assert_eq!(d.n_rows, 3);
    let names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["name", "comment", "score", "group"]);
    let name = column(&d, "name");
    assert_eq!(name.kind, ColumnKind::Categorical);
    assert_eq!(name.label_of(name.values[0]), "Smith, John");
    let comment = column(&d, "comment");
    assert_eq!(comment.label_of(comment.values[1]), "two\r\nlines, here");
    assert_eq!(
        comment.label_of(comment.values[2]),
        "says \"hi\", then leaves"
    );
    assert_eq!(column(&d, "score").values, [1.5, 2.5, 3.5]);
    assert_eq!(
        column(&d, "group").labels.as_deref().map(<[String]>::len),
        Some(2)
    );
}

#[test]
fn latin1_is_rejected_with_position() {
    let msg = read_err("latin1.csv");
    assert!(msg.contains("latin1.csv"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("column 1 ('name')"), "{msg}");
    assert!(msg.contains("UTF-8"), "{msg}");
    assert!(msg.contains("0xE9"), "{msg}");
}

#[test]
fn not_utf8_after_a_quoted_line_break_counts_lines() {
    let mut input = b"a,b\n\"x\ny\",1\nz,\"w\nv\xff\"\n".to_vec();
    input.extend_from_slice(b"q,2\n");
    let msg = read_csv_bytes("multi.csv", &input, &ReadOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    // Record 2 starts on line 4; the bad byte follows the break in its second field.
    assert!(msg.contains("line 5, column 2 ('b')"), "{msg}");
}

#[test]
fn utf16_and_nul_bytes() {
    let utf16 = [0xFF, 0xFE, b'a', 0, b',', 0, b'b', 0];
    let msg = read_csv_bytes("u16.csv", &utf16, &ReadOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("u16.csv") && msg.contains("UTF-16"), "{msg}");
    let msg = read_csv_bytes("nul.csv", b"a,b\n1,2\n3,\0\n", &ReadOptions::default())
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("nul.csv, line 3"), "{msg}");
}

#[test]
fn all_missing_column_is_kept_and_excluded() {
    let d = read_ok("all_missing_column.csv");
    let c = column(&d, "nothing");
    assert_eq!(c.kind, ColumnKind::Continuous);
    assert_eq!(c.missing, 12);
    assert_eq!(c.excluded_reason.as_deref(), Some("no values"));
    assert!(has_warning(
        &d,
        &["all_missing_column.csv", "'nothing'", "no values"]
    ));
    assert_eq!(d.default_included(), [0, 1]);
}

#[test]
fn constant_columns_are_kept_and_excluded() {
    let d = read_ok("constant_column.csv");
    let same = column(&d, "same");
    assert_eq!(
        same.excluded_reason.as_deref(),
        Some("constant: carries no information")
    );
    assert_eq!(same.missing, 0);
    let label = column(&d, "label");
    assert_eq!(label.kind, ColumnKind::Categorical);
    assert_eq!(label.missing, 1);
    assert_eq!(
        label.excluded_reason.as_deref(),
        Some("constant: carries no information")
    );
    assert!(has_warning(&d, &["'same'", "'3'"]));
    assert_eq!(d.default_included(), [0]);
}

#[test]
fn infinities_are_missing_with_a_warning() {
    let d = read_ok("inf_values.csv");
    let x = column(&d, "x");
    assert_eq!(x.kind, ColumnKind::Continuous);
    assert_eq!(x.missing, 4);
    let present: Vec<f64> = x.values.iter().copied().filter(|v| !v.is_nan()).collect();
    assert_eq!(present, [1.5, 2.5, 3.5, 4.5, 5.5]);
    assert!(
        has_warning(
            &d,
            &[
                "inf_values.csv",
                "column 1 ('x')",
                "4 infinite values",
                "line 3: 'inf'"
            ]
        ),
        "{:?}",
        d.warnings
    );
}

#[test]
fn stray_text_in_a_numeric_column() {
    let d = read_ok("stray_text.csv");
    let length = column(&d, "length");
    assert_eq!(length.kind, ColumnKind::Continuous);
    assert!(length.labels.is_none());
    assert_eq!(length.missing, 1);
    assert!(length.values[10].is_nan());
    assert_eq!(length.values[11], 10.0 + 11.0 * 0.25);
    assert!(
        has_warning(
            &d,
            &[
                "stray_text.csv",
                "column 1 ('length')",
                "line 12: 'n/a?'",
                "1 of 30"
            ]
        ),
        "{:?}",
        d.warnings
    );
    assert_eq!(column(&d, "width").kind, ColumnKind::Discrete);
}

#[test]
fn too_much_text_makes_a_text_column_with_original_labels() {
    let path = root().join("tests/fixtures/mixed_text.csv");
    let from_path = match read_csv_path(&path, &ReadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let from_bytes = match read_csv_bytes("mixed_text.csv", &text, &ReadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    for d in [&from_path, &from_bytes] {
        let g = column(d, "grade");
        assert_eq!(g.kind, ColumnKind::Categorical);
        let labels: Vec<&str> = g.labels.iter().flatten().map(String::as_str).collect();
        assert_eq!(labels, ["1", "2", "007", "10", "A", "B", "inf"]);
        let read: Vec<String> = g.values.iter().map(|&v| g.label_of(v)).collect();
        assert_eq!(read, ["1", "2", "A", "B", "10", "2", "A", "007", "inf"]);
        assert_eq!(g.missing, 0);
        assert!(
            has_warning(d, &["'grade'", "mixes numbers"]),
            "{:?}",
            d.warnings
        );
        assert!(!has_warning(d, &["infinite"]), "{:?}", d.warnings);
    }
}

#[test]
fn identifiers_are_excluded_by_default() {
    let d = read_ok("id_column.csv");
    for name in ["id", "code"] {
        let reason = column(&d, name)
            .excluded_reason
            .clone()
            .unwrap_or_else(|| panic!("{name} is not excluded"));
        assert!(
            reason.starts_with("looks like an identifier"),
            "{name}: {reason}"
        );
        assert!(has_warning(&d, &[&format!("'{name}'"), "identifier"]));
    }
    assert_eq!(column(&d, "code").kind, ColumnKind::Categorical);
    assert!(column(&d, "x").excluded_reason.is_none());
    assert!(column(&d, "group").excluded_reason.is_none());
    assert_eq!(d.default_included(), [2, 3]);

    // A shuffled index is one too; so is one starting at 0 in row order.
    let mut text = String::from("idx,v\n");
    for i in 0..25 {
        text.push_str(&format!("{},{}\n", (i * 7) % 25 + 100, i % 3));
    }
    assert!(bytes_ok(&text).columns[0].excluded_reason.is_some());
    let mut text = String::from("row,v\n");
    for i in 0..12 {
        text.push_str(&format!("{i},{}\n", i % 3));
    }
    assert!(bytes_ok(&text).columns[0].excluded_reason.is_some());
    // A short column of distinct values is not.
    assert!(
        bytes_ok("n,v\n1,a\n2,b\n3,c\n").columns[0]
            .excluded_reason
            .is_none()
    );
}

#[test]
fn missing_tokens() {
    let d = bytes_ok(
        "x,t\n1,a\n,b\nNA,c\n N/A ,a\nNaN,b\nnan,c\nnull,a\nNULL,b\n?,c\n-,a\nNone,b\nna,c\n2.5, a \n",
    );
    let x = column(&d, "x");
    assert_eq!(x.missing, 11);
    assert_eq!(x.values[0], 1.0);
    assert_eq!(x.values[12], 2.5);
    // Labels are trimmed.
    assert_eq!(
        column(&d, "t").labels.as_deref().map(<[String]>::len),
        Some(3)
    );
    let t = bytes_ok("t,u\nNA,1\nx,2\nnull,3\ny,4\n");
    assert_eq!(column(&t, "t").missing, 2);
    assert_eq!(
        column(&t, "t").labels.as_deref().map(<[String]>::len),
        Some(2)
    );
}

#[test]
fn header_names_are_filled_in_and_deduplicated() {
    let d = bytes_ok("a,,a, b ,a\n1,2,3,4,5\n6,7,8,9,0\n");
    let names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "column_2", "a (2)", "b", "a (3)"]);
    assert!(has_warning(&d, &["column 2", "column_2"]));
    assert!(has_warning(&d, &["'a (2)'"]));
    assert!(has_warning(&d, &["'a (3)'"]));
}

#[test]
fn delimiters_are_sniffed_and_can_be_forced() {
    for (delim, text) in [
        (',', "a,b\n1,2\n3,4\n"),
        (';', "a;b\n1,5;2\n3,5;4\n"),
        ('\t', "a\tb\n1\t2\n3\t4\n"),
        ('|', "a|b\n1|2\n3|4\n"),
    ] {
        let d = bytes_ok(text);
        assert_eq!(d.columns.len(), 2, "{delim:?}");
        assert_eq!(d.n_rows, 2, "{delim:?}");
    }
    // Forced: the semicolons become part of one column.
    let opts = ReadOptions {
        delimiter: Some(b','),
        ..ReadOptions::default()
    };
    let d = read_csv_bytes("x.csv", b"a;b\n1;2\n3;4\n", &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.columns.len(), 1);
    assert_eq!(d.columns[0].name, "a;b");
    // One column, no delimiter at all.
    let d = bytes_ok("v\n1\n2\nNA\n3\n");
    assert_eq!((d.columns.len(), d.n_rows, d.columns[0].missing), (1, 4, 1));
}

#[test]
fn crlf_blank_lines_and_no_final_newline() {
    let d = bytes_ok("a,b\r\n1,2\r\n\r\n   \r\n3,4");
    assert_eq!(d.n_rows, 2);
    assert_eq!(column(&d, "b").values, [2.0, 4.0]);
    assert!(has_warning(&d, &["blank line"]), "{:?}", d.warnings);
}

#[test]
fn numbers_parse_like_rust() {
    let d = bytes_ok("v,w\n+1.5,a\n-2e3,b\n.5,c\n 7 ,d\n1e-3,e\n");
    assert_eq!(column(&d, "v").values, [1.5, -2000.0, 0.5, 7.0, 0.001]);
}

#[test]
fn decimal_commas_in_semicolon_files() {
    let d = bytes_ok("a;b;c\n1,5;x;2\n-0,25;y;3,0\n3;x;4\n");
    assert_eq!(column(&d, "a").values, [1.5, -0.25, 3.0]);
    assert_eq!(column(&d, "c").values, [2.0, 3.0, 4.0]);
    assert!(has_warning(
        &d,
        &["column 1 ('a')", "decimal comma", "line 2: '1,5'"]
    ));
    // Not in a comma-delimited file, where "1,5" in quotes stays text.
    let d = bytes_ok("a,b\n\"1,5\",1\n\"2,5\",2\n");
    assert_eq!(column(&d, "a").kind, ColumnKind::Categorical);
    // Nor where the comma is not between digits.
    let d = bytes_ok("a;b\n1,;1\n,5;2\n");
    assert_eq!(column(&d, "a").kind, ColumnKind::Categorical);
}

#[test]
fn progress_and_cancel() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let path = dir.path().join("big.csv");
    let mut text = String::from("x,y,z\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "{},{},{}\n",
            i as f64 * 0.37,
            i % 7,
            (i * 13) % 101
        ));
    }
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&calls);
    let opts = ReadOptions {
        progress: Some(Arc::new(move |done, total| {
            sink.lock().expect("progress log").push((done, total));
        })),
        ..ReadOptions::default()
    };
    let d = read_csv_path(&path, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.n_rows, 100_000);
    let calls = calls.lock().expect("progress log").clone();
    let total = text.len() as u64;
    assert!(calls.len() >= 3, "{calls:?}");
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(total, total)));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));

    // Cancelled from the progress callback, as a GUI thread would.
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let seen = Arc::new(AtomicU64::new(0));
    let seen2 = Arc::clone(&seen);
    let opts = ReadOptions {
        progress: Some(Arc::new(move |done, _| {
            seen2.store(done, Ordering::Relaxed);
            if done > 0 {
                flag.store(true, Ordering::Relaxed);
            }
        })),
        cancel: Some(cancel),
        ..ReadOptions::default()
    };
    match read_csv_path(&path, &opts) {
        Err(e @ DataError::File { .. }) => {
            assert!(e.is_cancelled());
            assert!(e.to_string().ends_with("big.csv: cancelled"), "{e}");
        }
        other => panic!("expected cancellation, got {other:?}"),
    }
    assert!(seen.load(Ordering::Relaxed) < total);
    assert!(format!("{opts:?}").contains("ReadOptions"));
}

#[test]
fn missing_file_is_an_io_error() {
    let err = read_csv_path(
        Path::new("/nonexistent/nowhere.csv"),
        &ReadOptions::default(),
    );
    let msg = err.map(|_| ()).unwrap_err().to_string();
    assert!(msg.contains("nowhere.csv"), "{msg}");
}

#[test]
fn an_all_distinct_column_with_an_id_like_header_is_an_identifier() {
    // Shuffled, gappy row names (as R writes a subset of a data frame) beside a year.
    let mut text = String::from("rownames,year,player_id,score\n");
    for i in 0..40u32 {
        let name = (i * 7919) % 1000 + 3;
        text.push_str(&format!(
            "{name},{},{},{}\n",
            2000 + i % 4,
            5000 + i * 3,
            i % 7
        ));
    }
    let ds = read_csv_bytes("ids.csv", text.as_bytes(), &ReadOptions::default()).expect("reads");
    let reason = |n: &str| {
        ds.columns[ds.column_index(n).unwrap()]
            .excluded_reason
            .clone()
    };
    assert!(reason("rownames").is_some_and(|r| r.contains("identifier")));
    assert!(reason("player_id").is_some_and(|r| r.contains("identifier")));
    assert_eq!(reason("year"), None);
    assert_eq!(reason("score"), None);
    let included: Vec<usize> = ds.default_included();
    assert!(!included.contains(&ds.column_index("rownames").unwrap()));
}

/// A file large enough to be read in blocks cut into pieces on several threads, with
/// quoted line breaks, quotes, CRLF ends and blank lines falling on the cuts, reads
/// as the `csv` crate splits it: the values, the labels, and the lines that warnings
/// name (taken from the `csv` crate's positions).
#[test]
fn large_files_read_in_pieces_as_one_pass() {
    let labels = [
        "\"two\nlines\"",
        "\"a, b\"",
        "plain",
        "\"q\"\"uote\"",
        "\"\"",
    ];
    let mut text = String::from("x,label,y\r\n");
    for i in 0..60_000u32 {
        let y = if i == 45_678 {
            "oops".to_string()
        } else {
            (i % 7).to_string()
        };
        let label = labels[i as usize % labels.len()];
        text.push_str(&format!("{},{label},{y}\r\n", f64::from(i) * 0.1));
        if i % 1000 == 999 {
            text.push_str(" \r\n");
        }
    }
    let mut reference = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let (mut oops_line, mut rows) = (0, 0);
    let mut expected_labels = Vec::new();
    while reference.read_byte_record(&mut record).expect("in memory") {
        if record.len() == 3 && &record[2] == b"oops" {
            let breaks = record
                .iter()
                .take(2)
                .flatten()
                .filter(|&&b| b == b'\n')
                .count();
            // The csv crate positions a record before the `\n` of the `\r\n` that
            // ends the previous one; the reader reports the record's own line.
            let pos = record.position().map_or(0, |p| p.byte() as usize);
            let skipped = text.as_bytes()[pos..]
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .filter(|&&b| b == b'\n')
                .count();
            oops_line =
                record.position().map_or(0, csv::Position::line) + (breaks + skipped) as u64;
        }
        if record.len() == 3 && rows > 0 {
            expected_labels.push(String::from_utf8_lossy(&record[1]).into_owned());
        }
        rows += usize::from(record.len() == 3);
    }
    assert!(text.len() > 1 << 20, "{}", text.len());
    let d = bytes_ok(&text);
    assert_eq!(d.n_rows, 60_000);
    assert_eq!(d.n_rows + 1, rows);
    let x = column(&d, "x");
    for (i, v) in x.values.iter().enumerate() {
        assert_eq!(v.to_bits(), (i as f64 * 0.1).to_bits(), "row {i}");
    }
    let label = column(&d, "label");
    assert_eq!(expected_labels.len(), label.values.len());
    for (i, (&v, want)) in label.values.iter().zip(&expected_labels).enumerate() {
        if want.trim().is_empty() {
            assert!(v.is_nan(), "row {i}");
        } else {
            assert_eq!(label.label_of(v), want.trim(), "row {i}");
        }
    }
    assert_eq!(label.missing, 12_000);
    let y = column(&d, "y");
    assert_eq!(y.kind, ColumnKind::Discrete);
    assert!(y.values[45_678].is_nan());
    assert_eq!(y.values[45_679], f64::from(45_679 % 7));
    assert!(
        has_warning(
            &d,
            &["column 3 ('y')", &format!("line {oops_line}: 'oops'")]
        ),
        "{oops_line} {:?}",
        d.warnings
    );
    assert!(has_warning(&d, &["60 blank lines"]), "{:?}", d.warnings);
}

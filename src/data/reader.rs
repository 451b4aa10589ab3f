//! CSV → [`Dataset`].
//!
//! What the reader does with each kind of input; every handling that changes what
//! the file says adds a sentence to [`Dataset::warnings`].
//!
//! * **Header.** The first non-blank row names the columns. Names are trimmed; an
//!   empty name becomes `column_N` (N = 1-based position) and a repeated name gets
//!   a suffix ` (2)`, ` (3)`, … (both with a warning).
//! * **Delimiter.** `,` `;` tab or `|`, whichever splits the first 50 records most
//!   consistently into the header's number (> 1) of fields, quotes respected
//!   ([`ReadOptions::delimiter`] overrides it). A header that splits under none
//!   makes a one-column file, read with the candidate that splits none of its rows
//!   (so a comma inside a value is not a second field).
//! * **Encoding.** UTF-8 only. A UTF-8 byte-order mark is dropped. Bytes that are
//!   not UTF-8 are an error naming the line and column, asking to re-save the file
//!   as UTF-8; nothing is replaced silently. A UTF-16 file (by its byte-order
//!   mark) and a file with NUL bytes (binary, or UTF-16 without a mark) are errors.
//! * **Quoting and lines.** RFC 4180 quoting (`""` inside quotes is a quote), so
//!   fields may hold delimiters and line breaks; `\n`, `\r\n` and `\r` line ends
//!   (line numbers in messages count `\n`, so they are 1 in a file with bare `\r`
//!   ends). Empty lines are skipped; so are whitespace-only lines when the header
//!   has several columns (with a warning, since spaces suggest a lost row). In a
//!   one-column file a whitespace-only line is a missing cell and an empty line no
//!   row.
//! * **Missing cells.** After trimming ASCII whitespace: the empty cell, `NA`,
//!   `N/A`, `NaN`, `-NaN`, `null`, `None`, `#N/A`, `#NA`, `<NA>` (any letter case),
//!   `?` and `-`. They are `NaN` in [`Column::values`] and counted in
//!   [`Column::missing`].
//! * **Numbers.** A trimmed cell that Rust's `f64` parser accepts (`1`, `-2.5`,
//!   `+3e-4`, `.5`). In a file not delimited by commas, a decimal comma is
//!   accepted too (`1,5` is 1.5, as European spreadsheets write it; one comma, no
//!   point, digits on both sides), with a warning. No thousands separators.
//! * **Infinities.** `inf`, `-inf`, `Infinity` and numbers too large for `f64`
//!   (`1e400`) would break every estimator; they are read as missing, with a
//!   warning naming the column and the line of the first ones.
//! * **Stray text in a numeric column.** If at most 5% of a column's non-missing
//!   cells are not numbers, those cells are read as missing and a warning names the
//!   file, column and the lines and values of the first ones. Otherwise the column
//!   is text (with a warning when it mixes numbers and text).
//! * **Kinds.** A numeric column is *discrete* when integer-valued with at most 20
//!   distinct values and not more than half its present cells distinct (two values
//!   are always discrete), else *continuous*. A text column is *categorical*: its
//!   trimmed labels are sorted (numbers numerically first, then text by bytes) and
//!   coded 0..L in that order, the labels kept in [`Column::labels`].
//! * **Columns excluded by default** (kept in the dataset, with
//!   [`Column::excluded_reason`] and a warning): a column with no values (kind
//!   continuous), a constant column, and an identifier — a text column with every
//!   one of at least 20 values distinct, or an integer column that is a row index
//!   (0..n or 1..n in row order with n ≥ 10, or, with n ≥ 20, distinct consecutive
//!   integers in any order).
//! * **Errors** ([`DataError`]) name the file, the 1-based line (the header is line
//!   1, a line break inside a quoted field counts) and, for a cell, the 1-based
//!   column and its header name, and say what was expected: an empty file, a
//!   header with no data rows, a row with more or fewer fields than the header
//!   (`line L: expected N fields (as in the header), found M: …`, with a hint when
//!   the row runs over several lines or may hold an unquoted delimiter), a quote
//!   that is never closed (it would swallow the rest of the file into one value),
//!   bytes that are not UTF-8, and a read failure. No input makes the reader panic.
//! * **Size and speed.** The file streams by in blocks (a sixteenth of its size,
//!   256 KiB to 4 MiB), each parsed in pieces on all cores (`blocks`, with the same
//!   records, lines and values as one sequential pass); rows go into per-column
//!   `f64` vectors, and only text cells are kept as strings, once per distinct
//!   label, so memory is the columns plus about one block. Progress is reported
//!   after each block and cancellation honoured between blocks through
//!   [`ReadOptions`]; a cancelled read
//!   returns [`DataError::File`] with the message `cancelled`
//!   ([`DataError::is_cancelled`]). Columns that mix numbers and text beyond the 5%
//!   rule are the one case read twice: the second pass recovers the original
//!   spelling of their numeric cells as labels (`007` stays `007`).
use super::blocks::{self, Parse, Piece, PieceError};
use super::cells::{Cell, ColumnBuffer, Labels, NO_CODE, classify};
use super::detect;
use super::records::{Cursor, Record, Splitter, Step};
use super::sniff;
use super::source::{BlockSource, Buffer};
use super::{Column, ColumnKind, DataError, Dataset};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Called with (bytes read so far, total bytes) while a file loads.
pub type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// How to read a file. `Default` sniffs the delimiter, reports nothing and cannot be
/// cancelled.
#[derive(Clone, Default)]
pub struct ReadOptions {
    /// Field delimiter; `None` sniffs it among `,` `;` tab `|`.
    pub delimiter: Option<u8>,
    /// Progress callback, called after each block read (256 KiB to 4 MiB, a sixteenth
    /// of the file) and at the end.
    pub progress: Option<ProgressFn>,
    /// Set to `true` from another thread to stop the read.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl fmt::Debug for ReadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadOptions")
            .field("delimiter", &self.delimiter.map(char::from))
            .field("progress", &self.progress.is_some())
            .field(
                "cancel",
                &self.cancel.as_ref().map(|c| c.load(Ordering::Relaxed)),
            )
            .finish()
    }
}

impl ReadOptions {
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn report(&self, done: u64, total: u64) {
        if let Some(progress) = &self.progress {
            progress(done.min(total), total);
        }
    }
}

/// The sniffer sees at least this much (or the whole file) ...
const MIN_SAMPLE_BYTES: usize = 64 << 10;
/// ... and more until it holds enough lines, but never more than this, so a very
/// wide file does not have to be held twice.
const MAX_SAMPLE_BYTES: usize = 8 << 20;
/// The file is read and parsed in blocks of a sixteenth of its size, within these
/// bounds: a block is what the threads share out, and progress and cancellation are
/// checked between blocks. Only one block (plus a record that straddles its end) is
/// held at a time.
const MIN_BLOCK_BYTES: u64 = 256 << 10;
const MAX_BLOCK_BYTES: u64 = 4 << 20;
/// Pieces a block of long lines holds at least ...
const PIECES_PER_BLOCK: usize = 4;
/// ... up to this many bytes.
const MAX_WIDE_BLOCK_BYTES: usize = 32 << 20;
/// Preallocating from an estimated row count avoids doubling peaks on huge files;
/// beyond this many cells the estimate is not trusted enough to reserve for.
const MAX_RESERVED_CELLS: usize = 1 << 28;

pub fn read_csv_path(path: &Path, options: &ReadOptions) -> Result<Dataset, DataError> {
    let file = path.display().to_string();
    let first = std::fs::File::open(path).map_err(|source| DataError::Io {
        file: file.clone(),
        source,
    })?;
    let total = first.metadata().map_or(0, |m| m.len());
    let mut first = Some(first);
    // A second pass (rare: columns mixing numbers and text) reopens the file.
    let open = move || match first.take() {
        Some(f) => Ok(f),
        None => std::fs::File::open(path),
    };
    read_source(&file, total, open, options)
}

pub fn read_csv_bytes(
    file_name: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Dataset, DataError> {
    read_source(file_name, bytes.len() as u64, || Ok(bytes), options)
}

/// A whitespace-only record of the second pass (the `csv` crate's).
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record[0].trim_ascii().is_empty()
}

fn quote_examples(examples: &[(u64, String)], total: usize) -> String {
    let mut s = examples
        .iter()
        .map(|(line, v)| format!("line {line}: '{}'", shorten(v)))
        .collect::<Vec<_>>()
        .join(", ");
    if total > examples.len() {
        s.push_str(", …");
    }
    s
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reads at least `MIN_SAMPLE_BYTES`, then on until `SAMPLE_LINES` + 1 line breaks or
/// `MAX_SAMPLE_BYTES`. Returns the bytes and whether they are the whole input.
fn read_sample(source: &mut impl Read) -> io::Result<(Vec<u8>, bool)> {
    let mut sample = Vec::with_capacity(MIN_SAMPLE_BYTES);
    let mut chunk = vec![0u8; MIN_SAMPLE_BYTES];
    // Counted chunk by chunk: recounting the whole sample after each chunk was
    // quadratic in the length of a wide file's lines.
    let mut lines = 0;
    loop {
        let n = match source.read(&mut chunk) {
            Ok(0) => return Ok((sample, true)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sample.extend_from_slice(&chunk[..n]);
        lines += memchr::memchr_iter(b'\n', &chunk[..n]).count();
        if sample.len() >= MAX_SAMPLE_BYTES
            || (sample.len() >= MIN_SAMPLE_BYTES && lines > sniff::SAMPLE_LINES)
        {
            return Ok((sample, false));
        }
    }
}

/// Length of a UTF-8 byte-order mark to skip, or an error for inputs that are not
/// UTF-8 text at all.
fn check_encoding(file: &str, sample: &[u8]) -> Result<usize, DataError> {
    if sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]) {
        return Err(DataError::File {
            file: file.into(),
            message: "the file is UTF-16 text; expected UTF-8: re-save it as UTF-8 \
                      (in Excel: Save As, \"CSV UTF-8\")"
                .into(),
        });
    }
    let bom = if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    if let Some(at) = sample.iter().position(|&b| b == 0) {
        let line = 1 + sample[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(DataError::Line {
            file: file.into(),
            line,
            message: "contains a NUL byte: this looks like a binary file or UTF-16 text, \
                      not a CSV; expected UTF-8 text"
                .into(),
        });
    }
    Ok(bom)
}

fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.delimiter(delimiter)
        .has_headers(false)
        // Field counts are checked here, to give the message the brief asks for.
        .flexible(true)
        .buffer_capacity(1 << 16);
    b
}

/// Reads the next record; `Ok(false)` at the end.
fn next_record<R: Read>(
    file: &str,
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<bool, DataError> {
    reader.read_byte_record(record).map_err(|e| {
        let line = e
            .position()
            .map_or_else(|| reader.position().line(), csv::Position::line);
        DataError::Line {
            file: file.into(),
            line,
            message: format!("cannot read this line: {e}"),
        }
    })
}

fn not_utf8(file: &str, line: u64, column: usize, name: &str, byte: u8) -> DataError {
    DataError::Cell {
        file: file.into(),
        line,
        column: column + 1,
        name: name.into(),
        message: format!(
            "byte 0x{byte:02X} is not UTF-8 text; expected UTF-8: re-save the file as UTF-8 \
             (in Excel: Save As, \"CSV UTF-8\")"
        ),
    }
}

/// Column names from the header record, with generated and de-duplicated names.
///
/// Linear in the number of columns even when thousands share a name (the next free
/// suffix is remembered per name), and at most [`NAME_WARNINGS`] warnings of each kind
/// plus one line counting the rest, so an 80,000-column header of repeated or empty
/// names neither freezes nor floods the warnings.
fn header_names(
    file: &str,
    fields: &[&[u8]],
    line: u64,
    warnings: &mut Vec<String>,
) -> Result<Vec<String>, DataError> {
    let mut used = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let (mut unnamed, mut renamed) = (0usize, 0usize);
    let mut names = Vec::with_capacity(fields.len());
    for (j, &raw) in fields.iter().enumerate() {
        let generated = format!("column_{}", j + 1);
        let name = std::str::from_utf8(raw)
            .map_err(|e| {
                let offset = e.valid_up_to();
                // The line of the bad byte: breaks in the fields before it count.
                let breaks = fields[..j]
                    .iter()
                    .chain([&&raw[..offset]])
                    .map(|f| memchr::memchr_iter(b'\n', f).count() as u64)
                    .sum::<u64>();
                let byte = raw.get(offset).copied().unwrap_or(0);
                not_utf8(file, line + breaks, j, &generated, byte)
            })?
            .trim();
        let mut name = if name.is_empty() {
            unnamed += 1;
            if unnamed <= NAME_WARNINGS {
                warnings.push(format!(
                    "{file}: column {} has no name in the header (line {line}); it is named '{generated}'.",
                    j + 1
                ));
            }
            generated
        } else {
            name.to_string()
        };
        if used.contains(&name) {
            let base = name.clone();
            let k = next_suffix.entry(base.clone()).or_insert(2);
            while used.contains(&format!("{base} ({k})")) {
                *k += 1;
            }
            name = format!("{base} ({k})");
            *k += 1;
            renamed += 1;
            if renamed <= NAME_WARNINGS {
                warnings.push(format!(
                    "{file}: the header (line {line}) names column {} '{base}' like an earlier \
                     column; it is renamed '{name}'.",
                    j + 1
                ));
            }
        }
        used.insert(name.clone());
        names.push(name);
    }
    if unnamed > NAME_WARNINGS {
        warnings.push(format!(
            "{file}: {} more columns have no name in the header (line {line}); they are named \
             column_N by position.",
            unnamed - NAME_WARNINGS
        ));
    }
    if renamed > NAME_WARNINGS {
        warnings.push(format!(
            "{file}: {} more columns repeat an earlier name in the header (line {line}); they \
             are renamed with a suffix ' (2)', ' (3)', ….",
            renamed - NAME_WARNINGS
        ));
    }
    Ok(names)
}

/// Header warnings of each kind (unnamed, repeated) given one by one before a count.
const NAME_WARNINGS: usize = 10;

/// A data row on `line` with `found` fields instead of the header's, `breaks` line
/// breaks inside them.
fn ragged(file: &str, line: u64, found: usize, breaks: u64, names: &[String]) -> DataError {
    let expected = names.len();
    let detail = if found < expected {
        format!(
            "column {} ('{}'){} missing",
            found + 1,
            names[found],
            if found + 1 < expected {
                " and after are"
            } else {
                " is"
            }
        )
    } else {
        format!("column {} has no header", expected + 1)
    };
    let hint = if breaks > 0 {
        format!(
            "; the row runs on over lines {line}–{}, so a quote may be unbalanced",
            line + breaks
        )
    } else if found > expected {
        "; a value may hold an unquoted delimiter (quote it)".to_string()
    } else {
        String::new()
    };
    DataError::Line {
        file: file.into(),
        line,
        message: format!(
            "expected {expected} fields (as in the header), found {found}: {detail}{hint}"
        ),
    }
}

fn cancelled(file: &str) -> DataError {
    DataError::File {
        file: file.into(),
        message: "cancelled".into(),
    }
}

fn read_source<R: BlockSource>(
    file: &str,
    total: u64,
    mut open: impl FnMut() -> io::Result<R>,
    options: &ReadOptions,
) -> Result<Dataset, DataError> {
    let io_error = |source| DataError::Io {
        file: file.into(),
        source,
    };
    options.report(0, total);
    let mut source = open().map_err(io_error)?;
    let (mut buf, complete) = read_sample(&mut source).map_err(|e| read_error(file, e))?;
    let bom = check_encoding(file, &buf)?;
    buf.drain(..bom);
    if complete && buf.trim_ascii().is_empty() {
        return Err(DataError::Empty { file: file.into() });
    }
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| sniff::sniff_delimiter(&buf, complete));
    let estimated_rows = estimate_rows(&buf, complete, total);
    let bytes_per_row = buf.len() / buf.iter().filter(|&&b| b == b'\n').count().max(1);
    let block = if total == 0 {
        MAX_BLOCK_BYTES
    } else {
        (total / 16).clamp(MIN_BLOCK_BYTES, MAX_BLOCK_BYTES)
    } as usize;
    // A block of a file with long lines (thousands of columns) still holds a piece per
    // thread and more, or it would be parsed on one thread.
    let wide = blocks::piece_len(blocks::PIECE_BYTES, bytes_per_row)
        .saturating_mul(PIECES_PER_BLOCK)
        .min(MAX_WIDE_BLOCK_BYTES);
    let block = block.max(wide);
    let splitter = Splitter::new(delimiter);
    let mut buf = Buffer::new(buf);
    // `nl`: line breaks before `buf`; the error names the line where reading stopped.
    let read_more = |source: &mut R, buf: &mut Buffer, nl: u64| {
        buf.fill(source, block).map_err(|e| DataError::Line {
            file: file.into(),
            line: 1 + nl + memchr::memchr_iter(b'\n', buf.data()).count() as u64,
            message: format!("cannot read this line: {e}"),
        })
    };

    let mut warnings = Vec::new();
    let mut eof = complete;
    // csv-core, which this reader reproduces, drops a second byte-order mark too.
    let mut cursor = Cursor {
        pos: if buf.data().starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        },
        nl: 0,
    };
    let mut header = Record::default();
    loop {
        match splitter.next(buf.data(), &mut cursor, eof, &mut header) {
            Step::Record if !header.is_blank(buf.data()) => break,
            Step::Record => {}
            Step::End => return Err(DataError::Empty { file: file.into() }),
            Step::NeedMore => eof = read_more(&mut source, &mut buf, 0)?,
        }
    }
    let header_line = header.line(0);
    let mut open_ended = blocks::open_end(&header, buf.data()).map(|o| OpenEnded {
        byte: o.pos as u64,
        line: o.line,
        column: o.column,
    });
    let fields: Vec<&[u8]> = header.fields(buf.data()).collect();
    let names = header_names(file, &fields, header_line, &mut warnings)?;
    let n_columns = names.len();
    let reserve = if estimated_rows.saturating_mul(n_columns) <= MAX_RESERVED_CELLS {
        estimated_rows
    } else {
        0
    };
    let mut columns: Vec<ColumnBuffer> = (0..n_columns)
        .map(|_| ColumnBuffer::with_capacity(reserve))
        .collect();
    let mut rows = 0usize;
    let mut blank_lines = 0usize;
    let mut first_blank_line = 0u64;
    let parse = Parse {
        splitter,
        n_columns,
        decimal_comma: delimiter != b',',
        plain_rows: super::plain_rows::usable(delimiter),
        bytes_per_row,
        piece_bytes: blocks::PIECE_BYTES,
        parallel_min_bytes: blocks::PARALLEL_MIN_BYTES,
    };
    // Offset in the file (after the byte-order mark) of `buf[0]`.
    let mut offset = 0u64;
    loop {
        if options.cancelled() {
            return Err(cancelled(file));
        }
        let join = |piece: Piece, base: u64| {
            if let Some(e) = piece.error {
                return Err(match e {
                    PieceError::Ragged {
                        line,
                        found,
                        breaks,
                    } => ragged(file, line + base, found, breaks, &names),
                    PieceError::NotUtf8 { line, column, byte } => {
                        not_utf8(file, line + base, column, &names[column], byte)
                    }
                });
            }
            rows += piece.rows;
            if piece.blank_lines > 0 && blank_lines == 0 {
                first_blank_line = piece.first_blank_line + base;
            }
            blank_lines += piece.blank_lines;
            if let Some(last) = piece.last_row {
                open_ended = last.map(|o| OpenEnded {
                    byte: offset + o.pos as u64,
                    line: o.line + base,
                    column: o.column,
                });
            }
            Ok(())
        };
        let (end, done) = blocks::parse_block(buf.data(), cursor, eof, &parse, &mut columns, join)?;
        options.report(bom as u64 + offset + end.pos as u64, total);
        if done {
            break;
        }
        // Keep only the unfinished record, then read the next block after it.
        buf.consume(end.pos);
        offset += end.pos as u64;
        cursor = Cursor { pos: 0, nl: end.nl };
        eof = read_more(&mut source, &mut buf, end.nl)?;
    }
    drop(buf);
    if let Some(suspect) = open_ended {
        suspect.check(file, &mut open, &names)?;
    }
    if rows == 0 {
        return Err(DataError::File {
            file: file.into(),
            message: format!(
                "no data rows: the header (line {header_line}) is followed by nothing; \
                 expected at least one data row"
            ),
        });
    }
    if blank_lines > 0 {
        warnings.push(format!(
            "{file}: {} skipped (the first at line {first_blank_line}).",
            plural(blank_lines, "blank line", "blank lines")
        ));
    }

    // Columns that turned out to be text but also hold numbers (or infinities) need
    // the original spelling of those cells as labels: read them again.
    let reread: Vec<usize> = (0..n_columns)
        .filter(|&j| columns[j].is_text() && columns[j].numeric + columns[j].infinite > 0)
        .collect();
    if !reread.is_empty() {
        let labels = relabel(
            file, &mut open, delimiter, &reread, n_columns, rows, options,
        )?;
        for (j, l) in reread.iter().zip(labels) {
            columns[*j].text = Some(l);
        }
    }

    // Columns are finished independently (kind, exclusion, their warnings), in
    // parallel; the warnings are then put in column order.
    let finished: Vec<(Column, Vec<String>)> = columns
        .into_par_iter()
        .zip(names)
        .enumerate()
        .map(|(j, (buffer, name))| {
            let mut column_warnings = Vec::new();
            let column = finish(file, j, name, buffer, rows, &mut column_warnings);
            (column, column_warnings)
        })
        .collect();
    let mut out = Vec::with_capacity(n_columns);
    for (column, column_warnings) in finished {
        out.push(column);
        warnings.extend(column_warnings);
    }
    options.report(total, total);
    let mut dataset = Dataset::new(file, out);
    dataset.n_rows = rows;
    dataset.warnings = warnings;
    Ok(dataset)
}

/// A record whose last field holds a line break may be a quote that is never
/// closed: the parser then reads the rest of the file into that one field.
struct OpenEnded {
    /// Offset of the record in the input, after any byte-order mark.
    byte: u64,
    line: u64,
    column: usize,
}

impl OpenEnded {
    /// Balanced quoting puts an even number of quotes in the record; an odd count
    /// from its start to the end of the file means the last quote never closes.
    fn check<R: Read>(
        &self,
        file: &str,
        open: &mut impl FnMut() -> io::Result<R>,
        names: &[String],
    ) -> Result<(), DataError> {
        let mut count = || -> io::Result<u64> {
            let mut source = open()?;
            let mut buf = vec![0u8; 1 << 16];
            let mut offset = 0u64;
            let mut quotes = 0u64;
            let mut skip = None;
            loop {
                let n = match source.read(&mut buf) {
                    Ok(0) => return Ok(quotes),
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                let chunk = &buf[..n];
                let start = *skip.get_or_insert_with(|| {
                    self.byte
                        + if chunk.starts_with(&[0xEF, 0xBB, 0xBF]) {
                            3
                        } else {
                            0
                        }
                });
                let from = usize::try_from(start.saturating_sub(offset)).unwrap_or(usize::MAX);
                if let Some(tail) = chunk.get(from..) {
                    quotes += tail.iter().filter(|&&b| b == b'"').count() as u64;
                }
                offset += n as u64;
            }
        };
        match count() {
            Ok(quotes) if quotes % 2 == 1 => Err(DataError::Cell {
                file: file.into(),
                line: self.line,
                column: self.column + 1,
                // In the header, the unclosed name swallowed the rest of the file: show
                // only its start, not megabytes of it.
                name: short_name(names.get(self.column).map_or("", String::as_str)),
                message: "a quoted value starts here and its closing quote (\") is missing, \
                          so the rest of the file was read as this one value; expected a \
                          closing quote"
                    .into(),
            }),
            _ => Ok(()),
        }
    }
}

/// The first line of a name, at most 40 characters (with "…" when cut).
fn short_name(name: &str) -> String {
    let first = name.lines().next().unwrap_or("");
    let mut short: String = first.chars().take(40).collect();
    if short.len() < name.len() {
        short.push('…');
    }
    short
}

fn read_error(file: &str, e: io::Error) -> DataError {
    DataError::File {
        file: file.into(),
        message: format!("cannot read: {e}"),
    }
}

/// Rows in the file, judged from the sample's line lengths.
fn estimate_rows(body: &[u8], complete: bool, total: u64) -> usize {
    let lines = body.iter().filter(|&&b| b == b'\n').count().max(1);
    if complete {
        return lines;
    }
    let per_line = (body.len() / lines).max(1) as u64;
    usize::try_from(total / per_line + total / per_line / 16).unwrap_or(0)
}

/// Second pass: labels for the columns in `which` from every non-missing cell.
fn relabel<R: Read>(
    file: &str,
    open: &mut impl FnMut() -> io::Result<R>,
    delimiter: u8,
    which: &[usize],
    n_columns: usize,
    rows: usize,
    options: &ReadOptions,
) -> Result<Vec<Labels>, DataError> {
    let mut source = open().map_err(|source| DataError::Io {
        file: file.into(),
        source,
    })?;
    let (sample, _) = read_sample(&mut source).map_err(|e| read_error(file, e))?;
    let bom = check_encoding(file, &sample)?;
    let mut reader = builder(delimiter).from_reader(sample[bom..].chain(source));
    let mut labels: Vec<Labels> = which.iter().map(|_| Labels::with_capacity(rows)).collect();
    let changed = || DataError::File {
        file: file.into(),
        message: "the file changed while it was being read; open it again".into(),
    };
    let mut record = csv::ByteRecord::new();
    let mut seen_header = false;
    let mut row = 0usize;
    while next_record(file, &mut reader, &mut record)? {
        if !seen_header {
            // Same skipping rules as the first pass.
            seen_header = !is_blank(&record);
            continue;
        }
        if record.len() != n_columns && is_blank(&record) {
            continue;
        }
        if row >= rows {
            return Err(changed());
        }
        for (l, &j) in labels.iter_mut().zip(which) {
            let raw = record.get(j).ok_or_else(changed)?;
            let code = match classify(raw, delimiter != b',') {
                Ok(Cell::Missing) | Err(_) => NO_CODE,
                Ok(_) => l.intern(&String::from_utf8_lossy(raw.trim_ascii())),
            };
            l.codes.push(code);
        }
        row += 1;
        if options.cancelled() {
            return Err(cancelled(file));
        }
    }
    if row != rows {
        return Err(changed());
    }
    Ok(labels)
}

/// Turns a finished buffer into a column, deciding its kind and whether it is
/// excluded by default.
fn finish(
    file: &str,
    index: usize,
    name: String,
    mut buffer: ColumnBuffer,
    rows: usize,
    warnings: &mut Vec<String>,
) -> Column {
    let where_ = format!("{file}: column {} ('{name}')", index + 1);
    if buffer.infinite > 0 && !buffer.is_text() {
        warnings.push(format!(
            "{where_} has {} read as missing ({}).",
            plural(buffer.infinite, "infinite value", "infinite values"),
            quote_examples(&buffer.infinite_examples, buffer.infinite)
        ));
    }
    let text = buffer.is_text();
    let (values, labels, kind, facts) = if text {
        if buffer.numeric > 0 {
            warnings.push(format!(
                "{where_} mixes numbers ({}) and text ({}: {}); it is read as categorical text.",
                plural(buffer.numeric, "cell", "cells"),
                plural(buffer.texts, "cell", "cells"),
                quote_examples(&buffer.text_examples, buffer.texts)
            ));
        }
        let labels = buffer.text.take().unwrap_or_default();
        let (labels, values) = labels.into_sorted(rows);
        (values, Some(labels), ColumnKind::Categorical, None)
    } else {
        if buffer.texts > 0 {
            warnings.push(format!(
                "{where_} is numeric, but {} of {} non-missing cells {} read as missing ({}).",
                buffer.texts,
                buffer.present_cells(),
                if buffer.texts == 1 {
                    "is not a number and is"
                } else {
                    "are not numbers and are"
                },
                quote_examples(&buffer.text_examples, buffer.texts)
            ));
        }
        if let Some((line, example)) = &buffer.comma_example {
            warnings.push(format!(
                "{where_} writes {} with a decimal comma (line {line}: '{}'); {} read as \
                 {}.",
                plural(buffer.comma_numbers, "number", "numbers"),
                shorten(example),
                if buffer.comma_numbers == 1 {
                    "it is"
                } else {
                    "they are"
                },
                if buffer.comma_numbers == 1 {
                    "a number"
                } else {
                    "numbers"
                },
            ));
        }
        let mut values = std::mem::take(&mut buffer.numbers);
        values.resize(rows, f64::NAN);
        values.shrink_to_fit();
        // Facts noted while parsing, when they settle the kind without sorting (a
        // column with a fraction is continuous); integer columns count distinct values.
        let facts = if buffer.fractional {
            detect::NumericFacts {
                present: buffer.numeric,
                distinct: if buffer.differs { 2 } else { 1 },
                all_integer: false,
                consecutive: false,
            }
        } else {
            detect::numeric_facts(&values)
        };
        (values, None, detect::kind_of(&facts), Some(facts))
    };
    // A numeric column's values are its numbers, NaN elsewhere.
    let missing = match &facts {
        Some(f) => rows - f.present,
        None => values.iter().filter(|v| v.is_nan()).count(),
    };
    let present = rows - missing;
    let distinct = match (&labels, &facts) {
        (Some(l), _) => l.len(),
        (None, Some(f)) => f.distinct,
        (None, None) => 0,
    };
    let excluded_reason = if present == 0 {
        warnings.push(format!(
            "{where_} has no values; it is kept but excluded by default."
        ));
        Some(detect::NO_VALUES_REASON)
    } else if distinct == 1 {
        let value = values
            .iter()
            .find(|v| !v.is_nan())
            .map(|&v| match &labels {
                Some(l) => l.first().cloned().unwrap_or_default(),
                None => format!("{v}"),
            })
            .unwrap_or_default();
        warnings.push(format!(
            "{where_} holds the same value ('{}') in every non-missing cell; it is kept but \
             excluded by default.",
            shorten(&value)
        ));
        Some(detect::CONSTANT_REASON)
    } else {
        let reason = match &facts {
            None => detect::text_identifier(present, distinct),
            Some(f) => detect::numeric_identifier(&values, f),
        }
        .or_else(|| detect::named_identifier(&name, &values, present, distinct, facts.is_none()));
        if reason.is_some() {
            warnings.push(format!(
                "{where_} looks like an identifier (every value is distinct); it is kept but \
                 excluded by default."
            ));
        }
        reason
    };
    Column {
        name,
        kind,
        detected: kind,
        values,
        labels,
        missing,
        excluded_reason: excluded_reason.map(str::to_string),
    }
}

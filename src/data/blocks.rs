//! Parsing a block of the file in pieces at once (rayon), with the result of one
//! sequential pass.
//!
//! A block is cut into pieces just after a line end. Such a cut is a record end unless
//! it falls inside a quoted field, which cannot be known without parsing everything
//! before it; so each piece is parsed as if the cut were a record end, and its result
//! is kept only when the piece before it (itself kept) ended exactly at the cut. A
//! piece runs on past its cut to finish a record that straddles it, so a wrong guess
//! shows as the earlier piece ending elsewhere; the block is then cut again from where
//! that piece really ended. Quoted line breaks that fall on a cut are rare, so nearly
//! every piece is kept. Line numbers are counted per piece and shifted when the pieces
//! are joined in order.
use super::cells::{Cell, ColumnBuffer, classify};
use super::number;
use super::plain_rows::{self, Field};
use super::records::{Cursor, Record, Splitter, Step, boundary_after};
use rayon::prelude::*;

/// Below this many bytes a block is parsed in one piece: forking would cost more.
pub const PARALLEL_MIN_BYTES: usize = 128 << 10;
/// About this much text per piece: several per thread, so that a thread slowed by
/// other work on the machine does not hold the others up.
pub const PIECE_BYTES: usize = 256 << 10;
/// ... but at least this many rows: a piece has a buffer per column, which would
/// outweigh the rows of a very wide file (tens of thousands of columns).
pub const PIECE_ROWS: usize = 64;

/// About how long a piece is: `piece_bytes`, or [`PIECE_ROWS`] rows if longer.
pub fn piece_len(piece_bytes: usize, bytes_per_row: usize) -> usize {
    piece_bytes.max(bytes_per_row.saturating_mul(PIECE_ROWS))
}

/// How to parse: shared by every piece.
#[derive(Clone, Copy)]
pub struct Parse {
    pub splitter: Splitter,
    pub n_columns: usize,
    pub decimal_comma: bool,
    /// Records of plain numbers take the direct path ([`plain_rows`]); off in the
    /// tests that compare it with the general one.
    pub plain_rows: bool,
    /// From the sample, to size each piece's column buffers.
    pub bytes_per_row: usize,
    /// [`PIECE_BYTES`] and [`PARALLEL_MIN_BYTES`] but in tests, which cut small inputs
    /// into many pieces.
    pub piece_bytes: usize,
    pub parallel_min_bytes: usize,
}

/// Why a piece stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// At the first record end at or after its cut.
    Cut,
    /// The block ends inside a record: the rest comes with the next block.
    NeedMore,
    /// The end of the file.
    End,
    Error,
}

/// A record that stops the read. Lines are 1-based and counted from the piece's start.
pub enum PieceError {
    /// A data row whose field count differs from the header's; `breaks` are the line
    /// breaks inside its fields.
    Ragged {
        line: u64,
        found: usize,
        breaks: u64,
    },
    /// A byte that is not UTF-8 (in a cell that is not a missing token or number).
    NotUtf8 { line: u64, column: usize, byte: u8 },
}

/// The last data row's last field holds a line break: maybe a quote that never closes.
#[derive(Clone, Copy)]
pub struct OpenEnd {
    /// The row's offset in the block.
    pub pos: usize,
    /// The line of its last field, counted from the piece's start.
    pub line: u64,
    pub column: usize,
}

/// What one piece read.
pub struct Piece {
    pub columns: Vec<ColumnBuffer>,
    pub rows: usize,
    pub blank_lines: usize,
    pub first_blank_line: u64,
    /// For the last data row, if the piece has any: whether it may be open-ended.
    pub last_row: Option<Option<OpenEnd>>,
    pub error: Option<PieceError>,
    /// Where the piece stopped (after its last record; `nl` counted from its start).
    pub end: Cursor,
    pub stop: Stop,
}

/// Parses a piece into buffers of its own.
fn parse_piece(input: &[u8], start: usize, cut: Option<usize>, eof: bool, p: &Parse) -> Piece {
    let reserve = (cut.unwrap_or(input.len()) - start) / p.bytes_per_row.max(1);
    let reserve = reserve + reserve / 8 + 1;
    let mut columns: Vec<ColumnBuffer> = (0..p.n_columns)
        .map(|_| ColumnBuffer::with_capacity(reserve))
        .collect();
    let mut piece = parse_into(input, start, cut, eof, p, &mut columns, 0);
    piece.columns = columns;
    piece
}

/// Parses a piece, appending its cells to `columns` (whose example lines are shifted
/// by `line_base`); the piece's own `columns` are left empty.
fn parse_into(
    input: &[u8],
    start: usize,
    cut: Option<usize>,
    eof: bool,
    p: &Parse,
    columns: &mut [ColumnBuffer],
    line_base: u64,
) -> Piece {
    let mut out = Piece {
        columns: Vec::new(),
        rows: 0,
        blank_lines: 0,
        first_blank_line: 0,
        last_row: None,
        error: None,
        end: Cursor::default(),
        stop: Stop::End,
    };
    let mut cursor = Cursor { pos: start, nl: 0 };
    let mut record = Record::default();
    let (mut fields, mut cells) = (Vec::new(), Vec::new());
    out.stop = 'records: loop {
        if cut.is_some_and(|c| cursor.pos >= c) {
            break Stop::Cut;
        }
        if p.plain_rows
            && let Some(end) = plain_record(
                input,
                cursor,
                eof,
                p,
                columns,
                line_base,
                (&mut fields, &mut cells),
            )
        {
            cursor = end;
            out.rows += 1;
            // Unquoted: no field holds a line break.
            out.last_row = Some(None);
            continue;
        }
        match p.splitter.next(input, &mut cursor, eof, &mut record) {
            Step::Record => {}
            Step::NeedMore => break Stop::NeedMore,
            Step::End => break Stop::End,
        }
        if record.len() != p.n_columns {
            if record.is_blank(input) {
                out.blank_lines += 1;
                if out.blank_lines == 1 {
                    out.first_blank_line = record.line(0);
                }
                continue;
            }
            out.error = Some(PieceError::Ragged {
                line: record.line(0),
                found: record.len(),
                breaks: record.breaks_before(input, record.len()),
            });
            break Stop::Error;
        }
        for (j, (column, raw)) in columns.iter_mut().zip(record.fields(input)).enumerate() {
            // Nearly every cell of a numeric file; no missing token is a number.
            if let Some(v) = number::plain(raw.trim_ascii()) {
                column.push_number(v);
                continue;
            }
            match classify(raw, p.decimal_comma) {
                Ok(cell) => column.push(cell, || record.cell_line(input, line_base, j)),
                Err(offset) => {
                    let before = raw.get(..offset).unwrap_or(raw);
                    out.error = Some(PieceError::NotUtf8 {
                        line: record.cell_line(input, 0, j)
                            + memchr::memchr_iter(b'\n', before).count() as u64,
                        column: j,
                        byte: raw.get(offset).copied().unwrap_or(0),
                    });
                    break 'records Stop::Error;
                }
            }
        }
        out.rows += 1;
        out.last_row = Some(open_end(&record, input));
    };
    out.end = cursor;
    out
}

/// Reads a plain record ([`plain_rows`]) into the columns; `None` (nothing read) when
/// the general path must: not plain, or a cell that is not UTF-8 (whose error that
/// path reports).
fn plain_record<'a>(
    input: &'a [u8],
    cursor: Cursor,
    eof: bool,
    p: &Parse,
    columns: &mut [ColumnBuffer],
    line_base: u64,
    (fields, cells): (&mut Vec<Field>, &mut Vec<Cell<'a>>),
) -> Option<Cursor> {
    let delimiter = p.splitter.delimiter();
    let (nl, end) = plain_rows::plain_row(input, cursor, eof, delimiter, p.n_columns, fields)?;
    cells.clear();
    for f in fields.iter() {
        if let Field::Raw(a, b) = *f {
            cells.push(classify(input.get(a..b)?, p.decimal_comma).ok()?);
        }
    }
    let line = 1 + line_base + nl;
    let mut raw = cells.drain(..);
    for (column, f) in columns.iter_mut().zip(fields.iter()) {
        match *f {
            Field::Number(v) => column.push_number(v),
            Field::Raw(..) => {
                if let Some(cell) = raw.next() {
                    column.push(cell, || line);
                }
            }
        }
    }
    Some(end)
}

/// The record's open-ended facts, if its last field holds a line break.
pub fn open_end(record: &Record, input: &[u8]) -> Option<OpenEnd> {
    let column = record.len().checked_sub(1)?;
    memchr::memchr(b'\n', record.field(input, column))?;
    Some(OpenEnd {
        pos: record.start.pos,
        line: record.cell_line(input, 0, column),
        column,
    })
}

/// Parses `input` from `cursor` (whose `nl` counts from the start of the file) to
/// its end, or, when `eof` is false, to the last record that ends in it, appending
/// the cells to `columns`. Hands the pieces' other facts to `join` in file order with
/// the number of `\n` before each; stops at the first that `join` refuses (a piece
/// with an error). Returns where parsing stopped and whether the file ended there.
pub fn parse_block<E>(
    input: &[u8],
    mut cursor: Cursor,
    eof: bool,
    p: &Parse,
    columns: &mut [ColumnBuffer],
    mut join: impl FnMut(Piece, u64) -> Result<(), E>,
) -> Result<(Cursor, bool), E> {
    loop {
        let cuts = cuts(input, cursor.pos, p);
        let starts = std::iter::once(cursor.pos).chain(cuts.iter().copied());
        let ends = cuts.iter().copied().map(Some).chain([None]);
        let bounds: Vec<(usize, Option<usize>)> = starts.zip(ends).collect();
        let pieces: Vec<Piece> = if bounds.len() == 1 {
            // One piece: straight into the columns, no buffers to fill and append.
            vec![parse_into(
                input, cursor.pos, None, eof, p, columns, cursor.nl,
            )]
        } else {
            bounds
                .par_iter()
                .map(|&(start, cut)| parse_piece(input, start, cut, eof, p))
                .collect()
        };
        // The pieces kept, in order: their column buffers and the `\n` before each.
        let mut kept: Vec<(Vec<ColumnBuffer>, u64)> = Vec::with_capacity(pieces.len());
        let mut ended = None;
        for ((start, _), mut piece) in bounds.into_iter().zip(pieces) {
            if start != cursor.pos {
                // The piece before ran past this cut: it was inside a quoted field.
                break;
            }
            let (end, stop) = (piece.end, piece.stop);
            let base = cursor.nl;
            let parts = std::mem::take(&mut piece.columns);
            if let Err(e) = join(piece, base) {
                ended = Some(Err(e));
                break;
            }
            // Empty when the piece was parsed into `columns` directly.
            if !parts.is_empty() {
                kept.push((parts, base));
            }
            cursor = Cursor {
                pos: end.pos,
                nl: base + end.nl,
            };
            match stop {
                Stop::Cut => {}
                Stop::NeedMore => ended = Some(Ok(false)),
                // `join` refuses pieces with errors, so `Error` is not reached.
                Stop::End | Stop::Error => ended = Some(Ok(true)),
            }
            if ended.is_some() {
                break;
            }
        }
        append_pieces(columns, kept);
        match ended {
            Some(Ok(done)) => return Ok((cursor, done)),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
}

/// Appends the pieces' buffers to the columns in order, the columns on all threads:
/// this copy of every parsed value would otherwise hold up the next block.
fn append_pieces(columns: &mut [ColumnBuffer], kept: Vec<(Vec<ColumnBuffer>, u64)>) {
    if kept.is_empty() {
        return;
    }
    let mut by_column: Vec<Vec<(ColumnBuffer, u64)>> = (0..columns.len())
        .map(|_| Vec::with_capacity(kept.len()))
        .collect();
    for (parts, base) in kept {
        for (list, part) in by_column.iter_mut().zip(parts) {
            list.push((part, base));
        }
    }
    columns
        .par_iter_mut()
        .zip(by_column)
        .for_each(|(column, parts)| {
            for (part, base) in parts {
                column.append(part, base);
            }
        });
}

/// Where to cut `input[start..]` into pieces of about `p.piece_bytes`, and of at
/// least [`PIECE_ROWS`] rows as the sample measured them.
fn cuts(input: &[u8], start: usize, p: &Parse) -> Vec<usize> {
    let len = input.len().saturating_sub(start);
    let piece = piece_len(p.piece_bytes, p.bytes_per_row);
    let n = (len / piece.max(1)).min(256);
    if len < p.parallel_min_bytes || n < 2 {
        return Vec::new();
    }
    let mut cuts = Vec::with_capacity(n);
    let mut from = start;
    for k in 1..n {
        let nominal = start + len / n * k;
        if nominal <= from {
            continue;
        }
        match boundary_after(input, nominal) {
            Some(b) if b < input.len() => {
                cuts.push(b);
                from = b;
            }
            _ => break,
        }
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a read takes from the pieces, with lines made global.
    #[derive(Clone, Debug, PartialEq)]
    struct Joined {
        rows: usize,
        blank: (usize, u64),
        numbers: Vec<Vec<u64>>,
        counts: Vec<(usize, usize, usize)>,
        facts: Vec<(bool, Option<u64>, bool)>,
        examples: Vec<Vec<(u64, String)>>,
        labels: Vec<Option<Vec<String>>>,
        last_row: Option<Option<(usize, u64, usize)>>,
        error: Option<String>,
        end: Option<Cursor>,
    }

    /// Reads `input` as one block with `delimiter` (not a comma: decimal commas then read
    /// as numbers), by the direct path for plain records or only the general one.
    fn run_with(
        input: &[u8],
        n_columns: usize,
        piece_bytes: usize,
        parallel_min_bytes: usize,
        (plain_rows, delimiter): (bool, u8),
    ) -> Joined {
        let p = Parse {
            splitter: Splitter::new(delimiter),
            n_columns,
            decimal_comma: delimiter != b',',
            plain_rows,
            bytes_per_row: 0,
            piece_bytes,
            parallel_min_bytes,
        };
        let mut columns: Vec<ColumnBuffer> =
            (0..n_columns).map(|_| ColumnBuffer::default()).collect();
        let empty = || Joined {
            rows: 0,
            blank: (0, 0),
            numbers: Vec::new(),
            counts: Vec::new(),
            facts: Vec::new(),
            examples: Vec::new(),
            labels: Vec::new(),
            last_row: None,
            error: None,
            end: None,
        };
        let mut j = empty();
        let result = parse_block(
            input,
            Cursor::default(),
            true,
            &p,
            &mut columns,
            |piece, base| {
                if let Some(e) = piece.error {
                    return Err(match e {
                        PieceError::Ragged {
                            line,
                            found,
                            breaks,
                        } => {
                            format!("ragged {} {found} {breaks}", line + base)
                        }
                        PieceError::NotUtf8 { line, column, byte } => {
                            format!("utf8 {} {column} {byte}", line + base)
                        }
                    });
                }
                j.rows += piece.rows;
                if piece.blank_lines > 0 && j.blank.0 == 0 {
                    j.blank.1 = piece.first_blank_line + base;
                }
                j.blank.0 += piece.blank_lines;
                if let Some(last) = piece.last_row {
                    j.last_row = Some(last.map(|o| (o.pos, o.line + base, o.column)));
                }
                Ok(())
            },
        );
        match result {
            Ok((end, done)) => {
                assert!(done);
                j.end = Some(end);
            }
            // A failed read returns only its error.
            Err(e) => {
                return Joined {
                    error: Some(e),
                    ..empty()
                };
            }
        }
        for c in columns {
            j.numbers
                .push(c.numbers.iter().map(|v| v.to_bits()).collect());
            j.counts.push((c.missing, c.numeric, c.texts));
            j.facts
                .push((c.fractional, c.first.map(f64::to_bits), c.differs));
            let comma = c.comma_example.clone().into_iter();
            j.examples.push(
                [
                    c.text_examples.clone(),
                    c.infinite_examples.clone(),
                    comma.collect(),
                ]
                .concat(),
            );
            j.counts.push((c.comma_numbers, c.infinite, 0));
            let rows = c.numbers.len();
            j.labels.push(c.text.map(|l| l.into_sorted(rows).0));
        }
        j
    }

    fn field() -> impl Strategy<Value = &'static [u8]> {
        prop::sample::select(vec![
            &b"1"[..],
            b"2.5",
            b"-3e2",
            b"",
            b" ",
            b"NA",
            b"a",
            b"b",
            b"\"a\nb\"",
            b"\"x\"\"y\"",
            b"\"p,q\"",
            b"\"\r\n\"",
            b"\"",
            b"\xff",
            b"x\"y",
            b"+4",
            b".5",
            b"7.",
            b"1e",
            b"1.5x",
            b"-",
            b"inf",
            b"-nan",
            b"1e400",
            b"0.30000000000000004",
            b"-1.2345678901234567e-8",
            b" 3",
            b"3 ",
            b"1,5",
            b"-0,25",
        ])
    }

    fn csv() -> impl Strategy<Value = Vec<u8>> {
        let ends = vec![&b"\n"[..], b"\r\n", b"\r", b"\n\n", b" \n"];
        let row = (
            prop::collection::vec(field(), 1..4),
            prop::sample::select(ends),
        );
        prop::collection::vec(row, 0..40).prop_map(|rows| {
            let mut out = Vec::new();
            for (fields, end) in rows {
                out.extend_from_slice(&fields.join(&b',')[..]);
                out.extend_from_slice(end);
            }
            out
        })
    }

    /// Rows of exactly `n` fields (so reads run long), the last maybe without a line end.
    fn even_csv_with(n: usize, delimiter: u8) -> impl Strategy<Value = Vec<u8>> {
        let ends = vec![&b"\n"[..], b"\r\n", b"\r", b"\n\n"];
        let row = (
            prop::collection::vec(field(), n..=n),
            prop::sample::select(ends),
        );
        (prop::collection::vec(row, 0..40), any::<bool>()).prop_map(move |(rows, open)| {
            let mut out = Vec::new();
            for (fields, end) in rows {
                out.extend_from_slice(&fields.join(&delimiter)[..]);
                out.extend_from_slice(end);
            }
            if open {
                out.extend_from_slice(b"4,5.5,x");
            }
            out
        })
    }

    /// The direct path, in one piece and cut into pieces, reads as the general path.
    fn plain_matches_general(
        input: &[u8],
        n_columns: usize,
        piece_bytes: usize,
        delimiter: u8,
    ) -> Result<(), TestCaseError> {
        let general = run_with(input, n_columns, 1, usize::MAX, (false, delimiter));
        let whole = run_with(input, n_columns, 1, usize::MAX, (true, delimiter));
        prop_assert_eq!(whole, general.clone());
        let pieces = run_with(input, n_columns, piece_bytes, 0, (true, delimiter));
        prop_assert_eq!(pieces, general);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// The same with `;` between fields, where `1,5` is a number.
        #[test]
        fn plain_records_match_with_semicolons(
            (n_columns, input) in (1usize..5).prop_flat_map(|n| (Just(n), even_csv_with(n, b';'))),
            piece_bytes in 1usize..64,
        ) {
            plain_matches_general(&input, n_columns, piece_bytes, b';')?;
        }

        /// The same on reads that seldom stop at a ragged row.
        #[test]
        fn plain_records_match_on_even_rows(
            (n_columns, input) in (1usize..5).prop_flat_map(|n| (Just(n), even_csv_with(n, b','))),
            piece_bytes in 1usize..64,
        ) {
            plain_matches_general(&input, n_columns, piece_bytes, b',')?;
        }

        /// However the block is cut, the joined pieces read as one sequential pass.
        #[test]
        fn pieces_join_to_the_sequential_read(
            input in csv(),
            n_columns in 1usize..4,
            piece_bytes in 1usize..64,
        ) {
            let sequential = run_with(&input, n_columns, 1, usize::MAX, (true, b','));
            prop_assert_eq!(run_with(&input, n_columns, piece_bytes, 0, (true, b',')), sequential);
        }

        /// Plain records read directly give what the general splitter gives.
        #[test]
        fn plain_records_read_as_the_general_path_reads_them(
            input in csv(),
            n_columns in 1usize..4,
            piece_bytes in 1usize..64,
        ) {
            plain_matches_general(&input, n_columns, piece_bytes, b',')?;
        }
    }
}

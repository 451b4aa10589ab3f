//! Splitting CSV bytes into records and fields, exactly as the `csv` crate (csv-core
//! 0.1) does with the reader's settings: `"` quotes with `""` for a quote inside them,
//! no escape byte, no comments, `\r`, `\n` or `\r\n` ending a record, empty lines
//! skipped, any number of fields per record.
//!
//! Why not the `csv` crate itself: it copies every field byte into its record buffer
//! one state transition at a time, and it can only start at the beginning of the
//! input. Here a record without quotes (nearly every record of a numeric file) is found
//! with SIMD scans (`memchr`) and its fields are slices of the input; records with
//! quotes go through a byte-at-a-time copy of csv-core's state machine. Any record end
//! is a state from which parsing can restart, so the reader can parse several pieces
//! of a block at once (see `blocks`). `tests::matches_the_csv_crate` checks the
//! equivalence, positions included, on random inputs.

/// The quote byte.
pub const QUOTE: u8 = b'"';

/// Where the parser is: the byte offset in its input and the number of `\n` bytes
/// before it (so lines are `1 + nl`, counted as the `csv` crate counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub pos: usize,
    pub nl: u64,
}

/// One record: its fields and where it starts.
#[derive(Default)]
pub struct Record {
    /// Field `i` is `source[bounds[2i]..bounds[2i + 1]]`, where the source is the input
    /// or, for a record with quotes, `unquoted`.
    bounds: Vec<usize>,
    /// The fields of a record that has quotes, as they read without them.
    unquoted: Vec<u8>,
    quoted: bool,
    /// The cursor before the record: the end of the previous record, as the `csv`
    /// crate's `ByteRecord::position` (blank lines before the record belong to it).
    pub start: Cursor,
    /// The `\n` before the record's first byte, after the line ends skipped between
    /// records: its line for messages. (`start.nl` lags by one after a `\r\n`, whose
    /// `\n` the csv crate counts as part of the next record, and after blank lines.)
    line_nl: u64,
}

impl Record {
    pub fn len(&self) -> usize {
        self.bounds.len() / 2
    }

    /// Field `i` (`input` is the slice the record was read from).
    pub fn field<'a>(&'a self, input: &'a [u8], i: usize) -> &'a [u8] {
        let source = if self.quoted {
            &self.unquoted[..]
        } else {
            input
        };
        match (self.bounds.get(2 * i), self.bounds.get(2 * i + 1)) {
            (Some(&a), Some(&b)) => source.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }

    pub fn fields<'a>(&'a self, input: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        let source = if self.quoted {
            &self.unquoted[..]
        } else {
            input
        };
        self.bounds
            .chunks_exact(2)
            .map(move |b| source.get(b[0]..b[1]).unwrap_or_default())
    }

    /// A single field of ASCII whitespace: a blank line to the reader.
    pub fn is_blank(&self, input: &[u8]) -> bool {
        self.len() == 1 && self.field(input, 0).trim_ascii().is_empty()
    }

    /// Line breaks inside the fields before `column` (only quoted fields hold them).
    pub fn breaks_before(&self, input: &[u8], column: usize) -> u64 {
        if !self.quoted {
            return 0;
        }
        self.fields(input)
            .take(column)
            .map(|f| memchr::memchr_iter(b'\n', f).count() as u64)
            .sum()
    }

    /// The 1-based line of the record's field `column`, as the reader's messages count
    /// it: the record's line plus the line breaks inside the fields before it. `base`
    /// is the number of `\n` before the input.
    pub fn cell_line(&self, input: &[u8], base: u64, column: usize) -> u64 {
        1 + base + self.line_nl + self.breaks_before(input, column)
    }

    pub fn line(&self, base: u64) -> u64 {
        1 + base + self.line_nl
    }

    fn clear(&mut self, start: Cursor) {
        self.bounds.clear();
        self.unquoted.clear();
        self.quoted = false;
        self.start = start;
        self.line_nl = start.nl;
    }
}

/// What [`Splitter::next`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A record; the cursor is after it.
    Record,
    /// The input ends inside a record (or before one starts) and more input may
    /// follow: the cursor is unchanged.
    NeedMore,
    /// The end of the input, with no record left.
    End,
}

fn is_term(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    /// After a quote inside a quoted field: a second quote is a literal quote.
    QuoteInQuoted,
}

#[derive(Clone, Copy)]
pub struct Splitter {
    delimiter: u8,
    /// The SIMD path needs a delimiter that is not a quote or a line end.
    fast: bool,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            fast: delimiter != QUOTE && !is_term(delimiter),
        }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Reads the record at `cursor` from `input`; `eof` says that `input` ends the
    /// file (so a last record without a line end is complete).
    pub fn next(&self, input: &[u8], cursor: &mut Cursor, eof: bool, record: &mut Record) -> Step {
        record.clear(*cursor);
        // Between records line ends are skipped (csv-core's StartRecord and CRLF
        // states); they belong to the next record, whose position is before them.
        let mut i = cursor.pos;
        let mut nl = cursor.nl;
        while let Some(&b) = input.get(i) {
            if !is_term(b) {
                break;
            }
            nl += u64::from(b == b'\n');
            i += 1;
        }
        record.line_nl = nl;
        let Some(rest) = input.get(i..).filter(|r| !r.is_empty()) else {
            if eof {
                cursor.pos = input.len();
                cursor.nl = nl;
                return Step::End;
            }
            return Step::NeedMore;
        };
        if self.fast {
            let end = memchr::memchr2(b'\n', b'\r', rest);
            let line = &rest[..end.unwrap_or(rest.len())];
            if memchr::memchr(QUOTE, line).is_none() {
                if end.is_none() && !eof {
                    return Step::NeedMore;
                }
                let mut from = i;
                for d in memchr::memchr_iter(self.delimiter, line) {
                    record.bounds.extend([from, i + d]);
                    from = i + d + 1;
                }
                record.bounds.extend([from, i + line.len()]);
                match end {
                    // The terminator is consumed with the record; a `\n` after a `\r`
                    // is skipped before the next one.
                    Some(e) => {
                        cursor.pos = i + e + 1;
                        cursor.nl = nl + u64::from(rest[e] == b'\n');
                    }
                    None => {
                        cursor.pos = input.len();
                        cursor.nl = nl;
                    }
                }
                return Step::Record;
            }
        }
        self.slow(input, i, nl, cursor, eof, record)
    }

    /// csv-core's state machine (`transition_nfa`), one byte at a time, the checks in
    /// its order, copying field bytes without their quotes.
    fn slow(
        &self,
        input: &[u8],
        mut i: usize,
        mut nl: u64,
        cursor: &mut Cursor,
        eof: bool,
        record: &mut Record,
    ) -> Step {
        record.quoted = true;
        let d = self.delimiter;
        let out = &mut record.unquoted;
        let bounds = &mut record.bounds;
        let mut field_start = 0;
        let mut end_field = |out: &Vec<u8>, field_start: &mut usize| {
            bounds.extend([*field_start, out.len()]);
            *field_start = out.len();
        };
        let mut state = State::StartField;
        loop {
            let Some(&c) = input.get(i) else {
                if !eof {
                    return Step::NeedMore;
                }
                // The input ends the record (csv-core's final transition).
                end_field(out, &mut field_start);
                cursor.pos = i;
                cursor.nl = nl;
                return Step::Record;
            };
            i += 1;
            nl += u64::from(c == b'\n');
            let ends_record = match state {
                State::StartField => {
                    if c == QUOTE {
                        state = State::InQuoted;
                        false
                    } else if c == d {
                        end_field(out, &mut field_start);
                        false
                    } else if is_term(c) {
                        true
                    } else {
                        out.push(c);
                        state = State::InField;
                        false
                    }
                }
                State::InField => {
                    if c == d {
                        end_field(out, &mut field_start);
                        state = State::StartField;
                        false
                    } else if is_term(c) {
                        true
                    } else {
                        out.push(c);
                        false
                    }
                }
                State::InQuoted => {
                    if c == QUOTE {
                        state = State::QuoteInQuoted;
                    } else {
                        out.push(c);
                    }
                    false
                }
                State::QuoteInQuoted => {
                    if c == QUOTE {
                        out.push(c);
                        state = State::InQuoted;
                        false
                    } else if c == d {
                        end_field(out, &mut field_start);
                        state = State::StartField;
                        false
                    } else if is_term(c) {
                        true
                    } else {
                        out.push(c);
                        state = State::InField;
                        false
                    }
                }
            };
            if ends_record {
                end_field(out, &mut field_start);
                cursor.pos = i;
                cursor.nl = nl;
                return Step::Record;
            }
        }
    }
}

/// The first byte after a line end that the parser could start from, at or after
/// `from`: a `\n` or `\r` that follows another byte. It is a record end unless it
/// lies inside a quoted field, which the caller checks.
pub fn boundary_after(input: &[u8], from: usize) -> Option<usize> {
    let mut at = from.max(1);
    loop {
        let e = at + memchr::memchr2(b'\n', b'\r', input.get(at..)?)?;
        if !is_term(input[e - 1]) {
            return Some(e + 1);
        }
        at = e + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as (fields, position byte, position line) from the csv crate.
    fn with_csv(input: &[u8], delimiter: u8) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).expect("in memory") {
            let pos = record.position().expect("position");
            // The record's own line: the csv crate's, plus the line ends between its
            // position and its first byte (a `\r\n`'s `\n`, blank lines).
            // (A byte-order mark at the very start comes before them.)
            let mut from = pos.byte() as usize;
            if from == 0 && input.starts_with(&[0xEF, 0xBB, 0xBF]) {
                from = 3;
            }
            let skipped = input[from..]
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .filter(|&&b| b == b'\n')
                .count() as u64;
            out.push((
                record.iter().map(<[u8]>::to_vec).collect(),
                pos.byte(),
                pos.line() + skipped,
            ));
        }
        out
    }

    /// The same from the splitter, fed in pieces cut at `cuts` (as blocks arrive).
    fn with_splitter(input: &[u8], delimiter: u8, cuts: &[usize]) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let splitter = Splitter::new(delimiter);
        let mut out = Vec::new();
        let mut record = Record::default();
        let mut cursor = Cursor::default();
        // A byte-order mark at the start is dropped, as csv-core does.
        if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
            cursor.pos = 3;
        }
        let mut ends: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
        ends.sort_unstable();
        ends.push(input.len());
        for end in ends {
            let eof = end == input.len();
            let piece = &input[..end];
            while splitter.next(piece, &mut cursor, eof, &mut record) == Step::Record {
                let start = if out.is_empty() { 0 } else { record.start.pos };
                out.push((
                    record.fields(piece).map(<[u8]>::to_vec).collect(),
                    start as u64,
                    record.line(0),
                ));
            }
        }
        out
    }

    #[test]
    fn plain_quoted_and_odd_records() {
        for (text, d) in [
            (&b"a,b\n1,2\r\n\r\n3,\"x\"\"y\"\n\"p\nq\",z"[..], b','),
            (b"\"a\"b\"c,d\re\n", b','),
            (b"  \n,\n\"\"\n\"", b','),
            (b"a\"b\n", b'"'),
            (b"a\nb\rc\r\n", b'\n'),
            (b"\xEF\xBB\xBF\xEF\xBB\xBFa;b\n", b';'),
        ] {
            assert_eq!(
                with_splitter(text, d, &[]),
                with_csv(text, d),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn boundaries_follow_a_line_end() {
        assert_eq!(boundary_after(b"ab\ncd\r\nef", 0), Some(3));
        assert_eq!(boundary_after(b"ab\ncd\r\nef", 3), Some(6));
        assert_eq!(boundary_after(b"ab\ncd\r\nef", 6), None);
        assert_eq!(boundary_after(b"\n\nab", 0), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn matches_the_csv_crate(
            bytes in prop::collection::vec(
                prop::sample::select(&b",;\"\n\r a1\xEF\xBB\xBF"[..]), 0..120),
            delimiter in prop::sample::select(&b",;\"\n a"[..]),
            cuts in prop::collection::vec(0usize..120, 0..4),
        ) {
            prop_assert_eq!(with_splitter(&bytes, delimiter, &cuts), with_csv(&bytes, delimiter));
        }
    }
}

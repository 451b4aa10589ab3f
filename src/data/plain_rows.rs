//! Records of plain numbers and unquoted cells, read in one pass over their bytes.
//!
//! Nearly every record of a numeric file is numbers and delimiters. The general
//! splitter ([`super::records`]) scans each line three times (for its end, for quotes,
//! for delimiters) before its fields are trimmed and parsed; here each field is parsed
//! where it starts, and the byte after the number must be a delimiter or a line end,
//! which finds the field's end without a scan. A field that is not such a number is
//! taken to the next delimiter or line end as it stands. Anything else — a quote at
//! a field's start, a field count other than the header's, a record the block cuts —
//! is left to the general splitter, so the result is its result: the same fields, the
//! same values (`number::plain` is the same parser on the same bytes), the same
//! cursor and line (`blocks::tests` compares the two on random inputs).
use super::records::{Cursor, QUOTE};

/// One field of a plain record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Field {
    /// A finite number in the plain decimal spelling, the whole field.
    Number(f64),
    /// Any other unquoted field: `input[start..end]`.
    Raw(usize, usize),
}

/// Delimiters that can never be part of a number (so a number's end is where the
/// parser stops).
pub fn usable(delimiter: u8) -> bool {
    matches!(delimiter, b',' | b';' | b'\t' | b'|' | b' ' | b':')
}

/// Reads the record at `cursor` into `fields` when it is plain and has `n_columns`
/// fields; returns the record's line (as `nl`: line breaks before it) and the cursor
/// after it. `None`: the general splitter reads it (nothing is consumed).
pub fn plain_row(
    input: &[u8],
    cursor: Cursor,
    eof: bool,
    delimiter: u8,
    n_columns: usize,
    fields: &mut Vec<Field>,
) -> Option<(u64, Cursor)> {
    // Line ends between records are skipped, as the general splitter skips them.
    let (mut i, mut nl) = (cursor.pos, cursor.nl);
    while let Some(&b) = input.get(i) {
        if b != b'\n' && b != b'\r' {
            break;
        }
        nl += u64::from(b == b'\n');
        i += 1;
    }
    if i >= input.len() {
        return None;
    }
    fields.clear();
    let mut pos = i;
    loop {
        let rest = input.get(pos..).unwrap_or_default();
        if rest.first() == Some(&QUOTE) {
            return None;
        }
        let ends_field = |b: Option<&u8>| match b {
            Some(&b) => b == delimiter || b == b'\n' || b == b'\r',
            None => eof,
        };
        let number = fast_float2::parse_partial::<f64, _>(rest)
            .ok()
            .filter(|&(v, used)| used > 0 && v.is_finite());
        let end = match number {
            Some((v, used)) if ends_field(rest.get(used)) => {
                fields.push(Field::Number(v));
                pos + used
            }
            // The input ends right after a number: more of it may follow.
            Some((_, used)) if used == rest.len() => return None,
            _ => {
                let end = match memchr::memchr3(delimiter, b'\n', b'\r', rest) {
                    Some(e) => pos + e,
                    None if eof => input.len(),
                    None => return None,
                };
                fields.push(Field::Raw(pos, end));
                end
            }
        };
        if fields.len() > n_columns {
            return None;
        }
        match input.get(end) {
            Some(&b) if b == delimiter => pos = end + 1,
            ended => {
                if fields.len() != n_columns {
                    return None;
                }
                let after = match ended {
                    Some(&b) => Cursor {
                        pos: end + 1,
                        nl: nl + u64::from(b == b'\n'),
                    },
                    None => Cursor {
                        pos: input.len(),
                        nl,
                    },
                };
                return Some((nl, after));
            }
        }
    }
}

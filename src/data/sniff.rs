//! Choosing the field delimiter from the first lines of a file.

/// Delimiters we recognise, in order of preference when two fit equally well.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Lines looked at; enough to see through a few odd rows, cheap on huge files.
pub const SAMPLE_LINES: usize = 50;

/// The delimiter under which the header and the rows after it split into the same
/// number (> 1) of fields most consistently. The sample is parsed as CSV, so
/// delimiters inside quoted fields do not count. `complete` says whether `sample`
/// is the whole file; if not, its last record may be cut short and is ignored.
/// A file whose header splits under no candidate has a single column; the
/// candidate that splits the fewest of its rows is returned for it.
pub fn sniff_delimiter(sample: &[u8], complete: bool) -> u8 {
    let mut best: Option<(f64, usize, u8)> = None;
    let mut single: Option<(f64, usize, u8)> = None;
    for &delimiter in &CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut counts = Vec::with_capacity(SAMPLE_LINES + 1);
        let mut record = csv::ByteRecord::new();
        let mut reached_end = false;
        while counts.len() <= SAMPLE_LINES {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    // A whitespace-only line is skipped by the reader; it is no evidence.
                    if record.len() == 1 && record[0].trim_ascii().is_empty() {
                        continue;
                    }
                    counts.push(record.len());
                }
                Ok(false) => {
                    reached_end = true;
                    break;
                }
                Err(_) => break,
            }
        }
        if reached_end && !complete && counts.len() > 1 {
            counts.pop();
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        let consistent = counts.iter().filter(|&&c| c == header).count();
        let score = (consistent as f64 / counts.len() as f64, header, delimiter);
        let slot = if header > 1 { &mut best } else { &mut single };
        let better = match slot {
            None => true,
            Some((s, fields, _)) => score.0 > *s || (score.0 == *s && header > *fields),
        };
        if better {
            *slot = Some(score);
        }
    }
    // With no candidate splitting the header, the file has one column; the
    // delimiter is then the candidate that splits the fewest rows, so that a comma
    // in a value of a one-column file does not look like a second field.
    let best = best.or(single);
    best.map_or(b',', |(_, _, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n", true), b',');
        assert_eq!(sniff_delimiter(b"a;b\n1,5;2,5\n3,5;4\n", true), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n", true), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n", true), b'|');
        // Commas inside quotes do not count.
        assert_eq!(
            sniff_delimiter(b"a;b\n\"x,y,z\";1\n\"p,q\";2\n", true),
            b';'
        );
        assert_eq!(sniff_delimiter(b"single\n1\n2\n", true), b',');
        assert_eq!(sniff_delimiter(b"", true), b',');
        // One column whose values hold commas.
        assert_eq!(sniff_delimiter(b"name\nSmith, J.\nDoe\n", true), b';');
    }

    #[test]
    fn ignores_a_cut_off_last_line() {
        assert_eq!(sniff_delimiter(b"a;b\n1;2\n3;4\n5", false), b';');
    }
}

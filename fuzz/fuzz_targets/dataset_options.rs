//! The reader with a forced delimiter ([`ReadOptions::delimiter`]): the first
//! byte picks the delimiter, the rest is the file.
//!
//! Run: `cargo +nightly fuzz run dataset_options -- -max_len=4096`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_workbench::data::{ReadOptions, read_csv_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    // The delimiters the sniffer chooses among (the only ones a user can end up with).
    let delimiter = [b',', b';', b'\t', b'|'][usize::from(pick % 4)];
    let options = ReadOptions {
        delimiter: Some(delimiter),
        ..ReadOptions::default()
    };
    if let Ok(dataset) = read_csv_bytes("fuzz.csv", rest, &options) {
        assert!(
            dataset
                .columns
                .iter()
                .all(|c| c.values.len() == dataset.n_rows)
        );
        let _ = dataset.summaries();
    }
});

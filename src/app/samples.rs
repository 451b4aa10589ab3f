//! The bundled sample datasets, compiled into the binary so "Sample data" works from
//! any folder (an installed app has no checkout beside it).

pub struct Sample {
    pub name: &'static str,
    pub about: &'static str,
    pub bytes: &'static [u8],
}

/// A sample by file name (under `sample_data/`) and one line about it.
macro_rules! sample {
    ($name:literal, $about:literal) => {
        Sample {
            name: $name,
            about: $about,
            bytes: include_bytes!(concat!("../../sample_data/", $name)),
        }
    };
}

pub const SAMPLES: [Sample; 4] = [
    sample!(
        "penguins.csv",
        "Palmer penguins, 344 × 8: species, island, sex and body measurements (mixed kinds, missing cells)"
    ),
    sample!(
        "breast_cancer.csv",
        "Wisconsin breast cancer, 569 × 31: cell-nucleus measurements and the diagnosis"
    ),
    sample!(
        "wine.csv",
        "Wine recognition, 178 × 14: chemical analysis of three cultivars"
    ),
    sample!(
        "diabetes.csv",
        "Diabetes progression, 442 × 11: clinical measurements and a one-year outcome"
    ),
];

/// The sample opened at first start: small, mixed kinds, fills a heatmap in well under a second.
pub const DEFAULT_SAMPLE: usize = 0;

pub fn by_name(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}

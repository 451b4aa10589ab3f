//! The bundled sample datasets, compiled into the binary so "Sample data" works from
//! any folder (an installed app has no checkout beside it).

pub struct Sample {
    pub name: &'static str,
    pub about: &'static str,
    pub bytes: &'static [u8],
}

pub const SAMPLES: [Sample; 4] = [
    Sample {
        name: "penguins.csv",
        about: "Palmer penguins, 344 × 8: species, island, sex and body measurements (mixed kinds, missing cells)",
        bytes: include_bytes!("../../sample_data/penguins.csv"),
    },
    Sample {
        name: "breast_cancer.csv",
        about: "Wisconsin breast cancer, 569 × 31: cell-nucleus measurements and the diagnosis",
        bytes: include_bytes!("../../sample_data/breast_cancer.csv"),
    },
    Sample {
        name: "wine.csv",
        about: "Wine recognition, 178 × 14: chemical analysis of three cultivars",
        bytes: include_bytes!("../../sample_data/wine.csv"),
    },
    Sample {
        name: "diabetes.csv",
        about: "Diabetes progression, 442 × 11: clinical measurements and a one-year outcome",
        bytes: include_bytes!("../../sample_data/diabetes.csv"),
    },
];

/// The sample opened at first start: small, mixed kinds, fills a heatmap in well under a second.
pub const DEFAULT_SAMPLE: usize = 0;

pub fn by_name(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}

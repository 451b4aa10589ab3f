//! CSV → Dataset. (Interim minimal reader; the full reader replaces it.)
use super::{Column, DataError, Dataset};
use std::path::Path;

#[derive(Clone, Debug, Default)]
pub struct ReadOptions {}

pub fn read_csv_path(path: &Path, options: &ReadOptions) -> Result<Dataset, DataError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        file: file.clone(),
        source,
    })?;
    read_csv_bytes(&file, &bytes, options)
}

pub fn read_csv_bytes(file: &str, bytes: &[u8], _options: &ReadOptions) -> Result<Dataset, DataError> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| DataError::File { file: file.into(), message: e.to_string() })?
        .iter()
        .map(str::to_string)
        .collect();
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); headers.len()];
    for rec in rdr.records() {
        let rec = rec.map_err(|e| DataError::File { file: file.into(), message: e.to_string() })?;
        for (c, v) in rec.iter().enumerate() {
            cols[c].push(v.trim().parse().unwrap_or(f64::NAN));
        }
    }
    let columns = headers.into_iter().zip(cols).map(|(h, v)| Column::numeric(h, v)).collect();
    Ok(Dataset::new(file, columns))
}

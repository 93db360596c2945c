//! Applications from a spreadsheet: one row per application, Italian headers (see
//! docs/formats.md). Rows become the JSON form, so CSV and JSON share one validation path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::fields::{self, APPLICANT, Field, ISEE, MEMBER, MEMBER_PREFIX, TOP};
use crate::intake::{Batch, Filed, Naming, Parsed, form_from_value, refused};
use crate::{AppError, Problem, Result, Sportello};

#[derive(Clone, Copy)]
enum Column {
    Top(&'static Field),
    Applicant(&'static Field),
    Isee(&'static Field),
    Member(usize, &'static Field),
}

fn column(header: &str) -> Option<Column> {
    let by = |table: &'static [Field], h: &str| table.iter().find(|f| f.csv == h || f.json == h);
    let h = header.trim().to_lowercase();
    if let Some(rest) = h.strip_prefix(MEMBER_PREFIX) {
        let (n, key) = rest.split_once('_')?;
        let n: usize = n.parse().ok().filter(|n| *n >= 1)?;
        return by(MEMBER, key).map(|f| Column::Member(n - 1, f));
    }
    by(TOP, &h)
        .map(Column::Top)
        .or_else(|| by(APPLICANT, &h).map(Column::Applicant))
        .or_else(|| by(ISEE, &h).map(Column::Isee))
}

/// Reads every row; a row that cannot be read carries its problems into the batch.
pub fn parse_csv(text: &str) -> Result<Batch> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    // Italian spreadsheets save with semicolons.
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            AppError::new(
                "csv_invalid",
                format!("intestazione del file CSV non leggibile: {e}"),
            )
        })?
        .clone();
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for h in &headers {
        match column(h) {
            Some(c) => columns.push(c),
            None => problems.push(Problem {
                record: "riga 1".into(),
                field: h.to_string(),
                code: "csv_unknown_column".into(),
                message: "colonna sconosciuta: controllare il nome (vedere docs/formats.md)".into(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    let mut entries = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                entries.push(Err(vec![Problem {
                    record: format!("riga {line}"),
                    field: String::new(),
                    code: "csv_invalid".into(),
                    message: format!(
                        "riga non leggibile (numero di colonne diverso dall'intestazione?): {e}"
                    ),
                }]));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let record = format!("riga {line}");
        entries.push(
            form_from_value(row_to_json(&columns, &row), &record, Naming::Csv).map(
                |(form, missing)| Parsed {
                    record,
                    form,
                    naming: Naming::Csv,
                    missing,
                },
            ),
        );
    }
    Ok(Batch {
        entries,
        is_array: true,
    })
}

fn row_to_json(columns: &[Column], row: &csv::StringRecord) -> Value {
    let mut top = Map::new();
    let mut applicant = Map::new();
    let mut isee = Map::new();
    let mut members: BTreeMap<usize, Map<String, Value>> = BTreeMap::new();
    for (col, cell) in columns.iter().zip(row.iter()) {
        let (target, field) = match *col {
            Column::Top(f) => (&mut top, f),
            Column::Applicant(f) => (&mut applicant, f),
            Column::Isee(f) => (&mut isee, f),
            Column::Member(n, f) => (members.entry(n).or_default(), f),
        };
        if let Some(v) = fields::cell_to_json(field.kind, cell) {
            target.insert(field.json.to_string(), v);
        }
    }
    top.insert("applicant".into(), Value::Object(applicant));
    if !isee.is_empty() {
        top.insert("isee".into(), Value::Object(isee));
    }
    let members: Vec<Value> = members
        .into_values()
        .filter(|m| !m.is_empty())
        .map(Value::Object)
        .collect();
    top.insert("household".into(), Value::Array(members));
    Value::Object(top)
}

impl Sportello {
    /// Files every row of a CSV file, or none.
    pub fn import_csv(&mut self, text: &str) -> Result<Vec<Filed>> {
        self.add_applications(&parse_csv(text)?)
    }
}

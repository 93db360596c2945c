//! Applications from a spreadsheet: one row per application, Italian headers (see
//! docs/formats.md). Rows become the JSON form, so CSV and JSON share one validation path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Intake;
use super::fields::{self, APPLICANT, Field, ISEE, MEMBER, MEMBER_PREFIX, TOP};
use super::forms::{Batch, Filed, Naming, Parsed, Written, form_from_value, refused};
use crate::{AppError, ErrorCode, Problem, Result};

#[derive(Clone, Copy, PartialEq)]
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

/// The known header closest to an unknown one (`genitore_slo` → `genitore_solo`,
/// `componente2_cognme` → `componente2_cognome`).
fn nearest_header(header: &str) -> Option<String> {
    let h = header.trim().to_lowercase();
    if let Some((n, key)) = h
        .strip_prefix(MEMBER_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .filter(|(n, _)| n.parse::<usize>().is_ok_and(|n| n >= 1))
    {
        return fields::nearest(key, MEMBER.iter().map(|f| f.csv))
            .map(|m| format!("{MEMBER_PREFIX}{n}_{m}"));
    }
    let known = [TOP, APPLICANT, ISEE].into_iter().flatten().map(|f| f.csv);
    fields::nearest(&h, known).map(str::to_string)
}

/// A reader of a spreadsheet saved as CSV: a byte-order mark skipped, semicolons or commas
/// (Italian spreadsheets save with semicolons), every row as wide as the header.
pub(crate) fn spreadsheet(text: &str) -> csv::Reader<&[u8]> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// A spreadsheet's header row, as written.
fn header(reader: &mut csv::Reader<&[u8]>) -> Result<csv::StringRecord> {
    Ok(reader
        .headers()
        .map_err(|e| {
            AppError::new(
                ErrorCode::CsvInvalid,
                format!("intestazione del file CSV non leggibile: {e}"),
            )
        })?
        .clone())
}

/// The names of a spreadsheet's columns, trimmed and in lower case.
pub(crate) fn header_names(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>> {
    Ok(header(reader)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect())
}

/// Reads every row; a row that cannot be read carries its problems into the batch.
pub fn parse_csv(text: &str) -> Result<Batch> {
    let mut reader = spreadsheet(text);
    let headers = header(&mut reader)?;
    let mut problems = Vec::new();
    // Each known column with its place in the header.
    let mut seen: Vec<(usize, Column)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let Some(c) = column(h) else {
            let hint = nearest_header(h).map_or_else(String::new, |n| format!(" forse {n}?"));
            problems.push(Problem {
                record: "riga 1".into(),
                field: h.to_string(),
                code: "csv_unknown_column".into(),
                message: format!(
                    "colonna sconosciuta:{hint} controllare il nome (le colonne ammesse sono \
                     elencate in docs/formats.md)"
                ),
            });
            continue;
        };
        // Two columns for one field: which one holds the value? (The csv crate would let
        // the last win silently.)
        if let Some(&(first, _)) = seen.iter().find(|(_, other)| *other == c) {
            let first_header = headers.get(first).unwrap_or_default();
            let same = if first_header.trim().eq_ignore_ascii_case(h.trim()) {
                String::new()
            } else {
                format!(" («{first_header}» e «{h}» indicano lo stesso dato)")
            };
            problems.push(Problem {
                record: "riga 1".into(),
                field: h.to_string(),
                code: "csv_duplicate_column".into(),
                message: format!(
                    "colonna ripetuta: la colonna {} ripete la colonna {}{same}; tenerne una \
                     sola, con i valori giusti",
                    i + 1,
                    first + 1
                ),
            });
        }
        seen.push((i, c));
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    let columns: Vec<Column> = seen.into_iter().map(|(_, c)| c).collect();
    // A row is no JSON text: nothing written beyond the values.
    let no_text = Written::default();
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
            form_from_value(row_to_json(&columns, &row), &record, Naming::Csv, &no_text).map(
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

impl Intake<'_> {
    /// Files every row of a CSV file, or none.
    pub fn import_csv(&mut self, text: &str) -> Result<Vec<Filed>> {
        self.require(crate::Action::FileApplications)?;
        self.add_applications(&parse_csv(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_problems(header: &str) -> Vec<(String, String, String)> {
        let err = parse_csv(&format!("{header}\n")).unwrap_err();
        err.problems
            .into_iter()
            .map(|p| (p.field, p.code, p.message))
            .collect()
    }

    #[test]
    fn a_repeated_column_is_refused_naming_both() {
        let found = header_problems("bando;cognome;nome;COGNOME;surname");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "COGNOME");
        assert_eq!(found[0].1, "csv_duplicate_column");
        assert_eq!(
            found[0].2,
            "colonna ripetuta: la colonna 4 ripete la colonna 2; tenerne una sola, con i \
             valori giusti"
        );
        assert!(
            found[1].2.contains(
                "la colonna 5 ripete la colonna 2 («cognome» e «surname» \
                                 indicano lo stesso dato)"
            ),
            "{}",
            found[1].2
        );
        // The same field of two different members is no repetition.
        let fine = parse_csv("bando,componente1_nome,componente2_nome\n");
        assert!(fine.is_ok());
    }

    #[test]
    fn an_unknown_column_names_the_nearest_known_one() {
        let found = header_problems("bando,genitore_slo,componente2_cognme,colore");
        let messages: Vec<&str> = found.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "colonna sconosciuta: forse genitore_solo? controllare il nome (le colonne \
                 ammesse sono elencate in docs/formats.md)",
                "colonna sconosciuta: forse componente2_cognome? controllare il nome (le \
                 colonne ammesse sono elencate in docs/formats.md)",
                "colonna sconosciuta: controllare il nome (le colonne ammesse sono elencate in \
                 docs/formats.md)",
            ]
        );
    }
}

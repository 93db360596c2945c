//! The fields of an application form, once: their JSON path, their Italian CSV header and
//! their kind. Drives the shape check of JSON input (precise, Italian messages) and the
//! conversion of CSV rows into the same JSON, so both inputs pass one validation path.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde_json::{Map, Value};
use sportello_domain::Isee;

use crate::TIME_ZONE;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Date,
    DateTime,
    Bool,
    Sex,
    Housing,
    Amount,
    IseeType,
}

pub(crate) struct Field {
    pub json: &'static str,
    pub csv: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn f(json: &'static str, csv: &'static str, kind: Kind, required: bool) -> Field {
    Field {
        json,
        csv,
        kind,
        required,
    }
}

use Kind::*;

pub(crate) const TOP: &[Field] = &[
    f("bando", "bando", Text, true),
    f("filed_at", "data_presentazione", DateTime, false),
    f("protocol_number", "protocollo", Text, false),
    f("override_note", "nota_conferma", Text, false),
    f("resident", "residente", Bool, true),
    f("unemployed", "disoccupato", Bool, true),
    f("unemployed_since", "disoccupato_dal", Date, false),
    f("other_income_support", "altro_sostegno", Bool, false),
    f("single_parent", "genitore_solo", Bool, false),
    f("applicant_disabled", "richiedente_disabile", Bool, false),
    f("housing", "abitazione", Housing, false),
    f(
        "previous_participation",
        "partecipazione_precedente",
        Bool,
        false,
    ),
];

pub(crate) const APPLICANT: &[Field] = &[
    f("codice_fiscale", "codice_fiscale", Text, true),
    f("surname", "cognome", Text, true),
    f("name", "nome", Text, true),
    f("birth_date", "data_nascita", Date, true),
    f("sex", "sesso", Sex, true),
    f("birth_place", "luogo_nascita", Text, true),
    f("address", "indirizzo", Text, false),
    f("phone", "telefono", Text, false),
    f("email", "email", Text, false),
];

pub(crate) const ISEE: &[Field] = &[
    f("value", "isee", Amount, true),
    f("dsu_protocol", "protocollo_dsu", Text, true),
    f("dsu_date", "data_dsu", Date, true),
    f("kind", "tipo_isee", IseeType, false),
];

/// Household members; in CSV each header is prefixed `componenteN_` (N from 1).
pub(crate) const MEMBER: &[Field] = &[
    f("codice_fiscale", "codice_fiscale", Text, true),
    f("surname", "cognome", Text, true),
    f("name", "nome", Text, true),
    f("birth_date", "data_nascita", Date, true),
    f("sex", "sesso", Sex, true),
    f("birth_place", "luogo_nascita", Text, true),
    f("relation", "relazione", Text, true),
    f("dependent_minor", "minore_a_carico", Bool, false),
    f("disabled", "disabile", Bool, false),
];

pub(crate) const MEMBER_PREFIX: &str = "componente";

/// The CSV header of a JSON path: `household[0].sex` → `componente1_sesso`.
pub(crate) fn csv_header(path: &str) -> String {
    let find = |table: &[Field], key: &str| table.iter().find(|f| f.json == key).map(|f| f.csv);
    let mapped = if let Some(rest) = path.strip_prefix("applicant.") {
        find(APPLICANT, rest).map(str::to_string)
    } else if let Some(rest) = path.strip_prefix("isee.") {
        find(ISEE, rest).map(str::to_string)
    } else if let Some(rest) = path.strip_prefix("household[") {
        rest.split_once("].").and_then(|(i, key)| {
            let n: usize = i.parse().ok()?;
            find(MEMBER, key).map(|h| format!("{MEMBER_PREFIX}{}_{h}", n + 1))
        })
    } else {
        find(TOP, path).map(str::to_string)
    };
    mapped.unwrap_or_else(|| path.to_string())
}

/// Every missing or malformed field of a form, as (JSON path, Italian message).
pub(crate) fn check_shape(value: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let Some(top) = value.as_object() else {
        problems.push((
            String::new(),
            "la domanda deve essere un oggetto JSON".into(),
        ));
        return problems;
    };
    check_object(top, TOP, "", &mut problems);
    match top.get("applicant") {
        Some(Value::Object(a)) => check_object(a, APPLICANT, "applicant.", &mut problems),
        Some(_) => problems.push(("applicant".into(), "deve essere un oggetto".into())),
        None => problems.push(("applicant".into(), "campo obbligatorio mancante".into())),
    }
    match top.get("isee") {
        None | Some(Value::Null) => {}
        Some(Value::Object(i)) => check_object(i, ISEE, "isee.", &mut problems),
        Some(_) => problems.push(("isee".into(), "deve essere un oggetto".into())),
    }
    match top.get("household") {
        None | Some(Value::Null) => {}
        Some(Value::Array(members)) => {
            for (i, m) in members.iter().enumerate() {
                let prefix = format!("household[{i}].");
                match m.as_object() {
                    Some(m) => check_object(m, MEMBER, &prefix, &mut problems),
                    None => problems.push((
                        format!("household[{i}]"),
                        "ogni componente deve essere un oggetto".into(),
                    )),
                }
            }
        }
        Some(_) => problems.push((
            "household".into(),
            "deve essere un elenco di componenti".into(),
        )),
    }
    problems
}

/// Puts a neutral placeholder in every missing required field of the objects present, and
/// returns their paths. The form then reads, so the district's rules check everything else
/// at once; the placeholders never reach the database (a missing field refuses the form).
pub(crate) fn fill_missing(value: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    let Some(top) = value.as_object_mut() else {
        return missing;
    };
    fill_object(top, TOP, "", &mut missing);
    if let Some(Value::Object(a)) = top.get_mut("applicant") {
        fill_object(a, APPLICANT, "applicant.", &mut missing);
    }
    if let Some(Value::Object(i)) = top.get_mut("isee") {
        fill_object(i, ISEE, "isee.", &mut missing);
    }
    if let Some(Value::Array(members)) = top.get_mut("household") {
        for (i, m) in members.iter_mut().enumerate() {
            if let Some(m) = m.as_object_mut() {
                fill_object(m, MEMBER, &format!("household[{i}]."), &mut missing);
            }
        }
    }
    missing
}

fn fill_object(
    object: &mut Map<String, Value>,
    table: &[Field],
    prefix: &str,
    missing: &mut Vec<String>,
) {
    for field in table.iter().filter(|f| f.required) {
        if object.get(field.json).is_none_or(Value::is_null) {
            let placeholder = match field.kind {
                Text => Value::from(""),
                Date => Value::from("1900-01-01"),
                DateTime => Value::from("1970-01-01T00:00:00+00:00"),
                Bool => Value::Bool(false),
                Sex => Value::from("M"),
                Housing => Value::from("none"),
                Amount => Value::from("0"),
                IseeType => Value::from("ordinario"),
            };
            object.insert(field.json.to_string(), placeholder);
            missing.push(format!("{prefix}{}", field.json));
        }
    }
}

fn check_object(
    object: &Map<String, Value>,
    table: &[Field],
    prefix: &str,
    problems: &mut Vec<(String, String)>,
) {
    for field in table {
        let path = format!("{prefix}{}", field.json);
        match object.get(field.json) {
            None | Some(Value::Null) if field.required => {
                problems.push((path, "campo obbligatorio mancante".into()))
            }
            None | Some(Value::Null) => {}
            Some(v) => {
                if let Err(message) = check_value(field.kind, v) {
                    problems.push((path, message));
                }
            }
        }
    }
}

fn check_value(kind: Kind, v: &Value) -> Result<(), String> {
    let text = || v.as_str().ok_or_else(|| "deve essere un testo".to_string());
    match kind {
        Text => text().map(drop),
        Date => text()?
            .parse::<NaiveDate>()
            .map(drop)
            .map_err(|_| format!("data non valida {v}: usare aaaa-mm-gg")),
        DateTime => chrono::DateTime::parse_from_rfc3339(text()?)
            .map(drop)
            .map_err(|_| {
                format!("data e ora non valide {v}: usare ad esempio 2026-03-02T10:15:00+01:00")
            }),
        Bool => v
            .as_bool()
            .map(drop)
            .ok_or_else(|| format!("valore {v} non ammesso: usare true o false")),
        Sex => match text()? {
            "M" | "F" => Ok(()),
            _ => Err(format!("valore {v} non ammesso: usare M o F")),
        },
        Housing => match text()? {
            "none" | "rent" | "eviction" => Ok(()),
            _ => Err(format!(
                "valore {v} non ammesso: usare none, rent o eviction"
            )),
        },
        IseeType => match text()? {
            "ordinario" | "corrente" => Ok(()),
            _ => Err(format!(
                "valore {v} non ammesso: usare ordinario o corrente"
            )),
        },
        Amount => {
            let raw = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err("deve essere un importo, ad esempio \"3500.00\"".into()),
            };
            raw.parse::<Isee>().map(drop).map_err(|e| e.to_string())
        }
    }
}

/// Converts one CSV cell (Italian conventions) into the JSON the form expects.
/// Returns `None` for an empty cell. Unrecognised text is passed through unchanged, so the
/// shape check reports it with the field's name.
pub(crate) fn cell_to_json(kind: Kind, cell: &str) -> Option<Value> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let text = |s: &str| Some(Value::String(s.to_string()));
    match kind {
        Text | Amount => text(cell),
        Date => text(&italian_date(cell).map_or(cell.to_string(), |d| d.to_string())),
        DateTime => text(&local_date_time(cell).unwrap_or_else(|| cell.to_string())),
        Bool => match cell.to_lowercase().as_str() {
            "si" | "sì" | "s" | "x" | "true" | "vero" | "1" | "yes" => Some(Value::Bool(true)),
            "no" | "n" | "false" | "falso" | "0" => Some(Value::Bool(false)),
            _ => text(cell),
        },
        Sex => text(&cell.to_uppercase()),
        Housing => text(match cell.to_lowercase().as_str() {
            "nessuna" | "none" => "none",
            "affitto" | "rent" => "rent",
            "sfratto" | "eviction" => "eviction",
            _ => cell,
        }),
        IseeType => text(&cell.to_lowercase()),
    }
}

fn italian_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| s.parse())
        .ok()
}

/// RFC 3339 passes through; a date and time without offset is Italian local time.
fn local_date_time(s: &str) -> Option<String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.to_rfc3339());
    }
    let naive = [
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| italian_date(s).and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    let local = TIME_ZONE.from_local_datetime(&naive).earliest()?;
    Some(local.fixed_offset().to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_headers_follow_the_json_paths() {
        assert_eq!(csv_header("applicant.codice_fiscale"), "codice_fiscale");
        assert_eq!(csv_header("household[1].sex"), "componente2_sesso");
        assert_eq!(csv_header("isee.value"), "isee");
        assert_eq!(csv_header("resident"), "residente");
    }

    #[test]
    fn italian_cells_become_json() {
        assert_eq!(
            cell_to_json(Date, "02/03/2026"),
            Some(Value::from("2026-03-02"))
        );
        assert_eq!(cell_to_json(Bool, "Sì"), Some(Value::Bool(true)));
        assert_eq!(
            cell_to_json(Housing, "Sfratto"),
            Some(Value::from("eviction"))
        );
        assert_eq!(cell_to_json(Text, "  "), None);
        assert_eq!(
            cell_to_json(DateTime, "02/03/2026 10:15"),
            Some(Value::from("2026-03-02T10:15:00+01:00"))
        );
        assert_eq!(
            cell_to_json(DateTime, "02/07/2026 10:15"),
            Some(Value::from("2026-07-02T10:15:00+02:00"))
        );
    }

    #[test]
    fn shape_check_names_each_bad_field() {
        let v = serde_json::json!({
            "bando": "SC", "resident": "sì", "unemployed": true,
            "applicant": { "codice_fiscale": "X", "surname": "A", "name": "B",
                           "birth_date": "01/01/1980", "sex": "M", "birth_place": "I754" },
            "household": [ { "codice_fiscale": "Y", "surname": "C", "name": "D",
                             "birth_date": "2015-01-01", "sex": "Q", "birth_place": "I754" } ]
        });
        let fields: Vec<String> = check_shape(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            fields,
            [
                "resident",
                "applicant.birth_date",
                "household[0].sex",
                "household[0].relation"
            ]
        );
    }
}

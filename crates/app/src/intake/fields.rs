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

#[derive(PartialEq)]
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

/// One problem with the shape of a form: its JSON path, a stable code, an Italian message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapeProblem {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

impl ShapeProblem {
    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            code: "field_invalid",
            message: message.into(),
        }
    }
}

/// How the numbers of a JSON text were written, by path (`isee.value` → `12.500`): serde
/// keeps only their value (12.5), and the digits written decide whether an amount is read.
pub(crate) type WrittenNumbers = std::collections::BTreeMap<String, String>;

/// The objects of a form that hold other fields (not in the tables).
const NESTED: &[&str] = &["applicant", "household", "isee"];

/// Every missing, malformed or unknown field of a form.
pub(crate) fn check_shape(value: &Value, numbers: &WrittenNumbers) -> Vec<ShapeProblem> {
    let mut problems = Vec::new();
    let Some(top) = value.as_object() else {
        problems.push(ShapeProblem::invalid(
            "",
            "la domanda deve essere un oggetto JSON",
        ));
        return problems;
    };
    let shape = Shape { numbers };
    shape.object(top, TOP, "", NESTED, &mut problems);
    match top.get("applicant") {
        Some(Value::Object(a)) => shape.object(a, APPLICANT, "applicant.", &[], &mut problems),
        Some(_) => problems.push(ShapeProblem::invalid("applicant", "deve essere un oggetto")),
        None => problems.push(ShapeProblem::invalid(
            "applicant",
            "campo obbligatorio mancante",
        )),
    }
    match top.get("isee") {
        None | Some(Value::Null) => {}
        Some(Value::Object(i)) => shape.object(i, ISEE, "isee.", &[], &mut problems),
        Some(_) => problems.push(ShapeProblem::invalid("isee", "deve essere un oggetto")),
    }
    match top.get("household") {
        None | Some(Value::Null) => {}
        Some(Value::Array(members)) => {
            for (i, m) in members.iter().enumerate() {
                let prefix = format!("household[{i}].");
                match m.as_object() {
                    Some(m) => shape.object(m, MEMBER, &prefix, &[], &mut problems),
                    None => problems.push(ShapeProblem::invalid(
                        format!("household[{i}]"),
                        "ogni componente deve essere un oggetto",
                    )),
                }
            }
        }
        Some(_) => problems.push(ShapeProblem::invalid(
            "household",
            "deve essere un elenco di componenti",
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

struct Shape<'a> {
    numbers: &'a WrittenNumbers,
}

impl Shape<'_> {
    /// The fields of `table` (and `nested`, checked by the caller) in one object; any other key
    /// is refused, since a misspelt one would silently drop what it says.
    fn object(
        &self,
        object: &Map<String, Value>,
        table: &[Field],
        prefix: &str,
        nested: &[&str],
        problems: &mut Vec<ShapeProblem>,
    ) {
        for field in table {
            let path = format!("{prefix}{}", field.json);
            match object.get(field.json) {
                None | Some(Value::Null) if field.required => {
                    problems.push(ShapeProblem::invalid(path, "campo obbligatorio mancante"))
                }
                None | Some(Value::Null) => {}
                Some(v) => {
                    let written = self.numbers.get(&path).map(String::as_str);
                    if let Err(message) = check_value(field.kind, v, written) {
                        problems.push(ShapeProblem::invalid(path, message));
                    }
                }
            }
        }
        let known = |key: &str| table.iter().any(|f| f.json == key) || nested.contains(&key);
        for key in object.keys().filter(|k| !known(k)) {
            let names = table.iter().map(|f| f.json).chain(nested.iter().copied());
            let belongs = |t: &[Field]| t.iter().any(|f| f.json == key.as_str());
            let hint = if let Some(f) = table.iter().find(|f| f.csv == key.as_str()) {
                // The Italian header of the CSV, written in JSON.
                Some(format!("in JSON si chiama {}.", f.json))
            } else if let Some(n) = nearest(key, names) {
                Some(format!("forse {n}?"))
            } else if prefix.is_empty() && belongs(APPLICANT) {
                Some("va dentro applicant.".to_string())
            } else if prefix.is_empty() && belongs(ISEE) {
                Some("va dentro isee.".to_string())
            } else {
                None
            };
            let what = "i campi ammessi sono elencati in docs/formats.md";
            problems.push(ShapeProblem {
                path: format!("{prefix}{key}"),
                code: "field_unknown",
                message: match hint {
                    Some(hint) => format!(
                        "campo sconosciuto: {hint} Correggerne il nome o toglierlo ({what})"
                    ),
                    None => format!("campo sconosciuto: correggerne il nome o toglierlo ({what})"),
                },
            });
        }
    }
}

/// The known name closest to `word` (`single_parnet` → `single_parent`), when it is close
/// enough to be a typing slip: one edit per three letters, at least one and at most two;
/// letter case does not count.
pub(crate) fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 2);
    known
        .into_iter()
        .map(|k| (edit_distance(&word.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Insertions, deletions, substitutions and swaps of two neighbours (optimal string
/// alignment): a swapped pair of letters is one slip, as typists make them.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// `written`: how a JSON number was written, when known (see [`WrittenNumbers`]).
fn check_value(kind: Kind, v: &Value, written: Option<&str>) -> Result<(), String> {
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
        Amount => match v {
            Value::String(s) => s.parse::<Isee>().map(drop).map_err(|e| e.to_string()),
            Value::Number(n) => Isee::from_json_number(written.unwrap_or(&n.to_string()))
                .map(drop)
                .map_err(|e| e.to_string()),
            _ => Err("deve essere un importo, ad esempio \"3500.00\"".into()),
        },
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

    /// A value of each kind that passes the shape check.
    fn sample(kind: Kind) -> Value {
        match kind {
            Text => "A".into(),
            Date => "2020-01-01".into(),
            DateTime => "2026-01-02T10:00:00+01:00".into(),
            Bool => true.into(),
            Sex => "F".into(),
            Housing => "rent".into(),
            Amount => "10.00".into(),
            IseeType => "corrente".into(),
        }
    }

    fn paths(prefix: &str, value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    paths(&path, v, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    paths(&format!("{prefix}[{i}]"), v, out);
                }
            }
            _ => {
                out.insert(prefix.to_string());
            }
        }
    }

    /// The field table is the form's one declaration: a form with every field of the table
    /// reads into the domain's `ApplicationForm` and writes back the same fields, no more, no
    /// fewer (so the JSON input, the CSV headers, the domain type and the window's generated
    /// type cannot drift apart).
    #[test]
    fn the_field_table_is_exactly_the_domain_form() {
        let mut form = Map::new();
        let mut applicant = Map::new();
        let mut isee = Map::new();
        let mut member = Map::new();
        for (table, into) in [
            (TOP, &mut form),
            (APPLICANT, &mut applicant),
            (ISEE, &mut isee),
            (MEMBER, &mut member),
        ] {
            for f in table {
                into.insert(f.json.into(), sample(f.kind));
            }
        }
        form.insert("applicant".into(), Value::Object(applicant));
        form.insert("isee".into(), Value::Object(isee));
        form.insert(
            "household".into(),
            Value::Array(vec![Value::Object(member)]),
        );
        let text = Value::Object(form).to_string();
        let batch = crate::intake::parse_json_forms(&text).unwrap();
        let parsed = match &batch.entries[0] {
            Ok(parsed) => parsed,
            Err(problems) => panic!("the table's own form is refused: {problems:?}"),
        };
        assert!(parsed.missing.is_empty(), "{:?}", parsed.missing);
        let mut declared = std::collections::BTreeSet::new();
        paths("", &serde_json::from_str(&text).unwrap(), &mut declared);
        let mut written = std::collections::BTreeSet::new();
        paths(
            "",
            &serde_json::to_value(&parsed.form).unwrap(),
            &mut written,
        );
        assert_eq!(written, declared);
    }

    /// docs/formats.md documents every field of the table, by JSON name and CSV header.
    #[test]
    fn the_documented_formats_name_every_field() {
        let docs = include_str!("../../../../docs/formats.md");
        for f in TOP.iter().chain(APPLICANT).chain(ISEE).chain(MEMBER) {
            assert!(
                docs.contains(f.json),
                "docs/formats.md lacks the field {}",
                f.json
            );
            let header = if MEMBER.contains(f) {
                format!("`{MEMBER_PREFIX}N_{}`", f.csv)
            } else {
                format!("`{}`", f.csv)
            };
            assert!(
                docs.contains(&header),
                "docs/formats.md lacks the header {header}"
            );
        }
    }

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
    fn nearest_names_a_typing_slip_and_nothing_else() {
        let top = TOP.iter().map(|f| f.json);
        assert_eq!(nearest("single_parnet", top.clone()), Some("single_parent"));
        assert_eq!(nearest("Resident", top.clone()), Some("resident"));
        assert_eq!(
            nearest("unemployd_since", top.clone()),
            Some("unemployed_since")
        );
        assert_eq!(nearest("colore_preferito", top.clone()), None);
        let member = MEMBER.iter().map(|f| f.json);
        assert_eq!(
            nearest("dependent_minr", member.clone()),
            Some("dependent_minor")
        );
        assert_eq!(nearest("sx", member.clone()), Some("sex"));
        assert_eq!(nearest("xy", member.clone()), None);
        assert_eq!(edit_distance("abcd", "abdc"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("città", "citta"), 1);
    }

    fn paths_and_messages(v: &Value) -> Vec<(String, &'static str, String)> {
        check_shape(v, &WrittenNumbers::new())
            .into_iter()
            .map(|p| (p.path, p.code, p.message))
            .collect()
    }

    #[test]
    fn unknown_keys_are_refused_with_the_nearest_known_one() {
        let v = serde_json::json!({
            "bando": "SC", "resident": true, "unemployed": true, "single_parnet": true,
            "codice_fiscale": "X",
            "applicant": { "codice_fiscale": "X", "surname": "A", "name": "B", "nome": "B",
                           "birth_date": "1980-01-01", "sex": "M", "birth_place": "I754" },
            "isee": { "value": "1", "dsu_protocol": "P", "dsu_date": "2026-01-01", "importo": 1,
                      "valore": 1 },
            "household": [ { "codice_fiscale": "Y", "surname": "C", "name": "D",
                             "birth_date": "2015-01-01", "sex": "F", "birth_place": "I754",
                             "relation": "figlia", "dependent_minr": true } ]
        });
        let found = paths_and_messages(&v);
        let unknown: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, code, m)| {
                assert_eq!(*code, "field_unknown", "{p}");
                (p.as_str(), m.split(" Correggerne").next().unwrap())
            })
            .collect();
        assert_eq!(
            unknown,
            [
                ("codice_fiscale", "campo sconosciuto: va dentro applicant."),
                ("single_parnet", "campo sconosciuto: forse single_parent?"),
                (
                    "applicant.nome",
                    "campo sconosciuto: in JSON si chiama name."
                ),
                (
                    "isee.importo",
                    "campo sconosciuto: correggerne il nome o toglierlo (i campi ammessi \
                     sono elencati in docs/formats.md)"
                ),
                ("isee.valore", "campo sconosciuto: forse value?"),
                (
                    "household[0].dependent_minr",
                    "campo sconosciuto: forse dependent_minor?"
                ),
            ]
        );
        assert!(
            found[1]
                .2
                .ends_with("(i campi ammessi sono elencati in docs/formats.md)")
        );
    }

    #[test]
    fn a_json_number_amount_is_read_as_written() {
        let v = serde_json::json!({
            "bando": "SC", "resident": true, "unemployed": true,
            "applicant": { "codice_fiscale": "X", "surname": "A", "name": "B",
                           "birth_date": "1980-01-01", "sex": "M", "birth_place": "I754" },
            "isee": { "value": 12.5, "dsu_protocol": "P", "dsu_date": "2026-01-01" }
        });
        assert_eq!(check_shape(&v, &WrittenNumbers::new()), []);
        let written = WrittenNumbers::from([("isee.value".to_string(), "12.500".to_string())]);
        let found = check_shape(&v, &written);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "isee.value");
        assert!(
            found[0]
                .message
                .contains("«12.500» con più di due decimali")
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
        let fields: Vec<String> = check_shape(&v, &WrittenNumbers::new())
            .into_iter()
            .map(|p| p.path)
            .collect();
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

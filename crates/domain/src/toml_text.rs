//! The TOML files coordinators edit by hand (district, bando, case kinds, regulation): what
//! cannot be read in them is said in Italian, with the line, the key as written in the file
//! and, for the keys of these files, what it holds. The messages of our own checks (dates,
//! amounts) are Italian already and pass through.

/// `riga 5: manca «closes» (la data di chiusura delle domande)`.
pub fn reading_error(error: &toml::de::Error, text: &str) -> String {
    let message = italian(error.message());
    match error.span() {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(1, |before| before.matches('\n').count() + 1);
            format!("riga {line}: {message}")
        }
        None => message,
    }
}

/// The words of English that begin the messages of serde and of the TOML reader.
const ENGLISH_STARTS: &[&str] = &[
    "invalid",
    "expected",
    "unexpected",
    "unclosed",
    "unterminated",
    "duplicate",
    "missing",
    "unknown",
    "extra",
    "cannot",
    "redefinition",
    "newline",
    "empty",
    "bare",
    "multiline",
    "string",
    "integer",
    "float",
    "number",
    "value",
    "key",
    "table",
    "array",
    "dotted",
    "leading",
    "trailing",
    "too",
    "out",
];

fn italian(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or_default();
    if message.starts_with("missing field") {
        return format!("manca {}", key(first));
    }
    if message.starts_with("unknown field") {
        let expected: Vec<String> = quoted[1..].iter().map(|k| format!("«{k}»")).collect();
        let mut said = format!("«{first}» non è un campo previsto qui");
        if !expected.is_empty() {
            said.push_str(&format!(" (previsti: {})", expected.join(", ")));
        }
        return said;
    }
    if message.starts_with("duplicate key") || message.starts_with("duplicate field") {
        return format!("{} è scritto due volte", key(first));
    }
    for (prefix, what) in [
        ("invalid type: ", "valore di tipo sbagliato"),
        ("invalid value: ", "valore non ammesso"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            return format!(
                "{what}: c'è {}, serve {}",
                found_it(found),
                expected_it(expected)
            );
        }
    }
    if message.starts_with("invalid length") {
        return "numero di elementi sbagliato".to_string();
    }
    let first_word = message
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if ENGLISH_STARTS.contains(&first_word.as_str()) {
        return "scrittura non valida nel formato TOML (controllare le virgolette, le parentesi \
                quadre e il segno «=» di ogni riga)"
            .to_string();
    }
    message.to_string()
}

/// A key as written in the file and, for the keys of the district and bando files, what it is.
fn key(name: &str) -> String {
    let what = match name {
        "id" => "il codice",
        "title" => "il titolo",
        "name" => "il nome",
        "opens" => "la data di apertura delle domande",
        "closes" => "la data di chiusura delle domande",
        "places" => "i posti di ogni comune",
        "rules" => "le regole del bando",
        "capofila" => "il codice ISTAT del comune capofila",
        "province" => "la provincia",
        "comuni" => "l'elenco dei comuni",
        "istat" => "il codice ISTAT del comune",
        "belfiore" => "il codice catastale Belfiore",
        "former_belfiore" => "il codice catastale precedente",
        "former_belfiore_until" => "l'ultima data di nascita con il codice precedente",
        "case_kinds" => "i tipi di istruttoria",
        "target_days" => "i giorni previsti per l'istruttoria",
        "working_days" => "se i giorni sono lavorativi",
        _ => return format!("«{name}»"),
    };
    format!("«{name}» ({what})")
}

/// What serde found, in Italian: `string "abc"` → `il testo "abc"`.
fn found_it(found: &str) -> String {
    let value = found.split_once(' ').map(|(_, v)| v.trim_matches('`'));
    let kind = found.split(' ').next().unwrap_or_default();
    let word = match kind {
        "string" => "il testo",
        "integer" => "il numero",
        "floating" => "il numero con la virgola",
        "boolean" => "il valore",
        "sequence" => return "un elenco".to_string(),
        "map" => return "una tabella".to_string(),
        _ => return "un valore di altro tipo".to_string(),
    };
    match value {
        Some(v) if kind == "floating" => format!(
            "{word} {}",
            v.trim_start_matches("point `").trim_matches('`')
        ),
        Some(v) => format!("{word} {v}"),
        None => word.to_string(),
    }
}

/// What serde expected, in Italian.
fn expected_it(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.contains("string") {
        "un testo tra virgolette"
    } else if [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "integer",
    ]
    .iter()
    .any(|t| e.contains(t))
    {
        "un numero intero"
    } else if e.contains("bool") {
        "true oppure false"
    } else if e.contains("sequence") || e.contains("array") {
        "un elenco tra parentesi quadre"
    } else if e.contains("map") || e.contains("struct") || e.contains("table") {
        "una tabella"
    } else if e.contains("date") || e.contains("data") {
        "una data come 2026-03-31"
    } else {
        "un valore di altro tipo"
    }
}

#[cfg(test)]
mod tests {
    use crate::{Bando, District};

    const BANDO: &str = "id = \"SC-1\"\ntitle = \"Prova\"\nopens = 2026-01-10\ncloses = 2026-03-31\n\
                         [places]\n\"999001\" = 2\n";

    fn bando_error(text: &str) -> String {
        Bando::from_toml(text).unwrap_err().to_string()
    }

    #[test]
    fn a_missing_field_is_named_with_what_it_holds() {
        let text = BANDO.replace("closes = 2026-03-31\n", "");
        assert_eq!(
            bando_error(&text),
            "file del bando non leggibile: riga 1: manca «closes» (la data di chiusura delle \
             domande)"
        );
    }

    #[test]
    fn unknown_keys_wrong_types_and_broken_lines_are_said_in_italian() {
        let unknown = BANDO.replace("title", "titolo");
        let said = bando_error(&unknown);
        assert!(
            said.contains("riga 2: «titolo» non è un campo previsto qui"),
            "{said}"
        );
        assert!(said.contains("«title»"), "{said}");

        let wrong = BANDO.replace("\"999001\" = 2", "\"999001\" = \"due\"");
        assert_eq!(
            bando_error(&wrong),
            "file del bando non leggibile: riga 6: valore di tipo sbagliato: c'è il testo \"due\", \
             serve un numero intero"
        );

        let broken = BANDO.replace("title = \"Prova\"", "title = \"Prova");
        let said = bando_error(&broken);
        assert!(
            said.contains("riga 2: scrittura non valida nel formato TOML"),
            "{said}"
        );

        let twice = BANDO.replace(
            "title = \"Prova\"\n",
            "title = \"Prova\"\ntitle = \"Altra\"\n",
        );
        let said = bando_error(&twice);
        assert!(said.contains("riga 3:"), "{said}");
        assert!(!said.contains("duplicate"), "{said}");

        let district = "id = \"D\"\nname = \"Valle\"\n[[comuni]]\nistat = \"999001\"\nname = \"A\"\nbelfiore = \"Y001\"\n";
        let said = District::from_toml(district).unwrap_err().to_string();
        assert!(
            said.contains("«capofila» (il codice ISTAT del comune capofila)"),
            "{said}"
        );
    }

    #[test]
    fn no_english_reaches_the_clerk() {
        for text in [
            BANDO.replace("opens = 2026-01-10", "opens = true"),
            BANDO.replace("[places]", "[places"),
            BANDO.replace("= 2\n", "= -2\n"),
            BANDO.replace("id = \"SC-1\"", "id = [\"SC-1\"]"),
            format!("{BANDO}[rules]\nisee_ceiling = 7000\n"),
        ] {
            let said = bando_error(&text);
            for english in ["invalid", "expected", "missing", "unknown", "found", "type"] {
                assert!(!said.contains(english), "{said}");
            }
        }
    }
}

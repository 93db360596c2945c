//! Reading the front office's JSON inputs: one object or an array, each item read on its own
//! so that a refusal names the item and the field, in Italian.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{AppError, ErrorCode, Problem, Result};

/// The items of a JSON text holding one object or an array of objects.
pub(crate) fn parse_items(text: &str, what: &str) -> Result<Vec<Value>> {
    let (items, _) = crate::intake::json_items(
        text,
        &format!("il file deve contenere un {what} (oggetto JSON) o un elenco"),
    )?;
    if items.is_empty() {
        return Err(AppError::new(
            ErrorCode::InputEmpty,
            format!("l'elenco è vuoto: nessun {what} da registrare"),
        ));
    }
    Ok(items)
}

/// One item read as `T`: refused with the field (as a path) and what is wrong.
pub(crate) fn deserialize<T: DeserializeOwned>(
    item: Value,
    record: &str,
) -> std::result::Result<T, Problem> {
    serde_path_to_error::deserialize(item).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        let (field, message) = reason(&path, &inner);
        Problem {
            record: record.to_string(),
            field,
            code: "field_invalid".into(),
            message,
        }
    })
}

/// serde's words in the operator's: which field, and what is wrong with it.
fn reason(path: &str, serde_says: &str) -> (String, String) {
    let quoted: Vec<&str> = serde_says.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or_default();
    let join = |field: &str| {
        if path == "." || path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    let here = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    if serde_says.starts_with("missing field") {
        (join(first), "campo obbligatorio mancante".into())
    } else if serde_says.starts_with("unknown field") {
        (
            join(first),
            format!("il campo non esiste; ammessi: {}", quoted[1..].join(", ")),
        )
    } else if serde_says.starts_with("unknown variant") {
        (
            here,
            format!(
                "valore «{first}» non ammesso, ammessi: {}",
                quoted[1..].join(", ")
            ),
        )
    } else if serde_says.starts_with("invalid type: ") {
        (
            here,
            "valore del tipo sbagliato (testo, numero, elenco…)".into(),
        )
    } else {
        (here, "valore non valido".into())
    }
}

/// A refusal: how many problems, that nothing was stored, each problem.
pub(super) fn refused(problems: Vec<Problem>, nothing: &str) -> AppError {
    let n = problems.len();
    AppError::refused(
        format!(
            "dati rifiutati ({n} {}): {nothing}; correggere e riprovare",
            if n == 1 { "problema" } else { "problemi" }
        ),
        problems,
    )
}

/// A free text typed on one action: trimmed, at most `max` characters, no hidden characters;
/// `None` when empty.
pub(super) fn one_text(field: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(AppError::new(
            ErrorCode::InputRefused,
            format!("{field}: testo più lungo di {max} caratteri"),
        ));
    }
    if let Some(p) = sportello_domain::intake::check_text(field, text, true) {
        return Err(AppError::new(ErrorCode::InputRefused, p.message));
    }
    Ok(Some(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_s_words_become_the_operator_s() {
        assert_eq!(
            reason(".", "missing field `channel`"),
            ("channel".into(), "campo obbligatorio mancante".into())
        );
        let (field, message) = reason(
            "channel",
            "unknown variant `fax`, expected one of `sportello`, `telefono`",
        );
        assert_eq!(field, "channel");
        assert_eq!(
            message,
            "valore «fax» non ammesso, ammessi: sportello, telefono"
        );
        let (field, _) = reason("person", "unknown field `nome`, expected `name`");
        assert_eq!(field, "person.nome");
    }
}

//! The one error shape that reaches the window: `{code, message, field?}`. The UI branches on the
//! stable `code`, shows the Italian `message`, and puts it next to `field` when there is one.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Stable, machine-readable: the UI never matches on the message.
    pub code: &'static str,
    /// Italian, says what happened and what to do.
    pub message: String,
    /// The form field the error concerns, in the UI's naming.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The same error, attached to one form field.
    pub fn on_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_without_field_when_there_is_none() {
        let err = CommandError::new("db_unreadable", "Archivio non leggibile.");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"code": "db_unreadable", "message": "Archivio non leggibile."})
        );
    }

    #[test]
    fn serializes_the_field_it_concerns() {
        let err = CommandError::new("invalid_codice_fiscale", "Codice fiscale non valido.")
            .on_field("codiceFiscale");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({
                "code": "invalid_codice_fiscale",
                "message": "Codice fiscale non valido.",
                "field": "codiceFiscale"
            })
        );
    }
}

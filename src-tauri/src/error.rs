//! The one error shape that reaches the window: `{code, message, field?, problems?}`. The UI
//! branches on the stable `code`, shows the Italian `message` next to the action (or next to
//! `field`), and for refused input shows each of `problems` next to its own field.

use serde::Serialize;
use sportello_app::{AppError, ErrorCode, Problem};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    /// Stable, machine-readable: the UI never matches on the message.
    pub code: ErrorCode,
    /// Italian, says what happened and what to do.
    pub message: String,
    /// The form field the error concerns, in the UI's naming.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub field: Option<String>,
    /// For refused input: every problem found, each with its record and field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub problems: Vec<Problem>,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            problems: Vec::new(),
        }
    }

    /// The same error, attached to one form field.
    pub fn on_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl From<AppError> for CommandError {
    fn from(err: AppError) -> Self {
        Self {
            code: err.code,
            message: err.message,
            field: None,
            problems: err.problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_only_code_and_message_when_that_is_all() {
        let err = CommandError::new(ErrorCode::DbUnreadable, "Archivio non leggibile.");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"code": "db_unreadable", "message": "Archivio non leggibile."})
        );
    }

    #[test]
    fn serializes_the_field_it_concerns() {
        let err = CommandError::new(ErrorCode::ExportDirMissing, "La cartella non esiste.")
            .on_field("cartella");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({
                "code": "export_dir_missing",
                "message": "La cartella non esiste.",
                "field": "cartella"
            })
        );
    }

    #[test]
    fn keeps_code_message_and_every_problem_of_an_app_error() {
        let problem = Problem {
            record: "domanda 1".into(),
            field: "applicant.codice_fiscale".into(),
            code: "codice_fiscale_invalid".into(),
            message: "codice fiscale non valido".into(),
        };
        let app = AppError::refused("domanda rifiutata", vec![problem.clone()]);
        let err = CommandError::from(app);
        assert_eq!(err.code, "input_refused");
        assert_eq!(err.message, "domanda rifiutata");
        assert_eq!(err.problems, vec![problem]);
        assert_eq!(
            serde_json::to_value(&err).unwrap()["problems"][0]["field"],
            "applicant.codice_fiscale"
        );
    }
}

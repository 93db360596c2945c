//! Errors as both front ends show them: a stable code, an Italian message, and for refused
//! input every problem with the record and field it concerns.

use serde::Serialize;
use sportello_store::StoreError;

/// One problem with one field of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The record as the user knows it: "domanda 2", "riga 7".
    pub record: String,
    /// The field as the user wrote it: `applicant.codice_fiscale`, `componente1_sesso`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.record, self.message)
        } else {
            write!(f, "{}, campo {}: {}", self.record, self.field, self.message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppError {
    pub code: String,
    pub message: String,
    /// For refused input: every problem found, so the user fixes them all at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            problems: Vec::new(),
        }
    }

    pub fn refused(message: impl Into<String>, problems: Vec<Problem>) -> Self {
        Self {
            code: "input_refused".to_string(),
            message: message.into(),
            problems,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, AppError>;

//! Printed documents in the shape of Italian public-administration papers: the receipt handed
//! to an applicant, the preavviso di rigetto, the scheda informativa of a service, the public ranking for the notice boards, the reserved ranking for staff
//! and the install's foglio di recupero.
//!
//! The API takes its own plain view models (strings, numbers, dates), filled in by the app from
//! the domain: printing never depends on how a rule is computed, and the public ranking's input
//! type has no field for personal data at all. Two things it takes from `sportello-domain`
//! rather than saying them again: the points per factor ([`Breakdown`]) and how an amount is
//! written ([`format::euro`], the window's way too). Documents are A4 PDFs with DejaVu Sans embedded
//! and subset, so accents print and extract correctly and files stay small.

mod accreditation;
mod attestato;
mod canvas;
mod chart;
mod flow;
mod fonts;
pub mod format;
mod frame;
mod internal;
mod monitoring;
mod payments;
mod preavviso;
mod project;
mod ranking;
mod receipt;
mod recovery;
mod referral;
mod service;

pub use accreditation::{
    AccreditationCertificate, PublicRegister, RegisterLine, accreditation_certificate,
    public_register,
};
pub use attestato::{Attestato, attestato};
pub use frame::Letterhead;
pub use internal::{ReservedDetails, internal_ranking};
pub use monitoring::{MonitoringReport, ReportForm, ReportIndicator, monitoring_report};
pub use payments::{PaymentLine, PaymentList, payment_list};
pub use preavviso::{Addressee, Preavviso, preavviso};
pub use project::{ProjectDocument, project_document, start_letter};
pub use ranking::{ObjectionsWindow, Outcome, RankingDocument, RankingRow, Stage, public_ranking};
pub use receipt::{
    Housing, IseeKind, Receipt, ReceiptApplicant, ReceiptIsee, ReceiptMember, receipt,
};
pub use recovery::{RecoverySheet, recovery_sheet};
pub use referral::{Referral, referral};
pub use service::{ServiceSheet, service_sheet};
/// The points per factor, as the domain computes them (printed in the reserved ranking).
pub use sportello_domain::Breakdown;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("il carattere tipografico incorporato non è leggibile")]
    Font,
    #[error("lo stemma non è un'immagine PNG leggibile: {0}")]
    Crest(String),
    #[error("il codice domanda {0} compare più di una volta")]
    DuplicateCode(String),
    #[error("mancano i dati riservati della domanda {0}")]
    MissingDetails(String),
    #[error("dati riservati per la domanda {0}, che non è in graduatoria")]
    UnknownDetails(String),
    #[error(
        "domanda {code}: la somma dei punteggi per criterio ({sum}) non corrisponde al \
         punteggio totale ({score})"
    )]
    InconsistentScore { code: String, score: i32, sum: i32 },
    #[error("il codice QR non può contenere la dichiarazione: {0}")]
    Qr(String),
}

impl PrintError {
    /// A stable identifier for front ends, which never match on messages.
    pub fn code(&self) -> &'static str {
        match self {
            PrintError::Font => "print.font",
            PrintError::Crest(_) => "print.crest",
            PrintError::DuplicateCode(_) => "print.duplicate_code",
            PrintError::MissingDetails(_) => "print.missing_details",
            PrintError::UnknownDetails(_) => "print.unknown_details",
            PrintError::InconsistentScore { .. } => "print.inconsistent_score",
            PrintError::Qr(_) => "print.qr",
        }
    }
}

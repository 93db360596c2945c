//! Printed documents: the view models of `sportello-print`, filled from the install's data.
//! A comune prints receipts for its own applications; the capofila prints the rankings.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use sportello_domain::Outcome;
use sportello_domain::objection::{PREAVVISO_REPLY_DAYS, Window};
use sportello_print as print;

use crate::files::write_atomically;
use crate::ranking::{PublishedRanking, Stage};
use crate::{AppError, ErrorCode, Result, TIME_ZONE};

/// Which ranking document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingPaper {
    /// For the notice boards: position, application code, score, outcome; nothing else.
    Public,
    /// For authorised staff: names, codici fiscali, score breakdown, exclusion reasons.
    Internal,
}

fn print_error(e: print::PrintError) -> AppError {
    AppError::new(ErrorCode::PrintFailed, e.to_string())
}

crate::area!(
    /// The documents printed as PDF: receipts and rankings.
    Documents,
    documents
);

impl Documents<'_> {
    /// The install's letterhead; a `crest.png` next to the database is printed in it.
    pub(crate) fn letterhead(&self, first: String) -> print::Letterhead {
        let crest = self.db_path.with_file_name("crest.png");
        print::Letterhead {
            title_lines: vec![first, self.install.district.name.clone()],
            crest_png: std::fs::read(crest).ok(),
        }
    }

    /// Writes the receipt (*ricevuta di presentazione*) of one of this comune's applications.
    pub fn receipt(&self, application_code: &str, out: &Path) -> Result<PathBuf> {
        self.require(crate::Action::PrintReceipts)?;
        let stored = self
            .store
            .application_by_code(application_code)?
            .filter(|s| s.application.comune == self.install.comune)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::UnknownApplication,
                    format!(
                        "la domanda {application_code} non è tra quelle presentate in questo comune"
                    ),
                )
            })?;
        let a = &stored.application;
        let d = &a.declaration;
        let bando = self.bando(&a.bando)?;
        let place = |code: &str| {
            self.install
                .district
                .comuni
                .iter()
                .find(|c| c.belfiore == code)
                .map_or_else(|| code.to_string(), |c| format!("{} ({code})", c.name))
        };
        let p = &d.applicant.person;
        let receipt = print::Receipt {
            letterhead: self.letterhead(format!("Comune di {}", self.comune_name(&a.comune))),
            comune: self.comune_name(&a.comune),
            bando_id: bando.id.clone(),
            bando_title: bando.title.clone(),
            case_number: stored.case_number.clone(),
            protocol_number: stored.protocol_number.clone(),
            application_code: a.code.clone(),
            filed_at: a.filed_at.with_timezone(&TIME_ZONE).naive_local(),
            operator: Some(self.actor.0.clone()),
            applicant: print::ReceiptApplicant {
                surname: p.surname.clone(),
                name: p.name.clone(),
                codice_fiscale: p.codice_fiscale.clone(),
                birth_date: p.birth_date,
                birth_place: place(&p.birth_place),
                address: d.applicant.address.clone().filter(|s| !s.is_empty()),
                phone: d.applicant.phone.clone().filter(|s| !s.is_empty()),
                email: d.applicant.email.clone().filter(|s| !s.is_empty()),
            },
            household: d
                .household
                .iter()
                .map(|m| print::ReceiptMember {
                    surname: m.person.surname.clone(),
                    name: m.person.name.clone(),
                    codice_fiscale: m.person.codice_fiscale.clone(),
                    birth_date: m.person.birth_date,
                    relation: m.relation.clone(),
                    dependent_minor: m.dependent_minor,
                    disabled: m.disabled,
                })
                .collect(),
            isee: d.isee.as_ref().map(|i| print::ReceiptIsee {
                value: i.value.value(),
                kind: i.kind,
                dsu_protocol: i.dsu_protocol.clone(),
                dsu_date: i.dsu_date,
            }),
            resident: d.resident,
            unemployed: d.unemployed,
            unemployed_since: d.unemployed_since,
            other_income_support: d.other_income_support,
            housing: d.housing,
            single_parent: d.single_parent,
            applicant_disabled: d.applicant_disabled,
            previous_participation: d.previous_participation,
        };
        let bytes = print::receipt(&receipt).map_err(print_error)?;
        write_atomically(out, &bytes, false)?;
        // The file's name is the operator's choice and may name the applicant: not recorded.
        self.audit_read(
            "print_receipt",
            "application",
            Some(&stored.id.to_string()),
            serde_json::json!({ "application_code": a.code }),
        )?;
        Ok(out.to_path_buf())
    }

    /// Writes the latest published ranking of a bando (capofila only).
    pub fn ranking(&self, bando_id: &str, paper: RankingPaper, out: &Path) -> Result<PathBuf> {
        self.ranking_version(bando_id, None, paper, out)
    }

    /// Writes published version `number` of a bando's ranking, the latest when `None`
    /// (capofila only): every version stays printable.
    pub fn ranking_version(
        &self,
        bando_id: &str,
        number: Option<i64>,
        paper: RankingPaper,
        out: &Path,
    ) -> Result<PathBuf> {
        self.require(match paper {
            RankingPaper::Public => crate::Action::ReadOutcomes,
            RankingPaper::Internal => crate::Action::ReadInternal,
        })?;
        self.require_capofila("stampare la graduatoria")?;
        let bando = self.bando(bando_id)?;
        let published = self.published_version(bando_id, number)?;
        let date = published_date(&published);
        let doc = print::RankingDocument {
            letterhead: self.letterhead(format!(
                "Comune di {} – capofila",
                self.comune_name(&self.install.comune)
            )),
            bando_id: bando.id.clone(),
            bando_title: bando.title.clone(),
            stage: match published.stage {
                Stage::Provisional => print::Stage::Provisional {
                    objections: print::ObjectionsWindow {
                        days: bando.rules.objection_days,
                        ends_on: Window {
                            published_on: date,
                            days: bando.rules.objection_days,
                        }
                        .last_day(),
                    },
                },
                Stage::Definitive => print::Stage::Definitive,
            },
            version: published.number as u32,
            date,
            factor_legend: bando
                .rules
                .factor_labels()
                .into_iter()
                .map(|f| f.legend)
                .collect(),
            rows: published
                .rows
                .iter()
                .map(|r| print::RankingRow {
                    position: r.position,
                    application_code: r.application_code.clone(),
                    score: r.score,
                    outcome: match r.outcome {
                        Outcome::Ammesso => print::Outcome::Admitted,
                        Outcome::IdoneoNonAmmesso => print::Outcome::EligibleNotAdmitted,
                        Outcome::Escluso => print::Outcome::Excluded,
                    },
                })
                .collect(),
        };
        let bytes = match paper {
            RankingPaper::Public => print::public_ranking(&doc),
            RankingPaper::Internal => {
                let details = self.reserved_details(&published)?;
                print::internal_ranking(&doc, &details)
            }
        }
        .map_err(print_error)?;
        write_atomically(out, &bytes, false)?;
        self.audit_read(
            match paper {
                RankingPaper::Public => "print_ranking_public",
                RankingPaper::Internal => "print_ranking_internal",
            },
            "ranking",
            Some(&format!("{bando_id}/{}", published.number)),
            serde_json::json!({ "bando": bando_id, "number": published.number }),
        )?;
        Ok(out.to_path_buf())
    }

    /// Writes one *preavviso di rigetto* per application excluded in the latest provisional
    /// ranking of `bando_id` into `dir` (`preavviso-<codice>.pdf`), for the comuni of filing
    /// to hand over (capofila only, before the definitive ranking). Returns the files written.
    pub fn preavvisi(&self, bando_id: &str, dir: &Path) -> Result<Vec<PathBuf>> {
        self.require(crate::Action::DecideObjections)?;
        self.require_capofila("stampare i preavvisi di rigetto")?;
        let bando = self.bando(bando_id)?;
        let published = self
            .latest_published(bando_id)?
            .filter(|p| p.stage == Stage::Provisional)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::RankingNotPublished,
                    format!(
                        "i preavvisi di rigetto del bando {bando_id} seguono la graduatoria \
                         provvisoria e precedono la definitiva: l'ultima versione pubblicata \
                         non è una provvisoria"
                    ),
                )
            })?;
        let ranking_date = published_date(&published);
        let issued_on = crate::now().with_timezone(&TIME_ZONE).date_naive();
        let letterhead = self.letterhead(format!(
            "Comune di {} – capofila",
            self.comune_name(&self.install.comune)
        ));
        let mut written = Vec::new();
        for row in published
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Escluso)
        {
            let stored = self
                .store
                .application_by_code(&row.application_code)?
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::UnknownApplication,
                        format!(
                            "la domanda {} della graduatoria non è nel registro",
                            row.application_code
                        ),
                    )
                })?;
            let applicant = &stored.application.declaration.applicant;
            let notice = print::Preavviso {
                letterhead: letterhead.clone(),
                comune: self.comune_name(&stored.application.comune),
                bando_id: bando.id.clone(),
                bando_title: bando.title.clone(),
                application_code: row.application_code.clone(),
                case_number: stored.case_number.clone(),
                addressee: print::Addressee {
                    surname: applicant.person.surname.clone(),
                    name: applicant.person.name.clone(),
                    codice_fiscale: applicant.person.codice_fiscale.clone(),
                    address: applicant.address.clone().filter(|s| !s.is_empty()),
                },
                ranking_version: published.number as u32,
                ranking_date,
                reasons: row.reasons.clone(),
                reply_days: PREAVVISO_REPLY_DAYS,
                issued_on,
            };
            let bytes = print::preavviso(&notice).map_err(print_error)?;
            let out = dir.join(format!("preavviso-{}.pdf", row.application_code));
            write_atomically(&out, &bytes, false)?;
            written.push(out);
        }
        let codes: Vec<&str> = published
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Escluso)
            .map(|r| r.application_code.as_str())
            .collect();
        self.audit_read(
            "print_preavvisi",
            "ranking",
            Some(&format!("{bando_id}/{}", published.number)),
            serde_json::json!({ "bando": bando_id, "number": published.number, "applications": codes }),
        )?;
        Ok(written)
    }

    /// Writes the foglio di recupero with `key`, checked first to be this install's.
    pub fn recovery_sheet(&self, key: &crate::RecoveryKey, out: &Path) -> Result<PathBuf> {
        self.require(crate::Action::ManageOperators)?;
        crate::vault::Slots::load(&self.db_path)?.unlock_with_recovery(key)?;
        let created_at =
            DateTime::parse_from_rfc3339(&self.install.created_at).unwrap_or_else(|_| crate::now());
        let sheet = print::RecoverySheet {
            letterhead: self.letterhead(format!(
                "Comune di {}",
                self.comune_name(&self.install.comune)
            )),
            comune: format!(
                "{} ({})",
                self.comune_name(&self.install.comune),
                self.install.comune
            ),
            district: self.install.district.name.clone(),
            created_at: created_at.with_timezone(&TIME_ZONE).naive_local(),
            fingerprint: self.key_fingerprint()?,
            key: key.display().to_string(),
        };
        let bytes = print::recovery_sheet(&sheet).map_err(print_error)?;
        write_atomically(out, &bytes, false)?;
        self.audit_read(
            "print_recovery_sheet",
            "install",
            Some(&self.install.comune),
            serde_json::json!({}),
        )?;
        Ok(out.to_path_buf())
    }

    fn reserved_details(
        &self,
        published: &PublishedRanking,
    ) -> Result<Vec<print::ReservedDetails>> {
        published
            .rows
            .iter()
            .map(|r| {
                let stored = self
                    .store
                    .application_by_code(&r.application_code)?
                    .ok_or_else(|| {
                        AppError::new(
                            ErrorCode::UnknownApplication,
                            format!(
                                "la domanda {} della graduatoria non è nel registro",
                                r.application_code
                            ),
                        )
                    })?;
                let p = &stored.application.declaration.applicant.person;
                Ok(print::ReservedDetails {
                    application_code: r.application_code.clone(),
                    surname: p.surname.clone(),
                    name: p.name.clone(),
                    codice_fiscale: p.codice_fiscale.clone(),
                    comune: self.comune_name(&r.comune),
                    breakdown: r.breakdown,
                    exclusion_reasons: r.reasons.clone(),
                })
            })
            .collect()
    }
}

fn published_date(p: &PublishedRanking) -> NaiveDate {
    DateTime::parse_from_rfc3339(&p.published_at)
        .map(|t| t.with_timezone(&TIME_ZONE).date_naive())
        .unwrap_or_default()
}

//! The reserved ranking (*graduatoria riservata*), for authorised staff only: who is behind each
//! code, the score factor by factor, and why an application was excluded.

use std::collections::HashMap;

use sportello_domain::Breakdown;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::{Column, Flow, Table};
use crate::frame::{FrameSpec, Orientation, render};
use crate::ranking::{Outcome, RankingDocument, position_text};

/// The personal side of one ranked application, for the reserved document only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservedDetails {
    /// Which row of the ranking these details belong to.
    pub application_code: String,
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    /// Name of the comune where the application was filed.
    pub comune: String,
    /// The points per factor as the ranking computed them; their sum ([`Breakdown::score`])
    /// must be the row's score.
    pub breakdown: Breakdown,
    /// Why the application was excluded, in Italian; empty for eligible applications.
    pub exclusion_reasons: Vec<String>,
}

const BODY: Style = Style::regular(8.5);

/// Column titles of the factors, in the breakdown's order (the document's `factor_legend`
/// explains them with the bando's own figures).
const FACTORS: [&str; 9] = [
    "ISEE", "Nucl.", "Minori", "Disab.", "Genit.", "Disoc.", "Casa", "Età", "Prec.",
];

/// "Graduatoria riservata", RISERVATO on every page: the ranking with names, codici fiscali,
/// comuni, the score per factor and the reasons for exclusion. Every row of `doc` needs its
/// details in `details` (matched by application code) and no detail may be left over.
pub fn internal_ranking(
    doc: &RankingDocument,
    details: &[ReservedDetails],
) -> Result<Vec<u8>, PrintError> {
    doc.check_codes()?;
    let by_code = match_details(doc, details)?;
    let spec = FrameSpec {
        letterhead: &doc.letterhead,
        orientation: Orientation::Landscape,
        title: doc.title("Graduatoria riservata"),
        reference: doc.reference(),
        footer: format!(
            "{} · documento ad uso esclusivo del personale autorizzato",
            doc.footer("Graduatoria riservata")
        ),
        reserved: true,
    };
    render(spec, |flow| {
        flow.paragraph(&doc.summary(), Style::regular(9.0));
        flow.paragraph(
            "Documento riservato: contiene dati personali dei richiedenti. Non pubblicare, non \
             affiggere, non consegnare a terzi. Per la pubblicazione usare la graduatoria \
             pubblica, che riporta soltanto i codici domanda.",
            BODY.coloured(Colour::RESERVED),
        );
        ranked_section(flow, doc, &by_code);
        excluded_section(flow, doc, &by_code);
        Ok(())
    })
}

/// The application code column: the widest code (`WWMWW-WWMWW`) in bold at 7.5 pt on one line.
const CODE_WIDTH: f32 = 32.0;

fn match_details<'d>(
    doc: &RankingDocument,
    details: &'d [ReservedDetails],
) -> Result<HashMap<&'d str, &'d ReservedDetails>, PrintError> {
    let mut by_code = HashMap::with_capacity(details.len());
    for d in details {
        if by_code.insert(d.application_code.as_str(), d).is_some() {
            return Err(PrintError::DuplicateCode(d.application_code.clone()));
        }
    }
    for row in &doc.rows {
        let Some(d) = by_code.get(row.application_code.as_str()) else {
            return Err(PrintError::MissingDetails(row.application_code.clone()));
        };
        if row.outcome != Outcome::Excluded && d.breakdown.score() != row.score {
            return Err(PrintError::InconsistentScore {
                code: row.application_code.clone(),
                score: row.score,
                sum: d.breakdown.score(),
            });
        }
    }
    if by_code.len() > doc.rows.len() {
        let in_doc: std::collections::HashSet<&str> = doc
            .rows
            .iter()
            .map(|r| r.application_code.as_str())
            .collect();
        if let Some(extra) = details
            .iter()
            .find(|d| !in_doc.contains(d.application_code.as_str()))
        {
            return Err(PrintError::UnknownDetails(extra.application_code.clone()));
        }
    }
    Ok(by_code)
}

fn full_name(d: &ReservedDetails) -> String {
    format!("{} {}", d.surname, d.name)
}

fn ranked_section(
    flow: &mut Flow<'_>,
    doc: &RankingDocument,
    by_code: &HashMap<&str, &ReservedDetails>,
) {
    flow.heading("Graduatoria con punteggi per criterio", 14.0);
    flow.paragraph(
        &format!("{}. Tot.: punteggio totale.", doc.factor_legend.join("; ")),
        Style::regular(7.5).coloured(Colour::MUTED),
    );
    flow.space(1.0);
    let mut ranked = doc.ranked().peekable();
    if ranked.peek().is_none() {
        flow.paragraph("Nessuna domanda idonea.", BODY);
        return;
    }
    let factor_width = 11.0;
    let fixed = 10.0 + CODE_WIDTH + 33.0 + 24.0 + 9.0 * factor_width + 10.0 + 35.0;
    let mut columns = vec![
        Column::new("Pos.", 10.0, Align::Right),
        Column::new("Codice domanda", CODE_WIDTH, Align::Left).bold(),
        Column::new("Cognome e nome", flow.width() - fixed, Align::Left),
        Column::new("Codice fiscale", 33.0, Align::Left),
        Column::new("Comune", 24.0, Align::Left),
    ];
    columns.extend(
        FACTORS
            .iter()
            .map(|title| Column::new(title, factor_width, Align::Right)),
    );
    columns.push(Column::new("Tot.", 10.0, Align::Right).bold());
    columns.push(Column::new("Esito", 35.0, Align::Left));
    let table = Table {
        columns,
        size: 7.5,
        header_size: 6.5,
        row_padding: crate::flow::CELL_PAD_Y,
    };
    flow.table(
        &table,
        ranked.map(|row| {
            // Present for every row: `match_details` checked it.
            let d = by_code[row.application_code.as_str()];
            let mut cells = vec![
                position_text(row.position),
                row.application_code.clone(),
                full_name(d),
                d.codice_fiscale.clone(),
                d.comune.clone(),
            ];
            cells.extend(d.breakdown.factors().iter().map(i32::to_string));
            cells.push(row.score.to_string());
            cells.push(row.outcome.label_it().to_string());
            cells
        }),
    );
}

fn excluded_section(
    flow: &mut Flow<'_>,
    doc: &RankingDocument,
    by_code: &HashMap<&str, &ReservedDetails>,
) {
    flow.heading("Domande escluse e motivi", 14.0);
    let codes = doc.excluded_codes();
    if codes.is_empty() {
        flow.paragraph("Nessuna domanda esclusa.", BODY);
        return;
    }
    let fixed = CODE_WIDTH + 50.0 + 33.0 + 30.0;
    let table = Table {
        columns: vec![
            Column::new("Codice domanda", CODE_WIDTH, Align::Left).bold(),
            Column::new("Cognome e nome", 50.0, Align::Left),
            Column::new("Codice fiscale", 33.0, Align::Left),
            Column::new("Comune", 30.0, Align::Left),
            Column::new("Motivi dell'esclusione", flow.width() - fixed, Align::Left),
        ],
        size: 7.5,
        header_size: 6.5,
        row_padding: crate::flow::CELL_PAD_Y,
    };
    flow.table(
        &table,
        codes.into_iter().map(|code| {
            let d = by_code[code];
            let reasons = if d.exclusion_reasons.is_empty() {
                "(motivo non indicato)".to_string()
            } else {
                d.exclusion_reasons.join("\n")
            };
            [
                code.to_string(),
                full_name(d),
                d.codice_fiscale.clone(),
                d.comune.clone(),
                reasons,
            ]
        }),
    );
}

//! The published ranking (*graduatoria pubblica*).
//!
//! Privacy by construction (GDPR, Garante 15 May 2014, d.lgs. 33/2013 art. 26 c.4): the
//! [`RankingDocument`] this renderer takes has no field that could hold a name, a codice
//! fiscale, a birth date, an address, an ISEE value, household or disability data. Only the
//! application code, the position, the score and the outcome reach the public page; excluded
//! applications are listed by code alone, without reasons.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::{Column, Flow, Table};
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

/// What happened to an application in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// AMMESSO: eligible, within its comune's places.
    Admitted,
    /// IDONEO NON AMMESSO: eligible, beyond its comune's places (may be called later).
    EligibleNotAdmitted,
    /// ESCLUSO: not eligible; the reasons go to the applicant alone.
    Excluded,
}

impl Outcome {
    pub fn label_it(self) -> &'static str {
        match self {
            Outcome::Admitted => "AMMESSO",
            Outcome::EligibleNotAdmitted => "IDONEO NON AMMESSO",
            Outcome::Excluded => "ESCLUSO",
        }
    }
}

/// One application in the ranking, as anyone may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingRow {
    /// Place in the ranking; `None` for excluded applications.
    pub position: Option<u32>,
    /// The public pseudonym printed on the applicant's receipt.
    pub application_code: String,
    pub score: i32,
    pub outcome: Outcome,
}

/// The objections window of a provisional ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionsWindow {
    /// Days from publication (10 by the default regulation).
    pub days: u32,
    /// Last day to file an objection.
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// *Graduatoria provvisoria*: open to objections until the window closes.
    Provisional { objections: ObjectionsWindow },
    /// *Graduatoria definitiva*.
    Definitive,
}

impl Stage {
    pub fn label_it(&self) -> &'static str {
        match self {
            Stage::Provisional { .. } => "provvisoria",
            Stage::Definitive => "definitiva",
        }
    }
}

/// A ranking as published: shared by the public and the reserved document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingDocument {
    /// The district, through its capofila.
    pub letterhead: Letterhead,
    pub bando_id: String,
    pub bando_title: String,
    pub stage: Stage,
    /// Published version of this ranking (every version is kept).
    pub version: u32,
    /// Date of the ranking (approval or publication).
    pub date: NaiveDate,
    /// In ranking order: eligible applications by position, excluded ones anywhere.
    pub rows: Vec<RankingRow>,
    /// The legend of each score column of the internal ranking, in the breakdown's order,
    /// worded from the bando's rules (`Età: richiedente con almeno 50 anni`).
    pub factor_legend: Vec<String>,
}

impl RankingDocument {
    /// Eligible applications, in the order given.
    pub(crate) fn ranked(&self) -> impl Iterator<Item = &RankingRow> {
        self.rows.iter().filter(|r| r.outcome != Outcome::Excluded)
    }

    /// Codes of excluded applications, sorted so the list says nothing about filing order.
    pub(crate) fn excluded_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Excluded)
            .map(|r| r.application_code.as_str())
            .collect();
        codes.sort_unstable();
        codes
    }

    pub(crate) fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }

    /// Every application code appears once: a repeated code would make the document ambiguous.
    pub(crate) fn check_codes(&self) -> Result<(), PrintError> {
        let mut seen = std::collections::HashSet::with_capacity(self.rows.len());
        for row in &self.rows {
            if !seen.insert(row.application_code.as_str()) {
                return Err(PrintError::DuplicateCode(row.application_code.clone()));
            }
        }
        Ok(())
    }

    pub(crate) fn title(&self, kind: &str) -> String {
        format!("{kind} {}", self.stage.label_it())
    }

    pub(crate) fn reference(&self) -> String {
        format!(
            "Bando {} – {} · Versione {} del {}",
            self.bando_id,
            self.bando_title,
            self.version,
            format::date(self.date)
        )
    }

    pub(crate) fn footer(&self, kind: &str) -> String {
        format!(
            "{kind} {} · bando {} · versione {} del {}",
            self.stage.label_it(),
            self.bando_id,
            self.version,
            format::date(self.date)
        )
    }

    pub(crate) fn summary(&self) -> String {
        let admitted = self.count(Outcome::Admitted);
        let waiting = self.count(Outcome::EligibleNotAdmitted);
        let excluded = self.count(Outcome::Excluded);
        format!(
            "Domande esaminate: {}. In graduatoria: {} (ammesse {admitted}, idonee non ammesse \
             {waiting}). Escluse: {excluded}.",
            self.rows.len(),
            admitted + waiting,
        )
    }
}

pub(crate) fn position_text(position: Option<u32>) -> String {
    position.map(|p| p.to_string()).unwrap_or_default()
}

const BODY: Style = Style::regular(9.0);
/// The lists of the public ranking, pinned on notice boards: 8.5 pt on rows 12 pt apart
/// (4.25 mm, about what a spreadsheet prints), striped, 54 rows to a page.
const LIST_SIZE: f32 = 8.5;
const LIST_PADDING: f32 = 0.25;
const NOTE: Style = Style::regular(8.5);

/// "Graduatoria pubblica": position, application code, score and outcome; excluded codes
/// apart; for a provisional ranking, the objections window and how to object.
pub fn public_ranking(doc: &RankingDocument) -> Result<Vec<u8>, PrintError> {
    doc.check_codes()?;
    let spec = FrameSpec {
        letterhead: &doc.letterhead,
        orientation: Orientation::Portrait,
        title: doc.title("Graduatoria pubblica"),
        reference: doc.reference(),
        footer: doc.footer("Graduatoria pubblica"),
        reserved: false,
    };
    render(spec, |flow| {
        flow.paragraph(&doc.summary(), BODY);
        flow.paragraph(
            "Ogni domanda è indicata soltanto con il codice domanda riportato sulla ricevuta di \
             presentazione, senza dati che identifichino il richiedente (d.lgs. 33/2013, art. 26, \
             c. 4). AMMESSO: la domanda rientra nei posti del proprio Comune. IDONEO NON AMMESSO: \
             la domanda è idonea ma oltre i posti del proprio Comune; può essere chiamata in caso \
             di rinuncia o decadenza.",
            NOTE.coloured(Colour::MUTED),
        );
        if let Stage::Provisional { objections } = &doc.stage {
            objections_section(flow, objections);
        }
        ranked_section(flow, doc);
        excluded_section(flow, doc);
        Ok(())
    })
}

fn objections_section(flow: &mut Flow<'_>, window: &ObjectionsWindow) {
    flow.heading("Opposizioni", 12.0);
    let days = if window.days == 1 {
        "1 giorno".to_string()
    } else {
        format!("{} giorni", window.days)
    };
    flow.paragraph(
        &format!(
            "La graduatoria è provvisoria. Entro {days} dalla pubblicazione, cioè entro il {}, \
             chi ha presentato domanda può proporre opposizione scritta e motivata al Comune \
             presso cui l'ha presentata, indicando il codice domanda riportato sulla ricevuta. \
             Le opposizioni sono esaminate prima dell'approvazione della graduatoria definitiva; \
             i motivi di un'esclusione sono comunicati al solo interessato, che può chiederne \
             copia al proprio Comune.",
            format::date(window.ends_on)
        ),
        BODY,
    );
}

fn ranked_section(flow: &mut Flow<'_>, doc: &RankingDocument) {
    flow.heading("Graduatoria", 14.0);
    let mut ranked = doc.ranked().peekable();
    if ranked.peek().is_none() {
        flow.paragraph("Nessuna domanda idonea.", BODY);
        return;
    }
    let width = flow.width();
    let table = Table {
        columns: vec![
            Column::new("Posizione", 24.0, Align::Right),
            Column::new("Codice domanda", 52.0, Align::Left).bold(),
            Column::new("Punteggio", 24.0, Align::Right),
            Column::new("Esito", width - 24.0 - 52.0 - 24.0, Align::Left),
        ],
        size: LIST_SIZE,
        header_size: LIST_SIZE,
        row_padding: LIST_PADDING,
    };
    flow.table(
        &table,
        ranked.map(|r| {
            [
                position_text(r.position),
                r.application_code.clone(),
                r.score.to_string(),
                r.outcome.label_it().to_string(),
            ]
        }),
    );
}

fn excluded_section(flow: &mut Flow<'_>, doc: &RankingDocument) {
    let codes = doc.excluded_codes();
    flow.heading("Domande escluse", 14.0);
    if codes.is_empty() {
        flow.paragraph("Nessuna domanda esclusa.", BODY);
        return;
    }
    flow.paragraph(
        "Codici delle domande escluse, in ordine alfabetico. I motivi dell'esclusione sono \
         comunicati al solo richiedente.",
        NOTE.coloured(Colour::MUTED),
    );
    flow.space(1.0);
    // Four codes a row keep the list short without crowding it.
    let quarter = flow.width() / 4.0;
    let table = Table {
        columns: (0..4)
            .map(|_| Column::new("Codice domanda", quarter, Align::Left).bold())
            .collect(),
        size: LIST_SIZE,
        header_size: LIST_SIZE,
        row_padding: LIST_PADDING,
    };
    flow.table(
        &table,
        codes.chunks(4).map(|chunk| {
            let mut row: Vec<String> = chunk.iter().map(|c| c.to_string()).collect();
            row.resize(4, String::new());
            row
        }),
    );
}

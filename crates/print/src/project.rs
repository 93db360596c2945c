//! The servizio civico individual project (*progetto individualizzato*) with its signature
//! blocks, and the *lettera di avvio* that tells the participant when and where to start.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::Flow;
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDocument {
    pub letterhead: Letterhead,
    pub comune: String,
    pub bando_title: String,
    pub application_code: String,
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    /// The sector's name.
    pub sector: String,
    pub site: String,
    pub office: Option<String>,
    pub tutor: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Decimal text, `12`.
    pub weekly_hours: String,
    pub schedule: Option<String>,
    pub inail_position: Option<String>,
    pub rc_policy: Option<String>,
    /// Euros per hour, written by the caller (`€ 5,16`), and the limits (`4`, `80`).
    pub hourly_pay: String,
    pub max_hours_day: String,
    pub max_hours_month: String,
    pub issued_on: NaiveDate,
}

const BODY: Style = Style::regular(10.0);

fn facts(p: &ProjectDocument) -> Vec<(&'static str, String)> {
    let missing = || "da indicare prima dell'avvio".to_string();
    vec![
        (
            "Partecipante",
            format!("{} {} ({})", p.name, p.surname, p.codice_fiscale),
        ),
        ("Domanda", p.application_code.clone()),
        ("Settore", p.sector.clone()),
        ("Sede", p.site.clone()),
        ("Ufficio", p.office.clone().unwrap_or_else(|| "—".into())),
        ("Tutor", p.tutor.clone()),
        (
            "Periodo",
            format!("dal {} al {}", format::date(p.start), format::date(p.end)),
        ),
        (
            "Ore settimanali",
            format!(
                "{}{}",
                p.weekly_hours.replace('.', ","),
                p.schedule
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            ),
        ),
        (
            "Posizione INAIL",
            p.inail_position.clone().unwrap_or_else(missing),
        ),
        ("Polizza RC", p.rc_policy.clone().unwrap_or_else(missing)),
    ]
}

fn signatures(flow: &mut Flow<'_>, titles: &[&str]) {
    flow.space(10.0);
    flow.block(18.0, |page, left, top, width| {
        let gap = 8.0;
        let n = titles.len() as f32;
        let column = (width - gap * (n - 1.0)) / n;
        for (i, title) in titles.iter().enumerate() {
            let x = left + i as f32 * (column + gap);
            page.text(x, top + 4.0, Align::Left, Style::regular(9.0), title);
            page.rule(x, x + column, top + 15.0, Colour::TEXT, 0.6);
        }
    });
}

/// The individual project, to be signed by the participant, the tutor and the responsabile.
pub fn project_document(p: &ProjectDocument) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &p.letterhead,
        orientation: Orientation::Portrait,
        title: "Progetto individualizzato di servizio civico".into(),
        reference: format!(
            "Domanda {} · {}",
            p.application_code,
            format::date(p.issued_on)
        ),
        footer: format!("Progetto individualizzato · {}", p.comune),
        reserved: false,
    };
    render(spec, |flow| {
        flow.paragraph(&format!("Bando: {}.", p.bando_title), BODY);
        flow.space(2.0);
        flow.fields(&facts(p), 45.0, 10.0);
        flow.heading("Impegni", 8.0);
        flow.paragraph(
            &format!(
                "Il partecipante svolge il servizio nella sede e negli orari indicati, seguito dal \
                 tutor, che firma ogni mese il foglio delle presenze. Al massimo {} ore al giorno \
                 e {} ore al mese; il compenso è di {} per ogni ora svolta, liquidato ogni mese \
                 dal comune sulla base delle presenze. Il servizio non costituisce rapporto di \
                 lavoro subordinato.",
                p.max_hours_day.replace('.', ","),
                p.max_hours_month.replace('.', ","),
                p.hourly_pay
            ),
            BODY,
        );
        signatures(
            flow,
            &[
                "Il partecipante",
                "Il tutor",
                "Il responsabile del servizio",
            ],
        );
        Ok(())
    })
}

/// The lettera di avvio: the participant starts on the project's first day, at its site.
pub fn start_letter(p: &ProjectDocument) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &p.letterhead,
        orientation: Orientation::Portrait,
        title: "Lettera di avvio al servizio civico".into(),
        reference: format!(
            "Domanda {} · {}",
            p.application_code,
            format::date(p.issued_on)
        ),
        footer: format!("Lettera di avvio · {}", p.comune),
        reserved: false,
    };
    render(spec, |flow| {
        flow.paragraph(&format!("Gentile {} {},", p.name, p.surname), BODY);
        flow.space(2.0);
        flow.paragraph(
            &format!(
                "a seguito dell'accettazione della chiamata per il servizio civico «{}», La \
                 informiamo che il servizio inizia il {} presso {}{}, nel settore «{}», e termina \
                 il {}. Il Suo tutor è {}: si presenti a lui il primo giorno.",
                p.bando_title,
                format::date(p.start),
                p.site,
                p.office
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default(),
                p.sector,
                format::date(p.end),
                p.tutor
            ),
            BODY,
        );
        flow.space(2.0);
        flow.paragraph(
            &format!(
                "Orario: {} ore settimanali{}. Il compenso è di {} per ogni ora svolta, secondo le \
                 presenze firmate dal tutor.",
                p.weekly_hours.replace('.', ","),
                p.schedule
                    .as_deref()
                    .map(|s| format!(", {s}"))
                    .unwrap_or_default(),
                p.hourly_pay
            ),
            BODY,
        );
        signatures(flow, &["Il responsabile del servizio"]);
        Ok(())
    })
}

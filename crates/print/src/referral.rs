//! The *scheda di invio*: handed to the citizen the front office refers to a service, it says
//! who is sent, to whom, why, and what to bring.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Colour, Style};
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub letterhead: Letterhead,
    pub comune: String,
    /// The contact's number at the comune.
    pub number: i64,
    pub day: NaiveDate,
    /// The person sent: name and surname, or "persona che ha chiesto l'anonimato".
    pub person: String,
    pub codice_fiscale: Option<String>,
    /// The service or office the person is sent to.
    pub to: String,
    /// The codes of the map's services named, if any.
    pub services: Vec<String>,
    /// Why: the areas of need and the request in words.
    pub needs: Vec<String>,
    pub request: Option<String>,
    pub bring: Option<String>,
    pub operator: String,
}

const BODY: Style = Style::regular(10.5);

/// The scheda di invio of one contact.
pub fn referral(r: &Referral) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &r.letterhead,
        orientation: Orientation::Portrait,
        title: "Scheda di invio".into(),
        reference: format!(
            "Segretariato sociale · contatto n. {} del {}",
            r.number,
            format::date(r.day)
        ),
        footer: format!("Scheda di invio · {}", r.comune),
        reserved: false,
    };
    render(spec, |flow| {
        flow.space(4.0);
        flow.paragraph(
            &format!(
                "Il segretariato sociale del Comune di {} invia al servizio indicato",
                r.comune
            ),
            BODY,
        );
        flow.space(2.0);
        flow.paragraph(&r.person, Style::bold(14.0).coloured(Colour::ACCENT));
        if let Some(cf) = &r.codice_fiscale {
            flow.paragraph(&format!("codice fiscale {cf}"), BODY);
        }
        flow.space(3.0);
        let mut facts = vec![("A chi si rivolge", r.to.clone())];
        if !r.services.is_empty() {
            facts.push(("Servizi della mappa", r.services.join(", ")));
        }
        facts.push(("Perché", r.needs.join("; ")));
        if let Some(request) = &r.request {
            facts.push(("Richiesta", request.clone()));
        }
        facts.push((
            "Cosa portare",
            r.bring
                .clone()
                .unwrap_or_else(|| "un documento di identità".into()),
        ));
        facts.push(("Operatore", r.operator.clone()));
        flow.fields(&facts, 48.0, 10.0);
        flow.space(4.0);
        flow.paragraph(
            "Presentare questa scheda al servizio indicato. Il servizio comunica al \
             segretariato sociale se ha preso in carico la richiesta.",
            Style::regular(9.5).coloured(Colour::MUTED),
        );
        Ok(())
    })
}

//! The *scheda informativa* of a service of the map, handed to the citizen at the front
//! office: what the service is, for whom, how to reach it, what to bring. No personal data.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::Style;
use crate::flow::Flow;
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSheet {
    pub letterhead: Letterhead,
    /// The comune that prints it.
    pub comune: String,
    /// The entry's code.
    pub code: String,
    pub name: String,
    pub provider: Option<String>,
    /// The SIUSS area in words (`famiglia e minori`).
    pub area: String,
    /// The comuni covered, by name (`tutti i comuni del distretto`).
    pub comuni: String,
    pub recipients: Option<String>,
    pub access: Option<String>,
    pub documents: Option<String>,
    pub cost: Option<String>,
    pub place: Option<String>,
    pub hours: Option<String>,
    pub contacts: Option<String>,
    pub reviewed_on: NaiveDate,
    pub issued_on: NaiveDate,
}

const BODY: Style = Style::regular(10.0);

fn section(flow: &mut Flow<'_>, title: &str, text: Option<&str>) {
    let Some(text) = text else {
        return;
    };
    flow.heading(title, 8.0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        flow.paragraph(line.trim(), BODY);
    }
}

/// The scheda informativa of one service.
pub fn service_sheet(s: &ServiceSheet) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &s.letterhead,
        orientation: Orientation::Portrait,
        title: "Scheda informativa del servizio".into(),
        reference: format!("Servizio {} · {}", s.code, format::date(s.issued_on)),
        footer: format!("Mappa dei servizi · {}", s.comune),
        reserved: false,
    };
    render(spec, |flow| {
        flow.paragraph(&s.name, Style::bold(13.0));
        flow.space(2.0);
        flow.fields(
            &[
                (
                    "Ente",
                    s.provider.clone().unwrap_or_else(|| "—".to_string()),
                ),
                ("Area", s.area.clone()),
                ("Comuni", s.comuni.clone()),
            ],
            35.0,
            10.0,
        );
        section(flow, "A chi si rivolge", s.recipients.as_deref());
        section(flow, "Come si accede", s.access.as_deref());
        section(flow, "Documenti da portare", s.documents.as_deref());
        section(flow, "Costo", s.cost.as_deref());
        section(flow, "Dove", s.place.as_deref());
        section(flow, "Orari", s.hours.as_deref());
        section(flow, "Contatti", s.contacts.as_deref());
        flow.space(6.0);
        flow.paragraph(
            &format!(
                "Informazioni aggiornate al {}. Per ogni dubbio rivolgersi allo sportello del \
                 segretariato sociale del comune.",
                format::date(s.reviewed_on)
            ),
            Style::regular(9.0),
        );
        Ok(())
    })
}

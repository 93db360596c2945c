//! The *preavviso di rigetto* (law 241/1990, art. 10-bis): before the definitive ranking, each
//! applicant excluded in the provisional one is told the reasons and the days they have to
//! reply. The capofila prints it; the comune of filing hands it over. It names only the person
//! it is addressed to: no household, no other applicant.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::Flow;
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preavviso {
    /// The capofila, which forms the district ranking.
    pub letterhead: Letterhead,
    /// The comune of filing, which hands the notice over and receives the reply.
    pub comune: String,
    pub bando_id: String,
    pub bando_title: String,
    pub application_code: String,
    pub case_number: String,
    pub addressee: Addressee,
    /// The provisional ranking the exclusion is in: its version and publication day.
    pub ranking_version: u32,
    pub ranking_date: NaiveDate,
    /// The exclusion's reasons, in the ranking's words.
    pub reasons: Vec<String>,
    /// Days to reply, from receipt.
    pub reply_days: u32,
    pub issued_on: NaiveDate,
}

/// The applicant the notice is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    pub address: Option<String>,
}

const BODY: Style = Style::regular(9.5);
const LABEL_WIDTH: f32 = 52.0;

/// "Preavviso di rigetto" of one excluded application.
pub fn preavviso(p: &Preavviso) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &p.letterhead,
        orientation: Orientation::Portrait,
        title: "Preavviso di rigetto della domanda".into(),
        reference: format!(
            "Art. 10-bis L. 241/1990 · Bando {} – {} · domanda {}",
            p.bando_id, p.bando_title, p.application_code
        ),
        footer: format!(
            "Preavviso di rigetto · domanda {} · pratica n. {} del Comune di {}",
            p.application_code, p.case_number, p.comune
        ),
        reserved: true,
    };
    render(spec, |flow| {
        addressee(flow, &p.addressee);
        flow.heading("Oggetto", 6.0);
        flow.fields(
            &[
                ("Bando", format!("{} – {}", p.bando_id, p.bando_title)),
                ("Codice domanda", p.application_code.clone()),
                (
                    "Pratica",
                    format!("n. {} del Comune di {}", p.case_number, p.comune),
                ),
                (
                    "Graduatoria provvisoria",
                    format!(
                        "versione n. {} del {}",
                        p.ranking_version,
                        format::date(p.ranking_date)
                    ),
                ),
            ],
            LABEL_WIDTH,
            8.5,
        );
        flow.heading("Motivi ostativi all'accoglimento", 10.0);
        flow.paragraph(
            &format!(
                "Nella graduatoria provvisoria del {} la domanda {} risulta esclusa per i \
                 seguenti motivi:",
                format::date(p.ranking_date),
                p.application_code
            ),
            BODY,
        );
        flow.space(1.0);
        for reason in &p.reasons {
            flow.paragraph(&format!("•  {reason}"), BODY);
        }
        flow.heading("Osservazioni", 10.0);
        flow.paragraph(
            &format!(
                "Entro {days} giorni dal ricevimento di questa comunicazione Lei può presentare \
                 per iscritto le Sue osservazioni, eventualmente corredate da documenti, presso \
                 l'ufficio del Comune di {comune} dove ha presentato la domanda, che le registra \
                 come opposizione. Decorso il termine senza osservazioni, o se le osservazioni \
                 non superano i motivi indicati, la domanda resterà esclusa nella graduatoria \
                 definitiva. La domanda è indicata nella graduatoria pubblica solo con il suo \
                 codice.",
                days = p.reply_days,
                comune = p.comune,
            ),
            BODY,
        );
        delivery(flow, p.issued_on);
        Ok(())
    })
}

fn addressee(flow: &mut Flow<'_>, a: &Addressee) {
    flow.space(2.0);
    let mut lines = vec![
        format!("Al/Alla sig./sig.ra {} {}", a.surname, a.name),
        format!("Codice fiscale {}", a.codice_fiscale),
    ];
    if let Some(address) = a
        .address
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        lines.push(address.to_string());
    }
    for line in lines {
        flow.paragraph(&line, BODY);
    }
}

fn delivery(flow: &mut Flow<'_>, issued_on: NaiveDate) {
    flow.space(4.0);
    flow.paragraph(&format!("Emesso il {}.", format::date(issued_on)), BODY);
    flow.space(3.0);
    flow.block(19.0, |page, left, top, width| {
        let column = (width - 20.0) / 2.0;
        let label = Style::regular(9.0);
        let note = Style::regular(8.0).coloured(Colour::MUTED);
        for (x, title, under) in [
            (left, "Consegnato il", "per il Comune (timbro e firma)"),
            (
                left + column + 20.0,
                "Per ricevuta",
                "firma del/della destinatario/a",
            ),
        ] {
            page.text(x, top + 4.0, Align::Left, label, title);
            page.rule(x, x + column, top + 14.0, Colour::TEXT, 0.6);
            page.text(x, top + 18.0, Align::Left, note, under);
        }
    });
}

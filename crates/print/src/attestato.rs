//! The *attestato di partecipazione* of servizio civico: handed to the participant at the end,
//! it states who took part, in which sector and where, for how long and how many hours.

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestato {
    pub letterhead: Letterhead,
    pub comune: String,
    pub bando_title: String,
    pub application_code: String,
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    pub birth_date: NaiveDate,
    /// The sector's name (`Ambiente e verde pubblico`).
    pub sector: String,
    pub site: String,
    pub start: NaiveDate,
    /// The last day of service: the project's end, or the day it ended early.
    pub end: NaiveDate,
    /// Decimal text, `480`.
    pub hours: String,
    /// Completed as planned, or ended early.
    pub completed: bool,
    /// The skills acquired, from the final check, when recorded.
    pub skills: Option<String>,
    pub issued_on: NaiveDate,
}

const BODY: Style = Style::regular(10.5);

/// The attestato of one participant.
pub fn attestato(a: &Attestato) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &a.letterhead,
        orientation: Orientation::Portrait,
        title: "Attestato di partecipazione al servizio civico".into(),
        reference: format!(
            "Domanda {} · rilasciato il {}",
            a.application_code,
            format::date(a.issued_on)
        ),
        footer: format!("Attestato di partecipazione · {}", a.comune),
        reserved: false,
    };
    render(spec, |flow| {
        flow.space(6.0);
        flow.paragraph(&format!("Il Comune di {} attesta che", a.comune), BODY);
        flow.space(3.0);
        flow.paragraph(
            &format!("{} {}", a.name, a.surname),
            Style::bold(15.0).coloured(Colour::ACCENT),
        );
        flow.paragraph(
            &format!(
                "nato/a il {}, codice fiscale {}",
                format::date(a.birth_date),
                a.codice_fiscale
            ),
            BODY,
        );
        flow.space(3.0);
        flow.paragraph(
            &format!(
                "ha preso parte al servizio civico «{}» dal {} al {}{}.",
                a.bando_title,
                format::date(a.start),
                format::date(a.end),
                if a.completed {
                    ", portandolo a termine"
                } else {
                    ", concluso anticipatamente"
                }
            ),
            BODY,
        );
        flow.space(3.0);
        let mut facts = vec![
            ("Settore", a.sector.clone()),
            ("Sede", a.site.clone()),
            ("Ore di servizio svolte", a.hours.replace('.', ",")),
        ];
        if let Some(skills) = &a.skills {
            facts.push(("Competenze acquisite", skills.clone()));
        }
        flow.fields(&facts, 52.0, 10.0);
        flow.space(4.0);
        flow.paragraph(
            "Il presente attestato è rilasciato su richiesta dell'interessato per gli usi \
             consentiti dalla legge.",
            Style::regular(9.5).coloured(Colour::MUTED),
        );
        flow.space(14.0);
        flow.block(16.0, |page, left, top, width| {
            let column = (width - 20.0) / 2.0;
            for (x, title) in [
                (left, "Data"),
                (left + column + 20.0, "Il responsabile del servizio"),
            ] {
                page.text(x, top + 4.0, Align::Left, Style::regular(9.5), title);
                page.rule(x, x + column, top + 13.0, Colour::TEXT, 0.6);
            }
        });
        Ok(())
    })
}

//! The monthly payment list of servizio civico (*elenco di liquidazione*), for the comune's
//! ragioneria: each participant's hours and pay for the month. Reserved: it names people.

use chrono::NaiveDate;
use sportello_domain::Decimal;

use crate::PrintError;
use crate::canvas::{Align, Style};
use crate::flow::{Column, Table};
use crate::format::{date, euro};
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

/// One participant's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub application_code: String,
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    /// Decimal text, `62.5`.
    pub hours: String,
    pub amount: Decimal,
}

/// A numbered list of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentList {
    pub letterhead: Letterhead,
    pub comune: String,
    /// `giugno 2026`.
    pub month: String,
    /// 1 for the month's list, 2, 3 … for the supplementary lists that correct it.
    pub number: i64,
    pub listed_on: NaiveDate,
    pub hourly_pay: Decimal,
    pub lines: Vec<PaymentLine>,
}

/// "Elenco di liquidazione" (or "integrativo" after the first), RISERVATO on every page.
pub fn payment_list(list: &PaymentList) -> Result<Vec<u8>, PrintError> {
    let supplementary = list.number > 1;
    let title = if supplementary {
        format!("Elenco di liquidazione integrativo · {}", list.month)
    } else {
        format!("Elenco di liquidazione · {}", list.month)
    };
    let spec = FrameSpec {
        letterhead: &list.letterhead,
        orientation: Orientation::Portrait,
        title,
        reference: format!("Elenco n. {} del {}", list.number, date(list.listed_on)),
        footer: format!(
            "Servizio civico · {} · elenco n. {} · documento riservato",
            list.comune, list.number
        ),
        reserved: true,
    };
    let total: Decimal = list.lines.iter().map(|l| l.amount).sum();
    render(spec, |flow| {
        flow.paragraph(
            &format!(
                "Compensi del servizio civico del mese di {} dei partecipanti del comune di {}, \
                 calcolati dalle presenze registrate: ore del mese per {} l'ora, arrotondati al \
                 centesimo.{}",
                list.month,
                list.comune,
                euro(list.hourly_pay),
                if supplementary {
                    " Elenco integrativo: riporta soltanto le differenze rispetto agli elenchi \
                     già emessi per il mese (un importo negativo è da recuperare)."
                } else {
                    ""
                }
            ),
            Style::regular(9.0),
        );
        flow.space(2.0);
        // An application code of the widest letters (`WWMWW-WWMWW`) in bold fits on one line.
        let code = 38.0;
        let fixed = code + 40.0 + 18.0 + 26.0;
        let table = Table {
            columns: vec![
                Column::new("Codice domanda", code, Align::Left).bold(),
                Column::new("Cognome e nome", flow.width() - fixed, Align::Left),
                Column::new("Codice fiscale", 40.0, Align::Left),
                Column::new("Ore", 18.0, Align::Right),
                Column::new("Importo", 26.0, Align::Right).bold(),
            ],
            size: 8.5,
            header_size: 7.0,
            row_padding: crate::flow::CELL_PAD_Y,
        };
        flow.table(
            &table,
            list.lines.iter().map(|l| {
                [
                    l.application_code.clone(),
                    format!("{} {}", l.surname, l.name),
                    l.codice_fiscale.clone(),
                    l.hours.replace('.', ","),
                    euro(l.amount),
                ]
            }),
        );
        flow.space(2.0);
        flow.paragraph(
            &format!(
                "Partecipanti: {}. Totale da liquidare: {}.",
                list.lines.len(),
                euro(total)
            ),
            Style::bold(10.0),
        );
        flow.space(12.0);
        flow.paragraph(
            "Il responsabile del servizio ______________________________",
            Style::regular(9.5),
        );
        Ok(())
    })
}

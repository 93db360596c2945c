//! The *foglio di recupero*: the install's recovery key on paper, printed once at set-up, with
//! what it is for and where to keep it. Without a password and without this key the data
//! cannot be read by anyone.

use chrono::NaiveDateTime;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::Flow;
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverySheet {
    pub letterhead: Letterhead,
    /// "Floridia (089009)".
    pub comune: String,
    pub district: String,
    pub created_at: NaiveDateTime,
    /// The install's key fingerprint, to tell which install the sheet belongs to.
    pub fingerprint: String,
    /// The recovery key as written: groups of four separated by dashes.
    pub key: String,
}

const BODY: Style = Style::regular(9.5);
const KEY: Style = Style::bold(17.0).coloured(Colour::ACCENT);

/// The foglio di recupero of one install.
pub fn recovery_sheet(sheet: &RecoverySheet) -> Result<Vec<u8>, PrintError> {
    let day = format::date(sheet.created_at.date());
    let spec = FrameSpec {
        letterhead: &sheet.letterhead,
        orientation: Orientation::Portrait,
        title: "Foglio di recupero dell'installazione".into(),
        reference: format!("{} · creato il {day}", sheet.comune),
        footer: format!("Foglio di recupero · {}", sheet.comune),
        reserved: true,
    };
    render(spec, |flow| {
        flow.heading("Installazione", 6.0);
        flow.fields(
            &[
                ("Comune", sheet.comune.clone()),
                ("Distretto", sheet.district.clone()),
                (
                    "Creata il",
                    format!("{day} alle ore {}", format::time(sheet.created_at.time())),
                ),
                ("Impronta delle chiavi", sheet.fingerprint.clone()),
            ],
            52.0,
            9.0,
        );
        key_box(flow, &sheet.key);
        flow.heading("A cosa serve", 8.0);
        flow.paragraph(
            "I dati di questa installazione sono cifrati: si leggono solo con la password di un \
             operatore o con questa chiave di recupero. La chiave serve se tutti i responsabili \
             hanno dimenticato la password (nella schermata di accesso: «Password dimenticata?») \
             e per ripristinare un backup su un altro computer. Chi non ha né una password né \
             questa chiave non può leggere i dati: nessuno, nemmeno l'assistenza, può recuperarli \
             in altro modo.",
            BODY,
        );
        flow.heading("Dove conservarlo", 8.0);
        flow.paragraph(
            "In cassaforte o in un armadio chiuso a chiave del comune, lontano dal computer e \
             dalle chiavette di backup; mai in una foto, in una email o in un file sul computer. \
             Se è stato salvato come file per stamparlo, cancellare il file dopo la stampa. Chi \
             ha questo foglio e un backup può leggere tutti i dati: custodirlo come un documento \
             riservato.",
            BODY,
        );
        flow.space(6.0);
        flow.block(16.0, |page, left, top, width| {
            let column = (width - 20.0) / 2.0;
            for (x, title) in [(left, "Custodito da"), (left + column + 20.0, "Data")] {
                page.text(x, top + 4.0, Align::Left, Style::regular(9.0), title);
                page.rule(x, x + column, top + 13.0, Colour::TEXT, 0.6);
            }
        });
        Ok(())
    })
}

/// The key on two lines of seven groups.
fn key_box(flow: &mut Flow<'_>, key: &str) {
    let groups: Vec<&str> = key.split('-').collect();
    let half = groups.len().div_ceil(2);
    flow.space(4.0);
    flow.keep_box(
        "CHIAVE DI RECUPERO",
        &[groups[..half].join("-"), groups[half..].join("-")],
        KEY,
        "Solo cifre e lettere maiuscole (senza I, L, O, U); i trattini si possono omettere.",
    );
    flow.space(4.0);
}

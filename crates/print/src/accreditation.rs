//! Accreditation papers: the *attestato di accreditamento* in the shape of a PA act, with a QR
//! code carrying the capofila's signed statement, and the public register for the district's
//! website (legal persons only; of people, the legal representative's name and role).

use chrono::NaiveDate;

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::{Column, Table};
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

/// The certificate of one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccreditationCertificate {
    pub letterhead: Letterhead,
    /// "Distretto socio-sanitario D48 …".
    pub district: String,
    /// "Comune di Siracusa".
    pub capofila: String,
    pub register_number: String,
    pub entered_on: NaiveDate,
    pub issued_on: NaiveDate,
    pub legal_basis: String,
    pub notice_title: String,
    pub legal_name: String,
    pub tax_code: String,
    pub legal_form: String,
    /// "Siracusa (089017), via …".
    pub seat: String,
    /// "Maria Rossi, legale rappresentante".
    pub representative: String,
    /// Service names.
    pub services: Vec<String>,
    /// Comune names.
    pub comuni: Vec<String>,
    pub score: u32,
    pub pass_mark: u32,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub conditions: Vec<String>,
    /// The signed statement the QR code carries.
    pub qr_text: String,
}

/// One line of the public register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterLine {
    pub register_number: String,
    pub legal_name: String,
    pub tax_code: String,
    pub legal_form: String,
    pub seat: String,
    pub representative: String,
    pub services: String,
    pub comuni: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// attivo, sospeso, revocato, scaduto.
    pub status: String,
}

/// The public register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRegister {
    pub letterhead: Letterhead,
    pub district: String,
    pub as_of: NaiveDate,
    pub lines: Vec<RegisterLine>,
}

const BODY: Style = Style::regular(10.0);
/// The side of the QR code on the page, in millimetres.
const QR_SIDE: f32 = 42.0;

/// The attestato di accreditamento.
pub fn accreditation_certificate(c: &AccreditationCertificate) -> Result<Vec<u8>, PrintError> {
    let qr = qrcode::QrCode::with_error_correction_level(c.qr_text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| PrintError::Qr(e.to_string()))?;
    let spec = FrameSpec {
        letterhead: &c.letterhead,
        orientation: Orientation::Portrait,
        title: "Attestato di accreditamento".into(),
        reference: format!(
            "Registro distrettuale degli enti accreditati n. {} · iscrizione del {} · \
             rilasciato il {}",
            c.register_number,
            format::date(c.entered_on),
            format::date(c.issued_on)
        ),
        footer: format!("Attestato di accreditamento n. {}", c.register_number),
        reserved: false,
    };
    render(spec, |flow| {
        flow.space(2.0);
        flow.paragraph(
            &format!("{} — comune capofila: {}", c.district, c.capofila),
            Style::bold(10.5),
        );
        flow.heading("Riferimenti normativi", 12.0);
        flow.paragraph(
            &format!("Visti: {}; {}.", c.legal_basis, c.notice_title),
            BODY,
        );
        flow.paragraph(
            &format!(
                "Vista la valutazione della commissione, che ha attribuito {} punti su una soglia \
                 di {}, e verificati i requisiti di accesso,",
                c.score, c.pass_mark
            ),
            BODY,
        );
        flow.space(2.0);
        flow.paragraph("SI ATTESTA", Style::bold(12.0).coloured(Colour::ACCENT));
        flow.paragraph("che l'ente", BODY);
        flow.paragraph(&c.legal_name, Style::bold(14.0).coloured(Colour::ACCENT));
        flow.fields(
            &[
                ("Codice fiscale / P. IVA", c.tax_code.clone()),
                ("Forma giuridica", c.legal_form.clone()),
                ("Sede legale", c.seat.clone()),
                ("Legale rappresentante", c.representative.clone()),
            ],
            48.0,
            10.0,
        );
        flow.paragraph(
            &format!(
                "è iscritto al n. {} del Registro distrettuale degli enti accreditati ed è \
                 accreditato per:",
                c.register_number
            ),
            BODY,
        );
        flow.fields(
            &[
                ("Servizi", c.services.join("; ")),
                ("Territorio", c.comuni.join(", ")),
                (
                    "Validità",
                    format!(
                        "dal {} al {}",
                        format::date(c.valid_from),
                        format::date(c.valid_until)
                    ),
                ),
            ],
            48.0,
            10.0,
        );
        flow.heading("Condizioni", 12.0);
        for condition in &c.conditions {
            flow.paragraph(&format!("• {condition}"), Style::regular(9.5));
        }
        flow.space(4.0);
        let side = qr.width();
        let colours = qr.to_colors();
        flow.block(QR_SIDE + 4.0, |page, left, top, width| {
            let module = QR_SIDE / side as f32;
            for y in 0..side {
                // Each run of dark modules in a row is one rectangle.
                let mut x = 0;
                while x < side {
                    if colours[y * side + x] == qrcode::Color::Dark {
                        let start = x;
                        while x < side && colours[y * side + x] == qrcode::Color::Dark {
                            x += 1;
                        }
                        page.fill_rect(
                            left + start as f32 * module,
                            top + y as f32 * module,
                            (x - start) as f32 * module,
                            module,
                            Colour::TEXT,
                        );
                    } else {
                        x += 1;
                    }
                }
            }
            let text_left = left + QR_SIDE + 8.0;
            let column = width - QR_SIDE - 8.0;
            page.text(
                text_left,
                top + 4.0,
                Align::Left,
                Style::bold(9.0),
                "Verifica dell'attestato",
            );
            for (i, line) in [
                "Il codice QR contiene una dichiarazione firmata",
                "digitalmente dal comune capofila (codice fiscale,",
                "numero di registro, servizi, comuni, validità, data",
                "di rilascio). Ogni comune del distretto la verifica",
                "senza collegamento con Sportello, confrontandola",
                "con la propria copia del registro.",
            ]
            .iter()
            .enumerate()
            {
                page.text(
                    text_left,
                    top + 9.0 + i as f32 * 4.0,
                    Align::Left,
                    Style::regular(8.5).coloured(Colour::MUTED),
                    line,
                );
            }
            let sign_top = top + 36.0;
            page.text(
                text_left + column / 2.0,
                sign_top,
                Align::Center,
                Style::regular(9.5),
                "Il responsabile dell'Ufficio di piano",
            );
            page.rule(
                text_left + 10.0,
                text_left + column - 10.0,
                sign_top + 8.0,
                Colour::TEXT,
                0.6,
            );
        });
        Ok(())
    })
}

/// The public register, for the district's website.
pub fn public_register(r: &PublicRegister) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &r.letterhead,
        orientation: Orientation::Landscape,
        title: "Registro distrettuale degli enti accreditati".into(),
        reference: format!("{} · aggiornato al {}", r.district, format::date(r.as_of)),
        footer: "Registro distrettuale degli enti accreditati".into(),
        reserved: false,
    };
    render(spec, |flow| {
        if r.lines.is_empty() {
            flow.paragraph("Nessun ente iscritto.", BODY);
            return Ok(());
        }
        let fixed = 24.0 + 24.0 + 28.0 + 34.0 + 34.0 + 22.0 + 18.0;
        let rest = (flow.width() - fixed) / 2.0;
        let table = Table {
            columns: vec![
                Column::new("Numero", 24.0, Align::Left).bold(),
                Column::new("Ente", rest, Align::Left).bold(),
                Column::new("C.F. / P. IVA", 24.0, Align::Left),
                Column::new("Forma giuridica", 28.0, Align::Left),
                Column::new("Sede", 34.0, Align::Left),
                Column::new("Legale rappresentante", 34.0, Align::Left),
                Column::new("Servizi e comuni", rest, Align::Left),
                Column::new("Validità", 22.0, Align::Left),
                Column::new("Stato", 18.0, Align::Left),
            ],
            size: 7.5,
            header_size: 7.5,
            row_padding: crate::flow::CELL_PAD_Y,
        };
        flow.table(
            &table,
            r.lines.iter().map(|l| {
                vec![
                    l.register_number.clone(),
                    l.legal_name.clone(),
                    l.tax_code.clone(),
                    l.legal_form.clone(),
                    l.seat.clone(),
                    l.representative.clone(),
                    format!("{} — {}", l.services, l.comuni),
                    format!(
                        "{} – {}",
                        format::date(l.valid_from),
                        format::date(l.valid_until)
                    ),
                    l.status.clone(),
                ]
            }),
        );
        Ok(())
    })
}
